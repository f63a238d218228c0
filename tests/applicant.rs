//! 发展党员 records: every error and finding of shared/spec/development.md at its edge, the
//! cross-checks with the branch's own meetings, the 纪实表 and 公示 in both text formats, the
//! reverse check, `pdb new 发展党员` and the 转正 items of `pdb plan`.

use crate::common::{Output, Test};

const LIMING: &str = include_str!("../examples/2026Q4/发展党员/李明.toml");
const ZHENG: &str = include_str!("../examples/2026Q4/发展党员/郑丽华.toml");
const TODAY: &str = "2026-12-01";

/// `pdb check` of one applicant file placed beside the example's, on `today`.
fn check_on(text: &str, today: &str) -> Output {
    Test::new()
        .example()
        .file("2026Q4/发展党员/x.toml", text)
        .args(&["check", "2026Q4/发展党员/x.toml", "--today", today])
        .run()
}

fn check(text: &str) -> Output {
    check_on(text, TODAY)
}

/// 李明's record with one line replaced (the line must be there).
fn liming(from: &str, to: &str) -> String {
    assert!(LIMING.contains(from), "{from}");
    LIMING.replacen(from, to, 1)
}

fn zheng(from: &str, to: &str) -> String {
    assert!(ZHENG.contains(from), "{from}");
    ZHENG.replacen(from, to, 1)
}

/// The diagnostic (from its title line to the blank line) that contains `needle`.
fn diagnostic<'a>(out: &'a Output, needle: &str) -> Option<&'a str> {
    out.stderr.split("\n\n").find(|d| d.contains(needle))
}

#[test]
fn the_examples_are_clean_and_every_applicant_is_checked() {
    let out = Test::new().example().args(&["check", "2026Q4", "--today", TODAY]).run();
    out.assert_status(0);
    for name in ["李明", "王雪", "郑丽华", "陈晨"] {
        assert!(out.stdout.contains(&format!("完成 2026Q4/发展党员/{name}.toml\n")), "{}", out.stdout);
    }
    assert!(out.stdout.contains("（含发展党员记录 4 份）"), "{}", out.stdout);
    assert!(!out.stderr.contains("发展党员工作细则"), "{}", out.stderr);
}

const PAST: &str = include_str!("../examples/2026Q4/往期/2025-10-30-支部党员大会.toml");

#[test]
fn an_admission_not_by_secret_ballot_is_a_finding_and_a_confirmation_by_show_of_hands_is_not() {
    // As in the example: the admission by secret ballot, the 转正 with no method (举手): clean.
    let out = check(ZHENG);
    assert!(!out.stderr.contains("无记名投票"), "{}", out.stderr);

    // No method at the admission: counted as 举手, a finding on the record's meeting reference.
    let secret = "method = \"无记名投票\"\ntellers  = [\"吴磊\"]\ncounters = [\"林晓燕\"]\n";
    assert!(PAST.contains(secret));
    let unwritten = Test::new()
        .example()
        .file("2026Q4/往期/2025-10-30-支部党员大会.toml", &PAST.replacen(secret, "", 1))
        .args(&["check", "2026Q4/发展党员/郑丽华.toml", "--today", TODAY])
        .run();
    let d = diagnostic(&unwritten, "接收预备党员的决议").expect(&unwritten.stderr);
    assert!(
        d.contains(
            "“../往期/2025-10-30-支部党员大会.toml”中接收预备党员的决议没有写表决方式（method），按举手表决计，\
             应采取无记名投票方式表决（《中国共产党发展党员工作细则》第二十一条）"
        ),
        "{d}"
    );
    assert!(d.contains("郑丽华.toml:32:15") && d.contains("字段 admission.meeting"), "{d}");

    // 举手 written: the same finding, in its words.
    let shown = Test::new()
        .example()
        .file("2026Q4/往期/2025-10-30-支部党员大会.toml", &PAST.replacen(secret, "method = \"举手\"\n", 1))
        .args(&["check", "2026Q4/发展党员/郑丽华.toml", "--today", TODAY])
        .run();
    let d = diagnostic(&shown, "接收预备党员的决议").expect(&shown.stderr);
    assert!(d.contains("中接收预备党员的决议是举手表决的，应采取无记名投票方式表决"), "{d}");
    assert!(diagnostic(&shown, "预备党员转正的决议").is_none(), "{}", shown.stderr);
}

