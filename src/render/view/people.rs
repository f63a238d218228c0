//! Who the activity is for: the expected members with their presence, the counts, who was away,
//! the guests and who is left out of 应到.

use serde::Serialize;

use super::{non_empty, Count};
use crate::model::{Kind, MemberStatus};
use crate::record::{Presence, Record};

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

pub(super) fn view(record: &Record, kind: Kind, group: Option<&str>) -> People {
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
