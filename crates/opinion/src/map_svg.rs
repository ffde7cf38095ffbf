//! The opinion map as an accessible SVG: participants as points coloured by group, a hull and a label per
//! group, a legend, and `<title>`/`<desc>` text that says in words what the picture shows.

use std::collections::HashMap;

use svg::Document;
use svg::node::element::{Circle, Description, Group as SvgGroup, Polygon, Rectangle, Text, Title};

use crate::engine::Analysis;
use crate::model::{Statement, StatementId};
use crate::stats::Side;

/// Okabe–Ito palette: distinguishable with the common colour-vision deficiencies.
const GROUP_COLOURS: [&str; 5] = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00"];
const UNGROUPED_COLOUR: &str = "#8C8C8C";
const WIDTH: f64 = 800.0;
const HEIGHT: f64 = 600.0;
const MARGIN: f64 = 40.0;
const LEGEND_WIDTH: f64 = 190.0;

/// Groups are labelled with letters, as Pol.is does.
pub fn group_label(index: usize) -> String {
    let letter = (b'A' + (index % 26) as u8) as char;
    format!("Group {letter}")
}

/// Convex hull (Andrew's monotone chain), counter-clockwise, no repeated end point.
pub fn convex_hull(points: &[[f64; 2]]) -> Vec<[f64; 2]> {
    let mut p: Vec<[f64; 2]> = points.to_vec();
    p.sort_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
    p.dedup();
    if p.len() < 3 {
        return p;
    }
    let cross = |o: [f64; 2], a: [f64; 2], b: [f64; 2]| {
        (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])
    };
    let mut hull: Vec<[f64; 2]> = Vec::with_capacity(2 * p.len());
    for pass in 0..2 {
        let start = hull.len();
        let iter: Box<dyn Iterator<Item = &[f64; 2]>> = if pass == 0 {
            Box::new(p.iter())
        } else {
            Box::new(p.iter().rev())
        };
        for &point in iter {
            while hull.len() >= start + 2
                && cross(hull[hull.len() - 2], hull[hull.len() - 1], point) <= 0.0
            {
                hull.pop();
            }
            hull.push(point);
        }
        hull.pop();
    }
    hull
}

fn statement_text(texts: &HashMap<StatementId, &str>, tid: StatementId) -> String {
    match texts.get(&tid) {
        Some(text) if !text.trim().is_empty() => {
            let clean: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let short: String = clean.chars().take(120).collect();
            if short.len() < clean.len() {
                format!("statement {tid} “{short}…”")
            } else {
                format!("statement {tid} “{short}”")
            }
        }
        _ => format!("statement {tid}"),
    }
}

/// The text alternative: how many groups, their sizes, what each stands for, and the consensus.
pub fn describe(analysis: &Analysis, statements: &[Statement]) -> String {
    let texts: HashMap<StatementId, &str> =
        statements.iter().map(|s| (s.id, s.text.as_str())).collect();
    let mut out = format!(
        "Opinion map of {} participants who voted on {} statements. {} of them are placed in {} opinion group{}.",
        analysis.participants.len(),
        analysis.statements.len(),
        analysis.participants_grouped(),
        analysis.groups.len(),
        if analysis.groups.len() == 1 { "" } else { "s" },
    );
    for (i, group) in analysis.groups.iter().enumerate() {
        out.push_str(&format!(
            " {} ({} participants)",
            group_label(i),
            group.members.len()
        ));
        let agreed: Vec<String> = group
            .repness
            .iter()
            .filter(|r| r.repful_for == Side::Agree)
            .take(2)
            .map(|r| statement_text(&texts, r.tid))
            .collect();
        let disagreed: Vec<String> = group
            .repness
            .iter()
            .filter(|r| r.repful_for == Side::Disagree)
            .take(2)
            .map(|r| statement_text(&texts, r.tid))
            .collect();
        if !agreed.is_empty() {
            out.push_str(&format!(
                " agrees more than others with {}",
                agreed.join(" and ")
            ));
        }
        if !disagreed.is_empty() {
            out.push_str(&format!(
                "{} disagrees more with {}",
                if agreed.is_empty() { "" } else { ";" },
                disagreed.join(" and ")
            ));
        }
        out.push('.');
    }
    if let Some(first) = analysis.consensus.agree.first() {
        out.push_str(&format!(
            " Most participants agree with {}.",
            statement_text(&texts, first.tid)
        ));
    }
    out
}

