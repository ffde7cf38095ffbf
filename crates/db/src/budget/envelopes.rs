//! Cycles and envelopes: a cycle's top envelope holds the city's total; splitting an envelope by a formula
//! writes its children's envelopes (with what each term gave them) and its own part, in one transaction
//! with its audit entry.
use maeul_domain::audit::AuditAction;
use maeul_domain::budget::envelope::{ChildFigures, Formula, Term};
use maeul_domain::budget::{BudgetRefusal, split};

use crate::audit::{Subject, audit_query};
use crate::{BeginWrite, Db, DbError, DbResult, db_run, now, refused};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CycleRow {
    pub id: i64,
    pub scope_id: i64,
    pub year: i64,
    pub total: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FiguresRow {
    pub scope_id: i64,
    pub population: i64,
    pub need: i64,
    pub grade: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EnvelopeRow {
    pub id: i64,
    pub cycle_id: i64,
    pub year: i64,
    pub scope_id: i64,
    pub parent_id: Option<i64>,
    pub amount: i64,
    pub term_base: i64,
    pub term_population: i64,
    pub term_need: i64,
    pub term_grade: i64,
    pub own_permille: Option<i64>,
    pub w_base: Option<i64>,
    pub w_population: Option<i64>,
    pub w_need: Option<i64>,
    pub w_grade: Option<i64>,
    pub own_amount: Option<i64>,
    pub unawarded: String,
    /// Money not awarded that children returned up to this envelope.
    pub returned_in: i64,
    /// Money not awarded here, carried over to the next cycle.
    pub carried_over: i64,
}

impl EnvelopeRow {
    /// What each term of the parent's formula gave this envelope.
    pub fn terms(&self) -> [(Term, i64); 4] {
        [
            (Term::Base, self.term_base),
            (Term::Population, self.term_population),
            (Term::Need, self.term_need),
            (Term::Grade, self.term_grade),
        ]
    }

    /// The formula this envelope hands down with, once split.
    pub fn formula(&self) -> Option<Formula> {
        let n = |v: Option<i64>| v.and_then(|v| u32::try_from(v).ok());
        Some(Formula {
            own_permille: n(self.own_permille)?,
            base: n(self.w_base)?,
            population: n(self.w_population)?,
            need: n(self.w_need)?,
            grade: n(self.w_grade)?,
        })
    }

    /// What stays for the scope's own projects: everything until it is split.
    pub fn own(&self) -> i64 {
        self.own_amount.unwrap_or(self.amount)
    }
}

const SELECT_ENVELOPE: &str = "SELECT e.id, e.cycle_id, c.year, e.scope_id, e.parent_id, e.amount,
    e.term_base, e.term_population, e.term_need, e.term_grade, e.own_permille, e.w_base, e.w_population,
    e.w_need, e.w_grade, e.own_amount, e.unawarded, e.returned_in, e.carried_over
    FROM budget_envelopes e JOIN budget_cycles c ON c.id = e.cycle_id";

fn amount(v: u64) -> DbResult<i64> {
    i64::try_from(v).map_err(|_| DbError::Corrupt("amount beyond i64".into()))
}

impl Db {
    /// Opens a yearly cycle for a city with its total, and the city's top envelope.
    pub async fn create_cycle(
        &self,
        scope_id: i64,
        year: i64,
        total: u64,
        by: Option<i64>,
    ) -> DbResult<(i64, i64)> {
        let total = amount(total)?;
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let cycle: i64 = sqlx::query_scalar(
                "INSERT INTO budget_cycles (scope_id, year, total, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
                .bind(scope_id).bind(year).bind(total).bind(at)
                .fetch_one(&mut *tx).await.map_err(crate::conflict_as("budget_cycles"))?;
            let envelope: i64 = sqlx::query_scalar(
                "INSERT INTO budget_envelopes (cycle_id, scope_id, amount, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id")
                .bind(cycle).bind(scope_id).bind(total).bind(at).fetch_one(&mut *tx).await?;
            audit_query!(by, AuditAction::BudgetCycle, Subject::Scope(scope_id),
                &[("year", year.to_string()), ("total", total.to_string())], at)
                .execute(&mut *tx).await?;
            tx.commit().await?;
            Ok((cycle, envelope))
        })
    }

    pub async fn cycle(&self, id: i64) -> DbResult<Option<CycleRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, CycleRow>(
            "SELECT id, scope_id, year, total, created_at FROM budget_cycles WHERE id = $1")
            .bind(id).fetch_optional(pool).await?))
    }

    /// Every cycle, latest year first.
    pub async fn cycles(&self) -> DbResult<Vec<CycleRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, CycleRow>(
            "SELECT id, scope_id, year, total, created_at FROM budget_cycles ORDER BY year DESC, id")
            .fetch_all(pool).await?))
    }

    /// Sets the figures formulas read about a scope.
    pub async fn set_scope_figures(
        &self,
        scope_id: i64,
        population: u64,
        need: u64,
        grade: u64,
    ) -> DbResult<()> {
        let at = now();
        db_run!(self, pool => sqlx::query(
            "INSERT INTO budget_scope_figures (scope_id, population, need, grade, updated_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (scope_id) DO UPDATE SET population = excluded.population, need = excluded.need,
                grade = excluded.grade, updated_at = excluded.updated_at")
            .bind(scope_id).bind(amount(population)?).bind(amount(need)?).bind(amount(grade)?).bind(at)
            .execute(pool).await?.rows_affected());
        Ok(())
    }

    /// The figures of the given scopes (a scope without figures reads as zeros).
    pub async fn scope_figures(&self, scope_ids: &[i64]) -> DbResult<Vec<ChildFigures>> {
        let rows: Vec<FiguresRow> = db_run!(self, pool => sqlx::query_as::<_, FiguresRow>(
            "SELECT scope_id, population, need, grade FROM budget_scope_figures").fetch_all(pool).await?);
        let get = |id: i64| rows.iter().find(|r| r.scope_id == id);
        Ok(scope_ids
            .iter()
            .map(|id| {
                let r = get(*id);
                let v = |f: fn(&FiguresRow) -> i64| r.map(f).unwrap_or(0).max(0) as u64;
                ChildFigures {
                    scope_id: *id,
                    population: v(|r| r.population),
                    need: v(|r| r.need),
                    grade: v(|r| r.grade),
                }
            })
            .collect())
    }

    /// Enters each Seoul district's population from the seed's district table (2024 resident registration,
    /// see `seed/seoul/README.md`) as the figure population-share formulas read. Returns how many were set.
    pub async fn seed_district_population(&self) -> DbResult<usize> {
        const DISTRICTS_CSV: &str = include_str!("../../seed/seoul/districts.csv");
        let mut set = 0;
        for line in DISTRICTS_CSV.lines().skip(1) {
            let fields: Vec<&str> = line.split(',').collect();
            let (Some(code), Some(population)) = (fields.first(), fields.get(4)) else {
                continue;
            };
            let Ok(population) = population.trim().parse::<u64>() else {
                continue;
            };
            let id: Option<i64> = db_run!(self, pool => sqlx::query_scalar("SELECT id FROM scopes WHERE code = $1")
                .bind(code.trim()).fetch_optional(pool).await?);
            if let Some(id) = id {
                self.set_scope_figures(id, population, 0, 0).await?;
                set += 1;
            }
        }
        Ok(set)
    }

    /// Splits an envelope among `children` (their figures as read now) by `formula`: writes or rewrites
    /// each child's envelope with its terms, and the parent's formula and own part, with an audit entry.
    pub async fn split_envelope(
        &self,
        envelope_id: i64,
        formula: &Formula,
        children: &[ChildFigures],
        by: Option<i64>,
    ) -> DbResult<Vec<i64>> {
        let parent = self.envelope(envelope_id).await?.ok_or(DbError::NotFound)?;
        let total = u64::try_from(parent.amount).unwrap_or(0);
        let split = split(total, formula, children).map_err(refused)?;
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let mut ids = Vec::with_capacity(split.children.len());
            for share in &split.children {
                let t = |i: usize| amount(share.terms[i].1);
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO budget_envelopes (cycle_id, scope_id, parent_id, amount, term_base, term_population,
                        term_need, term_grade, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
                     ON CONFLICT (cycle_id, scope_id) DO UPDATE SET amount = excluded.amount,
                        term_base = excluded.term_base, term_population = excluded.term_population,
                        term_need = excluded.term_need, term_grade = excluded.term_grade, updated_at = excluded.updated_at
                     RETURNING id")
                    .bind(parent.cycle_id).bind(share.scope_id).bind(parent.id).bind(amount(share.amount)?)
                    .bind(t(0)?).bind(t(1)?).bind(t(2)?).bind(t(3)?).bind(at)
                    .fetch_one(&mut *tx).await?;
                ids.push(id);
            }
            sqlx::query(
                "UPDATE budget_envelopes SET own_permille = $1, w_base = $2, w_population = $3, w_need = $4,
                    w_grade = $5, own_amount = $6, updated_at = $7 WHERE id = $8")
                .bind(i64::from(formula.own_permille)).bind(i64::from(formula.base)).bind(i64::from(formula.population))
                .bind(i64::from(formula.need)).bind(i64::from(formula.grade)).bind(amount(split.own)?).bind(at).bind(parent.id)
                .execute(&mut *tx).await?;
            audit_query!(by, AuditAction::BudgetSplit, Subject::Scope(parent.scope_id),
                &[("envelope", parent.id.to_string()), ("children", ids.len().to_string()), ("own", split.own.to_string())], at)
                .execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(ids)
        })
    }

    pub async fn envelope(&self, id: i64) -> DbResult<Option<EnvelopeRow>> {
        let sql = format!("{SELECT_ENVELOPE} WHERE e.id = $1");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, EnvelopeRow>(&sql).bind(id).fetch_optional(pool).await?),
        )
    }

    /// A scope's envelope in the latest cycle that has one.
    pub async fn latest_envelope_of(&self, scope_id: i64) -> DbResult<Option<EnvelopeRow>> {
        let sql = format!(
            "{SELECT_ENVELOPE} WHERE e.scope_id = $1 ORDER BY c.year DESC, e.id DESC LIMIT 1"
        );
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, EnvelopeRow>(&sql).bind(scope_id).fetch_optional(pool).await?),
        )
    }

    /// The envelopes an envelope was split into.
    pub async fn child_envelopes(&self, parent_id: i64) -> DbResult<Vec<EnvelopeRow>> {
        let sql = format!("{SELECT_ENVELOPE} WHERE e.parent_id = $1 ORDER BY e.scope_id");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, EnvelopeRow>(&sql).bind(parent_id).fetch_all(pool).await?),
        )
    }

    /// Refuses when `scope_id` has no envelope in `cycle_id` (used by callers that need one).
    /// Every envelope of a cycle, top first (by depth), then by scope.
    pub async fn envelopes_of_cycle(&self, cycle_id: i64) -> DbResult<Vec<EnvelopeRow>> {
        let sql = format!(
            "{SELECT_ENVELOPE} WHERE e.cycle_id = $1 ORDER BY (e.parent_id IS NOT NULL), e.parent_id, e.scope_id"
        );
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, EnvelopeRow>(&sql).bind(cycle_id).fetch_all(pool).await?),
        )
    }

    pub async fn envelope_in(&self, cycle_id: i64, scope_id: i64) -> DbResult<EnvelopeRow> {
        let sql = format!("{SELECT_ENVELOPE} WHERE e.cycle_id = $1 AND e.scope_id = $2");
        db_run!(self, pool => sqlx::query_as::<_, EnvelopeRow>(&sql).bind(cycle_id).bind(scope_id).fetch_optional(pool).await?)
            .ok_or_else(|| refused(BudgetRefusal::NoEnvelope))
    }
}
