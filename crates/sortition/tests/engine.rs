//! Domain tests of the lottery engine: input validation, feasibility reports, leximin on instances with
//! known answers, the seeded draw, reserves and vacancies, and the uniform baseline.
mod common;

use common::*;
use maeul_sortition::baseline::{uniform_exact, uniform_monte_carlo};
use maeul_sortition::{
    Infeasibility, InputError, Instance, Lottery, Pool, SortitionError, VacancyRule,
    check_feasibility, draw::hex, fill_vacancies, seed_digest,
};

fn prepare(instance: &Instance) -> Lottery {
    Lottery::prepare(instance).unwrap_or_else(|e| panic!("{e}"))
}

fn type_of(pool: &Pool, id: &str) -> usize {
    pool.applicant_type[pool.applicant_ids.iter().position(|a| a == id).unwrap()]
}

#[test]
fn json_syntax_errors_carry_line_and_column() {
    let error =
        Instance::from_json_str("{\n  \"format\": \"maeul-sortition/1\",\n  \"panel_size\": x\n}")
            .unwrap_err();
    match error {
        InputError::Json { line, .. } => assert_eq!(line, 3),
        other => panic!("expected a JSON error, got {other:?}"),
    }
}

#[test]
fn invalid_inputs_name_the_offending_place() {
    let base = cross_instance();

    let mut unknown_category = base.clone();
    unknown_category.applicants[3]
        .features
        .insert("age".into(), "ancient".into());
    let message = Pool::new(&unknown_category).unwrap_err().to_string();
    assert!(
        message.contains("applicants[3]")
            && message.contains("\"ancient\" is not a category of feature \"age\""),
        "{message}"
    );

    let mut duplicate = base.clone();
    duplicate.applicants[5].id = duplicate.applicants[2].id.clone();
    let message = Pool::new(&duplicate).unwrap_err().to_string();
    assert!(
        message.contains("applicants[5]") && message.contains("already used by applicants[2]"),
        "{message}"
    );

    let mut missing = base.clone();
    missing.applicants[0].features.remove("gender");
    let message = Pool::new(&missing).unwrap_err().to_string();
    assert!(
        message.contains("no value for feature \"gender\""),
        "{message}"
    );

    let mut wrong_format = base.clone();
    wrong_format.format = "something-else".into();
    assert!(
        Pool::new(&wrong_format)
            .unwrap_err()
            .to_string()
            .starts_with("format:")
    );

    let mut bad_share = base;
    bad_share.features[0].categories[0].max_share = Some(1.5);
    let message = Pool::new(&bad_share).unwrap_err().to_string();
    assert!(
        message.contains("features[0].categories[0]") && message.contains("max_share"),
        "{message}"
    );
}

#[test]
fn shares_become_seat_counts_without_float_surprises() {
    // 0.6 × 50 is 29.999… in binary floating point; the cap must still be 30 seats.
    let mut instance = cross_instance();
    instance.panel_size = 50;
    instance.features[0].categories[0] = common::category("f", None, None);
    instance.features[0].categories[0].max_share = Some(0.6);
    instance.features[0].categories[0].min_share = Some(0.4);
    let pool = Pool::new(&instance).unwrap();
    assert_eq!(pool.features[0].categories[0].max, 30);
    assert_eq!(pool.features[0].categories[0].min, 20);
}

#[test]
fn the_input_round_trips_through_its_canonical_json() {
    let instance = fixture("small-council.json");
    assert_eq!(
        Instance::from_json_str(&instance.to_json_string()).unwrap(),
        instance
    );
}

#[test]
fn per_feature_infeasibility_is_reported_with_numbers() {
    let pool = Pool::new(&fixture("infeasible-minimums.json")).unwrap();
    let report = check_feasibility(&pool).unwrap();
    assert!(!report.is_feasible());
    let messages: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    assert!(
        messages.contains(&"feature age_band: minimums sum to 21 > 12 seats".to_string()),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m == "feature age_band, category 60+: min 11 but only 10 applicants"),
        "{messages:?}"
    );
    // Nothing is drawn from an infeasible input.
    match Lottery::prepare(&fixture("infeasible-minimums.json")) {
        Err(SortitionError::Infeasible(problems)) => assert_eq!(problems, report.problems),
        other => panic!("expected Infeasible, got {other:?}"),
    }
}

