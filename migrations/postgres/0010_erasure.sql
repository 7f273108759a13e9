-- When a registration's personal data was erased (by the person, an organizer, or the
-- retention job): its row stays for the event's counts, without name, address or answers.
ALTER TABLE registrations ADD COLUMN erased_at TIMESTAMPTZ;
-- When the personal data of every registration of an event was erased (retention, or an
-- organizer's "erase now" after the event).
ALTER TABLE events ADD COLUMN personal_data_erased_at TIMESTAMPTZ;
