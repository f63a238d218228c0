//! The `day` of a rule: which day of the month `pdb plan` picks, written the way secretaries say
//! it — “第二个星期二”, “第1个周五”, “最后一个星期五”, “15日”, “每月15号” — or, for a weekly
//! rule, which days of the week: “每周四”, “周二、周四”, “每星期一和星期三”.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate, Weekday};

use crate::period::Period;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayRule {
    /// The n-th (1–4) such weekday of the month: every month has four of each.
    Nth(u32, Weekday),
    /// The last such weekday of the month.
    Last(Weekday),
    /// A day of the month; in a month without it (31日 in April), the month's last day.
    Day(u32),
    /// The last day of the month.
    LastDay,
    /// Days of every week (a weekly rule): bit 0 is Monday, bit 6 Sunday.
    Weekly(u8),
}

/// Why a `day` string was not understood, with the fix: printed at the value's place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayError {
    pub message: String,
    pub help: String,
}

/// The spellings shown whenever a `day` is not understood.
pub const DAY_EXAMPLES: &str =
    "可以写成 \"第二个星期二\"、\"第1个周五\"、\"最后一个星期五\"、\"15日\"、\"每月15号\"、\"最后一天\"；每周召开的写 \"每周四\"、\"每周二、周四\"";

const CHINESE_WEEKDAYS: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];

/// 一 for Monday … 日 for Sunday.
pub(crate) fn chinese_weekday(weekday: Weekday) -> &'static str {
    CHINESE_WEEKDAYS[weekday.num_days_from_monday() as usize]
}

impl DayRule {
    /// Whether this is a day of the week (a weekly rule) rather than a day of the month.
    pub fn is_weekly(self) -> bool {
        matches!(self, DayRule::Weekly(_))
    }

    /// The days of the week of a weekly rule, Monday first; empty for a day of the month.
    pub fn weekdays(self) -> Vec<Weekday> {
        match self {
            DayRule::Weekly(mask) => (0..7u8)
                .filter(|i| mask & (1 << i) != 0)
                .map(|i| Weekday::try_from(i).expect("0–6 is a weekday"))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The days of a weekly rule in `week` (a `Period::Week`), in order.
    pub fn dates_in_week(self, week: Period) -> Vec<NaiveDate> {
        let Period::Week(monday) = week else { return Vec::new() };
        self.weekdays().into_iter().map(|w| monday + chrono::Days::new(u64::from(w.num_days_from_monday()))).collect()
    }

    /// The day in `month` (a `Period::Month`); `None` for any other period. A weekly rule's
    /// day in a month is its first such day.
    pub fn date_in(self, month: Period) -> Option<NaiveDate> {
        let Period::Month(..) = month else { return None };
        let (first, last) = (month.first_day(), month.last_day());
        Some(match self {
            DayRule::Nth(n, weekday) => {
                let offset = (7 + weekday.num_days_from_monday() - first.weekday().num_days_from_monday()) % 7;
                first + chrono::Days::new(u64::from(offset + 7 * (n - 1)))
            }
            DayRule::Last(weekday) => {
                let offset = (7 + last.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
                last - chrono::Days::new(u64::from(offset))
            }
            DayRule::Day(day) => first.with_day(day).unwrap_or(last),
            DayRule::LastDay => last,
            DayRule::Weekly(_) => {
                return month
                    .weeks_overlapping()
                    .into_iter()
                    .flat_map(|w| self.dates_in_week(w))
                    .find(|d| month.contains(*d))
            }
        })
    }

    /// `count` days in `month`, spread evenly over the days the rule could pick (the same
    /// weekday, or any day), starting from the rule's own day: “第一个星期五” twice a month is
    /// the first and the third Friday; “15日” twice is the 15th and the 30th.
    pub fn spread(self, month: Period, count: u32) -> Vec<NaiveDate> {
        let Some(base) = self.date_in(month) else {
            return Vec::new();
        };
        let candidates: Vec<NaiveDate> = month
            .first_day()
            .iter_days()
            .take_while(|d| *d <= month.last_day())
            .filter(|d| match self {
                DayRule::Nth(_, w) | DayRule::Last(w) => d.weekday() == w,
                DayRule::Day(_) | DayRule::LastDay => true,
                DayRule::Weekly(_) => self.weekdays().contains(&d.weekday()),
            })
            .collect();
        let len = candidates.len();
        let start = candidates.iter().position(|d| *d == base).unwrap_or(0);
        let mut dates: Vec<NaiveDate> =
            (0..count as usize).map(|i| candidates[(start + i * len / count.max(1) as usize) % len]).collect();
        dates.sort();
        dates.dedup();
        dates
    }
}

/// The canonical spelling, e.g. 第二个星期二, 最后一个星期五, 15日.
impl fmt::Display for DayRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let weekday = |w: &Weekday| CHINESE_WEEKDAYS[w.num_days_from_monday() as usize];
        match self {
            DayRule::Nth(n, w) => write!(f, "第{}个星期{}", ["一", "二", "三", "四"][(*n - 1) as usize], weekday(w)),
            DayRule::Last(w) => write!(f, "最后一个星期{}", weekday(w)),
            DayRule::Day(d) => write!(f, "{d}日"),
            DayRule::LastDay => write!(f, "最后一天"),
            DayRule::Weekly(_) => {
                let days: Vec<String> = self.weekdays().iter().map(|w| format!("周{}", weekday(w))).collect();
                write!(f, "每{}", days.join("、"))
            }
        }
    }
}

impl FromStr for DayRule {
    type Err = DayError;

