//! Storage of the residents' general assembly, on SQLite and on PostgreSQL: one ballot per person and
//! assembly whatever the channel (a fact of the database), results = pre-votes + on-site votes, and the
//! autonomy plan adopted with the assembly in one transaction.

use maeul_db::plan::{ItemAction, NewAssembly, NewItem};
use maeul_db::{Db, DbError};
use maeul_domain::plan::{
    AssemblyChoice, AssemblyEvent, AssemblyState, Mark, PlanRefusal, PlanState, ProposerKind,
    VoteChannel,
};
use maeul_domain::residency::{ResidencyBasis, ResidencyDecision};
use maeul_domain::{Refusal, ScopeTree};

maeul_testkit::backend_tests!(
    a_resident_votes_once_online_paper_or_on_site,
    results_add_on_site_votes_to_pre_votes_and_the_plan_is_adopted,
    the_agenda_is_fixed_and_takes_only_items_the_neighbourhood_holds,
);

fn refusal(result: Result<impl std::fmt::Debug, DbError>) -> PlanRefusal {
    match result {
        Err(DbError::Refused(Refusal::Plan(r))) => r,
        other => panic!("expected a plan refusal, got {other:?}"),
    }
}

/// Sajik-dong and its district Jongno-gu.
async fn scopes(db: &Db) -> (i64, i64) {
    db.seed_seoul_if_empty().await.unwrap();
    let t = ScopeTree::new(db.load_scopes().await.unwrap()).unwrap();
    (
        t.by_code("1111053000").unwrap().id,
        t.by_code("11110").unwrap().id,
    )
}

/// A verified resident of `scope`.
async fn resident(db: &Db, scope: i64, email: &str) -> i64 {
    let official = match db.user_by_email("official@x.kr").await.unwrap() {
        Some(u) => u.id,
        None => maeul_testkit::create_user(db, "official@x.kr", "official")
            .await
            .unwrap(),
    };
    let u = maeul_testkit::create_user(db, email, email).await.unwrap();
    db.declare_residency(u, scope, ResidencyBasis::Resident, None)
        .await
        .unwrap();
    db.decide_residency(u, ResidencyDecision::Verify, official, None)
        .await
        .unwrap();
    u
}

async fn accepted_item(db: &Db, scope: i64, title: &str) -> i64 {
    let id = db
        .create_plan_item(&NewItem {
            scope_id: scope,
            title,
            body: "",
            proposer_kind: ProposerKind::ResidentCouncil,
            proposed_by: None,
            proposal_id: None,
        })
        .await
        .unwrap();
    db.transition_plan_item(id, scope, None, &ItemAction::Accept)
        .await
        .unwrap();
    id
}

/// An assembly of Sajik-dong with two items on its agenda, moved to `until`.
async fn assembly(db: &Db, plan: Option<i64>, until: AssemblyState) -> (i64, i64, i64) {
    let (sajik, _) = scopes(db).await;
    let a = db
        .create_assembly(&NewAssembly {
            scope_id: sajik,
            year: 2027,
            plan_id: plan,
            title: "2027 사직동 주민총회",
            place: "사직동 주민센터",
            held_at: 1_800_000_000,
            created_by: None,
        })
        .await
        .unwrap();
    let kitchen = accepted_item(db, sajik, "공유부엌").await;
    let garden = accepted_item(db, sajik, "골목 화단").await;
    db.add_assembly_item(a, kitchen).await.unwrap();
    db.add_assembly_item(a, garden).await.unwrap();
    for event in AssemblyEvent::ALL {
        let state = db.assembly(a).await.unwrap().unwrap().state;
        if state == until {
            break;
        }
        db.transition_assembly(a, None, event).await.unwrap();
    }
    assert_eq!(db.assembly(a).await.unwrap().unwrap().state, until);
    (a, kitchen, garden)
}

fn mark(item: i64, choice: AssemblyChoice, preference: Option<u32>) -> Mark {
    Mark {
        item,
        choice,
        preference,
    }
}

