//! The input contract (shared/spec/input-format.md) as Rust types and its Chinese field labels;
//! the files as read ([`Branch`], [`Activity`]); and the row pdb keeps of each activity.

pub(crate) mod activity;
pub(crate) mod applicant;
pub(crate) mod branch;
pub(crate) mod datetime;
pub(crate) mod kind;
pub(crate) mod labels;
mod loaded;
mod mark;
pub mod name;
mod row;

pub use activity::ActivityFile;
pub use applicant::is_applicant_kind;
pub use branch::{BranchFile, Member, OutputFormat, RuleFile};
pub use datetime::{Date, Time};
pub use kind::{ActivityStatus, DecisionKind, ElectionQuorum, Every, Kind, MemberStatus, VoteMethod};
pub use loaded::{Activity, Branch};
pub use mark::{Mark, MemberMark};
pub use row::LedgerRow;
