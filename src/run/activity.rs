//! The steps of one activity: read and hash it, reuse the last run's work when nothing changed,
//! else load, check, render and write its text documents; later its PDFs and its manifest.

use std::collections::HashSet;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;

use super::development::DevelopmentOf;
use super::outcome::{BranchPath, Outcome, Status};
use super::settings::{Mode, Settings};
use super::write::PdfFolder;
use super::Shared;
use crate::diagnostics::Diagnostic;
use crate::incremental::{self, ActivityCache, CachedDiagnostic, Facts};
use crate::inputs::Input;
use crate::load::load_activity_source;
use crate::model::{Date, LedgerRow};
use crate::output::Manifest;
use crate::record::{self, Named, Record};
use crate::render::{self, Document, Engine, Format, Packet, RenderedFile};
use crate::source::{ReadError, SourceFile};
use crate::typst::{self, Job, PACKET_STEM};

/// What is left of a rendered activity once its text documents are written.
pub(crate) struct Pending {
    folder: PdfFolder,
    /// The typst runs of its PDFs.
    jobs: Vec<Job>,
    /// Whether its PDFs may be compiled in one typst process with other folders' (see
    /// `run/bundle.rs`): its Typst templates are pdb's own and no photo is an SVG.
    bundle_safe: bool,
    /// Its PDFs, when a bundle made them.
    pdfs: Option<Vec<RenderedFile>>,
    fingerprint: String,
    facts: String,
    branch: PathBuf,
    photos: Vec<String>,
    row: LedgerRow,
}

/// One activity up to its text documents: the outcome so far, and for a rendered activity the
/// work left (its PDFs, its manifest).
pub(crate) fn process(input: &Input, shared: &Shared) -> (Outcome, Option<Pending>) {
    let alone = |outcome| (outcome, None);
    let settings = shared.settings;
    let dir = settings.out_dir.join(&input.output);
    if let Some(first) = &input.same_output_as {
        let message =
            format!("与 {} 的输出文件夹 {} 相同，为免互相覆盖，本活动没有处理", first.display(), dir.display());
        let help = "给其中一个文件改名（文件名只差大小写的两个文件在 Windows 上也是同一个文件夹）";
        return alone(Outcome::failed(&input.path, vec![Diagnostic::error(&input.path, message).with_help(help)]));
    }
    if let Some(name) = input.output.file_name().and_then(|n| n.to_str()).filter(|n| is_reserved(n)) {
        let message = format!("活动文件名“{name}”与 pdb 自己的文件（台账、清单）重名，本活动没有处理");
        let help = "给这个活动文件改个名字，例如用日期和会议类型：2026-11-05-支部党员大会.toml";
        return alone(Outcome::failed(&input.path, vec![Diagnostic::error(&input.path, message).with_help(help)]));
    }
    let bytes = match std::fs::read(&input.path) {
        Ok(bytes) => bytes,
        Err(error) => {
            let error = ReadError::Io { path: input.path.clone(), error };
            return alone(Outcome::failed(&input.path, vec![error.into()]));
        }
    };
    if std::str::from_utf8(&bytes).is_ok_and(crate::model::applicant::is_applicant) {
        return alone(match SourceFile::from_bytes(&input.path, bytes) {
            Ok(source) => super::applicant::process(input, source, shared),
            Err(err) => Outcome { applicant: true, ..Outcome::failed(&input.path, vec![err.into()]) },
        });
    }
    let activity_hash = crate::digest::hash(&bytes);
    let reuse = match settings.mode {
        Mode::Render => !settings.force,
        Mode::Index => true,
        Mode::Check => false,
    };
    if reuse {
        if let Some(outcome) = unchanged(input, &dir, &activity_hash, shared) {
            return alone(outcome);
        }
    }
    let source = match SourceFile::from_bytes(&input.path, bytes) {
        Ok(source) => source,
        Err(err) => return alone(Outcome::failed(&input.path, vec![err.into()])),
    };
    let date = date_of(&source.text);
    let activity = match load_activity_source(source, &shared.branches) {
        Ok(activity) => activity,
        Err(errors) => return alone(skipped_or(input, date, settings, || Outcome::failed(&input.path, errors))),
    };
    let date = Some(activity.file.date.get_ref().0);
    let branch_path = activity.branch.source.path.clone();
    let record = match Record::build(activity) {
        Ok(record) => record,
        Err(errors) => return alone(skipped_or(input, date, settings, || Outcome::failed(&input.path, errors))),
    };
    let mut outcome = Outcome::new(&input.path, Status::Checked);
    outcome.branch = Some(BranchPath::new(&branch_path));
    outcome.set_row(LedgerRow::from_record(&record));
    outcome.needs_committee = record.needs_committee();
    outcome.findings = record.findings.clone();
    outcome.development = development(&branch_path, record::named(&record));
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
        Mode::Render => render(&record, &activity_hash, outcome, dir, shared),
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
/// no render. For `pdb index` (`Mode::Index`) only the facts must match.
fn unchanged(input: &Input, dir: &Path, activity_hash: &str, shared: &Shared) -> Option<Outcome> {
    let render = shared.settings.mode == Mode::Render;
    let manifest = Manifest::read(dir);
    let cache = manifest.activity?;
    let branch = shared.branch(&cache.branch).ok()?;
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
    let present: HashSet<OsString> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(Result::ok).map(|e| e.file_name()).collect(),
        Err(_) => HashSet::new(),
    };
    let outputs_exist = cache.outputs.iter().all(|name| present.contains(OsStr::new(name)));
    if render {
        let engine = shared.engines.get(&branch).ok()?;
        let fingerprint = incremental::render_fingerprint(&facts, engine.fingerprint(), &shared.options);
        if manifest.fingerprint.as_deref() != Some(fingerprint.as_str()) || !outputs_exist {
            return None;
        }
    }
    let period = shared.settings.period;
    let status = if period.is_some_and(|p| !p.contains(cache.row.date)) { Status::Skipped } else { Status::Unchanged };
    let mut outcome = Outcome::new(&input.path, status);
    outcome.output = (render || outputs_exist).then(|| dir.to_path_buf());
    if shared.settings.report_all && status == Status::Unchanged {
        outcome.files = cache.outputs.iter().map(|name| dir.join(name)).collect();
    }
    outcome.branch = Some(BranchPath::new(&cache.branch));
    outcome.set_row(cache.row);
    outcome.findings = cache.findings.into_iter().map(CachedDiagnostic::restore).collect();
    outcome.needs_committee = cache.needs_committee.into_iter().map(CachedDiagnostic::restore).collect();
    let named = cache.applicants.into_iter().map(|(name, d)| Named { name, finding: d.restore() }).collect();
    outcome.development = development(&cache.branch, named);
    Some(outcome)
}

