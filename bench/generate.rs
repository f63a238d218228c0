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

// ---------------------------------------------------------------------------------------------
// One activity.

struct Agenda {
    title: String,
    presenter: Option<String>,
    notes: Option<String>,
    speeches: Vec<(String, String)>,
}

struct Decision {
    text: String,
    agenda: Option<usize>,
    kind: Option<&'static str>,
    votes: Option<(usize, usize, usize)>,
}

struct Activity {
    kind: &'static str,
    title: Option<String>,
    date: NaiveDate,
    start: NaiveTime,
    end: Option<NaiveTime>,
    location: String,
    host: String,
    recorder: String,
    group: Option<String>,
    theme: Option<String>,
    lecturer: Option<String>,
    notice_date: Option<NaiveDate>,
    absent: Vec<(String, &'static str)>,
    present: Option<Vec<String>>,
    guests: Vec<(String, String)>,
    agenda: Vec<Agenda>,
    decisions: Vec<Decision>,
    photos: Vec<(String, String)>,
    summary: Option<String>,
    reflections: Vec<(String, String)>,
}

/// Smallest n with n > base/2 (the contract's "more than half").
fn more_than_half(base: usize) -> usize {
    base / 2 + 1
}

fn more_than_four_fifths(base: usize) -> usize {
    base * 4 / 5 + 1
}

impl Activity {
    fn new(rng: &mut Rng, branch: &Branch, plan: &Plan) -> Activity {
        let members = &branch.members;
        let group = plan.group;
        let expected: Vec<usize> = (0..members.len())
            .filter(|&i| members[i].excluded.is_none())
            .filter(|&i| match plan.kind {
                Kind::Committee => members[i].committee,
                Kind::Group => Some(members[i].group) == group,
                _ => true,
            })
            .collect();

        // Host and recorder: the secretary and the 组织委员, or a group's leader and a member.
        let (host, recorder) = match plan.kind {
            Kind::Group => {
                let g = group.expect("group meeting");
                let leader =
                    *expected.iter().find(|&&i| members[i].leader && members[i].group == g).unwrap_or(&expected[0]);
                let others: Vec<usize> = expected.iter().copied().filter(|&i| i != leader).collect();
                (leader, *rng.pick(&others))
            }
            Kind::Lecture | Kind::ThemeDay if rng.chance(0.4) => (*rng.pick(&[1, 2]), 2 - usize::from(rng.chance(0.5))),
            _ => (branch.secretary(), *rng.pick(&[1, 2])),
        };
        let recorder = if recorder == host {
            if host == 1 {
                2
            } else {
                1
            }
        } else {
            recorder
        };

        // Decisions at a 大会 may need an election's 4/5 quorum; decide that before absences.
        let election = plan.kind == Kind::Congress && rng.chance(0.05);
        let admission = plan.kind == Kind::Congress && plan.committee_before && rng.chance(0.4);
        let probationary: Vec<usize> = expected.iter().copied().filter(|&i| members[i].probationary).collect();
        let confirmation =
            plan.kind == Kind::Congress && plan.committee_before && !probationary.is_empty() && rng.chance(0.3);
        let confirmed = confirmation.then(|| *rng.pick(&probationary));

        // Absences: a few, never the host, recorder or the member being confirmed, and never so
        // many that a vote would lack its quorum or its majority.
        let guest_lecturer = plan.kind == Kind::Lecture && rng.chance(0.2);
        // The secretary usually gives the 党课, with another committee member hosting.
        let lecturer_member =
            (plan.kind == Kind::Lecture && !guest_lecturer).then(|| if host == 0 || rng.chance(0.8) { 0 } else { 1 });
        let host = if lecturer_member == Some(host) { 1 + usize::from(recorder == 1) } else { host };
        let keep = [Some(host), Some(recorder), confirmed, lecturer_member];
        let candidates: Vec<usize> = expected.iter().copied().filter(|i| !keep.contains(&Some(*i))).collect();
        let voters = |absent: &[usize]| expected.iter().filter(|i| members[**i].votes() && !absent.contains(i)).count();
        let voting_expected = voters(&[]);
        let max_absent = match plan.kind {
            Kind::Committee => expected.len() - more_than_half(expected.len()),
            Kind::Congress if election => voting_expected - more_than_four_fifths(voting_expected),
            Kind::Congress => (voting_expected - more_than_half(voting_expected)).min(4),
            _ => (expected.len() / 4).min(4),
        };
        let absent_count = if rng.chance(0.45) { 0 } else { rng.range(1, max_absent.max(1)).min(max_absent) };
        let absent: Vec<usize> = rng.sample(&candidates, absent_count);
        let present: Vec<usize> = expected.iter().copied().filter(|i| !absent.contains(i)).collect();
        let voting_present = voters(&absent);

        let mut guests = Vec::new();
        let applicant = admission.then(|| {
            let mut taken: BTreeSet<String> = members.iter().map(|m| m.name.clone()).collect();
            let name = unique_name(rng, &mut taken);
            guests.push((name.clone(), "入党申请人（发展对象）".to_string()));
            name
        });
        if matches!(plan.kind, Kind::Congress | Kind::OrgLife) && rng.chance(0.3) {
            let mut taken: BTreeSet<String> = members.iter().map(|m| m.name.clone()).collect();
            guests.push((unique_name(rng, &mut taken), format!("中共某某县{}委员会委员", branch.unit)));
        }
        if guest_lecturer {
            let mut taken: BTreeSet<String> = members.iter().map(|m| m.name.clone()).collect();
            guests.push((unique_name(rng, &mut taken), "县委党校讲师".to_string()));
        }

        let name = |i: usize| members[i].name.clone();
        let speaker = |rng: &mut Rng| name(*rng.pick(&present));
        let (titles, themes) = pools(plan.kind);
        let theme = (!themes.is_empty()).then(|| rng.pick(themes).to_string());
        let lecturer = match lecturer_member {
            Some(i) => Some(name(i)),
            None if guest_lecturer => Some(guests.last().expect("guest lecturer").0.clone()),
            None => None,
        };

        // Agenda: kind-specific items, with presenters and speeches from those present.
        let items = rng.range(2, titles.len().min(4));
        let mut agenda: Vec<Agenda> = rng
            .sample(titles, items)
            .into_iter()
            .map(|title| {
                let presenter = rng.chance(0.75).then(|| speaker(rng));
                let notes = rng
                    .chance(0.6)
                    .then(|| format!("{}同志{}", presenter.clone().unwrap_or_else(|| name(host)), rng.pick(NOTES)));
                let speeches = (0..rng.range(0, 3)).map(|_| (speaker(rng), speech(rng))).collect();
                Agenda { title: title.to_string(), presenter, notes, speeches }
            })
            .collect();
        if let Some(lecturer) = &lecturer {
            agenda.insert(
                0,
                Agenda {
                    title: "讲授专题党课".into(),
                    presenter: Some(lecturer.clone()),
                    notes: None,
                    speeches: vec![],
                },
            );
        }

        let mut decisions = Vec::new();
        let votes = |rng: &mut Rng, voting_present: usize, needed: usize| {
            let slack = voting_present.saturating_sub(needed);
            let no = if slack > 0 && rng.chance(0.15) { 1 } else { 0 };
            let abstain = if slack > no && rng.chance(0.2) { 1 } else { 0 };
            (voting_present - no - abstain, no, abstain)
        };
        match plan.kind {
            Kind::Committee => {
                for _ in 0..rng.range(1, 2) {
                    let text = rng.pick(COMMITTEE_DECISIONS).to_string();
                    let item = rng.below(agenda.len()) + 1;
                    let v = rng.chance(0.7).then(|| votes(rng, voting_present, more_than_half(expected.len())));
                    decisions.push(Decision { text, agenda: Some(item), kind: None, votes: v });
                }
            }
            Kind::Congress => {
                let needed = more_than_half(voting_expected);
                if let Some(applicant) = &applicant {
                    agenda.push(Agenda {
                        title: format!("讨论并表决接收{applicant}同志为预备党员"),
                        presenter: Some(applicant.clone()),
                        notes: Some(format!("{applicant}同志汇报了对党的认识、入党动机和个人有关情况。")),
                        speeches: vec![(speaker(rng), speech(rng))],
                    });
                    decisions.push(Decision {
                        text: format!("同意接收{applicant}同志为中共预备党员，报上级党委审批"),
                        agenda: Some(agenda.len()),
                        kind: Some(*rng.pick(&["admission", "接收预备党员"])),
                        votes: Some(votes(rng, voting_present, needed)),
                    });
                }
                if let Some(i) = confirmed {
                    agenda.push(Agenda {
                        title: format!("讨论并表决{}同志预备期满转为正式党员", name(i)),
                        presenter: Some(name(i)),
                        notes: Some(format!("{}同志汇报了预备期内的思想、学习、工作情况。", name(i))),
                        speeches: vec![],
                    });
                    decisions.push(Decision {
                        text: format!("同意{}同志按期转为中共正式党员，报上级党委审批", name(i)),
                        agenda: Some(agenda.len()),
                        kind: Some(*rng.pick(&["confirmation", "预备党员转正"])),
                        votes: Some(votes(rng, voting_present, needed)),
                    });
                }
                if election {
                    agenda.push(Agenda {
                        title: "选举产生新一届支部委员会".into(),
                        presenter: Some(name(0)),
                        notes: None,
                        speeches: vec![],
                    });
                    decisions.push(Decision {
                        text: "选举产生新一届支部委员会委员".into(),
                        agenda: Some(agenda.len()),
                        kind: Some("election"),
                        votes: Some(votes(rng, voting_present, more_than_half(voting_present))),
                    });
                }
                if decisions.is_empty() || rng.chance(0.3) {
                    decisions.push(Decision {
                        text: rng.pick(CONGRESS_DECISIONS).to_string(),
                        agenda: Some(rng.below(agenda.len()) + 1),
                        kind: None,
                        votes: rng.chance(0.8).then(|| votes(rng, voting_present, needed)),
                    });
                }
            }
            Kind::Review => decisions.push(Decision {
                text: format!("评定{}名同志为优秀党员，其余同志为合格党员", rng.range(1, 3)),
                agenda: None,
                kind: None,
                votes: None,
            }),
            _ => {}
        }

        let date = plan.date;
        let start = *rng.pick(&[(8, 30), (9, 0), (14, 30), (15, 0), (16, 0)]);
        let start = NaiveTime::from_hms_opt(start.0, start.1, 0).expect("valid time");
        let end = rng.chance(0.85).then(|| start + Duration::minutes(rng.range(4, 10) as i64 * 15));
        let notice_date = rng.chance(0.5).then(|| date - Duration::days(rng.range(1, 7) as i64));
        let explicit_present = rng.chance(0.1).then(|| present.iter().map(|&i| name(i)).collect());
        let summary = rng.chance(0.5).then(|| {
            let held = match plan.kind {
                Kind::Lecture => "举办党课".to_string(),
                Kind::ThemeDay => "开展主题党日活动".to_string(),
                Kind::Other => "开展党建业务学习".to_string(),
                kind => format!("召开{}", kind.file_name()),
            };
            format!(
                "{}，{}{held}。应到{}名，实到{}名。{}",
                chinese_date(date),
                branch.short,
                expected.len(),
                present.len(),
                rng.pick(SUMMARY_TAILS)
            )
        });
        let reflections = if matches!(plan.kind, Kind::Lecture | Kind::ThemeDay | Kind::OrgLife) && rng.chance(0.3) {
            let authors = rng.range(1, 3);
            rng.sample(&present, authors).into_iter().map(|i| (name(i), rng.pick(REFLECTIONS).to_string())).collect()
        } else {
            Vec::new()
        };
        let title = rng.chance(0.7).then(|| match (plan.kind, &theme, group) {
            (_, Some(theme), _) => format!("{}：{theme}", plan.kind.file_name()),
            (_, None, Some(g)) => format!("{}{}年{}月党小组会", branch.groups[g], date.year(), date.month()),
            _ => format!("{}{}年{}月{}", branch.short, date.year(), date.month(), plan.kind.file_name()),
        });

        Activity {
            kind: plan.kind.spelling(rng),
            title,
            date,
            start,
            end,
            location: format!("县{}{}", branch.unit, rng.pick(ROOMS)),
            host: name(host),
            recorder: name(recorder),
            group: group.map(|g| branch.groups[g].clone()),
            theme,
            lecturer,
            notice_date,
            absent: absent.iter().map(|&i| (name(i), *rng.pick(ABSENCE_REASONS))).collect(),
            present: explicit_present,
            guests,
            agenda,
            decisions,
            photos: Vec::new(),
            summary,
            reflections,
        }
    }

