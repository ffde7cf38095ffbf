//! The hardening probes (issue 11) kept as regression tests: concurrent writers through the real server,
//! hostile input at the edge, the Origin check of multipart forms and formula-safe CSV (accounts under
//! attack are in `identity`).
use crate::harness::*;
use reqwest::StatusCode;

app_tests!(
    concurrent_writes_never_fail,
    hostile_input_is_refused_at_the_edge,
    one_letter_searches_find_nothing_without_failing,
    oversized_bodies_answer_413,
    multipart_forms_check_the_origin,
    csv_exports_neutralise_formulas,
);

const CLIENTS: usize = 64;

/// Runs one POST per browser, all at once; returns the statuses.
async fn all_at_once<F>(browsers: Vec<(i64, Browser)>, request: F) -> Vec<(i64, StatusCode)>
where
    F: Fn(i64, usize) -> (String, Vec<(String, String)>),
{
    let mut tasks = tokio::task::JoinSet::new();
    for (i, (id, mut b)) in browsers.into_iter().enumerate() {
        let (path, fields) = request(id, i);
        tasks.spawn(async move {
            let fields: Vec<(&str, &str)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let (status, body, _) = b.post(&path, &fields).await;
            assert!(
                !status.is_server_error(),
                "{path}: {status} {}",
                &body[..body.len().min(300)]
            );
            (id, status)
        });
    }
    tasks.join_all().await
}

/// Every kind of write, 64 clients at once: no 5xx, every acknowledged write is a row, counts are exact.
async fn concurrent_writes_never_fail(app: App) {
    let mut resident = app.signed_in("resident@demo.maeul.kr").await;
    let proposal = accepted_proposal(&app, &mut resident, "동시 쓰기 시험").await;
    let tree = maeul_domain::ScopeTree::new(app.db.load_scopes().await.unwrap()).unwrap();
    let cheongun = tree.by_code("1111051500").unwrap().id;

    // Residence declarations.
    let browsers = session_browsers(&app, "declare", CLIENTS).await;
    let ids: Vec<i64> = browsers.iter().map(|(id, _)| *id).collect();
    let results = all_at_once(browsers, |_, _| {
        (
            "/account/residency".into(),
            vec![
                ("scope".into(), "1111051500".into()),
                ("basis".into(), "resident".into()),
            ],
        )
    })
    .await;
    assert!(results.iter().all(|(_, s)| *s == StatusCode::SEE_OTHER));
    for id in &ids {
        let r = app.db.residency_of(*id).await.unwrap().unwrap();
        assert_eq!(r.scope_id, cheongun);
    }

    // Comments: 64 clients, one comment each, then 64 more from the same clients.
    let browsers = session_browsers(&app, "commenter", CLIENTS).await;
    let path = format!("/proposals/{proposal}/comments");
    let results = all_at_once(browsers, |_, i| {
        (path.clone(), vec![("body".into(), format!("의견 {i}"))])
    })
    .await;
    let acknowledged = results
        .iter()
        .filter(|(_, s)| *s == StatusCode::SEE_OTHER)
        .count();
    assert_eq!(acknowledged, CLIENTS);
    let p = app.db.proposal(proposal).await.unwrap().unwrap();
    assert_eq!(p.comment_count, CLIENTS as i64, "counts equal rows");

    // Votes on one comment and follows of the proposal, everyone at once.
    let comment = app.db.comment_page(proposal, 0, 1).await.unwrap().0[0].id;
    let followers_before = app
        .db
        .follower_count(maeul_db::notifications::FollowTarget::Proposal(proposal))
        .await
        .unwrap();
    let browsers = session_browsers(&app, "voter", CLIENTS).await;
    let vote_path = format!("/comments/{comment}/vote");
    let results = all_at_once(browsers, |_, _| {
        (vote_path.clone(), vec![("value".into(), "1".into())])
    })
    .await;
    assert!(results.iter().all(|(_, s)| *s == StatusCode::SEE_OTHER));
    let c = app.db.comment(comment).await.unwrap().unwrap();
    assert_eq!(c.up_votes, CLIENTS as i64, "every vote counted once");
    let browsers = session_browsers(&app, "follower", CLIENTS).await;
    let results = all_at_once(browsers, |_, _| {
        (
            "/follows".into(),
            vec![
                ("target".into(), "proposal".into()),
                ("id".into(), proposal.to_string()),
                ("follow".into(), "1".into()),
            ],
        )
    })
    .await;
    assert!(results.iter().all(|(_, s)| *s == StatusCode::SEE_OTHER));
    assert_eq!(
        app.db
            .follower_count(maeul_db::notifications::FollowTarget::Proposal(proposal))
            .await
            .unwrap(),
        followers_before + CLIENTS as i64
    );

    // Supports by verified residents of the proposal's district.
    let browsers = session_browsers(&app, "supporter", CLIENTS).await;
    verify_residents(
        &app,
        browsers.iter().map(|(id, _)| *id).collect(),
        "1111051500",
    )
    .await;
    let before = app
        .db
        .proposal(proposal)
        .await
        .unwrap()
        .unwrap()
        .support_count;
    let path = format!("/proposals/{proposal}/support");
    let results = all_at_once(browsers, |_, _| (path.clone(), vec![])).await;
    assert!(
        results.iter().all(|(_, s)| *s == StatusCode::SEE_OTHER),
        "{results:?}"
    );
    let after = app
        .db
        .proposal(proposal)
        .await
        .unwrap()
        .unwrap()
        .support_count;
    assert_eq!(after - before, CLIENTS as i64, "every support counted once");

    // Meeting registrations and cancellations interleaved (PostgreSQL once deadlocked here).
    let governance = committee_named(&app, "11110", "Jongno-gu").await;
    // The demo's public meeting (the governance committee also has an adjourned one without registrations).
    let meeting = app
        .db
        .meetings_of(governance)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.capacity > 0)
        .expect("the demo's public meeting")
        .id;
    let browsers = session_browsers(&app, "attendee", CLIENTS).await;
    let (first, second): (Vec<_>, Vec<_>) = browsers.into_iter().partition(|(id, _)| id % 2 == 0);
    // The first half registers; then the first half cancels while the second half registers.
    for (id, _) in &first {
        app.db.register_for_meeting(meeting, *id).await.unwrap();
    }
    let cancelling = first.len();
    let mut mixed = first;
    mixed.extend(second);
    let results = all_at_once(mixed, |id, _| {
        let action = if id % 2 == 0 {
            "unregister"
        } else {
            "register"
        };
        (format!("/meetings/{meeting}/{action}"), vec![])
    })
    .await;
    assert!(
        results.iter().all(|(_, s)| *s == StatusCode::SEE_OTHER),
        "{results:?}"
    );
    let live = app.db.registrations(meeting).await.unwrap();
    let ours = live
        .iter()
        .filter(|r| results.iter().any(|(id, _)| *id == r.user_id))
        .count();
    assert_eq!(
        ours,
        CLIENTS - cancelling,
        "registered = registered - cancelled"
    );
    let meeting_row = app.db.meeting(meeting).await.unwrap().unwrap();
    let seated = live
        .iter()
        .filter(|r| r.status == maeul_domain::committee::RegistrationStatus::Registered)
        .count();
    assert!(seated as i64 <= meeting_row.capacity, "never over capacity");
}

