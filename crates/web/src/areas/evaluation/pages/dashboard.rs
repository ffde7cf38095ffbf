//! A scope's dashboard (charts as inline SVG with a data table beside each), its figures as CSV and
//! JSON, and the choropleth of its children.
use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::{grouped, value};
use crate::AppState;
use crate::areas::evaluation::charts::{Area, Bar, bar_chart, choropleth};
use crate::areas::evaluation::service::dashboard::{self, DashboardView};
use crate::http::{Crumbs, Ctx, PageError, PagePath, PageQuery, render};

#[derive(askama::Template)]
#[template(path = "evaluation/dashboard.html")]
struct DashboardPage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    v: DashboardView,
    participation: String,
    turnout: String,
    forums: String,
    budget: String,
    progress: String,
    indicators: String,
    map: Option<String>,
    /// The map's measure (stored name) and every measure (name, label id) for the chooser.
    measure: &'static str,
    measures: &'static [(&'static str, &'static str)],
}

impl DashboardPage<'_> {
    fn is_chosen(&self, name: &str) -> bool {
        name == self.measure
    }
    fn won(&self, amount: &i64) -> String {
        self.ctx.t1("evaluation-won", "amount", grouped(*amount))
    }
    fn count(&self, n: &Option<i64>) -> String {
        n.map(grouped).unwrap_or_else(|| "—".into())
    }
    fn value(&self, v: Option<f64>) -> String {
        v.map(value).unwrap_or_else(|| "—".into())
    }
}

/// The measures the map can show (`?measure=`, proposals when absent or unknown), with their label ids.
pub const MEASURES: [(&str, &str); 7] = [
    ("proposals", "dashboard-proposals"),
    ("supporters", "dashboard-supporters"),
    ("turnout", "dashboard-turnout"),
    ("forum_participants", "dashboard-forum-participants"),
    ("envelope", "dashboard-envelope"),
    ("awarded", "dashboard-awarded"),
    ("progress", "dashboard-progress"),
];

#[derive(Deserialize, Default)]
pub struct MeasureQuery {
    pub measure: Option<String>,
}

/// The chosen measure's name (one of [`MEASURES`]).
fn chosen(q: &MeasureQuery) -> &'static str {
    MEASURES
        .iter()
        .map(|m| m.0)
        .find(|m| q.measure.as_deref() == Some(*m))
        .unwrap_or("proposals")
}

