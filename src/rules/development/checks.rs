//! The errors and findings of shared/spec/development.md, each at the field it is about and
//! citing its rule: pure functions over an applicant record, its branch's roster and the facts
//! of the meetings it names.

use std::ops::Range;

use chrono::NaiveDate;
use serde_spanned::Spanned;

mod limits;
mod order;

use limits::time_limits;
use order::order;

use super::{Facts, MeetingFacts, Meetings, Settings, Stage, RULES};
use crate::diagnostics::Severity;
use crate::model::applicant::{ApplicantFile, DateSpan, Names, ProbationOutcome};
use crate::model::{Date, DecisionKind, Kind, Member, VoteMethod};
use crate::rules::calendar::Calendar;
use crate::rules::{Verdict, SOURCE_ADMISSION_BALLOT};

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

pub(super) struct Out(Vec<Issue>);

impl Out {
    fn push(
        &mut self,
        severity: Severity,
        span: Range<usize>,
        field: &str,
        label: &'static str,
        message: String,
        help: impl Into<String>,
    ) {
        self.0.push(Issue { severity, span, field: field.to_string(), label, message, help: help.into() });
    }
    fn error(
        &mut self,
        span: Range<usize>,
        field: &str,
        label: &'static str,
        message: String,
        help: impl Into<String>,
    ) {
        self.push(Severity::Error, span, field, label, message, help);
    }
    fn finding(
        &mut self,
        span: Range<usize>,
        field: &str,
        label: &'static str,
        message: String,
        help: impl Into<String>,
    ) {
        self.push(Severity::Finding, span, field, label, message, help);
    }
}

/// `（《中国共产党发展党员工作细则》第十三条）`
pub(super) fn article(number: &str) -> String {
    format!("（{RULES}{number}）")
}

pub(super) fn cn(date: NaiveDate) -> String {
    Date(date).chinese()
}

/// Checks a resolved meeting reference: of the right kind, on the step's date when the step
/// has one, holding a decision of the right kind about this applicant.
#[allow(clippy::too_many_arguments)]
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
        out.error(
            span.clone(),
            field,
            label,
            format!("“{file}”是{}的记录，这一步应由{}决定", facts.kind.short_name(), kind.short_name()),
            format!("改为那次{}的记录文件", kind.short_name()),
        );
        return out.0;
    }
    if !facts.held {
        out.error(
            span.clone(),
            field,
            label,
            format!("“{file}”还是“计划”，会议尚未召开"),
            "会议开过后把它的 status 改为 \"已召开\"；会前不要在发展党员记录中引用它",
        );
    }
    if let Some(step) = step_date.filter(|d| *d != facts.date) {
        out.error(
            span.clone(),
            field,
            label,
            format!("“{file}”的会议日期是{}，与本步骤的日期{}不一致", cn(facts.date), cn(step)),
            "核对日期：本步骤的日期应是那次会议的日期；引用的会议记录错了就改 meeting",
        );
    }
    match &facts.decision {
        Some(d) if d.kind == decision => {}
        Some(d) => out.error(
            span,
            field,
            label,
            format!("“{file}”中关于{name}的决议类型是“{}”，应为“{}”", d.kind.chinese(), decision.chinese()),
            format!("在那次会议的决议中写 kind = \"{}\"", decision.slug()),
        ),
        None => out.error(
            span,
            field,
            label,
            format!("“{file}”中没有关于{name}的决议（decisions 中没有 applicant = \"{name}\"）"),
            format!("在那次会议记录的相应决议中加一行 applicant = \"{name}\"，kind = \"{}\"", decision.slug()),
        ),
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
                out.error(
                    names.span(),
                    field,
                    label,
                    format!("{label}“{name}”不在党员名册中"),
                    format!("{hint}请核对姓名，或先把此人加入 branch.toml 的 [[members]]"),
                );
            }
        }
        ok
    };
    if let Some(by) =
        f.application.as_ref().and_then(|a| a.get_ref().talk.as_ref()).and_then(|t| t.get_ref().by.as_ref())
    {
        check_roster(by, "application.talk.by", "谈话人", out);
    }
    if let Some(contacts) = f.activist.as_ref().and_then(|a| a.get_ref().contacts.as_ref()) {
        if check_roster(contacts, "activist.contacts", "培养联系人", out) {
            let names: Vec<&str> = contacts.get_ref().iter().collect();
            let not_full: Vec<&str> =
                names.iter().copied().filter(|n| on_roster(i, n).is_some_and(|m| !m.votes())).collect();
            if names.is_empty() || names.len() > 2 || !not_full.is_empty() {
                let what = if !not_full.is_empty() {
                    format!("{}不是正式党员", not_full.join("、"))
                } else {
                    format!("写了{}人", names.len())
                };
                out.finding(
                    contacts.span(),
                    "activist.contacts",
                    "培养联系人",
                    format!("培养联系人应为1至2名正式党员，{what}{}", article("第九条")),
                    "由支部指定1至2名正式党员作为培养联系人",
                );
            }
        }
    } else if i.facts.stage >= Stage::Activist {
        let span = f.activist.as_ref().map_or(0..0, |a| a.span());
        out.finding(
            span,
            "activist.contacts",
            "培养联系人",
            format!("没有记录培养联系人{}", article("第九条")),
            "在 [activist] 中写 contacts = [\"…\"]（1至2名正式党员）",
        );
    }
    let Some(cand) = f.candidate.as_ref().map(|c| c.get_ref()) else { return };
    match &cand.introducers {
        Some(introducers) if check_roster(introducers, "candidate.introducers", "入党介绍人", out) => {
            let names: Vec<&str> = introducers.get_ref().iter().collect();
            let no_vote: Vec<String> = names
                .iter()
                .filter_map(|n| on_roster(i, n))
                .filter(|m| !m.votes())
                .map(|m| format!("{}（{}）", m.name.get_ref().trim(), m.status.chinese()))
                .collect();
            if names.len() != 2 || !no_vote.is_empty() {
                let what = if no_vote.is_empty() {
                    format!("写了{}人", names.len())
                } else {
                    format!("{}没有表决权，不能作入党介绍人", no_vote.join("、"))
                };
                out.finding(
                    introducers.span(),
                    "candidate.introducers",
                    "入党介绍人",
                    format!("入党介绍人应为2名有表决权的正式党员，{what}{}", article("第十四条")),
                    "入党介绍人由2名正式党员担任；预备党员和受留党察看处分、尚未恢复党员权利的党员不能作入党介绍人",
                );
            }
        }
        None if i.facts.admitted.is_some() => {
            out.finding(
                f.candidate.as_ref().map_or(0..0, |c| c.span()),
                "candidate.introducers",
                "入党介绍人",
                format!("没有记录入党介绍人{}", article("第十四条")),
                "在 [candidate] 中写 introducers = [\"…\", \"…\"]",
            );
        }
        _ => {}
    }
}

