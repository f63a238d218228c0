//! The activity files `pdb new` and `pdb plan` write: valid TOML in which every key has a
//! Chinese comment. A fact only the secretary knows is a commented-out example (`# key = …`), never
//! a plausible value that could pass for the record; what the roster or a rule says is filled in.
//!
//! Convention the tests rely on: a commented-out TOML line starts with `# ` and an ASCII key or
//! bracket; an explanation starts with `# ` and Chinese text (or `──`).

use chrono::{Datelike, NaiveDate};

use super::roster::Roster;
use crate::model::{ActivityStatus, DecisionKind, Kind, Time};
use crate::text::BLANK;

/// The sections after the top-level keys, by kind: agenda, decisions, photos and records.
mod sections;

/// The topics of a 支部党员大会 with a fixed order of business; the others are 一般事项.
pub const TOPICS: [DecisionKind; 4] =
    [DecisionKind::Ordinary, DecisionKind::Admission, DecisionKind::Confirmation, DecisionKind::Election];

/// One activity skeleton. Values left `None` are written as commented-out examples.
#[derive(Debug, Clone)]
pub struct Skeleton {
    pub kind: Kind,
    /// Only for 支部党员大会: admission, confirmation and election get their standard agenda.
    pub topic: DecisionKind,
    pub date: NaiveDate,
    pub status: ActivityStatus,
    pub group: Option<String>,
    pub start: Option<Time>,
    pub host: Option<String>,
    pub recorder: Option<String>,
    pub location: Option<String>,
    pub roster: Roster,
    /// The command that wrote the file, for its first line.
    pub origin: String,
}

/// `2026-11-05-支部党员大会.toml`; group meetings add the group, so two groups on one day differ.
pub fn file_name(kind: Kind, date: NaiveDate, group: Option<&str>) -> String {
    match group {
        Some(group) => format!("{date}-{}-{}.toml", kind.short_name(), sanitize(group)),
        None => format!("{date}-{}.toml", kind.short_name()),
    }
}

