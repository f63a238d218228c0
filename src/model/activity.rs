//! The activity file: the facts of one meeting or activity, exactly as the secretary wrote them.

use serde::Deserialize;
use serde_spanned::Spanned;

use super::datetime::{Date, Time};
use super::kind::{ActivityStatus, DecisionKind, Kind};

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
    #[serde(default)]
    pub attendance: Attendance,
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
    #[serde(default)]
    pub kind: DecisionKind,
    pub votes: Option<Spanned<Votes>>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Votes {
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
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
