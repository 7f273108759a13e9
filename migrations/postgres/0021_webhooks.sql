-- Webhooks (`domain::webhooks`): the endpoints admins registered, and a delivery per endpoint
-- and message, queued in the transaction of the change and sent by the webhook worker.
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

CREATE TABLE webhook_deliveries (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    endpoint_id     BIGINT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
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
    sent_at         TIMESTAMPTZ
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, id);
