//! The held 支委会 of a run by branch: an admission or confirmation vote needs one of its branch
//! before it (activities outside `--period` count too: they took place). The run decides the
//! findings with it at the end; the printer, as activities finish, whether it can print one yet.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::outcome::Outcome;
use crate::record::committee_before;

#[derive(Debug, Default)]
pub struct Committees(HashMap<PathBuf, Vec<NaiveDate>>);

impl Committees {
    /// Notes the activity when it is a held 支委会.
    pub fn add(&mut self, outcome: &Outcome) {
        if let (true, Some(date), Some(branch)) = (outcome.committee, outcome.date, &outcome.branch) {
            self.0.entry(branch.absolute.clone()).or_default().push(date);
        }
    }

    /// Whether a 支委会 of the branch (its absolute branch.toml) seen so far comes before `date`.
    pub fn any_before(&self, branch: &Path, date: NaiveDate) -> bool {
        committee_before(self.0.get(branch).into_iter().flatten().copied(), date)
    }

    /// Drops an activity's pending findings when a 支委会 seen so far already comes before it
    /// (more 支委会 cannot change that, so it need not wait for the end of the run), or when it
    /// is outside `--period` (its findings are not reported).
    pub(crate) fn decide_if_met(&self, outcome: &mut Outcome) {
        let met = match (outcome.date, &outcome.branch) {
            _ if !outcome.counts() => true,
            (Some(date), Some(branch)) => self.any_before(&branch.absolute, date),
            _ => false,
        };
        if met {
            outcome.needs_committee.clear();
        }
    }

    /// Moves each activity's pending findings to its findings when no 支委会 comes before it.
    pub(crate) fn decide(&self, outcomes: &mut [Outcome]) {
        for outcome in outcomes.iter_mut().filter(|o| o.counts()) {
            let (Some(date), Some(branch)) = (outcome.date, &outcome.branch) else { continue };
            if !self.any_before(&branch.absolute, date) {
                let mut pending = std::mem::take(&mut outcome.needs_committee);
                outcome.findings.append(&mut pending);
            }
            outcome.needs_committee.clear();
        }
    }
}
