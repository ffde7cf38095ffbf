//! The JSON report of `maeul opinion analyze`, built here so it is unit-tested with the engine.

use crate::compare::{GroupAgreement, compare_groups};
use crate::engine::{Analysis, StepTimings};
use crate::model::Conversation;
use crate::stats::{Consensus, RepStatement};

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GroupReport {
    pub id: u32,
    /// Participant ids, as strings (ids are opaque to callers).
    pub members: Vec<String>,
    pub repness: Vec<RepStatement>,
}

/// The opinion map as the platform stores it after each update (a snapshot per conversation), in exactly
/// the shape `maeul opinion analyze --json` prints it (that report is this plus a few fields of its own):
/// `{"k", "groups": [{"id", "members", "repness"}], "consensus": {"agree", "disagree"},
/// "participants_grouped", "participants", "statements"}`. It serialises and deserialises with serde.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MapSnapshot {
    pub k: usize,
    pub groups: Vec<GroupReport>,
    pub consensus: Consensus,
    pub participants_grouped: usize,
    pub participants: usize,
    pub statements: usize,
}

impl MapSnapshot {
    pub fn new(analysis: &Analysis) -> MapSnapshot {
        MapSnapshot {
            k: analysis.k,
            groups: analysis
                .groups
                .iter()
                .map(|g| GroupReport {
                    id: g.id,
                    members: g
                        .members
                        .iter()
                        .map(|&r| analysis.participants[r].to_string())
                        .collect(),
                    repness: g.repness.clone(),
                })
                .collect(),
            consensus: analysis.consensus.clone(),
            participants_grouped: analysis.participants_grouped(),
            participants: analysis.participants.len(),
            statements: analysis.statements.len(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AnalyzeReport {
    #[serde(flatten)]
    pub map: MapSnapshot,
    /// Agreement with the group ids Pol.is exported, when the input carries them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ari_vs_polis: Option<GroupAgreement>,
    pub steps: StepTimings,
    /// Wall-clock seconds of the whole analysis (from-scratch update or the full replay).
    pub seconds: f64,
}

impl AnalyzeReport {
    pub fn new(conversation: &Conversation, analysis: &Analysis, seconds: f64) -> AnalyzeReport {
        let has_reference = conversation
            .exported_groups
            .iter()
            .any(|(_, g)| g.is_some());
        AnalyzeReport {
            map: MapSnapshot::new(analysis),
            ari_vs_polis: has_reference.then(|| {
                compare_groups(
                    &analysis.participant_groups(),
                    &conversation.exported_groups,
                )
            }),
            steps: analysis.timings,
            seconds,
        }
    }

    /// A short human-readable summary (the CLI without `--json`).
    pub fn summary(&self) -> String {
        let map = &self.map;
        let mut out = format!(
            "{} groups, {} of {} participants grouped, {} statements, {:.1} ms\n",
            map.k,
            map.participants_grouped,
            map.participants,
            map.statements,
            self.seconds * 1e3
        );
        for g in &map.groups {
            let tids: Vec<String> = g
                .repness
                .iter()
                .map(|r| {
                    format!(
                        "{}{}",
                        if r.repful_for == crate::stats::Side::Agree {
                            "+"
                        } else {
                            "-"
                        },
                        r.tid
                    )
                })
                .collect();
            out.push_str(&format!(
                "group {}: {} members, representative {}\n",
                g.id,
                g.members.len(),
                tids.join(" ")
            ));
        }
        let agree: Vec<String> = map
            .consensus
            .agree
            .iter()
            .map(|c| c.tid.to_string())
            .collect();
        let disagree: Vec<String> = map
            .consensus
            .disagree
            .iter()
            .map(|c| c.tid.to_string())
            .collect();
        out.push_str(&format!(
            "consensus agree: [{}], disagree: [{}]\n",
            agree.join(", "),
            disagree.join(", ")
        ));
        if let Some(a) = self.ari_vs_polis {
            out.push_str(&format!(
                "ARI vs Pol.is groups: {:.3} over {} participants\n",
                a.ari, a.both
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Vote, VoteEvent};
    use crate::{Options, analyze};

    #[test]
    fn report_lists_members_as_strings_and_counts_grouped() {
        let mut votes = Vec::new();
        for p in 0..30u64 {
            for s in 0..8u64 {
                let vote = if (s < 4) == (p < 15) {
                    Vote::Agree
                } else {
                    Vote::Disagree
                };
                votes.push(VoteEvent {
                    time: (p * 8 + s) as i64,
                    participant: p + 100,
                    statement: s,
                    vote,
                });
            }
        }
        let conversation = Conversation {
            votes,
            ..Conversation::default()
        };
        let analysis = analyze(&conversation, &Options::default());
        let report = AnalyzeReport::new(&conversation, &analysis, 0.5);
        assert_eq!(report.map.k, 2);
        assert_eq!(report.map.participants_grouped, 30);
        let total: usize = report.map.groups.iter().map(|g| g.members.len()).sum();
        assert_eq!(total, 30);
        assert!(
            report
                .map
                .groups
                .iter()
                .all(|g| g.members.iter().all(|m| m.parse::<u64>().unwrap() >= 100))
        );
        assert!(report.map.groups.iter().all(|g| !g.repness.is_empty()));
        assert!(report.ari_vs_polis.is_none());
        assert!(report.summary().starts_with("2 groups, 30 of 30"));
    }
}
