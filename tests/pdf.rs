//! PDF output through the typst CLI, checked on the printed pages: the packet of every example,
//! the facts in its text, A4, the GB/T 9704 text block of the notice, byte-identical runs, the
//! sign-in sheet, the minutes' signatures, the photos, and the errors when typst or a Chinese
//! font is missing.
//!
//! The tests that compile need typst, pdftotext and pdfinfo. Without them they are skipped with a
//! note, except under `CI=true`, where a missing tool fails the test (`.ci/run` installs them).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::common::tools::{typst_path, PDFIMAGES, PDFINFO, PDFTOTEXT};
use crate::common::{Output, Test, EXAMPLE};

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
// The notice: GB/T 9704-2012

/// Full-width punctuation that typst sets in half its width at a line end: its ink is in the
/// left half of its box, so the box may reach past the margin while the ink does not.
fn ends_with_closing_punctuation(text: &str) -> bool {
    text.ends_with(['，', '。', '、', '；', '：', '）', '”', '》', '」'])
}

#[test]
fn the_notice_text_block_sits_on_the_gbt_9704_margins() {
    let Some(tools) = tools() else { return };
    let run = render(
        Test::new().example(),
        tools,
        &["2026Q4/2026-11-05-支部党员大会.toml", "-o", "out", "--only", "notice", "--split"],
    );
    assert_eq!(run.status, 0, "{run}");
    let pdf = run.path("out/2026-11-05-支部党员大会/01-会议通知.pdf");
    let pages = layout(&pdf);
    assert!(pages.len() >= 2, "this notice runs over two pages, so page 1 is full: {}", pages.len());
    let (top, left, right, bottom) = (37.0 * MM, 28.0 * MM, (210.0 - 26.0) * MM, (297.0 - 35.0) * MM);
    let pitch = 225.0 * MM / 22.0;
    let mut failures = Vec::new();
    for (n, page) in pages.iter().enumerate() {
        let (body, foot): (Vec<&Line>, Vec<&Line>) = page.iter().partition(|l| l.y_min < bottom);
        // Left and right edges of the ink. Justified lines reach the right margin.
        let x_min = body.iter().map(|l| l.x_min).fold(f64::MAX, f64::min);
        let rights: Vec<f64> =
            body.iter().map(|l| if ends_with_closing_punctuation(&l.text) { l.x_max - 8.0 } else { l.x_max }).collect();
        let x_max = rights.iter().copied().fold(f64::MIN, f64::max);
        let y_min = body.iter().map(|l| l.y_min).fold(f64::MAX, f64::min);
        // Page 1 is full, so it has lines from margin to margin; no page goes past them.
        let (left_ok, right_ok) = if n == 0 {
            ((x_min - left).abs() <= MM, (x_max - right).abs() <= MM)
        } else {
            (x_min >= left - MM, x_max <= right + MM)
        };
        if !left_ok {
            failures.push(format!("page {}: left edge {:.2} mm, not 28 mm", n + 1, x_min / MM));
        }
        if !right_ok {
            failures.push(format!("page {}: right edge {:.2} mm, not 184 mm", n + 1, x_max / MM));
        }
        if (y_min - top).abs() > MM {
            failures.push(format!("page {}: top edge {:.2} mm, not 37 mm", n + 1, y_min / MM));
        }
        // 22 lines to the page: every line on the grid of 225 mm / 22 from the top edge.
        for line in &body {
            let steps = (line.y_min - top) / pitch;
            if (steps - steps.round()).abs() * pitch > 0.5 * MM {
                failures.push(format!(
                    "page {}: line {:?} off the 22-line grid at {:.2} mm",
                    n + 1,
                    line.text,
                    line.y_min / MM
                ));
            }
        }
        // A full page ends with its 22nd line, whose grid cell closes at the bottom margin.
        if n == 0 {
            let last = body.iter().map(|l| l.y_min).fold(f64::MIN, f64::max);
            let cell_bottom = last + pitch;
            if (cell_bottom - bottom).abs() > MM {
                failures.push(format!("page 1: text block ends at {:.2} mm, not 262 mm", cell_bottom / MM));
            }
        }
        // The page number: — 1 — in 4号 (14 pt), 7 mm under the text block, outside edge.
        match foot.as_slice() {
            [number] => {
                let expected = format!("—{}—", n + 1);
                if squeeze(&number.text) != expected {
                    failures.push(format!("page {}: page number {:?}", n + 1, number.text));
                }
                if (number.y_min - (bottom + 7.0 * MM)).abs() > MM {
                    failures.push(format!("page {}: page number at {:.2} mm, not 269 mm", n + 1, number.y_min / MM));
                }
                let outside = if n % 2 == 0 { (right - number.x_max) / MM } else { (number.x_min - left) / MM };
                if !(4.0..7.0).contains(&outside) {
                    failures.push(format!(
                        "page {}: page number {outside:.1} mm from the outside edge, not one character",
                        n + 1
                    ));
                }
            }
            other => {
                failures.push(format!("page {}: expected one page number under the text block, found {other:?}", n + 1))
            }
        }
    }
    // The signature: one blank line under the body, two characters from the right edge; the date
    // on the next line, two characters right of the signature's start.
    let last = pages.last().unwrap();
    let find = |needle: &str| {
        last.iter().find(|l| squeeze(&l.text).contains(needle)).unwrap_or_else(|| panic!("no {needle:?}: {last:?}"))
    };
    let signature = find("中共某某县卫生健康局机关第一支部委员会");
    let date = find("2026年10月29日");
    let body_above = last.iter().filter(|l| l.y_min < signature.y_min).map(|l| l.y_min).fold(f64::MIN, f64::max);
    let em = 16.0 - 0.21;
    if ((signature.y_min - body_above) - 2.0 * pitch).abs() > MM {
        failures.push(format!(
            "signature is {:.2} mm under the body, not one blank line",
            (signature.y_min - body_above) / MM
        ));
    }
    if ((right - signature.x_max) - 2.0 * em).abs() > MM {
        failures.push(format!(
            "signature ends {:.2} mm from the right edge, not two characters",
            (right - signature.x_max) / MM
        ));
    }
    if ((date.x_min - signature.x_min) - 2.0 * em).abs() > MM || ((date.y_min - signature.y_min) - pitch).abs() > MM {
        failures.push(format!(
            "date at ({:.2}, {:.2}) mm, signature at ({:.2}, {:.2}) mm",
            date.x_min / MM,
            date.y_min / MM,
            signature.x_min / MM,
            signature.y_min / MM
        ));
    }
    assert!(failures.is_empty(), "{}\n\n{pages:#?}", failures.join("\n"));
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

// ---------------------------------------------------------------------------------------------
// Sign-in sheet, minutes, photos

/// A branch of `n` members (the first is the secretary) and one party congress of all of them,
/// with one member on leave for a long reason.
fn big_branch(n: usize) -> Test {
    let surnames: Vec<char> =
        "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛".chars().collect();
    let given = ["建国", "志强", "丽华", "海燕", "晓明", "国庆", "春梅", "建军", "秀英", "文博"];
    let names: Vec<String> = (0..n)
        .map(|i| {
            format!(
                "{}{}{}",
                surnames[i % surnames.len()],
                given[(i / surnames.len() + i) % given.len()],
                if i >= surnames.len() { "乙" } else { "" }
            )
        })
        .collect();
    let mut branch = String::from("[branch]\nname = \"中共某某县卫生健康局机关第一支部委员会\"\n\n");
    for (i, name) in names.iter().enumerate() {
        branch.push_str(&format!(
            "[[members]]\nname = \"{name}\"\n{}\n",
            if i == 0 { "role = \"书记\"\ncommittee = true\n" } else { "" }
        ));
    }
    let activity = format!(
        "kind = \"支部党员大会\"\ntitle = \"关于接收李明同志为预备党员和郑丽华同志转正的支部党员大会\"\ndate = 2026-11-05\nstart = 14:30:00\n\
         end = 16:00:00\nlocation = \"局机关三楼会议室\"\nhost = \"{}\"\nrecorder = \"{}\"\n\n[attendance]\n\
         absent = [ {{ name = \"{}\", reason = \"参加县疾控中心传染病防控轮训\" }} ]\n\n[[agenda]]\ntitle = \"学习\"\nnotes = \"学习。\"\n",
        names[0], names[1], names[2]
    );
    Test::new().branch(&branch).file("a.toml", &activity)
}

/// The rows of the sign-in sheet as (page, number, top), found by the number in the first column.
fn sign_in_rows(pdf: &Path, count: usize) -> Vec<(usize, usize, f64)> {
    let mut rows: Vec<(usize, usize, f64)> = Vec::new();
    for (p, page) in layout(pdf).iter().enumerate() {
        for line in page.iter().filter(|l| l.x_min < 40.0 * MM) {
            let number = line.text.split(|c: char| !c.is_ascii_digit()).next().and_then(|n| n.parse().ok());
            if let Some(no) = number.filter(|no| (1..=count).contains(no)) {
                if !rows.iter().any(|r| r.1 == no) {
                    rows.push((p, no, line.y_min));
                }
            }
        }
    }
    rows
}

#[test]
fn the_sign_in_sheet_holds_25_on_a_page_and_continues_with_its_header() {
    let Some(tools) = tools() else { return };
    // Members, pages, and the signature cell: 12 mm to sign in, down to 7 mm so that 25 still
    // fit one page, and 12 mm again when the sheet runs over a page anyway.
    for (members, one_page, cell) in [(14, true, 12.0), (25, true, 7.0), (40, false, 12.0)] {
        let run = render(
            big_branch(members),
            tools,
            &["a.toml", "-o", "out", "--only", "sign-in", "--format", "pdf", "--split"],
        );
        assert_eq!(run.status, 0, "{run}");
        let pdf = run.path("out/a/04-签到表.pdf");
        assert_eq!(page_count(&pdf) == 1, one_page, "{members} members: {} pages", page_count(&pdf));
        let pages = layout(&pdf);
        // The header row is repeated on every page, and the counts follow the last row.
        for (p, page) in pages.iter().enumerate() {
            let cells: Vec<String> = page.iter().map(|l| squeeze(&l.text)).collect();
            for header in ["序号", "姓名", "职务/身份", "签名", "备注"] {
                assert!(
                    cells.iter().any(|c| c == header),
                    "{members}: page {} has no {header} header: {cells:?}",
                    p + 1
                );
            }
        }
        let last: String = pages.last().unwrap().iter().map(|l| squeeze(&l.text)).collect();
        assert!(last.contains(&format!("应到{members}人")), "{members}: {last}");
        let rows = sign_in_rows(&pdf, members);
        assert_eq!(rows.len(), members, "{members}: rows found {rows:?}");
        let pitches: Vec<f64> = rows.windows(2).filter(|w| w[0].0 == w[1].0).map(|w| (w[1].2 - w[0].2) / MM).collect();
        let smallest = pitches.iter().copied().fold(f64::MAX, f64::min);
        // 12 mm exactly where it fits; for 25 members whatever fits one page, but not under 7 mm.
        let ok = if cell == 12.0 { (smallest - cell).abs() < 0.3 } else { smallest >= cell - 0.2 && smallest < 12.0 };
        assert!(ok, "{members} members: rows of {smallest:.2} mm, want {cell} mm ({pitches:?})");
    }
}

#[test]
fn the_signature_lines_of_the_minutes_never_open_a_page() {
    let Some(tools) = tools() else { return };
    // The same minutes with more and more text before the end: one of them puts the end at a
    // page break, wherever the page breaks.
    let test = Test::new().example();
    let source = fs::read_to_string(test.path("2026Q4/2026-12-03-其他.toml")).unwrap();
    let folder = test.path("2026Q4");
    for extra in 0..26 {
        let filler = "会议还传达了上级有关文件精神。".repeat(extra * 2);
        let text = source.replace("张建国同志要求各股室", &format!("{filler}张建国同志要求各股室"));
        fs::write(folder.join(format!("2026-12-03-其他-{extra:02}.toml")), text).unwrap();
    }
    let run = render(test, tools, &["2026Q4", "-o", "out", "--only", "minutes", "--format", "pdf"]);
    assert_eq!(run.status, 0, "{run}");
    let mut opened = Vec::new();
    let mut pages_of_the_end = std::collections::BTreeSet::new();
    for extra in 0..26 {
        let pdf = run.path(&format!("out/2026-12-03-其他-{extra:02}/00-全套.pdf"));
        let pages = layout(&pdf);
        let (page, _) =
            pages.iter().enumerate().find(|(_, p)| p.iter().any(|l| l.text.contains("主持人（签字）"))).unwrap();
        // The body of the page: not the packet's page number at the top, not the foot.
        let body: Vec<String> = pages[page]
            .iter()
            .filter(|l| l.y_min > 20.0 * MM && l.y_max < 277.0 * MM)
            .map(|l| squeeze(&l.text))
            .collect();
        if body.first().is_some_and(|l| l.starts_with("散会")) || body.first().is_some_and(|l| l.starts_with("主持人"))
        {
            opened.push(format!("{extra}: {body:?}"));
        }
        pages_of_the_end.insert(page);
    }
    assert!(pages_of_the_end.len() > 1, "the sweep should move the end over a page break: {pages_of_the_end:?}");
    assert!(opened.is_empty(), "the closing opens a page:\n{}", opened.join("\n"));
}

#[test]
fn photos_keep_their_aspect_ratio_two_to_a_page() {
    let Some(run) = quarter() else { return };
    let pdf = run.path("out/2026-11-25-主题党日/00-全套.pdf");
    let list = tool("pdfimages", &["-list"], &pdf);
    let rows: Vec<Vec<&str>> = list.lines().skip(2).map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(rows.len(), 2, "{list}");
    // Same page for both, and the same resolution across and down: not stretched.
    assert_eq!(rows[0][0], rows[1][0], "{list}");
    for row in &rows {
        let (x_ppi, y_ppi): (f64, f64) = (row[12].parse().unwrap(), row[13].parse().unwrap());
        assert!((x_ppi - y_ppi).abs() <= 1.0, "stretched image: {list}");
    }
}

// ---------------------------------------------------------------------------------------------
// Hostile text, missing glyphs, missing fonts, missing typst

#[test]
fn hostile_text_reads_literally_in_the_packet() {
    let Some(tools) = tools() else { return };
    let hostile = r#"#read("/etc/passwd") $x^2$ *粗体* _斜体_ `代码` <b>x</b> @标签 [链接](http://a.b) ~波浪 \反斜杠 // 注释 /* 块 */ = - + 1. a\b"#;
    let toml_string = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    let test = Test::new().example();
    let path = test.path("2026Q4/2026-12-03-其他.toml");
    let source = fs::read_to_string(&path).unwrap();
    let source = source
        .replace("\"局机关四楼会议室\"", &toml_string(&format!("【地点】{hostile}")))
        .replace("\"机关第一党支部“以案促改”警示教育活动\"", &toml_string(&format!("【标题】{hostile}")))
        .replace("\"观看警示教育片\"", &toml_string(&format!("【议程】{hostile}")));
    fs::write(&path, source).unwrap();
    let run = render(test, tools, &["2026Q4/2026-12-03-其他.toml", "-o", "out", "--format", "pdf"]);
    assert_eq!(run.status, 0, "{run}");
    let text = pdf_facts(&run.path("out/2026-12-03-其他/00-全套.pdf"));
    for marker in ["标题", "地点", "议程"] {
        let wanted = squeeze(&format!("【{marker}】{hostile}"));
        assert!(text.contains(&wanted), "missing {wanted:?} in\n{text}");
    }
}

#[test]
fn a_character_no_font_has_fails_and_names_the_document() {
    let Some(tools) = tools() else { return };
    let test = Test::new().example();
    let path = test.path("2026Q4/2026-12-03-其他.toml");
    // A private-use character: no font draws it, and typst alone would print a box.
    let source = fs::read_to_string(&path).unwrap().replace("局机关四楼会议室", "局机关四楼会议室\u{F0001}");
    fs::write(&path, source).unwrap();
    let run = render(test, tools, &["2026Q4/2026-12-03-其他.toml", "-o", "out"]);
    assert_eq!(run.status, 1, "{run}");
    assert!(run.stdout.contains("失败"), "{run}");
    assert!(run.stderr.contains("没有任何字体能显示") && run.stderr.contains("U+F0001"), "{run}");
    assert!(run.stderr.contains("01-会议通知.typ") && run.stderr.contains("--font-path"), "{run}");
    // A broken PDF is not written.
    assert!(!run.path("out/2026-12-03-其他/00-全套.pdf").exists(), "{run}");
}

#[test]
fn no_chinese_font_is_a_clear_error_before_compiling() {
    let Some(tools) = tools() else { return };
    let empty = tempfile::tempdir().unwrap();
    let fonts = empty.path().to_str().unwrap();
    // Asked for PDF: it stops before writing anything, and says how to get a font.
    let run = render(
        Test::new().example(),
        tools,
        &["2026Q4", "-o", "out", "--format", "pdf", "--ignore-system-fonts", "--font-path", fonts],
    );
    assert_eq!(run.status, 2, "{run}");
    for fix in ["apt install fonts-noto-cjk", "Windows 和 macOS 自带中文字体", "--font-path"] {
        assert!(run.stderr.contains(fix), "missing {fix:?}\n{run}");
    }
    assert!(!run.path("out").exists(), "{run}");
    // By default PDF is skipped, in one line, and the rest is written.
    let run =
        render(Test::new().example(), tools, &["2026Q4", "-o", "out", "--ignore-system-fonts", "--font-path", fonts]);
    assert_eq!(run.status, 0, "{run}");
    let notes: Vec<&str> = run.stdout.lines().filter(|l| l.contains("PDF")).collect();
    assert_eq!(notes.len(), 1, "{run}");
    assert!(notes[0].contains("中文字体") && notes[0].contains("fonts-noto-cjk"), "{run}");
    assert!(run.path("out/2026-11-05-支部党员大会/01-会议通知.typ").is_file());
    assert!(run.path("out/2026-11-05-支部党员大会/01-会议通知.md").is_file());
    assert!(!run.path("out/2026-11-05-支部党员大会/00-全套.pdf").exists());
    // pdb doctor says the same.
    let doctor = Test::new()
        .args(&["doctor", "--typst", tools.typst.to_str().unwrap(), "--ignore-system-fonts", "--font-path", fonts])
        .run();
    assert_eq!(doctor.status, 1, "{doctor}");
    assert!(doctor.stdout.contains("apt install fonts-noto-cjk"), "{doctor}");
}

#[test]
fn doctor_names_typst_and_the_fonts_of_each_role() {
    let Some(tools) = tools() else { return };
    let run = Test::new().args(&["doctor", "--typst", tools.typst.to_str().unwrap()]).run();
    assert_eq!(run.status, 0, "{run}");
    assert!(run.stdout.contains(&format!("typst：{}", tools.typst.display())), "{run}");
    assert!(run.stdout.contains("支持 0.13–0.15"), "{run}");
    let version = pdb::typst::locate(Some(&tools.typst)).unwrap().version;
    let bundles = if version >= pdb::typst::BUNDLE_SINCE { "合并编译：可以" } else { "合并编译：不能" };
    assert!(run.stdout.contains(bundles), "{run}");
    for role in ["仿宋：", "宋体：", "黑体：", "楷体：", "标题："] {
        assert!(run.stdout.contains(role), "missing {role}\n{run}");
    }
    assert!(run.stdout.contains("结论：可以生成 PDF"), "{run}");
}

/// These run everywhere: they need no typst.
#[test]
fn without_typst_pdf_is_skipped_in_one_line_unless_asked_for() {
    let empty_path = tempfile::tempdir().unwrap();
    let path = empty_path.path().to_str().unwrap();
    let run = Test::new().example().args(&["render", "2026Q4", "-o", "out", "--today", TODAY]).env("PATH", path).run();
    assert_eq!(run.status, 0, "{run}");
    let notes: Vec<&str> = run.stdout.lines().filter(|l| l.contains("PDF")).collect();
    assert_eq!(notes, ["PDF 未生成：找不到 typst（安装：cargo install --locked typst-cli）"], "{run}");
    assert!(only_findings(&run.stderr), "{run}");
    assert!(run.path("out/2026-11-05-支部党员大会/01-会议通知.typ").is_file());
    assert!(!run.path("out/2026-11-05-支部党员大会/00-全套.typ").exists());

    let run = Test::new().example().args(&["render", "2026Q4", "-o", "out", "--format", "pdf"]).env("PATH", path).run();
    assert_eq!(run.status, 2, "{run}");
    assert!(run.stderr.contains("cargo install --locked typst-cli"), "{run}");
    assert!(!run.path("out").exists(), "{run}");

    // PDB_TYPST=none turns PDF off without a word; --typst names a program that must exist.
    let run = Test::new().example().args(&["render", "2026Q4", "-o", "out"]).env("PDB_TYPST", "none").run();
    assert_eq!(run.status, 0, "{run}");
    assert!(!run.stdout.contains("PDF"), "{run}");
    // A --typst that does not work is a usage error (issue 10), not a note.
    let run = Test::new().example().args(&["render", "2026Q4", "-o", "out", "--typst", "no/such/typst"]).run();
    assert_eq!(run.status, 2, "{run}");
    assert!(run.stderr.contains("--typst 指定的 typst 程序不存在：no/such/typst"), "{run}");
    assert!(!run.path("out").exists(), "{run}");
}

#[test]
fn a_pdf_changed_by_hand_is_kept() {
    let Some(tools) = tools() else { return };
    let run = render(Test::new().example(), tools, &["2026Q4/2026-12-03-其他.toml", "-o", "out", "--format", "pdf"]);
    assert_eq!(run.status, 0, "{run}");
    let pdf = run.path("out/2026-12-03-其他/00-全套.pdf");
    let mut signed = fs::read(&pdf).unwrap();
    signed.extend_from_slice(b"\n% signed\n");
    fs::write(&pdf, &signed).unwrap();
    // Unchanged inputs leave the folder alone; a change to the activity makes pdb write again.
    let activity = run.path("2026Q4/2026-12-03-其他.toml");
    let text = fs::read_to_string(&activity).unwrap();
    fs::write(&activity, format!("{text}\n# 改过\n")).unwrap();
    let again = render(run.again(), tools, &["2026Q4/2026-12-03-其他.toml", "-o", "out", "--format", "pdf"]);
    assert_eq!(again.status, 1, "{again}");
    assert!(again.stderr.contains("--force"), "{again}");
    assert_eq!(fs::read(again.path("out/2026-12-03-其他/00-全套.pdf")).unwrap(), signed);
}
