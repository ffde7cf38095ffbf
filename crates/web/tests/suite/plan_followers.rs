//! The innovation plan's second part over HTTP, on SQLite and on PostgreSQL: following an agenda item and
//! hearing of its steps (inbox and mail, Korean and English); agenda items written through the API with a
//! bearer token — the same services as the pages, refusals as stable codes, levels acting only on what
//! they hold; working groups of plan projects (staff create them and add members, members post updates).
use crate::harness::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

app_tests!(
    followers_hear_of_an_items_steps_in_their_inbox_and_mail,
    items_are_proposed_and_moved_through_the_api_by_the_level_that_holds_them,
    a_projects_working_group_has_members_meetings_and_updates,
);

const STAFF: &str = "staff@demo.maeul.kr";
const JONGNO: &str = "11110";
const SAJIK: &str = "1111053000";
const PASSWORD: &str = "long enough password";

/// A new signed-in account holding `role` in the scope `code`.
async fn holder(app: &App, email: &str, role: maeul_domain::Role, code: &str) -> Browser {
    let mut b = app.browser();
    assert_eq!(
        b.register("역할자", email, PASSWORD).await,
        StatusCode::SEE_OTHER
    );
    let user = app.db.user_by_email(email).await.unwrap().unwrap();
    let scope = app.state.scopes().by_code(code).unwrap().id;
    app.db.grant_role(user.id, role, scope, None).await.unwrap();
    b
}

