//! Word for the branch's records and the 发展党员 documents: the register 党员参加组织生活情况, the
//! 发展党员工作台账, each applicant's 纪实表 and 公示. python-docx reads back every table row and
//! paragraph, which must say what the Markdown of the same run says, cell for cell; the package's
//! structure (landscape, repeated header rows, rows kept whole, column grids, East Asian fonts,
//! the 公示's GB/T 9704 page); identical bytes on a second run; LibreOffice prints the facts.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

use crate::common::tools::{have, Tool, PDFTOTEXT};
use crate::common::{Output, Test};

const PYTHON_DOCX: Tool = Tool("python3", "-cimport docx");
const SOFFICE: Tool = Tool("soffice", "--version");

const REGISTER: &str = "out/党员参加组织生活情况";
const LEDGER: &str = "out/发展党员工作台账";
const RECORD: &str = "out/发展党员/李明/01-发展党员全程纪实表";
const PUBLICITY: &str = "out/发展党员/郑丽华/04-拟转正公示";
const ADMISSION: &str = "out/发展党员/李明/03-拟接收预备党员公示";

fn quarter() -> Output {
    let out = Test::new()
        .example()
        .args(&["render", "2026Q4", "--format", "docx,markdown", "-o", "out", "--period", "2026Q4"])
        .run();
    out.assert_status(0);
    out
}

/// Body paragraphs and tables (rows of cells, a cell's paragraphs joined by a line feed), as
/// python-docx reads them; a merged cell is one cell.
const READ: &str = r#"
import json, sys, docx
from docx.text.paragraph import Paragraph
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
out = {}
for path in sys.argv[1:]:
    d = docx.Document(path)
    body = d.element.body
    tables = []
    for tbl in body.iterchildren(W + "tbl"):
        tables.append([["\n".join(Paragraph(p, d).text for p in tc.iterchildren(W + "p")) for tc in tr.iterchildren(W + "tc")] for tr in tbl.iterchildren(W + "tr")])
    out[path] = {"paragraphs": [Paragraph(p, d).text for p in body.iterchildren(W + "p")], "tables": tables}
print(json.dumps(out, ensure_ascii=False))
"#;

#[derive(Debug, Deserialize)]
struct Docx {
    paragraphs: Vec<String>,
    tables: Vec<Vec<Vec<String>>>,
}

/// Each .docx (by its name without extension, relative to the run) as python-docx reads it;
/// `None` when python-docx is missing.
fn read(out: &Output, stems: &[&str]) -> Option<BTreeMap<String, Docx>> {
    if !have(&[PYTHON_DOCX], "the python-docx part (pip install python-docx)") {
        return None;
    }
    let files: Vec<PathBuf> = stems.iter().map(|s| out.path(&format!("{s}.docx"))).collect();
    let output = Command::new("python3").arg("-c").arg(READ).args(&files).output().unwrap();
    assert!(output.status.success(), "python-docx cannot open them: {}", String::from_utf8_lossy(&output.stderr));
    let parsed: BTreeMap<String, Docx> = serde_json::from_slice(&output.stdout).unwrap();
    let root = out.path("");
    Some(
        parsed
            .into_iter()
            .map(|(path, read)| {
                let relative = Path::new(&path).strip_prefix(&root).unwrap().with_extension("");
                (relative.to_string_lossy().into_owned(), read)
            })
            .collect(),
    )
}

/// The body rows of the Markdown's tables (no header, no separator), cells trimmed.
fn markdown_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut in_table = false;
    for line in text.lines() {
        if !line.starts_with('|') {
            in_table = false;
            continue;
        }
        let cells: Vec<String> =
            line.trim_matches('|').split(" | ").map(|c| c.trim().trim_matches('|').trim().to_string()).collect();
        if !in_table {
            in_table = true; // the header row
        } else if !cells.iter().all(|c| c.chars().all(|ch| matches!(ch, ':' | '-'))) {
            rows.push(cells);
        }
    }
    rows
}

/// Rows of every table after each one's header row, leaving out a table's one-cell rows.
fn body_rows(read: &Docx, from_table: usize) -> Vec<Vec<String>> {
    read.tables[from_table..].iter().flat_map(|t| t[1..].iter().filter(|r| r.len() > 1).cloned()).collect()
}

