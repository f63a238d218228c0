//! The names of the ledger files of branches that share one output folder: 台账<suffix>.md and
//! its kin. Each branch's suffix depends only on the set of branches there (never on which
//! finished first), so a run and the next one name the same files alike.

use std::path::Path;

/// A branch whose 台账 goes to the folder.
#[derive(Debug, Clone, Copy)]
pub struct Sharer<'a> {
    /// Its branch file: orders those whose names are the same.
    pub file: &'a Path,
    /// `[branch] short` (or the full name when there is none).
    pub short: &'a str,
    /// `[branch] name`.
    pub full: &'a str,
}

/// The suffix of each branch's files, in the order given: none for a branch alone; `-<short>`;
/// `-<full name>` for branches whose short names are the same; and for branches whose full names
/// are the same too, `-2`, `-3`… after the full name, in the order of their branch files (the
/// first keeps the plain one). The suffixes of a folder are distinct.
pub fn suffixes(sharers: &[Sharer]) -> Vec<String> {
    if sharers.len() < 2 {
        return vec![String::new(); sharers.len()];
    }
    let clean = |s: &str| s.trim().to_string();
    let named: Vec<String> = sharers
        .iter()
        .map(|s| {
            let same_short = sharers.iter().filter(|o| clean(o.short) == clean(s.short)).count() > 1;
            clean(if same_short { s.full } else { s.short })
        })
        .collect();
    // In the order of the files: the first of a name keeps it, the others count on from 2,
    // past any name already taken.
    let mut order: Vec<usize> = (0..sharers.len()).collect();
    order.sort_by_key(|&i| (sharers[i].file, i));
    let mut taken: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut out = vec![String::new(); sharers.len()];
    for &i in &order {
        let first = !order.iter().any(|&j| named[j] == named[i] && (sharers[j].file, j) < (sharers[i].file, i));
        let mut name = named[i].clone();
        if !first || taken.contains(&name) {
            name = (2..)
                .map(|n| format!("{}-{n}", named[i]))
                .find(|c| !taken.contains(c) && !named.contains(c))
                .expect("some number is free");
        }
        taken.insert(name.clone());
        out[i] = format!("-{name}");
    }
    out
}
