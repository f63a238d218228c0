//! Each member's attendance at one activity, as the ledger keeps it: what the per-member
//! register and its findings are made of. Unknown is its own state, never absent or present.

use serde::{Deserialize, Serialize};

use crate::record::{Presence, Record};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "mark", content = "reason")]
pub enum Mark {
    /// 出席
    Present,
    /// 请假, with the reason given.
    Leave(String),
    /// 缺席: expected, neither present nor on leave.
    Absent,
    /// Attendance not recorded (no `[attendance]`): neither present nor absent.
    Unknown,
    /// Present though not expected (e.g. a non-committee member at a 支委会).
    Extra,
}

impl Mark {
    /// Took part in the activity.
    pub fn attended(&self) -> bool {
        matches!(self, Mark::Present | Mark::Extra)
    }

    /// Known not to have taken part (on leave or absent).
    pub fn missed(&self) -> bool {
        matches!(self, Mark::Leave(_) | Mark::Absent)
    }
}

/// One member's mark.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberMark {
    pub name: String,
    #[serde(flatten)]
    pub mark: Mark,
}

/// The marks of a held activity: every expected member in roster order, then those present who
/// were not expected. A member not listed was not expected.
pub fn marks(record: &Record) -> Vec<MemberMark> {
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

    #[test]
    fn marks_serialize_flat() {
        let m = MemberMark { name: "赵强".into(), mark: Mark::Leave("出差".into()) };
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(json, r#"{"name":"赵强","mark":"leave","reason":"出差"}"#);
        assert_eq!(serde_json::from_str::<MemberMark>(&json).unwrap(), m);
        let p: MemberMark = serde_json::from_str(r#"{"name":"王芳","mark":"present"}"#).unwrap();
        assert_eq!(p.mark, Mark::Present);
    }
}
