//! Moderation: reports anyone can file, and what moderators may do with content and accounts.
//! Nothing is ever deleted: hidden content is kept, shown to its author, and can be restored.

crate::named_enum! {
    /// Why a report was filed.
    pub enum ReportReason: "report reason", label "report-reason-" {
        Spam = "spam",
        Offensive = "offensive",
        /// Personal data of someone else (phone numbers, addresses, resident numbers).
        PersonalData = "personal-data",
        OffTopic = "off-topic",
        Other = "other",
    }
}

crate::named_enum! {
    /// What can be reported and hidden.
    pub enum Target: "moderation target", label "moderation-target-" {
        /// A proposal or a debate.
        Proposal = "proposal",
        Comment = "comment",
    }
}

crate::named_enum! {
    /// What a moderation log entry is about.
    pub enum LogTarget: "moderation log target", label "moderation-target-" {
        Proposal = "proposal",
        Comment = "comment",
        User = "user",
    }
}

crate::named_enum! {
    /// A moderator's action, as written in the moderation log.
    pub enum ModerationAction: "moderation action", label "moderation-action-" {
        Hide = "hide",
        Restore = "restore",
        /// Close the reports on content without hiding it.
        Dismiss = "dismiss",
        Block = "block",
        Unblock = "unblock",
        /// A submitted proposal accepted for collection (recorded in the log; not a hiding action).
        Accept = "accept",
        /// A submitted proposal rejected, with the reason the author is told.
        Reject = "reject",
    }
}

impl ModerationAction {
    /// Whether the action needs a written reason (the author is told why their content went).
    pub fn needs_reason(self) -> bool {
        matches!(
            self,
            ModerationAction::Hide | ModerationAction::Block | ModerationAction::Reject
        )
    }

    /// Whether the action is legal given whether the content is hidden now.
    pub fn applies_to_content(self, hidden: bool) -> bool {
        match self {
            ModerationAction::Hide => !hidden,
            ModerationAction::Restore => hidden,
            ModerationAction::Dismiss => !hidden,
            ModerationAction::Block
            | ModerationAction::Unblock
            | ModerationAction::Accept
            | ModerationAction::Reject => false,
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

/// What moderation refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModerationRefusal {
    #[error("{action} does not apply to the content's current state")]
    NotApplicable { action: ModerationAction },
    #[error("a reason is required")]
    ReasonRequired,
    #[error("moderators cannot block themselves")]
    BlockSelf,
    #[error("the content is under moderation and cannot be changed")]
    ContentHidden,
}

impl crate::refusal::Explain for ModerationRefusal {
    fn code(&self) -> &'static str {
        match self {
            ModerationRefusal::NotApplicable { .. } => "moderation_not_applicable",
            ModerationRefusal::ReasonRequired => "reason_required",
            ModerationRefusal::BlockSelf => "block_self",
            ModerationRefusal::ContentHidden => "content_hidden",
        }
    }
    fn message_id(&self) -> &'static str {
        match self {
            ModerationRefusal::NotApplicable { .. } => "refusal-moderation-not-applicable",
            ModerationRefusal::ReasonRequired => "error-reason-required",
            ModerationRefusal::BlockSelf => "error-block-self",
            ModerationRefusal::ContentHidden => "refusal-content-hidden",
        }
    }
    fn args(&self) -> Vec<(&'static str, crate::refusal::Arg)> {
        match self {
            ModerationRefusal::NotApplicable { action } => {
                vec![("action", crate::refusal::Arg::Message(action.label_id()))]
            }
            _ => vec![],
        }
    }
    fn kind(&self) -> crate::refusal::RefusalKind {
        match self {
            ModerationRefusal::ReasonRequired => crate::refusal::RefusalKind::Invalid,
            _ => crate::refusal::RefusalKind::Conflict,
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
