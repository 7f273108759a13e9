-- When the reminder mails of an event were queued (once per event; cleared when it moves).
ALTER TABLE events ADD COLUMN reminded_at TIMESTAMPTZ;
