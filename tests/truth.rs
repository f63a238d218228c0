//! Issue 14: every sentence true, every decision judged by its own rule. One test per item, each
//! asserting the exact text that reaches the documents in both formats (Markdown and Typst), and
//! the exact finding or error with its line and column.

use crate::common::documents::{assert_in, assert_not_in, both, diagnostic, render};
use crate::common::{header, Output, Test, BRANCH};

fn check(text: &str) -> Output {
    Test::new().branch(BRANCH).file("a.toml", text).args(&["check", "a.toml"]).run()
}

fn absent(names: &[&str]) -> String {
    let list: Vec<String> = names.iter().map(|n| format!("{{ name = \"{n}\", reason = \"出差\" }}")).collect();
    format!("\n[attendance]\nabsent = [ {} ]\n", list.join(", "))
}

// ---------------------------------------------------------------------------------------------
// 1. Attendance nobody recorded

#[test]
fn a_held_meeting_without_attendance_prints_blanks_and_is_a_finding() {
    let text = format!("{}\n[[agenda]]\ntitle = \"学习党章\"\n", header("支部党员大会"));
    let out = render(&[("a.toml", &text)]);
    out.assert_status(0);
    let block = diagnostic(&out, "没有记录出席情况（[attendance]）", "a.toml:1:12");
    assert!(block.contains("应到人员全部到会时写 absent = []"), "{block}");
    let host = both(&out, "03-主持词");
    assert_in(&host, "本次会议应到14人，实到＿＿人（正式党员＿＿人，预备党员＿＿人），请假＿＿人：＿＿＿＿。");
    assert_in(&host, "实到有表决权的正式党员＿＿人。按规定须超过应到会有表决权党员的半数（应到12人，至少7人），到会人数符合／不符合规定。");
    assert_not_in(&host, "可以开会");
    let [md, typ] = both(&out, "05-会议记录");
    assert!(md.contains("- 实到：＿＿人（正式党员＿＿人，预备党员＿＿人）\n- 缺席人员及原因：＿＿＿＿\n"), "{md}");
    assert!(typ.contains("[缺席人员及原因], table.cell(colspan: 3)[＿＿＿＿],"), "{typ}");
    assert_not_in(&[md, typ], "无人请假");
    let summary = both(&out, "07-会议纪要");
    assert_in(&summary, "应到14人，实到＿＿人（正式党员＿＿人，预备党员＿＿人），请假＿＿人：＿＿＿＿。");
    // The ledger row: blanks, no rate, not in the sums (tests/ledger.rs).
}

#[test]
fn absent_empty_means_everyone_came() {
    let text = format!("{}\n[attendance]\nabsent = []\n", header("支部党员大会"));
    let out = render(&[("a.toml", &text)]);
    out.assert_clean();
    assert_in(
        &both(&out, "03-主持词"),
        "实到有表决权的正式党员12人，超过应到会有表决权党员的半数，符合规定，可以开会。",
    );
}

// ---------------------------------------------------------------------------------------------
// 2, 3. Each decision by its own quorum; 表决无效（到会人数不足）, and no scripted vote

/// 9 of the 12 voters present: more than half, not more than 4/5.
const NINE_OF_TWELVE: [&str; 3] = ["周敏", "吴磊", "何婷"];

fn admission_and_election() -> String {
    format!(
        "{}{}\n[[decisions]]\ntext  = \"同意接收李明同志为中共预备党员\"\nkind  = \"admission\"\nvotes = {{ yes = 9, no = 0, abstain = 0 }}\n\n\
         [[decisions]]\ntext  = \"选举王芳同志为支部副书记\"\nkind  = \"election\"\nvotes = {{ yes = 9, no = 0, abstain = 0 }}\n",
        header("支部党员大会"),
        absent(&NINE_OF_TWELVE)
    )
}

