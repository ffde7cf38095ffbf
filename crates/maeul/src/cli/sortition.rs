//! `maeul sortition …`: command-line front end of the maeul-sortition engine. Parsing and printing only;
//! the reports are built by `maeul_sortition::report`.
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use maeul_sortition::{
    Instance, LeximinProgress, Lottery, Pool, SortitionError, check_feasibility, check_seed_text,
    fill_vacancies, report, sha256_hex, uniform_baseline,
};

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a lottery input (format maeul-sortition/1): validity and feasibility of the quotas.
    Check {
        /// The published input (JSON).
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Selection probability of every applicant under the quotas.
    Probabilities {
        file: PathBuf,
        /// leximin (what `draw` uses) or uniform (every quota-meeting panel equally likely, for comparison).
        #[arg(long, value_enum, default_value_t = Method::Leximin)]
        method: Method,
        /// Monte Carlo samples for the uniform baseline when it is too large to enumerate.
        #[arg(long, default_value_t = 20_000)]
        samples: usize,
        #[arg(long)]
        json: bool,
    },
    /// The verifiable draw: panel, reserve list and probabilities from the input and the announced seed text.
    Draw {
        file: PathBuf,
        /// The announced public value, exactly as published (its SHA-256 seeds ChaCha20).
        #[arg(long)]
        seed_text: String,
        #[arg(long)]
        json: bool,
    },
    /// Fill vacancies of a drawn panel from its reserve list, in the order given.
    Replace {
        file: PathBuf,
        #[arg(long)]
        seed_text: String,
        /// Id of a member who leaves (repeat for several, in order).
        #[arg(long = "leaving", required = true)]
        leaving: Vec<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Method {
    Leximin,
    Uniform,
}

fn read(file: &Path) -> anyhow::Result<(Instance, String)> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let text =
        String::from_utf8(bytes).with_context(|| format!("{}: not UTF-8", file.display()))?;
    let instance = Instance::from_json_str(&text).with_context(|| format!("{}", file.display()))?;
    Ok((instance, sha256_hex(text.as_bytes())))
}

/// A spinner on stderr describing the leximin computation, only when stderr is a terminal and the output
/// is not JSON (scripts and pipes get nothing extra).
fn progress_spinner(json: bool) -> ProgressBar {
    if json || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let spinner = ProgressBar::new_spinner();
    spinner.set_style(
        ProgressStyle::with_template("{spinner} leximin probabilities: {msg} ({elapsed})")
            .expect("valid template"),
    );
    spinner.set_message("checking the quotas");
    spinner.enable_steady_tick(Duration::from_millis(120));
    spinner
}

fn describe(progress: &LeximinProgress) -> String {
    let stages = if progress.max_stages == u32::MAX {
        format!("stage {}", progress.stage)
    } else {
        format!(
            "stage {} of at most {}",
            progress.stage, progress.max_stages
        )
    };
    format!(
        "{stages}, {}/{} types fixed, {} master problems, {} compositions",
        progress.fixed_types, progress.types, progress.master_solves, progress.compositions
    )
}

fn prepare(file: &Path, instance: &Instance, json: bool) -> anyhow::Result<Lottery> {
    let spinner = progress_spinner(json);
    let lottery = Lottery::prepare_with_progress(instance, &mut |progress| {
        spinner.set_message(describe(progress));
    });
    spinner.finish_and_clear();
    lottery.map_err(|error| match error {
        SortitionError::Input(error) => anyhow::anyhow!("{}: {error}", file.display()),
        other => anyhow::anyhow!("{}: {other}", file.display()),
    })
}

fn checked_seed(seed_text: &str) -> anyhow::Result<()> {
    check_seed_text(seed_text).map_err(|error| anyhow::anyhow!("--seed-text: {error}"))
}

fn print_json(value: &serde_json::Value) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).expect("JSON values serialise")
    );
}

pub fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Check { file, json } => {
            let (instance, _) = read(&file)?;
            let pool = Pool::new(&instance).with_context(|| format!("{}", file.display()))?;
            let feasibility = check_feasibility(&pool)?;
            if json {
                print_json(&report::check_json(&pool, &feasibility));
            } else {
                print!("{}", report::check_text(&pool, &feasibility));
            }
            if !feasibility.is_feasible() {
                bail!("{}: the quotas cannot be met", file.display());
            }
        }
        Command::Probabilities {
            file,
            method,
            samples,
            json,
        } => {
            let (instance, _) = read(&file)?;
            match method {
                Method::Leximin => {
                    let lottery = prepare(&file, &instance, json)?;
                    let pool = &lottery.pool;
                    if json {
                        print_json(&report::probabilities_json(
                            pool,
                            &lottery.distribution,
                            &lottery.stats,
                        ));
                    } else {
                        print!(
                            "{}",
                            report::probabilities_text(
                                pool,
                                "leximin",
                                &lottery.distribution.type_probabilities,
                                ""
                            )
                        );
                    }
                }
                Method::Uniform => {
                    let (pool, probabilities, exact, note) =
                        uniform_baseline(&instance, samples)
                            .map_err(|error| anyhow::anyhow!("{}: {error}", file.display()))?;
                    if json {
                        print_json(&report::baseline_json(&pool, &probabilities, exact, &note));
                    } else {
                        print!(
                            "{}",
                            report::probabilities_text(
                                &pool,
                                "uniform",
                                &probabilities,
                                &format!(" ({note})")
                            )
                        );
                    }
                }
            }
        }
        Command::Draw {
            file,
            seed_text,
            json,
        } => {
            checked_seed(&seed_text)?;
            let (instance, input_sha256) = read(&file)?;
            let lottery = prepare(&file, &instance, json)?;
            let outcome = lottery.draw(&seed_text);
            if json {
                print_json(&report::draw_json(
                    &lottery.pool,
                    &lottery.distribution,
                    &outcome,
                    &seed_text,
                    &input_sha256,
                ));
            } else {
                print!(
                    "{}",
                    report::draw_text(
                        &lottery.pool,
                        &lottery.distribution,
                        &outcome,
                        &seed_text,
                        &input_sha256
                    )
                );
            }
        }
        Command::Replace {
            file,
            seed_text,
            leaving,
            json,
        } => {
            checked_seed(&seed_text)?;
            let (instance, _) = read(&file)?;
            let lottery = prepare(&file, &instance, json)?;
            let pool = &lottery.pool;
            let outcome = lottery.draw(&seed_text);
            let mut indices = Vec::with_capacity(leaving.len());
            for id in &leaving {
                let index = pool
                    .applicant_ids
                    .iter()
                    .position(|a| a == id)
                    .with_context(|| format!("no applicant with id {id:?}"))?;
                indices.push(index);
            }
            let (filled, panel) = fill_vacancies(pool, &outcome, &indices)
                .map_err(|a| anyhow::anyhow!("{} is not on the panel", pool.applicant_ids[a]))?;
            if json {
                print_json(&report::vacancies_json(pool, &filled, &panel));
            } else {
                print!("{}", report::vacancies_text(pool, &filled, &panel));
            }
        }
    }
    Ok(())
}
