//! The register 党员参加组织生活情况 as printed: the example quarter's PDF read back with pdftotext
//! (names, one activity's marks, the totals), A4 landscape by pdfinfo, and a 16-activity quarter
//! whose columns run over two page parts, each with the header row again.
//!
//! Needs typst, pdftotext and pdfinfo: skipped without them, except under `CI=true`.

use std::path::Path;
use std::process::Command;

use crate::common::tools::{typst_path, PDFINFO, PDFTOTEXT};
use crate::common::{header, Output, Test, BRANCH, ROSTER};

const REGISTER: &str = "out/党员参加组织生活情况.pdf";

/// One word of a page, in points from the top left.
#[derive(Debug, Clone)]
struct Word {
    x_min: f64,
    y_min: f64,
    x_max: f64,
    y_max: f64,
    text: String,
}

impl Word {
    fn x(&self) -> f64 {
        (self.x_min + self.x_max) / 2.0
    }
    fn y(&self) -> f64 {
        (self.y_min + self.y_max) / 2.0
    }
}

/// The words of each page, from `pdftotext -bbox`.
fn words(pdf: &Path) -> Vec<Vec<Word>> {
    let output = Command::new("pdftotext").arg("-bbox").arg(pdf).arg("-").output().expect("pdftotext runs");
    assert!(output.status.success(), "pdftotext failed on {}", pdf.display());
    let xml = String::from_utf8(output.stdout).expect("UTF-8");
    let attr = |tag: &str, name: &str| -> f64 {
        let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[start..].split('"').next().unwrap().parse().unwrap()
    };
    let mut pages: Vec<Vec<Word>> = Vec::new();
    for raw in xml.lines().map(str::trim) {
        if raw.starts_with("<page ") {
            pages.push(Vec::new());
        } else if raw.starts_with("<word ") {
            let (tag, rest) = raw.split_once('>').unwrap();
            let text = rest.trim_end_matches("</word>").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
            let word = Word {
                x_min: attr(tag, "xMin"),
                y_min: attr(tag, "yMin"),
                x_max: attr(tag, "xMax"),
                y_max: attr(tag, "yMax"),
                text,
            };
            pages.last_mut().unwrap().push(word);
        }
    }
    pages
}

/// Every page's size in points, from `pdfinfo`.
fn page_sizes(pdf: &Path) -> Vec<(f64, f64)> {
    let info = |args: &[&str]| {
        let output = Command::new("pdfinfo").args(args).arg(pdf).output().expect("pdfinfo runs");
        String::from_utf8(output.stdout).expect("UTF-8")
    };
    let pages: usize =
        info(&[]).lines().find_map(|l| l.strip_prefix("Pages:")).and_then(|n| n.trim().parse().ok()).unwrap();
    info(&["-f", "1", "-l", &pages.to_string()])
        .lines()
        .filter(|l| l.starts_with("Page") && l.contains("size:"))
        .map(|l| {
            let size = l.split("size:").nth(1).unwrap();
            let numbers: Vec<f64> = size.split_whitespace().filter_map(|w| w.parse().ok()).collect();
            (numbers[0], numbers[1])
        })
        .collect()
}

/// The table of one page: its header words (above the first member's name) and, per member, the
/// text of the cell under the header word `column` (cells that wrap are joined).
struct Table {
    words: Vec<Word>,
    /// (name, the y of its centre), top to bottom.
    names: Vec<(String, f64)>,
    /// The lowest y of the header row.
    header_bottom: f64,
}

impl Table {
    fn new(words: &[Word], members: &[&str]) -> Table {
        let header_y = words.iter().find(|w| w.text == "姓名").expect("a 姓名 header").y();
        let mut names: Vec<(String, f64)> = words
            .iter()
            .filter(|w| w.y() > header_y && members.contains(&w.text.as_str()) && w.x_min < 120.0)
            .map(|w| (w.text.clone(), w.y()))
            .collect();
        names.sort_by(|a, b| a.1.total_cmp(&b.1));
        let header_bottom = names.first().map_or(header_y, |n| n.1 - 6.0);
        Table { words: words.to_vec(), names, header_bottom }
    }

