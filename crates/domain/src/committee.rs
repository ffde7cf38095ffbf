//! Committees (domain §2, §7 workflows 2, 3 and 10): bodies with seats by sector and terms, recruitment by
//! an open call and a stratified lottery, meetings with quorum, motions and recorded votes.
//!
//! ```text
//! call:     draft ─open→ open ─close→ closed ─draw→ drawn ─publish→ published
//! meeting:  scheduled ─publish agenda→ agenda_published ─convene (quorum)→ convened ─open→ in_session
//!           ─adjourn→ adjourned ─draft minutes→ minutes_drafted ─approve→ minutes_approved ─publish→ published
//!           scheduled | agenda_published ─cancel (reason)→ cancelled
//! motion:   proposed ─debate→ debated ─open vote→ voting ─close (quorum, rule)→ carried | failed
//!           proposed | debated ─withdraw→ withdrawn
//! ```
//! The lottery itself is `maeul-sortition`; this module decides who may enter it and what a call, a
//! meeting, a motion and a vote may do next.

/// The kinds of body the platform models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommitteeKind {
    /// 구 민관협치위원회: public and civil members, co-chaired.
    DistrictGovernance,
    /// 주민자치회: residents drawn by lottery.
    ResidentCouncil,
    /// Participatory-budget committee.
    BudgetCommittee,
    /// A citizens' assembly panel.
    CitizensAssembly,
    /// 분과: a subcommittee of another committee.
    Subcommittee,
}

impl CommitteeKind {
    pub const ALL: [CommitteeKind; 5] = [
        CommitteeKind::DistrictGovernance,
        CommitteeKind::ResidentCouncil,
        CommitteeKind::BudgetCommittee,
        CommitteeKind::CitizensAssembly,
        CommitteeKind::Subcommittee,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CommitteeKind::DistrictGovernance => "district_governance",
            CommitteeKind::ResidentCouncil => "resident_council",
            CommitteeKind::BudgetCommittee => "budget_committee",
            CommitteeKind::CitizensAssembly => "citizens_assembly",
            CommitteeKind::Subcommittee => "subcommittee",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// A subcommittee needs a parent committee; other kinds must not have one.
    pub fn needs_parent(self) -> bool {
        self == CommitteeKind::Subcommittee
    }
}

/// The sector a seat belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Sector {
    /// Officials and elected members (the gu mayor, council members).
    Public,
    /// Residents and civil society.
    Civil,
    /// Experts.
    Expert,
}

impl Sector {
    pub const ALL: [Sector; 3] = [Sector::Public, Sector::Civil, Sector::Expert];

    pub fn as_str(self) -> &'static str {
        match self {
            Sector::Public => "public",
            Sector::Civil => "civil",
            Sector::Expert => "expert",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// A member's role on the committee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Position {
    Chair,
    CoChair,
    Member,
}

impl Position {
    pub const ALL: [Position; 3] = [Position::Chair, Position::CoChair, Position::Member];

