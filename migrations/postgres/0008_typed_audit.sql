-- The audit logs as data: the structured change (JSON, `domain::audit`) the admin pages put into
-- the reader's words. Rows written before keep their English text in before/after and note.
ALTER TABLE event_log ADD COLUMN details TEXT;
ALTER TABLE registration_log ADD COLUMN details TEXT;
