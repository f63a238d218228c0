//! A checked activity: the cross-field errors of the input contract, and the facts derived from
//! it (who was expected, who came, what each vote means). Templates only ever see a `Record`.

pub mod applicant;

use std::collections::{BTreeSet, HashSet};
use std::ops::Range;
use std::path::Path;

use chrono::NaiveDate;
use serde_spanned::Spanned;

use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::load::{in_line_order, is_patched, Activity};
use crate::model::{DecisionKind, Kind, Member};
use crate::rules::frequency::Rules;
use crate::rules::{self, Counts, Quorum};

mod votes;

pub use votes::{tally_text, DecisionOutcome, Outcome};

mod marks;
mod named;
mod photos;
mod row;
pub mod wording;

pub use named::{named, people, Named};
pub use wording::{activity_title, running_title};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Presence {
    Present,
    /// 请假, with the reason given.
    OnLeave(String),
    /// Neither present nor on leave: absent without a recorded reason.
    Missing,
    /// Not known: a planned activity, or a held one without `[attendance]`.
    Unknown,
}

#[derive(Debug, Clone)]
pub struct Attendee {
    pub member: Member,
    pub presence: Presence,
}

#[derive(Debug, Clone)]
pub struct Record {
    pub activity: Activity,
    /// Expected members, in roster order.
    pub expected: Vec<Attendee>,
    /// Members present who were not expected (e.g. a non-committee member at a 支委会).
    pub extra_present: Vec<Member>,
    /// Unless `attendance_known`, only `expected` and `voting_expected` are facts; the rest are 0.
    pub counts: Counts,
    /// Held with an `[attendance]` table: 实到, 请假 and the quorum are facts.
    pub attendance_known: bool,
    /// The meeting's own quorum, stated when it opens; `None` where no rule applies and when
    /// attendance is not known. Each decision has its own in `decisions`.
    pub quorum: Option<Quorum>,
    pub decisions: Vec<DecisionOutcome>,
    pub findings: Vec<Diagnostic>,
    /// The kind whose quorum and vote rules it follows (`Rules::held_as`).
    held_as: Kind,
}

/// A longer title is a finding: it fills the page, and the title layout is not balanced.
pub const MAX_TITLE: usize = 200;

/// Collects errors against one activity file.
struct Checker<'a> {
    activity: &'a Activity,
    roster: Vec<&'a str>,
    guests: Vec<&'a str>,
    errors: Vec<Diagnostic>,
}

impl<'a> Checker<'a> {
    fn error(&mut self, span: Range<usize>, field: &str, label: &str, message: String, help: String) {
        let diagnostic = Diagnostic::error(&self.activity.source.path, message)
            .at(&self.activity.source, span)
            .with_field(field, label)
            .with_help(help);
        self.errors.push(diagnostic);
    }

    /// A name must be on the roster (or, where `guests_allowed`, among the guests).
    fn check_name(&mut self, name: &Spanned<String>, field: &str, label: &str, guests_allowed: bool) {
        let text = name.get_ref().trim();
        if self.roster.contains(&text) || (guests_allowed && self.guests.contains(&text)) {
            return;
        }
        let mut candidates = self.roster.clone();
        if guests_allowed {
            candidates.extend(self.guests.iter().copied());
        }
        let hint = match did_you_mean(text, candidates) {
            Some(close) => format!("您是不是要写“{close}”？"),
            None => String::new(),
        };
        let place = if guests_allowed { "党员名册和列席人员中" } else { "党员名册中" };
        let branch = self.activity.branch.source.path.display().to_string();
        self.error(
            name.span(),
            field,
            label,
            format!("{label}“{text}”不在{place}"),
            format!("{hint}请核对姓名，或先把此人加入 {branch} 的 [[members]]"),
        );
    }
}

