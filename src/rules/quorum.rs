//! The arithmetic of the regulations: quorum, vote thresholds and who is elected. Pure functions
//! on counts, so that every edge (exactly half, 4/5, a tie at the last seat) is tested on its own.
//! Each decision is judged by its own rule; nothing here looks at another decision.

use serde::Serialize;

use crate::model::{DecisionKind, ElectionQuorum, Kind};

/// Who was expected and who came, split by the right to vote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// 应到: expected members (excluded members already left out).
    pub expected: u32,
    /// 实到: expected members present.
    pub present: u32,
    /// Expected members with a vote: 正式党员 not under 留党察看 and not suspended.
    pub voting_expected: u32,
    /// Voting members present.
    pub voting_present: u32,
}

impl Counts {
    /// Voting members expected who did not come: the most written opinions there can be.
    pub fn voting_absent(&self) -> u32 {
        self.voting_expected.saturating_sub(self.voting_present)
    }
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
    /// Who the rule counts: 有表决权的正式党员, 支部委员 or 有选举权的正式党员.
    pub subject: &'static str,
    /// Where the rule is written.
    pub source: &'static str,
}

/// Which body's rules a vote follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// 支部党员大会, and the meetings the whole branch attends that vote like it (组织生活会,
    /// 民主评议党员).
    Congress,
    /// 支部委员会.
    Committee,
    /// Any other meeting: no quorum rule.
    Other,
}

/// The body of a meeting held as `kind`: callers pass the kind it was held as
/// (`Rules::held_as`: its `form`, or what its rule `counts_as`), so a 主题党日 held as a 支部党员大会 is one.
pub fn body(kind: Kind) -> Body {
    match kind {
        Kind::PartyCongress | Kind::OrgLife | Kind::Review => Body::Congress,
        Kind::Committee => Body::Committee,
        _ => Body::Other,
    }
}

pub const SOURCE_CONGRESS: &str = "《中国共产党支部工作条例（试行）》第十一条";
pub const SOURCE_COMMITTEE: &str = "《中国共产党支部工作条例（试行）》第十二条";
pub const SOURCE_ADMISSION: &str = "《中国共产党发展党员工作细则》第二十条、第二十一条、第三十三条";
pub const SOURCE_ADMISSION_BALLOT: &str = "《中国共产党发展党员工作细则》第二十一条";
pub const SOURCE_ELECTION: &str = "《中国共产党基层组织选举工作条例》";
pub const SOURCE_RIGHTS: &str = "《中国共产党基层组织选举工作条例》第五条";

/// Smallest n with n > base/2.
pub fn more_than_half(base: u32) -> u32 {
    base / 2 + 1
}

/// Smallest n with n > base·4/5.
pub fn more_than_four_fifths(base: u32) -> u32 {
    // In u64: base · 4 must not wrap.
    (u64::from(base) * 4 / 5 + 1) as u32
}

/// Smallest n with n ≥ base·4/5 (a local reading of the election quorum).
pub fn at_least_four_fifths(base: u32) -> u32 {
    (base * 4).div_ceil(5)
}

fn make(
    base: u32,
    present: u32,
    needed: u32,
    rule: &'static str,
    subject: &'static str,
    source: &'static str,
) -> Quorum {
    Quorum { base, present, needed, holds: present >= needed, rule, subject, source }
}

/// The quorum of the meeting itself, the one the host states when opening it; `None` where the
/// rules set none (a 组织生活会 or 民主评议党员 has one only for its votes). `kind` is the kind it
/// was held as (`Rules::held_as`).
pub fn quorum(kind: Kind, counts: Counts) -> Option<Quorum> {
    match kind {
        Kind::PartyCongress => Some(congress(counts)),
        Kind::Committee => Some(committee(counts)),
        _ => None,
    }
}

fn congress(counts: Counts) -> Quorum {
    let base = counts.voting_expected;
    make(
        base,
        counts.voting_present,
        more_than_half(base),
        "超过应到会有表决权党员的半数",
        "有表决权的正式党员",
        SOURCE_CONGRESS,
    )
}

fn committee(counts: Counts) -> Quorum {
    let base = counts.expected;
    make(base, counts.present, more_than_half(base), "超过支部委员会委员的半数", "支部委员", SOURCE_COMMITTEE)
}

