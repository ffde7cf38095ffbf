//! Group commit of votes. Every vote waits for its turn at one writer per server (a fair, first-come
//! lock); whoever holds the turn writes every vote queued meanwhile in one transaction
//! ([`maeul_db::Db::cast_forum_votes`]) and answers each. Under a burst a transaction carries dozens of
//! votes, so SQLite's single writer commits once per batch instead of once per vote, and concurrent
//! voters queue here instead of polling SQLite's busy handler. The map's own writes take the same turn,
//! so a burst of votes cannot starve the map update. Each vote still is its own event, refused or
//! accepted on its own; a batch that fails as a whole is retried vote by vote so that each gets its own
//! outcome.
use std::sync::Mutex;

use maeul_db::forums::NewVote;
use maeul_db::{Db, DbError};
use tokio::sync::oneshot;
use tokio::sync::oneshot::error::TryRecvError;

/// The most votes one transaction carries.
const MAX_BATCH: usize = 512;

type Outcome = Result<Option<i64>, DbError>;

/// The server's vote queue (one per [`crate::AppState`]).
#[derive(Default)]
pub struct VoteQueue {
    pending: Mutex<Vec<(NewVote, oneshot::Sender<Outcome>)>>,
    writer: tokio::sync::Mutex<()>,
}

impl VoteQueue {
    /// Records a vote: its event id, or `None` when refused (conversation not open, statement not
    /// accepted).
    pub async fn cast(&self, db: &Db, vote: NewVote) -> Outcome {
        let (reply, mut answer) = oneshot::channel();
        self.pending
            .lock()
            .expect("vote queue lock")
            .push((vote, reply));
        loop {
            let wrote = {
                let _turn = self.writer.lock().await;
                let batch: Vec<_> = {
                    let mut pending = self.pending.lock().expect("vote queue lock");
                    let n = pending.len().min(MAX_BATCH);
                    pending.drain(..n).collect()
                };
                let wrote = !batch.is_empty();
                if wrote {
                    // On a task of its own: a request dropped meanwhile (its client gone) cannot leave
                    // the others' votes unanswered.
                    let _ = tokio::spawn(write(db.clone(), batch)).await;
                }
                wrote
            };
            match answer.try_recv() {
                Ok(outcome) => return outcome,
                Err(TryRecvError::Closed) => return Err(lost()),
                // Another request's batch carries this vote: its answer comes.
                Err(TryRecvError::Empty) if !wrote => {
                    return answer.await.unwrap_or_else(|_| Err(lost()));
                }
                // More votes were queued ahead of this one than a batch carries.
                Err(TryRecvError::Empty) => continue,
            }
        }
    }

    /// Waits for the writer's turn (the map update's writes take it, so that votes cannot starve them).
    pub async fn turn(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.writer.lock().await
    }
}

fn lost() -> DbError {
    DbError::Corrupt("a vote's batch was abandoned".into())
}

async fn write(db: Db, batch: Vec<(NewVote, oneshot::Sender<Outcome>)>) {
    let votes: Vec<NewVote> = batch.iter().map(|(v, _)| *v).collect();
    match db.cast_forum_votes(&votes).await {
        Ok(events) => {
            for ((_, reply), event) in batch.into_iter().zip(events) {
                let _ = reply.send(Ok(event));
            }
        }
        Err(e) if batch.len() == 1 => {
            let _ = batch
                .into_iter()
                .next()
                .map(|(_, reply)| reply.send(Err(e)));
        }
        Err(e) => {
            tracing::warn!(error = %e, votes = batch.len(), "vote batch failed; writing its votes one by one");
            for (vote, reply) in batch {
                let outcome = db
                    .cast_forum_votes(&[vote])
                    .await
                    .map(|events| events.into_iter().next().flatten());
                let _ = reply.send(outcome);
            }
        }
    }
}
