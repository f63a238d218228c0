//! Issue 10: nothing stale, nothing hung, nothing corrupted, whatever the input or the fault.
//! One test per bug and weakness, a property test of the escaping, and a kill test.
//!
//! PDF runs use a fake typst (a shell script, [`fake_typst`]) where the real one is not needed:
//! its "PDF" is the Typst source it was given, so a test can read what a PDF would show.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

mod property;
mod weaknesses;

pub(super) const TODAY: &str = "2026-12-31";

/// A typst stand-in: answers `--version` and `fonts`, and "compiles" by printing `%PDF-fake`
/// and the source (the file the source on stdin includes). It makes no bundles, so pdb's probe
/// finds it cannot and compiles one PDF per process. `FAKE_TYPST_SLOW` (text): sleeps 30 s on a source that contains it.
/// `FAKE_TYPST_VERSION_SLEEP`: sleeps that long before answering `--version`.
const FAKE_TYPST: &str = r#"#!/bin/sh
case "$1" in
  --version)
    [ -n "$FAKE_TYPST_VERSION_SLEEP" ] && sleep "$FAKE_TYPST_VERSION_SLEEP"
    echo "typst 0.15.1 (fake)";;
  fonts)
    echo "Noto Serif CJK SC"; echo "Noto Sans CJK SC";;
  compile)
    for last; do :; done
    # the input is the argument before the last ("-")
    input=""; prev=""
    for a; do input="$prev"; prev="$a"; done
    # from typst 0.15 pdb gives the source on stdin: `#include "<file>"` after the date
    if [ "$input" = "-" ]; then input=$(sed -n 's/^#include "\(.*\)"$/\1/p'); fi
    if [ -n "$FAKE_TYPST_SLOW" ] && grep -q "$FAKE_TYPST_SLOW" "$input"; then sleep 30; fi
    if [ -f 06-影像资料.typ ] && grep -q 'photo-.*\.svg' 06-影像资料.typ; then
      echo "06-影像资料.typ:16:3: error: failed to parse SVG (missing root node)" >&2; exit 1
    fi
    printf '%%PDF-fake\n'; cat "$input";;
  *) exit 1;;
esac
"#;

pub(super) fn fake_typst(test: Test) -> Test {
    let test = test.file("bin/typst", FAKE_TYPST);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(test.path("bin/typst"), fs::Permissions::from_mode(0o755)).unwrap();
    }
    test
}

pub(super) fn committee() -> String {
    format!("{}[attendance]\nabsent = []\n\n[[agenda]]\ntitle = \"传达学习\"\n", header("支委会"))
}

/// Every file name in a folder, sorted (the manifest included).
pub(super) fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

pub(super) fn manifest_names(dir: &Path) -> Vec<String> {
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join(".pdb-manifest.json")).unwrap()).unwrap();
    json["files"].as_object().unwrap().keys().cloned().collect()
}

// ---- 1. Stale outputs ----

#[test]
fn split_then_unsplit_leaves_no_pdf_that_disagrees() {
    let test = fake_typst(Test::new().branch(BRANCH).file("a.toml", &committee()));
    let run = test.args(&["render", "a.toml", "-o", "out", "--typst", "bin/typst", "--split"]).run();
    run.assert_status(0);
    assert!(run.read("out/a/01-会议通知.pdf").contains("局机关三楼会议室"), "{run}");
    run.write("a.toml", &committee().replace("局机关三楼会议室", "新会议室"));
    let again = run.again().args(&["render", "a.toml", "-o", "out", "--typst", "bin/typst"]).run();
    again.assert_status(0);
    // The packet shows the new place; the split PDF that showed the old one is gone.
    assert!(
        again.read("out/a/00-全套.pdf").contains("新会议室")
            || again.read("out/a/01-会议通知.typ").contains("新会议室")
    );
    assert!(!again.path("out/a/01-会议通知.pdf").exists(), "{again}");
    assert!(!manifest_names(&again.path("out/a")).iter().any(|n| n == "01-会议通知.pdf"));
}

