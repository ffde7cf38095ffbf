//! Storage of the forums, on SQLite and on PostgreSQL: conversation lifecycle, pseudonyms, statements and
//! their moderation, votes (events + one current vote, the latest winning under concurrent revotes) and
//! the coalesced map-update job.

use maeul_db::forums::{KIND_FORUM_MAP, NewConversation, NewMap, NewVote};
use maeul_db::{Db, DbError};
use maeul_domain::forum::{
    ConversationEvent, ConversationState, ForumRefusal, ModerationMode, Participation,
    StatementState, VoteValue,
};
use maeul_domain::{ObjectKind, ObjectRef, Refusal, ScopeTree};

maeul_testkit::backend_tests!(
    a_conversation_opens_closes_and_publishes_its_report,
    pseudonyms_are_per_conversation_small_integers_and_stable,
    concurrent_revotes_leave_one_current_vote_the_latest,
    hidden_statements_leave_voting_and_the_votes_the_map_reads,
    votes_schedule_one_waiting_map_update_per_conversation,
    map_snapshots_keep_their_history,
    a_batch_of_votes_is_one_transaction_each_vote_refused_or_kept_on_its_own,
    a_failed_map_update_does_not_hold_back_the_next,
);

fn forum_refusal(result: Result<impl std::fmt::Debug, DbError>) -> ForumRefusal {
    match result {
        Err(DbError::Refused(Refusal::Forum(r))) => r,
        other => panic!("expected a forum refusal, got {other:?}"),
    }
}

async fn open_conversation(db: &Db, moderation: ModerationMode) -> (i64, i64) {
    db.seed_seoul_if_empty().await.unwrap();
    let tree = ScopeTree::new(db.load_scopes().await.unwrap()).unwrap();
    let jongno = tree.by_code("11110").unwrap().id;
    let staff = maeul_testkit::create_user(db, "staff@example.org", "담당자")
        .await
        .unwrap();
    let id = db
        .create_conversation(&NewConversation {
            scope_id: jongno,
            object: Some(ObjectRef::new(ObjectKind::AgendaItem, 7)),
            topic: "종로 골목길 보행 안전",
            description: "",
            participation: Participation::SignedIn,
            moderation,
            created_by: Some(staff),
        })
        .await
        .unwrap();
    db.transition_conversation(id, Some(staff), &ConversationEvent::Open)
        .await
        .unwrap();
    (id, staff)
}

