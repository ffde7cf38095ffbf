//! The command line of the seeder.
use super::*;

pub(crate) struct Args {
    pub(crate) url: String,
    pub(crate) proposals: usize,
    pub(crate) supports: usize,
    pub(crate) comments: usize,
    pub(crate) users: usize,
    pub(crate) tokens: usize,
    pub(crate) seed: u64,
    pub(crate) out: PathBuf,
}

pub(crate) fn parse_args() -> Res<Args> {
    let mut args = Args {
        url: String::new(),
        proposals: 100_000,
        supports: 1_000_000,
        comments: 500_000,
        users: 60_000,
        tokens: 2_000,
        seed: 4,
        out: PathBuf::from("."),
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--proposals" => args.proposals = value()?.parse()?,
            "--supports" => args.supports = value()?.parse()?,
            "--comments" => args.comments = value()?.parse()?,
            "--users" => args.users = value()?.parse()?,
            "--tokens" => args.tokens = value()?.parse()?,
            "--seed" => args.seed = value()?.parse()?,
            "--out" => args.out = PathBuf::from(value()?),
            "-h" | "--help" => {
                println!(
                    "seed_public_sphere <database-url> [--proposals N] [--supports N] [--comments N] [--users N] [--tokens N] [--seed S] [--out DIR]"
                );
                std::process::exit(0);
            }
            s if s.starts_with('-') => return Err(format!("unknown option {s}").into()),
            s if args.url.is_empty() => args.url = s.to_string(),
            s => return Err(format!("unexpected argument {s}").into()),
        }
    }
    if args.url.is_empty() {
        return Err("usage: seed_public_sphere <database-url> [options] (see --help)".into());
    }
    if args.users < 10 || args.tokens > args.users {
        return Err("--users must be at least 10 and at least --tokens".into());
    }
    Ok(args)
}
