//! The authoring commands: `pdb new`, `init`, `plan`, `templates`, `completions`, `man`. A
//! skeleton is only good if a secretary who fills in the facts gets a file that `pdb check`
//! accepts and whose documents carry those facts: the tests fill skeletons the way a secretary
//! would (replace the example lines, delete the “# ”) and read the rendered documents.

use std::collections::BTreeMap;

use crate::common::{Output, Test, BRANCH};

mod commands;

// ---- Filling in a skeleton, as a secretary does in Notepad ----

/// `key = …` or its commented example `# key = …`.
fn is_key_line(line: &str, key: &str) -> bool {
    let code = line.strip_prefix("# ").unwrap_or(line).trim_start();
    code.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with('='))
}

/// Lines of the block that starts at `start` (a table header): up to the next blank line.
fn block_end(lines: &[String], start: usize) -> usize {
    (start + 1..lines.len()).find(|&i| lines[i].trim().is_empty()).unwrap_or(lines.len())
}

struct Skeleton {
    lines: Vec<String>,
}

impl Skeleton {
    fn new(text: &str) -> Skeleton {
        Skeleton { lines: text.lines().map(String::from).collect() }
    }

    fn text(&self) -> String {
        self.lines.join("\n") + "\n"
    }

    /// Sets the first top-level `key` (before the first table header).
    fn set(&mut self, key: &str, value: &str) -> &mut Self {
        let end = self.lines.iter().position(|l| l.starts_with('[')).unwrap_or(self.lines.len());
        let i = (0..end)
            .find(|&i| is_key_line(&self.lines[i], key))
            .unwrap_or_else(|| panic!("no `{key}`\n{}", self.text()));
        self.lines[i] = format!("{key} = {value}");
        self
    }

    fn has(&self, line: &str) -> bool {
        self.lines.iter().any(|l| l == line)
    }

    /// Replaces one whole line.
    fn replace(&mut self, line: &str, with: &str) -> &mut Self {
        let i =
            self.lines.iter().position(|l| l == line).unwrap_or_else(|| panic!("no line `{line}`\n{}", self.text()));
        self.lines[i] = with.to_string();
        self
    }

    /// The line of the `n`-th (0-based) table header `header`, commented out or not.
    fn header(&self, header: &str, n: usize) -> Option<usize> {
        self.lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.strip_prefix("# ").unwrap_or(l) == header)
            .map(|(i, _)| i)
            .nth(n)
    }

    /// Deletes the “# ” of a commented-out block: its header and the TOML lines after it.
    fn uncomment(&mut self, header: &str, n: usize) -> &mut Self {
        let start = self.header(header, n).unwrap_or_else(|| panic!("no `{header}`\n{}", self.text()));
        for i in start..block_end(&self.lines, start) {
            let is_code =
                self.lines[i].strip_prefix("# ").and_then(|rest| rest.chars().next()).is_some_and(|c| c.is_ascii());
            if is_code {
                self.lines[i] = self.lines[i][2..].to_string();
            }
        }
        self
    }

    /// Deletes the line of `key` inside the `n`-th block `header`.
    fn remove_in(&mut self, header: &str, n: usize, key: &str) -> &mut Self {
        let start = self.header(header, n).unwrap_or_else(|| panic!("no `{header}`\n{}", self.text()));
        let end = block_end(&self.lines, start);
        if let Some(i) = (start + 1..end).find(|&i| is_key_line(&self.lines[i], key)) {
            self.lines.remove(i);
        }
        self
    }

    /// Sets `key` inside the `n`-th block `header` (uncommenting its example, or adding the line).
    fn set_in(&mut self, header: &str, n: usize, key: &str, value: &str) -> &mut Self {
        let start = self.header(header, n).unwrap_or_else(|| panic!("no `{header}`\n{}", self.text()));
        let end = block_end(&self.lines, start);
        match (start + 1..end).find(|&i| is_key_line(&self.lines[i], key)) {
            Some(i) => self.lines[i] = format!("{key} = {value}"),
            None => self.lines.insert(start + 1, format!("{key} = {value}")),
        }
        self
    }
}

