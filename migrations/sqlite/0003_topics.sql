-- Topic collection of an event. `topics_enabled` FALSE: the event collects none.
ALTER TABLE events ADD COLUMN topics_enabled BOOLEAN NOT NULL DEFAULT FALSE;
-- At most this many topics per registration; NULL is no limit.
ALTER TABLE events ADD COLUMN topics_per_person INTEGER CHECK (topics_per_person IS NULL OR topics_per_person > 0);
-- New proposals are refused from then on; NULL: open until the event ends.
ALTER TABLE events ADD COLUMN topics_close_at TEXT;

CREATE TABLE topics (
    id              INTEGER PRIMARY KEY,
    event_id        INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    -- The proposer; NULL for topics organizers entered (or whose registration was erased).
    registration_id INTEGER REFERENCES registrations (id) ON DELETE SET NULL,
    -- The name shown with the topic (never the e-mail address).
    shown_as        TEXT    NOT NULL,
    title           TEXT    NOT NULL,
    description_md  TEXT    NOT NULL DEFAULT '',
    status          TEXT    NOT NULL DEFAULT 'proposed',
    merged_into     INTEGER REFERENCES topics (id),
    hidden_reason   TEXT,
    -- The organizers' order of accepted topics on the agenda.
    agenda_position INTEGER,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CHECK ((status = 'merged') = (merged_into IS NOT NULL)),
    CHECK ((status = 'hidden') = (hidden_reason IS NOT NULL))
);
CREATE INDEX topics_by_event ON topics (event_id, status);
CREATE INDEX topics_by_proposer ON topics (registration_id);

-- One vote per registration per topic: the primary key makes a second one impossible.
CREATE TABLE topic_votes (
    topic_id        INTEGER NOT NULL REFERENCES topics (id) ON DELETE CASCADE,
    registration_id INTEGER NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (topic_id, registration_id)
);
CREATE INDEX topic_votes_by_registration ON topic_votes (registration_id);
