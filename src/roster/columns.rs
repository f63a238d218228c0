//! Which column holds what: the header row found below any title rows, its names mapped by the
//! usual aliases, or the secretary's `--columns 姓名=B,党小组=E`.

use std::collections::BTreeMap;

use super::grid::{column_index, column_letters, Grid};
use super::RosterError;

/// The member fields a roster can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    Name,
    Status,
    Group,
    Role,
    Committee,
    GroupLeader,
}

impl Field {
    pub const ALL: [Field; 6] =
        [Field::Name, Field::Status, Field::Group, Field::Role, Field::Committee, Field::GroupLeader];

    /// The header names that mean this field, the first being its label in messages.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::Name => &["姓名", "党员姓名", "名字"],
            Field::Status => &["人员类别", "党员类别", "党籍状态", "党员状态", "类别"],
            Field::Group => &["党小组", "所在党小组", "所属党小组", "党小组名称"],
            Field::Role => &["职务", "党内职务", "支部职务", "党内职务名称"],
            Field::Committee => &["是否支委", "支委", "是否支部委员", "是否支委会委员"],
            Field::GroupLeader => &["党小组长", "是否党小组长", "党小组组长", "是否党小组组长"],
        }
    }

    pub fn label(self) -> &'static str {
        self.aliases()[0]
    }

    /// The key in branch.toml.
    pub fn key(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Status => "status",
            Field::Group => "group",
            Field::Role => "role",
            Field::Committee => "committee",
            Field::GroupLeader => "group_leader",
        }
    }

    fn parse(text: &str) -> Option<Field> {
        let text = header_text(text);
        Field::ALL.into_iter().find(|f| f.key() == text || f.aliases().contains(&text.as_str()))
    }
}

/// A header as compared: no spaces or line breaks, no “*” of a required column.
fn header_text(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace() && !matches!(c, '*' | '＊')).collect()
}

/// Personal data pdb never copies, whatever else happens to the column.
fn is_personal(header: &str) -> bool {
    ["身份证", "证件号", "公民身份", "电话", "手机", "联系方式", "住址", "地址", "住所", "出生", "生日", "邮箱", "微信"]
        .iter()
        .any(|word| header.contains(word))
}

/// Where the header is and which column holds each field.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    /// 0-based rows of the header (two when its cells are merged down over two rows).
    pub header: std::ops::RangeInclusive<usize>,
    pub columns: BTreeMap<Field, usize>,
    /// Columns not imported: (header, column letters, personal data).
    pub ignored: Vec<(String, String, bool)>,
    /// The text above the header, e.g. “中共……支部委员会党员名册”.
    pub title: Option<String>,
}

/// How far down a header may be.
const HEADER_SEARCH_ROWS: usize = 30;

/// Parses `姓名=B,党小组=E`.
pub fn parse_overrides(text: &str) -> Result<BTreeMap<Field, usize>, String> {
    let mut columns = BTreeMap::new();
    for part in text.split([',', '，']).map(str::trim).filter(|p| !p.is_empty()) {
        let (field, column) =
            part.split_once(['=', '＝']).ok_or_else(|| format!("“{part}”应写成 列名=列字母，例如 姓名=B"))?;
        let field = Field::parse(field).ok_or_else(|| {
            let known: Vec<&str> = Field::ALL.iter().map(|f| f.label()).collect();
            format!("不认识的列名“{}”：可以写 {}", field.trim(), known.join("、"))
        })?;
        let index = column_index(column)
            .ok_or_else(|| format!("“{}”不是列字母：写 Excel 顶部的字母，例如 B 或 AA", column.trim()))?;
        columns.insert(field, index);
    }
    Ok(columns)
}

