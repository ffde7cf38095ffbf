//! The storage test-suite. Every test runs twice, on SQLite and on PostgreSQL, through `backend_tests!`.

use maeul_db::{Db, DbError};
use maeul_domain::audit::AuditAction;
use maeul_domain::proposal::{Category, ItemState, Responder};
use maeul_domain::residency::ResidencyDecision;
use maeul_domain::{ResidencyBasis, ResidencyStatus, Role, ScopeKind, ScopeTree};

maeul_testkit::backend_tests!(
    migrations_are_idempotent,
    seoul_seeds_once_with_every_scope,
    scope_inserts_are_all_or_nothing,
    accounts_and_duplicate_emails,
    sessions_expire_and_end,
    changing_a_password_ends_other_sessions,
    api_tokens_are_revocable,
    password_reset_links_work_once,
    roles_are_granted_once_and_revoked,
    residency_lifecycle,
    register_import_verifies_matching_declarations,
    outbox_records_delivery,
    concurrent_writers_all_succeed,
    proposal_lifecycle_is_recorded,
    concurrent_supports_are_counted_exactly,
    korean_search_with_filters_and_cursors,
    comments_thread_page_edit_and_vote,
    comment_pages_hold_whole_threads_of_bounded_size,
    events_notify_authors_followers_and_mentions_once,
    jobs_are_claimed_once_retried_and_scheduled_once,
    notification_mail_is_recorded_once,
    reports_hide_content_and_everything_is_logged,
    blocked_accounts_lose_sessions_and_tokens,
    debates_take_positions_and_conclude,
    attachments_are_limited_per_proposal,
    comments_are_searchable_in_korean,
    ladders_are_configured_per_scope_and_inherited,
    proposals_expire_after_their_deadline,
    forum_participants_drive_the_heads_answer,
);

async fn seeded(db: &Db) -> ScopeTree {
    db.seed_seoul_if_empty().await.unwrap();
    ScopeTree::new(db.load_scopes().await.unwrap()).unwrap()
}

async fn user(db: &Db, email: &str) -> i64 {
    maeul_testkit::create_user(db, email, "테스트")
        .await
        .unwrap()
}

async fn migrations_are_idempotent(db: Db) {
    db.migrate().await.unwrap();
    db.migrate().await.unwrap();
    db.ping().await.unwrap();
}

async fn seoul_seeds_once_with_every_scope(db: Db) {
    assert!(db.seed_seoul_if_empty().await.unwrap());
    assert!(
        !db.seed_seoul_if_empty().await.unwrap(),
        "a second seed must do nothing"
    );
    let tree = ScopeTree::new(db.load_scopes().await.unwrap()).unwrap();
    let count = |kind| tree.all().iter().filter(|s| s.kind == kind).count();
    assert_eq!(count(ScopeKind::City), 1);
    assert_eq!(count(ScopeKind::District), 25);
    assert_eq!(count(ScopeKind::Neighbourhood), 426);
    let jongno = tree.by_code("11110").unwrap();
    assert_eq!(
        (jongno.name_ko.as_str(), jongno.name_en.as_str()),
        ("종로구", "Jongno-gu")
    );
    assert_eq!(tree.children(jongno.id).count(), 17);
    let songpa = tree.by_code("11710").unwrap();
    assert_eq!(tree.children(songpa.id).count(), 27);
    let dong = tree.by_code("1111051500").unwrap();
    assert_eq!(dong.name_ko, "청운효자동");
    assert_eq!(tree.parent(dong).unwrap().code, "11110");
}

async fn scope_inserts_are_all_or_nothing(db: Db) {
    use maeul_db::scopes::NewScope;
    let city = NewScope {
        code: "11",
        kind: ScopeKind::City,
        parent_id: None,
        name_ko: "서울",
        name_en: "Seoul",
    };
    db.insert_scopes(&[city]).await.unwrap();
    let batch = [
        NewScope {
            code: "26",
            kind: ScopeKind::City,
            parent_id: None,
            name_ko: "부산",
            name_en: "Busan",
        },
        NewScope {
            code: "11",
            kind: ScopeKind::City,
            parent_id: None,
            name_ko: "중복",
            name_en: "dup",
        },
    ];
    assert!(matches!(
        db.insert_scopes(&batch).await,
        Err(DbError::Conflict(_))
    ));
    assert_eq!(
        db.scope_count().await.unwrap(),
        1,
        "the failed batch must leave nothing behind"
    );
    let bad_code = [NewScope {
        code: "1x",
        kind: ScopeKind::City,
        parent_id: None,
        name_ko: "x",
        name_en: "x",
    }];
    assert!(matches!(
        db.insert_scopes(&bad_code).await,
        Err(DbError::Corrupt(_))
    ));
}

async fn accounts_and_duplicate_emails(db: Db) {
    let id = user(&db, "kim@example.kr").await;
    let found = db.user_by_email("kim@example.kr").await.unwrap().unwrap();
    assert_eq!(
        (found.id, found.display_name.as_str(), found.lang.as_str()),
        (id, "테스트", "ko")
    );
    assert!(matches!(
        maeul_testkit::create_user(&db, "kim@example.kr", "x").await,
        Err(DbError::Conflict("email"))
    ));
    assert_eq!(db.user_count().await.unwrap(), 1);
    db.set_user_lang(id, "en").await.unwrap();
    assert_eq!(db.user_by_id(id).await.unwrap().unwrap().lang, "en");
    assert!(
        db.user_by_email("nobody@example.kr")
            .await
            .unwrap()
            .is_none()
    );
}

async fn sessions_expire_and_end(db: Db) {
    let id = user(&db, "s@example.kr").await;
    let now = maeul_db::now();
    db.create_session(id, "live", now + 3600).await.unwrap();
    db.create_session(id, "old", now - 1).await.unwrap();
    assert_eq!(db.session_user("live").await.unwrap().unwrap().id, id);
    assert!(
        db.session_user("old").await.unwrap().is_none(),
        "expired sessions are not honoured"
    );
    assert_eq!(db.purge_expired().await.unwrap(), 1);
    db.delete_session("live").await.unwrap();
    assert!(db.session_user("live").await.unwrap().is_none());
}

async fn changing_a_password_ends_other_sessions(db: Db) {
    let id = user(&db, "p@example.kr").await;
    let later = maeul_db::now() + 3600;
    for s in ["here", "phone", "laptop"] {
        db.create_session(id, s, later).await.unwrap();
    }
    db.change_password(id, "new-hash", Some("here"))
        .await
        .unwrap();
    assert_eq!(
        db.user_by_id(id).await.unwrap().unwrap().password_hash,
        "new-hash"
    );
    assert!(db.session_user("here").await.unwrap().is_some());
    assert!(db.session_user("phone").await.unwrap().is_none());
    assert!(db.session_user("laptop").await.unwrap().is_none());
}

async fn api_tokens_are_revocable(db: Db) {
    let a = user(&db, "a@example.kr").await;
    let b = user(&db, "b@example.kr").await;
    let token_id = db.create_api_token(a, "hash-a", "script").await.unwrap();
    let (owner, tid) = db.api_token_user("hash-a").await.unwrap().unwrap();
    assert_eq!((owner.id, tid), (a, token_id));
    assert!(
        matches!(
            db.revoke_api_token(b, token_id).await,
            Err(DbError::NotFound)
        ),
        "not b's token"
    );
    db.revoke_api_token(a, token_id).await.unwrap();
    assert!(db.api_token_user("hash-a").await.unwrap().is_none());
    assert!(
        matches!(
            db.revoke_api_token(a, token_id).await,
            Err(DbError::NotFound)
        ),
        "already revoked"
    );
    let listed = db.api_tokens_of(a).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].revoked_at.is_some());
}