/// The facts a test writes into a skeleton, each a string no skeleton contains by itself.
const PLACE: &str = "测试楼五层会议室";
const NOTES: &str = "记录内容丁戊己";
const SPEECH: &str = "发言要点甲乙丙";
const REASON: &str = "下乡督导甲乙";
const SUMMARY: &str = "纪要内容庚辛壬";
const DECISION: &str = "决议内容癸子丑";

/// The facts needed before the meeting: time, place, host, recorder (and a group, a lecturer).
fn fill_planned(text: &str, kind: &str) -> Skeleton {
    let mut s = Skeleton::new(text);
    s.set("start", "09:30:00")
        .set("location", &format!("\"{PLACE}\""))
        .set("host", "\"张建国\"")
        .set("recorder", "\"陈静\"");
    if kind == "党小组会" && !s.lines.iter().any(|l| l.starts_with("group ")) {
        s.set("group", "\"第一党小组\"");
    }
    if kind == "党课" {
        s.set("lecturer", "\"张建国\"").set("theme", "\"党课主题甲乙\"");
    }
    s
}

/// Everything a held meeting records: attendance, agenda, speeches, a decision, a summary.
fn fill_held(text: &str, kind: &str, topic: Option<&str>) -> Skeleton {
    let mut s = fill_planned(text, kind);
    s.set("status", "\"已召开\"").set("end", "11:00:00");
    s.replace(
        "  # { name = \"＿＿\", reason = \"出差\" },",
        &format!("  {{ name = \"赵强\", reason = \"{REASON}\" }},"),
    );
    let guest = "{ name = \"李小明\", title = \"发展对象\" },";
    match topic {
        Some("接收预备党员") => s.replace(
            "  # { name = \"＿＿\", title = \"入党申请人（发展对象）\" },   # 发展对象要写在这里，才能作为报告人",
            guest,
        ),
        _ => s.replace("  # { name = \"＿＿\", title = \"上级党委委员\" },", guest),
    };
    // Kinds without a standard agenda have commented examples: take the first one.
    if s.has("# [[agenda]]") && !s.has("[[agenda]]") {
        s.uncomment("[[agenda]]", 0).set_in("[[agenda]]", 0, "title", "\"议程甲：学习上级精神\"");
    }
    let presenter = if topic == Some("接收预备党员") { "李小明" } else { "张建国" };
    s.set_in("[[agenda]]", 0, "presenter", &format!("\"{presenter}\""))
        .set_in("[[agenda]]", 0, "notes", &format!("\"\"\"{NOTES}\"\"\""))
        .set_in("[[agenda]]", 0, "speeches", &format!("[ {{ speaker = \"刘洋\", text = \"{SPEECH}\" }} ]"));
    if s.header("[[decisions]]", 0).is_some() {
        s.uncomment("[[decisions]]", 0).set_in("[[decisions]]", 0, "text", &format!("\"{DECISION}\"")).set_in(
            "[[decisions]]",
            0,
            "votes",
            "{ yes = 4, no = 0, abstain = 0 }",
        );
        if kind == "支部党员大会" {
            s.set_in("[[decisions]]", 0, "votes", "{ yes = 10, no = 0, abstain = 1 }");
        }
        if s.lines.iter().any(|l| l.starts_with("tellers")) {
            s.set_in("[[decisions]]", 0, "tellers", "[\"马俊\"]").set_in(
                "[[decisions]]",
                0,
                "counters",
                "[\"林晓燕\"]",
            );
        }
        if topic == Some("选举") {
            // An election records its candidates' votes, not one count.
            s.set_in("[[decisions]]", 0, "seats", "1")
                .set_in(
                    "[[decisions]]",
                    0,
                    "candidates",
                    "[ { name = \"何婷\", votes = 10 }, { name = \"孙伟\", votes = 1 } ]",
                )
                .set_in("[[decisions]]", 0, "ballots", "{ issued = 11, returned = 11, valid = 11 }");
            s.remove_in("[[decisions]]", 0, "votes");
        }
    }
    s.uncomment("[summary]", 0).set_in("[summary]", 0, "text", &format!("\"\"\"{SUMMARY}\"\"\""));
    s
}

#[track_caller]
fn assert_no_errors(out: &Output) {
    out.assert_status(0);
    assert!(!out.stdout.contains("失败 1") && !out.stderr.contains("错误"), "{out}");
}

