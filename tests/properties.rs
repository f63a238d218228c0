//! Property tests (proptest) over random rosters and attendance: a decision's validity never
//! depends on another decision of the same meeting; a present voter more never turns a valid
//! quorum invalid; the host script says 符合规定 if and only if the quorum holds.

use std::fs;

use proptest::prelude::*;

use pdb::load::{load_activity, BranchCache};
use pdb::model::{DecisionKind, ElectionQuorum, Kind};
use pdb::record::{Outcome, Record};
use pdb::render::{Document, Engine, Format, Packet};
use pdb::rules::{decision_quorum, Counts};

/// A roster of `full` full members and `probationary` probationary ones; the first `away` full
/// members are on leave.
fn branch(full: usize, probationary: usize) -> String {
    let mut text = "[branch]\nname = \"中共某某支部委员会\"\n\n".to_string();
    for i in 0..full {
        text.push_str(&format!("[[members]]\nname = \"正式{i}\"\ncommittee = {}\n\n", i < 5));
    }
    for i in 0..probationary {
        text.push_str(&format!("[[members]]\nname = \"预备{i}\"\nstatus = \"预备党员\"\n\n"));
    }
    text
}

fn activity(kind: &str, away: usize, decisions: &[(&str, u32)]) -> String {
    let absent: Vec<String> = (0..away).map(|i| format!("{{ name = \"正式{i}\", reason = \"出差\" }}")).collect();
    let mut text = format!(
        "kind = \"{kind}\"\ndate = 2026-11-05\nstart = 14:30:00\nlocation = \"会议室\"\nhost = \"正式0\"\nrecorder = \"正式0\"\n\n\
         [attendance]\nabsent = [ {} ]\n",
        absent.join(", ")
    );
    for (i, (decision_kind, yes)) in decisions.iter().enumerate() {
        text.push_str(&format!(
            "\n[[decisions]]\ntext = \"决议{i}\"\nkind = \"{decision_kind}\"\nvotes = {{ yes = {yes}, no = 0, abstain = 0 }}\n"
        ));
    }
    text
}

/// Checks one activity against one roster, in a temp folder.
fn record(branch_text: &str, activity_text: &str) -> Record {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("branch.toml"), branch_text).unwrap();
    let path = dir.path().join("a.toml");
    fs::write(&path, activity_text).unwrap();
    let activity = load_activity(&path, &BranchCache::default()).unwrap_or_else(|e| panic!("{e:?}\n{activity_text}"));
    Record::build(activity).unwrap_or_else(|e| panic!("{}\n{activity_text}", e[0]))
}

fn host_script(record: &Record) -> String {
    let documents = [Document::HostScript];
    let packet = Packet::new(record, &[], &documents, Default::default());
    let engine = Engine::new(None).unwrap();
    let request = pdb::render::Request {
        packet: &packet,
        documents: &documents,
        kind: record.kind(),
        formats: &[Format::Markdown],
    };
    let files = pdb::render::render_documents(&engine, &request).unwrap();
    String::from_utf8(files[0].contents.clone()).unwrap()
}

