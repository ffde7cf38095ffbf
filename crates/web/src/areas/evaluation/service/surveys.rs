//! Resident satisfaction surveys: staff of a scope open one about a tracked project, a plan or the scope
//! (Likert and short-answer questions); verified residents of the scope answer once; anyone reads the
//! results (counts, means and 95 % intervals from the domain's statistics), which the scope's evaluation
//! cycle of the survey's year shows as evidence.
use maeul_db::evaluation::{NewSurvey, QuestionRow, SurveyRow};
use maeul_domain::account::FieldError;
use maeul_domain::evaluation::{
    self, LikertSummary, QUESTIONS_MAX, QuestionKind, SurveyState, SurveySubject, likert_summary,
};
use maeul_domain::{Action, Refusal, Scope};

use super::{is_staff, scope_by_code, scope_by_id};
use crate::AppState;
use crate::areas::accounts::service::Fields;
use crate::http::{Caller, ServiceError, ServiceResult, signed_in};

/// Form field names of the questions' answers, by position (`q1` … `q20`).
pub const ANSWER_FIELDS: [&str; QUESTIONS_MAX] = [
    "q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9", "q10", "q11", "q12", "q13", "q14", "q15",
    "q16", "q17", "q18", "q19", "q20",
];
/// How many question rows the creation form offers.
pub const FORM_QUESTIONS: usize = 6;
/// Form field names of the creation form's question prompts (`prompt1` … `prompt6`).
pub const PROMPT_FIELDS: [&str; FORM_QUESTIONS] = [
    "prompt1", "prompt2", "prompt3", "prompt4", "prompt5", "prompt6",
];

pub struct SurveysView {
    pub scope: Scope,
    pub surveys: Vec<SurveyRow>,
    pub may_create: bool,
}

/// The surveys of a scope and the scopes below it.
pub async fn list(
    state: &AppState,
    caller: Option<&Caller>,
    code: &str,
) -> ServiceResult<SurveysView> {
    let scope = scope_by_code(state, code)?;
    let ids = state.scopes().subtree_ids(scope.id);
    Ok(SurveysView {
        surveys: state.db.surveys_in(&ids).await?,
        may_create: is_staff(state, caller, scope.id),
        scope,
    })
}

/// One question's results.
pub struct QuestionResult {
    pub question: QuestionRow,
    /// For a Likert question.
    pub likert: Option<LikertSummary>,
    /// For a short-answer question: the answers, oldest first.
    pub texts: Vec<String>,
}

pub struct SurveyView {
    pub survey: SurveyRow,
    pub scope: Scope,
    pub results: Vec<QuestionResult>,
    /// The caller may answer now (a verified resident of the scope, not yet answered, survey open).
    pub may_respond: bool,
    pub responded: bool,
    /// The caller is signed in but not a verified resident of the scope.
    pub not_resident: bool,
    pub may_close: bool,
}

pub async fn view(state: &AppState, caller: Option<&Caller>, id: i64) -> ServiceResult<SurveyView> {
    let survey = state.db.survey(id).await?.ok_or(ServiceError::NotFound)?;
    let scope = scope_by_id(state, survey.scope_id)?;
    let questions = state.db.survey_questions(id).await?;
    let likert = state.db.survey_likert_answers(id).await?;
    let texts = state.db.survey_text_answers(id).await?;
    let results = questions
        .into_iter()
        .map(|q| QuestionResult {
            likert: (q.kind == QuestionKind::Likert).then(|| {
                let values: Vec<i64> = likert
                    .iter()
                    .filter(|(qid, _)| *qid == q.id)
                    .map(|(_, v)| *v)
                    .collect();
                likert_summary(&values)
            }),
            texts: texts
                .iter()
                .filter(|(qid, _)| *qid == q.id)
                .map(|(_, t)| t.clone())
                .collect(),
            question: q,
        })
        .collect();
    let resident = caller.is_some_and(|c| resident_of(state, c, survey.scope_id));
    let responded = match caller {
        Some(c) => state.db.has_responded(id, c.id()).await?,
        None => false,
    };
    Ok(SurveyView {
        may_respond: resident && !responded && survey.state == SurveyState::Open,
        not_resident: caller.is_some() && !resident,
        may_close: is_staff(state, caller, scope.id) && survey.state == SurveyState::Open,
        responded,
        results,
        survey,
        scope,
    })
}

/// Is the caller a verified resident of the scope (or of a scope below it)?
fn resident_of(state: &AppState, caller: &Caller, scope_id: i64) -> bool {
    caller.may(&state.scopes(), Action::ParticipateAsResident, scope_id)
}

/// A survey as staff typed it.
pub struct SurveyInput<'a> {
    pub title: &'a str,
    pub intro: &'a str,
    pub year: &'a str,
    /// `scope`, `tracked_project` or `plan`.
    pub subject: &'a str,
    pub subject_id: &'a str,
    /// (kind, prompt) of each question row; rows with a blank prompt are skipped.
    pub questions: Vec<(&'a str, &'a str)>,
}

