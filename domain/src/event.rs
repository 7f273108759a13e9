//! Events and the values they are made of. Types parse their input once, so a value of the type
//! is always valid (an `EventSlug` is always a usable URL segment, an `EventKind` a known kind).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::questions::Question;
use crate::recurrence::{Occurrence, Recurrence};
use crate::registration::RegistrationSettings;

/// Why a value from outside (a form, a URL, a database row) was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("a slug must be 1 to 80 characters of a-z, 0-9 and inner hyphens, got {0:?}")]
    Slug(String),
    #[error("unknown event kind {0:?}")]
    Kind(String),
    #[error("unknown time zone {0:?}")]
    TimeZone(String),
}

/// The stable URL name of an event: lowercase ASCII letters, digits and inner single hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EventSlug(String);

impl EventSlug {
    pub const MAX_LEN: usize = 80;

    pub fn parse(input: &str) -> Result<Self, ParseError> {
        let valid_chars = input
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        let valid = !input.is_empty()
            && input.len() <= Self::MAX_LEN
            && valid_chars
            && !input.starts_with('-')
            && !input.ends_with('-')
            && !input.contains("--");
        if valid {
            Ok(Self(input.to_owned()))
        } else {
            Err(ParseError::Slug(input.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The address an event's title suggests: lower case, German umlauts spelled out, every
    /// other run of characters a hyphen, at most [`Self::SUGGESTED_LEN`] characters (cut at a
    /// word). `None` when the title holds no letter or digit it can use.
    pub fn from_title(title: &str) -> Option<Self> {
        let mut slug = String::new();
        for c in title.chars().flat_map(char::to_lowercase) {
            let spelled = match c {
                'ä' => "ae",
                'ö' => "oe",
                'ü' => "ue",
                'ß' => "ss",
                c if c.is_ascii_alphanumeric() => {
                    slug.push(c);
                    continue;
                }
                _ => "-",
            };
            if spelled == "-" && (slug.is_empty() || slug.ends_with('-')) {
                continue;
            }
            slug.push_str(spelled);
        }
        if slug.len() > Self::SUGGESTED_LEN {
            let cut = slug[..=Self::SUGGESTED_LEN]
                .rfind('-')
                .unwrap_or(Self::SUGGESTED_LEN);
            slug.truncate(cut);
        }
        Self::parse(slug.trim_end_matches('-')).ok()
    }

    /// How long a suggested address gets at most (room for a `-2` when it is taken).
    pub const SUGGESTED_LEN: usize = 60;

    /// The `n`th choice for an address that is taken: `hackathon-2`, `hackathon-3`, ...
    pub fn numbered(&self, n: u32) -> Self {
        Self(format!("{}-{n}", self.0))
    }
}

impl TryFrom<String> for EventSlug {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<EventSlug> for String {
    fn from(slug: EventSlug) -> Self {
        slug.0
    }
}

impl fmt::Display for EventSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What sort of gathering an event is; the site groups and filters by it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    CommunityCall,
    Hackathon,
    Meeting,
    Conference,
    Summit,
    /// An event elsewhere where the community will be present.
    External,
}

impl EventKind {
    pub const ALL: [EventKind; 6] = [
        EventKind::CommunityCall,
        EventKind::Hackathon,
        EventKind::Meeting,
        EventKind::Conference,
        EventKind::Summit,
        EventKind::External,
    ];

    /// The stored and URL form, e.g. `community_call`.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::CommunityCall => "community_call",
            EventKind::Hackathon => "hackathon",
            EventKind::Meeting => "meeting",
            EventKind::Conference => "conference",
            EventKind::Summit => "summit",
            EventKind::External => "external",
        }
    }
}

impl FromStr for EventKind {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EventKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == s)
            .ok_or_else(|| ParseError::Kind(s.to_owned()))
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Parses an IANA time zone name such as `Europe/Berlin`.
pub fn parse_time_zone(name: &str) -> Result<Tz, ParseError> {
    name.parse::<Tz>()
        .map_err(|_| ParseError::TimeZone(name.to_owned()))
}

/// The community's own time zone: a new event's, and the first choice of the event form.
pub const COMMUNITY_TIME_ZONE: &str = "Europe/Berlin";

/// The time zones the event form offers, by their IANA names in order: every zone of a place
/// (`Europe/Berlin`, `America/Argentina/Salta`) and `UTC`, without the old aliases (`US/Eastern`,
/// `Etc/GMT+1`), which are still read when typed elsewhere.
pub fn time_zone_names() -> Vec<&'static str> {
    const AREAS: [&str; 9] = [
        "Africa/",
        "America/",
        "Antarctica/",
        "Asia/",
        "Atlantic/",
        "Australia/",
        "Europe/",
        "Indian/",
        "Pacific/",
    ];
    let mut names: Vec<&'static str> = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|zone| zone.name())
        .filter(|name| *name == "UTC" || AREAS.iter().any(|area| name.starts_with(area)))
        .collect();
    names.sort_unstable();
    names
}

/// An event: a single one, or a series when `recurrence` is set (then `starts_at`/`ends_at` are
/// its first occurrence, and its local start time and duration repeat).
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: i64,
    pub slug: EventSlug,
    pub title: String,
    pub kind: EventKind,
    /// One line shown in listings.
    pub summary: String,
    pub description_md: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The zone the event is planned in; times are shown in it.
    pub time_zone: Tz,
    pub venue: Option<String>,
    pub online_url: Option<String>,
    /// Who sees `online_url`.
    pub online_access: OnlineAccess,
    pub host: Option<String>,
    pub external_url: Option<String>,
    pub recurrence: Option<Recurrence>,
    pub published: bool,
    /// `None` when the event takes no registrations.
    pub registration: Option<RegistrationSettings>,
    /// Extra questions of the registration form.
    pub questions: Vec<Question>,
    /// `None` when the event collects no topics.
    pub topics: Option<crate::TopicSettings>,
    /// When organizers called the whole event off; `None` while it takes place.
    pub cancelled_at: Option<DateTime<Utc>>,
    /// When the reminder mails were queued; `None` until then.
    pub reminded_at: Option<DateTime<Utc>>,
    /// What calendar entries of the event carry to stay the same entry through changes.
    pub calendar: CalendarStamp,
}

