//! The per-member register (党员参加组织生活情况) and 台账.xlsx: the marks of every member at
//! one activity of the example quarter, the workbook read back with calamine (rows, totals, the
//! per-member sheet), unknown attendance kept apart from absence, and the six- and three-month
//! findings and the 支部党员大会 finding at their edges.

use std::path::{Path, PathBuf};

use calamine::{open_workbook_auto_from_rs, Data, Reader};
use chrono::NaiveDate;
use pdb::load::{load_activity, load_branch, BranchCache};
use pdb::model::{ActivityStatus, Kind, LedgerRow, Mark, MemberMark};
use pdb::period::Period;
use pdb::record::Record;
use pdb::register::{self, cell_text, Register};

use crate::common::{Test, BRANCH};

fn example_rows() -> (pdb::model::Branch, Vec<LedgerRow>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/2026Q4");
    let cache = BranchCache::default();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml") && !p.ends_with("branch.toml"))
        .collect();
    files.sort();
    let rows = files
        .iter()
        .map(|p| {
            let record = Record::build(load_activity(p, &cache).unwrap()).unwrap_or_else(|e| panic!("{e:?}"));
            LedgerRow::from_record(&record)
        })
        .collect();
    (load_branch(&dir.join("branch.toml")).unwrap(), rows)
}

#[test]
fn every_member_is_marked_at_the_party_congress() {
    let (branch, rows) = example_rows();
    let register = Register::build(&branch, &rows);
    let column = register.columns.iter().position(|c| c.kind == Kind::PartyCongress).unwrap();
    let marks: Vec<(&str, String)> =
        register.lines.iter().map(|l| (l.name.as_str(), cell_text(&l.cells[column]))).collect();
    let expected = [
        ("张建国", "出席"),
        ("王芳", "出席"),
        ("刘洋", "出席"),
        ("陈静", "出席"),
        ("赵强", "请假（出差）"),
        ("孙伟", "出席"),
        ("周敏", "出席"),
        ("吴磊", "出席"),
        ("郑丽华", "出席"),
        ("何婷", "出席"),
        ("马俊", "请假（病假）"),
        ("林晓燕", "出席"),
        ("郭鹏", "出席"),
        ("徐文博", "出席"),
        // Excluded from 应到 (长期病休): not expected, so not marked.
        ("黄志刚", "—"),
    ];
    let expected: Vec<(&str, String)> = expected.iter().map(|(n, m)| (*n, m.to_string())).collect();
    assert_eq!(marks, expected);
    // The 支委会 expects the five committee members only; the 第一党小组 meeting its seven.
    let committee = register.columns.iter().position(|c| c.kind == Kind::Committee).unwrap();
    let at: Vec<&str> =
        register.lines.iter().filter(|l| l.cells[committee].is_some()).map(|l| l.name.as_str()).collect();
    assert_eq!(at, ["张建国", "王芳", "刘洋", "陈静", "赵强"]);
    let zhao = register.lines.iter().find(|l| l.name == "赵强").unwrap();
    assert_eq!((zhao.totals.expected, zhao.totals.present, zhao.totals.leave, zhao.totals.absent), (8, 7, 1, 0));
    assert_eq!(zhao.totals.rate().as_deref(), Some("87.5%"));
    let huang = register.lines.iter().find(|l| l.name == "黄志刚").unwrap();
    assert_eq!((huang.totals.expected, huang.excluded.as_deref()), (0, Some("长期病休")));
}

/// A sheet of a workbook's bytes, as calamine reads it.
pub(crate) fn sheet(book: &[u8], name: &str) -> Vec<Vec<Data>> {
    let mut workbook = open_workbook_auto_from_rs(std::io::Cursor::new(book.to_vec())).unwrap();
    let range = workbook.worksheet_range(name).unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => format!("{i}"),
        Data::Empty => String::new(),
        other => format!("{other:?}"),
    }
}

