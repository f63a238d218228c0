//! The command line: raw flags become one validated `Settings` before any work starts.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Result};
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

use pdb::inputs::{self, Shard};
use pdb::period::Period;
use pdb::pipeline::{self, Mode, PdfSettings, Settings};
use pdb::render::{Document, Fonts, Format};
use pdb::typst::{self, CompileOptions, FontOptions, FontReport, PdfStandard, Typst, TypstError};

use report::{Printer, Style, Verbosity};

mod authoring;
mod report;

#[derive(Parser)]
#[command(name = "pdb", version, about = "党支部活动材料生成工具：一份 TOML 记录，生成全套会议材料")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 生成材料；只重新生成改过的活动，并为每个支部生成台账。例：pdb render examples/2026Q4
    Render(RenderArgs),
    /// 只检查（含开会频次），不生成任何文件。例：pdb check examples/2026Q4 --period 2026Q4
    Check(CheckArgs),
    /// 只生成台账和频次检查（用于 --shard 分片生成之后）。例：pdb index examples -o out
    Index(IndexArgs),
    /// 检查生成 PDF 所需的 typst 和中文字体，列出将使用的字体。例：pdb doctor
    Doctor(TypstArgs),
    /// 写一个活动文件的框架：每项都有中文注释，带这类会议的标准议程。例：pdb new 支部党员大会 --topic 接收预备党员 --date 2026-11-05
    New(authoring::NewArgs),
    /// 新建支部文件夹：带注释的 branch.toml 框架和说明.md。例：pdb init 机关第一党支部
    Init(authoring::InitArgs),
    /// 按频次规定，为一段时间内应开的每次会议写一个“计划”文件，不覆盖已有文件。例：pdb plan 2026Q4
    Plan(authoring::PlanArgs),
    /// 列出或导出内置模板，供本单位修改样式。例：pdb templates export 我的模板
    #[command(subcommand)]
    Templates(authoring::TemplatesCommand),
    /// 生成命令行自动补全脚本。例：pdb completions bash > /etc/bash_completion.d/pdb
    Completions(authoring::CompletionsArgs),
    /// 生成 man 手册页。例：pdb man man/
    Man(authoring::ManArgs),
}

#[derive(Args)]
struct InputArgs {
    /// 活动文件（.toml），或包含活动文件的文件夹
    #[arg(required = true, value_name = "FILE|DIR")]
    inputs: Vec<PathBuf>,
    /// 有“发现”（不合规定之处，含开会频次）时也以非零状态退出（状态 3）
    #[arg(long)]
    strict: bool,
    /// 只处理这段时间内的活动，并按它检查开会频次：2026（全年）、2026Q4（季度）、2026-11（月）
    #[arg(long, value_name = "PERIOD")]
    period: Option<Period>,
    /// 把这一天当作今天（YYYY-MM-DD）：尚未结束的时间段只检查到这一天；默认是今天
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    today: Option<NaiveDate>,
    /// 在标准输出打印一份 JSON 报告（供脚本读取），不打印其他内容
    #[arg(long)]
    json: bool,
    /// 只打印失败的活动和最后的汇总
    #[arg(short, long, conflicts_with = "verbose")]
    quiet: bool,
    /// 也打印未变的活动
    #[arg(short, long)]
    verbose: bool,
    /// 同时处理的活动数（也是同时运行的 typst 进程数），默认等于 CPU 核数
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,
}

/// What `render` and `index` write, and how.
#[derive(Args)]
struct OutputArgs {
    /// 输出文件夹
    #[arg(short, long, value_name = "DIR", default_value = "out")]
    out: PathBuf,
    /// 输出格式，可用逗号分隔多个：typst、markdown、docx（Word）、pdf。默认用 branch.toml 的 formats，
    /// 没有写时为 typst,markdown，找到 typst 时再加 pdf
    #[arg(long, value_enum, value_delimiter = ',')]
    format: Vec<FormatArg>,
    /// 除每个活动的全套 PDF（00-全套.pdf）外，每份材料再单独生成一个 PDF
    #[arg(long)]
    split: bool,
    /// PDF 标准：a-2b 是 PDF/A-2b 归档格式（默认）；1.7 是普通 PDF
    #[arg(long, value_enum, value_name = "STANDARD", default_value = "a-2b")]
    pdf_standard: StandardArg,
    #[command(flatten)]
    typst: TypstArgs,
    /// 只生成这些材料，可用逗号分隔多个
    #[arg(long, value_delimiter = ',', value_parser = document_parser())]
    only: Vec<Document>,
    /// 自定义模板文件夹：其中 typst/… 或 markdown/… 按相同路径覆盖内置模板
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// Word 参考文档（本单位的 .docx）：Word 版材料使用其中的样式、主题和页面设置，优先于 branch.toml 的 reference_docx
    #[arg(long, value_name = "FILE")]
    reference_docx: Option<PathBuf>,
    /// 重新生成全部活动（不论是否改过），并覆盖手工修改过的输出文件
    #[arg(long)]
    force: bool,
}

