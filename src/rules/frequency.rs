//! The frequency rules of the 支部工作条例 as data (built in, replaceable per kind by
//! `[rules.<kind>]` in branch.toml), what they require in a period, and the check of a batch.

mod check;
pub mod day;
mod validate;

use chrono::{NaiveDate, NaiveTime};

use crate::model::{Branch, BranchFile, Every, Kind, Time};
use crate::period::Period;

pub use check::check;
pub use day::{DayError, DayRule, DAY_EXAMPLES};
pub use validate::{validate, validate_activity};

/// One kind's rule after merging the built-in table with branch.toml.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub kind: Kind,
    pub every: Every,
    pub times: u32,
    /// The day `pdb plan` picks, as written (e.g. "第二个星期二").
    pub day: Option<String>,
    /// For quarterly and yearly rules: the month `pdb plan` uses.
    pub month: Option<u32>,
    pub start: Option<Time>,
    /// Other kinds whose rules a held activity of this kind also counts for (`counts_as`).
    pub counts_as: Vec<Kind>,
    /// 党课: how many of the year's 党课 the 书记 gives at least; 0 for every other kind.
    pub by_secretary: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rules(pub Vec<Rule>);

/// One meeting a rule asks for: a kind (and a 党小组 for group meetings) within a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Required {
    pub kind: Kind,
    pub group: Option<String>,
    pub period: Period,
    pub times: u32,
}

/// One meeting `pdb plan` writes: its kind, group, date and start time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub kind: Kind,
    pub group: Option<String>,
    pub date: NaiveDate,
    pub start: Option<Time>,
}

/// The built-in table (shared/spec/domain.md) with the default days of `pdb plan`: a
/// 支委会 early in the month prepares the month's work; the 支部党员大会 follows it (an admission
/// vote needs the 支委会 first); quarterly meetings fall in the quarter's first month, leaving
/// two months to make up a missed one; 组织生活会 and 民主评议党员 in December, a week apart.
const BUILTIN: [(Kind, Every, Option<u32>, &str); 8] = [
    (Kind::PartyCongress, Every::Quarter, Some(1), "第二个星期三"),
    (Kind::Committee, Every::Month, None, "第一个星期一"),
    (Kind::GroupMeeting, Every::Month, None, "第三个星期二"),
    (Kind::Lecture, Every::Quarter, Some(1), "第三个星期四"),
    (Kind::ThemeDay, Every::Month, None, "第一个星期五"),
    (Kind::OrgLife, Every::Year, Some(12), "第二个星期四"),
    (Kind::Review, Every::Year, Some(12), "第三个星期四"),
    (Kind::Other, Every::Never, None, "第一个星期一"),
];

/// The regulation all built-in rules come from.
pub const REGULATION: &str = "《中国共产党支部工作条例（试行）》";

/// Where a built-in rule comes from, with its article, for findings.
fn builtin_basis(kind: Kind) -> String {
    let basis = match kind {
        Kind::PartyCongress => "第十一条规定支部党员大会一般每季度召开1次",
        Kind::Committee => "第十二条规定党支部委员会会议一般每月召开1次",
        Kind::GroupMeeting => "第十三条规定党小组会一般每月召开1次",
        Kind::Lecture => "第十六条要求党员按期上党课，未规定次数；通行做法是每季度至少1次",
        Kind::ThemeDay => "第十六条规定党支部每月相对固定1天开展主题党日",
        Kind::OrgLife => "第十七条规定党支部每年至少召开1次组织生活会",
        Kind::Review => "第十八条规定党支部一般每年开展1次民主评议党员",
        Kind::Other => return String::new(),
    };
    format!("{REGULATION}{basis}")
}

/// Where the yearly check of the 书记's 党课 comes from. 第十六条 names the 党委（党组）书记; for
/// the 党支部书记 it is the rule of most provinces' implementing measures, hence its own setting.
pub const SECRETARY_LECTURE_BASIS: &str =
    "《中国共产党支部工作条例（试行）》第十六条规定党员领导干部应当定期为基层党员讲党课、\
     党委（党组）书记每年至少讲1次党课，各地实施办法普遍要求党支部书记每年至少为党员讲1次党课";

fn default_start() -> Time {
    Time(NaiveTime::from_hms_opt(14, 30, 0).expect("valid time"))
}

/// The month a quarterly or yearly rule plans in when it does not say: the first.
fn default_month(every: Every) -> Option<u32> {
    match every {
        Every::Quarter | Every::Year => Some(1),
        Every::Week | Every::Month | Every::Never => None,
    }
}

/// The day a rule that became weekly plans on when it does not say: the weekday of its old
/// day (第三个星期二 → 每周二), else Monday.
fn weekly_default(day: Option<&str>) -> String {
    let weekday = match day.and_then(|d| d.parse().ok()) {
        Some(DayRule::Nth(_, w) | DayRule::Last(w)) => w,
        _ => chrono::Weekday::Mon,
    };
    DayRule::Weekly(1 << weekday.num_days_from_monday()).to_string()
}

