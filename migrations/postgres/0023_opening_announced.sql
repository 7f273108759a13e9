-- The registration opening (its `registration_opens_at`) that the community's Matrix room was
-- told of, so that a scheduled opening is announced once, by one instance.
ALTER TABLE events ADD COLUMN opening_announced_at TIMESTAMPTZ;
