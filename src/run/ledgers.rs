//! The branches of a run as its activities finish. A branch's rows are kept only until the last
//! activity that finds its branch.toml by walking up is done (`Inputs::by_branch` counted
//! them); then its frequency check and 台账 run at once and the rows are dropped, so memory
//! follows the size of a branch, not of the run.
//!
//! An activity may name another branch file with its `branch` key. When that branch was already
//! finished, or when a branch found later puts its ledger into the same folder (which changes the
//! ledger's file names: `ledger::suffix`), the branch is done again at the end from its
//! activities' rows, read once more: rare, and the result is the same as if every row had been
//! kept.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use super::activity;
use super::branch::{self, BranchRows, RowOf};
use super::development::DevelopmentOf;
use super::outcome::{BranchPath, BranchReport};
use super::settings::{Mode, Settings};
use super::Shared;
use crate::inputs::Input;
use crate::ledger::suffix::{suffixes, Sharer};
use crate::sync::lock;

/// A branch whose activities are not all done.
struct Open {
    /// Activities of `Inputs::by_branch` still to come.
    remaining: usize,
    /// Its file as first met in a row or an applicant input: `None` while it has none.
    branch: Option<BranchPath>,
    rows: Vec<RowOf>,
    development: Vec<DevelopmentOf>,
}

impl Open {
    fn new(counts: &HashMap<PathBuf, usize>, key: &PathBuf) -> Open {
        let remaining = counts.get(key).copied().unwrap_or(0);
        Open { remaining, branch: None, rows: Vec::new(), development: Vec::new() }
    }
}

/// A finished branch: its report (none without rows), and the suffix of the ledger files it was
/// written under.
struct Done {
    report: Option<BranchReport>,
    suffix: String,
}

/// A branch's short and full names, for its ledger files' names (its file's path when it cannot
/// be read: its ledger fails, but it still shares the folder).
#[derive(Clone)]
struct Names {
    short: String,
    full: String,
}

#[derive(Default)]
struct State {
    open: HashMap<PathBuf, Open>,
    done: HashMap<PathBuf, Done>,
    /// Activities whose row belongs to a branch already finished.
    late: HashMap<PathBuf, Vec<Input>>,
    /// Ledger folder → the branches (with rows or applicants) whose 台账 goes there.
    folders: HashMap<PathBuf, BTreeMap<PathBuf, Names>>,
}

impl State {
    /// The suffix of a branch's ledger files among the branches of its folder known so far.
    fn suffix(&self, key: &PathBuf, shared: &Shared) -> String {
        let folder = branch::ledger_folder(key, shared);
        let Some(branches) = self.folders.get(&folder) else { return String::new() };
        let sharers: Vec<Sharer> =
            branches.iter().map(|(file, names)| Sharer { file, short: &names.short, full: &names.full }).collect();
        let at = branches.keys().position(|k| k == key);
        at.map(|at| suffixes(&sharers).swap_remove(at)).unwrap_or_default()
    }
}

pub(crate) struct Ledgers<'a> {
    shared: &'a Shared<'a>,
    state: std::sync::Mutex<State>,
}

