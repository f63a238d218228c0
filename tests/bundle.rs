//! PDFs from typst bundles (issue 13): many activities per typst process, and the fallback to one
//! process per PDF. Both engines on the example quarter give the same bytes; a broken activity in
//! a chunk fails alone with its own located error; a path of the user's cannot reach a
//! neighbour's folder through the common root; an older typst gets the single path.
//!
//! typst runs through a logging wrapper (`logged_typst`), so a test can count the bundles. The
//! tests that compile need typst (0.15 or newer for bundles), pdftotext and pdfinfo; without them
//! they are skipped with a note, except under `CI=true`.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::tools::{typst_path, PDFINFO, PDFTOTEXT};
use crate::common::{Output, Test};
use crate::pdf::{page_count, pdf_facts, tool};

const TODAY: &str = "2026-12-01";

/// typst, when it can make bundles, and the poppler tools.
fn bundling_typst() -> Option<PathBuf> {
    let typst = typst_path(&[PDFTOTEXT, PDFINFO], "the bundle tests")?;
    let version = pdb::typst::locate(Some(&typst)).expect("typst runs").version;
    if version < pdb::typst::BUNDLE_SINCE {
        assert!(std::env::var("CI").map_or(true, |v| v != "true"), "CI needs typst 0.15 for the bundle tests");
        eprintln!("note: typst {version} makes no bundles; skipping the bundle tests");
        return None;
    }
    Some(typst)
}

/// A `bin/typst` that writes each command line to `typst.log`, then runs the real typst; with
/// `version`, it says it is that typst instead.
fn logged_typst(test: Test, real: &Path, version: Option<&str>) -> Test {
    let log = test.path("typst.log");
    let answer = match version {
        Some(v) => format!("[ \"$1\" = --version ] && {{ echo \"typst {v} (fake)\"; exit 0; }}\n"),
        None => String::new(),
    };
    let script = format!("#!/bin/sh\necho \"$*\" >> '{}'\n{answer}exec '{}' \"$@\"\n", log.display(), real.display());
    let test = test.file("bin/typst", &script);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(test.path("bin/typst"), fs::Permissions::from_mode(0o755)).unwrap();
    }
    test
}

/// How many typst runs of the log made bundles, and how many compiled one file.
fn runs(out: &Output) -> (usize, usize) {
    let log = fs::read_to_string(out.path("typst.log")).unwrap_or_default();
    let compiles: Vec<&str> = log.lines().filter(|l| l.starts_with("compile")).collect();
    let bundles = compiles.iter().filter(|l| l.contains("--format bundle")).count();
    (bundles, compiles.len() - bundles)
}

fn render(test: Test, args: &[&str]) -> Output {
    test.args(&["render"]).args(args).args(&["--typst", "bin/typst", "--today", TODAY]).run()
}

/// Every PDF under a folder, by its path in it.
fn pdfs(out: &Output, folder: &str) -> Vec<String> {
    let root = out.path(folder);
    out.files(folder, "pdf").iter().map(|p| p.strip_prefix(&root).unwrap().to_string_lossy().into_owned()).collect()
}

#[test]
fn both_engines_give_the_same_pdfs_of_the_example_quarter() {
    let Some(typst) = bundling_typst() else { return };
    let args =
        |out: &'static str, engine: &'static str| ["2026Q4", "-o", out, "--split", "-j", "2", "--pdf-engine", engine];
    let single = render(logged_typst(Test::new().example(), &typst, None), &args("out", "single"));
    assert_eq!(single.status, 0, "{single}");
    assert_eq!(runs(&single).0, 0, "--pdf-engine single makes no bundle");
    let bundle = render(logged_typst(Test::new().example(), &typst, None), &args("out", "bundle"));
    assert_eq!(bundle.status, 0, "{bundle}");
    assert_eq!(single.stderr, bundle.stderr);
    // The probe, then the quarter's 10 activities on 2 threads: two chunks of 5, one typst each.
    assert_eq!(runs(&bundle).0, 3, "{}", bundle.read("typst.log"));
    let names = pdfs(&single, "out");
    assert_eq!(names, pdfs(&bundle, "out"));
    let packets: Vec<&String> = names.iter().filter(|n| n.ends_with("00-全套.pdf")).collect();
    assert_eq!(packets.len(), 8, "{names:?}");
    assert!(names.len() > 60, "--split: every document too: {names:?}");
    // Every PDF of an activity's folder came from a bundle (the applicants' and the ledgers' are
    // compiled alone): a bundle that failed would give the same files, compiled one by one.
    let of_activities = names.iter().filter(|n| n.contains('/') && !n.starts_with("发展党员/")).count();
    assert_eq!(runs(&bundle).1, runs(&single).1 - of_activities, "{}", bundle.read("typst.log"));
    for name in &names {
        let (a, b) = (single.path(&format!("out/{name}")), bundle.path(&format!("out/{name}")));
        // Pages and text first, for a readable failure; then the bytes.
        assert_eq!(page_count(&a), page_count(&b), "{name}");
        assert_eq!(pdf_facts(&a), pdf_facts(&b), "{name}");
        assert!(fs::read(&a).unwrap() == fs::read(&b).unwrap(), "{name}: the engines' PDFs differ");
    }
    // Each packet is its own: a cover and a contents page more than its documents (a packet that
    // saw its neighbours' documents would list them too).
    let dir = bundle.path("out/2026-11-25-主题党日");
    let documents: usize = fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "pdf") && !p.ends_with("00-全套.pdf"))
        .map(|p| page_count(&p))
        .sum();
    assert_eq!(page_count(&dir.join("00-全套.pdf")), documents + 2);
}

