//! Open calls for members and who may apply.

use super::TransitionError;

crate::named_enum! {
    /// Where an open call for members is.
    pub enum CallState: "call state", label "call-state-" {
        Draft = "draft",
        Open = "open",
        Closed = "closed",
        Drawn = "drawn",
        Published = "published",
    }
}

impl CallState {
    pub fn accepts_applications(self) -> bool {
        self == CallState::Open
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallEvent {
    Open,
    Close,
    /// The draw ran (after the seed was announced and the applicant list published).
    Draw,
    /// The panel is published and its members appointed.
    Publish,
}

impl CallEvent {
    /// The Fluent id naming this event in refusals.
    fn message_id(self) -> &'static str {
        match self {
            CallEvent::Open => "call-event-open",
            CallEvent::Close => "call-event-close",
            CallEvent::Draw => "call-event-draw",
            CallEvent::Publish => "call-event-publish",
        }
    }
}

/// Applies `event` to a call in `state`. `applicants` is the number of eligible applicants (a draw needs one).
pub fn apply_call(
    state: CallState,
    event: CallEvent,
    applicants: u32,
) -> Result<CallState, TransitionError> {
    use CallEvent as E;
    use CallState as S;
    match (state, event) {
        (S::Draft, E::Open) => Ok(S::Open),
        (S::Open, E::Close) => Ok(S::Closed),
        (S::Closed, E::Draw) if applicants == 0 => Err(TransitionError::NoApplicants),
        (S::Closed, E::Draw) => Ok(S::Drawn),
        (S::Drawn, E::Publish) => Ok(S::Published),
        _ => Err(TransitionError::NotAllowed {
            state: state.label_id(),
            event: event.message_id(),
        }),
    }
}

/// Who may apply to a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Eligibility {
    /// Minimum age in years on the closing date.
    pub min_age: u32,
    /// Hours of training (e.g. 주민자치학교, 6 h) logged by staff before the draw.
    pub training_hours: u32,
}

/// What is known of an applicant when eligibility is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApplicantFacts {
    /// A verified residence in the call's scope (or below it).
    pub verified_in_scope: bool,
    /// Age in years, as declared.
    pub age: u32,
    /// Training hours logged by staff.
    pub training_hours: u32,
}

/// Why an applicant is not (yet) eligible. Each has a message id `committee-ineligible-<id>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ineligible {
    NotResident,
    TooYoung { min_age: u32 },
    Training { logged: u32, required: u32 },
}

impl Ineligible {
    pub fn id(&self) -> &'static str {
        match self {
            Ineligible::NotResident => "not-resident",
            Ineligible::TooYoung { .. } => "too-young",
            Ineligible::Training { .. } => "training",
        }
    }
}

impl Eligibility {
    /// Every reason `facts` fall short (empty when eligible).
    pub fn check(&self, facts: &ApplicantFacts) -> Vec<Ineligible> {
        let mut reasons = vec![];
        if !facts.verified_in_scope {
            reasons.push(Ineligible::NotResident);
        }
        if facts.age < self.min_age {
            reasons.push(Ineligible::TooYoung {
                min_age: self.min_age,
            });
        }
        if facts.training_hours < self.training_hours {
            reasons.push(Ineligible::Training {
                logged: facts.training_hours,
                required: self.training_hours,
            });
        }
        reasons
    }
}