#[test]
fn an_admission_keeps_its_quorum_when_the_election_of_the_same_meeting_has_not() {
    let committee = format!("{}{}", header("支委会").replace("2026-11-05", "2026-10-09"), absent(&[]));
    let out = render(&[("c.toml", &committee), ("a.toml", &admission_and_election())]);
    out.assert_status(0);
    let block = diagnostic(&out, "“选举王芳同志为支部副书记”到会人数不足", "a.toml:20:9");
    assert!(
        block.contains("须超过应到会有选举权党员的五分之四（至少 10 人），实到 9 人（基数 12 人），选举无效"),
        "{block}"
    );
    assert!(block.contains("依据《中国共产党基层组织选举工作条例》"), "{block}");
    assert!(!out.stderr.contains("“同意接收李明同志为中共预备党员”到会人数不足"), "{out}");
    let minutes = both(&out, "05-会议记录");
    assert_in(&minutes, "同意9票，不同意0票，弃权0票，通过。");
    assert_in(&minutes, "赞成9票，不赞成0票，弃权0票，选举无效（到会人数不足）。");
    assert_not_in(&minutes, "未通过");
    let host = both(&out, "03-主持词");
    assert_in(&host, "实到有选举权的正式党员9人，未达到超过应到会有选举权党员的五分之四（应到12人，至少须到10人）的要求，不能进行选举。");
    // The admission is voted on; the election is not scripted after the quorum fails.
    assert_in(&host, "表决结果：同意9票，不同意0票，弃权0票，通过。");
    assert_not_in(&host, "选举结果");
    assert_in(&both(&out, "07-会议纪要"), "选举无效（到会人数不足）。");
}

#[test]
fn a_vote_without_its_quorum_is_neither_passed_nor_failed_and_is_not_scripted() {
    let six: [&str; 6] = ["周敏", "吴磊", "何婷", "马俊", "林晓燕", "徐文博"];
    let text = format!(
        "{}{}\n[[decisions]]\ntext  = \"通过支部年度工作计划\"\nvotes = {{ yes = 6, no = 0, abstain = 0 }}\n",
        header("支部党员大会"),
        absent(&six)
    );
    let out = render(&[("a.toml", &text)]);
    diagnostic(&out, "“通过支部年度工作计划”到会人数不足：须超过应到会有表决权党员的半数（至少 7 人），实到 6 人（基数 12 人），表决无效", "a.toml:14:9");
    let minutes = both(&out, "05-会议记录");
    assert_in(&minutes, "同意6票，不同意0票，弃权0票，表决无效（到会人数不足）。");
    assert_not_in(&minutes, "未通过");
    let host = both(&out, "03-主持词");
    assert_in(&host, "实到有表决权的正式党员6人，未达到超过应到会有表决权党员的半数（应到12人，至少须到7人）的要求。");
    assert_in(&host, "到会人数不足，不能进行表决。");
    assert_not_in(&host, "同意的请举手");
    assert_not_in(&host, "符合规定");
}

// ---------------------------------------------------------------------------------------------
// 4. Admission or confirmation at the wrong meeting

