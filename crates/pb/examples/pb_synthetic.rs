//! Writes a synthetic approval election in the `.pb` format, deterministically from its size (for the scaling table
//! in bench/pb/README.md): `pb_synthetic VOTERS > file.pb`. 60 projects costing 50,000–1,000,000 with a popularity
//! skew, a budget of a quarter of the total cost, ballots of 1–5 projects.
use std::io::{BufWriter, Write};

/// xorshift64*: deterministic for a seed, no dependency needed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

fn main() -> std::io::Result<()> {
    let voters: u64 = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("usage: pb_synthetic VOTERS");
    const PROJECTS: usize = 60;
    let mut rng = Rng(0x5eed_0000 + voters);
    let costs: Vec<u64> = (0..PROJECTS)
        .map(|_| 50_000 + rng.next() % 950_001)
        .collect();
    let budget = costs.iter().sum::<u64>() / 4;
    // Project p is chosen with weight 1 / (p + 3): a few popular projects and a long tail.
    let weights: Vec<f64> = (0..PROJECTS).map(|p| 1.0 / (p as f64 + 3.0)).collect();
    let total: f64 = weights.iter().sum();
    let mut out = BufWriter::new(std::io::stdout().lock());
    writeln!(
        out,
        "META\nkey;value\ndescription;synthetic election, {voters} voters\nnum_projects;{PROJECTS}\nnum_votes;{voters}\nbudget;{budget}\nvote_type;approval\nrule;greedy\nPROJECTS\nproject_id;cost"
    )?;
    for (p, cost) in costs.iter().enumerate() {
        writeln!(out, "{p};{cost}")?;
    }
    writeln!(out, "VOTES\nvoter_id;vote")?;
    let mut chosen = Vec::with_capacity(5);
    for v in 0..voters {
        chosen.clear();
        let length = 1 + (rng.next() % 5) as usize;
        while chosen.len() < length {
            let mut x = (rng.next() >> 11) as f64 / (1u64 << 53) as f64 * total;
            let mut p = 0;
            while p + 1 < PROJECTS && x >= weights[p] {
                x -= weights[p];
                p += 1;
            }
            if !chosen.contains(&p) {
                chosen.push(p);
            }
        }
        let vote: Vec<String> = chosen.iter().map(|p| p.to_string()).collect();
        writeln!(out, "{v};{}", vote.join(","))?;
    }
    out.flush()
}
