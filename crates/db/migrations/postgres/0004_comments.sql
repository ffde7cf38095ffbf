-- Public sphere, part 2: threaded comments on proposals, their edit history and up/down votes.
-- Kept in step with ../sqlite/0004_comments.sql.

CREATE TABLE comments (
    id          BIGSERIAL PRIMARY KEY,
    proposal_id BIGINT NOT NULL REFERENCES proposals (id),
    parent_id   BIGINT REFERENCES comments (id),
    author_id   BIGINT NOT NULL REFERENCES users (id),
    body        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    edited_at   BIGINT,
    up_votes    BIGINT NOT NULL DEFAULT 0,
    down_votes  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX comments_thread ON comments (proposal_id, parent_id, id);

CREATE TABLE comment_edits (
    id         BIGSERIAL PRIMARY KEY,
    comment_id BIGINT NOT NULL REFERENCES comments (id),
    old_body   TEXT NOT NULL,
    edited_at  BIGINT NOT NULL
);
CREATE INDEX comment_edits_comment ON comment_edits (comment_id, id);

CREATE TABLE comment_votes (
    comment_id BIGINT NOT NULL REFERENCES comments (id),
    user_id    BIGINT NOT NULL REFERENCES users (id),
    value      BIGINT NOT NULL CHECK (value IN (-1, 1)),
    PRIMARY KEY (comment_id, user_id)
);

ALTER TABLE proposals ADD COLUMN comment_count BIGINT NOT NULL DEFAULT 0;
