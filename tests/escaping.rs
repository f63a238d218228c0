//! Hostile text in every kind of field comes out literally, in Markdown and in Typst (compiled
//! to PDF when typst is installed): markup characters, comments, list markers at a line start,
//! Typst code, HTML, and line breaks (a single newline inside Chinese text is no space; a blank
//! line is a paragraph break).

use std::path::Path;
use std::process::Command;

use crate::common::tools::{have, PDFTOTEXT, TYPST};
use crate::common::{markdown_text, Output, Test, BRANCH};

/// Every Typst and Markdown special character, comments, code, HTML and entities, on one line.
const HOSTILE: &str = r#"#read("/etc/passwd") $x^2$ *粗体* _斜体_ `代码` <b>x</b> <!-- 注 --> @标签 [链接](http://a.b) ~波浪 \反斜杠 /斜杠 =等号 -减号 +加号 // 注释 /* 块注释 */ | ! & ( ) { } . &amp; 'q' "dq" -- --- ... 1. a\b"#;

/// One-line value of a field: its marker, then the hostile text.
fn line(marker: &str) -> String {
    format!("【{marker}】{HOSTILE}")
}

/// A multi-line value: a soft line break inside Chinese text, then paragraphs that each start
/// with something that is markup at the start of a line, each tagged with the field's marker.
fn text(marker: &str) -> String {
    let m = format!("【{marker}】");
    format!(
        "{m}第一行\n第二行\n\n1. 数字加点开头{m}\n\n- 减号开头{m}\n\n+ 加号开头{m}\n\n= 等号开头{m}\n\n# 井号开头{m}\n\n\
         > 大于号开头{m}\n\n#read(\"/etc/passwd\"){m}\n\n    缩进四格{m}\n\n```围栏{m}```\n\n| 表 | 格{m} |\n\n\
         {m}English line one\nline two\n\n{m}{HOSTILE}\n"
    )
}

/// What [`text`] must read as: one entry per paragraph, soft breaks joined.
fn paragraphs(marker: &str) -> Vec<String> {
    let m = format!("【{marker}】");
    vec![
        format!("{m}第一行第二行"),
        format!("1. 数字加点开头{m}"),
        format!("- 减号开头{m}"),
        format!("+ 加号开头{m}"),
        format!("= 等号开头{m}"),
        format!("# 井号开头{m}"),
        format!("> 大于号开头{m}"),
        format!("#read(\"/etc/passwd\"){m}"),
        format!("缩进四格{m}"),
        format!("```围栏{m}```"),
        format!("| 表 | 格{m} |"),
        format!("{m}English line one line two"),
        format!("{m}{HOSTILE}"),
    ]
}

