//! A span of the calendar the way branches count it: a year, a quarter or a month.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Period {
    Year(i32),
    /// Year and quarter, 1–4.
    Quarter(i32, u32),
    /// Year and month, 1–12.
    Month(i32, u32),
    /// The week (Monday to Sunday) that starts on this Monday. Only frequency rules count in
    /// weeks; a command line never names one.
    Week(NaiveDate),
}

impl Period {
    pub fn month_of(date: NaiveDate) -> Period {
        Period::Month(date.year(), date.month())
    }

    pub fn quarter_of(date: NaiveDate) -> Period {
        Period::Quarter(date.year(), (date.month() - 1) / 3 + 1)
    }

    pub fn year_of(date: NaiveDate) -> Period {
        Period::Year(date.year())
    }

    /// The Monday-to-Sunday week of `date`.
    pub fn week_of(date: NaiveDate) -> Period {
        Period::Week(date - chrono::Days::new(u64::from(date.weekday().num_days_from_monday())))
    }

    /// The weeks that count in the period: those whose Thursday lies in it (as ISO 8601 counts
    /// weeks to a year), so a week across two months belongs to one of them.
    pub fn weeks(self) -> Vec<Period> {
        self.weeks_overlapping().into_iter().filter(|w| self.contains(w.first_day() + chrono::Days::new(3))).collect()
    }

    /// Every week with at least one day in the period.
    pub fn weeks_overlapping(self) -> Vec<Period> {
        let mut weeks = Vec::new();
        let mut week = Period::week_of(self.first_day());
        while week.first_day() <= self.last_day() {
            weeks.push(week);
            week = Period::Week(week.first_day() + chrono::Days::new(7));
        }
        weeks
    }

    pub fn first_day(self) -> NaiveDate {
        let (year, month) = match self {
            Period::Week(monday) => return monday,
            Period::Year(y) => (y, 1),
            Period::Quarter(y, q) => (y, (q - 1) * 3 + 1),
            Period::Month(y, m) => (y, m),
        };
        NaiveDate::from_ymd_opt(year, month, 1).expect("valid period")
    }

    pub fn last_day(self) -> NaiveDate {
        let (year, month) = match self {
            Period::Week(monday) => return monday + chrono::Days::new(6),
            Period::Year(y) => (y, 12),
            Period::Quarter(y, q) => (y, q * 3),
            Period::Month(y, m) => (y, m),
        };
        let (next_year, next_month) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
        NaiveDate::from_ymd_opt(next_year, next_month, 1).expect("valid period").pred_opt().expect("not the first day")
    }

    pub fn contains(self, date: NaiveDate) -> bool {
        self.first_day() <= date && date <= self.last_day()
    }

    /// Whether the whole period lies on or before `today`: only then can a missing meeting be missed.
    pub fn has_ended(self, today: NaiveDate) -> bool {
        self.last_day() <= today
    }

    /// The months of the period, in order.
    pub fn months(self) -> Vec<Period> {
        let first = self.first_day();
        let last = self.last_day();
        let mut months = Vec::new();
        let (mut year, mut month) = (first.year(), first.month());
        while NaiveDate::from_ymd_opt(year, month, 1).expect("valid") <= last {
            months.push(Period::Month(year, month));
            (year, month) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
        }
        months
    }

    /// The quarters that overlap the period, in order (a month lies in one).
    pub fn quarters(self) -> Vec<Period> {
        let mut quarters: Vec<Period> = self.months().into_iter().map(|m| Period::quarter_of(m.first_day())).collect();
        quarters.dedup();
        quarters
    }

    /// The years that overlap the period.
    pub fn years(self) -> Vec<Period> {
        let mut years: Vec<Period> = self.months().into_iter().map(|m| Period::year_of(m.first_day())).collect();
        years.dedup();
        years
    }
}

/// How periods are written in documents: 2026年、2026年第四季度、2026年11月.
impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Year(y) => write!(f, "{y}年"),
            Period::Quarter(y, q) => write!(f, "{y}年第{}季度", ["一", "二", "三", "四"][(*q - 1) as usize]),
            Period::Month(y, m) => write!(f, "{y}年{m}月"),
            // 2026年11月2日至8日这一周; 2026年11月30日至12月6日这一周; across a year, both years.
            Period::Week(monday) => {
                let sunday = self.last_day();
                let end = if sunday.year() != monday.year() {
                    format!("{}年{}月{}日", sunday.year(), sunday.month(), sunday.day())
                } else if sunday.month() != monday.month() {
                    format!("{}月{}日", sunday.month(), sunday.day())
                } else {
                    format!("{}日", sunday.day())
                };
                write!(f, "{}年{}月{}日至{end}这一周", monday.year(), monday.month(), monday.day())
            }
        }
    }
}

impl Period {
    /// The short form a command line takes: 2026, 2026Q4, 2026-11.
    pub fn code(self) -> String {
        match self {
            Period::Year(y) => format!("{y}"),
            Period::Quarter(y, q) => format!("{y}Q{q}"),
            Period::Month(y, m) => format!("{y}-{m:02}"),
            Period::Week(monday) => {
                let week = monday.iso_week();
                format!("{}-W{:02}", week.year(), week.week())
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodError(pub String);

impl fmt::Display for PeriodError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "无法识别的时间段“{}”：请写成 2026（全年）、2026Q4（第四季度）或 2026-11（11月）", self.0)
    }
}

impl std::error::Error for PeriodError {}

/// Accepts `2026`, `2026Q4` (also `2026q4`, `2026-Q4`), `2026-11` (also `2026-1`), and the
/// Chinese `2026年`, `2026年第四季度`, `2026年11月`.
impl FromStr for Period {
    type Err = PeriodError;

