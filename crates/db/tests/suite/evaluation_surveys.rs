//! Storage of migration 0016, on SQLite and on PostgreSQL: surveys answered once per person (the unique
//! index holds under concurrent responses), closed surveys refuse, answers stored as typed; later periods'
//! targets and disaggregations only in their turn; the updates' import all or nothing.

use maeul_db::evaluation::{NewIndicator, NewSurvey, NewTrackedProject, NewUpdate};
use maeul_db::{Db, DbError};
use maeul_domain::evaluation::{
    Aggregation, Answer, Better, CycleEvent, Dimension, EvaluationRefusal as R, IndicatorKind,
    IndicatorLevel, Party, QuestionKind, SurveyState, SurveySubject, UpdateState,
};
use maeul_domain::{Refusal, ScopeKind, ScopeTree};

maeul_testkit::backend_tests!(
    a_survey_is_answered_once_per_person_even_concurrently,
    later_targets_and_disaggregations_are_recorded_in_their_turn,
    an_import_of_updates_is_all_or_nothing,
);

fn refusal(result: Result<impl std::fmt::Debug, DbError>) -> R {
    match result {
        Err(DbError::Refused(Refusal::Evaluation(r))) => r,
        other => panic!("expected an evaluation refusal, got {other:?}"),
    }
}

async fn district(db: &Db) -> i64 {
    db.seed_seoul_if_empty().await.unwrap();
    let tree = ScopeTree::new(db.load_scopes().await.unwrap()).unwrap();
    tree.all()
        .iter()
        .find(|s| s.kind == ScopeKind::District)
        .unwrap()
        .id
}

async fn user(db: &Db, email: &str) -> i64 {
    maeul_testkit::create_user(db, email, email).await.unwrap()
}

async fn a_survey_is_answered_once_per_person_even_concurrently(db: Db) {
    let scope = district(&db).await;
    let questions = [
        (QuestionKind::Likert, "만족하십니까?".to_owned()),
        (QuestionKind::ShortAnswer, "바라는 점".to_owned()),
    ];
    let id = db
        .create_survey(&NewSurvey {
            scope_id: scope,
            year: 2026,
            subject: SurveySubject::Scope,
            subject_id: None,
            title: "만족도 조사",
            intro: "",
            questions: &questions,
            created_by: None,
        })
        .await
        .unwrap();
    let qs = db.survey_questions(id).await.unwrap();
    assert_eq!(qs.len(), 2);
    assert_eq!(qs[0].kind, QuestionKind::Likert);
    let a = user(&db, "a@example.org").await;
    let b = user(&db, "b@example.org").await;
    let answers = vec![
        (qs[0].id, Answer::Likert(4)),
        (qs[1].id, Answer::Text("더 많이".into())),
    ];
    assert_eq!(
        refusal(db.respond_to_survey(id, a, false, &answers).await),
        R::NotResidentOfScope
    );
    // Eight concurrent responses of one person: exactly one is stored, the rest refused.
    let mut tasks = vec![];
    for _ in 0..8 {
        let (db, answers) = (db.clone(), answers.clone());
        tasks.push(tokio::spawn(async move {
            db.respond_to_survey(id, a, true, &answers).await
        }));
    }
    let mut stored = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => stored += 1,
            Err(e) => assert_eq!(refusal(Err::<i64, _>(e)), R::AlreadyResponded),
        }
    }
    assert_eq!(stored, 1);
    assert!(db.has_responded(id, a).await.unwrap());
    db.respond_to_survey(
        id,
        b,
        true,
        &[(qs[0].id, Answer::Likert(2)), (qs[1].id, Answer::Skipped)],
    )
    .await
    .unwrap();
    assert_eq!(db.survey(id).await.unwrap().unwrap().responses, 2);
    assert_eq!(
        db.survey_likert_answers(id).await.unwrap(),
        vec![(qs[0].id, 4), (qs[0].id, 2)]
    );
    assert_eq!(
        db.survey_text_answers(id).await.unwrap(),
        vec![(qs[1].id, "더 많이".to_owned())]
    );
    // A question of another survey is not an answer here.
    let c = user(&db, "c@example.org").await;
    assert!(matches!(
        db.respond_to_survey(id, c, true, &[(qs[1].id + 1000, Answer::Likert(3))])
            .await,
        Err(DbError::NotFound)
    ));
    assert_eq!(db.surveys_of_cycle(scope, 2026).await.unwrap().len(), 1);
    assert!(db.surveys_of_cycle(scope, 2025).await.unwrap().is_empty());
    db.close_survey(id).await.unwrap();
    assert_eq!(
        db.survey(id).await.unwrap().unwrap().state,
        SurveyState::Closed
    );
    assert!(matches!(
        db.close_survey(id).await,
        Err(DbError::Refused(Refusal::Stale))
    ));
    assert_eq!(
        refusal(db.respond_to_survey(id, c, true, &answers).await),
        R::SurveyClosed
    );
    assert_eq!(db.survey(id).await.unwrap().unwrap().responses, 2);
}

