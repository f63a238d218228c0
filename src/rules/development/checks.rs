//! The errors and findings of shared/spec/development.md, each at the field it is about and
//! citing its rule: pure functions over an applicant record, its branch's roster and the facts
//! of the meetings it names.

use std::ops::Range;

use chrono::NaiveDate;
use serde_spanned::Spanned;

use super::{add_months, Facts, MeetingFacts, Meetings, Settings, Stage, RULES};
use crate::diagnostics::Severity;
use crate::model::applicant::{ApplicantFile, DateSpan, Names, ProbationOutcome};
use crate::model::{Date, DecisionKind, Kind, Member};
use crate::rules::calendar::Calendar;

/// One error or finding, before it is tied to its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub severity: Severity,
    pub span: Range<usize>,
    pub field: String,
    pub label: &'static str,
    pub message: String,
    pub help: String,
}

/// What the checks read besides the record.
pub struct Inputs<'a> {
    pub file: &'a ApplicantFile,
    pub meetings: &'a Meetings,
    pub facts: &'a Facts,
    pub settings: &'a Settings,
    pub calendar: &'a Calendar,
    pub roster: &'a [&'a Member],
    pub today: NaiveDate,
}

struct Out(Vec<Issue>);

impl Out {
    fn push(&mut self, severity: Severity, span: Range<usize>, field: &str, label: &'static str, message: String, help: impl Into<String>) {
        self.0.push(Issue { severity, span, field: field.to_string(), label, message, help: help.into() });
    }
    fn error(&mut self, span: Range<usize>, field: &str, label: &'static str, message: String, help: impl Into<String>) {
        self.push(Severity::Error, span, field, label, message, help);
    }
    fn finding(&mut self, span: Range<usize>, field: &str, label: &'static str, message: String, help: impl Into<String>) {
        self.push(Severity::Finding, span, field, label, message, help);
    }
}

/// `（《中国共产党发展党员工作细则》第十三条）`
fn article(number: &str) -> String {
    format!("（{RULES}{number}）")
}

fn cn(date: NaiveDate) -> String {
    Date(date).chinese()
}

/// A dated step: its field, label, date and span.
#[derive(Clone)]
struct Dated {
    field: &'static str,
    label: &'static str,
    date: NaiveDate,
    span: Range<usize>,
}

fn dated(field: &'static str, label: &'static str, d: &Option<Spanned<Date>>) -> Option<Dated> {
    d.as_ref().map(|d| Dated { field, label, date: d.get_ref().0, span: d.span() })
}

fn span_from(field: &'static str, label: &'static str, p: &Option<Spanned<DateSpan>>, end: bool) -> Option<Dated> {
    p.as_ref().map(|p| {
        let d = if end { &p.get_ref().to } else { &p.get_ref().from };
        Dated { field, label, date: d.get_ref().0, span: d.span() }
    })
}

/// A meeting step's date comes from its record; it is located at the reference.
fn meeting(field: &'static str, label: &'static str, m: &Option<MeetingFacts>, r: &Option<Spanned<String>>) -> Option<Dated> {
    Some(Dated { field, label, date: m.as_ref()?.date, span: r.as_ref()?.span() })
}