#[test]
fn an_admission_at_a_committee_meeting_is_an_error_that_says_how_to_record_its_step() {
    for (kind, slug) in [("支委会", "admission"), ("党小组会", "confirmation"), ("主题党日", "admission")] {
        let group = if kind == "党小组会" { "group = \"第一党小组\"\n" } else { "" };
        let text = format!(
            "{}{group}{}\n[[decisions]]\ntext = \"同意接收李明同志为中共预备党员\"\nkind = \"{slug}\"\nvotes = {{ yes = 3, no = 0, abstain = 0 }}\n",
            header(kind),
            absent(&[])
        );
        let out = check(&text);
        out.assert_status(1);
        let line = if group.is_empty() { 14 } else { 15 };
        let block = diagnostic(&out, "只能由支部党员大会讨论表决（支部工作条例第十一条）", &format!("a.toml:{line}:8"));
        assert!(block.contains(&format!("本次是{kind}")), "{block}");
        assert!(block.contains("字段 decisions[0].kind（决议类型）"), "{block}");
        assert!(
            block.contains("删去 kind 这一行（或写 kind = \"ordinary\"），决议写成“同意提交支部党员大会讨论”之类"),
            "{block}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 5. 民主评议党员 and 组织生活会 vote like a 支部党员大会

#[test]
fn a_review_vote_with_three_of_twelve_voters_is_invalid() {
    let nine_away: Vec<&str> = ["王芳", "刘洋", "陈静", "赵强", "孙伟", "周敏", "吴磊", "何婷", "马俊"].to_vec();
    for kind in ["民主评议党员", "组织生活会"] {
        let text = format!(
            "{}{}\n[[decisions]]\ntext  = \"评定张建国同志为优秀党员\"\nvotes = {{ yes = 3, no = 0, abstain = 0 }}\n",
            header(kind),
            absent(&nine_away)
        );
        let out = render(&[("a.toml", &text)]);
        diagnostic(
            &out,
            "到会人数不足：须超过应到会有表决权党员的半数（至少 7 人），实到 3 人（基数 12 人），表决无效",
            "a.toml:14:9",
        );
        let minutes = both(&out, "05-会议记录");
        assert_in(&minutes, "同意3票，不同意0票，弃权0票，表决无效（到会人数不足）。");
        assert_not_in(&minutes, "，通过。");
        // No opening quorum sentence for these meetings: the vote states its own.
        assert_in(&both(&out, "03-主持词"), "实到有表决权的正式党员3人，未达到超过应到会有表决权党员的半数（应到12人，至少须到7人）的要求，不能进行表决。");
    }
}

// ---------------------------------------------------------------------------------------------
// 6. No outcome without votes

#[test]
fn a_decision_without_votes_claims_no_outcome() {
    let committee = format!("{}{}", header("支委会").replace("2026-11-05", "2026-10-09"), absent(&[]));
    let text = format!(
        "{}{}\n[[decisions]]\ntext = \"同意接收李明同志为中共预备党员\"\nkind = \"admission\"\n\n[[decisions]]\ntext = \"同意开展主题党日活动\"\n",
        header("支部党员大会"),
        absent(&[])
    );
    let out = render(&[("c.toml", &committee), ("a.toml", &text)]);
    diagnostic(&out, "接收预备党员“同意接收李明同志为中共预备党员”没有表决记录，材料中不写结果", "a.toml:12:1");
    let summary = both(&out, "07-会议纪要");
    assert_in(&summary, "会议研究了“同意接收李明同志为中共预备党员”，表决情况：＿＿＿＿。");
    assert_in(&summary, "会议研究了“同意开展主题党日活动”，表决情况：＿＿＿＿。");
    assert_not_in(&summary, "会议决定");
    assert_not_in(&both(&out, "05-会议记录"), "通过");
    // The ordinary one without votes is no finding.
    assert!(!out.stderr.contains("“同意开展主题党日活动”没有表决记录"), "{out}");
}

// ---------------------------------------------------------------------------------------------
// 7. Secret ballot with 监票人 and 计票人

#[test]
fn a_secret_ballot_has_its_real_steps_and_the_minutes_record_the_method() {
    let committee = format!("{}{}", header("支委会").replace("2026-11-05", "2026-10-09"), absent(&[]));
    let text = format!(
        "{}{}\n[[decisions]]\ntext = \"同意接收李明同志为中共预备党员\"\nkind = \"admission\"\nmethod = \"无记名投票\"\n\
         tellers = [\"吴磊\"]\ncounters = [\"马俊\"]\nvotes = {{ yes = 12, no = 0, abstain = 0 }}\n",
        header("支部党员大会"),
        absent(&[])
    );
    let out = render(&[("c.toml", &committee), ("a.toml", &text)]);
    out.assert_clean();
    let host = both(&out, "03-主持词");
    assert_in(
        &host,
        "本次表决采用无记名投票方式。监票人：吴磊同志；计票人：马俊同志。请监票人、计票人就位，检查票箱。",
    );
    assert_in(&host, "下面发放表决票。请监票人、计票人清点并分发表决票。");
    assert_in(&host, "请大家填写表决票。（写票）");
    assert_in(&host, "现在开始投票。请监票人、计票人先投票，然后大家依次投票。（投票）");
    assert_in(&host, "投票结束。请监票人、计票人清点收回的表决票并计票。（计票）");
    assert_in(&host, "下面宣布表决结果。");
    assert_not_in(&host, "同意的请举手");
    assert_in(&both(&out, "05-会议记录"), "表决方式：无记名投票（监票人：吴磊；计票人：马俊）");
    assert_in(&both(&out, "07-会议纪要"), "会议以无记名投票方式对“同意接收李明同志为中共预备党员”进行表决");
}

#[test]
fn tellers_for_a_show_of_hands_are_an_error() {
    let text = format!(
        "{}{}\n[[decisions]]\ntext = \"通过工作计划\"\ntellers = [\"吴磊\"]\n",
        header("支部党员大会"),
        absent(&[])
    );
    let out = check(&text);
    out.assert_status(1);
    diagnostic(&out, "举手表决不设监票人", "a.toml:14:12");
}

// ---------------------------------------------------------------------------------------------
// 8. Written opinions of absent voters

fn confirmation(absent_names: &[&str], yes: u32, written: u32) -> String {
    format!(
        "{}{}\n[[decisions]]\ntext  = \"同意郑丽华同志按期转为中共正式党员\"\nkind  = \"confirmation\"\nvotes = {{ yes = {yes}, no = 0, abstain = 0, written = {written} }}\n",
        header("支部党员大会"),
        absent(absent_names)
    )
}

#[test]
fn written_opinions_count_up_to_the_absent_voters() {
    let committee = format!("{}{}", header("支委会").replace("2026-11-05", "2026-10-09"), absent(&[]));
    // 10 present voters and 2 written opinions: 12 yes, at the limit.
    let out = render(&[("c.toml", &committee), ("a.toml", &confirmation(&["周敏", "吴磊"], 12, 2))]);
    out.assert_clean();
    let host = both(&out, "03-主持词");
    assert_in(&host, "应到会有表决权的正式党员12名，实到10名，另有2名未到会的有表决权党员会前提交了书面意见。");
    assert_in(&both(&out, "05-会议记录"), "共12票（含书面意见2份），同意12票，不同意0票，弃权0票，通过。");
    // One more than the absent voters.
    let out = check(&confirmation(&["周敏", "吴磊"], 12, 3));
    out.assert_status(1);
    diagnostic(&out, "书面意见 3 份多于未到会的有表决权党员 2 人", "a.toml:15:9");
    // Written opinions only for admissions and confirmations.
    let ordinary = confirmation(&["周敏"], 11, 1).replace("kind  = \"confirmation\"\n", "");
    let out = check(&ordinary);
    out.assert_status(1);
    diagnostic(&out, "一般事项不统计书面意见", "a.toml:14:9");
}

// ---------------------------------------------------------------------------------------------
// 9. 留党察看 and suspended rights

fn with_status(extra: &str) -> String {
    BRANCH.replace("[[members]]\nname  = \"周敏\"\n", &format!("[[members]]\nname  = \"周敏\"\n{extra}"))
}

#[test]
fn members_under_disciplinary_probation_or_suspended_count_present_but_do_not_vote() {
    for (extra, label) in [("status = \"留党察看\"\n", "留党察看党员1人"), ("rights_suspended = \"被依法留置\"\n", "")]
    {
        let text = format!(
            "{}{}\n[[decisions]]\ntext  = \"通过工作计划\"\nvotes = {{ yes = 11, no = 0, abstain = 0 }}\n",
            header("支部党员大会"),
            absent(&[])
        );
        // 14 present, 11 of them with a vote: 11 votes is the limit, 12 is an error.
        let out = Test::new()
            .branch(&with_status(extra))
            .file("a.toml", &text)
            .args(&["render", "--format", "markdown,typst", "-o", "out", "a.toml"])
            .run();
        out.assert_clean();
        let host = both(&out, "03-主持词");
        assert_in(&host, "应到会有表决权的正式党员11名，实到11名。");
        if !label.is_empty() {
            assert_in(&host, "实到14人（正式党员11人，预备党员2人，留党察看党员1人）");
        }
        let too_many = Test::new()
            .branch(&with_status(extra))
            .file("a.toml", &text.replace("yes = 11", "yes = 12"))
            .args(&["check", "a.toml"])
            .run();
        too_many.assert_status(1);
        diagnostic(
            &too_many,
            "票数合计 12 票（同意 12 + 反对 0 + 弃权 0），多于实到的有表决权党员 11 人",
            "a.toml:14:9",
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 10. Elections with seats, candidates and ballots

fn election(seats: u32, ballots: (u32, u32, u32), candidates: &[(&str, u32)], absent_names: &[&str]) -> String {
    let list: Vec<String> = candidates.iter().map(|(n, v)| format!("{{ name = \"{n}\", votes = {v} }}")).collect();
    format!(
        "{}{}\n[[decisions]]\ntext = \"选举产生新一届支部委员会\"\nkind = \"election\"\ntellers = [\"吴磊\"]\ncounters = [\"马俊\"]\n\
         seats = {seats}\nballots = {{ issued = {}, returned = {}, valid = {} }}\ncandidates = [ {} ]\n",
        header("支部党员大会"),
        absent(absent_names),
        ballots.0,
        ballots.1,
        ballots.2,
        list.join(", ")
    )
}

#[test]
fn an_election_elects_best_first_over_half_of_those_present() {
    let text = election(2, (12, 12, 12), &[("张建国", 12), ("王芳", 5), ("刘洋", 9)], &[]);
    let out = render(&[("a.toml", &text)]);
    out.assert_clean();
    let minutes = both(&out, "05-会议记录");
    assert_in(&minutes, "选举情况：发出选票12张，收回12张，其中有效票12张；张建国同志得12票，王芳同志得5票，刘洋同志得9票，当选：张建国同志、刘洋同志。");
    assert_not_in(&minutes, "通过");
    let host = both(&out, "03-主持词");
    assert_in(&host, "首先，通过选举办法。");
    assert_in(&host, "本次选举应选2名，候选人3名：张建国同志、王芳同志、刘洋同志。");
    assert_in(&host, "下面宣布选举结果。");
    assert_in(&both(&out, "07-会议纪要"), "当选：张建国同志、刘洋同志。");
}

#[test]
fn an_election_at_exactly_four_fifths_has_no_quorum_unless_the_local_rule_says_so() {
    // 15 voters of whom 12 present would be exactly 4/5: use the 10-voter branch of the tests.
    let ten = "[branch]\nname = \"中共某某镇卫生院支部委员会\"\n\n".to_string()
        + &["张建国", "王芳", "刘洋", "陈静", "赵强", "孙伟", "周敏", "吴磊", "何婷", "马俊"]
            .iter()
            .map(|n| format!("[[members]]\nname = \"{n}\"\n\n"))
            .collect::<String>();
    let text = election(1, (8, 8, 8), &[("张建国", 6), ("王芳", 2)], &["何婷", "刘洋"]);
    let out = Test::new().branch(&ten).file("a.toml", &text).args(&["check", "a.toml"]).run();
    diagnostic(
        &out,
        "须超过应到会有选举权党员的五分之四（至少 9 人），实到 8 人（基数 10 人），选举无效",
        "a.toml:18:11",
    );
    let local = format!("{ten}[rules.\"支部党员大会\"]\nelection_quorum = \"不少于五分之四\"\n");
    let out = Test::new()
        .branch(&local)
        .file("a.toml", &text)
        .args(&["render", "--format", "markdown", "-o", "out", "a.toml"])
        .run();
    out.assert_clean();
    assert!(out.read("out/a/05-会议记录.md").contains("当选：张建国同志。"), "{out}");
}

#[test]
fn a_tie_at_the_last_seat_elects_nobody_among_the_tied() {
    let text = election(2, (12, 12, 12), &[("张建国", 11), ("王芳", 8), ("刘洋", 8)], &[]);
    let out = render(&[("a.toml", &text)]);
    diagnostic(&out, "最后一个名额得票相等：王芳、刘洋，未能确定当选人", "a.toml:12:1");
    assert_in(&both(&out, "05-会议记录"), "当选：张建国同志；王芳同志、刘洋同志得票相等，1个名额未能确定当选人。");
}

#[test]
fn more_ballots_returned_than_issued_or_no_more_candidates_than_seats_is_no_election() {
    let out = render(&[("a.toml", &election(1, (11, 12, 12), &[("张建国", 10), ("王芳", 2)], &[]))]);
    diagnostic(&out, "收回选票 12 张，多于发出选票 11 张，选举无效", "a.toml:18:11");
    assert_in(&both(&out, "05-会议记录"), "选举无效（收回选票多于发出选票）。");
    // 等额: as many candidates as seats.
    let out = render(&[("a.toml", &election(2, (12, 12, 12), &[("张建国", 10), ("王芳", 9)], &[]))]);
    diagnostic(&out, "候选人 2 名，应选 2 名，未实行差额选举，选举无效", "a.toml:17:9");
    assert_in(&both(&out, "05-会议记录"), "选举无效（候选人数不多于应选人数，未实行差额选举）。");
}

#[test]
fn an_election_by_show_of_hands_is_a_finding_and_no_election() {
    let text = election(1, (12, 12, 12), &[("张建国", 10), ("王芳", 2)], &[])
        .replace("tellers = [\"吴磊\"]\ncounters = [\"马俊\"]\n", "method = \"举手\"\n");
    let out = render(&[("a.toml", &text)]);
    diagnostic(&out, "采用了举手表决，选举无效", "a.toml:15:10");
    assert_in(&both(&out, "05-会议记录"), "选举无效（未采用无记名投票）。");
}

#[test]
fn candidates_must_have_the_right_to_be_elected_and_votes_within_the_ballots() {
    let out = check(&election(1, (12, 12, 12), &[("张建国", 13), ("郑丽华", 2)], &[]));
    out.assert_status(1);
    diagnostic(&out, "“张建国”得票 13 票，多于有效选票 12 张", "a.toml:19:40");
    diagnostic(&out, "“郑丽华”没有被选举权（预备党员）", "a.toml:19:55");
}

#[test]
fn the_old_one_count_election_stays_valid_and_says_elected() {
    let text = format!(
        "{}{}\n[[decisions]]\ntext  = \"选举张建国同志为支部书记\"\nkind  = \"election\"\nvotes = {{ yes = 11, no = 1, abstain = 0 }}\n",
        header("支部党员大会"),
        absent(&[])
    );
    let out = render(&[("a.toml", &text)]);
    out.assert_clean();
    assert_in(&both(&out, "05-会议记录"), "选举情况：赞成11票，不赞成1票，弃权0票，当选。");
}

// ---------------------------------------------------------------------------------------------
// 11. The voter base with every vote

#[test]
fn every_vote_states_its_voter_base() {
    let committee = format!(
        "{}{}\n[[decisions]]\ntext = \"原则通过工作安排\"\nvotes = {{ yes = 4, no = 0, abstain = 0 }}\n",
        header("支委会"),
        absent(&["赵强"])
    );
    let out = render(&[("a.toml", &committee)]);
    out.assert_clean();
    for doc in ["03-主持词", "05-会议记录", "07-会议纪要"] {
        assert_in(&both(&out, doc), "应到会支部委员5名，实到4名");
    }
    let congress = format!(
        "{}{}\n[[decisions]]\ntext = \"通过工作计划\"\nvotes = {{ yes = 12, no = 0, abstain = 0 }}\n",
        header("支部党员大会"),
        absent(&[])
    );
    let out = render(&[("a.toml", &congress)]);
    for doc in ["03-主持词", "05-会议记录", "07-会议纪要"] {
        assert_in(&both(&out, doc), "应到会有表决权的正式党员12名，实到12名");
    }
}

// ---------------------------------------------------------------------------------------------
// 12. Empty agenda items

#[test]
fn an_empty_agenda_item_gets_a_blank_in_the_minutes() {
    let text = format!("{}{}\n[[agenda]]\ntitle = \"观看警示教育片\"\n", header("支部党员大会"), absent(&[]));
    let out = render(&[("a.toml", &text)]);
    let [md, typ] = both(&out, "05-会议记录");
    assert!(md.contains("### 一、观看警示教育片\n\n内容：＿＿＿＿\n"), "{md}");
    assert!(typ.contains("内容：＿＿＿＿"), "{typ}");
}

// ---------------------------------------------------------------------------------------------
// 13. Wording

#[test]
fn a_group_meeting_is_issued_by_the_group_and_leave_is_asked_of_its_leader() {
    let text = format!("{}group = \"第一党小组\"\n{}", header("党小组会").replace("张建国", "孙伟"), absent(&[]));
    let out = render(&[("a.toml", &text)]);
    out.assert_clean();
    let notice = both(&out, "01-会议通知");
    assert_in(&notice, "须事先向党小组组长孙伟同志请假。");
    assert_in(&notice, "中共某某县卫生健康局机关第一支部委员会第一党小组");
    assert_not_in(&notice, "向支部书记请假");
    let [md, typ] = both(&out, "05-会议记录");
    assert!(md.contains("- 党小组：第一党小组\n"), "{md}");
    assert!(typ.contains("[党小组], table.cell(colspan: 3)[第一党小组（组长：孙伟）],"), "{typ}");
    assert!(out
        .read("out/a/07-会议纪要.typ")
        .contains("let signature = [中共某某县卫生健康局机关第一支部委员会第一党小组]"));
    // The default title names the group.
    assert_in(&notice, "机关第一党支部第一党小组2026年11月党小组会");
}

#[test]
fn a_theme_day_is_carried_out_and_another_activity_held_not_convened() {
    for (kind, verb) in [("主题党日", "开展"), ("其他", "举行")] {
        let out = render(&[("a.toml", &format!("{}{}", header(kind), absent(&[])))]);
        let name = if kind == "主题党日" { "01-活动通知" } else { "01-会议通知" };
        let notice = both(&out, name);
        assert_in(&notice, &format!("局机关三楼会议室{verb}"));
        assert_not_in(&notice, "会议室召开");
        let summary = if kind == "主题党日" { "07-活动总结" } else { "07-会议纪要" };
        assert_in(&both(&out, summary)[..1], &format!("局机关三楼会议室{verb}"));
    }
}

#[test]
fn names_get_tongzhi_titles_never_nest_brackets_and_committee_counts_are_in_members() {
    let text = format!(
        "{}\n[attendance]\nabsent = [ {{ name = \"赵强\", reason = \"出差\" }} ]\nguests = [ {{ name = \"李明\", title = \"入党申请人（发展对象）\" }} ]\n\
         \n[[agenda]]\ntitle = \"参观廉政教育基地\"\npresenter = \"刘洋\"\n",
        header("支委会")
    );
    let out = render(&[("a.toml", &text)]);
    out.assert_clean();
    let host = both(&out, "03-主持词");
    assert_in(&host, "本次会议应到委员5人，实到委员4人，请假1人：赵强同志（出差）。");
    assert_in(&host, "列席本次会议的有：入党申请人（发展对象）李明同志。");
    assert_in(&host, "下面进行第一项议程：参观廉政教育基地。请刘洋同志。");
    assert_not_in(&host, "发言");
    assert_not_in(&host, "正式党员");
    for doc in ["03-主持词", "05-会议记录", "01-会议通知"] {
        assert_not_in(&both(&out, doc), "（入党申请人（发展对象））");
    }
    let summary = both(&out, "07-会议纪要");
    assert_in(&summary, "由张建国同志主持，王芳同志记录。");
    assert_in(&summary, "应到委员5人，实到委员4人，请假1人：赵强同志（出差）。");
    let [md, typ] = both(&out, "05-会议记录");
    assert!(md.contains("- 实到：委员4人\n"), "{md}");
    assert!(typ.contains("[实到人数], [委员4人],"), "{typ}");
    // No colon or topic runs into the Markdown document name.
    let agenda = out.read("out/a/02-会议议程.md");
    assert!(agenda.starts_with("# 机关第一党支部2026年11月支委会\n\n**会议议程**\n"), "{agenda}");
}

#[test]
fn host_script_and_minutes_agree_on_the_words_of_a_vote() {
    let text = format!(
        "{}{}\n[[decisions]]\ntext = \"通过工作计划\"\nvotes = {{ yes = 10, no = 1, abstain = 1 }}\n",
        header("支部党员大会"),
        absent(&[])
    );
    let out = render(&[("a.toml", &text)]);
    let count = "同意10票，不同意1票，弃权1票，通过。";
    assert_in(&both(&out, "03-主持词"), count);
    assert_in(&both(&out, "05-会议记录"), count);
    assert_not_in(&both(&out, "05-会议记录"), "反对");
}

#[test]
fn the_org_life_frequency_finding_says_at_least_once_a_year() {
    let out = Test::new()
        .branch(BRANCH)
        .file("a.toml", &format!("{}{}", header("支委会"), absent(&[])))
        .args(&["check", "a.toml", "--period", "2026", "--today", "2027-01-15"])
        .run();
    assert!(
        out.stderr.contains("《中国共产党支部工作条例（试行）》第十七条规定党支部每年至少召开1次组织生活会"),
        "{out}"
    );
}