impl Record {
    /// Checks an activity against its branch and derives its facts; every error found is returned.
    pub fn build(activity: Activity) -> Result<Record, Vec<Diagnostic>> {
        let file = &activity.file;
        let members: Vec<&Member> = activity.branch.file.members.iter().map(|m| m.get_ref()).collect();
        let mut checker = Checker {
            activity: &activity,
            roster: members.iter().map(|m| m.name.get_ref().as_str()).collect(),
            guests: file.attendance().guests.iter().map(|g| g.name.trim()).collect(),
            errors: Vec::new(),
        };

        checker.check_name(&file.host, "host", "主持人", false);
        match &file.recorder {
            Some(recorder) => checker.check_name(recorder, "recorder", "记录人", false),
            None if !file.is_planned() => {
                let diagnostic = Diagnostic::error(
                    &activity.source.path,
                    "缺少必填项 `recorder`（记录人）".to_string(),
                )
                .at(&activity.source, 0..0)
                .with_field("recorder", "记录人")
                .with_help(
                    "会议已召开（status 不是“计划”），须写明记录人：补上一行 recorder = \"…\"（须在党员名册中）",
                );
                checker.errors.push(diagnostic);
            }
            None => {}
        }
        if let Some(lecturer) = &file.lecturer {
            checker.check_name(lecturer, "lecturer", "主讲人", true);
        }
        for (i, item) in file.agenda.iter().enumerate() {
            if let Some(presenter) = &item.presenter {
                checker.check_name(presenter, &format!("agenda[{i}].presenter"), "报告人", true);
            }
            for (j, speech) in item.speeches.iter().enumerate() {
                checker.check_name(&speech.speaker, &format!("agenda[{i}].speeches[{j}].speaker"), "发言人", true);
            }
        }
        for (i, absence) in file.attendance().absent.iter().enumerate() {
            checker.check_name(&absence.name, &format!("attendance.absent[{i}].name"), "请假人员姓名", false);
        }
        if let Some(present) = &file.attendance().present {
            for (i, name) in present.iter().enumerate() {
                checker.check_name(name, &format!("attendance.present[{i}]"), "实到人员", false);
            }
        }

        let group = check_group(&mut checker, &members);
        let expected_members: Vec<&Member> =
            members.iter().copied().filter(|m| is_expected(file.kind.get_ref(), group.as_deref(), m)).collect();
        let planned = file.is_planned();
        if planned {
            check_planned(&mut checker);
        } else {
            check_attendance(&mut checker, &expected_members);
        }
        check_times(&mut checker);
        let (expected, extra_present) = attendance(&activity, &expected_members, &members);
        let counts = count(&expected);
        let known = file.attendance_known();
        votes::check(&mut checker, &members, counts, known);
        photos::check_photos(&mut checker);

        if !checker.errors.is_empty() || !activity.load_errors.is_empty() {
            // Reading errors first, then every check's, in line order; none that only a
            // stand-in for a wrong value caused.
            let own = checker.errors.into_iter().filter(|d| !is_patched(&activity.source, &activity.patched, d));
            let errors: Vec<Diagnostic> = activity.load_errors.iter().cloned().chain(own).collect();
            return Err(in_line_order(errors));
        }
        drop(checker);

        let kind = *file.kind.get_ref();
        let held_as = Rules::from_file(&activity.branch.file).held_as(kind, file.form.as_ref().map(|f| *f.get_ref()));
        // Nobody knows who came before the meeting, or when it was not recorded: no quorum is
        // claimed either way. A meeting held as a 支部党员大会 has its quorum and its votes.
        let quorum = if known { rules::quorum(held_as, counts) } else { None };
        let election_rule = activity
            .branch
            .file
            .rules
            .get(&kind)
            .and_then(|r| r.get_ref().election_quorum.as_ref())
            .map(|r| *r.get_ref())
            .unwrap_or_default();
        let decisions = votes::outcomes(held_as, &file.decisions, counts, !planned, known, election_rule);
        let mut record = Record {
            activity,
            expected,
            extra_present,
            counts,
            attendance_known: known,
            quorum,
            decisions,
            findings: Vec::new(),
            held_as,
        };
        record.findings = record.own_findings();
        Ok(record)
    }

    pub fn path(&self) -> &Path {
        &self.activity.source.path
    }

    pub fn kind(&self) -> Kind {
        *self.activity.file.kind.get_ref()
    }

    /// The kind whose quorum and vote rules it follows (`Rules::held_as`).
    pub fn held_as(&self) -> Kind {
        self.held_as
    }

    /// Still to be held: only the pre-meeting documents, no attendance.
    pub fn is_planned(&self) -> bool {
        self.activity.file.is_planned()
    }

    fn finding(&self, span: Range<usize>, field: &str, label: &str, message: String, help: &str) -> Diagnostic {
        Diagnostic::finding(self.path(), message)
            .at(&self.activity.source, span)
            .with_field(field, label)
            .with_help(help)
    }

