//! One run over a batch of activities. Each activity goes through load → check → render → write
//! → PDF on one of `jobs` threads; what stays of it is its ledger row and, until it is reported,
//! a small [`Outcome`] (all outcomes only for `--json`). An activity whose inputs did not change
//! since pdb last wrote its folder costs a hash (see `incremental`). After every activity: the
//! findings that need the whole run, and per branch the frequency check and the 台账 (see
//! `index`). One broken activity never stops the others.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::incremental::{self, ActivityCache, CachedDiagnostic, Facts};
use crate::index;
use crate::inputs::{self, Input, Inputs, Shard};
use crate::ledger::LedgerRow;
use crate::load::{load_activity_source, Branch, BranchCache};
use crate::model::{ActivityStatus, Date, Kind};
use crate::output::{Manifest, OutputError, OutputFolder};
use crate::period::Period;
use crate::record::{committee_before, Record};
use crate::render::{self, Document, Engine, EngineError, Engines, Fonts, Format, Packet, RenderedFile};
use crate::source::SourceFile;
use crate::typst::{self, CompileOptions, Job, Severity, Typst, TypstDiagnostic, PACKET_STEM};

/// What a run does with each activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `pdb render`: write every changed activity's documents, then the ledgers.
    Render,
    /// `pdb index`: only the ledgers and the frequency check, from the activities (reusing the
    /// rows cached in their output folders when the inputs are unchanged).
    Index,
    /// `pdb check`: write nothing.
    Check,
}

/// Validated settings for a run: built once from the command line before any work starts.
#[derive(Debug, Clone)]
pub struct Settings {
    pub mode: Mode,
    pub out_dir: PathBuf,
    pub formats: Vec<Format>,
    pub only: Option<Vec<Document>>,
    pub templates: Option<PathBuf>,
    /// `--reference-docx`: the Word house style, over branch.toml's `reference_docx`.
    pub reference_docx: Option<PathBuf>,
    /// `--format` was given: branch.toml's `formats` does not apply.
    pub formats_given: bool,
    pub force: bool,
    pub fonts: Fonts,
    /// Compile PDFs too (the Typst sources are then always written).
    pub pdf: Option<PdfSettings>,
    /// Threads, and so also typst processes at a time.
    pub jobs: usize,
    /// Only the activities within this span; the frequency check judges it.
    pub period: Option<Period>,
    /// A period still under way is judged up to this day.
    pub today: NaiveDate,
    pub shard: Option<Shard>,
    /// Run the frequency check and (render, index) write a 台账 per branch.
    pub ledgers: bool,
    /// Keep every activity's outcome, with its files, for one full report at the end (`--json`).
    /// Off, an outcome is dropped once `Progress::finished` has seen it (unless its findings
    /// still depend on the rest of the run), so memory does not grow with the batch.
    pub report_all: bool,
}

/// How PDFs are made: which typst, with which fonts and standard.
#[derive(Debug, Clone)]
pub struct PdfSettings {
    pub typst: Typst,
    pub options: CompileOptions,
    /// Also one PDF per document, beside the packet `00-全套.pdf`.
    pub split: bool,
}

impl Settings {
    /// The options that change what is written, for the render fingerprint.
    pub fn output_options(&self) -> String {
        let pdf = self.pdf.as_ref().map(|pdf| {
            format!("{}|{:?}|{:?}|{}", pdf.typst.version, pdf.options.standard, pdf.options.fonts, pdf.split)
        });
        format!("{:?}|{:?}|{:?}|{pdf:?}", self.formats, self.only, self.fonts)
    }

    /// The formats written from templates: with PDFs, the Typst sources too.
    pub fn template_formats(&self) -> Vec<Format> {
        let mut formats = self.formats.clone();
        if self.pdf.is_some() && !formats.contains(&Format::Typst) {
            formats.insert(0, Format::Typst);
        }
        formats
    }

