//! The grading formula, documented here and on the evaluation page:
//!
//! 1. *Indicator achievement* `A`: the mean, in ‰, of the achievements of the cycle's numeric indicators
//!    ([`super::achievement`]: how far each actual went from its baseline to its target).
//! 2. *Rubric score* `R`: for each criterion of the city's rubric, the evaluators' mean score as ‰ of the
//!    criterion's maximum; the criteria combined by their weights.
//! 3. *Points* `P = (600 · A + 400 · R) / 1000` ‰, rounded half up (`P = R` when no indicator is numeric).
//! 4. *Grade*: 가 when `P ≥ 900`, 나 when `P ≥ 750`, 다 when `P ≥ 600`, 라 below. The envelope formula's
//!    grade term reads the grade's figure: 가 4, 나 3, 다 2, 라 1 (a larger figure, a larger share).

use super::EvaluationRefusal;

crate::named_enum! {
    /// A scope's evaluation grade.
    pub enum GradeLetter: "evaluation grade", label "evaluation-grade-" {
        Ga = "ga",
        Na = "na",
        Da = "da",
        Ra = "ra",
    }
}

impl GradeLetter {
    /// The grade as written in Korean (가, 나, 다, 라).
    pub fn hangul(self) -> &'static str {
        match self {
            GradeLetter::Ga => "가",
            GradeLetter::Na => "나",
            GradeLetter::Da => "다",
            GradeLetter::Ra => "라",
        }
    }

    /// The figure the budget's envelope formula reads for this grade.
    pub fn figure(self) -> u64 {
        match self {
            GradeLetter::Ga => 4,
            GradeLetter::Na => 3,
            GradeLetter::Da => 2,
            GradeLetter::Ra => 1,
        }
    }

    /// The grade of `points` ‰.
    pub fn of_points(points: u64) -> GradeLetter {
        match points {
            900.. => GradeLetter::Ga,
            750.. => GradeLetter::Na,
            600.. => GradeLetter::Da,
            _ => GradeLetter::Ra,
        }
    }
}

/// Weight of indicator achievement in the points (‰); the rubric has the rest.
pub const INDICATOR_WEIGHT_PERMILLE: u64 = 600;

/// One rubric criterion with the evaluators' scores for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriterionScores {
    pub weight: u32,
    pub max: i64,
    pub scores: Vec<i64>,
}

/// The evaluators' spread on one criterion: how many scored, the lowest, the highest, and the mean (‰ of
/// the maximum).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spread {
    pub count: usize,
    pub min: i64,
    pub max: i64,
    pub mean_permille: u64,
}

fn div_round(n: u128, d: u128) -> u64 {
    ((n * 2 + d) / (d * 2)) as u64
}

impl CriterionScores {
    /// The spread of the scores, `None` when nobody scored.
    pub fn spread(&self) -> Option<Spread> {
        if self.scores.is_empty() || self.max <= 0 {
            return None;
        }
        let sum: u128 = self
            .scores
            .iter()
            .map(|s| s.max(&0).unsigned_abs() as u128)
            .sum();
        Some(Spread {
            count: self.scores.len(),
            min: *self.scores.iter().min()?,
            max: *self.scores.iter().max()?,
            mean_permille: div_round(
                sum * 1000,
                self.scores.len() as u128 * self.max.unsigned_abs() as u128,
            ),
        })
    }
}

/// The rubric score `R` in ‰: each scored criterion's mean by its weight. No scores → refused.
pub fn rubric_permille(criteria: &[CriterionScores]) -> Result<u64, EvaluationRefusal> {
    let scored: Vec<(u64, u32)> = criteria
        .iter()
        .filter_map(|c| c.spread().map(|s| (s.mean_permille, c.weight)))
        .collect();
    let weight: u128 = scored.iter().map(|(_, w)| u128::from(*w)).sum();
    if weight == 0 {
        return Err(EvaluationRefusal::NoScores);
    }
    let sum: u128 = scored
        .iter()
        .map(|(m, w)| u128::from(*m) * u128::from(*w))
        .sum();
    Ok(div_round(sum, weight))
}

/// A computed grade and its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GradeResult {
    /// `A`, when some indicator is numeric.
    pub achievement_permille: Option<u64>,
    pub rubric_permille: u64,
    pub points_permille: u64,
    pub letter: GradeLetter,
}

/// Grades a cycle from its indicators' achievements (‰ each) and the rubric's criteria.
pub fn grade(
    achievements: &[u64],
    criteria: &[CriterionScores],
) -> Result<GradeResult, EvaluationRefusal> {
    let rubric = rubric_permille(criteria)?;
    let achievement = (!achievements.is_empty()).then(|| {
        let sum: u128 = achievements.iter().map(|a| u128::from(*a)).sum();
        div_round(sum, achievements.len() as u128)
    });
    let points = match achievement {
        Some(a) => div_round(
            u128::from(a) * u128::from(INDICATOR_WEIGHT_PERMILLE)
                + u128::from(rubric) * u128::from(1000 - INDICATOR_WEIGHT_PERMILLE),
            1000,
        ),
        None => rubric,
    };
    Ok(GradeResult {
        achievement_permille: achievement,
        rubric_permille: rubric,
        points_permille: points,
        letter: GradeLetter::of_points(points),
    })
}
