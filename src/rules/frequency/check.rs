//! The frequency check of one branch's activities: which months, quarters and years lack a
//! meeting the rules ask for, and which planned activities are past their date.

use chrono::{Datelike, NaiveDate};

use super::{enclosing_slot, slots_within, targets, Rule, Rules, SECRETARY_LECTURE_BASIS};
use crate::diagnostics::Diagnostic;
use crate::model::{ActivityStatus, Branch, Date, Every, Kind, LedgerRow};
use crate::period::Period;

/// Frequency findings for one branch's rows.
///
/// The span judged is `span`, or else the calendar quarters the rows' dates fall in. Within it,
/// each month, quarter or year a rule counts in is judged once it has ended on or before
/// `today` (a running quarter is judged month by month up to today). A yearly rule is judged
/// when the span holds the whole year, or the whole quarter of the month the rule plans in
/// (组织生活会: the fourth quarter); a weekly rule judges the weeks whose Thursday is in the span.
/// Only held activities count, each for its own kind, the `form` it was held in and the kinds its
/// rule `counts_as`, except for the kind it was held as when it lacked that kind's quorum (a
/// 支部党员大会 or 支委会 short of more than half); a planned one past its date is a finding of its own. Last of each year comes
/// the check that the 书记 gave a 党课 (see [`secretary_lectures`]).
pub fn check(branch: &Branch, rows: &[LedgerRow], span: Option<Period>, today: NaiveDate) -> Vec<Diagnostic> {
    let rules = Rules::for_branch(branch);
    let groups = branch.file.groups();
    let spans: Vec<Period> = match span {
        Some(span) => vec![span],
        None => {
            let mut quarters: Vec<Period> = rows.iter().map(|r| Period::quarter_of(r.date)).collect();
            quarters.sort_by_key(|q| q.first_day());
            quarters.dedup();
            quarters
        }
    };
    let mut keyed: Vec<(Key, Diagnostic)> = Vec::new();
    for (kind_index, rule) in rules.0.iter().enumerate() {
        let mut slots: Vec<Period> = spans.iter().flat_map(|s| judged_slots(rule, *s)).collect();
        slots.sort_by_key(|s| (s.last_day(), s.first_day()));
        slots.dedup();
        for slot in slots.into_iter().filter(|s| s.has_ended(today)) {
            for (group_index, group) in targets(rule.kind, &groups).into_iter().enumerate() {
                let of_slot: Vec<&LedgerRow> = rows
                    .iter()
                    .filter(|r| rules.counts_for(r.kind, r.form, rule.kind) && slot.contains(r.date))
                    .filter(|r| group.is_none() || r.group.as_deref().map(str::trim) == group.as_deref())
                    .collect();
                // A meeting short of its own quorum was not a valid meeting of that kind.
                let (short, of_slot): (Vec<&LedgerRow>, Vec<&LedgerRow>) = of_slot.into_iter().partition(|r| {
                    r.status == ActivityStatus::Held && r.no_quorum && rules.held_as(r.kind, r.form) == rule.kind
                });
                let held = of_slot.iter().filter(|r| r.status == ActivityStatus::Held).count() as u32;
                if held >= rule.times {
                    continue;
                }
                let planned: Vec<&LedgerRow> =
                    of_slot.into_iter().filter(|r| r.status == ActivityStatus::Planned).collect();
                let finding = missing(branch, rule, slot, group.as_deref(), held, &planned, &short);
                let rank = match rule.every {
                    Every::Week => 0,
                    Every::Month => 1,
                    Every::Quarter => 2,
                    _ => 3,
                };
                keyed.push(((slot.last_day(), rank, kind_index, group_index), finding));
            }
        }
    }
    keyed.extend(secretary_lectures(branch, &rules, rows, &spans, today));
    keyed.sort_by_key(|(key, _)| *key);
    let mut findings: Vec<Diagnostic> = keyed.into_iter().map(|(_, d)| d).collect();

    let mut past: Vec<&LedgerRow> = rows
        .iter()
        .filter(|r| r.status == ActivityStatus::Planned && r.date < today && spans.iter().any(|s| s.contains(r.date)))
        .collect();
    past.sort_by(|a, b| (a.date, &a.input).cmp(&(b.date, &b.input)));
    findings.extend(past.into_iter().map(still_planned));
    let mut ahead: Vec<&LedgerRow> = rows
        .iter()
        .filter(|r| r.status == ActivityStatus::Held && r.date > today && spans.iter().any(|s| s.contains(r.date)))
        .collect();
    ahead.sort_by(|a, b| (a.date, &a.input).cmp(&(b.date, &b.input)));
    findings.extend(ahead.into_iter().map(held_ahead));
    findings
}

