-- Issue 15, results-based evaluation: funded projects tracked to their outcomes (linked to their origin, a
-- budget winner or a plan project, once: a unique index), milestones, implementers' updates with evidence
-- (only verified ones count; every step logged), the yearly evaluation cycle of a scope, indicators with
-- baselines and yearly periods (values in thousandths, so both backends store exact integers), the city's
-- rubric, evaluators' scores (one per evaluator and criterion) and the grade. Applying a grade writes the
-- scope's figure in budget_scope_figures in the same transaction: one record that the envelope formula reads.
-- Kept in step with ../sqlite/0013_evaluation.sql.

CREATE TABLE tracked_projects (
    id          BIGSERIAL PRIMARY KEY,
    scope_id    BIGINT NOT NULL REFERENCES scopes (id),
    parent_id   BIGINT REFERENCES tracked_projects (id),
    origin_kind TEXT CHECK (origin_kind IN ('budget_project', 'plan_project')),
    origin_id   BIGINT,
    year        BIGINT NOT NULL,
    title       TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('planned', 'in_progress', 'delayed', 'completed', 'cancelled')),
    weight      BIGINT NOT NULL DEFAULT 1 CHECK (weight >= 0),
    budget      BIGINT NOT NULL DEFAULT 0 CHECK (budget >= 0),
    spent       BIGINT NOT NULL DEFAULT 0 CHECK (spent >= 0),
    progress    BIGINT NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX tracked_projects_scope ON tracked_projects (scope_id, id);
CREATE UNIQUE INDEX tracked_projects_origin ON tracked_projects (origin_kind, origin_id) WHERE origin_kind IS NOT NULL;

CREATE TABLE tracked_milestones (
    id         BIGSERIAL PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES tracked_projects (id),
    title      TEXT NOT NULL,
    due_at     BIGINT NOT NULL,
    done_at    BIGINT
);
CREATE INDEX tracked_milestones_project ON tracked_milestones (project_id, due_at);

CREATE TABLE tracked_updates (
    id           BIGSERIAL PRIMARY KEY,
    project_id   BIGINT NOT NULL REFERENCES tracked_projects (id),
    author_id    BIGINT NOT NULL REFERENCES users (id),
    body         TEXT NOT NULL,
    progress     BIGINT NOT NULL CHECK (progress BETWEEN 0 AND 100),
    spent        BIGINT CHECK (spent >= 0),
    state        TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'returned', 'verified')),
    comment      TEXT NOT NULL DEFAULT '',
    decided_by   BIGINT REFERENCES users (id),
    created_at   BIGINT NOT NULL,
    decided_at   BIGINT
);
CREATE INDEX tracked_updates_project ON tracked_updates (project_id, id);

CREATE TABLE tracked_update_evidence (
    id        BIGSERIAL PRIMARY KEY,
    update_id BIGINT NOT NULL REFERENCES tracked_updates (id),
    url       TEXT NOT NULL,
    label     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX tracked_update_evidence_update ON tracked_update_evidence (update_id);

CREATE TABLE tracked_update_log (
    id         BIGSERIAL PRIMARY KEY,
    update_id  BIGINT NOT NULL REFERENCES tracked_updates (id),
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    actor_id   BIGINT REFERENCES users (id),
    comment    TEXT NOT NULL DEFAULT '',
    at         BIGINT NOT NULL
);
CREATE INDEX tracked_update_log_update ON tracked_update_log (update_id, id);

CREATE TABLE evaluation_cycles (
    id          BIGSERIAL PRIMARY KEY,
    scope_id    BIGINT NOT NULL REFERENCES scopes (id),
    year        BIGINT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('indicators_defined', 'measuring', 'self_assessed', 'external_review', 'graded', 'feedback_applied', 'published')),
    narrative   TEXT NOT NULL DEFAULT '',
    achievement BIGINT,
    rubric      BIGINT,
    points      BIGINT,
    grade       TEXT CHECK (grade IN ('ga', 'na', 'da', 'ra')),
    graded_by   BIGINT REFERENCES users (id),
    graded_at   BIGINT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    UNIQUE (scope_id, year)
);

CREATE TABLE evaluation_cycle_log (
    id         BIGSERIAL PRIMARY KEY,
    cycle_id   BIGINT NOT NULL REFERENCES evaluation_cycles (id),
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    actor_id   BIGINT REFERENCES users (id),
    at         BIGINT NOT NULL
);
CREATE INDEX evaluation_cycle_log_cycle ON evaluation_cycle_log (cycle_id, id);

CREATE TABLE evaluation_indicators (
    id             BIGSERIAL PRIMARY KEY,
    cycle_id       BIGINT NOT NULL REFERENCES evaluation_cycles (id),
    project_id     BIGINT REFERENCES tracked_projects (id),
    code           TEXT NOT NULL,
    name           TEXT NOT NULL,
    level          TEXT NOT NULL CHECK (level IN ('output', 'outcome', 'process')),
    kind           TEXT NOT NULL CHECK (kind IN ('number', 'percentage', 'ordinal', 'qualitative')),
    better         TEXT NOT NULL CHECK (better IN ('higher', 'lower')),
    aggregation    TEXT NOT NULL CHECK (aggregation IN ('sum', 'average', 'none')),
    unit           TEXT NOT NULL DEFAULT '',
    baseline_year  BIGINT,
    baseline_milli BIGINT,
    created_at     BIGINT NOT NULL
);
CREATE INDEX evaluation_indicators_cycle ON evaluation_indicators (cycle_id, id);
CREATE INDEX evaluation_indicators_project ON evaluation_indicators (project_id);

CREATE TABLE evaluation_periods (
    indicator_id      BIGINT NOT NULL REFERENCES evaluation_indicators (id),
    year              BIGINT NOT NULL,
    target_milli      BIGINT,
    actual_milli      BIGINT,
    numerator_milli   BIGINT,
    denominator_milli BIGINT,
    note              TEXT NOT NULL DEFAULT '',
    recorded_by       BIGINT REFERENCES users (id),
    recorded_at       BIGINT,
    PRIMARY KEY (indicator_id, year)
);

-- The rubric the city configures (one row per criterion).
CREATE TABLE evaluation_rubric (
    id        BIGSERIAL PRIMARY KEY,
    criterion TEXT NOT NULL,
    weight    BIGINT NOT NULL CHECK (weight >= 0),
    max_score BIGINT NOT NULL CHECK (max_score > 0)
);
INSERT INTO evaluation_rubric (criterion, weight, max_score) VALUES
    ('목표와 지표의 적합성', 2, 5),
    ('협치 과정과 주민 참여', 3, 5),
    ('성과 달성', 3, 5),
    ('환류와 개선', 2, 5);

CREATE TABLE evaluation_scores (
    cycle_id     BIGINT NOT NULL REFERENCES evaluation_cycles (id),
    evaluator_id BIGINT NOT NULL REFERENCES users (id),
    criterion_id BIGINT NOT NULL REFERENCES evaluation_rubric (id),
    score        BIGINT NOT NULL CHECK (score >= 0),
    comment      TEXT NOT NULL DEFAULT '',
    scored_at    BIGINT NOT NULL,
    PRIMARY KEY (cycle_id, evaluator_id, criterion_id)
);
