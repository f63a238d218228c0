//! The frequency rules: built-in and local rules, the days `pdb plan` picks, what a period
//! requires, and the findings of a constructed year of activities.

use std::fs;
use std::path::PathBuf;

use chrono::NaiveDate;
use pdb::load::{load_branch, Branch};
use pdb::model::LedgerRow;
use pdb::model::{ActivityStatus, Every, Kind};
use pdb::period::Period;
use pdb::rules::frequency::{self, DayRule, Required, Rules};
use pdb::Diagnostic;

use chrono::Weekday::{Fri, Mon, Thu, Tue, Wed};
use ActivityStatus::{Held, Planned};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The test roster (two 党小组) with `rules` appended to branch.toml.
fn branch(rules: &str) -> (tempfile::TempDir, Branch) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("branch.toml");
    fs::write(&path, format!("{}{rules}", crate::common::BRANCH)).unwrap();
    let branch = load_branch(&path).unwrap_or_else(|d| panic!("{d}"));
    (dir, branch)
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
        status_at: (status == Planned).then_some((2, 13)),
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

fn messages(findings: &[Diagnostic]) -> Vec<String> {
    findings.iter().map(|f| f.message.clone()).collect()
}

/// 2026, with gaps: no 支委会 in March and August, no 支部党员大会 in Q3, no 党课 in Q4, the
/// second group without its May meeting, December's 主题党日 only planned, no 组织生活会; the 书记
/// 张建国 gave April's 党课.
fn year() -> Vec<LedgerRow> {
    let mut rows = Vec::new();
    for m in 1..=12 {
        if m != 3 && m != 8 {
            rows.push(row(date(2026, m, 5), Kind::Committee, None, Held));
        }
        rows.push(row(date(2026, m, 12), Kind::GroupMeeting, Some("第一党小组"), Held));
        if m != 5 {
            rows.push(row(date(2026, m, 13), Kind::GroupMeeting, Some("第二党小组"), Held));
        }
        if m != 12 {
            rows.push(row(date(2026, m, 2), Kind::ThemeDay, None, Held));
        }
    }
    rows.push(row(date(2026, 12, 4), Kind::ThemeDay, None, Planned));
    for (m, d) in [(1, 14), (5, 20), (11, 11)] {
        rows.push(row(date(2026, m, d), Kind::PartyCongress, None, Held));
    }
    for (m, lecturer) in [(2, "王芳"), (4, "张建国"), (9, "刘洋")] {
        rows.push(LedgerRow { lecturer: Some(lecturer.into()), ..row(date(2026, m, 19), Kind::Lecture, None, Held) });
    }
    rows.push(row(date(2026, 12, 17), Kind::Review, None, Held));
    rows
}

#[test]
fn a_year_with_gaps_gives_exactly_its_findings_in_order() {
    let (_dir, branch) = branch("");
    let findings = frequency::check(&branch, &year(), None, date(2027, 1, 15));
    assert_eq!(
        messages(&findings),
        [
            "2026年3月没有支委会的记录",
            "2026年5月第二党小组没有党小组会的记录",
            "2026年8月没有支委会的记录",
            "2026年第三季度没有支部党员大会的记录",
            "2026年12月没有已召开的主题党日：2026年12月4日的主题党日仍是计划状态，计划不算召开",
            "2026年第四季度没有党课的记录",
            "2026年没有组织生活会的记录",
            "2026年12月4日的主题党日“12月主题党日”仍是计划状态，是否已召开？",
        ]
    );
    // Frequency findings belong to branch.toml; built-in rules have no line to point at.
    assert!(findings[..7].iter().all(|f| f.file == branch.source.path && f.line.is_none() && !f.is_error()));
    assert_eq!(
        findings[0].help.as_deref(),
        Some(
            "《中国共产党支部工作条例（试行）》第十二条规定党支部委员会会议一般每月召开1次。如已召开，请把它的记录文件一并交给 pdb 处理（例如处理整个文件夹）；\
             如确未召开，请按规定安排；本地另有规定的，可在 branch.toml 中写 [rules.\"支委会\"] 修改或关闭这项检查"
        )
    );
    assert_eq!(
        findings[4].help.as_deref(),
        Some(
            "《中国共产党支部工作条例（试行）》第十六条规定党支部每月相对固定1天开展主题党日。如已召开，请在该活动文件中补记出席和内容，并改为 status = \"已召开\"；\
             本地另有规定的，可在 branch.toml 中写 [rules.\"主题党日\"] 修改或关闭这项检查"
        )
    );
    // The planned activity past its date points at its own file and its status.
    let past = &findings[7];
    assert_eq!(past.location(), "2026-12-04-主题党日.toml:2:13");
    assert_eq!((past.field.as_deref(), past.label.as_deref()), (Some("status"), Some("活动状态")));
    assert_eq!(
        past.help.as_deref(),
        Some("如已召开，请补记出席和内容并改为 status = \"已召开\"；如改期了，请改正 date")
    );
}

