//! PCA of the vote matrix by block power iteration, and the sparsity-aware projection.
//!
//! Imputing a missing cell with its column mean and then centring on that same mean makes every missing cell
//! exactly 0, so the centred matrix is as sparse as the votes: products with XᵀX cost two passes over the votes.
//! Both components are iterated together with a Rayleigh–Ritz rotation at the end, which converges at the rate
//! λ3/λ2 instead of λ2/λ1 and reaches the exact top-2 eigenvectors that polismath's own states hold.

use crate::matrix::VoteMatrix;

/// Deterministic generator (SplitMix64): the only randomness is the PCA cold-start vector.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Result of the PCA: column centre and up to two unit components (polismath's internal vote sign).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pca {
    pub center: Vec<f64>,
    pub comps: Vec<Vec<f64>>,
    /// Power-iteration products used (for the benchmark and tests).
    pub iterations: usize,
}

/// Stopping rule of the power iteration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PcaOptions {
    pub max_iterations: usize,
    /// Relative residual ‖XᵀXV − VH‖/‖H‖ under which the subspace counts as converged.
    pub tolerance: f64,
}

impl Default for PcaOptions {
    fn default() -> Self {
        PcaOptions {
            max_iterations: 2000,
            tolerance: 1e-13,
        }
    }
}

/// The centred rating matrix (missing and moderated-out cells are 0) in compressed-row form.
struct CentredRows {
    row_start: Vec<usize>,
    columns: Vec<u32>,
    values: Vec<f64>,
}

/// Column means of the non-missing cells of the rating matrix (moderated-out columns are all 0).
pub fn column_centers(matrix: &VoteMatrix, moderated_out: &[bool]) -> Vec<f64> {
    let n = matrix.n_columns();
    let mut sums = vec![0.0; n];
    let mut counts = vec![0usize; n];
    for row in 0..matrix.n_rows() {
        for cell in matrix.row(row) {
            sums[cell.column as usize] += f64::from(cell.value);
            counts[cell.column as usize] += 1;
        }
    }
    (0..n)
        .map(|c| {
            if moderated_out[c] || counts[c] == 0 {
                0.0
            } else {
                sums[c] / counts[c] as f64
            }
        })
        .collect()
}

fn centred_rows(matrix: &VoteMatrix, moderated_out: &[bool], center: &[f64]) -> CentredRows {
    let mut rows = CentredRows {
        row_start: Vec::with_capacity(matrix.n_rows() + 1),
        columns: Vec::with_capacity(matrix.n_votes()),
        values: Vec::with_capacity(matrix.n_votes()),
    };
    rows.row_start.push(0);
    for row in 0..matrix.n_rows() {
        for cell in matrix.row(row) {
            let c = cell.column as usize;
            if !moderated_out[c] {
                rows.columns.push(cell.column);
                rows.values.push(f64::from(cell.value) - center[c]);
            }
        }
        rows.row_start.push(rows.columns.len());
    }
    rows
}

/// Most vectors iterated together (two components plus two guard vectors).
const MAX_BLOCK: usize = 4;

