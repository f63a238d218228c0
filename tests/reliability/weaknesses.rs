//! Issue 10's weaknesses: typst time limits, all errors at once, encodings, characters, names,
//! blanks, symlinks, templates, permissions, dates, reserved names.

use std::fs;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{committee, fake_typst, TODAY};
use crate::common::*;

#[test]
fn a_hanging_typst_is_stopped_and_the_rest_goes_on() {
    let slow = committee().replace("局机关三楼会议室", "慢会议室");
    let test = fake_typst(Test::new().branch(BRANCH).file("a.toml", &slow).file("b.toml", &committee()));
    let started = Instant::now();
    let out = test
        .args(&["render", "a.toml", "b.toml", "-o", "out", "--typst", "bin/typst", "--typst-timeout", "2"])
        .env("FAKE_TYPST_SLOW", "慢会议室")
        .run();
    assert!(started.elapsed() < Duration::from_secs(25), "{:?}", started.elapsed());
    out.assert_status(1);
    assert!(out.stderr.contains("typst 超时：2 秒内没有完成") && out.stderr.contains("--typst-timeout"), "{out}");
    assert!(out.path("out/b/00-全套.pdf").is_file(), "{out}");
    assert!(!out.path("out/a/00-全套.pdf").exists(), "{out}");
}

#[test]
fn the_timeout_covers_typst_version() {
    let test = fake_typst(Test::new().branch(BRANCH).file("a.toml", &committee()));
    let started = Instant::now();
    let out = test
        .args(&["render", "a.toml", "-o", "out", "--typst", "bin/typst", "--typst-timeout", "1"])
        .env("FAKE_TYPST_VERSION_SLEEP", "30")
        .run();
    assert!(started.elapsed() < Duration::from_secs(20), "{:?}", started.elapsed());
    out.assert_status(2);
    assert!(out.stderr.contains("超时"), "{out}");
}

#[test]
fn a_broken_typst_named_on_the_command_line_is_a_usage_error() {
    let out = Test::new()
        .branch(BRANCH)
        .file("a.toml", &committee())
        .file("bin/typst", "not a program")
        .args(&["render", "a.toml", "-o", "out", "--typst", "bin/typst"])
        .run();
    out.assert_status(2);
    assert!(out.stderr.starts_with("错误：无法运行 typst"), "{out}");
    assert!(!out.stderr.contains("错误：错误"), "{out}");
}

#[test]
fn a_broken_template_is_not_错误_twice() {
    let out = Test::new()
        .branch(BRANCH)
        .file("a.toml", &committee())
        .file("t/typst/notice.typ", "{% if %}")
        .args(&["render", "a.toml", "-o", "out", "--templates", "t"])
        .env("PDB_TYPST", "none")
        .run();
    out.assert_status(2);
    assert!(!out.stderr.contains("错误：错误"), "{out}");
}

#[test]
fn a_very_long_title_is_a_finding() {
    let title = "很长的标题".repeat(50);
    let text = committee().replacen("kind", &format!("title = \"{title}\"\nkind"), 1);
    let out = Test::new().branch(BRANCH).file("a.toml", &text).args(&["check", "a.toml"]).run();
    out.assert_status(0);
    assert!(out.stderr.contains("标题有 250 个字，超过 200 个字") && out.stderr.contains("a.toml:1:1"), "{out}");
}

#[test]
fn every_independent_error_of_a_file_comes_at_once_in_line_order() {
    let text = committee()
        .replace("end      = 16:00:00", "end      = \"16:00\"\ncolour   = \"red\"")
        .replace("absent = []", "absent = []\npresent = [\"张建国\", \"王五\"]");
    let out = Test::new().branch(BRANCH).file("a.toml", &text).args(&["check", "a.toml"]).run();
    out.assert_status(1);
    let places: Vec<&str> = out.stderr.lines().filter_map(|l| l.trim().strip_prefix("--> ")).collect();
    assert_eq!(places.len(), 3, "{out}");
    assert!(places[0] == "a.toml:4:12" && places[1] == "a.toml:5:1" && places[2].starts_with("a.toml:11:"), "{out}");
    assert_eq!(places.len(), 3, "{out}");
    assert!(out.stdout.contains("（3 处错误）"), "{out}");
    assert!(
        out.stderr.contains("应为时间") && out.stderr.contains("`colour`") && out.stderr.contains("“王五”"),
        "{out}"
    );
}

