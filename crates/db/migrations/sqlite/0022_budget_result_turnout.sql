-- Issue 12's result page at 100,000 ballots: the voters by home neighbourhood are counted once, with the
-- result (the turnout cannot change after the vote closes), instead of on every view of the result page
-- (bench/budget: 77 views/s, p99 1.3 s, reading the whole turnout each time).
-- Kept in step with ../postgres/0022_budget_result_turnout.sql.
ALTER TABLE budget_results ADD COLUMN turnout TEXT NOT NULL DEFAULT '[]';
UPDATE budget_results SET turnout = (
    SELECT COALESCE(json_group_array(json_array(g.home_scope, g.voters)), '[]')
    FROM (SELECT home_scope, COUNT(*) AS voters FROM budget_turnout t
          WHERE t.process_id = budget_results.process_id GROUP BY home_scope ORDER BY home_scope) AS g);
