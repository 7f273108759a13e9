-- Earlier secret links of a registration that still work. A repeat registration (or a
-- promotion) mails a new link; the link in the earlier mail keeps working, so that whichever
-- mail the person opens first confirms the seat. An organizer's "new link" ends them all. As
-- for the current link, only the SHA-256 (hex) of each secret is kept.
CREATE TABLE registration_links (
    token_hash      TEXT    PRIMARY KEY,
    registration_id INTEGER NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    created_at      TEXT    NOT NULL
);
CREATE INDEX registration_links_of ON registration_links (registration_id);
