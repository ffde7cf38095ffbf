-- Issue 15, the dashboard's participation: budget voters are counted by their home scope for one dashboard's
-- subtree at a time (`turnout_by_home_scope`), so the turnout is indexed by home scope (and voter, for the
-- distinct count without reading the table).
CREATE INDEX budget_turnout_home ON budget_turnout (home_scope, user_id);
