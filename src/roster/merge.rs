//! The imported members into branch.toml through toml_edit, so that the secretary's comments,
//! order and formatting survive: new members are added after the last one, a changed field is
//! changed only when asked, and nobody is ever deleted.

use toml_edit::{value, ArrayOfTables, Decor, DocumentMut, Item, Key, Table};

use crate::model::name;
use crate::model::MemberStatus;

use super::rows::SheetMember;

/// One field of one member that differs between branch.toml and the sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub name: String,
    pub label: &'static str,
    /// As branch.toml has it; “（未填）” when it has nothing.
    pub from: String,
    pub to: String,
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}：{} {} → {}", self.name, self.label, self.from, self.to)
    }
}

/// What a merge does.
#[derive(Debug, Default)]
pub struct Merged {
    pub text: String,
    pub added: Vec<String>,
    /// Changes written (with `--update`).
    pub updated: Vec<Change>,
    /// Differences left alone (without `--update`).
    pub differing: Vec<Change>,
    /// In branch.toml, not in the sheet: kept.
    pub missing: Vec<String>,
    pub unchanged: usize,
}

/// Merges `members` into the branch file `text`; `lead` is the comment above the first member it
/// adds.
pub(crate) fn merge(text: &str, members: &[SheetMember], update: bool, lead: &str) -> Result<Merged, String> {
    let mut doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| e.message().to_string())?;
    let mut merged = Merged::default();
    if !doc.contains_key("members") {
        doc.insert("members", Item::ArrayOfTables(ArrayOfTables::new()));
    }
    let tables = doc["members"].as_array_of_tables_mut().ok_or("branch.toml 中的 members 不是 [[members]] 表")?;
    let existing: Vec<String> =
        tables.iter().map(|t| t.get("name").and_then(Item::as_str).unwrap_or("").trim().to_string()).collect();
    let mut first_new = true;
    for member in members {
        let found = existing.iter().position(|n| same_name(n, &member.name));
        match found {
            Some(index) => {
                let table = tables.get_mut(index).expect("index from the same list");
                let changes = differences(table, member);
                if changes.is_empty() {
                    merged.unchanged += 1;
                } else if update {
                    apply(table, member);
                    merged.updated.extend(changes);
                } else {
                    merged.differing.extend(changes);
                }
            }
            None => {
                let mut table = new_table(member);
                if first_new {
                    table.decor_mut().set_prefix(lead);
                    first_new = false;
                } else {
                    table.decor_mut().set_prefix("\n");
                }
                tables.push(table);
                merged.added.push(member.name.clone());
            }
        }
    }
    merged.missing =
        existing.iter().filter(|n| !n.is_empty() && !members.iter().any(|m| same_name(n, &m.name))).cloned().collect();
    merged.text = doc.to_string();
    Ok(merged)
}

/// Whether a name in branch.toml (as the secretary typed it) is the sheet's, normalised.
fn same_name(written: &str, sheet: &str) -> bool {
    written == sheet || name::normalize(written).is_ok_and(|n| n == sheet)
}

/// The sheet's values that differ from the table's, field by field; a field the sheet leaves
/// empty is never a difference (a blank cell does not erase what the secretary wrote).
fn differences(table: &Table, member: &SheetMember) -> Vec<Change> {
    let mut changes = Vec::new();
    let text = |key: &str| table.get(key).and_then(Item::as_str).map(|s| s.trim().to_string());
    let flag = |key: &str| table.get(key).and_then(Item::as_bool).unwrap_or(false);
    let shown = |v: Option<String>| v.unwrap_or_else(|| "（未填）".to_string());
    let mut change = |label: &'static str, from: String, to: String| {
        changes.push(Change { name: member.name.clone(), label, from, to });
    };
    if let Some(status) = member.status {
        let current = text("status").and_then(|s| MemberStatus::parse(&s)).unwrap_or_default();
        if current != status {
            change("党员类别", current.chinese().to_string(), status.chinese().to_string());
        }
    }
    for (key, label, new) in [("role", "职务", &member.role), ("group", "党小组", &member.group)] {
        if let Some(new) = new {
            if text(key).as_deref() != Some(new.as_str()) {
                change(label, shown(text(key)), new.clone());
            }
        }
    }
    for (key, label, new) in
        [("committee", "是否支委", member.committee), ("group_leader", "党小组长", member.group_leader)]
    {
        if let Some(new) = new {
            if flag(key) != new {
                change(label, yes_no(flag(key)).to_string(), yes_no(new).to_string());
            }
        }
    }
    changes
}

fn yes_no(flag: bool) -> &'static str {
    if flag {
        "是"
    } else {
        "否"
    }
}

