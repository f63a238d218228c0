//! `pdb plan`: which planned activity files to write for a branch and a period. The meetings and
//! their days come from the frequency rules ([`crate::rules::frequency::planned`]); a meeting the folder
//! already holds (same kind, same 党小组, same month, quarter or year as the rule counts it) is
//! not planned again, so a second run, or a run after a meeting was moved to another day, writes
//! nothing twice.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use walkdir::WalkDir;

use super::roster::Roster;
use super::skeleton::{self, Skeleton};
use crate::inputs::is_activity_file;
use crate::model::{ActivityStatus, Branch, Kind, Time};
use crate::period::Period;
use crate::rules::frequency::{self, Rules};
use crate::text::BLANK;

/// An activity file already in the folder, read only as far as planning needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Existing {
    pub path: PathBuf,
    pub kind: Kind,
    pub date: NaiveDate,
    pub group: Option<String>,
}

/// One meeting of the plan: a file to write, or the file already there that holds it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub kind: Kind,
    pub group: Option<String>,
    pub date: NaiveDate,
    pub start: Option<Time>,
    /// Where the skeleton goes: `DIR/2026-10-05-支委会.toml`.
    pub path: PathBuf,
    /// The file that already holds this meeting; then nothing is written.
    pub existing: Option<PathBuf>,
}

/// Every meeting the rules ask of `branch` in `span`, matched against the activities in `dir`.
pub fn entries(branch: &Branch, span: Period, dir: &Path, existing: &[Existing]) -> Vec<Entry> {
    let rules = Rules::for_branch(branch);
    let groups = branch.file.groups();
    let mut used = vec![false; existing.len()];
    let mut out = Vec::new();
    for planned in frequency::planned(&rules, &groups, span) {
        let path = dir.join(skeleton::file_name(planned.kind, planned.date, planned.group.as_deref()));
        let slot = rules.get(planned.kind).and_then(|r| r.slot_of(planned.date));
        // The file of that name first, else any unused activity of the same kind and group in the slot.
        let same_file = existing.iter().position(|e| same_path(&e.path, &path));
        let found = same_file.filter(|i| !used[*i]).or_else(|| {
            existing.iter().enumerate().position(|(i, e)| {
                !used[i]
                    && e.kind == planned.kind
                    && e.group.as_deref().map(str::trim) == planned.group.as_deref()
                    && slot.is_some_and(|s| s.contains(e.date))
            })
        });
        let existing_path = match (found, same_file) {
            (Some(i), _) => {
                used[i] = true;
                Some(existing[i].path.clone())
            }
            // A file of that name holding something else: still never overwritten.
            (None, Some(i)) => Some(existing[i].path.clone()),
            (None, None) => path.is_file().then(|| path.clone()),
        };
        out.push(Entry {
            kind: planned.kind,
            group: planned.group,
            date: planned.date,
            start: planned.start,
            path,
            existing: existing_path,
        });
    }
    out
}

fn same_path(a: &Path, b: &Path) -> bool {
    a == b || a.canonicalize().ok().zip(b.canonicalize().ok()).is_some_and(|(a, b)| a == b)
}

/// The planned skeleton of one entry: what the rules and the roster say is filled in (kind, date,
/// start, group, host by the 支部工作条例: the 书记, or the group's 组长); the place is a visible
/// blank, and the recorder is left for the secretary: a planned meeting does not need one, and a
/// stand-in would end up in the minutes as if it were a fact.
pub fn skeleton(entry: &Entry, roster: &Roster, span: Period) -> Skeleton {
    let mut s = Skeleton::new(entry.kind, entry.date, roster.clone(), format!("pdb plan {}", span.code()));
    s.status = ActivityStatus::Planned;
    s.group = entry.group.clone();
    s.start = entry.start;
    s.location = Some(BLANK.to_string());
    s.host = match &entry.group {
        Some(group) => roster.leader_of(group).map(str::to_string),
        None => roster.secretary.clone(),
    };
    s
}

/// Every activity file under `dir` (branch.toml aside) whose kind and date can be read. Files
/// that cannot be read are not this command's business: `pdb check` reports them.
pub fn scan(dir: &Path) -> Vec<Existing> {
    let mut found = Vec::new();
    for entry in WalkDir::new(dir).sort_by_file_name().into_iter().filter_map(Result::ok) {
        let path = entry.path();
        if !entry.file_type().is_file() || !is_activity_file(path) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let Ok(table) = text.trim_start_matches('\u{feff}').parse::<toml::Table>() else {
            continue;
        };
        let kind = table.get("kind").and_then(|k| k.as_str()).and_then(Kind::parse);
        let date = table
            .get("date")
            .and_then(|d| d.as_datetime())
            .and_then(|d| d.date)
            .and_then(|d| NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into()));
        let group = table.get("group").and_then(|g| g.as_str()).map(|g| g.trim().to_string());
        if let (Some(kind), Some(date)) = (kind, date) {
            found.push(Existing { path: path.to_path_buf(), kind, date, group });
        }
    }
    found
}