/// A NUL byte (or another control character) anywhere a person or program can put text is a clear 400
/// before it reaches the database; tab and newline stay allowed in text.
async fn hostile_input_is_refused_at_the_edge(app: App) {
    let mut resident = app.signed_in("resident@demo.maeul.kr").await;
    let proposal = accepted_proposal(&app, &mut resident, "제어 문자 시험").await;
    let before = app
        .db
        .proposal(proposal)
        .await
        .unwrap()
        .unwrap()
        .comment_count;
    resident.get(&format!("/proposals/{proposal}")).await;
    for bad in ["a\0b", "a\u{1}b", "a\u{7f}b", "a\u{1b}[31mb"] {
        let (status, page, _) = resident
            .post(&format!("/proposals/{proposal}/comments"), &[("body", bad)])
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad:?}");
        assert!(page.contains("제어 문자"), "{page}");
    }
    // Tab and newline are ordinary in a text.
    let (status, _, _) = resident
        .post(
            &format!("/proposals/{proposal}/comments"),
            &[("body", "첫 줄\r\n둘째\t줄")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.db
            .proposal(proposal)
            .await
            .unwrap()
            .unwrap()
            .comment_count,
        before + 1
    );
    // Sign-in, registration, path segments and queries.
    let mut visitor = app.browser();
    visitor.get("/login").await;
    let (status, _, _) = visitor
        .post(
            "/login",
            &[("email", "resident@demo.maeul.kr\0"), ("password", "x\0")],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    for path in [
        "/people/a%00b",
        "/people/a%01b",
        "/search?q=a%00b",
        "/scopes/11110%00",
    ] {
        let (status, page) = visitor.get(path).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
        assert!(page.contains("제어 문자"), "{path}: {page}");
    }
    // The API: JSON bodies, tokens, paths.
    let http = reqwest::Client::new();
    let r = http
        .post(app.url("/api/v1/auth/token"))
        .json(&serde_json::json!({"email": "a\u{0}@example.kr", "password": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "control_character", "{body}");
    let token = token(&app, "resident@demo.maeul.kr").await;
    let r = http
        .post(app.url(&format!("/api/v1/proposals/{proposal}/comments")))
        .bearer_auth(&token)
        .json(&serde_json::json!({"body": "nul \u{0} inside"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = http
        .get(app.url("/api/v1/scopes/11110%00"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = http
        .get(app.url("/api/v1/me"))
        .header("authorization", "Bearer abc\u{1}def")
        .send()
        .await;
    // A control character in a header is refused by the client or answered 400/401 — never 5xx.
    if let Ok(r) = r {
        assert!(r.status().is_client_error(), "{}", r.status());
    }
    let r = http
        .get(app.url("/api/v1/me"))
        .header("authorization", "Bearer abc%00def")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.db
            .proposal(proposal)
            .await
            .unwrap()
            .unwrap()
            .comment_count,
        before + 1,
        "nothing hostile was stored"
    );
}

/// A search made only of one-letter words has no two-letter term for the index: no results, not a
/// failure (SQLite once sent an empty FTS5 MATCH).
async fn one_letter_searches_find_nothing_without_failing(app: App) {
    let mut b = app.browser();
    for q in ["a%20b", "a%26b", "a+b+c", "%EA%B0%80+%EB%82%98"] {
        let (status, _) = b.get(&format!("/search?q={q}")).await;
        assert_eq!(status, StatusCode::OK, "q={q}");
        let (status, _) = b.get(&format!("/search?q={q}&sort=supported")).await;
        assert_eq!(status, StatusCode::OK, "q={q} by supports");
    }
    // Storage answers an empty query with nothing.
    let q = maeul_domain::search::parse_query("a b").unwrap();
    assert!(
        app.db
            .search_comments(&q, "11", 10)
            .await
            .unwrap()
            .is_empty()
    );
}

/// Bodies over the limit answer 413 on forms, JSON and the register upload.
async fn oversized_bodies_answer_413(app: App) {
    let mut resident = app.signed_in("resident@demo.maeul.kr").await;
    let proposal = accepted_proposal(&app, &mut resident, "큰 본문 시험").await;
    resident.get(&format!("/proposals/{proposal}")).await;
    let big = "가".repeat(700_000);
    let (status, _, _) = resident
        .post(
            &format!("/proposals/{proposal}/comments"),
            &[("body", &big)],
        )
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let token = token(&app, "resident@demo.maeul.kr").await;
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/proposals/{proposal}/comments")))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "body": big }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let mut official = app.signed_in(official_email()).await;
    official.get("/manage/residency").await;
    let mut csv = String::from("name,birth_date,neighbourhood_code\n");
    while csv.len() < 11 * 1024 * 1024 {
        csv.push_str("김민지,1990-03-07,1111051500\n");
    }
    let (status, _) = upload_register(&official, &csv).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

async fn multipart_forms_check_the_origin(app: App) {
    let mut official = app.signed_in(official_email()).await;
    official.get("/manage/residency").await;
    let part = reqwest::multipart::Part::text(
        "name,birth_date,neighbourhood_code\n김민지,1990-03-07,1111051500\n",
    )
    .file_name("register.csv")
    .mime_str("text/csv")
    .unwrap();
    let r = official
        .http
        .post(app.url(&format!("/manage/register?_csrf={}", official.csrf)))
        .header("origin", "https://evil.example")
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let mut resident = app.signed_in("resident@demo.maeul.kr").await;
    resident.get("/scopes/11110/proposals/new").await;
    let (_, _, location) = resident
        .post(
            "/scopes/11110/proposals",
            &[
                ("title", "첨부 시험"),
                ("category", "environment"),
                ("body", "본문"),
                ("submit", "draft"),
            ],
        )
        .await;
    let id = proposal_id(location.as_deref().unwrap());
    resident.get(&format!("/proposals/{id}")).await;
    let part = reqwest::multipart::Part::bytes(b"%PDF-1.4\n".to_vec())
        .file_name("a.pdf")
        .mime_str("application/pdf")
        .unwrap();
    let r = resident
        .http
        .post(app.url(&format!(
            "/proposals/{id}/attachments?_csrf={}",
            resident.csrf
        )))
        .header("origin", "null")
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(app.db.attachments_of(id).await.unwrap().is_empty());
    // The CSRF cookie is Secure when the site runs with secure cookies.
    let secure = App::start_with(app.db.clone(), app.passwords.clone(), true).await;
    let r = reqwest::get(secure.url("/")).await.unwrap();
    let csrf_cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("maeul_csrf="))
        .unwrap();
    assert!(csrf_cookie.contains("Secure"), "{csrf_cookie}");
}

/// Every CSV export goes through the guarded writer: a cell that would start a formula is quoted as text.
async fn csv_exports_neutralise_formulas(app: App) {
    let mut resident = app.signed_in("resident@demo.maeul.kr").await;
    let title = "=HYPERLINK(\"https://evil.example\",\"x\")";
    accepted_proposal(&app, &mut resident, title).await;
    let (status, csv) = resident.get("/scopes/11110/proposals.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!csv.contains(",=HYPERLINK") && !csv.contains("\n=HYPERLINK"));
    assert!(
        csv.contains("'=HYPERLINK"),
        "the formula is neutralised: {csv}"
    );
    // Only the guarded writer writes CSV in the web crate.
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut offenders = vec![];
    let mut stack = vec![src];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs")
                && !path.ends_with("http/csv.rs")
                && std::fs::read_to_string(&path)
                    .unwrap()
                    .contains("csv::Writer")
            {
                offenders.push(path);
            }
        }
    }
    assert!(offenders.is_empty(), "raw CSV writers: {offenders:?}");
}