async fn a_resident_votes_once_online_paper_or_on_site(db: Db) {
    let (a, kitchen, garden) = assembly(&db, None, AssemblyState::PreVoting).await;
    let (sajik, jongno) = scopes(&db).await;
    let kim = resident(&db, sajik, "kim@x.kr").await;
    let ballot = [
        mark(kitchen, AssemblyChoice::Yes, Some(1)),
        mark(garden, AssemblyChoice::No, Some(2)),
    ];
    db.cast_assembly_ballot(a, kim, VoteChannel::Online, &ballot, None)
        .await
        .unwrap();
    // Twice online, then on paper entered by staff: both refused by the unique key.
    for channel in [VoteChannel::Online, VoteChannel::Paper] {
        assert_eq!(
            refusal(
                db.cast_assembly_ballot(a, kim, channel, &ballot, None)
                    .await
            ),
            PlanRefusal::AlreadyVoted
        );
    }
    assert_eq!(
        db.assembly_ballot_of(a, kim).await.unwrap(),
        Some(VoteChannel::Online)
    );
    // Paper first, then online: refused too.
    let lee = resident(&db, sajik, "lee@x.kr").await;
    db.cast_assembly_ballot(a, lee, VoteChannel::Paper, &ballot[..1], None)
        .await
        .unwrap();
    assert_eq!(
        refusal(
            db.cast_assembly_ballot(a, lee, VoteChannel::Online, &ballot, None)
                .await
        ),
        PlanRefusal::AlreadyVoted
    );
    // A resident of the district's other neighbourhoods, or of none, does not vote here.
    let outsider = resident(&db, jongno, "park@x.kr").await;
    assert_eq!(
        refusal(
            db.cast_assembly_ballot(a, outsider, VoteChannel::Online, &ballot, None)
                .await
        ),
        PlanRefusal::NotAResident
    );
    // At the session, a pre-voter present still cannot vote again on site.
    db.transition_assembly(a, None, AssemblyEvent::OpenSession)
        .await
        .unwrap();
    db.record_assembly_attendance(a, kim, None).await.unwrap();
    db.record_assembly_attendance(a, kim, None).await.unwrap();
    assert_eq!(db.assembly_attendance(a).await.unwrap().len(), 1);
    assert_eq!(
        refusal(
            db.cast_assembly_ballot(a, kim, VoteChannel::OnSite, &ballot, None)
                .await
        ),
        PlanRefusal::AlreadyVoted
    );
    // The whole result counts each of them once.
    let results = db.assembly_results(a).await.unwrap();
    assert_eq!((results.online, results.paper, results.on_site), (1, 1, 0));
    assert_eq!(results.items[0].yes(), 2);
    assert_eq!(results.items[1].no(), 1);
}

