//! A budget project's links over HTTP, on SQLite and on PostgreSQL: an adopted proposal becomes a project
//! (by its author or the process's staff; the trace follows the link), a shortlist cites a carried motion
//! of the process's scope, proposers attach files, and staff import a historical `.pb` election that
//! re-counts from its export — each with its refusals, which change nothing.
use crate::harness::*;
use maeul_db::budget::NewProcess;
use maeul_domain::budget::{BallotConfig, BallotKind, Phase, PhaseEvent, ReviewEvent};
use maeul_domain::proposal::{Ladder, ProposalEvent, Responder};
use reqwest::StatusCode;
use serde_json::Value;

app_tests!(
    an_adopted_proposal_becomes_a_project_and_the_trace_follows_it,
    a_shortlist_cites_a_carried_motion_of_the_process_scope_only,
    proposers_attach_files_to_their_projects,
    staff_import_a_historical_election_that_recounts_from_its_export,
);

const STAFF: &str = "staff@demo.maeul.kr"; // support staff of Jongno-gu
const RESIDENT: &str = "resident@demo.maeul.kr"; // Cheongunhyoja-dong, Jongno-gu
const MEMBER: &str = "member@demo.maeul.kr"; // Sajik-dong, Jongno-gu
const JONGNO: &str = "11110";
const SAJIK: &str = "1111053000";

async fn scope_id(app: &App, code: &str) -> i64 {
    let tree = maeul_domain::ScopeTree::new(app.db.load_scopes().await.unwrap()).unwrap();
    tree.by_code(code).unwrap().id
}

/// A new process of the scope, moved to `phase` (proposals open or later: nothing else done).
async fn process_in(app: &App, code: &str, title: &str) -> i64 {
    let scope = scope_id(app, code).await;
    let envelope = app.db.latest_envelope_of(scope).await.unwrap().unwrap();
    let id = app
        .db
        .create_process(&NewProcess {
            envelope_id: envelope.id,
            title,
            budget: 10_000_000,
            rule: "mes_cost",
            ballot: BallotConfig {
                kind: BallotKind::Approval,
                min_projects: 1,
                max_projects: 3,
                points: 0,
            },
            min_age: 0,
            created_by: None,
        })
        .await
        .unwrap();
    advance(app, id).await;
    id
}

async fn advance(app: &App, id: i64) -> Phase {
    app.db
        .transition_process(id, &PhaseEvent::Advance { shortlisted: 0 }, None)
        .await
        .unwrap()
}

async fn adopt(app: &App, id: i64) {
    let official = app
        .db
        .user_by_email(official_email())
        .await
        .unwrap()
        .unwrap()
        .id;
    let ladder = Ladder::democracy_seoul();
    app.db
        .answer_proposal(id, Responder::Department, official, "채택합니다", &ladder)
        .await
        .unwrap();
    app.db
        .transition_proposal(id, &ProposalEvent::Adopt, &ladder, Some(official))
        .await
        .unwrap();
}