#[test]
fn a_held_activity_dated_after_today_is_a_finding_at_its_date() {
    let (_dir, branch) = branch("");
    let ahead = LedgerRow { date_at: Some((2, 12)), ..row(date(2026, 10, 21), Kind::Committee, None, Held) };
    let rows = vec![
        row(date(2026, 10, 20), Kind::Committee, None, Held),
        ahead,
        row(date(2026, 10, 22), Kind::ThemeDay, None, Planned),
    ];
    // Today is the 20th: held that day is fine, held tomorrow is not, planned tomorrow is.
    let findings = frequency::check(&branch, &rows, None, date(2026, 10, 20));
    assert_eq!(
        messages(&findings),
        ["2026年10月21日的支委会“10月支委会”记录为已召开，但日期在今天之后：日期是否写错？"]
    );
    let finding = &findings[0];
    assert_eq!(finding.location(), "2026-10-21-支委会.toml:2:12");
    assert_eq!((finding.field.as_deref(), finding.label.as_deref()), (Some("date"), Some("活动日期")));
    assert!(frequency::check(&branch, &rows, None, date(2026, 10, 21)).is_empty());
}

#[test]
fn a_running_period_is_judged_up_to_today() {
    let (_dir, branch) = branch("");
    let rows = vec![
        row(date(2026, 10, 5), Kind::Committee, None, Held),
        row(date(2026, 10, 12), Kind::GroupMeeting, Some("第一党小组"), Held),
        row(date(2026, 10, 13), Kind::GroupMeeting, Some("第二党小组"), Held),
        row(date(2026, 11, 2), Kind::Committee, None, Planned),
        row(date(2026, 11, 20), Kind::ThemeDay, None, Planned),
    ];
    // 20 November: October has ended (no 主题党日 in it), November and the quarter have not;
    // the 支委会 planned for 2 November is past, the 主题党日 planned for today is not.
    let findings = frequency::check(&branch, &rows, None, date(2026, 11, 20));
    assert_eq!(
        messages(&findings),
        ["2026年10月没有主题党日的记录", "2026年11月2日的支委会“11月支委会”仍是计划状态，是否已召开？",]
    );
    // On the last day of November, November is judged too; the quarter still is not.
    let findings = frequency::check(&branch, &rows, None, date(2026, 11, 30));
    assert_eq!(
        messages(&findings),
        [
            "2026年10月没有主题党日的记录",
            "2026年11月没有已召开的支委会：2026年11月2日的支委会仍是计划状态，计划不算召开",
            "2026年11月第一党小组没有党小组会的记录",
            "2026年11月第二党小组没有党小组会的记录",
            "2026年11月没有已召开的主题党日：2026年11月20日的主题党日仍是计划状态，计划不算召开",
            "2026年11月2日的支委会“11月支委会”仍是计划状态，是否已召开？",
            "2026年11月20日的主题党日“11月主题党日”仍是计划状态，是否已召开？",
        ]
    );
}

