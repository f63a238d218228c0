//! The view model: every fact a template may print, already derived and formatted.
//!
//! Templates only lay out; all arithmetic (counts, quorum, vote results) and all Chinese wording
//! that depends on facts is decided here, so the eight documents cannot disagree.
//! The fields are documented in templates/README.md.

use serde::Serialize;

pub use super::count::Count;
use super::document::Document;
use super::extra::json_table;
use super::fonts::Fonts;
use crate::model::{Kind, MemberStatus};
use crate::record::{activity_title, running_title, Presence, Record};
pub use crate::render::decision::DecisionView;
use crate::render::decision::{self, Meeting};
use crate::rules;
use crate::text::{numeral, BLANK, BLANK_COUNT};

#[derive(Debug, Serialize)]
pub struct Packet {
    pub blank: &'static str,
    /// The branch's `[extra]` overlaid by the activity's, key by key (the activity wins).
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub branch: BranchView,
    pub act: ActivityView,
    pub people: People,
    pub quorum: Option<QuorumView>,
    pub agenda: Vec<AgendaView>,
    /// Decisions not tied to an agenda item.
    pub other_decisions: Vec<DecisionView>,
    pub decisions: Vec<DecisionView>,
    pub photos: Vec<PhotoView>,
    pub summary: SummaryView,
    pub reflections: Vec<ReflectionView>,
    pub documents: Vec<DocumentView>,
    pub fonts: Fonts,
}

