-- Organizers who sign in through the community's identity provider (OpenID Connect): the
-- provider's subject identifier (`sub`) of their account. Such an account has no password
-- (an empty hash, which no password matches) unless it was made here first.
ALTER TABLE organizers ADD COLUMN sso_subject TEXT;
CREATE UNIQUE INDEX organizers_sso_subject ON organizers (sso_subject);
