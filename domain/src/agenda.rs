//! Which events and occurrences a visitor sees, and in what order: the upcoming agenda on the
//! home page and the archive of what has happened.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::event::{Event, OccurrenceOverride};
use crate::recurrence::{Occurrence, OccurrenceStatus};

/// How far ahead the upcoming agenda lists the occurrences of series.
pub const SERIES_HORIZON: Duration = Duration::days(14);

/// One line of an agenda: a single event, or one occurrence of a series.
#[derive(Debug, Clone, PartialEq)]
pub struct AgendaEntry<'a> {
    pub event: &'a Event,
    pub occurrence: Option<Occurrence>,
}

impl AgendaEntry<'_> {
    pub fn starts_at(&self) -> DateTime<Utc> {
        self.occurrence
            .as_ref()
            .map_or(self.event.starts_at, |o| o.starts_at)
    }

    pub fn ends_at(&self) -> DateTime<Utc> {
        self.occurrence
            .as_ref()
            .map_or(self.event.ends_at, |o| o.ends_at)
    }

    /// Scheduled, moved, or cancelled (on its own, or with the whole event).
    pub fn status(&self) -> OccurrenceStatus {
        match &self.occurrence {
            Some(occurrence) => occurrence.status,
            None if self.event.is_cancelled() => OccurrenceStatus::Cancelled,
            None => OccurrenceStatus::Scheduled,
        }
    }
}

/// Published single events that have not ended, and the occurrences of published series within
/// `series_horizon` of `now`, soonest first.
pub fn upcoming<'a>(
    events: &'a [Event],
    overrides: &[OccurrenceOverride],
    now: DateTime<Utc>,
    series_horizon: Duration,
) -> Vec<AgendaEntry<'a>> {
    let mut entries = Vec::new();
    for event in events.iter().filter(|e| e.published) {
        if event.is_series() {
            for occurrence in event.occurrences(overrides, now, now + series_horizon) {
                entries.push(AgendaEntry {
                    event,
                    occurrence: Some(occurrence),
                });
            }
        } else if event.ends_at > now {
            entries.push(AgendaEntry {
                event,
                occurrence: None,
            });
        }
    }
    entries.sort_by(|a, b| (a.starts_at(), &a.event.title).cmp(&(b.starts_at(), &b.event.title)));
    entries
}

