-- Issue 13, second part. Notifications are about a subject of any kind (a proposal or debate, an agenda
-- item, a budget process), no longer about proposals only: `notifications.proposal_id` becomes
-- `subject_kind` + `subject_id` (existing rows keep their subject: proposals from the old column, budget
-- processes from their event's detail `id:phase:title`), and agenda items can be followed. The priority
-- forum's vote of a scope and year is configured (approval, or points: N to spread), and a mark carries its
-- points (1 for an approval). Adopted items' plan projects get working groups. Kept in step with ../postgres/0021_plan_followers_points_groups.sql.

CREATE TABLE follows_next (
    user_id     INTEGER NOT NULL REFERENCES users (id),
    target_kind TEXT NOT NULL CHECK (target_kind IN ('proposal', 'scope', 'user', 'plan_item')),
    target_id   INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, target_kind, target_id)
);
INSERT INTO follows_next (user_id, target_kind, target_id, created_at)
    SELECT user_id, target_kind, target_id, created_at FROM follows;
DROP TABLE follows;
ALTER TABLE follows_next RENAME TO follows;
CREATE INDEX follows_target ON follows (target_kind, target_id);

CREATE TABLE notifications_next (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    kind         TEXT NOT NULL,
    comment_id   INTEGER REFERENCES comments (id),
    actor_id     INTEGER REFERENCES users (id),
    detail       TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    read_at      INTEGER,
    mailed_at    INTEGER,
    subject_kind TEXT CHECK (subject_kind IN ('proposal', 'plan_item', 'budget_process')),
    subject_id   INTEGER,
    CHECK ((subject_kind IS NULL) = (subject_id IS NULL))
);
INSERT INTO notifications_next (id, user_id, kind, comment_id, actor_id, detail, created_at, read_at, mailed_at,
        subject_kind, subject_id)
    SELECT id, user_id, kind, comment_id, actor_id, detail, created_at, read_at, mailed_at,
        CASE WHEN proposal_id IS NOT NULL THEN 'proposal'
             WHEN kind = 'budget-phase' AND instr(detail, ':') > 1 THEN 'budget_process' END,
        CASE WHEN proposal_id IS NOT NULL THEN proposal_id
             WHEN kind = 'budget-phase' AND instr(detail, ':') > 1
             THEN CAST(substr(detail, 1, instr(detail, ':') - 1) AS INTEGER) END
    FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_next RENAME TO notifications;
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id, read_at);
CREATE INDEX notifications_unmailed ON notifications (mailed_at, created_at);
CREATE INDEX notifications_subject ON notifications (subject_kind, subject_id);

-- A scope's priority vote of a year: approval (no row) or points to spread. Fixed once a ballot is cast.
CREATE TABLE plan_priority_votes (
    scope_id   INTEGER NOT NULL REFERENCES scopes (id),
    year       INTEGER NOT NULL,
    method     TEXT NOT NULL CHECK (method IN ('approval', 'points')),
    points     INTEGER NOT NULL DEFAULT 0 CHECK (points >= 0),
    set_by     INTEGER REFERENCES users (id),
    set_at     INTEGER NOT NULL,
    PRIMARY KEY (scope_id, year)
);
ALTER TABLE plan_priority_approvals ADD COLUMN points INTEGER NOT NULL DEFAULT 1 CHECK (points >= 1);

-- Working groups (issue 13, point 6): an adopted item's plan project may have one, of residents and
-- officials, with members, meetings and dated updates. A meeting is a small record (date, place, minutes):
-- a working group has no seats, quorum, agenda or motions, so a committee's meeting would not fit.
CREATE TABLE plan_working_groups (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL UNIQUE REFERENCES plan_projects (id),
    name       TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at INTEGER NOT NULL
);
CREATE TABLE plan_group_members (
    group_id INTEGER NOT NULL REFERENCES plan_working_groups (id),
    user_id  INTEGER NOT NULL REFERENCES users (id),
    role     TEXT NOT NULL CHECK (role IN ('resident', 'official')),
    added_by INTEGER REFERENCES users (id),
    added_at INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE TABLE plan_group_meetings (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    group_id    INTEGER NOT NULL REFERENCES plan_working_groups (id),
    held_at     INTEGER NOT NULL,
    place       TEXT NOT NULL DEFAULT '',
    minutes     TEXT NOT NULL DEFAULT '',
    recorded_by INTEGER REFERENCES users (id),
    recorded_at INTEGER NOT NULL
);
CREATE INDEX plan_group_meetings_group ON plan_group_meetings (group_id, held_at);
CREATE TABLE plan_group_updates (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    group_id  INTEGER NOT NULL REFERENCES plan_working_groups (id),
    author_id INTEGER NOT NULL REFERENCES users (id),
    body      TEXT NOT NULL,
    posted_at INTEGER NOT NULL
);
CREATE INDEX plan_group_updates_group ON plan_group_updates (group_id, id);
