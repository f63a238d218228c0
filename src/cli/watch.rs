//! `pdb watch`: render once, then again after every save of an input, with `render`'s settings
//! (the incremental render makes every unchanged activity cost a hash), printing one line per
//! run. Which paths are inputs is the library's (`run::Watched`); here are the watcher, the
//! debouncing of multi-step saves and Ctrl-C.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use pdb::diagnostics::shown;
use pdb::inputs;
use pdb::run::{self, Change, Mode, Settings, Watched};

use super::args::WatchArgs;
use super::exit::Exit;
use super::report::{Printer, Style, Verbosity};
use super::settings::watch_settings;

/// The debouncer's window: an event is passed on once it is this old.
const DEBOUNCE: Duration = Duration::from_millis(50);
/// After the first change, a run waits until no further change came for this long: the steps
/// of one save (write a temp file, rename it over, delete the backup) become one run.
const SETTLE: Duration = Duration::from_millis(50);

enum Signal {
    Files(DebounceEventResult),
    Stop,
}

type Watcher = Debouncer<RecommendedWatcher, RecommendedCache>;

pub fn watch(args: &WatchArgs, styled: bool) -> Result<Exit> {
    if args.input.json {
        bail!("pdb watch 不支持 --json：它一直运行，没有最后的报告；需要 JSON 时请用 pdb render --json");
    }
    if args.input.strict {
        bail!("pdb watch 不支持 --strict：它没有退出状态可言；需要时请用 pdb render --strict");
    }
    let (mut settings, note) = watch_settings(&args.input, &args.output)?;
    let (sender, signals) = mpsc::channel();
    let stop = sender.clone();
    let presses = AtomicUsize::new(0);
    ctrlc::set_handler(move || {
        // The second Ctrl-C does not wait for the run under way.
        if presses.fetch_add(1, Ordering::SeqCst) > 0 {
            std::process::exit(130);
        }
        let _ = stop.send(Signal::Stop);
    })
    .context("无法接管 Ctrl-C")?;
    let mut watcher: Watcher = new_debouncer(DEBOUNCE, None, move |result| {
        let _ = sender.send(Signal::Files(result));
    })
    .context("无法监视文件的改动")?;
    let mut session = Session { args, styled, watcher: &mut watcher, folders: BTreeMap::new(), note };
    let mut watched = session.rebuild(&mut settings, None);
    outln!("正在监视活动文件、branch.toml、照片和模板的改动；按 Ctrl-C 停止");
    while let Some(changed) = next_changes(&signals, &watched) {
        watched = session.rebuild(&mut settings, Some(&changed));
    }
    outln!("已停止监视");
    Ok(Exit::Success)
}

/// The next changes to inputs, once no further one came for `SETTLE` (changes to other files
/// do not hold the run back); `None` on Ctrl-C.
fn next_changes(signals: &Receiver<Signal>, watched: &Watched) -> Option<BTreeMap<PathBuf, Change>> {
    let mut changed = BTreeMap::new();
    let mut settled_at: Option<Instant> = None;
    loop {
        let signal = match settled_at {
            None => signals.recv().ok()?,
            Some(at) => match signals.recv_timeout(at.saturating_duration_since(Instant::now())) {
                Ok(signal) => signal,
                Err(RecvTimeoutError::Timeout) => return Some(changed),
                Err(RecvTimeoutError::Disconnected) => return None,
            },
        };
        match signal {
            Signal::Stop => return None,
            Signal::Files(Ok(events)) => {
                // Reads (pdb's own among them) are no change.
                let written = events.iter().filter(|e| !matches!(e.kind, EventKind::Access(_)));
                let mut any = false;
                for path in written.flat_map(|e| &e.paths) {
                    if let Some(change) = watched.change(path) {
                        changed.insert(path.clone(), change);
                        any = true;
                    }
                }
                if any {
                    settled_at = Some(Instant::now() + SETTLE);
                }
            }
            Signal::Files(Err(errors)) => {
                for error in errors {
                    errln!("注意：监视文件改动时出错：{error}");
                }
            }
        }
    }
}

