pub async fn seed(_db: &maeul_db::Db) -> Result<(), maeul_db::DbError> {
    Ok(())
}
