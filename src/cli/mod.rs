//! The command line: raw flags become one validated `Settings` before any work starts.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use walkdir::WalkDir;

use pdb::diagnostics::Diagnostic;
use pdb::load::BRANCH_FILE_NAME;
use pdb::pipeline::{self, Outcome, PdfSettings, Settings, Status};
use pdb::render::{Document, Fonts, Format};
use pdb::typst::{self, CompileOptions, FontOptions, FontReport, PdfStandard, Typst, TypstError};

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
    /// 检查生成 PDF 所需的 typst 和中文字体，列出将使用的字体。例：pdb doctor
    Doctor(TypstArgs),
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
    /// 输出格式，可用逗号分隔多个。默认 typst,markdown，找到 typst 时再加 pdf
    #[arg(long, value_enum, value_delimiter = ',')]
    format: Vec<FormatArg>,
    /// 除每个活动的全套 PDF（00-全套.pdf）外，每份材料再单独生成一个 PDF
    #[arg(long)]
    split: bool,
    /// PDF 标准：a-2b 是 PDF/A-2b 归档格式（默认）；1.7 是普通 PDF
    #[arg(long, value_enum, value_name = "STANDARD", default_value = "a-2b")]
    pdf_standard: StandardArg,
    /// 同时运行的 typst 进程数，默认等于 CPU 核数
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,
    #[command(flatten)]
    typst: TypstArgs,
    /// 只生成这些材料，可用逗号分隔多个
    #[arg(long, value_delimiter = ',', value_parser = document_parser())]
    only: Vec<Document>,
    /// 自定义模板文件夹：其中 typst/… 或 markdown/… 按相同路径覆盖内置模板
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// 覆盖手工修改过的输出文件
    #[arg(long)]
    force: bool,
}

/// Where typst and the fonts come from: for `render` and `doctor` alike.
#[derive(Args)]
struct TypstArgs {
    /// typst 程序的路径；默认用环境变量 PDB_TYPST，再在 PATH 中查找
    #[arg(long, value_name = "PATH")]
    typst: Option<PathBuf>,
    /// 另外查找字体的文件夹（含 .ttf/.otf/.ttc 文件），可以写多次
    #[arg(long = "font-path", value_name = "DIR")]
    font_paths: Vec<PathBuf>,
    /// 不使用系统字体，只用 --font-path 中的字体（用于测试缺字体时的提示）
    #[arg(long, hide = true)]
    ignore_system_fonts: bool,
}

#[derive(Args)]
struct CheckArgs {
    #[command(flatten)]
    input: InputArgs,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
enum FormatArg {
    Typst,
    Markdown,
    Pdf,
}

#[derive(Clone, Copy, ValueEnum)]
enum StandardArg {
    /// PDF/A-2b：长期归档格式；没有字体能显示的字会报错，而不是印成方框
    #[value(name = "a-2b")]
    A2b,
    /// PDF/A-3b
    #[value(name = "a-3b")]
    A3b,
    /// 普通 PDF 1.7：pdb 无法发现缺字
    #[value(name = "1.7")]
    Pdf17,
}

impl From<StandardArg> for PdfStandard {
    fn from(arg: StandardArg) -> PdfStandard {
        match arg {
            StandardArg::A2b => PdfStandard::A2b,
            StandardArg::A3b => PdfStandard::A3b,
            StandardArg::Pdf17 => PdfStandard::Pdf17,
        }
    }
}

impl FormatArg {
    /// The template format, for the formats that are written from templates.
    fn template(self) -> Option<Format> {
        match self {
            FormatArg::Typst => Some(Format::Typst),
            FormatArg::Markdown => Some(Format::Markdown),
            FormatArg::Pdf => None,
        }
    }
}

/// `--only` takes the documents' own keys, so the list cannot drift from `Document`.
fn document_parser() -> impl clap::builder::TypedValueParser<Value = Document> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(Document::ALL.map(Document::key))
        .map(|key: String| Document::from_key(&key).expect("only listed keys get through"))
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
            // Without --format: Typst and Markdown, and PDF when typst and a Chinese font are there.
            let explicit = !args.format.is_empty();
            let formats = if explicit { dedup(args.format.clone()) } else { vec![FormatArg::Typst, FormatArg::Markdown] };
            if let Some(path) = args.typst.font_paths.iter().find(|p| !p.is_dir()) {
                bail!("--font-path 指定的文件夹不存在：{}", path.display());
            }
            let mut note = None;
            let (pdf, fonts) = if !explicit || formats.contains(&FormatArg::Pdf) {
                match prepare_pdf(&args.typst) {
                    Ok((typst, report, fonts)) => {
                        warn_untested(&typst);
                        let workers = args.jobs.unwrap_or_else(typst::default_workers).max(1);
                        let options = CompileOptions { fonts, standard: args.pdf_standard.into() };
                        (Some(PdfSettings { typst, options, split: args.split, workers }), report.fonts)
                    }
                    Err(err) if explicit => bail!("{err}"),
                    // Turned off on purpose: nothing to say.
                    Err(TypstError::Disabled) => (None, Fonts::default()),
                    Err(err) => {
                        note = Some(format!("PDF 未生成：{}", err.summary()));
                        (None, Fonts::default())
                    }
                }
            } else {
                (None, Fonts::default())
            };
            let settings = Settings {
                out_dir: args.out,
                formats: formats.iter().filter_map(|f| f.template()).collect(),
                only: (!args.only.is_empty()).then(|| dedup(args.only.clone())),
                templates: args.templates,
                force: args.force,
                fonts,
                pdf,
            };
            let outcomes = pipeline::render(&inputs, &settings)
                .map_err(|e| anyhow::anyhow!(pipeline::template_diagnostic(&e).render(styled)))?;
            Ok(report(&outcomes, args.input.strict, styled, note.as_deref()))
        }
        Command::Doctor(args) => Ok(doctor(&args)),
        Command::Check(args) => {
            let inputs = expand_inputs(&args.input.inputs)?;
            let outcomes = pipeline::check_outcomes(&inputs);
            Ok(report(&outcomes, args.input.strict, styled, None))
        }
    }
}