async fn api(app: &App, path: &str) -> (StatusCode, Value) {
    let r = reqwest::get(app.url(path)).await.unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn link(b: &mut Browser, proposal: i64, process: i64, cost: &str) -> (StatusCode, String) {
    b.get(&format!("/proposals/{proposal}")).await;
    let (status, body, location) = b
        .post(
            &format!("/proposals/{proposal}/budget-project"),
            &[("process", &process.to_string()), ("cost", cost)],
        )
        .await;
    (status, location.unwrap_or(body))
}

async fn an_adopted_proposal_becomes_a_project_and_the_trace_follows_it(app: App) {
    let open = process_in(&app, JONGNO, "종로구 추가 공모").await;
    let sajik_open = process_in(&app, SAJIK, "사직동 추가 공모").await;
    let mut author = app.signed_in(RESIDENT).await;
    let proposal = accepted_proposal(&app, &mut author, "버스 정류장 의자를 놓아 주세요").await;
    // Not adopted yet: refused, nothing stored.
    let (status, page) = link(&mut author, proposal, open, "3,000,000").await;
    assert_eq!(status, StatusCode::CONFLICT, "{page}");
    assert!(page.contains("budget-alert"));
    adopt(&app, proposal).await;
    // The author is offered the open processes of the proposal's scope and above, not the others.
    let (_, page) = author.get(&format!("/proposals/{proposal}")).await;
    assert!(page.contains("id=\"budget-link\""));
    assert!(page.contains("종로구 추가 공모"));
    assert!(!page.contains("사직동 추가 공모"));
    // Someone else, neither the author nor staff, may not.
    let mut member = app.signed_in(MEMBER).await;
    assert_eq!(
        link(&mut member, proposal, open, "3000000").await.0,
        StatusCode::FORBIDDEN
    );
    // A process of a scope below the proposal's is refused; a bad cost is refused.
    let en = |b: &str| b.to_owned();
    let (status, page) = link(&mut author, proposal, sajik_open, "3000000").await;
    assert_eq!(status, StatusCode::CONFLICT, "{}", en(&page));
    let (status, _) = link(&mut author, proposal, open, "three").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        app.db
            .project_of_proposal(proposal)
            .await
            .unwrap()
            .is_none()
    );
    // The author makes it a project; its page and the proposal's show the link both ways.
    let (status, location) = link(&mut author, proposal, open, "3,000,000").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{location}");
    let linked = app.db.project_of_proposal(proposal).await.unwrap().unwrap();
    assert_eq!(linked.process_id, open);
    let project = app.db.project(linked.project_id).await.unwrap().unwrap();
    let resident = app.db.user_by_email(RESIDENT).await.unwrap().unwrap().id;
    assert_eq!(
        (project.cost, project.proposer_id, project.title.as_str()),
        (3_000_000, Some(resident), "버스 정류장 의자를 놓아 주세요")
    );
    let (_, page) = author.get(&format!("/proposals/{proposal}")).await;
    assert!(page.contains("id=\"budget-project-link\""), "{page}");
    assert!(!page.contains("id=\"budget-link\""));
    let (_, page) = author.get(&format!("/budgets/{open}")).await;
    assert!(page.contains(&format!("href=\"/proposals/{proposal}\"")));
    // Again: already linked.
    let second = process_in(&app, JONGNO, "종로구 추가 공모 2").await;
    let (status, page) = link(&mut author, proposal, second, "3000000").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains("budget-alert"));
    // The trace follows the link from the proposal to the budget project.
    let (status, trace) = api(&app, &format!("/api/v1/trace?kind=proposal&id={proposal}")).await;
    assert_eq!(status, StatusCode::OK, "{trace}");
    let kinds: Vec<&str> = trace["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.first(), Some(&"proposal"), "{kinds:?}");
    assert!(kinds.contains(&"budget_project"), "{kinds:?}");
    let (_, back) = api(
        &app,
        &format!("/api/v1/trace?kind=budget_project&id={}", linked.project_id),
    )
    .await;
    assert_eq!(back["steps"][0]["kind"], "proposal");
    // Staff of the process's scope may link an adopted proposal of someone else, only while it takes
    // projects: the demo's adopted library proposal, to the voting process (refused) then the open one.
    let library = app
        .db
        .proposals_in_scope(
            scope_id(&app, JONGNO).await,
            maeul_db::proposals::Kind::Proposal,
            None,
            50,
        )
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.title.contains("작은도서관") && app_state_adopted(p))
        .map(|p| p.id);
    if let Some(library) = library
        && app.db.project_of_proposal(library).await.unwrap().is_none()
    {
        let mut staff = app.signed_in(STAFF).await;
        let (status, _) = link(&mut staff, library, second, "20000000").await;
        assert_eq!(status, StatusCode::SEE_OTHER);
    }
    let voting = app
        .db
        .processes(Some(scope_id(&app, JONGNO).await))
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.phase == Phase::VotingOpen)
        .unwrap()
        .id;
    let other = accepted_proposal(&app, &mut author, "가로수 그늘을 늘려 주세요").await;
    adopt(&app, other).await;
    let mut staff = app.signed_in(STAFF).await;
    let (status, page) = link(&mut staff, other, voting, "20000000").await;
    assert_eq!(status, StatusCode::CONFLICT, "{page}");
    assert!(app.db.project_of_proposal(other).await.unwrap().is_none());
}

