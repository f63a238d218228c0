//! A synthetic county for benchmarks: M branch folders, each with a `branch.toml` roster, and N
//! activity files spread over them, every one valid against the input contract. Each branch's
//! activities follow the calendar of the frequency rules (whole quarters up to 2025Q4, the rest
//! as extra meetings), so a branch with a quarter's worth of activities or more has no frequency
//! findings, and votes respect the quorum and the number of voters.
//!
//!   cargo run --release --example generate -- --activities 10000 --branches 200 --out target/bench/county
//!   cargo run --release --example generate -- --activities 60 --branches 3 --out /tmp/c --seed 7 --photos
//!
//! Deterministic for a seed. Layout: OUT/<NNN-branch>/branch.toml and
//! OUT/<NNN-branch>/<YYYY-MM-DD-kind[-n]>.toml (photos, with --photos, in OUT/<NNN-branch>/photos/).
//! tests/generate.rs includes this file as a module and calls `generate`.

#![allow(dead_code)]
// `*rng.pick(…)`: clippy would drop the `*`, but `pick` is generic and `&str` is then inferred as
// its item type, which does not compile.
#![allow(clippy::explicit_auto_deref)]
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::PathBuf;

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Weekday};

// `#[path]`: the same files whether this is the example's root or tests/lib.rs's module.
#[path = "generate/activity.rs"]
mod activity;
#[path = "generate/pools.rs"]
mod pools;

use activity::{q, Activity};
use pools::*;

pub struct Options {
    pub activities: usize,
    pub branches: usize,
    pub seed: u64,
    pub photos: bool,
    pub out: PathBuf,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Written {
    pub branches: usize,
    pub activities: usize,
    pub photos: usize,
    pub members: usize,
}

#[allow(unused)]
fn main() {
    let options = match parse_args(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}\nusage: generate --activities N --branches M --out DIR [--seed S] [--photos]");
            std::process::exit(2);
        }
    };
    match generate(&options) {
        Ok(w) => println!(
            "wrote {} activities in {} branches ({} members, {} photos) to {}",
            w.activities,
            w.branches,
            w.members,
            w.photos,
            options.out.display()
        ),
        Err(err) => {
            eprintln!("generate: {err}");
            std::process::exit(1);
        }
    }
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
    let (mut activities, mut branches, mut out, mut seed, mut photos) = (None, None, None, 1, false);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--activities" => {
                activities = Some(value("--activities")?.parse().map_err(|e| format!("--activities: {e}"))?)
            }
            "--branches" => branches = Some(value("--branches")?.parse().map_err(|e| format!("--branches: {e}"))?),
            "--seed" => seed = value("--seed")?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--photos" => photos = true,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let activities = activities.ok_or("--activities is required")?;
    let branches: usize = branches.ok_or("--branches is required")?;
    if branches == 0 {
        return Err("--branches must be at least 1".into());
    }
    Ok(Options { activities, branches, seed, photos, out: out.ok_or("--out is required")? })
}

/// Writes the tree. Refuses a non-empty OUT, so two runs never mix.
pub fn generate(options: &Options) -> io::Result<Written> {
    if options.out.exists() && fs::read_dir(&options.out)?.next().is_some() {
        return Err(io::Error::other(format!("{} is not empty; remove it first", options.out.display())));
    }
    let mut rng = Rng::new(options.seed);
    let mut written = Written { branches: options.branches, ..Written::default() };
    for b in 0..options.branches {
        let count = options.activities / options.branches + usize::from(b < options.activities % options.branches);
        let branch = Branch::new(&mut rng, b);
        let dir = options.out.join(&branch.folder);
        fs::create_dir_all(&dir)?;
        fs::write(dir.join("branch.toml"), branch.toml())?;
        written.members += branch.members.len();
        for plan in schedule(&mut rng, count, branch.groups.len()) {
            let mut activity = Activity::new(&mut rng, &branch, &plan);
            if options.photos && rng.chance(0.3) {
                for i in 1..=rng.range(1, 3) {
                    let file = format!("photos/{}-{i}.png", plan.stem);
                    fs::create_dir_all(dir.join("photos"))?;
                    fs::write(dir.join(&file), png(&mut rng, 64, 48))?;
                    activity.photos.push((file, rng.pick(PHOTO_CAPTIONS).to_string()));
                    written.photos += 1;
                }
            }
            fs::write(dir.join(format!("{}.toml", plan.stem)), activity.toml())?;
            written.activities += 1;
        }
    }
    Ok(written)
}