/// What a meeting gives its branch's 发展党员 stage: the decisions naming applicants, if any.
fn development(branch: &Path, named: Vec<Named>) -> Option<DevelopmentOf> {
    (!named.is_empty()).then(|| DevelopmentOf { branch: BranchPath::new(branch), applicant: None, named })
}

/// Renders and writes the text documents of one activity.
fn render(
    record: &Record,
    activity_hash: &str,
    mut outcome: Outcome,
    dir: PathBuf,
    shared: &Shared,
) -> (Outcome, Option<Pending>) {
    let settings = shared.settings;
    let branch = &record.activity.branch;
    let engine = match shared.engines.get(branch) {
        Ok(engine) => engine,
        Err(err) => {
            outcome.fail(vec![err.into()]);
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
    let fingerprint = incremental::render_fingerprint(&facts, engine.fingerprint(), &shared.options);
    let written = render_files(record, &engine, &dir, settings).and_then(|(files, jobs)| {
        let folder = PdfFolder::write(&dir, settings.force, &files, jobs.iter().map(|j| j.output.as_str()))?;
        Ok((folder, jobs))
    });
    match written {
        Ok((folder, jobs)) => {
            outcome.status = Status::Rendered;
            outcome.output = Some(dir);
            outcome.files = folder.written.clone();
            let branch = branch.source.path.clone();
            let row = outcome.row.clone().expect("a checked activity has a row");
            // An SVG may link images by path, which pdb does not control.
            let svg = render::photo_names(record).iter().any(|name| name.ends_with(".svg"));
            let bundle_safe = engine.typst_is_builtin() && !svg;
            let pending = Pending { folder, jobs, bundle_safe, pdfs: None, fingerprint, facts, branch, photos, row };
            (outcome, Some(pending))
        }
        Err(error) => {
            outcome.fail(vec![error]);
            (outcome, None)
        }
    }
}

/// An activity's output folder that would take the name of a file pdb writes beside it: the
/// ledger (`台账.md`, `台账-机关第一党支部.pdf`), the manifest, a temporary file.
fn is_reserved(folder: &str) -> bool {
    let ledger_file = folder.starts_with(crate::ledger::LEDGER_STEM)
        && [".md", ".typ", ".pdf", ".docx"].iter().any(|e| folder.to_lowercase().ends_with(e));
    ledger_file || folder.starts_with(".pdb")
}

impl Pending {
    /// The typst runs of its PDFs, when they may go into a bundle.
    pub(super) fn bundle_jobs(&self) -> Option<&[Job]> {
        (self.bundle_safe && !self.jobs.is_empty()).then_some(self.jobs.as_slice())
    }

    /// Its PDFs, in the order of its jobs, made by a bundle.
    pub(super) fn set_pdfs(&mut self, pdfs: Vec<Vec<u8>>) {
        let named =
            self.jobs.iter().zip(pdfs).map(|(job, contents)| RenderedFile { name: job.output.clone(), contents });
        self.pdfs = Some(named.collect());
    }
}

/// Writes an activity's PDFs (made by its chunk's bundle, or compiled now, one typst run per PDF)
/// and saves its manifest, last: with the fingerprint and what a re-run needs when everything
/// was written, without when a PDF failed.
pub(crate) fn finish(outcome: &mut Outcome, pending: Pending, shared: &Shared) {
    let Pending { mut folder, jobs, pdfs, fingerprint, facts, branch, photos, row, .. } = pending;
    if let Some(pdf) = shared.settings.pdf.as_ref().filter(|_| !jobs.is_empty()) {
        let mut result = match pdfs {
            Some(pdfs) => folder.store(pdfs),
            None => folder.compile(pdf, &jobs),
        };
        outcome.warnings = result.warnings;
        outcome.files.append(&mut result.written);
        if !result.errors.is_empty() {
            outcome.fail(result.errors);
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
            outputs: folder.names(),
            row,
            findings: outcome.findings.iter().map(CachedDiagnostic::from).collect(),
            needs_committee: outcome.needs_committee.iter().map(CachedDiagnostic::from).collect(),
            applicants: outcome
                .development
                .iter()
                .flat_map(|d| &d.named)
                .map(|n| (n.name.clone(), CachedDiagnostic::from(&n.finding)))
                .collect(),
        };
        folder.finish(Some(fingerprint), Some(cache))
    };
    match result {
        Ok(warnings) => outcome.warnings.extend(warnings),
        Err(err) => outcome.fail(vec![err]),
    }
}

/// The documents of one activity in every format and its photos; the typst runs its PDFs need.
fn render_files(
    record: &Record,
    engine: &Engine,
    dir: &Path,
    settings: &Settings,
) -> Result<(Vec<RenderedFile>, Vec<Job>), Diagnostic> {
    let (formats, wants_pdf) = settings.formats_for(&record.activity.branch);
    let documents = render::documents_for(record, settings.only.as_deref());
    let packet = Packet::new(record, &render::photo_names(record), &documents, settings.fonts.clone());
    let text: Vec<Format> = formats.iter().copied().filter(|f| *f != Format::Docx).collect();
    let request = render::Request { packet: &packet, documents: &documents, kind: record.kind(), formats: &text };
    let mut files = render::render_documents(engine, &request)?;
    add_photos(record, &documents, &mut files)?;
    if formats.contains(&Format::Docx) {
        // The photo record embeds the photos just read.
        files.extend(render::docx::render_documents(engine, &packet, &documents, record.kind(), &files)?);
    }
    let mut jobs = Vec::new();
    if let Some(pdf) = settings.pdf.as_ref().filter(|_| wants_pdf) {
        files.push(RenderedFile {
            name: format!("{PACKET_STEM}.typ"),
            contents: typst::packet_source(
                &packet,
                &typst::packet_key(dir.strip_prefix(&settings.out_dir).unwrap_or(dir)),
            )
            .into_bytes(),
        });
        let file = &record.activity.file;
        let epoch = typst::source_date_epoch(file.date.get_ref().0.and_time(file.start.get_ref().0));
        let job = |stem: &str| Job {
            dir: dir.to_path_buf(),
            input: format!("{stem}.typ"),
            output: format!("{stem}.pdf"),
            epoch,
        };
        jobs.push(job(PACKET_STEM));
        if pdf.split {
            jobs.extend(documents.iter().map(|d| job(&d.stem(record.kind()))));
        }
    }
    Ok((files, jobs))
}

/// Photos are copied beside the documents that show them, when a document shows them.
fn add_photos(record: &Record, documents: &[Document], files: &mut Vec<RenderedFile>) -> Result<(), Diagnostic> {
    if !documents.contains(&Document::Photos) {
        return Ok(());
    }
    let folder = record.path().parent().unwrap_or(Path::new("."));
    for (photo, name) in record.activity.file.photos.iter().zip(render::photo_names(record)) {
        let path = folder.join(photo.file.get_ref());
        let contents = crate::photo::read(&path)
            .map_err(|e| Diagnostic::error(&path, format!("照片{}", e.message())).with_help(e.help()))?;
        files.push(RenderedFile { name, contents });
    }
    Ok(())
}
