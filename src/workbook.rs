//! 台账.xlsx: the ledger as a spreadsheet for inspectors. Three sheets: 活动台账 (the ledger's
//! columns with 主持人, 地点, 主讲人/主题 and who was away, and a 合计 row), 检查发现 (counts by
//! kind and every finding), 党员参加组织生活 (the register); a fourth, 发展党员工作台账, when the
//! branch has applicant records. Dates are real dates, rates real percentages, headers frozen
//! and filtered. The bytes depend only on the inputs.

use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet, XlsxError,
};

use crate::diagnostics::Diagnostic;
use crate::ledger::applicants::ordered;
use crate::ledger::{is_member_finding, period_label, ApplicantRow};
use crate::model::{ActivityStatus, Branch, Kind, LedgerRow, Mark};
use crate::period::Period;
use crate::register::{cell_text, Register};

/// The sheets' names, for readers of the workbook.
pub const ACTIVITY_SHEET: &str = "活动台账";
pub const CHECK_SHEET: &str = "检查发现";
pub const REGISTER_SHEET: &str = "党员参加组织生活";
pub const APPLICANT_SHEET: &str = "发展党员工作台账";

struct Styles {
    title: Format,
    head: Format,
    text: Format,
    wrap: Format,
    number: Format,
    date: Format,
    percent: Format,
    total: Format,
    total_percent: Format,
}

impl Styles {
    fn new() -> Styles {
        let cell = Format::new().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter);
        let head = cell
            .clone()
            .set_bold()
            .set_align(FormatAlign::Center)
            .set_text_wrap()
            .set_background_color(Color::RGB(0xDDEBF7));
        let total = cell.clone().set_bold().set_background_color(Color::RGB(0xF2F2F2));
        Styles {
            title: Format::new().set_bold().set_font_size(14),
            head,
            text: cell.clone(),
            wrap: cell.clone().set_text_wrap(),
            number: cell.clone().set_align(FormatAlign::Center),
            date: cell.clone().set_num_format("yyyy\"年\"m\"月\"d\"日\"").set_align(FormatAlign::Center),
            percent: cell.clone().set_num_format("0.0%").set_align(FormatAlign::Center),
            total_percent: total.clone().set_num_format("0.0%").set_align(FormatAlign::Center),
            total,
        }
    }
}

/// The workbook's bytes: the branch's meetings, its findings and, when there are any, its
/// applicants.
pub fn write(
    branch: &Branch,
    rows: &[LedgerRow],
    applicants: &[ApplicantRow],
    findings: &[Diagnostic],
    period: Option<Period>,
) -> Result<Vec<u8>, XlsxError> {
    let styles = Styles::new();
    let mut book = Workbook::new();
    let name = branch.file.branch.name.trim();
    let label = period_label(rows, period).unwrap_or_default();
    // A fixed creation date (the last activity's): the same inputs give the same bytes.
    let last = rows.iter().map(|r| r.date).max().unwrap_or_default();
    let created =
        ExcelDateTime::from_ymd(last.format("%Y").to_string().parse().unwrap_or(2000), month(last), day(last))?;
    book.set_properties(
        &DocProperties::new()
            .set_title(format!("{name}{label}活动台账"))
            .set_author("pdb")
            .set_creation_datetime(&created),
    );
    let mut sorted: Vec<&LedgerRow> = rows.iter().collect();
    let kind_index = |k: Kind| Kind::ALL.iter().position(|x| *x == k);
    sorted.sort_by(|a, b| (a.date, kind_index(a.kind), &a.input).cmp(&(b.date, kind_index(b.kind), &b.input)));
    activities(book.add_worksheet(), &styles, &format!("{name}{label}活动台账"), &sorted)?;
    checks(book.add_worksheet(), &styles, &format!("{name}{label}检查发现"), &sorted, findings)?;
    let register = Register::build(branch, rows);
    members(book.add_worksheet(), &styles, &format!("{name}{label}党员参加组织生活情况"), &register)?;
    if !applicants.is_empty() {
        development(book.add_worksheet(), &styles, &format!("{name}发展党员工作台账"), applicants)?;
    }
    book.save_to_buffer()
}

