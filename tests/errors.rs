//! Input errors: one test per class of error in shared/spec/input-format.md, each asserting the
//! exact message (snapshot, with the quoted line and the caret), the `file:line:column`, and the
//! field with its Chinese label.

use crate::common::{attended, header, names, Output, Test, BRANCH, EXPECTED};

/// `pdb check a.toml` on one activity file, next to the standard branch.
fn check(activity: &str) -> Output {
    Test::new().branch(BRANCH).file("a.toml", &attended(activity)).args(&["check", "a.toml"]).run()
}

/// The run failed with exactly `count` errors in a.toml, and the (first) error is at `location`
/// and names `field`, with its Chinese `label` when the field has one.
#[track_caller]
fn assert_error(out: &Output, count: usize, location: &str, field: &str) {
    out.assert_status(1);
    assert!(out.stdout.contains(&format!("失败 a.toml（{count} 处错误）")), "{out}");
    assert!(out.stdout.contains("完成 0 个，失败 1 个"), "{out}");
    assert!(out.stderr.starts_with("错误: "), "{out}");
    assert!(out.stderr.contains(&format!("--> {location}\n")), "expected location {location}\n{out}");
    assert!(out.stderr.contains(&format!("字段 {field}")), "expected field {field}\n{out}");
}

/// Asserts the Chinese label printed beside the field: `字段 host（主持人）`.
#[track_caller]
fn assert_label(out: &Output, field: &str, label: &str) {
    assert!(out.stderr.contains(&format!("字段 {field}（{label}）")), "expected {field}（{label}）\n{out}");
}

#[track_caller]
fn assert_help(out: &Output, help: &str) {
    assert!(out.stderr.contains(&format!("= 修改建议: {help}")), "expected help “{help}”\n{out}");
}

// ---------------------------------------------------------------------------------------------
// Unknown keys, wrong types, missing keys, bad enum values

