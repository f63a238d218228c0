//! The votes of an activity: the errors of the contract (counts that cannot be, an admission at
//! the wrong meeting, an election's ballots and candidates), what each decision comes to under
//! its own rule, and the findings of a vote taken against the rules.

use std::collections::HashSet;
use std::ops::Range;

use serde_spanned::Spanned;

use super::{Checker, Record};
use crate::diagnostics::Diagnostic;
use crate::model::activity::Decision;
use crate::model::{DecisionKind, ElectionQuorum, Kind, Member, VoteMethod};
use crate::rules::{self, Counts, Quorum, Tally, Threshold, Verdict};

/// What one decision comes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A planned activity: not voted yet.
    Pending,
    /// Held, but no votes recorded: nothing is claimed.
    NotVoted,
    /// Votes recorded, but attendance is not, and the votes alone do not prove the quorum or the
    /// base: the result is left blank.
    Unknown,
    /// A counted yes/no vote (also the old one-count election).
    Vote(Verdict),
    /// An election that does not stand, with the reason.
    ElectionInvalid(&'static str),
    /// A valid election with candidates.
    Elected(Tally),
}

#[derive(Debug, Clone)]
pub struct DecisionOutcome {
    pub kind: DecisionKind,
    pub method: VoteMethod,
    /// The quorum this decision is judged by (`None`: the rules set none). When attendance is
    /// unknown, `present` is what the votes prove at least, and `quorum_known` says whether
    /// that is enough to know.
    pub quorum: Option<Quorum>,
    pub quorum_known: bool,
    pub threshold: Threshold,
    pub outcome: Outcome,
}

impl DecisionOutcome {
    pub fn is_election(&self) -> bool {
        self.kind == DecisionKind::Election
    }

    /// The result in words, as every document and the 台账 print it; `None` when nothing may be
    /// claimed (not voted, not held, or not known).
    pub fn result_text(&self) -> Option<String> {
        let election = self.is_election();
        Some(match &self.outcome {
            Outcome::Pending | Outcome::NotVoted | Outcome::Unknown => return None,
            Outcome::Vote(Verdict::Passed) => (if election { "当选" } else { "通过" }).to_string(),
            Outcome::Vote(Verdict::Failed) => (if election { "未当选" } else { "未通过" }).to_string(),
            Outcome::Vote(Verdict::NoQuorum) if election => "选举无效（到会人数不足）".to_string(),
            Outcome::Vote(Verdict::NoQuorum) => "表决无效（到会人数不足）".to_string(),
            Outcome::ElectionInvalid(reason) => format!("选举无效（{reason}）"),
            Outcome::Elected(tally) => tally_text(tally),
        })
    }
}

/// 当选：A、B；C、D得票相等，1个名额须再次投票.
pub fn tally_text(tally: &Tally) -> String {
    let mut text = if tally.elected.is_empty() {
        "无人当选".to_string()
    } else {
        format!("当选：{}", tally.elected.iter().map(|n| format!("{n}同志")).collect::<Vec<_>>().join("、"))
    };
    if !tally.tied.is_empty() {
        let names: Vec<String> = tally.tied.iter().map(|n| format!("{n}同志")).collect();
        text.push_str(&format!("；{}得票相等，{}个名额未能确定当选人", names.join("、"), tally.open_seats));
    } else if tally.open_seats > 0 && !tally.elected.is_empty() {
        text.push_str(&format!("；尚缺{}名", tally.open_seats));
    }
    text
}

const NOT_ELECTION: &str = "只有选举（kind = \"election\"）才写 seats、ballots 和 candidates";

