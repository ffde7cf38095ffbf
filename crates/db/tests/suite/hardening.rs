//! Storage side of the hardening (issue 11): one register identity verifies one account (the database
//! refuses a second), conflicts and their audited resolution, sign-in failure counts shared by servers.
use maeul_db::identity::Resolution;
use maeul_db::ratelimit::{Failures, LimitKey};
use maeul_db::{Db, DbError};
use maeul_domain::account::AccountRefusal;
use maeul_domain::audit::AuditAction;
use maeul_domain::residency::ResidencyDecision;
use maeul_domain::{Refusal, ResidencyBasis, ResidencyStatus, ScopeTree};

maeul_testkit::backend_tests!(
    an_import_verifies_one_account_per_identity,
    the_database_refuses_a_second_verified_account,
    a_conflict_is_moved_or_kept_with_an_audit_entry,
    sign_in_failures_are_counted_and_cleared,
);

async fn setup(db: &Db) -> (i64, i64, String) {
    db.seed_seoul_if_empty().await.unwrap();
    let tree = ScopeTree::new(db.load_scopes().await.unwrap()).unwrap();
    let official = maeul_testkit::create_user(db, "o@example.kr", "공무원")
        .await
        .unwrap();
    let hash = db.identity_hash("박서연|1988-11-02").await.unwrap();
    (official, tree.by_code("1111051500").unwrap().id, hash)
}

async fn status(db: &Db, user: i64) -> ResidencyStatus {
    db.residency_of(user).await.unwrap().unwrap().status
}

/// Three accounts declare one identity, then the register row arrives: one is verified, two reported.
async fn an_import_verifies_one_account_per_identity(db: Db) {
    let (official, dong, hash) = setup(&db).await;
    let mut accounts = vec![];
    for i in 0..3 {
        let id = maeul_testkit::create_user(&db, &format!("c{i}@example.kr"), "박서연")
            .await
            .unwrap();
        db.declare_residency(id, dong, ResidencyBasis::Resident, Some(&hash))
            .await
            .unwrap();
        accounts.push(id);
    }
    let (_, verified) = db
        .import_register(&[(hash.clone(), dong)], official)
        .await
        .unwrap();
    assert_eq!(verified, 1, "one identity, one verified account");
    assert_eq!(status(&db, accounts[0]).await, ResidencyStatus::Verified);
    assert_eq!(status(&db, accounts[1]).await, ResidencyStatus::Pending);
    let conflicts = db.open_identity_conflicts("11").await.unwrap();
    assert_eq!(conflicts.len(), 2);
    assert!(conflicts.iter().all(|c| c.holder_id == accounts[0]));
    // A later claim is reported at once.
    let late = maeul_testkit::create_user(&db, "late@example.kr", "박서연")
        .await
        .unwrap();
    assert_eq!(
        db.declare_residency(late, dong, ResidencyBasis::Resident, Some(&hash))
            .await
            .unwrap(),
        ResidencyStatus::Pending
    );
    assert!(db.open_identity_conflict_of(late).await.unwrap().is_some());
    assert_eq!(
        db.open_identity_conflicts("11").await.unwrap().len(),
        3,
        "every extra claim is in front of the officials"
    );
}

async fn the_database_refuses_a_second_verified_account(db: Db) {
    let (official, dong, hash) = setup(&db).await;
    let a = maeul_testkit::create_user(&db, "a@example.kr", "a")
        .await
        .unwrap();
    let b = maeul_testkit::create_user(&db, "b@example.kr", "b")
        .await
        .unwrap();
    for id in [a, b] {
        db.declare_residency(id, dong, ResidencyBasis::Resident, Some(&hash))
            .await
            .unwrap();
    }
    db.decide_residency(a, ResidencyDecision::Verify, official, None)
        .await
        .unwrap();
    let err = db
        .decide_residency(b, ResidencyDecision::Verify, official, None)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            DbError::Refused(Refusal::Account(AccountRefusal::IdentityClaimed))
        ),
        "{err:?}"
    );
    assert_eq!(status(&db, b).await, ResidencyStatus::Pending);
}

async fn a_conflict_is_moved_or_kept_with_an_audit_entry(db: Db) {
    let (official, dong, hash) = setup(&db).await;
    db.import_register(&[(hash.clone(), dong)], official)
        .await
        .unwrap();
    let mut ids = vec![];
    for i in 0..3 {
        let id = maeul_testkit::create_user(&db, &format!("m{i}@example.kr"), "m")
            .await
            .unwrap();
        db.declare_residency(id, dong, ResidencyBasis::Resident, Some(&hash))
            .await
            .unwrap();
        ids.push(id);
    }
    let second = db.open_identity_conflict_of(ids[1]).await.unwrap().unwrap();
    db.resolve_identity_conflict(second.id, Resolution::Move, official)
        .await
        .unwrap();
    assert_eq!(status(&db, ids[0]).await, ResidencyStatus::Revoked);
    assert_eq!(status(&db, ids[1]).await, ResidencyStatus::Verified);
    // Resolving twice is refused; the third claim now faces the new holder.
    assert!(matches!(
        db.resolve_identity_conflict(second.id, Resolution::Move, official)
            .await,
        Err(DbError::Refused(Refusal::Stale))
    ));
    let third = db.open_identity_conflict_of(ids[2]).await.unwrap().unwrap();
    assert_eq!(third.holder_id, ids[1]);
    db.resolve_identity_conflict(third.id, Resolution::Keep, official)
        .await
        .unwrap();
    assert_eq!(status(&db, ids[2]).await, ResidencyStatus::Rejected);
    assert!(db.open_identity_conflicts("").await.unwrap().is_empty());
    let audit = db.audit_page(None, 50).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.action == AuditAction::ResidencyMoved && e.actor_id == Some(official))
    );
}

async fn sign_in_failures_are_counted_and_cleared(db: Db) {
    setup(&db).await;
    let user = maeul_testkit::create_user(&db, "owner@example.kr", "owner")
        .await
        .unwrap();
    let key = LimitKey::Account("owner@example.kr");
    let other = LimitKey::Address("192.0.2.1");
    for at in [100, 200, 300] {
        db.record_limit_failure(key, at).await.unwrap();
    }
    db.record_limit_failure(other, 300).await.unwrap();
    assert_eq!(
        db.limit_failures(key, 400).await.unwrap(),
        Failures {
            count: 3,
            last_at: 300
        }
    );
    // A day later the count has been forgotten, and starts over.
    let later = 300 + maeul_db::ratelimit::FORGET_AFTER_SECS + 1;
    assert_eq!(
        db.limit_failures(key, later).await.unwrap(),
        Failures::default()
    );
    db.record_limit_failure(key, later).await.unwrap();
    assert_eq!(db.limit_failures(key, later).await.unwrap().count, 1);
    // A used reset link clears the account's count (not the address's).
    db.create_password_reset(user, "reset-hash", maeul_db::now() + 600)
        .await
        .unwrap();
    db.reset_password("reset-hash", "$argon2id$new")
        .await
        .unwrap();
    assert_eq!(db.limit_failures(key, later).await.unwrap().count, 0);
    assert_eq!(db.limit_failures(other, 400).await.unwrap().count, 1);
    db.clear_limit_failures(other).await.unwrap();
    assert_eq!(db.limit_failures(other, 400).await.unwrap().count, 0);
}