#[test]
fn the_example_quarters_workbook_reads_back() {
    let out = Test::new().example().args(&["render", "2026Q4", "--format", "markdown", "--today", "2027-01-10"]).run();
    out.assert_status(0);
    let book = std::fs::read(out.path("out/台账.xlsx"))
        .unwrap_or_else(|_| std::fs::read(out.path("out/2026Q4/台账.xlsx")).unwrap());
    let activities = sheet(&book, "活动台账");
    assert_eq!(text(&activities[0][0]), "中共某某县卫生健康局机关第一支部委员会2026年第四季度活动台账");
    let header: Vec<String> = activities[1].iter().map(text).collect();
    assert_eq!(
        header,
        [
            "序号",
            "日期",
            "类型",
            "党小组",
            "名称",
            "状态",
            "主持人",
            "地点",
            "主讲人/主题",
            "应到",
            "实到",
            "请假",
            "缺席",
            "出席率",
            "请假人员",
            "缺席人员",
            "决议"
        ]
    );
    // Eight activities, then the 合计 row.
    assert_eq!(activities.len(), 2 + 8 + 1);
    let congress = &activities[5];
    assert_eq!(text(&congress[2]), "支部党员大会");
    // A real date, not text.
    match &congress[1] {
        Data::DateTime(d) => assert_eq!(d.as_datetime().unwrap().date(), NaiveDate::from_ymd_opt(2026, 11, 5).unwrap()),
        other => panic!("the date is {other:?}"),
    }
    assert_eq!(text(&congress[6]), "张建国");
    assert_eq!(text(&congress[7]), "局机关三楼会议室");
    let counts: Vec<String> = congress[9..=13].iter().map(text).collect();
    assert_eq!(counts[..4], ["14", "12", "2", "0"]);
    // The rate is a number (formatted as a percentage), 12 ÷ 14.
    assert!(matches!(congress[13], Data::Float(f) if (f - 12.0 / 14.0).abs() < 1e-9), "{:?}", congress[13]);
    assert_eq!(text(&congress[14]), "赵强（出差）、马俊（病假）");
    let total = activities.last().unwrap();
    assert_eq!(text(&total[0]), "合计");
    let sums: Vec<String> = total[9..=12].iter().map(text).collect();
    assert_eq!(sums, ["96", "89", "7", "0"]);
    assert!(matches!(total[13], Data::Float(f) if (f - 89.0 / 96.0).abs() < 1e-9), "{:?}", total[13]);

    let members = sheet(&book, "党员参加组织生活");
    assert_eq!(members.len(), 2 + 15);
    let head: Vec<String> = members[1].iter().map(text).collect();
    assert_eq!(head[..4], ["序号", "姓名", "党小组", "10-09\n支委会"]);
    assert_eq!(head[3 + 8..], ["应参加", "出席", "请假", "缺席", "未记录", "出席率", "备注"]);
    let zhao: Vec<String> = members[6].iter().map(text).collect();
    assert_eq!(zhao[1], "赵强");
    assert_eq!(zhao[3 + 3], "请假（出差）");
    assert_eq!(zhao[3 + 8..3 + 13], ["8", "7", "1", "0", "0"]);
    let huang: Vec<String> = members[16].iter().map(text).collect();
    assert_eq!((huang[1].as_str(), huang.last().unwrap().as_str()), ("黄志刚", "不计入应到：长期病休"));

    let checks = sheet(&book, "检查发现");
    assert!(checks.iter().any(|r| r.iter().map(text).any(|t| t == "2026年12月没有主题党日的记录")), "{checks:?}");

    // Written again from the same inputs: the same bytes (nothing to replace, no hand-edit alarm).
    let first = book.clone();
    let out = out.again().args(&["render", "2026Q4", "--format", "markdown", "--today", "2027-01-10", "--force"]).run();
    out.assert_status(0);
    let again = std::fs::read(out.path("out/台账.xlsx"))
        .unwrap_or_else(|_| std::fs::read(out.path("out/2026Q4/台账.xlsx")).unwrap());
    assert!(first == again, "台账.xlsx is not reproducible");
}

