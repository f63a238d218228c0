//! What a branch's roster suggests to an author: names for comments, and `pdb plan`'s host.

use crate::model::{BranchFile, MemberStatus};

/// What the roster suggests: names for comments, and `pdb plan`'s host and recorder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roster {
    /// The member whose role is 书记 (not 副书记).
    pub secretary: Option<String>,
    /// The member whose role contains 组织委员.
    pub organiser: Option<String>,
    pub groups: Vec<RosterGroup>,
    pub probationary: Vec<String>,
    /// The branch file as an activity file would find it, for the comment on `branch`.
    pub branch_path: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterGroup {
    pub name: String,
    pub leader: Option<String>,
}

impl Roster {
    pub fn from_branch(file: &BranchFile, branch_path: Option<String>) -> Roster {
        let members: Vec<_> = file.members.iter().map(|m| m.get_ref()).collect();
        let with_role = |wanted: &dyn Fn(&str) -> bool| {
            members
                .iter()
                .filter(|m| m.excluded.is_none())
                .find(|m| m.role.as_deref().is_some_and(|r| wanted(r.trim())))
                .map(|m| m.name.get_ref().trim().to_string())
        };
        let secretary = file.secretary().map(str::to_string);
        let organiser = with_role(&|r| r.contains("组织委员"));
        let groups = file
            .groups()
            .into_iter()
            .map(|name| {
                let leader = members
                    .iter()
                    .find(|m| {
                        m.group_leader && m.excluded.is_none() && m.group.as_deref().map(str::trim) == Some(&name)
                    })
                    .map(|m| m.name.get_ref().trim().to_string());
                RosterGroup { name, leader }
            })
            .collect();
        let probationary = members
            .iter()
            .filter(|m| m.status == MemberStatus::Probationary && m.excluded.is_none())
            .map(|m| m.name.get_ref().trim().to_string())
            .collect();
        Roster { secretary, organiser, groups, probationary, branch_path }
    }

    pub fn group_names(&self) -> Vec<String> {
        self.groups.iter().map(|g| g.name.clone()).collect()
    }

    pub fn leader_of(&self, group: &str) -> Option<&str> {
        self.groups.iter().find(|g| g.name == group).and_then(|g| g.leader.as_deref())
    }
}
