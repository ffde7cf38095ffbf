-- Public sphere at a city's size (issue 16, bench/public-sphere): each comment knows its thread's root, so a
-- page of threads reads only its own replies; and keeps its body rendered to safe HTML
-- (maeul_domain::markdown), so a page with hundreds of comments does not render markdown on every view.
-- `body_html` is NULL for comments written before this migration: readers render those on the fly.
-- Kept in step with ../postgres/0018_public_sphere_speed.sql.

ALTER TABLE comments ADD COLUMN root_id INTEGER REFERENCES comments (id);
ALTER TABLE comments ADD COLUMN body_html TEXT;

WITH RECURSIVE thread (id, root) AS (
    SELECT id, id FROM comments WHERE parent_id IS NULL
    UNION ALL
    SELECT c.id, t.root FROM comments c JOIN thread t ON c.parent_id = t.id
)
UPDATE comments SET root_id = thread.root FROM thread WHERE thread.id = comments.id;

CREATE INDEX comments_roots ON comments (proposal_id, root_id, id);
