//! Each step of the five stages with its state on a day: what the 纪实表 lists and what the
//! 台账 and `pdb plan` call the next step.

use chrono::NaiveDate;

use super::{add_months, date, Facts, MeetingFacts, Meetings, Settings, Stage, VoteFacts};
use crate::model::applicant::ApplicantFile;
use crate::model::VoteMethod;

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
pub fn steps(
    file: &ApplicantFile,
    meetings: &Meetings,
    facts: &Facts,
    settings: &Settings,
    today: NaiveDate,
) -> Vec<Step> {
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
    let mut push = |stage: u8,
                    name: &'static str,
                    when: Vec<NaiveDate>,
                    people: Option<String>,
                    document: &str,
                    state: State| {
        let is_span = name.ends_with("公示") || name == "集中培训";
        out.push(Step { stage, name, when, is_span, people, document: document.to_string(), state, earliest: None });
    };
    let names = |n: &Option<serde_spanned::Spanned<crate::model::applicant::Names>>| {
        n.as_ref().map(|n| n.get_ref().joined()).filter(|s| !s.is_empty())
    };
    let meeting_doc = |m: &Option<MeetingFacts>, default: &str| {
        let stem = |file: &str| {
            std::path::Path::new(file)
                .file_stem()
                .map_or_else(|| file.to_string(), |s| s.to_string_lossy().into_owned())
        };
        m.as_ref().map_or_else(|| default.to_string(), |m| format!("{}（{}）", default, stem(&m.file)))
    };

    // 第一阶段
    push(
        1,
        "递交入党申请书",
        applied.into_iter().collect(),
        Some(file.name.get_ref().trim().to_string()),
        "入党申请书",
        state(applied.is_some(), true, None, today),
    );
    let talk = app.and_then(|a| a.talk.as_ref()).map(|t| t.get_ref());
    let talk_date = talk.and_then(|t| date(&t.date));
    push(
        1,
        "党组织派人谈话",
        talk_date.into_iter().collect(),
        talk.and_then(|t| names(&t.by)),
        "谈话记录",
        state(talk_date.is_some(), applied.is_some(), applied.map(|d| add_months(d, 1)), today),
    );

    // 第二阶段
    let recommended = act.and_then(|a| a.recommended.as_ref()).map(|r| r.get_ref().chinese().to_string());
    push(
        2,
        "确定为入党积极分子",
        activist.into_iter().collect(),
        recommended,
        &meeting_doc(&meetings.activist, "支委会会议记录"),
        state(activist.is_some(), true, None, today),
    );
    let filed = act.and_then(|a| date(&a.filed));
    push(
        2,
        "报上级党委备案",
        filed.into_iter().collect(),
        None,
        "入党积极分子备案材料",
        state(filed.is_some(), activist.is_some(), None, today),
    );
    let contacts = act.and_then(|a| names(&a.contacts));
    push(
        2,
        "指定培养联系人",
        activist.filter(|_| contacts.is_some()).into_iter().collect(),
        contacts.clone(),
        "培养联系人名单",
        state(contacts.is_some(), activist.is_some(), None, today),
    );
    let reviews: Vec<NaiveDate> = act.map(|a| a.reviews.iter().map(|d| d.get_ref().0).collect()).unwrap_or_default();
    let review =
        if activist.is_some() { review_state(activist, &reviews, candidate, today) } else { State::Todo(None) };
    push(
        2,
        "培养教育考察",
        reviews.clone(),
        contacts,
        "培养考察记录",
        if reviews.is_empty() || candidate.is_none() { review } else { State::Done },
    );
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
    push(
        3,
        "确定为发展对象",
        candidate.into_iter().collect(),
        None,
        &meeting_doc(&meetings.candidate, "支委会会议记录"),
        state(candidate.is_some(), true, None, today),
    );
    if let Some(step) = out.last_mut() {
        step.earliest = earliest.filter(|_| candidate.is_none());
    }
    let mut push = |stage: u8,
                    name: &'static str,
                    when: Vec<NaiveDate>,
                    people: Option<String>,
                    document: &str,
                    state: State| {
        let is_span = name.ends_with("公示") || name == "集中培训";
        out.push(Step { stage, name, when, is_span, people, document: document.to_string(), state, earliest: None });
    };
    let filed = cand.and_then(|c| date(&c.filed));
    push(
        3,
        "报上级党委备案",
        filed.into_iter().collect(),
        None,
        "发展对象备案材料",
        state(filed.is_some(), candidate.is_some(), None, today),
    );
    let span = |p: &Option<serde_spanned::Spanned<crate::model::applicant::DateSpan>>| {
        p.as_ref().map(|p| vec![p.get_ref().from.get_ref().0, p.get_ref().to.get_ref().0]).unwrap_or_default()
    };
    let publicity = cand.map(|c| span(&c.publicity)).unwrap_or_default();
    push(
        3,
        "发展对象公示",
        publicity.clone(),
        None,
        "发展对象公示",
        state(!publicity.is_empty(), candidate.is_some(), None, today),
    );
    let introducers = cand.and_then(|c| names(&c.introducers));
    push(
        3,
        "确定入党介绍人",
        Vec::new(),
        introducers.clone(),
        "—",
        state(introducers.is_some(), candidate.is_some(), None, today),
    );
    let review = cand.and_then(|c| c.political_review.as_ref()).map(|r| r.get_ref());
    let review_date = review.and_then(|r| date(&r.date));
    let result = review.and_then(|r| r.result.as_ref()).map(|r| r.get_ref().trim().to_string());
    let document = match &result {
        Some(result) => format!("政审材料（结论：{result}）"),
        None => "政审材料".to_string(),
    };
    push(
        3,
        "政治审查",
        review_date.into_iter().collect(),
        None,
        &document,
        state(review_date.is_some(), candidate.is_some(), facts.admitted, today),
    );
    let training = cand.and_then(|c| c.training.as_ref()).map(|t| t.get_ref());
    let training_days: Vec<NaiveDate> =
        training.map(|t| [date(&t.from), date(&t.to)].into_iter().flatten().collect()).unwrap_or_default();
    let hours = training.and_then(|t| t.hours.as_ref()).map(|h| *h.get_ref());
    let document = match hours {
        Some(h) => format!("培训结业证明（{h}学时）"),
        None => "培训结业证明".to_string(),
    };
    push(
        3,
        "集中培训",
        training_days.clone(),
        training.and_then(|t| t.by.clone()),
        &document,
        state(!training_days.is_empty(), candidate.is_some(), None, today),
    );

    // 第四阶段
    let in_stage4 = candidate.is_some();
    let review = meetings.admission_review.as_ref().map(|m| m.date);
    push(
        4,
        "支部委员会审查",
        review.into_iter().collect(),
        None,
        &meeting_doc(&meetings.admission_review, "支委会会议记录"),
        state(review.is_some(), in_stage4, None, today),
    );
    let pre = adm.and_then(|a| date(&a.pre_review));
    push(4, "上级党委预审", pre.into_iter().collect(), None, "预审意见", state(pre.is_some(), in_stage4, None, today));
    let publicity = adm.map(|a| span(&a.publicity)).unwrap_or_default();
    push(
        4,
        "拟接收预备党员公示",
        publicity,
        None,
        "拟接收预备党员公示",
        state(adm.is_some_and(|a| a.publicity.is_some()), in_stage4, None, today),
    );
    let form = adm.and_then(|a| date(&a.form));
    push(
        4,
        "填写入党志愿书",
        form.into_iter().collect(),
        Some(file.name.get_ref().trim().to_string()),
        "入党志愿书",
        state(form.is_some(), in_stage4, None, today),
    );
    let people = meetings.admission.as_ref().and_then(|m| m.decision.as_ref()).and_then(vote_line);
    push(
        4,
        "支部大会讨论",
        facts.admitted.into_iter().collect(),
        people,
        &meeting_doc(&meetings.admission, "支部党员大会会议记录"),
        state(facts.admitted.is_some(), in_stage4, None, today),
    );
    let approval_due = facts.admitted.map(|d| add_months(d, 3));
    let talk = adm.and_then(|a| a.talk.as_ref()).map(|t| t.get_ref());
    let talk_date = talk.and_then(|t| date(&t.date));
    push(
        4,
        "上级党委派人谈话",
        talk_date.into_iter().collect(),
        talk.and_then(|t| names(&t.by)),
        "谈话记录",
        state(talk_date.is_some(), facts.admitted.is_some(), approval_due, today),
    );
    let approval = adm.and_then(|a| date(&a.approval));
    push(
        4,
        "上级党委审批",
        approval.into_iter().collect(),
        None,
        "审批意见",
        state(approval.is_some(), facts.admitted.is_some(), approval_due, today),
    );
    let upward = adm.and_then(|a| date(&a.filed_upward));
    push(
        4,
        "报再上一级组织部门备案",
        upward.into_iter().collect(),
        None,
        "备案材料",
        state(upward.is_some(), approval.is_some(), None, today),
    );

    // 第五阶段
    let admitted = facts.admitted.is_some() && !cancelled;
    let end = facts.probation.map(|p| p.end);
    let oath = prob.and_then(|p| date(&p.oath));
    push(5, "入党宣誓", oath.into_iter().collect(), None, "入党宣誓记录", state(oath.is_some(), admitted, None, today));
    let reviews: Vec<NaiveDate> = prob.map(|p| p.reviews.iter().map(|d| d.get_ref().0).collect()).unwrap_or_default();
    let review = if admitted {
        review_state(facts.admitted, &reviews, facts.confirmation_meeting, today)
    } else {
        State::NotApplicable
    };
    push(
        5,
        "预备期教育考察",
        reviews.clone(),
        None,
        "预备党员考察记录",
        if reviews.is_empty() || facts.confirmation_meeting.is_none() { review } else { State::Done },
    );
    let application = prob.and_then(|p| date(&p.application));
    push(
        5,
        "提出转正申请",
        application.into_iter().collect(),
        Some(file.name.get_ref().trim().to_string()),
        "转正申请书",
        state(application.is_some(), admitted, end, today),
    );
    let publicity = prob.map(|p| span(&p.publicity)).unwrap_or_default();
    push(
        5,
        "拟转正公示",
        publicity,
        None,
        "拟转正公示",
        state(prob.is_some_and(|p| p.publicity.is_some()), admitted, None, today),
    );
    let review = meetings.probation_review.as_ref().map(|m| m.date);
    push(
        5,
        "支部委员会审查",
        review.into_iter().collect(),
        None,
        &meeting_doc(&meetings.probation_review, "支委会会议记录"),
        state(review.is_some(), admitted, None, today),
    );
    let people = meetings.probation.as_ref().and_then(|m| m.decision.as_ref()).and_then(vote_line);
    push(
        5,
        "支部大会讨论转正",
        facts.confirmation_meeting.into_iter().collect(),
        people,
        &meeting_doc(&meetings.probation, "支部党员大会会议记录"),
        state(facts.confirmation_meeting.is_some(), admitted, end, today),
    );
    let approval = prob.and_then(|p| date(&p.approval));
    push(
        5,
        "上级党委审批转正",
        approval.into_iter().collect(),
        None,
        "审批意见",
        state(
            approval.is_some(),
            facts.confirmation_meeting.is_some(),
            facts.confirmation_meeting.map(|d| add_months(d, 3)),
            today,
        ),
    );
    let archived = prob.and_then(|p| date(&p.archived));
    push(
        5,
        "材料归档",
        archived.into_iter().collect(),
        None,
        "入党材料",
        state(archived.is_some(), approval.is_some() || cancelled, None, today),
    );
    out
}

/// The first step still to do that applies, for the 台账's 下一步 column and `pdb plan`.
pub fn next_step(steps: &[Step]) -> Option<&Step> {
    steps.iter().find(|s| matches!(s.state, State::Overdue(_))).or_else(|| {
        steps.iter().find(|s| {
            matches!(s.state, State::Todo(_)) && s.name != "报上级党委备案" && s.name != "报再上一级组织部门备案"
        })
    })
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
