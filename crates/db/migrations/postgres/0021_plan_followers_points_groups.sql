-- Issue 13, second part. Notifications are about a subject of any kind (a proposal or debate, an agenda
-- item, a budget process), no longer about proposals only: `notifications.proposal_id` becomes
-- `subject_kind` + `subject_id` (existing rows keep their subject: proposals from the old column, budget
-- processes from their event's detail `id:phase:title`), and agenda items can be followed. The priority
-- forum's vote of a scope and year is configured (approval, or points: N to spread), and a mark carries its
-- points (1 for an approval). Adopted items' plan projects get working groups. Kept in step with ../sqlite/0021_plan_followers_points_groups.sql.

ALTER TABLE follows DROP CONSTRAINT follows_target_kind_check;
ALTER TABLE follows ADD CONSTRAINT follows_target_kind_check
    CHECK (target_kind IN ('proposal', 'scope', 'user', 'plan_item'));

ALTER TABLE notifications
    ADD COLUMN subject_kind TEXT CHECK (subject_kind IN ('proposal', 'plan_item', 'budget_process')),
    ADD COLUMN subject_id BIGINT;
UPDATE notifications SET subject_kind = 'proposal', subject_id = proposal_id WHERE proposal_id IS NOT NULL;
UPDATE notifications SET subject_kind = 'budget_process', subject_id = CAST(split_part(detail, ':', 1) AS BIGINT)
    WHERE proposal_id IS NULL AND kind = 'budget-phase' AND detail ~ '^[0-9]+:';
ALTER TABLE notifications DROP COLUMN proposal_id;
ALTER TABLE notifications ADD CONSTRAINT notifications_subject_pair
    CHECK ((subject_kind IS NULL) = (subject_id IS NULL));
CREATE INDEX notifications_subject ON notifications (subject_kind, subject_id);

-- A scope's priority vote of a year: approval (no row) or points to spread. Fixed once a ballot is cast.
CREATE TABLE plan_priority_votes (
    scope_id   BIGINT NOT NULL REFERENCES scopes (id),
    year       BIGINT NOT NULL,
    method     TEXT NOT NULL CHECK (method IN ('approval', 'points')),
    points     BIGINT NOT NULL DEFAULT 0 CHECK (points >= 0),
    set_by     BIGINT REFERENCES users (id),
    set_at     BIGINT NOT NULL,
    PRIMARY KEY (scope_id, year)
);
ALTER TABLE plan_priority_approvals ADD COLUMN points BIGINT NOT NULL DEFAULT 1 CHECK (points >= 1);

-- Working groups (issue 13, point 6): an adopted item's plan project may have one, of residents and
-- officials, with members, meetings and dated updates. A meeting is a small record (date, place, minutes):
-- a working group has no seats, quorum, agenda or motions, so a committee's meeting would not fit.
CREATE TABLE plan_working_groups (
    id         BIGSERIAL PRIMARY KEY,
    project_id BIGINT NOT NULL UNIQUE REFERENCES plan_projects (id),
    name       TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL
);
CREATE TABLE plan_group_members (
    group_id BIGINT NOT NULL REFERENCES plan_working_groups (id),
    user_id  BIGINT NOT NULL REFERENCES users (id),
    role     TEXT NOT NULL CHECK (role IN ('resident', 'official')),
    added_by BIGINT REFERENCES users (id),
    added_at BIGINT NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE TABLE plan_group_meetings (
    id          BIGSERIAL PRIMARY KEY,
    group_id    BIGINT NOT NULL REFERENCES plan_working_groups (id),
    held_at     BIGINT NOT NULL,
    place       TEXT NOT NULL DEFAULT '',
    minutes     TEXT NOT NULL DEFAULT '',
    recorded_by BIGINT REFERENCES users (id),
    recorded_at BIGINT NOT NULL
);
CREATE INDEX plan_group_meetings_group ON plan_group_meetings (group_id, held_at);
CREATE TABLE plan_group_updates (
    id        BIGSERIAL PRIMARY KEY,
    group_id  BIGINT NOT NULL REFERENCES plan_working_groups (id),
    author_id BIGINT NOT NULL REFERENCES users (id),
    body      TEXT NOT NULL,
    posted_at BIGINT NOT NULL
);
CREATE INDEX plan_group_updates_group ON plan_group_updates (group_id, id);
