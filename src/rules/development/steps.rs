//! Each step of the five stages with its state on a day: what the 纪实表 lists and what the
//! 台账 and `pdb plan` call the next step.

use chrono::NaiveDate;

use serde_spanned::Spanned;

use super::{add_months, date, Facts, MeetingFacts, Meetings, Settings, Stage, VoteFacts};
use crate::model::applicant::{ApplicantFile, DateSpan, Names, Talk};
use crate::model::{Date, VoteMethod};

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

/// A row of the table in [`steps`]: the stage, the step, its dates, who, its document, and how
/// its state follows.
type Row<'a> = (u8, &'static str, Vec<NaiveDate>, Option<String>, &'a str, Rule);

/// How a row comes to its state.
enum Rule {
    /// Done when the step has a date; else not applicable unless `.0`; due on `.1`.
    Dated(bool, Option<NaiveDate>),
    /// Done when `.0` (the step's record is not a date of its own); applicable when `.1`.
    Recorded(bool, bool),
    /// The state its own rule gives: the reviews and the reports.
    Given(State),
}

/// Every step of the five stages, in order, with its state on `today`.
pub fn steps(
    file: &ApplicantFile,
    meetings: &Meetings,
    facts: &Facts,
    settings: &Settings,
    today: NaiveDate,
) -> Vec<Step> {
    use Rule::{Dated, Given, Recorded};
    let app = file.application.as_ref().map(|a| a.get_ref());
    let act = file.activist.as_ref().map(|a| a.get_ref());
    let cand = file.candidate.as_ref().map(|c| c.get_ref());
    let adm = file.admission.as_ref().map(|a| a.get_ref());
    let prob = file.probation.as_ref().map(|p| p.get_ref());
    let applied = app.and_then(|a| date(&a.date));
    let activist = act.and_then(|a| date(&a.date));
    let candidate = cand.and_then(|c| date(&c.date));
    let admitted = facts.admitted;
    let confirmed = facts.confirmation_meeting;
    let cancelled = facts.stage == Stage::Cancelled;
    let me = Some(file.name.get_ref().trim().to_string());

    // 第一、二阶段
    let (talk, talk_by) = talked(app.and_then(|a| a.talk.as_ref()));
    let talk_due = applied.map(|d| add_months(d, 1));
    let recommended = act.and_then(|a| a.recommended.as_ref()).map(|r| r.get_ref().chinese().to_string());
    let is_activist = activist.is_some();
    let act_filed = act.and_then(|a| date(&a.filed));
    let contacts = act.and_then(|a| names(&a.contacts));
    let has_contacts = contacts.is_some();
    let contacted = one(activist.filter(|_| has_contacts));
    let act_reviews = act.map(|a| dates(&a.reviews)).unwrap_or_default();
    let act_review = match activist {
        _ if !act_reviews.is_empty() && candidate.is_some() => State::Done,
        Some(_) => review_state(activist, &act_reviews, candidate, today),
        None => State::Todo(None),
    };
    let reports = act.map(|a| dates(&a.reports)).unwrap_or_default();
    let report = match settings.report_every_months {
        _ if !reports.is_empty() && candidate.is_some() => State::Done,
        Some(months) if activist.is_some() && candidate.is_none() => {
            let last = reports.iter().copied().max().or(activist).expect("activist date");
            state(false, true, Some(add_months(last, months)), today)
        }
        _ if !reports.is_empty() => State::Done,
        _ => State::NotApplicable,
    };
    // 第三、四阶段: from the 发展对象 on; the 上级党委's steps from the 支部大会 on.
    let earliest = activist.map(|d| add_months(d, 12)).filter(|_| candidate.is_none());
    let is_candidate = candidate.is_some();
    let cand_filed = cand.and_then(|c| date(&c.filed));
    let cand_publicity = cand.map(|c| span(&c.publicity)).unwrap_or_default();
    let introducers = cand.and_then(|c| names(&c.introducers));
    let political = cand.and_then(|c| c.political_review.as_ref()).map(|r| r.get_ref());
    let political_date = political.and_then(|r| date(&r.date));
    let political_doc = match political.and_then(|r| r.result.as_ref()) {
        Some(result) => format!("政审材料（结论：{}）", result.get_ref().trim()),
        None => "政审材料".to_string(),
    };
    let training = cand.and_then(|c| c.training.as_ref()).map(|t| t.get_ref());
    let training_days =
        training.map(|t| [date(&t.from), date(&t.to)].into_iter().flatten().collect()).unwrap_or_default();
    let training_by = training.and_then(|t| t.by.clone());
    let training_doc = match training.and_then(|t| t.hours.as_ref()) {
        Some(h) => format!("培训结业证明（{}学时）", h.get_ref()),
        None => "培训结业证明".to_string(),
    };
    let adm_review = meetings.admission_review.as_ref().map(|m| m.date);
    let pre_review = adm.and_then(|a| date(&a.pre_review));
    let adm_publicity = adm.map(|a| span(&a.publicity)).unwrap_or_default();
    let form = adm.and_then(|a| date(&a.form));
    let (adm_talk, adm_talk_by) = talked(adm.and_then(|a| a.talk.as_ref()));
    let adm_approval = adm.and_then(|a| date(&a.approval));
    let approval_due = admitted.map(|d| add_months(d, 3));
    let upward = adm.and_then(|a| date(&a.filed_upward));
    // 第五阶段
    let on_probation = admitted.is_some() && !cancelled;
    let end = facts.probation.map(|p| p.end);
    let oath = prob.and_then(|p| date(&p.oath));
    let prob_reviews = prob.map(|p| dates(&p.reviews)).unwrap_or_default();
    let prob_review = match on_probation {
        _ if !prob_reviews.is_empty() && confirmed.is_some() => State::Done,
        true => review_state(admitted, &prob_reviews, confirmed, today),
        false => State::NotApplicable,
    };
    let application = prob.and_then(|p| date(&p.application));
    let prob_publicity = prob.map(|p| span(&p.publicity)).unwrap_or_default();
    let conf_review = meetings.probation_review.as_ref().map(|m| m.date);
    let prob_approval = prob.and_then(|p| date(&p.approval));
    let conf_due = confirmed.map(|d| add_months(d, 3));
    let archived = prob.and_then(|p| date(&p.archived));

    let m = meetings;
    let table: [Row; 29] = [
        (1, "递交入党申请书", one(applied), me.clone(), "入党申请书", Dated(true, None)),
        (1, "党组织派人谈话", one(talk), talk_by, "谈话记录", Dated(applied.is_some(), talk_due)),
        (2, "确定为入党积极分子", one(activist), recommended, &committee(&m.activist), Dated(true, None)),
        (2, "报上级党委备案", one(act_filed), None, "入党积极分子备案材料", Dated(is_activist, None)),
        (2, "指定培养联系人", contacted, contacts.clone(), "培养联系人名单", Recorded(has_contacts, is_activist)),
        (2, "培养教育考察", act_reviews, contacts, "培养考察记录", Given(act_review)),
        (2, "思想汇报", reports, me.clone(), "思想汇报", Given(report)),
        (3, "确定为发展对象", one(candidate), None, &committee(&m.candidate), Dated(true, None)),
        (3, "报上级党委备案", one(cand_filed), None, "发展对象备案材料", Dated(is_candidate, None)),
        (3, "发展对象公示", cand_publicity, None, "发展对象公示", Dated(is_candidate, None)),
        (3, "确定入党介绍人", Vec::new(), introducers.clone(), "—", Recorded(introducers.is_some(), is_candidate)),
        (3, "政治审查", one(political_date), None, &political_doc, Dated(is_candidate, admitted)),
        (3, "集中培训", training_days, training_by, &training_doc, Dated(is_candidate, None)),
        (4, "支部委员会审查", one(adm_review), None, &committee(&m.admission_review), Dated(is_candidate, None)),
        (4, "上级党委预审", one(pre_review), None, "预审意见", Dated(is_candidate, None)),
        (4, "拟接收预备党员公示", adm_publicity, None, "拟接收预备党员公示", Dated(is_candidate, None)),
        (4, "填写入党志愿书", one(form), me.clone(), "入党志愿书", Dated(is_candidate, None)),
        (4, "支部大会讨论", one(admitted), vote(&m.admission), &congress(&m.admission), Dated(is_candidate, None)),
        (4, "上级党委派人谈话", one(adm_talk), adm_talk_by, "谈话记录", Dated(admitted.is_some(), approval_due)),
        (4, "上级党委审批", one(adm_approval), None, "审批意见", Dated(admitted.is_some(), approval_due)),
        (4, "报再上一级组织部门备案", one(upward), None, "备案材料", Dated(adm_approval.is_some(), None)),
        (5, "入党宣誓", one(oath), None, "入党宣誓记录", Dated(on_probation, None)),
        (5, "预备期教育考察", prob_reviews, None, "预备党员考察记录", Given(prob_review)),
        (5, "提出转正申请", one(application), me, "转正申请书", Dated(on_probation, end)),
        (5, "拟转正公示", prob_publicity, None, "拟转正公示", Dated(on_probation, None)),
        (5, "支部委员会审查", one(conf_review), None, &committee(&m.probation_review), Dated(on_probation, None)),
        (5, "支部大会讨论转正", one(confirmed), vote(&m.probation), &congress(&m.probation), Dated(on_probation, end)),
        (5, "上级党委审批转正", one(prob_approval), None, "审批意见", Dated(confirmed.is_some(), conf_due)),
        (5, "材料归档", one(archived), None, "入党材料", Dated(prob_approval.is_some() || cancelled, None)),
    ];
    table
        .into_iter()
        .map(|(stage, name, when, people, document, rule)| {
            let state = match rule {
                Dated(applies, due) => state(!when.is_empty(), applies, due, today),
                Recorded(done, applies) => state(done, applies, None, today),
                Given(state) => state,
            };
            let is_span = name.ends_with("公示") || name == "集中培训";
            let earliest = earliest.filter(|_| name == "确定为发展对象");
            Step { stage, name, when, is_span, people, document: document.to_string(), state, earliest }
        })
        .collect()
}