/// Characters Windows does not allow in file names become “-”.
fn sanitize(text: &str) -> String {
    text.trim().chars().map(|c| if r#"<>:"/\|?*"#.contains(c) || c.is_control() { '-' } else { c }).collect()
}

impl Skeleton {
    pub fn new(kind: Kind, date: NaiveDate, roster: Roster, origin: impl Into<String>) -> Skeleton {
        Skeleton {
            kind,
            topic: DecisionKind::Ordinary,
            date,
            status: ActivityStatus::Planned,
            group: None,
            start: None,
            host: None,
            recorder: None,
            location: None,
            roster,
            origin: origin.into(),
        }
    }

    pub fn file_name(&self) -> String {
        file_name(self.kind, self.date, self.group.as_deref())
    }

    fn kind_label(&self) -> String {
        match (self.kind, self.topic) {
            (Kind::PartyCongress, topic) if topic != DecisionKind::Ordinary => {
                format!("{}（{}）", self.kind.chinese(), topic.chinese())
            }
            _ => self.kind.chinese().into(),
        }
    }

    /// The whole file.
    pub fn text(&self) -> String {
        let mut out = Out::default();
        let file = self.file_name();
        out.note(&format!("{}记录 · 由 {} 生成", self.kind_label(), self.origin));
        out.note("怎样填写：以 # 开头的行不起作用。“# 键 = 值”是示例：改成实际情况，再删去行首的“# ”。");
        out.note(
            "文字写在英文双引号 \"…\" 里；日期（2026-11-05）、时间（14:30:00）不加引号。记事本保存时编码选“UTF-8”。",
        );
        out.note(&format!(
            "会前：填好时间、地点、主持人、议程后，运行  pdb render {file}  打印会议通知、议程、主持词、签到表。"
        ));
        out.note("会后：把 status 改为 \"已召开\"，填写出席情况、发言、决议，再运行 pdb render 生成全套材料。");
        out.note(&format!("随时可以运行  pdb check {file}  检查（不生成文件），它会指出哪一行要改、怎么改。"));
        out.blank();
        self.top_level(&mut out);
        out.blank();
        self.attendance(&mut out);
        out.blank();
        self.agenda(&mut out);
        self.decisions(&mut out);
        self.records(&mut out);
        out.0
    }

    fn top_level(&self, out: &mut Out) {
        let kind = self.kind;
        out.key(true, "kind", &quote(kind.chinese()), "活动类型（不要改）");
        out.note(
            "活动状态：\"计划\" 表示会议还没开，只生成会前用的通知、议程、主持词和签到表（签到表列出全部应到人员，",
        );
        out.note(
            "签名栏留空）；会议开完后改为 \"已召开\"，填好出席情况、发言、决议，就生成全套材料（会议记录、纪要等）。",
        );
        out.key(true, "status", &quote(self.status.chinese()), "计划 / 已召开");
        match self.title_value() {
            Some(title) => out.key(true, "title", &quote(&title), "标题（可以改）"),
            None => out.key(
                false,
                "title",
                &quote(&self.title_example()),
                "标题（可不写）：不写时按支部、日期和类型自动生成",
            ),
        }
        out.key(true, "date", &self.date.to_string(), "日期：年-月-日");
        let start = self.start.map(|t| t.0.format("%H:%M:%S").to_string());
        out.key(
            start.is_some(),
            "start",
            start.as_deref().unwrap_or("14:30:00"),
            "开始时间（必填）：24 小时制，时:分:秒",
        );
        out.key(false, "end", "16:00:00", "结束时间：会后填写，可不写");
        match &self.location {
            Some(location) if location == BLANK => {
                out.key(true, "location", &quote(location), "地点（必填）：把＿＿＿＿换成会议地点")
            }
            Some(location) => out.key(true, "location", &quote(location), "地点（必填）"),
            None => out.key(false, "location", &quote(BLANK), "地点（必填），例如 \"局机关三楼会议室\""),
        }
        let (host_hint, host_example) = self.host_hint();
        match &self.host {
            Some(host) => out.key(true, "host", &quote(host), &format!("主持人（必填）：{host_hint}，请核对")),
            None => {
                out.key(false, "host", &quote(&host_example), &format!("主持人（必填，须在党员名册中）{host_hint}"))
            }
        }
        match &self.recorder {
            Some(recorder) => out.key(
                true,
                "recorder",
                &quote(recorder),
                "记录人（必填）：计划时暂填，会前的材料不印记录人；会后请改为实际记录人",
            ),
            None => {
                let (hint, example) = match &self.roster.organiser {
                    Some(name) => (format!("；名册中的组织委员：{name}"), name.clone()),
                    None => (String::new(), "＿＿".to_string()),
                };
                out.key(
                    false,
                    "recorder",
                    &quote(&example),
                    &format!("记录人（须在党员名册中；计划时可以不写，会议召开后必填）{hint}"),
                )
            }
        }
        match kind {
            Kind::GroupMeeting => {
                let groups = self.roster.group_names();
                let hint = if groups.is_empty() {
                    "党小组（必填）：与 branch.toml 名册中的 group 一致".to_string()
                } else {
                    format!("党小组（必填）：本支部有 {}", groups.join("、"))
                };
                match &self.group {
                    Some(group) => out.key(true, "group", &quote(group), &hint),
                    None => {
                        let example = groups.first().cloned().unwrap_or_else(|| "第一党小组".into());
                        out.key(false, "group", &quote(&example), &hint)
                    }
                }
            }
            Kind::Lecture => {
                let (hint, example) = match &self.roster.secretary {
                    Some(name) => (format!("；名册中的书记：{name}"), name.clone()),
                    None => (String::new(), "＿＿".into()),
                };
                out.key(false, "lecturer", &quote(&example), &format!("主讲人（党员名册中的人或列席人员）{hint}"));
                out.key(false, "theme", &quote("学习贯彻……"), "党课主题");
            }
            Kind::ThemeDay => out.key(false, "theme", &quote("……"), "主题党日的主题（可不写）"),
            Kind::OrgLife => out.key(false, "theme", &quote("……"), "组织生活会的主题（上级党组织确定的主题，可不写）"),
            _ => {}
        }
        if matches!(kind, Kind::OrgLife | Kind::Review) {
            out.key(false, "form", &quote("支部党员大会"), "以支部党员大会形式召开时写：同时算作当季度的支部党员大会");
        }
        out.key(
            false,
            "notice_date",
            &self.date.pred_opt().unwrap_or(self.date).to_string(),
            "通知落款日期（可不写，不写时留空待填）：不能晚于会议日期",
        );
        let branch_hint = match &self.roster.branch_path {
            Some(path) => format!("（现在用的是 {path}）"),
            None => String::new(),
        };
        out.key(
            false,
            "branch",
            &quote("../branch.toml"),
            &format!("所属支部（可不写）：不写时自动用本文件夹或上级文件夹中的 branch.toml{branch_hint}"),
        );
        out.key(false, "attendees_note", &quote("……"), "出席情况的补充说明（可不写）");
    }

    fn title_value(&self) -> Option<String> {
        // A group meeting's default title does not name the group; the group is known, so say it.
        match (&self.group, self.kind) {
            (Some(group), Kind::GroupMeeting) => {
                Some(format!("{group}{}年{}月党小组会", self.date.year(), self.date.month()))
            }
            _ => None,
        }
    }

    fn title_example(&self) -> String {
        match (self.kind, self.topic) {
            (Kind::PartyCongress, DecisionKind::Admission) => "关于接收＿＿同志为预备党员的支部党员大会".into(),
            (Kind::PartyCongress, DecisionKind::Confirmation) => {
                "关于＿＿同志预备期满转为正式党员的支部党员大会".into()
            }
            (Kind::PartyCongress, DecisionKind::Election) => "支部委员会换届选举大会".into(),
            (Kind::Lecture, _) => "书记讲党课：……".into(),
            (Kind::OrgLife, _) => format!("{}年度组织生活会", self.date.year()),
            (Kind::ThemeDay, _) => format!("{}月主题党日活动", self.date.month()),
            (kind, _) => format!("{}年{}月{}", self.date.year(), self.date.month(), kind.short_name()),
        }
    }

    /// Who usually hosts, per the 支部工作条例, and an example name.
    fn host_hint(&self) -> (String, String) {
        if self.kind == Kind::GroupMeeting {
            let leader = self.group.as_deref().and_then(|g| self.roster.leader_of(g));
            let leaders: Vec<String> = self
                .roster
                .groups
                .iter()
                .filter_map(|g| g.leader.as_ref().map(|l| format!("{}组长{l}", g.name)))
                .collect();
            return match (leader, leaders.is_empty()) {
                (Some(leader), _) => (format!("党小组会一般由组长主持，名册中的组长：{leader}"), leader.to_string()),
                (None, false) => (format!("；党小组会一般由组长主持：{}", leaders.join("、")), first_name(&leaders)),
                (None, true) => ("；党小组会一般由党小组组长主持".into(), "＿＿".into()),
            };
        }
        match &self.roster.secretary {
            Some(name) if self.host.is_some() => (format!("一般由支部书记主持，名册中的书记：{name}"), name.clone()),
            Some(name) => (format!("；一般由支部书记主持，名册中的书记：{name}"), name.clone()),
            None => ("；一般由支部书记主持".into(), "＿＿".into()),
        }
    }

    fn attendance(&self, out: &mut Out) {
        out.note("── 出席情况（会后填写）──");
        out.note(&format!("应到人员由 pdb 按名册自动算出：{}。", expected_text(self.kind)));
        out.line("[attendance]");
        out.note("请假人员：每人写一行，必须写原因。");
        out.line("absent = [");
        out.line("  # { name = \"＿＿\", reason = \"出差\" },");
        out.line("]");
        out.note(
            "实到人员：一般不写，默认应到人员中除请假的以外都到了；有人没请假也没到会时，才在这里列出全部实到人员。",
        );
        out.line("# present = [ \"＿＿\", \"＿＿\" ]");
        out.note("列席人员（不计入应到、实到）：上级党组织派来的同志、发展对象等；title 写职务或身份。");
        out.line("guests = [");
        match (self.kind, self.topic) {
            (Kind::PartyCongress, DecisionKind::Admission) => {
                out.line("  # { name = \"＿＿\", title = \"入党申请人（发展对象）\" },   # 发展对象要写在这里，才能作为报告人");
            }
            _ => out.line("  # { name = \"＿＿\", title = \"上级党委委员\" },"),
        }
        out.line("]");
    }
}

fn first_name(leaders: &[String]) -> String {
    leaders.first().and_then(|l| l.split("组长").nth(1)).unwrap_or("＿＿").to_string()
}

fn expected_text(kind: Kind) -> &'static str {
    match kind {
        Kind::Committee => "支部委员会委员（名册中 committee = true 的人）",
        Kind::GroupMeeting => "该党小组的党员（名册中 group 相同的人）",
        _ => "全体党员，不含经批准不计入的（名册中写了 excluded 的人）",
    }
}