#[test]
fn exactly_one_year_as_activist_passes_and_one_day_short_is_a_finding() {
    let year = check(&liming("date        = 2026-05-11", "date        = 2026-04-14"));
    assert!(!year.stderr.contains("第十三条"), "{}", year.stderr);
    let short = check(&liming("date        = 2026-05-11", "date        = 2026-04-13"));
    let d = diagnostic(&short, "第十三条").expect(&short.stderr);
    assert!(
        d.contains("确定为发展对象（2026年4月13日）时，入党积极分子培养不满一年（2025年4月14日起，最早2026年4月14日）"),
        "{d}"
    );
    assert!(d.contains("2026Q4/发展党员/x.toml:21:15"), "{d}");
    assert!(d.contains("candidate.date（确定为发展对象日期）"), "{d}");
}

#[test]
fn the_talk_may_come_exactly_one_month_after_the_application() {
    let month = check(&liming("talk = { date = 2024-03-28", "talk = { date = 2024-04-11"));
    assert!(!month.stderr.contains("一个月"), "{}", month.stderr);
    let late = check(&liming("talk = { date = 2024-03-28", "talk = { date = 2024-04-12"));
    let d = diagnostic(&late, "谈话日期2024年4月12日晚于递交申请书后一个月（2024年4月11日）").expect(&late.stderr);
    assert!(d.contains("x.toml:10:17"), "{d}");
}

#[test]
fn approval_on_the_last_allowed_day_passes_and_one_day_later_is_a_finding() {
    let on_time = check_on(
        &liming(
            "talk        = { date = 2026-11-20, by = \"孙丽\" }",
            "talk        = { date = 2026-11-20, by = \"孙丽\" }\napproval    = 2027-02-05",
        ),
        "2027-03-01",
    );
    assert!(!on_time.stderr.contains("超过支部大会"), "{}", on_time.stderr);
    let late = check_on(
        &liming(
            "talk        = { date = 2026-11-20, by = \"孙丽\" }",
            "talk        = { date = 2026-11-20, by = \"孙丽\" }\napproval    = 2027-02-06",
        ),
        "2027-03-01",
    );
    let d = diagnostic(&late, "上级党委审批（2027年2月6日）超过支部大会（2026年11月5日）后三个月（2027年2月5日）")
        .expect(&late.stderr);
    assert!(d.contains("admission.approval（上级党委审批日期）"), "{d}");
    // A reason allows up to six months.
    let reason = check_on(&liming("talk        = { date = 2026-11-20, by = \"孙丽\" }", "talk        = { date = 2026-11-20, by = \"孙丽\" }\napproval    = 2027-02-06\napproval_delay_reason = \"上级党委换届\""), "2027-03-01");
    assert!(!reason.stderr.contains("超过支部大会"), "{}", reason.stderr);
}

#[test]
fn training_needs_three_days_and_24_hours() {
    let full = check(&liming("hours = 24", "hours = 24"));
    assert!(!full.stderr.contains("集中培训"), "{}", full.stderr);
    let hours = check(&liming("hours = 24", "hours = 23"));
    let d = diagnostic(&hours, "第十七条").expect(&hours.stderr);
    assert!(d.contains("集中培训3天、23学时，不足3天、24学时"), "{d}");
    let days = check(&liming("to = 2026-06-24, hours = 24", "to = 2026-06-23, hours = 24"));
    assert!(diagnostic(&days, "集中培训2天、24学时").is_some(), "{}", days.stderr);
}

