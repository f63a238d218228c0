//! The 台账 (ledger) of a branch: one row per activity of the run, with its facts, and the
//! frequency findings of the branch. Rows are small and serializable so that an unchanged
//! activity's row can be read back from its output manifest instead of re-checking the activity.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::load::Branch;
use crate::model::{ActivityStatus, Date, DecisionKind, Kind};
use crate::period::Period;
use crate::record::{Presence, Record};
use crate::render::context::{activity_title, vote_result};
use crate::render::escape::one_line;
use crate::render::{Engine, Fonts, Format, RenderedFile, TemplateError, BLANK};

/// The ledger's file name without extension: 台账.typ, 台账.md, 台账.pdf.
pub const LEDGER_STEM: &str = "台账";

/// What the 决议 column says of a decision whose votes were not recorded.
pub const NO_VOTES: &str = "未记录表决";

/// What the 决议 column says of a decision of an activity that has not been held.
pub const NOT_YET: &str = "待表决";

/// One activity, as the ledger and the frequency check see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerRow {
    /// The activity file.
    pub input: PathBuf,
    /// Its output folder, relative to the folder the ledger is written in ("/"-separated);
    /// `None` when nothing was rendered for it.
    pub folder: Option<String>,
    pub date: NaiveDate,
    pub kind: Kind,
    pub group: Option<String>,
    pub title: String,
    pub status: ActivityStatus,
    pub expected: u32,
    /// 0 for a planned activity: not known yet (the ledger shows no count).
    pub present: u32,
    pub on_leave: u32,
    /// One line per decision: its text and outcome, e.g. “同意接收张三为预备党员：通过”.
    pub decisions: Vec<String>,
    pub decision_kinds: Vec<DecisionKind>,
    /// Line and column of the activity's `status` value, for the “still planned” finding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_at: Option<(usize, usize)>,
    /// The meeting form it was held in (`form`), for the frequency check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<Kind>,
    /// Who gave it (`lecturer`), for the check of the 书记's 党课.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lecturer: Option<String>,
}

impl LedgerRow {
    pub fn from_record(record: &Record) -> LedgerRow {
        let file = &record.activity.file;
        let status = file.status();
        let held = status == ActivityStatus::Held;
        let quorate = record.quorum.as_ref().is_none_or(|q| q.holds);
        let decisions = file
            .decisions
            .iter()
            .zip(&record.decisions)
            .map(|(decision, outcome)| {
                let text = one_line(&decision.get_ref().text);
                let result = match outcome.passed {
                    _ if !held => NOT_YET,
                    Some(passed) => vote_result(passed, quorate),
                    None => NO_VOTES,
                };
                format!("{}：{result}", text.trim_end_matches('。'))
            })
            .collect();
        let on_leave = record
            .expected
            .iter()
            .filter(|a| matches!(a.presence, Presence::OnLeave(_)))
            .count() as u32;
        LedgerRow {
            input: record.path().to_path_buf(),
            folder: None,
            date: file.date.get_ref().0,
            kind: record.kind(),
            group: file.group.as_ref().map(|g| g.get_ref().trim().to_string()),
            title: activity_title(record),
            status,
            expected: record.counts.expected,
            present: if held { record.counts.present } else { 0 },
            on_leave: if held { on_leave } else { 0 },
            decisions,
            decision_kinds: file.decisions.iter().map(|d| d.get_ref().kind).collect(),
            status_at: file
                .status
                .as_ref()
                .map(|s| record.activity.source.line_column(s.span().start)),
            form: file.form.as_ref().map(|f| *f.get_ref()),
            lecturer: file.lecturer.as_ref().map(|l| l.get_ref().trim().to_string()),
        }
    }
}

/// 出席率 as printed: 实到 ÷ 应到 in percent, rounded half up to one decimal (14 of 15 is
/// 93.3%, 2 of 3 is 66.7%); `None` when nobody was expected.
pub fn attendance_rate(present: u32, expected: u32) -> Option<String> {
    if expected == 0 {
        return None;
    }
    let (present, expected) = (u64::from(present), u64::from(expected));
    let tenths = (2 * 1000 * present + expected) / (2 * expected);
    Some(format!("{}.{}%", tenths / 10, tenths % 10))
}