fn app_state_adopted(p: &maeul_db::proposals::ProposalRow) -> bool {
    p.state.proposal() == Some(maeul_domain::proposal::ProposalState::Adopted)
}

/// A process of the scope in the committee's deliberation with one feasible project.
async fn deliberating(app: &App, code: &str) -> (i64, i64) {
    let id = process_in(app, code, "심의 중인 공모").await;
    let project = app
        .db
        .submit_project(&maeul_db::budget::NewProject {
            process_id: id,
            proposer_id: None,
            title: "공원 벤치",
            description: "",
            category: "",
            location: "",
            cost: 2_000_000,
            proposal_id: None,
        })
        .await
        .unwrap();
    advance(app, id).await;
    let feasible = ReviewEvent::Feasible {
        cost: 2_000_000,
        months: 3,
        envelope: 0,
    };
    app.db
        .review_project(project, &feasible, None)
        .await
        .unwrap();
    assert_eq!(advance(app, id).await, Phase::CommitteeDeliberation);
    (id, project)
}

/// A motion of Jongno-gu's governance committee that is proposed, not carried.
async fn motion_not_carried(app: &App) -> i64 {
    let committee = committee_named(app, JONGNO, "governance").await;
    let meeting = app
        .db
        .meetings_of(committee)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.state.takes_motions())
        .expect("a Jongno-gu meeting in session in the demo")
        .id;
    app.db
        .propose_motion(meeting, None, "아직 표결 전인 안건", "", None)
        .await
        .unwrap()
}

