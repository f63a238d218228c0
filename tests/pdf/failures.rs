//! What goes wrong, said clearly: hostile text read literally, a character no font has, no
//! Chinese font, what `pdb doctor` names, no typst at all, and a PDF changed by hand.

use std::fs;

use super::*;

#[test]
fn hostile_text_reads_literally_in_the_packet() {
    let Some(tools) = tools() else { return };
    let hostile = r#"#read("/etc/passwd") $x^2$ *粗体* _斜体_ `代码` <b>x</b> @标签 [链接](http://a.b) ~波浪 \反斜杠 // 注释 /* 块 */ = - + 1. a\b"#;
    let toml_string = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    let test = Test::new().example();
    let path = test.path("2026Q4/2026-12-03-其他.toml");
    let source = fs::read_to_string(&path).unwrap();
    let source = source
        .replace("\"局机关四楼会议室\"", &toml_string(&format!("【地点】{hostile}")))
        .replace("\"机关第一党支部“以案促改”警示教育活动\"", &toml_string(&format!("【标题】{hostile}")))
        .replace("\"观看警示教育片\"", &toml_string(&format!("【议程】{hostile}")));
    fs::write(&path, source).unwrap();
    let run = render(test, tools, &["2026Q4/2026-12-03-其他.toml", "-o", "out", "--format", "pdf"]);
    assert_eq!(run.status, 0, "{run}");
    let text = pdf_facts(&run.path("out/2026-12-03-其他/00-全套.pdf"));
    for marker in ["标题", "地点", "议程"] {
        let wanted = squeeze(&format!("【{marker}】{hostile}"));
        assert!(text.contains(&wanted), "missing {wanted:?} in\n{text}");
    }
}

#[test]
fn a_character_no_font_has_fails_and_names_the_document() {
    let Some(tools) = tools() else { return };
    let test = Test::new().example();
    let path = test.path("2026Q4/2026-12-03-其他.toml");
    // A private-use character: no font draws it, and typst alone would print a box.
    let source = fs::read_to_string(&path).unwrap().replace("局机关四楼会议室", "局机关四楼会议室\u{F0001}");
    fs::write(&path, source).unwrap();
    let run = render(test, tools, &["2026Q4/2026-12-03-其他.toml", "-o", "out"]);
    assert_eq!(run.status, 1, "{run}");
    assert!(run.stdout.contains("失败"), "{run}");
    assert!(run.stderr.contains("没有任何字体能显示") && run.stderr.contains("U+F0001"), "{run}");
    assert!(run.stderr.contains("01-会议通知.typ") && run.stderr.contains("--font-path"), "{run}");
    // A broken PDF is not written.
    assert!(!run.path("out/2026-12-03-其他/00-全套.pdf").exists(), "{run}");
}

#[test]
fn no_chinese_font_is_a_clear_error_before_compiling() {
    let Some(tools) = tools() else { return };
    let empty = tempfile::tempdir().unwrap();
    let fonts = empty.path().to_str().unwrap();
    // Asked for PDF: it stops before writing anything, and says how to get a font.
    let run = render(
        Test::new().example(),
        tools,
        &["2026Q4", "-o", "out", "--format", "pdf", "--ignore-system-fonts", "--font-path", fonts],
    );
    assert_eq!(run.status, 2, "{run}");
    for fix in ["apt install fonts-noto-cjk", "Windows 和 macOS 自带中文字体", "--font-path"] {
        assert!(run.stderr.contains(fix), "missing {fix:?}\n{run}");
    }
    assert!(!run.path("out").exists(), "{run}");
    // By default PDF is skipped, in one line, and the rest is written.
    let run =
        render(Test::new().example(), tools, &["2026Q4", "-o", "out", "--ignore-system-fonts", "--font-path", fonts]);
    assert_eq!(run.status, 0, "{run}");
    let notes: Vec<&str> = run.stdout.lines().filter(|l| l.contains("PDF")).collect();
    assert_eq!(notes.len(), 1, "{run}");
    assert!(notes[0].contains("中文字体") && notes[0].contains("fonts-noto-cjk"), "{run}");
    assert!(run.path("out/2026-11-05-支部党员大会/01-会议通知.typ").is_file());
    assert!(run.path("out/2026-11-05-支部党员大会/01-会议通知.md").is_file());
    assert!(!run.path("out/2026-11-05-支部党员大会/00-全套.pdf").exists());
    // pdb doctor says the same.
    let doctor = Test::new()
        .args(&["doctor", "--typst", tools.typst.to_str().unwrap(), "--ignore-system-fonts", "--font-path", fonts])
        .run();
    assert_eq!(doctor.status, 1, "{doctor}");
    assert!(doctor.stdout.contains("apt install fonts-noto-cjk"), "{doctor}");
}

