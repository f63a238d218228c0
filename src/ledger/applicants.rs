//! The 发展党员工作台账 of a branch: one row per applicant of the run with the stage, the key dates,
//! the next step, its due date and an overdue mark. Written beside the branch's 台账.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{Branch, Date};
use crate::record::applicant::ApplicantRecord;
use crate::render::branch::Act;
use crate::render::{render_branch, BranchDocument, Engine, Fonts, Format, RenderedFile, TemplateError};
use crate::rules::development::{next_step, State};
use crate::text::BLANK;

/// The ledger's file name without extension.
pub const LEDGER_STEM: &str = "发展党员工作台账";

/// One applicant, as the ledger and `pdb plan` see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicantRow {
    pub input: PathBuf,
    pub name: String,
    pub stage: &'static str,
    pub applied: Option<NaiveDate>,
    pub activist: Option<NaiveDate>,
    pub candidate: Option<NaiveDate>,
    pub admitted: Option<NaiveDate>,
    pub probation_end: Option<NaiveDate>,
    pub confirmed: Option<NaiveDate>,
    pub next: Option<String>,
    pub due: Option<NaiveDate>,
    pub overdue: bool,
    /// Every step overdue, for the mark.
    pub overdue_steps: Vec<String>,
}

impl ApplicantRow {
    pub fn from_record(record: &ApplicantRecord) -> ApplicantRow {
        let f = &record.file;
        let d = |date: Option<&serde_spanned::Spanned<Date>>| date.map(|d| d.get_ref().0);
        let next = next_step(&record.steps);
        ApplicantRow {
            input: record.path().to_path_buf(),
            name: record.name().to_string(),
            stage: record.facts.stage.chinese(),
            applied: d(f.application.as_ref().and_then(|a| a.get_ref().date.as_ref())),
            activist: d(f.activist.as_ref().and_then(|a| a.get_ref().date.as_ref())),
            candidate: d(f.candidate.as_ref().and_then(|c| c.get_ref().date.as_ref())),
            admitted: record.facts.admitted,
            probation_end: record.facts.probation.map(|p| p.end),
            confirmed: record.facts.confirmation_meeting,
            next: next.map(|s| s.name.to_string()),
            due: next.and_then(|s| s.state.due()),
            overdue: next.is_some_and(|s| matches!(s.state, State::Overdue(_))),
            overdue_steps: record
                .steps
                .iter()
                .filter(|s| matches!(s.state, State::Overdue(_)))
                .map(|s| s.name.to_string())
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct View {
    blank: &'static str,
    act: Act,
    title: String,
    branch: String,
    rows: Vec<RowView>,
    today: String,
    fonts: Fonts,
}

#[derive(Serialize)]
struct RowView {
    no: usize,
    name: String,
    stage: &'static str,
    applied: String,
    activist: String,
    candidate: String,
    admitted: String,
    probation: String,
    next: String,
    due: String,
    overdue: bool,
    overdue_steps: String,
}

/// The ledger's order, in the document and the workbook alike: the furthest stage first, then
/// by file.
pub fn ordered(rows: &[ApplicantRow]) -> Vec<&ApplicantRow> {
    let mut sorted: Vec<&ApplicantRow> = rows.iter().collect();
    sorted.sort_by(|a, b| {
        (a.admitted.is_none(), a.candidate.is_none(), a.activist.is_none(), &a.input).cmp(&(
            b.admitted.is_none(),
            b.candidate.is_none(),
            b.activist.is_none(),
            &b.input,
        ))
    });
    sorted
}

/// The last date the rows record: the date of the Word file, which the run's day would change.
fn last_date(rows: &[ApplicantRow]) -> Option<NaiveDate> {
    rows.iter().flat_map(|r| [r.applied, r.activist, r.candidate, r.admitted, r.confirmed]).flatten().max()
}

/// 发展党员工作台账.typ, .md and .docx of one branch, in the ledger's order.
pub fn render(
    engine: &Engine,
    branch: &Branch,
    rows: &[ApplicantRow],
    today: NaiveDate,
    formats: &[Format],
    fonts: Fonts,
) -> Result<Vec<RenderedFile>, TemplateError> {
    let date = |d: Option<NaiveDate>| d.map_or_else(|| "—".to_string(), |d| Date(d).chinese());
    let sorted = ordered(rows);
    let name = branch.file.branch.name.trim().to_string();
    let title = format!("{name}发展党员工作台账");
    let view = View {
        blank: BLANK,
        act: Act::new(&title, &branch.source.path, "各发展党员记录"),
        title,
        branch: name,
        rows: sorted
            .iter()
            .enumerate()
            .map(|(i, r)| RowView {
                no: i + 1,
                name: r.name.clone(),
                stage: r.stage,
                applied: date(r.applied),
                activist: date(r.activist),
                candidate: date(r.candidate),
                admitted: date(r.admitted),
                probation: match (r.admitted, r.probation_end) {
                    (Some(start), Some(end)) => format!("{}至{}", Date(start).chinese(), Date(end).chinese()),
                    _ => "—".to_string(),
                },
                next: r.next.clone().unwrap_or_else(|| "—".to_string()),
                due: date(r.due),
                overdue: r.overdue || !r.overdue_steps.is_empty(),
                overdue_steps: r.overdue_steps.join("、"),
            })
            .collect(),
        today: Date(today).chinese(),
        fonts,
    };
    // The Word form is landscape as the 台账's, dated by the last date the rows record.
    let docx = |name: &str, context: &tera::Context| {
        let date = last_date(rows).unwrap_or(today).and_time(chrono::NaiveTime::MIN);
        crate::render::docx::ledger(engine, name, context, &view.title, &view.branch, date)
    };
    let document = BranchDocument { template: "applicant/ledger", stem: LEDGER_STEM, docx: Some(&docx) };
    render_branch(engine, &document, &view, formats)
}
