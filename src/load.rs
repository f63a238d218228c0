//! Reading activity and branch files into the model, turning every TOML and serde error into a
//! diagnostic with its place, its field and a fix.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::de::DeserializeOwned;
use serde_spanned::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostics::{did_you_mean, Diagnostic};
use crate::model::labels::{self, PathStep};
use crate::model::{ActivityFile, BranchFile};
use crate::source::SourceFile;
use crate::sync::lock;

/// What loading returns (defined in the model, so that the rules can judge a branch).
pub use crate::model::{Activity, Branch};

pub const BRANCH_FILE_NAME: &str = "branch.toml";

/// A branch file as loaded: the branch, or every error of it.
pub type LoadedBranch = Result<Arc<Branch>, Vec<Diagnostic>>;

/// Branch files are shared by many activities: each is read and checked once per run. Shared by
/// the threads of a batch, hence the lock (held only while a branch file is first read).
#[derive(Debug, Default)]
pub struct BranchCache {
    loaded: Mutex<HashMap<PathBuf, LoadedBranch>>,
}

impl BranchCache {
    pub fn get(&self, path: &Path) -> LoadedBranch {
        let key = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        let mut loaded = lock(&self.loaded);
        loaded.entry(key).or_insert_with(|| load_branch_all(path).map(Arc::new)).clone()
    }

    /// Drops a branch whose activities are done (a later `get` reads it again).
    pub fn forget(&self, path: &Path) {
        let key = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        lock(&self.loaded).remove(&key);
    }
}

/// A branch file, or its first error (see [`load_branch_all`] for all of them).
pub fn load_branch(path: &Path) -> Result<Branch, Diagnostic> {
    load_branch_all(path).map_err(|mut errors| errors.remove(0))
}

/// A branch file, or every independent error of it in line order (never none), the way an
/// activity file's come (see `parse::parse_all`).
pub fn load_branch_all(path: &Path) -> Result<Branch, Vec<Diagnostic>> {
    let source = SourceFile::read(path).map_err(|e| vec![Diagnostic::from(e)])?;
    let parsed = crate::parse::parse_all::<BranchFile>(&source, toml_error);
    let patched = parsed.patched;
    let mut errors = parsed.errors;
    errors.extend(crate::input_check::forbidden_characters(&source));
    let Some(mut file) = parsed.value else { return Err(in_line_order(errors)) };
    let mut derived = crate::input_check::branch_names(&mut file, &source);
    derived.extend(duplicate_members(&file, &source));
    derived.extend(crate::rules::frequency::validate(&source, &file));
    errors.extend(derived.into_iter().filter(|d| !is_patched(&source, &patched, d)));
    if !errors.is_empty() {
        return Err(in_line_order(errors));
    }
    let hash = crate::digest::hash(source.text.as_bytes());
    Ok(Branch { source, file, hash })
}

/// Every second (third…) member of a name already on the roster, at that name.
fn duplicate_members(file: &BranchFile, source: &SourceFile) -> Vec<Diagnostic> {
    let mut seen: HashMap<&str, ()> = HashMap::new();
    let mut errors = Vec::new();
    for member in &file.members {
        let name = member.get_ref().name.get_ref().as_str();
        if seen.insert(name, ()).is_some() {
            errors.push(
                Diagnostic::error(&source.path, format!("党员名册中“{name}”出现了两次"))
                    .at(source, member.get_ref().name.span())
                    .with_field("members.name", "党员姓名")
                    .with_help("同一支部内姓名不能重复；同名的两位党员请加以区分，例如“王芳（大）”“王芳（小）”"),
            );
        }
    }
    errors
}

/// Reads an activity file and the branch file it belongs to.
/// Every error of the file, in line order (a run checks the rest with `Record::build`).
pub fn load_activity(path: &Path, branches: &BranchCache) -> Result<Activity, Vec<Diagnostic>> {
    let activity = load_activity_source(SourceFile::read(path).map_err(|e| vec![Diagnostic::from(e)])?, branches)?;
    if !activity.load_errors.is_empty() {
        return Err(activity.load_errors);
    }
    Ok(activity)
}

