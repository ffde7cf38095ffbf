-- Issue 10: people get a unique handle (mentions and profile URLs; display names need not be unique);
-- automatic proposal transitions record the count that caused them (shown translated, not stored as
-- English); ineligibility reasons of applications are stored as codes (translated when shown).
-- Kept in step with ../postgres/0007_web_shape.sql.

ALTER TABLE users ADD COLUMN handle TEXT;
UPDATE users SET handle = 'user' || id;
CREATE UNIQUE INDEX users_handle ON users (handle);

ALTER TABLE proposal_transitions ADD COLUMN count INTEGER;
UPDATE proposal_transitions
   SET count = CAST(substr(reason, 1, instr(reason, ' ') - 1) AS INTEGER), reason = ''
 WHERE reason LIKE '% supporters';

UPDATE committee_applications SET ineligible_why = '' WHERE ineligible_why NOT GLOB '[a-z]*';

-- Audit actions are names the domain labels (`role_grant`); details are `key=value` pairs, not prose.
UPDATE audit_log SET action = replace(action, '.', '_');
UPDATE audit_log SET detail = '' WHERE action IN ('residency_declare', 'register_import', 'role_grant');
