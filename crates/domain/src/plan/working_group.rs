//! Working groups: an adopted item's plan project may have one, of residents and officials, who meet and
//! post dated updates. The scope's staff create it and add members; members post updates.

use super::{ItemState, PlanRefusal};

crate::named_enum! {
    /// Who a working group's member is there as.
    pub enum GroupRole: "working group role", label "plan-group-role-" {
        Resident = "resident",
        Official = "official",
    }
}

/// The longest text of a meeting's minutes or of an update.
pub const GROUP_TEXT_MAX: usize = 5_000;

/// A project gets a working group only when it comes from adopted items (`states`: those of its items).
pub fn check_new_group(states: &[ItemState]) -> Result<(), PlanRefusal> {
    if states.is_empty() || states.iter().any(|s| *s != ItemState::Adopted) {
        Err(PlanRefusal::ItemNotAdopted)
    } else {
        Ok(())
    }
}

/// Only the group's members post its updates.
pub fn check_update_author(is_member: bool) -> Result<(), PlanRefusal> {
    if is_member {
        Ok(())
    } else {
        Err(PlanRefusal::NotAGroupMember)
    }
}

/// An update or a meeting's minutes: trimmed, 1 to [`GROUP_TEXT_MAX`] characters.
pub fn parse_group_text(input: &str) -> Result<String, crate::account::FieldError> {
    let text = input.trim().replace("\r\n", "\n");
    match text.chars().count() {
        0 => Err(crate::account::FieldError::Required),
        n if n > GROUP_TEXT_MAX => Err(crate::account::FieldError::TooLong {
            max: GROUP_TEXT_MAX,
        }),
        _ => Ok(text),
    }
}