#[test]
fn a_probationary_member_cannot_introduce() {
    let out = check(&liming("introducers = [\"刘洋\", \"周敏\"]", "introducers = [\"刘洋\", \"郭鹏\"]"));
    let d = diagnostic(&out, "第十四条").expect(&out.stderr);
    assert!(d.contains("郭鹏（预备党员）没有表决权，不能作入党介绍人"), "{d}");
    assert!(d.contains("x.toml:24:15"), "{d}");
    let one = check(&liming("introducers = [\"刘洋\", \"周敏\"]", "introducers = [\"刘洋\"]"));
    assert!(diagnostic(&one, "入党介绍人应为2名有表决权的正式党员，写了1人").is_some(), "{}", one.stderr);
    let stranger = check(&liming("introducers = [\"刘洋\", \"周敏\"]", "introducers = [\"刘洋\", \"周明\"]"));
    stranger.assert_status(1);
    assert!(
        diagnostic(&stranger, "入党介绍人“周明”不在党员名册中").is_some_and(|d| d.contains("周敏")),
        "{}",
        stranger.stderr
    );
}

#[test]
fn a_referenced_meeting_must_be_of_the_right_kind_on_the_right_date_with_the_decision() {
    let kind = check(&liming(
        "meeting     = \"../2026-11-05-支部党员大会.toml\"",
        "meeting     = \"../2026-10-09-支委会.toml\"",
    ));
    kind.assert_status(1);
    let d =
        diagnostic(&kind, "“../2026-10-09-支委会.toml”是支委会的记录，这一步应由支部党员大会决定").expect(&kind.stderr);
    assert!(d.contains("admission.meeting（接收预备党员的支部党员大会记录）"), "{d}");
    let date = check(&liming(
        "recommended = \"党员推荐\"",
        "recommended = \"党员推荐\"\nmeeting     = \"../2026-10-09-支委会.toml\"",
    ));
    date.assert_status(1);
    assert!(
        diagnostic(&date, "会议日期是2026年10月9日，与本步骤的日期2025年4月14日不一致").is_some(),
        "{}",
        date.stderr
    );
    let other = Test::new()
        .example()
        .file(
            "2026Q4/发展党员/王雪.toml",
            &include_str!("../examples/2026Q4/发展党员/王雪.toml")
                .replace("[extra]", "[admission]\ncommittee_review = \"../2026-10-09-支委会.toml\"\n\n[extra]"),
        )
        .args(&["check", "2026Q4/发展党员/王雪.toml", "--today", TODAY])
        .run();
    other.assert_status(1);
    assert!(
        diagnostic(&other, "中没有关于王雪的决议（decisions 中没有 applicant = \"王雪\"）").is_some(),
        "{}",
        other.stderr
    );
    let missing = check(&liming(
        "meeting     = \"../2026-11-05-支部党员大会.toml\"",
        "meeting     = \"../2026-11-06-支部党员大会.toml\"",
    ));
    assert!(diagnostic(&missing, "找不到会议记录").is_some(), "{}", missing.stderr);
}

/// The 11-05 meeting with six of its twelve voters away (its election left out, its speakers
/// among them silent): exactly half, no quorum.
fn thin_meeting() -> String {
    let meeting = include_str!("../examples/2026Q4/2026-11-05-支部党员大会.toml");
    let away =
        ["徐文博", "何婷", "孙伟", "周敏"].map(|n| format!("\n  {{ name = \"{n}\", reason = \"出差\" }},")).concat();
    let mut thin = replaced(
        meeting,
        "  { name = \"马俊\", reason = \"病假\" },",
        &format!("  {{ name = \"马俊\", reason = \"病假\" }},{away}"),
    );
    for (from, to) in [
        ("votes  = { yes = 10, no = 0, abstain = 0 }", "votes  = { yes = 6, no = 0, abstain = 0 }"),
        ("votes  = { yes = 10, no = 0, abstain = 1, written = 1 }", "votes  = { yes = 6, no = 0, abstain = 0 }"),
    ] {
        thin = replaced(&thin, from, to);
    }
    let silent = |l: &str| ["何婷", "孙伟", "周敏"].iter().any(|n| l.starts_with(&format!("  {{ speaker = \"{n}\"")));
    thin = thin.lines().filter(|l| !silent(l)).map(|l| format!("{l}\n")).collect();
    let (election, summary) = (
        thin.find("[[decisions]]\ntext    = \"选举").expect("the election"),
        thin.find("[summary]").expect("the summary"),
    );
    thin.replace_range(election..summary, "");
    thin
}