/// Every kind, and the 支部党员大会 topics with a standard order of business.
const CASES: [(&str, Option<&str>); 11] = [
    ("支部党员大会", None),
    ("支部党员大会", Some("接收预备党员")),
    ("支部党员大会", Some("预备党员转正")),
    ("支部党员大会", Some("选举")),
    ("支委会", None),
    ("党小组会", None),
    ("党课", None),
    ("主题党日", None),
    ("组织生活会", None),
    ("民主评议党员", None),
    ("其他", None),
];

fn new_args<'a>(kind: &'a str, topic: Option<&'a str>) -> Vec<&'a str> {
    let mut args = vec!["new", kind, "--date", "2026-11-05", "-o", "a.toml"];
    if let Some(topic) = topic {
        args.extend(["--topic", topic]);
    }
    args
}

#[test]
fn every_new_skeleton_once_filled_in_checks_and_renders_the_facts() {
    for (kind, topic) in CASES {
        let out = Test::new().branch(BRANCH).args(&new_args(kind, topic)).run();
        out.assert_status(0);
        assert!(out.stdout.contains("已写入 a.toml"), "{out}");
        let skeleton = out.read("a.toml");
        assert!(skeleton.contains("status   = \"计划\""), "{skeleton}");

        // Not yet: the facts are commented-out examples, and check says which one is missing.
        let bare = out.then(&["check", "a.toml"]);
        bare.assert_status(1);
        assert!(bare.stderr.contains("start") || bare.stderr.contains("location"), "{kind}: {bare}");

        let filled = fill_held(&skeleton, kind, topic).text();
        bare.write("a.toml", &filled);
        let checked = bare.then(&["check", "a.toml"]);
        assert_no_errors(&checked);
        let rendered = checked.then(&["render", "a.toml", "--format", "typst,markdown", "-o", "out"]);
        assert_no_errors(&rendered);
        let minutes = rendered.read("out/a/05-会议记录.md");
        for fact in [PLACE, NOTES, SPEECH, REASON] {
            assert!(minutes.contains(fact), "{kind} {topic:?}: {fact} missing from the minutes\n{minutes}\n{filled}");
        }
        if filled.contains(DECISION) {
            assert!(minutes.contains(DECISION), "{kind} {topic:?}\n{minutes}");
        }
        let summary =
            if matches!(kind, "党课" | "主题党日") { "07-活动总结.md" } else { "07-会议纪要.md" };
        assert!(rendered.read(&format!("out/a/{summary}")).contains(SUMMARY), "{kind}");
        let notice =
            if matches!(kind, "党课" | "主题党日") { "01-活动通知.typ" } else { "01-会议通知.typ" };
        assert!(rendered.read(&format!("out/a/{notice}")).contains(PLACE), "{kind}");
    }
}

#[test]
fn a_new_skeleton_with_only_the_pre_meeting_facts_prints_the_notice() {
    for (kind, topic) in CASES {
        let out = Test::new().branch(BRANCH).args(&new_args(kind, topic)).run();
        let filled = fill_planned(&out.read("a.toml"), kind).text();
        out.write("a.toml", &filled);
        let rendered = out.then(&["render", "a.toml", "--format", "markdown", "-o", "out"]);
        assert_no_errors(&rendered);
        let notice =
            if matches!(kind, "党课" | "主题党日") { "01-活动通知.md" } else { "01-会议通知.md" };
        let text = rendered.read(&format!("out/a/{notice}"));
        assert!(text.contains(PLACE), "{kind}\n{text}");
        assert!(
            rendered.read("out/a/04-签到表.md").contains("徐文博") || kind == "支委会" || kind == "党小组会",
            "{kind}"
        );
    }
}

