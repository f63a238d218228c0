//! One activity of the synthetic county: its header, attendance, agenda, decisions (votes within
//! the quorum and the number of voters), records and photos, as TOML.

use super::*;

struct Agenda {
    title: String,
    presenter: Option<String>,
    notes: Option<String>,
    speeches: Vec<(String, String)>,
}

struct Decision {
    text: String,
    agenda: Option<usize>,
    kind: Option<&'static str>,
    votes: Option<(usize, usize, usize)>,
}

pub(super) struct Activity {
    kind: &'static str,
    title: Option<String>,
    date: NaiveDate,
    start: NaiveTime,
    end: Option<NaiveTime>,
    location: String,
    host: String,
    recorder: String,
    group: Option<String>,
    theme: Option<String>,
    lecturer: Option<String>,
    notice_date: Option<NaiveDate>,
    absent: Vec<(String, &'static str)>,
    present: Option<Vec<String>>,
    guests: Vec<(String, String)>,
    agenda: Vec<Agenda>,
    decisions: Vec<Decision>,
    pub(super) photos: Vec<(String, String)>,
    summary: Option<String>,
    reflections: Vec<(String, String)>,
}

/// Smallest n with n > base/2 (the contract's "more than half").
fn more_than_half(base: usize) -> usize {
    base / 2 + 1
}

fn more_than_four_fifths(base: usize) -> usize {
    base * 4 / 5 + 1
}

impl Activity {
    pub(super) fn new(rng: &mut Rng, branch: &Branch, plan: &Plan) -> Activity {
        let members = &branch.members;
        let group = plan.group;
        let expected: Vec<usize> = (0..members.len())
            .filter(|&i| members[i].excluded.is_none())
            .filter(|&i| match plan.kind {
                Kind::Committee => members[i].committee,
                Kind::Group => Some(members[i].group) == group,
                _ => true,
            })
            .collect();

        // Host and recorder: the secretary and the 组织委员, or a group's leader and a member.
        let (host, recorder) = match plan.kind {
            Kind::Group => {
                let g = group.expect("group meeting");
                let leader =
                    *expected.iter().find(|&&i| members[i].leader && members[i].group == g).unwrap_or(&expected[0]);
                let others: Vec<usize> = expected.iter().copied().filter(|&i| i != leader).collect();
                (leader, *rng.pick(&others))
            }
            Kind::Lecture | Kind::ThemeDay if rng.chance(0.4) => (*rng.pick(&[1, 2]), 2 - usize::from(rng.chance(0.5))),
            _ => (branch.secretary(), *rng.pick(&[1, 2])),
        };
        let recorder = if recorder == host {
            if host == 1 {
                2
            } else {
                1
            }
        } else {
            recorder
        };

        // Decisions at a 大会 may need an election's 4/5 quorum; decide that before absences.
        let election = plan.kind == Kind::Congress && rng.chance(0.05);
        let admission = plan.kind == Kind::Congress && plan.committee_before && rng.chance(0.4);
        let probationary: Vec<usize> = expected.iter().copied().filter(|&i| members[i].probationary).collect();
        let confirmation =
            plan.kind == Kind::Congress && plan.committee_before && !probationary.is_empty() && rng.chance(0.3);
        let confirmed = confirmation.then(|| *rng.pick(&probationary));

        // Absences: a few, never the host, recorder or the member being confirmed, and never so
        // many that a vote would lack its quorum or its majority.
        let guest_lecturer = plan.kind == Kind::Lecture && rng.chance(0.2);
        // The secretary usually gives the 党课, with another committee member hosting.
        let lecturer_member =
            (plan.kind == Kind::Lecture && !guest_lecturer).then(|| if host == 0 || rng.chance(0.8) { 0 } else { 1 });
        let host = if lecturer_member == Some(host) { 1 + usize::from(recorder == 1) } else { host };
        let keep = [Some(host), Some(recorder), confirmed, lecturer_member];
        let candidates: Vec<usize> = expected.iter().copied().filter(|i| !keep.contains(&Some(*i))).collect();
        let voters = |absent: &[usize]| expected.iter().filter(|i| members[**i].votes() && !absent.contains(i)).count();
        let voting_expected = voters(&[]);
        let max_absent = match plan.kind {
            Kind::Committee => expected.len() - more_than_half(expected.len()),
            Kind::Congress if election => voting_expected - more_than_four_fifths(voting_expected),
            Kind::Congress => (voting_expected - more_than_half(voting_expected)).min(4),
            _ => (expected.len() / 4).min(4),
        };
        let absent_count = if rng.chance(0.45) { 0 } else { rng.range(1, max_absent.max(1)).min(max_absent) };
        let absent: Vec<usize> = rng.sample(&candidates, absent_count);
        let present: Vec<usize> = expected.iter().copied().filter(|i| !absent.contains(i)).collect();
        let voting_present = voters(&absent);

        let mut guests = Vec::new();
        let applicant = admission.then(|| {
            let mut taken: BTreeSet<String> = members.iter().map(|m| m.name.clone()).collect();
            let name = unique_name(rng, &mut taken);
            guests.push((name.clone(), "入党申请人（发展对象）".to_string()));
            name
        });
        if matches!(plan.kind, Kind::Congress | Kind::OrgLife) && rng.chance(0.3) {
            let mut taken: BTreeSet<String> = members.iter().map(|m| m.name.clone()).collect();
            guests.push((unique_name(rng, &mut taken), format!("中共某某县{}委员会委员", branch.unit)));
        }
        if guest_lecturer {
            let mut taken: BTreeSet<String> = members.iter().map(|m| m.name.clone()).collect();
            guests.push((unique_name(rng, &mut taken), "县委党校讲师".to_string()));
        }

        let name = |i: usize| members[i].name.clone();
        let speaker = |rng: &mut Rng| name(*rng.pick(&present));
        let (titles, themes) = pools(plan.kind);
        let theme = (!themes.is_empty()).then(|| rng.pick(themes).to_string());
        let lecturer = match lecturer_member {
            Some(i) => Some(name(i)),
            None if guest_lecturer => Some(guests.last().expect("guest lecturer").0.clone()),
            None => None,
        };

        // Agenda: kind-specific items, with presenters and speeches from those present.
        let items = rng.range(2, titles.len().min(4));
        let mut agenda: Vec<Agenda> = rng
            .sample(titles, items)
            .into_iter()
            .map(|title| {
                let presenter = rng.chance(0.75).then(|| speaker(rng));
                let notes = rng
                    .chance(0.6)
                    .then(|| format!("{}同志{}", presenter.clone().unwrap_or_else(|| name(host)), rng.pick(NOTES)));
                let speeches = (0..rng.range(0, 3)).map(|_| (speaker(rng), speech(rng))).collect();
                Agenda { title: title.to_string(), presenter, notes, speeches }
            })
            .collect();
        if let Some(lecturer) = &lecturer {
            agenda.insert(
                0,
                Agenda {
                    title: "讲授专题党课".into(),
                    presenter: Some(lecturer.clone()),
                    notes: None,
                    speeches: vec![],
                },
            );
        }

        let mut decisions = Vec::new();
        let votes = |rng: &mut Rng, voting_present: usize, needed: usize| {
            let slack = voting_present.saturating_sub(needed);
            let no = if slack > 0 && rng.chance(0.15) { 1 } else { 0 };
            let abstain = if slack > no && rng.chance(0.2) { 1 } else { 0 };
            (voting_present - no - abstain, no, abstain)
        };
        match plan.kind {
            Kind::Committee => {
                for _ in 0..rng.range(1, 2) {
                    let text = rng.pick(COMMITTEE_DECISIONS).to_string();
                    let item = rng.below(agenda.len()) + 1;
                    let v = rng.chance(0.7).then(|| votes(rng, voting_present, more_than_half(expected.len())));
                    decisions.push(Decision { text, agenda: Some(item), kind: None, votes: v });
                }
            }
            Kind::Congress => {
                let needed = more_than_half(voting_expected);
                if let Some(applicant) = &applicant {
                    agenda.push(Agenda {
                        title: format!("讨论并表决接收{applicant}同志为预备党员"),
                        presenter: Some(applicant.clone()),
                        notes: Some(format!("{applicant}同志汇报了对党的认识、入党动机和个人有关情况。")),
                        speeches: vec![(speaker(rng), speech(rng))],
                    });
                    decisions.push(Decision {
                        text: format!("同意接收{applicant}同志为中共预备党员，报上级党委审批"),
                        agenda: Some(agenda.len()),
                        kind: Some(*rng.pick(&["admission", "接收预备党员"])),
                        votes: Some(votes(rng, voting_present, needed)),
                    });
                }
                if let Some(i) = confirmed {
                    agenda.push(Agenda {
                        title: format!("讨论并表决{}同志预备期满转为正式党员", name(i)),
                        presenter: Some(name(i)),
                        notes: Some(format!("{}同志汇报了预备期内的思想、学习、工作情况。", name(i))),
                        speeches: vec![],
                    });
                    decisions.push(Decision {
                        text: format!("同意{}同志按期转为中共正式党员，报上级党委审批", name(i)),
                        agenda: Some(agenda.len()),
                        kind: Some(*rng.pick(&["confirmation", "预备党员转正"])),
                        votes: Some(votes(rng, voting_present, needed)),
                    });
                }
                if election {
                    agenda.push(Agenda {
                        title: "选举产生新一届支部委员会".into(),
                        presenter: Some(name(0)),
                        notes: None,
                        speeches: vec![],
                    });
                    decisions.push(Decision {
                        text: "选举产生新一届支部委员会委员".into(),
                        agenda: Some(agenda.len()),
                        kind: Some("election"),
                        votes: Some(votes(rng, voting_present, more_than_half(voting_present))),
                    });
                }
                if decisions.is_empty() || rng.chance(0.3) {
                    decisions.push(Decision {
                        text: rng.pick(CONGRESS_DECISIONS).to_string(),
                        agenda: Some(rng.below(agenda.len()) + 1),
                        kind: None,
                        votes: rng.chance(0.8).then(|| votes(rng, voting_present, needed)),
                    });
                }
            }
            Kind::Review => decisions.push(Decision {
                text: format!("评定{}名同志为优秀党员，其余同志为合格党员", rng.range(1, 3)),
                agenda: None,
                kind: None,
                votes: None,
            }),
            _ => {}
        }

        let date = plan.date;
        let start = *rng.pick(&[(8, 30), (9, 0), (14, 30), (15, 0), (16, 0)]);
        let start = NaiveTime::from_hms_opt(start.0, start.1, 0).expect("valid time");
        let end = rng.chance(0.85).then(|| start + Duration::minutes(rng.range(4, 10) as i64 * 15));
        let notice_date = rng.chance(0.5).then(|| date - Duration::days(rng.range(1, 7) as i64));
        let explicit_present = rng.chance(0.1).then(|| present.iter().map(|&i| name(i)).collect());
        let summary = rng.chance(0.5).then(|| {
            let held = match plan.kind {
                Kind::Lecture => "举办党课".to_string(),
                Kind::ThemeDay => "开展主题党日活动".to_string(),
                Kind::Other => "开展党建业务学习".to_string(),
                kind => format!("召开{}", kind.file_name()),
            };
            format!(
                "{}，{}{held}。应到{}名，实到{}名。{}",
                chinese_date(date),
                branch.short,
                expected.len(),
                present.len(),
                rng.pick(SUMMARY_TAILS)
            )
        });
        let reflections = if matches!(plan.kind, Kind::Lecture | Kind::ThemeDay | Kind::OrgLife) && rng.chance(0.3) {
            let authors = rng.range(1, 3);
            rng.sample(&present, authors).into_iter().map(|i| (name(i), rng.pick(REFLECTIONS).to_string())).collect()
        } else {
            Vec::new()
        };
        let title = rng.chance(0.7).then(|| match (plan.kind, &theme, group) {
            (_, Some(theme), _) => format!("{}：{theme}", plan.kind.file_name()),
            (_, None, Some(g)) => format!("{}{}年{}月党小组会", branch.groups[g], date.year(), date.month()),
            _ => format!("{}{}年{}月{}", branch.short, date.year(), date.month(), plan.kind.file_name()),
        });

        Activity {
            kind: plan.kind.spelling(rng),
            title,
            date,
            start,
            end,
            location: format!("县{}{}", branch.unit, rng.pick(ROOMS)),
            host: name(host),
            recorder: name(recorder),
            group: group.map(|g| branch.groups[g].clone()),
            theme,
            lecturer,
            notice_date,
            absent: absent.iter().map(|&i| (name(i), *rng.pick(ABSENCE_REASONS))).collect(),
            present: explicit_present,
            guests,
            agenda,
            decisions,
            photos: Vec::new(),
            summary,
            reflections,
        }
    }

