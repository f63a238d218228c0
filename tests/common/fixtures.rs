//! The shared inputs of the tests: a 15-member roster, activity headers, and readers of what pdb
//! writes (Markdown text, numbers after a word, one diagnostic among several).

/// A 15-member roster like the example branch: 5 committee members, two groups, two probationary
/// members (郑丽华, 郭鹏) and one excluded member (黄志刚). So for a meeting of everyone:
/// 应到 14, of whom 12 are 正式 (voting); a 支委会 expects 5.
pub const BRANCH: &str = r#"[branch]
name   = "中共某某县卫生健康局机关第一支部委员会"
short  = "机关第一党支部"
parent = "中共某某县卫生健康局委员会"

[[members]]
name      = "张建国"
role      = "书记"
committee = true
group     = "第一党小组"

[[members]]
name      = "王芳"
role      = "副书记"
committee = true
group     = "第二党小组"

[[members]]
name      = "刘洋"
role      = "组织委员"
committee = true
group     = "第一党小组"

[[members]]
name      = "陈静"
role      = "宣传委员"
committee = true
group     = "第二党小组"

[[members]]
name      = "赵强"
role      = "纪检委员"
committee = true
group     = "第一党小组"

[[members]]
name         = "孙伟"
group        = "第一党小组"
group_leader = true

[[members]]
name  = "周敏"
group = "第一党小组"

[[members]]
name  = "吴磊"
group = "第一党小组"

[[members]]
name   = "郑丽华"
status = "预备党员"
group  = "第一党小组"

[[members]]
name         = "何婷"
group        = "第二党小组"
group_leader = true

[[members]]
name  = "马俊"
group = "第二党小组"

[[members]]
name  = "林晓燕"
group = "第二党小组"

[[members]]
name   = "郭鹏"
status = "probationary"
group  = "第二党小组"

[[members]]
name  = "徐文博"
group = "第二党小组"

[[members]]
name     = "黄志刚"
group    = "第二党小组"
excluded = "长期病休"
"#;

/// Every member of [`BRANCH`] in roster order; the example's branch.toml has the same fifteen.
pub const ROSTER: [&str; 15] = [
    "张建国",
    "王芳",
    "刘洋",
    "陈静",
    "赵强",
    "孙伟",
    "周敏",
    "吴磊",
    "郑丽华",
    "何婷",
    "马俊",
    "林晓燕",
    "郭鹏",
    "徐文博",
    "黄志刚",
];

/// Every member of [`BRANCH`] that counts toward 应到 at a meeting of everyone, in roster order:
/// the [`ROSTER`] but its last, 黄志刚 (excluded).
pub const EXPECTED: [&str; 14] = *ROSTER.first_chunk().unwrap();

/// The first lines of a valid activity of `kind`; tests append the part they are about.
pub fn header(kind: &str) -> String {
    format!(
        "kind     = \"{kind}\"\n\
         date     = 2026-11-05\n\
         start    = 14:30:00\n\
         end      = 16:00:00\n\
         location = \"局机关三楼会议室\"\n\
         host     = \"张建国\"\n\
         recorder = \"王芳\"\n"
    )
}

/// The activity with `[attendance]` appended (everyone came) unless it records attendance
/// already: a held activity without it is a finding, which tests about other things do not want.
pub fn attended(activity: &str) -> String {
    if activity.contains("[attendance]") {
        activity.to_string()
    } else {
        format!("{activity}\n[attendance]\nabsent = []\n")
    }
}

/// A TOML array of names: `[ "张建国", "王芳" ]`.
pub fn names(list: &[&str]) -> String {
    let quoted: Vec<String> = list.iter().map(|n| format!("\"{n}\"")).collect();
    format!("[ {} ]", quoted.join(", "))
}

/// Only the `错误`/`发现` blocks of stderr that mention `needle`, for asserting one diagnostic
/// among several.
pub fn diagnostic_containing<'a>(stderr: &'a str, needle: &str) -> Option<&'a str> {
    stderr.split("\n\n").find(|block| block.contains(needle))
}

/// The text a reader of a Markdown document sees: the text events of pulldown-cmark (GitHub's
/// extensions on), one line per block or table cell. Raw HTML is not text, so `<b>` written by
/// the user but passed through unescaped does not show up here.
pub fn markdown_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser, TagEnd};
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS | Options::ENABLE_FOOTNOTES;
    let mut out = String::new();
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Text(text) | Event::Code(text) => out.push_str(&text),
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell | TagEnd::CodeBlock,
            ) => out.push('\n'),
            _ => {}
        }
    }
    out
}

/// Every number written right after `word` (optionally after a colon), e.g. the 14 of `应到：14人`
/// or `应到14人`; `应到会有表决权的正式党员12人` does not count.
pub fn numbers_after(text: &str, word: &str) -> Vec<u32> {
    text.match_indices(word)
        .filter_map(|(i, _)| {
            let rest = text[i + word.len()..].trim_start_matches(['：', ':', ' ', '\u{3000}']);
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .collect()
}
