//! Person names as they are compared everywhere: a roster, an activity file and (issue 12) an
//! Excel roster must agree on who "张三" is, whatever white space or invisible characters came
//! with the name.

use crate::chars::{describe, is_invisible};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    /// Nothing left after trimming.
    Empty,
    /// A zero-width, bidi or control character: two names that look alike would differ.
    Invisible(char),
}

impl NameError {
    /// What is wrong, for a message that names the field first: "姓名是空的".
    pub fn message(&self) -> String {
        match self {
            NameError::Empty => "是空的".to_string(),
            NameError::Invisible(c) => format!("含有看不见的字符 {}", describe(*c)),
        }
    }

    pub fn help(&self) -> &'static str {
        match self {
            NameError::Empty => "写上姓名，或删去这一项",
            NameError::Invisible(_) => "删去这个字符：把姓名重新输入一遍（不要从网页或 Word 中复制），保存后再运行",
        }
    }
}

/// The name as compared and printed: trimmed, the spaces that Excel rosters put inside Chinese
/// names removed ("金  铭" is 金铭), runs of space between Latin words made one space.
pub fn normalize(name: &str) -> Result<String, NameError> {
    if let Some(c) = name.chars().find(|&c| is_invisible(c) && !c.is_whitespace()) {
        return Err(NameError::Invisible(c));
    }
    let mut out = String::with_capacity(name.len());
    for part in name.split(char::is_whitespace).filter(|p| !p.is_empty()) {
        if let (Some(last), Some(first)) = (out.chars().last(), part.chars().next()) {
            if !(is_han(last) || is_han(first)) {
                out.push(' ');
            }
        }
        out.push_str(part);
    }
    if out.is_empty() {
        return Err(NameError::Empty);
    }
    Ok(out)
}

/// Han characters and the middle dot of transliterated names (阿依古丽·买买提).
fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF) || c == '·'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space_around_and_inside_chinese_names_goes() {
        assert_eq!(normalize(" 张三 ").unwrap(), "张三");
        assert_eq!(normalize("金  铭").unwrap(), "金铭");
        assert_eq!(normalize("金\u{3000}铭").unwrap(), "金铭");
        assert_eq!(normalize("张\t三\n").unwrap(), "张三");
        assert_eq!(normalize("John   Smith").unwrap(), "John Smith");
        assert_eq!(normalize("阿依古丽 · 买买提").unwrap(), "阿依古丽·买买提");
    }

    #[test]
    fn empty_and_invisible_names_are_refused() {
        assert_eq!(normalize("  "), Err(NameError::Empty));
        assert_eq!(normalize(""), Err(NameError::Empty));
        assert_eq!(normalize("张三\u{200B}"), Err(NameError::Invisible('\u{200B}')));
        assert_eq!(normalize("张\u{202E}三"), Err(NameError::Invisible('\u{202E}')));
        assert_eq!(normalize("张三\u{0}"), Err(NameError::Invisible('\u{0}')));
    }
}
