//! The text pools the activities draw from, and a small valid PNG for `--photos`.

use super::*;

// ---------------------------------------------------------------------------------------------
// Text pools.

pub(super) fn pools(kind: Kind) -> (&'static [&'static str], &'static [&'static str]) {
    match kind {
        Kind::Committee => (COMMITTEE_ITEMS, &[]),
        Kind::Congress => (CONGRESS_ITEMS, &[]),
        Kind::Group => (GROUP_ITEMS, &[]),
        Kind::Lecture => (LECTURE_ITEMS, LECTURE_THEMES),
        Kind::ThemeDay => (THEME_DAY_ITEMS, THEME_DAY_THEMES),
        Kind::OrgLife => (ORG_LIFE_ITEMS, ORG_LIFE_THEMES),
        Kind::Review => (REVIEW_ITEMS, &[]),
        Kind::Other => (OTHER_ITEMS, &[]),
    }
}

pub(super) const COMMITTEE_ITEMS: &[&str] = &[
    "传达学习上级党委党建工作部署",
    "研究本月“三会一课”安排",
    "研究入党积极分子培养考察情况",
    "研究党费收缴和使用情况",
    "研究意识形态工作",
    "研究党风廉政建设工作",
    "研究下阶段支部工作安排",
    "通报党员队伍思想动态",
];

pub(super) const CONGRESS_ITEMS: &[&str] = &[
    "传达学习上级会议精神",
    "支部委员会报告上半年工作",
    "通报党费收缴情况",
    "学习《中国共产党支部工作条例（试行）》",
    "讨论支部年度工作计划",
];

pub(super) const GROUP_ITEMS: &[&str] = &[
    "学习党的二十届四中全会精神",
    "结合岗位交流学习体会",
    "通报党员思想动态和小组工作",
    "学习《中国共产党纪律处分条例》",
    "开展谈心谈话情况交流",
    "研究小组党员联系群众工作",
];

pub(super) const LECTURE_ITEMS: &[&str] = &["交流学习体会", "布置下阶段学习任务", "开展学习测试"];

pub(super) const LECTURE_THEMES: &[&str] = &[
    "深入学习贯彻党的二十届四中全会精神",
    "弘扬伟大建党精神 勇担新时代使命",
    "加强作风建设 提升服务群众能力",
    "学纪知纪明纪守纪",
    "以高质量党建引领业务工作高质量发展",
];

pub(super) const THEME_DAY_ITEMS: &[&str] = &[
    "重温入党誓词",
    "集中学习习近平总书记重要讲话精神",
    "开展志愿服务活动",
    "参观红色教育基地",
    "交流学习心得",
    "缴纳党费",
];

pub(super) const THEME_DAY_THEMES: &[&str] = &[
    "重温入党誓词 牢记初心使命",
    "党员志愿服务进社区",
    "传承红色基因 赓续精神血脉",
    "学习身边榜样 争做先锋模范",
    "我为群众办实事",
];

pub(super) const ORG_LIFE_ITEMS: &[&str] = &[
    "通报上年度组织生活会查摆问题整改情况",
    "支部书记代表支部委员会进行对照检查",
    "党员逐一开展批评和自我批评",
    "上级党组织领导点评",
];

pub(super) const ORG_LIFE_THEMES: &[&str] =
    &["深入学习贯彻党的创新理论 以学促干担当作为", "对照党章党规找差距", "强化政治引领 推动工作落实"];

pub(super) const REVIEW_ITEMS: &[&str] = &["党员个人自评", "党员互评", "开展民主测评", "支部委员会综合评定"];

pub(super) const OTHER_ITEMS: &[&str] = &["开展党建业务培训", "学习党务工作规范", "交流支部工作经验"];

pub(super) const COMMITTEE_DECISIONS: &[&str] = &[
    "原则通过本月“三会一课”安排，由组织委员负责落实",
    "同意将入党积极分子列为发展对象，报上级党委备案",
    "同意召开支部党员大会，讨论有关事项",
    "原则通过下阶段支部工作安排",
    "同意本季度党费收缴情况报告",
];

