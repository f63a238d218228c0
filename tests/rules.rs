//! The arithmetic of the 支部工作条例 at its edges: quorum at exactly half and at exactly 4/5,
//! probationary members (counted as present, never as votes), excluded members (not expected),
//! vote thresholds, and the findings they produce through the command line and in the documents.

use crate::common::{attended, header, markdown_text, numbers_after, Output, Test, BRANCH};
use pdb::model::ElectionQuorum;
use pdb::model::{DecisionKind, Kind};
use pdb::rules::{
    at_least_four_fifths, decision_quorum, election_quorum, more_than_four_fifths, more_than_half, quorum, tally,
    threshold, Counts,
};

fn counts(expected: u32, present: u32, voting_expected: u32, voting_present: u32) -> Counts {
    Counts { expected, present, voting_expected, voting_present }
}

// ---------------------------------------------------------------------------------------------
// The library: pure functions on counts

#[test]
fn more_than_half_is_strict() {
    assert_eq!(more_than_half(12), 7); // 6 is exactly half
    assert_eq!(more_than_half(13), 7);
    assert_eq!(more_than_half(5), 3);
    assert_eq!(more_than_half(2), 2);
    assert_eq!(more_than_half(1), 1);
    assert_eq!(more_than_half(0), 1);
}

#[test]
fn more_than_four_fifths_is_strict() {
    assert_eq!(more_than_four_fifths(10), 9); // 8 is exactly 4/5
    assert_eq!(more_than_four_fifths(5), 5); // 4 is exactly 4/5
    assert_eq!(more_than_four_fifths(15), 13); // 12 is exactly 4/5
    assert_eq!(more_than_four_fifths(12), 10); // 4/5 is 9.6
    assert_eq!(more_than_four_fifths(3), 3); // 4/5 is 2.4
}

#[test]
fn party_congress_quorum_at_exactly_half_does_not_hold() {
    // 14 expected, 12 of them full members; 6 full and 2 probationary present: 8 of 14 is more
    // than half of everyone, but only half of the voters.
    let q = quorum(Kind::PartyCongress, counts(14, 8, 12, 6)).expect("a 支部党员大会 has a quorum");
    assert_eq!((q.base, q.present, q.needed, q.holds), (12, 6, 7, false));
    assert_eq!(q.rule, "超过应到会有表决权党员的半数");

    let q = quorum(Kind::PartyCongress, counts(14, 7, 12, 7)).unwrap();
    assert_eq!((q.base, q.present, q.needed, q.holds), (12, 7, 7, true));
}

#[test]
fn committee_quorum_counts_committee_members() {
    let q = quorum(Kind::Committee, counts(5, 2, 5, 2)).unwrap();
    assert_eq!((q.base, q.present, q.needed, q.holds), (5, 2, 3, false));
    assert_eq!(q.rule, "超过支部委员会委员的半数");
    assert!(quorum(Kind::Committee, counts(5, 3, 5, 3)).unwrap().holds);
    // Half of an even committee is not enough.
    assert!(!quorum(Kind::Committee, counts(4, 2, 4, 2)).unwrap().holds);
}

#[test]
fn election_quorum_at_exactly_four_fifths_does_not_hold() {
    // 10 voters expected, 2 probationary members besides: 8 voters present is exactly 4/5.
    let q = election_quorum(counts(12, 10, 10, 8), ElectionQuorum::MoreThan);
    assert_eq!((q.base, q.present, q.needed, q.holds), (10, 8, 9, false));
    assert_eq!(q.rule, "超过应到会有选举权党员的五分之四");
    let q = election_quorum(counts(12, 11, 10, 9), ElectionQuorum::MoreThan);
    assert_eq!((q.needed, q.holds), (9, true));
    // The election rule applies whatever the kind of meeting.
    let q = decision_quorum(Kind::Other, DecisionKind::Election, counts(12, 10, 10, 8), ElectionQuorum::MoreThan);
    assert!(!q.unwrap().holds);
}

