//! The authoring commands: `new`, `init`, `plan`, `templates`, `completions` and `man`. They
//! write starting points for the secretary and never overwrite a file.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::CommandFactory;

use pdb::authoring::{self, confirmations, init, plan, skeleton, Roster, Skeleton, TOPICS};
use pdb::load::{self, BRANCH_FILE_NAME};
use pdb::model::{is_applicant_kind, ActivityStatus, Date, DecisionKind, Kind};
use pdb::paths::relative;
use pdb::period::Period;
use pdb::record::applicant::ApplicantRecord;
use pdb::render::engine;
use pdb::render::Document;

use super::args::{Cli, CompletionsArgs, InitArgs, ManArgs, NewArgs, PlanArgs, TemplatesCommand};
use super::exit::Exit;

/// `pdb new`
pub fn new(args: &NewArgs) -> Result<Exit> {
    if is_applicant_kind(&args.kind) {
        return new_applicant(args);
    }
    if args.name.is_some() {
        bail!("--name 只用于发展党员记录（pdb new 发展党员 --name 李明）");
    }
    let kind = parse_kind(&args.kind)?;
    let date = args.date.unwrap_or_else(|| chrono::Local::now().date_naive());
    let topic = match &args.topic {
        None => DecisionKind::Ordinary,
        Some(_) if kind != Kind::PartyCongress => {
            bail!("--topic 只用于支部党员大会（接收预备党员、预备党员转正、选举）；{}不用写 --topic", kind.chinese())
        }
        Some(text) => DecisionKind::parse(text).filter(|t| TOPICS.contains(t)).with_context(|| {
            let choices: Vec<String> = TOPICS[1..].iter().map(|t| format!("{}（{}）", t.chinese(), t.slug())).collect();
            format!("无法识别的议题“{text}”：可以写 {}；一般的支部党员大会不用写 --topic", choices.join("、"))
        })?,
    };
    if args.group.is_some() && kind != Kind::GroupMeeting {
        bail!("--group 只用于党小组会；{}不用写 --group", kind.chinese());
    }
    let group = args.group.as_deref().map(str::trim).filter(|g| !g.is_empty()).map(str::to_string);
    let path = match &args.output {
        Some(path) => path.clone(),
        None => PathBuf::from(skeleton::file_name(kind, date, group.as_deref())),
    };
    let roster = roster_for(&path);
    if let (Some(group), false) = (&group, roster.groups.is_empty()) {
        if !roster.groups.iter().any(|g| &g.name == group) {
            bail!("名册中没有党小组“{group}”：本支部的党小组有 {}；请照名册写", roster.group_names().join("、"));
        }
    }
    let mut s = Skeleton::new(kind, date, roster, "pdb new");
    s.topic = topic;
    s.group = group;
    s.status = if args.held { ActivityStatus::Held } else { ActivityStatus::Planned };
    let shown = path.display().to_string();
    if !write_new(&path, &s.text())? {
        bail!(
            "{shown} 已经存在，pdb 不会覆盖它。\n要另写一个，请用 -o 指定新文件名，例如 pdb new {} -o {}；或先把原文件改名",
            args.kind,
            other_name(&path)
        );
    }
    outln!("已写入 {shown}");
    outln!("下一步：用记事本打开它，按注释填写时间、地点、主持人、记录人和议程；然后运行 pdb check {shown}");
    Ok(Exit::Success)
}

/// `pdb new 发展党员 [--name 李明]`
fn new_applicant(args: &NewArgs) -> Result<Exit> {
    if args.date.is_some() || args.topic.is_some() || args.group.is_some() || args.held {
        bail!("发展党员记录只用 --name 和 -o；各步骤的日期写在文件里");
    }
    let name = args.name.as_deref();
    let path = args.output.clone().unwrap_or_else(|| PathBuf::from(authoring::applicant::file_name(name)));
    let shown = path.display().to_string();
    if !write_new(&path, &authoring::applicant::text(name, "pdb new 发展党员"))? {
        bail!("{shown} 已经存在，pdb 不会覆盖它。要另写一个，请用 -o 指定新文件名，例如 -o {}", other_name(&path));
    }
    println!("已写入 {shown}");
    println!("下一步：用记事本打开它，每办完一步就填上日期；然后运行 pdb check {shown}");
    Ok(Exit::Success)
}