#[test]
fn the_admission_agenda_is_the_standard_order_of_business() {
    let out = Test::new().branch(BRANCH).args(&new_args("支部党员大会", Some("接收预备党员"))).run();
    let text = out.read("a.toml");
    let titles: Vec<&str> = text.lines().filter_map(|l| l.strip_prefix("title = ")).collect();
    assert_eq!(
        titles,
        [
            "\"发展对象汇报对党的认识、入党动机、本人履历、家庭和主要社会关系情况\"",
            "\"入党介绍人介绍发展对象有关情况，并对其能否入党表明意见\"",
            "\"支部委员会报告对发展对象的审查情况\"",
            "\"与会党员讨论发展对象能否入党，并采取无记名投票方式表决\"",
            "\"发展对象表态\"",
            "\"宣布表决结果，宣读支部大会决议\"",
        ]
    );
    assert!(text.contains("# agenda = 4"), "the vote belongs to the discussion item\n{text}");
    assert!(text.contains("# kind   = \"接收预备党员\""), "{text}");
}

#[test]
fn org_life_has_criticism_and_self_criticism() {
    let out = Test::new().branch(BRANCH).args(&["new", "组织生活会", "--date", "2026-12-17"]).run();
    out.assert_status(0);
    let text = out.read("2026-12-17-组织生活会.toml");
    assert_eq!(text.lines().filter(|l| l.starts_with("title = ") && l.contains("批评与自我批评")).count(), 3, "{text}");
}

#[test]
fn new_uses_the_roster_for_suggestions_only() {
    let out = Test::new().branch(BRANCH).args(&["new", "支委会", "--date", "2026-10-09", "-o", "2026Q4/x.toml"]).run();
    let text = out.read("2026Q4/x.toml");
    assert!(text.contains("名册中的书记：张建国"), "{text}");
    assert!(text.contains("名册中的组织委员：刘洋"), "{text}");
    assert!(text.contains("# host     = \"张建国\""), "a suggestion, commented out\n{text}");
    assert!(text.contains("现在用的是 ../branch.toml"), "{text}");

    let out = Test::new().branch(BRANCH).args(&["new", "党小组会", "--date", "2026-10-20"]).run();
    let text = out.read("2026-10-20-党小组会.toml");
    assert!(text.contains("本支部有 第一党小组、第二党小组"), "{text}");

    let out = Test::new()
        .branch(BRANCH)
        .args(&["new", "group-meeting", "--date", "2026-10-20", "--group", "第二党小组"])
        .run();
    let text = out.read("2026-10-20-党小组会-第二党小组.toml");
    assert!(text.contains("group    = \"第二党小组\""), "{text}");
    assert!(text.contains("title    = \"第二党小组2026年10月党小组会\""), "{text}");
    assert!(text.contains("名册中的组长：何婷"), "{text}");

    let out = Test::new().branch(BRANCH).args(&["new", "党小组会", "--group", "第三党小组"]).run();
    out.assert_status(2);
    assert!(out.stderr.contains("名册中没有党小组“第三党小组”：本支部的党小组有 第一党小组、第二党小组"), "{out}");
}

#[test]
fn new_without_a_branch_or_a_date_still_writes_a_valid_skeleton() {
    let out = Test::new().args(&["new", "theme-day"]).run();
    out.assert_status(0);
    let today = chrono::Local::now().date_naive();
    let name = format!("{today}-主题党日.toml");
    let text = out.read(&name);
    assert!(text.contains(&format!("date     = {today}")), "{text}");
    assert!(text.parse::<toml::Table>().is_ok());
}

#[test]
fn new_refuses_to_overwrite() {
    let out =
        Test::new().file("2026-11-05-党课.toml", "# 我的记录\n").args(&["new", "党课", "--date", "2026-11-05"]).run();
    out.assert_status(2);
    assert!(out.stderr.contains("2026-11-05-党课.toml 已经存在，pdb 不会覆盖它"), "{out}");
    assert!(out.stderr.contains("-o 2026-11-05-党课-2.toml"), "{out}");
    assert_eq!(out.read("2026-11-05-党课.toml"), "# 我的记录\n");
}

#[test]
fn new_names_the_choices_of_a_wrong_kind_topic_or_date() {
    let out = Test::new().args(&["new", "支部大会"]).run();
    out.assert_status(2);
    assert!(out.stderr.contains("无法识别的活动类型“支部大会”"), "{out}");
    assert!(out.stderr.contains("支委会（committee）"), "{out}");

    let out = Test::new().args(&["new", "支部党员大会", "--topic", "入党"]).run();
    out.assert_status(2);
    assert!(out.stderr.contains("接收预备党员（admission）"), "{out}");

    let out = Test::new().args(&["new", "支委会", "--topic", "admission"]).run();
    out.assert_status(2);
    assert!(out.stderr.contains("--topic 只用于支部党员大会"), "{out}");

    let out = Test::new().args(&["new", "支委会", "--date", "2026/11/05"]).run();
    out.assert_status(2);
    assert!(out.stderr.contains("请写成 2026-11-05"), "{out}");
}

