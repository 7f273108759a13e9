//! What a link to an event shows where it is pasted (a Matrix room, a chat, a search engine): a
//! schema.org `Event` in JSON-LD, built from the event as visitors see it. The page serializes
//! it (`serde_json`) into a `<script type="application/ld+json">` data block; OpenGraph tags
//! carry the title, summary and address beside it.

use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::event::Event;

const SCHEMA: &str = "https://schema.org";

/// Whether the date shown takes place as planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Scheduled,
    Cancelled,
    /// Moved to another time.
    Rescheduled,
}

/// Where the seats of an event with registration stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    /// Seats are free (or the event has no limit).
    Open,
    /// Only a few seats are left.
    Few,
    /// Full: new registrations wait (or are refused).
    Full,
    /// Registration has not opened yet.
    NotYetOpen,
    /// Registration is over.
    Closed,
}

/// How many free seats count as "few" (`LimitedAvailability`).
pub const FEW_SEATS: u32 = 5;

/// What the page knows of the event's date and registration.
#[derive(Debug, Clone)]
pub struct PreviewInput<'a> {
    pub event: &'a Event,
    /// The date the page is about (a series' next date, or the event's own).
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: Status,
    /// The page's absolute address.
    pub page_url: String,
    /// The registration form's absolute address and where its seats stand, when it takes
    /// registrations.
    pub registration: Option<(String, Availability)>,
    /// Registration opens then, when it has not yet.
    pub registration_opens_at: Option<DateTime<Utc>>,
    /// The date is over: its online link is no longer given (the page stands for it).
    pub over: bool,
}

/// A schema.org `Event`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StructuredEvent {
    #[serde(rename = "@context")]
    pub context: &'static str,
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub url: String,
    /// With the offset of the event's zone, e.g. `2023-11-20T09:00:00+01:00`.
    #[serde(rename = "startDate")]
    pub start_date: String,
    #[serde(rename = "endDate")]
    pub end_date: String,
    #[serde(rename = "eventStatus")]
    pub event_status: String,
    #[serde(rename = "eventAttendanceMode")]
    pub attendance_mode: String,
    pub location: Vec<Location>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organizer: Option<Organizer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offers: Option<Offer>,
}

/// A place, or the online call.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "@type")]
pub enum Location {
    Place { name: String, address: String },
    VirtualLocation { url: String },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Organizer {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: String,
}

/// Registration as schema.org sees it: a free ticket.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Offer {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub url: String,
    pub price: &'static str,
    #[serde(rename = "priceCurrency")]
    pub price_currency: &'static str,
    pub availability: String,
    #[serde(rename = "validFrom", skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<String>,
}

/// The event as a schema.org `Event`. An online link that only registered people see, or one
/// of a date that is over, is not given: the page itself stands for the online location then.
pub fn structured_event(input: &PreviewInput<'_>) -> StructuredEvent {
    let event = input.event;
    let zone = event.time_zone;
    let online_url = match event.public_online_url().filter(|_| !input.over) {
        Some(url) => Some(url.to_owned()),
        None => event.online_url.as_ref().map(|_| input.page_url.clone()),
    };
    let mut location = Vec::new();
    if let Some(venue) = &event.venue {
        location.push(Location::Place {
            name: venue.clone(),
            address: venue.clone(),
        });
    }
    if let Some(url) = &online_url {
        location.push(Location::VirtualLocation { url: url.clone() });
    }
    let attendance = match (event.venue.is_some(), online_url.is_some()) {
        (true, true) => "MixedEventAttendanceMode",
        (false, true) => "OnlineEventAttendanceMode",
        _ => "OfflineEventAttendanceMode",
    };
    let status = match input.status {
        Status::Scheduled => "EventScheduled",
        Status::Cancelled => "EventCancelled",
        Status::Rescheduled => "EventRescheduled",
    };
    let offers = input.registration.as_ref().map(|(url, seats)| Offer {
        kind: "Offer",
        url: url.clone(),
        price: "0",
        price_currency: "EUR",
        availability: format!(
            "{SCHEMA}/{}",
            match seats {
                Availability::Open => "InStock",
                Availability::Few => "LimitedAvailability",
                Availability::Full => "SoldOut",
                Availability::NotYetOpen => "PreOrder",
                Availability::Closed => "Discontinued",
            }
        ),
        valid_from: input.registration_opens_at.map(|at| with_offset(at, zone)),
    });
    StructuredEvent {
        context: SCHEMA,
        kind: "Event",
        name: event.title.clone(),
        description: event.summary.trim().to_owned(),
        url: input.page_url.clone(),
        start_date: with_offset(input.starts_at, zone),
        end_date: with_offset(input.ends_at, zone),
        event_status: format!("{SCHEMA}/{status}"),
        attendance_mode: format!("{SCHEMA}/{attendance}"),
        location,
        organizer: event.host.as_ref().map(|host| Organizer {
            kind: "Organization",
            name: host.clone(),
        }),
        offers,
    }
}

/// The instant in the event's zone with its offset, to the second.
fn with_offset(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone)
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// The event as JSON-LD text, safe to put inside an HTML `<script>` element.
pub fn json_ld(input: &PreviewInput<'_>) -> String {
    // Serializing these plain structs cannot fail; an empty object would only hide the preview.
    let json = serde_json::to_string(&structured_event(input)).unwrap_or_else(|_| "{}".into());
    script_safe(&json)
}

