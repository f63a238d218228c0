//! The inspector's read of the example quarter (issue 14's "Done when"): each problem found in
//! the rendered documents, asserted in the exact text that reaches them, in both formats.

use crate::common::documents::{assert_in, assert_not_in, both, diagnostic, render};
use crate::common::{header, Test, BRANCH};

/// The 支委会 an admission or confirmation needs before it in the run.
fn committee() -> String {
    format!("{}\n[attendance]\nabsent = []\n", header("支委会").replace("2026-11-05", "2026-10-09"))
}

fn congress(absent: &str, decisions: &str) -> String {
    format!("{}\n[attendance]\nabsent = [ {absent} ]\n{decisions}", header("支部党员大会"))
}

// ---------------------------------------------------------------------------------------------
// Written opinions belong to the total, not to 弃权

#[test]
fn written_opinions_are_said_of_the_total_not_of_the_abstentions() {
    let decision = "\n[[decisions]]\ntext  = \"同意郑丽华同志按期转为中共正式党员\"\nkind  = \"confirmation\"\n\
                    votes = { yes = 10, no = 0, abstain = 1, written = 1 }\n";
    let text = congress("{ name = \"赵强\", reason = \"出差\" }, { name = \"马俊\", reason = \"病假\" }", decision);
    let out = render(&[("c.toml", &committee()), ("a.toml", &text)]);
    out.assert_clean();
    let docs = [both(&out, "03-主持词"), both(&out, "05-会议记录"), both(&out, "07-会议纪要")].concat();
    assert_in(&docs, "共11票（含书面意见1份），同意10票，不同意0票，弃权1票，通过。");
    assert_not_in(&docs, "弃权1票（其中书面意见");
}

// ---------------------------------------------------------------------------------------------
// 发展党员工作细则第二十一条: an admission is voted by secret ballot

fn admission(method: &str) -> String {
    let decision = format!(
        "\n[[decisions]]\ntext  = \"同意接收李明同志为中共预备党员\"\nkind  = \"admission\"\n{method}\
         votes = {{ yes = 12, no = 0, abstain = 0 }}\n"
    );
    congress("", &decision)
}

#[test]
fn an_admission_by_show_of_hands_is_a_finding_citing_article_21() {
    let out = render(&[("c.toml", &committee()), ("a.toml", &admission("method = \"举手\"\n"))]);
    out.assert_status(0);
    let block = diagnostic(&out, "接收预备党员“同意接收李明同志为中共预备党员”采用了举手表决", "a.toml:15:10");
    assert!(
        block.contains("依据《中国共产党发展党员工作细则》第二十一条：讨论接收预备党员，采取无记名投票方式表决"),
        "{block}"
    );
    assert!(block.contains("method = \"无记名投票\""), "{block}");
    // Recorded as it happened: the minutes say 举手 and the count stands.
    let minutes = both(&out, "05-会议记录");
    assert_in(&minutes, "同意12票，不同意0票，弃权0票，通过。");
    // Without `method` the vote is by show of hands too: the finding points at the votes.
    let out = render(&[("c.toml", &committee()), ("a.toml", &admission(""))]);
    diagnostic(&out, "采用了举手表决", "a.toml:15:9");
    // A secret ballot is clean.
    let ballot = "method = \"无记名投票\"\ntellers = [\"吴磊\"]\ncounters = [\"林晓燕\"]\n";
    render(&[("c.toml", &committee()), ("a.toml", &admission(ballot))]).assert_clean();
}

// ---------------------------------------------------------------------------------------------
// A title inside a sentence: no 关于 twice, no bare colon

#[test]
fn a_title_inside_a_sentence_drops_its_guanyu_and_quotes_a_colon() {
    let text = format!(
        "title = \"关于接收李明同志为预备党员的支部党员大会\"\n{}\n[attendance]\nabsent = []\n",
        header("支部党员大会")
    );
    let out = render(&[("a.toml", &text)]);
    let notice = both(&out, "01-会议通知");
    assert_in(&notice, "在局机关三楼会议室召开接收李明同志为预备党员的支部党员大会。现将有关事项通知如下：");
    assert_not_in(&notice, "召开关于");
    assert_in(
        &both(&out, "07-会议纪要"),
        "在局机关三楼会议室召开接收李明同志为预备党员的支部党员大会，由张建国同志主持",
    );

    let lecture = format!(
        "title = \"书记讲党课：学习贯彻党的二十届四中全会精神\"\nlecturer = \"张建国\"\ntheme = \"学习全会精神\"\n{}\n[attendance]\nabsent = []\n",
        header("党课")
    );
    let out = render(&[("a.toml", &lecture)]);
    let [md, typ] = both(&out, "01-活动通知");
    assert!(md.contains("# 关于开展“书记讲党课：学习贯彻党的二十届四中全会精神”的通知\n"), "{md}");
    assert!(typ.contains("title-lines(\"关于开展“书记讲党课：学习贯彻党的二十届四中全会精神”的通知\")"), "{typ}");
    assert_in(&[md, typ], "在局机关三楼会议室开展“书记讲党课：学习贯彻党的二十届四中全会精神”。现将有关事项通知如下：");
    assert_in(
        &both(&out, "03-主持词"),
        "今天，我们在局机关三楼会议室开展“书记讲党课：学习贯彻党的二十届四中全会精神”。",
    );
    assert_in(&both(&out, "03-主持词"), "本次党课由张建国同志主讲，主题是“学习全会精神”。");
    assert_in(&both(&out, "03-主持词"), "活动议程已全部进行完毕。现在散会。");
}

