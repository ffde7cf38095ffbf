//! The defects found by trying the demo as residents, staff and a reviewer (issue 10), one test each,
//! over HTTP as people meet them.
use crate::harness::*;
use reqwest::StatusCode;

app_tests!(
    mentions_reach_the_person_by_handle,
    debate_positions_count_people_not_comments,
    infeasible_lottery_calls_are_refused_in_korean,
    later_terms_are_upcoming_and_on_the_roll_when_they_begin,
    meetings_convene_near_their_start_and_agendas_wait_for_publication,
    concurrent_appointments_never_exceed_the_seats,
    comments_under_hidden_content_cannot_be_edited,
    korean_pages_show_no_stored_english,
    malformed_ids_answer_in_the_readers_language,
    answered_proposals_show_where_they_stand,
    ages_must_match_their_band,
    small_things_a_reviewer_saw,
);

const STAFF: &str = "staff@demo.maeul.kr";
const SAJIK: &str = "1111053000";

async fn mentions_reach_the_person_by_handle(app: App) {
    let mut resident = app.signed_in("resident@demo.maeul.kr").await;
    let id = accepted_proposal(&app, &mut resident, "어린이 도서관 연장 운영").await;
    resident.get(&format!("/proposals/{id}")).await;
    let (status, _, _) = resident
        .post(
            &format!("/proposals/{id}/comments"),
            &[("body", "@lee_wiwon 위원님 의견 부탁드립니다")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = resident.get(&format!("/proposals/{id}")).await;
    assert!(page.contains("href=\"/people/lee_wiwon\""), "{page}");
    let mut member = app.signed_in("member@demo.maeul.kr").await;
    let (status, profile) = member.get("/people/lee_wiwon").await;
    assert_eq!(status, StatusCode::OK);
    assert!(profile.contains("이위원"));
    maeul_web::jobs::run_pass(&app.state).await.unwrap();
    let member_id = app
        .db
        .user_by_email("member@demo.maeul.kr")
        .await
        .unwrap()
        .unwrap()
        .id;
    let notices = app.db.notifications(member_id, None, 10).await.unwrap();
    assert!(
        notices
            .iter()
            .any(|n| n.subject() == Some((maeul_domain::notify::SubjectKind::Proposal, id))),
        "the mentioned member is notified"
    );
    // Handles are unique: registering with a taken one is refused beside the field.
    let mut newcomer = app.browser();
    newcomer.get("/register").await;
    let (status, page, _) = newcomer
        .post(
            "/register",
            &[
                ("display_name", "이위원"),
                ("handle", "Lee_Wiwon"),
                ("email", "another@example.kr"),
                ("password", "long enough password"),
                ("password_confirm", "long enough password"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("handle-error"), "{page}");
}

async fn debate_positions_count_people_not_comments(app: App) {
    let mut member = app.signed_in("member@demo.maeul.kr").await;
    member.get("/scopes/11110/debates/new").await;
    let (_, _, location) = member
        .post(
            "/scopes/11110/debates",
            &[
                ("title", "골목 주차 허용 시간"),
                ("category", "transport"),
                ("body", "밤 시간 주차를 허용할까요?"),
            ],
        )
        .await;
    let path = location.unwrap();
    let id: i64 = path
        .trim_start_matches("/debates/")
        .split(['?', '#'])
        .next()
        .unwrap()
        .parse()
        .unwrap();
    member.get(&path).await;
    for position in ["for", "against"] {
        let (status, _, _) = member
            .post(
                &format!("/proposals/{id}/comments"),
                &[("body", "생각해 보니"), ("position", position)],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
    }
    let (_, page) = member.get(&format!("/debates/{id}")).await;
    assert!(
        page.contains("찬성 0명 · 반대 1명 · 중립 0명"),
        "one person, counted once on their latest side"
    );
}

async fn infeasible_lottery_calls_are_refused_in_korean(app: App) {
    let council = committee_named(&app, SAJIK, "Sajik").await;
    let mut staff = app.signed_in(STAFF).await;
    staff.get(&format!("/committees/{council}")).await;
    let before = app.db.calls_of(council).await.unwrap().len();
    let call = |seats: &'static str, features: &'static str| {
        [
            ("title", "추첨 모집"),
            ("seats", seats),
            ("reserves", "0"),
            ("min_age", "16"),
            ("training_hours", "0"),
            ("term_start", "2027-01-01"),
            ("term_end", "2028-12-31"),
            ("features", features),
            ("seed_rule", "로또 6/45"),
            ("description", ""),
        ]
    };
    // Three seats with no gender above 60 %: at most one of each, so no panel of three exists.
    let (status, page, _) = staff
        .post(
            &format!("/committees/{council}/calls"),
            &call("3", "gender: female<=60%, male<=60%"),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("성별 상한을 지킬 수 없습니다: 성별마다 상한을 지키면 3석 중 2석까지만"),
        "{page}"
    );
    assert!(!page.contains("cannot"), "no English on the Korean page");
    assert_eq!(app.db.calls_of(council).await.unwrap().len(), before);
    // Minimum age 16 with bands from 19 would lock out 16–18-year-olds.
    let (status, page, _) = staff
        .post(
            &format!("/committees/{council}/calls"),
            &call("4", "age_band: 19-39>=1, 40-59>=1, 60+>=1"),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("최소 나이 16세부터"), "{page}");
    assert_eq!(app.db.calls_of(council).await.unwrap().len(), before);
}

async fn later_terms_are_upcoming_and_on_the_roll_when_they_begin(app: App) {
    use maeul_domain::committee::{Position, Sector, Term};
    let council = committee_named(&app, SAJIK, "Sajik").await;
    let (_, newcomer) = verified_resident(&app, "나중위원", "later@example.kr", SAJIK).await;
    let now = maeul_domain::time::now();
    let starts = now + 30 * maeul_domain::time::DAY;
    app.db
        .appoint_member(&maeul_db::committees::NewMembership {
            committee_id: council,
            user_id: newcomer,
            sector: Sector::Civil,
            position: Position::Member,
            gender: "female",
            term: Term::new(starts, starts + 700 * maeul_domain::time::DAY).unwrap(),
        })
        .await
        .unwrap();
    let (_, page) = app.browser().get(&format!("/committees/{council}")).await;
    let upcoming = page
        .split("id=\"upcoming-members\"")
        .nth(1)
        .expect("an upcoming-members list");
    assert!(upcoming.split("</ul>").next().unwrap().contains("나중위원"));
    assert!(
        !page
            .split("id=\"upcoming-members\"")
            .next()
            .unwrap()
            .contains("나중위원"),
        "not among the current members"
    );
    // The roll of a meeting is taken at the meeting's date: not today, but after the term begins.
    assert_eq!(
        app.db.seats_filled_at(council, now).await.unwrap() + 1,
        app.db
            .seats_filled_at(council, starts + maeul_domain::time::DAY)
            .await
            .unwrap()
    );
}

async fn meetings_convene_near_their_start_and_agendas_wait_for_publication(app: App) {
    let council = committee_named(&app, SAJIK, "Sajik").await;
    let mut staff = app.signed_in(STAFF).await;
    staff.get(&format!("/committees/{council}")).await;
    let week = maeul_domain::time::now() + 7 * maeul_domain::time::DAY;
    let (_, _, location) = staff
        .post(
            &format!("/committees/{council}/meetings"),
            &[
                ("title", "다음 주 회의"),
                ("starts_at", &maeul_domain::time::format_local_input(week)),
                (
                    "ends_at",
                    &maeul_domain::time::format_local_input(week + maeul_domain::time::HOUR),
                ),
                ("place", "주민센터"),
                ("capacity", "10"),
            ],
        )
        .await;
    let meeting = id_after(&location, "/meetings/");
    staff.get(&format!("/meetings/{meeting}")).await;
    staff
        .post(
            &format!("/meetings/{meeting}/agenda"),
            &[("title", "비공개 초안 안건"), ("proposal", "")],
        )
        .await;
    let (_, page) = app.browser().get(&format!("/meetings/{meeting}")).await;
    assert!(page.contains("id=\"agenda-unpublished\""));
    assert!(
        !page.contains("비공개 초안 안건"),
        "the draft agenda is not public"
    );
    staff
        .post(
            &format!("/meetings/{meeting}/state"),
            &[("event", "publish_agenda")],
        )
        .await;
    let (_, page) = app.browser().get(&format!("/meetings/{meeting}")).await;
    assert!(page.contains("비공개 초안 안건"));
    let (status, page, _) = staff
        .post(
            &format!("/meetings/{meeting}/state"),
            &[("event", "convene")],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "a week early");
    assert!(page.contains("시작 한 시간 전부터"), "{page}");
}

async fn concurrent_appointments_never_exceed_the_seats(app: App) {
    use maeul_domain::committee::{Position, Sector, Term};
    let council = committee_named(&app, SAJIK, "Sajik").await;
    let seats = app.db.committee_seats(council).await.unwrap().civil as usize;
    let sitting = app
        .db
        .committee_members(council)
        .await
        .unwrap()
        .iter()
        .filter(|m| m.sector == Sector::Civil)
        .count();
    let free = seats - sitting;
    let mut people = vec![];
    for i in 0..free + 4 {
        let email = format!("seat{i}@example.kr");
        people.push(
            verified_resident(&app, &format!("후보{i}"), &email, SAJIK)
                .await
                .1,
        );
    }
    let now = maeul_domain::time::now();
    let tasks: Vec<_> = people
        .iter()
        .enumerate()
        .map(|(i, &user_id)| {
            let db = app.db.clone();
            tokio::spawn(async move {
                db.appoint_member(&maeul_db::committees::NewMembership {
                    committee_id: council,
                    user_id,
                    sector: Sector::Civil,
                    position: Position::Member,
                    gender: if i % 2 == 0 { "female" } else { "male" },
                    term: Term::new(now - 60, now + 365 * maeul_domain::time::DAY).unwrap(),
                })
                .await
            })
        })
        .collect();
    let mut appointed = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => appointed += 1,
            Err(maeul_db::DbError::Refused(_)) => {}
            Err(e) => panic!("an appointment failed instead of being refused: {e}"),
        }
    }
    let civil_now = app
        .db
        .committee_members(council)
        .await
        .unwrap()
        .iter()
        .filter(|m| m.sector == Sector::Civil)
        .count();
    assert!(
        appointed <= free,
        "{appointed} appointed for {free} free seats"
    );
    assert_eq!(civil_now, sitting + appointed, "counts equal rows");
    assert!(civil_now <= seats);
}

async fn comments_under_hidden_content_cannot_be_edited(app: App) {
    let mut resident = app.signed_in("resident@demo.maeul.kr").await;
    let id = accepted_proposal(&app, &mut resident, "공원 벤치 교체").await;
    resident.get(&format!("/proposals/{id}")).await;
    resident
        .post(&format!("/proposals/{id}/comments"), &[("body", "처음 글")])
        .await;
    let comment = app.db.comment_page(id, 0, 10).await.unwrap().0[0].id;
    let mut moderator = app.signed_in("moderator@demo.maeul.kr").await;
    moderator.get(&format!("/proposals/{id}")).await;
    let (status, _, _) = moderator
        .post(
            &format!("/moderation/proposal/{id}/hide"),
            &[("reason", "개인정보 노출")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = resident
        .post(&format!("/comments/{comment}/edit"), &[("body", "고친 글")])
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(
        app.db.comment(comment).await.unwrap().unwrap().body,
        "처음 글",
        "nothing stored"
    );
}

async fn korean_pages_show_no_stored_english(app: App) {
    use maeul_domain::proposal::LadderConfig;
    let tree = maeul_domain::ScopeTree::new(app.db.load_scopes().await.unwrap()).unwrap();
    let jongno = tree.by_code("11110").unwrap().id;
    let admin = app
        .db
        .user_by_email("admin@demo.maeul.kr")
        .await
        .unwrap()
        .unwrap()
        .id;
    let small = LadderConfig {
        answer_at: 1,
        forum_at: 2,
        head_at: 5,
        answer_days: 14,
    };
    app.db
        .set_ladder_config(jongno, Some(small), admin)
        .await
        .unwrap();
    let mut resident = app.signed_in("resident@demo.maeul.kr").await;
    let id = accepted_proposal(&app, &mut resident, "마을 버스 배차 간격").await;
    let ladder = maeul_web::areas::proposals::service::ladder_for(&app.state, jongno)
        .await
        .unwrap();
    for i in 0..2 {
        let (_, user) =
            verified_resident(&app, "지지자", &format!("fan{i}@example.kr"), "1111051500").await;
        app.db.support_proposal(id, user, &ladder).await.unwrap();
    }
    let (_, ko) = app.browser().get(&format!("/proposals/{id}")).await;
    assert!(ko.contains("지지 2명 도달"), "the forum step in Korean");
    assert!(!ko.contains("supporters"), "no stored English");
    let en = app
        .browser()
        .get_lang(&format!("/proposals/{id}"), "en")
        .await;
    assert!(en.contains("reached 2 supporters"));
    // One comment is "1 comment" in English.
    resident.get(&format!("/proposals/{id}")).await;
    resident
        .post(&format!("/proposals/{id}/comments"), &[("body", "좋아요")])
        .await;
    let en = app
        .browser()
        .get_lang(&format!("/proposals/{id}"), "en")
        .await;
    assert!(en.contains("1 comment<") && !en.contains("1 comments"));
    // The audit log names people and actions in the reader's language, a page at a time.
    let mut admin_b = app.signed_in("admin@demo.maeul.kr").await;
    let (_, page) = admin_b.get("/admin").await;
    assert!(
        page.contains("제안 기준 설정"),
        "the ladder change, labelled"
    );
    assert!(page.contains("서관리"), "who did it, by name");
    assert!(!page.contains("ladder_set") && !page.contains("ladder.set"));
    // Older entries are a page further: before the ladder change, it is not listed.
    let ladder_set = app
        .db
        .audit_page(None, 100)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.action == maeul_domain::audit::AuditAction::LadderSet)
        .unwrap()
        .id;
    let (status, older) = admin_b
        .get(&format!("/admin?audit_before={ladder_set}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!older.contains("제안 기준 설정"));
}

async fn malformed_ids_answer_in_the_readers_language(app: App) {
    let mut visitor = app.browser();
    let (status, page) = visitor.get("/proposals/abc").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("주소에 올바르지 않은 값"), "{page}");
    assert!(page.contains("<html"), "a page, not plain text");
    let (status, page) = visitor.get("/scopes/11110/proposals?before=abc").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("올바르지 않은 값"), "{page}");
    let r = reqwest::Client::new()
        .get(app.url("/api/v1/proposals/abc"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "bad_path");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("address")
    );
}

async fn answered_proposals_show_where_they_stand(app: App) {
    let mut resident = app.signed_in("resident@demo.maeul.kr").await;
    let id = accepted_proposal(&app, &mut resident, "횡단보도 신호 시간").await;
    let mut official = app.signed_in(official_email()).await;
    official.get(&format!("/proposals/{id}")).await;
    let (status, _, _) = official
        .post(
            &format!("/proposals/{id}/answer"),
            &[("responder", "department"), ("body", "검토하겠습니다")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = app.browser().get(&format!("/proposals/{id}")).await;
    assert!(
        !page.contains("id=\"next-rung\""),
        "an answered proposal advertises no next rung"
    );
    // Search offers only states a proposal can be in publicly.
    let (_, search) = app.browser().get("/search").await;
    for unreachable in [
        "value=\"draft\"",
        "value=\"submitted\"",
        "value=\"rejected\"",
    ] {
        assert!(!search.contains(unreachable), "{unreachable} offered");
    }
    assert!(search.contains("value=\"forum\""));
}

async fn ages_must_match_their_band(app: App) {
    let council = committee_named(&app, SAJIK, "Sajik").await;
    let call = app
        .db
        .calls_of(council)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.state == maeul_domain::committee::CallState::Open)
        .expect("the demo's open call")
        .id;
    let (mut b, user) = verified_resident(&app, "나이확인", "age@example.kr", SAJIK).await;
    let (_, page) = b.get(&format!("/calls/{call}")).await;
    // The demo call asks for a gender and an age band: choose the 60+ band at 30.
    let options = |i: usize| -> Vec<String> {
        page.split(&format!("name=\"stratum_{i}\""))
            .nth(1)
            .map(|s| s.split("</select>").next().unwrap())
            .unwrap_or("")
            .split("value=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap().to_owned())
            .filter(|v| !v.is_empty())
            .collect()
    };
    let (gender, band) = if options(0).contains(&"60+".to_owned()) {
        (1, 0)
    } else {
        (0, 1)
    };
    assert!(options(band).contains(&"60+".to_owned()), "{page}");
    let (gender_field, band_field) = (format!("stratum_{gender}"), format!("stratum_{band}"));
    let (status, page, _) = b
        .post(
            &format!("/calls/{call}/apply"),
            &[
                ("age", "30"),
                (band_field.as_str(), "60+"),
                (gender_field.as_str(), "female"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("연령대"), "{page}");
    assert!(
        app.db
            .applications(call)
            .await
            .unwrap()
            .iter()
            .all(|a| a.user_id != user)
    );
}

async fn small_things_a_reviewer_saw(app: App) {
    let mut resident = app.signed_in("resident@demo.maeul.kr").await;
    let id = accepted_proposal(&app, &mut resident, "놀이터 그늘막").await;
    resident.get(&format!("/proposals/{id}")).await;
    resident
        .post(&format!("/proposals/{id}/comments"), &[("body", "제 의견")])
        .await;
    let comment = app.db.comment_page(id, 0, 10).await.unwrap().0[0].id;
    // Authors do not vote on their own comments.
    let (status, _, _) = resident
        .post(&format!("/comments/{comment}/vote"), &[("value", "1")])
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(app.db.comment(comment).await.unwrap().unwrap().up_votes, 0);
    // The hide form says what it is for.
    let mut moderator = app.signed_in("moderator@demo.maeul.kr").await;
    let (_, page) = moderator.get(&format!("/proposals/{id}")).await;
    assert!(page.contains("숨기는 사유"));
    // A 70-byte attachment is "70바이트", not "0 KiB".
    resident.get("/scopes/11110/proposals/new").await;
    let (_, _, location) = resident
        .post(
            "/scopes/11110/proposals",
            &[
                ("title", "작은 첨부"),
                ("category", "other"),
                ("body", "본문"),
                ("submit", "draft"),
            ],
        )
        .await;
    let draft = proposal_id(location.as_deref().unwrap());
    resident.get(&format!("/proposals/{draft}")).await;
    let mut pdf = b"%PDF-1.4 ".to_vec();
    pdf.resize(70, b' ');
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(pdf).file_name("note.pdf"),
    );
    let r = resident
        .http
        .post(app.url(&format!(
            "/proposals/{draft}/attachments?_csrf={}",
            resident.csrf
        )))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = resident.get(&format!("/proposals/{draft}")).await;
    assert!(page.contains("70바이트"), "{page}");
}