    /// The x of the header word `text` (the first, when it repeats).
    fn column(&self, text: &str) -> Option<f64> {
        self.words.iter().find(|w| w.text == text && w.y() < self.header_bottom).map(Word::x)
    }

    /// The header words that are dates (`11月5日`), left to right.
    fn dates(&self) -> Vec<String> {
        let mut dates: Vec<&Word> = self
            .words
            .iter()
            .filter(|w| w.y() < self.header_bottom && w.text.ends_with('日') && w.text.contains('月'))
            .collect();
        dates.sort_by(|a, b| a.x().total_cmp(&b.x()));
        dates.into_iter().map(|w| w.text.clone()).collect()
    }

    /// What the cell of `name` under the column at `x` says: the words centred within 8 pt of
    /// the column's centre, between the middles to the rows above and below.
    fn cell(&self, name: &str, x: f64) -> String {
        self.cell_within(name, x, 8.0)
    }

    /// The same with the words centred within `half` pt (a wide, left-aligned column).
    fn cell_within(&self, name: &str, x: f64, half: f64) -> String {
        let i = self.names.iter().position(|n| n.0 == name).unwrap_or_else(|| panic!("{name} not in the table"));
        let y = self.names[i].1;
        let top = if i == 0 { self.header_bottom } else { (self.names[i - 1].1 + y) / 2.0 };
        let bottom = self.names.get(i + 1).map_or(y + 12.0, |next| (next.1 + y) / 2.0);
        let mut cell: Vec<&Word> =
            self.words.iter().filter(|w| (w.x() - x).abs() < half && w.y() > top && w.y() < bottom).collect();
        cell.sort_by(|a, b| a.y().total_cmp(&b.y()));
        cell.iter().map(|w| w.text.as_str()).collect()
    }
}

fn render(test: Test, args: &[&str]) -> Option<Output> {
    let typst = typst_path(&[PDFTOTEXT, PDFINFO], "the register's PDF tests")?;
    // Only the notice of each activity: the register is what this is about.
    let out = test
        .arg("render")
        .args(args)
        .args(&["-o", "out", "--only", "notice", "--typst", typst.to_str().unwrap()])
        .run();
    assert!(out.path(REGISTER).is_file(), "{out}");
    Some(out)
}

