//! A unit's own templates and data: `templates = "…"` in branch.toml, `--templates`, extending a
//! built-in, template errors with their file and line, and `[extra]` values reaching the output.

use crate::common::{header, Test, BRANCH};

/// A 支部党员大会 with one agenda item; `more` is appended (e.g. an `[extra]` table).
fn activity(more: &str) -> String {
    format!(
        "{}\n[attendance]\nabsent = []\n\n[[agenda]]\ntitle = \"学习党章\"\npresenter = \"王芳\"\n{more}",
        header("支部党员大会")
    )
}

fn branch_with(first_lines: &str) -> String {
    format!("{first_lines}\n{BRANCH}")
}

fn render(test: Test) -> crate::common::Output {
    render_with(test, &[])
}

fn render_with(test: Test, more: &[&str]) -> crate::common::Output {
    test.args(&["render", "a.toml", "-o", "out", "--format", "markdown"]).args(more).run()
}

// ---------------------------------------------------------------------------------------------
// [extra]

#[test]
fn extra_values_of_branch_and_activity_reach_the_templates_and_the_activity_wins() {
    let branch = format!(
        "{BRANCH}\n[extra]\n\"联系人\" = \"陈静\"\n\"电话\" = \"0000-1111111\"\n\"单位\" = \"卫健局\"\n\
         \"成立\" = 1998-07-01\n\"人数\" = 15\n\"优秀\" = true\n\"荣誉\" = [ \"先进党支部\", \"五星支部\" ]\n[extra.\"地址\"]\n\"楼\" = \"三楼\"\n"
    );
    let template = "{% extends \"builtin/markdown/agenda.md\" %}\n{% block items %}\n\n\
        合并：{{ extra[\"电话\"] }}／{{ extra[\"单位\"] }}／{{ extra[\"会期\"] }}\n\n\
        支部：{{ branch.extra[\"电话\"] }}；活动：{{ act.extra[\"电话\"] }}；活动没有的：{{ act.extra[\"单位\"] or \"无\" }}\n\n\
        类型：{{ extra[\"成立\"] }}／{{ extra[\"人数\"] + 1 }}／{{ extra[\"优秀\"] }}／{{ extra[\"荣誉\"] | join(sep=\"、\") }}／{{ extra[\"地址\"][\"楼\"] }}\n\
        {%- endblock items %}\n";
    let out = render_with(
        Test::new()
            .branch(&branch)
            .file("a.toml", &activity("\n[extra]\n\"电话\" = \"0000-2222222\"\n\"会期\" = 2026-11-05T14:30:00\n"))
            .file("我的模板/markdown/agenda.md", template),
        &["--templates", "我的模板"],
    );
    out.assert_clean();
    let agenda = out.read("out/a/02-会议议程.md");
    assert!(agenda.contains("合并：0000-2222222／卫健局／2026-11-05T14:30:00"), "{agenda}");
    assert!(agenda.contains("支部：0000-1111111；活动：0000-2222222；活动没有的：无"), "{agenda}");
    assert!(agenda.contains("类型：1998-07-01／16／true／先进党支部、五星支部／三楼"), "{agenda}");
    // The built-in notice prints them as its 附注 under the date (GB/T 9704 §7.3.7).
    let notice = out.read("out/a/01-会议通知.md");
    assert!(notice.trim_end().ends_with("（联系人：陈静；联系电话：0000-2222222）"), "{notice}");
}

#[test]
fn extra_values_are_escaped_like_every_other_fact() {
    let out = render(Test::new().branch(BRANCH).file("a.toml", &activity("\n[extra]\n\"联系人\" = \"*陈静*\"\n")));
    out.assert_clean();
    let notice = out.read("out/a/01-会议通知.md");
    assert!(notice.contains("（联系人：\\*陈静\\*）"), "{notice}");
}

#[test]
fn without_contact_the_notice_has_no_annotation_line() {
    let out = render(Test::new().branch(BRANCH).file("a.toml", &activity("")));
    out.assert_clean();
    assert!(!out.read("out/a/01-会议通知.md").contains("联系"));
}

// ---------------------------------------------------------------------------------------------
// templates = "…" in branch.toml, and --templates

const AGENDA_ITEMS: &str =
    "{% extends \"builtin/markdown/agenda.md\" %}\n{% block items %}\n\n本支部议程格式\n{%- endblock items %}\n";

#[test]
fn a_branch_templates_folder_overrides_one_template_and_extending_changes_only_its_block() {
    let builtin = render(Test::new().branch(BRANCH).file("a.toml", &activity("")));
    builtin.assert_clean();
    let out = render(
        Test::new()
            .branch(&branch_with("templates = \"模板\""))
            .file("a.toml", &activity(""))
            .file("模板/markdown/agenda.md", AGENDA_ITEMS),
    );
    out.assert_clean();
    let expected = builtin.read("out/a/02-会议议程.md").replace("\n\n一、学习党章（王芳）", "\n\n本支部议程格式");
    assert_ne!(
        expected,
        builtin.read("out/a/02-会议议程.md"),
        "the block's built-in text is where the test expects it"
    );
    assert_eq!(out.read("out/a/02-会议议程.md"), expected);
    // The other documents are the built-in ones.
    for name in ["01-会议通知.md", "03-主持词.md", "04-签到表.md", "05-会议记录.md", "07-会议纪要.md"]
    {
        assert_eq!(out.read(&format!("out/a/{name}")), builtin.read(&format!("out/a/{name}")), "{name}");
    }
}

