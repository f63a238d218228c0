//! Frequency rules that express local practice: weekly rules and their days in `pdb plan`, an
//! activity held in the form of a 支部党员大会 (`form`), one kind counting as another
//! (`counts_as`), and the yearly check that the 书记 gave a 党课 (`by_secretary`).

use std::fs;
use std::path::PathBuf;

use chrono::{Datelike, NaiveDate};
use pdb::load::{load_activity, load_branch, Branch, BranchCache};
use pdb::model::LedgerRow;
use pdb::model::{ActivityStatus, Kind};
use pdb::period::Period;
use pdb::record::Record;
use pdb::rules::frequency::{self, DayRule, Rules, SECRETARY_LECTURE_BASIS};
use pdb::Diagnostic;

use crate::common::{self, Test, BRANCH};
use chrono::Weekday::{Thu, Tue};
use ActivityStatus::{Held, Planned};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The test roster (书记 张建国, two 党小组) with `rules` appended to branch.toml.
fn branch_with(rules: &str) -> (tempfile::TempDir, Branch) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("branch.toml");
    fs::write(&path, format!("{BRANCH}{rules}")).unwrap();
    let branch = load_branch(&path).unwrap_or_else(|d| panic!("{d}"));
    (dir, branch)
}

/// The line of branch.toml where `rules` line `n` (1-based, after the leading blank line) is.
fn rules_line(n: usize) -> usize {
    BRANCH.lines().count() + 1 + n
}

fn rules_error(rules: &str) -> Diagnostic {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("branch.toml");
    fs::write(&path, format!("{BRANCH}{rules}")).unwrap();
    load_branch(&path).expect_err("the rules are invalid")
}

fn row(d: NaiveDate, kind: Kind, group: Option<&str>, status: ActivityStatus) -> LedgerRow {
    LedgerRow {
        input: PathBuf::from(format!("{d}-{}.toml", kind.short_name())),
        folder: None,
        date: d,
        kind,
        group: group.map(str::to_string),
        title: format!("{}月{}", d.format("%-m"), kind.short_name()),
        status,
        expected: 5,
        present: 5,
        on_leave: 0,
        attendance_known: true,
        decisions: Vec::new(),
        decision_kinds: Vec::new(),
        status_at: None,
        date_at: None,
        form: None,
        no_quorum: false,
        lecturer: None,
        host: "张建国".into(),
        location: "会议室".into(),
        theme: None,
        marks: Vec::new(),
    }
}

fn held(d: NaiveDate, kind: Kind) -> LedgerRow {
    row(d, kind, None, Held)
}

fn messages(findings: &[Diagnostic]) -> Vec<String> {
    findings.iter().map(|f| f.message.clone()).collect()
}

// ---- weekly rules ----

/// November 2026 with its 支委会 and 主题党日, and group meetings: the first group has none in
/// the week of 2–8 November (its 1 November meeting is a Sunday of the week before), one in the
/// week of the 9th, two in the week of the 16th, one in the week of the 23rd; the second group
/// one a week, the first on Sunday the 8th.
fn november() -> Vec<LedgerRow> {
    let mut rows = vec![held(date(2026, 11, 2), Kind::Committee), held(date(2026, 11, 6), Kind::ThemeDay)];
    for (group, days) in [("第一党小组", [1, 12, 17, 19, 26].as_slice()), ("第二党小组", &[8, 12, 19, 23])] {
        for d in days {
            rows.push(row(date(2026, 11, *d), Kind::GroupMeeting, Some(group), Held));
        }
    }
    rows
}

