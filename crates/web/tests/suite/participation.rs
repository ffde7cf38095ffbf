//! Comments, notifications, reports and moderation, debates and attachments over HTTP.
use crate::harness::*;
use reqwest::StatusCode;

app_tests!(
    comments_thread_on_a_proposal,
    notifications_reach_the_author_and_mail_can_be_stopped,
    reports_moderation_and_blocking,
    debates_take_positions,
    attachments_are_checked,
    debates_and_comments_through_the_api,
);

async fn comments_thread_on_a_proposal(app: App) {
    let author = app
        .db
        .user_by_email("resident@demo.maeul.kr")
        .await
        .unwrap()
        .unwrap()
        .id;
    let new = maeul_db::proposals::NewProposal {
        scope_id: 1,
        author_id: author,
        title: "공원 개방 시간 연장",
        body: "b",
        category: maeul_domain::proposal::Category::Culture,
        submit: true,
        location: "",
        kind: maeul_db::proposals::Kind::Proposal,
    };
    let id = app.db.create_proposal(&new).await.unwrap();
    let ladder = maeul_domain::proposal::Ladder::democracy_seoul();
    app.db
        .transition_proposal(
            id,
            &maeul_domain::proposal::ProposalEvent::Accept,
            &ladder,
            None,
        )
        .await
        .unwrap();
    let mut anon = app.browser();
    anon.get(&format!("/proposals/{id}")).await;
    assert_eq!(
        anon.post(&format!("/proposals/{id}/comments"), &[("body", "x")])
            .await
            .0,
        StatusCode::SEE_OTHER,
        "redirected to sign in"
    );
    assert_eq!(app.db.proposal(id).await.unwrap().unwrap().comment_count, 0);

    let mut member = app.signed_in("member@demo.maeul.kr").await;
    member.get(&format!("/proposals/{id}")).await;
    let (status, _, location) = member
        .post(
            &format!("/proposals/{id}/comments"),
            &[("body", "찬성합니다 #1 <b>굵게</b>")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let first: i64 = location
        .unwrap()
        .rsplit("comment-")
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let mut resident = app.signed_in("resident@demo.maeul.kr").await;
    resident.get(&format!("/proposals/{id}")).await;
    let first_s = first.to_string();
    resident
        .post(
            &format!("/proposals/{id}/comments"),
            &[("body", "고맙습니다"), ("parent", &first_s)],
        )
        .await;
    resident
        .post(&format!("/comments/{first}/vote"), &[("value", "1")])
        .await;
    resident
        .post(&format!("/comments/{first}/vote"), &[("value", "1")])
        .await;
    assert_eq!(
        resident
            .post(&format!("/comments/{first}/edit"), &[("body", "남의 글")])
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        resident
            .post(
                &format!("/proposals/{id}/comments"),
                &[("body", &"가".repeat(2001))]
            )
            .await
            .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    member
        .post(
            &format!("/comments/{first}/edit"),
            &[("body", "적극 찬성합니다 #1")],
        )
        .await;
    let (_, page) = anon.get(&format!("/proposals/{id}")).await;
    assert!(page.contains("의견 2개"), "the count includes the reply");
    assert!(page.contains("적극 찬성합니다") && page.contains("수정됨"));
    assert!(
        page.contains("class=\"comment depth-1\""),
        "the reply is nested"
    );
    assert!(page.contains("▲ 1 · ▼ 0"), "one vote per person");
    assert!(
        page.contains("<a href=\"/proposals/1\">#1</a>"),
        "proposal references are links"
    );
    let history = app.db.comment_history(first).await.unwrap();
    assert!(
        history[0].old_body.contains("<b>굵게</b>"),
        "the old text is kept"
    );
    assert!(!page.contains("<b>굵게</b>"));
}

async fn notifications_reach_the_author_and_mail_can_be_stopped(app: App) {
    let mut resident = app.signed_in("resident@demo.maeul.kr").await;
    // The demo city already has events about the resident's own proposals: fan them out first.
    maeul_web::jobs::run_pass(&app.state).await.unwrap();
    let before = unread_badge(&resident.get("/").await.1);
    let id = accepted_proposal(&app, &mut resident, "버스 정류장 그늘막").await;
    // Nothing until the background pass fans the event out.
    assert_eq!(unread_badge(&resident.get("/").await.1), before);
    maeul_web::jobs::run_pass(&app.state).await.unwrap();
    assert_eq!(
        unread_badge(&resident.get("/").await.1),
        before + 1,
        "unread badge"
    );
    let (_, list) = resident.get("/notifications").await;
    assert!(
        list.contains("“버스 정류장 그늘막”의 상태가 바뀌었습니다: 공감 모집 중"),
        "the notification says what happened, in the reader's language"
    );
    // Immediate e-mail, then an official answer.
    let (status, _, _) = resident
        .post("/notifications/preferences", &[("email", "immediate")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = resident
        .post("/notifications/preferences", &[("email", "hourly")])
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown preference refused"
    );
    let mut official = app.signed_in(official_email()).await;
    official.get(&format!("/proposals/{id}")).await;
    let (status, _, _) = official
        .post(
            &format!("/proposals/{id}/answer"),
            &[
                ("responder", "department"),
                ("body", "검토 후 설치하겠습니다"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    maeul_web::jobs::run_pass(&app.state).await.unwrap();
    let mails = app.db.recent_mails(10).await.unwrap();
    let mail = mails
        .iter()
        .find(|m| m.to_addr == "resident@demo.maeul.kr")
        .expect("the author is mailed at once");
    assert!(
        mail.body.contains("버스 정류장 그늘막") && mail.body.contains(&format!("/proposals/{id}"))
    );
    let unsubscribe = mail.unsubscribe_url.clone().unwrap();
    assert!(mail.body.contains(&unsubscribe));
    // The notification opens the proposal and is then read.
    let (_, list) = resident.get("/notifications").await;
    let open = list
        .split("action=\"/notifications/")
        .filter_map(|s| s.split('"').next())
        .find(|s| s.ends_with("/open"))
        .unwrap()
        .to_owned();
    let (status, _, location) = resident.post(&format!("/notifications/{open}"), &[]).await;
    assert_eq!(
        (status, location.as_deref()),
        (
            StatusCode::SEE_OTHER,
            Some(format!("/proposals/{id}").as_str())
        )
    );
    // Someone else cannot open (or learn of) it.
    let mut other = app.signed_in("member@demo.maeul.kr").await;
    other.get("/notifications").await;
    assert_eq!(
        other.post(&format!("/notifications/{open}"), &[]).await.0,
        StatusCode::NOT_FOUND
    );
    resident.get("/notifications").await;
    resident.post("/notifications/read", &[]).await;
    let (_, page) = resident.get("/").await;
    assert!(!page.contains("id=\"unread-count\""));

    // One-click unsubscribe: a bare POST from a mail client (no cookie, no CSRF token) turns mail off.
    let path = unsubscribe.strip_prefix(&app.base).unwrap().to_owned();
    let (status, page) = app.browser().get(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("id=\"unsubscribe-button\""));
    let r = reqwest::Client::new()
        .post(&unsubscribe)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let me = app
        .db
        .user_by_email("resident@demo.maeul.kr")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        app.db.email_preference(me.id).await.unwrap(),
        maeul_domain::notify::EmailPreference::Off
    );
    // A forged token (another id with this signature) is not found and changes nothing.
    let forged = path.replacen(
        &format!("/unsubscribe/{}.", me.id),
        &format!("/unsubscribe/{}.", me.id + 1),
        1,
    );
    assert_ne!(forged, path);
    assert_eq!(app.browser().get(&forged).await.0, StatusCode::NOT_FOUND);
    // Following: a scope follow is toggled by the button on the scope page.
    let mut member = app.signed_in("member@demo.maeul.kr").await;
    let (_, page) = member.get("/scopes/11110").await;
    assert!(page.contains("id=\"follow-button\""));
    let scope_id = maeul_domain::ScopeTree::new(app.db.load_scopes().await.unwrap())
        .unwrap()
        .by_code("11110")
        .unwrap()
        .id
        .to_string();
    let (status, _, location) = member
        .post(
            "/follows",
            &[
                ("target", "scope"),
                ("id", &scope_id),
                ("follow", "1"),
                ("back", "/scopes/11110"),
            ],
        )
        .await;
    assert_eq!(
        (status, location.as_deref()),
        (StatusCode::SEE_OTHER, Some("/scopes/11110"))
    );
    let (_, page) = member.get("/scopes/11110").await;
    assert!(page.contains("팔로우 취소"));
    let (status, _, _) = member
        .post(
            "/follows",
            &[("target", "planet"), ("id", "1"), ("follow", "1")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn reports_moderation_and_blocking(app: App) {
    let mut resident = app.signed_in("resident@demo.maeul.kr").await;
    let id = accepted_proposal(&app, &mut resident, "공원 화장실 개선").await;
    let mut member = app.signed_in("member@demo.maeul.kr").await;
    member.get(&format!("/proposals/{id}")).await;
    member
        .post(
            &format!("/proposals/{id}/comments"),
            &[("body", "광고 링크 http://spam.example")],
        )
        .await;
    let comment = app.db.comment_page(id, 0, 10).await.unwrap().0[0]
        .id
        .to_string();
    // The resident reports it; a report without a known reason is refused.
    resident.get(&format!("/proposals/{id}")).await;
    let (status, _, _) = resident
        .post(
            "/reports",
            &[
                ("target", "comment"),
                ("id", &comment),
                ("reason", "because"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _, location) = resident
        .post(
            "/reports",
            &[
                ("target", "comment"),
                ("id", &comment),
                ("reason", "spam"),
                ("details", "광고"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location.unwrap().contains("notice-reported"));
    let (_, _, location) = resident
        .post(
            "/reports",
            &[("target", "comment"), ("id", &comment), ("reason", "spam")],
        )
        .await;
    assert!(location.unwrap().contains("notice-already-reported"));
    // Only moderators see the queue.
    assert_eq!(resident.get("/moderation").await.0, StatusCode::FORBIDDEN);
    let mut moderator = app.signed_in("moderator@demo.maeul.kr").await;
    let (_, queue) = moderator.get("/moderation").await;
    assert!(queue.contains("광고 링크") && queue.contains("스팸 또는 광고"));
    // A resident cannot hide; a hide needs a reason; the moderator hides with one.
    assert_eq!(
        resident
            .post(
                &format!("/moderation/comment/{comment}/hide"),
                &[("reason", "x")]
            )
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        moderator
            .post(
                &format!("/moderation/comment/{comment}/hide"),
                &[("reason", "")]
            )
            .await
            .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let (status, _, _) = moderator
        .post(
            &format!("/moderation/comment/{comment}/hide"),
            &[("reason", "광고")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, public) = app.browser().get(&format!("/proposals/{id}")).await;
    assert!(public.contains("운영자가 숨긴 댓글입니다") && !public.contains("광고 링크"));
    let (_, own) = member.get(&format!("/proposals/{id}")).await;
    assert!(
        own.contains("광고 링크") && own.contains("운영자가 숨김"),
        "the author still sees it"
    );
    let (_, queue) = moderator.get("/moderation").await;
    assert!(
        queue.contains("한운영") && queue.contains("숨김"),
        "the log names who did what"
    );
    // Blocking is for moderators of the city; the official of a district may not.
    let member_id = app
        .db
        .user_by_email("member@demo.maeul.kr")
        .await
        .unwrap()
        .unwrap()
        .id;
    let mut official = app.signed_in(official_email()).await;
    official.get("/").await;
    assert_eq!(
        official
            .post(&format!("/users/{member_id}/block"), &[("reason", "x")])
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let (_, profile) = moderator.get(&format!("/users/{member_id}")).await;
    assert!(profile.contains("id=\"block-button\""));
    let (status, _, _) = moderator
        .post(
            &format!("/users/{member_id}/block"),
            &[("reason", "반복 광고")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // The blocked member's session is gone and signing in is refused with a clear message.
    let (status, _) = member.get("/account").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "signed out");
    let mut again = app.browser();
    let password = app.passwords["member@demo.maeul.kr"].clone();
    let (status, page) = again.login("member@demo.maeul.kr", &password).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("차단한 계정"));
    let (status, _, _) = moderator
        .post(&format!("/users/{member_id}/unblock"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        again.login("member@demo.maeul.kr", &password).await.0,
        StatusCode::SEE_OTHER
    );
}

async fn debates_take_positions(app: App) {
    let mut resident = app.signed_in("resident@demo.maeul.kr").await;
    let (status, page) = resident.get("/scopes/11110/debates/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("여는 글"));
    let fields = [
        ("title", "주말 차 없는 거리"),
        ("category", "transport"),
        ("location", "종로 2가"),
        ("body", "주말마다 시범 운영을 해 볼까요?"),
        ("submit", "submit"),
    ];
    let (status, _, location) = resident.post("/scopes/11110/debates", &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = location.unwrap();
    assert!(location.starts_with("/debates/"));
    let id: i64 = location
        .trim_start_matches("/debates/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    // Debates open at once, are listed with debates, and old-style links redirect.
    let (_, list) = app.browser().get("/scopes/11110/debates").await;
    assert!(list.contains("주말 차 없는 거리"));
    let (_, list) = app.browser().get("/scopes/11110/proposals").await;
    assert!(!list.contains("주말 차 없는 거리"));
    let r = app.browser().get(&format!("/proposals/{id}")).await;
    assert_eq!(r.0, StatusCode::PERMANENT_REDIRECT);
    // The feed carries debates (linked to their page); the proposals CSV does not.
    let (_, feed) = app.browser().get("/scopes/11110/feed.atom").await;
    assert!(feed.contains(&format!("/debates/{id}\"")), "{feed}");
    let (_, csv) = app.browser().get("/scopes/11110/proposals.csv").await;
    assert!(!csv.contains("주말 차 없는 거리"));
    let mut member = app.signed_in("member@demo.maeul.kr").await;
    let (_, page) = member.get(&format!("/debates/{id}")).await;
    assert!(
        page.contains("종로 2가")
            && page.contains("id=\"position-against\"")
            && !page.contains("support-button")
    );
    let (status, _, _) = member
        .post(
            &format!("/proposals/{id}/comments"),
            &[("body", "상권이 걱정됩니다"), ("position", "maybe")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "unknown position");
    let (status, _, _) = member
        .post(
            &format!("/proposals/{id}/comments"),
            &[("body", "상권이 걱정됩니다"), ("position", "against")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = member.get(&format!("/debates/{id}")).await;
    assert!(page.contains("position-against") && page.contains("반대 1"));
    // Supporting a debate is refused; only its author (or an official) concludes it.
    assert_eq!(
        member
            .post(&format!("/proposals/{id}/support"), &[])
            .await
            .0,
        StatusCode::CONFLICT
    );
    assert_eq!(
        member
            .post(&format!("/debates/{id}/conclude"), &[("reason", "끝")])
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    resident.get(&format!("/debates/{id}")).await;
    let (status, _, _) = resident
        .post(
            &format!("/debates/{id}/conclude"),
            &[("reason", "시범 운영 후 재논의")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, page) = member.get(&format!("/debates/{id}")).await;
    assert!(page.contains("시범 운영 후 재논의") && !page.contains("id=\"comment-submit\""));
    assert_eq!(
        member
            .post(
                &format!("/proposals/{id}/comments"),
                &[("body", "늦은 의견")]
            )
            .await
            .0,
        StatusCode::CONFLICT,
        "a concluded debate takes no comments"
    );
    // Search finds debates and comments.
    let (_, found) = app.browser().get("/search?q=%EC%83%81%EA%B6%8C").await;
    assert!(
        found.contains("상권이 걱정됩니다") && found.contains(&format!("/debates/{id}#comment-"))
    );
    let (_, found) = app
        .browser()
        .get("/search?kind=debate&sort=commented")
        .await;
    assert!(found.contains("주말 차 없는 거리"));
    let (_, found) = app
        .browser()
        .get("/search?kind=proposal&q=%EC%B0%A8%20%EC%97%86%EB%8A%94")
        .await;
    assert!(!found.contains("주말 차 없는 거리"));
    let (status, found) = app.browser().get("/search?from=2026-13-40").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        found.contains("aria-invalid=\"true\""),
        "a bad date is named"
    );
}

async fn upload(
    b: &mut Browser,
    id: i64,
    name: &str,
    bytes: Vec<u8>,
    with_token: bool,
) -> (StatusCode, Option<String>, String) {
    let token = if with_token {
        b.csrf.clone()
    } else {
        String::new()
    };
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
    );
    let r = b
        .http
        .post(format!(
            "{}/proposals/{id}/attachments?_csrf={token}",
            b.base
        ))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let location = r
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned());
    (r.status(), location, r.text().await.unwrap())
}

async fn attachments_are_checked(app: App) {
    let mut resident = app.signed_in("resident@demo.maeul.kr").await;
    resident.get("/scopes/11110/proposals/new").await;
    let fields = [
        ("title", "도서관 운영 시간"),
        ("category", "culture"),
        ("body", "본문"),
        ("submit", "draft"),
    ];
    let (_, _, location) = resident.post("/scopes/11110/proposals", &fields).await;
    let id = proposal_id(location.as_deref().unwrap());
    let (_, page) = resident.get(&format!("/proposals/{id}")).await;
    assert!(page.contains("id=\"attachment-file\""));
    // Without the token: refused.
    assert_eq!(
        upload(&mut resident, id, "a.pdf", b"%PDF-1.4".to_vec(), false)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    // A script disguised as a PDF, and a file over 5 MB, are refused with a message; nothing is stored.
    let (status, _, page) = upload(
        &mut resident,
        id,
        "evil.pdf",
        b"<script>alert(1)</script>".to_vec(),
        true,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("PDF, PNG, JPEG 파일만 첨부할 수 있습니다"));
    let mut big = b"%PDF-1.4".to_vec();
    big.resize(5 * 1024 * 1024 + 1, b' ');
    let (status, _, page) = upload(&mut resident, id, "big.pdf", big, true).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("최대 5MB"), "{page}");
    assert!(app.db.attachments_of(id).await.unwrap().is_empty());
    // A real PDF is stored under a rebuilt name and downloads as an attachment.
    let (status, _, _) = upload(
        &mut resident,
        id,
        "../../회의 자료.pdf",
        b"%PDF-1.4 ok".to_vec(),
        true,
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let files = app.db.attachments_of(id).await.unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].file_name, "회의 자료.pdf");
    let r = resident
        .http
        .get(app.url(&format!("/attachments/{}/x", files[0].id)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment;")
    );
    // A draft's file is as private as the draft; someone else cannot attach to it.
    assert_eq!(
        app.browser()
            .get(&format!("/attachments/{}/x", files[0].id))
            .await
            .0,
        StatusCode::NOT_FOUND
    );
    let mut member = app.signed_in("member@demo.maeul.kr").await;
    member.get("/").await;
    assert_eq!(
        upload(&mut member, id, "a.pdf", b"%PDF-1.4".to_vec(), true)
            .await
            .0,
        StatusCode::NOT_FOUND
    );
}

async fn debates_and_comments_through_the_api(app: App) {
    let http = reqwest::Client::new();
    let resident = token(&app, "resident@demo.maeul.kr").await;
    let member = token(&app, "member@demo.maeul.kr").await;
    let r = http
        .post(app.url("/api/v1/scopes/11110/debates"))
        .bearer_auth(&resident)
        .json(&serde_json::json!({"title": "공공자전거 정류소 위치", "body": "어디가 좋을까요?", "category": "transport", "location": "광화문"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let d: serde_json::Value = http
        .get(app.url(&format!("/api/v1/debates/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (
            d["kind"].as_str(),
            d["state"].as_str(),
            d["location"].as_str()
        ),
        (Some("debate"), Some("debating"), Some("광화문"))
    );
    let listed: serde_json::Value = http
        .get(app.url("/api/v1/scopes/11110/debates"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed[0]["id"].as_i64(), Some(id));
    // A debate is not a proposal: the proposal endpoint does not serve it.
    assert_eq!(
        http.get(app.url(&format!("/api/v1/proposals/{id}")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    // Comments: a position is checked; a reply threads under its parent; anonymous writes are refused.
    let post = |body: serde_json::Value, token: Option<&str>| {
        let mut req = http
            .post(app.url(&format!("/api/v1/proposals/{id}/comments")))
            .json(&body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send()
    };
    assert_eq!(
        post(serde_json::json!({"body": "x"}), None)
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let bad = post(
        serde_json::json!({"body": "찬성", "position": "maybe"}),
        Some(&member),
    )
    .await
    .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().await.unwrap().contains("position"));
    let first = post(
        serde_json::json!({"body": "광화문 광장 옆이 좋아요", "position": "for"}),
        Some(&member),
    )
    .await
    .unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let first = first.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let reply = post(
        serde_json::json!({"body": "동의합니다", "parent_id": first}),
        Some(&resident),
    )
    .await
    .unwrap();
    assert_eq!(reply.status(), StatusCode::CREATED);
    let page: serde_json::Value = http
        .get(app.url(&format!("/api/v1/proposals/{id}/comments?limit=10")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let comments = page["comments"].as_array().unwrap();
    assert_eq!(comments.len(), 2);
    assert_eq!(comments[0]["position"].as_str(), Some("for"));
    assert_eq!(comments[1]["parent_id"].as_i64(), Some(first));
    assert!(page["next_after"].is_null());
    // The OpenAPI document lists the new endpoints.
    let doc: serde_json::Value = http
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for path in [
        "/scopes/{code}/debates",
        "/debates/{id}",
        "/proposals/{id}/comments",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is documented");
    }
}

/// The unread count the header's badge shows (0 when there is no badge).
fn unread_badge(page: &str) -> u32 {
    let marker = "<span class=\"badge\" id=\"unread-count\">";
    page.split_once(marker).map_or(0, |(_, rest)| {
        rest.split('<').next().unwrap().parse().unwrap()
    })
}
