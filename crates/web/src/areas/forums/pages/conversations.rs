//! Conversations' pages: a scope's list with staff's form to start one; a conversation's page with one
//! statement at a time (a plain form per vote: works without JavaScript, comfortable on a phone), the
//! statement form, the statements with their votes, moderators' and staff's forms.
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use maeul_db::forums::ConversationRow;
use maeul_domain::forum::{ConversationState, ModerationMode, Participation, StatementState};
use maeul_domain::{ObjectKind, Scope};
use serde::Deserialize;

use super::NoticeQuery;
use crate::AppState;
use crate::areas::forums::service::conversations::{
    self, ATTACHABLE, ConversationInput, ConversationView,
};
use crate::areas::forums::service::participation;
use crate::areas::forums::views::NOTICES;
use crate::http::{
    Alert, Crumbs, CsrfForm, Ctx, FormErrors, PageError, PagePath, PageQuery, ServiceError, notice,
    page_status, render,
};

#[derive(Deserialize, Default)]
pub struct ConversationForm {
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub participation: String,
    #[serde(default)]
    pub moderation: String,
    #[serde(default)]
    pub object_kind: String,
    #[serde(default)]
    pub object_id: String,
    #[serde(default)]
    pub open: String,
}

#[derive(askama::Template)]
#[template(path = "forums/list.html")]
struct ListPage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    scope: Scope,
    conversations: Vec<ConversationRow>,
    may_create: bool,
    form: ConversationForm,
    errors: FormErrors,
    participations: &'static [Participation],
    moderations: &'static [ModerationMode],
    kinds: &'static [ObjectKind],
}

async fn list_page(
    state: &AppState,
    ctx: &Ctx,
    code: &str,
    form: ConversationForm,
    errors: FormErrors,
) -> Result<Response, PageError> {
    let v = conversations::list(state, ctx.caller(), code).await?;
    let status = errors.status();
    let page = render(&ListPage {
        crumbs: Crumbs::within(ctx, &v.scope).current(ctx.t("forum-list-title")),
        ctx,
        scope: v.scope,
        conversations: v.conversations,
        may_create: v.may_create,
        form,
        errors,
        participations: <Participation as maeul_domain::Named>::ALL,
        moderations: <ModerationMode as maeul_domain::Named>::ALL,
        kinds: ATTACHABLE,
    })?;
    Ok((status, page).into_response())
}

pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
) -> Result<Response, PageError> {
    list_page(
        &state,
        &ctx,
        &code,
        ConversationForm::default(),
        FormErrors::default(),
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(code): PagePath<String>,
    CsrfForm(form): CsrfForm<ConversationForm>,
) -> Result<Response, PageError> {
    let input = ConversationInput {
        topic: &form.topic,
        description: &form.description,
        participation: &form.participation,
        moderation: &form.moderation,
        object_kind: &form.object_kind,
        object_id: &form.object_id,
        open: form.open == "yes",
    };
    match conversations::create(&state, ctx.caller(), &code, &input).await {
        Ok(id) => Ok(
            Redirect::to(&format!("/conversations/{id}?notice=forum-notice-saved")).into_response(),
        ),
        Err(ServiceError::Refused(r)) => {
            let errors = FormErrors::from_refusal(&ctx, &r, "topic");
            list_page(&state, &ctx, &code, form, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(askama::Template)]
#[template(path = "forums/conversation.html")]
struct ConversationPage<'a> {
    ctx: &'a Ctx,
    crumbs: Crumbs,
    v: ConversationView,
    notice: Option<String>,
    alert: Option<Alert>,
    errors: FormErrors,
    body: String,
    /// Staff's next step (event, label id).
    step: Option<(&'static str, &'static str)>,
}

impl ConversationPage<'_> {
    fn is_open(&self) -> bool {
        self.v.conversation.state == ConversationState::Open
    }
    fn is_closed(&self) -> bool {
        self.v.conversation.state == ConversationState::Closed
    }
    /// Open, and the caller may take part: the statement form shows.
    fn may_write(&self) -> bool {
        self.is_open() && matches!(self.v.take_part, Some(Ok(())))
    }
    fn is_pending(&self, s: &StatementState) -> bool {
        *s == StatementState::Pending
    }
    fn is_hidden(&self, s: &StatementState) -> bool {
        *s == StatementState::Hidden
    }
    fn object_href(&self) -> Option<String> {
        let o = self.v.conversation.object()?;
        Some(match o.kind {
            ObjectKind::AgendaItem => format!("/agenda-items/{}", o.id),
            ObjectKind::Proposal => format!("/proposals/{}", o.id),
            ObjectKind::Debate => format!("/debates/{}", o.id),
            ObjectKind::BudgetProcess => format!("/budgets/{}", o.id),
            ObjectKind::CommitteeMeeting => format!("/meetings/{}", o.id),
            _ => return None,
        })
    }
    fn refusal_text(&self) -> Option<String> {
        match &self.v.take_part {
            Some(Err(r)) => Some(self.ctx.message(&crate::i18n::Message::refusal(r))),
            _ => None,
        }
    }
}

async fn conversation_page(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    notice_key: Option<&str>,
    alert: Option<Alert>,
    errors: FormErrors,
    body: String,
) -> Result<Response, PageError> {
    let v = conversations::view(state, ctx.caller(), id).await?;
    let step = if v.may_manage {
        match v.conversation.state {
            ConversationState::Draft => Some(("open", "forum-event-open")),
            ConversationState::Open => Some(("close", "forum-event-close")),
            _ => None,
        }
    } else {
        None
    };
    let status = page_status(&errors, alert.as_ref());
    let page = render(&ConversationPage {
        crumbs: Crumbs::within(ctx, &v.scope)
            .link(
                format!("/scopes/{}/conversations", v.scope.code),
                ctx.t("forum-list-title"),
            )
            .current(&v.conversation.topic),
        ctx,
        notice: notice(ctx, notice_key, NOTICES),
        alert,
        errors,
        body,
        step,
        v,
    })?;
    Ok((status, page).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    PageQuery(q): PageQuery<NoticeQuery>,
) -> Result<Response, PageError> {
    conversation_page(
        &state,
        &ctx,
        id,
        q.notice.as_deref(),
        None,
        FormErrors::default(),
        String::new(),
    )
    .await
}

/// Back to the conversation with a notice, or its page with the refusal.
async fn after<T>(
    state: &AppState,
    ctx: &Ctx,
    id: i64,
    result: Result<T, ServiceError>,
    notice: &str,
    body: String,
) -> Result<Response, PageError> {
    match result {
        Ok(_) => {
            Ok(Redirect::to(&format!("/conversations/{id}?notice={notice}#next")).into_response())
        }
        Err(ServiceError::Refused(r)) if !r.fields().is_empty() => {
            let errors = FormErrors::from_refusal(ctx, &r, "body");
            conversation_page(state, ctx, id, None, None, errors, body).await
        }
        Err(ServiceError::Refused(r)) => {
            let alert = Some(Alert::refusal(ctx, &r));
            conversation_page(state, ctx, id, None, alert, FormErrors::default(), body).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
pub struct StepForm {
    #[serde(default)]
    pub event: String,
    #[serde(default)]
    pub report: String,
}

pub async fn step(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<StepForm>,
) -> Result<Response, PageError> {
    let result = conversations::step(&state, ctx.caller(), id, &form.event, &form.report).await;
    after(
        &state,
        &ctx,
        id,
        result,
        "forum-notice-saved",
        String::new(),
    )
    .await
}

#[derive(Deserialize, Default)]
pub struct VoteForm {
    #[serde(default)]
    pub statement: String,
    #[serde(default)]
    pub vote: String,
}

pub async fn vote(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<VoteForm>,
) -> Result<Response, PageError> {
    // Anonymous visitors are sent to sign in before their form is read.
    ctx.caller().ok_or(PageError::Unauthorized)?;
    let result = match form.statement.trim().parse::<i64>() {
        Ok(statement) => participation::vote(&state, ctx.caller(), id, statement, &form.vote).await,
        Err(_) => Err(maeul_domain::Refusal::field(
            "statement",
            maeul_domain::account::FieldError::Invalid,
        )
        .into()),
    };
    after(
        &state,
        &ctx,
        id,
        result,
        "forum-notice-voted",
        String::new(),
    )
    .await
}

#[derive(Deserialize, Default)]
pub struct StatementForm {
    #[serde(default)]
    pub body: String,
}

pub async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(id): PagePath<i64>,
    CsrfForm(form): CsrfForm<StatementForm>,
) -> Result<Response, PageError> {
    match participation::submit(&state, ctx.caller(), id, &form.body).await {
        Ok((_, true)) => Ok(Redirect::to(&format!(
            "/conversations/{id}?notice=forum-notice-statement-shown"
        ))
        .into_response()),
        Ok((_, false)) => Ok(Redirect::to(&format!(
            "/conversations/{id}?notice=forum-notice-statement-pending"
        ))
        .into_response()),
        other => after(&state, &ctx, id, other, "", form.body).await,
    }
}

#[derive(Deserialize, Default)]
pub struct ModerationForm {
    #[serde(default)]
    pub decision: String,
}

pub async fn moderate(
    State(state): State<AppState>,
    ctx: Ctx,
    PagePath(statement): PagePath<i64>,
    CsrfForm(form): CsrfForm<ModerationForm>,
) -> Result<Response, PageError> {
    let id = match participation::moderate(&state, ctx.caller(), statement, &form.decision).await {
        Ok(id) => id,
        Err(ServiceError::Refused(r)) => {
            let conversation = state
                .db
                .forum_statement(statement)
                .await?
                .ok_or(ServiceError::NotFound)?
                .conversation_id;
            return after::<()>(
                &state,
                &ctx,
                conversation,
                Err(ServiceError::Refused(r)),
                "",
                String::new(),
            )
            .await;
        }
        Err(e) => return Err(e.into()),
    };
    Ok(Redirect::to(&format!("/conversations/{id}?notice=forum-notice-saved")).into_response())
}
