-- Issue 12, the decentralized budget, second part: a process's dates (the background worker moves it on
-- them), voter-group weights (online residents, the scope's budget committee, budget-school graduates —
-- graduates are the cooperation area's completed enrolments, read, not copied), per-category quotas on
-- approval ballots, what a count read (a digest of the snapshot of closed ballots), money not awarded
-- returned up or carried over when a process is approved, and imported historical elections.
-- Kept in step with ../postgres/0015_budget_schedule.sql.

ALTER TABLE budget_processes ADD COLUMN proposals_open_at INTEGER;
ALTER TABLE budget_processes ADD COLUMN proposals_close_at INTEGER;
ALTER TABLE budget_processes ADD COLUMN voting_open_at INTEGER;
ALTER TABLE budget_processes ADD COLUMN voting_close_at INTEGER;
-- Shares of the count per voter group (all 0: every ballot weighs the same).
ALTER TABLE budget_processes ADD COLUMN weight_online INTEGER NOT NULL DEFAULT 0 CHECK (weight_online >= 0);
ALTER TABLE budget_processes ADD COLUMN weight_committee INTEGER NOT NULL DEFAULT 0 CHECK (weight_committee >= 0);
ALTER TABLE budget_processes ADD COLUMN weight_school INTEGER NOT NULL DEFAULT 0 CHECK (weight_school >= 0);
-- Per-category quotas of an approval ballot, `category:n` separated by newlines ('' = none).
ALTER TABLE budget_processes ADD COLUMN quotas TEXT NOT NULL DEFAULT '';
-- 1 for an election imported from a .pb file (no ballots of ours; the file's voters were counted).
ALTER TABLE budget_processes ADD COLUMN imported INTEGER NOT NULL DEFAULT 0;
-- Whether the leftover of an approved process was returned up or carried over (NULL until then).
ALTER TABLE budget_processes ADD COLUMN leftover_applied INTEGER;
CREATE INDEX budget_processes_due ON budget_processes (phase, voting_close_at);

-- The group a ballot counts in, fixed when it is cast.
ALTER TABLE budget_ballots ADD COLUMN voter_group TEXT NOT NULL DEFAULT 'online'
    CHECK (voter_group IN ('online', 'committee', 'school'));

-- What a count read: the number of ballots and a digest of the snapshot, and the weights it used.
ALTER TABLE budget_results ADD COLUMN snapshot TEXT NOT NULL DEFAULT '';
ALTER TABLE budget_results ADD COLUMN weights TEXT NOT NULL DEFAULT '';
-- The imported election's text, when the process was imported.
ALTER TABLE budget_results ADD COLUMN source_pb TEXT;

-- Money not awarded: returned up to this envelope from its children, and carried over to the next cycle.
ALTER TABLE budget_envelopes ADD COLUMN returned_in INTEGER NOT NULL DEFAULT 0 CHECK (returned_in >= 0);
ALTER TABLE budget_envelopes ADD COLUMN carried_over INTEGER NOT NULL DEFAULT 0 CHECK (carried_over >= 0);
