//! Agenda items: lists by scope, the item with its whole referral path, proposing (by residents, committee
//! members, staff, or promoting a proposal), the holding level's steps, referral and its answer.
use maeul_db::notifications::FollowTarget;
use maeul_db::plan::{ItemAction, ItemRow, ItemTransitionRow, NewItem, ReferralRow};
use maeul_domain::account::FieldError;
use maeul_domain::plan::{ItemState, ProposerKind, ReferralAnswer, ReferralOutcome};
use maeul_domain::proposal::input::{parse_body, parse_title};
use maeul_domain::{Action, Refusal, Scope};

use super::{scope_by_code, scope_by_id};
use crate::AppState;
use crate::areas::accounts::service::Fields;
use crate::areas::notifications::service as notifications;
use crate::http::{Caller, ServiceError, ServiceResult, signed_in};

/// May the caller act for the level `scope_id` (screen, refer, answer, adopt, draft its plan)?
pub fn may_manage(state: &AppState, caller: Option<&Caller>, scope_id: i64) -> bool {
    caller.is_some_and(|c| c.may(&state.scopes(), Action::ManageAgenda, scope_id))
}

/// The items found in, held by, or referred to or from a scope, with their referral paths.
pub struct ItemsView {
    pub scope: Scope,
    pub items: Vec<ItemRow>,
    pub referrals: Vec<ReferralRow>,
    pub may_propose: bool,
    pub may_promote: bool,
}

pub async fn list(
    state: &AppState,
    caller: Option<&Caller>,
    code: &str,
) -> ServiceResult<ItemsView> {
    let scope = scope_by_code(state, code)?;
    let items = state.db.plan_items_touching(scope.id).await?;
    let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
    let referrals = state.db.plan_referrals_of_items(&ids).await?;
    Ok(ItemsView {
        may_propose: proposer_kind(state, caller, scope.id).is_some(),
        may_promote: may_manage(state, caller, scope.id),
        scope,
        items,
        referrals,
    })
}

/// What kind of proposer the caller is in a scope, if they may propose there at all.
fn proposer_kind(state: &AppState, caller: Option<&Caller>, scope_id: i64) -> Option<ProposerKind> {
    let caller = caller?;
    let tree = state.scopes();
    if caller.may(&tree, Action::ManageAgenda, scope_id) {
        Some(ProposerKind::Staff)
    } else if caller.may(&tree, Action::ActAsCommitteeMember, scope_id) {
        Some(ProposerKind::CommitteeMember)
    } else if caller.may(&tree, Action::ParticipateAsResident, scope_id) {
        Some(ProposerKind::Resident)
    } else {
        None
    }
}

/// An item as submitted. `proposal` (staff only) promotes a public-sphere proposal of the scope.
pub struct ItemInput<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub proposal: &'a str,
}

/// Proposes an item in a scope (its origin and first holder); returns its id.
pub async fn propose(
    state: &AppState,
    caller: Option<&Caller>,
    code: &str,
    f: &ItemInput<'_>,
) -> ServiceResult<i64> {
    let me = signed_in(caller)?;
    let scope = scope_by_code(state, code)?;
    let mut kind = proposer_kind(state, Some(me), scope.id).ok_or(ServiceError::Forbidden)?;
    let mut fields = Fields::default();
    let title = fields.check("title", parse_title(f.title));
    let body = if f.body.trim().is_empty() {
        Some(String::new())
    } else {
        fields.check("body", parse_body(f.body))
    };
    let mut proposal_id = None;
    if !f.proposal.trim().is_empty() {
        if kind != ProposerKind::Staff {
            return Err(ServiceError::Forbidden);
        }
        match f.proposal.trim().parse::<i64>() {
            Ok(id) => match state.db.proposal(id).await? {
                Some(p) if state.scopes().subtree_ids(scope.id).contains(&p.scope_id) => {
                    proposal_id = Some(id);
                    kind = ProposerKind::Proposal;
                }
                _ => fields.add("proposal", FieldError::Invalid),
            },
            Err(_) => fields.add("proposal", FieldError::Invalid),
        }
    }
    fields.finish()?;
    let (Some(title), Some(body)) = (title, body) else {
        unreachable!("checked above")
    };
    Ok(state
        .db
        .create_plan_item(&NewItem {
            scope_id: scope.id,
            title: &title,
            body: &body,
            proposer_kind: kind,
            proposed_by: Some(me.id()),
            proposal_id,
        })
        .await?)
}

