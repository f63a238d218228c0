//! `pdb render DIR` as a batch: good and bad files side by side, the `--json` report, the
//! incremental re-run (checked by the outputs' modification times), hand edits, interrupted
//! runs, the mirrored output tree, `.pdbignore`, `--shard` with `pdb index`, `--period`, and the
//! ledger of each branch.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::SystemTime;

use crate::common::{header, Output, Test, BRANCH};
use serde_json::Value;

mod ledgers;

/// A valid activity of `kind` on `date`, everyone present.
fn activity(kind: &str, date: &str) -> String {
    let mut text = header(kind).replace("2026-11-05", date);
    if kind == "党小组会" {
        text.push_str("group = \"第一党小组\"\n");
    }
    text.push_str("\n[attendance]\nabsent = []\n");
    text
}

/// Renders Typst and Markdown (never PDF: the same files on every machine) with a JSON report.
const RENDER: [&str; 8] = ["render", "-o", "out", "--format", "typst,markdown", "--json", "--today", "2026-11-22"];

fn args<'a>(base: &[&'a str], more: &[&'a str]) -> Vec<&'a str> {
    base.iter().chain(more).copied().collect()
}

fn json(out: &Output) -> Value {
    serde_json::from_str(&out.stdout).unwrap_or_else(|e| panic!("stdout is not one JSON report ({e})\n{out}"))
}

/// Each activity's status in the JSON report, by input path.
fn statuses(out: &Output) -> BTreeMap<String, String> {
    json(out)["activities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["input"].as_str().unwrap().to_string(), a["status"].as_str().unwrap().to_string()))
        .collect()
}

fn status_map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// Every file under `out/` (manifests included) and its modification time.
fn mtimes(out: &Output) -> BTreeMap<String, SystemTime> {
    let root = out.path("out");
    walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let name = e.path().strip_prefix(&root).unwrap().to_string_lossy().into_owned();
            (name, e.metadata().unwrap().modified().unwrap())
        })
        .collect()
}

/// A quarter of one branch: three good activities in `q4/`.
fn quarter() -> Test {
    Test::new()
        .file("q4/branch.toml", BRANCH)
        .file("q4/2026-10-09-支委会.toml", &activity("支委会", "2026-10-09"))
        .file("q4/2026-10-20-党小组会.toml", &activity("党小组会", "2026-10-20"))
        .file("q4/2026-11-05-党课.toml", &activity("党课", "2026-11-05"))
}

// ---------------------------------------------------------------------------------------------
// Good and bad files together

#[test]
fn a_batch_renders_every_good_activity_and_reports_each_bad_one_with_its_place() {
    let unknown_host = activity("党课", "2026-11-12").replace("host     = \"张建国\"", "host     = \"张三\"");
    let syntax =
        activity("党课", "2026-11-19").replace("location = \"局机关三楼会议室\"", "location = 局机关三楼会议室");
    let out = quarter()
        .file("q4/2026-11-12-党课.toml", &unknown_host)
        .file("q4/2026-11-19-党课.toml", &syntax)
        .args(&args(&RENDER, &["q4"]))
        .run();
    out.assert_status(1);
    assert_eq!(out.stderr, "", "--json prints nothing else\n{out}");
    let report = json(&out);
    assert_eq!(
        statuses(&out),
        status_map(&[
            ("q4/2026-10-09-支委会.toml", "rendered"),
            ("q4/2026-10-20-党小组会.toml", "rendered"),
            ("q4/2026-11-05-党课.toml", "rendered"),
            ("q4/2026-11-12-党课.toml", "failed"),
            ("q4/2026-11-19-党课.toml", "failed"),
        ])
    );
    let activities = report["activities"].as_array().unwrap();
    let by_input = |input: &str| activities.iter().find(|a| a["input"] == input).unwrap();
    let host = &by_input("q4/2026-11-12-党课.toml")["errors"][0];
    assert_eq!(
        (host["file"].as_str(), host["line"].as_u64(), host["column"].as_u64()),
        (Some("q4/2026-11-12-党课.toml"), Some(6), Some(12))
    );
    assert_eq!((host["field"].as_str(), host["label"].as_str()), (Some("host"), Some("主持人")));
    assert!(host["message"].as_str().unwrap().contains("“张三”不在党员名册中"), "{host}");
    assert!(host["help"].as_str().unwrap().contains("[[members]]"), "{host}");
    let toml = &by_input("q4/2026-11-19-党课.toml")["errors"][0];
    assert_eq!((toml["line"].as_u64(), toml["column"].as_u64()), (Some(5), Some(12)), "{toml}");
    assert_eq!(toml["message"].as_str(), Some("文字没有用英文双引号括起来"), "{toml}");
    // The good ones are written, the bad ones not at all.
    assert!(out.path("out/2026-11-05-党课/01-活动通知.md").is_file());
    assert!(!out.path("out/2026-11-12-党课").exists());
    assert_eq!(report["activities"][0]["output"], "out/2026-10-09-支委会");
    let files = report["activities"][0]["files"].as_array().unwrap();
    assert!(files.iter().any(|f| f == "out/2026-10-09-支委会/05-会议记录.md"), "{files:?}");
    let totals = &report["totals"];
    assert_eq!(
        (totals["activities"].as_u64(), totals["rendered"].as_u64(), totals["failed"].as_u64()),
        (Some(5), Some(3), Some(2))
    );
}