/// The admission and 转正 votes, by the 支部党员大会 rules, from the meeting's own record.
fn votes(i: &Inputs, out: &mut Out) {
    let f = i.file;
    let refs = [
        (
            &i.meetings.admission,
            f.admission.as_ref().and_then(|a| a.get_ref().meeting.as_ref()),
            "admission.meeting",
            "接收预备党员的支部党员大会记录",
            "接收预备党员",
            "第二十一条",
        ),
        (
            &i.meetings.probation,
            f.probation.as_ref().and_then(|p| p.get_ref().meeting.as_ref()),
            "probation.meeting",
            "讨论转正的支部党员大会记录",
            "预备党员转正",
            "第三十三条",
        ),
    ];
    for (facts, reference, field, label, what, number) in refs {
        let (Some(m), Some(reference)) = (facts, reference) else { continue };
        let Some(d) = &m.decision else { continue };
        let span = reference.span();
        match (d.votes, d.verdict) {
            (None, _) => out.finding(
                span.clone(),
                field,
                label,
                format!("“{}”中{what}的决议没有记录表决票数", m.file),
                "在那次会议的决议中写 votes = { yes = …, no = …, abstain = … }",
            ),
            (Some(_), None) => out.finding(
                span.clone(),
                field,
                label,
                format!("“{}”没有记录到会人员，{what}的表决是否有效、是否通过无法判断", m.file),
                "在那次会议的记录中写明缺席人员（absent）或实到人员（present）",
            ),
            (Some(_), Some(Verdict::NoQuorum)) => {
                let q = d.quorum.as_ref().expect("a vote without its quorum has one");
                out.finding(
                    span.clone(),
                    field,
                    label,
                    format!(
                        "“{}”到会人数不足（须{}，至少{}人，实到{}人），{what}的表决无效{}",
                        m.file,
                        q.rule,
                        q.needed,
                        q.present,
                        article("第二十条")
                    ),
                    "人数不足时应另行召开支部党员大会重新表决",
                )
            }
            (Some((yes, _, _)), Some(Verdict::Failed)) => out.finding(
                span.clone(),
                field,
                label,
                format!(
                    "“{}”中{what}的决议未通过：须{}（至少{}票），实得同意{yes}票{}",
                    m.file,
                    d.threshold.rule,
                    d.threshold.needed,
                    article(number)
                ),
                "材料如实记为未通过；如票数录入有误，请改正那次会议的 votes",
            ),
            (Some(_), Some(Verdict::Passed)) => {}
        }
        // The rule the meeting's own record is judged by (record/votes.rs): 接收 by secret ballot.
        if d.kind == DecisionKind::Admission && d.method != VoteMethod::SecretBallot {
            out.finding(
                span.clone(),
                field,
                label,
                format!(
                    "“{}”中{what}的决议{}，应采取无记名投票方式表决（{SOURCE_ADMISSION_BALLOT}）",
                    m.file,
                    if d.method_written { "是举手表决的" } else { "没有写表决方式（method），按举手表决计" },
                ),
                "如当时实为无记名投票，在那次会议的决议中写 method = \"无记名投票\"（并写监票人 tellers、计票人 counters）；\
                 如确为举手表决，材料如实保留，报上级党组织，按规定以无记名投票重新表决",
            );
        }
    }
    // The outcome must be what the 转正 meeting decided.
    let Some(p) = f.probation.as_ref().map(|p| p.get_ref()) else { return };
    let (Some(outcome), Some(d)) = (&p.outcome, i.meetings.probation.as_ref().and_then(|m| m.decision.as_ref())) else {
        return;
    };
    let said = if d.text.contains("取消") {
        ProbationOutcome::Cancelled
    } else if d.text.contains("延长") {
        ProbationOutcome::Extended
    } else {
        ProbationOutcome::OnTime
    };
    if said == ProbationOutcome::Extended && SECOND_EXTENSION.iter().any(|w| d.text.contains(w)) {
        let span = p.meeting.as_ref().map_or_else(|| outcome.span(), |m| m.span());
        out.finding(
            span,
            "probation.meeting",
            "讨论转正的支部党员大会记录",
            format!("支部大会的决议是“{}”：预备期只能延长一次{}", d.text.trim(), article("第三十二条")),
            "第二次延长预备期不符合规定：请报上级党组织，按规定讨论转为正式党员或取消预备党员资格；\
             如决议写错了，请改正那次会议记录中的决议",
        );
    }
    let contradicts = *outcome.get_ref() != said || (said == ProbationOutcome::OnTime && d.failed());
    if contradicts {
        out.error(
            outcome.span(),
            "probation.outcome",
            "转正结果",
            format!(
                "转正结果写的是“{}”，但支部大会的决议是“{}”{}",
                outcome.get_ref().chinese(),
                d.text.trim(),
                if d.failed() { "（未通过）" } else { "" }
            ),
            "转正结果照那次会议的决议填写",
        );
    }
}

