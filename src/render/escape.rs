//! Escaping input text so that it comes out literally, in Typst markup and in CommonMark. The
//! only place pdb escapes: templates get it through Tera's autoescape, the packet through
//! [`typst_string`]. Text is first split into paragraphs ([`crate::text::paragraphs`]).

use std::io::{self, Write};

/// Public with the module, for the property tests: what escaping keeps of a text.
pub use crate::text::paragraphs;

/// Typst markup: every ASCII punctuation character is escaped with a backslash, which Typst
/// reads as the literal character. That covers `# $ * _ \` < > @ [ ] ~ \ / = - +`, comments,
/// smart quotes and list markers such as `1.` at a line start, in one rule.
pub fn typst(input: &str, out: &mut dyn Write) -> io::Result<()> {
    backslash_punctuation(input, out)
}

/// CommonMark (with GFM tables): the characters that start inline syntax anywhere are escaped;
/// those that only matter at the start of a line (lists, headings, setext underlines) are
/// escaped there. The rest, such as the `:` of 14:30, stay readable.
pub fn markdown(input: &str, out: &mut dyn Write) -> io::Result<()> {
    write_paragraphs(input, out, |paragraph, buf| {
        let digits = paragraph.chars().take_while(char::is_ascii_digit).count();
        for (i, c) in paragraph.chars().enumerate() {
            let line_start = i == 0 && matches!(c, '-' | '+' | '=' | '>' | '#');
            let list_number = i == digits && digits > 0 && matches!(c, '.' | ')');
            if line_start || list_number || MARKDOWN_INLINE.contains(c) {
                buf.push('\\');
            }
            buf.push(c);
        }
    })
}

/// Inline syntax of CommonMark and GFM: emphasis, code, links, images, HTML, entities, table
/// cells, strikethrough, math, and `#`, which closes an ATX heading.
const MARKDOWN_INLINE: &str = "\\`*_[]<>!&|~$#";

/// Paragraphs separated by a blank line, each written by `escape`.
fn write_paragraphs(input: &str, out: &mut dyn Write, escape: impl Fn(&str, &mut String)) -> io::Result<()> {
    let mut buf = String::with_capacity(input.len() + 16);
    for (i, paragraph) in paragraphs(input).iter().enumerate() {
        if i > 0 {
            buf.push_str("\n\n");
        }
        escape(paragraph, &mut buf);
    }
    out.write_all(buf.as_bytes())
}

/// Paragraphs separated by a blank line, with each ASCII punctuation character escaped.
fn backslash_punctuation(input: &str, out: &mut dyn Write) -> io::Result<()> {
    write_paragraphs(input, out, |paragraph, buf| {
        for c in paragraph.chars() {
            if c.is_ascii_punctuation() {
                buf.push('\\');
            }
            buf.push(c);
        }
    })
}

/// A Typst string literal, for values used in code (`#set document(title: …)`, font names).
pub fn typst_string(input: &str) -> String {
    let input = crate::chars::normalize_breaks(input);
    let mut out = String::with_capacity(input.len() + 2);
    out.push('"');
    for c in input.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typst_of(text: &str) -> String {
        let mut out = Vec::new();
        typst(text, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_blank_line_separates_paragraphs() {
        assert_eq!(typst_of("第一段\r\n\r\n第二段"), "第一段\n\n第二段");
    }

    #[test]
    fn every_typst_markup_character_is_escaped() {
        assert_eq!(typst_of("#read(\"/etc/passwd\")"), "\\#read\\(\\\"\\/etc\\/passwd\\\"\\)");
        assert_eq!(
            typst_of("1. $x$ *b* _i_ `c` <l> @r [a] ~ \\ = - + // /*"),
            "1\\. \\$x\\$ \\*b\\* \\_i\\_ \\`c\\` \\<l\\> \\@r \\[a\\] \\~ \\\\ \\= \\- \\+ \\/\\/ \\/\\*"
        );
    }

    #[test]
    fn markdown_escapes_syntax_but_keeps_times_readable() {
        let md = |text: &str| {
            let mut out = Vec::new();
            markdown(text, &mut out).unwrap();
            String::from_utf8(out).unwrap()
        };
        assert_eq!(md("14:30—16:00 photo-1.jpg"), "14:30—16:00 photo-1.jpg");
        assert_eq!(md("1. 第一"), "1\\. 第一");
        assert_eq!(md("- a | b *c* <b>"), "\\- a \\| b \\*c\\* \\<b\\>");
        assert_eq!(md("# 标题"), "\\# 标题");
    }

    #[test]
    fn typst_string_literals_escape_quotes_and_backslashes() {
        assert_eq!(typst_string("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
    }
}