/// `text` with `from` replaced by `to` once; `from` must be there.
fn replaced(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from}");
    text.replacen(from, to, 1)
}

#[test]
fn an_admission_vote_without_its_quorum_is_a_finding_from_the_meeting_record() {
    let out = Test::new()
        .example()
        .file("2026Q4/2026-11-05-支部党员大会.toml", &thin_meeting())
        .args(&["check", "2026Q4/发展党员/李明.toml", "--today", TODAY])
        .run();
    let d = diagnostic(&out, "到会人数不足").expect(&out.stderr);
    assert!(d.contains("须超过应到会有表决权党员的半数，至少7人，实到6人），接收预备党员的表决无效"), "{d}");
    assert!(d.contains("第二十条"), "{d}");
    assert!(d.contains("李明.toml:33:15"), "{d}");
}

#[test]
fn the_confirmation_meeting_must_come_after_the_probation_ends() {
    let typed =
        |date: &str| zheng("meeting     = \"../2026-11-05-支部党员大会.toml\"", &format!("date        = {date}"));
    let before = check(&typed("2026-10-28"));
    let d = diagnostic(&before, "第三十二条").expect(&before.stderr);
    assert!(
        d.contains("讨论转正的支部党员大会（2026年10月28日）在预备期（2025年10月30日至2026年10月29日）满之前"),
        "{d}"
    );
    let last_day = check(&typed("2026-10-29"));
    assert!(diagnostic(&last_day, "在预备期").is_some(), "{}", last_day.stderr);
    let after = check(&typed("2026-10-30"));
    assert!(diagnostic(&after, "在预备期").is_none(), "{}", after.stderr);
    // A date typed instead of a meeting record cannot be checked: said so.
    assert!(diagnostic(&after, "没有会议记录可以核对").is_some(), "{}", after.stderr);
}

#[test]
fn an_extension_is_six_to_twelve_months() {
    let extended = |months: u32| {
        let text = zheng("meeting     = \"../2026-11-05-支部党员大会.toml\"", "date        = 2026-10-30").replacen(
            "outcome     = \"按期转正\"",
            &format!("outcome     = \"延长预备期\"\nextension_months = {months}"),
            1,
        );
        check(&text)
    };
    for (months, finding) in [(5, true), (6, false), (12, false)] {
        let out = extended(months);
        let found = diagnostic(&out, &format!("延长预备期{months}个月，应不少于半年、不超过一年")).is_some();
        assert_eq!(found, finding, "{months}: {}", out.stderr);
        assert!(diagnostic(&out, "超过一年：").is_none(), "{months}: {}", out.stderr);
    }
    // More than a year: one extension of at most a year, or a second one; either way a rule
    // broken, a finding (development.md), and the record still renders.
    for months in [13, 18, 24] {
        let out = extended(months);
        out.assert_status(0);
        let d = diagnostic(&out, &format!("延长预备期{months}个月，超过一年：预备期只能延长一次，最长不超过一年"))
            .unwrap_or_else(|| panic!("{months}: {}", out.stderr));
        assert!(d.starts_with("发现: "), "{d}");
        assert!(d.contains("《中国共产党章程》第七条"), "{d}");
        assert!(d.contains("--> 2026Q4/发展党员/x.toml:44:20\n"), "{d}");
        assert!(d.contains("字段 probation.extension_months（延长预备期月数）"), "{d}");
    }
    // Without 延长预备期 there is nothing to extend.
    let out = check(&zheng("outcome     = \"按期转正\"", "outcome     = \"按期转正\"\nextension_months = 6"));
    out.assert_status(1);
    assert!(diagnostic(&out, "只有“延长预备期”才写延长月数").is_some(), "{}", out.stderr);
}

