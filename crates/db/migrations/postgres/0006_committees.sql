-- Committees: bodies with seats by sector, memberships (never deleted: the seat history), open calls and
-- their applicants, verifiable draws, meetings with registrations, attendance, agendas, motions, votes
-- and minutes. Kept in step with ../sqlite/0006_committees.sql.

CREATE TABLE committees (
    id            BIGSERIAL PRIMARY KEY,
    scope_id      BIGINT NOT NULL REFERENCES scopes (id),
    parent_id     BIGINT REFERENCES committees (id),
    kind          TEXT NOT NULL CHECK (kind IN ('district_governance', 'resident_council', 'budget_committee', 'citizens_assembly', 'subcommittee')),
    name          TEXT NOT NULL,
    charter       TEXT NOT NULL DEFAULT '',
    vote_rule     TEXT NOT NULL DEFAULT 'majority_voting',
    secret_ballot BIGINT NOT NULL DEFAULT 0,
    gender_cap    BIGINT,
    created_by    BIGINT REFERENCES users (id),
    created_at    BIGINT NOT NULL
);
CREATE INDEX committees_scope ON committees (scope_id, id);

CREATE TABLE committee_seats (
    committee_id BIGINT NOT NULL REFERENCES committees (id),
    sector       TEXT NOT NULL CHECK (sector IN ('public', 'civil', 'expert')),
    seats        BIGINT NOT NULL CHECK (seats >= 0),
    PRIMARY KEY (committee_id, sector)
);

CREATE TABLE committee_calls (
    id             BIGSERIAL PRIMARY KEY,
    committee_id   BIGINT NOT NULL REFERENCES committees (id),
    title          TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    state          TEXT NOT NULL CHECK (state IN ('draft', 'open', 'closed', 'drawn', 'published')),
    sector         TEXT NOT NULL CHECK (sector IN ('public', 'civil', 'expert')),
    seats          BIGINT NOT NULL,
    reserve_size   BIGINT NOT NULL DEFAULT 0,
    min_age        BIGINT NOT NULL DEFAULT 0,
    training_hours BIGINT NOT NULL DEFAULT 0,
    features_json  TEXT NOT NULL,
    seed_rule      TEXT NOT NULL,
    term_start     BIGINT NOT NULL,
    term_end       BIGINT NOT NULL,
    input_json     TEXT,
    input_sha256   TEXT,
    created_at     BIGINT NOT NULL,
    closed_at      BIGINT
);
CREATE INDEX committee_calls_committee ON committee_calls (committee_id, id);

CREATE TABLE committee_applications (
    id             BIGSERIAL PRIMARY KEY,
    call_id        BIGINT NOT NULL REFERENCES committee_calls (id),
    user_id        BIGINT NOT NULL REFERENCES users (id),
    pseudonym      TEXT NOT NULL,
    age            BIGINT NOT NULL,
    strata_json    TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'applied' CHECK (status IN ('applied', 'eligible', 'ineligible', 'selected', 'reserve', 'not_selected')),
    ineligible_why TEXT NOT NULL DEFAULT '',
    rank           BIGINT,
    created_at     BIGINT NOT NULL,
    UNIQUE (call_id, user_id),
    UNIQUE (call_id, pseudonym)
);

CREATE TABLE committee_training (
    id             BIGSERIAL PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES committee_applications (id),
    hours          BIGINT NOT NULL CHECK (hours > 0),
    note           TEXT NOT NULL DEFAULT '',
    logged_by      BIGINT REFERENCES users (id),
    logged_at      BIGINT NOT NULL
);
CREATE INDEX committee_training_application ON committee_training (application_id);

CREATE TABLE committee_draws (
    call_id      BIGINT PRIMARY KEY REFERENCES committee_calls (id),
    seed_text    TEXT NOT NULL,
    seed_source  TEXT NOT NULL,
    seed_sha256  TEXT NOT NULL,
    result_json  TEXT NOT NULL,
    drawn_by     BIGINT REFERENCES users (id),
    drawn_at     BIGINT NOT NULL,
    published_at BIGINT
);