/// w_k = XᵀX v_k for every vector of the block, in one pass over the votes: the vectors are interleaved per
/// column so each vote reads and writes one contiguous group of values.
fn gram_product(rows: &CentredRows, vectors: &[Vec<f64>], out: &mut [Vec<f64>]) {
    let b = vectors.len();
    debug_assert!(b <= MAX_BLOCK);
    let n_cols = vectors.first().map_or(0, Vec::len);
    let mut interleaved = vec![0.0; n_cols * MAX_BLOCK];
    for (k, v) in vectors.iter().enumerate() {
        for (c, &x) in v.iter().enumerate() {
            interleaved[c * MAX_BLOCK + k] = x;
        }
    }
    let mut accumulated = vec![0.0; n_cols * MAX_BLOCK];
    for r in 0..rows.row_start.len() - 1 {
        let span = rows.row_start[r]..rows.row_start[r + 1];
        let cols = &rows.columns[span.clone()];
        let vals = &rows.values[span];
        let mut dots = [0.0; MAX_BLOCK];
        for (&c, &x) in cols.iter().zip(vals) {
            let v = &interleaved[c as usize * MAX_BLOCK..c as usize * MAX_BLOCK + MAX_BLOCK];
            for k in 0..MAX_BLOCK {
                dots[k] += x * v[k];
            }
        }
        for (&c, &x) in cols.iter().zip(vals) {
            let w = &mut accumulated[c as usize * MAX_BLOCK..c as usize * MAX_BLOCK + MAX_BLOCK];
            for k in 0..MAX_BLOCK {
                w[k] += dots[k] * x;
            }
        }
    }
    for (k, w) in out.iter_mut().enumerate().take(b) {
        for (c, x) in w.iter_mut().enumerate() {
            *x = accumulated[c * MAX_BLOCK + k];
        }
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn normalise(v: &mut [f64]) -> f64 {
    let norm = dot(v, v).sqrt();
    if norm > 1e-300 {
        v.iter_mut().for_each(|x| *x /= norm);
    } else {
        v.iter_mut().for_each(|x| *x = 0.0);
    }
    norm
}

/// Gram–Schmidt (twice, for stability) over the block, in place.
fn orthonormalise(block: &mut [Vec<f64>]) {
    for k in 0..block.len() {
        for _ in 0..2 {
            for j in 0..k {
                let (done, rest) = block.split_at_mut(k);
                let projection = dot(&rest[0], &done[j]);
                rest[0]
                    .iter_mut()
                    .zip(&done[j])
                    .for_each(|(x, y)| *x -= projection * y);
            }
        }
        normalise(&mut block[k]);
    }
}

/// Eigenpairs of a small symmetric matrix (cyclic Jacobi), eigenvalues descending.
#[allow(clippy::needless_range_loop)] // index form mirrors the textbook rotation
fn symmetric_eigen(mut a: Vec<Vec<f64>>) -> Vec<(f64, Vec<f64>)> {
    let n = a.len();
    let mut v: Vec<Vec<f64>> = (0..n)
        .map(|i| (0..n).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
        .collect();
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i][j] * a[i][j])
            .sum();
        if off < 1e-300 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                if a[p][q] == 0.0 {
                    continue;
                }
                let theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (akp, akq) = (a[k][p], a[k][q]);
                    a[k][p] = c * akp - s * akq;
                    a[k][q] = s * akp + c * akq;
                }
                for k in 0..n {
                    let (apk, aqk) = (a[p][k], a[q][k]);
                    a[p][k] = c * apk - s * aqk;
                    a[q][k] = s * apk + c * aqk;
                }
                for row in v.iter_mut() {
                    let (vp, vq) = (row[p], row[q]);
                    row[p] = c * vp - s * vq;
                    row[q] = s * vp + c * vq;
                }
            }
        }
    }
    let mut pairs: Vec<(f64, Vec<f64>)> = (0..n)
        .map(|j| (a[j][j], (0..n).map(|i| v[i][j]).collect()))
        .collect();
    pairs.sort_by(|x, y| y.0.total_cmp(&x.0));
    pairs
}

