//! The budget's dates, groups and quotas over HTTP, on SQLite and on PostgreSQL: staff configure a
//! process through its page; the background worker moves it on its dates, counts the closed vote once
//! (a job) and tells the process's followers; the stored result re-counts from the published file; and
//! per-category quotas are checked by the engine's own ballot check.
use crate::harness::*;
use maeul_db::budget::{NewProcess, NewProject};
use maeul_db::jobs::JobKind;
use maeul_db::notifications::FollowTarget;
use maeul_domain::budget::{BallotConfig, BallotKind, Phase, PhaseEvent, ReviewEvent};
use reqwest::StatusCode;
use serde_json::{Value, json};

app_tests!(
    dates_move_a_process_and_the_worker_counts_it_once,
    staff_set_quotas_that_the_engine_checks_on_ballots,
    cycles_envelopes_and_results_are_open_data,
    voters_are_held_to_the_process_bases_and_minimum_age,
);

const RESIDENT: &str = "resident@demo.maeul.kr"; // home: Cheongunhyoja-dong
const MEMBER: &str = "member@demo.maeul.kr";
const STAFF: &str = "staff@demo.maeul.kr"; // support staff of Jongno-gu
const CHEONGUN: &str = "1111051500";

async fn new_process(app: &App) -> (i64, i64) {
    let tree = maeul_domain::ScopeTree::new(app.db.load_scopes().await.unwrap()).unwrap();
    let scope = tree.by_code(CHEONGUN).unwrap().id;
    let envelope = app.db.latest_envelope_of(scope).await.unwrap().unwrap();
    let id = app
        .db
        .create_process(&NewProcess {
            envelope_id: envelope.id,
            title: "청운효자동 일정 시험",
            budget: 10_000_000,
            rule: "mes_cost_add1",
            ballot: BallotConfig {
                kind: BallotKind::Approval,
                min_projects: 1,
                max_projects: 0,
                points: 0,
            },
            min_age: 0,
            created_by: None,
        })
        .await
        .unwrap();
    (id, scope)
}

async fn user_id(app: &App, email: &str) -> i64 {
    app.db.user_by_email(email).await.unwrap().unwrap().id
}

async fn phase(app: &App, id: i64) -> Phase {
    app.db.process(id).await.unwrap().unwrap().phase
}

/// Submits, reviews and shortlists projects (title, category, cost) and fixes the ballot by staff steps.
async fn projects_to_ballot(
    app: &App,
    id: i64,
    proposer: i64,
    projects: &[(&str, &str, u64)],
) -> Vec<i64> {
    let mut ids = vec![];
    for (title, category, cost) in projects {
        ids.push(
            app.db
                .submit_project(&NewProject {
                    process_id: id,
                    proposer_id: Some(proposer),
                    title,
                    description: "",
                    category,
                    location: "",
                    cost: *cost,
                    proposal_id: None,
                })
                .await
                .unwrap(),
        );
    }
    ids
}

async fn review_and_fix(app: &App, id: i64, ids: &[i64]) {
    let advance = PhaseEvent::Advance { shortlisted: 0 };
    if phase(app, id).await == Phase::ProposalsOpen {
        app.db.transition_process(id, &advance, None).await.unwrap();
    }
    for p in ids {
        let cost = app.db.project(*p).await.unwrap().unwrap().cost as u64;
        let feasible = ReviewEvent::Feasible {
            cost,
            months: 3,
            envelope: 0,
        };
        app.db.review_project(*p, &feasible, None).await.unwrap();
    }
    app.db.transition_process(id, &advance, None).await.unwrap();
    for p in ids {
        app.db
            .review_project(*p, &ReviewEvent::Shortlist, None)
            .await
            .unwrap();
    }
    assert_eq!(
        app.db.transition_process(id, &advance, None).await.unwrap(),
        Phase::BallotFixed
    );
}

