//! pdb: one TOML record of a party branch activity → the whole packet of documents.
//!
//! # Layers
//!
//! The modules form layers, bottom to top. A module may use its own layer and the layers below
//! it, never one above, and no two modules use each other: `layers::tests` checks every
//! `crate::` path of every file against this table, so the rule cannot erode. ARCHITECTURE.md
//! says what each module holds and where a change goes.
//!
//! | layer       | modules                                              | holds                                  |
//! |-------------|------------------------------------------------------|----------------------------------------|
//! | 1 base      | `text`, `chars`, `digest`, `sync`, `paths`, `period`, `diagnostics`, `source` | blanks and numerals, characters input may hold, hashing, errors with their place |
//! | 2 model     | `model`                                              | the input contract as types            |
//! | 3 rules     | `rules`                                              | quorum, votes, frequency, 发展党员: pure |
//! | 4 reading   | `load`, `parse`, `toml_syntax`, `input_check`, `photo`, `inputs` | files → model (every error at once), photos read bounded, what a run works on |
//! | 5 record    | `record`                                             | the checked activity, its wording, its row |
//! | 6 render    | `render`                                             | view model, templates, escaping        |
//! | 7 products  | `ledger`, `register`, `workbook`, `authoring`, `roster` | the 台账, the member register and the workbook; skeletons, plans, roster import |
//! | 8 effects   | `output`, `incremental`, `process`, `typst`          | writing folders, fingerprints, programs with a time limit, PDF |
//! | 9 run       | `run`                                                | a batch on threads                     |
//!
//! The binary's `cli` sits on top and uses `pdb::` only.

// Errors are `Diagnostic`s, large because they carry their place and fix; they are built once per
// failure, never on a hot path, so they are not boxed.
#![allow(clippy::result_large_err)]

pub mod chars;
pub mod diagnostics;
pub(crate) mod digest;
pub mod paths;
pub mod period;
pub(crate) mod source;
pub mod sync;
pub(crate) mod text;

pub mod model;

pub mod rules;

pub mod input_check;
pub mod inputs;
pub mod load;
pub mod parse;
pub mod photo;
pub mod toml_syntax;

pub mod record;

pub mod render;

pub mod authoring;
pub mod ledger;
pub mod register;
pub mod roster;
pub mod workbook;

pub(crate) mod incremental;
pub(crate) mod output;
pub mod process;
pub mod typst;

pub mod run;

#[cfg(test)]
mod layers;

pub use diagnostics::{Diagnostic, Severity};
