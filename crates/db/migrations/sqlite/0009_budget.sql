-- Issue 12, the decentralized budget: yearly cycles, envelopes handed down the scope tree by a formula
-- (each envelope keeps the terms it received), participatory-budgeting processes with their phases,
-- projects and their review, ballots under a per-process pseudonym (one per voter: UNIQUE), turnout kept
-- apart from the ballots, and the stored result with the engine's explanation.
-- Kept in step with ../postgres/0009_budget.sql.

CREATE TABLE budget_cycles (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    scope_id   INTEGER NOT NULL REFERENCES scopes (id),
    year       INTEGER NOT NULL,
    total      INTEGER NOT NULL CHECK (total >= 0),
    created_at INTEGER NOT NULL,
    UNIQUE (scope_id, year)
);

-- The figures a formula reads about a scope (entered; the evaluation grade is fed by evaluation later).
CREATE TABLE budget_scope_figures (
    scope_id   INTEGER PRIMARY KEY REFERENCES scopes (id),
    population INTEGER NOT NULL DEFAULT 0 CHECK (population >= 0),
    need       INTEGER NOT NULL DEFAULT 0 CHECK (need >= 0),
    grade      INTEGER NOT NULL DEFAULT 0 CHECK (grade >= 0),
    updated_at INTEGER NOT NULL
);

CREATE TABLE budget_envelopes (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    cycle_id         INTEGER NOT NULL REFERENCES budget_cycles (id),
    scope_id         INTEGER NOT NULL REFERENCES scopes (id),
    parent_id        INTEGER REFERENCES budget_envelopes (id),
    amount           INTEGER NOT NULL CHECK (amount >= 0),
    -- What this envelope received from each term of its parent's formula (0 at the top).
    term_base        INTEGER NOT NULL DEFAULT 0,
    term_population  INTEGER NOT NULL DEFAULT 0,
    term_need        INTEGER NOT NULL DEFAULT 0,
    term_grade       INTEGER NOT NULL DEFAULT 0,
    -- The formula this envelope hands down with (null until it is split).
    own_permille     INTEGER,
    w_base           INTEGER,
    w_population     INTEGER,
    w_need           INTEGER,
    w_grade          INTEGER,
    own_amount       INTEGER,
    unawarded        TEXT NOT NULL DEFAULT 'return' CHECK (unawarded IN ('return', 'carry_over')),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    UNIQUE (cycle_id, scope_id)
);
CREATE INDEX budget_envelopes_parent ON budget_envelopes (parent_id);

CREATE TABLE budget_processes (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    envelope_id   INTEGER NOT NULL REFERENCES budget_envelopes (id),
    scope_id      INTEGER NOT NULL REFERENCES scopes (id),
    title         TEXT NOT NULL,
    phase         TEXT NOT NULL CHECK (phase IN ('configured', 'proposals_open', 'department_review', 'committee_deliberation', 'ballot_fixed', 'voting_open', 'voting_closed', 'tallied', 'approved', 'implementing', 'completed', 'cancelled')),
    cancel_reason TEXT NOT NULL DEFAULT '',
    budget        INTEGER NOT NULL CHECK (budget >= 0),
    rule          TEXT NOT NULL,
    ballot_kind   TEXT NOT NULL CHECK (ballot_kind IN ('approval', 'knapsack', 'cumulative', 'ranking')),
    min_projects  INTEGER NOT NULL DEFAULT 0,
    max_projects  INTEGER NOT NULL DEFAULT 0,
    points        INTEGER NOT NULL DEFAULT 0,
    min_age       INTEGER NOT NULL DEFAULT 0,
    pseudonym_key TEXT NOT NULL,
    created_by    INTEGER REFERENCES users (id),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX budget_processes_scope ON budget_processes (scope_id, id);

CREATE TABLE budget_phase_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    process_id INTEGER NOT NULL REFERENCES budget_processes (id),
    from_phase TEXT NOT NULL,
    to_phase   TEXT NOT NULL,
    actor_id   INTEGER REFERENCES users (id),
    reason     TEXT NOT NULL DEFAULT '',
    at         INTEGER NOT NULL
);
CREATE INDEX budget_phase_log_process ON budget_phase_log (process_id, id);

CREATE TABLE budget_projects (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    process_id    INTEGER NOT NULL REFERENCES budget_processes (id),
    proposer_id   INTEGER REFERENCES users (id),
    title         TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    category      TEXT NOT NULL DEFAULT '',
    location      TEXT NOT NULL DEFAULT '',
    cost          INTEGER NOT NULL CHECK (cost > 0),
    months        INTEGER,
    state         TEXT NOT NULL CHECK (state IN ('submitted', 'feasible', 'infeasible', 'shortlisted', 'not_shortlisted', 'withdrawn')),
    review_reason TEXT NOT NULL DEFAULT '',
    reviewed_by   INTEGER REFERENCES users (id),
    proposal_id   INTEGER REFERENCES proposals (id),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX budget_projects_process ON budget_projects (process_id, id);

-- One ballot per voter and process: the pseudonym is HMAC(process key, user id), never the account id.
CREATE TABLE budget_ballots (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    process_id INTEGER NOT NULL REFERENCES budget_processes (id),
    pseudonym  TEXT NOT NULL,
    ballot     TEXT NOT NULL,
    revision   INTEGER NOT NULL DEFAULT 1,
    cast_at    INTEGER NOT NULL,
    UNIQUE (process_id, pseudonym)
);

-- Who voted (not how): turnout by neighbourhood, and the one-channel rule (online or paper).
CREATE TABLE budget_turnout (
    process_id INTEGER NOT NULL REFERENCES budget_processes (id),
    user_id    INTEGER NOT NULL REFERENCES users (id),
    home_scope INTEGER REFERENCES scopes (id),
    channel    TEXT NOT NULL CHECK (channel IN ('online', 'paper')),
    first_at   INTEGER NOT NULL,
    last_at    INTEGER NOT NULL,
    PRIMARY KEY (process_id, user_id)
);

CREATE TABLE budget_results (
    process_id  INTEGER PRIMARY KEY REFERENCES budget_processes (id),
    rule        TEXT NOT NULL,
    selected    TEXT NOT NULL,
    total_cost  INTEGER NOT NULL,
    ballots     INTEGER NOT NULL,
    explanation TEXT NOT NULL,
    tallied_at  INTEGER NOT NULL
);
