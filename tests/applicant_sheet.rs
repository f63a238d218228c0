//! The 发展党员工作台账 sheet of 台账.xlsx: the example's four applicants read back with calamine
//! (names, stages, real dates, blanks where a step is not reached, the overdue steps), the frozen
//! header and the filter as openpyxl sees them, the same bytes on a second run, and no sheet for
//! a branch without applicant records.

use std::process::Command;

use calamine::{open_workbook_auto_from_rs, Data, Reader};
use chrono::NaiveDate;

use crate::common::tools::{have, Tool};
use crate::common::Test;
use crate::register::sheet;

const OPENPYXL: Tool = Tool("python3", "-cimport openpyxl");

/// After 2027-02-05: both 预备党员's next steps are overdue.
const RENDER: [&str; 5] = ["render", "2026Q4", "--format", "markdown", "--today=2027-03-01"];

fn sheet_names(book: &[u8]) -> Vec<String> {
    open_workbook_auto_from_rs(std::io::Cursor::new(book.to_vec())).unwrap().sheet_names()
}

/// A cell as the test states it: text, a number, an ISO date, or "" for an empty cell.
fn cell(data: &Data) -> String {
    match data {
        Data::String(s) => s.clone(),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => format!("{i}"),
        Data::DateTime(d) => d.as_datetime().unwrap().date().to_string(),
        Data::Empty => String::new(),
        other => panic!("unexpected cell {other:?}"),
    }
}

#[test]
fn the_example_applicants_are_a_sheet_of_the_workbook() {
    let out = Test::new().example().args(&RENDER).run();
    out.assert_status(0);
    let book = std::fs::read(out.path("out/台账.xlsx")).unwrap();
    assert_eq!(sheet_names(&book), ["活动台账", "检查发现", "党员参加组织生活", "发展党员工作台账"]);
    let sheet = sheet(&book, "发展党员工作台账");
    assert_eq!(cell(&sheet[0][0]), "中共某某县卫生健康局机关第一支部委员会发展党员工作台账");
    let table: Vec<Vec<String>> = sheet[1..].iter().map(|r| r.iter().map(cell).collect()).collect();
    let expected = [
        [
            "序号",
            "姓名",
            "当前阶段",
            "递交申请",
            "确定积极分子",
            "确定发展对象",
            "接收预备党员",
            "预备期满",
            "下一步",
            "应完成日期",
            "逾期步骤",
        ],
        [
            "1",
            "李明",
            "预备党员",
            "2024-03-11",
            "2025-04-14",
            "2026-05-11",
            "2026-11-05",
            "2027-11-04",
            "上级党委审批",
            "2027-02-05",
            "上级党委审批",
        ],
        [
            "2",
            "郑丽华",
            "预备党员",
            "2023-02-20",
            "2023-09-18",
            "2024-09-23",
            "2025-10-30",
            "2026-10-29",
            "上级党委审批转正",
            "2027-02-05",
            "上级党委审批转正",
        ],
        ["3", "王雪", "发展对象", "2024-09-02", "2025-03-17", "2026-03-23", "", "", "支部委员会审查", "", ""],
        ["4", "陈晨", "入党积极分子", "2025-11-03", "2026-06-15", "", "", "", "培养教育考察", "2027-05-16", ""],
    ];
    assert_eq!(table, expected);
    // Real dates, not text that looks like one.
    assert!(
        matches!(&sheet[2][3], Data::DateTime(d) if d.as_datetime().unwrap().date() == NaiveDate::from_ymd_opt(2024, 3, 11).unwrap()),
        "{:?}",
        sheet[2][3]
    );

    if have(&[OPENPYXL], "the openpyxl part (pip install openpyxl)") {
        let script = "import sys, openpyxl\n\
            ws = openpyxl.load_workbook(sys.argv[1])['发展党员工作台账']\n\
            print(ws.freeze_panes, ws.auto_filter.ref, ws['D3'].is_date, ws['D3'].number_format, ws['G5'].value)";
        let output = Command::new("python3").arg("-c").arg(script).arg(out.path("out/台账.xlsx")).output().unwrap();
        assert!(output.status.success(), "openpyxl cannot open it: {}", String::from_utf8_lossy(&output.stderr));
        assert_eq!(String::from_utf8_lossy(&output.stdout), "C3 A2:K6 True yyyy\"年\"m\"月\"d\"日\" None\n");
    }

    let again = out.again().args(&RENDER).arg("--force").run();
    again.assert_status(0);
    assert!(std::fs::read(again.path("out/台账.xlsx")).unwrap() == book, "台账.xlsx is not reproducible");
}

#[test]
fn a_branch_without_applicant_records_has_no_such_sheet() {
    let test = Test::new().example();
    std::fs::remove_dir_all(test.path("2026Q4/发展党员")).unwrap();
    let out = test.args(&RENDER).run();
    let book = std::fs::read(out.path("out/台账.xlsx")).unwrap_or_else(|_| panic!("{out}"));
    assert_eq!(sheet_names(&book), ["活动台账", "检查发现", "党员参加组织生活"]);
    assert!(!out.path("out/发展党员工作台账.md").exists(), "{out}");
}
