//! The platform for citizen cooperation over HTTP, on SQLite and on PostgreSQL: the demo's network and its
//! API, permissions (a member of one organization cannot edit another; only the owner approves bookings;
//! a reviewer cannot score their own organization's application), bookings over the API (201, 409), and a
//! completed program's hours satisfying a committee call's training requirement.
use crate::harness::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

app_tests!(
    the_demo_shows_jongno_network_its_pages_and_api,
    a_member_of_one_organization_cannot_edit_another,
    bookings_over_the_api_are_pending_then_only_the_owner_approves_and_never_twice,
    a_reviewer_cannot_score_an_application_of_their_own_organization,
    a_completed_program_satisfies_a_committee_calls_training_requirement,
    staff_open_programs_with_sessions_and_grant_calls_and_residents_cannot,
);

const JONGNO: &str = "11110";
const STAFF: &str = "staff@demo.maeul.kr";
const RESIDENT: &str = "resident@demo.maeul.kr";
const EVALUATOR: &str = "evaluator@demo.maeul.kr";

async fn api(app: &App, path: &str) -> (StatusCode, Value) {
    let r = reqwest::get(app.url(path)).await.unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn the_demo_shows_jongno_network_its_pages_and_api(app: App) {
    let (status, orgs) = api(&app, &format!("/api/v1/organizations?scope={JONGNO}")).await;
    assert_eq!(status, StatusCode::OK);
    let orgs = orgs.as_array().unwrap();
    assert!(orgs.len() >= 5, "{orgs:?}");
    for o in orgs {
        assert!(o["id"].is_i64() && o["name"].is_string() && o["kind"].is_string());
        assert!(o["scope_code"].as_str().unwrap().starts_with(JONGNO));
        assert!(o["verified"].is_boolean());
    }
    assert!(orgs.iter().any(|o| o["verified"] == json!(true)));
    assert!(orgs.iter().any(|o| o["scope_code"] == json!("1111051500")));
    // Another district has none of them.
    let (_, jung) = api(&app, "/api/v1/organizations?scope=11140").await;
    assert_eq!(jung.as_array().unwrap().len(), 0);
    let (status, _) = api(&app, "/api/v1/organizations?scope=nowhere").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (_, resources) = api(&app, &format!("/api/v1/resources?scope={JONGNO}")).await;
    let resources = resources.as_array().unwrap();
    assert!(
        resources
            .iter()
            .filter(|r| r["kind"] == json!("space"))
            .count()
            >= 2
    );
    let room = resources[0]["id"].as_i64().unwrap();
    let (_, bookings) = api(&app, &format!("/api/v1/resources/{room}/bookings")).await;
    let bookings = bookings.as_array().unwrap();
    assert!(!bookings.is_empty());
    assert!(bookings[0]["starts_at"].as_str().unwrap().ends_with('Z'));
    let (_, programs) = api(&app, &format!("/api/v1/programs?scope={JONGNO}")).await;
    let programs = programs.as_array().unwrap();
    let school = programs
        .iter()
        .find(|p| p["kind"] == json!("budget_school"))
        .expect("the budget school");
    assert_eq!(school["hours"], json!(12));
    assert!(school["completed"].as_i64().unwrap() > 0 && school["enrolled"].as_i64().unwrap() > 0);
    let (_, calls) = api(&app, &format!("/api/v1/grant-calls?scope={JONGNO}")).await;
    let calls = calls.as_array().unwrap();
    let published = calls
        .iter()
        .find(|c| c["state"] == json!("published"))
        .unwrap();
    let results = published["results"].as_array().unwrap();
    let awarded: i64 = results
        .iter()
        .filter(|r| r["awarded"] == json!(true))
        .map(|r| r["amount"].as_i64().unwrap())
        .sum();
    assert!(awarded > 0 && awarded <= published["budget"].as_i64().unwrap());

    // The pages, in Korean by default.
    let mut b = app.browser();
    let (status, page) = b.get(&format!("/scopes/{JONGNO}/cooperation")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("시민협력플랫폼") && page.contains("주관 단체"),
        "{page}"
    );
    let (_, page) = b
        .get(&format!("/scopes/{JONGNO}/organizations?field=environment"))
        .await;
    assert!(page.contains("종로환경연대") && !page.contains("함께하는 밥상"));
    let (_, page) = b
        .get(&format!(
            "/scopes/{JONGNO}/organizations?neighbourhood=1111051500"
        ))
        .await;
    assert!(page.contains("청운효자 마을공동체") && !page.contains("종로환경연대"));
    let (_, page) = b
        .get(&format!("/scopes/{JONGNO}/organizations?q=밥상"))
        .await;
    assert!(page.contains("함께하는 밥상") && !page.contains("종로환경연대"));
    for path in [
        format!("/scopes/{JONGNO}/resources"),
        format!("/resources/{room}"),
        format!("/scopes/{JONGNO}/programs"),
        format!("/scopes/{JONGNO}/grants"),
        format!("/grants/{}", published["id"]),
        format!("/programs/{}", school["id"]),
        format!("/scopes/{JONGNO}"),
    ] {
        let (status, _) = b.get(&path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
    }
    let r = reqwest::get(app.url(&format!("/resources/{room}/calendar.ics")))
        .await
        .unwrap();
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    assert!(r.text().await.unwrap().contains("BEGIN:VEVENT"));
    let r = reqwest::get(app.url(&format!("/grants/{}/results.csv", published["id"])))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("awarded"));

    // The directory's CSV carries contacts: staff only.
    let (status, _) = b.get(&format!("/scopes/{JONGNO}/organizations.csv")).await;
    assert_ne!(status, StatusCode::OK);
    let mut resident = app.signed_in(RESIDENT).await;
    let (status, _) = resident
        .get(&format!("/scopes/{JONGNO}/organizations.csv"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut staff = app.signed_in(STAFF).await;
    let (status, csv) = staff
        .get(&format!("/scopes/{JONGNO}/organizations.csv"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.contains("101-82-10234"));
}

/// A new account that registers an organization; gives the browser and the organization's id.
async fn founder(app: &App, email: &str, name: &str) -> (Browser, i64) {
    let mut b = app.browser();
    assert_eq!(
        b.register("설립자", email, "long enough password").await,
        StatusCode::SEE_OTHER
    );
    b.get(&format!("/scopes/{JONGNO}/organizations")).await;
    let (status, _, location) = b
        .post(
            &format!("/scopes/{JONGNO}/organizations"),
            &[
                ("name", name),
                ("kind", "community_group"),
                ("scope", "1111053000"),
                ("field-safety", "yes"),
                ("purpose", "골목 안전"),
                ("contact", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    (b, id_after(&location, "/organizations/"))
}

async fn a_member_of_one_organization_cannot_edit_another(app: App) {
    let (mut a, org_a) = founder(&app, "a@coop.kr", "사직 골목 지킴이").await;
    let (mut b, org_b) = founder(&app, "b@coop.kr", "무악 이웃모임").await;
    let edit = |name: &'static str| {
        vec![
            ("name", name),
            ("kind", "civic_organization"),
            ("scope", JONGNO),
            ("field-welfare", "yes"),
            ("purpose", ""),
            ("contact", ""),
        ]
    };
    // B, representative of its own organization, tries to rename A's.
    b.get(&format!("/organizations/{org_a}")).await;
    let (status, page, _) = b
        .post(&format!("/organizations/{org_a}"), &edit("빼앗긴 이름"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("단체의 대표나 활동가만"), "{page}");
    // Joining as a plain member does not give the right either.
    let (status, _, _) = b.post(&format!("/organizations/{org_a}/join"), &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = b
        .post(&format!("/organizations/{org_a}"), &edit("빼앗긴 이름"))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let row = app.db.organization(org_a).await.unwrap().unwrap();
    assert_eq!(row.name, "사직 골목 지킴이");
    // Each edits their own; bad input names its field.
    a.get(&format!("/organizations/{org_a}")).await;
    let (status, _, _) = a
        .post(
            &format!("/organizations/{org_a}"),
            &edit("사직 골목 지킴이들"),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, page, _) = a.post(&format!("/organizations/{org_a}"), &edit("")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("aria-invalid") || page.contains("error-summary"));
    let (status, _, _) = b
        .post(&format!("/organizations/{org_b}"), &edit("무악 이웃들"))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let row = app.db.organization(org_a).await.unwrap().unwrap();
    assert_eq!(row.name, "사직 골목 지킴이들");
    assert_eq!(row.kind.as_str(), "civic_organization");
    // Only the platform's staff verify.
    let (status, _, _) = a
        .post(
            &format!("/organizations/{org_a}/verify"),
            &[
                ("method", "registration_number"),
                ("evidence", "101-82-99999"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut staff = app.signed_in(STAFF).await;
    staff.get(&format!("/organizations/{org_a}")).await;
    let (status, _, _) = staff
        .post(
            &format!("/organizations/{org_a}/verify"),
            &[("method", "registration_number"), ("evidence", "12345")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _, _) = staff
        .post(
            &format!("/organizations/{org_a}/verify"),
            &[
                ("method", "in_person_check"),
                ("evidence", "회칙과 회원명부 확인"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        app.db
            .organization(org_a)
            .await
            .unwrap()
            .unwrap()
            .verified()
    );
}

/// 10:00 in Seoul, `days` days from today, as RFC 3339 with its offset.
fn seoul_at(days: i64, hour: i64) -> String {
    use maeul_domain::time::{DAY, HOUR, now, rfc3339};
    let today = now() - (now() + 9 * HOUR).rem_euclid(DAY);
    rfc3339(today + days * DAY + hour * HOUR)
}

async fn post_json(url: String, token: &str, body: Value) -> (StatusCode, Value) {
    let r = reqwest::Client::new()
        .post(url)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn bookings_over_the_api_are_pending_then_only_the_owner_approves_and_never_twice(app: App) {
    let (_, resources) = api(&app, &format!("/api/v1/resources?scope={JONGNO}")).await;
    let room = resources
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == json!("시민협력플랫폼 공유회의실"))
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let resident = token(&app, RESIDENT).await;
    let staff = token(&app, STAFF).await;
    let url = app.url(&format!("/api/v1/resources/{room}/bookings"));
    let (status, first) = post_json(
        url.clone(),
        &resident,
        json!({"starts_at": seoul_at(20, 10), "ends_at": seoul_at(20, 12), "purpose": "주민모임 회의"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["state"], json!("pending"));
    assert_eq!(first["starts_at"].as_str().unwrap(), seoul_at(20, 10));
    // An overlapping request is still only a request while nothing is approved.
    let (status, second) = post_json(
        url.clone(),
        &resident,
        json!({"starts_at": seoul_at(20, 11), "ends_at": seoul_at(20, 13), "purpose": "겹치는 회의"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    // Outside the opening hours, or with a bad instant: refused naming the field.
    let (status, body) = post_json(
        url.clone(),
        &resident,
        json!({"starts_at": seoul_at(20, 7), "ends_at": seoul_at(20, 8), "purpose": "새벽"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = post_json(
        url.clone(),
        &resident,
        json!({"starts_at": "tomorrow", "ends_at": seoul_at(20, 8), "purpose": "새벽"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.to_string().contains("starts_at"), "{body}");
    // The requester cannot approve; the owner's staff can.
    let decide = |id: &Value| app.url(&format!("/api/v1/bookings/{id}/decision"));
    let (status, body) = post_json(
        decide(&first["id"]),
        &resident,
        json!({"decision": "approve"}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"]["code"], json!("not_the_owner"));
    let (status, body) =
        post_json(decide(&first["id"]), &staff, json!({"decision": "approve"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["state"], json!("approved"));
    // Approving the overlapping one is refused the same way; requesting over it too.
    let (status, body) = post_json(
        decide(&second["id"]),
        &staff,
        json!({"decision": "approve"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["code"], json!("booking_overlaps"));
    let (status, body) = post_json(
        url.clone(),
        &resident,
        json!({"starts_at": seoul_at(20, 9), "ends_at": seoul_at(20, 11), "purpose": "또 겹침"}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["code"], json!("booking_overlaps"));
    // Back to back is fine.
    let (status, _) = post_json(
        url,
        &resident,
        json!({"starts_at": seoul_at(20, 12), "ends_at": seoul_at(20, 14), "purpose": "이어지는 회의"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, list) = api(&app, &format!("/api/v1/resources/{room}/bookings")).await;
    let approved_that_day: Vec<&Value> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| {
            b["state"] == json!("approved")
                && b["starts_at"].as_str().unwrap() >= seoul_at(20, 0).as_str()
                && b["starts_at"].as_str().unwrap() < seoul_at(21, 0).as_str()
        })
        .collect();
    assert_eq!(approved_that_day.len(), 1);
    // Over the pages as well: the resident's browser cannot approve.
    let mut page = app.signed_in(RESIDENT).await;
    page.get(&format!("/resources/{room}")).await;
    let (status, _, _) = page
        .post(
            &format!("/bookings/{}/decision", second["id"]),
            &[("decision", "approve")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn a_reviewer_cannot_score_an_application_of_their_own_organization(app: App) {
    let (mut founder_b, org) = founder(&app, "grant@coop.kr", "사직 텃밭모임").await;
    let (_, calls) = api(&app, &format!("/api/v1/grant-calls?scope={JONGNO}")).await;
    let open = calls
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["state"] == json!("open"))
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    founder_b.get(&format!("/grants/{open}")).await;
    let org_text = org.to_string();
    let (status, _, _) = founder_b
        .post(
            &format!("/grants/{open}/applications"),
            &[
                ("title", "골목 텃밭 가꾸기"),
                ("plan", "상자 텃밭 20개"),
                ("amount", "800000"),
                ("organization", &org_text),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let app_id = app.db.grant_applications(open).await.unwrap()[0].id;
    let criteria = app.db.grant_criteria(open).await.unwrap();
    let sheet: Vec<(String, &str)> = criteria
        .iter()
        .map(|c| (format!("criterion-{}", c.id), "8"))
        .collect();
    let sheet: Vec<(&str, &str)> = sheet.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    // The evaluator joins the organization: scoring its application is refused.
    let mut evaluator = app.signed_in(EVALUATOR).await;
    evaluator.get(&format!("/organizations/{org}")).await;
    let (status, _, _) = evaluator
        .post(&format!("/organizations/{org}/join"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    evaluator.get(&format!("/grants/{open}")).await;
    let (status, page, _) = evaluator
        .post(&format!("/grant-applications/{app_id}/scores"), &sheet)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        page.contains("자신이 속한 단체의 신청은 심사할 수 없습니다"),
        "{page}"
    );
    assert!(app.db.grant_scores(open).await.unwrap().is_empty());
    // The founder is no evaluator at all.
    let (status, _, _) = founder_b
        .post(&format!("/grant-applications/{app_id}/scores"), &sheet)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Having left the organization, the evaluator scores it.
    let (status, _, _) = evaluator
        .post(&format!("/organizations/{org}/leave"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = evaluator
        .post(&format!("/grant-applications/{app_id}/scores"), &sheet)
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.db.grant_scores(open).await.unwrap().len(),
        criteria.len()
    );
    // Scores beyond the scale are refused.
    let bad: Vec<(&str, &str)> = sheet.iter().map(|(k, _)| (*k, "11")).collect();
    let (status, _, _) = evaluator
        .post(&format!("/grant-applications/{app_id}/scores"), &bad)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn a_completed_program_satisfies_a_committee_calls_training_requirement(app: App) {
    use maeul_domain::committee::{ApplicantFacts, Eligibility};
    let (mut resident, user) =
        verified_resident(&app, "교육생", "learner@coop.kr", "1111053000").await;
    let (_, programs) = api(&app, &format!("/api/v1/programs?scope={JONGNO}")).await;
    let school = programs
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == json!("budget_school"))
        .unwrap()
        .clone();
    let program = school["id"].as_i64().unwrap();
    resident.get(&format!("/programs/{program}")).await;
    let (status, _, _) = resident
        .post(&format!("/programs/{program}/enrol"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // A committee call of Jongno-gu asking for training hours; the resident applies with none.
    let committee = committee_named(&app, JONGNO, "Jongno-gu").await;
    let call_id = app
        .db
        .create_call(&maeul_db::committees::NewCall {
            committee_id: committee,
            title: "2027 민간위원 모집",
            description: "",
            sector: maeul_domain::committee::Sector::Civil,
            seats: 2,
            reserve_size: 0,
            min_age: 16,
            training_hours: 6,
            features_json: "[]",
            seed_rule: "Lotto 6/45",
            term: maeul_domain::committee::Term::new(1_000, 4_000_000_000).unwrap(),
        })
        .await
        .unwrap();
    app.db.open_call(call_id).await.unwrap();
    let call = app.db.call(call_id).await.unwrap().unwrap();
    let rule = Eligibility {
        min_age: call.min_age as u32,
        training_hours: call.training_hours as u32,
    };
    let facts = |hours: i64| ApplicantFacts {
        verified_in_scope: true,
        age: 40,
        training_hours: hours as u32,
    };
    app.db.apply_to_call(call.id, user, 40, "{}").await.unwrap();
    let before = app.db.application_of(call.id, user).await.unwrap().unwrap();
    assert!(!rule.check(&facts(before.training_hours)).is_empty());
    // Staff take attendance at the sessions the rule asks for; a resident may not.
    let sessions = app.db.program_sessions(program).await.unwrap();
    let person = format!("person-{user}");
    let (status, _, _) = resident
        .post(
            &format!("/programs/{program}/attendance"),
            &[("session", &sessions[0].id.to_string()), (&person, "yes")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut staff = app.signed_in(STAFF).await;
    staff.get(&format!("/programs/{program}")).await;
    let required = school["sessions_required"].as_i64().unwrap() as usize;
    for s in &sessions[..required] {
        let (status, _, _) = staff
            .post(
                &format!("/programs/{program}/attendance"),
                &[("session", &s.id.to_string()), (&person, "yes")],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
    }
    let (_, page) = resident.get(&format!("/programs/{program}")).await;
    assert!(page.contains("my-certificate"), "{page}");
    let (status, cert) = resident
        .get(&format!("/programs/{program}/certificates/{user}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(cert.contains("교육생") && cert.contains("주민참여예산학교"));
    // The committee's one figure now includes the program's hours and the requirement is met.
    let after = app.db.application_of(call.id, user).await.unwrap().unwrap();
    assert_eq!(
        after.training_hours,
        before.training_hours + school["hours"].as_i64().unwrap()
    );
    assert!(rule.check(&facts(after.training_hours)).is_empty());
}

async fn staff_open_programs_with_sessions_and_grant_calls_and_residents_cannot(app: App) {
    let program_form = [
        ("kind", "facilitator_training"),
        ("title", "마을 퍼실리테이터 양성과정"),
        ("hours", "10"),
        ("capacity", "15"),
        ("sessions_required", "4"),
        ("description", ""),
    ];
    let call_form = [
        ("title", "2027 청년 마을활동 지원"),
        ("budget", "3,000,000"),
        ("eligibility", "both"),
        ("opens", "2027-03-01"),
        ("closes", "2027-03-31"),
        ("criteria", "공익성: 3\n실현가능성: 2"),
        ("description", ""),
    ];
    let mut resident = app.signed_in(RESIDENT).await;
    resident.get(&format!("/scopes/{JONGNO}/programs")).await;
    let (status, _, _) = resident
        .post(&format!("/scopes/{JONGNO}/programs"), &program_form)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = resident
        .post(&format!("/scopes/{JONGNO}/grants"), &call_form)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let mut staff = app.signed_in(STAFF).await;
    let (_, page) = staff.get(&format!("/scopes/{JONGNO}/programs")).await;
    assert!(page.contains("program-submit"));
    let mut bad = program_form;
    bad[4] = ("sessions_required", "0");
    let (status, _, _) = staff
        .post(&format!("/scopes/{JONGNO}/programs"), &bad)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _, location) = staff
        .post(&format!("/scopes/{JONGNO}/programs"), &program_form)
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let program = id_after(&location, "/programs/");
    let ((start, _), (end, _)) = soon();
    let (status, _, _) = staff
        .post(
            &format!("/programs/{program}/sessions"),
            &[
                ("title", "1회차"),
                ("starts_at", &end),
                ("ends_at", &start),
                ("place", "구청"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _, _) = staff
        .post(
            &format!("/programs/{program}/sessions"),
            &[
                ("title", "1회차"),
                ("starts_at", &start),
                ("ends_at", &end),
                ("place", "구청"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(app.db.program_sessions(program).await.unwrap().len(), 1);
    let (_, programs) = api(&app, &format!("/api/v1/programs?scope={JONGNO}")).await;
    assert!(
        programs
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == json!(program)
                && p["kind"] == json!("facilitator_training")
                && p["hours"] == json!(10))
    );

    let mut bad = call_form;
    bad[5] = ("criteria", "공익성: 0");
    let (status, _, _) = staff.post(&format!("/scopes/{JONGNO}/grants"), &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _, location) = staff
        .post(&format!("/scopes/{JONGNO}/grants"), &call_form)
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let call = id_after(&location, "/grants/");
    let stored = app.db.grant_call(call).await.unwrap().unwrap();
    assert_eq!(stored.budget, 3_000_000);
    let criteria = app.db.grant_criteria(call).await.unwrap();
    assert_eq!(
        criteria
            .iter()
            .map(|c| (c.name.as_str(), c.weight))
            .collect::<Vec<_>>(),
        vec![("공익성", 3), ("실현가능성", 2)]
    );
}
