//! Escaping input text so that it comes out literally, in Typst markup and in CommonMark.
//!
//! Both formats treat a single newline as a space, which would put a stray space between two
//! Chinese characters. So text is first split into paragraphs at blank lines, and the lines of a
//! paragraph are joined: with nothing between CJK characters, with one space between Latin words.

use std::io::{self, Write};

/// Paragraphs of a text, each with its soft line breaks joined.
pub fn paragraphs(text: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n");
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.split('\n') {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        if let (Some(last), Some(first)) = (current.chars().last(), line.chars().next()) {
            if !(is_wide(last) || is_wide(first)) {
                current.push(' ');
            }
        }
        current.push_str(line);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Characters between which a line break means nothing: CJK ideographs, kana, full-width forms and
/// CJK punctuation.
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x9FFF | 0xA960..=0xA97F | 0xAC00..=0xD7FF | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
        || matches!(c, '—' | '…' | '“' | '”' | '‘' | '’' | '·')
}

/// Typst markup: every ASCII punctuation character is escaped with a backslash, which Typst
/// reads as the literal character. That covers `# $ * _ \` < > @ [ ] ~ \ / = - +`, comments,
/// smart quotes and list markers such as `1.` at a line start, in one rule.
pub fn typst(input: &str, out: &mut dyn Write) -> io::Result<()> {
    backslash_punctuation(input, out)
}

/// CommonMark: every ASCII punctuation character may be backslash-escaped, and is.
pub fn markdown(input: &str, out: &mut dyn Write) -> io::Result<()> {
    backslash_punctuation(input, out)
}

/// Paragraphs separated by a blank line, with each ASCII punctuation character escaped.
fn backslash_punctuation(input: &str, out: &mut dyn Write) -> io::Result<()> {
    let mut buf = String::with_capacity(input.len() + 16);
    for (i, paragraph) in paragraphs(input).iter().enumerate() {
        if i > 0 {
            buf.push_str("\n\n");
        }
        for c in paragraph.chars() {
            if c.is_ascii_punctuation() {
                buf.push('\\');
            }
            buf.push(c);
        }
    }
    out.write_all(buf.as_bytes())
}

/// A Typst string literal, for values used in code (`#set document(title: …)`, font names).
pub fn typst_string(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + 2);
    out.push('"');
    for c in input.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Collapses paragraphs into one line, for table cells and headings.
pub fn one_line(input: &str) -> String {
    paragraphs(input).join(" ")
}