/// Who sees an event's online link (a video call): everyone (community calls), or only the
/// people registered, through their mails and their registration's page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OnlineAccess {
    #[default]
    Public,
    /// People holding a seat.
    Seated,
    /// People holding a seat and those on the waitlist.
    SeatedAndWaiting,
}

impl OnlineAccess {
    pub const ALL: [OnlineAccess; 3] = [
        OnlineAccess::Public,
        OnlineAccess::Seated,
        OnlineAccess::SeatedAndWaiting,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OnlineAccess::Public => "public",
            OnlineAccess::Seated => "seated",
            OnlineAccess::SeatedAndWaiting => "seated_and_waiting",
        }
    }

    pub fn parse(word: &str) -> Option<OnlineAccess> {
        OnlineAccess::ALL.into_iter().find(|a| a.as_str() == word)
    }

    /// Whether a registration with `status` sees the link.
    pub fn admits(self, status: crate::RegistrationStatus) -> bool {
        match self {
            OnlineAccess::Public => true,
            OnlineAccess::Seated => status.holds_seat(),
            OnlineAccess::SeatedAndWaiting => {
                status.holds_seat() || status == crate::RegistrationStatus::Waitlisted
            }
        }
    }
}

impl Event {
    /// The online link as the public pages, the feeds, the API and the topic board show it:
    /// none when it is for registrants only.
    pub fn public_online_url(&self) -> Option<&str> {
        self.online_url
            .as_deref()
            .filter(|_| self.online_access == OnlineAccess::Public)
    }

    /// The online link as a registration with `status` sees it (its mails and its page).
    pub fn online_url_for(&self, status: crate::RegistrationStatus) -> Option<&str> {
        self.online_url
            .as_deref()
            .filter(|_| self.online_access.admits(status))
    }
}

/// What calendars need to follow an event through its changes: its entries' UIDs are made from
/// its id and when it was created (never from its address or the site's URL, which can change),
/// and `sequence` rises with every change of what a calendar shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CalendarStamp {
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub sequence: u32,
}

