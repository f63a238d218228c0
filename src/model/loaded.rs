//! Input files as read: the parsed contract with its source text, for diagnostics that quote it.

use std::sync::Arc;

use super::activity::ActivityFile;
use super::branch::BranchFile;
use crate::source::SourceFile;

/// A parsed branch file with its source, for diagnostics that point into it.
#[derive(Debug)]
pub struct Branch {
    pub source: SourceFile,
    pub file: BranchFile,
    /// blake3 of its text, computed once: every activity's fingerprint includes it.
    pub hash: String,
}

/// A parsed activity together with the branch it belongs to.
#[derive(Debug, Clone)]
pub struct Activity {
    pub source: SourceFile,
    pub file: ActivityFile,
    pub branch: Arc<Branch>,
    /// Errors found while reading that do not stop the checks: `Record::build` reports them
    /// with its own, all at once.
    pub load_errors: Vec<crate::diagnostics::Diagnostic>,
    /// Spans where a stand-in replaced a wrong value (see `parse`): errors there are not new.
    pub patched: Vec<std::ops::Range<usize>>,
}
