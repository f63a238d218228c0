//! The documents of a packet, their numbers, file names and command-line keys.

use crate::model::Kind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Document {
    Notice,
    Agenda,
    HostScript,
    SignIn,
    Minutes,
    Photos,
    Summary,
    Reflections,
}

impl Document {
    pub const ALL: [Document; 8] = [
        Document::Notice,
        Document::Agenda,
        Document::HostScript,
        Document::SignIn,
        Document::Minutes,
        Document::Photos,
        Document::Summary,
        Document::Reflections,
    ];

    /// Used before the meeting: the only documents of a planned activity.
    pub const PRE_MEETING: [Document; 4] = [Document::Notice, Document::Agenda, Document::HostScript, Document::SignIn];

    pub fn is_pre_meeting(self) -> bool {
        Document::PRE_MEETING.contains(&self)
    }

    /// The name used by `--only` and by template file names.
    pub fn key(self) -> &'static str {
        match self {
            Document::Notice => "notice",
            Document::Agenda => "agenda",
            Document::HostScript => "host-script",
            Document::SignIn => "sign-in",
            Document::Minutes => "minutes",
            Document::Photos => "photos",
            Document::Summary => "summary",
            Document::Reflections => "reflections",
        }
    }

    pub fn from_key(key: &str) -> Option<Document> {
        Document::ALL.into_iter().find(|d| d.key() == key)
    }

    pub fn number(self) -> &'static str {
        match self {
            Document::Notice => "01",
            Document::Agenda => "02",
            Document::HostScript => "03",
            Document::SignIn => "04",
            Document::Minutes => "05",
            Document::Photos => "06",
            Document::Summary => "07",
            Document::Reflections => "08",
        }
    }

    /// The document's name; 主题党日 and 党课 have 活动通知 and 活动总结.
    pub fn title(self, kind: Kind) -> &'static str {
        match (self, kind.is_activity()) {
            (Document::Notice, true) => "活动通知",
            (Document::Notice, false) => "会议通知",
            (Document::Agenda, _) => "会议议程",
            (Document::HostScript, _) => "主持词",
            (Document::SignIn, _) => "签到表",
            (Document::Minutes, _) => "会议记录",
            (Document::Photos, _) => "影像资料",
            (Document::Summary, true) => "活动总结",
            (Document::Summary, false) => "会议纪要",
            (Document::Reflections, _) => "心得体会",
        }
    }

    /// `01-会议通知`: the output file name without extension.
    pub fn stem(self, kind: Kind) -> String {
        format!("{}-{}", self.number(), self.title(kind))
    }
}