#[test]
fn bundle_pdfs_are_reproducible_pdf_a_with_the_date_of_their_activity() {
    let Some(typst) = bundling_typst() else { return };
    let first =
        render(logged_typst(Test::new().example(), &typst, None), &["2026Q4", "-o", "out", "--pdf-engine", "bundle"]);
    assert_eq!(first.status, 0, "{first}");
    let second = render(
        logged_typst(Test::new().example(), &typst, None),
        &["2026Q4", "-o", "elsewhere", "--pdf-engine", "bundle"],
    );
    assert_eq!(second.status, 0, "{second}");
    assert!(runs(&second).0 >= 2, "{}", second.read("typst.log"));
    for name in pdfs(&first, "out") {
        let a = fs::read(first.path(&format!("out/{name}"))).unwrap();
        assert!(a == fs::read(second.path(&format!("elsewhere/{name}"))).unwrap(), "{name}: two runs differ");
    }
    // The date and start of the activity (Beijing time), in UTC as pdfinfo shows it.
    for (stem, date) in
        [("2026-11-05-支部党员大会", "2026-11-05T06:30:00Z"), ("2026-11-25-主题党日", "2026-11-25T01:00:00Z")]
    {
        let pdf = first.path(&format!("out/{stem}/00-全套.pdf"));
        let info = tool("pdfinfo", &["-isodates"], &pdf);
        let created = info.lines().find_map(|l| l.strip_prefix("CreationDate:")).unwrap_or_default().trim().to_string();
        assert_eq!(created, date, "{stem}\n{info}");
        let bytes = String::from_utf8_lossy(&fs::read(&pdf).unwrap()).into_owned();
        assert!(
            bytes.contains("<pdfaid:part>2</pdfaid:part>")
                && bytes.contains("<pdfaid:conformance>B</pdfaid:conformance>")
        );
    }
}

#[test]
fn a_broken_activity_fails_alone_and_the_rest_of_its_chunk_is_rendered() {
    let Some(typst) = bundling_typst() else { return };
    let broken = |test: Test| {
        let path = test.path("2026Q4/2026-12-03-其他.toml");
        // A private-use character: no font has it, which PDF/A refuses.
        let source = fs::read_to_string(&path).unwrap().replace("局机关四楼会议室", "局机关四楼会议室\u{F0001}");
        fs::write(&path, source).unwrap();
        test
    };
    // One thread: the whole quarter is one chunk.
    let args = |engine| ["2026Q4", "-o", "out", "-j", "1", "--pdf-engine", engine];
    let bundle = render(broken(logged_typst(Test::new().example(), &typst, None)), &args("bundle"));
    let single = render(broken(logged_typst(Test::new().example(), &typst, None)), &args("single"));
    assert_eq!(bundle.status, 1, "{bundle}");
    // The same located error as compiled alone, naming the activity's own document.
    assert_eq!(bundle.stderr, single.stderr);
    assert!(
        bundle.stderr.contains("out/2026-12-03-其他/01-会议通知.typ") && bundle.stderr.contains("U+F0001"),
        "{bundle}"
    );
    assert!(!bundle.path("out/2026-12-03-其他/00-全套.pdf").exists(), "{bundle}");
    // The probe, the chunk's bundle that failed, a bundle of the 7 others; the broken one alone.
    let (bundles, singles) = runs(&bundle);
    assert_eq!(bundles, 3, "{}", bundle.read("typst.log"));
    assert_eq!(singles, runs(&single).1 - 7, "{}", bundle.read("typst.log"));
    for name in pdfs(&single, "out") {
        let a = fs::read(single.path(&format!("out/{name}"))).unwrap();
        assert!(a == fs::read(bundle.path(&format!("out/{name}"))).unwrap(), "{name}");
    }
    assert!(bundle.path("out/2026-11-05-支部党员大会/00-全套.pdf").is_file());
}