/// An item with everything its page shows.
pub struct ItemView {
    pub item: ItemRow,
    pub holder: Scope,
    pub origin: Scope,
    pub referrals: Vec<ReferralRow>,
    pub transitions: Vec<ItemTransitionRow>,
    pub proposal: Option<(i64, String)>,
    pub pending: Option<ReferralRow>,
    /// The caller acts for the holding level and no referral waits.
    pub may_act: bool,
    /// The caller acts for the level a pending referral waits at.
    pub may_answer: bool,
    /// Where the holder may refer it: its parent and its children.
    pub refer_targets: Vec<Scope>,
    /// Carried motions of the holder's committees (id, title, committee).
    pub motions: Vec<(i64, String, String)>,
    /// Open items of the same holder it could be merged into.
    pub merge_targets: Vec<ItemRow>,
    /// The item it was merged into, if any.
    pub merged_into: Option<ItemRow>,
    /// The forum conversations attached to the item (id, topic): its deliberation's place.
    pub conversations: Vec<(i64, String)>,
    /// The caller follows the item (and so hears of its every step).
    pub following: bool,
    pub followers: i64,
}

pub async fn view(state: &AppState, caller: Option<&Caller>, id: i64) -> ServiceResult<ItemView> {
    let item = state
        .db
        .plan_item(id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let holder = scope_by_id(state, item.scope_id)?;
    let origin = scope_by_id(state, item.origin_scope_id)?;
    let referrals = state.db.plan_referrals(id).await?;
    let pending = referrals
        .iter()
        .rfind(|r| r.outcome == ReferralOutcome::Pending)
        .cloned();
    let may_act = pending.is_none() && item.state.is_open() && may_manage(state, caller, holder.id);
    let may_answer = pending
        .as_ref()
        .is_some_and(|p| may_manage(state, caller, p.to_scope_id));
    let tree = state.scopes();
    let mut refer_targets: Vec<Scope> = tree.parent(&holder).into_iter().cloned().collect();
    refer_targets.extend(tree.children(holder.id).cloned());
    let (motions, merge_targets) = if may_act {
        let others = state
            .db
            .plan_items_touching(holder.id)
            .await?
            .into_iter()
            .filter(|o| o.id != id && o.scope_id == holder.id && o.state.is_open())
            .collect();
        (state.db.carried_motions_in(holder.id).await?, others)
    } else {
        (vec![], vec![])
    };
    let proposal = match item.proposal_id {
        Some(p) => state.db.proposal(p).await?.map(|p| (p.id, p.title)),
        None => None,
    };
    let merged_into = match item.merged_into {
        Some(m) => state.db.plan_item(m).await?,
        None => None,
    };
    let about = maeul_domain::ObjectRef::new(maeul_domain::ObjectKind::AgendaItem, id);
    let followed = FollowTarget::PlanItem(id);
    Ok(ItemView {
        following: notifications::follows(state, caller, followed).await?,
        followers: state.db.follower_count(followed).await?,
        conversations: state
            .db
            .conversations_about(about)
            .await?
            .into_iter()
            .map(|c| (c.id, c.topic))
            .collect(),
        transitions: state.db.plan_item_transitions(id).await?,
        item,
        holder,
        origin,
        referrals,
        proposal,
        pending,
        may_act,
        may_answer,
        refer_targets,
        motions,
        merge_targets,
        merged_into,
    })
}

/// A step of the holding level as submitted: `accept`, `decline`, `merge`, `deliberate`, `prioritise`,
/// `adopt` (with a carried motion), `reject`.
pub struct StepInput<'a> {
    pub event: &'a str,
    pub reason: &'a str,
    pub motion: &'a str,
    pub into: &'a str,
}

fn reason_of(fields: &mut Fields, reason: &str) -> String {
    let reason = reason.trim();
    if reason.is_empty() {
        fields.add("reason", FieldError::Required);
    } else if reason.chars().count() > maeul_domain::proposal::input::REASON_MAX {
        fields.add(
            "reason",
            FieldError::TooLong {
                max: maeul_domain::proposal::input::REASON_MAX,
            },
        );
    }
    reason.to_owned()
}

