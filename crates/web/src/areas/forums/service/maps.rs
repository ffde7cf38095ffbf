//! The live map: its update (the job a vote schedules: recompute from the stored votes on a blocking
//! thread, store the snapshot, schedule again if votes arrived meanwhile), what the map page shows, and
//! the Pol.is export (`votes.csv`, `comments.csv`, `participants-votes.csv`) of exactly the votes the map
//! is computed from, with the same pseudonyms.
use std::collections::BTreeMap;

use maeul_db::DbError;
use maeul_db::forums::{ConversationRow, MapRow, NewMap, StatementRow};
use maeul_db::jobs::Job;
use maeul_domain::Scope;
use maeul_domain::forum::{ConversationState, StatementState};
use maeul_opinion::report::MapSnapshot;
use maeul_opinion::stats::Side;

use super::{load, may_manage};
use crate::AppState;
use crate::areas::forums::engine;
use crate::areas::forums::ingest::VoteQueue;
use crate::http::csv::{Cell, CsvWriter};
use crate::http::{Caller, ServiceError, ServiceResult};

/// Recomputes a conversation's map from its stored votes and stores the snapshot (the map-update job).
/// Votes that arrived during the computation schedule the next update.
pub async fn update_map(state: &AppState, id: i64) -> Result<(), DbError> {
    update_map_in(&state.db, Some(&state.forum_votes), id).await
}

/// [`update_map`] on a database (the demo computes its map at seeding time without a server); with the
/// server's vote queue, the snapshot's write waits for the writer's turn among the votes.
pub async fn update_map_in(
    db: &maeul_db::Db,
    queue: Option<&VoteQueue>,
    id: i64,
) -> Result<(), DbError> {
    // The last event before the votes: the snapshot includes at least every vote up to it.
    let last_event = db.forum_last_event(id).await?;
    let statements = db.forum_statements(id).await?;
    let votes = db.forum_current_votes(id).await?;
    if votes.is_empty() {
        return Ok(());
    }
    let conversation = engine::conversation_of(&statements, &votes);
    let computed = tokio::task::spawn_blocking(move || engine::compute(&conversation))
        .await
        .map_err(|e| DbError::Corrupt(format!("map update failed: {e}")))?;
    let map = NewMap {
        map_json: &computed.map_json,
        svg: &computed.svg,
        priorities_json: &computed.priorities_json,
        votes: votes.len() as i64,
        last_event_id: last_event,
    };
    match queue {
        Some(q) => {
            let _turn = q.turn().await;
            db.store_forum_map(id, &map).await?
        }
        None => db.store_forum_map(id, &map).await?,
    };
    Ok(())
}

/// Runs the due map updates, each conversation's at most once (each a claimed job; the worker polls this
/// several times a second, so a conversation under a burst of votes is updated once per poll): how many
/// ran. A failed update is retried within seconds, and a new vote schedules one of its own.
pub async fn run_due_updates(state: &AppState, at_most: usize) -> Result<usize, DbError> {
    let mut updated = vec![];
    while updated.len() < at_most {
        let job = {
            let _turn = state.forum_votes.turn().await;
            state.db.claim_forum_map_job(&updated).await?
        };
        let Some(job) = job else { break };
        if let Ok(id) = job.detail.parse::<i64>() {
            updated.push(id);
        }
        run_job(state, &job).await?;
    }
    Ok(updated.len())
}

/// Runs one claimed map-update job: completed, or released for a retry soon.
pub async fn run_job(state: &AppState, job: &Job) -> Result<(), DbError> {
    let outcome = match job.detail.parse::<i64>() {
        Ok(id) => update_map(state, id).await,
        Err(e) => Err(DbError::Corrupt(format!("map job {}: {e}", job.id))),
    };
    let _turn = state.forum_votes.turn().await;
    match outcome {
        Ok(()) => state.db.complete_job(job.id).await,
        Err(e) => {
            tracing::warn!(job = job.id, error = %e, "map update failed");
            state.db.retry_forum_map_job(job, &e.to_string()).await
        }
    }
}

/// A representative or consensus statement as the text alternative shows it.
pub struct ShownStatement {
    pub id: i64,
    pub text: String,
    /// Share of the group (or of everyone) on the statement's side, in percent.
    pub percent: u32,
    /// `true` when the group agrees (more than the others), `false` when it disagrees.
    pub agree: bool,
}

pub struct GroupView {
    /// A, B, C …
    pub label: String,
    pub size: usize,
    pub statements: Vec<ShownStatement>,
    /// The caller is in this group.
    pub mine: bool,
}

