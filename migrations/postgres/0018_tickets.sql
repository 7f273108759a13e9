-- Tickets (`domain::tickets`): every registration has a check-in code, read at the door from
-- the QR code on the person's page and in their mails. It is not the manage link's secret.
-- Registrations from before get one now (ten hex digits, which are letters of the codes'
-- alphabet); new ones get ten random letters of it.
ALTER TABLE registrations ADD COLUMN ticket_code TEXT NOT NULL DEFAULT '';
UPDATE registrations SET ticket_code = upper(substr(md5(random()::text || id::text), 1, 10));
CREATE UNIQUE INDEX registrations_by_ticket_code ON registrations (ticket_code);
-- The address a mail's QR code holds; the mailer draws it as an image. Erased once delivered,
-- with the bodies.
ALTER TABLE outbox ADD COLUMN ticket TEXT;