fn month(d: chrono::NaiveDate) -> u8 {
    d.format("%m").to_string().parse().unwrap_or(1)
}

fn day(d: chrono::NaiveDate) -> u8 {
    d.format("%d").to_string().parse().unwrap_or(1)
}

fn date(d: chrono::NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(d.format("%Y").to_string().parse().unwrap_or(2000), month(d), day(d))
}

/// Display width in Excel's units: a Chinese character is two.
fn width(text: &str) -> usize {
    text.chars().map(|c| if (c as u32) < 0x1100 { 1 } else { 2 }).sum()
}

/// Column widths from the widest cell, within limits.
struct Widths(Vec<usize>);

impl Widths {
    fn see(&mut self, col: usize, text: &str) {
        if self.0.len() <= col {
            self.0.resize(col + 1, 4);
        }
        let w = text.lines().map(width).max().unwrap_or(0);
        self.0[col] = self.0[col].max(w);
    }

    fn apply(&self, sheet: &mut Worksheet, max: usize) -> Result<(), XlsxError> {
        for (col, w) in self.0.iter().enumerate() {
            sheet.set_column_width(col as u16, (w.min(&max) + 2) as f64)?;
        }
        Ok(())
    }
}

const ACTIVITY_HEADERS: [&str; 17] = [
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
    "决议",
];

