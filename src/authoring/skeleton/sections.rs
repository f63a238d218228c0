//! The sections of a skeleton after its top-level keys and attendance, by kind and topic: the
//! agenda (the fixed order of business of the rules, else commented-out examples), the decisions,
//! the photos, summary, reflections and extra data.

use super::{quote, Out, Skeleton};
use crate::model::{DecisionKind, Kind};

impl Skeleton {
    pub(super) fn agenda(&self, out: &mut Out) {
        out.note("── 议程：每个 [[agenda]] 是一项，按顺序排列；增加一项就再写一个 [[agenda]] ──");
        out.note("title 议程名称；presenter 报告人、领学人（党员名册中的人或列席人员）；");
        out.note("notes 这一项的记录内容、speeches 发言（每人一行），都在会后填写。");
        let items = self.items();
        for item in &items {
            out.blank();
            let prefix = if item.standard { "" } else { "# " };
            out.line(&format!("{prefix}[[agenda]]"));
            out.line(&format!("{prefix}title = {}", quote(item.title)));
            if item.standard {
                out.key(false, "presenter", &quote(&self.who_example(item.presenter)), &self.who_hint(item.presenter));
                out.key(false, "notes", "\"\"\"会后填写：这一项的主要内容……\"\"\"", "记录内容（会后填写）");
                if item.speeches {
                    out.key(
                        false,
                        "speeches",
                        "[ { speaker = \"＿＿\", text = \"会后填写：发言要点\" } ]",
                        "发言（会后填写），多人时用逗号隔开",
                    );
                }
            } else {
                let who = self.who_example(item.presenter);
                out.line(&format!("# presenter = {}", quote(&who)));
            }
        }
        if items.iter().all(|i| !i.standard) {
            out.blank();
            out.note("以上是示例：删去行首的“# ”并改成本次的议程；没有议程的会议不能打印出议题。");
        }
    }

    pub(super) fn decisions(&self, out: &mut Out) {
        let (text, agenda, kind, note) = match (self.kind, self.topic) {
            (Kind::PartyCongress, DecisionKind::Admission) => (
                "同意接收＿＿同志为中共预备党员，报上级党委审批",
                4,
                "接收预备党员",
                "接收几名预备党员就写几个 [[decisions]]，每人一个",
            ),
            (Kind::PartyCongress, DecisionKind::Confirmation) => (
                "同意＿＿同志按期转为中共正式党员，报上级党委审批",
                3,
                "预备党员转正",
                "几名预备党员转正就写几个 [[decisions]]，每人一个",
            ),
            (Kind::PartyCongress, DecisionKind::Election) => (
                "选举产生新一届支部委员会委员",
                5,
                "选举",
                "一次选举写一个 [[decisions]]，每名候选人及其得票写在 candidates 中",
            ),
            (Kind::PartyCongress | Kind::Committee, _) => {
                ("……", 1, "一般事项", "需要表决的事项每项写一个 [[decisions]]；没有表决的会议不写")
            }
            _ => return,
        };
        out.blank();
        out.note(&format!("── 决议：{note} ──"));
        out.note("会前可以先写好 text、agenda、kind（主持词里会有表决程序）；votes 会后填写。");
        out.line("# [[decisions]]");
        out.line(&format!("# text   = {}", quote(text)));
        out.line(&format!("# agenda = {agenda}                # 属于第几项议程"));
        out.line(&format!("# kind   = {}", quote(kind)));
        if self.topic == DecisionKind::Election {
            out.line("# tellers  = [\"＿＿\"]         # 监票人（不能是候选人）");
            out.line("# counters = [\"＿＿\"]         # 计票人");
            out.line("# seats   = 5                 # 应选人数；候选人数应多于应选人数（差额选举）");
            out.line("# candidates = [ { name = \"＿＿\", votes = 0 }, { name = \"＿＿\", votes = 0 } ]   # 每名候选人及得票（会后填写）");
            out.line("# ballots = { issued = 0, returned = 0, valid = 0 }   # 发出、收回、有效选票（会后填写）");
            return;
        }
        if matches!(self.topic, DecisionKind::Admission | DecisionKind::Confirmation) {
            out.line("# method = \"无记名投票\"       # 表决方式：举手 或 无记名投票");
            out.line("# tellers  = [\"＿＿\"]         # 无记名投票的监票人");
            out.line("# counters = [\"＿＿\"]         # 计票人");
        }
        out.line("# votes  = { yes = 0, no = 0, abstain = 0 }   # 同意、反对、弃权票数（会后填写）");
        if matches!(self.topic, DecisionKind::Admission | DecisionKind::Confirmation) {
            out.line("#   # 未到会的有表决权党员会前交来书面意见的，计入票数，并写 written = 份数");
        }
    }