// ── Findings, on rows made here: one activity a month, everyone expected. ──

const PEOPLE: [&str; 5] = ["张建国", "王芳", "刘洋", "陈静", "赵强"];

fn day(m: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, 10).unwrap()
}

/// A 主题党日 on the 10th of month `m`, with each member's mark from `mark(name, m)`.
fn month_row(m: u32, kind: Kind, mark: &dyn Fn(&str, u32) -> Mark) -> LedgerRow {
    LedgerRow {
        input: PathBuf::from(format!("{m:02}.toml")),
        folder: None,
        date: day(m),
        kind,
        group: None,
        title: format!("{m}月"),
        status: ActivityStatus::Held,
        expected: 5,
        present: 0,
        on_leave: 0,
        decisions: Vec::new(),
        decision_kinds: Vec::new(),
        status_at: None,
        form: None,
        lecturer: None,
        host: "张建国".into(),
        location: "会议室".into(),
        theme: None,
        attendance_known: PEOPLE.iter().any(|n| mark(n, m) != Mark::Unknown),
        marks: PEOPLE.iter().map(|n| MemberMark { name: n.to_string(), mark: mark(n, m) }).collect(),
    }
}

fn branch() -> pdb::model::Branch {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("branch.toml");
    std::fs::write(&path, BRANCH).unwrap();
    load_branch(&path).unwrap()
}

fn findings_for(rows: &[LedgerRow], today: NaiveDate) -> Vec<String> {
    register::findings(&branch(), rows, Some(Period::Year(2026)), today).into_iter().map(|d| d.message).collect()
}

#[test]
fn six_months_is_the_rule_and_three_the_early_notice() {
    // 王芳 misses February–July (6), 刘洋 February–June (5), 陈静 February–April (3), 赵强
    // February–March (2); 张建国 never misses. Misses are leave for 王芳, absence for the rest.
    let misses = |name: &str, m: u32| -> bool {
        let last = match name {
            "王芳" => 7,
            "刘洋" => 6,
            "陈静" => 4,
            "赵强" => 3,
            _ => 0,
        };
        (2..=last).contains(&m)
    };
    let mark = |name: &str, m: u32| match (misses(name, m), name) {
        (false, _) => Mark::Present,
        (true, "王芳") if m.is_multiple_of(2) => Mark::Leave("病假".into()),
        (true, "王芳") => Mark::Leave("出差".into()),
        (true, _) => Mark::Absent,
    };
    let rows: Vec<LedgerRow> = (1..=12).map(|m| month_row(m, Kind::ThemeDay, &mark)).collect();
    let found = findings_for(&rows, NaiveDate::from_ymd_opt(2027, 1, 10).unwrap());
    assert_eq!(
        found,
        [
            "王芳自2026年2月至2026年7月连续6个月未参加党的组织生活（党章第三十八条）：其间应参加6次，请假6次（病假3次、出差3次）",
            "提醒：刘洋自2026年2月至2026年6月已连续5个月未参加党的组织生活：其间应参加5次，缺席5次",
            "提醒：陈静自2026年2月至2026年4月已连续3个月未参加党的组织生活：其间应参加3次，缺席3次",
        ]
    );
    // Nothing in pdb's words decides the case for the branch.
    let all =
        register::findings(&branch(), &rows, Some(Period::Year(2026)), NaiveDate::from_ymd_opt(2027, 1, 10).unwrap());
    assert!(all.iter().all(|d| !d.message.contains("自行脱党")));
    assert!(all[0].help.as_deref().unwrap().contains("pdb 不作认定"));

    // Judged in May, only January–April have ended: 王芳 and 刘洋 are at three months, 陈静 too.
    let found = findings_for(&rows, NaiveDate::from_ymd_opt(2026, 5, 20).unwrap());
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found.iter().all(|f| f.starts_with("提醒：") && f.contains("至2026年4月已连续3个月")), "{found:?}");
}