fn activities(sheet: &mut Worksheet, s: &Styles, title: &str, rows: &[&LedgerRow]) -> Result<(), XlsxError> {
    sheet.set_name(ACTIVITY_SHEET)?;
    sheet.write_with_format(0, 0, title, &s.title)?;
    let mut widths = Widths(Vec::new());
    for (col, head) in ACTIVITY_HEADERS.iter().enumerate() {
        sheet.write_with_format(1, col as u16, *head, &s.head)?;
        widths.see(col, head);
    }
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 2;
        let held = r.status == ActivityStatus::Held;
        let known = held && !r.marks.iter().any(|m| m.mark == Mark::Unknown);
        let names = |pick: fn(&Mark) -> Option<String>| -> String {
            r.marks
                .iter()
                .filter_map(|m| pick(&m.mark).map(|x| format!("{}{x}", m.name)))
                .collect::<Vec<_>>()
                .join("、")
        };
        let leave = names(|m| match m {
            Mark::Leave(reason) => Some(format!("（{reason}）")),
            _ => None,
        });
        let absent = names(|m| (*m == Mark::Absent).then(String::new));
        let absent_count = r.marks.iter().filter(|m| m.mark == Mark::Absent).count() as u32;
        let speaker = match (&r.lecturer, &r.theme) {
            (Some(l), Some(t)) => format!("{l}：{t}"),
            (Some(l), None) => l.clone(),
            (None, Some(t)) => t.clone(),
            (None, None) => String::new(),
        };
        let decisions = r.decisions.join("\n");
        let texts: [(usize, &str); 10] = [
            (2, r.kind.short_name()),
            (3, r.group.as_deref().unwrap_or("")),
            (4, &r.title),
            (5, r.status.chinese()),
            (6, &r.host),
            (7, &r.location),
            (8, &speaker),
            (14, if known { &leave } else { "" }),
            (15, if known { &absent } else { "" }),
            (16, &decisions),
        ];
        sheet.write_with_format(row, 0, (i + 1) as u32, &s.number)?;
        sheet.write_datetime_with_format(row, 1, date(r.date)?, &s.date)?;
        widths.see(1, "2026年11月30日");
        for (col, text) in texts {
            let format = if matches!(col, 4 | 8 | 16) { &s.wrap } else { &s.text };
            sheet.write_with_format(row, col as u16, text, format)?;
            widths.see(col, text);
        }
        sheet.write_with_format(row, 9, r.expected, &s.number)?;
        if known {
            sheet.write_with_format(row, 10, r.present, &s.number)?;
            sheet.write_with_format(row, 11, r.on_leave, &s.number)?;
            sheet.write_with_format(row, 12, absent_count, &s.number)?;
            match r.expected {
                0 => sheet.write_blank(row, 13, &s.percent)?,
                e => sheet.write_with_format(row, 13, f64::from(r.present) / f64::from(e), &s.percent)?,
            };
        } else {
            // Planned, or attendance not recorded: nothing to count (never “everyone came”).
            let note = if held { "未记录" } else { "" };
            for col in 10..=13 {
                sheet.write_with_format(row, col, note, &s.number)?;
            }
            if held {
                sheet.write_with_format(row, 14, "出席情况未记录", &s.text)?;
                sheet.write_blank(row, 15, &s.text)?;
            }
        }
    }
    let last = rows.len() as u32 + 1;
    let total = last + 1;
    let held: Vec<&&LedgerRow> = rows
        .iter()
        .filter(|r| r.status == ActivityStatus::Held && !r.marks.iter().any(|m| m.mark == Mark::Unknown))
        .collect();
    let sum = |f: fn(&LedgerRow) -> u32| held.iter().map(|r| f(r)).sum::<u32>();
    let expected = sum(|r| r.expected);
    let present = sum(|r| r.present);
    let leave = sum(|r| r.on_leave);
    let absent = sum(|r| r.marks.iter().filter(|m| m.mark == Mark::Absent).count() as u32);
    sheet.write_with_format(total, 0, "合计", &s.total)?;
    for col in 1..=16u16 {
        sheet.write_blank(total, col, &s.total)?;
    }
    sheet.write_with_format(total, 4, format!("已召开{}次（出席情况已记录的计入人次）", held.len()), &s.total)?;
    // Formulas over the rows, with their values cached for readers that do not calculate. The
    // 应到 sum counts only rows with a known 实到, as the rate does.
    let rows_range = |c: &str| format!("{c}3:{c}{}", last + 1);
    let formula = |f: String, v: u32| Formula::new(f).set_result(v.to_string());
    if !rows.is_empty() {
        sheet.write_formula_with_format(
            total,
            9,
            formula(
                format!("SUMIFS({},{},\"<>未记录\",{},\"<>\")", rows_range("J"), rows_range("K"), rows_range("K")),
                expected,
            ),
            &s.total,
        )?;
        for (col, letter, value) in [(10u16, "K", present), (11, "L", leave), (12, "M", absent)] {
            sheet.write_formula_with_format(
                total,
                col,
                formula(format!("SUM({})", rows_range(letter)), value),
                &s.total,
            )?;
        }
        if expected > 0 {
            let rate = f64::from(present) / f64::from(expected);
            let f = Formula::new(format!("IF(J{0}=0,\"\",K{0}/J{0})", total + 1)).set_result(rate.to_string());
            sheet.write_formula_with_format(total, 13, f, &s.total_percent)?;
        }
    }
    widths.apply(sheet, 40)?;
    sheet.set_column_width(4, 30)?;
    sheet.set_column_width(16, 40)?;
    // Wrapped cells get the height of their lines: not every spreadsheet fits rows on opening.
    let column = |col: usize| match col {
        4 => 30,
        16 => 40,
        c => widths.0.get(c).map_or(10, |w| (*w).min(40) + 2),
    };
    for (i, r) in rows.iter().enumerate() {
        let speaker = [r.lecturer.as_deref().unwrap_or(""), r.theme.as_deref().unwrap_or("")].join("：");
        let cells = [(4, r.title.clone()), (8, speaker), (16, r.decisions.join("\n"))];
        let lines = cells
            .iter()
            .map(|(col, text)| text.lines().map(|l| width(l).div_ceil(column(*col).max(6) - 5).max(1)).sum::<usize>())
            .max()
            .unwrap_or(1)
            .max(1);
        sheet.set_row_height(i as u32 + 2, 15.0 * lines as f64)?;
    }
    sheet.set_freeze_panes(2, 0)?;
    sheet.autofilter(1, 0, last.max(2), 16)?;
    sheet.set_landscape().set_paper_size(9).set_print_fit_to_pages(1, 0).set_repeat_rows(1, 1)?;
    Ok(())
}

