//! What an activity's outputs depend on, hashed, so that a re-run can skip an activity whose
//! inputs did not change. Two hashes: the *facts* (the activity file, its branch file, its photos,
//! pdb's version; enough for its ledger row and findings) and the *render* (the facts, the
//! templates, the options that change output).

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::digest::Hasher;
use crate::model::LedgerRow;

/// Changes with every release: a new pdb may write different documents from the same inputs.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Kept in an activity's manifest after a successful render.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ActivityCache {
    /// The facts fingerprint: `pdb index` reuses the row when only this matches.
    pub facts: String,
    /// The files besides the activity file it was made from, as they were found then; a re-run
    /// hashes these (the activity file's bytes decide them, and those are hashed too).
    pub branch: PathBuf,
    /// The photos as written in the activity file, relative to its folder.
    pub photos: Vec<String>,
    /// The files the render wrote: all must still exist for the folder to count as unchanged.
    pub outputs: Vec<String>,
    pub row: LedgerRow,
    pub findings: Vec<CachedDiagnostic>,
    /// Findings that hold unless the run has an earlier 支委会 of the same branch.
    pub needs_committee: Vec<CachedDiagnostic>,
    /// The decisions naming an applicant (see `record::named`), each with its finding.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applicants: Vec<(String, CachedDiagnostic)>,
}

/// A diagnostic with its quoted source line, so a replayed finding looks like a fresh one.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CachedDiagnostic {
    #[serde(flatten)]
    pub diagnostic: Diagnostic,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<(String, Range<usize>)>,
}

impl From<&Diagnostic> for CachedDiagnostic {
    fn from(diagnostic: &Diagnostic) -> CachedDiagnostic {
        let excerpt = diagnostic.excerpt().map(|(text, range)| (text.to_string(), range));
        CachedDiagnostic { diagnostic: diagnostic.clone(), excerpt }
    }
}

impl CachedDiagnostic {
    pub fn restore(self) -> Diagnostic {
        match self.excerpt {
            // A manifest edited by hand must not make the display panic.
            Some((text, range)) if text.get(range.clone()).is_some() => self.diagnostic.with_excerpt(text, range),
            _ => self.diagnostic,
        }
    }
}

/// The inputs of one activity's facts.
pub struct Facts<'a> {
    /// The activity file as given (messages quote it, so a different path is a different run).
    pub activity: &'a Path,
    /// blake3 of its bytes.
    pub activity_hash: &'a str,
    pub branch: &'a Path,
    /// blake3 of its text (`Branch::hash`).
    pub branch_hash: &'a str,
    pub photos: &'a [String],
}

impl Facts<'_> {
    pub fn fingerprint(&self) -> String {
        // Bumped when the cached ledger row gains facts (2: host, location, members' marks; 3:
        // `no_quorum` and `date_at`, without which an old row would still count a 党员大会 short of
        // its quorum).
        let mut hasher = Hasher::new("pdb facts 3");
        hasher.part(VERSION.as_bytes());
        hasher.part(self.activity.as_os_str().as_encoded_bytes()).part(self.activity_hash.as_bytes());
        hasher.part(self.branch.as_os_str().as_encoded_bytes()).part(self.branch_hash.as_bytes());
        let folder = self.activity.parent().unwrap_or(Path::new(""));
        for photo in self.photos {
            hasher.part(photo.as_bytes());
            // A missing photo hashes differently from any content: it is an error to report.
            match crate::photo::read(&folder.join(photo)) {
                Ok(bytes) => hasher.part_hash_of(&bytes),
                Err(_) => hasher.part(b"\xFFmissing"),
            };
        }
        hasher.finish()
    }
}

/// The render fingerprint: the facts, the templates of the activity's engine, and the run's
/// options that change what is written (`options` comes from `Settings::output_options`).
pub fn render_fingerprint(facts: &str, engine: &str, options: &str) -> String {
    Hasher::new("pdb render").part(facts.as_bytes()).part(engine.as_bytes()).part(options.as_bytes()).finish()
}

/// The fingerprint of a ledger's PDF: its Typst source and the PDF options.
pub fn pdf_fingerprint(source: &[u8], options: &str) -> String {
    Hasher::new("pdb ledger pdf").part(source).part(options.as_bytes()).finish()
}