#[test]
fn the_register_says_what_its_markdown_says_cell_for_cell() {
    let out = quarter();
    let Some(read) = read(&out, &[REGISTER]) else { return };
    let register = &read[REGISTER];
    let markdown = out.read(&format!("{REGISTER}.md"));
    assert_eq!(body_rows(register, 0), markdown_rows(&markdown));
    // The facts themselves: a member's marks and totals, the one excluded from 应到.
    let rows = body_rows(register, 0);
    let row = |name: &str| rows.iter().find(|r| r[1] == name).unwrap_or_else(|| panic!("{name} in {rows:?}"));
    assert_eq!(
        row("赵强"),
        &[
            "5",
            "赵强",
            "出席",
            "出席",
            "出席",
            "请假（出差）",
            "出席",
            "出席",
            "出席",
            "出席",
            "8",
            "7",
            "1",
            "0",
            "0",
            "87.5%",
            ""
        ]
    );
    assert_eq!(row("陈静")[9..], ["请假（参加县委宣传部新闻宣传培训）", "7", "6", "1", "0", "0", "85.7%", ""]);
    assert_eq!(row("黄志刚")[10..], ["0", "0", "0", "0", "0", "—", "不计入应到：长期病休"]);
    assert_eq!(rows.len(), 15);
    // The header: each activity's date and kind, then the totals.
    let header = &register.tables[0][0];
    assert_eq!(header[..4], ["序号", "姓名", "10月9日\n支委会", "10月20日\n党小组会\n第一党小组"]);
    assert_eq!(header[header.len() - 7..], ["应参加", "出席", "请假", "缺席", "未记录", "出席率", "备注"]);
    // Title, notes and findings: the Markdown's paragraphs.
    let paragraphs: Vec<&str> = register.paragraphs.iter().map(String::as_str).filter(|p| !p.is_empty()).collect();
    assert_eq!(paragraphs[..2], ["中共某某县卫生健康局机关第一支部委员会", "2026年第四季度党员参加组织生活情况"]);
    let notes = markdown.lines().find(|l| l.starts_with("共15名党员、8次已召开的活动")).expect("the notes");
    assert_eq!(paragraphs[2], notes);
    assert_eq!(
        paragraphs[3..],
        ["需要关注的情况", "按本期已过完的月份的记录，没有连续三个月以上未参加组织生活的党员。"]
    );
}

#[test]
fn the_applicants_ledger_says_what_its_markdown_says() {
    let out = quarter();
    let Some(read) = read(&out, &[LEDGER]) else { return };
    let ledger = &read[LEDGER];
    // The overdue steps are a line of their own in Word, in brackets in Markdown.
    let rows: Vec<Vec<String>> = body_rows(ledger, 0)
        .into_iter()
        .map(|r| r.into_iter().map(|c| c.replace("\n逾期：", "（逾期：").replace('\n', "")).collect())
        .collect();
    let markdown = out.read(&format!("{LEDGER}.md"));
    let mut expected = markdown_rows(&markdown);
    for row in &mut expected {
        if row[8].contains("（逾期：") && !row[8].ends_with('）') {
            row[8].push('）');
        }
    }
    assert_eq!(rows, expected);
    assert_eq!(
        rows[0][..8],
        [
            "1",
            "李明",
            "预备党员",
            "2024年3月11日",
            "2025年4月14日",
            "2026年5月11日",
            "2026年11月5日",
            "2026年11月5日至2027年11月4日"
        ]
    );
    assert_eq!(rows[3][..7], ["4", "陈晨", "入党积极分子", "2025年11月3日", "2026年6月15日", "—", "—"]);
    assert_eq!(
        ledger.tables[0][0],
        [
            "序号",
            "姓名",
            "当前阶段",
            "递交申请",
            "确定积极分子",
            "确定发展对象",
            "接收预备党员",
            "预备期",
            "下一步",
            "应完成日期"
        ]
    );
    let title = "中共某某县卫生健康局机关第一支部委员会发展党员工作台账";
    assert_eq!(ledger.paragraphs[0], title);
    assert!(markdown.starts_with(&format!("# {title}\n")), "{markdown}");
    let note = ledger.paragraphs.last().unwrap();
    assert!(note.starts_with("共4名发展党员对象。状态按") && markdown.contains(note.as_str()), "{note}");
}

