//! Files attached to proposals, kept in the database (backups hold them; no second store to keep in
//! step). What is accepted is decided by `maeul_domain::attachment`.
use crate::{BeginWrite, Db, DbResult, db_run, now};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttachmentInfo {
    pub id: i64,
    pub proposal_id: i64,
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
    /// Stores a checked file, refusing a proposal's `max`+1-th file even under concurrent uploads.
    pub async fn add_attachment(
        &self,
        proposal_id: i64,
        uploader_id: i64,
        file_name: &str,
        content_type: &str,
        data: &[u8],
        max: i64,
    ) -> DbResult<i64> {
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            // Touch the proposal first: the write takes SQLite's lock and PostgreSQL's row lock, so two
            // uploads cannot both see room for one more file.
            sqlx::query("UPDATE proposals SET updated_at = $1 WHERE id = $2").bind(now()).bind(proposal_id)
                .execute(&mut *tx).await?;
            let existing = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM attachments WHERE proposal_id = $1")
                .bind(proposal_id).fetch_one(&mut *tx).await?;
            if existing >= max {
                return Err(crate::refused(maeul_domain::attachment::AttachmentError::TooMany { max: max as usize }));
            }
            let id = sqlx::query_scalar::<_, i64>(
                "INSERT INTO attachments (proposal_id, uploader_id, file_name, content_type, size, data, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
                .bind(proposal_id).bind(uploader_id).bind(file_name).bind(content_type).bind(data.len() as i64).bind(data).bind(now())
                .fetch_one(&mut *tx).await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    pub async fn attachments_of(&self, proposal_id: i64) -> DbResult<Vec<AttachmentInfo>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, AttachmentInfo>(
            "SELECT id, proposal_id, file_name, content_type, size, created_at FROM attachments WHERE proposal_id = $1 ORDER BY id")
            .bind(proposal_id).fetch_all(pool).await?))
    }

    pub async fn attachment(&self, id: i64) -> DbResult<Option<AttachmentFile>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, AttachmentFile>(
            "SELECT id, proposal_id, file_name, content_type, size, created_at, data FROM attachments WHERE id = $1")
            .bind(id).fetch_optional(pool).await?))
    }
}
