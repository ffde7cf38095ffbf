//! The decentralized budget over HTTP, on SQLite and on PostgreSQL: the demo's envelopes on scope pages,
//! voting in Jongno-gu's process (pages without JavaScript, and the API), who may vote and review, a
//! neighbourhood's whole cycle run through the pages, and the result that anyone can re-count from the
//! published `.pb` file.
use crate::harness::*;
use maeul_db::budget::ProcessRow;
use maeul_domain::budget::{BallotConfig, BallotKind, Phase};
use maeul_web::areas::budgeting::demo::{DemoProcess, SAJIK_PROJECTS, process_to_voting};
use reqwest::StatusCode;
use serde_json::{Value, json};

app_tests!(
    scope_pages_show_envelopes_and_their_formula,
    a_resident_votes_without_javascript_and_the_latest_ballot_counts,
    who_may_vote_review_and_run_a_process,
    the_api_takes_ballots_and_the_export_recounts_to_the_stored_result,
    staff_run_a_neighbourhood_cycle_through_the_pages,
    demo_ballots_are_valid_and_a_closed_vote_is_counted_once,
    staff_split_envelopes_and_open_processes_in_their_scope_only,
    staff_enter_paper_ballots_under_the_same_one_ballot_rule,
);

const RESIDENT: &str = "resident@demo.maeul.kr"; // home: Cheongunhyoja-dong, Jongno-gu
const MEMBER: &str = "member@demo.maeul.kr"; // home: Sajik-dong, Jongno-gu
const OFFICIAL: &str = "official@demo.maeul.kr"; // official of Jongno-gu
const STAFF: &str = "staff@demo.maeul.kr"; // support staff of Jongno-gu
const CHEONGUN: &str = "1111051500";

async fn process_named(app: &App, part: &str) -> ProcessRow {
    app.db
        .processes(None)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.title.contains(part))
        .unwrap_or_else(|| panic!("no process named {part}"))
}

async fn scope_id(app: &App, code: &str) -> i64 {
    let tree = maeul_domain::ScopeTree::new(app.db.load_scopes().await.unwrap()).unwrap();
    tree.by_code(code).unwrap().id
}

/// A process of a neighbourhood (or district) with voting open on the Sajik-dong demo projects.
async fn voting_process(app: &App, code: &str, kind: BallotKind, max: u32) -> (i64, Vec<i64>) {
    let scope = scope_id(app, code).await;
    let envelope = app.db.latest_envelope_of(scope).await.unwrap().unwrap();
    process_to_voting(
        &app.db,
        &DemoProcess {
            envelope_id: envelope.id,
            title: "test process",
            budget: 10_000_000,
            rule: "mes_cost",
            ballot: BallotConfig {
                kind,
                min_projects: 1,
                max_projects: max,
                points: 0,
            },
            projects: SAJIK_PROJECTS,
            proposer: None,
            from_proposal: None,
            shortlist_motion: None,
        },
    )
    .await
    .unwrap()
}

async fn bearer(app: &App, email: &str, password: &str) -> String {
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({"email": email, "password": password}))
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

