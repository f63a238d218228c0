//! Chinese labels for every key of the input format, so errors speak the secretary's language.

/// One step of a TOML path: a key or an array index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathStep {
    Key(String),
    Index(usize),
}

/// Renders `attendance.absent[0].name`.
pub fn dotted(path: &[PathStep]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            PathStep::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            PathStep::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// The Chinese label of the last key of a path, read in the context of its parent table.
pub fn label(path: &[PathStep]) -> Option<&'static str> {
    let keys: Vec<&str> = path
        .iter()
        .filter_map(|s| match s {
            PathStep::Key(k) => Some(k.as_str()),
            PathStep::Index(_) => None,
        })
        .collect();
    let (last, parents) = keys.split_last()?;
    let parent = parents.last().copied().unwrap_or("");
    if let Some(label) = super::applicant::label(parent, last) {
        return Some(label);
    }
    Some(match (parent, *last) {
        ("absent", "name") => "请假人员姓名",
        ("absent", "reason") => "请假原因",
        ("guests", "name") => "列席人员姓名",
        ("guests", "title") => "列席人员职务",
        ("members", "name") => "党员姓名",
        ("members", "group") => "所在党小组",
        ("branch", "name") => "支部全称",
        ("agenda", "title") => "议程名称",
        ("speeches", "text") => "发言内容",
        ("decisions", "text") => "决议内容",
        ("decisions", "agenda") => "所属议程序号",
        ("decisions", "kind") => "决议类型",
        ("candidates", "name") => "候选人姓名",
        ("candidates", "votes") => "候选人得票数",
        ("reflections", "text") => "心得体会正文",
        ("summary", "text") => "会议纪要正文",
        ("rules", _) => "频次规定",
        (_, "every") => "频次",
        (_, "times") => "每期次数",
        (_, "day") => "固定日期",
        (_, "month") => "月份",
        (_, "templates") => "模板文件夹",
        (_, "reference_docx") => "Word 参考文档",
        (_, "formats") => "输出格式",
        (_, "extra") => "自定义数据",
        ("", "status") => "活动状态",
        (_, "kind") => "活动类型",
        (_, "title") => "标题",
        (_, "date") => "日期",
        (_, "start") => "开始时间",
        (_, "end") => "结束时间",
        (_, "location") => "地点",
        (_, "host") => "主持人",
        (_, "recorder") => "记录人",
        (_, "branch") => "支部",
        (_, "group") => "党小组",
        (_, "theme") => "主题",
        (_, "lecturer") => "主讲人",
        (_, "form") => "召开形式",
        (_, "counts_as") => "同时计为",
        (_, "by_secretary") => "书记每年讲党课次数",
        (_, "notice_date") => "通知日期",
        (_, "attendees_note") => "出席情况说明",
        (_, "attendance") => "出席情况",
        (_, "absent") => "请假人员",
        (_, "present") => "实到人员",
        (_, "guests") => "列席人员",
        (_, "agenda") => "议程",
        (_, "presenter") => "报告人",
        (_, "notes") => "内容要点",
        (_, "speeches") => "发言",
        (_, "speaker") => "发言人",
        (_, "decisions") => "决议",
        (_, "votes") => "表决情况",
        (_, "yes") => "同意票数",
        (_, "no") => "反对票数",
        (_, "abstain") => "弃权票数",
        (_, "written") => "书面意见票数",
        (_, "method") => "表决方式",
        (_, "tellers") => "监票人",
        (_, "counters") => "计票人",
        (_, "applicant") => "申请人",
        (_, "seats") => "应选人数",
        (_, "ballots") => "选票",
        (_, "issued") => "发出选票数",
        (_, "returned") => "收回选票数",
        (_, "valid") => "有效选票数",
        (_, "candidates") => "候选人",
        (_, "rights_suspended") => "暂停党员权利的原因",
        (_, "election_quorum") => "选举到会人数规定",
        (_, "photos") => "照片",
        (_, "file") => "照片文件",
        (_, "caption") => "照片说明",
        (_, "summary") => "会议纪要",
        (_, "reflections") => "心得体会",
        (_, "author") => "心得体会作者",
        (_, "members") => "党员名册",
        (_, "name") => "名称",
        (_, "short") => "简称",
        (_, "parent") => "上级党组织",
        (_, "role") => "职务",
        (_, "committee") => "是否支委",
        (_, "status") => "党员类别",
        (_, "group_leader") => "是否党小组组长",
        (_, "excluded") => "不计入应到人数的原因",
        (_, "text") => "正文",
        _ => return None,
    })
}