    fn toml(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "kind     = {}", q(self.kind));
        if let Some(title) = &self.title {
            let _ = writeln!(s, "title    = {}", q(title));
        }
        let _ = writeln!(s, "date     = {}", self.date.format("%Y-%m-%d"));
        let _ = writeln!(s, "start    = {}", self.start.format("%H:%M:%S"));
        if let Some(end) = self.end {
            let _ = writeln!(s, "end      = {}", end.format("%H:%M:%S"));
        }
        let _ = writeln!(s, "location = {}", q(&self.location));
        let _ = writeln!(s, "host     = {}", q(&self.host));
        let _ = writeln!(s, "recorder = {}", q(&self.recorder));
        if let Some(group) = &self.group {
            let _ = writeln!(s, "group    = {}", q(group));
        }
        if let Some(theme) = &self.theme {
            let _ = writeln!(s, "theme    = {}", q(theme));
        }
        if let Some(lecturer) = &self.lecturer {
            let _ = writeln!(s, "lecturer = {}", q(lecturer));
        }
        if let Some(notice) = self.notice_date {
            let _ = writeln!(s, "notice_date = {}", notice.format("%Y-%m-%d"));
        }
        s.push_str("\n[attendance]\nabsent = [");
        for (i, (name, reason)) in self.absent.iter().enumerate() {
            let sep = if i == 0 { "" } else { "," };
            let _ = write!(s, "{sep}\n  {{ name = {}, reason = {} }}", q(name), q(reason));
        }
        s.push_str(if self.absent.is_empty() { "]\n" } else { ",\n]\n" });
        if let Some(present) = &self.present {
            let names: Vec<String> = present.iter().map(|n| q(n)).collect();
            let _ = writeln!(s, "present = [ {} ]", names.join(", "));
        }
        if !self.guests.is_empty() {
            let guests: Vec<String> =
                self.guests.iter().map(|(n, t)| format!("{{ name = {}, title = {} }}", q(n), q(t))).collect();
            let _ = writeln!(s, "guests = [ {} ]", guests.join(", "));
        }
        for item in &self.agenda {
            let _ = writeln!(s, "\n[[agenda]]\ntitle     = {}", q(&item.title));
            if let Some(p) = &item.presenter {
                let _ = writeln!(s, "presenter = {}", q(p));
            }
            if let Some(notes) = &item.notes {
                let _ = writeln!(s, "notes     = {}", q(notes));
            }
            if !item.speeches.is_empty() {
                s.push_str("speeches  = [\n");
                for (speaker, text) in &item.speeches {
                    let _ = writeln!(s, "  {{ speaker = {}, text = {} }},", q(speaker), q(text));
                }
                s.push_str("]\n");
            }
        }
        for d in &self.decisions {
            let _ = writeln!(s, "\n[[decisions]]\ntext   = {}", q(&d.text));
            if let Some(a) = d.agenda {
                let _ = writeln!(s, "agenda = {a}");
            }
            if let Some(kind) = d.kind {
                let _ = writeln!(s, "kind   = {}", q(kind));
            }
            if let Some((yes, no, abstain)) = d.votes {
                let _ = writeln!(s, "votes  = {{ yes = {yes}, no = {no}, abstain = {abstain} }}");
            }
        }
        for (file, caption) in &self.photos {
            let _ = writeln!(s, "\n[[photos]]\nfile    = {}\ncaption = {}", q(file), q(caption));
        }
        if let Some(text) = &self.summary {
            let _ = writeln!(s, "\n[summary]\ntext = {}", q(text));
        }
        for (author, text) in &self.reflections {
            let _ = writeln!(s, "\n[[reflections]]\nauthor = {}\ntext   = {}", q(author), q(text));
        }
        s
    }
}

