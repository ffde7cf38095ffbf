//! The innovation plan over HTTP, on SQLite and on PostgreSQL: an item found in a neighbourhood, referred
//! up, accepted, prioritised, adopted by a carried motion, in a plan that is resolved, submitted, adjusted
//! at the city's request and approved; the demo's plan and paths; permissions across levels; bad input.
use crate::harness::*;
use reqwest::StatusCode;
use serde_json::Value;

app_tests!(
    an_item_travels_from_a_neighbourhood_into_an_approved_plan,
    the_demo_shows_jongno_plan_in_consultation_and_whole_paths,
    levels_act_only_on_what_they_hold_and_bad_input_changes_nothing,
    residents_vote_once_in_the_priority_forum,
    staff_set_the_priority_vote_before_its_first_ballot,
);

const STAFF: &str = "staff@demo.maeul.kr";
const OFFICIAL: &str = "official@demo.maeul.kr";
const JONGNO: &str = "11110";
const SAJIK: &str = "1111053000";
const JUNG_DONG: &str = "1114052000";

fn scope_id(app: &App, code: &str) -> i64 {
    app.state.scopes().by_code(code).unwrap().id
}

/// A new signed-in account holding `role` in the scope `code`.
async fn holder(app: &App, email: &str, role: maeul_domain::Role, code: &str) -> Browser {
    let mut b = app.browser();
    assert_eq!(
        b.register("역할자", email, "long enough password").await,
        StatusCode::SEE_OTHER
    );
    let user = app.db.user_by_email(email).await.unwrap().unwrap();
    app.db
        .grant_role(user.id, role, scope_id(app, code), None)
        .await
        .unwrap();
    b
}

