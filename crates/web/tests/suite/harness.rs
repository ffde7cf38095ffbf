//! The server suite's harness: the real server on a free port with the demo city, a browser-like client,
//! and `app_tests!`, which runs each test on SQLite and on PostgreSQL (see `maeul-testkit`).

use std::collections::HashMap;
use std::net::SocketAddr;

use maeul_db::Db;
use reqwest::StatusCode;
use reqwest::redirect::Policy;

/// Declares a module's server tests: `app_tests!(name_a, name_b)` defines `pub fn trials()` with both
/// backends' trials of each `async fn name(app: App)` of the module, each given a fresh running server.
macro_rules! app_tests {
    ($($name:ident),* $(,)?) => {
        /// This module's trials, each on both backends.
        pub fn trials() -> Vec<maeul_testkit::libtest_mimic::Trial> {
            let module = module_path!().rsplit("::").next().unwrap_or("suite");
            let mut trials = Vec::new();
            $(trials.extend(maeul_testkit::on_both_backends(
                module,
                stringify!($name),
                |db| -> ::std::pin::Pin<Box<dyn ::std::future::Future<Output = ()> + Send>> {
                    Box::pin(async move { $name($crate::harness::App::start(db).await).await })
                },
            ));)*
            trials
        }
    };
}

/// A running server with the demo city and its accounts.
pub struct App {
    pub base: String,
    pub db: Db,
    /// The server's state, to run its background pass (notifications, mail) when a test needs it.
    pub state: maeul_web::AppState,
    pub passwords: HashMap<&'static str, String>,
}

/// A browser-like client: keeps cookies, does not follow redirects (so tests see them).
pub struct Browser {
    pub http: reqwest::Client,
    pub base: String,
    pub csrf: String,
}

impl App {
    /// Seeds the demo city into `db` (fresh, from the test harness) and serves it on a free port.
    pub async fn start(db: Db) -> App {
        let credentials = maeul_web::demo::seed(&db)
            .await
            .unwrap()
            .expect("fresh database gets demo accounts");
        let passwords = credentials
            .into_iter()
            .map(|c| (c.email, c.password))
            .collect();
        App::start_with(db, passwords, false).await
    }

    /// Another server on a database already seeded (as a second server behind a load balancer would be).
    pub async fn start_on_existing(db: Db, passwords: HashMap<&'static str, String>) -> App {
        App::start_with(db, passwords, false).await
    }

    /// A server on an already seeded database, with or without `--secure-cookies`.
    pub async fn start_with(
        db: Db,
        passwords: HashMap<&'static str, String>,
        secure_cookies: bool,
    ) -> App {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let config = maeul_web::Config {
            base_url: base.clone(),
            secure_cookies,
            demo: true,
            client_ip_header: Some("x-forwarded-for".into()),
        };
        let state = maeul_web::AppState::new(db.clone(), config).await.unwrap();
        let app = maeul_web::router(state.clone());
        tokio::spawn(async move {
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
            .unwrap();
        });
        App {
            base,
            state,
            db,
            passwords,
        }
    }

    pub fn browser(&self) -> Browser {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .build()
            .unwrap();
        Browser {
            http,
            base: self.base.clone(),
            csrf: String::new(),
        }
    }

