//! `pdb import roster`: the branch's Excel roster into branch.toml.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Subcommand};

use pdb::roster::{self, Options};

#[derive(Subcommand)]
pub enum ImportCommand {
    /// 从 Excel/WPS 名册（.xlsx .xls .ods .csv）导入党员名册到 branch.toml。例：pdb import roster 党员名册.xlsx
    Roster(RosterArgs),
}

#[derive(Args)]
pub struct RosterArgs {
    /// 名册文件：.xlsx、.xls、.ods 或 .csv（UTF-8 或 GBK 编码均可）
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// 写入的支部文件；已存在时合并（保留其中的注释和顺序，不删除任何党员）
    #[arg(short, long, value_name = "FILE", default_value = "branch.toml")]
    output: PathBuf,
    /// 名册与 branch.toml 不一致时，按名册更新（逐项列出改动）；不加时只列出不一致之处
    #[arg(long)]
    update: bool,
    /// 指定哪一列是什么，用于 pdb 认不出的表头，例如 --columns 姓名=B,党小组=E,职务=F
    #[arg(long, value_name = "列名=列,…")]
    columns: Option<String>,
    /// 名册有问题的行跳过不导入（仍逐行列出）；不加时有问题就什么都不写
    #[arg(long)]
    skip_bad_rows: bool,
    /// 读取这个工作表；默认第一个有“姓名”列的工作表
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
    /// 新建 branch.toml 时的支部全称；默认取名册标题中的支部名称
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
}

pub fn import(command: &ImportCommand) -> Result<ExitCode> {
    let ImportCommand::Roster(args) = command;
    let options = Options {
        columns: args.columns.clone(),
        sheet: args.sheet.clone(),
        skip_bad_rows: args.skip_bad_rows,
        update: args.update,
        branch_name: args.name.clone(),
    };
    let sheet = roster::read(&args.file, &options)?;
    let encoding = sheet.encoding.map(|e| format!("，{e} 编码")).unwrap_or_default();
    let header = if sheet.header.0 == sheet.header.1 {
        format!("第 {} 行", sheet.header.0)
    } else {
        format!("第 {}–{} 行", sheet.header.0, sheet.header.1)
    };
    println!(
        "读取 {}：工作表“{}”{encoding}，表头在{header}，{} 名党员",
        args.file.display(),
        sheet.sheet,
        sheet.members.len()
    );
    if !sheet.ignored.is_empty() {
        let columns: Vec<String> = sheet.ignored.iter().map(|(h, c, _)| format!("{h}（{c}）")).collect();
        let personal = if sheet.ignored.iter().any(|(_, _, p)| *p) {
            "；身份证号、电话、住址、出生日期等个人信息从不写入"
        } else {
            ""
        };
        println!("未导入的列：{}（pdb 用不到{personal}）", columns.join("、"));
    }
    for (row, text) in &sheet.footers {
        println!("跳过第 {row} 行：“{text}”（表尾，不是党员）");
    }
    if !sheet.other_sheets.is_empty() {
        println!("注意：工作表“{}”也有姓名列，没有读取；要读它请加 --sheet", sheet.other_sheets.join("”“"));
    }
    if options.skip_bad_rows && !sheet.issues.is_empty() {
        println!("以下 {} 行有问题，已跳过（--skip-bad-rows）：", sheet.issues.len());
        for issue in &sheet.issues {
            println!("  {issue}");
        }
    }
    let written = roster::write(&sheet, &args.output, &options)?;
    let merged = &written.merged;
    let shown = args.output.display();
    if written.created {
        println!("已新建 {shown}：{} 名党员", merged.added.len());
    } else {
        println!(
            "已合并到 {shown}：新增 {} 人，更新 {} 人，未变 {} 人",
            merged.added.len(),
            distinct(merged.updated.iter().map(|c| c.name.as_str())),
            merged.unchanged
        );
    }
    if !written.created && !merged.added.is_empty() {
        println!("新增：{}", merged.added.join("、"));
    }
    for change in &merged.updated {
        println!("更新 {change}");
    }
    if !merged.differing.is_empty() {
        println!("名册与 {shown} 不一致（未修改；确认名册是对的，加 --update 更新）：");
        for change in &merged.differing {
            println!("  {change}");
        }
    }
    if !merged.missing.is_empty() {
        println!("{shown} 中有、名册中没有的党员（未删除；如已转出，请手工删去）：{}", merged.missing.join("、"));
    }
    if let Some((name, from)) = &written.branch_name {
        println!("支部全称“{name}”取自{from}，请核对");
    }
    match &written.problem {
        Some(problem) => {
            println!("{shown} 还须改正一处才能使用：\n{}", problem.render(false));
            Ok(ExitCode::from(1))
        }
        None => {
            println!("下一步：用 pdb plan 制定计划（例如 pdb plan 2026Q4），或用 pdb check . 检查");
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn distinct<'a>(names: impl Iterator<Item = &'a str>) -> usize {
    let mut names: Vec<&str> = names.collect();
    names.sort_unstable();
    names.dedup();
    names.len()
}
