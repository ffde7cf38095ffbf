//! Server-rendered, accessible SVG: horizontal bar charts (each with a `<title>`, a `<desc>` and a data
//! table beside it on the page) and the choropleth of a scope's children from Seoul's boundaries,
//! projected and simplified once (`crates/web/data/seoul/`, KOSTAT 2018, KOGL type 1). No JavaScript.
use std::fmt::Write;

/// Seoul's districts and neighbourhoods: `code<TAB>ring;ring`, rings of `x,y` in 10 m units.
const BOUNDARIES: &str = include_str!("../../../data/seoul/boundaries.txt");

/// Escapes text for SVG/XML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One bar: its label, its value (for the length) and the value as shown.
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub shown: String,
}

/// A horizontal bar chart. `id` names its title and description for `aria-labelledby`.
pub fn bar_chart(id: &str, title: &str, desc: &str, bars: &[Bar]) -> String {
    let row = 26;
    let height = 20 + row * bars.len().max(1);
    let max = bars.iter().map(|b| b.value).fold(0.0, f64::max);
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" viewBox=\"0 0 640 {height}\" \
         aria-labelledby=\"{id}-title {id}-desc\"><title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        esc(title),
        esc(desc)
    );
    for (i, b) in bars.iter().enumerate() {
        let y = 10 + i * row;
        let width = if max > 0.0 {
            (b.value / max * 330.0).round()
        } else {
            0.0
        };
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{}\" font-size=\"13\" fill=\"#1a1a1a\">{}</text>\
             <rect x=\"200\" y=\"{y}\" width=\"{width}\" height=\"18\" fill=\"#1f5fa8\"></rect>\
             <text x=\"{}\" y=\"{}\" font-size=\"13\" fill=\"#1a1a1a\">{}</text>",
            y + 14,
            esc(&b.label),
            205.0 + width,
            y + 14,
            esc(&b.shown)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// An area's outline: closed rings of points.
type Rings = Vec<Vec<(i64, i64)>>;

/// The rings of an area, by its scope code.
fn rings(code: &str) -> Option<Rings> {
    let line = BOUNDARIES
        .lines()
        .find(|l| l.split('\t').next() == Some(code))?;
    let shapes = line.split('\t').nth(1)?;
    Some(
        shapes
            .split(';')
            .map(|ring| {
                ring.split(' ')
                    .filter_map(|p| {
                        let (x, y) = p.split_once(',')?;
                        Some((x.parse().ok()?, y.parse().ok()?))
                    })
                    .collect()
            })
            .collect(),
    )
}

/// One area of a choropleth.
pub struct Area {
    pub code: String,
    pub name: String,
    pub value: i64,
    pub shown: String,
}

const SHADES: [&str; 5] = ["#eef3f9", "#c6d9ee", "#8fb4dc", "#4f87c3", "#1f5fa8"];

/// The choropleth of `areas` (those with a boundary), each linked to its scope page; `None` when none
/// has a boundary. Shades are five equal steps of the largest value.
pub fn choropleth(title: &str, desc: &str, areas: &[Area]) -> Option<String> {
    let shapes: Vec<(&Area, Rings)> = areas
        .iter()
        .filter_map(|a| Some((a, rings(&a.code)?)))
        .collect();
    let points = shapes.iter().flat_map(|(_, r)| r.iter().flatten());
    let (mut x0, mut y0, mut x1, mut y1) = (i64::MAX, i64::MAX, i64::MIN, i64::MIN);
    for (x, y) in points {
        x0 = x0.min(*x);
        y0 = y0.min(*y);
        x1 = x1.max(*x);
        y1 = y1.max(*y);
    }
    if shapes.is_empty() {
        return None;
    }
    let max = areas.iter().map(|a| a.value).max().unwrap_or(0).max(1);
    let pad = 20;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"map\" role=\"group\" viewBox=\"{} {} {} {}\" \
         aria-labelledby=\"map-title map-desc\"><title id=\"map-title\">{}</title><desc id=\"map-desc\">{}</desc>",
        x0 - pad,
        y0 - pad,
        x1 - x0 + 2 * pad,
        y1 - y0 + 2 * pad,
        esc(title),
        esc(desc)
    );
    for (area, rings) in &shapes {
        let shade = SHADES[((area.value.max(0) * 4 + max / 2) / max).clamp(0, 4) as usize];
        let mut d = String::new();
        for ring in rings {
            for (i, (x, y)) in ring.iter().enumerate() {
                let _ = write!(d, "{}{x},{y}", if i == 0 { "M" } else { "L" });
            }
            d.push('Z');
        }
        let label = format!("{}: {}", area.name, area.shown);
        let _ = write!(
            svg,
            "<a href=\"/scopes/{}\" aria-label=\"{}\"><path d=\"{d}\" fill=\"{shade}\" stroke=\"#333\" stroke-width=\"3\"><title>{}</title></path></a>",
            esc(&area.code),
            esc(&label),
            esc(&label)
        );
    }
    svg.push_str("</svg>");
    Some(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_district_and_neighbourhood_has_a_boundary() {
        assert_eq!(BOUNDARIES.lines().count(), 25 + 424);
        let jongno = rings("11110").unwrap();
        assert!(jongno[0].len() >= 10);
        assert!(rings("1111053000").is_some(), "Sajik-dong");
        assert!(rings("99999").is_none());
    }

    #[test]
    fn charts_escape_and_name_themselves() {
        let svg = bar_chart(
            "c",
            "A <b>",
            "d",
            &[Bar {
                label: "x&y".into(),
                value: 2.0,
                shown: "2".into(),
            }],
        );
        assert!(svg.contains("<title id=\"c-title\">A &lt;b&gt;</title>"));
        assert!(svg.contains("x&amp;y"));
        let map = choropleth(
            "m",
            "d",
            &[Area {
                code: "11110".into(),
                name: "종로구".into(),
                value: 3,
                shown: "3".into(),
            }],
        )
        .unwrap();
        assert!(map.contains("href=\"/scopes/11110\"") && map.contains("<title"));
        assert!(choropleth("m", "d", &[]).is_none());
    }
}
