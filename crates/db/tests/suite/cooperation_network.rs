//! Storage of the cooperation platform's network (migration 0014), on SQLite and on PostgreSQL: events,
//! organizations recorded as proposers or partners (the object must exist, once per object), the activity
//! feed read from the rows the platform keeps, awarded grants tracked as projects once per award (also
//! under concurrent calls), and the budget school's graduates.

use maeul_db::cooperation::{NewEvent, NewGrantCall, NewProgram, OrgInput};
use maeul_db::proposals::{Kind, NewProposal};
use maeul_db::{Db, DbError};
use maeul_domain::cooperation::{
    ActivityKind, CooperationRefusal, Eligibility, EnrolmentState, EventKind, Field, LinkCapacity,
    OrgKind, ProgramKind, Ranked,
};
use maeul_domain::object::ObjectKind;
use maeul_domain::proposal::Category;
use maeul_domain::{Refusal, ScopeTree};

maeul_testkit::backend_tests!(
    events_and_partner_links_are_checked_and_feed_the_activity,
    awards_become_tracked_projects_once_even_when_tracked_concurrently,
    budget_school_graduates_are_the_completed_enrolments_of_budget_schools,
);

async fn scopes(db: &Db) -> ScopeTree {
    db.seed_seoul_if_empty().await.unwrap();
    ScopeTree::new(db.load_scopes().await.unwrap()).unwrap()
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
            kind: OrgKind::CommunityGroup,
            purpose: "",
            fields: &[Field::Safety],
            contact: "",
        },
        by,
    )
    .await
    .unwrap()
}

