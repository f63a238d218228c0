//! Each member's mark at a held activity, for the ledger row (see `model::Mark`).

use super::{Presence, Record};
use crate::model::{Mark, MemberMark};

/// The marks of a held activity: every expected member in roster order, then those present who
/// were not expected. A member not listed was not expected. Without `[attendance]` every mark is
/// unknown, and nobody is known to have come unexpected.
pub(crate) fn marks(record: &Record) -> Vec<MemberMark> {
    let known = record.attendance_known;
    let mut marks: Vec<MemberMark> = record
        .expected
        .iter()
        .map(|a| {
            let mark = match &a.presence {
                _ if !known => Mark::Unknown,
                Presence::Present => Mark::Present,
                Presence::OnLeave(reason) => Mark::Leave(reason.clone()),
                Presence::Missing => Mark::Absent,
                Presence::Unknown => Mark::Unknown,
            };
            MemberMark { name: a.member.name.get_ref().clone(), mark }
        })
        .collect();
    if known {
        marks.extend(
            record.extra_present.iter().map(|m| MemberMark { name: m.name.get_ref().clone(), mark: Mark::Extra }),
        );
    }
    marks
}