async fn password_reset_links_work_once(db: Db) {
    let id = user(&db, "r@example.kr").await;
    let now = maeul_db::now();
    db.create_session(id, "sess", now + 3600).await.unwrap();
    db.create_password_reset(id, "link", now + 3600)
        .await
        .unwrap();
    db.create_password_reset(id, "stale", now - 1)
        .await
        .unwrap();
    assert!(db.password_reset_valid("link").await.unwrap());
    assert!(!db.password_reset_valid("stale").await.unwrap());
    assert!(matches!(
        db.reset_password("stale", "h2").await,
        Err(DbError::NotFound)
    ));
    assert_eq!(db.reset_password("link", "h2").await.unwrap(), id);
    assert_eq!(
        db.user_by_id(id).await.unwrap().unwrap().password_hash,
        "h2"
    );
    assert!(
        db.session_user("sess").await.unwrap().is_none(),
        "a reset ends every session"
    );
    assert!(
        matches!(
            db.reset_password("link", "h3").await,
            Err(DbError::NotFound)
        ),
        "links work once"
    );
    assert_eq!(
        db.user_by_id(id).await.unwrap().unwrap().password_hash,
        "h2"
    );
}

async fn roles_are_granted_once_and_revoked(db: Db) {
    let tree = seeded(&db).await;
    let admin = user(&db, "admin@example.kr").await;
    let official = user(&db, "o@example.kr").await;
    let jongno = tree.by_code("11110").unwrap().id;
    let grant = db
        .grant_role(official, Role::Official, jongno, Some(admin))
        .await
        .unwrap();
    assert!(matches!(
        db.grant_role(official, Role::Official, jongno, Some(admin))
            .await,
        Err(DbError::Conflict(_))
    ));
    let grants = db.grants_of(official).await.unwrap();
    assert_eq!(grants.len(), 1);
    assert_eq!(
        (grants[0].role, grants[0].scope_id),
        (Role::Official, jongno)
    );
    assert_eq!(db.all_grants().await.unwrap()[0].email, "o@example.kr");
    db.revoke_grant(grant, admin).await.unwrap();
    assert!(db.grants_of(official).await.unwrap().is_empty());
    assert!(matches!(
        db.revoke_grant(grant, admin).await,
        Err(DbError::NotFound)
    ));
    let audit = db.audit_page(None, 10).await.unwrap();
    assert_eq!(audit[0].action, AuditAction::RoleRevoke);
    assert_eq!(audit[1].action, AuditAction::RoleGrant);
    assert_eq!(audit[0].subject_name.as_deref(), Some("테스트"));
}

async fn residency_lifecycle(db: Db) {
    let tree = seeded(&db).await;
    let official = user(&db, "o@example.kr").await;
    let kim = user(&db, "kim@example.kr").await;
    let lee = user(&db, "lee@example.kr").await;
    let cheongun = tree.by_code("1111051500").unwrap().id; // Jongno-gu
    let gangnam_dong = tree
        .all()
        .iter()
        .find(|s| s.code.starts_with("11680") && s.kind == ScopeKind::Neighbourhood)
        .unwrap()
        .id;
    assert_eq!(
        db.declare_residency(kim, cheongun, ResidencyBasis::Resident, None)
            .await
            .unwrap(),
        ResidencyStatus::Pending
    );
    assert_eq!(
        db.declare_residency(lee, gangnam_dong, ResidencyBasis::Worker, None)
            .await
            .unwrap(),
        ResidencyStatus::Pending
    );
    let jongno_queue = db.pending_residencies_under("11110", 100).await.unwrap();
    assert_eq!(
        jongno_queue.iter().map(|p| p.user_id).collect::<Vec<_>>(),
        vec![kim]
    );
    assert_eq!(
        db.pending_residencies_under("11", 100).await.unwrap().len(),
        2
    );

    assert_eq!(
        db.decide_residency(kim, ResidencyDecision::Verify, official, None)
            .await
            .unwrap(),
        ResidencyStatus::Verified
    );
    assert!(matches!(
        db.decide_residency(kim, ResidencyDecision::Verify, official, None)
            .await,
        Err(DbError::Refused(_))
    ));
    assert_eq!(
        db.residency_of(kim).await.unwrap().unwrap().status,
        ResidencyStatus::Verified
    );
    assert_eq!(
        db.decide_residency(kim, ResidencyDecision::Revoke, official, Some("moved"))
            .await
            .unwrap(),
        ResidencyStatus::Revoked
    );
    assert_eq!(
        db.decide_residency(lee, ResidencyDecision::Reject, official, None)
            .await
            .unwrap(),
        ResidencyStatus::Rejected
    );
    // Declaring again starts over.
    assert_eq!(
        db.declare_residency(lee, cheongun, ResidencyBasis::Resident, None)
            .await
            .unwrap(),
        ResidencyStatus::Pending
    );
    let row = db.residency_of(lee).await.unwrap().unwrap();
    assert_eq!(
        (row.scope_id, row.basis.as_str(), row.decided_at),
        (cheongun, "resident", None)
    );
    assert!(matches!(
        db.decide_residency(9999, ResidencyDecision::Verify, official, None)
            .await,
        Err(DbError::NotFound)
    ));
}

async fn register_import_verifies_matching_declarations(db: Db) {
    let tree = seeded(&db).await;
    let official = user(&db, "o@example.kr").await;
    let kim = user(&db, "kim@example.kr").await;
    let park = user(&db, "park@example.kr").await;
    let newcomer = user(&db, "new@example.kr").await;
    let cheongun = tree.by_code("1111051500").unwrap().id;
    let sajik = tree.by_code("1111053000").unwrap().id;
    let kim_id = db.identity_hash("김민지|1990-03-07").await.unwrap();
    let park_id = db.identity_hash("박서준|1985-11-30").await.unwrap();
    assert_ne!(kim_id, "김민지|1990-03-07", "only a keyed hash is stored");
    db.declare_residency(kim, cheongun, ResidencyBasis::Resident, Some(&kim_id))
        .await
        .unwrap();
    // Park is on the register, but for another neighbourhood than declared: stays pending.
    db.declare_residency(park, sajik, ResidencyBasis::Resident, Some(&park_id))
        .await
        .unwrap();
    let rows = vec![
        (kim_id.clone(), cheongun),
        (park_id.clone(), cheongun),
        (kim_id.clone(), cheongun),
    ];
    let (new_rows, verified) = db.import_register(&rows, official).await.unwrap();
    assert_eq!((new_rows, verified), (2, 1));
    assert_eq!(
        db.residency_of(kim).await.unwrap().unwrap().status,
        ResidencyStatus::Verified
    );
    assert_eq!(
        db.residency_of(park).await.unwrap().unwrap().status,
        ResidencyStatus::Pending
    );
    // Someone on the register who declares afterwards is verified at once.
    let newcomer_id = db.identity_hash("박서준|1985-11-30").await.unwrap();
    assert_eq!(
        db.declare_residency(
            newcomer,
            cheongun,
            ResidencyBasis::Resident,
            Some(&newcomer_id)
        )
        .await
        .unwrap(),
        ResidencyStatus::Verified
    );
}

async fn outbox_records_delivery(db: Db) {
    let first = db
        .enqueue_mail("a@example.kr", "제목", "본문")
        .await
        .unwrap();
    let second = db
        .enqueue_mail("b@example.kr", "subject", "body")
        .await
        .unwrap();
    assert_eq!(db.unsent_mails(5, 10).await.unwrap().len(), 2);
    db.mark_mail_sent(first).await.unwrap();
    for _ in 0..5 {
        db.mark_mail_failed(second, "connection refused")
            .await
            .unwrap();
    }
    assert!(
        db.unsent_mails(5, 10).await.unwrap().is_empty(),
        "sent and exhausted mail is not retried"
    );
    let recent = db.recent_mails(10).await.unwrap();
    assert_eq!(recent[0].attempts, 5);
    assert_eq!(recent[0].last_error.as_deref(), Some("connection refused"));
    assert!(recent[1].sent_at.is_some());
}

