//! Weighted k-means in the plane with polismath's deterministic starts, and the silhouette that chooses k.

/// A cluster of points: `members` index the point list it was computed on.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    pub id: u32,
    pub members: Vec<usize>,
    pub center: [f64; 2],
}

fn squared_distance(a: [f64; 2], b: [f64; 2]) -> f64 {
    let (dx, dy) = (a[0] - b[0], a[1] - b[1]);
    dx * dx + dy * dy
}

pub fn distance(a: [f64; 2], b: [f64; 2]) -> f64 {
    squared_distance(a, b).sqrt()
}

fn weighted_mean(points: &[[f64; 2]], weights: &[f64], members: &[usize]) -> [f64; 2] {
    let (mut x, mut y, mut w) = (0.0, 0.0, 0.0);
    for &m in members {
        x += weights[m] * points[m][0];
        y += weights[m] * points[m][1];
        w += weights[m];
    }
    if w > 0.0 { [x / w, y / w] } else { [0.0, 0.0] }
}

/// Cold start: the first `k` distinct points become the centres, ids 0..k−1. No randomness.
pub fn first_distinct_centres(points: &[[f64; 2]], k: usize) -> Vec<Cluster> {
    let mut clusters: Vec<Cluster> = Vec::with_capacity(k);
    for point in points {
        if clusters.len() == k {
            break;
        }
        if !clusters.iter().any(|c| c.center == *point) {
            clusters.push(Cluster {
                id: clusters.len() as u32,
                members: Vec::new(),
                center: *point,
            });
        }
    }
    clusters
}

fn distinct_count(points: &[[f64; 2]], limit: usize) -> usize {
    let mut sorted: Vec<[f64; 2]> = points.to_vec();
    sorted.sort_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
    sorted.dedup();
    sorted.len().min(limit)
}

/// Warm start: the previous clusters (members given as indices into `points`) re-centred on their members'
/// new positions, empty ones dropped, identical centres merged; then, while there are fewer than
/// min(k, distinct points) clusters, the point farthest from its nearest centre starts a new cluster.
pub fn warm_start(
    points: &[[f64; 2]],
    weights: &[f64],
    previous: &[Cluster],
    k: usize,
) -> Vec<Cluster> {
    let mut clusters: Vec<Cluster> = Vec::new();
    for old in previous {
        if old.members.is_empty() {
            continue;
        }
        let center = weighted_mean(points, weights, &old.members);
        if let Some(same) = clusters.iter_mut().find(|c| c.center == center) {
            same.members.extend_from_slice(&old.members);
        } else {
            clusters.push(Cluster {
                id: old.id,
                members: old.members.clone(),
                center,
            });
        }
    }
    let target = distinct_count(points, k);
    while clusters.len() < target {
        let farthest = (0..points.len())
            .map(|p| {
                let nearest = clusters
                    .iter()
                    .map(|c| squared_distance(points[p], c.center))
                    .fold(f64::INFINITY, f64::min);
                (p, nearest)
            })
            .fold((0, f64::NEG_INFINITY), |best, cur| {
                if cur.1 > best.1 { cur } else { best }
            });
        let next_id = clusters.iter().map(|c| c.id + 1).max().unwrap_or(0);
        let point = farthest.0;
        for c in &mut clusters {
            c.members.retain(|&m| m != point);
        }
        clusters.retain(|c| !c.members.is_empty() || c.center == points[point]);
        clusters.push(Cluster {
            id: next_id,
            members: vec![point],
            center: points[point],
        });
    }
    clusters
}

/// polismath's `same-clustering?`: the sorted centre lists agree pairwise within 0.01 on each coordinate.
fn same_centres(old: &[Cluster], new: &[Cluster]) -> bool {
    if old.len() != new.len() {
        return false;
    }
    let sorted = |cs: &[Cluster]| {
        let mut v: Vec<[f64; 2]> = cs.iter().map(|c| c.center).collect();
        v.sort_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
        v
    };
    sorted(old)
        .iter()
        .zip(sorted(new).iter())
        .all(|(a, b)| (a[0] - b[0]).abs() <= 0.01 && (a[1] - b[1]).abs() <= 0.01)
}