async fn token_for(app: &App, email: &str) -> String {
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({"email": email, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "a token: {}", r.status());
    r.json::<Value>().await.unwrap()["token"]
        .as_str()
        .expect("a token")
        .to_owned()
}

async fn post_api(app: &App, token: Option<&str>, path: &str, body: Value) -> (StatusCode, Value) {
    let mut r = reqwest::Client::new()
        .post(app.url(&format!("/api/v1{path}")))
        .json(&body);
    if let Some(t) = token {
        r = r.bearer_auth(t);
    }
    let r = r.send().await.unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn error_code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or("")
}

async fn drain_jobs(app: &App) {
    while maeul_web::jobs::run_pass(&app.state).await.unwrap() > 0 {}
}

async fn followers_hear_of_an_items_steps_in_their_inbox_and_mail(app: App) {
    // A verified resident of Sajik-dong proposes an item: they follow it from then on.
    let (mut proposer, proposer_id) =
        verified_resident(&app, "제안자", "proposer@x.kr", SAJIK).await;
    proposer.get(&format!("/scopes/{SAJIK}/agenda-items")).await;
    let (status, _, location) = proposer
        .post(
            &format!("/scopes/{SAJIK}/agenda-items"),
            &[("title", "골목 정원 가꾸기"), ("body", "빈터를 정원으로")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let item = id_after(&location, "/agenda-items/");
    let page = format!("/agenda-items/{item}");
    let (_, html) = proposer.get(&page).await;
    assert!(
        html.contains("팔로우 취소"),
        "the proposer follows their item"
    );

    // Someone else follows it with the button (a plain form).
    let mut fan = app.browser();
    assert_eq!(
        fan.register("이웃", "fan@x.kr", PASSWORD).await,
        StatusCode::SEE_OTHER
    );
    let fan_id = app.db.user_by_email("fan@x.kr").await.unwrap().unwrap().id;
    let (_, html) = fan.get(&page).await;
    assert!(html.contains("id=\"follow-button\"") && html.contains("팔로워 1명"));
    let item_s = item.to_string();
    let (status, _, location) = fan
        .post(
            "/follows",
            &[
                ("target", "plan_item"),
                ("id", &item_s),
                ("follow", "1"),
                ("back", &page),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some(page.as_str()));
    let (_, html) = fan.get(&page).await;
    assert!(html.contains("팔로워 2명"));
    // An item that does not exist cannot be followed.
    let (status, _, _) = fan
        .post(
            "/follows",
            &[("target", "plan_item"), ("id", "999999"), ("follow", "1")],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The fan reads English mail at once; the proposer a Korean one.
    app.db.set_user_lang(fan_id, "en").await.unwrap();
    for user in [fan_id, proposer_id] {
        app.db
            .set_email_preference(user, maeul_domain::notify::EmailPreference::Immediate)
            .await
            .unwrap();
    }

    // Sajik-dong's staff screen it and refer it up; Jongno-gu's staff return it.
    let mut dong = holder(&app, "dong@x.kr", maeul_domain::Role::SupportStaff, SAJIK).await;
    dong.get(&page).await;
    let (status, _, _) = dong
        .post(&format!("{page}/state"), &[("event", "accept")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = dong
        .post(
            &format!("{page}/refer"),
            &[("to", JONGNO), ("reason", "여러 동에 걸칩니다")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let mut gu = app.signed_in(STAFF).await;
    gu.get(&page).await;
    let (status, _, _) = gu
        .post(
            &format!("{page}/answer"),
            &[
                ("answer", "return"),
                ("reason", "동에서 결정할 수 있습니다"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    drain_jobs(&app).await;

    // The inbox says each step, in the reader's language, and leads to the item.
    let (_, inbox) = fan.get("/notifications").await;
    for step in [
        "숙의 대상으로 채택됨",
        "상위 단계로 회부됨",
        "회부한 단계로 되돌려짐",
    ] {
        assert!(
            inbox.contains(&format!("의제 “골목 정원 가꾸기”: {step}")),
            "{step}"
        );
    }
    let inbox_en = fan.get_lang("/notifications", "en").await;
    assert!(
        inbox_en.contains("The agenda item “골목 정원 가꾸기”: referred up to the level above"),
        "{inbox_en}"
    );
    let heard = app.db.notifications(fan_id, None, 10).await.unwrap();
    assert_eq!(heard.len(), 3);
    assert_eq!(
        maeul_web::areas::notifications::views::notification_path(&heard[0]),
        page
    );
    let (_, inbox) = proposer.get("/notifications").await;
    assert!(inbox.contains("회부한 단계로 되돌려짐"));
    // The people who acted follow it too: Sajik-dong's staff heard of the district's answer.
    let dong_id = app.db.user_by_email("dong@x.kr").await.unwrap().unwrap().id;
    let dong_heard = app.db.notifications(dong_id, None, 10).await.unwrap();
    assert_eq!(dong_heard.len(), 1);
    assert_eq!(dong_heard[0].detail, "referral_returned");

    // Mail, in each reader's language.
    let mails = app.db.recent_mails(50).await.unwrap();
    assert!(
        mails.iter().any(|m| m.to_addr == "fan@x.kr"
            && m.body.contains(
                "The agenda item “골목 정원 가꾸기”: returned to the level that referred it"
            )),
        "an English mail to the fan"
    );
    assert!(
        mails.iter().any(|m| m.to_addr == "proposer@x.kr"
            && m.body
                .contains("의제 “골목 정원 가꾸기”: 상위 단계로 회부됨")),
        "a Korean mail to the proposer"
    );
}

async fn items_are_proposed_and_moved_through_the_api_by_the_level_that_holds_them(app: App) {
    let (_, _) = verified_resident(&app, "주민", "apiresident@x.kr", SAJIK).await;
    let _dong = holder(
        &app,
        "apidong@x.kr",
        maeul_domain::Role::SupportStaff,
        SAJIK,
    )
    .await;
    let resident = token_for(&app, "apiresident@x.kr").await;
    let dong = token_for(&app, "apidong@x.kr").await;
    let gu = token(&app, STAFF).await;

    // Anonymous: 401. Bad input: 422 with the field, nothing written.
    let new = json!({"scope": SAJIK, "title": "쓰레기 분리배출 안내", "body": "안내판"});
    let (status, _) = post_api(&app, None, "/agenda-items", new.clone()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let before = app
        .db
        .plan_items_touching(app.state.scopes().by_code(SAJIK).unwrap().id)
        .await
        .unwrap()
        .len();
    let (status, body) = post_api(
        &app,
        Some(&resident),
        "/agenda-items",
        json!({"scope": SAJIK, "title": ""}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["error"]["fields"].to_string().contains("title"),
        "{body}"
    );
    let (status, _) = post_api(&app, Some(&resident), "/agenda-items", json!({"title": 1})).await;
    assert!(status.is_client_error());
    assert_eq!(
        app.db
            .plan_items_touching(app.state.scopes().by_code(SAJIK).unwrap().id)
            .await
            .unwrap()
            .len(),
        before
    );

    // A resident proposes; the neighbourhood's staff screen it and refer it up.
    let (status, item) = post_api(&app, Some(&resident), "/agenda-items", new).await;
    assert_eq!(status, StatusCode::CREATED, "{item}");
    assert_eq!(item["state"], "proposed");
    let id = item["id"].as_i64().unwrap();
    let steps = format!("/agenda-items/{id}/steps");
    let (status, body) = post_api(&app, Some(&resident), &steps, json!({"event": "accept"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = post_api(&app, Some(&dong), &steps, json!({"event": "decline"})).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is required: {body}"
    );
    let (status, body) = post_api(&app, Some(&dong), &steps, json!({"event": "fly"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = post_api(&app, Some(&dong), &steps, json!({"event": "accept"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["state"], "accepted");
    let (status, body) = post_api(&app, Some(&dong), &steps, json!({"event": "prioritise"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(error_code(&body), "transition_not_allowed");

    let refer = format!("/agenda-items/{id}/referrals");
    let (status, body) = post_api(
        &app,
        Some(&dong),
        &refer,
        json!({"to": "11140", "reason": "다른 구"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(error_code(&body), "not_adjacent");
    let (status, body) = post_api(
        &app,
        Some(&dong),
        &refer,
        json!({"to": JONGNO, "reason": ""}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = post_api(
        &app,
        Some(&dong),
        &refer,
        json!({"to": JONGNO, "reason": "여러 동에 걸칩니다"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["referrals"][0]["outcome"], "pending");
    assert_eq!(body["referrals"][0]["direction"], "up");
    let (status, body) = post_api(
        &app,
        Some(&dong),
        &refer,
        json!({"to": JONGNO, "reason": "again"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(error_code(&body), "referral_pending");

    // The neighbourhood's staff cannot answer for the district; the district accepts it.
    let answer = format!("/agenda-items/{id}/referral-answer");
    let (status, _) = post_api(&app, Some(&dong), &answer, json!({"answer": "accept"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = post_api(&app, Some(&gu), &answer, json!({"answer": "maybe"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = post_api(&app, Some(&gu), &answer, json!({"answer": "accept"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["scope_code"], JONGNO);
    assert_eq!(body["referrals"][0]["outcome"], "accepted");

    // Now the district holds it: the neighbourhood's staff cannot act on it, nor refer it.
    let (status, _) = post_api(&app, Some(&dong), &steps, json!({"event": "deliberate"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = post_api(
        &app,
        Some(&dong),
        &refer,
        json!({"to": SAJIK, "reason": "돌려보냄"}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = post_api(&app, Some(&gu), &answer, json!({"answer": "accept"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(error_code(&body), "no_pending_referral");
    // The district hands it down, the neighbourhood returns it with a reason.
    let (status, _) = post_api(
        &app,
        Some(&gu),
        &refer,
        json!({"to": SAJIK, "reason": "동에서 결정"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, body) = post_api(&app, Some(&dong), &answer, json!({"answer": "return"})).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is required: {body}"
    );
    let (status, body) = post_api(
        &app,
        Some(&dong),
        &answer,
        json!({"answer": "return", "reason": "예산이 부족합니다"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["scope_code"], JONGNO);
    assert_eq!(body["referrals"][1]["outcome"], "returned");
    let (status, body) = post_api(&app, Some(&gu), &steps, json!({"event": "deliberate"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["state"], "under_deliberation");
    // Unknown items are 404.
    let (status, _) = post_api(
        &app,
        Some(&gu),
        "/agenda-items/999999/steps",
        json!({"event": "accept"}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn a_projects_working_group_has_members_meetings_and_updates(app: App) {
    let jongno = app.state.scopes().by_code(JONGNO).unwrap().id;
    let plan = app
        .db
        .plans_of(jongno)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.year == 2027)
        .expect("the demo's 2027 plan");
    // The demo's group, shown on its project and on its own page to anyone.
    let groups = app.db.working_groups_of_plan(plan.id).await.unwrap();
    assert_eq!(groups.len(), 1);
    let demo = &groups[0];
    assert_eq!(app.db.group_members(demo.id).await.unwrap().len(), 3);
    let mut visitor = app.browser();
    let (_, page) = visitor.get(&format!("/plans/{}", plan.id)).await;
    assert!(page.contains(&format!("href=\"/working-groups/{}\"", demo.id)));
    let (status, page) = visitor.get(&format!("/working-groups/{}", demo.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("group-meeting") && page.contains("group-update"));
    assert!(!page.contains("member-submit") && !page.contains("update-submit"));
    let en = visitor
        .get_lang(&format!("/working-groups/{}", demo.id), "en")
        .await;
    assert!(en.contains("Meetings") && en.contains("Official"));

    // Another project of the plan gets a group: by the plan's staff only, with a name, once.
    let project = app
        .db
        .plan_projects(plan.id)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.id != demo.project_id)
        .expect("a second project");
    let create = format!("/plan-projects/{}/working-group", project.id);
    let (mut resident, _) = verified_resident(&app, "주민", "gm@x.kr", SAJIK).await;
    resident.get(&format!("/plans/{}", plan.id)).await;
    let (status, _, _) = resident.post(&create, &[("name", "원탁회의 실무단")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut dong = holder(&app, "gdong@x.kr", maeul_domain::Role::SupportStaff, SAJIK).await;
    dong.get(&format!("/plans/{}", plan.id)).await;
    let (status, _, _) = dong.post(&create, &[("name", "원탁회의 실무단")]).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a neighbourhood's staff, on the district's plan"
    );
    let mut staff = app.signed_in(STAFF).await;
    staff.get(&format!("/plans/{}", plan.id)).await;
    let (status, page, _) = staff.post(&create, &[("name", "")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("group-name-error"));
    assert_eq!(
        app.db.working_groups_of_plan(plan.id).await.unwrap().len(),
        1
    );
    let (status, _, location) = staff.post(&create, &[("name", "원탁회의 실무단")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let group = id_after(&location, "/working-groups/");
    let (status, _, _) = staff.post(&create, &[("name", "둘째 실무단")]).await;
    assert_eq!(status, StatusCode::CONFLICT, "one group per project");
    let (status, _, _) = staff
        .post(
            "/plan-projects/999999/working-group",
            &[("name", "없는 사업")],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Members, added by the staff: bad input first, nothing added.
    let page = format!("/working-groups/{group}");
    staff.get(&page).await;
    for (fields, expected) in [
        (
            vec![("email", "nobody@x.kr"), ("role", "resident")],
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            vec![("email", "gm@x.kr"), ("role", "mayor")],
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            vec![("email", ""), ("role", "resident")],
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ] {
        let (status, _, _) = staff.post(&format!("{page}/members"), &fields).await;
        assert_eq!(status, expected, "{fields:?}");
    }
    assert!(app.db.group_members(group).await.unwrap().is_empty());
    let (status, _, _) = resident
        .post(
            &format!("{page}/members"),
            &[("email", "gm@x.kr"), ("role", "resident")],
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "residents do not add members"
    );
    let (status, _, _) = staff
        .post(
            &format!("{page}/members"),
            &[("email", "gm@x.kr"), ("role", "resident")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = staff
        .post(
            &format!("{page}/members"),
            &[("email", "gm@x.kr"), ("role", "official")],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "once per person");

    // A meeting, recorded by the staff.
    let (status, page_html, _) = staff
        .post(
            &format!("{page}/meetings"),
            &[("held_at", "next week"), ("place", "구청"), ("minutes", "")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page_html.contains("held_at-error") && page_html.contains("minutes-error"));
    assert!(app.db.group_meetings(group).await.unwrap().is_empty());
    let (status, _, _) = staff
        .post(
            &format!("{page}/meetings"),
            &[
                ("held_at", "2027-04-02T19:00"),
                ("place", "구청 회의실"),
                ("minutes", "역할을 나눴습니다."),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // Updates: by members only.
    let (status, _, _) = dong
        .post(&format!("{page}/updates"), &[("body", "소식")])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, html) = resident.get(&page).await;
    assert!(html.contains("update-submit"));
    let (status, html, _) = resident
        .post(&format!("{page}/updates"), &[("body", "  ")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("update-error"));
    let (status, _, _) = resident
        .post(
            &format!("{page}/updates"),
            &[("body", "첫 원탁회의 장소를 정했습니다.")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = visitor.get(&page).await;
    assert!(html.contains("첫 원탁회의 장소를 정했습니다.") && html.contains("역할을 나눴습니다."));
    let (_, html) = visitor.get(&format!("/plans/{}", plan.id)).await;
    assert!(html.contains(&format!("href=\"/working-groups/{group}\"")));
}