    fn own_findings(&self) -> Vec<Diagnostic> {
        let file = &self.activity.file;
        let mut findings = Vec::new();
        if let Some(title) = file.title.as_deref().filter(|t| t.trim().chars().count() > MAX_TITLE) {
            findings.push(self.finding(
                top_level_key_span(&self.activity.source.text, "title"),
                "title",
                "标题",
                format!("标题有 {} 个字，超过 {MAX_TITLE} 个字", title.trim().chars().count()),
                "标题印在每份材料的开头，宜简短，例如“关于接收李明同志为预备党员的支部党员大会”；详细内容写在议程或主题中",
            ));
        }
        if self.is_planned() {
            // Every rule left needs attendance or votes, which a planned activity has not got.
            return findings;
        }
        if file.attendance.is_none() {
            findings.push(self.finding(
                file.kind.span(),
                "attendance",
                "出席情况",
                "没有记录出席情况（[attendance]），实到、请假人数和到会人数是否符合规定都不明，材料中留空".to_string(),
                "在文件中加上 [attendance] 表：请假的写 absent = [ { name = \"…\", reason = \"…\" } ]；应到人员全部到会时写 absent = []",
            ));
        }
        self.vote_findings(&mut findings);
        if file.attendance().present.is_some() {
            for attendee in self.expected.iter().filter(|a| a.presence == Presence::Missing) {
                findings.push(self.finding(
                    file.attendance().present.as_ref().map_or(0..0, |p| p.first().map_or(0..0, |n| n.span())),
                    "attendance.present",
                    "实到人员",
                    format!("{}应到会，但既不在实到人员中，也没有请假记录", attendee.member.name.get_ref()),
                    "如已请假，请在 attendance.absent 中写明姓名和原因；如确实缺席，会议记录中会注明原因待补",
                ));
            }
        }
        findings
    }

    /// The findings this activity has unless the run holds a 支委会 of its branch before it.
    pub fn needs_committee(&self) -> Vec<Diagnostic> {
        let mut findings = Vec::new();
        for (i, decision) in self.activity.file.decisions.iter().enumerate() {
            let kind = decision.get_ref().kind();
            if matches!(kind, DecisionKind::Admission | DecisionKind::Confirmation)
                && self.kind() == Kind::PartyCongress
            {
                findings.push(self.finding(
                    decision.span(),
                    &format!("decisions[{i}].kind"),
                    "决议类型",
                    format!("{}须先经支委会研究，但本次处理的文件中没有此前召开的支委会记录", kind.chinese()),
                    "把此前那次支委会的记录文件一并交给 pdb 处理（例如处理整个文件夹）；如尚未召开，应先召开支委会",
                ));
            }
        }
        findings
    }
}

/// Whether one of a branch's (held) 支委会 dates comes before `date`.
pub fn committee_before(committees: impl IntoIterator<Item = NaiveDate>, date: NaiveDate) -> bool {
    committees.into_iter().any(|d| d < date)
}

fn check_group(checker: &mut Checker<'_>, members: &[&Member]) -> Option<String> {
    let file = &checker.activity.file;
    let groups: BTreeSet<&str> = members.iter().filter_map(|m| m.group.as_deref()).collect();
    match (&file.group, file.kind.get_ref()) {
        (Some(group), _) => {
            let name = group.get_ref().trim();
            if !groups.contains(name) {
                let hint = did_you_mean(name, groups.iter().copied())
                    .map(|g| format!("您是不是要写“{g}”？"))
                    .unwrap_or_default();
                let listed: Vec<&str> = groups.iter().copied().collect();
                checker.error(
                    group.span(),
                    "group",
                    "党小组",
                    format!("党员名册中没有“{name}”这个党小组"),
                    format!("{hint}名册中的党小组：{}", listed.join("、")),
                );
                return None;
            }
            Some(name.to_string())
        }
        (None, Kind::GroupMeeting) => {
            let listed: Vec<&str> = groups.iter().copied().collect();
            checker.error(
                file.kind.span(),
                "group",
                "党小组",
                "党小组会须写明是哪个党小组".to_string(),
                format!("加一行 group = \"…\"，名册中的党小组：{}", listed.join("、")),
            );
            None
        }
        (None, _) => None,
    }
}