/// Weighted k-means from the given start: assign every point to its nearest centre (ties: earliest cluster),
/// drop empty clusters, move each centre to the weighted mean; stop when the centres settle or after
/// `max_steps` steps. Clusters come back sorted by id.
pub fn kmeans(
    points: &[[f64; 2]],
    weights: &[f64],
    start: Vec<Cluster>,
    max_steps: usize,
) -> Vec<Cluster> {
    let mut clusters = start;
    if clusters.is_empty() {
        return clusters;
    }
    // Hamerly's bounds keep the assignment exact while skipping most distance computations once the centres
    // settle: `upper` ≥ distance to the assigned centre, `lower` ≤ distance to any other centre.
    let n = points.len();
    let mut assigned = vec![0usize; n];
    let mut upper = vec![f64::INFINITY; n];
    let mut lower = vec![0.0f64; n];
    for step in 0..max_steps {
        let mut by_x: Vec<(f64, usize)> = clusters
            .iter()
            .enumerate()
            .map(|(i, c)| (c.center[0], i))
            .collect();
        by_x.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for p in 0..n {
            if step > 0 {
                if upper[p] < lower[p] {
                    continue;
                }
                upper[p] = distance(points[p], clusters[assigned[p]].center);
                if upper[p] < lower[p] {
                    continue;
                }
            }
            // Exact nearest and second-nearest centre, scanning centres sorted by x outward from the point and
            // stopping once the x-gap alone exceeds the second-nearest distance.
            let (mut best, mut best_d, mut second_d) = (usize::MAX, f64::INFINITY, f64::INFINITY);
            let point = points[p];
            let split = by_x.partition_point(|&(x, _)| x < point[0]);
            let (mut left, mut right) = (split, split);
            loop {
                let left_gap = if left > 0 {
                    point[0] - by_x[left - 1].0
                } else {
                    f64::INFINITY
                };
                let right_gap = if right < by_x.len() {
                    by_x[right].0 - point[0]
                } else {
                    f64::INFINITY
                };
                let gap = left_gap.min(right_gap);
                if gap == f64::INFINITY || gap * gap > second_d {
                    break;
                }
                let i = if left_gap <= right_gap {
                    left -= 1;
                    by_x[left].1
                } else {
                    right += 1;
                    by_x[right - 1].1
                };
                let d = squared_distance(point, clusters[i].center);
                if d < best_d || (d == best_d && i < best) {
                    second_d = best_d;
                    best_d = d;
                    best = i;
                } else if d < second_d {
                    second_d = d;
                }
            }
            assigned[p] = best;
            upper[p] = best_d.sqrt();
            lower[p] = second_d.sqrt();
        }
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); clusters.len()];
        for (p, &a) in assigned.iter().enumerate() {
            members[a].push(p);
        }
        // Empty clusters are dropped; the others keep their order, so assignments are re-indexed.
        let mut new_index = vec![usize::MAX; clusters.len()];
        let mut next: Vec<Cluster> = Vec::with_capacity(clusters.len());
        let mut moved: Vec<f64> = Vec::with_capacity(clusters.len());
        for (i, (c, m)) in clusters.iter().zip(members).enumerate() {
            if m.is_empty() {
                continue;
            }
            new_index[i] = next.len();
            let center = weighted_mean(points, weights, &m);
            moved.push(distance(center, c.center));
            next.push(Cluster {
                id: c.id,
                center,
                members: m,
            });
        }
        for a in assigned.iter_mut() {
            *a = new_index[*a];
        }
        // Bounds follow the centres' movement (dropping a cluster can only raise the lower bound).
        let (mut max_move, mut max_at, mut second_move) = (0.0f64, usize::MAX, 0.0f64);
        for (i, &m) in moved.iter().enumerate() {
            if m > max_move {
                second_move = max_move;
                max_move = m;
                max_at = i;
            } else if m > second_move {
                second_move = m;
            }
        }
        for p in 0..n {
            let a = assigned[p];
            upper[p] += moved[a];
            lower[p] -= if a == max_at { second_move } else { max_move };
        }
        let settled = same_centres(&clusters, &next);
        clusters = next;
        if settled {
            break;
        }
    }
    clusters.sort_by_key(|c| c.id);
    clusters
}

