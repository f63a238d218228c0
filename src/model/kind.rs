//! Kinds of activity, and the small enums of the input format, each accepted in Chinese or as a slug.

use serde::{Deserialize, Deserializer, Serialize};

use crate::diagnostics::did_you_mean;

/// Declares an enum whose values are spelt in Chinese or as an English slug in the input.
macro_rules! spelled_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident => [$chinese:literal, $slug:literal $(, $alias:literal)*]),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum $name { $($variant),+ }

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

spelled_enum! {
    /// The kind of activity; it decides who is expected and which rules apply.
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
    MemberStatus, "党员类别" {
        Full => ["正式党员", "full"],
        Probationary => ["预备党员", "probationary"],
    }
}

spelled_enum! {
    /// What a decision is about; it decides the quorum and the vote threshold.
    DecisionKind, "决议类型" {
        Ordinary => ["一般事项", "ordinary", "一般"],
        Admission => ["接收预备党员", "admission"],
        Confirmation => ["预备党员转正", "confirmation"],
        Election => ["选举", "election"],
    }
}

spelled_enum! {
    /// Whether the activity is still to come (its facts unknown) or took place.
    ActivityStatus, "活动状态" {
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

impl Default for ActivityStatus {
    fn default() -> Self {
        ActivityStatus::Held
    }
}

impl Default for MemberStatus {
    fn default() -> Self {
        MemberStatus::Full
    }
}

impl Default for DecisionKind {
    fn default() -> Self {
        DecisionKind::Ordinary
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
