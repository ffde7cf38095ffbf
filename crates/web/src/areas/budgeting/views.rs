//! What the budget's pages show: the scope page's section (the envelope, each term of the formula, the
//! processes), amounts in won, and each project's fate in plain words from the engine's explanation.
use maeul_domain::Scope;
use maeul_domain::refusal::Arg;
use serde_json::Value;

use super::service;
use crate::AppState;
use crate::http::section::{ScopeSection, SectionItem, SectionLink};
use crate::http::{Ctx, PageError};
use crate::i18n::Message;

/// `12345678` → `12,345,678`.
pub fn won(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if amount < 0 { format!("-{out}") } else { out }
}

/// An engine number (`123`, `1234/7`) as money: whole won grouped, fractions to two places.
pub fn engine_amount(text: &str) -> String {
    match text.split_once('/') {
        None => text
            .parse::<i64>()
            .map(won)
            .unwrap_or_else(|_| text.to_owned()),
        Some((n, d)) => match (n.parse::<f64>(), d.parse::<f64>()) {
            (Ok(n), Ok(d)) if d != 0.0 => {
                let v = n / d;
                format!(
                    "{}.{:02}",
                    won(v.trunc() as i64),
                    ((v.fract().abs() * 100.0).round() as i64).min(99)
                )
            }
            _ => text.to_owned(),
        },
    }
}

/// The scope page's budget section: the latest envelope with each term's value, and the processes.
pub async fn scope_section(
    state: &AppState,
    ctx: &Ctx,
    scope: &Scope,
) -> Result<ScopeSection, PageError> {
    let budget = service::scope_budget(state, scope.id).await?;
    let mut items = Vec::new();
    let href = format!("/scopes/{}/budget", scope.code);
    if let Some(b) = &budget {
        let e = &b.envelope;
        items.push(SectionItem {
            href: href.clone(),
            text: ctx.message(&Message {
                id: "budget-envelope-of-year",
                args: vec![("year", Arg::Int(e.year))],
            }),
            meta: ctx.message(&Message {
                id: "budget-won",
                args: vec![("amount", Arg::Text(won(e.amount)))],
            }),
        });
        if e.parent_id.is_some() {
            for (term, value) in e.terms() {
                items.push(SectionItem {
                    href: format!("{href}#terms"),
                    text: ctx.label(term),
                    meta: ctx.message(&Message {
                        id: "budget-won",
                        args: vec![("amount", Arg::Text(won(value)))],
                    }),
                });
            }
        }
        for p in &b.processes {
            items.push(SectionItem {
                href: format!("/budgets/{}", p.id),
                text: p.title.clone(),
                meta: ctx.label(p.phase),
            });
        }
    }
    Ok(ScopeSection {
        id: "budget",
        title: ctx.t("section-budget"),
        items,
        empty: ctx.t("section-budget-empty"),
        links: if budget.is_some() {
            vec![SectionLink::new(
                href,
                ctx.t("budget-scope-link"),
                "envelope-link",
            )]
        } else {
            vec![]
        },
    })
}

/// One project's fate, as sentences in the reader's language.
pub fn fate_sentences(ctx: &Ctx, fates: &[Value]) -> Vec<String> {
    let s = |v: &Value, key: &str| -> String {
        match v.get(key) {
            Some(Value::String(t)) => engine_amount(t),
            Some(Value::Number(n)) => n.to_string(),
            _ => String::new(),
        }
    };
    let text = |id: &'static str, args: Vec<(&'static str, String)>| {
        ctx.message(&Message {
            id,
            args: args.into_iter().map(|(k, v)| (k, Arg::Text(v))).collect(),
        })
    };
    let mut out = Vec::new();
    for fate in fates {
        let kind = fate.get("kind").and_then(Value::as_str).unwrap_or("");
        match kind {
            "greedy_funded" => out.push(text(
                "budget-fate-greedy-funded",
                vec![
                    ("rank", s(fate, "rank")),
                    ("left", s(fate, "budget_left_before")),
                ],
            )),
            "greedy_skipped" => out.push(text(
                "budget-fate-greedy-skipped",
                vec![("rank", s(fate, "rank")), ("left", s(fate, "budget_left"))],
            )),
            "greedy_not_reached" => out.push(text(
                "budget-fate-greedy-not-reached",
                vec![("rank", s(fate, "rank"))],
            )),
            "mes_funded" => {
                out.push(text(
                    "budget-fate-mes-funded",
                    vec![("round", s(fate, "round"))],
                ));
                for group in fate
                    .get("payments")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let all = group.get("all_they_had").and_then(Value::as_bool) == Some(true);
                    if all || group.get("paid_each").is_none_or(Value::is_null) {
                        out.push(text(
                            "budget-fate-mes-paid-all",
                            vec![
                                ("voters", s(group, "voters")),
                                ("total", s(group, "paid_total")),
                            ],
                        ));
                    } else {
                        out.push(text(
                            "budget-fate-mes-paid-each",
                            vec![
                                ("voters", s(group, "voters")),
                                ("each", s(group, "paid_each")),
                            ],
                        ));
                    }
                }
            }
            "mes_free_project" => out.push(text("budget-fate-mes-free", vec![])),
            "mes_unaffordable" => out.push(text(
                "budget-fate-mes-unaffordable",
                vec![
                    ("round", s(fate, "round")),
                    ("money", s(fate, "supporters_money")),
                ],
            )),
            "no_support" => out.push(text("budget-fate-no-support", vec![])),
            "phragmen_funded" => out.push(text(
                "budget-fate-phragmen-funded",
                vec![("round", s(fate, "round"))],
            )),
            "phragmen_not_funded" => out.push(text("budget-fate-phragmen-not-funded", vec![])),
            "over_budget" => out.push(text("budget-fate-over-budget", vec![])),
            _ => {}
        }
    }
    out
}

/// The explanation's entries by project id: (funded, fates).
pub fn explanation_by_project(json: &str) -> Vec<(i64, bool, Vec<Value>)> {
    let value: Value = serde_json::from_str(json).unwrap_or(Value::Null);
    value
        .get("projects")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|p| {
            let id = p.get("project")?.as_str()?.parse().ok()?;
            let funded = p.get("funded")?.as_bool()?;
            let fates = p.get("fate")?.as_array()?.clone();
            Some((id, funded, fates))
        })
        .collect()
}

/// An amount as templates hand it over (by value or through references).
pub trait Amount {
    fn amount(&self) -> i64;
}

impl Amount for i64 {
    fn amount(&self) -> i64 {
        *self
    }
}

impl<T: Amount + ?Sized> Amount for &T {
    fn amount(&self) -> i64 {
        (**self).amount()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn amounts_are_grouped() {
        assert_eq!(super::won(0), "0");
        assert_eq!(super::won(1234567), "1,234,567");
        assert_eq!(super::won(-1000), "-1,000");
        assert_eq!(super::engine_amount("100000"), "100,000");
        assert_eq!(super::engine_amount("10/4"), "2.50");
    }
}
