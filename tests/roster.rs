//! `pdb import roster`: rosters as branches keep them (built here with rust_xlsxwriter: a title
//! row, merged header cells, ID numbers stored as text, padded names; CSVs in GBK and UTF-8 with
//! a BOM) become branch.toml members; personal data never reaches the file; bad rows stop the
//! write with their sheet, row and column; a merge keeps the secretary's comments and deletes
//! nobody. Also: the example roster under examples/ is the one this file's generator writes.

use std::fs;
use std::path::Path;

use pdb::load::load_branch;
use pdb::model::MemberStatus;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook};

use crate::common::Test;

/// A roster the way the 党员管理信息系统 exports it, or a secretary keeps it: a merged title
/// row, a two-row header (“基本信息” over 姓名/性别, 姓名 merged down), 身份证号 as text, a phone
/// column, names padded to three characters, and the 党小组 merged down over each group.
pub struct Person<'a> {
    pub name: &'a str,
    pub role: &'a str,
    pub status: &'a str,
    pub group: &'a str,
    pub leader: bool,
}

pub fn roster_xlsx(title: &str, people: &[Person]) -> Vec<u8> {
    let mut book = Workbook::new();
    let date = ExcelDateTime::from_ymd(2026, 1, 5).unwrap();
    book.set_properties(&DocProperties::new().set_creation_datetime(&date).set_author("pdb"));
    let head = Format::new().set_bold().set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter);
    let text = Format::new().set_num_format("@");
    let sheet = book.add_worksheet();
    sheet.set_name("党员名册").unwrap();
    sheet.merge_range(0, 0, 0, 8, title, &head).unwrap();
    sheet.merge_range(1, 0, 2, 0, "序号", &head).unwrap();
    sheet.merge_range(1, 1, 1, 3, "基本信息", &head).unwrap();
    sheet.write_with_format(2, 1, "姓  名", &head).unwrap();
    sheet.write_with_format(2, 2, "性别", &head).unwrap();
    sheet.write_with_format(2, 3, "身份证号", &head).unwrap();
    for (col, label) in [(4, "党员类别"), (5, "所在党小组"), (6, "党内职务"), (7, "党小组长"), (8, "联系电话")]
    {
        sheet.merge_range(1, col, 2, col, label, &head).unwrap();
    }
    let mut row = 3u32;
    let mut i = 0;
    while i < people.len() {
        // The 党小组 cell merged down over the group's consecutive members.
        let group = people[i].group;
        let run = people[i..].iter().take_while(|p| p.group == group).count();
        for (j, p) in people[i..i + run].iter().enumerate() {
            let r = row + j as u32;
            let n = i + j + 1;
            sheet.write(r, 0, n as u32).unwrap();
            // Two-character names padded to the width of three, as many rosters do.
            let name = if p.name.chars().count() == 2 {
                let mut c = p.name.chars();
                format!("{}  {}", c.next().unwrap(), c.next().unwrap())
            } else {
                p.name.to_string()
            };
            sheet.write(r, 1, name).unwrap();
            sheet.write(r, 2, if n % 2 == 0 { "女" } else { "男" }).unwrap();
            sheet.write_with_format(r, 3, format!("0000001980010{:05}", n), &text).unwrap();
            sheet.write(r, 4, p.status).unwrap();
            sheet.write(r, 6, p.role).unwrap();
            sheet.write(r, 7, if p.leader { "是" } else { "" }).unwrap();
            sheet.write_with_format(r, 8, format!("1380000{:04}", n), &text).unwrap();
        }
        if run > 1 {
            sheet.merge_range(row, 5, row + run as u32 - 1, 5, group, &Format::new()).unwrap();
        } else {
            sheet.write(row, 5, group).unwrap();
        }
        row += run as u32;
        i += run;
    }
    sheet.write(row, 0, "合计").unwrap();
    sheet.write(row, 1, format!("{}人", people.len())).unwrap();
    for (col, width) in [(0, 6), (1, 10), (2, 6), (3, 22), (4, 10), (5, 12), (6, 16), (7, 10), (8, 14)] {
        sheet.set_column_width(col, width).unwrap();
    }
    book.save_to_buffer().unwrap()
}

