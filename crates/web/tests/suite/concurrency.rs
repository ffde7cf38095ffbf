//! Every state-changing page route under 64 clients at once (issue 11), on both backends: the site's own
//! forms, found by walking its pages as an administrator, are posted by 64 accounts (verified residents
//! and administrators, so the writes get past the rules) at the same moment. No answer is a 5xx, and
//! afterwards every stored count equals the rows it counts. Routes whose form no page shows are posted
//! with plausible fields all the same, so each route meets the crowd.
use std::collections::BTreeMap;

use crate::forms::{Form, crawl, template_of};
use crate::harness::*;
use crate::probes::{Access, Ids, ROUTES};
use maeul_domain::access::Role;
use reqwest::StatusCode;

app_tests!(every_form_takes_64_clients_at_once);

const CLIENTS: usize = 64;

/// Where the walk starts: the home page, the demo's district and neighbourhood, the staff pages.
const STARTS: &[&str] = &[
    "/",
    "/scopes/11110",
    "/scopes/1111053000",
    "/scopes/1111051500",
    "/account",
    "/admin",
    "/manage/residency",
    "/notifications",
];

async fn every_form_takes_64_clients_at_once(app: App) {
    let tree = app.state.scopes();
    let seoul = tree
        .all()
        .iter()
        .find(|s| s.parent_id.is_none())
        .unwrap()
        .id;
    let crowd = session_browsers(&app, "crowd", CLIENTS).await;
    verify_residents(
        &app,
        crowd.iter().map(|(id, _)| *id).collect(),
        "1111051500",
    )
    .await;
    for (id, _) in &crowd {
        app.db
            .grant_role(*id, Role::Administrator, seoul, None)
            .await
            .unwrap();
    }

    let mut resident = app.signed_in("resident@demo.maeul.kr").await;
    let proposal = accepted_proposal(&app, &mut resident, "동시 탐침 시험").await;
    resident
        .post(
            &format!("/proposals/{proposal}/comments"),
            &[("body", "탐침 댓글")],
        )
        .await;
    let comment = app.db.comment_page(proposal, 0, 1).await.unwrap().0[0].id;
    let ids = Ids::of_demo(&app, proposal, comment).await;

    // The forms as the administrator, the demo's resident and one of the crowd (administrator and
    // resident at once) see them.
    let mut starts: Vec<String> = STARTS.iter().map(|s| s.to_string()).collect();
    starts.push(format!("/proposals/{proposal}"));
    let templates: Vec<&str> = ROUTES.iter().map(|r| r.0).collect();
    let mut by_route: BTreeMap<&str, Form> = BTreeMap::new();
    let mut pages = 0;
    let one_of_crowd = Browser {
        http: crowd[0].1.http.clone(),
        base: app.base.clone(),
        csrf: String::new(),
    };
    let mut walkers = [
        app.signed_in("admin@demo.maeul.kr").await,
        resident,
        one_of_crowd,
    ];
    for walker in &mut walkers {
        let (walked, found) = crawl(walker, &starts, 400).await;
        pages += walked;
        for (action, form) in found {
            if let Some(t) = template_of(&action, &templates) {
                by_route.entry(t).or_insert(form);
            }
        }
    }

    let (mut requests, mut redirected, mut routes_written) = (0, 0, 0);
    // Signing out ends the crowd's sessions: last.
    let mut order: Vec<_> = ROUTES.iter().filter(|r| r.0 != "/logout").collect();
    order.extend(ROUTES.iter().filter(|r| r.0 == "/logout"));
    for &&(template, access, multipart) in &order {
        if let Some(form) = by_route.get(template) {
            assert_eq!(
                form.multipart, multipart,
                "probes::ROUTES marks {template}'s upload"
            );
        }
        if multipart || access == Access::MailLink {
            // Uploads are probed in `hardening`; mail links carry a token no crowd has.
            continue;
        }
        let (path, fields) = match by_route.get(template) {
            Some(form) => (form.action.clone(), form.fields.clone()),
            None => (
                ids.concrete(template),
                ["title", "body", "reason", "name", "description"]
                    .iter()
                    .map(|f| (f.to_string(), "동시에 보낸 시험 글".to_string()))
                    .collect(),
            ),
        };
        let mut tasks = tokio::task::JoinSet::new();
        for (_, b) in &crowd {
            let mut b = Browser {
                http: b.http.clone(),
                base: b.base.clone(),
                csrf: b.csrf.clone(),
            };
            let (path, fields) = (path.clone(), fields.clone());
            tasks.spawn(async move {
                let fields: Vec<(&str, &str)> = fields
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                let (status, body, _) = b.post(&path, &fields).await;
                (status, body)
            });
        }
        let answers = tasks.join_all().await;
        requests += answers.len();
        for (status, body) in &answers {
            assert!(
                !status.is_server_error(),
                "{path} under {CLIENTS} clients: {status} {}",
                &body[..body.len().min(300)]
            );
        }
        let written = answers
            .iter()
            .filter(|(s, _)| *s == StatusCode::SEE_OTHER)
            .count();
        redirected += written;
        routes_written += usize::from(written > 0);
    }

    let drift = app.db.counter_drift().await.unwrap();
    assert!(
        drift.is_empty(),
        "stored counts differ from rows: {drift:?}"
    );
    eprintln!(
        "concurrency probe: {pages} pages walked, forms for {} of {} routes, {requests} requests by \
         {CLIENTS} clients at once, {redirected} answered 303 (done, or sent on) on {routes_written} routes, \
         0 server errors, counts equal rows",
        by_route.len(),
        ROUTES.len()
    );
    // The walk must keep finding the site's forms, or the probe would only ever post junk.
    let formless: Vec<&str> = templates
        .iter()
        .filter(|t| !by_route.contains_key(*t))
        .copied()
        .collect();
    assert!(
        by_route.len() * 2 >= ROUTES.len(),
        "forms found for only {} of {} routes ({pages} pages); none for {formless:?}",
        by_route.len(),
        ROUTES.len()
    );
    assert!(
        routes_written >= 20,
        "303 answers on only {routes_written} routes"
    );
}