/// Checks a resolved meeting reference: of the right kind, on the step's date when the step
/// has one, holding a decision of the right kind about this applicant.
pub fn check_meeting(
    reference: &Spanned<String>,
    field: &str,
    label: &'static str,
    facts: &MeetingFacts,
    kind: Kind,
    decision: DecisionKind,
    step_date: Option<NaiveDate>,
    name: &str,
) -> Vec<Issue> {
    let mut out = Out(Vec::new());
    let span = reference.span();
    let file = reference.get_ref();
    if facts.kind != kind {
        out.error(span.clone(), field, label, format!("“{file}”是{}的记录，这一步应由{}决定", facts.kind.short_name(), kind.short_name()),
            format!("改为那次{}的记录文件", kind.short_name()));
        return out.0;
    }
    if !facts.held {
        out.error(span.clone(), field, label, format!("“{file}”还是“计划”，会议尚未召开"),
            "会议开过后把它的 status 改为 \"已召开\"；会前不要在发展党员记录中引用它");
    }
    if let Some(step) = step_date.filter(|d| *d != facts.date) {
        out.error(span.clone(), field, label, format!("“{file}”的会议日期是{}，与本步骤的日期{}不一致", cn(facts.date), cn(step)),
            "核对日期：本步骤的日期应是那次会议的日期；引用的会议记录错了就改 meeting");
    }
    match &facts.decision {
        Some(d) if d.kind == decision => {}
        Some(d) => out.error(span, field, label, format!("“{file}”中关于{name}的决议类型是“{}”，应为“{}”", d.kind.chinese(), decision.chinese()),
            format!("在那次会议的决议中写 kind = \"{}\"", decision.slug())),
        None => out.error(span, field, label, format!("“{file}”中没有关于{name}的决议（decisions 中没有 applicant = \"{name}\"）"),
            format!("在那次会议记录的相应决议中加一行 applicant = \"{name}\"，kind = \"{}\"", decision.slug())),
    }
    out.0
}

/// Every error and finding of the record that needs no file.
pub fn check(i: &Inputs) -> Vec<Issue> {
    let mut out = Out(Vec::new());
    order(i, &mut out);
    people(i, &mut out);
    time_limits(i, &mut out);
    votes(i, &mut out);
    publicity(i, &mut out);
    overdue(i, &mut out);
    out.0
}

