//! The rows under the header, as members: names normalised, values read the way rosters write
//! them, and every row with a problem reported with its sheet, row and column.

use std::collections::HashMap;

use crate::model::name::{self, NameError};
use crate::model::MemberStatus;

use super::columns::{Field, Layout};
use super::grid::{column_letters, Grid};

/// One member as the sheet gives them; `None` where the sheet says nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetMember {
    /// The spreadsheet row (1-based).
    pub row: usize,
    pub name: String,
    pub status: Option<MemberStatus>,
    pub group: Option<String>,
    pub role: Option<String>,
    pub committee: Option<bool>,
    pub group_leader: Option<bool>,
}

/// A row that cannot be imported as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub sheet: String,
    /// 1-based, as Excel shows it.
    pub row: usize,
    /// Column letters, and the header's label.
    pub column: String,
    pub label: &'static str,
    pub message: String,
    pub help: String,
}

impl std::fmt::Display for Issue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "工作表“{}”第 {} 行 {} 列（{}）：{}。{}",
            self.sheet, self.row, self.column, self.label, self.message, self.help
        )
    }
}

pub(crate) struct Rows {
    pub members: Vec<SheetMember>,
    pub issues: Vec<Issue>,
    /// Rows under the table such as 合计 or 制表人, skipped: (row, text).
    pub footers: Vec<(usize, String)>,
}

pub(crate) fn read(grid: &Grid, layout: &Layout) -> Rows {
    let mut rows = Rows { members: Vec::new(), issues: Vec::new(), footers: Vec::new() };
    let mut seen: HashMap<String, usize> = HashMap::new();
    for r in (layout.header.end() + 1)..grid.cells.len() {
        let value = |field: Field| layout.columns.get(&field).map(|&c| grid.cell(r, c).trim()).unwrap_or("");
        if Field::ALL.iter().all(|&f| value(f).is_empty()) {
            continue;
        }
        let row = r + 1;
        let mut issue = |field: Field, message: String, help: &str| {
            let column = layout.columns.get(&field).map_or_else(String::new, |&c| column_letters(c));
            rows.issues.push(Issue {
                sheet: grid.name.clone(),
                row,
                column,
                label: field.label(),
                message,
                help: help.to_string(),
            });
        };
        let raw = value(Field::Name);
        let cells: Vec<&str> = grid.cells[r].iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
        if cells.first().is_some_and(|first| is_footer(first)) {
            let mut text: Vec<&str> = cells.clone();
            text.dedup();
            rows.footers.push((row, text.join(" ")));
            continue;
        }
        // The one normalisation every name goes through, so that this row and an activity file
        // agree on who the member is.
        let name = match name::normalize(raw) {
            Ok(name) => name,
            Err(NameError::Empty) => {
                issue(Field::Name, "姓名是空的".into(), "填上姓名；不是党员的行请删去");
                continue;
            }
            Err(err) => {
                issue(Field::Name, format!("姓名{}", err.message()), err.help());
                continue;
            }
        };
        if !looks_like_name(&name) {
            issue(Field::Name, format!("“{raw}”不像姓名"), "这一格应只写姓名；说明文字请放到表格以外");
            continue;
        }
        if let Some(first) = seen.get(&name) {
            let help = format!(
                "与第 {first} 行重名。同一支部内姓名不能重复：同名的两位党员请加以区分，例如“王芳（大）”“王芳（小）”"
            );
            issue(Field::Name, format!("“{name}”出现了两次"), &help);
            continue;
        }
        seen.insert(name.clone(), row);
        let status = match value(Field::Status) {
            "" => None,
            text => match parse_status(text) {
                Some(status) => Some(status),
                None => {
                    let listed: Vec<&str> = MemberStatus::ALL.iter().map(|s| s.chinese()).collect();
                    let help = format!("可写：{}；入党积极分子、发展对象还不是党员，不列入名册", listed.join("、"));
                    issue(Field::Status, format!("“{text}”不是党员类别"), &help);
                    continue;
                }
            },
        };
        let mut flag = |field: Field| match value(field) {
            "" => Ok(None),
            text => parse_bool(text).map(Some).ok_or_else(|| {
                issue(field, format!("“{text}”不是“是”或“否”"), "写“是”或“否”（也可以写 √ 或留空）");
            }),
        };
        let (Ok(committee), Ok(group_leader)) = (flag(Field::Committee), flag(Field::GroupLeader)) else { continue };
        let mut text = |field: Field| match name::normalize(value(field)) {
            Ok(text) => Ok(Some(text)),
            Err(NameError::Empty) => Ok(None),
            Err(err) => {
                issue(field, format!("{}{}", field.label(), err.message()), err.help());
                Err(())
            }
        };
        let (Ok(role), Ok(group)) = (text(Field::Role), text(Field::Group)) else { continue };
        let role = role.filter(|r| !matches!(r.as_str(), "无" | "/" | "-" | "—"));
        let committee = committee.or_else(|| role.as_deref().filter(|r| implies_committee(r)).map(|_| true));
        let group_leader = group_leader.or_else(|| role.as_deref().filter(|r| implies_group_leader(r)).map(|_| true));
        rows.members.push(SheetMember { row, name, status, group, role, committee, group_leader });
    }
    rows
}

