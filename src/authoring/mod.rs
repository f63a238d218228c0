//! Starting points for the secretary: the commented skeletons of `pdb new` and `pdb plan`, which
//! meetings a plan holds, and the files of `pdb init`; for applicants, the skeleton of
//! `pdb new 发展党员` and the due 转正 items of `pdb plan`.

pub mod applicant;
pub mod confirmations;
pub mod init;
pub mod plan;
pub(crate) mod roster;
pub mod skeleton;

pub use roster::{Roster, RosterGroup};
pub use skeleton::{Skeleton, TOPICS};