/// Every dated step, in the order of the 细则, with what it must not precede.
fn order(i: &Inputs, out: &mut Out) {
    let f = i.file;
    let m = i.meetings;
    let app = f.application.as_ref().map(|a| a.get_ref());
    let act = f.activist.as_ref().map(|a| a.get_ref());
    let cand = f.candidate.as_ref().map(|c| c.get_ref());
    let adm = f.admission.as_ref().map(|a| a.get_ref());
    let prob = f.probation.as_ref().map(|p| p.get_ref());
    let applied = app.and_then(|a| dated("application.date", "递交入党申请书日期", &a.date));
    let talk = app.and_then(|a| a.talk.as_ref()).and_then(|t| dated("application.talk.date", "谈话日期", &t.get_ref().date));
    let activist = act.and_then(|a| dated("activist.date", "确定为入党积极分子日期", &a.date));
    let candidate = cand.and_then(|c| dated("candidate.date", "确定为发展对象日期", &c.date));
    let adm_review = adm.and_then(|a| meeting("admission.committee_review", "支委会审查记录", &m.admission_review, &a.committee_review));
    let admitted = adm.and_then(|a| {
        meeting("admission.meeting", "接收预备党员的支部党员大会记录", &m.admission, &a.meeting)
            .or_else(|| dated("admission.date", "接收预备党员的支部党员大会日期", &a.date))
    });
    let approval = adm.and_then(|a| dated("admission.approval", "上级党委审批日期", &a.approval));
    let prob_app = prob.and_then(|p| dated("probation.application", "转正申请日期", &p.application));
    let prob_review = prob.and_then(|p| meeting("probation.committee_review", "转正的支委会审查记录", &m.probation_review, &p.committee_review));
    let confirmed = prob.and_then(|p| {
        meeting("probation.meeting", "讨论转正的支部党员大会记录", &m.probation, &p.meeting)
            .or_else(|| dated("probation.date", "讨论转正的支部党员大会日期", &p.date))
    });
    let prob_approval = prob.and_then(|p| dated("probation.approval", "转正审批日期", &p.approval));
    // (earlier, later): `later` must not come before `earlier`.
    let mut pairs: Vec<(Option<Dated>, Option<Dated>)> = vec![
        (f.birth_date.as_ref().map(|b| Dated { field: "birth_date", label: "出生日期", date: b.get_ref().0, span: b.span() }), applied.clone()),
        (applied.clone(), talk),
        (applied.clone(), activist.clone()),
        (activist.clone(), candidate.clone()),
        (candidate.clone(), adm_review.clone()),
        (candidate.clone(), admitted.clone()),
        (adm_review, admitted.clone()),
        (admitted.clone(), approval.clone()),
        (admitted.clone(), prob_app.clone()),
        (prob_app.clone(), prob_review.clone()),
        (prob_app, confirmed.clone()),
        (prob_review, confirmed.clone()),
        (confirmed.clone(), prob_approval.clone()),
    ];
    if let Some(a) = act {
        pairs.push((activist.clone(), dated("activist.filed", "报上级党委备案日期", &a.filed)));
        for r in &a.reviews {
            pairs.push((activist.clone(), Some(Dated { field: "activist.reviews", label: "培养考察", date: r.get_ref().0, span: r.span() })));
        }
        for r in &a.reports {
            pairs.push((activist.clone(), Some(Dated { field: "activist.reports", label: "思想汇报", date: r.get_ref().0, span: r.span() })));
        }
    }
    if let Some(c) = cand {
        pairs.push((candidate.clone(), dated("candidate.filed", "报上级党委备案日期", &c.filed)));
        pairs.push((candidate.clone(), span_from("candidate.publicity.from", "公示开始日期", &c.publicity, false)));
        pairs.push((span_from("candidate.publicity.from", "公示开始日期", &c.publicity, false), span_from("candidate.publicity.to", "公示结束日期", &c.publicity, true)));
        let review = c.political_review.as_ref().and_then(|r| dated("candidate.political_review.date", "政审日期", &r.get_ref().date));
        pairs.push((activist.clone(), review));
        if let Some(t) = &c.training {
            let (from, to) = (dated("candidate.training.from", "培训开始日期", &t.get_ref().from), dated("candidate.training.to", "培训结束日期", &t.get_ref().to));
            pairs.push((from, to));
        }
    }
    if let Some(a) = adm {
        pairs.push((candidate.clone(), dated("admission.pre_review", "上级党委预审日期", &a.pre_review)));
        pairs.push((dated("admission.pre_review", "上级党委预审日期", &a.pre_review), admitted.clone()));
        pairs.push((span_from("admission.publicity.from", "公示开始日期", &a.publicity, false), span_from("admission.publicity.to", "公示结束日期", &a.publicity, true)));
        pairs.push((span_from("admission.publicity.to", "公示结束日期", &a.publicity, true), admitted.clone()));
        pairs.push((dated("admission.form", "填写入党志愿书日期", &a.form), admitted.clone()));
        pairs.push((admitted.clone(), a.talk.as_ref().and_then(|t| dated("admission.talk.date", "谈话日期", &t.get_ref().date))));
        pairs.push((approval.clone(), dated("admission.filed_upward", "报再上一级组织部门备案日期", &a.filed_upward)));
    }
    if let Some(p) = prob {
        pairs.push((approval.clone().or(admitted.clone()), dated("probation.oath", "入党宣誓日期", &p.oath)));
        for r in &p.reviews {
            pairs.push((admitted.clone(), Some(Dated { field: "probation.reviews", label: "预备期考察", date: r.get_ref().0, span: r.span() })));
        }
        pairs.push((span_from("probation.publicity.from", "公示开始日期", &p.publicity, false), span_from("probation.publicity.to", "公示结束日期", &p.publicity, true)));
        pairs.push((span_from("probation.publicity.to", "公示结束日期", &p.publicity, true), confirmed.clone()));
        pairs.push((prob_approval.clone().or(confirmed), dated("probation.archived", "材料归档日期", &p.archived)));
    }
    let mut future: Vec<Dated> = Vec::new();
    for (earlier, later) in pairs {
        let (Some(a), Some(b)) = (earlier, later) else { continue };
        if b.date < a.date {
            out.error(b.span.clone(), b.field, b.label, format!("{}（{}）早于{}（{}）", b.label, cn(b.date), a.label, cn(a.date)),
                format!("这一步应在“{}”之后；核对两处日期，改正写错的一处", a.label));
        }
        for d in [a, b] {
            if d.date > i.today && !future.iter().any(|f| f.span == d.span) {
                future.push(d);
            }
        }
    }
    for d in future {
        out.error(d.span.clone(), d.field, d.label, format!("{}（{}）在今天（{}）之后", d.label, cn(d.date), cn(i.today)),
            "记录只写已经发生的事：核对日期；尚未进行的步骤先不要写");
    }
}

