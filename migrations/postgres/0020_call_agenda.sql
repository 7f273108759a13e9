-- The community call's agenda (`domain::call`): a series' sections in the organizers' order,
-- the items written into them per date, the generated entries hidden for one call, and the
-- reminders sent to teams whose section was still empty.
CREATE TABLE call_sections (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id       BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    position       BIGINT NOT NULL,
    kind           TEXT    NOT NULL CHECK (kind IN ('team', 'free', 'upcoming')),
    title          TEXT    NOT NULL,
    team_event_id  BIGINT REFERENCES events (id) ON DELETE CASCADE,
    -- Only the SHA-256 of the contributor link's secret; NULL when no link is out.
    contributor_token_hash TEXT UNIQUE,
    created_at     TIMESTAMPTZ NOT NULL,
    CHECK ((kind = 'team') = (team_event_id IS NOT NULL))
);
CREATE UNIQUE INDEX call_sections_team ON call_sections (event_id, team_event_id);
CREATE INDEX call_sections_by_event ON call_sections (event_id, position);

-- Organizer accounts named as a section's contributors: reminded, and may write its items.
CREATE TABLE call_section_contributors (
    section_id   BIGINT NOT NULL REFERENCES call_sections (id) ON DELETE CASCADE,
    organizer_id BIGINT NOT NULL REFERENCES organizers (id) ON DELETE CASCADE,
    PRIMARY KEY (section_id, organizer_id)
);

CREATE TABLE call_items (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    section_id  BIGINT NOT NULL REFERENCES call_sections (id) ON DELETE CASCADE,
    -- The call: the series' date as first planned.
    call_date   DATE    NOT NULL,
    position    BIGINT NOT NULL,
    body_md     TEXT    NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX call_items_by_date ON call_items (section_id, call_date, position);

-- An event the generated section leaves out of one call.
CREATE TABLE call_hidden_entries (
    event_id        BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    call_date       DATE    NOT NULL,
    entry_event_id  BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, call_date, entry_event_id)
);

-- One reminder per section and call.
CREATE TABLE call_reminders (
    section_id  BIGINT NOT NULL REFERENCES call_sections (id) ON DELETE CASCADE,
    call_date   DATE    NOT NULL,
    sent_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (section_id, call_date)
);
