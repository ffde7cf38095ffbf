-- Public sphere, part 2: threaded comments on proposals, their edit history and up/down votes.
-- Kept in step with ../postgres/0004_comments.sql.

CREATE TABLE comments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    proposal_id INTEGER NOT NULL REFERENCES proposals (id),
    parent_id   INTEGER REFERENCES comments (id),
    author_id   INTEGER NOT NULL REFERENCES users (id),
    body        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    edited_at   INTEGER,
    up_votes    INTEGER NOT NULL DEFAULT 0,
    down_votes  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX comments_thread ON comments (proposal_id, parent_id, id);

CREATE TABLE comment_edits (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    comment_id INTEGER NOT NULL REFERENCES comments (id),
    old_body   TEXT NOT NULL,
    edited_at  INTEGER NOT NULL
);
CREATE INDEX comment_edits_comment ON comment_edits (comment_id, id);

CREATE TABLE comment_votes (
    comment_id INTEGER NOT NULL REFERENCES comments (id),
    user_id    INTEGER NOT NULL REFERENCES users (id),
    value      INTEGER NOT NULL CHECK (value IN (-1, 1)),
    PRIMARY KEY (comment_id, user_id)
);

ALTER TABLE proposals ADD COLUMN comment_count INTEGER NOT NULL DEFAULT 0;
