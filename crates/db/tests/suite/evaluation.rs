//! Storage of the results-based evaluation, on SQLite and on PostgreSQL: tracked projects from budget
//! winners (once), updates that count only when verified by someone else, the cycle's compare-and-set
//! steps and refusals, and the grade that sets the next budget cycle's envelope.

use maeul_db::budget::{NewResult, VoteChannel};
use maeul_db::evaluation::{Actual, NewIndicator, NewTrackedProject, NewUpdate};
use maeul_db::{Db, DbError};
use maeul_domain::budget::envelope::{Formula, split};
use maeul_domain::budget::{BallotKind, Phase};
use maeul_domain::evaluation::{
    Aggregation, Better, CycleEvent, CycleState, EvaluationRefusal as R, GradeLetter,
    IndicatorKind, IndicatorLevel, Party, ProjectStatus, UpdateEvent, UpdateState,
};
use maeul_domain::object::{ObjectKind, ObjectRef};
use maeul_domain::{Refusal, ScopeKind, ScopeTree};

use crate::budget::{advance, process, to_voting};

maeul_testkit::backend_tests!(
    budget_winners_are_tracked_once,
    an_update_counts_only_once_verified_and_never_by_its_author,
    the_cycle_refuses_out_of_turn_and_grades_from_its_indicators_and_scores,
    changing_a_grade_changes_next_years_envelope_by_exactly_the_formula,
    participation_counts_voters_by_home_and_forum_participants_by_scope,
    a_grant_born_project_links_back_to_its_award_and_organization,
);

fn refusal(result: Result<impl std::fmt::Debug, DbError>) -> R {
    match result {
        Err(DbError::Refused(Refusal::Evaluation(r))) => r,
        other => panic!("expected an evaluation refusal, got {other:?}"),
    }
}

async fn tree(db: &Db) -> ScopeTree {
    db.seed_seoul_if_empty().await.unwrap();
    ScopeTree::new(db.load_scopes().await.unwrap()).unwrap()
}

async fn user(db: &Db, email: &str) -> i64 {
    maeul_testkit::create_user(db, email, email).await.unwrap()
}

async fn budget_winners_are_tracked_once(db: Db) {
    let (id, dong) = process(&db, BallotKind::Approval, 3).await;
    let projects = to_voting(&db, id, &[10_000_000, 20_000_000]).await;
    let voter = user(&db, "v@example.org").await;
    db.cast_ballot(
        id,
        voter,
        Some(dong),
        &projects[1].to_string(),
        VoteChannel::Online,
    )
    .await
    .unwrap();
    assert_eq!(advance(&db, id).await, Phase::VotingClosed);
    db.store_result(
        id,
        &NewResult {
            rule: "mes_cost",
            selected: &[projects[1]],
            total_cost: 20_000_000,
            ballots: 1,
            explanation: "{}",
        },
        None,
    )
    .await
    .unwrap();
    let first = db.track_budget_winners(id).await.unwrap();
    let again = db.track_budget_winners(id).await.unwrap();
    assert_eq!(first.len(), 1);
    assert_eq!(first, again, "tracking twice keeps one tracked project");
    let tracked = db.tracked_project(first[0]).await.unwrap().unwrap();
    assert_eq!(tracked.scope_id, dong);
    assert_eq!(tracked.budget, 20_000_000);
    assert_eq!(tracked.year, 2027);
    assert_eq!(tracked.status, ProjectStatus::Planned);
    assert_eq!(
        tracked.origin(),
        Some(ObjectRef::new(ObjectKind::BudgetProject, projects[1]))
    );
    let from = db
        .tracked_project_from(ObjectRef::new(ObjectKind::BudgetProject, projects[1]))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(from.id, tracked.id);
    assert_eq!(db.tracked_projects_in(&[dong]).await.unwrap().len(), 1);
    assert!(
        db.tracked_projects_in(&[dong + 1])
            .await
            .unwrap()
            .is_empty()
    );
}

