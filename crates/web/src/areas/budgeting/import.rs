//! Historical elections imported from pabulib `.pb` files by a scope's staff: the file is read by the
//! engine's own reader and checked whole (a malformed file is refused naming its line or section, and
//! nothing is written), then stored as an already-tallied process of the scope's envelope — projects,
//! ballots under fresh random pseudonyms, and the result of the chosen rule counted on exactly what was
//! stored, in one transaction — so it shows like any counted process and its `election.pb` export
//! re-counts to the same result. Audited. Also the page form's handler (multipart upload).
use std::collections::HashMap;

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use maeul_db::budget::{ImportedCount, NewImport, NewImportProject};
use maeul_db::{Db, DbError};
use maeul_domain::Refusal;
use maeul_domain::account::FieldError;
use maeul_domain::budget::{BallotConfig, BallotKind, BudgetRefusal, StoredBallot, VoterGroup};
use maeul_pb::{Ballot, Election, Q, Rule, VoteType};

use super::engine;
use super::service::{may_manage, refusal, snapshot_digest, text};
use crate::AppState;
use crate::areas::accounts::service::Fields;
use crate::http::upload::{self, CsrfQuery, Unreadable};
use crate::http::{
    Caller, Ctx, FormErrors, PageError, PagePath, PageQuery, ServiceError, ServiceResult, signed_in,
};

/// The largest `.pb` file imported (a district's election of tens of thousands of ballots fits).
pub const MAX_PB_BYTES: usize = 2 * 1024 * 1024;

/// What staff give to import an election.
pub struct ImportInput<'a> {
    pub title: &'a str,
    pub rule: &'a str,
    pub file: &'a [u8],
}

fn whole(q: &Q) -> Option<u64> {
    q.is_integer()
        .then(|| q.to_string().parse::<u64>().ok())
        .flatten()
}

/// An election read and checked, ready to store.
pub struct Checked {
    pub budget: u64,
    pub ballot: BallotConfig,
    /// (title, category, cost) in the file's order.
    pub projects: Vec<(String, String, u64)>,
    /// Ballots over project positions.
    pub ballots: Vec<StoredBallot>,
}

