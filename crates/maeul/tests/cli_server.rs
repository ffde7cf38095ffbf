//! The `maeul` binary as an operator runs it: serve with the demo, answer, shut down gracefully on SIGTERM,
//! seed only once, back up a live database, and explain itself in `--help`.
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_maeul");

fn temp_db() -> std::path::PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    std::env::temp_dir().join(format!("maeul-cli-{}-{nanos}.db", std::process::id()))
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `maeul serve --demo` and returns it with everything it printed up to "serving".
fn serve(db: &std::path::Path, port: u16) -> (Child, String) {
    let mut child = Command::new(BIN)
        .args([
            "serve",
            "--demo",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--database",
        ])
        .arg(format!("sqlite://{}", db.display()))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut printed = String::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !printed.contains("maeul is serving") {
        assert!(Instant::now() < deadline, "server did not start: {printed}");
        let mut line = String::new();
        if out.read_line(&mut line).unwrap() == 0 {
            panic!("server exited: {printed}");
        }
        printed.push_str(&line);
    }
    (child, printed)
}

fn get(port: u16, path: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Language: en\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

fn terminate(child: &mut Child) -> std::process::ExitStatus {
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "no graceful exit after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn demo_passwords(printed: &str) -> Vec<String> {
    printed
        .lines()
        .filter(|l| l.contains("@demo.maeul.kr"))
        .map(|l| l.split_whitespace().last().unwrap().to_owned())
        .collect()
}

#[test]
fn serves_the_demo_seeds_once_and_stops_gracefully() {
    let db = temp_db();
    let port = free_port();
    let (mut child, printed) = serve(&db, port);
    let passwords = demo_passwords(&printed);
    assert_eq!(passwords.len(), 7, "one account per role: {printed}");
    let health = get(port, "/healthz");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(
        health.ends_with(r#"{"status":"ok","database":"sqlite"}"#),
        "{health}"
    );
    let home = get(port, "/");
    assert!(home.contains("Seoul decides with its residents"));
    assert!(
        terminate(&mut child).success(),
        "SIGTERM ends the server cleanly"
    );

    // Restarting with --demo on the same database seeds nothing new and prints the same passwords.
    let (mut again, printed_again) = serve(&db, port);
    assert_eq!(demo_passwords(&printed_again), passwords);
    let scopes = get(port, "/api/v1/scopes");
    assert_eq!(
        scopes.matches("\"code\"").count(),
        452,
        "no duplicated scopes"
    );

    // A backup taken while the server runs opens and holds the city.
    let copy = db.with_extension("backup.db");
    let status = Command::new(BIN)
        .args(["backup", copy.to_str().unwrap(), "--database"])
        .arg(format!("sqlite://{}", db.display()))
        .status()
        .unwrap();
    assert!(status.success());
    let migrate = Command::new(BIN)
        .args(["migrate", "--database"])
        .arg(format!("sqlite://{}", copy.display()))
        .output()
        .unwrap();
    assert!(
        migrate.status.success(),
        "the copy is a valid, migratable database"
    );
    assert!(terminate(&mut again).success());
    for path in [&db, &copy] {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
}

#[test]
fn bad_database_urls_are_named_and_passwords_hidden() {
    let out = Command::new(BIN)
        .args(["migrate", "--database", "mysql://root:hunter2@localhost/x"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unsupported database URL"), "{stderr}");
    assert!(
        !stderr.contains("hunter2"),
        "the password must not be printed: {stderr}"
    );
}

#[test]
fn help_documents_every_command() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for command in [
        "serve",
        "demo",
        "migrate",
        "backup",
        "pb",
        "opinion",
        "sortition",
    ] {
        assert!(
            help.contains(command),
            "`maeul --help` does not mention {command}"
        );
    }
    let serve = Command::new(BIN)
        .args(["serve", "--help"])
        .output()
        .unwrap();
    let serve = String::from_utf8_lossy(&serve.stdout);
    for flag in [
        "--bind",
        "--database",
        "--demo",
        "--smtp-url",
        "DATABASE_URL",
    ] {
        assert!(
            serve.contains(flag),
            "`maeul serve --help` does not document {flag}"
        );
    }
}

/// A mistyped database path is refused: no empty database is created and reported as backed up.
#[test]
fn backup_of_a_missing_database_refuses_and_creates_nothing() {
    let missing = temp_db();
    let copy = missing.with_extension("copy.db");
    let out = Command::new(BIN)
        .args(["backup", copy.to_str().unwrap(), "--database"])
        .arg(format!("sqlite://{}", missing.display()))
        .output()
        .unwrap();
    assert!(!out.status.success(), "a missing database is an error");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no database at"), "{stderr}");
    assert!(!missing.exists(), "no empty database was created");
    assert!(!copy.exists(), "no copy was written");
}

/// The JSON body of a raw HTTP response from [`get`].
fn json_body(response: &str) -> serde_json::Value {
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    let (_, body) = response.split_once("\r\n\r\n").expect("a body");
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

fn pb_import(db: &std::path::Path, file: &std::path::Path, scope: &str) -> std::process::Output {
    Command::new(BIN)
        .args(["pb", "import"])
        .arg(file)
        .args(["--scope", scope, "--title", "2023 참여예산 (imported)"])
        .args(["--rule", "mes_cost", "--database"])
        .arg(format!("sqlite://{}", db.display()))
        .output()
        .unwrap()
}

/// `maeul pb import` adds a counted historical election to a scope's envelope; a malformed file or an
/// unknown scope is named and stores nothing. The served API then shows the election with the result
/// `maeul pb tally` gives on the same file.
#[test]
fn pb_import_adds_a_counted_election_and_refuses_bad_files() {
    let db = temp_db();
    let port = free_port();
    let (mut child, _) = serve(&db, port);
    let before = json_body(&get(port, "/api/v1/budgets"));
    assert!(terminate(&mut child).success());

    let dir = db.with_extension("pb.d");
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.pb");
    std::fs::write(&good, "META\nkey;value\nbudget;1000\nvote_type;approval\nnum_projects;2\nnum_votes;2\nPROJECTS\nproject_id;cost;name\n1;600;마을 정원\n2;500;골목 벤치\nVOTES\nvoter_id;vote\n1;1\n2;1,2\n").unwrap();
    let bad = dir.join("bad.pb");
    std::fs::write(&bad, "META\nkey;value\nbudget;1000\nvote_type;approval\nPROJECTS\nproject_id;cost;name\n1;six hundred;마을 정원\nVOTES\nvoter_id;vote\n1;1\n").unwrap();

    let refused = pb_import(&db, &bad, "11110");
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("line") && stderr.contains("nothing was imported"),
        "{stderr}"
    );
    let unknown = pb_import(&db, &good, "99999");
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no scope 99999"));
    let imported = pb_import(&db, &good, "11110");
    let stdout = String::from_utf8_lossy(&imported.stdout);
    assert!(
        imported.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&imported.stderr)
    );
    let id: i64 = stdout
        .trim()
        .strip_prefix("imported as budget ")
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{stdout}"));

    let tally = Command::new(BIN)
        .args(["pb", "tally"])
        .arg(&good)
        .args(["--rule", "mes_cost", "--json"])
        .output()
        .unwrap();
    let tally: serde_json::Value = serde_json::from_slice(&tally.stdout).unwrap();
    let (mut again, _) = serve(&db, port);
    let after = json_body(&get(port, "/api/v1/budgets"));
    assert_eq!(
        after.as_array().unwrap().len(),
        before.as_array().unwrap().len() + 1,
        "exactly one election was added"
    );
    let process = after
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == id)
        .unwrap();
    assert_eq!(process["state"], "tallied");
    assert_eq!(process["scope_code"], "11110");
    // The stored selection, by project name, is the one the engine gives on the file.
    let projects = json_body(&get(port, &format!("/api/v1/budgets/{id}/projects")));
    let title_of = |project: &serde_json::Value| {
        projects
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == *project)
            .map(|p| p["title"].as_str().unwrap().to_owned())
    };
    let result = json_body(&get(port, &format!("/api/v1/budgets/{id}/result")));
    let stored: Vec<_> = result["selected"]
        .as_array()
        .unwrap()
        .iter()
        .map(title_of)
        .collect();
    let names = ["마을 정원", "골목 벤치"];
    let counted: Vec<_> = tally["selected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let n: usize = p.as_str().unwrap().parse().unwrap();
            Some(names[n - 1].to_owned())
        })
        .collect();
    assert!(
        !counted.is_empty(),
        "the engine selected something to compare"
    );
    assert_eq!(stored, counted);
    assert!(terminate(&mut again).success());
    let _ = std::fs::remove_dir_all(&dir);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
}
