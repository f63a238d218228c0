//! The register as a document (党员参加组织生活情况.md/.typ/.docx): its view for the templates. The
//! activity columns are cut into parts that fit A4 landscape, each repeating the names.

use serde::Serialize;

use crate::ledger::{period_label, Request};
use crate::render::branch::Act;
use crate::render::{render_branch, BranchDocument, Engine, Fonts, RenderedFile, TemplateError};
use crate::text::BLANK;

use super::{cell_text, Register};

/// The register's file name without extension.
pub const REGISTER_STEM: &str = "党员参加组织生活情况";

/// At most this many activity columns side by side on A4 landscape (the totals take the rest).
const COLUMNS_PER_PART: usize = 12;

#[derive(Debug, Serialize)]
struct View {
    blank: &'static str,
    act: Act,
    branch_name: String,
    /// <支部全称><period>党员参加组织生活情况
    title: String,
    period: Option<String>,
    parts: Vec<Part>,
    members: usize,
    activities: usize,
    planned: usize,
    findings: Vec<String>,
    fonts: Fonts,
}

#[derive(Debug, Serialize)]
struct Part {
    columns: Vec<ColumnView>,
    lines: Vec<LineView>,
    /// The last part carries each member's totals.
    totals: bool,
}

#[derive(Debug, Serialize)]
struct ColumnView {
    no: usize,
    /// 11月5日
    date: String,
    /// 11-05
    short_date: String,
    kind: &'static str,
    group: Option<String>,
    recorded: bool,
}

#[derive(Debug, Serialize)]
struct LineView {
    no: usize,
    name: String,
    cells: Vec<String>,
    expected: u32,
    present: u32,
    leave: u32,
    absent: u32,
    unknown: u32,
    rate: Option<String>,
    note: String,
}

/// The register documents of one branch in the requested formats, from the same request as its
/// 台账 (with the register's findings). The Word form is landscape as the 台账's, dated by the
/// last activity.
pub fn render(engine: &Engine, request: &Request) -> Result<Vec<RenderedFile>, TemplateError> {
    let view = view(request);
    let docx = |name: &str, context: &tera::Context| {
        crate::render::docx::ledger(engine, name, context, &view.title, &view.branch_name, request.last_date())
    };
    let document = BranchDocument { template: "register", stem: REGISTER_STEM, docx: Some(&docx) };
    render_branch(engine, &document, &view, request.formats)
}

fn view(request: &Request) -> View {
    let Request { branch, rows, findings, period, fonts, .. } = *request;
    let register = Register::build(branch, rows);
    let name = branch.file.branch.name.trim().to_string();
    let label = period_label(rows, period);
    let title = format!("{name}{}党员参加组织生活情况", label.as_deref().unwrap_or(""));
    let total = register.columns.len();
    // Parts of equal width: 14 activities are two parts of 7, not 12 and 2.
    let count = total.div_ceil(COLUMNS_PER_PART).max(1);
    let size = total.div_ceil(count).max(1);
    let mut parts = Vec::new();
    for (p, start) in (0..total.max(1)).step_by(size).enumerate() {
        let end = (start + size).min(total);
        let columns = register.columns[start..end]
            .iter()
            .enumerate()
            .map(|(i, c)| ColumnView {
                no: start + i + 1,
                date: format!("{}月{}日", c.date.format("%-m"), c.date.format("%-d")),
                short_date: c.date.format("%m-%d").to_string(),
                kind: c.kind.short_name(),
                group: c.group.clone(),
                recorded: c.recorded,
            })
            .collect();
        let lines = register
            .lines
            .iter()
            .enumerate()
            .map(|(i, line)| LineView {
                no: i + 1,
                name: line.name.clone(),
                cells: line.cells[start..end].iter().map(cell_text).collect(),
                expected: line.totals.expected,
                present: line.totals.present,
                leave: line.totals.leave,
                absent: line.totals.absent,
                unknown: line.totals.unknown,
                rate: line.totals.rate(),
                note: match (&line.excluded, line.status) {
                    (Some(reason), _) => format!("不计入应到：{}", reason.trim()),
                    (None, crate::model::MemberStatus::Full) => String::new(),
                    (None, status) => status.chinese().to_string(),
                },
            })
            .collect();
        parts.push(Part { columns, lines, totals: p + 1 == count });
    }
    View {
        blank: BLANK,
        act: Act::new(&title, &branch.source.path, "各活动记录"),
        branch_name: name,
        title,
        period: label,
        parts,
        members: register.lines.len(),
        activities: total,
        planned: register.planned,
        findings: findings.iter().map(|d| d.message.clone()).collect(),
        fonts: fonts.clone(),
    }
}