// ---------------------------------------------------------------------------------------------
// A tiny deterministic PRNG (splitmix64): no dependency, same stream on every platform.

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// 0..n
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// lo..=hi
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }

    /// k distinct items of `items`, in their original order.
    pub fn sample<T: Copy>(&mut self, items: &[T], k: usize) -> Vec<T> {
        let mut idx: Vec<usize> = (0..items.len()).collect();
        self.shuffle(&mut idx);
        idx.truncate(k.min(items.len()));
        idx.sort_unstable();
        idx.into_iter().map(|i| items[i]).collect()
    }

    fn weighted<T: Copy>(&mut self, table: &[(T, u32)]) -> T {
        let total: u32 = table.iter().map(|(_, w)| w).sum();
        let mut roll = self.below(total as usize) as u32;
        for &(item, weight) in table {
            if roll < weight {
                return item;
            }
            roll -= weight;
        }
        table[0].0
    }
}

// ---------------------------------------------------------------------------------------------
// Branches and rosters.

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林",
    "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于",
    "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆",
    "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛",
    "欧阳", "司马",
];

/// Given names: one character, two single characters, or a common two-character name.
const GIVEN_ONE: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "霞", "平",
    "刚", "俊", "婷", "鹏", "华", "红", "雪", "琳", "欣", "宇", "浩", "佳", "颖", "倩", "博", "凯", "帅", "斌", "晨",
];
const GIVEN_TWO: &[&str] = &[
    "秀英", "桂英", "建国", "建华", "志刚", "志强", "晓燕", "晓东", "海燕", "文博", "玉兰", "建军", "国庆", "春梅",
    "丽华", "子涵", "雨桐", "梓轩", "思远", "嘉怡", "海峰", "永红", "卫东", "振华", "晓峰", "亚楠", "立新", "淑珍",
];

const UNITS: &[&str] = &[
    "卫生健康局",
    "教育局",
    "财政局",
    "民政局",
    "司法局",
    "自然资源局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化和旅游局",
    "退役军人事务局",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "林业局",
    "城市管理局",
    "人力资源和社会保障局",
    "发展和改革局",
    "科学技术局",
    "工业和信息化局",
    "数据局",
    "信访局",
    "机关事务服务中心",
    "融媒体中心",
    "供销合作社",
];