/// What the map page shows.
pub struct MapView {
    pub conversation: ConversationRow,
    pub scope: Scope,
    /// The latest snapshot (none before the first vote's update).
    pub map: Option<(MapRow, MapSnapshot)>,
    pub groups: Vec<GroupView>,
    pub consensus_agree: Vec<ShownStatement>,
    pub consensus_disagree: Vec<ShownStatement>,
    /// Statements some group agrees with and another disagrees with.
    pub divisive: Vec<(i64, String)>,
    /// The caller's pseudonym, votes, and whether they are placed in a group.
    pub me: Option<(i64, usize)>,
    /// (snapshot id, votes, created_at) of every update, oldest first.
    pub history: Vec<(i64, i64, i64)>,
    /// Vote events and distinct participants.
    pub participation: (i64, i64),
    pub may_manage: bool,
}

fn percent(n: u32, of: u32) -> u32 {
    (n * 100 + of / 2).checked_div(of).unwrap_or(0)
}

pub async fn view(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
    snapshot_id: Option<i64>,
) -> ServiceResult<MapView> {
    let (conversation, scope) = load(state, id).await?;
    let may_manage = may_manage(state, caller, scope.id);
    if conversation.state == ConversationState::Draft && !may_manage {
        return Err(ServiceError::NotFound);
    }
    let row = match snapshot_id {
        Some(s) => Some(
            state
                .db
                .forum_map(id, s)
                .await?
                .ok_or(ServiceError::NotFound)?,
        ),
        None => state.db.latest_forum_map(id).await?,
    };
    let map = match row {
        Some(r) => {
            let snapshot: MapSnapshot = serde_json::from_str(&r.map_json)
                .map_err(|e| DbError::Corrupt(format!("map snapshot {}: {e}", r.id)))?;
            Some((r, snapshot))
        }
        None => None,
    };
    let statements = state.db.forum_statements(id).await?;
    let text = |tid: u64| -> String {
        statements
            .iter()
            .find(|s| s.id as u64 == tid)
            .map(|s| s.body.clone())
            .unwrap_or_default()
    };
    let pseudonym = match caller {
        Some(c) => state.db.forum_pseudonym(id, c.id()).await?,
        None => None,
    };
    let me = match pseudonym {
        Some(p) => Some((p, state.db.forum_votes_of(id, p).await?.len())),
        None => None,
    };
    let mut groups = vec![];
    let (mut consensus_agree, mut consensus_disagree, mut divisive) = (vec![], vec![], vec![]);
    if let Some((_, snapshot)) = &map {
        let mut sides: BTreeMap<u64, (bool, bool)> = BTreeMap::new();
        for (i, g) in snapshot.groups.iter().enumerate() {
            let mut shown = vec![];
            for r in &g.repness {
                let agree = r.repful_for == Side::Agree;
                let entry = sides.entry(r.tid).or_default();
                if agree {
                    entry.0 = true
                } else {
                    entry.1 = true
                }
                shown.push(ShownStatement {
                    id: r.tid as i64,
                    text: text(r.tid),
                    percent: percent(r.n_success, r.n_trials),
                    agree,
                });
            }
            groups.push(GroupView {
                label: char::from(b'A' + (i % 26) as u8).to_string(),
                size: g.members.len(),
                statements: shown,
                mine: pseudonym.is_some_and(|p| g.members.contains(&p.to_string())),
            });
        }
        let shown = |c: &maeul_opinion::stats::ConsensusStatement, agree| ShownStatement {
            id: c.tid as i64,
            text: text(c.tid),
            percent: percent(c.n_success, c.n_trials),
            agree,
        };
        consensus_agree = snapshot
            .consensus
            .agree
            .iter()
            .map(|c| shown(c, true))
            .collect();
        consensus_disagree = snapshot
            .consensus
            .disagree
            .iter()
            .map(|c| shown(c, false))
            .collect();
        divisive = sides
            .into_iter()
            .filter(|(_, (a, d))| *a && *d)
            .map(|(tid, _)| (tid as i64, text(tid)))
            .collect();
    }
    Ok(MapView {
        history: state.db.forum_map_history(id).await?,
        participation: state.db.forum_participation(id).await?,
        conversation,
        scope,
        map,
        groups,
        consensus_agree,
        consensus_disagree,
        divisive,
        me,
        may_manage,
    })
}

/// The latest snapshot, in the shape `maeul opinion analyze --json` prints (for the API).
pub async fn latest(state: &AppState, id: i64) -> ServiceResult<Option<serde_json::Value>> {
    let (conversation, _) = load(state, id).await?;
    if conversation.state == ConversationState::Draft {
        return Err(ServiceError::NotFound);
    }
    match state.db.latest_forum_map(id).await? {
        Some(r) => Ok(Some(serde_json::from_str(&r.map_json).map_err(|e| {
            DbError::Corrupt(format!("map snapshot {}: {e}", r.id))
        })?)),
        None => Ok(None),
    }
}

