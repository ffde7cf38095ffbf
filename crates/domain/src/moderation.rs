//! Moderation: reports anyone can file, and what moderators may do with content and accounts.
//! Nothing is ever deleted: hidden content is kept, shown to its author, and can be restored.

/// Why a report was filed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportReason {
    Spam,
    Offensive,
    /// Personal data of someone else (phone numbers, addresses, resident numbers).
    PersonalData,
    OffTopic,
    Other,
}

impl ReportReason {
    pub const ALL: [ReportReason; 5] = [
        ReportReason::Spam,
        ReportReason::Offensive,
        ReportReason::PersonalData,
        ReportReason::OffTopic,
        ReportReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportReason::Spam => "spam",
            ReportReason::Offensive => "offensive",
            ReportReason::PersonalData => "personal-data",
            ReportReason::OffTopic => "off-topic",
            ReportReason::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// What can be reported and hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A proposal or a debate.
    Proposal,
    Comment,
}

impl Target {
    pub fn as_str(self) -> &'static str {
        match self {
            Target::Proposal => "proposal",
            Target::Comment => "comment",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Target::Proposal, Target::Comment]
            .into_iter()
            .find(|t| t.as_str() == s)
    }
}

/// A moderator's action, as written in the moderation log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModerationAction {
    Hide,
    Restore,
    /// Close the reports on content without hiding it.
    Dismiss,
    Block,
    Unblock,
}

impl ModerationAction {
    pub const ALL: [ModerationAction; 5] = [
        ModerationAction::Hide,
        ModerationAction::Restore,
        ModerationAction::Dismiss,
        ModerationAction::Block,
        ModerationAction::Unblock,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ModerationAction::Hide => "hide",
            ModerationAction::Restore => "restore",
            ModerationAction::Dismiss => "dismiss",
            ModerationAction::Block => "block",
            ModerationAction::Unblock => "unblock",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// Whether the action needs a written reason (the author is told why their content went).
    pub fn needs_reason(self) -> bool {
        matches!(self, ModerationAction::Hide | ModerationAction::Block)
    }

    /// Whether the action is legal given whether the content is hidden now.
    pub fn applies_to_content(self, hidden: bool) -> bool {
        match self {
            ModerationAction::Hide => !hidden,
            ModerationAction::Restore => hidden,
            ModerationAction::Dismiss => !hidden,
            ModerationAction::Block | ModerationAction::Unblock => false,
        }
    }

    /// Whether the action is legal given whether the account is blocked now.
    pub fn applies_to_account(self, blocked: bool) -> bool {
        match self {
            ModerationAction::Block => !blocked,
            ModerationAction::Unblock => blocked,
            _ => false,
        }
    }
}

/// Reports about one piece of content that hide it until a moderator decides: a burst of reports from
/// different people is a strong signal, and waiting for office hours would leave abuse up overnight.
pub const AUTO_HIDE_REPORTS: i64 = 5;

pub const REPORT_DETAILS_MAX: usize = 500;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for r in ReportReason::ALL {
            assert_eq!(ReportReason::parse(r.as_str()), Some(r));
        }
        for a in ModerationAction::ALL {
            assert_eq!(ModerationAction::parse(a.as_str()), Some(a));
        }
        assert_eq!(Target::parse("comment"), Some(Target::Comment));
        assert_eq!(Target::parse("user"), None);
        assert_eq!(ReportReason::parse(""), None);
    }

    #[test]
    fn actions_apply_only_where_they_make_sense() {
        use ModerationAction::*;
        assert!(Hide.applies_to_content(false) && !Hide.applies_to_content(true));
        assert!(Restore.applies_to_content(true) && !Restore.applies_to_content(false));
        assert!(Dismiss.applies_to_content(false));
        assert!(!Block.applies_to_content(false) && !Unblock.applies_to_content(true));
        assert!(Block.applies_to_account(false) && !Block.applies_to_account(true));
        assert!(Unblock.applies_to_account(true) && !Unblock.applies_to_account(false));
        assert!(!Hide.applies_to_account(false));
        assert!(Hide.needs_reason() && Block.needs_reason() && !Restore.needs_reason());
    }
}