/// Fifty concurrent registrations: SQLite's busy timeout and PostgreSQL's pool must both absorb them.
async fn concurrent_writers_all_succeed(db: Db) {
    let mut tasks = vec![];
    for i in 0..50 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            maeul_testkit::create_user(&db, &format!("u{i}@example.kr"), "n").await
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(db.user_count().await.unwrap(), 50);
}

async fn proposal_in_collection(db: &Db, tree: &ScopeTree) -> (i64, i64) {
    use maeul_db::proposals::NewProposal;
    use maeul_domain::proposal::{Ladder, ProposalEvent};
    let author = user(db, "author@example.kr").await;
    let moderator = user(db, "mod@example.kr").await;
    let scope_id = tree.by_code("11110").unwrap().id;
    let new = NewProposal {
        scope_id,
        author_id: author,
        title: "골목 쉼터",
        body: "벤치를 놓아 주세요",
        category: Category::Environment,
        submit: true,
        location: "",
        kind: maeul_db::proposals::Kind::Proposal,
    };
    let id = db.create_proposal(&new).await.unwrap();
    db.transition_proposal(
        id,
        &ProposalEvent::Accept,
        &Ladder::democracy_seoul(),
        Some(moderator),
    )
    .await
    .unwrap();
    (id, author)
}

async fn proposal_lifecycle_is_recorded(db: Db) {
    use maeul_domain::proposal::{Ladder, ProposalEvent, ProposalState, Responder};
    let tree = seeded(&db).await;
    let ladder = Ladder::democracy_seoul();
    let (id, author) = proposal_in_collection(&db, &tree).await;
    let p = db.proposal(id).await.unwrap().unwrap();
    assert_eq!(
        (p.state().unwrap(), p.author_name.as_str()),
        (ProposalState::Collecting, "테스트")
    );
    assert!(p.collecting_until.unwrap() > maeul_db::now());
    assert_eq!(
        db.proposals_in_scope(p.scope_id, maeul_db::proposals::Kind::Proposal, None, 10)
            .await
            .unwrap()
            .len(),
        1
    );
    // Invalid transitions are refused and change nothing.
    assert!(matches!(
        db.transition_proposal(id, &ProposalEvent::Submit, &ladder, Some(author))
            .await,
        Err(DbError::Refused(_))
    ));
    // Supports: one per person, withdrawable.
    let supporter = user(&db, "s@example.kr").await;
    assert!(
        db.support_proposal(id, supporter, &ladder)
            .await
            .unwrap()
            .changed
    );
    assert!(
        !db.support_proposal(id, supporter, &ladder)
            .await
            .unwrap()
            .changed,
        "a second support is a no-op"
    );
    assert!(db.has_supported(id, supporter).await.unwrap());
    let w = db.withdraw_support(id, supporter, &ladder).await.unwrap();
    assert_eq!((w.changed, w.count), (true, 0));
    assert!(
        !db.withdraw_support(id, supporter, &ladder)
            .await
            .unwrap()
            .changed
    );
    // The department answers; the answer is recorded and the proposal is answered.
    db.answer_proposal(id, Responder::Department, author, "검토하겠습니다", &ladder)
        .await
        .unwrap();
    assert_eq!(
        db.proposal(id).await.unwrap().unwrap().state().unwrap(),
        ProposalState::Answered
    );
    assert!(
        matches!(
            db.support_proposal(id, supporter, &ladder).await,
            Err(DbError::Refused(_))
        ),
        "no support after collection"
    );
    assert!(
        !db.has_supported(id, supporter).await.unwrap(),
        "the refused support left no row"
    );
    let states: Vec<&str> = db
        .proposal_transitions(id)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.to_state.as_str())
        .collect();
    assert_eq!(states, ["submitted", "collecting", "answered"]);
    assert_eq!(
        db.proposal_answers(id).await.unwrap()[0].body,
        "검토하겠습니다"
    );
    // Rejection needs a reason.
    let new = maeul_db::proposals::NewProposal {
        scope_id: 1,
        author_id: author,
        title: "t",
        body: "b",
        category: Category::Other,
        submit: true,
        location: "",
        kind: maeul_db::proposals::Kind::Proposal,
    };
    let other = db.create_proposal(&new).await.unwrap();
    let no_reason = ProposalEvent::Reject { reason: " ".into() };
    assert!(
        db.transition_proposal(other, &no_reason, &ladder, Some(author))
            .await
            .is_err()
    );
    assert!(
        db.proposals_in_scope(1, maeul_db::proposals::Kind::Proposal, None, 10)
            .await
            .unwrap()
            .is_empty(),
        "unmoderated proposals are not public"
    );
}

/// Hundreds of residents support at once, many of them twice: the count is exact, the department
/// obligation exists once, and the forum opened at 100.
async fn concurrent_supports_are_counted_exactly(db: Db) {
    use maeul_domain::proposal::{Ladder, ProposalState};
    let tree = seeded(&db).await;
    let (id, _) = proposal_in_collection(&db, &tree).await;
    let mut supporters = vec![];
    for i in 0..300 {
        supporters.push(
            maeul_testkit::create_user(&db, &format!("r{i}@example.kr"), "r")
                .await
                .unwrap(),
        );
    }
    let ladder = Ladder::democracy_seoul();
    let mut tasks = vec![];
    for (i, &uid) in supporters.iter().enumerate() {
        let times = if i % 3 == 0 { 2 } else { 1 };
        for _ in 0..times {
            let (db, ladder) = (db.clone(), ladder.clone());
            tasks.push(tokio::spawn(async move {
                db.support_proposal(id, uid, &ladder).await.unwrap().changed
            }));
        }
    }
    let mut added = 0;
    for t in tasks {
        added += usize::from(t.await.unwrap());
    }
    assert_eq!(added, 300, "exactly one support per resident took effect");
    let p = db.proposal(id).await.unwrap().unwrap();
    assert_eq!(p.support_count, 300);
    assert_eq!(p.state().unwrap(), ProposalState::Forum);
    let obligations = db.proposal_obligations(id).await.unwrap();
    assert_eq!(obligations.len(), 1);
    assert_eq!(obligations[0].responder, Responder::Department);
    assert!(
        db.overdue_obligations(10).await.unwrap().is_empty(),
        "not yet due"
    );
}

