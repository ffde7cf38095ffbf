-- The residents' general assembly (주민총회) of a neighbourhood: its agenda (items the neighbourhood holds),
-- its transitions, attendance at the session, and its ballots — one per person and assembly, whatever the
-- channel (online, paper entered by staff, on site), so one vote per person per item is a fact of the
-- database; each ballot's marks (yes/no and a place in the voter's preference order).
-- Kept in step with ../postgres/0017_plan_assembly.sql.

CREATE TABLE plan_assemblies (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    scope_id   INTEGER NOT NULL REFERENCES scopes (id),
    year       INTEGER NOT NULL,
    plan_id    INTEGER REFERENCES plans (id),
    title      TEXT NOT NULL,
    place      TEXT NOT NULL DEFAULT '',
    held_at    INTEGER NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('drafting', 'pre_consultation', 'agenda_fixed', 'pre_voting', 'in_session', 'results_published', 'plan_adopted')),
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (scope_id, year)
);

CREATE TABLE plan_assembly_agenda (
    assembly_id INTEGER NOT NULL REFERENCES plan_assemblies (id),
    item_id     INTEGER NOT NULL REFERENCES plan_items (id),
    position    INTEGER NOT NULL,
    PRIMARY KEY (assembly_id, item_id)
);

CREATE TABLE plan_assembly_transitions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    assembly_id INTEGER NOT NULL REFERENCES plan_assemblies (id),
    from_state  TEXT NOT NULL,
    to_state    TEXT NOT NULL,
    actor_id    INTEGER REFERENCES users (id),
    at          INTEGER NOT NULL
);
CREATE INDEX plan_assembly_transitions_assembly ON plan_assembly_transitions (assembly_id, id);

CREATE TABLE plan_assembly_attendance (
    assembly_id INTEGER NOT NULL REFERENCES plan_assemblies (id),
    user_id     INTEGER NOT NULL REFERENCES users (id),
    recorded_by INTEGER REFERENCES users (id),
    at          INTEGER NOT NULL,
    PRIMARY KEY (assembly_id, user_id)
);

CREATE TABLE plan_assembly_ballots (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    assembly_id INTEGER NOT NULL REFERENCES plan_assemblies (id),
    user_id     INTEGER NOT NULL REFERENCES users (id),
    channel     TEXT NOT NULL CHECK (channel IN ('online', 'paper', 'on_site')),
    entered_by  INTEGER REFERENCES users (id),
    cast_at     INTEGER NOT NULL,
    UNIQUE (assembly_id, user_id)
);

CREATE TABLE plan_assembly_marks (
    ballot_id  INTEGER NOT NULL REFERENCES plan_assembly_ballots (id),
    item_id    INTEGER NOT NULL REFERENCES plan_items (id),
    choice     TEXT NOT NULL CHECK (choice IN ('yes', 'no')),
    preference INTEGER CHECK (preference IS NULL OR preference >= 1),
    PRIMARY KEY (ballot_id, item_id)
);
CREATE INDEX plan_assembly_marks_item ON plan_assembly_marks (item_id);
