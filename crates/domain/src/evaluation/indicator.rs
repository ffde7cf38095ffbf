//! Indicators (after the IATI results standard: result → indicator → baseline → period → target/actual):
//! what is measured, which way is better, and how far an actual went from the baseline to the target.

use super::EvaluationRefusal;

crate::named_enum! {
    /// What an indicator measures: what was produced, what changed, or how the work was done together
    /// (participation, diversity, deliberation held, agenda carried through).
    pub enum IndicatorLevel: "indicator level", label "indicator-level-" {
        Output = "output",
        Outcome = "outcome",
        Process = "process",
    }
}

crate::named_enum! {
    /// How an indicator's values are expressed.
    pub enum IndicatorKind: "indicator kind", label "indicator-kind-" {
        Number = "number",
        /// Entered as numerator and denominator; the value is 100 · n / d.
        Percentage = "percentage",
        /// A level on an ordered scale (1, 2, 3 …).
        Ordinal = "ordinal",
        /// A description only: no achievement is computed.
        Qualitative = "qualitative",
    }
}

crate::named_enum! {
    /// Which way is better.
    pub enum Better: "indicator direction", label "indicator-better-" {
        Higher = "higher",
        Lower = "lower",
    }
}

crate::named_enum! {
    /// How an indicator's values combine from neighbourhoods to their district and the city.
    pub enum Aggregation: "indicator aggregation", label "indicator-aggregation-" {
        Sum = "sum",
        Average = "average",
        /// Not combined (a ratio of different bases, a qualitative finding).
        NotCombined = "none",
    }
}

/// The value of a measurement of an indicator of `kind`: a percentage from its numerator and denominator,
/// otherwise the value as entered; a qualitative indicator has none (its finding is the note), so a number
/// entered for one is refused rather than dropped.
pub fn measured_value(
    kind: IndicatorKind,
    value: Option<f64>,
    numerator: Option<f64>,
    denominator: Option<f64>,
) -> Result<Option<f64>, EvaluationRefusal> {
    match kind {
        IndicatorKind::Qualitative
            if value.is_some() || numerator.is_some() || denominator.is_some() =>
        {
            Err(EvaluationRefusal::Qualitative)
        }
        IndicatorKind::Qualitative => Ok(None),
        IndicatorKind::Percentage => match (numerator, denominator) {
            (Some(n), Some(d)) if d > 0.0 => Ok(Some(100.0 * n / d)),
            (Some(_), Some(_)) => Err(EvaluationRefusal::ZeroDenominator),
            _ => Ok(value),
        },
        IndicatorKind::Number | IndicatorKind::Ordinal => Ok(value),
    }
}

/// How far `actual` went from `baseline` to `target`, in ‰ (0–1000; beyond the target counts as 1000,
/// the wrong way as 0). A target equal to the baseline is met when the actual is at least as good.
pub fn achievement(baseline: f64, target: f64, actual: f64, better: Better) -> u64 {
    let gain = match better {
        Better::Higher => 1.0,
        Better::Lower => -1.0,
    };
    let wanted = (target - baseline) * gain;
    let reached = (actual - baseline) * gain;
    if wanted <= 0.0 {
        return if reached >= wanted { 1000 } else { 0 };
    }
    let permille = (reached / wanted * 1000.0).round();
    permille.clamp(0.0, 1000.0) as u64
}

/// Combines the values of one indicator across scopes (neighbourhoods into their district, districts
/// into the city): a sum, a mean, or refused when the indicator does not combine.
pub fn roll_up_values(aggregation: Aggregation, values: &[f64]) -> Result<f64, EvaluationRefusal> {
    match aggregation {
        Aggregation::NotCombined => Err(EvaluationRefusal::NotAggregable),
        _ if values.is_empty() => Ok(0.0),
        Aggregation::Sum => Ok(values.iter().sum()),
        Aggregation::Average => Ok(values.iter().sum::<f64>() / values.len() as f64),
    }
}
