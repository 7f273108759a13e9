//! What the server sends the pages: view models built from domain values, serialisable so they
//! travel inside the HTML for hydration and over server-function calls.

use chrono::{DateTime, Utc};
use domain::{EventKind, OccurrenceStatus};
use serde::{Deserialize, Serialize};

/// One line of an agenda: a single event or one occurrence of a series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgendaItem {
    pub href: String,
    pub title: String,
    pub kind: EventKind,
    pub summary: String,
    /// The day heading it is listed under, in the event's time zone.
    pub day: String,
    /// The time of day in the event's time zone, e.g. `15:05–16:00 CEST`.
    pub time: String,
    pub starts_at: DateTime<Utc>,
    pub time_zone: String,
    pub place: Option<String>,
    pub online: bool,
    pub status: OccurrenceStatus,
}

/// Everything the page of one event or series shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventDetails {
    pub slug: String,
    pub title: String,
    pub kind: EventKind,
    pub summary: String,
    pub description_html: String,
    pub when: String,
    pub starts_at: DateTime<Utc>,
    pub time_zone: String,
    pub venue: Option<String>,
    pub online_url: Option<String>,
    pub host: Option<String>,
    pub external_url: Option<String>,
    /// In words, e.g. `Every Thursday, 15:05–16:00 (Europe/Berlin)`; `None` for a single event.
    pub recurrence: Option<String>,
    pub upcoming: Vec<OccurrenceLink>,
    pub past_with_notes: Vec<OccurrenceLink>,
    pub past: bool,
}

/// A link to one occurrence of a series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OccurrenceLink {
    pub href: String,
    pub when: String,
    pub status: OccurrenceStatus,
    pub has_notes: bool,
}

/// The page of one occurrence of a series, with its own notes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OccurrenceDetails {
    pub series_slug: String,
    pub series_title: String,
    pub kind: EventKind,
    pub date: String,
    pub when: String,
    pub starts_at: DateTime<Utc>,
    pub time_zone: String,
    pub status: OccurrenceStatus,
    pub venue: Option<String>,
    pub online_url: Option<String>,
    pub notes_html: Option<String>,
    pub series_summary: String,
}

/// How a kind of event is named to visitors.
pub fn kind_label(kind: EventKind) -> &'static str {
    match kind {
        EventKind::CommunityCall => "Community call",
        EventKind::Hackathon => "Hackathon",
        EventKind::Meeting => "Meeting",
        EventKind::Conference => "Conference",
        EventKind::Summit => "Summit",
        EventKind::External => "Elsewhere",
    }
}

/// The link to an event's page.
pub fn event_href(slug: &str) -> String {
    format!("/events/{slug}")
}

/// The link to one occurrence of a series, by its original local date.
pub fn occurrence_href(slug: &str, date: chrono::NaiveDate) -> String {
    format!("/events/{slug}/{}", date.format("%Y-%m-%d"))
}

/// The link to an event's calendar file.
pub fn ics_href(slug: &str) -> String {
    format!("/events/{slug}/event.ics")
}

/// The secret link to one registration.
pub fn manage_href(token: &str) -> String {
    format!("/r/{token}")
}

/// The registration form of an event.
pub fn register_href(slug: &str) -> String {
    format!("/events/{slug}/register")
}
