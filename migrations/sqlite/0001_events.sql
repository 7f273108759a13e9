-- Events and series. Instants are UTC; `time_zone` is the IANA zone the event is planned in.
CREATE TABLE events (
    id             INTEGER PRIMARY KEY,
    slug           TEXT    NOT NULL UNIQUE,
    title          TEXT    NOT NULL,
    kind           TEXT    NOT NULL,
    summary        TEXT    NOT NULL DEFAULT '',
    description_md TEXT    NOT NULL DEFAULT '',
    starts_at      TEXT    NOT NULL,
    ends_at        TEXT    NOT NULL,
    time_zone      TEXT    NOT NULL,
    venue          TEXT,
    online_url     TEXT,
    host           TEXT,
    external_url   TEXT,
    -- RFC 5545 RRULE subset; NULL for a single event. starts_at/ends_at are then the first occurrence.
    recurrence     TEXT,
    published      BOOLEAN NOT NULL DEFAULT TRUE,
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    CHECK (ends_at >= starts_at)
);

-- A change to one occurrence of a series, keyed by its original local date.
CREATE TABLE occurrence_overrides (
    event_id       INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    original_date  TEXT    NOT NULL,
    cancelled      BOOLEAN NOT NULL DEFAULT FALSE,
    moved_starts_at TEXT,
    moved_ends_at  TEXT,
    notes_md       TEXT,
    PRIMARY KEY (event_id, original_date),
    CHECK ((moved_starts_at IS NULL) = (moved_ends_at IS NULL))
);
