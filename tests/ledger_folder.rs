//! Two branches whose 台账 land in one output folder (a branch.toml above the inputs' root goes
//! to the output root, beside the root's own branch): each branch's files (台账, its workbook, the
//! register, the 发展党员工作台账) are its own, kept by every run of the other, and a hand edit of
//! one is protected as in an activity's folder; two with the same short name are told apart.

use std::fs;

use crate::common::{header, Output, Test, BRANCH};

/// The example quarter (机关第一党支部, with applicants) and one 支委会 under it that names a
/// second branch above the inputs: both ledgers go to `out/`.
fn two_branches() -> Test {
    Test::new()
        .example()
        .file("b2/branch.toml", &BRANCH.replace("机关第一", "机关第二"))
        .file("2026Q4/第二支部/2026-10-15-支委会.toml", &second("支委会", "2026-10-15"))
        .args(&RENDER)
}

/// An activity of the second branch, everyone present.
fn second(kind: &str, date: &str) -> String {
    let mut text = header(kind).replace("2026-11-05", date);
    text.insert_str(0, "branch = \"../../b2/branch.toml\"\n");
    text.push_str("\n[attendance]\nabsent = []\n");
    text
}

const RENDER: [&str; 7] = ["render", "2026Q4", "-o", "out", "--format", "markdown", "--today=2026-12-01"];

/// The files of each branch in the shared folder.
const FIRST: [&str; 4] = [
    "out/台账-机关第一党支部.md",
    "out/台账-机关第一党支部.xlsx",
    "out/党员参加组织生活情况-机关第一党支部.md",
    "out/发展党员工作台账-机关第一党支部.md",
];
const SECOND: [&str; 3] =
    ["out/台账-机关第二党支部.md", "out/台账-机关第二党支部.xlsx", "out/党员参加组织生活情况-机关第二党支部.md"];

#[track_caller]
fn assert_both_ledgers(out: &Output) {
    for file in FIRST.iter().chain(&SECOND) {
        assert!(out.path(file).is_file(), "{file} is missing\n{out}");
    }
    let first = out.read(FIRST[0]);
    assert!(
        first.starts_with("# 中共某某县卫生健康局机关第一支部委员会") && first.contains("2026年10月9日"),
        "{first}"
    );
    assert!(!first.contains("2026年10月15日"), "the named 支委会 is the second branch's: {first}");
    let second = out.read(SECOND[0]);
    assert!(second.starts_with("# 中共某某县卫生健康局机关第二支部委员会"), "{second}");
    assert!(second.contains("| 1 | 2026年10月15日 | 支委会 |") && !second.contains("2026年10月9日"), "{second}");
    // Neither set is the other's stale file, nor taken for someone else's.
    assert!(!out.stderr.contains("不是 pdb 生成的") && !out.stderr.contains("本次不再生成它"), "{out}");
    assert!(!out.path("out/台账.md").exists(), "{out}");
}

#[test]
fn two_branches_ledgers_in_one_folder_keep_each_others_files() {
    let first = two_branches().run();
    first.assert_status(0);
    assert_both_ledgers(&first);
    // Again, in another order of the threads: nothing is removed, nothing rewritten.
    let again = first.again().args(&RENDER).arg("-j1").run();
    again.assert_status(0);
    assert_both_ledgers(&again);

    // A new activity of the second branch: its ledger is written again, the first one's stays.
    again.write("2026Q4/第二支部/2026-11-12-党课.toml", &second("党课", "2026-11-12"));
    let grown = again.again().args(&RENDER).run();
    grown.assert_status(0);
    assert_both_ledgers(&grown);
    assert!(grown.read(SECOND[0]).contains("| 2 | 2026年11月12日 | 党课 |"), "{grown}");
}

#[test]
fn a_hand_edit_of_one_branchs_ledger_is_kept_and_the_other_branch_is_still_written() {
    let first = two_branches().run();
    first.assert_status(0);
    let edited = format!("{}\n签字：张建国\n", first.read(FIRST[0]));
    first.write(FIRST[0], &edited);
    // The second branch's ledger changes; the first one's is as before, but edited by hand.
    first.write("2026Q4/第二支部/2026-11-12-党课.toml", &second("党课", "2026-11-12"));
    let out = first.again().args(&RENDER).run();
    out.assert_status(1);
    assert_eq!(out.read(FIRST[0]), edited, "{out}");
    assert!(out.stderr.contains("台账-机关第一党支部.md 在上次生成后被手工修改过"), "{out}");
    assert!(out.read(SECOND[0]).contains("| 2 | 2026年11月12日 | 党课 |"), "{out}");
    for file in FIRST.iter().chain(&SECOND) {
        assert!(out.path(file).is_file(), "{file} is missing\n{out}");
    }
    // --force takes the first branch's file back; the second's stay.
    let forced = out.again().args(&RENDER).arg("--force").run();
    forced.assert_status(0);
    assert_ne!(forced.read(FIRST[0]), edited);
    assert_both_ledgers(&forced);
}

