//! Who takes part in a process beyond being verified in its scope: the residence bases it admits (Seoul's
//! processes admit people who live, work or study in the district, as each process sets) and, for
//! ballots, the minimum age on the day of voting. The age is that of the birth date declared with the
//! register identity, which the register import verifies.
use jiff::civil::Date;

use super::BudgetRefusal;
use crate::ResidencyBasis;
use crate::named::UnknownValue;
use crate::time::age_on;

/// The residence bases a process admits: never empty, in [`ResidencyBasis::ALL`]'s order, stored as the
/// comma-separated names (`resident,worker`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoterBases(Vec<ResidencyBasis>);

impl VoterBases {
    /// Every basis (the default: anyone verified in the scope).
    pub fn all() -> Self {
        VoterBases(ResidencyBasis::ALL.to_vec())
    }

    /// The bases named, in display order; `None` when a name is unknown or none is given.
    pub fn parse<'a>(names: impl IntoIterator<Item = &'a str>) -> Option<Self> {
        let mut given = Vec::new();
        for name in names {
            given.push(ResidencyBasis::parse(name.trim())?);
        }
        let bases: Vec<_> = ResidencyBasis::ALL
            .into_iter()
            .filter(|b| given.contains(b))
            .collect();
        (!bases.is_empty()).then_some(VoterBases(bases))
    }

    pub fn encode(&self) -> String {
        let names: Vec<_> = self.0.iter().map(|b| b.as_str()).collect();
        names.join(",")
    }

    pub fn admits(&self, basis: ResidencyBasis) -> bool {
        self.0.contains(&basis)
    }

    pub fn is_all(&self) -> bool {
        self.0.len() == ResidencyBasis::ALL.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = ResidencyBasis> + '_ {
        self.0.iter().copied()
    }
}

impl Default for VoterBases {
    fn default() -> Self {
        VoterBases::all()
    }
}

impl TryFrom<String> for VoterBases {
    type Error = UnknownValue;
    fn try_from(stored: String) -> Result<Self, Self::Error> {
        VoterBases::parse(stored.split(',')).ok_or(UnknownValue {
            what: "voter bases",
            value: stored,
        })
    }
}

/// What is known of a would-be participant verified in the scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoterFacts {
    pub basis: ResidencyBasis,
    /// Declared with the register identity; `None` when never declared.
    pub birth_date: Option<Date>,
}

/// May someone verified in the scope propose projects? Their basis must be admitted.
pub fn check_proposer(bases: &VoterBases, facts: &VoterFacts) -> Result<(), BudgetRefusal> {
    if bases.admits(facts.basis) {
        Ok(())
    } else {
        Err(BudgetRefusal::BasisNotAdmitted)
    }
}

/// May someone verified in the scope vote at `at` (Unix seconds)? Their basis must be admitted and, when
/// the process sets a minimum age, their declared birth date known and old enough on Seoul's date of `at`.
pub fn check_voter(
    bases: &VoterBases,
    min_age: u32,
    facts: &VoterFacts,
    at: i64,
) -> Result<(), BudgetRefusal> {
    check_proposer(bases, facts)?;
    check_age(min_age, facts, at)
}

/// The age part of [`check_voter`]: none required, or the declared birth date old enough at `at`.
pub fn check_age(min_age: u32, facts: &VoterFacts, at: i64) -> Result<(), BudgetRefusal> {
    if min_age == 0 {
        return Ok(());
    }
    match facts.birth_date {
        None => Err(BudgetRefusal::AgeUnknown { min_age }),
        Some(birth) if age_on(birth, at) < i64::from(min_age) => {
            Err(BudgetRefusal::TooYoung { min_age })
        }
        Some(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::{parse_date, parse_local_datetime};

    #[test]
    fn bases_round_trip_in_display_order_and_unknowns_fail() {
        let bases = VoterBases::parse(["student", "resident"]).unwrap();
        assert_eq!(bases.encode(), "resident,student");
        assert_eq!(VoterBases::try_from(bases.encode()).unwrap(), bases);
        assert!(VoterBases::try_from("resident,alien".to_owned()).is_err());
        assert!(VoterBases::try_from(String::new()).is_err());
        assert!(VoterBases::all().is_all());
        assert_eq!(
            VoterBases::try_from(VoterBases::all().encode()).unwrap(),
            VoterBases::all()
        );
    }

    #[test]
    fn voters_need_an_admitted_basis_and_the_age_on_the_day() {
        let residents = VoterBases::parse(["resident"]).unwrap();
        let birth = parse_date("2012-12-05").ok();
        let teen = VoterFacts {
            basis: ResidencyBasis::Resident,
            birth_date: birth,
        };
        let before = parse_local_datetime("2026-12-04T23:59").unwrap();
        let on_birthday = parse_local_datetime("2026-12-05T00:00").unwrap();
        assert_eq!(
            check_voter(&residents, 14, &teen, before),
            Err(BudgetRefusal::TooYoung { min_age: 14 })
        );
        assert_eq!(check_voter(&residents, 14, &teen, on_birthday), Ok(()));
        assert_eq!(check_voter(&residents, 0, &teen, before), Ok(()));
        let unknown = VoterFacts {
            birth_date: None,
            ..teen
        };
        assert_eq!(
            check_voter(&residents, 14, &unknown, on_birthday),
            Err(BudgetRefusal::AgeUnknown { min_age: 14 })
        );
        assert_eq!(check_voter(&residents, 0, &unknown, on_birthday), Ok(()));
        let worker = VoterFacts {
            basis: ResidencyBasis::Worker,
            ..teen
        };
        assert_eq!(
            check_voter(&residents, 0, &worker, on_birthday),
            Err(BudgetRefusal::BasisNotAdmitted)
        );
        assert_eq!(
            check_proposer(&residents, &worker),
            Err(BudgetRefusal::BasisNotAdmitted)
        );
        assert_eq!(
            check_voter(&VoterBases::all(), 14, &worker, on_birthday),
            Ok(())
        );
    }
}