#[test]
fn the_folder_is_relative_to_branch_toml_not_to_the_activity_or_the_current_folder() {
    let out = Test::new()
        .branch(&branch_with("templates = \"模板\""))
        .file("2026Q4/a.toml", &activity(""))
        .file("模板/markdown/agenda.md", AGENDA_ITEMS)
        .args(&["render", "a.toml", "-o", "out", "--format", "markdown"])
        .current_dir("2026Q4")
        .run();
    out.assert_clean();
    assert!(out.read("2026Q4/out/a/02-会议议程.md").contains("本支部议程格式"));
}

#[test]
fn templates_option_wins_over_the_branch_folder_file_by_file() {
    let out = render_with(
        Test::new()
            .branch(&branch_with("templates = \"模板\""))
            .file("a.toml", &activity(""))
            .file("模板/markdown/agenda.md", AGENDA_ITEMS)
            .file("模板/markdown/sign-in.md", "{% extends \"builtin/markdown/sign-in.md\" %}{% block counts %}\n\n支部的签到表脚注\n{%- endblock counts %}\n")
            .file("试用/markdown/agenda.md", "{% extends \"builtin/markdown/agenda.md\" %}{% block items %}\n\n试用的议程格式\n{%- endblock items %}\n"),
        &["--templates", "试用"],
    );
    out.assert_clean();
    assert!(out.read("out/a/02-会议议程.md").contains("试用的议程格式"));
    // What --templates does not replace still comes from the branch's folder.
    assert!(out.read("out/a/04-签到表.md").contains("支部的签到表脚注"));
}

#[test]
fn a_missing_templates_folder_points_at_the_key_in_branch_toml() {
    let out = render(Test::new().branch(&branch_with("templates = \"我的模板\"")).file("a.toml", &activity("")));
    out.assert_status(1);
    insta::assert_snapshot!(out.stderr, @r#"
    错误: 模板文件夹“我的模板”不存在
     --> branch.toml:1:13
      |
    1 | templates = "我的模板"
      |             ^^^^^^^^^^ 字段 templates（模板文件夹）
      |
      = 修改建议: templates 写的是相对于 branch.toml 的文件夹，其中放 typst/、markdown/ 子文件夹，例如 "模板"；可以用 pdb templates export 模板 导出内置模板再修改，或删去这一行使用内置模板
    "#);
}

#[test]
fn a_broken_template_in_the_branch_folder_names_its_file_line_and_column() {
    let out = render(
        Test::new()
            .branch(&branch_with("templates = \"模板\""))
            .file("a.toml", &activity(""))
            .file("模板/markdown/notice.md", "{% extends \"builtin/markdown/notice.md\" %}\n{% block signature %}\n\n{{ branch.name | no_such_filter }}\n{%- endblock signature %}\n"),
    );
    out.assert_status(1);
    assert!(out.stderr.contains("模板/markdown/notice.md:4:18"), "{out}");
    assert!(out.stderr.contains("没有这个过滤器 `no_such_filter`"), "{out}");
    let syntax = render(
        Test::new()
            .branch(&branch_with("templates = \"模板\""))
            .file("a.toml", &activity(""))
            .file("模板/markdown/agenda.md", "第一行\n{% if act.title %}\n没有 endif\n"),
    );
    syntax.assert_status(1);
    assert!(syntax.stderr.contains("模板/markdown/agenda.md:"), "{syntax}");
}

#[test]
fn extending_a_builtin_without_the_builtin_prefix_says_how_to_write_it() {
    let out = render(Test::new().branch(&branch_with("templates = \"模板\"")).file("a.toml", &activity("")).file(
        "模板/markdown/agenda.md",
        "{% extends \"markdown/agenda.md\" %}\n{% block items %}x{% endblock items %}\n",
    ));
    out.assert_status(1);
    assert!(out.stderr.contains("模板/markdown/agenda.md:1:4"), "{out}");
    assert!(out.stderr.contains("builtin/"), "{out}");
}

#[test]
fn a_chinese_key_without_quotes_says_to_quote_it() {
    let out = render(Test::new().branch(BRANCH).file("a.toml", &activity("\n[extra]\n联系人 = \"陈静\"\n")));
    out.assert_status(1);
    let diagnostic =
        crate::common::diagnostic_containing(&out.stderr, "键名含有汉字").unwrap_or_else(|| panic!("{out}"));
    assert!(diagnostic.contains("a.toml:17:1"), "{diagnostic}");
    assert!(diagnostic.contains("\"联系人\" = \"陈静\""), "{diagnostic}");
}

/// Activities render in parallel: the branches of a run share one engine per template folder.
#[test]
fn branches_naming_the_same_folder_share_one_engine() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("模板/markdown")).unwrap();
    std::fs::write(dir.path().join("模板/markdown/agenda.md"), AGENDA_ITEMS).unwrap();
    for (folder, key) in [("一支部", "../模板"), ("二支部", "../模板/"), ("三支部", "")] {
        std::fs::create_dir_all(dir.path().join(folder)).unwrap();
        let first = if key.is_empty() { String::new() } else { format!("templates = \"{key}\"") };
        std::fs::write(dir.path().join(folder).join("branch.toml"), branch_with(&first)).unwrap();
    }
    let load = |folder: &str| pdb::load::load_branch(&dir.path().join(folder).join("branch.toml")).unwrap();
    let engines = pdb::render::Engines::new(None);
    let (one, two, three) = (
        engines.get(&load("一支部")).unwrap(),
        engines.get(&load("二支部")).unwrap(),
        engines.get(&load("三支部")).unwrap(),
    );
    assert!(std::sync::Arc::ptr_eq(&one, &two));
    assert!(!std::sync::Arc::ptr_eq(&one, &three));
    assert!(std::sync::Arc::ptr_eq(&three, &engines.without_branch().unwrap()));
    assert_ne!(one.fingerprint(), three.fingerprint(), "the branch's templates are part of what an output depends on");
}
