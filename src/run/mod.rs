//! One run over a batch of activities, the only layer with threads. Each activity goes through
//! load → check → render → write → PDF on one of `jobs` threads ([`activity`]); what stays of it
//! is its ledger row and, until it is reported, a small [`Outcome`] (all outcomes only for
//! `--json`). An activity whose inputs did not change since pdb last wrote its folder costs a
//! hash (see `incremental`). After every activity: the findings that need the whole run
//! ([`Committees`]), and per branch the frequency check and the 台账 ([`branch`]). One broken
//! activity never stops the others.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::inputs::{Input, Inputs};
use crate::load::{BranchCache, LoadedBranch};
use crate::render::{Engine, EngineError, Engines};
use crate::sync::{into_inner, lock};

mod activity;
mod branch;
mod committees;
mod outcome;
mod settings;
mod write;

pub use committees::Committees;
pub use outcome::{BranchPath, BranchReport, LedgerOutcome, Outcome, Progress, Report, Status, Totals};
pub use settings::{default_jobs, Mode, PdfSettings, Settings};

/// A run that could not start.
#[derive(Debug)]
pub enum RunError {
    /// `--templates` (or a built-in template) does not parse, or `--reference-docx` is no Word
    /// file: every activity would fail.
    Template(EngineError),
    Threads(String),
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Template(err) => f.write_str(&Diagnostic::from(err.clone()).render(false)),
            RunError::Threads(err) => write!(f, "无法启动工作线程：{err}"),
        }
    }
}

impl std::error::Error for RunError {}

/// What the threads of a run share.
pub(crate) struct Shared<'a> {
    pub settings: &'a Settings,
    pub inputs: &'a Inputs,
    pub branches: BranchCache,
    pub engines: Engines,
    /// `Settings::output_options`, computed once.
    pub options: String,
    /// Branch files by the path an activity's manifest names: a re-run finds them without
    /// resolving the path again for every activity.
    known: Mutex<HashMap<PathBuf, LoadedBranch>>,
}

impl Shared<'_> {
    pub(crate) fn branch(&self, path: &Path) -> LoadedBranch {
        if let Some(found) = lock(&self.known).get(path) {
            return found.clone();
        }
        let found = self.branches.get(path);
        lock(&self.known).insert(path.to_path_buf(), found.clone());
        found
    }
}

/// Runs `settings.mode` over the activities.
pub fn run(inputs: &Inputs, settings: &Settings, progress: &dyn Progress) -> Result<Report, RunError> {
    let engines = Engines::new(settings.templates.clone()).with_reference(settings.reference_docx.clone());
    if settings.mode != Mode::Check {
        engines.without_branch().map_err(RunError::Template)?;
    }
    let shared = Shared {
        settings,
        inputs,
        branches: BranchCache::default(),
        engines,
        options: settings.output_options(),
        known: Mutex::default(),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.jobs.max(1))
        .build()
        .map_err(|e| RunError::Threads(e.to_string()))?;
    let selected: Vec<&Input> =
        inputs.activities.iter().filter(|input| settings.shard.is_none_or(|shard| shard.contains(input))).collect();
    progress.total(selected.len());
    // The ledgers need every activity's row, and rows exist once the text documents are written:
    // the last activity to get there starts the ledgers, so that their PDFs compile beside the
    // activities' last PDFs instead of after them.
    let rows: Mutex<Vec<branch::RowOf>> = Mutex::new(Vec::with_capacity(selected.len()));
    let written = AtomicUsize::new(0);
    let branches: Mutex<Vec<BranchReport>> = Mutex::new(Vec::new());
    let ledgers = |rows: &Mutex<Vec<branch::RowOf>>| {
        if settings.ledgers {
            let rows = std::mem::take(&mut *lock(rows));
            *lock(&branches) = branch::branches(rows, &shared);
        }
    };
    // Of the outcomes not kept: their counts, and the 支委会 the others' findings depend on.
    let dropped: Mutex<(Totals, Committees)> = Mutex::default();
    let kept: Vec<(usize, Outcome)> = pool.install(|| {
        rayon::scope(|scope| {
            // In input order, a few at a time: lines can be printed as activities finish.
            selected
                .iter()
                .enumerate()
                .par_bridge()
                .filter_map(|(i, input)| {
                    progress.started(&input.path);
                    let (mut outcome, pending) = activity::process(input, &shared);
                    // The row moves to the ledger: a large run keeps one copy.
                    let row = outcome.row.take().filter(|_| settings.ledgers);
                    if let Some(row) = row.and_then(|row| branch::RowOf::new(&outcome, row)) {
                        lock(&rows).push(row);
                    }
                    if written.fetch_add(1, Ordering::AcqRel) + 1 == selected.len() {
                        scope.spawn(|_| ledgers(&rows));
                    }
                    if let Some(pending) = pending {
                        activity::finish(&mut outcome, pending, &shared);
                    }
                    progress.finished(i, &outcome);
                    if settings.report_all || !outcome.needs_committee.is_empty() {
                        return Some((i, outcome));
                    }
                    let mut dropped = lock(&dropped);
                    dropped.0.add(&outcome);
                    dropped.1.add(&outcome);
                    None
                })
                .collect()
        })
    });
    if selected.is_empty() {
        ledgers(&rows);
    }
    let (mut totals, mut committees) = into_inner(dropped);
    let mut kept = kept;
    kept.sort_by_key(|(i, _)| *i);
    let mut activities: Vec<Outcome> = kept.into_iter().map(|(_, o)| o).collect();
    for outcome in &activities {
        committees.add(outcome);
    }
    committees.decide(&mut activities);
    for outcome in &activities {
        totals.add(outcome);
    }
    let branches = into_inner(branches);
    for branch in &branches {
        totals.add_branch(branch);
    }
    let warnings = shared.engines.warnings();
    Ok(Report { activities, warnings, branches, totals })
}

// Outcomes cross threads.
const _: () = {
    const fn sendable<T: Send>() {}
    sendable::<Outcome>();
    sendable::<Arc<Engine>>();
};
