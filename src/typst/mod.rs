//! PDF output through the `typst` command-line program.
//!
//! pdb has no typst library dependency: it writes `.typ` files and runs `typst compile` on them,
//! one process per PDF, or many PDFs per process ([`bundle`], typst 0.15's bundle export).
//! [`locate`] finds typst and checks its version, [`fonts`] lists the fonts
//! typst can see and picks the Chinese ones, [`packet`] writes the file that binds an
//! activity's documents into one PDF, and [`diagnostics`] turns typst's messages into pdb's.

use std::path::PathBuf;
use std::process::Command;

use chrono::NaiveDateTime;

pub(crate) mod bundle;
pub(crate) mod diagnostics;
pub(crate) mod fonts;
pub(crate) mod locate;
pub(crate) mod packet;

pub use bundle::{bundle_source, BundleFailure, BUNDLE_SINCE};
pub use diagnostics::{parse_diagnostics, Level, TypstDiagnostic};
pub use fonts::{select as select_fonts, FontOptions, FontReport, RoleFonts};
pub use locate::{
    locate, locate_within, supported_range, Origin, Typst, TypstError, Version, DEFAULT_TIMEOUT, ENV_TYPST, INSTALL,
    TESTED,
};
pub use packet::{packet_key, packet_source, PACKET_STEM};

impl Typst {
    /// Compiles one file of `job.dir` to PDF. Never panics; a failure to start typst comes back
    /// as an error diagnostic.
    pub fn compile(&self, job: &Job, options: &CompileOptions) -> Compiled {
        let mut command = Command::new(&self.path);
        command
            .current_dir(&job.dir)
            .args(["compile", "--root", ".", "--diagnostic-format", "short", "--jobs", "1", "--format", "pdf"])
            .args(options.fonts.args());
        if let Some(standard) = options.standard.arg() {
            command.args(["--pdf-standard", standard]);
        }
        // The creation date in the PDF comes from here (before typst 0.15; from then on from the
        // source, as in a bundle); without it, it is the time of the run.
        command.env("SOURCE_DATE_EPOCH", job.epoch.to_string());
        if options.own_process_group {
            own_process_group(&mut command);
        }
        let source = self.dates_in_source().then(|| bundle::dated_source(job).into_bytes());
        // The PDF is written to stdout, so a failed run leaves no file behind.
        if source.is_some() {
            command.arg("-");
        } else {
            command.arg(&job.input);
        }
        command.arg("-");
        match crate::process::output_with_input(&mut command, source, self.timeout) {
            Ok(output) => {
                let diagnostics = parse_diagnostics(&String::from_utf8_lossy(&output.stderr));
                let ok = output.status.success() && !output.stdout.is_empty();
                let mut compiled = Compiled { pdf: ok.then_some(output.stdout), diagnostics };
                if !ok && !compiled.diagnostics.iter().any(|d| d.level == Level::Error) {
                    let what = match output.status.code() {
                        Some(0) => "typst 没有输出 PDF".to_string(),
                        Some(code) => format!("typst 异常退出（退出码 {code}）"),
                        None => "typst 被系统终止（可能是内存不足）".to_string(),
                    };
                    compiled.diagnostics.push(TypstDiagnostic::error(what));
                }
                compiled
            }
            Err(crate::process::RunError::Timeout(limit)) => {
                Compiled { pdf: None, diagnostics: vec![TypstDiagnostic::error(locate::timeout_message(limit))] }
            }
            Err(crate::process::RunError::Start(err)) => Compiled {
                pdf: None,
                diagnostics: vec![TypstDiagnostic::error(format!("无法运行 {}：{err}", self.path.display()))],
            },
        }
    }
}

#[cfg(unix)]
fn own_process_group(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    command.process_group(0);
}

#[cfg(windows)]
fn own_process_group(command: &mut Command) {
    use std::os::windows::process::CommandExt;
    // CREATE_NEW_PROCESS_GROUP: the console's Ctrl-C is not delivered to it.
    command.creation_flags(0x0000_0200);
}

#[cfg(not(any(unix, windows)))]
fn own_process_group(_command: &mut Command) {}

/// `--pdf-standard`: PDF/A-2b by default (see README). Under PDF/A typst refuses a glyph that no
/// font has, which is how pdb finds missing characters; plain PDF 1.7 would draw empty boxes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PdfStandard {
    #[default]
    A2b,
    A3b,
    /// Plain PDF 1.7, typst's own default.
    Pdf17,
}

impl PdfStandard {
    fn arg(self) -> Option<&'static str> {
        match self {
            PdfStandard::A2b => Some("a-2b"),
            PdfStandard::A3b => Some("a-3b"),
            PdfStandard::Pdf17 => None,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct CompileOptions {
    pub fonts: FontOptions,
    pub standard: PdfStandard,
    /// typst in a process group of its own, so that Ctrl-C at the terminal reaches only pdb
    /// (`pdb watch`, which lets the run under way finish writing before it stops).
    pub own_process_group: bool,
}

/// One typst run: `input` in `dir` (the activity's output folder, which is also typst's root).
#[derive(Debug, Clone)]
pub struct Job {
    pub dir: PathBuf,
    pub input: String,
    /// The PDF's file name in `dir`.
    pub output: String,
    /// SOURCE_DATE_EPOCH: the activity's date and start time, so each run gives the same bytes.
    pub epoch: i64,
}

#[derive(Debug, Clone)]
pub struct Compiled {
    /// The PDF, when typst succeeded.
    pub pdf: Option<Vec<u8>>,
    pub diagnostics: Vec<TypstDiagnostic>,
}

/// SOURCE_DATE_EPOCH for a moment of China Standard Time (UTC+8), where every activity takes
/// place: the PDF's creation date, fixed by the record so that two runs give the same bytes.
pub fn source_date_epoch(local: NaiveDateTime) -> i64 {
    (local.and_utc().timestamp() - 8 * 3600).max(0)
}
