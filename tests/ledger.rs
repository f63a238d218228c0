//! The 台账: rows built from checked records carry the facts, the Markdown ledger prints them
//! exactly (counts, rates, decisions, findings), and the Typst ledger compiles to a PDF.
//!
//! The PDF test needs typst and pdftotext; without them it is skipped with a note, except under
//! `CI=true`, where a missing tool fails it.

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use chrono::NaiveDate;
use pdb::ledger;
use pdb::load::{load_activity, load_branch, BranchCache};
use pdb::model::{ActivityStatus, DecisionKind, Kind};
use pdb::model::{Branch, LedgerRow};
use pdb::period::Period;
use pdb::record::Record;
use pdb::render::{Engine, Fonts, Format, RenderedFile};
use pdb::rules::frequency;

use crate::common::{tools, BRANCH};

const CONGRESS: &str = r#"kind     = "支部党员大会"
title    = "关于接收李明同志为预备党员的支部党员大会"
date     = 2026-11-05
start    = 14:30:00
location = "局机关三楼会议室"
host     = "张建国"
recorder = "王芳"

[attendance]
absent = [ { name = "赵强", reason = "出差" } ]

[[decisions]]
text  = "同意接收李明同志为中共预备党员。"
kind  = "admission"
votes = { yes = 11, no = 0, abstain = 0 }

[[decisions]]
text  = "通过《学习计划|2027》"
votes = { yes = 5, no = 6, abstain = 0 }
"#;

const COMMITTEE: &str = r#"kind     = "支委会"
date     = 2026-10-08
start    = 09:00:00
location = "书记办公室"
host     = "张建国"
recorder = "刘洋"

[[decisions]]
text = "确定李明同志为发展对象"
"#;

const GROUP: &str = r#"kind     = "党小组会"
group    = "第一党小组"
date     = 2026-10-20
start    = 14:30:00
location = "会议室"
host     = "孙伟"
recorder = "吴磊"

[attendance]
absent = [ { name = "周敏", reason = "病假" } ]
"#;

const PLANNED: &str = r#"kind     = "主题党日"
status   = "planned"
date     = 2026-12-04
start    = 14:30:00
location = "党员活动室"
host     = "张建国"
recorder = "王芳"
"#;

/// The four activities in a temp folder, checked into records, as ledger rows with folders.
fn rows() -> (tempfile::TempDir, pdb::load::Branch, Vec<LedgerRow>) {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("branch.toml"), BRANCH).unwrap();
    let files = [
        ("2026-11-05-支部党员大会.toml", CONGRESS),
        ("2026-10-08-支委会.toml", COMMITTEE),
        ("2026-10-20-党小组会.toml", GROUP),
        ("2026-12-04-主题党日.toml", PLANNED),
    ];
    let cache = BranchCache::default();
    let mut rows = Vec::new();
    for (name, text) in files {
        let path = dir.path().join(name);
        fs::write(&path, text).unwrap();
        let activity = load_activity(&path, &cache).unwrap_or_else(|e| panic!("{e:?}"));
        let record = Record::build(activity).unwrap_or_else(|e| panic!("{}", e[0]));
        let mut row = LedgerRow::from_record(&record);
        row.folder = Some(name.trim_end_matches(".toml").to_string());
        rows.push(row);
    }
    let branch = load_branch(&dir.path().join("branch.toml")).unwrap();
    (dir, branch, rows)
}

#[test]
fn rows_carry_the_facts_of_their_records() {
    let (_dir, _branch, rows) = rows();
    let congress = &rows[0];
    assert_eq!(congress.date, NaiveDate::from_ymd_opt(2026, 11, 5).unwrap());
    assert_eq!((congress.kind, congress.status), (Kind::PartyCongress, ActivityStatus::Held));
    assert_eq!(congress.title, "关于接收李明同志为预备党员的支部党员大会");
    assert_eq!((congress.expected, congress.present, congress.on_leave), (14, 13, 1));
    assert_eq!(congress.decisions, ["同意接收李明同志为中共预备党员：通过", "通过《学习计划|2027》：未通过"]);
    assert_eq!(congress.decision_kinds, [DecisionKind::Admission, DecisionKind::Ordinary]);
    assert_eq!(congress.folder.as_deref(), Some("2026-11-05-支部党员大会"));

    // No title written: the one every document prints. No votes recorded: said so. No
    // [attendance]: not known, never “everyone came”.
    let committee = &rows[1];
    assert_eq!(committee.title, "机关第一党支部2026年10月支委会");
    assert_eq!((committee.expected, committee.present, committee.on_leave), (5, 0, 0));
    assert!(!committee.attendance_known);
    assert!(congress.attendance_known);
    assert_eq!(committee.decisions, ["确定李明同志为发展对象：未记录表决"]);

    let group = &rows[2];
    assert_eq!((group.group.as_deref(), group.expected, group.present, group.on_leave), (Some("第一党小组"), 7, 6, 1));

    // Planned: nobody is counted present yet; its status line is known for the finding.
    let planned = &rows[3];
    assert_eq!((planned.status, planned.present, planned.on_leave), (ActivityStatus::Planned, 0, 0));
    assert_eq!(planned.status_at, Some((2, 12)));
    assert_eq!(planned.title, "机关第一党支部2026年12月主题党日活动");

    // Rows survive a round trip through JSON (the output manifest keeps them).
    let json = serde_json::to_string(&rows).unwrap();
    assert_eq!(serde_json::from_str::<Vec<LedgerRow>>(&json).unwrap(), rows);
}

