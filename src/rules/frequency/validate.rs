//! What the types of `[rules.<kind>]` and of an activity's `form` cannot check: days that are
//! understood and fit the rule's period, counts that make sense, kinds that can count as others.

use std::ops::Range;

use super::{DayRule, Rule, Rules};
use crate::diagnostics::Diagnostic;
use crate::model::{ActivityFile, BranchFile, Every, Kind, RuleFile};
use crate::source::SourceFile;

/// Checks the `[rules.<kind>]` tables of a branch file: the `day` must be understood and be a
/// day of the week exactly when the rule is weekly, `times` at least 1 (and no more than the
/// days of a weekly rule), `month` inside the rule's period, `counts_as` other kinds that can be
/// counted for the branch as a whole, `by_secretary` only for 党课.
/// One error per table at most, every table's: they are independent.
pub fn validate(source: &SourceFile, file: &BranchFile) -> Vec<Diagnostic> {
    let merged = Rules::from_file(file);
    file.rules
        .iter()
        .filter_map(|(kind, local)| {
            let rule = merged.get(*kind).expect("every kind has a rule");
            validate_rule(source, kind, local.get_ref(), rule).err()
        })
        .collect()
}

fn validate_rule(source: &SourceFile, kind: &Kind, local: &RuleFile, rule: &Rule) -> Result<(), Diagnostic> {
    {
        let name = kind.short_name();
        let error = |span: Range<usize>, key: &str, message: String, help: String| {
            let label = crate::model::labels::label(&[crate::model::labels::PathStep::Key(key.to_string())]);
            Diagnostic::error(&source.path, message)
                .at(source, span)
                .with_field(format!("rules.{name}.{key}"), label.unwrap_or(""))
                .with_help(help)
        };
        if let Some(day) = &local.day {
            let parsed = day.get_ref().parse::<DayRule>().map_err(|e| error(day.span(), "day", e.message, e.help))?;
            let text = day.get_ref().trim();
            match rule.every {
                Every::Week if !parsed.is_weekly() => {
                    return Err(error(
                        day.span(),
                        "day",
                        format!("{name}每周召开，固定日期“{text}”却是每月的某一天"),
                        "每周召开的写星期几，例如 day = \"每周四\"、\"每周二、周四\"".to_string(),
                    ))
                }
                Every::Month | Every::Quarter | Every::Year if parsed.is_weekly() => {
                    return Err(error(
                        day.span(),
                        "day",
                        format!("“{text}”是每周的日子，但{name}{}召开", rule.every.chinese()),
                        format!(
                            "每周召开时写 every = \"每周\"；{}召开的写每月的某一天，例如 \"第一个{}\"",
                            rule.every.chinese(),
                            parsed
                                .weekdays()
                                .first()
                                .map(|w| format!("星期{}", super::day::chinese_weekday(*w)))
                                .unwrap_or("星期一".into())
                        ),
                    ))
                }
                _ => {}
            }
        }
        if let Some(times) = &local.times {
            let value = *times.get_ref();
            if value == 0 {
                return Err(error(
                    times.span(),
                    "times",
                    "每期次数不能是 0".to_string(),
                    format!("写每期至少召开几次，例如 times = 2；不需要检查{name}时写 every = \"不检查\""),
                ));
            }
            let days = rule.day_rule().map(|d| d.weekdays().len()).unwrap_or(0) as u32;
            if rule.every == Every::Week && value > days {
                let day = rule.day.as_deref().unwrap_or("");
                return Err(error(
                    times.span(),
                    "times",
                    format!("{name}每周至少{value}次，但固定日期“{day}”每周只有{days}天"),
                    "在 day 中写出每周哪几天开，例如 day = \"每周二、周四\"；每周“1~2次”的，times 写至少的次数 1"
                        .to_string(),
                ));
            }
        }
        if let Some(month) = &local.month {
            let value = *month.get_ref();
            let (last, help) = match rule.every {
                Every::Quarter => (
                    3,
                    "每季度的规定中 month 写季度内的第几个月（1、2 或 3），例如 month = 2 是季度的第二个月".to_string(),
                ),
                Every::Year => (12, "每年的规定中 month 写几月（1 到 12），例如 month = 12".to_string()),
                every @ (Every::Week | Every::Month) => {
                    (0, format!("{}召开的活动不用写 month，请删去这一行", every.chinese()))
                }
                Every::Never => (u32::MAX, String::new()),
            };
            if !(1..=last).contains(&value) {
                let message = match rule.every {
                    Every::Week | Every::Month => format!("{name}{}召开，不需要 month = {value}", rule.every.chinese()),
                    every => format!("{name}{}召开，month = {value} 不在 1 到 {last} 之间", every.chinese()),
                };
                return Err(error(month.span(), "month", message, help));
            }
        }
        if let Some(counts_as) = &local.counts_as {
            for target in counts_as.get_ref() {
                let other = target.get_ref().short_name();
                let (message, help) = match *target.get_ref() {
                    t if t == *kind => (
                        format!("{name}本来就计为{name}，counts_as 不用写它自己"),
                        format!("counts_as 写{name}同时计为的其他活动类型，例如 counts_as = [\"支部党员大会\"]；没有时删去这一行"),
                    ),
                    Kind::GroupMeeting => (
                        format!("{name}不能计为党小组会"),
                        "党小组会按每个党小组分别检查，全支部的活动不能代替某个党小组的党小组会；请从 counts_as 中删去它".to_string(),
                    ),
                    Kind::Other => (
                        "“其他”活动不检查频次，不能作为 counts_as 的类型".to_string(),
                        format!("请从 counts_as 中删去“{other}”"),
                    ),
                    _ if *kind == Kind::GroupMeeting || *kind == Kind::Committee => (
                        format!("{name}不能计为{other}"),
                        format!("{name}的应到人员只是支部的一部分，不能代替全体党员参加的{other}；请删去 counts_as"),
                    ),
                    _ => continue,
                };
                return Err(error(target.span(), "counts_as", message, help));
            }
        }
        if let Some(by_secretary) = &local.by_secretary {
            if *kind != Kind::Lecture {
                return Err(error(
                    by_secretary.span(),
                    "by_secretary",
                    format!("by_secretary（书记每年讲党课次数）只能写在 [rules.\"党课\"] 中，不能写在 [rules.\"{name}\"] 中"),
                    "把这一行移到 [rules.\"党课\"] 下".to_string(),
                ));
            }
        }
    }
    Ok(())
}

