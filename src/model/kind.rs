//! Kinds of activity, and the small enums of the input format, each accepted in Chinese or as a slug.

use serde::{Deserialize, Deserializer, Serialize};

use crate::diagnostics::did_you_mean;

/// Declares an enum whose values are spelt in Chinese or as an English slug in the input.
macro_rules! spelled_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($(#[$vmeta:meta])* $variant:ident => [$chinese:literal, $slug:literal $(, $alias:literal)*]),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The Chinese name, as printed in documents.
            pub fn chinese(self) -> &'static str {
                match self { $($name::$variant => $chinese),+ }
            }

            pub fn slug(self) -> &'static str {
                match self { $($name::$variant => $slug),+ }
            }

            pub fn parse(input: &str) -> Option<Self> {
                let input = input.trim();
                match input {
                    $($chinese | $slug $(| $alias)* => Some($name::$variant),)+
                    _ => None,
                }
            }

            fn spellings() -> impl Iterator<Item = &'static str> {
                [$($chinese, $slug $(, $alias)*),+].into_iter()
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                $name::parse(&text).ok_or_else(|| {
                    let listed: Vec<String> = $name::ALL
                        .iter()
                        .map(|v| format!("{}（{}）", v.chinese(), v.slug()))
                        .collect();
                    let hint = did_you_mean(&text, $name::spellings())
                        .map(|s| format!("；您是不是要写“{s}”？"))
                        .unwrap_or_default();
                    serde::de::Error::custom(format!(
                        "无法识别的{}“{text}”，可选值：{}{hint}",
                        $what,
                        listed.join("、")
                    ))
                })
            }
        }
    };
}
pub(crate) use spelled_enum;

spelled_enum! {
    /// The kind of activity; it decides who is expected and which rules apply. Kinds order as
    /// declared (`ALL`): the order of plans and ledger rows on the same day.
    Kind, "活动类型" {
        PartyCongress => ["支部党员大会", "party-congress", "党员大会"],
        Committee => ["支部委员会会议", "committee", "支委会"],
        GroupMeeting => ["党小组会", "group-meeting"],
        Lecture => ["党课", "lecture"],
        ThemeDay => ["主题党日", "theme-day"],
        OrgLife => ["组织生活会", "org-life"],
        Review => ["民主评议党员", "review"],
        Other => ["其他", "other"],
    }
}

spelled_enum! {
    /// Full members vote; probationary members attend and count, but have no vote.
    #[derive(Default)]
    MemberStatus, "党员类别" {
        #[default]
        Full => ["正式党员", "full"],
        Probationary => ["预备党员", "probationary"],
        DisciplinaryProbation => ["留党察看", "disciplinary-probation"],
    }
}

spelled_enum! {
    /// What a decision is about; it decides the quorum and the vote threshold.
    #[derive(Default)]
    DecisionKind, "决议类型" {
        #[default]
        Ordinary => ["一般事项", "ordinary", "一般"],
        Admission => ["接收预备党员", "admission"],
        Confirmation => ["预备党员转正", "confirmation"],
        Election => ["选举", "election"],
    }
}

spelled_enum! {
    /// How a vote is taken; an election is always by secret ballot (选举工作条例第十四条).
    VoteMethod, "表决方式" {
        ShowOfHands => ["举手", "show-of-hands", "举手表决"],
        SecretBallot => ["无记名投票", "secret-ballot"],
    }
}

spelled_enum! {
    /// Whether an election quorum of exactly 4/5 counts: the 选举工作条例 says 超过 (more
    /// than); some local rules read it as 不少于 (at least).
    #[derive(Default)]
    ElectionQuorum, "选举到会人数规定" {
        #[default]
        MoreThan => ["超过五分之四", "more-than"],
        AtLeast => ["不少于五分之四", "at-least"],
    }
}

spelled_enum! {
    /// Whether the activity is still to come (its facts unknown) or took place.
    #[derive(Default)]
    ActivityStatus, "活动状态" {
        /// When `status` is left out, so that older files keep their meaning.
        #[default]
        Held => ["已召开", "held", "已举行"],
        Planned => ["计划", "planned", "计划中"],
    }
}

spelled_enum! {
    /// How often a frequency rule asks for a meeting.
    Every, "频次" {
        Week => ["每周", "week", "weekly"],
        Month => ["每月", "month", "monthly"],
        Quarter => ["每季度", "quarter", "quarterly"],
        Year => ["每年", "year", "yearly"],
        Never => ["不检查", "none", "never"],
    }
}

impl Kind {
    /// 主题党日 and 党课 are activities (活动通知, 活动总结); the rest are meetings (会议通知, 会议纪要).
    pub fn is_activity(self) -> bool {
        matches!(self, Kind::ThemeDay | Kind::Lecture)
    }

    /// The name used in default titles; 支委会 is what branches write.
    pub fn short_name(self) -> &'static str {
        match self {
            Kind::Committee => "支委会",
            other => other.chinese(),
        }
    }
}