/// Held on a day still to come: a slip in the date, or in `status`.
fn held_ahead(row: &LedgerRow) -> Diagnostic {
    let mut diagnostic = Diagnostic::finding(
        &row.input,
        format!(
            "{}的{}“{}”记录为已召开，但日期在今天之后：日期是否写错？",
            Date(row.date).chinese(),
            row.kind.short_name(),
            row.title
        ),
    )
    .with_help("如日期写错了，请改正 date；如会议还没有开，写 status = \"计划\"（会前只写时间、地点、议程等）")
    .with_field("date", "活动日期");
    if let Some((line, column)) = row.date_at {
        diagnostic = diagnostic.with_position(line, column);
    }
    diagnostic
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

type Key = (NaiveDate, u8, usize, usize);

/// The yearly check that the 书记 (the roster's member with role 书记) gave at least
/// `by_secretary` of the year's 党课 (`lecturer`). A year is judged like a yearly rule planned in
/// December: once it has ended, when the span holds its fourth quarter. No 书记 on the roster, or
/// `by_secretary = 0`, and nothing is judged.
fn secretary_lectures(
    branch: &Branch,
    rules: &Rules,
    rows: &[LedgerRow],
    spans: &[Period],
    today: NaiveDate,
) -> Vec<(Key, Diagnostic)> {
    let Some(rule) = rules.get(Kind::Lecture) else { return Vec::new() };
    let (Some(secretary), true) = (branch.file.secretary(), rule.by_secretary > 0) else {
        return Vec::new();
    };
    let mut years: Vec<Period> = spans
        .iter()
        .flat_map(|span| {
            span.years().into_iter().filter(|year| {
                let q4 = Period::Quarter(year.last_day().year(), 4);
                span.first_day() <= q4.first_day() && q4.last_day() <= span.last_day()
            })
        })
        .filter(|year| year.has_ended(today))
        .collect();
    years.sort();
    years.dedup();
    let kind_index = rules.0.iter().position(|r| r.kind == Kind::Lecture).unwrap_or(0);
    let local = branch.file.rules.get(&Kind::Lecture).and_then(|r| r.get_ref().by_secretary.as_ref());
    let mut out = Vec::new();
    for year in years {
        let lectures: Vec<&LedgerRow> = rows
            .iter()
            .filter(|r| r.status == ActivityStatus::Held && year.contains(r.date))
            .filter(|r| rules.counts_for(r.kind, r.form, Kind::Lecture))
            .collect();
        let given = lectures.iter().filter(|r| r.lecturer.as_deref() == Some(secretary)).count() as u32;
        if given >= rule.by_secretary {
            continue;
        }
        let message = if given > 0 {
            format!("{year}书记{secretary}只讲了 {given} 次党课，应至少 {} 次", rule.by_secretary)
        } else if lectures.is_empty() {
            format!("{year}没有书记{secretary}讲党课的记录")
        } else {
            let mut names: Vec<&str> = Vec::new();
            for row in &lectures {
                let name = row.lecturer.as_deref().filter(|l| !l.is_empty()).unwrap_or("（未写主讲人）");
                if !names.contains(&name) {
                    names.push(name);
                }
            }
            format!(
                "{year}没有书记{secretary}讲党课的记录：本年 {} 次党课的主讲人是{}",
                lectures.len(),
                names.join("、")
            )
        };
        let basis = match local {
            Some(_) => format!("branch.toml 中 [rules.\"党课\"] 规定书记每年至少讲{}次党课", rule.by_secretary),
            None => SECRETARY_LECTURE_BASIS.to_string(),
        };
        let tail = match local {
            Some(_) => String::new(),
            None => "；本地另有规定的，可在 branch.toml 的 [rules.\"党课\"] 中写 by_secretary = 0 关闭这项检查，或写每年的次数".to_string(),
        };
        let help = format!(
            "{basis}。如书记已讲过党课，请把那次党课的记录文件一并交给 pdb 处理，并在其中写明 lecturer = \"{secretary}\"{tail}"
        );
        let mut finding = Diagnostic::finding(&branch.source.path, message).with_help(help);
        if let Some(local) = local {
            finding =
                finding.at(&branch.source, local.span()).with_field("rules.党课.by_secretary", "书记每年讲党课次数");
        }
        out.push(((year.last_day(), 4, kind_index, 0), finding));
    }
    out
}

fn missing(
    branch: &Branch,
    rule: &Rule,
    slot: Period,
    group: Option<&str>,
    held: u32,
    planned: &[&LedgerRow],
    short: &[&LedgerRow],
) -> Diagnostic {
    let name = rule.kind.short_name();
    let whose = group.unwrap_or("");
    let message = if !short.is_empty() && held == 0 {
        let listed: Vec<String> =
            short.iter().map(|r| format!("{}的{}", Date(r.date).chinese(), r.kind.short_name())).collect();
        format!("{slot}{whose}没有到会人数符合规定的{name}：{}到会人数不足，不算召开{name}", listed.join("、"))
    } else if !planned.is_empty() && held == 0 {
        // Each planned activity under its own kind: a 组织生活会 may count for the 党员大会.
        let mut by_kind: Vec<(Kind, Vec<String>)> = Vec::new();
        for row in planned {
            match by_kind.iter_mut().find(|(k, _)| *k == row.kind) {
                Some((_, dates)) => dates.push(Date(row.date).chinese()),
                None => by_kind.push((row.kind, vec![Date(row.date).chinese()])),
            }
        }
        let listed: Vec<String> =
            by_kind.iter().map(|(kind, dates)| format!("{}的{}", dates.join("、"), kind.short_name())).collect();
        format!("{slot}{whose}没有已召开的{name}：{}仍是计划状态，计划不算召开", listed.join("、"))
    } else if held == 0 {
        format!("{slot}{whose}没有{name}的记录")
    } else {
        format!("{slot}{whose}只有 {held} 次{name}的记录，应有 {} 次", rule.times)
    };
    let local = branch.file.rules.get(&rule.kind);
    let what = if !short.is_empty() && held == 0 {
        "如出席情况记错了，请改正该活动文件的 [attendance]；如到会人数确实不足，应另行召开".to_string()
    } else if planned.is_empty() {
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
        diagnostic = diagnostic.at(&branch.source, local.span()).with_field(format!("rules.{name}"), "频次规定");
    }
    diagnostic
}

fn still_planned(row: &LedgerRow) -> Diagnostic {
    let kind = row.kind.short_name();
    let mut diagnostic = Diagnostic::finding(
        &row.input,
        format!("{}的{kind}“{}”仍是计划状态，是否已召开？", Date(row.date).chinese(), row.title),
    )
    .with_help("如已召开，请补记出席和内容并改为 status = \"已召开\"；如改期了，请改正 date")
    .with_field("status", "活动状态");
    if let Some((line, column)) = row.status_at {
        diagnostic = diagnostic.with_position(line, column);
    }
    diagnostic
}
