-- Public sphere, part 1: resident proposals, their supports, transitions, obligations and official answers.
-- Kept in step with ../sqlite/0002_proposals.sql.

CREATE TABLE proposals (
    id                 BIGSERIAL PRIMARY KEY,
    scope_id           BIGINT NOT NULL REFERENCES scopes (id),
    author_id          BIGINT NOT NULL REFERENCES users (id),
    title              TEXT NOT NULL,
    body               TEXT NOT NULL,
    category           TEXT NOT NULL DEFAULT '',
    state              TEXT NOT NULL,
    support_count      BIGINT NOT NULL DEFAULT 0,
    forum_participants BIGINT NOT NULL DEFAULT 0,
    created_at         BIGINT NOT NULL,
    collecting_until   BIGINT,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX proposals_scope_state ON proposals (scope_id, state, id);
CREATE INDEX proposals_author ON proposals (author_id);

CREATE TABLE proposal_supports (
    proposal_id BIGINT NOT NULL REFERENCES proposals (id),
    user_id     BIGINT NOT NULL REFERENCES users (id),
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (proposal_id, user_id)
);

CREATE TABLE proposal_transitions (
    id          BIGSERIAL PRIMARY KEY,
    proposal_id BIGINT NOT NULL REFERENCES proposals (id),
    from_state  TEXT NOT NULL,
    to_state    TEXT NOT NULL,
    actor_id    BIGINT REFERENCES users (id),
    reason      TEXT NOT NULL DEFAULT '',
    at          BIGINT NOT NULL
);
CREATE INDEX proposal_transitions_proposal ON proposal_transitions (proposal_id, id);

CREATE TABLE proposal_obligations (
    id          BIGSERIAL PRIMARY KEY,
    proposal_id BIGINT NOT NULL REFERENCES proposals (id),
    responder   TEXT NOT NULL CHECK (responder IN ('department', 'head')),
    created_at  BIGINT NOT NULL,
    due_at      BIGINT NOT NULL,
    answered_at BIGINT,
    UNIQUE (proposal_id, responder)
);
CREATE INDEX proposal_obligations_open ON proposal_obligations (answered_at, due_at);

CREATE TABLE proposal_answers (
    id          BIGSERIAL PRIMARY KEY,
    proposal_id BIGINT NOT NULL REFERENCES proposals (id),
    responder   TEXT NOT NULL CHECK (responder IN ('department', 'head')),
    author_id   BIGINT NOT NULL REFERENCES users (id),
    body        TEXT NOT NULL,
    at          BIGINT NOT NULL
);
CREATE INDEX proposal_answers_proposal ON proposal_answers (proposal_id, id);
