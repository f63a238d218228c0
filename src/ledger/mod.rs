//! The 台账 (ledger) of a branch: one row per activity of the run ([`LedgerRow`]), with its
//! facts, and the frequency findings of the branch.

pub(crate) mod applicants;
pub mod suffix;

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::model::{ActivityStatus, Branch, Date, Kind, LedgerRow, Mark};
use crate::period::Period;
use crate::render::branch::Act;
use crate::render::Count;
use crate::render::{render_branch, BranchDocument, Engine, Fonts, Format, RenderedFile, TemplateError};
use crate::text::BLANK;
use crate::text::BLANK_COUNT;

pub use applicants::ApplicantRow;

/// The ledger's file name without extension: 台账.typ, 台账.md, 台账.pdf.
pub const LEDGER_STEM: &str = "台账";

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
    let candidates = [Period::month_of(first), Period::quarter_of(first), Period::year_of(first)];
    Some(match candidates.into_iter().find(|p| p.contains(last)) {
        Some(period) => period.to_string(),
        None => format!("{}至{}", Period::year_of(first), Period::year_of(last)),
    })
}

#[derive(Debug, Serialize)]
struct LedgerView {
    blank: &'static str,
    act: Act,
    branch: BranchNames,
    /// <支部全称><period>活动台账
    title: String,
    period: Option<String>,
    rows: Vec<RowView>,
    findings: Vec<FindingView>,
    /// The register's findings about members (see `register`), in their own section.
    member_findings: Vec<FindingView>,
    totals: TotalsView,
    fonts: Fonts,
}

#[derive(Debug, Serialize)]
struct BranchNames {
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
    /// `None` for a planned activity; a blank (＿＿) when attendance was not recorded.
    present: Option<Count>,
    on_leave: Option<Count>,
    /// 93.3%; `None` when planned or nobody was expected.
    rate: Option<String>,
    decisions: Vec<String>,
    host: String,
    location: String,
    /// 主讲人/主题: “张建国：学习贯彻……”.
    speaker: Option<String>,
    /// 请假/缺席人员: “赵强（出差）、周敏（缺席）”; `None` when attendance was not recorded.
    away: Option<String>,
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
    /// Held activities without `[attendance]`: left out of the sums.
    unknown: usize,
    rate: Option<String>,
    decisions: usize,
}

#[derive(Debug, Serialize)]
struct KindCount {
    kind: &'static str,
    held: usize,
    planned: usize,
}

/// What a branch's 台账 (and its register, `crate::register::render`) is made from.
#[derive(Clone, Copy)]
pub struct Request<'a> {
    pub branch: &'a Branch,
    pub rows: &'a [LedgerRow],
    pub findings: &'a [Diagnostic],
    /// The span asked for (`--period`); `None`: the span of the rows.
    pub period: Option<Period>,
    pub formats: &'a [Format],
    /// A run that compiles PDFs passes the fonts typst has, so that the PDF names no missing font.
    pub fonts: &'a Fonts,
}

impl Request<'_> {
    /// The date of a branch document's Word form: its last activity's, so that the same rows
    /// give the same bytes.
    pub fn last_date(&self) -> chrono::NaiveDateTime {
        let last = self.rows.iter().map(|r| r.date).max().unwrap_or_default();
        last.and_time(chrono::NaiveTime::MIN)
    }
}

/// The ledger documents of one branch (台账.typ, 台账.md, 台账.docx), in the requested formats.
pub fn render(engine: &Engine, request: &Request) -> Result<Vec<RenderedFile>, TemplateError> {
    let view = view(request);
    let docx = |name: &str, context: &tera::Context| {
        crate::render::docx::ledger(engine, name, context, &view.title, &view.branch.name, request.last_date())
    };
    let document = BranchDocument { template: "ledger", stem: LEDGER_STEM, docx: Some(&docx) };
    render_branch(engine, &document, &view, request.formats)
}

/// 实到 or 请假 of a held row: the number, or a blank when attendance was not recorded.
fn count(row: &LedgerRow, n: u32) -> Count {
    if row.attendance_known {
        Count::Known(n)
    } else {
        Count::Unknown(BLANK_COUNT)
    }
}

