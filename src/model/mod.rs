//! The input contract (shared/spec/input-format.md) as Rust types, and its Chinese field labels.

pub mod activity;
pub mod branch;
pub mod datetime;
pub mod kind;
pub mod labels;

pub use activity::ActivityFile;
pub use branch::{BranchFile, Member, OutputFormat, RuleFile};
pub use datetime::{Date, Time};
pub use kind::{ActivityStatus, DecisionKind, Every, Kind, MemberStatus};