fn on_roster<'a>(i: &'a Inputs, name: &str) -> Option<&'a Member> {
    i.roster.iter().copied().find(|m| m.name.get_ref().trim() == name)
}

/// Names that must be on the roster, and who may be a 培养联系人 or 入党介绍人.
fn people(i: &Inputs, out: &mut Out) {
    let f = i.file;
    let roster_names: Vec<&str> = i.roster.iter().map(|m| m.name.get_ref().trim()).collect();
    let check_roster = |names: &Spanned<Names>, field: &str, label: &'static str, out: &mut Out| -> bool {
        let mut ok = true;
        for name in names.get_ref().iter() {
            if !roster_names.contains(&name) {
                ok = false;
                let hint = crate::diagnostics::did_you_mean(name, roster_names.iter().copied())
                    .map(|c| format!("您是不是要写“{c}”？"))
                    .unwrap_or_default();
                out.error(names.span(), field, label, format!("{label}“{name}”不在党员名册中"), format!("{hint}请核对姓名，或先把此人加入 branch.toml 的 [[members]]"));
            }
        }
        ok
    };
    if let Some(by) = f.application.as_ref().and_then(|a| a.get_ref().talk.as_ref()).and_then(|t| t.get_ref().by.as_ref()) {
        check_roster(by, "application.talk.by", "谈话人", out);
    }
    if let Some(contacts) = f.activist.as_ref().and_then(|a| a.get_ref().contacts.as_ref()) {
        if check_roster(contacts, "activist.contacts", "培养联系人", out) {
            let names: Vec<&str> = contacts.get_ref().iter().collect();
            let not_full: Vec<&str> = names.iter().copied().filter(|n| on_roster(i, n).is_some_and(|m| !m.votes())).collect();
            if names.is_empty() || names.len() > 2 || !not_full.is_empty() {
                let what = if !not_full.is_empty() { format!("{}不是正式党员", not_full.join("、")) } else { format!("写了{}人", names.len()) };
                out.finding(contacts.span(), "activist.contacts", "培养联系人", format!("培养联系人应为1至2名正式党员，{what}{}", article("第九条")),
                    "由支部指定1至2名正式党员作为培养联系人");
            }
        }
    } else if i.facts.stage >= Stage::Activist {
        let span = f.activist.as_ref().map_or(0..0, |a| a.span());
        out.finding(span, "activist.contacts", "培养联系人", format!("没有记录培养联系人{}", article("第九条")), "在 [activist] 中写 contacts = [\"…\"]（1至2名正式党员）");
    }
    let Some(cand) = f.candidate.as_ref().map(|c| c.get_ref()) else { return };
    match &cand.introducers {
        Some(introducers) => {
            if check_roster(introducers, "candidate.introducers", "入党介绍人", out) {
                let names: Vec<&str> = introducers.get_ref().iter().collect();
                let no_vote: Vec<String> = names.iter().filter_map(|n| on_roster(i, n)).filter(|m| !m.votes())
                    .map(|m| format!("{}（{}）", m.name.get_ref().trim(), m.status.chinese())).collect();
                if names.len() != 2 || !no_vote.is_empty() {
                    let what = if no_vote.is_empty() { format!("写了{}人", names.len()) } else { format!("{}没有表决权，不能作入党介绍人", no_vote.join("、")) };
                    out.finding(introducers.span(), "candidate.introducers", "入党介绍人", format!("入党介绍人应为2名有表决权的正式党员，{what}{}", article("第十四条")),
                        "入党介绍人由2名正式党员担任；预备党员和受留党察看处分、尚未恢复党员权利的党员不能作入党介绍人");
                }
            }
        }
        None if i.facts.admitted.is_some() => {
            out.finding(f.candidate.as_ref().map_or(0..0, |c| c.span()), "candidate.introducers", "入党介绍人", format!("没有记录入党介绍人{}", article("第十四条")), "在 [candidate] 中写 introducers = [\"…\", \"…\"]");
        }
        None => {}
    }
}

