//! Storage of a budget project's links, on SQLite and on PostgreSQL: the proposal it is born from (one
//! project per proposal, by a unique index), the carried motion its shortlist decision cites, its files,
//! and historical elections imported in one transaction.

use maeul_db::attachments::{AttachmentOwner, OwnerKind};
use maeul_db::budget::{ImportedCount, NewImport, NewImportProject, NewProject};
use maeul_db::proposals::{Kind, NewProposal};
use maeul_db::{Db, DbError};
use maeul_domain::attachment::AttachmentError;
use maeul_domain::budget::{
    BallotConfig, BallotKind, BudgetRefusal, Phase, PhaseEvent, ProjectState, ReviewEvent,
    StoredBallot,
};
use maeul_domain::proposal::Category;
use maeul_domain::{Refusal, ScopeTree};

use crate::budget::{advance, process};

maeul_testkit::backend_tests!(
    a_proposal_becomes_at_most_one_project,
    a_shortlist_cites_only_a_carried_motion_of_the_process_scope,
    project_files_are_kept_beside_their_project,
    a_historical_election_is_imported_whole_or_not_at_all,
);

fn budget_refusal(result: Result<impl std::fmt::Debug, DbError>) -> BudgetRefusal {
    match result {
        Err(DbError::Refused(Refusal::Budget(r))) => r,
        other => panic!("expected a budget refusal, got {other:?}"),
    }
}

async fn proposal(db: &Db, scope_id: i64, author: i64) -> i64 {
    db.create_proposal(&NewProposal {
        scope_id,
        author_id: author,
        title: "골목 쉼터를 만들어 주세요",
        body: "벤치와 그늘막이 있는 쉼터",
        category: Category::Environment,
        submit: true,
        location: "사직로",
        kind: Kind::Proposal,
    })
    .await
    .unwrap()
}

fn project<'a>(process_id: i64, title: &'a str, proposal_id: Option<i64>) -> NewProject<'a> {
    NewProject {
        process_id,
        proposer_id: None,
        title,
        description: "",
        category: "",
        location: "",
        cost: 1_000_000,
        proposal_id,
    }
}

async fn a_proposal_becomes_at_most_one_project(db: Db) {
    let (id, dong) = process(&db, BallotKind::Approval, 3).await;
    assert_eq!(advance(&db, id).await, Phase::ProposalsOpen);
    let author = maeul_testkit::create_user(&db, "author@x.kr", "저자")
        .await
        .unwrap();
    let p = proposal(&db, dong, author).await;
    let linked = db
        .submit_project(&project(id, "골목 쉼터", Some(p)))
        .await
        .unwrap();
    let found = db.project_of_proposal(p).await.unwrap().unwrap();
    assert_eq!((found.project_id, found.process_id), (linked, id));
    assert_eq!(
        db.project(linked).await.unwrap().unwrap().proposal_id,
        Some(p)
    );
    assert_eq!(
        db.trace_budget_projects_of_proposal(p).await.unwrap(),
        vec![linked]
    );
    // A second project from the same proposal is refused by the database, also concurrently.
    assert_eq!(
        budget_refusal(db.submit_project(&project(id, "again", Some(p))).await),
        BudgetRefusal::ProposalAlreadyLinked
    );
    let other = proposal(&db, dong, author).await;
    let mut tasks = Vec::new();
    for i in 0..8 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            let title = format!("동시 {i}");
            db.submit_project(&project(id, &title, Some(other))).await
        }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(e) => assert_eq!(
                budget_refusal(Err::<i64, _>(e)),
                BudgetRefusal::ProposalAlreadyLinked
            ),
        }
    }
    assert_eq!(ok, 1);
    assert_eq!(db.projects_of(id).await.unwrap().len(), 2);
    assert!(
        db.project_of_proposal(author + 1_000)
            .await
            .unwrap()
            .is_none()
    );
}

