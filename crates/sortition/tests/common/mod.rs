//! Helpers shared by the integration tests: building instances in code.
#![allow(dead_code)]

pub mod generated;

use std::collections::BTreeMap;

use maeul_sortition::FORMAT;
use maeul_sortition::instance::{ApplicantSpec, CategorySpec, FeatureSpec, Instance};

pub fn category(name: &str, min: Option<u32>, max: Option<u32>) -> CategorySpec {
    CategorySpec {
        name: name.into(),
        min,
        max,
        min_share: None,
        max_share: None,
    }
}

pub fn feature(name: &str, categories: Vec<CategorySpec>) -> FeatureSpec {
    FeatureSpec {
        name: name.into(),
        categories,
    }
}

/// Applicants from `(count, [(feature, category)…])` groups, ids `X000`, `X001`, … in order.
pub fn applicants(groups: &[(usize, &[(&str, &str)])]) -> Vec<ApplicantSpec> {
    let mut list = Vec::new();
    for (count, values) in groups {
        for _ in 0..*count {
            let features: BTreeMap<String, String> = values
                .iter()
                .map(|(f, c)| ((*f).to_string(), (*c).to_string()))
                .collect();
            list.push(ApplicantSpec {
                id: format!("X{:03}", list.len()),
                features,
            });
        }
    }
    list
}

pub fn instance(
    panel_size: u32,
    reserve_size: u32,
    features: Vec<FeatureSpec>,
    applicants: Vec<ApplicantSpec>,
) -> Instance {
    Instance {
        format: FORMAT.into(),
        call: None,
        panel_size,
        reserve_size,
        leximin_max_stages: None,
        features,
        applicants,
    }
}

/// Two features (gender, age), one seat per category, 2 seats; 1 young woman, 10 old women, 10 young men,
/// 1 old man. Uniform over panels picks {young woman, old man} with probability 1/101; leximin gives every
/// applicant 1/11.
pub fn cross_instance() -> Instance {
    let one = |name: &str| category(name, Some(1), Some(1));
    instance(
        2,
        2,
        vec![
            feature("gender", vec![one("f"), one("m")]),
            feature("age", vec![one("young"), one("old")]),
        ],
        applicants(&[
            (1, &[("gender", "f"), ("age", "young")]),
            (10, &[("gender", "f"), ("age", "old")]),
            (10, &[("gender", "m"), ("age", "young")]),
            (1, &[("gender", "m"), ("age", "old")]),
        ]),
    )
}

pub fn fixture(name: &str) -> Instance {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    Instance::from_json_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}
