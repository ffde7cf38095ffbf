//! Hostile or careless input (issue 11): huge numbers, repeated voter ids, very long vote lists. Each test failed
//! before its fix: a million-digit cost took minutes to read, repeated voter ids passed without a remark, and long
//! vote lists with repeats took time quadratic in their length.
use maeul_pb::format::{ParseError, parse_str};
use maeul_pb::{Profile, Rule, rules};
use std::time::{Duration, Instant};

fn election(cost: &str, votes: &str) -> String {
    format!(
        "META\nkey;value\nbudget;1000\nvote_type;approval\nPROJECTS\nproject_id;cost\nA;{cost}\nB;300\nVOTES\nvoter_id;vote\n{votes}"
    )
}

fn error_of(text: &str) -> (usize, String) {
    match parse_str(text) {
        Err(ParseError::Invalid { line, reason }) => (line, reason),
        Err(other) => panic!("expected an invalid-content error, got {other}"),
        Ok(_) => panic!("expected an error, the text was accepted"),
    }
}

/// Time to read, with the outcome; the limits below are ~100× what the linear-time reader needs in a debug build.
fn timed<T>(work: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    let value = work();
    (value, started.elapsed())
}

#[test]
fn a_number_with_too_many_digits_is_rejected_quickly_with_its_line_and_field() {
    let digits = "7".repeat(200_000);
    let ((line, reason), elapsed) = timed(|| error_of(&election(&digits, "v1;A\n")));
    assert_eq!(line, 7, "{reason}");
    assert!(
        reason.contains("project \"A\"") && reason.contains("cost"),
        "{reason}"
    );
    assert!(
        reason.contains("200000 digits") && reason.contains("at most 40"),
        "{reason}"
    );
    assert!(
        reason.len() < 300,
        "the message must not echo the number: {} bytes",
        reason.len()
    );
    assert!(elapsed < Duration::from_secs(2), "took {elapsed:?}");

    let budget = format!(
        "META\nkey;value\nbudget;{}\nvote_type;approval\nPROJECTS\nproject_id;cost\nA;1\nVOTES\nvoter_id;vote\nv1;A\n",
        "1".repeat(41)
    );
    let (line, reason) = error_of(&budget);
    assert_eq!(line, 3, "{reason}");
    assert!(
        reason.contains("budget") && reason.contains("41 digits"),
        "{reason}"
    );

    let points = "META\nkey;value\nbudget;10\nvote_type;cumulative\nPROJECTS\nproject_id;cost\nA;1\nVOTES\nvoter_id;vote;points\nv1;A;0.00000000000000000000000000000000000000001\n";
    let (line, reason) = error_of(points);
    assert_eq!(line, 10, "{reason}");
    assert!(
        reason.contains("points") && reason.contains("decimal places"),
        "{reason}"
    );
}

#[test]
fn forty_significant_digits_are_accepted_and_zeros_around_them_do_not_count() {
    let forty = "9".repeat(40);
    let parsed = parse_str(&election(&forty, "v1;A\n")).expect("40 digits are accepted");
    assert_eq!(parsed.election.projects[0].cost.to_string(), forty);
    let padded = format!("{}12.5{}", "0".repeat(5_000), "0".repeat(5_000));
    let parsed =
        parse_str(&election(&padded, "v1;A\n")).expect("leading and trailing zeros are free");
    assert_eq!(parsed.election.projects[0].cost.to_string(), "25/2");
    let (_, reason) = error_of(&election(&format!("1{}", "0".repeat(40)), "v1;A\n"));
    assert!(
        reason.contains("41 digits before the decimal point"),
        "{reason}"
    );
    let (_, reason) = error_of(&election("1e41", "v1;A\n"));
    assert!(
        reason.contains("digits before the decimal point"),
        "{reason}"
    );
}

#[test]
fn a_repeated_voter_id_is_reported_by_the_reader_and_counted_once_per_row_like_pabutools() {
    let text = election("600", "v1;A\nv2;B\nv1;A\nv3;B\nv1;B\n");
    let parsed = parse_str(&text).unwrap();
    let remarks: Vec<_> = parsed
        .warnings
        .iter()
        .filter(|w| w.message.contains("voter_id \"v1\""))
        .collect();
    assert_eq!(remarks.len(), 1, "{:?}", parsed.warnings);
    assert_eq!(remarks[0].line, 13, "reported at its second row");
    assert!(
        remarks[0].message.contains("3 rows") && remarks[0].message.contains("line 11"),
        "{}",
        remarks[0].message
    );
    // pabutools reads every row as a ballot: five voters with 1000 / 5 = 200 each. A's two rows hold 400, short of
    // its cost 600; B's three rows hold 600, enough for its 300.
    let profile = Profile::new(&parsed.election);
    assert_eq!(profile.num_voters, 5);
    let outcome = rules::run(&profile, Rule::MesCost).unwrap();
    let funded: Vec<&str> = outcome
        .selected
        .iter()
        .map(|&p| profile.ids[p as usize].as_str())
        .collect();
    assert_eq!(funded, ["B"]);
}

#[test]
fn long_vote_lists_are_read_in_linear_time() {
    let many = 100_000;
    let ids: Vec<String> = (0..many).map(|i| format!("p{i}")).collect();
    let file = |vote_type: &str, vote: &str| {
        let mut text = format!(
            "META\nkey;value\nbudget;10\nvote_type;{vote_type}\nPROJECTS\nproject_id;cost\n"
        );
        for id in &ids {
            text.push_str(&format!("{id};1\n"));
        }
        text.push_str(&format!("VOTES\nvoter_id;vote;points\n{vote}\n"));
        text
    };
    let listed_twice = format!("{},{}", ids.join(","), ids.join(","));
    let points: Vec<String> = (0..2 * many).map(|i| (i % 7).to_string()).collect();
    for (vote_type, row) in [
        ("approval", format!("v1;{listed_twice};")),
        ("ordinal", format!("v1;{listed_twice};")),
        (
            "cumulative",
            format!("v1;{listed_twice};{}", points.join(",")),
        ),
    ] {
        let text = file(vote_type, &row);
        let (parsed, elapsed) = timed(|| parse_str(&text).unwrap());
        assert_eq!(parsed.election.voters[0].ballot.len(), many, "{vote_type}");
        assert!(
            elapsed < Duration::from_secs(2),
            "{vote_type}: reading took {elapsed:?}"
        );
        let (profile, elapsed) = timed(|| Profile::new(&parsed.election));
        assert_eq!(profile.ballots[0].projects.len(), many, "{vote_type}");
        assert!(
            elapsed < Duration::from_secs(2),
            "{vote_type}: the profile took {elapsed:?}"
        );
    }
}

#[test]
fn equal_shares_with_many_distinct_points_prepares_in_linear_time() {
    // Every voter gives project A a different number of points: as many utility groups as voters.
    let voters = 100_000;
    let mut text = String::from(
        "META\nkey;value\nbudget;1000000\nvote_type;cumulative\nPROJECTS\nproject_id;cost\nA;500000\nB;400000\nVOTES\nvoter_id;vote;points\n",
    );
    for v in 0..voters {
        text.push_str(&format!("v{v};A,B;{},1\n", v + 1));
    }
    let profile = Profile::new(&parse_str(&text).unwrap().election);
    let (outcome, elapsed) = timed(|| rules::run(&profile, Rule::MesPoints).unwrap());
    assert!(!outcome.selected.is_empty());
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
}
