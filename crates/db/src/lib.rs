//! maeul-db