#[test]
fn the_span_decides_what_is_judged() {
    let (_dir, branch) = branch("");
    let rows = year();
    let today = date(2027, 1, 15);
    // The fourth quarter holds December, where 组织生活会 is planned: the year is judged.
    assert_eq!(
        messages(&frequency::check(&branch, &rows, Some(Period::Quarter(2026, 4)), today))[..3],
        [
            "2026年12月没有已召开的主题党日：2026年12月4日的主题党日仍是计划状态，计划不算召开",
            "2026年第四季度没有党课的记录",
            "2026年没有组织生活会的记录",
        ]
    );
    // The third quarter does not; a month judges only the monthly rules.
    assert_eq!(
        messages(&frequency::check(&branch, &rows, Some(Period::Quarter(2026, 3)), today)),
        ["2026年8月没有支委会的记录", "2026年第三季度没有支部党员大会的记录"]
    );
    assert_eq!(messages(&frequency::check(&branch, &rows, Some(Period::Month(2026, 9)), today)), Vec::<String>::new());
    // Before the year ends nothing yearly is judged.
    let early = messages(&frequency::check(&branch, &rows, Some(Period::Quarter(2026, 4)), date(2026, 12, 30)));
    assert!(!early.iter().any(|m| m.contains("组织生活会") || m.contains("第四季度")), "{early:?}");
}

#[test]
fn local_rules_change_the_result_and_findings_point_at_them() {
    let rules = r#"
[rules."主题党日"]
every = "不检查"

[rules."党课"]
every = "每年"

[rules."支委会"]
every = "每季度"
times = 3
"#;
    let (_dir, branch) = branch(rules);
    let findings = frequency::check(&branch, &year(), None, date(2027, 1, 15));
    assert_eq!(
        messages(&findings),
        [
            "2026年第一季度只有 2 次支委会的记录，应有 3 次",
            "2026年5月第二党小组没有党小组会的记录",
            "2026年第三季度没有支部党员大会的记录",
            "2026年第三季度只有 2 次支委会的记录，应有 3 次",
            "2026年没有组织生活会的记录",
            "2026年12月4日的主题党日“12月主题党日”仍是计划状态，是否已召开？",
        ]
    );
    let committee = &findings[0];
    let line = crate::common::BRANCH.lines().count() + 8;
    assert_eq!(committee.location(), format!("{}:{line}:1", branch.source.path.display()));
    assert_eq!((committee.field.as_deref(), committee.label.as_deref()), (Some("rules.支委会"), Some("频次规定")));
    assert_eq!(
        committee.help.as_deref(),
        Some("branch.toml 中 [rules.\"支委会\"] 规定每季度3次。如已召开，请把它的记录文件一并交给 pdb 处理（例如处理整个文件夹）；如确未召开，请按规定安排")
    );
}

#[test]
fn rules_merge_key_by_key() {
    let (_dir, branch) = branch(
        "\n[rules.\"支委会\"]\nday = \"第二个星期二\"\nstart = 09:00:00\n\n[rules.\"党课\"]\nevery = \"每年\"\n",
    );
    let rules = Rules::for_branch(&branch);
    let committee = rules.get(Kind::Committee).unwrap();
    assert_eq!((committee.every, committee.times, committee.day.as_deref()), (Every::Month, 1, Some("第二个星期二")));
    assert_eq!(committee.start.unwrap().to_string(), "9:00");
    // A changed `every` plans in the first month of the new period.
    let lecture = rules.get(Kind::Lecture).unwrap();
    assert_eq!((lecture.every, lecture.month), (Every::Year, Some(1)));
    assert_eq!(Rules::builtin().get(Kind::Other).unwrap().every, Every::Never);
}