fn map_of(ctx: &Ctx, v: &DashboardView, measure: &str) -> Option<String> {
    let areas: Vec<Area> = v
        .areas
        .iter()
        .map(|a| {
            let (value, shown) = match measure {
                "supporters" => (a.supporters, a.supporters.to_string()),
                "turnout" => (
                    a.participation.turnout_basis_points().unwrap_or(0),
                    a.participation.turnout_shown(),
                ),
                "forum_participants" => (
                    a.participation.participants,
                    a.participation.participants.to_string(),
                ),
                "envelope" => (a.envelope, grouped(a.envelope)),
                "awarded" => (a.awarded, grouped(a.awarded)),
                "progress" => (a.progress, format!("{} %", a.progress)),
                _ => (
                    a.proposals,
                    ctx.t1("dashboard-proposals-count", "count", a.proposals),
                ),
            };
            Area {
                code: a.scope.code.clone(),
                name: ctx.scope_name(&a.scope),
                value,
                shown,
            }
        })
        .collect();
    let label = MEASURES
        .iter()
        .find(|m| m.0 == measure)
        .map_or("dashboard-proposals", |m| m.1);
    let (title, desc) = if measure == "proposals" {
        (
            ctx.t1("dashboard-map-title", "scope", ctx.scope_name(&v.scope)),
            ctx.t("dashboard-map-desc"),
        )
    } else {
        (
            ctx.i18n.tr(
                ctx.lang,
                "dashboard-map-title-measure",
                &[
                    ("measure", ctx.t(label).into()),
                    ("scope", ctx.scope_name(&v.scope).into()),
                ],
            ),
            ctx.t("dashboard-map-desc-measure"),
        )
    };
    choropleth(&title, &desc, &areas)
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    PageQuery(q): PageQuery<MeasureQuery>,
) -> Result<Response, PageError> {
    let measure = chosen(&q);
    let v = dashboard::view(&state, &code).await?;
    let bars = |f: &dyn Fn(&dashboard::AreaFigures) -> (f64, String)| -> Vec<Bar> {
        v.areas
            .iter()
            .map(|a| {
                let (value, shown) = f(a);
                Bar {
                    label: ctx.scope_name(&a.scope),
                    value,
                    shown,
                }
            })
            .collect()
    };
    let participation = bar_chart(
        "chart-participation",
        &ctx.t("dashboard-participation"),
        &ctx.t("dashboard-participation-desc"),
        &bars(&|a| (a.proposals as f64, a.proposals.to_string())),
    );
    let turnout = bar_chart(
        "chart-turnout",
        &ctx.t("dashboard-turnout"),
        &ctx.t("dashboard-turnout-desc"),
        &bars(&|a| {
            let p = &a.participation;
            (
                p.turnout_basis_points().unwrap_or(0) as f64,
                format!("{} ({})", p.turnout_shown(), grouped(p.voters)),
            )
        }),
    );
    let mut forum_bars = vec![Bar {
        label: ctx.t1("dashboard-held-at", "scope", ctx.scope_name(&v.scope)),
        value: v.whole.participants as f64,
        shown: v.whole.participants.to_string(),
    }];
    if v.areas.iter().all(|a| a.scope.id != v.scope.id) {
        forum_bars.extend(bars(&|a| {
            (
                a.participation.participants as f64,
                a.participation.participants.to_string(),
            )
        }));
    }
    let forums = bar_chart(
        "chart-forums",
        &ctx.t("dashboard-forums"),
        &ctx.t("dashboard-forums-desc"),
        &forum_bars,
    );
    let budget = bar_chart(
        "chart-budget",
        &ctx.t("dashboard-budget"),
        &ctx.t("dashboard-budget-desc"),
        &bars(&|a| (a.envelope as f64, grouped(a.envelope))),
    );
    let progress = bar_chart(
        "chart-progress",
        &ctx.t("dashboard-progress"),
        &ctx.t("dashboard-progress-desc"),
        &bars(&|a| {
            (
                a.progress as f64,
                format!("{} % ({})", a.progress, a.projects),
            )
        }),
    );
    let indicators = bar_chart(
        "chart-indicators",
        &ctx.t("dashboard-indicators"),
        &ctx.t("dashboard-indicators-desc"),
        &v.indicators
            .iter()
            .map(|i| Bar {
                label: i.indicator.name.chars().take(24).collect(),
                value: i.achievement.unwrap_or(0) as f64,
                shown: i
                    .achievement
                    .map_or("—".into(), |a| format!("{}.{} %", a / 10, a % 10)),
            })
            .collect::<Vec<_>>(),
    );
    let map = map_of(&ctx, &v, measure);
    render(&DashboardPage {
        measure,
        measures: &MEASURES,
        crumbs: Crumbs::within(&ctx, &v.scope).current(ctx.t("dashboard-title")),
        ctx: &ctx,
        participation,
        turnout,
        forums,
        budget,
        progress,
        indicators,
        map,
        v,
    })
}