/// A TOML basic string.
fn q(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn chinese_date(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

fn speech(rng: &mut Rng) -> String {
    let first = rng.pick(SPEECHES);
    let second = rng.pick(SPEECHES);
    if first == second {
        first.to_string()
    } else {
        format!("{first}{second}")
    }
}

// ---------------------------------------------------------------------------------------------
// Text pools.

fn pools(kind: Kind) -> (&'static [&'static str], &'static [&'static str]) {
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

const COMMITTEE_ITEMS: &[&str] = &[
    "传达学习上级党委党建工作部署",
    "研究本月“三会一课”安排",
    "研究入党积极分子培养考察情况",
    "研究党费收缴和使用情况",
    "研究意识形态工作",
    "研究党风廉政建设工作",
    "研究下阶段支部工作安排",
    "通报党员队伍思想动态",
];

const CONGRESS_ITEMS: &[&str] = &[
    "传达学习上级会议精神",
    "支部委员会报告上半年工作",
    "通报党费收缴情况",
    "学习《中国共产党支部工作条例（试行）》",
    "讨论支部年度工作计划",
];

const GROUP_ITEMS: &[&str] = &[
    "学习党的二十届四中全会精神",
    "结合岗位交流学习体会",
    "通报党员思想动态和小组工作",
    "学习《中国共产党纪律处分条例》",
    "开展谈心谈话情况交流",
    "研究小组党员联系群众工作",
];

const LECTURE_ITEMS: &[&str] = &["交流学习体会", "布置下阶段学习任务", "开展学习测试"];

const LECTURE_THEMES: &[&str] = &[
    "深入学习贯彻党的二十届四中全会精神",
    "弘扬伟大建党精神 勇担新时代使命",
    "加强作风建设 提升服务群众能力",
    "学纪知纪明纪守纪",
    "以高质量党建引领业务工作高质量发展",
];

const THEME_DAY_ITEMS: &[&str] = &[
    "重温入党誓词",
    "集中学习习近平总书记重要讲话精神",
    "开展志愿服务活动",
    "参观红色教育基地",
    "交流学习心得",
    "缴纳党费",
];

const THEME_DAY_THEMES: &[&str] = &[
    "重温入党誓词 牢记初心使命",
    "党员志愿服务进社区",
    "传承红色基因 赓续精神血脉",
    "学习身边榜样 争做先锋模范",
    "我为群众办实事",
];

const ORG_LIFE_ITEMS: &[&str] = &[
    "通报上年度组织生活会查摆问题整改情况",
    "支部书记代表支部委员会进行对照检查",
    "党员逐一开展批评和自我批评",
    "上级党组织领导点评",
];

const ORG_LIFE_THEMES: &[&str] =
    &["深入学习贯彻党的创新理论 以学促干担当作为", "对照党章党规找差距", "强化政治引领 推动工作落实"];

const REVIEW_ITEMS: &[&str] = &["党员个人自评", "党员互评", "开展民主测评", "支部委员会综合评定"];

const OTHER_ITEMS: &[&str] = &["开展党建业务培训", "学习党务工作规范", "交流支部工作经验"];

const COMMITTEE_DECISIONS: &[&str] = &[
    "原则通过本月“三会一课”安排，由组织委员负责落实",
    "同意将入党积极分子列为发展对象，报上级党委备案",
    "同意召开支部党员大会，讨论有关事项",
    "原则通过下阶段支部工作安排",
    "同意本季度党费收缴情况报告",
];

const CONGRESS_DECISIONS: &[&str] =
    &["通过支部委员会上半年工作报告", "通过支部年度工作计划", "同意本年度党费收缴和使用情况报告"];

const NOTES: &[&str] = &[
    "传达了上级党委有关会议精神，结合本单位工作提出了具体要求。",
    "领学了有关内容，重点学习了关于加强基层党组织建设的论述。",
    "汇报了有关工作进展情况，提出了下一步工作打算。",
    "通报了近期党员思想动态和工作开展情况。",
    "结合本单位实际，对落实工作作了具体部署。",
];

const SPEECHES: &[&str] = &[
    "要把学习成果转化为推动工作的实际成效。",
    "我完全同意，建议尽快细化分工、明确时限。",
    "要坚持问题导向，对照要求查找差距。",
    "作为党员要在本职岗位上带好头、作表率。",
    "建议加强与基层单位的沟通，多听群众意见。",
    "我们小组将认真抓好落实，按时报送进展。",
    "要把纪律规矩挺在前面，守住廉洁底线。",
    "这次学习很有收获，我会在工作中继续深化。",
];

const SUMMARY_TAILS: &[&str] = &[
    "会议达到了预期目的，与会党员表示将把会议精神落实到具体工作中。",
    "会后，支部将按照会议安排抓好各项任务落实。",
    "通过本次活动，党员进一步增强了责任意识和宗旨意识。",
];

const REFLECTIONS: &[&str] = &[
    "通过这次学习，我对党的创新理论有了更深的理解，今后要在本职工作中学用结合。",
    "参加这次活动，我深受教育，要以先进典型为榜样，立足岗位作贡献。",
    "对照检查，我在理论学习上还不够系统，今后要制定学习计划并认真落实。",
];

const ABSENCE_REASONS: &[&str] =
    &["出差", "病假", "事假", "下乡督导", "外出培训", "参加县里集中学习", "值班", "陪护家人住院", "公休假"];

const ROOMS: &[&str] = &["三楼会议室", "党员活动室", "二楼小会议室", "四楼会议室", "一楼多功能厅"];

const PHOTO_CAPTIONS: &[&str] = &["会议现场", "支部书记讲话", "党员交流发言", "集体重温入党誓词", "志愿服务现场"];

// ---------------------------------------------------------------------------------------------
// A small valid PNG (RGB, a two-colour gradient) with uncompressed deflate blocks.

fn png(rng: &mut Rng, width: u32, height: u32) -> Vec<u8> {
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

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= byte as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in bytes {
        a = (a + byte as u32) % 65521;
        b = (b + a) % 65521;
    }
    (b << 16) | a
}
