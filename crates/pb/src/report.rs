//! What the `maeul pb` commands print, built here so it is unit-tested with the engine.
use crate::format::{ParseError, ParseWarning, Parsed};
use crate::model::Election;
use crate::official;
use crate::profile::Profile;
use crate::rational::Q;
use crate::rules::{self, Outcome, Rule, RuleError, RunOptions};
use serde_json::{Value, json};
use std::time::Instant;

/// A rule name accepted by `maeul pb tally --rule`: a standard rule or `official`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleChoice {
    /// One of [`Rule::ALL`].
    Standard(Rule),
    /// The file's own META `rule`.
    Official,
}

impl RuleChoice {
    /// Parses `greedy_cost`, …, `phragmen`, `official`.
    pub fn parse(name: &str) -> Result<RuleChoice, String> {
        if name == "official" {
            return Ok(RuleChoice::Official);
        }
        Rule::from_name(name)
            .map(RuleChoice::Standard)
            .ok_or_else(|| {
                let names: Vec<&str> = Rule::ALL.iter().map(|r| r.name()).collect();
                format!(
                    "unknown rule {name:?}; known rules: {}, official",
                    names.join(", ")
                )
            })
    }

    /// The rule's name.
    pub fn name(self) -> &'static str {
        match self {
            RuleChoice::Standard(rule) => rule.name(),
            RuleChoice::Official => "official",
        }
    }
}

/// A tally with its timing (seconds of the count itself, parsing excluded).
pub struct Tally {
    /// The rule used.
    pub rule: RuleChoice,
    /// The outcome.
    pub outcome: Outcome,
    /// Project ids by index.
    pub ids: Vec<String>,
    /// Wall time of the count.
    pub seconds: f64,
}

/// Counts an election with a rule (`profile` is the election's, e.g. from [`crate::read_for_counting`]).
pub fn tally(
    election: &Election,
    profile: &Profile,
    rule: RuleChoice,
    options: RunOptions<'_>,
) -> Result<Tally, RuleError> {
    let started = Instant::now();
    let outcome = match rule {
        RuleChoice::Standard(rule) => rules::run_with(profile, rule, options)?,
        RuleChoice::Official => official::official_with(election, profile, options)?,
    };
    Ok(Tally {
        rule,
        outcome,
        ids: profile.ids.clone(),
        seconds: started.elapsed().as_secs_f64(),
    })
}

impl Tally {
    /// Funded project ids in selection order.
    pub fn selected_ids(&self) -> Vec<&str> {
        self.outcome
            .selected
            .iter()
            .map(|&p| self.ids[p as usize].as_str())
            .collect()
    }

    /// `{"rule", "selected", "total_cost", "seconds"}` (+ `"explanation"` when asked).
    pub fn to_json(&self, explain: bool) -> Value {
        let mut value = json!({
            "rule": self.rule.name(),
            "selected": self.selected_ids(),
            "total_cost": self.outcome.total_cost.to_string(),
            "seconds": self.seconds,
        });
        if explain {
            value["explanation"] =
                serde_json::to_value(&self.outcome.explanation).expect("explanations serialise");
        }
        value
    }

    /// Plain text for people.
    pub fn to_text(&self, explain: bool) -> String {
        let mut text = self.block(false);
        text.push_str(&format!("seconds: {:.6}\n", self.seconds));
        if explain {
            text.push('\n');
            text.push_str(&self.outcome.explanation.to_text());
        }
        text
    }

    fn block(&self, explain: bool) -> String {
        let mut text = format!(
            "rule: {}\nselected ({}): {}\ntotal cost: {}\n",
            self.rule.name(),
            self.outcome.selected.len(),
            self.selected_ids().join(", "),
            self.outcome.total_cost,
        );
        if explain {
            text.push('\n');
            text.push_str(&self.outcome.explanation.to_text());
        }
        text
    }
}

/// Every standard rule on one profile, with the total time ([`rules::run_all`]: bases shared by a rule and its
/// completion are computed once).
pub struct Tallies {
    /// Each rule's tally, or why it does not apply.
    pub tallies: Vec<Result<Tally, (Rule, RuleError)>>,
    /// Wall time of all the counts.
    pub seconds: f64,
}

/// Counts an election with every standard rule.
pub fn tally_all(profile: &Profile, options: RunOptions<'_>) -> Tallies {
    let started = Instant::now();
    let results = rules::run_all(profile, options);
    let seconds = started.elapsed().as_secs_f64();
    let tallies = results
        .into_iter()
        .map(|(rule, result)| {
            result
                .map(|outcome| Tally {
                    rule: RuleChoice::Standard(rule),
                    outcome,
                    ids: profile.ids.clone(),
                    seconds: f64::NAN,
                })
                .map_err(|e| (rule, e))
        })
        .collect();
    Tallies { tallies, seconds }
}

