//! The 台账 (ledger) of a branch: one row per activity of the run, with its facts, and the
//! frequency findings of the branch. Rows are small and serializable so that an unchanged
//! activity's row can be read back from its output manifest instead of re-checking the activity.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::load::Branch;
use crate::model::{ActivityStatus, DecisionKind, Kind};
use crate::period::Period;
use crate::record::Record;
use crate::render::{Engine, Format, RenderedFile, TemplateError};

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
    pub present: u32,
    pub on_leave: u32,
    /// One line per decision: its text and outcome, e.g. “同意接收张三为预备党员：通过”.
    pub decisions: Vec<String>,
    pub decision_kinds: Vec<DecisionKind>,
}

impl LedgerRow {
    pub fn from_record(_record: &Record) -> LedgerRow {
        todo!("issue 4: ledger row")
    }
}

/// The ledger documents of one branch (台账.typ, 台账.md), in the requested formats.
pub fn render(
    _engine: &Engine,
    _branch: &Branch,
    _rows: &[LedgerRow],
    _findings: &[Diagnostic],
    _period: Option<Period>,
    _formats: &[Format],
) -> Result<Vec<RenderedFile>, TemplateError> {
    todo!("issue 4: ledger documents")
}
