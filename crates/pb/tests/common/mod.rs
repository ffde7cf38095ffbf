//! Locating the shared pabulib data (`$MAEUL_SHARED` or `<repo>/../shared`), per the workspace test rules.
#![allow(dead_code)]
use std::path::PathBuf;

/// The shared pabulib directory, or `None` (after saying so) when it is absent outside CI.
/// Panics when it is absent and `CI=true`: CI always has the shared data.
pub fn pabulib_dir() -> Option<PathBuf> {
    let shared = match std::env::var_os("MAEUL_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    };
    let dir = shared.join("data/pabulib");
    if dir.is_dir() {
        return Some(dir);
    }
    let message = format!(
        "shared pabulib data absent at {}: full-file tests skipped",
        dir.display()
    );
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{message} (CI=true requires it)");
    }
    eprintln!("{message}");
    None
}

/// Every `.pb` file of the shared set with its `.expected.json`, sorted by name.
pub fn shared_files() -> Vec<(String, PathBuf, serde_json::Value)> {
    let Some(dir) = pabulib_dir() else {
        return Vec::new();
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("readable shared dir") {
        let path = entry.expect("dir entry").path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if let Some(stem) = name.strip_suffix(".pb") {
            let expected_path = dir.join(format!("{stem}.expected.json"));
            let text = std::fs::read_to_string(&expected_path)
                .expect("every shared .pb has an expected.json");
            files.push((
                stem.to_string(),
                path,
                serde_json::from_str(&text).expect("valid expected.json"),
            ));
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}