async fn korean_search_with_filters_and_cursors(db: Db) {
    use maeul_db::proposals::{NewProposal, ProposalSearch, SearchOrder};
    use maeul_domain::proposal::{Ladder, ProposalEvent};
    use maeul_domain::search::parse_query;
    let tree = seeded(&db).await;
    let ladder = Ladder::democracy_seoul();
    let author = user(&db, "a@example.kr").await;
    let jongno_dong = tree.by_code("1111051500").unwrap().id;
    let gangnam = tree.by_code("11680").unwrap().id;
    let texts = [
        (
            jongno_dong,
            "청운동 골목쉼터 만들기",
            "벤치와 그늘막",
            Category::Environment,
        ),
        (
            jongno_dong,
            "골목 청소의 날",
            "목쉼 없이 일하는 환경미화원께 감사",
            Category::Environment,
        ),
        (
            gangnam,
            "강남 버스 정류장 쉼터",
            "Bus shelter with heating",
            Category::Transport,
        ),
        (jongno_dong, "숲 가꾸기", "작은 숲", Category::Environment),
        (jongno_dong, "비공개 쉼터 초안", "draft", Category::Other),
    ];
    let mut ids = vec![];
    for (i, (scope_id, title, body, category)) in texts.iter().enumerate() {
        let new = NewProposal {
            scope_id: *scope_id,
            author_id: author,
            title,
            body,
            category: *category,
            submit: true,
            location: "",
            kind: maeul_db::proposals::Kind::Proposal,
        };
        let id = db.create_proposal(&new).await.unwrap();
        if i < 4 {
            db.transition_proposal(id, &ProposalEvent::Accept, &ladder, None)
                .await
                .unwrap();
        }
        ids.push(id);
    }
    for (n, &id) in [3, 1, 2].iter().zip(&ids) {
        for k in 0..*n {
            let uid = maeul_testkit::create_user(&db, &format!("s{id}-{k}@example.kr"), "s")
                .await
                .unwrap();
            db.support_proposal(id, uid, &ladder).await.unwrap();
        }
    }
    let search = |q: &str| ProposalSearch {
        query: parse_query(q),
        scope_prefix: "11".into(),
        state: None,
        category: None,
        kind: None,
        created_from: None,
        created_until: None,
        order: SearchOrder::Recent,
        after: None,
        limit: 10,
    };
    let found = |rows: Vec<maeul_db::proposals::ProposalRow>| {
        rows.into_iter().map(|p| p.id).collect::<Vec<_>>()
    };
    // Two syllables find the words that contain them, newest first; the draft stays hidden.
    assert_eq!(
        found(db.search_proposals(&search("쉼터")).await.unwrap()),
        vec![ids[2], ids[0]]
    );
    // "골목쉼" is only in the first title, though proposal 2 holds all of its bigrams.
    assert_eq!(
        found(db.search_proposals(&search("골목쉼")).await.unwrap()),
        vec![ids[0]]
    );
    assert_eq!(
        found(db.search_proposals(&search("숲")).await.unwrap()),
        vec![ids[3]]
    );
    assert_eq!(
        found(db.search_proposals(&search("SHELTER")).await.unwrap()),
        vec![ids[2]],
        "case-insensitive Latin"
    );
    let mut in_jongno = search("쉼터");
    in_jongno.scope_prefix = "11110".into();
    assert_eq!(
        found(db.search_proposals(&in_jongno).await.unwrap()),
        vec![ids[0]]
    );
    let mut by_category = search("");
    by_category.query = None;
    by_category.category = Some(Category::Transport);
    assert_eq!(
        found(db.search_proposals(&by_category).await.unwrap()),
        vec![ids[2]]
    );
    // Most supported first, then a keyset cursor continues after the last row.
    let mut popular = search("");
    popular.query = None;
    popular.order = SearchOrder::MostSupported;
    popular.limit = 2;
    let first = db.search_proposals(&popular).await.unwrap();
    assert_eq!(found(first.clone()), vec![ids[0], ids[2]]);
    popular.after = first.last().map(|p| (p.support_count, p.id));
    assert_eq!(
        found(db.search_proposals(&popular).await.unwrap()),
        vec![ids[1], ids[3]]
    );
    // Every filter at once with a text query and a cursor, in each order (each filter given binds its
    // own placeholder; a filter left out binds nothing).
    let row = db.search_proposals(&search("쉼터")).await.unwrap()[0].clone();
    for order in [
        SearchOrder::Recent,
        SearchOrder::MostSupported,
        SearchOrder::MostCommented,
    ] {
        let mut every = search("쉼터");
        every.state = row.state.proposal();
        every.category = Some(row.category);
        every.kind = Some(row.kind);
        every.created_from = Some(row.created_at);
        every.created_until = Some(row.created_at + 1);
        every.order = order;
        every.after = Some((i64::MAX, i64::MAX));
        assert_eq!(
            found(db.search_proposals(&every).await.unwrap()),
            vec![row.id],
            "{order:?}"
        );
        every.after = Some((0, 0));
        assert!(
            db.search_proposals(&every).await.unwrap().is_empty(),
            "{order:?}"
        );
    }
    // A page fills across rounds of candidates: 25 newer proposals hold both letter pairs of "골목쉼" but
    // not the word, so the one real match is found only after them.
    for k in 0..25 {
        let title = format!("골목 목쉼 {k}");
        let new = NewProposal {
            scope_id: jongno_dong,
            author_id: author,
            title: &title,
            body: "b",
            category: Category::Other,
            submit: true,
            location: "",
            kind: maeul_db::proposals::Kind::Proposal,
        };
        let id = db.create_proposal(&new).await.unwrap();
        db.transition_proposal(id, &ProposalEvent::Accept, &ladder, None)
            .await
            .unwrap();
    }
    assert_eq!(
        found(db.search_proposals(&search("골목쉼")).await.unwrap()),
        vec![ids[0]]
    );
}

async fn comments_thread_page_edit_and_vote(db: Db) {
    let tree = seeded(&db).await;
    let (id, author) = proposal_in_collection(&db, &tree).await;
    let (other, _) = {
        let new = maeul_db::proposals::NewProposal {
            scope_id: 1,
            author_id: author,
            title: "다른 제안",
            body: "b",
            category: Category::Other,
            submit: true,
            location: "",
            kind: maeul_db::proposals::Kind::Proposal,
        };
        (db.create_proposal(&new).await.unwrap(), ())
    };
    let voter = user(&db, "v@example.kr").await;
    let mut tops = vec![];
    for i in 0..5 {
        tops.push(
            db.add_comment(id, None, author, &format!("의견 {i}"), None)
                .await
                .unwrap(),
        );
    }
    let reply = db
        .add_comment(id, Some(tops[0]), voter, "답글", None)
        .await
        .unwrap();
    let nested = db
        .add_comment(id, Some(reply), author, "답글의 답글", None)
        .await
        .unwrap();
    let late_reply = db
        .add_comment(id, Some(tops[3]), voter, "늦은 답글", None)
        .await
        .unwrap();
    assert!(
        matches!(
            db.add_comment(other, Some(tops[0]), voter, "x", None).await,
            Err(DbError::Refused(_))
        ),
        "parent on another proposal"
    );
    assert_eq!(db.proposal(id).await.unwrap().unwrap().comment_count, 8);

    let (page1, replies1, more1) = db.comment_page(id, 0, 2).await.unwrap();
    assert!(more1);
    assert_eq!(page1.iter().map(|c| c.id).collect::<Vec<_>>(), tops[..2]);
    assert_eq!(
        replies1.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![reply, nested]
    );
    let (page2, replies2, _) = db.comment_page(id, page1[1].id, 2).await.unwrap();
    assert_eq!(page2.iter().map(|c| c.id).collect::<Vec<_>>(), tops[2..4]);
    assert_eq!(
        replies2.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![late_reply]
    );
    let (page3, _, more3) = db.comment_page(id, page2[1].id, 2).await.unwrap();
    assert_eq!(page3.len(), 1);
    assert!(!more3, "the last page says so");
    // Every comment knows its thread's root, however deep; replies of other pages' threads stay out.
    let mut roots = vec![];
    for c in [tops[0], reply, nested, late_reply] {
        roots.push(db.comment(c).await.unwrap().unwrap().root_id);
    }
    assert_eq!(
        roots,
        [Some(tops[0]), Some(tops[0]), Some(tops[0]), Some(tops[3])]
    );
    let later_reply = db
        .add_comment(
            id,
            Some(tops[4]),
            voter,
            "**굵게** <script>x</script>",
            None,
        )
        .await
        .unwrap();
    let (_, replies2_again, _) = db.comment_page(id, page1[1].id, 2).await.unwrap();
    assert_eq!(
        replies2_again.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![late_reply],
        "a reply under the next page's root is not on this page"
    );
    // The rendered body is stored with the comment, sanitised, and follows edits.
    let stored = db.comment(later_reply).await.unwrap().unwrap();
    assert_eq!(
        stored.body_html.as_deref(),
        Some("<p><strong>굵게</strong> &lt;script&gt;x&lt;/script&gt;</p>\n")
    );

    db.edit_comment(tops[0], "고친 의견").await.unwrap();
    db.edit_comment(tops[0], "다시 고친 의견").await.unwrap();
    let edited = db.comment(tops[0]).await.unwrap().unwrap();
    assert_eq!(edited.body, "다시 고친 의견");
    assert_eq!(edited.body_html.as_deref(), Some("<p>다시 고친 의견</p>\n"));
    assert!(edited.edited_at.is_some());
    let history: Vec<String> = db
        .comment_history(tops[0])
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.old_body)
        .collect();
    assert_eq!(history, ["의견 0", "고친 의견"]);

    assert_eq!(db.vote_comment(tops[1], voter, 1).await.unwrap(), (1, 0));
    assert_eq!(
        db.vote_comment(tops[1], voter, 1).await.unwrap(),
        (1, 0),
        "one vote per person"
    );
    assert_eq!(
        db.vote_comment(tops[1], voter, -1).await.unwrap(),
        (0, 1),
        "a vote can change"
    );
    assert_eq!(db.vote_comment(tops[1], author, -1).await.unwrap(), (0, 2));
    assert_eq!(
        db.vote_comment(tops[1], voter, 0).await.unwrap(),
        (0, 1),
        "and be withdrawn"
    );
    assert!(matches!(
        db.vote_comment(tops[1], voter, 2).await,
        Err(DbError::Refused(_))
    ));
    assert!(matches!(
        db.vote_comment(99_999, voter, 1).await,
        Err(DbError::NotFound)
    ));
}

