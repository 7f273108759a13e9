-- An organizer's "send a new link" ends every earlier link of a registration. Their hashes stay,
-- marked with the time they were replaced, so that such a link opens a page saying a newer mail
-- holds the link that works, instead of a bare "not found". A replaced link opens nothing else;
-- erasing the registration removes them with the rest.
ALTER TABLE registration_links ADD COLUMN replaced_at TIMESTAMPTZ;