#[test]
fn without_typst_the_old_packet_pdf_goes() {
    let test = fake_typst(Test::new().branch(BRANCH).file("a.toml", &committee()));
    let run = test.args(&["render", "a.toml", "-o", "out", "--typst", "bin/typst"]).run();
    run.assert_status(0);
    assert!(run.path("out/a/00-全套.pdf").is_file());
    run.write("a.toml", &committee().replace("局机关三楼会议室", "新会议室"));
    let again = run.again().env("PDB_TYPST", "none").args(&["render", "a.toml", "-o", "out"]).run();
    again.assert_status(0);
    assert!(again.read("out/a/01-会议通知.md").contains("新会议室"));
    assert!(!again.path("out/a/00-全套.pdf").exists(), "{again}");
    assert!(!again.path("out/a/00-全套.typ").exists(), "{again}");
}

#[test]
fn a_meeting_switched_to_planned_loses_its_minutes() {
    let run = Test::new().branch(BRANCH).file("a.toml", &committee()).args(&["render", "a.toml", "-o", "out"]).run();
    run.assert_status(0);
    assert!(run.path("out/a/05-会议记录.md").is_file());
    let planned = committee().replace("[attendance]\nabsent = []\n", "").replacen("kind", "status = \"计划\"\nkind", 1);
    run.write("a.toml", &planned);
    let again = run.then(&["render", "a.toml", "-o", "out"]);
    again.assert_status(0);
    let left = listing(&again.path("out/a"));
    assert!(!left.iter().any(|n| n.starts_with("05-") || n.starts_with("07-")), "{left:?}\n{again}");
    assert!(left.iter().any(|n| n.starts_with("01-会议通知")), "{left:?}");
}

#[test]
fn removed_photos_and_reflections_take_their_documents_and_copies_along() {
    let with = format!(
        "{}[[photos]]\nfile = \"p/1.jpg\"\ncaption = \"合影\"\n\n[[reflections]]\nauthor = \"王芳\"\ntext = \"体会\"\n",
        committee()
    );
    let run = Test::new()
        .branch(BRANCH)
        .file("a.toml", &with)
        .jpeg("p/1.jpg")
        .args(&["render", "a.toml", "-o", "out"])
        .env("PDB_TYPST", "none")
        .run();
    run.assert_status(0);
    let before = listing(&run.path("out/a"));
    assert!(before.iter().any(|n| n.starts_with("06-")) && before.iter().any(|n| n.starts_with("08-")), "{before:?}");
    assert!(before.iter().any(|n| n.ends_with(".jpg")), "{before:?}");
    // A file pdb never wrote stays.
    run.write("out/a/我的笔记.txt", "自己的");
    run.write("a.toml", &committee());
    let again = run.then(&["render", "a.toml", "-o", "out"]);
    again.assert_status(0);
    let after = listing(&again.path("out/a"));
    assert!(!after.iter().any(|n| n.starts_with("06-") || n.starts_with("08-") || n.ends_with(".jpg")), "{after:?}");
    assert!(after.contains(&"我的笔记.txt".to_string()));
    let listed = manifest_names(&again.path("out/a"));
    assert!(!listed.iter().any(|n| n.starts_with("06-") || n.starts_with("08-") || n.ends_with(".jpg")), "{listed:?}");
}

#[test]
fn a_hand_edited_output_no_longer_produced_is_kept_and_reported() {
    let with = format!("{}[[reflections]]\nauthor = \"王芳\"\ntext = \"体会\"\n", committee());
    let run = Test::new().branch(BRANCH).file("a.toml", &with).args(&["render", "a.toml", "-o", "out"]).run();
    run.assert_status(0);
    run.write("out/a/08-心得体会.md", "手工改过的心得");
    run.write("a.toml", &committee());
    let again = run.then(&["render", "a.toml", "-o", "out"]);
    again.assert_status(0);
    assert_eq!(again.read("out/a/08-心得体会.md"), "手工改过的心得");
    assert!(again.stderr.contains("08-心得体会.md") && again.stderr.contains("手工修改过，所以保留"), "{again}");
}