async fn events_and_partner_links_are_checked_and_feed_the_activity(db: Db) {
    let tree = scopes(&db).await;
    let jongno = tree.by_code("11110").unwrap().id;
    let jung = tree.by_code("11140").unwrap().id;
    let rep = user(&db, "rep@x.kr").await;
    let org = organization(&db, jongno, "사직 골목 지킴이", rep).await;
    let elsewhere = organization(&db, jung, "중구 이웃", rep).await;

    let event = |title: &'static str, starts_at: i64, ends_at: i64| NewEvent {
        scope_id: jongno,
        organization_id: Some(org),
        kind: EventKind::Fair,
        title,
        description: "",
        place: "종묘광장",
        starts_at,
        ends_at,
        created_by: Some(rep),
    };
    assert_eq!(
        refusal(db.create_event(&event("거꾸로", 5_000, 4_000)).await),
        CooperationRefusal::EndsBeforeStart
    );
    assert_eq!(
        refusal(db.create_event(&event("너무 긴", 0, 8 * 86_400)).await),
        CooperationRefusal::EventTooLong
    );
    let id = db
        .create_event(&event("마을 박람회", 2_000_000_000, 2_000_010_000))
        .await
        .unwrap();
    let row = db.event(id).await.unwrap().unwrap();
    assert_eq!(row.kind, EventKind::Fair);
    assert_eq!(row.organization_name.as_deref(), Some("사직 골목 지킴이"));
    assert_eq!(db.events().await.unwrap().len(), 1);

    // A proposal written on the organization's behalf; a draft is not shown among its links.
    let proposal = |submit: bool| NewProposal {
        scope_id: jongno,
        author_id: rep,
        title: "통학로 안전 펜스",
        body: "통학로에 보행 안전 펜스를 설치해 주세요. 주민모임이 조사했습니다.",
        category: Category::Safety,
        location: "",
        submit,
        kind: Kind::Proposal,
    };
    let submitted = db.create_proposal(&proposal(true)).await.unwrap();
    let draft = db.create_proposal(&proposal(false)).await.unwrap();
    db.link_organization(
        org,
        ObjectKind::Proposal,
        submitted,
        LinkCapacity::Proposer,
        rep,
    )
    .await
    .unwrap();
    db.link_organization(
        org,
        ObjectKind::Proposal,
        draft,
        LinkCapacity::Proposer,
        rep,
    )
    .await
    .unwrap();
    assert_eq!(
        refusal(
            db.link_organization(
                org,
                ObjectKind::Proposal,
                submitted,
                LinkCapacity::Partner,
                rep
            )
            .await
        ),
        CooperationRefusal::AlreadyLinked
    );
    assert_eq!(
        refusal(
            db.link_organization(org, ObjectKind::AgendaItem, 1, LinkCapacity::Proposer, rep)
                .await
        ),
        CooperationRefusal::ProposerOnlyOfProposals
    );
    assert_eq!(
        refusal(
            db.link_organization(org, ObjectKind::Comment, 1, LinkCapacity::Partner, rep)
                .await
        ),
        CooperationRefusal::NotLinkable
    );
    for kind in [
        ObjectKind::AgendaItem,
        ObjectKind::BudgetProject,
        ObjectKind::CommitteeMeeting,
        ObjectKind::Proposal,
    ] {
        assert!(matches!(
            db.link_organization(org, kind, 987_654, LinkCapacity::Partner, rep)
                .await,
            Err(DbError::NotFound)
        ));
    }
    let links = db.links_of_organization(org).await.unwrap();
    assert_eq!(links.len(), 2);
    let shown: Vec<_> = links.iter().filter(|l| l.title.is_some()).collect();
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].object_id, submitted);
    assert_eq!(shown[0].capacity, LinkCapacity::Proposer);
    assert_eq!(shown[0].kind().unwrap(), ObjectKind::Proposal);
    let on = db
        .links_to_object(ObjectKind::Proposal, submitted)
        .await
        .unwrap();
    assert_eq!(on.len(), 1);
    assert_eq!(on[0].organization_id, org);

    // The feed: the founders joining, the event, the links; each in its scope.
    let feed = db.network_activity().await.unwrap();
    let of = |kind: ActivityKind, scope: i64| {
        feed.iter()
            .filter(|a| a.kind == kind && a.scope_id == scope)
            .count()
    };
    assert_eq!(of(ActivityKind::Joined, jongno), 1);
    assert_eq!(of(ActivityKind::Joined, jung), 1);
    assert_eq!(of(ActivityKind::Event, jongno), 1);
    assert_eq!(of(ActivityKind::Linked, jongno), 2);
    assert_eq!(of(ActivityKind::GrantAwarded, jongno), 0);
    assert!(feed.windows(2).all(|w| w[0].at >= w[1].at));
    let linked = feed
        .iter()
        .find(|a| a.kind == ActivityKind::Linked)
        .unwrap();
    assert_eq!(linked.subject, "proposal");
    assert_eq!(linked.detail, "proposer");
    assert!(
        feed.iter()
            .filter(|a| a.scope_id == jung)
            .all(|a| a.organization_id == Some(elsewhere))
    );
}

async fn awards_become_tracked_projects_once_even_when_tracked_concurrently(db: Db) {
    let tree = scopes(&db).await;
    let jongno = tree.by_code("11110").unwrap().id;
    let applicant = user(&db, "applicant@x.kr").await;
    let org = organization(&db, jongno, "골목 정원 모임", applicant).await;
    let call = db
        .create_grant_call(&NewGrantCall {
            scope_id: jongno,
            title: "마을활동 소액지원",
            description: "",
            budget: 5_000_000,
            eligibility: Eligibility::Both,
            opens_at: 0,
            closes_at: 4_000_000_000,
            criteria: &[("공익성", 1)],
        })
        .await
        .unwrap();
    let won = db
        .apply_for_grant(call, Some(org), applicant, "골목 정원", "", 3_000_000)
        .await
        .unwrap();
    let lost = db
        .apply_for_grant(call, None, applicant, "큰 축제", "", 4_000_000)
        .await
        .unwrap();
    // Nothing is tracked before the results are published.
    assert!(db.track_grant_awards(call).await.unwrap().is_empty());
    db.publish_grant_results(
        call,
        &[
            Ranked {
                id: won,
                rank: 1,
                mean: 9_000,
                awarded: true,
            },
            Ranked {
                id: lost,
                rank: 2,
                mean: 5_000,
                awarded: false,
            },
        ],
    )
    .await
    .unwrap();
    let tracking: Vec<_> = (0..8)
        .map(|_| {
            let db = db.clone();
            tokio::spawn(async move { db.track_grant_awards(call).await })
        })
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    for t in tracking {
        let ids = t.await.unwrap().unwrap();
        assert_eq!(ids.len(), 1);
        seen.insert(ids[0]);
    }
    assert_eq!(seen.len(), 1, "one tracked project per award: {seen:?}");
    let project = *seen.first().unwrap();
    assert_eq!(db.grant_project(won).await.unwrap(), Some(project));
    assert_eq!(db.grant_project(lost).await.unwrap(), None);
    let row = db.tracked_project(project).await.unwrap().unwrap();
    assert_eq!(row.scope_id, jongno);
    assert_eq!(row.budget, 3_000_000);
    assert_eq!(row.title, "골목 정원");
    let all = db.grant_projects().await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].call_id, call);
    assert_eq!(all[0].status.as_str(), "planned");
    assert_eq!(db.track_grant_awards(call).await.unwrap(), vec![project]);
}

