//! `pdb import roster`: a branch roster kept in Excel (or exported from the 党员管理信息系统)
//! turned into branch.toml's `[[members]]`. Only what pdb uses is imported; ID numbers, phones,
//! addresses and birth dates are never copied, since branch.toml is shared.

mod columns;
mod grid;
mod merge;
mod rows;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

pub use columns::Field;
pub use merge::{Change, Merged};
pub use rows::{Issue, SheetMember};

use crate::diagnostics::Diagnostic;
use crate::model::BranchFile;
use crate::source::SourceFile;

/// How to read the sheet and what to do with it.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--columns 姓名=B,党小组=E`
    pub columns: Option<String>,
    /// `--sheet`: the sheet to read; default the first with a 姓名 column.
    pub sheet: Option<String>,
    pub skip_bad_rows: bool,
    pub update: bool,
    /// `--name`: the branch's full name for a new branch.toml; default from the title row.
    pub branch_name: Option<String>,
}

/// A roster as read from its sheet.
#[derive(Debug)]
pub struct RosterSheet {
    pub file: PathBuf,
    pub sheet: String,
    /// 1-based header rows.
    pub header: (usize, usize),
    pub members: Vec<SheetMember>,
    pub issues: Vec<Issue>,
    /// Columns not imported: (header, column letters, personal data).
    pub ignored: Vec<(String, String, bool)>,
    pub title: Option<String>,
    /// A CSV's encoding.
    pub encoding: Option<&'static str>,
    /// 合计 / 制表人 rows skipped: (row, text).
    pub footers: Vec<(usize, String)>,
    /// Other sheets that also have a 姓名 column, not read.
    pub other_sheets: Vec<String>,
}

#[derive(Debug)]
pub enum RosterError {
    Read {
        file: PathBuf,
        reason: String,
    },
    Columns(String),
    NoSheet {
        file: PathBuf,
        sheet: String,
        sheets: Vec<String>,
    },
    /// No header with a 姓名 column: the headers found, per sheet.
    Layout {
        file: PathBuf,
        found: Vec<String>,
    },
    /// Rows with problems and no `--skip-bad-rows`: nothing was written.
    BadRows {
        file: PathBuf,
        issues: Vec<Issue>,
    },
    /// branch.toml cannot be merged into (not TOML): nothing was written.
    Branch(Box<Diagnostic>),
    Write {
        file: PathBuf,
        reason: String,
    },
}

impl RosterError {
    pub(crate) fn read(file: &Path, reason: String) -> RosterError {
        RosterError::Read { file: file.to_path_buf(), reason }
    }
}

impl fmt::Display for RosterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RosterError::Read { file, reason } => write!(
                f,
                "无法读取名册 {}：{reason}\n请确认文件存在、没有被 Excel/WPS 独占打开，且确实是 .xlsx、.xls、.ods 或 .csv 文件",
                file.display()
            ),
            RosterError::Columns(reason) => write!(f, "--columns 写得不对：{reason}\n例：--columns 姓名=B,党小组=E,职务=F"),
            RosterError::NoSheet { file, sheet, sheets } => {
                write!(f, "{} 中没有工作表“{sheet}”；有：{}", file.display(), sheets.join("、"))
            }
            RosterError::Layout { file, found } => {
                writeln!(f, "在 {} 中没有找到“姓名”列，无法识别名册的表头。找到的表头：", file.display())?;
                for line in found {
                    writeln!(f, "  {line}")?;
                }
                let fields: Vec<String> = Field::ALL.iter().map(|x| x.aliases().join("/")).collect();
                write!(
                    f,
                    "pdb 认识的列名：{}。\n请把表头改成这些名字，或用 --columns 指定哪一列是什么，例如 --columns 姓名=B,党小组=E",
                    fields.join("、")
                )
            }
            RosterError::BadRows { file, issues } => {
                writeln!(f, "{} 中有 {} 行需要改正，branch.toml 没有改动：", file.display(), issues.len())?;
                for issue in issues {
                    writeln!(f, "  {issue}")?;
                }
                write!(f, "改正名册后重新导入；或加 --skip-bad-rows 只导入没有问题的行")
            }
            RosterError::Branch(d) => write!(f, "{}", d.render(false)),
            RosterError::Write { file, reason } => {
                write!(f, "无法写入 {}：{reason}\n请检查文件夹是否可写、文件是否被其他程序占用", file.display())
            }
        }
    }
}

impl std::error::Error for RosterError {}

