//! Storage of the cooperation platform, on SQLite and on PostgreSQL: organizations and their members,
//! verification, bookings that never overlap once approved (also under 200 concurrent writers), enrolment
//! with a waiting list and completion that committees read as training hours, and grant reviews.

use maeul_db::committees::{NewCall, NewCommittee};
use maeul_db::cooperation::{NewGrantCall, NewProgram, NewResource, OrgInput};
use maeul_db::{Db, DbError};
use maeul_domain::committee::{
    ApplicantFacts, CommitteeKind, Eligibility as CallEligibility, SeatPlan, Sector, Term, VoteRule,
};
use maeul_domain::cooperation::{
    BookingDecision, BookingState, ConsortiumRole, CooperationRefusal, Eligibility, EnrolmentState,
    Field, MemberRole, OpeningHours, OrgKind, ProgramKind, Ranked, ResourceKind, Slot,
    VerificationMethod,
};
use maeul_domain::{Refusal, ScopeTree};

maeul_testkit::backend_tests!(
    organizations_keep_members_roles_and_one_verification,
    concurrent_requests_and_approvals_leave_at_most_one_approved_booking_per_slot,
    enrolment_waits_when_full_and_completed_hours_count_for_committee_calls,
    reviewers_never_score_their_own_organization_and_results_are_published_once,
);

async fn jongno(db: &Db) -> i64 {
    db.seed_seoul_if_empty().await.unwrap();
    let tree = ScopeTree::new(db.load_scopes().await.unwrap()).unwrap();
    tree.by_code("11110").unwrap().id
}

async fn user(db: &Db, email: &str) -> i64 {
    maeul_testkit::create_user(db, email, email).await.unwrap()
}

fn refusal(result: Result<impl std::fmt::Debug, DbError>) -> CooperationRefusal {
    match result {
        Err(DbError::Refused(Refusal::Cooperation(r))) => r,
        other => panic!("expected a cooperation refusal, got {other:?}"),
    }
}

async fn organization(db: &Db, scope: i64, name: &str, by: i64) -> i64 {
    db.create_organization(
        &OrgInput {
            scope_id: scope,
            name,
            kind: OrgKind::CivicOrganization,
            purpose: "마을 공동체 활동",
            fields: &[Field::Welfare, Field::Culture],
            contact: "02-000-0000",
        },
        by,
    )
    .await
    .unwrap()
}

async fn organizations_keep_members_roles_and_one_verification(db: Db) {
    let scope = jongno(&db).await;
    let rep = user(&db, "rep@x.kr").await;
    let other = user(&db, "other@x.kr").await;
    let staff = user(&db, "staff@x.kr").await;
    let org = organization(&db, scope, "종로마을넷", rep).await;
    let row = db.organization(org).await.unwrap().unwrap();
    assert_eq!(row.fields().unwrap(), vec![Field::Welfare, Field::Culture]);
    assert_eq!(row.members, 1);
    assert!(!row.verified());
    assert_eq!(
        db.member_role(org, rep).await.unwrap(),
        Some(MemberRole::Representative)
    );
    db.join_organization(org, other, MemberRole::Member)
        .await
        .unwrap();
    assert_eq!(
        refusal(db.join_organization(org, other, MemberRole::Member).await),
        CooperationRefusal::AlreadyMember
    );
    assert_eq!(
        refusal(db.leave_organization(org, rep).await),
        CooperationRefusal::LastRepresentative
    );
    db.leave_organization(org, other).await.unwrap();
    assert_eq!(db.member_role(org, other).await.unwrap(), None);
    assert_eq!(
        refusal(
            db.verify_organization(org, VerificationMethod::RegistrationNumber, "12-3", staff)
                .await
        ),
        CooperationRefusal::BadRegistrationNumber
    );
    db.verify_organization(
        org,
        VerificationMethod::RegistrationNumber,
        "1018212345",
        staff,
    )
    .await
    .unwrap();
    let row = db.organization(org).await.unwrap().unwrap();
    assert!(row.verified());
    assert_eq!(row.verification_evidence, "101-82-12345");
    assert_eq!(
        refusal(
            db.verify_organization(org, VerificationMethod::InPersonCheck, "정관 확인함", staff)
                .await
        ),
        CooperationRefusal::AlreadyVerified
    );
    db.join_consortium(scope, org, ConsortiumRole::Lead)
        .await
        .unwrap();
    let second = organization(&db, scope, "청운효자 주민모임", other).await;
    assert!(matches!(
        db.join_consortium(scope, second, ConsortiumRole::Lead)
            .await,
        Err(DbError::Refused(Refusal::AlreadyExists))
    ));
    db.join_consortium(scope, second, ConsortiumRole::Member)
        .await
        .unwrap();
    let c = db.consortium(scope).await.unwrap();
    assert_eq!(
        c.iter()
            .map(|r| (r.organization_id, r.role))
            .collect::<Vec<_>>(),
        vec![
            (org, ConsortiumRole::Lead),
            (second, ConsortiumRole::Member)
        ]
    );
}