/// `pdb init`
pub fn init(args: &InitArgs) -> Result<Exit> {
    let dir = &args.dir;
    fs::create_dir_all(dir).with_context(|| format!("无法创建文件夹 {}：请检查路径和权限", dir.display()))?;
    for (name, text) in [(BRANCH_FILE_NAME, init::branch_file()), ("说明.md", init::readme())] {
        let path = dir.join(name);
        if write_new(&path, &text)? {
            outln!("已写入 {}", shown(&path));
        } else {
            outln!("已存在，跳过 {}", shown(&path));
        }
    }
    let branch = dir.join(BRANCH_FILE_NAME);
    outln!("下一步：用记事本打开 {}，填写支部全称和党员名册；", shown(&branch));
    outln!("然后运行 pdb plan 2026Q4{}：它先检查 branch.toml，再为一个季度的会议写好计划文件。", dir_arg(dir));
    Ok(Exit::Success)
}

/// `pdb plan`
pub fn plan(args: &PlanArgs, styled: bool) -> Result<Exit> {
    let span = args.period;
    let dir = &args.dir;
    if !dir.is_dir() {
        bail!("文件夹 {} 不存在：请先运行 pdb init {} 新建支部文件夹", dir.display(), dir.display());
    }
    let Some(branch_path) = load::find_branch_file(&dir.join("计划.toml")) else {
        bail!(
            "在 {} 及其上级文件夹中找不到 branch.toml：请先运行 pdb init{} 新建并填写支部文件，或进入支部文件夹再运行 pdb plan",
            dir.display(),
            dir_arg(dir)
        );
    };
    let branch = match load::load_branch_all(&branch_path) {
        Ok(branch) => branch,
        Err(diagnostics) => {
            for diagnostic in diagnostics {
                errln!("{}\n", diagnostic.render(styled));
            }
            outln!("没有写入任何文件：请先改正 {} 中的错误，再运行 pdb plan", branch_path.display());
            return Ok(Exit::Failed);
        }
    };
    if branch.file.members.is_empty() {
        bail!("{} 中还没有党员名册：请先填写 [[members]]（每名党员一段），再运行 pdb plan", branch_path.display());
    }
    let roster = Roster::from_branch(&branch.file, Some(relative_branch(dir, &branch_path)));
    let existing = plan::scan(dir);
    let entries = plan::entries(&branch, span, dir, &existing);
    if entries.is_empty() {
        outln!("按 {} 的频次规定，{span}没有需要召开的会议，没有写入文件。", branch_path.display());
        return Ok(Exit::Success);
    }
    let (mut written, mut skipped) = (0, 0);
    for entry in &entries {
        let what = describe(entry.kind, entry.group.as_deref());
        if let Some(existing) = &entry.existing {
            skipped += 1;
            outln!("已存在，跳过 {}（{what}）", shown(existing));
            continue;
        }
        let text = plan::skeleton(entry, &roster, span).text();
        if write_new(&entry.path, &text)? {
            written += 1;
            outln!("已写入 {}（{what}）", shown(&entry.path));
        } else {
            skipped += 1;
            outln!("已存在，跳过 {}（{what}）", shown(&entry.path));
        }
    }
    outln!("{span}共 {} 次会议：写入 {written} 个文件，已存在 {skipped} 个。", entries.len());
    if written > 0 {
        outln!("计划文件的状态是“计划”。会前打开一个文件，把地点的＿＿＿＿换成实际地点、填好议程，");
        outln!("再运行 pdb render 文件名，打印会议通知、议程、主持词和签到表。日期不合适可以直接改（文件名不用改）。");
    }
    if written > 0 {
        for note in missing_hosts(&roster, &entries) {
            outln!("注意：{note}");
        }
    }
    plan_development(dir, span, &entries, &roster)?;
    Ok(Exit::Success)
}