const KINDS: [&str; 3] = ["ordinary", "admission", "election"];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// A decision comes to the same outcome alone as among any other decisions of the meeting.
    #[test]
    fn a_decision_does_not_depend_on_the_others(
        full in 3usize..16,
        probationary in 0usize..3,
        away_share in 0.0f64..1.0,
        kinds in proptest::collection::vec(0usize..3, 1..4),
        yes_share in 0.0f64..1.0,
    ) {
        let away = ((full as f64) * away_share) as usize;
        let present = (full - away) as u32;
        let yes = ((present as f64) * yes_share) as u32;
        let decisions: Vec<(&str, u32)> = kinds.iter().map(|&k| (KINDS[k], yes)).collect();
        let roster = branch(full, probationary);
        let together = record(&roster, &activity("支部党员大会", away, &decisions));
        for (i, decision) in decisions.iter().enumerate() {
            let alone = record(&roster, &activity("支部党员大会", away, std::slice::from_ref(decision)));
            prop_assert_eq!(&together.decisions[i].outcome, &alone.decisions[0].outcome);
            prop_assert_eq!(&together.decisions[i].quorum, &alone.decisions[0].quorum);
        }
    }

    /// One more voter present never turns a quorum that holds into one that does not.
    #[test]
    fn a_voter_more_never_breaks_a_quorum(
        expected in 0u32..40,
        present in 0u32..40,
        kind in 0usize..8,
        decision in 0usize..4,
        local in any::<bool>(),
    ) {
        let present = present.min(expected);
        let kind = Kind::ALL[kind];
        let decision = [DecisionKind::Ordinary, DecisionKind::Admission, DecisionKind::Confirmation, DecisionKind::Election][decision];
        let rule = if local { ElectionQuorum::AtLeast } else { ElectionQuorum::MoreThan };
        let before = Counts { expected, present, voting_expected: expected, voting_present: present };
        let after = Counts { expected: expected + 1, present: present + 1, voting_expected: expected + 1, voting_present: present + 1 };
        // The voter was expected all along, and came.
        let came = Counts { present: present + 1, voting_present: present + 1, ..before };
        if let Some(q) = decision_quorum(kind, decision, before, rule) {
            if q.holds && present < expected {
                prop_assert!(decision_quorum(kind, decision, came, rule).unwrap().holds);
            }
            if q.holds {
                // A new member who comes: the base grows by one and so does attendance.
                prop_assert!(decision_quorum(kind, decision, after, rule).unwrap().holds, "{q:?}");
            }
        }
    }

    /// The host script says 符合规定 exactly when the meeting's quorum holds.
    #[test]
    fn the_host_script_says_the_quorum_holds_only_when_it_does(
        full in 1usize..16,
        probationary in 0usize..3,
        away_share in 0.0f64..1.0,
        kind in 0usize..3,
        committee in any::<bool>(),
    ) {
        let mut away = ((full as f64) * away_share) as usize;
        if committee {
            // Only committee members can be on leave from a 支委会.
            away = away.min(full.min(5));
        }
        let meeting = if committee { "支委会" } else { "支部党员大会" };
        let decisions = [(KINDS[kind], 0)];
        let decisions: &[(&str, u32)] = if committee { &[("ordinary", 0)] } else { &decisions };
        let record = record(&branch(full, probationary), &activity(meeting, away, decisions));
        let script = host_script(&record);
        let holds = record.quorum.as_ref().is_some_and(|q| q.holds)
            || record.decisions.iter().any(|d| d.quorum.as_ref().is_some_and(|q| q.holds) && d.kind == DecisionKind::Election);
        let fails = record.quorum.as_ref().is_some_and(|q| !q.holds)
            || record.decisions.iter().any(|d| d.quorum.as_ref().is_some_and(|q| !q.holds));
        prop_assert_eq!(script.contains("符合规定"), holds, "{}", script);
        // Failing, it states the counts and scripts no vote under the failed rule.
        if fails && !holds {
            prop_assert!(!script.contains("同意的请举手"), "{}", script);
            prop_assert!(record.decisions.iter().all(|d| d.outcome != Outcome::Vote(pdb::rules::Verdict::Passed)));
        }
    }
}

/// The ledger files' suffixes of the branches in one folder: distinct, the short name wherever
/// it is unique, none for a branch alone, and the same for each branch file in any order of the
/// branches (the order their activities finish in).
mod ledger_names {
    use std::path::PathBuf;

    use pdb::ledger::suffix::{suffixes, Sharer};
    use proptest::prelude::*;

    fn names() -> impl Strategy<Value = Vec<(String, String)>> {
        // Few names, so that they collide; one looks like a numbered one.
        let name = prop::sample::select(vec!["甲", "乙", "甲-2", "丙"]);
        prop::collection::vec((name.clone(), name), 1..6)
            .prop_map(|v| v.into_iter().map(|(s, f)| (s.to_string(), format!("全称{f}"))).collect())
    }

    proptest! {
        #[test]
        fn suffixes_are_distinct_and_do_not_depend_on_order(names in names(), seed in any::<u64>()) {
            let files: Vec<PathBuf> = (0..names.len()).map(|i| PathBuf::from(format!("b{i}/branch.toml"))).collect();
            let sharers: Vec<Sharer> =
                names.iter().zip(&files).map(|((s, f), file)| Sharer { file, short: s, full: f }).collect();
            let got = suffixes(&sharers);
            let mut seen = std::collections::HashSet::new();
            prop_assert!(got.iter().all(|s| seen.insert(s.clone())), "{got:?}");
            if sharers.len() == 1 {
                prop_assert_eq!(&got[0], "");
            }
            for (i, s) in sharers.iter().enumerate() {
                if sharers.len() > 1 && sharers.iter().filter(|o| o.short == s.short).count() == 1 {
                    prop_assert_eq!(&got[i], &format!("-{}", s.short));
                }
            }
            // Reversed and rotated: each file keeps its suffix.
            let mut shuffled: Vec<usize> = (0..sharers.len()).collect();
            shuffled.rotate_left((seed as usize) % sharers.len());
            if seed % 2 == 0 {
                shuffled.reverse();
            }
            let again = suffixes(&shuffled.iter().map(|&i| sharers[i]).collect::<Vec<_>>());
            for (k, &i) in shuffled.iter().enumerate() {
                prop_assert_eq!(&again[k], &got[i]);
            }
        }
    }
}
