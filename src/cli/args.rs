//! Every clap type of the command line, as the user types it; `settings` turns them into what a
//! run does.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

use pdb::inputs::Shard;
use pdb::period::Period;
use pdb::render::{Document, Format};
use pdb::typst::PdfStandard;

#[derive(Parser)]
#[command(name = "pdb", version, about = "党支部活动材料生成工具：一份 TOML 记录，生成全套会议材料")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// 生成材料；只重新生成改过的活动，并为每个支部生成台账。例：pdb render examples/2026Q4
    Render(RenderArgs),
    /// 边改边看：先生成一次，之后每次保存活动文件、branch.toml、照片或模板就重新生成，PDF 阅读器随之刷新；按 Ctrl-C 停止。例：pdb watch 2026-11-05-支部党员大会.toml
    Watch(WatchArgs),
    /// 只检查（含开会频次），不生成任何文件。例：pdb check examples/2026Q4 --period 2026Q4
    Check(CheckArgs),
    /// 只生成台账和频次检查（用于 --shard 分片生成之后）。例：pdb index examples -o out
    Index(IndexArgs),
    /// 检查生成 PDF 所需的 typst 和中文字体，列出将使用的字体。例：pdb doctor
    Doctor(TypstArgs),
    /// 写一个活动文件的框架：每项都有中文注释，带这类会议的标准议程。例：pdb new 支部党员大会 --topic 接收预备党员 --date 2026-11-05
    New(NewArgs),
    /// 新建支部文件夹：带注释的 branch.toml 框架和说明.md。例：pdb init 机关第一党支部
    Init(InitArgs),
    /// 按频次规定，为一段时间内应开的每次会议写一个“计划”文件，不覆盖已有文件。例：pdb plan 2026Q4
    Plan(PlanArgs),
    /// 导入：从 Excel 名册导入党员名册到 branch.toml。例：pdb import roster 党员名册.xlsx
    #[command(subcommand)]
    Import(ImportCommand),
    /// 列出或导出内置模板，供本单位修改样式。例：pdb templates export 我的模板
    #[command(subcommand)]
    Templates(TemplatesCommand),
    /// 生成命令行自动补全脚本。例：pdb completions bash > /etc/bash_completion.d/pdb
    Completions(CompletionsArgs),
    /// 生成 man 手册页。例：pdb man man/
    Man(ManArgs),
}

#[derive(Args)]
pub struct InputArgs {
    /// 活动文件（.toml），或包含活动文件的文件夹
    #[arg(required = true, value_name = "FILE|DIR")]
    pub inputs: Vec<PathBuf>,
    /// 有“发现”（不合规定之处，含开会频次）时也以非零状态退出（状态 3）
    #[arg(long)]
    pub strict: bool,
    /// 只处理这段时间内的活动，并按它检查开会频次：2026（全年）、2026Q4（季度）、2026-11（月）
    #[arg(long, value_name = "PERIOD")]
    pub period: Option<Period>,
    /// 把这一天当作今天（YYYY-MM-DD）：尚未结束的时间段只检查到这一天；默认是今天
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<NaiveDate>,
    /// 在标准输出打印一份 JSON 报告（供脚本读取），不打印其他内容
    #[arg(long)]
    pub json: bool,
    /// 只打印失败的活动和最后的汇总
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// 也打印未变的活动
    #[arg(short, long)]
    pub verbose: bool,
    /// 同时处理的活动数（也是同时运行的 typst 进程数），默认等于 CPU 核数
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
}

/// What `render` and `index` write, and how.
#[derive(Args)]
pub struct OutputArgs {
    /// 输出文件夹
    #[arg(short, long, value_name = "DIR", default_value = "out")]
    pub out: PathBuf,
    /// 输出格式，可用逗号分隔多个：typst、markdown、docx（Word）、pdf。默认用 branch.toml 的 formats，
    /// 没有写时为 typst,markdown，找到 typst 时再加 pdf
    #[arg(long, value_enum, value_delimiter = ',')]
    pub format: Vec<FormatArg>,
    /// 除每个活动的全套 PDF（00-全套.pdf）外，每份材料再单独生成一个 PDF
    #[arg(long)]
    pub split: bool,
    /// PDF 标准：a-2b 是 PDF/A-2b 归档格式（默认）；1.7 是普通 PDF
    #[arg(long, value_enum, value_name = "STANDARD", default_value = "a-2b")]
    pub pdf_standard: StandardArg,
    /// PDF 的编译方式：auto 在 typst 支持时把多个活动合在一次 typst 运行里编译（更快），否则逐个编译；
    /// bundle 一定合并编译（typst 不支持时报错）；single 每个 PDF 单独运行一次 typst
    #[arg(long, value_enum, value_name = "ENGINE", default_value = "auto")]
    pub pdf_engine: EngineArg,
    #[command(flatten)]
    pub typst: TypstArgs,
    /// 只生成这些材料，可用逗号分隔多个
    #[arg(long, value_delimiter = ',', value_parser = document_parser())]
    pub only: Vec<Document>,
    /// 自定义模板文件夹：其中 typst/… 或 markdown/… 按相同路径覆盖内置模板
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Word 参考文档（本单位的 .docx）：Word 版材料使用其中的样式、主题和页面设置，优先于 branch.toml 的 reference_docx
    #[arg(long, value_name = "FILE")]
    pub reference_docx: Option<PathBuf>,
    /// 重新生成全部活动（不论是否改过），并覆盖手工修改过的输出文件
    #[arg(long)]
    pub force: bool,
}

