//! Stable-toolchain fuzzing of the `.pb` readers for a bounded time: random mutations (byte flips, inserted format
//! tokens, spliced lines, truncations) of seed files, each checked by `check_pb_input`; a failing input is saved
//! before the panic is reported.
//!
//! `pb_stable [--seconds N] [--seed S] [--save DIR] SEED_FILE...`
use std::panic;
use std::path::PathBuf;
use std::time::{Duration, Instant};

include!("../../pb_checks.rs");

/// xorshift64*: small, fast and deterministic for a seed (no dependency needed).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const TOKENS: &[&[u8]] = &[
    b"META\n", b"PROJECTS\n", b"VOTES\n", b"key;value\n", b"budget;", b"vote_type;", b"approval", b"cumulative",
    b"ordinal", b"scoring", b"choose-1", b"project_id;cost;name\n", b"voter_id;vote;points\n", b";", b",", b"\"",
    b"\n", b"\r\n", b"\r", b"\x0c", "\u{2028}".as_bytes(), b"10.5", b"-3", b"1/3", b"1e5", b"none", b" ",
    "\u{feff}".as_bytes(), b"max_length;", b"min_sum_points;", b"0", b"999999999999999999999999999999999999999999",
    "ą".as_bytes(), b"\xff",
];

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>], input: &mut Vec<u8>) {
    input.clear();
    input.extend_from_slice(&seeds[rng.below(seeds.len())]);
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(input.len() + 1);
        match rng.below(6) {
            0 if !input.is_empty() => {
                let i = rng.below(input.len());
                input[i] = rng.next() as u8;
            }
            1 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                input.splice(at..at, token.iter().copied());
            }
            2 if !input.is_empty() => {
                let end = (at + rng.below(64)).min(input.len());
                input.drain(at..end);
            }
            3 => {
                // A line of another seed, spliced in.
                let other = &seeds[rng.below(seeds.len())];
                let start = rng.below(other.len() + 1);
                let end = other[start..].iter().position(|&b| b == b'\n').map_or(other.len(), |i| start + i + 1);
                input.splice(at..at, other[start..end].iter().copied());
            }
            4 => input.truncate(at),
            _ => {
                // Repeat a stretch (long lines, repeated rows).
                let end = (at + rng.below(40)).min(input.len());
                let piece = input[at..end].to_vec();
                for _ in 0..rng.below(50) {
                    input.splice(at..at, piece.iter().copied());
                }
            }
        }
    }
}

fn main() {
    let mut seconds = 30u64;
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut save = std::env::temp_dir();
    let mut seeds: Vec<Vec<u8>> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seconds" => seconds = args.next().and_then(|s| s.parse().ok()).expect("--seconds N"),
            "--seed" => seed = args.next().and_then(|s| s.parse().ok()).expect("--seed S"),
            "--save" => save = PathBuf::from(args.next().expect("--save DIR")),
            path => seeds.push(std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"))),
        }
    }
    // Small seeds mutate into many shapes quickly; big files are cut to their head.
    for seed_file in &mut seeds {
        seed_file.truncate(4096);
    }
    seeds.push(b"META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\na;50\nb;60\nVOTES\nvoter_id;vote\n1;a,b\n2;b\n".to_vec());
    let mut rng = Rng(seed | 1);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut input = Vec::new();
    let mut runs = 0u64;
    panic::set_hook(Box::new(|_| {}));
    while Instant::now() < deadline {
        mutate(&mut rng, &seeds, &mut input);
        let data = input.clone();
        if let Err(panic) = panic::catch_unwind(move || check_pb_input(&data)) {
            let path = save.join(format!("pb_stable-crash-{seed}-{runs}.pb"));
            std::fs::write(&path, &input).expect("the crash input is saved");
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            eprintln!("FAILED after {runs} inputs: {message}\ninput saved to {}", path.display());
            std::process::exit(1);
        }
        runs += 1;
    }
    println!("pb_stable: {runs} inputs in {seconds} s, no failure (seed {seed})");
}