    pub(super) fn records(&self, out: &mut Out) {
        let summary = if self.kind.is_activity() { "活动总结" } else { "会议纪要" };
        out.blank();
        out.note("── 照片（可不写）：file 是相对于本文件的路径；支持 jpg、png、gif、svg、webp ──");
        out.line("# [[photos]]");
        out.line(&format!("# file    = {}", quote(&format!("photos/{}-1.jpg", self.date))));
        out.line("# caption = \"照片说明\"");
        out.blank();
        out.note(&format!("── {summary}（可不写）：不写时 pdb 只用上面的事实生成一段，不会编造内容 ──"));
        out.line("# [summary]");
        out.line("# text = \"\"\"会后填写……\"\"\"");
        out.blank();
        out.note("── 心得体会（可不写）：党员交来几篇就写几个，author 须在党员名册中 ──");
        out.line("# [[reflections]]");
        out.line("# author = \"＿＿\"");
        out.line("# text   = \"\"\"……\"\"\"");
        out.blank();
        out.note("── 本单位自定义数据（可不写）：原样交给模板，例如在通知上印联系人和电话 ──");
        out.line("# [extra]");
        out.line("# \"联系人\" = \"＿＿\"              # 键名有汉字时加英文双引号");
    }

    fn items(&self) -> Vec<Item> {
        use Who::*;
        let on = |title, presenter, speeches| Item { title, presenter, speeches, standard: true };
        let eg = |title, presenter| Item { title, presenter, speeches: false, standard: false };
        match (self.kind, self.topic) {
            // 《中国共产党发展党员工作细则》第二十一条的程序。
            (Kind::PartyCongress, DecisionKind::Admission) => vec![
                on("发展对象汇报对党的认识、入党动机、本人履历、家庭和主要社会关系情况", Applicant, false),
                on("入党介绍人介绍发展对象有关情况，并对其能否入党表明意见", Introducer, false),
                on("支部委员会报告对发展对象的审查情况", Organiser, false),
                on("与会党员讨论发展对象能否入党，并采取无记名投票方式表决", Nobody, true),
                on("发展对象表态", Applicant, false),
                on("宣布表决结果，宣读支部大会决议", Secretary, false),
            ],
            // 《发展党员工作细则》第三十一、三十二条：汇报、考察意见、讨论表决。
            (Kind::PartyCongress, DecisionKind::Confirmation) => vec![
                on("预备党员汇报预备期间的思想、学习和工作情况，提出转正申请", Probationary, false),
                on("支部委员会报告对预备党员的考察情况和党小组、入党介绍人的意见", Organiser, false),
                on("与会党员讨论预备党员能否按期转为正式党员，并采取无记名投票方式表决", Nobody, true),
                on("宣布表决结果", Secretary, false),
            ],
            // 《中国共产党基层组织选举工作条例》的程序。
            (Kind::PartyCongress, DecisionKind::Election) => vec![
                on("支部委员会作工作报告", Secretary, false),
                on("通过选举办法", Secretary, false),
                on("介绍候选人情况，通过候选人名单", Organiser, false),
                on("通过监票人、计票人名单", Secretary, false),
                on("无记名投票选举", Nobody, false),
                on("宣布选举结果", Secretary, false),
            ],
            (Kind::PartyCongress, _) => vec![
                eg("传达学习上级有关会议和文件精神", Secretary),
                eg("听取支部委员会工作报告", Secretary),
                eg("讨论决定支部重要事项", Secretary),
            ],
            (Kind::Committee, _) => vec![
                eg("传达学习上级有关会议和文件精神", Secretary),
                eg("研究发展党员、党员教育管理等支部工作", Organiser),
                eg("研究部署下月工作", Secretary),
            ],
            (Kind::GroupMeeting, _) => {
                vec![
                    eg("学习……", GroupLeader),
                    eg("结合岗位交流学习体会", GroupLeader),
                    eg("通报党员思想动态", GroupLeader),
                ]
            }
            (Kind::Lecture, _) => vec![on("讲授专题党课", Lecturer, false), on("党员交流学习体会", Nobody, true)],
            (Kind::ThemeDay, _) => vec![
                eg("重温入党誓词", Secretary),
                eg("集中学习……", Secretary),
                eg("交纳党费", Organiser),
                eg("开展志愿服务", Secretary),
            ],
            // 组织生活会：通报、对照检查、批评与自我批评、整改。
            (Kind::OrgLife, _) => vec![
                on("通报会前学习研讨、征求意见、谈心谈话情况和上年度整改落实情况", Secretary, false),
                on("支部书记代表支部委员会作对照检查，并带头开展批评与自我批评", Secretary, true),
                on("支部委员会成员逐一对照检查，开展批评与自我批评", Nobody, true),
                on("党员逐一对照检查，开展批评与自我批评", Nobody, true),
                on("支部书记作总结，明确整改措施", Secretary, false),
            ],
            // 民主评议党员：学习、自我评价、相互评议、民主测评。
            (Kind::Review, _) => vec![
                on("学习民主评议党员有关要求和党员标准", Secretary, false),
                on("党员对照党员标准进行自我评价", Nobody, true),
                on("党员相互评议，开展批评与自我批评", Nobody, true),
                on("填写民主测评表，进行民主测评", Organiser, false),
            ],
            (Kind::Other, _) => vec![eg("……", Secretary)],
        }
    }

