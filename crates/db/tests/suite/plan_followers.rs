//! The innovation plan, second part, on SQLite and on PostgreSQL: an agenda item's followers (its proposer
//! and whoever acts on it follow it on their own) hear of its every step through the notifications' one
//! fan-out; the priority vote by points (one ballot per person, points summed, the method fixed once a
//! ballot is cast).

use maeul_db::notifications::FollowTarget;
use maeul_db::plan::{ItemAction, NewItem};
use maeul_db::{Db, DbError};
use maeul_domain::notify::{EventKind, SubjectKind};
use maeul_domain::plan::{
    ItemChange, PlanRefusal, PriorityMethod, PriorityVote, ProposerKind, ReferralAnswer,
};
use maeul_domain::{Refusal, ScopeTree};

maeul_testkit::backend_tests!(
    followers_hear_of_every_step_of_an_item_and_actors_follow_it,
    a_points_vote_sums_points_and_its_method_is_fixed_once_a_ballot_is_cast,
);

fn refusal(result: Result<impl std::fmt::Debug, DbError>) -> PlanRefusal {
    match result {
        Err(DbError::Refused(Refusal::Plan(r))) => r,
        other => panic!("expected a plan refusal, got {other:?}"),
    }
}

/// An item brought by staff (nobody's account), held by `scope`.
async fn staff_item(db: &Db, scope: i64, title: &str) -> i64 {
    db.create_plan_item(&NewItem {
        scope_id: scope,
        title,
        body: "",
        proposer_kind: ProposerKind::Staff,
        proposed_by: None,
        proposal_id: None,
    })
    .await
    .unwrap()
}

async fn person(db: &Db, email: &str) -> i64 {
    maeul_testkit::create_user(db, email, email).await.unwrap()
}

/// Runs every queued job's fan-out; returns how many notifications were written.
async fn fan_out(db: &Db) -> usize {
    let mut told = 0;
    while let Some(job) = db.claim_job().await.unwrap() {
        if EventKind::parse(&job.kind).is_some() {
            told += db.fan_out_event(&job, &[]).await.unwrap();
        } else {
            db.complete_job(job.id).await.unwrap();
        }
    }
    told
}

/// The changes `user` heard of about `item`, oldest first.
async fn heard(db: &Db, user: i64, item: i64) -> Vec<ItemChange> {
    let mut all = db.notifications(user, None, 100).await.unwrap();
    all.reverse();
    all.into_iter()
        .filter(|n| n.subject() == Some((SubjectKind::PlanItem, item)))
        .map(|n| {
            assert_eq!(n.kind, EventKind::ItemChanged);
            assert_eq!(n.title, "골목 정원");
            ItemChange::parse(&n.detail).expect("a change's name")
        })
        .collect()
}

async fn followers_hear_of_every_step_of_an_item_and_actors_follow_it(db: Db) {
    db.seed_seoul_if_empty().await.unwrap();
    let t = ScopeTree::new(db.load_scopes().await.unwrap()).unwrap();
    let jongno = t.by_code("11110").unwrap().id;
    let sajik = t.by_code("1111053000").unwrap().id;
    let (proposer, fan, stranger) = (
        person(&db, "p@x.kr").await,
        person(&db, "fan@x.kr").await,
        person(&db, "s@x.kr").await,
    );
    let (dong_staff, gu_staff) = (person(&db, "d@x.kr").await, person(&db, "g@x.kr").await);
    let id = db
        .create_plan_item(&NewItem {
            scope_id: sajik,
            title: "골목 정원",
            body: "",
            proposer_kind: ProposerKind::Resident,
            proposed_by: Some(proposer),
            proposal_id: None,
        })
        .await
        .unwrap();
    db.follow(fan, FollowTarget::PlanItem(id)).await.unwrap();
    assert_eq!(
        db.follower_count(FollowTarget::PlanItem(id)).await.unwrap(),
        2,
        "the proposer follows their item"
    );
    // The worker fans each event out soon after it (here: after each step).
    db.transition_plan_item(id, sajik, Some(dong_staff), &ItemAction::Accept)
        .await
        .unwrap();
    fan_out(&db).await;
    let (sajik_ref, jongno_ref) = (t.scope_ref(sajik).unwrap(), t.scope_ref(jongno).unwrap());
    db.refer_plan_item(id, &sajik_ref, &jongno_ref, "구의 권한", Some(dong_staff))
        .await
        .unwrap();
    fan_out(&db).await;
    db.answer_plan_referral(
        id,
        jongno,
        &ReferralAnswer::Return {
            reason: "동에서 결정할 수 있습니다".into(),
        },
        Some(gu_staff),
    )
    .await
    .unwrap();
    fan_out(&db).await;
    db.transition_plan_item(id, sajik, Some(dong_staff), &ItemAction::Deliberate)
        .await
        .unwrap();
    db.transition_plan_item(
        id,
        sajik,
        Some(dong_staff),
        &ItemAction::Reject {
            reason: "예산 부족".into(),
        },
    )
    .await
    .unwrap();
    // A refused step records nothing.
    assert!(
        db.transition_plan_item(id, sajik, Some(dong_staff), &ItemAction::Accept)
            .await
            .is_err()
    );
    fan_out(&db).await;
    use ItemChange as C;
    let every = [
        C::Accepted,
        C::ReferredUp,
        C::ReferralReturned,
        C::UnderDeliberation,
        C::Rejected,
    ];
    assert_eq!(heard(&db, fan, id).await, every);
    assert_eq!(heard(&db, proposer, id).await, every);
    // The actors follow it now, and hear of what others do, never of their own steps.
    assert_eq!(heard(&db, dong_staff, id).await, [C::ReferralReturned]);
    assert_eq!(
        heard(&db, gu_staff, id).await,
        [C::UnderDeliberation, C::Rejected]
    );
    assert!(heard(&db, stranger, id).await.is_empty());
    // The inbox reads them: the notification leads to the item.
    let n = &db.notifications(fan, None, 1).await.unwrap()[0];
    assert_eq!(n.subject(), Some((SubjectKind::PlanItem, id)));
    assert_eq!(n.actor_name.as_deref(), Some("d@x.kr"));
    // Someone who stopped following hears nothing more.
    let other = staff_item(&db, sajik, "골목 정원").await;
    db.follow(fan, FollowTarget::PlanItem(other)).await.unwrap();
    db.unfollow(fan, FollowTarget::PlanItem(other))
        .await
        .unwrap();
    db.transition_plan_item(other, sajik, Some(gu_staff), &ItemAction::Accept)
        .await
        .unwrap();
    fan_out(&db).await;
    assert!(heard(&db, fan, other).await.is_empty());
    assert!(heard(&db, gu_staff, other).await.is_empty());
}

