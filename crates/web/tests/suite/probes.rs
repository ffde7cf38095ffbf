//! The standing probes (issue 11): every state-changing route, found in the route table itself (the areas'
//! `.route(…)` calls, and the API's OpenAPI document), is tried anonymously, without the CSRF token, with
//! a NUL byte in its fields, and — for officials' actions — by a plain resident and by an official, staff,
//! moderator and evaluator of another district. A route added without a row in [`ROUTES`] fails the suite,
//! so no new action escapes the probes (`concurrency` posts every one of them with 64 clients at once).
use crate::harness::*;
use maeul_domain::access::Role;
use reqwest::StatusCode;

app_tests!(every_form_route_is_probed, every_api_write_is_probed);

/// Who may use a state-changing page route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not (sign-in, registration, language, password reset, unsubscribe links).
    Public,
    /// Any signed-in account; the service decides by ownership, residence or state.
    Account,
    /// Only officials, staff, moderators or administrators: a plain resident is refused.
    Official,
    /// A signed link from an e-mail (one-click unsubscribe, RFC 8058): the token in the path is the
    /// permission, mail clients post it without a form, so no CSRF token; an unknown token is 404.
    MailLink,
}

/// Every POST route of the pages, with who may use it, and whether it takes a multipart upload.
pub const ROUTES: &[(&str, Access, bool)] = &[
    ("/register", Access::Public, false),
    ("/login", Access::Public, false),
    ("/logout", Access::Account, false),
    ("/lang", Access::Public, false),
    ("/password/forgot", Access::Public, false),
    ("/password/reset/{token}", Access::Public, false),
    ("/account/residency", Access::Account, false),
    ("/account/password", Access::Account, false),
    ("/account/tokens", Access::Account, false),
    ("/account/tokens/{id}/revoke", Access::Account, false),
    (
        "/manage/residency/{user_id}/verify",
        Access::Official,
        false,
    ),
    (
        "/manage/residency/{user_id}/reject",
        Access::Official,
        false,
    ),
    (
        "/manage/identity-conflicts/{id}/move",
        Access::Official,
        false,
    ),
    (
        "/manage/identity-conflicts/{id}/keep",
        Access::Official,
        false,
    ),
    ("/manage/register", Access::Official, true),
    ("/admin/roles", Access::Official, false),
    ("/admin/roles/{id}/revoke", Access::Official, false),
    ("/scopes/{code}/committees", Access::Official, false),
    ("/committees/{id}/members", Access::Official, false),
    (
        "/committees/{id}/members/{member}/end",
        Access::Official,
        false,
    ),
    ("/committees/{id}/calls", Access::Official, false),
    ("/committees/{id}/meetings", Access::Official, false),
    ("/calls/{id}/apply", Access::Account, false),
    ("/calls/{id}/training", Access::Official, false),
    ("/calls/{id}/open", Access::Official, false),
    ("/calls/{id}/close", Access::Official, false),
    ("/calls/{id}/draw", Access::Official, false),
    ("/calls/{id}/publish", Access::Official, false),
    ("/calls/{id}/vacancies", Access::Official, false),
    ("/meetings/{id}/state", Access::Official, false),
    ("/meetings/{id}/agenda", Access::Official, false),
    ("/meetings/{id}/attendance", Access::Official, false),
    ("/meetings/{id}/minutes", Access::Official, false),
    ("/meetings/{id}/register", Access::Account, false),
    ("/meetings/{id}/unregister", Access::Account, false),
    ("/meetings/{id}/motions", Access::Official, false),
    ("/motions/{id}/state", Access::Official, false),
    ("/motions/{id}/vote", Access::Official, false),
    (
        "/moderation/{target}/{id}/{action}",
        Access::Official,
        false,
    ),
    ("/reports", Access::Account, false),
    ("/users/{id}/{action}", Access::Official, false),
    ("/follows", Access::Account, false),
    ("/notifications/read", Access::Account, false),
    ("/notifications/{id}/open", Access::Account, false),
    ("/notifications/preferences", Access::Account, false),
    ("/unsubscribe/{token}", Access::MailLink, false),
    ("/scopes/{code}/proposals", Access::Account, false),
    ("/scopes/{code}/ladder", Access::Official, false),
    ("/scopes/{code}/debates", Access::Account, false),
    ("/debates/{id}/conclude", Access::Official, false),
    ("/proposals/{id}/support", Access::Account, false),
    ("/proposals/{id}/withdraw", Access::Account, false),
    ("/proposals/{id}/submit", Access::Account, false),
    ("/proposals/{id}/accept", Access::Official, false),
    ("/proposals/{id}/reject", Access::Official, false),
    ("/proposals/{id}/forum", Access::Official, false),
    ("/proposals/{id}/adopt", Access::Official, false),
    ("/proposals/{id}/close", Access::Official, false),
    ("/proposals/{id}/answer", Access::Official, false),
    ("/proposals/{id}/comments", Access::Account, false),
    ("/proposals/{id}/attachments", Access::Account, true),
    ("/comments/{id}/edit", Access::Account, false),
    ("/comments/{id}/vote", Access::Account, false),
    ("/scopes/{code}/budget/split", Access::Official, false),
    ("/scopes/{code}/budget/processes", Access::Official, false),
    ("/budgets/{id}/projects", Access::Account, false),
    ("/budgets/{id}/phase", Access::Official, false),
    ("/budget-projects/{id}/review", Access::Official, false),
    ("/budgets/{id}/ballot", Access::Account, false),
    ("/budgets/{id}/paper-ballot", Access::Official, false),
    ("/proposals/{id}/budget-project", Access::Account, false),
    ("/budget-projects/{id}/attachments", Access::Account, true),
    ("/scopes/{code}/budget/import", Access::Official, true),
    ("/scopes/{code}/agenda-items", Access::Account, false),
    ("/scopes/{code}/priority-vote", Access::Account, false),
    (
        "/scopes/{code}/priority-vote/method",
        Access::Official,
        false,
    ),
    ("/plan-projects/{id}/working-group", Access::Official, false),
    ("/working-groups/{id}/members", Access::Official, false),
    ("/working-groups/{id}/meetings", Access::Official, false),
    ("/working-groups/{id}/updates", Access::Account, false),
    ("/agenda-items/{id}/state", Access::Official, false),
    ("/agenda-items/{id}/refer", Access::Official, false),
    ("/agenda-items/{id}/answer", Access::Official, false),
    ("/scopes/{code}/plans", Access::Official, false),
    ("/plans/{id}/state", Access::Official, false),
    ("/plans/{id}/sections", Access::Official, false),
    ("/plans/{id}/projects", Access::Official, false),
    ("/scopes/{code}/organizations", Access::Account, false),
    ("/organizations/{id}", Access::Account, false),
    ("/organizations/{id}/join", Access::Account, false),
    ("/organizations/{id}/leave", Access::Account, false),
    ("/organizations/{id}/verify", Access::Official, false),
    ("/scopes/{code}/resources", Access::Official, false),
    ("/resources/{id}/bookings", Access::Account, false),
    ("/bookings/{id}/decision", Access::Account, false),
    ("/programs/{id}/enrol", Access::Account, false),
    ("/programs/{id}/withdraw", Access::Account, false),
    ("/programs/{id}/attendance", Access::Official, false),
    ("/grants/{id}/applications", Access::Account, false),
    ("/grants/{id}/publish", Access::Official, false),
    ("/grant-applications/{id}/scores", Access::Official, false),
    ("/scopes/{code}/programs", Access::Official, false),
    ("/programs/{id}/sessions", Access::Official, false),
    ("/scopes/{code}/grants", Access::Official, false),
    ("/tracked-projects/{id}/updates", Access::Official, false),
    ("/tracked-updates/{id}/decision", Access::Official, false),
    ("/evaluation-cycles/{id}/state", Access::Official, false),
    ("/evaluation-cycles/{id}/scores", Access::Account, false),
    (
        "/evaluation-indicators/{id}/target",
        Access::Official,
        false,
    ),
    (
        "/evaluation-indicators/{id}/actual",
        Access::Official,
        false,
    ),
    ("/scopes/{code}/conversations", Access::Official, false),
    ("/conversations/{id}/state", Access::Official, false),
    ("/conversations/{id}/votes", Access::Account, false),
    ("/conversations/{id}/statements", Access::Account, false),
    ("/forum-statements/{id}/moderation", Access::Official, false),
    ("/scopes/{code}/surveys", Access::Official, false),
    ("/surveys/{id}/responses", Access::Account, false),
    ("/surveys/{id}/close", Access::Official, false),
    (
        "/scopes/{code}/tracked-updates/import",
        Access::Official,
        false,
    ),
    ("/scopes/{code}/evaluations", Access::Official, false),
    (
        "/evaluation-cycles/{id}/indicators",
        Access::Official,
        false,
    ),
    (
        "/evaluation-indicators/{id}/disaggregation",
        Access::Official,
        false,
    ),
    ("/organizations/{id}/links", Access::Account, false),
    ("/scopes/{code}/events", Access::Account, false),
    ("/grant-applications/{id}/progress", Access::Account, false),
    ("/resources/{id}", Access::Account, false),
    ("/scopes/{code}/assemblies", Access::Official, false),
    ("/assemblies/{id}/agenda", Access::Official, false),
    ("/assemblies/{id}/state", Access::Official, false),
    ("/assemblies/{id}/attendance", Access::Official, false),
    ("/assemblies/{id}/ballot", Access::Account, false),
    ("/assemblies/{id}/ballots", Access::Official, false),
    ("/budgets/{id}/settings", Access::Official, false),
];