CREATE TABLE committee_memberships (
    id           BIGSERIAL PRIMARY KEY,
    committee_id BIGINT NOT NULL REFERENCES committees (id),
    user_id      BIGINT NOT NULL REFERENCES users (id),
    sector       TEXT NOT NULL CHECK (sector IN ('public', 'civil', 'expert')),
    position     TEXT NOT NULL DEFAULT 'member' CHECK (position IN ('chair', 'co_chair', 'member')),
    gender       TEXT NOT NULL DEFAULT '',
    source       TEXT NOT NULL DEFAULT 'appointed' CHECK (source IN ('appointed', 'lottery', 'reserve')),
    call_id      BIGINT REFERENCES committee_calls (id),
    term_start   BIGINT NOT NULL,
    term_end     BIGINT NOT NULL,
    ended_at     BIGINT,
    end_reason   TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    CHECK (term_end > term_start)
);
CREATE INDEX committee_memberships_committee ON committee_memberships (committee_id, ended_at);
CREATE INDEX committee_memberships_user ON committee_memberships (user_id);

CREATE TABLE committee_meetings (
    id            BIGSERIAL PRIMARY KEY,
    committee_id  BIGINT NOT NULL REFERENCES committees (id),
    title         TEXT NOT NULL,
    starts_at     BIGINT NOT NULL,
    ends_at       BIGINT NOT NULL,
    place         TEXT NOT NULL,
    capacity      BIGINT NOT NULL DEFAULT 0,
    state         TEXT NOT NULL CHECK (state IN ('scheduled', 'agenda_published', 'convened', 'in_session', 'adjourned', 'minutes_drafted', 'minutes_approved', 'published', 'cancelled')),
    cancel_reason TEXT NOT NULL DEFAULT '',
    quorum_present BIGINT,
    seats_filled  BIGINT,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX committee_meetings_committee ON committee_meetings (committee_id, starts_at);

CREATE TABLE meeting_registrations (
    id         BIGSERIAL PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES committee_meetings (id),
    user_id    BIGINT NOT NULL REFERENCES users (id),
    status     TEXT NOT NULL CHECK (status IN ('registered', 'waiting', 'cancelled')),
    created_at BIGINT NOT NULL,
    UNIQUE (meeting_id, user_id)
);

CREATE TABLE meeting_attendance (
    meeting_id    BIGINT NOT NULL REFERENCES committee_meetings (id),
    membership_id BIGINT NOT NULL REFERENCES committee_memberships (id),
    recorded_by   BIGINT REFERENCES users (id),
    recorded_at   BIGINT NOT NULL,
    PRIMARY KEY (meeting_id, membership_id)
);

CREATE TABLE agenda_items (
    id          BIGSERIAL PRIMARY KEY,
    meeting_id  BIGINT NOT NULL REFERENCES committee_meetings (id),
    position    BIGINT NOT NULL,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    proposal_id BIGINT REFERENCES proposals (id)
);
CREATE INDEX agenda_items_meeting ON agenda_items (meeting_id, position);

CREATE TABLE motions (
    id             BIGSERIAL PRIMARY KEY,
    meeting_id     BIGINT NOT NULL REFERENCES committee_meetings (id),
    agenda_item_id BIGINT REFERENCES agenda_items (id),
    title          TEXT NOT NULL,
    body           TEXT NOT NULL DEFAULT '',
    state          TEXT NOT NULL CHECK (state IN ('proposed', 'debated', 'voting', 'carried', 'failed', 'withdrawn')),
    vote_rule      TEXT NOT NULL,
    secret         BIGINT NOT NULL DEFAULT 0,
    yes_count      BIGINT NOT NULL DEFAULT 0,
    no_count       BIGINT NOT NULL DEFAULT 0,
    abstain_count  BIGINT NOT NULL DEFAULT 0,
    present_count  BIGINT,
    proposed_by    BIGINT REFERENCES users (id),
    created_at     BIGINT NOT NULL,
    decided_at     BIGINT
);
CREATE INDEX motions_meeting ON motions (meeting_id, id);

-- One vote per member per motion, enforced here too. A secret ballot keeps the row (so a second vote is
-- refused) with no choice; its counts are on the motion.
CREATE TABLE motion_votes (
    motion_id     BIGINT NOT NULL REFERENCES motions (id),
    membership_id BIGINT NOT NULL REFERENCES committee_memberships (id),
    choice        TEXT CHECK (choice IN ('yes', 'no', 'abstain')),
    at            BIGINT NOT NULL,
    PRIMARY KEY (motion_id, membership_id)
);

CREATE TABLE meeting_minutes (
    meeting_id  BIGINT PRIMARY KEY REFERENCES committee_meetings (id),
    body        TEXT NOT NULL,
    drafted_by  BIGINT REFERENCES users (id),
    drafted_at  BIGINT NOT NULL,
    approved_at BIGINT,
    published_at BIGINT
);