    fn from_str(input: &str) -> Result<Period, PeriodError> {
        let error = || PeriodError(input.to_string());
        let text = input.trim();
        let (year, rest) = text.split_at(text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len()));
        if year.len() != 4 {
            return Err(error());
        }
        let year: i32 = year.parse().map_err(|_| error())?;
        let rest = rest.strip_prefix('年').unwrap_or(rest);
        let rest = rest.strip_prefix('-').unwrap_or(rest);
        if rest.is_empty() {
            return Ok(Period::Year(year));
        }
        let quarter = match rest {
            "Q1" | "q1" | "第一季度" | "一季度" => Some(1),
            "Q2" | "q2" | "第二季度" | "二季度" => Some(2),
            "Q3" | "q3" | "第三季度" | "三季度" => Some(3),
            "Q4" | "q4" | "第四季度" | "四季度" => Some(4),
            _ => None,
        };
        if let Some(q) = quarter {
            return Ok(Period::Quarter(year, q));
        }
        let month = rest.strip_suffix('月').unwrap_or(rest);
        match month.parse::<u32>() {
            Ok(m) if (1..=12).contains(&m) => Ok(Period::Month(year, m)),
            _ => Err(error()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn parses_the_three_spans() {
        assert_eq!("2026".parse(), Ok(Period::Year(2026)));
        assert_eq!("2026Q4".parse(), Ok(Period::Quarter(2026, 4)));
        assert_eq!("2026-q1".parse(), Ok(Period::Quarter(2026, 1)));
        assert_eq!("2026年第四季度".parse(), Ok(Period::Quarter(2026, 4)));
        assert_eq!("2026-11".parse(), Ok(Period::Month(2026, 11)));
        assert_eq!("2026-1".parse(), Ok(Period::Month(2026, 1)));
        assert_eq!("2026年3月".parse(), Ok(Period::Month(2026, 3)));
        assert!("2026-13".parse::<Period>().is_err());
        assert!("26Q4".parse::<Period>().is_err());
        assert!("2026Q5".parse::<Period>().is_err());
    }

    #[test]
    fn bounds() {
        assert_eq!(Period::Quarter(2026, 4).first_day(), date(2026, 10, 1));
        assert_eq!(Period::Quarter(2026, 4).last_day(), date(2026, 12, 31));
        assert_eq!(Period::Month(2028, 2).last_day(), date(2028, 2, 29));
        assert_eq!(Period::Quarter(2026, 1).last_day(), date(2026, 3, 31));
        assert!(Period::Month(2026, 11).contains(date(2026, 11, 30)));
        assert!(!Period::Month(2026, 11).contains(date(2026, 12, 1)));
        assert!(Period::Month(2026, 11).has_ended(date(2026, 11, 30)));
        assert!(!Period::Month(2026, 11).has_ended(date(2026, 11, 29)));
    }

    #[test]
    fn weeks() {
        // 2026-11-02 is a Monday; March 30 – April 5 belongs to April (its Thursday is April 2).
        assert_eq!(Period::week_of(date(2026, 11, 8)), Period::Week(date(2026, 11, 2)));
        assert_eq!(Period::Week(date(2026, 11, 2)).last_day(), date(2026, 11, 8));
        assert_eq!(Period::Week(date(2026, 11, 2)).to_string(), "2026年11月2日至8日这一周");
        assert_eq!(Period::Week(date(2026, 11, 30)).to_string(), "2026年11月30日至12月6日这一周");
        assert_eq!(Period::Week(date(2026, 12, 28)).to_string(), "2026年12月28日至2027年1月3日这一周");
        assert_eq!(Period::Week(date(2026, 12, 28)).code(), "2026-W53");
        let april = Period::Month(2026, 4).weeks();
        assert_eq!(april.first(), Some(&Period::Week(date(2026, 3, 30))));
        assert_eq!(april.last(), Some(&Period::Week(date(2026, 4, 27))));
        assert_eq!(Period::Month(2026, 3).weeks().last(), Some(&Period::Week(date(2026, 3, 23))));
        // 1 October and 31 December 2026 are Thursdays: 14 weeks.
        assert_eq!(Period::Quarter(2026, 4).weeks().len(), 14);
        assert_eq!(Period::Month(2026, 3).weeks_overlapping().last(), Some(&Period::Week(date(2026, 3, 30))));
    }

    #[test]
    fn splits() {
        assert_eq!(
            Period::Quarter(2026, 4).months(),
            vec![Period::Month(2026, 10), Period::Month(2026, 11), Period::Month(2026, 12)]
        );
        assert_eq!(Period::Year(2026).quarters().len(), 4);
        assert_eq!(Period::Month(2026, 5).quarters(), vec![Period::Quarter(2026, 2)]);
        assert_eq!(Period::Quarter(2026, 4).to_string(), "2026年第四季度");
        assert_eq!(Period::Month(2026, 4).code(), "2026-04");
    }
}