#[test]
fn the_summary_line_counts_rendered_unchanged_failed_and_findings() {
    let bad = activity("党课", "2026-11-12").replace("host     = \"张建国\"", "host     = \"张三\"");
    let out = quarter()
        .file("q4/2026-11-12-党课.toml", &bad)
        .args(&["render", "q4", "-o", "out", "--format", "markdown", "--today", "2026-10-01"])
        .run();
    out.assert_status(1);
    assert!(out.stdout.contains("生成 q4/2026-10-09-支委会.toml → out/2026-10-09-支委会\n"), "{out}");
    assert!(out.stdout.contains("失败 q4/2026-11-12-党课.toml（1 处错误）\n"), "{out}");
    // No month has ended on 2026-10-01: the 3 findings are the held activities dated after it.
    assert!(out.stdout.ends_with("共 4 个活动：生成 3 个，未变 0 个，失败 1 个，发现 3 项\n"), "{out}");
    assert_eq!(out.stderr.matches("记录为已召开，但日期在今天之后").count(), 3, "{out}");
    assert!(out.stderr.contains("--> q4/2026-11-12-党课.toml:6:12"), "{out}");
    // Again: the good ones are unchanged (said with -v only), the bad one fails again.
    let again = out.then(&["render", "q4", "-o", "out", "--format", "markdown", "--today", "2026-10-01"]);
    assert!(!again.stdout.contains("未变 q4/2026-10-09"), "{again}");
    assert!(again.stdout.ends_with("共 4 个活动：生成 0 个，未变 3 个，失败 1 个，发现 3 项\n"), "{again}");
    let verbose = again.then(&["render", "q4", "-o", "out", "--format", "markdown", "--today", "2026-10-01", "-v"]);
    assert!(verbose.stdout.contains("未变 q4/2026-10-09-支委会.toml → out/2026-10-09-支委会\n"), "{verbose}");
    let quiet = verbose.then(&["render", "q4", "-o", "out", "--format", "markdown", "--today", "2026-10-01", "-q"]);
    assert_eq!(
        quiet.stdout,
        "失败 q4/2026-11-12-党课.toml（1 处错误）\n共 4 个活动：生成 0 个，未变 3 个，失败 1 个，发现 3 项\n",
        "{quiet}"
    );
}

// ---------------------------------------------------------------------------------------------
// Incremental

#[test]
fn a_second_run_changes_nothing() {
    let first = quarter().args(&args(&RENDER, &["q4"])).run();
    first.assert_status(0);
    let before = mtimes(&first);
    assert!(
        before.contains_key("台账.md") && before.contains_key("2026-10-09-支委会/.pdb-manifest.json"),
        "{before:?}"
    );
    let second = first.then(&args(&RENDER, &["q4"]));
    second.assert_status(0);
    assert_eq!(mtimes(&second), before, "no file was written again");
    assert_eq!(
        statuses(&second),
        status_map(&[
            ("q4/2026-10-09-支委会.toml", "unchanged"),
            ("q4/2026-10-20-党小组会.toml", "unchanged"),
            ("q4/2026-11-05-党课.toml", "unchanged"),
        ])
    );
    let report = json(&second);
    assert_eq!(report["branches"][0]["ledger"]["status"], "unchanged");
    // The unchanged activities still list their files.
    assert!(report["activities"][2]["files"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f == "out/2026-11-05-党课/01-活动通知.md"));
}

