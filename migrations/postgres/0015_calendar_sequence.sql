-- How often what a calendar shows of an event has changed (its times, place, a date of its
-- series, its cancellation): the `SEQUENCE` of its `VEVENT`s, so that calendar clients replace
-- their copy instead of keeping the old one.
ALTER TABLE events ADD COLUMN calendar_sequence BIGINT NOT NULL DEFAULT 0;
