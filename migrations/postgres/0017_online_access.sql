-- Who sees an event's online link (`domain::event::OnlineAccess`): everyone, or only the people
-- registered (holding a seat, or also waiting). Every event so far showed it to everyone.
ALTER TABLE events ADD COLUMN online_access TEXT NOT NULL DEFAULT 'public';