#[test]
fn unknown_attendance_breaks_a_run_and_is_never_absence() {
    // 王芳 misses February–April and June–August; May's activity has no attendance record.
    let mark = |name: &str, m: u32| match (name, m) {
        (_, 5) => Mark::Unknown,
        ("王芳", 2..=4 | 6..=8) => Mark::Absent,
        _ => Mark::Present,
    };
    let rows: Vec<LedgerRow> = (1..=12).map(|m| month_row(m, Kind::ThemeDay, &mark)).collect();
    let found = findings_for(&rows, NaiveDate::from_ymd_opt(2027, 1, 10).unwrap());
    assert_eq!(
        found,
        [
            "提醒：王芳自2026年2月至2026年4月已连续3个月未参加党的组织生活：其间应参加3次，缺席3次",
            "提醒：王芳自2026年6月至2026年8月已连续3个月未参加党的组织生活：其间应参加3次，缺席3次",
        ]
    );
    let register = Register::build(&branch(), &rows);
    let wang = register.lines.iter().find(|l| l.name == "王芳").unwrap();
    assert_eq!(cell_text(&wang.cells[4]), "未记录");
    assert_eq!((wang.totals.expected, wang.totals.present, wang.totals.absent, wang.totals.unknown), (12, 5, 6, 1));
    // 5 of the 11 known.
    assert_eq!(wang.totals.rate().as_deref(), Some("45.5%"));
    assert!(!register.columns[4].recorded);
}

#[test]
fn absent_from_every_party_congress_of_a_year() {
    // Four 支部党员大会 in 2026, monthly 主题党日 otherwise attended by everyone.
    let congress_months = [2, 5, 8, 11];
    let mark = |name: &str, m: u32| match name {
        "刘洋" if congress_months.contains(&m) => Mark::Leave("出差".into()),
        "陈静" if m == 2 || m == 5 || m == 8 => Mark::Absent,
        "陈静" if m == 11 => Mark::Unknown,
        _ => Mark::Present,
    };
    let rows: Vec<LedgerRow> = (1..=12)
        .map(|m| month_row(m, if congress_months.contains(&m) { Kind::PartyCongress } else { Kind::ThemeDay }, &mark))
        .collect();
    let found = findings_for(&rows, NaiveDate::from_ymd_opt(2027, 1, 10).unwrap());
    // 刘洋 took part in the monthly activities: no run; but every 大会 missed. 陈静's last 大会 is
    // unknown: no finding, since unknown is not absence.
    assert_eq!(
        found,
        ["刘洋未参加2026年的全部4次支部党员大会（2026年2月10日、2026年5月10日、2026年8月10日、2026年11月10日）：其间应参加4次，请假4次（出差4次）"]
    );
    // Before the year is over, no year finding.
    assert!(findings_for(&rows, NaiveDate::from_ymd_opt(2026, 12, 20).unwrap()).is_empty());
}

#[test]
fn a_held_activity_without_attendance_is_unknown_for_everyone() {
    let activity = format!(
        "{}\n",
        r#"kind     = "党课"
date     = 2026-10-28
start    = 14:30:00
location = "会议室"
host     = "张建国"
recorder = "王芳"
lecturer = "张建国""#
    );
    let out = Test::new()
        .branch(BRANCH)
        .file("2026-10-28-党课.toml", &activity)
        .args(&["render", ".", "--format", "markdown"])
        .run();
    let register = out.read("out/党员参加组织生活情况.md");
    let line = register.lines().find(|l| l.contains("| 王芳 |")).unwrap_or_else(|| panic!("{register}"));
    assert!(line.contains("| 未记录 |"), "{line}");
    assert!(!line.contains("缺席 |") && !line.contains("| 出席 |"), "{line}");
    let ledger = out.read("out/台账.md");
    assert!(ledger.contains("| ＿＿＿＿ |"), "the 请假/缺席人员 cell is a blank:\n{ledger}");
}
