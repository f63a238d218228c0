//! The property test of issue 10: random hostile text through the escaping; and with typst, a
//! sample through every text field into a PDF.

use std::process::Command;

use proptest::prelude::*;

use super::committee;
use crate::common::*;
use pdb::render::escape;

/// Text rich in what Typst, Markdown and HTML read as markup, line breaks of every kind,
/// white space and CJK.
fn hostile() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "#",
        "$",
        "*",
        "_",
        "`",
        "<",
        ">",
        "@",
        "[",
        "]",
        "~",
        "\\",
        "/",
        "=",
        "-",
        "+",
        "|",
        "!",
        "&",
        "(",
        ")",
        "{",
        "}",
        "\"",
        "'",
        ".",
        ":",
        ";",
        "1.",
        "2)",
        "- ",
        "# ",
        "> ",
        "---",
        "***",
        "```",
        "<b>",
        "&amp;",
        "<!--",
        "-->",
        "//",
        "/*",
        "#read(\"/etc/passwd\")",
        "#import",
        "\r",
        "\n",
        "\r\n",
        "\n\n",
        " ",
        "\t",
        "\u{3000}",
        "\u{2028}",
        "\u{2029}",
        "中",
        "国",
        "党",
        "，",
        "。",
        "“",
        "”",
        "—",
        "……",
        "a",
        "Z",
        "9",
    ]);
    prop::collection::vec(pieces, 0..24).prop_map(|parts| parts.concat())
}

/// The text of every block, in order, as a reader sees it.
fn blocks(markdown: &str) -> (Vec<String>, usize) {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut out = Vec::new();
    let mut current = String::new();
    let mut structure = 0;
    let options = pulldown_cmark::Options::ENABLE_TABLES | pulldown_cmark::Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Text(t) => current.push_str(&t),
            Event::SoftBreak | Event::HardBreak => current.push('\n'),
            Event::End(TagEnd::Paragraph) => out.push(std::mem::take(&mut current)),
            Event::Start(Tag::Paragraph) => {}
            // Anything but plain paragraphs and text is structure the input created.
            _ => structure += 1,
        }
    }
    (out, structure)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    /// Markdown parses back to exactly the text: its paragraphs, nothing else.
    #[test]
    fn markdown_parses_back_to_the_text(text in hostile()) {
        let mut out = Vec::new();
        escape::markdown(&text, &mut out).unwrap();
        let markdown = String::from_utf8(out).unwrap();
        let (found, structure) = blocks(&markdown);
        prop_assert_eq!(structure, 0, "{:?} → {:?}", text, markdown);
        prop_assert_eq!(found, escape::paragraphs(&text), "{:?} → {:?}", text, markdown);
    }

    /// The Typst source escapes every markup character: read back, it is the text.
    #[test]
    fn typst_escapes_every_markup_character(text in hostile()) {
        let mut out = Vec::new();
        escape::typst(&text, &mut out).unwrap();
        let source = String::from_utf8(out).unwrap();
        let mut read = String::new();
        let mut chars = source.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                let next = chars.next();
                prop_assert!(next.is_some_and(|n| n.is_ascii_punctuation()), "{:?}", source);
                read.push(next.unwrap());
            } else {
                prop_assert!(!c.is_ascii_punctuation(), "unescaped {:?} in {:?}", c, source);
                prop_assert!(c != '\r' && c != '\u{2028}' && c != '\u{2029}', "{:?}", source);
                read.push(c);
            }
        }
        prop_assert_eq!(read, escape::paragraphs(&text).join("\n\n"));
    }

    /// A Typst string literal holds the text and nothing that ends it early.
    #[test]
    fn typst_strings_are_closed(text in hostile()) {
        let literal = escape::typst_string(&text);
        let inner = &literal[1..literal.len() - 1];
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            prop_assert!(c != '"' && c != '\r' && c != '\n', "{:?}", literal);
            if c == '\\' {
                prop_assert!(matches!(chars.next(), Some('"' | '\\' | 'n' | 't')), "{:?}", literal);
            }
        }
    }
}

/// With typst present: a sample of hostile text through every text field compiles, and
/// pdftotext finds it. Bounded: a few fixed samples.
#[test]
fn hostile_text_in_every_field_compiles_and_reads_back_in_the_pdf() {
    let Some(typst) = tools::typst_path(&[tools::PDFTOTEXT], "the hostile-text PDF sample") else { return };
    let samples = [
        "#read(\"/etc/passwd\") $x$ *粗* _斜_",
        "1. 第一\r- 列表\r---\r# 标题",
        "<b>HTML</b> &amp; `代码` @ref [链接](x)",
    ];
    for sample in samples {
        let toml = sample.replace('\\', "\\\\").replace('"', "\\\"").replace('\r', "\\r");
        let text = committee()
            .replace("局机关三楼会议室", &toml)
            .replace("title = \"传达学习\"", &format!("title = \"{toml}\"\nnotes = \"{toml}\""))
            .replace(
                "[attendance]\nabsent = []",
                &format!("[attendance]\nabsent = []\nguests = [ {{ name = \"{toml}\" }} ]"),
            )
            .replacen("kind", &format!("title = \"{toml}\"\nkind"), 1);
        let out = Test::new()
            .branch(BRANCH)
            .file("a.toml", &text)
            .args(&["render", "a.toml", "-o", "out", "--typst", typst.to_str().unwrap(), "--pdf-standard", "1.7"])
            .run();
        out.assert_status(0);
        let pdf = out.path("out/a/00-全套.pdf");
        let text = Command::new("pdftotext").arg(&pdf).arg("-").output().unwrap();
        let found: String = String::from_utf8_lossy(&text.stdout).split_whitespace().collect();
        for word in ["#read", "/etc/passwd", "HTML", "&amp;", "标题", "列表"] {
            if sample.contains(word) {
                assert!(found.contains(word), "{word} not in the PDF of {sample:?}");
            }
        }
    }
}
