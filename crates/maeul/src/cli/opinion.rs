//! `maeul opinion …`: command-line front end of the maeul-opinion engine (argument parsing and printing only).
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::Subcommand;
use maeul_opinion::report::AnalyzeReport;
use maeul_opinion::{Options, analyze, read_export_dir, replay};

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

pub fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Analyze {
            dir,
            seed,
            replay_every,
            no_sparsity_scaling,
            json,
        } => {
            let conversation = read_export_dir(&dir)?;
            let options = options(seed, no_sparsity_scaling);
            let started = Instant::now();
            let analysis = match replay_every {
                Some(every) => replay(&conversation, every, &options),
                None => analyze(&conversation, &options),
            };
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
            let conversation = read_export_dir(&dir)?;
            let options = options(seed, no_sparsity_scaling);
            let analysis = match replay_every {
                Some(every) => replay(&conversation, every, &options),
                None => analyze(&conversation, &options),
            };
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