/// The first step still to do that applies, for the 台账's 下一步 column and `pdb plan`.
pub fn next_step(steps: &[Step]) -> Option<&Step> {
    steps.iter().find(|s| matches!(s.state, State::Overdue(_))).or_else(|| {
        steps.iter().find(|s| {
            matches!(s.state, State::Todo(_)) && s.name != "报上级党委备案" && s.name != "报再上一级组织部门备案"
        })
    })
}

fn one(d: Option<NaiveDate>) -> Vec<NaiveDate> {
    d.into_iter().collect()
}

fn dates(d: &[Spanned<Date>]) -> Vec<NaiveDate> {
    d.iter().map(|d| d.get_ref().0).collect()
}

/// A span's first and last day, or nothing.
fn span(p: &Option<Spanned<DateSpan>>) -> Vec<NaiveDate> {
    p.as_ref().map(|p| vec![p.get_ref().from.get_ref().0, p.get_ref().to.get_ref().0]).unwrap_or_default()
}

fn names(n: &Option<Spanned<Names>>) -> Option<String> {
    n.as_ref().map(|n| n.get_ref().joined()).filter(|s| !s.is_empty())
}

/// A talk's day and who talked.
fn talked(t: Option<&Spanned<Talk>>) -> (Option<NaiveDate>, Option<String>) {
    let t = t.map(|t| t.get_ref());
    (t.and_then(|t| date(&t.date)), t.and_then(|t| names(&t.by)))
}

