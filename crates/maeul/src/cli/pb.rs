//! `maeul pb …`: command-line front end of the maeul-pb engine (argument parsing and printing only).
use anyhow::Context;
use clap::Subcommand;
use maeul_pb::report::{self, RuleChoice};
use maeul_pb::{Progress, RunOptions};
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Count an election (`.pb` or `.pb.gz`) with a rule and print the funded projects in selection order.
    Tally {
        /// The election file.
        file: PathBuf,
        /// greedy_cost, greedy_card, greedy_points, greedy_borda, mes_cost, mes_card, mes_points, mes_cost_greedy,
        /// mes_cost_add1, mes_cost_add1_greedy, mes_cost_budget_increase, mes_cost_budget_increase_greedy,
        /// phragmen, official (the rule named in the file), or all (every standard rule on the one profile read).
        #[arg(long)]
        rule: String,
        /// Print JSON: {"rule", "selected", "total_cost", "seconds"} (with `--rule all`: {"rules": [those, or
        /// {"rule", "error"}], "seconds"}).
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
    /// Import a historical election into a scope's latest envelope, counted with a rule (audited).
    Import(super::pb_import::ImportArgs),
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
        Command::Import(args) => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?
            .block_on(super::pb_import::import(args))?,
        Command::Tally {
            file,
            rule,
            json,
            explain,
        } => {
            let all = rule == "all";
            let rule = if all {
                None
            } else {
                Some(RuleChoice::parse(&rule).map_err(anyhow::Error::msg)?)
            };
            let counted = maeul_pb::read_path_for_counting(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            // Progress of long counts on a terminal only, never mixed into JSON or a redirected output.
            let mut bar = ProgressLine::new(
                !json && std::io::stdout().is_terminal() && std::io::stderr().is_terminal(),
            );
            let mut on_progress = |p: &Progress| bar.show(p);
            let options = RunOptions {
                progress: Some(&mut on_progress),
                every_budget: false,
            };
            match rule {
                Some(rule) => {
                    let tally = report::tally(&counted.election, &counted.profile, rule, options)
                        .with_context(|| format!("counting {}", file.display()))?;
                    bar.finish();
                    if json {
                        println!("{}", tally.to_json(explain));
                    } else {
                        print!("{}", tally.to_text(explain));
                    }
                }
                None => {
                    let tallies = report::tally_all(&counted.profile, options);
                    bar.finish();
                    if json {
                        println!("{}", tallies.to_json(explain));
                    } else {
                        print!("{}", tallies.to_text(explain));
                    }
                }
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

/// A progress bar on stderr for iterated equal shares, drawn only when asked (on a terminal) and only once a long
/// count reports progress.
struct ProgressLine {
    enabled: bool,
    bar: Option<indicatif::ProgressBar>,
}

impl ProgressLine {
    fn new(enabled: bool) -> Self {
        ProgressLine { enabled, bar: None }
    }

    fn show(&mut self, progress: &Progress) {
        if !self.enabled {
            return;
        }
        let bar = self.bar.get_or_insert_with(|| {
            let bar = indicatif::ProgressBar::new(1000);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} {elapsed_precise} [{bar:30}] budget spent by the outcome  {msg}",
                )
                .expect("a valid template")
                .progress_chars("=> "),
            );
            bar
        });
        bar.set_position((progress.spent.clamp(0.0, 1.0) * 1000.0) as u64);
        bar.set_message(format!(
            "{}: {:.2} per voter, {} budgets, {} runs",
            progress.rule, progress.per_voter_budget, progress.budgets_tried, progress.runs
        ));
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