// ---------------------------------------------------------------------------------------------
// The 纪要 is signed in both formats, and a 党小组会's is the group's

#[test]
fn the_digest_is_signed_in_both_formats_and_a_group_meeting_is_the_groups() {
    let text = format!(
        "title = \"第一党小组11月党小组会\"\ngroup = \"第一党小组\"\n{}\n[attendance]\nabsent = []\n",
        header("党小组会").replace("host     = \"张建国\"", "host     = \"孙伟\"")
    );
    let out = render(&[("a.toml", &text)]);
    out.assert_clean();
    let [md, typ] = both(&out, "07-会议纪要");
    assert!(md.ends_with("\n\n中共某某县卫生健康局机关第一支部委员会第一党小组\n\n2026年11月5日\n"), "{md}");
    assert!(typ.contains("中共某某县卫生健康局机关第一支部委员会第一党小组"), "{typ}");
    let digest = "，在局机关三楼会议室召开第一党小组11月党小组会，由孙伟同志主持";
    assert_in(&[md.clone(), typ.clone()], digest);
    assert_not_in(&[md, typ], "机关第一党支部在");
    // A title without the group's name gets it as the subject.
    let out = render(&[("a.toml", &text.replace("第一党小组11月党小组会", "11月党小组会"))]);
    assert_in(&both(&out, "07-会议纪要"), "，机关第一党支部第一党小组在局机关三楼会议室召开11月党小组会，");
}

// ---------------------------------------------------------------------------------------------
// An election's result is announced once, at the item that announces it

#[test]
fn an_election_result_is_announced_at_its_own_agenda_item_only() {
    let text = format!(
        "{}\n[attendance]\nabsent = []\n\n[[agenda]]\ntitle = \"选举支部委员会委员\"\n\n\
         [[agenda]]\ntitle = \"宣布选举结果\"\npresenter = \"吴磊\"\n\n\
         [[decisions]]\ntext = \"选举支部委员会委员\"\nagenda = 1\nkind = \"election\"\ntellers = [\"吴磊\"]\n\
         counters = [\"林晓燕\"]\nseats = 1\nballots = {{ issued = 12, returned = 12, valid = 12 }}\n\
         candidates = [ {{ name = \"王芳\", votes = 9 }}, {{ name = \"刘洋\", votes = 3 }} ]\n",
        header("支部党员大会")
    );
    let out = render(&[("a.toml", &text)]);
    out.assert_clean();
    let result = "选举结果：发出选票12张，收回12张，其中有效票12张；王芳同志得9票，刘洋同志得3票，当选：王芳同志。";
    let mut docs = both(&out, "03-主持词").to_vec();
    docs.extend(word_host_script(&text));
    for doc in &docs {
        assert_eq!(doc.matches(result).count(), 1, "{doc}");
        assert!(!doc.contains("下面宣布选举结果"), "{doc}");
        let announce = doc.find("下面进行第二项议程：宣布选举结果。请吴磊同志。").expect(doc);
        assert!(doc.find(result).unwrap() > announce, "{doc}");
        assert!(doc.find("（计票）").unwrap() < announce, "{doc}");
    }
    // Without such an item, the host announces it at the vote.
    let alone = text.replace("title = \"宣布选举结果\"", "title = \"其他事项\"");
    let out = render(&[("a.toml", &alone)]);
    let mut host = both(&out, "03-主持词").to_vec();
    host.extend(word_host_script(&alone));
    assert_in(&host, "下面宣布选举结果。");
    for doc in &host {
        assert!(doc.find(result).unwrap() < doc.find("下面进行第二项议程").unwrap(), "{doc}");
    }
}

/// The Word host script of `a.toml`, one paragraph a line, as python-docx reads it (`None`
/// without python-docx).
fn word_host_script(text: &str) -> Option<String> {
    let out = Test::new()
        .branch(BRANCH)
        .file("a.toml", text)
        .args(&["render", "a.toml", "--format", "docx", "-o", "out"])
        .run();
    out.assert_status(0);
    let docs = crate::docx::paragraphs(&[out.path("out/a/03-主持词.docx")])?;
    Some(docs.into_values().next().expect("one document").join("\n"))
}

// ---------------------------------------------------------------------------------------------
// The 纪要's signature in the PDF: one line, however long the issuer

#[test]
fn a_group_meetings_digest_signature_stays_on_one_line_in_the_pdf() {
    use crate::common::tools::{typst_path, PDFTOTEXT};
    let Some(typst) = typst_path(&[PDFTOTEXT], "the 纪要 signature PDF test") else { return };
    let out = Test::new()
        .example()
        .args(&["render", "2026Q4/2026-10-20-党小组会.toml", "-o", "out", "--only", "summary", "--format", "pdf"])
        .args(&["--typst", typst.to_str().unwrap()])
        .run();
    assert_eq!(out.status, 0, "{out}");
    let pdf = out.path("out/2026-10-20-党小组会/00-全套.pdf");
    let text = std::process::Command::new("pdftotext").arg("-layout").arg(&pdf).arg("-").output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    // Not justified (no spaces between its characters), not wrapped (no 组 on a line of its own).
    assert!(lines.contains(&"中共某某县卫生健康局机关第一支部委员会第一党小组"), "{text}");
    assert!(lines.contains(&"2026年10月20日"), "{text}");
}