async fn a_shortlist_cites_a_carried_motion_of_the_process_scope_only(app: App) {
    let (id, project) = deliberating(&app, JONGNO).await;
    let carried = app
        .db
        .carried_motions_in(scope_id(&app, JONGNO).await)
        .await
        .unwrap()[0]
        .0;
    let elsewhere = app
        .db
        .carried_motions_in(scope_id(&app, SAJIK).await)
        .await
        .unwrap()[0]
        .0;
    let proposed = motion_not_carried(&app).await;
    let mut staff = app.signed_in(STAFF).await;
    let (_, page) = staff.get(&format!("/budgets/{id}")).await;
    assert!(
        page.contains(&format!("<option value=\"{carried}\"")),
        "the carried motions are offered"
    );
    let shortlist = |motion: String| {
        vec![
            ("event".to_owned(), "shortlist".to_owned()),
            ("motion".to_owned(), motion),
        ]
    };
    for (motion, message) in [
        (elsewhere.to_string(), "another area"),
        (proposed.to_string(), "not carried"),
        ("999999".to_owned(), "not carried"),
    ] {
        let fields = shortlist(motion);
        let fields: Vec<(&str, &str)> = fields
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        staff.get_lang(&format!("/budgets/{id}"), "en").await;
        let (status, page, _) = staff
            .post(&format!("/budget-projects/{project}/review"), &fields)
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{page}");
        assert!(page.contains("budget-alert"));
        let _ = message;
        let p = app.db.project(project).await.unwrap().unwrap();
        assert_eq!(p.shortlist_motion_id, None);
        assert_eq!(p.state, maeul_domain::budget::ProjectState::Feasible);
    }
    // A resident may not record the committee's decision.
    let mut resident = app.signed_in(RESIDENT).await;
    resident.get(&format!("/budgets/{id}")).await;
    let (status, _, _) = resident
        .post(
            &format!("/budget-projects/{project}/review"),
            &[("event", "shortlist"), ("motion", &carried.to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Staff record the shortlist decided by the carried motion; the process page links to it.
    staff.get(&format!("/budgets/{id}")).await;
    let (status, _, _) = staff
        .post(
            &format!("/budget-projects/{project}/review"),
            &[("event", "shortlist"), ("motion", &carried.to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.db
            .project(project)
            .await
            .unwrap()
            .unwrap()
            .shortlist_motion_id,
        Some(carried)
    );
    let (_, page) = app.browser().get(&format!("/budgets/{id}")).await;
    assert!(page.contains(&format!("#motion-{carried}\"")), "{page}");
    assert!(page.contains(&format!("id=\"cited-motion-{project}\"")));
}

async fn proposers_attach_files_to_their_projects(app: App) {
    let id = process_in(&app, JONGNO, "첨부 공모").await;
    let mut resident = app.signed_in(RESIDENT).await;
    resident.get(&format!("/budgets/{id}")).await;
    let (status, _, _) = resident
        .post(
            &format!("/budgets/{id}/projects"),
            &[("title", "놀이터 그늘막"), ("cost", "5,000,000")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let project = app.db.projects_of(id).await.unwrap()[0].id;
    let path = format!("/budget-projects/{project}/attachments");
    let (_, page) = resident.get(&format!("/budgets/{id}")).await;
    assert!(page.contains(&format!("action=\"{path}?_csrf=")));
    let pdf = b"%PDF-1.7\n\xe2\x80\x94 plan".to_vec();
    let (status, body, _) = resident
        .post_multipart(&path, "../설계도.pdf", pdf.clone(), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    // Refused files change nothing: a script, an empty file, someone else's upload, no CSRF token.
    let (status, page, _) = resident
        .post_multipart(&path, "x.pdf", b"<html><script>".to_vec(), &[])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("budget-alert"));
    let (status, _, _) = resident.post_multipart(&path, "x.pdf", vec![], &[]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut member = app.signed_in(MEMBER).await;
    member.get(&format!("/budgets/{id}")).await;
    let (status, _, _) = member
        .post_multipart(&path, "y.pdf", pdf.clone(), &[])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut anonymous = app.browser();
    anonymous.get("/").await;
    let (status, _, _) = anonymous
        .post_multipart(&path, "y.pdf", pdf.clone(), &[])
        .await;
    assert!(status == StatusCode::UNAUTHORIZED || status == StatusCode::SEE_OTHER);
    let files = app
        .db
        .files_of(maeul_db::attachments::AttachmentOwner::BudgetProject(
            project,
        ))
        .await
        .unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].file_name, "설계도.pdf");
    // Anyone downloads it with safe headers.
    let (_, page) = app.browser().get(&format!("/budgets/{id}")).await;
    assert!(page.contains(&format!("/budget-files/{}/", files[0].id)));
    let r = reqwest::get(app.url(&format!("/budget-files/{}/x", files[0].id)))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment;")
    );
    assert_eq!(r.bytes().await.unwrap().to_vec(), pdf);
    // Once the committee deliberates, files are closed.
    advance(&app, id).await;
    advance(&app, id).await;
    resident.get(&format!("/budgets/{id}")).await;
    let (status, _, _) = resident.post_multipart(&path, "late.pdf", pdf, &[]).await;
    assert_eq!(status, StatusCode::CONFLICT);
}

/// A small synthetic election: 4 projects, 6 approval ballots.
const ELECTION: &str = "META
key;value
description;사직동 주민참여예산 2023 (synthetic)
country;South Korea
unit;Sajik-dong
instance;2023
num_projects;4
num_votes;6
budget;10000000
vote_type;approval
rule;greedy
PROJECTS
project_id;cost;name;category
1;4000000;사직공원 운동기구;환경
2;3000000;골목 CCTV;안전
3;5000000;경로당 냉난방기;복지
4;2000000;마을 책장;교육
VOTES
voter_id;vote
1;1,2
2;1,3
3;2,4
4;3
5;1,2,4
6;3,4
";

async fn staff_import_a_historical_election_that_recounts_from_its_export(app: App) {
    let path = format!("/scopes/{JONGNO}/budget/import");
    let mut staff = app.signed_in(STAFF).await;
    staff.get(&format!("/scopes/{JONGNO}/budget")).await;
    let jongno = scope_id(&app, JONGNO).await;
    let before = app.db.processes(Some(jongno)).await.unwrap().len();
    let fields = [("title", "종로구 주민참여예산 2023"), ("rule", "mes_cost")];
    // Malformed files are named by line or section and change nothing.
    let broken = ELECTION.replace("2;3000000;골목 CCTV", "2;three;골목 CCTV");
    let (status, page, _) = staff
        .post_multipart(&path, "e.pb", broken.into_bytes(), &fields)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("import-alert"));
    let fractional = ELECTION.replace("4;2000000;마을 책장", "4;2000000.5;마을 책장");
    let (status, _, _) = staff
        .post_multipart(&path, "e.pb", fractional.into_bytes(), &fields)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let scoring = ELECTION.replace("vote_type;approval", "vote_type;scoring");
    let (status, _, _) = staff
        .post_multipart(&path, "e.pb", scoring.into_bytes(), &fields)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let huge = vec![b'x'; 3 * 1024 * 1024];
    // Read to its end before the refusal, so the sender sees the form's own message, not a reset.
    let (status, page, _) = staff.post_multipart(&path, "e.pb", huge, &fields).await;
    assert!(status.is_client_error(), "{status}");
    assert!(page.contains("import-alert"), "{page}");
    let bad_rule = [("title", "종로구 2023"), ("rule", "no_such_rule")];
    let (status, _, _) = staff
        .post_multipart(&path, "e.pb", ELECTION.into(), &bad_rule)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // A resident may not import.
    let mut resident = app.signed_in(RESIDENT).await;
    resident.get(&format!("/scopes/{JONGNO}/budget")).await;
    let (status, _, _) = resident
        .post_multipart(&path, "e.pb", ELECTION.into(), &fields)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(app.db.processes(Some(jongno)).await.unwrap().len(), before);
    // Staff import it: a counted process with its result, whose export re-counts the same.
    let (status, _, location) = staff
        .post_multipart(&path, "e.pb", ELECTION.into(), &fields)
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let id = id_after(&location, "/budgets/");
    let process = app.db.process(id).await.unwrap().unwrap();
    assert_eq!((process.phase, process.imported), (Phase::Tallied, 1));
    assert_eq!(app.db.ballots_of(id).await.unwrap().len(), 6);
    let (status, page) = staff.get(&format!("/budgets/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("imported-badge"));
    assert!(page.contains("골목 CCTV"));
    let (status, _) = staff.get(&format!("/budgets/{id}/result")).await;
    assert_eq!(status, StatusCode::OK);
    let (_, result) = api(&app, &format!("/api/v1/budgets/{id}/result")).await;
    let text = reqwest::get(app.url(&format!("/budgets/{id}/election.pb")))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let election = maeul_pb::format::parse_str(&text).unwrap().election;
    assert_eq!(election.voters.len(), 6);
    let outcome =
        maeul_pb::rules::run(&maeul_pb::Profile::new(&election), maeul_pb::Rule::MesCost).unwrap();
    let recount: Vec<i64> = outcome
        .selected
        .iter()
        .map(|i| election.projects[*i as usize].id.parse().unwrap())
        .collect();
    let stored: Vec<i64> = result["selected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    assert_eq!(recount, stored);
    assert!(!stored.is_empty());
    // History does not move.
    staff.get(&format!("/budgets/{id}")).await;
    let (status, _, _) = staff
        .post(&format!("/budgets/{id}/phase"), &[("event", "advance")])
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        app.db.process(id).await.unwrap().unwrap().phase,
        Phase::Tallied
    );
}