async fn an_update_counts_only_once_verified_and_never_by_its_author(db: Db) {
    let tree = tree(&db).await;
    let jongno = tree.by_code("11110").unwrap().id;
    let project = db
        .create_tracked_project(&NewTrackedProject {
            scope_id: jongno,
            parent_id: None,
            year: 2026,
            title: "골목 쉼터 조성",
            weight: 1,
            budget: 50_000_000,
        })
        .await
        .unwrap();
    let implementer = user(&db, "impl@example.org").await;
    let staff = user(&db, "staff@example.org").await;
    let evidence = [(
        "https://example.org/photo.jpg".to_owned(),
        "준공 사진".to_owned(),
    )];
    let update = db
        .create_update(&NewUpdate {
            project_id: project,
            author_id: implementer,
            body: "1단계 공사 완료",
            progress: 60,
            spent: Some(30_000_000),
            evidence: &evidence,
        })
        .await
        .unwrap();
    assert_eq!(db.update_evidence(update).await.unwrap().len(), 1);
    assert_eq!(
        refusal(
            db.create_update(&NewUpdate {
                project_id: project,
                author_id: implementer,
                body: "x",
                progress: 101,
                spent: None,
                evidence: &[],
            })
            .await
        ),
        R::ProgressOutOfRange
    );
    assert_eq!(
        refusal(
            db.transition_update(update, staff, true, &UpdateEvent::Submit)
                .await
        ),
        R::NotTheAuthor
    );
    db.transition_update(update, implementer, true, &UpdateEvent::Submit)
        .await
        .unwrap();
    // Submitted is not verified: the project's progress does not move.
    assert_eq!(
        db.tracked_project(project).await.unwrap().unwrap().progress,
        0
    );
    // The implementer is staff too, and still cannot verify their own update.
    assert_eq!(
        refusal(
            db.transition_update(update, implementer, true, &UpdateEvent::Verify)
                .await
        ),
        R::OwnUpdate
    );
    let ret = UpdateEvent::Return {
        comment: "영수증을 첨부해 주세요".into(),
    };
    assert_eq!(
        db.transition_update(update, staff, true, &ret)
            .await
            .unwrap(),
        UpdateState::Returned
    );
    db.transition_update(update, implementer, true, &UpdateEvent::Submit)
        .await
        .unwrap();
    // Two staff verify at once: one wins, the other finds it changed.
    let other = user(&db, "staff2@example.org").await;
    let (a, b) = tokio::join!(
        db.transition_update(update, staff, true, &UpdateEvent::Verify),
        db.transition_update(update, other, true, &UpdateEvent::Verify)
    );
    assert_eq!(
        [&a, &b].iter().filter(|r| r.is_ok()).count(),
        1,
        "{a:?} {b:?}"
    );
    let row = db.tracked_update(update).await.unwrap().unwrap();
    assert_eq!(row.state, UpdateState::Verified);
    let p = db.tracked_project(project).await.unwrap().unwrap();
    assert_eq!(
        (p.progress, p.spent, p.status),
        (60, 30_000_000, ProjectStatus::InProgress)
    );
}

