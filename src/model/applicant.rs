//! The applicant record (shared/spec/development.md): one file per person on the way to
//! membership, `kind = "发展党员"`, with a table per stage. Every table, and every key inside one,
//! is optional until that stage is reached; the rules say what is missing.

use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_spanned::Spanned;

use super::datetime::Date;
use crate::diagnostics::did_you_mean;

/// The `kind` of an applicant record, in Chinese or as its slug.
pub const KIND: &str = "发展党员";
pub const KIND_SLUG: &str = "applicant";

/// Whether a kind as written (`pdb new 发展党员`) names an applicant record.
pub fn is_applicant_kind(kind: &str) -> bool {
    matches!(kind.trim(), KIND | KIND_SLUG)
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicantFile {
    pub kind: Spanned<String>,
    pub name: Spanned<String>,
    pub gender: Option<String>,
    /// Required once `[application]` is present: the 18-year rule.
    pub birth_date: Option<Spanned<Date>>,
    /// 工作单位或部门
    pub unit: Option<String>,
    /// As for an activity: the branch file, else the first branch.toml above.
    pub branch: Option<Spanned<String>>,
    pub application: Option<Spanned<Application>>,
    pub activist: Option<Spanned<Activist>>,
    pub candidate: Option<Spanned<Candidate>>,
    pub admission: Option<Spanned<Admission>>,
    pub probation: Option<Spanned<Probation>>,
    /// `[extra]`: the unit's own values (公示's 联系人, 电话, 地址…), as for activities.
    #[serde(default)]
    pub extra: toml::Table,
}

/// 第一阶段 申请入党
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Application {
    /// 递交入党申请书: the original date.
    pub date: Option<Spanned<Date>>,
    /// 党组织派人谈话: within one month.
    pub talk: Option<Spanned<Talk>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Talk {
    pub date: Option<Spanned<Date>>,
    /// One name or a list of names.
    pub by: Option<Spanned<Names>>,
}

/// 第二阶段 入党积极分子的确定和培养教育
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Activist {
    pub date: Option<Spanned<Date>>,
    /// That 支委会's record, relative to the applicant file.
    pub meeting: Option<Spanned<String>>,
    pub recommended: Option<Spanned<Recommended>>,
    pub filed: Option<Spanned<Date>>,
    /// 培养联系人: 1–2 正式党员.
    pub contacts: Option<Spanned<Names>>,
    /// 培养考察: at least every half year.
    #[serde(default)]
    pub reviews: Vec<Spanned<Date>>,
    /// 思想汇报
    #[serde(default)]
    pub reports: Vec<Spanned<Date>>,
}

/// 第三阶段 发展对象的确定和考察
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Candidate {
    pub date: Option<Spanned<Date>>,
    pub meeting: Option<Spanned<String>>,
    pub filed: Option<Spanned<Date>>,
    pub publicity: Option<Spanned<DateSpan>>,
    /// 入党介绍人: two 正式党员.
    pub introducers: Option<Spanned<Names>>,
    pub political_review: Option<Spanned<PoliticalReview>>,
    pub training: Option<Spanned<Training>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateSpan {
    pub from: Spanned<Date>,
    pub to: Spanned<Date>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoliticalReview {
    pub date: Option<Spanned<Date>>,
    /// 合格, or what the review concluded.
    pub result: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Training {
    pub from: Option<Spanned<Date>>,
    pub to: Option<Spanned<Date>>,
    /// 学时
    pub hours: Option<Spanned<u32>>,
    /// Who held it (free text: 局党委党校).
    pub by: Option<String>,
}

/// 第四阶段 预备党员的接收
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Admission {
    /// 支委会审查: that meeting's record.
    pub committee_review: Option<Spanned<String>>,
    /// 上级党委预审
    pub pre_review: Option<Spanned<Date>>,
    pub publicity: Option<Spanned<DateSpan>>,
    /// 填写入党志愿书
    pub form: Option<Spanned<Date>>,
    /// 支部大会讨论: its decision with kind = "admission" and applicant = this name.
    pub meeting: Option<Spanned<String>>,
    /// Only for a 支部大会 held before the branch kept its records in pdb: its date. With
    /// `meeting` the date comes from that record and must not be typed again.
    pub date: Option<Spanned<Date>>,
    /// 上级党委派人谈话 (the person may be from the higher committee: free text).
    pub talk: Option<Spanned<Talk>>,
    /// 上级党委审批
    pub approval: Option<Spanned<Date>>,
    /// Why approval took more than three months (at most six are allowed with a reason).
    pub approval_delay_reason: Option<String>,
    pub filed_upward: Option<Spanned<Date>>,
}

/// 第五阶段 预备党员的教育考察和转正
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Probation {
    /// 入党宣誓
    pub oath: Option<Spanned<Date>>,
    #[serde(default)]
    pub reviews: Vec<Spanned<Date>>,
    /// 转正申请
    pub application: Option<Spanned<Date>>,
    pub publicity: Option<Spanned<DateSpan>>,
    pub committee_review: Option<Spanned<String>>,
    pub meeting: Option<Spanned<String>>,
    /// As for `admission.date`: a 转正 meeting whose record is not in pdb.
    pub date: Option<Spanned<Date>>,
    pub outcome: Option<Spanned<ProbationOutcome>>,
    /// Only with 延长预备期: 6–12.
    pub extension_months: Option<Spanned<u32>>,
    pub approval: Option<Spanned<Date>>,
    /// 材料归档
    pub archived: Option<Spanned<Date>>,
}

/// `[rules."发展党员"]` in branch.toml: where local practice differs from the built-in rules.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DevelopmentRuleFile {
    /// 公示 length in working days (default 5).
    pub publicity_days: Option<Spanned<u32>>,
    /// How the 预备期 ends: the day before the anniversary (default) or on it.
    pub probation_end: Option<Spanned<ProbationEnd>>,
    /// Months from the application before someone may be named 积极分子 (default none).
    pub activist_after_months: Option<Spanned<u32>>,
    /// 思想汇报 at least every so many months (default: not checked).
    pub report_every_months: Option<Spanned<u32>>,
    /// A holiday table (format of the built-in one) replacing the years it lists; relative to
    /// branch.toml.
    pub holidays: Option<Spanned<String>>,
}

crate::model::kind::spelled_enum! {
    /// The last day of the 预备期: 2024年12月2日至2025年12月1日, or 至2025年12月2日.
    ProbationEnd, "预备期截止方式" {
        DayBefore => ["周年前一日", "day-before"],
        Anniversary => ["周年当日", "anniversary"],
    }
}

crate::model::kind::spelled_enum! {
    /// How the 积极分子 was put forward.
    Recommended, "推荐方式" {
        Members => ["党员推荐", "members"],
        Youth => ["群团组织推优", "youth-league"],
    }
}

crate::model::kind::spelled_enum! {
    /// What the 转正 meeting decided.
    ProbationOutcome, "转正结果" {
        OnTime => ["按期转正", "on-time"],
        Extended => ["延长预备期", "extended"],
        Cancelled => ["取消预备党员资格", "cancelled"],
    }
}

/// One name (`by = "孙丽"`) or several (`by = ["王芳", "刘洋"]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names(pub Vec<String>);

impl Names {
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|n| n.trim())
    }

    /// 王芳、刘洋
    pub fn joined(&self) -> String {
        self.iter().collect::<Vec<_>>().join("、")
    }
}

impl<'de> Deserialize<'de> for Names {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NamesVisitor;
        impl<'de> Visitor<'de> for NamesVisitor {
            type Value = Names;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or sequence")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Names, E> {
                Ok(Names(vec![value.to_string()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Names, A::Error> {
                let mut names = Vec::new();
                while let Some(name) = seq.next_element::<String>()? {
                    names.push(name);
                }
                Ok(Names(names))
            }
        }
        deserializer.deserialize_any(NamesVisitor)
    }
}

/// Whether a file's text is an applicant record: its top-level `kind` says so. Cheap for the
/// activity files of a batch, which are asked first.
pub fn is_applicant(text: &str) -> bool {
    if !text.contains(KIND) && !text.contains(KIND_SLUG) {
        return false;
    }
    text.lines().any(|line| {
        let line = line.trim();
        let Some(rest) = line.strip_prefix("kind") else { return false };
        let Some(value) = rest.trim_start().strip_prefix('=') else { return false };
        let value = value.split('#').next().unwrap_or("").trim().trim_matches(|c| c == '"' || c == '\'').trim();
        value == KIND || value == KIND_SLUG
    })
}

/// The Chinese label of a key of an applicant record, read in the context of its table.
pub fn label(parent: &str, key: &str) -> Option<&'static str> {
    Some(match (parent, key) {
        ("application", "date") => "递交入党申请书日期",
        ("application", "talk") => "入党申请人谈话",
        ("activist", "date") => "确定为入党积极分子日期",
        ("activist", "meeting") => "确定入党积极分子的支委会记录",
        ("activist", "recommended") => "推荐方式",
        ("activist", "filed") => "报上级党委备案日期",
        ("activist", "contacts") => "培养联系人",
        ("activist", "reviews") => "培养考察",
        ("activist", "reports") => "思想汇报",
        ("candidate", "date") => "确定为发展对象日期",
        ("candidate", "meeting") => "确定发展对象的支委会记录",
        ("candidate", "filed") => "报上级党委备案日期",
        ("candidate", "publicity") => "发展对象公示",
        ("candidate", "introducers") => "入党介绍人",
        ("candidate", "political_review") => "政治审查",
        ("candidate", "training") => "集中培训",
        ("political_review", "result") => "政审结论",
        ("training", "hours") => "培训学时",
        ("training", "by") => "培训单位",
        ("admission", "committee_review") => "支委会审查记录",
        ("admission", "pre_review") => "上级党委预审日期",
        ("admission", "publicity") => "拟接收预备党员公示",
        ("admission", "form") => "填写入党志愿书日期",
        ("admission", "meeting") => "接收预备党员的支部党员大会记录",
        ("admission", "date") => "接收预备党员的支部党员大会日期",
        ("admission", "talk") => "上级党委派人谈话",
        ("admission", "approval") => "上级党委审批日期",
        ("admission", "approval_delay_reason") => "审批延长的原因",
        ("admission", "filed_upward") => "报再上一级组织部门备案日期",
        ("probation", "oath") => "入党宣誓日期",
        ("probation", "reviews") => "预备期考察",
        ("probation", "application") => "转正申请日期",
        ("probation", "publicity") => "拟转正公示",
        ("probation", "committee_review") => "转正的支委会审查记录",
        ("probation", "meeting") => "讨论转正的支部党员大会记录",
        ("probation", "date") => "讨论转正的支部党员大会日期",
        ("probation", "outcome") => "转正结果",
        ("probation", "extension_months") => "延长预备期月数",
        ("probation", "approval") => "转正审批日期",
        ("probation", "archived") => "材料归档日期",
        ("talk", "date") => "谈话日期",
        ("talk", "by") => "谈话人",
        ("publicity", "from") => "公示开始日期",
        ("publicity", "to") => "公示结束日期",
        ("training", "from") => "培训开始日期",
        ("training", "to") => "培训结束日期",
        ("political_review", "date") => "政审日期",
        ("", "birth_date") => "出生日期",
        ("", "gender") => "性别",
        ("", "unit") => "工作单位",
        ("", "application") => "申请入党",
        ("", "activist") => "入党积极分子",
        ("", "candidate") => "发展对象",
        ("", "admission") => "接收预备党员",
        ("", "probation") => "预备期和转正",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applicant_files_are_told_by_their_kind() {
        assert!(is_applicant("kind = \"发展党员\"\nname = \"李明\""));
        assert!(is_applicant("# 记录\nkind=\"applicant\"  # 不要改\n"));
        assert!(!is_applicant("kind = \"支部党员大会\"\ntitle = \"发展党员\""));
    }

    #[test]
    fn names_are_one_or_many() {
        #[derive(Deserialize)]
        struct T {
            a: Names,
            b: Names,
        }
        let t: T = toml::from_str("a = \"孙丽\"\nb = [\"王芳\", \"刘洋\"]").unwrap();
        assert_eq!(t.a.0, ["孙丽"]);
        assert_eq!(t.b.joined(), "王芳、刘洋");
    }
}
