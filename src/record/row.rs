//! The ledger row of a checked record.

use super::wording::{activity_title, NOT_KNOWN, NOT_YET, NO_VOTES};
use super::{Outcome, Presence, Record};
use crate::model::{ActivityStatus, LedgerRow};
use crate::text::one_line;

impl LedgerRow {
    pub fn from_record(record: &Record) -> LedgerRow {
        let file = &record.activity.file;
        let status = file.status();
        let held = status == ActivityStatus::Held;
        let decisions = file
            .decisions
            .iter()
            .zip(&record.decisions)
            .map(|(decision, outcome)| {
                let text = one_line(&decision.get_ref().text);
                let result = match (&outcome.outcome, outcome.result_text()) {
                    (Outcome::Pending, _) => NOT_YET.to_string(),
                    (Outcome::NotVoted, _) => NO_VOTES.to_string(),
                    (_, Some(text)) => text,
                    (_, None) => NOT_KNOWN.to_string(),
                };
                format!("{}：{result}", text.trim_end_matches('。'))
            })
            .collect();
        let on_leave = record.expected.iter().filter(|a| matches!(a.presence, Presence::OnLeave(_))).count() as u32;
        LedgerRow {
            input: record.path().to_path_buf(),
            folder: None,
            date: file.date.get_ref().0,
            kind: record.kind(),
            group: file.group.as_ref().map(|g| g.get_ref().trim().to_string()),
            title: activity_title(record),
            status,
            expected: record.counts.expected,
            present: if held { record.counts.present } else { 0 },
            on_leave: if held { on_leave } else { 0 },
            attendance_known: record.attendance_known || !held,
            decisions,
            decision_kinds: file.decisions.iter().map(|d| d.get_ref().kind()).collect(),
            status_at: file.status.as_ref().map(|s| record.activity.source.line_column(s.span().start)),
            date_at: Some(record.activity.source.line_column(file.date.span().start)),
            form: file.form.as_ref().map(|f| *f.get_ref()),
            no_quorum: record.quorum.as_ref().is_some_and(|q| !q.holds),
            lecturer: file.lecturer.as_ref().map(|l| l.get_ref().trim().to_string()),
            host: file.host.get_ref().trim().to_string(),
            location: one_line(&file.location).trim().to_string(),
            theme: file.theme.as_deref().map(|t| one_line(t).trim().to_string()).filter(|t| !t.is_empty()),
            marks: if held { super::marks::marks(record) } else { Vec::new() },
        }
    }
}