/// The ledger of the four rows for 2026Q4 in one format, judged on 15 January 2027.
fn quarter(branch: &Branch, rows: &[LedgerRow], format: Format, fonts: &Fonts) -> Vec<RenderedFile> {
    let today = NaiveDate::from_ymd_opt(2027, 1, 15).unwrap();
    let period = Some(Period::Quarter(2026, 4));
    let findings = frequency::check(branch, rows, period, today);
    let engine = Engine::new(None).unwrap();
    let request = ledger::Request { branch, rows, findings: &findings, period, formats: &[format], fonts };
    ledger::render(&engine, &request).unwrap()
}

/// The Markdown ledger of the four rows for 2026Q4.
fn markdown() -> String {
    let (_dir, branch, rows) = rows();
    let files = quarter(&branch, &rows, Format::Markdown, &Fonts::default());
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].name, "台账.md");
    String::from_utf8(files[0].contents.clone()).unwrap()
}

#[test]
fn the_markdown_ledger_prints_the_facts() {
    let md = markdown();
    let lines: Vec<&str> = md.lines().collect();
    assert_eq!(lines[0], "# 中共某某县卫生健康局机关第一支部委员会2026年第四季度活动台账");
    assert_eq!(
        lines[2],
        "| 序号 | 日期 | 类型 | 名称 | 主持人 | 地点 | 主讲人/主题 | 应到 | 实到 | 请假 | 出席率 | 请假/缺席人员 | 决议 | 材料 |"
    );
    // By date; the rate is 实到 ÷ 应到 to one decimal; a pipe in a decision is escaped.
    assert_eq!(
        &lines[4..10],
        [
            // No [attendance]: blanks, not 5 | 0 | 100.0%, and no one named as away.
            "| 1 | 2026年10月8日 | 支委会 | 机关第一党支部2026年10月支委会 | 张建国 | 书记办公室 | — | 5 | ＿＿ | ＿＿ | — | ＿＿＿＿ | 确定李明同志为发展对象：未记录表决 | [材料](2026-10-08-支委会/) |",
            "| 2 | 2026年10月20日 | 党小组会（第一党小组） | 机关第一党支部第一党小组2026年10月党小组会 | 孙伟 | 会议室 | — | 7 | 6 | 1 | 85.7% | 周敏（病假） | — | [材料](2026-10-20-党小组会/) |",
            "| 3 | 2026年11月5日 | 支部党员大会 | 关于接收李明同志为预备党员的支部党员大会 | 张建国 | 局机关三楼会议室 | — | 14 | 13 | 1 | 92.9% | 赵强（出差） | （1）同意接收李明同志为中共预备党员：通过；（2）通过《学习计划\\|2027》：未通过 | [材料](2026-11-05-支部党员大会/) |",
            "| 4 | 2026年12月4日 | 主题党日（计划） | 机关第一党支部2026年12月主题党日活动 | 张建国 | 党员活动室 | — | 14 | — | — | — | — | — | [材料](2026-12-04-主题党日/) |",
            // 合计 over the two held with attendance: 21 expected, 19 present: 90.5%.
            "| 合计 | | | 已召开3次 | | | | 21 | 19 | 2 | 90.5% | | 表决事项3项 | |",
            "",
        ]
    );
    assert_eq!(
        lines[10],
        "共4次活动：支部党员大会1次、支委会1次、党小组会1次、主题党日1次（其中计划1次）。\
         标“（计划）”的活动尚未召开，不填实到、请假和出席率，不计入合计。实到、请假为“＿＿”的活动没有记录出席情况，不计入合计。\
         出席率 = 实到 ÷ 应到，合计行按人次计算。"
    );
    let findings = &md[md.find("## 频次检查").expect("a findings section")..];
    let items: Vec<&str> = findings.lines().filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_digit())).collect();
    assert_eq!(
        items,
        [
            "1. 2026年10月第二党小组没有党小组会的记录",
            "2. 2026年10月没有主题党日的记录",
            "3. 2026年11月没有支委会的记录",
            "4. 2026年11月第一党小组没有党小组会的记录",
            "5. 2026年11月第二党小组没有党小组会的记录",
            "6. 2026年11月没有主题党日的记录",
            "7. 2026年12月没有支委会的记录",
            "8. 2026年12月第一党小组没有党小组会的记录",
            "9. 2026年12月第二党小组没有党小组会的记录",
            "10. 2026年12月没有已召开的主题党日：2026年12月4日的主题党日仍是计划状态，计划不算召开",
            "11. 2026年第四季度没有党课的记录",
            "12. 2026年没有组织生活会的记录",
            "13. 2026年没有民主评议党员的记录",
            "14. 2026年没有书记张建国讲党课的记录",
            "15. 2026年12月4日的主题党日“机关第一党支部2026年12月主题党日活动”仍是计划状态，是否已召开？",
        ]
    );
    assert!(
        findings.starts_with(
            "## 频次检查\n\npdb 按频次规定检查本台账所列的活动，发现以下问题（修改建议见 pdb check 的输出）：\n\n1. "
        ),
        "{findings}"
    );
    insta::assert_snapshot!("ledger_markdown", md);
}

