//! Storage of the decentralized budget, on SQLite and on PostgreSQL.

use maeul_db::budget::{NewProcess, NewProject, NewResult, VoteChannel};
use maeul_db::{Db, DbError};
use maeul_domain::budget::envelope::Formula;
use maeul_domain::budget::{
    BallotConfig, BallotKind, BudgetRefusal, Phase, PhaseEvent, ProjectState, ReviewEvent,
};
use maeul_domain::{Refusal, ScopeKind, ScopeTree};

maeul_testkit::backend_tests!(
    envelopes_split_down_the_tree_and_sum_exactly,
    a_process_moves_by_compare_and_set_with_its_log,
    projects_are_submitted_reviewed_and_shortlisted,
    concurrent_ballots_are_one_per_voter_and_the_latest,
    the_result_is_stored_once_and_ballots_stop_when_voting_closes,
);

fn refusal(result: Result<impl std::fmt::Debug, DbError>) -> Refusal {
    match result {
        Err(DbError::Refused(r)) => r,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn tree(db: &Db) -> ScopeTree {
    db.seed_seoul_if_empty().await.unwrap();
    ScopeTree::new(db.load_scopes().await.unwrap()).unwrap()
}

async fn user(db: &Db, email: &str) -> i64 {
    maeul_testkit::create_user(db, email, email).await.unwrap()
}

/// A neighbourhood's process (Sajik-dong) with its own envelope of 100,000,000 won.
pub(crate) async fn process(db: &Db, kind: BallotKind, max: u32) -> (i64, i64) {
    let tree = tree(db).await;
    let city = tree.by_code("11").unwrap().id;
    let (_, top) = db
        .create_cycle(city, 2027, 100_000_000, None)
        .await
        .unwrap();
    let dong = tree.by_code("1111053000").unwrap().id;
    db.split_envelope(
        top,
        &Formula {
            own_permille: 0,
            base: 1,
            population: 0,
            need: 0,
            grade: 0,
        },
        &db.scope_figures(&[dong]).await.unwrap(),
        None,
    )
    .await
    .unwrap();
    let envelope = db.latest_envelope_of(dong).await.unwrap().unwrap();
    assert_eq!(envelope.amount, 100_000_000);
    let id = db
        .create_process(&NewProcess {
            envelope_id: envelope.id,
            title: "사직동 주민참여예산 2027",
            budget: 100_000_000,
            rule: "mes_cost",
            ballot: BallotConfig {
                kind,
                min_projects: 1,
                max_projects: max,
                points: 0,
            },
            min_age: 14,
            created_by: None,
        })
        .await
        .unwrap();
    (id, dong)
}

pub(crate) async fn advance(db: &Db, id: i64) -> Phase {
    db.transition_process(id, &PhaseEvent::Advance { shortlisted: 0 }, None)
        .await
        .unwrap()
}

/// Takes a fresh process to voting with `n` shortlisted projects of the given costs; returns their ids.
pub(crate) async fn to_voting(db: &Db, id: i64, costs: &[u64]) -> Vec<i64> {
    assert_eq!(advance(db, id).await, Phase::ProposalsOpen);
    let mut ids = Vec::new();
    for (i, cost) in costs.iter().enumerate() {
        let title = format!("사업 {i}");
        ids.push(
            db.submit_project(&NewProject {
                process_id: id,
                proposer_id: None,
                title: &title,
                description: "",
                category: "",
                location: "",
                cost: *cost,
                proposal_id: None,
            })
            .await
            .unwrap(),
        );
    }
    assert_eq!(advance(db, id).await, Phase::DepartmentReview);
    for (p, cost) in ids.iter().zip(costs) {
        let feasible = ReviewEvent::Feasible {
            cost: *cost,
            months: 6,
            envelope: 0,
        };
        db.review_project(*p, &feasible, None).await.unwrap();
    }
    assert_eq!(advance(db, id).await, Phase::CommitteeDeliberation);
    for p in &ids {
        db.review_project(*p, &ReviewEvent::Shortlist, None)
            .await
            .unwrap();
    }
    assert_eq!(advance(db, id).await, Phase::BallotFixed);
    assert_eq!(advance(db, id).await, Phase::VotingOpen);
    ids
}

async fn envelopes_split_down_the_tree_and_sum_exactly(db: Db) {
    let tree = tree(&db).await;
    let city = tree.by_code("11").unwrap();
    let districts: Vec<i64> = tree
        .children(city.id)
        .filter(|s| s.kind == ScopeKind::District)
        .map(|s| s.id)
        .collect();
    assert_eq!(districts.len(), 25);
    for (i, d) in districts.iter().enumerate() {
        db.set_scope_figures(*d, 100_000 + 7_919 * i as u64, (i % 5) as u64 + 1, 3)
            .await
            .unwrap();
    }
    let (cycle, top) = db
        .create_cycle(city.id, 2027, 50_000_000_001, None)
        .await
        .unwrap();
    assert!(matches!(
        db.create_cycle(city.id, 2027, 1, None).await,
        Err(DbError::Conflict(_))
    ));
    let figures = db.scope_figures(&districts).await.unwrap();
    let ids = db
        .split_envelope(top, &Formula::DEFAULT, &figures, None)
        .await
        .unwrap();
    assert_eq!(ids.len(), 25);
    let parent = db.envelope(top).await.unwrap().unwrap();
    let children = db.child_envelopes(top).await.unwrap();
    let handed: i64 = children.iter().map(|c| c.amount).sum();
    assert_eq!(parent.own() + handed, 50_000_000_001);
    assert_eq!(parent.own(), 10_000_000_000);
    assert_eq!(parent.formula(), Some(Formula::DEFAULT));
    for c in &children {
        assert_eq!(c.terms().iter().map(|t| t.1).sum::<i64>(), c.amount);
        assert_eq!(c.cycle_id, cycle);
    }
    // A district splits again among its neighbourhoods, whose figures are missing: population and need
    // have weight, so the split is refused and nothing is written.
    let jongno = tree.by_code("11110").unwrap().id;
    let env = db.envelope_in(cycle, jongno).await.unwrap();
    let dongs: Vec<i64> = tree.children(jongno).map(|s| s.id).collect();
    let none = db.scope_figures(&dongs).await.unwrap();
    assert!(matches!(
        refusal(
            db.split_envelope(env.id, &Formula::DEFAULT, &none, None)
                .await
        ),
        Refusal::Budget(BudgetRefusal::TermWithoutValues { .. })
    ));
    assert!(db.child_envelopes(env.id).await.unwrap().is_empty());
    let equal = Formula {
        own_permille: 300,
        base: 1,
        population: 0,
        need: 0,
        grade: 0,
    };
    db.split_envelope(env.id, &equal, &none, None)
        .await
        .unwrap();
    let below: i64 = db
        .child_envelopes(env.id)
        .await
        .unwrap()
        .iter()
        .map(|c| c.amount)
        .sum();
    let env = db.envelope(env.id).await.unwrap().unwrap();
    assert_eq!(env.own() + below, env.amount);
    let audit = db.audit_page(None, 10).await.unwrap();
    assert_eq!(
        audit
            .iter()
            .filter(|a| a.action == maeul_domain::audit::AuditAction::BudgetSplit)
            .count(),
        2
    );
}

async fn a_process_moves_by_compare_and_set_with_its_log(db: Db) {
    let (id, _) = process(&db, BallotKind::Approval, 3).await;
    assert_eq!(advance(&db, id).await, Phase::ProposalsOpen);
    assert_eq!(advance(&db, id).await, Phase::DepartmentReview);
    assert_eq!(advance(&db, id).await, Phase::CommitteeDeliberation);
    // Nothing shortlisted: the ballot cannot be fixed.
    assert_eq!(
        refusal(
            db.transition_process(id, &PhaseEvent::Advance { shortlisted: 9 }, None)
                .await
        ),
        Refusal::Budget(BudgetRefusal::NothingShortlisted)
    );
    assert_eq!(
        refusal(
            db.transition_process(id, &PhaseEvent::RecordTally, None)
                .await
        ),
        Refusal::Budget(BudgetRefusal::PhaseNotAllowed {
            phase: "budget-phase-committee_deliberation",
            event: "budget-event-tally"
        })
    );
    let cancel = PhaseEvent::Cancel {
        reason: "예산 삭감".into(),
    };
    assert_eq!(
        db.transition_process(id, &cancel, None).await.unwrap(),
        Phase::Cancelled
    );
    let p = db.process(id).await.unwrap().unwrap();
    assert_eq!(p.phase, Phase::Cancelled);
    assert_eq!(p.cancel_reason, "예산 삭감");
    let log = db.phase_log(id).await.unwrap();
    assert_eq!(
        log.iter().map(|l| l.to_phase).collect::<Vec<_>>(),
        vec![
            Phase::ProposalsOpen,
            Phase::DepartmentReview,
            Phase::CommitteeDeliberation,
            Phase::Cancelled
        ]
    );
    assert!(matches!(
        refusal(db.transition_process(id, &cancel, None).await),
        Refusal::Budget(BudgetRefusal::PhaseNotAllowed { .. })
    ));
    // Two concurrent advances of one process: exactly one wins, the other is stale or refused.
    let (other, _) = {
        let tree = tree(&db).await;
        let dong = tree.by_code("1111053000").unwrap().id;
        let env = db.latest_envelope_of(dong).await.unwrap().unwrap();
        let id = db
            .create_process(&NewProcess {
                envelope_id: env.id,
                title: "second",
                budget: 1000,
                rule: "greedy_cost",
                ballot: BallotConfig {
                    kind: BallotKind::Approval,
                    min_projects: 0,
                    max_projects: 0,
                    points: 0,
                },
                min_age: 0,
                created_by: None,
            })
            .await
            .unwrap();
        (id, dong)
    };
    let (a, b) = tokio::join!(
        db.transition_process(other, &PhaseEvent::Advance { shortlisted: 0 }, None),
        db.transition_process(other, &PhaseEvent::Advance { shortlisted: 0 }, None)
    );
    let wins = [&a, &b].iter().filter(|r| r.is_ok()).count();
    assert!(wins >= 1);
    assert_eq!(db.phase_log(other).await.unwrap().len(), wins);
}

async fn projects_are_submitted_reviewed_and_shortlisted(db: Db) {
    let (id, _) = process(&db, BallotKind::Approval, 3).await;
    let proposer = user(&db, "proposer@example.org").await;
    let new = |cost| NewProject {
        process_id: id,
        proposer_id: Some(proposer),
        title: "놀이터 그늘막",
        description: "여름에 그늘이 필요합니다",
        category: "environment",
        location: "사직공원",
        cost,
        proposal_id: None,
    };
    // Not yet open for proposals.
    assert_eq!(
        refusal(db.submit_project(&new(1000)).await),
        Refusal::Budget(BudgetRefusal::WrongPhase {
            phase: "budget-phase-configured"
        })
    );
    advance(&db, id).await;
    assert_eq!(
        refusal(db.submit_project(&new(100_000_001)).await),
        Refusal::Budget(BudgetRefusal::CostOverEnvelope {
            cost: 100_000_001,
            envelope: 100_000_000
        })
    );
    assert_eq!(
        refusal(db.submit_project(&new(0)).await),
        Refusal::Budget(BudgetRefusal::CostZero)
    );
    let a = db.submit_project(&new(5_000_000)).await.unwrap();
    let b = db.submit_project(&new(7_000_000)).await.unwrap();
    advance(&db, id).await;
    assert_eq!(
        db.review_project(
            a,
            &ReviewEvent::Feasible {
                cost: 6_000_000,
                months: 4,
                envelope: 0
            },
            None
        )
        .await
        .unwrap(),
        ProjectState::Feasible
    );
    assert_eq!(
        refusal(
            db.review_project(b, &ReviewEvent::Infeasible { reason: "".into() }, None)
                .await
        ),
        Refusal::Budget(BudgetRefusal::ReasonRequired)
    );
    db.review_project(
        b,
        &ReviewEvent::Infeasible {
            reason: "사유지".into(),
        },
        None,
    )
    .await
    .unwrap();
    let pa = db.project(a).await.unwrap().unwrap();
    assert_eq!((pa.cost, pa.months), (6_000_000, Some(4)));
    let pb = db.project(b).await.unwrap().unwrap();
    assert_eq!(
        (pb.state, pb.review_reason.as_str()),
        (ProjectState::Infeasible, "사유지")
    );
    // Shortlisting waits for deliberation.
    assert!(matches!(
        refusal(db.review_project(a, &ReviewEvent::Shortlist, None).await),
        Refusal::Budget(BudgetRefusal::WrongPhase { .. })
    ));
    advance(&db, id).await;
    assert!(matches!(
        refusal(db.review_project(b, &ReviewEvent::Shortlist, None).await),
        Refusal::Budget(BudgetRefusal::ReviewNotAllowed { .. })
    ));
    db.review_project(a, &ReviewEvent::Shortlist, None)
        .await
        .unwrap();
    assert_eq!(advance(&db, id).await, Phase::BallotFixed);
}

async fn concurrent_ballots_are_one_per_voter_and_the_latest(db: Db) {
    let (id, dong) = process(&db, BallotKind::Approval, 3).await;
    let projects = to_voting(&db, id, &[10_000_000, 20_000_000, 30_000_000]).await;
    const VOTERS: usize = 800;
    const REVISIONS: usize = 200;
    let mut voters = Vec::with_capacity(VOTERS);
    for i in 0..VOTERS {
        voters.push(user(&db, &format!("voter{i}@example.org")).await);
    }
    let first = projects[0].to_string();
    let latest = format!("{},{}", projects[1], projects[2]);
    // 1,000 submissions at once: every voter's first ballot, and for 200 of them a revision after it.
    let mut tasks = tokio::task::JoinSet::new();
    for (i, voter) in voters.iter().copied().enumerate() {
        let db = db.clone();
        let (first, latest) = (first.clone(), latest.clone());
        tasks.spawn(async move {
            let r1 = db
                .cast_ballot(id, voter, Some(dong), &first, VoteChannel::Online)
                .await
                .unwrap();
            assert_eq!(r1, 1);
            if i < REVISIONS {
                let r2 = db
                    .cast_ballot(id, voter, Some(dong), &latest, VoteChannel::Online)
                    .await
                    .unwrap();
                assert_eq!(r2, 2);
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
    let ballots = db.ballots_of(id).await.unwrap();
    assert_eq!(ballots.len(), VOTERS);
    assert_eq!(
        ballots.iter().filter(|b| b.ballot == latest).count(),
        REVISIONS
    );
    assert_eq!(
        ballots.iter().filter(|b| b.revision == 2).count(),
        REVISIONS
    );
    for (i, voter) in voters.iter().enumerate() {
        let own = db.own_ballot(id, *voter).await.unwrap().unwrap();
        let expected = if i < REVISIONS { &latest } else { &first };
        assert_eq!(&own.ballot, expected);
        assert_ne!(own.pseudonym, voter.to_string());
    }
    let turnout = db.turnout(id).await.unwrap();
    assert_eq!(turnout.len(), 1);
    assert_eq!(turnout[0].voters, VOTERS as i64);
    // A voter who voted online cannot also be entered on paper.
    assert_eq!(
        refusal(
            db.cast_ballot(id, voters[0], Some(dong), &first, VoteChannel::Paper)
                .await
        ),
        Refusal::Budget(BudgetRefusal::VotedOtherChannel)
    );
}

async fn the_result_is_stored_once_and_ballots_stop_when_voting_closes(db: Db) {
    let (id, dong) = process(&db, BallotKind::Approval, 3).await;
    let projects = to_voting(&db, id, &[10_000_000, 20_000_000]).await;
    let voter = user(&db, "v@example.org").await;
    let ballot = projects[0].to_string();
    db.cast_ballot(id, voter, Some(dong), &ballot, VoteChannel::Online)
        .await
        .unwrap();
    assert_eq!(advance(&db, id).await, Phase::VotingClosed);
    assert_eq!(
        refusal(
            db.cast_ballot(id, voter, Some(dong), &ballot, VoteChannel::Online)
                .await
        ),
        Refusal::Budget(BudgetRefusal::VotingClosed)
    );
    assert_eq!(
        refusal(
            db.transition_process(id, &PhaseEvent::Advance { shortlisted: 1 }, None)
                .await
        ),
        Refusal::Budget(BudgetRefusal::TallyPending)
    );
    let result = NewResult {
        rule: "mes_cost",
        selected: &[projects[0]],
        total_cost: 10_000_000,
        ballots: 1,
        explanation: "{}",
    };
    let (a, b) = tokio::join!(
        db.store_result(id, &result, None),
        db.store_result(id, &result, None)
    );
    assert_eq!([&a, &b].iter().filter(|r| r.is_ok()).count(), 1);
    let stored = db.budget_result(id).await.unwrap().unwrap();
    assert_eq!(stored.selected_ids(), vec![projects[0]]);
    assert_eq!(stored.total_cost, 10_000_000);
    // The turnout is kept with the result, as counted when it was stored.
    let kept = stored.turnout_rows().unwrap();
    assert_eq!(
        kept.iter()
            .map(|t| (t.home_scope, t.voters))
            .collect::<Vec<_>>(),
        vec![(Some(dong), 1)]
    );
    assert_eq!(db.process(id).await.unwrap().unwrap().phase, Phase::Tallied);
    assert_eq!(advance(&db, id).await, Phase::Approved);
}
