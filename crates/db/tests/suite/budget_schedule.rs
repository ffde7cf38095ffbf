//! Storage of the budget's second part, on SQLite and on PostgreSQL: dated moves (compare-and-set, with
//! the event that notifies followers and the count queued once), voter groups read from the committees'
//! memberships and the cooperation area's completed enrolments, and money not awarded moved once.
use maeul_db::Db;
use maeul_db::budget::{NewResult, ProcessSettings, Unawarded, VoteChannel};
use maeul_db::committees::{NewCommittee, NewMembership};
use maeul_db::cooperation::NewProgram;
use maeul_db::notifications::FollowTarget;
use maeul_domain::budget::{BallotKind, Phase, PhaseEvent, Schedule, VoterBases, VoterGroup};
use maeul_domain::committee::{CommitteeKind, Position, SeatPlan, Sector, Term, VoteRule};
use maeul_domain::cooperation::ProgramKind;

use crate::budget::{advance, process, to_voting};

maeul_testkit::backend_tests!(
    dates_move_processes_once_and_tell_their_followers,
    ballots_count_in_the_voters_group,
    money_not_awarded_is_returned_or_carried_over_once,
);

async fn user(db: &Db, email: &str) -> i64 {
    maeul_testkit::create_user(db, email, email).await.unwrap()
}