async fn bearer(app: &App, email: &str) -> String {
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({"email": email, "password": app.passwords[email]}))
        .send()
        .await
        .unwrap();
    r.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn post_ballot(app: &App, token: &str, id: i64, body: Value) -> (StatusCode, Value) {
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/budgets/{id}/ballot")))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn dates_move_a_process_and_the_worker_counts_it_once(app: App) {
    let (id, scope) = new_process(&app).await;
    let resident = user_id(&app, RESIDENT).await;
    let member = user_id(&app, MEMBER).await;
    app.db
        .follow(resident, FollowTarget::Scope(scope))
        .await
        .unwrap();
    let mut staff = app.signed_in(STAFF).await;
    staff.get(&format!("/budgets/{id}")).await;
    // Dates out of order are refused, nothing stored.
    let bad = [
        ("voting_open_at", "2020-01-05T09:00"),
        ("voting_close_at", "2020-01-04T09:00"),
        ("voter_bases", "resident"),
    ];
    let (status, page, _) = staff.post(&format!("/budgets/{id}/settings"), &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("budget-alert"), "{page}");
    assert_eq!(
        app.db.process(id).await.unwrap().unwrap().voting_open_at,
        None
    );
    let (status, page, _) = staff
        .post(
            &format!("/budgets/{id}/settings"),
            &[("voting_open_at", "soon")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("voting_open_at-error"));
    // Every date already passed: the worker moves the process as far as dates go.
    let good = [
        ("proposals_open_at", "2020-01-01T09:00"),
        ("proposals_close_at", "2020-01-02T09:00"),
        ("voting_open_at", "2020-01-03T09:00"),
        ("voting_close_at", "2020-01-04T09:00"),
        ("weight_online", "50"),
        ("weight_committee", "40"),
        ("weight_school", "10"),
        ("voter_bases", "resident"),
    ];
    let (status, _, _) = staff.post(&format!("/budgets/{id}/settings"), &good).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = staff.get(&format!("/budgets/{id}")).await;
    assert!(page.contains("budget-dates") && page.contains("budget-weights"));

    maeul_web::jobs::run_pass(&app.state).await.unwrap();
    assert_eq!(phase(&app, id).await, Phase::ProposalsOpen);
    let ids = projects_to_ballot(
        &app,
        id,
        member,
        &[
            ("그늘막", "환경", 4_000_000),
            ("화단", "환경", 3_000_000),
            ("도서관", "문화", 6_000_000),
        ],
    )
    .await;
    maeul_web::jobs::run_pass(&app.state).await.unwrap();
    assert_eq!(phase(&app, id).await, Phase::DepartmentReview);
    review_and_fix(&app, id, &ids).await;
    maeul_web::jobs::run_pass(&app.state).await.unwrap();
    assert_eq!(phase(&app, id).await, Phase::VotingOpen);
    let token = bearer(&app, RESIDENT).await;
    let (status, body) = post_ballot(&app, &token, id, json!({"projects": [ids[0], ids[2]]})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // The closing date passed: the next passes close the vote and count it, once.
    while maeul_web::jobs::run_pass(&app.state).await.unwrap() > 0 {}
    assert_eq!(phase(&app, id).await, Phase::Tallied);
    let stored = app.db.budget_result(id).await.unwrap().unwrap();
    assert_eq!(stored.ballots, 1);
    assert!(!stored.snapshot.is_empty());
    assert!(stored.weights.starts_with("online:"), "{}", stored.weights);
    let log = app.db.phase_log(id).await.unwrap();
    let by_dates: Vec<Phase> = log
        .iter()
        .filter(|l| l.actor_id.is_none())
        .map(|l| l.to_phase)
        .collect();
    for p in [
        Phase::ProposalsOpen,
        Phase::DepartmentReview,
        Phase::VotingOpen,
        Phase::VotingClosed,
        Phase::Tallied,
    ] {
        assert!(by_dates.contains(&p), "{p:?} in {by_dates:?}");
    }
    let counts = app
        .db
        .recent_jobs(500)
        .await
        .unwrap()
        .into_iter()
        .filter(|j| j.kind == JobKind::BudgetCount && j.detail == id.to_string())
        .collect::<Vec<_>>();
    assert_eq!(counts.len(), 1);
    assert!(counts[0].done_at.is_some());
    maeul_web::jobs::run_pass(&app.state).await.unwrap();
    assert_eq!(
        app.db.budget_result(id).await.unwrap().unwrap().tallied_at,
        stored.tallied_at
    );
    // Re-counting the published file gives the stored result.
    let text = reqwest::get(app.url(&format!("/budgets/{id}/election.pb")))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let election = maeul_pb::format::parse_str(&text).unwrap().election;
    let recount = maeul_web::areas::budgeting::engine::count(&election, "mes_cost_add1").unwrap();
    assert_eq!(recount.selected, stored.selected_ids());
    // The scope's follower and the proposer heard of each move; the notification leads to the process.
    for who in [resident, member] {
        let heard = app.db.notifications(who, None, 50).await.unwrap();
        let phases: Vec<Phase> = heard
            .iter()
            .filter_map(|n| maeul_db::budget::parse_event_detail(&n.detail))
            .filter(|(p, ..)| *p == id)
            .map(|(_, phase, _)| phase)
            .collect();
        assert!(phases.contains(&Phase::Tallied), "{who}: {phases:?}");
        assert!(phases.contains(&Phase::VotingClosed), "{who}: {phases:?}");
    }
    let mut browser = app.signed_in(RESIDENT).await;
    let en = browser.get_lang("/notifications", "en").await;
    assert!(
        en.contains("The participatory budget “청운효자동 일정 시험” moved to: Tallied"),
        "{en}"
    );
    let ko = browser.get_lang("/notifications", "ko").await;
    assert!(ko.contains("주민참여예산"));
}

async fn staff_set_quotas_that_the_engine_checks_on_ballots(app: App) {
    let (id, _) = new_process(&app).await;
    let member = user_id(&app, MEMBER).await;
    let mut staff = app.signed_in(STAFF).await;
    staff.get(&format!("/budgets/{id}")).await;
    for bad in ["환경", "환경:0", "환경:1\n환경:2"] {
        let (status, page, _) = staff
            .post(&format!("/budgets/{id}/settings"), &[("quotas", bad)])
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(page.contains("quotas-error"), "{bad}");
    }
    let (status, _, _) = staff
        .post(
            &format!("/budgets/{id}/settings"),
            &[
                ("quotas", "환경:1\n문화:1"),
                ("min_age", "0"),
                ("voter_bases", "resident"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let en = staff.get_lang(&format!("/budgets/{id}"), "en").await;
    assert!(
        en.contains("budget-quotas") && en.contains("환경: 1"),
        "{en}"
    );
    // A resident cannot configure.
    let mut resident = app.signed_in(RESIDENT).await;
    resident.get(&format!("/budgets/{id}")).await;
    let (status, _, _) = resident
        .post(&format!("/budgets/{id}/settings"), &[("quotas", "")])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.db.process(id).await.unwrap().unwrap().quotas,
        "환경:1\n문화:1"
    );

    let advance = PhaseEvent::Advance { shortlisted: 0 };
    app.db.transition_process(id, &advance, None).await.unwrap();
    let ids = projects_to_ballot(
        &app,
        id,
        member,
        &[
            ("그늘막", "환경", 4_000_000),
            ("화단", "환경", 3_000_000),
            ("도서관", "문화", 6_000_000),
        ],
    )
    .await;
    review_and_fix(&app, id, &ids).await;
    app.db.transition_process(id, &advance, None).await.unwrap();
    let token = bearer(&app, RESIDENT).await;
    let (status, body) = post_ballot(&app, &token, id, json!({"projects": [ids[0], ids[1]]})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["code"], "ballot_too_many_in_category");
    assert!(app.db.ballots_of(id).await.unwrap().is_empty());
    let (status, body) = post_ballot(&app, &token, id, json!({"projects": [ids[0], ids[2]]})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    // The page form says so too, in words.
    resident.get(&format!("/budgets/{id}/ballot")).await;
    let (a, b) = (ids[0].to_string(), ids[1].to_string());
    let (status, page, _) = resident
        .post(
            &format!("/budgets/{id}/ballot"),
            &[("project", &a), ("project", &b)],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("“환경” 분야에서 2개"), "{page}");
}

/// A new account whose residence in Cheongunhyoja-dong is declared through the account page (with a legal
/// name and, when given, a birth date) and verified by the demo's official: its browser and bearer token.
async fn declared_voter(app: &App, email: &str, basis: &str, birth: &str) -> (Browser, String) {
    let mut b = app.browser();
    assert_eq!(
        b.register("투표 시험", email, "long enough password").await,
        StatusCode::SEE_OTHER
    );
    b.get("/account").await;
    let legal_name = if birth.is_empty() { "" } else { "투표시험" };
    let (status, page, _) = b
        .post(
            "/account/residency",
            &[
                ("scope", CHEONGUN),
                ("basis", basis),
                ("legal_name", legal_name),
                ("birth_date", birth),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let user = app.db.user_by_email(email).await.unwrap().unwrap().id;
    let official = user_id(app, official_email()).await;
    app.db
        .decide_residency(
            user,
            maeul_domain::residency::ResidencyDecision::Verify,
            official,
            None,
        )
        .await
        .unwrap();
    (b, registered_token(app, email).await)
}

/// Staff set who takes part (residence bases) and the minimum age; ballots and proposals are held to it,
/// the age by the birth date declared with the register identity, on the day of voting.
async fn voters_are_held_to_the_process_bases_and_minimum_age(app: App) {
    let (id, _) = new_process(&app).await;
    let member = user_id(&app, MEMBER).await;
    let mut staff = app.signed_in(STAFF).await;
    staff.get(&format!("/budgets/{id}")).await;
    let settings = format!("/budgets/{id}/settings");
    for bad in [vec![], vec![("voter_bases", "alien")]] {
        let mut fields = vec![("min_age", "14")];
        fields.extend(bad);
        let (status, page, _) = staff.post(&settings, &fields).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("voter_bases-error"), "{page}");
    }
    assert!(
        app.db
            .process(id)
            .await
            .unwrap()
            .unwrap()
            .voter_bases
            .is_all()
    );
    let (status, _, _) = staff
        .post(
            &settings,
            &[
                ("min_age", "14"),
                ("voter_bases", "resident"),
                ("voter_bases", "student"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let process = app.db.process(id).await.unwrap().unwrap();
    assert_eq!(
        (process.voter_bases.encode().as_str(), process.min_age),
        ("resident,student", 14)
    );
    let (_, page) = staff.get(&format!("/budgets/{id}")).await;
    assert!(
        page.contains(r#"id="voter-basis-student" name="voter_bases" value="student" checked"#)
    );
    assert!(!page.contains(r#"value="worker" checked"#));
    let en = staff.get_lang(&format!("/budgets/{id}"), "en").await;
    assert!(en.contains("14 years or older"), "{en}");

    // The birth date declared with the identity is kept with the residence.
    let year = maeul_domain::time::local_year(maeul_db::now());
    let child = format!("{}-01-01", year - 10);
    let (_, adult_token) = declared_voter(&app, "adult@example.kr", "resident", "1990-03-07").await;
    let (mut child, child_token) =
        declared_voter(&app, "child@example.kr", "resident", &child).await;
    let (_, unknown_token) = declared_voter(&app, "unknown@example.kr", "resident", "").await;
    let (mut worker, worker_token) =
        declared_voter(&app, "worker@example.kr", "worker", "1980-01-01").await;
    let (mut student, student_token) =
        declared_voter(&app, "student@example.kr", "student", "2001-12-31").await;
    let adult = user_id(&app, "adult@example.kr").await;
    let stored = app
        .db
        .residency_of(adult)
        .await
        .unwrap()
        .unwrap()
        .birth_date;
    assert_eq!(stored.as_deref(), Some("1990-03-07"));

    let advance = PhaseEvent::Advance { shortlisted: 0 };
    app.db.transition_process(id, &advance, None).await.unwrap();
    // A worker may not propose here; a student may.
    for (b, expected) in [
        (&mut worker, StatusCode::FORBIDDEN),
        (&mut student, StatusCode::SEE_OTHER),
    ] {
        b.get(&format!("/budgets/{id}")).await;
        let (status, page, _) = b
            .post(
                &format!("/budgets/{id}/projects"),
                &[("title", "학교 앞 화단"), ("cost", "1000000")],
            )
            .await;
        assert_eq!(status, expected, "{page}");
    }
    assert_eq!(app.db.projects_of(id).await.unwrap().len(), 1);
    let ids = projects_to_ballot(&app, id, member, &[("그늘막", "환경", 4_000_000)]).await;
    review_and_fix(&app, id, &ids).await;
    app.db.transition_process(id, &advance, None).await.unwrap();
    let ballot = json!({"projects": [ids[0]]});
    for (token, code) in [
        (&child_token, "too_young"),
        (&unknown_token, "age_unknown"),
        (&worker_token, "basis_not_admitted"),
    ] {
        let (status, body) = post_ballot(&app, token, id, ballot.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(body["error"]["code"], code);
    }
    assert!(app.db.ballots_of(id).await.unwrap().is_empty());
    for token in [&adult_token, &student_token] {
        let (status, body) = post_ballot(&app, token, id, ballot.clone()).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    assert_eq!(app.db.ballots_of(id).await.unwrap().len(), 2);
    // The page says why, in words, instead of offering the ballot.
    let (_, page) = child.get(&format!("/budgets/{id}")).await;
    assert!(!page.contains(r#"id="ballot-link""#));
    assert!(page.contains("만 14세 이상만"), "{page}");
}

async fn get_json(app: &App, path: &str) -> (StatusCode, Value) {
    let r = reqwest::get(app.url(path)).await.unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn cycles_envelopes_and_results_are_open_data(app: App) {
    let (status, cycles) = get_json(&app, "/api/v1/budget-cycles").await;
    assert_eq!(status, StatusCode::OK);
    let cycle = &cycles.as_array().unwrap()[0];
    assert_eq!(
        (cycle["year"].as_i64(), cycle["scope_code"].as_str()),
        (Some(2027), Some("11"))
    );
    let total = cycle["total"].as_i64().unwrap();
    let (status, envelopes) = get_json(
        &app,
        &format!("/api/v1/budget-cycles/{}/envelopes", cycle["id"]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let envelopes = envelopes.as_array().unwrap();
    let top = &envelopes[0];
    assert_eq!(top["scope_code"], "11");
    assert!(top["parent_id"].is_null());
    assert_eq!(top["amount"].as_i64().unwrap(), total);
    assert_eq!(top["unawarded"], "return");
    // The city's own part and the districts' envelopes sum exactly to the total.
    let children: i64 = envelopes
        .iter()
        .filter(|e| e["parent_id"] == top["id"])
        .map(|e| e["amount"].as_i64().unwrap())
        .sum();
    assert_eq!(children + top["own_amount"].as_i64().unwrap(), total);
    let jongno = envelopes
        .iter()
        .find(|e| e["scope_code"] == "11110")
        .unwrap();
    let terms = &jongno["terms"];
    assert_eq!(
        ["base", "population", "need", "grade"]
            .iter()
            .map(|t| terms[t].as_i64().unwrap())
            .sum::<i64>(),
        jongno["amount"].as_i64().unwrap()
    );
    let (status, body) = get_json(&app, "/api/v1/budget-cycles/999999/envelopes").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    // The tallied demo election's result as CSV, in selection order, as the API says.
    let (_, list) = get_json(&app, "/api/v1/budgets").await;
    let sajik = list
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["scope_code"] == "1111053000")
        .unwrap();
    let (_, result) = get_json(&app, &format!("/api/v1/budgets/{}/result", sajik["id"])).await;
    let csv = reqwest::get(app.url(&format!("/budgets/{}/result.csv", sajik["id"])))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    assert_eq!(
        lines.next().unwrap(),
        "selection_order,project_id,title,cost_won,cumulative_won,rule"
    );
    let ids: Vec<i64> = lines
        .map(|l| l.split(',').nth(1).unwrap().parse().unwrap())
        .collect();
    let selected: Vec<i64> = result["selected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    assert_eq!(ids, selected);
    // Before a count there is no result CSV.
    let jongno_process = list
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["scope_code"] == "11110")
        .unwrap();
    let r = reqwest::get(app.url(&format!("/budgets/{}/result.csv", jongno_process["id"])))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
}
