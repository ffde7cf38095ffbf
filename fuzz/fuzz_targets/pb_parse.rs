//! The `.pb` reader on arbitrary bytes: it may reject them, never panic; whatever it accepts must write back to a
//! file that reads as the same election, and must count without panicking.
#![no_main]
use libfuzzer_sys::fuzz_target;
use maeul_pb::{Profile, Rule, format, rules};

fuzz_target!(|data: &[u8]| {
    let Ok(parsed) = format::read(data) else { return };
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
});
