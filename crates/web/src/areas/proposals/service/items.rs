//! Proposals and debates themselves: who sees them, writing them, the lifecycle (submit, accept, reject,
//! forum, answer, adopt, close), supports, the threshold ladder, and lists.
use maeul_db::attachments::AttachmentInfo;
use maeul_db::notifications::FollowTarget;
use maeul_db::proposals::{
    Answer, Kind, NewProposal, Obligation, ProposalRow, SupportChange, Transition,
};
use maeul_domain::account::FieldError;
use maeul_domain::debate::DebateState;
use maeul_domain::proposal::{
    Category, Effect, ItemRefusal, ItemState, Ladder, LadderConfig, Measure, ProposalEvent,
    ProposalState, Responder, input,
};
use maeul_domain::{Action, Refusal, Scope};

use crate::AppState;
use crate::areas::accounts::service::Fields;
use crate::http::{Caller, ServiceError, ServiceResult};

/// The threshold ladder of a scope: its own, or the nearest ancestor's, or Democracy Seoul's.
pub async fn ladder_for(state: &AppState, scope_id: i64) -> ServiceResult<Ladder> {
    Ok(ladder_config(state, scope_id).await?.0.ladder())
}

/// The ladder configuration in force in a scope and the scope it is set on (None: the city default).
pub async fn ladder_config(
    state: &AppState,
    scope_id: i64,
) -> ServiceResult<(LadderConfig, Option<i64>)> {
    let tree = state.scopes();
    let scope = tree.get(scope_id).ok_or(ServiceError::NotFound)?;
    let path: Vec<i64> = tree.path(scope).iter().map(|s| s.id).collect();
    Ok(state.db.ladder_config(&path).await?)
}

/// A proposal or debate the caller may see: public and not hidden; their own in any state; anything in a
/// scope they moderate. Anything else is "not found" (its existence is not revealed).
pub async fn visible(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
) -> ServiceResult<ProposalRow> {
    let p = state.db.proposal(id).await?.ok_or(ServiceError::NotFound)?;
    let own = caller.is_some_and(|c| c.id() == p.author_id);
    let moderator = caller.is_some_and(|c| c.may(&state.scopes(), Action::Moderate, p.scope_id));
    if p.is_public() || own || moderator {
        Ok(p)
    } else {
        Err(ServiceError::NotFound)
    }
}

/// A proposal or debate that anyone may see (what the API serves).
pub async fn public(state: &AppState, id: i64, kind: Kind) -> ServiceResult<ProposalRow> {
    let p = visible(state, None, id).await?;
    if p.kind == kind {
        Ok(p)
    } else {
        Err(ServiceError::NotFound)
    }
}

fn scope_by_code(state: &AppState, code: &str) -> ServiceResult<Scope> {
    state
        .scopes()
        .by_code(code)
        .cloned()
        .ok_or(ServiceError::NotFound)
}

/// Only verified residents of a scope (or of a scope below it) propose and support there.
pub fn require_participant(state: &AppState, caller: &Caller, scope_id: i64) -> ServiceResult<()> {
    caller.require(&state.scopes(), Action::ParticipateAsResident, scope_id)
}

/// The scope a new proposal or debate would be written in, if the caller may write there.
pub fn writing_scope(state: &AppState, caller: &Caller, code: &str) -> ServiceResult<Scope> {
    let scope = scope_by_code(state, code)?;
    require_participant(state, caller, scope.id)?;
    Ok(scope)
}

/// A proposal or debate as submitted.
pub struct NewItem<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub category: &'a str,
    pub location: &'a str,
    /// Submit for moderation at once (proposals; debates always open at once).
    pub submit: bool,
}

/// Writes a proposal or opens a debate in a scope; returns its id.
pub async fn create(
    state: &AppState,
    caller: &Caller,
    code: &str,
    kind: Kind,
    item: &NewItem<'_>,
) -> ServiceResult<i64> {
    let scope = writing_scope(state, caller, code)?;
    let mut fields = Fields::default();
    let title = fields.check("title", input::parse_title(item.title));
    let body = fields.check("body", input::parse_body(item.body));
    let category = fields.check("category", input::parse_category(item.category));
    let location = fields.check("location", input::parse_location(item.location));
    fields.finish()?;
    let (Some(title), Some(body), Some(category), Some(location)) =
        (title, body, category, location)
    else {
        unreachable!("checked above")
    };
    Ok(state
        .db
        .create_proposal(&NewProposal {
            scope_id: scope.id,
            author_id: caller.id(),
            title: &title,
            body: &body,
            category,
            location: &location,
            submit: item.submit || kind == Kind::Debate,
            kind,
        })
        .await?)
}