/// A TOML basic string.
pub fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The lines of a file, with comments aligned for a monospaced editor.
#[derive(Default)]
struct Out(String);

/// Where trailing comments start, in display columns (a Chinese character is two).
const COMMENT_COLUMN: usize = 30;

impl Out {
    fn line(&mut self, text: &str) {
        self.0.push_str(text);
        self.0.push('\n');
    }

    fn blank(&mut self) {
        self.0.push('\n');
    }

    /// An explanation: always Chinese text after `# `.
    fn note(&mut self, text: &str) {
        self.line(&format!("# {text}"));
    }

    /// `key = value   # comment`, or the same commented out when the value is not a known fact.
    fn key(&mut self, on: bool, key: &str, value: &str, comment: &str) {
        let code = format!("{}{key:<8} = {value}", if on { "" } else { "# " });
        let pad = COMMENT_COLUMN.saturating_sub(width(&code)).max(2);
        self.line(&format!("{code}{}# {comment}", " ".repeat(pad)));
    }
}

fn width(text: &str) -> usize {
    text.chars().map(|c| if (c as u32) < 0x1100 { 1 } else { 2 }).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn file_names() {
        assert_eq!(file_name(Kind::Committee, date(2026, 10, 13), None), "2026-10-13-支委会.toml");
        assert_eq!(
            file_name(Kind::GroupMeeting, date(2026, 10, 20), Some("第一党小组")),
            "2026-10-20-党小组会-第一党小组.toml"
        );
        assert_eq!(file_name(Kind::Other, date(2026, 1, 2), Some("a/b")), "2026-01-02-其他-a-b.toml");
    }

    #[test]
    fn every_skeleton_is_valid_toml() {
        for kind in Kind::ALL {
            for topic in TOPICS {
                let mut s = Skeleton::new(*kind, date(2026, 11, 5), Roster::default(), "pdb new");
                s.topic = topic;
                let text = s.text();
                let table: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
                assert_eq!(table["kind"].as_str(), Some(kind.chinese()));
                assert_eq!(table["status"].as_str(), Some("计划"));
            }
        }
        let branch: toml::Table = toml::from_str(&super::super::init::branch_file()).unwrap();
        assert!(branch.contains_key("branch"));
    }

    #[test]
    fn quotes() {
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
    }
}