async fn results_add_on_site_votes_to_pre_votes_and_the_plan_is_adopted(db: Db) {
    let (sajik, _) = scopes(&db).await;
    let plan = db
        .create_plan(sajik, 2027, 2026, "2027 사직동 자치계획", None)
        .await
        .unwrap();
    let (a, kitchen, garden) = assembly(&db, Some(plan), AssemblyState::PreVoting).await;
    let voters = [
        resident(&db, sajik, "v1@x.kr").await,
        resident(&db, sajik, "v2@x.kr").await,
        resident(&db, sajik, "v3@x.kr").await,
        resident(&db, sajik, "v4@x.kr").await,
    ];
    use AssemblyChoice::{No, Yes};
    db.cast_assembly_ballot(
        a,
        voters[0],
        VoteChannel::Online,
        &[mark(kitchen, Yes, Some(1)), mark(garden, No, Some(2))],
        None,
    )
    .await
    .unwrap();
    db.cast_assembly_ballot(
        a,
        voters[1],
        VoteChannel::Paper,
        &[mark(kitchen, Yes, Some(2)), mark(garden, Yes, Some(1))],
        None,
    )
    .await
    .unwrap();
    // On-site votes wait for the session and for the voter's attendance.
    let on_site = [mark(kitchen, No, None), mark(garden, No, Some(1))];
    assert_eq!(
        refusal(
            db.cast_assembly_ballot(a, voters[2], VoteChannel::OnSite, &on_site, None)
                .await
        ),
        PlanRefusal::VotingClosed
    );
    assert_eq!(
        refusal(db.record_assembly_attendance(a, voters[2], None).await),
        PlanRefusal::NotInSession
    );
    db.transition_assembly(a, None, AssemblyEvent::OpenSession)
        .await
        .unwrap();
    assert_eq!(
        refusal(
            db.cast_assembly_ballot(a, voters[2], VoteChannel::OnSite, &on_site, None)
                .await
        ),
        PlanRefusal::NotPresent
    );
    // Pre-voting is over once the session opens.
    assert_eq!(
        refusal(
            db.cast_assembly_ballot(a, voters[3], VoteChannel::Online, &on_site, None)
                .await
        ),
        PlanRefusal::VotingClosed
    );
    for v in &voters[2..] {
        db.record_assembly_attendance(a, *v, None).await.unwrap();
    }
    db.cast_assembly_ballot(a, voters[2], VoteChannel::OnSite, &on_site, None)
        .await
        .unwrap();
    db.cast_assembly_ballot(
        a,
        voters[3],
        VoteChannel::OnSite,
        &[mark(kitchen, Yes, None)],
        None,
    )
    .await
    .unwrap();
    let r = db.assembly_results(a).await.unwrap();
    assert_eq!((r.online, r.paper, r.on_site), (1, 1, 2));
    let k = r.items.iter().find(|i| i.item == kitchen).unwrap();
    let g = r.items.iter().find(|i| i.item == garden).unwrap();
    assert_eq!(
        (k.pre_yes, k.pre_no, k.on_site_yes, k.on_site_no),
        (2, 0, 1, 1)
    );
    assert_eq!((k.yes(), k.no()), (3, 1));
    assert!(k.passed());
    assert_eq!(
        (g.pre_yes, g.pre_no, g.on_site_yes, g.on_site_no),
        (1, 1, 0, 1)
    );
    assert!(!g.passed());
    assert_eq!((k.points, g.points), (2 + 1, 1 + 2 + 2));
    // Published, then the plan is adopted with the assembly.
    assert!(matches!(
        refusal(
            db.transition_assembly(a, None, AssemblyEvent::AdoptPlan)
                .await
        ),
        PlanRefusal::NotAllowed { .. }
    ));
    db.transition_assembly(a, None, AssemblyEvent::PublishResults)
        .await
        .unwrap();
    assert_eq!(
        db.transition_assembly(a, None, AssemblyEvent::AdoptPlan)
            .await
            .unwrap(),
        AssemblyState::PlanAdopted
    );
    assert_eq!(
        db.plan(plan).await.unwrap().unwrap().state,
        PlanState::CommitteeResolved
    );
}

async fn the_agenda_is_fixed_and_takes_only_items_the_neighbourhood_holds(db: Db) {
    let (a, kitchen, _) = assembly(&db, None, AssemblyState::Drafting).await;
    let (sajik, jongno) = scopes(&db).await;
    assert!(matches!(
        db.add_assembly_item(a, kitchen).await,
        Err(DbError::Refused(Refusal::AlreadyExists))
    ));
    let district = accepted_item(&db, jongno, "구 도로").await;
    assert_eq!(
        refusal(db.add_assembly_item(a, district).await),
        PlanRefusal::NotHeld
    );
    // Without a plan to adopt, the assembly cannot adopt one.
    for event in &AssemblyEvent::ALL[..5] {
        db.transition_assembly(a, None, *event).await.unwrap();
    }
    assert_eq!(
        refusal(
            db.transition_assembly(a, None, AssemblyEvent::AdoptPlan)
                .await
        ),
        PlanRefusal::NoPlanLinked
    );
    let late = accepted_item(&db, sajik, "늦은 의제").await;
    assert_eq!(
        refusal(db.add_assembly_item(a, late).await),
        PlanRefusal::AgendaFixed
    );
    assert_eq!(db.assembly_agenda(a).await.unwrap().len(), 2);
    // A second assembly for the same neighbourhood and year is refused.
    assert!(matches!(
        db.create_assembly(&NewAssembly {
            scope_id: sajik,
            year: 2027,
            plan_id: None,
            title: "again",
            place: "",
            held_at: 0,
            created_by: None,
        })
        .await,
        Err(DbError::Refused(Refusal::AlreadyExists))
    ));
}