#[test]
fn a_weekly_rule_judges_each_week_with_zero_one_or_two_meetings() {
    // 每周召开1~2次党小组会: at least one a week.
    let (_dir, branch) = branch_with("\n[rules.\"党小组会\"]\nevery = \"每周\"\nday = \"每周四\"\n");
    let findings = frequency::check(&branch, &november(), Some(Period::Month(2026, 11)), date(2026, 12, 15));
    assert_eq!(messages(&findings), ["2026年11月2日至8日这一周第一党小组没有党小组会的记录"]);
    let finding = &findings[0];
    assert_eq!(finding.location(), format!("{}:{}:1", branch.source.path.display(), rules_line(1)));
    assert_eq!((finding.field.as_deref(), finding.label.as_deref()), (Some("rules.党小组会"), Some("频次规定")));
    assert_eq!(
        finding.help.as_deref(),
        Some(
            "branch.toml 中 [rules.\"党小组会\"] 规定每周1次。如已召开，请把它的记录文件一并交给 pdb 处理\
             （例如处理整个文件夹）；如确未召开，请按规定安排"
        )
    );

    // Twice a week: the weeks with one are short too, the week with two is not.
    let (_dir, branch) = branch_with("\n[rules.\"党小组会\"]\nevery = \"每周\"\ntimes = 2\nday = \"每周二、周四\"\n");
    let findings = frequency::check(&branch, &november(), Some(Period::Month(2026, 11)), date(2026, 12, 15));
    assert_eq!(
        messages(&findings),
        [
            "2026年11月2日至8日这一周第一党小组没有党小组会的记录",
            "2026年11月2日至8日这一周第二党小组只有 1 次党小组会的记录，应有 2 次",
            "2026年11月9日至15日这一周第一党小组只有 1 次党小组会的记录，应有 2 次",
            "2026年11月9日至15日这一周第二党小组只有 1 次党小组会的记录，应有 2 次",
            "2026年11月16日至22日这一周第二党小组只有 1 次党小组会的记录，应有 2 次",
            "2026年11月23日至29日这一周第一党小组只有 1 次党小组会的记录，应有 2 次",
            "2026年11月23日至29日这一周第二党小组只有 1 次党小组会的记录，应有 2 次",
        ]
    );
    assert!(findings[1].help.as_deref().unwrap().starts_with("branch.toml 中 [rules.\"党小组会\"] 规定每周2次。"));

    // A week counts where its Thursday is: 30 November – 6 December is December's; a week that
    // has not ended by today is not judged yet.
    let (_dir, branch) = branch_with("\n[rules.\"党小组会\"]\nevery = \"每周\"\nday = \"每周四\"\n");
    let findings = frequency::check(&branch, &november(), Some(Period::Month(2026, 11)), date(2026, 11, 28));
    assert_eq!(messages(&findings), ["2026年11月2日至8日这一周第一党小组没有党小组会的记录"]);
    let december = frequency::check(&branch, &[], Some(Period::Month(2026, 12)), date(2026, 12, 6));
    assert!(
        messages(&december).contains(&"2026年11月30日至12月6日这一周第一党小组没有党小组会的记录".to_string()),
        "{december:?}"
    );
}

#[test]
fn weekly_days_parse_from_what_secretaries_write() {
    let tue_thu = DayRule::Weekly(1 << 1 | 1 << 3);
    let cases: &[(&str, DayRule)] = &[
        ("每周四", DayRule::Weekly(1 << 3)),
        ("周四", DayRule::Weekly(1 << 3)),
        ("星期四", DayRule::Weekly(1 << 3)),
        ("每星期四", DayRule::Weekly(1 << 3)),
        ("每个礼拜四", DayRule::Weekly(1 << 3)),
        ("每周二、四", tue_thu),
        ("每周二、周四", tue_thu),
        ("周二和周四", tue_thu),
        ("每周星期二，星期四", tue_thu),
        ("每周日", DayRule::Weekly(1 << 6)),
    ];
    for (text, expected) in cases {
        assert_eq!(text.parse::<DayRule>().as_ref(), Ok(expected), "{text}");
    }
    assert_eq!(tue_thu.to_string(), "每周二、周四");
    assert_eq!(tue_thu.weekdays(), [Tue, Thu]);
    assert_eq!("每周二、八".parse::<DayRule>().unwrap_err().message, "无法识别的固定日期“每周二、八”");
    // A weekly rule's days in a week; the first of them in a month.
    assert_eq!(tue_thu.dates_in_week(Period::Week(date(2026, 11, 30))), [date(2026, 12, 1), date(2026, 12, 3)]);
    assert_eq!(DayRule::Weekly(1 << 3).date_in(Period::Month(2026, 10)), Some(date(2026, 10, 1)));
}