/// Who counts toward 应到 for a kind of meeting.
pub fn is_expected(kind: &Kind, group: Option<&str>, member: &Member) -> bool {
    member.excluded.is_none() && is_in_scope(kind, group, member)
}

/// Whether a meeting of this kind concerns the member at all, before any approved exclusion.
pub fn is_in_scope(kind: &Kind, group: Option<&str>, member: &Member) -> bool {
    match kind {
        Kind::Committee => member.committee,
        Kind::GroupMeeting => group.is_some() && member.group.as_deref() == group,
        _ => true,
    }
}

fn check_attendance(checker: &mut Checker<'_>, expected: &[&Member]) {
    let file = &checker.activity.file;
    let roster = checker.roster.clone();
    let expected_names: HashSet<&str> = expected.iter().map(|m| m.name.get_ref().as_str()).collect();
    let present: HashSet<&str> = file.attendance().present.iter().flatten().map(|n| n.get_ref().trim()).collect();
    // A name written twice is a slip either way: rejected in `present` as in `absent`.
    let mut listed = HashSet::new();
    for (i, name) in file.attendance().present.iter().flatten().enumerate() {
        let text = name.get_ref().as_str();
        if roster.contains(&text) && !listed.insert(text) {
            let field = format!("attendance.present[{i}]");
            checker.error(
                name.span(),
                &field,
                "实到人员",
                format!("“{text}”在实到人员中写了两次"),
                "删去重复的一项".into(),
            );
        }
    }
    let mut seen = HashSet::new();
    for (i, absence) in file.attendance().absent.iter().enumerate() {
        let name = absence.name.get_ref().trim();
        let field = format!("attendance.absent[{i}].name");
        if !roster.contains(&name) {
            continue; // already reported as not on the roster
        }
        if !seen.insert(name) {
            checker.error(
                absence.name.span(),
                &field,
                "请假人员姓名",
                format!("“{name}”在请假人员中写了两次"),
                "删去重复的一项".into(),
            );
        } else if present.contains(name) {
            checker.error(
                absence.name.span(),
                &field,
                "请假人员姓名",
                format!("“{name}”同时出现在请假人员和实到人员中"),
                "一个人只能是请假或实到之一：从 absent 或 present 中删去一处".into(),
            );
        } else if !expected_names.contains(name) {
            checker.error(
                absence.name.span(),
                &field,
                "请假人员姓名",
                format!("“{name}”不是本次{}的应到人员，不需要请假", file.kind.get_ref().short_name()),
                "从 attendance.absent 中删去此人；不计入应到的人员不用请假".into(),
            );
        }
        if absence.reason.get_ref().trim().is_empty() {
            checker.error(
                absence.reason.span(),
                &format!("attendance.absent[{i}].reason"),
                "请假原因",
                format!("“{name}”的请假原因是空的"),
                "写明请假原因，例如 reason = \"出差\"".into(),
            );
        }
    }
}

/// A planned activity has not taken place: what is only known afterwards cannot be in it yet.
/// Usually the meeting was held and `status` not changed, so the fix says to change it.
fn check_planned(checker: &mut Checker<'_>) {
    let activity = checker.activity;
    let file = &activity.file;
    let mut late: Vec<(Range<usize>, String, &str)> = Vec::new();
    if let Some(first) = file.attendance().present.iter().flatten().next() {
        late.push((first.span(), "attendance.present".into(), "实到人员"));
    }
    if let Some(first) = file.attendance().absent.first() {
        late.push((first.name.span(), "attendance.absent".into(), "请假人员"));
    }
    for (i, item) in file.agenda.iter().enumerate() {
        if let Some(first) = item.speeches.first() {
            late.push((first.speaker.span(), format!("agenda[{i}].speeches"), "发言"));
        }
    }
    for (i, decision) in file.decisions.iter().enumerate() {
        let d = decision.get_ref();
        if let Some(votes) = &d.votes {
            late.push((votes.span(), format!("decisions[{i}].votes"), "表决情况"));
        }
        if let Some(ballots) = &d.ballots {
            late.push((ballots.span(), format!("decisions[{i}].ballots"), "选票"));
        }
        if let Some(count) = d.candidates.iter().find_map(|c| c.get_ref().votes.as_ref()) {
            late.push((count.span(), format!("decisions[{i}].candidates"), "候选人得票"));
        }
    }
    if let Some(first) = file.photos.first() {
        late.push((first.file.span(), "photos".into(), "照片"));
    }
    if file.summary.as_ref().is_some_and(|s| s.text.as_deref().is_some_and(|t| !t.trim().is_empty())) {
        late.push((top_level_key_span(&activity.source.text, "summary"), "summary".into(), "会议纪要"));
    }
    if let Some(first) = file.reflections.first() {
        late.push((first.author.span(), "reflections".into(), "心得体会"));
    }
    let status = file.status.as_ref().map_or(0..0, |s| s.span());
    let (line, _) = activity.source.line_column(status.start);
    for (span, field, label) in late {
        checker.error(
            span,
            &field,
            label,
            format!("本活动还是“计划”（第 {line} 行 status），会前不能填写{label}"),
            format!("会议开过后，把 status 改为 \"已召开\"（held），再填写{label}；会前只需写时间、地点、议程等"),
        );
    }
}

