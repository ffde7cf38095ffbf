//! maeul-sortition: the pure recruitment-lottery engine of maeul.
//!
//! Committee recruitment (dong resident councils, PB committees, citizens' assembly panels) draws members
//! among eligible applicants under quotas per stratum. This crate owns that draw:
//! * the published input format ([`Instance`], `maeul-sortition/1`) and its validation ([`Pool`]);
//! * the feasibility check of the quotas, run before anything else ([`check_feasibility`]);
//! * leximin selection probabilities (Flanigan et al., Nature 2021) by column generation over panel
//!   compositions ([`leximin()`]);
//! * the verifiable, seeded draw of a panel and an ordered reserve list ([`draw()`]), and the filling of
//!   vacancies from the reserve list ([`fill_vacancy`]);
//! * the "stratified uniform" comparison baseline ([`baseline`]);
//! * the reports printed by `maeul sortition …` ([`report`]).
//!
//! No I/O beyond reading the input; no clock; no global randomness: everything random comes from the
//! announced seed.
pub mod baseline;
pub mod composition;
pub mod draw;
pub mod feasibility;
pub mod instance;
pub mod leximin;
pub mod report;
pub mod simplex;

use std::fmt;

pub use composition::{QuotaConstraint, SolverFailure};
pub use draw::{
    DrawOutcome, SeedTextError, VacancyFilled, VacancyRule, check_seed_text, draw, fill_vacancies,
    fill_vacancy, seed_digest,
};
pub use feasibility::{FeasibilityReport, Infeasibility, check_feasibility};
pub use instance::{FORMAT, FORMAT_V1, InputError, Instance, Pool, Procedure};
pub use leximin::{Distribution, LeximinProgress, LeximinStats, leximin, leximin_with_progress};

/// Anything that stops a lottery from producing probabilities or a panel.
#[derive(Debug, Clone, PartialEq)]
pub enum SortitionError {
    /// The input is malformed.
    Input(InputError),
    /// The quotas cannot be met; nothing was drawn.
    Infeasible(Vec<Infeasibility>),
    /// The LP solver failed.
    Solver(SolverFailure),
}

impl fmt::Display for SortitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SortitionError::Input(error) => write!(f, "invalid input: {error}"),
            SortitionError::Infeasible(problems) => {
                write!(f, "the quotas cannot be met, so no draw is possible:")?;
                for problem in problems {
                    write!(f, "\n  - {problem}")?;
                }
                Ok(())
            }
            SortitionError::Solver(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for SortitionError {}

impl From<InputError> for SortitionError {
    fn from(error: InputError) -> Self {
        SortitionError::Input(error)
    }
}

impl From<SolverFailure> for SortitionError {
    fn from(error: SolverFailure) -> Self {
        SortitionError::Solver(error)
    }
}

/// A feasible pool with its leximin distribution: everything a draw needs.
#[derive(Debug, Clone)]
pub struct Lottery {
    pub pool: Pool,
    pub distribution: Distribution,
    pub stats: LeximinStats,
}

impl Lottery {
    /// Validates the instance, checks feasibility (refusing an infeasible quota set with every reason
    /// found) and computes the leximin distribution.
    pub fn prepare(instance: &Instance) -> Result<Lottery, SortitionError> {
        Lottery::prepare_with_progress(instance, &mut |_| {})
    }

    /// [`Lottery::prepare`], reporting the leximin computation's progress to `progress` (after every
    /// master problem solved); the engine itself draws nothing.
    pub fn prepare_with_progress(
        instance: &Instance,
        progress: &mut dyn FnMut(&LeximinProgress),
    ) -> Result<Lottery, SortitionError> {
        let pool = Pool::new(instance)?;
        let report = check_feasibility(&pool)?;
        let Some(witness) = report.witness else {
            return Err(SortitionError::Infeasible(report.problems));
        };
        let max_stages = instance
            .leximin_max_stages
            .unwrap_or_else(|| leximin::default_max_stages(&pool));
        let (distribution, stats) = leximin_with_progress(&pool, &witness, max_stages, progress)?;
        Ok(Lottery {
            pool,
            distribution,
            stats,
        })
    }

    /// The seeded draw from this lottery's distribution.
    pub fn draw(&self, seed_text: &str) -> DrawOutcome {
        draw::draw(&self.pool, &self.distribution, seed_text)
    }
}

/// Lower-case hex SHA-256 of some bytes (used to fingerprint the published input file).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    draw::hex(&Sha256::digest(bytes))
}

/// Selection probabilities of the uniform baseline (see [`baseline`]) for an instance: validates it,
/// refuses infeasible quotas like [`Lottery::prepare`], then computes them exactly or by Monte Carlo
/// (`samples` panels). Returns the pool, the probability of each type, whether it is exact, and a note.
pub fn uniform_baseline(
    instance: &Instance,
    samples: usize,
) -> Result<(Pool, Vec<f64>, bool, String), SortitionError> {
    let pool = Pool::new(instance)?;
    let report = check_feasibility(&pool)?;
    let Some(witness) = report.witness else {
        return Err(SortitionError::Infeasible(report.problems));
    };
    let (probabilities, exact, note) = baseline::uniform_probabilities(&pool, &witness, samples);
    Ok((pool, probabilities, exact, note))
}
