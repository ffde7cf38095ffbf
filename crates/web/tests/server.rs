//! The real server on a free port, on SQLite and on PostgreSQL: pages, forms, API and the
//! authorization matrix, driven over HTTP like a browser or a program would.
#[macro_use]
mod common;

use common::{App, Browser, token};
use reqwest::StatusCode;

backend_tests!(
    health_names_the_backend,
    language_follows_accept_language_then_the_switch,
    scopes_api_lists_the_whole_city,
    scope_pages_render_at_every_level,
    forms_without_the_csrf_token_are_refused,
    registration_signs_in_and_escapes_names,
    bad_registrations_change_nothing,
    sign_in_is_rate_limited,
    api_tokens_authenticate_and_revoke,
    api_errors_are_json,
    residence_is_verified_only_within_authority,
    authorization_matrix,
    password_reset_through_the_outbox,
    register_import_is_all_or_nothing,
    security_headers_and_cookie_flags,
    a_proposal_goes_from_draft_to_answer,
    proposal_input_and_permissions_are_checked,
    proposals_through_the_api_feeds_and_exports,
    comments_thread_on_a_proposal,
    notifications_reach_the_author_and_mail_can_be_stopped,
    reports_moderation_and_blocking,
    debates_take_positions,
    attachments_are_checked,
    debates_and_comments_through_the_api,
    a_scope_configures_its_ladder,
);

fn official_email() -> &'static str {
    "official@demo.maeul.kr"
}

// --- tests ---------------------------------------------------------------------------------------------