const NUMERALS: &[&str] = &["零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

/// 1..=99 in Chinese numerals.
fn chinese_number(n: usize) -> String {
    match n {
        0..=10 => NUMERALS[n].to_string(),
        11..=19 => format!("十{}", NUMERALS[n % 10]),
        _ => format!("{}十{}", NUMERALS[n / 10 % 10], if n.is_multiple_of(10) { "" } else { NUMERALS[n % 10] }),
    }
}

pub struct Person {
    pub name: String,
    pub role: Option<String>,
    pub committee: bool,
    pub probationary: bool,
    pub group: usize,
    pub leader: bool,
    pub excluded: Option<&'static str>,
}

impl Person {
    fn votes(&self) -> bool {
        !self.probationary
    }
}

pub struct Branch {
    pub folder: String,
    pub name: String,
    pub short: String,
    pub parent: String,
    pub unit: &'static str,
    pub members: Vec<Person>,
    pub groups: Vec<String>,
}

const COMMITTEE_ROLES: &[&str] = &["书记", "组织委员", "宣传委员", "副书记", "纪检委员", "青年委员", "统战委员"];
const EXCLUSIONS: &[&str] = &["长期病休", "长期出国（境）学习", "外派援疆工作", "因病长期住院"];

impl Branch {
    fn new(rng: &mut Rng, index: usize) -> Branch {
        let unit = UNITS[index % UNITS.len()];
        let ordinal = chinese_number(index / UNITS.len() % 99 + 1);
        let size = rng.range(8, 40);
        let committee = match size {
            0..=14 => 3,
            15..=24 => *rng.pick(&[3, 5]),
            _ => *rng.pick(&[5, 7]),
        };
        let group_count = rng.range(2, (size / 4).clamp(2, 4));
        let mut taken = BTreeSet::new();
        let mut members: Vec<Person> = (0..size)
            .map(|i| Person {
                name: unique_name(rng, &mut taken),
                role: None,
                committee: i < committee,
                probationary: false,
                group: 0,
                leader: false,
                excluded: None,
            })
            .collect();
        // The committee's roles in the usual order of a 3-, 5- or 7-member committee.
        let roles: &[&str] = match committee {
            3 => &COMMITTEE_ROLES[..3],
            5 => &COMMITTEE_ROLES[..5],
            _ => COMMITTEE_ROLES,
        };
        for (m, role) in members.iter_mut().zip(roles) {
            m.role = Some(role.to_string());
        }
        // Groups: everyone dealt round-robin in a shuffled order, so every group has 4 or more.
        let mut order: Vec<usize> = (0..size).collect();
        rng.shuffle(&mut order);
        for (k, &i) in order.iter().enumerate() {
            members[i].group = k % group_count;
        }
        let groups: Vec<String> = (0..group_count).map(|g| format!("第{}党小组", chinese_number(g + 1))).collect();
        for (g, _) in groups.iter().enumerate() {
            let leader = (0..size)
                .find(|&i| members[i].group == g && !members[i].committee)
                .or_else(|| (0..size).find(|&i| members[i].group == g))
                .expect("every group has members");
            members[leader].leader = true;
            if !members[leader].committee {
                members[leader].role = Some(format!("{}组长", groups[g]));
            }
        }
        // A few probationary members and maybe one approved exclusion, never on the committee
        // nor leading a group.
        let plain: Vec<usize> = (0..size).filter(|&i| !members[i].committee && !members[i].leader).collect();
        let probationary = rng.range(0, (size / 8).min(3));
        let picked = rng.sample(&plain, probationary + 1);
        for &i in &picked[..probationary.min(picked.len())] {
            members[i].probationary = true;
        }
        if picked.len() > probationary && rng.chance(0.3) {
            members[picked[probationary]].excluded = Some(*rng.pick(EXCLUSIONS));
        }
        Branch {
            folder: format!("{:03}-{unit}机关第{ordinal}党支部", index + 1),
            name: format!("中共某某县{unit}机关第{ordinal}支部委员会"),
            short: format!("{unit}机关第{ordinal}党支部"),
            parent: format!("中共某某县{unit}委员会"),
            unit,
            members,
            groups,
        }
    }

    fn toml(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "# {} 党员名册（生成的测试数据）", self.short);
        let _ = writeln!(
            s,
            "[branch]\nname   = {}\nshort  = {}\nparent = {}",
            q(&self.name),
            q(&self.short),
            q(&self.parent)
        );
        for m in &self.members {
            let _ = writeln!(s, "\n[[members]]\nname  = {}", q(&m.name));
            if let Some(role) = &m.role {
                let _ = writeln!(s, "role  = {}", q(role));
            }
            if m.committee {
                s.push_str("committee = true\n");
            }
            if m.probationary {
                s.push_str("status = \"预备党员\"\n");
            }
            let _ = writeln!(s, "group = {}", q(&self.groups[m.group]));
            if m.leader {
                s.push_str("group_leader = true\n");
            }
            if let Some(reason) = m.excluded {
                let _ = writeln!(s, "excluded = {}", q(reason));
            }
        }
        s
    }

    fn secretary(&self) -> usize {
        0
    }
}

fn unique_name(rng: &mut Rng, taken: &mut BTreeSet<String>) -> String {
    loop {
        let mut name = rng.pick(SURNAMES).to_string();
        match rng.below(3) {
            0 => name.push_str(*rng.pick(GIVEN_ONE)),
            1 => name.push_str(*rng.pick(GIVEN_TWO)),
            _ => {
                name.push_str(*rng.pick(GIVEN_ONE));
                name.push_str(*rng.pick(GIVEN_ONE));
            }
        }
        if taken.insert(name.clone()) {
            return name;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The calendar: which meetings a branch holds, and when.

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Congress,
    Committee,
    Group,
    Lecture,
    ThemeDay,
    OrgLife,
    Review,
    Other,
}

impl Kind {
    /// The spelling written into `kind =`, varied the way secretaries vary it.
    fn spelling(self, rng: &mut Rng) -> &'static str {
        match self {
            Kind::Congress => "支部党员大会",
            Kind::Committee => *rng.pick(&["支委会", "支委会", "支部委员会会议", "committee"]),
            Kind::Group => *rng.pick(&["党小组会", "党小组会", "group-meeting"]),
            Kind::Lecture => "党课",
            Kind::ThemeDay => "主题党日",
            Kind::OrgLife => "组织生活会",
            Kind::Review => "民主评议党员",
            Kind::Other => "其他",
        }
    }

    fn file_name(self) -> &'static str {
        match self {
            Kind::Congress => "支部党员大会",
            Kind::Committee => "支委会",
            Kind::Group => "党小组会",
            Kind::Lecture => "党课",
            Kind::ThemeDay => "主题党日",
            Kind::OrgLife => "组织生活会",
            Kind::Review => "民主评议党员",
            Kind::Other => "其他",
        }
    }
}