/// How a 转正 meeting's decision says the 预备期 is extended a second time. Not 继续延长 or 再延长:
/// a first extension's text may say 继续 (its 预备期 goes on), and 不再延长 says the opposite.
const SECOND_EXTENSION: [&str; 3] = ["再次延长", "第二次延长", "又延长"];

/// 公示: at least the local minimum of working days, and present before the vote it precedes.
fn publicity(i: &Inputs, out: &mut Out) {
    let f = i.file;
    // The 公示, the table it belongs in, its field and label, and whether the vote after it happened.
    type Stage<'a> = (Option<&'a Option<Spanned<DateSpan>>>, Range<usize>, &'static str, &'static str, bool);
    let stages: [Stage; 3] = [
        (
            f.candidate.as_ref().map(|c| &c.get_ref().publicity),
            f.candidate.as_ref().map_or(0..0, |c| c.span()),
            "candidate.publicity",
            "发展对象公示",
            i.facts.admitted.is_some() || i.meetings.admission_review.is_some(),
        ),
        (
            f.admission.as_ref().map(|a| &a.get_ref().publicity),
            f.admission.as_ref().map_or(0..0, |a| a.span()),
            "admission.publicity",
            "拟接收预备党员公示",
            i.facts.admitted.is_some(),
        ),
        (
            f.probation.as_ref().map(|p| &p.get_ref().publicity),
            f.probation.as_ref().map_or(0..0, |p| p.span()),
            "probation.publicity",
            "拟转正公示",
            i.facts.confirmation_meeting.is_some(),
        ),
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
                    let note = if uncovered.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "（{}年的节假日安排未收录，按周一至周五计算）",
                            uncovered.iter().map(|y| y.to_string()).collect::<Vec<_>>().join("、")
                        )
                    };
                    out.finding(
                        p.span(),
                        field,
                        label,
                        format!("{label}{}至{}只有{days}个工作日，少于{min}个工作日{note}", cn(from), cn(to)),
                        format!("公示期不少于{min}个工作日（branch.toml [rules.\"发展党员\"] publicity_days）"),
                    );
                }
            }
            None if needed => out.finding(
                table,
                field,
                label,
                format!("没有{label}的记录"),
                format!("写明 publicity = {{ from = …, to = … }}；公示期不少于{min}个工作日"),
            ),
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
            out.finding(
                span.clone(),
                "name",
                "姓名",
                format!(
                    "{}：“{}”应在{}前完成，至今（{}）没有记录",
                    i.file.name.get_ref().trim(),
                    step.name,
                    cn(due),
                    cn(i.today)
                ),
                format!("尽快办理“{}”，办理后把日期写入记录", step.name),
            );
        }
    }
}