fn view(request: &Request) -> LedgerView {
    let Request { branch, rows, findings, period, fonts, .. } = *request;
    let info = &branch.file.branch;
    let name = info.name.trim().to_string();
    let label = period_label(rows, period);
    let title = format!("{name}{}活动台账", label.as_deref().unwrap_or(""));
    let mut sorted: Vec<&LedgerRow> = rows.iter().collect();
    sorted.sort_by(|a, b| (a.date, a.kind, &a.input).cmp(&(b.date, b.kind, &b.input)));
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
                present: (!planned).then_some(count(r, r.present)),
                on_leave: (!planned).then_some(count(r, r.on_leave)),
                rate: if planned || !r.attendance_known { None } else { attendance_rate(r.present, r.expected) },
                decisions: r.decisions.clone(),
                host: r.host.clone(),
                location: r.location.clone(),
                speaker: match (&r.lecturer, &r.theme) {
                    (Some(l), Some(t)) => Some(format!("{l}：{t}")),
                    (l, t) => l.clone().or_else(|| t.clone()),
                },
                away: away(r),
                href_folder: folder.as_ref().map(|f| format!("{}/", encode(f))),
                href_packet: folder.as_ref().map(|f| format!("{}/00-%E5%85%A8%E5%A5%97.pdf", encode(f))),
                folder,
            }
        })
        .collect();
    let held: Vec<&&LedgerRow> = sorted.iter().filter(|r| r.status == ActivityStatus::Held).collect();
    // 人次 are summed over the activities whose attendance is known.
    let counted: Vec<&&&LedgerRow> = held.iter().filter(|r| r.attendance_known).collect();
    let expected: u32 = counted.iter().map(|r| r.expected).sum();
    let present: u32 = counted.iter().map(|r| r.present).sum();
    let by_kind = Kind::ALL
        .iter()
        .map(|&kind| KindCount {
            kind: kind.short_name(),
            held: held.iter().filter(|r| r.kind == kind).count(),
            planned: sorted.iter().filter(|r| r.kind == kind && r.status == ActivityStatus::Planned).count(),
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
        on_leave: counted.iter().map(|r| r.on_leave).sum(),
        unknown: held.len() - counted.len(),
        rate: attendance_rate(present, expected),
        decisions: held.iter().map(|r| r.decisions.len()).sum(),
    };
    LedgerView {
        blank: BLANK,
        act: Act::new(&title, &branch.source.path, "各活动记录"),
        branch: BranchNames { name, display: info.display_name().trim().to_string() },
        title,
        period: label,
        rows: row_views,
        findings: findings.iter().filter(|d| !is_member_finding(d)).map(FindingView::of).collect(),
        member_findings: findings.iter().filter(|d| is_member_finding(d)).map(FindingView::of).collect(),
        totals,
        fonts: fonts.clone(),
    }
}

/// Which findings are the member register's: they point at a member of branch.toml.
pub fn is_member_finding(d: &Diagnostic) -> bool {
    d.field.as_deref() == Some("members.name")
}

impl FindingView {
    fn of(d: &Diagnostic) -> FindingView {
        FindingView { message: d.message.clone(), help: d.help.clone(), location: d.location() }
    }
}

/// Who was away from a held activity; `None` when its attendance is unknown (or planned).
fn away(row: &LedgerRow) -> Option<String> {
    if row.status != ActivityStatus::Held || row.marks.iter().any(|m| m.mark == Mark::Unknown) {
        return None;
    }
    let names: Vec<String> = row
        .marks
        .iter()
        .filter_map(|m| match &m.mark {
            Mark::Leave(reason) => Some(format!("{}（{reason}）", m.name)),
            Mark::Absent => Some(format!("{}（缺席）", m.name)),
            _ => None,
        })
        .collect();
    Some(if names.is_empty() { "无".to_string() } else { names.join("、") })
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
        assert_eq!(encode("2026Q4/11-05 支部党员大会(1)"), "2026Q4/11-05%20支部党员大会%281%29");
    }
}
