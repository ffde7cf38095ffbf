//! Prints the ARI of our groups against Pol.is's exported group ids on every shared conversation,
//! from scratch and in replay mode. Usage: `cargo run --release -p maeul-opinion --example ari_report [DATA_DIR] [EVERY]`.
use std::path::PathBuf;

use maeul_opinion::compare::compare_groups;
use maeul_opinion::{Options, analyze, read_export_dir, replay};

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "../shared/data/polis".into()));
    let every: usize = args
        .next()
        .map_or(50, |s| s.parse().expect("EVERY must be a number"));
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("data dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    // Optional variants: MIN_VOTES (admission threshold) and PLAIN=1 (no sparsity scaling).
    let mut options = Options::default();
    if let Ok(v) = std::env::var("MIN_VOTES") {
        options.min_votes_to_join = v.parse().expect("MIN_VOTES must be a number");
    }
    if std::env::var_os("PLAIN").is_some() {
        options.sparsity_scaling = false;
    }
    for name in names {
        let conversation = read_export_dir(&dir.join(&name)).expect("export");
        let scratch = analyze(&conversation, &options);
        let a = compare_groups(&scratch.participant_groups(), &conversation.exported_groups);
        let replayed = replay(&conversation, every, &options);
        let b = compare_groups(
            &replayed.participant_groups(),
            &conversation.exported_groups,
        );
        println!(
            "{name:32} scratch k={} ARI={:.3} (both {}, polis-only {}, ours-only {}) {:.1} ms | replay/{every} k={} ARI={:.3} (both {}, polis-only {}, ours-only {})",
            scratch.k,
            a.ari,
            a.both,
            a.reference_only,
            a.ours_only,
            scratch.timings.total * 1e3,
            replayed.k,
            b.ari,
            b.both,
            b.reference_only,
            b.ours_only
        );
    }
}
