//! TOML's native local date and time, converted to chrono (chrono's serde cannot read them).

use std::fmt;

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};
use serde::{Deserialize, Deserializer};
use toml::value::Datetime;

/// A TOML local date: `date = 2026-11-05`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

/// A TOML local time: `start = 14:30:00` (or `14:30`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time(pub NaiveTime);

const DATE_HINT: &str = "日期请直接写成 2026-11-05 这样的格式，不加引号";
const TIME_HINT: &str = "时间请直接写成 14:30:00 这样的格式（24 小时制），不加引号";

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Datetime::deserialize(deserializer)
            .map_err(|_| serde::de::Error::custom(format!("应为日期。{DATE_HINT}")))?;
        match (value.date, value.time, value.offset) {
            (Some(d), None, None) => NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
                .map(Date)
                .ok_or_else(|| serde::de::Error::custom(format!("日期不存在。{DATE_HINT}"))),
            _ => Err(serde::de::Error::custom(format!("应为日期，不要带时间。{DATE_HINT}"))),
        }
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Datetime::deserialize(deserializer)
            .map_err(|_| serde::de::Error::custom(format!("应为时间。{TIME_HINT}")))?;
        match (value.date, value.time, value.offset) {
            (None, Some(t), None) => {
                NaiveTime::from_hms_opt(t.hour.into(), t.minute.into(), t.second.unwrap_or(0).into())
                    .map(Time)
                    .ok_or_else(|| serde::de::Error::custom(format!("时间不存在。{TIME_HINT}")))
            }
            _ => Err(serde::de::Error::custom(format!("应为时间，不要带日期。{TIME_HINT}"))),
        }
    }
}

const WEEKDAYS: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];

impl Date {
    /// 2026年11月5日: Arabic numerals, full year, no zero padding (GB/T 9704).
    pub fn chinese(self) -> String {
        format!("{}年{}月{}日", self.0.year(), self.0.month(), self.0.day())
    }

    /// 2026年11月5日（星期四）
    pub fn chinese_with_weekday(self) -> String {
        let weekday = WEEKDAYS[self.0.weekday().num_days_from_monday() as usize];
        format!("{}（星期{weekday}）", self.chinese())
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl fmt::Display for Time {
    /// 14:30, as printed in documents.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{:02}", self.0.hour(), self.0.minute())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_chinese_without_zero_padding_and_with_the_weekday() {
        let date = Date(NaiveDate::from_ymd_opt(2026, 11, 5).unwrap());
        assert_eq!(date.chinese(), "2026年11月5日");
        assert_eq!(date.chinese_with_weekday(), "2026年11月5日（星期四）");
        let sunday = Date(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap());
        assert_eq!(sunday.chinese_with_weekday(), "2026年3月1日（星期日）");
    }

    #[test]
    fn times_print_without_seconds() {
        let time = Time(NaiveTime::from_hms_opt(9, 5, 0).unwrap());
        assert_eq!(time.to_string(), "9:05");
    }

    #[test]
    fn toml_dates_and_times_deserialize() {
        #[derive(Deserialize)]
        struct T {
            d: Date,
            t: Time,
            short: Time,
        }
        let t: T = toml::from_str("d = 2026-11-05\nt = 14:30:00\nshort = 08:15").unwrap();
        assert_eq!(t.d.to_string(), "2026-11-05");
        assert_eq!(t.t.to_string(), "14:30");
        assert_eq!(t.short.to_string(), "8:15");
        assert!(toml::from_str::<T>("d = \"2026-11-05\"\nt = 14:30:00\nshort = 08:15").is_err());
    }
}