/// Renders the map. `statements` supply the texts used in the description (may be empty).
pub fn render_map(analysis: &Analysis, statements: &[Statement]) -> Document {
    let plot_width = WIDTH - LEGEND_WIDTH - 2.0 * MARGIN;
    let plot_height = HEIGHT - 2.0 * MARGIN;
    let (mut min_x, mut max_x, mut min_y, mut max_y) = (
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
    );
    for p in &analysis.projections {
        min_x = min_x.min(p[0]);
        max_x = max_x.max(p[0]);
        min_y = min_y.min(p[1]);
        max_y = max_y.max(p[1]);
    }
    if !min_x.is_finite() {
        (min_x, max_x, min_y, max_y) = (-1.0, 1.0, -1.0, 1.0);
    }
    let span = (max_x - min_x).max(max_y - min_y).max(1e-9);
    let scale = plot_width.min(plot_height) / span;
    let to_screen = |p: [f64; 2]| {
        let x = MARGIN + (p[0] - min_x) * scale + (plot_width - (max_x - min_x) * scale) / 2.0;
        // Screen y grows downwards.
        let y = MARGIN + (max_y - p[1]) * scale + (plot_height - (max_y - min_y) * scale) / 2.0;
        [x, y]
    };

    let description = describe(analysis, statements);
    let title = format!(
        "Opinion map: {} group{} among {} participants",
        analysis.groups.len(),
        if analysis.groups.len() == 1 { "" } else { "s" },
        analysis.participants.len()
    );
    let mut document = Document::new()
        .set("viewBox", (0, 0, WIDTH, HEIGHT))
        .set("width", WIDTH)
        .set("height", HEIGHT)
        .set("role", "img")
        .set("aria-labelledby", "map-title map-desc")
        .set("font-family", "sans-serif")
        .add(Title::new(title).set("id", "map-title"))
        .add(
            Description::new()
                .set("id", "map-desc")
                .add(svg::node::Text::new(description)),
        )
        .add(
            Rectangle::new()
                .set("width", WIDTH)
                .set("height", HEIGHT)
                .set("fill", "#ffffff"),
        );

    let mut group_of = vec![None; analysis.participants.len()];
    for (i, group) in analysis.groups.iter().enumerate() {
        for &row in &group.members {
            group_of[row] = Some(i);
        }
    }

    // Hulls first, so points are drawn on top.
    let mut hulls = SvgGroup::new().set("aria-hidden", "true");
    for (i, group) in analysis.groups.iter().enumerate() {
        let colour = GROUP_COLOURS[i % GROUP_COLOURS.len()];
        let points: Vec<[f64; 2]> = group
            .members
            .iter()
            .map(|&r| to_screen(analysis.projections[r]))
            .collect();
        let hull = convex_hull(&points);
        // Two distinct points still give a visible (stroked) hull; one point is just its dot.
        if hull.len() >= 2 {
            let coords: Vec<String> = hull
                .iter()
                .map(|p| format!("{:.1},{:.1}", p[0], p[1]))
                .collect();
            hulls = hulls.add(
                Polygon::new()
                    .set("points", coords.join(" "))
                    .set("fill", colour)
                    .set("fill-opacity", 0.12)
                    .set("stroke", colour)
                    .set("stroke-width", 1.5),
            );
        }
    }
    document = document.add(hulls);

    let mut points = SvgGroup::new().set("aria-hidden", "true");
    for (row, &p) in analysis.projections.iter().enumerate() {
        let [x, y] = to_screen(p);
        let (colour, radius, opacity) = match group_of[row] {
            Some(g) => (GROUP_COLOURS[g % GROUP_COLOURS.len()], 3.5, 0.85),
            None => (UNGROUPED_COLOUR, 2.0, 0.5),
        };
        points = points.add(
            Circle::new()
                .set("cx", format!("{x:.1}"))
                .set("cy", format!("{y:.1}"))
                .set("r", radius)
                .set("fill", colour)
                .set("fill-opacity", opacity),
        );
    }
    document = document.add(points);

    // Group labels at the group's centre of mass on screen.
    for (i, group) in analysis.groups.iter().enumerate() {
        if group.members.is_empty() {
            continue;
        }
        let n = group.members.len() as f64;
        let cx = group
            .members
            .iter()
            .map(|&r| to_screen(analysis.projections[r])[0])
            .sum::<f64>()
            / n;
        let cy = group
            .members
            .iter()
            .map(|&r| to_screen(analysis.projections[r])[1])
            .sum::<f64>()
            / n;
        document = document.add(
            Text::new(group_label(i))
                .set("x", format!("{cx:.1}"))
                .set("y", format!("{cy:.1}"))
                .set("text-anchor", "middle")
                .set("font-size", 16)
                .set("font-weight", "bold")
                .set("fill", "#1a1a1a")
                .set("stroke", "#ffffff")
                .set("stroke-width", 3)
                .set("paint-order", "stroke"),
        );
    }

    // Legend.
    let legend_x = WIDTH - LEGEND_WIDTH;
    let mut legend = SvgGroup::new().set("id", "legend");
    legend = legend.add(
        Text::new("Groups")
            .set("x", legend_x)
            .set("y", MARGIN)
            .set("font-size", 14)
            .set("font-weight", "bold"),
    );
    let mut entries: Vec<(String, &str)> = analysis
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| {
            (
                format!("{} — {} people", group_label(i), g.members.len()),
                GROUP_COLOURS[i % GROUP_COLOURS.len()],
            )
        })
        .collect();
    let ungrouped = analysis.participants.len() - analysis.participants_grouped();
    if ungrouped > 0 {
        entries.push((
            format!("Not grouped — {ungrouped} people"),
            UNGROUPED_COLOUR,
        ));
    }
    for (i, (label, colour)) in entries.into_iter().enumerate() {
        let y = MARGIN + 24.0 + 22.0 * i as f64;
        legend = legend
            .add(
                Rectangle::new()
                    .set("x", legend_x)
                    .set("y", y - 11.0)
                    .set("width", 14)
                    .set("height", 14)
                    .set("fill", colour),
            )
            .add(
                Text::new(label)
                    .set("x", legend_x + 20.0)
                    .set("y", y)
                    .set("font-size", 13),
            );
    }
    document.add(legend)
}