/// Long threads make short pages: a page stops before the thread that would take it past
/// `PAGE_COMMENTS` comments, but always holds at least one whole thread.
async fn comment_pages_hold_whole_threads_of_bounded_size(db: Db) {
    let tree = seeded(&db).await;
    let (id, author) = proposal_in_collection(&db, &tree).await;
    let voter = user(&db, "long@example.kr").await;
    let mut roots = vec![];
    for (i, replies) in [70, 30, 0].into_iter().enumerate() {
        let root = db
            .add_comment(id, None, author, &format!("스레드 {i}"), None)
            .await
            .unwrap();
        let mut parent = root;
        for k in 0..replies {
            // Alternate direct replies and replies to replies: the root is found at any depth.
            let to = if k % 2 == 0 { root } else { parent };
            parent = db
                .add_comment(id, Some(to), voter, &format!("답 {k}"), None)
                .await
                .unwrap();
        }
        roots.push(root);
    }
    let (top, replies, more) = db.comment_page(id, 0, 10).await.unwrap();
    assert_eq!(
        top.iter().map(|c| c.id).collect::<Vec<_>>(),
        [roots[0]],
        "one thread of 71, alone"
    );
    assert_eq!(replies.len(), 70);
    assert!(more);
    let (top, replies, more) = db.comment_page(id, roots[0], 10).await.unwrap();
    assert_eq!(
        top.iter().map(|c| c.id).collect::<Vec<_>>(),
        [roots[1], roots[2]],
        "31 + 1 comments fit"
    );
    assert_eq!(replies.len(), 30);
    assert!(!more);
    let (top, _, more) = db.comment_page(id, roots[1], 1).await.unwrap();
    assert_eq!(top.iter().map(|c| c.id).collect::<Vec<_>>(), [roots[2]]);
    assert!(!more);
    let (top, replies, more) = db.comment_page(id, roots[2], 10).await.unwrap();
    assert!(top.is_empty() && replies.is_empty() && !more);
}

/// Fans out every due event job (digests are marked done untouched); returns how many events ran.
async fn drain_events(db: &Db, mentioned: &[i64]) -> usize {
    let mut n = 0;
    while let Some(job) = db.claim_job().await.unwrap() {
        if job.kind == maeul_db::jobs::KIND_DIGEST {
            db.complete_job(job.id).await.unwrap();
            continue;
        }
        db.fan_out_event(&job, mentioned).await.unwrap();
        n += 1;
    }
    n
}

async fn kinds_of(db: &Db, user_id: i64) -> Vec<String> {
    let mut kinds: Vec<String> = db
        .notifications(user_id, None, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.kind.as_str().to_string())
        .collect();
    kinds.sort();
    kinds
}

async fn events_notify_authors_followers_and_mentions_once(db: Db) {
    use maeul_db::notifications::FollowTarget;
    use maeul_domain::proposal::{Ladder, Responder};
    let tree = seeded(&db).await;
    let district = tree.by_code("11110").unwrap().id;
    let dong = tree
        .all()
        .iter()
        .find(|s| s.parent_id == Some(district))
        .unwrap()
        .id;
    // Followers of the district and of the author, before the proposal exists.
    let scope_fan = user(&db, "scope-fan@example.kr").await;
    db.follow(scope_fan, FollowTarget::Scope(district))
        .await
        .unwrap();
    db.follow(scope_fan, FollowTarget::Scope(district))
        .await
        .unwrap(); // idempotent
    let author_fan = user(&db, "author-fan@example.kr").await;
    let (id, author) = proposal_in_collection(&db, &tree).await;
    db.follow(author_fan, FollowTarget::User(author))
        .await
        .unwrap();
    // A follower of a neighbourhood hears nothing of a district proposal.
    let dong_fan = user(&db, "dong-fan@example.kr").await;
    db.follow(dong_fan, FollowTarget::Scope(dong))
        .await
        .unwrap();
    assert_eq!(
        drain_events(&db, &[]).await,
        2,
        "accepted: state change + published"
    );
    assert_eq!(kinds_of(&db, author).await, vec!["state-changed"]);
    assert_eq!(kinds_of(&db, scope_fan).await, vec!["published"]);
    assert!(kinds_of(&db, dong_fan).await.is_empty());
    // The author follows their proposal; the moderator (the actor) is not told of their own action.
    assert!(
        db.is_following(author, FollowTarget::Proposal(id))
            .await
            .unwrap()
    );
    assert_eq!(
        db.follower_count(FollowTarget::Proposal(id)).await.unwrap(),
        1
    );
    let moderator = db
        .user_by_email("mod@example.kr")
        .await
        .unwrap()
        .unwrap()
        .id;
    assert!(kinds_of(&db, moderator).await.is_empty());

    // A comment notifies the author and followers; a reply also its parent's author; mentions too.
    let commenter = user(&db, "c@example.kr").await;
    let mentioned = user(&db, "m@example.kr").await;
    let first = db
        .add_comment(id, None, commenter, "좋아요", None)
        .await
        .unwrap();
    assert_eq!(drain_events(&db, &[mentioned]).await, 1);
    assert_eq!(
        kinds_of(&db, author).await,
        vec!["commented", "state-changed"]
    );
    assert_eq!(kinds_of(&db, mentioned).await, vec!["commented"]);
    assert!(
        kinds_of(&db, commenter).await.is_empty(),
        "no notice of one's own comment"
    );
    db.add_comment(id, Some(first), author, "고맙습니다", None)
        .await
        .unwrap();
    drain_events(&db, &[]).await;
    // The commenter followed by commenting and is the replied-to author: one notification, not two.
    assert_eq!(kinds_of(&db, commenter).await, vec!["commented"]);

    // An official answer reaches the author and every follower.
    db.answer_proposal(
        id,
        Responder::Department,
        moderator,
        "검토하겠습니다",
        &Ladder::democracy_seoul(),
    )
    .await
    .unwrap();
    drain_events(&db, &[]).await;
    // (The author's own reply told nobody but the commenter.)
    assert_eq!(
        kinds_of(&db, author).await,
        vec!["answered", "commented", "state-changed"]
    );
    assert!(
        kinds_of(&db, commenter)
            .await
            .contains(&"answered".to_string())
    );
    let answer = &db.notifications(author, None, 1).await.unwrap()[0];
    assert_eq!(
        (answer.title.as_str(), answer.detail.as_str()),
        ("골목 쉼터", "department")
    );
    assert_eq!(answer.proposal_kind, "proposal");
    assert_eq!(
        answer.subject().map(|(kind, _)| kind),
        Some(maeul_domain::notify::SubjectKind::Proposal)
    );

    // Unread counts and marking read.
    assert_eq!(db.unread_notifications(author).await.unwrap(), 3);
    assert_eq!(
        db.mark_notifications_read(author, Some(answer.id))
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        db.mark_notifications_read(commenter, Some(answer.id))
            .await
            .unwrap(),
        0,
        "only one's own"
    );
    assert_eq!(db.unread_notifications(author).await.unwrap(), 2);
    assert_eq!(db.mark_notifications_read(author, None).await.unwrap(), 2);
    assert_eq!(db.unread_notifications(author).await.unwrap(), 0);
    // Unfollowing stops notices.
    db.unfollow(commenter, FollowTarget::Proposal(id))
        .await
        .unwrap();
    db.add_comment(id, None, author, "추가 의견", None)
        .await
        .unwrap();
    drain_events(&db, &[]).await;
    assert_eq!(kinds_of(&db, commenter).await.len(), 2);
    // Mentions resolve handles, which are unique even where display names are not.
    let a = maeul_testkit::create_user(&db, "same.name@example.kr", "같은이름")
        .await
        .unwrap();
    let b = maeul_testkit::create_user(&db, "same.name@example.org", "같은이름")
        .await
        .unwrap();
    let (ha, hb) = (
        db.user_by_id(a).await.unwrap().unwrap().handle,
        db.user_by_id(b).await.unwrap().unwrap().handle,
    );
    assert_ne!(ha, hb, "the second account gets a free handle");
    assert_eq!(db.user_by_handle(&hb).await.unwrap().unwrap().id, b);
    assert_eq!(
        db.user_by_handle(&ha.to_uppercase())
            .await
            .unwrap()
            .unwrap()
            .id,
        a
    );
}

