//! Small grants: a scope's calls, a call with its criteria and applications (each reviewer's weighted
//! score and the spread), applying (for oneself or an organization one edits), scoring by evaluators
//! (never an application of their own organization), and publishing the ranking with awards within the
//! budget (`maeul_domain::cooperation::rank_and_award`).
use std::collections::BTreeMap;

use maeul_db::cooperation::{CriterionRow, GrantApplicationRow, GrantCallRow};
use maeul_domain::cooperation::{self, GrantCallState, Ranked, Scored};
use maeul_domain::{Action, Scope};

use super::{may_run, parse_number, scope_by_code, within};
use crate::AppState;
use crate::areas::accounts::service::Fields;
use crate::http::{Caller, ServiceError, ServiceResult, signed_in};

pub async fn list(state: &AppState, code: &str) -> ServiceResult<(Scope, Vec<GrantCallRow>)> {
    let scope = scope_by_code(state, code)?;
    let ids = within(state, scope.id);
    let calls = state
        .db
        .grant_calls()
        .await?
        .into_iter()
        .filter(|c| ids.contains(&c.scope_id))
        .collect();
    Ok((scope, calls))
}

/// An application with its reviews: each reviewer's weighted score (thousandths) and the spread.
pub struct Reviewed {
    pub application: GrantApplicationRow,
    pub reviews: Vec<i64>,
    pub spread: Option<(i64, i64)>,
}

pub struct CallView {
    pub call: GrantCallRow,
    pub scope: Scope,
    pub criteria: Vec<CriterionRow>,
    pub applications: Vec<Reviewed>,
    /// The ranking the scores give now (published once staff publish it).
    pub ranking: Vec<Ranked>,
    pub may_apply: bool,
    pub may_review: bool,
    pub may_run: bool,
}

pub async fn view(state: &AppState, caller: Option<&Caller>, id: i64) -> ServiceResult<CallView> {
    let call = state
        .db
        .grant_call(id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let scope = state
        .scopes()
        .get(call.scope_id)
        .cloned()
        .ok_or(ServiceError::NotFound)?;
    let criteria = state.db.grant_criteria(id).await?;
    let weights: Vec<i64> = criteria.iter().map(|c| c.weight).collect();
    let mut by_review: BTreeMap<(i64, i64), Vec<i64>> = BTreeMap::new();
    for s in state.db.grant_scores(id).await? {
        let pos = criteria.iter().position(|c| c.id == s.criterion_id);
        let entry = by_review
            .entry((s.application_id, s.reviewer_id))
            .or_insert_with(|| vec![0; criteria.len()]);
        if let Some(pos) = pos {
            entry[pos] = s.score;
        }
    }
    let mut applications = vec![];
    for a in state.db.grant_applications(id).await? {
        let reviews: Vec<i64> = by_review
            .iter()
            .filter(|((app, _), _)| *app == a.id)
            .map(|(_, scores)| cooperation::weighted(&weights, scores))
            .collect();
        applications.push(Reviewed {
            spread: cooperation::spread(&reviews),
            reviews,
            application: a,
        });
    }
    let scored: Vec<Scored> = applications
        .iter()
        .map(|r| Scored {
            id: r.application.id,
            amount: r.application.amount,
            reviews: r.reviews.clone(),
        })
        .collect();
    let open = call.state == GrantCallState::Open;
    Ok(CallView {
        ranking: cooperation::rank_and_award(&scored, call.budget),
        may_apply: open && caller.is_some(),
        may_review: call.state != GrantCallState::Published
            && caller.is_some_and(|c| c.may(&state.scopes(), Action::Evaluate, call.scope_id)),
        may_run: may_run(state, caller, call.scope_id),
        criteria,
        applications,
        call,
        scope,
    })
}

/// A call as staff describe it; `criteria` has one `name: weight` per line.
pub struct CallForm<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub budget: &'a str,
    pub eligibility: &'a str,
    pub opens: &'a str,
    pub closes: &'a str,
    pub criteria: &'a str,
}

/// Reads `name: weight` lines (a line without a weight weighs 1).
pub fn parse_criteria(text: &str) -> Result<Vec<(String, i64)>, maeul_domain::account::FieldError> {
    use maeul_domain::account::FieldError;
    let mut out = vec![];
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (name, weight) = match line.rsplit_once(':') {
            Some((n, w)) => (
                n.trim(),
                w.trim().parse::<i64>().map_err(|_| FieldError::Invalid)?,
            ),
            None => (line, 1),
        };
        let name = cooperation::parse_name(name)?;
        if !(1..=100).contains(&weight) {
            return Err(FieldError::Invalid);
        }
        out.push((name, weight));
    }
    if out.is_empty() || out.len() > 10 {
        return Err(FieldError::Required);
    }
    Ok(out)
}