#[test]
fn editing_one_activity_renders_only_that_one() {
    let first = quarter().args(&args(&RENDER, &["q4"])).run();
    let before = mtimes(&first);
    first.write(
        "q4/2026-11-05-党课.toml",
        &activity("党课", "2026-11-05").replace("局机关三楼会议室", "局机关五楼会议室"),
    );
    let second = first.then(&args(&RENDER, &["q4"]));
    second.assert_status(0);
    assert_eq!(
        statuses(&second),
        status_map(&[
            ("q4/2026-10-09-支委会.toml", "unchanged"),
            ("q4/2026-10-20-党小组会.toml", "unchanged"),
            ("q4/2026-11-05-党课.toml", "rendered"),
        ])
    );
    let after = mtimes(&second);
    let changed: Vec<&String> =
        after.iter().filter(|(name, time)| before.get(*name) != Some(time)).map(|(n, _)| n).collect();
    // The ledger shows each activity's 地点, so it (and its folder's manifest) changes with it; the
    // register does not.
    assert!(
        changed
            .iter()
            .all(|n| n.starts_with("2026-11-05-党课/") || n.starts_with("台账.") || *n == ".pdb-manifest.json"),
        "{changed:?}"
    );
    assert!(changed.iter().all(|n| !n.starts_with("党员参加组织生活情况")), "{changed:?}");
    assert!(second.read("out/2026-11-05-党课/01-活动通知.md").contains("局机关五楼会议室"));
}

#[test]
fn a_change_to_branch_toml_renders_its_activities_again_and_no_others() {
    let other = BRANCH.replace("机关第一", "机关第二");
    let first = quarter()
        .file("other/branch.toml", &other)
        .file("other/2026-10-15-党课.toml", &activity("党课", "2026-10-15"))
        .args(&args(&RENDER, &["q4", "other"]))
        .run();
    first.assert_status(0);
    assert_eq!(json(&first)["activities"][3]["output"], "out/other/2026-10-15-党课");
    first.write("q4/branch.toml", &BRANCH.replace("name  = \"周敏\"", "name  = \"周敏敏\""));
    let second = first.then(&args(&RENDER, &["q4", "other"]));
    second.assert_status(0);
    assert_eq!(
        statuses(&second),
        status_map(&[
            ("q4/2026-10-09-支委会.toml", "rendered"),
            ("q4/2026-10-20-党小组会.toml", "rendered"),
            ("q4/2026-11-05-党课.toml", "rendered"),
            ("other/2026-10-15-党课.toml", "unchanged"),
        ])
    );
    assert!(second.read("out/q4/2026-11-05-党课/04-签到表.md").contains("周敏敏"));
}

#[test]
fn force_renders_everything() {
    let first = quarter().args(&args(&RENDER, &["q4"])).run();
    let second = first.then(&args(&RENDER, &["q4", "--force"]));
    assert!(statuses(&second).values().all(|s| s == "rendered"), "{second}");
}

#[test]
fn a_hand_edited_output_is_kept_and_the_error_names_force() {
    let first = quarter().args(&args(&RENDER, &["q4"])).run();
    let minutes = "out/2026-10-09-支委会/05-会议记录.md";
    first.write(minutes, "手工补充的会议记录");
    // Inputs unchanged: the folder is left alone.
    let second = first.then(&args(&RENDER, &["q4"]));
    second.assert_status(0);
    assert_eq!(second.read(minutes), "手工补充的会议记录");
    // The activity changed: pdb would write the folder again, but not over the edit.
    second.write("q4/2026-10-09-支委会.toml", &format!("{}\n# 改过\n", activity("支委会", "2026-10-09")));
    let third = second.then(&args(&RENDER, &["q4"]));
    third.assert_status(1);
    let report = json(&third);
    let error = &report["activities"][0]["errors"][0];
    assert_eq!(error["file"], minutes);
    assert!(
        error["message"].as_str().unwrap().contains("手工修改")
            && error["message"].as_str().unwrap().contains("--force"),
        "{error}"
    );
    assert!(error["help"].as_str().unwrap().contains("--force"), "{error}");
    assert_eq!(third.read(minutes), "手工补充的会议记录");
    assert_eq!(report["activities"][1]["status"], "unchanged");
    let forced = third.then(&args(&RENDER, &["q4", "--force"]));
    forced.assert_status(0);
    assert!(forced.read(minutes).contains("会议记录"));
    assert_ne!(forced.read(minutes), "手工补充的会议记录");
}