/// Opens a survey in a scope (its staff). Returns the survey's id.
pub async fn create(
    state: &AppState,
    caller: Option<&Caller>,
    code: &str,
    input: &SurveyInput<'_>,
) -> ServiceResult<i64> {
    let me = signed_in(caller)?;
    let scope = scope_by_code(state, code)?;
    if !is_staff(state, caller, scope.id) {
        return Err(ServiceError::Forbidden);
    }
    let mut fields = Fields::default();
    let title = fields.check("title", evaluation::check_prompt(input.title));
    let intro: String = input.intro.trim().chars().take(2000).collect();
    let year = fields.check(
        "year",
        evaluation::parse_year(input.year).and_then(|y| y.ok_or(FieldError::Required)),
    );
    let subject = SurveySubject::parse(input.subject);
    let subject_id = match subject {
        None => {
            fields.add("subject", FieldError::Invalid);
            None
        }
        Some(SurveySubject::Scope) => None,
        Some(kind) => match input.subject_id.trim().parse::<i64>() {
            Ok(id) if subject_in_scope(state, kind, id, scope.id).await? => Some(id),
            _ => {
                fields.add("subject_id", FieldError::Invalid);
                None
            }
        },
    };
    let mut questions = Vec::new();
    for (i, (kind, prompt)) in input.questions.iter().enumerate() {
        if prompt.trim().is_empty() {
            continue;
        }
        let field = PROMPT_FIELDS.get(i).copied().unwrap_or("questions");
        match (QuestionKind::parse(kind), evaluation::check_prompt(prompt)) {
            (Some(k), Ok(p)) => questions.push((k, p)),
            (None, _) => fields.add(field, FieldError::Invalid),
            (_, Err(e)) => fields.add(field, e),
        }
    }
    if questions.is_empty() {
        fields.add("prompt1", FieldError::Required);
    }
    fields.finish()?;
    let (Some(title), Some(year), Some(subject)) = (title, year, subject) else {
        return Err(Refusal::field("title", FieldError::Invalid).into());
    };
    Ok(state
        .db
        .create_survey(&NewSurvey {
            scope_id: scope.id,
            year,
            subject,
            subject_id,
            title: &title,
            intro: &intro,
            questions: &questions,
            created_by: Some(me.id()),
        })
        .await?)
}

/// Is the tracked project or plan `id` one of `scope_id`'s?
async fn subject_in_scope(
    state: &AppState,
    kind: SurveySubject,
    id: i64,
    scope_id: i64,
) -> ServiceResult<bool> {
    Ok(match kind {
        SurveySubject::Scope => true,
        SurveySubject::TrackedProject => state
            .db
            .tracked_project(id)
            .await?
            .is_some_and(|p| p.scope_id == scope_id),
        SurveySubject::Plan => state
            .db
            .plan(id)
            .await?
            .is_some_and(|p| p.scope_id == scope_id),
    })
}

/// Answers a survey: a verified resident of its scope, once. `answers` are (position, text as typed);
/// a blank answer skips its question, but at least one is answered.
pub async fn respond(
    state: &AppState,
    caller: Option<&Caller>,
    id: i64,
    answers: &[(i64, String)],
) -> ServiceResult<i64> {
    let me = signed_in(caller)?;
    let survey = state.db.survey(id).await?.ok_or(ServiceError::NotFound)?;
    let resident = resident_of(state, me, survey.scope_id);
    // Who may answer is decided before the answers are read.
    evaluation::may_respond(
        survey.state,
        evaluation::Respondent {
            resident_of_scope: resident,
            already_answered: state.db.has_responded(id, me.id()).await?,
        },
    )
    .map_err(Refusal::from)?;
    let questions = state.db.survey_questions(id).await?;
    let mut fields = Fields::default();
    let mut checked = Vec::new();
    for q in &questions {
        let typed = answers
            .iter()
            .find(|(p, _)| *p == q.position)
            .map(|(_, t)| t.as_str())
            .unwrap_or("");
        let field = usize::try_from(q.position - 1)
            .ok()
            .and_then(|i| ANSWER_FIELDS.get(i).copied())
            .unwrap_or("answers");
        if let Some(a) = fields.check(field, evaluation::check_answer(q.kind, typed)) {
            checked.push((q.id, a));
        }
    }
    if !checked.is_empty()
        && checked
            .iter()
            .all(|(_, a)| *a == evaluation::Answer::Skipped)
    {
        fields.add("q1", FieldError::Required);
    }
    fields.finish()?;
    Ok(state
        .db
        .respond_to_survey(id, me.id(), resident, &checked)
        .await?)
}

/// Closes a survey (staff of its scope).
pub async fn close(state: &AppState, caller: Option<&Caller>, id: i64) -> ServiceResult<()> {
    signed_in(caller)?;
    let survey = state.db.survey(id).await?.ok_or(ServiceError::NotFound)?;
    if !is_staff(state, caller, survey.scope_id) {
        return Err(ServiceError::Forbidden);
    }
    Ok(state.db.close_survey(id).await?)
}

/// A survey's headline for the evaluation cycle's evidence: the survey, and the first Likert question's
/// summary (the overall satisfaction question by convention), when it has one.
pub struct SurveyEvidence {
    pub survey: SurveyRow,
    pub headline: Option<(String, LikertSummary)>,
}

/// The surveys of a scope's cycle year, as evidence.
pub async fn evidence(
    state: &AppState,
    scope_id: i64,
    year: i64,
) -> ServiceResult<Vec<SurveyEvidence>> {
    let mut out = Vec::new();
    for survey in state.db.surveys_of_cycle(scope_id, year).await? {
        let questions = state.db.survey_questions(survey.id).await?;
        let first = questions.iter().find(|q| q.kind == QuestionKind::Likert);
        let headline = match first {
            Some(q) => {
                let values: Vec<i64> = state
                    .db
                    .survey_likert_answers(survey.id)
                    .await?
                    .into_iter()
                    .filter(|(qid, _)| *qid == q.id)
                    .map(|(_, v)| v)
                    .collect();
                Some((q.prompt.clone(), likert_summary(&values)))
            }
            None => None,
        };
        out.push(SurveyEvidence { survey, headline });
    }
    Ok(out)
}
