//! Forums over HTTP, on SQLite and on PostgreSQL: the served map after votes equals the engine's
//! from-scratch analysis of the stored votes; the Pol.is export analysed by `maeul-opinion` (as `maeul
//! opinion analyze` does) gives the groups the platform shows; residence is required where configured;
//! closed conversations refuse votes; moderation hides a statement from voting and from the map.
use std::collections::BTreeSet;

use crate::harness::*;
use maeul_opinion::report::MapSnapshot;
use maeul_opinion::{Conversation, Moderation, Options, Statement, Vote, VoteEvent};
use reqwest::StatusCode;
use serde_json::{Value, json};

app_tests!(
    the_demo_conversation_shows_its_map_on_first_visit,
    the_served_map_equals_a_from_scratch_analysis_of_the_stored_votes,
    the_export_analysed_by_maeul_opinion_gives_the_groups_the_platform_shows,
    a_non_resident_cannot_vote_where_residence_is_required,
    closed_conversations_refuse_votes_and_publish_a_report,
    moderation_hides_a_statement_from_voting_and_the_map,
    residents_vote_one_statement_at_a_time_through_the_pages,
    concurrent_api_votes_are_each_an_event_and_the_latest_counts,
);

const JONGNO: &str = "11110";
const SAJIK: &str = "1111053000";
const JUNG_DONG: &str = "1114052000";
const STAFF: &str = "staff@demo.maeul.kr";
const MODERATOR: &str = "moderator@demo.maeul.kr";

async fn get_json(app: &App, path: &str) -> (StatusCode, Value) {
    let r = reqwest::get(app.url(path)).await.unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// The demo's open conversation of Jongno-gu.
async fn demo_conversation(app: &App) -> i64 {
    let (status, list) = get_json(app, &format!("/api/v1/conversations?scope={JONGNO}")).await;
    assert_eq!(status, StatusCode::OK);
    list.as_array()
        .unwrap()
        .iter()
        .find(|c| c["state"] == "open")
        .expect("the demo has an open conversation")["id"]
        .as_i64()
        .unwrap()
}

async fn vote(
    app: &App,
    token: &str,
    conversation: i64,
    statement: i64,
    v: &str,
) -> (StatusCode, Value) {
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/conversations/{conversation}/votes")))
        .bearer_auth(token)
        .json(&json!({"statement_id": statement, "vote": v}))
        .send()
        .await
        .unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn statements(app: &App, conversation: i64) -> Vec<i64> {
    let (_, list) = get_json(
        app,
        &format!("/api/v1/conversations/{conversation}/statements"),
    )
    .await;
    list.as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect()
}

/// Runs the background pass until no job is left (the map updates).
async fn drain_jobs(app: &App) {
    while maeul_web::jobs::run_pass(&app.state).await.unwrap() > 0 {}
}

async fn served_map(app: &App, conversation: i64) -> Value {
    let (status, map) = get_json(app, &format!("/api/v1/conversations/{conversation}/map")).await;
    assert_eq!(status, StatusCode::OK);
    map
}

/// The engine's conversation built here, independently of the platform's bridge, from the stored rows.
async fn stored_conversation(app: &App, id: i64) -> Conversation {
    let statements = app.db.forum_statements(id).await.unwrap();
    let votes = app.db.forum_current_votes(id).await.unwrap();
    Conversation {
        statements: statements
            .iter()
            .filter(|s| s.state != maeul_domain::forum::StatementState::Pending)
            .map(|s| Statement {
                id: s.id as u64,
                author: s.author_pseudonym.map(|p| p as u64),
                text: s.body.clone(),
                moderation: if s.state == maeul_domain::forum::StatementState::Hidden {
                    Moderation::Rejected
                } else {
                    Moderation::Accepted
                },
                ..Statement::default()
            })
            .collect(),
        votes: votes
            .iter()
            .map(|v| VoteEvent {
                time: v.voted_at * 1000,
                participant: v.pseudonym as u64,
                statement: v.statement_id as u64,
                vote: Vote::from_export_sign(v.vote).unwrap(),
            })
            .collect(),
        exported_groups: vec![],
    }
}

fn groups(map: &Value) -> Vec<BTreeSet<String>> {
    map["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            g["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m.as_str().unwrap().to_owned())
                .collect()
        })
        .collect()
}