/// A district's cycle with two indicators (one of a tracked project), taken to the external review.
async fn cycle_in_review(db: &Db, scope: i64, year: i64, actuals: (f64, f64)) -> i64 {
    let cycle = db.create_evaluation_cycle(scope, year).await.unwrap();
    let participants = NewIndicator {
        cycle_id: cycle,
        project_id: None,
        code: "participants",
        name: "주민자치 참여 인원",
        level: IndicatorLevel::Process,
        kind: IndicatorKind::Number,
        better: Better::Higher,
        aggregation: Aggregation::Sum,
        unit: "명",
        baseline: Some((year - 1, 400.0)),
        target: Some(600.0),
    };
    assert_eq!(
        refusal(db.add_indicator(&participants, Party::Evaluator).await),
        R::EvaluatorCannotEditIndicators
    );
    let a = db
        .add_indicator(&participants, Party::Implementer)
        .await
        .unwrap();
    let b = db
        .add_indicator(
            &NewIndicator {
                code: "waiting_days",
                name: "민원 처리 기간",
                better: Better::Lower,
                aggregation: Aggregation::Average,
                unit: "일",
                baseline: Some((year - 1, 30.0)),
                target: Some(10.0),
                ..participants.clone()
            },
            Party::Implementer,
        )
        .await
        .unwrap();
    let go = |e: CycleEvent, p: Party| async move {
        db.transition_evaluation_cycle(cycle, p, None, &e).await
    };
    assert_eq!(
        refusal(go(CycleEvent::StartMeasuring, Party::Evaluator).await),
        R::NotImplementer
    );
    go(CycleEvent::StartMeasuring, Party::Implementer)
        .await
        .unwrap();
    assert_eq!(
        refusal(db.set_indicator_target(a, 700.0, Party::Implementer).await),
        R::IndicatorsFixed
    );
    let actual = |v: f64| Actual {
        value: Some(v),
        numerator: None,
        denominator: None,
    };
    assert_eq!(
        refusal(
            db.record_actual(a, actual(1.0), "", Party::Evaluator, None)
                .await
        ),
        R::EvaluatorCannotEditIndicators
    );
    db.record_actual(
        a,
        actual(actuals.0),
        "참여자 명부",
        Party::Implementer,
        None,
    )
    .await
    .unwrap();
    db.record_actual(b, actual(actuals.1), "", Party::Implementer, None)
        .await
        .unwrap();
    go(
        CycleEvent::SelfAssess {
            narrative: "참여가 늘었다".into(),
        },
        Party::Implementer,
    )
    .await
    .unwrap();
    go(CycleEvent::OpenReview, Party::LevelAbove).await.unwrap();
    cycle
}

async fn score_all(db: &Db, cycle: i64, evaluators: &[(i64, i64)]) {
    for criterion in db.rubric().await.unwrap() {
        for (evaluator, score) in evaluators {
            db.score_cycle(
                cycle,
                criterion.id,
                *evaluator,
                Party::Evaluator,
                *score,
                "",
            )
            .await
            .unwrap();
        }
    }
}

async fn the_cycle_refuses_out_of_turn_and_grades_from_its_indicators_and_scores(db: Db) {
    let tree = tree(&db).await;
    let jongno = tree.by_code("11110").unwrap().id;
    // Participants 400 → 600 reached 550 (750 ‰); waiting days 30 → 10 reached 14 (800 ‰): A = 775.
    let cycle = cycle_in_review(&db, jongno, 2026, (550.0, 14.0)).await;
    assert!(
        matches!(
            db.create_evaluation_cycle(jongno, 2026).await,
            Err(DbError::Refused(Refusal::AlreadyExists))
        ),
        "one cycle per scope and year"
    );
    let e1 = user(&db, "e1@example.org").await;
    let e2 = user(&db, "e2@example.org").await;
    let criterion = db.rubric().await.unwrap()[0].id;
    assert_eq!(
        refusal(
            db.score_cycle(cycle, criterion, e1, Party::Implementer, 3, "")
                .await
        ),
        R::NotEvaluator
    );
    assert_eq!(
        refusal(
            db.score_cycle(cycle, criterion, e1, Party::Evaluator, 6, "")
                .await
        ),
        R::ScoreOutOfRange { max: 5 }
    );
    assert_eq!(
        refusal(
            db.grade_evaluation_cycle(cycle, Party::LevelAbove, None)
                .await
        ),
        R::NoScores
    );
    // Two evaluators: 4 and 5 of 5 on every criterion → R = 900; a later score replaces the first.
    score_all(&db, cycle, &[(e1, 2), (e2, 5)]).await;
    score_all(&db, cycle, &[(e1, 4)]).await;
    assert_eq!(db.cycle_scores(cycle).await.unwrap().len(), 8);
    // A district cannot grade itself.
    assert_eq!(
        refusal(
            db.grade_evaluation_cycle(cycle, Party::Implementer, None)
                .await
        ),
        R::GradeOwnScope
    );
    let result = db
        .grade_evaluation_cycle(cycle, Party::LevelAbove, None)
        .await
        .unwrap();
    // P = (600 · 775 + 400 · 900) / 1000 = 825 → 나.
    assert_eq!(result.achievement_permille, Some(775));
    assert_eq!(result.rubric_permille, 900);
    assert_eq!(result.points_permille, 825);
    assert_eq!(result.letter, GradeLetter::Na);
    let stored = db.evaluation_cycle(cycle).await.unwrap().unwrap();
    assert_eq!(stored.state, CycleState::Graded);
    assert_eq!(stored.grade.0, Some(GradeLetter::Na));
    assert_eq!(stored.points, Some(825));
    assert_eq!(db.scope_figures(&[jongno]).await.unwrap()[0].grade, 3);
    assert_eq!(db.evaluation_cycle_log(cycle).await.unwrap().len(), 4);
    assert_eq!(
        refusal(
            db.grade_evaluation_cycle(cycle, Party::LevelAbove, None)
                .await
        ),
        R::NotAllowed {
            state: "evaluation-state-graded",
            event: "evaluation-event-grade"
        }
    );
    // Roll-up: the participants indicator of the district, summed over the scopes asked for.
    let values = db
        .indicator_values("participants", 2026, &[jongno])
        .await
        .unwrap();
    assert_eq!(values, vec![(jongno, 550.0)]);
}

