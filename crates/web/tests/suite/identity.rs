//! Accounts under attack (issue 11): one register identity verifies one account, a blocked account mints
//! no token, and sign-in limits slow a guesser without locking the owner out, on every server.
use crate::harness::*;
use maeul_domain::residency::ResidencyDecision;
use reqwest::StatusCode;

app_tests!(
    blocked_accounts_mint_no_tokens,
    sign_in_limits_slow_the_attacker_but_the_owner_gets_in,
    one_register_identity_verifies_one_account,
);

async fn blocked_accounts_mint_no_tokens(app: App) {
    let moderator = app
        .db
        .user_by_email("moderator@demo.maeul.kr")
        .await
        .unwrap()
        .unwrap()
        .id;
    let member = app
        .db
        .user_by_email("member@demo.maeul.kr")
        .await
        .unwrap()
        .unwrap()
        .id;
    app.db
        .set_blocked(
            moderator,
            member,
            maeul_domain::moderation::ModerationAction::Block,
            "test",
        )
        .await
        .unwrap();
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/auth/token"))
        .json(&serde_json::json!({"email": "member@demo.maeul.kr", "password": app.passwords["member@demo.maeul.kr"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "account_blocked");
    assert!(app.db.api_tokens_of(member).await.unwrap().is_empty());
}

/// Wrong passwords slow down whoever sends them; the owner gets back in with a reset link, and the
/// limits live in the database (a restarted or second server sees them).
async fn sign_in_limits_slow_the_attacker_but_the_owner_gets_in(app: App) {
    let email = "resident@demo.maeul.kr";
    let password = app.passwords[email].clone();
    let mut attacker = app.browser();
    for _ in 0..5 {
        let (status, _) = attacker.login(email, "wrong password!").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, _) = attacker.login(email, "wrong password!").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "the attacker waits");
    // A second server on the same database holds the same limit.
    let second = App::start_on_existing(app.db.clone(), app.passwords.clone()).await;
    let mut owner = second.browser();
    let (status, _) = owner.login(email, &password).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "held across servers");
    // Other accounts are untouched.
    let mut other = second.browser();
    let (status, _) = other
        .login(
            "member@demo.maeul.kr",
            &app.passwords["member@demo.maeul.kr"],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // The owner's reset link clears the account's wait.
    let user = app.db.user_by_email(email).await.unwrap().unwrap();
    let link = maeul_db::secrets::random_token();
    app.db
        .create_password_reset(
            user.id,
            &maeul_db::secrets::token_hash(&link),
            maeul_db::now() + 600,
        )
        .await
        .unwrap();
    owner.get(&format!("/password/reset/{link}")).await;
    let (status, _, _) = owner
        .post(
            &format!("/password/reset/{link}"),
            &[
                ("password", "a brand new password"),
                ("password_confirm", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = owner.login(email, "a brand new password").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the owner is back in");
}

/// One register row verifies one account: the second and third claims are refused and reported to the
/// officials, who can move the verification (audited).
async fn one_register_identity_verifies_one_account(app: App) {
    let mut official = app.signed_in(official_email()).await;
    official.get("/manage/residency").await;
    let (status, _) = upload_register(
        &official,
        "name,birth_date,neighbourhood_code\n박서연,1988-11-02,1111051500\n",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let mut accounts = vec![];
    for i in 0..3 {
        let email = format!("claim{i}@example.kr");
        let mut b = app.browser();
        assert_eq!(
            b.register(&format!("박서연 {i}"), &email, "long enough password")
                .await,
            StatusCode::SEE_OTHER
        );
        b.get("/account").await;
        let (status, page, _) = b
            .post(
                "/account/residency",
                &[
                    ("scope", "1111051500"),
                    ("basis", "resident"),
                    ("legal_name", "박서연"),
                    ("birth_date", "1988-11-02"),
                ],
            )
            .await;
        let id = app.db.user_by_email(&email).await.unwrap().unwrap().id;
        if i == 0 {
            assert_eq!(status, StatusCode::SEE_OTHER);
        } else {
            assert_eq!(status, StatusCode::CONFLICT, "claim {i}");
            assert!(page.contains("이미 다른 계정에 연결"), "{page}");
        }
        accounts.push(id);
    }
    let verified: Vec<bool> = {
        let mut v = vec![];
        for id in &accounts {
            v.push(
                app.db.residency_of(*id).await.unwrap().unwrap().status
                    == maeul_domain::ResidencyStatus::Verified,
            );
        }
        v
    };
    assert_eq!(verified, [true, false, false]);
    // The database itself refuses a second verified account for one identity.
    let official_id = app
        .db
        .user_by_email(official_email())
        .await
        .unwrap()
        .unwrap()
        .id;
    let err = app
        .db
        .decide_residency(accounts[1], ResidencyDecision::Verify, official_id, None)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            maeul_db::DbError::Refused(maeul_domain::Refusal::Account(
                maeul_domain::account::AccountRefusal::IdentityClaimed
            ))
        ),
        "{err:?}"
    );
    // The officials see the conflicts and move the verification to the second account.
    let (status, page) = official.get("/manage/residency").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("claim1@example.kr") && page.contains("claim0@example.kr"),
        "{page}"
    );
    let conflicts = app.db.open_identity_conflicts("11").await.unwrap();
    assert_eq!(conflicts.len(), 2);
    let conflict = conflicts
        .iter()
        .find(|c| c.claimant_id == accounts[1])
        .unwrap();
    let (status, _, _) = official
        .post(
            &format!("/manage/identity-conflicts/{}/move", conflict.id),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let status_of = |id| {
        let db = app.db.clone();
        async move { db.residency_of(id).await.unwrap().unwrap().status }
    };
    assert_eq!(
        status_of(accounts[0]).await,
        maeul_domain::ResidencyStatus::Revoked
    );
    assert_eq!(
        status_of(accounts[1]).await,
        maeul_domain::ResidencyStatus::Verified
    );
    assert_eq!(
        status_of(accounts[2]).await,
        maeul_domain::ResidencyStatus::Pending
    );
    let audit = app.db.audit_page(None, 20).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.action == maeul_domain::audit::AuditAction::ResidencyMoved),
        "{audit:?}"
    );
    // A resident may not resolve conflicts.
    let mut resident = app.signed_in("resident@demo.maeul.kr").await;
    resident.get("/account").await;
    let other = app.db.open_identity_conflicts("11").await.unwrap();
    assert_eq!(other.len(), 1, "the third claim stays open");
    let (status, _, _) = resident
        .post(
            &format!("/manage/identity-conflicts/{}/move", other[0].id),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