async fn dates_move_processes_once_and_tell_their_followers(db: Db) {
    let (id, dong) = process(&db, BallotKind::Approval, 0).await;
    let fan = user(&db, "fan@example.kr").await;
    let proposer = user(&db, "proposer@example.kr").await;
    let stranger = user(&db, "stranger@example.kr").await;
    db.follow(fan, FollowTarget::Scope(dong)).await.unwrap();
    let now = maeul_domain::time::now();
    // Out-of-order dates are refused and nothing changes.
    let bad = ProcessSettings {
        schedule: Schedule {
            voting_open_at: Some(now - 10),
            voting_close_at: Some(now - 20),
            ..Default::default()
        },
        ..Default::default()
    };
    assert!(db.configure_process(id, &bad, None).await.is_err());
    assert_eq!(db.process(id).await.unwrap().unwrap().voting_close_at, None);
    let good = ProcessSettings {
        schedule: Schedule {
            proposals_open_at: Some(now - 100),
            proposals_close_at: Some(now + 86_400),
            voting_open_at: Some(now + 2 * 86_400),
            voting_close_at: Some(now + 3 * 86_400),
        },
        shares: [50, 40, 10],
        quotas: vec![("A".into(), 2)],
        min_age: 16,
        voter_bases: VoterBases::parse(["resident", "worker"]).unwrap(),
    };
    db.configure_process(id, &good, None).await.unwrap();
    let p = db.process(id).await.unwrap().unwrap();
    assert_eq!(p.schedule(), good.schedule);
    assert_eq!(p.group_shares(), Some([50, 40, 10]));
    assert_eq!(p.quota_list(), vec![("A".to_owned(), 2)]);
    assert_eq!(p.min_age, 16);
    assert_eq!(p.voter_bases, good.voter_bases);
    // Only the proposals' opening is due now.
    let due = db.processes_due(now, 10).await.unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!((due[0].0.id, due[0].1), (id, Phase::ProposalsOpen));
    assert!(db.processes_due(now - 101, 10).await.unwrap().is_empty());
    // A move decided on a stale read is refused; the right one is made once.
    assert!(
        db.transition_process_from(
            id,
            Some(Phase::VotingOpen),
            &PhaseEvent::Advance { shortlisted: 0 },
            None
        )
        .await
        .is_err()
    );
    let to = db
        .transition_process_from(
            id,
            Some(Phase::Configured),
            &PhaseEvent::Advance { shortlisted: 0 },
            None,
        )
        .await
        .unwrap();
    assert_eq!(to, Phase::ProposalsOpen);
    assert!(db.processes_due(now, 10).await.unwrap().is_empty());
    // Settings are fixed once the process started.
    assert!(db.configure_process(id, &good, None).await.is_err());
    db.submit_project(&maeul_db::budget::NewProject {
        process_id: id,
        proposer_id: Some(proposer),
        title: "놀이터",
        description: "",
        category: "A",
        location: "",
        cost: 1_000,
        proposal_id: None,
    })
    .await
    .unwrap();
    // The move's event reaches the scope's follower and the proposer, not others.
    let mut told = 0;
    while let Some(job) = db.claim_job().await.unwrap() {
        if job.kind == "budget-phase" {
            told += db.fan_out_event(&job, &[]).await.unwrap();
        } else {
            db.complete_job(job.id).await.unwrap();
        }
    }
    assert_eq!(
        told, 2,
        "the follower and the proposer (who proposed after the first move)"
    );
    let fan_heard = db.notifications(fan, None, 10).await.unwrap();
    assert_eq!(fan_heard.len(), 1);
    assert_eq!(
        fan_heard[0].kind,
        maeul_domain::notify::EventKind::BudgetPhase
    );
    let (pid, phase, title) = maeul_db::budget::parse_event_detail(&fan_heard[0].detail).unwrap();
    assert_eq!((pid, phase), (id, Phase::ProposalsOpen));
    assert_eq!(title, p.title);
    assert!(
        db.notifications(stranger, None, 10)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn ballots_count_in_the_voters_group(db: Db) {
    let (id, dong) = process(&db, BallotKind::Approval, 0).await;
    let projects = to_voting(&db, id, &[10_000_000, 20_000_000]).await;
    let (member, graduate, resident) = (
        user(&db, "member@example.kr").await,
        user(&db, "graduate@example.kr").await,
        user(&db, "resident@example.kr").await,
    );
    let committee = db
        .create_committee(&NewCommittee {
            scope_id: dong,
            parent_id: None,
            kind: CommitteeKind::BudgetCommittee,
            name: "사직동 참여예산위원회",
            charter: "",
            vote_rule: VoteRule::MajorityOfVoting,
            secret_ballot: false,
            gender_cap: None,
            seats: SeatPlan {
                public: 0,
                civil: 5,
                expert: 0,
            },
            created_by: None,
        })
        .await
        .unwrap();
    db.appoint_member(&NewMembership {
        committee_id: committee,
        user_id: member,
        sector: Sector::Civil,
        position: Position::Member,
        gender: "",
        term: Term {
            start: 0,
            end: 4_000_000_000,
        },
    })
    .await
    .unwrap();
    // A budget school of the district (an ancestor of the neighbourhood), completed by attending.
    let tree = maeul_domain::ScopeTree::new(db.load_scopes().await.unwrap()).unwrap();
    let program = db
        .create_program(&NewProgram {
            scope_id: tree.by_code("11110").unwrap().id,
            organization_id: None,
            kind: ProgramKind::BudgetSchool,
            title: "예산학교",
            description: "",
            hours: 6,
            capacity: 0,
            sessions_required: 1,
        })
        .await
        .unwrap();
    let session = db
        .add_session(program, "1회차", 1_000, 2_000, "구청")
        .await
        .unwrap();
    db.enrol(program, graduate).await.unwrap();
    db.record_attendance(session, graduate, None).await.unwrap();
    assert_eq!(
        db.voter_group(id, member).await.unwrap(),
        VoterGroup::Committee
    );
    assert_eq!(
        db.voter_group(id, graduate).await.unwrap(),
        VoterGroup::School
    );
    assert_eq!(
        db.voter_group(id, resident).await.unwrap(),
        VoterGroup::Online
    );
    for u in [member, graduate, resident] {
        db.cast_ballot(
            id,
            u,
            Some(dong),
            &projects[0].to_string(),
            VoteChannel::Online,
        )
        .await
        .unwrap();
    }
    let mut groups: Vec<VoterGroup> = db
        .ballots_of(id)
        .await
        .unwrap()
        .into_iter()
        .map(|b| b.voter_group)
        .collect();
    groups.sort_by_key(|g| g.as_str());
    assert_eq!(
        groups,
        vec![
            VoterGroup::Committee,
            VoterGroup::Online,
            VoterGroup::School
        ]
    );
    // Closing queues the count once (a job a worker claims).
    assert_eq!(advance(&db, id).await, Phase::VotingClosed);
    let mut counts = 0;
    while let Some(job) = db.claim_job().await.unwrap() {
        if job.kind == maeul_db::budget::KIND_BUDGET_COUNT {
            assert_eq!(job.detail, id.to_string());
            counts += 1;
        }
        db.complete_job(job.id).await.unwrap();
    }
    assert_eq!(counts, 1);
}

async fn money_not_awarded_is_returned_or_carried_over_once(db: Db) {
    let (id, _) = process(&db, BallotKind::Approval, 0).await;
    let projects = to_voting(&db, id, &[10_000_000, 20_000_000]).await;
    assert_eq!(advance(&db, id).await, Phase::VotingClosed);
    db.store_result(
        id,
        &NewResult {
            rule: "mes_cost",
            selected: &[projects[0]],
            total_cost: 10_000_000,
            ballots: 1,
            explanation: "{}",
        },
        None,
    )
    .await
    .unwrap();
    let p = db.process(id).await.unwrap().unwrap();
    let envelope = db.envelope(p.envelope_id).await.unwrap().unwrap();
    let parent = envelope.parent_id.unwrap();
    // Not approved yet: nothing moves.
    assert_eq!(db.apply_leftover(id, None).await.unwrap(), 0);
    assert_eq!(advance(&db, id).await, Phase::Approved);
    // Returned up (the default): the parent receives budget − awarded, once.
    assert_eq!(db.apply_leftover(id, None).await.unwrap(), 90_000_000);
    assert_eq!(db.apply_leftover(id, None).await.unwrap(), 0);
    assert_eq!(
        db.envelope(parent).await.unwrap().unwrap().returned_in,
        90_000_000
    );
    assert!(
        db.process(id)
            .await
            .unwrap()
            .unwrap()
            .leftover_applied
            .is_some()
    );

    // Carried over: the envelope keeps it for the next cycle.
    db.set_unawarded(envelope.id, Unawarded::CarryOver, None)
        .await
        .unwrap();
    let second = db
        .create_process(&maeul_db::budget::NewProcess {
            envelope_id: envelope.id,
            title: "둘째",
            budget: 50_000_000,
            rule: "mes_cost",
            ballot: maeul_domain::budget::BallotConfig {
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
    let ps = to_voting(&db, second, &[5_000_000]).await;
    assert_eq!(advance(&db, second).await, Phase::VotingClosed);
    db.store_result(
        second,
        &NewResult {
            rule: "mes_cost",
            selected: &ps,
            total_cost: 5_000_000,
            ballots: 1,
            explanation: "{}",
        },
        None,
    )
    .await
    .unwrap();
    assert_eq!(advance(&db, second).await, Phase::Approved);
    assert_eq!(db.apply_leftover(second, None).await.unwrap(), 45_000_000);
    let after = db.envelope(envelope.id).await.unwrap().unwrap();
    assert_eq!(after.carried_over, 45_000_000);
    assert_eq!(
        db.envelope(parent).await.unwrap().unwrap().returned_in,
        90_000_000
    );
}