#[test]
fn a_local_rule_lets_exactly_four_fifths_elect() {
    assert_eq!(at_least_four_fifths(10), 8);
    assert_eq!(at_least_four_fifths(12), 10); // 9.6 rounds up
    assert_eq!(at_least_four_fifths(5), 4);
    let q = election_quorum(counts(12, 10, 10, 8), ElectionQuorum::AtLeast);
    assert_eq!((q.needed, q.holds), (8, true));
    assert_eq!(q.rule, "不少于应到会有选举权党员的五分之四");
}

#[test]
fn meeting_quorum_only_for_congress_and_committee() {
    for kind in [Kind::GroupMeeting, Kind::Lecture, Kind::ThemeDay, Kind::OrgLife, Kind::Review, Kind::Other] {
        assert_eq!(quorum(kind, counts(14, 1, 12, 1)), None, "{kind:?}");
    }
}

#[test]
fn each_decision_has_its_own_quorum() {
    // 9 of 12 voters: more than half, but not more than 4/5 (needs 10).
    let c = counts(14, 11, 12, 9);
    let rule = ElectionQuorum::MoreThan;
    let admission = decision_quorum(Kind::PartyCongress, DecisionKind::Admission, c, rule).unwrap();
    assert_eq!((admission.needed, admission.holds), (7, true));
    let election = decision_quorum(Kind::PartyCongress, DecisionKind::Election, c, rule).unwrap();
    assert_eq!((election.needed, election.holds), (10, false));
    // 民主评议党员 and 组织生活会 vote like a 支部党员大会; other meetings have no quorum rule.
    for kind in [Kind::Review, Kind::OrgLife] {
        let q = decision_quorum(kind, DecisionKind::Ordinary, counts(14, 3, 12, 3), rule).unwrap();
        assert_eq!((q.base, q.needed, q.holds), (12, 7, false), "{kind:?}");
        assert_eq!(threshold(kind, DecisionKind::Ordinary, c).base, 12, "{kind:?}");
    }
    for kind in [Kind::GroupMeeting, Kind::Lecture, Kind::ThemeDay, Kind::Other] {
        assert_eq!(decision_quorum(kind, DecisionKind::Ordinary, c, rule), None, "{kind:?}");
    }
}

fn named(list: &[(&str, u32)]) -> Vec<(String, u32)> {
    list.iter().map(|(n, v)| (n.to_string(), *v)).collect()
}

#[test]
fn candidates_are_elected_best_first_over_half_of_those_present() {
    // 10 electors present: 6 votes needed.
    let t = tally(2, 10, &named(&[("甲", 5), ("乙", 9), ("丙", 6), ("丁", 7)]));
    assert_eq!(t.needed, 6);
    assert_eq!(t.elected, ["乙", "丁"]);
    assert!(t.tied.is_empty());
    assert_eq!(t.open_seats, 0);
    // Exactly half is not enough, even with a seat left.
    let t = tally(2, 10, &named(&[("甲", 5), ("乙", 9), ("丙", 5)]));
    assert_eq!((t.elected.clone(), t.open_seats), (vec!["乙".to_string()], 1));
}

#[test]
fn a_tie_at_the_last_seat_elects_nobody_among_the_tied() {
    let t = tally(2, 10, &named(&[("甲", 8), ("乙", 7), ("丙", 7), ("丁", 3)]));
    assert_eq!(t.elected, ["甲"]);
    assert_eq!(t.tied, ["乙", "丙"]);
    assert_eq!(t.open_seats, 1);
    // A tie above the last seat is no tie for it.
    let t = tally(2, 10, &named(&[("甲", 8), ("乙", 8), ("丙", 7)]));
    assert_eq!((t.elected.len(), t.tied.len()), (2, 0));
}