/// The contract's errors in the decisions; `counts` are known only when `known`.
pub(super) fn check(checker: &mut Checker<'_>, members: &[&Member], counts: Counts, known: bool) {
    let activity = checker.activity;
    let kind = *activity.file.kind.get_ref();
    for (i, decision) in activity.file.decisions.iter().enumerate() {
        let d = decision.get_ref();
        if let Some(k) = &d.kind {
            let dk = *k.get_ref();
            if matches!(dk, DecisionKind::Admission | DecisionKind::Confirmation) && kind != Kind::PartyCongress {
                checker.error(
                    k.span(),
                    &format!("decisions[{i}].kind"),
                    "决议类型",
                    format!("{}只能由支部党员大会讨论表决（支部工作条例第十一条），本次是{}", dk.chinese(), kind.short_name()),
                    format!(
                        "{}本次{}的决定请记为一般事项：删去 kind 这一行（或写 kind = \"ordinary\"），决议写成“同意提交支部党员大会讨论”之类；{}的表决记在支部党员大会的记录里",
                        if activity.file.form.is_some() {
                            "以支部党员大会形式召开也不行，须是 kind = \"支部党员大会\" 的会议；如本次实为支部党员大会，把 kind 改为 \"支部党员大会\" 并删去 form。否则，"
                        } else {
                            ""
                        },
                        kind.short_name(),
                        dk.chinese()
                    ),
                );
            }
        }
        check_people(checker, i, d);
        if d.kind() != DecisionKind::Election {
            for (span, field) in election_fields(d) {
                checker.error(
                    span,
                    &format!("decisions[{i}].{field}"),
                    "决议",
                    format!("“{field}”只用于选举"),
                    NOT_ELECTION.into(),
                );
            }
        }
        if let Some(votes) = &d.votes {
            check_counts(checker, i, d, votes, counts, known);
        }
        if d.kind() == DecisionKind::Election && !d.candidates.is_empty() {
            check_candidates(checker, i, decision, members, counts, known);
        }
    }
}

fn election_fields(d: &Decision) -> Vec<(Range<usize>, &'static str)> {
    let mut out = Vec::new();
    if let Some(s) = &d.seats {
        out.push((s.span(), "seats"));
    }
    if let Some(b) = &d.ballots {
        out.push((b.span(), "ballots"));
    }
    if let Some(c) = d.candidates.first() {
        out.push((c.span(), "candidates"));
    }
    out
}

/// 监票人 and 计票人: on the roster, and only for a secret ballot.
fn check_people(checker: &mut Checker<'_>, i: usize, d: &Decision) {
    for (list, field, label) in [(&d.tellers, "tellers", "监票人"), (&d.counters, "counters", "计票人")] {
        for (j, name) in list.iter().enumerate() {
            checker.check_name(name, &format!("decisions[{i}].{field}[{j}]"), label, false);
        }
        if let (Some(first), VoteMethod::ShowOfHands) = (list.first(), d.method()) {
            checker.error(
                first.span(),
                &format!("decisions[{i}].{field}"),
                label,
                format!("举手表决不设{label}"),
                "无记名投票时写 method = \"无记名投票\"；举手表决请删去这一行".into(),
            );
        }
    }
}