    pub async fn signed_in(&self, email: &str) -> Browser {
        let mut b = self.browser();
        let password = self
            .passwords
            .get(email)
            .cloned()
            .unwrap_or_else(|| "long enough password".into());
        let (status, _) = b.login(email, &password).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "demo sign-in of {email}");
        b
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Browser {
    pub async fn get(&mut self, path: &str) -> (StatusCode, String) {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        let status = r.status();
        let body = r.text().await.unwrap();
        if let Some(token) = body
            .split("name=\"_csrf\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
        {
            self.csrf = token.to_owned();
        }
        (status, body)
    }

    pub async fn get_lang(&mut self, path: &str, accept: &str) -> String {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .header("accept-language", accept)
            .send()
            .await
            .unwrap();
        r.text().await.unwrap()
    }

    /// Posts a form with the CSRF token of the last page seen (fetching `/` first if none was).
    pub async fn post(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
    ) -> (StatusCode, String, Option<String>) {
        if self.csrf.is_empty() {
            self.get("/").await;
        }
        let mut form: Vec<(&str, &str)> = vec![("_csrf", &self.csrf)];
        form.extend_from_slice(fields);
        let body = serde_urlencoded::to_string(&form).unwrap();
        self.post_raw(path, body).await
    }

    pub async fn post_raw(
        &mut self,
        path: &str,
        body: String,
    ) -> (StatusCode, String, Option<String>) {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        answer(r).await
    }

    /// Posts a multipart form — the field `file` and text fields — with the CSRF token of the last page
    /// seen in the query string, as the upload forms do.
    pub async fn post_multipart(
        &mut self,
        path: &str,
        file_name: &str,
        bytes: Vec<u8>,
        fields: &[(&str, &str)],
    ) -> (StatusCode, String, Option<String>) {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_owned());
        let mut form = reqwest::multipart::Form::new().part("file", part);
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        let r = self
            .http
            .post(format!("{}{path}?_csrf={}", self.base, self.csrf))
            .multipart(form)
            .send()
            .await
            .unwrap();
        answer(r).await
    }

    pub async fn login(&mut self, email: &str, password: &str) -> (StatusCode, String) {
        self.get("/login").await;
        let (status, body, _) = self
            .post(
                "/login",
                &[
                    ("email", email),
                    ("password", password),
                    ("next", "/account"),
                ],
            )
            .await;
        (status, body)
    }

    pub async fn register(&mut self, name: &str, email: &str, password: &str) -> StatusCode {
        self.get("/register").await;
        let fields = [
            ("display_name", name),
            ("email", email),
            ("password", password),
            ("password_confirm", password),
        ];
        self.post("/register", &fields).await.0
    }
}

/// A response's status, body and `Location`.
async fn answer(r: reqwest::Response) -> (StatusCode, String, Option<String>) {
    let status = r.status();
    let location = r
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned());
    (status, r.text().await.unwrap(), location)
}

/// A bearer token for a demo account, from the API.
pub async fn token(app: &App, email: &str) -> String {
    token_for(app, email, &app.passwords[email]).await
}

/// A bearer token of an account the tests registered (with the password [`verified_resident`] uses).
pub async fn registered_token(app: &App, email: &str) -> String {
    token_for(app, email, "long enough password").await
}

