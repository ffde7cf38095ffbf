//! The residents' general assembly (주민총회, domain §7 workflow 8): a neighbourhood's assembly adopts its
//! yearly autonomy plan. Its agenda (items the neighbourhood holds) is fixed after the district's
//! pre-consultation; verified residents of the neighbourhood pre-vote online, or on paper entered by staff;
//! at the session, residents present vote on site; on-site votes are added to the pre-votes; the results are
//! published and the assembly adopts the plan. Each ballot says yes or no to items and may give a
//! preference order; one ballot per person and assembly (enforced by the database too), so one vote per
//! person per item whatever the channel.
//!
//! ```text
//! drafting ─submit agenda (≥ 1 item)→ pre_consultation ─fix agenda (the district)→ agenda_fixed
//!   ─open pre-voting→ pre_voting (online, paper) ─open session→ in_session (attendance, on site)
//!   ─publish results→ results_published ─adopt plan→ plan_adopted
//! ```

use super::{ItemState, PlanRefusal};

crate::named_enum! {
    /// Where a general assembly is.
    pub enum AssemblyState: "assembly state", label "plan-assembly-state-" {
        /// The neighbourhood's subcommittees draft the plan and the agenda.
        Drafting = "drafting",
        /// The district's departments pre-consult on the agenda.
        PreConsultation = "pre_consultation",
        AgendaFixed = "agenda_fixed",
        /// Residents vote online or on paper before the session.
        PreVoting = "pre_voting",
        /// The assembly sits: attendance and on-site votes.
        InSession = "in_session",
        ResultsPublished = "results_published",
        PlanAdopted = "plan_adopted",
    }
}

crate::named_enum! {
    /// How a ballot reached the assembly.
    pub enum VoteChannel: "assembly vote channel", label "plan-channel-" {
        Online = "online",
        /// A paper pre-vote, entered by staff.
        Paper = "paper",
        /// Cast at the session by a resident present.
        OnSite = "on_site",
    }
}

crate::named_enum! {
    /// A resident's answer on one item.
    pub enum AssemblyChoice: "assembly choice", label "plan-choice-" {
        Yes = "yes",
        No = "no",
    }
}

impl VoteChannel {
    /// Online and paper ballots are pre-votes; on-site ballots are cast at the session.
    pub fn is_pre_vote(self) -> bool {
        !matches!(self, VoteChannel::OnSite)
    }
}

/// What may happen to an assembly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssemblyEvent {
    SubmitAgenda,
    /// The district's pre-consultation is done: acted by the level above.
    FixAgenda,
    OpenPreVoting,
    OpenSession,
    PublishResults,
    /// The assembly adopts the neighbourhood's autonomy plan.
    AdoptPlan,
}

impl AssemblyEvent {
    pub const ALL: [AssemblyEvent; 6] = [
        AssemblyEvent::SubmitAgenda,
        AssemblyEvent::FixAgenda,
        AssemblyEvent::OpenPreVoting,
        AssemblyEvent::OpenSession,
        AssemblyEvent::PublishResults,
        AssemblyEvent::AdoptPlan,
    ];

    /// The name forms and the API use.
    pub fn as_str(self) -> &'static str {
        match self {
            AssemblyEvent::SubmitAgenda => "submit_agenda",
            AssemblyEvent::FixAgenda => "fix_agenda",
            AssemblyEvent::OpenPreVoting => "open_pre_voting",
            AssemblyEvent::OpenSession => "open_session",
            AssemblyEvent::PublishResults => "publish_results",
            AssemblyEvent::AdoptPlan => "adopt_plan",
        }
    }

    pub fn parse(s: &str) -> Option<AssemblyEvent> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }

    pub fn message_id(self) -> &'static str {
        match self {
            AssemblyEvent::SubmitAgenda => "plan-assembly-event-submit_agenda",
            AssemblyEvent::FixAgenda => "plan-assembly-event-fix_agenda",
            AssemblyEvent::OpenPreVoting => "plan-assembly-event-open_pre_voting",
            AssemblyEvent::OpenSession => "plan-assembly-event-open_session",
            AssemblyEvent::PublishResults => "plan-assembly-event-publish_results",
            AssemblyEvent::AdoptPlan => "plan-assembly-event-adopt_plan",
        }
    }

    /// Acted by the level above the neighbourhood (the district), not by the neighbourhood itself.
    pub fn by_level_above(self) -> bool {
        matches!(self, AssemblyEvent::FixAgenda)
    }
}

/// Applies `event` to an assembly in `state` whose agenda has `agenda_len` items; `has_plan` says whether
/// the assembly is linked to the autonomy plan it adopts.
pub fn apply_assembly(
    state: AssemblyState,
    agenda_len: usize,
    has_plan: bool,
    event: AssemblyEvent,
) -> Result<AssemblyState, PlanRefusal> {
    use AssemblyEvent as E;
    use AssemblyState as S;
    match (state, event) {
        (S::Drafting, E::SubmitAgenda) if agenda_len == 0 => Err(PlanRefusal::EmptyAgenda),
        (S::Drafting, E::SubmitAgenda) => Ok(S::PreConsultation),
        (S::PreConsultation, E::FixAgenda) => Ok(S::AgendaFixed),
        (S::AgendaFixed, E::OpenPreVoting) => Ok(S::PreVoting),
        (S::PreVoting, E::OpenSession) => Ok(S::InSession),
        (S::InSession, E::PublishResults) => Ok(S::ResultsPublished),
        (S::ResultsPublished, E::AdoptPlan) if !has_plan => Err(PlanRefusal::NoPlanLinked),
        (S::ResultsPublished, E::AdoptPlan) => Ok(S::PlanAdopted),
        _ => Err(PlanRefusal::NotAllowed {
            state: state.label_id(),
            event: event.message_id(),
        }),
    }
}

