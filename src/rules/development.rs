//! The arithmetic of 《中国共产党发展党员工作细则》 over an applicant record: the stage, the
//! 预备期, and each step of the five stages with its state and due date. Pure functions over the
//! model and the facts of the meetings it names (see `checks` for the errors and findings).

pub mod checks;

use chrono::{Datelike, Months, NaiveDate};

use crate::model::applicant::{ApplicantFile, DevelopmentRuleFile, ProbationEnd, ProbationOutcome};
use crate::model::{Date, DecisionKind, Kind};
use crate::rules::{Quorum, Threshold};

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
        Settings { publicity_days: 5, probation_end: ProbationEnd::DayBefore, activist_after_months: None, report_every_months: None }
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
    pub votes: Option<(u32, u32, u32)>,
    /// `None` when no votes were recorded; a vote without its quorum has not passed.
    pub passed: Option<bool>,
    pub quorum: Option<Quorum>,
    pub threshold: Threshold,
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

fn date(d: &Option<serde_spanned::Spanned<Date>>) -> Option<NaiveDate> {
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

/// A step's state on the 纪实表.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Done,
    /// Not recorded yet; with the day it is due when a rule gives one.
    Todo(Option<NaiveDate>),
    Overdue(NaiveDate),
    NotApplicable,
}

impl State {
    pub fn chinese(self) -> &'static str {
        match self {
            State::Done => "已完成",
            State::Todo(_) => "待办",
            State::Overdue(_) => "逾期",
            State::NotApplicable => "不适用",
        }
    }

    pub fn due(self) -> Option<NaiveDate> {
        match self {
            State::Todo(due) => due,
            State::Overdue(due) => Some(due),
            _ => None,
        }
    }
}

/// One step of the 全程纪实表.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// 1–5
    pub stage: u8,
    pub name: &'static str,
    /// The date, or the span (公示, 培训), or the dates (考察), as the documents print them.
    pub when: Vec<NaiveDate>,
    /// A span prints as 从…至…; a list as dates joined.
    pub is_span: bool,
    pub people: Option<String>,
    /// The document the step produced (the meeting record's file name for a meeting step).
    pub document: String,
    pub state: State,
    /// The earliest day the step may be taken, when a rule sets one (发展对象 after a year).
    pub earliest: Option<NaiveDate>,
}

pub const STAGES: [&str; 5] =
    ["申请入党", "入党积极分子的确定和培养教育", "发展对象的确定和考察", "预备党员的接收", "预备党员的教育考察和转正"];

/// The state of a step from whether it is recorded, whether it applies, and its due date.
fn state(done: bool, applies: bool, due: Option<NaiveDate>, today: NaiveDate) -> State {
    match (done, applies, due) {
        (true, _, _) => State::Done,
        (false, false, _) => State::NotApplicable,
        (false, true, Some(due)) if today > due => State::Overdue(due),
        (false, true, due) => State::Todo(due),
    }
}

/// The half-yearly review: due six months after the last one (or after the stage began) while
/// the stage lasts.
fn review_state(start: Option<NaiveDate>, reviews: &[NaiveDate], until: Option<NaiveDate>, today: NaiveDate) -> State {
    let Some(start) = start else { return State::Todo(None) };
    let last = reviews.iter().copied().max().unwrap_or(start).max(start);
    let due = add_months(last, 6);
    match until {
        // The stage is over: the reviews it had are the record.
        Some(_) if !reviews.is_empty() => State::Done,
        Some(_) => State::Todo(None),
        None if today > due => State::Overdue(due),
        None => State::Todo(Some(due)),
    }
}

