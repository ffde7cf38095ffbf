//! Debates: an opening statement, comments that take a position, and a close with a conclusion.
//! A debate is stored beside proposals (same scope rules, comments, follows, moderation and search) but
//! has its own small lifecycle and no supports.

/// A debate's state. Its names cannot be mistaken for a proposal's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DebateState {
    Open,
    Concluded,
}

impl DebateState {
    pub fn as_str(self) -> &'static str {
        match self {
            DebateState::Open => "debating",
            DebateState::Concluded => "concluded",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [DebateState::Open, DebateState::Concluded]
            .into_iter()
            .find(|d| d.as_str() == s)
    }

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

/// The side a debate comment takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    For,
    Against,
    Neutral,
}

impl Position {
    pub const ALL: [Position; 3] = [Position::For, Position::Against, Position::Neutral];

    pub fn as_str(self) -> &'static str {
        match self {
            Position::For => "for",
            Position::Against => "against",
            Position::Neutral => "neutral",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
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