/// The example branch's 15 members (examples/2026Q4/branch.toml), as a roster sheet.
pub const EXAMPLE: &[Person] = &[
    Person { name: "张建国", role: "书记", status: "正式党员", group: "第一党小组", leader: false },
    Person { name: "刘洋", role: "组织委员", status: "正式党员", group: "第一党小组", leader: false },
    Person { name: "赵强", role: "纪检委员", status: "正式党员", group: "第一党小组", leader: false },
    Person {
        name: "孙伟", role: "第一党小组组长", status: "正式党员", group: "第一党小组", leader: true
    },
    Person { name: "周敏", role: "", status: "正式党员", group: "第一党小组", leader: false },
    Person { name: "吴磊", role: "", status: "正式党员", group: "第一党小组", leader: false },
    Person { name: "郑丽华", role: "", status: "预备党员", group: "第一党小组", leader: false },
    Person { name: "王芳", role: "副书记", status: "正式党员", group: "第二党小组", leader: false },
    Person { name: "陈静", role: "宣传委员", status: "正式党员", group: "第二党小组", leader: false },
    Person {
        name: "何婷", role: "第二党小组组长", status: "正式党员", group: "第二党小组", leader: true
    },
    Person { name: "马俊", role: "", status: "正式党员", group: "第二党小组", leader: false },
    Person { name: "林晓燕", role: "", status: "正式党员", group: "第二党小组", leader: false },
    Person { name: "郭鹏", role: "", status: "预备党员", group: "第二党小组", leader: false },
    Person { name: "徐文博", role: "", status: "正式党员", group: "第二党小组", leader: false },
    Person { name: "黄志刚", role: "", status: "正式党员", group: "第二党小组", leader: false },
];

const EXAMPLE_TITLE: &str = "中共某某县卫生健康局机关第一支部委员会党员名册（2026年）";

fn example_sheet() -> Vec<u8> {
    roster_xlsx(EXAMPLE_TITLE, EXAMPLE)
}

/// (name, role, committee, status, group, group_leader) of a member.
type Fields = (String, Option<String>, bool, MemberStatus, Option<String>, bool);

/// The fields of every member of a branch file.
fn members(path: &Path) -> Vec<Fields> {
    let branch = load_branch(path).unwrap_or_else(|d| panic!("{}", d.render(false)));
    branch
        .file
        .members
        .iter()
        .map(|m| {
            let m = m.get_ref();
            (m.name.get_ref().clone(), m.role.clone(), m.committee, m.status, m.group.clone(), m.group_leader)
        })
        .collect()
}

#[test]
fn the_example_roster_sheet_is_the_generators() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/党员名册.xlsx");
    let made = example_sheet();
    if std::env::var_os("PDB_UPDATE_EXAMPLES").is_some() {
        fs::write(&path, &made).unwrap();
    }
    let checked_in = fs::read(&path).expect("examples/党员名册.xlsx: run with PDB_UPDATE_EXAMPLES=1 to write it");
    assert!(checked_in == made, "examples/党员名册.xlsx is stale: run `PDB_UPDATE_EXAMPLES=1 cargo test roster`");
}