#[test]
fn the_example_register_shows_every_member_the_marks_and_the_totals_on_a4_landscape() {
    let Some(out) = render(Test::new().example(), &["2026Q4", "--today", "2026-12-31"]) else { return };
    let pdf = out.path(REGISTER);
    for (p, (width, height)) in page_sizes(&pdf).into_iter().enumerate() {
        assert!((width - 841.89).abs() < 1.0 && (height - 595.28).abs() < 1.0, "page {}: {width} x {height}", p + 1);
    }
    let pages = words(&pdf);
    assert_eq!(pages.len(), 1, "8 activities and 15 members fit one page");
    let table = Table::new(&pages[0], &ROSTER);
    let names: Vec<&str> = table.names.iter().map(|n| n.0.as_str()).collect();
    assert_eq!(names, ROSTER, "every member once, in roster order");
    assert_eq!(
        table.dates(),
        ["10月9日", "10月20日", "10月28日", "11月5日", "11月25日", "12月3日", "12月17日", "12月22日"]
    );

    // The 支部党员大会 of 11-05: 赵强 and 马俊 on leave with their reasons, 黄志刚 not expected.
    let congress = table.column("11月5日").unwrap();
    for name in ROSTER {
        let expected = match name {
            "赵强" => "请假（出差）",
            "马俊" => "请假（病假）",
            "黄志刚" => "—",
            _ => "出席",
        };
        assert_eq!(table.cell(name, congress), expected, "{name} at the 支部党员大会");
    }

    // Totals: (应参加, 出席, 请假, 缺席, 未记录, 出席率).
    let headers = ["应参加", "出席", "请假", "缺席", "未记录", "出席率"];
    let columns: Vec<f64> = headers.iter().map(|h| table.column(h).unwrap_or_else(|| panic!("no {h}"))).collect();
    let totals = |name: &str| -> Vec<String> { columns.iter().map(|&x| table.cell(name, x)).collect() };
    assert_eq!(totals("张建国"), ["8", "8", "0", "0", "0", "100.0%"]);
    assert_eq!(totals("王芳"), ["7", "7", "0", "0", "0", "100.0%"], "not on the 党小组会 of the 第一党小组");
    assert_eq!(totals("赵强"), ["8", "7", "1", "0", "0", "87.5%"]);
    assert_eq!(totals("马俊"), ["6", "5", "1", "0", "0", "83.3%"]);
    assert_eq!(totals("黄志刚"), ["0", "0", "0", "0", "0", "—"]);
    for name in ROSTER {
        let n: Vec<u32> = totals(name)[..5].iter().map(|t| t.parse().unwrap()).collect();
        assert_eq!(n[1] + n[2] + n[3] + n[4], n[0], "{name}: 出席 + 请假 + 缺席 + 未记录 = 应参加");
    }
    let huang = table.cell_within("黄志刚", table.column("备注").unwrap(), 35.0);
    assert!(huang.contains("不计入应到") && huang.contains("长期病休"), "{huang}");
}

#[test]
fn a_quarter_of_16_activities_is_cut_into_page_parts_each_with_the_header() {
    let mut test = Test::new();
    let days: Vec<String> = (0..16).map(|i| format!("2026-{:02}-{:02}", 10 + i / 6, 1 + (i % 6) * 5)).collect();
    for day in &days {
        let text = header("支部党员大会").replace("2026-11-05", day);
        test = test.file(
            &format!("q/{day}.toml"),
            &format!("{text}\n[attendance]\nabsent = []\n\n[[agenda]]\ntitle = \"学习\"\n"),
        );
    }
    let test = test.file("q/branch.toml", BRANCH);
    let Some(out) = render(test, &["q", "--today", "2026-12-31"]) else { return };
    let pdf = out.path(REGISTER);
    assert!(page_sizes(&pdf).iter().all(|(w, h)| w > h), "landscape: {:?}", page_sizes(&pdf));
    let pages = words(&pdf);
    assert_eq!(pages.len(), 2, "the 16 columns in two parts, the totals with the second");
    let chinese = |day: &str| {
        let (month, date) = (&day[5..7], &day[8..10]);
        format!("{}月{}日", month.trim_start_matches('0'), date.trim_start_matches('0'))
    };
    let expected: Vec<String> = days.iter().map(|d| chinese(d)).collect();
    let mut seen = Vec::new();
    for (p, page) in pages.iter().enumerate() {
        let table = Table::new(page, &ROSTER);
        for header in ["序号", "姓名"] {
            assert!(table.column(header).is_some(), "page {} has no {header} header", p + 1);
        }
        let names: Vec<&str> = table.names.iter().map(|n| n.0.as_str()).collect();
        assert_eq!(names, ROSTER, "page {}: every member again", p + 1);
        let totals = table.column("应参加").is_some();
        assert_eq!(totals, p == 1, "the totals only on the last part (page {})", p + 1);
        seen.extend(table.dates());
        let first = table.column(&table.dates()[0]).unwrap();
        assert_eq!(table.cell("张建国", first), "出席", "page {}", p + 1);
    }
    assert_eq!(seen, expected, "every activity once, in date order, across the parts");
    let last = Table::new(&pages[1], &ROSTER);
    assert_eq!(last.cell("张建国", last.column("应参加").unwrap()), "16");
}