#[test]
fn a_rule_made_weekly_keeps_its_weekday() {
    let (_dir, branch) = branch_with(
        "\n[rules.\"党小组会\"]\nevery = \"每周\"\n\n[rules.\"党课\"]\nevery = \"每周\"\nday = \"每周四\"\n",
    );
    let rules = Rules::for_branch(&branch);
    // Built in: 第三个星期二. Made weekly without a day: every Tuesday.
    let group = rules.get(Kind::GroupMeeting).unwrap();
    assert_eq!((group.day.as_deref(), group.month), (Some("每周二"), None));
    let plan: Vec<(NaiveDate, Kind)> = frequency::planned(&rules, &["第一党小组".into()], Period::Month(2026, 11))
        .into_iter()
        .filter(|p| matches!(p.kind, Kind::GroupMeeting | Kind::Lecture))
        .map(|p| (p.date, p.kind))
        .collect();
    use Kind::{GroupMeeting as G, Lecture as L};
    assert_eq!(
        plan,
        [
            (date(2026, 11, 3), G),
            (date(2026, 11, 5), L),
            (date(2026, 11, 10), G),
            (date(2026, 11, 12), L),
            (date(2026, 11, 17), G),
            (date(2026, 11, 19), L),
            (date(2026, 11, 24), G),
            (date(2026, 11, 26), L),
        ]
    );
}

#[test]
fn bad_weekly_rules_are_caught_when_the_branch_is_read() {
    let error = rules_error("\n[rules.\"党小组会\"]\nevery = \"每周\"\ntimes = 2\nday = \"每周四\"\n");
    assert_eq!((error.line, error.column), (Some(rules_line(3)), Some(9)));
    assert_eq!((error.field.as_deref(), error.label.as_deref()), (Some("rules.党小组会.times"), Some("每期次数")));
    assert_eq!(error.message, "党小组会每周至少2次，但固定日期“每周四”每周只有1天");
    assert_eq!(
        error.help.as_deref(),
        Some("在 day 中写出每周哪几天开，例如 day = \"每周二、周四\"；每周“1~2次”的，times 写至少的次数 1")
    );

    let error = rules_error("\n[rules.\"党课\"]\nevery = \"每周\"\nday = \"第二个星期二\"\n");
    assert_eq!((error.line, error.column), (Some(rules_line(3)), Some(7)));
    assert_eq!((error.field.as_deref(), error.label.as_deref()), (Some("rules.党课.day"), Some("固定日期")));
    assert_eq!(error.message, "党课每周召开，固定日期“第二个星期二”却是每月的某一天");
    assert_eq!(error.help.as_deref(), Some("每周召开的写星期几，例如 day = \"每周四\"、\"每周二、周四\""));

    let error = rules_error("\n[rules.\"支委会\"]\nday = \"每周一\"\n");
    assert_eq!(error.message, "“每周一”是每周的日子，但支委会每月召开");
    assert_eq!(
        error.help.as_deref(),
        Some("每周召开时写 every = \"每周\"；每月召开的写每月的某一天，例如 \"第一个星期一\"")
    );

    let error = rules_error("\n[rules.\"党课\"]\nevery = \"每周\"\nmonth = 2\n");
    assert_eq!(error.message, "党课每周召开，不需要 month = 2");
    assert_eq!(error.help.as_deref(), Some("每周召开的活动不用写 month，请删去这一行"));
}

/// Files by kind: the part of `2026-10-20-党小组会-第一党小组.toml` after the date.
fn by_kind(out: &common::Output, dir: &str) -> Vec<(String, usize)> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for path in out.files(dir, "toml") {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        if name == "branch" {
            continue;
        }
        let kind = name[11..].split('-').next().unwrap().to_string();
        match counts.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => *n += 1,
            None => counts.push((kind, 1)),
        }
    }
    counts.sort();
    counts
}

const WEEKLY: &str = "\n[rules.\"党小组会\"]\nevery = \"每周\"\nday = \"每周二、周四\"\n\n[rules.\"党课\"]\nevery = \"每周\"\nday = \"每周四\"\nstart = 19:00:00\n";