async fn scope_pages_show_envelopes_and_their_formula(app: App) {
    let mut b = app.browser();
    let (status, page) = b.get("/scopes/11110").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("/scopes/11110/budget"), "budget link");
    assert!(page.contains("Jongno-gu participatory budget 2027"));
    // The city keeps 40 % of ₩50 bn; the districts and the city's part add up to the total exactly.
    let (status, city) = b.get("/scopes/11/budget").await;
    assert_eq!(status, StatusCode::OK);
    assert!(city.contains("20,000,000,000"), "city's own part");
    let seoul = app
        .db
        .latest_envelope_of(scope_id(&app, "11").await)
        .await
        .unwrap()
        .unwrap();
    let districts = app.db.child_envelopes(seoul.id).await.unwrap();
    assert_eq!(districts.len(), 25);
    assert_eq!(
        seoul.own() + districts.iter().map(|d| d.amount).sum::<i64>(),
        50_000_000_000
    );
    // Jongno-gu's page shows what each term gave it, in both languages.
    let en = b.get_lang("/scopes/11110/budget", "en").await;
    assert!(en.contains("How this envelope was computed"));
    assert!(en.contains("Equal base") && en.contains("Population"));
    assert!(en.contains("600,000,000"), "equal base: ₩15 bn / 25");
    let ko = b.get_lang("/scopes/11110/budget", "ko").await;
    assert!(ko.contains("균등 배분"));
    // A neighbourhood's envelope, handed down by Jongno-gu.
    let (status, sajik) = b.get("/scopes/1111053000/budget").await;
    assert_eq!(status, StatusCode::OK);
    assert!(sajik.contains("/scopes/11110/budget"));
    assert_eq!(b.get("/scopes/nope/budget").await.0, StatusCode::NOT_FOUND);
}

