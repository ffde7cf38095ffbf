-- The platform for citizen cooperation: organizations with members and a staff verification, the scope's
-- consortium, shared resources with bookings (approved bookings of one resource never overlap: a trigger
-- that locks the resource's row, so concurrent approvals are checked one after the other), citizen schools
-- (programs, sessions, enrolments with a waiting list, attendance; a completed enrolment is the training
-- record committees read), and small grants (calls, weighted criteria, applications, reviewers' scores).
-- Kept in step with ../postgres/0012_cooperation.sql.

CREATE TABLE coop_organizations (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    scope_id              INTEGER NOT NULL REFERENCES scopes (id),
    name                  TEXT NOT NULL,
    kind                  TEXT NOT NULL CHECK (kind IN ('civic_organization', 'community_group', 'social_economy', 'support_centre')),
    purpose               TEXT NOT NULL DEFAULT '',
    fields                TEXT NOT NULL DEFAULT '',
    contact               TEXT NOT NULL DEFAULT '',
    verification_method   TEXT CHECK (verification_method IN ('registration_number', 'in_person_check')),
    verification_evidence TEXT NOT NULL DEFAULT '',
    verified_by           INTEGER REFERENCES users (id),
    verified_at           INTEGER,
    created_by            INTEGER REFERENCES users (id),
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL
);
CREATE INDEX coop_organizations_scope ON coop_organizations (scope_id, name);

CREATE TABLE coop_members (
    organization_id INTEGER NOT NULL REFERENCES coop_organizations (id),
    user_id         INTEGER NOT NULL REFERENCES users (id),
    role            TEXT NOT NULL CHECK (role IN ('representative', 'staff', 'member')),
    joined_at       INTEGER NOT NULL,
    PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX coop_members_user ON coop_members (user_id);

CREATE TABLE coop_consortium (
    scope_id        INTEGER NOT NULL REFERENCES scopes (id),
    organization_id INTEGER NOT NULL REFERENCES coop_organizations (id),
    role            TEXT NOT NULL CHECK (role IN ('lead', 'member')),
    joined_at       INTEGER NOT NULL,
    PRIMARY KEY (scope_id, organization_id)
);
CREATE UNIQUE INDEX coop_consortium_one_lead ON coop_consortium (scope_id) WHERE role = 'lead';

CREATE TABLE coop_resources (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    scope_id        INTEGER NOT NULL REFERENCES scopes (id),
    owner_org_id    INTEGER NOT NULL REFERENCES coop_organizations (id),
    kind            TEXT NOT NULL CHECK (kind IN ('space', 'equipment')),
    name            TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    capacity        INTEGER NOT NULL DEFAULT 0 CHECK (capacity >= 0),
    opening_hours   TEXT NOT NULL,
    rules           TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL
);
CREATE INDEX coop_resources_scope ON coop_resources (scope_id);

CREATE TABLE coop_bookings (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    resource_id     INTEGER NOT NULL REFERENCES coop_resources (id),
    requested_by    INTEGER NOT NULL REFERENCES users (id),
    organization_id INTEGER REFERENCES coop_organizations (id),
    starts_at       INTEGER NOT NULL,
    ends_at         INTEGER NOT NULL,
    purpose         TEXT NOT NULL DEFAULT '',
    state           TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'declined', 'cancelled')),
    decided_by      INTEGER REFERENCES users (id),
    decided_at      INTEGER,
    created_at      INTEGER NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX coop_bookings_resource ON coop_bookings (resource_id, starts_at);

-- No two approved bookings of one resource overlap ([starts, ends) half-open). Writers hold SQLite's one
-- write lock (BEGIN IMMEDIATE), so the check and the write are never interleaved.
CREATE TRIGGER coop_bookings_no_overlap_insert BEFORE INSERT ON coop_bookings
WHEN NEW.state = 'approved' AND EXISTS (SELECT 1 FROM coop_bookings b WHERE b.resource_id = NEW.resource_id
    AND b.state = 'approved' AND b.starts_at < NEW.ends_at AND NEW.starts_at < b.ends_at)
BEGIN SELECT RAISE(ABORT, 'booking_overlaps'); END;
CREATE TRIGGER coop_bookings_no_overlap_update BEFORE UPDATE ON coop_bookings
WHEN NEW.state = 'approved' AND EXISTS (SELECT 1 FROM coop_bookings b WHERE b.resource_id = NEW.resource_id
    AND b.state = 'approved' AND b.id <> NEW.id AND b.starts_at < NEW.ends_at AND NEW.starts_at < b.ends_at)
BEGIN SELECT RAISE(ABORT, 'booking_overlaps'); END;

CREATE TABLE coop_programs (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    scope_id          INTEGER NOT NULL REFERENCES scopes (id),
    organization_id   INTEGER REFERENCES coop_organizations (id),
    kind              TEXT NOT NULL CHECK (kind IN ('governance_school', 'budget_school', 'facilitator_training', 'activist_course')),
    title             TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    hours             INTEGER NOT NULL CHECK (hours > 0),
    capacity          INTEGER NOT NULL DEFAULT 0 CHECK (capacity >= 0),
    sessions_required INTEGER NOT NULL CHECK (sessions_required > 0),
    created_at        INTEGER NOT NULL
);
CREATE INDEX coop_programs_scope ON coop_programs (scope_id);

CREATE TABLE coop_sessions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    program_id INTEGER NOT NULL REFERENCES coop_programs (id),
    title      TEXT NOT NULL,
    starts_at  INTEGER NOT NULL,
    ends_at    INTEGER NOT NULL,
    place      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX coop_sessions_program ON coop_sessions (program_id, starts_at);

-- A completed enrolment is the training record: committees' eligibility sums the hours of the programs a
-- person completed with the hours staff logged for their application (one record, read by both).
CREATE TABLE coop_enrolments (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    program_id   INTEGER NOT NULL REFERENCES coop_programs (id),
    user_id      INTEGER NOT NULL REFERENCES users (id),
    state        TEXT NOT NULL CHECK (state IN ('enrolled', 'waiting', 'completed', 'withdrawn')),
    enrolled_at  INTEGER NOT NULL,
    completed_at INTEGER,
    UNIQUE (program_id, user_id)
);
CREATE INDEX coop_enrolments_user ON coop_enrolments (user_id, state);

CREATE TABLE coop_attendance (
    session_id  INTEGER NOT NULL REFERENCES coop_sessions (id),
    user_id     INTEGER NOT NULL REFERENCES users (id),
    recorded_by INTEGER REFERENCES users (id),
    recorded_at INTEGER NOT NULL,
    PRIMARY KEY (session_id, user_id)
);

CREATE TABLE coop_grant_calls (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    scope_id     INTEGER NOT NULL REFERENCES scopes (id),
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    budget       INTEGER NOT NULL CHECK (budget > 0),
    eligibility  TEXT NOT NULL CHECK (eligibility IN ('organizations', 'resident_groups', 'both')),
    state        TEXT NOT NULL CHECK (state IN ('open', 'reviewing', 'published')),
    opens_at     INTEGER NOT NULL,
    closes_at    INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    published_at INTEGER
);

CREATE TABLE coop_grant_criteria (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    call_id  INTEGER NOT NULL REFERENCES coop_grant_calls (id),
    name     TEXT NOT NULL,
    weight   INTEGER NOT NULL CHECK (weight > 0),
    position INTEGER NOT NULL
);

CREATE TABLE coop_grant_applications (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    call_id         INTEGER NOT NULL REFERENCES coop_grant_calls (id),
    organization_id INTEGER REFERENCES coop_organizations (id),
    applicant_id    INTEGER NOT NULL REFERENCES users (id),
    title           TEXT NOT NULL,
    plan            TEXT NOT NULL DEFAULT '',
    amount          INTEGER NOT NULL CHECK (amount > 0),
    created_at      INTEGER NOT NULL,
    rank            INTEGER,
    awarded_at      INTEGER
);
CREATE INDEX coop_grant_applications_call ON coop_grant_applications (call_id);

CREATE TABLE coop_grant_scores (
    application_id INTEGER NOT NULL REFERENCES coop_grant_applications (id),
    reviewer_id    INTEGER NOT NULL REFERENCES users (id),
    criterion_id   INTEGER NOT NULL REFERENCES coop_grant_criteria (id),
    score          INTEGER NOT NULL CHECK (score >= 0 AND score <= 10),
    scored_at      INTEGER NOT NULL,
    PRIMARY KEY (application_id, reviewer_id, criterion_id)
);
