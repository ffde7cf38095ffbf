//! The residents' general assembly over HTTP, on SQLite and on PostgreSQL: pre-votes online and on paper
//! plus on-site votes give the published result, no resident votes twice, the district fixes the agenda,
//! permissions across levels, bad input changes nothing; the demo's Sajik-dong assembly.
use crate::harness::*;
use reqwest::StatusCode;
use serde_json::Value;

app_tests!(
    pre_votes_and_on_site_votes_give_the_published_result_and_no_one_votes_twice,
    the_demo_shows_sajik_dong_plan_adopted_by_its_assembly,
    an_items_page_links_its_forum_conversation,
);

const STAFF: &str = "staff@demo.maeul.kr";
const OFFICIAL: &str = "official@demo.maeul.kr";
const SAJIK: &str = "1111053000";
const CHEONGUN: &str = "1111051500";
const JUNG: &str = "11140";

fn scope_id(app: &App, code: &str) -> i64 {
    app.state.scopes().by_code(code).unwrap().id
}

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

async fn assemblies(app: &App) -> Vec<Value> {
    let r = reqwest::get(app.url(&format!("/api/v1/assemblies?scope={SAJIK}")))
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    r.json::<Vec<Value>>().await.unwrap()
}

async fn ballots(app: &App, id: i64) -> i64 {
    let r = app.db.assembly_results(id).await.unwrap();
    r.online + r.paper + r.on_site
}