async fn budget_school_graduates_are_the_completed_enrolments_of_budget_schools(db: Db) {
    let tree = scopes(&db).await;
    let jongno = tree.by_code("11110").unwrap().id;
    let jung = tree.by_code("11140").unwrap().id;
    let program = |scope_id: i64, kind: ProgramKind| NewProgram {
        scope_id,
        organization_id: None,
        kind,
        title: "학교",
        description: "",
        hours: 10,
        capacity: 0,
        sessions_required: 1,
    };
    let school = db
        .create_program(&program(jongno, ProgramKind::BudgetSchool))
        .await
        .unwrap();
    let other_school = db
        .create_program(&program(jongno, ProgramKind::BudgetSchool))
        .await
        .unwrap();
    let governance = db
        .create_program(&program(jongno, ProgramKind::GovernanceSchool))
        .await
        .unwrap();
    let jung_school = db
        .create_program(&program(jung, ProgramKind::BudgetSchool))
        .await
        .unwrap();
    let mut sessions = std::collections::HashMap::new();
    for p in [school, other_school, governance, jung_school] {
        sessions.insert(
            p,
            db.add_session(p, "1회차", 1_000, 2_000, "").await.unwrap(),
        );
    }
    let graduate = user(&db, "graduate@x.kr").await;
    let twice = user(&db, "twice@x.kr").await;
    let attending = user(&db, "attending@x.kr").await;
    let governance_only = user(&db, "gov@x.kr").await;
    let jung_only = user(&db, "jung@x.kr").await;
    let complete = |p: i64, u: i64| {
        let db = db.clone();
        let session = sessions[&p];
        async move {
            db.enrol(p, u).await.unwrap();
            assert_eq!(
                db.record_attendance(session, u, None).await.unwrap(),
                EnrolmentState::Completed
            );
        }
    };
    complete(school, graduate).await;
    complete(school, twice).await;
    complete(other_school, twice).await;
    db.enrol(school, attending).await.unwrap();
    complete(governance, governance_only).await;
    complete(jung_school, jung_only).await;

    let graduates = db.budget_school_graduates(&[jongno]).await.unwrap();
    let users: Vec<i64> = graduates.iter().map(|g| g.user_id).collect();
    let mut expected = vec![graduate, twice];
    expected.sort();
    assert_eq!(users, expected);
    assert!(graduates.iter().all(|g| g.scope_id == jongno));
    let of_twice = graduates.iter().find(|g| g.user_id == twice).unwrap();
    assert_eq!(of_twice.program_id, school);
    let both = db.budget_school_graduates(&[jongno, jung]).await.unwrap();
    assert_eq!(both.len(), 3);
    assert!(both.iter().any(|g| g.user_id == jung_only));
    assert!(db.budget_school_graduates(&[]).await.unwrap().is_empty());
}