pub(super) const CONGRESS_DECISIONS: &[&str] =
    &["通过支部委员会上半年工作报告", "通过支部年度工作计划", "同意本年度党费收缴和使用情况报告"];

pub(super) const NOTES: &[&str] = &[
    "传达了上级党委有关会议精神，结合本单位工作提出了具体要求。",
    "领学了有关内容，重点学习了关于加强基层党组织建设的论述。",
    "汇报了有关工作进展情况，提出了下一步工作打算。",
    "通报了近期党员思想动态和工作开展情况。",
    "结合本单位实际，对落实工作作了具体部署。",
];

pub(super) const SPEECHES: &[&str] = &[
    "要把学习成果转化为推动工作的实际成效。",
    "我完全同意，建议尽快细化分工、明确时限。",
    "要坚持问题导向，对照要求查找差距。",
    "作为党员要在本职岗位上带好头、作表率。",
    "建议加强与基层单位的沟通，多听群众意见。",
    "我们小组将认真抓好落实，按时报送进展。",
    "要把纪律规矩挺在前面，守住廉洁底线。",
    "这次学习很有收获，我会在工作中继续深化。",
];

pub(super) const SUMMARY_TAILS: &[&str] = &[
    "会议达到了预期目的，与会党员表示将把会议精神落实到具体工作中。",
    "会后，支部将按照会议安排抓好各项任务落实。",
    "通过本次活动，党员进一步增强了责任意识和宗旨意识。",
];

pub(super) const REFLECTIONS: &[&str] = &[
    "通过这次学习，我对党的创新理论有了更深的理解，今后要在本职工作中学用结合。",
    "参加这次活动，我深受教育，要以先进典型为榜样，立足岗位作贡献。",
    "对照检查，我在理论学习上还不够系统，今后要制定学习计划并认真落实。",
];

pub(super) const ABSENCE_REASONS: &[&str] =
    &["出差", "病假", "事假", "下乡督导", "外出培训", "参加县里集中学习", "值班", "陪护家人住院", "公休假"];

pub(super) const ROOMS: &[&str] = &["三楼会议室", "党员活动室", "二楼小会议室", "四楼会议室", "一楼多功能厅"];

pub(super) const PHOTO_CAPTIONS: &[&str] =
    &["会议现场", "支部书记讲话", "党员交流发言", "集体重温入党誓词", "志愿服务现场"];

// ---------------------------------------------------------------------------------------------
// A small valid PNG (RGB, a two-colour gradient) with uncompressed deflate blocks.

pub(super) fn png(rng: &mut Rng, width: u32, height: u32) -> Vec<u8> {
    let (a, b) = ([rng.below(256) as u8, rng.below(256) as u8, 200], [30, rng.below(256) as u8, rng.below(256) as u8]);
    let mut raw = Vec::with_capacity(((width * 3 + 1) * height) as usize);
    for y in 0..height {
        raw.push(0); // filter: none
        for x in 0..width {
            let t = (x + y) * 255 / (width + height);
            for c in 0..3 {
                raw.push(((a[c] as u32 * (255 - t) + b[c] as u32 * t) / 255) as u8);
            }
        }
    }
    let mut zlib = vec![0x78, 0x01];
    let chunks: Vec<&[u8]> = raw.chunks(65535).collect();
    for (i, block) in chunks.iter().enumerate() {
        zlib.push(u8::from(i + 1 == chunks.len()));
        let len = block.len() as u16;
        zlib.extend_from_slice(&len.to_le_bytes());
        zlib.extend_from_slice(&(!len).to_le_bytes());
        zlib.extend_from_slice(block);
    }
    zlib.extend_from_slice(&adler32(&raw).to_be_bytes());

    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &zlib);
    chunk(&mut out, b"IEND", &[]);
    out
}

pub(super) fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

pub(super) fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= byte as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

pub(super) fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in bytes {
        a = (a + byte as u32) % 65521;
        b = (b + a) % 65521;
    }
    (b << 16) | a
}
