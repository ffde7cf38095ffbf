-- Issue 11 (hardening): one register identity verifies one account at a time, conflicts reported to
-- officials; sign-in limits stored in the database (they survive restarts and hold across servers).
-- Kept in step with ../sqlite/0008_hardening.sql.

CREATE TABLE identity_conflicts (
    id            BIGSERIAL PRIMARY KEY,
    identity_hash TEXT NOT NULL,
    holder_id     BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    claimant_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    scope_id      BIGINT NOT NULL REFERENCES scopes (id),
    created_at    BIGINT NOT NULL,
    resolved_by   BIGINT REFERENCES users (id),
    resolved_at   BIGINT,
    resolution    TEXT CHECK (resolution IN ('moved', 'kept'))
);
CREATE UNIQUE INDEX identity_conflicts_open_claim ON identity_conflicts (claimant_id) WHERE resolved_at IS NULL;
CREATE INDEX identity_conflicts_identity ON identity_conflicts (identity_hash);

-- Identities that already verify several accounts: the earliest verification stays, the others go back
-- to pending and are reported as conflicts.
INSERT INTO identity_conflicts (identity_hash, holder_id, claimant_id, scope_id, created_at)
SELECT r.identity_hash,
       (SELECT k.user_id FROM residencies k WHERE k.identity_hash = r.identity_hash AND k.status = 'verified'
         ORDER BY COALESCE(k.decided_at, k.declared_at), k.user_id LIMIT 1),
       r.user_id, r.scope_id, CAST(extract(epoch FROM now()) AS BIGINT)
  FROM residencies r
 WHERE r.status = 'verified' AND r.identity_hash IS NOT NULL
   AND r.user_id <> (SELECT k.user_id FROM residencies k WHERE k.identity_hash = r.identity_hash AND k.status = 'verified'
         ORDER BY COALESCE(k.decided_at, k.declared_at), k.user_id LIMIT 1);
UPDATE residencies SET status = 'pending', decided_by = NULL, decided_at = NULL, decision_note = NULL
 WHERE user_id IN (SELECT claimant_id FROM identity_conflicts WHERE resolved_at IS NULL);

CREATE UNIQUE INDEX residencies_one_verified_identity ON residencies (identity_hash)
 WHERE status = 'verified' AND identity_hash IS NOT NULL;

CREATE TABLE sign_in_failures (
    key      TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    last_at  BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_last_at ON sign_in_failures (last_at);