async fn later_targets_and_disaggregations_are_recorded_in_their_turn(db: Db) {
    let scope = district(&db).await;
    let cycle = db.create_evaluation_cycle(scope, 2026).await.unwrap();
    let indicator = db
        .add_indicator(
            &NewIndicator {
                cycle_id: cycle,
                project_id: None,
                code: "participants",
                name: "참여 인원",
                level: IndicatorLevel::Process,
                kind: IndicatorKind::Number,
                better: Better::Higher,
                aggregation: Aggregation::Sum,
                unit: "명",
                baseline: Some((2025, 400.0)),
                target: Some(600.0),
            },
            Party::Implementer,
        )
        .await
        .unwrap();
    assert_eq!(
        refusal(
            db.set_period_target(indicator, 2027, 700.0, Party::Evaluator)
                .await
        ),
        R::EvaluatorCannotEditIndicators
    );
    db.set_period_target(indicator, 2027, 700.0, Party::Implementer)
        .await
        .unwrap();
    db.set_period_target(indicator, 2028, 800.0, Party::Implementer)
        .await
        .unwrap();
    assert_eq!(
        db.indicator_periods(indicator).await.unwrap(),
        vec![
            (2026, Some(600.0), None),
            (2027, Some(700.0), None),
            (2028, Some(800.0), None)
        ]
    );
    let split = vec![("여성".to_owned(), 350.0), ("남성".to_owned(), 250.5)];
    assert_eq!(
        refusal(
            db.set_disaggregation(indicator, Dimension::Gender, &split, Party::Implementer)
                .await
        ),
        R::NotMeasuring
    );
    db.transition_evaluation_cycle(cycle, Party::Implementer, None, &CycleEvent::StartMeasuring)
        .await
        .unwrap();
    assert_eq!(
        refusal(
            db.set_period_target(indicator, 2029, 1.0, Party::Implementer)
                .await
        ),
        R::IndicatorsFixed
    );
    db.set_disaggregation(indicator, Dimension::Gender, &split, Party::Implementer)
        .await
        .unwrap();
    // Replacing a dimension's breakdown keeps only the new categories; other dimensions stay.
    db.set_disaggregation(
        indicator,
        Dimension::AgeBand,
        &[("20–39".to_owned(), 300.0)],
        Party::Implementer,
    )
    .await
    .unwrap();
    db.set_disaggregation(
        indicator,
        Dimension::Gender,
        &[("여성".to_owned(), 360.0), ("남성".to_owned(), 240.0)],
        Party::Implementer,
    )
    .await
    .unwrap();
    let rows = db.cycle_disaggregations(cycle).await.unwrap();
    let seen: Vec<(Dimension, &str, f64)> = rows
        .iter()
        .map(|r| (r.dimension, r.category.as_str(), r.value()))
        .collect();
    assert_eq!(
        seen,
        vec![
            (Dimension::AgeBand, "20–39", 300.0),
            (Dimension::Gender, "여성", 360.0),
            (Dimension::Gender, "남성", 240.0),
        ]
    );
    assert!(rows.iter().all(|r| r.year == 2026));
}

async fn an_import_of_updates_is_all_or_nothing(db: Db) {
    let scope = district(&db).await;
    let author = user(&db, "staff@example.org").await;
    let project = db
        .create_tracked_project(&NewTrackedProject {
            scope_id: scope,
            parent_id: None,
            year: 2026,
            title: "공공자전거",
            weight: 1,
            budget: 1000,
        })
        .await
        .unwrap();
    let evidence = vec![("https://example.org/p.jpg".to_owned(), "사진".to_owned())];
    let good = NewUpdate {
        project_id: project,
        author_id: author,
        body: "1차 설치",
        progress: 40,
        spent: Some(400),
        evidence: &evidence,
    };
    // The second row names no project: the whole batch fails and nothing is written.
    let bad = NewUpdate {
        project_id: project + 999_999,
        ..good.clone()
    };
    assert!(db.import_updates(&[good.clone(), bad]).await.is_err());
    assert!(db.tracked_updates(project).await.unwrap().is_empty());
    let out_of_range = NewUpdate {
        progress: 101,
        ..good.clone()
    };
    assert_eq!(
        refusal(db.import_updates(&[good.clone(), out_of_range]).await),
        R::ProgressOutOfRange
    );
    let ids = db
        .import_updates(&[
            good.clone(),
            NewUpdate {
                progress: 60,
                ..good.clone()
            },
        ])
        .await
        .unwrap();
    assert_eq!(ids.len(), 2);
    let stored = db.tracked_updates(project).await.unwrap();
    assert_eq!(stored.len(), 2);
    assert!(stored.iter().all(|u| u.state == UpdateState::Submitted));
    assert_eq!(db.update_evidence(ids[0]).await.unwrap().len(), 1);
    // Imported updates count only once verified, by someone else.
    let project_row = db.tracked_project(project).await.unwrap().unwrap();
    assert_eq!(project_row.progress, 0);
}
