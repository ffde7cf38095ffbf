//! The results-based evaluation over HTTP, on SQLite and on PostgreSQL: the demo's trace from a resident's
//! proposal to Jongno-gu's grade (and the grade in its 2027 envelope), and the permissions: an implementer
//! cannot verify their own update, an evaluator cannot edit indicators, a district cannot grade itself.
use crate::harness::*;
use maeul_db::evaluation::NewIndicator;
use maeul_domain::budget::envelope::split;
use maeul_domain::evaluation::{
    Aggregation, Better, CycleEvent, CycleState, GradeLetter, IndicatorKind, IndicatorLevel, Party,
    UpdateState,
};
use reqwest::StatusCode;
use serde_json::Value;

app_tests!(
    the_demo_trace_reaches_the_proposal_and_the_grade_sets_the_envelope,
    implementers_report_others_verify_evaluators_score_and_the_level_above_grades,
    the_dashboard_charts_and_map_are_svg_with_titles_and_downloads,
    the_dashboard_shows_turnout_by_neighbourhood_and_forum_participants,
    a_grant_born_project_is_traced_back_to_its_award_and_organization,
);

const JONGNO: &str = "11110";

async fn api(app: &App, path: &str) -> (StatusCode, Value) {
    let r = reqwest::get(app.url(path)).await.unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// The demo's tracked project of Jongno-gu's 2026 plan.
async fn demo_project(app: &App) -> i64 {
    let (status, list) = api(app, &format!("/api/v1/tracked-projects?scope={JONGNO}")).await;
    assert_eq!(status, StatusCode::OK);
    list.as_array()
        .unwrap()
        .iter()
        .find(|p| p["origin_kind"] == "plan_project" && p["year"] == 2026)
        .expect("the demo tracks Jongno-gu's 2026 plan project")["id"]
        .as_i64()
        .unwrap()
}

async fn the_demo_trace_reaches_the_proposal_and_the_grade_sets_the_envelope(app: App) {
    let project = demo_project(&app).await;
    let (_, list) = api(&app, &format!("/api/v1/tracked-projects?scope={JONGNO}")).await;
    // Sajik-dong (below Jongno-gu) has its counted winners tracked too.
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|p| p["scope_code"] == "1111053000"),
        "{list}"
    );
    let (status, trace) = api(
        &app,
        &format!("/api/v1/trace?kind=tracked_project&id={project}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{trace}");
    let steps = trace["steps"].as_array().unwrap();
    let kinds: Vec<&str> = steps.iter().map(|s| s["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds.first(), Some(&"proposal"), "{kinds:?}");
    for kind in [
        "agenda_item",
        "motion",
        "plan",
        "plan_project",
        "tracked_project",
        "milestone",
        "indicator",
    ] {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
    assert_eq!(kinds.last(), Some(&"evaluation"), "{kinds:?}");
    let position = |k: &str| kinds.iter().position(|x| *x == k).unwrap();
    assert!(position("proposal") < position("agenda_item"));
    assert!(position("agenda_item") < position("motion"));
    assert!(position("plan_project") < position("tracked_project"));
    assert_eq!(steps[0]["scope_code"], JONGNO);
    // The same trace from its proposal's side, and the readable timeline.
    let proposal = steps[0]["id"].as_i64().unwrap();
    let (_, from_proposal) = api(&app, &format!("/api/v1/trace?kind=proposal&id={proposal}")).await;
    assert_eq!(from_proposal["steps"], trace["steps"]);
    let (status, _) = api(&app, "/api/v1/trace?kind=proposal&id=999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = api(&app, "/api/v1/trace?kind=nonsense&id=1").await;
    assert_eq!(status.as_u16(), 422);
    let mut b = app.browser();
    let (status, page) = b
        .get(&format!("/trace?kind=tracked_project&id={project}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(steps[0]["title"].as_str().unwrap()));
    assert!(page.contains(&format!("href=\"/proposals/{proposal}\"")));

    // The grade: 가/나/다/라 from the demo's indicators and two evaluators, published, and its figure in
    // Jongno-gu's 2027 envelope exactly as the formula gives it.
    let jongno = app.state.scopes().by_code(JONGNO).unwrap().id;
    let cycle = app
        .db
        .evaluation_cycle_for(jongno, 2026)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(cycle.state, CycleState::Published);
    let grade = cycle.grade.0.expect("graded");
    assert_eq!(grade, GradeLetter::Na);
    let city = app.state.scopes().by_code("11").unwrap().id;
    let top = app.db.latest_envelope_of(city).await.unwrap().unwrap();
    let formula = top.formula().unwrap();
    assert!(formula.grade > 0);
    let districts: Vec<i64> = app.state.scopes().children(city).map(|s| s.id).collect();
    let figures = app.db.scope_figures(&districts).await.unwrap();
    assert_eq!(
        figures.iter().find(|f| f.scope_id == jongno).unwrap().grade,
        grade.figure()
    );
    let expected = split(top.amount as u64, &formula, &figures).unwrap();
    let share = expected
        .children
        .iter()
        .find(|c| c.scope_id == jongno)
        .unwrap();
    let stored = app.db.latest_envelope_of(jongno).await.unwrap().unwrap();
    assert_eq!(stored.amount as u64, share.amount);
    assert_eq!(stored.term_grade as u64, share.terms[3].1);
    let (status, page) = b.get(&format!("/evaluation-cycles/{}", cycle.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("id=\"grading-formula\""));
}

async fn implementers_report_others_verify_evaluators_score_and_the_level_above_grades(app: App) {
    let project = demo_project(&app).await;
    // The district's support staff report progress; their own update is not theirs to verify.
    let mut staff = app.signed_in("staff@demo.maeul.kr").await;
    staff.get(&format!("/tracked-projects/{project}")).await;
    let (status, _, _) = staff
        .post(
            &format!("/tracked-projects/{project}/updates"),
            &[("body", "쉼터 보수"), ("progress", "abc"), ("spent", "")],
        )
        .await;
    assert_eq!(
        status.as_u16(),
        422,
        "a progress that is not a number names its field"
    );
    let (status, _, location) = staff
        .post(
            &format!("/tracked-projects/{project}/updates"),
            &[
                ("body", "쉼터 2곳 그늘막 보수"),
                ("progress", "100"),
                ("spent", "89,000,000"),
                ("evidence_url", "https://example.org/photo.jpg"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{location:?}");
    let update = app
        .db
        .tracked_updates(project)
        .await
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(update.state, UpdateState::Submitted);
    let (status, page, _) = staff
        .post(
            &format!("/tracked-updates/{}/decision", update.id),
            &[("decision", "verify")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("evaluation-alert"), "the refusal is shown");
    assert_eq!(
        app.db
            .tracked_update(update.id)
            .await
            .unwrap()
            .unwrap()
            .state,
        UpdateState::Submitted
    );
    // A resident is no staff; the district's official verifies.
    let mut resident = app.signed_in("resident@demo.maeul.kr").await;
    resident.get("/").await;
    let (status, _, _) = resident
        .post(
            &format!("/tracked-updates/{}/decision", update.id),
            &[("decision", "verify")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut official = app.signed_in("official@demo.maeul.kr").await;
    official.get(&format!("/tracked-projects/{project}")).await;
    let (status, _, _) = official
        .post(
            &format!("/tracked-updates/{}/decision", update.id),
            &[("decision", "verify")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let p = app.db.tracked_project(project).await.unwrap().unwrap();
    assert_eq!((p.progress, p.spent), (100, 89_000_000));

    // A new cycle for Jongno-gu: the evaluator (of the city) cannot edit its indicators.
    let jongno = app.state.scopes().by_code(JONGNO).unwrap().id;
    let cycle = app.db.create_evaluation_cycle(jongno, 2027).await.unwrap();
    let indicator = app
        .db
        .add_indicator(
            &NewIndicator {
                cycle_id: cycle,
                project_id: None,
                code: "participants",
                name: "참여 주민 수",
                level: IndicatorLevel::Process,
                kind: IndicatorKind::Number,
                better: Better::Higher,
                aggregation: Aggregation::Sum,
                unit: "명",
                baseline: Some((2026, 264.0)),
                target: Some(320.0),
            },
            Party::Implementer,
        )
        .await
        .unwrap();
    let mut evaluator = app.signed_in("evaluator@demo.maeul.kr").await;
    evaluator.get(&format!("/evaluation-cycles/{cycle}")).await;
    let (status, page, _) = evaluator
        .post(
            &format!("/evaluation-indicators/{indicator}/target"),
            &[("target", "100")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("evaluation-alert"));
    let (status, _, _) = staff
        .post(
            &format!("/evaluation-indicators/{indicator}/target"),
            &[("target", "350")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // Through measuring and the self-assessment to the review (the city's step, by the db here).
    for (event, party) in [
        (CycleEvent::StartMeasuring, Party::Implementer),
        (
            CycleEvent::SelfAssess {
                narrative: "목표 대부분 달성".into(),
            },
            Party::Implementer,
        ),
        (CycleEvent::OpenReview, Party::LevelAbove),
    ] {
        app.db
            .transition_evaluation_cycle(cycle, party, None, &event)
            .await
            .unwrap();
    }
    // The evaluator scores against the rubric; staff cannot.
    let rubric = app.db.rubric().await.unwrap();
    let form: Vec<(String, String)> = rubric
        .iter()
        .map(|c| (format!("criterion-{}", c.id), "4".to_owned()))
        .collect();
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, _, _) = staff
        .post(&format!("/evaluation-cycles/{cycle}/scores"), &form)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    evaluator.get(&format!("/evaluation-cycles/{cycle}")).await;
    let (status, _, _) = evaluator
        .post(&format!("/evaluation-cycles/{cycle}/scores"), &form)
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.db.cycle_scores(cycle).await.unwrap().len(),
        rubric.len()
    );
    let (_, page) = evaluator.get(&format!("/evaluation-cycles/{cycle}")).await;
    assert!(page.contains("rubric-scores"));

    // A district cannot grade itself: Jongno-gu's official is refused, nothing changes.
    let (status, page, _) = official
        .post(
            &format!("/evaluation-cycles/{cycle}/state"),
            &[("event", "grade")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("evaluation-alert"));
    assert_eq!(
        app.db.evaluation_cycle(cycle).await.unwrap().unwrap().state,
        CycleState::ExternalReview
    );
    // Nor may the evaluator move the cycle.
    let (status, _, _) = evaluator
        .post(
            &format!("/evaluation-cycles/{cycle}/state"),
            &[("event", "grade")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn the_dashboard_charts_and_map_are_svg_with_titles_and_downloads(app: App) {
    let mut b = app.browser();
    let (status, page) = b.get(&format!("/scopes/{JONGNO}/dashboard")).await;
    assert_eq!(status, StatusCode::OK);
    // Four charts and the map, inline, each with a title; a data table beside them.
    assert!(page.matches("<svg").count() >= 5, "charts and map inline");
    for id in [
        "chart-participation",
        "chart-budget",
        "chart-progress",
        "chart-indicators",
    ] {
        assert!(page.contains(&format!("<title id=\"{id}-title\">")), "{id}");
    }
    assert!(page.contains("id=\"dashboard-table\""));
    assert!(
        page.contains("href=\"/scopes/1111053000\""),
        "Sajik-dong on the map"
    );
    // The indicators of the demo's 2026 evaluation.
    assert!(page.contains("id=\"dashboard-indicators\""));
    let en = b
        .get_lang(&format!("/scopes/{JONGNO}/dashboard"), "en")
        .await;
    assert!(en.contains("Indicator achievement"));

    // The map of the city's districts, each linked to its page.
    let r = reqwest::get(app.url("/scopes/11/map.svg")).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("image/svg+xml")
    );
    let svg = r.text().await.unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("<title id=\"map-title\">"));
    assert_eq!(svg.matches("<a href=\"/scopes/11").count(), 25);
    let (status, _) = api(&app, "/scopes/nope/map.svg").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Every figure as JSON and CSV.
    let (status, json) = api(&app, &format!("/scopes/{JONGNO}/dashboard.json")).await;
    assert_eq!(status, StatusCode::OK);
    let areas = json.as_array().unwrap();
    assert_eq!(
        areas.len(),
        app.state
            .scopes()
            .children(app.state.scopes().by_code(JONGNO).unwrap().id)
            .count()
    );
    assert!(
        areas
            .iter()
            .any(|a| a["tracked_projects"].as_i64().unwrap() > 0)
    );
    let r = reqwest::get(app.url(&format!("/scopes/{JONGNO}/dashboard.csv")))
        .await
        .unwrap();
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = r.text().await.unwrap();
    assert!(
        csv.trim_start_matches('\u{feff}')
            .starts_with("scope_code,proposals")
    );
    assert_eq!(csv.lines().count(), areas.len() + 1);
}

async fn the_dashboard_shows_turnout_by_neighbourhood_and_forum_participants(app: App) {
    let mut b = app.browser();
    let (status, page) = b.get(&format!("/scopes/{JONGNO}/dashboard")).await;
    assert_eq!(status, StatusCode::OK);
    for id in ["chart-turnout", "chart-forums"] {
        assert!(page.contains(&format!("<title id=\"{id}-title\">")), "{id}");
    }
    assert!(page.contains("id=\"participation-table\""));
    assert!(page.contains("href=\"/scopes/11110/participation.csv\""));
    let en = b
        .get_lang(&format!("/scopes/{JONGNO}/dashboard"), "en")
        .await;
    assert!(en.contains("Forum participants") && en.contains("Turnout"));

    // The figures: the district as a whole first, then each neighbourhood.
    let tree = app.state.scopes();
    let jongno = tree.by_code(JONGNO).unwrap().id;
    let (status, json) = api(&app, &format!("/scopes/{JONGNO}/participation.json")).await;
    assert_eq!(status, StatusCode::OK);
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), 1 + tree.children(jongno).count());
    let whole = &rows[0];
    assert_eq!(
        (whole["scope_code"].as_str(), whole["level"].as_str()),
        (Some(JONGNO), Some("scope"))
    );
    assert!(rows[1..].iter().all(|r| r["level"] == "area"));
    // The demo's forum is held at the district level; its voters live in Sajik-dong.
    assert!(
        whole["forum_conversations"].as_i64().unwrap() >= 1,
        "{whole}"
    );
    assert!(whole["forum_participants"].as_i64().unwrap() > 0, "{whole}");
    let sajik = rows
        .iter()
        .find(|r| r["scope_code"] == "1111053000")
        .unwrap();
    let voters = sajik["voters"].as_i64().unwrap();
    let population = sajik["population"].as_i64().unwrap();
    assert!(voters > 0 && population > 0, "{sajik}");
    assert_eq!(
        sajik["turnout_basis_points"].as_i64().unwrap(),
        (voters * 10_000 + population / 2) / population,
        "voters per 10,000 residents"
    );
    let area_voters: i64 = rows[1..]
        .iter()
        .map(|r| r["voters"].as_i64().unwrap())
        .sum();
    assert_eq!(
        whole["voters"].as_i64().unwrap(),
        area_voters,
        "every voter lives in a neighbourhood"
    );
    // The same voters as the budget's own turnout records.
    let mut stored = 0;
    for process in app.db.processes(None).await.unwrap() {
        for t in app.db.turnout(process.id).await.unwrap() {
            if t.home_scope
                .is_some_and(|h| tree.subtree_ids(jongno).contains(&h))
            {
                stored += t.voters;
            }
        }
    }
    assert_eq!(whole["ballots"].as_i64().unwrap(), stored);
    let r = reqwest::get(app.url(&format!("/scopes/{JONGNO}/participation.csv")))
        .await
        .unwrap();
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = r.text().await.unwrap();
    let csv = csv.trim_start_matches('\u{feff}');
    assert!(csv.starts_with("scope_code,level,population,voters,ballots,turnout_basis_points"));
    assert_eq!(csv.lines().count(), rows.len() + 1);
    // A cycle just opened (no indicators yet) does not hide the last evaluation's indicators.
    app.db.create_evaluation_cycle(jongno, 2030).await.unwrap();
    let (_, page) = b.get(&format!("/scopes/{JONGNO}/dashboard")).await;
    assert!(page.contains("id=\"dashboard-indicators\""));
    assert!(page.contains("<title id=\"chart-indicators-title\">"));
    // The map shows the turnout too, each neighbourhood with its figure.
    let svg = reqwest::get(app.url(&format!("/scopes/{JONGNO}/map.svg?measure=turnout")))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let shown = format!(
        "{}.{:02} %",
        sajik["turnout_basis_points"].as_i64().unwrap() / 100,
        sajik["turnout_basis_points"].as_i64().unwrap() % 100
    );
    assert!(
        svg.contains(&shown),
        "Sajik-dong's turnout {shown} on the map"
    );
    let (status, _) = api(&app, "/scopes/nope/participation.json").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn a_grant_born_project_is_traced_back_to_its_award_and_organization(app: App) {
    // The demo's awarded small grants are tracked projects.
    let award = app
        .db
        .grant_projects()
        .await
        .unwrap()
        .into_iter()
        .next()
        .expect("a tracked award");
    let (status, trace) = api(
        &app,
        &format!(
            "/api/v1/trace?kind=tracked_project&id={}",
            award.tracked_project_id
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{trace}");
    let steps = trace["steps"].as_array().unwrap();
    let kinds: Vec<&str> = steps.iter().map(|s| s["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds[..3],
        ["organization", "grant_application", "tracked_project"],
        "{kinds:?}"
    );
    assert_eq!(steps[1]["id"].as_i64(), Some(award.application_id));
    assert_eq!(steps[2]["id"].as_i64(), Some(award.tracked_project_id));
    let app_row = app
        .db
        .grant_applications(award.call_id)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.id == award.application_id)
        .unwrap();
    assert_eq!(steps[0]["id"].as_i64(), app_row.organization_id);
    assert_eq!(steps[1]["title"].as_str(), Some(app_row.title.as_str()));
    // From the award's side, the same trace.
    let (_, from_award) = api(
        &app,
        &format!(
            "/api/v1/trace?kind=grant_application&id={}",
            award.application_id
        ),
    )
    .await;
    assert_eq!(from_award["steps"], trace["steps"]);
    // The timeline links the organization and the grant's call.
    let mut b = app.browser();
    let (status, page) = b
        .get(&format!(
            "/trace?kind=tracked_project&id={}",
            award.tracked_project_id
        ))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&format!("href=\"/grants/{}\"", award.call_id)));
    assert!(page.contains(&format!("href=\"/organizations/{}\"", steps[0]["id"])));
    assert!(page.contains("data-kind=\"grant_application\""));
}
