//! The integration tests: one binary (as in casey/just), so `cargo test` builds and links the
//! suite once. Each module is one area of pdb; `common` holds the `Test` builder, the fixtures and
//! the optional tools.

mod common;
/// The benchmark's generator, tested for writing valid input.
#[path = "../bench/generate.rs"]
mod generator;

mod applicant;
mod applicant_sheet;
mod authoring;
mod batch;
mod bundle;
mod documents;
mod docx;
mod docx_records;
mod errors;
mod escaping;
mod form;
mod frequency;
mod generate;
mod ledger;
mod ledger_folder;
mod local_rules;
mod one_by_one;
mod pdf;
mod planned;
mod properties;
mod register;
mod register_pdf;
mod reliability;
mod review;
mod roster;
mod rules;
mod templates;
mod truth;
mod watch;
