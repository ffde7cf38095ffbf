-- A scope's proposal list (`proposals_in_scope`: one scope, public states, newest first, keyset on id) walks
-- this index backwards and stops after a page. Without it the cached generic plan scanned the primary key
-- backwards and filtered on the scope: 19 ms for a neighbourhood's list at 100,000 proposals, 0.2 ms with it
-- (bench/public-sphere). Kept in step with ../sqlite/0007_public_sphere_indexes.sql.
CREATE INDEX proposals_scope_recent ON proposals (scope_id, id);
