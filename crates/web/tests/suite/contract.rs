//! The API's shape, pinned: the OpenAPI document and the main JSON responses are snapshots (insta,
//! `snapshots/`), so a change to what clients receive shows up in review. Both backends must give the same
//! snapshot. Ids, instants and secrets are replaced by placeholders first, so a snapshot pins keys, types
//! and content, not numbering. To accept an intended change: `INSTA_UPDATE=always cargo test -p maeul-web
//! --test suite -- contract`, then review the diff.
use crate::harness::*;
use maeul_testkit::libtest_mimic::Trial;
use serde_json::Value;

pub fn trials() -> Vec<Trial> {
    let mut trials = vec![maeul_testkit::trial(
        "contract",
        "openapi_document",
        openapi_document,
    )];
    trials.extend(maeul_testkit::on_both_backends(
        "contract",
        "json_responses_keep_their_shape",
        |db| Box::pin(async move { json_responses_keep_their_shape(App::start(db).await).await }),
    ));
    trials
}

fn openapi_document() {
    let doc = serde_json::to_value(maeul_web::api::openapi()).unwrap();
    let mut ids: Vec<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .filter_map(|op| op["operationId"].as_str())
        .collect();
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count, "operation ids are unique");
    assert!(count >= 20, "{count} operations");
    // Every path parameter is in its path (a query struct documented as path parameters makes the document
    // invalid for openapi-spec-validator and for generated clients).
    for (path, item) in doc["paths"].as_object().unwrap() {
        for op in item.as_object().unwrap().values() {
            for param in op["parameters"].as_array().into_iter().flatten() {
                if param["in"] == "path" {
                    let name = param["name"].as_str().unwrap();
                    assert!(
                        path.contains(&format!("{{{name}}}")),
                        "path parameter {name} is not in {path}"
                    );
                }
            }
        }
    }
    insta::assert_json_snapshot!("openapi", doc);
}

/// Replaces what differs between runs (ids, instants, tokens, passwords) by placeholders, keeping types.
fn redact(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                let varying = key == "id"
                    || key == "at"
                    || key.ends_with("_id")
                    || key.ends_with("_at")
                    || key.ends_with("_after")
                    || key.ends_with("_before")
                    || key == "token"
                    || key == "seed"
                    || key == "input_sha256";
                match v {
                    Value::Number(_) if varying => *v = Value::String("[number]".into()),
                    Value::String(_) if varying => *v = Value::String("[text]".into()),
                    _ => redact(v),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

async fn get_json(app: &App, path: &str, token: Option<&str>) -> Value {
    let mut request = reqwest::Client::new()
        .get(app.url(path))
        .header("accept-language", "en");
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let mut value: Value = request.send().await.unwrap().json().await.unwrap();
    redact(&mut value);
    value
}

async fn json_responses_keep_their_shape(app: App) {
    let resident = token(&app, "resident@demo.maeul.kr").await;
    insta::assert_json_snapshot!("scope", get_json(&app, "/api/v1/scopes/11110", None).await);
    insta::assert_json_snapshot!("me", get_json(&app, "/api/v1/me", Some(&resident)).await);
    let proposals = get_json(&app, "/api/v1/scopes/11110/proposals?limit=2", None).await;
    assert!(
        proposals.as_array().is_some_and(|a| a.len() == 2),
        "the demo has proposals in Jongno-gu"
    );
    insta::assert_json_snapshot!("proposals", proposals);
    let first: Value = reqwest::get(app.url("/api/v1/scopes/11110/proposals?limit=1"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = first[0]["id"].as_i64().unwrap();
    insta::assert_json_snapshot!(
        "proposal",
        get_json(&app, &format!("/api/v1/proposals/{id}"), None).await
    );
    let council = committee_named(&app, "1111053000", "Sajik").await;
    insta::assert_json_snapshot!(
        "committee",
        get_json(&app, &format!("/api/v1/committees/{council}"), None).await
    );
    insta::assert_json_snapshot!(
        "error_bad_path",
        get_json(&app, "/api/v1/proposals/abc", None).await
    );
    let refused: Value = reqwest::Client::new()
        .post(app.url("/api/v1/scopes/11110/proposals"))
        .header("accept-language", "en")
        .bearer_auth(&resident)
        .json(&serde_json::json!({"title": "ab", "body": "", "category": "environment"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    insta::assert_json_snapshot!("error_refused_fields", refused);
}