#[test]
fn every_independent_error_of_a_branch_file_comes_at_once_in_line_order() {
    let branch = format!(
        "{}[rules.\"主题党日\"]\nday = \"每周四\"\n",
        BRANCH
            .replacen("parent = ", "parnet = ", 1)
            .replacen("committee = true", "committee = \"是\"", 1)
            .replacen("\"刘洋\"", "\"\"", 1)
            .replacen("\"陈静\"", "\"张建国\"", 1)
    );
    let rules_line = branch.lines().position(|l| l == "day = \"每周四\"").unwrap() + 1;
    let out = Test::new().branch(&branch).file("a.toml", &committee()).args(&["check", "a.toml"]).run();
    out.assert_status(1);
    let places: Vec<&str> = out.stderr.lines().filter_map(|l| l.trim().strip_prefix("--> ")).collect();
    let rules = format!("branch.toml:{rules_line}:7");
    assert_eq!(
        places,
        ["branch.toml:4:1", "branch.toml:9:13", "branch.toml:19:13", "branch.toml:25:13", rules.as_str()],
        "{out}"
    );
    for message in ["没有 `parnet` 这一项", "应为true 或 false", "党员姓名是空的", "“张建国”出现了两次", "每周的日子"]
    {
        assert!(out.stderr.contains(message), "{message}\n{out}");
    }
    assert!(out.stdout.contains("（5 处错误）"), "{out}");
}

#[test]
fn toml_syntax_errors_are_chinese_each_with_its_own_fix() {
    let cases = [
        ("date     = 2026-11-05", "date     = 2026-02-30", "日期不存在：这个月只有 28 天", "2 月最多 29 日"),
        ("host     = \"张建国\"", "host     = \"张建国\"\nhost = \"王芳\"", "同一项写了两次", "删去其中一处"),
        ("[[agenda]]", "[agenda]\ntitle = \"一\"\n[agenda]", "[agenda] 写了两次", "[[agenda]]"),
    ];
    for (from, to, message, fix) in cases {
        let out =
            Test::new().branch(BRANCH).file("a.toml", &committee().replace(from, to)).args(&["check", "a.toml"]).run();
        out.assert_status(1);
        let error = diagnostic_containing(&out.stderr, message).unwrap_or_else(|| panic!("{message}\n{out}"));
        assert!(error.contains(fix), "{error}");
        assert!(!error.contains("中文引号"), "not the one hint about quotes: {error}");
    }
    let out = Test::new()
        .branch(BRANCH)
        .file(
            "a.toml",
            &format!("{}[[decisions]]\ntext = \"x\"\nvotes = {{ yes = -1, no = 0, abstain = 0 }}\n", committee()),
        )
        .args(&["check", "a.toml"])
        .run();
    assert!(out.stderr.contains("不能是负数") && !out.stderr.contains("integer"), "{out}");
}

#[test]
fn utf16_and_utf32_files_are_named_as_such() {
    let text = committee();
    let utf16le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let with_bom: Vec<u8> = [0xFF, 0xFE].into_iter().chain(utf16le.iter().copied()).collect();
    let utf32be: Vec<u8> = text.chars().flat_map(|c| (c as u32).to_be_bytes()).collect();
    for (bytes, name) in [(with_bom, "UTF-16LE"), (utf16le, "UTF-16LE"), (utf32be, "UTF-32BE")] {
        let out = Test::new().branch(BRANCH).bytes("a.toml", &bytes).args(&["check", "a.toml"]).run();
        out.assert_status(1);
        assert!(out.stderr.contains(&format!("文件是 {name} 编码")), "{name}\n{out}");
        assert!(out.stderr.contains(&format!("iconv -f {name} -t UTF-8")) && !out.stderr.contains("GBK"), "{out}");
    }
}

#[test]
fn control_characters_and_bidi_overrides_are_refused_with_the_code_point() {
    for (escape, code) in [("\\u000B", "U+000B"), ("\\u0000", "U+0000"), ("\\u202E", "U+202E"), ("\\u2066", "U+2066")] {
        let text = committee().replace("title = \"传达学习\"", &format!("title = \"传达{escape}学习\""));
        let out = Test::new()
            .branch(BRANCH)
            .file("a.toml", &text)
            .args(&["render", "a.toml", "-o", "out"])
            .env("PDB_TYPST", "none")
            .run();
        out.assert_status(1);
        let error = diagnostic_containing(&out.stderr, code).unwrap_or_else(|| panic!("{code}\n{out}"));
        assert!(error.contains("a.toml:12:12"), "{error}");
        assert!(!out.path("out/a").exists());
    }
    // U+2028 is a line break, not an error.
    let text = committee().replace("title = \"传达学习\"", "title = \"传达学习\"\nnotes = \"一\\u2028二\"");
    Test::new().branch(BRANCH).file("a.toml", &text).args(&["check", "a.toml"]).run().assert_clean();
}

