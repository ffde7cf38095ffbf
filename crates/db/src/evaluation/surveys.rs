//! Resident satisfaction surveys (migration 0016): a survey of a scope and year about a tracked project, a
//! plan or the scope itself, its questions, and responses — one per person and survey, which the unique
//! index `survey_responses_once` enforces whatever the callers race to do.
use maeul_domain::Refusal;
use maeul_domain::evaluation::{
    self, Answer, EvaluationRefusal, QuestionKind, Respondent, SurveyState, SurveySubject,
};

use crate::{BeginWrite, Db, DbError, DbResult, db_run, now, refused};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SurveyRow {
    pub id: i64,
    pub scope_id: i64,
    pub year: i64,
    #[sqlx(try_from = "String")]
    pub subject_kind: SurveySubject,
    pub subject_id: Option<i64>,
    pub title: String,
    pub intro: String,
    #[sqlx(try_from = "String")]
    pub state: SurveyState,
    pub created_at: i64,
    pub closed_at: Option<i64>,
    pub responses: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QuestionRow {
    pub id: i64,
    pub survey_id: i64,
    pub position: i64,
    #[sqlx(try_from = "String")]
    pub kind: QuestionKind,
    pub prompt: String,
}

/// A new survey with its questions (checked by the service).
#[derive(Debug, Clone)]
pub struct NewSurvey<'a> {
    pub scope_id: i64,
    pub year: i64,
    pub subject: SurveySubject,
    pub subject_id: Option<i64>,
    pub title: &'a str,
    pub intro: &'a str,
    pub questions: &'a [(QuestionKind, String)],
    pub created_by: Option<i64>,
}

const SELECT_SURVEY: &str =
    "SELECT s.id, s.scope_id, s.year, s.subject_kind, s.subject_id, s.title,
    s.intro, s.state, s.created_at, s.closed_at,
    (SELECT COUNT(*) FROM survey_responses r WHERE r.survey_id = s.id) AS responses FROM surveys s";