/// The same for an activity file already read (a batch reads it once, to hash it too). The
/// errors come all at once, in line order (see `parse::parse_all`); those that leave the file
/// readable come back in `Activity::load_errors` instead, for `Record::build` to add its own.
pub fn load_activity_source(source: SourceFile, branches: &BranchCache) -> Result<Activity, Vec<Diagnostic>> {
    let parsed = crate::parse::parse_all::<ActivityFile>(&source, toml_error);
    let patched = parsed.patched;
    let mut errors = parsed.errors;
    errors.extend(crate::input_check::forbidden_characters(&source));
    let Some(mut file) = parsed.value else { return Err(in_line_order(errors)) };
    let mut derived = crate::input_check::activity_names(&mut file, &source);
    derived.extend(crate::input_check::activity_dates(&file, &source));
    if let Err(err) = crate::rules::frequency::validate_activity(&source, &file) {
        derived.push(err);
    }
    errors.extend(derived.into_iter().filter(|d| !is_patched(&source, &patched, d)));
    match resolve_branch(&source, &file, branches) {
        Ok(branch) => Ok(Activity { source, file, branch, load_errors: errors, patched }),
        Err(branch_errors) => {
            errors.extend(branch_errors);
            Err(in_line_order(errors))
        }
    }
}

/// Sorted by line and column (stable: two errors at one place keep their order), at most
/// `parse::MAX_ERRORS`.
pub fn in_line_order(mut errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    errors.sort_by_key(|d| (d.line.unwrap_or(0), d.column.unwrap_or(0)));
    errors.truncate(crate::parse::MAX_ERRORS);
    errors
}

/// Whether a diagnostic points into a part of the file that a stand-in replaced.
pub fn is_patched(source: &SourceFile, patched: &[Range<usize>], diagnostic: &Diagnostic) -> bool {
    let (Some(line), Some(column)) = (diagnostic.line, diagnostic.column) else { return false };
    patched.iter().any(|span| {
        let (start_line, start_column) = source.line_column(span.start);
        let (end_line, end_column) = source.line_column(span.end.max(span.start + 1));
        (start_line, start_column) <= (line, column) && (line, column) < (end_line, end_column)
    })
}

fn resolve_branch(
    source: &SourceFile,
    file: &ActivityFile,
    branches: &BranchCache,
) -> Result<Arc<Branch>, Vec<Diagnostic>> {
    let path = source.path.as_path();
    let branch_path = match &file.branch {
        Some(relative) => {
            let candidate = path.parent().unwrap_or(Path::new(".")).join(relative.get_ref());
            if !candidate.is_file() {
                return Err(vec![Diagnostic::error(
                    path,
                    format!("找不到支部文件“{}”", candidate.display()),
                )
                .at(source, relative.span())
                .with_field("branch", "支部")
                .with_help("branch 写的是相对于本活动文件的路径，例如 \"../branch.toml\"；也可以删去这一行，自动使用上级文件夹中的 branch.toml")]);
            }
            candidate
        }
        None => find_branch_file(path).ok_or_else(|| {
            vec![Diagnostic::error(path, "找不到本活动所属支部的 branch.toml")
                .with_help("在活动文件所在的文件夹（或其上级文件夹）中放一个 branch.toml，或在活动文件中写 branch = \"路径/branch.toml\"")]
        })?,
    };
    branches.get(&branch_path)
}

/// Walks up from the activity's folder to the first `branch.toml`, the way cargo finds Cargo.toml.
pub fn find_branch_file(activity: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(activity).ok()?;
    // The same folder as the user wrote it, so that messages show a relative path when the
    // activity was given as one.
    let mut shown = activity.parent().map(Path::to_path_buf).unwrap_or_default();
    for dir in absolute.ancestors().skip(1) {
        if dir.join(BRANCH_FILE_NAME).is_file() {
            return Some(shown.join(BRANCH_FILE_NAME));
        }
        match shown.components().next_back() {
            Some(std::path::Component::Normal(_)) => {
                shown.pop();
            }
            _ => shown.push(".."),
        }
    }
    None
}

