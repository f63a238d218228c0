//! The branch file: the branch's names and its roster.

use serde::Deserialize;
use serde_spanned::Spanned;

use super::kind::MemberStatus;

/// `branch.toml` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BranchFile {
    pub branch: BranchInfo,
    #[serde(default)]
    pub members: Vec<Spanned<Member>>,
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
}

impl BranchInfo {
    /// The short name when given, for running text.
    pub fn display_name(&self) -> &str {
        self.short.as_deref().unwrap_or(&self.name)
    }
}

impl Member {
    pub fn votes(&self) -> bool {
        self.status == MemberStatus::Full
    }
}