    pub fn as_str(self) -> &'static str {
        match self {
            Position::Chair => "chair",
            Position::CoChair => "co_chair",
            Position::Member => "member",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// Seats per sector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SeatPlan {
    pub public: u32,
    pub civil: u32,
    pub expert: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SeatError {
    #[error("a committee needs at least one seat")]
    NoSeats,
    #[error("all {seats} {sector} seats are taken")]
    SectorFull { sector: &'static str, seats: u32 },
    #[error("a gender cap must be between 50 and 100 percent, not {0}")]
    BadCap(u32),
    #[error("{gender} would hold {count} of {total} seats, above the cap of {cap}%")]
    GenderCap {
        gender: String,
        count: u32,
        total: u32,
        cap: u32,
    },
}

impl SeatPlan {
    pub fn seats(&self, sector: Sector) -> u32 {
        match sector {
            Sector::Public => self.public,
            Sector::Civil => self.civil,
            Sector::Expert => self.expert,
        }
    }

    pub fn total(&self) -> u32 {
        self.public + self.civil + self.expert
    }

    pub fn validate(&self) -> Result<(), SeatError> {
        if self.total() == 0 {
            Err(SeatError::NoSeats)
        } else {
            Ok(())
        }
    }

    /// May one more member take a seat of `sector`, `filled` of its seats being held now?
    pub fn check_vacancy(&self, sector: Sector, filled: u32) -> Result<(), SeatError> {
        let seats = self.seats(sector);
        if filled >= seats {
            Err(SeatError::SectorFull {
                sector: sector.as_str(),
                seats,
            })
        } else {
            Ok(())
        }
    }
}

/// "No gender above `cap_percent` % of the seats", checked against the committee's full size (so an
/// early appointment cannot use up the seats the cap protects): a gender may hold at most
/// ⌊cap × seats / 100⌋ seats. `counts` are the members per declared gender.
pub fn check_gender_cap(
    counts: &[(&str, u32)],
    seats: u32,
    cap_percent: u32,
) -> Result<(), SeatError> {
    if !(50..=100).contains(&cap_percent) {
        return Err(SeatError::BadCap(cap_percent));
    }
    let limit = gender_cap_limit(seats, cap_percent);
    for (gender, count) in counts {
        if *count > limit {
            return Err(SeatError::GenderCap {
                gender: (*gender).to_owned(),
                count: *count,
                total: seats,
                cap: cap_percent,
            });
        }
    }
    Ok(())
}

/// The largest number of seats one gender may hold under the cap.
pub fn gender_cap_limit(seats: u32, cap_percent: u32) -> u32 {
    (u64::from(seats) * u64::from(cap_percent) / 100) as u32
}

/// A member's term: from `start` to `end` (unix seconds, both inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    pub start: i64,
    pub end: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TermError {
    #[error("a term must end after it starts")]
    EndsBeforeStart,
}

impl Term {
    pub fn new(start: i64, end: i64) -> Result<Term, TermError> {
        if end <= start {
            Err(TermError::EndsBeforeStart)
        } else {
            Ok(Term { start, end })
        }
    }

    /// Whether a member holding this term may act at `at`.
    pub fn covers(&self, at: i64) -> bool {
        self.start <= at && at <= self.end
    }
}

/// Where an open call for members is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallState {
    Draft,
    Open,
    Closed,
    Drawn,
    Published,
}

impl CallState {
    pub const ALL: [CallState; 5] = [
        CallState::Draft,
        CallState::Open,
        CallState::Closed,
        CallState::Drawn,
        CallState::Published,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CallState::Draft => "draft",
            CallState::Open => "open",
            CallState::Closed => "closed",
            CallState::Drawn => "drawn",
            CallState::Published => "published",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

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
    fn name(self) -> &'static str {
        match self {
            CallEvent::Open => "open",
            CallEvent::Close => "close",
            CallEvent::Draw => "be drawn",
            CallEvent::Publish => "be published",
        }
    }
}

/// A refused transition of a call, meeting or motion.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("a {state} {what} cannot {event}")]
    NotAllowed {
        what: &'static str,
        state: &'static str,
        event: &'static str,
    },
    #[error("a reason is required")]
    ReasonRequired,
    #[error("no quorum: {present} present of {seats_filled} members, {needed} needed")]
    NoQuorum {
        present: u32,
        seats_filled: u32,
        needed: u32,
    },
    #[error("a call with no applicants cannot be drawn")]
    NoApplicants,
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
            what: "call",
            state: state.as_str(),
            event: event.name(),
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

/// What makes a meeting quorate: strictly more than half of the seats filled (a majority of members).
pub fn quorum_needed(seats_filled: u32) -> u32 {
    seats_filled / 2 + 1
}

pub fn has_quorum(present: u32, seats_filled: u32) -> bool {
    seats_filled > 0 && present >= quorum_needed(seats_filled)
}

fn require_quorum(present: u32, seats_filled: u32) -> Result<(), TransitionError> {
    if has_quorum(present, seats_filled) {
        Ok(())
    } else {
        Err(TransitionError::NoQuorum {
            present,
            seats_filled,
            needed: quorum_needed(seats_filled),
        })
    }
}

/// Where a meeting is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MeetingState {
    Scheduled,
    AgendaPublished,
    Convened,
    InSession,
    Adjourned,
    MinutesDrafted,
    MinutesApproved,
    Published,
    Cancelled,
}

impl MeetingState {
    pub const ALL: [MeetingState; 9] = [
        MeetingState::Scheduled,
        MeetingState::AgendaPublished,
        MeetingState::Convened,
        MeetingState::InSession,
        MeetingState::Adjourned,
        MeetingState::MinutesDrafted,
        MeetingState::MinutesApproved,
        MeetingState::Published,
        MeetingState::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MeetingState::Scheduled => "scheduled",
            MeetingState::AgendaPublished => "agenda_published",
            MeetingState::Convened => "convened",
            MeetingState::InSession => "in_session",
            MeetingState::Adjourned => "adjourned",
            MeetingState::MinutesDrafted => "minutes_drafted",
            MeetingState::MinutesApproved => "minutes_approved",
            MeetingState::Published => "published",
            MeetingState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Motions may be proposed, debated and voted only while the meeting sits.
    pub fn takes_motions(self) -> bool {
        self == MeetingState::InSession
    }

    /// Attendance is recorded from the agenda's publication until the meeting is adjourned.
    pub fn records_attendance(self) -> bool {
        matches!(
            self,
            MeetingState::AgendaPublished | MeetingState::Convened | MeetingState::InSession
        )
    }

    /// Residents may register (or join the waiting list) before the meeting convenes.
    pub fn takes_registrations(self) -> bool {
        matches!(
            self,
            MeetingState::Scheduled | MeetingState::AgendaPublished
        )
    }

    /// Minutes are public once published.
    pub fn minutes_public(self) -> bool {
        self == MeetingState::Published
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeetingEvent {
    PublishAgenda,
    /// Opens the meeting: quorum is checked against the seats filled.
    Convene {
        present: u32,
        seats_filled: u32,
    },
    StartSession,
    Adjourn,
    DraftMinutes,
    ApproveMinutes,
    PublishMinutes,
    Cancel {
        reason: String,
    },
}

impl MeetingEvent {
    fn name(&self) -> &'static str {
        match self {
            MeetingEvent::PublishAgenda => "publish its agenda",
            MeetingEvent::Convene { .. } => "convene",
            MeetingEvent::StartSession => "start its session",
            MeetingEvent::Adjourn => "adjourn",
            MeetingEvent::DraftMinutes => "get draft minutes",
            MeetingEvent::ApproveMinutes => "approve its minutes",
            MeetingEvent::PublishMinutes => "publish its minutes",
            MeetingEvent::Cancel { .. } => "be cancelled",
        }
    }
}

/// Applies `event` to a meeting in `state`.
pub fn apply(state: MeetingState, event: &MeetingEvent) -> Result<MeetingState, TransitionError> {
    use MeetingEvent as E;
    use MeetingState as S;
    match (state, event) {
        (S::Scheduled, E::PublishAgenda) => Ok(S::AgendaPublished),
        (
            S::AgendaPublished,
            E::Convene {
                present,
                seats_filled,
            },
        ) => {
            require_quorum(*present, *seats_filled)?;
            Ok(S::Convened)
        }
        (S::Convened, E::StartSession) => Ok(S::InSession),
        (S::InSession, E::Adjourn) => Ok(S::Adjourned),
        (S::Adjourned | S::MinutesDrafted, E::DraftMinutes) => Ok(S::MinutesDrafted),
        (S::MinutesDrafted, E::ApproveMinutes) => Ok(S::MinutesApproved),
        (S::MinutesApproved, E::PublishMinutes) => Ok(S::Published),
        (S::Scheduled | S::AgendaPublished, E::Cancel { reason }) => {
            if reason.trim().is_empty() {
                Err(TransitionError::ReasonRequired)
            } else {
                Ok(S::Cancelled)
            }
        }
        _ => Err(TransitionError::NotAllowed {
            what: "meeting",
            state: state.as_str(),
            event: event.name(),
        }),
    }
}

/// How a motion is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteRule {
    /// More yes than no among those voting yes or no (abstentions are recorded, not counted).
    MajorityOfVoting,
    /// More than half of the members present vote yes.
    MajorityOfPresent,
    /// At least `numerator/denominator` of the members present vote yes (e.g. 2/3).
    Qualified { numerator: u32, denominator: u32 },
}

impl VoteRule {
    /// Stored form: `majority_voting`, `majority_present`, `qualified:2/3`.
    pub fn as_string(&self) -> String {
        match self {
            VoteRule::MajorityOfVoting => "majority_voting".into(),
            VoteRule::MajorityOfPresent => "majority_present".into(),
            VoteRule::Qualified {
                numerator,
                denominator,
            } => format!("qualified:{numerator}/{denominator}"),
        }
    }