/// Deserializes a whole file, mapping the first error onto its place and field.
pub fn parse<T: DeserializeOwned>(source: &SourceFile) -> Result<T, Diagnostic> {
    toml::from_str(&source.text).map_err(|err| toml_error(source, &err))
}

fn toml_error(source: &SourceFile, err: &toml::de::Error) -> Diagnostic {
    let span = err.span().unwrap_or(0..0);
    let message = err.message().trim();
    let syntax_ok = DeTable::parse(&source.text).ok();
    // An empty span at the start is the root table (e.g. a missing top-level key): no path.
    let path = match &syntax_ok {
        Some(table) if !span.is_empty() => path_at(table.get_ref(), span.start),
        _ => Vec::new(),
    };
    let field = labels::dotted(&path);
    let label = labels::label(&path).unwrap_or("");
    let mut diagnostic = match syntax_ok {
        // A Chinese key, e.g. in [extra]: TOML allows only ASCII bare keys.
        None if message.starts_with("invalid unquoted key") => {
            Diagnostic::error(&source.path, "键名含有汉字或其他符号，要用英文双引号括起来")
                .with_help("例如 \"联系人\" = \"陈静\"（键名和文字都用英文双引号）")
        }
        None => {
            let (what, fix) = crate::toml_syntax::explain(first_line(message), source, &span);
            Diagnostic::error(&source.path, what).with_help(fix)
        }
        Some(_) => explain(&source.path, message, &path),
    };
    diagnostic = diagnostic.at(source, span);
    if !field.is_empty() && diagnostic.field.is_none() {
        diagnostic = diagnostic.with_field(field, label);
    }
    diagnostic
}

fn first_line(message: &str) -> &str {
    message.lines().next().unwrap_or(message)
}

/// Turns serde's English messages into ones a secretary can act on.
fn explain(file: &Path, message: &str, path: &[PathStep]) -> Diagnostic {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (key, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let allowed: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let hint = match did_you_mean(key, allowed.iter().copied()) {
            Some(close) => format!("您是不是要写 `{close}`？"),
            None => String::new(),
        };
        let parent = labels::dotted(&path[..path.len().saturating_sub(1)]);
        let place = if parent.is_empty() { "文件顶层".to_string() } else { format!("[{parent}] 中") };
        return Diagnostic::error(file, format!("{place}没有 `{key}` 这一项"))
            .with_help(format!("{hint}这里可以写的项：{}", allowed.join("、")));
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let key = rest.split('`').next().unwrap_or(rest);
        let mut full = path.to_vec();
        full.push(PathStep::Key(key.to_string()));
        let label = labels::label(&full).unwrap_or(key);
        return Diagnostic::error(file, format!("缺少必填项 `{key}`（{label}）"))
            .with_field(labels::dotted(&full), label)
            .with_help(format!("补上一行 {key} = …，见 README 中的示例"));
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return Diagnostic::error(
            file,
            format!("类型不对：这里应为{}，实际写的是{}", describe_type(expected), describe_type(found)),
        )
        .with_help(type_help(expected, path));
    }
    if let Some(rest) = message.strip_prefix("invalid value: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        // "integer `-1`": the value as written.
        let value = found.split('`').nth(1).unwrap_or(found);
        if value.starts_with('-') && expected.trim().starts_with('u') {
            return Diagnostic::error(file, format!("这里不能是负数，实际写的是 {value}"))
                .with_help("写 0 或正整数，例如 yes = 11");
        }
        return Diagnostic::error(file, format!("数值不对：这里应为{}，实际写的是 {value}", describe_type(expected)))
            .with_help(type_help(expected, path));
    }
    // Our own Deserialize impls already speak Chinese; a "。" separates the message from the fix.
    match message.split_once('。') {
        Some((what, fix)) if !fix.trim().is_empty() => Diagnostic::error(file, what).with_help(fix.trim()),
        _ => Diagnostic::error(file, message),
    }
}