const H: i64 = 3600;
/// 2026-12-07 00:00 in Seoul.
const MONDAY: i64 = 1_796_569_200;

async fn concurrent_requests_and_approvals_leave_at_most_one_approved_booking_per_slot(db: Db) {
    let scope = jongno(&db).await;
    let owner = user(&db, "owner@x.kr").await;
    let org = organization(&db, scope, "종로시민협력플랫폼", owner).await;
    let room = db
        .create_resource(&NewResource {
            scope_id: scope,
            owner_org_id: org,
            kind: ResourceKind::Space,
            name: "공유회의실",
            description: "",
            capacity: 12,
            opening_hours: OpeningHours::parse("09:00-22:00").unwrap(),
            rules: "",
        })
        .await
        .unwrap();
    let people: Vec<i64> = {
        let mut v = vec![];
        for i in 0..20 {
            v.push(user(&db, &format!("p{i}@x.kr")).await);
        }
        v
    };
    // 200 concurrent writers: each requests a two-hour slot starting on one of five hours of the same
    // morning (so slots overlap their neighbours), and the owner approves it at once.
    let mut tasks = vec![];
    for i in 0..200usize {
        let db = db.clone();
        let who = people[i % people.len()];
        tasks.push(tokio::spawn(async move {
            let start = MONDAY + (10 + (i % 5) as i64) * H;
            let slot = Slot {
                starts_at: start,
                ends_at: start + 2 * H,
            };
            match db.request_booking(room, who, None, slot, "모임").await {
                Ok(id) => db
                    .decide_booking(id, owner, true, BookingDecision::Approve)
                    .await
                    .map(|_| ()),
                Err(e) => Err(e),
            }
        }));
    }
    let mut refused = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(()) => {}
            Err(DbError::Refused(Refusal::Cooperation(CooperationRefusal::Overlaps))) => {
                refused += 1
            }
            Err(DbError::Refused(Refusal::Stale)) => refused += 1,
            Err(e) => panic!("unexpected error: {e}"),
        }
    }
    let approved: Vec<Slot> = db
        .bookings_of(room)
        .await
        .unwrap()
        .into_iter()
        .filter(|b| b.state == BookingState::Approved)
        .map(|b| b.slot())
        .collect();
    assert!(!approved.is_empty());
    assert!(refused >= 200 - 5, "{refused} refused");
    for (i, a) in approved.iter().enumerate() {
        for b in &approved[i + 1..] {
            assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
        }
    }
    // An overlapping approval: the rules refuse it, and so does the database when they are bypassed.
    let pending = db
        .request_booking(
            room,
            people[0],
            None,
            Slot {
                starts_at: MONDAY + 18 * H,
                ends_at: MONDAY + 19 * H,
            },
            "저녁 모임",
        )
        .await
        .unwrap();
    let clash = db
        .request_booking(
            room,
            people[1],
            None,
            Slot {
                starts_at: MONDAY + 18 * H + 1800,
                ends_at: MONDAY + 20 * H,
            },
            "겹치는 모임",
        )
        .await
        .unwrap();
    db.decide_booking(pending, owner, true, BookingDecision::Approve)
        .await
        .unwrap();
    assert_eq!(
        refusal(
            db.decide_booking(clash, owner, true, BookingDecision::Approve)
                .await
        ),
        CooperationRefusal::Overlaps
    );
    let raw = "UPDATE coop_bookings SET state = 'approved' WHERE id = $1";
    let bypass = match &db {
        Db::Sqlite(p) => sqlx::query(raw).bind(clash).execute(p).await.map(|_| ()),
        Db::Postgres(p) => sqlx::query(raw).bind(clash).execute(p).await.map(|_| ()),
    };
    let error = bypass.expect_err("the trigger refuses an overlapping approval");
    assert!(error.to_string().contains("booking_overlaps"), "{error}");
    // Only the owner decides; the requester may cancel, which frees the slot.
    assert_eq!(
        refusal(
            db.decide_booking(clash, people[1], false, BookingDecision::Approve)
                .await
        ),
        CooperationRefusal::NotTheOwner
    );
    db.decide_booking(pending, people[0], false, BookingDecision::Cancel)
        .await
        .unwrap();
    assert_eq!(
        db.decide_booking(clash, owner, true, BookingDecision::Approve)
            .await
            .unwrap(),
        BookingState::Approved
    );
}