/// An item as the agenda sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgendaCandidate {
    pub holder: i64,
    pub state: ItemState,
}

/// May this item go on the agenda of the assembly of `scope_id` in `state`? Only while drafting, only
/// items the neighbourhood holds (an item beyond its authority is referred up instead), screened and not
/// declined, rejected or merged.
pub fn check_agenda_item(
    scope_id: i64,
    state: AssemblyState,
    item: AgendaCandidate,
) -> Result<(), PlanRefusal> {
    if state != AssemblyState::Drafting {
        return Err(PlanRefusal::AgendaFixed);
    }
    if item.holder != scope_id {
        return Err(PlanRefusal::NotHeld);
    }
    match item.state {
        ItemState::Accepted
        | ItemState::UnderDeliberation
        | ItemState::Prioritised
        | ItemState::Adopted => Ok(()),
        ItemState::Proposed => Err(PlanRefusal::NotScreened),
        closed => Err(PlanRefusal::ItemClosed {
            state: closed.label_id(),
        }),
    }
}

/// Attendance is recorded while the assembly sits.
pub fn check_attendance(state: AssemblyState) -> Result<(), PlanRefusal> {
    if state == AssemblyState::InSession {
        Ok(())
    } else {
        Err(PlanRefusal::NotInSession)
    }
}

/// One item's answer on a ballot, with its place in the voter's preference order (1 = first), if given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub item: i64,
    pub choice: AssemblyChoice,
    pub preference: Option<u32>,
}

/// What a ballot's check needs to know besides its marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BallotContext {
    pub state: AssemblyState,
    pub channel: VoteChannel,
    /// The voter is a verified resident of the neighbourhood.
    pub resident: bool,
    /// The voter's attendance at the session is recorded.
    pub present: bool,
}

/// Checks a ballot: a verified resident of the neighbourhood; online and paper ballots during pre-voting,
/// on-site ballots during the session by a resident present; at least one mark, each on an agenda item and
/// none twice; preferences distinct, from 1 to the number of marks.
pub fn check_assembly_ballot(
    ctx: BallotContext,
    agenda: &[i64],
    marks: &[Mark],
) -> Result<(), PlanRefusal> {
    if !ctx.resident {
        return Err(PlanRefusal::NotAResident);
    }
    let open = if ctx.channel.is_pre_vote() {
        ctx.state == AssemblyState::PreVoting
    } else {
        ctx.state == AssemblyState::InSession
    };
    if !open {
        return Err(PlanRefusal::VotingClosed);
    }
    if !ctx.channel.is_pre_vote() && !ctx.present {
        return Err(PlanRefusal::NotPresent);
    }
    if marks.is_empty() {
        return Err(PlanRefusal::EmptyBallot);
    }
    for (i, m) in marks.iter().enumerate() {
        if !agenda.contains(&m.item) || marks[..i].iter().any(|o| o.item == m.item) {
            return Err(PlanRefusal::NotOnTheAgenda);
        }
        if let Some(p) = m.preference
            && (p == 0
                || p as usize > marks.len()
                || marks[..i].iter().any(|o| o.preference == Some(p)))
        {
            return Err(PlanRefusal::BadPreferenceOrder);
        }
    }
    Ok(())
}

/// One item's result: pre-votes (online and paper) and on-site votes, and its preference points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ItemResult {
    pub item: i64,
    pub pre_yes: i64,
    pub pre_no: i64,
    pub on_site_yes: i64,
    pub on_site_no: i64,
    /// Borda points of the preference orders: first of n items gets n points, last gets 1.
    pub points: i64,
}

impl ItemResult {
    pub fn yes(&self) -> i64 {
        self.pre_yes + self.on_site_yes
    }
    pub fn no(&self) -> i64 {
        self.pre_no + self.on_site_no
    }
    /// Carried by a majority of the yes/no votes cast.
    pub fn passed(&self) -> bool {
        self.yes() > self.no()
    }
}

/// The assembly's results, in agenda order: on-site votes added to the pre-votes.
pub fn tally(agenda: &[i64], marks: &[(VoteChannel, Mark)]) -> Vec<ItemResult> {
    let n = agenda.len() as i64;
    agenda
        .iter()
        .map(|&item| {
            let mut r = ItemResult {
                item,
                ..ItemResult::default()
            };
            for (channel, m) in marks.iter().filter(|(_, m)| m.item == item) {
                match (channel.is_pre_vote(), m.choice) {
                    (true, AssemblyChoice::Yes) => r.pre_yes += 1,
                    (true, AssemblyChoice::No) => r.pre_no += 1,
                    (false, AssemblyChoice::Yes) => r.on_site_yes += 1,
                    (false, AssemblyChoice::No) => r.on_site_no += 1,
                }
                if let Some(p) = m.preference {
                    r.points += (n + 1 - i64::from(p)).max(0);
                }
            }
            r
        })
        .collect()
}