/// A page of a scope's public proposals or debates, newest first, and the cursor of the next page.
pub async fn list(
    state: &AppState,
    code: &str,
    kind: Kind,
    before: Option<i64>,
    limit: i64,
) -> ServiceResult<(Scope, Vec<ProposalRow>, Option<i64>)> {
    let scope = scope_by_code(state, code)?;
    let limit = limit.clamp(1, 100);
    let rows = state
        .db
        .proposals_in_scope(scope.id, kind, before, limit)
        .await?;
    let next = (rows.len() as i64 == limit)
        .then(|| rows.last().map(|p| p.id))
        .flatten();
    Ok((scope, rows, next))
}

/// What a scope's list page shows: a page of its public proposals or debates, the next cursor, and the
/// ladder in force there (and the scope it is configured on).
pub struct ListView {
    pub scope: Scope,
    pub rows: Vec<ProposalRow>,
    pub next: Option<i64>,
    pub ladder: LadderConfig,
    pub ladder_from: Option<i64>,
}

/// A scope's list page. Anonymous readers share it through the server's micro-cache (fresh within a
/// second, cleared by any write here: `http::microcache`); signed-in readers read it fresh.
pub async fn list_view(
    state: &AppState,
    caller: Option<&Caller>,
    code: &str,
    kind: Kind,
    before: Option<i64>,
    limit: i64,
) -> ServiceResult<std::sync::Arc<ListView>> {
    let load = async {
        let (scope, rows, next) = list(state, code, kind, before, limit).await?;
        let (ladder, ladder_from) = ladder_config(state, scope.id).await?;
        Ok::<_, ServiceError>(ListView {
            scope,
            rows,
            next,
            ladder,
            ladder_from,
        })
    };
    match caller {
        Some(_) => Ok(std::sync::Arc::new(load.await?)),
        None => {
            let key = format!("list {code} {} {before:?} {limit}", kind.as_str());
            state.microcache.get_or_load(key, load).await
        }
    }
}

/// The next rung of supporters a collecting proposal is working towards: (threshold, what it brings).
pub fn next_rung(ladder: &Ladder, p: &ProposalRow) -> Option<(u32, Effect)> {
    let state = p.state.proposal()?;
    if !state.accepts_support() {
        return None;
    }
    ladder
        .rungs
        .iter()
        .filter(|r| r.measure == Measure::Supporters && i64::from(r.threshold) > p.support_count)
        .min_by_key(|r| r.threshold)
        .map(|r| (r.threshold, r.effect))
}

/// The open forum of a proposal: participants so far and the count at which the head must answer.
#[derive(Clone)]
pub struct Forum {
    pub participants: i64,
    pub head_at: Option<u32>,
}

/// Everything a proposal's or debate's page shows, with what the caller may do there.
#[derive(Clone)]
pub struct ItemPage {
    pub item: ProposalRow,
    pub obligations: Vec<Obligation>,
    pub answers: Vec<Answer>,
    pub transitions: Vec<Transition>,
    pub attachments: Vec<AttachmentInfo>,
    pub followers: i64,
    pub following: bool,
    pub supported: bool,
    pub next_rung: Option<(u32, Effect)>,
    pub forum: Option<Forum>,
    /// A debate's participants by position: (for, against, neutral).
    pub positions: (i64, i64, i64),
    pub may: ItemPermissions,
}

/// What the caller may do on an item's page, decided here so pages and templates compare no states.
#[derive(Default, Clone)]
pub struct ItemPermissions {
    pub support: bool,
    pub participate: bool,
    pub moderate_submission: bool,
    pub moderate: bool,
    pub answer: bool,
    pub settle: bool,
    pub open_forum: bool,
    pub attach: bool,
    pub submit_draft: bool,
    pub conclude: bool,
    pub comment: bool,
}