#[test]
fn the_record_has_the_facts_and_the_blanks_of_its_markdown() {
    let out = quarter();
    let Some(read) = read(&out, &[RECORD]) else { return };
    let record = &read[RECORD];
    let markdown = out.read(&format!("{RECORD}.md"));
    let header = &record.tables[0];
    assert_eq!(header[0], ["姓\u{3000}名", "李明", "性\u{3000}别", "男", "出生日期", "1996年8月15日"]);
    assert_eq!(header[1], ["工作单位", "局办公室", "当前阶段", "预备党员"]);
    assert_eq!(header[2], ["所在支部", "中共某某县卫生健康局机关第一支部委员会"]);
    assert_eq!(header[3], ["预备期", "2026年11月5日至2027年11月4日"]);
    for fact in
        ["- 姓名：李明", "- 出生日期：1996年8月15日", "- 当前阶段：预备党员", "- 预备期：2026年11月5日至2027年11月4日"]
    {
        assert!(markdown.contains(fact), "{fact} not in {markdown}");
    }
    // Every step: number, name, date, people, document as in Markdown; the state as its words.
    let steps = &record.tables[1];
    assert_eq!(steps[0], ["序号", "步骤", "时间", "相关人员", "形成材料", "状态"]);
    let stages: Vec<&str> = steps.iter().filter(|r| r.len() == 1).map(|r| r[0].as_str()).collect();
    assert_eq!(
        stages,
        [
            "一、申请入党",
            "二、入党积极分子的确定和培养教育",
            "三、发展对象的确定和考察",
            "四、预备党员的接收",
            "五、预备党员的教育考察和转正"
        ]
    );
    let word: Vec<Vec<String>> = body_rows(record, 1);
    let expected = markdown_rows(&markdown);
    assert_eq!(word.len(), expected.len());
    for (w, m) in word.iter().zip(&expected) {
        assert_eq!(w[..5], m[..5]);
        let state = match w[5].split_once('\n') {
            Some(("逾期", due)) => format!("逾期（{due}）"),
            Some((state, due)) => format!("{state}（{due}）"),
            None => w[5].clone(),
        };
        assert_eq!(state, m[5], "{w:?}");
    }
    // A fact the record lacks is a blank in Word too.
    let filing = word.iter().find(|r| r[1] == "报上级党委备案").expect("the step");
    assert_eq!(filing[2..4], ["2025年4月21日", "＿＿＿＿"]);
    let footer = record.paragraphs.last().unwrap();
    assert!(
        footer.starts_with("下一步：上级党委审批（2027年2月5日前）。") && markdown.contains(footer.as_str()),
        "{footer}"
    );
}

#[test]
fn a_publicity_says_word_for_word_what_its_markdown_says() {
    let out = quarter();
    let Some(read) = read(&out, &[PUBLICITY, ADMISSION]) else { return };
    for stem in [PUBLICITY, ADMISSION] {
        let word: Vec<&str> = read[stem].paragraphs.iter().map(String::as_str).filter(|p| !p.is_empty()).collect();
        let markdown = out.read(&format!("{stem}.md"));
        let expected: Vec<&str> =
            markdown.lines().map(|l| l.trim_start_matches("# ")).filter(|l| !l.is_empty()).collect();
        assert_eq!(word, expected, "{stem}");
        assert!(read[stem].tables.is_empty());
    }
    let word = &read[PUBLICITY].paragraphs;
    assert_eq!(word[0], "拟转正公示");
    assert!(word.iter().any(|p| p == "公示时间：2026年9月28日至2026年10月9日（5个工作日）。"), "{word:?}");
    assert_eq!(word[word.len() - 2..], ["中共某某县卫生健康局机关第一支部委员会", "2026年9月28日"]);
}

/// One part of a .docx, as text.
fn part(docx: &Path, part: &str) -> String {
    let bytes = std::fs::read(docx).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    zip.by_name(part).unwrap_or_else(|_| panic!("{} has no {part}", docx.display())).read_to_string(&mut text).unwrap();
    text
}

/// The number after `attr="` in `xml`, first occurrence after `from`.
fn number(xml: &str, from: &str, attr: &str) -> u32 {
    let rest = &xml[xml.find(from).unwrap_or_else(|| panic!("no {from}"))..];
    let at = rest.find(&format!("{attr}=\"")).unwrap() + attr.len() + 2;
    rest[at..].split('"').next().unwrap().parse().unwrap()
}