/// The time limits between steps.
fn time_limits(i: &Inputs, out: &mut Out) {
    let f = i.file;
    let app = f.application.as_ref().map(|a| a.get_ref());
    let applied = app.and_then(|a| a.date.as_ref()).map(|d| (d.get_ref().0, d.span()));
    if let Some((applied, span)) = &applied {
        match &f.birth_date {
            None => out.error(span.clone(), "birth_date", "出生日期", "递交入党申请书须年满十八岁，但记录中没有出生日期".into(), "在文件开头写 birth_date = 1998-04-12（不加引号）"),
            Some(birth) if add_months(birth.get_ref().0, 12 * 18) > *applied => out.finding(span.clone(), "application.date", "递交入党申请书日期",
                format!("递交入党申请书时（{}）未满十八岁（出生日期{}）{}", cn(*applied), cn(birth.get_ref().0), article("第五条")),
                "年满十八岁方可申请入党；核对出生日期和申请日期"),
            Some(_) => {}
        }
        if let Some(talk) = app.and_then(|a| a.talk.as_ref()).and_then(|t| t.get_ref().date.as_ref()) {
            let due = add_months(*applied, 1);
            if talk.get_ref().0 > due {
                out.finding(talk.span(), "application.talk.date", "谈话日期", format!("谈话日期{}晚于递交申请书后一个月（{}）", cn(talk.get_ref().0), cn(due)),
                    "党组织收到入党申请书后，应在一个月内派人同入党申请人谈话");
            }
        }
    }
    let act = f.activist.as_ref().map(|a| a.get_ref());
    let activist = act.and_then(|a| a.date.as_ref()).map(|d| (d.get_ref().0, d.span()));
    if let (Some(months), Some((applied, _)), Some((date, span))) = (i.settings.activist_after_months, &applied, &activist) {
        let earliest = add_months(*applied, months);
        if *date < earliest {
            out.finding(span.clone(), "activist.date", "确定为入党积极分子日期", format!("递交申请书（{}）后不满{months}个月即确定为入党积极分子（本地规定最早{}）", cn(*applied), cn(earliest)),
                "按 branch.toml [rules.\"发展党员\"] activist_after_months 的本地规定办理");
        }
    }
    let candidate = f.candidate.as_ref().and_then(|c| c.get_ref().date.as_ref()).map(|d| (d.get_ref().0, d.span()));
    if let Some((start, _)) = &activist {
        let reviews: Vec<&Spanned<Date>> = act.map(|a| a.reviews.iter().collect()).unwrap_or_default();
        gaps(out, *start, &reviews, candidate.as_ref().map(|c| c.0), 6, "activist.reviews", "培养考察",
            &format!("半年以上没有培养考察{}", article("第十一条")), "党支部每半年对入党积极分子进行一次考察");
        if let Some(months) = i.settings.report_every_months {
            let reports: Vec<&Spanned<Date>> = act.map(|a| a.reports.iter().collect()).unwrap_or_default();
            gaps(out, *start, &reports, candidate.as_ref().map(|c| c.0), months, "activist.reports", "思想汇报",
                &format!("{months}个月以上没有思想汇报（本地规定）"), "按本地规定定期递交思想汇报");
        }
        if let Some((date, span)) = &candidate {
            let earliest = add_months(*start, 12);
            if *date < earliest {
                out.finding(span.clone(), "candidate.date", "确定为发展对象日期",
                    format!("确定为发展对象（{}）时，入党积极分子培养不满一年（{}起，最早{}）{}", cn(*date), cn(*start), cn(earliest), article("第十三条")),
                    "经过一年以上培养教育和考察，方可列为发展对象");
            }
        }
    }
    let Some(cand) = f.candidate.as_ref().map(|c| c.get_ref()) else { return };
    let admitted = i.facts.admitted;
    let meeting_span = f.admission.as_ref().map_or(0..0, |a| {
        let a_ref = a.get_ref();
        a_ref.meeting.as_ref().map(|m| m.span()).or_else(|| a_ref.date.as_ref().map(|d| d.span())).unwrap_or_else(|| a.span())
    });
    if let Some(admitted) = admitted {
        let review = cand.political_review.as_ref().map(|r| r.get_ref());
        let passed = review.and_then(|r| r.result.as_ref()).is_some_and(|r| r.get_ref().trim() == "合格");
        let review_date = review.and_then(|r| r.date.as_ref()).map(|d| d.get_ref().0);
        match review_date {
            Some(date) if passed && date <= admitted => {
                if add_months(date, 12) < admitted {
                    out.finding(cand.political_review.as_ref().map_or(0..0, |r| r.span()), "candidate.political_review.date", "政审日期",
                        format!("政治审查（{}）距支部大会（{}）已超过一年（本地做法）", cn(date), cn(admitted)), "政审结论超过一年的，应重新进行政治审查");
                }
            }
            _ => out.finding(cand.political_review.as_ref().map_or(meeting_span.clone(), |r| r.span()), "candidate.political_review", "政治审查",
                format!("支部大会（{}）之前没有结论为“合格”的政治审查{}", cn(admitted), article("第十六条")), "未经政治审查或政治审查不合格的，不能发展入党；写明 political_review = { date = …, result = \"合格\" }"),
        }
    }
    let training = cand.training.as_ref();
    match training {
        Some(t) => {
            let tr = t.get_ref();
            let days = match (&tr.from, &tr.to) {
                (Some(from), Some(to)) => Some((to.get_ref().0 - from.get_ref().0).num_days() + 1),
                _ => None,
            };
            let hours = tr.hours.as_ref().map(|h| *h.get_ref());
            if days.is_none_or(|d| d < 3) || hours.is_none_or(|h| h < 24) {
                let days = days.map_or("天数未记录".to_string(), |d| format!("{d}天"));
                let hours = hours.map_or("学时未记录".to_string(), |h| format!("{h}学时"));
                out.finding(t.span(), "candidate.training", "集中培训", format!("集中培训{days}、{hours}，不足3天、24学时{}", article("第十七条")),
                    "发展对象须经过集中培训，时间一般不少于3天（或不少于24个学时）；写明 from、to 和 hours");
            }
            if let (Some(admitted), Some(to)) = (admitted, &tr.to) {
                if to.get_ref().0 > admitted {
                    out.finding(to.span(), "candidate.training.to", "培训结束日期", format!("集中培训（至{}）在支部大会（{}）之后{}", cn(to.get_ref().0), cn(admitted), article("第十七条")), "集中培训应在支部大会讨论之前完成");
                }
            }
        }
        None if admitted.is_some() => out.finding(meeting_span.clone(), "candidate.training", "集中培训", format!("支部大会之前没有集中培训记录{}", article("第十七条")), "写明 training = { from = …, to = …, hours = 24 }"),
        None => {}
    }
    let Some(adm) = f.admission.as_ref() else { return };
    let a = adm.get_ref();
    if let Some(admitted) = admitted {
        let approval = a.approval.as_ref().map(|d| (d.get_ref().0, d.span()));
        let talk = a.talk.as_ref().and_then(|t| t.get_ref().date.as_ref()).map(|d| d.get_ref().0);
        if let Some((approved, span)) = &approval {
            match talk {
                None => out.finding(span.clone(), "admission.talk", "上级党委派人谈话", "上级党委审批前没有派人谈话的记录".into(), "上级党委审批前应派人同发展对象谈话；写明 talk = { date = …, by = \"…\" }"),
                Some(t) if t > *approved => out.finding(span.clone(), "admission.talk", "上级党委派人谈话", format!("上级党委派人谈话（{}）在审批（{}）之后", cn(t), cn(*approved)), "谈话应在审批之前"),
                Some(_) => {}
            }
            let (three, six) = (add_months(admitted, 3), add_months(admitted, 6));
            if *approved > six || (*approved > three && a.approval_delay_reason.as_deref().is_none_or(|r| r.trim().is_empty())) {
                out.finding(span.clone(), "admission.approval", "上级党委审批日期",
                    format!("上级党委审批（{}）超过支部大会（{}）后三个月（{}）", cn(*approved), cn(admitted), cn(three)),
                    "上级党委应在三个月内审批；因特殊情况可延长审批时间，但不得超过六个月，须写明 approval_delay_reason = \"…\"");
            }
        }
    }
    let Some(prob) = f.probation.as_ref() else { return };
    let p = prob.get_ref();
    let outcome = p.outcome.as_ref().map(|o| *o.get_ref());
    if let Some(months) = &p.extension_months {
        if outcome != Some(ProbationOutcome::Extended) {
            out.error(months.span(), "probation.extension_months", "延长预备期月数", "只有“延长预备期”才写延长月数".into(), "outcome 不是 \"延长预备期\" 时删去 extension_months");
        } else if !(6..=12).contains(months.get_ref()) {
            out.finding(months.span(), "probation.extension_months", "延长预备期月数", format!("延长预备期{}个月，应不少于半年、不超过一年{}", months.get_ref(), article("第三十二条")), "延长预备期的时间为6至12个月");
        }
    } else if outcome == Some(ProbationOutcome::Extended) {
        out.error(p.outcome.as_ref().map_or(0..0, |o| o.span()), "probation.extension_months", "延长预备期月数", "延长预备期须写明延长几个月".into(), "加一行 extension_months = 6（6至12）");
    }
    if let (Some(probation), Some(held)) = (i.facts.probation, i.facts.confirmation_meeting) {
        if held <= probation.regular_end {
            let span = p.meeting.as_ref().map(|m| m.span()).or_else(|| p.date.as_ref().map(|d| d.span())).unwrap_or_else(|| prob.span());
            out.finding(span, "probation.meeting", "讨论转正的支部党员大会记录",
                format!("讨论转正的支部党员大会（{}）在预备期（{}至{}）满之前{}", cn(held), cn(probation.start), cn(probation.regular_end), article("第三十二条")),
                "预备期满后，党支部才讨论其能否转为正式党员");
        }
    }
}