async fn the_demo_conversation_shows_its_map_on_first_visit(app: App) {
    let id = demo_conversation(&app).await;
    let map = served_map(&app, id).await;
    let k = map["k"].as_u64().unwrap();
    assert!((2..=3).contains(&k), "two or three groups, got {k}");
    assert!(map["participants_grouped"].as_u64().unwrap() >= 200);
    assert!(map["consensus"]["agree"].is_array());
    let mut b = app.browser();
    let (status, page) = b.get(&format!("/conversations/{id}/map")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<svg") && page.contains("role=\"img\""));
    assert!(
        page.contains("그룹 A"),
        "the text alternative names the groups"
    );
    assert!(page.contains("id=\"consensus\""));
    let (status, page) = b.get(&format!("/scopes/{JONGNO}/conversations")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("통학로"));
    // The scope page's section leads to it.
    let (status, page) = b.get(&format!("/scopes/{JONGNO}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&format!("href=\"/conversations/{id}\"")));
    assert!(page.contains("conversations-link"));
}

async fn the_served_map_equals_a_from_scratch_analysis_of_the_stored_votes(app: App) {
    let id = demo_conversation(&app).await;
    let tids = statements(&app, id).await;
    for i in 0..6 {
        let email = format!("voter{i}@x.kr");
        verified_resident(&app, "주민", &email, SAJIK).await;
        let token = registered_token(&app, &email).await;
        for (n, tid) in tids.iter().enumerate().take(10) {
            let v = if (n + i) % 3 == 0 {
                "disagree"
            } else {
                "agree"
            };
            let (status, body) = vote(&app, &token, id, *tid, v).await;
            assert_eq!(status, StatusCode::OK, "{body}");
        }
        // A change of mind: the latest vote counts.
        vote(&app, &token, id, tids[0], "pass").await;
    }
    drain_jobs(&app).await;
    let served = served_map(&app, id).await;
    let conversation = stored_conversation(&app, id).await;
    let expected = MapSnapshot::new(&maeul_opinion::analyze(&conversation, &Options::default()));
    assert_eq!(served, serde_json::to_value(&expected).unwrap());
    let latest = app.db.latest_forum_map(id).await.unwrap().unwrap();
    assert_eq!(latest.votes as usize, conversation.votes.len());
    assert!(
        app.db.forum_map_history(id).await.unwrap().len() >= 2,
        "history kept"
    );
}

