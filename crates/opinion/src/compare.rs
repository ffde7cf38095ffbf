//! Comparing groupings: the adjusted Rand index against Pol.is's exported group ids.

use std::collections::HashMap;

use crate::model::ParticipantId;

/// Adjusted Rand index of two labellings of the same items (Hubert & Arabie). 1 = identical partitions,
/// about 0 = chance agreement. Two single-cluster labellings score 1.
pub fn adjusted_rand_index(a: &[u32], b: &[u32]) -> f64 {
    assert_eq!(a.len(), b.len(), "labellings must cover the same items");
    let n = a.len() as f64;
    let choose2 = |x: f64| x * (x - 1.0) / 2.0;
    let mut table: HashMap<(u32, u32), f64> = HashMap::new();
    let mut rows: HashMap<u32, f64> = HashMap::new();
    let mut cols: HashMap<u32, f64> = HashMap::new();
    for (&x, &y) in a.iter().zip(b) {
        *table.entry((x, y)).or_default() += 1.0;
        *rows.entry(x).or_default() += 1.0;
        *cols.entry(y).or_default() += 1.0;
    }
    let index: f64 = table.values().map(|&v| choose2(v)).sum();
    let sum_rows: f64 = rows.values().map(|&v| choose2(v)).sum();
    let sum_cols: f64 = cols.values().map(|&v| choose2(v)).sum();
    let expected = sum_rows * sum_cols / choose2(n);
    let max = 0.5 * (sum_rows + sum_cols);
    if max == expected {
        return 1.0;
    }
    (index - expected) / (max - expected)
}

/// Agreement of a grouping with a reference (e.g. Pol.is's exported `group-id`).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct GroupAgreement {
    /// ARI over the participants grouped by both.
    pub ari: f64,
    /// Participants grouped by both / by the reference only / by ours only.
    pub both: usize,
    pub reference_only: usize,
    pub ours_only: usize,
}

pub fn compare_groups(
    ours: &[(ParticipantId, Option<u32>)],
    reference: &[(ParticipantId, Option<u32>)],
) -> GroupAgreement {
    let ours: HashMap<ParticipantId, u32> = ours
        .iter()
        .filter_map(|&(p, g)| g.map(|g| (p, g)))
        .collect();
    let mut labels_ours = Vec::new();
    let mut labels_reference = Vec::new();
    let mut reference_only = 0;
    let mut reference_grouped = 0;
    for &(p, g) in reference {
        let Some(g) = g else { continue };
        reference_grouped += 1;
        match ours.get(&p) {
            Some(&mine) => {
                labels_ours.push(mine);
                labels_reference.push(g);
            }
            None => reference_only += 1,
        }
    }
    let both = labels_ours.len();
    GroupAgreement {
        ari: if both > 1 {
            adjusted_rand_index(&labels_ours, &labels_reference)
        } else {
            0.0
        },
        both,
        reference_only,
        ours_only: ours.len() - (reference_grouped - reference_only),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ari_known_values() {
        assert_eq!(adjusted_rand_index(&[0, 0, 1, 1], &[5, 5, 2, 2]), 1.0);
        // sklearn.metrics.adjusted_rand_score([0,0,1,1],[0,0,1,2]) = 0.5714285714285715
        let v = adjusted_rand_index(&[0, 0, 1, 1], &[0, 0, 1, 2]);
        assert!((v - 0.571_428_571_428_571_5).abs() < 1e-12, "{v}");
        let v = adjusted_rand_index(&[0, 0, 0, 1, 1, 1], &[0, 0, 1, 1, 2, 2]);
        assert!((v - 0.242_424_242_424_242_4).abs() < 1e-12, "{v}");
    }
}
