//! The time limits between steps: age, the talk, a year as 积极分子, the half-yearly reviews,
//! 政审, training, approval, the 预备期 and its extension.

use chrono::NaiveDate;
use serde_spanned::Spanned;

use super::{article, cn, Inputs, Out};
use crate::model::applicant::ProbationOutcome;
use crate::model::Date;
use crate::rules::development::{add_months, RULES};

/// The time limits between steps.
pub(super) fn time_limits(i: &Inputs, out: &mut Out) {
    let f = i.file;
    let app = f.application.as_ref().map(|a| a.get_ref());
    let applied = app.and_then(|a| a.date.as_ref()).map(|d| (d.get_ref().0, d.span()));
    if let Some((applied, span)) = &applied {
        match &f.birth_date {
            None => out.error(
                span.clone(),
                "birth_date",
                "出生日期",
                "递交入党申请书须年满十八岁，但记录中没有出生日期".into(),
                "在文件开头写 birth_date = 1998-04-12（不加引号）",
            ),
            Some(birth) if add_months(birth.get_ref().0, 12 * 18) > *applied => out.finding(
                span.clone(),
                "application.date",
                "递交入党申请书日期",
                format!(
                    "递交入党申请书时（{}）未满十八岁（出生日期{}）{}",
                    cn(*applied),
                    cn(birth.get_ref().0),
                    article("第五条")
                ),
                "年满十八岁方可申请入党；核对出生日期和申请日期",
            ),
            Some(_) => {}
        }
        if let Some(talk) = app.and_then(|a| a.talk.as_ref()).and_then(|t| t.get_ref().date.as_ref()) {
            let due = add_months(*applied, 1);
            if talk.get_ref().0 > due {
                out.finding(
                    talk.span(),
                    "application.talk.date",
                    "谈话日期",
                    format!("谈话日期{}晚于递交申请书后一个月（{}）", cn(talk.get_ref().0), cn(due)),
                    "党组织收到入党申请书后，应在一个月内派人同入党申请人谈话",
                );
            }
        }
    }
    let act = f.activist.as_ref().map(|a| a.get_ref());
    let activist = act.and_then(|a| a.date.as_ref()).map(|d| (d.get_ref().0, d.span()));
    if let (Some(months), Some((applied, _)), Some((date, span))) =
        (i.settings.activist_after_months, &applied, &activist)
    {
        let earliest = add_months(*applied, months);
        if *date < earliest {
            out.finding(
                span.clone(),
                "activist.date",
                "确定为入党积极分子日期",
                format!(
                    "递交申请书（{}）后不满{months}个月即确定为入党积极分子（本地规定最早{}）",
                    cn(*applied),
                    cn(earliest)
                ),
                "按 branch.toml [rules.\"发展党员\"] activist_after_months 的本地规定办理",
            );
        }
    }
    let candidate = f.candidate.as_ref().and_then(|c| c.get_ref().date.as_ref()).map(|d| (d.get_ref().0, d.span()));
    if let Some((start, _)) = &activist {
        let reviews: Vec<&Spanned<Date>> = act.map(|a| a.reviews.iter().collect()).unwrap_or_default();
        gaps(
            out,
            *start,
            &reviews,
            candidate.as_ref().map(|c| c.0),
            6,
            "activist.reviews",
            "培养考察",
            &format!("半年以上没有培养考察{}", article("第十一条")),
            "党支部每半年对入党积极分子进行一次考察",
        );
        if let Some(months) = i.settings.report_every_months {
            let reports: Vec<&Spanned<Date>> = act.map(|a| a.reports.iter().collect()).unwrap_or_default();
            gaps(
                out,
                *start,
                &reports,
                candidate.as_ref().map(|c| c.0),
                months,
                "activist.reports",
                "思想汇报",
                &format!("{months}个月以上没有思想汇报（本地规定）"),
                "按本地规定定期递交思想汇报",
            );
        }
        if let Some((date, span)) = &candidate {
            let earliest = add_months(*start, 12);
            if *date < earliest {
                out.finding(
                    span.clone(),
                    "candidate.date",
                    "确定为发展对象日期",
                    format!(
                        "确定为发展对象（{}）时，入党积极分子培养不满一年（{}起，最早{}）{}",
                        cn(*date),
                        cn(*start),
                        cn(earliest),
                        article("第十三条")
                    ),
                    "经过一年以上培养教育和考察，方可列为发展对象",
                );
            }
        }
    }
    let Some(cand) = f.candidate.as_ref().map(|c| c.get_ref()) else { return };
    let admitted = i.facts.admitted;
    let meeting_span = f.admission.as_ref().map_or(0..0, |a| {
        let a_ref = a.get_ref();
        a_ref
            .meeting
            .as_ref()
            .map(|m| m.span())
            .or_else(|| a_ref.date.as_ref().map(|d| d.span()))
            .unwrap_or_else(|| a.span())
    });
    if let Some(admitted) = admitted {
        let review = cand.political_review.as_ref().map(|r| r.get_ref());
        let passed = review.and_then(|r| r.result.as_ref()).is_some_and(|r| r.get_ref().trim() == "合格");
        let review_date = review.and_then(|r| r.date.as_ref()).map(|d| d.get_ref().0);
        match review_date {
            Some(date) if passed && date <= admitted => {
                if add_months(date, 12) < admitted {
                    out.finding(
                        cand.political_review.as_ref().map_or(0..0, |r| r.span()),
                        "candidate.political_review.date",
                        "政审日期",
                        format!("政治审查（{}）距支部大会（{}）已超过一年（本地做法）", cn(date), cn(admitted)),
                        "政审结论超过一年的，应重新进行政治审查",
                    );
                }
            }
            _ => out.finding(
                cand.political_review.as_ref().map_or(meeting_span.clone(), |r| r.span()),
                "candidate.political_review",
                "政治审查",
                format!("支部大会（{}）之前没有结论为“合格”的政治审查{}", cn(admitted), article("第十六条")),
                "未经政治审查或政治审查不合格的，不能发展入党；写明 political_review = { date = …, result = \"合格\" }",
            ),
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
                out.finding(
                    t.span(),
                    "candidate.training",
                    "集中培训",
                    format!("集中培训{days}、{hours}，不足3天、24学时{}", article("第十七条")),
                    "发展对象须经过集中培训，时间一般不少于3天（或不少于24个学时）；写明 from、to 和 hours",
                );
            }
            if let (Some(admitted), Some(to)) = (admitted, &tr.to) {
                if to.get_ref().0 > admitted {
                    out.finding(
                        to.span(),
                        "candidate.training.to",
                        "培训结束日期",
                        format!(
                            "集中培训（至{}）在支部大会（{}）之后{}",
                            cn(to.get_ref().0),
                            cn(admitted),
                            article("第十七条")
                        ),
                        "集中培训应在支部大会讨论之前完成",
                    );
                }
            }
        }
        None if admitted.is_some() => out.finding(
            meeting_span.clone(),
            "candidate.training",
            "集中培训",
            format!("支部大会之前没有集中培训记录{}", article("第十七条")),
            "写明 training = { from = …, to = …, hours = 24 }",
        ),
        None => {}
    }
    let Some(adm) = f.admission.as_ref() else { return };
    let a = adm.get_ref();
    if let Some(admitted) = admitted {
        let approval = a.approval.as_ref().map(|d| (d.get_ref().0, d.span()));
        let talk = a.talk.as_ref().and_then(|t| t.get_ref().date.as_ref()).map(|d| d.get_ref().0);
        if let Some((approved, span)) = &approval {
            match talk {
                None => out.finding(
                    span.clone(),
                    "admission.talk",
                    "上级党委派人谈话",
                    "上级党委审批前没有派人谈话的记录".into(),
                    "上级党委审批前应派人同发展对象谈话；写明 talk = { date = …, by = \"…\" }",
                ),
                Some(t) if t > *approved => out.finding(
                    span.clone(),
                    "admission.talk",
                    "上级党委派人谈话",
                    format!("上级党委派人谈话（{}）在审批（{}）之后", cn(t), cn(*approved)),
                    "谈话应在审批之前",
                ),
                Some(_) => {}
            }
            let (three, six) = (add_months(admitted, 3), add_months(admitted, 6));
            if *approved > six
                || (*approved > three && a.approval_delay_reason.as_deref().is_none_or(|r| r.trim().is_empty()))
            {
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
            out.error(
                months.span(),
                "probation.extension_months",
                "延长预备期月数",
                "只有“延长预备期”才写延长月数".into(),
                "outcome 不是 \"延长预备期\" 时删去 extension_months",
            );
        } else if *months.get_ref() > 12 {
            // One extension of at most a year: more is a second extension or one too long, a
            // rule broken (development.md's findings), not a record contradicting itself.
            out.finding(
                months.span(),
                "probation.extension_months",
                "延长预备期月数",
                format!(
                    "延长预备期{}个月，超过一年：预备期只能延长一次，最长不超过一年（《中国共产党章程》第七条，{RULES}第三十二条）",
                    months.get_ref()
                ),
                "extension_months 写这一次延长的月数（6至12）；如确已延长超过一年或第二次延长，不符合规定，请报上级党组织，\
                 按规定讨论转为正式党员或取消预备党员资格",
            );
        } else if *months.get_ref() < 6 {
            out.finding(
                months.span(),
                "probation.extension_months",
                "延长预备期月数",
                format!("延长预备期{}个月，应不少于半年、不超过一年{}", months.get_ref(), article("第三十二条")),
                "延长预备期的时间为6至12个月",
            );
        }
    } else if outcome == Some(ProbationOutcome::Extended) {
        out.error(
            p.outcome.as_ref().map_or(0..0, |o| o.span()),
            "probation.extension_months",
            "延长预备期月数",
            "延长预备期须写明延长几个月".into(),
            "加一行 extension_months = 6（6至12）",
        );
    }
    if let (Some(probation), Some(held)) = (i.facts.probation, i.facts.confirmation_meeting) {
        if held <= probation.regular_end {
            let span = p
                .meeting
                .as_ref()
                .map(|m| m.span())
                .or_else(|| p.date.as_ref().map(|d| d.span()))
                .unwrap_or_else(|| prob.span());
            out.finding(
                span,
                "probation.meeting",
                "讨论转正的支部党员大会记录",
                format!(
                    "讨论转正的支部党员大会（{}）在预备期（{}至{}）满之前{}",
                    cn(held),
                    cn(probation.start),
                    cn(probation.regular_end),
                    article("第三十二条")
                ),
                "预备期满后，党支部才讨论其能否转为正式党员",
            );
        }
    }
}

/// A stretch longer than `months` from `start` through the dates to `until` (or today's stage).
#[allow(clippy::too_many_arguments)]
fn gaps(
    out: &mut Out,
    start: NaiveDate,
    dates: &[&Spanned<Date>],
    until: Option<NaiveDate>,
    months: u32,
    field: &str,
    label: &'static str,
    message: &str,
    help: &str,
) {
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
