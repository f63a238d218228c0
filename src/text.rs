//! Text as pdb writes it, whatever the output format: the blank of a missing fact, paragraphs
//! and one-line text without stray spaces between Chinese characters, Chinese numerals, and the
//! line and column of a byte offset.

/// What a missing fact looks like on paper: a line to fill in by hand.
pub const BLANK: &str = "＿＿＿＿";

/// A count not known yet (attendance of a planned activity): a short blank, as in 实到＿＿人.
pub const BLANK_COUNT: &str = "＿＿";

/// Paragraphs of a text, each with its soft line breaks joined.
///
/// Typst and Markdown both treat a single newline as a space, which would put a stray space
/// between two Chinese characters. So text is split into paragraphs at blank lines, and the
/// lines of a paragraph are joined: with nothing between CJK characters, with one space between
/// Latin words.
pub fn paragraphs(text: &str) -> Vec<String> {
    // CommonMark ends a line at a lone CR too: every break is `\n` before anything else.
    let text = crate::chars::normalize_breaks(text);
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

/// Collapses paragraphs into one line, for table cells and headings.
pub fn one_line(input: &str) -> String {
    paragraphs(input).join(" ")
}

/// Characters between which a line break means nothing: CJK ideographs, kana, full-width forms and
/// CJK punctuation.
fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x9FFF | 0xA960..=0xA97F | 0xAC00..=0xD7FF | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
        || matches!(c, '—' | '…' | '“' | '”' | '‘' | '’' | '·')
}

/// 1-based line and column (in characters, as editors count) of a byte offset of `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// Chinese numbering, for items as official documents number them (一、二、…十一、):
/// 1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 105 → 一百零五.
pub fn numeral(n: usize) -> String {
    match n {
        0..=9 => DIGITS[n].to_string(),
        10..=19 => format!("十{}", if n.is_multiple_of(10) { "" } else { DIGITS[n % 10] }),
        20..=99 => format!("{}十{}", DIGITS[n / 10], if n.is_multiple_of(10) { "" } else { DIGITS[n % 10] }),
        100..=999 => {
            let rest = n % 100;
            let tail = match rest {
                0 => String::new(),
                1..=9 => format!("零{}", DIGITS[rest]),
                10..=19 => format!("一{}", numeral(rest)),
                _ => numeral(rest),
            };
            format!("{}百{tail}", DIGITS[n / 100])
        }
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_soft_line_break_between_chinese_characters_disappears() {
        assert_eq!(paragraphs("学习贯彻\n党的二十届四中全会精神"), ["学习贯彻党的二十届四中全会精神"]);
    }

    #[test]
    fn a_soft_line_break_between_latin_words_becomes_one_space() {
        assert_eq!(paragraphs("GB/T\n9704"), ["GB/T 9704"]);
        assert_eq!(paragraphs("第一行\r\n  second"), ["第一行second"]);
    }

    #[test]
    fn a_blank_line_separates_paragraphs() {
        assert_eq!(paragraphs("第一段\n\n\n第二段\n"), ["第一段", "第二段"]);
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(line_column("一二\n三四", 7), (2, 1));
        assert_eq!(line_column("一二\n三四", 10), (2, 2));
        assert_eq!(line_column("一二", 1), (1, 1));
    }

    #[test]
    fn numerals_follow_chinese_usage() {
        let cases = [
            (1, "一"),
            (9, "九"),
            (10, "十"),
            (11, "十一"),
            (19, "十九"),
            (20, "二十"),
            (21, "二十一"),
            (99, "九十九"),
            (100, "一百"),
            (105, "一百零五"),
            (110, "一百一十"),
            (123, "一百二十三"),
        ];
        for (n, expected) in cases {
            assert_eq!(numeral(n), expected, "numeral({n})");
        }
    }
}