/// The first branch's ledger is 台账.md while it is alone in the folder and 台账-机关第一党支部.md
/// once the second branch's ledger joins it: the old name is removed each time, by its owner. A
/// branch no longer in the run keeps its files: a run over part of the inputs removes no ledger
/// of the rest.
#[test]
fn a_ledger_renamed_when_another_branch_joins_its_folder_leaves_no_old_file() {
    let alone =
        Test::new().example().file("b2/branch.toml", &BRANCH.replace("机关第一", "机关第二")).args(&RENDER).run();
    alone.assert_status(0);
    assert!(alone.read("out/台账.md").contains("2026年10月9日"), "{alone}");
    alone.write("2026Q4/第二支部/2026-10-15-支委会.toml", &second("支委会", "2026-10-15"));
    let joined = alone.again().args(&RENDER).run();
    joined.assert_status(0);
    assert_both_ledgers(&joined);
    for name in ["台账.md", "台账.xlsx", "党员参加组织生活情况.md", "发展党员工作台账.md"] {
        assert!(!joined.path(&format!("out/{name}")).exists(), "{name} stays\n{joined}");
    }
    fs::remove_dir_all(joined.path("2026Q4/第二支部")).unwrap();
    let left = joined.again().args(&RENDER).run();
    left.assert_status(0);
    assert!(left.read("out/台账.md").contains("2026年10月9日"), "{left}");
    for file in FIRST {
        assert!(!left.path(file).exists(), "{file} stays\n{left}");
    }
    for file in SECOND {
        assert!(left.path(file).is_file(), "{file} is the second branch's, not in this run\n{left}");
    }
}

/// Two branches with the same short name (机关第一党支部) in one folder: each ledger is named
/// after its branch's full name, the same in every run and order of threads; with the same full
/// name too, the second branch file's (in path order) gets a number.
#[test]
fn branches_with_the_same_short_name_in_one_folder_get_their_full_names() {
    let same_short = BRANCH.replace(
        "name   = \"中共某某县卫生健康局机关第一支部委员会\"",
        "name   = \"中共某某县卫生健康局机关第二支部委员会\"",
    );
    assert!(same_short.contains("short  = \"机关第一党支部\"") && same_short.contains("机关第二支部委员会"));
    let firsts = ["台账", "党员参加组织生活情况", "发展党员工作台账"]
        .map(|stem| format!("out/{stem}-中共某某县卫生健康局机关第一支部委员会.md"));
    let seconds =
        ["台账", "党员参加组织生活情况"].map(|stem| format!("out/{stem}-中共某某县卫生健康局机关第二支部委员会.md"));
    let out = Test::new()
        .example()
        .file("b2/branch.toml", &same_short)
        .file("2026Q4/第二支部/2026-10-15-支委会.toml", &second("支委会", "2026-10-15"))
        .args(&RENDER)
        .run();
    out.assert_status(0);
    let check = |out: &Output| {
        for file in firsts.iter().chain(&seconds) {
            assert!(out.path(file).is_file(), "{file} is missing\n{out}");
        }
        assert!(out.read(&firsts[0]).starts_with("# 中共某某县卫生健康局机关第一支部委员会"), "{out}");
        let other = out.read(&seconds[0]);
        assert!(
            other.starts_with("# 中共某某县卫生健康局机关第二支部委员会") && other.contains("2026年10月15日"),
            "{other}"
        );
        assert!(!out.path("out/台账-机关第一党支部.md").exists() && !out.path("out/台账.md").exists(), "{out}");
        assert!(!out.stderr.contains("警告"), "{out}");
    };
    check(&out);
    // One thread, the other order: the same names, nothing rewritten.
    let again = out.again().args(&RENDER).arg("-j1").run();
    again.assert_status(0);
    check(&again);
    assert!(again.stdout.contains("台账未变 2026Q4/branch.toml"), "{again}");

    // The same file twice: the one that sorts first (2026Q4/ before b2/) keeps the plain name.
    let twin = Test::new()
        .example()
        .file("b2/branch.toml", BRANCH)
        .file("2026Q4/第二支部/2026-10-15-支委会.toml", &second("支委会", "2026-10-15"))
        .args(&RENDER)
        .arg("-j1")
        .run();
    twin.assert_status(0);
    let plain = twin.read("out/台账-中共某某县卫生健康局机关第一支部委员会.md");
    assert!(plain.contains("2026年10月9日") && !plain.contains("2026年10月15日"), "{plain}");
    let numbered = twin.read("out/台账-中共某某县卫生健康局机关第一支部委员会-2.md");
    assert!(numbered.contains("2026年10月15日") && !numbered.contains("2026年10月9日"), "{numbered}");
}
