//! Storage of the innovation plan, on SQLite and on PostgreSQL: items, their referral path (never
//! deleted), transitions, plans and their frozen revisions.

use maeul_db::committees::{NewCommittee, NewMeeting, NewMembership};
use maeul_db::plan::{ItemAction, NewItem, NewProject, PlanAction};
use maeul_db::{Db, DbError};
use maeul_domain::committee::{
    Choice, CommitteeKind, MeetingEvent, MotionEvent, MotionState, Position, SeatPlan, Sector,
    Tally, Term, VoteRule,
};
use maeul_domain::plan::{
    BudgetSource, Direction, ItemState, PlanRefusal, PlanState, ProposerKind, ReferralAnswer,
    ReferralOutcome, SectionKind,
};
use maeul_domain::{Refusal, ScopeTree};

maeul_testkit::backend_tests!(
    an_item_referred_up_is_adopted_and_keeps_its_whole_path,
    a_returned_item_goes_back_and_only_its_holder_acts,
    a_plan_is_resolved_submitted_adjusted_and_its_revisions_are_frozen,
    projects_come_only_from_adopted_items_of_the_plans_scope,
    one_priority_ballot_per_person_is_enforced_by_the_database,
    a_projects_working_group_is_one_with_members_once_and_updates_by_members,
);

const TERM: Term = Term {
    start: 0,
    end: 4_000_000_000,
};

async fn tree(db: &Db) -> ScopeTree {
    db.seed_seoul_if_empty().await.unwrap();
    ScopeTree::new(db.load_scopes().await.unwrap()).unwrap()
}

/// Jongno-gu, Sajik-dong, another dong of Jongno-gu, and a dong of Jung-gu.
async fn scopes(db: &Db) -> (ScopeTree, i64, i64, i64, i64) {
    let t = tree(db).await;
    let jongno = t.by_code("11110").unwrap().id;
    let sajik = t.by_code("1111053000").unwrap().id;
    let other = t.children(jongno).find(|s| s.id != sajik).unwrap().id;
    let jung = t.by_code("11140").unwrap().id;
    let cousin = t.children(jung).next().unwrap().id;
    (t, jongno, sajik, other, cousin)
}

fn refusal(result: Result<impl std::fmt::Debug, DbError>) -> PlanRefusal {
    match result {
        Err(DbError::Refused(Refusal::Plan(r))) => r,
        other => panic!("expected a plan refusal, got {other:?}"),
    }
}

/// A motion of a new one-member committee of `scope`, carried (or failed) at a meeting in session.
pub(crate) async fn motion(db: &Db, scope: i64, carried: bool) -> i64 {
    let c = db
        .create_committee(&NewCommittee {
            scope_id: scope,
            parent_id: None,
            kind: CommitteeKind::DistrictGovernance,
            name: "협치회의",
            charter: "",
            vote_rule: VoteRule::MajorityOfVoting,
            secret_ballot: false,
            gender_cap: None,
            seats: SeatPlan {
                public: 0,
                civil: 1,
                expert: 0,
            },
            created_by: None,
        })
        .await
        .unwrap();
    let email = format!("chair{c}@x.kr");
    let u = maeul_testkit::create_user(db, &email, &email)
        .await
        .unwrap();
    let member = db
        .appoint_member(&NewMembership {
            committee_id: c,
            user_id: u,
            sector: Sector::Civil,
            position: Position::Chair,
            gender: "female",
            term: TERM,
        })
        .await
        .unwrap();
    let now = maeul_domain::time::now();
    let m = db
        .create_meeting(&NewMeeting {
            committee_id: c,
            title: "회의",
            starts_at: now,
            ends_at: now + 3_600,
            place: "구청",
            capacity: 0,
        })
        .await
        .unwrap();
    db.transition_meeting(m, &MeetingEvent::PublishAgenda)
        .await
        .unwrap();
    db.set_attendance(m, member, true, None).await.unwrap();
    let convene = MeetingEvent::Convene {
        present: 0,
        seats_filled: 0,
        at: 0,
        starts_at: 0,
    };
    db.transition_meeting(m, &convene).await.unwrap();
    db.transition_meeting(m, &MeetingEvent::StartSession)
        .await
        .unwrap();
    let motion = db
        .propose_motion(m, None, "의제 채택", "", Some(u))
        .await
        .unwrap();
    db.transition_motion(motion, &MotionEvent::OpenVote)
        .await
        .unwrap();
    let choice = if carried { Choice::Yes } else { Choice::No };
    db.cast_vote(motion, u, choice).await.unwrap();
    let close = MotionEvent::CloseVote {
        tally: Tally::default(),
        present: 0,
        seats_filled: 0,
        rule: VoteRule::MajorityOfVoting,
    };
    let state = db.transition_motion(motion, &close).await.unwrap();
    assert_eq!(state == MotionState::Carried, carried);
    motion
}