/// Finds typst, lists its fonts once with the run's font settings, and keeps the Chinese ones.
fn prepare_pdf(args: &TypstArgs) -> Result<(Typst, FontReport, FontOptions), TypstError> {
    let typst = typst::locate(args.typst.as_deref())?;
    let fonts = font_options(args);
    let families = typst.families(&fonts)?;
    let report = typst::select_fonts(&Fonts::default(), &families, &fonts.font_paths)?;
    Ok((typst, report, fonts))
}

/// `--font-path` folders made absolute: typst runs inside each activity's output folder.
fn font_options(args: &TypstArgs) -> FontOptions {
    FontOptions {
        font_paths: args.font_paths.iter().map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone())).collect(),
        ignore_system_fonts: args.ignore_system_fonts,
    }
}

fn warn_untested(typst: &Typst) {
    if typst.is_untested() {
        eprintln!(
            "注意：typst {} 比 pdb 支持的版本（{}）新；如果 PDF 排版异常，请安装 {}：{} --version {}",
            typst.version,
            typst::supported_range(),
            typst::TESTED,
            typst::INSTALL,
            typst::TESTED,
        );
    }
}

/// `pdb doctor`: what a PDF run would use, and what is missing. Exit status 0 when PDFs can be
/// made, 1 when not.
fn doctor(args: &TypstArgs) -> ExitCode {
    for path in &args.font_paths {
        if !path.is_dir() {
            println!("--font-path：文件夹不存在：{}", path.display());
        }
    }
    let typst = match typst::locate(args.typst.as_deref()) {
        Ok(typst) => typst,
        Err(err) => {
            println!("typst：没有可用的 typst。\n{err}");
            println!("结论：不能生成 PDF；pdb render 仍会生成 Typst 和 Markdown 文件。");
            return ExitCode::from(1);
        }
    };
    println!("typst：{}（来自 {}）", typst.path.display(), typst.origin.describe());
    let tested = if typst.is_untested() { "，比支持的版本新" } else { "" };
    println!("版本：{}（pdb 支持 {}，在 {} 上测试{tested}）", typst.version, typst::supported_range(), typst::TESTED);
    let fonts = font_options(args);
    let families = match typst.families(&fonts) {
        Ok(families) => families,
        Err(err) => {
            println!("字体：{err}");
            return ExitCode::from(1);
        }
    };
    let mut sources = vec![if fonts.ignore_system_fonts { "typst 内置字体" } else { "系统字体、typst 内置字体" }.to_string()];
    sources.extend(fonts.font_paths.iter().map(|p| p.display().to_string()));
    println!("字体来源：{}", sources.join("、"));
    match typst::select_fonts(&Fonts::default(), &families, &fonts.font_paths) {
        Ok(report) => {
            println!("中文字体：typst 共找到 {} 个字体族，其中中文 {} 个：{}", families.len(), report.cjk.len(), report.cjk.join("、"));
            println!("模板中各字体角色使用：");
            for role in &report.roles {
                let used = match &role.stand_in {
                    Some(family) => format!("{family}（没有{}字体，用它代替）", role.role),
                    None => role.found.join("、"),
                };
                let missing =
                    if role.missing.is_empty() { String::new() } else { format!("；未安装：{}", role.missing.join("、")) };
                println!("  {}：{used}{missing}", role.role);
            }
            let stand_ins: Vec<&str> = report.roles.iter().filter(|r| r.stand_in.is_some()).map(|r| r.role).collect();
            if !stand_ins.is_empty() {
                println!(
                    "缺少：{}字体。PDF 可以生成，但这些地方用其他中文字体代替；需要时用 --font-path 指定含这些字体的文件夹。",
                    stand_ins.join("、")
                );
            }
            println!("结论：可以生成 PDF（pdb render 默认同时生成 PDF）。");
            ExitCode::SUCCESS
        }
        Err(err) => {
            println!("中文字体：typst 找到 {} 个字体族，没有中文字体。\n{err}", families.len());
            println!("结论：不能生成 PDF；pdb render 仍会生成 Typst 和 Markdown 文件。");
            ExitCode::from(1)
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
fn report(outcomes: &[Outcome], strict: bool, styled: bool, note: Option<&str>) -> ExitCode {
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
        for warning in &outcome.warnings {
            eprintln!("{warning}");
        }
    }
    if let Some(note) = note {
        println!("{note}");
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
