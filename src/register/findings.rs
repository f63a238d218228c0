//! What the register shows about members: a member who has attended nothing for six consecutive
//! months (党章第三十八条), an early notice at three, and a member absent from every 支部党员大会
//! of a year. pdb states the facts (the months, the leave and its reasons) and never decides
//! 自行脱党: whether a reason was proper is the branch's to judge. Unknown attendance is
//! neither: a month whose only record is unknown breaks a run.

use chrono::{Datelike, NaiveDate};

use crate::diagnostics::Diagnostic;
use crate::model::{ActivityStatus, Branch, Kind, LedgerRow, Mark};
use crate::period::Period;

/// 党章第三十八条.
pub const SIX_MONTHS: usize = 6;
/// The early notice.
pub const THREE_MONTHS: usize = 3;

/// The register's findings for a branch over the ledger's rows and period, judged up to `today`.
pub fn findings(branch: &Branch, rows: &[LedgerRow], span: Option<Period>, today: NaiveDate) -> Vec<Diagnostic> {
    let held: Vec<&LedgerRow> = rows.iter().filter(|r| r.status == ActivityStatus::Held).collect();
    let Some(months) = months(rows, span, today) else { return Vec::new() };
    let mut out = Vec::new();
    for member in &branch.file.members {
        let member = member.get_ref();
        if member.excluded.is_some() {
            continue;
        }
        let name = member.name.get_ref().trim();
        let at = |diagnostic: Diagnostic| {
            diagnostic.at(&branch.source, member.name.span()).with_field("members.name", "党员姓名")
        };
        let mark = |r: &LedgerRow| r.marks.iter().find(|m| m.name == name).map(|m| m.mark.clone());
        // Each month: attended, unknown (its only record), or missed.
        let state: Vec<State> = months
            .iter()
            .map(|month| {
                let marks: Vec<Mark> = held.iter().filter(|r| month.contains(r.date)).filter_map(|r| mark(r)).collect();
                if marks.iter().any(Mark::attended) {
                    State::Attended
                } else if marks.contains(&Mark::Unknown) {
                    State::Unknown
                } else {
                    State::Missed
                }
            })
            .collect();
        let mut i = 0;
        while i < months.len() {
            if state[i] != State::Missed {
                i += 1;
                continue;
            }
            let start = i;
            while i < months.len() && state[i] == State::Missed {
                i += 1;
            }
            let run = &months[start..i];
            if run.len() < THREE_MONTHS {
                continue;
            }
            let first = run[0].first_day();
            let last = run[run.len() - 1].last_day();
            let missed: Vec<Mark> =
                held.iter().filter(|r| first <= r.date && r.date <= last).filter_map(|r| mark(r)).collect();
            // Months without one activity the member was expected at are no case to answer.
            if missed.is_empty() {
                continue;
            }
            let facts = absences(&missed);
            let span = format!("{}至{}", run[0], run[run.len() - 1]);
            let diagnostic = if run.len() >= SIX_MONTHS {
                Diagnostic::finding(
                    &branch.source.path,
                    format!("{name}自{span}连续{}个月未参加党的组织生活（党章第三十八条）：{facts}", run.len()),
                )
                .with_help(
                    "党章第三十八条：党员没有正当理由，连续六个月不参加党的组织生活，被认为是自行脱党。\
                     请支部核实情况、谈心谈话，研究请假理由是否正当，并按规定处理；pdb 不作认定",
                )
            } else {
                Diagnostic::finding(
                    &branch.source.path,
                    format!("提醒：{name}自{span}已连续{}个月未参加党的组织生活：{facts}", run.len()),
                )
                .with_help("请支部及时了解情况、谈心谈话；连续六个月不参加将涉及党章第三十八条")
            };
            out.push(at(diagnostic));
        }
        for year in whole_years(&months) {
            let congresses: Vec<(&LedgerRow, Mark)> = held
                .iter()
                .filter(|r| r.kind == Kind::PartyCongress && year.contains(r.date))
                .filter_map(|r| mark(r).map(|m| (*r, m)))
                .filter(|(_, m)| *m != Mark::Extra)
                .collect();
            if congresses.is_empty() || !congresses.iter().all(|(_, m)| m.missed()) {
                continue;
            }
            let dates: Vec<String> = congresses.iter().map(|(r, _)| crate::model::Date(r.date).chinese()).collect();
            let marks: Vec<Mark> = congresses.iter().map(|(_, m)| m.clone()).collect();
            out.push(at(Diagnostic::finding(
                &branch.source.path,
                format!(
                    "{name}未参加{year}的全部{}次支部党员大会（{}）：{}",
                    congresses.len(),
                    dates.join("、"),
                    absences(&marks)
                ),
            )
            .with_help("请支部了解原因；支部党员大会是党员参加组织生活的基本形式")));
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Attended,
    Unknown,
    Missed,
}

/// The months the register can judge: those of the ledger's period that have ended by `today`.
fn months(rows: &[LedgerRow], span: Option<Period>, today: NaiveDate) -> Option<Vec<Period>> {
    let first = rows.iter().map(|r| r.date).min()?;
    let last = rows.iter().map(|r| r.date).max()?;
    let periods: Vec<Period> = match span {
        Some(span) => vec![span],
        None => match [Period::month_of(first), Period::quarter_of(first), Period::year_of(first)]
            .into_iter()
            .find(|p| p.contains(last))
        {
            Some(p) => vec![p],
            None => (first.year()..=last.year()).map(Period::Year).collect(),
        },
    };
    Some(periods.into_iter().flat_map(Period::months).filter(|m| m.last_day() <= today).collect())
}

/// The years all of whose months are judged.
fn whole_years(months: &[Period]) -> Vec<Period> {
    let mut years: Vec<Period> = months.iter().map(|m| Period::year_of(m.first_day())).collect();
    years.dedup();
    years.into_iter().filter(|y| y.months().iter().all(|m| months.contains(m))).collect()
}

/// “应参加4次：请假3次（出差2次、病假1次），缺席1次” for the activities a member missed.
fn absences(marks: &[Mark]) -> String {
    let expected = marks.iter().filter(|m| **m != Mark::Extra).count();
    let absent = marks.iter().filter(|m| **m == Mark::Absent).count();
    let mut reasons: Vec<(String, usize)> = Vec::new();
    for mark in marks {
        if let Mark::Leave(reason) = mark {
            match reasons.iter_mut().find(|(r, _)| r == reason) {
                Some((_, n)) => *n += 1,
                None => reasons.push((reason.clone(), 1)),
            }
        }
    }
    if expected == 0 {
        return "其间支部没有该党员应参加的活动记录".to_string();
    }
    let leave: usize = reasons.iter().map(|(_, n)| n).sum();
    let mut parts = Vec::new();
    if leave > 0 {
        let listed: Vec<String> = reasons.iter().map(|(r, n)| format!("{r}{n}次")).collect();
        parts.push(format!("请假{leave}次（{}）", listed.join("、")));
    }
    if absent > 0 {
        parts.push(format!("缺席{absent}次"));
    }
    let unknown = expected - leave - absent;
    if unknown > 0 {
        parts.push(format!("未记录出席情况{unknown}次"));
    }
    format!("其间应参加{expected}次，{}", parts.join("，"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absences_count_leave_by_reason() {
        let marks = [Mark::Leave("出差".into()), Mark::Absent, Mark::Leave("出差".into()), Mark::Leave("病假".into())];
        assert_eq!(absences(&marks), "其间应参加4次，请假3次（出差2次、病假1次），缺席1次");
        assert_eq!(absences(&[Mark::Absent]), "其间应参加1次，缺席1次");
        assert_eq!(absences(&[]), "其间支部没有该党员应参加的活动记录");
    }
}
