//! One activity as the ledger and the frequency check see it: small and serializable, so that an
//! unchanged activity's row is read back from its output manifest instead of re-checking it.
//! Built from a checked record by `LedgerRow::from_record` (in `record`).

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::kind::{ActivityStatus, DecisionKind, Kind};
use super::mark::MemberMark;

/// One activity, as the ledger and the frequency check see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerRow {
    /// The activity file.
    pub input: PathBuf,
    /// Its output folder, relative to the folder the ledger is written in ("/"-separated);
    /// `None` when nothing was rendered for it.
    pub folder: Option<String>,
    pub date: NaiveDate,
    pub kind: Kind,
    pub group: Option<String>,
    pub title: String,
    pub status: ActivityStatus,
    pub expected: u32,
    /// 0 for a planned activity: not known yet (the ledger shows no count).
    pub present: u32,
    pub on_leave: u32,
    /// False when a held activity recorded no `[attendance]`: 实到 and 请假 are blanks.
    #[serde(default = "yes")]
    pub attendance_known: bool,
    /// One line per decision: its text and outcome, e.g. “同意接收张三为预备党员：通过”.
    pub decisions: Vec<String>,
    pub decision_kinds: Vec<DecisionKind>,
    /// Line and column of the activity's `status` value, for the “still planned” finding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_at: Option<(usize, usize)>,
    /// Line and column of its `date` value, for the “held, but after today” finding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_at: Option<(usize, usize)>,
    /// The meeting form it was held in (`form`), for the frequency check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<Kind>,
    /// Held with its attendance known, and short of the quorum of the meeting it was held as
    /// (`Rules::held_as`): it does not count for that kind's frequency rule.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub no_quorum: bool,
    /// Who gave it (`lecturer`), for the check of the 书记's 党课; the ledger's 主讲人.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lecturer: Option<String>,
    /// 主持人, 地点 and 主题: columns inspectors ask for.
    #[serde(default)]
    pub host: String,
    #[serde(default)]
    pub location: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme: Option<String>,
    /// Each member's attendance (held activities; empty for a planned one).
    #[serde(default)]
    pub marks: Vec<MemberMark>,
}

fn yes() -> bool {
    true
}