    /// The formats of a branch's documents, and whether they get PDFs: `--format`, else the
    /// branch's `formats`, else the run's default.
    pub fn formats_for(&self, branch: &crate::load::Branch) -> (Vec<Format>, bool) {
        use crate::model::OutputFormat;
        match branch.file.formats.as_ref().filter(|_| !self.formats_given) {
            Some(list) => {
                let list = list.get_ref();
                let pdf = self.pdf.is_some() && list.contains(&OutputFormat::Pdf);
                let mut formats: Vec<Format> = Vec::new();
                if pdf {
                    formats.push(Format::Typst);
                }
                for f in list {
                    let format = match f {
                        OutputFormat::Typst => Format::Typst,
                        OutputFormat::Markdown => Format::Markdown,
                        OutputFormat::Docx => Format::Docx,
                        OutputFormat::Pdf => continue,
                    };
                    if !formats.contains(&format) {
                        formats.push(format);
                    }
                }
                (formats, pdf)
            }
            None => (self.template_formats(), self.pdf.is_some()),
        }
    }

    /// Settings for `check`: nothing is written.
    pub fn check(today: NaiveDate) -> Settings {
        Settings {
            mode: Mode::Check,
            out_dir: PathBuf::new(),
            formats: Vec::new(),
            only: None,
            templates: None,
            reference_docx: None,
            formats_given: false,
            force: false,
            fonts: Fonts::default(),
            pdf: None,
            jobs: default_jobs(),
            period: None,
            today,
            shard: None,
            ledgers: false,
            report_all: false,
        }
    }
}

/// One thread per core.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

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
#[derive(Debug, Serialize)]
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
    /// Its branch file, as found (for messages) and made absolute (to group by).
    #[serde(skip)]
    pub branch: Option<(PathBuf, PathBuf)>,
    /// Findings that hold unless the run has a 支委会 of the same branch before it: decided
    /// after every activity is done, then moved to `findings`.
    #[serde(skip)]
    pub needs_committee: Vec<Diagnostic>,
}

impl Outcome {
    fn new(input: &Path, status: Status) -> Outcome {
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
        }
    }

    pub fn failed(input: &Path, errors: Vec<Diagnostic>) -> Outcome {
        Outcome { errors, ..Outcome::new(input, Status::Failed) }
    }

    fn set_row(&mut self, row: LedgerRow) {
        self.date = Some(row.date);
        self.committee = row.kind == Kind::Committee && row.status == ActivityStatus::Held;
        self.row = Some(row);
    }

    fn fail(&mut self, mut errors: Vec<Diagnostic>) {
        self.status = Status::Failed;
        self.errors.append(&mut errors);
    }

    /// Whether this activity is part of the run's counts (not outside `--period`).
    pub fn counts(&self) -> bool {
        self.status != Status::Skipped
    }
}

/// What a run did: the activities kept (every one with `report_all`, else those whose findings
/// were decided at the end) in input order, each branch, and the counts of all.
#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub activities: Vec<Outcome>,
    pub branches: Vec<index::BranchReport>,
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
    /// Activities' findings and the frequency findings.
    pub findings: usize,
    /// Ledgers that could not be written.
    pub failed_ledgers: usize,
}

impl Totals {
    fn add(&mut self, o: &Outcome) {
        match o.status {
            Status::Rendered => self.rendered += 1,
            Status::Unchanged => self.unchanged += 1,
            Status::Checked => self.checked += 1,
            Status::Failed => self.failed += 1,
            Status::Skipped => self.skipped += 1,
        }
        if o.counts() {
            self.activities += 1;
            self.findings += o.findings.len();
        }
    }

    fn add_branch(&mut self, branch: &index::BranchReport) {
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

/// Reports nothing.
pub struct Silent;
impl Progress for Silent {}

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
            RunError::Template(err) => f.write_str(&err.diagnostic().render(false)),
            RunError::Threads(err) => write!(f, "无法启动工作线程：{err}"),
        }
    }
}

impl std::error::Error for RunError {}

/// What the threads of a run share.
pub(crate) struct Context<'a> {
    pub settings: &'a Settings,
    pub inputs: &'a Inputs,
    pub branches: BranchCache,
    pub engines: Engines,
    /// `Settings::output_options`, computed once.
    pub options: String,
    /// Branch files by the path an activity's manifest names: a re-run finds them without
    /// resolving the path again for every activity.
    known: Mutex<HashMap<PathBuf, Result<Arc<Branch>, Diagnostic>>>,
}

impl Context<'_> {
    pub(crate) fn branch(&self, path: &Path) -> Result<Arc<Branch>, Diagnostic> {
        if let Some(found) = self.known.lock().expect("no panic while holding branches").get(path) {
            return found.clone();
        }
        let found = self.branches.get(path);
        self.known.lock().expect("no panic while holding branches").insert(path.to_path_buf(), found.clone());
        found
    }
}