#[test]
fn a_second_extension_decided_by_the_meeting_is_a_finding_at_the_meeting() {
    const MEETING: &str = include_str!("../examples/2026Q4/2026-11-05-支部党员大会.toml");
    let decided = |text: &str| {
        let meeting = MEETING.replacen("同意郑丽华同志按期转为中共正式党员，报局党委审批", text, 1);
        assert_ne!(meeting, MEETING);
        let record = zheng("outcome     = \"按期转正\"", "outcome     = \"延长预备期\"\nextension_months = 6");
        Test::new()
            .example()
            .file("2026Q4/2026-11-05-支部党员大会.toml", &meeting)
            .file("2026Q4/发展党员/x.toml", &record)
            .args(&["check", "2026Q4/发展党员/x.toml", "--today", TODAY])
            .run()
    };
    let out = decided("同意再次延长郑丽华同志预备期六个月");
    out.assert_status(0);
    let d = diagnostic(&out, "支部大会的决议是“同意再次延长郑丽华同志预备期六个月”：预备期只能延长一次")
        .unwrap_or_else(|| panic!("{}", out.stderr));
    assert!(d.starts_with("发现: "), "{d}");
    assert!(d.contains("--> 2026Q4/发展党员/x.toml:42:15\n"), "{d}");
    assert!(d.contains("字段 probation.meeting（讨论转正的支部党员大会记录）"), "{d}");
    // The first extension is no finding, also when its text says 继续 or 不再延长.
    for first in [
        "同意延长郑丽华同志预备期六个月",
        "同意延长郑丽华同志预备期六个月，继续延长期间加强教育考察",
        "同意延长郑丽华同志预备期六个月，期满后不再延长",
    ] {
        let out = decided(first);
        assert!(diagnostic(&out, "只能延长一次").is_none(), "{first}: {}", out.stderr);
        assert!(!out.stderr.contains("错误: "), "{first}: {}", out.stderr);
    }
}

#[test]
fn publicity_needs_five_working_days() {
    // 2026-10-19 (Monday) to 10-22: four working days.
    let out = check(&liming(
        "publicity   = { from = 2026-10-19, to = 2026-10-23 }",
        "publicity   = { from = 2026-10-19, to = 2026-10-22 }",
    ));
    assert!(
        diagnostic(&out, "拟接收预备党员公示2026年10月19日至2026年10月22日只有4个工作日，少于5个工作日").is_some(),
        "{}",
        out.stderr
    );
    // Across 国庆: 9/28–10/9 has 5 working days (10/1–10/7 off).
    let ok = check(ZHENG);
    assert!(diagnostic(&ok, "拟转正公示").is_none(), "{}", ok.stderr);
    // A local rule of 7 working days.
    let strict = Test::new()
        .example()
        .file(
            "2026Q4/branch.toml",
            &format!("{}\n[rules.\"发展党员\"]\npublicity_days = 7\n", include_str!("../examples/2026Q4/branch.toml")),
        )
        .args(&["check", "2026Q4/发展党员/李明.toml", "--today", TODAY])
        .run();
    assert!(diagnostic(&strict, "只有5个工作日，少于7个工作日").is_some(), "{}", strict.stderr);
}

#[test]
fn a_step_out_of_order_or_in_the_future_is_an_error_at_its_place() {
    let out = check(&liming("filed       = 2025-04-21", "filed       = 2025-04-01"));
    out.assert_status(1);
    let d = diagnostic(&out, "报上级党委备案日期（2025年4月1日）早于确定为入党积极分子日期（2025年4月14日）")
        .expect(&out.stderr);
    assert!(d.contains("x.toml:15:15"), "{d}");
    let future = check(&liming("form        = 2026-10-26", "form        = 2026-12-26"));
    assert!(
        diagnostic(&future, "填写入党志愿书日期（2026年12月26日）在今天（2026年12月1日）之后").is_some(),
        "{}",
        future.stderr
    );
}

