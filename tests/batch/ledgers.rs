//! The ledger and the frequency check of a batch: each branch's 台账 with the facts of its rows,
//! the findings of the period up to today, and a branch finished early that gets a late row.

use super::*;

#[test]
fn each_branch_gets_a_ledger_with_the_facts_of_its_rows() {
    let absent =
        activity("党课", "2026-11-05").replace("absent = []", "absent = [ { name = \"周敏\", reason = \"出差\" } ]");
    let out = Test::new()
        .file("county/b1/branch.toml", BRANCH)
        .file("county/b1/2026-11-05-党课.toml", &absent)
        .file("county/b2/branch.toml", &BRANCH.replace("机关第一", "机关第二"))
        .file("county/b2/2026-10-09-支委会.toml", &activity("支委会", "2026-10-09"))
        .args(&["render", "county", "-o", "out", "--format", "typst,markdown", "--today", "2026-10-01"])
        .run();
    out.assert_status(0);
    // One finding each: the held activity dated after --today.
    assert!(out.stdout.contains("台账 county/b1/branch.toml → out/b1/台账.md（发现 1 项）\n"), "{out}");
    assert!(
        out.stderr
            .contains("记录为已召开，但日期在今天之后：日期是否写错？\n--> county/b1/2026-11-05-党课.toml:2:12\n"),
        "{out}"
    );
    let b1 = out.read("out/b1/台账.md");
    assert!(b1.starts_with("# 中共某某县卫生健康局机关第一支部委员会"), "{b1}");
    // 应到 14, 实到 13, 请假 1, and the link to the activity's folder next to the ledger.
    assert!(b1.contains("| 1 | 2026年11月5日 | 党课 |") && b1.contains("| 14 | 13 | 1 | 92.9% |"), "{b1}");
    assert!(b1.contains("[材料](2026-11-05-党课/)"), "{b1}");
    assert!(!b1.contains("支委会"), "b2's rows stay in b2's ledger: {b1}");
    let b2 = out.read("out/b2/台账.md");
    assert!(
        b2.starts_with("# 中共某某县卫生健康局机关第二支部委员会") && b2.contains("| 5 | 5 | 0 | 100.0% |"),
        "{b2}"
    );
    assert!(out.path("out/b2/台账.typ").is_file());
}

#[test]
fn check_prints_the_frequency_findings_of_the_period_up_to_today() {
    let test = || {
        Test::new().file("q4/branch.toml", BRANCH).file("q4/2026-10-09-支委会.toml", &activity("支委会", "2026-10-09"))
    };
    // The quarter has ended: every missing meeting of it.
    let out = test().args(&["check", "q4", "--period", "2026Q4", "--today", "2027-01-10", "--strict"]).run();
    out.assert_status(3);
    // 15 missing meetings and, the year being over, the 书记's missing 党课.
    assert!(out.stdout.contains("频次 q4/branch.toml（发现 16 项）\n"), "{out}");
    assert!(out.stdout.ends_with("共 1 个活动：完成 1 个，失败 0 个，发现 16 项\n"), "{out}");
    for message in [
        "2026年11月没有支委会的记录",
        "2026年12月没有支委会的记录",
        "2026年第四季度没有支部党员大会的记录",
        "2026年没有书记张建国讲党课的记录",
    ] {
        assert!(out.stderr.contains(&format!("发现: {message}\n--> q4/branch.toml\n")), "{message}\n{out}");
    }
    assert!(!out.stderr.contains("2026年10月没有支委会"), "{out}");
    // Under way: judged up to today, so only October.
    let out = test().args(&["check", "q4", "--period", "2026Q4", "--today", "2026-11-22", "--json"]).run();
    out.assert_status(0);
    let report = json(&out);
    let findings: Vec<&str> =
        report["branches"][0]["findings"].as_array().unwrap().iter().map(|f| f["message"].as_str().unwrap()).collect();
    assert!(findings.contains(&"2026年10月没有主题党日的记录"), "{findings:?}");
    assert!(findings.iter().all(|f| f.starts_with("2026年10月")), "{findings:?}");
    assert_eq!(report["totals"]["findings"].as_u64(), Some(findings.len() as u64));
    // One file is not a batch: no frequency check.
    let out = test().args(&["check", "q4/2026-10-09-支委会.toml", "--today", "2027-01-10"]).run();
    out.assert_clean();
    // The ledger lists them too.
    let out = test()
        .args(&["render", "q4", "-o", "out", "--format", "markdown", "--period", "2026Q4", "--today", "2027-01-10"])
        .run();
    assert!(out.read("out/台账.md").contains("2026年12月没有支委会的记录"), "{out}");
}

/// A branch's ledger is written as soon as the last activity under its folder is done, and its
/// rows dropped. An activity elsewhere that names it with `branch` after that (`-j 1`: b1's
/// folder comes first in the walk) still gets its row into it: the branch is done again.
#[test]
fn an_activity_naming_a_finished_branch_still_gets_its_row_into_that_ledger() {
    let foreign = activity("支委会", "2026-10-20").replace("kind ", "branch = \"../../b1/branch.toml\"\nkind ");
    let out = Test::new()
        .file("county/b1/branch.toml", BRANCH)
        .file("county/b1/2026-11-05-党课.toml", &activity("党课", "2026-11-05"))
        .file("county/b2/branch.toml", &BRANCH.replace("机关第一", "机关第二"))
        .file("county/b2/2026-10-09-支委会.toml", &activity("支委会", "2026-10-09"))
        .file("county/b2/z/2026-10-20-支委会.toml", &foreign)
        .args(&["render", "county", "-o", "out", "--format", "typst,markdown", "--today", "2026-10-01", "-j", "1"])
        .run();
    out.assert_status(0);
    let b1 = out.read("out/b1/台账.md");
    assert!(b1.contains("| 1 | 2026年10月20日 | 支委会 |") && b1.contains("| 2 | 2026年11月5日 | 党课 |"), "{b1}");
    assert!(b1.contains("[材料](../b2/z/2026-10-20-支委会/)"), "{b1}");
    let b2 = out.read("out/b2/台账.md");
    assert!(b2.contains("2026年10月9日") && !b2.contains("2026年10月20日"), "{b2}");
    let check = Test::new()
        .file("county/b1/branch.toml", BRANCH)
        .file("county/b1/2026-11-05-党课.toml", &activity("党课", "2026-11-05"))
        .file("county/b2/branch.toml", &BRANCH.replace("机关第一", "机关第二"))
        .file("county/b2/z/2026-10-20-支委会.toml", &foreign)
        .args(&["check", "county", "--json", "--today", "2026-10-01", "-j", "1"])
        .run();
    let branches = &json(&check)["branches"];
    assert_eq!(branches.as_array().unwrap().len(), 1, "{check}");
    assert_eq!(
        (branches[0]["branch"].as_str(), branches[0]["activities"].as_u64()),
        (Some("county/b1/branch.toml"), Some(2))
    );
}