async fn item(db: &Db, scope: i64, title: &str) -> i64 {
    db.create_plan_item(&NewItem {
        scope_id: scope,
        title,
        body: "",
        proposer_kind: ProposerKind::ResidentCouncil,
        proposed_by: None,
        proposal_id: None,
    })
    .await
    .unwrap()
}

async fn an_item_referred_up_is_adopted_and_keeps_its_whole_path(db: Db) {
    let (t, jongno, sajik, _, _) = scopes(&db).await;
    let (sajik_ref, jongno_ref) = (t.scope_ref(sajik).unwrap(), t.scope_ref(jongno).unwrap());
    let id = item(&db, sajik, "사직동 골목 보행안전").await;
    let direction = db
        .refer_plan_item(
            id,
            &sajik_ref,
            &jongno_ref,
            "여러 동에 걸친 도로 문제",
            None,
        )
        .await
        .unwrap();
    assert_eq!(direction, Direction::Up);
    // While the referral waits, nobody acts and no second referral is made.
    assert_eq!(
        refusal(
            db.transition_plan_item(id, sajik, None, &ItemAction::Accept)
                .await
        ),
        PlanRefusal::ReferralPending
    );
    assert_eq!(
        refusal(
            db.refer_plan_item(id, &sajik_ref, &jongno_ref, "again", None)
                .await
        ),
        PlanRefusal::ReferralPending
    );
    // Only the receiver answers.
    assert_eq!(
        refusal(
            db.answer_plan_referral(id, sajik, &ReferralAnswer::Accept, None)
                .await
        ),
        PlanRefusal::NotReceiver
    );
    let (outcome, holder) = db
        .answer_plan_referral(id, jongno, &ReferralAnswer::Accept, None)
        .await
        .unwrap();
    assert_eq!((outcome, holder), (ReferralOutcome::Accepted, jongno));
    let row = db.plan_item(id).await.unwrap().unwrap();
    assert_eq!((row.scope_id, row.origin_scope_id), (jongno, sajik));
    // Now Sajik-dong no longer holds it.
    assert_eq!(
        refusal(
            db.transition_plan_item(id, sajik, None, &ItemAction::Accept)
                .await
        ),
        PlanRefusal::NotHeld
    );
    for action in [
        ItemAction::Accept,
        ItemAction::Deliberate,
        ItemAction::Prioritise,
    ] {
        db.transition_plan_item(id, jongno, None, &action)
            .await
            .unwrap();
    }
    // Adoption needs a carried motion of the holder's committee.
    let failed = motion(&db, jongno, false).await;
    let elsewhere = motion(&db, sajik, true).await;
    assert_eq!(
        refusal(
            db.transition_plan_item(id, jongno, None, &ItemAction::Adopt { motion_id: failed })
                .await
        ),
        PlanRefusal::MotionNotCarried
    );
    assert_eq!(
        refusal(
            db.transition_plan_item(
                id,
                jongno,
                None,
                &ItemAction::Adopt {
                    motion_id: elsewhere
                }
            )
            .await
        ),
        PlanRefusal::MotionOfAnotherScope
    );
    let carried = motion(&db, jongno, true).await;
    assert_eq!(
        db.transition_plan_item(id, jongno, None, &ItemAction::Adopt { motion_id: carried })
            .await
            .unwrap(),
        ItemState::Adopted
    );
    let row = db.plan_item(id).await.unwrap().unwrap();
    assert_eq!(row.adopted_motion_id, Some(carried));
    // The path survived every transition, and the database refuses to delete it.
    let path = db.plan_referrals(id).await.unwrap();
    assert_eq!(path.len(), 1);
    assert_eq!(
        (path[0].from_scope_id, path[0].to_scope_id, path[0].outcome),
        (sajik, jongno, ReferralOutcome::Accepted)
    );
    let transitions = db.plan_item_transitions(id).await.unwrap();
    let states: Vec<ItemState> = transitions.iter().map(|t| t.to_state).collect();
    assert_eq!(
        states,
        [
            ItemState::Proposed,
            ItemState::Accepted,
            ItemState::UnderDeliberation,
            ItemState::Prioritised,
            ItemState::Adopted
        ]
    );
    assert_eq!(transitions[4].motion_id, Some(carried));
    let deleted = match &db {
        Db::Sqlite(p) => sqlx::query("DELETE FROM plan_item_referrals")
            .execute(p)
            .await
            .map(|_| ()),
        Db::Postgres(p) => sqlx::query("DELETE FROM plan_item_referrals")
            .execute(p)
            .await
            .map(|_| ()),
    };
    assert!(deleted.is_err(), "the referral path must never be deleted");
    assert_eq!(db.plan_referrals(id).await.unwrap().len(), 1);
    // The item shows in both scopes' lists, and in the scope pages' referral sections.
    for scope in [sajik, jongno] {
        let ids: Vec<i64> = db
            .plan_items_touching(scope)
            .await
            .unwrap()
            .iter()
            .map(|i| i.id)
            .collect();
        assert_eq!(ids, [id]);
        assert_eq!(db.plan_referrals_touching(scope).await.unwrap().len(), 1);
    }
}

