pub mod assembly;
pub mod groups;
pub mod items;
pub mod plans;

use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    pub notice: Option<String>,
}
