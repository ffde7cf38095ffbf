-- The cooperation platform's network (issue 17, second part): events of the network (forums, fairs,
-- networking meetings), organizations recorded as proposers or partners of other capabilities' objects (the
-- cooperation area owns the link; the objects' own tables are untouched), and awarded small grants tracked
-- as projects (one tracked project per award: the application is the primary key).
-- Kept in step with ../postgres/0014_cooperation_network.sql.

CREATE TABLE coop_events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    scope_id        INTEGER NOT NULL REFERENCES scopes (id),
    organization_id INTEGER REFERENCES coop_organizations (id),
    kind            TEXT NOT NULL CHECK (kind IN ('forum', 'fair', 'networking')),
    title           TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    place           TEXT NOT NULL DEFAULT '',
    starts_at       INTEGER NOT NULL,
    ends_at         INTEGER NOT NULL,
    created_by      INTEGER REFERENCES users (id),
    created_at      INTEGER NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX coop_events_scope ON coop_events (scope_id, starts_at);

CREATE TABLE coop_org_links (
    organization_id INTEGER NOT NULL REFERENCES coop_organizations (id),
    object_kind     TEXT NOT NULL CHECK (object_kind IN ('proposal', 'agenda_item', 'budget_project', 'committee_meeting')),
    object_id       INTEGER NOT NULL,
    capacity        TEXT NOT NULL CHECK (capacity IN ('proposer', 'partner')),
    recorded_by     INTEGER REFERENCES users (id),
    recorded_at     INTEGER NOT NULL,
    PRIMARY KEY (organization_id, object_kind, object_id)
);
CREATE INDEX coop_org_links_object ON coop_org_links (object_kind, object_id);

CREATE TABLE coop_grant_projects (
    application_id     INTEGER PRIMARY KEY REFERENCES coop_grant_applications (id),
    tracked_project_id INTEGER NOT NULL UNIQUE REFERENCES tracked_projects (id),
    created_at         INTEGER NOT NULL
);