async fn health_names_the_backend(app: App) {
    let body: serde_json::Value = reqwest::get(app.url("/healthz"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let expected = app.db.backend().as_str();
    assert_eq!(
        body,
        serde_json::json!({"status": "ok", "database": expected})
    );
}

async fn language_follows_accept_language_then_the_switch(app: App) {
    let mut b = app.browser();
    let ko = b.get_lang("/", "ko-KR,ko;q=0.9").await;
    assert!(ko.contains("<html lang=\"ko\">") && ko.contains("서울특별시, 주민과 함께 결정합니다"));
    let en = b.get_lang("/", "en-US,en;q=0.9").await;
    assert!(en.contains("<html lang=\"en\">") && en.contains("Seoul decides with its residents"));
    b.get("/").await;
    let (status, _, location) = b
        .post("/lang", &[("lang", "en"), ("back", "/scopes/11110")])
        .await;
    assert_eq!(
        (status, location.as_deref()),
        (StatusCode::SEE_OTHER, Some("/scopes/11110"))
    );
    let remembered = b.get_lang("/scopes/11110", "ko").await;
    assert!(
        remembered.contains("<html lang=\"en\">") && remembered.contains("Jongno-gu"),
        "the choice beats the header"
    );
    let (_, _, location) = b
        .post(
            "/lang",
            &[("lang", "ko"), ("back", "https://evil.example/")],
        )
        .await;
    assert_eq!(location.as_deref(), Some("/"), "never redirect off-site");
}

async fn scopes_api_lists_the_whole_city(app: App) {
    let scopes: Vec<serde_json::Value> = reqwest::get(app.url("/api/v1/scopes"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(scopes.len(), 452);
    let kinds = |k: &str| scopes.iter().filter(|s| s["kind"] == k).count();
    assert_eq!(
        (kinds("city"), kinds("district"), kinds("neighbourhood")),
        (1, 25, 426)
    );
    let dong = scopes.iter().find(|s| s["code"] == "1111051500").unwrap();
    assert_eq!(dong["name_ko"], "청운효자동");
    assert_eq!(dong["parent_code"], "11110");
    assert!(scopes.iter().find(|s| s["kind"] == "city").unwrap()["parent_code"].is_null());
    let jongno: serde_json::Value = reqwest::get(app.url("/api/v1/scopes/11110"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(jongno["name_en"], "Jongno-gu");
    assert_eq!(jongno["children"].as_array().unwrap().len(), 17);
}

async fn scope_pages_render_at_every_level(app: App) {
    let mut b = app.browser();
    let (status, city) = b.get("/scopes/11").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        city.matches("class=\"card\"").count(),
        25,
        "the city lists its 25 districts"
    );
    let (_, district) = b.get("/scopes/11110").await;
    assert!(district.contains("종로구") && district.contains("/scopes/1111051500"));
    assert_eq!(district.matches("class=\"card\"").count(), 17);
    let (_, dong) = b.get("/scopes/1111051500").await;
    assert!(dong.contains("청운효자동") && dong.contains("aria-current=\"page\""));
    assert!(
        dong.contains("href=\"/scopes/11110\""),
        "breadcrumb back to the district"
    );
    let (status, missing) = b.get("/scopes/99999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(missing.contains("페이지를 찾을 수 없습니다"));
    let en = b.get_lang("/no/such/page", "en").await;
    assert!(en.contains("Page not found"));
}

async fn forms_without_the_csrf_token_are_refused(app: App) {
    let mut b = app.browser();
    b.get("/register").await;
    let form = "display_name=x&email=x%40example.kr&password=long+enough+password&password_confirm=long+enough+password";
    let (status, body, _) = b.post_raw("/register", form.into()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("양식이 만료되었습니다"));
    let (status, _, _) = b
        .post_raw(
            "/register",
            format!("_csrf=forged{}&{form}", "x".repeat(37)),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A cross-site POST carrying a valid token but another Origin is refused too.
    let r = b
        .http
        .post(app.url("/register"))
        .header("origin", "https://evil.example")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("_csrf={}&{form}", b.csrf))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(
        app.db
            .user_by_email("x@example.kr")
            .await
            .unwrap()
            .is_none(),
        "nothing was created"
    );
}

async fn registration_signs_in_and_escapes_names(app: App) {
    let mut b = app.browser();
    let status = b
        .register(
            "<script>alert(1)</script>",
            "New@Example.kr",
            "long enough password",
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, page) = b.get("/account").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("new@example.kr"), "e-mail normalised");
    assert!(
        page.contains("&#60;script&#62;alert(1)&#60;/script&#62;")
            || page.contains("&lt;script&gt;")
    );
    assert!(!page.contains("<script>alert(1)"), "names are escaped");
    let user = app
        .db
        .user_by_email("new@example.kr")
        .await
        .unwrap()
        .unwrap();
    assert!(user.password_hash.starts_with("$argon2id$"));
    let (status, _, _) = b.post("/logout", &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = b.get("/account").await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "signed out: the account page redirects to sign-in"
    );
}

async fn bad_registrations_change_nothing(app: App) {
    let before = app.db.user_count().await.unwrap();
    let mut b = app.browser();
    b.get("/register").await;
    let fields = [
        ("display_name", ""),
        ("email", "not-an-email"),
        ("password", "short"),
        ("password_confirm", "other"),
    ];
    let (status, page, _) = b.post("/register", &fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for id in [
        "display_name-error",
        "email-error",
        "password-error",
        "password_confirm-error",
    ] {
        assert!(
            page.contains(&format!("id=\"{id}\"")),
            "field message {id} missing"
        );
    }
    assert!(page.contains("aria-invalid=\"true\""));
    assert!(
        page.contains("value=\"not-an-email\""),
        "entered values are kept"
    );
    assert!(
        !page.contains("value=\"short\""),
        "passwords are never echoed"
    );
    // An e-mail already in use.
    let status = b
        .register("Someone", "resident@demo.maeul.kr", "long enough password")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.db.user_count().await.unwrap(), before);
}

async fn sign_in_is_rate_limited(app: App) {
    let mut b = app.browser();
    for _ in 0..5 {
        let (status, page) = b.login("resident@demo.maeul.kr", "wrong password!").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(page.contains("이메일 또는 비밀번호가 올바르지 않습니다"));
    }
    let right = app.passwords["resident@demo.maeul.kr"].clone();
    let (status, page) = b.login("resident@demo.maeul.kr", &right).await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits out the window"
    );
    assert!(page.contains("15분"));
    let admin = &app.passwords["admin@demo.maeul.kr"];
    let (status, _) = app.browser().login("admin@demo.maeul.kr", admin).await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "others behind the same address still sign in"
    );
    for i in 0..45 {
        let (status, _) = app
            .browser()
            .login(&format!("guess{i}@example.kr"), "wrong password!")
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, _) = app.browser().login("admin@demo.maeul.kr", admin).await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "an address that tried 50 wrong passwords waits"
    );
}

async fn api_tokens_authenticate_and_revoke(app: App) {
    let http = reqwest::Client::new();
    let password = &app.passwords[official_email()];
    let r = http
        .post(app.url("/api/v1/auth/token"))
        .json(
            &serde_json::json!({"email": official_email(), "password": password, "label": "test"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let created: serde_json::Value = r.json().await.unwrap();
    let token = created["token"].as_str().unwrap().to_owned();
    let me: serde_json::Value = http
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], official_email());
    assert_eq!(
        me["roles"],
        serde_json::json!([{"role": "official", "scope_code": "11110"}])
    );
    let r = http
        .delete(app.url("/api/v1/auth/token"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = http
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::UNAUTHORIZED,
        "a revoked token no longer works"
    );
    let r = http
        .post(app.url("/api/v1/auth/token"))
        .json(&serde_json::json!({"email": official_email(), "password": "wrong"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

async fn api_errors_are_json(app: App) {
    let http = reqwest::Client::new();
    let r = http.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthorized");
    let r = http
        .post(app.url("/api/v1/auth/token"))
        .header("content-type", "application/json")
        .body("{\"email\": 1")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap().len() > 5);
    let r = http
        .post(app.url("/api/v1/auth/token"))
        .body("email=x")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let r = http
        .get(app.url("/api/v1/scopes/00000"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["error"]["code"],
        "not_found"
    );
    let doc: serde_json::Value = http
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/scopes",
        "/api/v1/scopes/{code}",
        "/api/v1/me",
        "/api/v1/auth/token",
        "/api/v1/auth/tokens/{id}",
    ] {
        assert!(
            doc["paths"].get(path).is_some(),
            "{path} missing from the OpenAPI document"
        );
    }
}

/// A newcomer declares a home in Jongno-gu: an official of Gangnam-gu cannot verify it, Jongno's can.
async fn residence_is_verified_only_within_authority(app: App) {
    let mut resident = app.browser();
    assert_eq!(
        resident
            .register("새 주민", "new@example.kr", "long enough password")
            .await,
        StatusCode::SEE_OTHER
    );
    resident.get("/account").await;
    let (status, _, location) = resident
        .post(
            "/account/residency",
            &[("scope", "1111051500"), ("basis", "resident")],
        )
        .await;
    assert_eq!(
        (status, location.as_deref()),
        (
            StatusCode::SEE_OTHER,
            Some("/account?notice=notice-residency-pending")
        )
    );
    let new_id = app
        .db
        .user_by_email("new@example.kr")
        .await
        .unwrap()
        .unwrap()
        .id;

    // An official of another district.
    let gangnam = app
        .db
        .create_user(
            "gangnam@example.kr",
            "강남 공무원",
            &maeul_web::auth::hash_password("long enough password".into()).await,
            "ko",
        )
        .await
        .unwrap();
    let gangnam_scope = app
        .db
        .load_scopes()
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.code == "11680")
        .unwrap()
        .id;
    app.db
        .grant_role(gangnam, maeul_domain::Role::Official, gangnam_scope, None)
        .await
        .unwrap();
    let mut other = app.signed_in("gangnam@example.kr").await;
    let (_, queue) = other.get("/manage/residency").await;
    assert!(
        !queue.contains("new@example.kr"),
        "another district's queue does not list the newcomer"
    );
    let (status, _, _) = other
        .post(&format!("/manage/residency/{new_id}/verify"), &[])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let mut official = app.signed_in(official_email()).await;
    let (_, queue) = official.get("/manage/residency").await;
    assert!(queue.contains("new@example.kr"));
    let (status, _, _) = official
        .post(&format!("/manage/residency/{new_id}/verify"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, account) = resident.get("/account").await;
    assert!(account.contains("status-verified"));
    // Deciding twice is refused with a message, not an internal error.
    let (status, _, _) = official
        .post(&format!("/manage/residency/{new_id}/reject"), &[])
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

/// Every demo role against every protected page and action, in its own scope and outside it.
async fn authorization_matrix(app: App) {
    // A pending resident in Jongno-gu (the demo official's district) and one in Gangnam-gu.
    let tree = maeul_domain::ScopeTree::new(app.db.load_scopes().await.unwrap()).unwrap();
    let in_jongno = app
        .db
        .create_user("p1@example.kr", "p1", "h", "ko")
        .await
        .unwrap();
    let in_gangnam = app
        .db
        .create_user("p2@example.kr", "p2", "h", "ko")
        .await
        .unwrap();
    let cheongun = tree.by_code("1111051500").unwrap().id;
    let gangnam_dong = tree
        .all()
        .iter()
        .find(|s| s.code.starts_with("11680") && s.code.len() == 10)
        .unwrap()
        .id;
    let basis = maeul_domain::ResidencyBasis::Resident;

    // (email, may open /manage/residency, may open /admin, may verify in Jongno, may verify in Gangnam,
    //  may grant a role in Jongno)
    let matrix: &[(&str, bool, bool, bool, bool, bool)] = &[
        ("resident@demo.maeul.kr", false, false, false, false, false),
        ("member@demo.maeul.kr", false, false, false, false, false),
        ("official@demo.maeul.kr", true, false, true, false, false),
        ("staff@demo.maeul.kr", false, false, false, false, false),
        ("evaluator@demo.maeul.kr", false, false, false, false, false),
        ("moderator@demo.maeul.kr", false, false, false, false, false),
        ("admin@demo.maeul.kr", true, true, true, true, true),
    ];
    for &(email, manage, admin, verify_own, verify_other, grant) in matrix {
        app.db
            .declare_residency(in_jongno, cheongun, basis, None)
            .await
            .unwrap();
        app.db
            .declare_residency(in_gangnam, gangnam_dong, basis, None)
            .await
            .unwrap();
        let mut b = app.signed_in(email).await;
        let expect = |allowed: bool| {
            if allowed {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            }
        };
        assert_eq!(
            b.get("/manage/residency").await.0,
            expect(manage),
            "{email} GET /manage/residency"
        );
        assert_eq!(b.get("/admin").await.0, expect(admin), "{email} GET /admin");
        b.get("/account").await;
        let acted = |allowed: bool| {
            if allowed {
                StatusCode::SEE_OTHER
            } else {
                StatusCode::FORBIDDEN
            }
        };
        let (status, _, _) = b
            .post(&format!("/manage/residency/{in_jongno}/verify"), &[])
            .await;
        assert_eq!(status, acted(verify_own), "{email} verifies in Jongno-gu");
        let (status, _, _) = b
            .post(&format!("/manage/residency/{in_gangnam}/verify"), &[])
            .await;
        assert_eq!(
            status,
            acted(verify_other),
            "{email} verifies in Gangnam-gu"
        );
        let fields = [
            ("email", "p1@example.kr"),
            ("role", "moderator"),
            ("scope", "11110"),
        ];
        let (status, _, _) = b.post("/admin/roles", &fields).await;
        assert_eq!(status, acted(grant), "{email} grants a role in Jongno-gu");
        let expected_grants = usize::from(grant);
        assert_eq!(
            app.db.grants_of(in_jongno).await.unwrap().len(),
            expected_grants,
            "after {email}"
        );
        for g in app
            .db
            .all_grants()
            .await
            .unwrap()
            .into_iter()
            .filter(|g| g.user_id == in_jongno)
        {
            app.db.revoke_grant(g.id, in_jongno).await.unwrap();
        }
    }
    // The official of Jongno-gu cannot import register rows for another district.
    let mut official = app.signed_in(official_email()).await;
    official.get("/manage/residency").await;
    let (status, page) = upload_register(
        &official,
        "name,birth_date,neighbourhood_code\n김민지,1990-03-07,1168051000\n",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("담당 범위 밖"), "{page}");
}

async fn upload_register(b: &Browser, csv: &str) -> (StatusCode, String) {
    let part = reqwest::multipart::Part::text(csv.to_owned())
        .file_name("register.csv")
        .mime_str("text/csv")
        .unwrap();
    let form = reqwest::multipart::Form::new().part("file", part);
    let r = b
        .http
        .post(format!("{}/manage/register?_csrf={}", b.base, b.csrf))
        .multipart(form)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

async fn password_reset_through_the_outbox(app: App) {
    let mut b = app.browser();
    b.get("/password/forgot").await;
    let (status, page, _) = b
        .post("/password/forgot", &[("email", "resident@demo.maeul.kr")])
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("재설정 링크를 보냈습니다"));
    let (_, unknown, _) = b
        .post("/password/forgot", &[("email", "nobody@example.kr")])
        .await;
    assert!(
        unknown.contains("재설정 링크를 보냈습니다"),
        "the same answer for unknown addresses"
    );
    let mails = app.db.recent_mails(10).await.unwrap();
    assert_eq!(mails.len(), 1, "only the real account gets mail");
    assert_eq!(mails[0].to_addr, "resident@demo.maeul.kr");
    let link = mails[0]
        .body
        .split_whitespace()
        .find(|w| w.contains("/password/reset/"))
        .unwrap();
    let path = link.trim_start_matches(&app.base).to_owned();
    let (status, form) = b.get(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("name=\"password_confirm\""));
    let (status, _, location) = b
        .post(
            &path,
            &[
                ("password", "a brand new password"),
                ("password_confirm", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(
        (status, location.as_deref()),
        (
            StatusCode::SEE_OTHER,
            Some("/login?notice=notice-password-reset")
        )
    );
    let (status, _, _) = b
        .post(
            &path,
            &[
                ("password", "another new password"),
                ("password_confirm", "another new password"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::GONE, "a link works once");
    let (status, _) = app
        .browser()
        .login("resident@demo.maeul.kr", "a brand new password")
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // The admin reads the outbox.
    let mut admin = app.signed_in("admin@demo.maeul.kr").await;
    let (_, page) = admin.get("/admin").await;
    assert!(page.contains("[마을] 비밀번호 재설정"));
}

async fn register_import_is_all_or_nothing(app: App) {
    let tree = maeul_domain::ScopeTree::new(app.db.load_scopes().await.unwrap()).unwrap();
    let kim = app
        .db
        .create_user("kim@example.kr", "김민지", "h", "ko")
        .await
        .unwrap();
    let identity = app.db.identity_hash("김민지|1990-03-07").await.unwrap();
    let cheongun = tree.by_code("1111051500").unwrap().id;
    app.db
        .declare_residency(
            kim,
            cheongun,
            maeul_domain::ResidencyBasis::Resident,
            Some(&identity),
        )
        .await
        .unwrap();
    let mut official = app.signed_in(official_email()).await;
    official.get("/manage/residency").await;
    let bad = "name,birth_date,neighbourhood_code\n김민지,1990-03-07,1111051500\n박서준,1985-13-01,1111051500\n,1990-01-01,1111051500\n이영희,1970-01-01,9999999999\n";
    let (status, page) = upload_register(&official, bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for line in ["3행", "4행", "5행"] {
        assert!(page.contains(line), "problem on {line} not reported");
    }
    assert!(!page.contains("2행:"), "line 2 is fine");
    assert_eq!(
        app.db.residency_of(kim).await.unwrap().unwrap().status,
        "pending",
        "nothing imported"
    );
    let (status, page) = upload_register(&official, "wrong,header\n").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("name,birth_date,neighbourhood_code"));
    let good = "\u{feff}name,birth_date,neighbourhood_code\n김 민지,19900307,1111051500\n박서준,1985-11-30,1111053000\n";
    let (status, page) = upload_register(&official, good).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("id=\"import-result\""));
    assert_eq!(
        app.db.residency_of(kim).await.unwrap().unwrap().status,
        "verified"
    );
    // Without the CSRF token the upload is refused.
    let mut no_token = official;
    no_token.csrf = "x".into();
    let (status, _) = upload_register(&no_token, good).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn security_headers_and_cookie_flags(app: App) {
    // Redirect targets that browsers would read as another site, or that are not valid headers.
    let mut b = app.browser();
    b.get("/").await;
    for back in [
        "/\t/evil.example/x",
        "/\\evil.example",
        "/x\r\nSet-Cookie: a=b",
        "/검색",
    ] {
        let (status, _, location) = b.post("/lang", &[("lang", "en"), ("back", back)]).await;
        assert_eq!(
            (status, location.as_deref()),
            (StatusCode::SEE_OTHER, Some("/")),
            "back={back:?}"
        );
    }
    let r = reqwest::get(app.url("/")).await.unwrap();
    let h = r.headers();
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    assert!(
        h["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'self'")
    );
    let csrf_cookie = h
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|c| c.starts_with("maeul_csrf="))
        .unwrap();
    assert!(csrf_cookie.contains("HttpOnly") && csrf_cookie.contains("SameSite=Strict"));
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = http.get(app.url("/login")).send().await.unwrap();
    let cookie = page.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let body = page.text().await.unwrap();
    let token = body
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let password = &app.passwords["resident@demo.maeul.kr"];
    let form = serde_urlencoded::to_string([
        ("_csrf", token),
        ("email", "resident@demo.maeul.kr"),
        ("password", password),
        ("next", "/"),
    ])
    .unwrap();
    let r = http
        .post(app.url("/login"))
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let session = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|c| c.starts_with("maeul_session="))
        .unwrap();
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax"),
        "{session}"
    );
    let value = session
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("maeul_session=");
    // The database holds only the session's hash.
    assert!(app.db.session_user(value).await.unwrap().is_none());
    assert!(
        app.db
            .session_user(&maeul_db::secrets::token_hash(value))
            .await
            .unwrap()
            .is_some()
    );
}

/// The id in a `/proposals/{id}?…` redirect.
fn proposal_id(location: &str) -> i64 {
    location
        .trim_start_matches("/proposals/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

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
            .create_user(&format!("n{i}@example.kr"), "n", "h", "ko")
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
    assert!(
        page.contains("<span id=\"support-count\">50</span>"),
        "exact count"
    );
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
        StatusCode::BAD_REQUEST
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
        StatusCode::BAD_REQUEST,
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
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert!(
        bad.json::<serde_json::Value>().await.unwrap()["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("title")
    );
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
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["support_count"], 1);

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
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "id,scope_code,title,category,state,support_count,created_at"
    );
    assert_eq!(lines.len(), 2);
    assert!(lines[1].starts_with(&format!(
        "{id},11110,종로 야간 보행로 조명,safety,answered,1,"
    )));
    let doc: serde_json::Value = http
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["paths"].get("/api/v1/proposals/{id}/support").is_some());
}

async fn comments_thread_on_a_proposal(app: App) {
    let author = app
        .db
        .user_by_email("resident@demo.maeul.kr")
        .await
        .unwrap()
        .unwrap()
        .id;
    let new = maeul_db::proposals::NewProposal {
        scope_id: 1,
        author_id: author,
        title: "공원 개방 시간 연장",
        body: "b",
        category: "culture",
        submit: true,
        location: "",
        kind: maeul_db::proposals::Kind::Proposal,
    };
    let id = app.db.create_proposal(&new).await.unwrap();
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
    let mut anon = app.browser();
    anon.get(&format!("/proposals/{id}")).await;
    assert_eq!(
        anon.post(&format!("/proposals/{id}/comments"), &[("body", "x")])
            .await
            .0,
        StatusCode::SEE_OTHER,
        "redirected to sign in"
    );
    assert_eq!(app.db.proposal(id).await.unwrap().unwrap().comment_count, 0);

    let mut member = app.signed_in("member@demo.maeul.kr").await;
    member.get(&format!("/proposals/{id}")).await;
    let (status, _, location) = member
        .post(
            &format!("/proposals/{id}/comments"),
            &[("body", "찬성합니다 #1 <b>굵게</b>")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let first: i64 = location
        .unwrap()
        .rsplit("comment-")
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let mut resident = app.signed_in("resident@demo.maeul.kr").await;
    resident.get(&format!("/proposals/{id}")).await;
    let first_s = first.to_string();
    resident
        .post(
            &format!("/proposals/{id}/comments"),
            &[("body", "고맙습니다"), ("parent", &first_s)],
        )
        .await;
    resident
        .post(&format!("/comments/{first}/vote"), &[("value", "1")])
        .await;
    resident
        .post(&format!("/comments/{first}/vote"), &[("value", "1")])
        .await;
    assert_eq!(
        resident
            .post(&format!("/comments/{first}/edit"), &[("body", "남의 글")])
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        resident
            .post(
                &format!("/proposals/{id}/comments"),
                &[("body", &"가".repeat(2001))]
            )
            .await
            .0,
        StatusCode::BAD_REQUEST
    );
    member
        .post(
            &format!("/comments/{first}/edit"),
            &[("body", "적극 찬성합니다 #1")],
        )
        .await;
    let (_, page) = anon.get(&format!("/proposals/{id}")).await;
    assert!(page.contains("의견 2개"), "the count includes the reply");
    assert!(page.contains("적극 찬성합니다") && page.contains("수정됨"));
    assert!(
        page.contains("class=\"comment depth-1\""),
        "the reply is nested"
    );
    assert!(page.contains("▲ 1 · ▼ 0"), "one vote per person");
    assert!(
        page.contains("<a href=\"/proposals/1\">#1</a>"),
        "proposal references are links"
    );
    let history = app.db.comment_history(first).await.unwrap();
    assert!(
        history[0].old_body.contains("<b>굵게</b>"),
        "the old text is kept"
    );
    assert!(!page.contains("<b>굵게</b>"));
}

/// Creates and accepts a proposal by the demo resident in Jongno-gu; returns its id.
async fn accepted_proposal(app: &App, resident: &mut Browser, title: &str) -> i64 {
    resident.get("/scopes/11110/proposals/new").await;
    let fields = [
        ("title", title),
        ("category", "environment"),
        ("body", "본문"),
        ("submit", "submit"),
    ];
    let (_, _, location) = resident.post("/scopes/11110/proposals", &fields).await;
    let id = proposal_id(location.as_deref().unwrap());
    let mut moderator = app.signed_in("moderator@demo.maeul.kr").await;
    moderator.get(&format!("/proposals/{id}")).await;
    let (status, _, _) = moderator
        .post(&format!("/proposals/{id}/accept"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    id
}

async fn notifications_reach_the_author_and_mail_can_be_stopped(app: App) {
    let mut resident = app.signed_in("resident@demo.maeul.kr").await;
    let id = accepted_proposal(&app, &mut resident, "버스 정류장 그늘막").await;
    // Nothing until the background pass fans the event out.
    let (_, page) = resident.get("/").await;
    assert!(!page.contains("id=\"unread-count\""));
    maeul_web::jobs::run_pass(&app.state).await.unwrap();
    let (_, page) = resident.get("/").await;
    assert!(
        page.contains("<span class=\"badge\" id=\"unread-count\">1</span>"),
        "unread badge"
    );
    let (_, list) = resident.get("/notifications").await;
    assert!(
        list.contains("“버스 정류장 그늘막”의 상태가 바뀌었습니다: 공감 모집 중"),
        "the notification says what happened, in the reader's language"
    );
    // Immediate e-mail, then an official answer.
    let (status, _, _) = resident
        .post("/notifications/preferences", &[("email", "immediate")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = resident
        .post("/notifications/preferences", &[("email", "hourly")])
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "unknown preference refused"
    );
    let mut official = app.signed_in(official_email()).await;
    official.get(&format!("/proposals/{id}")).await;
    let (status, _, _) = official
        .post(
            &format!("/proposals/{id}/answer"),
            &[
                ("responder", "department"),
                ("body", "검토 후 설치하겠습니다"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    maeul_web::jobs::run_pass(&app.state).await.unwrap();
    let mails = app.db.recent_mails(10).await.unwrap();
    let mail = mails
        .iter()
        .find(|m| m.to_addr == "resident@demo.maeul.kr")
        .expect("the author is mailed at once");
    assert!(
        mail.body.contains("버스 정류장 그늘막") && mail.body.contains(&format!("/proposals/{id}"))
    );
    let unsubscribe = mail.unsubscribe_url.clone().unwrap();
    assert!(mail.body.contains(&unsubscribe));
    // The notification opens the proposal and is then read.
    let (_, list) = resident.get("/notifications").await;
    let open = list
        .split("action=\"/notifications/")
        .filter_map(|s| s.split('"').next())
        .find(|s| s.ends_with("/open"))
        .unwrap()
        .to_owned();
    let (status, _, location) = resident.post(&format!("/notifications/{open}"), &[]).await;
    assert_eq!(
        (status, location.as_deref()),
        (
            StatusCode::SEE_OTHER,
            Some(format!("/proposals/{id}").as_str())
        )
    );
    // Someone else cannot open (or learn of) it.
    let mut other = app.signed_in("member@demo.maeul.kr").await;
    other.get("/notifications").await;
    assert_eq!(
        other.post(&format!("/notifications/{open}"), &[]).await.0,
        StatusCode::NOT_FOUND
    );
    resident.get("/notifications").await;
    resident.post("/notifications/read", &[]).await;
    let (_, page) = resident.get("/").await;
    assert!(!page.contains("id=\"unread-count\""));

    // One-click unsubscribe: a bare POST from a mail client (no cookie, no CSRF token) turns mail off.
    let path = unsubscribe.strip_prefix(&app.base).unwrap().to_owned();
    let (status, page) = app.browser().get(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("id=\"unsubscribe-button\""));
    let r = reqwest::Client::new()
        .post(&unsubscribe)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let me = app
        .db
        .user_by_email("resident@demo.maeul.kr")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        app.db.email_preference(me.id).await.unwrap(),
        maeul_domain::notify::EmailPreference::Off
    );
    // A forged token (another id with this signature) is not found and changes nothing.
    let forged = path.replacen(
        &format!("/unsubscribe/{}.", me.id),
        &format!("/unsubscribe/{}.", me.id + 1),
        1,
    );
    assert_ne!(forged, path);
    assert_eq!(app.browser().get(&forged).await.0, StatusCode::NOT_FOUND);
    // Following: a scope follow is toggled by the button on the scope page.
    let mut member = app.signed_in("member@demo.maeul.kr").await;
    let (_, page) = member.get("/scopes/11110").await;
    assert!(page.contains("id=\"follow-button\""));
    let scope_id = maeul_domain::ScopeTree::new(app.db.load_scopes().await.unwrap())
        .unwrap()
        .by_code("11110")
        .unwrap()
        .id
        .to_string();
    let (status, _, location) = member
        .post(
            "/follows",
            &[
                ("target", "scope"),
                ("id", &scope_id),
                ("follow", "1"),
                ("back", "/scopes/11110"),
            ],
        )
        .await;
    assert_eq!(
        (status, location.as_deref()),
        (StatusCode::SEE_OTHER, Some("/scopes/11110"))
    );
    let (_, page) = member.get("/scopes/11110").await;
    assert!(page.contains("팔로우 취소"));
    let (status, _, _) = member
        .post(
            "/follows",
            &[("target", "planet"), ("id", "1"), ("follow", "1")],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

async fn reports_moderation_and_blocking(app: App) {
    let mut resident = app.signed_in("resident@demo.maeul.kr").await;
    let id = accepted_proposal(&app, &mut resident, "공원 화장실 개선").await;
    let mut member = app.signed_in("member@demo.maeul.kr").await;
    member.get(&format!("/proposals/{id}")).await;
    member
        .post(
            &format!("/proposals/{id}/comments"),
            &[("body", "광고 링크 http://spam.example")],
        )
        .await;
    let comment = app.db.comment_page(id, 0, 10).await.unwrap().0[0]
        .id
        .to_string();
    // The resident reports it; a report without a known reason is refused.
    resident.get(&format!("/proposals/{id}")).await;
    let (status, _, _) = resident
        .post(
            "/reports",
            &[
                ("target", "comment"),
                ("id", &comment),
                ("reason", "because"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, location) = resident
        .post(
            "/reports",
            &[
                ("target", "comment"),
                ("id", &comment),
                ("reason", "spam"),
                ("details", "광고"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location.unwrap().contains("notice-reported"));
    let (_, _, location) = resident
        .post(
            "/reports",
            &[("target", "comment"), ("id", &comment), ("reason", "spam")],
        )
        .await;
    assert!(location.unwrap().contains("notice-already-reported"));
    // Only moderators see the queue.
    assert_eq!(resident.get("/moderation").await.0, StatusCode::FORBIDDEN);
    let mut moderator = app.signed_in("moderator@demo.maeul.kr").await;
    let (_, queue) = moderator.get("/moderation").await;
    assert!(queue.contains("광고 링크") && queue.contains("스팸 또는 광고"));
    // A resident cannot hide; a hide needs a reason; the moderator hides with one.
    assert_eq!(
        resident
            .post(
                &format!("/moderation/comment/{comment}/hide"),
                &[("reason", "x")]
            )
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        moderator
            .post(
                &format!("/moderation/comment/{comment}/hide"),
                &[("reason", "")]
            )
            .await
            .0,
        StatusCode::BAD_REQUEST
    );
    let (status, _, _) = moderator
        .post(
            &format!("/moderation/comment/{comment}/hide"),
            &[("reason", "광고")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, public) = app.browser().get(&format!("/proposals/{id}")).await;
    assert!(public.contains("운영자가 숨긴 댓글입니다") && !public.contains("광고 링크"));
    let (_, own) = member.get(&format!("/proposals/{id}")).await;
    assert!(
        own.contains("광고 링크") && own.contains("운영자가 숨김"),
        "the author still sees it"
    );
    let (_, queue) = moderator.get("/moderation").await;
    assert!(
        queue.contains("한운영") && queue.contains("숨김"),
        "the log names who did what"
    );
    // Blocking is for moderators of the city; the official of a district may not.
    let member_id = app
        .db
        .user_by_email("member@demo.maeul.kr")
        .await
        .unwrap()
        .unwrap()
        .id;
    let mut official = app.signed_in(official_email()).await;
    official.get("/").await;
    assert_eq!(
        official
            .post(&format!("/users/{member_id}/block"), &[("reason", "x")])
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let (_, profile) = moderator.get(&format!("/users/{member_id}")).await;
    assert!(profile.contains("id=\"block-button\""));
    let (status, _, _) = moderator
        .post(
            &format!("/users/{member_id}/block"),
            &[("reason", "반복 광고")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // The blocked member's session is gone and signing in is refused with a clear message.
    let (status, _) = member.get("/account").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "signed out");
    let mut again = app.browser();
    let password = app.passwords["member@demo.maeul.kr"].clone();
    let (status, page) = again.login("member@demo.maeul.kr", &password).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("차단한 계정"));
    let (status, _, _) = moderator
        .post(&format!("/users/{member_id}/unblock"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        again.login("member@demo.maeul.kr", &password).await.0,
        StatusCode::SEE_OTHER
    );
}

async fn debates_take_positions(app: App) {
    let mut resident = app.signed_in("resident@demo.maeul.kr").await;
    let (status, page) = resident.get("/scopes/11110/debates/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("여는 글"));
    let fields = [
        ("title", "주말 차 없는 거리"),
        ("category", "transport"),
        ("location", "종로 2가"),
        ("body", "주말마다 시범 운영을 해 볼까요?"),
        ("submit", "submit"),
    ];
    let (status, _, location) = resident.post("/scopes/11110/debates", &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = location.unwrap();
    assert!(location.starts_with("/debates/"));
    let id: i64 = location
        .trim_start_matches("/debates/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    // Debates open at once, are listed with debates, and old-style links redirect.
    let (_, list) = app.browser().get("/scopes/11110/debates").await;
    assert!(list.contains("주말 차 없는 거리"));
    let (_, list) = app.browser().get("/scopes/11110/proposals").await;
    assert!(!list.contains("주말 차 없는 거리"));
    let r = app.browser().get(&format!("/proposals/{id}")).await;
    assert_eq!(r.0, StatusCode::PERMANENT_REDIRECT);
    // The feed carries debates (linked to their page); the proposals CSV does not.
    let (_, feed) = app.browser().get("/scopes/11110/feed.atom").await;
    assert!(feed.contains(&format!("/debates/{id}\"")), "{feed}");
    let (_, csv) = app.browser().get("/scopes/11110/proposals.csv").await;
    assert!(!csv.contains("주말 차 없는 거리"));
    let mut member = app.signed_in("member@demo.maeul.kr").await;
    let (_, page) = member.get(&format!("/debates/{id}")).await;
    assert!(
        page.contains("종로 2가")
            && page.contains("id=\"position-against\"")
            && !page.contains("support-button")
    );
    let (status, _, _) = member
        .post(
            &format!("/proposals/{id}/comments"),
            &[("body", "상권이 걱정됩니다"), ("position", "maybe")],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "unknown position");
    let (status, _, _) = member
        .post(
            &format!("/proposals/{id}/comments"),
            &[("body", "상권이 걱정됩니다"), ("position", "against")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = member.get(&format!("/debates/{id}")).await;
    assert!(page.contains("position-against") && page.contains("반대 1"));
    // Supporting a debate is refused; only its author (or an official) concludes it.
    assert_eq!(
        member
            .post(&format!("/proposals/{id}/support"), &[])
            .await
            .0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        member
            .post(&format!("/debates/{id}/conclude"), &[("reason", "끝")])
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    resident.get(&format!("/debates/{id}")).await;
    let (status, _, _) = resident
        .post(
            &format!("/debates/{id}/conclude"),
            &[("reason", "시범 운영 후 재논의")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = member.get(&format!("/debates/{id}")).await;
    assert!(page.contains("시범 운영 후 재논의") && !page.contains("id=\"comment-submit\""));
    assert_eq!(
        member
            .post(
                &format!("/proposals/{id}/comments"),
                &[("body", "늦은 의견")]
            )
            .await
            .0,
        StatusCode::BAD_REQUEST,
        "a concluded debate takes no comments"
    );
    // Search finds debates and comments.
    let (_, found) = app.browser().get("/search?q=%EC%83%81%EA%B6%8C").await;
    assert!(
        found.contains("상권이 걱정됩니다") && found.contains(&format!("/debates/{id}#comment-"))
    );
    let (_, found) = app
        .browser()
        .get("/search?kind=debate&sort=commented")
        .await;
    assert!(found.contains("주말 차 없는 거리"));
    let (_, found) = app
        .browser()
        .get("/search?kind=proposal&q=%EC%B0%A8%20%EC%97%86%EB%8A%94")
        .await;
    assert!(!found.contains("주말 차 없는 거리"));
    let (status, found) = app.browser().get("/search?from=2026-13-40").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        found.contains("aria-invalid=\"true\""),
        "a bad date is named"
    );
}

async fn upload(
    b: &mut Browser,
    id: i64,
    name: &str,
    bytes: Vec<u8>,
    with_token: bool,
) -> (StatusCode, Option<String>) {
    let token = if with_token {
        b.csrf.clone()
    } else {
        String::new()
    };
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
    );
    let r = b
        .http
        .post(format!(
            "{}/proposals/{id}/attachments?_csrf={token}",
            b.base
        ))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let location = r
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned());
    (r.status(), location)
}

async fn attachments_are_checked(app: App) {
    let mut resident = app.signed_in("resident@demo.maeul.kr").await;
    resident.get("/scopes/11110/proposals/new").await;
    let fields = [
        ("title", "도서관 운영 시간"),
        ("category", "culture"),
        ("body", "본문"),
        ("submit", "draft"),
    ];
    let (_, _, location) = resident.post("/scopes/11110/proposals", &fields).await;
    let id = proposal_id(location.as_deref().unwrap());
    let (_, page) = resident.get(&format!("/proposals/{id}")).await;
    assert!(page.contains("id=\"attachment-file\""));
    // Without the token: refused.
    assert_eq!(
        upload(&mut resident, id, "a.pdf", b"%PDF-1.4".to_vec(), false)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    // A script disguised as a PDF, and a file over 5 MB, are refused with a message; nothing is stored.
    let (_, location) = upload(
        &mut resident,
        id,
        "evil.pdf",
        b"<script>alert(1)</script>".to_vec(),
        true,
    )
    .await;
    let location = location.unwrap();
    assert!(location.contains("error-attachment-type"));
    let (_, page) = resident.get(&location).await;
    assert!(page.contains("PDF, PNG, JPEG 파일만 첨부할 수 있습니다"));
    let mut big = b"%PDF-1.4".to_vec();
    big.resize(5 * 1024 * 1024 + 1, b' ');
    let (status, location) = upload(&mut resident, id, "big.pdf", big, true).await;
    assert!(
        location
            .as_deref()
            .is_some_and(|l| l.contains("error-attachment-too-large")),
        "{status} {location:?}"
    );
    assert!(app.db.attachments_of(id).await.unwrap().is_empty());
    // A real PDF is stored under a rebuilt name and downloads as an attachment.
    let (status, _) = upload(
        &mut resident,
        id,
        "../../회의 자료.pdf",
        b"%PDF-1.4 ok".to_vec(),
        true,
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let files = app.db.attachments_of(id).await.unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].file_name, "회의 자료.pdf");
    let r = resident
        .http
        .get(app.url(&format!("/attachments/{}/x", files[0].id)))
        .send()
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
    // A draft's file is as private as the draft; someone else cannot attach to it.
    assert_eq!(
        app.browser()
            .get(&format!("/attachments/{}/x", files[0].id))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let mut member = app.signed_in("member@demo.maeul.kr").await;
    member.get("/").await;
    assert_eq!(
        upload(&mut member, id, "a.pdf", b"%PDF-1.4".to_vec(), true)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
}

async fn debates_and_comments_through_the_api(app: App) {
    let http = reqwest::Client::new();
    let resident = token(&app, "resident@demo.maeul.kr").await;
    let member = token(&app, "member@demo.maeul.kr").await;
    let r = http
        .post(app.url("/api/v1/scopes/11110/debates"))
        .bearer_auth(&resident)
        .json(&serde_json::json!({"title": "공공자전거 정류소 위치", "body": "어디가 좋을까요?", "category": "transport", "location": "광화문"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let d: serde_json::Value = http
        .get(app.url(&format!("/api/v1/debates/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            d["kind"].as_str(),
            d["state"].as_str(),
            d["location"].as_str()
        ),
        (Some("debate"), Some("debating"), Some("광화문"))
    );
    let listed: serde_json::Value = http
        .get(app.url("/api/v1/scopes/11110/debates"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed[0]["id"].as_i64(), Some(id));
    // A debate is not a proposal: the proposal endpoint does not serve it.
    assert_eq!(
        http.get(app.url(&format!("/api/v1/proposals/{id}")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    // Comments: a position is checked; a reply threads under its parent; anonymous writes are refused.
    let post = |body: serde_json::Value, token: Option<&str>| {
        let mut req = http
            .post(app.url(&format!("/api/v1/proposals/{id}/comments")))
            .json(&body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send()
    };
    assert_eq!(
        post(serde_json::json!({"body": "x"}), None)
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let bad = post(
        serde_json::json!({"body": "찬성", "position": "maybe"}),
        Some(&member),
    )
    .await
    .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert!(bad.text().await.unwrap().contains("position"));
    let first = post(
        serde_json::json!({"body": "광화문 광장 옆이 좋아요", "position": "for"}),
        Some(&member),
    )
    .await
    .unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let first = first.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let reply = post(
        serde_json::json!({"body": "동의합니다", "parent_id": first}),
        Some(&resident),
    )
    .await
    .unwrap();
    assert_eq!(reply.status(), StatusCode::CREATED);
    let page: serde_json::Value = http
        .get(app.url(&format!("/api/v1/proposals/{id}/comments?limit=10")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let comments = page["comments"].as_array().unwrap();
    assert_eq!(comments.len(), 2);
    assert_eq!(comments[0]["position"].as_str(), Some("for"));
    assert_eq!(comments[1]["parent_id"].as_i64(), Some(first));
    assert!(page["next_after"].is_null());
    // The OpenAPI document lists the new endpoints.
    let doc: serde_json::Value = http
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for path in [
        "/api/v1/scopes/{code}/debates",
        "/api/v1/debates/{id}",
        "/api/v1/proposals/{id}/comments",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is documented");
    }
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
    let (_, _, location) = admin.post("/scopes/11110/ladder", &bad).await;
    let (_, page) = admin.get(&location.unwrap()).await;
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
    let ladder = maeul_web::pages::proposals::ladder_for(&app.state, district)
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