#[test]
fn admission_threshold_counts_expected_voters_not_those_present() {
    // 8 of 12 voters present: 6 is a majority of those present, but not of the 12 expected.
    let c = counts(14, 10, 12, 8);
    for decision in [DecisionKind::Admission, DecisionKind::Confirmation] {
        let t = threshold(Kind::PartyCongress, decision, c);
        assert_eq!((t.base, t.needed), (12, 7), "{decision:?}");
        assert!(!t.passes(6), "{decision:?}: exactly half is not more than half");
        assert!(t.passes(7), "{decision:?}");
    }
    let ordinary = threshold(Kind::PartyCongress, DecisionKind::Ordinary, c);
    assert_eq!((ordinary.base, ordinary.needed), (12, 7));
}

#[test]
fn committee_threshold_counts_committee_members() {
    let t = threshold(Kind::Committee, DecisionKind::Ordinary, counts(5, 3, 5, 3));
    assert_eq!((t.base, t.needed), (5, 3));
    assert!(t.passes(3));
    assert!(!t.passes(2));
}

// ---------------------------------------------------------------------------------------------
// Through the command line

/// A 支部党员大会 of the standard branch, with these members on leave and one decision.
fn congress(absent: &[&str], decision_kind: &str, yes: u32, no: u32) -> String {
    let absent: Vec<String> = absent.iter().map(|n| format!("  {{ name = \"{n}\", reason = \"出差\" }},\n")).collect();
    // An admission is by secret ballot (发展党员工作细则第二十一条): a show of hands is a finding of its own.
    let method = if decision_kind == "admission" { "method = \"无记名投票\"\n" } else { "" };
    format!(
        "{}\n[attendance]\nabsent = [\n{}]\n\n[[agenda]]\ntitle = \"讨论并表决\"\n\n\
         [[decisions]]\ntext   = \"同意接收李明同志为中共预备党员\"\nagenda = 1\nkind   = \"{decision_kind}\"\n\
         votes  = {{ yes = {yes}, no = {no}, abstain = 0 }}\n{method}",
        header("支部党员大会"),
        absent.concat()
    )
}

/// A 支委会 held before the 支部党员大会, so that admissions have one.
fn committee(date: &str) -> String {
    attended(&header("支委会").replace("2026-11-05", date))
}

fn run(files: &[(&str, &str)], args: &[&str]) -> Output {
    let mut test = Test::new().branch(BRANCH);
    for (name, text) in files {
        test = test.file(name, text);
    }
    test.args(args).run()
}

fn check(files: &[(&str, &str)]) -> Output {
    let names: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
    run(files, &[&["check"], names.as_slice()].concat())
}

fn check_strict(files: &[(&str, &str)]) -> Output {
    let names: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
    run(files, &[&["check", "--strict"], names.as_slice()].concat())
}

/// Six of the twelve full members on leave: exactly half of the voters remain.
const SIX_FULL: [&str; 6] = ["周敏", "吴磊", "何婷", "马俊", "林晓燕", "徐文博"];

#[test]
fn exactly_half_of_voters_present_is_a_quorum_finding() {
    let files = [("a.toml", congress(&SIX_FULL, "ordinary", 6, 0))];
    let files: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let out = check(&files);
    // Findings do not fail the run...
    out.assert_status(0);
    assert!(out.stdout.contains("完成 a.toml（发现 1 项）"), "{out}");
    assert!(
        out.stderr.contains(
            "发现: “同意接收李明同志为中共预备党员”到会人数不足：须超过应到会有表决权党员的半数（至少 7 人），实到 6 人（基数 12 人），表决无效"
        ),
        "{out}"
    );
    assert!(out.stderr.contains("--> a.toml:26:10\n"), "{out}");
    assert!(out.stderr.contains("依据《中国共产党支部工作条例（试行）》第十一条"), "{out}");
    // ...and it is 表决无效, not also 未通过: no threshold finding.
    assert!(!out.stderr.contains("实得同意"), "{out}");
    assert!(!out.stderr.contains("错误"), "{out}");
    insta::assert_snapshot!(out.stderr);
    // ...unless --strict.
    check_strict(&files).assert_status(3);
}