/// A stretch longer than `months` from `start` through the dates to `until` (or today's stage).
#[allow(clippy::too_many_arguments)]
fn gaps(out: &mut Out, start: NaiveDate, dates: &[&Spanned<Date>], until: Option<NaiveDate>, months: u32, field: &str, label: &'static str, message: &str, help: &str) {
    let mut sorted: Vec<&Spanned<Date>> = dates.to_vec();
    sorted.sort_by_key(|d| d.get_ref().0);
    let mut last = start;
    for d in &sorted {
        if d.get_ref().0 > add_months(last, months) {
            out.finding(d.span(), field, label, format!("{}至{}{message}", cn(last), cn(d.get_ref().0)), help);
        }
        last = last.max(d.get_ref().0);
    }
    if let Some(until) = until {
        if until > add_months(last, months) {
            let span = sorted.last().map_or(0..0, |d| d.span());
            out.finding(span, field, label, format!("{}至{}{message}", cn(last), cn(until)), help);
        }
    }
}

/// The admission and 转正 votes, by the 支部党员大会 rules, from the meeting's own record.
fn votes(i: &Inputs, out: &mut Out) {
    let f = i.file;
    let refs = [
        (&i.meetings.admission, f.admission.as_ref().and_then(|a| a.get_ref().meeting.as_ref()), "admission.meeting", "接收预备党员的支部党员大会记录", "接收预备党员", "第二十一条"),
        (&i.meetings.probation, f.probation.as_ref().and_then(|p| p.get_ref().meeting.as_ref()), "probation.meeting", "讨论转正的支部党员大会记录", "预备党员转正", "第三十三条"),
    ];
    for (facts, reference, field, label, what, number) in refs {
        let (Some(m), Some(reference)) = (facts, reference) else { continue };
        let Some(d) = &m.decision else { continue };
        let span = reference.span();
        match (d.votes, d.passed) {
            (None, _) => out.finding(span, field, label, format!("“{}”中{what}的决议没有记录表决票数", m.file), "在那次会议的决议中写 votes = { yes = …, no = …, abstain = … }"),
            (Some(_), _) if d.quorum.as_ref().is_some_and(|q| !q.holds) => {
                let q = d.quorum.as_ref().expect("checked");
                out.finding(span, field, label, format!("“{}”到会人数不足（须{}，至少{}人，实到{}人），{what}的表决无效{}", m.file, q.rule, q.needed, q.present, article("第二十条")),
                    "人数不足时应另行召开支部党员大会重新表决")
            }
            (Some((yes, _, _)), Some(false)) => out.finding(span, field, label,
                format!("“{}”中{what}的决议未通过：须{}（至少{}票），实得同意{yes}票{}", m.file, d.threshold.rule, d.threshold.needed, article(number)),
                "材料如实记为未通过；如票数录入有误，请改正那次会议的 votes"),
            _ => {}
        }
    }
    // The outcome must be what the 转正 meeting decided.
    let Some(p) = f.probation.as_ref().map(|p| p.get_ref()) else { return };
    let (Some(outcome), Some(d)) = (&p.outcome, i.meetings.probation.as_ref().and_then(|m| m.decision.as_ref())) else { return };
    let said = if d.text.contains("取消") { ProbationOutcome::Cancelled } else if d.text.contains("延长") { ProbationOutcome::Extended } else { ProbationOutcome::OnTime };
    let contradicts = *outcome.get_ref() != said || (said == ProbationOutcome::OnTime && d.passed == Some(false));
    if contradicts {
        out.error(outcome.span(), "probation.outcome", "转正结果", format!("转正结果写的是“{}”，但支部大会的决议是“{}”{}", outcome.get_ref().chinese(), d.text.trim(),
            if d.passed == Some(false) { "（未通过）" } else { "" }), "转正结果照那次会议的决议填写");
    }
}