#[test]
fn the_example_sheet_becomes_the_example_roster_with_one_command() {
    let out = Test::new().bytes("党员名册.xlsx", &example_sheet()).args(&["import", "roster", "党员名册.xlsx"]).run();
    out.assert_status(0);
    assert!(out.stdout.contains("读取 党员名册.xlsx：工作表“党员名册”，表头在第 2–3 行，15 名党员\n"), "{out}");
    assert!(
        out.stdout.contains(
            "未导入的列：序号（A）、性别（C）、身份证号（D）、联系电话（I）（pdb 用不到；身份证号、电话、住址、出生日期等个人信息从不写入）\n"
        ),
        "{out}"
    );
    assert!(out.stdout.contains("跳过第 19 行：“合计 15人”（表尾，不是党员）"), "{out}");
    assert!(out.stdout.contains("已新建 branch.toml：15 名党员"), "{out}");
    assert!(out.stdout.contains("支部全称“中共某某县卫生健康局机关第一支部委员会”取自名册标题，请核对"), "{out}");
    let written = out.read("branch.toml");
    // Nothing personal: no ID number, no phone number, not even their digits.
    for needle in ["000000198", "1380000", "身份证", "女", "男"] {
        assert!(!written.contains(needle), "{needle} leaked into branch.toml:\n{written}");
    }
    // The comments of pdb init's file.
    assert!(
        written.starts_with("# 支部文件 branch.toml · 由 pdb import roster 从 党员名册.xlsx 导入生成\n"),
        "{written}"
    );
    assert!(written.contains("# ── 党员名册：每名党员一个 [[members]]，姓名不能重复 ──"), "{written}");
    assert!(written.contains("# [rules.\"主题党日\"]"), "{written}");
    // The members, as the example branch has them (its exclusion is not in the sheet).
    let imported = members(&out.path("branch.toml"));
    let mut expected = members(&Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/2026Q4/branch.toml"));
    let order: Vec<&str> = EXAMPLE.iter().map(|p| p.name).collect();
    expected.sort_by_key(|m| order.iter().position(|n| *n == m.0));
    assert_eq!(imported, expected);
    let branch = load_branch(&out.path("branch.toml")).unwrap();
    assert_eq!(branch.file.branch.name, "中共某某县卫生健康局机关第一支部委员会");
}

#[test]
fn two_character_names_lose_their_padding_and_roles_imply_the_committee() {
    let people = [
        Person { name: "金铭", role: "宣传委员", status: "预备", group: "一组", leader: false },
        Person { name: "欧阳明月", role: "党小组长", status: "正式党员", group: "一组", leader: false },
    ];
    let out = Test::new()
        .bytes("r.xlsx", &roster_xlsx("名册", &people))
        .args(&["import", "roster", "r.xlsx", "-o", "b.toml"])
        .run();
    out.assert_status(1); // no branch name in the title “名册”: the file says how to finish it
    assert!(out.stdout.contains("还须改正一处才能使用"), "{out}");
    let text = out.read("b.toml");
    assert!(text.contains("# name   = \"中共某某县某某局机关第一支部委员会\"   # 支部全称（必填）"), "{text}");
    assert!(text.contains(
        "[[members]]\nname      = \"金铭\"\nrole      = \"宣传委员\"\ncommittee = true\nstatus    = \"预备党员\"\ngroup     = \"一组\"\n"
    ), "{text}");
    assert!(text.contains("name      = \"欧阳明月\"\nrole      = \"党小组长\"\nstatus    = \"正式党员\"\ngroup     = \"一组\"\ngroup_leader = true\n"), "{text}");
}

#[test]
fn csv_in_gbk_and_in_utf8_with_a_bom() {
    let csv = "机关第二党支部党员花名册,,,\n姓名,职务,人员类别,党小组,手机号码\n李 明,书记,正式党员,第一党小组,13800000001\n王小红,,预备党员,第一党小组,13800000002\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(csv);
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(csv.as_bytes());
    for (file, bytes, encoding) in [("gbk.csv", gbk.to_vec(), "GBK"), ("bom.csv", bom, "UTF-8")] {
        let out = Test::new().bytes(file, &bytes).args(&["import", "roster", file]).run();
        out.assert_status(0);
        assert!(out.stdout.contains(&format!("，{encoding} 编码，表头在第 2 行，2 名党员")), "{out}");
        assert!(out.stdout.contains("未导入的列：手机号码（E）"), "{out}");
        let imported = members(&out.path("branch.toml"));
        assert_eq!(
            imported,
            vec![
                ("李明".into(), Some("书记".into()), true, MemberStatus::Full, Some("第一党小组".into()), false),
                ("王小红".into(), None, false, MemberStatus::Probationary, Some("第一党小组".into()), false),
            ],
            "{encoding}"
        );
        let text = out.read("branch.toml");
        assert!(text.contains("name   = \"机关第二党支部\""), "{text}");
        assert!(!text.contains("1380000"), "{text}");
    }
}

#[test]
fn an_unknown_layout_lists_the_headers_and_columns_fixes_it() {
    let csv = "序号,人员,组别,身份\n1,李明,第一党小组,正式党员\n2,王红,第二党小组,预备党员\n";
    let out = Test::new().file("r.csv", csv).args(&["import", "roster", "r.csv"]).run();
    out.assert_status(2);
    assert!(out.stderr.contains("在 r.csv 中没有找到“姓名”列"), "{out}");
    assert!(out.stderr.contains("工作表“r”第 1 行：A=序号，B=人员，C=组别，D=身份"), "{out}");
    assert!(out.stderr.contains("--columns 姓名=B,党小组=E"), "{out}");
    assert!(!out.path("branch.toml").exists());

    let out = Test::new()
        .file("r.csv", csv)
        .args(&["import", "roster", "r.csv", "--columns", "姓名=B,党小组=C,人员类别=D", "--name", "机关党支部"])
        .run();
    out.assert_status(0);
    assert!(out.stdout.contains("未导入的列：序号（A）"), "{out}");
    let imported = members(&out.path("branch.toml"));
    assert_eq!(imported.len(), 2);
    assert_eq!(imported[1], ("王红".into(), None, false, MemberStatus::Probationary, Some("第二党小组".into()), false));

    let out = Test::new().file("r.csv", csv).args(&["import", "roster", "r.csv", "--columns", "姓名=2"]).run();
    out.assert_status(2);
    assert!(out.stderr.contains("--columns 写得不对：“2”不是列字母"), "{out}");
}

#[test]
fn bad_rows_are_reported_with_sheet_row_and_column_and_nothing_is_written() {
    let csv = "姓名,人员类别,是否支委\n李明,正式党员,是\n,预备党员,\n王红,积极分子,\n李明,正式党员,\n赵六,正式党员,也许\n钱七,,否\n";
    let out = Test::new().file("r.csv", csv).args(&["import", "roster", "r.csv", "--name", "某党支部"]).run();
    out.assert_status(2);
    let expected = [
        "r.csv 中有 4 行需要改正，branch.toml 没有改动：",
        "  工作表“r”第 3 行 A 列（姓名）：姓名是空的。",
        "  工作表“r”第 4 行 B 列（人员类别）：“积极分子”不是党员类别。可写：正式党员、预备党员、留党察看；",
        "  工作表“r”第 5 行 A 列（姓名）：“李明”出现了两次。与第 2 行重名。",
        "  工作表“r”第 6 行 C 列（是否支委）：“也许”不是“是”或“否”。",
        "加 --skip-bad-rows 只导入没有问题的行",
    ];
    for line in expected {
        assert!(out.stderr.contains(line), "{line}\n{out}");
    }
    assert!(!out.path("branch.toml").exists(), "nothing is written while the sheet has bad rows");

    let out = Test::new()
        .file("r.csv", csv)
        .args(&["import", "roster", "r.csv", "--name", "某党支部", "--skip-bad-rows"])
        .run();
    out.assert_status(0);
    assert!(out.stdout.contains("以下 4 行有问题，已跳过（--skip-bad-rows）："), "{out}");
    let names: Vec<String> = members(&out.path("branch.toml")).into_iter().map(|m| m.0).collect();
    assert_eq!(names, ["李明", "钱七"]);
}

#[test]
fn names_are_normalised_as_activity_files_are_so_invisible_characters_are_bad_rows() {
    // A zero-width space pasted from a web page: the sheet's name would never match the 王红 of
    // an activity file, so it is a bad row, not a member.
    let csv = "姓名,党小组\n李 明,第一党小组\n王\u{200B}红,第一党小组\n赵六,第二\u{200D}党小组\n";
    let out = Test::new().file("r.csv", csv).args(&["import", "roster", "r.csv", "--name", "某党支部"]).run();
    out.assert_status(2);
    for line in [
        "r.csv 中有 2 行需要改正，branch.toml 没有改动：",
        "  工作表“r”第 3 行 A 列（姓名）：姓名含有看不见的字符 U+200B",
        "  工作表“r”第 4 行 B 列（党小组）：党小组含有看不见的字符 U+200D",
    ] {
        assert!(out.stderr.contains(line), "{line}\n{out}");
    }
    assert!(!out.path("branch.toml").exists(), "{out}");
    let out = Test::new()
        .file("r.csv", csv)
        .args(&["import", "roster", "r.csv", "--name", "某党支部", "--skip-bad-rows"])
        .run();
    out.assert_status(0);
    let names: Vec<String> = members(&out.path("branch.toml")).into_iter().map(|m| m.0).collect();
    assert_eq!(names, ["李明"]);
}

const COMMENTED: &str = "# 机关第一党支部 党员名册（手工维护）\r\n[branch]\r\nname = \"中共某某县卫生健康局机关第一支部委员会\"\r\n\r\n# 支部委员会\r\n[[members]]\r\nname      = \"张建国\"\r\nrole      = \"副书记\"    # 2025年换届\r\ncommittee = true\r\ngroup     = \"第一党小组\"\r\n\r\n[[members]]\r\nname     = \"黄志刚\"\r\nexcluded = \"长期病休\"   # 经局党委同意\r\n\r\n[rules.\"主题党日\"]\r\nday = \"第一个星期五\"\r\n";

#[test]
fn merging_keeps_comments_adds_new_members_and_deletes_nobody() {
    let people = [
        Person { name: "张建国", role: "书记", status: "正式党员", group: "第一党小组", leader: false },
        Person { name: "周敏", role: "", status: "正式党员", group: "第一党小组", leader: false },
    ];
    let sheet = roster_xlsx("名册", &people);
    let out =
        Test::new().bytes("r.xlsx", &sheet).file("branch.toml", COMMENTED).args(&["import", "roster", "r.xlsx"]).run();
    out.assert_status(0);
    assert!(out.stdout.contains("已合并到 branch.toml：新增 1 人，更新 0 人，未变 0 人\n新增：周敏\n"), "{out}");
    assert!(
        out.stdout.contains(
            "名册与 branch.toml 不一致（未修改；确认名册是对的，加 --update 更新）：\n  张建国：职务 副书记 → 书记\n"
        ),
        "{out}"
    );
    assert!(out.stdout.contains("branch.toml 中有、名册中没有的党员（未删除；如已转出，请手工删去）：黄志刚"), "{out}");
    let text = out.read("branch.toml");
    // Everything that was there is still there, byte for byte, CRLF line ends included.
    let (before_rules, rules) = COMMENTED.split_at(COMMENTED.find("\r\n[rules.").unwrap());
    assert!(text.starts_with(before_rules), "{text}");
    assert!(text.ends_with(rules), "{text}");
    assert!(text.contains("excluded = \"长期病休\"   # 经局党委同意\r\n\r\n# 以下由 pdb import roster 从 r.xlsx 导入\r\n[[members]]\r\nname      = \"周敏\"\r\n"), "{text}");
    assert!(!text.replace("\r\n", "").contains('\n'), "line ends stay CRLF");
    assert_eq!(members(&out.path("branch.toml")).len(), 3);

    let out = Test::new()
        .bytes("r.xlsx", &sheet)
        .file("branch.toml", COMMENTED)
        .args(&["import", "roster", "r.xlsx", "--update"])
        .run();
    out.assert_status(0);
    assert!(out.stdout.contains("更新 1 人"), "{out}");
    assert!(out.stdout.contains("更新 张建国：职务 副书记 → 书记\n"), "{out}");
    let text = out.read("branch.toml");
    assert!(text.contains("role      = \"书记\"    # 2025年换届\r\n"), "{text}");
    assert!(text.contains("name     = \"黄志刚\""), "{text}");
}

#[test]
fn a_pdb_init_file_takes_the_members_and_keeps_its_comments() {
    let csv = "姓名,党小组\n李明,第一党小组\n";
    let init = pdb::authoring::init::branch_file().replace(
        "# name   = \"中共某某县某某局机关第一支部委员会\"",
        "name   = \"中共某某县某某局机关第一支部委员会\"",
    );
    let out = Test::new().file("r.csv", csv).file("branch.toml", &init).args(&["import", "roster", "r.csv"]).run();
    out.assert_status(0);
    let text = out.read("branch.toml");
    for line in init.lines() {
        assert!(text.contains(line), "lost: {line}\n{text}");
    }
    assert_eq!(members(&out.path("branch.toml"))[0].0, "李明");
}