fn check_counts(
    checker: &mut Checker<'_>,
    i: usize,
    d: &Decision,
    votes: &Spanned<crate::model::activity::Votes>,
    counts: Counts,
    known: bool,
) {
    let v = votes.get_ref();
    let field = format!("decisions[{i}].votes");
    let Some(total) = v.checked_total() else {
        let message =
            format!("票数大得不可能（同意 {} + 反对 {} + 弃权 {}），多于任何支部的人数", v.yes, v.no, v.abstain);
        let help = "请核对票数：每项写到会表决的人数，例如 votes = { yes = 11, no = 0, abstain = 1 }".to_string();
        checker.error(votes.span(), &field, "表决情况", message, help);
        return;
    };
    if !d.candidates.is_empty() {
        let help = "按候选人记录的选举，得票写在 candidates 中，删去 votes 这一行".to_string();
        checker.error(votes.span(), &field, "表决情况", "选举已写候选人得票，不能再写 votes".into(), help);
        return;
    }
    if v.written > 0 && !matches!(d.kind(), DecisionKind::Admission | DecisionKind::Confirmation) {
        let help =
            "书面意见只计入接收预备党员和预备党员转正的表决（发展党员工作细则第二十一条）；请删去 written".to_string();
        checker.error(votes.span(), &field, "书面意见票数", format!("{}不统计书面意见", d.kind().chinese()), help);
        return;
    }
    if v.written > total {
        let message = format!("书面意见 {} 份多于票数合计 {total} 票", v.written);
        let help = "written 是同意、反对、弃权票中来自书面意见的份数，不能多于合计".to_string();
        checker.error(votes.span(), &field, "书面意见票数", message, help);
        return;
    }
    if known && v.written > counts.voting_absent() {
        let message = format!("书面意见 {} 份多于未到会的有表决权党员 {} 人", v.written, counts.voting_absent());
        let help = "只有因故不能到会的有表决权党员可以提交书面意见；请核对 written 和出席情况".to_string();
        checker.error(votes.span(), &field, "书面意见票数", message, help);
        return;
    }
    let (limit, who) = if known {
        (counts.voting_present.saturating_add(v.written), format!("实到的有表决权党员 {} 人", counts.voting_present))
    } else {
        (counts.voting_expected, format!("应到的有表决权党员 {} 人", counts.voting_expected))
    };
    if total > limit {
        let written = if v.written > 0 { format!("加书面意见 {} 份", v.written) } else { String::new() };
        checker.error(
            votes.span(),
            &field,
            "表决情况",
            format!("票数合计 {total} 票（同意 {} + 反对 {} + 弃权 {}），多于{who}{written}", v.yes, v.no, v.abstain),
            "预备党员、留党察看和暂停权利的党员没有表决权，不计票；请核对票数和出席情况".into(),
        );
    }
}

fn check_candidates(
    checker: &mut Checker<'_>,
    i: usize,
    decision: &Spanned<Decision>,
    members: &[&Member],
    counts: Counts,
    known: bool,
) {
    let d = decision.get_ref();
    let planned = checker.activity.file.is_planned();
    if d.seats.is_none() {
        let help = "写明应选几人，例如 seats = 5".to_string();
        checker.error(
            decision.span(),
            &format!("decisions[{i}].seats"),
            "应选人数",
            "按候选人记录的选举须写应选人数".into(),
            help,
        );
    }
    let valid = d.ballots.as_ref().map(|b| *b.get_ref());
    if let Some(b) = &d.ballots {
        let v = b.get_ref();
        if v.valid > v.returned {
            let message = format!("有效选票 {} 张多于收回选票 {} 张", v.valid, v.returned);
            checker.error(
                b.span(),
                &format!("decisions[{i}].ballots"),
                "选票",
                message,
                "有效票是收回选票中的一部分，请核对 ballots".into(),
            );
        }
    }
    let mut seen = HashSet::new();
    for (j, c) in d.candidates.iter().enumerate() {
        let c = c.get_ref();
        let field = format!("decisions[{i}].candidates[{j}].name");
        let name = c.name.get_ref().trim();
        let before = checker.errors.len();
        checker.check_name(&c.name, &field, "候选人姓名", false);
        if checker.errors.len() > before {
            continue;
        }
        if !seen.insert(name) {
            checker.error(
                c.name.span(),
                &field,
                "候选人姓名",
                format!("候选人“{name}”写了两次"),
                "删去重复的一项".into(),
            );
        } else if let Some(m) = members.iter().find(|m| m.name.get_ref().trim() == name).filter(|m| !m.votes()) {
            let status = if m.votes() { "" } else { m.status.chinese() };
            checker.error(
                c.name.span(),
                &field,
                "候选人姓名",
                format!(
                    "“{name}”没有被选举权（{}）",
                    if m.rights_suspended.is_some() { "党员权利中止" } else { status }
                ),
                "预备党员、留党察看期间和权利中止的党员没有被选举权（选举工作条例第五条）；请核对候选人名单".into(),
            );
        }
        let Some(count) = &c.votes else {
            if !planned {
                let help = format!("写明“{name}”的得票，例如 {{ name = \"{name}\", votes = 10 }}");
                checker.error(
                    c.name.span(),
                    &format!("decisions[{i}].candidates[{j}].votes"),
                    "候选人得票数",
                    format!("候选人“{name}”没有写得票"),
                    help,
                );
            }
            continue;
        };
        let (limit, what) = match valid {
            Some(b) => (b.valid, format!("有效选票 {} 张", b.valid)),
            None if known => (counts.voting_present, format!("实到的有选举权党员 {} 人", counts.voting_present)),
            None => (counts.voting_expected, format!("应到的有选举权党员 {} 人", counts.voting_expected)),
        };
        if *count.get_ref() > limit {
            let message = format!("“{name}”得票 {} 票，多于{what}", count.get_ref());
            checker.error(
                count.span(),
                &format!("decisions[{i}].candidates[{j}].votes"),
                "候选人得票数",
                message,
                "请核对得票数和选票数".into(),
            );
        }
    }
}

