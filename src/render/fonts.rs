//! The font fallback lists of the templates, per role.

use serde::Serialize;

/// Font fallback lists per role; the first family that exists is used.
///
/// When pdb compiles PDFs it keeps only the families typst reports (`typst fonts`), so the
/// templates name no missing font; see `crate::typst::fonts::select`.
#[derive(Debug, Clone, Serialize)]
pub struct Fonts {
    pub fangsong: Vec<String>,
    pub song: Vec<String>,
    pub hei: Vec<String>,
    pub kai: Vec<String>,
    /// 小标宋 for titles; Noto Serif CJK in bold stands in for it on Linux.
    pub title: Vec<String>,
}

impl Default for Fonts {
    /// Windows, macOS and Linux (fonts-noto-cjk, Source Han, AR PL, WenQuanYi) names for each role.
    fn default() -> Self {
        let list = |names: &[&str]| names.iter().map(|s| s.to_string()).collect();
        Fonts {
            fangsong: list(&["FangSong", "FangSong_GB2312", "STFangsong", "Noto Serif CJK SC", "Source Han Serif SC"]),
            song: list(&[
                "SimSun",
                "STSong",
                "Songti SC",
                "Noto Serif CJK SC",
                "Source Han Serif SC",
                "AR PL UMing CN",
            ]),
            hei: list(&[
                "SimHei",
                "STHeiti",
                "Heiti SC",
                "Noto Sans CJK SC",
                "Source Han Sans SC",
                "WenQuanYi Zen Hei",
            ]),
            kai: list(&[
                "KaiTi",
                "KaiTi_GB2312",
                "STKaiti",
                "Kaiti SC",
                "AR PL UKai CN",
                "Noto Serif CJK SC",
                "Source Han Serif SC",
            ]),
            title: list(&[
                "FZXiaoBiaoSong-B05S",
                "STZhongsong",
                "Songti SC",
                "SimHei",
                "Noto Serif CJK SC",
                "Source Han Serif SC",
            ]),
        }
    }
}

impl Fonts {
    /// The roles with their Chinese names, in the order `pdb doctor` lists them.
    pub fn roles(&self) -> [(&'static str, &[String]); 5] {
        [
            ("仿宋", &self.fangsong),
            ("宋体", &self.song),
            ("黑体", &self.hei),
            ("楷体", &self.kai),
            ("标题", &self.title),
        ]
    }

    /// Builds the lists role by role, by the Chinese names of [`Fonts::roles`].
    pub fn from_roles(mut list: impl FnMut(&'static str) -> Vec<String>) -> Fonts {
        Fonts {
            fangsong: list("仿宋"), song: list("宋体"), hei: list("黑体"), kai: list("楷体"), title: list("标题")
        }
    }
}