#[test]
fn too_few_applicants_and_crossed_bounds_are_reported() {
    let mut instance = cross_instance();
    instance.panel_size = 30;
    instance.features[1].categories[0] = common::category("young", Some(3), Some(2));
    let report = check_feasibility(&Pool::new(&instance).unwrap()).unwrap();
    let messages: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    assert!(
        messages.contains(&"only 22 applicants for 30 seats".to_string()),
        "{messages:?}"
    );
    assert!(
        messages.contains(&"feature age, category young: minimum 3 is above maximum 2".to_string()),
        "{messages:?}"
    );
}

#[test]
fn joint_infeasibility_names_a_minimal_conflicting_set() {
    // Every feature is satisfiable alone, but women are all young and men all old: "at least 3 women"
    // forces 3 young, and "at least 3 old" then exceeds 4 seats.
    let instance = instance(
        4,
        0,
        vec![
            feature(
                "gender",
                vec![
                    common::category("f", Some(3), None),
                    common::category("m", None, None),
                ],
            ),
            feature(
                "age",
                vec![
                    common::category("young", None, None),
                    common::category("old", Some(3), None),
                ],
            ),
            feature(
                "area",
                vec![
                    common::category("north", Some(1), None),
                    common::category("south", Some(1), None),
                ],
            ),
        ],
        applicants(&[
            (3, &[("gender", "f"), ("age", "young"), ("area", "north")]),
            (3, &[("gender", "f"), ("age", "young"), ("area", "south")]),
            (3, &[("gender", "m"), ("age", "old"), ("area", "north")]),
            (3, &[("gender", "m"), ("age", "old"), ("area", "south")]),
        ]),
    );
    let report = check_feasibility(&Pool::new(&instance).unwrap()).unwrap();
    assert_eq!(report.problems.len(), 1);
    match &report.problems[0] {
        Infeasibility::Joint { conflicting } => assert_eq!(
            conflicting,
            &vec![
                "exactly 4 seats".to_string(),
                "gender = f: at least 3".into(),
                "age = old: at least 3".into()
            ]
        ),
        other => panic!("expected a joint infeasibility, got {other:?}"),
    }
}

#[test]
fn leximin_equalises_where_uniform_does_not() {
    let lottery = prepare(&cross_instance());
    for p in &lottery.distribution.type_probabilities {
        assert!(
            (p - 1.0 / 11.0).abs() < 1e-6,
            "{:?}",
            lottery.distribution.type_probabilities
        );
    }
    let uniform = uniform_exact(&lottery.pool, 1000).unwrap();
    let young_woman = type_of(&lottery.pool, "X000");
    let old_woman = type_of(&lottery.pool, "X001");
    assert!((uniform[young_woman] - 1.0 / 101.0).abs() < 1e-12);
    assert!((uniform[old_woman] - 10.0 / 101.0).abs() < 1e-12);
}

#[test]
fn forced_seats_get_probability_one() {
    // 2 women and 8 men, exactly 2 women among 4 seats: each woman certainly, each man 2/8.
    let instance = instance(
        4,
        0,
        vec![feature(
            "gender",
            vec![
                common::category("f", Some(2), Some(2)),
                common::category("m", None, None),
            ],
        )],
        applicants(&[(2, &[("gender", "f")]), (8, &[("gender", "m")])]),
    );
    let lottery = prepare(&instance);
    let p = lottery.distribution.applicant_probabilities(&lottery.pool);
    for (a, p) in p.iter().enumerate() {
        let expected = if a < 2 { 1.0 } else { 0.25 };
        assert!((p - expected).abs() < 1e-6, "applicant {a}: {p}");
    }
}

#[test]
fn fixture_lottery_is_consistent() {
    let lottery = prepare(&fixture("small-council.json"));
    let pool = &lottery.pool;
    let probabilities = lottery.distribution.applicant_probabilities(pool);
    let sum: f64 = probabilities.iter().sum();
    assert!((sum - 12.0).abs() < 1e-6, "{sum}");
    let total: f64 = lottery
        .distribution
        .compositions
        .iter()
        .map(|c| c.probability)
        .sum();
    assert!((total - 1.0).abs() < 1e-9);
    for composition in &lottery.distribution.compositions {
        assert!(pool.composition_meets_quotas(&composition.seats));
    }
    // Leximin is at least as fair as the uniform baseline (exact here).
    let uniform = uniform_exact(pool, 100_000).unwrap();
    let uniform_min = uniform.iter().copied().fold(f64::INFINITY, f64::min);
    assert!(lottery.distribution.minimum_probability() >= uniform_min - 1e-7);
}

