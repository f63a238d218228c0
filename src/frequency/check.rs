//! The frequency check of one branch's activities: which months, quarters and years lack a
//! meeting the rules ask for, and which planned activities are past their date.

use chrono::NaiveDate;

use super::{enclosing_slot, groups, slots_within, targets, Rule, Rules};
use crate::diagnostics::Diagnostic;
use crate::ledger::LedgerRow;
use crate::load::Branch;
use crate::model::{ActivityStatus, Date, Every};
use crate::period::Period;

/// Frequency findings for one branch's rows.
///
/// The span judged is `span`, or else the calendar quarters the rows' dates fall in. Within it,
/// each month, quarter or year a rule counts in is judged once it has ended on or before
/// `today` (a running quarter is judged month by month up to today). A yearly rule is judged
/// when the span holds the whole year, or the whole quarter of the month the rule plans in
/// (组织生活会: the fourth quarter). Only held activities count; a planned one past its date is
/// a finding of its own.
pub fn check(branch: &Branch, rows: &[LedgerRow], span: Option<Period>, today: NaiveDate) -> Vec<Diagnostic> {
    let rules = Rules::for_branch(branch);
    let groups = groups(branch);
    let spans: Vec<Period> = match span {
        Some(span) => vec![span],
        None => {
            let mut quarters: Vec<Period> = rows.iter().map(|r| Period::quarter_of(r.date)).collect();
            quarters.sort_by_key(|q| q.first_day());
            quarters.dedup();
            quarters
        }
    };
    let mut keyed: Vec<((NaiveDate, u8, usize, usize), Diagnostic)> = Vec::new();
    for (kind_index, rule) in rules.0.iter().enumerate() {
        let mut slots: Vec<Period> = spans.iter().flat_map(|s| judged_slots(rule, *s)).collect();
        slots.sort_by_key(|s| (s.last_day(), s.first_day()));
        slots.dedup();
        for slot in slots.into_iter().filter(|s| s.has_ended(today)) {
            for (group_index, group) in targets(rule.kind, &groups).into_iter().enumerate() {
                let of_slot: Vec<&LedgerRow> = rows
                    .iter()
                    .filter(|r| r.kind == rule.kind && slot.contains(r.date))
                    .filter(|r| group.is_none() || r.group.as_deref().map(str::trim) == group.as_deref())
                    .collect();
                let held = of_slot.iter().filter(|r| r.status == ActivityStatus::Held).count() as u32;
                if held >= rule.times {
                    continue;
                }
                let planned: Vec<&LedgerRow> = of_slot
                    .into_iter()
                    .filter(|r| r.status == ActivityStatus::Planned)
                    .collect();
                let finding = missing(branch, rule, slot, group.as_deref(), held, &planned);
                let rank = match rule.every {
                    Every::Month => 0,
                    Every::Quarter => 1,
                    _ => 2,
                };
                keyed.push(((slot.last_day(), rank, kind_index, group_index), finding));
            }
        }
    }
    keyed.sort_by_key(|(key, _)| *key);
    let mut findings: Vec<Diagnostic> = keyed.into_iter().map(|(_, d)| d).collect();

    let mut past: Vec<&LedgerRow> = rows
        .iter()
        .filter(|r| r.status == ActivityStatus::Planned && r.date < today && spans.iter().any(|s| s.contains(r.date)))
        .collect();
    past.sort_by(|a, b| (a.date, &a.input).cmp(&(b.date, &b.input)));
    findings.extend(past.into_iter().map(still_planned));
    findings
}

/// The slots of `rule` judged for `span`: those wholly inside it, and a longer slot (a year)
/// when the span holds the whole quarter of a month the rule plans that slot's meetings in.
fn judged_slots(rule: &Rule, span: Period) -> Vec<Period> {
    let mut slots = slots_within(rule.every, span);
    if let Some(slot) = enclosing_slot(rule.every, span) {
        let covers_plan = rule.planned_dates(slot).iter().any(|d| {
            let quarter = Period::quarter_of(*d);
            span.first_day() <= quarter.first_day() && quarter.last_day() <= span.last_day()
        });
        if covers_plan {
            slots.push(slot);
        }
    }
    slots
}

fn missing(
    branch: &Branch,
    rule: &Rule,
    slot: Period,
    group: Option<&str>,
    held: u32,
    planned: &[&LedgerRow],
) -> Diagnostic {
    let name = rule.kind.short_name();
    let whose = group.unwrap_or("");
    let message = if !planned.is_empty() && held == 0 {
        let dates: Vec<String> = planned.iter().map(|r| Date(r.date).chinese()).collect();
        format!(
            "{slot}{whose}没有已召开的{name}：{}的{name}仍是计划状态，计划不算召开",
            dates.join("、")
        )
    } else if held == 0 {
        format!("{slot}{whose}没有{name}的记录")
    } else {
        format!("{slot}{whose}只有 {held} 次{name}的记录，应有 {} 次", rule.times)
    };
    let local = branch.file.rules.get(&rule.kind);
    let what = if planned.is_empty() {
        "如已召开，请把它的记录文件一并交给 pdb 处理（例如处理整个文件夹）；如确未召开，请按规定安排".to_string()
    } else {
        "如已召开，请在该活动文件中补记出席和内容，并改为 status = \"已召开\"".to_string()
    };
    let tail = match local {
        Some(_) => String::new(),
        None => format!("；本地另有规定的，可在 branch.toml 中写 [rules.\"{name}\"] 修改或关闭这项检查"),
    };
    let help = format!("{}。{what}{tail}", rule.basis(local.is_some()));
    let mut diagnostic = Diagnostic::finding(&branch.source.path, message).with_help(help);
    if let Some(local) = local {
        diagnostic = diagnostic
            .at(&branch.source, local.span())
            .with_field(format!("rules.{name}"), "频次规定");
    }
    diagnostic
}

fn still_planned(row: &LedgerRow) -> Diagnostic {
    let kind = row.kind.short_name();
    let mut diagnostic = Diagnostic::finding(
        &row.input,
        format!(
            "{}的{kind}“{}”仍是计划状态，是否已召开？",
            Date(row.date).chinese(),
            row.title
        ),
    )
    .with_help("如已召开，请补记出席和内容并改为 status = \"已召开\"；如改期了，请改正 date")
    .with_field("status", "活动状态");
    if let Some((line, column)) = row.status_at {
        diagnostic = diagnostic.with_position(line, column);
    }
    diagnostic
}
