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
