//! The verifiable draw: seed derivation, sampling a composition, mapping it to applicants, the reserve
//! list and the filling of vacancies. Every random choice comes from one ChaCha20 stream in a fixed order,
//! so the same published input and seed text always give the same panel (see the crate README for the
//! procedure step by step).
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::instance::Pool;
use crate::leximin::Distribution;

/// SHA-256 of the UTF-8 bytes of the announced seed text, exactly as given (no trimming or normalisation).
pub fn seed_digest(seed_text: &str) -> [u8; 32] {
    Sha256::digest(seed_text.as_bytes()).into()
}

/// Why a seed text cannot seed a verifiable draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeedTextError {
    Empty,
    OnlyWhitespace,
}

impl std::fmt::Display for SeedTextError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self {
            SeedTextError::Empty => "is empty",
            SeedTextError::OnlyWhitespace => "is only whitespace",
        };
        write!(
            f,
            "the seed text {what}: it must be the announced public value (for instance a lottery draw's \
             numbers and the call id), or anyone could have chosen the panel in advance"
        )
    }
}

impl std::error::Error for SeedTextError {}

/// A seed text must carry the announced public value: an empty or whitespace-only text is refused (it is
/// known in advance, so whoever runs the draw would know the panel before the call closes). Otherwise the
/// text is used exactly as given (see [`seed_digest`]).
pub fn check_seed_text(text: &str) -> Result<(), SeedTextError> {
    if text.is_empty() {
        Err(SeedTextError::Empty)
    } else if text.trim().is_empty() {
        Err(SeedTextError::OnlyWhitespace)
    } else {
        Ok(())
    }
}

/// Lower-case hexadecimal of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The random stream of a draw: ChaCha20 (20 rounds, stream 0, block counter from 0) keyed by the seed
/// digest, read 64 bits at a time.
pub struct DrawRng(ChaCha20Rng);

impl DrawRng {
    pub fn new(digest: [u8; 32]) -> DrawRng {
        DrawRng(ChaCha20Rng::from_seed(digest))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// Uniform in `[0, 1)`: the top 53 bits of the next word times 2^-53.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform integer in `[0, bound)` without bias: words below `2^64 mod bound` are rejected, then the
    /// word is reduced modulo `bound`.
    pub fn below(&mut self, bound: usize) -> usize {
        assert!(bound > 0, "below(0)");
        let bound = bound as u64;
        let threshold = bound.wrapping_neg() % bound;
        loop {
            let word = self.next_u64();
            if word >= threshold {
                return (word % bound) as usize;
            }
        }
    }
}

/// Outcome of a draw, as applicant indices into [`Pool::applicant_ids`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DrawOutcome {
    /// Hex SHA-256 of the seed text.
    pub seed_sha256: String,
    /// Index of the drawn composition in [`Distribution::compositions`].
    pub composition_index: usize,
    /// Panel members in seat order.
    pub panel: Vec<usize>,
    /// Reserve list in filling order.
    pub reserves: Vec<usize>,
}

/// Draws a panel and its reserve list from a distribution over compositions.
pub fn draw(pool: &Pool, distribution: &Distribution, seed_text: &str) -> DrawOutcome {
    let digest = seed_digest(seed_text);
    let mut rng = DrawRng::new(digest);

    // 1. The composition: first one whose cumulative probability exceeds u (in published order).
    let u = rng.unit();
    let mut cumulative = 0.0;
    let mut composition_index = distribution.compositions.len() - 1;
    for (index, composition) in distribution.compositions.iter().enumerate() {
        cumulative += composition.probability;
        if u < cumulative {
            composition_index = index;
            break;
        }
    }
    let seats = &distribution.compositions[composition_index].seats;

    // 2. Members of each type, in canonical type order: partial Fisher–Yates over the type's members
    //    sorted by id.
    let mut panel = Vec::with_capacity(pool.panel_size as usize);
    let mut selected = vec![false; pool.applicant_count()];
    for (t, ty) in pool.types.iter().enumerate() {
        let take = seats[t] as usize;
        if take == 0 {
            continue;
        }
        let mut members = ty.members.clone();
        for i in 0..take {
            let j = i + rng.below(members.len() - i);
            members.swap(i, j);
        }
        for &a in &members[..take] {
            selected[a] = true;
            panel.push(a);
        }
    }

    // 3. Seat order: a full Fisher–Yates shuffle of the panel, so that reserves (which mirror seats in
    //    this order) favour no type.
    shuffle(&mut panel, &mut rng);

    // 4. Reserves: reserve j is drawn among the remaining applicants of the type of seat (j mod panel size),
    //    or among all remaining applicants when that type is exhausted.
    let mut remaining_by_type: Vec<Vec<usize>> = pool
        .types
        .iter()
        .map(|ty| {
            ty.members
                .iter()
                .copied()
                .filter(|&a| !selected[a])
                .collect()
        })
        .collect();
    let mut remaining_total: usize = remaining_by_type.iter().map(Vec::len).sum();
    let mut reserves = Vec::with_capacity(pool.reserve_size as usize);
    for j in 0..pool.reserve_size as usize {
        if remaining_total == 0 || panel.is_empty() {
            break;
        }
        let seat_type = pool.applicant_type[panel[j % panel.len()]];
        let (t, position) = if remaining_by_type[seat_type].is_empty() {
            let mut index = rng.below(remaining_total);
            let mut t = 0;
            while index >= remaining_by_type[t].len() {
                index -= remaining_by_type[t].len();
                t += 1;
            }
            (t, index)
        } else {
            (seat_type, rng.below(remaining_by_type[seat_type].len()))
        };
        reserves.push(remaining_by_type[t].remove(position));
        remaining_total -= 1;
    }

    DrawOutcome {
        seed_sha256: hex(&digest),
        composition_index,
        panel,
        reserves,
    }
}

