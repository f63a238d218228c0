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
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::inputs::Inputs;
use crate::load::{BranchCache, LoadedBranch};
use crate::render::{Engine, EngineError, Engines};
use crate::sync::{into_inner, lock};
use ledgers::Ledgers;

mod activity;
mod applicant;
mod branch;
mod bundle;
mod committees;
mod development;
mod ledgers;
mod outcome;
mod settings;
mod watch;
mod write;

pub use committees::Committees;
pub use outcome::{BranchPath, BranchReport, LedgerOutcome, Outcome, Progress, Report, Status, Totals};
pub use settings::{default_jobs, Mode, PdfEngine, PdfSettings, Settings};
pub use watch::{is_scratch, Change, Watched};

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
    /// One lock per ledger folder, for the manifest that the branches whose 台账 go there share.
    folders: Mutex<HashMap<PathBuf, Arc<Mutex<()>>>>,
}

impl<'a> Shared<'a> {
    pub(crate) fn new(settings: &'a Settings, inputs: &'a Inputs) -> Shared<'a> {
        Shared {
            settings,
            inputs,
            branches: BranchCache::default(),
            engines: Engines::new(settings.templates.clone()).with_reference(settings.reference_docx.clone()),
            options: settings.output_options(),
            known: Mutex::default(),
            folders: Mutex::default(),
        }
    }

    pub(crate) fn branch(&self, path: &Path) -> LoadedBranch {
        if let Some(found) = lock(&self.known).get(path) {
            return found.clone();
        }
        let found = self.branches.get(path);
        lock(&self.known).insert(path.to_path_buf(), found.clone());
        found
    }

    /// The lock of a ledger folder's manifest (see `output::Owner`).
    pub(crate) fn folder_lock(&self, dir: &Path) -> Arc<Mutex<()>> {
        lock(&self.folders).entry(dir.to_path_buf()).or_default().clone()
    }

    /// A branch whose activities are all done: memory stays that of the branches under way.
    pub(crate) fn forget(&self, path: &Path) {
        lock(&self.known).remove(path);
        self.branches.forget(path);
    }
}

/// Runs `settings.mode` over the activities.
pub fn run(inputs: &Inputs, settings: &Settings, progress: &dyn Progress) -> Result<Report, RunError> {
    let shared = Shared::new(settings, inputs);
    if settings.mode != Mode::Check {
        shared.engines.without_branch().map_err(RunError::Template)?;
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.jobs.max(1))
        .build()
        .map_err(|e| RunError::Threads(e.to_string()))?;
    // Walked as the run goes, never listed (the shard's activities only, counted as found).
    progress.total(inputs.count);
    // A branch's ledger starts once its last activity's text documents are written, so that its
    // PDF compiles beside the other activities' PDFs, and its rows are dropped.
    let ledgers = Ledgers::new(&shared);
    // The held 支委会 so far, which decide most findings that depend on one at once.
    let committees: Mutex<Committees> = Mutex::default();
    // The counts of the outcomes not kept.
    let dropped: Mutex<Totals> = Mutex::default();
    // With bundles, a chunk of activities at a time: their PDFs from one typst process.
    let size = bundle::chunk_size(settings, inputs.count);
    let kept: Vec<(usize, Outcome)> = pool.install(|| {
        // In input order, a few at a time: lines can be printed as activities finish.
        bundle::chunks(inputs.iter().enumerate(), size)
            .par_bridge()
            .flat_map_iter(|chunk| {
                let mut done: Vec<(usize, Outcome, Option<activity::Pending>)> = Vec::with_capacity(chunk.len());
                let mut finished = Vec::new();
                for (i, input) in chunk {
                    progress.started(&input.path);
                    let (mut outcome, pending) = activity::process(&input, &shared);
                    // The row moves to the ledger: a large run keeps one copy.
                    if !settings.ledgers {
                        // Its branch.toml is dropped after its last activity all the same.
                        ledgers.pass(&input, outcome.branch.as_ref());
                    } else {
                        let row = outcome.row.take().and_then(|row| branch::RowOf::new(&outcome, row));
                        // Cloned: `finish` keeps the named applicants in the manifest.
                        let development = outcome.development.clone().filter(|_| outcome.counts());
                        finished.extend(ledgers.add(&input, row, development));
                    }
                    outcome.row = None;
                    done.push((i, outcome, pending));
                }
                // The branches this chunk finished, and its activities' PDFs: joined, so that an
                // idle thread takes the ledgers (in `pdb watch` the one changed activity is nearly
                // always its branch's last, and its PDF need not wait for the 台账's). Not
                // spawned: a job spawned from here would wait for the whole walk, and the rows
                // with it.
                let ledger = || {
                    for (key, rows) in finished {
                        ledgers.finish(key, rows);
                    }
                };
                let own = || {
                    bundle::compile(
                        &mut done.iter_mut().filter_map(|(_, _, p)| p.as_mut()).collect::<Vec<_>>(),
                        &shared,
                    );
                    for (_, outcome, pending) in &mut done {
                        if let Some(pending) = pending.take() {
                            activity::finish(outcome, pending, &shared);
                        }
                    }
                };
                rayon::join(own, ledger);
                let mut kept = Vec::new();
                for (i, mut outcome, _) in done {
                    // After the manifest, which keeps the pending findings for the next run.
                    {
                        let mut committees = lock(&committees);
                        committees.add(&outcome);
                        committees.decide_if_met(&mut outcome);
                    }
                    progress.finished(i, &outcome);
                    if !outcome.needs_committee.is_empty() {
                        kept.push((i, outcome));
                    } else {
                        lock(&dropped).add(&outcome);
                    }
                }
                kept
            })
            .collect()
    });
    let branches = if settings.ledgers { ledgers.end() } else { Vec::new() };
    let (mut totals, committees) = (into_inner(dropped), into_inner(committees));
    let mut kept = kept;
    kept.sort_by_key(|(i, _)| *i);
    let mut activities: Vec<Outcome> = kept.into_iter().map(|(_, o)| o).collect();
    committees.decide(&mut activities);
    for outcome in &activities {
        totals.add(outcome);
    }
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