/// The POST routes declared in the areas' route tables (`crates/web/src/areas/**`).
fn declared_post_routes() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/areas");
    let mut files = vec![];
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let mut routes = vec![];
    for file in files {
        let src = std::fs::read_to_string(&file).unwrap();
        let mut rest = src.as_str();
        while let Some(at) = rest.find(".route(") {
            let body_start = at + ".route(".len();
            let bytes = rest.as_bytes();
            let (mut depth, mut end) = (1, body_start);
            while depth > 0 {
                match bytes[end] {
                    b'(' => depth += 1,
                    b')' => depth -= 1,
                    _ => {}
                }
                end += 1;
            }
            let body = &rest[body_start..end - 1];
            if body.contains("post(")
                && let Some(path) = body.split('"').nth(1)
            {
                routes.push(path.to_owned());
            }
            rest = &rest[end..];
        }
    }
    routes.sort();
    routes
}

/// Real objects of the demo city, by the first segment of a route (`/budgets/{id}/…` → a process), so
/// every probe reaches the handler's authorization, not a 404 for a missing object.
pub struct Ids {
    by_segment: std::collections::HashMap<&'static str, i64>,
    user: i64,
}

impl Ids {
    pub async fn of_demo(app: &App, proposal: i64, comment: i64) -> Ids {
        let db = &app.db;
        let jongno = app.state.scopes().by_code("11110").unwrap().id;
        let committee = committee_named(app, "11110", "Jongno-gu").await;
        let meetings = db.meetings_of(committee).await.unwrap();
        let mut motion = None;
        for meeting in &meetings {
            motion = motion.or(db
                .motions_of(meeting.id)
                .await
                .unwrap()
                .first()
                .map(|m| m.id));
        }
        // The demo's open call belongs to a neighbourhood's resident council in Jongno-gu.
        let mut call = None;
        for scope in app.state.scopes().subtree_ids(jongno) {
            for c in db.committees_in_scope(scope).await.unwrap() {
                call = call.or(db.calls_of(c.id).await.unwrap().first().map(|c| c.id));
            }
        }
        let resource = db.resources().await.unwrap().first().map(|r| r.id);
        let booking = match resource {
            Some(r) => db.bookings_of(r).await.unwrap().first().map(|b| b.id),
            None => None,
        };
        let grant_calls = db.grant_calls().await.unwrap();
        let grant_call = grant_calls.first().map(|c| c.id);
        let mut grant_application = None;
        for c in &grant_calls {
            let applications = db.grant_applications(c.id).await.unwrap();
            grant_application = grant_application.or(applications.first().map(|a| a.id));
        }
        let jongno_and_below = app.state.scopes().subtree_ids(jongno);
        // The demo's working group (of a project of Jongno-gu's 2027 plan).
        let mut plan_group = None;
        for plan in db.plans_of(jongno).await.unwrap() {
            if let Some(g) = db
                .working_groups_of_plan(plan.id)
                .await
                .unwrap()
                .into_iter()
                .next()
            {
                plan_group = Some(g);
            }
        }
        let plan_group = plan_group.as_ref();
        let tracked = db.tracked_projects_in(&jongno_and_below).await.unwrap();
        let mut tracked_update = None;
        for t in &tracked {
            tracked_update = tracked_update.or(db
                .tracked_updates(t.id)
                .await
                .unwrap()
                .first()
                .map(|u| u.id));
        }
        let cycles = db.evaluation_cycles_in(&jongno_and_below).await.unwrap();
        let mut indicator = None;
        for c in &cycles {
            indicator = indicator.or(db
                .cycle_indicators(c.id)
                .await
                .unwrap()
                .first()
                .map(|(i, _)| i.id));
        }
        let conversation = db
            .conversations_in(jongno)
            .await
            .unwrap()
            .first()
            .map(|c| c.id);
        let statement = match conversation {
            Some(c) => db.forum_statements(c).await.unwrap().first().map(|s| s.id),
            None => None,
        };
        let debate = db
            .proposals_in_scope(jongno, maeul_db::proposals::Kind::Debate, None, 1)
            .await
            .unwrap();
        let process = db.processes(Some(jongno)).await.unwrap()[0].id;
        let user = db
            .user_by_email("member@demo.maeul.kr")
            .await
            .unwrap()
            .unwrap()
            .id;
        let found = [
            ("proposals", Some(proposal)),
            ("comments", Some(comment)),
            ("moderation", Some(proposal)),
            ("committees", Some(committee)),
            ("calls", call),
            ("meetings", meetings.first().map(|m| m.id)),
            ("motions", motion),
            ("debates", debate.first().map(|d| d.id)),
            ("manage", Some(user)),
            ("users", Some(user)),
            ("account", Some(1)),
            ("budgets", Some(process)),
            (
                "budget-projects",
                db.projects_of(process).await.unwrap().first().map(|p| p.id),
            ),
            (
                "agenda-items",
                db.plan_items_touching(jongno)
                    .await
                    .unwrap()
                    .first()
                    .map(|i| i.id),
            ),
            (
                "plans",
                db.plans_of(jongno).await.unwrap().first().map(|p| p.id),
            ),
            ("plan-projects", plan_group.map(|g| g.project_id)),
            ("working-groups", plan_group.map(|g| g.id)),
            ("notifications", Some(1)),
            ("admin", Some(1)),
            ("conversations", conversation),
            ("forum-statements", statement),
            ("tracked-projects", tracked.first().map(|t| t.id)),
            ("tracked-updates", tracked_update),
            ("evaluation-cycles", cycles.first().map(|c| c.id)),
            ("evaluation-indicators", indicator),
            (
                "organizations",
                db.organizations().await.unwrap().first().map(|o| o.id),
            ),
            ("resources", resource),
            ("bookings", booking),
            (
                "programs",
                db.programs().await.unwrap().first().map(|p| p.id),
            ),
            ("grants", grant_call),
            ("grant-applications", grant_application),
            (
                "surveys",
                db.surveys_in(&jongno_and_below)
                    .await
                    .unwrap()
                    .first()
                    .map(|s| s.id),
            ),
            (
                "assemblies",
                match app.state.scopes().by_code("1111053000") {
                    Some(sajik) => db
                        .assemblies_in(sajik.id)
                        .await
                        .unwrap()
                        .first()
                        .map(|a| a.id),
                    None => None,
                },
            ),
        ];
        let mut by_segment = std::collections::HashMap::new();
        for (segment, id) in found {
            by_segment.insert(
                segment,
                id.unwrap_or_else(|| panic!("the demo has no object for /{segment}")),
            );
        }
        Ids { by_segment, user }
    }

