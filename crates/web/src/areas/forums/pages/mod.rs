pub mod conversations;
pub mod map;

use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    pub notice: Option<String>,
}
