//! The quorum of the meeting's opening and the host's sentence about it.

use serde::Serialize;

use super::Count;
use crate::record::Record;
use crate::rules;
use crate::text::BLANK_COUNT;

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

/// The meeting's opening quorum sentence: true to the counts, blanks when they are not known.
pub(super) fn view(record: &Record) -> Option<QuorumView> {
    let kind = record.kind();
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
