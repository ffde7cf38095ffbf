//! Evaluation cycles, indicators and their periods, the rubric, evaluators' scores and the grade.
use maeul_domain::Refusal;
use maeul_domain::evaluation::{
    self, Aggregation, Better, CriterionScores, CycleEvent, CycleState, GradeLetter, GradeResult,
    IndicatorKind, IndicatorLevel, Party,
};

use super::{from_milli, to_milli};
use crate::{BeginWrite, Db, DbError, DbResult, OptionalName, db_run, now, refused};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CycleRow {
    pub id: i64,
    pub scope_id: i64,
    pub year: i64,
    #[sqlx(try_from = "String")]
    pub state: CycleState,
    pub narrative: String,
    pub achievement: Option<i64>,
    pub rubric: Option<i64>,
    pub points: Option<i64>,
    #[sqlx(try_from = "Option<String>")]
    pub grade: OptionalName<GradeLetter>,
    pub graded_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CycleLogRow {
    #[sqlx(try_from = "String")]
    pub from_state: CycleState,
    #[sqlx(try_from = "String")]
    pub to_state: CycleState,
    pub actor_id: Option<i64>,
    pub at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct IndicatorRow {
    pub id: i64,
    pub cycle_id: i64,
    pub project_id: Option<i64>,
    pub code: String,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub level: IndicatorLevel,
    #[sqlx(try_from = "String")]
    pub kind: IndicatorKind,
    #[sqlx(try_from = "String")]
    pub better: Better,
    #[sqlx(try_from = "String")]
    pub aggregation: Aggregation,
    pub unit: String,
    pub baseline_year: Option<i64>,
    pub baseline_milli: Option<i64>,
    pub created_at: i64,
}

impl IndicatorRow {
    pub fn baseline(&self) -> Option<f64> {
        self.baseline_milli.map(from_milli)
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PeriodRow {
    pub indicator_id: i64,
    pub year: i64,
    pub target_milli: Option<i64>,
    pub actual_milli: Option<i64>,
    pub numerator_milli: Option<i64>,
    pub denominator_milli: Option<i64>,
    pub note: String,
    pub recorded_at: Option<i64>,
}

impl PeriodRow {
    pub fn target(&self) -> Option<f64> {
        self.target_milli.map(from_milli)
    }
    pub fn actual(&self) -> Option<f64> {
        self.actual_milli.map(from_milli)
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CriterionRow {
    pub id: i64,
    pub criterion: String,
    pub weight: i64,
    pub max_score: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ScoreRow {
    pub evaluator_id: i64,
    pub evaluator_name: String,
    pub criterion_id: i64,
    pub score: i64,
    pub comment: String,
    pub scored_at: i64,
}

/// A new indicator of a cycle (optionally of one of its tracked projects).
#[derive(Debug, Clone)]
pub struct NewIndicator<'a> {
    pub cycle_id: i64,
    pub project_id: Option<i64>,
    /// The same code in several scopes is the same indicator (what rolls up).
    pub code: &'a str,
    pub name: &'a str,
    pub level: IndicatorLevel,
    pub kind: IndicatorKind,
    pub better: Better,
    pub aggregation: Aggregation,
    pub unit: &'a str,
    pub baseline: Option<(i64, f64)>,
    /// The target of the cycle's year.
    pub target: Option<f64>,
}

/// An actual recorded for an indicator in a year.
#[derive(Debug, Clone, Copy)]
pub struct Actual {
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
}

const SELECT_CYCLE: &str =
    "SELECT id, scope_id, year, state, narrative, achievement, rubric, points, grade,
    graded_at, created_at, updated_at FROM evaluation_cycles";

const SELECT_INDICATOR: &str =
    "SELECT id, cycle_id, project_id, code, name, level, kind, better, aggregation,
    unit, baseline_year, baseline_milli, created_at FROM evaluation_indicators";

impl Db {
    /// Opens a scope's evaluation cycle for a year (indicators_defined); one per scope and year.
    pub async fn create_evaluation_cycle(&self, scope_id: i64, year: i64) -> DbResult<i64> {
        let at = now();
        db_run!(self, pool => {
            let inserted = sqlx::query_scalar(
                "INSERT INTO evaluation_cycles (scope_id, year, state, created_at, updated_at)
                 VALUES ($1, $2, 'indicators_defined', $3, $3) RETURNING id")
                .bind(scope_id).bind(year).bind(at).fetch_one(pool).await;
            match inserted {
                Err(sqlx::Error::Database(d)) if d.is_unique_violation() => Err(DbError::Refused(Refusal::AlreadyExists)),
                other => Ok(other?),
            }
        })
    }

    pub async fn evaluation_cycle(&self, id: i64) -> DbResult<Option<CycleRow>> {
        let sql = format!("{SELECT_CYCLE} WHERE id = $1");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, CycleRow>(&sql).bind(id).fetch_optional(pool).await?),
        )
    }

    /// The cycles of the given scopes, latest year first.
    pub async fn evaluation_cycles_in(&self, scope_ids: &[i64]) -> DbResult<Vec<CycleRow>> {
        if scope_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "{SELECT_CYCLE} WHERE scope_id IN ({}) ORDER BY year DESC, scope_id",
            super::participation::placeholders(1, scope_ids.len())
        );
        Ok(db_run!(self, pool => {
            let mut q = sqlx::query_as::<_, CycleRow>(&sql);
            for id in scope_ids {
                q = q.bind(*id);
            }
            q.fetch_all(pool).await?
        }))
    }

    pub async fn evaluation_cycle_log(&self, cycle_id: i64) -> DbResult<Vec<CycleLogRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, CycleLogRow>(
            "SELECT from_state, to_state, actor_id, at FROM evaluation_cycle_log WHERE cycle_id = $1 ORDER BY id")
            .bind(cycle_id).fetch_all(pool).await?))
    }

    /// Moves a cycle by `event`, acted by `party` (as the service established it): the rules decide (a
    /// scope never grades itself: use [`Db::grade_evaluation_cycle`] to grade); compare-and-set with its log
    /// row in one transaction. A self-assessment stores its narrative.
    pub async fn transition_evaluation_cycle(
        &self,
        cycle_id: i64,
        party: Party,
        actor: Option<i64>,
        event: &CycleEvent,
    ) -> DbResult<CycleState> {
        if *event == CycleEvent::Grade {
            return self
                .grade_evaluation_cycle(cycle_id, party, actor)
                .await
                .map(|_| CycleState::Graded);
        }
        let cycle = self
            .evaluation_cycle(cycle_id)
            .await?
            .ok_or(DbError::NotFound)?;
        let to = evaluation::apply_cycle(cycle.state, party, event).map_err(refused)?;
        let narrative = match event {
            CycleEvent::SelfAssess { narrative } => Some(narrative.trim().to_owned()),
            _ => None,
        };
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(
                "UPDATE evaluation_cycles SET state = $1, narrative = COALESCE($2, narrative), updated_at = $3
                 WHERE id = $4 AND state = $5")
                .bind(to.as_str()).bind(&narrative).bind(at).bind(cycle_id).bind(cycle.state.as_str())
                .execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(DbError::Refused(Refusal::Stale));
            }
            sqlx::query("INSERT INTO evaluation_cycle_log (cycle_id, from_state, to_state, actor_id, at) VALUES ($1, $2, $3, $4, $5)")
                .bind(cycle_id).bind(cycle.state.as_str()).bind(to.as_str()).bind(actor).bind(at)
                .execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(to)
    }

    /// Adds an indicator to a cycle, with its baseline and the target of the cycle's year. Only while the
    /// cycle's indicators are being defined, never by an evaluator.
    pub async fn add_indicator(&self, new: &NewIndicator<'_>, party: Party) -> DbResult<i64> {
        let cycle = self
            .evaluation_cycle(new.cycle_id)
            .await?
            .ok_or(DbError::NotFound)?;
        evaluation::check_indicator_edit(cycle.state, party).map_err(refused)?;
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO evaluation_indicators (cycle_id, project_id, code, name, level, kind, better, aggregation,
                    unit, baseline_year, baseline_milli, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id")
                .bind(new.cycle_id).bind(new.project_id).bind(new.code).bind(new.name).bind(new.level.as_str())
                .bind(new.kind.as_str()).bind(new.better.as_str()).bind(new.aggregation.as_str()).bind(new.unit)
                .bind(new.baseline.map(|b| b.0)).bind(new.baseline.map(|b| to_milli(b.1))).bind(at)
                .fetch_one(&mut *tx).await?;
            sqlx::query("INSERT INTO evaluation_periods (indicator_id, year, target_milli) VALUES ($1, $2, $3)")
                .bind(id).bind(cycle.year).bind(new.target.map(to_milli)).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Changes an indicator's target for its cycle's year (same rule as defining it).
    pub async fn set_indicator_target(
        &self,
        indicator_id: i64,
        target: f64,
        party: Party,
    ) -> DbResult<()> {
        let indicator = self
            .indicator(indicator_id)
            .await?
            .ok_or(DbError::NotFound)?;
        let cycle = self
            .evaluation_cycle(indicator.cycle_id)
            .await?
            .ok_or(DbError::NotFound)?;
        evaluation::check_indicator_edit(cycle.state, party).map_err(refused)?;
        db_run!(self, pool => sqlx::query(
            "UPDATE evaluation_periods SET target_milli = $1 WHERE indicator_id = $2 AND year = $3")
            .bind(to_milli(target)).bind(indicator_id).bind(cycle.year).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Records the actual of an indicator for its cycle's year: implementers, while measuring.
    pub async fn record_actual(
        &self,
        indicator_id: i64,
        actual: Actual,
        note: &str,
        party: Party,
        by: Option<i64>,
    ) -> DbResult<()> {
        let indicator = self
            .indicator(indicator_id)
            .await?
            .ok_or(DbError::NotFound)?;
        let cycle = self
            .evaluation_cycle(indicator.cycle_id)
            .await?
            .ok_or(DbError::NotFound)?;
        evaluation::check_actual_entry(cycle.state, party).map_err(refused)?;
        let value = evaluation::measured_value(
            indicator.kind,
            actual.value,
            actual.numerator,
            actual.denominator,
        )
        .map_err(refused)?;
        let at = now();
        db_run!(self, pool => sqlx::query(
            "INSERT INTO evaluation_periods (indicator_id, year, actual_milli, numerator_milli, denominator_milli,
                note, recorded_by, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (indicator_id, year) DO UPDATE SET actual_milli = excluded.actual_milli,
                numerator_milli = excluded.numerator_milli, denominator_milli = excluded.denominator_milli,
                note = excluded.note, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at")
            .bind(indicator_id).bind(cycle.year).bind(value.map(to_milli)).bind(actual.numerator.map(to_milli))
            .bind(actual.denominator.map(to_milli)).bind(note).bind(by).bind(at)
            .execute(pool).await?.rows_affected());
        Ok(())
    }

    pub async fn indicator(&self, id: i64) -> DbResult<Option<IndicatorRow>> {
        let sql = format!("{SELECT_INDICATOR} WHERE id = $1");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, IndicatorRow>(&sql).bind(id).fetch_optional(pool).await?),
        )
    }

    /// A cycle's indicators with their period of the cycle's year.
    pub async fn cycle_indicators(
        &self,
        cycle_id: i64,
    ) -> DbResult<Vec<(IndicatorRow, Option<PeriodRow>)>> {
        let sql = format!("{SELECT_INDICATOR} WHERE cycle_id = $1 ORDER BY id");
        let indicators: Vec<IndicatorRow> = db_run!(self, pool => sqlx::query_as::<_, IndicatorRow>(&sql).bind(cycle_id).fetch_all(pool).await?);
        let periods: Vec<PeriodRow> = db_run!(self, pool => sqlx::query_as::<_, PeriodRow>(
            "SELECT p.indicator_id, p.year, p.target_milli, p.actual_milli, p.numerator_milli, p.denominator_milli,
                p.note, p.recorded_at
             FROM evaluation_periods p JOIN evaluation_indicators i ON i.id = p.indicator_id
             JOIN evaluation_cycles c ON c.id = i.cycle_id WHERE i.cycle_id = $1 AND p.year = c.year")
            .bind(cycle_id).fetch_all(pool).await?);
        Ok(indicators
            .into_iter()
            .map(|i| {
                let p = periods.iter().find(|p| p.indicator_id == i.id).cloned();
                (i, p)
            })
            .collect())
    }

    /// The indicators of a tracked project (in every cycle) with their periods of their cycle's year.
    pub async fn project_indicators(
        &self,
        project_id: i64,
    ) -> DbResult<Vec<(IndicatorRow, Option<PeriodRow>)>> {
        let cycles: Vec<i64> = db_run!(self, pool => sqlx::query_scalar(
            "SELECT DISTINCT cycle_id FROM evaluation_indicators WHERE project_id = $1")
            .bind(project_id).fetch_all(pool).await?);
        let mut out = Vec::new();
        for c in cycles {
            out.extend(
                self.cycle_indicators(c)
                    .await?
                    .into_iter()
                    .filter(|(i, _)| i.project_id == Some(project_id)),
            );
        }
        Ok(out)
    }

    /// The city's rubric.
    pub async fn rubric(&self) -> DbResult<Vec<CriterionRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, CriterionRow>(
            "SELECT id, criterion, weight, max_score FROM evaluation_rubric ORDER BY id").fetch_all(pool).await?))
    }

    /// An evaluator's score on one criterion (a later score replaces theirs): evaluators, during the
    /// external review, within the criterion's scale.
    pub async fn score_cycle(
        &self,
        cycle_id: i64,
        criterion_id: i64,
        evaluator_id: i64,
        party: Party,
        score: i64,
        comment: &str,
    ) -> DbResult<()> {
        let cycle = self
            .evaluation_cycle(cycle_id)
            .await?
            .ok_or(DbError::NotFound)?;
        let rubric = self.rubric().await?;
        let criterion = rubric
            .iter()
            .find(|c| c.id == criterion_id)
            .ok_or(DbError::NotFound)?;
        evaluation::check_score(cycle.state, party, score, criterion.max_score).map_err(refused)?;
        let at = now();
        db_run!(self, pool => sqlx::query(
            "INSERT INTO evaluation_scores (cycle_id, evaluator_id, criterion_id, score, comment, scored_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (cycle_id, evaluator_id, criterion_id) DO UPDATE SET score = excluded.score,
                comment = excluded.comment, scored_at = excluded.scored_at")
            .bind(cycle_id).bind(evaluator_id).bind(criterion_id).bind(score).bind(comment).bind(at)
            .execute(pool).await?.rows_affected());
        Ok(())
    }

    pub async fn cycle_scores(&self, cycle_id: i64) -> DbResult<Vec<ScoreRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, ScoreRow>(
            "SELECT s.evaluator_id, u.display_name AS evaluator_name, s.criterion_id, s.score, s.comment, s.scored_at
             FROM evaluation_scores s JOIN users u ON u.id = s.evaluator_id WHERE s.cycle_id = $1
             ORDER BY s.criterion_id, s.evaluator_id")
            .bind(cycle_id).fetch_all(pool).await?))
    }

    /// What the grading formula reads of a cycle: the achievement of each numeric indicator with a
    /// baseline, target and actual, and each criterion's scores.
    pub async fn grading_inputs(
        &self,
        cycle_id: i64,
    ) -> DbResult<(Vec<u64>, Vec<CriterionScores>)> {
        let achievements = self
            .cycle_indicators(cycle_id)
            .await?
            .into_iter()
            .filter_map(|(i, p)| {
                let p = p?;
                Some(evaluation::achievement(
                    i.baseline()?,
                    p.target()?,
                    p.actual()?,
                    i.better,
                ))
            })
            .collect();
        let scores = self.cycle_scores(cycle_id).await?;
        let criteria = self
            .rubric()
            .await?
            .into_iter()
            .map(|c| CriterionScores {
                weight: u32::try_from(c.weight).unwrap_or(0),
                max: c.max_score,
                scores: scores
                    .iter()
                    .filter(|s| s.criterion_id == c.id)
                    .map(|s| s.score)
                    .collect(),
            })
            .collect();
        Ok((achievements, criteria))
    }

    /// Grades a cycle under review, by the level above: the formula's result is stored on the cycle, and
    /// the grade's figure is written as the scope's `budget_scope_figures.grade` — the one record the next
    /// budget cycle's envelope formula reads — with the state change and its log row, in one transaction.
    pub async fn grade_evaluation_cycle(
        &self,
        cycle_id: i64,
        party: Party,
        actor: Option<i64>,
    ) -> DbResult<GradeResult> {
        let cycle = self
            .evaluation_cycle(cycle_id)
            .await?
            .ok_or(DbError::NotFound)?;
        let to =
            evaluation::apply_cycle(cycle.state, party, &CycleEvent::Grade).map_err(refused)?;
        let (achievements, criteria) = self.grading_inputs(cycle_id).await?;
        let result = evaluation::grade(&achievements, &criteria).map_err(refused)?;
        let at = now();
        let opt = |v: Option<u64>| v.map(|v| v as i64);
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query(
                "UPDATE evaluation_cycles SET state = $1, achievement = $2, rubric = $3, points = $4, grade = $5,
                    graded_by = $6, graded_at = $7, updated_at = $7 WHERE id = $8 AND state = $9")
                .bind(to.as_str()).bind(opt(result.achievement_permille)).bind(result.rubric_permille as i64)
                .bind(result.points_permille as i64).bind(result.letter.as_str()).bind(actor).bind(at)
                .bind(cycle_id).bind(cycle.state.as_str())
                .execute(&mut *tx).await?.rows_affected();
            if n == 0 {
                return Err(DbError::Refused(Refusal::Stale));
            }
            sqlx::query("INSERT INTO evaluation_cycle_log (cycle_id, from_state, to_state, actor_id, at) VALUES ($1, $2, $3, $4, $5)")
                .bind(cycle_id).bind(cycle.state.as_str()).bind(to.as_str()).bind(actor).bind(at)
                .execute(&mut *tx).await?;
            sqlx::query(
                "INSERT INTO budget_scope_figures (scope_id, grade, updated_at) VALUES ($1, $2, $3)
                 ON CONFLICT (scope_id) DO UPDATE SET grade = excluded.grade, updated_at = excluded.updated_at")
                .bind(cycle.scope_id).bind(result.letter.figure() as i64).bind(at)
                .execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(result)
    }

    /// The values of indicator `code` in `year` across the given scopes' cycles (for roll-up).
    pub async fn indicator_values(
        &self,
        code: &str,
        year: i64,
        scope_ids: &[i64],
    ) -> DbResult<Vec<(i64, f64)>> {
        let rows: Vec<(i64, i64)> = db_run!(self, pool => sqlx::query_as(
            "SELECT c.scope_id, p.actual_milli FROM evaluation_indicators i
             JOIN evaluation_cycles c ON c.id = i.cycle_id
             JOIN evaluation_periods p ON p.indicator_id = i.id AND p.year = $2
             WHERE i.code = $1 AND p.actual_milli IS NOT NULL")
            .bind(code).bind(year).fetch_all(pool).await?);
        Ok(rows
            .into_iter()
            .filter(|(s, _)| scope_ids.contains(s))
            .map(|(s, v)| (s, from_milli(v)))
            .collect())
    }
}
