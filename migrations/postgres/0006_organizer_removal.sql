-- An organizer whose access was taken away: they can no longer sign in, and the audit log still
-- names them. Adding the address again gives the account back, with a new password.
ALTER TABLE organizers ADD COLUMN removed_at TIMESTAMPTZ;