    fn who_example(&self, who: Who) -> String {
        let name = match who {
            Who::Secretary | Who::Lecturer => self.roster.secretary.clone(),
            Who::Organiser => self.roster.organiser.clone(),
            Who::Probationary => self.roster.probationary.first().cloned(),
            Who::GroupLeader => self.group.as_deref().and_then(|g| self.roster.leader_of(g)).map(str::to_string),
            Who::Applicant | Who::Introducer | Who::Nobody => None,
        };
        name.unwrap_or_else(|| "＿＿".into())
    }

    fn who_hint(&self, who: Who) -> String {
        match who {
            Who::Secretary => "报告人：支部书记".into(),
            Who::Organiser => "报告人：支委会委员，一般是组织委员".into(),
            Who::Applicant => "报告人：发展对象本人（写在上面的列席人员中）".into(),
            Who::Introducer => "报告人：入党介绍人".into(),
            Who::Probationary if !self.roster.probationary.is_empty() => {
                format!("报告人：预备党员本人；名册中的预备党员：{}", self.roster.probationary.join("、"))
            }
            Who::Probationary => "报告人：预备党员本人".into(),
            Who::Lecturer => "报告人：主讲人".into(),
            Who::GroupLeader => "报告人：党小组组长或领学人".into(),
            Who::Nobody => "报告人（可不写）".into(),
        }
    }
}

#[derive(Clone, Copy)]
enum Who {
    Secretary,
    Organiser,
    Applicant,
    Introducer,
    Probationary,
    Lecturer,
    GroupLeader,
    Nobody,
}

struct Item {
    title: &'static str,
    presenter: Who,
    speeches: bool,
    /// Standard items are written as they are; the others are commented-out examples.
    standard: bool,
}