#[test]
fn an_applicant_under_18_is_a_finding() {
    let out = check(&liming("birth_date = 1996-08-15", "birth_date = 2006-03-12"));
    assert!(
        diagnostic(&out, "递交入党申请书时（2024年3月11日）未满十八岁（出生日期2006年3月12日）")
            .is_some_and(|d| d.contains("第五条")),
        "{}",
        out.stderr
    );
    let birthday = check(&liming("birth_date = 1996-08-15", "birth_date = 2006-03-11"));
    assert!(diagnostic(&birthday, "未满十八岁").is_none(), "{}", birthday.stderr);
}

#[test]
fn a_decision_naming_an_applicant_without_a_record_is_a_finding() {
    let test = Test::new().example();
    std::fs::remove_file(test.path("2026Q4/发展党员/李明.toml")).unwrap();
    let out = test.args(&["check", "2026Q4", "--today", TODAY]).run();
    let d =
        diagnostic(&out, "决议涉及接收预备党员的“李明”，但本次处理的文件中没有李明的发展党员记录").expect(&out.stderr);
    assert!(d.contains("2026-11-05-支部党员大会.toml:"), "{d}");
    assert!(d.contains("pdb new 发展党员 --name 李明"), "{d}");
    // The 支委会's step about him too.
    assert!(diagnostic(&out, "2026-10-09-支委会.toml").is_some_and(|d| d.contains("李明")), "{}", out.stderr);
}

#[test]
fn the_record_and_the_publicity_state_the_facts_in_both_formats() {
    let out = Test::new()
        .example()
        .args(&["render", "2026Q4", "-o", "out", "--format", "typst,markdown", "--today", TODAY])
        .run();
    out.assert_status(0);
    for ext in ["md", "typ"] {
        // Typst escapes ASCII punctuation (2026\-11\-05): compare the text.
        let record = out.read(&format!("out/发展党员/李明/01-发展党员全程纪实表.{ext}")).replace('\\', "");
        for fact in [
            "李明",
            "局办公室",
            "预备党员",
            "2026年11月5日至2027年11月4日",
            "2024年3月11日",
            "刘洋、周敏",
            "无记名投票，同意10票，反对0票，弃权0票",
            "2026-11-05-支部党员大会",
        ] {
            assert!(record.contains(fact), "{ext} lacks {fact}:\n{record}");
        }
        // Not yet done: the oath is a blank, approval is 待办 with its due date.
        assert!(record.contains("入党宣誓"), "{record}");
        assert!(record.contains("＿＿＿＿"), "{record}");
        assert!(record.contains("2027年2月5日前"), "{record}");
        let publicity = out.read(&format!("out/发展党员/李明/03-拟接收预备党员公示.{ext}")).replace('\\', "");
        for fact in [
            "拟接收预备党员公示",
            "拟接收李明同志为中共预备党员",
            "并经中共某某县卫生健康局委员会预审同意",
            "2026年10月19日至2026年10月23日（5个工作日）",
            "刘洋",
            "中共某某县卫生健康局机关第一支部委员会",
            "入党介绍人：刘洋、周敏",
        ] {
            assert!(publicity.contains(fact), "{ext} lacks {fact}:\n{publicity}");
        }
    }
    // A 积极分子: later stages are 待办 without dates, the 发展对象 step shows its earliest day.
    let chen = out.read("out/发展党员/陈晨/01-发展党员全程纪实表.md");
    assert!(chen.contains("当前阶段：入党积极分子"), "{chen}");
    assert!(chen.contains("待办（最早2027年6月15日）"), "{chen}");
    assert!(chen.contains("预备期：＿＿＿＿"), "{chen}");
    // Only recorded 公示 are written.
    assert!(!out.path("out/发展党员/陈晨/02-发展对象公示.md").exists());
    let ledger = out.read("out/发展党员工作台账.md");
    for row in ["| 郑丽华 | 预备党员 |", "| 李明 | 预备党员 |", "| 王雪 | 发展对象 |", "| 陈晨 | 入党积极分子 |"]
    {
        assert!(ledger.contains(row), "{row}:\n{ledger}");
    }
}