async fn a_points_vote_sums_points_and_its_method_is_fixed_once_a_ballot_is_cast(db: Db) {
    db.seed_seoul_if_empty().await.unwrap();
    let t = ScopeTree::new(db.load_scopes().await.unwrap()).unwrap();
    let jongno = t.by_code("11110").unwrap().id;
    let mut items = vec![];
    for title in ["가로등", "나무 심기", "쉼터"] {
        let id = staff_item(&db, jongno, title).await;
        for action in [ItemAction::Accept, ItemAction::Deliberate] {
            db.transition_plan_item(id, jongno, None, &action)
                .await
                .unwrap();
        }
        items.push(id);
    }
    let (a, b, c) = (items[0], items[1], items[2]);
    assert_eq!(
        db.priority_vote(jongno, 2027).await.unwrap(),
        PriorityVote::default()
    );
    let points = PriorityVote {
        method: PriorityMethod::Points,
        points: 10,
    };
    assert_eq!(
        refusal(
            db.set_priority_vote(
                jongno,
                2027,
                &PriorityVote {
                    method: PriorityMethod::Points,
                    points: 1
                },
                None
            )
            .await
        ),
        PlanRefusal::BadPointsBudget { min: 2, max: 100 }
    );
    db.set_priority_vote(jongno, 2027, &points, None)
        .await
        .unwrap();
    assert_eq!(db.priority_vote(jongno, 2027).await.unwrap(), points);
    let voters = [
        person(&db, "v1@x.kr").await,
        person(&db, "v2@x.kr").await,
        person(&db, "v3@x.kr").await,
    ];
    db.cast_priority_ballot(jongno, 2027, voters[0], &[(a, 7), (b, 3)])
        .await
        .unwrap();
    db.cast_priority_ballot(jongno, 2027, voters[1], &[(b, 5), (c, 4)])
        .await
        .unwrap();
    // Over the budget, and a second ballot, are refused and change nothing.
    assert_eq!(
        refusal(
            db.cast_priority_ballot(jongno, 2027, voters[2], &[(a, 6), (c, 5)])
                .await
        ),
        PlanRefusal::TooManyPoints { points: 10 }
    );
    assert_eq!(
        refusal(
            db.cast_priority_ballot(jongno, 2027, voters[0], &[(c, 1)])
                .await
        ),
        PlanRefusal::AlreadyVoted
    );
    assert!(
        !db.has_priority_ballot(jongno, 2027, voters[2])
            .await
            .unwrap()
    );
    let (ballots, mut sums) = db.priority_tally(jongno, 2027).await.unwrap();
    sums.sort();
    assert_eq!(ballots, 2);
    assert_eq!(sums, [(a, 7), (b, 8), (c, 4)]);
    // The method cannot change under the ballots cast.
    assert_eq!(
        refusal(
            db.set_priority_vote(jongno, 2027, &PriorityVote::default(), None)
                .await
        ),
        PlanRefusal::VoteUnderWay
    );
    assert_eq!(db.priority_vote(jongno, 2027).await.unwrap(), points);
    // Another year votes by approval unless set: more than one point per item is refused there.
    assert_eq!(
        refusal(
            db.cast_priority_ballot(jongno, 2028, voters[0], &[(a, 2)])
                .await
        ),
        PlanRefusal::NotOnTheBallot
    );
    db.cast_priority_ballot(jongno, 2028, voters[0], &[(a, 1), (c, 1)])
        .await
        .unwrap();
}
