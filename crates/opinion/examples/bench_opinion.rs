//! Benchmark of the opinion engine (run by bench/opinion/run.sh, release build).
//!
//! Usage: bench_opinion DATA_DIR [REPEATS]
//! Prints, per shared conversation: best-of-REPEATS full recompute time with each step, and the time of one
//! incremental update after a single new vote; then the same for a synthetic conversation of 1,000,000 votes
//! (50,000 participants × 1,000 statements, three planted opinion camps).
//! `bench_opinion --scaling VOTES` times one synthetic conversation of that size (bench/opinion/README.md's
//! scaling table); `bench_opinion --memory N` measures N live incremental states of 1,000 × 100.
use std::path::PathBuf;
use std::time::Instant;

use maeul_opinion::engine::StepTimings;
use maeul_opinion::pca::SplitMix64;
use maeul_opinion::{
    Conversation, OpinionState, Options, Vote, VoteEvent, analyze, read_export_dir,
};

fn ms(seconds: f64) -> String {
    format!("{:8.2}", seconds * 1e3)
}

fn print_row(name: &str, read: f64, t: &StepTimings, k: usize, products: usize, incremental: f64) {
    println!(
        "{name:30} read {} | total {} = admission {} pca {} projection {} base {} groups {} stats {} | k={k} pca-products={products} | incremental update {} ms",
        ms(read),
        ms(t.total),
        ms(t.admission),
        ms(t.pca),
        ms(t.projection),
        ms(t.base_clusters),
        ms(t.group_clusters),
        ms(t.statistics),
        ms(incremental)
    );
}

/// Best of `repeats` full recomputes: (step timings, k, PCA products, wall time of `analyze` = matrix build + update).
fn best_of(conversation: &Conversation, repeats: usize) -> (StepTimings, usize, usize, f64) {
    let mut best: Option<(StepTimings, usize, usize)> = None;
    let mut best_wall = f64::INFINITY;
    for _ in 0..repeats {
        let started = Instant::now();
        let analysis = analyze(conversation, &Options::default());
        best_wall = best_wall.min(started.elapsed().as_secs_f64());
        if best.is_none_or(|(b, _, _)| analysis.timings.total < b.total) {
            best = Some((analysis.timings, analysis.k, analysis.pca.iterations));
        }
    }
    let (timings, k, products) = best.expect("at least one repeat");
    (timings, k, products, best_wall)
}

/// One update after a single new vote, on a state that has already absorbed every vote and been updated once.
fn incremental_update(conversation: &Conversation) -> f64 {
    let mut state = OpinionState::new(&conversation.statements, Options::default());
    let events = conversation.votes_in_time_order();
    for event in &events {
        state.add_vote(event);
    }
    state.update();
    let last = *events.last().expect("votes");
    let participant = state.matrix().participants()[0];
    let statement = state.matrix().statements()[state.matrix().n_columns() - 1];
    let mut best = f64::INFINITY;
    for i in 0..5 {
        let vote = if i % 2 == 0 {
            Vote::Agree
        } else {
            Vote::Disagree
        };
        state.add_vote(&VoteEvent {
            time: last.time + 1 + i,
            participant,
            statement,
            vote,
        });
        let started = Instant::now();
        let analysis = state.update();
        best = best.min(started.elapsed().as_secs_f64());
        if std::env::var_os("BENCH_DEBUG").is_some() {
            eprintln!(
                "incremental: {:?} products {}",
                analysis.timings, analysis.pca.iterations
            );
        }
    }
    best
}

fn synthetic(
    participants: u64,
    statements: u64,
    votes_per_participant: u64,
    seed: u64,
) -> Conversation {
    let mut rng = SplitMix64::new(seed);
    // Each statement has an agree probability per camp.
    let camp_agree: Vec<[f64; 3]> = (0..statements)
        .map(|_| [rng.next_f64(), rng.next_f64(), rng.next_f64()])
        .collect();
    let mut votes = Vec::with_capacity((participants * votes_per_participant) as usize);
    let mut time = 0;
    for p in 0..participants {
        let camp = (rng.next_u64() % 3) as usize;
        let mut seen = std::collections::HashSet::new();
        while (seen.len() as u64) < votes_per_participant {
            let s = rng.next_u64() % statements;
            if !seen.insert(s) {
                continue;
            }
            let r = rng.next_f64();
            let vote = if r < 0.1 {
                Vote::Pass
            } else if rng.next_f64() < camp_agree[s as usize][camp] {
                Vote::Agree
            } else {
                Vote::Disagree
            };
            time += 1;
            votes.push(VoteEvent {
                time,
                participant: p,
                statement: s,
                vote,
            });
        }
    }
    Conversation {
        votes,
        ..Conversation::default()
    }
}