fn checks(
    sheet: &mut Worksheet,
    s: &Styles,
    title: &str,
    rows: &[&LedgerRow],
    findings: &[Diagnostic],
) -> Result<(), XlsxError> {
    sheet.set_name(CHECK_SHEET)?;
    sheet.write_with_format(0, 0, title, &s.title)?;
    for (col, head) in ["类型", "已召开", "计划"].iter().enumerate() {
        sheet.write_with_format(1, col as u16, *head, &s.head)?;
    }
    let mut row = 2u32;
    for kind in Kind::ALL {
        let held = rows.iter().filter(|r| r.kind == *kind && r.status == ActivityStatus::Held).count() as u32;
        let planned = rows.iter().filter(|r| r.kind == *kind && r.status == ActivityStatus::Planned).count() as u32;
        if held + planned == 0 {
            continue;
        }
        sheet.write_with_format(row, 0, kind.short_name(), &s.text)?;
        sheet.write_with_format(row, 1, held, &s.number)?;
        sheet.write_with_format(row, 2, planned, &s.number)?;
        row += 1;
    }
    row += 1;
    let header = row;
    for (col, head) in ["序号", "类别", "发现", "修改建议", "位置"].iter().enumerate() {
        sheet.write_with_format(row, col as u16, *head, &s.head)?;
    }
    for (i, d) in findings.iter().enumerate() {
        row += 1;
        let category = if is_member_finding(d) { "党员参加组织生活" } else { "开会频次" };
        sheet.write_with_format(row, 0, (i + 1) as u32, &s.number)?;
        sheet.write_with_format(row, 1, category, &s.text)?;
        sheet.write_with_format(row, 2, d.message.as_str(), &s.wrap)?;
        sheet.write_with_format(row, 3, d.help.as_deref().unwrap_or(""), &s.wrap)?;
        sheet.write_with_format(row, 4, d.location(), &s.text)?;
    }
    if findings.is_empty() {
        row += 1;
        sheet.write_with_format(row, 2, "未发现问题", &s.text)?;
    }
    for (col, w) in [(0u16, 14.0), (1, 18.0), (2, 60.0), (3, 50.0), (4, 30.0)] {
        sheet.set_column_width(col, w)?;
    }
    sheet.autofilter(header, 0, row.max(header + 1), 4)?;
    Ok(())
}