async fn changing_a_grade_changes_next_years_envelope_by_exactly_the_formula(db: Db) {
    let tree = tree(&db).await;
    let city = tree.by_code("11").unwrap().id;
    let jongno = tree.by_code("11110").unwrap().id;
    db.seed_district_population().await.unwrap();
    let districts: Vec<i64> = tree
        .children(city)
        .filter(|s| s.kind == ScopeKind::District)
        .map(|s| s.id)
        .collect();
    // Every district graded 다 (figure 2) last year.
    for f in db.scope_figures(&districts).await.unwrap() {
        db.set_scope_figures(f.scope_id, f.population, 1, 2)
            .await
            .unwrap();
    }
    let (_, top) = db
        .create_cycle(city, 2027, 10_000_000_000, None)
        .await
        .unwrap();
    let formula = Formula::DEFAULT;
    let before_figures = db.scope_figures(&districts).await.unwrap();
    db.split_envelope(top, &formula, &before_figures, None)
        .await
        .unwrap();
    let before = db.latest_envelope_of(jongno).await.unwrap().unwrap();

    // Jongno-gu's 2026 evaluation grades it 가 (figure 4): all targets met, full marks.
    let cycle = cycle_in_review(&db, jongno, 2026, (600.0, 10.0)).await;
    let e1 = user(&db, "e1@example.org").await;
    score_all(&db, cycle, &[(e1, 5)]).await;
    let result = db
        .grade_evaluation_cycle(cycle, Party::LevelAbove, None)
        .await
        .unwrap();
    assert_eq!(result.letter, GradeLetter::Ga);
    let after_figures = db.scope_figures(&districts).await.unwrap();
    assert_eq!(
        after_figures
            .iter()
            .find(|f| f.scope_id == jongno)
            .unwrap()
            .grade,
        4
    );
    db.split_envelope(top, &formula, &after_figures, None)
        .await
        .unwrap();
    let after = db.latest_envelope_of(jongno).await.unwrap().unwrap();

    // Exactly the formula: the stored envelopes are the domain's split of the figures before and after.
    let expected = |figures| {
        let s = split(10_000_000_000, &formula, figures).unwrap();
        let share = s
            .children
            .into_iter()
            .find(|c| c.scope_id == jongno)
            .unwrap();
        (share.amount as i64, share.terms[3].1 as i64)
    };
    assert_eq!(
        (before.amount, before.term_grade),
        expected(&before_figures)
    );
    assert_eq!((after.amount, after.term_grade), expected(&after_figures));
    assert!(
        after.amount > before.amount,
        "{} → {}",
        before.amount,
        after.amount
    );
    // Only the grade term moved: its pot (10 % of the 80 % handed down) is shared 4 : 2 · 24 + 4 now.
    let pot = 10_000_000_000i64 * 800 / 1000 / 10;
    assert_eq!(before.term_grade, pot * 2 / 50);
    assert!(
        (after.term_grade - pot * 4 / 52).abs() <= 1,
        "{}",
        after.term_grade
    );
    assert_eq!(after.term_base, before.term_base);
    assert_eq!(after.term_population, before.term_population);
}