impl Db {
    /// Opens a survey with its questions, in one transaction.
    pub async fn create_survey(&self, new: &NewSurvey<'_>) -> DbResult<i64> {
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO surveys (scope_id, year, subject_kind, subject_id, title, intro, state, created_by, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8) RETURNING id")
                .bind(new.scope_id).bind(new.year).bind(new.subject.as_str()).bind(new.subject_id)
                .bind(new.title).bind(new.intro).bind(new.created_by).bind(at)
                .fetch_one(&mut *tx).await?;
            for (i, (kind, prompt)) in new.questions.iter().enumerate() {
                sqlx::query("INSERT INTO survey_questions (survey_id, position, kind, prompt) VALUES ($1, $2, $3, $4)")
                    .bind(id).bind(i as i64 + 1).bind(kind.as_str()).bind(prompt)
                    .execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(id)
        })
    }

    pub async fn survey(&self, id: i64) -> DbResult<Option<SurveyRow>> {
        let sql = format!("{SELECT_SURVEY} WHERE s.id = $1");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, SurveyRow>(&sql).bind(id).fetch_optional(pool).await?),
        )
    }

    /// The surveys of the given scopes, latest first.
    pub async fn surveys_in(&self, scope_ids: &[i64]) -> DbResult<Vec<SurveyRow>> {
        let sql = format!("{SELECT_SURVEY} ORDER BY s.year DESC, s.id DESC");
        let all: Vec<SurveyRow> =
            db_run!(self, pool => sqlx::query_as::<_, SurveyRow>(&sql).fetch_all(pool).await?);
        Ok(all
            .into_iter()
            .filter(|s| scope_ids.contains(&s.scope_id))
            .collect())
    }

    /// The surveys of one scope and year: the evidence of that scope's evaluation cycle.
    pub async fn surveys_of_cycle(&self, scope_id: i64, year: i64) -> DbResult<Vec<SurveyRow>> {
        let sql = format!("{SELECT_SURVEY} WHERE s.scope_id = $1 AND s.year = $2 ORDER BY s.id");
        Ok(
            db_run!(self, pool => sqlx::query_as::<_, SurveyRow>(&sql).bind(scope_id).bind(year).fetch_all(pool).await?),
        )
    }

    pub async fn survey_questions(&self, survey_id: i64) -> DbResult<Vec<QuestionRow>> {
        Ok(db_run!(self, pool => sqlx::query_as::<_, QuestionRow>(
            "SELECT id, survey_id, position, kind, prompt FROM survey_questions WHERE survey_id = $1 ORDER BY position")
            .bind(survey_id).fetch_all(pool).await?))
    }

    pub async fn has_responded(&self, survey_id: i64, user_id: i64) -> DbResult<bool> {
        let n: i64 = db_run!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM survey_responses WHERE survey_id = $1 AND user_id = $2")
            .bind(survey_id).bind(user_id).fetch_one(pool).await?);
        Ok(n > 0)
    }

    /// Records a person's response (`answers`: question id and its checked answer; skipped ones are not
    /// stored). The rules decide (open survey, a resident of its scope, not yet answered); a second response
    /// racing the first meets the unique index and is refused the same way. One transaction.
    pub async fn respond_to_survey(
        &self,
        survey_id: i64,
        user_id: i64,
        resident_of_scope: bool,
        answers: &[(i64, Answer)],
    ) -> DbResult<i64> {
        let survey = self.survey(survey_id).await?.ok_or(DbError::NotFound)?;
        let already_answered = self.has_responded(survey_id, user_id).await?;
        evaluation::may_respond(
            survey.state,
            Respondent {
                resident_of_scope,
                already_answered,
            },
        )
        .map_err(refused)?;
        let questions = self.survey_questions(survey_id).await?;
        if answers
            .iter()
            .any(|(q, _)| !questions.iter().any(|x| x.id == *q))
        {
            return Err(DbError::NotFound);
        }
        let at = now();
        db_run!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let inserted = sqlx::query_scalar(
                "INSERT INTO survey_responses (survey_id, user_id, submitted_at) VALUES ($1, $2, $3) RETURNING id")
                .bind(survey_id).bind(user_id).bind(at).fetch_one(&mut *tx).await;
            let id: i64 = match inserted {
                Err(sqlx::Error::Database(d)) if d.is_unique_violation() =>
                    return Err(refused(EvaluationRefusal::AlreadyResponded)),
                other => other?,
            };
            // The survey is still open when the response is written (closing races answering).
            let open: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM surveys WHERE id = $1 AND state = 'open'")
                .bind(survey_id).fetch_one(&mut *tx).await?;
            if open == 0 {
                return Err(refused(EvaluationRefusal::SurveyClosed));
            }
            for (question, answer) in answers {
                let (likert, text) = match answer {
                    Answer::Likert(v) => (Some(*v), None),
                    Answer::Text(t) => (None, Some(t.as_str())),
                    Answer::Skipped => continue,
                };
                sqlx::query("INSERT INTO survey_answers (response_id, question_id, likert, text) VALUES ($1, $2, $3, $4)")
                    .bind(id).bind(question).bind(likert).bind(text).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Closes an open survey (compare-and-set).
    pub async fn close_survey(&self, survey_id: i64) -> DbResult<()> {
        let n = db_run!(self, pool => sqlx::query(
            "UPDATE surveys SET state = 'closed', closed_at = $1 WHERE id = $2 AND state = 'open'")
            .bind(now()).bind(survey_id).execute(pool).await?.rows_affected());
        if n == 0 {
            return Err(match self.survey(survey_id).await? {
                None => DbError::NotFound,
                Some(_) => DbError::Refused(Refusal::Stale),
            });
        }
        Ok(())
    }

    /// Every Likert answer of a survey: (question id, 1–5).
    pub async fn survey_likert_answers(&self, survey_id: i64) -> DbResult<Vec<(i64, i64)>> {
        Ok(db_run!(self, pool => sqlx::query_as(
            "SELECT a.question_id, a.likert FROM survey_answers a JOIN survey_questions q ON q.id = a.question_id
             WHERE q.survey_id = $1 AND a.likert IS NOT NULL ORDER BY a.question_id, a.response_id")
            .bind(survey_id).fetch_all(pool).await?))
    }

    /// Every short answer of a survey: (question id, text), oldest first.
    pub async fn survey_text_answers(&self, survey_id: i64) -> DbResult<Vec<(i64, String)>> {
        Ok(db_run!(self, pool => sqlx::query_as(
            "SELECT a.question_id, a.text FROM survey_answers a JOIN survey_questions q ON q.id = a.question_id
             WHERE q.survey_id = $1 AND a.text IS NOT NULL ORDER BY a.question_id, a.response_id")
            .bind(survey_id).fetch_all(pool).await?))
    }
}