#[test]
fn half_plus_one_of_voters_present_holds() {
    let text = congress(&SIX_FULL[..5], "ordinary", 7, 0);
    check(&[("a.toml", &text)]).assert_clean();
    check_strict(&[("a.toml", &text)]).assert_clean();
}

/// 10 full members and 2 probationary ones.
const SMALL_BRANCH: &str = "[branch]\nname = \"中共某某镇卫生院支部委员会\"\n\n\
    [[members]]\nname = \"张一\"\ncommittee = true\n\n[[members]]\nname = \"王二\"\ncommittee = true\n\n\
    [[members]]\nname = \"李三\"\n\n[[members]]\nname = \"赵四\"\n\n[[members]]\nname = \"钱五\"\n\n\
    [[members]]\nname = \"孙六\"\n\n[[members]]\nname = \"周七\"\n\n[[members]]\nname = \"吴八\"\n\n\
    [[members]]\nname = \"郑九\"\n\n[[members]]\nname = \"冯十\"\n\n\
    [[members]]\nname = \"陈甲\"\nstatus = \"预备党员\"\n\n[[members]]\nname = \"褚乙\"\nstatus = \"预备党员\"\n";

fn election(absent: &[&str], yes: u32) -> String {
    let absent: Vec<String> = absent.iter().map(|n| format!("{{ name = \"{n}\", reason = \"病假\" }}")).collect();
    format!(
        "{}\n[attendance]\nabsent = [ {} ]\n\n[[decisions]]\ntext  = \"选举张一同志为支部书记\"\nkind  = \"election\"\n\
         votes = {{ yes = {yes}, no = 0, abstain = 0 }}\n",
        header("支部党员大会").replace("张建国", "张一").replace("王芳", "王二"),
        absent.join(", ")
    )
}

