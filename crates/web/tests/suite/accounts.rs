//! Accounts over HTTP: languages, registration, sign-in, residence and its verification, password reset,
//! the resident register.
use crate::harness::*;
use reqwest::StatusCode;

app_tests!(
    health_names_the_backend,
    language_follows_accept_language_then_the_switch,
    scope_pages_render_at_every_level,
    registration_signs_in_and_escapes_names,
    bad_registrations_change_nothing,
    sign_in_is_rate_limited,
    residence_is_verified_only_within_authority,
    password_reset_through_the_outbox,
    register_import_is_all_or_nothing,
);

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
        .create_user(&maeul_db::users::NewUser {
            email: "gangnam@example.kr",
            display_name: "강남 공무원",
            handle: "gangnam_official",
            password_hash: &maeul_web::http::auth::hash_password("long enough password".into())
                .await,
            lang: "ko",
        })
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
    let (status, page, _) = official
        .post(&format!("/manage/residency/{new_id}/reject"), &[])
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains("이미 처리되었습니다"), "{page}");
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
        .create_user(&new_user("kim@example.kr", "김민지"))
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
        maeul_domain::ResidencyStatus::Pending,
        "nothing imported"
    );
    let (status, page) = upload_register(&official, "wrong,header\n").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("name,birth_date,neighbourhood_code"));
    let good = "\u{feff}name,birth_date,neighbourhood_code\n김 민지,19900307,1111051500\n박서준,1985-11-30,1111053000\n";
    // The upload is read by the one multipart reader: a text field with a control character is refused.
    let form = reqwest::multipart::Form::new()
        .text("note", "a\u{0}b")
        .part(
            "file",
            reqwest::multipart::Part::text(good)
                .file_name("register.csv")
                .mime_str("text/csv")
                .unwrap(),
        );
    let r = official
        .http
        .post(format!(
            "{}/manage/register?_csrf={}",
            official.base, official.csrf
        ))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        app.db.residency_of(kim).await.unwrap().unwrap().status,
        maeul_domain::ResidencyStatus::Pending,
        "nothing imported"
    );
    let (status, page) = upload_register(&official, good).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("id=\"import-result\""));
    assert_eq!(
        app.db.residency_of(kim).await.unwrap().unwrap().status,
        maeul_domain::ResidencyStatus::Verified
    );
    // Without the CSRF token the upload is refused.
    let mut no_token = official;
    no_token.csrf = "x".into();
    let (status, _) = upload_register(&no_token, good).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
