//! What an attacker tries: forms without the CSRF token, every action by every role (the authorization
//! matrix), security headers and cookie flags.
use crate::harness::*;
use reqwest::StatusCode;

app_tests!(
    forms_without_the_csrf_token_are_refused,
    authorization_matrix,
    security_headers_and_cookie_flags,
);

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

/// Every demo role against every protected page and action, in its own scope and outside it.
async fn authorization_matrix(app: App) {
    // A pending resident in Jongno-gu (the demo official's district) and one in Gangnam-gu.
    let tree = maeul_domain::ScopeTree::new(app.db.load_scopes().await.unwrap()).unwrap();
    let in_jongno = app
        .db
        .create_user(&new_user("p1@example.kr", "p1"))
        .await
        .unwrap();
    let in_gangnam = app
        .db
        .create_user(&new_user("p2@example.kr", "p2"))
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
