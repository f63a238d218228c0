//! The view model of an applicant's documents: the 发展党员全程纪实表 and the three 公示. Every
//! date is written out, every missing fact is a blank, and the 公示 text says only what the record
//! holds. The fields are documented in templates/README.md.

use serde::Serialize;

use super::extra::json_table;
use super::Fonts;
use crate::model::Date;
use crate::record::applicant::ApplicantRecord;
use crate::rules::calendar::Calendar;
use crate::rules::development::{State, Step, STAGES};
use crate::text::numeral;
use crate::text::BLANK;

/// The documents of one applicant, in output order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplicantDocument {
    Record,
    CandidatePublicity,
    AdmissionPublicity,
    ProbationPublicity,
}

impl ApplicantDocument {
    pub const ALL: [ApplicantDocument; 4] = [
        ApplicantDocument::Record,
        ApplicantDocument::CandidatePublicity,
        ApplicantDocument::AdmissionPublicity,
        ApplicantDocument::ProbationPublicity,
    ];

    pub fn title(self) -> &'static str {
        match self {
            ApplicantDocument::Record => "发展党员全程纪实表",
            ApplicantDocument::CandidatePublicity => "发展对象公示",
            ApplicantDocument::AdmissionPublicity => "拟接收预备党员公示",
            ApplicantDocument::ProbationPublicity => "拟转正公示",
        }
    }

    /// `01-发展党员全程纪实表`
    pub fn stem(self) -> String {
        let n = ApplicantDocument::ALL.iter().position(|d| *d == self).expect("listed") + 1;
        format!("{n:02}-{}", self.title())
    }

    /// The template under typst/ or markdown/, without extension.
    pub fn template(self) -> &'static str {
        match self {
            ApplicantDocument::Record => "applicant/record",
            _ => "applicant/publicity",
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ApplicantView {
    pub blank: &'static str,
    /// For base.typ: the title and the file it was made from.
    pub act: ActView,
    pub branch: BranchView,
    /// branch.toml's `[extra]` overlaid by the record's.
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub person: PersonView,
    pub stages: Vec<StageView>,
    pub next: Option<StepView>,
    /// Set when rendering a 公示.
    pub notice: Option<PublicityView>,
    pub fonts: Fonts,
}

#[derive(Debug, Serialize)]
pub struct ActView {
    pub title: String,
    pub source_file: String,
}

#[derive(Debug, Serialize)]
pub struct BranchView {
    pub name: String,
    pub display: String,
    pub parent: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct PersonView {
    pub name: String,
    pub gender: Option<String>,
    pub birth_date: Option<String>,
    pub unit: Option<String>,
    /// 入党申请人, 入党积极分子, 发展对象, 预备党员, 正式党员 or 取消预备党员资格.
    pub stage: &'static str,
    /// 2024年12月2日至2025年12月1日
    pub probation: Option<String>,
    /// The day the states are judged on.
    pub today: String,
}

#[derive(Debug, Serialize)]
pub struct StageView {
    pub no: usize,
    pub numeral: String,
    pub title: &'static str,
    pub steps: Vec<StepView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StepView {
    pub no: usize,
    pub name: &'static str,
    /// The date(s), or a blank.
    pub when: String,
    pub people: String,
    pub document: String,
    /// 已完成, 待办, 逾期 or 不适用.
    pub state: &'static str,
    pub state_slug: &'static str,
    pub due: Option<String>,
    /// 最早 2025年4月8日: the earliest day a rule allows.
    pub earliest: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct PublicityView {
    /// 发展对象公示, 拟接收预备党员公示, 拟转正公示
    pub title: String,
    /// The paragraphs of the body, facts only.
    pub paragraphs: Vec<String>,
    pub from: String,
    pub to: String,
    pub working_days: u32,
    pub contact: String,
    pub phone: String,
    pub address: Option<String>,
    /// The branch's full name.
    pub signer: String,
    /// The first day of the publicity: the notice's date.
    pub date: String,
}

fn when(step: &Step) -> String {
    let dates: Vec<String> = step.when.iter().map(|d| Date(*d).chinese()).collect();
    match (dates.len(), step.is_span) {
        (0, _) => BLANK.to_string(),
        (2, true) => format!("{}至{}", dates[0], dates[1]),
        _ => dates.join("、"),
    }
}

fn step_view(no: usize, step: &Step) -> StepView {
    StepView {
        no,
        name: step.name,
        when: when(step),
        people: step.people.clone().unwrap_or_else(|| BLANK.to_string()),
        document: step.document.clone(),
        state: step.state.chinese(),
        state_slug: match step.state {
            State::Done => "done",
            State::Todo(_) => "todo",
            State::Overdue(_) => "overdue",
            State::NotApplicable => "n-a",
        },
        due: step.state.due().map(|d| Date(d).chinese()),
        earliest: step.earliest.map(|d| Date(d).chinese()),
    }
}

impl ApplicantView {
    pub fn new(record: &ApplicantRecord, document: ApplicantDocument, fonts: Fonts) -> ApplicantView {
        let file = &record.file;
        let info = &record.branch.file.branch;
        let name = record.name().to_string();
        let mut extra = json_table(&record.branch.file.extra);
        extra.extend(json_table(&file.extra));
        let mut no = 0;
        let stages = STAGES
            .iter()
            .enumerate()
            .map(|(i, title)| StageView {
                no: i + 1,
                numeral: numeral(i + 1),
                title,
                steps: record
                    .steps
                    .iter()
                    .filter(|s| usize::from(s.stage) == i + 1)
                    .map(|s| {
                        no += 1;
                        step_view(no, s)
                    })
                    .collect(),
            })
            .collect();
        let next = crate::rules::development::next_step(&record.steps).map(|s| step_view(0, s));
        let notice = publicity(record, document, &record.calendar, &extra);
        ApplicantView {
            blank: BLANK,
            act: ActView {
                title: format!("{name}同志{}", document.title()),
                source_file: record.path().file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            },
            branch: BranchView {
                name: info.name.trim().to_string(),
                display: info.display_name().trim().to_string(),
                parent: info.parent.as_deref().map(str::trim).filter(|p| !p.is_empty()).map(str::to_string),
            },
            person: PersonView {
                name,
                gender: file.gender.as_deref().map(str::trim).filter(|g| !g.is_empty()).map(str::to_string),
                birth_date: file.birth_date.as_ref().map(|d| d.get_ref().chinese()),
                unit: file.unit.as_deref().map(str::trim).filter(|u| !u.is_empty()).map(str::to_string),
                stage: record.facts.stage.chinese(),
                probation: record.facts.probation.map(|p| p.chinese()),
                today: Date(record.today).chinese(),
            },
            extra,
            stages,
            next,
            notice,
            fonts,
        }
    }
}

/// Which 公示 a record can have: those whose dates are recorded.
pub fn documents(record: &ApplicantRecord) -> Vec<ApplicantDocument> {
    let f = &record.file;
    let mut out = vec![ApplicantDocument::Record];
    if f.candidate.as_ref().is_some_and(|c| c.get_ref().publicity.is_some()) {
        out.push(ApplicantDocument::CandidatePublicity);
    }
    if f.admission.as_ref().is_some_and(|a| a.get_ref().publicity.is_some()) {
        out.push(ApplicantDocument::AdmissionPublicity);
    }
    if f.probation.as_ref().is_some_and(|p| p.get_ref().publicity.is_some()) {
        out.push(ApplicantDocument::ProbationPublicity);
    }
    out
}

fn text(extra: &serde_json::Map<String, serde_json::Value>, key: &str) -> Option<String> {
    extra.get(key).and_then(|v| v.as_str()).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

fn publicity(
    record: &ApplicantRecord,
    document: ApplicantDocument,
    calendar: &Calendar,
    extra: &serde_json::Map<String, serde_json::Value>,
) -> Option<PublicityView> {
    let f = &record.file;
    let name = record.name();
    let d = |date: &Option<serde_spanned::Spanned<Date>>| date.as_ref().map(|d| d.get_ref().chinese());
    let span = match document {
        ApplicantDocument::Record => return None,
        ApplicantDocument::CandidatePublicity => f.candidate.as_ref()?.get_ref().publicity.as_ref()?.get_ref().clone(),
        ApplicantDocument::AdmissionPublicity => f.admission.as_ref()?.get_ref().publicity.as_ref()?.get_ref().clone(),
        ApplicantDocument::ProbationPublicity => f.probation.as_ref()?.get_ref().publicity.as_ref()?.get_ref().clone(),
    };
    let (from, to) = (span.from.get_ref().0, span.to.get_ref().0);
    // Who the person is: only what the record holds.
    let mut about = vec![name.to_string()];
    about.extend(f.gender.as_deref().map(str::trim).filter(|g| !g.is_empty()).map(str::to_string));
    about.extend(f.birth_date.as_ref().map(|b| format!("{}出生", b.get_ref().chinese())));
    about.extend(f.unit.as_deref().map(str::trim).filter(|u| !u.is_empty()).map(str::to_string));
    let mut history = Vec::new();
    if let Some(applied) = f.application.as_ref().and_then(|a| d(&a.get_ref().date)) {
        history.push(format!("{applied}递交入党申请书"));
    }
    if let Some(activist) = f.activist.as_ref().and_then(|a| d(&a.get_ref().date)) {
        history.push(format!("{activist}被确定为入党积极分子"));
    }
    let introducers = f.candidate.as_ref().and_then(|c| c.get_ref().introducers.as_ref()).map(|n| n.get_ref().joined());
    let mut paragraphs = Vec::new();
    let branch = record.branch.file.branch.display_name().trim().to_string();
    match document {
        ApplicantDocument::CandidatePublicity => {
            paragraphs.push(format!(
                "经{branch}委员会研究，拟将{name}同志列为发展对象。为广泛听取党员和群众意见，现将有关情况公示如下。"
            ));
        }
        ApplicantDocument::AdmissionPublicity => {
            if let Some(candidate) = f.candidate.as_ref().and_then(|c| d(&c.get_ref().date)) {
                history.push(format!("{candidate}被列为发展对象"));
            }
            let pre = f.admission.as_ref().is_some_and(|a| a.get_ref().pre_review.is_some());
            let parent = record
                .branch
                .file
                .branch
                .parent
                .as_deref()
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .unwrap_or("上级党委");
            let checked = if pre { format!("，并经{parent}预审同意") } else { String::new() };
            paragraphs.push(format!("经{branch}委员会审查{checked}，拟接收{name}同志为中共预备党员。为广泛听取党员和群众意见，现将有关情况公示如下。"));
        }
        ApplicantDocument::ProbationPublicity => {
            history.clear();
            if let Some(probation) = record.facts.probation {
                history.push(format!(
                    "{}被接收为中共预备党员，预备期{}",
                    Date(probation.start).chinese(),
                    probation.chinese()
                ));
            }
            if let Some(applied) = f.probation.as_ref().and_then(|p| d(&p.get_ref().application)) {
                history.push(format!("{applied}提出转正申请"));
            }
            paragraphs.push(format!("{name}同志预备期即将期满，经{branch}委员会研究，拟讨论其转为中共正式党员。为广泛听取党员和群众意见，现将有关情况公示如下。"));
        }
        ApplicantDocument::Record => {}
    }
    let mut facts = about.join("，");
    if !history.is_empty() {
        facts.push('，');
        facts.push_str(&history.join("，"));
    }
    facts.push('。');
    if document != ApplicantDocument::ProbationPublicity {
        if let Some(introducers) = introducers.filter(|i| !i.is_empty()) {
            facts.push_str(&format!("入党介绍人：{introducers}。"));
        }
    }
    paragraphs.push(facts);
    let days = calendar.working_days(from, to);
    paragraphs.push(format!("公示时间：{}至{}（{days}个工作日）。", Date(from).chinese(), Date(to).chinese()));
    paragraphs.push("公示期间，党员和群众可以通过来电、来信、来访等方式，向党支部反映公示对象的有关情况和问题。反映问题应实事求是，以个人名义反映的请写明真实姓名和联系方式。".to_string());
    Some(PublicityView {
        title: document.title().to_string(),
        paragraphs,
        from: Date(from).chinese(),
        to: Date(to).chinese(),
        working_days: days,
        contact: text(extra, "联系人").unwrap_or_else(|| BLANK.to_string()),
        phone: text(extra, "电话").unwrap_or_else(|| BLANK.to_string()),
        address: text(extra, "地址"),
        signer: record.branch.file.branch.name.trim().to_string(),
        date: Date(from).chinese(),
    })
}