async fn participation_counts_voters_by_home_and_forum_participants_by_scope(db: Db) {
    use maeul_db::forums::NewConversation;
    use maeul_domain::forum::{
        ConversationEvent, ModerationMode, Participation, StatementState, VoteValue,
    };
    let (process_id, sajik) = process(&db, BallotKind::Approval, 3).await;
    let projects = to_voting(&db, process_id, &[10_000_000, 20_000_000]).await;
    let tree = tree(&db).await;
    let cheongun = tree.by_code("1111051500").unwrap().id;
    let jongno = tree.by_code("11110").unwrap().id;
    // Three residents of Sajik-dong and one of Cheongunhyoja-dong vote; one of them changes their ballot
    // (still one ballot, one voter).
    for (i, home) in [sajik, sajik, sajik, cheongun].into_iter().enumerate() {
        let voter = user(&db, &format!("voter{i}@example.org")).await;
        for _ in 0..=usize::from(i == 0) {
            db.cast_ballot(
                process_id,
                voter,
                Some(home),
                &projects[i % 2].to_string(),
                VoteChannel::Online,
            )
            .await
            .unwrap();
        }
    }
    let turnout = db
        .turnout_by_home_scope(&[jongno, sajik, cheongun])
        .await
        .unwrap();
    let of = |id: i64| {
        turnout
            .iter()
            .find(|t| t.scope_id == id)
            .map(|t| (t.voters, t.ballots))
    };
    assert_eq!(of(sajik), Some((3, 3)));
    assert_eq!(of(cheongun), Some((1, 1)));
    assert_eq!(of(jongno), None, "nobody lives at the district level");
    assert!(
        db.turnout_by_home_scope(&[cheongun + 1_000_000])
            .await
            .unwrap()
            .is_empty(),
        "only the scopes asked for"
    );
    assert!(db.turnout_by_home_scope(&[]).await.unwrap().is_empty());

    // A conversation in Jongno-gu: its organiser writes a statement, two more join (one of them also
    // writes), a reserved pseudonym votes; a draft conversation in Sajik-dong counts for nothing.
    let organiser = user(&db, "organiser@example.org").await;
    let new = |scope_id| NewConversation {
        scope_id,
        object: None,
        topic: "통학로",
        description: "",
        participation: Participation::SignedIn,
        moderation: ModerationMode::Post,
        created_by: Some(organiser),
    };
    let open = db.create_conversation(&new(jongno)).await.unwrap();
    db.transition_conversation(open, Some(organiser), &ConversationEvent::Open)
        .await
        .unwrap();
    let draft = db.create_conversation(&new(sajik)).await.unwrap();
    let p0 = db.forum_participant(open, organiser).await.unwrap();
    let statement = db
        .add_statement(
            open,
            Some((organiser, p0)),
            "더 넓은 인도",
            StatementState::Accepted,
        )
        .await
        .unwrap();
    let a = user(&db, "a@example.org").await;
    let b = user(&db, "b@example.org").await;
    let pa = db.forum_participant(open, a).await.unwrap();
    let pb = db.forum_participant(open, b).await.unwrap();
    db.add_statement(open, Some((b, pb)), "횡단보도", StatementState::Pending)
        .await
        .unwrap();
    db.cast_forum_vote(open, statement, pa, VoteValue::Agree)
        .await
        .unwrap();
    db.cast_forum_vote(open, statement, pa, VoteValue::Disagree)
        .await
        .unwrap();
    let reserved = db.reserve_forum_pseudonyms(open, 1).await.unwrap();
    db.cast_forum_vote(open, statement, reserved, VoteValue::Pass)
        .await
        .unwrap();
    db.forum_participant(draft, a).await.unwrap();
    let forums = db
        .forum_participation_by_scope(&[jongno, sajik])
        .await
        .unwrap();
    assert_eq!(forums.len(), 1, "the draft is not counted: {forums:?}");
    assert_eq!(forums[0].scope_id, jongno);
    assert_eq!(forums[0].conversations, 1);
    assert_eq!(
        forums[0].participants, 4,
        "organiser, a, b and the reserved pseudonym"
    );
    assert!(
        db.forum_participation_by_scope(&[sajik])
            .await
            .unwrap()
            .is_empty()
    );
}

