//! What `pdb plan` does for applicants: a 转正 agenda item (with `applicant`) for each 预备党员
//! whose 预备期 ends in the period, added to that period's planned 支部党员大会, and a list of the
//! other steps falling due. An item already there is not added again.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use walkdir::WalkDir;

use super::{Roster, Skeleton};
use crate::diagnostics::Diagnostic;
use crate::load::BranchCache;
use crate::model::applicant::is_applicant;
use crate::model::{ActivityStatus, Date, DecisionKind, Kind};
use crate::period::Period;
use crate::record::applicant::{self, ApplicantRecord};
use crate::rules::development::{Stage, State};
use crate::source::SourceFile;
use crate::text::BLANK;

/// Every applicant record under `dir`, checked on `today`; the records with errors are given
/// back as their errors (`pdb check` explains them).
pub fn applicants(dir: &Path, today: NaiveDate) -> (Vec<ApplicantRecord>, Vec<(PathBuf, Vec<Diagnostic>)>) {
    let branches = BranchCache::default();
    let (mut ok, mut failed) = (Vec::new(), Vec::new());
    for entry in WalkDir::new(dir).sort_by_file_name().into_iter().filter_map(Result::ok) {
        let path = entry.path();
        if !entry.file_type().is_file() || !crate::inputs::is_activity_file(path) {
            continue;
        }
        let Ok(source) = SourceFile::read(path) else { continue };
        if !is_applicant(&source.text) {
            continue;
        }
        match applicant::build(source, &branches, today) {
            Ok(record) => ok.push(record),
            Err(errors) => failed.push((path.to_path_buf(), errors)),
        }
    }
    (ok, failed)
}

/// The 预备党员 whose 预备期 ends within `span` and who have no 转正 meeting yet.
pub fn due_confirmations(records: &[ApplicantRecord], span: Period) -> Vec<&ApplicantRecord> {
    records
        .iter()
        .filter(|r| r.facts.stage == Stage::Probationary && r.facts.confirmation_meeting.is_none())
        .filter(|r| r.facts.probation.is_some_and(|p| span.contains(p.end)))
        .collect()
}

/// A planned 支部党员大会 to discuss the due 转正, when the period has none: the day after the
/// first 预备期 ends (in the period), chaired by the 书记, its place a visible blank.
pub fn congress(due: &[&ApplicantRecord], roster: &Roster, span: Period) -> Option<Skeleton> {
    let end = due.iter().filter_map(|r| r.facts.probation.map(|p| p.end)).min()?;
    let date = end.succ_opt().filter(|d| span.contains(*d)).unwrap_or(end);
    let mut s = Skeleton::new(Kind::PartyCongress, date, roster.clone(), format!("pdb plan {}", span.code()));
    s.status = ActivityStatus::Planned;
    s.location = Some(BLANK.to_string());
    s.host = roster.secretary.clone();
    Some(s)
}

/// Whether a meeting file already holds a 转正 decision about `name`.
pub fn has_item(text: &str, name: &str) -> bool {
    let Ok(table) = text.trim_start_matches('\u{feff}').parse::<toml::Table>() else { return false };
    table.get("decisions").and_then(|d| d.as_array()).is_some_and(|decisions| {
        decisions.iter().any(|d| {
            d.get("applicant").and_then(|a| a.as_str()).is_some_and(|a| a.trim() == name)
                && d.get("kind").and_then(|k| k.as_str()).and_then(DecisionKind::parse)
                    == Some(DecisionKind::Confirmation)
        })
    })
}

/// Whether the file is still planned (only a planned meeting is changed).
pub fn is_planned(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .parse::<toml::Table>()
        .ok()
        .and_then(|t| t.get("status").and_then(|s| s.as_str()).and_then(ActivityStatus::parse))
        == Some(ActivityStatus::Planned)
}

/// The meeting file with a 转正 agenda item and its decision about this applicant appended.
pub fn append_item(text: &str, record: &ApplicantRecord) -> String {
    let name = record.name();
    let agenda = text
        .trim_start_matches('\u{feff}')
        .parse::<toml::Table>()
        .ok()
        .and_then(|t| t.get("agenda").and_then(|a| a.as_array()).map(Vec::len))
        .unwrap_or(0);
    let probation = record.facts.probation.map(|p| p.chinese()).unwrap_or_default();
    let mut out = text.to_string();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&format!(
        "\n# ── 预备党员转正（由 pdb plan 按发展党员记录 {} 加入：预备期{probation}）──\n\
         [[agenda]]\n\
         title = \"讨论{name}同志预备期满能否按期转为正式党员\"\n\
         \n\
         [[decisions]]\n\
         text      = \"同意{name}同志按期转为中共正式党员，报上级党委审批\"\n\
         agenda    = {}\n\
         kind      = \"confirmation\"\n\
         applicant = \"{name}\"\n\
         # method   = \"无记名投票\"   # 发展党员工作细则第二十一条：采取无记名投票方式表决\n\
         # tellers  = [\"＿＿\"]       # 监票人\n\
         # counters = [\"＿＿\"]       # 计票人\n\
         # votes  = {{ yes = 0, no = 0, abstain = 0 }}   # 同意、反对、弃权票数（会后填写）\n",
        record.path().file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        agenda + 1,
    ));
    out
}

/// The other steps due in `span` (or already overdue), one line each, for plan's output.
pub fn other_due(records: &[ApplicantRecord], span: Period) -> Vec<String> {
    let mut out = Vec::new();
    for r in records {
        for step in &r.steps {
            if step.name == "支部大会讨论转正" {
                continue;
            }
            match step.state {
                State::Overdue(due) => {
                    out.push(format!("{}：{}已逾期（应于{}前）", r.name(), step.name, Date(due).chinese()))
                }
                State::Todo(Some(due)) if span.contains(due) => {
                    out.push(format!("{}：{}（{}前）", r.name(), step.name, Date(due).chinese()))
                }
                _ => {}
            }
        }
    }
    out
}
