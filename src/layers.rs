//! The check of the layer rule stated in lib.rs: every `crate::` path of every library file
//! names a module of its own layer or a lower one, and no two top-level modules use each other,
//! directly or around a circle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Module → layer, from the table in lib.rs's documentation: the table is the rule.
fn layer_table(lib: &str) -> BTreeMap<String, usize> {
    let mut table = BTreeMap::new();
    for line in lib.lines().filter_map(|l| l.strip_prefix("//! |")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let Some(layer) = cells.first().and_then(|c| c.split_whitespace().next()).and_then(|n| n.parse().ok()) else {
            continue;
        };
        for module in cells[1].split('`').skip(1).step_by(2) {
            table.insert(module.to_string(), layer);
        }
    }
    table
}

/// The library's source files with the top-level module each belongs to.
fn library_files(src: &Path) -> Vec<(String, PathBuf)> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(src).into_iter().filter_map(Result::ok) {
        let path = entry.path();
        let relative = path.strip_prefix(src).expect("under src");
        let Some(first) = relative.components().next() else { continue };
        let first = first.as_os_str().to_string_lossy();
        let module = first.trim_end_matches(".rs").to_string();
        let outside = ["lib", "main", "cli", "layers"].contains(&module.as_str());
        if entry.file_type().is_file() && path.extension().is_some_and(|e| e == "rs") && !outside {
            files.push((module, path.to_path_buf()));
        }
    }
    files.sort();
    files
}

/// The top-level modules a file's code names as `crate::x` (comments aside).
fn uses(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in text.lines().map(str::trim).filter(|l| !l.starts_with("//")) {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            assert!(!after.starts_with('{'), "write one `use crate::module::…` per module, not `crate::{{…}}`: {line}");
            let name: String = after.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            // `pub(crate)` is a visibility, not a path.
            let is_path = !rest[..at].ends_with("pub(");
            if is_path && !name.is_empty() {
                found.insert(name);
            }
            rest = after;
        }
    }
    found
}

#[test]
fn every_module_uses_only_its_layer_and_the_layers_below() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("lib.rs");
    let table = layer_table(&lib);
    let declared: BTreeSet<String> = lib
        .lines()
        .filter_map(|l| ["pub mod ", "pub(crate) mod ", "mod "].iter().find_map(|p| l.strip_prefix(p)))
        .map(|l| l.trim_end_matches(';').to_string())
        .filter(|m| m != "layers")
        .collect();
    assert_eq!(declared, table.keys().cloned().collect(), "lib.rs's modules and its layer table differ");

    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut wrong = Vec::new();
    for (module, path) in library_files(&src) {
        let text = std::fs::read_to_string(&path).expect("a source file");
        let layer = table[&module];
        for used in uses(&text).into_iter().filter(|u| *u != module) {
            let Some(&used_layer) = table.get(&used) else {
                wrong.push(format!("{}: crate::{used} is not in the layer table", path.display()));
                continue;
            };
            if used_layer > layer {
                wrong.push(format!("{} (layer {layer}) uses crate::{used} (layer {used_layer})", path.display()));
            }
            graph.entry(module.clone()).or_default().insert(used);
        }
    }
    assert!(wrong.is_empty(), "layer rule broken:\n{}", wrong.join("\n"));
    if let Some(circle) = find_circle(&graph) {
        panic!("import circle: {}", circle.join(" → "));
    }
}

/// A circle of modules in the graph, if there is one.
fn find_circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut circle = path[start..].to_vec();
            circle.push(node.to_string());
            return Some(circle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(circle) = visit(next, graph, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_check_sees_uses_and_circles() {
    let text =
        "use crate::model::Kind;\n// crate::run in a comment\npub(crate) fn f() { crate::text::one_line(\"\"); }";
    assert_eq!(uses(text), BTreeSet::from(["model".to_string(), "text".to_string()]));
    let graph = BTreeMap::from([
        ("a".to_string(), BTreeSet::from(["b".to_string()])),
        ("b".to_string(), BTreeSet::from(["a".to_string()])),
    ]);
    assert_eq!(find_circle(&graph), Some(vec!["a".into(), "b".into(), "a".into()]));
    let table = layer_table("//! | 1 base | `text`, `digest` | x |\n//! | 2 model | `model` | y |");
    assert_eq!(table["digest"], 1);
    assert_eq!(table["model"], 2);
}