/// The map as SVG text.
pub fn render_map_string(analysis: &Analysis, statements: &[Statement]) -> String {
    render_map(analysis, statements).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Conversation, Vote, VoteEvent};
    use crate::{Options, analyze};

    #[test]
    fn hull_of_a_square_with_inner_point() {
        let hull = convex_hull(&[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.5, 0.5]]);
        assert_eq!(hull.len(), 4);
        assert!(!hull.contains(&[0.5, 0.5]));
    }

    #[test]
    fn map_has_text_alternative_points_hulls_and_legend() {
        let mut votes = Vec::new();
        for p in 0..30u64 {
            for s in 0..8u64 {
                let vote = if (s < 4) == (p < 15) {
                    Vote::Agree
                } else {
                    Vote::Disagree
                };
                let vote = if p % 7 == 0 && s == 5 {
                    Vote::Pass
                } else {
                    vote
                };
                votes.push(VoteEvent {
                    time: (p * 8 + s) as i64,
                    participant: p,
                    statement: s,
                    vote,
                });
            }
        }
        let statements = vec![Statement {
            id: 0,
            text: "Bike lanes & trees <now>".into(),
            ..Statement::default()
        }];
        let conversation = Conversation {
            votes,
            statements: statements.clone(),
            ..Conversation::default()
        };
        let analysis = analyze(&conversation, &Options::default());
        let svg = render_map_string(&analysis, &statements);
        assert!(svg.contains("role=\"img\""));
        assert!(
            svg.contains(
                "<title id=\"map-title\">Opinion map: 2 groups among 30 participants</title>"
            ),
            "{svg}"
        );
        assert!(svg.contains("<desc id=\"map-desc\">"));
        assert!(svg.contains("Group A (15 participants)"));
        assert!(
            svg.contains("&amp; trees &lt;now&gt;"),
            "statement text is escaped"
        );
        assert_eq!(svg.matches("<circle").count(), 30);
        assert_eq!(svg.matches("<polygon").count(), 2, "{svg}");
        assert!(svg.contains("Group B — 15 people"));
    }
}
