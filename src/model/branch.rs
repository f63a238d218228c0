//! The branch file: the branch's names and its roster.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_spanned::Spanned;

use super::applicant::{self, DevelopmentRuleFile};
use super::datetime::Time;
use super::kind::{ElectionQuorum, Every, Kind, MemberStatus};

/// `branch.toml` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BranchFile {
    /// A folder of the unit's own templates, relative to branch.toml; `--templates` wins over it.
    pub templates: Option<Spanned<String>>,
    /// The unit's own Word file whose styles, theme and page setup the .docx documents take,
    /// relative to branch.toml; `--reference-docx` wins over it.
    pub reference_docx: Option<Spanned<String>>,
    /// The formats this branch's documents are written in when `--format` is not given, e.g.
    /// `["docx", "pdf"]`.
    pub formats: Option<Spanned<Vec<OutputFormat>>>,
    pub branch: BranchInfo,
    #[serde(default)]
    pub members: Vec<Spanned<Member>>,
    /// `[rules.<kind>]`: local frequency rules that replace the built-in ones for that kind, and
    /// the day `pdb plan` picks; `[rules."发展党员"]`: the applicant rules' local settings.
    #[serde(default)]
    pub rules: RuleTables,
    /// `[extra]`: the unit's own values, passed to templates untouched.
    #[serde(default)]
    pub extra: toml::Table,
}

/// One entry of branch.toml's `formats`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    Typst,
    Markdown,
    Docx,
    Pdf,
}

/// One `[rules.<kind>]` table. Every key is optional; what is left out keeps the built-in value.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    /// 每月 / 每季度 / 每年 / 不检查
    pub every: Option<Spanned<Every>>,
    /// How many meetings each period asks for (default 1).
    pub times: Option<Spanned<u32>>,
    /// The day `pdb plan` picks inside the month, e.g. "第二个星期二", "最后一个星期五", "15日".
    pub day: Option<Spanned<String>>,
    /// For quarterly and yearly rules: the month `pdb plan` uses (1–3 within a quarter, 1–12
    /// within a year).
    pub month: Option<Spanned<u32>>,
    /// The start time `pdb plan` writes into the skeleton.
    pub start: Option<Spanned<Time>>,
    /// Elections at a meeting of this kind: whether exactly 4/5 of the electors present is
    /// enough (不少于五分之四) or not (超过五分之四, the national rule and the default).
    pub election_quorum: Option<Spanned<ElectionQuorum>>,
    /// Other kinds whose rules a held activity of this kind also counts for, e.g. a 主题党日
    /// that is always held as a 支部党员大会: `counts_as = ["支部党员大会"]`.
    pub counts_as: Option<Spanned<Vec<Spanned<Kind>>>>,
    /// 党课 only: how many of the year's 党课 the branch's 书记 gives at least (default 1; 0 turns
    /// the check off).
    pub by_secretary: Option<Spanned<u32>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BranchInfo {
    /// Full name, used in titles and signatures.
    pub name: String,
    /// Short name, used in running text.
    pub short: Option<String>,
    /// 上级党组织
    pub parent: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub name: Spanned<String>,
    pub role: Option<String>,
    #[serde(default)]
    pub committee: bool,
    #[serde(default)]
    pub status: MemberStatus,
    pub group: Option<String>,
    #[serde(default)]
    pub group_leader: bool,
    /// Approved exclusion from 应到 counts, with its reason.
    pub excluded: Option<String>,
    /// Rights suspended (e.g. 被依法留置), with the reason: counted in 应到/实到, no vote.
    pub rights_suspended: Option<String>,
}

impl BranchFile {
    /// The 党小组 of the roster, trimmed, in the order they first appear.
    pub fn groups(&self) -> Vec<String> {
        let mut groups: Vec<String> = Vec::new();
        for member in &self.members {
            let group = member.get_ref().group.as_deref().map(str::trim).filter(|g| !g.is_empty());
            if let Some(group) = group.filter(|g| !groups.iter().any(|known| known == g)) {
                groups.push(group.to_string());
            }
        }
        groups
    }
}

impl BranchInfo {
    /// The short name when given, for running text.
    pub fn display_name(&self) -> &str {
        self.short.as_deref().filter(|s| !s.trim().is_empty()).unwrap_or(&self.name)
    }
}

impl BranchFile {
    /// The 书记 of the roster: the member whose role is 书记, else one whose role names a 书记
    /// that is not a 副书记 or a 党小组's.
    pub fn secretary(&self) -> Option<&str> {
        let members = || self.members.iter().map(|m| m.get_ref()).filter(|m| m.excluded.is_none());
        let role = |m: &&Member| m.role.as_deref().map(str::trim).unwrap_or("").to_string();
        members()
            .find(|m| role(m) == "书记")
            .or_else(|| {
                members().find(|m| {
                    let r = role(m);
                    r.contains("书记") && !r.contains("副书记") && !r.contains("小组")
                })
            })
            .map(|m| m.name.get_ref().trim())
    }
}

impl Member {
    /// 表决权 and 选举权 (选举工作条例第五条): 正式党员 whose rights are not suspended and who are
    /// not under 留党察看 (a status of its own).
    pub fn votes(&self) -> bool {
        self.status == MemberStatus::Full && self.rights_suspended.as_deref().is_none_or(|r| r.trim().is_empty())
    }
}

/// The `[rules.…]` tables: one per kind of activity, and `[rules."发展党员"]`. Derefs to the
/// kinds' tables, which is what the frequency rules read.
#[derive(Debug, Clone, Default)]
pub struct RuleTables {
    pub kinds: BTreeMap<Kind, Spanned<RuleFile>>,
    pub development: Option<Spanned<DevelopmentRuleFile>>,
}

impl std::ops::Deref for RuleTables {
    type Target = BTreeMap<Kind, Spanned<RuleFile>>;
    fn deref(&self) -> &Self::Target {
        &self.kinds
    }
}

impl<'a> IntoIterator for &'a RuleTables {
    type Item = (&'a Kind, &'a Spanned<RuleFile>);
    type IntoIter = std::collections::btree_map::Iter<'a, Kind, Spanned<RuleFile>>;
    fn into_iter(self) -> Self::IntoIter {
        self.kinds.iter()
    }
}

impl<'de> Deserialize<'de> for RuleTables {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TablesVisitor;
        impl<'de> serde::de::Visitor<'de> for TablesVisitor {
            type Value = RuleTables;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a table of rules")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<RuleTables, A::Error> {
                let mut tables = RuleTables::default();
                while let Some(key) = map.next_key::<String>()? {
                    if key == applicant::KIND || key == applicant::KIND_SLUG {
                        tables.development = Some(map.next_value()?);
                    } else {
                        let kind = Kind::deserialize(serde::de::value::StrDeserializer::<A::Error>::new(&key))?;
                        tables.kinds.insert(kind, map.next_value()?);
                    }
                }
                Ok(tables)
            }
        }
        deserializer.deserialize_map(TablesVisitor)
    }
}
