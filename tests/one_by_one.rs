//! 发展党员工作细则: a 支部大会 discussing two or more people's admission (or 转正) discusses and
//! votes on each separately, so one decision names one applicant.

use proptest::prelude::*;

use pdb::record::people;

use crate::common::{self, header, Test, BRANCH};

/// A 支部党员大会 (everyone present) with one decision of `kind` naming `applicant` on line 15.
fn meeting(kind: &str, applicant: &str) -> String {
    format!(
        "{}\n[attendance]\nabsent = []\n\n[[decisions]]\ntext      = \"同意接收为中共预备党员\"\nkind      = \"{kind}\"\n\
         applicant = \"{applicant}\"\nmethod    = \"无记名投票\"\nvotes     = {{ yes = 12, no = 0, abstain = 0 }}\n",
        header("支部党员大会")
    )
}

fn check(text: &str) -> common::Output {
    Test::new().branch(BRANCH).file("a.toml", text).args(&["check", "a.toml"]).run()
}

#[test]
fn two_applicants_in_one_decision_is_a_finding_at_the_applicant() {
    for (kind, chinese) in [("admission", "接收预备党员"), ("confirmation", "预备党员转正")] {
        for (applicant, listed) in
            [("李明、王芳", "李明、王芳"), ("李明和王芳", "李明、王芳"), ("李明, 王芳, 赵一", "李明、王芳、赵一")]
        {
            let out = check(&meeting(kind, applicant));
            // A rule broken, not a record contradicting itself (development.md): reported, rendered.
            out.assert_status(0);
            let n = listed.split('、').count();
            let block =
                common::diagnostic_containing(&out.stderr, &format!("一项{chinese}决议写了 {n} 个人（{listed}）"))
                    .unwrap_or_else(|| panic!("{kind} {applicant}\n{out}"));
            assert!(block.starts_with("发现: "), "{block}");
            assert!(block.contains("--> a.toml:15:13\n"), "{block}");
            assert!(block.contains("字段 decisions[0].applicant（申请人）"), "{block}");
            assert!(block.contains("须逐个讨论和表决"), "{block}");
            assert!(block.contains(&format!("分成 {n} 项")), "{block}");
        }
    }
}

#[test]
fn one_applicant_is_no_finding_even_with_a_conjunction_in_the_name() {
    for applicant in ["李明", "王和平", "欧阳同"] {
        let out = check(&meeting("admission", applicant));
        assert!(!out.stderr.contains("决议写了"), "{applicant}\n{out}");
    }
}

/// A two- or three-character name without separators or conjunctions.
fn name() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        proptest::sample::select(vec!['李', '明', '王', '芳', '赵', '欧', '阳', '丽', '华']),
        2..=3,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #[test]
    fn names_joined_by_any_separator_are_two_people(
        a in name(),
        b in name(),
        sep in proptest::sample::select(vec!["、", "，", ",", "；", ";", "/", "和", "与", "及", "同", " ", "　", " 、 "]),
    ) {
        let joined = format!("{a}{sep}{b}");
        prop_assert_eq!(people(&joined), vec![a.as_str(), b.as_str()]);
    }

    #[test]
    fn one_name_is_one_person(a in name()) {
        let padded = format!(" {a} ");
        prop_assert_eq!(people(&padded), vec![a.as_str()]);
    }
}

#[test]
fn the_reverse_check_names_each_person_of_a_decision_naming_two() {
    // The whole branch folder: the reverse check is the branch's.
    let out =
        Test::new().branch(BRANCH).file("a.toml", &meeting("admission", "李明、王芳")).args(&["check", "."]).run();
    for name in ["李明", "王芳"] {
        let block = common::diagnostic_containing(&out.stderr, &format!("没有{name}的发展党员记录"))
            .unwrap_or_else(|| panic!("{name}\n{out}"));
        assert!(block.contains(&format!("pdb new 发展党员 --name {name} ")), "{block}");
    }
    assert!(!out.stderr.contains("李明、王芳的发展党员记录"), "{out}");
    assert!(!out.stderr.contains("--name 李明、王芳"), "{out}");
}
