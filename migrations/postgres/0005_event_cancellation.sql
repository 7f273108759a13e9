-- An event called off as a whole: its page and feed entries stay, marked cancelled, and its
-- registrations are cancelled in the same transaction.
ALTER TABLE events ADD COLUMN cancelled_at TIMESTAMPTZ;