/// A TOML basic string.
fn q(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

const GUEST: &str = "【列席】<b>孙</b>*丽*_[x]_";
const MEMBER: &str = "【党员】李#四*_[甲]<i>";

fn branch() -> String {
    let named = BRANCH
        .replace(
            "name   = \"中共某某县卫生健康局机关第一支部委员会\"",
            &format!("name   = {}", q(&format!("中共{}委员会", line("支部")))),
        )
        .replace("short  = \"机关第一党支部\"\n", "");
    assert_ne!(named, BRANCH);
    format!("{named}\n[[members]]\nname = {}\n", q(MEMBER))
}

fn activity() -> String {
    format!(
        "kind     = \"支部党员大会\"\n\
         title    = {title}\n\
         date     = 2026-11-05\n\
         start    = 14:30:00\n\
         end      = 16:00:00\n\
         location = {location}\n\
         host     = \"张建国\"\n\
         recorder = {member}\n\
         theme    = {theme}\n\
         attendees_note = {note}\n\
         notice_date = 2026-11-01\n\n\
         [attendance]\n\
         absent = [ {{ name = \"赵强\", reason = {reason} }} ]\n\
         guests = [ {{ name = {guest}, title = {guest_title} }} ]\n\n\
         [[agenda]]\n\
         title     = {agenda}\n\
         presenter = {guest}\n\
         notes     = {notes}\n\
         speeches  = [ {{ speaker = {member}, text = {speech} }} ]\n\n\
         [[decisions]]\n\
         text   = {decision}\n\
         agenda = 1\n\
         votes  = {{ yes = 12, no = 0, abstain = 0 }}\n\n\
         [[photos]]\n\
         file    = \"photos/p.png\"\n\
         caption = {caption}\n\n\
         [summary]\n\
         text = {summary}\n\n\
         [[reflections]]\n\
         author = \"王芳\"\n\
         text   = {reflection}\n",
        title = q(&line("标题")),
        location = q(&line("地点")),
        member = q(MEMBER),
        theme = q(&line("主题")),
        note = q(&line("说明")),
        reason = q(&line("事由")),
        guest = q(GUEST),
        guest_title = q(&line("职务")),
        agenda = q(&line("议程")),
        notes = q(&text("要点")),
        speech = q(&text("发言")),
        decision = q(&text("决议")),
        caption = q(&line("照片")),
        summary = q(&text("纪要")),
        reflection = q(&text("心得")),
    )
}

/// A valid 1×1 PNG, so that typst can place it.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\nIDAT\x78\x9c\x63\x00\x01\x00\x00\x05\x00\x01\x0d\x0a\x2d\xb4\x00\x00\x00\x00IEND\xaeB`\x82";

const DIR: &str = "out/a";

fn render() -> Output {
    let out = Test::new()
        .branch(&branch())
        .file("a.toml", &activity())
        .bytes("photos/p.png", PNG)
        .args(&["render", "--format", "markdown,typst", "-o", "out", "a.toml"])
        .run();
    // Nothing in the record breaks a rule: no finding to muddle the test.
    out.assert_clean();
    out
}

enum Field {
    /// A one-line value, by its marker.
    Line(&'static str),
    /// A multi-line value ([`text`]), by its marker.
    Text(&'static str),
    /// A literal value.
    Exact(&'static str),
}

/// Each field, and the documents (by number) that must show it.
const FIELDS: &[(Field, &[&str])] = &[
    (Field::Line("标题"), &["01", "02", "03", "04", "05", "06", "07"]),
    (Field::Line("地点"), &["01", "02", "04", "05"]),
    (Field::Line("主题"), &["02", "05"]),
    (Field::Line("议程"), &["01", "02", "03", "05"]),
    (Field::Text("要点"), &["05"]),
    (Field::Text("发言"), &["05"]),
    (Field::Text("决议"), &["05", "03"]),
    (Field::Exact(GUEST), &["03", "05"]),
    (Field::Line("职务"), &["03", "05"]),
    (Field::Line("事由"), &["04", "05"]),
    (Field::Line("说明"), &["05"]),
    (Field::Line("照片"), &["06"]),
    (Field::Text("纪要"), &["07"]),
    (Field::Text("心得"), &["08"]),
    (Field::Line("支部"), &["01"]),
    (Field::Exact(MEMBER), &["04", "05"]),
];

/// The document of `out/a` whose name starts with `number`, in `extension`.
fn document(out: &Output, number: &str, extension: &str) -> std::path::PathBuf {
    let found: Vec<_> = out
        .files(DIR, extension)
        .into_iter()
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(&format!("{number}-")))
        .collect();
    assert_eq!(found.len(), 1, "one {number}-*.{extension} expected, found {found:?}\n{out}");
    found.into_iter().next().unwrap()
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

/// Every string `field` must show, and for multi-line fields the paragraph that must start a
/// line of its own.
fn expected(field: &Field) -> (Vec<String>, Option<String>) {
    match field {
        Field::Line(marker) => (vec![line(marker)], None),
        Field::Text(marker) => (paragraphs(marker), Some(paragraphs(marker)[1].clone())),
        Field::Exact(value) => (vec![value.to_string()], None),
    }
}

#[test]
fn hostile_text_reads_literally_in_markdown() {
    let out = render();
    let mut failures = Vec::new();
    for (field, numbers) in FIELDS {
        let (strings, own_line) = expected(field);
        for number in *numbers {
            let path = document(&out, number, "md");
            let text = markdown_text(&std::fs::read_to_string(&path).unwrap());
            for s in &strings {
                if !text.contains(s.as_str()) {
                    failures.push(format!("{}: missing {s:?}", name(&path)));
                }
            }
            // A blank line is a paragraph break: the second paragraph starts a line.
            if let (Some(start), [first, ..]) = (&own_line, numbers) {
                if number == first && !text.lines().any(|l| l.starts_with(start.as_str())) {
                    failures.push(format!("{}: {start:?} does not start a paragraph", name(&path)));
                }
            }
        }
    }
    // A soft line break inside Chinese text is no space, in any document.
    for path in out.files(DIR, "md") {
        let text = markdown_text(&std::fs::read_to_string(&path).unwrap());
        for bad in ["第一行 第二行", "第一行\n第二行"] {
            if text.contains(bad) {
                failures.push(format!("{}: {bad:?}", name(&path)));
            }
        }
    }
    assert!(failures.is_empty(), "{}\n\n{}", failures.join("\n"), dump(&out, "md"));
}

/// The text of a PDF, by pdftotext in content-stream order (`-layout` would interleave a
/// table's label column with the lines of a long value beside it).
fn pdf_text(pdf: &Path) -> String {
    let output = Command::new("pdftotext").arg("-raw").arg(pdf).arg("-").output().expect("pdftotext runs");
    assert!(output.status.success(), "pdftotext failed on {}", pdf.display());
    let text = String::from_utf8(output.stdout).expect("pdftotext writes UTF-8");
    // Page numbers (— 1 —) land in the middle of text that runs over a page break.
    text.lines().filter(|l| !is_page_number(l)).collect::<Vec<_>>().join("\n")
}

fn is_page_number(line: &str) -> bool {
    let inner = line.trim().trim_start_matches('—').trim_end_matches('—').trim();
    line.trim().starts_with('—') && !inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit())
}

fn without_whitespace(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn hostile_text_reads_literally_in_typst() {
    let out = render();
    let mut failures = Vec::new();
    // The Typst source itself: soft breaks joined. (The raw text may appear inside a string
    // literal, e.g. `#set document(title: "…")`, so markup is checked in the PDF below.)
    for path in out.files(DIR, "typ") {
        let source = std::fs::read_to_string(&path).unwrap();
        for bad in ["第一行\n第二行", "第一行 第二行"] {
            if source.contains(bad) {
                failures.push(format!("{}: soft line break kept as {bad:?} in the source", name(&path)));
            }
        }
    }
    for (field, _) in FIELDS {
        if let Field::Text(marker) = field {
            let joined = format!("【{marker}】第一行第二行");
            if !out.files(DIR, "typ").iter().any(|p| std::fs::read_to_string(p).unwrap().contains(&joined)) {
                failures.push(format!("no .typ has {joined:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}\n\n{}", failures.join("\n"), dump(&out, "typ"));

    if !have(&[TYPST, PDFTOTEXT], "the PDF part of this test") {
        return;
    }
    let pdf_dir = out.path("pdf");
    std::fs::create_dir_all(&pdf_dir).unwrap();
    let root = out.path(DIR);
    let mut texts = std::collections::BTreeMap::new();
    for path in out.files(DIR, "typ") {
        let pdf = pdf_dir.join(name(&path).replace(".typ", ".pdf"));
        let result = Command::new("typst")
            .arg("compile")
            .arg("--root")
            .arg(&root)
            .arg(&path)
            .arg(&pdf)
            .current_dir(&root)
            .output()
            .expect("typst runs");
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert!(result.status.success(), "typst failed on {}:\n{stderr}", name(&path));
        // Missing glyphs make a broken PDF.
        assert!(!stderr.contains("no font could be found"), "{}:\n{stderr}", name(&path));
        texts.insert(name(&path), without_whitespace(&pdf_text(&pdf)));
    }
    for (field, numbers) in FIELDS {
        let (strings, _) = expected(field);
        for number in *numbers {
            let (file, text) = texts
                .iter()
                .find(|(f, _)| f.starts_with(&format!("{number}-")))
                .unwrap_or_else(|| panic!("no PDF for document {number}"));
            for s in &strings {
                if !text.contains(&without_whitespace(s)) {
                    failures.push(format!("{file}: missing {s:?}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}\n\n{texts:#?}", failures.join("\n"));
}

/// Every rendered document of one format, for the failure message.
fn dump(out: &Output, extension: &str) -> String {
    out.files(DIR, extension)
        .iter()
        .map(|p| format!("===== {}\n{}", name(p), std::fs::read_to_string(p).unwrap()))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn hostile_text_in_diagnostics_is_quoted_not_interpreted() {
    // A name that is not on the roster, full of markup, is quoted as it was written.
    let activity = activity().replace("host     = \"张建国\"", &format!("host     = {}", q(GUEST)));
    let out = Test::new()
        .branch(&branch())
        .file("a.toml", &activity)
        .bytes("photos/p.png", PNG)
        .args(&["check", "a.toml"])
        .run();
    out.assert_status(1);
    assert!(out.stderr.contains(&format!("主持人“{GUEST}”不在党员名册中")), "{out}");
}