#[test]
fn plan_writes_the_weekly_meetings_on_their_days() {
    let out = Test::new().branch(&format!("{BRANCH}{WEEKLY}")).args(&["plan", "2026-11"]).run();
    out.assert_status(0);
    // Four Thursdays of 党课; Tuesdays and Thursdays of each group's 党小组会.
    let expected: Vec<(String, usize)> = [("主题党日", 1), ("党小组会", 16), ("党课", 4), ("支委会", 1)]
        .iter()
        .map(|(k, n)| (k.to_string(), *n))
        .collect();
    let mut expected = expected;
    expected.sort();
    assert_eq!(by_kind(&out, "."), expected, "{out}");
    assert!(out.stdout.contains("2026年11月共 22 次会议：写入 22 个文件，已存在 0 个。"), "{out}");
    for name in ["2026-11-03-党小组会-第一党小组", "2026-11-05-党小组会-第二党小组", "2026-11-24-党小组会-第一党小组"]
    {
        assert!(out.path(&format!("{name}.toml")).is_file(), "{name}\n{out}");
    }
    let lecture = out.read("2026-11-26-党课.toml");
    assert!(lecture.contains("start    = 19:00:00"), "{lecture}");
    assert!(lecture.contains("date     = 2026-11-26"), "{lecture}");
    // The planned files check as they are; a second run writes nothing.
    let checked = out.then(&["check", "."]);
    checked.assert_status(0);
    assert!(checked.stdout.contains("共 22 个活动"), "{checked}");
    let again = checked.then(&["plan", "2026-11"]);
    assert!(again.stdout.contains("写入 0 个文件，已存在 22 个"), "{again}");
    // December's first week starts on 30 November: its Tuesday and Thursday are December's.
    let december = again.then(&["plan", "2026-12"]);
    assert!(december.path("2026-12-01-党小组会-第一党小组.toml").is_file(), "{december}");
    assert!(december.path("2026-12-03-党课.toml").is_file(), "{december}");
}

#[test]
fn plan_keeps_a_weekly_meeting_moved_within_its_week() {
    let moved = format!(
        "{}group    = \"第一党小组\"\n",
        common::header("党小组会").replace("2026-11-05", "2026-11-04").replace("张建国", "孙伟")
    );
    let out = Test::new()
        .branch(&format!("{BRANCH}{WEEKLY}"))
        .file("2026-11-04-党小组会-第一党小组.toml", &moved)
        .args(&["plan", "2026-11"])
        .run();
    out.assert_status(0);
    // Wednesday's meeting stands for that week's Tuesday; Thursday's is still planned.
    assert!(out.stdout.contains("已存在，跳过 2026-11-04-党小组会-第一党小组.toml（第一党小组党小组会）"), "{out}");
    assert!(!out.path("2026-11-03-党小组会-第一党小组.toml").exists(), "{out}");
    assert!(out.path("2026-11-05-党小组会-第一党小组.toml").is_file(), "{out}");
    assert!(out.path("2026-11-03-党小组会-第二党小组.toml").is_file(), "{out}");
}

// ---- form and counts_as ----

/// A year of 支委会, 主题党日 and group meetings, with 支部党员大会 in Q1–Q3 only; 党课 by the 书记
/// every quarter; a 民主评议党员 in December.
fn year_without_a_q4_congress() -> Vec<LedgerRow> {
    let mut rows = Vec::new();
    for m in 1..=12 {
        rows.push(held(date(2026, m, 5), Kind::Committee));
        rows.push(held(date(2026, m, 2), Kind::ThemeDay));
        rows.push(row(date(2026, m, 12), Kind::GroupMeeting, Some("第一党小组"), Held));
        rows.push(row(date(2026, m, 13), Kind::GroupMeeting, Some("第二党小组"), Held));
    }
    for m in [1, 4, 7] {
        rows.push(held(date(2026, m, 14), Kind::PartyCongress));
    }
    for m in [1, 4, 7, 10] {
        rows.push(LedgerRow { lecturer: Some("张建国".into()), ..held(date(2026, m, 15), Kind::Lecture) });
    }
    rows.push(held(date(2026, 12, 17), Kind::Review));
    rows
}

fn year_findings(branch: &Branch, rows: &[LedgerRow]) -> Vec<String> {
    messages(&frequency::check(branch, rows, Some(Period::Year(2026)), date(2027, 1, 15)))
}

