//! The plan: each proposal's state, size and text, decided before anything is written.
use super::*;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum St {
    Draft,
    Submitted,
    Rejected,
    Collecting,
    Forum,
    Answered,
    Adopted,
    Closed,
    Expired,
}

impl St {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            St::Draft => "draft",
            St::Submitted => "submitted",
            St::Rejected => "rejected",
            St::Collecting => "collecting",
            St::Forum => "forum",
            St::Answered => "answered",
            St::Adopted => "adopted",
            St::Closed => "closed",
            St::Expired => "expired",
        }
    }

    pub(crate) fn public(self) -> bool {
        !matches!(self, St::Draft | St::Submitted | St::Rejected)
    }

    /// The support counts this state allows under Democracy Seoul's ladder (50: answer owed, 100: forum).
    pub(crate) fn support_range(self) -> (usize, usize) {
        match self {
            St::Draft | St::Submitted | St::Rejected => (0, 0),
            St::Collecting | St::Closed => (0, 99),
            St::Expired => (0, 49),
            St::Forum | St::Adopted => (100, usize::MAX),
            St::Answered => (50, usize::MAX),
        }
    }
}

/// A state's support range, limited by the residents eligible in the scope.
pub(crate) fn range_in(state: St, eligible: usize) -> (usize, usize) {
    let (lo, hi) = state.support_range();
    (lo, hi.min(eligible).max(lo))
}

pub(crate) struct Plan {
    pub(crate) id: i64,
    pub(crate) scope: usize,
    pub(crate) author: i64,
    pub(crate) state: St,
    pub(crate) created_at: i64,
    pub(crate) supports: usize,
    pub(crate) comments: usize,
    pub(crate) title: String,
    pub(crate) body: String,
}

pub(crate) fn pick_state(rng: &mut StdRng, recent: bool) -> St {
    // Few proposals ever reach 50 supporters (Democracy Seoul's experience): the floors of forum (100),
    // answered (50) and adopted (100) must stay well under the support total.
    let table: &[(St, u32)] = if recent {
        &[
            (St::Draft, 4),
            (St::Submitted, 6),
            (St::Rejected, 3),
            (St::Collecting, 84),
            (St::Forum, 3),
        ]
    } else {
        &[
            (St::Rejected, 16),
            (St::Expired, 110),
            (St::Closed, 28),
            (St::Forum, 4),
            (St::Answered, 8),
            (St::Adopted, 3),
        ]
    };
    let total: u32 = table.iter().map(|t| t.1).sum();
    let mut x = rng.gen_range(0..total);
    for (s, w) in table {
        if x < *w {
            return *s;
        }
        x -= w;
    }
    unreachable!()
}
