//! The committees' use of `maeul-sortition`: a call's strata as the engine reads them, the published
//! lottery input frozen at closing, the draw and vacancy filling (run off the async threads), and the
//! published documents anyone can re-check.
use std::collections::BTreeMap;

use maeul_db::committees::{ApplicationRow, CallRow, DrawRow};
use maeul_domain::committee::{AgeBand, CategoryQuota, CommitteeRefusal, QuotaProblem};
use maeul_sortition::instance::{ApplicantSpec, CategorySpec, FeatureSpec, Pool};
use maeul_sortition::{Instance, Lottery, SortitionError};

/// The stratification features of a call: `gender: female<=60%, male<=60%; age: 19-39>=2, 40-59, 60+`
/// (features separated by `;` or new lines, categories by `,`; an optional quota per category: `>=N`,
/// `<=N` seats or `<=N%` of the panel). Also accepts the `features` JSON of the `maeul-sortition/1` format.
/// A refusal names the line (feature) that could not be read.
pub fn parse_features(text: &str) -> Result<Vec<FeatureSpec>, CommitteeRefusal> {
    let text = text.trim();
    if text.starts_with('[') {
        return serde_json::from_str(text)
            .map_err(|e| CommitteeRefusal::Features { line: e.line() });
    }
    let mut features = vec![];
    let parts = text
        .split([';', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty());
    for (i, part) in parts.enumerate() {
        let bad = || CommitteeRefusal::Features { line: i + 1 };
        let (name, cats) = part.split_once(':').ok_or_else(bad)?;
        let mut categories = vec![];
        for cat in cats.split(',').map(str::trim).filter(|c| !c.is_empty()) {
            let mut spec = CategorySpec {
                name: cat.to_owned(),
                min: None,
                max: None,
                min_share: None,
                max_share: None,
            };
            if let Some((n, q)) = cat.split_once(">=") {
                spec.name = n.trim().to_owned();
                spec.min = Some(q.trim().parse().map_err(|_| bad())?);
            } else if let Some((n, q)) = cat.split_once("<=") {
                spec.name = n.trim().to_owned();
                let q = q.trim();
                if let Some(pct) = q.strip_suffix('%') {
                    let pct: f64 = pct.trim().parse().map_err(|_| bad())?;
                    spec.max_share = Some(pct / 100.0);
                } else {
                    spec.max = Some(q.parse().map_err(|_| bad())?);
                }
            }
            if spec.name.is_empty() {
                return Err(bad());
            }
            categories.push(spec);
        }
        if categories.is_empty() || name.trim().is_empty() {
            return Err(bad());
        }
        features.push(FeatureSpec {
            name: name.trim().to_owned(),
            categories,
        });
    }
    if features.is_empty() {
        return Err(CommitteeRefusal::Features { line: 1 });
    }
    Ok(features)
}

/// Whether quotas and age bands can work for a call of `seats` with `min_age`, whoever applies.
pub fn check_call_strata(
    seats: u32,
    min_age: u32,
    features: &[FeatureSpec],
) -> Result<(), CommitteeRefusal> {
    let quotas: Vec<(&str, Vec<CategoryQuota>)> = features
        .iter()
        .map(|f| {
            (
                f.name.as_str(),
                f.categories
                    .iter()
                    .map(|c| CategoryQuota {
                        min: c.min,
                        max: c.max,
                        max_share: c.max_share,
                    })
                    .collect(),
            )
        })
        .collect();
    maeul_domain::committee::check_quotas(seats, &quotas)
        .map_err(CommitteeRefusal::QuotasInfeasible)?;
    for f in features {
        if let Some(bands) = AgeBand::of_feature(f.categories.iter().map(|c| c.name.as_str())) {
            maeul_domain::committee::check_age_bands(min_age, &bands)
                .map_err(CommitteeRefusal::QuotasInfeasible)?;
        }
    }
    Ok(())
}

/// Whether a declared age falls in the age band chosen for a feature of age bands (other features pass).
pub fn age_matches_strata(
    features: &[FeatureSpec],
    strata: &BTreeMap<String, String>,
    age: u32,
) -> bool {
    features.iter().all(|f| {
        match (
            AgeBand::of_feature(f.categories.iter().map(|c| c.name.as_str())),
            strata.get(&f.name).and_then(|v| AgeBand::parse(v)),
        ) {
            (Some(_), Some(band)) => band.contains(age),
            _ => true,
        }
    })
}

pub fn features_of(call: &CallRow) -> Vec<FeatureSpec> {
    serde_json::from_str(&call.features_json).unwrap_or_default()
}

/// Builds the published lottery input of a call from its eligible applicants.
pub fn lottery_input(call: &CallRow, eligible: &[&ApplicationRow]) -> Instance {
    Instance {
        format: maeul_sortition::FORMAT.into(),
        call: Some(format!("call-{}", call.id)),
        panel_size: call.seats as u32,
        reserve_size: call.reserve_size as u32,
        leximin_max_stages: None,
        features: features_of(call),
        applicants: eligible
            .iter()
            .map(|a| ApplicantSpec {
                id: a.pseudonym.clone(),
                features: serde_json::from_str(&a.strata_json).unwrap_or_default(),
            })
            .collect(),
    }
}

/// Whether a panel can be drawn from these applicants under the quotas (checked before a call closes).
pub async fn check_applicants(instance: Instance) -> Result<(), CommitteeRefusal> {
    let seats = instance.panel_size;
    let applicants = instance.applicants.len() as u32;
    if applicants < seats {
        return Err(CommitteeRefusal::QuotasInfeasible(
            QuotaProblem::TooFewApplicants { applicants, seats },
        ));
    }
    let feasible = tokio::task::spawn_blocking(move || {
        let pool = Pool::new(&instance).ok()?;
        maeul_sortition::feasibility::check_feasibility(&pool)
            .ok()
            .map(|r| r.is_feasible())
    })
    .await
    .ok()
    .flatten();
    match feasible {
        Some(true) => Ok(()),
        _ => Err(CommitteeRefusal::QuotasInfeasible(QuotaProblem::Strata {
            feature: String::new(),
        })),
    }
}

/// What a draw produced: the published result, the seed's hash, and the panel and reserves by pseudonym.
pub struct Drawn {
    pub result_json: String,
    pub seed_sha256: String,
    pub panel: Vec<String>,
    pub reserves: Vec<String>,
}

/// Runs the draw of a closed call's frozen input with the announced seed text (leximin probabilities,
/// then the seeded panel and reserves), on a blocking thread: it can take seconds.
pub async fn run(
    input_json: String,
    input_sha: String,
    seed_text: String,
) -> Result<Drawn, SortitionError> {
    tokio::task::spawn_blocking(move || {
        let instance = Instance::from_json_str(&input_json).map_err(SortitionError::Input)?;
        let lottery = Lottery::prepare(&instance)?;
        let outcome = lottery.draw(&seed_text);
        let json = maeul_sortition::report::draw_json(
            &lottery.pool,
            &lottery.distribution,
            &outcome,
            &seed_text,
            &input_sha,
        );
        let ids = |v: &[usize]| {
            v.iter()
                .map(|&a| lottery.pool.applicant_ids[a].clone())
                .collect::<Vec<_>>()
        };
        Ok(Drawn {
            result_json: json.to_string(),
            seed_sha256: outcome.seed_sha256.clone(),
            panel: ids(&outcome.panel),
            reserves: ids(&outcome.reserves),
        })
    })
    .await
    .unwrap_or_else(|e| {
        Err(SortitionError::Input(
            maeul_sortition::InputError::Invalid {
                path: String::new(),
                message: e.to_string(),
            },
        ))
    })
}

/// The reserve (by pseudonym) who takes the seat of the latest of `leaving`, by the engine's rule: the
/// first reserve with the same strata, else the first with whom every quota holds, else the first.
pub async fn replacement(
    input_json: String,
    seed_text: String,
    leaving: Vec<String>,
) -> Result<Option<String>, SortitionError> {
    tokio::task::spawn_blocking(move || {
        let instance = Instance::from_json_str(&input_json).map_err(SortitionError::Input)?;
        let lottery = Lottery::prepare(&instance)?;
        let outcome = lottery.draw(&seed_text);
        let ids = &lottery.pool.applicant_ids;
        let indices: Vec<usize> = leaving
            .iter()
            .filter_map(|p| ids.iter().position(|x| x == p))
            .collect();
        Ok(
            maeul_sortition::fill_vacancies(&lottery.pool, &outcome, &indices)
                .ok()
                .and_then(|(done, _)| done.last().and_then(|v| v.replacement))
                .map(|(a, _)| ids[a].clone()),
        )
    })
    .await
    .unwrap_or_else(|e| {
        Err(SortitionError::Input(
            maeul_sortition::InputError::Invalid {
                path: String::new(),
                message: e.to_string(),
            },
        ))
    })
}

/// The command anyone can run on the published input to get the same panel.
pub fn rerun_command(call_id: i64, seed_text: &str) -> String {
    format!(
        "maeul sortition draw call-{call_id}-input.json --seed-text '{}'",
        seed_text.replace('\'', "'\\''")
    )
}

/// Everything needed to check a draw: the published input's fingerprint and address, the announced seed
/// rule and text, the command to re-run, and the result (panel, reserves, every applicant's selection
/// probability, the distribution).
pub fn draw_document(call: &CallRow, draw: Option<&DrawRow>) -> serde_json::Value {
    serde_json::json!({
        "call_id": call.id,
        "state": call.state.as_str(),
        "input_url": format!("/calls/{}/input.json", call.id),
        "input_sha256": call.input_sha256,
        "seed_rule": call.seed_rule,
        "seed_text": draw.map(|d| d.seed_text.clone()),
        "seed_sha256": draw.map(|d| d.seed_sha256.clone()),
        "command": draw.map(|d| rerun_command(call.id, &d.seed_text)),
        "algorithm": "maeul-sortition: leximin selection probabilities, ChaCha20 draw seeded by SHA-256 of the seed text (crates/sortition/README.md)",
        "result": draw.and_then(|d| serde_json::from_str::<serde_json::Value>(&d.result_json).ok()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_from_the_short_form() {
        let f =
            parse_features("gender: female<=60%, male<=60%; age: 19-39>=2, 40-59, 60+<=3").unwrap();
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].categories[0].name, "female");
        assert_eq!(f[0].categories[0].max_share, Some(0.6));
        assert_eq!(f[1].categories[0].min, Some(2));
        assert_eq!(f[1].categories[2].max, Some(3));
        assert_eq!(f[1].categories[1].min, None);
        assert!(parse_features("").is_err());
        assert_eq!(
            parse_features("gender: a, b; age"),
            Err(CommitteeRefusal::Features { line: 2 })
        );
        assert!(parse_features("gender: a>=x").is_err());
        let json = serde_json::to_string(&f).unwrap();
        assert_eq!(parse_features(&json).unwrap(), f);
    }

    #[test]
    fn strata_are_checked_against_seats_and_ages() {
        let f =
            parse_features("gender: female<=60%, male<=60%; age_band: 19-39, 40-59, 60+").unwrap();
        assert!(check_call_strata(5, 19, &f).is_ok());
        assert!(matches!(
            check_call_strata(3, 19, &f),
            Err(CommitteeRefusal::QuotasInfeasible(
                QuotaProblem::GenderCap { .. }
            ))
        ));
        assert!(matches!(
            check_call_strata(5, 16, &f),
            Err(CommitteeRefusal::QuotasInfeasible(QuotaProblem::AgeBands {
                min_age: 16
            }))
        ));
        let strata: BTreeMap<String, String> = [("age_band".to_owned(), "40-59".to_owned())].into();
        assert!(age_matches_strata(&f, &strata, 45));
        assert!(!age_matches_strata(&f, &strata, 25));
    }
}
