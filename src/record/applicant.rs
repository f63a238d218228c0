//! A checked applicant record: the file read with its branch, the meetings it names read and
//! checked as activities, and the rules of `rules::development` applied. The meetings' facts
//! (date, attendance, votes) come from their own records: never typed twice.

use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use serde_spanned::Spanned;

use crate::diagnostics::{Diagnostic, Severity};
use crate::load::{self, Branch, BranchCache, LoadedBranch};
use crate::model::applicant::{ApplicantFile, KIND, KIND_SLUG};
use crate::model::{DecisionKind, Kind, Member};
use crate::record::{Outcome, Record};
use crate::rules::calendar::Calendar;
use crate::rules::development::checks::{self, Issue};
use crate::rules::development::{self, Facts, MeetingFacts, Meetings, Settings, Step, VoteFacts};
use crate::source::SourceFile;

#[derive(Debug, Clone)]
pub struct ApplicantRecord {
    pub source: SourceFile,
    pub file: ApplicantFile,
    pub branch: Arc<Branch>,
    pub meetings: Meetings,
    pub facts: Facts,
    pub settings: Settings,
    pub steps: Vec<Step>,
    pub today: NaiveDate,
    pub calendar: Calendar,
    pub findings: Vec<Diagnostic>,
}

impl ApplicantRecord {
    pub fn name(&self) -> &str {
        self.file.name.get_ref().trim()
    }

    pub fn path(&self) -> &Path {
        &self.source.path
    }
}

fn diagnostic(source: &SourceFile, issue: Issue) -> Diagnostic {
    let d = match issue.severity {
        Severity::Error => Diagnostic::error(&source.path, issue.message),
        Severity::Finding => Diagnostic::finding(&source.path, issue.message),
    };
    d.at(source, issue.span).with_field(issue.field, issue.label).with_help(issue.help)
}

/// Reads an applicant record, its branch and the meetings it names, and checks it on `today`.
pub fn build(source: SourceFile, branches: &BranchCache, today: NaiveDate) -> Result<ApplicantRecord, Vec<Diagnostic>> {
    let file: ApplicantFile = load::parse(&source).map_err(|d| vec![d])?;
    let path = source.path.clone();
    let kind = file.kind.get_ref().trim();
    if kind != KIND && kind != KIND_SLUG {
        return Err(vec![Diagnostic::error(&path, format!("发展党员记录的类型应为“{KIND}”，写的是“{kind}”"))
            .at(&source, file.kind.span())
            .with_field("kind", "活动类型")
            .with_help(format!("写 kind = \"{KIND}\""))]);
    }
    let branch = find_branch(&source, &file, branches)?;
    let calendar = calendar(&branch).map_err(|d| vec![d])?;
    let settings = Settings::from_file(branch.file.rules.development.as_ref().map(|d| d.get_ref()));
    let mut issues: Vec<Issue> = Vec::new();
    let meetings = resolve(&source, &file, &branch, branches, &mut issues);
    let facts = development::facts(&file, &meetings, &settings);
    let roster: Vec<&Member> = branch.file.members.iter().map(|m| m.get_ref()).collect();
    let inputs = checks::Inputs {
        file: &file,
        meetings: &meetings,
        facts: &facts,
        settings: &settings,
        calendar: &calendar,
        roster: &roster,
        today,
    };
    issues.extend(checks::check(&inputs));
    let (errors, findings): (Vec<Issue>, Vec<Issue>) = issues.into_iter().partition(|i| i.severity == Severity::Error);
    if !errors.is_empty() {
        return Err(errors.into_iter().map(|i| diagnostic(&source, i)).collect());
    }
    let findings = findings.into_iter().map(|i| diagnostic(&source, i)).collect();
    let steps = development::steps(&file, &meetings, &facts, &settings, today);
    Ok(ApplicantRecord { source, file, branch, meetings, facts, settings, steps, today, calendar, findings })
}

/// The record's branch file, loaded (its errors, as a branch load gives them).
fn find_branch(source: &SourceFile, file: &ApplicantFile, branches: &BranchCache) -> LoadedBranch {
    let path = &source.path;
    let branch_path = match &file.branch {
        Some(relative) => {
            let candidate = path.parent().unwrap_or(Path::new(".")).join(relative.get_ref());
            if !candidate.is_file() {
                return Err(vec![Diagnostic::error(path, format!("找不到支部文件“{}”", candidate.display()))
                    .at(source, relative.span())
                    .with_field("branch", "支部")
                    .with_help("branch 写的是相对于本文件的路径，例如 \"../branch.toml\"；也可以删去这一行，自动使用上级文件夹中的 branch.toml")]);
            }
            candidate
        }
        None => load::find_branch_file(path).ok_or_else(|| {
            vec![Diagnostic::error(path, "找不到本发展党员记录所属支部的 branch.toml")
                .with_help("把记录放在支部文件夹（或其下级文件夹）中，或写 branch = \"路径/branch.toml\"")]
        })?,
    };
    branches.get(&branch_path)
}

