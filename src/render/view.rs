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
use crate::record::{activity_title, vote_result, Presence, Record};
use crate::rules;
use crate::text::{numeral, one_line, BLANK, BLANK_COUNT};

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
    /// 召开 or 开展.
    pub notice_verb: &'static str,
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
    /// Who the rule counts: 有表决权的正式党员, 支部委员 or 有选举权的正式党员.
    pub subject: &'static str,
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

#[derive(Debug, Clone, Serialize)]
pub struct DecisionView {
    pub no: usize,
    pub numeral: String,
    pub text: String,
    pub kind: &'static str,
    pub kind_slug: &'static str,
    /// 1-based agenda item, if the decision belongs to one.
    pub agenda: Option<usize>,
    pub votes: Option<VotesView>,
    /// 通过 or 未通过; `None` when no votes were recorded.
    pub result: Option<&'static str>,
    pub rule: &'static str,
    pub needed: u32,
    pub base: u32,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct VotesView {
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
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
        let date = *file.date.get_ref();
        let start = file.start.get_ref().to_string();
        let end = file.end.as_ref().map(|e| e.get_ref().to_string());
        let title = activity_title(record);
        let time = match &end {
            Some(end) => format!("{}{start}—{end}", date.chinese_with_weekday()),
            None => format!("{}{start}", date.chinese_with_weekday()),
        };
        let group = file.group.as_ref().map(|g| g.get_ref().trim().to_string());

        let planned = record.is_planned();
        let act = ActivityView {
            status: if planned { "计划" } else { "已召开" },
            status_slug: if planned { "planned" } else { "held" },
            is_planned: planned,
            extra: json_table(&file.extra),
            kind: kind.chinese(),
            kind_slug: kind.slug(),
            kind_short: kind.short_name(),
            is_activity: kind.is_activity(),
            noun: if kind.is_activity() { "活动" } else { "会议" },
            notice_subject: title.strip_prefix("关于").unwrap_or(&title).to_string(),
            notice_verb: if kind.is_activity() { "开展" } else { "召开" },
            title,
            date: date.chinese_with_weekday(),
            date_plain: date.chinese(),
            date_iso: date.to_string(),
            start,
            end,
            time,
            location: file.location.trim().to_string(),
            host: file.host.get_ref().trim().to_string(),
            recorder: file.recorder.as_ref().map_or_else(|| BLANK.to_string(), |r| r.get_ref().trim().to_string()),
            lecturer: file.lecturer.as_ref().map(|l| l.get_ref().trim().to_string()),
            theme: non_empty(file.theme.as_deref()),
            group: group.clone(),
            notice_date: file.notice_date.as_ref().map(|d| d.get_ref().chinese()),
            attendees_note: non_empty(file.attendees_note.as_deref()),
            source_file: record.path().file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        };

        let people = people(record, kind, group.as_deref());
        let quorate = record.quorum.as_ref().is_none_or(|q| q.holds);
        let decisions: Vec<DecisionView> = file
            .decisions
            .iter()
            .zip(&record.decisions)
            .enumerate()
            .map(|(i, (d, outcome))| {
                let d = d.get_ref();
                DecisionView {
                    no: i + 1,
                    numeral: numeral(i + 1),
                    text: d.text.trim().to_string(),
                    kind: d.kind.chinese(),
                    kind_slug: d.kind.slug(),
                    agenda: d.agenda.as_ref().map(|a| *a.get_ref() as usize),
                    votes: d.votes.as_ref().map(|v| {
                        let v = v.get_ref();
                        VotesView { yes: v.yes, no: v.no, abstain: v.abstain }
                    }),
                    result: outcome.passed.map(|passed| vote_result(passed, quorate)),
                    rule: outcome.threshold.rule,
                    needed: outcome.threshold.needed,
                    base: outcome.threshold.base,
                }
            })
            .collect();
        let agenda = file
            .agenda
            .iter()
            .enumerate()
            .map(|(i, item)| AgendaView {
                no: i + 1,
                numeral: numeral(i + 1),
                title: item.title.trim().to_string(),
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
            .collect();
        let other_decisions = decisions.iter().filter(|d| d.agenda.is_none()).cloned().collect();
        let photos = file
            .photos
            .iter()
            .zip(photo_files)
            .enumerate()
            .map(|(i, (p, name))| PhotoView { no: i + 1, file: name.clone(), caption: non_empty(p.caption.as_deref()) })
            .collect();
        let summary_text = file.summary.as_ref().and_then(|s| non_empty(s.text.as_deref()));
        let has_election = decisions.iter().any(|d| d.kind_slug == "election");
        let who = match (kind, has_election) {
            (_, true) => "有选举权的正式党员",
            (Kind::Committee, false) => "支部委员",
            _ => "有表决权的正式党员",
        };
        let quorum = match (planned, &record.quorum) {
            // The rule and its base come from the roster; who comes is for the host to fill in.
            (true, _) => rules::quorum(kind, record.counts, has_election).map(|q| QuorumView {
                rule: q.rule,
                base: q.base,
                present: Count::Unknown(BLANK_COUNT),
                needed: q.needed,
                holds: None,
                subject: who,
                statement: format!(
                    "实到{who}{BLANK_COUNT}人。按规定须{}（应到{}人，至少{}人），到会人数符合／不符合规定。",
                    q.rule, q.base, q.needed
                ),
            }),
            (false, Some(q)) => {
                let statement = if q.holds {
                    format!("实到{who}{}人，{}，符合规定，可以开会。", q.present, q.rule)
                } else {
                    format!(
                        "实到{who}{}人，未达到{}（应到{}人，至少须到{}人）的要求。",
                        q.present, q.rule, q.base, q.needed
                    )
                };
                Some(QuorumView {
                    rule: q.rule,
                    base: q.base,
                    present: Count::Known(q.present),
                    needed: q.needed,
                    holds: Some(q.holds),
                    subject: who,
                    statement,
                })
            }
            (false, None) => None,
        };

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
            packet.summary.digest = digest(&packet);
        }
        packet
    }
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
                    Some(role) if a.member.status == MemberStatus::Probationary => format!("{role}（预备党员）"),
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
    let present_full = counts.voting_present;
    let mut guests: Vec<GuestView> = record
        .activity
        .file
        .attendance
        .guests
        .iter()
        .map(|g| GuestView { name: g.name.trim().to_string(), title: non_empty(g.title.as_deref()) })
        .collect();
    guests.extend(record.extra_present.iter().map(|m| GuestView {
        name: m.name.get_ref().clone(),
        title: Some(non_empty(m.role.as_deref()).unwrap_or_else(|| m.status.chinese().to_string())),
    }));
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
            let known = |n: u32| Count::of(!record.is_planned(), n);
            CountsView {
                expected: counts.expected,
                present: known(counts.present),
                present_full: known(present_full),
                present_probationary: known(counts.present - present_full),
                on_leave: known(on_leave.len() as u32),
                missing: known(missing.len() as u32),
                absent: known(counts.expected - counts.present),
                voting_expected: counts.voting_expected,
                voting_present: known(counts.voting_present),
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

/// The summary pdb writes when the secretary wrote none: facts only, no praise, no outcomes
/// beyond the recorded decisions.
fn digest(p: &Packet) -> Vec<String> {
    let act = &p.act;
    let c = &p.people.counts;
    let mut out = Vec::new();
    // A default title already starts with the branch's name; do not say it twice.
    let who = if act.title.starts_with(&p.branch.display) { String::new() } else { p.branch.display.clone() };
    out.push(format!(
        "{}，{who}在{}{}{}，由{}主持，{}记录。",
        act.time, act.location, act.notice_verb, act.title, act.host, act.recorder
    ));
    let mut line = match &act.theme {
        Some(theme) => format!("{}主题为“{theme}”。", act.noun),
        None => String::new(),
    };
    if let Some(lecturer) = &act.lecturer {
        line.push_str(&format!("由{lecturer}同志讲授党课。"));
    }
    if !line.is_empty() {
        out.push(line);
    }
    let mut attendance = format!(
        "应到{}人，实到{}人（正式党员{}人，预备党员{}人）",
        c.expected, c.present, c.present_full, c.present_probationary
    );
    if !p.people.on_leave.is_empty() {
        let names: Vec<String> =
            p.people.on_leave.iter().map(|l| format!("{}（{}）", l.name, one_line(&l.reason))).collect();
        attendance.push_str(&format!("，请假{}人：{}", c.on_leave, names.join("、")));
    }
    if !p.people.missing.is_empty() {
        attendance.push_str(&format!("，缺席{}人：{}", c.missing, p.people.missing.join("、")));
    }
    attendance.push('。');
    if !p.people.guests.is_empty() {
        let names: Vec<String> = p
            .people
            .guests
            .iter()
            .map(|g| match &g.title {
                Some(t) => format!("{}（{}）", g.name, one_line(t)),
                None => g.name.clone(),
            })
            .collect();
        attendance.push_str(&format!("列席：{}。", names.join("、")));
    }
    out.push(attendance);
    if !p.agenda.is_empty() {
        let items: Vec<String> =
            p.agenda.iter().map(|a| format!("{}是{}", a.numeral, one_line(&a.title).trim_end_matches('。'))).collect();
        out.push(format!("{}共有{}项议程：{}。", act.noun, p.agenda.len(), items.join("；")));
    }
    for d in &p.decisions {
        let text = one_line(&d.text);
        let text = text.trim_end_matches('。');
        out.push(match (&d.votes, d.result) {
            (Some(v), Some(result)) => format!(
                "{}对“{text}”进行表决，同意{}票、反对{}票、弃权{}票，{result}。",
                act.noun, v.yes, v.no, v.abstain
            ),
            _ => format!("{}决定：{text}。", act.noun),
        });
    }
    out
}
