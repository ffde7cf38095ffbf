//! The budget's use cases, called by pages and API alike: load → authorize with the domain → run the
//! engine (ballot checks; the count on a blocking thread) → write through maeul-db in one transaction.
use maeul_db::budget::{
    EnvelopeRow, NewProject, NewResult, PhaseLogRow, ProcessRow, ProjectRow, Provenance, ResultRow,
    TurnoutRow, VoteChannel,
};
use maeul_db::{Db, DbError};
use maeul_domain::account::FieldError;
use maeul_domain::budget::{
    BudgetRefusal, Phase, PhaseEvent, ReviewEvent, StoredBallot, VoterFacts, VoterGroup, check_age,
    check_proposer,
};
use maeul_domain::{Action, Refusal, Scope};

use super::engine;
use crate::AppState;
use crate::areas::accounts::service::Fields;
use crate::http::{Caller, ServiceError, ServiceResult, signed_in};

pub(super) fn refusal(r: BudgetRefusal) -> ServiceError {
    ServiceError::Refused(Refusal::Budget(r))
}

/// A process with its scope.
pub async fn load(state: &AppState, id: i64) -> ServiceResult<(ProcessRow, Scope)> {
    let process = state.db.process(id).await?.ok_or(ServiceError::NotFound)?;
    let scope = state
        .scopes()
        .get(process.scope_id)
        .cloned()
        .ok_or(ServiceError::NotFound)?;
    Ok((process, scope))
}

/// Every process, newest first, with its scope.
pub async fn list(state: &AppState) -> ServiceResult<Vec<(ProcessRow, Scope)>> {
    let tree = state.scopes();
    Ok(state
        .db
        .processes(None)
        .await?
        .into_iter()
        .filter_map(|p| tree.get(p.scope_id).cloned().map(|s| (p, s)))
        .collect())
}

/// The projects on the ballot (shortlisted), in id order.
pub async fn ballot_projects(state: &AppState, id: i64) -> ServiceResult<Vec<ProjectRow>> {
    Ok(ballot_projects_in(&state.db, id).await?)
}

async fn ballot_projects_in(db: &Db, id: i64) -> Result<Vec<ProjectRow>, DbError> {
    Ok(db
        .projects_of(id)
        .await?
        .into_iter()
        .filter(|p| p.state.on_ballot())
        .collect())
}

/// The projects the public sees: the ballot's once it is fixed, else every project not withdrawn.
pub async fn public_projects(
    state: &AppState,
    process: &ProcessRow,
) -> ServiceResult<Vec<ProjectRow>> {
    let fixed = matches!(
        process.phase,
        Phase::BallotFixed | Phase::VotingOpen | Phase::VotingClosed
    ) || process.phase.has_result();
    Ok(state
        .db
        .projects_of(process.id)
        .await?
        .into_iter()
        .filter(|p| {
            if fixed {
                p.state.on_ballot()
            } else {
                p.state != maeul_domain::budget::ProjectState::Withdrawn
            }
        })
        .collect())
}

pub fn may_manage(state: &AppState, caller: Option<&Caller>, scope_id: i64) -> bool {
    caller.is_some_and(|c| c.may(&state.scopes(), Action::ManageBudget, scope_id))
}

pub fn may_review(state: &AppState, caller: Option<&Caller>, scope_id: i64) -> bool {
    caller.is_some_and(|c| c.may(&state.scopes(), Action::ReviewBudgetProjects, scope_id))
}

/// Verified residents of the scope (or below it) take part: vote and propose.
pub fn is_eligible(state: &AppState, caller: Option<&Caller>, scope_id: i64) -> bool {
    caller.is_some_and(|c| c.may(&state.scopes(), Action::ParticipateAsResident, scope_id))
}

/// What the process's rules know of someone verified in its scope: the basis of their verified residence
/// (a Resident role granted on the scope counts as living there) and the birth date they declared.
fn voter_facts(caller: &Caller) -> VoterFacts {
    let residency = caller.residency.as_ref();
    let verified = residency.filter(|r| r.status == maeul_domain::ResidencyStatus::Verified);
    VoterFacts {
        basis: verified.map_or(maeul_domain::ResidencyBasis::Resident, |r| r.basis),
        // Stored canonical (`YYYY-MM-DD`) by accounts::service::declare_residency.
        birth_date: residency
            .and_then(|r| r.birth_date.as_deref())
            .and_then(|d| maeul_domain::time::parse_date(d).ok()),
    }
}