    pub fn parse(s: &str) -> Option<VoteRule> {
        match s {
            "majority_voting" => Some(VoteRule::MajorityOfVoting),
            "majority_present" => Some(VoteRule::MajorityOfPresent),
            _ => {
                let (n, d) = s.strip_prefix("qualified:")?.split_once('/')?;
                let (numerator, denominator) = (n.parse().ok()?, d.parse().ok()?);
                (numerator > 0 && numerator <= denominator && denominator <= 100).then_some(
                    VoteRule::Qualified {
                        numerator,
                        denominator,
                    },
                )
            }
        }
    }

    /// Carried or failed, for a tally with `present` members present.
    pub fn carries(&self, tally: &Tally, present: u32) -> bool {
        let yes = u64::from(tally.yes);
        match *self {
            VoteRule::MajorityOfVoting => tally.yes > tally.no,
            VoteRule::MajorityOfPresent => yes * 2 > u64::from(present),
            VoteRule::Qualified {
                numerator,
                denominator,
            } => yes * u64::from(denominator) >= u64::from(numerator) * u64::from(present),
        }
    }
}

/// A vote: yes, no or abstain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Choice {
    Yes,
    No,
    Abstain,
}

impl Choice {
    pub const ALL: [Choice; 3] = [Choice::Yes, Choice::No, Choice::Abstain];

    pub fn as_str(self) -> &'static str {
        match self {
            Choice::Yes => "yes",
            Choice::No => "no",
            Choice::Abstain => "abstain",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// Counted votes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
}

impl Tally {
    pub fn add(&mut self, choice: Choice) {
        match choice {
            Choice::Yes => self.yes += 1,
            Choice::No => self.no += 1,
            Choice::Abstain => self.abstain += 1,
        }
    }