async fn token_for(app: &App, email: &str, password: &str) -> String {
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/auth/token"))
        .json(&serde_json::json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap();
    r.json::<serde_json::Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

pub fn official_email() -> &'static str {
    "official@demo.maeul.kr"
}

/// The id in a `/proposals/{id}?…` redirect.
pub fn proposal_id(location: &str) -> i64 {
    location
        .trim_start_matches("/proposals/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// Creates and accepts a proposal by the demo resident in Jongno-gu; returns its id.
pub async fn accepted_proposal(app: &App, resident: &mut Browser, title: &str) -> i64 {
    resident.get("/scopes/11110/proposals/new").await;
    let fields = [
        ("title", title),
        ("category", "environment"),
        ("body", "본문"),
        ("submit", "submit"),
    ];
    let (_, _, location) = resident.post("/scopes/11110/proposals", &fields).await;
    let id = proposal_id(location.as_deref().unwrap());
    let mut moderator = app.signed_in("moderator@demo.maeul.kr").await;
    moderator.get(&format!("/proposals/{id}")).await;
    let (status, _, _) = moderator
        .post(&format!("/proposals/{id}/accept"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    id
}

pub async fn upload_register(b: &Browser, csv: &str) -> (StatusCode, String) {
    let part = reqwest::multipart::Part::text(csv.to_owned())
        .file_name("register.csv")
        .mime_str("text/csv")
        .unwrap();
    let form = reqwest::multipart::Form::new().part("file", part);
    let r = b
        .http
        .post(format!("{}/manage/register?_csrf={}", b.base, b.csrf))
        .multipart(form)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

/// An account row with a handle made from the e-mail (no password can match its hash).
pub fn new_user<'a>(email: &'a str, display_name: &'a str) -> maeul_db::users::NewUser<'a> {
    maeul_db::users::NewUser {
        email,
        display_name,
        handle: email.split('@').next().unwrap(),
        password_hash: "$argon2id$not-a-real-hash",
        lang: "ko",
    }
}

/// A meeting's start in half an hour and its end two hours later: (the form's local time, iCal UTC).
pub fn soon() -> ((String, String), (String, String)) {
    use maeul_domain::time;
    // Whole minutes, as the form gives them.
    let start = (time::now() / 60 + 30) * 60;
    let end = start + 2 * time::HOUR;
    (
        (time::format_local_input(start), time::ical_utc(start)),
        (time::format_local_input(end), time::ical_utc(end)),
    )
}

pub fn id_after(location: &Option<String>, prefix: &str) -> i64 {
    location
        .as_deref()
        .and_then(|l| l.strip_prefix(prefix))
        .and_then(|l| l.split('?').next())
        .and_then(|l| l.parse().ok())
        .unwrap_or_else(|| panic!("no id in {location:?}"))
}

pub async fn committee_named(app: &App, scope: &str, name_part: &str) -> i64 {
    let tree = maeul_domain::ScopeTree::new(app.db.load_scopes().await.unwrap()).unwrap();
    let scope = tree.by_code(scope).unwrap().id;
    app.db
        .committees_in_scope(scope)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.name.contains(name_part))
        .unwrap()
        .id
}

/// A new account, signed in, with a verified residence in `dong`.
pub async fn verified_resident(app: &App, name: &str, email: &str, dong: &str) -> (Browser, i64) {
    let mut b = app.browser();
    assert_eq!(
        b.register(name, email, "long enough password").await,
        StatusCode::SEE_OTHER
    );
    let user = app.db.user_by_email(email).await.unwrap().unwrap();
    let tree = maeul_domain::ScopeTree::new(app.db.load_scopes().await.unwrap()).unwrap();
    let scope = tree.by_code(dong).unwrap().id;
    app.db
        .declare_residency(user.id, scope, maeul_domain::ResidencyBasis::Resident, None)
        .await
        .unwrap();
    let official = app
        .db
        .user_by_email(official_email())
        .await
        .unwrap()
        .unwrap();
    app.db
        .decide_residency(
            user.id,
            maeul_domain::residency::ResidencyDecision::Verify,
            official.id,
            None,
        )
        .await
        .unwrap();
    (b, user.id)
}

/// `n` accounts, each with a live session, as browsers ready to post (no password hashing: sessions are
/// made in the database, the CSRF cookie is set by hand).
pub async fn session_browsers(app: &App, prefix: &str, n: usize) -> Vec<(i64, Browser)> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let email = format!("{prefix}{i}@example.kr");
        let id = app
            .db
            .create_user(&new_user(&email, &format!("{prefix} {i}")))
            .await
            .unwrap();
        let token = maeul_db::secrets::random_token();
        app.db
            .create_session(
                id,
                &maeul_db::secrets::token_hash(&token),
                maeul_db::now() + 3600,
            )
            .await
            .unwrap();
        let csrf = maeul_db::secrets::random_token();
        let jar = reqwest::cookie::Jar::default();
        let url: reqwest::Url = app.base.parse().unwrap();
        jar.add_cookie_str(&format!("maeul_session={token}; Path=/"), &url);
        jar.add_cookie_str(&format!("maeul_csrf={csrf}; Path=/"), &url);
        let http = reqwest::Client::builder()
            .cookie_provider(std::sync::Arc::new(jar))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        out.push((
            id,
            Browser {
                http,
                base: app.base.clone(),
                csrf,
            },
        ));
    }
    out
}

/// Declares and verifies (by the demo's official) each of `users` as a resident of neighbourhood `code`.
pub async fn verify_residents(app: &App, users: Vec<i64>, code: &str) {
    let scope = app.state.scopes().by_code(code).unwrap().id;
    let official = app
        .db
        .user_by_email(official_email())
        .await
        .unwrap()
        .unwrap()
        .id;
    for id in users {
        app.db
            .declare_residency(id, scope, maeul_domain::ResidencyBasis::Resident, None)
            .await
            .unwrap();
        app.db
            .decide_residency(
                id,
                maeul_domain::residency::ResidencyDecision::Verify,
                official,
                None,
            )
            .await
            .unwrap();
    }
}