// ---- pdb init ----

/// The `branch.toml` of `pdb init`, filled in: its name and its three example members.
fn fill_branch(text: &str) -> String {
    let mut s = Skeleton::new(text);
    s.set_in("[branch]", 0, "name", "\"中共测试县测试局机关支部委员会\"");
    for _ in 0..3 {
        s.uncomment("[[members]]", 0);
    }
    s.uncomment("[rules.\"主题党日\"]", 0);
    s.text()
}

#[test]
fn init_writes_a_branch_that_plans_and_checks_once_filled_in() {
    let out = Test::new().args(&["init", "支部"]).run();
    out.assert_status(0);
    assert!(out.stdout.contains("已写入 支部/branch.toml"), "{out}");
    assert!(out.stdout.contains("已写入 支部/说明.md"), "{out}");
    assert!(out.read("支部/说明.md").contains("pdb plan 2026Q4"));
    let skeleton = out.read("支部/branch.toml");
    assert!(skeleton.parse::<toml::Table>().is_ok(), "{skeleton}");

    // Unfilled: plan points at the missing name and writes nothing.
    let out = out.then(&["plan", "2026-11", "支部"]);
    out.assert_status(1);
    assert!(out.stderr.contains("branch.toml") && out.stderr.contains("name"), "{out}");
    assert!(out.files("支部", "toml").len() == 1, "{out}");

    out.write("支部/branch.toml", &fill_branch(&skeleton));
    let out = out.then(&["plan", "2026-11", "支部"]);
    out.assert_status(0);
    // 支委会, the one 党小组会, and 主题党日 on the rule uncommented from the example.
    assert_eq!(by_kind(&out, "支部"), counts(&[("支委会", 1), ("党小组会", 1), ("主题党日", 1)]), "{out}");
    let theme_day = out.read("支部/2026-11-06-主题党日.toml");
    assert!(theme_day.contains("start    = 15:00:00"), "{theme_day}");
    assert_no_errors(&out.then(&["check", "支部"]));
}

#[test]
fn init_never_overwrites() {
    let out = Test::new().file("branch.toml", "# 我的支部\n").args(&["init"]).run();
    out.assert_status(0);
    assert!(out.stdout.contains("已存在，跳过 branch.toml"), "{out}");
    assert!(out.stdout.contains("已写入 说明.md"), "{out}");
    assert_eq!(out.read("branch.toml"), "# 我的支部\n");
}

// ---- pdb plan ----

/// Files by kind: the part of `2026-10-20-党小组会-第一党小组.toml` after the date.
fn by_kind(out: &Output, dir: &str) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for path in out.files(dir, "toml") {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        if name == "branch" {
            continue;
        }
        let kind = name[11..].split('-').next().unwrap().to_string();
        *counts.entry(kind).or_default() += 1;
    }
    counts
}

fn counts(pairs: &[(&str, usize)]) -> BTreeMap<String, usize> {
    pairs.iter().map(|(k, n)| (k.to_string(), *n)).collect()
}

