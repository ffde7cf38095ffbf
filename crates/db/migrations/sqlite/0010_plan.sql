-- The innovation plan: agenda items with their referral path between levels (append-only: never deleted)
-- and their transitions, yearly plans with sections, projects derived from adopted items, budget lines,
-- indicator placeholders, frozen revisions (immutable) and the consultation's comments.
-- Kept in step with ../postgres/0010_plan.sql.

CREATE TABLE plan_items (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    scope_id          INTEGER NOT NULL REFERENCES scopes (id),
    origin_scope_id   INTEGER NOT NULL REFERENCES scopes (id),
    title             TEXT NOT NULL,
    body              TEXT NOT NULL DEFAULT '',
    state             TEXT NOT NULL CHECK (state IN ('proposed', 'accepted', 'under_deliberation', 'prioritised', 'adopted', 'rejected', 'declined', 'merged')),
    proposer_kind     TEXT NOT NULL CHECK (proposer_kind IN ('resident', 'resident_council', 'committee_member', 'staff', 'proposal')),
    proposed_by       INTEGER REFERENCES users (id),
    proposal_id       INTEGER REFERENCES proposals (id),
    merged_into       INTEGER REFERENCES plan_items (id),
    adopted_motion_id INTEGER REFERENCES motions (id),
    state_reason      TEXT NOT NULL DEFAULT '',
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
CREATE INDEX plan_items_scope ON plan_items (scope_id, id);
CREATE UNIQUE INDEX plan_items_proposal ON plan_items (proposal_id) WHERE proposal_id IS NOT NULL;

CREATE TABLE plan_item_referrals (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id       INTEGER NOT NULL REFERENCES plan_items (id),
    from_scope_id INTEGER NOT NULL REFERENCES scopes (id),
    to_scope_id   INTEGER NOT NULL REFERENCES scopes (id),
    direction     TEXT NOT NULL CHECK (direction IN ('up', 'down')),
    reason        TEXT NOT NULL,
    outcome       TEXT NOT NULL CHECK (outcome IN ('pending', 'accepted', 'returned')),
    answer_reason TEXT NOT NULL DEFAULT '',
    referred_by   INTEGER REFERENCES users (id),
    referred_at   INTEGER NOT NULL,
    answered_by   INTEGER REFERENCES users (id),
    answered_at   INTEGER
);
CREATE INDEX plan_item_referrals_item ON plan_item_referrals (item_id, id);
CREATE INDEX plan_item_referrals_to ON plan_item_referrals (to_scope_id, id);
CREATE INDEX plan_item_referrals_from ON plan_item_referrals (from_scope_id, id);
-- At most one referral waits for an answer.
CREATE UNIQUE INDEX plan_item_referrals_pending ON plan_item_referrals (item_id) WHERE outcome = 'pending';
CREATE TRIGGER plan_item_referrals_kept BEFORE DELETE ON plan_item_referrals
BEGIN SELECT RAISE(ABORT, 'the referral path is never deleted'); END;

CREATE TABLE plan_item_transitions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id    INTEGER NOT NULL REFERENCES plan_items (id),
    from_state TEXT,
    to_state   TEXT NOT NULL,
    scope_id   INTEGER NOT NULL REFERENCES scopes (id),
    actor_id   INTEGER REFERENCES users (id),
    reason     TEXT NOT NULL DEFAULT '',
    motion_id  INTEGER REFERENCES motions (id),
    at         INTEGER NOT NULL
);
CREATE INDEX plan_item_transitions_item ON plan_item_transitions (item_id, id);

CREATE TABLE plans (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    scope_id           INTEGER NOT NULL REFERENCES scopes (id),
    year               INTEGER NOT NULL,
    basic_plan_start   INTEGER NOT NULL,
    title              TEXT NOT NULL,
    state              TEXT NOT NULL CHECK (state IN ('drafting', 'committee_resolved', 'submitted', 'in_consultation', 'revising', 'approved', 'executing', 'closing', 'evaluated', 'archived')),
    resolved_motion_id INTEGER REFERENCES motions (id),
    granted_amount     INTEGER,
    created_by         INTEGER REFERENCES users (id),
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    UNIQUE (scope_id, year)
);