fn members(sheet: &mut Worksheet, s: &Styles, title: &str, register: &Register) -> Result<(), XlsxError> {
    sheet.set_name(REGISTER_SHEET)?;
    sheet.write_with_format(0, 0, title, &s.title)?;
    let fixed = ["序号", "姓名", "党小组"];
    let totals = ["应参加", "出席", "请假", "缺席", "未记录", "出席率", "备注"];
    let mut widths = Widths(Vec::new());
    let n = register.columns.len();
    for (col, head) in fixed.iter().enumerate() {
        sheet.write_with_format(1, col as u16, *head, &s.head)?;
        widths.see(col, head);
    }
    for (i, c) in register.columns.iter().enumerate() {
        let group = c.group.as_deref().map(|g| format!("\n{g}")).unwrap_or_default();
        let head = format!("{}\n{}{group}", c.date.format("%m-%d"), c.kind.short_name());
        sheet.write_with_format(1, (3 + i) as u16, head.as_str(), &s.head)?;
        widths.see(3 + i, &head);
    }
    for (j, head) in totals.iter().enumerate() {
        sheet.write_with_format(1, (3 + n + j) as u16, *head, &s.head)?;
        widths.see(3 + n + j, head);
    }
    for (i, line) in register.lines.iter().enumerate() {
        let row = i as u32 + 2;
        sheet.write_with_format(row, 0, (i + 1) as u32, &s.number)?;
        sheet.write_with_format(row, 1, line.name.as_str(), &s.text)?;
        sheet.write_with_format(row, 2, line.group.as_deref().unwrap_or(""), &s.text)?;
        widths.see(1, &line.name);
        widths.see(2, line.group.as_deref().unwrap_or(""));
        for (k, cell) in line.cells.iter().enumerate() {
            let text = cell_text(cell);
            sheet.write_with_format(row, (3 + k) as u16, text.as_str(), &s.number)?;
            widths.see(3 + k, &text);
        }
        let t = line.totals;
        let base = (3 + n) as u16;
        for (j, v) in [t.expected, t.present, t.leave, t.absent, t.unknown].into_iter().enumerate() {
            sheet.write_with_format(row, base + j as u16, v, &s.number)?;
        }
        match t.expected - t.unknown {
            0 => sheet.write_blank(row, base + 5, &s.percent)?,
            known => sheet.write_with_format(row, base + 5, f64::from(t.present) / f64::from(known), &s.percent)?,
        };
        let note = match (&line.excluded, line.status) {
            (Some(reason), _) => format!("不计入应到：{}", reason.trim()),
            (None, crate::model::MemberStatus::Full) => String::new(),
            (None, status) => status.chinese().to_string(),
        };
        sheet.write_with_format(row, base + 6, note.as_str(), &s.text)?;
        widths.see(3 + n + 6, &note);
    }
    widths.apply(sheet, 30)?;
    sheet.set_row_height(1, 45)?;
    sheet.set_freeze_panes(2, 2)?;
    sheet.autofilter(1, 0, (register.lines.len() as u32 + 1).max(2), (3 + n + 6) as u16)?;
    sheet.set_landscape().set_paper_size(9).set_print_fit_to_pages(1, 0).set_repeat_rows(1, 1)?;
    Ok(())
}

/// The 发展党员工作台账's columns. The document's 预备期 (admission to its end) is 预备期满 here, a
/// date to sort by (its start is 接收预备党员); its 逾期 mark a column to filter on.
const APPLICANT_HEADERS: [&str; 11] = [
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
];

fn development(sheet: &mut Worksheet, s: &Styles, title: &str, rows: &[ApplicantRow]) -> Result<(), XlsxError> {
    sheet.set_name(APPLICANT_SHEET)?;
    sheet.write_with_format(0, 0, title, &s.title)?;
    let mut widths = Widths(Vec::new());
    for (col, head) in APPLICANT_HEADERS.iter().enumerate() {
        sheet.write_with_format(1, col as u16, *head, &s.head)?;
        widths.see(col, head);
    }
    let sorted = ordered(rows);
    for (i, r) in sorted.iter().enumerate() {
        let row = i as u32 + 2;
        sheet.write_with_format(row, 0, (i + 1) as u32, &s.number)?;
        let next = r.next.as_deref().unwrap_or("");
        let overdue = r.overdue_steps.join("、");
        for (col, text) in [(1u16, r.name.as_str()), (2, r.stage), (8, next), (10, &overdue)] {
            sheet.write_with_format(row, col, text, &s.text)?;
            widths.see(col.into(), text);
        }
        let dates =
            [(3u16, r.applied), (4, r.activist), (5, r.candidate), (6, r.admitted), (7, r.probation_end), (9, r.due)];
        for (col, day) in dates {
            // No date yet: an empty cell, which a date filter leaves out (never a made-up date).
            match day {
                Some(day) => sheet.write_datetime_with_format(row, col, date(day)?, &s.date)?,
                None => sheet.write_blank(row, col, &s.date)?,
            };
            widths.see(col.into(), "2026年11月30日");
        }
    }
    widths.apply(sheet, 30)?;
    sheet.set_freeze_panes(2, 2)?;
    sheet.autofilter(1, 0, (sorted.len() as u32 + 1).max(2), (APPLICANT_HEADERS.len() - 1) as u16)?;
    sheet.set_landscape().set_paper_size(9).set_print_fit_to_pages(1, 0).set_repeat_rows(1, 1)?;
    Ok(())
}
