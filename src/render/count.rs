//! A number of people in a document, or a blank when it is not known yet.

use serde::Serialize;

use crate::text::BLANK_COUNT;

/// A number of people, or a blank when it is not known yet. Templates print either as it is,
/// so a template that ignores `act.is_planned` still never prints an invented count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Count {
    Known(u32),
    Unknown(&'static str),
}

impl Count {
    pub(crate) fn of(known: bool, n: u32) -> Count {
        if known {
            Count::Known(n)
        } else {
            Count::Unknown(BLANK_COUNT)
        }
    }
}

impl std::fmt::Display for Count {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Count::Known(n) => write!(f, "{n}"),
            Count::Unknown(blank) => f.write_str(blank),
        }
    }
}