/// The election quorum: more than (or, by local rule, at least) 4/5 of the expected electors.
pub fn election_quorum(counts: Counts, rule: ElectionQuorum) -> Quorum {
    let base = counts.voting_expected;
    let (needed, words) = match rule {
        ElectionQuorum::MoreThan => (more_than_four_fifths(base), "超过应到会有选举权党员的五分之四"),
        ElectionQuorum::AtLeast => (at_least_four_fifths(base), "不少于应到会有选举权党员的五分之四"),
    };
    make(base, counts.voting_present, needed, words, "有选举权的正式党员", SOURCE_ELECTION)
}

/// The quorum one decision is judged by: its own, whatever else the meeting decides.
pub fn decision_quorum(kind: Kind, decision: DecisionKind, counts: Counts, election: ElectionQuorum) -> Option<Quorum> {
    match (decision, body(kind)) {
        (DecisionKind::Election, _) => Some(election_quorum(counts, election)),
        (DecisionKind::Admission | DecisionKind::Confirmation, _) | (_, Body::Congress) => {
            let mut q = congress(counts);
            if matches!(decision, DecisionKind::Admission | DecisionKind::Confirmation) {
                q.source = SOURCE_ADMISSION;
            }
            Some(q)
        }
        (_, Body::Committee) => Some(committee(counts)),
        (_, Body::Other) => None,
    }
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
    let (base, rule) = match (decision, body(kind)) {
        (DecisionKind::Admission | DecisionKind::Confirmation, _) | (DecisionKind::Ordinary, Body::Congress) => {
            (counts.voting_expected, "同意票超过应到会有表决权党员的半数")
        }
        (DecisionKind::Ordinary, Body::Committee) => (counts.expected, "同意票超过支部委员会委员的半数"),
        (DecisionKind::Election, _) => (counts.voting_present, "得票超过实到会有选举权党员的半数"),
        (DecisionKind::Ordinary, Body::Other) => (counts.voting_present, "同意票超过实到会有表决权党员的半数"),
    };
    Threshold { base, needed: more_than_half(base), rule }
}

impl Threshold {
    pub fn passes(&self, yes: u32) -> bool {
        yes >= self.needed
    }
}

/// What a counted vote comes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Verdict {
    Passed,
    Failed,
    /// Taken without its quorum: neither passed nor failed.
    NoQuorum,
}

/// One vote judged by its own quorum (`None`: the rules set none) and threshold.
pub fn verdict(quorum: Option<&Quorum>, threshold: &Threshold, yes: u32) -> Verdict {
    match quorum {
        Some(q) if !q.holds => Verdict::NoQuorum,
        _ if threshold.passes(yes) => Verdict::Passed,
        _ => Verdict::Failed,
    }
}

/// Who an election with candidates elects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Votes a candidate needs: more than half of the electors present.
    pub needed: u32,
    /// Elected, best first.
    pub elected: Vec<String>,
    /// Candidates over the threshold with equal votes at the last seat: nobody is invented
    /// among them; they go to a new vote.
    pub tied: Vec<String>,
    /// Seats not filled by `elected`.
    pub open_seats: u32,
}

/// Candidates with more than half of the electors present are elected, best first up to
/// `seats`; a tie at the last seat elects nobody among the tied.
pub fn tally(seats: u32, electors_present: u32, candidates: &[(String, u32)]) -> Tally {
    let needed = more_than_half(electors_present);
    let mut over: Vec<&(String, u32)> = candidates.iter().filter(|(_, v)| *v >= needed).collect();
    // Stable: equal votes keep the order written.
    over.sort_by_key(|c| std::cmp::Reverse(c.1));
    let seats_usize = seats as usize;
    let (elected, tied): (Vec<String>, Vec<String>) = if over.len() <= seats_usize {
        (over.iter().map(|c| c.0.clone()).collect(), Vec::new())
    } else if seats_usize == 0 {
        (Vec::new(), Vec::new())
    } else {
        let last = over[seats_usize - 1].1;
        if over[seats_usize].1 == last {
            let elected = over.iter().filter(|c| c.1 > last).map(|c| c.0.clone()).collect();
            let tied = over.iter().filter(|c| c.1 == last).map(|c| c.0.clone()).collect();
            (elected, tied)
        } else {
            (over[..seats_usize].iter().map(|c| c.0.clone()).collect(), Vec::new())
        }
    };
    let open_seats = seats.saturating_sub(elected.len() as u32);
    Tally { needed, elected, tied, open_seats }
}
