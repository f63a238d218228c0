//! The command line: raw flags become one validated `Settings` before any work starts.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use walkdir::WalkDir;

use pdb::diagnostics::Diagnostic;
use pdb::load::BRANCH_FILE_NAME;
use pdb::pipeline::{self, Outcome, Settings, Status};
use pdb::render::{Document, Fonts, Format};

#[derive(Parser)]
#[command(name = "pdb", version, about = "党支部活动材料生成工具：一份 TOML 记录，生成全套会议材料")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 生成材料。例：pdb render examples/2026Q4
    Render(RenderArgs),
    /// 只检查，不生成任何文件。例：pdb check examples/2026Q4
    Check(CheckArgs),
}

#[derive(Args)]
struct InputArgs {
    /// 活动文件（.toml），或包含活动文件的文件夹
    #[arg(required = true, value_name = "FILE|DIR")]
    inputs: Vec<PathBuf>,
    /// 有“发现”（不合规定之处）时也以非零状态退出
    #[arg(long)]
    strict: bool,
}

#[derive(Args)]
struct RenderArgs {
    #[command(flatten)]
    input: InputArgs,
    /// 输出文件夹
    #[arg(short, long, value_name = "DIR", default_value = "out")]
    out: PathBuf,
    /// 输出格式，可用逗号分隔多个
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = [FormatArg::Typst, FormatArg::Markdown])]
    format: Vec<FormatArg>,
    /// 只生成这些材料，可用逗号分隔多个
    #[arg(long, value_enum, value_delimiter = ',')]
    only: Vec<DocumentArg>,
    /// 自定义模板文件夹：其中 typst/… 或 markdown/… 按相同路径覆盖内置模板
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// 覆盖手工修改过的输出文件
    #[arg(long)]
    force: bool,
}

#[derive(Args)]
struct CheckArgs {
    #[command(flatten)]
    input: InputArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Typst,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
enum DocumentArg {
    Notice,
    Agenda,
    HostScript,
    SignIn,
    Minutes,
    Photos,
    Summary,
    Reflections,
}

impl From<FormatArg> for Format {
    fn from(arg: FormatArg) -> Format {
        match arg {
            FormatArg::Typst => Format::Typst,
            FormatArg::Markdown => Format::Markdown,
        }
    }
}

impl From<DocumentArg> for Document {
    fn from(arg: DocumentArg) -> Document {
        let key = arg.to_possible_value().expect("no skipped variants").get_name().to_string();
        Document::from_key(&key).expect("every --only value names a document")
    }
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let styled = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    match dispatch(cli, styled) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("错误：{err:#}");
            ExitCode::from(2)
        }
    }
}

fn dispatch(cli: Cli, styled: bool) -> Result<ExitCode> {
    match cli.command {
        Command::Render(args) => {
            let inputs = expand_inputs(&args.input.inputs)?;
            let settings = Settings {
                out_dir: args.out,
                formats: dedup(args.format.into_iter().map(Format::from).collect()),
                only: (!args.only.is_empty()).then(|| dedup(args.only.into_iter().map(Document::from).collect())),
                templates: args.templates,
                force: args.force,
                fonts: Fonts::default(),
            };
            let outcomes = pipeline::render(&inputs, &settings)
                .map_err(|e| anyhow::anyhow!(pipeline::template_diagnostic(&e).render(styled)))?;
            Ok(report(&outcomes, args.input.strict, styled))
        }
        Command::Check(args) => {
            let inputs = expand_inputs(&args.input.inputs)?;
            let checked = pipeline::check(&inputs);
            let mut outcomes: Vec<Outcome> = checked
                .failures
                .into_iter()
                .map(|(input, errors)| Outcome { input, status: Status::Failed, output: None, files: vec![], errors, findings: vec![] })
                .chain(checked.records.into_iter().map(|r| Outcome {
                    input: r.path().to_path_buf(),
                    status: Status::Rendered,
                    output: None,
                    files: vec![],
                    errors: vec![],
                    findings: r.findings,
                }))
                .collect();
            outcomes.sort_by_key(|o| inputs.iter().position(|i| *i == o.input));
            Ok(report(&outcomes, args.input.strict, styled))
        }
    }
}

fn dedup<T: Ord>(mut items: Vec<T>) -> Vec<T> {
    items.sort();
    items.dedup();
    items
}

/// Files are taken as given; folders are walked for activity files (every `*.toml` but branch.toml).
fn expand_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut found: Vec<PathBuf> = WalkDir::new(input)
                .sort_by_file_name()
                .into_iter()
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_file() && is_activity_file(e.path()))
                .map(|e| e.into_path())
                .collect();
            if found.is_empty() {
                bail!("文件夹 {} 中没有活动文件（.toml）", input.display());
            }
            files.append(&mut found);
        } else if input.exists() {
            files.push(input.clone());
        } else {
            return Err(anyhow::anyhow!("找不到 {}", input.display())).context("请检查路径；文件名含空格时请用引号括起来");
        }
    }
    Ok(files)
}

fn is_activity_file(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml"))
        && path.file_name().is_some_and(|n| n != BRANCH_FILE_NAME)
}

/// One line per activity on stdout; errors and findings in full on stderr.
fn report(outcomes: &[Outcome], strict: bool, styled: bool) -> ExitCode {
    let mut failed = 0;
    let mut findings = 0;
    for outcome in outcomes {
        let input = outcome.input.display();
        match outcome.status {
            Status::Failed => {
                failed += 1;
                println!("失败 {input}（{} 处错误）", outcome.errors.len());
            }
            Status::Rendered => {
                let target = outcome.output.as_ref().map(|o| format!(" → {}", o.display())).unwrap_or_default();
                let note = if outcome.findings.is_empty() { String::new() } else { format!("（发现 {} 项）", outcome.findings.len()) };
                println!("完成 {input}{target}{note}");
            }
        }
        findings += outcome.findings.len();
        for diagnostic in outcome.errors.iter().chain(&outcome.findings) {
            eprintln!("{}\n", diagnostic_text(diagnostic, styled));
        }
    }
    let done = outcomes.len() - failed;
    println!("共 {} 个活动：完成 {done} 个，失败 {failed} 个，发现 {findings} 项", outcomes.len());
    if failed > 0 {
        ExitCode::from(1)
    } else if strict && findings > 0 {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    }
}

fn diagnostic_text(diagnostic: &Diagnostic, styled: bool) -> String {
    diagnostic.render(styled)
}
