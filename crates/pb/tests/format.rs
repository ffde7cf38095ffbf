//! The `.pb` reader and writer: real-file quirks accepted, the rest rejected with line and reason, round trips.
use maeul_pb::format::{self, ParseError, parse_str, split_row};
use maeul_pb::{Ballot, BallotError, Q, VoteType, read_path};
use std::io::Write;
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

const SMALL: &str = "META\nkey;value\ndescription;\"Test; with \"\"quotes\"\"\"\nbudget;1000.50\nvote_type;cumulative\nmax_sum_points;5\nnum_votes;3\nPROJECTS\nproject_id;cost;name;category\nA;400.0;\"Park; phase II\";green,sport\nB;600;Konkurs \" NA NAJ;none\n10;250,5;Lamps;\nVOTES\nvoter_id;age;vote;points\nv1;30;A,B;2,3\nv2; 41 ;B,B;1,4\nv3;;;\n";

fn parse_error(text: &str) -> (usize, String) {
    match parse_str(text) {
        Err(ParseError::Invalid { line, reason }) => (line, reason),
        other => panic!("expected an error, got {other:?}"),
    }
}

#[test]
fn csv_rows_split_like_python() {
    assert_eq!(split_row("a;\"b;c\";d").unwrap(), vec!["a", "b;c", "d"]);
    assert_eq!(
        split_row("\"say \"\"hi\"\"\";x").unwrap(),
        vec!["say \"hi\"", "x"]
    );
    assert_eq!(
        split_row("Konkurs \" NA; b").unwrap(),
        vec!["Konkurs \" NA", "b"]
    );
    assert_eq!(split_row("\"ab\"cd;e").unwrap(), vec!["abcd", "e"]);
    assert_eq!(split_row(" a ; b ;").unwrap(), vec!["a", "b", ""]);
    assert!(split_row("\"open").is_err());
}

#[test]
fn reads_quirks_the_way_pabutools_does() {
    let parsed = parse_str(SMALL).unwrap();
    let e = &parsed.election;
    assert_eq!(e.budget, "2001/2".parse::<Q>().unwrap());
    assert_eq!(e.vote_type, VoteType::Cumulative);
    assert_eq!(e.meta_value("description"), Some("Test; with \"quotes\""));
    assert_eq!(e.projects[0].field("name"), Some("Park; phase II"));
    assert_eq!(e.projects[0].categories(), vec!["green", "sport"]);
    assert_eq!(e.projects[1].field("name"), Some("Konkurs \" NA NAJ"));
    assert_eq!(e.projects[1].field("category"), None, "`none` is absent");
    assert_eq!(
        e.projects[2].cost,
        "250.5".parse::<Q>().unwrap(),
        "decimal comma read as a point"
    );
    // A repeated project keeps its last points, once.
    assert_eq!(
        e.voters[1].ballot,
        Ballot::Cumulative(vec![("B".to_string(), Q::int(4))])
    );
    assert_eq!(
        e.voters[1].fields,
        vec![("age".to_string(), "41".to_string())]
    );
    assert!(
        e.voters[2].ballot.is_empty(),
        "an empty vote is still a voter"
    );
    assert_eq!(e.voters.len(), 3);
    assert!(
        parsed
            .warnings
            .iter()
            .any(|w| w.line == 16 && w.message.contains("more than once"))
    );
    assert_eq!(e.constraints.max_sum_points, Some(Q::int(5)));
}

#[test]
fn bom_crlf_and_stray_whitespace_are_accepted() {
    let text = format!(
        "\u{feff}{}",
        SMALL.replace('\n', "\r\n").replace("budget;", " budget ; ")
    );
    let parsed = parse_str(&text).unwrap();
    assert_eq!(parsed.election, parse_str(SMALL).unwrap().election);
    let mut bytes = Vec::new();
    bytes.extend_from_slice(b"\xef\xbb\xbf");
    bytes.extend_from_slice(SMALL.as_bytes());
    assert_eq!(
        format::read(&bytes[..]).unwrap().election,
        parse_str(SMALL).unwrap().election
    );
}