/// Every table: the header row repeats, every row is kept whole, the grid has a column for each
/// cell of a row (spans counted) and fits the text block; every run of text names its East Asian font.
fn assert_tables_and_fonts(name: &str, xml: &str) {
    let width = number(xml, "<w:pgSz", "w:w") - number(xml, "<w:pgMar", "w:left") - number(xml, "<w:pgMar", "w:right");
    for table in xml.split("<w:tbl>").skip(1) {
        let table = table.split("</w:tbl>").next().unwrap();
        let grid: Vec<u32> =
            table.split("<w:gridCol w:w=\"").skip(1).map(|c| c.split('"').next().unwrap().parse().unwrap()).collect();
        assert!(grid.iter().sum::<u32>() <= width, "{name}: {grid:?} wider than {width}");
        let rows: Vec<&str> = table.split("<w:tr>").skip(1).collect();
        assert!(rows[0].contains("<w:tblHeader/>") || rows.len() <= 4, "{name}: no repeated header");
        for row in &rows {
            assert!(row.contains("<w:cantSplit/>"), "{name}: a row may split");
            let spans: usize = row
                .split("<w:tc>")
                .skip(1)
                .map(|c| {
                    c.split("<w:gridSpan w:val=\"").nth(1).map_or(1, |s| s.split('"').next().unwrap().parse().unwrap())
                })
                .sum();
            assert_eq!(spans, grid.len(), "{name}: a row of {spans} columns in a grid of {}", grid.len());
        }
    }
    for run in xml.split("<w:r>").skip(1).filter(|r| r.contains("<w:t ")) {
        assert!(run.contains("w:eastAsia=\""), "{name}: a run without an East Asian font: {run}");
    }
}