async fn the_export_analysed_by_maeul_opinion_gives_the_groups_the_platform_shows(app: App) {
    let id = demo_conversation(&app).await;
    let dir = std::env::temp_dir().join(format!("maeul-forum-export-{}-{id}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut b = app.browser();
    for file in ["votes.csv", "comments.csv", "participants-votes.csv"] {
        let r = b
            .http
            .get(app.url(&format!("/conversations/{id}/export/{file}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{file}");
        std::fs::write(dir.join(file), r.bytes().await.unwrap()).unwrap();
    }
    let (status, _) = b
        .get(&format!("/conversations/{id}/export/secrets.csv"))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // What `maeul opinion analyze DIR --json` does: read the export folder, analyse from scratch.
    let exported = maeul_opinion::read_export_dir(&dir).unwrap();
    let analysed = MapSnapshot::new(&maeul_opinion::analyze(&exported, &Options::default()));
    let served = served_map(&app, id).await;
    assert_eq!(
        groups(&serde_json::to_value(&analysed).unwrap()),
        groups(&served)
    );
    assert_eq!(
        serde_json::to_value(&analysed).unwrap(),
        served,
        "the whole map"
    );
    // participants-votes.csv alone gives the same latest votes.
    std::fs::remove_file(dir.join("votes.csv")).unwrap();
    std::fs::remove_file(dir.join("comments.csv")).unwrap();
    let alone = maeul_opinion::read_export_dir(&dir).unwrap();
    assert_eq!(alone.votes.len(), exported.votes.len());
    let _ = std::fs::remove_dir_all(&dir);
}

async fn a_non_resident_cannot_vote_where_residence_is_required(app: App) {
    let id = demo_conversation(&app).await;
    let tid = statements(&app, id).await[0];
    // A verified resident of another district (Jung-gu).
    verified_resident(&app, "이웃", "jung@x.kr", JUNG_DONG).await;
    let outsider = registered_token(&app, "jung@x.kr").await;
    let (status, body) = vote(&app, &outsider, id, tid, "agree").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"]["code"], "residents_only");
    // Signed in without any verified residence.
    let mut b = app.browser();
    b.register("무소속", "nobody@x.kr", "long enough password")
        .await;
    let nobody = registered_token(&app, "nobody@x.kr").await;
    let (status, _) = vote(&app, &nobody, id, tid, "agree").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        app.db
            .forum_pseudonym(
                id,
                app.db
                    .user_by_email("nobody@x.kr")
                    .await
                    .unwrap()
                    .unwrap()
                    .id
            )
            .await
            .unwrap()
            .is_none()
    );
    // A resident of Sajik-dong (in Jongno-gu) may; bad input is named.
    verified_resident(&app, "주민", "sajik@x.kr", SAJIK).await;
    let resident = registered_token(&app, "sajik@x.kr").await;
    let (status, body) = vote(&app, &resident, id, tid, "maybe").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "vote");
    let (status, body) = vote(&app, &resident, id, tid, "agree").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body["participant"].as_i64().unwrap() >= 240,
        "after the demo's simulated participants"
    );
    // Anonymous: 401.
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/conversations/{id}/votes")))
        .json(&json!({"statement_id": tid, "vote": "agree"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

async fn closed_conversations_refuse_votes_and_publish_a_report(app: App) {
    let id = demo_conversation(&app).await;
    let tid = statements(&app, id).await[0];
    verified_resident(&app, "주민", "late@x.kr", SAJIK).await;
    let token = registered_token(&app, "late@x.kr").await;
    // A resident may not close it.
    let (mut resident, _) = verified_resident(&app, "주민2", "late2@x.kr", SAJIK).await;
    let (status, _, _) = resident
        .post(&format!("/conversations/{id}/state"), &[("event", "close")])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut staff = app.signed_in(STAFF).await;
    let (status, _, _) = staff
        .post(&format!("/conversations/{id}/state"), &[("event", "close")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, body) = vote(&app, &token, id, tid, "agree").await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "conversation_not_open");
    let r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/conversations/{id}/statements")))
        .bearer_auth(&token)
        .json(&json!({"body": "마감 뒤에 쓰는 의견"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    // An empty report is refused beside its field; a report is published and shown with the map.
    let (status, _, _) = staff
        .post(
            &format!("/conversations/{id}/state"),
            &[("event", "report"), ("report", " ")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _, _) = staff
        .post(
            &format!("/conversations/{id}/state"),
            &[
                ("event", "report"),
                ("report", "가로등과 임시 보행로에는 모두 동의했습니다."),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = app.browser().get(&format!("/conversations/{id}/map")).await;
    assert!(page.contains("가로등과 임시 보행로에는 모두 동의했습니다."));
    let (_, c) = get_json(&app, &format!("/api/v1/conversations/{id}")).await;
    assert_eq!(c["state"], "reported");
}

async fn moderation_hides_a_statement_from_voting_and_the_map(app: App) {
    let id = demo_conversation(&app).await;
    let tids = statements(&app, id).await;
    let hidden = tids[0];
    let before = served_map(&app, id).await;
    assert_eq!(before["statements"].as_u64().unwrap() as usize, tids.len());
    // A resident may not moderate; a moderator hides the statement.
    let (mut resident, _) = verified_resident(&app, "주민", "mod@x.kr", SAJIK).await;
    let (status, _, _) = resident
        .post(
            &format!("/forum-statements/{hidden}/moderation"),
            &[("decision", "hide")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut moderator = app.signed_in(MODERATOR).await;
    let (status, _, _) = moderator
        .post(
            &format!("/forum-statements/{hidden}/moderation"),
            &[("decision", "hide")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let token = registered_token(&app, "mod@x.kr").await;
    let (status, body) = vote(&app, &token, id, hidden, "agree").await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "statement_not_votable");
    assert!(!statements(&app, id).await.contains(&hidden));
    drain_jobs(&app).await;
    let after = served_map(&app, id).await;
    let text = after.to_string();
    for g in after["groups"].as_array().unwrap() {
        for r in g["repness"].as_array().unwrap() {
            assert_ne!(
                r["tid"].as_i64().unwrap(),
                hidden,
                "hidden statement in repness: {text}"
            );
        }
    }
    for side in ["agree", "disagree"] {
        for c in after["consensus"][side].as_array().unwrap() {
            assert_ne!(c["tid"].as_i64().unwrap(), hidden);
        }
    }
    // The votes the map reads no longer include it, and the page never offers it.
    assert!(
        app.db
            .forum_current_votes(id)
            .await
            .unwrap()
            .iter()
            .all(|v| v.statement_id != hidden)
    );
    for _ in 0..5 {
        let (_, page) = resident.get(&format!("/conversations/{id}")).await;
        assert!(!page.contains(&format!("name=\"statement\" value=\"{hidden}\"")));
    }
}

async fn residents_vote_one_statement_at_a_time_through_the_pages(app: App) {
    let id = demo_conversation(&app).await;
    let (mut resident, _) = verified_resident(&app, "주민", "pages@x.kr", SAJIK).await;
    let mut seen = BTreeSet::new();
    for _ in 0..3 {
        let (status, page) = resident.get(&format!("/conversations/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        let statement: i64 = page
            .split("name=\"statement\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .and_then(|s| s.parse().ok())
            .expect("one statement offered");
        assert!(
            seen.insert(statement),
            "a statement already voted on is not offered again"
        );
        let (status, _, location) = resident
            .post(
                &format!("/conversations/{id}/votes"),
                &[("statement", &statement.to_string()), ("vote", "agree")],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert!(location.unwrap().contains("forum-notice-voted"));
    }
    // A statement: too short is refused beside the field; a good one shows at once (post-moderation).
    let (status, page, _) = resident
        .post(
            &format!("/conversations/{id}/statements"),
            &[("body", "짧")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("body-error"));
    let (status, _, location) = resident
        .post(
            &format!("/conversations/{id}/statements"),
            &[("body", "통학로 횡단보도에 노란 발자국을 그리자")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location.unwrap().contains("statement-shown"));
    let (_, list) = get_json(&app, &format!("/api/v1/conversations/{id}/statements")).await;
    assert!(list.to_string().contains("노란 발자국"));
    // Staff start a conversation attached to an object; bad input names the field.
    let mut staff = app.signed_in(STAFF).await;
    let (status, page, _) = staff
        .post(
            &format!("/scopes/{JONGNO}/conversations"),
            &[
                ("topic", "종로 야간 보행"),
                ("participation", "everyone"),
                ("moderation", "pre"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("conversation-participation"));
    let (status, _, location) = staff
        .post(
            &format!("/scopes/{JONGNO}/conversations"),
            &[
                ("topic", "종로 야간 보행"),
                ("participation", "signed_in"),
                ("moderation", "pre"),
                ("object_kind", "agenda_item"),
                ("object_id", "1"),
                ("open", "yes"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let new = id_after(&location, "/conversations/");
    let c = app.db.conversation(new).await.unwrap().unwrap();
    assert_eq!(c.state, maeul_domain::forum::ConversationState::Open);
    // Pre-moderation: a statement waits for a moderator.
    let (status, _, location) = resident
        .post(
            &format!("/conversations/{new}/statements"),
            &[("body", "가로등을 더 밝게 해 주세요")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location.unwrap().contains("statement-pending"));
    assert!(statements(&app, new).await.is_empty());
}

/// Votes arriving together are written in shared transactions (group commit): every request still gets
/// its own answer, every vote is an event, refused ones write nothing, and the latest event per
/// participant and statement is the current vote.
async fn concurrent_api_votes_are_each_an_event_and_the_latest_counts(app: App) {
    let id = demo_conversation(&app).await;
    let tids = statements(&app, id).await;
    let mut tokens = vec![];
    for i in 0..4 {
        let email = format!("burst{i}@x.kr");
        verified_resident(&app, "주민", &email, SAJIK).await;
        tokens.push(registered_token(&app, &email).await);
    }
    let before = app.db.forum_vote_events(id).await.unwrap().len();
    let mut tasks = tokio::task::JoinSet::new();
    for (p, token) in tokens.iter().enumerate() {
        for r in 0..16 {
            let (url, token) = (
                app.url(&format!("/api/v1/conversations/{id}/votes")),
                token.clone(),
            );
            // Four statements, four votes each per participant; one request in eight names no statement
            // of this conversation and is refused.
            let statement = if r % 8 == 7 { -1 } else { tids[r % 4] };
            let v = ["agree", "disagree", "pass"][(r + p) % 3];
            tasks.spawn(async move {
                let r = reqwest::Client::new()
                    .post(url)
                    .bearer_auth(token)
                    .json(&json!({"statement_id": statement, "vote": v}))
                    .send()
                    .await
                    .unwrap();
                (statement, r.status())
            });
        }
    }
    let mut accepted = 0;
    while let Some(r) = tasks.join_next().await {
        let (statement, status) = r.unwrap();
        if statement < 0 {
            assert_ne!(status, StatusCode::OK);
        } else {
            assert_eq!(status, StatusCode::OK);
            accepted += 1;
        }
    }
    assert_eq!(accepted, 4 * 14);
    let events = app.db.forum_vote_events(id).await.unwrap();
    assert_eq!(
        events.len() - before,
        accepted,
        "one event per accepted vote"
    );
    let current = app.db.forum_current_votes(id).await.unwrap();
    let mut checked = 0;
    for c in current
        .iter()
        .filter(|c| events[before..].iter().any(|e| e.2 == c.pseudonym))
    {
        let latest = events
            .iter()
            .filter(|e| e.1 == c.statement_id && e.2 == c.pseudonym)
            .max_by_key(|e| e.0)
            .unwrap();
        assert_eq!(
            (c.event_id, c.vote),
            (latest.0, latest.3),
            "the latest event counts"
        );
        checked += 1;
    }
    assert_eq!(
        checked,
        4 * 4,
        "one current vote per participant and statement"
    );
    drain_jobs(&app).await;
    let served = served_map(&app, id).await;
    let expected = MapSnapshot::new(&maeul_opinion::analyze(
        &stored_conversation(&app, id).await,
        &Options::default(),
    ));
    assert_eq!(served, serde_json::to_value(&expected).unwrap());
}
