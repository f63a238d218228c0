//! What pdb itself writes about a record, the same in every document and in the ledger: the
//! activity's title and what the 台账 says of a vote (the outcome itself: `DecisionOutcome::result_text`).

use chrono::Datelike;

use super::Record;
use crate::model::{Date, Kind};

/// What the 决议 column says of a decision whose votes were not recorded.
pub const NO_VOTES: &str = "未记录表决";

/// What the 决议 column says of a vote whose result cannot be judged (attendance not recorded).
pub const NOT_KNOWN: &str = "结果待核（未记录出席情况）";

/// What the 决议 column says of a decision of an activity that has not been held.
pub const NOT_YET: &str = "待表决";

/// The activity's title as every document prints it: the one written, or one made from the
/// branch, the month and the kind. The 台账 uses it too.
pub fn activity_title(record: &Record) -> String {
    let file = &record.activity.file;
    match &file.title {
        Some(t) if !t.trim().is_empty() => t.trim().to_string(),
        _ => {
            // A 党小组会 is the group's: its default title names it.
            let group = file.group.as_ref().map(|g| g.get_ref().trim()).filter(|_| record.kind() == Kind::GroupMeeting);
            let who = format!("{}{}", record.activity.branch.file.branch.display_name(), group.unwrap_or(""));
            default_title(&who, record.kind(), *file.date.get_ref())
        }
    }
}

fn default_title(branch: &str, kind: Kind, date: Date) -> String {
    let suffix = if kind == Kind::ThemeDay { "活动" } else { "" };
    format!("{branch}{}年{}月{}{suffix}", date.0.year(), date.0.month(), kind.short_name())
}

/// The title as it reads inside a sentence (定于…召开{subject}。, 关于召开{subject}的通知): without a
/// leading 关于, and in quotation marks when it has a colon of its own (书记讲党课：学习…), so
/// that no generated title or sentence carries a bare colon in its middle.
pub fn running_title(title: &str) -> String {
    let title = title.strip_prefix("关于").unwrap_or(title);
    if title.contains(['：', ':']) {
        format!("“{title}”")
    } else {
        title.to_string()
    }
}
