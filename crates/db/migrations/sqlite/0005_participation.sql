-- Public sphere, part 3: debates, follows, notifications and the job queue that sends them, moderation
-- (reports, hidden content, blocked accounts, the log), attachments, and search over comments.
-- Kept in step with ../postgres/0005_participation.sql.

-- A debate is a row of `proposals` with kind 'debate' (states 'debating' / 'concluded', no supports):
-- it shares scope rules, comments, follows, moderation, search and feeds with proposals.
ALTER TABLE proposals ADD COLUMN kind TEXT NOT NULL DEFAULT 'proposal' CHECK (kind IN ('proposal', 'debate'));
ALTER TABLE proposals ADD COLUMN location TEXT NOT NULL DEFAULT '';
ALTER TABLE proposals ADD COLUMN conclusion TEXT NOT NULL DEFAULT '';
ALTER TABLE proposals ADD COLUMN hidden_at INTEGER;
CREATE INDEX proposals_kind_scope ON proposals (kind, scope_id, id);

ALTER TABLE comments ADD COLUMN position TEXT CHECK (position IN ('for', 'against', 'neutral'));
ALTER TABLE comments ADD COLUMN hidden_at INTEGER;
ALTER TABLE comments ADD COLUMN search_terms TEXT NOT NULL DEFAULT '';
CREATE INDEX comments_author ON comments (author_id);

CREATE VIRTUAL TABLE comments_fts USING fts5(
    search_terms,
    content = 'comments',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 0'
);
CREATE TRIGGER comments_fts_insert AFTER INSERT ON comments BEGIN
    INSERT INTO comments_fts (rowid, search_terms) VALUES (new.id, new.search_terms);
END;
CREATE TRIGGER comments_fts_delete AFTER DELETE ON comments BEGIN
    INSERT INTO comments_fts (comments_fts, rowid, search_terms) VALUES ('delete', old.id, old.search_terms);
END;
CREATE TRIGGER comments_fts_update AFTER UPDATE OF search_terms ON comments BEGIN
    INSERT INTO comments_fts (comments_fts, rowid, search_terms) VALUES ('delete', old.id, old.search_terms);
    INSERT INTO comments_fts (rowid, search_terms) VALUES (new.id, new.search_terms);
END;

ALTER TABLE users ADD COLUMN blocked_at INTEGER;
ALTER TABLE users ADD COLUMN email_notifications TEXT NOT NULL DEFAULT 'daily'
    CHECK (email_notifications IN ('immediate', 'daily', 'off'));

CREATE TABLE follows (
    user_id     INTEGER NOT NULL REFERENCES users (id),
    target_kind TEXT NOT NULL CHECK (target_kind IN ('proposal', 'scope', 'user')),
    target_id   INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, target_kind, target_id)
);
CREATE INDEX follows_target ON follows (target_kind, target_id);

CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    kind        TEXT NOT NULL,
    proposal_id INTEGER REFERENCES proposals (id),
    comment_id  INTEGER REFERENCES comments (id),
    actor_id    INTEGER REFERENCES users (id),
    detail      TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    read_at     INTEGER,
    mailed_at   INTEGER
);
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id, read_at);
-- The mail step reads unmailed notifications of the last week each second: bounded by created_at.
CREATE INDEX notifications_unmailed ON notifications (mailed_at, created_at);

-- The persisted job queue: a job is claimed by setting `locked_until`; a worker that dies leaves the lock
-- to expire and the job is retried. `dedupe_key` makes scheduling idempotent (one digest per day).
CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT NOT NULL,
    proposal_id  INTEGER,
    comment_id   INTEGER,
    actor_id     INTEGER,
    detail       TEXT NOT NULL DEFAULT '',
    dedupe_key   TEXT UNIQUE,
    run_at       INTEGER NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER,
    last_error   TEXT,
    done_at      INTEGER,
    created_at   INTEGER NOT NULL
);
CREATE INDEX jobs_due ON jobs (done_at, run_at, id);

ALTER TABLE outbox ADD COLUMN unsubscribe_url TEXT;

CREATE TABLE reports (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    target_kind TEXT NOT NULL CHECK (target_kind IN ('proposal', 'comment')),
    target_id   INTEGER NOT NULL,
    scope_id    INTEGER NOT NULL REFERENCES scopes (id),
    reporter_id INTEGER NOT NULL REFERENCES users (id),
    reason      TEXT NOT NULL,
    details     TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    resolved_at INTEGER,
    resolved_by INTEGER REFERENCES users (id),
    UNIQUE (target_kind, target_id, reporter_id)
);
CREATE INDEX reports_open ON reports (resolved_at, scope_id);

CREATE TABLE moderation_log (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    moderator_id INTEGER REFERENCES users (id), -- NULL: hidden automatically by reports
    action       TEXT NOT NULL,
    target_kind  TEXT NOT NULL CHECK (target_kind IN ('proposal', 'comment', 'user')),
    target_id    INTEGER NOT NULL,
    scope_id     INTEGER REFERENCES scopes (id),
    reason       TEXT NOT NULL DEFAULT '',
    at           INTEGER NOT NULL
);
CREATE INDEX moderation_log_scope ON moderation_log (scope_id, id);

CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    proposal_id  INTEGER NOT NULL REFERENCES proposals (id),
    uploader_id  INTEGER NOT NULL REFERENCES users (id),
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    data         BLOB NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX attachments_proposal ON attachments (proposal_id, id);

-- A scope's own threshold ladder (scopes without one inherit the nearest ancestor's; the default is
-- Democracy Seoul's 50 / 100 / 1,000 with answers due in 30 days).
CREATE TABLE scope_ladders (
    scope_id    INTEGER PRIMARY KEY REFERENCES scopes (id),
    answer_at   INTEGER NOT NULL,
    forum_at    INTEGER NOT NULL,
    head_at     INTEGER NOT NULL,
    answer_days INTEGER NOT NULL,
    updated_by  INTEGER NOT NULL REFERENCES users (id),
    updated_at  INTEGER NOT NULL
);

-- Proposals whose collection deadline passed are expired by the background pass.
CREATE INDEX proposals_deadline ON proposals (state, collecting_until);

-- People who took part in a proposal's public forum (by commenting while it is open): the count that
-- drives the ladder's forum rung, each person once.
CREATE TABLE forum_participants (
    proposal_id INTEGER NOT NULL REFERENCES proposals (id),
    user_id     INTEGER NOT NULL REFERENCES users (id),
    joined_at   INTEGER NOT NULL,
    PRIMARY KEY (proposal_id, user_id)
);