impl Tallies {
    /// `{"rules": [tally JSON without "seconds", or {"rule", "error"}], "seconds"}`.
    pub fn to_json(&self, explain: bool) -> Value {
        let rules: Vec<Value> = self
            .tallies
            .iter()
            .map(|tally| match tally {
                Ok(tally) => {
                    let mut value = tally.to_json(explain);
                    value.as_object_mut().expect("an object").remove("seconds");
                    value
                }
                Err((rule, e)) => json!({"rule": rule.name(), "error": e.to_string()}),
            })
            .collect();
        json!({"rules": rules, "seconds": self.seconds})
    }

    /// Plain text: one block per rule, then the total time.
    pub fn to_text(&self, explain: bool) -> String {
        let mut text = String::new();
        for tally in &self.tallies {
            match tally {
                Ok(tally) => {
                    text.push_str(&tally.block(explain));
                }
                Err((rule, e)) => text.push_str(&format!(
                    "rule: {rule}
not applied: {e}
"
                )),
            }
            text.push('\n');
        }
        text.push_str(&format!("seconds (all rules): {:.6}\n", self.seconds));
        text
    }
}

/// Every problem found in a file: a fatal parse error, or the parser's remarks plus ballots breaking the META
/// constraints.
pub fn check(result: &Result<Parsed, ParseError>) -> Vec<String> {
    match result {
        Err(e) => vec![format!("error: {e}")],
        Ok(parsed) => {
            let mut problems: Vec<String> = parsed.warnings.iter().map(describe_warning).collect();
            for (index, error) in parsed.election.invalid_ballots() {
                let voter = &parsed.election.voters[index];
                problems.push(format!(
                    "voter {:?} (vote row {}): {error}",
                    voter.id,
                    index + 1
                ));
            }
            problems
        }
    }
}

fn describe_warning(warning: &ParseWarning) -> String {
    if warning.line == 0 {
        format!("warning: {}", warning.message)
    } else {
        format!("warning: line {}: {}", warning.line, warning.message)
    }
}

fn quantile(sorted: &[Q], fraction_num: usize, fraction_den: usize) -> Option<Q> {
    if sorted.is_empty() {
        return None;
    }
    Some(sorted[(sorted.len() - 1) * fraction_num / fraction_den].clone())
}

/// Summary of an election: projects, voters, ballot lengths, costs.
pub fn stats(election: &Election) -> Value {
    let profile = Profile::new(election);
    let mut lengths: Vec<usize> = election.voters.iter().map(|v| v.ballot.len()).collect();
    lengths.sort_unstable();
    let mut length_histogram = std::collections::BTreeMap::new();
    for &length in &lengths {
        *length_histogram.entry(length.to_string()).or_insert(0u64) += 1;
    }
    let mut costs: Vec<Q> = election.projects.iter().map(|p| p.cost.clone()).collect();
    costs.sort();
    let total_cost = costs.iter().fold(Q::ZERO, |sum, c| sum + c);
    let mean_length = if lengths.is_empty() {
        0.0
    } else {
        lengths.iter().sum::<usize>() as f64 / lengths.len() as f64
    };
    let counts = profile.approval_counts();
    json!({
        "description": election.meta_value("description"),
        "vote_type": election.vote_type.as_str(),
        "rule_in_file": election.meta_value("rule"),
        "budget": election.budget.to_string(),
        "projects": election.projects.len(),
        "voters": election.voters.len(),
        "distinct_ballots": profile.ballots.len(),
        "empty_ballots": lengths.iter().filter(|&&l| l == 0).count(),
        "projects_without_support": counts.iter().filter(|&&c| c == 0).count(),
        "ballot_length": {
            "min": lengths.first(), "max": lengths.last(), "mean": mean_length, "histogram": length_histogram,
        },
        "cost": {
            "min": costs.first().map(|c| c.to_string()),
            "median": quantile(&costs, 1, 2).map(|c| c.to_string()),
            "max": costs.last().map(|c| c.to_string()),
            "total": total_cost.to_string(),
            "total_over_budget": if election.budget.is_zero() { None } else { Some((&total_cost / &election.budget).to_f64()) },
        },
        "constraints": election.constraints,
    })
}

/// [`stats`] as plain text.
pub fn stats_text(stats: &Value) -> String {
    let mut text = String::new();
    let line = |text: &mut String, label: &str, value: &Value| {
        let shown = match value {
            Value::String(s) => s.clone(),
            Value::Null => "-".to_string(),
            other => other.to_string(),
        };
        text.push_str(&format!("{label}: {shown}\n"));
    };
    for key in [
        "description",
        "vote_type",
        "rule_in_file",
        "budget",
        "projects",
        "voters",
        "distinct_ballots",
        "empty_ballots",
        "projects_without_support",
    ] {
        line(&mut text, key, &stats[key]);
    }
    for key in ["min", "max", "mean"] {
        line(
            &mut text,
            &format!("ballot length {key}"),
            &stats["ballot_length"][key],
        );
    }
    line(
        &mut text,
        "ballot lengths (length: voters)",
        &stats["ballot_length"]["histogram"],
    );
    for key in ["min", "median", "max", "total", "total_over_budget"] {
        line(&mut text, &format!("cost {key}"), &stats["cost"][key]);
    }
    line(&mut text, "constraints", &stats["constraints"]);
    text
}
