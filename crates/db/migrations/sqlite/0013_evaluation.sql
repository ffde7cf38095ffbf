-- Issue 15, results-based evaluation: funded projects tracked to their outcomes (linked to their origin, a
-- budget winner or a plan project, once: a unique index), milestones, implementers' updates with evidence
-- (only verified ones count; every step logged), the yearly evaluation cycle of a scope, indicators with
-- baselines and yearly periods (values in thousandths, so both backends store exact integers), the city's
-- rubric, evaluators' scores (one per evaluator and criterion) and the grade. Applying a grade writes the
-- scope's figure in budget_scope_figures in the same transaction: one record that the envelope formula reads.
-- Kept in step with ../postgres/0013_evaluation.sql.

CREATE TABLE tracked_projects (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    scope_id    INTEGER NOT NULL REFERENCES scopes (id),
    parent_id   INTEGER REFERENCES tracked_projects (id),
    origin_kind TEXT CHECK (origin_kind IN ('budget_project', 'plan_project')),
    origin_id   INTEGER,
    year        INTEGER NOT NULL,
    title       TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('planned', 'in_progress', 'delayed', 'completed', 'cancelled')),
    weight      INTEGER NOT NULL DEFAULT 1 CHECK (weight >= 0),
    budget      INTEGER NOT NULL DEFAULT 0 CHECK (budget >= 0),
    spent       INTEGER NOT NULL DEFAULT 0 CHECK (spent >= 0),
    progress    INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);
CREATE INDEX tracked_projects_scope ON tracked_projects (scope_id, id);
CREATE UNIQUE INDEX tracked_projects_origin ON tracked_projects (origin_kind, origin_id) WHERE origin_kind IS NOT NULL;

CREATE TABLE tracked_milestones (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL REFERENCES tracked_projects (id),
    title      TEXT NOT NULL,
    due_at     INTEGER NOT NULL,
    done_at    INTEGER
);
CREATE INDEX tracked_milestones_project ON tracked_milestones (project_id, due_at);

CREATE TABLE tracked_updates (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id   INTEGER NOT NULL REFERENCES tracked_projects (id),
    author_id    INTEGER NOT NULL REFERENCES users (id),
    body         TEXT NOT NULL,
    progress     INTEGER NOT NULL CHECK (progress BETWEEN 0 AND 100),
    spent        INTEGER CHECK (spent >= 0),
    state        TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'returned', 'verified')),
    comment      TEXT NOT NULL DEFAULT '',
    decided_by   INTEGER REFERENCES users (id),
    created_at   INTEGER NOT NULL,
    decided_at   INTEGER
);
CREATE INDEX tracked_updates_project ON tracked_updates (project_id, id);

CREATE TABLE tracked_update_evidence (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    update_id INTEGER NOT NULL REFERENCES tracked_updates (id),
    url       TEXT NOT NULL,
    label     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX tracked_update_evidence_update ON tracked_update_evidence (update_id);

CREATE TABLE tracked_update_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    update_id  INTEGER NOT NULL REFERENCES tracked_updates (id),
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    actor_id   INTEGER REFERENCES users (id),
    comment    TEXT NOT NULL DEFAULT '',
    at         INTEGER NOT NULL
);
CREATE INDEX tracked_update_log_update ON tracked_update_log (update_id, id);

CREATE TABLE evaluation_cycles (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    scope_id    INTEGER NOT NULL REFERENCES scopes (id),
    year        INTEGER NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('indicators_defined', 'measuring', 'self_assessed', 'external_review', 'graded', 'feedback_applied', 'published')),
    narrative   TEXT NOT NULL DEFAULT '',
    achievement INTEGER,
    rubric      INTEGER,
    points      INTEGER,
    grade       TEXT CHECK (grade IN ('ga', 'na', 'da', 'ra')),
    graded_by   INTEGER REFERENCES users (id),
    graded_at   INTEGER,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (scope_id, year)
);

CREATE TABLE evaluation_cycle_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    cycle_id   INTEGER NOT NULL REFERENCES evaluation_cycles (id),
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    actor_id   INTEGER REFERENCES users (id),
    at         INTEGER NOT NULL
);
CREATE INDEX evaluation_cycle_log_cycle ON evaluation_cycle_log (cycle_id, id);

CREATE TABLE evaluation_indicators (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    cycle_id       INTEGER NOT NULL REFERENCES evaluation_cycles (id),
    project_id     INTEGER REFERENCES tracked_projects (id),
    code           TEXT NOT NULL,
    name           TEXT NOT NULL,
    level          TEXT NOT NULL CHECK (level IN ('output', 'outcome', 'process')),
    kind           TEXT NOT NULL CHECK (kind IN ('number', 'percentage', 'ordinal', 'qualitative')),
    better         TEXT NOT NULL CHECK (better IN ('higher', 'lower')),
    aggregation    TEXT NOT NULL CHECK (aggregation IN ('sum', 'average', 'none')),
    unit           TEXT NOT NULL DEFAULT '',
    baseline_year  INTEGER,
    baseline_milli INTEGER,
    created_at     INTEGER NOT NULL
);
CREATE INDEX evaluation_indicators_cycle ON evaluation_indicators (cycle_id, id);
CREATE INDEX evaluation_indicators_project ON evaluation_indicators (project_id);

CREATE TABLE evaluation_periods (
    indicator_id      INTEGER NOT NULL REFERENCES evaluation_indicators (id),
    year              INTEGER NOT NULL,
    target_milli      INTEGER,
    actual_milli      INTEGER,
    numerator_milli   INTEGER,
    denominator_milli INTEGER,
    note              TEXT NOT NULL DEFAULT '',
    recorded_by       INTEGER REFERENCES users (id),
    recorded_at       INTEGER,
    PRIMARY KEY (indicator_id, year)
);

-- The rubric the city configures (one row per criterion).
CREATE TABLE evaluation_rubric (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    criterion TEXT NOT NULL,
    weight    INTEGER NOT NULL CHECK (weight >= 0),
    max_score INTEGER NOT NULL CHECK (max_score > 0)
);
INSERT INTO evaluation_rubric (criterion, weight, max_score) VALUES
    ('목표와 지표의 적합성', 2, 5),
    ('협치 과정과 주민 참여', 3, 5),
    ('성과 달성', 3, 5),
    ('환류와 개선', 2, 5);

CREATE TABLE evaluation_scores (
    cycle_id     INTEGER NOT NULL REFERENCES evaluation_cycles (id),
    evaluator_id INTEGER NOT NULL REFERENCES users (id),
    criterion_id INTEGER NOT NULL REFERENCES evaluation_rubric (id),
    score        INTEGER NOT NULL CHECK (score >= 0),
    comment      TEXT NOT NULL DEFAULT '',
    scored_at    INTEGER NOT NULL,
    PRIMARY KEY (cycle_id, evaluator_id, criterion_id)
);
