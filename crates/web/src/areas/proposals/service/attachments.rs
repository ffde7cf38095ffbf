//! Files attached to proposals: accepted from their bytes (PDF, PNG, JPEG), at most three per proposal,
//! while the proposal is the author's draft or awaits moderation; served as private as the proposal.
use maeul_db::attachments::{AttachmentFile, AttachmentOwner};
use maeul_domain::Refusal;
use maeul_domain::attachment::{self, MAX_PER_PROPOSAL};
use maeul_domain::proposal::{ItemRefusal, ProposalState};

use super::items::visible;
use crate::AppState;
use crate::http::{Caller, ServiceError, ServiceResult};

/// Attaches a file to the caller's own proposal; a refused file changes nothing.
pub async fn attach(
    state: &AppState,
    caller: &Caller,
    proposal_id: i64,
    name: &str,
    bytes: &[u8],
) -> ServiceResult<i64> {
    let p = visible(state, Some(caller), proposal_id).await?;
    if p.author_id != caller.id() {
        return Err(Refusal::from(ItemRefusal::NotAuthor).into());
    }
    if !matches!(
        p.state.proposal(),
        Some(ProposalState::Draft | ProposalState::Submitted)
    ) {
        return Err(Refusal::from(ItemRefusal::AttachmentsClosed).into());
    }
    let existing = state.db.attachments_of(proposal_id).await?.len();
    let file_type = attachment::check(bytes, existing).map_err(Refusal::from)?;
    let file_name = attachment::file_name(name, file_type);
    Ok(state
        .db
        .attach_file(
            AttachmentOwner::Proposal(proposal_id),
            caller.id(),
            &file_name,
            file_type.content_type(),
            bytes,
            MAX_PER_PROPOSAL as i64,
        )
        .await?)
}

/// An attachment of a proposal the caller may see.
pub async fn download(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
) -> ServiceResult<AttachmentFile> {
    let file = state
        .db
        .attachment(id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    visible(state, caller, file.info.owner_id).await?;
    Ok(file)
}
