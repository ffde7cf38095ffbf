//! Fuzzing of the tracked-project updates file (`project_id,progress,spent,body,evidence_url,
//! evidence_label`) with the stable toolchain: a mutation loop run by `fuzz/run.sh`.
//!
//! `fuzz_updates SECONDS [SEED]` starts from well-formed files and mutates them as bytes (flips, quotes,
//! separators, line breaks, NUL, BOMs, invalid UTF-8, long runs), then parses each mutant. Nothing may
//! panic; something is always said (rows or problems); every accepted row is in range (progress 0–100,
//! spent ≥ 0, a positive project id, a body, evidence only over http(s)); every problem names a line after
//! the header; parsing is deterministic. A failing input is written to `fuzz-updates-failure-*.csv` and
//! the program exits with status 1.
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use maeul_web::areas::evaluation::import::{self, ImportProblem};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const SEEDS: &[&str] = &[
    "project_id,progress,spent,body,evidence_url,evidence_label\n7,40,\"1,200\",설치,https://example.org/a.jpg,사진\n8,100%,,완료,,\n",
    "\u{feff}project_id,progress,spent,body,evidence_url,evidence_label\r\n1,0,0,\"a, \"\"quoted\"\" body\",http://x.org,\r\n",
];

const PIECES: &[&[u8]] = &[
    b",",
    b"\"",
    b"\n",
    b"\r\n",
    b"\0",
    b"\xef\xbb\xbf",
    b"\xff",
    b"-",
    b"101",
    b"%",
    b"https://",
    b"999999999999999999999",
    b" ",
];

fn mutate(rng: &mut Rng, input: &mut Vec<u8>) {
    for _ in 0..1 + rng.below(6) {
        let at = rng.below(input.len() + 1);
        match rng.below(4) {
            0 if !input.is_empty() => {
                let i = rng.below(input.len());
                input[i] ^= 1 << rng.below(8);
            }
            1 => {
                let piece = PIECES[rng.below(PIECES.len())];
                input.splice(at..at, piece.iter().copied());
            }
            2 if !input.is_empty() => {
                let end = (at + rng.below(8)).min(input.len());
                input.drain(at.min(end)..end);
            }
            _ => {
                let run = vec![b'9'; rng.below(5000)];
                input.splice(at..at, run);
            }
        }
    }
}

fn check(input: &[u8]) -> Result<(), String> {
    let parsed = catch_unwind(AssertUnwindSafe(|| import::parse(input)))
        .map_err(|_| "the parser panicked".to_owned())?;
    let (rows, problems) = &parsed;
    if rows.is_empty() && problems.is_empty() {
        return Err("neither rows nor problems".into());
    }
    for r in rows {
        let ok = r.project_id > 0
            && (0..=100).contains(&r.progress)
            && r.spent.is_none_or(|s| s >= 0)
            && !r.body.is_empty()
            && r.evidence
                .as_ref()
                .is_none_or(|(u, _)| u.starts_with("http://") || u.starts_with("https://"))
            && r.line >= 2;
        if !ok {
            return Err(format!("a row out of range: {r:?}"));
        }
    }
    for p in problems {
        if let ImportProblem::Field { line, .. } = p
            && *line < 2
        {
            return Err(format!("a problem before the first row: {p:?}"));
        }
    }
    if import::parse(input) != parsed {
        return Err("not deterministic".into());
    }
    Ok(())
}

fn main() {
    let mut args = std::env::args().skip(1);
    let seconds: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(30);
    let seed: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64)
    });
    println!("fuzz_updates: seed {seed}, {seconds} s");
    std::panic::set_hook(Box::new(|_| {}));
    for s in SEEDS {
        if let Err(problem) = check(s.as_bytes()) {
            eprintln!("a seed file fails: {problem}");
            std::process::exit(1);
        }
    }
    let mut rng = Rng(seed);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tried = 0u64;
    while Instant::now() < deadline {
        let mut input = SEEDS[rng.below(SEEDS.len())].as_bytes().to_vec();
        mutate(&mut rng, &mut input);
        tried += 1;
        if let Err(problem) = check(&input) {
            let path = format!("fuzz-updates-failure-{seed}-{tried}.csv");
            std::fs::write(&path, &input).expect("write the failing input");
            eprintln!("FAILED after {tried} inputs: {problem}; input saved to {path}");
            std::process::exit(1);
        }
    }
    println!("fuzz_updates: {tried} inputs, no failure");
}