#[derive(Debug, Serialize)]
pub struct BranchView {
    pub name: String,
    pub short: Option<String>,
    /// The short name when there is one, for running text.
    pub display: String,
    pub parent: Option<String>,
    /// branch.toml's `[extra]` as written.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

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

#[derive(Debug, Serialize)]
pub struct People {
    /// Who the notice is addressed to.
    pub addressees: String,
    pub expected: Vec<ExpectedView>,
    pub counts: CountsView,
    pub on_leave: Vec<LeaveView>,
    /// Expected, not present, with no leave recorded.
    pub missing: Vec<String>,
    pub present_names: Vec<String>,
    pub guests: Vec<GuestView>,
    /// Members left out of 应到 for an approved reason.
    pub excluded: Vec<LeaveView>,
}

#[derive(Debug, Serialize)]
pub struct ExpectedView {
    pub no: usize,
    pub name: String,
    pub role: Option<String>,
    pub status: &'static str,
    /// 职务 when given, else 正式党员/预备党员: the sign-in sheet's 职务/身份 column.
    pub identity: String,
    pub present: bool,
    pub on_leave: bool,
    pub missing: bool,
    pub reason: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct CountsView {
    /// From the roster: known before the meeting too.
    pub expected: u32,
    /// The rest are blanks (＿＿) for a planned activity.
    pub present: Count,
    pub present_full: Count,
    pub present_probationary: Count,
    pub on_leave: Count,
    pub missing: Count,
    /// 请假 and 缺席 together: everyone expected who did not come.
    pub absent: Count,
    pub voting_expected: u32,
    pub voting_present: Count,
    /// Members under 留党察看 present.
    pub present_disciplinary: Count,
    /// 委员 at a 支委会 (its counts are of committee members), else empty.
    pub unit: &'static str,
    /// After 实到: （正式党员11人，预备党员2人）, with 留党察看 when there are such members;
    /// empty at a 支委会.
    pub composition: String,
}

#[derive(Debug, Serialize)]
pub struct LeaveView {
    pub name: String,
    pub reason: String,
}

#[derive(Debug, Serialize)]
pub struct GuestView {
    pub name: String,
    pub title: Option<String>,
    /// For lists: 孙丽（局党委委员）, or 入党申请人（发展对象）李明 when the title has brackets of
    /// its own (no brackets inside brackets).
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct QuorumView {
    pub rule: &'static str,
    pub base: u32,
    /// A blank (＿＿) for a planned activity.
    pub present: Count,
    pub needed: u32,
    /// `None` for a planned activity: not known before the meeting.
    pub holds: Option<bool>,
    /// Who the rule counts: 有表决权的正式党员 or 支部委员.
    pub subject: &'static str,
    /// Where the rule is written.
    pub source: &'static str,
    /// The host's sentence about the quorum, true to the counts: it says 符合规定，可以开会 only
    /// when the quorum holds; for a planned activity it has blanks and 符合／不符合 to strike.
    pub statement: String,
}

#[derive(Debug, Serialize)]
pub struct AgendaView {
    pub no: usize,
    pub numeral: String,
    pub title: String,
    pub presenter: Option<String>,
    pub notes: Option<String>,
    pub speeches: Vec<SpeechView>,
    pub decisions: Vec<DecisionView>,
}

#[derive(Debug, Serialize)]
pub struct SpeechView {
    pub speaker: String,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct PhotoView {
    pub no: usize,
    /// File name inside the activity's output folder.
    pub file: String,
    pub caption: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct SummaryView {
    /// The secretary's own text, when given.
    pub text: Option<String>,
    /// Otherwise: sentences built only from the facts.
    pub digest: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ReflectionView {
    pub author: String,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct DocumentView {
    pub key: &'static str,
    pub number: &'static str,
    pub title: &'static str,
    pub stem: String,
}

impl Packet {
    /// Builds the view model; `photo_files` are the names the photos get in the output folder.
    pub fn new(record: &Record, photo_files: &[String], documents: &[Document], fonts: Fonts) -> Packet {
        let file = &record.activity.file;
        let info = &record.activity.branch.file.branch;
        let kind = record.kind();
        let act = activity_view(record);
        let people = people(record, kind, act.group.as_deref());
        let quorum = quorum_view(record);
        let meeting = Meeting {
            planned: record.is_planned(),
            attendance_known: record.attendance_known,
            opening: record.quorum.as_ref(),
            voting_expected: record.counts.voting_expected,
            voting_present: record.counts.voting_present,
            committee: kind == Kind::Committee,
            committee_expected: record.counts.expected,
            committee_present: record.counts.present,
        };
        let mut decisions: Vec<DecisionView> = file
            .decisions
            .iter()
            .zip(&record.decisions)
            .enumerate()
            .map(|(i, (d, outcome))| decision::view(i, d.get_ref(), outcome, &meeting))
            .collect();
        decision::set_announcements(&mut decisions, &file.agenda.iter().map(|a| a.title.clone()).collect::<Vec<_>>());
        let agenda = agenda_view(record, &decisions);
        let other_decisions = decisions.iter().filter(|d| d.agenda.is_none()).cloned().collect();
        let photos = file
            .photos
            .iter()
            .zip(photo_files)
            .enumerate()
            .map(|(i, (p, name))| PhotoView { no: i + 1, file: name.clone(), caption: non_empty(p.caption.as_deref()) })
            .collect();
        let summary_text = file.summary.as_ref().and_then(|s| non_empty(s.text.as_deref()));
        let branch_extra = json_table(&record.activity.branch.file.extra);
        let mut extra = branch_extra.clone();
        extra.extend(act.extra.clone());
        let mut packet = Packet {
            blank: BLANK,
            extra,
            branch: BranchView {
                name: info.name.trim().to_string(),
                short: non_empty(info.short.as_deref()),
                display: info.display_name().trim().to_string(),
                parent: non_empty(info.parent.as_deref()),
                extra: branch_extra,
            },
            act,
            people,
            quorum,
            agenda,
            other_decisions,
            decisions,
            photos,
            summary: SummaryView { text: summary_text, digest: Vec::new() },
            reflections: file
                .reflections
                .iter()
                .map(|r| ReflectionView {
                    author: r.author.get_ref().trim().to_string(),
                    text: r.text.trim().to_string(),
                })
                .collect(),
            documents: documents
                .iter()
                .map(|d| DocumentView { key: d.key(), number: d.number(), title: d.title(kind), stem: d.stem(kind) })
                .collect(),
            fonts,
        };
        if packet.summary.text.is_none() {
            packet.summary.digest = super::digest::digest(&packet);
        }
        packet
    }
}

fn activity_view(record: &Record) -> ActivityView {
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

fn agenda_view(record: &Record, decisions: &[DecisionView]) -> Vec<AgendaView> {
    record
        .activity
        .file
        .agenda
        .iter()
        .enumerate()
        .map(|(i, item)| AgendaView {
            no: i + 1,
            numeral: numeral(i + 1),
            title: or_blank(&item.title),
            presenter: item.presenter.as_ref().map(|p| p.get_ref().trim().to_string()),
            notes: non_empty(item.notes.as_deref()),
            speeches: item
                .speeches
                .iter()
                .map(|s| SpeechView {
                    speaker: s.speaker.get_ref().trim().to_string(),
                    text: s.text.trim().to_string(),
                })
                .collect(),
            decisions: decisions.iter().filter(|d| d.agenda == Some(i + 1)).cloned().collect(),
        })
        .collect()
}

/// The meeting's opening quorum sentence: true to the counts, blanks when they are not known.
fn quorum_view(record: &Record) -> Option<QuorumView> {
    let kind = record.held_as();
    if !record.attendance_known {
        // The rule and its base come from the roster; who comes is for the host to fill in.
        return rules::quorum(kind, record.counts).map(|q| QuorumView {
            rule: q.rule,
            base: q.base,
            present: Count::Unknown(BLANK_COUNT),
            needed: q.needed,
            holds: None,
            subject: q.subject,
            source: q.source,
            statement: format!(
                "实到{}{BLANK_COUNT}人。按规定须{}（应到{}人，至少{}人），到会人数符合／不符合规定。",
                q.subject, q.rule, q.base, q.needed
            ),
        });
    }
    let q = record.quorum.as_ref()?;
    let statement = if q.holds {
        format!("实到{}{}人，{}，符合规定，可以开会。", q.subject, q.present, q.rule)
    } else {
        format!(
            "实到{}{}人，未达到{}（应到{}人，至少须到{}人）的要求。",
            q.subject, q.present, q.rule, q.base, q.needed
        )
    };
    Some(QuorumView {
        rule: q.rule,
        base: q.base,
        present: Count::Known(q.present),
        needed: q.needed,
        holds: Some(q.holds),
        subject: q.subject,
        source: q.source,
        statement,
    })
}

/// A fact written blank (`location = ""`) is a visible blank ＿＿＿＿, never nothing.
fn or_blank(text: &str) -> String {
    non_empty(Some(text)).unwrap_or_else(|| BLANK.to_string())
}

fn non_empty(text: Option<&str>) -> Option<String> {
    text.map(str::trim).filter(|t| !t.is_empty()).map(str::to_string)
}

fn people(record: &Record, kind: Kind, group: Option<&str>) -> People {
    let expected: Vec<ExpectedView> = record
        .expected
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let status = a.member.status.chinese();
            let role = non_empty(a.member.role.as_deref());
            let reason = match &a.presence {
                Presence::OnLeave(reason) => Some(reason.clone()),
                _ => None,
            };
            ExpectedView {
                no: i + 1,
                name: a.member.name.get_ref().clone(),
                identity: match &role {
                    Some(role) if a.member.status != MemberStatus::Full => format!("{role}（{status}）"),
                    Some(role) => role.clone(),
                    None => status.to_string(),
                },
                role,
                status,
                present: a.presence == Presence::Present,
                on_leave: matches!(a.presence, Presence::OnLeave(_)),
                missing: a.presence == Presence::Missing,
                reason,
            }
        })
        .collect();
    let on_leave: Vec<LeaveView> = expected
        .iter()
        .filter_map(|e| e.reason.as_ref().map(|r| LeaveView { name: e.name.clone(), reason: r.clone() }))
        .collect();
    let missing: Vec<String> = expected.iter().filter(|e| e.missing).map(|e| e.name.clone()).collect();
    let present_names = expected.iter().filter(|e| e.present).map(|e| e.name.clone()).collect();
    let counts = record.counts;
    let present_with = |status: MemberStatus| {
        record.expected.iter().filter(|a| a.presence == Presence::Present && a.member.status == status).count() as u32
    };
    let guests = guests(record);
    let excluded = record
        .activity
        .branch
        .file
        .members
        .iter()
        .map(|m| m.get_ref())
        .filter(|m| crate::record::is_in_scope(&kind, group, m))
        .filter_map(|m| {
            m.excluded.as_ref().map(|r| LeaveView { name: m.name.get_ref().clone(), reason: r.trim().to_string() })
        })
        .collect();
    People {
        addressees: match (kind, group) {
            (Kind::Committee, _) => "支部委员会全体委员".to_string(),
            (Kind::GroupMeeting, Some(group)) => format!("{group}全体党员"),
            _ => "全体党员".to_string(),
        },
        counts: {
            let known = |n: u32| Count::of(record.attendance_known, n);
            let (full, probationary, disciplinary) = (
                known(present_with(MemberStatus::Full)),
                known(present_with(MemberStatus::Probationary)),
                known(present_with(MemberStatus::DisciplinaryProbation)),
            );
            let has_disciplinary =
                record.expected.iter().any(|a| a.member.status == MemberStatus::DisciplinaryProbation);
            let composition = match kind {
                Kind::Committee => String::new(),
                _ if has_disciplinary => {
                    format!("（正式党员{full}人，预备党员{probationary}人，留党察看党员{disciplinary}人）")
                }
                _ => format!("（正式党员{full}人，预备党员{probationary}人）"),
            };
            CountsView {
                expected: counts.expected,
                present: known(counts.present),
                present_full: full,
                present_probationary: probationary,
                present_disciplinary: disciplinary,
                on_leave: known(on_leave.len() as u32),
                missing: known(missing.len() as u32),
                absent: known(counts.expected - counts.present),
                voting_expected: counts.voting_expected,
                voting_present: known(counts.voting_present),
                unit: if kind == Kind::Committee { "委员" } else { "" },
                composition,
            }
        },
        expected,
        on_leave,
        missing,
        present_names,
        guests,
        excluded,
    }
}

/// Guests, and members present who were not expected (a non-committee member at a 支委会).
fn guests(record: &Record) -> Vec<GuestView> {
    let mut guests: Vec<GuestView> = record
        .activity
        .file
        .attendance()
        .guests
        .iter()
        .map(|g| guest(g.name.trim().to_string(), non_empty(g.title.as_deref())))
        .collect();
    guests.extend(record.extra_present.iter().map(|m| {
        guest(
            m.name.get_ref().clone(),
            Some(non_empty(m.role.as_deref()).unwrap_or_else(|| m.status.chinese().to_string())),
        )
    }));
    guests
}

fn guest(name: String, title: Option<String>) -> GuestView {
    let text = match &title {
        Some(t) if t.contains(['（', '(']) => format!("{t}{name}"),
        Some(t) => format!("{name}（{t}）"),
        None => name.clone(),
    };
    GuestView { name, title, text }
}
