//! The fonts typst can see, and the Chinese ones the templates get per role.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Command;

use super::{Typst, TypstError};
use crate::render::Fonts;

/// The font settings passed to every typst command of a run, `typst fonts` included, so that the
/// fonts pdb checks are the fonts typst uses.
#[derive(Debug, Clone, Default)]
pub struct FontOptions {
    pub font_paths: Vec<PathBuf>,
    pub ignore_system_fonts: bool,
}

impl FontOptions {
    pub(crate) fn args(&self) -> Vec<OsString> {
        let mut args = Vec::new();
        for path in &self.font_paths {
            args.push("--font-path".into());
            args.push(path.clone().into_os_string());
        }
        if self.ignore_system_fonts {
            args.push("--ignore-system-fonts".into());
        }
        args
    }
}

impl Typst {
    /// The font families typst can use with these settings: `typst fonts`.
    pub fn families(&self, fonts: &FontOptions) -> Result<Vec<String>, TypstError> {
        let broken = |reason: String| TypstError::Broken { path: self.path.clone(), origin: self.origin, reason };
        let output = super::locate::run(Command::new(&self.path).arg("fonts").args(fonts.args()), self.timeout)
            .map_err(broken)?;
        if !output.status.success() {
            return Err(broken(format!("`typst fonts` 失败：{}", String::from_utf8_lossy(&output.stderr).trim())));
        }
        Ok(String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect())
    }
}

/// The fonts of one role after checking what typst has.
#[derive(Debug, Clone)]
pub struct RoleFonts {
    /// 仿宋, 宋体, 黑体, 楷体, 标题.
    pub role: &'static str,
    /// The families of the role's list that typst has, in the list's order.
    pub found: Vec<String>,
    /// The families of the role's list that typst does not have.
    pub missing: Vec<String>,
    /// When none of the role's own fonts exists: the Chinese family used instead.
    pub stand_in: Option<String>,
}

impl RoleFonts {
    /// What the templates get: the families found, or the stand-in.
    pub fn families(&self) -> Vec<String> {
        match &self.stand_in {
            Some(family) => vec![family.clone()],
            None => self.found.clone(),
        }
    }
}

/// The Chinese fonts typst can use, per role.
#[derive(Debug, Clone)]
pub struct FontReport {
    /// Every family typst listed.
    pub families: Vec<String>,
    /// The families that look Chinese.
    pub cjk: Vec<String>,
    pub roles: Vec<RoleFonts>,
    /// The role lists with only the families that exist: what the templates get.
    pub fonts: Fonts,
}

/// Keeps, for each role, the families typst has. A role none of whose families exists gets
/// another Chinese family (a 楷体 role falls back to a 宋体, say), so the text is still Chinese;
/// with no Chinese family at all, PDF output stops here.
pub fn select(wanted: &Fonts, families: &[String], font_paths: &[PathBuf]) -> Result<FontReport, TypstError> {
    let by_lower: BTreeMap<String, &String> = families.iter().map(|f| (f.to_lowercase(), f)).collect();
    let mut roles: Vec<RoleFonts> = wanted
        .roles()
        .into_iter()
        .map(|(role, list)| {
            let (found, missing): (Vec<&String>, Vec<&String>) =
                list.iter().partition(|f| by_lower.contains_key(&f.to_lowercase()));
            RoleFonts {
                role,
                found: found.into_iter().map(|f| by_lower[&f.to_lowercase()].clone()).collect(),
                missing: missing.into_iter().cloned().collect(),
                stand_in: None,
            }
        })
        .collect();
    let cjk: Vec<String> =
        families.iter().filter(|f| looks_cjk(f) || roles.iter().any(|r| r.found.contains(f))).cloned().collect();
    // A stand-in: a family found for another role (宋体 first, the closest to the rest), else any
    // Chinese family typst has.
    let preferred: Vec<String> = ["宋体", "仿宋", "楷体", "标题", "黑体"]
        .iter()
        .filter_map(|name| roles.iter().find(|r| r.role == *name))
        .flat_map(|r| r.found.clone())
        .chain(cjk.iter().cloned())
        .collect();
    let Some(fallback) = preferred.first().cloned() else {
        return Err(TypstError::NoCjkFont { font_paths: font_paths.to_vec() });
    };
    for role in roles.iter_mut().filter(|r| r.found.is_empty()) {
        role.stand_in = Some(fallback.clone());
    }
    let fonts =
        Fonts::from_roles(|role| roles.iter().find(|r| r.role == role).map(RoleFonts::families).unwrap_or_default());
    Ok(FontReport { families: families.to_vec(), cjk, roles, fonts })
}

/// Family names of Chinese fonts pdb does not list by name: Source Han, LXGW, Founder (FZ…),
/// or a name in Chinese.
fn looks_cjk(family: &str) -> bool {
    const MARKS: [&str; 16] = [
        "CJK",
        "Source Han",
        "Sarasa",
        "WenQuanYi",
        "LXGW",
        "AR PL",
        "FZ",
        "SimSun",
        "SimHei",
        "FangSong",
        "KaiTi",
        "YaHei",
        "PingFang",
        "Songti",
        "Heiti",
        "Kaiti",
    ];
    MARKS.iter().any(|m| family.contains(m))
        || family.ends_with(" SC")
        || family.chars().any(|c| matches!(c as u32, 0x4E00..=0x9FFF))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fonts_are_filtered_to_the_families_typst_has() {
        let families: Vec<String> = ["DejaVu Sans", "Noto Sans CJK SC", "Noto Serif CJK SC", "Libertinus Serif"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let report = select(&Fonts::default(), &families, &[]).unwrap();
        assert_eq!(report.fonts.hei, vec!["Noto Sans CJK SC"]);
        assert_eq!(report.fonts.fangsong, vec!["Noto Serif CJK SC"]);
        assert!(report.roles.iter().all(|r| r.stand_in.is_none()));
        assert_eq!(report.cjk, vec!["Noto Sans CJK SC", "Noto Serif CJK SC"]);
    }

    #[test]
    fn a_role_without_its_fonts_borrows_another_chinese_family() {
        let families = vec!["WenQuanYi Zen Hei".to_string(), "DejaVu Sans".to_string()];
        let report = select(&Fonts::default(), &families, &[]).unwrap();
        assert_eq!(report.fonts.song, vec!["WenQuanYi Zen Hei"]);
        assert_eq!(report.fonts.kai, vec!["WenQuanYi Zen Hei"]);
    }

    #[test]
    fn no_chinese_family_is_an_error_that_names_the_fix() {
        let families =
            vec!["DejaVu Sans".to_string(), "Libertinus Serif".to_string(), "New Computer Modern".to_string()];
        let err = select(&Fonts::default(), &families, &[]).unwrap_err();
        assert_eq!(err, TypstError::NoCjkFont { font_paths: vec![] });
        let text = err.to_string();
        assert!(text.contains("apt install fonts-noto-cjk") && text.contains("--font-path"), "{text}");
    }
}
