//! `maeul opinion …`: command-line front end of the maeul-opinion engine (argument parsing and printing only).
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use maeul_opinion::report::AnalyzeReport;
use maeul_opinion::{
    Analysis, Conversation, Options, analyze, read_export_dir, replay_with_progress,
};

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyse a Pol.is export folder (votes.csv + comments.csv, or participants-votes.csv alone).
    Analyze {
        /// Export folder.
        dir: PathBuf,
        /// Seed of the PCA start vectors.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Replay votes.csv in time order, updating the map every N votes (incremental mode).
        #[arg(long, value_name = "N")]
        replay_every: Option<usize>,
        /// Project without polismath's sparsity scaling (as early, 2014-era Pol.is did).
        #[arg(long)]
        no_sparsity_scaling: bool,
        /// Print the full result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Draw the opinion map of a Pol.is export folder as an accessible SVG.
    Map {
        /// Export folder.
        dir: PathBuf,
        /// Output SVG file.
        #[arg(short, long)]
        output: PathBuf,
        #[arg(long, default_value_t = 0)]
        seed: u64,
        #[arg(long, value_name = "N")]
        replay_every: Option<usize>,
        #[arg(long)]
        no_sparsity_scaling: bool,
    },
}

fn options(seed: u64, no_sparsity_scaling: bool) -> Options {
    Options {
        seed,
        sparsity_scaling: !no_sparsity_scaling,
        ..Options::default()
    }
}

/// Reads an export folder and warns (stderr) about votes on statements `comments.csv` does not list: they
/// still count in the math, but usually mean a truncated or mismatched export.
fn read_conversation(dir: &Path) -> anyhow::Result<Conversation> {
    let conversation = read_export_dir(dir)?;
    if dir.join("comments.csv").exists() {
        let (events, ids) = conversation.votes_on_unknown_statements();
        if events > 0 {
            const SHOWN: usize = 20;
            let listed: Vec<String> = ids.iter().take(SHOWN).map(u64::to_string).collect();
            let more = if ids.len() > SHOWN {
                format!(" and {} more", ids.len() - SHOWN)
            } else {
                String::new()
            };
            eprintln!(
                "warning: {events} vote{} on {} statement id{} missing from {}: {}{more}",
                if events == 1 { "" } else { "s" },
                ids.len(),
                if ids.len() == 1 { "" } else { "s" },
                dir.join("comments.csv").display(),
                listed.join(", ")
            );
        }
    }
    Ok(conversation)
}

/// From scratch, or replayed in time order with an update every N votes; a replay shows a progress bar on
/// a terminal (not with `--json`, not when stderr is redirected).
fn compute(
    conversation: &Conversation,
    options: &Options,
    replay_every: Option<usize>,
    json: bool,
) -> Analysis {
    let Some(every) = replay_every else {
        return analyze(conversation, options);
    };
    let bar = if json || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let bar = ProgressBar::new(conversation.votes.len() as u64);
        bar.set_style(
            ProgressStyle::with_template("replaying votes {bar:30} {pos}/{len} ({elapsed})")
                .expect("valid template"),
        );
        bar
    };
    let analysis = replay_with_progress(conversation, every, options, &mut |done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    });
    bar.finish_and_clear();
    analysis
}

pub fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Analyze {
            dir,
            seed,
            replay_every,
            no_sparsity_scaling,
            json,
        } => {
            let conversation = read_conversation(&dir)?;
            let options = options(seed, no_sparsity_scaling);
            let started = Instant::now();
            let analysis = compute(&conversation, &options, replay_every, json);
            let report =
                AnalyzeReport::new(&conversation, &analysis, started.elapsed().as_secs_f64());
            if json {
                println!("{}", serde_json::to_string(&report)?);
            } else {
                print!("{}", report.summary());
            }
        }
        Command::Map {
            dir,
            output,
            seed,
            replay_every,
            no_sparsity_scaling,
        } => {
            let conversation = read_conversation(&dir)?;
            let options = options(seed, no_sparsity_scaling);
            let analysis = compute(&conversation, &options, replay_every, false);
            let svg =
                maeul_opinion::map_svg::render_map_string(&analysis, &conversation.statements);
            std::fs::write(&output, svg)
                .with_context(|| format!("cannot write {}", output.display()))?;
            eprintln!(
                "wrote {} ({} groups, {} participants)",
                output.display(),
                analysis.k,
                analysis.participants.len()
            );
        }
    }
    Ok(())
}
