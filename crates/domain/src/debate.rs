//! Debates: an opening statement, comments that take a position, and a close with a conclusion.
//! A debate is stored beside proposals (same scope rules, comments, follows, moderation and search) but
//! has its own small lifecycle and no supports.

crate::named_enum! {
    /// A debate's state. Its names cannot be mistaken for a proposal's.
    pub enum DebateState: "debate state", label "state-" {
        Open = "debating",
        Concluded = "concluded",
    }
}

impl DebateState {
    /// A debate takes comments only while open.
    pub fn takes_comments(self) -> bool {
        self == DebateState::Open
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DebateError {
    #[error("the debate is already concluded")]
    AlreadyConcluded,
    #[error("only the debate's author or an official of its scope may conclude it")]
    NotAllowed,
    #[error("a conclusion is required")]
    ConclusionRequired,
}

impl crate::refusal::Explain for DebateError {
    fn code(&self) -> &'static str {
        match self {
            DebateError::AlreadyConcluded => "debate_concluded",
            DebateError::NotAllowed => "forbidden",
            DebateError::ConclusionRequired => "conclusion_required",
        }
    }
    fn message_id(&self) -> &'static str {
        match self {
            DebateError::AlreadyConcluded => "error-debate-concluded",
            DebateError::NotAllowed => "error-page-forbidden-text",
            DebateError::ConclusionRequired => "error-required",
        }
    }
    fn kind(&self) -> crate::refusal::RefusalKind {
        match self {
            DebateError::ConclusionRequired => crate::refusal::RefusalKind::Invalid,
            _ => crate::refusal::RefusalKind::Conflict,
        }
    }
}

/// Concluding a debate: by its author or an official of the scope, with a written conclusion.
pub fn conclude(
    state: DebateState,
    by_author_or_official: bool,
    conclusion: &str,
) -> Result<DebateState, DebateError> {
    if !by_author_or_official {
        return Err(DebateError::NotAllowed);
    }
    if state == DebateState::Concluded {
        return Err(DebateError::AlreadyConcluded);
    }
    if conclusion.trim().is_empty() {
        return Err(DebateError::ConclusionRequired);
    }
    Ok(DebateState::Concluded)
}

crate::named_enum! {
    /// The side a debate comment takes.
    pub enum Position: "debate position", label "position-" {
        For = "for",
        Against = "against",
        Neutral = "neutral",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conclude_rules() {
        assert_eq!(
            conclude(DebateState::Open, true, "we agree on a trial"),
            Ok(DebateState::Concluded)
        );
        assert_eq!(
            conclude(DebateState::Open, false, "x"),
            Err(DebateError::NotAllowed)
        );
        assert_eq!(
            conclude(DebateState::Concluded, true, "x"),
            Err(DebateError::AlreadyConcluded)
        );
        assert_eq!(
            conclude(DebateState::Open, true, "  "),
            Err(DebateError::ConclusionRequired)
        );
        assert!(DebateState::Open.takes_comments() && !DebateState::Concluded.takes_comments());
    }

    #[test]
    fn names_do_not_collide_with_proposal_states() {
        for d in [DebateState::Open, DebateState::Concluded] {
            assert_eq!(DebateState::parse(d.as_str()), Some(d));
            assert!(crate::proposal::ProposalState::parse(d.as_str()).is_none());
        }
        for p in Position::ALL {
            assert_eq!(Position::parse(p.as_str()), Some(p));
        }
    }
}