    /// A concrete path for a route template.
    pub fn concrete(&self, template: &str) -> String {
        let mut path = template
            .replace("{user_id}", &self.user.to_string())
            .replace("{member}", &self.user.to_string())
            .replace("{code}", "11110")
            .replace("{token}", &"x".repeat(43))
            .replace("{target}", "proposal")
            .replace("{action}", "hide");
        if path.contains("{id}") {
            let first = template.split('/').nth(1).unwrap_or("");
            let id = self.by_segment.get(first).unwrap_or_else(|| {
                panic!(
                    "no demo object for {template}: add its first segment to probes::Ids::of_demo"
                )
            });
            path = path.replace("{id}", &id.to_string());
        }
        path
    }
}

async fn every_form_route_is_probed(app: App) {
    // The table and the route table agree both ways.
    let declared = declared_post_routes();
    let listed: Vec<String> = {
        let mut l: Vec<String> = ROUTES.iter().map(|r| r.0.to_owned()).collect();
        l.sort();
        l
    };
    let missing: Vec<&String> = declared.iter().filter(|r| !listed.contains(r)).collect();
    let stale: Vec<&String> = listed.iter().filter(|r| !declared.contains(r)).collect();
    assert!(
        missing.is_empty(),
        "state-changing routes without a row in probes::ROUTES: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "rows for routes that no longer exist: {stale:?}"
    );

    let mut resident = app.signed_in("resident@demo.maeul.kr").await;
    let proposal = accepted_proposal(&app, &mut resident, "탐침 시험").await;
    resident.get(&format!("/proposals/{proposal}")).await;
    let (_, _, _) = resident
        .post(
            &format!("/proposals/{proposal}/comments"),
            &[("body", "탐침 댓글")],
        )
        .await;
    let comment = app
        .db
        .comment_page(proposal, 0, 10)
        .await
        .unwrap()
        .0
        .first()
        .map(|c| c.id)
        .unwrap_or(999_999);
    let ids = Ids::of_demo(&app, proposal, comment).await;
    let comments_before = app
        .db
        .proposal(proposal)
        .await
        .unwrap()
        .unwrap()
        .comment_count;
    // An official, support staff, moderator and evaluator of another district (Gangnam-gu): an official's
    // action on Jongno-gu's objects is refused to each (roles reach down the tree, never sideways).
    let gangnam = app.state.scopes().by_code("11680").unwrap().id;
    let mut outsiders = session_browsers(&app, "outsider", 4).await;
    let outsider_roles = [
        Role::Official,
        Role::SupportStaff,
        Role::Moderator,
        Role::Evaluator,
    ];
    for ((id, _), role) in outsiders.iter().zip(outsider_roles) {
        app.db.grant_role(*id, role, gangnam, None).await.unwrap();
    }
    let mut attempts = 0;
    for &(template, access, multipart) in ROUTES {
        let path = ids.concrete(template);
        // Anonymous: public routes answer without failing; the rest send to sign-in or refuse.
        let mut anon = app.browser();
        anon.get("/").await;
        let url = if multipart {
            format!("{path}?_csrf={}", anon.csrf)
        } else {
            path.clone()
        };
        let (status, _, location) = anon.post(&url, &[("x", "1")]).await;
        attempts += 1;
        assert!(!status.is_server_error(), "anonymous {path}: {status}");
        if access == Access::MailLink {
            assert_eq!(status, StatusCode::NOT_FOUND, "unknown link {path}");
        } else if access != Access::Public {
            let to_login = status == StatusCode::SEE_OTHER
                && location.as_deref().is_some_and(|l| l.starts_with("/login"));
            assert!(
                to_login
                    || matches!(
                        status,
                        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
                    ),
                "anonymous {path}: {status} {location:?}"
            );
        }
        // Without the CSRF token (or with another site's Origin): refused, whoever asks.
        let mut b = app.signed_in("resident@demo.maeul.kr").await;
        b.get("/").await;
        let (status, _, _) = b.post_raw(&path, "x=1".into()).await;
        attempts += 1;
        let expected = if access == Access::MailLink {
            StatusCode::NOT_FOUND
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(status, expected, "no CSRF token: {path}");
        if access != Access::MailLink && !multipart {
            // A forged token, and the right token sent from another site's page.
            let forged = format!("_csrf={}&x=1", "A".repeat(43));
            let (status, _, _) = b.post_raw(&path, forged).await;
            attempts += 1;
            assert_eq!(status, StatusCode::FORBIDDEN, "forged CSRF token: {path}");
            let r = b
                .http
                .post(app.url(&path))
                .header("origin", "https://evil.example")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(format!("_csrf={}&x=1", b.csrf))
                .send()
                .await
                .unwrap();
            attempts += 1;
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "foreign Origin: {path}");
        }
        // A NUL byte in a field: a clear 400 before any handler.
        if !multipart {
            let (status, page, _) = b.post(&path, &[("body", "a\0b"), ("title", "x")]).await;
            attempts += 1;
            assert_eq!(status, StatusCode::BAD_REQUEST, "NUL: {path}");
            assert!(page.contains("제어 문자"), "NUL: {path}");
            let long = "가".repeat(20_000);
            let (status, _, _) = b.post(&path, &[("body", &long), ("title", &long)]).await;
            attempts += 1;
            assert!(
                !status.is_server_error(),
                "over-long value: {path}: {status}"
            );
        }
        // Officials' actions by a plain resident.
        if access == Access::Official && !multipart {
            let (status, _, _) = b.post(&path, &[]).await;
            attempts += 1;
            assert!(
                matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND)
                    || status == StatusCode::UNPROCESSABLE_ENTITY && path.starts_with("/admin"),
                "a resident on {path}: {status}"
            );
            for ((_, outsider), role) in outsiders.iter_mut().zip(outsider_roles) {
                let (status, _, _) = outsider.post(&path, &[]).await;
                attempts += 1;
                assert!(
                    matches!(status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND)
                        || status == StatusCode::UNPROCESSABLE_ENTITY && path.starts_with("/admin"),
                    "{role:?} of Gangnam-gu on {path}: {status}"
                );
            }
        }
    }
    assert!(attempts > 4 * ROUTES.len() / 2);
    eprintln!(
        "form probes: {attempts} attempts on {} routes, 0 failures",
        ROUTES.len()
    );
    // Only the one ordinary comment of this test was written by all of that.
    assert_eq!(
        app.db
            .proposal(proposal)
            .await
            .unwrap()
            .unwrap()
            .comment_count,
        comments_before,
        "no probe wrote a comment"
    );
}

