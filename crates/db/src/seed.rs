//! The demo city: Seoul's 25 districts and 426 administrative neighbourhoods (MOIS codes, Korean and
//! English names, from `seed/seoul/`, see its README for sources), and one demo account per role.
use maeul_domain::{ResidencyBasis, Role, ScopeKind};

use crate::scopes::NewScope;
use crate::{BeginWrite, Db, DbError, DbResult, db_run, now};

const DISTRICTS_CSV: &str = include_str!("../seed/seoul/districts.csv");
const DONGS_CSV: &str = include_str!("../seed/seoul/dongs.csv");

pub const CITY_CODE: &str = "11";

/// The rows of one of the seed CSV files (simple comma-separated, no quoting), without the header.
fn csv_rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split(',').map(str::trim).collect())
}

/// A demo account to create.
pub struct DemoAccount<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub handle: &'a str,
    pub password_hash: String,
    pub role: Option<(Role, &'a str)>,
    pub home: Option<&'a str>,
}

impl Db {
    /// Seeds Seoul's scopes when there are none. Returns whether it seeded.
    pub async fn seed_seoul_if_empty(&self) -> DbResult<bool> {
        if self.scope_count().await? > 0 {
            return Ok(false);
        }
        let mut scopes = vec![NewScope {
            code: CITY_CODE,
            kind: ScopeKind::City,
            parent_id: None,
            name_ko: "서울특별시",
            name_en: "Seoul",
        }];
        // Parent ids are only known after insertion, so insert level by level.
        let city_id = self.insert_scopes(&scopes).await?[0];
        scopes.clear();
        let districts: Vec<Vec<&str>> = csv_rows(DISTRICTS_CSV).collect();
        for d in &districts {
            scopes.push(NewScope {
                code: d[0],
                kind: ScopeKind::District,
                parent_id: Some(city_id),
                name_ko: d[1],
                name_en: d[2],
            });
        }
        let district_ids = self.insert_scopes(&scopes).await?;
        let id_of: std::collections::HashMap<&str, i64> =
            districts.iter().map(|d| d[0]).zip(district_ids).collect();
        let dongs: Vec<Vec<&str>> = csv_rows(DONGS_CSV).collect();
        let mut dong_scopes = Vec::with_capacity(dongs.len());
        for d in &dongs {
            // adm_cd10,kostat_cd8,kostat_cd7,gu_code,gu_name_ko,name_ko,name_en,name_en_source
            let parent = *id_of.get(d[3]).ok_or_else(|| {
                DbError::Corrupt(format!("dong {} names unknown gu {}", d[0], d[3]))
            })?;
            dong_scopes.push(NewScope {
                code: d[0],
                kind: ScopeKind::Neighbourhood,
                parent_id: Some(parent),
                name_ko: d[5],
                name_en: d[6],
            });
        }
        self.insert_scopes(&dong_scopes).await?;
        Ok(true)
    }

    pub async fn user_count(&self) -> DbResult<i64> {
        Ok(
            db_run!(self, pool => sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM users").fetch_one(pool).await?),
        )
    }

    /// Creates the demo accounts, their roles and verified homes, in one transaction.
    pub async fn seed_demo_accounts(&self, accounts: &[DemoAccount<'_>]) -> DbResult<()> {
        let tree =
            maeul_domain::ScopeTree::new(self.load_scopes().await?).map_err(DbError::Corrupt)?;
        let scope_id = |code: &str| {
            tree.by_code(code)
                .map(|s| s.id)
                .ok_or_else(|| DbError::Corrupt(format!("no scope {code}")))
        };
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            for a in accounts {
                let user_id = sqlx::query_scalar::<_, i64>(
                    "INSERT INTO users (email, display_name, handle, password_hash, lang, created_at, password_changed_at)
                     VALUES ($1, $2, $3, $4, 'ko', $5, $5) RETURNING id")
                    .bind(a.email).bind(a.display_name).bind(a.handle).bind(&a.password_hash).bind(at)
                    .fetch_one(&mut *tx).await?;
                if let Some((role, code)) = a.role {
                    sqlx::query("INSERT INTO role_grants (user_id, role, scope_id, granted_at) VALUES ($1, $2, $3, $4)")
                        .bind(user_id).bind(role.as_str()).bind(scope_id(code)?).bind(at)
                        .execute(&mut *tx).await?;
                }
                if let Some(code) = a.home {
                    sqlx::query(
                        // Demo residents are adults, so processes with a minimum age let them vote.
                        "INSERT INTO residencies (user_id, scope_id, basis, status, declared_at, decided_at, decision_note, birth_date)
                         VALUES ($1, $2, $3, 'verified', $4, $4, 'demo', '1986-05-15')")
                        .bind(user_id).bind(scope_id(code)?).bind(ResidencyBasis::Resident.as_str()).bind(at)
                        .execute(&mut *tx).await?;
                }
            }
            tx.commit().await?;
        });
        Ok(())
    }
}