#[test]
fn seed_digest_is_plain_sha256_of_the_text() {
    assert_eq!(
        hex(&seed_digest("abc")),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

#[test]
fn same_seed_same_panel_and_reserves() {
    let lottery = prepare(&fixture("small-council.json"));
    let first = lottery.draw("Lotto 6/45 draw 1200: 1 2 3 4 5 6 + 7 | example-dong-council-2026");
    let again = prepare(&fixture("small-council.json"))
        .draw("Lotto 6/45 draw 1200: 1 2 3 4 5 6 + 7 | example-dong-council-2026");
    assert_eq!(first, again);
    assert!(lottery.pool.panel_meets_quotas(&first.panel));
    assert_eq!(first.reserves.len(), 4);
    for reserve in &first.reserves {
        assert!(!first.panel.contains(reserve));
    }
    let mut distinct = first.reserves.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), 4);
    // Different seeds do give different panels.
    let panels: std::collections::BTreeSet<Vec<usize>> = (0..20)
        .map(|i| {
            let mut panel = lottery.draw(&format!("seed {i}")).panel;
            panel.sort_unstable();
            panel
        })
        .collect();
    assert!(panels.len() > 10);
}

#[test]
fn the_published_draw_of_the_fixture_is_pinned() {
    // Pins the documented procedure: a change to sampling, ordering or the solver's output that alters
    // published draws must be deliberate (and versioned in the format).
    let lottery = prepare(&fixture("small-council.json"));
    let outcome = lottery.draw("maeul test seed");
    assert_eq!(outcome.seed_sha256, hex(&seed_digest("maeul test seed")));
    let ids: Vec<&str> = outcome
        .panel
        .iter()
        .map(|&a| lottery.pool.applicant_ids[a].as_str())
        .collect();
    let reserves: Vec<&str> = outcome
        .reserves
        .iter()
        .map(|&a| lottery.pool.applicant_ids[a].as_str())
        .collect();
    let expected_panel = vec![
        "P035", "P024", "P017", "P010", "P023", "P029", "P006", "P018", "P001", "P003", "P014",
        "P015",
    ];
    let expected_reserves = vec!["P011", "P026", "P013", "P007"];
    assert_eq!((ids, reserves), (expected_panel, expected_reserves));
}

#[test]
fn draw_frequencies_match_the_published_probabilities() {
    let lottery = prepare(&cross_instance());
    let draws = 4000;
    let mut counts = vec![0usize; lottery.pool.types.len()];
    for i in 0..draws {
        for &a in &lottery.draw(&format!("frequency {i}")).panel {
            counts[lottery.pool.applicant_type[a]] += 1;
        }
    }
    for (t, &count) in counts.iter().enumerate() {
        let frequency = count as f64 / draws as f64 / lottery.pool.types[t].size() as f64;
        // Binomial standard error for p = 1/11 over 4000 draws (per type) is below 0.005.
        assert!(
            (frequency - 1.0 / 11.0).abs() < 0.02,
            "type {t}: {frequency}"
        );
    }
}

#[test]
fn vacancies_are_filled_from_the_same_type_first_then_keeping_quotas() {
    let lottery = prepare(&cross_instance());
    let pool = &lottery.pool;
    let outcome = lottery.draw("vacancy test");
    // Reserve 1 mirrors seat 1's type (every type has more members except the two singletons).
    let leaving = outcome.panel[0];
    let (filled, panel) = fill_vacancies(pool, &outcome, &[leaving]).unwrap();
    let (replacement, rule) = filled[0].replacement.unwrap();
    if pool.types[pool.applicant_type[leaving]].size() > 1 {
        assert_eq!(rule, VacancyRule::SameType);
        assert_eq!(
            pool.applicant_type[replacement],
            pool.applicant_type[leaving]
        );
    }
    assert!(pool.panel_meets_quotas(&panel) || rule == VacancyRule::QuotasBroken);
    assert!(fill_vacancies(pool, &outcome, &[outcome.reserves[0]]).is_err());
}