    fn from_str(input: &str) -> Result<DayRule, DayError> {
        let unknown = || DayError {
            message: format!("无法识别的固定日期“{input}”"), help: DAY_EXAMPLES.to_string()
        };
        // Notepad users type full-width digits and stray spaces.
        let text: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                c => c,
            })
            .collect();
        let text = ["每个月的", "每个月", "每月的", "每月"].iter().find_map(|p| text.strip_prefix(p)).unwrap_or(&text);
        if text.is_empty() {
            return Err(unknown());
        }
        if let Some(rule) = weekly(text) {
            return rule.ok_or_else(unknown);
        }
        if matches!(text, "最后一天" | "最后1天" | "月底" | "月末" | "最后一日") {
            return Ok(DayRule::LastDay);
        }
        if let Some(rest) = text.strip_prefix("最后") {
            let rest = ["一个", "1个", "一周的", "一周", "1周", "个"]
                .iter()
                .find_map(|p| rest.strip_prefix(p))
                .unwrap_or(rest);
            return weekday(rest).map(DayRule::Last).ok_or_else(unknown);
        }
        if let Some(rest) = text.strip_prefix('第') {
            let digits: String =
                rest.chars().take_while(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(*c)).collect();
            let mut rest = &rest[digits.len()..];
            // 第二个星期二, 第二周星期二, 第二周的周二, 第二周二
            if let Some(r) = rest.strip_prefix('个') {
                rest = r;
            } else if let Some(r) = rest.strip_prefix('周') {
                if weekday(r).is_some()
                    || r.starts_with('的')
                    || r.starts_with("星期")
                    || r.starts_with("礼拜")
                    || r.starts_with('周')
                {
                    rest = r;
                }
            }
            let rest = rest.strip_prefix('的').unwrap_or(rest);
            let (Some(n), Some(w)) = (number(&digits), weekday(rest)) else {
                return Err(unknown());
            };
            return match n {
                1..=4 => Ok(DayRule::Nth(n, w)),
                5 => Err(DayError {
                    message: format!(
                        "“{input}”不是每个月都有：一个月只有四个或五个星期{}",
                        CHINESE_WEEKDAYS[w.num_days_from_monday() as usize]
                    ),
                    help: format!(
                        "请改用 \"最后一个星期{}\"，或第一到第四个",
                        CHINESE_WEEKDAYS[w.num_days_from_monday() as usize]
                    ),
                }),
                _ => Err(DayError {
                    message: format!("一个月里没有“{input}”"),
                    help: format!("第几个星期几只能是第一到第四个，或“最后一个”；{DAY_EXAMPLES}"),
                }),
            };
        }
        let day = ["日", "号"].iter().find_map(|s| text.strip_suffix(s)).unwrap_or(text);
        match number(day) {
            Some(d @ 1..=31) => Ok(DayRule::Day(d)),
            Some(d) => Err(DayError {
                message: format!("每月没有{d}日"),
                help: "日期写 1 到 31；写 29、30、31 日时，没有这一天的月份取该月最后一天".to_string(),
            }),
            None => Err(unknown()),
        }
    }
}

/// A weekly day rule: 每周四, 每周二、四, 周二和周四, 每星期一、星期三, 每个礼拜五. `None` when the
/// text does not start like one; `Some(None)` when it does but a day is not understood.
fn weekly(text: &str) -> Option<Option<DayRule>> {
    let rest = ["每个星期", "每个礼拜", "每星期", "每礼拜", "每周"]
        .iter()
        .find_map(|p| text.strip_prefix(p))
        .map(|r| r.to_string())
        .or_else(|| weekday(text.split(['、', '，', ',', '和', '及', '/']).next()?).map(|_| text.to_string()))?;
    let mut mask = 0u8;
    for part in rest.split(['、', '，', ',', '和', '及', '/']) {
        let part = part.strip_prefix('的').unwrap_or(part);
        let day = weekday(part).or_else(|| weekday(&format!("周{part}")));
        match day {
            Some(w) => mask |= 1 << w.num_days_from_monday(),
            None => return Some(None),
        }
    }
    Some(Some(DayRule::Weekly(mask)))
}

/// 星期二, 周二, 礼拜二, 星期日, 星期天, 周7 …
fn weekday(text: &str) -> Option<Weekday> {
    let rest = ["星期", "礼拜", "周"].iter().find_map(|p| text.strip_prefix(p))?;
    let index = match rest {
        "一" | "1" => 0,
        "二" | "2" => 1,
        "三" | "3" => 2,
        "四" | "4" => 3,
        "五" | "5" => 4,
        "六" | "6" => 5,
        "日" | "天" | "7" => 6,
        _ => return None,
    };
    Some(Weekday::try_from(index as u8).expect("0–6 is a weekday"))
}

/// 15, 十五, 二十一, 三十: Arabic or Chinese numerals up to 99.
fn number(text: &str) -> Option<u32> {
    if text.is_empty() {
        return None;
    }
    if text.chars().all(|c| c.is_ascii_digit()) {
        return text.parse().ok().filter(|n| *n < 100);
    }
    let digit = |c: char| "一二三四五六七八九".find(c).map(|i| i as u32 / 3 + 1);
    let chars: Vec<char> = text.chars().collect();
    match chars.as_slice() {
        [d] if *d != '十' => digit(*d),
        ['十'] => Some(10),
        ['十', d] => Some(10 + digit(*d)?),
        [t, '十'] => Some(10 * digit(*t)?),
        [t, '十', d] => Some(10 * digit(*t)? + digit(*d)?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numerals() {
        assert_eq!(number("十五"), Some(15));
        assert_eq!(number("二十一"), Some(21));
        assert_eq!(number("三十"), Some(30));
        assert_eq!(number("九"), Some(9));
        assert_eq!(number("十"), Some(10));
        assert_eq!(number("零"), None);
    }
}