struct Session<'a> {
    args: &'a WatchArgs,
    styled: bool,
    watcher: &'a mut Watcher,
    /// The folders watched so far, and whether recursively.
    folders: BTreeMap<PathBuf, bool>,
    /// Why PDFs are not made, printed after the first run.
    note: Option<String>,
}

impl Session<'_> {
    /// One run over the inputs as they are now; its line; the inputs to watch from now on.
    fn rebuild(&mut self, settings: &mut Settings, changed: Option<&BTreeMap<PathBuf, Change>>) -> Watched {
        let started = Instant::now();
        let given = &self.args.input.inputs;
        let found = inputs::discover(given, None);
        let watched = Watched::new(given, found.as_ref().ok(), settings);
        // Before the run: a save while it runs is seen, and starts the next one.
        self.watch(&watched);
        if self.args.input.today.is_none() {
            settings.today = chrono::Local::now().date_naive();
        }
        let what = match changed {
            None => "首次生成".to_string(),
            Some(changed) => format!("改动：{}", describe(changed)),
        };
        let result = match found {
            Err(err) => Err(err.to_string()),
            Ok(inputs) => {
                let printer = Printer::new(self.style(changed.is_none()));
                match run::run(&inputs, settings, &printer) {
                    Ok(report) => {
                        let notes: Vec<String> =
                            if changed.is_none() { self.note.take().into_iter().collect() } else { Vec::new() };
                        printer.end(&report, &notes);
                        // The line `pdb render` ends with, on the line of this run.
                        Ok(printer.summary(&report.totals))
                    }
                    Err(err) => Err(err.to_string()),
                }
            }
        };
        let clock = chrono::Local::now().format("%H:%M:%S");
        let seconds = started.elapsed().as_secs_f64();
        match result {
            Ok(summary) => outln!("[{clock}] {what} → {summary}（{seconds:.2} 秒）"),
            Err(err) => {
                errln!("{}", if err.starts_with("错误") { err } else { format!("错误：{err}") });
                outln!("[{clock}] {what} → 没有生成，改正上面的错误并保存后重新生成（{seconds:.2} 秒）");
            }
        }
        watched
    }

    /// The first run prints a line per activity (where its documents are); later runs print
    /// only what went wrong, and one line.
    fn style(&self, first: bool) -> Style {
        let verbosity = Verbosity::of(&self.args.input);
        let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
        let lines = first || verbosity == Verbosity::Verbose;
        Style {
            mode: Mode::Render,
            verbosity,
            json: false,
            styled: self.styled,
            terminal,
            period: self.args.input.period,
            lines,
        }
    }

    /// Adds the folders not watched yet (one that cannot be watched is said, and skipped).
    fn watch(&mut self, watched: &Watched) {
        for (folder, &recursive) in &watched.folders {
            if self.folders.get(folder).is_some_and(|&had| had || !recursive) {
                continue;
            }
            let mode = if recursive { RecursiveMode::Recursive } else { RecursiveMode::NonRecursive };
            match self.watcher.watch(folder, mode) {
                Ok(()) => {
                    self.folders.insert(folder.clone(), recursive);
                }
                Err(err) => errln!("注意：无法监视 {}：{err}", shown(folder)),
            }
        }
    }
}

/// The changed files, as the secretary knows them: relative to the current folder, at most three.
fn describe(changed: &BTreeMap<PathBuf, Change>) -> String {
    let here = std::env::current_dir().unwrap_or_default();
    let name = |path: &Path| shown(path.strip_prefix(&here).unwrap_or(path));
    let mut names: Vec<String> = changed.keys().take(3).map(|p| name(p)).collect();
    if changed.len() > 3 {
        names.push(format!("等 {} 个文件", changed.len()));
    }
    let kinds: std::collections::BTreeSet<&str> = changed.values().map(|c| c.label()).collect();
    let kinds: Vec<&str> = kinds.into_iter().collect();
    format!("{}（{}）", names.join("、"), kinds.join("、"))
}
