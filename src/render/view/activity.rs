//! The activity itself: its kind, title, time and place, and who issues and hosts it.

use serde::Serialize;

use super::{non_empty, or_blank};
use crate::model::Kind;
use crate::record::{activity_title, running_title, Record};
use crate::render::extra::json_table;
use crate::text::BLANK;

#[derive(Debug, Serialize)]
pub struct ActivityView {
    /// 计划 or 已召开.
    pub status: &'static str,
    /// planned or held.
    pub status_slug: &'static str,
    /// Not held yet: attendance, votes and what was said are not known.
    pub is_planned: bool,
    /// The activity file's `[extra]` as written.
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub kind: &'static str,
    pub kind_slug: &'static str,
    /// 支委会 rather than 支部委员会会议.
    pub kind_short: &'static str,
    /// 主题党日 and 党课 are 活动; the rest are 会议.
    pub is_activity: bool,
    pub noun: &'static str,
    pub title: String,
    /// The subject of the notice heading: 关于召开{subject}的通知.
    pub notice_subject: String,
    /// 召开 (meetings), 开展 (主题党日, 党课) or 举行 (其他).
    pub notice_verb: &'static str,
    /// Held with an `[attendance]` table: counts, lists and the quorum are facts. Otherwise
    /// they are blanks (before the meeting, or when attendance was not recorded).
    pub attendance_known: bool,
    /// In whose name the notice and the 纪要 are issued: the branch, or for a 党小组会 the
    /// group (条例第十三条: convened and chaired by its 组长).
    pub issuer: String,
    /// Whom leave is asked of: 支部书记, or 党小组组长.
    pub leave_to: String,
    /// The 党小组组长 of a 党小组会.
    pub group_leader: Option<String>,
    /// An agenda item already adopts the 选举办法: the election's vote does not repeat it.
    pub has_election_rules_item: bool,
    /// 2026年11月5日（星期四）
    pub date: String,
    /// 2026年11月5日
    pub date_plain: String,
    pub date_iso: String,
    pub start: String,
    pub end: Option<String>,
    /// 2026年11月5日（星期四）14:30—16:00, or …14:30 when the end is not known.
    pub time: String,
    pub location: String,
    pub host: String,
    pub recorder: String,
    pub lecturer: Option<String>,
    pub theme: Option<String>,
    pub group: Option<String>,
    pub notice_date: Option<String>,
    pub attendees_note: Option<String>,
    pub source_file: String,
}

pub(super) fn view(record: &Record) -> ActivityView {
    let file = &record.activity.file;
    let info = &record.activity.branch.file.branch;
    let kind = record.kind();
    let date = *file.date.get_ref();
    let start = file.start.get_ref().to_string();
    let end = file.end.as_ref().map(|e| e.get_ref().to_string());
    let title = activity_title(record);
    let time = match &end {
        Some(end) => format!("{}{start}—{end}", date.chinese_with_weekday()),
        None => format!("{}{start}", date.chinese_with_weekday()),
    };
    let group = file.group.as_ref().map(|g| g.get_ref().trim().to_string());
    let group_leader = group.as_deref().and_then(|g| {
        record
            .activity
            .branch
            .file
            .members
            .iter()
            .map(|m| m.get_ref())
            .find(|m| m.group_leader && m.group.as_deref().map(str::trim) == Some(g))
            .map(|m| m.name.get_ref().trim().to_string())
    });
    let planned = record.is_planned();
    let (issuer, leave_to) = match (kind, &group) {
        (Kind::GroupMeeting, Some(g)) => (
            format!("{}{g}", info.name.trim()),
            match &group_leader {
                Some(leader) => format!("党小组组长{leader}同志"),
                None => "党小组组长".to_string(),
            },
        ),
        _ => (info.name.trim().to_string(), "支部书记".to_string()),
    };
    ActivityView {
        status: if planned { "计划" } else { "已召开" },
        status_slug: if planned { "planned" } else { "held" },
        is_planned: planned,
        extra: json_table(&file.extra),
        kind: kind.chinese(),
        kind_slug: kind.slug(),
        kind_short: kind.short_name(),
        is_activity: kind.is_activity(),
        noun: if kind.is_activity() { "活动" } else { "会议" },
        notice_subject: running_title(&title),
        notice_verb: notice_verb(kind),
        attendance_known: record.attendance_known,
        issuer,
        leave_to,
        group_leader,
        has_election_rules_item: file.agenda.iter().any(|a| a.title.contains("选举办法")),
        title,
        date: date.chinese_with_weekday(),
        date_plain: date.chinese(),
        date_iso: date.to_string(),
        start,
        end,
        time,
        location: or_blank(&file.location),
        host: file.host.get_ref().trim().to_string(),
        recorder: file.recorder.as_ref().map_or_else(|| BLANK.to_string(), |r| r.get_ref().trim().to_string()),
        lecturer: file.lecturer.as_ref().map(|l| l.get_ref().trim().to_string()),
        theme: non_empty(file.theme.as_deref()),
        group,
        notice_date: file.notice_date.as_ref().map(|d| d.get_ref().chinese()),
        attendees_note: non_empty(file.attendees_note.as_deref()),
        source_file: record.path().file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
    }
}

/// 召开 a meeting, 开展 a 主题党日 or 党课, 举行 any other activity.
pub fn notice_verb(kind: Kind) -> &'static str {
    match kind {
        Kind::ThemeDay | Kind::Lecture => "开展",
        Kind::Other => "举行",
        _ => "召开",
    }
}
