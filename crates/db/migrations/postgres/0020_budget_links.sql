-- Issue 12, the decentralized budget, third part: a project born from an adopted public-sphere proposal
-- (one project per proposal: a partial unique index, so the link holds both ways), the carried committee
-- motion a shortlist decision cites, and files attached to projects (the public sphere's mechanism: the
-- same checks, stored beside the project like a proposal's beside the proposal).
-- Kept in step with ../sqlite/0020_budget_links.sql.

CREATE UNIQUE INDEX budget_projects_proposal ON budget_projects (proposal_id) WHERE proposal_id IS NOT NULL;

-- The motion of a committee of the process's scope that decided the shortlist (NULL: staff decided).
ALTER TABLE budget_projects ADD COLUMN shortlist_motion_id BIGINT REFERENCES motions (id);

CREATE TABLE budget_project_attachments (
    id           BIGSERIAL PRIMARY KEY,
    project_id   BIGINT NOT NULL REFERENCES budget_projects (id),
    uploader_id  BIGINT NOT NULL REFERENCES users (id),
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    data         BYTEA NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX budget_project_attachments_project ON budget_project_attachments (project_id, id);