/// Fisher–Yates: for i = 0 … len−2, swap element i with element i + below(len − i).
pub fn shuffle<T>(items: &mut [T], rng: &mut DrawRng) {
    if items.len() < 2 {
        return;
    }
    for i in 0..items.len() - 1 {
        let j = i + rng.below(items.len() - i);
        items.swap(i, j);
    }
}

/// How a reserve was chosen for a vacancy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VacancyRule {
    /// The first reserve with the same category on every feature as the member who left.
    SameType,
    /// No reserve of the same type; the first reserve with whom the panel still meets every quota.
    QuotasKept,
    /// No reserve keeps the quotas; the first reserve, and the quotas are now broken (staff must decide).
    QuotasBroken,
}

/// Chooses the reserve who takes the seat of `leaving` (an applicant index on `panel`). Returns the
/// position in `reserves` and the rule used, or `None` when the reserve list is empty.
pub fn fill_vacancy(
    pool: &Pool,
    panel: &[usize],
    reserves: &[usize],
    leaving: usize,
) -> Option<(usize, VacancyRule)> {
    let leaving_type = pool.applicant_type[leaving];
    if let Some(position) = reserves
        .iter()
        .position(|&r| pool.applicant_type[r] == leaving_type)
    {
        return Some((position, VacancyRule::SameType));
    }
    let others: Vec<usize> = panel.iter().copied().filter(|&a| a != leaving).collect();
    for (position, &reserve) in reserves.iter().enumerate() {
        let mut candidate = others.clone();
        candidate.push(reserve);
        if pool.panel_meets_quotas(&candidate) {
            return Some((position, VacancyRule::QuotasKept));
        }
    }
    if reserves.is_empty() {
        None
    } else {
        Some((0, VacancyRule::QuotasBroken))
    }
}

/// One vacancy and who fills it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VacancyFilled {
    /// Applicant index of the member who left.
    pub leaving: usize,
    /// Applicant index of the reserve who takes the seat and the rule used; `None` when no reserve is left.
    pub replacement: Option<(usize, VacancyRule)>,
}

/// Fills vacancies one after another: each leaving member (an applicant index that must be on the
/// current panel) is replaced by [`fill_vacancy`]; the panel and the reserve list are updated before
/// the next vacancy. Returns `Err` with the applicant index of a leaving member who is not on the panel.
pub fn fill_vacancies(
    pool: &Pool,
    outcome: &DrawOutcome,
    leaving: &[usize],
) -> Result<(Vec<VacancyFilled>, Vec<usize>), usize> {
    let mut panel = outcome.panel.clone();
    let mut reserves = outcome.reserves.clone();
    let mut filled = Vec::with_capacity(leaving.len());
    for &member in leaving {
        let Some(seat) = panel.iter().position(|&a| a == member) else {
            return Err(member);
        };
        let replacement = fill_vacancy(pool, &panel, &reserves, member).map(|(position, rule)| {
            let reserve = reserves.remove(position);
            (reserve, rule)
        });
        match replacement {
            Some((reserve, _)) => panel[seat] = reserve,
            None => {
                panel.remove(seat);
            }
        }
        filled.push(VacancyFilled {
            leaving: member,
            replacement,
        });
    }
    Ok((filled, panel))
}
