-- Foundation schema: the city's structure, accounts, sessions, roles, residence, mail outbox.
-- Kept in step with ../sqlite/0001_foundation.sql: same tables, columns and meaning; only types differ.
-- Timestamps are unix seconds (BIGINT) on both backends.

CREATE TABLE scopes (
    id          BIGSERIAL PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    code_scheme TEXT NOT NULL DEFAULT 'mois',
    kind        TEXT NOT NULL CHECK (kind IN ('city', 'district', 'neighbourhood')),
    parent_id   BIGINT REFERENCES scopes (id),
    name_ko     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX scopes_parent ON scopes (parent_id);

CREATE TABLE users (
    id                  BIGSERIAL PRIMARY KEY,
    email               TEXT NOT NULL UNIQUE,
    display_name        TEXT NOT NULL,
    password_hash       TEXT NOT NULL,
    lang                TEXT NOT NULL DEFAULT 'ko',
    created_at          BIGINT NOT NULL,
    password_changed_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           BIGSERIAL PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    label        TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    revoked_at   BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE role_grants (
    id         BIGSERIAL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       TEXT NOT NULL,
    scope_id   BIGINT NOT NULL REFERENCES scopes (id),
    granted_by BIGINT REFERENCES users (id),
    granted_at BIGINT NOT NULL,
    UNIQUE (user_id, role, scope_id)
);

CREATE TABLE residencies (
    user_id       BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    scope_id      BIGINT NOT NULL REFERENCES scopes (id),
    basis         TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'verified', 'rejected', 'revoked')),
    identity_hash TEXT,
    declared_at   BIGINT NOT NULL,
    decided_by    BIGINT REFERENCES users (id),
    decided_at    BIGINT,
    decision_note TEXT
);
CREATE INDEX residencies_scope_status ON residencies (scope_id, status);

CREATE TABLE register_entries (
    identity_hash TEXT NOT NULL,
    scope_id      BIGINT NOT NULL REFERENCES scopes (id),
    imported_by   BIGINT REFERENCES users (id),
    imported_at   BIGINT NOT NULL,
    PRIMARY KEY (identity_hash, scope_id)
);

CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);

CREATE TABLE outbox (
    id         BIGSERIAL PRIMARY KEY,
    to_addr    TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    sent_at    BIGINT,
    attempts   BIGINT NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE INDEX outbox_unsent ON outbox (sent_at, id);

CREATE TABLE audit_log (
    id       BIGSERIAL PRIMARY KEY,
    actor_id BIGINT REFERENCES users (id),
    action   TEXT NOT NULL,
    subject  TEXT NOT NULL,
    detail   TEXT NOT NULL DEFAULT '',
    at       BIGINT NOT NULL
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