#[test]
fn doctor_names_typst_and_the_fonts_of_each_role() {
    let Some(tools) = tools() else { return };
    let run = Test::new().args(&["doctor", "--typst", tools.typst.to_str().unwrap()]).run();
    assert_eq!(run.status, 0, "{run}");
    assert!(run.stdout.contains(&format!("typst：{}", tools.typst.display())), "{run}");
    assert!(run.stdout.contains("支持 0.13–0.15"), "{run}");
    let version = pdb::typst::locate(Some(&tools.typst)).unwrap().version;
    let bundles = if version >= pdb::typst::BUNDLE_SINCE { "合并编译：可以" } else { "合并编译：不能" };
    assert!(run.stdout.contains(bundles), "{run}");
    for role in ["仿宋：", "宋体：", "黑体：", "楷体：", "标题："] {
        assert!(run.stdout.contains(role), "missing {role}\n{run}");
    }
    assert!(run.stdout.contains("结论：可以生成 PDF"), "{run}");
}

/// These run everywhere: they need no typst.
#[test]
fn without_typst_pdf_is_skipped_in_one_line_unless_asked_for() {
    let empty_path = tempfile::tempdir().unwrap();
    let path = empty_path.path().to_str().unwrap();
    let run = Test::new().example().args(&["render", "2026Q4", "-o", "out", "--today", TODAY]).env("PATH", path).run();
    assert_eq!(run.status, 0, "{run}");
    let notes: Vec<&str> = run.stdout.lines().filter(|l| l.contains("PDF")).collect();
    assert_eq!(notes, ["PDF 未生成：找不到 typst（安装：cargo install --locked typst-cli）"], "{run}");
    assert!(only_findings(&run.stderr), "{run}");
    assert!(run.path("out/2026-11-05-支部党员大会/01-会议通知.typ").is_file());
    assert!(!run.path("out/2026-11-05-支部党员大会/00-全套.typ").exists());

    let run = Test::new().example().args(&["render", "2026Q4", "-o", "out", "--format", "pdf"]).env("PATH", path).run();
    assert_eq!(run.status, 2, "{run}");
    assert!(run.stderr.contains("cargo install --locked typst-cli"), "{run}");
    assert!(!run.path("out").exists(), "{run}");

    // PDB_TYPST=none turns PDF off without a word; --typst names a program that must exist.
    let run = Test::new().example().args(&["render", "2026Q4", "-o", "out"]).env("PDB_TYPST", "none").run();
    assert_eq!(run.status, 0, "{run}");
    assert!(!run.stdout.contains("PDF"), "{run}");
    // A --typst that does not work is a usage error (issue 10), not a note.
    let run = Test::new().example().args(&["render", "2026Q4", "-o", "out", "--typst", "no/such/typst"]).run();
    assert_eq!(run.status, 2, "{run}");
    assert!(run.stderr.contains("--typst 指定的 typst 程序不存在：no/such/typst"), "{run}");
    assert!(!run.path("out").exists(), "{run}");
}

#[test]
fn a_pdf_changed_by_hand_is_kept() {
    let Some(tools) = tools() else { return };
    let run = render(Test::new().example(), tools, &["2026Q4/2026-12-03-其他.toml", "-o", "out", "--format", "pdf"]);
    assert_eq!(run.status, 0, "{run}");
    let pdf = run.path("out/2026-12-03-其他/00-全套.pdf");
    let mut signed = fs::read(&pdf).unwrap();
    signed.extend_from_slice(b"\n% signed\n");
    fs::write(&pdf, &signed).unwrap();
    // Unchanged inputs leave the folder alone; a change to the activity makes pdb write again.
    let activity = run.path("2026Q4/2026-12-03-其他.toml");
    let text = fs::read_to_string(&activity).unwrap();
    fs::write(&activity, format!("{text}\n# 改过\n")).unwrap();
    let again = render(run.again(), tools, &["2026Q4/2026-12-03-其他.toml", "-o", "out", "--format", "pdf"]);
    assert_eq!(again.status, 1, "{again}");
    assert!(again.stderr.contains("--force"), "{again}");
    assert_eq!(fs::read(again.path("out/2026-12-03-其他/00-全套.pdf")).unwrap(), signed);
}
