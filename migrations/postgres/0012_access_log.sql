-- Who looked at personal data in the organizers' view, and when: registrations downloaded as
-- CSV, a person's page, the mail log (`domain::audit::Access` in JSON). Holds ids, not data.
CREATE TABLE access_log (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor   TEXT    NOT NULL,
    details TEXT    NOT NULL,
    at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX access_log_by_actor ON access_log (actor, at);