impl CalendarStamp {
    /// The UID of the event's calendar entry, or of one date of its series (its original date,
    /// so that a moved date stays the same entry).
    pub fn uid(&self, event_id: i64, date: Option<NaiveDate>) -> String {
        let created = self.created_at.format("%Y%m%dT%H%M%SZ");
        match date {
            None => format!("event-{event_id}-{created}@convene"),
            Some(date) => format!(
                "event-{event_id}-{created}-{}@convene",
                date.format("%Y%m%d")
            ),
        }
    }
}

/// How long before a single event starts its seated people get a reminder mail.
pub const REMINDER_LEAD: chrono::Duration = chrono::Duration::hours(24);

impl Event {
    pub fn is_series(&self) -> bool {
        self.recurrence.is_some()
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled_at.is_some()
    }

    /// Whether people can register at `now`; `None` when the event takes no registrations.
    /// A cancelled event is closed whatever its registration window says.
    pub fn registration_window(&self, now: DateTime<Utc>) -> Option<crate::Window> {
        let settings = self.registration.as_ref()?;
        Some(if self.is_cancelled() {
            crate::Window::Closed
        } else {
            settings.window(now, self.ends_at)
        })
    }

    /// Whether the reminder mails are due at `now`: once, for a single event that takes
    /// registrations, is not cancelled and starts within [`REMINDER_LEAD`] (not after it began).
    pub fn reminder_due(&self, now: DateTime<Utc>) -> bool {
        self.registration.is_some()
            && !self.is_series()
            && !self.is_cancelled()
            && self.reminded_at.is_none()
            && now < self.starts_at
            && self
                .starts_at
                .checked_sub_signed(REMINDER_LEAD)
                .is_none_or(|due| now >= due)
    }

    /// Whether someone who proposed `proposed` topics may propose another at `now`: never for
    /// an event that collects no topics or was cancelled.
    pub fn check_topic_proposal(
        &self,
        now: DateTime<Utc>,
        proposed: u32,
    ) -> Result<(), crate::TopicRefusal> {
        match &self.topics {
            Some(settings) if !self.is_cancelled() => {
                settings.check_proposal(now, self.ends_at, proposed)
            }
            _ => Err(crate::TopicRefusal::ProposalsClosed),
        }
    }

    /// Occurrences of this series that overlap `[from, until)`, with `overrides` applied (all
    /// of them cancelled when the series is); empty for a single event.
    /// The date of this series first planned for `date`, as `change` (the date's override, if
    /// any) makes it: cancelled, moved, or as planned. `None` when the series has no such date.
    pub fn occurrence_on(
        &self,
        date: NaiveDate,
        change: Option<&OccurrenceOverride>,
    ) -> Option<Occurrence> {
        let day = date.and_hms_opt(0, 0, 0)?.and_utc();
        let planned = self
            .occurrences(
                &[],
                day - chrono::Duration::days(1),
                day + chrono::Duration::days(2),
            )
            .into_iter()
            .find(|o| o.original_date == date)?;
        Some(match change {
            Some(change) if change.cancelled => Occurrence {
                status: crate::OccurrenceStatus::Cancelled,
                ..planned
            },
            Some(OccurrenceOverride {
                moved_to: Some((starts_at, ends_at)),
                ..
            }) => Occurrence {
                starts_at: *starts_at,
                ends_at: *ends_at,
                status: crate::OccurrenceStatus::Moved,
                ..planned
            },
            _ => planned,
        })
    }

