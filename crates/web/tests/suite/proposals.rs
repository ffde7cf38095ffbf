//! Proposals over HTTP: from draft to answer, input and permission checks, the API, feeds and CSV
//! exports, a scope's own thresholds.
use crate::harness::*;
use reqwest::StatusCode;

app_tests!(
    a_proposal_goes_from_draft_to_answer,
    proposal_input_and_permissions_are_checked,
    proposals_through_the_api_feeds_and_exports,
    a_scope_configures_its_ladder,
);

async fn a_proposal_goes_from_draft_to_answer(app: App) {
    let mut resident = app.signed_in("resident@demo.maeul.kr").await;
    resident.get("/scopes/11110/proposals/new").await;
    let fields = [
        ("title", "청운동 골목에 쉼터 벤치"),
        ("category", "environment"),
        (
            "body",
            "**어르신**들이 쉴 곳이 필요합니다.\n\n<script>alert(1)</script>",
        ),
        ("submit", "submit"),
    ];
    let (status, _, location) = resident.post("/scopes/11110/proposals", &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let id = proposal_id(location.as_deref().unwrap());
    let (_, page) = resident.get(&format!("/proposals/{id}")).await;
    assert!(
        page.contains("검토 대기"),
        "the author sees the submitted proposal"
    );
    assert!(
        page.contains("<strong>어르신</strong>")
            && page.contains("&lt;script&gt;")
            && !page.contains("<script>alert")
    );
    assert_eq!(
        app.browser().get(&format!("/proposals/{id}")).await.0,
        StatusCode::NOT_FOUND,
        "not public before moderation"
    );

    let mut moderator = app.signed_in("moderator@demo.maeul.kr").await;
    let (_, queue) = moderator.get("/moderation").await;
    assert!(queue.contains("청운동 골목에 쉼터 벤치"));
    moderator.get(&format!("/proposals/{id}")).await;
    let (status, _, _) = moderator
        .post(&format!("/proposals/{id}/accept"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // 49 verified residents support (seeded), the demo resident is the 50th, through the page.
    let tree = maeul_domain::ScopeTree::new(app.db.load_scopes().await.unwrap()).unwrap();
    let cheongun = tree.by_code("1111051500").unwrap().id;
    let ladder = maeul_domain::proposal::Ladder::democracy_seoul();
    for i in 0..49 {
        let uid = app
            .db
            .create_user(&new_user(&format!("n{i}@example.kr"), "n"))
            .await
            .unwrap();
        app.db
            .declare_residency(uid, cheongun, maeul_domain::ResidencyBasis::Resident, None)
            .await
            .unwrap();
        app.db.support_proposal(id, uid, &ladder).await.unwrap();
    }
    resident.get(&format!("/proposals/{id}")).await;
    let (status, _, location) = resident
        .post(&format!("/proposals/{id}/support"), &[])
        .await;
    assert_eq!(
        (status, location.unwrap().contains("notice-supported")),
        (StatusCode::SEE_OTHER, true)
    );
    let (_, _, location) = resident
        .post(&format!("/proposals/{id}/support"), &[])
        .await;
    assert!(
        location.unwrap().contains("notice-already-supported"),
        "one support per person"
    );
    let (_, page) = resident.get(&format!("/proposals/{id}")).await;
    assert!(page.contains("data-count=\"50\""), "exact count");
    assert!(
        page.contains("담당 부서") && page.contains("까지"),
        "the department now owes an answer"
    );

    let mut official = app.signed_in(official_email()).await;
    let (_, page) = official.get(&format!("/proposals/{id}")).await;
    assert!(
        page.contains("id=\"answer-submit\""),
        "the Jongno-gu official may answer"
    );
    let (status, _, _) = official
        .post(
            &format!("/proposals/{id}/answer"),
            &[
                ("responder", "department"),
                ("body", "벤치 두 개를 설치하겠습니다."),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = resident.get(&format!("/proposals/{id}")).await;
    assert!(page.contains("답변 완료") && page.contains("벤치 두 개를 설치하겠습니다."));
    assert!(page.contains("답변함"), "the obligation is fulfilled");
    let (_, found) = app.browser().get("/search?q=%EC%89%BC%ED%84%B0").await; // "쉼터", two syllables
    assert!(
        found.contains(&format!("/proposals/{id}")),
        "search finds it by a two-syllable fragment"
    );
    let (_, elsewhere) = app
        .browser()
        .get("/search?q=%EC%89%BC%ED%84%B0&scope=11680")
        .await;
    assert!(
        !elsewhere.contains(&format!("/proposals/{id}")),
        "the scope filter excludes it"
    );
    let (_, district) = app.browser().get("/scopes/11110").await;
    assert!(
        district.contains(&format!("/proposals/{id}")),
        "the district page lists it"
    );
}

async fn proposal_input_and_permissions_are_checked(app: App) {
    // Not a verified resident: may not propose or support.
    let mut newcomer = app.browser();
    assert_eq!(
        newcomer
            .register("새사람", "newcomer@example.kr", "long enough password")
            .await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        newcomer.get("/scopes/11110/proposals/new").await.0,
        StatusCode::FORBIDDEN
    );
    // A resident of Jongno-gu may not propose in Gangnam-gu, but may in the city.
    let mut resident = app.signed_in("resident@demo.maeul.kr").await;
    assert_eq!(
        resident.get("/scopes/11680/proposals/new").await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        resident.get("/scopes/11/proposals/new").await.0,
        StatusCode::OK
    );
    let long_title = "가".repeat(121);
    let (status, page, _) = resident
        .post(
            "/scopes/11/proposals",
            &[("title", &long_title), ("category", "<b>"), ("body", "")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for id in ["title-error", "category-error", "body-error"] {
        assert!(page.contains(&format!("id=\"{id}\"")), "{id}");
    }
    let (status, _, location) = resident
        .post(
            "/scopes/11/proposals",
            &[
                ("title", "시 전체 제안"),
                ("category", "safety"),
                ("body", "본문"),
                ("submit", "submit"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let id = proposal_id(location.as_deref().unwrap());
    // The author cannot moderate their own proposal; rejection needs a reason.
    assert_eq!(
        resident
            .post(&format!("/proposals/{id}/accept"), &[])
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let mut moderator = app.signed_in("moderator@demo.maeul.kr").await;
    moderator.get("/moderation").await;
    assert_eq!(
        moderator
            .post(&format!("/proposals/{id}/reject"), &[("reason", "  ")])
            .await
            .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        moderator
            .post(&format!("/proposals/{id}/accept"), &[])
            .await
            .0,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        moderator
            .post(&format!("/proposals/{id}/accept"), &[])
            .await
            .0,
        StatusCode::CONFLICT,
        "accepting twice"
    );
    newcomer.get("/").await;
    assert_eq!(
        newcomer
            .post(&format!("/proposals/{id}/support"), &[])
            .await
            .0,
        StatusCode::FORBIDDEN,
        "non-residents cannot support"
    );
    let p = app.db.proposal(id).await.unwrap().unwrap();
    assert_eq!(p.support_count, 0);
    // An official of Jongno-gu cannot answer a city-wide proposal.
    let mut official = app.signed_in(official_email()).await;
    official.get("/").await;
    assert_eq!(
        official
            .post(
                &format!("/proposals/{id}/answer"),
                &[("responder", "department"), ("body", "x")]
            )
            .await
            .0,
        StatusCode::FORBIDDEN
    );
}

async fn proposals_through_the_api_feeds_and_exports(app: App) {
    let http = reqwest::Client::new();
    let resident = token(&app, "resident@demo.maeul.kr").await;
    let bad = http
        .post(app.url("/api/v1/scopes/11110/proposals"))
        .bearer_auth(&resident)
        .json(&serde_json::json!({"title": "ab", "body": "x", "category": "environment"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error = &bad.json::<serde_json::Value>().await.unwrap()["error"];
    assert_eq!(error["code"], "invalid_fields");
    assert_eq!(error["fields"][0]["field"], "title");
    assert_eq!(error["fields"][0]["code"], "too_short");
    assert!(error["message"].as_str().unwrap().contains('4'));
    let elsewhere = http
        .post(app.url("/api/v1/scopes/11680/proposals"))
        .bearer_auth(&resident)
        .json(&serde_json::json!({"title": "강남 제안", "body": "x", "category": "other"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        elsewhere.status(),
        StatusCode::FORBIDDEN,
        "a Jongno resident cannot propose in Gangnam"
    );
    let r = http.post(app.url("/api/v1/scopes/11110/proposals")).bearer_auth(&resident)
        .json(&serde_json::json!({"title": "종로 야간 보행로 조명", "body": "어두운 골목 & <빛>", "category": "safety"})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        http.get(app.url(&format!("/api/v1/proposals/{id}")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND,
        "hidden until moderated"
    );
    let ladder = maeul_domain::proposal::Ladder::democracy_seoul();
    app.db
        .transition_proposal(
            id,
            &maeul_domain::proposal::ProposalEvent::Accept,
            &ladder,
            None,
        )
        .await
        .unwrap();

    let s: serde_json::Value = http
        .post(app.url(&format!("/api/v1/proposals/{id}/support")))
        .bearer_auth(&resident)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (s["changed"].as_bool(), s["support_count"].as_i64()),
        (Some(true), Some(1))
    );
    let again: serde_json::Value = http
        .post(app.url(&format!("/api/v1/proposals/{id}/support")))
        .bearer_auth(&resident)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (again["changed"].as_bool(), again["support_count"].as_i64()),
        (Some(false), Some(1))
    );
    let official = token(&app, official_email()).await;
    let forbidden = http
        .post(app.url(&format!("/api/v1/proposals/{id}/support")))
        .bearer_auth(&official)
        .send()
        .await
        .unwrap();
    assert_eq!(
        forbidden.status(),
        StatusCode::FORBIDDEN,
        "the official is not a resident"
    );
    let answered = http
        .post(app.url(&format!("/api/v1/proposals/{id}/answers")))
        .bearer_auth(&official)
        .json(&serde_json::json!({"responder": "department", "body": "가로등을 달겠습니다"}))
        .send()
        .await
        .unwrap();
    assert_eq!(answered.status(), StatusCode::NO_CONTENT);
    let not_official = http
        .post(app.url(&format!("/api/v1/proposals/{id}/answers")))
        .bearer_auth(&resident)
        .json(&serde_json::json!({"responder": "department", "body": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(not_official.status(), StatusCode::FORBIDDEN);
    let detail: serde_json::Value = http
        .get(app.url(&format!("/api/v1/proposals/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(detail["state"], "answered");
    assert_eq!(detail["answers"][0]["body"], "가로등을 달겠습니다");
    let list: Vec<serde_json::Value> = http
        .get(app.url("/api/v1/scopes/11110/proposals"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let listed = list
        .iter()
        .find(|p| p["id"] == id)
        .expect("the new proposal is listed");
    assert_eq!(listed["support_count"], 1);

    let feed = http
        .get(app.url("/scopes/11110/feed.atom"))
        .send()
        .await
        .unwrap();
    assert!(
        feed.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/atom+xml")
    );
    let feed = feed.text().await.unwrap();
    assert!(
        feed.contains("<title>종로 야간 보행로 조명</title>")
            && feed.contains(&format!("/proposals/{id}</id>"))
    );
    assert!(
        feed.contains("&amp;lt;빛&amp;gt;") || feed.contains("&lt;빛&gt;"),
        "text is escaped: {feed}"
    );
    assert!(!feed.contains("<빛>"));
    let city_feed = http
        .get(app.url("/scopes/11/feed.atom"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        city_feed.contains("종로 야간 보행로 조명"),
        "the city feed covers its districts"
    );

    let csv = http
        .get(app.url("/scopes/11/proposals.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // A byte-order mark first, so spreadsheet programs read the Korean text as UTF-8.
    let csv = csv.strip_prefix('\u{feff}').expect("a UTF-8 BOM");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "id,scope_code,title,category,state,support_count,created_at"
    );
    // The demo city's own proposals are listed too; ours is one row among them.
    let ours = format!("{id},11110,종로 야간 보행로 조명,safety,answered,1,");
    assert_eq!(lines.iter().filter(|l| l.starts_with(&ours)).count(), 1);
    // Every proposal of the demo city is in Jongno-gu, so the city's export has a row for each one listed there.
    assert_eq!(lines.len(), 1 + list.len(), "one row per proposal");
    let doc: serde_json::Value = http
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["paths"].get("/proposals/{id}/support").is_some());
}

async fn a_scope_configures_its_ladder(app: App) {
    let mut official = app.signed_in(official_email()).await;
    official.get("/scopes/11110/proposals").await;
    let fields = [
        ("answer_at", "2"),
        ("forum_at", "3"),
        ("head_at", "10"),
        ("answer_days", "7"),
    ];
    assert_eq!(
        official.post("/scopes/11110/ladder", &fields).await.0,
        StatusCode::FORBIDDEN,
        "officials do not set rules"
    );
    let mut admin = app.signed_in("admin@demo.maeul.kr").await;
    let (_, page) = admin.get("/scopes/11110/proposals").await;
    assert!(page.contains("서울시 기준") && page.contains("id=\"ladder-save\""));
    // A refused configuration says why and changes nothing.
    let bad = [
        ("answer_at", "5"),
        ("forum_at", "3"),
        ("head_at", "10"),
        ("answer_days", "7"),
    ];
    let (status, page, _) = admin.post("/scopes/11110/ladder", &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("공론장은 부서 답변 기준보다 먼저 열릴 수 없습니다"));
    assert!(page.contains("서울시 기준"));
    let (status, _, _) = admin.post("/scopes/11110/ladder", &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = app.browser().get("/scopes/1111051500/proposals").await;
    assert!(
        page.contains("종로구에서 정한 기준") && page.contains("7일 안에 답변"),
        "the neighbourhood inherits"
    );
    // With the district's ladder, two supporters oblige the department to answer within 7 days.
    let mut resident = app.signed_in("resident@demo.maeul.kr").await;
    let id = accepted_proposal(&app, &mut resident, "가로등 교체 요청").await;
    let member_id = app
        .db
        .user_by_email("member@demo.maeul.kr")
        .await
        .unwrap()
        .unwrap()
        .id;
    let tree = maeul_domain::ScopeTree::new(app.db.load_scopes().await.unwrap()).unwrap();
    let district = tree.by_code("11110").unwrap();
    let ladder = maeul_web::areas::proposals::service::ladder_for(&app.state, district.id)
        .await
        .unwrap();
    app.db
        .support_proposal(id, member_id, &ladder)
        .await
        .unwrap();
    resident.get(&format!("/proposals/{id}")).await;
    resident
        .post(&format!("/proposals/{id}/support"), &[])
        .await;
    let obligations = app.db.proposal_obligations(id).await.unwrap();
    assert_eq!(obligations.len(), 1);
    assert_eq!(
        obligations[0].due_at - obligations[0].created_at,
        7 * 86_400
    );
}
