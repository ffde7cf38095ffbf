//! Seeds the public-sphere benchmark's data (issue 4) into a migrated database that holds the demo city:
//! many verified residents, proposals in every scope and state, supports, threaded comments, and API tokens
//! for the support benchmark.
//!
//! ```text
//! cargo run --release -p maeul-db --example seed_public_sphere -- <database-url> \
//!     [--proposals 100000 --supports 1000000 --comments 500000 --users 60000 --tokens 2000 --seed 4 --out DIR]
//! ```
//!
//! Run `maeul serve --demo` (or `maeul demo`) on the database once first, so the demo accounts exist; the
//! seeder applies pending migrations and seeds Seoul's scopes itself if they are missing, and refuses a
//! database it has already seeded. No server may write to the database meanwhile (ids are assigned here).
//!
//! The data is deterministic for a given `--seed` (except the API tokens, which are random secrets):
//! - residents: verified, homes spread over the 426 neighbourhoods; they cannot sign in (no password);
//! - proposals: 10% city, 30% districts, 60% neighbourhoods, one year of history (ids follow time), states
//!   by age (recent ones collect support, older ones expired, closed, answered…), Korean (85%) and English
//!   titles and markdown bodies from a vocabulary, `search_terms` from `maeul_domain::search::index_terms`
//!   (so FTS5 / the GIN index hold them exactly as for proposals written through the site);
//! - supports: distinct verified residents of the proposal's scope or below; counts fit the state (forum
//!   ≥ 100, answered ≥ 50, collecting < 100…); `support_count` equals the rows; obligations (≥ 50), official
//!   answers and the transition history follow the threshold ladder;
//! - comments: threaded (replies up to depth 3), ids follow time, `comment_count` equals the rows; one city
//!   proposal has exactly 500 (others at most 400).
//!
//! Every INSERT names its columns, so new nullable columns or new tables do not break it.
//! Output in `--out` (default `.`): `tokens.txt` (one bearer token per line), `support_targets.txt` (ids of
//! the city's proposals collecting support, shuffled) and `manifest.env` (figures and URLs for the benchmark).
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use maeul_db::Db;
use maeul_domain::{Scope, ScopeKind};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

type Error = Box<dyn std::error::Error + Send + Sync>;
type Res<T> = Result<T, Error>;

const DAY: i64 = 86_400;
/// How far back the seeded history goes.
const SPAN_DAYS: i64 = 365;
/// Proposals collect support this long (`maeul_db::proposals::COLLECTING_DAYS`).
const COLLECTING: i64 = maeul_db::proposals::COLLECTING_DAYS * DAY;
const SEED_DOMAIN: &str = "seed.maeul.invalid";
const BIG_THREAD: usize = 500;
const MAX_OTHER_THREAD: usize = 400;
/// The list page size of `/scopes/{code}/proposals` (crates/web/src/pages/proposals.rs).
const LIST_PAGE: usize = 30;
/// The benchmark's search: a two-syllable fragment of longer words (놀이터).
const SEARCH_QUERY: &str = "놀이";

mod args;
mod plan;
mod sink;
mod text;

use args::*;
use plan::*;
use sink::*;
use text::*;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("seed_public_sphere: {e}");
        std::process::exit(1);
    }
}