pub async fn page(state: &AppState, caller: Option<&Caller>, id: i64) -> ServiceResult<ItemPage> {
    let p = visible(state, caller, id).await?;
    let tree = state.scopes();
    let may_in = |action| caller.is_some_and(|c| c.may(&tree, action, p.scope_id));
    let me = caller.map(Caller::id);
    let is_author = me == Some(p.author_id);
    let (ladder_config, _) = ladder_config(state, p.scope_id).await?;
    let ladder = ladder_config.ladder();
    let attachments = state.db.attachments_of(id).await?;
    let participate = may_in(Action::ParticipateAsResident);
    let moderate = may_in(Action::Moderate);
    let may = match p.state {
        ItemState::Proposal(s) => ItemPermissions {
            support: s.accepts_support() && participate,
            participate,
            moderate_submission: s == ProposalState::Submitted && moderate,
            moderate,
            answer: matches!(
                s,
                ProposalState::Collecting | ProposalState::Forum | ProposalState::Answered
            ) && may_in(Action::AnswerOfficially),
            settle: s == ProposalState::Answered && may_in(Action::AnswerOfficially),
            open_forum: s == ProposalState::Collecting && may_in(Action::ActAsCommitteeMember),
            attach: is_author
                && matches!(s, ProposalState::Draft | ProposalState::Submitted)
                && attachments.len() < maeul_domain::attachment::MAX_PER_PROPOSAL,
            submit_draft: is_author && s == ProposalState::Draft,
            conclude: false,
            comment: caller.is_some() && p.hidden_at.is_none() && s.is_public(),
        },
        ItemState::Debate(s) => ItemPermissions {
            participate,
            moderate,
            conclude: s == DebateState::Open && (is_author || may_in(Action::AnswerOfficially)),
            comment: caller.is_some() && p.hidden_at.is_none() && s.takes_comments(),
            ..Default::default()
        },
    };
    let forum = (p.state == ItemState::Proposal(ProposalState::Forum)).then(|| Forum {
        participants: p.forum_participants,
        head_at: ladder
            .rungs
            .iter()
            .find(|r| r.measure == Measure::ForumParticipants)
            .map(|r| r.threshold),
    });
    Ok(ItemPage {
        obligations: state.db.proposal_obligations(id).await?,
        answers: state.db.proposal_answers(id).await?,
        transitions: state.db.proposal_transitions(id).await?,
        followers: state.db.follower_count(FollowTarget::Proposal(id)).await?,
        following: match me {
            Some(u) => state.db.is_following(u, FollowTarget::Proposal(id)).await?,
            None => false,
        },
        supported: match me {
            Some(u) => state.db.has_supported(id, u).await?,
            None => false,
        },
        positions: if p.is_debate() {
            state.db.debate_positions(id).await?
        } else {
            (0, 0, 0)
        },
        next_rung: next_rung(&ladder, &p),
        forum,
        attachments,
        may,
        item: p,
    })
}

/// Adds or withdraws the caller's support (verified residents of the proposal's scope or below).
pub async fn set_support(
    state: &AppState,
    caller: &Caller,
    id: i64,
    add: bool,
) -> ServiceResult<SupportChange> {
    let p = visible(state, Some(caller), id).await?;
    require_participant(state, caller, p.scope_id)?;
    if p.is_debate() {
        return Err(Refusal::from(ItemRefusal::DebateNoSupport).into());
    }
    let ladder = ladder_for(state, p.scope_id).await?;
    Ok(if add {
        state.db.support_proposal(id, caller.id(), &ladder).await?
    } else {
        state.db.withdraw_support(id, caller.id(), &ladder).await?
    })
}

/// A lifecycle step a person takes on a proposal, with the right it needs.
pub enum Step {
    /// The author submits their draft for moderation.
    Submit,
    /// A moderator of the scope accepts it for collection.
    Accept,
    /// A moderator rejects it, telling the author why.
    Reject {
        reason: String,
    },
    /// The scope's committee opens a forum below the threshold, saying why.
    OpenForum {
        reason: String,
    },
    /// An official records that the answered proposal is adopted, or closes it.
    Adopt,
    Close,
}