#[test]
fn landscape_registers_portrait_records_and_gbt_9704_publicity() {
    let out = quarter();
    for stem in [REGISTER, LEDGER, RECORD, PUBLICITY] {
        let xml = part(&out.path(&format!("{stem}.docx")), "word/document.xml");
        assert_tables_and_fonts(stem, &xml);
        let (w, h) = (number(&xml, "<w:pgSz", "w:w"), number(&xml, "<w:pgSz", "w:h"));
        if stem == REGISTER || stem == LEDGER {
            assert_eq!((w, h), (16838, 11906), "{stem}: A4 landscape");
            assert!(xml.contains("w:orient=\"landscape\""), "{stem}");
        } else {
            assert_eq!((w, h), (11906, 16838), "{stem}: A4 portrait");
        }
    }
    // The register's activity columns share the room the totals leave, equally.
    let register = part(&out.path(&format!("{REGISTER}.docx")), "word/document.xml");
    let grid: Vec<&str> = register.split("<w:gridCol w:w=\"").skip(1).map(|c| c.split('"').next().unwrap()).collect();
    assert_eq!(grid.len(), 2 + 8 + 7);
    assert!(grid[2..10].iter().all(|w| *w == grid[2]), "{grid:?}");
    // The 公示 as the notice: GB/T 9704's margins and 22 × 28 grid, page numbers on the outside.
    let publicity = part(&out.path(&format!("{PUBLICITY}.docx")), "word/document.xml");
    assert!(publicity.contains(r#"<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587""#), "{publicity}");
    assert!(publicity.contains(r#"<w:docGrid w:type="linesAndChars" w:linePitch="579""#), "{publicity}");
    assert!(publicity.contains(r#"w:type="even""#), "{publicity}");
    // The date two characters right of the signature's start (a 19-character name, a 7-character date).
    assert!(publicity.contains(r#"<w:ind w:rightChars="1200""#), "{publicity}");
    let record = part(&out.path(&format!("{RECORD}.docx")), "word/document.xml");
    assert!(record.contains("<w:pgMar w:top=\"1440\" w:right=\"1797\""), "{record}");
}

#[test]
fn a_second_run_writes_the_same_bytes_dated_by_the_facts() {
    let first = quarter();
    let second = quarter();
    for stem in [REGISTER, LEDGER, RECORD, PUBLICITY, ADMISSION] {
        let name = format!("{stem}.docx");
        assert_eq!(std::fs::read(first.path(&name)).unwrap(), std::fs::read(second.path(&name)).unwrap(), "{name}");
    }
    // The register is dated by its last activity (12月22日, China time), the record by its last step.
    let core = part(&first.path(&format!("{REGISTER}.docx")), "docProps/core.xml");
    assert!(core.contains(">2026-12-21T16:00:00Z</dcterms:created>"), "{core}");
    assert!(
        core.contains("<dc:title>中共某某县卫生健康局机关第一支部委员会2026年第四季度党员参加组织生活情况</dc:title>"),
        "{core}"
    );
    let core = part(&first.path(&format!("{PUBLICITY}.docx")), "docProps/core.xml");
    assert!(core.contains("<dc:title>郑丽华同志拟转正公示</dc:title>"), "{core}");
}

/// LibreOffice prints what Word shows.
#[test]
fn libreoffice_prints_the_records() {
    if !have(&[SOFFICE, PDFTOTEXT], "the LibreOffice test (apt install libreoffice-writer-nogui poppler-utils)") {
        return;
    }
    let out = quarter();
    let pdf = out.path("pdf");
    std::fs::create_dir_all(&pdf).unwrap();
    let stems = [REGISTER, LEDGER, RECORD, PUBLICITY];
    // Each into its own folder: two of them share no name, but the applicants' do.
    let mut texts = BTreeMap::new();
    for (i, stem) in stems.iter().enumerate() {
        let dir = pdf.join(i.to_string());
        let converted = Command::new("soffice")
            .args(["--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
            .arg(&dir)
            .arg(out.path(&format!("{stem}.docx")))
            .env("HOME", out.path(""))
            .output()
            .unwrap();
        assert!(converted.status.success(), "{}", String::from_utf8_lossy(&converted.stderr));
        let file = Path::new(stem).file_name().unwrap().to_string_lossy().into_owned();
        let output =
            Command::new("pdftotext").arg("-raw").arg(dir.join(format!("{file}.pdf"))).arg("-").output().unwrap();
        assert!(output.status.success(), "LibreOffice made no PDF of {stem}");
        let text: String = String::from_utf8(output.stdout).unwrap().chars().filter(|c| !c.is_whitespace()).collect();
        texts.insert(*stem, text);
    }
    let facts: &[(&str, &[&str])] = &[
        (
            REGISTER,
            &["党员参加组织生活情况", "赵强", "请假（出差）", "87.5%", "不计入应到：长期病休", "需要关注的情况"],
        ),
        (LEDGER, &["发展党员工作台账", "李明", "2026年11月5日至2027年11月4日", "培养教育考察"]),
        (
            RECORD,
            &["发展党员全程纪实表", "1996年8月15日", "报上级党委备案", "＿＿＿＿", "五、预备党员的教育考察和转正"],
        ),
        (
            PUBLICITY,
            &["拟转正公示", "公示时间：2026年9月28日至2026年10月9日（5个工作日）。", "联系人：刘洋", "2026年9月28日"],
        ),
    ];
    for (stem, wanted) in facts {
        let text = &texts[stem];
        for fact in *wanted {
            assert!(text.contains(fact), "{stem}: {fact} not in {text}");
        }
    }
}

/// XML and template syntax in a record's text reads literally in the 纪实表 and the 公示.
#[test]
fn hostile_text_in_an_applicant_record_survives_in_word() {
    const HOSTILE: &str = r#"<w:t>&amp; "q" </w:p>]]><!-- x --> {{ tera }} {% if %} #read("/etc")"#;
    let test = Test::new().example();
    let file = test.path("2026Q4/发展党员/王雪.toml");
    let text =
        std::fs::read_to_string(&file).unwrap().replace("unit       = \"医政医管科\"", &format!("unit = '{HOSTILE}'"));
    std::fs::write(&file, text).unwrap();
    let out = test.args(&["render", "2026Q4/发展党员/王雪.toml", "--format", "docx", "-o", "out"]).run();
    out.assert_status(0);
    let (record, publicity) = ("out/王雪/01-发展党员全程纪实表", "out/王雪/02-发展对象公示");
    let Some(read) = read(&out, &[record, publicity]) else { return };
    assert_eq!(read[record].tables[0][1][..2], ["工作单位".to_string(), HOSTILE.to_string()]);
    let facts = &read[publicity].paragraphs;
    assert!(facts.iter().any(|p| p.starts_with(&format!("王雪，女，1999年11月2日出生，{HOSTILE}，"))), "{facts:?}");
}
