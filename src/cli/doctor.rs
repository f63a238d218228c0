//! `pdb doctor`: what a PDF run would use, and what is missing.

use pdb::render::Fonts;
use pdb::typst;

use super::args::TypstArgs;
use super::exit::Exit;
use super::settings::font_options;

/// `pdb doctor`: what a PDF run would use, and what is missing. Exit status 0 when PDFs can be
/// made, 1 when not.
pub fn doctor(args: &TypstArgs) -> Exit {
    for path in &args.font_paths {
        if !path.is_dir() {
            outln!("--font-path：文件夹不存在：{}", path.display());
        }
    }
    let typst = match typst::locate_within(args.typst.as_deref(), args.timeout()) {
        Ok(typst) => typst,
        Err(err) => {
            outln!("typst：没有可用的 typst。\n{err}");
            outln!("结论：不能生成 PDF；pdb render 仍会生成 Typst 和 Markdown 文件。");
            return Exit::Failed;
        }
    };
    outln!("typst：{}（来自 {}）", typst.path.display(), typst.origin.describe());
    let tested = if typst.is_untested() { "，比支持的版本新" } else { "" };
    outln!("版本：{}（pdb 支持 {}，在 {} 上测试{tested}）", typst.version, typst::supported_range(), typst::TESTED);
    match typst.probe_bundle(&typst::CompileOptions::default()) {
        Ok(()) => outln!("合并编译：可以（--pdf-engine auto 把多个活动合在一次 typst 运行里编译）"),
        Err(why) => outln!("合并编译：不能，每个 PDF 单独编译（{}）", why.reason),
    }
    let fonts = font_options(args);
    let families = match typst.families(&fonts) {
        Ok(families) => families,
        Err(err) => {
            outln!("字体：{err}");
            return Exit::Failed;
        }
    };
    let mut sources =
        vec![if fonts.ignore_system_fonts { "typst 内置字体" } else { "系统字体、typst 内置字体" }.to_string()];
    sources.extend(fonts.font_paths.iter().map(|p| p.display().to_string()));
    outln!("字体来源：{}", sources.join("、"));
    match typst::select_fonts(&Fonts::default(), &families, &fonts.font_paths) {
        Ok(report) => {
            outln!(
                "中文字体：typst 共找到 {} 个字体族，其中中文 {} 个：{}",
                families.len(),
                report.cjk.len(),
                report.cjk.join("、")
            );
            outln!("模板中各字体角色使用：");
            for role in &report.roles {
                let used = match &role.stand_in {
                    Some(family) => format!("{family}（没有{}字体，用它代替）", role.role),
                    None => role.found.join("、"),
                };
                let missing = if role.missing.is_empty() {
                    String::new()
                } else {
                    format!("；未安装：{}", role.missing.join("、"))
                };
                outln!("  {}：{used}{missing}", role.role);
            }
            let stand_ins: Vec<&str> = report.roles.iter().filter(|r| r.stand_in.is_some()).map(|r| r.role).collect();
            if !stand_ins.is_empty() {
                outln!(
                    "缺少：{}字体。PDF 可以生成，但这些地方用其他中文字体代替；需要时用 --font-path 指定含这些字体的文件夹。",
                    stand_ins.join("、")
                );
            }
            outln!("结论：可以生成 PDF（pdb render 默认同时生成 PDF）。");
            Exit::Success
        }
        Err(err) => {
            outln!("中文字体：typst 找到 {} 个字体族，没有中文字体。\n{err}", families.len());
            outln!("结论：不能生成 PDF；pdb render 仍会生成 Typst 和 Markdown 文件。");
            Exit::Failed
        }
    }
}