impl<'a> Ledgers<'a> {
    pub(crate) fn new(shared: &'a Shared<'a>) -> Ledgers<'a> {
        Ledgers { shared, state: Default::default() }
    }

    /// One activity (or applicant record) is past its text documents: its row and what it gives
    /// the 发展党员 stage join its branch. Returns the branch its folder finds when this was the
    /// last of its inputs, to be finished (off the lock).
    pub(crate) fn add(
        &self,
        input: &Input,
        row: Option<RowOf>,
        development: Option<DevelopmentOf>,
    ) -> Option<(PathBuf, BranchRows)> {
        let mut state = lock(&self.state);
        let state = &mut *state;
        let counts = &self.shared.inputs.by_branch;
        let found = row.as_ref().map(|r| r.branch().clone()).or_else(|| development.as_ref().map(|d| d.branch.clone()));
        if let Some(found) = found {
            let key = found.absolute.clone();
            if state.done.contains_key(&key) {
                state.late.entry(key).or_default().push(input.clone());
            } else {
                let open = state.open.entry(key.clone()).or_insert_with(|| Open::new(counts, &key));
                if open.branch.is_none() {
                    let names = match self.shared.branch(&found.shown) {
                        Ok(b) => Names { short: b.file.branch.display_name().into(), full: b.file.branch.name.clone() },
                        Err(_) => Names { short: key.display().to_string(), full: key.display().to_string() },
                    };
                    open.branch = Some(found);
                    let folder = branch::ledger_folder(&key, self.shared);
                    state.folders.entry(folder).or_default().insert(key, names);
                }
                open.rows.extend(row);
                open.development.extend(development);
            }
        }
        let key = input.branch.as_ref()?;
        if state.done.contains_key(key) {
            return None;
        }
        let open = state.open.entry(key.clone()).or_insert_with(|| Open::new(counts, key));
        open.remaining = open.remaining.saturating_sub(1);
        if open.remaining > 0 {
            return None;
        }
        let open = state.open.remove(key).expect("just found");
        let suffix = state.suffix(key, self.shared);
        // Marked done before the report runs: a row that comes meanwhile is late.
        state.done.insert(key.clone(), Done { report: None, suffix });
        let rows = BranchRows { branch: open.branch?, rows: open.rows, development: open.development };
        Some((key.clone(), rows))
    }

    /// A run without ledgers (a shard's): the activity's branch file, parsed once for all of its
    /// activities, is dropped after the last of them, as [`Ledgers::finish`] does after its report.
    pub(crate) fn pass(&self, input: &Input, branch: Option<&BranchPath>) {
        let Some(key) = input.branch.as_ref() else { return };
        let mut state = lock(&self.state);
        let open = state.open.entry(key.clone()).or_insert_with(|| Open::new(&self.shared.inputs.by_branch, key));
        if open.branch.is_none() {
            open.branch = branch.filter(|b| b.absolute == *key).cloned();
        }
        open.remaining = open.remaining.saturating_sub(1);
        if open.remaining > 0 {
            return;
        }
        let done = state.open.remove(key).and_then(|open| open.branch);
        drop(state);
        if let Some(branch) = done {
            self.shared.forget(&branch.shown);
        }
    }

    /// Writes a finished branch's report.
    pub(crate) fn finish(&self, key: PathBuf, rows: BranchRows) {
        let folder = branch::ledger_folder(&key, self.shared);
        let suffix = lock(&self.state).done.get(&key).map(|d| d.suffix.clone()).unwrap_or_default();
        let report = branch::report(&rows, &folder, &suffix, self.shared);
        self.shared.forget(&rows.branch.shown);
        drop(rows);
        if let Some(done) = lock(&self.state).done.get_mut(&key) {
            done.report = Some(report);
        }
    }

    /// After every activity: the branches still open, and those to do again; every report, in
    /// the order of their branch files.
    pub(crate) fn end(self) -> Vec<BranchReport> {
        use rayon::prelude::*;
        let shared = self.shared;
        let mut state = self.state.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut reports: Vec<BranchReport> = Vec::new();
        let open: Vec<(PathBuf, BranchRows)> = std::mem::take(&mut state.open)
            .into_iter()
            .filter_map(|(key, open)| {
                let rows = BranchRows { branch: open.branch?, rows: open.rows, development: open.development };
                Some((key, rows))
            })
            .collect();
        let last: Vec<(BranchRows, PathBuf, String)> = open
            .into_iter()
            .map(|(key, rows)| {
                let suffix = state.suffix(&key, shared);
                (rows, branch::ledger_folder(&key, shared), suffix)
            })
            .collect();
        reports.par_extend(last.par_iter().map(|(rows, folder, s)| branch::report(rows, folder, s, shared)));
        let mut again: Vec<PathBuf> = Vec::new();
        for (key, done) in std::mem::take(&mut state.done) {
            let late = state.late.contains_key(&key);
            let renamed = done.report.is_some() && done.suffix != state.suffix(&key, shared);
            match done.report {
                _ if late || renamed => again.push(key),
                Some(report) => reports.push(report),
                None => {}
            }
        }
        for key in again {
            let late = state.late.remove(&key).unwrap_or_default();
            if let Some(rows) = reread(&key, late, shared) {
                let suffix = state.suffix(&key, shared);
                reports.push(branch::report(&rows, &branch::ledger_folder(&key, shared), &suffix, shared));
            }
        }
        reports.sort_by_key(|r| crate::paths::absolute(&r.branch));
        reports
    }
}

/// The rows of one branch, read again: the activities that find it by walking up, and those that
/// named it after it was finished. A render's activities are read back from the manifests just
/// written (`pdb index`'s way), a check's are checked again.
fn reread(key: &PathBuf, late: Vec<Input>, shared: &Shared) -> Option<BranchRows> {
    let settings = Settings {
        mode: if shared.settings.mode == Mode::Check { Mode::Check } else { Mode::Index },
        report_all: false,
        ..shared.settings.clone()
    };
    let again = Shared::new(&settings, shared.inputs);
    let inputs = shared.inputs.iter().filter(|input| input.branch.as_ref() == Some(key)).chain(late);
    let mut branch = None;
    let mut rows = Vec::new();
    let mut development = Vec::new();
    for input in inputs {
        let (mut outcome, _) = activity::process(&input, &again);
        if let Some(of) = outcome.development.take().filter(|d| d.branch.absolute == *key && outcome.counts()) {
            branch.get_or_insert_with(|| of.branch.clone());
            development.push(of);
        }
        let Some(row) = outcome.row.take().and_then(|row| RowOf::new(&outcome, row)) else { continue };
        if row.branch().absolute == *key {
            branch.get_or_insert_with(|| row.branch().clone());
            rows.push(row);
        }
    }
    Some(BranchRows { branch: branch?, rows, development })
}