// ---------------------------------------------------------------------------------------------
// Interrupted runs

#[test]
fn a_missing_output_or_a_manifest_without_fingerprint_is_repaired() {
    let first = quarter().args(&args(&RENDER, &["q4"])).run();
    let notice = first.read("out/2026-11-05-党课/01-活动通知.typ");
    // A file lost (or never written) since: that activity is written again.
    fs::remove_file(first.path("out/2026-11-05-党课/01-活动通知.typ")).unwrap();
    // A run killed after the outputs, before the manifest's last write: no fingerprint.
    let manifest = first.path("out/2026-10-09-支委会/.pdb-manifest.json");
    let mut json_manifest: Value = serde_json::from_str(&fs::read_to_string(&manifest).unwrap()).unwrap();
    json_manifest.as_object_mut().unwrap().remove("fingerprint");
    fs::write(&manifest, serde_json::to_string(&json_manifest).unwrap()).unwrap();
    let second = first.then(&args(&RENDER, &["q4"]));
    second.assert_status(0);
    assert_eq!(
        statuses(&second),
        status_map(&[
            ("q4/2026-10-09-支委会.toml", "rendered"),
            ("q4/2026-10-20-党小组会.toml", "unchanged"),
            ("q4/2026-11-05-党课.toml", "rendered"),
        ])
    );
    assert_eq!(second.read("out/2026-11-05-党课/01-活动通知.typ"), notice);
    let third = second.then(&args(&RENDER, &["q4"]));
    assert!(statuses(&third).values().all(|s| s == "unchanged"), "{third}");
}

#[test]
fn a_killed_run_is_repaired_by_the_next() {
    // Enough activities that the kill lands in the middle, whenever it lands.
    let mut test = Test::new().file("q/branch.toml", BRANCH);
    for day in 1..=28 {
        for kind in ["党课", "主题党日", "支委会"] {
            let date = format!("2026-11-{day:02}");
            test = test.file(&format!("q/{date}-{kind}.toml"), &activity(kind, &date));
        }
    }
    let out = test.args(&["check", "q"]).run();
    out.assert_status(0);
    let root = out.dir.path();
    let mut child = Command::new(env!("CARGO_BIN_EXE_pdb"))
        .args(["render", "q", "-o", "out", "--format", "typst,markdown", "-j", "1", "--today", "2026-11-22"])
        .current_dir(root)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait for the first activity's line, then kill.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 1];
    let _ = std::io::Read::read(&mut stdout, &mut first);
    child.kill().unwrap();
    child.wait().unwrap();
    let repaired = out.then(&["render", "q", "-o", "out", "--format", "typst,markdown", "--today", "2026-11-22"]);
    repaired.assert_status(0);
    // The same files, byte for byte, as a run that was never interrupted.
    let clean = repaired.then(&["render", "q", "-o", "clean", "--format", "typst,markdown", "--today", "2026-11-22"]);
    clean.assert_status(0);
    let tree = |dir: &Path| -> BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && e.file_name() != ".pdb-manifest.json")
            .map(|e| (e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned(), fs::read(e.path()).unwrap()))
            .collect()
    };
    let (repaired_tree, clean_tree) = (tree(&clean.path("out")), tree(&clean.path("clean")));
    assert_eq!(repaired_tree.keys().collect::<Vec<_>>(), clean_tree.keys().collect::<Vec<_>>());
    assert!(repaired_tree == clean_tree, "a repaired file differs from a clean run's");
    let again = clean.then(&["render", "q", "-o", "out", "--format", "typst,markdown", "--today", "2026-11-22"]);
    assert!(again.stdout.contains("生成 0 个，未变 84 个，失败 0 个"), "{again}");
}

// ---------------------------------------------------------------------------------------------
// Inputs and the output tree