/// The archive: published single events that have ended, and past occurrences of series that
/// carry notes or a community call agenda (`with_agenda`: series id and date), most recent
/// first.
pub fn past<'a>(
    events: &'a [Event],
    overrides: &[OccurrenceOverride],
    with_agenda: &BTreeSet<(i64, NaiveDate)>,
    now: DateTime<Utc>,
) -> Vec<AgendaEntry<'a>> {
    let mut entries = Vec::new();
    for event in events.iter().filter(|e| e.published) {
        if event.is_series() {
            for occurrence in event.occurrences(overrides, event.starts_at, now) {
                let noted = occurrence.notes_md.is_some()
                    || with_agenda.contains(&(event.id, occurrence.original_date));
                if occurrence.ends_at <= now && noted {
                    entries.push(AgendaEntry {
                        event,
                        occurrence: Some(occurrence),
                    });
                }
            }
        } else if event.ends_at <= now {
            entries.push(AgendaEntry {
                event,
                occurrence: None,
            });
        }
    }
    entries.sort_by(|a, b| (b.starts_at(), &a.event.title).cmp(&(a.starts_at(), &b.event.title)));
    entries
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{EventKind, EventSlug};
    use chrono::NaiveDate;
    use chrono_tz::Europe::Berlin;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|e| panic!("bad test instant {s}: {e}"))
    }

    fn event(id: i64, slug: &str, starts: &str, ends: &str, rule: Option<&str>) -> Event {
        Event {
            id,
            slug: EventSlug::parse(slug).unwrap_or_else(|e| panic!("{e}")),
            title: slug.to_uppercase(),
            kind: EventKind::Meeting,
            summary: String::new(),
            description_md: String::new(),
            starts_at: utc(starts),
            ends_at: utc(ends),
            time_zone: Berlin,
            venue: None,
            online_url: None,
            online_access: crate::event::OnlineAccess::Public,
            host: None,
            external_url: None,
            recurrence: rule.map(|r| r.parse().unwrap_or_else(|e| panic!("{e}"))),
            published: true,
            registration: None,
            questions: Vec::new(),
            topics: None,
            cancelled_at: None,
            reminded_at: None,
            calendar: crate::event::CalendarStamp::default(),
        }
    }

    fn slugs(entries: &[AgendaEntry<'_>]) -> Vec<String> {
        entries
            .iter()
            .map(|e| match &e.occurrence {
                Some(o) => format!("{}@{}", e.event.slug, o.original_date),
                None => e.event.slug.to_string(),
            })
            .collect()
    }

    fn sample() -> Vec<Event> {
        vec![
            event(
                1,
                "call",
                "2023-01-05T14:05:00Z",
                "2023-01-05T15:00:00Z",
                Some("FREQ=WEEKLY;BYDAY=TH"),
            ),
            event(
                2,
                "eclipsecon",
                "2023-10-16T07:00:00Z",
                "2023-10-19T16:00:00Z",
                None,
            ),
            event(
                3,
                "hackathon",
                "2023-11-20T08:00:00Z",
                "2023-11-21T16:00:00Z",
                None,
            ),
            event(
                4,
                "summit",
                "2024-05-14T07:00:00Z",
                "2024-05-15T16:00:00Z",
                None,
            ),
        ]
    }

    #[test]
    fn upcoming_merges_single_events_and_occurrences_in_time_order() {
        let events = sample();
        let now = utc("2023-10-18T12:00:00Z");
        let got = upcoming(&events, &[], now, Duration::days(14));
        assert_eq!(
            slugs(&got),
            [
                "eclipsecon",
                "call@2023-10-19",
                "call@2023-10-26",
                "hackathon",
                "summit"
            ]
        );
    }

    #[test]
    fn upcoming_keeps_an_event_in_progress_and_hides_unpublished_ones() {
        let mut events = sample();
        events[3].published = false;
        let now = utc("2023-10-17T12:00:00Z");
        let got = upcoming(&events, &[], now, Duration::days(1));
        assert_eq!(slugs(&got), ["eclipsecon", "hackathon"]);
    }

    #[test]
    fn past_lists_ended_events_and_noted_occurrences_newest_first() {
        let events = sample();
        let notes = OccurrenceOverride {
            event_id: 1,
            original_date: NaiveDate::from_ymd_opt(2023, 10, 19).unwrap_or_default(),
            cancelled: false,
            moved_to: None,
            notes_md: Some("Team updates".into()),
        };
        let now = utc("2023-11-01T00:00:00Z");
        let got = past(&events, &[notes], &BTreeSet::new(), now);
        assert_eq!(slugs(&got), ["call@2023-10-19", "eclipsecon"]);
        let occurrence = got[0].occurrence.as_ref().map(|o| o.status);
        assert_eq!(occurrence, Some(OccurrenceStatus::Scheduled));
        // A call with an agenda and no notes is in the archive too.
        let with_agenda =
            BTreeSet::from([(1, NaiveDate::from_ymd_opt(2023, 10, 12).unwrap_or_default())]);
        let got = past(&events, &[], &with_agenda, now);
        assert_eq!(slugs(&got), ["eclipsecon", "call@2023-10-12"]);
    }

    #[test]
    fn a_cancelled_event_stays_listed_and_every_date_of_a_cancelled_series_says_so() {
        let mut events = sample();
        let called_off = Some(utc("2023-10-01T00:00:00Z"));
        events[0].cancelled_at = called_off;
        events[2].cancelled_at = called_off;
        let now = utc("2023-10-18T12:00:00Z");
        let got = upcoming(&events, &[], now, Duration::days(14));
        let statuses: Vec<(String, OccurrenceStatus)> = slugs(&got)
            .into_iter()
            .zip(got.iter().map(AgendaEntry::status))
            .collect();
        assert_eq!(
            statuses,
            [
                ("eclipsecon".into(), OccurrenceStatus::Scheduled),
                ("call@2023-10-19".into(), OccurrenceStatus::Cancelled),
                ("call@2023-10-26".into(), OccurrenceStatus::Cancelled),
                ("hackathon".into(), OccurrenceStatus::Cancelled),
                ("summit".into(), OccurrenceStatus::Scheduled),
            ]
        );
    }

    fn ten_seats() -> crate::RegistrationSettings {
        crate::RegistrationSettings {
            capacity: Some(10),
            waitlist: true,
            opens_at: None,
            closes_at: None,
            confirmation_window: Duration::hours(48),
            offer_window: None,
            last_promotion_at: None,
        }
    }

    #[test]
    fn a_reminder_is_due_once_in_the_day_before_a_single_event_with_registration() {
        let mut hackathon = sample().remove(2);
        let starts = hackathon.starts_at;
        let hours = |h: i64| starts - Duration::hours(h);
        assert!(!hackathon.reminder_due(hours(1)), "no registration");
        hackathon.registration = Some(ten_seats());
        assert!(!hackathon.reminder_due(hours(25)), "too early");
        assert!(hackathon.reminder_due(hours(24)));
        assert!(hackathon.reminder_due(hours(1)));
        assert!(!hackathon.reminder_due(starts), "it began");
        let mut reminded = hackathon.clone();
        reminded.reminded_at = Some(hours(20));
        assert!(!reminded.reminder_due(hours(1)), "only once");
        let mut cancelled = hackathon.clone();
        cancelled.cancelled_at = Some(hours(30));
        assert!(!cancelled.reminder_due(hours(1)));
        let mut series = hackathon;
        series.recurrence = Some("FREQ=WEEKLY;BYDAY=TH".parse().expect("rule"));
        assert!(
            !series.reminder_due(hours(1)),
            "series take no registrations per date"
        );
    }

    #[test]
    fn registration_closes_with_a_cancelled_event_whatever_its_window() {
        let mut hackathon = sample().remove(2);
        let now = utc("2023-10-18T12:00:00Z");
        assert_eq!(hackathon.registration_window(now), None);
        hackathon.registration = Some(ten_seats());
        assert_eq!(
            hackathon.registration_window(now),
            Some(crate::Window::Open)
        );
        hackathon.cancelled_at = Some(now);
        assert_eq!(
            hackathon.registration_window(now),
            Some(crate::Window::Closed)
        );
    }
}
