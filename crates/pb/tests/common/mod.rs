//! Locating the shared pabulib data (`$MAEUL_SHARED` or `<repo>/../shared`), per the workspace test rules.
#![allow(dead_code)]
use std::path::PathBuf;

/// The shared pabulib directory (`$MAEUL_SHARED/data/pabulib`, or the nearest ancestor's
/// `shared/data/pabulib`). The tests that call this carry `#[cfg_attr(shared_data_absent, ignore)]`, set by the
/// build script when the data is absent, so reaching here without it is a failure, never a silent pass.
pub fn pabulib_dir() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let shared = std::env::var_os("MAEUL_SHARED")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            manifest
                .ancestors()
                .map(|a| a.join("shared"))
                .find(|s| s.join("data").is_dir())
                .unwrap_or_else(|| manifest.join("../../../shared"))
        });
    let dir = shared.join("data/pabulib");
    assert!(
        dir.is_dir(),
        "shared pabulib data absent at {}",
        dir.display()
    );
    dir
}

/// Every `.pb` file of the shared set with its `.expected.json`, sorted by name.
pub fn shared_files() -> Vec<(String, PathBuf, serde_json::Value)> {
    let dir = pabulib_dir();
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
    // A comparison over no files compares nothing: that is a failure, not a pass.
    assert!(!files.is_empty(), "no .pb files in {}", dir.display());
    files
}
