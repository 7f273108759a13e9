-- Webhooks (`domain::webhooks`) and Matrix notices (`domain::matrix`): the endpoints admins
-- registered, and the deliveries: one per endpoint or Matrix room and message, queued in the
-- transaction of the change and sent by the delivery worker.
CREATE TABLE webhook_endpoints (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url            TEXT    NOT NULL,
    description    TEXT    NOT NULL,
    -- The kinds of message it takes, their words separated by spaces.
    kinds          TEXT    NOT NULL,
    -- Standard Webhooks' `whsec_` secret: the HMAC key must be kept to sign with.
    secret         TEXT    NOT NULL,
    personal_data  BOOLEAN NOT NULL,
    -- Failed attempts in a row; at the limit the endpoint is paused until an admin resumes it.
    failures       BIGINT NOT NULL DEFAULT 0,
    paused_at      TIMESTAMPTZ,
    created_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE deliveries (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Where it goes: an endpoint, or a Matrix room (the homeserver is a setting).
    endpoint_id     BIGINT REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    matrix_room     TEXT,
    kind            TEXT    NOT NULL,
    -- The registration it is about, so that an erasure takes back what was not sent.
    registration_id BIGINT REFERENCES registrations (id) ON DELETE SET NULL,
    -- The JSON body; erased once delivered (it may carry a person's name and address).
    payload         TEXT,
    status          TEXT    NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    claimed_until   TIMESTAMPTZ,
    -- The endpoint's last HTTP status, or what went wrong before one came.
    response_status BIGINT,
    last_error      TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    sent_at         TIMESTAMPTZ,
    CHECK ((endpoint_id IS NULL) <> (matrix_room IS NULL))
);
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
CREATE INDEX deliveries_by_endpoint ON deliveries (endpoint_id, id);