#[test]
fn ordinal_keeps_first_position_and_approval_is_a_set() {
    let ordinal = "META\nkey;value\nbudget;10\nvote_type;ordinal\nPROJECTS\nproject_id;cost\n1;5\n2;5\n3;5\nVOTES\nvoter_id;vote\nx;2,1,2,3\n";
    let e = parse_str(ordinal).unwrap().election;
    assert_eq!(
        e.voters[0].ballot,
        Ballot::Ordinal(vec!["2".into(), "1".into(), "3".into()])
    );
    let approval = ordinal
        .replace("ordinal", "choose-1")
        .replace("2,1,2,3", "1,1");
    let e = parse_str(&approval).unwrap().election;
    assert_eq!(e.vote_type, VoteType::ChooseOne);
    assert_eq!(e.voters[0].ballot, Ballot::Approval(vec!["1".into()]));
}

#[test]
fn rejects_what_pabutools_cannot_read_with_line_and_reason() {
    let base = "META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\nx;1\n";
    assert_eq!(
        parse_error(&base.replace("x;1", "x;2")),
        (
            10,
            "voter \"x\" votes for unknown project \"2\"".to_string()
        )
    );
    assert_eq!(parse_error(&base.replace("1;5", "1;five")).0, 7);
    assert!(
        parse_error(&base.replace("1;5", "1;-5"))
            .1
            .contains("negative cost")
    );
    assert!(
        parse_error(&base.replace("budget;10\n", ""))
            .1
            .contains("budget")
    );
    assert!(
        parse_error(&base.replace("approval", "plurality"))
            .1
            .contains("vote type")
    );
    assert!(
        parse_error(&base.replace("1;5", "1;5\n1;6"))
            .1
            .contains("listed twice")
    );
    assert!(
        parse_error(&base.replace("project_id;cost", "project_id;price"))
            .1
            .contains("cost")
    );
    assert!(
        parse_error(&base.replace("x;1", "\"x;1"))
            .1
            .contains("quoted field")
    );
    assert!(
        parse_error(&base.replace("vote_type;approval", "vote_type;cumulative"))
            .1
            .contains("points")
    );
    assert!(
        parse_error(&format!("hello\n{base}"))
            .1
            .contains("before the first section")
    );
    assert_eq!(
        parse_error("META\nkey;value\nbudget;10\nvote_type;approval\n").1,
        "no PROJECTS section"
    );
    let bad_utf8 = [base.as_bytes(), b"y;\xff\n"].concat();
    assert!(matches!(
        format::read(&bad_utf8[..]),
        Err(ParseError::Invalid { line: 11, .. })
    ));
}

#[test]
fn written_files_read_back_to_the_same_election() {
    for text in [
        SMALL.to_string(),
        std::fs::read_to_string(fixture("Poland_Czestochowa_2020_Bleszno.pb")).unwrap(),
    ] {
        let election = parse_str(&text).unwrap().election;
        let written = format::write_string(&election).unwrap();
        assert_eq!(parse_str(&written).unwrap().election, election);
    }
    for name in [
        "Netherlands_Assen_2024.pb",
        "US_Stanford_Dataset_Merced_Peoples_Budget_Ballot_2019_vote_rankings.pb",
    ] {
        let election = read_path(fixture(name)).unwrap().election;
        let written = format::write_string(&election).unwrap();
        assert_eq!(parse_str(&written).unwrap().election, election, "{name}");
    }
}

