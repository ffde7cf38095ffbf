-- The platform for citizen cooperation: organizations with members and a staff verification, the scope's
-- consortium, shared resources with bookings (approved bookings of one resource never overlap: a trigger
-- that locks the resource's row, so concurrent approvals are checked one after the other), citizen schools
-- (programs, sessions, enrolments with a waiting list, attendance; a completed enrolment is the training
-- record committees read), and small grants (calls, weighted criteria, applications, reviewers' scores).
-- Kept in step with ../sqlite/0012_cooperation.sql.

CREATE TABLE coop_organizations (
    id                    BIGSERIAL PRIMARY KEY,
    scope_id              BIGINT NOT NULL REFERENCES scopes (id),
    name                  TEXT NOT NULL,
    kind                  TEXT NOT NULL CHECK (kind IN ('civic_organization', 'community_group', 'social_economy', 'support_centre')),
    purpose               TEXT NOT NULL DEFAULT '',
    fields                TEXT NOT NULL DEFAULT '',
    contact               TEXT NOT NULL DEFAULT '',
    verification_method   TEXT CHECK (verification_method IN ('registration_number', 'in_person_check')),
    verification_evidence TEXT NOT NULL DEFAULT '',
    verified_by           BIGINT REFERENCES users (id),
    verified_at           BIGINT,
    created_by            BIGINT REFERENCES users (id),
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL
);
CREATE INDEX coop_organizations_scope ON coop_organizations (scope_id, name);

CREATE TABLE coop_members (
    organization_id BIGINT NOT NULL REFERENCES coop_organizations (id),
    user_id         BIGINT NOT NULL REFERENCES users (id),
    role            TEXT NOT NULL CHECK (role IN ('representative', 'staff', 'member')),
    joined_at       BIGINT NOT NULL,
    PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX coop_members_user ON coop_members (user_id);

CREATE TABLE coop_consortium (
    scope_id        BIGINT NOT NULL REFERENCES scopes (id),
    organization_id BIGINT NOT NULL REFERENCES coop_organizations (id),
    role            TEXT NOT NULL CHECK (role IN ('lead', 'member')),
    joined_at       BIGINT NOT NULL,
    PRIMARY KEY (scope_id, organization_id)
);
CREATE UNIQUE INDEX coop_consortium_one_lead ON coop_consortium (scope_id) WHERE role = 'lead';

CREATE TABLE coop_resources (
    id              BIGSERIAL PRIMARY KEY,
    scope_id        BIGINT NOT NULL REFERENCES scopes (id),
    owner_org_id    BIGINT NOT NULL REFERENCES coop_organizations (id),
    kind            TEXT NOT NULL CHECK (kind IN ('space', 'equipment')),
    name            TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    capacity        BIGINT NOT NULL DEFAULT 0 CHECK (capacity >= 0),
    opening_hours   TEXT NOT NULL,
    rules           TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL
);
CREATE INDEX coop_resources_scope ON coop_resources (scope_id);

CREATE TABLE coop_bookings (
    id              BIGSERIAL PRIMARY KEY,
    resource_id     BIGINT NOT NULL REFERENCES coop_resources (id),
    requested_by    BIGINT NOT NULL REFERENCES users (id),
    organization_id BIGINT REFERENCES coop_organizations (id),
    starts_at       BIGINT NOT NULL,
    ends_at         BIGINT NOT NULL,
    purpose         TEXT NOT NULL DEFAULT '',
    state           TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'declined', 'cancelled')),
    decided_by      BIGINT REFERENCES users (id),
    decided_at      BIGINT,
    created_at      BIGINT NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX coop_bookings_resource ON coop_bookings (resource_id, starts_at);

-- No two approved bookings of one resource overlap ([starts, ends) half-open). The resource's row is locked
-- first, so a concurrent approval waits, then sees the committed one (a fresh snapshot per statement).
CREATE FUNCTION coop_bookings_no_overlap() RETURNS trigger AS $$
BEGIN
    IF NEW.state = 'approved' THEN
        PERFORM 1 FROM coop_resources WHERE id = NEW.resource_id FOR UPDATE;
        IF EXISTS (SELECT 1 FROM coop_bookings b WHERE b.resource_id = NEW.resource_id AND b.state = 'approved'
                   AND b.id <> NEW.id AND b.starts_at < NEW.ends_at AND NEW.starts_at < b.ends_at) THEN
            RAISE EXCEPTION 'booking_overlaps' USING ERRCODE = 'exclusion_violation';
        END IF;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER coop_bookings_no_overlap BEFORE INSERT OR UPDATE ON coop_bookings
    FOR EACH ROW EXECUTE FUNCTION coop_bookings_no_overlap();

CREATE TABLE coop_programs (
    id                BIGSERIAL PRIMARY KEY,
    scope_id          BIGINT NOT NULL REFERENCES scopes (id),
    organization_id   BIGINT REFERENCES coop_organizations (id),
    kind              TEXT NOT NULL CHECK (kind IN ('governance_school', 'budget_school', 'facilitator_training', 'activist_course')),
    title             TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    hours             BIGINT NOT NULL CHECK (hours > 0),
    capacity          BIGINT NOT NULL DEFAULT 0 CHECK (capacity >= 0),
    sessions_required BIGINT NOT NULL CHECK (sessions_required > 0),
    created_at        BIGINT NOT NULL
);
CREATE INDEX coop_programs_scope ON coop_programs (scope_id);

CREATE TABLE coop_sessions (
    id         BIGSERIAL PRIMARY KEY,
    program_id BIGINT NOT NULL REFERENCES coop_programs (id),
    title      TEXT NOT NULL,
    starts_at  BIGINT NOT NULL,
    ends_at    BIGINT NOT NULL,
    place      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX coop_sessions_program ON coop_sessions (program_id, starts_at);

-- A completed enrolment is the training record: committees' eligibility sums the hours of the programs a
-- person completed with the hours staff logged for their application (one record, read by both).
CREATE TABLE coop_enrolments (
    id           BIGSERIAL PRIMARY KEY,
    program_id   BIGINT NOT NULL REFERENCES coop_programs (id),
    user_id      BIGINT NOT NULL REFERENCES users (id),
    state        TEXT NOT NULL CHECK (state IN ('enrolled', 'waiting', 'completed', 'withdrawn')),
    enrolled_at  BIGINT NOT NULL,
    completed_at BIGINT,
    UNIQUE (program_id, user_id)
);
CREATE INDEX coop_enrolments_user ON coop_enrolments (user_id, state);

CREATE TABLE coop_attendance (
    session_id  BIGINT NOT NULL REFERENCES coop_sessions (id),
    user_id     BIGINT NOT NULL REFERENCES users (id),
    recorded_by BIGINT REFERENCES users (id),
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (session_id, user_id)
);

CREATE TABLE coop_grant_calls (
    id           BIGSERIAL PRIMARY KEY,
    scope_id     BIGINT NOT NULL REFERENCES scopes (id),
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    budget       BIGINT NOT NULL CHECK (budget > 0),
    eligibility  TEXT NOT NULL CHECK (eligibility IN ('organizations', 'resident_groups', 'both')),
    state        TEXT NOT NULL CHECK (state IN ('open', 'reviewing', 'published')),
    opens_at     BIGINT NOT NULL,
    closes_at    BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    published_at BIGINT
);

CREATE TABLE coop_grant_criteria (
    id       BIGSERIAL PRIMARY KEY,
    call_id  BIGINT NOT NULL REFERENCES coop_grant_calls (id),
    name     TEXT NOT NULL,
    weight   BIGINT NOT NULL CHECK (weight > 0),
    position BIGINT NOT NULL
);

CREATE TABLE coop_grant_applications (
    id              BIGSERIAL PRIMARY KEY,
    call_id         BIGINT NOT NULL REFERENCES coop_grant_calls (id),
    organization_id BIGINT REFERENCES coop_organizations (id),
    applicant_id    BIGINT NOT NULL REFERENCES users (id),
    title           TEXT NOT NULL,
    plan            TEXT NOT NULL DEFAULT '',
    amount          BIGINT NOT NULL CHECK (amount > 0),
    created_at      BIGINT NOT NULL,
    rank            BIGINT,
    awarded_at      BIGINT
);
CREATE INDEX coop_grant_applications_call ON coop_grant_applications (call_id);

CREATE TABLE coop_grant_scores (
    application_id BIGINT NOT NULL REFERENCES coop_grant_applications (id),
    reviewer_id    BIGINT NOT NULL REFERENCES users (id),
    criterion_id   BIGINT NOT NULL REFERENCES coop_grant_criteria (id),
    score          BIGINT NOT NULL CHECK (score >= 0 AND score <= 10),
    scored_at      BIGINT NOT NULL,
    PRIMARY KEY (application_id, reviewer_id, criterion_id)
);
