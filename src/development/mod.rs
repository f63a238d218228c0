//! 发展党员 in a run: each applicant record is checked and its documents written (`run`); per
//! branch, the 发展党员工作台账 (`ledger`) and the reverse check (a decision naming an applicant
//! who has no record); the authoring side: `pdb new 发展党员` (`skeleton`) and the due 转正 items of
//! `pdb plan` (`plan`).

pub mod ledger;
pub mod plan;
pub mod run;
pub mod skeleton;

use std::path::PathBuf;

use crate::diagnostics::Diagnostic;
use crate::model::DecisionKind;
use crate::record::Record;

pub use ledger::ApplicantRow;

/// A decision that names an applicant, and the finding it is unless the run holds that
/// applicant's record.
#[derive(Debug, Clone)]
pub struct Named {
    pub name: String,
    pub finding: Diagnostic,
}

/// What a branch's development stage needs from one input of the run.
#[derive(Debug, Clone)]
pub struct DevelopmentOf {
    /// The branch file as found, and made absolute.
    pub branch: (PathBuf, PathBuf),
    pub applicant: Option<ApplicantRow>,
    pub named: Vec<Named>,
}

/// The decisions of a meeting that name an applicant.
pub fn named(record: &Record) -> Vec<Named> {
    let path = record.path();
    record
        .activity
        .file
        .decisions
        .iter()
        .enumerate()
        .filter_map(|(i, d)| {
            let applicant = d.get_ref().applicant.as_ref()?;
            let name = applicant.get_ref().trim().to_string();
            let what = match d.get_ref().kind {
                DecisionKind::Admission => "接收预备党员",
                DecisionKind::Confirmation => "预备党员转正",
                _ => "发展党员",
            };
            let finding = Diagnostic::finding(
                path,
                format!("决议涉及{what}的“{name}”，但本次处理的文件中没有{name}的发展党员记录"),
            )
            .at(&record.activity.source, applicant.span())
            .with_field(format!("decisions[{i}].applicant"), "发展党员姓名")
            .with_help(format!(
                "运行 pdb new 发展党员 --name {name} 建立发展党员记录（放在本支部文件夹中），或核对姓名"
            ));
            Some(Named { name, finding })
        })
        .collect()
}

/// The reverse check of one branch: every named applicant without a record in the run.
pub fn unrecorded(development: &[DevelopmentOf]) -> Vec<Diagnostic> {
    let recorded: Vec<&str> =
        development.iter().filter_map(|d| d.applicant.as_ref()).map(|a| a.name.as_str()).collect();
    development
        .iter()
        .flat_map(|d| &d.named)
        .filter(|n| !recorded.contains(&n.name.as_str()))
        .map(|n| n.finding.clone())
        .collect()
}