async fn api(app: &App, path: &str) -> (StatusCode, Value) {
    let r = reqwest::get(app.url(path)).await.unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn id_from(location: &Option<String>, prefix: &str) -> i64 {
    let l = location.as_deref().expect("a redirect");
    l.strip_prefix(prefix)
        .and_then(|s| s.split('?').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("{l} does not start with {prefix}"))
}

async fn carried_motion(app: &App, code: &str) -> i64 {
    app.db
        .carried_motions_in(scope_id(app, code))
        .await
        .unwrap()
        .first()
        .expect("the demo has carried motions")
        .0
}

async fn an_item_travels_from_a_neighbourhood_into_an_approved_plan(app: App) {
    // A verified resident of Sajik-dong proposes an item there.
    let (mut resident, _) = verified_resident(&app, "주민", "walker@x.kr", SAJIK).await;
    resident.get(&format!("/scopes/{SAJIK}/agenda-items")).await;
    let (status, _, location) = resident
        .post(
            &format!("/scopes/{SAJIK}/agenda-items"),
            &[
                ("title", "골목 가로등 보강"),
                ("body", "밤길이 어둡습니다."),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let item = id_from(&location, "/agenda-items/");

    // Sajik-dong's staff screen it and refer it up to Jongno-gu.
    let mut dong_staff = holder(&app, "dong@x.kr", maeul_domain::Role::SupportStaff, SAJIK).await;
    dong_staff.get(&format!("/agenda-items/{item}")).await;
    let (status, _, _) = dong_staff
        .post(
            &format!("/agenda-items/{item}/state"),
            &[("event", "accept")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, location) = dong_staff
        .post(
            &format!("/agenda-items/{item}/refer"),
            &[("to", JONGNO), ("reason", "구 도로 시설물입니다")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location.unwrap().contains("plan-notice-referred"));
    // The dong's staff cannot answer for the district.
    let (status, _, _) = dong_staff
        .post(
            &format!("/agenda-items/{item}/answer"),
            &[("answer", "accept")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Jongno-gu's staff accept it, deliberate, prioritise and adopt it by a carried motion.
    let mut staff = app.signed_in(STAFF).await;
    let (_, page) = staff.get(&format!("/agenda-items/{item}")).await;
    assert!(page.contains("accept-referral"));
    let (status, _, _) = staff
        .post(
            &format!("/agenda-items/{item}/answer"),
            &[("answer", "accept")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    for event in ["deliberate", "prioritise"] {
        let (status, _, _) = staff
            .post(&format!("/agenda-items/{item}/state"), &[("event", event)])
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{event}");
    }
    // Adopting with a motion of another level's committee is refused and changes nothing.
    let sajik_motion = carried_motion(&app, SAJIK).await;
    let (status, page, _) = staff
        .post(
            &format!("/agenda-items/{item}/state"),
            &[("event", "adopt"), ("motion", &sajik_motion.to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("item-alert"));
    let motion = carried_motion(&app, JONGNO).await;
    let (status, _, _) = staff
        .post(
            &format!("/agenda-items/{item}/state"),
            &[("event", "adopt"), ("motion", &motion.to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = staff.get(&format!("/agenda-items/{item}")).await;
    assert!(page.contains("referral-path") && page.contains("구 도로 시설물입니다"));

    // The item's whole path through the API, from both levels.
    for code in [SAJIK, JONGNO] {
        let (status, items) = api(&app, &format!("/api/v1/agenda-items?scope={code}")).await;
        assert_eq!(status, StatusCode::OK);
        let found = items
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == item)
            .cloned()
            .expect("the item is listed at both levels");
        assert_eq!(found["scope_code"], JONGNO);
        assert_eq!(found["origin_scope_code"], SAJIK);
        assert_eq!(found["state"], "adopted");
        assert_eq!(
            found["referrals"],
            serde_json::json!([{"from": SAJIK, "to": JONGNO, "direction": "up", "reason": "구 도로 시설물입니다",
                "outcome": "accepted", "answer_reason": "", "referred_at": found["referrals"][0]["referred_at"],
                "answered_at": found["referrals"][0]["answered_at"]}])
        );
    }

    // The 2028 plan: a project from the item, resolved, submitted, adjusted at the city's request, approved.
    staff.get(&format!("/scopes/{JONGNO}/plans")).await;
    let (status, _, location) = staff
        .post(
            &format!("/scopes/{JONGNO}/plans"),
            &[("year", "2028"), ("title", "2028 종로구 실행계획")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let plan = id_from(&location, "/plans/");
    staff.get(&format!("/plans/{plan}")).await;
    let (status, _, _) = staff
        .post(
            &format!("/plans/{plan}/projects"),
            &[
                ("item", &item.to_string()),
                ("title", "골목 가로등 보강 사업"),
                ("lead_department", "도로과"),
                ("city_grant", "30,000,000"),
                ("own_funds", "10000000"),
                ("indicator", "밝기"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // Not submitted before the committee resolves it.
    let (status, _, _) = staff
        .post(&format!("/plans/{plan}/state"), &[("event", "submit")])
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    for (event, extra) in [("resolve", motion.to_string()), ("submit", String::new())] {
        let (status, _, _) = staff
            .post(
                &format!("/plans/{plan}/state"),
                &[("event", event), ("motion", &extra)],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{event}");
    }
    // Only the city's officials consult: not the district's own official, not another district's.
    let mut own_official = app.signed_in(OFFICIAL).await;
    own_official.get(&format!("/plans/{plan}")).await;
    let mut other_official = holder(&app, "jung@x.kr", maeul_domain::Role::Official, "11140").await;
    other_official.get(&format!("/plans/{plan}")).await;
    for b in [&mut own_official, &mut other_official] {
        let (status, _, _) = b
            .post(
                &format!("/plans/{plan}/state"),
                &[("event", "open_consultation")],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let mut city = holder(&app, "city@x.kr", maeul_domain::Role::Official, "11").await;
    city.get(&format!("/plans/{plan}")).await;
    let (status, _, _) = city
        .post(
            &format!("/plans/{plan}/state"),
            &[("event", "open_consultation")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = city.get(&format!("/plans/{plan}")).await;
    assert!(page.contains("adjust-comment"));
    let (status, page, _) = city
        .post(
            &format!("/plans/{plan}/state"),
            &[("event", "request_adjustment"), ("comment", " ")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("comment-error"));
    let (status, _, _) = city
        .post(
            &format!("/plans/{plan}/state"),
            &[
                ("event", "request_adjustment"),
                ("comment", "지표를 보강하세요"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    staff.get(&format!("/plans/{plan}")).await;
    let (status, _, _) = staff
        .post(
            &format!("/plans/{plan}/sections"),
            &[("section", "evaluation"), ("body", "야간 조도 측정")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = staff
        .post(&format!("/plans/{plan}/state"), &[("event", "resubmit")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    city.get(&format!("/plans/{plan}")).await;
    let (status, _, _) = city
        .post(
            &format!("/plans/{plan}/state"),
            &[("event", "approve"), ("granted", "35000000")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    let (status, json) = api(&app, &format!("/api/v1/plans?scope={JONGNO}&year=2028")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["state"], "approved");
    assert_eq!(json["revisions"], 2);
    assert_eq!(json["granted_amount"], 35_000_000);
    assert_eq!(
        json["projects"][0]["agenda_item_ids"],
        serde_json::json!([item])
    );
    assert_eq!(
        json["projects"][0]["budget_lines"],
        serde_json::json!([{"source": "city_grant", "amount": 30000000}, {"source": "own_funds", "amount": 10000000}])
    );
    let (_, revisions) = api(&app, &format!("/api/v1/plans/{plan}/revisions")).await;
    let revisions = revisions.as_array().unwrap();
    assert!(
        !revisions[0]["snapshot"]
            .as_str()
            .unwrap()
            .contains("야간 조도 측정")
    );
    assert!(
        revisions[1]["snapshot"]
            .as_str()
            .unwrap()
            .contains("야간 조도 측정")
    );
    let (_, page) = city.get(&format!("/plans/{plan}")).await;
    assert!(page.contains("지표를 보강하세요") && page.contains("revision-2"));
    // The difference between the revisions, and the CSV of projects and budget lines.
    assert!(page.contains("changes-2") && page.contains("section evaluation: 야간 조도 측정"));
    let csv = reqwest::get(app.url(&format!("/plans/{plan}/projects.csv")))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv.contains(&format!(",{item},city_grant,30000000")));
    assert!(csv.contains(&format!(",{item},own_funds,10000000")));
}

async fn the_demo_shows_jongno_plan_in_consultation_and_whole_paths(app: App) {
    let (status, plan) = api(&app, &format!("/api/v1/plans?scope={JONGNO}&year=2027")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(plan["state"], "in_consultation");
    assert_eq!(plan["revisions"], 2);
    let projects = plan["projects"].as_array().unwrap();
    assert_eq!(projects.len(), 2);
    let (_, items) = api(&app, &format!("/api/v1/agenda-items?scope={SAJIK}")).await;
    let items = items.as_array().unwrap();
    let up = items
        .iter()
        .find(|i| i["referrals"][0]["direction"] == "up" && i["origin_scope_code"] == SAJIK)
        .expect("an item referred up from Sajik-dong");
    assert_eq!(up["scope_code"], JONGNO);
    assert_eq!(up["referrals"][0]["outcome"], "accepted");
    assert!(
        projects
            .iter()
            .any(|p| p["agenda_item_ids"].as_array().unwrap().contains(&up["id"])),
        "the item from Sajik-dong is in the plan"
    );
    let down = items
        .iter()
        .find(|i| i["referrals"][0]["direction"] == "down")
        .expect("an item handed down to Sajik-dong");
    assert_eq!(
        (
            &down["scope_code"],
            &down["origin_scope_code"],
            &down["state"]
        ),
        (
            &Value::from(SAJIK),
            &Value::from(JONGNO),
            &Value::from("adopted")
        )
    );
    assert!(down["adopted_motion_id"].is_i64());
    // Sajik-dong's autonomy plan, built from the item handed down, waits for the district.
    let (status, autonomy) = api(&app, &format!("/api/v1/plans?scope={SAJIK}&year=2027")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(autonomy["state"], "submitted");
    assert_eq!(
        autonomy["projects"][0]["agenda_item_ids"],
        serde_json::json!([down["id"]])
    );
    // The district's official consults on it; another district's official may not.
    let plan_path = format!("/plans/{}", autonomy["id"]);
    let mut other = holder(&app, "jung@x.kr", maeul_domain::Role::Official, "11140").await;
    other.get(&plan_path).await;
    let (status, _, _) = other
        .post(
            &format!("{plan_path}/state"),
            &[("event", "open_consultation")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut official = app.signed_in(OFFICIAL).await;
    let (_, page) = official.get(&plan_path).await;
    assert!(page.contains("step-open_consultation"));
    let (status, _, _) = official
        .post(
            &format!("{plan_path}/state"),
            &[("event", "open_consultation")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, jongno_items) = api(&app, &format!("/api/v1/agenda-items?scope={JONGNO}")).await;
    // The item promoted from a proposal links both ways.
    let promoted = jongno_items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["proposal_id"].is_i64())
        .expect("the demo promotes a proposal");
    let mut visitor = app.browser();
    let (_, page) = visitor
        .get(&format!("/proposals/{}", promoted["proposal_id"]))
        .await;
    assert!(page.contains(&format!("/agenda-items/{}", promoted["id"])));
    let (_, page) = visitor
        .get(&format!("/agenda-items/{}", promoted["id"]))
        .await;
    assert!(page.contains(&format!("/proposals/{}", promoted["proposal_id"])));
    assert!(
        jongno_items
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["referrals"][0]["outcome"] == "returned"),
        "the demo has a returned referral"
    );
    // Unknown scope and year; a missing year is a 400 naming the query.
    assert_eq!(
        api(&app, "/api/v1/plans?scope=11110&year=1990").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        api(&app, "/api/v1/agenda-items?scope=99").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        api(&app, "/api/v1/plans?scope=11110").await.0,
        StatusCode::BAD_REQUEST
    );

    // The pages, in both languages.
    let mut b = app.browser();
    let plan_id = plan["id"].as_i64().unwrap();
    let up_id = up["id"].as_i64().unwrap();
    for (lang, word) in [("ko", "이관 경로"), ("en", "Referral path")] {
        let page = b.get_lang(&format!("/agenda-items/{up_id}"), lang).await;
        assert!(page.contains(word), "{lang}");
        assert!(page.contains("referral-accepted"));
    }
    for (lang, word) in [("ko", "협의"), ("en", "Consultation")] {
        let page = b.get_lang(&format!("/plans/{plan_id}"), lang).await;
        assert!(page.contains(word) && page.contains("revision-2"), "{lang}");
    }
    for path in [
        format!("/scopes/{SAJIK}/agenda-items"),
        format!("/scopes/{JONGNO}/plans"),
        format!("/scopes/{SAJIK}"),
    ] {
        let (status, page) = b.get(&path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(
            page.contains(&format!("/agenda-items/{up_id}")) || path.ends_with("/plans"),
            "{path}"
        );
    }
    let (_, page) = b.get(&format!("/scopes/{SAJIK}")).await;
    assert!(page.contains("id=\"plan\""));
    let (_, page) = b.get(&format!("/scopes/{JONGNO}/plans")).await;
    assert!(page.contains(&format!("/plans/{plan_id}")));
}

async fn levels_act_only_on_what_they_hold_and_bad_input_changes_nothing(app: App) {
    let jongno_item = app
        .db
        .plan_items_touching(scope_id(&app, JONGNO))
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.scope_id == scope_id(&app, JONGNO) && i.state.is_open())
        .expect("the demo has an open item held by Jongno-gu");
    let path = format!("/agenda-items/{}", jongno_item.id);
    let before = app.db.plan_referrals(jongno_item.id).await.unwrap().len();

    // A neighbourhood's staff cannot act on the district's items.
    let mut dong_staff = holder(&app, "dong@x.kr", maeul_domain::Role::SupportStaff, SAJIK).await;
    let (_, page) = dong_staff.get(&path).await;
    assert!(!page.contains("refer-submit"));
    for (action, fields) in [
        ("state", vec![("event", "reject"), ("reason", "no")]),
        ("refer", vec![("to", SAJIK), ("reason", "동에서")]),
    ] {
        let (status, _, _) = dong_staff.post(&format!("{path}/{action}"), &fields).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{action}");
    }
    // Anonymous visitors are sent to sign in.
    let mut anonymous = app.browser();
    anonymous.get(&path).await;
    let (status, _, location) = anonymous
        .post(&format!("{path}/state"), &[("event", "prioritise")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location.unwrap().starts_with("/login"));

    // The district's staff: not to a neighbourhood of another district; a reason is required.
    let mut staff = app.signed_in(STAFF).await;
    staff.get(&path).await;
    let (status, page, _) = staff
        .post(
            &format!("{path}/refer"),
            &[("to", JUNG_DONG), ("reason", "why")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("item-alert"));
    let (status, page, _) = staff
        .post(&format!("{path}/refer"), &[("to", SAJIK), ("reason", "  ")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("refer-reason-error"));
    let (status, page, _) = staff
        .post(
            &format!("{path}/refer"),
            &[("to", "nowhere"), ("reason", "x")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("to-error"));
    let (status, _, _) = staff
        .post(&format!("{path}/state"), &[("event", "teleport")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, page, _) = staff
        .post(
            &format!("{path}/state"),
            &[("event", "adopt"), ("motion", "")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("error-summary"));
    assert_eq!(
        app.db.plan_referrals(jongno_item.id).await.unwrap().len(),
        before
    );
    let after = app.db.plan_item(jongno_item.id).await.unwrap().unwrap();
    assert_eq!(
        (after.state, after.scope_id),
        (jongno_item.state, jongno_item.scope_id)
    );

    // Plans: bad year and title are refused field by field; residents cannot open one; the city has none.
    let plans_before = app.db.plans_of(scope_id(&app, JONGNO)).await.unwrap().len();
    staff.get(&format!("/scopes/{JONGNO}/plans")).await;
    let (status, page, _) = staff
        .post(
            &format!("/scopes/{JONGNO}/plans"),
            &[("year", "20x8"), ("title", "")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("year-error") && page.contains("title-error"));
    assert_eq!(
        app.db.plans_of(scope_id(&app, JONGNO)).await.unwrap().len(),
        plans_before
    );
    let (mut resident, _) = verified_resident(&app, "주민", "r@x.kr", SAJIK).await;
    resident.get(&format!("/scopes/{SAJIK}/plans")).await;
    let (status, _, _) = resident
        .post(
            &format!("/scopes/{SAJIK}/plans"),
            &[("year", "2027"), ("title", "사직동 자치계획")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A resident's item with a blank title changes nothing.
    resident.get(&format!("/scopes/{SAJIK}/agenda-items")).await;
    let count = app
        .db
        .plan_items_touching(scope_id(&app, SAJIK))
        .await
        .unwrap()
        .len();
    let (status, page, _) = resident
        .post(
            &format!("/scopes/{SAJIK}/agenda-items"),
            &[("title", " "), ("body", "")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("title-error"));
    assert_eq!(
        app.db
            .plan_items_touching(scope_id(&app, SAJIK))
            .await
            .unwrap()
            .len(),
        count
    );
    // Residents may not promote proposals.
    let (status, _, _) = resident
        .post(
            &format!("/scopes/{SAJIK}/agenda-items"),
            &[("title", "제안에서 온 의제"), ("proposal", "1")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The demo plan in consultation cannot be edited by the district.
    let plan = app
        .db
        .plan_for(scope_id(&app, JONGNO), 2027)
        .await
        .unwrap()
        .unwrap();
    staff.get(&format!("/plans/{}", plan.id)).await;
    let (status, _, _) = staff
        .post(
            &format!("/plans/{}/sections", plan.id),
            &[("section", "base"), ("body", "changed")],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
}

async fn residents_vote_once_in_the_priority_forum(app: App) {
    let jongno = scope_id(&app, JONGNO);
    let candidates: Vec<i64> = app
        .db
        .plan_items_touching(jongno)
        .await
        .unwrap()
        .into_iter()
        .filter(|i| {
            i.scope_id == jongno && i.state == maeul_domain::plan::ItemState::UnderDeliberation
        })
        .map(|i| i.id)
        .collect();
    assert_eq!(candidates.len(), 2, "the demo's vote has two items");
    let (a, b) = (candidates[0], candidates[1]);
    let (fa, fb) = (format!("points-{a}"), format!("points-{b}"));
    let path = format!("/scopes/{JONGNO}/priority-vote");
    let year = i64::from(maeul_domain::time::local_year(maeul_domain::time::now()));
    let (before, sums_before) = app.db.priority_tally(jongno, year).await.unwrap();
    assert_eq!(before, 2, "two demo residents have voted");

    // Not a verified resident: refused.
    let mut stranger = app.browser();
    assert_eq!(
        stranger
            .register("손님", "guest@x.kr", "long enough password")
            .await,
        StatusCode::SEE_OTHER
    );
    stranger
        .get(&format!("/scopes/{JONGNO}/agenda-items"))
        .await;
    let (status, _, _) = stranger.post(&path, &[(&fa, "5")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // A verified resident of Sajik-dong spreads Jongno-gu's 10 points, once, with a plain form.
    let (mut resident, _) = verified_resident(&app, "주민", "voter@x.kr", SAJIK).await;
    let (_, page) = resident
        .get(&format!("/scopes/{JONGNO}/agenda-items"))
        .await;
    assert!(page.contains(&format!("name=\"{fa}\"")) && page.contains("type=\"number\""));
    assert!(
        !page.contains("forum-configure"),
        "residents do not set the vote"
    );
    for bad in [
        vec![],
        vec![(fa.as_str(), "")],
        vec![(fa.as_str(), "x")],
        vec![(fa.as_str(), "-1")],
    ] {
        let (status, page, _) = resident.post(&path, &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}");
        assert!(page.contains("ballot-error"));
    }
    let (status, page, _) = resident.post(&path, &[(&fa, "6"), (&fb, "5")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "11 of 10 points");
    assert!(page.contains("최대 10점"), "the message names the points");
    let (status, _, location) = resident.post(&path, &[(&fa, "6"), (&fb, "4")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location.unwrap().contains("plan-notice-voted"));
    let (status, _, _) = resident.post(&path, &[(&fa, "1")]).await;
    assert_eq!(status, StatusCode::CONFLICT, "one ballot per person");
    let (_, page) = resident
        .get(&format!("/scopes/{JONGNO}/agenda-items"))
        .await;
    assert!(page.contains("forum-voted") && page.contains("forum-result"));
    let (ballots, mut sums) = app.db.priority_tally(jongno, year).await.unwrap();
    assert_eq!(ballots, 3);
    sums.sort();
    let mut expected = sums_before.clone();
    for (item, add) in [(a, 6), (b, 4)] {
        match expected.iter_mut().find(|(i, _)| *i == item) {
            Some(e) => e.1 += add,
            None => expected.push((item, add)),
        }
    }
    expected.sort();
    assert_eq!(sums, expected, "the ranked result sums points");

    // The method is fixed once ballots are cast: the district's staff are refused, a resident forbidden.
    let method = format!("/scopes/{JONGNO}/priority-vote/method");
    let (status, _, _) = resident.post(&method, &[("method", "approval")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut staff = app.signed_in(STAFF).await;
    staff.get(&format!("/scopes/{JONGNO}/agenda-items")).await;
    let (status, _, _) = staff.post(&method, &[("method", "approval")]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(app.db.priority_vote(jongno, year).await.unwrap().points, 10);
}

async fn staff_set_the_priority_vote_before_its_first_ballot(app: App) {
    // Sajik-dong's forum: nobody has voted; its staff set a points vote, bad input first.
    let sajik = scope_id(&app, SAJIK);
    let year = i64::from(maeul_domain::time::local_year(maeul_domain::time::now()));
    let mut staff = holder(
        &app,
        "dongstaff@x.kr",
        maeul_domain::Role::SupportStaff,
        SAJIK,
    )
    .await;
    let (_, page) = staff.get(&format!("/scopes/{SAJIK}/agenda-items")).await;
    assert!(page.contains("forum-configure"));
    let method = format!("/scopes/{SAJIK}/priority-vote/method");
    for bad in [
        vec![("method", "points"), ("points", "")],
        vec![("method", "points"), ("points", "1")],
        vec![("method", "points"), ("points", "abc")],
        vec![("method", "ranked"), ("points", "10")],
    ] {
        let (status, page, _) = staff.post(&method, &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}");
        assert!(
            page.contains("aria-invalid")
                || page.contains("error-summary")
                || page.contains("field-error"),
            "{bad:?}"
        );
        assert_eq!(
            app.db.priority_vote(sajik, year).await.unwrap(),
            maeul_domain::plan::PriorityVote::default(),
            "{bad:?} changes nothing"
        );
    }
    let (status, _, location) = staff
        .post(&method, &[("method", "points"), ("points", "12")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location.unwrap().contains("plan-notice-vote-set"));
    assert_eq!(app.db.priority_vote(sajik, year).await.unwrap().points, 12);
    // Jongno-gu's staff act for Jongno-gu; a neighbourhood's staff cannot set the district's vote.
    let (status, _, _) = staff
        .post(
            &format!("/scopes/{JONGNO}/priority-vote/method"),
            &[("method", "approval")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
