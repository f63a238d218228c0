//! The exit status of every command, decided in one place.

use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: done.
    Success,
    /// 1: some of the work failed (an activity, a ledger, a branch file), or `doctor` found that
    /// PDFs cannot be made; the rest was done.
    Failed,
    /// 2: the command could not start (its arguments, its input folder); nothing was done.
    /// clap's own usage errors use the same status.
    Usage,
    /// 3: `--strict`, and there are findings.
    Findings,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(match exit {
            Exit::Success => 0,
            Exit::Failed => 1,
            Exit::Usage => 2,
            Exit::Findings => 3,
        })
    }
}