    pub(super) fn toml(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "kind     = {}", q(self.kind));
        if let Some(title) = &self.title {
            let _ = writeln!(s, "title    = {}", q(title));
        }
        let _ = writeln!(s, "date     = {}", self.date.format("%Y-%m-%d"));
        let _ = writeln!(s, "start    = {}", self.start.format("%H:%M:%S"));
        if let Some(end) = self.end {
            let _ = writeln!(s, "end      = {}", end.format("%H:%M:%S"));
        }
        let _ = writeln!(s, "location = {}", q(&self.location));
        let _ = writeln!(s, "host     = {}", q(&self.host));
        let _ = writeln!(s, "recorder = {}", q(&self.recorder));
        if let Some(group) = &self.group {
            let _ = writeln!(s, "group    = {}", q(group));
        }
        if let Some(theme) = &self.theme {
            let _ = writeln!(s, "theme    = {}", q(theme));
        }
        if let Some(lecturer) = &self.lecturer {
            let _ = writeln!(s, "lecturer = {}", q(lecturer));
        }
        if let Some(notice) = self.notice_date {
            let _ = writeln!(s, "notice_date = {}", notice.format("%Y-%m-%d"));
        }
        s.push_str("\n[attendance]\nabsent = [");
        for (i, (name, reason)) in self.absent.iter().enumerate() {
            let sep = if i == 0 { "" } else { "," };
            let _ = write!(s, "{sep}\n  {{ name = {}, reason = {} }}", q(name), q(reason));
        }
        s.push_str(if self.absent.is_empty() { "]\n" } else { ",\n]\n" });
        if let Some(present) = &self.present {
            let names: Vec<String> = present.iter().map(|n| q(n)).collect();
            let _ = writeln!(s, "present = [ {} ]", names.join(", "));
        }
        if !self.guests.is_empty() {
            let guests: Vec<String> =
                self.guests.iter().map(|(n, t)| format!("{{ name = {}, title = {} }}", q(n), q(t))).collect();
            let _ = writeln!(s, "guests = [ {} ]", guests.join(", "));
        }
        for item in &self.agenda {
            let _ = writeln!(s, "\n[[agenda]]\ntitle     = {}", q(&item.title));
            if let Some(p) = &item.presenter {
                let _ = writeln!(s, "presenter = {}", q(p));
            }
            if let Some(notes) = &item.notes {
                let _ = writeln!(s, "notes     = {}", q(notes));
            }
            if !item.speeches.is_empty() {
                s.push_str("speeches  = [\n");
                for (speaker, text) in &item.speeches {
                    let _ = writeln!(s, "  {{ speaker = {}, text = {} }},", q(speaker), q(text));
                }
                s.push_str("]\n");
            }
        }
        for d in &self.decisions {
            let _ = writeln!(s, "\n[[decisions]]\ntext   = {}", q(&d.text));
            if let Some(a) = d.agenda {
                let _ = writeln!(s, "agenda = {a}");
            }
            if let Some(kind) = d.kind {
                let _ = writeln!(s, "kind   = {}", q(kind));
            }
            if let Some((yes, no, abstain)) = d.votes {
                let _ = writeln!(s, "votes  = {{ yes = {yes}, no = {no}, abstain = {abstain} }}");
            }
        }
        for (file, caption) in &self.photos {
            let _ = writeln!(s, "\n[[photos]]\nfile    = {}\ncaption = {}", q(file), q(caption));
        }
        if let Some(text) = &self.summary {
            let _ = writeln!(s, "\n[summary]\ntext = {}", q(text));
        }
        for (author, text) in &self.reflections {
            let _ = writeln!(s, "\n[[reflections]]\nauthor = {}\ntext   = {}", q(author), q(text));
        }
        s
    }
}

/// A TOML basic string.
pub(super) fn q(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn chinese_date(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

fn speech(rng: &mut Rng) -> String {
    let first = rng.pick(SPEECHES);
    let second = rng.pick(SPEECHES);
    if first == second {
        first.to_string()
    } else {
        format!("{first}{second}")
    }
}
