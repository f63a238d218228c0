//! What pdb itself writes about a record, the same in every document and in the ledger: the
//! activity's title and the outcome of a vote.

use chrono::Datelike;

use super::Record;
use crate::model::{Date, Kind};

/// What the 决议 column says of a decision whose votes were not recorded.
pub const NO_VOTES: &str = "未记录表决";

/// What the 决议 column says of a decision of an activity that has not been held.
pub const NOT_YET: &str = "待表决";

/// The activity's title as every document prints it: the one written, or one made from the
/// branch, the month and the kind. The 台账 uses it too.
pub fn activity_title(record: &Record) -> String {
    let file = &record.activity.file;
    match &file.title {
        Some(t) if !t.trim().is_empty() => t.trim().to_string(),
        _ => default_title(record.activity.branch.file.branch.display_name(), record.kind(), *file.date.get_ref()),
    }
}

/// A vote's outcome in words: 通过, 未通过, or why it does not carry.
pub fn vote_result(passed: bool, quorate: bool) -> &'static str {
    match (passed, quorate) {
        (true, _) => "通过",
        (false, true) => "未通过",
        (false, false) => "未通过（到会人数不足，表决无效）",
    }
}

fn default_title(branch: &str, kind: Kind, date: Date) -> String {
    let suffix = if kind == Kind::ThemeDay { "活动" } else { "" };
    format!("{branch}{}年{}月{}{suffix}", date.0.year(), date.0.month(), kind.short_name())
}