#[test]
fn an_org_life_meeting_held_as_a_party_congress_counts_for_the_quarter() {
    let (_dir, branch) = branch_with("");
    let mut rows = year_without_a_q4_congress();
    rows.push(held(date(2026, 12, 10), Kind::OrgLife));
    assert_eq!(year_findings(&branch, &rows), ["2026年第四季度没有支部党员大会的记录"]);
    // Held as a 支部党员大会: it counts for both.
    rows.last_mut().unwrap().form = Some(Kind::PartyCongress);
    assert_eq!(year_findings(&branch, &rows), Vec::<String>::new());
    // Only where it was held: moved to September, Q4 lacks its 党员大会 again (and Q3 has two).
    rows.last_mut().unwrap().date = date(2026, 9, 10);
    assert_eq!(year_findings(&branch, &rows), ["2026年第四季度没有支部党员大会的记录"]);
    // A planned one counts for nothing.
    let last = rows.last_mut().unwrap();
    (last.date, last.status) = (date(2026, 12, 10), Planned);
    let findings = year_findings(&branch, &rows);
    assert_eq!(
        findings[..2],
        [
            "2026年第四季度没有已召开的支部党员大会：2026年12月10日的组织生活会仍是计划状态，计划不算召开",
            "2026年没有已召开的组织生活会：2026年12月10日的组织生活会仍是计划状态，计划不算召开",
        ]
    );
}

#[test]
fn a_review_held_as_a_party_congress_counts_too() {
    let (_dir, branch) = branch_with("");
    let mut rows = year_without_a_q4_congress();
    rows.push(held(date(2026, 12, 10), Kind::OrgLife));
    rows.iter_mut().find(|r| r.kind == Kind::Review).unwrap().form = Some(Kind::PartyCongress);
    assert_eq!(year_findings(&branch, &rows), Vec::<String>::new());
}

#[test]
fn counts_as_makes_one_kind_count_for_another() {
    let mut rows = year_without_a_q4_congress();
    rows.push(held(date(2026, 12, 10), Kind::OrgLife));
    let (_dir, plain) = branch_with("");
    assert_eq!(year_findings(&plain, &rows), ["2026年第四季度没有支部党员大会的记录"]);
    // Here every 主题党日 is held as a 支部党员大会.
    let (_dir, local) = branch_with("\n[rules.\"主题党日\"]\ncounts_as = [\"支部党员大会\"]\n");
    assert_eq!(year_findings(&local, &rows), Vec::<String>::new());
    // Only held ones: with October–December's 主题党日 planned, the quarter still lacks it (and
    // each month its 主题党日).
    for r in rows.iter_mut().filter(|r| r.kind == Kind::ThemeDay && r.date.month() >= 10) {
        r.status = Planned;
    }
    let findings = year_findings(&local, &rows);
    assert_eq!(
        findings[3],
        "2026年第四季度没有已召开的支部党员大会：2026年10月2日、2026年11月2日、2026年12月2日的主题党日仍是计划状态，\
         计划不算召开"
    );
}

#[test]
fn bad_counts_as_and_form_are_errors_at_their_place() {
    let error = rules_error("\n[rules.\"主题党日\"]\ncounts_as = [\"主题党日\"]\n");
    assert_eq!((error.line, error.column), (Some(rules_line(2)), Some(14)));
    assert_eq!((error.field.as_deref(), error.label.as_deref()), (Some("rules.主题党日.counts_as"), Some("同时计为")));
    assert_eq!(error.message, "主题党日本来就计为主题党日，counts_as 不用写它自己");

    let error = rules_error("\n[rules.\"主题党日\"]\ncounts_as = [\"支部党员大会\", \"党小组会\"]\n");
    assert_eq!((error.line, error.column), (Some(rules_line(2)), Some(24)));
    assert_eq!(error.message, "主题党日不能计为党小组会");

    let error = rules_error("\n[rules.\"支委会\"]\ncounts_as = [\"支部党员大会\"]\n");
    assert_eq!(error.message, "支委会不能计为支部党员大会");
    assert_eq!(
        error.help.as_deref(),
        Some("支委会的应到人员只是支部的一部分，不能代替全体党员参加的支部党员大会；请删去 counts_as")
    );

    let error = rules_error("\n[rules.\"支委会\"]\nby_secretary = 1\n");
    assert_eq!((error.line, error.column), (Some(rules_line(2)), Some(16)));
    assert_eq!(
        (error.field.as_deref(), error.label.as_deref()),
        (Some("rules.支委会.by_secretary"), Some("书记每年讲党课次数"))
    );
    assert_eq!(error.help.as_deref(), Some("把这一行移到 [rules.\"党课\"] 下"));

    // form: only an activity of the whole branch, and only as a 支部党员大会.
    let activity_error = |kind: &str, form: &str| {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("branch.toml"), BRANCH).unwrap();
        let path = dir.path().join("a.toml");
        fs::write(&path, format!("{}form     = \"{form}\"\n", common::header(kind))).unwrap();
        load_activity(&path, &BranchCache::default()).map(|_| ()).expect_err("form is wrong").remove(0)
    };
    let error = activity_error("支委会", "支部党员大会");
    assert_eq!((error.line, error.column), (Some(8), Some(12)));
    assert_eq!((error.field.as_deref(), error.label.as_deref()), (Some("form"), Some("召开形式")));
    assert_eq!(error.message, "支委会本身就是会议，不用写召开形式 form = \"支部党员大会\"");
    let error = activity_error("组织生活会", "党小组会");
    assert_eq!(error.message, "召开形式“党小组会”暂不支持：pdb 按全体党员计算组织生活会的应到人数");
    let error = activity_error("组织生活会", "大会");
    assert_eq!((error.line, error.label.as_deref()), (Some(8), Some("召开形式")));
    assert!(error.message.starts_with("无法识别的活动类型“大会”"), "{}", error.message);
}

