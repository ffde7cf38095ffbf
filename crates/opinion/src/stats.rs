//! Per-group vote counts, representative statements, consensus, group-aware consensus and comment priority.

use crate::matrix::VoteMatrix;
use crate::model::StatementId;

/// One-sided 90 % z threshold polismath uses for every significance test.
pub const Z_90: f64 = 1.2816;

/// Agree / disagree / seen (non-missing, passes included) counts per statement for a set of participants.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VoteTally {
    pub n_members: usize,
    pub agree: Vec<u32>,
    pub disagree: Vec<u32>,
    pub seen: Vec<u32>,
}

impl VoteTally {
    /// Counts the raw votes of the given matrix rows.
    pub fn of_rows(matrix: &VoteMatrix, rows: &[usize]) -> VoteTally {
        let n = matrix.n_columns();
        let mut tally = VoteTally {
            n_members: rows.len(),
            agree: vec![0; n],
            disagree: vec![0; n],
            seen: vec![0; n],
        };
        for &row in rows {
            for cell in matrix.row(row) {
                let c = cell.column as usize;
                tally.seen[c] += 1;
                match cell.value {
                    v if v < 0 => tally.agree[c] += 1,
                    v if v > 0 => tally.disagree[c] += 1,
                    _ => {}
                }
            }
        }
        tally
    }

    /// Sum of several tallies (same columns).
    pub fn sum<'a>(
        tallies: impl IntoIterator<Item = &'a VoteTally>,
        n_columns: usize,
    ) -> VoteTally {
        let mut total = VoteTally {
            n_members: 0,
            agree: vec![0; n_columns],
            disagree: vec![0; n_columns],
            seen: vec![0; n_columns],
        };
        for t in tallies {
            total.n_members += t.n_members;
            for c in 0..n_columns {
                total.agree[c] += t.agree[c];
                total.disagree[c] += t.disagree[c];
                total.seen[c] += t.seen[c];
            }
        }
        total
    }
}

/// Group-aware consensus per statement: Π over groups of (agree + 1)/(seen + 2).
pub fn group_aware_consensus(group_tallies: &[VoteTally], n_columns: usize) -> Vec<f64> {
    (0..n_columns)
        .map(|c| {
            group_tallies
                .iter()
                .map(|t| (f64::from(t.agree[c]) + 1.0) / (f64::from(t.seen[c]) + 2.0))
                .product()
        })
        .collect()
}

/// The same product for disagreement (what red-dwarf also reports).
pub fn group_aware_dissensus(group_tallies: &[VoteTally], n_columns: usize) -> Vec<f64> {
    (0..n_columns)
        .map(|c| {
            group_tallies
                .iter()
                .map(|t| (f64::from(t.disagree[c]) + 1.0) / (f64::from(t.seen[c]) + 2.0))
                .product()
        })
        .collect()
}

/// One-sample proportion test with a +1 pseudocount: 2·sqrt(n + 1)·((s + 1)/(n + 1) − 1/2).
pub fn prop_test(successes: f64, trials: f64) -> f64 {
    2.0 * (trials + 1.0).sqrt() * ((successes + 1.0) / (trials + 1.0) - 0.5)
}

/// Two-sample proportion z-test with a +1 pseudocount on every count; 0 when the pooled proportion is 1.
pub fn two_prop_test(successes_1: f64, successes_2: f64, trials_1: f64, trials_2: f64) -> f64 {
    let (s1, s2, n1, n2) = (
        successes_1 + 1.0,
        successes_2 + 1.0,
        trials_1 + 1.0,
        trials_2 + 1.0,
    );
    let (p1, p2) = (s1 / n1, s2 / n2);
    let pooled = (s1 + s2) / (n1 + n2);
    if pooled == 1.0 {
        return 0.0;
    }
    (p1 - p2) / (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt()
}

/// Direction in which a statement represents a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Agree,
    Disagree,
}

/// A representative statement of a group, with the statistics polismath reports.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RepStatement {
    pub tid: StatementId,
    #[serde(rename = "repful-for")]
    pub repful_for: Side,
    #[serde(rename = "n-success")]
    pub n_success: u32,
    #[serde(rename = "n-trials")]
    pub n_trials: u32,
    #[serde(rename = "p-success")]
    pub p_success: f64,
    #[serde(rename = "p-test")]
    pub p_test: f64,
    pub repness: f64,
    /// Stored at 32-bit precision, as polismath does.
    #[serde(rename = "repness-test")]
    pub repness_test: f64,
    #[serde(rename = "best-agree")]
    pub best_agree: bool,
    /// Agree count, carried by the best-agree entry (which may still be repful for disagree).
    #[serde(rename = "n-agree", default, skip_serializing_if = "Option::is_none")]
    pub n_agree: Option<u32>,
}

