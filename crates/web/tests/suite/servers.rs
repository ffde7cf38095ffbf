//! Several `maeul serve` processes on one database (issue 11): a session made on one server works on the
//! other, each background job runs exactly once whichever worker claims it, and the sign-in limits hold
//! across servers (see `hardening::sign_in_limits_slow_the_attacker_but_the_owner_gets_in`).
use crate::harness::*;
use reqwest::StatusCode;

app_tests!(
    two_servers_share_sessions_and_run_each_job_once,
    addresses_behind_the_proxy_are_limited_apart,
    scopes_added_on_one_server_reach_the_other,
);

async fn two_servers_share_sessions_and_run_each_job_once(app: App) {
    let second = App::start_on_existing(app.db.clone(), app.passwords.clone()).await;
    // A session made on the first server is valid on the second (cookies go by host, not port).
    let mut resident = app.signed_in("resident@demo.maeul.kr").await;
    let r = resident
        .http
        .get(second.url("/account"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "signed in on the second server");
    assert!(r.text().await.unwrap().contains("resident@demo.maeul.kr"));

    // Drain what the demo left in the queue, then make work: comments on the resident's proposal.
    let proposal = accepted_proposal(&app, &mut resident, "두 서버 시험").await;
    while maeul_web::jobs::run_pass(&app.state).await.unwrap() > 0 {}
    let author = app
        .db
        .user_by_email("resident@demo.maeul.kr")
        .await
        .unwrap()
        .unwrap()
        .id;
    let before = app.db.unread_notifications(author).await.unwrap();
    const COMMENTS: i64 = 24;
    for i in 0..COMMENTS {
        let email = format!("writer{i}@example.kr");
        let id = app
            .db
            .create_user(&new_user(&email, &format!("writer {i}")))
            .await
            .unwrap();
        app.db
            .add_comment(proposal, None, id, &format!("의견 {i}"), None)
            .await
            .unwrap();
    }
    // Both servers' workers run at once until the queue is empty.
    let (a, b) = (app.state.clone(), second.state.clone());
    let worker = |state: maeul_web::AppState| async move {
        let mut handled = 0;
        loop {
            let n = maeul_web::jobs::run_pass(&state).await.unwrap();
            if n == 0 {
                break handled;
            }
            handled += n;
        }
    };
    let (ha, hb) = tokio::join!(tokio::spawn(worker(a)), tokio::spawn(worker(b)));
    let (ha, hb) = (ha.unwrap(), hb.unwrap());
    let after = app.db.unread_notifications(author).await.unwrap();
    assert_eq!(
        after - before,
        COMMENTS,
        "one notification per comment (handled {ha} + {hb})"
    );
    // Every job due by now is done, each after exactly one claim.
    let now = maeul_db::now();
    let jobs = app.db.recent_jobs(200).await.unwrap();
    let due: Vec<_> = jobs.iter().filter(|j| j.run_at <= now).collect();
    assert!(due.len() as i64 >= COMMENTS);
    assert!(
        due.iter().all(|j| j.done_at.is_some() && j.attempts == 1),
        "every job ran once: {due:?}"
    );
}

/// Behind a load balancer every request comes from its address: the configured header (the harness sets
/// `X-Forwarded-For`) tells clients apart, so one guesser does not slow everyone down.
async fn addresses_behind_the_proxy_are_limited_apart(app: App) {
    let http = reqwest::Client::new();
    let attempt = |ip: &'static str, i: usize| {
        let http = http.clone();
        let url = app.url("/api/v1/auth/token");
        async move {
            http.post(url)
                .header("x-forwarded-for", format!("198.51.100.1, {ip}"))
                .json(&serde_json::json!({"email": format!("nobody{i}@example.kr"), "password": "wrong password"}))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    for i in 0..maeul_web::ratelimit::ADDRESS_FREE as usize {
        assert_eq!(attempt("203.0.113.7", i).await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        attempt("203.0.113.7", 999).await,
        StatusCode::TOO_MANY_REQUESTS,
        "the guessing address waits"
    );
    assert_eq!(
        attempt("203.0.113.8", 999).await,
        StatusCode::UNAUTHORIZED,
        "another client behind the same proxy does not"
    );
}

/// The scope tree is cached per server; a scope added through another server (or a seeding run) is seen
/// after the next background pass.
async fn scopes_added_on_one_server_reach_the_other(app: App) {
    let second = App::start_on_existing(app.db.clone(), app.passwords.clone()).await;
    let jongno = app.state.scopes().by_code("11110").unwrap().id;
    app.db
        .insert_scopes(&[maeul_db::scopes::NewScope {
            code: "1111099900",
            kind: maeul_domain::ScopeKind::Neighbourhood,
            parent_id: Some(jongno),
            name_ko: "시험동",
            name_en: "Test-dong",
        }])
        .await
        .unwrap();
    assert!(second.state.scopes().by_code("1111099900").is_none());
    maeul_web::jobs::run_pass(&second.state).await.unwrap();
    assert!(second.state.scopes().by_code("1111099900").is_some());
    let r = reqwest::get(second.url("/scopes/1111099900"))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}
