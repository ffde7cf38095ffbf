//! The evaluation's pages: tracked projects, evaluation cycles, the trace.
pub mod cycles;
pub mod dashboard;
pub mod projects;
pub mod surveys;
pub mod trace;

use serde::Deserialize;

/// The notices the evaluation's redirects may name.
pub const NOTICES: &[&str] = &["evaluation-notice-saved", "evaluation-notice-imported"];

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    pub notice: Option<String>,
}

/// Thousands separated by commas (won, people).
pub fn grouped(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if amount < 0 {
        out.insert(0, '-');
    }
    out
}

/// A measured value as people read it: at most two decimals, no trailing zeros.
pub fn value(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}