pub async fn map(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    PageQuery(q): PageQuery<MeasureQuery>,
) -> Result<Response, PageError> {
    let v = dashboard::view(&state, &code).await?;
    let svg = map_of(&ctx, &v, chosen(&q)).ok_or(crate::http::ServiceError::NotFound)?;
    Ok((
        [(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")],
        svg,
    )
        .into_response())
}

#[derive(Serialize)]
pub struct AreaJson {
    pub scope_code: String,
    pub proposals: i64,
    pub supporters: i64,
    pub envelope: i64,
    pub awarded: i64,
    pub tracked_projects: i64,
    pub mean_progress: i64,
    pub grade: Option<&'static str>,
}

fn rows(v: &DashboardView) -> Vec<AreaJson> {
    v.areas
        .iter()
        .map(|a| AreaJson {
            scope_code: a.scope.code.clone(),
            proposals: a.proposals,
            supporters: a.supporters,
            envelope: a.envelope,
            awarded: a.awarded,
            tracked_projects: a.projects,
            mean_progress: a.progress,
            grade: a.grade.map(|g| g.as_str()),
        })
        .collect()
}

pub async fn json(
    State(state): State<AppState>,
    PagePath(code): PagePath<String>,
) -> Result<Json<Vec<AreaJson>>, PageError> {
    let v = dashboard::view(&state, &code).await?;
    Ok(Json(rows(&v)))
}

pub async fn csv(
    State(state): State<AppState>,
    PagePath(code): PagePath<String>,
) -> Result<Response, PageError> {
    use crate::http::csv::{Cell, CsvWriter};
    let v = dashboard::view(&state, &code).await?;
    let written = (|| {
        let mut w = CsvWriter::default();
        w.row(
            [
                "scope_code",
                "proposals",
                "supporters",
                "envelope_won",
                "awarded_won",
                "tracked_projects",
                "mean_progress_percent",
                "grade",
            ]
            .map(Cell::from),
        )?;
        for r in rows(&v) {
            w.row([
                Cell::from(&r.scope_code),
                Cell::Number(r.proposals),
                Cell::Number(r.supporters),
                Cell::Number(r.envelope),
                Cell::Number(r.awarded),
                Cell::Number(r.tracked_projects),
                Cell::Number(r.mean_progress),
                Cell::from(r.grade.unwrap_or("")),
            ])?;
        }
        w.finish()
    })();
    let body = written.map_err(|e| {
        tracing::error!(error = %e, "dashboard CSV failed");
        PageError::Internal
    })?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"dashboard.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}

/// One row of the participation figures: the scope as a whole (`level` = `scope`: every voter of its
/// subtree against its population, the conversations held at the scope itself) or one of its areas
/// (`level` = `area`: voters living there, conversations held there).
#[derive(Serialize)]
pub struct ParticipationJson {
    pub scope_code: String,
    pub level: &'static str,
    pub population: Option<i64>,
    pub voters: i64,
    pub ballots: i64,
    /// Voters per 10,000 residents (hundredths of a percent), when the population is known.
    pub turnout_basis_points: Option<i64>,
    pub forum_conversations: i64,
    pub forum_participants: i64,
}

fn participation_rows(v: &DashboardView) -> Vec<ParticipationJson> {
    let row = |code: &str, level, p: &dashboard::Participation| ParticipationJson {
        scope_code: code.to_owned(),
        level,
        population: p.population,
        voters: p.voters,
        ballots: p.ballots,
        turnout_basis_points: p.turnout_basis_points(),
        forum_conversations: p.conversations,
        forum_participants: p.participants,
    };
    let mut rows = vec![row(&v.scope.code, "scope", &v.whole)];
    rows.extend(
        v.areas
            .iter()
            .filter(|a| a.scope.id != v.scope.id)
            .map(|a| row(&a.scope.code, "area", &a.participation)),
    );
    rows
}

pub async fn participation_json(
    State(state): State<AppState>,
    PagePath(code): PagePath<String>,
) -> Result<Json<Vec<ParticipationJson>>, PageError> {
    let v = dashboard::view(&state, &code).await?;
    Ok(Json(participation_rows(&v)))
}

pub async fn participation_csv(
    State(state): State<AppState>,
    PagePath(code): PagePath<String>,
) -> Result<Response, PageError> {
    use crate::http::csv::{Cell, CsvWriter};
    let v = dashboard::view(&state, &code).await?;
    let opt = |n: Option<i64>| n.map_or(Cell::from(""), Cell::Number);
    let written = (|| {
        let mut w = CsvWriter::default();
        w.row(
            [
                "scope_code",
                "level",
                "population",
                "voters",
                "ballots",
                "turnout_basis_points",
                "forum_conversations",
                "forum_participants",
            ]
            .map(Cell::from),
        )?;
        for r in participation_rows(&v) {
            w.row([
                Cell::from(&r.scope_code),
                Cell::from(r.level),
                opt(r.population),
                Cell::Number(r.voters),
                Cell::Number(r.ballots),
                opt(r.turnout_basis_points),
                Cell::Number(r.forum_conversations),
                Cell::Number(r.forum_participants),
            ])?;
        }
        w.finish()
    })();
    let body = written.map_err(|e| {
        tracing::error!(error = %e, "participation CSV failed");
        PageError::Internal
    })?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"participation.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}
