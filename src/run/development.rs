//! 发展党员 in a run: what a branch's 发展党员 stage takes from each input (an applicant record's
//! row, or a meeting's decisions naming applicants), and the reverse check: a decision naming an
//! applicant whose record the run does not hold is a finding.

use super::outcome::BranchPath;
use crate::diagnostics::Diagnostic;
use crate::ledger::ApplicantRow;
use crate::record::Named;

/// What a branch's 发展党员 stage needs from one input of the run.
#[derive(Debug, Clone)]
pub(crate) struct DevelopmentOf {
    pub branch: BranchPath,
    pub applicant: Option<ApplicantRow>,
    pub named: Vec<Named>,
}

/// The reverse check of one branch: every named applicant without a record in the run.
pub(crate) fn unrecorded(development: &[DevelopmentOf]) -> Vec<Diagnostic> {
    let recorded: Vec<&str> =
        development.iter().filter_map(|d| d.applicant.as_ref()).map(|a| a.name.as_str()).collect();
    development
        .iter()
        .flat_map(|d| &d.named)
        .filter(|n| !recorded.contains(&n.name.as_str()))
        .map(|n| n.finding.clone())
        .collect()
}