impl Rules {
    pub fn builtin() -> Rules {
        Rules(
            BUILTIN
                .iter()
                .map(|&(kind, every, month, day)| Rule {
                    kind,
                    every,
                    times: 1,
                    day: Some(day.to_string()),
                    month,
                    start: Some(default_start()),
                    counts_as: Vec::new(),
                    by_secretary: u32::from(kind == Kind::Lecture),
                })
                .collect(),
        )
    }

    /// The built-in rules with each `[rules.<kind>]` of branch.toml laid over them, key by key.
    /// A changed `every` without a `month` plans in the first month of the new period.
    pub fn for_branch(branch: &Branch) -> Rules {
        Rules::from_file(&branch.file)
    }

    pub fn from_file(file: &BranchFile) -> Rules {
        let mut rules = Rules::builtin();
        for rule in &mut rules.0 {
            let Some(local) = file.rules.get(&rule.kind) else {
                continue;
            };
            let local = local.get_ref();
            if let Some(every) = &local.every {
                rule.every = *every.get_ref();
                rule.month = default_month(rule.every);
                if rule.every == Every::Week {
                    rule.day = Some(weekly_default(rule.day.as_deref()));
                }
            }
            if let Some(times) = &local.times {
                rule.times = *times.get_ref();
            }
            if let Some(day) = &local.day {
                rule.day = Some(day.get_ref().trim().to_string());
            }
            if let Some(month) = &local.month {
                rule.month = Some(*month.get_ref());
            }
            if let Some(start) = &local.start {
                rule.start = Some(*start.get_ref());
            }
            if let Some(counts_as) = &local.counts_as {
                rule.counts_as = counts_as.get_ref().iter().map(|k| *k.get_ref()).collect();
            }
            if let Some(by_secretary) = &local.by_secretary {
                rule.by_secretary = *by_secretary.get_ref();
            }
        }
        rules
    }

    pub fn get(&self, kind: Kind) -> Option<&Rule> {
        self.0.iter().find(|r| r.kind == kind)
    }

    /// The kind whose meeting rules (quorum, vote thresholds) an activity of `kind` follows: the
    /// `form` it was held in; else 支部党员大会 when its kind's rule `counts_as` one (the branch holds
    /// every such activity as a 支部党员大会); else its own kind.
    pub fn held_as(&self, kind: Kind, form: Option<Kind>) -> Kind {
        form.unwrap_or_else(|| {
            if self.get(kind).is_some_and(|r| r.counts_as.contains(&Kind::PartyCongress)) {
                Kind::PartyCongress
            } else {
                kind
            }
        })
    }

    /// Whether a held activity of `kind` (held in the form `form`, if given) counts for the
    /// rule of `target`: its own kind, the form it was held in, or a kind its rule `counts_as`.
    pub fn counts_for(&self, kind: Kind, form: Option<Kind>, target: Kind) -> bool {
        kind == target || form == Some(target) || self.get(kind).is_some_and(|r| r.counts_as.contains(&target))
    }
}

impl Rule {
    /// The parsed `day`; `None` only for a rule whose day is missing or was never checked.
    pub fn day_rule(&self) -> Option<DayRule> {
        self.day.as_deref().and_then(|d| d.parse().ok())
    }

    /// The planned date in one month (a `Period::Month`) by the rule's day; the month's first
    /// day when the rule has none. `None` for a period that is not a month.
    pub fn date_in(&self, month: Period) -> Option<NaiveDate> {
        match self.day_rule() {
            Some(day) => day.date_in(month),
            None => matches!(month, Period::Month(..)).then(|| month.first_day()),
        }
    }

    /// The period one meeting of this rule counts for (the month, quarter or year of `date`).
    pub fn slot_of(&self, date: NaiveDate) -> Option<Period> {
        slot_of(self.every, date)
    }

    /// The `times` planned dates of one slot (a month, quarter or year of this rule), in order.
    ///
    /// A quarterly or yearly rule plans in its `month` (1–3 within the quarter, 1–12 within the
    /// year; the first when not given); more than one meeting per slot is spread evenly over the
    /// slot's months from there (twice a year in month 12: December and June), and more than
    /// one in a month over the month (see [`DayRule::spread`]).
    pub fn planned_dates(&self, slot: Period) -> Vec<NaiveDate> {
        if self.every == Every::Never || self.times == 0 {
            return Vec::new();
        }
        // A weekly rule plans on each of its days (validation makes them at least `times`).
        if let Period::Week(_) = slot {
            return self.day_rule().map(|d| d.dates_in_week(slot)).unwrap_or_default();
        }
        let months = slot.months();
        let len = months.len();
        let first = match slot {
            Period::Month(..) => 0,
            _ => (self.month.unwrap_or(1).max(1) as usize - 1).min(len - 1),
        };
        let times = self.times as usize;
        let mut per_month = vec![0u32; len];
        for i in 0..times {
            per_month[(first + i * len / times) % len] += 1;
        }
        let day = self.day_rule().unwrap_or(DayRule::Day(1));
        let mut dates: Vec<NaiveDate> =
            months.iter().zip(per_month).flat_map(|(month, count)| day.spread(*month, count)).collect();
        dates.sort();
        dates
    }

