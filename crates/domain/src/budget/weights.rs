//! Voter-group weights (Seoul counted online residents 50 %, the committee 40 %, budget school 10 %): each
//! group's share becomes an integer weight per voter, so that a weighted count is exactly a count of
//! replicated voters (the engine's `Profile::with_weights` counts a voter of weight k as k identical voters).
//!
//! Group g with share s_g and n_g voters weighs s_g · N / n_g per voter with N = lcm(n_g): an integer, and
//! the groups' totals s_g · N are in the proportions of the shares. Refused when the total would not fit.

use super::BudgetRefusal;

fn gcd(a: u128, b: u128) -> u128 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// Integer weights per voter for groups given as (share, number of voters). A group without voters gets
/// weight 0 (its share cannot be given to anyone). The weights' total stays below 2⁶⁴.
pub fn group_weights(groups: &[(u32, u64)]) -> Result<Vec<u64>, BudgetRefusal> {
    let too_large = || BudgetRefusal::CountFailed("group weights too large".into());
    let mut lcm: u128 = 1;
    for (_, n) in groups.iter().filter(|(_, n)| *n > 0) {
        let n = u128::from(*n);
        lcm = lcm / gcd(lcm, n) * n;
        if lcm > u128::from(u64::MAX) {
            return Err(too_large());
        }
    }
    let mut total: u128 = 0;
    let weights = groups
        .iter()
        .map(|(share, n)| {
            if *n == 0 {
                return 0;
            }
            let w = u128::from(*share) * lcm / u128::from(*n);
            total += w * u128::from(*n);
            w as u64
        })
        .collect();
    if total > u128::from(u64::MAX) {
        return Err(too_large());
    }
    Ok(weights)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_follow_the_shares() {
        // Seoul 2017: 50 % online (1,000 voters), 40 % committee (250), 10 % budget school (40).
        let groups = [(50, 1000), (40, 250), (10, 40)];
        let w = group_weights(&groups).unwrap();
        let totals: Vec<u128> = w
            .iter()
            .zip(&groups)
            .map(|(w, (_, n))| u128::from(*w) * u128::from(*n))
            .collect();
        assert_eq!(totals[0] * 40, totals[1] * 50);
        assert_eq!(totals[0] * 10, totals[2] * 50);
        assert_eq!(group_weights(&[(50, 2), (50, 0)]).unwrap(), vec![50, 0]);
        assert_eq!(group_weights(&[(1, 3), (1, 3)]).unwrap(), vec![1, 1]);
    }

    #[test]
    fn huge_totals_are_refused() {
        let primes = [
            (1, 1_000_003),
            (1, 1_000_033),
            (1, 1_000_037),
            (1, 1_000_039),
        ];
        assert!(group_weights(&primes).is_err());
    }
}