async fn enrolment_waits_when_full_and_completed_hours_count_for_committee_calls(db: Db) {
    let scope = jongno(&db).await;
    let program = db
        .create_program(&NewProgram {
            scope_id: scope,
            organization_id: None,
            kind: ProgramKind::BudgetSchool,
            title: "주민참여예산학교",
            description: "",
            hours: 12,
            capacity: 2,
            sessions_required: 2,
        })
        .await
        .unwrap();
    let mut sessions = vec![];
    for i in 0..3 {
        sessions.push(
            db.add_session(
                program,
                &format!("{}회차", i + 1),
                MONDAY + i * 86_400,
                MONDAY + i * 86_400 + 2 * H,
                "구청",
            )
            .await
            .unwrap(),
        );
    }
    let a = user(&db, "a@x.kr").await;
    let b = user(&db, "b@x.kr").await;
    let c = user(&db, "c@x.kr").await;
    assert_eq!(
        db.enrol(program, a).await.unwrap(),
        EnrolmentState::Enrolled
    );
    assert_eq!(
        db.enrol(program, b).await.unwrap(),
        EnrolmentState::Enrolled
    );
    assert_eq!(db.enrol(program, c).await.unwrap(), EnrolmentState::Waiting);
    assert_eq!(
        refusal(db.enrol(program, c).await),
        CooperationRefusal::AlreadyEnrolled
    );
    db.withdraw(program, b).await.unwrap();
    assert_eq!(
        db.enrolment(program, c).await.unwrap().unwrap().state,
        EnrolmentState::Enrolled
    );

    // A committee call requiring 6 training hours; `a` applies with none logged.
    let committee = db
        .create_committee(&NewCommittee {
            scope_id: scope,
            parent_id: None,
            kind: CommitteeKind::DistrictGovernance,
            name: "종로구 협치회의",
            charter: "",
            vote_rule: VoteRule::MajorityOfVoting,
            secret_ballot: false,
            gender_cap: None,
            seats: SeatPlan {
                public: 0,
                civil: 2,
                expert: 0,
            },
            created_by: None,
        })
        .await
        .unwrap();
    let call = db
        .create_call(&NewCall {
            committee_id: committee,
            title: "2027 민간위원 모집",
            description: "",
            sector: Sector::Civil,
            seats: 2,
            reserve_size: 0,
            min_age: 16,
            training_hours: 6,
            features_json: "[]",
            seed_rule: "Lotto 6/45",
            term: Term::new(1_000, 4_000_000_000).unwrap(),
        })
        .await
        .unwrap();
    db.open_call(call).await.unwrap();
    db.apply_to_call(call, a, 40, "{}").await.unwrap();
    let rule = CallEligibility {
        min_age: 16,
        training_hours: 6,
    };
    let facts = |hours: i64| ApplicantFacts {
        verified_in_scope: true,
        age: 40,
        training_hours: hours as u32,
    };
    let before = db.application_of(call, a).await.unwrap().unwrap();
    assert_eq!(before.training_hours, 0);
    assert!(!rule.check(&facts(before.training_hours)).is_empty());

    // One session is not enough; the second completes the program (2 of 3) and its 12 hours count.
    assert_eq!(
        db.record_attendance(sessions[0], a, None).await.unwrap(),
        EnrolmentState::Enrolled
    );
    assert_eq!(db.completed_training_hours(a).await.unwrap(), 0);
    assert_eq!(
        db.record_attendance(sessions[1], a, None).await.unwrap(),
        EnrolmentState::Completed
    );
    assert_eq!(db.completed_training_hours(a).await.unwrap(), 12);
    let after = db.application_of(call, a).await.unwrap().unwrap();
    assert_eq!(after.training_hours, 12);
    assert!(rule.check(&facts(after.training_hours)).is_empty());
    // Hours staff log for the application add to them: one sum, not two records to reconcile.
    db.log_training(after.id, 3, "추가 교육", None)
        .await
        .unwrap();
    assert_eq!(
        db.application_of(call, a)
            .await
            .unwrap()
            .unwrap()
            .training_hours,
        15
    );
    // Attendance after completion keeps the one completion.
    assert!(matches!(
        db.record_attendance(sessions[2], a, None).await,
        Ok(EnrolmentState::Completed)
    ));
    assert_eq!(db.program(program).await.unwrap().unwrap().completed, 1);
}

