//! The rules of the 支部工作条例 as pure functions over the model: no files, no output, so that
//! every edge (exactly half, 4/5, a quarter still under way) is tested on its own.

pub mod calendar;
pub mod development;
pub mod frequency;
pub mod quorum;

pub use quorum::{
    at_least_four_fifths, body, decision_quorum, election_quorum, more_than_four_fifths, more_than_half, quorum, tally,
    threshold, verdict, Body, Counts, Quorum, Tally, Threshold, Verdict, SOURCE_ADMISSION, SOURCE_ADMISSION_BALLOT,
    SOURCE_COMMITTEE, SOURCE_CONGRESS, SOURCE_ELECTION, SOURCE_RIGHTS,
};