/// What each decision comes to, each by its own rule.
pub(super) fn outcomes(
    record_kind: Kind,
    decisions: &[Spanned<Decision>],
    counts: Counts,
    held: bool,
    known: bool,
    election: ElectionQuorum,
) -> Vec<DecisionOutcome> {
    decisions.iter().map(|d| outcome(record_kind, d.get_ref(), counts, held, known, election)).collect()
}

fn outcome(
    kind: Kind,
    d: &Decision,
    counts: Counts,
    held: bool,
    known: bool,
    election: ElectionQuorum,
) -> DecisionOutcome {
    let dk = d.kind();
    let threshold = rules::threshold(kind, dk, counts);
    let mut quorum = rules::decision_quorum(kind, dk, counts, election);
    let mut quorum_known = known;
    if !known {
        // The voters who voted were there: their number is what attendance is at least.
        let cast = d.votes.as_ref().map_or(0, |v| v.get_ref().total().saturating_sub(v.get_ref().written))
            + d.ballots.as_ref().map_or(0, |b| b.get_ref().returned.min(b.get_ref().issued));
        if let Some(q) = &mut quorum {
            q.present = cast;
            q.holds = cast >= q.needed;
            quorum_known = q.holds;
        }
    }
    let result = match () {
        _ if !held => Outcome::Pending,
        _ if !d.voted() => Outcome::NotVoted,
        _ if dk == DecisionKind::Election => {
            election_outcome(d, quorum.as_ref(), quorum_known, known, &threshold, counts)
        }
        _ if !quorum_known => Outcome::Unknown,
        // A threshold counted on those present needs attendance.
        _ if !known && threshold.base == counts.voting_present => Outcome::Unknown,
        _ => {
            Outcome::Vote(rules::verdict(quorum.as_ref(), &threshold, d.votes.as_ref().map_or(0, |v| v.get_ref().yes)))
        }
    };
    DecisionOutcome { kind: dk, method: d.method(), quorum, quorum_known, threshold, outcome: result }
}

fn election_outcome(
    d: &Decision,
    quorum: Option<&Quorum>,
    quorum_known: bool,
    known: bool,
    threshold: &Threshold,
    counts: Counts,
) -> Outcome {
    if d.method() == VoteMethod::ShowOfHands {
        return Outcome::ElectionInvalid("未采用无记名投票");
    }
    if let Some(b) = &d.ballots {
        if b.get_ref().returned > b.get_ref().issued {
            return Outcome::ElectionInvalid("收回选票多于发出选票");
        }
    }
    if d.is_candidate_election() && d.candidates.len() as u32 <= d.seats.as_ref().map_or(0, |s| *s.get_ref()) {
        return Outcome::ElectionInvalid("候选人数不多于应选人数，未实行差额选举");
    }
    if !quorum_known {
        return Outcome::Unknown;
    }
    if quorum.is_some_and(|q| !q.holds) {
        return Outcome::Vote(Verdict::NoQuorum);
    }
    // Elected by more than half of the electors present: that base needs attendance.
    if !known {
        return Outcome::Unknown;
    }
    if d.is_candidate_election() {
        let seats = d.seats.as_ref().map_or(0, |s| *s.get_ref());
        let candidates: Vec<(String, u32)> = d
            .candidates
            .iter()
            .map(|c| {
                (c.get_ref().name.get_ref().trim().to_string(), c.get_ref().votes.as_ref().map_or(0, |v| *v.get_ref()))
            })
            .collect();
        return Outcome::Elected(rules::tally(seats, counts.voting_present, &candidates));
    }
    match &d.votes {
        Some(v) => Outcome::Vote(rules::verdict(quorum, threshold, v.get_ref().yes)),
        None => Outcome::NotVoted,
    }
}

