//! Committees over HTTP, on SQLite and on PostgreSQL: a resident council recruited by a verifiable
//! lottery, a meeting held with quorum, a motion carried by recorded votes, minutes published into the
//! iCal feed; the API; permissions and bad input.
use crate::harness::*;
use reqwest::StatusCode;

app_tests!(
    a_council_is_recruited_by_lottery_meets_and_decides,
    committee_permissions_and_bad_input,
    members_vote_through_the_api_once,
);

const STAFF: &str = "staff@demo.maeul.kr";
const MEMBER: &str = "member@demo.maeul.kr";
const OFFICIAL: &str = "official@demo.maeul.kr";
const RESIDENT: &str = "resident@demo.maeul.kr";
const SAJIK: &str = "1111053000";

async fn a_council_is_recruited_by_lottery_meets_and_decides(app: App) {
    let council = committee_named(&app, SAJIK, "Sajik").await;
    let mut staff = app.signed_in(STAFF).await;
    let (status, page) = staff.get(&format!("/scopes/{SAJIK}/committees")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&format!("/committees/{council}")));

    // Staff open a call: four seats, one reserve, 6 h of training, neither gender above 60 %.
    staff.get(&format!("/committees/{council}")).await;
    let (status, _, location) = staff
        .post(
            &format!("/committees/{council}/calls"),
            &[
                ("title", "2027 추첨 모집"),
                ("seats", "4"),
                ("reserves", "1"),
                ("min_age", "16"),
                ("training_hours", "6"),
                ("term_start", "2026-01-01"),
                ("term_end", "2028-12-31"),
                ("features", "gender: female<=60%, male<=60%"),
                ("seed_rule", "Lotto 6/45 draw 1250 | test"),
                ("description", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let call = id_after(&location, "/calls/");
    // A draft call is hidden from residents.
    let (status, _) = app.browser().get(&format!("/calls/{call}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    staff.get(&format!("/calls/{call}")).await;
    assert_eq!(
        staff.post(&format!("/calls/{call}/open"), &[]).await.0,
        StatusCode::SEE_OTHER
    );

    // Residents apply with self-declared strata; one is too young, one never trains.
    let genders = [
        "female", "male", "female", "male", "male", "female", "female",
    ];
    let mut residents = vec![];
    for (i, gender) in genders.iter().enumerate() {
        let (mut b, id) = verified_resident(
            &app,
            &format!("주민{i}"),
            &format!("r{i}@lottery.kr"),
            SAJIK,
        )
        .await;
        let (_, page) = b.get(&format!("/calls/{call}")).await;
        assert!(page.contains("apply-submit"), "resident {i} sees the form");
        let age = if i == 5 { "15" } else { "40" };
        let (status, _, location) = b
            .post(
                &format!("/calls/{call}/apply"),
                &[("age", age), ("stratum_0", gender)],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert_eq!(
            location.as_deref(),
            Some(format!("/calls/{call}?notice=committee-notice-applied").as_str())
        );
        residents.push((b, id));
    }
    // A bad stratum changes nothing.
    let (mut late, _) = verified_resident(&app, "늦은주민", "late@lottery.kr", SAJIK).await;
    late.get(&format!("/calls/{call}")).await;
    let (status, page, _) = late
        .post(
            &format!("/calls/{call}/apply"),
            &[("age", "30"), ("stratum_0", "robot")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("stratum_0-error"));
    assert_eq!(app.db.applications(call).await.unwrap().len(), 7);
    // A resident of another neighbourhood cannot apply.
    let (mut outsider, _) =
        verified_resident(&app, "다른동", "other@lottery.kr", "1111051500").await;
    outsider.get(&format!("/calls/{call}")).await;
    let (status, _, _) = outsider
        .post(
            &format!("/calls/{call}/apply"),
            &[("age", "30"), ("stratum_0", "male")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Staff log training for all but the fourth applicant.
    let applications = app.db.applications(call).await.unwrap();
    staff.get(&format!("/calls/{call}")).await;
    for a in applications.iter().filter(|a| a.user_id != residents[3].1) {
        let (status, _, _) = staff
            .post(
                &format!("/calls/{call}/training"),
                &[
                    ("application", &a.id.to_string()),
                    ("hours", "6"),
                    ("note", "주민자치학교"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
    }
    // A draw before the call is closed is refused.
    let (status, _, _) = staff
        .post(&format!("/calls/{call}/draw"), &[("seed_text", "x")])
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        staff.post(&format!("/calls/{call}/close"), &[]).await.0,
        StatusCode::SEE_OTHER
    );

    // The published input: the five eligible applicants, pseudonymised, with the quotas.
    let input = reqwest::get(app.url(&format!("/calls/{call}/input.json")))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let instance = maeul_sortition::Instance::from_json_str(&input).unwrap();
    assert_eq!(instance.applicants.len(), 5);
    assert!(!input.contains("주민"), "no names in the published input");
    let (_, call_page) = app.browser().get(&format!("/calls/{call}")).await;
    assert!(call_page.contains(&maeul_sortition::sha256_hex(input.as_bytes())));

    let seed = "Lotto 6/45 draw 1250: 3 11 19 25 31 42 + 7 | test";
    staff.get(&format!("/calls/{call}")).await;
    let (status, _, _) = staff
        .post(&format!("/calls/{call}/draw"), &[("seed_text", seed)])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // Anyone re-derives the panel from the published input and seed.
    let published: serde_json::Value = reqwest::get(app.url(&format!("/calls/{call}/draw.json")))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(published["seed_text"], seed);
    assert!(
        published["command"]
            .as_str()
            .unwrap()
            .starts_with("maeul sortition draw")
    );
    let lottery = maeul_sortition::Lottery::prepare(&instance).unwrap();
    let outcome = lottery.draw(published["seed_text"].as_str().unwrap());
    let rederived: Vec<&str> = outcome
        .panel
        .iter()
        .map(|&a| lottery.pool.applicant_ids[a].as_str())
        .collect();
    let panel: Vec<&str> = published["result"]["panel"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(panel, rederived);
    assert_eq!(panel.len(), 4);
    let sum: f64 = published["result"]["probabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["probability"].as_f64().unwrap())
        .sum();
    assert!(
        (sum - 4.0).abs() < 1e-6,
        "probabilities sum to the seats: {sum}"
    );
    assert_eq!(published["result"]["reserves"].as_array().unwrap().len(), 1);
    let api: serde_json::Value = reqwest::get(app.url(&format!("/api/v1/calls/{call}/draw")))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(api["result"]["panel"], published["result"]["panel"]);

    // Publishing seats the panel.
    staff.get(&format!("/calls/{call}")).await;
    assert_eq!(
        staff.post(&format!("/calls/{call}/publish"), &[]).await.0,
        StatusCode::SEE_OTHER
    );
    let members = app.db.committee_members(council).await.unwrap();
    assert_eq!(members.len(), 4);
    let applications = app.db.applications(call).await.unwrap();
    for m in &members {
        let a = applications
            .iter()
            .find(|a| a.user_id == m.user_id)
            .unwrap();
        assert!(panel.contains(&a.pseudonym.as_str()));
    }
    let (_, page) = app.browser().get(&format!("/committees/{council}")).await;
    for m in &members {
        assert!(page.contains(&m.display_name));
    }

    // A meeting, held with quorum. It starts within the hour, so it may convene now.
    staff.get(&format!("/committees/{council}")).await;
    let (starts, ends) = soon();
    let (status, _, location) = staff
        .post(
            &format!("/committees/{council}/meetings"),
            &[
                ("title", "제1차 회의"),
                ("starts_at", &starts.0),
                ("ends_at", &ends.0),
                ("place", "사직동 주민센터; 2층, 회의실"),
                ("capacity", "0"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let meeting = id_after(&location, "/meetings/");
    staff.get(&format!("/meetings/{meeting}")).await;
    staff
        .post(
            &format!("/meetings/{meeting}/agenda"),
            &[
                ("title", "자치계획 채택"),
                ("description", ""),
                ("proposal", ""),
            ],
        )
        .await;
    staff
        .post(
            &format!("/meetings/{meeting}/state"),
            &[("event", "publish_agenda")],
        )
        .await;
    let (status, page, _) = staff
        .post(
            &format!("/meetings/{meeting}/state"),
            &[("event", "convene")],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "no one present");
    assert!(page.contains("meeting-alert"));
    for m in &members[..3] {
        staff
            .post(
                &format!("/meetings/{meeting}/attendance"),
                &[("membership", &m.id.to_string()), ("present", "yes")],
            )
            .await;
    }
    for event in ["convene", "start"] {
        let (status, _, _) = staff
            .post(&format!("/meetings/{meeting}/state"), &[("event", event)])
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{event}");
    }
    let (status, _, _) = staff
        .post(
            &format!("/meetings/{meeting}/motions"),
            &[
                ("title", "자치계획안 원안 채택"),
                ("body", ""),
                ("agenda_item", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let motion = app.db.motions_of(meeting).await.unwrap()[0].id;
    staff
        .post(
            &format!("/motions/{motion}/state"),
            &[("event", "open_vote")],
        )
        .await;
    // The three present members vote; the absent one is refused.
    for (i, m) in members.iter().enumerate() {
        let (b, _) = residents
            .iter_mut()
            .find(|(_, id)| *id == m.user_id)
            .unwrap();
        let (_, page) = b.get(&format!("/meetings/{meeting}")).await;
        let (status, body, _) = b
            .post(&format!("/motions/{motion}/vote"), &[("choice", "yes")])
            .await;
        if i < 3 {
            assert!(page.contains("vote-yes"), "member {i} sees the ballot");
            assert_eq!(status, StatusCode::SEE_OTHER);
            let (status, body, _) = b
                .post(&format!("/motions/{motion}/vote"), &[("choice", "no")])
                .await;
            assert_eq!(status, StatusCode::CONFLICT, "second vote");
            assert!(body.contains("meeting-alert"));
        } else {
            assert_eq!(status, StatusCode::CONFLICT, "absent member");
            assert!(body.contains("meeting-alert"));
        }
    }
    // A resident who is not a member cannot vote.
    let (mut stranger, _) = verified_resident(&app, "구경꾼", "watch@lottery.kr", SAJIK).await;
    stranger.get(&format!("/meetings/{meeting}")).await;
    assert_eq!(
        stranger
            .post(&format!("/motions/{motion}/vote"), &[("choice", "no")])
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    staff.get(&format!("/meetings/{meeting}")).await;
    staff
        .post(
            &format!("/motions/{motion}/state"),
            &[("event", "close_vote")],
        )
        .await;
    let decided = app.db.motion(motion).await.unwrap().unwrap();
    assert_eq!((decided.state.as_str(), decided.yes_count), ("carried", 3));
    // A vote on the closed motion is refused.
    let (b, _) = residents
        .iter_mut()
        .find(|(_, id)| *id == members[0].user_id)
        .unwrap();
    b.get(&format!("/meetings/{meeting}")).await;
    assert_eq!(
        b.post(&format!("/motions/{motion}/vote"), &[("choice", "no")])
            .await
            .0,
        StatusCode::CONFLICT
    );

    // Minutes: drafted after adjournment, approved, published — and then in the iCal feed.
    staff.get(&format!("/meetings/{meeting}")).await;
    staff
        .post(
            &format!("/meetings/{meeting}/state"),
            &[("event", "adjourn")],
        )
        .await;
    let minutes = "자치계획안을 원안대로 가결함, 찬성 2; 기권 0";
    let (status, _, _) = staff
        .post(
            &format!("/meetings/{meeting}/minutes"),
            &[("body", minutes)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let feed_url = app.url(&format!("/committees/{council}/calendar.ics"));
    let before = reqwest::get(&feed_url).await.unwrap().text().await.unwrap();
    assert!(
        !before.contains("자치계획안을"),
        "draft minutes stay private"
    );
    for event in ["approve_minutes", "publish_minutes"] {
        let (status, _, _) = staff
            .post(&format!("/meetings/{meeting}/state"), &[("event", event)])
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{event}");
    }
    let r = reqwest::get(&feed_url).await.unwrap();
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let feed = r.text().await.unwrap();
    assert!(feed.starts_with("BEGIN:VCALENDAR\r\n") && feed.ends_with("END:VCALENDAR\r\n"));
    assert!(
        !feed.replace("\r\n", "").contains('\n'),
        "CRLF line ends only"
    );
    let unfolded = feed.replace("\r\n ", "");
    assert!(unfolded.contains("자치계획안을 원안대로 가결함\\, 찬성 2\\; 기권 0"));
    assert!(unfolded.contains("LOCATION:사직동 주민센터\\; 2층\\, 회의실"));
    assert!(unfolded.contains(&format!("DTSTART:{}", starts.1)));
    let one = reqwest::get(app.url(&format!("/meetings/{meeting}.ics")))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(one.matches("BEGIN:VEVENT").count(), 1);
    let (_, page) = app.browser().get(&format!("/meetings/{meeting}")).await;
    assert!(page.contains("minutes-body") && page.contains("자치계획안을 원안대로 가결함"));
    // The decision is public, in the page and the CSV export.
    let csv = reqwest::get(app.url(&format!("/committees/{council}/decisions.csv")))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 2, "{csv}");
    assert!(rows[1].contains("자치계획안 원안 채택") && rows[1].contains(",carried,"));
    assert!(rows[1].contains(",3,0,0,3,"), "{}", rows[1]);

    // A member leaves; the reserve list fills the seat, in order; the history keeps both.
    let leaving = &members[3];
    staff.get(&format!("/committees/{council}")).await;
    let end = format!("/committees/{council}/members/{}/end", leaving.id);
    let (status, page, _) = staff.post(&end, &[("reason", " ")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("end_reason-error"));
    assert_eq!(
        staff.post(&end, &[("reason", "이사 (moved away)")]).await.0,
        StatusCode::SEE_OTHER
    );
    let (_, page) = staff.get(&format!("/calls/{call}")).await;
    assert!(page.contains("fill-vacancy"));
    let (status, _, location) = staff.post(&format!("/calls/{call}/vacancies"), &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        location
            .unwrap()
            .contains("committee-notice-vacancy-filled")
    );
    let reserve_id = published["result"]["reserves"][0]["id"].as_str().unwrap();
    let reserve_user = applications
        .iter()
        .find(|a| a.pseudonym == reserve_id)
        .unwrap()
        .user_id;
    let now_members = app.db.committee_members(council).await.unwrap();
    assert_eq!(
        now_members.len(),
        5,
        "the seat history keeps the one who left"
    );
    let seated = now_members
        .iter()
        .find(|m| m.source == maeul_domain::committee::MemberSource::Reserve)
        .unwrap();
    assert_eq!(seated.user_id, reserve_user, "the reserve, in list order");
    assert_eq!(
        app.db
            .seats_filled_at(council, maeul_domain::time::now())
            .await
            .unwrap(),
        4
    );
    let (status, _, _) = staff.post(&format!("/calls/{call}/vacancies"), &[]).await;
    assert_eq!(status, StatusCode::CONFLICT, "no vacancy left");
}

async fn committee_permissions_and_bad_input(app: App) {
    let mut resident = app.signed_in(RESIDENT).await;
    resident.get("/scopes/11110/committees").await;
    let fields = [
        ("name", "새 위원회"),
        ("kind", "budget_committee"),
        ("parent", ""),
        ("charter", "목적"),
        ("public", "0"),
        ("civil", "5"),
        ("expert", "0"),
        ("vote_rule", "majority_voting"),
        ("gender_cap", "60"),
    ];
    assert_eq!(
        resident.post("/scopes/11110/committees", &fields).await.0,
        StatusCode::FORBIDDEN
    );
    let mut anonymous = app.browser();
    anonymous.get("/scopes/11110/committees").await;
    let (status, _, location) = anonymous.post("/scopes/11110/committees", &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location.unwrap().starts_with("/login"));
    let tree = maeul_domain::ScopeTree::new(app.db.load_scopes().await.unwrap()).unwrap();
    let jongno = tree.by_code("11110").unwrap().id;
    let before = app.db.committees_in_scope(jongno).await.unwrap().len();

    // Staff of Jongno-gu: bad input is refused field by field and changes nothing.
    let mut staff = app.signed_in(STAFF).await;
    staff.get("/scopes/11110/committees").await;
    let (status, page, _) = staff
        .post(
            "/scopes/11110/committees",
            &[
                ("name", ""),
                ("kind", "junta"),
                ("charter", "목적"),
                ("public", "x"),
                ("civil", "5"),
                ("expert", "0"),
                ("vote_rule", "qualified:3/2"),
                ("gender_cap", "30"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in [
        "name-error",
        "kind-error",
        "public-error",
        "vote_rule-error",
        "gender_cap-error",
    ] {
        assert!(page.contains(field), "{field}");
    }
    assert_eq!(
        app.db.committees_in_scope(jongno).await.unwrap().len(),
        before
    );
    // No seats at all is refused too.
    let (status, _, _) = staff
        .post(
            "/scopes/11110/committees",
            &[
                ("name", "빈 위원회"),
                ("kind", "budget_committee"),
                ("charter", "목적"),
                ("public", "0"),
                ("civil", "0"),
                ("expert", "0"),
                ("vote_rule", "majority_voting"),
                ("gender_cap", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _, location) = staff.post("/scopes/11110/committees", &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let created = id_after(&location, "/committees/");
    // Staff of Jongno-gu cannot run another district's committees.
    let (status, _, _) = staff.post("/scopes/11680/committees", &fields).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Appointing: unknown e-mail, then a full sector and the gender cap.
    staff.get(&format!("/committees/{created}")).await;
    let appoint = |email: &'static str, sector: &'static str, gender: &'static str| {
        vec![
            ("email", email),
            ("sector", sector),
            ("position", "member"),
            ("gender", gender),
            ("term_start", "2026-01-01"),
            ("term_end", "2027-12-31"),
        ]
    };
    let (status, page, _) = staff
        .post(
            &format!("/committees/{created}/members"),
            &appoint("nobody@x.kr", "civil", ""),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("member_email-error"));
    let (status, page, _) = staff
        .post(
            &format!("/committees/{created}/members"),
            &appoint(RESIDENT, "public", ""),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "no public seats");
    assert!(page.contains("member_sector-error"));
    for email in [RESIDENT, MEMBER, OFFICIAL] {
        let (status, _, _) = staff
            .post(
                &format!("/committees/{created}/members"),
                &appoint(email, "civil", "female"),
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{email}");
    }
    let (status, page, _) = staff
        .post(
            &format!("/committees/{created}/members"),
            &appoint(STAFF, "civil", "female"),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "4 of 5 above 60 %");
    assert!(page.contains("member_sector-error"));
    assert_eq!(app.db.committee_members(created).await.unwrap().len(), 3);
    // Bad meeting times.
    let (status, page, _) = staff
        .post(
            &format!("/committees/{created}/meetings"),
            &[
                ("title", "회의"),
                ("starts_at", "2026-12-10T19:00"),
                ("ends_at", "2026-12-10T18:00"),
                ("place", "구청"),
                ("capacity", "0"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("meeting_ends_at-error"));
    assert!(app.db.meetings_of(created).await.unwrap().is_empty());
    // Bad features in a call.
    let (status, page, _) = staff
        .post(
            &format!("/committees/{created}/calls"),
            &[
                ("title", "모집"),
                ("seats", "3"),
                ("min_age", "16"),
                ("training_hours", "0"),
                ("term_start", "2027-01-01"),
                ("term_end", "2028-12-31"),
                ("features", "gender"),
                ("seed_rule", "lotto"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("call_features-error"));
    assert!(app.db.calls_of(created).await.unwrap().is_empty());
    // Residents cannot run meetings.
    let governance = committee_named(&app, "11110", "Jongno-gu").await;
    // The demo's public meeting (other demo meetings of the committee may be closed sessions).
    let meeting = app
        .db
        .meetings_of(governance)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.capacity > 0)
        .unwrap()
        .id;
    resident.get(&format!("/meetings/{meeting}")).await;
    assert_eq!(
        resident
            .post(
                &format!("/meetings/{meeting}/state"),
                &[("event", "publish_agenda")]
            )
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    // …but may register for a public one.
    let (status, _, location) = resident
        .post(&format!("/meetings/{meeting}/register"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location.unwrap().contains("committee-notice-registered"));
    let (_, page) = resident.get(&format!("/meetings/{meeting}")).await;
    assert!(page.contains("my-registration") && page.contains("unregister-button"));
    // Korean and English pages.
    let visitor = app.browser();
    let mut visitor = visitor;
    let en = visitor
        .get_lang(&format!("/committees/{governance}"), "en")
        .await;
    assert!(en.contains("<html lang=\"en\">"));
    assert!(en.contains("Voting rule") && en.contains("Simple majority of those voting"));
    let ko = visitor
        .get_lang(&format!("/committees/{governance}"), "ko")
        .await;
    assert!(ko.contains("<html lang=\"ko\">"));
    assert!(ko.contains("의결 방식") && ko.contains("투표자 과반수"));
}

async fn members_vote_through_the_api_once(app: App) {
    let governance = committee_named(&app, "11110", "Jongno-gu").await;
    let listed: serde_json::Value = reqwest::get(app.url("/api/v1/scopes/11110/committees"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == governance && c["kind"] == "district_governance")
    );
    let detail: serde_json::Value =
        reqwest::get(app.url(&format!("/api/v1/committees/{governance}")))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    assert_eq!(detail["members"].as_array().unwrap().len(), 1);
    let members = app.db.committee_members(governance).await.unwrap();
    let mut staff = app.signed_in(STAFF).await;
    staff.get(&format!("/committees/{governance}")).await;
    let (starts, ends) = soon();
    let (_, _, location) = staff
        .post(
            &format!("/committees/{governance}/meetings"),
            &[
                ("title", "임시회의"),
                ("starts_at", &starts.0),
                ("ends_at", &ends.0),
                ("place", "구청"),
                ("capacity", "0"),
            ],
        )
        .await;
    let meeting = id_after(&location, "/meetings/");
    staff.get(&format!("/meetings/{meeting}")).await;
    staff
        .post(
            &format!("/meetings/{meeting}/state"),
            &[("event", "publish_agenda")],
        )
        .await;
    for m in &members {
        staff
            .post(
                &format!("/meetings/{meeting}/attendance"),
                &[("membership", &m.id.to_string()), ("present", "yes")],
            )
            .await;
    }
    for event in ["convene", "start"] {
        assert_eq!(
            staff
                .post(&format!("/meetings/{meeting}/state"), &[("event", event)])
                .await
                .0,
            StatusCode::SEE_OTHER
        );
    }
    staff
        .post(
            &format!("/meetings/{meeting}/motions"),
            &[
                ("title", "분과 구성안"),
                ("body", "3개 분과"),
                ("agenda_item", ""),
            ],
        )
        .await;
    let motion = app.db.motions_of(meeting).await.unwrap()[0].id;
    let http = reqwest::Client::new();
    let member_token = token(&app, MEMBER).await;
    let vote = |token: String, choice: &'static str| {
        let http = http.clone();
        let url = app.url(&format!("/api/v1/motions/{motion}/votes"));
        async move {
            http.post(url)
                .bearer_auth(token)
                .json(&serde_json::json!({ "choice": choice }))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(
        vote(member_token.clone(), "yes").await,
        StatusCode::CONFLICT,
        "not open yet"
    );
    staff
        .post(
            &format!("/motions/{motion}/state"),
            &[("event", "open_vote")],
        )
        .await;
    assert_eq!(
        vote(member_token.clone(), "maybe").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        vote(member_token.clone(), "yes").await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(vote(member_token.clone(), "no").await, StatusCode::CONFLICT);
    assert_eq!(
        vote(token(&app, STAFF).await, "no").await,
        StatusCode::FORBIDDEN,
        "staff run meetings, they do not vote"
    );
    let unauthenticated = http
        .post(app.url(&format!("/api/v1/motions/{motion}/votes")))
        .json(&serde_json::json!({"choice": "yes"}))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(unauthenticated, StatusCode::UNAUTHORIZED);
    assert_eq!(
        vote(token(&app, OFFICIAL).await, "no").await,
        StatusCode::FORBIDDEN,
        "an official who holds no seat does not vote"
    );
    staff
        .post(
            &format!("/motions/{motion}/state"),
            &[("event", "close_vote")],
        )
        .await;
    let detail: serde_json::Value = reqwest::get(app.url(&format!("/api/v1/meetings/{meeting}")))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let m = &detail["motions"][0];
    assert_eq!(m["state"], "carried", "1 yes of 1 voting");
    assert_eq!((m["yes"].as_i64(), m["no"].as_i64()), (Some(1), Some(0)));
    assert_eq!(m["votes"].as_array().unwrap().len(), 1);
    assert!(
        m["votes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v["choice"].is_string())
    );
    assert_eq!(detail["quorum_present"], 1);
    assert!(detail["minutes"].is_null());
    let openapi: serde_json::Value = reqwest::get(app.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for path in [
        "/scopes/{code}/committees",
        "/committees/{id}",
        "/meetings/{id}",
        "/calls/{id}/draw",
        "/motions/{id}/votes",
    ] {
        assert!(openapi["paths"].get(path).is_some(), "{path}");
    }
}