async fn a_resident_votes_without_javascript_and_the_latest_ballot_counts(app: App) {
    let jongno = process_named(&app, "Jongno-gu").await;
    assert_eq!(jongno.phase, Phase::VotingOpen);
    let projects = app.db.projects_of(jongno.id).await.unwrap();
    assert!(projects.len() >= 12);
    let mut resident = app.signed_in(RESIDENT).await;
    let (status, page) = resident
        .get(&format!("/budgets/{}/ballot", jongno.id))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("type=\"checkbox\" name=\"project\""));
    let (a, b, c) = (
        projects[0].id.to_string(),
        projects[1].id.to_string(),
        projects[2].id.to_string(),
    );
    let (status, _, location) = resident
        .post(
            &format!("/budgets/{}/ballot", jongno.id),
            &[("project", &a), ("project", &b)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{location:?}");
    let (_, page) = resident.get(&format!("/budgets/{}", jongno.id)).await;
    assert!(page.contains("voted-badge"));
    // Six projects break the maximum of five: the engine's check names it and nothing changes.
    let six: Vec<String> = projects[..6].iter().map(|p| p.id.to_string()).collect();
    let fields: Vec<(&str, &str)> = six.iter().map(|id| ("project", id.as_str())).collect();
    let (status, page, _) = resident
        .post(&format!("/budgets/{}/ballot", jongno.id), &fields)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("budget-alert"));
    // The ballot page shows the ballot back, and a revision replaces it.
    let (_, page) = resident
        .get(&format!("/budgets/{}/ballot", jongno.id))
        .await;
    assert!(page.contains(&format!(
        "value=\"{a}\" id=\"choose-{a}\" data-cost=\"{}\" checked",
        projects[0].cost
    )));
    // The counter and budget bar show the ballot as stored before any script runs.
    assert!(page.contains(">2</output>"), "two projects counted");
    let together = maeul_web::areas::budgeting::views::won(projects[0].cost + projects[1].cost);
    assert!(
        page.contains(&format!(">{together}원</output>")),
        "{together}"
    );
    let english = resident
        .get_lang(&format!("/budgets/{}/ballot", jongno.id), "en")
        .await;
    assert!(english.contains(&format!(">₩{together}</output>")));
    assert!(page.contains(&format!(
        "value=\"{}\" aria-labelledby=\"ballot-total-label\"",
        projects[0].cost + projects[1].cost
    )));
    let (status, _, _) = resident
        .post(
            &format!("/budgets/{}/ballot", jongno.id),
            &[("project", &c)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let ballots = app.db.ballots_of(jongno.id).await.unwrap();
    assert_eq!(ballots.len(), 1);
    assert_eq!(ballots[0].ballot, c);
    assert_eq!(ballots[0].revision, 2);
    // Stored under a pseudonym, never the account id; turnout is kept apart.
    let user = app.db.user_by_email(RESIDENT).await.unwrap().unwrap();
    assert_ne!(ballots[0].pseudonym, user.id.to_string());
    assert_eq!(app.db.turnout(jongno.id).await.unwrap()[0].voters, 1);
}

async fn who_may_vote_review_and_run_a_process(app: App) {
    let jongno = process_named(&app, "Jongno-gu").await;
    let first = app.db.projects_of(jongno.id).await.unwrap()[0].id;
    // Someone with no verified residence cannot vote (page and API).
    let (mut outsider, _) = {
        let mut b = app.browser();
        assert_eq!(
            b.register("바깥사람", "outsider@example.org", "long enough password")
                .await,
            StatusCode::SEE_OTHER
        );
        (b, ())
    };
    outsider
        .get(&format!("/budgets/{}/ballot", jongno.id))
        .await;
    let (status, _, _) = outsider
        .post(
            &format!("/budgets/{}/ballot", jongno.id),
            &[("project", &first.to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let token = bearer(&app, "outsider@example.org", "long enough password").await;
    let (status, body) = post_ballot(&app, &token, jongno.id, json!({"projects": [first]})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"]["code"], "not_eligible");
    // Without a token: 401.
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/budgets/{}/ballot", jongno.id)))
        .json(&json!({"projects": [first]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    // A neighbourhood's process: its residents vote, a resident of another neighbourhood cannot.
    let (cheongun, projects) = voting_process(&app, CHEONGUN, BallotKind::Approval, 2).await;
    let mut member = app.signed_in(MEMBER).await; // lives in Sajik-dong
    member.get(&format!("/budgets/{cheongun}/ballot")).await;
    let (status, page, _) = member
        .post(
            &format!("/budgets/{cheongun}/ballot"),
            &[("project", &projects[0].to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("budget-alert"));
    let mut resident = app.signed_in(RESIDENT).await; // lives in Cheongunhyoja-dong
    resident.get(&format!("/budgets/{cheongun}/ballot")).await;
    let (status, _, _) = resident
        .post(
            &format!("/budgets/{cheongun}/ballot"),
            &[("project", &projects[0].to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(app.db.ballots_of(cheongun).await.unwrap().len(), 1);

    // A district official reviews Jongno-gu's projects, never another district's.
    let jung = scope_id(&app, "11140").await;
    let jung_env = app.db.latest_envelope_of(jung).await.unwrap().unwrap();
    let other = app
        .db
        .create_process(&maeul_db::budget::NewProcess {
            envelope_id: jung_env.id,
            title: "중구 주민참여예산",
            budget: 1_000_000,
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
    app.db
        .transition_process(
            other,
            &maeul_domain::budget::PhaseEvent::Advance { shortlisted: 0 },
            None,
        )
        .await
        .unwrap();
    let project = app
        .db
        .submit_project(&maeul_db::budget::NewProject {
            process_id: other,
            proposer_id: None,
            title: "중구 사업",
            description: "",
            category: "",
            location: "",
            cost: 500_000,
            proposal_id: None,
        })
        .await
        .unwrap();
    let mut official = app.signed_in(OFFICIAL).await;
    official.get(&format!("/budgets/{other}")).await;
    let review = [("event", "feasible"), ("cost", "400000"), ("months", "3")];
    let (status, _, _) = official
        .post(&format!("/budget-projects/{project}/review"), &review)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Nor may residents or Jongno's staff move another district's process.
    let mut staff = app.signed_in(STAFF).await;
    staff.get(&format!("/budgets/{other}")).await;
    let (status, _, _) = staff
        .post(&format!("/budgets/{other}/phase"), &[("event", "advance")])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = resident
        .post(
            &format!("/budgets/{}/phase", jongno.id),
            &[("event", "advance")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.db.process(other).await.unwrap().unwrap().phase,
        Phase::ProposalsOpen
    );
    assert_eq!(
        app.db.process(jongno.id).await.unwrap().unwrap().phase,
        Phase::VotingOpen
    );
}

async fn the_api_takes_ballots_and_the_export_recounts_to_the_stored_result(app: App) {
    let list: Value = reqwest::get(app.url("/api/v1/budgets"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let list = list.as_array().unwrap();
    let jongno = list.iter().find(|b| b["scope_code"] == "11110").unwrap();
    assert_eq!(jongno["state"], "voting_open");
    assert_eq!(jongno["rule"], "mes_cost_add1");
    assert_eq!(jongno["ballot_kind"], "approval");
    assert_eq!(jongno["envelope"], 300_000_000);
    let sajik = list
        .iter()
        .find(|b| b["scope_code"] == "1111053000")
        .unwrap();
    assert_eq!(sajik["state"], "tallied");
    let id = jongno["id"].as_i64().unwrap();
    let projects: Value = reqwest::get(app.url(&format!("/api/v1/budgets/{id}/projects")))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let projects = projects.as_array().unwrap();
    assert!(projects.len() >= 12);
    let ids: Vec<i64> = projects.iter().map(|p| p["id"].as_i64().unwrap()).collect();
    assert!(
        projects
            .iter()
            .all(|p| p["cost"].as_i64().unwrap() > 0 && p["title"].is_string())
    );

    let token = bearer(&app, RESIDENT, &app.passwords[RESIDENT]).await;
    let (status, body) = post_ballot(&app, &token, id, json!({"projects": [ids[0], ids[1]]})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["revision"], 1);
    let (status, body) = post_ballot(&app, &token, id, json!({"projects": [ids[2]]})).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(body["revision"], 2);
    // Broken constraints are named; nothing changes.
    for (ballot, code) in [
        (json!({"projects": ids[..6]}), "ballot_too_many_projects"),
        (
            json!({"projects": [ids[0], ids[0]]}),
            "ballot_duplicate_project",
        ),
        (json!({"projects": [999_999]}), "ballot_unknown_project"),
        (json!({"projects": []}), "ballot_empty"),
        (json!({"ranking": [ids[0]]}), "ballot_wrong_kind"),
    ] {
        let (status, body) = post_ballot(&app, &token, id, ballot).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{code}");
        assert_eq!(body["error"]["code"], code);
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
    }
    assert_eq!(
        app.db.ballots_of(id).await.unwrap()[0].ballot,
        ids[2].to_string()
    );

    // Sajik-dong's stored result equals a fresh count of its published file, by the engine.
    let sajik_id = sajik["id"].as_i64().unwrap();
    let result: Value = reqwest::get(app.url(&format!("/api/v1/budgets/{sajik_id}/result")))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(result["rule"], "mes_cost");
    let selected: Vec<String> = result["selected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap().to_string())
        .collect();
    assert!(!selected.is_empty());
    let r = reqwest::get(app.url(&format!("/budgets/{sajik_id}/election.pb")))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let text = r.text().await.unwrap();
    let parsed = maeul_pb::format::parse_str(&text).unwrap();
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    let election = parsed.election;
    assert_eq!(
        election.voters.len() as i64,
        result["ballots"].as_i64().unwrap()
    );
    // Voter ids are 1..n, not pseudonyms or account ids.
    let mut voter_ids: Vec<usize> = election
        .voters
        .iter()
        .map(|v| v.id.parse().unwrap())
        .collect();
    voter_ids.sort_unstable();
    assert_eq!(voter_ids, (1..=election.voters.len()).collect::<Vec<_>>());
    let profile = maeul_pb::Profile::new(&election);
    let outcome = maeul_pb::rules::run(&profile, maeul_pb::Rule::MesCost).unwrap();
    let recount: Vec<String> = outcome
        .selected
        .iter()
        .map(|i| election.projects[*i as usize].id.clone())
        .collect();
    assert_eq!(recount, selected);
    assert_eq!(
        outcome.total_cost.to_string(),
        result["total_cost"].to_string()
    );
    // Every rule that counts approval ballots gives the same result on the export as on the stored
    // ballots, through the platform's own count.
    let process = app.db.process(sajik_id).await.unwrap().unwrap();
    for rule in maeul_pb::Rule::ALL
        .into_iter()
        .filter(|r| r.accepts(election.vote_type))
    {
        let from_file = maeul_pb::rules::run(&profile, rule).unwrap();
        let platform = maeul_web::areas::budgeting::engine::count(&election, rule.name()).unwrap();
        let ids: Vec<i64> = from_file
            .selected
            .iter()
            .map(|i| election.projects[*i as usize].id.parse().unwrap())
            .collect();
        assert_eq!(platform.selected, ids, "{rule}");
    }
    assert_eq!(process.phase, Phase::Tallied);
    // The projects and their fates as open data.
    let csv = reqwest::get(app.url(&format!("/budgets/{sajik_id}/projects.csv")))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    assert_eq!(
        lines.next().unwrap(),
        "project_id,title,category,location,cost_won,months,state,funded,selection_order"
    );
    let first_funded = lines
        .find(|l| l.ends_with(",yes,1"))
        .expect("the first selected project");
    assert!(first_funded.starts_with(&format!("{},", selected[0])));
    // Before a count there is no result.
    let r = reqwest::get(app.url(&format!("/api/v1/budgets/{id}/result")))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let r = reqwest::get(app.url(&format!("/budgets/{id}/election.pb")))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
}

async fn staff_run_a_neighbourhood_cycle_through_the_pages(app: App) {
    let scope = scope_id(&app, CHEONGUN).await;
    let envelope = app.db.latest_envelope_of(scope).await.unwrap().unwrap();
    let id = app
        .db
        .create_process(&maeul_db::budget::NewProcess {
            envelope_id: envelope.id,
            title: "청운효자동 주민참여예산",
            budget: 10_000_000,
            rule: "mes_cost_add1",
            ballot: BallotConfig {
                kind: BallotKind::Knapsack,
                min_projects: 0,
                max_projects: 0,
                points: 0,
            },
            min_age: 0,
            created_by: None,
        })
        .await
        .unwrap();
    let mut staff = app.signed_in(STAFF).await;
    staff.get(&format!("/budgets/{id}")).await;
    let step = [("event", "advance")];
    assert_eq!(
        staff.post(&format!("/budgets/{id}/phase"), &step).await.0,
        StatusCode::SEE_OTHER
    );
    // Residents propose; bad input is named beside its field.
    let mut resident = app.signed_in(RESIDENT).await;
    let (_, page) = resident.get(&format!("/budgets/{id}")).await;
    assert!(page.contains("project-submit"));
    let bad = [
        ("title", "x"),
        ("cost", "lots"),
        ("description", ""),
        ("category", ""),
        ("location", ""),
    ];
    let (status, page, _) = resident
        .post(&format!("/budgets/{id}/projects"), &bad)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("title-error") && page.contains("cost-error"));
    let over = [("title", "너무 비싼 사업"), ("cost", "10,000,001")];
    let (status, page, _) = resident
        .post(&format!("/budgets/{id}/projects"), &over)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("budget-alert"));
    for (title, cost) in [
        ("놀이터 그늘막", "4,000,000"),
        ("골목 화단", "3,000,000"),
        ("작은 도서관", "6,000,000"),
    ] {
        let fields = [
            ("title", title),
            ("cost", cost),
            ("category", "환경"),
            ("location", "청운동"),
            ("description", "설명"),
        ];
        assert_eq!(
            resident
                .post(&format!("/budgets/{id}/projects"), &fields)
                .await
                .0,
            StatusCode::SEE_OTHER
        );
    }
    let projects = app.db.projects_of(id).await.unwrap();
    assert_eq!(projects.len(), 3);
    // Reviews wait for their phase; then the official reviews, the staff shortlist.
    staff.get(&format!("/budgets/{id}")).await;
    assert_eq!(
        staff.post(&format!("/budgets/{id}/phase"), &step).await.0,
        StatusCode::SEE_OTHER
    );
    let mut official = app.signed_in(OFFICIAL).await;
    official.get(&format!("/budgets/{id}")).await;
    for p in &projects {
        let cost = p.cost.to_string();
        let review = [
            ("event", "feasible"),
            ("cost", cost.as_str()),
            ("months", "4"),
        ];
        assert_eq!(
            official
                .post(&format!("/budget-projects/{}/review", p.id), &review)
                .await
                .0,
            StatusCode::SEE_OTHER
        );
    }
    assert_eq!(
        staff.post(&format!("/budgets/{id}/phase"), &step).await.0,
        StatusCode::SEE_OTHER
    );
    // Fixing the ballot with nothing shortlisted is refused (409), and the phase stays.
    let (status, page, _) = staff.post(&format!("/budgets/{id}/phase"), &step).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains("budget-alert"));
    for p in &projects {
        let shortlist = [("event", "shortlist")];
        assert_eq!(
            staff
                .post(&format!("/budget-projects/{}/review", p.id), &shortlist)
                .await
                .0,
            StatusCode::SEE_OTHER
        );
    }
    for _ in 0..2 {
        assert_eq!(
            staff.post(&format!("/budgets/{id}/phase"), &step).await.0,
            StatusCode::SEE_OTHER
        );
    }
    assert_eq!(
        app.db.process(id).await.unwrap().unwrap().phase,
        Phase::VotingOpen
    );
    // A knapsack ballot over the budget is refused by the engine's check; within it, accepted.
    let all: Vec<String> = projects.iter().map(|p| p.id.to_string()).collect();
    resident.get(&format!("/budgets/{id}/ballot")).await;
    let over: Vec<(&str, &str)> = all.iter().map(|p| ("project", p.as_str())).collect();
    let (status, page, _) = resident.post(&format!("/budgets/{id}/ballot"), &over).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("13,000,000") || page.contains("13000000"),
        "names the total"
    );
    let (status, _, _) = resident
        .post(
            &format!("/budgets/{id}/ballot"),
            &[("project", &all[0]), ("project", &all[2])],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // Closing the vote queues its count; the background worker counts it once and stores the result.
    staff.get(&format!("/budgets/{id}")).await;
    assert_eq!(
        staff.post(&format!("/budgets/{id}/phase"), &step).await.0,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.db.process(id).await.unwrap().unwrap().phase,
        Phase::VotingClosed
    );
    while maeul_web::jobs::run_pass(&app.state).await.unwrap() > 0 {}
    assert_eq!(
        app.db.process(id).await.unwrap().unwrap().phase,
        Phase::Tallied
    );
    let stored = app.db.budget_result(id).await.unwrap().unwrap();
    let mut funded = stored.selected_ids();
    funded.sort_unstable();
    assert_eq!(funded, vec![projects[0].id, projects[2].id]);
    assert_eq!(stored.total_cost, 10_000_000);
    let mut visitor = app.browser();
    let (status, page) = visitor.get(&format!("/budgets/{id}/result")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&format!(
        "maeul pb tally budget-{id}.pb --rule mes_cost_add1 --json"
    )));
    assert!(page.contains(&format!("/budgets/{id}/election.pb")));
    let en = visitor
        .get_lang(&format!("/budgets/{id}/result"), "en")
        .await;
    assert!(en.contains("Check it yourself"));
    assert!(
        en.contains("supporters paid"),
        "equal shares explained: {en}"
    );
    assert!(en.contains("Nobody voted for it"));
    // Cancelling needs a reason.
    staff.get(&format!("/budgets/{id}")).await;
    let (status, page, _) = staff
        .post(
            &format!("/budgets/{id}/phase"),
            &[("event", "cancel"), ("reason", " ")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("reason-error"));
}

async fn demo_ballots_are_valid_and_a_closed_vote_is_counted_once(app: App) {
    use maeul_web::areas::budgeting::demo::add_demo_ballots;
    let jongno = process_named(&app, "Jongno-gu").await;
    assert_eq!(add_demo_ballots(&app.db, jongno.id, 30).await.unwrap(), 30);
    assert_eq!(app.db.ballots_of(jongno.id).await.unwrap().len(), 30);
    // Knapsack ballots stay within the budget (10,000,000 won for the Sajik-dong projects).
    let (knapsack, _) = voting_process(&app, CHEONGUN, BallotKind::Knapsack, 0).await;
    assert_eq!(add_demo_ballots(&app.db, knapsack, 20).await.unwrap(), 20);
    let costs: std::collections::HashMap<i64, i64> = app
        .db
        .projects_of(knapsack)
        .await
        .unwrap()
        .into_iter()
        .map(|p| (p.id, p.cost))
        .collect();
    for b in app.db.ballots_of(knapsack).await.unwrap() {
        let total: i64 = b
            .ballot
            .split(',')
            .map(|id| costs[&id.parse::<i64>().unwrap()])
            .sum();
        assert!(total <= 10_000_000, "{}", b.ballot);
    }
    // Staff close Jongno-gu's vote: the count runs once and is stored; a second count is refused.
    let mut staff = app.signed_in(STAFF).await;
    staff.get(&format!("/budgets/{}", jongno.id)).await;
    let (status, _, _) = staff
        .post(
            &format!("/budgets/{}/phase", jongno.id),
            &[("event", "advance")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    while maeul_web::jobs::run_pass(&app.state).await.unwrap() > 0 {}
    let stored = app.db.budget_result(jongno.id).await.unwrap().unwrap();
    assert_eq!(stored.ballots, 30);
    assert_eq!(stored.rule, "mes_cost_add1");
    assert!(stored.total_cost <= 300_000_000);
    let (status, page, _) = staff
        .post(
            &format!("/budgets/{}/phase", jongno.id),
            &[("event", "tally")],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains("budget-alert"));
    assert_eq!(
        app.db
            .budget_result(jongno.id)
            .await
            .unwrap()
            .unwrap()
            .tallied_at,
        stored.tallied_at
    );
    // Once counted, voting is closed.
    let token = bearer(&app, RESIDENT, &app.passwords[RESIDENT]).await;
    let first = app.db.projects_of(jongno.id).await.unwrap()[0].id;
    let (status, body) = post_ballot(&app, &token, jongno.id, json!({"projects": [first]})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["code"], "voting_closed");
}

async fn staff_split_envelopes_and_open_processes_in_their_scope_only(app: App) {
    let mut staff = app.signed_in(STAFF).await;
    let (status, page) = staff.get("/scopes/11110/budget").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("split-submit") && page.contains("process-submit"));
    let split = |own: &'static str, base: &'static str| {
        vec![
            ("own_permille", own),
            ("w_base", base),
            ("w_population", ""),
            ("w_need", "0"),
            ("w_grade", "0"),
        ]
    };
    let (status, page, _) = staff
        .post("/scopes/11110/budget/split", &split("2000", "1"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("own_permille-error"));
    let (status, page, _) = staff
        .post("/scopes/11110/budget/split", &split("100", "0"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("split-alert"));
    let (status, _, _) = staff
        .post("/scopes/11110/budget/split", &split("300", "1"))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let jongno = app
        .db
        .latest_envelope_of(scope_id(&app, "11110").await)
        .await
        .unwrap()
        .unwrap();
    let below: i64 = app
        .db
        .child_envelopes(jongno.id)
        .await
        .unwrap()
        .iter()
        .map(|c| c.amount)
        .sum();
    assert_eq!(jongno.own() + below, jongno.amount);
    assert_eq!(jongno.own(), jongno.amount * 300 / 1000);
    // Not in another district, not as a resident.
    let (status, _, _) = staff
        .post("/scopes/11140/budget/split", &split("300", "1"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut resident = app.signed_in(RESIDENT).await;
    resident.get("/scopes/11110/budget").await;
    let (status, _, _) = resident
        .post("/scopes/11110/budget/split", &split("300", "1"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A process: the rule must count the ballot form, the amount fit the envelope's own part.
    let process = |rule: &'static str, kind: &'static str, budget: &'static str| {
        vec![
            ("title", "종로구 추가 공모"),
            ("budget", budget),
            ("rule", rule),
            ("ballot_kind", kind),
            ("min_projects", "1"),
            ("max_projects", "3"),
            ("points", ""),
        ]
    };
    staff.get("/scopes/11110/budget").await;
    let (status, page, _) = staff
        .post(
            "/scopes/11110/budget/processes",
            &process("phragmen", "ranking", "1000000"),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("rule-error"));
    let (status, page, _) = staff
        .post(
            "/scopes/11110/budget/processes",
            &process("greedy_cost", "approval", "999,999,999,999"),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("process-alert"));
    let (status, _, location) = staff
        .post(
            "/scopes/11110/budget/processes",
            &process("greedy_cost", "approval", "1,000,000"),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let id = id_after(&location, "/budgets/");
    let created = app.db.process(id).await.unwrap().unwrap();
    assert_eq!(
        (created.phase, created.budget, created.rule.as_str()),
        (Phase::Configured, 1_000_000, "greedy_cost")
    );
    let (status, _, _) = resident
        .post(
            "/scopes/11110/budget/processes",
            &process("greedy_cost", "approval", "1000"),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn staff_enter_paper_ballots_under_the_same_one_ballot_rule(app: App) {
    let jongno = process_named(&app, "Jongno-gu").await;
    let projects = app.db.projects_of(jongno.id).await.unwrap();
    let (a, b) = (projects[0].id.to_string(), projects[1].id.to_string());
    let mut staff = app.signed_in(STAFF).await;
    let (_, page) = staff.get(&format!("/budgets/{}/ballot", jongno.id)).await;
    assert!(page.contains("paper-submit"));
    let path = format!("/budgets/{}/paper-ballot", jongno.id);
    // The demo committee member lives in Sajik-dong, in Jongno-gu: entered on paper.
    let (status, _, _) = staff
        .post(
            &path,
            &[("voter", MEMBER), ("project", &a), ("project", &b)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // The paper ballot is their one ballot: they cannot also vote online.
    let token = bearer(&app, MEMBER, &app.passwords[MEMBER]).await;
    let (status, body) = post_ballot(
        &app,
        &token,
        jongno.id,
        json!({"projects": [projects[2].id]}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["code"], "voted_other_channel");
    // Nor can someone who voted online be entered on paper.
    let resident = bearer(&app, RESIDENT, &app.passwords[RESIDENT]).await;
    assert_eq!(
        post_ballot(
            &app,
            &resident,
            jongno.id,
            json!({"projects": [projects[2].id]})
        )
        .await
        .0,
        StatusCode::CREATED
    );
    staff.get(&format!("/budgets/{}/ballot", jongno.id)).await;
    let (status, page, _) = staff
        .post(&path, &[("voter", RESIDENT), ("project", &a)])
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains("budget-alert"));
    // Unknown people, non-residents and invalid ballots are refused.
    let (status, page, _) = staff
        .post(&path, &[("voter", "nobody@example.org"), ("project", &a)])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("voter-error"));
    let (status, _, _) = staff
        .post(&path, &[("voter", "admin@demo.maeul.kr"), ("project", &a)])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = staff
        .post(&path, &[("voter", "evaluator@demo.maeul.kr")])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Only the scope's staff enter paper ballots.
    let mut member = app.signed_in(MEMBER).await;
    member.get(&format!("/budgets/{}", jongno.id)).await;
    let (status, _, _) = member
        .post(&path, &[("voter", MEMBER), ("project", &a)])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let ballots = app.db.ballots_of(jongno.id).await.unwrap();
    assert_eq!(ballots.len(), 2);
    let turnout = app.db.turnout(jongno.id).await.unwrap();
    assert_eq!(turnout.iter().map(|t| t.voters).sum::<i64>(), 2);
}
