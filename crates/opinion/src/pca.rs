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

/// w_k = XᵀX v_k for every vector of the block.
fn gram_product(rows: &CentredRows, vectors: &[Vec<f64>], out: &mut [Vec<f64>]) {
    for w in out.iter_mut() {
        w.iter_mut().for_each(|x| *x = 0.0);
    }
    let mut dots = vec![0.0; vectors.len()];
    for r in 0..rows.row_start.len() - 1 {
        let span = rows.row_start[r]..rows.row_start[r + 1];
        let cols = &rows.columns[span.clone()];
        let vals = &rows.values[span];
        for (k, v) in vectors.iter().enumerate() {
            dots[k] = cols
                .iter()
                .zip(vals)
                .map(|(&c, &x)| x * v[c as usize])
                .sum();
        }
        for (k, w) in out.iter_mut().enumerate() {
            let s = dots[k];
            if s != 0.0 {
                for (&c, &x) in cols.iter().zip(vals) {
                    w[c as usize] += s * x;
                }
            }
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

/// Top eigenpairs of a symmetric 2×2 matrix, eigenvalues descending.
fn symmetric_eigen_2x2(a: f64, b: f64, d: f64) -> [(f64, [f64; 2]); 2] {
    let mean = 0.5 * (a + d);
    let radius = (0.25 * (a - d) * (a - d) + b * b).sqrt();
    let (l1, l2) = (mean + radius, mean - radius);
    let first = if b.abs() > 1e-300 {
        let (x, y) = (l1 - d, b);
        let n = (x * x + y * y).sqrt();
        [x / n, y / n]
    } else if a >= d {
        [1.0, 0.0]
    } else {
        [0.0, 1.0]
    };
    [(l1, first), (l2, [-first[1], first[0]])]
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
    let mut block: Vec<Vec<f64>> = (0..n_comps)
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
    let mut products = vec![vec![0.0; n_cols]; n_comps];
    let mut h = [[0.0; 2]; 2];
    let mut iterations = 0;
    while iterations < options.max_iterations {
        gram_product(&rows, &block, &mut products);
        iterations += 1;
        for i in 0..n_comps {
            for j in 0..n_comps {
                h[i][j] = dot(&block[i], &products[j]);
            }
        }
        let h_norm = h.iter().flatten().map(|x| x * x).sum::<f64>().sqrt();
        let mut residual = 0.0;
        for j in 0..n_comps {
            for c in 0..n_cols {
                let fitted: f64 = (0..n_comps).map(|i| block[i][c] * h[i][j]).sum();
                let diff = products[j][c] - fitted;
                residual += diff * diff;
            }
        }
        if h_norm == 0.0 || residual.sqrt() <= options.tolerance * h_norm {
            break;
        }
        std::mem::swap(&mut block, &mut products);
        orthonormalise(&mut block);
    }
    // Rayleigh–Ritz: rotate the converged subspace onto the eigenvectors.
    let mut comps: Vec<Vec<f64>> = if n_comps == 2 {
        let pairs = symmetric_eigen_2x2(h[0][0], 0.5 * (h[0][1] + h[1][0]), h[1][1]);
        pairs
            .iter()
            .map(|(_, q)| {
                (0..n_cols)
                    .map(|c| q[0] * block[0][c] + q[1] * block[1][c])
                    .collect()
            })
            .collect()
    } else {
        block.clone()
    };
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
    fn eigen_2x2_is_exact() {
        let [(l1, v1), (l2, v2)] = symmetric_eigen_2x2(2.0, 1.0, 2.0);
        assert!((l1 - 3.0).abs() < 1e-15 && (l2 - 1.0).abs() < 1e-15);
        assert!((v1[0] - v1[1]).abs() < 1e-15);
        assert!((v1[0] * v2[0] + v1[1] * v2[1]).abs() < 1e-15);
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