/// Why `caller` may not vote in the process now (`Ok` when they may): verified in its scope, a residence
/// basis it admits, and its minimum age.
pub fn voter_check(
    state: &AppState,
    caller: &Caller,
    process: &ProcessRow,
) -> Result<(), BudgetRefusal> {
    proposer_check(state, caller, process)?;
    check_age(
        u32::try_from(process.min_age).unwrap_or(0),
        &voter_facts(caller),
        maeul_db::now(),
    )
}

/// Why `caller` may not propose projects in the process (`Ok` when they may): verified in its scope with a
/// residence basis it admits.
pub fn proposer_check(
    state: &AppState,
    caller: &Caller,
    process: &ProcessRow,
) -> Result<(), BudgetRefusal> {
    if !is_eligible(state, Some(caller), process.scope_id) {
        return Err(BudgetRefusal::NotEligible);
    }
    check_proposer(&process.voter_bases, &voter_facts(caller))
}

/// A process's page: the process, its envelope, projects, phase log, result, and what the caller may do.
pub struct ProcessView {
    pub process: ProcessRow,
    pub scope: Scope,
    pub envelope: Option<EnvelopeRow>,
    pub projects: Vec<ProjectRow>,
    pub log: Vec<PhaseLogRow>,
    pub result: Option<ResultRow>,
    pub may_manage: bool,
    pub may_review: bool,
    /// The caller may vote (by [`voter_check`]).
    pub eligible: bool,
    /// Why a signed-in caller may not vote.
    pub ineligible: Option<BudgetRefusal>,
    /// The caller may propose projects (by [`proposer_check`]).
    pub may_propose: bool,
    pub my_ballot: Option<StoredBallot>,
    /// Every project's files.
    pub files: Vec<maeul_db::attachments::AttachmentInfo>,
    /// The motions the shortlist decisions cite.
    pub cited: Vec<maeul_db::budget::CitedMotion>,
    /// The carried motions of the scope's committees a shortlist decision may cite (id, title,
    /// committee), for staff during the committee's deliberation.
    pub motions: Vec<(i64, String, String)>,
}

pub async fn view(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
) -> ServiceResult<ProcessView> {
    let (process, scope) = load(state, id).await?;
    let may_manage = may_manage(state, caller, scope.id);
    let may_review = may_review(state, caller, scope.id);
    let projects = if may_manage || may_review {
        state.db.projects_of(id).await?
    } else {
        public_projects(state, &process).await?
    };
    let ineligible = caller.and_then(|c| voter_check(state, c, &process).err());
    let eligible = caller.is_some() && ineligible.is_none();
    let may_propose = caller.is_some_and(|c| proposer_check(state, c, &process).is_ok());
    let my_ballot = match caller {
        Some(c) if eligible => own_ballot(state, &process, c).await?,
        _ => None,
    };
    let motions = if may_manage && process.phase.takes_shortlist() {
        state.db.carried_motions_in(scope.id).await?
    } else {
        vec![]
    };
    Ok(ProcessView {
        files: state.db.project_files_of_process(id).await?,
        cited: state.db.cited_motions(id).await?,
        motions,
        envelope: state.db.envelope(process.envelope_id).await?,
        log: state.db.phase_log(id).await?,
        result: state.db.budget_result(id).await?,
        projects,
        may_manage,
        may_review,
        eligible,
        ineligible,
        may_propose,
        my_ballot,
        process,
        scope,
    })
}

async fn own_ballot(
    state: &AppState,
    process: &ProcessRow,
    caller: &Caller,
) -> ServiceResult<Option<StoredBallot>> {
    let points = process.ballot_kind == maeul_domain::budget::BallotKind::Cumulative;
    Ok(state
        .db
        .own_ballot(process.id, caller.id())
        .await?
        .and_then(|b| StoredBallot::decode(&b.ballot, points)))
}

