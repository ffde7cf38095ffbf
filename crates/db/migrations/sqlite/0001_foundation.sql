-- Foundation schema: the city's structure, accounts, sessions, roles, residence, mail outbox.
-- Kept in step with ../postgres/0001_foundation.sql: same tables, columns and meaning; only types differ.
-- Timestamps are unix seconds (INTEGER) on both backends.

CREATE TABLE scopes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    code        TEXT NOT NULL UNIQUE,
    code_scheme TEXT NOT NULL DEFAULT 'mois',
    kind        TEXT NOT NULL CHECK (kind IN ('city', 'district', 'neighbourhood')),
    parent_id   INTEGER REFERENCES scopes (id),
    name_ko     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX scopes_parent ON scopes (parent_id);

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    email               TEXT NOT NULL UNIQUE,
    display_name        TEXT NOT NULL,
    password_hash       TEXT NOT NULL,
    lang                TEXT NOT NULL DEFAULT 'ko',
    created_at          INTEGER NOT NULL,
    password_changed_at INTEGER NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash   TEXT NOT NULL UNIQUE,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    label        TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    revoked_at   INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE role_grants (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role       TEXT NOT NULL,
    scope_id   INTEGER NOT NULL REFERENCES scopes (id),
    granted_by INTEGER REFERENCES users (id),
    granted_at INTEGER NOT NULL,
    UNIQUE (user_id, role, scope_id)
);

CREATE TABLE residencies (
    user_id       INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    scope_id      INTEGER NOT NULL REFERENCES scopes (id),
    basis         TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending', 'verified', 'rejected', 'revoked')),
    identity_hash TEXT,
    declared_at   INTEGER NOT NULL,
    decided_by    INTEGER REFERENCES users (id),
    decided_at    INTEGER,
    decision_note TEXT
);
CREATE INDEX residencies_scope_status ON residencies (scope_id, status);

CREATE TABLE register_entries (
    identity_hash TEXT NOT NULL,
    scope_id      INTEGER NOT NULL REFERENCES scopes (id),
    imported_by   INTEGER REFERENCES users (id),
    imported_at   INTEGER NOT NULL,
    PRIMARY KEY (identity_hash, scope_id)
);

CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);

CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    to_addr    TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    sent_at    INTEGER,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE INDEX outbox_unsent ON outbox (sent_at, id);

CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_id INTEGER REFERENCES users (id),
    action   TEXT NOT NULL,
    subject  TEXT NOT NULL,
    detail   TEXT NOT NULL DEFAULT '',
    at       INTEGER NOT NULL
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
