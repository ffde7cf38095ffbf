//! Fuzzing of the Pol.is export readers (comments.csv, votes.csv, participants-votes.csv) with the stable
//! toolchain: a structure-aware mutation loop, run by `fuzz/run.sh`.
//!
//! `fuzz_export SECONDS [SEED]` mutates the real exports in `tests/fixtures` (bytes flipped, inserted,
//! deleted; lines dropped, duplicated, swapped, truncated; fields replaced by hostile values; headers
//! reordered) and feeds each mutant to its reader. A reader may reject input (with an error naming file
//! and line) but must not panic; whatever it accepts must analyse without panicking, and the latest votes
//! of a votes.csv must not depend on the order of its rows. A failing input is written to
//! `fuzz-export-failure-*.csv` and the program exits with status 1.
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::time::{Duration, Instant};

use maeul_opinion::export::{read_comments, read_participant_votes, read_votes};
use maeul_opinion::matrix::VoteMatrix;
use maeul_opinion::pca::SplitMix64;
use maeul_opinion::{Conversation, Options, analyze};

const HOSTILE_FIELDS: &[&str] = &[
    "",
    "-1",
    "0",
    "1",
    "2",
    "-2",
    "7",
    "1.0",
    "1e400",
    "-0",
    "NaN",
    "inf",
    "9223372036854775807",
    "18446744073709551616",
    "-9223372036854775808",
    "\"",
    "\"\"",
    "a,b",
    "\n",
    " 1 ",
    "１",
    "true",
];

#[derive(Clone, Copy)]
enum Reader {
    Comments,
    Votes,
    ParticipantVotes,
}

fn below(rng: &mut SplitMix64, n: usize) -> usize {
    (rng.next_u64() % n.max(1) as u64) as usize
}

fn mutate(rng: &mut SplitMix64, input: &[u8]) -> Vec<u8> {
    let mut data = input.to_vec();
    for _ in 0..1 + below(rng, 4) {
        match below(rng, 8) {
            0 if !data.is_empty() => {
                let i = below(rng, data.len());
                data[i] ^= 1 << below(rng, 8);
            }
            1 => {
                let i = below(rng, data.len() + 1);
                let byte = *b",\"\n\r-0123456789 \xff"
                    .get(below(rng, 16))
                    .unwrap_or(&b'x');
                data.insert(i, byte);
            }
            2 if !data.is_empty() => {
                let i = below(rng, data.len());
                let len = below(rng, 16).min(data.len() - i);
                data.drain(i..i + len);
            }
            3 => data.truncate(below(rng, data.len() + 1)),
            _ => {
                // Line-level and field-level edits.
                let text = String::from_utf8_lossy(&data).into_owned();
                let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
                if lines.is_empty() {
                    continue;
                }
                let i = below(rng, lines.len());
                match below(rng, 5) {
                    0 => {
                        lines.remove(i);
                    }
                    1 => {
                        let line = lines[i].clone();
                        lines.insert(below(rng, lines.len() + 1), line);
                    }
                    2 => {
                        let j = below(rng, lines.len());
                        lines.swap(i, j);
                    }
                    3 => {
                        let mut fields: Vec<String> =
                            lines[i].split(',').map(str::to_string).collect();
                        fields.reverse(); // headers and rows out of order
                        lines[i] = fields.join(",");
                    }
                    _ => {
                        let mut fields: Vec<String> =
                            lines[i].split(',').map(str::to_string).collect();
                        let f = below(rng, fields.len());
                        fields[f] = HOSTILE_FIELDS[below(rng, HOSTILE_FIELDS.len())].to_string();
                        lines[i] = fields.join(",");
                    }
                }
                data = lines.join("\n").into_bytes();
                data.push(b'\n');
            }
        }
    }
    data
}

/// Feeds one input to a reader and checks what an accepted input must satisfy.
fn check(reader: Reader, data: &[u8]) {
    let file = Path::new("fuzz.csv");
    match reader {
        Reader::Comments => {
            if let Ok(statements) = read_comments(file, data) {
                let conversation = Conversation {
                    statements,
                    ..Conversation::default()
                };
                let _ = conversation.moderated_out();
            }
        }
        Reader::Votes => {
            if let Ok(votes) = read_votes(file, data) {
                let mut reversed = votes.clone();
                reversed.reverse();
                let (a, b) = (
                    VoteMatrix::from_events(&votes),
                    VoteMatrix::from_events(&reversed),
                );
                assert_eq!(
                    a.n_votes(),
                    b.n_votes(),
                    "row order changed the latest votes"
                );
                if votes.len() <= 5_000 {
                    let conversation = Conversation {
                        votes,
                        ..Conversation::default()
                    };
                    let analysis = analyze(&conversation, &Options::default());
                    assert!(analysis.projections.iter().flatten().all(|x| x.is_finite()));
                }
            }
        }
        Reader::ParticipantVotes => {
            if let Ok(pv) = read_participant_votes(file, data)
                && pv.votes.len() <= 5_000
            {
                let conversation = Conversation {
                    votes: pv.votes,
                    exported_groups: pv.groups,
                    ..Conversation::default()
                };
                let _ = analyze(&conversation, &Options::default());
            }
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let seconds: u64 = args.next().map_or(30, |s| s.parse().expect("SECONDS"));
    let seed: u64 = args
        .next()
        .map_or(0x0F1A_2B3C, |s| s.parse().expect("SEED"));
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut corpus: Vec<(Reader, Vec<u8>)> = Vec::new();
    for folder in ["15-per-hour-seattle", "bg2050-volunteers"] {
        for (reader, name) in [
            (Reader::Comments, "comments.csv"),
            (Reader::Votes, "votes.csv"),
            (Reader::ParticipantVotes, "participants-votes.csv"),
        ] {
            let path = fixtures.join(folder).join(name);
            if let Ok(bytes) = std::fs::read(&path) {
                // Keep mutants small enough to run many per second: the header and up to 400 lines.
                let text = String::from_utf8_lossy(&bytes);
                let head: String = text.lines().take(400).map(|l| format!("{l}\n")).collect();
                corpus.push((reader, head.into_bytes()));
            }
        }
    }
    assert!(
        !corpus.is_empty(),
        "no seed inputs found in {}",
        fixtures.display()
    );
    std::panic::set_hook(Box::new(|_| {})); // failures are reported below, with the input
    let mut rng = SplitMix64::new(seed);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut runs = 0u64;
    while Instant::now() < deadline {
        let (reader, base) = &corpus[below(&mut rng, corpus.len())];
        let data = mutate(&mut rng, base);
        if catch_unwind(AssertUnwindSafe(|| check(*reader, &data))).is_err() {
            let out = format!("fuzz-export-failure-{seed}-{runs}.csv");
            std::fs::write(&out, &data).expect("write the failing input");
            eprintln!(
                "fuzz_export: a reader panicked (input saved to {out}; seed {seed}, run {runs})"
            );
            std::process::exit(1);
        }
        runs += 1;
    }
    println!("fuzz_export: {runs} inputs in {seconds} s, no panic (seed {seed})");
}
