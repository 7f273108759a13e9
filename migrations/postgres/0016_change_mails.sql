-- A "what changed" mail waits a minute before it goes out; a second change in that time is
-- merged into it (one mail with the net change). `details` holds the change it tells of
-- (`domain::changes::EventChanges` in JSON) so that the next one can be merged.
ALTER TABLE outbox ADD COLUMN details TEXT;