/// The period a ledger covers: the span asked for, or the smallest month, quarter or year that
/// holds every row, or “2025年至2026年” for rows of several years.
pub fn period_label(rows: &[LedgerRow], span: Option<Period>) -> Option<String> {
    if let Some(span) = span {
        return Some(span.to_string());
    }
    let first = rows.iter().map(|r| r.date).min()?;
    let last = rows.iter().map(|r| r.date).max()?;
    let candidates = [
        Period::month_of(first),
        Period::quarter_of(first),
        Period::year_of(first),
    ];
    Some(match candidates.into_iter().find(|p| p.contains(last)) {
        Some(period) => period.to_string(),
        None => format!("{}至{}", Period::year_of(first), Period::year_of(last)),
    })
}

#[derive(Debug, Serialize)]
struct LedgerView {
    blank: &'static str,
    /// For typst/base.typ: the document title and what it was made from.
    act: ActView,
    branch: BranchView,
    /// <支部全称><period>活动台账
    title: String,
    period: Option<String>,
    rows: Vec<RowView>,
    findings: Vec<FindingView>,
    totals: TotalsView,
    fonts: Fonts,
}

#[derive(Debug, Serialize)]
struct ActView {
    title: String,
    source_file: String,
}

#[derive(Debug, Serialize)]
struct BranchView {
    name: String,
    display: String,
}

#[derive(Debug, Serialize)]
struct RowView {
    no: usize,
    /// 2026年11月5日
    date: String,
    date_iso: String,
    kind: &'static str,
    group: Option<String>,
    title: String,
    status: &'static str,
    planned: bool,
    expected: u32,
    /// `None` for a planned activity.
    present: Option<u32>,
    on_leave: Option<u32>,
    /// 93.3%; `None` when planned or nobody was expected.
    rate: Option<String>,
    decisions: Vec<String>,
    folder: Option<String>,
    /// Percent-encoded links: the folder, and its 00-全套.pdf.
    href_folder: Option<String>,
    href_packet: Option<String>,
}

#[derive(Debug, Serialize)]
struct FindingView {
    message: String,
    help: Option<String>,
    /// file:line:column
    location: String,
}

#[derive(Debug, Serialize)]
struct TotalsView {
    activities: usize,
    held: usize,
    planned: usize,
    by_kind: Vec<KindCount>,
    /// Sums over held activities, in 人次.
    expected: u32,
    present: u32,
    on_leave: u32,
    rate: Option<String>,
    decisions: usize,
}

#[derive(Debug, Serialize)]
struct KindCount {
    kind: &'static str,
    held: usize,
    planned: usize,
}

/// The ledger documents of one branch (台账.typ, 台账.md), in the requested formats. A run that
/// compiles PDFs passes the fonts typst has, so that the PDF names no missing font.
pub fn render(
    engine: &Engine,
    branch: &Branch,
    rows: &[LedgerRow],
    findings: &[Diagnostic],
    period: Option<Period>,
    formats: &[Format],
    fonts: Fonts,
) -> Result<Vec<RenderedFile>, TemplateError> {
    let view = view(branch, rows, findings, period, fonts);
    let context = tera::Context::from_serialize(&view).expect("the ledger view serializes to a map");
    formats
        .iter()
        .map(|&format| {
            let name = format!("{}/ledger.{}", format.folder(), format.template_extension());
            let contents = match format {
                Format::Docx => {
                    let last = rows.iter().map(|r| r.date).max().unwrap_or_default();
                    let date = last.and_time(chrono::NaiveTime::MIN);
                    crate::render::docx::ledger(engine, &name, &context, &view.title, &view.branch.name, date)?
                }
                _ => engine.render_template(format, &name, &context)?.into_bytes(),
            };
            Ok(RenderedFile { name: format!("{LEDGER_STEM}.{}", format.extension()), contents })
        })
        .collect()
}

