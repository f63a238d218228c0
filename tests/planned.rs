//! Planned activities (`status = "计划"`): only the four pre-meeting documents, blanks where
//! attendance goes, no quorum claimed, the rules that need attendance skipped, and an error for
//! what can only be known after the meeting.

use std::path::Path;
use std::process::Command;

use crate::common::tools::{typst_path, PDFTOTEXT};
use crate::common::{diagnostic_containing, header, Test, BRANCH, EXPECTED};

/// A planned 支部党员大会 with a guest and a decision to be voted on; `status` is the given spelling.
fn planned(status: &str) -> String {
    format!(
        "{}status = \"{status}\"\nnotice_date = 2026-10-29\n\n\
         [attendance]\nguests = [ {{ name = \"李明\", title = \"发展对象\" }} ]\n\n\
         [[agenda]]\ntitle = \"发展对象汇报个人有关情况\"\npresenter = \"李明\"\n\n\
         [[agenda]]\ntitle = \"讨论表决\"\n\n\
         [[decisions]]\ntext = \"同意李明同志参加入党积极分子培训\"\nagenda = 2\n",
        header("支部党员大会")
    )
}

fn render_markdown(activity: &str) -> crate::common::Output {
    Test::new()
        .branch(BRANCH)
        .file("a.toml", activity)
        .args(&["render", "a.toml", "-o", "out", "--format", "markdown"])
        .run()
}