/// Which file of the Pol.is export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFile {
    Votes,
    Comments,
    ParticipantsVotes,
}

impl ExportFile {
    pub fn parse(name: &str) -> Option<ExportFile> {
        match name {
            "votes.csv" => Some(ExportFile::Votes),
            "comments.csv" => Some(ExportFile::Comments),
            "participants-votes.csv" => Some(ExportFile::ParticipantsVotes),
            _ => None,
        }
    }
}

/// Pol.is's columns (comma-separated).
const VOTES_HEADER: &str = "timestamp,datetime,comment-id,voter-id,vote";
const COMMENTS_HEADER: &str =
    "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body";

fn datetime(unix: i64) -> String {
    maeul_domain::time::format_local(unix)
}

/// One file of the conversation's Pol.is export, without a byte-order mark (for programs): the statements
/// out of pre-moderation and the current votes on accepted statements, exactly what the map reads.
pub async fn export(state: &AppState, id: i64, file: ExportFile) -> ServiceResult<Vec<u8>> {
    let (conversation, _) = load(state, id).await?;
    if conversation.state == ConversationState::Draft {
        return Err(ServiceError::NotFound);
    }
    let statements: Vec<StatementRow> = state
        .db
        .forum_statements(id)
        .await?
        .into_iter()
        .filter(|s| s.state != StatementState::Pending)
        .collect();
    let votes = state.db.forum_current_votes(id).await?;
    let written = (|| {
        let mut w = CsvWriter::new(false);
        match file {
            ExportFile::Votes => {
                w.row(VOTES_HEADER.split(',').map(Cell::from))?;
                for v in &votes {
                    w.row([
                        Cell::Number(v.voted_at * 1000),
                        Cell::from(datetime(v.voted_at).as_str()),
                        Cell::Number(v.statement_id),
                        Cell::Number(v.pseudonym),
                        Cell::Number(v.vote),
                    ])?;
                }
            }
            ExportFile::Comments => {
                w.row(COMMENTS_HEADER.split(',').map(Cell::from))?;
                for s in &statements {
                    let moderated = if s.state == StatementState::Hidden {
                        -1
                    } else {
                        1
                    };
                    w.row([
                        Cell::Number(s.created_at * 1000),
                        Cell::from(datetime(s.created_at).as_str()),
                        Cell::Number(s.id),
                        // A statement without an author was seeded by the organiser (Pol.is's pid 0).
                        Cell::Number(s.author_pseudonym.unwrap_or(0)),
                        Cell::Number(s.agrees),
                        Cell::Number(s.disagrees),
                        Cell::Number(moderated),
                        Cell::from(&s.body),
                    ])?;
                }
            }
            ExportFile::ParticipantsVotes => {
                let mut header: Vec<String> = [
                    "participant",
                    "group-id",
                    "n-comments",
                    "n-votes",
                    "n-agree",
                    "n-disagree",
                ]
                .map(String::from)
                .to_vec();
                header.extend(statements.iter().map(|s| s.id.to_string()));
                w.row(header.iter().map(Cell::from))?;
                let mut rows: BTreeMap<i64, BTreeMap<i64, i64>> = BTreeMap::new();
                for v in &votes {
                    rows.entry(v.pseudonym)
                        .or_default()
                        .insert(v.statement_id, v.vote);
                }
                for (p, cast) in &rows {
                    let n_comments = statements
                        .iter()
                        .filter(|s| s.author_pseudonym == Some(*p))
                        .count() as i64;
                    let agree = cast.values().filter(|v| **v == 1).count() as i64;
                    let disagree = cast.values().filter(|v| **v == -1).count() as i64;
                    let mut cells: Vec<Cell> = vec![
                        Cell::Number(*p),
                        Cell::Text(""),
                        Cell::Number(n_comments),
                        Cell::Number(cast.len() as i64),
                        Cell::Number(agree),
                        Cell::Number(disagree),
                    ];
                    cells.extend(
                        statements
                            .iter()
                            .map(|s| cast.get(&s.id).map_or(Cell::Text(""), |v| Cell::Number(*v))),
                    );
                    w.row(cells)?;
                }
            }
        }
        w.finish()
    })();
    written.map_err(|e| {
        tracing::error!(error = %e, "forum export failed");
        ServiceError::Internal(DbError::Corrupt(e.to_string()))
    })
}
