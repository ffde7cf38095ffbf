//! The harness both server suites share: the real server on a free port with the demo city, a
//! browser-like client, and `backend_tests!`, which runs each test on SQLite and on PostgreSQL.
// Each test binary uses a part of this module; what one leaves unused is not dead.
#![allow(dead_code)]

use std::collections::HashMap;
use std::net::SocketAddr;

use maeul_db::testing::TestDb;
use maeul_db::{Backend, Db};
use reqwest::StatusCode;
use reqwest::redirect::Policy;

/// Defines `mod sqlite { #[tokio::test] fn name }` and `mod postgres { … }` for each listed test, each
/// given a fresh running `App`.
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { if let Some(app) = super::App::start(maeul_db::Backend::Sqlite).await { super::$name(app).await } }) *
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { if let Some(app) = super::App::start(maeul_db::Backend::Postgres).await { super::$name(app).await } }) *
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
    _db_guard: TestDb,
}

/// A browser-like client: keeps cookies, does not follow redirects (so tests see them).
pub struct Browser {
    pub http: reqwest::Client,
    pub base: String,
    pub csrf: String,
}

impl App {
    pub async fn start(backend: Backend) -> Option<App> {
        let t = TestDb::new(backend).await?;
        let credentials = maeul_web::demo::seed(&t.db)
            .await
            .unwrap()
            .expect("fresh database gets demo accounts");
        let passwords = credentials
            .into_iter()
            .map(|c| (c.email, c.password))
            .collect();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let config = maeul_web::Config {
            base_url: base.clone(),
            secure_cookies: false,
            demo: true,
        };
        let state = maeul_web::AppState::new(t.db.clone(), config)
            .await
            .unwrap();
        let app = maeul_web::router(state.clone());
        tokio::spawn(async move {
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
            .unwrap();
        });
        Some(App {
            base,
            state,
            db: t.db.clone(),
            passwords,
            _db_guard: t,
        })
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
        let status = r.status();
        let location = r
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned());
        (status, r.text().await.unwrap(), location)
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

/// A bearer token for a demo account, from the API.
pub async fn token(app: &App, email: &str) -> String {
    let r = reqwest::Client::new()
        .post(app.url("/api/v1/auth/token"))
        .json(&serde_json::json!({"email": email, "password": app.passwords[email]}))
        .send()
        .await
        .unwrap();
    r.json::<serde_json::Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned()
}