    pub fn total(&self) -> u32 {
        self.yes + self.no + self.abstain
    }
}

/// Where a motion is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MotionState {
    Proposed,
    Debated,
    Voting,
    Carried,
    Failed,
    Withdrawn,
}

impl MotionState {
    pub const ALL: [MotionState; 6] = [
        MotionState::Proposed,
        MotionState::Debated,
        MotionState::Voting,
        MotionState::Carried,
        MotionState::Failed,
        MotionState::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MotionState::Proposed => "proposed",
            MotionState::Debated => "debated",
            MotionState::Voting => "voting",
            MotionState::Carried => "carried",
            MotionState::Failed => "failed",
            MotionState::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// A decision of the committee (carried or failed).
    pub fn is_decided(self) -> bool {
        matches!(self, MotionState::Carried | MotionState::Failed)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MotionEvent {
    Debate,
    OpenVote,
    /// Closes the vote: quorum is checked on the members present, then the rule decides.
    CloseVote {
        tally: Tally,
        present: u32,
        seats_filled: u32,
        rule: VoteRule,
    },
    Withdraw,
}

impl MotionEvent {
    fn name(&self) -> &'static str {
        match self {
            MotionEvent::Debate => "be debated",
            MotionEvent::OpenVote => "be put to the vote",
            MotionEvent::CloseVote { .. } => "close its vote",
            MotionEvent::Withdraw => "be withdrawn",
        }
    }
}

/// Applies `event` to a motion in `state`.
pub fn apply_motion(
    state: MotionState,
    event: &MotionEvent,
) -> Result<MotionState, TransitionError> {
    use MotionEvent as E;
    use MotionState as S;
    match (state, event) {
        (S::Proposed, E::Debate) => Ok(S::Debated),
        (S::Proposed | S::Debated, E::OpenVote) => Ok(S::Voting),
        (
            S::Voting,
            E::CloseVote {
                tally,
                present,
                seats_filled,
                rule,
            },
        ) => {
            require_quorum(*present, *seats_filled)?;
            Ok(if rule.carries(tally, *present) {
                S::Carried
            } else {
                S::Failed
            })
        }
        (S::Proposed | S::Debated, E::Withdraw) => Ok(S::Withdrawn),
        _ => Err(TransitionError::NotAllowed {
            what: "motion",
            state: state.as_str(),
            event: event.name(),
        }),
    }
}

/// Why a vote is refused. Each has a message id `committee-vote-refused-<id>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum VoteRefusal {
    #[error("this motion is not open for voting")]
    NotOpen,
    #[error("the member's term does not cover this vote")]
    OutsideTerm,
    #[error("the member is not recorded as present")]
    NotPresent,
    #[error("the member has already voted on this motion")]
    AlreadyVoted,
}

impl VoteRefusal {
    pub fn id(&self) -> &'static str {
        match self {
            VoteRefusal::NotOpen => "not-open",
            VoteRefusal::OutsideTerm => "outside-term",
            VoteRefusal::NotPresent => "not-present",
            VoteRefusal::AlreadyVoted => "already-voted",
        }
    }
}

/// May a member holding `term`, `present` at the meeting, who has (not) `already_voted`, vote at `at` on a
/// motion in `state`? One vote per member, only on an open motion, only within the term.
pub fn check_vote(
    state: MotionState,
    term: &Term,
    at: i64,
    present: bool,
    already_voted: bool,
) -> Result<(), VoteRefusal> {
    if state != MotionState::Voting {
        Err(VoteRefusal::NotOpen)
    } else if !term.covers(at) {
        Err(VoteRefusal::OutsideTerm)
    } else if !present {
        Err(VoteRefusal::NotPresent)
    } else if already_voted {
        Err(VoteRefusal::AlreadyVoted)
    } else {
        Ok(())
    }
}

/// Whether a motion's votes are published by member (roll call) or only as counts (secret ballot, when
/// the charter says so). Secret ballots still record *that* a member voted, to refuse a second vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ballot {
    RollCall,
    Secret,
}

impl Ballot {
    pub fn from_secret(secret: bool) -> Ballot {
        if secret {
            Ballot::Secret
        } else {
            Ballot::RollCall
        }
    }

    /// Is each member's choice stored and shown?
    pub fn records_choices(self) -> bool {
        self == Ballot::RollCall
    }
}

/// Input rules for committee forms.
pub mod input {
    use crate::account::FieldError;

    pub const NAME_MAX: usize = 120;
    pub const TEXT_MAX: usize = 10_000;
    pub const PLACE_MAX: usize = 200;
    pub const SEED_MAX: usize = 500;

    fn text(input: &str, min: usize, max: usize) -> Result<String, FieldError> {
        let text = input.trim().replace("\r\n", "\n");
        let len = text.chars().count();
        if len == 0 {
            Err(FieldError::Required)
        } else if len < min {
            Err(FieldError::TooShort { min })
        } else if len > max {
            Err(FieldError::TooLong { max })
        } else {
            Ok(text)
        }
    }

    /// A committee's, call's, meeting's or motion's title (whitespace collapsed).
    pub fn parse_name(input: &str) -> Result<String, FieldError> {
        let name = input.split_whitespace().collect::<Vec<_>>().join(" ");
        text(&name, 2, NAME_MAX)
    }

    /// Long text: a charter, an agenda item's description, minutes.
    pub fn parse_text(input: &str) -> Result<String, FieldError> {
        text(input, 1, TEXT_MAX)
    }

