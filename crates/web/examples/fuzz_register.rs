//! Fuzzing of the resident-register file (`name,birth_date,neighbourhood_code`) with the stable toolchain:
//! a mutation loop run by `fuzz/run.sh`.
//!
//! `fuzz_register SECONDS [SEED]` starts from well-formed files and mutates them as bytes (flips,
//! insertions of quotes, separators, line breaks, NUL, BOMs, invalid UTF-8, long runs) and as rows (fields
//! emptied, swapped, duplicated, dates and codes bent), then parses each mutant. Input may be refused with
//! problems; nothing may panic; the result must be coherent: something is always said (rows or
//! problems), every accepted row is a neighbourhood the importer may import, its identity is
//! `name|YYYY-MM-DD`, and parsing is deterministic. A failing input is written to
//! `fuzz-register-failure-*.csv` and the program exits with status 1.
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use maeul_domain::{Scope, ScopeKind, ScopeTree};
use maeul_web::areas::accounts::register;

/// splitmix64: a small deterministic generator (the seed is printed, so a failure can be replayed).
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

fn tree() -> ScopeTree {
    let scope = |id, code: &str, kind, parent| Scope {
        id,
        code: code.into(),
        kind,
        parent_id: parent,
        name_ko: code.into(),
        name_en: code.into(),
    };
    ScopeTree::new(vec![
        scope(1, "11", ScopeKind::City, None),
        scope(2, "11110", ScopeKind::District, Some(1)),
        scope(3, "1111053000", ScopeKind::Neighbourhood, Some(2)),
        scope(4, "1111054000", ScopeKind::Neighbourhood, Some(2)),
        scope(5, "11140", ScopeKind::District, Some(1)),
        scope(6, "1114055000", ScopeKind::Neighbourhood, Some(5)),
    ])
    .expect("a valid tree")
}

const SEEDS: &[&str] = &[
    "name,birth_date,neighbourhood_code\n김민준,1985-03-14,1111053000\n이서연,19900101,1111054000\n",
    "\u{feff}name,birth_date,neighbourhood_code\r\n\"박, 지훈\",1979.12.31,1114055000\r\n",
    "name,birth_date,neighbourhood_code\nAnna Kim,2001-02-28,1111053000\n\"최\"\"영\",1960-07-07,11110\n",
];

const PIECES: &[&[u8]] = &[
    b",",
    b"\"",
    b"\n",
    b"\r\n",
    b"\0",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xc3",
    b"2024-02-30",
    b"0000-00-00",
    b"99999999",
    b"1111053000",
    b"11",
    b"-",
    b".",
    b" ",
    b"\t",
    b"=HYPERLINK(\"x\")",
    "홍길동".as_bytes(),
];

fn mutate(rng: &mut Rng, input: &mut Vec<u8>) {
    for _ in 0..=rng.below(4) {
        let at = rng.below(input.len() + 1);
        match rng.below(6) {
            0 if !input.is_empty() => {
                let i = rng.below(input.len());
                input[i] ^= 1 << rng.below(8);
            }
            1 if !input.is_empty() => {
                let end = (at + rng.below(16)).min(input.len());
                input.drain(at.min(end)..end);
            }
            2 => {
                let piece = PIECES[rng.below(PIECES.len())];
                input.splice(at..at, piece.iter().copied());
            }
            3 => {
                // A long run: the parser must stay linear.
                let byte = [b'a', b'"', b',', b'9', b'\n'][rng.below(5)];
                let run = vec![byte; 1 + rng.below(4096)];
                input.splice(at..at, run);
            }
            4 if !input.is_empty() => {
                // Duplicate a line.
                let text = input.clone();
                let lines: Vec<&[u8]> = text.split(|b| *b == b'\n').collect();
                let line = lines[rng.below(lines.len())];
                input.extend_from_slice(b"\n");
                input.extend_from_slice(line);
            }
            _ => input.truncate(at),
        }
    }
}

/// Parses `input` and checks the result is coherent; `Err` says what broke.
fn check(tree: &ScopeTree, input: &[u8]) -> Result<(), String> {
    // The importer may import in one district only, so authority is exercised too.
    let may = |id: i64| tree.get(id).is_some_and(|s| s.parent_id == Some(2));
    let first = catch_unwind(AssertUnwindSafe(|| register::parse(tree, input, may)))
        .map_err(|_| "parse panicked".to_owned())?;
    let (rows, problems) = &first;
    if rows.is_empty() && problems.is_empty() {
        return Err("neither rows nor problems".into());
    }
    for (identity, scope_id) in rows {
        let scope = tree
            .get(*scope_id)
            .ok_or("a row's scope is not in the tree")?;
        if scope.kind != ScopeKind::Neighbourhood || !may(*scope_id) {
            return Err(format!("row accepted for scope {}", scope.code));
        }
        let (name, date) = identity.split_once('|').ok_or("identity without a date")?;
        if name.is_empty() || date.len() != 10 || date.as_bytes()[4] != b'-' {
            return Err(format!("malformed identity {identity:?}"));
        }
    }
    if register::parse(tree, input, may) != first {
        return Err("parsing is not deterministic".into());
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
    println!("fuzz_register: seed {seed}, {seconds} s");
    std::panic::set_hook(Box::new(|_| {})); // a panic is reported below, with its input
    let tree = tree();
    for seed_file in SEEDS {
        if let Err(problem) = check(&tree, seed_file.as_bytes()) {
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
        if let Err(problem) = check(&tree, &input) {
            let path = format!("fuzz-register-failure-{seed}-{tried}.csv");
            std::fs::write(&path, &input).expect("write the failing input");
            eprintln!("FAILED after {tried} inputs: {problem}; input saved to {path}");
            std::process::exit(1);
        }
    }
    println!("fuzz_register: {tried} inputs, no failure");
}