impl Record {
    /// The findings of the votes: each decision's own quorum and threshold, a decision that
    /// needs a vote and has none, and an election held against the rules.
    pub(super) fn vote_findings(&self, findings: &mut Vec<Diagnostic>) {
        self.one_by_one_findings(findings);
        let file = &self.activity.file;
        for (i, (decision, outcome)) in file.decisions.iter().zip(&self.decisions).enumerate() {
            let d = decision.get_ref();
            let text = d.text.trim();
            let at = vote_span(decision);
            if !d.voted() {
                if matches!(outcome.kind, DecisionKind::Admission | DecisionKind::Confirmation | DecisionKind::Election)
                {
                    findings.push(self.finding(
                        decision.span(),
                        &format!("decisions[{i}].votes"),
                        "表决情况",
                        format!("{}“{text}”没有表决记录，材料中不写结果", outcome.kind.chinese()),
                        no_votes_help(outcome.kind),
                    ));
                }
                continue;
            }
            if outcome.kind == DecisionKind::Election {
                self.election_findings(i, decision, outcome, findings);
            }
            if (outcome.kind, outcome.method) == (DecisionKind::Admission, VoteMethod::ShowOfHands) {
                findings.push(self.finding(
                    d.method.as_ref().map_or_else(|| at.clone(), |m| m.span()),
                    &format!("decisions[{i}].method"),
                    "表决方式",
                    format!("接收预备党员“{text}”采用了举手表决"),
                    &format!(
                        "依据{}：讨论接收预备党员，采取无记名投票方式表决。如确为无记名投票，写 \
                         method = \"无记名投票\"，并写 tellers（监票人）、counters（计票人）；如确为举手表决，\
                         材料如实记为举手，请报上级党组织，按规定以无记名投票重新表决",
                        rules::SOURCE_ADMISSION_BALLOT
                    ),
                ));
            }
            if let (Some(q), true) = (&outcome.quorum, outcome.quorum_known) {
                if !q.holds {
                    findings.push(self.finding(
                        at.clone(),
                        &format!("decisions[{i}]"),
                        "决议",
                        format!(
                            "“{text}”到会人数不足：须{}（至少 {} 人），实到 {} 人（基数 {} 人），{}无效",
                            q.rule,
                            q.needed,
                            q.present,
                            q.base,
                            if outcome.is_election() { "选举" } else { "表决" }
                        ),
                        &format!(
                            "依据{}。核对出席情况；人数确实不足时，应另行召开会议重新{}",
                            q.source,
                            if outcome.is_election() { "选举" } else { "表决" }
                        ),
                    ));
                    continue;
                }
            }
            if let (Outcome::Vote(Verdict::Failed), Some(votes)) = (&outcome.outcome, &d.votes) {
                let t = &outcome.threshold;
                findings.push(self.finding(
                    votes.span(),
                    &format!("decisions[{i}].votes"),
                    "表决情况",
                    format!(
                        "决议“{text}”未通过：须{}（至少 {} 票，基数 {} 人），实得同意 {} 票",
                        t.rule,
                        t.needed,
                        t.base,
                        votes.get_ref().yes
                    ),
                    &format!(
                        "依据{}。材料如实记为“{}”；如票数录入有误，请改正 votes",
                        threshold_source(self.held_as(), outcome.kind),
                        outcome.result_text().unwrap_or_default()
                    ),
                ));
            }
        }
    }