/// The due 转正 items, added to the period's planned 支部党员大会 (or a new one), and the other
/// steps of applicants falling due.
fn plan_development(dir: &Path, span: Period, entries: &[plan::Entry], roster: &Roster) -> Result<()> {
    let today = chrono::Local::now().date_naive();
    let (records, failed) = confirmations::applicants(dir, today);
    for (path, errors) in &failed {
        let (path, count) = (shown(path), errors.len());
        println!("注意：发展党员记录 {path} 有 {count} 处错误，没有据它安排；运行 pdb check {path} 查看");
    }
    let due = confirmations::due_confirmations(&records, span);
    if let Some(new) = confirmations::congress(&due, roster, span) {
        let path = match entries.iter().find(|e| e.kind == Kind::PartyCongress) {
            Some(entry) => entry.existing.clone().unwrap_or_else(|| entry.path.clone()),
            None => {
                // No 支部党员大会 planned in the period: plan one for the 转正.
                let path = dir.join(new.file_name());
                if write_new(&path, &new.text())? {
                    println!("已写入 {}（支部党员大会：讨论预备党员转正）", shown(&path));
                }
                path
            }
        };
        add_confirmations(&path, &due)?;
    }
    for line in confirmations::other_due(&records, span) {
        println!("待办：{line}");
    }
    Ok(())
}

/// Appends a 转正 agenda item to a planned 支部党员大会 for each due applicant it lacks.
fn add_confirmations(path: &Path, due: &[&ApplicantRecord]) -> Result<()> {
    let text = fs::read_to_string(path).with_context(|| format!("无法读取 {}", path.display()))?;
    let folder = path.parent().unwrap_or(Path::new("."));
    let date = plan::scan(folder).into_iter().find(|e| e.path == path).map(|e| e.date);
    let mut changed = text.clone();
    for record in due {
        let name = record.name();
        let Some(end) = record.facts.probation.map(|p| Date(p.end).chinese()) else { continue };
        if confirmations::has_item(&changed, name) {
            println!("已有，跳过 {name}同志的转正议程（{}）", shown(path));
            continue;
        }
        if !confirmations::is_planned(&changed) {
            println!(
                "注意：{name}同志预备期{end}满，{}已召开，没有改动它；请另行安排支部党员大会讨论转正",
                shown(path)
            );
            continue;
        }
        changed = confirmations::append_item(&changed, record);
        println!("已加入 {name}同志的转正议程 → {}（预备期至{end}）", shown(path));
        if date.zip(record.facts.probation).is_some_and(|(d, p)| d <= p.end) {
            println!("注意：{}的日期在{name}同志预备期满（{end}）之前，请把会议改到预备期满之后", shown(path));
        }
    }
    if changed != text {
        fs::write(path, changed).with_context(|| format!("无法写入 {}", path.display()))?;
    }
    Ok(())
}

/// Where the roster could not name a host, the written files have none: say so, not only `pdb check`.
fn missing_hosts(roster: &Roster, entries: &[plan::Entry]) -> Vec<String> {
    let mut notes = Vec::new();
    if roster.secretary.is_none() && entries.iter().any(|e| e.group.is_none() && e.existing.is_none()) {
        notes.push(
            "名册中没有职务（role）为“书记”的党员，计划文件没有填主持人（host）、记录人（recorder），请逐个填写"
                .to_string(),
        );
    }
    for group in &roster.groups {
        let planned = entries.iter().any(|e| e.group.as_deref() == Some(&group.name) && e.existing.is_none());
        if planned && group.leader.is_none() {
            notes.push(format!(
                "名册中{}没有组长（group_leader = true），它的党小组会计划文件没有填主持人、记录人，请逐个填写",
                group.name
            ));
        }
    }
    notes
}