/// Checks an activity's `form`: only an activity the whole branch attends (组织生活会, 民主评议党员,
/// 主题党日, 党课, 其他) can be held in the form of a 支部党员大会, and no other form is modelled
/// yet (a 组织生活会 held as a 支委会 or 党小组会 expects fewer members, which pdb cannot count).
pub fn validate_activity(source: &SourceFile, file: &ActivityFile) -> Result<(), Diagnostic> {
    let Some(form) = &file.form else { return Ok(()) };
    let kind = *file.kind.get_ref();
    let name = kind.short_name();
    let error = |message: String, help: String| {
        Diagnostic::error(&source.path, message).at(source, form.span()).with_field("form", "召开形式").with_help(help)
    };
    let form_name = form.get_ref().short_name();
    if matches!(kind, Kind::PartyCongress | Kind::Committee | Kind::GroupMeeting) {
        return Err(error(
            format!("{name}本身就是会议，不用写召开形式 form = \"{form_name}\""),
            "form 用于组织生活会、民主评议党员等活动，说明以支部党员大会的形式召开；请删去这一行".to_string(),
        ));
    }
    if *form.get_ref() != Kind::PartyCongress {
        return Err(error(
            format!("召开形式“{form_name}”暂不支持：pdb 按全体党员计算{name}的应到人数"),
            format!(
                "以支部党员大会形式召开的写 form = \"支部党员大会\"；以{form_name}形式召开的，\
                 请删去 form 这一行（应到人数仍按全体党员计算，请在 attendees_note 中说明）"
            ),
        ));
    }
    Ok(())
}
