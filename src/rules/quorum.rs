//! The arithmetic of the 支部工作条例: quorum and vote thresholds. Pure functions on counts,
//! so that every edge (exactly half, 4/5, probationary members) is tested on its own.

use serde::Serialize;

use crate::model::{DecisionKind, Kind};

/// Who was expected and who came, split by the right to vote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// 应到: expected members (excluded members already left out).
    pub expected: u32,
    /// 实到: expected members present.
    pub present: u32,
    /// Expected full (正式) members: the ones with a vote.
    pub voting_expected: u32,
    /// Full members present.
    pub voting_present: u32,
}

/// A quorum requirement and whether the meeting met it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Quorum {
    /// The base the rule counts against (应到 voters, or 应到 committee members).
    pub base: u32,
    /// How many of that base were present.
    pub present: u32,
    /// The smallest attendance that satisfies the rule.
    pub needed: u32,
    pub holds: bool,
    /// The rule in words, e.g. 超过应到会有表决权党员的半数.
    pub rule: &'static str,
}

/// Smallest n with n > base/2.
pub fn more_than_half(base: u32) -> u32 {
    base / 2 + 1
}

/// Smallest n with n > base·4/5.
pub fn more_than_four_fifths(base: u32) -> u32 {
    base * 4 / 5 + 1
}

/// The quorum that applies to a meeting of `kind`, or `None` where the rules set none.
/// An election anywhere needs more than 4/5 of the expected voters.
pub fn quorum(kind: Kind, counts: Counts, has_election: bool) -> Option<Quorum> {
    let (base, present, needed, rule) = if has_election {
        let base = counts.voting_expected;
        (base, counts.voting_present, more_than_four_fifths(base), "超过应到会有选举权党员的五分之四")
    } else {
        match kind {
            Kind::PartyCongress => {
                let base = counts.voting_expected;
                (base, counts.voting_present, more_than_half(base), "超过应到会有表决权党员的半数")
            }
            Kind::Committee => {
                let base = counts.expected;
                (base, counts.present, more_than_half(base), "超过支部委员会委员的半数")
            }
            _ => return None,
        }
    };
    Some(Quorum { base, present, needed, holds: present >= needed, rule })
}

/// The vote threshold of a decision: how many 同意 votes it needs, and against what base.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Threshold {
    pub base: u32,
    pub needed: u32,
    /// The rule in words, e.g. 同意票超过应到会有表决权党员的半数.
    pub rule: &'static str,
}

pub fn threshold(kind: Kind, decision: DecisionKind, counts: Counts) -> Threshold {
    let (base, rule) = match (decision, kind) {
        (DecisionKind::Admission | DecisionKind::Confirmation, _) | (DecisionKind::Ordinary, Kind::PartyCongress) => {
            (counts.voting_expected, "同意票超过应到会有表决权党员的半数")
        }
        (DecisionKind::Ordinary, Kind::Committee) => (counts.expected, "同意票超过支部委员会委员的半数"),
        (DecisionKind::Election, _) => (counts.voting_present, "得票超过实到会有选举权党员的半数"),
        (DecisionKind::Ordinary, _) => (counts.voting_present, "同意票超过实到会有表决权党员的半数"),
    };
    Threshold { base, needed: more_than_half(base), rule }
}

impl Threshold {
    pub fn passes(&self, yes: u32) -> bool {
        yes >= self.needed
    }
}
