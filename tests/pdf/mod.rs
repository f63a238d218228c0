//! PDF output through the typst CLI, checked on the printed pages: the packet of every example,
//! the facts in its text, A4, the GB/T 9704 text block of the notice, byte-identical runs, the
//! sign-in sheet, the minutes' signatures, the photos, and the errors when typst or a Chinese
//! font is missing.
//!
//! The printed notice (`notice`), the sign-in sheet, minutes and photos (`pages`) and the failures
//! (`failures`) are in their own modules; this one holds the helpers and the packets.
//!
//! The tests that compile need typst, pdftotext and pdfinfo. Without them they are skipped with a
//! note, except under `CI=true`, where a missing tool fails the test (`.ci/run` installs them).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::common::tools::{typst_path, PDFIMAGES, PDFINFO, PDFTOTEXT};
use crate::common::{Output, Test, EXAMPLE};

mod failures;
mod notice;
mod pages;

/// After the last step of the example's 发展党员 records (a step dated after --today is an
/// error); the quarter's frequency findings up to that day are then on stderr, and nothing else
/// may be (see `only_findings`).
const TODAY: &str = "2026-12-01";
/// Whether stderr holds findings (发现) only: no typst warning, no error.
fn only_findings(stderr: &str) -> bool {
    stderr.split("\n\n").filter(|d| !d.trim().is_empty()).all(|d| d.starts_with("发现"))
}

/// 1 mm in PDF points.
const MM: f64 = 72.0 / 25.4;

// ---------------------------------------------------------------------------------------------
// Running pdb

/// `pdb render` with the typst found for the tests.
fn render(test: Test, tools: &Tools, args: &[&str]) -> Output {
    test.arg("render").args(args).args(&["--typst", tools.typst.to_str().unwrap()]).run()
}

// ---------------------------------------------------------------------------------------------
// The tools

struct Tools {
    typst: PathBuf,
}

/// typst, pdftotext, pdfinfo and pdfimages, or `None` (skip; a failure under `CI=true`).
fn tools() -> Option<&'static Tools> {
    static TOOLS: OnceLock<Option<Tools>> = OnceLock::new();
    TOOLS
        .get_or_init(|| typst_path(&[PDFTOTEXT, PDFINFO, PDFIMAGES], "the PDF tests").map(|typst| Tools { typst }))
        .as_ref()
}

/// The example quarter rendered once, with the default formats, for the tests that only read.
fn quarter() -> Option<&'static Output> {
    static QUARTER: OnceLock<Option<Output>> = OnceLock::new();
    QUARTER
        .get_or_init(|| {
            tools().map(|tools| render(Test::new().example(), tools, &["2026Q4", "-o", "out", "--today", TODAY]))
        })
        .as_ref()
}

/// The activities of the example quarter, by file stem.
fn activities() -> Vec<String> {
    let mut stems: Vec<String> = fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(EXAMPLE))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml") && p.file_name().unwrap() != "branch.toml")
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    stems.sort();
    stems
}

/// A poppler tool's output for `pdf` (pdftotext writes to stdout when told `-`).
pub(crate) fn tool(program: &str, args: &[&str], pdf: &Path) -> String {
    let mut command = Command::new(program);
    command.args(args).arg(pdf);
    if program == "pdftotext" {
        command.arg("-");
    }
    let output = command.output().expect("poppler runs");
    assert!(output.status.success(), "{program} failed on {}", pdf.display());
    String::from_utf8(output.stdout).expect("poppler writes UTF-8")
}

/// The text of a PDF with all whitespace removed (Chinese lines break anywhere), and without the
/// page numbers (— 1 — at the foot, the packet's 3 at the top), which can land inside a text
/// that runs over a page break.
pub(crate) fn pdf_facts(pdf: &Path) -> String {
    let text = tool("pdftotext", &["-raw"], pdf);
    text.lines()
        .map(str::trim)
        .filter(|l| {
            let inner = l.trim_matches(|c: char| c == '—' || c.is_whitespace());
            let page_number = !inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit());
            !page_number
        })
        .flat_map(|l| l.chars().filter(|c| !c.is_whitespace()))
        .collect()
}

fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

pub(crate) fn page_count(pdf: &Path) -> usize {
    let info = tool("pdfinfo", &[], pdf);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo prints Pages")
}

/// The text lines of each page, from `pdftotext -bbox-layout`, in points.
#[derive(Debug, Clone)]
struct Line {
    x_min: f64,
    y_min: f64,
    x_max: f64,
    y_max: f64,
    text: String,
}