/// A process in the committee's deliberation with one feasible project.
async fn deliberating(db: &Db) -> (i64, i64, i64) {
    let (id, dong) = process(db, BallotKind::Approval, 3).await;
    advance(db, id).await;
    let p = db.submit_project(&project(id, "벤치", None)).await.unwrap();
    advance(db, id).await;
    let feasible = ReviewEvent::Feasible {
        cost: 1_000_000,
        months: 3,
        envelope: 0,
    };
    db.review_project(p, &feasible, None).await.unwrap();
    assert_eq!(advance(db, id).await, Phase::CommitteeDeliberation);
    (id, dong, p)
}

async fn a_shortlist_cites_only_a_carried_motion_of_the_process_scope(db: Db) {
    let (id, dong, p) = deliberating(&db).await;
    let tree = ScopeTree::new(db.load_scopes().await.unwrap()).unwrap();
    let jongno = tree.by_code("11110").unwrap().id;
    let failed = crate::plan::motion(&db, dong, false).await;
    let elsewhere = crate::plan::motion(&db, jongno, true).await;
    let carried = crate::plan::motion(&db, dong, true).await;
    for (motion, expected) in [
        (failed, BudgetRefusal::MotionNotCarried),
        (elsewhere, BudgetRefusal::MotionOfAnotherScope),
        (carried + 1_000, BudgetRefusal::MotionNotCarried),
    ] {
        assert_eq!(
            budget_refusal(
                db.review_project_citing(p, &ReviewEvent::Shortlist, Some(motion), None)
                    .await
            ),
            expected
        );
        let unchanged = db.project(p).await.unwrap().unwrap();
        assert_eq!(
            (unchanged.state, unchanged.shortlist_motion_id),
            (ProjectState::Feasible, None)
        );
    }
    // A motion cited by anything but a shortlist decision is refused.
    let infeasible = ReviewEvent::Infeasible {
        reason: "예산 부족".into(),
    };
    assert!(
        db.review_project_citing(p, &infeasible, Some(carried), None)
            .await
            .is_err()
    );
    let to = db
        .review_project_citing(p, &ReviewEvent::Shortlist, Some(carried), None)
        .await
        .unwrap();
    assert_eq!(to, ProjectState::Shortlisted);
    let stored = db.project(p).await.unwrap().unwrap();
    assert_eq!(stored.shortlist_motion_id, Some(carried));
    let cited = db.cited_motions(id).await.unwrap();
    assert_eq!(cited.len(), 1);
    assert_eq!(cited[0].id, carried);
    // A decision without a motion clears the citation (staff recorded it).
    db.review_project_citing(p, &ReviewEvent::Drop, None, None)
        .await
        .unwrap();
    assert_eq!(
        db.project(p).await.unwrap().unwrap().shortlist_motion_id,
        None
    );
}

async fn project_files_are_kept_beside_their_project(db: Db) {
    let (id, _) = process(&db, BallotKind::Approval, 3).await;
    advance(&db, id).await;
    let p = db.submit_project(&project(id, "벤치", None)).await.unwrap();
    let q = db.submit_project(&project(id, "화분", None)).await.unwrap();
    let uploader = maeul_testkit::create_user(&db, "up@x.kr", "올림")
        .await
        .unwrap();
    let pdf = b"%PDF-1.7 plan".to_vec();
    let owner = AttachmentOwner::BudgetProject(p);
    for i in 0..3 {
        db.attach_file(
            owner,
            uploader,
            &format!("f{i}.pdf"),
            "application/pdf",
            &pdf,
            3,
        )
        .await
        .unwrap();
    }
    assert!(matches!(
        db.attach_file(owner, uploader, "f3.pdf", "application/pdf", &pdf, 3)
            .await,
        Err(DbError::Refused(Refusal::Attachment(
            AttachmentError::TooMany { max: 3 }
        )))
    ));
    let png = b"\x89PNG\r\n\x1a\nimage".to_vec();
    let other = db
        .attach_file(
            AttachmentOwner::BudgetProject(q),
            uploader,
            "map.png",
            "image/png",
            &png,
            3,
        )
        .await
        .unwrap();
    let files = db.files_of(owner).await.unwrap();
    assert_eq!(files.len(), 3);
    assert!(files.iter().all(|f| f.owner_id == p));
    let all = db.project_files_of_process(id).await.unwrap();
    assert_eq!(
        all.iter().map(|f| f.owner_id).collect::<Vec<_>>(),
        vec![p, p, p, q]
    );
    let file = db
        .file(OwnerKind::BudgetProject, other)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((file.data, file.info.owner_id), (png, q));
    // The proposals' files are another table: the same id is not a project's file there.
    assert!(db.attachments_of(p).await.unwrap().is_empty());
}

