//! Every document of one example, in both formats, as snapshots; the packet's file set; and
//! template overrides.

use crate::common::Test;

const EXAMPLE: &str = "examples/2026Q4";

/// The example quarter copied into a test folder, photos included.
fn example() -> Test {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(EXAMPLE);
    let mut test = Test::new();
    for entry in walkdir::WalkDir::new(&root).into_iter().filter_map(Result::ok) {
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
            test = test.bytes(&relative, &std::fs::read(entry.path()).unwrap());
        }
    }
    test
}

#[test]
fn every_document_of_the_party_congress_in_both_formats() {
    let out =
        example().args(&["render", "2026-11-05-支部党员大会.toml", "-o", "out", "--format", "typst,markdown"]).run();
    out.assert_status(0);
    let dir = "out/2026-11-05-支部党员大会";
    let mut names: Vec<String> = std::fs::read_dir(out.path(dir))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    // No photos and no reflections in this record: 06 and 08 are left out, not empty.
    assert_eq!(
        names,
        [
            "01-会议通知.md",
            "01-会议通知.typ",
            "02-会议议程.md",
            "02-会议议程.typ",
            "03-主持词.md",
            "03-主持词.typ",
            "04-签到表.md",
            "04-签到表.typ",
            "05-会议记录.md",
            "05-会议记录.typ",
            "07-会议纪要.md",
            "07-会议纪要.typ",
        ]
    );
    for name in names {
        insta::assert_snapshot!(format!("party_congress__{name}"), out.read(&format!("{dir}/{name}")));
    }
}

#[test]
fn theme_day_has_activity_titles_and_copies_its_photos() {
    let out = example().args(&["render", "2026-11-25-主题党日.toml", "-o", "out", "--format", "markdown"]).run();
    out.assert_status(0);
    let dir = "out/2026-11-25-主题党日";
    for name in ["01-活动通知.md", "06-影像资料.md", "07-活动总结.md", "photo-1.jpg", "photo-2.png"] {
        assert!(out.path(&format!("{dir}/{name}")).is_file(), "{name} is missing");
    }
    assert!(!out.path(&format!("{dir}/01-会议通知.md")).exists());
    assert!(!out.path(&format!("{dir}/08-心得体会.md")).exists());
    let photos = out.read(&format!("{dir}/06-影像资料.md"));
    assert!(photos.contains("photo-1.jpg") && photos.contains("photo-2.png"), "{photos}");
}

#[test]
fn only_renders_the_documents_asked_for() {
    let out = example()
        .args(&[
            "render",
            "2026-12-17-组织生活会.toml",
            "-o",
            "out",
            "--only",
            "sign-in,reflections",
            "--format",
            "typst",
        ])
        .run();
    out.assert_status(0);
    let mut names: Vec<String> = std::fs::read_dir(out.path("out/2026-12-17-组织生活会"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    assert_eq!(names, ["04-签到表.typ", "08-心得体会.typ"]);
}

#[test]
fn a_user_template_extending_a_builtin_changes_only_its_block() {
    let plain = example().args(&["render", "2026-11-05-支部党员大会.toml", "-o", "out", "--only", "notice"]).run();
    let custom = example()
        .file(
            "tpl/markdown/notice.md",
            "{% extends \"builtin/markdown/notice.md\" %}{% block signature %}本单位自定义落款{% endblock signature %}",
        )
        .args(&["render", "2026-11-05-支部党员大会.toml", "-o", "out", "--only", "notice", "--templates", "tpl"])
        .run();
    custom.assert_status(0);
    let before = plain.read("out/2026-11-05-支部党员大会/01-会议通知.md");
    let after = custom.read("out/2026-11-05-支部党员大会/01-会议通知.md");
    assert!(after.contains("本单位自定义落款"), "{after}");
    assert!(!after.contains("2026年10月29日"), "the replaced block held the notice date: {after}");
    // Everything before the signature block is untouched.
    let head = before.split("中共某某县卫生健康局机关第一支部委员会\n").next().unwrap();
    assert!(after.starts_with(head.trim_end()), "before:\n{before}\nafter:\n{after}");
    // The Typst notice is still the built-in one.
    assert_eq!(
        plain.read("out/2026-11-05-支部党员大会/01-会议通知.typ"),
        custom.read("out/2026-11-05-支部党员大会/01-会议通知.typ")
    );
}

#[test]
fn a_broken_user_template_names_its_file_and_line() {
    let out = example()
        .file(
            "tpl/typst/agenda.typ",
            "{% extends \"typst/base.typ\" %}\n{% block body %}\n{{ act.title \n{% endblock body %}\n",
        )
        .args(&["render", "2026-11-05-支部党员大会.toml", "-o", "out", "--templates", "tpl"])
        .run();
    assert_ne!(out.status, 0);
    assert!(
        out.stderr.contains("tpl/typst/agenda.typ:3:") || out.stderr.contains("tpl/typst/agenda.typ:4:"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_hand_edited_output_is_not_overwritten() {
    let test = example();
    let out = test.args(&["render", "2026-10-09-支委会.toml", "-o", "out", "--format", "markdown"]).run();
    out.assert_status(0);
    let minutes = out.path("out/2026-10-09-支委会/05-会议记录.md");
    std::fs::write(&minutes, "手工补充的内容").unwrap();
    // Unchanged inputs leave the folder alone; a change to the activity makes pdb write again.
    let activity = out.path("2026-10-09-支委会.toml");
    let text = std::fs::read_to_string(&activity).unwrap();
    std::fs::write(&activity, format!("{text}\n# 改过\n")).unwrap();
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_pdb"))
        .current_dir(out.dir.path())
        .env("NO_COLOR", "1")
        .args(["render", "2026-10-09-支委会.toml", "-o", "out", "--format", "markdown"])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("手工修改") && stderr.contains("--force"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&minutes).unwrap(), "手工补充的内容");
    let forced = std::process::Command::new(env!("CARGO_BIN_EXE_pdb"))
        .current_dir(out.dir.path())
        .args(["render", "2026-10-09-支委会.toml", "-o", "out", "--format", "markdown", "--force"])
        .output()
        .unwrap();
    assert_eq!(forced.status.code(), Some(0));
    assert!(std::fs::read_to_string(&minutes).unwrap().contains("会议记录"));
}