fn layout(pdf: &Path) -> Vec<Vec<Line>> {
    let xml = tool("pdftotext", &["-bbox-layout"], pdf);
    let attr = |tag: &str, name: &str| -> f64 {
        let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[start..].split('"').next().unwrap().parse().unwrap()
    };
    let mut pages: Vec<Vec<Line>> = Vec::new();
    let mut current: Option<Line> = None;
    for raw in xml.lines().map(str::trim) {
        if raw.starts_with("<page ") {
            pages.push(Vec::new());
        } else if raw.starts_with("<line ") {
            current = Some(Line {
                x_min: attr(raw, "xMin"),
                y_min: attr(raw, "yMin"),
                x_max: attr(raw, "xMax"),
                y_max: attr(raw, "yMax"),
                text: String::new(),
            });
        } else if raw.starts_with("<word ") {
            let word = raw.split_once('>').unwrap().1.trim_end_matches("</word>");
            current.as_mut().unwrap().text.push_str(&unescape(word));
        } else if raw.starts_with("</line>") {
            pages.last_mut().unwrap().push(current.take().unwrap());
        }
    }
    pages
}

fn unescape(xml: &str) -> String {
    xml.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

// ---------------------------------------------------------------------------------------------
// The packets of the example quarter

#[test]
fn every_example_compiles_to_a_packet_without_warnings() {
    let Some(run) = quarter() else { return };
    assert_eq!(run.status, 0, "{run}");
    // Not one typst warning: no unknown font family, nothing but the findings of TODAY.
    assert!(only_findings(&run.stderr), "{run}");
    for stem in activities() {
        let dir = run.path(&format!("out/{stem}"));
        for name in ["00-全套.pdf", "00-全套.typ"] {
            assert!(dir.join(name).is_file(), "{stem}/{name} is missing\n{run}");
        }
        // One PDF per activity unless --split.
        let pdfs: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.path().extension().is_some_and(|x| x == "pdf"))
            .collect();
        assert_eq!(pdfs.len(), 1, "{stem}: {pdfs:?}");
    }
}

#[test]
fn packets_are_a4_and_pdf_a() {
    let Some(run) = quarter() else { return };
    for stem in activities() {
        let pdf = run.path(&format!("out/{stem}/00-全套.pdf"));
        let pages = page_count(&pdf);
        let info = tool("pdfinfo", &["-f", "1", "-l", &pages.to_string()], &pdf);
        let sizes: Vec<&str> = info.lines().filter(|l| l.starts_with("Page") && l.contains("size:")).collect();
        assert_eq!(sizes.len(), pages, "{stem}: {info}");
        for size in sizes {
            assert!(size.contains("595.276 x 841.89 pts (A4)"), "{stem}: {size}");
        }
        // PDF/A-2b by default: the XMP metadata says so.
        let bytes = fs::read(&pdf).unwrap();
        let xmp = String::from_utf8_lossy(&bytes);
        assert!(xmp.contains("pdfaid:part") && xmp.contains("pdfaid:conformance"), "{stem}: no PDF/A metadata");
    }
}