/// Casts (or replaces) the caller's ballot: voting must be open, the caller a verified resident of the
/// process's scope, and the ballot valid by the engine's own checks. Returns the revision.
pub async fn cast(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
    ballot: &StoredBallot,
) -> ServiceResult<i64> {
    let caller = signed_in(caller)?;
    let (process, _) = load(state, id).await?;
    voter_check(state, caller, &process).map_err(refusal)?;
    if !process.phase.takes_ballots() {
        return Err(refusal(BudgetRefusal::VotingClosed));
    }
    let projects = ballot_projects(state, id).await?;
    let election = engine::election(&process, &projects, vec![]);
    engine::check(&election, process.ballot_kind, ballot).map_err(refusal)?;
    let home = caller.actor.home.as_ref().map(|h| h.id);
    Ok(state
        .db
        .cast_ballot(id, caller.id(), home, &ballot.encode(), VoteChannel::Online)
        .await?)
}

/// What a resident types to propose a project.
pub struct ProjectInput<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub category: &'a str,
    pub location: &'a str,
    pub cost: &'a str,
}

pub(super) fn text(input: &str, min: usize, max: usize) -> Result<String, FieldError> {
    let text = input.trim().replace("\r\n", "\n");
    let len = text.chars().count();
    if len == 0 && min > 0 {
        Err(FieldError::Required)
    } else if len < min {
        Err(FieldError::TooShort { min })
    } else if len > max {
        Err(FieldError::TooLong { max })
    } else {
        Ok(text)
    }
}

/// A cost in won: digits, commas and spaces allowed (`12,000,000`).
pub fn parse_won(input: &str) -> Result<u64, FieldError> {
    let digits: String = input
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '_'))
        .collect();
    if digits.is_empty() {
        return Err(FieldError::Required);
    }
    digits.parse::<u64>().map_err(|_| FieldError::Invalid)
}

/// A verified resident of the scope submits a project while proposals are open.
pub async fn submit_project(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
    input: &ProjectInput<'_>,
) -> ServiceResult<i64> {
    let caller = signed_in(caller)?;
    let (process, scope) = load(state, id).await?;
    if !may_manage(state, Some(caller), scope.id) {
        proposer_check(state, caller, &process).map_err(refusal)?;
    }
    let mut fields = Fields::default();
    let title = fields.check("title", text(input.title, 2, 120));
    let description = fields.check("description", text(input.description, 0, 5000));
    let category = fields.check("category", text(input.category, 0, 60));
    let location = fields.check("location", text(input.location, 0, 200));
    let cost = fields.check("cost", parse_won(input.cost));
    fields.finish()?;
    let (Some(title), Some(description), Some(category), Some(location), Some(cost)) =
        (title, description, category, location, cost)
    else {
        return Err(ServiceError::Refused(Refusal::Stale));
    };
    if !process.phase.takes_projects() {
        return Err(refusal(BudgetRefusal::WrongPhase {
            phase: process.phase.label_id(),
        }));
    }
    Ok(state
        .db
        .submit_project(&NewProject {
            process_id: id,
            proposer_id: Some(caller.id()),
            title: &title,
            description: &description,
            category: &category,
            location: &location,
            cost,
            proposal_id: None,
        })
        .await?)
}

/// What a review form sends: the event, the reviewed cost and months, a reason, and the motion a
/// shortlist decision cites (each as typed; '' when absent).
#[derive(Debug, Clone, Copy)]
pub struct ReviewInput<'a> {
    pub event: &'a str,
    pub cost: &'a str,
    pub months: &'a str,
    pub reason: &'a str,
    pub motion: &'a str,
}