fn looks_like_name(name: &str) -> bool {
    name.chars().count() <= 20 && !name.chars().any(|c| c.is_ascii_digit() || "：:，,;；/\\|".contains(c))
}

fn is_footer(text: &str) -> bool {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    ["合计", "小计", "总计", "共计", "制表", "填表", "审核", "备注", "说明", "注：", "注:"]
        .iter()
        .any(|w| text.starts_with(w))
}

fn parse_status(text: &str) -> Option<MemberStatus> {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    MemberStatus::parse(&text).or(match text.as_str() {
        "正式" => Some(MemberStatus::Full),
        "预备" => Some(MemberStatus::Probationary),
        _ => None,
    })
}

fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "是" | "√" | "✓" | "✔" | "y" | "yes" | "true" | "1" | "有" => Some(true),
        "否" | "×" | "✗" | "n" | "no" | "false" | "0" | "无" | "不是" | "/" | "-" | "—" => Some(false),
        _ => None,
    }
}

/// 书记, 副书记 and the committee's 委员 sit on the 支部委员会.
pub fn implies_committee(role: &str) -> bool {
    let role = role.trim_start_matches("支部").trim_start_matches("党支部");
    !role.contains("小组") && (role == "书记" || role == "副书记" || role.ends_with("委员"))
}

fn implies_group_leader(role: &str) -> bool {
    role.contains("小组") && (role.ends_with("组长") || role.ends_with("小组长")) && !role.contains("副")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_their_padding() {
        let normalize = |raw: &str| name::normalize(raw).unwrap();
        assert_eq!(normalize(" 金  铭 "), "金铭");
        assert_eq!(normalize("金\u{3000}铭"), "金铭");
        assert_eq!(normalize("买买提 · 艾力"), "买买提·艾力");
        assert_eq!(normalize("John  Smith"), "John Smith");
        assert_eq!(normalize("张建国"), "张建国");
    }

    #[test]
    fn roles_that_sit_on_the_committee() {
        for role in ["书记", "副书记", "组织委员", "宣传委员", "纪检委员", "支部书记", "青年委员"]
        {
            assert!(implies_committee(role), "{role}");
        }
        for role in ["党员", "第一党小组组长", "党小组委员", "科长"] {
            assert!(!implies_committee(role), "{role}");
        }
        assert!(implies_group_leader("第一党小组组长"));
        assert!(implies_group_leader("党小组长"));
        assert!(!implies_group_leader("副组长"));
    }

    #[test]
    fn values_as_rosters_write_them() {
        assert_eq!(parse_status("预备"), Some(MemberStatus::Probationary));
        assert_eq!(parse_status("正式党员"), Some(MemberStatus::Full));
        assert_eq!(parse_status("留党察看"), Some(MemberStatus::DisciplinaryProbation));
        assert_eq!(parse_status("积极分子"), None);
        assert_eq!(parse_bool("√"), Some(true));
        assert_eq!(parse_bool("否"), Some(false));
        assert_eq!(parse_bool("也许"), None);
    }
}
