//! The activity file: the facts of one meeting or activity, exactly as the secretary wrote them.

use serde::Deserialize;
use serde_spanned::Spanned;

use super::datetime::{Date, Time};
use super::kind::{ActivityStatus, DecisionKind, Kind, VoteMethod};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivityFile {
    pub kind: Spanned<Kind>,
    /// planned (计划) or held (已召开); held when omitted, so older files keep their meaning.
    pub status: Option<Spanned<ActivityStatus>>,
    pub title: Option<String>,
    pub date: Spanned<Date>,
    pub start: Spanned<Time>,
    pub end: Option<Spanned<Time>>,
    pub location: String,
    pub host: Spanned<String>,
    /// Required once held; a planned meeting may not know it yet (no pre-meeting document prints it).
    pub recorder: Option<Spanned<String>>,
    pub branch: Option<Spanned<String>>,
    pub group: Option<Spanned<String>>,
    pub theme: Option<String>,
    pub lecturer: Option<Spanned<String>>,
    /// The meeting form an activity was held in (支部工作条例第十七条: a 组织生活会 is held as a
    /// 支部党员大会, 支委会 or 党小组会): it then also counts for that kind's frequency rule.
    pub form: Option<Spanned<Kind>>,
    pub notice_date: Option<Spanned<Date>>,
    pub attendees_note: Option<String>,
    /// `None` when the table is missing: attendance then is unknown, never "everyone came".
    pub attendance: Option<Attendance>,
    #[serde(default)]
    pub agenda: Vec<AgendaItem>,
    #[serde(default)]
    pub decisions: Vec<Spanned<Decision>>,
    #[serde(default)]
    pub photos: Vec<Photo>,
    pub summary: Option<Summary>,
    #[serde(default)]
    pub reflections: Vec<Reflection>,
    /// `[extra]`: the unit's own values, passed to templates untouched.
    #[serde(default)]
    pub extra: toml::Table,
}

impl ActivityFile {
    pub fn status(&self) -> ActivityStatus {
        self.status.as_ref().map(|s| *s.get_ref()).unwrap_or_default()
    }

    pub fn is_planned(&self) -> bool {
        self.status() == ActivityStatus::Planned
    }

    /// The `[attendance]` table, or an empty one when it is missing.
    pub fn attendance(&self) -> &Attendance {
        static NONE: Attendance = Attendance { absent: Vec::new(), present: None, guests: Vec::new() };
        self.attendance.as_ref().unwrap_or(&NONE)
    }

    /// Held, with an `[attendance]` table: who came is a fact.
    pub fn attendance_known(&self) -> bool {
        !self.is_planned() && self.attendance.is_some()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attendance {
    #[serde(default)]
    pub absent: Vec<Absence>,
    /// When omitted: everyone expected, minus the absent.
    pub present: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub guests: Vec<Guest>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Absence {
    pub name: Spanned<String>,
    pub reason: Spanned<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guest {
    pub name: String,
    pub title: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgendaItem {
    pub title: String,
    pub presenter: Option<Spanned<String>>,
    pub notes: Option<String>,
    #[serde(default)]
    pub speeches: Vec<Speech>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Speech {
    pub speaker: Spanned<String>,
    pub text: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub text: String,
    /// 1-based index of the agenda item it belongs to.
    pub agenda: Option<Spanned<i64>>,
    pub kind: Option<Spanned<DecisionKind>>,
    pub votes: Option<Spanned<Votes>>,
    /// 举手 (default) or 无记名投票; an election is always 无记名投票.
    pub method: Option<Spanned<VoteMethod>>,
    /// 监票人 and 计票人 of a secret ballot.
    #[serde(default)]
    pub tellers: Vec<Spanned<String>>,
    #[serde(default)]
    pub counters: Vec<Spanned<String>>,
    /// Admission or confirmation: the applicant it is about.
    pub applicant: Option<Spanned<String>>,
    /// An election: 应选人数, the ballots and every candidate with their votes.
    pub seats: Option<Spanned<u32>>,
    pub ballots: Option<Spanned<Ballots>>,
    #[serde(default)]
    pub candidates: Vec<Spanned<Candidate>>,
}

impl Decision {
    pub fn kind(&self) -> DecisionKind {
        self.kind.as_ref().map(|k| *k.get_ref()).unwrap_or_default()
    }

    /// The method as written, or the default: 无记名投票 for an election, else 举手.
    pub fn method(&self) -> VoteMethod {
        match (&self.method, self.kind()) {
            (Some(m), _) => *m.get_ref(),
            (None, DecisionKind::Election) => VoteMethod::SecretBallot,
            (None, _) => VoteMethod::ShowOfHands,
        }
    }

    /// An election recorded by its candidates (rather than by one yes/no count).
    pub fn is_candidate_election(&self) -> bool {
        self.kind() == DecisionKind::Election && !self.candidates.is_empty()
    }

    /// Whether any count of this decision was recorded.
    pub fn voted(&self) -> bool {
        self.votes.is_some() || self.ballots.is_some() || self.candidates.iter().any(|c| c.get_ref().votes.is_some())
    }
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Votes {
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
    /// How many of these are written opinions of absent voters (admission, confirmation).
    #[serde(default)]
    pub written: u32,
}

impl Votes {
    pub fn total(&self) -> u32 {
        // Never wraps round (4294967295 + 1 would be 0 and pass the check); `checked_total` is
        // what the check uses to refuse such counts.
        self.checked_total().unwrap_or(u32::MAX)
    }

    /// The sum, or `None` when it does not fit in a count.
    pub fn checked_total(&self) -> Option<u32> {
        self.yes.checked_add(self.no)?.checked_add(self.abstain)
    }
}

/// 发出、收回、有效选票.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ballots {
    pub issued: u32,
    pub returned: u32,
    pub valid: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Candidate {
    pub name: Spanned<String>,
    /// Left out before the meeting (a planned election lists its candidates only).
    pub votes: Option<Spanned<u32>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Photo {
    pub file: Spanned<String>,
    pub caption: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    pub text: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reflection {
    pub author: Spanned<String>,
    pub text: String,
}
