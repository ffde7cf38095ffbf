//! The reports of `maeul sortition check | probabilities | draw`, as JSON values and as plain text. They
//! live here rather than in the binary so that they are unit-tested with the engine.
use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use crate::draw::{DrawOutcome, VacancyFilled, VacancyRule};
use crate::feasibility::FeasibilityReport;
use crate::instance::Pool;
use crate::leximin::{Distribution, LeximinStats};

fn features_of(pool: &Pool, applicant: usize) -> Value {
    let mut map = Map::new();
    for (f, feature) in pool.features.iter().enumerate() {
        map.insert(
            feature.name.clone(),
            Value::String(pool.category_name(applicant, f).to_string()),
        );
    }
    Value::Object(map)
}

fn type_categories(pool: &Pool, t: usize) -> Value {
    let mut map = Map::new();
    for (f, feature) in pool.features.iter().enumerate() {
        let c = pool.types[t].categories[f];
        map.insert(
            feature.name.clone(),
            Value::String(feature.categories[c].name.clone()),
        );
    }
    Value::Object(map)
}

fn quotas(pool: &Pool) -> Value {
    Value::Array(
        pool.features
            .iter()
            .map(|feature| {
                json!({
                    "feature": feature.name,
                    "categories": feature.categories.iter().map(|c| json!({
                        "name": c.name, "min": c.min, "max": c.max, "applicants": c.applicants,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

/// JSON of `check`.
pub fn check_json(pool: &Pool, report: &FeasibilityReport) -> Value {
    json!({
        "feasible": report.is_feasible(),
        "panel_size": pool.panel_size,
        "reserve_size": pool.reserve_size,
        "applicants": pool.applicant_count(),
        "types": pool.types.len(),
        "quotas": quotas(pool),
        "problems": report.problems.iter().map(|p| {
            let mut value = serde_json::to_value(p).expect("problems serialise");
            value["message"] = Value::String(p.to_string());
            value
        }).collect::<Vec<_>>(),
    })
}

/// Text of `check`.
pub fn check_text(pool: &Pool, report: &FeasibilityReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} applicants of {} types for {} seats (+{} reserves)",
        pool.applicant_count(),
        pool.types.len(),
        pool.panel_size,
        pool.reserve_size
    );
    for feature in &pool.features {
        let _ = writeln!(out, "feature {}:", feature.name);
        for c in &feature.categories {
            let _ = writeln!(
                out,
                "  {:<24} seats {:>3}..{:<3} applicants {}",
                c.name, c.min, c.max, c.applicants
            );
        }
    }
    if report.is_feasible() {
        let _ = writeln!(out, "feasible: some panel meets every quota");
    } else {
        let _ = writeln!(out, "INFEASIBLE: the quotas cannot be met");
        for problem in &report.problems {
            let _ = writeln!(out, "  - {problem}");
        }
    }
    out
}

/// Summary numbers of a probability vector over applicants.
fn summary(probabilities: &[f64]) -> Value {
    let min = probabilities.iter().copied().fold(f64::INFINITY, f64::min);
    let max = probabilities
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    let sum: f64 = probabilities.iter().sum();
    json!({ "minimum": min, "maximum": max, "sum": sum })
}

/// JSON of `probabilities` (method `leximin`).
pub fn probabilities_json(pool: &Pool, distribution: &Distribution, stats: &LeximinStats) -> Value {
    let per_applicant = distribution.applicant_probabilities(pool);
    json!({
        "method": "leximin",
        "panel_size": pool.panel_size,
        "applicants": pool.applicant_count(),
        "summary": summary(&per_applicant),
        "stats": stats,
        "probabilities": pool.applicant_ids.iter().zip(&per_applicant)
            .map(|(id, p)| json!({ "id": id, "probability": p })).collect::<Vec<_>>(),
        "types": (0..pool.types.len()).map(|t| json!({
            "type": t,
            "categories": type_categories(pool, t),
            "applicants": pool.types[t].size(),
            "probability": distribution.type_probabilities[t],
        })).collect::<Vec<_>>(),
        "distribution": distribution_json(distribution),
    })
}

/// Compositions with their probabilities; seats as `{type index: seats}` for the types that get seats.
pub fn distribution_json(distribution: &Distribution) -> Value {
    Value::Array(
        distribution
            .compositions
            .iter()
            .map(|composition| {
                let mut seats = Map::new();
                for (t, &s) in composition.seats.iter().enumerate() {
                    if s > 0 {
                        seats.insert(t.to_string(), json!(s));
                    }
                }
                json!({ "probability": composition.probability, "seats": seats })
            })
            .collect(),
    )
}

/// JSON of the probabilities of the uniform baseline (`exact` tells whether they are exact or estimated).
pub fn baseline_json(pool: &Pool, type_probabilities: &[f64], exact: bool, note: &str) -> Value {
    let per_applicant: Vec<f64> = pool
        .applicant_type
        .iter()
        .map(|&t| type_probabilities[t])
        .collect();
    json!({
        "method": "uniform",
        "exact": exact,
        "note": note,
        "panel_size": pool.panel_size,
        "applicants": pool.applicant_count(),
        "summary": summary(&per_applicant),
        "probabilities": pool.applicant_ids.iter().zip(&per_applicant)
            .map(|(id, p)| json!({ "id": id, "probability": p })).collect::<Vec<_>>(),
        "types": (0..pool.types.len()).map(|t| json!({
            "type": t,
            "categories": type_categories(pool, t),
            "applicants": pool.types[t].size(),
            "probability": type_probabilities[t],
        })).collect::<Vec<_>>(),
    })
}

/// Text of `probabilities`: per type, since members of a type share their probability.
pub fn probabilities_text(
    pool: &Pool,
    method: &str,
    type_probabilities: &[f64],
    note: &str,
) -> String {
    let mut out = String::new();
    let per_applicant: Vec<f64> = pool
        .applicant_type
        .iter()
        .map(|&t| type_probabilities[t])
        .collect();
    let min = per_applicant.iter().copied().fold(f64::INFINITY, f64::min);
    let max = per_applicant
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    let sum: f64 = per_applicant.iter().sum();
    let _ = writeln!(out, "method: {method}{note}");
    let _ = writeln!(
        out,
        "{} applicants, {} seats: selection probability min {min:.6}, max {max:.6}, sum {sum:.6}",
        pool.applicant_count(),
        pool.panel_size
    );
    let _ = writeln!(out, "probability  applicants  type");
    for (t, ty) in pool.types.iter().enumerate() {
        let names: Vec<String> = pool
            .features
            .iter()
            .enumerate()
            .map(|(f, feature)| {
                format!(
                    "{}={}",
                    feature.name, feature.categories[ty.categories[f]].name
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "{:>11.6}  {:>10}  {}",
            type_probabilities[t],
            ty.size(),
            names.join(" ")
        );
    }
    out
}

/// JSON of `draw`.
pub fn draw_json(
    pool: &Pool,
    distribution: &Distribution,
    outcome: &DrawOutcome,
    seed_text: &str,
    input_sha256: &str,
) -> Value {
    let probability = |a: usize| distribution.type_probabilities[pool.applicant_type[a]];
    json!({
        "call": pool.call,
        "seed_text": seed_text,
        "seed_sha256": outcome.seed_sha256,
        "input_sha256": input_sha256,
        "method": "leximin",
        "composition_index": outcome.composition_index,
        "panel": outcome.panel.iter().enumerate().map(|(seat, &a)| json!({
            "seat": seat + 1,
            "id": pool.applicant_ids[a],
            "features": features_of(pool, a),
            "probability": probability(a),
        })).collect::<Vec<_>>(),
        "reserves": outcome.reserves.iter().enumerate().map(|(rank, &a)| json!({
            "rank": rank + 1,
            "id": pool.applicant_ids[a],
            "features": features_of(pool, a),
        })).collect::<Vec<_>>(),
        "probabilities": pool.applicant_ids.iter().enumerate()
            .map(|(a, id)| json!({ "id": id, "probability": probability(a) })).collect::<Vec<_>>(),
        "distribution": distribution_json(distribution),
    })
}

/// Text of `draw`.
pub fn draw_text(
    pool: &Pool,
    distribution: &Distribution,
    outcome: &DrawOutcome,
    seed_text: &str,
    input_sha256: &str,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "seed text:     {seed_text:?}");
    let _ = writeln!(out, "seed SHA-256:  {}", outcome.seed_sha256);
    let _ = writeln!(out, "input SHA-256: {input_sha256}");
    let _ = writeln!(
        out,
        "composition {} of {} (leximin distribution; smallest selection probability {:.6})",
        outcome.composition_index + 1,
        distribution.compositions.len(),
        distribution.minimum_probability()
    );
    let line = |out: &mut String, label: String, a: usize, with_probability: bool| {
        let features: Vec<String> = (0..pool.features.len())
            .map(|f| pool.category_name(a, f).to_string())
            .collect();
        let probability = if with_probability {
            format!(
                "  p={:.6}",
                distribution.type_probabilities[pool.applicant_type[a]]
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "{label:>5}  {:<16} {}{probability}",
            pool.applicant_ids[a],
            features.join(" / ")
        );
    };
    let _ = writeln!(out, "panel ({} seats):", outcome.panel.len());
    for (seat, &a) in outcome.panel.iter().enumerate() {
        line(&mut out, format!("{}", seat + 1), a, true);
    }
    let _ = writeln!(
        out,
        "reserves ({}), in filling order:",
        outcome.reserves.len()
    );
    for (rank, &a) in outcome.reserves.iter().enumerate() {
        line(&mut out, format!("R{}", rank + 1), a, false);
    }
    out
}

/// JSON of a sequence of filled vacancies and the resulting panel.
pub fn vacancies_json(pool: &Pool, filled: &[VacancyFilled], panel: &[usize]) -> Value {
    json!({
        "vacancies": filled.iter().map(|v| match v.replacement {
            None => json!({ "leaving": pool.applicant_ids[v.leaving], "replacement": null }),
            Some((reserve, rule)) => json!({
                "leaving": pool.applicant_ids[v.leaving],
                "replacement": pool.applicant_ids[reserve],
                "rule": rule,
            }),
        }).collect::<Vec<_>>(),
        "panel_meets_quotas": pool.panel_meets_quotas(panel),
        "panel": panel.iter().map(|&a| json!({ "id": pool.applicant_ids[a], "features": features_of(pool, a) }))
            .collect::<Vec<_>>(),
    })
}

/// Text of a sequence of filled vacancies.
pub fn vacancies_text(pool: &Pool, filled: &[VacancyFilled], panel: &[usize]) -> String {
    let mut out = String::new();
    for v in filled {
        let leaving = &pool.applicant_ids[v.leaving];
        match v.replacement {
            None => {
                let _ = writeln!(
                    out,
                    "{leaving} leaves: no reserve left, the seat stays empty"
                );
            }
            Some((reserve, rule)) => {
                let how = match rule {
                    VacancyRule::SameType => "same categories on every feature",
                    VacancyRule::QuotasKept => "first reserve with whom every quota still holds",
                    VacancyRule::QuotasBroken => {
                        "no reserve keeps the quotas: first reserve, QUOTAS NOW BROKEN"
                    }
                };
                let _ = writeln!(
                    out,
                    "{leaving} leaves: replaced by {} ({how})",
                    pool.applicant_ids[reserve]
                );
            }
        }
    }
    let _ = writeln!(
        out,
        "panel now has {} members; quotas {}",
        panel.len(),
        if pool.panel_meets_quotas(panel) {
            "met"
        } else {
            "NOT met"
        }
    );
    out
}
