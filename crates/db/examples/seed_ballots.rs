//! Seeds a participatory-budgeting vote for `bench/budget`: verified residents of the process's scope (homes
//! spread over its neighbourhoods), one random valid ballot each — stored as the platform stores them, under
//! the process's pseudonym of the voter, with turnout kept apart — and API tokens for further residents who
//! have not voted yet (the casting benchmark's voters).
//!
//!     cargo run --release -p maeul-db --example seed_ballots -- <database-url>
//!         [--process ID] [--ballots 100000] [--tokens 2000] [--seed 7] [--out DIR]
//!
//! Without `--process`, the first process whose voting is open (on a demo database: Jongno-gu's). Approval
//! and knapsack ballots only (what the demo's processes use): 1 to `max_projects` distinct projects of the
//! ballot, a knapsack ballot cut where its cost would pass the budget. Writes `DIR/tokens.txt` (one bearer
//! token per line), `DIR/projects.txt` (the ids on the ballot) and `DIR/manifest.env` (PROCESS, MIN_PROJECTS,
//! MAX_PROJECTS, BALLOTS, VOTERS). Refuses a database it has already seeded.
use std::path::PathBuf;
use std::time::Instant;

use maeul_db::Db;
use maeul_domain::ScopeKind;
use maeul_domain::budget::{BallotKind, Phase, StoredBallot};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

type Error = Box<dyn std::error::Error + Send + Sync>;
type Res<T> = Result<T, Error>;

const SEED_DOMAIN: &str = "ballots.maeul.invalid";

#[path = "seed_public_sphere/sink.rs"]
mod sink;
use sink::*;

struct Args {
    url: String,
    process: Option<i64>,
    ballots: usize,
    tokens: usize,
    seed: u64,
    out: PathBuf,
}

fn parse_args() -> Res<Args> {
    let mut args = Args {
        url: String::new(),
        process: None,
        ballots: 100_000,
        tokens: 2_000,
        seed: 7,
        out: PathBuf::from("."),
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--process" => args.process = Some(value()?.parse()?),
            "--ballots" => args.ballots = value()?.parse()?,
            "--tokens" => args.tokens = value()?.parse()?,
            "--seed" => args.seed = value()?.parse()?,
            "--out" => args.out = PathBuf::from(value()?),
            s if s.starts_with('-') => return Err(format!("unknown option {s}").into()),
            s if args.url.is_empty() => args.url = s.to_string(),
            s => return Err(format!("unexpected argument {s}").into()),
        }
    }
    if args.url.is_empty() {
        return Err("usage: seed_ballots <database-url> [--process ID] [--ballots N] [--tokens N] [--seed S] [--out DIR]".into());
    }
    Ok(args)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("seed_ballots: {e}");
        std::process::exit(1);
    }
}