/// Writes the sheet's values into an existing table, keeping each value's comment.
fn apply(table: &mut Table, member: &SheetMember) {
    if let Some(status) = member.status {
        set(table, "status", value(status.chinese()));
    }
    if let Some(role) = &member.role {
        set(table, "role", value(role.as_str()));
    }
    if let Some(group) = &member.group {
        set(table, "group", value(group.as_str()));
    }
    if let Some(committee) = member.committee {
        set(table, "committee", value(committee));
    }
    if let Some(leader) = member.group_leader {
        set(table, "group_leader", value(leader));
    }
}

fn set(table: &mut Table, key: &str, new: Item) {
    let mut new = new;
    match table.get_mut(key) {
        Some(old) => {
            if let (Some(old), Some(value)) = (old.as_value(), new.as_value_mut()) {
                *value.decor_mut() = old.decor().clone();
            }
            *table.get_mut(key).expect("just found") = new;
        }
        None => {
            table.insert_formatted(&aligned(key), new);
        }
    }
}

/// A key padded like the example branch.toml: `name      = "…"`.
fn aligned(key: &str) -> Key {
    let pad = 9usize.saturating_sub(key.len()) + 1;
    Key::new(key).with_leaf_decor(Decor::new("", " ".repeat(pad)))
}

/// A new `[[members]]` table with what the sheet says, in the order of the example file.
fn new_table(member: &SheetMember) -> Table {
    let mut table = Table::new();
    table.insert_formatted(&aligned("name"), value(member.name.as_str()));
    if let Some(role) = &member.role {
        table.insert_formatted(&aligned("role"), value(role.as_str()));
    }
    if member.committee == Some(true) {
        table.insert_formatted(&aligned("committee"), value(true));
    }
    table.insert_formatted(&aligned("status"), value(member.status.unwrap_or_default().chinese()));
    if let Some(group) = &member.group {
        table.insert_formatted(&aligned("group"), value(group.as_str()));
    }
    if member.group_leader == Some(true) {
        table.insert_formatted(&aligned("group_leader"), value(true));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(name: &str, role: Option<&str>) -> SheetMember {
        SheetMember {
            row: 2,
            name: name.into(),
            status: None,
            group: Some("第一党小组".into()),
            role: role.map(str::to_string),
            committee: role.map(|_| true),
            group_leader: None,
        }
    }

    const BRANCH: &str = "# 名册\n[branch]\nname = \"某支部\"\n\n# 支委\n[[members]]\nname      = \"张三\"\nrole      = \"副书记\"   # 2025年选举\ncommittee = true\ngroup     = \"第一党小组\"\n\n[[members]]\nname = \"李四\"   # 老党员\n\n[extra]\n\"联系人\" = \"王\"\n";

    #[test]
    fn adds_after_the_last_member_and_keeps_comments() {
        let merged =
            merge(BRANCH, &[member("王五", None)], false, "\n# 以下由 pdb import roster 从 名册.xlsx 导入\n").unwrap();
        assert_eq!(merged.added, ["王五"]);
        assert_eq!(merged.missing, ["张三", "李四"]);
        let text = &merged.text;
        assert!(text.starts_with("# 名册\n[branch]\nname = \"某支部\"\n\n# 支委\n[[members]]"), "{text}");
        assert!(text.contains("role      = \"副书记\"   # 2025年选举"), "{text}");
        assert!(text.contains("name = \"李四\"   # 老党员"), "{text}");
        let new = text.find("name      = \"王五\"").unwrap();
        assert!(text.find("李四").unwrap() < new && new < text.find("[extra]").unwrap(), "{text}");
        assert!(text.contains("# 以下由 pdb import roster 从 名册.xlsx 导入\n[[members]]\nname      = \"王五\"\nstatus    = \"正式党员\"\ngroup     = \"第一党小组\"\n"), "{text}");
    }

    #[test]
    fn updates_only_when_asked_and_keeps_the_value_comment() {
        let sheet = [member("张三", Some("书记"))];
        let kept = merge(BRANCH, &sheet, false, "\n").unwrap();
        assert_eq!(kept.differing.len(), 1);
        assert_eq!(kept.differing[0].to_string(), "张三：职务 副书记 → 书记");
        assert_eq!(kept.text, BRANCH);
        let updated = merge(BRANCH, &sheet, true, "\n").unwrap();
        assert_eq!(updated.updated, kept.differing);
        assert!(updated.text.contains("role      = \"书记\"   # 2025年选举"), "{}", updated.text);
        assert_eq!(updated.missing, ["李四"]);
    }
}
