//! What the dashboard's participation reads from other capabilities' tables (read only): who voted in
//! participatory-budgeting processes, by their home neighbourhood (`budget_turnout`: who voted, never how),
//! and who took part in forum conversations, by the conversation's scope. Both are asked for a list of scopes
//! (a dashboard's subtree), so a district's dashboard reads only its own rows (migration 0019 indexes the
//! turnout by home scope).
use crate::{Db, DbResult, db_run};

/// Residents of one scope who voted: distinct voters and the ballots they cast (one per process and voter).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TurnoutByHome {
    pub scope_id: i64,
    pub voters: i64,
    pub ballots: i64,
}

/// Forum conversations held in one scope (not drafts) and their participants: the distinct pseudonyms that
/// joined, voted or wrote a statement in each conversation, summed over the conversations (pseudonyms are
/// per conversation, so one person in two conversations counts twice).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ForumByScope {
    pub scope_id: i64,
    pub conversations: i64,
    pub participants: i64,
}

/// `$first, $first+1, …` for `n` values.
pub(super) fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Db {
    /// Budget voters by their home scope, for the scopes in `scope_ids` (every process, every year).
    pub async fn turnout_by_home_scope(&self, scope_ids: &[i64]) -> DbResult<Vec<TurnoutByHome>> {
        if scope_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT home_scope AS scope_id, COUNT(DISTINCT user_id) AS voters, COUNT(*) AS ballots
             FROM budget_turnout WHERE home_scope IN ({}) GROUP BY home_scope ORDER BY home_scope",
            placeholders(1, scope_ids.len())
        );
        Ok(db_run!(self, pool => {
            let mut q = sqlx::query_as::<_, TurnoutByHome>(&sql);
            for id in scope_ids {
                q = q.bind(*id);
            }
            q.fetch_all(pool).await?
        }))
    }

    /// Forum conversations and their participants by the conversation's scope, for the scopes in
    /// `scope_ids`.
    pub async fn forum_participation_by_scope(
        &self,
        scope_ids: &[i64],
    ) -> DbResult<Vec<ForumByScope>> {
        if scope_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT c.scope_id, COUNT(DISTINCT c.id) AS conversations, COUNT(p.pseudonym) AS participants
             FROM forum_conversations c LEFT JOIN (
                 SELECT conversation_id, pseudonym FROM forum_vote_events
                 UNION SELECT conversation_id, author_pseudonym FROM forum_statements WHERE author_pseudonym IS NOT NULL
                 UNION SELECT conversation_id, pseudonym FROM forum_conversation_participants
             ) p ON p.conversation_id = c.id
             WHERE c.state <> 'draft' AND c.scope_id IN ({}) GROUP BY c.scope_id ORDER BY c.scope_id",
            placeholders(1, scope_ids.len())
        );
        Ok(db_run!(self, pool => {
            let mut q = sqlx::query_as::<_, ForumByScope>(&sql);
            for id in scope_ids {
                q = q.bind(*id);
            }
            q.fetch_all(pool).await?
        }))
    }
}