#[derive(Args)]
pub struct RenderArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// 只处理第 k 片（共 n 片，按文件路径稳定地分）；分片时不写台账，全部分片完成后运行 pdb index
    #[arg(long, value_name = "k/n")]
    pub shard: Option<Shard>,
}

/// `pdb watch`: the inputs and the output options of `render`; `--json` and `--strict` are
/// hidden and refused (a watch has no final report or status).
#[derive(Args)]
#[command(mut_arg("json", |a| a.hide(true)), mut_arg("strict", |a| a.hide(true)))]
pub struct WatchArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Args)]
pub struct IndexArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// Where typst and the fonts come from: for `render` and `doctor` alike.
#[derive(Args)]
pub struct TypstArgs {
    /// typst 程序的路径；默认用环境变量 PDB_TYPST，再在 PATH 中查找
    #[arg(long, value_name = "PATH")]
    pub typst: Option<PathBuf>,
    /// 另外查找字体的文件夹（含 .ttf/.otf/.ttc 文件），可以写多次
    #[arg(long = "font-path", value_name = "DIR")]
    pub font_paths: Vec<PathBuf>,
    /// 不使用系统字体，只用 --font-path 中的字体（用于测试缺字体时的提示）
    #[arg(long, hide = true)]
    pub ignore_system_fonts: bool,
    /// 每次运行 typst 的时限（秒），超时就停止它，该活动失败，其余照常；默认 300
    #[arg(long, value_name = "SECONDS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..))]
    pub typst_timeout: u64,
}

impl TypstArgs {
    pub fn timeout(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.typst_timeout)
    }
}

#[derive(Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,
}

pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| format!("“{text}”不是日期：请写成 2026-11-05"))
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
pub enum FormatArg {
    Typst,
    Markdown,
    /// Word（.docx）
    Docx,
    Pdf,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum StandardArg {
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

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EngineArg {
    /// 在测试过的 typst 0.15 上合并编译（bundle），其他版本逐个编译
    Auto,
    /// 合并编译：多个活动的 PDF 由一次 typst 运行生成（需要 typst 0.15 或更新）
    Bundle,
    /// 每个 PDF 单独运行一次 typst
    Single,
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
    pub fn template(self) -> Option<Format> {
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

#[derive(Args)]
pub struct NewArgs {
    /// 活动类型：支部党员大会、支委会、党小组会、党课、主题党日、组织生活会、民主评议党员、其他；或 发展党员（发展党员记录）
    #[arg(value_name = "KIND")]
    pub kind: String,
    /// 会议日期，如 2026-11-05；默认今天
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: Option<NaiveDate>,
    /// 支部党员大会的议题，带标准议程：接收预备党员、预备党员转正、选举
    #[arg(long, value_name = "TOPIC")]
    pub topic: Option<String>,
    /// 党小组会：哪个党小组，如 第一党小组
    #[arg(long, value_name = "GROUP")]
    pub group: Option<String>,
    /// 会已经开过了：状态写“已召开”，而不是“计划”
    #[arg(long)]
    pub held: bool,
    /// 写到这个文件；默认当前文件夹下的 日期-类型.toml
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// 发展党员：姓名，如 李明（pdb new 发展党员 --name 李明）
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
}

#[derive(Args)]
pub struct InitArgs {
    /// 支部文件夹，不存在时新建；默认当前文件夹
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Args)]
pub struct PlanArgs {
    /// 时间段：2026Q4（一个季度）、2026-11（一个月）或 2026（一年）
    #[arg(value_name = "PERIOD")]
    pub period: Period,
    /// 写到这个文件夹（它或它的上级文件夹中要有 branch.toml）；默认当前文件夹
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Subcommand)]
pub enum TemplatesCommand {
    /// 列出全部内置模板和它们的路径。例：pdb templates list
    List,
    /// 把内置模板复制到一个文件夹，供修改；已有的文件不会被覆盖。例：pdb templates export 我的模板
    Export(ExportArgs),
}

#[derive(Args)]
pub struct ExportArgs {
    /// 目标文件夹，不存在时新建
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

#[derive(Args)]
pub struct CompletionsArgs {
    /// bash、zsh、fish、powershell 或 elvish
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Args)]
pub struct ManArgs {
    /// 把 pdb.1 和每个子命令的手册页（pdb-render.1 ……）写到这个文件夹；不写时把 pdb.1 打印到标准输出
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Subcommand)]
pub enum ImportCommand {
    /// 从 Excel/WPS 名册（.xlsx .xls .ods .csv）导入党员名册到 branch.toml。例：pdb import roster 党员名册.xlsx
    Roster(RosterArgs),
}

#[derive(Args)]
pub struct RosterArgs {
    /// 名册文件：.xlsx、.xls、.ods 或 .csv（UTF-8 或 GBK 编码均可）
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// 写入的支部文件；已存在时合并（保留其中的注释和顺序，不删除任何党员）
    #[arg(short, long, value_name = "FILE", default_value = "branch.toml")]
    pub output: PathBuf,
    /// 名册与 branch.toml 不一致时，按名册更新（逐项列出改动）；不加时只列出不一致之处
    #[arg(long)]
    pub update: bool,
    /// 指定哪一列是什么，用于 pdb 认不出的表头，例如 --columns 姓名=B,党小组=E,职务=F
    #[arg(long, value_name = "列名=列,…")]
    pub columns: Option<String>,
    /// 名册有问题的行跳过不导入（仍逐行列出）；不加时有问题就什么都不写
    #[arg(long)]
    pub skip_bad_rows: bool,
    /// 读取这个工作表；默认第一个有“姓名”列的工作表
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// 新建 branch.toml 时的支部全称；默认取名册标题中的支部名称
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
}
