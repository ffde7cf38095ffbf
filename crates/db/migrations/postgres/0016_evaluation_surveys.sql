-- Issue 15, results-based evaluation, continued: resident satisfaction surveys (tied to a tracked project, a
-- plan or a scope; Likert and short-answer questions; one response per person, enforced by a unique index;
-- their results are evidence in the scope's evaluation cycle of the survey's year) and the disaggregation of
-- an indicator's actual (by gender, age band or neighbourhood; values in thousandths like the periods').
-- Kept in step with ../sqlite/0016_evaluation_surveys.sql.

CREATE TABLE surveys (
    id           BIGSERIAL PRIMARY KEY,
    scope_id     BIGINT NOT NULL REFERENCES scopes (id),
    year         BIGINT NOT NULL,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('scope', 'tracked_project', 'plan')),
    subject_id   BIGINT,
    title        TEXT NOT NULL,
    intro        TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL CHECK (state IN ('open', 'closed')),
    created_by   BIGINT REFERENCES users (id),
    created_at   BIGINT NOT NULL,
    closed_at    BIGINT
);
CREATE INDEX surveys_scope ON surveys (scope_id, year);

CREATE TABLE survey_questions (
    id        BIGSERIAL PRIMARY KEY,
    survey_id BIGINT NOT NULL REFERENCES surveys (id),
    position  BIGINT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('likert', 'short_answer')),
    prompt    TEXT NOT NULL,
    UNIQUE (survey_id, position)
);

CREATE TABLE survey_responses (
    id           BIGSERIAL PRIMARY KEY,
    survey_id    BIGINT NOT NULL REFERENCES surveys (id),
    user_id      BIGINT NOT NULL REFERENCES users (id),
    submitted_at BIGINT NOT NULL
);
-- One response per person and survey.
CREATE UNIQUE INDEX survey_responses_once ON survey_responses (survey_id, user_id);

CREATE TABLE survey_answers (
    response_id BIGINT NOT NULL REFERENCES survey_responses (id),
    question_id BIGINT NOT NULL REFERENCES survey_questions (id),
    likert      BIGINT CHECK (likert BETWEEN 1 AND 5),
    text        TEXT,
    PRIMARY KEY (response_id, question_id)
);
CREATE INDEX survey_answers_question ON survey_answers (question_id);

CREATE TABLE evaluation_disaggregations (
    indicator_id BIGINT NOT NULL REFERENCES evaluation_indicators (id),
    year         BIGINT NOT NULL,
    dimension    TEXT NOT NULL CHECK (dimension IN ('gender', 'age_band', 'neighbourhood')),
    category     TEXT NOT NULL,
    value_milli  BIGINT NOT NULL,
    position     BIGINT NOT NULL,
    PRIMARY KEY (indicator_id, year, dimension, category)
);
