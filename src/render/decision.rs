//! The view of one decision: its vote, its voter base, its own quorum and its result, worded
//! once here so that the host script, the minutes, the 纪要 and the 台账 cannot disagree.

use serde::Serialize;

use crate::model::activity::Decision;
use crate::model::{DecisionKind, VoteMethod};
use crate::record::{DecisionOutcome, Outcome};
use crate::rules::{Quorum, Verdict};
use crate::text::numeral;

use crate::text::{BLANK, BLANK_COUNT};

#[derive(Debug, Clone, Serialize)]
pub struct DecisionView {
    pub no: usize,
    pub numeral: String,
    pub text: String,
    pub kind: &'static str,
    pub kind_slug: &'static str,
    pub is_election: bool,
    /// 1-based agenda item, if the decision belongs to one.
    pub agenda: Option<usize>,
    pub applicant: Option<String>,
    /// 举手 or 无记名投票.
    pub method: &'static str,
    pub secret: bool,
    /// 监票人 and 计票人 (names; blanks in the host script when a secret ballot has none).
    pub tellers: Vec<String>,
    pub counters: Vec<String>,
    pub votes: Option<VotesView>,
    pub election: Option<ElectionView>,
    /// Whether the host script scripts this vote: always before the meeting, else when it was
    /// voted on or is a decision that needs a vote.
    pub scripted: bool,
    /// 应到会有表决权的正式党员12名，实到10名 (and the written opinions): with every vote.
    pub voter_base: String,
    /// The decision's own quorum sentence, when it is not the one the host states on opening
    /// (an election's 4/5; a vote of a 组织生活会); it says 符合规定 only when the quorum holds.
    pub quorum_statement: Option<String>,
    /// The quorum is known to fail: the host script states it and scripts no vote.
    pub quorum_fails: bool,
    /// The agenda item (1-based) of a later 宣布选举结果 item: the host script announces the
    /// election's result there, once, not already at the vote.
    pub announced_at: Option<usize>,
    /// 同意10票，不同意0票，弃权0票 (赞成/不赞成 for an election); for an election with
    /// candidates, the ballots and each candidate's votes. `None` when no votes were recorded.
    pub tally: Option<String>,
    /// 通过, 未通过, 表决无效（到会人数不足）, 当选：…, 选举无效（…）; `None` when nothing may be
    /// claimed (no votes, not held, or attendance not recorded).
    pub result: Option<String>,
    /// The result, or a blank to fill in by hand.
    pub result_or_blank: String,
    /// 表决情况, or 选举情况.
    pub votes_label: &'static str,
    pub rule: &'static str,
    pub needed: u32,
    pub base: u32,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct VotesView {
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
    pub written: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct ElectionView {
    /// 应选人数 (blank when not written).
    pub seats: String,
    pub ballots: Option<BallotsView>,
    pub candidates: Vec<CandidateView>,
    /// 陈卫东同志、刘晓燕同志
    pub candidate_names: String,
    pub elected: Vec<String>,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct BallotsView {
    pub issued: u32,
    pub returned: u32,
    pub valid: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct CandidateView {
    pub name: String,
    pub votes: Option<u32>,
    pub elected: bool,
    pub tied: bool,
}

/// What the view of a decision needs to know about the meeting.
pub struct Meeting<'a> {
    pub planned: bool,
    pub attendance_known: bool,
    /// The quorum the host states on opening, if any: a decision judged by the same rule does
    /// not repeat it.
    pub opening: Option<&'a Quorum>,
    pub voting_expected: u32,
    pub voting_present: u32,
    pub committee: bool,
    pub committee_expected: u32,
    pub committee_present: u32,
}

pub fn view(i: usize, d: &Decision, outcome: &DecisionOutcome, m: &Meeting<'_>) -> DecisionView {
    let kind = d.kind();
    let is_election = kind == DecisionKind::Election;
    let secret = outcome.method == VoteMethod::SecretBallot;
    let votes = d.votes.as_ref().map(|v| {
        let v = v.get_ref();
        VotesView { yes: v.yes, no: v.no, abstain: v.abstain, written: v.written }
    });
    let election = is_election.then(|| election_view(d, outcome));
    let result = outcome.result_text();
    let quorum_fails = outcome.quorum_known && outcome.quorum.as_ref().is_some_and(|q| !q.holds);
    DecisionView {
        no: i + 1,
        numeral: numeral(i + 1),
        text: d.text.trim().to_string(),
        kind: kind.chinese(),
        kind_slug: kind.slug(),
        is_election,
        agenda: d.agenda.as_ref().map(|a| *a.get_ref() as usize),
        applicant: d.applicant.as_ref().map(|a| a.get_ref().trim().to_string()),
        method: outcome.method.chinese(),
        secret,
        tellers: d.tellers.iter().map(|t| t.get_ref().trim().to_string()).collect(),
        counters: d.counters.iter().map(|t| t.get_ref().trim().to_string()).collect(),
        scripted: m.planned || d.voted() || kind != DecisionKind::Ordinary,
        voter_base: voter_base(kind, votes.map_or(0, |v| v.written), m),
        quorum_statement: quorum_statement(outcome, m),
        quorum_fails,
        announced_at: None,
        tally: tally(d, is_election, votes, election.as_ref()),
        result_or_blank: result.clone().unwrap_or_else(|| BLANK.to_string()),
        result,
        votes_label: if is_election { "选举情况" } else { "表决情况" },
        rule: outcome.threshold.rule,
        needed: outcome.threshold.needed,
        base: outcome.threshold.base,
        votes,
        election,
    }
}

fn election_view(d: &Decision, outcome: &DecisionOutcome) -> ElectionView {
    let (elected, tied) = match &outcome.outcome {
        Outcome::Elected(t) => (t.elected.clone(), t.tied.clone()),
        Outcome::Vote(Verdict::Passed) => (vec![d.text.trim().to_string()], Vec::new()),
        _ => (Vec::new(), Vec::new()),
    };
    let candidates: Vec<CandidateView> = d
        .candidates
        .iter()
        .map(|c| {
            let name = c.get_ref().name.get_ref().trim().to_string();
            CandidateView {
                votes: c.get_ref().votes.as_ref().map(|v| *v.get_ref()),
                elected: elected.contains(&name),
                tied: tied.contains(&name),
                name,
            }
        })
        .collect();
    ElectionView {
        seats: d.seats.as_ref().map_or_else(|| BLANK_COUNT.to_string(), |s| s.get_ref().to_string()),
        ballots: d.ballots.as_ref().map(|b| {
            let b = b.get_ref();
            BallotsView { issued: b.issued, returned: b.returned, valid: b.valid }
        }),
        candidate_names: candidates.iter().map(|c| format!("{}同志", c.name)).collect::<Vec<_>>().join("、"),
        candidates,
        elected: if d.is_candidate_election() { elected } else { Vec::new() },
    }
}

/// 应到会有表决权的正式党员12名，实到10名: the base every vote is counted against.
fn voter_base(kind: DecisionKind, written: u32, m: &Meeting<'_>) -> String {
    let present = |n: u32| if m.attendance_known { n.to_string() } else { BLANK_COUNT.to_string() };
    let mut text = if m.committee && kind == DecisionKind::Ordinary {
        format!("应到会支部委员{}名，实到{}名", m.committee_expected, present(m.committee_present))
    } else {
        let who = if kind == DecisionKind::Election { "有选举权" } else { "有表决权" };
        format!("应到会{who}的正式党员{}名，实到{}名", m.voting_expected, present(m.voting_present))
    };
    if written > 0 {
        text.push_str(&format!("，另有{written}名未到会的有表决权党员会前提交了书面意见"));
    }
    text
}

/// The decision's own quorum sentence, when the opening did not already state this rule.
fn quorum_statement(outcome: &DecisionOutcome, m: &Meeting<'_>) -> Option<String> {
    let q = outcome.quorum.as_ref()?;
    let act = if outcome.is_election() { "选举" } else { "表决" };
    if m.opening.is_some_and(|o| o.rule == q.rule) {
        // The opening stated this rule; a vote that fails it is not taken.
        let fails = !m.planned && outcome.quorum_known && !q.holds;
        return fails.then(|| format!("到会人数不足，不能进行{act}。"));
    }
    if m.planned || !outcome.quorum_known {
        return Some(format!(
            "按规定须{}（应到{}人，至少{}人），实到{}{BLANK_COUNT}人，到会人数符合／不符合规定。",
            q.rule, q.base, q.needed, q.subject
        ));
    }
    Some(if q.holds {
        format!("实到{}{}人，{}，符合规定，可以进行{act}。", q.subject, q.present, q.rule)
    } else {
        format!(
            "实到{}{}人，未达到{}（应到{}人，至少须到{}人）的要求，不能进行{act}。",
            q.subject, q.present, q.rule, q.base, q.needed
        )
    })
}

fn tally(d: &Decision, is_election: bool, votes: Option<VotesView>, election: Option<&ElectionView>) -> Option<String> {
    if let (Some(e), true) = (election, d.is_candidate_election()) {
        let mut parts = Vec::new();
        if let Some(b) = &e.ballots {
            parts.push(format!("发出选票{}张，收回{}张，其中有效票{}张", b.issued, b.returned, b.valid));
        }
        let counted: Vec<String> =
            e.candidates.iter().filter_map(|c| c.votes.map(|v| format!("{}同志得{v}票", c.name))).collect();
        if !counted.is_empty() {
            parts.push(counted.join("，"));
        }
        return (!parts.is_empty()).then(|| parts.join("；"));
    }
    let v = votes?;
    let (yes, no) = if is_election { ("赞成", "不赞成") } else { ("同意", "不同意") };
    let counts = format!("{yes}{}票，{no}{}票，弃权{}票", v.yes, v.no, v.abstain);
    // The written opinions are part of the total, whatever way they voted: say so before the split,
    // never after one of its parts (弃权1票（其中书面意见1份） reads as if they abstained).
    Some(if v.written > 0 {
        format!("共{}票（含书面意见{}份），{counts}", v.yes + v.no + v.abstain, v.written)
    } else {
        counts
    })
}

/// Where each election's result is announced: the first later agenda item whose title is about
/// announcing it (宣布选举结果), if there is one.
pub fn set_announcements(decisions: &mut [DecisionView], titles: &[String]) {
    for d in decisions.iter_mut().filter(|d| d.is_election) {
        let Some(at) = d.agenda else { continue };
        d.announced_at = titles
            .iter()
            .enumerate()
            .skip(at)
            .find(|(_, t)| t.contains("宣布") && t.contains("选举结果"))
            .map(|(i, _)| i + 1);
    }
}
