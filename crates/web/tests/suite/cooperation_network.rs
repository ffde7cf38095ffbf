//! The cooperation platform's network over HTTP, on SQLite and on PostgreSQL: the demo's events, feed and
//! figures (page, CSV, JSON, API), organizations recorded as proposers and partners only by their own
//! members (a member of A cannot act for B), events announced only by staff or members, and an award's
//! holder reporting on its tracked project, which staff verify.
use crate::harness::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

app_tests!(
    the_network_shows_events_feed_and_figures_in_pages_csv_json_and_api,
    a_member_of_one_organization_cannot_act_for_another,
    events_are_announced_by_staff_or_members_for_their_organization,
    an_award_holder_reports_progress_that_staff_verify,
    programs_are_joined_and_left_over_the_api,
    only_the_owner_edits_a_resource,
);

const JONGNO: &str = "11110";
const STAFF: &str = "staff@demo.maeul.kr";
const RESIDENT: &str = "resident@demo.maeul.kr";

async fn api(app: &App, path: &str) -> (StatusCode, Value) {
    let r = reqwest::get(app.url(path)).await.unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn jongno(app: &App) -> i64 {
    app.state.scopes().by_code(JONGNO).unwrap().id
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
                ("purpose", ""),
                ("contact", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    (b, id_after(&location, "/organizations/"))
}

async fn the_network_shows_events_feed_and_figures_in_pages_csv_json_and_api(app: App) {
    let mut b = app.browser();
    let (status, page) = b.get(&format!("/scopes/{JONGNO}/cooperation")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("id=\"network-feed\""), "{page}");
    assert!(page.contains("종로 마을활동 박람회"), "an upcoming event");
    assert!(page.contains("지원 결정"), "an award in the feed");
    let (status, page) = b.get(&format!("/scopes/{JONGNO}/events")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("종로 시민사회 네트워킹 데이") && page.contains("2026 종로 협치 포럼"));
    assert!(
        !page.contains("id=\"event-submit\""),
        "no form for visitors"
    );
    let en = b.get_lang(&format!("/scopes/{JONGNO}/events"), "en").await;
    assert!(en.contains("Network events") && en.contains("Networking meeting"));

    let (status, figures) = api(&app, &format!("/scopes/{JONGNO}/cooperation/figures.json")).await;
    assert_eq!(status, StatusCode::OK);
    let n = |k: &str| {
        figures[k]
            .as_i64()
            .unwrap_or_else(|| panic!("{k}: {figures}"))
    };
    assert!(n("organizations") >= 5);
    assert!(n("organizations_active") >= 1 && n("organizations_active") <= n("organizations"));
    assert!(n("residents_trained") >= 1 && n("training_hours") >= 12);
    assert!(n("bookings_approved") >= 1 && n("booked_hours") >= 2 * n("bookings_approved"));
    assert!(n("events") >= 3);
    assert!(n("grants_awarded") >= 1 && n("grants_amount") > 0);
    assert!(n("grants_completed") >= 1 && n("grants_completed") <= n("grants_awarded"));
    // The API gives the same figures; another district has none.
    let (status, same) = api(&app, &format!("/api/v1/network-figures?scope={JONGNO}")).await;
    assert_eq!(status, StatusCode::OK);
    for k in [
        "organizations",
        "organizations_active",
        "residents_trained",
        "training_hours",
        "bookings_approved",
        "events",
        "grants_awarded",
        "grants_completed",
    ] {
        assert_eq!(same[k], figures[k], "{k}");
    }
    let (_, jung) = api(&app, "/api/v1/network-figures?scope=11140").await;
    assert_eq!(jung["organizations"], json!(0));
    assert_eq!(jung["events"], json!(0));
    let (status, _) = api(&app, "/api/v1/network-figures?scope=nowhere").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let r = reqwest::get(app.url(&format!("/scopes/{JONGNO}/cooperation/figures.csv")))
        .await
        .unwrap();
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = r.text().await.unwrap();
    assert!(csv.contains(&format!(
        "{JONGNO},grants_completed,{}",
        n("grants_completed")
    )));
    assert!(csv.contains(&format!("{JONGNO},events,{}", n("events"))));

    let (_, events) = api(&app, &format!("/api/v1/events?scope={JONGNO}")).await;
    let events = events.as_array().unwrap();
    assert!(events.len() >= 3);
    assert!(events.iter().any(|e| e["kind"] == json!("fair")));
    assert!(
        events
            .windows(2)
            .all(|w| w[0]["starts_at"].as_str() <= w[1]["starts_at"].as_str())
    );
    // Awards carry their tracked project.
    let (_, calls) = api(&app, &format!("/api/v1/grant-calls?scope={JONGNO}")).await;
    let awards: Vec<Value> = calls
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["results"].as_array().unwrap().clone())
        .filter(|r| r["awarded"] == json!(true))
        .collect();
    assert!(!awards.is_empty());
    assert!(awards.iter().all(|a| a["tracked_project_id"].is_i64()));

    // The residents' group that proposed shows it on its page and in the API.
    let orgs = app.db.organizations().await.unwrap();
    let sai = orgs
        .iter()
        .find(|o| o.name == "사직동 주민모임 사이")
        .unwrap();
    let (_, page) = b.get(&format!("/organizations/{}", sai.id)).await;
    assert!(
        page.contains("보행 안전 펜스") && page.contains("제안 단체"),
        "{page}"
    );
    let (status, detail) = api(&app, &format!("/api/v1/organizations/{}", sai.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(detail["activity"][0]["object_kind"], json!("proposal"));
    assert_eq!(detail["activity"][0]["capacity"], json!("proposer"));
}

async fn a_member_of_one_organization_cannot_act_for_another(app: App) {
    let (mut a, org_a) = founder(&app, "a@net.kr", "사직 골목 지킴이").await;
    let (mut b, org_b) = founder(&app, "b@net.kr", "무악 이웃모임").await;
    let item = app
        .db
        .plan_items_touching(jongno(&app).await)
        .await
        .unwrap()[0]
        .id;
    let item = item.to_string();
    fn partner(id: &str) -> [(&'static str, &str); 2] {
        [("object_kind", "agenda_item"), ("object_id", id)]
    }

    // B cannot record A as a partner; nothing is written.
    b.get(&format!("/organizations/{org_a}")).await;
    let (status, page, _) = b
        .post(&format!("/organizations/{org_a}/links"), &partner(&item))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{page}");
    assert!(
        app.db
            .links_of_organization(org_a)
            .await
            .unwrap()
            .is_empty()
    );
    // Anonymous: sent to sign in.
    let mut anon = app.browser();
    let (status, _, location) = anon
        .post(&format!("/organizations/{org_a}/links"), &partner(&item))
        .await;
    assert!(
        status == StatusCode::SEE_OTHER && location.unwrap().starts_with("/login")
            || status == StatusCode::UNAUTHORIZED,
        "{status}"
    );
    // A records its own; twice is refused; a missing object names its field.
    a.get(&format!("/organizations/{org_a}")).await;
    let (status, _, location) = a
        .post(&format!("/organizations/{org_a}/links"), &partner(&item))
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location.unwrap().contains("coop-notice-linked"));
    let (status, _, _) = a
        .post(&format!("/organizations/{org_a}/links"), &partner(&item))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, page, _) = a
        .post(&format!("/organizations/{org_a}/links"), &partner("987654"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("partner-id-error"), "{page}");
    let (status, _, _) = a
        .post(
            &format!("/organizations/{org_a}/links"),
            &[("object_kind", "comment"), ("object_id", "1")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let links = app.db.links_of_organization(org_a).await.unwrap();
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].capacity.as_str(), "partner");
    assert!(
        app.db
            .links_of_organization(org_b)
            .await
            .unwrap()
            .is_empty()
    );
    let (_, page) = a.get(&format!("/organizations/{org_a}")).await;
    assert!(page.contains("협력 단체"));

    // A verified resident who belongs to A proposes on A's behalf; on B's behalf is refused.
    let mut resident = app.signed_in(RESIDENT).await;
    resident.get(&format!("/organizations/{org_a}")).await;
    let (status, _, _) = resident
        .post(&format!("/organizations/{org_a}/join"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, form) = resident
        .get(&format!("/scopes/{JONGNO}/proposals/new"))
        .await;
    assert!(form.contains("사직 골목 지킴이") && !form.contains("무악 이웃모임"));
    let proposal = |org: String| {
        vec![
            ("title", "사직동 골목에 가로등을 더 달아 주세요".to_owned()),
            ("category", "safety".to_owned()),
            (
                "body",
                "밤길이 어두워 주민모임이 조사했습니다. 가로등 세 개가 필요합니다.".to_owned(),
            ),
            ("submit", "submit".to_owned()),
            ("organization", org),
        ]
    };
    let before = app
        .db
        .proposals_in_scope(
            jongno(&app).await,
            maeul_db::proposals::Kind::Proposal,
            None,
            100,
        )
        .await
        .unwrap()
        .len();
    let fields = proposal(org_b.to_string());
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _, _) = resident
        .post(&format!("/scopes/{JONGNO}/proposals"), &fields)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let after = app
        .db
        .proposals_in_scope(
            jongno(&app).await,
            maeul_db::proposals::Kind::Proposal,
            None,
            100,
        )
        .await
        .unwrap()
        .len();
    assert_eq!(before, after, "no proposal written for B");
    let fields = proposal(org_a.to_string());
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _, location) = resident
        .post(&format!("/scopes/{JONGNO}/proposals"), &fields)
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let id = id_after(&location, "/proposals/");
    let on = app
        .db
        .links_to_object(maeul_domain::object::ObjectKind::Proposal, id)
        .await
        .unwrap();
    assert_eq!(on.len(), 1);
    assert_eq!(on[0].organization_id, org_a);
    assert_eq!(on[0].capacity.as_str(), "proposer");
}

async fn announce(
    b: &mut Browser,
    fields: &[(&str, String)],
) -> (StatusCode, String, Option<String>) {
    let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    b.post(&format!("/scopes/{JONGNO}/events"), &f).await
}

fn event(org: String, title: &str) -> Vec<(&'static str, String)> {
    vec![
        ("kind", "networking".to_owned()),
        ("title", title.to_owned()),
        ("starts", "2031-05-02T18:00".to_owned()),
        ("ends", "2031-05-02T20:00".to_owned()),
        ("place", "사직동 주민센터".to_owned()),
        ("description", String::new()),
        ("organization", org),
    ]
}

async fn events_are_announced_by_staff_or_members_for_their_organization(app: App) {
    let (_, org_a) = founder(&app, "a@events.kr", "사직 골목 지킴이").await;
    let (mut b, org_b) = founder(&app, "b@events.kr", "무악 이웃모임").await;
    let before = app.db.events().await.unwrap().len();
    // Someone in no organization is refused before the form is read.
    let mut nobody = app.browser();
    nobody
        .register("주민", "nobody@events.kr", "long enough password")
        .await;
    nobody.get(&format!("/scopes/{JONGNO}/events")).await;
    let (status, _, _) = announce(&mut nobody, &[("title", "x".to_owned())]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // B, for A: refused; for no organization: only staff may; an event ending before it starts: refused.
    b.get(&format!("/scopes/{JONGNO}/events")).await;
    let (status, _, _) = announce(&mut b, &event(org_a.to_string(), "빼앗은 모임")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, page, _) = announce(&mut b, &event(String::new(), "주최 없는 모임")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    let mut bad = event(org_b.to_string(), "거꾸로 모임");
    bad[3].1 = "2031-05-02T17:00".to_owned();
    let (status, _, _) = announce(&mut b, &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.db.events().await.unwrap().len(),
        before,
        "nothing written"
    );
    let (status, _, location) = announce(&mut b, &event(org_b.to_string(), "무악 이웃 모임")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location.unwrap().contains("coop-notice-announced"));
    let mut staff = app.signed_in(STAFF).await;
    staff.get(&format!("/scopes/{JONGNO}/events")).await;
    let (status, _, _) = announce(&mut staff, &event(String::new(), "플랫폼 설명회")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let events = app.db.events().await.unwrap();
    assert_eq!(events.len(), before + 2);
    let mine = events.iter().find(|e| e.title == "무악 이웃 모임").unwrap();
    assert_eq!(mine.organization_id, Some(org_b));
    let platform = events.iter().find(|e| e.title == "플랫폼 설명회").unwrap();
    assert_eq!(platform.organization_id, None);
}

async fn an_award_holder_reports_progress_that_staff_verify(app: App) {
    // An award of an organization, tracked as a project.
    let tracked = app.db.grant_projects().await.unwrap();
    let mut found = None;
    for t in &tracked {
        let a = app
            .db
            .grant_application(t.application_id)
            .await
            .unwrap()
            .unwrap();
        if a.organization_id.is_some() {
            found = Some((a, t.tracked_project_id));
            break;
        }
    }
    let (award, project) = found.expect("an organization's tracked award");
    let org = award.organization_id.unwrap();
    let report = [
        ("body", "두 번째 활동을 마쳤습니다."),
        ("progress", "70"),
        ("spent", "1,200,000"),
    ];
    let path = format!("/grant-applications/{}/progress", award.id);
    // Neither a resident nor a new account may report; nothing is written.
    let before = app.db.tracked_updates(project).await.unwrap().len();
    let mut resident = app.signed_in(RESIDENT).await;
    let (status, _, _) = resident.post(&path, &report).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut holder = app.browser();
    holder
        .register("활동가", "holder@grants.kr", "long enough password")
        .await;
    let (status, _, _) = holder.post(&path, &report).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(app.db.tracked_updates(project).await.unwrap().len(), before);
    // Once a member of the organization, they report; bad input names its field.
    holder.get(&format!("/organizations/{org}")).await;
    let (status, _, _) = holder
        .post(&format!("/organizations/{org}/join"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, page, _) = holder
        .post(
            &path,
            &[("body", "보고"), ("progress", "150"), ("spent", "")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    let (status, _, location) = holder.post(&path, &report).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location.unwrap().contains("coop-notice-reported"));
    let updates = app.db.tracked_updates(project).await.unwrap();
    assert_eq!(updates.len(), before + 1);
    let update = updates.last().unwrap();
    assert_eq!(update.state.as_str(), "submitted");
    assert_eq!((update.progress, update.spent), (70, Some(1_200_000)));
    // Staff verify it on the tracked project; the project's progress and spending follow.
    let mut staff = app.signed_in(STAFF).await;
    staff.get(&format!("/tracked-projects/{project}")).await;
    let (status, _, _) = staff
        .post(
            &format!("/tracked-updates/{}/decision", update.id),
            &[("decision", "verify"), ("comment", "")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let p = app.db.tracked_project(project).await.unwrap().unwrap();
    assert_eq!((p.progress, p.spent), (70, 1_200_000));
    let (_, page) = staff.get(&format!("/grants/{}", award.call_id)).await;
    assert!(page.contains(&format!("/tracked-projects/{project}")));
}

async fn programs_are_joined_and_left_over_the_api(app: App) {
    let token = token(&app, RESIDENT).await;
    let (_, programs) = api(&app, &format!("/api/v1/programs?scope={JONGNO}")).await;
    let school = programs
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == json!("budget_school"))
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let http = reqwest::Client::new();
    let url = app.url(&format!("/api/v1/programs/{school}/enrolment"));
    let r = http.post(&url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = http.post(&url).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let body: Value = r.json().await.unwrap();
    assert!(body["state"] == json!("enrolled") || body["state"] == json!("waiting"));
    let r = http.post(&url).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], json!("already_enrolled"));
    let r = http.delete(&url).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = http.delete(&url).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let r = http
        .post(app.url("/api/v1/programs/987654/enrolment"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

async fn only_the_owner_edits_a_resource(app: App) {
    let room = app
        .db
        .resources()
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.name == "시민협력플랫폼 공유회의실")
        .unwrap();
    let path = format!("/resources/{}", room.id);
    let edit = [
        ("capacity", "24"),
        ("opening_hours", "08:00-21:00"),
        ("rules", "사용 후 원상복구."),
    ];
    // A resident, and a representative of another organization, are refused; nothing changes.
    let mut resident = app.signed_in(RESIDENT).await;
    resident.get(&path).await;
    let (status, _, _) = resident.post(&path, &edit).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (mut other, _) = founder(&app, "other@rooms.kr", "무악 이웃모임").await;
    let (status, _, _) = other.post(&path, &edit).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut anon = app.browser();
    let (status, _, _) = anon.post(&path, &edit).await;
    assert!(status == StatusCode::SEE_OTHER || status == StatusCode::UNAUTHORIZED);
    let same = app.db.resource(room.id).await.unwrap().unwrap();
    assert_eq!(
        (same.capacity, same.opening_hours.as_str()),
        (20, "09:00-22:00")
    );
    // The owner's staff edit it; bad hours name their field and change nothing.
    let mut staff = app.signed_in(STAFF).await;
    let (_, page) = staff.get(&path).await;
    assert!(page.contains("id=\"resource-save\""));
    let (status, page, _) = staff
        .post(
            &path,
            &[
                ("capacity", "24"),
                ("opening_hours", "25:00-26:00"),
                ("rules", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("edit-hours-error"), "{page}");
    assert_eq!(
        app.db.resource(room.id).await.unwrap().unwrap().capacity,
        20
    );
    let (status, _, _) = staff.post(&path, &edit).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let edited = app.db.resource(room.id).await.unwrap().unwrap();
    assert_eq!(edited.capacity, 24);
    assert_eq!(edited.opening_hours, "08:00-21:00");
    assert_eq!(edited.rules, "사용 후 원상복구.");
}