async fn pre_votes_and_on_site_votes_give_the_published_result_and_no_one_votes_twice(app: App) {
    let sajik = scope_id(&app, SAJIK);
    let plan = app
        .db
        .create_plan(sajik, 2028, 2026, "2028 사직동 자치계획", None)
        .await
        .unwrap();
    let mut staff = app.signed_in(STAFF).await;
    staff.get(&format!("/scopes/{SAJIK}/assemblies")).await;
    // Bad input: field-level messages, nothing created.
    let (status, page, _) = staff
        .post(
            &format!("/scopes/{SAJIK}/assemblies"),
            &[("year", "20x8"), ("title", ""), ("held_at", "tomorrow")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["year-error", "title-error", "held_at-error"] {
        assert!(page.contains(field), "{field}");
    }
    assert!(app.db.assemblies_in(sajik).await.unwrap().len() == 1);
    let (status, _, location) = staff
        .post(
            &format!("/scopes/{SAJIK}/assemblies"),
            &[
                ("year", "2028"),
                ("title", "2028 사직동 주민총회"),
                ("held_at", "2028-03-18T14:00"),
                ("place", "주민센터"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let id = id_after(&location, "/assemblies/");
    assert_eq!(
        app.db.assembly(id).await.unwrap().unwrap().plan_id,
        Some(plan)
    );

    // The agenda: an item Sajik-dong holds.
    let item = app
        .db
        .create_plan_item(&maeul_db::plan::NewItem {
            scope_id: sajik,
            title: "경로당 쉼터",
            body: "",
            proposer_kind: maeul_domain::plan::ProposerKind::ResidentCouncil,
            proposed_by: None,
            proposal_id: None,
        })
        .await
        .unwrap();
    app.db
        .transition_plan_item(item, sajik, None, &maeul_db::plan::ItemAction::Accept)
        .await
        .unwrap();
    let (mut alice, _) = verified_resident(&app, "주민갑", "alice@x.kr", SAJIK).await;
    alice.get(&format!("/assemblies/{id}")).await;
    // A resident does not run the assembly, even with junk input.
    for (path, field) in [
        ("agenda", "item"),
        ("state", "event"),
        ("attendance", "voter"),
    ] {
        let (status, _, _) = alice
            .post(&format!("/assemblies/{id}/{path}"), &[(field, "junk")])
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
    }
    let (status, _, _) = alice
        .post(
            &format!("/assemblies/{id}/ballots"),
            &[("channel", "paper")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    staff.get(&format!("/assemblies/{id}")).await;
    let (status, page, _) = staff
        .post(&format!("/assemblies/{id}/agenda"), &[("item", "")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("item-error"));
    let (status, _, _) = staff
        .post(
            &format!("/assemblies/{id}/agenda"),
            &[("item", &item.to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = staff
        .post(
            &format!("/assemblies/{id}/state"),
            &[("event", "submit_agenda")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // Only the district's officials fix the agenda: not its staff, not the dong's staff, not another
    // district's official.
    let mut dong_staff = holder(&app, "dong@x.kr", maeul_domain::Role::SupportStaff, SAJIK).await;
    let mut jung = holder(&app, "jung@x.kr", maeul_domain::Role::Official, JUNG).await;
    for b in [&mut staff, &mut dong_staff, &mut jung] {
        b.get(&format!("/assemblies/{id}")).await;
        let (status, _, _) = b
            .post(
                &format!("/assemblies/{id}/state"),
                &[("event", "fix_agenda")],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
    }
    let mut official = app.signed_in(OFFICIAL).await;
    let (_, page) = official.get(&format!("/assemblies/{id}")).await;
    assert!(page.contains("assembly-step-fix_agenda"));
    let (status, _, _) = official
        .post(
            &format!("/assemblies/{id}/state"),
            &[("event", "fix_agenda")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // The neighbourhood's own staff run the assembly's other steps.
    let (status, _, _) = dong_staff
        .post(
            &format!("/assemblies/{id}/state"),
            &[("event", "open_pre_voting")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // Online pre-votes: Alice once; twice online or then on paper is refused and changes nothing.
    let choice = format!("choice-{item}");
    let pref = format!("pref-{item}");
    let (_, page) = alice.get(&format!("/assemblies/{id}")).await;
    assert!(page.contains("assembly-vote-submit"));
    let (status, page, _) = alice
        .post(&format!("/assemblies/{id}/ballot"), &[(&choice, "maybe")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("ballot-error"));
    let (status, _, location) = alice
        .post(
            &format!("/assemblies/{id}/ballot"),
            &[(&choice, "yes"), (&pref, "1")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location.unwrap().contains("plan-notice-voted"));
    let (status, _, _) = alice
        .post(&format!("/assemblies/{id}/ballot"), &[(&choice, "no")])
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _, _) = staff
        .post(
            &format!("/assemblies/{id}/ballots"),
            &[
                ("channel", "paper"),
                ("voter", "alice@x.kr"),
                (&choice, "no"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(ballots(&app, id).await, 1);
    // A paper pre-vote for Bob, entered by staff; an unknown e-mail is refused.
    let (_, _) = verified_resident(&app, "주민을", "bob@x.kr", SAJIK).await;
    let (status, _, _) = staff
        .post(
            &format!("/assemblies/{id}/ballots"),
            &[
                ("channel", "paper"),
                ("voter", "nobody@x.kr"),
                (&choice, "no"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _, _) = staff
        .post(
            &format!("/assemblies/{id}/ballots"),
            &[("channel", "paper"), ("voter", "bob@x.kr"), (&choice, "no")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // A resident of another neighbourhood does not vote here.
    let (mut carol, _) = verified_resident(&app, "주민병", "carol@x.kr", CHEONGUN).await;
    carol.get(&format!("/assemblies/{id}")).await;
    let (status, _, _) = carol
        .post(&format!("/assemblies/{id}/ballot"), &[(&choice, "yes")])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The session: Dan attends and votes on site; Eve, absent, cannot; Bob cannot vote again.
    let (status, _, _) = staff
        .post(
            &format!("/assemblies/{id}/state"),
            &[("event", "open_session")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    verified_resident(&app, "주민정", "dan@x.kr", SAJIK).await;
    verified_resident(&app, "주민무", "eve@x.kr", SAJIK).await;
    let (status, _, _) = staff
        .post(
            &format!("/assemblies/{id}/attendance"),
            &[("voter", "dan@x.kr")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    for (voter, expected) in [
        ("eve@x.kr", StatusCode::CONFLICT),
        ("bob@x.kr", StatusCode::CONFLICT),
        ("dan@x.kr", StatusCode::SEE_OTHER),
    ] {
        if voter == "bob@x.kr" {
            staff
                .post(&format!("/assemblies/{id}/attendance"), &[("voter", voter)])
                .await;
        }
        let (status, _, _) = staff
            .post(
                &format!("/assemblies/{id}/ballots"),
                &[("channel", "on_site"), ("voter", voter), (&choice, "yes")],
            )
            .await;
        assert_eq!(status, expected, "{voter}");
    }
    // Not yet published: the public reads no per-item result.
    let before = assemblies(&app).await;
    let this = before.iter().find(|a| a["id"] == id).unwrap();
    assert_eq!(this["agenda"][0]["pre_yes"], Value::Null);

    for event in ["publish_results", "adopt_plan"] {
        let (status, _, _) = staff
            .post(&format!("/assemblies/{id}/state"), &[("event", event)])
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{event}");
    }
    let after = assemblies(&app).await;
    let this = after.iter().find(|a| a["id"] == id).unwrap();
    assert_eq!(this["state"], "plan_adopted");
    assert_eq!(
        (
            &this["ballots_online"],
            &this["ballots_paper"],
            &this["ballots_on_site"]
        ),
        (&Value::from(1), &Value::from(1), &Value::from(1))
    );
    let r = &this["agenda"][0];
    assert_eq!(
        (&r["pre_yes"], &r["pre_no"]),
        (&Value::from(1), &Value::from(1))
    );
    assert_eq!(
        (&r["on_site_yes"], &r["on_site_no"]),
        (&Value::from(1), &Value::from(0))
    );
    assert_eq!(r["passed"], true);
    assert_eq!(
        app.db.plan(plan).await.unwrap().unwrap().state,
        maeul_domain::plan::PlanState::CommitteeResolved
    );
    // The published page, in both languages.
    let mut anyone = app.browser();
    let ko = anyone.get_lang(&format!("/assemblies/{id}"), "ko").await;
    assert!(ko.contains("가결") && ko.contains("자치계획 채택"));
    let en = anyone.get_lang(&format!("/assemblies/{id}"), "en").await;
    assert!(en.contains("Passed") && en.contains("Plan adopted"));
}

async fn the_demo_shows_sajik_dong_plan_adopted_by_its_assembly(app: App) {
    let list = assemblies(&app).await;
    let a = list
        .iter()
        .find(|a| a["year"] == 2027)
        .expect("the demo's 2027 assembly");
    assert_eq!(a["state"], "plan_adopted");
    assert_eq!(a["ballots_online"], 2);
    assert_eq!(a["ballots_paper"], 1);
    assert_eq!(a["ballots_on_site"], 3);
    assert_eq!(a["attendance"], 3);
    let agenda = a["agenda"].as_array().unwrap();
    assert_eq!(agenda.len(), 3);
    // The shared kitchen: three yes pre-votes and three on site.
    assert_eq!(agenda[0]["pre_yes"], 3);
    assert_eq!(agenda[0]["on_site_yes"], 3);
    assert_eq!(agenda[0]["passed"], true);
    let plan = reqwest::get(app.url(&format!("/api/v1/plans?scope={SAJIK}&year=2027")))
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(a["plan_id"], plan["id"]);
    assert_ne!(plan["state"], "drafting");
    // The demo member, a Sajik-dong resident, sees their online vote.
    let mut member = app.signed_in("member@demo.maeul.kr").await;
    let (status, page) = member.get(&format!("/assemblies/{}", a["id"])).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("assembly-voted"));
    let (status, page) = member.get(&format!("/scopes/{SAJIK}/assemblies")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("assembly-list"));
}

async fn an_items_page_links_its_forum_conversation(app: App) {
    let sajik = scope_id(&app, SAJIK);
    let item = app
        .db
        .create_plan_item(&maeul_db::plan::NewItem {
            scope_id: sajik,
            title: "골목 벤치",
            body: "",
            proposer_kind: maeul_domain::plan::ProposerKind::Resident,
            proposed_by: None,
            proposal_id: None,
        })
        .await
        .unwrap();
    let mut anyone = app.browser();
    let (status, page) = anyone.get(&format!("/agenda-items/{item}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("/conversations/"));
    let conversation = app
        .db
        .create_conversation(&maeul_db::forums::NewConversation {
            scope_id: sajik,
            object: Some(maeul_domain::ObjectRef::new(
                maeul_domain::ObjectKind::AgendaItem,
                item,
            )),
            topic: "골목 벤치를 어디에 둘까요?",
            description: "",
            participation: maeul_domain::forum::Participation::Residents,
            moderation: maeul_domain::forum::ModerationMode::Post,
            created_by: None,
        })
        .await
        .unwrap();
    let (_, page) = anyone.get(&format!("/agenda-items/{item}")).await;
    assert!(page.contains(&format!("href=\"/conversations/{conversation}\"")));
    assert!(page.contains("골목 벤치를 어디에 둘까요?"));
}
