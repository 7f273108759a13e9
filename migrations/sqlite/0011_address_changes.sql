-- A person asked to use another e-mail address for their registration; it replaces the old one
-- once they follow the link mailed to the new address (only the secret's SHA-256 is kept). One
-- pending change per registration; erasure removes it.
CREATE TABLE address_changes (
    token_hash      TEXT    PRIMARY KEY,
    registration_id INTEGER NOT NULL UNIQUE REFERENCES registrations (id) ON DELETE CASCADE,
    new_email       TEXT    NOT NULL,
    created_at      TEXT    NOT NULL
);