#[test]
fn day_rules_parse_from_what_secretaries_write() {
    let cases: &[(&str, DayRule)] = &[
        ("第二个星期二", DayRule::Nth(2, Tue)),
        ("第1个周五", DayRule::Nth(1, Fri)),
        ("第一个礼拜一", DayRule::Nth(1, Mon)),
        ("第三周星期四", DayRule::Nth(3, Thu)),
        ("第２周的周三", DayRule::Nth(2, Wed)),
        ("第四个星期日", DayRule::Nth(4, chrono::Weekday::Sun)),
        ("每月第一个星期五", DayRule::Nth(1, Fri)),
        ("最后一个星期五", DayRule::Last(Fri)),
        ("最后一个周一", DayRule::Last(Mon)),
        ("每月最后一个礼拜四", DayRule::Last(Thu)),
        ("15日", DayRule::Day(15)),
        ("15号", DayRule::Day(15)),
        ("每月15日", DayRule::Day(15)),
        ("十五日", DayRule::Day(15)),
        ("二十一号", DayRule::Day(21)),
        (" 1 日 ", DayRule::Day(1)),
        ("31日", DayRule::Day(31)),
        ("最后一天", DayRule::LastDay),
        ("月底", DayRule::LastDay),
    ];
    for (text, expected) in cases {
        assert_eq!(text.parse::<DayRule>().as_ref(), Ok(expected), "{text}");
    }
    let errors: &[(&str, &str)] = &[
        ("第五个星期五", "“第五个星期五”不是每个月都有：一个月只有四个或五个星期五"),
        ("第六个星期一", "一个月里没有“第六个星期一”"),
        ("32日", "每月没有32日"),
        ("0号", "每月没有0日"),
        ("第二个星期八", "无法识别的固定日期“第二个星期八”"),
        ("下旬", "无法识别的固定日期“下旬”"),
        ("", "无法识别的固定日期“”"),
    ];
    for (text, message) in errors {
        assert_eq!(text.parse::<DayRule>().map_err(|e| e.message).unwrap_err(), *message, "{text}");
    }
    assert_eq!("第五个星期五".parse::<DayRule>().unwrap_err().help, "请改用 \"最后一个星期五\"，或第一到第四个");
    assert_eq!(DayRule::Nth(2, Tue).to_string(), "第二个星期二");
    assert_eq!(DayRule::Last(Fri).to_string(), "最后一个星期五");
}

#[test]
fn day_rules_give_the_date_in_a_month() {
    let nov = Period::Month(2026, 11);
    // November 2026 starts on a Sunday and has 30 days.
    assert_eq!(DayRule::Nth(2, Tue).date_in(nov), Some(date(2026, 11, 10)));
    assert_eq!(DayRule::Nth(1, chrono::Weekday::Sun).date_in(nov), Some(date(2026, 11, 1)));
    assert_eq!(DayRule::Last(Fri).date_in(nov), Some(date(2026, 11, 27)));
    assert_eq!(DayRule::Last(Mon).date_in(nov), Some(date(2026, 11, 30)));
    assert_eq!(DayRule::Day(31).date_in(nov), Some(date(2026, 11, 30)));
    assert_eq!(DayRule::Day(29).date_in(Period::Month(2026, 2)), Some(date(2026, 2, 28)));
    assert_eq!(DayRule::LastDay.date_in(Period::Month(2028, 2)), Some(date(2028, 2, 29)));
    assert_eq!(DayRule::Day(5).date_in(Period::Quarter(2026, 4)), None);
    // Twice a month: two weeks apart on the same weekday, or half a month apart.
    assert_eq!(DayRule::Nth(1, Fri).spread(nov, 2), [date(2026, 11, 6), date(2026, 11, 20)]);
    assert_eq!(DayRule::Last(Fri).spread(nov, 2), [date(2026, 11, 13), date(2026, 11, 27)]);
    assert_eq!(DayRule::Day(15).spread(nov, 2), [date(2026, 11, 15), date(2026, 11, 30)]);
}