async fn run() -> Res<()> {
    let args = parse_args()?;
    let started = Instant::now();
    let db = Db::connect(&args.url).await?;
    db.migrate().await?;
    db.seed_seoul_if_empty().await?;
    if db.user_by_email("resident@demo.maeul.kr").await?.is_none() {
        return Err("no demo accounts: run `maeul serve --demo` (or `maeul demo`) on this database once first".into());
    }
    let mut conn = Conn::acquire(&db).await?;
    let already = conn
        .scalar(&format!(
            "SELECT COUNT(*) FROM users WHERE email LIKE '%@{SEED_DOMAIN}'"
        ))
        .await?;
    if already > 0 {
        return Err(
            "this database is already seeded (seed accounts exist); start from a fresh one".into(),
        );
    }
    if let Conn::Sqlite(_) = conn {
        // Bigger page cache for the index builds; this connection only.
        conn.exec("PRAGMA cache_size = -262144").await?;
    }
    let moderator = db
        .user_by_email("moderator@demo.maeul.kr")
        .await?
        .map(|u| u.id);
    let official = db
        .user_by_email("official@demo.maeul.kr")
        .await?
        .map(|u| u.id)
        .ok_or("the demo official is missing")?;

    let scopes: Vec<Scope> = db.load_scopes().await?;
    let index_of: HashMap<i64, usize> = scopes.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
    let city = scopes
        .iter()
        .position(|s| s.kind == ScopeKind::City)
        .ok_or("no city scope")?;
    let districts: Vec<usize> = (0..scopes.len())
        .filter(|&i| scopes[i].kind == ScopeKind::District)
        .collect();
    let hoods: Vec<usize> = (0..scopes.len())
        .filter(|&i| scopes[i].kind == ScopeKind::Neighbourhood)
        .collect();
    if districts.is_empty() || hoods.is_empty() {
        return Err("the demo city's districts and neighbourhoods are missing".into());
    }
    let mut rng = StdRng::seed_from_u64(args.seed);
    let now = maeul_db::now();
    eprintln!(
        "seeding {} users, {} proposals, {} supports, {} comments (seed {}) into {}",
        args.users,
        args.proposals,
        args.supports,
        args.comments,
        args.seed,
        maeul_db::redact_url(&args.url)
    );

    // --- residents ---
    let first_user = conn
        .scalar("SELECT COALESCE(MAX(id), 0) FROM users")
        .await?
        + 1;
    let homes: Vec<usize> = (0..args.users)
        .map(|_| hoods[rng.gen_range(0..hoods.len())])
        .collect();
    // Residents eligible in each scope: those whose home is the scope or below it.
    let mut pools: Vec<Vec<i64>> = vec![vec![]; scopes.len()];
    for (n, &home) in homes.iter().enumerate() {
        let id = first_user + n as i64;
        let mut at = Some(home);
        while let Some(i) = at {
            pools[i].push(id);
            at = scopes[i].parent_id.and_then(|p| index_of.get(&p).copied());
        }
    }
    let names: Vec<String> = (0..args.users).map(|_| person_name(&mut rng)).collect();
    let joined_at = now - SPAN_DAYS * DAY - 30 * DAY;
    eprintln!("writing:");
    insert_all(
        &mut conn,
        Table {
            name: "users",
            columns: USERS,
        },
        names.iter().enumerate().map(|(n, name)| {
            vec![
                V::I(first_user + n as i64),
                V::T(format!("resident{n}@{SEED_DOMAIN}")),
                V::T(name.clone()),
                V::T(format!("resident{n}")),
                // Not a password hash: seeded residents cannot sign in (the API uses their tokens).
                V::T("!seeded".into()),
                V::T(if n % 7 == 0 { "en" } else { "ko" }.into()),
                V::I(joined_at),
                V::I(joined_at),
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
        homes.iter().enumerate().map(|(n, &home)| {
            vec![
                V::I(first_user + n as i64),
                V::I(scopes[home].id),
                V::T(maeul_domain::ResidencyBasis::Resident.as_str().into()),
                V::T("verified".into()),
                V::I(joined_at),
                V::N(Some(official)),
                V::N(Some(joined_at + DAY)),
                V::T("seeded".into()),
            ]
        }),
    )
    .await?;
    // Tokens for the support benchmark: residents spread over the city.
    let stride = (args.users / args.tokens.max(1)).max(1);
    let token_users: Vec<i64> = (0..args.tokens)
        .map(|k| first_user + (k * stride) as i64)
        .collect();
    let tokens: Vec<String> = token_users
        .iter()
        .map(|_| maeul_db::secrets::random_token())
        .collect();
    insert_all(
        &mut conn,
        Table {
            name: "api_tokens",
            columns: API_TOKENS,
        },
        tokens.iter().zip(&token_users).map(|(t, &u)| {
            vec![
                V::T(maeul_db::secrets::token_hash(t)),
                V::I(u),
                V::T("public-sphere benchmark".into()),
                V::I(now),
            ]
        }),
    )
    .await?;

    // --- proposals: scopes, times, states ---
    let first_proposal = conn
        .scalar("SELECT COALESCE(MAX(id), 0) FROM proposals")
        .await?
        + 1;
    let span = SPAN_DAYS * DAY;
    let step = (span / args.proposals.max(1) as i64).max(1);
    let mut plans: Vec<Plan> = Vec::with_capacity(args.proposals);
    for n in 0..args.proposals {
        let roll: f64 = rng.r#gen();
        let scope = if roll < 0.10 {
            city
        } else if roll < 0.40 {
            districts[rng.gen_range(0..districts.len())]
        } else {
            hoods[rng.gen_range(0..hoods.len())]
        };
        let pool = &pools[scope];
        let created_at = now - span + n as i64 * step + rng.gen_range(0..step);
        let recent = now - created_at < COLLECTING;
        let mut state = pick_state(&mut rng, recent);
        if pool.len() < state.support_range().0 || pool.is_empty() {
            // Too few residents here to reach this state's threshold.
            state = if recent { St::Collecting } else { St::Expired };
        }
        let author = if pool.is_empty() {
            first_user
        } else {
            pool[rng.gen_range(0..pool.len())]
        };
        let s = &scopes[scope];
        let (title, body) = proposal_text(&mut rng, &s.name_ko, &s.name_en);
        plans.push(Plan {
            id: first_proposal + n as i64,
            scope,
            author,
            state,
            created_at,
            supports: 0,
            comments: 0,
            title,
            body,
        });
    }

    // --- support counts: a heavy tail within each state's range, scaled to the total asked for ---
    let cap = |p: &Plan| range_in(p.state, pools[p.scope].len());
    let raw: Vec<f64> = plans
        .iter()
        .map(|p| {
            let (lo, hi) = cap(p);
            let u: f64 = rng.r#gen();
            ((hi - lo).min(3_000) as f64) * u.powi(4)
        })
        .collect();
    let floor: usize = plans.iter().map(|p| cap(p).0).sum();
    let raw_total: f64 = raw.iter().sum();
    let wanted_excess = args.supports.saturating_sub(floor) as f64;
    let factor = if raw_total > 0.0 {
        wanted_excess / raw_total
    } else {
        0.0
    };
    for (p, r) in plans.iter_mut().zip(&raw) {
        let (lo, hi) = range_in(p.state, pools[p.scope].len());
        p.supports = (lo + (r * factor).round() as usize).min(hi);
    }
    // Hit the total exactly with ±1 steps on random proposals that have room.
    let mut total: usize = plans.iter().map(|p| p.supports).sum();
    let mut attempts = 0usize;
    while total != args.supports && attempts < 50_000_000 {
        attempts += 1;
        let i = rng.gen_range(0..plans.len());
        let p = &mut plans[i];
        let (lo, hi) = range_in(p.state, pools[p.scope].len());
        if total < args.supports && p.supports < hi {
            p.supports += 1;
            total += 1;
        } else if total > args.supports && p.supports > lo {
            p.supports -= 1;
            total -= 1;
        }
    }
    if total != args.supports {
        eprintln!(
            "note: {total} supports fit these proposals' states and scopes (asked for {})",
            args.supports
        );
    }

    // --- comments per proposal: one city proposal gets exactly 500, others by weight, at most 400 ---
    let public: Vec<usize> = (0..plans.len())
        .filter(|&i| plans[i].state.public())
        .collect();
    let big = plans
        .iter()
        .enumerate()
        .filter(|(_, p)| p.scope == city && matches!(p.state, St::Forum | St::Collecting))
        .max_by_key(|(_, p)| (p.state == St::Forum, p.id))
        .map(|(i, _)| i)
        .or_else(|| public.last().copied());
    let mut comments_left = args.comments;
    if let Some(b) = big {
        plans[b].comments = BIG_THREAD.min(comments_left);
        comments_left -= plans[b].comments;
    }
    let others: Vec<usize> = public.iter().copied().filter(|&i| Some(i) != big).collect();
    if !others.is_empty() && comments_left > 0 {
        let weights: Vec<f64> = others
            .iter()
            .map(|&i| 1.0 + (plans[i].supports as f64).powf(0.8))
            .collect();
        let dist = rand::distributions::WeightedIndex::new(&weights)?;
        let room = others.len() * MAX_OTHER_THREAD;
        if comments_left > room {
            eprintln!(
                "note: only {room} more comments fit (at most {MAX_OTHER_THREAD} per proposal)"
            );
            comments_left = room;
        }
        while comments_left > 0 {
            let i = others[rng.sample(&dist)];
            if plans[i].comments < MAX_OTHER_THREAD {
                plans[i].comments += 1;
                comments_left -= 1;
            }
        }
    }

    // --- write proposals and their history ---
    insert_all(
        &mut conn,
        Table {
            name: "proposals",
            columns: &[
                ("id", Kind::Int),
                ("scope_id", Kind::Int),
                ("author_id", Kind::Int),
                ("title", Kind::Text),
                ("body", Kind::Text),
                ("category", Kind::Text),
                ("state", Kind::Text),
                ("support_count", Kind::Int),
                ("forum_participants", Kind::Int),
                ("comment_count", Kind::Int),
                ("created_at", Kind::Int),
                ("collecting_until", Kind::NullInt),
                ("updated_at", Kind::Int),
                ("search_terms", Kind::Text),
            ],
        },
        plans.iter().map(|p| {
            let categories = maeul_domain::proposal::Category::ALL;
            let collecting_until = p.state.public().then_some(p.created_at + DAY + COLLECTING);
            vec![
                V::I(p.id),
                V::I(scopes[p.scope].id),
                V::I(p.author),
                V::T(p.title.clone()),
                V::T(p.body.clone()),
                V::T(
                    categories[(p.id as usize * 7) % categories.len()]
                        .as_str()
                        .into(),
                ),
                V::T(p.state.as_str().into()),
                V::I(p.supports as i64),
                V::I(0),
                V::I(p.comments as i64),
                V::I(p.created_at),
                V::N(collecting_until),
                V::I(p.created_at + DAY),
                V::T(maeul_domain::search::index_terms(&format!(
                    "{} {}",
                    p.title, p.body
                ))),
            ]
        }),
    )
    .await?;

    let accepted = |p: &Plan| p.created_at + DAY;
    let mut transitions: Vec<Vec<V>> = vec![];
    let mut obligations: Vec<Vec<V>> = vec![];
    let mut answers: Vec<Vec<V>> = vec![];
    for p in &plans {
        let mut t = |from: &str, to: &str, actor: Option<i64>, reason: String, at: i64| {
            transitions.push(vec![
                V::I(p.id),
                V::T(from.into()),
                V::T(to.into()),
                V::N(actor),
                V::T(reason),
                // Only the supporters' threshold moves a proposal to the forum here.
                V::N((to == "forum").then_some(100)),
                V::I(at),
            ])
        };
        if p.state == St::Draft {
            t("", "draft", Some(p.author), String::new(), p.created_at);
            continue;
        }
        t("", "submitted", Some(p.author), String::new(), p.created_at);
        match p.state {
            St::Submitted => continue,
            St::Rejected => {
                t(
                    "submitted",
                    "rejected",
                    moderator,
                    "중복 제안입니다 (duplicate)".into(),
                    accepted(p),
                );
                continue;
            }
            _ => t(
                "submitted",
                "collecting",
                moderator,
                String::new(),
                accepted(p),
            ),
        }
        let mut last = "collecting";
        let reached_50 = accepted(p) + COLLECTING / 4;
        if p.supports >= 50 {
            let answered = matches!(p.state, St::Answered | St::Adopted);
            let answered_at = reached_50 + 20 * DAY;
            obligations.push(vec![
                V::I(p.id),
                V::T("department".into()),
                V::I(reached_50),
                V::I(reached_50 + 30 * DAY),
                V::N(answered.then_some(answered_at)),
            ]);
            if answered {
                answers.push(vec![
                    V::I(p.id),
                    V::T("department".into()),
                    V::I(official),
                    V::T(
                        "검토 결과 내년 예산에 반영하겠습니다. We will fund this next year.".into(),
                    ),
                    V::I(answered_at),
                ]);
            }
        }
        if p.supports >= 100 {
            t("collecting", "forum", None, String::new(), reached_50 + DAY);
            last = "forum";
        }
        let end = accepted(p) + COLLECTING;
        match p.state {
            St::Answered => t(last, "answered", Some(official), String::new(), end),
            St::Adopted => {
                t(last, "answered", Some(official), String::new(), end);
                t(
                    "answered",
                    "adopted",
                    Some(official),
                    String::new(),
                    end + DAY,
                );
            }
            St::Closed => t(last, "closed", moderator, String::new(), end),
            St::Expired => t(last, "expired", None, String::new(), end),
            _ => {}
        }
    }
    insert_all(
        &mut conn,
        Table {
            name: "proposal_transitions",
            columns: &[
                ("proposal_id", Kind::Int),
                ("from_state", Kind::Text),
                ("to_state", Kind::Text),
                ("actor_id", Kind::NullInt),
                ("reason", Kind::Text),
                ("count", Kind::NullInt),
                ("at", Kind::Int),
            ],
        },
        transitions.into_iter(),
    )
    .await?;
    insert_all(
        &mut conn,
        Table {
            name: "proposal_obligations",
            columns: &[
                ("proposal_id", Kind::Int),
                ("responder", Kind::Text),
                ("created_at", Kind::Int),
                ("due_at", Kind::Int),
                ("answered_at", Kind::NullInt),
            ],
        },
        obligations.into_iter(),
    )
    .await?;
    insert_all(
        &mut conn,
        Table {
            name: "proposal_answers",
            columns: &[
                ("proposal_id", Kind::Int),
                ("responder", Kind::Text),
                ("author_id", Kind::Int),
                ("body", Kind::Text),
                ("at", Kind::Int),
            ],
        },
        answers.into_iter(),
    )
    .await?;

    // --- supports: distinct eligible residents per proposal ---
    let mut support_rng = StdRng::seed_from_u64(args.seed ^ 0x5u64.rotate_left(40));
    let supports_written = insert_all(
        &mut conn,
        Table {
            name: "proposal_supports",
            columns: &[
                ("proposal_id", Kind::Int),
                ("user_id", Kind::Int),
                ("created_at", Kind::Int),
            ],
        },
        plans.iter().flat_map(|p| {
            let pool = &pools[p.scope];
            let chosen = rand::seq::index::sample(&mut support_rng, pool.len(), p.supports);
            let start = accepted(p);
            let rows: Vec<Vec<V>> = chosen
                .into_iter()
                .enumerate()
                .map(|(k, i)| {
                    vec![
                        V::I(p.id),
                        V::I(pool[i]),
                        V::I((start + k as i64 * 600).min(now)),
                    ]
                })
                .collect();
            rows
        }),
    )
    .await?;

    // --- comments: threads per proposal, then ids in time order ---
    struct C {
        proposal: i64,
        local: usize,
        parent_local: Option<usize>,
        root_local: usize,
        author: i64,
        at: i64,
        body: String,
    }
    let mut all: Vec<C> = Vec::with_capacity(args.comments);
    let everyone = &pools[city];
    for (i, p) in plans.iter().enumerate() {
        if p.comments == 0 {
            continue;
        }
        let start = accepted(p);
        let end = (start + 90 * DAY).min(now).max(start + 1);
        let mut times: Vec<i64> = (0..p.comments).map(|_| rng.gen_range(start..end)).collect();
        times.sort_unstable();
        let mut depth: Vec<usize> = Vec::with_capacity(p.comments);
        let mut parents: Vec<Option<usize>> = Vec::with_capacity(p.comments);
        let mut roots: Vec<usize> = Vec::with_capacity(p.comments);
        // The big thread: about 200 top-level comments and 300 replies; elsewhere 40% replies.
        let reply_share = if Some(i) == big { 0.6 } else { 0.4 };
        for (k, &at) in times.iter().enumerate() {
            let parent = if k > 0 && rng.gen_bool(reply_share) {
                let mut q = rng.gen_range(0..k);
                while depth[q] >= maeul_db::comments::MAX_DEPTH {
                    q = parents[q].expect("deep comments have parents");
                }
                Some(q)
            } else {
                None
            };
            depth.push(parent.map_or(0, |q| depth[q] + 1));
            parents.push(parent);
            roots.push(parent.map_or(k, |q| roots[q]));
            all.push(C {
                proposal: p.id,
                local: k,
                parent_local: parent,
                root_local: roots[k],
                author: everyone[rng.gen_range(0..everyone.len())],
                at,
                body: comment_text(&mut rng),
            });
        }
    }
    all.sort_by_key(|c| (c.at, c.proposal, c.local));
    let first_comment = conn
        .scalar("SELECT COALESCE(MAX(id), 0) FROM comments")
        .await?
        + 1;
    let mut id_of: HashMap<(i64, usize), i64> = HashMap::with_capacity(all.len());
    for (n, c) in all.iter().enumerate() {
        id_of.insert((c.proposal, c.local), first_comment + n as i64);
    }
    let comments_written = insert_all(
        &mut conn,
        Table {
            name: "comments",
            columns: &[
                ("id", Kind::Int),
                ("proposal_id", Kind::Int),
                ("parent_id", Kind::NullInt),
                ("root_id", Kind::Int),
                ("author_id", Kind::Int),
                ("body", Kind::Text),
                ("body_html", Kind::Text),
                ("created_at", Kind::Int),
                ("search_terms", Kind::Text),
            ],
        },
        all.iter().enumerate().map(|(n, c)| {
            vec![
                V::I(first_comment + n as i64),
                V::I(c.proposal),
                V::N(c.parent_local.map(|q| id_of[&(c.proposal, q)])),
                V::I(id_of[&(c.proposal, c.root_local)]),
                V::I(c.author),
                V::T(c.body.clone()),
                // Stored rendered, as comments written through the platform are.
                V::T(maeul_domain::markdown::to_safe_html(&c.body)),
                V::I(c.at),
                // Searchable exactly as comments written through the platform are.
                V::T(maeul_domain::search::index_terms(&c.body)),
            ]
        }),
    )
    .await?;

    // --- finish: sequences, statistics, checks ---
    match conn {
        Conn::Postgres(_) => {
            for table in ["users", "proposals", "comments"] {
                conn.exec(&format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                ))
                .await?;
            }
            // Autovacuum would do this soon after such a load; done now so plans are steady.
            let t = Instant::now();
            conn.exec("VACUUM ANALYZE").await?;
            eprintln!("  VACUUM ANALYZE in {:.1} s", t.elapsed().as_secs_f64());
        }
        Conn::Sqlite(_) => {
            // The server never runs ANALYZE, so neither does the seeder: plans are the ones production gets.
            conn.exec("PRAGMA wal_checkpoint(TRUNCATE)").await?;
        }
    }
    let bad_supports = conn
        .scalar(
            "SELECT COUNT(*) FROM proposals p WHERE p.support_count <>
               (SELECT COUNT(*) FROM proposal_supports s WHERE s.proposal_id = p.id)",
        )
        .await?;
    let bad_comments = conn
        .scalar(
            "SELECT COUNT(*) FROM proposals p WHERE p.comment_count <>
               (SELECT COUNT(*) FROM comments c WHERE c.proposal_id = p.id)",
        )
        .await?;
    if bad_supports + bad_comments > 0 {
        return Err(format!(
            "counters disagree with rows: {bad_supports} support counts, {bad_comments} comment counts"
        )
        .into());
    }
    drop(conn);

    // The benchmark's search through the crate's own search, to prove the seeded rows are indexed.
    let search_matches = plans
        .iter()
        .filter(|p| {
            p.state.public()
                && format!("{} {}", p.title, p.body)
                    .to_lowercase()
                    .contains(SEARCH_QUERY)
        })
        .count();
    let found = db
        .search_proposals(&maeul_db::proposals::ProposalSearch {
            query: maeul_domain::search::parse_query(SEARCH_QUERY),
            scope_prefix: String::new(),
            state: None,
            category: None,
            kind: None,
            created_from: None,
            created_until: None,
            order: maeul_db::proposals::SearchOrder::Recent,
            after: None,
            limit: 20,
        })
        .await?;
    if search_matches > 0 && found.is_empty() {
        return Err(format!("the search for {SEARCH_QUERY:?} finds nothing").into());
    }

    // --- files for the benchmark ---
    std::fs::create_dir_all(&args.out)?;
    std::fs::write(args.out.join("tokens.txt"), tokens.join("\n") + "\n")?;
    let mut targets: Vec<i64> = plans
        .iter()
        .filter(|p| p.scope == city && matches!(p.state, St::Collecting | St::Forum))
        .map(|p| p.id)
        .collect();
    targets.shuffle(&mut rng);
    let targets_text: String = targets.iter().map(|id| format!("{id}\n")).collect();
    std::fs::write(args.out.join("support_targets.txt"), targets_text)?;
    // The list's page 100: `before` is the last id of page 99 (newest first, public only).
    let listed: Vec<i64> = plans
        .iter()
        .rev()
        .filter(|p| p.scope == city && p.state.public())
        .map(|p| p.id)
        .collect();
    let page100 = listed
        .get(99 * LIST_PAGE - 1)
        .map(|id| id.to_string())
        .unwrap_or_default();
    let seconds = started.elapsed().as_secs_f64();
    let big_id = big.map(|b| plans[b].id.to_string()).unwrap_or_default();
    let manifest = format!(
        "# written by seed_public_sphere (seed {seed})\n\
         SEED_USERS={users}\nSEED_PROPOSALS={proposals}\nSEED_SUPPORTS={supports}\nSEED_COMMENTS={comments}\n\
         SEED_SECONDS={seconds:.1}\nLIST_SCOPE={city_code}\nLIST_PUBLIC={listed}\nLIST_PAGE100_BEFORE={page100}\n\
         COMMENTS_PROPOSAL={big_id}\nSEARCH_QUERY={SEARCH_QUERY}\nSEARCH_MATCHES={search_matches}\n\
         SUPPORT_TARGETS={targets}\nTOKENS={tokens}\n",
        seed = args.seed,
        users = args.users,
        proposals = plans.len(),
        supports = supports_written,
        comments = comments_written,
        city_code = scopes[city].code,
        listed = listed.len(),
        targets = targets.len(),
        tokens = tokens.len(),
    );
    std::fs::write(args.out.join("manifest.env"), &manifest)?;
    eprintln!(
        "seeded in {seconds:.1} s: {} users, {} proposals ({} public in the city list), {supports_written} supports, {comments_written} comments; \
         {search_matches} public proposals contain {SEARCH_QUERY:?}; files in {}",
        args.users,
        plans.len(),
        listed.len(),
        args.out.display()
    );
    db.close().await;
    Ok(())
}