#[test]
fn files_pdb_never_wrote_are_noted_once_per_folder_and_pdb_own_never() {
    let text = committee();
    let second = committee().replace("2026-11-05", "2026-11-12");
    let test = Test::new().file("q/branch.toml", BRANCH).file("q/a.toml", &text).file("q/b.toml", &second);
    let run = test.args(&["render", "q", "-o", "out"]).env("PDB_TYPST", "none").run();
    run.assert_status(0);
    assert!(run.path("out/台账.md").is_file(), "{run}");
    assert!(!run.stderr.contains("不是 pdb 生成的"), "pdb's own files are never noted\n{run}");
    run.write("out/a/扫描件.pdf", "签字后的扫描件");
    run.write("out/a/我的笔记.txt", "自己的");
    run.write("out/说明.txt", "台账的说明");
    run.write("q/a.toml", &text.replace("局机关三楼会议室", "新会议室"));
    let again = run.then(&["render", "q", "-o", "out"]);
    again.assert_status(0);
    let notes: Vec<&str> = again.stderr.lines().filter(|l| l.contains("不是 pdb 生成的")).collect();
    assert_eq!(
        notes,
        [
            "注意：out/a 中有 2 个文件不是 pdb 生成的，已原样保留：我的笔记.txt、扫描件.pdf",
            "注意：out 中有 1 个文件不是 pdb 生成的，已原样保留：说明.txt",
        ],
        "{again}"
    );
    assert!(!again.stderr.contains("错误"), "a note, not an error\n{again}");
    assert_eq!(again.read("out/a/扫描件.pdf"), "签字后的扫描件");
    assert_eq!(again.read("out/说明.txt"), "台账的说明");
}

// ---- 2. Vote counts ----

#[test]
fn vote_counts_that_would_wrap_around_are_an_error() {
    let text =
        format!("{}[[decisions]]\ntext = \"同意\"\nvotes = {{ yes = 4294967295, no = 1, abstain = 0 }}\n", committee());
    let out = Test::new()
        .branch(BRANCH)
        .file("a.toml", &text)
        .args(&["render", "a.toml", "-o", "out"])
        .env("PDB_TYPST", "none")
        .run();
    out.assert_status(1);
    let error = diagnostic_containing(&out.stderr, "票数").unwrap_or_else(|| panic!("{out}"));
    assert!(error.contains("a.toml:15:9") && error.contains("4294967295"), "{error}");
    assert!(!out.stdout.contains("通过"), "{out}");
    assert!(!out.path("out/a").exists(), "{out}");
}

// ---- 3. Names ----

fn branch_with(extra: &str) -> String {
    format!("{BRANCH}\n{extra}")
}

#[test]
fn names_differing_only_in_white_space_are_one_name() {
    let branch = branch_with("[[members]]\nname = \"张建国 \"\n");
    let out = Test::new().branch(&branch).file("a.toml", &committee()).args(&["check", "a.toml"]).run();
    out.assert_status(1);
    assert!(out.stderr.contains("“张建国”出现了两次"), "{out}");
    // Excel's spaces inside a two-character name, and a trailing space in an activity file.
    let branch = branch_with("[[members]]\nname = \"金  铭\"\ncommittee = true\n");
    let text = committee().replace(
        "absent = []",
        "absent = []\npresent = [\"张建国 \", \"王芳\", \"刘洋\", \"陈静\", \"赵强\", \"金铭\"]",
    );
    let out = Test::new()
        .branch(&branch)
        .file("a.toml", &text)
        .args(&["render", "a.toml", "-o", "out"])
        .env("PDB_TYPST", "none")
        .run();
    out.assert_clean();
    let sheet = markdown_text(&out.read("out/a/04-签到表.md"));
    assert_eq!(sheet.matches("张建国").count(), 1 + sheet.matches("主持人：张建国").count(), "{sheet}");
    assert_eq!(sheet.matches("金铭").count(), 1, "{sheet}");
    assert!(!sheet.contains("金  铭"), "{sheet}");
}