async fn jobs_are_claimed_once_retried_and_scheduled_once(db: Db) {
    let tree = seeded(&db).await;
    let _ = proposal_in_collection(&db, &tree).await;
    // Two events are due. A claimed job is locked: a second claim takes the other one.
    let a = db.claim_job().await.unwrap().unwrap();
    let b = db.claim_job().await.unwrap().unwrap();
    assert_ne!(a.id, b.id);
    assert!(db.claim_job().await.unwrap().is_none(), "both are locked");
    assert_eq!(a.attempts, 1);
    // A failure releases the job for a later retry, with the error kept.
    db.fail_job(&a, "smtp down").await.unwrap();
    assert!(
        db.claim_job().await.unwrap().is_none(),
        "retried after a delay, not at once"
    );
    let listed = db.recent_jobs(10).await.unwrap();
    let failed = listed.iter().find(|j| j.id == a.id).unwrap();
    assert_eq!(failed.last_error.as_deref(), Some("smtp down"));
    assert!(failed.run_at > maeul_db::now() && failed.done_at.is_none());
    db.complete_job(b.id).await.unwrap();
    assert_eq!(db.pending_jobs().await.unwrap(), 1);
    // Scheduling is idempotent per key.
    assert!(db.schedule_job("digest", 1, "digest:1").await.unwrap());
    assert!(!db.schedule_job("digest", 1, "digest:1").await.unwrap());
    let digest = db.claim_job().await.unwrap().unwrap();
    assert_eq!(digest.kind, "digest");
    db.complete_job(digest.id).await.unwrap();
    assert!(db.claim_job().await.unwrap().is_none());
}