#[test]
fn form_and_lecturer_reach_the_ledger_row() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("branch.toml"), BRANCH).unwrap();
    let cache = BranchCache::default();
    let build = |name: &str, text: String| {
        let path = dir.path().join(name);
        fs::write(&path, text).unwrap();
        let record = Record::build(load_activity(&path, &cache).unwrap()).unwrap_or_else(|e| panic!("{}", e[0]));
        LedgerRow::from_record(&record)
    };
    let org_life = build(
        "org.toml",
        format!("{}form     = \"支部党员大会\"\n\n[attendance]\nabsent = []\n", common::header("组织生活会")),
    );
    assert_eq!((org_life.kind, org_life.form), (Kind::OrgLife, Some(Kind::PartyCongress)));
    let lecture = build(
        "lecture.toml",
        format!("{}lecturer = \" 张建国 \"\n\n[attendance]\nabsent = []\n", common::header("党课")),
    );
    assert_eq!((lecture.form, lecture.lecturer.as_deref()), (None, Some("张建国")));
}

// ---- the 书记's 党课 ----

/// Four quarterly 党课 of 2026 by these lecturers (None: not written).
fn lectures(lecturers: [Option<&str>; 4]) -> Vec<LedgerRow> {
    [1, 4, 7, 10]
        .into_iter()
        .zip(lecturers)
        .map(|(m, l)| LedgerRow { lecturer: l.map(str::to_string), ..held(date(2026, m, 15), Kind::Lecture) })
        .collect()
}

fn secretary_findings(branch: &Branch, rows: &[LedgerRow], span: Period, today: NaiveDate) -> Vec<Diagnostic> {
    frequency::check(branch, rows, Some(span), today).into_iter().filter(|f| f.message.contains("书记")).collect()
}

#[test]
fn the_secretary_gives_a_lecture_a_year() {
    let (_dir, branch) = branch_with("");
    let (year, today) = (Period::Year(2026), date(2027, 1, 15));
    // Given: nothing to say.
    let given = lectures([Some("王芳"), Some("张建国"), None, Some("刘洋")]);
    assert!(secretary_findings(&branch, &given, year, today).is_empty());

    // Given by others only (one with no lecturer written).
    let others = lectures([Some("王芳"), Some("刘洋"), None, Some("王芳")]);
    let findings = secretary_findings(&branch, &others, year, today);
    assert_eq!(
        messages(&findings),
        ["2026年没有书记张建国讲党课的记录：本年 4 次党课的主讲人是王芳、刘洋、（未写主讲人）"]
    );
    let finding = &findings[0];
    assert_eq!((finding.file.clone(), finding.line), (branch.source.path.clone(), None));
    assert!(!finding.is_error());
    assert_eq!(
        finding.help.clone().unwrap(),
        format!(
            "{SECRETARY_LECTURE_BASIS}。如书记已讲过党课，请把那次党课的记录文件一并交给 pdb 处理，并在其中写明 \
             lecturer = \"张建国\"；本地另有规定的，可在 branch.toml 的 [rules.\"党课\"] 中写 by_secretary = 0 \
             关闭这项检查，或写每年的次数"
        )
    );
    assert!(SECRETARY_LECTURE_BASIS.starts_with("《中国共产党支部工作条例（试行）》第十六条"));

    // No 党课 at all; a planned one by the 书记 does not count.
    let mut none =
        vec![LedgerRow { lecturer: Some("张建国".into()), ..row(date(2026, 12, 3), Kind::Lecture, None, Planned) }];
    assert_eq!(messages(&secretary_findings(&branch, &none, year, today)), ["2026年没有书记张建国讲党课的记录"]);
    none.clear();
    assert_eq!(messages(&secretary_findings(&branch, &none, year, today)), ["2026年没有书记张建国讲党课的记录"]);

    // Judged once the year is over, when the span holds its fourth quarter.
    assert!(secretary_findings(&branch, &others, Period::Quarter(2026, 4), today).len() == 1);
    assert!(secretary_findings(&branch, &others, Period::Quarter(2026, 3), today).is_empty());
    assert!(secretary_findings(&branch, &others, year, date(2026, 12, 30)).is_empty());
}