#[test]
fn invisible_characters_and_empty_names_are_refused_with_their_place() {
    let branch = branch_with("[[members]]\nname = \"张三\\u200b\"\n");
    let out = Test::new().branch(&branch).file("a.toml", &committee()).args(&["check", "a.toml"]).run();
    out.assert_status(1);
    assert!(out.stderr.contains("U+200B") && out.stderr.contains("branch.toml:"), "{out}");
    let text = committee().replace("absent = []", "absent = [ { name = \"\", reason = \"出差\" } ]");
    let out = Test::new().branch(BRANCH).file("a.toml", &text).args(&["check", "a.toml"]).run();
    out.assert_status(1);
    let error = diagnostic_containing(&out.stderr, "请假人员姓名是空的").unwrap_or_else(|| panic!("{out}"));
    assert!(error.contains("a.toml:9:"), "{error}");
    let bidi = committee().replace("host     = \"张建国\"", "host     = \"张\\u202E建国\"");
    let out = Test::new().branch(BRANCH).file("a.toml", &bidi).args(&["check", "a.toml"]).run();
    out.assert_status(1);
    assert!(out.stderr.contains("U+202E"), "{out}");
}

#[test]
fn a_name_listed_twice_in_present_is_an_error_like_in_absent() {
    let text = committee().replace("absent = []", "absent = []\npresent = [\"张建国\", \"王芳\", \"张建国\"]");
    let out = Test::new().branch(BRANCH).file("a.toml", &text).args(&["check", "a.toml"]).run();
    out.assert_status(1);
    assert!(out.stderr.contains("“张建国”在实到人员中写了两次"), "{out}");
}

// ---- 4. Lone CR ----

#[test]
fn a_lone_carriage_return_is_a_line_break_not_markdown() {
    let hostile = "内容\\r- 注入的列表项\\r---\\r# 标题\\r后文";
    let text = committee()
        .replace("title = \"传达学习\"", &format!("title = \"传达学习\"\nnotes = \"{hostile}\""))
        .replace("局机关三楼会议室", &format!("会议室{hostile}"));
    let out = Test::new()
        .branch(BRANCH)
        .file("a.toml", &text)
        .args(&["render", "a.toml", "-o", "out"])
        .env("PDB_TYPST", "none")
        .run();
    out.assert_clean();
    for file in out.files("out/a", "md") {
        let md = fs::read_to_string(&file).unwrap();
        let parser = pulldown_cmark::Parser::new_ext(&md, pulldown_cmark::Options::ENABLE_TABLES);
        for event in parser {
            if let pulldown_cmark::Event::Start(tag) = &event {
                let injected = matches!(tag, pulldown_cmark::Tag::List(_) | pulldown_cmark::Tag::Heading { .. })
                    && markdown_text(&md).contains("注入的列表项\n");
                assert!(!injected, "{} became markdown structure:\n{md}", file.display());
            }
            if let pulldown_cmark::Event::Rule = event {
                assert!(!md.contains("\n---\n"), "a rule in {}:\n{md}", file.display());
            }
        }
        assert!(!md.contains('\r'), "{}", file.display());
    }
    let minutes = markdown_text(&out.read("out/a/05-会议记录.md"));
    // One paragraph: the breaks joined as any soft line break is (a space between Latin marks).
    assert!(minutes.contains("\n内容- 注入的列表项--- # 标题后文\n"), "{minutes}");
}

// ---- 5. Killed runs: write-ahead manifest, temporary files ----