/// Mean silhouette of a grouping of points (unweighted): s = (b − a)/max(a, b) per point, where a is the mean
/// distance to the other points of its group and b the smallest mean distance to another group; a point alone
/// in its group scores 0.
pub fn silhouette(points: &[[f64; 2]], groups: &[Cluster]) -> f64 {
    if points.is_empty() {
        return 0.0;
    }
    let mut group_of = vec![usize::MAX; points.len()];
    for (g, cluster) in groups.iter().enumerate() {
        for &m in &cluster.members {
            group_of[m] = g;
        }
    }
    let mut total = 0.0;
    for p in 0..points.len() {
        let own = group_of[p];
        if own == usize::MAX || groups[own].members.len() <= 1 {
            continue;
        }
        let mut a = 0.0;
        let mut b = f64::INFINITY;
        for (g, cluster) in groups.iter().enumerate() {
            let sum: f64 = cluster
                .members
                .iter()
                .map(|&q| distance(points[p], points[q]))
                .sum();
            if g == own {
                a = sum / (cluster.members.len() - 1) as f64;
            } else if !cluster.members.is_empty() {
                b = b.min(sum / cluster.members.len() as f64);
            }
        }
        if !b.is_finite() {
            continue;
        }
        let denominator = a.max(b);
        if denominator > 0.0 {
            total += (b - a) / denominator;
        }
    }
    total / points.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kmeans_separates_two_blobs_from_first_distinct_points() {
        let points = [
            [0.0, 0.0],
            [0.0, 0.0],
            [0.1, 0.0],
            [5.0, 5.0],
            [5.1, 5.0],
            [0.0, 0.1],
        ];
        let weights = [1.0; 6];
        let start = first_distinct_centres(&points, 2);
        assert_eq!(start[1].center, [0.1, 0.0]);
        let clusters = kmeans(&points, &weights, start, 20);
        let mut members: Vec<Vec<usize>> = clusters.iter().map(|c| c.members.clone()).collect();
        members.sort();
        assert_eq!(members, vec![vec![0, 1, 2, 5], vec![3, 4]]);
    }

    #[test]
    fn silhouette_is_high_for_separated_groups_and_zero_for_singletons() {
        let points = [[0.0, 0.0], [0.0, 1.0], [10.0, 0.0], [10.0, 1.0]];
        let good = vec![
            Cluster {
                id: 0,
                members: vec![0, 1],
                center: [0.0, 0.5],
            },
            Cluster {
                id: 1,
                members: vec![2, 3],
                center: [10.0, 0.5],
            },
        ];
        let s = silhouette(&points, &good);
        assert!(s > 0.85, "{s}");
        let singles: Vec<Cluster> = (0..4)
            .map(|i| Cluster {
                id: i as u32,
                members: vec![i],
                center: points[i],
            })
            .collect();
        assert_eq!(silhouette(&points, &singles), 0.0);
    }

    #[test]
    fn warm_start_fills_up_with_the_farthest_point() {
        let points = [[0.0, 0.0], [1.0, 0.0], [9.0, 0.0]];
        let previous = vec![Cluster {
            id: 4,
            members: vec![0, 1],
            center: [0.0, 0.0],
        }];
        let start = warm_start(&points, &[1.0; 3], &previous, 2);
        assert_eq!(start.len(), 2);
        assert_eq!(start[1].id, 5);
        assert_eq!(start[1].center, [9.0, 0.0]);
        assert_eq!(start[0].center, [0.5, 0.0]);
    }
}