async fn a_historical_election_is_imported_whole_or_not_at_all(db: Db) {
    let (existing, dong) = process(&db, BallotKind::Approval, 3).await;
    let envelope = db.process(existing).await.unwrap().unwrap().envelope_id;
    let import = NewImport {
        envelope_id: envelope,
        title: "사직동 주민참여예산 2019",
        budget: 10_000_000,
        rule: "greedy_cost",
        ballot: BallotConfig {
            kind: BallotKind::Approval,
            min_projects: 0,
            max_projects: 0,
            points: 0,
        },
        projects: vec![
            NewImportProject {
                title: "놀이터 그늘막",
                description: "",
                category: "환경",
                cost: 6_000_000,
            },
            NewImportProject {
                title: "경로당 안마의자",
                description: "",
                category: "복지",
                cost: 5_000_000,
            },
        ],
        ballots: vec![
            StoredBallot::Projects(vec![0]),
            StoredBallot::Projects(vec![0, 1]),
            StoredBallot::Projects(vec![1]),
        ],
        source: "META\nkey;value\n",
        by: None,
    };
    // A count that fails leaves nothing behind.
    let before = db.processes(Some(dong)).await.unwrap().len();
    let failing = db
        .import_election(&import, |_, _, _| async {
            Err::<ImportedCount, _>(DbError::Refused(Refusal::Budget(
                BudgetRefusal::CountFailed("x".into()),
            )))
        })
        .await;
    assert!(matches!(failing, Err(DbError::Refused(_))));
    assert_eq!(db.processes(Some(dong)).await.unwrap().len(), before);
    // The count sees the projects and ballots as stored, named by their ids.
    let id = db
        .import_election(&import, |process, projects, voters| async move {
            assert_eq!(process.phase, Phase::Tallied);
            assert_eq!(projects.len(), 2);
            assert_eq!(voters.len(), 3);
            let first = projects[0].id;
            assert!(
                voters
                    .iter()
                    .any(|(_, b)| *b == StoredBallot::Projects(vec![first]))
            );
            Ok(ImportedCount {
                selected: vec![first],
                total_cost: 6_000_000,
                explanation: "{}".into(),
                snapshot: "digest".into(),
            })
        })
        .await
        .unwrap();
    let p = db.process(id).await.unwrap().unwrap();
    assert_eq!((p.phase, p.imported, p.scope_id), (Phase::Tallied, 1, dong));
    let projects = db.projects_of(id).await.unwrap();
    assert!(
        projects
            .iter()
            .all(|x| x.state == ProjectState::Shortlisted)
    );
    assert_eq!(db.ballots_of(id).await.unwrap().len(), 3);
    let result = db.budget_result(id).await.unwrap().unwrap();
    assert_eq!(result.selected_ids(), vec![projects[0].id]);
    assert_eq!(result.ballots, 3);
    assert!(
        db.turnout(id).await.unwrap().is_empty(),
        "no accounts voted"
    );
    // History does not move.
    assert_eq!(
        budget_refusal(
            db.transition_process(id, &PhaseEvent::Advance { shortlisted: 0 }, None)
                .await
        ),
        BudgetRefusal::Historical
    );
    assert_eq!(
        budget_refusal(
            db.review_project(projects[0].id, &ReviewEvent::Drop, None)
                .await
        ),
        BudgetRefusal::Historical
    );
    let audit = db.audit_page(None, 20).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|a| a.action == maeul_domain::audit::AuditAction::BudgetImport)
    );
}
