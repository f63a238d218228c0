//! Rendering a few activity files in both formats and reading what reaches the documents and
//! the diagnostics: the exact-text checks of tests/review.rs and tests/truth.rs.

use super::{diagnostic_containing, Output, Test, BRANCH};

/// Renders the files (each also named on the command line) with [`BRANCH`] in both formats
/// (Markdown and Typst) into out/, and returns the run.
pub fn render(files: &[(&str, &str)]) -> Output {
    let mut test = Test::new().branch(BRANCH);
    let mut args = vec!["render", "--format", "markdown,typst", "-o", "out"];
    for (name, text) in files {
        test = test.file(name, text);
        args.push(name);
    }
    test.args(&args).run()
}

/// Both formats of one document of a.toml: the Markdown, then the Typst.
pub fn both(out: &Output, stem: &str) -> [String; 2] {
    [out.read(&format!("out/a/{stem}.md")), out.read(&format!("out/a/{stem}.typ"))]
}

#[track_caller]
pub fn assert_in(docs: &[String], text: &str) {
    for doc in docs {
        assert!(doc.contains(text), "missing {text:?} in\n{doc}");
    }
}

#[track_caller]
pub fn assert_not_in(docs: &[String], text: &str) {
    for doc in docs {
        assert!(!doc.contains(text), "unexpected {text:?} in\n{doc}");
    }
}

/// The finding or error block of stderr that contains `needle`; it must point at `location`.
#[track_caller]
pub fn diagnostic<'a>(out: &'a Output, needle: &str, location: &str) -> &'a str {
    let block = diagnostic_containing(&out.stderr, needle).unwrap_or_else(|| panic!("no {needle:?}\n{out}"));
    assert!(block.contains(&format!("--> {location}\n")), "{location} expected\n{block}");
    block
}
