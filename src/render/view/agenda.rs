//! The agenda: each item with its speeches and the decisions taken under it.

use serde::Serialize;

use super::{non_empty, or_blank, DecisionView};
use crate::record::Record;
use crate::text::numeral;

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

pub(super) fn view(record: &Record, decisions: &[DecisionView]) -> Vec<AgendaView> {
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
