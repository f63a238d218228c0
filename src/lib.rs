//! pdb: one TOML record of a party branch activity → the whole packet of documents.
//!
//! The pipeline: [`load`] reads the files, [`record`] checks them and derives the facts,
//! [`rules`] holds the arithmetic of the 支部工作条例, [`render`] turns a record into documents,
//! [`output`] writes them without losing anyone's work, and [`typst`] compiles them to PDF.

pub mod attendance;
pub mod diagnostics;
pub mod frequency;
pub mod incremental;
pub mod index;
pub mod inputs;
pub mod ledger;
pub mod load;
pub mod model;
pub mod output;
pub mod period;
pub mod pipeline;
pub mod plan;
pub mod record;
pub mod register;
pub mod render;
pub mod roster;
pub mod rules;
pub mod skeleton;
pub mod source;
pub mod typst;
pub mod workbook;

pub use diagnostics::{Diagnostic, Severity};
