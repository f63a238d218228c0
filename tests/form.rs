//! A meeting held in the form of a 支部党员大会 (`form = "支部党员大会"`) follows its rules: the
//! opening quorum (more than half of the 12 voting members of the test roster: at least 7), each
//! ordinary vote's threshold against the 12, and the quarter's 支部党员大会 only when the quorum held.

use std::fs;

use chrono::NaiveDate;
use pdb::load::{load_activity, load_branch, BranchCache};
use pdb::model::LedgerRow;
use pdb::period::Period;
use pdb::record::Record;
use pdb::rules::frequency;

use crate::common::documents::{self, assert_in, assert_not_in, both, diagnostic};
use crate::common::{header, Output, Test, BRANCH};

/// The voting members of the roster away, first `n` of them (the 书记 and the recorder stay).
fn away(n: usize) -> String {
    let voters = ["刘洋", "陈静", "赵强", "孙伟", "周敏", "吴磊", "何婷", "马俊", "林晓燕", "徐文博"];
    let list: Vec<String> = voters[..n].iter().map(|v| format!("{{ name = \"{v}\", reason = \"出差\" }}")).collect();
    format!("\n[attendance]\nabsent = [ {} ]\n", list.join(", "))
}

/// A `kind` meeting held as a 支部党员大会 (line 8), `n` voters away, with one ordinary decision
/// of `yes` votes (its votes on line 15).
fn held_as_congress(kind: &str, n: usize, yes: u32) -> String {
    format!(
        "{}form     = \"支部党员大会\"\n{}\n[[decisions]]\ntext  = \"通过支部年度工作计划\"\nvotes = {{ yes = {yes}, no = 0, abstain = 0 }}\n",
        header(kind),
        away(n)
    )
}

fn render(text: &str) -> Output {
    documents::render(&[("a.toml", text)])
}

#[test]
fn seven_of_twelve_voters_is_a_quorum_six_is_not() {
    for kind in ["主题党日", "党课"] {
        // 12 voting members, 5 away: 7 present, more than half.
        let out = render(&held_as_congress(kind, 5, 7));
        out.assert_status(0);
        let host = both(&out, "03-主持词");
        assert_in(&host, "实到有表决权的正式党员7人，超过应到会有表决权党员的半数，符合规定，可以开会。");
        assert_in(&both(&out, "05-会议记录"), "同意7票，不同意0票，弃权0票，通过。");
        assert!(!out.stderr.contains("到会人数不足"), "{kind}\n{out}");

        // 6 away: 6 present, not more than half: no 符合规定, the vote is 表决无效.
        let out = render(&held_as_congress(kind, 6, 6));
        let host = both(&out, "03-主持词");
        assert_in(
            &host,
            "实到有表决权的正式党员6人，未达到超过应到会有表决权党员的半数（应到12人，至少须到7人）的要求。",
        );
        assert_in(&host, "到会人数不足，不能进行表决。");
        assert_not_in(&host, "符合规定");
        let minutes = both(&out, "05-会议记录");
        assert_in(&minutes, "同意6票，不同意0票，弃权0票，表决无效（到会人数不足）。");
        assert_not_in(&minutes, "，通过。");
        assert_not_in(&minutes, "未通过");
        diagnostic(
            &out,
            "“通过支部年度工作计划”到会人数不足：须超过应到会有表决权党员的半数（至少 7 人），实到 6 人（基数 12 人），表决无效",
            "a.toml:15:9",
        );
    }
}

#[test]
fn an_ordinary_vote_needs_more_than_half_of_all_voters_not_of_those_present() {
    // 7 present, 6 in favour: more than half of those present (4), not of the 12 expected (7).
    let out = render(&held_as_congress("主题党日", 5, 6));
    assert_in(&both(&out, "05-会议记录"), "同意6票，不同意0票，弃权0票，未通过。");
    diagnostic(
        &out,
        "决议“通过支部年度工作计划”未通过：须同意票超过应到会有表决权党员的半数（至少 7 票，基数 12 人），实得同意 6 票",
        "a.toml:15:9",
    );
    // The same 主题党日 not held as a 支部党员大会: counted on those present, and no quorum.
    let plain = held_as_congress("主题党日", 5, 6).replace("form     = \"支部党员大会\"\n", "");
    let out = render(&plain);
    out.assert_status(0);
    assert_in(&both(&out, "05-会议记录"), "同意6票，不同意0票，弃权0票，通过。");
    assert_not_in(&both(&out, "03-主持词"), "可以开会");
}

#[test]
fn an_admission_still_needs_a_meeting_of_kind_congress() {
    let text = held_as_congress("主题党日", 0, 12).replace("votes = ", "kind  = \"admission\"\nvotes = ");
    let out = Test::new().branch(BRANCH).file("a.toml", &text).args(&["check", "a.toml"]).run();
    out.assert_status(1);
    let block = diagnostic(&out, "只能由支部党员大会讨论表决（支部工作条例第十一条），本次是主题党日", "a.toml:15:9");
    assert!(block.contains("kind = \"支部党员大会\""), "{block}");
}