/// Every step of the five stages, in order, with its state on `today`.
pub fn steps(file: &ApplicantFile, meetings: &Meetings, facts: &Facts, settings: &Settings, today: NaiveDate) -> Vec<Step> {
    let app = file.application.as_ref().map(|a| a.get_ref());
    let act = file.activist.as_ref().map(|a| a.get_ref());
    let cand = file.candidate.as_ref().map(|c| c.get_ref());
    let adm = file.admission.as_ref().map(|a| a.get_ref());
    let prob = file.probation.as_ref().map(|p| p.get_ref());
    let applied = app.and_then(|a| date(&a.date));
    let activist = act.and_then(|a| date(&a.date));
    let candidate = cand.and_then(|c| date(&c.date));
    let cancelled = facts.stage == Stage::Cancelled;
    let mut out = Vec::new();
    let mut push = |stage: u8, name: &'static str, when: Vec<NaiveDate>, people: Option<String>, document: &str, state: State| {
        let is_span = name.ends_with("公示") || name == "集中培训";
        out.push(Step { stage, name, when, is_span, people, document: document.to_string(), state, earliest: None });
    };
    let names = |n: &Option<serde_spanned::Spanned<crate::model::applicant::Names>>| {
        n.as_ref().map(|n| n.get_ref().joined()).filter(|s| !s.is_empty())
    };
    let meeting_doc = |m: &Option<MeetingFacts>, default: &str| {
        let stem = |file: &str| std::path::Path::new(file).file_stem().map_or_else(|| file.to_string(), |s| s.to_string_lossy().into_owned());
        m.as_ref().map_or_else(|| default.to_string(), |m| format!("{}（{}）", default, stem(&m.file)))
    };

    // 第一阶段
    push(1, "递交入党申请书", applied.into_iter().collect(), Some(file.name.get_ref().trim().to_string()), "入党申请书", state(applied.is_some(), true, None, today));
    let talk = app.and_then(|a| a.talk.as_ref()).map(|t| t.get_ref());
    let talk_date = talk.and_then(|t| date(&t.date));
    push(1, "党组织派人谈话", talk_date.into_iter().collect(), talk.and_then(|t| names(&t.by)), "谈话记录", state(talk_date.is_some(), applied.is_some(), applied.map(|d| add_months(d, 1)), today));

    // 第二阶段
    let recommended = act.and_then(|a| a.recommended.as_ref()).map(|r| r.get_ref().chinese().to_string());
    push(2, "确定为入党积极分子", activist.into_iter().collect(), recommended, &meeting_doc(&meetings.activist, "支委会会议记录"), state(activist.is_some(), true, None, today));
    let filed = act.and_then(|a| date(&a.filed));
    push(2, "报上级党委备案", filed.into_iter().collect(), None, "入党积极分子备案材料", state(filed.is_some(), activist.is_some(), None, today));
    let contacts = act.and_then(|a| names(&a.contacts));
    push(2, "指定培养联系人", activist.filter(|_| contacts.is_some()).into_iter().collect(), contacts.clone(), "培养联系人名单", state(contacts.is_some(), activist.is_some(), None, today));
    let reviews: Vec<NaiveDate> = act.map(|a| a.reviews.iter().map(|d| d.get_ref().0).collect()).unwrap_or_default();
    let review = if activist.is_some() { review_state(activist, &reviews, candidate, today) } else { State::Todo(None) };
    push(2, "培养教育考察", reviews.clone(), contacts, "培养考察记录", if reviews.is_empty() || candidate.is_none() { review } else { State::Done });
    let reports: Vec<NaiveDate> = act.map(|a| a.reports.iter().map(|d| d.get_ref().0).collect()).unwrap_or_default();
    let report_state = match settings.report_every_months {
        _ if !reports.is_empty() && candidate.is_some() => State::Done,
        Some(months) if activist.is_some() && candidate.is_none() => {
            let last = reports.iter().copied().max().or(activist).expect("activist date");
            state(false, true, Some(add_months(last, months)), today)
        }
        _ if !reports.is_empty() => State::Done,
        _ => State::NotApplicable,
    };
    push(2, "思想汇报", reports, Some(file.name.get_ref().trim().to_string()), "思想汇报", report_state);

    // 第三阶段
    let earliest = activist.map(|d| add_months(d, 12));
    push(3, "确定为发展对象", candidate.into_iter().collect(), None, &meeting_doc(&meetings.candidate, "支委会会议记录"), state(candidate.is_some(), true, None, today));
    if let Some(step) = out.last_mut() {
        step.earliest = earliest.filter(|_| candidate.is_none());
    }
    let mut push = |stage: u8, name: &'static str, when: Vec<NaiveDate>, people: Option<String>, document: &str, state: State| {
        let is_span = name.ends_with("公示") || name == "集中培训";
        out.push(Step { stage, name, when, is_span, people, document: document.to_string(), state, earliest: None });
    };
    let filed = cand.and_then(|c| date(&c.filed));
    push(3, "报上级党委备案", filed.into_iter().collect(), None, "发展对象备案材料", state(filed.is_some(), candidate.is_some(), None, today));
    let span = |p: &Option<serde_spanned::Spanned<crate::model::applicant::DateSpan>>| {
        p.as_ref().map(|p| vec![p.get_ref().from.get_ref().0, p.get_ref().to.get_ref().0]).unwrap_or_default()
    };
    let publicity = cand.map(|c| span(&c.publicity)).unwrap_or_default();
    push(3, "发展对象公示", publicity.clone(), None, "发展对象公示", state(!publicity.is_empty(), candidate.is_some(), None, today));
    let introducers = cand.and_then(|c| names(&c.introducers));
    push(3, "确定入党介绍人", Vec::new(), introducers.clone(), "—", state(introducers.is_some(), candidate.is_some(), None, today));
    let review = cand.and_then(|c| c.political_review.as_ref()).map(|r| r.get_ref());
    let review_date = review.and_then(|r| date(&r.date));
    let result = review.and_then(|r| r.result.as_ref()).map(|r| r.get_ref().trim().to_string());
    let document = match &result {
        Some(result) => format!("政审材料（结论：{result}）"),
        None => "政审材料".to_string(),
    };
    push(3, "政治审查", review_date.into_iter().collect(), None, &document, state(review_date.is_some(), candidate.is_some(), facts.admitted, today));
    let training = cand.and_then(|c| c.training.as_ref()).map(|t| t.get_ref());
    let training_days: Vec<NaiveDate> = training.map(|t| [date(&t.from), date(&t.to)].into_iter().flatten().collect()).unwrap_or_default();
    let hours = training.and_then(|t| t.hours.as_ref()).map(|h| *h.get_ref());
    let document = match hours {
        Some(h) => format!("培训结业证明（{h}学时）"),
        None => "培训结业证明".to_string(),
    };
    push(3, "集中培训", training_days.clone(), training.and_then(|t| t.by.clone()), &document, state(!training_days.is_empty(), candidate.is_some(), None, today));

    // 第四阶段
    let in_stage4 = candidate.is_some();
    let review = meetings.admission_review.as_ref().map(|m| m.date);
    push(4, "支部委员会审查", review.into_iter().collect(), None, &meeting_doc(&meetings.admission_review, "支委会会议记录"), state(review.is_some(), in_stage4, None, today));
    let pre = adm.and_then(|a| date(&a.pre_review));
    push(4, "上级党委预审", pre.into_iter().collect(), None, "预审意见", state(pre.is_some(), in_stage4, None, today));
    let publicity = adm.map(|a| span(&a.publicity)).unwrap_or_default();
    push(4, "拟接收预备党员公示", publicity, None, "拟接收预备党员公示", state(adm.is_some_and(|a| a.publicity.is_some()), in_stage4, None, today));
    let form = adm.and_then(|a| date(&a.form));
    push(4, "填写入党志愿书", form.into_iter().collect(), Some(file.name.get_ref().trim().to_string()), "入党志愿书", state(form.is_some(), in_stage4, None, today));
    let vote = meetings.admission.as_ref().and_then(|m| m.decision.as_ref()).and_then(|d| d.votes);
    let people = vote.map(|(yes, no, abstain)| format!("同意{yes}票，反对{no}票，弃权{abstain}票"));
    push(4, "支部大会讨论", facts.admitted.into_iter().collect(), people, &meeting_doc(&meetings.admission, "支部党员大会会议记录"), state(facts.admitted.is_some(), in_stage4, None, today));
    let approval_due = facts.admitted.map(|d| add_months(d, 3));
    let talk = adm.and_then(|a| a.talk.as_ref()).map(|t| t.get_ref());
    let talk_date = talk.and_then(|t| date(&t.date));
    push(4, "上级党委派人谈话", talk_date.into_iter().collect(), talk.and_then(|t| names(&t.by)), "谈话记录", state(talk_date.is_some(), facts.admitted.is_some(), approval_due, today));
    let approval = adm.and_then(|a| date(&a.approval));
    push(4, "上级党委审批", approval.into_iter().collect(), None, "审批意见", state(approval.is_some(), facts.admitted.is_some(), approval_due, today));
    let upward = adm.and_then(|a| date(&a.filed_upward));
    push(4, "报再上一级组织部门备案", upward.into_iter().collect(), None, "备案材料", state(upward.is_some(), approval.is_some(), None, today));

    // 第五阶段
    let admitted = facts.admitted.is_some() && !cancelled;
    let end = facts.probation.map(|p| p.end);
    let oath = prob.and_then(|p| date(&p.oath));
    push(5, "入党宣誓", oath.into_iter().collect(), None, "入党宣誓记录", state(oath.is_some(), admitted, None, today));
    let reviews: Vec<NaiveDate> = prob.map(|p| p.reviews.iter().map(|d| d.get_ref().0).collect()).unwrap_or_default();
    let review = if admitted { review_state(facts.admitted, &reviews, facts.confirmation_meeting, today) } else { State::Todo(None) };
    push(5, "预备期教育考察", reviews.clone(), None, "预备党员考察记录", if reviews.is_empty() || facts.confirmation_meeting.is_none() { review } else { State::Done });
    let application = prob.and_then(|p| date(&p.application));
    push(5, "提出转正申请", application.into_iter().collect(), Some(file.name.get_ref().trim().to_string()), "转正申请书", state(application.is_some(), admitted, end, today));
    let publicity = prob.map(|p| span(&p.publicity)).unwrap_or_default();
    push(5, "拟转正公示", publicity, None, "拟转正公示", state(prob.is_some_and(|p| p.publicity.is_some()), admitted, None, today));
    let review = meetings.probation_review.as_ref().map(|m| m.date);
    push(5, "支部委员会审查", review.into_iter().collect(), None, &meeting_doc(&meetings.probation_review, "支委会会议记录"), state(review.is_some(), admitted, None, today));
    let vote = meetings.probation.as_ref().and_then(|m| m.decision.as_ref()).and_then(|d| d.votes);
    let people = vote.map(|(yes, no, abstain)| format!("同意{yes}票，反对{no}票，弃权{abstain}票"));
    push(5, "支部大会讨论转正", facts.confirmation_meeting.into_iter().collect(), people, &meeting_doc(&meetings.probation, "支部党员大会会议记录"), state(facts.confirmation_meeting.is_some(), admitted, end, today));
    let approval = prob.and_then(|p| date(&p.approval));
    push(5, "上级党委审批转正", approval.into_iter().collect(), None, "审批意见", state(approval.is_some(), facts.confirmation_meeting.is_some(), facts.confirmation_meeting.map(|d| add_months(d, 3)), today));
    let archived = prob.and_then(|p| date(&p.archived));
    push(5, "材料归档", archived.into_iter().collect(), None, "入党材料", state(archived.is_some(), approval.is_some() || cancelled, None, today));
    out
}

/// The first step still to do that applies, for the 台账's 下一步 column and `pdb plan`.
pub fn next_step(steps: &[Step]) -> Option<&Step> {
    steps.iter().find(|s| matches!(s.state, State::Overdue(_))).or_else(|| {
        steps.iter().find(|s| matches!(s.state, State::Todo(_)) && s.name != "报上级党委备案" && s.name != "报再上一级组织部门备案")
    })
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