/// Reads the roster sheet: header, members, and every row with a problem.
pub fn read(path: &Path, options: &Options) -> Result<RosterSheet, RosterError> {
    let overrides = match &options.columns {
        Some(text) => columns::parse_overrides(text).map_err(RosterError::Columns)?,
        None => BTreeMap::new(),
    };
    let book = grid::read(path)?;
    let candidates: Vec<&grid::Grid> = match &options.sheet {
        Some(name) => {
            let sheet = book.sheets.iter().find(|g| g.name == *name).ok_or_else(|| RosterError::NoSheet {
                file: path.to_path_buf(),
                sheet: name.clone(),
                sheets: book.sheets.iter().map(|g| g.name.clone()).collect(),
            })?;
            vec![sheet]
        }
        None => book.sheets.iter().collect(),
    };
    let mut found = candidates.iter().filter_map(|g| columns::find(g, &overrides).map(|layout| (*g, layout)));
    let Some((grid, layout)) = found.next() else {
        return Err(columns::unknown_layout(path, &book.sheets));
    };
    let other_sheets = found.map(|(g, _)| g.name.clone()).collect();
    let rows = rows::read(grid, &layout);
    Ok(RosterSheet {
        file: path.to_path_buf(),
        sheet: grid.name.clone(),
        header: (layout.header.start() + 1, layout.header.end() + 1),
        members: rows.members,
        issues: rows.issues,
        ignored: layout.ignored,
        title: layout.title,
        encoding: book.encoding,
        footers: rows.footers,
        other_sheets,
    })
}

/// What `write` did.
#[derive(Debug)]
pub struct Written {
    pub file: PathBuf,
    pub created: bool,
    pub merged: Merged,
    /// The branch name written into a new file, and where it came from.
    pub branch_name: Option<(String, &'static str)>,
    /// What still keeps branch.toml from loading (e.g. no branch name yet).
    pub problem: Option<Diagnostic>,
}

/// Merges the roster into `target` (a new commented file when there is none). Nothing is
/// written while the sheet has bad rows, unless `skip_bad_rows`.
pub fn write(roster: &RosterSheet, target: &Path, options: &Options) -> Result<Written, RosterError> {
    if !roster.issues.is_empty() && !options.skip_bad_rows {
        return Err(RosterError::BadRows { file: roster.file.clone(), issues: roster.issues.clone() });
    }
    let origin = roster.file.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let existing = match std::fs::read(target) {
        Ok(bytes) => Some(SourceFile::from_bytes(target, bytes).map_err(|e| RosterError::Branch(Box::new(e.into())))?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(RosterError::Read { file: target.to_path_buf(), reason: e.to_string() }),
    };
    let created = existing.is_none();
    let branch_name = match &options.branch_name {
        Some(name) => Some((name.trim().to_string(), "--name")),
        None => roster.title.as_deref().and_then(branch_name_in).map(|n| (n, "名册标题")),
    };
    let (text, lead, tail, crlf) = match &existing {
        Some(source) => {
            let lead = format!("\n# 以下由 pdb import roster 从 {origin} 导入\n");
            (source.text.replace("\r\n", "\n"), lead, "", source.text.contains("\r\n"))
        }
        None => {
            let name = branch_name.as_ref().map(|(n, _)| n.as_str());
            let (head, lead, tail) = crate::authoring::init::imported_branch_file(&origin, name);
            (head, lead.to_string(), tail, false)
        }
    };
    let mut merged = merge::merge(&text, &roster.members, options.update, &lead).map_err(|reason| {
        RosterError::Branch(Box::new(
            Diagnostic::error(target, format!("branch.toml 不是有效的 TOML，无法合并：{reason}"))
                .with_help("先用 pdb check 找出并改正 branch.toml 中的错误，再导入"),
        ))
    })?;
    if !tail.is_empty() {
        merged.text = format!("{}\n{tail}", merged.text.trim_end());
    }
    if crlf {
        merged.text = merged.text.replace('\n', "\r\n");
    }
    let source = SourceFile { path: target.to_path_buf(), text: merged.text.clone() };
    let problem = crate::load::parse::<BranchFile>(&source).err();
    let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let failed = |e: std::io::Error| RosterError::Write { file: target.to_path_buf(), reason: e.to_string() };
    std::fs::create_dir_all(dir).map_err(failed)?;
    // Written whole or not at all: a half-written branch.toml would break every activity.
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(failed)?;
    std::io::Write::write_all(&mut file, merged.text.as_bytes()).map_err(failed)?;
    file.persist(target).map_err(|e| failed(e.error))?;
    Ok(Written { file: target.to_path_buf(), created, merged, branch_name: branch_name.filter(|_| created), problem })
}

/// The branch's name in a title such as “中共某某局机关第一支部委员会党员名册（2026年）”.
fn branch_name_in(title: &str) -> Option<String> {
    let title = title.trim();
    ["支部委员会", "党支部", "总支部", "支部"]
        .iter()
        .find_map(|suffix| title.rfind(suffix).map(|i| title[..i + suffix.len()].trim().to_string()))
        .filter(|name| name.chars().count() >= 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branch_names_in_titles() {
        assert_eq!(
            branch_name_in("中共某某县卫生健康局机关第一支部委员会党员名册（2026年）").as_deref(),
            Some("中共某某县卫生健康局机关第一支部委员会")
        );
        assert_eq!(branch_name_in("机关第二党支部花名册").as_deref(), Some("机关第二党支部"));
        assert_eq!(branch_name_in("党员名册"), None);
    }
}