#[derive(Debug, Clone, Copy)]
struct RepCandidate {
    column: usize,
    na: f64,
    nd: f64,
    ns: f64,
    pa: f64,
    pd: f64,
    pat: f64,
    pdt: f64,
    ra: f64,
    rd: f64,
    rat: f64,
    rdt: f64,
}

impl RepCandidate {
    fn finalize(&self, statements: &[StatementId], side: Side, best_agree: bool) -> RepStatement {
        let (n, p, pt, r, rt) = match side {
            Side::Agree => (self.na, self.pa, self.pat, self.ra, self.rat),
            Side::Disagree => (self.nd, self.pd, self.pdt, self.rd, self.rdt),
        };
        RepStatement {
            tid: statements[self.column],
            repful_for: side,
            n_success: n as u32,
            n_trials: self.ns as u32,
            p_success: p,
            p_test: pt,
            repness: r,
            repness_test: f64::from(rt as f32),
            best_agree,
            n_agree: best_agree.then_some(self.na as u32),
        }
    }

    fn natural_side(&self) -> Side {
        if self.rat > self.rdt {
            Side::Agree
        } else {
            Side::Disagree
        }
    }
}

fn metric(r: &RepStatement) -> f64 {
    r.repness * r.repness_test * r.p_success * r.p_test
}

/// Representative statements of each group against the union of the other groups (polismath's
/// `select-rep-comments`): statements significant both within the group and against the rest, ranked by
/// repness·test·p·p-test, at most five, the best agreed statement first; moderated-out statements excluded.
pub fn representative_statements(
    group_tallies: &[VoteTally],
    statements: &[StatementId],
    moderated_out: &[bool],
) -> Vec<Vec<RepStatement>> {
    let n_columns = statements.len();
    let total = VoteTally::sum(group_tallies, n_columns);
    group_tallies
        .iter()
        .map(|tally| {
            let mut sufficient: Vec<RepCandidate> = Vec::new();
            let mut best: Option<RepCandidate> = None;
            let mut best_agree: Option<RepCandidate> = None;
            for c in (0..n_columns).filter(|&c| !moderated_out[c]) {
                let (na, nd, ns) = (
                    f64::from(tally.agree[c]),
                    f64::from(tally.disagree[c]),
                    f64::from(tally.seen[c]),
                );
                let rest_na = f64::from(total.agree[c]) - na;
                let rest_nd = f64::from(total.disagree[c]) - nd;
                let rest_ns = f64::from(total.seen[c]) - ns;
                let pa = (1.0 + na) / (2.0 + ns);
                let pd = (1.0 + nd) / (2.0 + ns);
                let candidate = RepCandidate {
                    column: c,
                    na,
                    nd,
                    ns,
                    pa,
                    pd,
                    pat: prop_test(na, ns),
                    pdt: prop_test(nd, ns),
                    ra: pa / ((1.0 + rest_na) / (2.0 + rest_ns)),
                    rd: pd / ((1.0 + rest_nd) / (2.0 + rest_ns)),
                    rat: two_prop_test(na, rest_na, ns, rest_ns),
                    rdt: two_prop_test(nd, rest_nd, ns, rest_ns),
                };
                let passes = (candidate.rat > Z_90 && candidate.pat > Z_90)
                    || (candidate.rdt > Z_90 && candidate.pdt > Z_90);
                if passes {
                    sufficient.push(candidate);
                } else if sufficient.is_empty() {
                    let score = candidate.rat.max(candidate.rdt);
                    if best.is_none_or(|b| score > b.rat.max(b.rdt)) {
                        best = Some(candidate);
                    }
                }
                if beats_best_agree(&candidate, best_agree.as_ref()) {
                    best_agree = Some(candidate);
                }
            }
            if sufficient.is_empty() {
                return match (best_agree, best) {
                    (Some(b), _) => vec![b.finalize(statements, b.natural_side(), true)],
                    (None, Some(b)) => vec![b.finalize(statements, b.natural_side(), false)],
                    (None, None) => Vec::new(),
                };
            }
            let mut ranked: Vec<RepStatement> = sufficient
                .iter()
                .filter(|s| best_agree.is_none_or(|b| b.column != s.column))
                .map(|s| s.finalize(statements, s.natural_side(), false))
                .collect();
            ranked.sort_by(|a, b| metric(b).total_cmp(&metric(a)));
            if let Some(b) = best_agree {
                ranked.insert(0, b.finalize(statements, b.natural_side(), true));
            }
            ranked.truncate(5);
            let (mut agrees, disagrees): (Vec<_>, Vec<_>) = ranked
                .into_iter()
                .partition(|r| r.repful_for == Side::Agree);
            agrees.extend(disagrees);
            agrees
        })
        .collect()
}

