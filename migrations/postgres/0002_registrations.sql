-- Registration settings of an event. `registration_enabled` FALSE: the event takes none.
ALTER TABLE events ADD COLUMN registration_enabled BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE events ADD COLUMN capacity BIGINT CHECK (capacity IS NULL OR capacity >= 0);
ALTER TABLE events ADD COLUMN waitlist_enabled BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE events ADD COLUMN registration_opens_at TIMESTAMPTZ;
ALTER TABLE events ADD COLUMN registration_closes_at TIMESTAMPTZ;
ALTER TABLE events ADD COLUMN confirmation_hours BIGINT NOT NULL DEFAULT 48 CHECK (confirmation_hours > 0);
-- JSON array of extra questions: [{"key", "label", "hint"?, "required"?, "options"?}]
ALTER TABLE events ADD COLUMN questions TEXT NOT NULL DEFAULT '[]';

CREATE TABLE registrations (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id         BIGINT  NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    name             TEXT    NOT NULL,
    email            TEXT    NOT NULL,
    email_normalized TEXT    NOT NULL,
    organisation     TEXT,
    notes            TEXT,
    answers          TEXT    NOT NULL DEFAULT '{}',
    locale           TEXT    NOT NULL DEFAULT 'en',
    status           TEXT    NOT NULL,
    -- SHA-256 (hex) of the secret manage link; the secret itself is never stored.
    token_hash       TEXT    NOT NULL UNIQUE,
    -- Arrival order on the waitlist (strictly increasing per event); NULL when not waiting.
    waitlist_seq     BIGINT,
    hold_expires_at  TIMESTAMPTZ,
    email_confirmed_at TIMESTAMPTZ,
    created_at       TIMESTAMPTZ    NOT NULL,
    updated_at       TIMESTAMPTZ    NOT NULL,
    UNIQUE (event_id, email_normalized)
);
CREATE INDEX registrations_by_status ON registrations (event_id, status, waitlist_seq);
CREATE INDEX registrations_holds ON registrations (status, hold_expires_at);

-- Who changed what and when, for the organizers' audit log.
CREATE TABLE registration_log (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    registration_id BIGINT  NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    event_id        BIGINT  NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    actor           TEXT    NOT NULL,
    action          TEXT    NOT NULL,
    from_status     TEXT,
    to_status       TEXT,
    at              TIMESTAMPTZ    NOT NULL
);
CREATE INDEX registration_log_by_registration ON registration_log (registration_id, id);

-- Mails to send, written in the same transaction as the change that causes them.
CREATE TABLE outbox (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind            TEXT    NOT NULL,
    registration_id BIGINT  REFERENCES registrations (id) ON DELETE SET NULL,
    recipient       TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    -- Erased once delivered: they may carry a secret link.
    body_text       TEXT,
    body_html       TEXT,
    ics             TEXT,
    status          TEXT    NOT NULL DEFAULT 'pending',
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ    NOT NULL,
    -- While a worker sends, other workers leave the row alone until this passes.
    claimed_until   TIMESTAMPTZ,
    last_error      TEXT,
    created_at      TIMESTAMPTZ    NOT NULL,
    sent_at         TIMESTAMPTZ
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