/// The quarter's 支部党员大会 findings for these activity files (Q4 2026, judged in 2027).
fn congress_findings(files: &[(&str, String)]) -> Vec<String> {
    findings_with(files, "支部党员大会")
}

fn findings_with(files: &[(&str, String)], needle: &str) -> Vec<String> {
    findings_of(BRANCH, files, needle)
}

/// The frequency findings of Q4 2026 (judged in 2027) that mention `needle`, with this branch.toml.
fn findings_of(branch: &str, files: &[(&str, String)], needle: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("branch.toml"), branch).unwrap();
    let branch = load_branch(&dir.path().join("branch.toml")).unwrap_or_else(|d| panic!("{d}"));
    let cache = BranchCache::default();
    let rows: Vec<LedgerRow> = files
        .iter()
        .map(|(name, text)| {
            let path = dir.path().join(name);
            fs::write(&path, text).unwrap();
            let record = Record::build(load_activity(&path, &cache).unwrap()).unwrap_or_else(|e| panic!("{}", e[0]));
            LedgerRow::from_record(&record)
        })
        .collect();
    let today = NaiveDate::from_ymd_opt(2027, 1, 15).unwrap();
    frequency::check(&branch, &rows, Some(Period::Quarter(2026, 4)), today)
        .into_iter()
        .map(|f| f.message)
        .filter(|m| m.contains(needle))
        .collect()
}

#[test]
fn the_quarters_congress_counts_only_with_its_quorum() {
    for kind in ["主题党日", "党课", "支部党员大会"] {
        let text = |n: usize| {
            let text = held_as_congress(kind, n, 6);
            // A 支部党员大会 is one by its kind, without a form.
            if kind == "支部党员大会" {
                text.replace("form     = \"支部党员大会\"\n", "")
            } else {
                text
            }
        };
        // 7 of 12: it is the quarter's 支部党员大会.
        assert_eq!(congress_findings(&[("a.toml", text(5))]), Vec::<String>::new(), "{kind}");
        // 6 of 12: not a valid one, and the finding says why.
        assert_eq!(
            congress_findings(&[("a.toml", text(6))]),
            [format!(
                "2026年第四季度没有到会人数符合规定的支部党员大会：2026年11月5日的{kind}到会人数不足，不算召开支部党员大会"
            )],
            "{kind}"
        );
    }
}

#[test]
fn a_committee_meeting_short_of_its_quorum_is_not_the_months_one() {
    // 5 committee members: 3 present is more than half, 2 is not.
    let committee = |away: &[&str]| {
        let list: Vec<String> = away.iter().map(|v| format!("{{ name = \"{v}\", reason = \"出差\" }}")).collect();
        format!("{}\n[attendance]\nabsent = [ {} ]\n", header("支委会"), list.join(", "))
    };
    // October and December have none either way; November's is judged by its quorum.
    let (october, december) = ("2026年10月没有支委会的记录", "2026年12月没有支委会的记录");
    assert_eq!(findings_with(&[("a.toml", committee(&["刘洋", "陈静"]))], "支委会"), [october, december]);
    assert_eq!(
        findings_with(&[("a.toml", committee(&["刘洋", "陈静", "赵强"]))], "支委会"),
        [
            october,
            "2026年11月没有到会人数符合规定的支委会：2026年11月5日的支委会到会人数不足，不算召开支委会",
            december
        ]
    );
}

#[test]
fn a_kind_the_branch_counts_as_its_congress_follows_its_rules_too() {
    let branch = format!("{BRANCH}\n[rules.\"主题党日\"]\ncounts_as = [\"支部党员大会\"]\n");
    let text = |n: usize| held_as_congress("主题党日", n, 6).replace("form     = \"支部党员大会\"\n", "");
    let out = Test::new()
        .branch(&branch)
        .file("a.toml", &text(6))
        .args(&["render", "--format", "markdown,typst", "-o", "out", "a.toml"])
        .run();
    assert_in(
        &both(&out, "03-主持词"),
        "实到有表决权的正式党员6人，未达到超过应到会有表决权党员的半数（应到12人，至少须到7人）的要求。",
    );
    assert_in(&both(&out, "05-会议记录"), "表决无效（到会人数不足）");
    assert_eq!(findings_of(&branch, &[("a.toml", text(5))], "支部党员大会"), Vec::<String>::new());
    assert_eq!(
        findings_of(&branch, &[("a.toml", text(6))], "支部党员大会"),
        ["2026年第四季度没有到会人数符合规定的支部党员大会：2026年11月5日的主题党日到会人数不足，不算召开支部党员大会"]
    );
}
