//! Files attached to proposals and to budget projects, kept in the database (backups hold them; no second
//! store to keep in step). What is accepted is decided by `maeul_domain::attachment`; one mechanism serves
//! every owner, each owner kind with its own table beside its owner's (`AttachmentOwner`).
use crate::{BeginWrite, Db, DbResult, db_run, now};

/// What a file is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentOwner {
    Proposal(i64),
    BudgetProject(i64),
}

/// The kind of owner, for looking a file up by its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerKind {
    Proposal,
    BudgetProject,
}

impl OwnerKind {
    /// (attachments table, owner column, owner table): fixed names, never input.
    fn tables(self) -> (&'static str, &'static str, &'static str) {
        match self {
            OwnerKind::Proposal => ("attachments", "proposal_id", "proposals"),
            OwnerKind::BudgetProject => (
                "budget_project_attachments",
                "project_id",
                "budget_projects",
            ),
        }
    }
}

impl AttachmentOwner {
    pub fn kind(self) -> OwnerKind {
        match self {
            AttachmentOwner::Proposal(_) => OwnerKind::Proposal,
            AttachmentOwner::BudgetProject(_) => OwnerKind::BudgetProject,
        }
    }

    pub fn id(self) -> i64 {
        match self {
            AttachmentOwner::Proposal(id) | AttachmentOwner::BudgetProject(id) => id,
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttachmentInfo {
    pub id: i64,
    /// The proposal or budget project it is attached to.
    pub owner_id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttachmentFile {
    #[sqlx(flatten)]
    pub info: AttachmentInfo,
    pub data: Vec<u8>,
}

impl Db {
    /// Stores a checked file for its owner, refusing the `max`+1-th file even under concurrent uploads.
    pub async fn attach_file(
        &self,
        owner: AttachmentOwner,
        uploader_id: i64,
        file_name: &str,
        content_type: &str,
        data: &[u8],
        max: i64,
    ) -> DbResult<i64> {
        let (table, column, owners) = owner.kind().tables();
        let touch = format!("UPDATE {owners} SET updated_at = $1 WHERE id = $2");
        let existing = format!("SELECT COUNT(*) FROM {table} WHERE {column} = $1");
        let insert = format!(
            "INSERT INTO {table} ({column}, uploader_id, file_name, content_type, size, data, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"
        );
        let owner_id = owner.id();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            // Touch the owner first: the write takes SQLite's lock and PostgreSQL's row lock, so two
            // uploads cannot both see room for one more file.
            sqlx::query(&touch).bind(now()).bind(owner_id).execute(&mut *tx).await?;
            let existing = sqlx::query_scalar::<_, i64>(&existing).bind(owner_id).fetch_one(&mut *tx).await?;
            if existing >= max {
                return Err(crate::refused(maeul_domain::attachment::AttachmentError::TooMany { max: max as usize }));
            }
            let id = sqlx::query_scalar::<_, i64>(&insert)
                .bind(owner_id).bind(uploader_id).bind(file_name).bind(content_type).bind(data.len() as i64).bind(data).bind(now())
                .fetch_one(&mut *tx).await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    pub async fn attachments_of(&self, proposal_id: i64) -> DbResult<Vec<AttachmentInfo>> {
        self.files_of(AttachmentOwner::Proposal(proposal_id)).await
    }

    /// An owner's files, oldest first.
    pub async fn files_of(&self, owner: AttachmentOwner) -> DbResult<Vec<AttachmentInfo>> {
        let (table, column, _) = owner.kind().tables();
        let sql = format!(
            "SELECT id, {column} AS owner_id, file_name, content_type, size, created_at FROM {table}
             WHERE {column} = $1 ORDER BY id"
        );
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, AttachmentInfo>(&sql)
            .bind(owner.id()).fetch_all(pool).await?),
        )
    }

    /// The files of every project of a budget process, by project then upload.
    pub async fn project_files_of_process(&self, process_id: i64) -> DbResult<Vec<AttachmentInfo>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, AttachmentInfo>(
            "SELECT a.id, a.project_id AS owner_id, a.file_name, a.content_type, a.size, a.created_at
             FROM budget_project_attachments a JOIN budget_projects p ON p.id = a.project_id
             WHERE p.process_id = $1 ORDER BY a.project_id, a.id")
            .bind(process_id).fetch_all(pool).await?))
    }

    pub async fn attachment(&self, id: i64) -> DbResult<Option<AttachmentFile>> {
        self.file(OwnerKind::Proposal, id).await
    }

    /// A file of an owner kind, with its bytes.
    pub async fn file(&self, kind: OwnerKind, id: i64) -> DbResult<Option<AttachmentFile>> {
        let (table, column, _) = kind.tables();
        let sql = format!(
            "SELECT id, {column} AS owner_id, file_name, content_type, size, created_at, data FROM {table} WHERE id = $1"
        );
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, AttachmentFile>(&sql)
            .bind(id).fetch_optional(pool).await?),
        )
    }
}
