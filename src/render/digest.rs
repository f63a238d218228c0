//! The summary pdb writes when the secretary wrote none: facts only, no praise, and no outcome
//! that the recorded votes do not carry.

use super::decision::DecisionView;
use super::view::Packet;
use crate::text::one_line;
use crate::text::BLANK;

pub(super) fn digest(p: &Packet) -> Vec<String> {
    let act = &p.act;
    let mut out = Vec::new();
    // A 党小组会 is the group's (条例第十三条), not the branch's. A title that already starts with
    // the branch's or the group's name is not given it twice.
    let group = act.group.as_deref().filter(|_| act.kind_slug == "group-meeting");
    let named = act.title.starts_with(&p.branch.display) || group.is_some_and(|g| act.title.starts_with(g));
    let who = if named { String::new() } else { format!("{}{}", p.branch.display, group.unwrap_or("")) };
    out.push(format!(
        "{}，{who}在{}{}{}，由{}同志主持，{}记录。",
        act.time,
        act.location,
        act.notice_verb,
        act.notice_subject,
        act.host,
        if act.recorder == BLANK { BLANK.to_string() } else { format!("{}同志", act.recorder) }
    ));
    let mut line = match &act.theme {
        Some(theme) => format!("{}主题为“{theme}”。", act.noun),
        None => String::new(),
    };
    if let Some(lecturer) = &act.lecturer {
        line.push_str(&format!("由{lecturer}同志讲授党课。"));
    }
    if !line.is_empty() {
        out.push(line);
    }
    out.push(attendance(p));
    if !p.agenda.is_empty() {
        let items: Vec<String> =
            p.agenda.iter().map(|a| format!("{}是{}", a.numeral, one_line(&a.title).trim_end_matches('。'))).collect();
        out.push(format!("{}共有{}项议程：{}。", act.noun, p.agenda.len(), items.join("；")));
    }
    out.extend(p.decisions.iter().map(|d| decision(act.noun, d)));
    out
}

fn attendance(p: &Packet) -> String {
    let c = &p.people.counts;
    let unit = c.unit;
    let mut text = format!("应到{unit}{}人，实到{unit}{}人{}", c.expected, c.present, c.composition);
    if !p.act.attendance_known {
        text.push_str(&format!("，请假{}人：{BLANK}", c.on_leave));
    } else if !p.people.on_leave.is_empty() {
        let names: Vec<String> =
            p.people.on_leave.iter().map(|l| format!("{}同志（{}）", l.name, one_line(&l.reason))).collect();
        text.push_str(&format!("，请假{}人：{}", c.on_leave, names.join("、")));
    }
    if !p.people.missing.is_empty() {
        let names: Vec<String> = p.people.missing.iter().map(|n| format!("{n}同志")).collect();
        text.push_str(&format!("，缺席{}人：{}", c.missing, names.join("、")));
    }
    text.push('。');
    if !p.people.guests.is_empty() {
        let names: Vec<String> = p.people.guests.iter().map(|g| one_line(&g.text)).collect();
        text.push_str(&format!("列席：{}。", names.join("、")));
    }
    text
}

/// One decision: how it was voted on, the voter base, the count and the result; without votes,
/// only that it was taken up, with the result left blank.
fn decision(noun: &str, d: &DecisionView) -> String {
    let text = one_line(&d.text);
    let text = text.trim_end_matches('。');
    match &d.tally {
        Some(tally) if d.is_election => {
            format!("{noun}以无记名投票方式进行选举（{text}），{}，{}；{}。", d.voter_base, tally, d.result_or_blank)
        }
        Some(tally) => {
            format!("{noun}以{}方式对“{text}”进行表决，{}，{tally}，{}。", d.method, d.voter_base, d.result_or_blank)
        }
        None => format!("{noun}研究了“{text}”，{}：{BLANK}。", d.votes_label),
    }
}
