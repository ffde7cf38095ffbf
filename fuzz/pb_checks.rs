// The properties every `.pb` input must keep, shared by the libFuzzer target (`fuzz_targets/pb_parse.rs`, nightly)
// and the stable randomized runner (`pb_stable`). Included with `include!`, so it names its crates in full.

/// Reads `data` both ways and checks what must hold whatever the bytes: no panic; the counting reader agrees with the
/// full reader (same error, or the same profile); what parses writes back to a file that reads as the same election;
/// the file check runs; and small elections count within budget with the cheap rules.
pub fn check_pb_input(data: &[u8]) {
    use maeul_pb::{Profile, Rule, format, report, rules};
    let full = format::read(data);
    let counted = format::read_for_counting(data);
    match (&full, &counted) {
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "the readers disagree"),
        (Ok(full), Ok(counted)) => {
            assert_eq!(counted.profile, Profile::new(&full.election), "the readers disagree");
        }
        _ => panic!("one reader accepts what the other rejects"),
    }
    let problems = report::check(&full);
    let Ok(parsed) = full else {
        assert_eq!(problems.len(), 1, "a rejected file has exactly its error");
        return;
    };
    let election = parsed.election;
    if let Ok(written) = format::write_string(&election) {
        let reread = format::parse_str(&written).expect("a written election reads back");
        assert_eq!(reread.election, election, "round trip changed the election");
    }
    if election.voters.len() <= 64 && election.projects.len() <= 16 {
        let profile = Profile::new(&election);
        for rule in [Rule::GreedyCost, Rule::MesCost, Rule::MesCard, Rule::Phragmen, Rule::MesPoints, Rule::GreedyBorda] {
            if rule.accepts(profile.vote_type) {
                let outcome = rules::run(&profile, rule).expect("accepted rule runs");
                assert!(outcome.total_cost <= profile.budget, "over budget");
            }
        }
    }
}