    /// Where the rule comes from, in words, for findings.
    pub(crate) fn basis(&self, local: bool) -> String {
        if local {
            format!(
                "branch.toml 中 [rules.\"{}\"] 规定{}{}次",
                self.kind.short_name(),
                self.every.chinese(),
                self.times
            )
        } else {
            builtin_basis(self.kind)
        }
    }
}

/// The month, quarter or year of `date` that a rule of `every` counts in.
fn slot_of(every: Every, date: NaiveDate) -> Option<Period> {
    match every {
        Every::Week => Some(Period::week_of(date)),
        Every::Month => Some(Period::month_of(date)),
        Every::Quarter => Some(Period::quarter_of(date)),
        Every::Year => Some(Period::year_of(date)),
        Every::Never => None,
    }
}

fn within(inner: Period, outer: Period) -> bool {
    match inner {
        // A week counts where its Thursday is (see [`Period::weeks`]).
        Period::Week(monday) => outer.contains(monday + chrono::Days::new(3)),
        _ => outer.first_day() <= inner.first_day() && inner.last_day() <= outer.last_day(),
    }
}

/// The slots of a rule that lie wholly within `span` (a week: that count in it).
fn slots_within(every: Every, span: Period) -> Vec<Period> {
    let candidates = match every {
        Every::Week => span.weeks(),
        Every::Month => span.months(),
        Every::Quarter => span.quarters(),
        Every::Year => span.years(),
        Every::Never => Vec::new(),
    };
    candidates.into_iter().filter(|slot| within(*slot, span)).collect()
}

/// The slot that contains `span` when the rule's period is longer than the span (a quarterly
/// rule and a month): the span then holds only part of the slot.
fn enclosing_slot(every: Every, span: Period) -> Option<Period> {
    if every == Every::Week {
        return None;
    }
    slot_of(every, span.first_day()).filter(|slot| !within(*slot, span))
}

/// The groups a rule applies to: each 党小组 for 党小组会, otherwise the branch as a whole.
fn targets(kind: Kind, groups: &[String]) -> Vec<Option<String>> {
    if kind == Kind::GroupMeeting {
        groups.iter().cloned().map(Some).collect()
    } else {
        vec![None]
    }
}

/// The meetings the rules require within `span`, group meetings once per group. A rule whose
/// period is longer than the span (a quarterly rule and a month) counts only the meetings it
/// plans inside the span: the quarter's meeting belongs to the month `pdb plan` puts it in.
pub fn required(rules: &Rules, groups: &[String], span: Period) -> Vec<Required> {
    let mut out = Vec::new();
    for rule in &rules.0 {
        let mut slots: Vec<(Period, u32)> =
            slots_within(rule.every, span).into_iter().map(|s| (s, rule.times)).collect();
        if let Some(slot) = enclosing_slot(rule.every, span) {
            let inside = rule.planned_dates(slot).into_iter().filter(|d| span.contains(*d)).count() as u32;
            if inside > 0 {
                slots.push((slot, inside));
            }
        }
        for (period, times) in slots {
            for group in targets(rule.kind, groups) {
                out.push(Required { kind: rule.kind, group, period, times });
            }
        }
    }
    out
}

/// Every meeting `pdb plan` writes for `span`: the required ones on the rules' days, in date
/// order (then kind, then group).
pub fn planned(rules: &Rules, groups: &[String], span: Period) -> Vec<Planned> {
    let mut out = Vec::new();
    for rule in &rules.0 {
        // Every week the span touches: a Tuesday before the week's Thursday is still planned.
        let slots: Vec<Period> = match rule.every {
            Every::Week => span.weeks_overlapping(),
            every => slots_within(every, span).into_iter().chain(enclosing_slot(every, span)).collect(),
        };
        for slot in slots {
            for date in rule.planned_dates(slot).into_iter().filter(|d| span.contains(*d)) {
                for group in targets(rule.kind, groups) {
                    out.push(Planned { kind: rule.kind, group, date, start: rule.start });
                }
            }
        }
    }
    let group_index = |g: &Option<String>| g.as_ref().and_then(|g| groups.iter().position(|x| x == g));
    out.sort_by_key(|p| (p.date, p.kind, group_index(&p.group)));
    out
}
