//! Build script shared by the crates whose tests compare against the shared data (`../shared`): when that folder
//! is absent, it sets `cfg(shared_data_absent)`, and those tests carry
//! `#[cfg_attr(shared_data_absent, ignore = "...")]` so that the harness reports them as ignored (skipped),
//! never as passed. Under `CI=true` the cfg is never set: the tests run and fail if the data is missing.
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo::rustc-check-cfg=cfg(shared_data_absent)");
    println!("cargo::rerun-if-env-changed=MAEUL_SHARED");
    println!("cargo::rerun-if-env-changed=CI");
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let shared = std::env::var_os("MAEUL_SHARED")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| nearest_shared(&manifest));
    let data = shared.join("data");
    println!("cargo::rerun-if-changed={}", data.display());
    let in_ci = std::env::var("CI").as_deref() == Ok("true");
    if !data.is_dir() && !in_ci {
        println!("cargo::rustc-cfg=shared_data_absent");
        println!(
            "cargo::warning=shared data absent at {}: the tests that need it are reported as ignored",
            data.display()
        );
    }
}

/// `<repo>/../shared`, also from a git worktree elsewhere: the nearest ancestor holding `shared/data`.
fn nearest_shared(manifest: &Path) -> PathBuf {
    manifest
        .ancestors()
        .map(|a| a.join("shared"))
        .find(|s| s.join("data").is_dir())
        .unwrap_or_else(|| manifest.join("../../../shared"))
}
