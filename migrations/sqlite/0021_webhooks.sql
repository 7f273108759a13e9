-- Webhooks (`domain::webhooks`): the endpoints admins registered, and a delivery per endpoint
-- and message, queued in the transaction of the change and sent by the webhook worker.
CREATE TABLE webhook_endpoints (
    id             INTEGER PRIMARY KEY,
    url            TEXT    NOT NULL,
    description    TEXT    NOT NULL,
    -- The kinds of message it takes, their words separated by spaces.
    kinds          TEXT    NOT NULL,
    -- Standard Webhooks' `whsec_` secret: the HMAC key must be kept to sign with.
    secret         TEXT    NOT NULL,
    personal_data  BOOLEAN NOT NULL,
    -- Failed attempts in a row; at the limit the endpoint is paused until an admin resumes it.
    failures       INTEGER NOT NULL DEFAULT 0,
    paused_at      TEXT,
    created_at     TEXT NOT NULL
);

CREATE TABLE webhook_deliveries (
    id              INTEGER PRIMARY KEY,
    endpoint_id     INTEGER NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL,
    -- The registration it is about, so that an erasure takes back what was not sent.
    registration_id INTEGER REFERENCES registrations (id) ON DELETE SET NULL,
    -- The JSON body; erased once delivered (it may carry a person's name and address).
    payload         TEXT,
    status          TEXT    NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    claimed_until   TEXT,
    -- The endpoint's last HTTP status, or what went wrong before one came.
    response_status INTEGER,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    sent_at         TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, id);