#[derive(Args)]
struct RenderArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    output: OutputArgs,
    /// 只处理第 k 片（共 n 片，按文件路径稳定地分）；分片时不写台账，全部分片完成后运行 pdb index
    #[arg(long, value_name = "k/n")]
    shard: Option<Shard>,
}

#[derive(Args)]
struct IndexArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    output: OutputArgs,
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

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| format!("“{text}”不是日期：请写成 2026-11-05"))
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
enum FormatArg {
    Typst,
    Markdown,
    /// Word（.docx）
    Docx,
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
            FormatArg::Docx => Some(Format::Docx),
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
        Command::Render(args) => batch(Mode::Render, &args.input, Some(&args.output), args.shard, styled),
        Command::Index(args) => batch(Mode::Index, &args.input, Some(&args.output), None, styled),
        Command::Doctor(args) => Ok(doctor(&args)),
        Command::New(args) => authoring::new(&args),
        Command::Init(args) => authoring::init(&args),
        Command::Plan(args) => authoring::plan(&args, styled),
        Command::Templates(command) => authoring::templates(&command),
        Command::Completions(args) => authoring::completions(&args),
        Command::Man(args) => authoring::man(&args),
        Command::Check(args) => batch(Mode::Check, &args.input, None, None, styled),
    }
}

/// `render`, `index` and `check`: settings first, then the run, then what it did.
fn batch(mode: Mode, input: &InputArgs, output: Option<&OutputArgs>, shard: Option<Shard>, styled: bool) -> Result<ExitCode> {
    let inputs = inputs::discover(&input.inputs)?;
    let (settings, note) = settings(mode, input, output, shard)?;
    let verbosity = match (input.quiet, input.verbose) {
        (true, _) => Verbosity::Quiet,
        (_, true) => Verbosity::Verbose,
        _ => Verbosity::Normal,
    };
    let terminal = std::io::stderr().is_terminal();
    let style = Style { mode, verbosity, json: input.json, styled, terminal, period: settings.period };
    let printer = Printer::new(style);
    let report = pipeline::run(&inputs, &settings, &printer)?;
    Ok(printer.finish(&report, input.strict, note.as_slice()))
}

/// The one validated `Settings` of a run, and the note to print when PDFs are skipped.
fn settings(mode: Mode, input: &InputArgs, output: Option<&OutputArgs>, shard: Option<Shard>) -> Result<(Settings, Option<String>)> {
    // A 台账 and a frequency check are about a batch: a folder, or a period; never one shard.
    let batch = input.period.is_some() || input.inputs.iter().any(|p| p.is_dir());
    let mut settings = Settings::check(input.today.unwrap_or_else(|| chrono::Local::now().date_naive()));
    settings.mode = mode;
    settings.jobs = input.jobs.unwrap_or_else(pipeline::default_jobs).max(1);
    settings.period = input.period;
    settings.shard = shard;
    settings.ledgers = mode == Mode::Index || (batch && shard.is_none());
    settings.report_all = input.json;
    let Some(args) = output else { return Ok((settings, None)) };
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
                let options = CompileOptions { fonts, standard: args.pdf_standard.into() };
                (Some(PdfSettings { typst, options, split: args.split }), report.fonts)
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
    settings.out_dir = args.out.clone();
    settings.formats = formats.iter().filter_map(|f| f.template()).collect();
    settings.only = (!args.only.is_empty()).then(|| dedup(args.only.clone()));
    settings.templates = args.templates.clone();
    settings.reference_docx = args.reference_docx.clone();
    settings.formats_given = explicit;
    settings.force = args.force;
    settings.fonts = fonts;
    settings.pdf = pdf;
    Ok((settings, note))
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
