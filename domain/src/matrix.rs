//! Matrix room notices: what the community's rooms hear of (a new event, a change, a cancelled or
//! moved date, registration opening, seats free again, a new topic), and which room hears it.
//! The words are the site's text catalogue's; sending is the server's.

use chrono::{DateTime, NaiveDate, Utc};

/// The kinds of notice, by the room setting that decides where they go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeGroup {
    /// New, changed and cancelled events, and dates of a series cancelled or moved.
    Events,
    /// Registration opening, and seats free again.
    Registration,
    /// New topics proposed.
    Topics,
}

/// The rooms notices go to: one for all, and one per group where it differs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rooms {
    pub all: Option<String>,
    pub events: Option<String>,
    pub registration: Option<String>,
    pub topics: Option<String>,
}

impl Rooms {
    /// The room of `group`: its own, else the one for all; `None`: the group is not sent.
    pub fn of(&self, group: NoticeGroup) -> Option<&str> {
        let own = match group {
            NoticeGroup::Events => &self.events,
            NoticeGroup::Registration => &self.registration,
            NoticeGroup::Topics => &self.topics,
        };
        own.as_deref().or(self.all.as_deref())
    }
}

/// Whether `text` names a Matrix room: an id (`!opaque:server`, or `!opaque` alone since room
/// version 12) or an alias (`#name:server`).
pub fn is_room(text: &str) -> bool {
    if text.is_empty() || text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let named = |rest: &str| match rest.split_once(':') {
        Some((local, server)) => !local.is_empty() && !server.is_empty(),
        None => false,
    };
    match (text.strip_prefix('!'), text.strip_prefix('#')) {
        (Some(id), _) => !id.is_empty() && (!id.contains(':') || named(id)),
        (_, Some(alias)) => named(alias),
        _ => false,
    }
}

/// What happened to an event that its rooms hear of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// Published (saved published, or published later).
    Published,
    /// Its time, place or online link changed (`what`: which of them).
    Changed {
        what: Vec<ChangedPart>,
    },
    Cancelled,
    /// One date of a series is cancelled.
    DateCancelled {
        date: NaiveDate,
    },
    /// One date of a series moves.
    DateMoved {
        date: NaiveDate,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
    },
    /// Organizers opened registration.
    RegistrationOpened,
    /// A full event has seats again and nobody waits for them.
    SeatsFree {
        count: u32,
    },
    /// A topic was proposed (its title only: nothing is moderated yet).
    TopicProposed {
        title: String,
    },
}

/// What changed about an event, as a notice names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangedPart {
    Times,
    Venue,
    OnlineLink,
}

impl Notice {
    pub fn group(&self) -> NoticeGroup {
        match self {
            Notice::Published
            | Notice::Changed { .. }
            | Notice::Cancelled
            | Notice::DateCancelled { .. }
            | Notice::DateMoved { .. } => NoticeGroup::Events,
            Notice::RegistrationOpened | Notice::SeatsFree { .. } => NoticeGroup::Registration,
            Notice::TopicProposed { .. } => NoticeGroup::Topics,
        }
    }

    /// The word the delivery log shows.
    pub fn kind(&self) -> &'static str {
        match self {
            Notice::Published => "matrix.event_published",
            Notice::Changed { .. } => "matrix.event_changed",
            Notice::Cancelled => "matrix.event_cancelled",
            Notice::DateCancelled { .. } => "matrix.date_cancelled",
            Notice::DateMoved { .. } => "matrix.date_moved",
            Notice::RegistrationOpened => "matrix.registration_opened",
            Notice::SeatsFree { .. } => "matrix.seats_free",
            Notice::TopicProposed { .. } => "matrix.topic_proposed",
        }
    }
}

/// The parts of `changes` a notice names; empty when nobody needs to hear of it (a corrected
/// description, say).
pub fn changed_parts(changes: &crate::changes::EventChanges) -> Vec<ChangedPart> {
    let mut parts = Vec::new();
    if changes.times.is_some() {
        parts.push(ChangedPart::Times);
    }
    if changes.venue.is_some() {
        parts.push(ChangedPart::Venue);
    }
    if changes.online_url.is_some() {
        parts.push(ChangedPart::OnlineLink);
    }
    parts
}

/// How many seats a full event has again: free seats when it was full before the change and
/// nobody waits now; `None` otherwise (it was not full, someone got the seat, or no limit).
pub fn seats_free_again(
    capacity: Option<u32>,
    taken_before: u32,
    (taken_now, waiting_now): (u32, u32),
) -> Option<u32> {
    let capacity = capacity?;
    let was_full = taken_before >= capacity;
    let free = capacity.saturating_sub(taken_now);
    (was_full && free > 0 && waiting_now == 0).then_some(free)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_goes_to_its_own_room_or_the_one_for_all() {
        let rooms = Rooms {
            all: Some("!all:example.org".into()),
            topics: Some("#hackathon:example.org".into()),
            ..Rooms::default()
        };
        assert_eq!(rooms.of(NoticeGroup::Events), Some("!all:example.org"));
        assert_eq!(
            rooms.of(NoticeGroup::Topics),
            Some("#hackathon:example.org")
        );
        let only_topics = Rooms {
            topics: Some("#t:example.org".into()),
            ..Rooms::default()
        };
        assert_eq!(only_topics.of(NoticeGroup::Registration), None);
        assert_eq!(
            Notice::TopicProposed { title: "x".into() }.group(),
            NoticeGroup::Topics
        );
        assert_eq!(
            Notice::SeatsFree { count: 1 }.group(),
            NoticeGroup::Registration
        );
    }

    #[test]
    fn room_ids_and_aliases_are_told_from_other_text() {
        for room in [
            "!abc:example.org",
            "#community:matrix.example.org:8448",
            "!A9xMJJqkPmQ2qX64Zybn35YY9AvkhEPagGyXj6N6llc",
        ] {
            assert!(is_room(room), "{room}");
        }
        for not_room in [
            "",
            "!",
            "community",
            "#community",
            "#:example.org",
            "!abc:",
            "!a b:x.org",
            "@bot:x.org",
        ] {
            assert!(!is_room(not_room), "{not_room}");
        }
    }

    #[test]
    fn seats_are_free_again_only_after_the_event_was_full_and_nobody_waits() {
        assert_eq!(seats_free_again(Some(10), 10, (9, 0)), Some(1));
        assert_eq!(
            seats_free_again(Some(10), 10, (10, 0)),
            None,
            "promoted someone"
        );
        assert_eq!(seats_free_again(Some(10), 9, (8, 0)), None, "was not full");
        assert_eq!(
            seats_free_again(Some(10), 10, (9, 1)),
            None,
            "someone waits"
        );
        assert_eq!(seats_free_again(None, 10, (9, 0)), None, "no limit");
        assert_eq!(
            seats_free_again(Some(5), 7, (3, 0)),
            Some(2),
            "capacity lowered before"
        );
    }
}
