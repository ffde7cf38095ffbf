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
    /// The Fluent id of the reason (arguments: `age`, `logged`, `required`).
    pub fn message_id(&self) -> &'static str {
        match self {
            Ineligible::NotResident => "committee-ineligible-not-resident",
            Ineligible::TooYoung { .. } => "committee-ineligible-too-young",
            Ineligible::Training { .. } => "committee-ineligible-training",
        }
    }

    pub fn args(&self) -> Vec<(&'static str, crate::refusal::Arg)> {
        use crate::refusal::Arg;
        match self {
            Ineligible::NotResident => vec![],
            Ineligible::TooYoung { min_age } => vec![("age", Arg::from(*min_age))],
            Ineligible::Training { logged, required } => vec![
                ("logged", Arg::from(*logged)),
                ("required", Arg::from(*required)),
            ],
        }
    }

    /// Reasons as stored: `not-resident;too-young:19;training:2/6` (translated only when shown).
    pub fn encode(reasons: &[Ineligible]) -> String {
        reasons
            .iter()
            .map(|r| match r {
                Ineligible::NotResident => "not-resident".to_owned(),
                Ineligible::TooYoung { min_age } => format!("too-young:{min_age}"),
                Ineligible::Training { logged, required } => {
                    format!("training:{logged}/{required}")
                }
            })
            .collect::<Vec<_>>()
            .join(";")
    }

    /// The reasons [`Ineligible::encode`] wrote; `None` for text it did not write.
    pub fn decode(stored: &str) -> Option<Vec<Ineligible>> {
        if stored.is_empty() {
            return Some(vec![]);
        }
        stored
            .split(';')
            .map(|part| match part.split_once(':') {
                None if part == "not-resident" => Some(Ineligible::NotResident),
                Some(("too-young", age)) => age
                    .parse()
                    .ok()
                    .map(|min_age| Ineligible::TooYoung { min_age }),
                Some(("training", hours)) => {
                    let (logged, required) = hours.split_once('/')?;
                    Some(Ineligible::Training {
                        logged: logged.parse().ok()?,
                        required: required.parse().ok()?,
                    })
                }
                _ => None,
            })
            .collect()
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

/// The quota of one category of a stratification feature, as a call states it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CategoryQuota {
    pub min: Option<u32>,
    pub max: Option<u32>,
    /// At most this share of the panel (0–1), e.g. the gender cap.
    pub max_share: Option<f64>,
}

impl CategoryQuota {
    /// The most seats the category may take on a panel of `seats`.
    pub fn max_seats(&self, seats: u32) -> u32 {
        let by_share = self.max_share.map_or(seats, |s| {
            (s * f64::from(seats) + 1e-9).floor().max(0.0) as u32
        });
        self.max.unwrap_or(seats).min(by_share).min(seats)
    }
}

/// Whether a panel of `seats` can meet the quotas at all, whoever applies: every feature's categories
/// must be able to hold all the seats together (the sum of their maxima) without their minima exceeding
/// them. Checked when a call is created; the applicants are checked again when it closes.
pub fn check_quotas(
    seats: u32,
    features: &[(&str, Vec<CategoryQuota>)],
) -> Result<(), super::QuotaProblem> {
    for (name, categories) in features {
        let most: u32 = categories.iter().map(|c| c.max_seats(seats)).sum();
        let least: u32 = categories.iter().map(|c| c.min.unwrap_or(0)).sum();
        if most < seats || least > seats {
            return Err(if *name == "gender" {
                super::QuotaProblem::GenderCap { seats, max: most }
            } else {
                super::QuotaProblem::Strata {
                    feature: (*name).to_owned(),
                }
            });
        }
    }
    Ok(())
}

/// An age band of a call's strata: `19-39`, `60+` (ages in whole years, both ends included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgeBand {
    pub from: u32,
    pub to: Option<u32>,
}

impl AgeBand {
    /// The band a category name states, if it states one.
    pub fn parse(name: &str) -> Option<AgeBand> {
        let name = name.trim();
        if let Some(from) = name.strip_suffix('+') {
            return from
                .trim()
                .parse()
                .ok()
                .map(|from| AgeBand { from, to: None });
        }
        let (from, to) = name.split_once('-')?;
        let (from, to): (u32, u32) = (from.trim().parse().ok()?, to.trim().parse().ok()?);
        (from <= to).then_some(AgeBand { from, to: Some(to) })
    }

    pub fn contains(&self, age: u32) -> bool {
        age >= self.from && self.to.is_none_or(|to| age <= to)
    }

    /// The bands of a feature whose every category is an age band (else `None`: not an age feature).
    pub fn of_feature<'a>(categories: impl IntoIterator<Item = &'a str>) -> Option<Vec<AgeBand>> {
        let bands: Option<Vec<AgeBand>> = categories.into_iter().map(AgeBand::parse).collect();
        bands.filter(|b| !b.is_empty())
    }
}

/// Every eligible age (from `min_age` on) must fall in some band, or those residents could not apply.
pub fn check_age_bands(min_age: u32, bands: &[AgeBand]) -> Result<(), super::QuotaProblem> {
    // The ages the bands leave out are found at the bands' edges: from min_age, and just after each band.
    let mut candidates = vec![min_age];
    candidates.extend(bands.iter().filter_map(|b| b.to.map(|t| t + 1)));
    for age in candidates.into_iter().filter(|a| *a >= min_age) {
        if !bands.iter().any(|b| b.contains(age)) {
            return Err(super::QuotaProblem::AgeBands { min_age: age });
        }
    }
    Ok(())
}