/// `pdb templates list|export`
pub fn templates(command: &TemplatesCommand) -> Result<Exit> {
    let builtin = engine::builtin();
    match command {
        TemplatesCommand::List => {
            outln!("内置模板（共 {} 个）：", builtin.len());
            let width = builtin.iter().map(|(path, _)| path.len()).max().unwrap_or(0);
            for (path, _) in &builtin {
                outln!("  {path:<width$}  {}", template_role(path));
            }
            outln!();
            outln!("要改用本单位的样式：先 pdb templates export 我的模板 把它们复制出来，只留下要改的文件并修改，");
            outln!("再用 pdb render --templates 我的模板 …，或在 branch.toml 开头写 templates = \"我的模板\"（相对于 branch.toml）。");
            outln!("文件夹中与内置模板相对路径相同的文件（如 我的模板/typst/notice.typ）替换内置模板；");
            outln!("也可以只改一块：{{% extends \"builtin/typst/notice.typ\" %}} 再写要替换的 {{% block … %}}。");
        }
        TemplatesCommand::Export(args) => {
            let (mut written, mut skipped) = (0, 0);
            for (path, text) in &builtin {
                let target = args.dir.join(path);
                if let Some(parent) = target.parent() {
                    fs::create_dir_all(parent).with_context(|| format!("无法创建文件夹 {}", parent.display()))?;
                }
                if write_new(&target, text)? {
                    written += 1;
                } else {
                    skipped += 1;
                    outln!("已存在，跳过 {}", target.display());
                }
            }
            // The Word house style: a unit changes its styles in Word and names it in branch.toml.
            let reference = args.dir.join("reference.docx");
            if write_new_bytes(&reference, &pdb::render::docx::default_reference())? {
                written += 1;
            } else {
                skipped += 1;
                outln!("已存在，跳过 {}", reference.display());
            }
            outln!("已把 {written} 个内置模板复制到 {}，跳过已存在的 {skipped} 个。", args.dir.display());
            outln!(
                "Word 版的样式在 {}：用 Word 或 WPS 打开，修改样式（字体、字号、行距）和页面设置后保存，\
                 再在 branch.toml 开头写 reference_docx = \"…/reference.docx\"（相对于 branch.toml），或用 --reference-docx。",
                reference.display()
            );
            outln!("改好后用 pdb render --templates {} …；没有改的文件可以删去，pdb 会用内置的。", args.dir.display());
        }
    }
    Ok(Exit::Success)
}

/// `pdb completions`
pub fn completions(args: &CompletionsArgs) -> Result<Exit> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "pdb", &mut script);
    // A closed pipe is not an error (see `outln!`).
    let _ = std::io::stdout().write_all(&script);
    Ok(Exit::Success)
}

/// `pdb man`
pub fn man(args: &ManArgs) -> Result<Exit> {
    let command = Cli::command();
    match &args.dir {
        None => {
            let mut out = Vec::new();
            clap_mangen::Man::new(command).render(&mut out)?;
            let _ = std::io::stdout().write_all(&out);
        }
        Some(dir) => {
            fs::create_dir_all(dir).with_context(|| format!("无法创建文件夹 {}", dir.display()))?;
            clap_mangen::generate_to(command, dir).with_context(|| format!("无法写入 {}", dir.display()))?;
            outln!(
                "已写入手册页到 {}：pdb.1 和每个子命令一页（如 pdb-render.1）。查看：man -l {}",
                dir.display(),
                dir.join("pdb.1").display()
            );
        }
    }
    Ok(Exit::Success)
}

fn parse_kind(text: &str) -> Result<Kind> {
    Kind::parse(text).with_context(|| {
        let choices: Vec<String> = Kind::ALL.iter().map(|k| format!("{}（{}）", k.short_name(), k.slug())).collect();
        let all = Kind::ALL.iter().flat_map(|k| [k.chinese(), k.short_name(), k.slug()]);
        let hint =
            pdb::diagnostics::did_you_mean(text, all).map(|s| format!("您是不是要写“{s}”？")).unwrap_or_default();
        format!("无法识别的活动类型“{text}”。{hint}可以写：{}", choices.join("、"))
    })
}