/// A review step on a project: `feasible` (cost, months) and `infeasible` (reason) by an official of the
/// scope; `shortlist` and `drop` by the scope's staff recording the committee's decision; `withdraw` by
/// the proposer. Returns the process id.
pub async fn review(
    state: &AppState,
    caller: Option<&Caller>,
    project_id: i64,
    input: &ReviewInput<'_>,
) -> ServiceResult<i64> {
    let ReviewInput {
        event,
        cost,
        months,
        reason,
        motion,
    } = *input;
    let caller = signed_in(caller)?;
    // The carried committee motion a shortlist decision cites (empty: none).
    let motion =
        match motion.trim() {
            "" => None,
            m => Some(m.parse::<i64>().map_err(|_| {
                ServiceError::Refused(Refusal::field("motion", FieldError::Invalid))
            })?),
        };
    let project = state
        .db
        .project(project_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let (process, scope) = load(state, project.process_id).await?;
    let event = match event {
        "feasible" => {
            let mut fields = Fields::default();
            let cost = fields.check("review_cost", parse_won(cost));
            let months = fields.check(
                "review_months",
                months
                    .trim()
                    .parse::<u32>()
                    .map_err(|_| FieldError::Invalid),
            );
            fields.finish()?;
            ReviewEvent::Feasible {
                cost: cost.unwrap_or(0),
                months: months.unwrap_or(0),
                envelope: 0,
            }
        }
        "infeasible" => ReviewEvent::Infeasible {
            reason: reason.to_owned(),
        },
        "shortlist" => ReviewEvent::Shortlist,
        "drop" => ReviewEvent::Drop,
        "withdraw" => ReviewEvent::Withdraw,
        _ => return Err(ServiceError::NotFound),
    };
    let allowed = match event {
        ReviewEvent::Feasible { .. } | ReviewEvent::Infeasible { .. } => {
            may_review(state, Some(caller), scope.id)
        }
        ReviewEvent::Shortlist | ReviewEvent::Drop => may_manage(state, Some(caller), scope.id),
        ReviewEvent::Withdraw => project.proposer_id == Some(caller.id()),
    };
    if !allowed {
        return Err(ServiceError::Forbidden);
    }
    state
        .db
        .review_project_citing(project_id, &event, motion, Some(caller.id()))
        .await?;
    Ok(process.id)
}

/// Staff move a process: `advance` to the next phase (closing the vote queues its count for the
/// background worker), `cancel` with a reason, or `tally` to count at once a closed vote whose count has
/// not been stored yet (the fallback when the worker's job failed; the stored result is still written once).
pub async fn step(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
    event: &str,
    reason: &str,
) -> ServiceResult<Phase> {
    let caller = signed_in(caller)?;
    let (process, scope) = load(state, id).await?;
    if !may_manage(state, Some(caller), scope.id) {
        return Err(ServiceError::Forbidden);
    }
    let event = match event {
        "advance" if process.phase == Phase::VotingClosed => {
            tally(state, id, Some(caller.id())).await?;
            return Ok(Phase::Tallied);
        }
        "tally" => {
            tally(state, id, Some(caller.id())).await?;
            return Ok(Phase::Tallied);
        }
        "advance" => PhaseEvent::Advance { shortlisted: 0 },
        "cancel" => PhaseEvent::Cancel {
            reason: reason.to_owned(),
        },
        _ => return Err(ServiceError::NotFound),
    };
    let to = state
        .db
        .transition_process(id, &event, Some(caller.id()))
        .await?;
    if to == Phase::Approved {
        state.db.apply_leftover(id, Some(caller.id())).await?;
    }
    Ok(to)
}

/// Counts a closed vote once: reads the snapshot of ballots, runs the process's rule on a blocking thread
/// and stores the result with the phase change to `tallied` (compare-and-set: a second count is refused).
pub async fn tally(state: &AppState, id: i64, by: Option<i64>) -> ServiceResult<()> {
    tally_in(&state.db, id, by).await
}

/// [`tally`] on a database (the demo seeds through it).
pub async fn tally_in(db: &Db, id: i64, by: Option<i64>) -> ServiceResult<()> {
    let process = db.process(id).await?.ok_or(ServiceError::NotFound)?;
    if process.phase != Phase::VotingClosed {
        return Err(refusal(BudgetRefusal::PhaseNotAllowed {
            phase: process.phase.label_id(),
            event: "budget-event-tally",
        }));
    }
    let (election, groups) = snapshot_with_groups(db, &process).await?;
    let digest = snapshot_digest(&election, &groups);
    let rule = process.rule.clone();
    let voters = election.voters.len() as u64;
    let (weights, weights_text) = match process.group_shares() {
        Some(shares) => {
            let (w, text) = group_weights(shares, &groups).map_err(refusal)?;
            (Some(w), text)
        }
        None => (None, String::new()),
    };
    let counted = tokio::task::spawn_blocking(move || match weights {
        Some(w) => engine::count_weighted(&election, &w, &rule),
        None => engine::count(&election, &rule),
    })
    .await
    .map_err(|e| refusal(BudgetRefusal::CountFailed(e.to_string())))?
    .map_err(refusal)?;
    db.store_result_read(
        id,
        &NewResult {
            rule: &process.rule,
            selected: &counted.selected,
            total_cost: counted.total_cost,
            ballots: voters,
            explanation: &counted.explanation,
        },
        &Provenance {
            snapshot: digest,
            weights: weights_text,
        },
        by,
    )
    .await?;
    Ok(())
}

/// The background worker's count of a closed vote (job `budget-count`): counts once; a process that is
/// no longer `voting_closed` (counted by staff meanwhile, or cancelled) leaves nothing to do.
pub async fn count_job(db: &Db, id: i64) -> Result<(), DbError> {
    match tally_in(db, id, None).await {
        Ok(())
        | Err(ServiceError::NotFound)
        | Err(ServiceError::Refused(Refusal::Stale))
        | Err(ServiceError::Refused(Refusal::Budget(BudgetRefusal::PhaseNotAllowed { .. }))) => {
            Ok(())
        }
        Err(ServiceError::Internal(e)) => Err(e),
        Err(e) => Err(DbError::Corrupt(format!("budget count {id}: {e:?}"))),
    }
}

/// Per-voter weights from the groups' shares (online, committee, school) and each voter's group, and
/// their text form for the stored result: a voter of weight k counts as k identical voters
/// (`maeul_domain::budget::weights::group_weights`).
pub fn group_weights(
    shares: [u32; 3],
    groups: &[VoterGroup],
) -> Result<(Vec<u64>, String), BudgetRefusal> {
    let order = [
        VoterGroup::Online,
        VoterGroup::Committee,
        VoterGroup::School,
    ];
    let sizes: Vec<(u32, u64)> = order
        .iter()
        .zip(shares)
        .map(|(g, share)| (share, groups.iter().filter(|x| *x == g).count() as u64))
        .collect();
    let per_group = maeul_domain::budget::weights::group_weights(&sizes)?;
    let weight_of = |g: &VoterGroup| per_group[order.iter().position(|o| o == g).unwrap_or(0)];
    let text = order
        .iter()
        .zip(&per_group)
        .map(|(g, w)| format!("{}:{w}", g.as_str()))
        .collect::<Vec<_>>()
        .join(",");
    Ok((groups.iter().map(weight_of).collect(), text))
}

/// A digest (HMAC-SHA-256 under a fixed key) of what a count read: every voter's pseudonym, ballot and group, in the snapshot's order.
pub(super) fn snapshot_digest(election: &maeul_pb::Election, groups: &[VoterGroup]) -> String {
    let mut text = String::new();
    for (v, g) in election.voters.iter().zip(groups) {
        text.push_str(&format!("{}\t{:?}\t{}\n", v.id, v.ballot, g.as_str()));
    }
    maeul_db::secrets::keyed_hash("maeul budget snapshot", &text)
}

/// The election as counted: ballot projects and every stored ballot (voters by pseudonym).
async fn snapshot(db: &Db, process: &ProcessRow) -> ServiceResult<maeul_pb::Election> {
    Ok(snapshot_with_groups(db, process).await?.0)
}

/// [`snapshot`] with each voter's group, in the voters' order.
async fn snapshot_with_groups(
    db: &Db,
    process: &ProcessRow,
) -> ServiceResult<(maeul_pb::Election, Vec<VoterGroup>)> {
    let projects = ballot_projects_in(db, process.id).await?;
    let points = process.ballot_kind == maeul_domain::budget::BallotKind::Cumulative;
    let mut groups = Vec::new();
    let voters = db
        .ballots_of(process.id)
        .await?
        .into_iter()
        .filter_map(|b| {
            let ballot = StoredBallot::decode(&b.ballot, points)?;
            groups.push(b.voter_group);
            Some((b.pseudonym, ballot))
        })
        .collect();
    Ok((engine::election(process, &projects, voters), groups))
}

/// A tallied process's result with its ballot projects and turnout.
pub struct ResultView {
    pub process: ProcessRow,
    pub scope: Scope,
    pub result: ResultRow,
    pub projects: Vec<ProjectRow>,
    pub turnout: Vec<TurnoutRow>,
    /// Population of each neighbourhood in the turnout, where known.
    pub population: Vec<(i64, u64)>,
}

pub async fn result(state: &AppState, id: i64) -> ServiceResult<ResultView> {
    let (process, scope) = load(state, id).await?;
    let result = state
        .db
        .budget_result(id)
        .await?
        .ok_or_else(|| refusal(BudgetRefusal::NoResult))?;
    let turnout = result.turnout_rows()?;
    let homes: Vec<i64> = turnout.iter().filter_map(|t| t.home_scope).collect();
    let population = state
        .db
        .scope_figures(&homes)
        .await?
        .into_iter()
        .map(|f| (f.scope_id, f.population))
        .collect();
    Ok(ResultView {
        projects: ballot_projects(state, id).await?,
        turnout,
        population,
        process,
        scope,
        result,
    })
}

/// The `.pb` file of a closed election (voters renumbered at random, order shuffled).
pub async fn election_file(state: &AppState, id: i64) -> ServiceResult<String> {
    let (process, _) = load(state, id).await?;
    if !(process.phase == Phase::VotingClosed || process.phase.has_result()) {
        return Err(refusal(BudgetRefusal::NoResult));
    }
    let election = snapshot(&state.db, &process).await?;
    Ok(engine::export(election))
}

/// A scope's budget: its latest envelope, the envelopes it handed down, and its processes.
pub struct ScopeBudget {
    pub envelope: EnvelopeRow,
    pub parent: Option<EnvelopeRow>,
    pub children: Vec<EnvelopeRow>,
    pub processes: Vec<ProcessRow>,
}

pub async fn scope_budget(state: &AppState, scope_id: i64) -> ServiceResult<Option<ScopeBudget>> {
    let Some(envelope) = state.db.latest_envelope_of(scope_id).await? else {
        return Ok(None);
    };
    let parent = match envelope.parent_id {
        Some(p) => state.db.envelope(p).await?,
        None => None,
    };
    Ok(Some(ScopeBudget {
        children: state.db.child_envelopes(envelope.id).await?,
        processes: state.db.processes(Some(scope_id)).await?,
        parent,
        envelope,
    }))
}

/// Staff of the scope enter a paper ballot cast in person by a resident (named by e-mail): the same
/// eligibility, phase and engine checks as online, and the same one-ballot rule — a resident who voted
/// online cannot also be entered on paper, nor the reverse. Returns the revision.
pub async fn cast_paper(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
    voter_email: &str,
    ballot: &StoredBallot,
) -> ServiceResult<i64> {
    let caller = signed_in(caller)?;
    let (process, scope) = load(state, id).await?;
    if !may_manage(state, Some(caller), scope.id) {
        return Err(ServiceError::Forbidden);
    }
    let user = state
        .db
        .user_by_email(voter_email.trim())
        .await?
        .ok_or_else(|| ServiceError::Refused(Refusal::field("voter", FieldError::Invalid)))?;
    let voter = Caller::load(state, user).await?;
    voter_check(state, &voter, &process).map_err(refusal)?;
    if !process.phase.takes_ballots() {
        return Err(refusal(BudgetRefusal::VotingClosed));
    }
    let projects = ballot_projects(state, id).await?;
    let election = engine::election(&process, &projects, vec![]);
    engine::check(&election, process.ballot_kind, ballot).map_err(refusal)?;
    let home = voter.actor.home.as_ref().map(|h| h.id);
    Ok(state
        .db
        .cast_ballot(id, voter.id(), home, &ballot.encode(), VoteChannel::Paper)
        .await?)
}
