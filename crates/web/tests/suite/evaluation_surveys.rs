//! Surveys, cycles and indicators over HTTP, on SQLite and on PostgreSQL: the demo's survey on Jongno-gu's
//! 2026 cycle with its results (page, API) as the cycle's evidence; residents of the scope answer once
//! (pages and API), others are refused; staff open surveys and cycles and define indicators with their
//! periods and breakdowns, field by field; residents and evaluators are refused.
use crate::harness::*;
use maeul_domain::evaluation::{CycleEvent, Dimension, Party, SurveyState};
use reqwest::StatusCode;
use serde_json::{Value, json};

app_tests!(
    residents_of_the_scope_answer_a_survey_once_and_its_results_feed_the_cycle,
    staff_open_surveys_cycles_and_indicators_others_are_refused,
    staff_import_updates_all_or_nothing_with_every_bad_row_named,
    the_api_lists_updates_indicators_evaluations_and_surveys_and_takes_updates_from_staff,
);

const JONGNO: &str = "11110";

async fn get_json(app: &App, path: &str) -> (StatusCode, Value) {
    let r = reqwest::get(app.url(path)).await.unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn post_json(app: &App, path: &str, token: Option<&str>, body: Value) -> (StatusCode, Value) {
    let mut r = reqwest::Client::new().post(app.url(path)).json(&body);
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    let r = r.send().await.unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn demo_survey(app: &App) -> i64 {
    let jongno = app.state.scopes().by_code(JONGNO).unwrap().id;
    let surveys = app.db.surveys_of_cycle(jongno, 2026).await.unwrap();
    surveys
        .first()
        .expect("the demo has a 2026 survey in Jongno-gu")
        .id
}

async fn residents_of_the_scope_answer_a_survey_once_and_its_results_feed_the_cycle(app: App) {
    let survey = demo_survey(&app).await;
    // Its results: seeded responses, with a mean and its interval for the Likert questions.
    let (status, results) = get_json(&app, &format!("/api/v1/surveys/{survey}/results")).await;
    assert_eq!(status, StatusCode::OK, "{results}");
    let seeded = results["responses"].as_i64().unwrap();
    assert!(seeded >= 20, "{results}");
    let first = &results["questions"][0];
    assert_eq!(first["kind"], "likert");
    let counts: i64 = first["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_i64().unwrap())
        .sum();
    assert_eq!(counts, first["n"].as_i64().unwrap());
    let mean = first["mean"].as_f64().unwrap();
    let (low, high) = (
        first["mean_ci"]["low"].as_f64().unwrap(),
        first["mean_ci"]["high"].as_f64().unwrap(),
    );
    assert!(
        low < mean && mean < high && low >= 0.0 && high <= 6.0,
        "{first}"
    );
    assert_eq!(results["questions"][2]["kind"], "short_answer");
    assert!(
        !results["questions"][2]["answers"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let (_, described) = get_json(&app, &format!("/api/v1/surveys/{survey}")).await;
    assert_eq!(described["scope_code"], JONGNO);
    assert_eq!(described["questions"].as_array().unwrap().len(), 3);
    // The cycle page shows it as evidence.
    let jongno = app.state.scopes().by_code(JONGNO).unwrap().id;
    let cycle = app
        .db
        .evaluation_cycles_in(&[jongno])
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.year == 2026)
        .unwrap();
    let mut anon = app.browser();
    let (status, page) = anon.get(&format!("/evaluation-cycles/{}", cycle.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("cycle-surveys") && page.contains("survey-headline"),
        "evidence shown"
    );
    let (status, page) = anon.get(&format!("/surveys/{survey}/results")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("likert-1"), "the results table");

    // The demo resident (Cheongun-dong, in Jongno-gu) answers on the page: a bad answer names its field.
    let mut resident = app.signed_in("resident@demo.maeul.kr").await;
    let (status, page) = resident.get(&format!("/surveys/{survey}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("survey-answer-form"));
    let path = format!("/surveys/{survey}/responses");
    let (status, page, _) = resident.post(&path, &[("q1", "9"), ("q2", "4")]).await;
    assert_eq!(status.as_u16(), 422);
    assert!(page.contains("q1-error"), "the refused answer is named");
    let me = app
        .db
        .user_by_email("resident@demo.maeul.kr")
        .await
        .unwrap()
        .unwrap()
        .id;
    assert!(
        !app.db.has_responded(survey, me).await.unwrap(),
        "nothing stored"
    );
    let (status, _, location) = resident
        .post(&path, &[("q1", "4"), ("q2", "5"), ("q3", "좋아요")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{location:?}");
    assert!(app.db.has_responded(survey, me).await.unwrap());
    let (status, page, _) = resident.post(&path, &[("q1", "1")]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains("survey-alert"));
    // Once, whichever way: the API refuses the second response too.
    let resident_token = token(&app, "resident@demo.maeul.kr").await;
    let answer = json!({"answers": [{"position": 1, "answer": "3"}]});
    let api_path = format!("/api/v1/surveys/{survey}/responses");
    let (status, body) = post_json(&app, &api_path, Some(&resident_token), answer.clone()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "already_responded");
    let (status, _) = post_json(&app, &api_path, None, answer.clone()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // A verified resident of Sajik-dong (in Jongno-gu) answers by the API.
    let member = token(&app, "member@demo.maeul.kr").await;
    let bad = json!({"answers": [{"position": 2, "answer": "zero"}]});
    let (status, body) = post_json(&app, &api_path, Some(&member), bad).await;
    assert_eq!(status.as_u16(), 422, "{body}");
    let (status, body) = post_json(&app, &api_path, Some(&member), answer).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert!(body["id"].as_i64().is_some());
    // A verified resident of another district is refused, on the page and by the API.
    let tree = app.state.scopes();
    let gangnam = tree.by_code("11680").unwrap().id;
    let dong = tree.children(gangnam).next().unwrap().code.clone();
    let (mut outsider, _) =
        verified_resident(&app, "강남 주민", "gangnam@example.org", &dong).await;
    let (status, page) = outsider.get(&format!("/surveys/{survey}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("survey-why-not") && !page.contains("survey-answer-form"));
    let (status, _, _) = outsider.post(&path, &[("q1", "5")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, after) = get_json(&app, &format!("/api/v1/surveys/{survey}/results")).await;
    assert_eq!(after["responses"].as_i64().unwrap(), seeded + 2);
}

async fn staff_open_surveys_cycles_and_indicators_others_are_refused(app: App) {
    // Surveys: staff only; every field refused by name; nothing written when refused.
    let mut resident = app.signed_in("resident@demo.maeul.kr").await;
    resident.get("/scopes/11110/surveys").await;
    let (status, _, _) = resident
        .post("/scopes/11110/surveys", &[("title", "x"), ("year", "2026")])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let jongno = app.state.scopes().by_code(JONGNO).unwrap().id;
    let before = app.db.surveys_in(&[jongno]).await.unwrap().len();
    let mut staff = app.signed_in("staff@demo.maeul.kr").await;
    let (status, page) = staff.get("/scopes/11110/surveys").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("survey-form"));
    let (status, page, _) = staff
        .post(
            "/scopes/11110/surveys",
            &[
                ("title", ""),
                ("year", "20x6"),
                ("subject", "tracked_project"),
                ("subject_id", "999999"),
                ("kind1", "likert"),
                ("prompt1", ""),
            ],
        )
        .await;
    assert_eq!(status.as_u16(), 422);
    for field in [
        "title-error",
        "year-error",
        "subject-id-error",
        "prompt1-error",
    ] {
        assert!(page.contains(field), "{field} named");
    }
    assert_eq!(app.db.surveys_in(&[jongno]).await.unwrap().len(), before);
    let (status, _, location) = staff
        .post(
            "/scopes/11110/surveys",
            &[
                ("title", "협치 만족도"),
                ("year", "2027"),
                ("subject", "scope"),
                ("kind1", "likert"),
                ("prompt1", "만족하십니까?"),
                ("kind2", "short_answer"),
                ("prompt2", "의견"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{location:?}");
    let created = id_after(&location, "/surveys/");
    assert_eq!(app.db.survey_questions(created).await.unwrap().len(), 2);
    // Closing is the staff's; a resident is refused, and a closed survey refuses answers.
    let (status, _, _) = resident
        .post(&format!("/surveys/{created}/close"), &[])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = staff.post(&format!("/surveys/{created}/close"), &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.db.survey(created).await.unwrap().unwrap().state,
        SurveyState::Closed
    );
    let (status, _, _) = resident
        .post(&format!("/surveys/{created}/responses"), &[("q1", "5")])
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Cycles: staff open one per year; residents are refused.
    let (status, _, _) = resident
        .post("/scopes/11110/evaluations", &[("year", "2028")])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    staff.get("/scopes/11110/evaluations").await;
    let (status, page, _) = staff
        .post("/scopes/11110/evaluations", &[("year", "soon")])
        .await;
    assert_eq!(status.as_u16(), 422);
    assert!(page.contains("year-error"));
    let (status, _, location) = staff
        .post("/scopes/11110/evaluations", &[("year", "2028")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let cycle = id_after(&location, "/evaluation-cycles/");
    let (status, _, _) = staff
        .post("/scopes/11110/evaluations", &[("year", "2028")])
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "one cycle per scope and year");

    // Indicators: the evaluator is refused whatever they type; staff's fields are checked by name.
    let path = format!("/evaluation-cycles/{cycle}/indicators");
    let mut evaluator = app.signed_in("evaluator@demo.maeul.kr").await;
    evaluator.get(&format!("/evaluation-cycles/{cycle}")).await;
    let (status, _, _) = evaluator.post(&path, &[("code", "x")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = resident.post(&path, &[("code", "x")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    staff.get(&format!("/evaluation-cycles/{cycle}")).await;
    let good = [
        ("code", "shade.shelters"),
        ("name", "그늘막 쉼터 수"),
        ("level", "output"),
        ("kind", "number"),
        ("better", "higher"),
        ("aggregation", "sum"),
        ("unit", "곳"),
        ("baseline_year", "2027"),
        ("baseline", "10"),
        ("target", "20"),
        ("periods", "2029 25\n2030 30"),
    ];
    let mut bad = good.to_vec();
    bad[0] = ("code", "그늘막");
    bad[2] = ("level", "impact");
    bad[8] = ("baseline", "");
    bad[10] = ("periods", "2027 5");
    let (status, page, _) = staff.post(&path, &bad).await;
    assert_eq!(status.as_u16(), 422);
    for field in [
        "indicator-code-error",
        "indicator-baseline-error",
        "indicator-periods-error",
    ] {
        assert!(page.contains(field), "{field} named");
    }
    assert!(
        app.db.cycle_indicators(cycle).await.unwrap().is_empty(),
        "nothing written"
    );
    let (status, _, _) = staff.post(&path, &good).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (indicator, period) = app.db.cycle_indicators(cycle).await.unwrap().remove(0);
    assert_eq!(indicator.baseline(), Some(10.0));
    assert_eq!(period.unwrap().target(), Some(20.0));
    let years: Vec<i64> = app
        .db
        .indicator_periods(indicator.id)
        .await
        .unwrap()
        .iter()
        .map(|p| p.0)
        .collect();
    assert_eq!(years, vec![2028, 2029, 2030]);

    // Breakdowns: only while measuring, only by the implementers.
    let breakdown = format!("/evaluation-indicators/{}/disaggregation", indicator.id);
    let fields = [("dimension", "gender"), ("breakdown", "여성 12\n남성 9")];
    let (status, _, _) = staff.post(&breakdown, &fields).await;
    assert_eq!(status, StatusCode::CONFLICT, "not measuring yet");
    app.db
        .transition_evaluation_cycle(cycle, Party::Implementer, None, &CycleEvent::StartMeasuring)
        .await
        .unwrap();
    let (status, _, _) = evaluator.post(&breakdown, &fields).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, page, _) = staff
        .post(
            &breakdown,
            &[("dimension", "gender"), ("breakdown", "여성")],
        )
        .await;
    assert_eq!(status.as_u16(), 422);
    assert!(page.contains("field-error"));
    let (status, _, _) = staff.post(&breakdown, &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let rows = app.db.cycle_disaggregations(cycle).await.unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r.dimension == Dimension::Gender));
    let (_, page) = staff.get(&format!("/evaluation-cycles/{cycle}")).await;
    assert!(page.contains("indicator-breakdown") && page.contains("여성"));
}

async fn staff_import_updates_all_or_nothing_with_every_bad_row_named(app: App) {
    let jongno = app.state.scopes().by_code(JONGNO).unwrap().id;
    let project = app
        .db
        .tracked_projects_in(&[jongno])
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.year == 2026)
        .unwrap()
        .id;
    let before = app.db.tracked_updates(project).await.unwrap().len();
    let path = "/scopes/11110/tracked-updates/import";
    let head = "project_id,progress,spent,body,evidence_url,evidence_label\n";
    let mut resident = app.signed_in("resident@demo.maeul.kr").await;
    resident.get("/").await;
    let good = format!(
        "{head}{project},90,,정류소 점검,https://example.org/a.jpg,사진\n{project},95,\"1,000\",보수,,\n"
    );
    let (status, _, _) = resident.post(path, &[("csv", &good)]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut staff = app.signed_in("staff@demo.maeul.kr").await;
    let (_, page) = staff.get("/scopes/11110/tracked-projects").await;
    assert!(page.contains("import-form"));
    // A project of another district, a progress over 100 and a short line: nothing is imported.
    let gangnam = app.state.scopes().by_code("11680").unwrap().id;
    let elsewhere = app
        .db
        .create_tracked_project(&maeul_db::evaluation::NewTrackedProject {
            scope_id: gangnam,
            parent_id: None,
            year: 2026,
            title: "강남 사업",
            weight: 1,
            budget: 1,
        })
        .await
        .unwrap();
    let bad = format!(
        "{head}{project},50,,ok,,\n{elsewhere},50,,ok,,\n{project},150,,ok,,\n{project},1\n"
    );
    let (status, page, _) = staff.post(path, &[("csv", &bad)]).await;
    assert_eq!(status.as_u16(), 422);
    assert!(page.contains("import-problems"));
    for named in ["3", "4", "5", "project_id", "progress"] {
        assert!(page.contains(named), "{named} named");
    }
    assert_eq!(
        app.db.tracked_updates(project).await.unwrap().len(),
        before,
        "all or nothing"
    );
    let (status, _, location) = staff.post(path, &[("csv", &good)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{location:?}");
    let updates = app.db.tracked_updates(project).await.unwrap();
    assert_eq!(updates.len(), before + 2);
    let last = updates.last().unwrap();
    assert_eq!((last.progress, last.spent), (95, Some(1000)));
    assert_eq!(last.state, maeul_domain::evaluation::UpdateState::Submitted);
}

async fn the_api_lists_updates_indicators_evaluations_and_surveys_and_takes_updates_from_staff(
    app: App,
) {
    let (status, list) = get_json(&app, "/api/v1/evaluations?scope=11110").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let cycle = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["scope_code"] == JONGNO && c["year"] == 2026)
        .expect("Jongno-gu's 2026 evaluation");
    assert_eq!(cycle["grade"], "na", "{cycle}");
    assert!(cycle["points_permille"].as_i64().unwrap() >= 750);
    let scored = cycle["criteria"].as_array().unwrap();
    assert!(
        scored
            .iter()
            .all(|c| c["scores"].as_array().unwrap().len() == 2),
        "{cycle}"
    );
    assert!(!cycle["survey_ids"].as_array().unwrap().is_empty());
    let id = cycle["id"].as_i64().unwrap();
    let (status, indicators) =
        get_json(&app, &format!("/api/v1/evaluation-cycles/{id}/indicators")).await;
    assert_eq!(status, StatusCode::OK);
    let first = &indicators[0];
    assert!(
        first["baseline"].as_f64().is_some() && first["periods"][0]["year"] == 2026,
        "{first}"
    );
    assert!(first["achievement_permille"].as_u64().is_some());
    // The map shows the measure chosen by a plain form (no JavaScript), its SVG too.
    let mut anon = app.browser();
    let (status, page) = anon.get("/scopes/11110/dashboard?measure=envelope").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("measure-form") && page.contains("value=\"envelope\" selected"));
    let (status, svg) = anon.get("/scopes/11/map.svg?measure=progress").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        svg.contains("<svg") && svg.contains("<title"),
        "the chosen measure's map"
    );
    let (_, default) = anon.get("/scopes/11/map.svg?measure=nonsense").await;
    let (_, proposals) = anon.get("/scopes/11/map.svg").await;
    assert_eq!(
        default, proposals,
        "an unknown measure falls back to proposals"
    );
    assert_ne!(svg, proposals);
    let (status, surveys) = get_json(&app, "/api/v1/surveys?scope=11110").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        surveys
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["responses"].as_i64().unwrap() > 0)
    );

    let jongno = app.state.scopes().by_code(JONGNO).unwrap().id;
    let project = app
        .db
        .tracked_projects_in(&[jongno])
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.year == 2026)
        .unwrap()
        .id;
    let path = format!("/api/v1/tracked-projects/{project}/updates");
    let (status, updates) = get_json(&app, &path).await;
    assert_eq!(status, StatusCode::OK);
    let before = updates.as_array().unwrap().len();
    assert!(
        updates
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["state"] == "verified")
    );
    let update = json!({"body": "안내판 교체", "progress": 100, "spent": 1000, "evidence_url": "https://example.org/sign.jpg"});
    let resident = token(&app, "resident@demo.maeul.kr").await;
    let (status, _) = post_json(&app, &path, Some(&resident), update.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let staff = token(&app, "staff@demo.maeul.kr").await;
    let (status, body) = post_json(
        &app,
        &path,
        Some(&staff),
        json!({"body": "x", "progress": 150}),
    )
    .await;
    assert_eq!(status.as_u16(), 422, "{body}");
    let (status, body) = post_json(&app, &path, Some(&staff), update).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["state"], "submitted");
    let (_, updates) = get_json(&app, &path).await;
    assert_eq!(updates.as_array().unwrap().len(), before + 1);
}