#[test]
fn packets_contain_the_facts() {
    let Some(run) = quarter() else { return };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(EXAMPLE);
    let inputs: Vec<PathBuf> = activities().iter().map(|s| root.join(format!("{s}.toml"))).collect();
    let branches = pdb::load::BranchCache::default();
    let records: Vec<pdb::record::Record> = inputs
        .iter()
        .map(|input| {
            let activity = pdb::load::load_activity(input, &branches).expect("the example loads");
            pdb::record::Record::build(activity).expect("the example checks")
        })
        .collect();
    let mut failures = Vec::new();
    for record in &records {
        let stem = record.path().file_stem().unwrap().to_string_lossy().into_owned();
        let documents = pdb::render::documents_for(record, None);
        let packet =
            pdb::render::Packet::new(record, &pdb::render::photo_names(record), &documents, Default::default());
        let text = pdf_facts(&run.path(&format!("out/{stem}/00-全套.pdf")));
        let mut facts: Vec<String> = vec![
            // The cover and the contents.
            packet.branch.name.clone(),
            packet.act.title.clone(),
            packet.act.date_plain.clone(),
            "目录".into(),
            // The counts.
            format!("应到{}人", packet.people.counts.expected),
            format!("实到{}人", packet.people.counts.present),
        ];
        facts.extend(documents.iter().map(|d| d.title(record.kind()).to_string()));
        // Every expected member (the sign-in sheet lists them all) and every guest.
        facts.extend(packet.people.expected.iter().map(|p| p.name.clone()));
        facts.extend(packet.people.guests.iter().map(|g| g.name.clone()));
        facts.extend(packet.people.on_leave.iter().map(|l| l.reason.clone()));
        // Every decision with its vote.
        for d in &packet.decisions {
            facts.push(d.text.clone());
            if let (Some(tally), Some(result)) = (&d.tally, &d.result) {
                facts.push(format!("{}：{tally}，{result}。", d.votes_label));
            }
        }
        for fact in facts {
            if !text.contains(&squeeze(&fact)) {
                failures.push(format!("{stem}: missing {fact:?}"));
            }
        }
        // Dates never split from 年月日, nothing spaced out between Chinese characters.
        let raw = tool("pdftotext", &["-raw"], &run.path(&format!("out/{stem}/00-全套.pdf")));
        for bad in [" 年", " 月", " 日", "年 ", "月 "] {
            if let Some(at) = raw.find(bad) {
                failures.push(format!(
                    "{stem}: stray space {bad:?} in {:?}",
                    &raw[at.saturating_sub(12)..(at + 12).min(raw.len())]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_contents_page_gives_the_page_of_every_document() {
    let Some(run) = quarter() else { return };
    let pdf = run.path("out/2026-11-05-支部党员大会/00-全套.pdf");
    let pages = layout(&pdf);
    // The table's cells in reading order: 序号, 材料名称, 页号.
    let contents: Vec<String> = pages[1].iter().map(|l| squeeze(&l.text)).collect();
    assert!(contents.iter().any(|l| l == "目") && contents.iter().any(|l| l == "录"), "{contents:?}");
    // Each document starts on the page the contents names, counting from the first document;
    // the packet's page number sits in the top right corner of every page after the contents.
    let expected = [
        ("会议通知", "1—2"),
        ("会议议程", "3"),
        ("主持词", "4—6"),
        ("签到表", "7"),
        ("会议记录", "8—11"),
        ("会议纪要", "12"),
    ];
    for (title, range) in expected {
        let at = contents.iter().position(|l| l == title).unwrap_or_else(|| panic!("no {title}: {contents:?}"));
        assert_eq!(contents.get(at + 1).map(String::as_str), Some(range), "{title}: {contents:?}");
    }
    // And the pages really are there: the document's title on its first page.
    for (title, range) in expected {
        let first: usize = range.split('—').next().unwrap().parse().unwrap();
        let page: String = pages[first + 1].iter().map(|l| squeeze(&l.text)).collect();
        assert!(page.contains(title) || page.contains("通知"), "page {first} does not start {title}: {page}");
    }
    for (i, page) in pages.iter().enumerate().skip(2) {
        let number = (i - 1).to_string();
        let top = page.iter().min_by(|a, b| a.y_min.total_cmp(&b.y_min)).unwrap();
        assert_eq!(top.text, number, "page {} should carry the packet's number {number}", i + 1);
        assert!(top.x_max > 595.0 - 3.5 * 72.0 / 2.54, "the packet's page number belongs in the top right corner");
    }
}

#[test]
fn two_runs_give_byte_identical_pdfs() {
    let (Some(tools), Some(first)) = (tools(), quarter()) else { return };
    // Another folder, another time: the same bytes.
    let second = render(Test::new().example(), tools, &["2026Q4", "-o", "elsewhere"]);
    assert_eq!(second.status, 0, "{second}");
    for stem in activities() {
        let a = fs::read(first.path(&format!("out/{stem}/00-全套.pdf"))).unwrap();
        let b = fs::read(second.path(&format!("elsewhere/{stem}/00-全套.pdf"))).unwrap();
        assert!(a == b, "{stem}: the two runs differ");
    }
}

// ---------------------------------------------------------------------------------------------
// --split

#[test]
fn split_also_writes_one_pdf_per_document() {
    let Some(tools) = tools() else { return };
    let run = render(
        Test::new().example(),
        tools,
        &["2026Q4/2026-11-25-主题党日.toml", "-o", "out", "--format", "pdf", "--split"],
    );
    assert_eq!(run.status, 0, "{run}");
    let dir = run.path("out/2026-11-25-主题党日");
    let mut pdfs: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".pdf"))
        .collect();
    pdfs.sort();
    assert_eq!(
        pdfs,
        [
            "00-全套.pdf",
            "01-活动通知.pdf",
            "02-会议议程.pdf",
            "03-主持词.pdf",
            "04-签到表.pdf",
            "05-会议记录.pdf",
            "06-影像资料.pdf",
            "07-活动总结.pdf"
        ]
    );
    // The packet is the documents after a cover and a contents page.
    let documents: usize = pdfs[1..].iter().map(|n| page_count(&dir.join(n))).sum();
    assert_eq!(page_count(&dir.join("00-全套.pdf")), documents + 2);
    // --format pdf alone still leaves the sources beside the PDFs, and no Markdown.
    assert!(dir.join("01-活动通知.typ").is_file());
    assert!(!dir.join("01-活动通知.md").exists());
}