/// Runs `settings.mode` over the activities.
pub fn run(inputs: &Inputs, settings: &Settings, progress: &dyn Progress) -> Result<Report, RunError> {
    let engines = Engines::new(settings.templates.clone()).with_reference(settings.reference_docx.clone());
    if settings.mode != Mode::Check {
        engines.without_branch().map_err(RunError::Template)?;
    }
    let context = Context {
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
    let rows: Mutex<Vec<index::RowOf>> = Mutex::new(Vec::with_capacity(selected.len()));
    let written = AtomicUsize::new(0);
    let branches: Mutex<Vec<index::BranchReport>> = Mutex::new(Vec::new());
    let ledgers = |rows: &Mutex<Vec<index::RowOf>>| {
        if settings.ledgers {
            let rows = std::mem::take(&mut *rows.lock().expect("no panic while holding rows"));
            *branches.lock().expect("no panic while holding branches") = index::branches(rows, &context);
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
                    let (mut outcome, pending) = process(input, &context);
                    // The row moves to the ledger: a large run keeps one copy.
                    let row = outcome.row.take().filter(|_| settings.ledgers);
                    if let Some(row) = row.and_then(|row| index::RowOf::new(&outcome, row)) {
                        rows.lock().expect("no panic while holding rows").push(row);
                    }
                    if written.fetch_add(1, Ordering::AcqRel) + 1 == selected.len() {
                        scope.spawn(|_| ledgers(&rows));
                    }
                    if let Some(pending) = pending {
                        finish(&mut outcome, pending, &context);
                    }
                    progress.finished(i, &outcome);
                    if settings.report_all || !outcome.needs_committee.is_empty() {
                        return Some((i, outcome));
                    }
                    let mut dropped = dropped.lock().expect("no panic while counting");
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
    let (mut totals, mut committees) = dropped.into_inner().expect("no panic while counting");
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
    let branches = branches.into_inner().expect("no panic while holding branches");
    for branch in &branches {
        totals.add_branch(branch);
    }
    Ok(Report { activities, branches, totals })
}

/// The held 支委会 of a run by branch: an admission or confirmation vote needs one of its branch
/// before it (activities outside `--period` count too: they took place).
#[derive(Debug, Default)]
struct Committees(HashMap<PathBuf, Vec<NaiveDate>>);

impl Committees {
    fn add(&mut self, outcome: &Outcome) {
        if let (true, Some(date), Some((_, branch))) = (outcome.committee, outcome.date, &outcome.branch) {
            self.0.entry(branch.clone()).or_default().push(date);
        }
    }

    /// Moves each activity's pending findings to its findings when no 支委会 comes before it.
    fn decide(&self, outcomes: &mut [Outcome]) {
        for outcome in outcomes.iter_mut().filter(|o| o.counts()) {
            let (Some(date), Some((_, branch))) = (outcome.date, &outcome.branch) else { continue };
            let dates = self.0.get(branch).into_iter().flatten().copied();
            if !committee_before(dates, date) {
                let mut pending = std::mem::take(&mut outcome.needs_committee);
                outcome.findings.append(&mut pending);
            }
            outcome.needs_committee.clear();
        }
    }
}

/// One activity up to its text documents: the outcome so far, and for a rendered activity the
/// work left (its PDFs, its manifest).
fn process(input: &Input, context: &Context) -> (Outcome, Option<Pending>) {
    let alone = |outcome| (outcome, None);
    let settings = context.settings;
    let dir = settings.out_dir.join(&input.output);
    if let Some(first) = &input.same_output_as {
        let message =
            format!("与 {} 的输出文件夹 {} 相同，为免互相覆盖，本活动没有处理", first.display(), dir.display());
        let help = "给其中一个文件改名（文件名只差大小写的两个文件在 Windows 上也是同一个文件夹）";
        return alone(Outcome::failed(&input.path, vec![Diagnostic::error(&input.path, message).with_help(help)]));
    }
    let bytes = match std::fs::read(&input.path) {
        Ok(bytes) => bytes,
        Err(_) => {
            // SourceFile::read words the error.
            let error = SourceFile::read(&input.path).err().unwrap_or_else(|| {
                Diagnostic::error(&input.path, "无法读取文件").with_help("检查文件路径是否正确、文件是否存在")
            });
            return alone(Outcome::failed(&input.path, vec![error]));
        }
    };
    let activity_hash = crate::output::hash(&bytes);
    match settings.mode {
        Mode::Render if !settings.force => {
            if let Some(outcome) = unchanged(input, &dir, &activity_hash, context, true) {
                return alone(outcome);
            }
        }
        Mode::Index => {
            if let Some(outcome) = unchanged(input, &dir, &activity_hash, context, false) {
                return alone(outcome);
            }
        }
        _ => {}
    }
    let source = match SourceFile::from_bytes(&input.path, bytes) {
        Ok(source) => source,
        Err(err) => return alone(Outcome::failed(&input.path, vec![err])),
    };
    let date = date_of(&source.text);
    let activity = match load_activity_source(source, &context.branches) {
        Ok(activity) => activity,
        Err(err) => return alone(skipped_or(input, date, settings, || Outcome::failed(&input.path, vec![err]))),
    };
    let date = Some(activity.file.date.get_ref().0);
    let branch_path = activity.branch.source.path.clone();
    let record = match Record::build(activity) {
        Ok(record) => record,
        Err(errors) => return alone(skipped_or(input, date, settings, || Outcome::failed(&input.path, errors))),
    };
    let mut outcome = Outcome::new(&input.path, Status::Checked);
    outcome.branch = Some((branch_path.clone(), inputs::absolute(&branch_path)));
    outcome.set_row(LedgerRow::from_record(&record));
    outcome.needs_committee = record.needs_committee();
    outcome.findings = record.findings.clone();
    if settings.period.is_some_and(|p| !p.contains(record.activity.file.date.get_ref().0)) {
        // Kept for the 支委会 it may be, not counted, not rendered.
        outcome.status = Status::Skipped;
        return alone(outcome);
    }
    match settings.mode {
        Mode::Check => alone(outcome),
        Mode::Index => {
            outcome.output = dir.is_dir().then_some(dir);
            alone(outcome)
        }
        Mode::Render => render_one(&record, &activity_hash, outcome, dir, context),
    }
}

/// An activity that failed to load is still out of the run when its date is outside `--period`.
fn skipped_or(
    input: &Input,
    date: Option<NaiveDate>,
    settings: &Settings,
    failed: impl FnOnce() -> Outcome,
) -> Outcome {
    match (settings.period, date) {
        (Some(period), Some(date)) if !period.contains(date) => Outcome::new(&input.path, Status::Skipped),
        _ => failed(),
    }
}

/// The `date` of an activity file whose other parts may be wrong.
fn date_of(text: &str) -> Option<NaiveDate> {
    #[derive(Deserialize)]
    struct DateOnly {
        date: Date,
    }
    toml::from_str::<DateOnly>(text).ok().map(|d| d.date.0)
}

/// The activity as the last run left it, when its inputs and outputs are still those: no parse,
/// no render. With `render` false (`pdb index`) only the facts must match.
fn unchanged(input: &Input, dir: &Path, activity_hash: &str, context: &Context, render: bool) -> Option<Outcome> {
    let manifest = Manifest::read(dir);
    let cache = manifest.activity?;
    let branch = context.branch(&cache.branch).ok()?;
    let facts = Facts {
        activity: &input.path,
        activity_hash,
        branch: &cache.branch,
        branch_hash: &branch.hash,
        photos: &cache.photos,
    }
    .fingerprint();
    if facts != cache.facts {
        return None;
    }
    // One directory listing, not a stat per file: this is most of what an unchanged activity costs.
    let present: HashSet<std::ffi::OsString> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(Result::ok).map(|e| e.file_name()).collect(),
        Err(_) => HashSet::new(),
    };
    let outputs_exist = cache.outputs.iter().all(|name| present.contains(std::ffi::OsStr::new(name)));
    if render {
        let engine = context.engines.get(&branch).ok()?;
        let fingerprint = incremental::render_fingerprint(&facts, engine.fingerprint(), &context.options);
        if manifest.fingerprint.as_deref() != Some(fingerprint.as_str()) || !outputs_exist {
            return None;
        }
    }
    let period = context.settings.period;
    let status = if period.is_some_and(|p| !p.contains(cache.row.date)) { Status::Skipped } else { Status::Unchanged };
    let mut outcome = Outcome::new(&input.path, status);
    outcome.output = (render || outputs_exist).then(|| dir.to_path_buf());
    if context.settings.report_all && status == Status::Unchanged {
        outcome.files = cache.outputs.iter().map(|name| dir.join(name)).collect();
    }
    outcome.branch = Some((cache.branch.clone(), inputs::absolute(&cache.branch)));
    outcome.set_row(cache.row);
    outcome.findings = cache.findings.into_iter().map(CachedDiagnostic::restore).collect();
    outcome.needs_committee = cache.needs_committee.into_iter().map(CachedDiagnostic::restore).collect();
    Some(outcome)
}

/// What is left of a rendered activity once its text documents are written.
struct Pending {
    folder: OutputFolder,
    /// The typst runs of its PDFs.
    jobs: Vec<Job>,
    /// The files written so far, by name.
    names: Vec<String>,
    fingerprint: String,
    facts: String,
    branch: PathBuf,
    photos: Vec<String>,
    row: LedgerRow,
}

/// Renders and writes the text documents of one activity.
fn render_one(
    record: &Record,
    activity_hash: &str,
    mut outcome: Outcome,
    dir: PathBuf,
    context: &Context,
) -> (Outcome, Option<Pending>) {
    let settings = context.settings;
    let branch = &record.activity.branch;
    let engine = match context.engines.get(branch) {
        Ok(engine) => engine,
        Err(err) => {
            outcome.fail(vec![err.diagnostic()]);
            return (outcome, None);
        }
    };
    let photos: Vec<String> = record.activity.file.photos.iter().map(|p| p.file.get_ref().clone()).collect();
    let facts = Facts {
        activity: record.path(),
        activity_hash,
        branch: &branch.source.path,
        branch_hash: &branch.hash,
        photos: &photos,
    }
    .fingerprint();
    let fingerprint = incremental::render_fingerprint(&facts, engine.fingerprint(), &context.options);
    let mut folder = OutputFolder::open(&dir, settings.force);
    match write_documents(record, &engine, &mut folder, settings) {
        Ok((files, jobs)) => {
            outcome.status = Status::Rendered;
            outcome.output = Some(dir);
            let names = files.iter().filter_map(|f| f.file_name()).map(|n| n.to_string_lossy().into_owned()).collect();
            outcome.files = files;
            let branch = branch.source.path.clone();
            let row = outcome.row.clone().expect("a checked activity has a row");
            (outcome, Some(Pending { folder, jobs, names, fingerprint, facts, branch, photos, row }))
        }
        Err(errors) => {
            outcome.fail(errors);
            (outcome, None)
        }
    }
}

/// Compiles an activity's PDFs and saves its manifest, last: with the fingerprint and what a
/// re-run needs when everything was written, without when a PDF failed.
fn finish(outcome: &mut Outcome, pending: Pending, context: &Context) {
    let Pending { mut folder, jobs, mut names, fingerprint, facts, branch, photos, row } = pending;
    if let Some(pdf) = context.settings.pdf.as_ref().filter(|_| !jobs.is_empty()) {
        let (pdfs, errors, warnings) = compile(pdf, &jobs);
        outcome.warnings = warnings;
        if !errors.is_empty() {
            outcome.fail(errors);
        } else {
            match folder.write(&pdfs) {
                Ok(mut paths) => {
                    names.extend(pdfs.iter().map(|f| f.name.clone()));
                    outcome.files.append(&mut paths);
                }
                Err(err) => outcome.fail(vec![output_diagnostic(err)]),
            }
        }
    }
    let result = if outcome.status == Status::Failed {
        // The text files are there: their hashes are kept, for the hand-edit check.
        folder.finish(None, None)
    } else {
        let cache = ActivityCache {
            facts,
            branch,
            photos,
            outputs: names,
            row,
            findings: outcome.findings.iter().map(CachedDiagnostic::from).collect(),
            needs_committee: outcome.needs_committee.iter().map(CachedDiagnostic::from).collect(),
        };
        folder.finish(Some(fingerprint), Some(cache))
    };
    if let Err(err) = result {
        outcome.fail(vec![output_diagnostic(err)]);
    }
}

/// The documents of one activity in every format and its photos, written; the typst runs its
/// PDFs need.
fn write_documents(
    record: &Record,
    engine: &Engine,
    folder: &mut OutputFolder,
    settings: &Settings,
) -> Result<(Vec<PathBuf>, Vec<Job>), Vec<Diagnostic>> {
    let (formats, wants_pdf) = settings.formats_for(&record.activity.branch);
    let documents = render::documents_for(record, settings.only.as_deref());
    let packet = Packet::new(record, &render::photo_names(record), &documents, settings.fonts.clone());
    let text: Vec<Format> = formats.iter().copied().filter(|f| *f != Format::Docx).collect();
    let mut files = render::render_documents(engine, &packet, &documents, record.kind(), &text)
        .map_err(|err| vec![err.diagnostic()])?;
    add_photos(record, &documents, &mut files).map_err(|err| vec![err])?;
    if formats.contains(&Format::Docx) {
        let docx = render::docx::render_documents(engine, &packet, &documents, record.kind(), &files)
            .map_err(|err| vec![err.diagnostic()])?;
        files.extend(docx);
    }
    let mut jobs = Vec::new();
    if let Some(pdf) = settings.pdf.as_ref().filter(|_| wants_pdf) {
        files.push(RenderedFile {
            name: format!("{PACKET_STEM}.typ"),
            contents: typst::packet_source(&packet).into_bytes(),
        });
        let epoch = source_date_epoch(record);
        let job = |stem: &str| Job {
            dir: folder.dir().to_path_buf(),
            input: format!("{stem}.typ"),
            output: format!("{stem}.pdf"),
            epoch,
        };
        jobs.push(job(PACKET_STEM));
        if pdf.split {
            jobs.extend(documents.iter().map(|d| job(&d.stem(record.kind()))));
        }
        // A PDF changed by hand (signed, annotated) is kept: stop before writing anything.
        if let Some(path) = folder.hand_edited(jobs.iter().map(|j| j.output.as_str())) {
            return Err(vec![output_diagnostic(OutputError::HandEdited(path))]);
        }
    }
    let written = folder.write(&files).map_err(|err| vec![output_diagnostic(err)])?;
    Ok((written, jobs))
}

/// Runs typst on each job (in parallel on the run's threads, so never more than `jobs` typst
/// processes): the PDFs when all succeeded, typst's errors and its warnings.
pub(crate) fn compile(pdf: &PdfSettings, jobs: &[Job]) -> (Vec<RenderedFile>, Vec<Diagnostic>, Vec<String>) {
    let compiled: Vec<typst::Compiled> = jobs.par_iter().map(|job| pdf.typst.compile(job, &pdf.options)).collect();
    let Some(dir) = jobs.first().map(|job| job.dir.clone()) else { return (Vec::new(), Vec::new(), Vec::new()) };
    let (mut errors, warnings) = typst_diagnostics(&dir, compiled.iter().flat_map(|c| &c.diagnostics));
    let pdfs: Option<Vec<RenderedFile>> = jobs
        .iter()
        .zip(compiled)
        .map(|(job, compiled)| compiled.pdf.map(|contents| RenderedFile { name: job.output.clone(), contents }))
        .collect();
    match pdfs {
        Some(pdfs) if errors.is_empty() => (pdfs, errors, warnings),
        _ => {
            if errors.is_empty() {
                errors.push(Diagnostic::error(&dir, "typst 没有生成 PDF").with_help(error_help_generic()));
            }
            (Vec::new(), errors, warnings)
        }
    }
}

pub(crate) fn output_diagnostic(err: OutputError) -> Diagnostic {
    let path = match &err {
        OutputError::HandEdited(p) | OutputError::Io(p, _) => p.clone(),
    };
    let help = match &err {
        OutputError::HandEdited(_) => "把手工修改另存为其他文件名，或加 --force 重新生成",
        OutputError::Io(..) => "检查输出文件夹是否可写、文件是否被其他程序（如 Word、WPS、PDF 阅读器）占用",
    };
    Diagnostic::error(&path, err.to_string()).with_help(help)
}

/// The PDF's creation date: the activity's date and start time in China Standard Time. Fixed by
/// the record, so that two runs give byte-identical PDFs.
fn source_date_epoch(record: &Record) -> i64 {
    let file = &record.activity.file;
    let local = file.date.get_ref().0.and_time(file.start.get_ref().0);
    (local.and_utc().timestamp() - 8 * 3600).max(0)
}

/// typst's errors as pdb's, and its warnings as lines, each naming the file of the activity's
/// folder it is about. Missing glyphs (PDF/A refuses them) become one error with the fix.
fn typst_diagnostics<'a>(
    dir: &Path,
    diagnostics: impl Iterator<Item = &'a TypstDiagnostic>,
) -> (Vec<Diagnostic>, Vec<String>) {
    let mut seen = BTreeSet::new();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    let mut missing_in: Vec<(PathBuf, Option<(usize, usize)>)> = Vec::new();
    for d in diagnostics {
        // The packet and a split PDF include the same file: say each thing once.
        if !seen.insert((d.file.clone(), d.line, d.column, d.message.clone())) {
            continue;
        }
        let path = d.file.as_ref().map_or_else(|| dir.to_path_buf(), |f| dir.join(f));
        let position = d.line.zip(d.column);
        match (d.severity, d.missing_glyphs()) {
            (Severity::Error, Some(text)) => {
                if !missing.contains(&text) {
                    missing.push(text);
                }
                if d.file.is_some() && !missing_in.iter().any(|(p, _)| *p == path) {
                    missing_in.push((path, position));
                }
            }
            (Severity::Error, None) => {
                let mut diagnostic =
                    Diagnostic::error(&path, format!("typst 无法生成 PDF：{}", d.message)).with_help(error_help(d));
                if let Some((line, column)) = position {
                    diagnostic = diagnostic.with_position(line, column);
                }
                errors.push(diagnostic);
            }
            (Severity::Warning, _) => {
                let place = match position {
                    Some((line, column)) => format!("{}:{line}:{column}", path.display()),
                    None => path.display().to_string(),
                };
                let hint = if d.is_about_fonts() { "（pdb doctor 列出 typst 能用的字体）" } else { "" };
                warnings.push(format!("警告：{place}：typst：{}{hint}", d.message));
            }
        }
    }
    if !missing.is_empty() {
        let shown: Vec<String> = missing
            .iter()
            .map(|text| {
                let codes: Vec<String> = text.chars().map(|c| format!("U+{:04X}", c as u32)).collect();
                format!("“{text}”（{}）", codes.join(" "))
            })
            .collect();
        let files: Vec<String> =
            missing_in.iter().filter_map(|(p, _)| p.file_name()).map(|n| n.to_string_lossy().into_owned()).collect();
        let (path, position) = missing_in.first().cloned().unwrap_or_else(|| (dir.to_path_buf(), None));
        let mut diagnostic = Diagnostic::error(
            &path,
            format!("有字没有任何字体能显示，PDF 会缺字，所以没有生成：{}；见于 {}", shown.join("、"), files.join("、")),
        )
        .with_help(
            "安装含这些字的中文字体（Debian/Ubuntu：sudo apt install fonts-noto-cjk），或用 --font-path 指定字体文件夹；\
             生僻字需要含扩展汉字的字体。pdb doctor 列出 typst 能用的字体",
        );
        if let Some((line, column)) = position {
            diagnostic = diagnostic.with_position(line, column);
        }
        errors.push(diagnostic);
    }
    (errors, warnings)
}

fn error_help(d: &TypstDiagnostic) -> &'static str {
    if d.message.contains("CMYK") {
        "照片是 CMYK 颜色的 JPEG，PDF/A 不接受：请把照片另存为普通（RGB）JPEG，或加 --pdf-standard 1.7"
    } else if d.message.contains("PDF/A") {
        "这是 PDF/A 归档格式的要求；可以加 --pdf-standard 1.7 生成普通 PDF"
    } else {
        error_help_generic()
    }
}

fn error_help_generic() -> &'static str {
    "若用了自定义模板（--templates），请按提示修改模板；否则请把这段信息报告给 pdb 的维护者"
}

/// Photos are copied beside the documents that show them, when a document shows them.
fn add_photos(record: &Record, documents: &[Document], files: &mut Vec<RenderedFile>) -> Result<(), Diagnostic> {
    if !documents.contains(&Document::Photos) {
        return Ok(());
    }
    let folder = record.path().parent().unwrap_or(Path::new("."));
    for (photo, name) in record.activity.file.photos.iter().zip(render::photo_names(record)) {
        let path = folder.join(photo.file.get_ref());
        let contents = std::fs::read(&path).map_err(|e| {
            Diagnostic::error(&path, format!("无法读取照片：{e}")).with_help("检查照片文件是否存在、是否被其他程序占用")
        })?;
        files.push(RenderedFile { name, contents });
    }
    Ok(())
}

// Outcomes cross threads.
const _: () = {
    const fn sendable<T: Send>() {}
    sendable::<Outcome>();
    sendable::<Arc<Engine>>();
};