#[test]
fn planned_dates_follow_the_rules_days_and_months() {
    let rules = Rules::builtin();
    let q4 = Period::Quarter(2026, 4);
    let plan: Vec<(NaiveDate, Kind, Option<String>)> =
        frequency::planned(&rules, &["第一党小组".into(), "第二党小组".into()], q4)
            .into_iter()
            .map(|p| (p.date, p.kind, p.group))
            .collect();
    let g = |name: &str| Some(name.to_string());
    assert_eq!(
        plan,
        [
            (date(2026, 10, 2), Kind::ThemeDay, None),
            (date(2026, 10, 5), Kind::Committee, None),
            (date(2026, 10, 14), Kind::PartyCongress, None),
            (date(2026, 10, 15), Kind::Lecture, None),
            (date(2026, 10, 20), Kind::GroupMeeting, g("第一党小组")),
            (date(2026, 10, 20), Kind::GroupMeeting, g("第二党小组")),
            (date(2026, 11, 2), Kind::Committee, None),
            (date(2026, 11, 6), Kind::ThemeDay, None),
            (date(2026, 11, 17), Kind::GroupMeeting, g("第一党小组")),
            (date(2026, 11, 17), Kind::GroupMeeting, g("第二党小组")),
            (date(2026, 12, 4), Kind::ThemeDay, None),
            (date(2026, 12, 7), Kind::Committee, None),
            (date(2026, 12, 10), Kind::OrgLife, None),
            (date(2026, 12, 15), Kind::GroupMeeting, g("第一党小组")),
            (date(2026, 12, 15), Kind::GroupMeeting, g("第二党小组")),
            (date(2026, 12, 17), Kind::Review, None),
        ]
    );
    let (_dir, branch) = branch(
        "\n[rules.\"支部党员大会\"]\nmonth = 2\nday = \"15日\"\n\n[rules.\"组织生活会\"]\ntimes = 2\nmonth = 12\n",
    );
    let rules = Rules::for_branch(&branch);
    assert_eq!(rules.get(Kind::PartyCongress).unwrap().planned_dates(q4), [date(2026, 11, 15)]);
    // Twice a year from December: December and, half a year on, June.
    assert_eq!(
        rules.get(Kind::OrgLife).unwrap().planned_dates(Period::Year(2026)),
        [date(2026, 6, 11), date(2026, 12, 10)]
    );
    assert_eq!(rules.get(Kind::Committee).unwrap().date_in(Period::Month(2026, 11)), Some(date(2026, 11, 2)));
    assert!(frequency::planned(&Rules::builtin(), &[], Period::Month(2026, 11)).iter().all(|p| p
        .start
        .unwrap()
        .to_string()
        == "14:30"));
}

/// How many meetings of each kind `required` lists (times summed), in Kind order.
fn count(required: &[Required]) -> Vec<(Kind, u32)> {
    let mut out: Vec<(Kind, u32)> = Vec::new();
    for r in required {
        match out.iter_mut().find(|(k, _)| *k == r.kind) {
            Some((_, n)) => *n += r.times,
            None => out.push((r.kind, r.times)),
        }
    }
    out
}

#[test]
fn required_meetings_by_kind() {
    let rules = Rules::builtin();
    let groups = ["第一党小组".to_string(), "第二党小组".to_string()];
    use Kind::*;
    assert_eq!(
        count(&frequency::required(&rules, &groups, Period::Quarter(2026, 4))),
        [(PartyCongress, 1), (Committee, 3), (GroupMeeting, 6), (Lecture, 1), (ThemeDay, 3), (OrgLife, 1), (Review, 1)]
    );
    // A month holds the monthly meetings; the quarter's fall in its first month, the year's in December.
    assert_eq!(
        count(&frequency::required(&rules, &groups, Period::Month(2026, 11))),
        [(Committee, 1), (GroupMeeting, 2), (ThemeDay, 1)]
    );
    assert_eq!(
        count(&frequency::required(&rules, &groups, Period::Month(2026, 10))),
        [(PartyCongress, 1), (Committee, 1), (GroupMeeting, 2), (Lecture, 1), (ThemeDay, 1)]
    );
    assert_eq!(
        count(&frequency::required(&rules, &groups, Period::Year(2026))),
        [
            (PartyCongress, 4),
            (Committee, 12),
            (GroupMeeting, 24),
            (Lecture, 4),
            (ThemeDay, 12),
            (OrgLife, 1),
            (Review, 1)
        ]
    );
    // Each Required names its slot: the group meetings of November, one per group.
    let november = frequency::required(&rules, &groups, Period::Month(2026, 11));
    let group_meetings: Vec<&Required> = november.iter().filter(|r| r.kind == GroupMeeting).collect();
    assert_eq!(
        group_meetings,
        [
            &Required {
                kind: GroupMeeting,
                group: Some("第一党小组".into()),
                period: Period::Month(2026, 11),
                times: 1
            },
            &Required {
                kind: GroupMeeting,
                group: Some("第二党小组".into()),
                period: Period::Month(2026, 11),
                times: 1
            },
        ]
    );
    let q4 = frequency::required(&rules, &groups, Period::Quarter(2026, 4));
    assert_eq!(q4.iter().find(|r| r.kind == OrgLife).unwrap().period, Period::Year(2026));
    // Without groups there is no 党小组会 to hold.
    assert_eq!(count(&frequency::required(&rules, &[], Period::Month(2026, 11))), [(Committee, 1), (ThemeDay, 1)]);
}