/// A neighbour's packet source, as a path from an activity's folder.
const NEIGHBOUR: &str = "../2026-11-05-支部党员大会/00-全套.typ";

#[test]
fn a_users_template_cannot_read_a_neighbours_folder() {
    let Some(typst) = bundling_typst() else { return };
    // A notice template that reads the folder beside its own: under the common root of a bundle
    // the file is there; typst must refuse it as it does with the activity's folder as the root.
    let template = format!(
        "{{% extends \"typst/base.typ\" %}}{{% block body %}}#read(\"{NEIGHBOUR}\").len(){{% endblock body %}}\n"
    );
    let test = |engine: &str| {
        let test = logged_typst(Test::new().example(), &typst, None).file("t/typst/notice.typ", &template);
        render(test, &["2026Q4", "-o", "out", "--templates", "t", "-j", "1", "--pdf-engine", engine])
    };
    let (bundle, single) = (test("bundle"), test("single"));
    assert_eq!(bundle.status, 1, "{bundle}");
    assert_eq!(bundle.stderr, single.stderr);
    assert!(bundle.stderr.contains("out/2026-11-25-主题党日/01-活动通知.typ"), "{bundle}");
    assert!(bundle.stderr.contains("would escape the project root"), "{bundle}");
    assert!(!bundle.path("out/2026-11-25-主题党日/00-全套.pdf").exists(), "{bundle}");
    // No bundle: a user's Typst template compiles alone.
    assert_eq!(runs(&bundle).0, 1, "only the probe\n{}", bundle.read("typst.log"));
}

#[test]
fn an_svg_photo_cannot_show_a_neighbours_photo() {
    let Some(typst) = bundling_typst() else { return };
    // An SVG links images by path: one pointing into the folder beside its own.
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"40\" height=\"30\">\
               <image width=\"40\" height=\"30\" xlink:href=\"../2026-10-28-党课/photo-1.jpg\"/></svg>";
    let test = |engine: &str| {
        let test = logged_typst(Test::new().example(), &typst, None).file("2026Q4/photos/link.svg", svg);
        let path = test.path("2026Q4/2026-11-25-主题党日.toml");
        let text = fs::read_to_string(&path).unwrap().replace("photos/2026-11-25-2.png", "photos/link.svg");
        fs::write(&path, text).unwrap();
        render(test, &["2026Q4", "-o", "out", "-j", "1", "--pdf-engine", engine])
    };
    let (bundle, single) = (test("bundle"), test("single"));
    assert_eq!(bundle.stderr, single.stderr);
    assert_eq!(bundle.status, single.status, "{bundle}");
    assert_eq!(bundle.status, 1, "{bundle}");
    assert!(bundle.stderr.contains("out/2026-11-25-主题党日/photo-2.svg"), "{bundle}");
    assert!(bundle.stderr.contains("would escape the project root"), "{bundle}");
    assert!(!bundle.path("out/2026-11-25-主题党日/00-全套.pdf").exists(), "{bundle}");
    // The other 7 activities went into a bundle.
    assert!(bundle.path("out/2026-10-28-党课/00-全套.pdf").is_file());
    assert_eq!(runs(&bundle).1, runs(&single).1 - 7, "{}", bundle.read("typst.log"));
}

/// The proof behind bundles: the sources of pdb's own templates name no file but the folder's
/// own documents and photos (pdb-made names), so none can reach another folder through the
/// common root. Every function of typst that reads a file, and what each is given.
#[test]
fn pdbs_typst_sources_name_only_files_of_their_own_folder() {
    let out =
        Test::new().example().args(&["render", "2026Q4", "-o", "out", "--format", "typst", "--today", TODAY]).run();
    assert_eq!(out.status, 0, "{out}");
    // The packet is written only with PDFs; its paths are its documents, checked below.
    let sources = out.files("out", "typ");
    assert!(sources.len() > 50);
    let readers = [
        "read(",
        "json(",
        "csv(",
        "yaml(",
        "toml(",
        "xml(",
        "cbor(",
        "plugin(",
        "bibliography(",
        "import ",
        "include ",
    ];
    for source in &sources {
        let text = fs::read_to_string(source).unwrap();
        let folder = source.parent().unwrap();
        for reader in readers {
            assert!(!text.contains(reader), "{}: {reader}", source.display());
        }
        for (at, _) in text.match_indices("image(") {
            assert!(text[at..].starts_with("image(p.file,"), "{}: {}", source.display(), &text[at..at + 30]);
        }
        for value in text.split("file: \"").skip(1).filter_map(|rest| rest.split('"').next()) {
            assert!(!value.contains(['/', '\\']) && folder.join(value).is_file(), "{}: {value}", source.display());
        }
    }
    // And the packet: its documents by name, with the same checks.
    let packet = pdb::typst::PACKET_STEM;
    let layout = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/typst/packet.rs")).unwrap();
    assert_eq!(layout.matches("include ").count(), 1, "the packet includes its documents only");
    assert!(layout.contains("include document.file"), "{packet}");
}