/// The built-in holiday table, with the branch's own file (`[rules."发展党员"] holidays`) over it.
#[allow(clippy::result_large_err)]
fn calendar(branch: &Branch) -> Result<Calendar, Diagnostic> {
    let builtin = Calendar::builtin();
    let Some(key) = branch.file.rules.development.as_ref().and_then(|d| d.get_ref().holidays.clone()) else {
        return Ok(builtin.clone());
    };
    let file = branch.source.path.parent().unwrap_or(Path::new("")).join(key.get_ref());
    let error = |message: String| {
        Diagnostic::error(&branch.source.path, message)
            .at(&branch.source, key.span())
            .with_field("rules.发展党员.holidays", "节假日安排文件")
            .with_help("holidays 写相对于 branch.toml 的文件，格式照 pdb 内置的节假日表：[2027] off = [[2027-01-01, 2027-01-03]] work = [2027-01-04]")
    };
    let text =
        std::fs::read_to_string(&file).map_err(|_| error(format!("找不到节假日安排文件“{}”", file.display())))?;
    let own = Calendar::parse(&text).map_err(|e| error(format!("节假日安排文件“{}”有误：{e}", file.display())))?;
    Ok(builtin.overlaid(own))
}

/// The meetings the record names, each read and checked; what does not resolve is an issue.
fn resolve(
    source: &SourceFile,
    file: &ApplicantFile,
    branch: &Arc<Branch>,
    branches: &BranchCache,
    issues: &mut Vec<Issue>,
) -> Meetings {
    let name = file.name.get_ref().trim();
    let folder = source.path.parent().unwrap_or(Path::new("."));
    let mut one = |reference: Option<&Spanned<String>>,
                   field: &str,
                   label: &'static str,
                   kind: Kind,
                   decision: DecisionKind,
                   step_date: Option<NaiveDate>| {
        let reference = reference?;
        match meeting(folder, reference, branch, branches, name) {
            Ok(facts) => {
                let found = checks::check_meeting(reference, field, label, &facts, kind, decision, step_date, name);
                let ok = found.is_empty();
                issues.extend(found);
                ok.then_some(facts)
            }
            Err((message, help)) => {
                issues.push(Issue {
                    severity: Severity::Error,
                    span: reference.span(),
                    field: field.to_string(),
                    label,
                    message,
                    help,
                });
                None
            }
        }
    };
    let date_of = |d: &Option<Spanned<crate::model::Date>>| d.as_ref().map(|d| d.get_ref().0);
    let act = file.activist.as_ref().map(|a| a.get_ref());
    let cand = file.candidate.as_ref().map(|c| c.get_ref());
    let adm = file.admission.as_ref().map(|a| a.get_ref());
    let prob = file.probation.as_ref().map(|p| p.get_ref());
    let meetings = Meetings {
        activist: one(
            act.and_then(|a| a.meeting.as_ref()),
            "activist.meeting",
            "确定入党积极分子的支委会记录",
            Kind::Committee,
            DecisionKind::Ordinary,
            act.and_then(|a| date_of(&a.date)),
        ),
        candidate: one(
            cand.and_then(|c| c.meeting.as_ref()),
            "candidate.meeting",
            "确定发展对象的支委会记录",
            Kind::Committee,
            DecisionKind::Ordinary,
            cand.and_then(|c| date_of(&c.date)),
        ),
        admission_review: one(
            adm.and_then(|a| a.committee_review.as_ref()),
            "admission.committee_review",
            "支委会审查记录",
            Kind::Committee,
            DecisionKind::Ordinary,
            None,
        ),
        admission: one(
            adm.and_then(|a| a.meeting.as_ref()),
            "admission.meeting",
            "接收预备党员的支部党员大会记录",
            Kind::PartyCongress,
            DecisionKind::Admission,
            None,
        ),
        probation_review: one(
            prob.and_then(|p| p.committee_review.as_ref()),
            "probation.committee_review",
            "转正的支委会审查记录",
            Kind::Committee,
            DecisionKind::Ordinary,
            None,
        ),
        probation: one(
            prob.and_then(|p| p.meeting.as_ref()),
            "probation.meeting",
            "讨论转正的支部党员大会记录",
            Kind::PartyCongress,
            DecisionKind::Confirmation,
            None,
        ),
    };
    // The meeting's date comes from its record: typed as well, the two could disagree.
    let twice = [
        (adm.and_then(|a| a.meeting.as_ref().zip(a.date.as_ref())), "admission.date", "接收预备党员的支部党员大会日期"),
        (prob.and_then(|p| p.meeting.as_ref().zip(p.date.as_ref())), "probation.date", "讨论转正的支部党员大会日期"),
    ];
    for (both, field, label) in twice {
        if let Some((_, date)) = both {
            issues.push(Issue {
                severity: Severity::Error,
                span: date.span(),
                field: field.into(),
                label,
                message: "已经写了会议记录（meeting），会议日期取自那份记录，不要再写 date".into(),
                help: "删去 date 这一行；只有会议记录不在 pdb 中时才写 date".into(),
            });
        }
    }
    let unbacked = [
        (
            adm.filter(|a| a.meeting.is_none()).and_then(|a| a.date.as_ref()),
            "admission.date",
            "接收预备党员的支部党员大会日期",
        ),
        (
            prob.filter(|p| p.meeting.is_none()).and_then(|p| p.date.as_ref()),
            "probation.date",
            "讨论转正的支部党员大会日期",
        ),
    ];
    for (date, field, label) in unbacked {
        if let Some(date) = date {
            issues.push(Issue { severity: Severity::Finding, span: date.span(), field: field.into(), label,
                message: format!("{label}{}没有会议记录可以核对（到会人数、表决票数无从检查）", date.get_ref().chinese()),
                help: "把那次支部党员大会的记录文件放进支部文件夹（可在 .pdbignore 中排除以免重复生成），再写 meeting = \"文件名.toml\"".into() });
        }
    }
    meetings
}

