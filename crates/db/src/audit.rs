//! The audit log: who did what to whom, for every administrative action. Actions are the domain's
//! [`AuditAction`]; the subject is `kind:id` and details are `key=value` pairs of codes and numbers, so the
//! log is shown in the reader's language (never stored as English).
use maeul_domain::audit::AuditAction;

use crate::{Db, DbResult, db_run, now};

/// What an entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    User(i64),
    Scope(i64),
    Grant(i64),
    /// The resident register as a whole.
    Register,
}

impl Subject {
    fn encode(self) -> String {
        match self {
            Subject::User(id) => format!("user:{id}"),
            Subject::Scope(id) => format!("scope:{id}"),
            Subject::Grant(id) => format!("grant:{id}"),
            Subject::Register => "register".into(),
        }
    }

    fn decode(s: &str) -> Option<Subject> {
        if s == "register" {
            return Some(Subject::Register);
        }
        let (kind, id) = s.split_once(':')?;
        let id = id.parse().ok()?;
        match kind {
            "user" => Some(Subject::User(id)),
            "scope" => Some(Subject::Scope(id)),
            "grant" => Some(Subject::Grant(id)),
            _ => None,
        }
    }
}

/// `key=value;key=value` (keys and values are codes and numbers the platform writes).
pub fn encode_details(details: &[(&str, String)]) -> String {
    details
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(";")
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: i64,
    pub actor_id: Option<i64>,
    /// The actor's display name (none for the system).
    pub actor_name: Option<String>,
    #[sqlx(try_from = "String")]
    pub action: AuditAction,
    pub subject: String,
    /// The subject's display name when it is a person.
    pub subject_name: Option<String>,
    pub detail: String,
    pub at: i64,
}

impl AuditEntry {
    pub fn subject(&self) -> Option<Subject> {
        Subject::decode(&self.subject)
    }

    /// The detail pairs.
    pub fn details(&self) -> Vec<(&str, &str)> {
        self.detail
            .split(';')
            .filter_map(|pair| pair.split_once('='))
            .collect()
    }
}

pub(crate) const INSERT_AUDIT: &str =
    "INSERT INTO audit_log (actor_id, action, subject, detail, at) VALUES ($1, $2, $3, $4, $5)";

/// Binds an audit entry to [`INSERT_AUDIT`] (use inside the transaction of the change it records).
macro_rules! audit_query {
    ($actor:expr, $action:expr, $subject:expr, $details:expr, $at:expr) => {
        sqlx::query($crate::audit::INSERT_AUDIT)
            .bind($actor)
            .bind(maeul_domain::audit::AuditAction::as_str($action))
            .bind($crate::audit::Subject::encode_for_query($subject))
            .bind($crate::audit::encode_details($details))
            .bind($at)
    };
}
#[allow(unused_imports)]
pub(crate) use audit_query;

impl Subject {
    #[doc(hidden)]
    pub fn encode_for_query(self) -> String {
        self.encode()
    }
}

impl Db {
    pub async fn audit(
        &self,
        actor_id: Option<i64>,
        action: AuditAction,
        subject: Subject,
        details: &[(&str, String)],
    ) -> DbResult<()> {
        db_run!(self, pool => audit_query!(actor_id, action, subject, details, now())
            .execute(pool).await?.rows_affected());
        Ok(())
    }

    /// A page of the log, newest first: entries with an id below `before` (all when `None`).
    pub async fn audit_page(&self, before: Option<i64>, limit: i64) -> DbResult<Vec<AuditEntry>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, AuditEntry>(
            "SELECT a.id, a.actor_id, actor.display_name AS actor_name, a.action, a.subject,
                    subject_user.display_name AS subject_name, a.detail, a.at
             FROM audit_log a
             LEFT JOIN users actor ON actor.id = a.actor_id
             LEFT JOIN users subject_user ON a.subject = 'user:' || subject_user.id
             WHERE a.id < $1 ORDER BY a.id DESC LIMIT $2")
            .bind(before.unwrap_or(i64::MAX)).bind(limit).fetch_all(pool).await?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_and_details_round_trip() {
        for s in [
            Subject::User(7),
            Subject::Scope(11110),
            Subject::Grant(3),
            Subject::Register,
        ] {
            assert_eq!(Subject::decode(&s.encode()), Some(s));
        }
        assert_eq!(Subject::decode("user:x"), None);
        assert_eq!(
            encode_details(&[("role", "official".into()), ("scope", "3".into())]),
            "role=official;scope=3"
        );
    }
}