#[test]
fn no_findings_and_no_rows_say_so() {
    let (_dir, branch, _rows) = rows();
    let engine = Engine::new(None).unwrap();
    let request = ledger::Request {
        branch: &branch,
        rows: &[],
        findings: &[],
        period: None,
        formats: &[Format::Markdown, Format::Typst],
        fonts: &Fonts::default(),
    };
    let files = ledger::render(&engine, &request).unwrap();
    let md = String::from_utf8(files[0].contents.clone()).unwrap();
    assert!(md.starts_with("# 中共某某县卫生健康局机关第一支部委员会活动台账\n"), "{md}");
    assert!(md.contains("| 合计 | | | 已召开0次 | | | | 0 | 0 | 0 | — | | 表决事项0项 | |"), "{md}");
    assert!(md.ends_with("## 频次检查\n\npdb 按频次规定检查本台账所列的活动，未发现问题。\n"), "{md:?}");
    assert_eq!(files[1].name, "台账.typ");
}

#[test]
fn the_period_of_a_ledger_without_a_span_is_that_of_its_rows() {
    let (_dir, _branch, rows) = rows();
    assert_eq!(ledger::period_label(&rows, None).as_deref(), Some("2026年第四季度"));
    assert_eq!(ledger::period_label(&rows[..1], None).as_deref(), Some("2026年11月"));
    assert_eq!(ledger::period_label(&rows, Some(Period::Year(2026))).as_deref(), Some("2026年"));
    let mut spread = rows.clone();
    spread[0].date = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
    assert_eq!(ledger::period_label(&spread, None).as_deref(), Some("2026年"));
    spread[0].date = NaiveDate::from_ymd_opt(2025, 5, 1).unwrap();
    assert_eq!(ledger::period_label(&spread, None).as_deref(), Some("2025年至2026年"));
    assert_eq!(ledger::period_label(&[], None), None);
}

// ---------------------------------------------------------------------------------------------
// PDF

/// typst (with the fonts pdb would pick) or `None`: skip, except under CI=true.
fn typst() -> Option<(PathBuf, Fonts)> {
    let typst = tools::typst(&[tools::PDFTOTEXT], "the ledger PDF test")?;
    let options = pdb::typst::FontOptions::default();
    let families = typst.families(&options).expect("typst lists its fonts");
    let report = pdb::typst::select_fonts(&Fonts::default(), &families, &[]).expect("a Chinese font");
    Some((typst.path, report.fonts))
}

#[test]
fn the_typst_ledger_compiles_to_a_pdf_with_the_facts() {
    let Some((typst, fonts)) = typst() else { return };
    let (dir, branch, rows) = rows();
    let files = quarter(&branch, &rows, Format::Typst, &fonts);
    let out = dir.path().join("out");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join(&files[0].name), &files[0].contents).unwrap();
    let output = Command::new(&typst)
        .args(["compile", "--root"])
        .arg(&out)
        .arg(out.join("台账.typ"))
        .arg(out.join("台账.pdf"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.trim().is_empty(), "typst warned: {stderr}");
    if let Ok(keep) = std::env::var("PDB_KEEP_LEDGER") {
        fs::copy(out.join("台账.pdf"), keep).unwrap();
    }
    let text = Command::new("pdftotext").arg("-raw").arg(out.join("台账.pdf")).arg("-").output().unwrap();
    let text: String = String::from_utf8(text.stdout).unwrap().chars().filter(|c| !c.is_whitespace()).collect();
    for fact in [
        "中共某某县卫生健康局机关第一支部委员会2026年第四季度活动台账",
        "关于接收李明同志为预备党员的支部党员大会",
        "92.9%",
        "85.7%",
        "同意接收李明同志为中共预备党员：通过",
        "通过《学习计划|2027》：未通过",
        "确定李明同志为发展对象：未记录表决",
        "（计划）",
        "合计（已召开3次）",
        "90.5%",
        "表决事项3项",
        "频次检查",
        "2026年没有组织生活会的记录",
        "2026年第四季度没有党课的记录",
    ] {
        assert!(text.contains(fact), "{fact} not in the PDF:\n{text}");
    }
}
