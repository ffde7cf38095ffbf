//! `kill -9` under write load (issue 11): every write the server acknowledged is found after a restart,
//! on SQLite and on PostgreSQL. The real binary serves the demo city; clients post comments through the
//! API as fast as they can; the server is killed with SIGKILL mid-stream three times and restarted on
//! the same database; then every acknowledged comment id is looked up in the database.
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use maeul_db::Backend;
use maeul_db::testing::TestDb;

const BIN: &str = env!("CARGO_BIN_EXE_maeul");
const CLIENTS: usize = 16;
const KILLS: usize = 3;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `maeul serve --demo` on `url` and returns it with the demo accounts' passwords by e-mail.
fn serve(url: &str, port: u16) -> (Child, Vec<(String, String)>) {
    let mut child = Command::new(BIN)
        .args(["serve", "--demo", "--bind", &format!("127.0.0.1:{port}")])
        .args(["--database", url])
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut accounts = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        assert!(Instant::now() < deadline, "the server did not start");
        let mut line = String::new();
        assert_ne!(out.read_line(&mut line).unwrap(), 0, "the server exited");
        if line.contains("maeul is serving") {
            break;
        }
        if line.contains("@demo.maeul.kr") {
            let words: Vec<&str> = line.split_whitespace().collect();
            accounts.push((words[1].to_owned(), words[2].to_owned()));
        }
    }
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || {
        let mut sink = String::new();
        while out.read_line(&mut sink).unwrap_or(0) > 0 {
            sink.clear();
        }
    });
    (child, accounts)
}

async fn token(http: &reqwest::Client, base: &str, email: &str, password: &str) -> String {
    let response = http
        .post(format!("{base}/api/v1/auth/token"))
        .json(&serde_json::json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "token for {email}");
    let body: serde_json::Value = response.json().await.unwrap();
    body["token"].as_str().unwrap().to_owned()
}

/// Posts comments from `CLIENTS` clients until the server stops answering; returns the acknowledged ids.
async fn write_until_killed(
    base: String,
    tokens: Vec<String>,
    proposal: i64,
    round: usize,
) -> Vec<i64> {
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let mut clients = Vec::new();
    for client in 0..CLIENTS {
        let (base, token) = (base.clone(), tokens[client % tokens.len()].clone());
        let acknowledged = acknowledged.clone();
        clients.push(tokio::spawn(async move {
            let http = reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .unwrap();
            for n in 0.. {
                let sent = http
                    .post(format!("{base}/api/v1/proposals/{proposal}/comments"))
                    .bearer_auth(&token)
                    .json(&serde_json::json!({"body": format!("내구성 {round}-{client}-{n}")}))
                    .send()
                    .await;
                let Ok(response) = sent else { break };
                let status = response.status();
                assert!(
                    !status.is_server_error(),
                    "a write failed with {status} before the kill"
                );
                if status != 201 {
                    continue;
                }
                // The server may die between sending the status and the body: only a read body counts.
                let Ok(body) = response.json::<serde_json::Value>().await else {
                    break;
                };
                acknowledged
                    .lock()
                    .unwrap()
                    .push(body["id"].as_i64().unwrap());
            }
        }));
    }
    for client in clients {
        client.await.unwrap();
    }
    Arc::try_unwrap(acknowledged).unwrap().into_inner().unwrap()
}

fn kill_9(child: &mut Child) {
    child.kill().unwrap(); // SIGKILL on Unix: no graceful shutdown, no flush.
    child.wait().unwrap();
}

fn acknowledged_writes_survive_kill_9(backend: Backend) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let test_db = rt
        .block_on(TestDb::new(backend))
        .expect("a fresh database (the PostgreSQL trial is ignored when none can be had)");
    let url = test_db.url.clone();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let mut acknowledged = BTreeSet::new();
    let mut proposal = 0;
    for round in 0..KILLS {
        let (mut server, accounts) = serve(&url, port);
        assert_eq!(accounts.len(), 7, "the demo's accounts");
        let base_now = base.clone();
        let tokens = rt.block_on(async {
            let mut tokens = Vec::new();
            for (email, password) in &accounts {
                tokens.push(token(&http, &base_now, email, password).await);
            }
            tokens
        });
        if proposal == 0 {
            proposal = rt.block_on(async {
                for code in ["11110", "11"] {
                    let list: serde_json::Value = http
                        .get(format!("{base}/api/v1/scopes/{code}/proposals"))
                        .send()
                        .await
                        .unwrap()
                        .json()
                        .await
                        .unwrap();
                    if let Some(id) = list[0]["id"].as_i64() {
                        return id;
                    }
                }
                panic!("the demo has no public proposal in Jongno-gu or the city")
            });
        }
        let writers = rt.spawn(write_until_killed(base.clone(), tokens, proposal, round));
        // Let the writers get going, then kill the server in the middle of their stream.
        std::thread::sleep(Duration::from_millis(1500 + 500 * round as u64));
        kill_9(&mut server);
        let ids = rt.block_on(writers).unwrap();
        assert!(
            ids.len() >= 20,
            "round {round}: only {} writes were acknowledged before the kill",
            ids.len()
        );
        acknowledged.extend(ids);
    }
    // Every acknowledged write is in the database the killed servers left behind.
    let db = &test_db.db;
    let lost: Vec<i64> = rt.block_on(async {
        let mut lost = Vec::new();
        for id in &acknowledged {
            if db.comment(*id).await.unwrap().is_none() {
                lost.push(*id);
            }
        }
        lost
    });
    eprintln!(
        "{backend:?}: {} acknowledged comments over {KILLS} kill -9, {} lost",
        acknowledged.len(),
        lost.len()
    );
    assert!(lost.is_empty(), "acknowledged writes lost: {lost:?}");
    // And the restarted server serves them: it starts and answers on the same database.
    let (mut server, _) = serve(&url, port);
    let health = rt.block_on(async {
        http.get(format!("{base}/healthz"))
            .send()
            .await
            .unwrap()
            .status()
    });
    assert_eq!(health, 200);
    kill_9(&mut server);
    drop(test_db);
}

fn main() {
    let trials = [Backend::Sqlite, Backend::Postgres]
        .into_iter()
        .map(|backend| {
            let skip = backend == Backend::Postgres && !maeul_testkit::postgres_available();
            maeul_testkit::libtest_mimic::Trial::test(
                format!(
                    "durability::{}::acknowledged_writes_survive_kill_9",
                    backend.as_str()
                ),
                move || {
                    acknowledged_writes_survive_kill_9(backend);
                    Ok(())
                },
            )
            .with_ignored_flag(skip)
        })
        .collect();
    maeul_testkit::run(trials);
}