async fn a_returned_item_goes_back_and_only_its_holder_acts(db: Db) {
    let (t, jongno, sajik, other, cousin) = scopes(&db).await;
    let r = |id| t.scope_ref(id).unwrap();
    let id = item(&db, jongno, "동 단위 마을축제").await;
    // Not to a dong of another district, nor from a level that does not hold it.
    assert_eq!(
        refusal(
            db.refer_plan_item(id, &r(jongno), &r(cousin), "why", None)
                .await
        ),
        PlanRefusal::NotAdjacent
    );
    assert_eq!(
        refusal(
            db.refer_plan_item(id, &r(sajik), &r(jongno), "why", None)
                .await
        ),
        PlanRefusal::NotHeld
    );
    assert_eq!(
        refusal(
            db.refer_plan_item(id, &r(jongno), &r(sajik), " ", None)
                .await
        ),
        PlanRefusal::ReasonRequired
    );
    assert_eq!(
        db.refer_plan_item(id, &r(jongno), &r(sajik), "동에서 결정 가능", None)
            .await
            .unwrap(),
        Direction::Down
    );
    assert_eq!(
        refusal(
            db.answer_plan_referral(id, other, &ReferralAnswer::Accept, None)
                .await
        ),
        PlanRefusal::NotReceiver
    );
    let back = ReferralAnswer::Return {
        reason: "동 예산으로 불가".into(),
    };
    let (outcome, holder) = db
        .answer_plan_referral(id, sajik, &back, None)
        .await
        .unwrap();
    assert_eq!((outcome, holder), (ReferralOutcome::Returned, jongno));
    assert_eq!(db.plan_item(id).await.unwrap().unwrap().scope_id, jongno);
    assert_eq!(
        refusal(
            db.answer_plan_referral(id, sajik, &ReferralAnswer::Accept, None)
                .await
        ),
        PlanRefusal::NoPendingReferral
    );
    // It can go down again, to another dong, which accepts: the path keeps both.
    db.refer_plan_item(id, &r(jongno), &r(other), "다른 동이 적합", None)
        .await
        .unwrap();
    db.answer_plan_referral(id, other, &ReferralAnswer::Accept, None)
        .await
        .unwrap();
    let path = db.plan_referrals(id).await.unwrap();
    let outcomes: Vec<_> = path.iter().map(|p| (p.to_scope_id, p.outcome)).collect();
    assert_eq!(
        outcomes,
        [
            (sajik, ReferralOutcome::Returned),
            (other, ReferralOutcome::Accepted)
        ]
    );
    assert_eq!(path[0].answer_reason, "동 예산으로 불가");
    // Declining needs a reason; a declined item no longer moves.
    assert_eq!(
        refusal(
            db.transition_plan_item(id, other, None, &ItemAction::Decline { reason: "".into() })
                .await
        ),
        PlanRefusal::ReasonRequired
    );
    db.transition_plan_item(
        id,
        other,
        None,
        &ItemAction::Decline {
            reason: "중복".into(),
        },
    )
    .await
    .unwrap();
    assert!(matches!(
        refusal(
            db.refer_plan_item(id, &r(other), &r(jongno), "why", None)
                .await
        ),
        PlanRefusal::ItemClosed { .. }
    ));
}

