//! The arithmetic of 《中国共产党发展党员工作细则》 over an applicant record: the stage, the
//! 预备期, and each step of the five stages with its state and due date. Pure functions over the
//! model and the facts of the meetings it names (see `checks` for the errors and findings).

pub mod checks;
mod steps;

pub use steps::{next_step, steps, State, Step, STAGES};

use chrono::{Datelike, Months, NaiveDate};

use crate::model::applicant::{ApplicantFile, DevelopmentRuleFile, ProbationEnd, ProbationOutcome};
use crate::model::{Date, DecisionKind, Kind, VoteMethod};
use crate::rules::{Quorum, Threshold, Verdict};

/// The 细则, as articles are cited.
pub const RULES: &str = "《中国共产党发展党员工作细则》";

/// `[rules."发展党员"]` with the defaults filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// 公示: at least this many working days.
    pub publicity_days: u32,
    pub probation_end: ProbationEnd,
    /// Months from the application before the 积极分子 step; `None`: no local rule.
    pub activist_after_months: Option<u32>,
    /// 思想汇报 at least every so many months; `None`: not checked.
    pub report_every_months: Option<u32>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            publicity_days: 5,
            probation_end: ProbationEnd::DayBefore,
            activist_after_months: None,
            report_every_months: None,
        }
    }
}

impl Settings {
    pub fn from_file(file: Option<&DevelopmentRuleFile>) -> Settings {
        let mut s = Settings::default();
        if let Some(f) = file {
            if let Some(days) = &f.publicity_days {
                s.publicity_days = *days.get_ref();
            }
            if let Some(end) = &f.probation_end {
                s.probation_end = *end.get_ref();
            }
            s.activist_after_months = f.activist_after_months.as_ref().map(|m| *m.get_ref()).filter(|m| *m > 0);
            s.report_every_months = f.report_every_months.as_ref().map(|m| *m.get_ref()).filter(|m| *m > 0);
        }
        s
    }
}

/// A referenced meeting record, as far as the applicant rules need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingFacts {
    /// The file as the applicant record names it.
    pub file: String,
    pub kind: Kind,
    pub date: NaiveDate,
    pub held: bool,
    /// The decision naming this applicant, when there is one.
    pub decision: Option<VoteFacts>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoteFacts {
    pub kind: DecisionKind,
    pub text: String,
    /// 举手 or 无记名投票, as the meeting's record has it; `method_written`: whether it says so,
    /// or the default (举手) holds.
    pub method: VoteMethod,
    pub method_written: bool,
    /// 同意, 反对, 弃权 (书面意见 counted in).
    pub votes: Option<(u32, u32, u32)>,
    /// What the vote came to under its own quorum and threshold (`rules::verdict`); `None` when
    /// no votes were recorded, or when the meeting's attendance is not and the result cannot be
    /// known.
    pub verdict: Option<Verdict>,
    /// The decision's own quorum.
    pub quorum: Option<Quorum>,
    pub threshold: Threshold,
}

impl VoteFacts {
    /// Whether a counted vote is known to have failed (not passed, or taken without its quorum).
    pub fn failed(&self) -> bool {
        matches!(self.verdict, Some(Verdict::Failed | Verdict::NoQuorum))
    }
}

/// The meetings an applicant record names, resolved (`None`: not named, or not found).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meetings {
    pub activist: Option<MeetingFacts>,
    pub candidate: Option<MeetingFacts>,
    pub admission_review: Option<MeetingFacts>,
    pub admission: Option<MeetingFacts>,
    pub probation_review: Option<MeetingFacts>,
    pub probation: Option<MeetingFacts>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    Applicant,
    Activist,
    Candidate,
    Probationary,
    Full,
    Cancelled,
}

impl Stage {
    pub fn chinese(self) -> &'static str {
        match self {
            Stage::Applicant => "入党申请人",
            Stage::Activist => "入党积极分子",
            Stage::Candidate => "发展对象",
            Stage::Probationary => "预备党员",
            Stage::Full => "正式党员",
            Stage::Cancelled => "取消预备党员资格",
        }
    }
}

/// `date` plus whole months, on the same day of the month (the last day when the month is
/// shorter).
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months)).expect("a date within range")
}