fn view(
    branch: &Branch,
    rows: &[LedgerRow],
    findings: &[Diagnostic],
    period: Option<Period>,
    fonts: Fonts,
) -> LedgerView {
    let info = &branch.file.branch;
    let name = info.name.trim().to_string();
    let label = period_label(rows, period);
    let title = format!("{name}{}活动台账", label.as_deref().unwrap_or(""));
    let kind_index = |k: Kind| Kind::ALL.iter().position(|x| *x == k);
    let mut sorted: Vec<&LedgerRow> = rows.iter().collect();
    sorted.sort_by(|a, b| (a.date, kind_index(a.kind), &a.input).cmp(&(b.date, kind_index(b.kind), &b.input)));
    let row_views: Vec<RowView> = sorted
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let planned = r.status == ActivityStatus::Planned;
            let folder = r.folder.as_ref().map(|f| f.trim_end_matches('/').to_string());
            RowView {
                no: i + 1,
                date: Date(r.date).chinese(),
                date_iso: r.date.to_string(),
                kind: r.kind.short_name(),
                group: r.group.clone(),
                title: r.title.clone(),
                status: r.status.chinese(),
                planned,
                expected: r.expected,
                present: (!planned).then_some(r.present),
                on_leave: (!planned).then_some(r.on_leave),
                rate: if planned {
                    None
                } else {
                    attendance_rate(r.present, r.expected)
                },
                decisions: r.decisions.clone(),
                href_folder: folder.as_ref().map(|f| format!("{}/", encode(f))),
                href_packet: folder
                    .as_ref()
                    .map(|f| format!("{}/00-%E5%85%A8%E5%A5%97.pdf", encode(f))),
                folder,
            }
        })
        .collect();
    let held: Vec<&&LedgerRow> = sorted.iter().filter(|r| r.status == ActivityStatus::Held).collect();
    let expected: u32 = held.iter().map(|r| r.expected).sum();
    let present: u32 = held.iter().map(|r| r.present).sum();
    let by_kind = Kind::ALL
        .iter()
        .map(|&kind| KindCount {
            kind: kind.short_name(),
            held: held.iter().filter(|r| r.kind == kind).count(),
            planned: sorted
                .iter()
                .filter(|r| r.kind == kind && r.status == ActivityStatus::Planned)
                .count(),
        })
        .filter(|k| k.held + k.planned > 0)
        .collect();
    let totals = TotalsView {
        activities: sorted.len(),
        held: held.len(),
        planned: sorted.len() - held.len(),
        by_kind,
        expected,
        present,
        on_leave: held.iter().map(|r| r.on_leave).sum(),
        rate: attendance_rate(present, expected),
        decisions: held.iter().map(|r| r.decisions.len()).sum(),
    };
    LedgerView {
        blank: BLANK,
        act: ActView {
            title: title.clone(),
            source_file: format!("{} 和各活动记录", branch.source.path.display()),
        },
        branch: BranchView {
            name,
            display: info.display_name().trim().to_string(),
        },
        title,
        period: label,
        rows: row_views,
        findings: findings
            .iter()
            .map(|d| FindingView {
                message: d.message.clone(),
                help: d.help.clone(),
                location: d.location(),
            })
            .collect(),
        totals,
        fonts,
    }
}

/// Percent-encodes what a link cannot hold as it is (spaces, brackets, Markdown and Typst
/// syntax); Chinese characters stay readable.
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '/') || !c.is_ascii() {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_round_half_up_to_one_decimal() {
        assert_eq!(attendance_rate(14, 15).as_deref(), Some("93.3%"));
        assert_eq!(attendance_rate(2, 3).as_deref(), Some("66.7%"));
        assert_eq!(attendance_rate(1, 8).as_deref(), Some("12.5%"));
        assert_eq!(attendance_rate(1, 16).as_deref(), Some("6.3%"));
        assert_eq!(attendance_rate(5, 5).as_deref(), Some("100.0%"));
        assert_eq!(attendance_rate(0, 5).as_deref(), Some("0.0%"));
        assert_eq!(attendance_rate(0, 0), None);
    }

    #[test]
    fn links_encode_ascii_syntax_but_keep_chinese() {
        assert_eq!(
            encode("2026Q4/11-05 支部党员大会(1)"),
            "2026Q4/11-05%20支部党员大会%281%29"
        );
    }
}