#[test]
fn unknown_key_at_top_level() {
    let out = check(&format!("{}titel = \"第四季度支部党员大会\"\n", header("支部党员大会")));
    assert_error(&out, 1, "a.toml:8:1", "titel");
    assert!(out.stderr.contains("文件顶层没有 `titel` 这一项"), "{out}");
    assert_help(&out, "您是不是要写 `title`？");
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn unknown_key_in_agenda() {
    let out = check(&format!(
        "{}\n[[agenda]]\ntitle    = \"传达学习上级会议精神\"\npresentr = \"张建国\"\n",
        header("支部党员大会")
    ));
    assert_error(&out, 1, "a.toml:11:1", "agenda[0].presentr");
    assert!(out.stderr.contains("[agenda[0]] 中没有 `presentr` 这一项"), "{out}");
    assert_help(&out, "您是不是要写 `presenter`？");
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn string_where_integer_expected() {
    let out = check(&format!(
        "{}\n[[decisions]]\ntext  = \"同意……\"\nvotes = {{ yes = \"11\", no = 0, abstain = 0 }}\n",
        header("支部党员大会")
    ));
    assert_error(&out, 1, "a.toml:11:17", "decisions[0].votes.yes");
    assert_label(&out, "decisions[0].votes.yes", "同意票数");
    assert!(out.stderr.contains("这里应为整数"), "{out}");
    assert_help(&out, "写不带引号的整数，例如 yes = 11");
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn a_number_written_as_text_is_fixed_with_its_own_key() {
    // Not a vote count: the example names the key being fixed.
    let out = check(&format!(
        "{}\n[[decisions]]\ntext  = \"选举支部委员会\"\nkind  = \"election\"\nseats = \"3\"\n",
        header("支部党员大会")
    ));
    assert_error(&out, 1, "a.toml:12:9", "decisions[0].seats");
    assert_help(&out, "写不带引号的整数，例如 seats = 6");
    assert!(!out.stderr.contains("yes = 11"), "{out}");
}

#[test]
fn quoted_date() {
    let activity = header("支部党员大会").replace("date     = 2026-11-05", "date     = \"2026-11-05\"");
    let out = check(&activity);
    assert_error(&out, 1, "a.toml:2:12", "date");
    assert_label(&out, "date", "日期");
    assert_help(&out, "日期请直接写成 2026-11-05 这样的格式，不加引号");
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn missing_required_key() {
    let activity = header("支部党员大会").replace("host     = \"张建国\"\n", "");
    let out = check(&activity);
    assert_error(&out, 1, "a.toml:1:1", "host");
    assert_label(&out, "host", "主持人");
    assert!(out.stderr.contains("缺少必填项 `host`（主持人）"), "{out}");
    assert!(!out.stderr.contains("kind.host"), "{out}");
    assert_help(&out, "补上一行 host = …");
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn missing_required_key_in_array_table() {
    let out = check(&format!("{}\n[attendance]\nabsent = [ {{ name = \"赵强\" }} ]\n", header("支部党员大会")));
    assert_error(&out, 1, "a.toml:10:12", "attendance.absent[0].reason");
    assert_label(&out, "attendance.absent[0].reason", "请假原因");
    assert!(out.stderr.contains("缺少必填项 `reason`（请假原因）"), "{out}");
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn unknown_kind_with_did_you_mean() {
    let out = check(&header("支部党员代会"));
    assert_error(&out, 1, "a.toml:1:12", "kind");
    assert_label(&out, "kind", "活动类型");
    assert!(out.stderr.contains("无法识别的活动类型“支部党员代会”"), "{out}");
    assert!(out.stderr.contains("您是不是要写“支部党员大会”？"), "{out}");
    // Every accepted value is listed, Chinese and slug.
    assert!(out.stderr.contains("支部委员会会议（committee）"), "{out}");
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn unknown_decision_kind_slug_with_did_you_mean() {
    let out = check(&format!("{}\n[[decisions]]\ntext = \"同意……\"\nkind = \"admision\"\n", header("支部党员大会")));
    assert_error(&out, 1, "a.toml:11:8", "decisions[0].kind");
    assert_label(&out, "decisions[0].kind", "决议类型");
    assert!(out.stderr.contains("您是不是要写“admission”？"), "{out}");
}

// ---------------------------------------------------------------------------------------------
// Names that are not on the roster

#[test]
fn host_not_on_roster() {
    let out = check(&header("支部党员大会").replace("\"张建国\"", "\"张建果\""));
    assert_error(&out, 1, "a.toml:6:12", "host");
    assert_label(&out, "host", "主持人");
    assert!(out.stderr.contains("主持人“张建果”不在党员名册中"), "{out}");
    assert!(out.stderr.contains("您是不是要写“张建国”？"), "{out}");
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn recorder_not_on_roster() {
    let out = check(&header("支部党员大会").replace("\"王芳\"", "\"王方\""));
    assert_error(&out, 1, "a.toml:7:12", "recorder");
    assert_label(&out, "recorder", "记录人");
    assert!(out.stderr.contains("您是不是要写“王芳”？"), "{out}");
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn host_may_not_be_a_guest() {
    let activity = format!(
        "{}\n[attendance]\nguests = [ {{ name = \"孙丽\", title = \"局机关党委委员\" }} ]\n",
        header("支部党员大会").replace("\"张建国\"", "\"孙丽\"")
    );
    let out = check(&activity);
    assert_error(&out, 1, "a.toml:6:12", "host");
    assert!(out.stderr.contains("主持人“孙丽”不在党员名册中"), "{out}");
}

#[test]
fn presenter_not_on_roster_nor_guest() {
    let out = check(&format!(
        "{}\n[attendance]\nguests = [ {{ name = \"孙丽\", title = \"局机关党委委员\" }} ]\n\n\
         [[agenda]]\ntitle     = \"上级党委领导讲话\"\npresenter = \"孙莉\"\n",
        header("支部党员大会")
    ));
    assert_error(&out, 1, "a.toml:14:13", "agenda[0].presenter");
    assert_label(&out, "agenda[0].presenter", "报告人");
    assert!(out.stderr.contains("报告人“孙莉”不在党员名册和列席人员中"), "{out}");
    // The guest is among the suggestions.
    assert!(out.stderr.contains("您是不是要写“孙丽”？"), "{out}");
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn speaker_not_on_roster() {
    let out = check(&format!(
        "{}\n[[agenda]]\ntitle    = \"讨论\"\nspeeches = [ {{ speaker = \"陈晶\", text = \"同意。\" }} ]\n",
        header("支部党员大会")
    ));
    assert_error(&out, 1, "a.toml:11:26", "agenda[0].speeches[0].speaker");
    assert_label(&out, "agenda[0].speeches[0].speaker", "发言人");
    assert!(out.stderr.contains("您是不是要写“陈静”？"), "{out}");
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn absent_name_not_on_roster() {
    let out = check(&format!(
        "{}\n[attendance]\nabsent = [ {{ name = \"赵墙\", reason = \"出差\" }} ]\n",
        header("支部党员大会")
    ));
    assert_error(&out, 1, "a.toml:10:21", "attendance.absent[0].name");
    assert_label(&out, "attendance.absent[0].name", "请假人员姓名");
    assert!(out.stderr.contains("您是不是要写“赵强”？"), "{out}");
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn present_name_not_on_roster() {
    let out =
        check(&format!("{}\n[attendance]\npresent = [ \"张建国\", \"王芳\", \"吴雷\" ]\n", header("支部党员大会")));
    // The first error is the unknown name; the two findings about everyone else not being
    // listed are not reported, since nothing is rendered.
    assert_error(&out, 1, "a.toml:10:26", "attendance.present[2]");
    assert_label(&out, "attendance.present[2]", "实到人员");
    assert!(out.stderr.contains("您是不是要写“吴磊”？"), "{out}");
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn lecturer_not_on_roster() {
    let out = check(&format!("{}lecturer = \"孙为\"\ntheme    = \"学习党章\"\n", header("党课")));
    assert_error(&out, 1, "a.toml:8:12", "lecturer");
    assert_label(&out, "lecturer", "主讲人");
    assert!(out.stderr.contains("您是不是要写“孙伟”？"), "{out}");
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn guests_may_present_speak_and_lecture() {
    let activity = format!(
        "{}lecturer = \"孙丽\"\n\n[attendance]\nguests = [ {{ name = \"孙丽\", title = \"局机关党委委员\" }} ]\n\n\
         [[agenda]]\ntitle     = \"专题党课\"\npresenter = \"孙丽\"\nspeeches  = [ {{ speaker = \"孙丽\", text = \"……\" }} ]\n",
        header("党课")
    );
    check(&activity).assert_clean();
}

#[test]
fn several_errors_are_all_reported() {
    let activity = format!(
        "{}\n[attendance]\nabsent = [ {{ name = \"赵墙\", reason = \"出差\" }} ]\n",
        header("支部党员大会").replace("\"张建国\"", "\"张建果\"")
    );
    let out = check(&activity);
    assert_error(&out, 2, "a.toml:6:12", "host");
    assert!(out.stderr.contains("--> a.toml:10:21\n"), "{out}");
}

// ---------------------------------------------------------------------------------------------
// Attendance

#[test]
fn name_both_absent_and_present() {
    let out = check(&format!(
        "{}\n[attendance]\nabsent  = [ {{ name = \"赵强\", reason = \"出差\" }} ]\npresent = {}\n",
        header("支部党员大会"),
        names(&EXPECTED)
    ));
    assert_error(&out, 1, "a.toml:10:22", "attendance.absent[0].name");
    assert_label(&out, "attendance.absent[0].name", "请假人员姓名");
    assert!(out.stderr.contains("“赵强”同时出现在请假人员和实到人员中"), "{out}");
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn absent_member_not_expected() {
    // 孙伟 is not on the committee, so he is not expected at a 支委会.
    let out =
        check(&format!("{}\n[attendance]\nabsent = [ {{ name = \"孙伟\", reason = \"出差\" }} ]\n", header("支委会")));
    assert_error(&out, 1, "a.toml:10:21", "attendance.absent[0].name");
    assert_label(&out, "attendance.absent[0].name", "请假人员姓名");
    assert!(out.stderr.contains("“孙伟”不是本次支委会的应到人员"), "{out}");
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn excluded_member_needs_no_leave() {
    let out = check(&format!(
        "{}\n[attendance]\nabsent = [ {{ name = \"黄志刚\", reason = \"病休\" }} ]\n",
        header("支部党员大会")
    ));
    assert_error(&out, 1, "a.toml:10:21", "attendance.absent[0].name");
    assert!(out.stderr.contains("“黄志刚”不是本次支部党员大会的应到人员"), "{out}");
}

fn empty_reason() -> Output {
    check(&format!("{}\n[attendance]\nabsent = [ {{ name = \"赵强\", reason = \"  \" }} ]\n", header("支部党员大会")))
}

#[test]
fn absent_reason_empty() {
    let out = empty_reason();
    out.assert_status(1);
    assert!(out.stdout.contains("失败 a.toml（1 处错误）"), "{out}");
    assert!(out.stderr.contains("“赵强”的请假原因是空的"), "{out}");
    assert!(out.stderr.contains("a.toml:10:"), "{out}");
    assert_label(&out, "attendance.absent[0].reason", "请假原因");
    assert_help(&out, "写明请假原因，例如 reason = \"出差\"");
}

#[test]
fn absent_reason_empty_points_at_the_reason() {
    let out = empty_reason();
    assert_error(&out, 1, "a.toml:10:36", "attendance.absent[0].reason");
    assert_label(&out, "attendance.absent[0].reason", "请假原因");
    insta::assert_snapshot!(out.stderr);
}

// ---------------------------------------------------------------------------------------------
// Times and dates

#[test]
fn end_not_after_start() {
    let out = check(&header("支部党员大会").replace("end      = 16:00:00", "end      = 14:30:00"));
    assert_error(&out, 1, "a.toml:4:12", "end");
    assert_label(&out, "end", "结束时间");
    assert!(out.stderr.contains("结束时间 14:30 不晚于开始时间 14:30"), "{out}");
    insta::assert_snapshot!(out.stderr);

    let earlier = check(&header("支部党员大会").replace("end      = 16:00:00", "end      = 09:00:00"));
    assert_error(&earlier, 1, "a.toml:4:12", "end");
    let later = check(&header("支部党员大会").replace("end      = 16:00:00", "end      = 14:31:00"));
    later.assert_clean();
}

#[test]
fn notice_date_after_date() {
    let out = check(&format!("{}notice_date = 2026-11-06\n", header("支部党员大会")));
    assert_error(&out, 1, "a.toml:8:15", "notice_date");
    assert_label(&out, "notice_date", "通知日期");
    assert!(out.stderr.contains("通知日期 2026-11-06 晚于活动日期 2026-11-05"), "{out}");
    insta::assert_snapshot!(out.stderr);

    // The same day is allowed.
    check(&format!("{}notice_date = 2026-11-05\n", header("支部党员大会"))).assert_clean();
}

// ---------------------------------------------------------------------------------------------
// Photos

fn photo(file: &str) -> String {
    format!("{}\n[[photos]]\nfile    = \"{file}\"\ncaption = \"支部书记传达上级会议精神\"\n", header("主题党日"))
}

#[test]
fn photo_missing() {
    let out = check(&photo("photos/2026-11-05-1.jpg"));
    assert_error(&out, 1, "a.toml:10:11", "photos[0].file");
    assert_label(&out, "photos[0].file", "照片文件");
    assert!(out.stderr.contains("找不到照片“photos/2026-11-05-1.jpg”"), "{out}");
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn photo_unsupported_extension() {
    let out = Test::new()
        .branch(BRANCH)
        .file("a.toml", &photo("photos/会议照片.docx"))
        .file("photos/会议照片.docx", "not a photo")
        .args(&["check", "a.toml"])
        .run();
    assert_error(&out, 1, "a.toml:10:11", "photos[0].file");
    assert_label(&out, "photos[0].file", "照片文件");
    assert!(out.stderr.contains("“photos/会议照片.docx”不是支持的图片格式"), "{out}");
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn photo_content_is_not_an_image() {
    let out = Test::new()
        .branch(BRANCH)
        .file("a.toml", &photo("photos/1.jpg"))
        .file("photos/1.jpg", "%PDF-1.7 a renamed document")
        .args(&["check", "a.toml"])
        .run();
    assert_error(&out, 1, "a.toml:10:11", "photos[0].file");
    assert!(out.stderr.contains("“photos/1.jpg”的内容不是 jpg 图片"), "{out}");
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn photo_accepted() {
    Test::new()
        .branch(BRANCH)
        .file("a.toml", &attended(&photo("photos/1.JPG")))
        .jpeg("photos/1.JPG")
        .args(&["check", "a.toml"])
        .run()
        .assert_clean();
}

// ---------------------------------------------------------------------------------------------
// Votes and decisions

#[test]
fn votes_more_than_voting_members_present() {
    // All 14 expected members are present, 2 of them probationary: 12 votes at most.
    let out = check(&format!(
        "{}\n[attendance]\npresent = {}\n\n[[decisions]]\ntext  = \"同意……\"\nvotes = {{ yes = 12, no = 0, abstain = 1 }}\n",
        header("支部党员大会"),
        names(&EXPECTED)
    ));
    assert_error(&out, 1, "a.toml:14:9", "decisions[0].votes");
    assert_label(&out, "decisions[0].votes", "表决情况");
    assert!(out.stderr.contains("票数合计 13 票（同意 12 + 反对 0 + 弃权 1），多于实到的有表决权党员 12 人"), "{out}");
    assert_help(&out, "预备党员、留党察看和暂停权利的党员没有表决权，不计票");
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn decision_agenda_index_out_of_range() {
    let out = check(&format!(
        "{}\n[[agenda]]\ntitle = \"一\"\n\n[[agenda]]\ntitle = \"二\"\n\n[[decisions]]\ntext   = \"同意……\"\nagenda = 3\n",
        header("支部党员大会")
    ));
    assert_error(&out, 1, "a.toml:17:10", "decisions[0].agenda");
    assert_label(&out, "decisions[0].agenda", "所属议程序号");
    assert!(out.stderr.contains("决议所属议程为第 3 项，但本次只有 2 项议程"), "{out}");
    insta::assert_snapshot!(out.stderr);

    let zero = check(&format!(
        "{}\n[[agenda]]\ntitle = \"一\"\n\n[[decisions]]\ntext   = \"同意\"\nagenda = 0\n",
        header("其他")
    ));
    assert_error(&zero, 1, "a.toml:14:10", "decisions[0].agenda");
}

// ---------------------------------------------------------------------------------------------
// The branch file

#[test]
fn duplicate_member_names() {
    let branch = format!("{BRANCH}\n[[members]]\nname = \"王芳\"\ngroup = \"第一党小组\"\n");
    let line = branch.lines().count() - 1;
    let out = Test::new().branch(&branch).file("a.toml", &header("支部党员大会")).args(&["check", "a.toml"]).run();
    out.assert_status(1);
    assert!(out.stdout.contains("失败 a.toml（1 处错误）"), "{out}");
    assert!(out.stderr.contains(&format!("branch.toml:{line}:8\n")), "{out}");
    assert!(out.stderr.contains("字段 members.name（党员姓名）"), "{out}");
    assert!(out.stderr.contains("党员名册中“王芳”出现了两次"), "{out}");
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn unknown_key_in_branch_file() {
    let branch = BRANCH.replacen("committee = true", "commitee  = true", 1);
    let out = Test::new().branch(&branch).file("a.toml", &header("支部党员大会")).args(&["check", "a.toml"]).run();
    out.assert_status(1);
    assert!(out.stderr.contains("branch.toml:9:1\n"), "{out}");
    assert!(out.stderr.contains("您是不是要写 `committee`？"), "{out}");
}

#[test]
fn missing_branch_file() {
    let out = Test::new().file("a.toml", &header("支部党员大会")).args(&["check", "a.toml"]).run();
    let ancestors_have_branch = out.dir.path().ancestors().skip(1).any(|dir| dir.join("branch.toml").is_file());
    assert!(!ancestors_have_branch, "a folder above the temp folder has a branch.toml; the test cannot run here");
    out.assert_status(1);
    assert!(out.stdout.contains("失败 a.toml（1 处错误）"), "{out}");
    assert!(out.stderr.contains("--> a.toml\n"), "{out}");
    assert!(out.stderr.contains("找不到本活动所属支部的 branch.toml"), "{out}");
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn branch_found_by_walking_up() {
    // branch.toml two levels above the activity; the activity names only members of it.
    Test::new()
        .branch(BRANCH)
        .file("2026/Q4/a.toml", &attended(&header("支部党员大会")))
        .args(&["check", "2026/Q4/a.toml"])
        .run()
        .assert_clean();
    // The same, run from inside the activity's folder.
    Test::new()
        .branch(BRANCH)
        .file("2026/Q4/a.toml", &attended(&header("支部党员大会")))
        .current_dir("2026/Q4")
        .args(&["check", "a.toml"])
        .run()
        .assert_clean();
}

const OTHER_BRANCH: &str = "[branch]\nname = \"中共某某县卫生健康局机关第二支部委员会\"\n\n\
                            [[members]]\nname = \"甲某\"\ncommittee = true\n\n[[members]]\nname = \"乙某\"\n";

#[test]
fn nearest_branch_file_wins() {
    let theirs = header("支部党员大会").replace("张建国", "甲某").replace("王芳", "乙某");
    Test::new()
        .branch(BRANCH)
        .file("2026/branch.toml", OTHER_BRANCH)
        .file("2026/Q4/a.toml", &attended(&theirs))
        .args(&["check", "2026/Q4/a.toml"])
        .run()
        .assert_clean();
    // Our host is not on the nearer roster.
    let out = Test::new()
        .branch(BRANCH)
        .file("2026/branch.toml", OTHER_BRANCH)
        .file("2026/Q4/a.toml", &attended(&header("支部党员大会")))
        .args(&["check", "2026/Q4/a.toml"])
        .run();
    out.assert_status(1);
    assert!(out.stderr.contains("主持人“张建国”不在党员名册中"), "{out}");
}

#[test]
fn discovered_branch_file_is_shown_relative() {
    let out = Test::new()
        .branch(BRANCH)
        .file("2026/Q4/a.toml", &header("支部党员大会").replace("\"张建国\"", "\"张建果\""))
        .args(&["check", "2026/Q4/a.toml"])
        .run();
    out.assert_status(1);
    assert!(!out.stderr.contains("[TEMP]"), "{out}");
    assert!(
        out.stderr.contains("先把此人加入 2026/Q4/../../branch.toml 的 [[members]]")
            || out.stderr.contains("先把此人加入 branch.toml 的 [[members]]"),
        "{out}"
    );
}

#[test]
fn branch_key_points_to_the_branch_file() {
    let activity = format!("{}branch   = \"../roster/branch.toml\"\n", header("支部党员大会"));
    // No branch.toml above acts/: only the key can find it.
    Test::new()
        .file("roster/branch.toml", BRANCH)
        .file("acts/a.toml", &attended(&activity))
        .args(&["check", "acts/a.toml"])
        .run()
        .assert_clean();
    // The key wins over a branch.toml found by walking up.
    let out = Test::new()
        .file("roster/branch.toml", BRANCH)
        .file("acts/branch.toml", OTHER_BRANCH)
        .file("acts/a.toml", &attended(&activity))
        .args(&["check", "acts/a.toml"])
        .run();
    out.assert_clean();
}

#[test]
fn branch_key_to_a_missing_file() {
    let activity = format!("{}branch   = \"../roster/支部.toml\"\n", header("支部党员大会"));
    let out =
        Test::new().branch(BRANCH).file("acts/a.toml", &attended(&activity)).args(&["check", "acts/a.toml"]).run();
    out.assert_status(1);
    assert!(out.stdout.contains("失败 acts/a.toml（1 处错误）"), "{out}");
    assert!(out.stderr.contains("--> acts/a.toml:8:12\n"), "{out}");
    assert!(out.stderr.contains("字段 branch（支部）"), "{out}");
    assert!(out.stderr.contains("找不到支部文件“acts/../roster/支部.toml”"), "{out}");
    insta::assert_snapshot!(out.stderr);
}

// ---------------------------------------------------------------------------------------------
// Groups

#[test]
fn group_meeting_without_group() {
    let out = check(&header("党小组会"));
    assert_error(&out, 1, "a.toml:1:12", "group");
    assert_label(&out, "group", "党小组");
    assert!(out.stderr.contains("党小组会须写明是哪个党小组"), "{out}");
    assert!(out.stderr.contains("第一党小组、第二党小组"), "{out}");
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn unknown_group() {
    let out = check(&format!("{}group    = \"第一小组\"\n", header("党小组会")));
    assert_error(&out, 1, "a.toml:8:12", "group");
    assert_label(&out, "group", "党小组");
    assert!(out.stderr.contains("党员名册中没有“第一小组”这个党小组"), "{out}");
    assert!(out.stderr.contains("您是不是要写“第一党小组”？"), "{out}");
    insta::assert_snapshot!(out.stderr);
}

// ---------------------------------------------------------------------------------------------
// Encodings, line endings and Chinese text

#[test]
fn gbk_file() {
    // `kind = "支部党员大会"` in GBK, on line 2.
    let out = Test::new()
        .branch(BRANCH)
        .bytes("a.toml", b"date = 2026-11-05\nkind = \"\xd6\xa7\xb2\xbf\xb5\xb3\xd4\xb1\xb4\xf3\xbb\xe1\"\n")
        .args(&["check", "a.toml"])
        .run();
    out.assert_status(1);
    assert!(out.stdout.contains("失败 a.toml（1 处错误）"), "{out}");
    // Line 2. The column is 10, not 9: the first GBK pair D6 A7 (支) happens to be valid UTF-8
    // (U+05A7), so decoding only fails at the second character.
    assert!(out.stderr.contains("--> a.toml:2:10\n"), "{out}");
    assert!(out.stderr.contains("第 2 行"), "{out}");
    assert!(out.stderr.contains("不是 UTF-8 编码"), "{out}");
    assert!(out.stderr.contains("GBK"), "{out}");
    assert!(out.stderr.contains("iconv -f GBK -t UTF-8"), "{out}");
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn bom_and_crlf_accepted() {
    let text = format!(
        "\u{feff}{}\n[attendance]\nabsent = [ {{ name = \"赵强\", reason = \"出差\" }} ]\n\n[[agenda]]\ntitle = \"学习\"\nnotes = \"\"\"第一行\n第二行\"\"\"\n",
        header("支部党员大会")
    )
    .replace('\n', "\r\n");
    assert!(text.as_bytes().starts_with(b"\xEF\xBB\xBF"));
    Test::new()
        .branch(&BRANCH.replace('\n', "\r\n"))
        .file("a.toml", &text)
        .args(&["check", "a.toml"])
        .run()
        .assert_clean();
}

#[test]
fn error_in_crlf_file_with_bom() {
    let text = format!("\u{feff}{}titel = \"x\"\n", header("支部党员大会")).replace('\n', "\r\n");
    let out = check(&text);
    // The BOM is not a column, and the \r is not part of the quoted line.
    assert_error(&out, 1, "a.toml:8:1", "titel");
    assert!(!out.stderr.contains('\r'), "{out:?}");
    assert!(!out.stderr.contains('\u{feff}'), "{out:?}");
    assert!(out.stderr.contains("8 | titel = \"x\"\n"), "{out}");
}

/// Display width in a terminal: CJK ideographs, CJK punctuation and full-width forms take two columns.
fn display_width(text: &str) -> usize {
    text.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F
            | 0x2E80..=0x303E
            | 0x3041..=0x33FF
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xA000..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6
            | 0x20000..=0x3FFFD => 2,
            _ => 1,
        })
        .sum()
}

/// Checks the snippet of `stderr`: the caret line has its first `^` under the character at
/// `column` (1-based, in characters) of the quoted source line `line`.
#[track_caller]
fn assert_caret_under(stderr: &str, line: usize, column: usize) {
    let lines: Vec<&str> = stderr.lines().collect();
    let gutter = format!("{line} | ");
    let source_at = lines.iter().position(|l| l.starts_with(&gutter)).expect("quoted source line");
    let source = &lines[source_at][gutter.len()..];
    let caret_line = lines[source_at + 1];
    let caret = caret_line.find('^').expect("a caret");
    // The gutter of the caret line is as wide as the source line's, and ASCII.
    let caret_column = caret - gutter.len();
    let before: String = source.chars().take(column - 1).collect();
    assert_eq!(caret_column, display_width(&before), "caret is not under column {column}\n{stderr}");
}

#[test]
fn caret_after_chinese_text_lines_up() {
    let line = "absent = [ { name = \"赵强\", reason = \"到省卫生健康委参加业务培训\" }, { name = \"张建果\", reason = \"病假\" } ]";
    let column = line[..line.find("\"张建果\"").unwrap()].chars().count() + 1;
    assert_eq!(column, 64);
    let out = check(&format!("{}\n[attendance]\n{line}\n", header("支部党员大会")));
    // The column counts characters, not bytes (counting bytes would give 94).
    assert_error(&out, 1, &format!("a.toml:10:{column}"), "attendance.absent[1].name");
    assert_label(&out, "attendance.absent[1].name", "请假人员姓名");
    assert_caret_under(&out.stderr, 10, column);
    // The underline covers the whole quoted name: 2 quotes + 3 wide characters.
    assert!(
        out.stderr
            .contains(&format!("{}^^^^^^^^ ", " ".repeat(display_width(&line[..line.find("\"张建果\"").unwrap()])))),
        "{out}"
    );
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn syntax_error_after_chinese_text_lines_up() {
    // A Chinese full-width comma typed where a new line was meant: a common IME slip.
    let line = "title = \"关于召开第四季度支部党员大会的通知\"，end = 16:00:00";
    let out = check(&format!("{}{line}\n", header("支部党员大会").replace("end      = 16:00:00\n", "")));
    let column = line.chars().position(|c| c == '，').unwrap() + 1;
    assert_eq!(column, 28);
    out.assert_status(1);
    assert!(out.stderr.contains(&format!("--> a.toml:7:{column}\n")), "{out}");
    assert!(out.stderr.contains("一行只能写一项") && out.stderr.contains("中文标点"), "{out}");
    assert_caret_under(&out.stderr, 7, column);
    insta::assert_snapshot!(out.stderr);
}