/// The roster for the comments of a new file, from the branch.toml above it. A branch file with
/// errors only costs the hints: `pdb check` reports those errors.
fn roster_for(path: &Path) -> Roster {
    let Some(branch_path) = load::find_branch_file(path) else {
        return Roster::default();
    };
    match load::load_branch(&branch_path) {
        Ok(branch) => {
            let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            Roster::from_branch(&branch.file, Some(relative_branch(folder, &branch_path)))
        }
        Err(_) => {
            errln!(
                "注意：{} 有错误，没有用它的名册给出主持人、记录人的建议；运行 pdb check {} 查看",
                branch_path.display(),
                branch_path.display()
            );
            Roster::default()
        }
    }
}

/// The branch file as the activity file's `branch` key would name it, e.g. `../branch.toml`:
/// it lies in `folder` or above (`find_branch_file` found it so).
fn relative_branch(folder: &Path, branch_path: &Path) -> String {
    let branch_dir = branch_path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let real = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    match relative(&real(folder), &real(branch_dir)).as_str() {
        ups if ups.split('/').all(|part| part == "..") => format!("{ups}/{BRANCH_FILE_NAME}"),
        _ => BRANCH_FILE_NAME.to_string(),
    }
}

/// Creates a file with `text`, or returns `false` when it exists: never overwrites.
fn write_new(path: &Path, text: &str) -> Result<bool> {
    write_new_bytes(path, text.as_bytes())
}

fn write_new_bytes(path: &Path, bytes: &[u8]) -> Result<bool> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).with_context(|| format!("无法创建文件夹 {}：请检查路径和权限", parent.display()))?;
    }
    match fs::OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(mut file) => {
            file.write_all(bytes).with_context(|| format!("无法写入 {}", path.display()))?;
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e).with_context(|| format!("无法写入 {}：请检查路径和权限", path.display())),
    }
}

/// `2026-11-05-支部党员大会-2.toml` beside `2026-11-05-支部党员大会.toml`.
fn other_name(path: &Path) -> String {
    let stem = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
    let name = format!("{stem}-2.toml");
    match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(parent) => parent.join(name).display().to_string(),
        None => name,
    }
}

/// A path as printed: `./x.toml` is just `x.toml`.
fn shown(path: &Path) -> String {
    path.strip_prefix(".").unwrap_or(path).display().to_string()
}

fn dir_arg(dir: &Path) -> String {
    if dir == Path::new(".") {
        String::new()
    } else {
        format!(" {}", dir.display())
    }
}

fn describe(kind: Kind, group: Option<&str>) -> String {
    match group {
        Some(group) => format!("{group}{}", kind.short_name()),
        None => kind.short_name().to_string(),
    }
}

/// What a built-in template is, for `templates list`.
fn template_role(path: &str) -> String {
    let stem = path.rsplit('/').next().unwrap_or(path).split('.').next().unwrap_or("");
    let applicant = path.contains("/applicant/");
    match (applicant, stem) {
        (false, "ledger") => return "台账（每个支部一份活动一览）".to_string(),
        (false, "register") => return "党员参加组织生活情况登记表（每个支部一份）".to_string(),
        (true, "ledger") => return "发展党员工作台账（每个支部一份）".to_string(),
        (true, "record") => return "01 发展党员全程纪实表（每人一份）".to_string(),
        (true, "publicity") => return "02–04 发展对象、拟接收预备党员、拟转正公示".to_string(),
        _ => {}
    }
    match Document::from_key(stem) {
        Some(document) => {
            let (meeting, activity) = (document.title(Kind::PartyCongress), document.title(Kind::ThemeDay));
            let title = if meeting == activity { meeting.to_string() } else { format!("{meeting}、{activity}") };
            format!("{} {title}", document.number())
        }
        None => "公用部分（被其他模板引用）".to_string(),
    }
}