#[test]
fn leftover_temporary_files_are_removed() {
    let run = Test::new()
        .branch(BRANCH)
        .file("a.toml", &committee())
        .args(&["render", "a.toml", "-o", "out"])
        .env("PDB_TYPST", "none")
        .run();
    run.assert_status(0);
    run.write("out/a/.tmpAb12Cd", "half");
    run.write("out/a/.pdb-tmp-Xy9876", "half");
    run.write("a.toml", &committee().replace("局机关三楼会议室", "新会议室"));
    let again = run.then(&["render", "a.toml", "-o", "out"]);
    again.assert_status(0);
    let left = listing(&again.path("out/a"));
    assert!(!left.iter().any(|n| n.starts_with(".tmp") || n.starts_with(".pdb-tmp")), "{left:?}");
}

#[test]
fn a_run_killed_between_writing_outputs_and_the_manifest_is_not_hand_editing() {
    // The state a kill -9 leaves after the write-ahead manifest and one renamed file: the file
    // holds the pending hash.
    let run = Test::new()
        .branch(BRANCH)
        .file("a.toml", &committee())
        .args(&["render", "a.toml", "-o", "out"])
        .env("PDB_TYPST", "none")
        .run();
    run.assert_status(0);
    let manifest_path = run.path("out/a/.pdb-manifest.json");
    let mut manifest: serde_json::Value = serde_json::from_str(&fs::read_to_string(&manifest_path).unwrap()).unwrap();
    let new_notice = "新的通知内容";
    let hash = blake3::hash(new_notice.as_bytes()).to_hex().to_string();
    manifest["pending"] = serde_json::json!({ "01-会议通知.md": hash });
    manifest.as_object_mut().unwrap().remove("fingerprint");
    fs::write(&manifest_path, manifest.to_string()).unwrap();
    run.write("out/a/01-会议通知.md", new_notice);
    run.write("a.toml", &committee().replace("局机关三楼会议室", "新会议室"));
    let again = run.then(&["render", "a.toml", "-o", "out"]);
    again.assert_status(0);
    assert!(again.read("out/a/01-会议通知.md").contains("新会议室"), "{again}");
    let manifest = fs::read_to_string(&manifest_path).unwrap();
    assert!(!manifest.contains("pending"), "{manifest}");
}