#[test]
fn new_writes_a_commented_skeleton_that_checks() {
    let out = Test::new().example().current_dir("2026Q4").args(&["new", "发展党员", "--name", "赵敏"]).run();
    out.assert_status(0);
    let text = out.read("2026Q4/赵敏-发展党员.toml");
    assert!(text.contains("name       = \"赵敏\""), "{text}");
    assert!(text.contains("# [candidate]"), "{text}");
    let again = Test::new()
        .example()
        .file("2026Q4/赵敏-发展党员.toml", &text)
        .args(&["check", "2026Q4/赵敏-发展党员.toml", "--today", TODAY])
        .run();
    again.assert_status(0);
}

const DUE: &str = r#"kind = "发展党员"
name = "郑丽华"
birth_date = 1995-02-03

[application]
date = 2024-02-20
talk = { date = 2024-03-10, by = ["张建国"] }

[admission]
date = 2026-02-10
"#;

#[test]
fn plan_adds_exactly_the_due_confirmations_once() {
    let later = DUE.replace("郑丽华", "郭鹏").replace("date = 2026-02-10", "date = 2026-05-10");
    let test = Test::new()
        .file("q/branch.toml", include_str!("../examples/2026Q4/branch.toml"))
        .file("q/发展党员/郑丽华.toml", DUE)
        .file("q/发展党员/郭鹏.toml", &later)
        .current_dir("q")
        .args(&["plan", "2027Q1"]);
    let out = test.run();
    out.assert_status(0);
    assert!(out.stdout.contains("已加入 郑丽华同志的转正议程"), "{}", out.stdout);
    let congress: Vec<_> =
        out.files("q", "toml").into_iter().filter(|p| p.to_string_lossy().contains("支部党员大会")).collect();
    assert_eq!(congress.len(), 1, "{congress:?}");
    let text = std::fs::read_to_string(&congress[0]).unwrap();
    assert_eq!(text.matches("applicant = \"郑丽华\"").count(), 1, "{text}");
    assert!(!text.contains("郭鹏"), "{text}");
    let name = congress[0].file_name().unwrap().to_string_lossy().into_owned();
    let again = out.then_in("q", &["plan", "2027Q1"]);
    assert!(again.stdout.contains("已有，跳过 郑丽华同志的转正议程"), "{}", again.stdout);
    assert_eq!(again.read(&format!("q/{name}")), text);
}

#[test]
fn a_second_render_leaves_an_unchanged_record_unchanged() {
    let args = ["render", "2026Q4/发展党员/李明.toml", "-o", "out", "--format", "markdown", "--today", TODAY];
    let first = Test::new().example().args(&args).run();
    first.assert_status(0);
    assert!(first.stdout.contains("生成 2026Q4/发展党员/李明.toml"), "{}", first.stdout);
    let second = first.again().args(&args).run();
    assert!(second.stdout.contains("生成 0 个，未变 1 个"), "{}", second.stdout);
    // A changed record is written again.
    second.write(
        "2026Q4/发展党员/李明.toml",
        &LIMING.replacen("unit       = \"局办公室\"", "unit       = \"局财务科\"", 1),
    );
    let third = second.again().args(&args).run();
    assert!(third.stdout.contains("生成 1 个，未变 0 个"), "{}", third.stdout);
    assert!(third.read("out/李明/01-发展党员全程纪实表.md").contains("局财务科"), "{third}");
}
