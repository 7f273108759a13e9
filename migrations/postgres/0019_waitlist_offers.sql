-- Waitlist offers (`domain::RegistrationSettings`): a seat freed for the waitlist is offered to
-- the first person waiting for `offer_hours` (NULL: given at once, as every event did so far),
-- who holds it as `offered` until `hold_expires_at`. After `last_promotion_at` nobody moves up
-- any more, and those still waiting are told.
ALTER TABLE events ADD COLUMN offer_hours BIGINT CHECK (offer_hours IS NULL OR offer_hours > 0);
ALTER TABLE events ADD COLUMN last_promotion_at TIMESTAMPTZ;