/// Reads and checks a `.pb` text: the engine's reader (line and reason), then what the platform stores —
/// a supported vote type, whole positive costs and budget, whole points, at least one project and vote.
pub fn check_file(text: &str) -> Result<(Election, Checked), BudgetRefusal> {
    // Control characters (NUL, escape, …) are refused before reading: no store accepts them in text.
    if let Some(line) = text.lines().position(|l| {
        l.chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\r'))
    }) {
        return Err(BudgetRefusal::ImportLine {
            line: line as u64 + 1,
            reason: "control character".into(),
        });
    }
    let parsed = maeul_pb::format::parse_str(text).map_err(|e| match e {
        maeul_pb::format::ParseError::Invalid { line, reason } => BudgetRefusal::ImportLine {
            line: line as u64,
            reason,
        },
        maeul_pb::format::ParseError::Io(e) => BudgetRefusal::ImportMalformed(e.to_string()),
    })?;
    let election = parsed.election;
    let c = &election.constraints;
    let kind = match election.vote_type {
        VoteType::Approval | VoteType::ChooseOne if c.max_sum_cost.is_some() => {
            BallotKind::Knapsack
        }
        VoteType::Approval | VoteType::ChooseOne => BallotKind::Approval,
        VoteType::Cumulative => BallotKind::Cumulative,
        VoteType::Ordinal => BallotKind::Ranking,
        other => {
            return Err(BudgetRefusal::ImportVoteType {
                vote_type: other.as_str().to_owned(),
            });
        }
    };
    if election.projects.is_empty() || election.voters.is_empty() {
        return Err(BudgetRefusal::ImportEmpty);
    }
    let budget = whole(&election.budget)
        .filter(|b| *b > 0 && i64::try_from(*b).is_ok())
        .ok_or(BudgetRefusal::ImportBudget)?;
    let clip = |s: &str, max: usize| s.trim().chars().take(max).collect::<String>();
    let mut position = HashMap::new();
    let mut projects = Vec::with_capacity(election.projects.len());
    for (i, p) in election.projects.iter().enumerate() {
        let cost = whole(&p.cost)
            .filter(|c| *c > 0 && i64::try_from(*c).is_ok())
            .ok_or_else(|| BudgetRefusal::ImportCost {
                project: p.id.clone(),
            })?;
        let title = p
            .field("name")
            .map_or_else(|| p.id.clone(), |n| clip(n, 120));
        let title = if title.is_empty() {
            p.id.clone()
        } else {
            title
        };
        let category = clip(p.field("category").unwrap_or(""), 60);
        position.insert(p.id.as_str(), i as i64);
        projects.push((title, category, cost));
    }
    let at = |voter: &str, project: &str| {
        position
            .get(project)
            .copied()
            .ok_or_else(|| BudgetRefusal::ImportMalformed(format!("{voter}: {project}")))
    };
    let mut ballots = Vec::with_capacity(election.voters.len());
    let mut most_points = 0u64;
    for v in &election.voters {
        let ballot = match &v.ballot {
            Ballot::Approval(ids) | Ballot::Ordinal(ids) => {
                let mut seen = Vec::with_capacity(ids.len());
                for id in ids {
                    let p = at(&v.id, id)?;
                    if !seen.contains(&p) {
                        seen.push(p);
                    }
                }
                StoredBallot::Projects(seen)
            }
            Ballot::Cumulative(points) | Ballot::Scoring(points) => {
                let mut given: Vec<(i64, u32)> = Vec::with_capacity(points.len());
                for (id, n) in points {
                    let p = at(&v.id, id)?;
                    let n = whole(n)
                        .and_then(|n| u32::try_from(n).ok())
                        .ok_or_else(|| BudgetRefusal::ImportPoints {
                            voter: v.id.clone(),
                        })?;
                    if n > 0 && !given.iter().any(|(q, _)| *q == p) {
                        given.push((p, n));
                    }
                }
                most_points = most_points.max(given.iter().map(|(_, n)| u64::from(*n)).sum());
                StoredBallot::Points(given)
            }
        };
        ballots.push(ballot);
    }
    let limit = |n: Option<u64>| n.map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX));
    let points = match kind {
        BallotKind::Cumulative => c
            .max_sum_points
            .as_ref()
            .and_then(whole)
            .unwrap_or(most_points)
            .max(1),
        _ => 0,
    };
    let ballot = BallotConfig {
        kind,
        min_projects: limit(c.min_length),
        max_projects: limit(c.max_length),
        points: u32::try_from(points).unwrap_or(u32::MAX),
    };
    Ok((
        election,
        Checked {
            budget,
            ballot,
            projects,
            ballots,
        },
    ))
}

