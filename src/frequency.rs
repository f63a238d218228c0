//! The frequency rules of the 支部工作条例 as data (built in, replaceable per kind by
//! `[rules.<kind>]` in branch.toml), what they require in a period, and the check of a batch.

use chrono::NaiveDate;

use crate::diagnostics::Diagnostic;
use crate::ledger::LedgerRow;
use crate::load::Branch;
use crate::model::{Every, Kind, Time};
use crate::period::Period;

/// One kind's rule after merging the built-in table with branch.toml.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub kind: Kind,
    pub every: Every,
    pub times: u32,
    /// The day `pdb plan` picks, as written (e.g. "第二个星期二").
    pub day: Option<String>,
    /// For quarterly and yearly rules: the month `pdb plan` uses.
    pub month: Option<u32>,
    pub start: Option<Time>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rules(pub Vec<Rule>);

/// One meeting a rule asks for: a kind (and a 党小组 for group meetings) within a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Required {
    pub kind: Kind,
    pub group: Option<String>,
    pub period: Period,
    pub times: u32,
}

impl Rules {
    pub fn builtin() -> Rules {
        todo!("issue 4: built-in rules")
    }

    pub fn for_branch(_branch: &Branch) -> Rules {
        todo!("issue 4: rules of a branch")
    }

    pub fn get(&self, kind: Kind) -> Option<&Rule> {
        self.0.iter().find(|r| r.kind == kind)
    }
}

/// The meetings the rules require within `span`, group meetings once per group.
pub fn required(_rules: &Rules, _groups: &[String], _span: Period) -> Vec<Required> {
    todo!("issue 4: required meetings")
}

/// Frequency findings for one branch's rows.
pub fn check(_branch: &Branch, _rows: &[LedgerRow], _span: Option<Period>, _today: NaiveDate) -> Vec<Diagnostic> {
    todo!("issue 4: frequency check")
}
