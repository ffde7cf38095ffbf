//! Small grants: criteria with weights, reviewers' scores (with their spread), the conflict-of-interest
//! rule, and the ranking with awards within the budget — a pure function of the scores.

use super::CooperationRefusal;

crate::named_enum! {
    /// Where a grant call stands.
    pub enum GrantCallState: "grant call state", label "coop-call-" {
        Open = "open",
        Reviewing = "reviewing",
        Published = "published",
    }
}

crate::named_enum! {
    /// Who may apply to a call.
    pub enum Eligibility: "grant eligibility", label "coop-eligible-" {
        Organizations = "organizations",
        ResidentGroups = "resident_groups",
        Both = "both",
    }
}

/// The highest score a reviewer gives on one criterion.
pub const MAX_SCORE: i64 = 10;

/// Checks a reviewer may score an application: not a member of the applicant organization
/// (`reviewer_orgs` are the organizations the reviewer belongs to), and each score within 0..=MAX.
pub fn check_review(
    reviewer_orgs: &[i64],
    applicant_org: Option<i64>,
    scores: &[i64],
) -> Result<(), CooperationRefusal> {
    if applicant_org.is_some_and(|org| reviewer_orgs.contains(&org)) {
        return Err(CooperationRefusal::ConflictOfInterest);
    }
    if scores.iter().any(|s| !(0..=MAX_SCORE).contains(s)) {
        return Err(CooperationRefusal::ScoreOutOfRange { max: MAX_SCORE });
    }
    Ok(())
}

/// Checks criteria weights: at least one, each positive.
pub fn check_weights(weights: &[i64]) -> Result<(), CooperationRefusal> {
    if weights.is_empty() || weights.iter().any(|w| *w <= 0) {
        Err(CooperationRefusal::BadWeights)
    } else {
        Ok(())
    }
}

/// One reviewer's weighted score of an application, in thousandths of a point on the 0..=MAX scale:
/// `Σ weight × score / Σ weight`.
pub fn weighted(weights: &[i64], scores: &[i64]) -> i64 {
    let total: i64 = weights.iter().sum();
    if total == 0 {
        return 0;
    }
    weights
        .iter()
        .zip(scores)
        .map(|(w, s)| w * s * 1000)
        .sum::<i64>()
        / total
}

/// The spread of reviewers' weighted scores: (lowest, highest), in thousandths.
pub fn spread(weighted_scores: &[i64]) -> Option<(i64, i64)> {
    Some((
        *weighted_scores.iter().min()?,
        *weighted_scores.iter().max()?,
    ))
}

/// An application as the ranking sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scored {
    pub id: i64,
    pub amount: i64,
    /// Each reviewer's weighted score (thousandths).
    pub reviews: Vec<i64>,
}

/// One line of the published ranking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranked {
    pub id: i64,
    pub rank: u32,
    /// Mean weighted score, thousandths.
    pub mean: i64,
    pub awarded: bool,
}

/// Ranks applications by their mean weighted score (unreviewed ones last; ties by id, the earlier
/// application first) and awards them in rank order while the budget lasts: an application that no
/// longer fits is passed over and the next one that fits is awarded.
pub fn rank_and_award(applications: &[Scored], budget: i64) -> Vec<Ranked> {
    let mut rows: Vec<(&Scored, i64)> = applications
        .iter()
        .map(|a| {
            let n = a.reviews.len() as i64;
            let mean = if n == 0 {
                -1
            } else {
                a.reviews.iter().sum::<i64>() / n
            };
            (a, mean)
        })
        .collect();
    rows.sort_by(|(a, ma), (b, mb)| mb.cmp(ma).then(a.id.cmp(&b.id)));
    let mut left = budget;
    let mut out = Vec::with_capacity(rows.len());
    for (i, (a, mean)) in rows.into_iter().enumerate() {
        let awarded = mean >= 0 && a.amount <= left;
        if awarded {
            left -= a.amount;
        }
        out.push(Ranked {
            id: a.id,
            rank: i as u32 + 1,
            mean: mean.max(0),
            awarded,
        });
    }
    out
}
