//! The characters input text may hold (layer 1: the model's names and the diagnostics' terminal
//! escaping both need it). Text reaches Typst, Markdown and (soon) DOCX, whose XML
//! cannot hold most control characters; bidi controls reorder what a reader sees without being
//! seen. Both are refused at input, with the code point. Line breaks of every kind (CR, CRLF,
//! U+2028) mean what `\n` means, and U+2029 is a paragraph break.

use std::borrow::Cow;

/// Bidi embeddings, overrides and isolates (U+202A–202E, U+2066–2069) and the invisible
/// direction marks (U+200E, U+200F, U+061C).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// A character no text field may hold: a control character other than tab and line breaks, a
/// bidi control, or a noncharacter XML refuses (U+FFFE, U+FFFF).
pub fn is_forbidden(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || is_bidi_control(c) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// Invisible characters that make two names look the same: zero-width spaces and joiners,
/// the word joiner, a BOM inside text, the soft hyphen.
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}') || is_forbidden(c)
}

/// How a forbidden character is named in a message: `U+000B（垂直制表符）`.
pub fn describe(c: char) -> String {
    let name = match c {
        '\u{0}' => "空字符",
        '\u{B}' => "垂直制表符，常见于从 Word 复制的文字",
        '\u{C}' => "换页符",
        '\u{1B}' => "终端转义符",
        '\u{7F}' => "删除符",
        '\u{200B}' => "零宽空格",
        '\u{200C}' | '\u{200D}' => "零宽连接符",
        '\u{2060}' => "零宽不换行符",
        '\u{FEFF}' => "零宽不换行空格（BOM）",
        '\u{00AD}' => "软连字符",
        c if is_bidi_control(c) => "文字方向控制符，会让文字显示的顺序与实际不同",
        '\u{FFFE}' | '\u{FFFF}' => "非字符",
        _ => "控制字符",
    };
    format!("U+{:04X}（{name}）", c as u32)
}

/// `\r\n`, a lone `\r` and U+2028 become `\n`; U+2029 becomes a blank line.
pub fn normalize_breaks(text: &str) -> Cow<'_, str> {
    if !text.contains(['\r', '\u{2028}', '\u{2029}']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\u{2028}' => out.push('\n'),
            '\u{2029}' => out.push_str("\n\n"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_break_is_a_newline() {
        assert_eq!(normalize_breaks("a\rb\r\nc\u{2028}d\u{2029}e"), "a\nb\nc\nd\n\ne");
        assert!(matches!(normalize_breaks("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn controls_and_bidi_are_forbidden_but_tab_and_breaks_are_not() {
        for c in ['\u{0}', '\u{B}', '\u{1B}', '\u{85}', '\u{202E}', '\u{2066}', '\u{FFFF}'] {
            assert!(is_forbidden(c), "{c:?}");
        }
        for c in ['\t', '\n', '\r', '中', ' ', '\u{2028}'] {
            assert!(!is_forbidden(c), "{c:?}");
        }
    }
}
