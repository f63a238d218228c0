//! The decisions of a meeting that name an applicant (`applicant = "李明"`): one person each (a
//! finding otherwise), and the finding each is when the run holds no applicant record of that name
//! (the reverse check, decided per branch in `run`).

use super::Record;
use crate::diagnostics::Diagnostic;
use crate::model::DecisionKind;

/// The people an `applicant` value names: one, unless it lists several ("李明、王芳",
/// "李明和王芳"). A list mark (、，,；;/) always separates; a conjunction (和 与 及 同) or a space
/// only when every part is a name of two characters or more, so that 王和平 stays one person.
pub fn people(applicant: &str) -> Vec<&str> {
    let listed: Vec<&str> =
        applicant.split(['、', '，', ',', '；', ';', '/', '／']).map(str::trim).filter(|p| !p.is_empty()).collect();
    if listed.len() > 1 {
        return listed;
    }
    let joined: Vec<&str> =
        applicant.split(['和', '与', '及', '同', ' ', '\u{3000}']).map(str::trim).filter(|p| !p.is_empty()).collect();
    if joined.len() > 1 && joined.iter().all(|p| p.chars().count() >= 2) {
        return joined;
    }
    vec![applicant.trim()]
}

impl Record {
    /// An admission or a 转正 is about one person: two or more are discussed and voted on one by
    /// one (发展党员工作细则), each in a decision of their own. A finding (development.md): the
    /// record is well formed, the procedure broke a rule.
    pub(super) fn one_by_one_findings(&self, findings: &mut Vec<Diagnostic>) {
        for (i, decision) in self.activity.file.decisions.iter().enumerate() {
            let d = decision.get_ref();
            let dk = d.kind();
            let Some(applicant) =
                d.applicant.as_ref().filter(|_| matches!(dk, DecisionKind::Admission | DecisionKind::Confirmation))
            else {
                continue;
            };
            let people = people(applicant.get_ref());
            if people.len() < 2 {
                continue;
            }
            let each: Vec<String> = people.iter().map(|p| format!("applicant = \"{p}\"")).collect();
            findings.push(self.finding(
                applicant.span(),
                &format!("decisions[{i}].applicant"),
                "申请人",
                format!(
                    "一项{}决议写了 {} 个人（{}）：支部大会讨论两个以上的人时须逐个讨论和表决（《中国共产党发展党员工作细则》）",
                    dk.chinese(),
                    people.len(),
                    people.join("、")
                ),
                &format!(
                    "如当时是逐个表决的，把这项 [[decisions]] 分成 {} 项，每项只写一人（{}），各写各的 text 和 votes；\
                     如确为一并表决，材料如实保留，报上级党组织，按规定逐个重新表决",
                    people.len(),
                    each.join("；")
                ),
            ));
        }
    }
}

/// A decision that names an applicant, and the finding it is unless the run holds that
/// applicant's record.
#[derive(Debug, Clone)]
pub struct Named {
    pub name: String,
    pub finding: Diagnostic,
}

/// The decisions of a meeting that name an applicant: one for each person a decision names (two in
/// one decision are also a finding of their own, `one_by_one_findings`).
pub fn named(record: &Record) -> Vec<Named> {
    let path = record.path();
    let mut out = Vec::new();
    for (i, d) in record.activity.file.decisions.iter().enumerate() {
        let Some(applicant) = d.get_ref().applicant.as_ref() else { continue };
        let what = match d.get_ref().kind() {
            DecisionKind::Admission => "接收预备党员",
            DecisionKind::Confirmation => "预备党员转正",
            _ => "发展党员",
        };
        for name in people(applicant.get_ref()) {
            let finding = Diagnostic::finding(
                path,
                format!("决议涉及{what}的“{name}”，但本次处理的文件中没有{name}的发展党员记录"),
            )
            .at(&record.activity.source, applicant.span())
            .with_field(format!("decisions[{i}].applicant"), "发展党员姓名")
            .with_help(format!(
                "运行 pdb new 发展党员 --name {name} 建立发展党员记录（放在本支部文件夹中），或核对姓名"
            ));
            out.push(Named { name: name.to_string(), finding });
        }
    }
    out
}