fn beats_best_agree(candidate: &RepCandidate, current: Option<&RepCandidate>) -> bool {
    if candidate.na == 0.0 && candidate.nd == 0.0 {
        return false;
    }
    match current {
        Some(best) if best.ra > 1.0 => {
            candidate.ra * candidate.rat * candidate.pa * candidate.pat
                > best.ra * best.rat * best.pa * best.pat
        }
        Some(best) => candidate.pa * candidate.pat > best.pa * best.pat,
        None => candidate.pat > Z_90 || (candidate.ra > 1.0 && candidate.pa > 0.5),
    }
}

/// A statement most participants agree (or disagree) with.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ConsensusStatement {
    pub tid: StatementId,
    #[serde(rename = "n-success")]
    pub n_success: u32,
    #[serde(rename = "n-trials")]
    pub n_trials: u32,
    #[serde(rename = "p-success")]
    pub p_success: f64,
    #[serde(rename = "p-test")]
    pub p_test: f64,
}

/// Consensus statements over every participant, top five each way.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Consensus {
    pub agree: Vec<ConsensusStatement>,
    pub disagree: Vec<ConsensusStatement>,
}

/// polismath's `select-consensus-comments` over the tally of all participants.
pub fn consensus(all: &VoteTally, statements: &[StatementId], moderated_out: &[bool]) -> Consensus {
    let pick = |successes: &[u32]| {
        let mut chosen: Vec<(f64, ConsensusStatement)> = Vec::new();
        for c in (0..statements.len()).filter(|&c| !moderated_out[c]) {
            let (n, s) = (f64::from(successes[c]), f64::from(all.seen[c]));
            let p = (1.0 + n) / (2.0 + s);
            let test = prop_test(n, s);
            if p > 0.5 && test > Z_90 {
                let entry = ConsensusStatement {
                    tid: statements[c],
                    n_success: successes[c],
                    n_trials: all.seen[c],
                    p_success: p,
                    p_test: test,
                };
                chosen.push((p * test, entry));
            }
        }
        chosen.sort_by(|a, b| b.0.total_cmp(&a.0));
        chosen.into_iter().take(5).map(|(_, e)| e).collect()
    };
    Consensus {
        agree: pick(&all.agree),
        disagree: pick(&all.disagree),
    }
}

/// Priority of showing each statement next: statements that are new (few votes), divisive on the map
/// (extremity) and not passed on come first; meta statements get a fixed 49.
pub fn comment_priorities(
    grouped_total: &VoteTally,
    extremity: &[f64],
    is_meta: &[bool],
) -> Vec<f64> {
    (0..extremity.len())
        .map(|c| {
            if is_meta[c] {
                return 49.0;
            }
            let (a, d, s) = (
                f64::from(grouped_total.agree[c]),
                f64::from(grouped_total.disagree[c]),
                f64::from(grouped_total.seen[c]),
            );
            let passes = s - a - d;
            let importance =
                (1.0 - (passes + 1.0) / (s + 2.0)) * (extremity[c] + 1.0) * (a + 1.0) / (s + 2.0);
            let novelty = 1.0 + 8.0 * 2f64.powf(-s / 5.0);
            (importance * novelty).powi(2)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proportion_tests_match_hand_values() {
        assert!((prop_test(6.0, 6.0) - 7f64.sqrt()).abs() < 1e-15);
        assert_eq!(two_prop_test(3.0, 3.0, 3.0, 3.0), 0.0);
        let z = two_prop_test(5.0, 1.0, 6.0, 10.0);
        assert!(z > 2.0, "{z}");
    }
}