fn files(out: &crate::common::Output) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(out.path("out/a"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    names
}

#[test]
fn a_planned_meeting_renders_only_the_four_pre_meeting_documents() {
    let out = render_markdown(&planned("计划"));
    out.assert_clean();
    assert_eq!(files(&out), ["01-会议通知.md", "02-会议议程.md", "03-主持词.md", "04-签到表.md"]);
}

#[test]
fn the_host_script_of_a_planned_meeting_has_blanks_for_attendance_and_claims_no_quorum() {
    let out = render_markdown(&planned("计划"));
    out.assert_clean();
    let script = out.read("out/a/03-主持词.md");
    let lines: Vec<&str> = script.lines().collect();
    // 应到 comes from the roster and is known before the meeting; who comes is not.
    assert!(
        lines.contains(&"本次会议应到14人，实到＿＿人（正式党员＿＿人，预备党员＿＿人），请假＿＿人：＿＿＿＿。"),
        "{script}"
    );
    assert!(
        lines.contains(&"实到有表决权的正式党员＿＿人。按规定须超过应到会有表决权党员的半数（应到12人，至少7人），到会人数符合／不符合规定。"),
        "{script}"
    );
    assert!(lines.contains(&"下面对“同意李明同志参加入党积极分子培训”进行表决。"), "{script}");
    assert!(lines.contains(&"表决结果：同意＿＿票，不同意＿＿票，弃权＿＿票，通过／未通过。"), "{script}");
    assert!(!script.contains("符合规定，可以开会"), "{script}");
    assert!(!script.contains("无人请假"), "{script}");
}

#[test]
fn the_sign_in_sheet_of_a_planned_meeting_lists_everyone_with_nothing_marked() {
    let out = render_markdown(&planned("计划"));
    let sheet = out.read("out/a/04-签到表.md");
    let rows: Vec<&str> =
        sheet.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| 序号") && !l.starts_with("| :")).collect();
    // 14 expected members, then the guest's table.
    assert_eq!(rows.len(), EXPECTED.len() + 1, "{sheet}");
    for (row, name) in rows.iter().zip(EXPECTED) {
        assert!(row.contains(&format!(" {name} |")), "{row}");
        assert!(row.ends_with("| | |"), "signature and 备注 are empty: {row}");
    }
    assert!(sheet.lines().any(|l| l == "应到：14人　　实到：＿＿人　　请假：＿＿人"), "{sheet}");
    assert!(!rows.iter().any(|r| r.contains("请假")), "{sheet}");
}

#[test]
fn planned_is_accepted_in_english_and_held_is_todays_behaviour() {
    let english = render_markdown(&planned("planned"));
    english.assert_clean();
    assert_eq!(files(&english).len(), 4);
    let held = render_markdown(&planned("已召开"));
    held.assert_clean();
    assert_eq!(
        files(&held),
        ["01-会议通知.md", "02-会议议程.md", "03-主持词.md", "04-签到表.md", "05-会议记录.md", "07-会议纪要.md"]
    );
    let script = held.read("out/a/03-主持词.md");
    assert!(script.contains("本次会议应到14人，实到14人（正式党员12人，预备党员2人）。"), "{script}");
    assert!(script.contains("符合规定，可以开会"), "{script}");
}

#[test]
fn only_asking_for_after_meeting_documents_of_a_planned_meeting_gives_only_pre_meeting_ones() {
    let out = Test::new()
        .branch(BRANCH)
        .file("a.toml", &planned("计划"))
        .args(&["render", "a.toml", "-o", "out", "--format", "markdown", "--only", "notice,minutes,summary"])
        .run();
    out.assert_status(0);
    assert_eq!(files(&out), ["01-会议通知.md"]);
}

#[test]
fn rules_that_need_attendance_are_skipped_for_a_planned_meeting() {
    // A planned 支委会: nobody is counted and nothing is claimed or found.
    let committee = format!("{}status = \"计划\"\n\n[[agenda]]\ntitle = \"研究发展党员工作\"\n", header("支委会"));
    let out = Test::new().branch(BRANCH).file("a.toml", &committee).args(&["check", "a.toml"]).run();
    out.assert_status(0);
    assert!(out.stdout.contains("发现 0 项"), "{out}");
    let rendered = render_markdown(&committee);
    let script = rendered.read("out/a/03-主持词.md");
    // A 支委会 counts its members as 委员.
    assert!(script.contains("本次会议应到委员5人，实到委员＿＿人，请假＿＿人：＿＿＿＿。"), "{script}");
    assert!(
        script.contains(
            "实到支部委员＿＿人。按规定须超过支部委员会委员的半数（应到5人，至少3人），到会人数符合／不符合规定。"
        ),
        "{script}"
    );
}

#[test]
fn the_other_rules_still_apply_to_a_planned_meeting() {
    let text = planned("计划")
        .replace("host     = \"张建国\"", "host     = \"张健国\"")
        .replace("notice_date = 2026-10-29", "notice_date = 2026-11-29");
    let out = Test::new().branch(BRANCH).file("a.toml", &text).args(&["check", "a.toml"]).run();
    out.assert_status(1);
    assert!(
        diagnostic_containing(&out.stderr, "主持人“张健国”不在党员名册中").is_some_and(|d| d.contains("a.toml:6:")),
        "{out}"
    );
    assert!(diagnostic_containing(&out.stderr, "通知日期 2026-11-29 晚于活动日期").is_some(), "{out}");
}

/// What is only known after the meeting, each written into a planned activity: an error at that
/// place that says to set status = "held" first.
#[test]
fn after_meeting_facts_in_a_planned_activity_are_errors_pointing_at_them() {
    let cases = [
        ("[attendance]\npresent = [ \"张建国\" ]\n", "attendance.present", "实到人员"),
        ("[attendance]\nabsent = [ { name = \"赵强\", reason = \"出差\" } ]\n", "attendance.absent", "请假人员"),
        (
            "[[agenda]]\ntitle = \"讨论\"\nspeeches = [ { speaker = \"王芳\", text = \"同意。\" } ]\n",
            "agenda[0].speeches",
            "发言",
        ),
        (
            "[[decisions]]\ntext = \"同意\"\nvotes = { yes = 10, no = 0, abstain = 0 }\n",
            "decisions[0].votes",
            "表决情况",
        ),
        ("[[photos]]\nfile = \"p.jpg\"\n", "photos", "照片"),
        ("[summary]\ntext = \"会议开得很好。\"\n", "summary", "会议纪要"),
        ("[[reflections]]\nauthor = \"王芳\"\ntext = \"收获很大。\"\n", "reflections", "心得体会"),
    ];
    for (part, field, label) in cases {
        let text = format!("{}status = \"计划\"\n{part}", header("支部党员大会"));
        let out = Test::new().branch(BRANCH).file("a.toml", &text).jpeg("p.jpg").args(&["check", "a.toml"]).run();
        out.assert_status(1);
        // The offending key or value is on line 10, after the 7 header lines, status and the
        // table header (or on line 9 for a key written straight after status).
        let diagnostic = diagnostic_containing(&out.stderr, "会前不能填写").unwrap_or_else(|| panic!("{part}\n{out}"));
        assert!(
            diagnostic.contains(&format!("本活动还是“计划”（第 8 行 status），会前不能填写{label}")),
            "{diagnostic}"
        );
        assert!(diagnostic.contains(&format!("字段 {field}（{label}）")), "{diagnostic}");
        assert!(diagnostic.contains("把 status 改为 \"已召开\"（held）"), "{diagnostic}");
        let line = if part.starts_with("[[decisions]]") || part.starts_with("[[agenda]]") { 11 } else { 10 };
        let line = if part.starts_with("[summary]") { 9 } else { line };
        assert!(diagnostic.contains(&format!("a.toml:{line}:")), "{part}: {diagnostic}");
    }
}

// ---------------------------------------------------------------------------------------------
// The printed pages

/// typst and pdftotext, or `None` (skip, with a note; a failure under `CI=true`).
fn typst() -> Option<std::path::PathBuf> {
    typst_path(&[PDFTOTEXT], "the PDF test of a planned meeting")
}

/// The text of a PDF in reading order (`-layout`, so a table's header stays on its line), with
/// every space and line break removed: Chinese lines break anywhere.
fn pdf_text(pdf: &Path) -> String {
    let output = Command::new("pdftotext").arg("-layout").arg(pdf).arg("-").output().expect("pdftotext runs");
    assert!(output.status.success(), "pdftotext failed on {}", pdf.display());
    String::from_utf8(output.stdout).unwrap().chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn the_printed_host_script_and_sign_in_sheet_of_a_planned_meeting_have_blanks() {
    let Some(typst) = typst() else { return };
    let out = Test::new()
        .branch(BRANCH)
        .file("a.toml", &planned("计划"))
        .args(&["render", "a.toml", "-o", "out", "--format", "pdf", "--split", "--typst", typst.to_str().unwrap()])
        .run();
    out.assert_status(0);
    let script = pdf_text(&out.path("out/a/03-主持词.pdf"));
    assert!(
        script.contains("本次会议应到14人，实到＿＿人（正式党员＿＿人，预备党员＿＿人），请假＿＿人：＿＿＿＿。"),
        "{script}"
    );
    assert!(
        script.contains("按规定须超过应到会有表决权党员的半数（应到12人，至少7人），到会人数符合／不符合规定。"),
        "{script}"
    );
    assert!(script.contains("表决结果：同意＿＿票，不同意＿＿票，弃权＿＿票，通过／未通过。"), "{script}");
    assert!(!script.contains("可以开会"), "{script}");
    let sheet = pdf_text(&out.path("out/a/04-签到表.pdf"));
    assert!(sheet.contains("应到14人实到＿＿人请假＿＿人"), "{sheet}");
    assert!(!sheet.contains("请假："), "{sheet}");
    for name in EXPECTED {
        assert!(sheet.contains(name), "{name}: {sheet}");
    }
    // The packet lists and holds only the four documents.
    let packet = pdf_text(&out.path("out/a/00-全套.pdf"));
    assert!(packet.contains("签到表") && !packet.contains("会议记录") && !packet.contains("会议纪要"), "{packet}");
    assert!(!out.path("out/a/05-会议记录.pdf").exists());
}

#[test]
fn a_planned_meeting_may_leave_out_the_recorder_and_a_held_one_may_not() {
    let without_recorder =
        |text: String| text.lines().filter(|l| !l.starts_with("recorder")).collect::<Vec<_>>().join("\n");
    let out = render_markdown(&without_recorder(planned("计划")));
    out.assert_clean();
    assert_eq!(files(&out).len(), 4);

    let out = render_markdown(&without_recorder(planned("已召开")));
    assert_eq!(out.status, 1, "{out}");
    let error = diagnostic_containing(&out.stderr, "缺少必填项 `recorder`（记录人）")
        .expect("the missing recorder is reported");
    assert!(error.contains("--> a.toml:1:1"), "{error}");
    assert!(error.contains("会议已召开"), "{error}");
}
