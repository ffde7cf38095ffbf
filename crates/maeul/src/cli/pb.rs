//! `maeul pb …`: command-line front end of the maeul-pb engine (argument parsing and printing only).
use anyhow::Context;
use clap::Subcommand;
use maeul_pb::report::{self, RuleChoice};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Count an election (`.pb` or `.pb.gz`) with a rule and print the funded projects in selection order.
    Tally {
        /// The election file.
        file: PathBuf,
        /// greedy_cost, greedy_card, greedy_points, greedy_borda, mes_cost, mes_card, mes_points, mes_cost_greedy,
        /// mes_cost_add1, mes_cost_add1_greedy, mes_cost_budget_increase, mes_cost_budget_increase_greedy,
        /// phragmen, or official (the rule named in the file).
        #[arg(long)]
        rule: String,
        /// Print JSON: {"rule", "selected", "total_cost", "seconds"}.
        #[arg(long)]
        json: bool,
        /// Also explain, for every project, why it was or was not funded.
        #[arg(long)]
        explain: bool,
    },
    /// Validate a file and print every problem (exit status 1 if the file cannot be read).
    Check {
        /// The election file.
        file: PathBuf,
    },
    /// Summarise a file: projects, voters, ballot lengths, costs.
    Stats {
        /// The election file.
        file: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Tally {
            file,
            rule,
            json,
            explain,
        } => {
            let rule = RuleChoice::parse(&rule).map_err(anyhow::Error::msg)?;
            let counted = maeul_pb::read_path_for_counting(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let tally = report::tally(&counted.election, &counted.profile, rule)
                .with_context(|| format!("counting {}", file.display()))?;
            if json {
                println!("{}", tally.to_json(explain));
            } else {
                print!("{}", tally.to_text(explain));
            }
        }
        Command::Check { file } => {
            let result = maeul_pb::read_path(&file);
            let problems = report::check(&result);
            for problem in &problems {
                println!("{}: {problem}", file.display());
            }
            match result {
                Err(_) => anyhow::bail!("{} is not a valid .pb file", file.display()),
                Ok(parsed) => println!(
                    "{}: readable: {} projects, {} voters; {} remark(s)",
                    file.display(),
                    parsed.election.projects.len(),
                    parsed.election.voters.len(),
                    problems.len()
                ),
            }
        }
        Command::Stats { file, json } => {
            let parsed = maeul_pb::read_path(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let stats = report::stats(&parsed.election);
            if json {
                println!("{stats}");
            } else {
                print!("{}", report::stats_text(&stats));
            }
        }
    }
    Ok(())
}
