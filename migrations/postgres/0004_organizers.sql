-- Organizers sign in with an e-mail address and a password (an Argon2id hash in PHC form).
CREATE TABLE organizers (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email            TEXT NOT NULL,
    email_normalized TEXT NOT NULL UNIQUE,
    password_hash    TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL
);

-- Signed-in sessions; only the SHA-256 of the cookie's secret is stored.
CREATE TABLE organizer_sessions (
    token_hash    TEXT PRIMARY KEY,
    organizer_id  BIGINT NOT NULL REFERENCES organizers (id) ON DELETE CASCADE,
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX organizer_sessions_expiry ON organizer_sessions (expires_at);

-- Arrival at the door.
ALTER TABLE registrations ADD COLUMN checked_in_at TIMESTAMPTZ;

-- Why an organizer did something to a registration (e.g. a promotion out of order).
ALTER TABLE registration_log ADD COLUMN note TEXT;

-- Changes to an event's settings (capacity, registration window, ...): who, when, before, after.
CREATE TABLE event_log (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id  BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    before    TEXT,
    after     TEXT,
    at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX event_log_by_event ON event_log (event_id, id);
