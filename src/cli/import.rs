//! `pdb import roster`: the branch's Excel roster into branch.toml.

use anyhow::Result;

use pdb::roster::{self, Options};

use super::args::ImportCommand;
use super::exit::Exit;

pub fn import(command: &ImportCommand) -> Result<Exit> {
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
            Ok(Exit::Failed)
        }
        None => {
            println!("下一步：用 pdb plan 制定计划（例如 pdb plan 2026Q4），或用 pdb check . 检查");
            Ok(Exit::Success)
        }
    }
}

fn distinct<'a>(names: impl Iterator<Item = &'a str>) -> usize {
    let mut names: Vec<&str> = names.collect();
    names.sort_unstable();
    names.dedup();
    names.len()
}
