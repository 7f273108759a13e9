//! What changed about an event for the people registered: the content of the "what changed"
//! mail, decided without I/O, and the net change when organizers save twice before that mail
//! goes out.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::Event;

/// A value before and after a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change<T> {
    pub before: T,
    pub after: T,
}

/// When an event takes place: what a time change moves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Times {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// An IANA zone name (the zone the times are shown in).
    pub time_zone: String,
}

/// What changed about an event that people holding a seat must hear of: its times (start, end,
/// zone), its place, its online link. Nothing else (a corrected description, say) mails anyone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventChanges {
    pub times: Option<Change<Times>>,
    pub venue: Option<Change<Option<String>>>,
    pub online_url: Option<Change<Option<String>>>,
}

fn change<T: PartialEq>(before: T, after: T) -> Option<Change<T>> {
    (before != after).then_some(Change { before, after })
}

fn times_of(event: &Event) -> Times {
    Times {
        starts_at: event.starts_at,
        ends_at: event.ends_at,
        time_zone: event.time_zone.name().to_owned(),
    }
}

/// `first` then `later`: the value before the first and after the later; a value that came
/// back to where it was is no change.
fn net<T: PartialEq>(first: Option<Change<T>>, later: Option<Change<T>>) -> Option<Change<T>> {
    match (first, later) {
        (Some(first), Some(later)) => change(first.before, later.after),
        (first, None) => first,
        (None, later) => later,
    }
}

impl EventChanges {
    /// What an organizer's save changed, from the event as it was to the event as it is.
    pub fn between(before: &Event, after: &Event) -> EventChanges {
        EventChanges {
            times: change(times_of(before), times_of(after)),
            venue: change(before.venue.clone(), after.venue.clone()),
            online_url: change(before.online_url.clone(), after.online_url.clone()),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.times.is_none() && self.venue.is_none() && self.online_url.is_none()
    }

    /// This change followed by `later` (a second save before the first mail went out): one
    /// change from the first state to the last, without what was changed back.
    pub fn then(self, later: EventChanges) -> EventChanges {
        EventChanges {
            times: net(self.times, later.times),
            venue: net(self.venue, later.venue),
            online_url: net(self.online_url, later.online_url),
        }
    }

    /// Whether people on the waitlist hear of it too: a new time may decide whether they can
    /// still come; a new room does not.
    pub fn reaches_waitlist(&self) -> bool {
        self.times.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(starts: &str, venue: Option<&str>) -> Event {
        let starts_at = DateTime::parse_from_rfc3339(starts)
            .expect("instant")
            .with_timezone(&Utc);
        Event {
            id: 7,
            slug: crate::EventSlug::parse("hack").expect("slug"),
            title: "Hackathon".to_owned(),
            kind: crate::EventKind::Hackathon,
            summary: String::new(),
            description_md: String::new(),
            starts_at,
            ends_at: starts_at + chrono::Duration::hours(8),
            time_zone: chrono_tz::Europe::Berlin,
            venue: venue.map(str::to_owned),
            online_url: None,
            online_access: crate::event::OnlineAccess::Public,
            host: None,
            external_url: None,
            recurrence: None,
            published: true,
            registration: None,
            questions: Vec::new(),
            topics: None,
            cancelled_at: None,
            reminded_at: None,
            calendar: crate::event::CalendarStamp::default(),
        }
    }

    #[test]
    fn only_times_place_and_link_count_as_changes() {
        let before = event("2027-01-07T15:00:00Z", Some("Room A"));
        let mut after = before.clone();
        after.description_md = "Bring a laptop.".to_owned();
        after.title = "Renamed".to_owned();
        assert!(EventChanges::between(&before, &after).is_empty());

        after.venue = Some("Room B".to_owned());
        let changes = EventChanges::between(&before, &after);
        assert_eq!(
            changes.venue,
            Some(Change {
                before: Some("Room A".to_owned()),
                after: Some("Room B".to_owned())
            })
        );
        assert!(changes.times.is_none() && !changes.reaches_waitlist());

        after.starts_at += chrono::Duration::hours(1);
        let changes = EventChanges::between(&before, &after);
        assert!(changes.times.is_some() && changes.reaches_waitlist());
    }

    #[test]
    fn two_saves_make_one_net_change_and_a_change_undone_is_none() {
        let first = event("2027-01-07T15:00:00Z", Some("Room A"));
        let second = event("2027-01-07T16:00:00Z", Some("Room A"));
        let third = event("2027-01-07T16:00:00Z", Some("Room B"));
        let net =
            EventChanges::between(&first, &second).then(EventChanges::between(&second, &third));
        assert_eq!(net, EventChanges::between(&first, &third));
        assert!(net.times.is_some() && net.venue.is_some());

        let back = EventChanges::between(&second, &first);
        assert!(
            EventChanges::between(&first, &second).then(back).is_empty(),
            "moved and moved back: nothing to tell"
        );
    }

    #[test]
    fn changes_are_stored_as_json_and_read_back() {
        let changes = EventChanges::between(
            &event("2027-01-07T15:00:00Z", None),
            &event("2027-01-07T15:00:00Z", Some("Room B")),
        );
        let json = serde_json::to_string(&changes).expect("json");
        assert_eq!(
            serde_json::from_str::<EventChanges>(&json).expect("read back"),
            changes
        );
    }
}