/// Every write operation of the API (from its OpenAPI document): anonymous is 401, a NUL byte is 400.
async fn every_api_write_is_probed(app: App) {
    let doc = serde_json::to_value(maeul_web::api::openapi()).unwrap();
    let token = token(&app, "resident@demo.maeul.kr").await;
    let http = reqwest::Client::new();
    let mut writes = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in ["post", "put", "patch", "delete"] {
            if item.get(method).is_none() {
                continue;
            }
            writes += 1;
            let concrete = path
                .replace("{id}", "1")
                .replace("{code}", "11110")
                .replace("{member}", "1");
            let url = app.url(&format!("/api/v1{concrete}"));
            let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let r = http
                .request(m.clone(), &url)
                .json(&serde_json::json!({}))
                .send()
                .await
                .unwrap();
            assert!(!r.status().is_server_error(), "{method} {path}");
            if path != "/auth/token" {
                assert_eq!(
                    r.status(),
                    StatusCode::UNAUTHORIZED,
                    "anonymous {method} {path}"
                );
            }
            if method != "delete" {
                let r = http
                    .request(m, &url)
                    .bearer_auth(&token)
                    .json(&serde_json::json!({"body": "a\u{0}b", "title": "x\u{0}", "email": "\u{0}"}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), StatusCode::BAD_REQUEST, "NUL: {method} {path}");
            }
        }
    }
    assert!(writes >= 10, "{writes} write operations found");
}
