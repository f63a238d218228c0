//! Working days (工作日): Monday to Friday, minus the statutory holidays, plus the weekend days
//! worked in exchange (调休上班). The table is data (holidays.toml, from the 国务院办公厅's yearly
//! notices), and a branch can replace any year of it with its own file.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Deserialize;

use crate::model::Date;

/// The shipped table: 2023 to 2026.
pub const BUILTIN: &str = include_str!("holidays.toml");

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    years: BTreeMap<i32, Year>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Year {
    off: BTreeSet<NaiveDate>,
    work: BTreeSet<NaiveDate>,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearFile {
    #[serde(default)]
    source: String,
    #[serde(default)]
    off: Vec<[Date; 2]>,
    #[serde(default)]
    work: Vec<Date>,
}

impl Calendar {
    /// The shipped table, parsed once.
    pub fn builtin() -> &'static Calendar {
        static BUILT: OnceLock<Calendar> = OnceLock::new();
        BUILT.get_or_init(|| Calendar::parse(BUILTIN).expect("the shipped holiday table parses"))
    }

    /// A table in the format of holidays.toml: `[2026] off = [[from, to], …] work = […]`.
    pub fn parse(text: &str) -> Result<Calendar, String> {
        let table: BTreeMap<String, YearFile> = toml::from_str(text).map_err(|e| e.message().to_string())?;
        let mut years = BTreeMap::new();
        for (key, file) in table {
            let year: i32 = key.trim().parse().map_err(|_| format!("“{key}”不是年份：表名写年份，例如 [2027]"))?;
            let mut off = BTreeSet::new();
            for [from, to] in file.off {
                let mut day = from.0;
                while day <= to.0 {
                    off.insert(day);
                    day = day.succ_opt().expect("a date within range");
                }
            }
            let work = file.work.into_iter().map(|d| d.0).collect();
            years.insert(year, Year { off, work, source: file.source });
        }
        Ok(Calendar { years })
    }

    /// This table with each year of `other` replacing its own.
    pub fn overlaid(&self, other: Calendar) -> Calendar {
        let mut years = self.years.clone();
        years.extend(other.years);
        Calendar { years }
    }

    /// Whether the table knows the holidays of `year`; outside it, only weekends are days off.
    pub fn covers(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    pub fn years(&self) -> Vec<i32> {
        self.years.keys().copied().collect()
    }

    pub fn source(&self, year: i32) -> Option<&str> {
        self.years.get(&year).map(|y| y.source.as_str())
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        if let Some(year) = self.years.get(&day.year()) {
            if year.work.contains(&day) {
                return true;
            }
            if year.off.contains(&day) {
                return false;
            }
        }
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
    }

    /// Working days from `from` to `to`, both included.
    pub fn working_days(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        from.iter_days().take_while(|d| *d <= to).filter(|d| self.is_working_day(*d)).count() as u32
    }

    /// The years of the span the table does not cover.
    pub fn uncovered(&self, from: NaiveDate, to: NaiveDate) -> Vec<i32> {
        (from.year()..=to.year()).filter(|y| !self.covers(*y)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_shipped_table_covers_2023_to_2026() {
        assert_eq!(Calendar::builtin().years(), [2023, 2024, 2025, 2026]);
    }

    #[test]
    fn holidays_and_exchanged_weekends_count_as_the_notices_say() {
        let c = Calendar::builtin();
        // 2026 国庆: 10月1日至7日放假, 10月10日（周六）上班.
        assert!(!c.is_working_day(d(2026, 10, 5)));
        assert!(c.is_working_day(d(2026, 10, 10)));
        assert!(!c.is_working_day(d(2026, 10, 11)));
        // Mon 9/28 … Sun 10/11 2026: 9/28–9/30, 10/8, 10/9, 10/10 are working days.
        assert_eq!(c.working_days(d(2026, 9, 28), d(2026, 10, 11)), 6);
        // An ordinary week.
        assert_eq!(c.working_days(d(2026, 11, 16), d(2026, 11, 22)), 5);
    }

    #[test]
    fn a_branch_file_replaces_a_year() {
        let own = Calendar::parse("[2026]\noff = [[2026-11-16, 2026-11-16]]\n").unwrap();
        let c = Calendar::builtin().overlaid(own);
        assert_eq!(c.working_days(d(2026, 11, 16), d(2026, 11, 22)), 4);
        // The 2026 national holidays of the built-in table are gone with the year it replaced.
        assert!(c.is_working_day(d(2026, 10, 8)));
        assert!(Calendar::parse("[二〇二六]\n").is_err());
    }
}