fn describe_type(serde_type: &str) -> String {
    let t = serde_type.trim();
    let kind = if t.starts_with("string") || t == "a string" {
        "文字（用英文双引号括起来）"
    } else if t.starts_with("integer") || t.starts_with('u') || t.starts_with('i') {
        "整数"
    } else if t.starts_with("floating point") || t.starts_with('f') {
        "小数"
    } else if t.starts_with("boolean") || t == "a boolean" {
        "true 或 false"
    } else if t.starts_with("sequence") || t.contains("sequence") {
        "列表 [ … ]"
    } else if t.starts_with("map") || t.starts_with("struct") || t.contains("map") {
        "表 { … }"
    } else if t.contains("datetime") {
        "日期或时间"
    } else {
        return t.to_string();
    };
    match t.split_once(' ') {
        Some((_, value)) if t.starts_with("string") || t.starts_with("integer") => format!("{kind} {value}"),
        _ => kind.to_string(),
    }
}

/// The fix of a value of the wrong type; a number's example names the key being fixed, so that
/// `extension_months = "6"` is not told to write a vote count.
fn type_help(expected: &str, path: &[PathStep]) -> String {
    let t = expected.trim();
    if t.contains("string") {
        "文字两边加英文双引号，例如 location = \"局机关三楼会议室\"".to_string()
    } else if t.starts_with('u') || t.starts_with('i') {
        let key = path.iter().rev().find_map(|step| match step {
            PathStep::Key(key) => Some(key.as_str()),
            PathStep::Index(_) => None,
        });
        match key {
            Some(key) if !matches!(key, "yes" | "no" | "abstain") => format!("写不带引号的整数，例如 {key} = 6"),
            _ => "写不带引号的整数，例如 yes = 11".to_string(),
        }
    } else if t.contains("boolean") {
        "写不带引号的 true 或 false".to_string()
    } else if t.contains("sequence") {
        "写成方括号列表，例如 present = [ \"张建国\", \"王芳\" ]".to_string()
    } else {
        "对照 README 中的示例修改这一项".to_string()
    }
}

/// The TOML path of the deepest key or value that contains byte `offset`.
fn path_at(table: &DeTable<'_>, offset: usize) -> Vec<PathStep> {
    let mut path = Vec::new();
    descend_table(table, offset, &mut path);
    path
}

fn descend_table(table: &DeTable<'_>, offset: usize, path: &mut Vec<PathStep>) {
    for (key, value) in table.iter() {
        if contains(key.span(), offset) || contains(value.span(), offset) || contains_deep(value, offset) {
            path.push(PathStep::Key(key.get_ref().to_string()));
            descend_value(value, offset, path);
            return;
        }
    }
}

fn descend_value(value: &Spanned<DeValue<'_>>, offset: usize, path: &mut Vec<PathStep>) {
    match value.get_ref() {
        DeValue::Table(table) => descend_table(table, offset, path),
        DeValue::Array(items) => {
            if let Some((i, item)) =
                items.iter().enumerate().find(|(_, item)| contains(item.span(), offset) || contains_deep(item, offset))
            {
                path.push(PathStep::Index(i));
                descend_value(item, offset, path);
            }
        }
        _ => {}
    }
}

/// Tables of `[[agenda]]` have spans that only cover their header, so look inside them too.
fn contains_deep(value: &Spanned<DeValue<'_>>, offset: usize) -> bool {
    match value.get_ref() {
        DeValue::Table(table) => table
            .iter()
            .any(|(k, v)| contains(k.span(), offset) || contains(v.span(), offset) || contains_deep(v, offset)),
        DeValue::Array(items) => items.iter().any(|item| contains(item.span(), offset) || contains_deep(item, offset)),
        _ => false,
    }
}

fn contains(span: Range<usize>, offset: usize) -> bool {
    span.start <= offset && offset < span.end.max(span.start + 1)
}