async fn run() -> Res<()> {
    let args = parse_args()?;
    let started = Instant::now();
    let db = Db::connect(&args.url).await?;
    let official = db
        .user_by_email("official@demo.maeul.kr")
        .await?
        .map(|u| u.id)
        .ok_or("no demo accounts: run `maeul serve --demo` on this database once first")?;
    let mut conn = Conn::acquire(&db).await?;
    let already = conn
        .scalar(&format!(
            "SELECT COUNT(*) FROM users WHERE email LIKE '%@{SEED_DOMAIN}'"
        ))
        .await?;
    if already > 0 {
        return Err("this database already holds seeded voters; start from a fresh one".into());
    }
    let process_id = match args.process {
        Some(id) => id,
        None => {
            conn.scalar(
                "SELECT COALESCE(MIN(id), 0) FROM budget_processes WHERE phase = 'voting_open'",
            )
            .await?
        }
    };
    let process = db
        .process(process_id)
        .await?
        .ok_or("no process whose voting is open (give --process)")?;
    if process.phase != Phase::VotingOpen {
        return Err(format!("process {process_id}: voting is not open").into());
    }
    if !matches!(
        process.ballot_kind,
        BallotKind::Approval | BallotKind::Knapsack
    ) {
        return Err("only approval and knapsack ballots are seeded".into());
    }
    let projects: Vec<(i64, i64)> = db
        .projects_of(process_id)
        .await?
        .into_iter()
        .filter(|p| p.state.on_ballot())
        .map(|p| (p.id, p.cost))
        .collect();
    if projects.is_empty() {
        return Err("the ballot has no projects".into());
    }
    let scopes = db.load_scopes().await?;
    let code = &scopes
        .iter()
        .find(|s| s.id == process.scope_id)
        .ok_or("the process's scope is missing")?
        .code;
    let homes: Vec<i64> = scopes
        .iter()
        .filter(|s| s.kind == ScopeKind::Neighbourhood && s.code.starts_with(code.as_str()))
        .map(|s| s.id)
        .collect();
    if homes.is_empty() {
        return Err("no neighbourhood below the process's scope".into());
    }
    let max = match process.max_projects {
        m if m > 0 => (m as usize).min(projects.len()),
        _ => projects.len(),
    };
    let min = (process.min_projects.max(1) as usize).min(max);
    let mut rng = StdRng::seed_from_u64(args.seed);
    let mut random_ballot = || {
        let mut order = projects.clone();
        order.shuffle(&mut rng);
        order.truncate(rng.gen_range(min..=max));
        if process.ballot_kind == BallotKind::Knapsack {
            let mut total = 0;
            order.retain(|&(_, cost)| {
                total += cost;
                total <= process.budget
            });
        }
        StoredBallot::Projects(order.into_iter().map(|(id, _)| id).collect()).encode()
    };

    let voters = args.ballots + args.tokens;
    let first_user = conn
        .scalar("SELECT COALESCE(MAX(id), 0) FROM users")
        .await?
        + 1;
    let now = maeul_db::now();
    let home_of = |n: usize| homes[n % homes.len()];
    eprintln!(
        "process {process_id} ({code}): {} projects on the ballot, {min}..{max} per ballot; {voters} residents in {} neighbourhoods",
        projects.len(),
        homes.len()
    );
    insert_all(
        &mut conn,
        Table {
            name: "users",
            columns: USERS,
        },
        (0..voters).map(|n| {
            vec![
                V::I(first_user + n as i64),
                V::T(format!("voter{n}@{SEED_DOMAIN}")),
                V::T(format!("투표자 {n}")),
                V::T(format!("bvoter{n}")),
                // Not a password hash: seeded voters cannot sign in (the API uses their tokens).
                V::T("!".into()),
                V::T("ko".into()),
                V::I(now),
                V::I(now),
            ]
        }),
    )
    .await?;
    insert_all(
        &mut conn,
        Table {
            name: "residencies",
            columns: RESIDENCIES,
        },
        (0..voters).map(|n| {
            vec![
                V::I(first_user + n as i64),
                V::I(home_of(n)),
                V::T(maeul_domain::ResidencyBasis::Resident.as_str().into()),
                V::T("verified".into()),
                V::I(now),
                V::N(Some(official)),
                V::N(Some(now)),
                V::T("seeded".into()),
            ]
        }),
    )
    .await?;
    let key: String = match &db {
        Db::Sqlite(p) => {
            sqlx::query_scalar("SELECT pseudonym_key FROM budget_processes WHERE id = $1")
                .bind(process_id)
                .fetch_one(p)
                .await?
        }
        Db::Postgres(p) => {
            sqlx::query_scalar("SELECT pseudonym_key FROM budget_processes WHERE id = $1")
                .bind(process_id)
                .fetch_one(p)
                .await?
        }
    };
    insert_all(
        &mut conn,
        Table {
            name: "budget_ballots",
            columns: &[
                ("process_id", Kind::Int),
                ("pseudonym", Kind::Text),
                ("ballot", Kind::Text),
                ("revision", Kind::Int),
                ("cast_at", Kind::Int),
            ],
        },
        (0..args.ballots).map(|n| {
            let user = first_user + n as i64;
            vec![
                V::I(process_id),
                V::T(maeul_db::secrets::keyed_hash(&key, &user.to_string())),
                V::T(random_ballot()),
                V::I(1),
                V::I(now),
            ]
        }),
    )
    .await?;
    insert_all(
        &mut conn,
        Table {
            name: "budget_turnout",
            columns: &[
                ("process_id", Kind::Int),
                ("user_id", Kind::Int),
                ("home_scope", Kind::NullInt),
                ("channel", Kind::Text),
                ("first_at", Kind::Int),
                ("last_at", Kind::Int),
            ],
        },
        (0..args.ballots).map(|n| {
            vec![
                V::I(process_id),
                V::I(first_user + n as i64),
                V::N(Some(home_of(n))),
                V::T("online".into()),
                V::I(now),
                V::I(now),
            ]
        }),
    )
    .await?;
    // The casting benchmark's voters: residents after the seeded ballots, none of whom has voted.
    let tokens: Vec<String> = (0..args.tokens)
        .map(|_| maeul_db::secrets::random_token())
        .collect();
    insert_all(
        &mut conn,
        Table {
            name: "api_tokens",
            columns: API_TOKENS,
        },
        tokens.iter().enumerate().map(|(k, t)| {
            vec![
                V::T(maeul_db::secrets::token_hash(t)),
                V::I(first_user + (args.ballots + k) as i64),
                V::T("budget benchmark".into()),
                V::I(now),
            ]
        }),
    )
    .await?;
    if let Conn::Postgres(_) = conn {
        conn.exec("ANALYZE").await?;
    }
    std::fs::create_dir_all(&args.out)?;
    std::fs::write(args.out.join("tokens.txt"), tokens.join("\n") + "\n")?;
    let ids: Vec<String> = projects.iter().map(|(id, _)| id.to_string()).collect();
    std::fs::write(args.out.join("projects.txt"), ids.join("\n") + "\n")?;
    std::fs::write(
        args.out.join("manifest.env"),
        format!(
            "PROCESS={process_id}\nMIN_PROJECTS={min}\nMAX_PROJECTS={max}\nBALLOTS={}\nVOTERS={voters}\n",
            args.ballots
        ),
    )?;
    eprintln!("seeded in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}