fn id_of(fields: &mut Fields, field: &'static str, value: &str) -> i64 {
    match value.trim().parse::<i64>() {
        Ok(id) if id > 0 => id,
        _ => {
            let error = if value.trim().is_empty() {
                FieldError::Required
            } else {
                FieldError::Invalid
            };
            fields.add(field, error);
            0
        }
    }
}

/// The holding level moves an item along.
pub async fn step(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
    f: &StepInput<'_>,
) -> ServiceResult<ItemState> {
    let me = signed_in(caller)?;
    let item = state
        .db
        .plan_item(id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    me.require(&state.scopes(), Action::ManageAgenda, item.scope_id)?;
    let mut fields = Fields::default();
    let action = match f.event {
        "accept" => ItemAction::Accept,
        "deliberate" => ItemAction::Deliberate,
        "prioritise" => ItemAction::Prioritise,
        "decline" => ItemAction::Decline {
            reason: reason_of(&mut fields, f.reason),
        },
        "reject" => ItemAction::Reject {
            reason: reason_of(&mut fields, f.reason),
        },
        "merge" => ItemAction::Merge {
            into: id_of(&mut fields, "into", f.into),
        },
        "adopt" => ItemAction::Adopt {
            motion_id: id_of(&mut fields, "motion", f.motion),
        },
        _ => {
            return Err(ServiceError::Refused(Refusal::field(
                "event",
                FieldError::Invalid,
            )));
        }
    };
    fields.finish()?;
    Ok(state
        .db
        .transition_plan_item(id, item.scope_id, Some(me.id()), &action)
        .await?)
}

/// The holding level refers the item to its parent or a child (by scope code), with a reason.
pub async fn refer(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
    to: &str,
    reason: &str,
) -> ServiceResult<()> {
    let me = signed_in(caller)?;
    let item = state
        .db
        .plan_item(id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    me.require(&state.scopes(), Action::ManageAgenda, item.scope_id)?;
    let tree = state.scopes();
    let mut fields = Fields::default();
    let target = tree.by_code(to.trim()).and_then(|s| tree.scope_ref(s.id));
    if target.is_none() {
        fields.add(
            "to",
            if to.trim().is_empty() {
                FieldError::Required
            } else {
                FieldError::Invalid
            },
        );
    }
    let reason = reason_of(&mut fields, reason);
    fields.finish()?;
    let (Some(from), Some(target)) = (tree.scope_ref(item.scope_id), target) else {
        unreachable!("checked above")
    };
    state
        .db
        .refer_plan_item(id, &from, &target, &reason, Some(me.id()))
        .await?;
    Ok(())
}

/// The level a referral waits at accepts it, or returns it with a reason.
pub async fn answer(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
    accept: bool,
    reason: &str,
) -> ServiceResult<ReferralOutcome> {
    let me = signed_in(caller)?;
    let item = state
        .db
        .plan_item(id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let referrals = state.db.plan_referrals(id).await?;
    let Some(pending) = referrals
        .iter()
        .rfind(|r| r.outcome == ReferralOutcome::Pending)
    else {
        // Only those who could act on the item learn that nothing waits for an answer.
        me.require(&state.scopes(), Action::ManageAgenda, item.scope_id)?;
        return Err(Refusal::Plan(maeul_domain::plan::PlanRefusal::NoPendingReferral).into());
    };
    me.require(&state.scopes(), Action::ManageAgenda, pending.to_scope_id)?;
    let answer = if accept {
        ReferralAnswer::Accept
    } else {
        let mut fields = Fields::default();
        let reason = reason_of(&mut fields, reason);
        fields.finish()?;
        ReferralAnswer::Return { reason }
    };
    let (outcome, _) = state
        .db
        .answer_plan_referral(id, pending.to_scope_id, &answer, Some(me.id()))
        .await?;
    Ok(outcome)
}

/// The agenda item a proposal was promoted to, if any: (id, title), for the proposal's page.
pub async fn for_proposal(
    state: &AppState,
    proposal_id: i64,
) -> ServiceResult<Option<(i64, String)>> {
    Ok(state
        .db
        .plan_item_for_proposal(proposal_id)
        .await?
        .map(|i| (i.id, i.title)))
}
