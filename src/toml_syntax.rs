//! The toml crate's syntax errors in Chinese, each with the fix that fits it.

use crate::source::SourceFile;

/// Tables that are lists (`[[agenda]]`): written with one pair of brackets, the second one is
/// a "duplicate key".
const ARRAY_TABLES: &[&str] = &["agenda", "decisions", "photos", "reflections", "members"];

/// The message and the fix for a syntax error at `span`.
pub fn explain(message: &str, source: &SourceFile, span: &std::ops::Range<usize>) -> (String, String) {
    let (what, expected) = message.split_once(", expected ").unwrap_or((message, ""));
    let what = what.trim();
    let between = |unit: &str| {
        // "expected day between 01 and 28"
        let rest = expected.strip_prefix(unit)?.trim().strip_prefix("between ")?;
        let (low, high) = rest.split_once(" and ")?;
        Some((low.trim().to_string(), high.trim().to_string()))
    };
    let line = line_at(source, span.start);
    match what {
        "invalid date" => {
            let detail = match (between("day"), between("month")) {
                (Some((_, high)), _) => format!("这个月只有 {} 天", high.trim_start_matches('0')),
                (_, Some(_)) => "月份只能是 01 到 12".to_string(),
                _ => "日期写法不对".to_string(),
            };
            (
                format!("日期不存在：{detail}"),
                "核对年、月、日（例如 2026-02-30 不存在，2 月最多 29 日），写成 2026-11-05 这样的格式，不加引号".into(),
            )
        }
        "invalid time" => {
            let detail = match (between("hour"), between("minute"), between("second")) {
                (Some(_), _, _) => "小时只能是 00 到 23",
                (_, Some(_), _) => "分钟只能是 00 到 59",
                (_, _, Some(_)) => "秒只能是 00 到 59",
                _ => "时间写法不对",
            };
            (format!("时间不存在：{detail}"), "时间用 24 小时制，写成 14:30:00 这样的格式，不加引号".into())
        }
        "duplicate key" => {
            let header = line.trim_start();
            let name = header.trim_start_matches('[').split(']').next().unwrap_or("").trim();
            if ARRAY_TABLES.contains(&name) {
                (
                    format!("[{name}] 写了两次：有多项时每一项都要用两层方括号"),
                    format!("把每个 [{name}] 都改成 [[{name}]]（两层方括号），每个 [[{name}]] 下写一项"),
                )
            } else {
                ("同一项写了两次".into(), "删去其中一处：同一个表里每一项只能写一次（要写多项请用列表 [ … ]）".into())
            }
        }
        "string values must be quoted" => (
            "文字没有用英文双引号括起来".into(),
            "在文字两边加英文双引号，例如 location = \"局机关三楼会议室\"（中文引号“”不行）".into(),
        ),
        "key with no value" | "missing value for key" | "missing assignment between key-value pairs" => (
            "这一项缺少等号或值".into(),
            "每一行写成 键 = 值，例如 location = \"局机关三楼会议室\"；等号是英文的 =".into(),
        ),
        "missing comma between array elements" => {
            ("列表的两项之间缺少逗号".into(), "列表各项之间用英文逗号分开，例如 [ \"张建国\", \"王芳\" ]".into())
        }
        "missing comma between key-value pairs" => (
            "花括号中两项之间缺少逗号".into(),
            "花括号中各项用英文逗号分开，例如 { yes = 11, no = 0, abstain = 1 }".into(),
        ),
        "unclosed array" => ("列表没有结束".into(), "列表要以英文方括号 ] 结束，例如 [ \"张建国\", \"王芳\" ]".into()),
        "unclosed inline table" => (
            "花括号没有结束".into(),
            "花括号中的内容要写在同一行，并以英文 } 结束，例如 { name = \"赵强\", reason = \"出差\" }".into(),
        ),
        "unclosed table" | "unclosed array table" => {
            ("表头没有结束".into(), "表头写成 [attendance] 或 [[agenda]]，方括号要成对".into())
        }
        "invalid basic string" | "invalid literal string" => (
            "文字的引号没有结束".into(),
            "文字要以同样的英文引号结束，并写在同一行；多行文字用三个引号 \"\"\"…\"\"\" 括起来".into(),
        ),
        "missing escaped value" => (
            "反斜杠 \\ 后面的字符不能这样写".into(),
            "双引号文字中反斜杠有特殊含义：要写反斜杠本身请写两个 \\\\，或改用单引号 '…' 括起来".into(),
        ),
        "unexpected key or value" | "unexpected content" => (
            "一行只能写一项".into(),
            "每一项单独写一行（键 = 值）；这一行里可能混进了中文标点（如“，”“；”）或多余的文字，请删去".into(),
        ),
        "unexpected leading zero" => ("数字不能以 0 开头".into(), "去掉开头的 0，例如 yes = 11".into()),
        "carriage return must be followed by newline" => (
            "文件中有单独的回车符（CR）".into(),
            "用记事本打开后“另存为”，编码选 UTF-8 保存；或把这一行重新输入一遍".into(),
        ),
        _ => (
            format!("TOML 格式错误：{what}"),
            "检查这一行：文字要用英文双引号 \"…\" 括起来（中文引号“”不行），键和值之间用 =，方括号和花括号要成对"
                .into(),
        ),
    }
}

fn line_at(source: &SourceFile, offset: usize) -> &str {
    let text = &source.text;
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    text.get(start..end).unwrap_or("")
}
