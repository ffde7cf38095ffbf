-- Forums with live opinion maps: conversations (attached to an object or standing alone in a scope) with
-- their transitions, per-conversation participant pseudonyms (integers, as Pol.is numbers participants),
-- statements with their moderation state, votes as events plus one current vote per participant and
-- statement (the latest event wins), and map snapshots with their history.
-- Kept in step with ../sqlite/0011_forums.sql.

CREATE TABLE forum_conversations (
    id             BIGSERIAL PRIMARY KEY,
    scope_id       BIGINT NOT NULL REFERENCES scopes (id),
    object_kind    TEXT,
    object_id      BIGINT,
    topic          TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    state          TEXT NOT NULL CHECK (state IN ('draft', 'open', 'closed', 'reported')),
    participation  TEXT NOT NULL CHECK (participation IN ('residents', 'signed_in')),
    moderation     TEXT NOT NULL CHECK (moderation IN ('pre', 'post')),
    report         TEXT NOT NULL DEFAULT '',
    next_pseudonym BIGINT NOT NULL DEFAULT 0,
    created_by     BIGINT REFERENCES users (id),
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL,
    CHECK ((object_kind IS NULL) = (object_id IS NULL))
);
CREATE INDEX forum_conversations_scope ON forum_conversations (scope_id, id);
CREATE INDEX forum_conversations_object ON forum_conversations (object_kind, object_id);

CREATE TABLE forum_transitions (
    id              BIGSERIAL PRIMARY KEY,
    conversation_id BIGINT NOT NULL REFERENCES forum_conversations (id),
    from_state      TEXT,
    to_state        TEXT NOT NULL,
    actor_id        BIGINT REFERENCES users (id),
    at              BIGINT NOT NULL
);
CREATE INDEX forum_transitions_conversation ON forum_transitions (conversation_id, id);

CREATE TABLE forum_conversation_participants (
    conversation_id BIGINT NOT NULL REFERENCES forum_conversations (id),
    user_id         BIGINT NOT NULL REFERENCES users (id),
    pseudonym       BIGINT NOT NULL,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, user_id),
    UNIQUE (conversation_id, pseudonym)
);

CREATE TABLE forum_statements (
    id              BIGSERIAL PRIMARY KEY,
    conversation_id BIGINT NOT NULL REFERENCES forum_conversations (id),
    author_id       BIGINT REFERENCES users (id),
    author_pseudonym BIGINT,
    body            TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'hidden')),
    created_at      BIGINT NOT NULL,
    moderated_by    BIGINT REFERENCES users (id),
    moderated_at    BIGINT
);
CREATE INDEX forum_statements_conversation ON forum_statements (conversation_id, id);

-- Every vote as cast (append-only).
CREATE TABLE forum_vote_events (
    id              BIGSERIAL PRIMARY KEY,
    conversation_id BIGINT NOT NULL REFERENCES forum_conversations (id),
    statement_id    BIGINT NOT NULL REFERENCES forum_statements (id),
    pseudonym       BIGINT NOT NULL,
    vote            BIGINT NOT NULL CHECK (vote IN (-1, 0, 1)),
    created_at      BIGINT NOT NULL
);
CREATE INDEX forum_vote_events_conversation ON forum_vote_events (conversation_id, id);

-- The current vote: one per participant and statement, the one of the latest event.
CREATE TABLE forum_votes (
    conversation_id BIGINT NOT NULL REFERENCES forum_conversations (id),
    statement_id    BIGINT NOT NULL REFERENCES forum_statements (id),
    pseudonym       BIGINT NOT NULL,
    vote            BIGINT NOT NULL CHECK (vote IN (-1, 0, 1)),
    event_id        BIGINT NOT NULL REFERENCES forum_vote_events (id),
    voted_at        BIGINT NOT NULL,
    PRIMARY KEY (statement_id, pseudonym)
);
CREATE INDEX forum_votes_conversation ON forum_votes (conversation_id, pseudonym);

-- Map snapshots, kept as history: the map as `maeul opinion analyze --json` prints it, the SVG, the comment
-- priorities (JSON object tid → priority) and the votes it was computed from.
CREATE TABLE forum_maps (
    id              BIGSERIAL PRIMARY KEY,
    conversation_id BIGINT NOT NULL REFERENCES forum_conversations (id),
    map_json        TEXT NOT NULL,
    svg             TEXT NOT NULL,
    priorities_json TEXT NOT NULL,
    votes           BIGINT NOT NULL,
    last_event_id   BIGINT NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX forum_maps_conversation ON forum_maps (conversation_id, id);