async fn reviewers_never_score_their_own_organization_and_results_are_published_once(db: Db) {
    let scope = jongno(&db).await;
    let applicant = user(&db, "applicant@x.kr").await;
    let reviewer = user(&db, "reviewer@x.kr").await;
    let other = user(&db, "other@x.kr").await;
    let org = organization(&db, scope, "사직동 마을모임", applicant).await;
    let org2 = organization(&db, scope, "무악동 환경모임", other).await;
    db.join_organization(org, reviewer, MemberRole::Member)
        .await
        .unwrap();
    let call = db
        .create_grant_call(&NewGrantCall {
            scope_id: scope,
            title: "2027 마을활동 소액지원",
            description: "",
            budget: 5_000_000,
            eligibility: Eligibility::Both,
            opens_at: 0,
            closes_at: 4_000_000_000,
            criteria: &[("공익성", 2), ("실현가능성", 1)],
        })
        .await
        .unwrap();
    let criteria = db.grant_criteria(call).await.unwrap();
    assert_eq!(criteria.len(), 2);
    assert_eq!(
        refusal(
            db.apply_for_grant(call, Some(org), applicant, "너무 큰 사업", "", 6_000_000)
                .await
        ),
        CooperationRefusal::AmountOverBudget
    );
    let mine = db
        .apply_for_grant(call, Some(org), applicant, "골목 정원", "계획", 3_000_000)
        .await
        .unwrap();
    let theirs = db
        .apply_for_grant(call, Some(org2), other, "하천 정화", "계획", 3_000_000)
        .await
        .unwrap();
    let scores = |a: i64, b: i64| vec![(criteria[0].id, a), (criteria[1].id, b)];
    assert_eq!(
        refusal(
            db.score_grant_application(mine, reviewer, &scores(10, 10))
                .await
        ),
        CooperationRefusal::ConflictOfInterest
    );
    db.score_grant_application(theirs, reviewer, &scores(8, 5))
        .await
        .unwrap();
    // A second scoring replaces the first (one score per reviewer and criterion).
    db.score_grant_application(theirs, reviewer, &scores(9, 6))
        .await
        .unwrap();
    let stored = db.grant_scores(call).await.unwrap();
    assert_eq!(stored.len(), 2);
    assert!(stored.iter().all(|s| s.application_id == theirs));
    assert_eq!(stored[0].score, 9);
    let ranking = vec![
        Ranked {
            id: theirs,
            rank: 1,
            mean: 8_000,
            awarded: true,
        },
        Ranked {
            id: mine,
            rank: 2,
            mean: 0,
            awarded: false,
        },
    ];
    db.publish_grant_results(call, &ranking).await.unwrap();
    assert!(matches!(
        db.publish_grant_results(call, &ranking).await,
        Err(DbError::Refused(Refusal::Stale))
    ));
    let apps = db.grant_applications(call).await.unwrap();
    assert_eq!(apps[0].id, theirs);
    assert!(apps[0].awarded_at.is_some());
    assert_eq!(apps[1].rank, Some(2));
    assert!(apps[1].awarded_at.is_none());
    assert_eq!(
        refusal(
            db.apply_for_grant(call, None, other, "늦은 신청", "", 1_000)
                .await
        ),
        CooperationRefusal::CallNotOpen
    );
}