/// Finds the header in a sheet. Without overrides it is the first row with a 姓名 column; with
/// them, that row when there is one, else the first row with at least two different values.
pub(crate) fn find(grid: &Grid, overrides: &BTreeMap<Field, usize>) -> Option<Layout> {
    let rows = grid.cells.len().min(HEADER_SEARCH_ROWS);
    let name_column = |row: usize| (0..grid.width()).find(|&c| Field::parse(grid.cell(row, c)) == Some(Field::Name));
    let start = match (0..rows).find(|&r| name_column(r).is_some()) {
        Some(row) => row,
        None if overrides.contains_key(&Field::Name) => (0..rows).find(|&r| distinct(grid, r) >= 2)?,
        None => return None,
    };
    // A header over two rows: cells merged down repeat in both (姓名 under “基本信息”, or
    // 党员类别 beside it).
    let mut start = start;
    let shares = |a: usize, b: usize| {
        (0..grid.width()).any(|c| !grid.cell(a, c).trim().is_empty() && grid.cell(a, c) == grid.cell(b, c))
    };
    while start > 0 && shares(start - 1, start) {
        start -= 1;
    }
    let mut end = start;
    while end + 1 < grid.cells.len()
        && (name_column(end + 1).is_some()
            || name_column(end).is_some_and(|c| grid.cell(end + 1, c) == grid.cell(end, c)))
    {
        end += 1;
    }
    let mut columns: BTreeMap<Field, usize> = BTreeMap::new();
    let mut ignored = Vec::new();
    let overridden: Vec<usize> = overrides.values().copied().collect();
    for column in 0..grid.width() {
        // The lowest header row that names a field wins: “基本信息” above “姓名” is a group title.
        let texts: Vec<&str> =
            (start..=end).rev().map(|r| grid.cell(r, column)).filter(|t| !t.trim().is_empty()).collect();
        let field = texts.iter().find_map(|t| Field::parse(t));
        let header = texts.first().map(|t| header_text(t)).unwrap_or_default();
        let letters = column_letters(column);
        match field {
            _ if overridden.contains(&column) => {}
            Some(field) if !overrides.contains_key(&field) && !columns.contains_key(&field) => {
                columns.insert(field, column);
            }
            _ if header.is_empty() => {}
            _ => ignored.push((header.clone(), letters, is_personal(&header))),
        }
    }
    for (&field, &column) in overrides {
        columns.insert(field, column);
    }
    let title = (0..start)
        .flat_map(|r| (0..grid.width()).map(move |c| (r, c)))
        .map(|(r, c)| grid.cell(r, c).trim())
        .find(|t| !t.is_empty())
        .map(str::to_string);
    Some(Layout { header: start..=end, columns, ignored, title })
}

fn distinct(grid: &Grid, row: usize) -> usize {
    let mut values: Vec<&str> = (0..grid.width()).map(|c| grid.cell(row, c).trim()).filter(|t| !t.is_empty()).collect();
    values.sort_unstable();
    values.dedup();
    values.len()
}

/// The error for a sheet whose layout is not recognised: the headers it has, and the fix.
pub(crate) fn unknown_layout(path: &std::path::Path, grids: &[Grid]) -> RosterError {
    let mut found = Vec::new();
    for grid in grids {
        let rows = grid.cells.len().min(HEADER_SEARCH_ROWS);
        match (0..rows).find(|&r| distinct(grid, r) >= 3) {
            Some(row) => {
                let cells: Vec<String> = (0..grid.width())
                    .filter(|&c| !grid.cell(row, c).trim().is_empty())
                    .map(|c| format!("{}={}", column_letters(c), header_text(grid.cell(row, c))))
                    .collect();
                found.push(format!("工作表“{}”第 {} 行：{}", grid.name, row + 1, cells.join("，")));
            }
            None => found.push(format!("工作表“{}”：前 {rows} 行没有像表头的行", grid.name)),
        }
    }
    RosterError::Layout { file: path.to_path_buf(), found }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&[&str]]) -> Grid {
        Grid { name: "Sheet1".into(), cells: rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect() }
    }

    #[test]
    fn header_below_a_title_with_aliases() {
        let g = grid(&[
            &["某支部党员名册", "某支部党员名册", "某支部党员名册", "某支部党员名册"],
            &["序号", "姓 名", "党员类别", "所在党小组", "身份证号"],
            &["1", "张三", "正式党员", "第一党小组", "110"],
        ]);
        let layout = find(&g, &BTreeMap::new()).unwrap();
        assert_eq!(layout.header, 1..=1);
        assert_eq!(layout.columns[&Field::Name], 1);
        assert_eq!(layout.columns[&Field::Status], 2);
        assert_eq!(layout.columns[&Field::Group], 3);
        assert_eq!(layout.title.as_deref(), Some("某支部党员名册"));
        assert_eq!(
            layout.ignored,
            vec![("序号".to_string(), "A".to_string(), false), ("身份证号".to_string(), "E".to_string(), true)]
        );
    }

    #[test]
    fn overrides_parse_labels_keys_and_letters() {
        let o = parse_overrides("姓名=B, 党小组=e，status=AA").unwrap();
        assert_eq!(o[&Field::Name], 1);
        assert_eq!(o[&Field::Group], 4);
        assert_eq!(o[&Field::Status], 26);
        assert!(parse_overrides("名字=1").unwrap_err().contains("不是列字母"));
        assert!(parse_overrides("性别=C").unwrap_err().contains("不认识的列名“性别”"));
    }
}