/// Kill -9 at points spread over a whole run, each followed by an edit and a run that must
/// succeed without --force and leave no temporary file. Bounded: a fixed number of kills.
#[test]
#[cfg(unix)]
fn a_batch_killed_at_any_point_recovers_without_force() {
    let test = Test::new().example();
    let pdb = env!("CARGO_BIN_EXE_pdb");
    let root = test.path("");
    let render = |root: &Path| {
        let mut command = Command::new(pdb);
        command
            .args(["render", "2026Q4", "-o", "out", "-j", "2", "--today", TODAY])
            .current_dir(root)
            .env("PDB_TYPST", "none")
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        command
    };
    // How long a full first run takes here, to spread the kills over it.
    let started = Instant::now();
    let first = render(&root).output().unwrap();
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let full = started.elapsed();
    let activity = root.join("2026Q4/2026-11-05-支部党员大会.toml");
    let original = fs::read_to_string(&activity).unwrap();
    for k in 0..8u32 {
        // Each kill lands in a run that has something to rewrite.
        fs::write(&activity, original.replace("局机关", &format!("局机关{k}号"))).unwrap();
        fs::write(
            root.join("2026Q4/2026-10-09-支委会.toml"),
            fs::read_to_string(root.join("2026Q4/2026-10-09-支委会.toml")).unwrap() + "\n",
        )
        .unwrap();
        let mut child = render(&root).spawn().unwrap();
        std::thread::sleep(full.mul_f64(f64::from(k) / 8.0));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        fs::write(&activity, original.replace("局机关", &format!("局机关改{k}"))).unwrap();
        let next = render(&root).output().unwrap();
        let stderr = String::from_utf8_lossy(&next.stderr);
        assert!(next.status.success(), "after a kill at {k}/8: {stderr}");
        assert!(!stderr.contains("--force"), "{stderr}");
        let temporaries: Vec<PathBuf> = walkdir::WalkDir::new(root.join("out"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| {
                e.file_name().to_string_lossy().starts_with(".pdb-tmp")
                    || e.file_name().to_string_lossy().starts_with(".tmp")
            })
            .map(|e| e.path().to_path_buf())
            .collect();
        assert!(temporaries.is_empty(), "{temporaries:?}");
        let notice = fs::read_to_string(root.join("out/2026-11-05-支部党员大会/01-会议通知.md")).unwrap();
        assert!(notice.contains(&format!("局机关改{k}")), "{notice}");
    }
}

// ---- 6. Photos ----

fn with_photo(file: &str) -> String {
    format!("{}[[photos]]\nfile = \"{file}\"\n", committee())
}

#[test]
#[cfg(unix)]
fn a_photo_that_is_a_device_a_fifo_or_a_folder_is_refused_at_once() {
    let test = Test::new()
        .branch(BRANCH)
        .file("a.toml", &with_photo("p/zero.jpg"))
        .file("b.toml", &with_photo("p/fifo.png"))
        .file("c.toml", &with_photo("p/dir.jpg"));
    fs::create_dir_all(test.path("p/dir.jpg")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", test.path("p/zero.jpg")).unwrap();
    let fifo = Command::new("mkfifo").arg(test.path("p/fifo.png")).status();
    assert!(fifo.is_ok_and(|s| s.success()), "mkfifo");
    let started = Instant::now();
    let out = test.args(&["render", "a.toml", "b.toml", "c.toml", "-o", "out"]).env("PDB_TYPST", "none").run();
    assert!(started.elapsed() < Duration::from_secs(30), "took {:?}", started.elapsed());
    out.assert_status(1);
    assert!(diagnostic_containing(&out.stderr, "zero.jpg").is_some_and(|d| d.contains("特殊文件")), "{out}");
    assert!(diagnostic_containing(&out.stderr, "fifo.png").is_some_and(|d| d.contains("特殊文件")), "{out}");
    assert!(
        diagnostic_containing(&out.stderr, "dir.jpg").is_some_and(|d| d.contains("文件夹") && !d.contains("找不到")),
        "{out}"
    );
}

#[test]
fn a_photo_over_50_mb_is_refused_with_the_limit() {
    let test = Test::new().branch(BRANCH).file("a.toml", &with_photo("p/big.jpg")).jpeg("p/big.jpg");
    fs::OpenOptions::new().write(true).open(test.path("p/big.jpg")).unwrap().set_len(51 * 1024 * 1024).unwrap();
    let out = test.args(&["check", "a.toml"]).run();
    out.assert_status(1);
    let error = diagnostic_containing(&out.stderr, "big.jpg").unwrap_or_else(|| panic!("{out}"));
    assert!(error.contains("50 MB"), "{error}");
}

#[test]
fn a_bad_svg_photo_is_named_not_blamed_on_templates() {
    let test =
        fake_typst(Test::new().branch(BRANCH).file("a.toml", &with_photo("p/bad.svg")).file("p/bad.svg", "<svg"));
    let out = test.args(&["render", "a.toml", "-o", "out", "--typst", "bin/typst"]).run();
    out.assert_status(1);
    assert!(out.stderr.contains("照片“photo-1.svg”无法放进 PDF"), "{out}");
    assert!(!out.stderr.contains("维护者"), "{out}");
}

// ---- 7. Broken pipe ----

#[test]
fn a_closed_stdout_ends_quietly() {
    let test = Test::new().example();
    let mut child = Command::new(env!("CARGO_BIN_EXE_pdb"))
        .args(["render", "2026Q4", "-o", "out", "--today", TODAY])
        .current_dir(test.path(""))
        .env("PDB_TYPST", "none")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // `| head -0`
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(test.path("out/2026-11-05-支部党员大会/05-会议记录.md").is_file(), "the run went on");
}