/// One referenced meeting, read as an activity of the same branch and checked.
fn meeting(
    folder: &Path,
    reference: &Spanned<String>,
    branch: &Arc<Branch>,
    branches: &BranchCache,
    name: &str,
) -> Result<MeetingFacts, (String, String)> {
    let written = reference.get_ref().trim();
    let path = folder.join(written);
    if !path.is_file() {
        return Err((
            format!("找不到会议记录“{}”", path.display()),
            "写相对于本文件的路径，例如 \"2024-11-12-支委会.toml\"；会议记录要和发展党员记录放在同一个支部文件夹中"
                .into(),
        ));
    }
    let activity = load::load_activity(&path, branches).map_err(|_| {
        (format!("会议记录“{written}”有错误，无法核对"), format!("先运行 pdb check {} 改正那份记录", path.display()))
    })?;
    if !Arc::ptr_eq(&activity.branch, branch)
        && activity.branch.source.path.canonicalize().ok() != branch.source.path.canonicalize().ok()
    {
        return Err((
            format!("会议记录“{written}”属于另一个支部（{}）", activity.branch.source.path.display()),
            "发展党员记录只能引用本支部的会议记录".into(),
        ));
    }
    let record = Record::build(activity).map_err(|_| {
        (format!("会议记录“{written}”有错误，无法核对"), format!("先运行 pdb check {} 改正那份记录", path.display()))
    })?;
    let file = &record.activity.file;
    let decision = file
        .decisions
        .iter()
        .zip(&record.decisions)
        // Also a decision naming several (a finding of the meeting's): the vote is this one's too.
        .find(|(d, _)| d.get_ref().applicant.as_ref().is_some_and(|a| super::people(a.get_ref()).contains(&name)))
        .map(|(d, outcome)| {
            let d = d.get_ref();
            VoteFacts {
                kind: d.kind(),
                text: d.text.trim().to_string(),
                method: outcome.method,
                method_written: d.method.is_some(),
                votes: d.votes.as_ref().map(|v| (v.get_ref().yes, v.get_ref().no, v.get_ref().abstain)),
                // The meeting's own judgement, under the decision's own quorum and threshold.
                verdict: match outcome.outcome {
                    Outcome::Vote(verdict) => Some(verdict),
                    _ => None,
                },
                quorum: outcome.quorum.clone(),
                threshold: outcome.threshold.clone(),
            }
        });
    Ok(MeetingFacts {
        file: written.to_string(),
        kind: record.kind(),
        date: file.date.get_ref().0,
        held: !record.is_planned(),
        decision,
    })
}
