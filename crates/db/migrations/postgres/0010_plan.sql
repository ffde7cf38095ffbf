-- The innovation plan: agenda items with their referral path between levels (append-only: never deleted)
-- and their transitions, yearly plans with sections, projects derived from adopted items, budget lines,
-- indicator placeholders, frozen revisions (immutable) and the consultation's comments.
-- Kept in step with ../sqlite/0010_plan.sql.

CREATE TABLE plan_items (
    id                BIGSERIAL PRIMARY KEY,
    scope_id          BIGINT NOT NULL REFERENCES scopes (id),
    origin_scope_id   BIGINT NOT NULL REFERENCES scopes (id),
    title             TEXT NOT NULL,
    body              TEXT NOT NULL DEFAULT '',
    state             TEXT NOT NULL CHECK (state IN ('proposed', 'accepted', 'under_deliberation', 'prioritised', 'adopted', 'rejected', 'declined', 'merged')),
    proposer_kind     TEXT NOT NULL CHECK (proposer_kind IN ('resident', 'resident_council', 'committee_member', 'staff', 'proposal')),
    proposed_by       BIGINT REFERENCES users (id),
    proposal_id       BIGINT REFERENCES proposals (id),
    merged_into       BIGINT REFERENCES plan_items (id),
    adopted_motion_id BIGINT REFERENCES motions (id),
    state_reason      TEXT NOT NULL DEFAULT '',
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL
);
CREATE INDEX plan_items_scope ON plan_items (scope_id, id);
CREATE UNIQUE INDEX plan_items_proposal ON plan_items (proposal_id) WHERE proposal_id IS NOT NULL;

CREATE TABLE plan_item_referrals (
    id            BIGSERIAL PRIMARY KEY,
    item_id       BIGINT NOT NULL REFERENCES plan_items (id),
    from_scope_id BIGINT NOT NULL REFERENCES scopes (id),
    to_scope_id   BIGINT NOT NULL REFERENCES scopes (id),
    direction     TEXT NOT NULL CHECK (direction IN ('up', 'down')),
    reason        TEXT NOT NULL,
    outcome       TEXT NOT NULL CHECK (outcome IN ('pending', 'accepted', 'returned')),
    answer_reason TEXT NOT NULL DEFAULT '',
    referred_by   BIGINT REFERENCES users (id),
    referred_at   BIGINT NOT NULL,
    answered_by   BIGINT REFERENCES users (id),
    answered_at   BIGINT
);
CREATE INDEX plan_item_referrals_item ON plan_item_referrals (item_id, id);
CREATE INDEX plan_item_referrals_to ON plan_item_referrals (to_scope_id, id);
CREATE INDEX plan_item_referrals_from ON plan_item_referrals (from_scope_id, id);
-- At most one referral waits for an answer.
CREATE UNIQUE INDEX plan_item_referrals_pending ON plan_item_referrals (item_id) WHERE outcome = 'pending';
CREATE FUNCTION plan_keep_rows() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% rows are kept unchanged', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER plan_item_referrals_kept BEFORE DELETE ON plan_item_referrals
    FOR EACH ROW EXECUTE FUNCTION plan_keep_rows();

CREATE TABLE plan_item_transitions (
    id         BIGSERIAL PRIMARY KEY,
    item_id    BIGINT NOT NULL REFERENCES plan_items (id),
    from_state TEXT,
    to_state   TEXT NOT NULL,
    scope_id   BIGINT NOT NULL REFERENCES scopes (id),
    actor_id   BIGINT REFERENCES users (id),
    reason     TEXT NOT NULL DEFAULT '',
    motion_id  BIGINT REFERENCES motions (id),
    at         BIGINT NOT NULL
);
CREATE INDEX plan_item_transitions_item ON plan_item_transitions (item_id, id);

CREATE TABLE plans (
    id                 BIGSERIAL PRIMARY KEY,
    scope_id           BIGINT NOT NULL REFERENCES scopes (id),
    year               BIGINT NOT NULL,
    basic_plan_start   BIGINT NOT NULL,
    title              TEXT NOT NULL,
    state              TEXT NOT NULL CHECK (state IN ('drafting', 'committee_resolved', 'submitted', 'in_consultation', 'revising', 'approved', 'executing', 'closing', 'evaluated', 'archived')),
    resolved_motion_id BIGINT REFERENCES motions (id),
    granted_amount     BIGINT,
    created_by         BIGINT REFERENCES users (id),
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    UNIQUE (scope_id, year)
);

