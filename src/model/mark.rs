//! Each member's attendance at one activity, as the ledger row keeps it: what the per-member
//! register and its findings are made of. Unknown is its own state, never absent or present.

use serde::{Deserialize, Serialize};

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

#[cfg(test)]
mod tests {
    use super::*;

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