/// The day a span of whole months from `date` is complete: its anniversary. From 31 January one
/// month is complete on 1 March (February has no 31st), from 29 February a year on 1 March.
pub fn anniversary(date: NaiveDate, months: u32) -> NaiveDate {
    let same = add_months(date, months);
    if same.day() < date.day() {
        same.succ_opt().expect("a date within range")
    } else {
        same
    }
}

/// The 预备期: from the 支部大会 that passed the admission, one year plus any extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probation {
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// The end without the extension, when there is one.
    pub regular_end: NaiveDate,
}

impl Probation {
    pub fn new(start: NaiveDate, extension_months: u32, convention: ProbationEnd) -> Probation {
        let end_of = |months| {
            let day = anniversary(start, months);
            match convention {
                ProbationEnd::DayBefore => day.pred_opt().expect("a date within range"),
                ProbationEnd::Anniversary => day,
            }
        };
        Probation { start, end: end_of(12 + extension_months), regular_end: end_of(12) }
    }

    /// 2024年12月2日至2025年12月1日
    pub fn chinese(&self) -> String {
        format!("{}至{}", Date(self.start).chinese(), Date(self.end).chinese())
    }
}

/// The derived facts of one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub stage: Stage,
    /// The 支部大会 that admitted (its record's date, or the date typed for an older meeting).
    pub admitted: Option<NaiveDate>,
    pub confirmation_meeting: Option<NaiveDate>,
    pub probation: Option<Probation>,
}

pub(crate) fn date(d: &Option<serde_spanned::Spanned<Date>>) -> Option<NaiveDate> {
    d.as_ref().map(|d| d.get_ref().0)
}

pub fn facts(file: &ApplicantFile, meetings: &Meetings, settings: &Settings) -> Facts {
    let admission = file.admission.as_ref().map(|a| a.get_ref());
    let probation = file.probation.as_ref().map(|p| p.get_ref());
    let admitted = meetings.admission.as_ref().map(|m| m.date).or_else(|| admission.and_then(|a| date(&a.date)));
    let confirmation_meeting =
        meetings.probation.as_ref().map(|m| m.date).or_else(|| probation.and_then(|p| date(&p.date)));
    let outcome = probation.and_then(|p| p.outcome.as_ref()).map(|o| *o.get_ref());
    let extension = match outcome {
        Some(ProbationOutcome::Extended) => {
            probation.and_then(|p| p.extension_months.as_ref()).map_or(0, |m| *m.get_ref())
        }
        _ => 0,
    };
    let stage = match outcome {
        // 转为正式党员 once the higher committee approves what the meeting decided.
        Some(ProbationOutcome::OnTime) if probation.is_some_and(|p| p.approval.is_some()) => Stage::Full,
        Some(ProbationOutcome::Cancelled) => Stage::Cancelled,
        _ if admitted.is_some() => Stage::Probationary,
        _ if file.candidate.as_ref().is_some_and(|c| c.get_ref().date.is_some()) => Stage::Candidate,
        _ if file.activist.as_ref().is_some_and(|a| a.get_ref().date.is_some()) => Stage::Activist,
        _ => Stage::Applicant,
    };
    Facts {
        stage,
        admitted,
        confirmation_meeting,
        probation: admitted.map(|start| Probation::new(start, extension, settings.probation_end)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_probation_ends_the_day_before_the_anniversary_by_default() {
        let p = Probation::new(d(2024, 12, 2), 0, ProbationEnd::DayBefore);
        assert_eq!(p.end, d(2025, 12, 1));
        assert_eq!(p.chinese(), "2024年12月2日至2025年12月1日");
        assert_eq!(Probation::new(d(2024, 12, 2), 0, ProbationEnd::Anniversary).end, d(2025, 12, 2));
        // From 29 February a year is complete on 1 March.
        assert_eq!(Probation::new(d(2024, 2, 29), 0, ProbationEnd::DayBefore).end, d(2025, 2, 28));
        // An extension of six months.
        let p = Probation::new(d(2024, 12, 2), 6, ProbationEnd::DayBefore);
        assert_eq!((p.regular_end, p.end), (d(2025, 12, 1), d(2026, 6, 1)));
    }

    #[test]
    fn months_keep_the_day_or_take_the_last_one() {
        assert_eq!(add_months(d(2023, 3, 1), 1), d(2023, 4, 1));
        assert_eq!(add_months(d(2023, 1, 31), 1), d(2023, 2, 28));
        assert_eq!(anniversary(d(2023, 1, 31), 1), d(2023, 3, 1));
    }
}