/// Applies a lifecycle step as the caller.
pub async fn step(
    state: &AppState,
    caller: &Caller,
    id: i64,
    step: Step,
) -> ServiceResult<ProposalState> {
    let p = visible(state, Some(caller), id).await?;
    if p.is_debate() {
        return Err(ServiceError::NotFound);
    }
    let tree = state.scopes();
    // Who may take the step is checked before what they sent (a resident learns nothing from a 422).
    let required = match &step {
        Step::Submit => None,
        Step::Accept | Step::Reject { .. } => Some(Action::Moderate),
        Step::OpenForum { .. } => Some(Action::ActAsCommitteeMember),
        Step::Adopt | Step::Close => Some(Action::AnswerOfficially),
    };
    if let Some(action) = required {
        caller.require(&tree, action, p.scope_id)?;
    }
    let (action, event) = match step {
        Step::Submit => {
            if p.author_id != caller.id() {
                return Err(Refusal::from(ItemRefusal::NotAuthor).into());
            }
            (None, ProposalEvent::Submit)
        }
        Step::Accept => (Some(Action::Moderate), ProposalEvent::Accept),
        Step::Reject { reason } => (
            Some(Action::Moderate),
            ProposalEvent::Reject {
                reason: reason_field(&reason)?,
            },
        ),
        Step::OpenForum { reason } => (
            Some(Action::ActAsCommitteeMember),
            ProposalEvent::PanelOpensForum {
                reason: reason_field(&reason)?,
            },
        ),
        Step::Adopt => (Some(Action::AnswerOfficially), ProposalEvent::Adopt),
        Step::Close => (Some(Action::AnswerOfficially), ProposalEvent::Close),
    };
    if let Some(action) = action {
        caller.require(&tree, action, p.scope_id)?;
    }
    let ladder = ladder_for(state, p.scope_id).await?;
    Ok(state
        .db
        .transition_proposal(id, &event, &ladder, Some(caller.id()))
        .await?)
}

fn reason_field(reason: &str) -> ServiceResult<String> {
    input::parse_reason(reason).map_err(|e| Refusal::field("reason", e).into())
}

/// Publishes an official answer (officials of the proposal's scope or above).
pub async fn answer(
    state: &AppState,
    caller: &Caller,
    id: i64,
    responder: &str,
    body: &str,
) -> ServiceResult<()> {
    let p = visible(state, Some(caller), id).await?;
    if p.is_debate() {
        return Err(ServiceError::NotFound);
    }
    caller.require(&state.scopes(), Action::AnswerOfficially, p.scope_id)?;
    let mut fields = Fields::default();
    let responder = fields.check(
        "responder",
        Responder::parse(responder).ok_or(FieldError::Invalid),
    );
    let body = fields.check("body", input::parse_body(body));
    fields.finish()?;
    let (Some(responder), Some(body)) = (responder, body) else {
        unreachable!("checked above")
    };
    let ladder = ladder_for(state, p.scope_id).await?;
    Ok(state
        .db
        .answer_proposal(id, responder, caller.id(), &body, &ladder)
        .await?)
}

/// Official answers past their due date, with the proposals' titles.
pub async fn overdue(state: &AppState) -> ServiceResult<Vec<(Obligation, String)>> {
    let mut items = vec![];
    for o in state.db.overdue_obligations(200).await? {
        if let Some(p) = state.db.proposal(o.proposal_id).await? {
            items.push((o, p.title));
        }
    }
    Ok(items)
}

/// A ladder configuration as submitted (numbers as typed), or a return to the inherited ladder.
pub struct LadderInput<'a> {
    pub answer_at: &'a str,
    pub forum_at: &'a str,
    pub head_at: &'a str,
    pub answer_days: &'a str,
    pub inherit: bool,
}

/// Sets a scope's own threshold ladder (administrators of the scope); a refused one changes nothing.
pub async fn set_ladder(
    state: &AppState,
    caller: &Caller,
    code: &str,
    l: &LadderInput<'_>,
) -> ServiceResult<()> {
    let scope = scope_by_code(state, code)?;
    caller.require(&state.scopes(), Action::ManageRoles, scope.id)?;
    let config = if l.inherit {
        None
    } else {
        let mut fields = Fields::default();
        let mut number = |field, s: &str| {
            fields.check(
                field,
                s.trim().parse::<u32>().map_err(|_| FieldError::Invalid),
            )
        };
        let (answer_at, forum_at, head_at, answer_days) = (
            number("answer_at", l.answer_at),
            number("forum_at", l.forum_at),
            number("head_at", l.head_at),
            number("answer_days", l.answer_days),
        );
        fields.finish()?;
        let (Some(answer_at), Some(forum_at), Some(head_at), Some(answer_days)) =
            (answer_at, forum_at, head_at, answer_days)
        else {
            unreachable!("checked above")
        };
        Some(LadderConfig {
            answer_at,
            forum_at,
            head_at,
            answer_days,
        })
    };
    Ok(state
        .db
        .set_ladder_config(scope.id, config, caller.id())
        .await?)
}

/// The categories a proposal may have, in display order.
pub fn categories() -> &'static [Category] {
    &Category::ALL
}
