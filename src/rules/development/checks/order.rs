//! Steps out of order and dates in the future: errors, each at the later step.

use std::ops::Range;

use chrono::NaiveDate;
use serde_spanned::Spanned;

use super::{cn, Inputs, Out};
use crate::model::applicant::DateSpan;
use crate::model::Date;
use crate::rules::development::MeetingFacts;

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
fn meeting(
    field: &'static str,
    label: &'static str,
    m: &Option<MeetingFacts>,
    r: &Option<Spanned<String>>,
) -> Option<Dated> {
    Some(Dated { field, label, date: m.as_ref()?.date, span: r.as_ref()?.span() })
}

/// Every dated step, in the order of the 细则, with what it must not precede.
pub(super) fn order(i: &Inputs, out: &mut Out) {
    let f = i.file;
    let m = i.meetings;
    let app = f.application.as_ref().map(|a| a.get_ref());
    let act = f.activist.as_ref().map(|a| a.get_ref());
    let cand = f.candidate.as_ref().map(|c| c.get_ref());
    let adm = f.admission.as_ref().map(|a| a.get_ref());
    let prob = f.probation.as_ref().map(|p| p.get_ref());
    let applied = app.and_then(|a| dated("application.date", "递交入党申请书日期", &a.date));
    let talk =
        app.and_then(|a| a.talk.as_ref()).and_then(|t| dated("application.talk.date", "谈话日期", &t.get_ref().date));
    let activist = act.and_then(|a| dated("activist.date", "确定为入党积极分子日期", &a.date));
    let candidate = cand.and_then(|c| dated("candidate.date", "确定为发展对象日期", &c.date));
    let adm_review = adm.and_then(|a| {
        meeting("admission.committee_review", "支委会审查记录", &m.admission_review, &a.committee_review)
    });
    let admitted = adm.and_then(|a| {
        meeting("admission.meeting", "接收预备党员的支部党员大会记录", &m.admission, &a.meeting)
            .or_else(|| dated("admission.date", "接收预备党员的支部党员大会日期", &a.date))
    });
    let approval = adm.and_then(|a| dated("admission.approval", "上级党委审批日期", &a.approval));
    let prob_app = prob.and_then(|p| dated("probation.application", "转正申请日期", &p.application));
    let prob_review = prob.and_then(|p| {
        meeting("probation.committee_review", "转正的支委会审查记录", &m.probation_review, &p.committee_review)
    });
    let confirmed = prob.and_then(|p| {
        meeting("probation.meeting", "讨论转正的支部党员大会记录", &m.probation, &p.meeting)
            .or_else(|| dated("probation.date", "讨论转正的支部党员大会日期", &p.date))
    });
    let prob_approval = prob.and_then(|p| dated("probation.approval", "转正审批日期", &p.approval));
    // (earlier, later): `later` must not come before `earlier`.
    let mut pairs: Vec<(Option<Dated>, Option<Dated>)> = vec![
        (
            f.birth_date.as_ref().map(|b| Dated {
                field: "birth_date",
                label: "出生日期",
                date: b.get_ref().0,
                span: b.span(),
            }),
            applied.clone(),
        ),
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
            pairs.push((
                activist.clone(),
                Some(Dated { field: "activist.reviews", label: "培养考察", date: r.get_ref().0, span: r.span() }),
            ));
        }
        for r in &a.reports {
            pairs.push((
                activist.clone(),
                Some(Dated { field: "activist.reports", label: "思想汇报", date: r.get_ref().0, span: r.span() }),
            ));
        }
    }
    if let Some(c) = cand {
        pairs.push((candidate.clone(), dated("candidate.filed", "报上级党委备案日期", &c.filed)));
        pairs.push((candidate.clone(), span_from("candidate.publicity.from", "公示开始日期", &c.publicity, false)));
        pairs.push((
            span_from("candidate.publicity.from", "公示开始日期", &c.publicity, false),
            span_from("candidate.publicity.to", "公示结束日期", &c.publicity, true),
        ));
        let review = c
            .political_review
            .as_ref()
            .and_then(|r| dated("candidate.political_review.date", "政审日期", &r.get_ref().date));
        pairs.push((activist.clone(), review));
        if let Some(t) = &c.training {
            let (from, to) = (
                dated("candidate.training.from", "培训开始日期", &t.get_ref().from),
                dated("candidate.training.to", "培训结束日期", &t.get_ref().to),
            );
            pairs.push((from, to));
        }
    }
    if let Some(a) = adm {
        pairs.push((candidate.clone(), dated("admission.pre_review", "上级党委预审日期", &a.pre_review)));
        pairs.push((dated("admission.pre_review", "上级党委预审日期", &a.pre_review), admitted.clone()));
        pairs.push((
            span_from("admission.publicity.from", "公示开始日期", &a.publicity, false),
            span_from("admission.publicity.to", "公示结束日期", &a.publicity, true),
        ));
        pairs.push((span_from("admission.publicity.to", "公示结束日期", &a.publicity, true), admitted.clone()));
        pairs.push((dated("admission.form", "填写入党志愿书日期", &a.form), admitted.clone()));
        pairs.push((
            admitted.clone(),
            a.talk.as_ref().and_then(|t| dated("admission.talk.date", "谈话日期", &t.get_ref().date)),
        ));
        pairs.push((approval.clone(), dated("admission.filed_upward", "报再上一级组织部门备案日期", &a.filed_upward)));
    }
    if let Some(p) = prob {
        pairs.push((approval.clone().or(admitted.clone()), dated("probation.oath", "入党宣誓日期", &p.oath)));
        for r in &p.reviews {
            pairs.push((
                admitted.clone(),
                Some(Dated {
                    field: "probation.reviews", label: "预备期考察", date: r.get_ref().0, span: r.span()
                }),
            ));
        }
        pairs.push((
            span_from("probation.publicity.from", "公示开始日期", &p.publicity, false),
            span_from("probation.publicity.to", "公示结束日期", &p.publicity, true),
        ));
        pairs.push((span_from("probation.publicity.to", "公示结束日期", &p.publicity, true), confirmed.clone()));
        pairs.push((prob_approval.clone().or(confirmed), dated("probation.archived", "材料归档日期", &p.archived)));
    }
    let mut future: Vec<Dated> = Vec::new();
    for (earlier, later) in pairs {
        let (Some(a), Some(b)) = (earlier, later) else { continue };
        if b.date < a.date {
            out.error(
                b.span.clone(),
                b.field,
                b.label,
                format!("{}（{}）早于{}（{}）", b.label, cn(b.date), a.label, cn(a.date)),
                format!("这一步应在“{}”之后；核对两处日期，改正写错的一处", a.label),
            );
        }
        for d in [a, b] {
            if d.date > i.today && !future.iter().any(|f| f.span == d.span) {
                future.push(d);
            }
        }
    }
    for d in future {
        out.error(
            d.span.clone(),
            d.field,
            d.label,
            format!("{}（{}）在今天（{}）之后", d.label, cn(d.date), cn(i.today)),
            "记录只写已经发生的事：核对日期；尚未进行的步骤先不要写",
        );
    }
}