async fn adopted(db: &Db, scope: i64, title: &str) -> i64 {
    let id = item(db, scope, title).await;
    for action in [
        ItemAction::Accept,
        ItemAction::Deliberate,
        ItemAction::Prioritise,
    ] {
        db.transition_plan_item(id, scope, None, &action)
            .await
            .unwrap();
    }
    let m = motion(db, scope, true).await;
    db.transition_plan_item(id, scope, None, &ItemAction::Adopt { motion_id: m })
        .await
        .unwrap();
    id
}

async fn a_plan_is_resolved_submitted_adjusted_and_its_revisions_are_frozen(db: Db) {
    let (_, jongno, _, _, _) = scopes(&db).await;
    let a = adopted(&db, jongno, "보행안전").await;
    let plan = db
        .create_plan(jongno, 2027, 2026, "2027 종로구 지역사회혁신계획", None)
        .await
        .unwrap();
    assert!(matches!(
        db.create_plan(jongno, 2027, 2026, "again", None).await,
        Err(DbError::Refused(Refusal::AlreadyExists))
    ));
    db.set_plan_section(plan, SectionKind::Base, "협치 조례 정비")
        .await
        .unwrap();
    db.add_plan_project(&NewProject {
        plan_id: plan,
        title: "골목 보행안전",
        objective: "통학로 안전",
        lead_department: "교통행정과",
        partners: "사직동 주민자치회",
        schedule: "2027-03 ~ 2027-11",
        item_ids: &[a],
        budget_lines: &[
            (BudgetSource::CityGrant, 50_000_000, ""),
            (BudgetSource::OwnFunds, 20_000_000, ""),
        ],
        indicators: &["사고 건수"],
    })
    .await
    .unwrap();
    // Not submitted before the committee resolves it.
    assert_eq!(
        refusal(db.transition_plan(plan, None, &PlanAction::Submit).await),
        PlanRefusal::NotResolved
    );
    let m = motion(&db, jongno, true).await;
    db.transition_plan(plan, None, &PlanAction::Resolve { motion_id: m })
        .await
        .unwrap();
    db.transition_plan(plan, None, &PlanAction::Submit)
        .await
        .unwrap();
    db.transition_plan(plan, None, &PlanAction::OpenConsultation)
        .await
        .unwrap();
    // Frozen once submitted: edits are refused outside drafting and revising.
    assert_eq!(
        refusal(
            db.set_plan_section(plan, SectionKind::Base, "changed")
                .await
        ),
        PlanRefusal::PlanNotEditable
    );
    db.transition_plan(
        plan,
        None,
        &PlanAction::RequestAdjustment {
            comment: "예산 재조정".into(),
        },
    )
    .await
    .unwrap();
    db.set_plan_section(plan, SectionKind::Budget, "시비 5천만 원")
        .await
        .unwrap();
    db.transition_plan(plan, None, &PlanAction::Resubmit)
        .await
        .unwrap();
    assert_eq!(
        db.transition_plan(
            plan,
            None,
            &PlanAction::Approve {
                granted: 60_000_000
            }
        )
        .await
        .unwrap(),
        PlanState::Approved
    );
    let row = db.plan(plan).await.unwrap().unwrap();
    assert_eq!(
        (row.granted_amount, row.resolved_motion_id),
        (Some(60_000_000), Some(m))
    );
    let revisions = db.plan_revisions(plan).await.unwrap();
    assert_eq!(revisions.len(), 2);
    assert!(
        revisions[0]
            .snapshot
            .contains("section base: 협치 조례 정비")
    );
    assert!(!revisions[0].snapshot.contains("시비 5천만 원"));
    assert!(
        revisions[1]
            .snapshot
            .contains("section budget: 시비 5천만 원")
    );
    assert!(
        revisions[1]
            .snapshot
            .contains("budget city_grant: 50000000")
    );
    let comments = db.plan_comments(plan).await.unwrap();
    assert_eq!(
        (comments[0].revision, comments[0].body.as_str()),
        (1, "예산 재조정")
    );
    assert_eq!(db.plan_transitions(plan).await.unwrap().len(), 7);
    // The database itself refuses to change or delete a frozen revision.
    for sql in [
        "UPDATE plan_revisions SET snapshot = 'forged'",
        "DELETE FROM plan_revisions",
    ] {
        let result = match &db {
            Db::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
            Db::Postgres(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
        };
        assert!(result.is_err(), "{sql} must be refused");
    }
    assert_eq!(
        db.plan_revisions(plan).await.unwrap()[0].snapshot,
        revisions[0].snapshot
    );
}

async fn projects_come_only_from_adopted_items_of_the_plans_scope(db: Db) {
    let (_, jongno, sajik, _, _) = scopes(&db).await;
    let open = item(&db, jongno, "미채택 의제").await;
    let dong_item = adopted(&db, sajik, "동 의제").await;
    let plan = db
        .create_plan(jongno, 2027, 2026, "plan", None)
        .await
        .unwrap();
    for ids in [[open], [dong_item]] {
        let result = db
            .add_plan_project(&NewProject {
                plan_id: plan,
                title: "x",
                objective: "",
                lead_department: "",
                partners: "",
                schedule: "",
                item_ids: &ids,
                budget_lines: &[],
                indicators: &[],
            })
            .await;
        assert_eq!(refusal(result), PlanRefusal::ItemNotAdopted);
    }
    assert!(db.plan_projects(plan).await.unwrap().is_empty());
    assert_eq!(
        refusal(db.create_plan(jongno, 1999, 1999, "old", None).await),
        PlanRefusal::BadYear
    );
}

async fn one_priority_ballot_per_person_is_enforced_by_the_database(db: Db) {
    let (_, jongno, sajik, _, _) = scopes(&db).await;
    let a = item(&db, jongno, "가로등").await;
    let b = item(&db, jongno, "나무 심기").await;
    let elsewhere = item(&db, sajik, "동 의제").await;
    for (id, scope) in [(a, jongno), (b, jongno), (elsewhere, sajik)] {
        for action in [ItemAction::Accept, ItemAction::Deliberate] {
            db.transition_plan_item(id, scope, None, &action)
                .await
                .unwrap();
        }
    }
    let mut voters = vec![];
    for email in ["v1@x.kr", "v2@x.kr", "v3@x.kr"] {
        voters.push(maeul_testkit::create_user(&db, email, email).await.unwrap());
    }
    db.cast_priority_ballot(jongno, 2027, voters[0], &[(a, 1), (b, 1)])
        .await
        .unwrap();
    db.cast_priority_ballot(jongno, 2027, voters[1], &[(b, 1)])
        .await
        .unwrap();
    // Once per person and round; the database's unique key refuses the second ballot.
    assert_eq!(
        refusal(
            db.cast_priority_ballot(jongno, 2027, voters[0], &[(a, 1)])
                .await
        ),
        PlanRefusal::AlreadyVoted
    );
    // Only items under deliberation held by the scope; never an empty ballot.
    assert_eq!(
        refusal(
            db.cast_priority_ballot(jongno, 2027, voters[2], &[(a, 1), (elsewhere, 1)])
                .await
        ),
        PlanRefusal::NotOnTheBallot
    );
    assert_eq!(
        refusal(db.cast_priority_ballot(jongno, 2027, voters[2], &[]).await),
        PlanRefusal::EmptyBallot
    );
    assert!(
        db.has_priority_ballot(jongno, 2027, voters[0])
            .await
            .unwrap()
    );
    assert!(
        !db.has_priority_ballot(jongno, 2027, voters[2])
            .await
            .unwrap()
    );
    let (ballots, mut counts) = db.priority_tally(jongno, 2027).await.unwrap();
    counts.sort();
    assert_eq!(ballots, 2);
    assert_eq!(counts, [(a, 1), (b, 2)]);
    // Another round is another ballot.
    db.cast_priority_ballot(jongno, 2028, voters[0], &[(a, 1)])
        .await
        .unwrap();
}

async fn a_projects_working_group_is_one_with_members_once_and_updates_by_members(db: Db) {
    use maeul_domain::plan::GroupRole;
    let (_, jongno, _, _, _) = scopes(&db).await;
    let a = adopted(&db, jongno, "보행안전").await;
    let plan = db
        .create_plan(jongno, 2027, 2026, "plan", None)
        .await
        .unwrap();
    let project = db
        .add_plan_project(&NewProject {
            plan_id: plan,
            title: "보도 잇기",
            objective: "",
            lead_department: "",
            partners: "",
            schedule: "",
            item_ids: &[a],
            budget_lines: &[],
            indicators: &[],
        })
        .await
        .unwrap();
    let group = db
        .create_working_group(project, "실무단", None)
        .await
        .unwrap();
    // One group per project, by the database's unique key.
    assert!(matches!(
        db.create_working_group(project, "둘째", None).await,
        Err(DbError::Refused(Refusal::AlreadyExists))
    ));
    let row = db.working_group(group).await.unwrap().unwrap();
    assert_eq!(
        (row.project_id, row.plan_id, row.scope_id),
        (project, plan, jongno)
    );
    let (resident, official, outsider) = (
        maeul_testkit::create_user(&db, "r@x.kr", "주민")
            .await
            .unwrap(),
        maeul_testkit::create_user(&db, "o@x.kr", "공무원")
            .await
            .unwrap(),
        maeul_testkit::create_user(&db, "x@x.kr", "바깥")
            .await
            .unwrap(),
    );
    db.add_group_member(group, resident, GroupRole::Resident, None)
        .await
        .unwrap();
    db.add_group_member(group, official, GroupRole::Official, None)
        .await
        .unwrap();
    assert!(matches!(
        db.add_group_member(group, resident, GroupRole::Official, None)
            .await,
        Err(DbError::Refused(Refusal::AlreadyExists))
    ));
    let members = db.group_members(group).await.unwrap();
    assert_eq!(members.len(), 2);
    assert!(db.is_group_member(group, resident).await.unwrap());
    assert!(!db.is_group_member(group, outsider).await.unwrap());
    db.record_group_meeting(group, 1_800_000_000, "구청", "회의록", None)
        .await
        .unwrap();
    assert_eq!(db.group_meetings(group).await.unwrap()[0].minutes, "회의록");
    db.post_group_update(group, resident, "첫 소식")
        .await
        .unwrap();
    // Someone not in the group writes nothing.
    assert_eq!(
        refusal(db.post_group_update(group, outsider, "끼어들기").await),
        PlanRefusal::NotAGroupMember
    );
    let updates = db.group_updates(group).await.unwrap();
    assert_eq!(updates.len(), 1);
    assert_eq!(
        (updates[0].author_id, updates[0].body.as_str()),
        (resident, "첫 소식")
    );
    assert_eq!(db.working_groups_of_plan(plan).await.unwrap().len(), 1);
}