/// 支委会会议记录（2026-10-09-支委会）: the record, with the stem of the meeting's file when named.
fn meeting_doc(m: &Option<MeetingFacts>, default: &str) -> String {
    let stem = |file: &str| {
        std::path::Path::new(file).file_stem().map_or_else(|| file.to_string(), |s| s.to_string_lossy().into_owned())
    };
    m.as_ref().map_or_else(|| default.to_string(), |m| format!("{}（{}）", default, stem(&m.file)))
}

fn committee(m: &Option<MeetingFacts>) -> String {
    meeting_doc(m, "支委会会议记录")
}

fn congress(m: &Option<MeetingFacts>) -> String {
    meeting_doc(m, "支部党员大会会议记录")
}

fn vote(m: &Option<MeetingFacts>) -> Option<String> {
    m.as_ref().and_then(|m| m.decision.as_ref()).and_then(vote_line)
}

/// How the 支部大会 voted, as the meeting's record has it: 无记名投票，同意10票，反对0票，弃权0票.
fn vote_line(d: &VoteFacts) -> Option<String> {
    let (yes, no, abstain) = d.votes?;
    let method = match d.method {
        VoteMethod::SecretBallot => "无记名投票",
        VoteMethod::ShowOfHands => "举手表决",
    };
    Some(format!("{method}，同意{yes}票，反对{no}票，弃权{abstain}票"))
}