#[test]
#[cfg(unix)]
fn file_names_with_terminal_escapes_are_printed_escaped() {
    let name = "a\u{1b}]0;pwned\u{7}\nfake.toml";
    let out = Test::new()
        .branch(BRANCH)
        .file(name, &committee())
        .args(&["render", ".", "-o", "out"])
        .env("PDB_TYPST", "none")
        .run();
    out.assert_status(0);
    assert!(!out.stdout.contains('\u{1b}') && !out.stdout.contains('\u{7}'), "{:?}", out.stdout);
    assert!(out.stdout.contains("a\\u{1B}]0;pwned\\u{7}\\u{A}fake.toml"), "{:?}", out.stdout);
}

#[test]
fn blank_values_are_visible_blanks_or_errors() {
    let text = committee().replace("\"局机关三楼会议室\"", "\"  \"").replace("title = \"传达学习\"", "title = \"\"");
    let out = Test::new()
        .branch(BRANCH)
        .file("a.toml", &text)
        .args(&["render", "a.toml", "-o", "out"])
        .env("PDB_TYPST", "none")
        .run();
    out.assert_status(0);
    let notice = markdown_text(&out.read("out/a/01-会议通知.md"));
    assert!(notice.contains("＿＿＿＿"), "{notice}");
    let agenda = markdown_text(&out.read("out/a/02-会议议程.md"));
    assert!(agenda.contains("＿＿＿＿"), "{agenda}");
    let branch = BRANCH.replace("name   = \"中共某某县卫生健康局机关第一支部委员会\"", "name   = \" \"");
    let out = Test::new().branch(&branch).file("a.toml", &committee()).args(&["check", "a.toml"]).run();
    out.assert_status(1);
    assert!(out.stderr.contains("支部全称是空的") && out.stderr.contains("branch.toml:2:"), "{out}");
}

#[test]
#[cfg(unix)]
fn symlinked_activities_are_followed_and_misnamed_templates_warned() {
    let test = Test::new()
        .branch(BRANCH)
        .file("elsewhere/x.toml", &committee().replacen("kind", "branch = \"../branch.toml\"\nkind", 1));
    fs::create_dir_all(test.path("q")).unwrap();
    fs::copy(test.path("branch.toml"), test.path("q/branch.toml")).unwrap();
    std::os::unix::fs::symlink(test.path("elsewhere/x.toml"), test.path("q/x.toml")).unwrap();
    let test = test.file("t/typst/notcie.typ", "x").file("t/Typst/notice.typ", "y");
    let out = test.args(&["render", "q", "-o", "out", "--templates", "t"]).env("PDB_TYPST", "none").run();
    out.assert_status(0);
    assert!(out.path("out/x/01-会议通知.md").is_file(), "{out}");
    assert!(out.stderr.contains("notcie.typ") && out.stderr.contains("您是不是要写 typst/notice.typ"), "{out}");
    assert!(out.stderr.contains("t/Typst/notice.typ"), "{out}");
}

#[test]
#[cfg(unix)]
fn outputs_follow_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let test = Test::new().branch(BRANCH).file("a.toml", &committee());
    for (umask, mode) in [("022", 0o644), ("077", 0o600)] {
        let status = Command::new("sh")
            .arg("-c")
            .arg(format!("umask {umask} && exec \"$0\" render a.toml -o out{umask}"))
            .arg(env!("CARGO_BIN_EXE_pdb"))
            .current_dir(test.path(""))
            .env("PDB_TYPST", "none")
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        let file = test.path(&format!("out{umask}/a/01-会议通知.md"));
        assert_eq!(fs::metadata(&file).unwrap().permissions().mode() & 0o777, mode, "umask {umask}");
    }
}

#[test]
fn dates_before_1921_or_far_ahead_are_located_errors() {
    for date in ["0001-01-01", "1900-05-04", "2206-11-05"] {
        let text = committee().replace("2026-11-05", date);
        let out = Test::new().branch(BRANCH).file("a.toml", &text).args(&["check", "a.toml"]).run();
        out.assert_status(1);
        let error = diagnostic_containing(&out.stderr, "不在 1921 年 7 月 1 日到 2099 年之间")
            .unwrap_or_else(|| panic!("{date}\n{out}"));
        assert!(error.contains("a.toml:2:12"), "{error}");
    }
}

#[test]
fn activity_names_that_are_pdb_own_files_are_refused_clearly() {
    let out = Test::new()
        .branch(BRANCH)
        .file("q/branch.toml", BRANCH)
        .file("q/台账.md.toml", &committee())
        .file("q/b.toml", &committee())
        .args(&["render", "q", "-o", "out", "--today", TODAY])
        .env("PDB_TYPST", "none")
        .run();
    out.assert_status(1);
    assert!(out.stderr.contains("与 pdb 自己的文件（台账、清单）重名"), "{out}");
    assert!(out.path("out/台账.md").is_file(), "the ledger is still written\n{out}");
    assert!(out.path("out/b/01-会议通知.md").is_file());
}