/// PCA of the rating matrix: centre = column means of the votes, components = top eigenvectors of XᵀX of the
/// centred, imputed matrix. `start` (the previous components) warm-starts the iteration; otherwise the start
/// vectors are uniform [0, 1) draws from `seed`.
pub fn power_pca(
    matrix: &VoteMatrix,
    moderated_out: &[bool],
    start: Option<&[Vec<f64>]>,
    seed: u64,
    options: &PcaOptions,
) -> Pca {
    let n_cols = matrix.n_columns();
    let center = column_centers(matrix, moderated_out);
    let n_comps = 2.min(n_cols).min(matrix.n_rows());
    if n_comps == 0 {
        return Pca {
            center,
            comps: vec![vec![0.0; n_cols]; 2],
            iterations: 0,
        };
    }
    let rows = centred_rows(matrix, moderated_out, &center);
    let mut rng = SplitMix64::new(seed);
    // Two extra guard vectors: the top pair then converges at the rate λ5/λ2 instead of λ3/λ2.
    let block_size = (n_comps + 2)
        .min(MAX_BLOCK)
        .min(n_cols)
        .min(matrix.n_rows());
    let mut block: Vec<Vec<f64>> = (0..block_size)
        .map(|k| {
            let previous = start
                .and_then(|s| s.get(k))
                .filter(|v| v.iter().any(|&x| x != 0.0));
            (0..n_cols)
                .map(|c| {
                    let random = rng.next_f64();
                    // New columns of a warm start begin at 1, like polismath pads its start vector.
                    previous.map_or(random, |v| v.get(c).copied().unwrap_or(1.0))
                })
                .collect()
        })
        .collect();
    orthonormalise(&mut block);
    let mut products = vec![vec![0.0; n_cols]; block_size];
    let mut ritz: Vec<(f64, Vec<f64>)>;
    let mut iterations = 0;
    loop {
        gram_product(&rows, &block, &mut products);
        iterations += 1;
        // Rayleigh–Ritz on the block: H = VᵀXᵀXV, its eigenvectors rotate V onto the best approximations.
        let h: Vec<Vec<f64>> = (0..block_size)
            .map(|i| {
                (0..block_size)
                    .map(|j| 0.5 * (dot(&block[i], &products[j]) + dot(&block[j], &products[i])))
                    .collect()
            })
            .collect();
        ritz = symmetric_eigen(h);
        let scale = ritz.first().map_or(0.0, |r| r.0.abs());
        let mut worst = 0.0f64;
        for (theta, q) in ritz.iter().take(n_comps) {
            let mut residual = 0.0;
            for c in 0..n_cols {
                let mut r = 0.0;
                for (i, &qi) in q.iter().enumerate() {
                    r += qi * (products[i][c] - theta * block[i][c]);
                }
                residual += r * r;
            }
            worst = worst.max(residual.sqrt());
        }
        if scale == 0.0
            || worst <= options.tolerance * scale
            || iterations >= options.max_iterations
        {
            break;
        }
        // Next block: the products rotated in Ritz order, orthonormalised.
        let rotated: Vec<Vec<f64>> = ritz
            .iter()
            .map(|(_, q)| {
                (0..n_cols)
                    .map(|c| {
                        q.iter()
                            .enumerate()
                            .map(|(i, &qi)| qi * products[i][c])
                            .sum()
                    })
                    .collect()
            })
            .collect();
        block = rotated;
        orthonormalise(&mut block);
    }
    let mut comps: Vec<Vec<f64>> = ritz
        .iter()
        .take(n_comps)
        .map(|(_, q)| {
            (0..n_cols)
                .map(|c| q.iter().enumerate().map(|(i, &qi)| qi * block[i][c]).sum())
                .collect()
        })
        .collect();
    for (k, comp) in comps.iter_mut().enumerate() {
        normalise(comp);
        let flip = match start.and_then(|s| s.get(k)) {
            Some(previous) if previous.len() <= comp.len() => {
                dot(previous, &comp[..previous.len()]) < 0.0
            }
            _ => {
                let largest = comp
                    .iter()
                    .copied()
                    .fold(0.0f64, |m, x| if x.abs() > m.abs() { x } else { m });
                largest < 0.0
            }
        };
        if flip {
            comp.iter_mut().for_each(|x| *x = -*x);
        }
    }
    while comps.len() < 2 {
        comps.push(vec![0.0; n_cols]);
    }
    Pca {
        center,
        comps,
        iterations,
    }
}