#[test]
fn gzip_is_read_transparently() {
    let plain = std::fs::read(fixture("Netherlands_Assen_2024.pb")).unwrap();
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&plain).unwrap();
    let compressed = encoder.finish().unwrap();
    let dir = std::env::temp_dir().join(format!("maeul-pb-gz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("assen.pb.gz");
    std::fs::write(&path, compressed).unwrap();
    assert_eq!(
        read_path(&path).unwrap().election,
        read_path(fixture("Netherlands_Assen_2024.pb"))
            .unwrap()
            .election
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn ballots_are_checked_against_the_election_constraints() {
    let e = read_path(fixture("Poland_Czestochowa_2020_Bleszno.pb"))
        .unwrap()
        .election; // sum of points 1..=10
    let ok = Ballot::Cumulative(vec![("567".into(), Q::int(6)), ("408".into(), Q::int(4))]);
    assert_eq!(e.check_ballot(&ok), Ok(()));
    let too_many = Ballot::Cumulative(vec![("567".into(), Q::int(6)), ("408".into(), Q::int(5))]);
    assert!(matches!(
        e.check_ballot(&too_many),
        Err(BallotError::TooManyPoints { .. })
    ));
    assert!(matches!(
        e.check_ballot(&Ballot::Cumulative(vec![])),
        Err(BallotError::TooFewPoints { .. })
    ));
    let unknown = Ballot::Cumulative(vec![("nope".into(), Q::int(1))]);
    assert_eq!(
        e.check_ballot(&unknown),
        Err(BallotError::UnknownProject("nope".into()))
    );
    let twice = Ballot::Cumulative(vec![("567".into(), Q::int(1)), ("567".into(), Q::int(1))]);
    assert_eq!(
        e.check_ballot(&twice),
        Err(BallotError::DuplicateProject("567".into()))
    );
    let negative = Ballot::Cumulative(vec![("567".into(), Q::int(-1)), ("408".into(), Q::int(3))]);
    assert!(matches!(
        e.check_ballot(&negative),
        Err(BallotError::PointsOutOfRange { .. })
    ));
    assert!(matches!(
        e.check_ballot(&Ballot::Approval(vec!["567".into()])),
        Err(BallotError::WrongKind { .. })
    ));

    let assen = read_path(fixture("Netherlands_Assen_2024.pb"))
        .unwrap()
        .election; // min_length 2
    assert!(matches!(
        assen.check_ballot(&Ballot::Approval(vec!["3".into()])),
        Err(BallotError::TooFewProjects { count: 1, min: 2 })
    ));
    assert_eq!(
        assen.check_ballot(&Ballot::Approval(vec!["3".into(), "9".into()])),
        Ok(())
    );
    let message = assen
        .check_ballot(&Ballot::Approval(vec!["3".into()]))
        .unwrap_err()
        .to_string();
    assert_eq!(message, "1 projects chosen, at least 2 required");
}

#[test]
fn category_quotas_limit_each_category_of_an_approval_ballot() {
    let text = "META\nkey;value\ndescription;quota\nnum_projects;4\nnum_votes;1\nbudget;100\nvote_type;approval\n\
PROJECTS\nproject_id;cost;category\n1;10;A\n2;10;A\n3;10;B\n4;10;A,B\n\
VOTES\nvoter_id;vote\n1;1,3\n";
    let mut e = maeul_pb::format::parse_str(text).unwrap().election;
    let approve = |ids: &[&str]| Ballot::Approval(ids.iter().map(|s| s.to_string()).collect());
    // No quota: anything goes.
    assert_eq!(e.check_ballot(&approve(&["1", "2", "4"])), Ok(()));
    // "2 of track A + 1 of track B": project 4 counts in both.
    e.constraints.category_max = vec![("A".into(), 2), ("B".into(), 1)];
    assert_eq!(e.check_ballot(&approve(&["1", "2", "3"])), Ok(()));
    assert_eq!(
        e.check_ballot(&approve(&["1", "2", "4"])),
        Err(BallotError::TooManyInCategory {
            category: "A".into(),
            count: 3,
            max: 2
        })
    );
    assert_eq!(
        e.check_ballot(&approve(&["3", "4"])),
        Err(BallotError::TooManyInCategory {
            category: "B".into(),
            count: 2,
            max: 1
        })
    );
}