#[test]
fn an_older_typst_compiles_each_pdf_alone() {
    let Some(typst) = bundling_typst() else { return };
    let old = render(
        logged_typst(Test::new().example(), &typst, Some("0.14.2")),
        &["2026Q4/2026-11-05-支部党员大会.toml", "2026Q4/2026-10-28-党课.toml", "-o", "out", "--format", "pdf"],
    );
    assert_eq!(old.status, 0, "{old}");
    assert_eq!(runs(&old), (0, 2), "no probe, no bundle\n{}", old.read("typst.log"));
    // Before 0.15 the date comes from SOURCE_DATE_EPOCH (UTC), with the same moment.
    let info = tool("pdfinfo", &["-isodates"], &old.path("out/2026-11-05-支部党员大会/00-全套.pdf"));
    assert!(info.contains("2026-11-05T06:30:00Z"), "{info}");
    // Asked for bundles, it says why not and writes nothing.
    let asked = render(
        logged_typst(Test::new().example(), &typst, Some("0.14.2")),
        &["2026Q4", "-o", "out", "--format", "pdf", "--pdf-engine", "bundle"],
    );
    assert_eq!(asked.status, 2, "{asked}");
    assert!(asked.stderr.contains("--pdf-engine bundle") && asked.stderr.contains("0.15"), "{asked}");
    assert!(!asked.path("out").exists(), "{asked}");
}

#[test]
fn a_newer_typst_than_tested_bundles_only_when_asked() {
    let Some(typst) = bundling_typst() else { return };
    let two = [
        "2026Q4/2026-11-05-支部党员大会.toml",
        "2026Q4/2026-10-28-党课.toml",
        "-o",
        "out",
        "--format",
        "pdf",
        "-j",
        "1",
    ];
    let auto = render(logged_typst(Test::new().example(), &typst, Some("0.16.0")), &two);
    assert_eq!(auto.status, 0, "{auto}");
    assert_eq!(runs(&auto), (0, 2), "{}", auto.read("typst.log"));
    let asked = render(
        logged_typst(Test::new().example(), &typst, Some("0.16.0")),
        &[&two[..], &["--pdf-engine", "bundle"]].concat(),
    );
    assert_eq!(asked.status, 0, "{asked}");
    assert_eq!(runs(&asked), (2, 0), "the probe and one bundle\n{}", asked.read("typst.log"));
    let packet = "out/2026-11-05-支部党员大会/00-全套.pdf";
    assert!(fs::read(auto.path(packet)).unwrap() == fs::read(asked.path(packet)).unwrap());
}

/// Runs everywhere: the stand-in typst of tests/reliability says it is 0.15.1 but makes no bundle.
#[test]
fn a_typst_whose_probe_fails_compiles_each_pdf_alone() {
    let test = || {
        crate::reliability::fake_typst(
            Test::new().branch(crate::common::BRANCH).file("a.toml", &crate::reliability::committee()),
        )
    };
    let auto = test().args(&["render", "a.toml", "-o", "out", "--typst", "bin/typst", "--format", "pdf"]).run();
    assert_eq!(auto.status, 0, "{auto}");
    assert!(auto.read("out/a/00-全套.pdf").starts_with("%PDF-fake"), "{auto}");
    let asked = test()
        .args(&["render", "a.toml", "-o", "out", "--typst", "bin/typst", "--format", "pdf", "--pdf-engine", "bundle"])
        .run();
    assert_eq!(asked.status, 2, "{asked}");
    assert!(asked.stderr.contains("--pdf-engine bundle：typst 0.15.1 的合并编译（bundle）试验没有成功"), "{asked}");
    assert!(asked.stderr.contains("去掉 --pdf-engine bundle"), "{asked}");
    assert!(!asked.path("out").exists(), "{asked}");
}
