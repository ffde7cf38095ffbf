-- Public sphere, part 1: resident proposals, their supports, transitions, obligations and official answers.
-- Kept in step with ../postgres/0002_proposals.sql.

CREATE TABLE proposals (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    scope_id           INTEGER NOT NULL REFERENCES scopes (id),
    author_id          INTEGER NOT NULL REFERENCES users (id),
    title              TEXT NOT NULL,
    body               TEXT NOT NULL,
    category           TEXT NOT NULL DEFAULT '',
    state              TEXT NOT NULL,
    support_count      INTEGER NOT NULL DEFAULT 0,
    forum_participants INTEGER NOT NULL DEFAULT 0,
    created_at         INTEGER NOT NULL,
    collecting_until   INTEGER,
    updated_at         INTEGER NOT NULL
);
CREATE INDEX proposals_scope_state ON proposals (scope_id, state, id);
CREATE INDEX proposals_author ON proposals (author_id);

CREATE TABLE proposal_supports (
    proposal_id INTEGER NOT NULL REFERENCES proposals (id),
    user_id     INTEGER NOT NULL REFERENCES users (id),
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (proposal_id, user_id)
);

CREATE TABLE proposal_transitions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    proposal_id INTEGER NOT NULL REFERENCES proposals (id),
    from_state  TEXT NOT NULL,
    to_state    TEXT NOT NULL,
    actor_id    INTEGER REFERENCES users (id),
    reason      TEXT NOT NULL DEFAULT '',
    at          INTEGER NOT NULL
);
CREATE INDEX proposal_transitions_proposal ON proposal_transitions (proposal_id, id);

CREATE TABLE proposal_obligations (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    proposal_id INTEGER NOT NULL REFERENCES proposals (id),
    responder   TEXT NOT NULL CHECK (responder IN ('department', 'head')),
    created_at  INTEGER NOT NULL,
    due_at      INTEGER NOT NULL,
    answered_at INTEGER,
    UNIQUE (proposal_id, responder)
);
CREATE INDEX proposal_obligations_open ON proposal_obligations (answered_at, due_at);

CREATE TABLE proposal_answers (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    proposal_id INTEGER NOT NULL REFERENCES proposals (id),
    responder   TEXT NOT NULL CHECK (responder IN ('department', 'head')),
    author_id   INTEGER NOT NULL REFERENCES users (id),
    body        TEXT NOT NULL,
    at          INTEGER NOT NULL
);
CREATE INDEX proposal_answers_proposal ON proposal_answers (proposal_id, id);