/// load_branch's error for a `[rules]` table: where, which field, and the fix.
fn rules_error(rules: &str) -> Diagnostic {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("branch.toml");
    fs::write(&path, format!("{}{rules}", crate::common::BRANCH)).unwrap();
    load_branch(&path).expect_err("the rules are invalid")
}

#[test]
fn bad_rules_are_caught_when_the_branch_is_read() {
    let first = crate::common::BRANCH.lines().count();
    let error = rules_error("\n[rules.\"主题党日\"]\nday = \"第五个星期五\"\n");
    assert_eq!((error.line, error.column), (Some(first + 3), Some(7)));
    assert_eq!((error.field.as_deref(), error.label.as_deref()), (Some("rules.主题党日.day"), Some("固定日期")));
    assert_eq!(error.message, "“第五个星期五”不是每个月都有：一个月只有四个或五个星期五");
    assert!(error.is_error());

    let error = rules_error("\n[rules.\"支委会\"]\nday = \"每周八\"\n");
    assert_eq!(error.message, "无法识别的固定日期“每周八”");
    assert_eq!(
        error.help.as_deref(),
        Some(
            "可以写成 \"第二个星期二\"、\"第1个周五\"、\"最后一个星期五\"、\"15日\"、\"每月15号\"、\"最后一天\"；\
             每周召开的写 \"每周四\"、\"每周二、周四\""
        )
    );

    let error = rules_error("\n[rules.\"党课\"]\nmonth = 4\n");
    assert_eq!((error.line, error.column), (Some(first + 3), Some(9)));
    assert_eq!((error.field.as_deref(), error.label.as_deref()), (Some("rules.党课.month"), Some("月份")));
    assert_eq!(error.message, "党课每季度召开，month = 4 不在 1 到 3 之间");

    let error = rules_error("\n[rules.\"支委会\"]\nmonth = 4\n");
    assert_eq!(error.message, "支委会每月召开，不需要 month = 4");
    assert_eq!(error.help.as_deref(), Some("每月召开的活动不用写 month，请删去这一行"));

    let error = rules_error("\n[rules.\"组织生活会\"]\ntimes = 0\n");
    assert_eq!((error.field.as_deref(), error.label.as_deref()), (Some("rules.组织生活会.times"), Some("每期次数")));
    assert_eq!(
        error.help.as_deref(),
        Some("写每期至少召开几次，例如 times = 2；不需要检查组织生活会时写 every = \"不检查\"")
    );

    // `every` is checked by its type, with the label and the spellings.
    let error = rules_error("\n[rules.\"支委会\"]\nevery = \"每两月\"\n");
    assert_eq!((error.line, error.column), (Some(first + 3), Some(9)));
    assert_eq!((error.field.as_deref(), error.label.as_deref()), (Some("rules.支委会.every"), Some("频次")));
    assert!(error.message.starts_with("无法识别的频次“每两月”"), "{}", error.message);
}