CREATE TABLE plan_sections (
    plan_id BIGINT NOT NULL REFERENCES plans (id),
    kind    TEXT NOT NULL CHECK (kind IN ('base', 'projects', 'next_year', 'evaluation', 'budget')),
    body    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (plan_id, kind)
);

CREATE TABLE plan_projects (
    id              BIGSERIAL PRIMARY KEY,
    plan_id         BIGINT NOT NULL REFERENCES plans (id),
    title           TEXT NOT NULL,
    objective       TEXT NOT NULL DEFAULT '',
    lead_department TEXT NOT NULL DEFAULT '',
    partners        TEXT NOT NULL DEFAULT '',
    schedule        TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL
);
CREATE INDEX plan_projects_plan ON plan_projects (plan_id, id);

CREATE TABLE plan_project_items (
    project_id BIGINT NOT NULL REFERENCES plan_projects (id),
    item_id    BIGINT NOT NULL REFERENCES plan_items (id),
    PRIMARY KEY (project_id, item_id)
);
CREATE INDEX plan_project_items_item ON plan_project_items (item_id);

CREATE TABLE plan_budget_lines (
    id         BIGSERIAL PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES plan_projects (id),
    source     TEXT NOT NULL CHECK (source IN ('city_grant', 'own_funds', 'pb_envelope')),
    amount     BIGINT NOT NULL CHECK (amount >= 0),
    note       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX plan_budget_lines_project ON plan_budget_lines (project_id, id);

-- Placeholders the evaluation capability fills (target and result stay empty until then).
CREATE TABLE plan_indicators (
    id         BIGSERIAL PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES plan_projects (id),
    name       TEXT NOT NULL,
    target     TEXT,
    result     TEXT
);

-- Each submission freezes the plan as it was: never updated, never deleted.
CREATE TABLE plan_revisions (
    plan_id      BIGINT NOT NULL REFERENCES plans (id),
    number       BIGINT NOT NULL,
    snapshot     TEXT NOT NULL,
    submitted_by BIGINT REFERENCES users (id),
    submitted_at BIGINT NOT NULL,
    PRIMARY KEY (plan_id, number)
);
CREATE TRIGGER plan_revisions_frozen BEFORE UPDATE OR DELETE ON plan_revisions
    FOR EACH ROW EXECUTE FUNCTION plan_keep_rows();

CREATE TABLE plan_comments (
    id         BIGSERIAL PRIMARY KEY,
    plan_id    BIGINT NOT NULL REFERENCES plans (id),
    revision   BIGINT NOT NULL,
    author_id  BIGINT REFERENCES users (id),
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX plan_comments_plan ON plan_comments (plan_id, id);

CREATE TABLE plan_transitions (
    id         BIGSERIAL PRIMARY KEY,
    plan_id    BIGINT NOT NULL REFERENCES plans (id),
    from_state TEXT,
    to_state   TEXT NOT NULL,
    actor_id   BIGINT REFERENCES users (id),
    note       TEXT NOT NULL DEFAULT '',
    motion_id  BIGINT REFERENCES motions (id),
    at         BIGINT NOT NULL
);
CREATE INDEX plan_transitions_plan ON plan_transitions (plan_id, id);

-- The priority-setting forum: one approval ballot per person, scope and round (year), enforced here.
CREATE TABLE plan_priority_ballots (
    id       BIGSERIAL PRIMARY KEY,
    scope_id BIGINT NOT NULL REFERENCES scopes (id),
    year     BIGINT NOT NULL,
    user_id  BIGINT NOT NULL REFERENCES users (id),
    cast_at  BIGINT NOT NULL,
    UNIQUE (scope_id, year, user_id)
);

CREATE TABLE plan_priority_approvals (
    ballot_id BIGINT NOT NULL REFERENCES plan_priority_ballots (id),
    item_id   BIGINT NOT NULL REFERENCES plan_items (id),
    PRIMARY KEY (ballot_id, item_id)
);
CREATE INDEX plan_priority_approvals_item ON plan_priority_approvals (item_id);