    pub fn occurrences(
        &self,
        overrides: &[OccurrenceOverride],
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Vec<Occurrence> {
        let Some(recurrence) = &self.recurrence else {
            return Vec::new();
        };
        let own: Vec<&OccurrenceOverride> =
            overrides.iter().filter(|o| o.event_id == self.id).collect();
        let mut occurrences = recurrence.expand(
            self.starts_at,
            self.ends_at - self.starts_at,
            self.time_zone,
            &own,
            from,
            until,
        );
        if self.is_cancelled() {
            for occurrence in &mut occurrences {
                occurrence.status = crate::OccurrenceStatus::Cancelled;
            }
        }
        occurrences
    }
}

/// A change to one occurrence of a series, keyed by the local date it was originally on.
#[derive(Debug, Clone, PartialEq)]
pub struct OccurrenceOverride {
    pub event_id: i64,
    pub original_date: NaiveDate,
    pub cancelled: bool,
    /// Set together when the occurrence was moved.
    pub moved_to: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// This occurrence's own agenda or minutes (Markdown).
    pub notes_md: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_online_link_for_registrants_reaches_only_them() {
        use crate::RegistrationStatus::*;
        use OnlineAccess::*;
        for (access, statuses) in [
            (
                Public,
                vec![PendingEmail, Confirmed, Waitlisted, Cancelled, Expired],
            ),
            (Seated, vec![PendingEmail, Confirmed]),
            (SeatedAndWaiting, vec![PendingEmail, Confirmed, Waitlisted]),
        ] {
            for status in [PendingEmail, Confirmed, Waitlisted, Cancelled, Expired] {
                assert_eq!(
                    access.admits(status),
                    statuses.contains(&status),
                    "{access:?} {status:?}"
                );
            }
            assert_eq!(OnlineAccess::parse(access.as_str()), Some(access));
        }
    }

    #[test]
    fn accepts_lowercase_slugs_with_inner_hyphens() {
        for ok in ["hackathon-3", "a", "scs-community-call", "x1-2-3"] {
            assert_eq!(
                EventSlug::parse(ok).map(|s| s.to_string()),
                Ok(ok.to_owned())
            );
        }
    }

    #[test]
    fn rejects_slugs_that_would_make_bad_urls() {
        let too_long = "a".repeat(81);
        for bad in [
            "",
            "-a",
            "a-",
            "a--b",
            "Hackathon",
            "a b",
            "ä",
            "a/b",
            "a.ics",
            &too_long,
        ] {
            assert!(EventSlug::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn the_form_offers_the_zones_of_places() {
        let names = time_zone_names();
        for name in [
            COMMUNITY_TIME_ZONE,
            "UTC",
            "America/Argentina/Salta",
            "Asia/Kolkata",
        ] {
            assert!(names.contains(&name), "{name}");
        }
        for alias in ["US/Eastern", "Etc/GMT+1", "CET"] {
            assert!(!names.contains(&alias), "{alias}");
        }
        assert!(names.windows(2).all(|w| w[0] < w[1]), "sorted, once each");
        assert!(names.iter().all(|name| parse_time_zone(name).is_ok()));
    }

    #[test]
    fn a_title_suggests_an_address() {
        let cases = [
            (
                "Third Community Hackathon",
                Some("third-community-hackathon"),
            ),
            ("  Über: Größe & Maß!  ", Some("ueber-groesse-mass")),
            ("SIG Rust (2027)", Some("sig-rust-2027")),
            ("C++ -- the hard parts", Some("c-the-hard-parts")),
            ("日本語", None),
            ("!!!", None),
            ("", None),
        ];
        for (title, slug) in cases {
            assert_eq!(
                EventSlug::from_title(title).as_ref().map(EventSlug::as_str),
                slug,
                "{title:?}"
            );
        }
        let long = EventSlug::from_title(&"word ".repeat(40)).expect("a slug");
        assert!(long.as_str().len() <= EventSlug::SUGGESTED_LEN, "{long}");
        assert!(long.as_str().ends_with("word"), "cut at a word: {long}");
        let unbroken = EventSlug::from_title(&"x".repeat(100)).expect("a slug");
        assert_eq!(unbroken.as_str().len(), EventSlug::SUGGESTED_LEN);
        assert_eq!(
            EventSlug::parse("hackathon")
                .expect("slug")
                .numbered(2)
                .as_str(),
            "hackathon-2"
        );
    }

    #[test]
    fn kinds_round_trip_through_their_stored_form() {
        for kind in EventKind::ALL {
            assert_eq!(kind.as_str().parse::<EventKind>(), Ok(kind));
        }
        assert!("party".parse::<EventKind>().is_err());
    }

    #[test]
    fn parses_iana_zones_only() {
        assert_eq!(
            parse_time_zone("Europe/Berlin"),
            Ok(chrono_tz::Europe::Berlin)
        );
        assert!(parse_time_zone("Mars/Olympus").is_err());
    }
}