/// Sparsity-aware projection of every participant: (x − centre)·pc over the cells voted, scaled by
/// sqrt(n_columns / n_votes) so that people who voted on few statements are not pulled to the centre.
/// Moderated-out columns count as votes (polismath zeroes them, nils included). Without `sparsity_scaling`
/// the plain projection of the imputed matrix is returned (older polismath states, see README).
pub fn project_participants(
    matrix: &VoteMatrix,
    moderated_out: &[bool],
    pca: &Pca,
    sparsity_scaling: bool,
) -> Vec<[f64; 2]> {
    let n_cols = matrix.n_columns();
    let n_moderated_out = moderated_out.iter().filter(|&&m| m).count();
    (0..matrix.n_rows())
        .map(|row| {
            let mut p = [0.0; 2];
            let mut n_votes = n_moderated_out;
            for cell in matrix.row(row) {
                let c = cell.column as usize;
                if moderated_out[c] {
                    continue;
                }
                n_votes += 1;
                let x = f64::from(cell.value) - pca.center[c];
                p[0] += x * pca.comps[0][c];
                p[1] += x * pca.comps[1][c];
            }
            let scale = if sparsity_scaling {
                (n_cols as f64 / n_votes.max(1) as f64).sqrt()
            } else {
                1.0
            };
            [p[0] * scale, p[1] * scale]
        })
        .collect()
}

/// Position of each statement on the map: a participant who only agreed with it; extremity = its distance
/// from the origin.
pub fn project_statements(pca: &Pca) -> (Vec<[f64; 2]>, Vec<f64>) {
    let n_cols = pca.center.len();
    let scale = (n_cols as f64).sqrt();
    let positions: Vec<[f64; 2]> = (0..n_cols)
        .map(|c| {
            let x = -1.0 - pca.center[c];
            [x * pca.comps[0][c] * scale, x * pca.comps[1][c] * scale]
        })
        .collect();
    let extremity = positions
        .iter()
        .map(|p| (p[0] * p[0] + p[1] * p[1]).sqrt())
        .collect();
    (positions, extremity)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Vote, VoteEvent};

    #[test]
    fn jacobi_eigen_is_exact() {
        let pairs = symmetric_eigen(vec![
            vec![2.0, 1.0, 0.0],
            vec![1.0, 2.0, 0.0],
            vec![0.0, 0.0, 0.5],
        ]);
        assert!(
            (pairs[0].0 - 3.0).abs() < 1e-14
                && (pairs[1].0 - 1.0).abs() < 1e-14
                && (pairs[2].0 - 0.5).abs() < 1e-14
        );
        let v = &pairs[0].1;
        assert!(
            (v[0].abs() - 0.5f64.sqrt()).abs() < 1e-14
                && (v[0] - v[1]).abs() < 1e-14
                && v[2].abs() < 1e-14
        );
    }

    #[test]
    fn two_opposed_camps_give_one_dominant_axis() {
        let mut events = Vec::new();
        for p in 0..20u64 {
            for s in 0..6u64 {
                let camp_a = p < 10;
                let agrees = (s < 3) == camp_a;
                let vote = if agrees { Vote::Agree } else { Vote::Disagree };
                events.push(VoteEvent {
                    time: (p * 10 + s) as i64,
                    participant: p,
                    statement: s,
                    vote,
                });
            }
        }
        let m = VoteMatrix::from_events(&events);
        let pca = power_pca(&m, &[false; 6], None, 1, &PcaOptions::default());
        let expected = 1.0 / 6f64.sqrt();
        for (c, &x) in pca.comps[0].iter().enumerate() {
            assert!((x.abs() - expected).abs() < 1e-12, "column {c}: {x}");
        }
        let proj = project_participants(&m, &[false; 6], &pca, true);
        assert!(
            proj[0][0] * proj[15][0] < 0.0,
            "the camps are on opposite sides"
        );
    }
}