#[test]
fn plan_a_quarter_writes_exactly_the_required_meetings_once() {
    let out = Test::new().branch(BRANCH).args(&["plan", "2026Q4"]).run();
    out.assert_status(0);
    // Monthly: 支委会, 主题党日 and each of the two groups' 党小组会; quarterly: 支部党员大会, 党课;
    // yearly, in December: 组织生活会, 民主评议党员.
    assert_eq!(
        by_kind(&out, "."),
        counts(&[
            ("支委会", 3),
            ("党小组会", 6),
            ("主题党日", 3),
            ("支部党员大会", 1),
            ("党课", 1),
            ("组织生活会", 1),
            ("民主评议党员", 1),
        ]),
        "{out}"
    );
    assert!(out.stdout.contains("2026年第四季度共 16 次会议：写入 16 个文件，已存在 0 个。"), "{out}");
    // Two groups on one day do not collide; each file names its group and its 组长 as host.
    let first = out.read("2026-10-20-党小组会-第一党小组.toml");
    assert!(first.contains("group    = \"第一党小组\""), "{first}");
    assert!(first.contains("host     = \"孙伟\""), "{first}");
    let second = out.read("2026-10-20-党小组会-第二党小组.toml");
    assert!(second.contains("host     = \"何婷\""), "{second}");
    let committee = out.read("2026-10-05-支委会.toml");
    for line in [
        "status   = \"计划\"",
        "start    = 14:30:00",
        "location = \"＿＿＿＿\"",
        "host     = \"张建国\"",
        "# recorder = \"刘洋\"",
    ] {
        assert!(committee.contains(line), "{line}\n{committee}");
    }

    // Every planned file checks as it is: the quarter can be checked at any time.
    let checked = out.then(&["check", "."]);
    assert_no_errors(&checked);
    assert!(checked.stdout.contains("共 16 个活动"), "{checked}");

    let again = checked.then(&["plan", "2026Q4"]);
    again.assert_status(0);
    assert!(again.stdout.contains("写入 0 个文件，已存在 16 个"), "{again}");
    assert_eq!(again.stdout.matches("已存在，跳过").count(), 16, "{again}");
}

#[test]
fn plan_a_month() {
    let out = Test::new().branch(BRANCH).args(&["plan", "2026-11"]).run();
    out.assert_status(0);
    // The quarter's 支部党员大会 and 党课 fall in its first month, October.
    assert_eq!(by_kind(&out, "."), counts(&[("支委会", 1), ("党小组会", 2), ("主题党日", 1)]), "{out}");
}

#[test]
fn plan_keeps_a_meeting_already_there_on_another_day() {
    let out = Test::new()
        .branch(BRANCH)
        .file("2026Q4/2026-10-09-支委会.toml", &crate::common::header("支委会").replace("2026-11-05", "2026-10-09"))
        .args(&["plan", "2026Q4", "2026Q4"])
        .run();
    out.assert_status(0);
    assert!(out.stdout.contains("已存在，跳过 2026Q4/2026-10-09-支委会.toml（支委会）"), "{out}");
    assert!(!out.path("2026Q4/2026-10-05-支委会.toml").exists(), "{out}");
    assert_eq!(by_kind(&out, "2026Q4")["支委会"], 3);
}

#[test]
fn a_planned_meeting_filled_in_and_held_checks_and_renders() {
    let out = Test::new().branch(BRANCH).args(&["plan", "2026Q4"]).run();
    let name = "2026-10-14-支部党员大会.toml";
    let planned = out.read(name);
    let mut s = Skeleton::new(&planned);
    s.set("location", &format!("\"{PLACE}\""));
    out.write(name, &s.text());
    let printed = out.then(&["render", name, "--only", "notice,sign-in", "--format", "markdown", "-o", "out"]);
    assert_no_errors(&printed);
    assert!(printed.read("out/2026-10-14-支部党员大会/01-会议通知.md").contains(PLACE), "{printed}");
    assert!(printed.read("out/2026-10-14-支部党员大会/04-签到表.md").contains("徐文博"), "{printed}");

    let held = fill_held(&s.text(), "支部党员大会", None).text();
    printed.write(name, &held);
    let rendered = printed.then(&["render", name, "--format", "typst,markdown", "-o", "out"]);
    assert_no_errors(&rendered);
    let minutes = rendered.read("out/2026-10-14-支部党员大会/05-会议记录.md");
    for fact in [PLACE, NOTES, SPEECH, REASON, DECISION] {
        assert!(minutes.contains(fact), "{fact}\n{minutes}");
    }
}

#[test]
fn plan_explains_what_is_missing() {
    let out = Test::new().args(&["plan", "2026Q4"]).run();
    out.assert_status(2);
    assert!(out.stderr.contains("找不到 branch.toml：请先运行 pdb init"), "{out}");

    let out = Test::new().branch(BRANCH).args(&["plan", "2026Q5"]).run();
    out.assert_status(2);
    assert!(out.stderr.contains("2026Q4（第四季度）"), "{out}");
}
