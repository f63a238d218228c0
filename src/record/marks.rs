//! Each member's mark at a held activity, for the ledger row (see `model::Mark`).

use super::{Presence, Record};
use crate::model::{Mark, MemberMark};

/// The marks of a held activity: every expected member in roster order, then those present who
/// were not expected. A member not listed was not expected.
pub(crate) fn marks(record: &Record) -> Vec<MemberMark> {
    let recorded = attendance_recorded(&record.activity.source.text);
    let mut marks: Vec<MemberMark> = record
        .expected
        .iter()
        .map(|a| {
            let mark = match &a.presence {
                _ if !recorded => Mark::Unknown,
                Presence::Present => Mark::Present,
                Presence::OnLeave(reason) => Mark::Leave(reason.clone()),
                Presence::Missing => Mark::Absent,
                Presence::Unknown => Mark::Unknown,
            };
            MemberMark { name: a.member.name.get_ref().clone(), mark }
        })
        .collect();
    if recorded {
        marks.extend(
            record.extra_present.iter().map(|m| MemberMark { name: m.name.get_ref().clone(), mark: Mark::Extra }),
        );
    }
    marks
}

/// Whether the activity file has an `[attendance]` table: without one, nobody knows who came.
fn attendance_recorded(text: &str) -> bool {
    toml::de::DeTable::parse(text)
        .is_ok_and(|table| table.get_ref().iter().any(|(key, _)| key.get_ref() == "attendance"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attendance_table_or_not() {
        assert!(attendance_recorded("kind = \"党课\"\n[attendance]\nabsent = []\n"));
        assert!(attendance_recorded("attendance = { absent = [] }\n"));
        assert!(!attendance_recorded("kind = \"党课\"\n[extra]\nattendance = 1\n"));
    }
}