#[test]
fn the_output_tree_mirrors_the_input_tree() {
    let test = || {
        Test::new()
            .file("county/b1/branch.toml", BRANCH)
            .file("county/b1/2026Q4/2026-11-05-党课.toml", &activity("党课", "2026-11-05"))
            .file("county/b2/branch.toml", &BRANCH.replace("机关第一", "机关第二"))
            .file("county/b2/2026-11-06-党课.toml", &activity("党课", "2026-11-06"))
    };
    let out = test().args(&args(&RENDER, &["county"])).run();
    out.assert_status(0);
    assert!(out.path("out/b1/2026Q4/2026-11-05-党课/01-活动通知.md").is_file());
    assert!(out.path("out/b2/2026-11-06-党课/01-活动通知.md").is_file());
    // Each branch's ledger in the folder that mirrors its branch.toml.
    assert!(out.path("out/b1/台账.md").is_file() && out.path("out/b2/台账.md").is_file(), "{out}");
    // A folder input is its own root; a file's root is its folder.
    let out = test().args(&args(&RENDER, &["county/b1/2026Q4"])).run();
    assert!(out.path("out/2026-11-05-党课/01-活动通知.md").is_file());
    assert!(out.path("out/台账.md").is_file(), "branch.toml above the input: the ledger goes to the output root");
    let out =
        test().args(&args(&RENDER, &["county/b1/2026Q4/2026-11-05-党课.toml", "county/b2/2026-11-06-党课.toml"])).run();
    assert!(out.path("out/b1/2026Q4/2026-11-05-党课/01-活动通知.md").is_file());
    assert!(out.path("out/b2/2026-11-06-党课/01-活动通知.md").is_file());
}

#[test]
fn two_inputs_for_one_output_folder_do_not_overwrite_each_other() {
    let out =
        quarter().file("q4/2026-11-05-党课.TOML", &activity("党课", "2026-11-06")).args(&args(&RENDER, &["q4"])).run();
    out.assert_status(1);
    let report = json(&out);
    let second =
        report["activities"].as_array().unwrap().iter().find(|a| a["input"] == "q4/2026-11-05-党课.toml").unwrap();
    assert_eq!(second["status"], "failed");
    assert!(second["errors"][0]["message"].as_str().unwrap().contains("q4/2026-11-05-党课.TOML"), "{second}");
    assert!(out.read("out/2026-11-05-党课/01-活动通知.md").contains("2026年11月6日"), "the first one's documents stay");
}

