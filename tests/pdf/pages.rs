//! The sign-in sheet (25 to a page, its header repeated), the minutes' signature lines (never
//! alone at the top of a page), the photos (aspect ratio kept, two to a page).

use std::fs;
use std::path::Path;

use super::*;

/// A branch of `n` members (the first is the secretary) and one party congress of all of them,
/// with one member on leave for a long reason.
fn big_branch(n: usize) -> Test {
    let (branch, activity) = big_branch_files(n);
    Test::new().branch(&branch).file("a.toml", &activity)
}

/// The branch.toml and a.toml of [`big_branch`].
fn big_branch_files(n: usize) -> (String, String) {
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
    (branch, activity)
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

/// Guests' names, none the start of another.
const GUESTS: [&str; 4] = ["来宾甲", "来宾乙", "来宾丙", "来宾丁"];

#[test]
fn the_guests_sign_in_a_table_of_their_own_never_cut_from_its_title_or_the_counts() {
    let Some(tools) = tools() else { return };
    // 30 to 37 members (12 mm rows over two pages) and four guests: the guests' table, and with
    // it the counts, moves over the second page break wherever it falls.
    let mut test = Test::new();
    let sizes = 30..=37;
    for n in sizes.clone() {
        let (branch, activity) = big_branch_files(n);
        let guests: Vec<String> =
            GUESTS.iter().map(|g| format!("{{ name = \"{g}\", title = \"县委组织部干部监督科科长\" }}")).collect();
        let activity =
            activity.replace("[attendance]\n", &format!("[attendance]\nguests = [ {} ]\n", guests.join(", ")));
        test = test.file(&format!("b{n}/branch.toml"), &branch).file(&format!("b{n}/a.toml"), &activity);
    }
    let run = render(test, tools, &[".", "-o", "out", "--only", "sign-in", "--format", "pdf", "--split"]);
    assert_eq!(run.status, 0, "{run}");
    let (mut moved, mut split) = (false, false);
    for n in sizes {
        let pages = layout(&run.path(&format!("out/b{n}/a/04-签到表.pdf")));
        let texts: Vec<Vec<String>> = pages.iter().map(|p| p.iter().map(|l| squeeze(&l.text)).collect()).collect();
        let page_of = |text: &str| -> Vec<usize> {
            texts
                .iter()
                .enumerate()
                .flat_map(|(p, lines)| lines.iter().filter(|l| *l == text).map(move |_| p))
                .collect()
        };
        let title = page_of("列席人员签到");
        assert_eq!(title.len(), 1, "{n}: {texts:?}");
        let guests: Vec<usize> = GUESTS.iter().map(|g| *page_of(g).first().expect(g)).collect();
        assert!(GUESTS.iter().all(|g| page_of(g).len() == 1), "{n}: {texts:?}");
        // The title stays with the table's first row; the header repeats on every page of guests.
        assert_eq!(title[0], guests[0], "{n}: the title is cut from its table: {texts:?}");
        for p in &guests {
            assert!(texts[*p].iter().any(|l| l == "职务/单位"), "{n}: page {} has guests but no header", p + 1);
        }
        // The counts follow the last guest on its page.
        assert_eq!(page_of(&format!("应到{n}人")), [guests[3]], "{n}: {texts:?}");
        let last_member = *page_of(&format!("{n}")).last().unwrap();
        moved |= title[0] > last_member;
        split |= guests[0] != guests[3];
    }
    assert!(
        moved && split,
        "the sweep should move the guests' table to a new page and split it (moved {moved}, split {split})"
    );
}

#[test]
fn the_example_congress_lists_its_guests_on_the_sign_in_sheet() {
    let Some(run) = quarter() else { return };
    let pages = layout(&run.path("out/2026-11-05-支部党员大会/00-全套.pdf"));
    let (page, title) = pages
        .iter()
        .find_map(|p| p.iter().find(|l| squeeze(&l.text) == "列席人员签到").map(|t| (p, t)))
        .expect("no 列席人员签到 in the packet");
    // Below the title, on its page: the header, each guest's row, then the counts.
    let y_of = |text: &str| {
        page.iter()
            .find(|l| squeeze(&l.text) == text && l.y_min > title.y_min)
            .unwrap_or_else(|| panic!("no {text} below the title"))
            .y_min
    };
    for header in ["序号", "姓名", "职务/单位", "签名"] {
        assert!((y_of(header) - y_of("序号")).abs() < 1.0, "{header} is not in the header row");
    }
    let li = y_of("李明");
    assert!((y_of("入党申请人（发展对象）") - li).abs() < 1.0);
    let sun = y_of("孙丽");
    assert!((y_of("中共某某县卫生健康局委员会委员") - sun).abs() < 1.0);
    assert!(y_of("序号") < li && li < sun && sun < y_of("应到14人"), "out of order");
    // The members' table is above it, complete.
    assert!(page.iter().any(|l| squeeze(&l.text) == "徐文博" && l.y_min < title.y_min));
    let committee = layout(&run.path("out/2026-10-09-支委会/00-全套.pdf"));
    assert!(!committee.iter().flatten().any(|l| l.text.contains("列席人员签到")));
}
