-- What an organizer may do (`domain::admin::Role`): accounts made before roles existed could do
-- everything, so they are admins.
ALTER TABLE organizers ADD COLUMN role TEXT NOT NULL DEFAULT 'admin';

-- Sign-ins, sign-outs and changes to organizer accounts (`domain::audit::AccountChange` in
-- JSON), for the admins' audit page. Holds ids, not data.
CREATE TABLE account_log (
    id      INTEGER PRIMARY KEY,
    actor   TEXT    NOT NULL,
    details TEXT    NOT NULL,
    at      TEXT    NOT NULL
);
