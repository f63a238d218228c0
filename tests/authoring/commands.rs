//! `pdb templates`, `completions`, `man` and `--help`.

use super::*;

#[test]
fn templates_list_names_every_builtin_and_how_to_override() {
    let out = Test::new().args(&["templates", "list"]).run();
    out.assert_status(0);
    for (path, _) in pdb::render::engine::builtin() {
        assert!(out.stdout.contains(&path), "{path}\n{out}");
    }
    assert!(out.stdout.contains("typst/notice.typ") && out.stdout.contains("01 会议通知、活动通知"), "{out}");
    // Each says what it makes: the register and the applicants' templates are documents, not parts.
    let role =
        |path: &str| out.stdout.lines().find(|l| l.trim_start().starts_with(path)).unwrap_or_default().to_string();
    assert!(role("docx/register.xml").contains("党员参加组织生活情况登记表"), "{out}");
    assert!(role("docx/applicant/ledger.xml").contains("发展党员工作台账"), "{out}");
    assert!(role("typst/applicant/record.typ").contains("发展党员全程纪实表"), "{out}");
    assert!(role("markdown/applicant/publicity.md").contains("公示"), "{out}");
    assert!(role("docx/ledger.xml").contains("台账（每个支部一份活动一览）"), "{out}");
    assert!(role("docx/base.xml").contains("公用部分"), "{out}");
    assert!(out.stdout.contains("--templates") && out.stdout.contains("templates = \"我的模板\""), "{out}");
}

#[test]
fn templates_export_copies_them_and_keeps_an_edited_one() {
    let out = Test::new()
        .file("我的模板/typst/notice.typ", "我改过的通知\n")
        .args(&["templates", "export", "我的模板"])
        .run();
    out.assert_status(0);
    assert_eq!(out.read("我的模板/typst/notice.typ"), "我改过的通知\n");
    assert!(out.stdout.contains("已存在，跳过 我的模板/typst/notice.typ"), "{out}");
    for (path, text) in pdb::render::engine::builtin() {
        if path != "typst/notice.typ" {
            assert_eq!(out.read(&format!("我的模板/{path}")), text, "{path}");
        }
    }
    // The export renders the same documents as the built-ins.
    let out = out.then(&["templates", "export", "我的模板"]);
    assert!(out.stdout.contains("已把 0 个内置模板复制到"), "{out}");
}

#[test]
fn completions_and_man_come_from_the_same_definitions() {
    let out = Test::new().args(&["completions", "bash"]).run();
    out.assert_status(0);
    for word in ["render", "check", "plan", "new", "templates", "--format"] {
        assert!(out.stdout.contains(word), "{word}");
    }
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let out = Test::new().args(&["completions", shell]).run();
        out.assert_status(0);
        assert!(out.stdout.contains("plan"), "{shell}");
    }

    let out = Test::new().args(&["man"]).run();
    out.assert_status(0);
    for word in ["render", "check", "doctor", "new", "init", "plan", "templates", "completions"] {
        assert!(out.stdout.contains(word), "{word}\n{}", out.stdout);
    }
    let out = Test::new().args(&["man", "man"]).run();
    out.assert_status(0);
    for page in ["pdb.1", "pdb-render.1", "pdb-plan.1", "pdb-templates-export.1"] {
        assert!(out.path(&format!("man/{page}")).is_file(), "{page}\n{out}");
    }
    assert!(out.read("man/pdb-plan.1").contains("2026Q4"));
}

#[test]
fn every_subcommand_help_has_an_example() {
    let help = Test::new().args(&["--help"]).run();
    let subcommands: Vec<String> = help
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(String::from))
        .filter(|c| c != "help")
        .collect();
    assert!(subcommands.len() >= 9, "{help}");
    for sub in &subcommands {
        let out = Test::new().args(&[sub, "--help"]).run();
        assert!(out.stdout.contains("例：pdb "), "{sub}\n{out}");
    }
    for sub in ["list", "export"] {
        let out = Test::new().args(&["templates", sub, "--help"]).run();
        assert!(out.stdout.contains("例：pdb templates"), "{sub}\n{out}");
    }
}