async fn a_conversation_opens_closes_and_publishes_its_report(db: Db) {
    let (id, staff) = open_conversation(&db, ModerationMode::Post).await;
    let c = db.conversation(id).await.unwrap().unwrap();
    assert_eq!(c.state, ConversationState::Open);
    assert_eq!(c.object(), Some(ObjectRef::new(ObjectKind::AgendaItem, 7)));
    assert_eq!(
        db.conversations_about(ObjectRef::new(ObjectKind::AgendaItem, 7))
            .await
            .unwrap()
            .len(),
        1
    );
    let again = db
        .transition_conversation(id, Some(staff), &ConversationEvent::Open)
        .await;
    assert!(matches!(
        forum_refusal(again),
        ForumRefusal::NotAllowed { .. }
    ));
    db.transition_conversation(id, Some(staff), &ConversationEvent::Close)
        .await
        .unwrap();
    let empty = db
        .transition_conversation(
            id,
            Some(staff),
            &ConversationEvent::PublishReport { report: " ".into() },
        )
        .await;
    assert_eq!(forum_refusal(empty), ForumRefusal::ReportRequired);
    let to = db
        .transition_conversation(
            id,
            Some(staff),
            &ConversationEvent::PublishReport {
                report: "보행로 확대에 모두 동의".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(to, ConversationState::Reported);
    let c = db.conversation(id).await.unwrap().unwrap();
    assert_eq!(c.report, "보행로 확대에 모두 동의");
    // Statements are refused once it is not open.
    let refused = db
        .add_statement(id, None, "늦은 의견입니다", StatementState::Accepted)
        .await;
    assert_eq!(forum_refusal(refused), ForumRefusal::NotOpen);
}

async fn pseudonyms_are_per_conversation_small_integers_and_stable(db: Db) {
    let (a, _) = open_conversation(&db, ModerationMode::Post).await;
    let mut users = vec![];
    for i in 0..20 {
        users.push(
            maeul_testkit::create_user(&db, &format!("p{i}@example.org"), "주민")
                .await
                .unwrap(),
        );
    }
    // 20 people joining at once, each twice: numbers 0..19, one per person, no gaps.
    let mut tasks = tokio::task::JoinSet::new();
    for &u in users.iter().chain(users.iter()) {
        let db = db.clone();
        tasks.spawn(async move { (u, db.forum_participant(a, u).await.unwrap()) });
    }
    let mut seen = std::collections::HashMap::new();
    while let Some(r) = tasks.join_next().await {
        let (u, p) = r.unwrap();
        assert_eq!(*seen.entry(u).or_insert(p), p, "stable for one person");
    }
    let mut numbers: Vec<i64> = seen.values().copied().collect();
    numbers.sort_unstable();
    assert_eq!(numbers, (0..20).collect::<Vec<i64>>());
    assert_eq!(
        db.forum_pseudonym(a, users[3]).await.unwrap(),
        seen.get(&users[3]).copied()
    );
}

async fn concurrent_revotes_leave_one_current_vote_the_latest(db: Db) {
    let (id, _) = open_conversation(&db, ModerationMode::Post).await;
    let s = db
        .add_statement(id, None, "골목길에 벤치를 놓자", StatementState::Accepted)
        .await
        .unwrap();
    const VOTERS: i64 = 16;
    const REVOTES: usize = 12;
    let mut tasks = tokio::task::JoinSet::new();
    for p in 0..VOTERS {
        for r in 0..REVOTES {
            let db = db.clone();
            tasks.spawn(async move {
                let vote = [VoteValue::Agree, VoteValue::Disagree, VoteValue::Pass][r % 3];
                db.cast_forum_vote(id, s, p, vote).await.unwrap()
            });
        }
    }
    while let Some(r) = tasks.join_next().await {
        r.unwrap();
    }
    let events = db.forum_vote_events(id).await.unwrap();
    assert_eq!(events.len(), VOTERS as usize * REVOTES);
    let current = db.forum_current_votes(id).await.unwrap();
    assert_eq!(current.len(), VOTERS as usize, "one current vote each");
    for c in &current {
        let latest = events
            .iter()
            .filter(|e| e.2 == c.pseudonym)
            .max_by_key(|e| e.0)
            .unwrap();
        assert_eq!(c.event_id, latest.0, "the latest event is the current vote");
        assert_eq!(c.vote, latest.3);
    }
}

async fn hidden_statements_leave_voting_and_the_votes_the_map_reads(db: Db) {
    let (id, staff) = open_conversation(&db, ModerationMode::Pre).await;
    let s = db
        .add_statement(id, None, "버스 노선을 늘리자", StatementState::Pending)
        .await
        .unwrap();
    let pending = db.cast_forum_vote(id, s, 0, VoteValue::Agree).await;
    assert_eq!(forum_refusal(pending), ForumRefusal::StatementNotVotable);
    db.moderate_statement(s, staff, StatementState::Accepted)
        .await
        .unwrap();
    db.cast_forum_vote(id, s, 0, VoteValue::Agree)
        .await
        .unwrap();
    assert_eq!(db.forum_current_votes(id).await.unwrap().len(), 1);
    let st = db.forum_statement(s).await.unwrap().unwrap();
    assert_eq!((st.agrees, st.disagrees, st.passes), (1, 0, 0));
    db.moderate_statement(s, staff, StatementState::Hidden)
        .await
        .unwrap();
    assert!(db.forum_current_votes(id).await.unwrap().is_empty());
    let hidden = db.cast_forum_vote(id, s, 1, VoteValue::Agree).await;
    assert_eq!(forum_refusal(hidden), ForumRefusal::StatementNotVotable);
    let twice = db
        .moderate_statement(s, staff, StatementState::Hidden)
        .await;
    assert!(matches!(
        forum_refusal(twice),
        ForumRefusal::AlreadyModerated { .. }
    ));
}

async fn votes_schedule_one_waiting_map_update_per_conversation(db: Db) {
    let (id, _) = open_conversation(&db, ModerationMode::Post).await;
    let s = db
        .add_statement(id, None, "주차장을 공원으로", StatementState::Accepted)
        .await
        .unwrap();
    for p in 0..10 {
        db.cast_forum_vote(id, s, p, VoteValue::Agree)
            .await
            .unwrap();
    }
    let job = db
        .claim_forum_map_job(&[])
        .await
        .unwrap()
        .expect("a map update waits");
    assert_eq!(job.kind, KIND_FORUM_MAP);
    assert_eq!(job.detail, id.to_string());
    assert!(
        db.claim_forum_map_job(&[]).await.unwrap().is_none(),
        "coalesced into one"
    );
    // A vote while the update runs schedules the next one.
    db.cast_forum_vote(id, s, 11, VoteValue::Pass)
        .await
        .unwrap();
    db.complete_job(job.id).await.unwrap();
    let next = db
        .claim_forum_map_job(&[])
        .await
        .unwrap()
        .expect("the next update");
    assert_eq!(next.kind, KIND_FORUM_MAP);
    assert_ne!(next.id, job.id);
}

async fn map_snapshots_keep_their_history(db: Db) {
    let (id, _) = open_conversation(&db, ModerationMode::Post).await;
    assert!(db.latest_forum_map(id).await.unwrap().is_none());
    for votes in [3, 8] {
        db.store_forum_map(
            id,
            &NewMap {
                map_json: &format!("{{\"votes\":{votes}}}"),
                svg: "<svg/>",
                priorities_json: "{}",
                votes,
                last_event_id: votes,
            },
        )
        .await
        .unwrap();
    }
    let latest = db.latest_forum_map(id).await.unwrap().unwrap();
    assert_eq!(latest.votes, 8);
    let history = db.forum_map_history(id).await.unwrap();
    assert_eq!(history.iter().map(|h| h.1).collect::<Vec<_>>(), [3, 8]);
    let first = db.forum_map(id, history[0].0).await.unwrap().unwrap();
    assert_eq!(first.map_json, "{\"votes\":3}");
}

async fn a_batch_of_votes_is_one_transaction_each_vote_refused_or_kept_on_its_own(db: Db) {
    let (id, _) = open_conversation(&db, ModerationMode::Pre).await;
    let open = db
        .add_statement(id, None, "마을버스를 늘리자", StatementState::Accepted)
        .await
        .unwrap();
    let pending = db
        .add_statement(id, None, "공영주차장을 짓자", StatementState::Pending)
        .await
        .unwrap();
    let vote = |statement_id, pseudonym, vote| NewVote {
        conversation_id: id,
        statement_id,
        pseudonym,
        vote,
    };
    let events = db
        .cast_forum_votes(&[
            vote(open, 0, VoteValue::Agree),
            vote(pending, 0, VoteValue::Agree),
            vote(open, 1, VoteValue::Disagree),
            // The same participant twice in one batch: the later one counts.
            vote(open, 0, VoteValue::Pass),
        ])
        .await
        .unwrap();
    assert!(events[1].is_none(), "a pending statement is not votable");
    assert!(events[0].is_some() && events[2].is_some() && events[3].is_some());
    assert!(events[3] > events[0]);
    assert_eq!(db.forum_vote_events(id).await.unwrap().len(), 3);
    let current: Vec<(i64, i64)> = db
        .forum_current_votes(id)
        .await
        .unwrap()
        .iter()
        .map(|v| (v.pseudonym, v.vote))
        .collect();
    assert_eq!(current, [(1, -1), (0, 0)]);
    let job = db
        .claim_forum_map_job(&[])
        .await
        .unwrap()
        .expect("one map update");
    assert_eq!(job.kind, KIND_FORUM_MAP);
    assert!(
        db.claim_forum_map_job(&[]).await.unwrap().is_none(),
        "only one"
    );
    // A batch of refused votes only writes nothing and schedules nothing.
    db.complete_job(job.id).await.unwrap();
    let events = db
        .cast_forum_votes(&[vote(pending, 2, VoteValue::Agree)])
        .await
        .unwrap();
    assert_eq!(events, [None]);
    assert!(db.claim_forum_map_job(&[]).await.unwrap().is_none());
}

async fn a_failed_map_update_does_not_hold_back_the_next(db: Db) {
    let (id, _) = open_conversation(&db, ModerationMode::Post).await;
    let s = db
        .add_statement(id, None, "하천변에 산책로를", StatementState::Accepted)
        .await
        .unwrap();
    db.cast_forum_vote(id, s, 0, VoteValue::Agree)
        .await
        .unwrap();
    let job = db
        .claim_forum_map_job(&[])
        .await
        .unwrap()
        .expect("a map update");
    assert_eq!(job.detail, id.to_string());
    assert!(db.claim_forum_map_job(&[]).await.unwrap().is_none());
    // A conversation the worker already updated in this poll waits for the next poll.
    db.cast_forum_vote(id, s, 5, VoteValue::Agree)
        .await
        .unwrap();
    assert!(db.claim_forum_map_job(&[id]).await.unwrap().is_none());
    let again = db.claim_forum_map_job(&[]).await.unwrap().expect("due");
    db.complete_job(again.id).await.unwrap();
    // The update fails and waits for its retry; a vote meanwhile schedules an update due now.
    db.retry_forum_map_job(&job, "database is locked")
        .await
        .unwrap();
    assert!(
        db.claim_forum_map_job(&[]).await.unwrap().is_none(),
        "the retry waits"
    );
    db.cast_forum_vote(id, s, 1, VoteValue::Disagree)
        .await
        .unwrap();
    let next = db
        .claim_forum_map_job(&[])
        .await
        .unwrap()
        .expect("the new vote's update is due at once");
    assert_ne!(next.id, job.id);
    // Also after the longer backoff of a generic failure.
    db.fail_job(&next, "database is locked").await.unwrap();
    db.cast_forum_vote(id, s, 2, VoteValue::Pass).await.unwrap();
    let third = db
        .claim_forum_map_job(&[])
        .await
        .unwrap()
        .expect("due at once");
    assert!(third.id != job.id && third.id != next.id);
}
