-- Forums with live opinion maps: conversations (attached to an object or standing alone in a scope) with
-- their transitions, per-conversation participant pseudonyms (integers, as Pol.is numbers participants),
-- statements with their moderation state, votes as events plus one current vote per participant and
-- statement (the latest event wins), and map snapshots with their history.
-- Kept in step with ../postgres/0011_forums.sql.

CREATE TABLE forum_conversations (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    scope_id       INTEGER NOT NULL REFERENCES scopes (id),
    object_kind    TEXT,
    object_id      INTEGER,
    topic          TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    state          TEXT NOT NULL CHECK (state IN ('draft', 'open', 'closed', 'reported')),
    participation  TEXT NOT NULL CHECK (participation IN ('residents', 'signed_in')),
    moderation     TEXT NOT NULL CHECK (moderation IN ('pre', 'post')),
    report         TEXT NOT NULL DEFAULT '',
    next_pseudonym INTEGER NOT NULL DEFAULT 0,
    created_by     INTEGER REFERENCES users (id),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    CHECK ((object_kind IS NULL) = (object_id IS NULL))
);
CREATE INDEX forum_conversations_scope ON forum_conversations (scope_id, id);
CREATE INDEX forum_conversations_object ON forum_conversations (object_kind, object_id);

CREATE TABLE forum_transitions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES forum_conversations (id),
    from_state      TEXT,
    to_state        TEXT NOT NULL,
    actor_id        INTEGER REFERENCES users (id),
    at              INTEGER NOT NULL
);
CREATE INDEX forum_transitions_conversation ON forum_transitions (conversation_id, id);

CREATE TABLE forum_conversation_participants (
    conversation_id INTEGER NOT NULL REFERENCES forum_conversations (id),
    user_id         INTEGER NOT NULL REFERENCES users (id),
    pseudonym       INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, user_id),
    UNIQUE (conversation_id, pseudonym)
);

CREATE TABLE forum_statements (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES forum_conversations (id),
    author_id       INTEGER REFERENCES users (id),
    author_pseudonym INTEGER,
    body            TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'hidden')),
    created_at      INTEGER NOT NULL,
    moderated_by    INTEGER REFERENCES users (id),
    moderated_at    INTEGER
);
CREATE INDEX forum_statements_conversation ON forum_statements (conversation_id, id);

-- Every vote as cast (append-only).
CREATE TABLE forum_vote_events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES forum_conversations (id),
    statement_id    INTEGER NOT NULL REFERENCES forum_statements (id),
    pseudonym       INTEGER NOT NULL,
    vote            INTEGER NOT NULL CHECK (vote IN (-1, 0, 1)),
    created_at      INTEGER NOT NULL
);
CREATE INDEX forum_vote_events_conversation ON forum_vote_events (conversation_id, id);

-- The current vote: one per participant and statement, the one of the latest event.
CREATE TABLE forum_votes (
    conversation_id INTEGER NOT NULL REFERENCES forum_conversations (id),
    statement_id    INTEGER NOT NULL REFERENCES forum_statements (id),
    pseudonym       INTEGER NOT NULL,
    vote            INTEGER NOT NULL CHECK (vote IN (-1, 0, 1)),
    event_id        INTEGER NOT NULL REFERENCES forum_vote_events (id),
    voted_at        INTEGER NOT NULL,
    PRIMARY KEY (statement_id, pseudonym)
);
CREATE INDEX forum_votes_conversation ON forum_votes (conversation_id, pseudonym);

-- Map snapshots, kept as history: the map as `maeul opinion analyze --json` prints it, the SVG, the comment
-- priorities (JSON object tid → priority) and the votes it was computed from.
CREATE TABLE forum_maps (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES forum_conversations (id),
    map_json        TEXT NOT NULL,
    svg             TEXT NOT NULL,
    priorities_json TEXT NOT NULL,
    votes           INTEGER NOT NULL,
    last_event_id   INTEGER NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX forum_maps_conversation ON forum_maps (conversation_id, id);