/// 公示: at least the local minimum of working days, and present before the vote it precedes.
fn publicity(i: &Inputs, out: &mut Out) {
    let f = i.file;
    let stages: [(Option<&Option<Spanned<DateSpan>>>, Range<usize>, &str, &'static str, bool); 3] = [
        (f.candidate.as_ref().map(|c| &c.get_ref().publicity), f.candidate.as_ref().map_or(0..0, |c| c.span()), "candidate.publicity", "发展对象公示", i.facts.admitted.is_some() || i.meetings.admission_review.is_some()),
        (f.admission.as_ref().map(|a| &a.get_ref().publicity), f.admission.as_ref().map_or(0..0, |a| a.span()), "admission.publicity", "拟接收预备党员公示", i.facts.admitted.is_some()),
        (f.probation.as_ref().map(|p| &p.get_ref().publicity), f.probation.as_ref().map_or(0..0, |p| p.span()), "probation.publicity", "拟转正公示", i.facts.confirmation_meeting.is_some()),
    ];
    let min = i.settings.publicity_days;
    for (publicity, table, field, label, needed) in stages {
        match publicity.and_then(|p| p.as_ref()) {
            Some(p) => {
                let (from, to) = (p.get_ref().from.get_ref().0, p.get_ref().to.get_ref().0);
                if to < from {
                    continue; // an order error already
                }
                let days = i.calendar.working_days(from, to);
                if days < min {
                    let uncovered = i.calendar.uncovered(from, to);
                    let note = if uncovered.is_empty() { String::new() } else {
                        format!("（{}年的节假日安排未收录，按周一至周五计算）", uncovered.iter().map(|y| y.to_string()).collect::<Vec<_>>().join("、"))
                    };
                    out.finding(p.span(), field, label, format!("{label}{}至{}只有{days}个工作日，少于{min}个工作日{note}", cn(from), cn(to)),
                        format!("公示期不少于{min}个工作日（branch.toml [rules.\"发展党员\"] publicity_days）"));
                }
            }
            None if needed => out.finding(table, field, label, format!("没有{label}的记录"), format!("写明 publicity = {{ from = …, to = … }}；公示期不少于{min}个工作日")),
            None => {}
        }
    }
}

/// Steps whose due date has passed without them.
fn overdue(i: &Inputs, out: &mut Out) {
    let steps = super::steps(i.file, i.meetings, i.facts, i.settings, i.today);
    let span = i.file.name.span();
    for step in steps {
        if let super::State::Overdue(due) = step.state {
            out.finding(span.clone(), "name", "姓名", format!("{}：“{}”应在{}前完成，至今（{}）没有记录", i.file.name.get_ref().trim(), step.name, cn(due), cn(i.today)),
                format!("尽快办理“{}”，办理后把日期写入记录", step.name));
        }
    }
}
