//! Resident satisfaction surveys (issue 15, bullet 4): tied to a tracked project, a plan or a scope; Likert
//! (1–5) and short-answer questions; answered once per verified resident of the scope (the database holds a
//! unique index); their results — counts, means and 95 % confidence intervals — are evidence in the
//! scope's evaluation cycle of the survey's year.
//!
//! The statistics are the textbook ones, computed exactly here so a reader can check them by hand:
//! - the mean of a Likert question with its 95 % interval `mean ± t(0.975, n−1) · s / √n` (Student's t,
//!   `s` the sample standard deviation); no interval for fewer than two answers;
//! - the share of "satisfied" answers (4 or 5) with its 95 % Wilson score interval.

use crate::account::FieldError;

crate::named_enum! {
    /// What a survey asks about.
    pub enum SurveySubject: "survey subject", label "survey-subject-" {
        Scope = "scope",
        TrackedProject = "tracked_project",
        Plan = "plan",
    }
}

crate::named_enum! {
    /// How a question is answered.
    pub enum QuestionKind: "survey question kind", label "survey-question-" {
        /// 1 (very dissatisfied) … 5 (very satisfied).
        Likert = "likert",
        ShortAnswer = "short_answer",
    }
}

crate::named_enum! {
    pub enum SurveyState: "survey state", label "survey-state-" {
        Open = "open",
        Closed = "closed",
    }
}

/// The Likert scale's ends.
pub const LIKERT_MIN: i64 = 1;
pub const LIKERT_MAX: i64 = 5;
/// Longest short answer, in characters.
pub const SHORT_ANSWER_MAX: usize = 500;
/// Longest survey title and question prompt, in characters.
pub const PROMPT_MAX: usize = 200;
/// Most questions a survey has.
pub const QUESTIONS_MAX: usize = 20;

/// An answer to one question, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Likert(i64),
    Text(String),
    /// Left blank (every question is optional: a resident may skip one).
    Skipped,
}

/// Reads the answer typed for a question of `kind`: a Likert answer is a whole number 1–5, a short answer
/// at most [`SHORT_ANSWER_MAX`] characters; blank is skipped.
pub fn check_answer(kind: QuestionKind, input: &str) -> Result<Answer, FieldError> {
    let t = input.trim();
    if t.is_empty() {
        return Ok(Answer::Skipped);
    }
    match kind {
        QuestionKind::Likert => match t.parse::<i64>() {
            Ok(v) if (LIKERT_MIN..=LIKERT_MAX).contains(&v) => Ok(Answer::Likert(v)),
            _ => Err(FieldError::Invalid),
        },
        QuestionKind::ShortAnswer => {
            if t.chars().count() > SHORT_ANSWER_MAX {
                Err(FieldError::TooLong {
                    max: SHORT_ANSWER_MAX,
                })
            } else {
                Ok(Answer::Text(t.to_owned()))
            }
        }
    }
}

/// Checks a title or a question's prompt.
pub fn check_prompt(input: &str) -> Result<String, FieldError> {
    let t = input.trim();
    if t.is_empty() {
        Err(FieldError::Required)
    } else if t.chars().count() > PROMPT_MAX {
        Err(FieldError::TooLong { max: PROMPT_MAX })
    } else {
        Ok(t.to_owned())
    }
}

/// A closed interval `[low, high]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

/// What a Likert question's answers say.
#[derive(Debug, Clone, PartialEq)]
pub struct LikertSummary {
    /// How many answered it (skips not counted).
    pub n: u64,
    /// How many chose 1, 2, 3, 4, 5.
    pub counts: [u64; 5],
    /// `None` without answers.
    pub mean: Option<f64>,
    /// 95 % interval of the mean (Student's t); `None` for fewer than two answers.
    pub mean_ci: Option<Interval>,
    /// Share of 4 and 5, 0–1; `None` without answers.
    pub satisfied: Option<f64>,
    /// 95 % Wilson interval of that share.
    pub satisfied_ci: Option<Interval>,
}

/// Summarises Likert answers (values outside 1–5 are ignored: the storage never holds them).
pub fn likert_summary(answers: &[i64]) -> LikertSummary {
    let mut counts = [0u64; 5];
    for &a in answers {
        if (LIKERT_MIN..=LIKERT_MAX).contains(&a) {
            counts[(a - LIKERT_MIN) as usize] += 1;
        }
    }
    let n: u64 = counts.iter().sum();
    if n == 0 {
        return LikertSummary {
            n,
            counts,
            mean: None,
            mean_ci: None,
            satisfied: None,
            satisfied_ci: None,
        };
    }
    let nf = n as f64;
    let sum: f64 = counts
        .iter()
        .enumerate()
        .map(|(i, &c)| (i as f64 + 1.0) * c as f64)
        .sum();
    let mean = sum / nf;
    let mean_ci = (n >= 2).then(|| {
        let ss: f64 = counts
            .iter()
            .enumerate()
            .map(|(i, &c)| c as f64 * (i as f64 + 1.0 - mean).powi(2))
            .sum();
        let sd = (ss / (nf - 1.0)).sqrt();
        let half = t_975(n - 1) * sd / nf.sqrt();
        Interval {
            low: mean - half,
            high: mean + half,
        }
    });
    let happy = (counts[3] + counts[4]) as f64;
    LikertSummary {
        n,
        counts,
        mean: Some(mean),
        mean_ci,
        satisfied: Some(happy / nf),
        satisfied_ci: Some(wilson(happy, nf)),
    }
}

/// The 95 % Wilson score interval of `successes` out of `n` (n > 0).
pub fn wilson(successes: f64, n: f64) -> Interval {
    const Z: f64 = 1.959_963_984_540_054;
    let p = successes / n;
    let z2 = Z * Z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Interval {
        low: (centre - half).max(0.0),
        high: (centre + half).min(1.0),
    }
}

/// Student's t quantile 0.975 for `df` degrees of freedom (df ≥ 1): exact table to 30, then the
/// Cornish–Fisher expansion around the normal quantile (error below 1e-4).
pub fn t_975(df: u64) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    if df == 0 {
        return f64::INFINITY;
    }
    if df <= 30 {
        return TABLE[(df - 1) as usize];
    }
    let z: f64 = 1.959_963_984_540_054;
    let v = df as f64;
    let z3 = z.powi(3);
    let z5 = z.powi(5);
    let z7 = z.powi(7);
    z + (z3 + z) / (4.0 * v)
        + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * v * v)
        + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * v * v * v)
}

/// Who may answer: a verified resident of the survey's scope, once, while it is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Respondent {
    pub resident_of_scope: bool,
    pub already_answered: bool,
}

/// Decides whether a respondent may answer a survey in `state`.
pub fn may_respond(state: SurveyState, who: Respondent) -> Result<(), super::EvaluationRefusal> {
    use super::EvaluationRefusal as R;
    if state != SurveyState::Open {
        return Err(R::SurveyClosed);
    }
    if !who.resident_of_scope {
        return Err(R::NotResidentOfScope);
    }
    if who.already_answered {
        return Err(R::AlreadyResponded);
    }
    Ok(())
}