#[test]
fn pdbignore_leaves_files_and_folders_out() {
    let out = quarter()
        .file("q4/.pdbignore", "草稿/\n*-备份.toml\n")
        .file("q4/草稿/2026-11-20-党课.toml", "这不是 TOML")
        .file("q4/2026-11-05-党课-备份.toml", "这也不是")
        .file("q4/sub/.pdbignore", "!keep-备份.toml\nold.toml\n")
        .file("q4/sub/keep-备份.toml", &activity("党课", "2026-11-21"))
        .file("q4/sub/old.toml", "旧文件")
        .args(&args(&RENDER, &["q4"]))
        .run();
    out.assert_status(0);
    assert_eq!(
        statuses(&out).keys().cloned().collect::<Vec<_>>(),
        [
            "q4/2026-10-09-支委会.toml",
            "q4/2026-10-20-党小组会.toml",
            "q4/2026-11-05-党课.toml",
            "q4/sub/keep-备份.toml"
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// --shard, pdb index, --period

#[test]
fn two_shards_cover_every_activity_once_and_index_builds_the_ledger() {
    let mut test = Test::new().file("q/branch.toml", BRANCH);
    for day in 1..=20 {
        let date = format!("2026-10-{day:02}");
        test = test.file(&format!("q/{date}-党课.toml"), &activity("党课", &date));
    }
    let out = test.args(&args(&RENDER, &["q", "--shard", "1/2"])).run();
    out.assert_status(0);
    let first: Vec<String> = statuses(&out).into_keys().collect();
    assert!(json(&out)["branches"].as_array().unwrap().is_empty(), "no ledger from a shard");
    let out = out.then(&args(&RENDER, &["q", "--shard", "2/2"]));
    let second: Vec<String> = statuses(&out).into_keys().collect();
    assert!(!first.is_empty() && !second.is_empty(), "{first:?} {second:?}");
    assert!(first.iter().all(|a| !second.contains(a)), "{first:?} {second:?}");
    assert_eq!(first.len() + second.len(), 20);
    assert!(!out.path("out/台账.md").exists());
    // The same split on another run.
    let again = out.then(&args(&RENDER, &["q", "--shard", "1/2"]));
    assert_eq!(statuses(&again).into_keys().collect::<Vec<_>>(), first);
    assert!(statuses(&again).values().all(|s| s == "unchanged"));
    // pdb index: every row from the manifests, and the ledger.
    let index =
        again.then(&["index", "q", "-o", "out", "--format", "typst,markdown", "--json", "--today", "2026-11-22"]);
    index.assert_status(0);
    assert!(statuses(&index).values().all(|s| s == "unchanged"), "{index}");
    let ledger = index.read("out/台账.md");
    for day in [1, 20] {
        assert!(ledger.contains(&format!("2026-10-{day:02}-党课")), "the ledger links every activity: {ledger}");
    }
    assert_eq!(json(&index)["branches"][0]["activities"], 20);
}

#[test]
fn period_takes_only_the_activities_within_it() {
    let out = quarter().args(&args(&RENDER, &["q4", "--period", "2026-10"])).run();
    out.assert_status(0);
    assert_eq!(
        statuses(&out),
        status_map(&[
            ("q4/2026-10-09-支委会.toml", "rendered"),
            ("q4/2026-10-20-党小组会.toml", "rendered"),
            ("q4/2026-11-05-党课.toml", "skipped"),
        ])
    );
    let totals = &json(&out)["totals"];
    assert_eq!((totals["activities"].as_u64(), totals["skipped"].as_u64()), (Some(2), Some(1)));
    assert!(!out.path("out/2026-11-05-党课").exists());
    assert!(!out.read("out/台账.md").contains("2026-11-05"));
    // A broken file outside the period is not part of the run either.
    out.write("q4/2026-12-01-党课.toml", &activity("党课", "2026-12-01").replace("\"张建国\"", "\"张三\""));
    let text = out.then(&[
        "render",
        "q4",
        "-o",
        "out",
        "--format",
        "typst,markdown",
        "--period",
        "2026-10",
        "--today",
        "2026-11-22",
    ]);
    text.assert_status(0);
    assert!(text.stdout.contains("共 2 个活动：生成 0 个，未变 2 个，失败 0 个，发现"), "{text}");
    assert!(text.stdout.contains("（另有 2 个不在2026年10月内，未处理）"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// Findings across activities, replayed when unchanged

#[test]
fn an_admission_without_an_earlier_committee_is_a_finding_on_every_run() {
    let congress = format!(
        "{}\n[[decisions]]\ntext  = \"同意接收李明同志为中共预备党员\"\nkind  = \"admission\"\nvotes = {{ yes = 12, no = 0, abstain = 0 }}\nmethod = \"无记名投票\"\n",
        activity("支部党员大会", "2026-10-08")
    );
    let first =
        quarter().file("q4/2026-10-08-支部党员大会.toml", &congress).args(&args(&RENDER, &["q4", "--strict"])).run();
    first.assert_status(3);
    let finding = |out: &Output| {
        let report = json(out);
        let congress = report["activities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["input"] == "q4/2026-10-08-支部党员大会.toml")
            .unwrap()
            .clone();
        congress["findings"][0].clone()
    };
    let before = finding(&first);
    assert!(before["message"].as_str().unwrap().contains("接收预备党员须先经支委会研究"), "{before}");
    assert_eq!((before["line"].as_u64(), before["column"].as_u64()), (Some(12), Some(1)), "{before}");
    let second = first.then(&args(&RENDER, &["q4", "--strict"]));
    second.assert_status(3);
    assert_eq!(statuses(&second)["q4/2026-10-08-支部党员大会.toml"], "unchanged");
    assert_eq!(finding(&second), before);
    // The human report quotes the line, as on the first run.
    let text = second.then(&["render", "q4", "-o", "out", "--format", "typst,markdown", "--today", "2026-11-22"]);
    assert!(
        text.stdout.contains("未变 q4/2026-10-08-支部党员大会.toml → out/2026-10-08-支部党员大会（发现 1 项）"),
        "{text}"
    );
    assert!(text.stderr.contains("--> q4/2026-10-08-支部党员大会.toml:12:1\n"), "{text}");
    assert!(text.stderr.contains("[[decisions]]"), "{text}");
    // With the 支委会 moved before it, the finding goes.
    text.write("q4/2026-10-09-支委会.toml", &activity("支委会", "2026-10-02"));
    let fixed = text.then(&args(&RENDER, &["q4", "--strict"]));
    assert_eq!(statuses(&fixed)["q4/2026-10-08-支部党员大会.toml"], "unchanged");
    assert_eq!(finding(&fixed), Value::Null);
}