    fn election_findings(
        &self,
        i: usize,
        decision: &Spanned<Decision>,
        outcome: &DecisionOutcome,
        findings: &mut Vec<Diagnostic>,
    ) {
        let d = decision.get_ref();
        let text = d.text.trim();
        if let (Some(m), VoteMethod::ShowOfHands) = (&d.method, outcome.method) {
            findings.push(self.finding(
                m.span(),
                &format!("decisions[{i}].method"),
                "表决方式",
                format!("选举“{text}”采用了举手表决，选举无效"),
                &format!(
                    "依据{SOURCE}：选举一律采用无记名投票；应重新组织无记名投票选举",
                    SOURCE = rules::SOURCE_ELECTION
                ),
            ));
        }
        if let Some(b) = &d.ballots {
            let v = b.get_ref();
            if v.returned > v.issued {
                findings.push(self.finding(
                    b.span(),
                    &format!("decisions[{i}].ballots"),
                    "选票",
                    format!("选举“{text}”收回选票 {} 张，多于发出选票 {} 张，选举无效", v.returned, v.issued),
                    &format!("依据{}：收回的选票多于发出的选票，选举无效，应重新进行选举", rules::SOURCE_ELECTION),
                ));
            }
        }
        if let (true, Some(seats)) = (d.is_candidate_election(), &d.seats) {
            if d.candidates.len() as u32 <= *seats.get_ref() {
                findings.push(self.finding(
                    seats.span(),
                    &format!("decisions[{i}].seats"),
                    "应选人数",
                    format!(
                        "选举“{text}”候选人 {} 名，应选 {} 名，未实行差额选举，选举无效",
                        d.candidates.len(),
                        seats.get_ref()
                    ),
                    &format!("依据{}：委员的选举实行差额选举，候选人数应多于应选人数", rules::SOURCE_ELECTION),
                ));
            }
        }
        if let Outcome::Elected(tally) = &outcome.outcome {
            if !tally.tied.is_empty() {
                findings.push(self.finding(
                    decision.span(),
                    &format!("decisions[{i}].candidates"),
                    "候选人",
                    format!("选举“{text}”最后一个名额得票相等：{}，未能确定当选人", tally.tied.join("、")),
                    &format!("依据{}：票数相等不能确定当选人时，应就票数相等的候选人再次投票，得票多的当选；再次投票的结果另写一个 [[decisions]]", rules::SOURCE_ELECTION),
                ));
            }
        }
    }
}

fn vote_span(decision: &Spanned<Decision>) -> Range<usize> {
    let d = decision.get_ref();
    d.votes
        .as_ref()
        .map(|v| v.span())
        .or_else(|| d.ballots.as_ref().map(|b| b.span()))
        .or_else(|| d.candidates.first().map(|c| c.span()))
        .unwrap_or_else(|| decision.span())
}

fn no_votes_help(kind: DecisionKind) -> &'static str {
    match kind {
        DecisionKind::Election => "补上选举结果：seats（应选人数）、ballots = { issued = …, returned = …, valid = … } 和 candidates = [ { name = \"…\", votes = … } ]",
        _ => "补上表决结果，例如 votes = { yes = 10, no = 0, abstain = 0 }（依据发展党员工作细则第二十一条，须有表决权的党员表决）",
    }
}

fn threshold_source(kind: Kind, decision: DecisionKind) -> &'static str {
    match (decision, rules::body(kind)) {
        (DecisionKind::Admission | DecisionKind::Confirmation, _) => rules::SOURCE_ADMISSION,
        (DecisionKind::Election, _) => rules::SOURCE_ELECTION,
        (_, rules::Body::Committee) => rules::SOURCE_COMMITTEE,
        _ => rules::SOURCE_CONGRESS,
    }
}