/// Where a top-level key (or `[table]` header) is written, for keys the model keeps no span of.
fn top_level_key_span(text: &str, key: &str) -> Range<usize> {
    toml::de::DeTable::parse(text)
        .ok()
        .and_then(|table| table.get_ref().iter().find(|(k, _)| k.get_ref() == key).map(|(k, _)| k.span()))
        .unwrap_or(0..0)
}

fn check_times(checker: &mut Checker<'_>) {
    let file = &checker.activity.file;
    if let Some(end) = &file.end {
        if end.get_ref() <= file.start.get_ref() {
            let message = format!("结束时间 {} 不晚于开始时间 {}", end.get_ref(), file.start.get_ref());
            checker.error(
                end.span(),
                "end",
                "结束时间",
                message,
                "结束时间应在开始时间之后，例如 start = 14:30:00、end = 16:00:00（24 小时制）".into(),
            );
        }
    }
    if let Some(notice) = &file.notice_date {
        if notice.get_ref() > file.date.get_ref() {
            let message = format!("通知日期 {} 晚于活动日期 {}", notice.get_ref(), file.date.get_ref());
            checker.error(
                notice.span(),
                "notice_date",
                "通知日期",
                message,
                "通知应在活动之前或当天发出，请改正 notice_date".into(),
            );
        }
    }
    let agenda_len = file.agenda.len();
    for (i, decision) in file.decisions.iter().enumerate() {
        if let Some(index) = &decision.get_ref().agenda {
            let value = *index.get_ref();
            if value < 1 || value as usize > agenda_len {
                let message = format!("决议所属议程为第 {value} 项，但本次只有 {agenda_len} 项议程");
                let help = format!("agenda 写议程的序号（从 1 数起，1 到 {agenda_len}），或删去这一行");
                checker.error(index.span(), &format!("decisions[{i}].agenda"), "所属议程序号", message, help);
            }
        }
    }
}

fn attendance(activity: &Activity, expected: &[&Member], members: &[&Member]) -> (Vec<Attendee>, Vec<Member>) {
    let file = &activity.file;
    let explicit: Option<HashSet<&str>> =
        file.attendance().present.as_ref().map(|p| p.iter().map(|n| n.get_ref().trim()).collect());
    let attendees = expected
        .iter()
        .map(|m| {
            let name = m.name.get_ref().as_str();
            let leave = file.attendance().absent.iter().find(|a| a.name.get_ref().trim() == name);
            let presence = match (leave, &explicit) {
                _ if !file.attendance_known() => Presence::Unknown,
                (Some(a), _) => Presence::OnLeave(a.reason.get_ref().trim().to_string()),
                (None, Some(present)) if !present.contains(name) => Presence::Missing,
                _ => Presence::Present,
            };
            Attendee { member: (*m).clone(), presence }
        })
        .collect();
    let extra = match &explicit {
        Some(present) => members
            .iter()
            .filter(|m| present.contains(m.name.get_ref().as_str()) && !expected.iter().any(|e| e.name == m.name))
            .map(|m| (*m).clone())
            .collect(),
        None => Vec::new(),
    };
    (attendees, extra)
}

fn count(expected: &[Attendee]) -> Counts {
    let mut counts = Counts::default();
    for attendee in expected {
        let votes = attendee.member.votes();
        let present = attendee.presence == Presence::Present;
        counts.expected += 1;
        counts.voting_expected += u32::from(votes);
        counts.present += u32::from(present);
        counts.voting_present += u32::from(votes && present);
    }
    counts
}
