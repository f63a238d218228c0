//! The view model: every fact a template may print, already derived and formatted.
//!
//! Templates only lay out; all arithmetic (counts, quorum, vote results) and all Chinese wording
//! that depends on facts is decided here, so the eight documents cannot disagree.
//! The fields are documented in templates/README.md. One file per part of the packet:
//! `activity` (the activity itself), `people` (who was expected, came, was away), `quorum`,
//! `agenda` (items and speeches); decisions are `render::decision`'s.

mod activity;
mod agenda;
mod people;
mod quorum;

use serde::Serialize;

pub use super::count::Count;
use super::document::Document;
use super::extra::json_table;
use super::fonts::Fonts;
use crate::model::Kind;
use crate::record::Record;
pub use crate::render::decision::DecisionView;
use crate::render::decision::{self, Meeting};
use crate::text::BLANK;
pub use activity::ActivityView;
pub use agenda::AgendaView;
pub use people::People;
pub use quorum::QuorumView;

#[derive(Debug, Serialize)]
pub struct Packet {
    pub blank: &'static str,
    /// The branch's `[extra]` overlaid by the activity's, key by key (the activity wins).
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub branch: BranchView,
    pub act: ActivityView,
    pub people: People,
    pub quorum: Option<QuorumView>,
    pub agenda: Vec<AgendaView>,
    /// Decisions not tied to an agenda item.
    pub other_decisions: Vec<DecisionView>,
    pub decisions: Vec<DecisionView>,
    pub photos: Vec<PhotoView>,
    pub summary: SummaryView,
    pub reflections: Vec<ReflectionView>,
    pub documents: Vec<DocumentView>,
    pub fonts: Fonts,
}

#[derive(Debug, Serialize)]
pub struct BranchView {
    pub name: String,
    pub short: Option<String>,
    /// The short name when there is one, for running text.
    pub display: String,
    pub parent: Option<String>,
    /// branch.toml's `[extra]` as written.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Serialize)]
pub struct PhotoView {
    pub no: usize,
    /// File name inside the activity's output folder.
    pub file: String,
    pub caption: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct SummaryView {
    /// The secretary's own text, when given.
    pub text: Option<String>,
    /// Otherwise: sentences built only from the facts.
    pub digest: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ReflectionView {
    pub author: String,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct DocumentView {
    pub key: &'static str,
    pub number: &'static str,
    pub title: &'static str,
    pub stem: String,
}

impl Packet {
    /// Builds the view model; `photo_files` are the names the photos get in the output folder.
    pub fn new(record: &Record, photo_files: &[String], documents: &[Document], fonts: Fonts) -> Packet {
        let file = &record.activity.file;
        let info = &record.activity.branch.file.branch;
        let kind = record.kind();
        let act = activity::view(record);
        let people = people::view(record, kind, act.group.as_deref());
        let quorum = quorum::view(record);
        let meeting = Meeting {
            planned: record.is_planned(),
            attendance_known: record.attendance_known,
            opening: record.quorum.as_ref(),
            voting_expected: record.counts.voting_expected,
            voting_present: record.counts.voting_present,
            committee: kind == Kind::Committee,
            committee_expected: record.counts.expected,
            committee_present: record.counts.present,
        };
        let mut decisions: Vec<DecisionView> = file
            .decisions
            .iter()
            .zip(&record.decisions)
            .enumerate()
            .map(|(i, (d, outcome))| decision::view(i, d.get_ref(), outcome, &meeting))
            .collect();
        decision::set_announcements(&mut decisions, &file.agenda.iter().map(|a| a.title.clone()).collect::<Vec<_>>());
        let agenda = agenda::view(record, &decisions);
        let other_decisions = decisions.iter().filter(|d| d.agenda.is_none()).cloned().collect();
        let photos = file
            .photos
            .iter()
            .zip(photo_files)
            .enumerate()
            .map(|(i, (p, name))| PhotoView { no: i + 1, file: name.clone(), caption: non_empty(p.caption.as_deref()) })
            .collect();
        let summary_text = file.summary.as_ref().and_then(|s| non_empty(s.text.as_deref()));
        let branch_extra = json_table(&record.activity.branch.file.extra);
        let mut extra = branch_extra.clone();
        extra.extend(act.extra.clone());
        let mut packet = Packet {
            blank: BLANK,
            extra,
            branch: BranchView {
                name: info.name.trim().to_string(),
                short: non_empty(info.short.as_deref()),
                display: info.display_name().trim().to_string(),
                parent: non_empty(info.parent.as_deref()),
                extra: branch_extra,
            },
            act,
            people,
            quorum,
            agenda,
            other_decisions,
            decisions,
            photos,
            summary: SummaryView { text: summary_text, digest: Vec::new() },
            reflections: file
                .reflections
                .iter()
                .map(|r| ReflectionView {
                    author: r.author.get_ref().trim().to_string(),
                    text: r.text.trim().to_string(),
                })
                .collect(),
            documents: documents
                .iter()
                .map(|d| DocumentView { key: d.key(), number: d.number(), title: d.title(kind), stem: d.stem(kind) })
                .collect(),
            fonts,
        };
        if packet.summary.text.is_none() {
            packet.summary.digest = super::digest::digest(&packet);
        }
        packet
    }
}

/// A fact written blank (`location = ""`) is a visible blank ＿＿＿＿, never nothing.
fn or_blank(text: &str) -> String {
    non_empty(Some(text)).unwrap_or_else(|| BLANK.to_string())
}

fn non_empty(text: Option<&str>) -> Option<String> {
    text.map(str::trim).filter(|t| !t.is_empty()).map(str::to_string)
}