/// Kinds of the activities beyond what the rules ask for: extra 支委会, 党小组会 and others.
const EXTRA_WEIGHTS: &[(Kind, u32)] = &[(Kind::Committee, 3), (Kind::Other, 3), (Kind::ThemeDay, 1), (Kind::Group, 2)];

pub struct Plan {
    pub kind: Kind,
    pub date: NaiveDate,
    pub stem: String,
    /// The 党小组 of a 党小组会.
    pub group: Option<usize>,
    /// A 支委会 of this branch took place before this date.
    pub committee_before: bool,
}

/// What the frequency rules ask of one quarter (shared/spec/domain.md): every month a 支委会,
/// a 党小组会 per group and a 主题党日; every quarter a 党课 and a 支部党员大会; in the fourth
/// quarter the year's 组织生活会 and 民主评议党员. Day ranges keep the 支委会 early in the month.
/// One meeting of a quarter's plan: its month, kind, group and range of days.
type PlannedMeeting = (u32, Kind, Option<usize>, (u32, u32));

fn quarter_plan(quarter: u32, groups: usize) -> Vec<PlannedMeeting> {
    let mut plan = Vec::new();
    for m in 0..3 {
        let month = quarter * 3 + m + 1;
        plan.push((month, Kind::Committee, None, (2, 9)));
        for g in 0..groups {
            plan.push((month, Kind::Group, Some(g), (10, 24)));
        }
        plan.push((month, Kind::ThemeDay, None, (10, 26)));
    }
    plan.push((quarter * 3 + 2, Kind::Lecture, None, (10, 26)));
    plan.push((quarter * 3 + 2, Kind::Congress, None, (12, 26)));
    if quarter == 3 {
        plan.push((12, Kind::OrgLife, None, (10, 26)));
        plan.push((12, Kind::Review, None, (10, 26)));
    }
    plan
}

/// `count` activities of a branch: whole quarters that meet every frequency rule, ending with
/// 2025Q4 (so every period has ended), and the rest as extra meetings inside those quarters. A
/// branch with fewer activities than one quarter needs gets a partial quarter (and findings).
fn schedule(rng: &mut Rng, count: usize, groups: usize) -> Vec<Plan> {
    let needs = |q: u32| quarter_plan(q, groups).len();
    let mut quarters: Vec<(i32, u32)> = Vec::new();
    let (mut year, mut q, mut total) = (2025, 3u32, 0);
    while quarters.is_empty() || total + needs(q) <= count {
        total += needs(q);
        quarters.push((year, q));
        (year, q) = if q == 0 { (year - 1, 3) } else { (year, q - 1) };
    }
    quarters.reverse();
    let day = |rng: &mut Rng, year: i32, month: u32, (lo, hi): (u32, u32)| {
        let date =
            NaiveDate::from_ymd_opt(year, month, rng.range(lo as usize, hi as usize) as u32).expect("valid date");
        // Meetings are held on working days.
        match date.weekday() {
            Weekday::Sat => date - Duration::days(1),
            Weekday::Sun => date + Duration::days(1),
            _ => date,
        }
    };
    let mut plans: Vec<(NaiveDate, Kind, Option<usize>)> = Vec::new();
    for &(year, q) in &quarters {
        for (month, kind, group, days) in quarter_plan(q, groups) {
            plans.push((day(rng, year, month, days), kind, group));
        }
    }
    plans.truncate(count);
    while plans.len() < count {
        let (year, q) = *rng.pick(&quarters);
        let kind = rng.weighted(EXTRA_WEIGHTS);
        let group = (kind == Kind::Group).then(|| rng.below(groups));
        let month = q * 3 + rng.range(1, 3) as u32;
        plans.push((day(rng, year, month, (3, 26)), kind, group));
    }
    plans.sort_by_key(|&(date, kind, group)| (date, kind != Kind::Committee, group));

    let mut stems = BTreeSet::new();
    let mut first_committee: Option<NaiveDate> = None;
    plans
        .into_iter()
        .map(|(date, kind, group)| {
            let base = format!("{}-{}", date.format("%Y-%m-%d"), kind.file_name());
            let mut stem = base.clone();
            let mut n = 2;
            while !stems.insert(stem.clone()) {
                stem = format!("{base}-{n}");
                n += 1;
            }
            let committee_before = first_committee.is_some_and(|d| d < date);
            if kind == Kind::Committee && first_committee.is_none() {
                first_committee = Some(date);
            }
            Plan { kind, date, stem, group, committee_before }
        })
        .collect()
}
