//! What a run prints: one line per activity on stdout as activities finish (in input order),
//! errors and findings in full on stderr, a progress bar on a terminal, and the summary; or, with
//! `--json`, one JSON report on stdout and nothing else.

use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use chrono::NaiveDate;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use pdb::diagnostics::{shown, Diagnostic};
use pdb::period::Period;
use pdb::run::{BranchReport, Committees, Mode, Outcome, Progress, Report, Status, Totals};
use pdb::sync::lock;

use super::exit::Exit;

/// Runs longer than this get a progress bar (on a terminal).
const BAR_FROM: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    /// `-q`: failures and the summary.
    Quiet,
    /// Rendered and failed activities, and unchanged ones that have findings.
    Normal,
    /// `-v`: every activity.
    Verbose,
}

impl Verbosity {
    pub fn of(input: &super::args::InputArgs) -> Verbosity {
        match (input.quiet, input.verbose) {
            (true, _) => Verbosity::Quiet,
            (_, true) => Verbosity::Verbose,
            _ => Verbosity::Normal,
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub mode: Mode,
    pub verbosity: Verbosity,
    pub json: bool,
    /// Colours: stderr is a terminal and NO_COLOR is not set.
    pub styled: bool,
    /// A progress bar may be drawn: stderr is a terminal.
    pub terminal: bool,
    pub period: Option<Period>,
    /// The line per activity and per branch on stdout (`pdb watch` prints one line per run
    /// instead); errors and findings go to stderr either way.
    pub lines: bool,
}

/// Printed text of one activity, waiting for the activities before it.
struct Lines {
    stdout: String,
    stderr: String,
}

/// An activity's lines, and for one whose findings depend on an earlier 支委会 of its branch,
/// that branch and its date: printed in its turn when such a 支委会 has been seen by then.
struct Entry {
    input: PathBuf,
    lines: Option<Lines>,
    awaits: Option<(PathBuf, NaiveDate)>,
}

#[derive(Default)]
struct Queue {
    next: usize,
    waiting: BTreeMap<usize, Entry>,
    /// `--json`: the activities not yet written, and whether the report has begun.
    json: BTreeMap<usize, Json>,
    json_started: bool,
    /// The held 支委会 seen so far.
    committees: Committees,
}

/// An activity of the `--json` report: written, or (its findings depending on an earlier 支委会
/// of its branch) waiting for one, or for the end of the run.
enum Json {
    Ready(String),
    Waiting(Box<Outcome>, PathBuf, NaiveDate),
}

pub struct Printer {
    style: Style,
    bar: Mutex<Option<ProgressBar>>,
    queue: Mutex<Queue>,
    /// Activities whose findings depend on the rest of the run: printed at the end.
    deferred: Mutex<HashSet<PathBuf>>,
}

impl Printer {
    pub fn new(style: Style) -> Printer {
        Printer {
            style,
            bar: Mutex::new(None),
            queue: Mutex::new(Queue::default()),
            deferred: Mutex::new(HashSet::new()),
        }
    }

    fn bar(&self) -> Option<ProgressBar> {
        lock(&self.bar).clone()
    }

    /// Prints through the bar, so the bar is redrawn below the text instead of through it.
    fn emit(&self, lines: &Lines) {
        let print = || {
            if self.style.lines {
                let mut out = std::io::stdout().lock();
                let _ = out.write_all(lines.stdout.as_bytes());
                let _ = out.flush();
            }
            let _ = std::io::stderr().lock().write_all(lines.stderr.as_bytes());
        };
        match self.bar() {
            Some(bar) => bar.suspend(print),
            None => print(),
        }
    }

    /// After the run: the deferred activities, each branch, the notes and the summary; the exit
    /// status.
    pub fn finish(&self, report: &Report, strict: bool, notes: &[String]) -> Exit {
        self.end(report, notes);
        let totals = report.totals;
        if !self.style.json {
            outln!("{}", self.summary(&totals));
        }
        if totals.failed > 0 || totals.failed_ledgers > 0 {
            Exit::Failed
        } else if strict && totals.findings > 0 {
            Exit::Findings
        } else {
            Exit::Success
        }
    }

    /// After the run, all but the summary: the deferred activities, each branch, the warnings and
    /// the notes; or the rest of the `--json` report.
    pub fn end(&self, report: &Report, notes: &[String]) {
        if let Some(bar) = self.bar() {
            bar.finish_and_clear();
        }
        if self.style.json {
            let mut queue = lock(&self.queue);
            self.drain_json(&mut queue, true);
            let mut out = std::io::stdout().lock();
            let mut text = String::new();
            if !queue.json_started {
                text.push_str(&json_head(self.style.mode_name()));
                text.push(']');
            } else {
                text.push_str("\n  ]");
            }
            text.push_str(&format!(",\n  \"branches\": {}", pretty(&report.branches)));
            text.push_str(&format!(",\n  \"notes\": {}", pretty(&notes)));
            text.push_str(&format!(",\n  \"totals\": {}\n}}\n", pretty(&report.totals)));
            let _ = out.write_all(text.as_bytes());
            let _ = out.flush();
            return;
        }
        let deferred = lock(&self.deferred);
        for outcome in report.activities.iter().filter(|o| deferred.contains(&o.input)) {
            if let Some(lines) = self.activity(outcome) {
                self.emit(&lines);
            }
        }
        for branch in &report.branches {
            self.emit(&self.branch(branch));
        }
        for warning in &report.warnings {
            errln!("{warning}");
        }
        for note in notes {
            outln!("{note}");
        }
    }

    fn activity(&self, outcome: &Outcome) -> Option<Lines> {
        let verbosity = self.style.verbosity;
        // `pdb watch` after its first run: only what this run changed.
        if !self.style.lines && outcome.status == Status::Unchanged {
            return None;
        }
        let input = shown(&outcome.input);
        let target = outcome.output.as_ref().map(|o| format!(" → {}", shown(o))).unwrap_or_default();
        let note = if outcome.findings.is_empty() {
            String::new()
        } else {
            format!("（发现 {} 项）", outcome.findings.len())
        };
        let line = match outcome.status {
            Status::Failed => format!("失败 {input}（{} 处错误）", outcome.errors.len()),
            _ if verbosity == Verbosity::Quiet => return None,
            Status::Rendered => format!("生成 {input}{target}{note}"),
            Status::Checked => format!("完成 {input}{note}"),
            Status::Unchanged if verbosity == Verbosity::Verbose || !outcome.findings.is_empty() => {
                format!("未变 {input}{target}{note}")
            }
            Status::Skipped if verbosity == Verbosity::Verbose => {
                let period = self.style.period.map(|p| p.to_string()).unwrap_or_default();
                format!("跳过 {input}（不在{period}内）")
            }
            Status::Unchanged | Status::Skipped => return None,
        };
        let mut stderr = String::new();
        let findings: &[Diagnostic] = if verbosity == Verbosity::Quiet { &[] } else { &outcome.findings };
        for diagnostic in outcome.errors.iter().chain(findings) {
            stderr.push_str(&diagnostic.render(self.style.styled));
            stderr.push_str("\n\n");
        }
        if verbosity != Verbosity::Quiet {
            for warning in &outcome.warnings {
                stderr.push_str(warning);
                stderr.push('\n');
            }
        }
        Some(Lines { stdout: format!("{line}\n"), stderr })
    }

    fn branch(&self, branch: &BranchReport) -> Lines {
        let verbosity = self.style.verbosity;
        let mut stdout = String::new();
        let mut stderr = String::new();
        if !self.style.lines && branch.ledger.as_ref().is_some_and(|l| l.status == Status::Unchanged) {
            return Lines { stdout, stderr };
        }
        let note = if branch.findings.is_empty() {
            String::new()
        } else {
            format!("（发现 {} 项）", branch.findings.len())
        };
        if let Some(ledger) = &branch.ledger {
            let file = ledger
                .files
                .iter()
                .find(|f| f.extension().is_some_and(|e| e == "md"))
                .or(ledger.files.first())
                .map_or_else(|| shown(&ledger.output), |f| shown(f));
            let line = match ledger.status {
                Status::Failed => Some(format!("台账失败 {}（{} 处错误）", shown(&branch.branch), ledger.errors.len())),
                _ if verbosity == Verbosity::Quiet => None,
                Status::Unchanged if verbosity < Verbosity::Verbose && branch.findings.is_empty() => None,
                Status::Unchanged => Some(format!("台账未变 {} → {file}{note}", shown(&branch.branch))),
                _ => Some(format!("台账 {} → {file}{note}", shown(&branch.branch))),
            };
            if let Some(line) = line {
                stdout = format!("{line}\n");
            }
            for diagnostic in &ledger.errors {
                stderr.push_str(&format!("{}\n\n", diagnostic.render(self.style.styled)));
            }
            if verbosity != Verbosity::Quiet {
                for warning in &ledger.warnings {
                    stderr.push_str(&format!("{warning}\n"));
                }
            }
        } else if !branch.findings.is_empty() && verbosity != Verbosity::Quiet {
            stdout = format!("频次 {}{note}\n", shown(&branch.branch));
        }
        if verbosity != Verbosity::Quiet {
            for diagnostic in &branch.findings {
                stderr.push_str(&format!("{}\n\n", diagnostic.render(self.style.styled)));
            }
        }
        Lines { stdout, stderr }
    }

    pub(crate) fn summary(&self, t: &Totals) -> String {
        let mut line = match self.style.mode {
            Mode::Render => format!(
                "共 {} 个活动：生成 {} 个，未变 {} 个，失败 {} 个，发现 {} 项",
                t.activities, t.rendered, t.unchanged, t.failed, t.findings
            ),
            Mode::Check | Mode::Index => format!(
                "共 {} 个活动：完成 {} 个，失败 {} 个，发现 {} 项",
                t.activities,
                t.activities - t.failed,
                t.failed,
                t.findings
            ),
        };
        if t.applicants > 0 {
            line = line.replacen("个活动：", &format!("个活动（含发展党员记录 {} 份）：", t.applicants), 1);
        }
        if t.failed_ledgers > 0 {
            line.push_str(&format!("；台账失败 {} 份", t.failed_ledgers));
        }
        if t.skipped > 0 {
            let period = self.style.period.map(|p| p.to_string()).unwrap_or_default();
            line.push_str(&format!("（另有 {} 个不在{period}内，未处理）", t.skipped));
        }
        line
    }
}

impl Style {
    fn mode_name(&self) -> &'static str {
        match self.mode {
            Mode::Render => "render",
            Mode::Index => "index",
            Mode::Check => "check",
        }
    }
}

impl Progress for Printer {
    fn total(&self, activities: usize) {
        if self.style.terminal && !self.style.json && activities > BAR_FROM {
            let bar = ProgressBar::with_draw_target(Some(activities as u64), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{pos:>6}/{len} [{bar:30}] {elapsed} {wide_msg}")
                    .expect("valid template")
                    .progress_chars("=> "),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            *lock(&self.bar) = Some(bar);
        }
    }

    fn started(&self, input: &Path) {
        if let Some(bar) = self.bar() {
            bar.set_message(shown(input));
        }
    }

    fn finished(&self, index: usize, outcome: &Outcome) {
        if let Some(bar) = self.bar() {
            bar.inc(1);
        }
        let awaits = match (outcome.date, &outcome.branch) {
            (Some(date), Some(branch)) if outcome.counts() && !outcome.needs_committee.is_empty() => {
                Some((branch.absolute.clone(), date))
            }
            _ => None,
        };
        if self.style.json {
            let mut queue = lock(&self.queue);
            queue.committees.add(outcome);
            let item = match awaits {
                Some((branch, date)) => Json::Waiting(Box::new(outcome.clone()), branch, date),
                None => Json::Ready(plain(outcome)),
            };
            queue.json.insert(index, item);
            self.drain_json(&mut queue, false);
            return;
        }
        let entry = Entry { input: outcome.input.clone(), lines: self.activity(outcome), awaits };
        let mut queue = lock(&self.queue);
        queue.committees.add(outcome);
        queue.waiting.insert(index, entry);
        loop {
            let next = queue.next;
            let Some(entry) = queue.waiting.remove(&next) else { break };
            queue.next += 1;
            if let Some((branch, date)) = &entry.awaits {
                if !queue.committees.any_before(branch, *date) {
                    // Its findings are known only at the end.
                    lock(&self.deferred).insert(entry.input);
                    continue;
                }
            }
            if let Some(lines) = entry.lines {
                self.emit(&lines);
            }
        }
    }
}

impl Printer {
    /// Writes the `--json` activities that are next in input order and decided; at the `end`,
    /// all of them (the 支委会 of the whole run are known by then).
    fn drain_json(&self, queue: &mut Queue, end: bool) {
        let mut text = String::new();
        loop {
            let next = queue.next;
            let Some(item) = queue.json.remove(&next) else { break };
            let json = match item {
                Json::Ready(json) => json,
                Json::Waiting(outcome, branch, date) if queue.committees.any_before(&branch, date) => plain(&*outcome),
                Json::Waiting(mut outcome, _, _) if end => {
                    let mut pending = std::mem::take(&mut outcome.needs_committee);
                    outcome.findings.append(&mut pending);
                    plain(&*outcome)
                }
                waiting => {
                    queue.json.insert(next, waiting);
                    break;
                }
            };
            if queue.json_started {
                text.push(',');
            } else {
                text.push_str(&json_head(self.style.mode_name()));
                queue.json_started = true;
            }
            text.push_str("\n    ");
            text.push_str(&json.replace('\n', "\n    "));
            queue.next += 1;
        }
        if !text.is_empty() {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(text.as_bytes());
            let _ = out.flush();
        }
    }
}

/// The report's opening, up to its list of activities: `serde_json`'s pretty layout, written as
/// the activities come so that the report is never held whole.
fn json_head(command: &str) -> String {
    format!("{{\n  \"command\": {},\n  \"activities\": [", pretty(&command))
}

/// A value as `serde_json::to_writer_pretty` lays it out one level into the report.
fn pretty<T: Serialize + ?Sized>(value: &T) -> String {
    plain(value).replace('\n', "\n  ")
}

/// A value as `serde_json::to_string_pretty` lays it out.
fn plain<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string_pretty(value).expect("the report serializes")
}