#[test]
fn election_at_exactly_four_fifths_is_a_quorum_finding() {
    // 8 of 10 voters present (10 of 12 members, counting the probationary ones).
    let out = Test::new()
        .branch(SMALL_BRANCH)
        .file("a.toml", &election(&["郑九", "冯十"], 8))
        .args(&["check", "a.toml"])
        .run();
    out.assert_status(0);
    assert!(out.stdout.contains("完成 a.toml（发现 1 项）"), "{out}");
    assert!(out.stderr.contains("须超过应到会有选举权党员的五分之四（至少 9 人），实到 8 人（基数 10 人）"), "{out}");
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn election_just_above_four_fifths_holds() {
    Test::new()
        .branch(SMALL_BRANCH)
        .file("a.toml", &election(&["冯十"], 9))
        .args(&["check", "--strict", "a.toml"])
        .run()
        .assert_clean();
}

#[test]
fn probationary_members_are_present_but_do_not_vote() {
    // Everyone present: 14, of whom 12 vote. 12 votes is the most there can be.
    check(&[("a.toml", &congress(&[], "ordinary", 12, 0))]).assert_clean();
    let out = check(&[("a.toml", &congress(&[], "ordinary", 13, 0))]);
    out.assert_status(1);
    assert!(out.stderr.contains("多于实到的有表决权党员 12 人"), "{out}");
    // A probationary member on leave changes 实到, not the votes.
    let out = check(&[("a.toml", &congress(&["郭鹏"], "ordinary", 13, 0))]);
    assert!(out.stderr.contains("多于实到的有表决权党员 12 人"), "{out}");
    // A full member on leave does.
    let out = check(&[("a.toml", &congress(&["徐文博"], "ordinary", 12, 0))]);
    assert!(out.stderr.contains("票数合计 12 票（同意 12 + 反对 0 + 弃权 0），多于实到的有表决权党员 11 人"), "{out}");
}

#[test]
fn admission_with_exactly_half_of_expected_voters_fails() {
    let committee = committee("2026-10-09");
    let congress = congress(&[], "admission", 6, 6);
    let files = [("1.toml", committee.as_str()), ("2.toml", congress.as_str())];
    let out = check(&files);
    out.assert_status(0);
    assert!(out.stdout.contains("完成 1.toml\n"), "{out}");
    assert!(out.stdout.contains("完成 2.toml（发现 1 项）"), "{out}");
    assert!(out.stderr.contains("决议“同意接收李明同志为中共预备党员”未通过"), "{out}");
    assert!(out.stderr.contains("（至少 7 票，基数 12 人），实得同意 6 票"), "{out}");
    assert!(out.stderr.contains("--> 2.toml:20:10\n"), "{out}");
    insta::assert_snapshot!(out.stderr);
    check_strict(&files).assert_status(3);

    let passes = super_majority_of_expected();
    check(&[("1.toml", &committee), ("2.toml", &passes)]).assert_clean();
}

fn super_majority_of_expected() -> String {
    congress(&[], "admission", 7, 5)
}

#[test]
fn admission_majority_of_those_present_is_not_enough() {
    // 4 full members on leave: 8 voters present, quorum holds; 6 yes is most of them, but not
    // more than half of the 12 expected.
    let congress = congress(&["周敏", "吴磊", "何婷", "马俊"], "admission", 6, 2);
    let out = check(&[("1.toml", &committee("2026-10-09")), ("2.toml", &congress)]);
    out.assert_status(0);
    assert!(out.stdout.contains("完成 2.toml（发现 1 项）"), "{out}");
    assert!(out.stderr.contains("未通过"), "{out}");
    assert!(!out.stderr.contains("到会人数不足"), "{out}");
}

#[test]
fn admission_needs_an_earlier_committee_meeting_in_the_run() {
    let congress = super_majority_of_expected();
    // Alone.
    let out = check(&[("2.toml", &congress)]);
    out.assert_status(0);
    assert!(out.stdout.contains("完成 2.toml（发现 1 项）"), "{out}");
    assert!(out.stderr.contains("接收预备党员须先经支委会研究，但本次处理的文件中没有此前召开的支委会记录"), "{out}");
    assert!(out.stderr.contains("--> 2.toml:16:1\n"), "{out}");
    assert!(out.stderr.contains("字段 decisions[0].kind（决议类型）"), "{out}");
    insta::assert_snapshot!(out.stderr);
    check_strict(&[("2.toml", &congress)]).assert_status(3);

    // With a 支委会 that comes after it.
    let out = check(&[("2.toml", &congress), ("3.toml", &committee("2026-11-20"))]);
    assert!(out.stdout.contains("完成 2.toml（发现 1 项）"), "{out}");

    // With a 支委会 before it, in either order on the command line.
    check(&[("1.toml", &committee("2026-10-09")), ("2.toml", &congress)]).assert_clean();
    check(&[("2.toml", &congress), ("1.toml", &committee("2026-10-09"))]).assert_clean();
}

#[test]
fn committee_meeting_naming_its_branch_file_counts_for_the_same_branch() {
    // One file names branch.toml with the `branch` key, the other finds it by walking up, from
    // different folders: still the same branch.
    let committee =
        attended(&format!("{}branch   = \"../branch.toml\"\n", header("支委会").replace("2026-11-05", "2026-10-09")));
    let out = Test::new()
        .branch(BRANCH)
        .file("committee/1.toml", &committee)
        .file("congress/2.toml", &super_majority_of_expected())
        .args(&["check", "committee/1.toml", "congress/2.toml"])
        .run();
    out.assert_clean();
}

#[test]
fn confirmation_needs_an_earlier_committee_meeting_too() {
    let congress = congress(&[], "预备党员转正", 12, 0);
    let out = check(&[("2.toml", &congress)]);
    assert!(out.stderr.contains("预备党员转正须先经支委会研究"), "{out}");
    check(&[("1.toml", &committee("2026-10-09")), ("2.toml", &congress)]).assert_clean();
}

#[test]
fn committee_meeting_of_another_branch_does_not_count() {
    let other = "[branch]\nname = \"中共某某县卫生健康局机关第二支部委员会\"\n\n\
                 [[members]]\nname = \"张建国\"\ncommittee = true\n\n[[members]]\nname = \"王芳\"\ncommittee = true\n";
    let out = Test::new()
        .branch(BRANCH)
        .file("2.toml", &super_majority_of_expected())
        .file("other/branch.toml", other)
        .file("other/1.toml", &committee("2026-10-09"))
        .args(&["check", "other/1.toml", "2.toml"])
        .run();
    out.assert_status(0);
    assert!(out.stdout.contains("完成 other/1.toml\n"), "{out}");
    assert!(out.stdout.contains("完成 2.toml（发现 1 项）"), "{out}");
}

#[test]
fn committee_meeting_quorum() {
    let vote = "\n[[decisions]]\ntext  = \"原则通过第四季度支部工作安排\"\nvotes = { yes = 2, no = 0, abstain = 0 }\n";
    let absent = |names: &str| format!("{}\n[attendance]\nabsent = [ {names} ]\n{vote}", header("支委会"));
    // 3 of 5 present: more than half. 2 yes of 5 members does not pass, though.
    let out =
        check(&[("a.toml", &absent("{ name = \"陈静\", reason = \"出差\" }, { name = \"赵强\", reason = \"出差\" }"))]);
    assert!(!out.stderr.contains("到会人数不足"), "{out}");
    assert!(out.stderr.contains("须同意票超过支部委员会委员的半数（至少 3 票，基数 5 人），实得同意 2 票"), "{out}");
    // 2 of 5 present.
    let out = check(&[(
        "a.toml",
        &absent("{ name = \"刘洋\", reason = \"出差\" }, { name = \"陈静\", reason = \"出差\" }, { name = \"赵强\", reason = \"出差\" }"),
    )]);
    assert!(
        out.stderr.contains("到会人数不足：须超过支部委员会委员的半数（至少 3 人），实到 2 人（基数 5 人）"),
        "{out}"
    );
}

#[test]
fn findings_are_rendered_anyway_and_strict_fails_the_render() {
    let text = congress(&SIX_FULL, "ordinary", 6, 0);
    let out = run(&[("a.toml", &text)], &["render", "--format", "markdown", "-o", "out", "a.toml"]);
    out.assert_status(0);
    assert!(out.stdout.contains("生成 a.toml → out/a（发现 1 项）"), "{out}");
    assert!(out.path("out/a/05-会议记录.md").is_file(), "{out}");
    let strict = run(&[("a.toml", &text)], &["render", "--strict", "--format", "markdown", "-o", "out", "a.toml"]);
    strict.assert_status(3);
    assert!(strict.path("out/a/05-会议记录.md").is_file(), "{strict}");
}

// ---------------------------------------------------------------------------------------------
// The counts and results that reach the documents (Markdown)

/// Renders and returns the reader's text of the sign-in sheet, the minutes and the host script.
fn documents(files: &[(&str, &str)], activity: &str) -> (String, String, String) {
    let names: Vec<&str> = files.iter().map(|(n, _)| *n).collect();
    let args =
        [&["render", "--format", "markdown", "--only", "sign-in,minutes,host-script", "-o", "out"], names.as_slice()]
            .concat();
    let out = run(files, &args);
    assert!(out.status == 0, "{out}");
    let stem = activity.trim_end_matches(".toml");
    let read = |name: &str| markdown_text(&out.read(&format!("out/{stem}/{name}")));
    (read("04-签到表.md"), read("05-会议记录.md"), read("03-主持词.md"))
}

#[test]
fn excluded_members_are_not_expected_and_probationary_members_are_present() {
    // Everyone but 赵强 present; 黄志刚 is excluded. 应到 14, 实到 13 (11 full, 2 probationary).
    let text = congress(&["赵强"], "ordinary", 11, 0);
    let (sign_in, minutes, host) = documents(&[("a.toml", &text)], "a.toml");
    for (name, doc) in [("签到表", &sign_in), ("会议记录", &minutes), ("主持词", &host)] {
        let expected = numbers_after(doc, "应到");
        let present = numbers_after(doc, "实到");
        assert_eq!(expected.first(), Some(&14), "{name}: 应到 {expected:?}\n{doc}");
        assert_eq!(present.first(), Some(&13), "{name}: 实到 {present:?}\n{doc}");
    }
    // The sign-in sheet and the minutes give no other count of members (the vote's voter base
    // counts the voters: 12 expected, 11 present).
    for (name, doc) in [("签到表", &sign_in), ("会议记录", &minutes)] {
        let members: String = doc.lines().filter(|l| !l.contains("有表决权")).collect::<Vec<_>>().join("\n");
        assert!(numbers_after(&members, "应到").iter().all(|&n| n == 14), "{name}\n{doc}");
        assert!(numbers_after(&members, "实到").iter().all(|&n| n == 13), "{name}\n{doc}");
    }
    assert!(minutes.contains("表决人数：应到会有表决权的正式党员12名，实到11名"), "{minutes}");
    // The host script's quorum sentence counts the voters: 11 present.
    let quorum = quorum_sentence(&host);
    assert!(quorum.contains("11人") && quorum.contains("可以开会"), "{quorum}");
    for (name, doc) in [("会议记录", &minutes), ("主持词", &host)] {
        assert!(numbers_after(doc, "正式党员").contains(&11), "{name}\n{doc}");
        assert!(numbers_after(doc, "预备党员").contains(&2), "{name}\n{doc}");
    }
    // The sign-in sheet lists the 14 expected members and the reason of the one on leave.
    for member in crate::common::EXPECTED {
        assert!(sign_in.lines().any(|l| l == member), "签到表 lacks {member}\n{sign_in}");
    }
    assert!(!sign_in.lines().any(|l| l == "黄志刚"), "黄志刚 is not expected\n{sign_in}");
    assert!(sign_in.contains("出差"), "{sign_in}");
}

#[test]
fn the_host_script_says_the_quorum_holds_only_when_it_does() {
    let (_, _, host) = documents(&[("a.toml", &congress(&SIX_FULL, "ordinary", 6, 0))], "a.toml");
    assert!(!host.contains("可以开会"), "{host}");
    assert!(!host.contains("符合规定"), "{host}");
    // It states the actual counts instead: 6 of the 12 voters.
    let quorum = quorum_sentence(&host);
    assert!(quorum.contains("6人") && quorum.contains("12人"), "{quorum}");

    let (_, _, host) = documents(&[("a.toml", &congress(&SIX_FULL[..5], "ordinary", 7, 0))], "a.toml");
    let quorum = quorum_sentence(&host);
    assert!(quorum.contains("7人") && quorum.contains("可以开会"), "{quorum}");
}

/// The paragraph of the host script about the quorum (it names the rule: …半数).
fn quorum_sentence(host: &str) -> String {
    host.lines().find(|l| l.contains("半数")).unwrap_or_else(|| panic!("no quorum sentence\n{host}")).to_string()
}

#[test]
fn a_failed_admission_is_recorded_as_not_passed() {
    let committee = committee("2026-10-09");
    let failed = congress(&[], "admission", 6, 6);
    let (_, minutes, host) = documents(&[("1.toml", &committee), ("2.toml", &failed)], "2.toml");
    for (name, doc) in [("会议记录", &minutes), ("主持词", &host)] {
        assert!(doc.contains("同意6票"), "{name}\n{doc}");
        assert!(doc.contains("未通过"), "{name}\n{doc}");
    }

    let passed = super_majority_of_expected();
    let (_, minutes, host) = documents(&[("1.toml", &committee), ("2.toml", &passed)], "2.toml");
    for (name, doc) in [("会议记录", &minutes), ("主持词", &host)] {
        assert!(doc.contains("同意7票"), "{name}\n{doc}");
        assert!(doc.contains("通过"), "{name}\n{doc}");
        assert!(!doc.contains("未通过"), "{name}\n{doc}");
    }
}
