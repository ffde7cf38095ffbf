//! The JSON API: scopes, bearer tokens, and errors as JSON with stable codes.
use crate::harness::*;
use reqwest::StatusCode;

app_tests!(
    scopes_api_lists_the_whole_city,
    api_tokens_authenticate_and_revoke,
    api_errors_are_json,
);

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
    // Paths are relative to the one server entry, so the document stays true behind a proxy.
    assert_eq!(doc["servers"][0]["url"], "/api/v1");
    for path in [
        "/scopes",
        "/scopes/{code}",
        "/me",
        "/auth/token",
        "/auth/tokens/{id}",
    ] {
        assert!(
            doc["paths"].get(path).is_some(),
            "{path} missing from the OpenAPI document"
        );
    }
}
