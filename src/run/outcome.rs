//! What a run reports: per activity, per branch, and the totals.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use super::development::DevelopmentOf;
use crate::diagnostics::Diagnostic;
use crate::model::{ActivityStatus, Kind, LedgerRow};
use crate::paths::absolute;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Its documents were written.
    Rendered,
    /// Nothing to do: the inputs are those of the documents already there.
    Unchanged,
    /// Checked (`pdb check`, or `pdb index` on an activity without a current render).
    Checked,
    Failed,
    /// Outside `--period`: not part of the run.
    Skipped,
}

/// What happened to one activity: the small result a batch keeps of it.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub input: PathBuf,
    pub status: Status,
    pub output: Option<PathBuf>,
    pub files: Vec<PathBuf>,
    pub errors: Vec<Diagnostic>,
    pub findings: Vec<Diagnostic>,
    /// typst's warnings, each with the file it came from: shown, never swallowed.
    pub warnings: Vec<String>,
    /// The activity as the ledger and the frequency check see it; the run moves it to the
    /// ledger's rows (see `set_row`).
    #[serde(skip)]
    pub row: Option<LedgerRow>,
    /// The activity's date, and whether it is a held 支委会: what findings across activities
    /// need, kept when the row has gone to the ledger.
    #[serde(skip)]
    pub date: Option<NaiveDate>,
    #[serde(skip)]
    pub committee: bool,
    #[serde(skip)]
    pub branch: Option<BranchPath>,
    /// Findings that hold unless the run has a 支委会 of the same branch before it: decided
    /// after every activity is done, then moved to `findings`.
    #[serde(skip)]
    pub needs_committee: Vec<Diagnostic>,
    /// An applicant record (kind = "发展党员"), not an activity.
    #[serde(skip)]
    pub applicant: bool,
    /// For the branch's 发展党员 stage: the applicant's row, or the decisions naming applicants.
    #[serde(skip)]
    pub(crate) development: Option<DevelopmentOf>,
}

impl Outcome {
    pub(crate) fn new(input: &Path, status: Status) -> Outcome {
        Outcome {
            input: input.to_path_buf(),
            status,
            output: None,
            files: Vec::new(),
            errors: Vec::new(),
            findings: Vec::new(),
            warnings: Vec::new(),
            row: None,
            date: None,
            committee: false,
            branch: None,
            needs_committee: Vec::new(),
            applicant: false,
            development: None,
        }
    }

    pub fn failed(input: &Path, errors: Vec<Diagnostic>) -> Outcome {
        Outcome { errors, ..Outcome::new(input, Status::Failed) }
    }

    pub(crate) fn set_row(&mut self, row: LedgerRow) {
        self.date = Some(row.date);
        self.committee = row.kind == Kind::Committee && row.status == ActivityStatus::Held;
        self.row = Some(row);
    }

    pub(crate) fn fail(&mut self, mut errors: Vec<Diagnostic>) {
        self.status = Status::Failed;
        self.errors.append(&mut errors);
    }

    /// Whether this activity is part of the run's counts (not outside `--period`).
    pub fn counts(&self) -> bool {
        self.status != Status::Skipped
    }
}

/// What a run did: the activities whose findings were decided at the end (the others went to
/// `Progress::finished` only), in input order; each branch; and the counts of all.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub activities: Vec<Outcome>,
    /// About the run as a whole: template files that override nothing.
    pub warnings: Vec<String>,
    pub branches: Vec<BranchReport>,
    pub totals: Totals,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Activities in the run (those outside `--period` are not).
    pub activities: usize,
    pub rendered: usize,
    pub unchanged: usize,
    pub checked: usize,
    pub failed: usize,
    pub skipped: usize,
    /// Of `activities`, the applicant records (kind = "发展党员").
    pub applicants: usize,
    /// Activities' findings and the frequency findings.
    pub findings: usize,
    /// Ledgers that could not be written.
    pub failed_ledgers: usize,
}

impl Totals {
    pub(crate) fn add(&mut self, o: &Outcome) {
        match o.status {
            Status::Rendered => self.rendered += 1,
            Status::Unchanged => self.unchanged += 1,
            Status::Checked => self.checked += 1,
            Status::Failed => self.failed += 1,
            Status::Skipped => self.skipped += 1,
        }
        if o.counts() {
            self.activities += 1;
            self.applicants += usize::from(o.applicant);
            self.findings += o.findings.len();
        }
    }

    pub(crate) fn add_branch(&mut self, branch: &BranchReport) {
        self.findings += branch.findings.len();
        self.failed_ledgers += usize::from(branch.ledger.as_ref().is_some_and(|l| l.status == Status::Failed));
    }
}

/// Told about each activity as the run goes: for a progress bar and lines printed as they come.
pub trait Progress: Sync {
    fn total(&self, _activities: usize) {}
    fn started(&self, _input: &Path) {}
    /// `index` is the activity's place in the run; calls come in any order.
    fn finished(&self, _index: usize, _outcome: &Outcome) {}
}

/// An activity's branch file, as found (for messages) and made absolute (to group by).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchPath {
    pub shown: PathBuf,
    pub absolute: PathBuf,
}

impl BranchPath {
    pub fn new(shown: &Path) -> BranchPath {
        BranchPath { shown: shown.to_path_buf(), absolute: absolute(shown) }
    }
}

/// One branch of a run: its frequency findings and its ledger.
#[derive(Debug, Serialize)]
pub struct BranchReport {
    /// Its branch.toml, as found.
    pub branch: PathBuf,
    /// Activities of the run (in `--period`) that are rows of its ledger.
    pub activities: usize,
    /// The frequency check's findings.
    pub findings: Vec<Diagnostic>,
    /// `None` for `pdb check`, which writes nothing.
    pub ledger: Option<LedgerOutcome>,
}

#[derive(Debug, Serialize)]
pub struct LedgerOutcome {
    pub status: Status,
    pub output: PathBuf,
    pub files: Vec<PathBuf>,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<String>,
}