/// Imports a `.pb` file into `db` on the scope's latest envelope (the demo seeds through it; `by` is
/// the staff member, audited). The rule must be one of the engine's that counts the file's ballots.
pub async fn import_into(
    db: &Db,
    envelope_id: i64,
    by: Option<i64>,
    input: &ImportInput<'_>,
) -> ServiceResult<i64> {
    let mut fields = Fields::default();
    let title = fields.check("import_title", text(input.title, 2, 120));
    if input.file.len() > MAX_PB_BYTES {
        return Err(refusal(BudgetRefusal::ImportTooLarge {
            max_kib: (MAX_PB_BYTES / 1024) as u32,
        }));
    }
    let source = std::str::from_utf8(input.file).map_err(|e| {
        refusal(BudgetRefusal::ImportMalformed(format!(
            "UTF-8, byte {}",
            e.valid_up_to()
        )))
    })?;
    let checked = check_file(source);
    if let Ok((election, _)) = &checked
        && !Rule::from_name(input.rule).is_some_and(|r| r.accepts(election.vote_type))
    {
        fields.add("import_rule", FieldError::Invalid);
    }
    fields.finish()?;
    let (_, checked) = checked.map_err(refusal)?;
    let Some(title) = title else {
        return Err(ServiceError::Refused(Refusal::Stale));
    };
    let import = NewImport {
        envelope_id,
        title: &title,
        budget: checked.budget,
        rule: input.rule,
        ballot: checked.ballot,
        projects: checked
            .projects
            .iter()
            .map(|(title, category, cost)| NewImportProject {
                title,
                description: "",
                category,
                cost: *cost,
            })
            .collect(),
        ballots: checked.ballots,
        source,
        by,
    };
    let count = |process: maeul_db::budget::ProcessRow,
                 projects: Vec<maeul_db::budget::ProjectRow>,
                 voters: Vec<(String, StoredBallot)>| async move {
        // Exactly what `election.pb` will hold: ballots as stored and read back, by pseudonym.
        let points = process.ballot_kind == BallotKind::Cumulative;
        let mut voters: Vec<(String, StoredBallot)> = voters
            .into_iter()
            .filter_map(|(id, b)| StoredBallot::decode(&b.encode(), points).map(|b| (id, b)))
            .collect();
        voters.sort_by(|a, b| a.0.cmp(&b.0));
        let election = engine::election(&process, &projects, voters);
        let groups = vec![VoterGroup::Online; election.voters.len()];
        let snapshot = snapshot_digest(&election, &groups);
        let rule = process.rule.clone();
        let counted = tokio::task::spawn_blocking(move || engine::count(&election, &rule))
            .await
            .map_err(|e| DbError::Corrupt(format!("import count: {e}")))?
            .map_err(|r| DbError::Refused(Refusal::Budget(r)))?;
        Ok::<_, DbError>(ImportedCount {
            selected: counted.selected,
            total_cost: counted.total_cost,
            explanation: counted.explanation,
            snapshot,
        })
    };
    Ok(db.import_election(&import, count).await?)
}

/// Staff of a scope import a historical election onto its latest envelope. Returns the process id.
pub async fn import(
    state: &AppState,
    caller: Option<&Caller>,
    scope_id: i64,
    input: &ImportInput<'_>,
) -> ServiceResult<i64> {
    let caller = signed_in(caller)?;
    if !may_manage(state, Some(caller), scope_id) {
        return Err(ServiceError::Forbidden);
    }
    let envelope = state
        .db
        .latest_envelope_of(scope_id)
        .await?
        .ok_or_else(|| refusal(BudgetRefusal::NoEnvelope))?;
    import_into(&state.db, envelope.id, Some(caller.id()), input).await
}

/// `POST /scopes/{code}/budget/import?_csrf=…` (multipart: `file`, `title`, `rule`).
pub async fn import_page(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    PageQuery(q): PageQuery<CsrfQuery>,
    request: axum::extract::Request,
) -> Result<Response, PageError> {
    let me = upload::check(&ctx, &q, &request)?;
    let scope = ctx.scopes.by_code(&code).ok_or(PageError::NotFound)?.id;
    let too_large = || {
        ServiceError::Refused(Refusal::Budget(BudgetRefusal::ImportTooLarge {
            max_kib: (MAX_PB_BYTES / 1024) as u32,
        }))
    };
    let result = match upload::read_form(request, &state).await {
        Ok(form) => {
            let empty = axum::body::Bytes::new();
            let file = form.file.as_ref().map_or(&empty, |(_, b)| b);
            let input = ImportInput {
                title: form.field("title"),
                rule: form.field("rule"),
                file,
            };
            import(&state, Some(me), scope, &input).await
        }
        Err(Unreadable::TooLarge) => Err(too_large()),
        Err(Unreadable::Broken) => {
            return Err(PageError::BadRequest(crate::i18n::Message::id(
                "request-error-form",
            )));
        }
    };
    match result {
        Ok(id) => Ok(
            Redirect::to(&format!("/budgets/{id}?notice=budget-notice-imported")).into_response(),
        ),
        Err(ServiceError::Refused(r)) => {
            let errors = FormErrors::from_refusal(&ctx, &r, "import");
            super::pages::scope_budget_page(&state, &ctx, &code, errors).await
        }
        Err(e) => Err(e.into()),
    }
}