#[test]
fn the_secretarys_lectures_follow_local_rules() {
    let (year, today) = (Period::Year(2026), date(2027, 1, 15));
    let once = lectures([Some("张建国"), Some("王芳"), Some("王芳"), Some("王芳")]);
    let (_dir, twice) = branch_with("\n[rules.\"党课\"]\nby_secretary = 2\n");
    let findings = secretary_findings(&twice, &once, year, today);
    assert_eq!(messages(&findings), ["2026年书记张建国只讲了 1 次党课，应至少 2 次"]);
    assert_eq!(findings[0].location(), format!("{}:{}:16", twice.source.path.display(), rules_line(2)));
    assert_eq!(
        (findings[0].field.as_deref(), findings[0].label.as_deref()),
        (Some("rules.党课.by_secretary"), Some("书记每年讲党课次数"))
    );
    assert_eq!(
        findings[0].help.as_deref(),
        Some(
            "branch.toml 中 [rules.\"党课\"] 规定书记每年至少讲2次党课。如书记已讲过党课，请把那次党课的记录文件\
             一并交给 pdb 处理，并在其中写明 lecturer = \"张建国\""
        )
    );
    let (_dir, off) = branch_with("\n[rules.\"党课\"]\nby_secretary = 0\n");
    assert!(secretary_findings(&off, &[], year, today).is_empty());
    // A 主题党日 that counts as a 党课, given by the 书记, is his 党课.
    let (_dir, counted) = branch_with("\n[rules.\"主题党日\"]\ncounts_as = [\"党课\"]\n");
    let theme = vec![LedgerRow { lecturer: Some("张建国".into()), ..held(date(2026, 7, 1), Kind::ThemeDay) }];
    assert!(secretary_findings(&counted, &theme, year, today).is_empty());
}

#[test]
fn every_builtin_finding_cites_its_article() {
    let (_dir, branch) = branch_with("");
    let findings = frequency::check(
        &branch,
        &[held(date(2026, 12, 30), Kind::Other)],
        Some(Period::Year(2026)),
        date(2027, 1, 15),
    );
    let help = |needle: &str| {
        findings
            .iter()
            .find(|f| f.message.contains(needle))
            .and_then(|f| f.help.as_deref())
            .map(|h| h.split('。').next().unwrap().to_string())
            .unwrap_or_else(|| panic!("{needle}: {findings:?}"))
    };
    let regulation = "《中国共产党支部工作条例（试行）》";
    assert_eq!(help("支部党员大会"), format!("{regulation}第十一条规定支部党员大会一般每季度召开1次"));
    assert_eq!(help("支委会"), format!("{regulation}第十二条规定党支部委员会会议一般每月召开1次"));
    assert_eq!(help("党小组会"), format!("{regulation}第十三条规定党小组会一般每月召开1次"));
    assert_eq!(
        help("季度没有党课"),
        format!("{regulation}第十六条要求党员按期上党课，未规定次数；通行做法是每季度至少1次")
    );
    assert_eq!(help("主题党日"), format!("{regulation}第十六条规定党支部每月相对固定1天开展主题党日"));
    assert_eq!(help("组织生活会"), format!("{regulation}第十七条规定党支部每年至少召开1次组织生活会"));
    assert_eq!(help("民主评议党员"), format!("{regulation}第十八条规定党支部一般每年开展1次民主评议党员"));
}
