-- Issue 12's eligibility rules, configured per process: which residence bases take part (Seoul's processes
-- admit those who work or study in the district, or residents only) and a minimum age that is enforced on
-- the birth date declared with the register identity (verified by the register when it matches).
-- Kept in step with ../sqlite/0023_voter_rules.sql.
ALTER TABLE residencies ADD COLUMN birth_date TEXT;
ALTER TABLE budget_processes ADD COLUMN voter_bases TEXT NOT NULL DEFAULT 'resident,worker,student,business,foreigner';