/// Resident memory of this process (kB), from /proc (Linux); 0 elsewhere.
fn resident_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// `--scaling VOTES`: one synthetic conversation of VOTES votes (20 per participant; 100, 300 or 1,000
/// statements for 10k, 100k, 1M votes): full analysis and one incremental update after a new vote.
fn scaling(votes: u64) {
    let statements = match votes {
        0..=20_000 => 100,
        20_001..=200_000 => 300,
        _ => 1_000,
    };
    let conversation = synthetic(votes / 20, statements, 20, 1);
    let started = Instant::now();
    let analysis = analyze(&conversation, &Options::default());
    let whole = started.elapsed().as_secs_f64();
    println!(
        "scaling {votes} votes ({} participants x {statements} statements): analyze {} ms (update {} ms: pca {} base {}), k={}, incremental update {} ms",
        votes / 20,
        ms(whole),
        ms(analysis.timings.total),
        ms(analysis.timings.pca),
        ms(analysis.timings.base_clusters),
        analysis.k,
        ms(incremental_update(&conversation))
    );
}

/// `--memory CONVERSATIONS`: resident memory of that many live incremental states of 1,000 participants ×
/// 100 statements, everyone voting on every statement (the platform's worst case for such a conversation).
fn memory(conversations: usize) {
    let before = resident_kib();
    let mut states = Vec::with_capacity(conversations);
    for c in 0..conversations {
        let conversation = synthetic(1_000, 100, 100, c as u64 + 7);
        let mut state = OpinionState::new(&conversation.statements, Options::default());
        state.apply_vote_events(&conversation.votes);
        state.update();
        states.push(state);
    }
    let after = resident_kib();
    println!(
        "memory: {conversations} live states of 1,000 participants x 100 statements (100,000 votes each): {} KiB resident in all, {} bytes per conversation",
        after.saturating_sub(before),
        after.saturating_sub(before) * 1024 / conversations.max(1) as u64
    );
    drop(states);
}

fn main() {
    let all: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = all.iter().position(|a| a == "--scaling") {
        scaling(all[i + 1].parse().expect("--scaling VOTES"));
        return;
    }
    if let Some(i) = all.iter().position(|a| a == "--memory") {
        memory(all[i + 1].parse().expect("--memory CONVERSATIONS"));
        return;
    }
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "../shared/data/polis".into()));
    let repeats: usize = args
        .next()
        .map_or(5, |s| s.parse().expect("REPEATS must be a number"));
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("data dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    println!("times in ms (best of {repeats} runs; release build)");
    for name in names {
        let started = Instant::now();
        let conversation = read_export_dir(&dir.join(&name)).expect("export");
        let read = started.elapsed().as_secs_f64();
        let (timings, k, products, wall) = best_of(&conversation, repeats);
        print_row(
            &name,
            read,
            &timings,
            k,
            products,
            incremental_update(&conversation),
        );
        println!("{name:30} analyze (matrix build + update) {} ms", ms(wall));
    }
    let started = Instant::now();
    let conversation = synthetic(50_000, 1_000, 20, 1);
    let generated = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let analysis = analyze(&conversation, &Options::default());
    let whole = started.elapsed().as_secs_f64();
    println!(
        "synthetic 1M votes: generated in {} ms; analyze (matrix build + update) {} ms",
        ms(generated),
        ms(whole)
    );
    print_row(
        "synthetic-1M (update only)",
        whole - analysis.timings.total,
        &analysis.timings,
        analysis.k,
        analysis.pca.iterations,
        incremental_update(&conversation),
    );
}