async fn notification_mail_is_recorded_once(db: Db) {
    use maeul_domain::notify::EmailPreference;
    let tree = seeded(&db).await;
    let (_, author) = proposal_in_collection(&db, &tree).await;
    drain_events(&db, &[]).await;
    // Daily is the default: the author's notice waits for the digest, not for immediate mail.
    assert_eq!(
        db.email_preference(author).await.unwrap(),
        EmailPreference::Daily
    );
    assert!(
        db.notifications_to_mail(EmailPreference::Immediate, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let daily = db
        .notifications_to_mail(EmailPreference::Daily, 10)
        .await
        .unwrap();
    assert_eq!(daily.len(), 1);
    assert_eq!(
        (daily[0].user_id, daily[0].email.as_str()),
        (author, "author@example.kr")
    );
    let ids = [daily[0].id];
    assert!(
        db.record_notification_mail(
            &ids,
            "author@example.kr",
            "s",
            "b",
            "http://x/unsubscribe/t"
        )
        .await
        .unwrap()
    );
    assert!(
        !db.record_notification_mail(
            &ids,
            "author@example.kr",
            "s",
            "b",
            "http://x/unsubscribe/t"
        )
        .await
        .unwrap(),
        "a second worker writes nothing"
    );
    let mails = db.recent_mails(10).await.unwrap();
    assert_eq!(mails.len(), 1);
    assert_eq!(
        mails[0].unsubscribe_url.as_deref(),
        Some("http://x/unsubscribe/t")
    );
    assert!(
        db.notifications_to_mail(EmailPreference::Daily, 10)
            .await
            .unwrap()
            .is_empty()
    );
    // Off means never mailed.
    db.set_email_preference(author, EmailPreference::Off)
        .await
        .unwrap();
    let moderator = db
        .user_by_email("mod@example.kr")
        .await
        .unwrap()
        .unwrap()
        .id;
    let p = db.proposals_by_author(author, 1).await.unwrap().remove(0);
    db.add_comment(p.id, None, moderator, "의견", None)
        .await
        .unwrap();
    drain_events(&db, &[]).await;
    assert_eq!(db.unread_notifications(author).await.unwrap(), 2);
    for pref in [EmailPreference::Immediate, EmailPreference::Daily] {
        assert!(
            db.notifications_to_mail(pref, 10).await.unwrap().is_empty(),
            "{pref:?}"
        );
    }
}

async fn reports_hide_content_and_everything_is_logged(db: Db) {
    use maeul_domain::moderation::{AUTO_HIDE_REPORTS, ModerationAction, ReportReason, Target};
    let tree = seeded(&db).await;
    let (id, author) = proposal_in_collection(&db, &tree).await;
    let scope_id = db.proposal(id).await.unwrap().unwrap().scope_id;
    let moderator = db
        .user_by_email("mod@example.kr")
        .await
        .unwrap()
        .unwrap()
        .id;
    let comment = db
        .add_comment(id, None, author, "스팸 댓글", None)
        .await
        .unwrap();
    drain_events(&db, &[]).await;
    let reporter = user(&db, "r0@example.kr").await;
    let first = db
        .report_content(
            Target::Comment,
            comment,
            reporter,
            ReportReason::Spam,
            "광고",
        )
        .await
        .unwrap();
    assert_eq!((first.open_reports, first.auto_hidden), (1, false));
    assert!(matches!(
        db.report_content(Target::Comment, comment, reporter, ReportReason::Other, "")
            .await,
        Err(DbError::Conflict(_))
    ));
    assert!(matches!(
        db.report_content(Target::Comment, 999_999, reporter, ReportReason::Spam, "")
            .await,
        Err(DbError::NotFound)
    ));
    // Enough distinct reporters hide the comment automatically, with a log entry and a notice.
    for i in 1..AUTO_HIDE_REPORTS {
        let r = user(&db, &format!("r{i}@example.kr")).await;
        let outcome = db
            .report_content(Target::Comment, comment, r, ReportReason::Offensive, "")
            .await
            .unwrap();
        assert_eq!(outcome.auto_hidden, i == AUTO_HIDE_REPORTS - 1);
    }
    assert!(
        db.comment(comment)
            .await
            .unwrap()
            .unwrap()
            .hidden_at
            .is_some()
    );
    let open = db.open_reports("11", 100).await.unwrap();
    assert_eq!(open.len() as i64, AUTO_HIDE_REPORTS);
    assert!(
        open.iter()
            .all(|r| r.excerpt == "스팸 댓글" && r.proposal_id == id && r.hidden_at.is_some())
    );
    assert!(
        db.open_reports("26", 100).await.unwrap().is_empty(),
        "other cities' moderators see nothing"
    );
    drain_events(&db, &[]).await;
    assert!(kinds_of(&db, author).await.contains(&"hidden".to_string()));
    // Hiding hidden content is refused; restoring resolves the reports.
    assert!(matches!(
        db.moderate_content(
            moderator,
            Target::Comment,
            comment,
            ModerationAction::Hide,
            "x"
        )
        .await,
        Err(DbError::Refused(_))
    ));
    db.moderate_content(
        moderator,
        Target::Comment,
        comment,
        ModerationAction::Restore,
        "",
    )
    .await
    .unwrap();
    assert!(
        db.comment(comment)
            .await
            .unwrap()
            .unwrap()
            .hidden_at
            .is_none()
    );
    assert!(db.open_reports("11", 100).await.unwrap().is_empty());
    // Hiding a proposal takes it out of lists and search but keeps it.
    db.moderate_content(
        moderator,
        Target::Proposal,
        id,
        ModerationAction::Hide,
        "개인정보 노출",
    )
    .await
    .unwrap();
    assert!(
        db.proposals_in_scope(scope_id, maeul_db::proposals::Kind::Proposal, None, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let search = maeul_db::proposals::ProposalSearch {
        query: maeul_domain::search::parse_query("쉼터"),
        scope_prefix: String::new(),
        state: None,
        category: None,
        kind: None,
        created_from: None,
        created_until: None,
        order: maeul_db::proposals::SearchOrder::Recent,
        after: None,
        limit: 10,
    };
    assert!(db.search_proposals(&search).await.unwrap().is_empty());
    assert!(
        db.proposal(id).await.unwrap().unwrap().hidden_at.is_some(),
        "kept, not deleted"
    );
    let log = db.moderation_log("11", 10).await.unwrap();
    let actions: Vec<(&str, Option<&str>)> = log
        .iter()
        .map(|l| (l.action.as_str(), l.moderator_name.as_deref()))
        .collect();
    assert_eq!(
        actions,
        vec![
            ("hide", Some("테스트")),
            ("restore", Some("테스트")),
            ("hide", None),
            // Accepting the proposal into collection is a moderation decision too.
            ("accept", Some("테스트"))
        ]
    );
    assert_eq!(log[0].reason, "개인정보 노출");
    // Followers no longer see notices about the hidden proposal; its author still does.
    assert!(
        !db.notifications(author, None, 100)
            .await
            .unwrap()
            .is_empty()
    );
    let _ = scope_id;
    db.moderate_content(
        moderator,
        Target::Proposal,
        id,
        ModerationAction::Restore,
        "",
    )
    .await
    .unwrap();
    assert_eq!(db.search_proposals(&search).await.unwrap().len(), 1);
}

async fn blocked_accounts_lose_sessions_and_tokens(db: Db) {
    use maeul_domain::moderation::ModerationAction;
    let moderator = user(&db, "mod@example.kr").await;
    let troll = user(&db, "troll@example.kr").await;
    db.create_session(troll, "session-hash", maeul_db::now() + 3600)
        .await
        .unwrap();
    db.create_api_token(troll, "token-hash", "bot")
        .await
        .unwrap();
    assert!(db.session_user("session-hash").await.unwrap().is_some());
    assert!(matches!(
        db.set_blocked(moderator, troll, ModerationAction::Unblock, "")
            .await,
        Err(DbError::Refused(_))
    ));
    db.set_blocked(moderator, troll, ModerationAction::Block, "도배")
        .await
        .unwrap();
    assert!(db.is_blocked(troll).await.unwrap());
    assert!(db.session_user("session-hash").await.unwrap().is_none());
    assert!(db.api_token_user("token-hash").await.unwrap().is_none());
    assert!(
        db.user_by_id(troll)
            .await
            .unwrap()
            .unwrap()
            .blocked_at
            .is_some()
    );
    db.set_blocked(moderator, troll, ModerationAction::Unblock, "")
        .await
        .unwrap();
    assert!(db.api_token_user("token-hash").await.unwrap().is_some());
    let log = db.moderation_log("11110", 10).await.unwrap();
    assert_eq!(log.len(), 2, "account actions are shown to every moderator");
    assert_eq!((log[1].action.as_str(), log[1].target_id), ("block", troll));
}

async fn debates_take_positions_and_conclude(db: Db) {
    use maeul_db::proposals::{Kind, NewProposal};
    use maeul_domain::debate::{DebateState, Position};
    let tree = seeded(&db).await;
    let scope_id = tree.by_code("11110").unwrap().id;
    let author = user(&db, "d@example.kr").await;
    let id = db
        .create_proposal(&NewProposal {
            scope_id,
            author_id: author,
            title: "차 없는 거리를 만들까요?",
            body: "주말마다 시범 운영을 제안합니다",
            category: Category::Transport,
            location: "종로 2가",
            submit: true,
            kind: Kind::Debate,
        })
        .await
        .unwrap();
    let d = db.proposal(id).await.unwrap().unwrap();
    assert!(d.is_debate() && d.state == ItemState::Debate(DebateState::Open));
    assert_eq!(
        (d.location.as_str(), d.path()),
        ("종로 2가", format!("/debates/{id}"))
    );
    assert_eq!(
        db.proposals_in_scope(scope_id, Kind::Debate, None, 10)
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(
        db.proposals_in_scope(scope_id, Kind::Proposal, None, 10)
            .await
            .unwrap()
            .is_empty()
    );
    // Debates cannot be supported.
    assert!(matches!(
        db.support_proposal(
            id,
            author,
            &maeul_domain::proposal::Ladder::democracy_seoul()
        )
        .await,
        Err(DbError::Refused(_))
    ));
    let c = db
        .add_comment(id, None, author, "찬성합니다", Some(Position::For))
        .await
        .unwrap();
    assert_eq!(
        db.comment(c).await.unwrap().unwrap().position.0,
        Some(Position::For)
    );
    let opponent = user(&db, "opponent@example.kr").await;
    db.add_comment(id, None, opponent, "반대", Some(Position::Against))
        .await
        .unwrap();
    db.add_comment(id, Some(c), author, "입장 없는 답글", None)
        .await
        .unwrap();
    assert_eq!(db.debate_positions(id).await.unwrap(), (1, 1, 0));
    // A person counts once, on the side of their latest comment.
    db.add_comment(id, None, opponent, "생각이 바뀌었어요", Some(Position::For))
        .await
        .unwrap();
    assert_eq!(db.debate_positions(id).await.unwrap(), (2, 0, 0));
    db.conclude_debate(id, author, "시범 운영 후 다시 논의")
        .await
        .unwrap();
    let d = db.proposal(id).await.unwrap().unwrap();
    assert_eq!(
        (d.state, d.conclusion.as_str()),
        (
            ItemState::Debate(DebateState::Concluded),
            "시범 운영 후 다시 논의"
        )
    );
    assert!(matches!(
        db.conclude_debate(id, author, "again").await,
        Err(DbError::Refused(_))
    ));
    let history = db.proposal_transitions(id).await.unwrap();
    assert_eq!(
        history.last().unwrap().to_state,
        ItemState::Debate(DebateState::Concluded)
    );
}

async fn attachments_are_limited_per_proposal(db: Db) {
    let tree = seeded(&db).await;
    let (id, author) = proposal_in_collection(&db, &tree).await;
    let pdf = b"%PDF-1.4 test".to_vec();
    for i in 0..3 {
        db.attach_file(
            maeul_db::attachments::AttachmentOwner::Proposal(id),
            author,
            &format!("f{i}.pdf"),
            "application/pdf",
            &pdf,
            3,
        )
        .await
        .unwrap();
    }
    assert!(matches!(
        db.attach_file(
            maeul_db::attachments::AttachmentOwner::Proposal(id),
            author,
            "f3.pdf",
            "application/pdf",
            &pdf,
            3
        )
        .await,
        Err(DbError::Refused(_))
    ));
    let list = db.attachments_of(id).await.unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[0].size, pdf.len() as i64);
    let file = db.attachment(list[1].id).await.unwrap().unwrap();
    assert_eq!((file.info.file_name.as_str(), file.data), ("f1.pdf", pdf));
}

async fn comments_are_searchable_in_korean(db: Db) {
    use maeul_domain::moderation::{ModerationAction, Target};
    use maeul_domain::search::parse_query;
    let tree = seeded(&db).await;
    let (id, author) = proposal_in_collection(&db, &tree).await;
    let c = db
        .add_comment(id, None, author, "놀이터 그늘막이 필요합니다", None)
        .await
        .unwrap();
    db.add_comment(id, None, author, "주차 문제도 있어요", None)
        .await
        .unwrap();
    // No scope: the whole city.
    assert_eq!(
        db.search_comments(&parse_query("그늘").unwrap(), "", 10)
            .await
            .unwrap()
            .len(),
        1
    );
    let hits = db
        .search_comments(&parse_query("그늘").unwrap(), "11", 10)
        .await
        .unwrap();
    assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![c]);
    assert_eq!(hits[0].proposal_title, "골목 쉼터");
    assert!(
        db.search_comments(&parse_query("그늘").unwrap(), "26", 10)
            .await
            .unwrap()
            .is_empty()
    );
    // Edits are indexed; hidden comments are not found.
    db.edit_comment(c, "놀이터 차양이 필요합니다")
        .await
        .unwrap();
    assert!(
        db.search_comments(&parse_query("그늘").unwrap(), "11", 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        db.search_comments(&parse_query("차양").unwrap(), "11", 10)
            .await
            .unwrap()
            .len(),
        1
    );
    let moderator = db
        .user_by_email("mod@example.kr")
        .await
        .unwrap()
        .unwrap()
        .id;
    db.moderate_content(moderator, Target::Comment, c, ModerationAction::Hide, "x")
        .await
        .unwrap();
    assert!(
        db.search_comments(&parse_query("차양").unwrap(), "11", 10)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn ladders_are_configured_per_scope_and_inherited(db: Db) {
    use maeul_domain::proposal::LadderConfig;
    let tree = seeded(&db).await;
    let admin = user(&db, "admin@example.kr").await;
    let city = tree.by_code("11").unwrap().id;
    let district = tree.by_code("11110").unwrap().id;
    let dong = tree.by_code("1111051500").unwrap().id;
    let path = [city, district, dong];
    assert_eq!(
        db.ladder_config(&path).await.unwrap(),
        (LadderConfig::DEMOCRACY_SEOUL, None)
    );
    let small = LadderConfig {
        answer_at: 5,
        forum_at: 10,
        head_at: 50,
        answer_days: 14,
    };
    db.set_ladder_config(district, Some(small), admin)
        .await
        .unwrap();
    assert_eq!(
        db.ladder_config(&path).await.unwrap(),
        (small, Some(district)),
        "the dong inherits"
    );
    assert_eq!(
        db.ladder_config(&[city]).await.unwrap().1,
        None,
        "the city does not"
    );
    let own = LadderConfig {
        answer_at: 3,
        ..small
    };
    db.set_ladder_config(dong, Some(own), admin).await.unwrap();
    assert_eq!(db.ladder_config(&path).await.unwrap(), (own, Some(dong)));
    // A bad configuration is refused and changes nothing.
    let bad = LadderConfig {
        forum_at: 1,
        ..small
    };
    assert!(matches!(
        db.set_ladder_config(dong, Some(bad), admin).await,
        Err(DbError::Refused(_))
    ));
    assert_eq!(db.ladder_config(&path).await.unwrap().0, own);
    db.set_ladder_config(dong, None, admin).await.unwrap();
    assert_eq!(
        db.ladder_config(&path).await.unwrap(),
        (small, Some(district))
    );
    let audit = db.audit_page(None, 10).await.unwrap();
    assert_eq!(
        audit
            .iter()
            .filter(|a| a.action == AuditAction::LadderSet)
            .count(),
        3
    );
}

async fn proposals_expire_after_their_deadline(db: Db) {
    use maeul_domain::proposal::{Ladder, ProposalEvent, ProposalState};
    let tree = seeded(&db).await;
    let (id, author) = proposal_in_collection(&db, &tree).await;
    assert!(db.proposals_past_deadline(10).await.unwrap().is_empty());
    maeul_db::db_run!(&db, pool => sqlx::query("UPDATE proposals SET collecting_until = 1 WHERE id = $1")
        .bind(id).execute(pool).await.unwrap().rows_affected());
    assert_eq!(db.proposals_past_deadline(10).await.unwrap(), vec![id]);
    db.transition_proposal(
        id,
        &ProposalEvent::DeadlinePassed,
        &Ladder::democracy_seoul(),
        None,
    )
    .await
    .unwrap();
    assert_eq!(
        db.proposal(id).await.unwrap().unwrap().state().unwrap(),
        ProposalState::Expired
    );
    assert!(db.proposals_past_deadline(10).await.unwrap().is_empty());
    drain_events(&db, &[]).await;
    let notices = db.notifications(author, None, 10).await.unwrap();
    assert_eq!(
        (notices[0].kind.as_str(), notices[0].detail.as_str()),
        ("state-changed", "expired")
    );
}

async fn forum_participants_drive_the_heads_answer(db: Db) {
    use maeul_domain::proposal::{LadderConfig, ProposalEvent};
    let tree = seeded(&db).await;
    let ladder = LadderConfig {
        answer_at: 1,
        forum_at: 1,
        head_at: 2,
        answer_days: 10,
    }
    .ladder();
    let (id, author) = proposal_in_collection(&db, &tree).await;
    assert!(
        !db.join_forum(id, author, &ladder).await.unwrap(),
        "no forum yet: nothing counted"
    );
    db.transition_proposal(
        id,
        &ProposalEvent::PanelOpensForum {
            reason: "관심 높음".into(),
        },
        &ladder,
        None,
    )
    .await
    .unwrap();
    assert!(db.join_forum(id, author, &ladder).await.unwrap());
    assert!(
        !db.join_forum(id, author, &ladder).await.unwrap(),
        "each person once"
    );
    assert_eq!(
        db.proposal(id).await.unwrap().unwrap().forum_participants,
        1
    );
    assert!(
        db.proposal_obligations(id)
            .await
            .unwrap()
            .iter()
            .all(|o| o.responder != Responder::Head)
    );
    let other = user(&db, "p2@example.kr").await;
    assert!(db.join_forum(id, other, &ladder).await.unwrap());
    let head: Vec<_> = db
        .proposal_obligations(id)
        .await
        .unwrap()
        .into_iter()
        .filter(|o| o.responder == Responder::Head)
        .collect();
    assert_eq!(
        head.len(),
        1,
        "the second participant obliges the head to answer"
    );
    assert_eq!(head[0].due_at - head[0].created_at, 10 * 86_400);
}