async fn a_grant_born_project_links_back_to_its_award_and_organization(db: Db) {
    use maeul_db::cooperation::{NewGrantCall, OrgInput};
    use maeul_domain::cooperation::{Eligibility, Field, OrgKind, Ranked};
    let tree = tree(&db).await;
    let jongno = tree.by_code("11110").unwrap().id;
    let applicant = user(&db, "applicant@example.org").await;
    let org = db
        .create_organization(
            &OrgInput {
                scope_id: jongno,
                name: "골목 정원 모임",
                kind: OrgKind::CommunityGroup,
                purpose: "",
                fields: &[Field::Safety],
                contact: "",
            },
            applicant,
        )
        .await
        .unwrap();
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
    let by_org = db
        .apply_for_grant(call, Some(org), applicant, "골목 정원", "", 3_000_000)
        .await
        .unwrap();
    let by_residents = db
        .apply_for_grant(call, None, applicant, "골목 벽화", "", 2_000_000)
        .await
        .unwrap();
    let ranked = |id, rank| Ranked {
        id,
        rank,
        mean: 9_000,
        awarded: true,
    };
    db.publish_grant_results(call, &[ranked(by_org, 1), ranked(by_residents, 2)])
        .await
        .unwrap();
    let tracked = db.track_grant_awards(call).await.unwrap();
    assert_eq!(tracked.len(), 2);
    assert_eq!(
        db.trace_grant_of_tracked(tracked[0]).await.unwrap(),
        Some(by_org)
    );
    assert_eq!(
        db.trace_tracked_of_grant(by_org).await.unwrap(),
        Some(tracked[0])
    );
    assert_eq!(db.trace_grant_call_of(by_org).await.unwrap(), Some(call));
    let award = db.trace_grant_application(by_org).await.unwrap().unwrap();
    assert_eq!(
        (award.id, award.title.as_str(), award.scope_id),
        (by_org, "골목 정원", jongno)
    );
    let organization = db.trace_grant_organization(by_org).await.unwrap().unwrap();
    assert_eq!(
        (organization.id, organization.title.as_str()),
        (org, "골목 정원 모임")
    );
    // An award to residents without an organization has none; a project from elsewhere has no grant.
    assert_eq!(
        db.trace_grant_of_tracked(tracked[1]).await.unwrap(),
        Some(by_residents)
    );
    assert!(
        db.trace_grant_organization(by_residents)
            .await
            .unwrap()
            .is_none()
    );
    let other = db
        .create_tracked_project(&NewTrackedProject {
            scope_id: jongno,
            parent_id: None,
            year: 2026,
            title: "직접 추진",
            weight: 1,
            budget: 0,
        })
        .await
        .unwrap();
    assert_eq!(db.trace_grant_of_tracked(other).await.unwrap(), None);
}