    pub fn parse_place(input: &str) -> Result<String, FieldError> {
        text(input, 2, PLACE_MAX)
    }

    /// The announced seed text of a draw, kept exactly as written (its bytes are hashed), only checked.
    pub fn check_seed_text(input: &str) -> Result<(), FieldError> {
        if input.trim().is_empty() {
            Err(FieldError::Required)
        } else if input.chars().count() > SEED_MAX {
            Err(FieldError::TooLong { max: SEED_MAX })
        } else {
            Ok(())
        }
    }

    /// A whole number in `min..=max`.
    pub fn parse_count(input: &str, min: u32, max: u32) -> Result<u32, FieldError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(FieldError::Required);
        }
        match trimmed.parse::<u32>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(FieldError::Invalid),
        }
    }

    /// `YYYY-MM-DD` → unix seconds at 00:00 Korea Standard Time.
    pub fn parse_date(input: &str) -> Result<i64, FieldError> {
        parse_datetime(&format!("{}T00:00", input.trim()))
    }

    /// `YYYY-MM-DDTHH:MM` (what `<input type="datetime-local">` sends), in Korea Standard Time (UTC+9),
    /// → unix seconds.
    pub fn parse_datetime(input: &str) -> Result<i64, FieldError> {
        let s = input.trim();
        if s.is_empty() || s == "T00:00" {
            return Err(FieldError::Required);
        }
        let bad = || FieldError::InvalidDate;
        let (date, time) = s.split_once('T').ok_or_else(bad)?;
        let mut d = date.split('-');
        let (y, m, day) = (
            d.next()
                .and_then(|x| x.parse::<i64>().ok())
                .ok_or_else(bad)?,
            d.next()
                .and_then(|x| x.parse::<i64>().ok())
                .ok_or_else(bad)?,
            d.next()
                .and_then(|x| x.parse::<i64>().ok())
                .ok_or_else(bad)?,
        );
        let mut t = time.split(':');
        let (hh, mm) = (
            t.next()
                .and_then(|x| x.parse::<i64>().ok())
                .ok_or_else(bad)?,
            t.next()
                .and_then(|x| x.parse::<i64>().ok())
                .ok_or_else(bad)?,
        );
        if d.next().is_some()
            || !(1970..=9999).contains(&y)
            || !(1..=12).contains(&m)
            || !(1..=days_in_month(y, m)).contains(&day)
            || !(0..24).contains(&hh)
            || !(0..60).contains(&mm)
        {
            return Err(bad());
        }
        Ok(days_from_civil(y, m, day) * 86_400 + hh * 3600 + mm * 60 - 9 * 3600)
    }

    fn days_in_month(y: i64, m: i64) -> i64 {
        match m {
            2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    /// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
    fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_sectors_positions_choices_round_trip() {
        for k in CommitteeKind::ALL {
            assert_eq!(CommitteeKind::parse(k.as_str()), Some(k));
        }
        assert!(CommitteeKind::Subcommittee.needs_parent());
        assert!(!CommitteeKind::ResidentCouncil.needs_parent());
        for s in Sector::ALL {
            assert_eq!(Sector::parse(s.as_str()), Some(s));
        }
        for p in Position::ALL {
            assert_eq!(Position::parse(p.as_str()), Some(p));
        }
        for c in Choice::ALL {
            assert_eq!(Choice::parse(c.as_str()), Some(c));
        }
        for s in CallState::ALL {
            assert_eq!(CallState::parse(s.as_str()), Some(s));
        }
        for s in MeetingState::ALL {
            assert_eq!(MeetingState::parse(s.as_str()), Some(s));
        }
        for s in MotionState::ALL {
            assert_eq!(MotionState::parse(s.as_str()), Some(s));
        }
        assert_eq!(Sector::parse("military"), None);
        assert_eq!(CommitteeKind::parse(""), None);
    }

    #[test]
    fn seats_by_sector_fill_up() {
        let mapo = SeatPlan {
            public: 10,
            civil: 18,
            expert: 0,
        };
        assert_eq!(mapo.total(), 28);
        assert!(mapo.validate().is_ok());
        assert!(mapo.check_vacancy(Sector::Civil, 17).is_ok());
        assert_eq!(
            mapo.check_vacancy(Sector::Civil, 18),
            Err(SeatError::SectorFull {
                sector: "civil",
                seats: 18
            })
        );
        assert!(mapo.check_vacancy(Sector::Expert, 0).is_err());
        assert_eq!(SeatPlan::default().validate(), Err(SeatError::NoSeats));
    }

    #[test]
    fn gender_cap_of_sixty_percent() {
        // 50 seats, neither gender above 60 %: at most 30 each.
        assert_eq!(gender_cap_limit(50, 60), 30);
        assert!(check_gender_cap(&[("female", 30), ("male", 20)], 50, 60).is_ok());
        let err = check_gender_cap(&[("female", 31), ("male", 19)], 50, 60).unwrap_err();
        assert!(matches!(err, SeatError::GenderCap { count: 31, .. }));
        // 7 seats at 60 %: 4.2 → 4.
        assert!(check_gender_cap(&[("male", 4)], 7, 60).is_ok());
        assert!(check_gender_cap(&[("male", 5)], 7, 60).is_err());
        assert_eq!(
            check_gender_cap(&[], 10, 40),
            Err(SeatError::BadCap(40)),
            "a cap below half cannot be met by two genders"
        );
        assert!(check_gender_cap(&[("x", 10)], 10, 100).is_ok());
    }

    #[test]
    fn terms_bound_acting() {
        let t = Term::new(100, 200).unwrap();
        assert!(t.covers(100) && t.covers(150) && t.covers(200));
        assert!(!t.covers(99) && !t.covers(201));
        assert_eq!(Term::new(200, 200), Err(TermError::EndsBeforeStart));
        assert_eq!(Term::new(300, 200), Err(TermError::EndsBeforeStart));
    }

    #[test]
    fn call_lifecycle_and_refusals() {
        use CallEvent as E;
        use CallState as S;
        assert_eq!(apply_call(S::Draft, E::Open, 0), Ok(S::Open));
        assert!(S::Open.accepts_applications());
        assert_eq!(apply_call(S::Open, E::Close, 3), Ok(S::Closed));
        assert_eq!(
            apply_call(S::Closed, E::Draw, 0),
            Err(TransitionError::NoApplicants)
        );
        assert_eq!(apply_call(S::Closed, E::Draw, 3), Ok(S::Drawn));
        assert_eq!(apply_call(S::Drawn, E::Publish, 3), Ok(S::Published));
        // Everything else is refused.
        for state in S::ALL {
            for event in [E::Open, E::Close, E::Draw, E::Publish] {
                let allowed = matches!(
                    (state, event),
                    (S::Draft, E::Open)
                        | (S::Open, E::Close)
                        | (S::Closed, E::Draw)
                        | (S::Drawn, E::Publish)
                );
                assert_eq!(
                    apply_call(state, event, 5).is_ok(),
                    allowed,
                    "{state:?} {event:?}"
                );
            }
        }
        for s in S::ALL {
            assert_eq!(s.accepts_applications(), s == S::Open);
        }
    }

    #[test]
    fn eligibility_lists_every_reason() {
        let rule = Eligibility {
            min_age: 16,
            training_hours: 6,
        };
        let ok = ApplicantFacts {
            verified_in_scope: true,
            age: 40,
            training_hours: 6,
        };
        assert!(rule.check(&ok).is_empty());
        let nothing = ApplicantFacts {
            verified_in_scope: false,
            age: 15,
            training_hours: 3,
        };
        assert_eq!(
            rule.check(&nothing),
            vec![
                Ineligible::NotResident,
                Ineligible::TooYoung { min_age: 16 },
                Ineligible::Training {
                    logged: 3,
                    required: 6
                }
            ]
        );
        assert_eq!(
            rule.check(&ApplicantFacts { age: 16, ..ok }),
            vec![],
            "the minimum age itself is eligible"
        );
        assert_eq!(
            rule.check(&ApplicantFacts {
                training_hours: 5,
                ..ok
            })[0]
                .id(),
            "training"
        );
    }

    #[test]
    fn quorum_is_a_majority_of_seats_filled() {
        assert_eq!(quorum_needed(28), 15);
        assert_eq!(quorum_needed(7), 4);
        assert!(has_quorum(15, 28));
        assert!(!has_quorum(14, 28));
        assert!(!has_quorum(0, 0), "an empty committee never has quorum");
        assert!(has_quorum(1, 1));
    }

    #[test]
    fn a_meeting_from_schedule_to_published_minutes() {
        use MeetingEvent as E;
        use MeetingState as S;
        let mut s = S::Scheduled;
        assert!(s.takes_registrations());
        s = apply(s, &E::PublishAgenda).unwrap();
        assert_eq!(s, S::AgendaPublished);
        assert!(s.records_attendance() && s.takes_registrations());
        s = apply(
            s,
            &E::Convene {
                present: 4,
                seats_filled: 7,
            },
        )
        .unwrap();
        assert_eq!(s, S::Convened);
        assert!(!s.takes_registrations());
        s = apply(s, &E::StartSession).unwrap();
        assert_eq!(s, S::InSession);
        assert!(s.takes_motions());
        s = apply(s, &E::Adjourn).unwrap();
        assert_eq!(s, S::Adjourned);
        assert!(!s.takes_motions() && !s.records_attendance());
        s = apply(s, &E::DraftMinutes).unwrap();
        assert_eq!(s, S::MinutesDrafted);
        assert_eq!(
            apply(s, &E::DraftMinutes),
            Ok(S::MinutesDrafted),
            "a draft can be revised"
        );
        assert!(!s.minutes_public());
        s = apply(s, &E::ApproveMinutes).unwrap();
        assert_eq!(s, S::MinutesApproved);
        s = apply(s, &E::PublishMinutes).unwrap();
        assert_eq!(s, S::Published);
        assert!(s.minutes_public());
    }

    #[test]
    fn convening_without_quorum_is_refused() {
        let e = apply(
            MeetingState::AgendaPublished,
            &MeetingEvent::Convene {
                present: 3,
                seats_filled: 7,
            },
        );
        assert_eq!(
            e,
            Err(TransitionError::NoQuorum {
                present: 3,
                seats_filled: 7,
                needed: 4
            })
        );
    }

    #[test]
    fn cancelling_needs_a_reason_and_an_unopened_meeting() {
        use MeetingEvent as E;
        use MeetingState as S;
        let cancel = E::Cancel {
            reason: "typhoon".into(),
        };
        assert_eq!(apply(S::Scheduled, &cancel), Ok(S::Cancelled));
        assert_eq!(apply(S::AgendaPublished, &cancel), Ok(S::Cancelled));
        assert_eq!(
            apply(
                S::Scheduled,
                &E::Cancel {
                    reason: "  ".into()
                }
            ),
            Err(TransitionError::ReasonRequired)
        );
        for s in [
            S::Convened,
            S::InSession,
            S::Adjourned,
            S::Published,
            S::Cancelled,
        ] {
            assert!(apply(s, &cancel).is_err(), "{s:?}");
        }
    }

    #[test]
    fn every_other_meeting_transition_is_refused() {
        use MeetingEvent as E;
        use MeetingState as S;
        let events = [
            E::PublishAgenda,
            E::Convene {
                present: 10,
                seats_filled: 10,
            },
            E::StartSession,
            E::Adjourn,
            E::DraftMinutes,
            E::ApproveMinutes,
            E::PublishMinutes,
            E::Cancel { reason: "r".into() },
        ];
        let allowed = |s: S, e: &E| {
            matches!(
                (s, e),
                (S::Scheduled, E::PublishAgenda)
                    | (S::AgendaPublished, E::Convene { .. })
                    | (S::Convened, E::StartSession)
                    | (S::InSession, E::Adjourn)
                    | (S::Adjourned | S::MinutesDrafted, E::DraftMinutes)
                    | (S::MinutesDrafted, E::ApproveMinutes)
                    | (S::MinutesApproved, E::PublishMinutes)
                    | (S::Scheduled | S::AgendaPublished, E::Cancel { .. })
            )
        };
        for s in S::ALL {
            for e in &events {
                let result = apply(s, e);
                assert_eq!(result.is_ok(), allowed(s, e), "{s:?} {e:?}");
                if let Err(err) = result {
                    assert!(matches!(err, TransitionError::NotAllowed { .. }));
                }
            }
        }
    }

    #[test]
    fn vote_rules_decide() {
        let t = |yes, no, abstain| Tally { yes, no, abstain };
        // Simple majority of those voting: abstentions do not count.
        assert!(VoteRule::MajorityOfVoting.carries(&t(3, 2, 5), 10));
        assert!(
            !VoteRule::MajorityOfVoting.carries(&t(2, 2, 0), 4),
            "a tie fails"
        );
        // Majority of members present: abstentions count against.
        assert!(!VoteRule::MajorityOfPresent.carries(&t(3, 2, 5), 10));
        assert!(VoteRule::MajorityOfPresent.carries(&t(6, 0, 4), 10));
        assert!(
            !VoteRule::MajorityOfPresent.carries(&t(5, 0, 0), 10),
            "half is not more than half"
        );
        // Two thirds of those present.
        let two_thirds = VoteRule::Qualified {
            numerator: 2,
            denominator: 3,
        };
        assert!(two_thirds.carries(&t(6, 3, 0), 9));
        assert!(!two_thirds.carries(&t(5, 4, 0), 9));
        assert!(two_thirds.carries(&t(10, 0, 0), 15));
        assert!(!two_thirds.carries(&t(9, 0, 0), 15));
    }

    #[test]
    fn vote_rules_round_trip_and_reject_nonsense() {
        for rule in [
            VoteRule::MajorityOfVoting,
            VoteRule::MajorityOfPresent,
            VoteRule::Qualified {
                numerator: 2,
                denominator: 3,
            },
        ] {
            assert_eq!(VoteRule::parse(&rule.as_string()), Some(rule));
        }
        for bad in [
            "",
            "qualified:3/2",
            "qualified:0/3",
            "qualified:x/3",
            "majority",
        ] {
            assert_eq!(VoteRule::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_motion_is_debated_voted_and_carried_or_failed() {
        use MotionEvent as E;
        use MotionState as S;
        let mut s = apply_motion(S::Proposed, &E::Debate).unwrap();
        assert_eq!(s, S::Debated);
        s = apply_motion(s, &E::OpenVote).unwrap();
        assert_eq!(s, S::Voting);
        let close = |yes, no, present| E::CloseVote {
            tally: Tally {
                yes,
                no,
                abstain: 0,
            },
            present,
            seats_filled: 7,
            rule: VoteRule::MajorityOfVoting,
        };
        assert_eq!(apply_motion(s, &close(3, 1, 4)), Ok(S::Carried));
        assert_eq!(apply_motion(s, &close(1, 3, 4)), Ok(S::Failed));
        assert!(matches!(
            apply_motion(s, &close(3, 0, 3)),
            Err(TransitionError::NoQuorum { needed: 4, .. })
        ));
        assert!(S::Carried.is_decided() && S::Failed.is_decided());
        assert!(!S::Withdrawn.is_decided() && !S::Voting.is_decided());
        assert_eq!(apply_motion(S::Proposed, &E::OpenVote), Ok(S::Voting));
        assert_eq!(apply_motion(S::Proposed, &E::Withdraw), Ok(S::Withdrawn));
        assert_eq!(apply_motion(S::Debated, &E::Withdraw), Ok(S::Withdrawn));
    }

    #[test]
    fn closed_motions_refuse_everything() {
        use MotionEvent as E;
        use MotionState as S;
        let events = [
            E::Debate,
            E::OpenVote,
            E::CloseVote {
                tally: Tally::default(),
                present: 5,
                seats_filled: 5,
                rule: VoteRule::MajorityOfVoting,
            },
            E::Withdraw,
        ];
        for s in [S::Carried, S::Failed, S::Withdrawn] {
            for e in &events {
                assert!(apply_motion(s, e).is_err(), "{s:?} {e:?}");
            }
        }
        assert!(
            apply_motion(S::Voting, &E::Withdraw).is_err(),
            "a vote under way is not withdrawn"
        );
        assert!(apply_motion(S::Voting, &E::Debate).is_err());
        assert!(apply_motion(S::Debated, &E::Debate).is_err());
        assert!(
            apply_motion(S::Proposed, &events[2]).is_err(),
            "no vote to close"
        );
    }

    #[test]
    fn one_vote_per_member_within_the_term_on_an_open_motion() {
        let term = Term::new(1_000, 2_000).unwrap();
        assert_eq!(
            check_vote(MotionState::Voting, &term, 1_500, true, false),
            Ok(())
        );
        assert_eq!(
            check_vote(MotionState::Voting, &term, 1_500, true, true),
            Err(VoteRefusal::AlreadyVoted)
        );
        assert_eq!(
            check_vote(MotionState::Voting, &term, 2_001, true, false),
            Err(VoteRefusal::OutsideTerm)
        );
        assert_eq!(
            check_vote(MotionState::Voting, &term, 999, true, false),
            Err(VoteRefusal::OutsideTerm)
        );
        assert_eq!(
            check_vote(MotionState::Voting, &term, 1_500, false, false),
            Err(VoteRefusal::NotPresent)
        );
        for closed in [
            MotionState::Carried,
            MotionState::Failed,
            MotionState::Withdrawn,
            MotionState::Proposed,
            MotionState::Debated,
        ] {
            assert_eq!(
                check_vote(closed, &term, 1_500, true, false),
                Err(VoteRefusal::NotOpen),
                "{closed:?}"
            );
        }
        assert_eq!(VoteRefusal::AlreadyVoted.id(), "already-voted");
    }

    #[test]
    fn tallies_and_ballots() {
        let mut t = Tally::default();
        for c in [Choice::Yes, Choice::Yes, Choice::No, Choice::Abstain] {
            t.add(c);
        }
        assert_eq!((t.yes, t.no, t.abstain, t.total()), (2, 1, 1, 4));
        assert!(Ballot::from_secret(false).records_choices());
        assert!(!Ballot::from_secret(true).records_choices());
    }

    #[test]
    fn form_inputs() {
        use crate::account::FieldError;
        use input::*;
        assert_eq!(
            parse_name("  종로구   협치회의 "),
            Ok("종로구 협치회의".into())
        );
        assert_eq!(parse_name(""), Err(FieldError::Required));
        assert_eq!(parse_name("a"), Err(FieldError::TooShort { min: 2 }));
        assert!(parse_text(&"x".repeat(TEXT_MAX + 1)).is_err());
        assert_eq!(parse_count("12", 1, 50), Ok(12));
        assert_eq!(parse_count("0", 1, 50), Err(FieldError::Invalid));
        assert_eq!(parse_count("x", 1, 50), Err(FieldError::Invalid));
        assert_eq!(parse_count(" ", 1, 50), Err(FieldError::Required));
        assert!(check_seed_text("Lotto 1200: 3 11 19 25 31 42 + 7").is_ok());
        assert_eq!(check_seed_text("  "), Err(FieldError::Required));
        // 2026-12-01 00:00 KST = 2026-11-30 15:00 UTC.
        assert_eq!(parse_date("2026-12-01"), Ok(1_796_050_800));
        assert_eq!(
            parse_datetime("2026-12-01T19:30"),
            Ok(1_796_050_800 + 19 * 3600 + 1800)
        );
        assert_eq!(parse_date("2026-02-30"), Err(FieldError::InvalidDate));
        assert_eq!(parse_date("2028-02-29").map(|_| ()), Ok(()));
        assert_eq!(
            parse_datetime("2026-12-01T24:00"),
            Err(FieldError::InvalidDate)
        );
        assert_eq!(parse_datetime("tomorrow"), Err(FieldError::InvalidDate));
        assert_eq!(parse_date(""), Err(FieldError::Required));
    }
}
