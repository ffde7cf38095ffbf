//! Following proposals, debates, agenda items, scopes and people; in-app notifications; e-mail preferences; and the
//! signed one-click unsubscribe link (RFC 8058) that works without a session.
use maeul_db::notifications::{FollowTarget, Notification};
use maeul_domain::Refusal;
use maeul_domain::account::FieldError;
use maeul_domain::notify::EmailPreference;

use crate::AppState;
use crate::areas::proposals::service as proposals;
use crate::http::{Caller, ServiceError, ServiceResult};

/// Whether the caller follows `target` (false for visitors).
pub async fn follows(
    state: &AppState,
    caller: Option<&Caller>,
    target: FollowTarget,
) -> ServiceResult<bool> {
    Ok(match caller {
        Some(c) => state.db.is_following(c.id(), target).await?,
        None => false,
    })
}

pub async fn follows_scope(
    state: &AppState,
    caller: Option<&Caller>,
    scope_id: i64,
) -> ServiceResult<bool> {
    follows(state, caller, FollowTarget::Scope(scope_id)).await
}

/// Follows (or stops following) something the caller can see; nobody follows themself.
pub async fn set_follow(
    state: &AppState,
    caller: &Caller,
    target_kind: &str,
    id: i64,
    follow: bool,
) -> ServiceResult<()> {
    let target = match target_kind {
        "proposal" => {
            proposals::visible(state, Some(caller), id).await?;
            FollowTarget::Proposal(id)
        }
        "scope" => {
            state.scopes().get(id).ok_or(ServiceError::NotFound)?;
            FollowTarget::Scope(id)
        }
        "plan_item" => {
            // Agenda items are public: anyone signed in may follow one that exists.
            state
                .db
                .plan_item(id)
                .await?
                .ok_or(ServiceError::NotFound)?;
            FollowTarget::PlanItem(id)
        }
        "user" => {
            state
                .db
                .user_by_id(id)
                .await?
                .ok_or(ServiceError::NotFound)?;
            if id == caller.id() {
                return Err(Refusal::field("id", FieldError::Invalid).into());
            }
            FollowTarget::User(id)
        }
        _ => return Err(Refusal::field("target", FieldError::Invalid).into()),
    };
    if follow {
        state.db.follow(caller.id(), target).await?;
    } else {
        state.db.unfollow(caller.id(), target).await?;
    }
    Ok(())
}

pub const PAGE_SIZE: i64 = 30;

/// A page of the caller's notifications, newest first, and the cursor of the next page.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    before: Option<i64>,
) -> ServiceResult<(Vec<Notification>, Option<i64>, EmailPreference)> {
    let rows = state
        .db
        .notifications(caller.id(), before, PAGE_SIZE)
        .await?;
    let next = (rows.len() as i64 == PAGE_SIZE)
        .then(|| rows.last().map(|n| n.id))
        .flatten();
    let preference = state.db.email_preference(caller.id()).await?;
    Ok((rows, next, preference))
}

/// Marks a notification read and returns it (to go where it points).
pub async fn open(state: &AppState, caller: &Caller, id: i64) -> ServiceResult<Notification> {
    let n = state
        .db
        .notifications(caller.id(), Some(id + 1), 1)
        .await?
        .into_iter()
        .find(|n| n.id == id)
        .ok_or(ServiceError::NotFound)?;
    state
        .db
        .mark_notifications_read(caller.id(), Some(id))
        .await?;
    Ok(n)
}

pub async fn read_all(state: &AppState, caller: &Caller) -> ServiceResult<()> {
    state.db.mark_notifications_read(caller.id(), None).await?;
    Ok(())
}

pub async fn set_preference(state: &AppState, caller: &Caller, pref: &str) -> ServiceResult<()> {
    let pref = EmailPreference::parse(pref)
        .ok_or_else(|| ServiceError::from(Refusal::field("email", FieldError::Invalid)))?;
    Ok(state.db.set_email_preference(caller.id(), pref).await?)
}

/// The one-click unsubscribe link of a person: their id signed with the deployment's link key.
pub fn unsubscribe_token(key: &str, user_id: i64) -> String {
    let mac = maeul_db::secrets::keyed_hash(key, &format!("unsubscribe:{user_id}"));
    format!("{user_id}.{mac}")
}

/// The person an unsubscribe token names, if its signature is right.
pub fn unsubscribe_user(key: &str, token: &str) -> Option<i64> {
    use subtle::ConstantTimeEq;
    let (id, _) = token.split_once('.')?;
    let id: i64 = id.parse().ok()?;
    let expected = unsubscribe_token(key, id);
    // Constant-time comparison: the token is a credential.
    let same =
        expected.len() == token.len() && bool::from(expected.as_bytes().ct_eq(token.as_bytes()));
    same.then_some(id)
}

/// Checks an unsubscribe link.
pub async fn unsubscribe_target(state: &AppState, token: &str) -> ServiceResult<i64> {
    let key = state.db.link_key().await?;
    unsubscribe_user(&key, token).ok_or(ServiceError::NotFound)
}

/// Turns notification e-mail off for the person the link names.
pub async fn unsubscribe(state: &AppState, token: &str) -> ServiceResult<()> {
    let user_id = unsubscribe_target(state, token).await?;
    Ok(state
        .db
        .set_email_preference(user_id, EmailPreference::Off)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsubscribe_tokens_are_signed() {
        let token = unsubscribe_token("key", 42);
        assert_eq!(unsubscribe_user("key", &token), Some(42));
        assert_eq!(unsubscribe_user("other key", &token), None);
        let forged = token.replacen("42.", "43.", 1);
        assert_eq!(unsubscribe_user("key", &forged), None);
        assert_eq!(unsubscribe_user("key", "42"), None);
        assert_eq!(unsubscribe_user("key", "x.y"), None);
    }
}