/// JSON text made safe inside an HTML `<script>` element: `<`, `>` and `&` written as JSON
/// escapes, so that nothing in it can end the element or open a comment (the JSON means the
/// same).
fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{CalendarStamp, EventKind, EventSlug, OnlineAccess};
    use chrono_tz::Europe::Berlin;
    use serde_json::{Value, json};

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|e| panic!("bad test instant {s}: {e}"))
    }

    fn hackathon() -> Event {
        Event {
            id: 7,
            slug: EventSlug::parse("hackathon-3").unwrap_or_else(|e| panic!("{e}")),
            title: "Third Community Hackathon".into(),
            kind: EventKind::Hackathon,
            summary: "Two days of hacking. ".into(),
            description_md: String::new(),
            starts_at: utc("2023-11-20T09:00:00Z"),
            ends_at: utc("2023-11-21T15:00:00Z"),
            time_zone: Berlin,
            venue: Some("Cloud&Heat, Dresden".into()),
            online_url: None,
            online_access: OnlineAccess::Public,
            host: Some("SIG Community".into()),
            external_url: None,
            recurrence: None,
            published: true,
            registration: None,
            questions: Vec::new(),
            topics: None,
            cancelled_at: None,
            reminded_at: None,
            calendar: CalendarStamp::default(),
        }
    }

    fn input(event: &Event) -> PreviewInput<'_> {
        PreviewInput {
            event,
            starts_at: event.starts_at,
            ends_at: event.ends_at,
            status: Status::Scheduled,
            page_url: "https://events.example.org/events/hackathon-3".into(),
            registration: Some((
                "https://events.example.org/events/hackathon-3/register".into(),
                Availability::Few,
            )),
            registration_opens_at: None,
            over: false,
        }
    }

    fn as_json(input: &PreviewInput<'_>) -> Value {
        serde_json::to_value(structured_event(input)).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn an_event_in_a_room_with_registration() {
        let event = hackathon();
        assert_eq!(
            as_json(&input(&event)),
            json!({
                "@context": "https://schema.org",
                "@type": "Event",
                "name": "Third Community Hackathon",
                "description": "Two days of hacking.",
                "url": "https://events.example.org/events/hackathon-3",
                "startDate": "2023-11-20T10:00:00+01:00",
                "endDate": "2023-11-21T16:00:00+01:00",
                "eventStatus": "https://schema.org/EventScheduled",
                "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
                "location": [{ "@type": "Place", "name": "Cloud&Heat, Dresden", "address": "Cloud&Heat, Dresden" }],
                "organizer": { "@type": "Organization", "name": "SIG Community" },
                "offers": {
                    "@type": "Offer",
                    "url": "https://events.example.org/events/hackathon-3/register",
                    "price": "0",
                    "priceCurrency": "EUR",
                    "availability": "https://schema.org/LimitedAvailability"
                }
            })
        );
    }

    #[test]
    fn an_online_link_for_registered_people_only_is_not_given_away() {
        let mut event = hackathon();
        event.venue = None;
        event.online_url = Some("https://meet.example.org/secret-room".into());
        event.online_access = OnlineAccess::Seated;
        let got = as_json(&input(&event));
        assert_eq!(
            got["location"],
            json!([{ "@type": "VirtualLocation", "url": "https://events.example.org/events/hackathon-3" }])
        );
        assert_eq!(
            got["eventAttendanceMode"],
            "https://schema.org/OnlineEventAttendanceMode"
        );
        event.online_access = OnlineAccess::Public;
        event.venue = Some("Berlin".into());
        let got = as_json(&input(&event));
        assert_eq!(
            got["location"][1]["url"],
            "https://meet.example.org/secret-room"
        );
        assert_eq!(
            got["eventAttendanceMode"],
            "https://schema.org/MixedEventAttendanceMode"
        );
        // Over: nobody is to join any more.
        let mut over = input(&event);
        over.over = true;
        let got = as_json(&over);
        assert_eq!(
            got["location"][1]["url"],
            "https://events.example.org/events/hackathon-3"
        );
    }

    #[test]
    fn cancelled_moved_and_full_say_so() {
        let event = hackathon();
        let mut cancelled = input(&event);
        cancelled.status = Status::Cancelled;
        cancelled.registration = Some(("r".into(), Availability::Full));
        let got = as_json(&cancelled);
        assert_eq!(got["eventStatus"], "https://schema.org/EventCancelled");
        assert_eq!(got["offers"]["availability"], "https://schema.org/SoldOut");
        let mut moved = input(&event);
        moved.status = Status::Rescheduled;
        moved.registration = None;
        moved.starts_at = utc("2023-07-01T08:00:00Z");
        let got = as_json(&moved);
        assert_eq!(got["eventStatus"], "https://schema.org/EventRescheduled");
        assert_eq!(got["startDate"], "2023-07-01T10:00:00+02:00", "summer time");
        assert!(got.get("offers").is_none());
        let mut soon = input(&event);
        soon.registration = Some(("r".into(), Availability::NotYetOpen));
        soon.registration_opens_at = Some(utc("2023-10-01T08:00:00Z"));
        let got = as_json(&soon);
        assert_eq!(got["offers"]["validFrom"], "2023-10-01T10:00:00+02:00");
        assert_eq!(got["offers"]["availability"], "https://schema.org/PreOrder");
    }

    #[test]
    fn script_safe_json_cannot_end_its_element_and_means_the_same() {
        let mut event = hackathon();
        event.title = "</script><script>alert(1)</script> & <!-- x".into();
        let safe = json_ld(&input(&event));
        assert!(!safe.contains('<') && !safe.contains('>'), "{safe}");
        let back: Value = serde_json::from_str(&safe).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back["name"], event.title);
    }
}