/// The platform's staff open a small-grants call.
pub async fn open_call(
    state: &AppState,
    caller: Option<&Caller>,
    code: &str,
    f: &CallForm<'_>,
) -> ServiceResult<i64> {
    use maeul_domain::account::FieldError;
    use maeul_domain::time::parse_local_date;
    let me = signed_in(caller)?;
    let scope = scope_by_code(state, code)?;
    if !may_run(state, Some(me), scope.id) {
        return Err(ServiceError::Forbidden);
    }
    let mut fields = Fields::default();
    let title = fields.check("title", cooperation::parse_name(f.title));
    let description = fields.check("description", cooperation::parse_text(f.description));
    let budget = fields.check("budget", parse_number(f.budget, 1, 10_000_000_000));
    let eligibility = fields.check(
        "eligibility",
        <cooperation::Eligibility as maeul_domain::Named>::parse(f.eligibility)
            .ok_or(FieldError::Required),
    );
    let opens = fields.check("opens", parse_local_date(f.opens));
    let closes = fields.check("closes", parse_local_date(f.closes));
    if let (Some(o), Some(c)) = (opens, closes)
        && c < o
    {
        fields.add("closes", FieldError::Invalid);
    }
    let criteria = fields.check("criteria", parse_criteria(f.criteria));
    fields.finish()?;
    let (
        Some(title),
        Some(description),
        Some(budget),
        Some(eligibility),
        Some(opens),
        Some(closes),
        Some(criteria),
    ) = (
        title,
        description,
        budget,
        eligibility,
        opens,
        closes,
        criteria,
    )
    else {
        unreachable!("checked above")
    };
    let criteria: Vec<(&str, i64)> = criteria.iter().map(|(n, w)| (n.as_str(), *w)).collect();
    Ok(state
        .db
        .create_grant_call(&maeul_db::cooperation::NewGrantCall {
            scope_id: scope.id,
            title: &title,
            description: &description,
            budget,
            eligibility,
            opens_at: opens,
            closes_at: closes + maeul_domain::time::DAY - 1,
            criteria: &criteria,
        })
        .await?)
}

pub struct ApplicationForm<'a> {
    pub title: &'a str,
    pub plan: &'a str,
    pub amount: &'a str,
    /// An organization the applicant edits (empty: a group of residents).
    pub organization: &'a str,
}

pub async fn apply(
    state: &AppState,
    caller: Option<&Caller>,
    call_id: i64,
    f: &ApplicationForm<'_>,
) -> ServiceResult<i64> {
    use maeul_domain::account::FieldError;
    let me = signed_in(caller)?;
    let call = state
        .db
        .grant_call(call_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let mut fields = Fields::default();
    let title = fields.check("title", cooperation::parse_name(f.title));
    let plan = fields.check("plan", cooperation::parse_text(f.plan));
    let amount = fields.check("amount", parse_number(f.amount, 1, call.budget.max(1)));
    let mut organization = None;
    if !f.organization.trim().is_empty() {
        match f.organization.trim().parse::<i64>() {
            Ok(org) if cooperation::may_edit(state.db.member_role(org, me.id()).await?).is_ok() => {
                organization = Some(org)
            }
            _ => fields.add("organization", FieldError::Invalid),
        }
    }
    fields.finish()?;
    let (Some(title), Some(plan), Some(amount)) = (title, plan, amount) else {
        unreachable!("checked above")
    };
    Ok(state
        .db
        .apply_for_grant(call_id, organization, me.id(), &title, &plan, amount)
        .await?)
}

/// An evaluator of the call's scope scores an application on every criterion (`(criterion id, score)`).
pub async fn score(
    state: &AppState,
    caller: Option<&Caller>,
    application_id: i64,
    scores: &[(i64, i64)],
) -> ServiceResult<i64> {
    let me = signed_in(caller)?;
    let app = state
        .db
        .grant_application(application_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let call = state
        .db
        .grant_call(app.call_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if !me.may(&state.scopes(), Action::Evaluate, call.scope_id) {
        return Err(ServiceError::Forbidden);
    }
    state
        .db
        .score_grant_application(application_id, me.id(), scores)
        .await?;
    Ok(call.id)
}

/// The platform's staff publish the ranking and its awards.
pub async fn publish(state: &AppState, caller: Option<&Caller>, call_id: i64) -> ServiceResult<()> {
    let v = view(state, caller, call_id).await?;
    if !v.may_run {
        return Err(ServiceError::Forbidden);
    }
    state.db.publish_grant_results(call_id, &v.ranking).await?;
    // The awards become tracked projects (evaluation's), once each: their holders report progress and
    // spending there, staff verify it.
    state.db.track_grant_awards(call_id).await?;
    Ok(())
}