CREATE TABLE plan_sections (
    plan_id INTEGER NOT NULL REFERENCES plans (id),
    kind    TEXT NOT NULL CHECK (kind IN ('base', 'projects', 'next_year', 'evaluation', 'budget')),
    body    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (plan_id, kind)
);

CREATE TABLE plan_projects (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id         INTEGER NOT NULL REFERENCES plans (id),
    title           TEXT NOT NULL,
    objective       TEXT NOT NULL DEFAULT '',
    lead_department TEXT NOT NULL DEFAULT '',
    partners        TEXT NOT NULL DEFAULT '',
    schedule        TEXT NOT NULL DEFAULT '',
    created_at      INTEGER NOT NULL
);
CREATE INDEX plan_projects_plan ON plan_projects (plan_id, id);

CREATE TABLE plan_project_items (
    project_id INTEGER NOT NULL REFERENCES plan_projects (id),
    item_id    INTEGER NOT NULL REFERENCES plan_items (id),
    PRIMARY KEY (project_id, item_id)
);
CREATE INDEX plan_project_items_item ON plan_project_items (item_id);

CREATE TABLE plan_budget_lines (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL REFERENCES plan_projects (id),
    source     TEXT NOT NULL CHECK (source IN ('city_grant', 'own_funds', 'pb_envelope')),
    amount     INTEGER NOT NULL CHECK (amount >= 0),
    note       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX plan_budget_lines_project ON plan_budget_lines (project_id, id);

-- Placeholders the evaluation capability fills (target and result stay empty until then).
CREATE TABLE plan_indicators (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL REFERENCES plan_projects (id),
    name       TEXT NOT NULL,
    target     TEXT,
    result     TEXT
);

-- Each submission freezes the plan as it was: never updated, never deleted.
CREATE TABLE plan_revisions (
    plan_id      INTEGER NOT NULL REFERENCES plans (id),
    number       INTEGER NOT NULL,
    snapshot     TEXT NOT NULL,
    submitted_by INTEGER REFERENCES users (id),
    submitted_at INTEGER NOT NULL,
    PRIMARY KEY (plan_id, number)
);
CREATE TRIGGER plan_revisions_frozen_update BEFORE UPDATE ON plan_revisions
BEGIN SELECT RAISE(ABORT, 'a submitted revision is immutable'); END;
CREATE TRIGGER plan_revisions_frozen_delete BEFORE DELETE ON plan_revisions
BEGIN SELECT RAISE(ABORT, 'a submitted revision is immutable'); END;

CREATE TABLE plan_comments (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id    INTEGER NOT NULL REFERENCES plans (id),
    revision   INTEGER NOT NULL,
    author_id  INTEGER REFERENCES users (id),
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX plan_comments_plan ON plan_comments (plan_id, id);

CREATE TABLE plan_transitions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id    INTEGER NOT NULL REFERENCES plans (id),
    from_state TEXT,
    to_state   TEXT NOT NULL,
    actor_id   INTEGER REFERENCES users (id),
    note       TEXT NOT NULL DEFAULT '',
    motion_id  INTEGER REFERENCES motions (id),
    at         INTEGER NOT NULL
);
CREATE INDEX plan_transitions_plan ON plan_transitions (plan_id, id);

-- The priority-setting forum: one approval ballot per person, scope and round (year), enforced here.
CREATE TABLE plan_priority_ballots (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    scope_id INTEGER NOT NULL REFERENCES scopes (id),
    year     INTEGER NOT NULL,
    user_id  INTEGER NOT NULL REFERENCES users (id),
    cast_at  INTEGER NOT NULL,
    UNIQUE (scope_id, year, user_id)
);

CREATE TABLE plan_priority_approvals (
    ballot_id INTEGER NOT NULL REFERENCES plan_priority_ballots (id),
    item_id   INTEGER NOT NULL REFERENCES plan_items (id),
    PRIMARY KEY (ballot_id, item_id)
);
CREATE INDEX plan_priority_approvals_item ON plan_priority_approvals (item_id);