#[test]
fn vacancy_without_same_type_reserve_keeps_quotas_when_possible() {
    // Panel of 2 with one woman and one man; reserves chosen by hand.
    let instance = instance(
        2,
        0,
        vec![feature(
            "gender",
            vec![
                common::category("f", Some(1), Some(1)),
                common::category("m", Some(1), Some(1)),
            ],
        )],
        applicants(&[(3, &[("gender", "f")]), (3, &[("gender", "m")])]),
    );
    let pool = Pool::new(&instance).unwrap();
    let (woman, man) = (0, 3);
    let other_man = 4;
    let other_woman = 1;
    let panel = vec![woman, man];
    assert_eq!(
        maeul_sortition::fill_vacancy(&pool, &panel, &[other_man, other_woman], woman),
        Some((1, VacancyRule::SameType))
    );
    assert_eq!(
        maeul_sortition::fill_vacancy(&pool, &panel, &[other_man], woman),
        Some((0, VacancyRule::QuotasBroken))
    );
    assert_eq!(
        maeul_sortition::fill_vacancy(&pool, &panel, &[], woman),
        None
    );
}

#[test]
fn monte_carlo_baseline_agrees_with_the_exact_one() {
    let pool = Pool::new(&fixture("small-council.json")).unwrap();
    let witness = check_feasibility(&pool).unwrap().witness.unwrap();
    let exact = uniform_exact(&pool, 100_000).unwrap();
    let estimate = uniform_monte_carlo(&pool, &witness, "test chain", 20_000, 20_000, 20);
    for (t, (e, m)) in exact.iter().zip(&estimate.type_probabilities).enumerate() {
        assert!((e - m).abs() < 0.03, "type {t}: exact {e}, estimate {m}");
    }
}

#[test]
fn the_stage_limit_keeps_maximin_and_a_valid_distribution() {
    let full = prepare(&fixture("small-council.json"));
    let mut limited_instance = fixture("small-council.json");
    limited_instance.leximin_max_stages = Some(1);
    let limited = prepare(&limited_instance);
    assert_eq!(limited.stats.stages, 1);
    // Stage 1 is maximin: the smallest probability is already optimal.
    let (a, b) = (
        limited.distribution.minimum_probability(),
        full.distribution.minimum_probability(),
    );
    assert!((a - b).abs() < 1e-6, "{a} vs {b}");
    let sum: f64 = limited
        .distribution
        .applicant_probabilities(&limited.pool)
        .iter()
        .sum();
    assert!((sum - 12.0).abs() < 1e-6);
    for composition in &limited.distribution.compositions {
        assert!(limited.pool.composition_meets_quotas(&composition.seats));
    }
    assert!(
        full.stats.complete,
        "the fixture's leximin completes within the default stage limit"
    );
}

#[test]
fn without_features_it_is_a_plain_lottery() {
    let instance = instance(3, 2, vec![], applicants(&[(10, &[])]));
    let lottery = prepare(&instance);
    for p in lottery.distribution.applicant_probabilities(&lottery.pool) {
        assert!((p - 0.3).abs() < 1e-9, "{p}");
    }
    let outcome = lottery.draw("plain");
    assert_eq!(outcome.panel.len(), 3);
    assert_eq!(outcome.reserves.len(), 2);
}

#[test]
fn the_published_draw_of_the_fixture_in_format_2_is_pinned() {
    // The same pin for the warm-simplex procedure: the fixture's input (format /1) declared as /2.
    let mut instance = fixture("small-council.json");
    instance.format = maeul_sortition::FORMAT.into();
    let lottery = prepare(&instance);
    let outcome = lottery.draw("maeul test seed");
    let ids = |v: &[usize]| -> Vec<String> {
        v.iter()
            .map(|&a| lottery.pool.applicant_ids[a].clone())
            .collect()
    };
    assert_eq!(
        (ids(&outcome.panel), ids(&outcome.reserves)),
        (
            PINNED_V2_PANEL.map(String::from).to_vec(),
            PINNED_V2_RESERVES.map(String::from).to_vec()
        )
    );
}

/// Recorded from format /2 when it was introduced (commit "format maeul-sortition/2 …"); a change here
/// changes published /2 draws and must be deliberate.
const PINNED_V2_PANEL: [&str; 12] = [
    "P022", "P030", "P010", "P024", "P017", "P019", "P006", "P005", "P002", "P018", "P035", "P021",
];
const PINNED_V2_RESERVES: [&str; 4] = ["P008", "P027", "P032", "P029"];
