//! The organizers' event form: what they type (local dates and times in the event's zone, an
//! optional RRULE), checked field by field into an event the store can keep.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use chrono_tz::Tz;

use crate::event::parse_time_zone;
use crate::form::{Field, FieldError, Problem, optional_multiline, optional_text, required_text};
use crate::recurrence::resolve_local;
use crate::{EventKind, EventSlug, Recurrence, RegistrationSettings, TopicSettings};

pub const TITLE_MAX: usize = 150;
pub const SUMMARY_MAX: usize = 300;
pub const DESCRIPTION_MAX: usize = 20_000;
pub const PLACE_MAX: usize = 200;
pub const URL_MAX: usize = 500;
/// Addresses of the site's own pages beside events' (`/events/past`, `/admin/events/new`).
pub const RESERVED_SLUGS: [&str; 2] = ["new", "past"];

/// An event as the form sends it: every field as text, by its form name.
pub type EventFields = BTreeMap<String, String>;

/// An event that passed every rule, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidEvent {
    pub slug: EventSlug,
    pub title: String,
    pub kind: EventKind,
    pub summary: String,
    pub description_md: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: Tz,
    pub venue: Option<String>,
    pub online_url: Option<String>,
    pub host: Option<String>,
    pub external_url: Option<String>,
    pub recurrence: Option<Recurrence>,
    pub published: bool,
    pub registration: Option<RegistrationSettings>,
    pub topics: Option<TopicSettings>,
}

/// A local date and time as a browser's `datetime-local` input sends it.
fn local_time(input: &str) -> Result<NaiveDateTime, Problem> {
    let input = input.trim();
    if input.is_empty() {
        return Err(Problem::Required);
    }
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(input, format).ok())
        .ok_or(Problem::NotADateTime)
}

/// An optional local date and time: empty is `None`.
fn optional_local_time(input: &str) -> Result<Option<NaiveDateTime>, Problem> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        local_time(input).map(Some)
    }
}

fn url(input: Option<&str>) -> Result<Option<String>, Problem> {
    let url = optional_text(input, URL_MAX)?;
    match &url {
        Some(u) if !(u.starts_with("https://") || u.starts_with("http://")) || u.contains(' ') => {
            Err(Problem::NotAUrl)
        }
        _ => Ok(url),
    }
}

/// Checks the organizers' event form; every problem at once, next to its field.
pub fn validate_event(fields: &EventFields) -> Result<ValidEvent, Vec<FieldError>> {
    let mut errors = Vec::new();
    let value = |name: &str| fields.get(name).map(String::as_str).unwrap_or("");
    let checked = |name: &str| crate::is_ticked(value(name));
    let mut fail = |field: Field, problem: Problem| errors.push(FieldError { field, problem });
    let named = |name: &str| Field::Named(name.to_owned());

    let slug = match EventSlug::parse(value("slug").trim()) {
        Ok(slug) if RESERVED_SLUGS.contains(&slug.as_str()) => Err(Problem::Reserved),
        Ok(slug) => Ok(slug),
        Err(_) if value("slug").trim().is_empty() => Err(Problem::Required),
        Err(_) => Err(Problem::NotASlug),
    }
    .map_err(|problem| fail(named("slug"), problem));
    let title = required_text(value("title"), TITLE_MAX).map_err(|p| fail(Field::Title, p));
    let kind = value("kind")
        .parse::<EventKind>()
        .map_err(|_| fail(named("kind"), Problem::NotAnOption));
    let summary =
        optional_text(Some(value("summary")), SUMMARY_MAX).map_err(|p| fail(named("summary"), p));
    let description = optional_multiline(Some(value("description")), DESCRIPTION_MAX)
        .map_err(|p| fail(Field::Description, p));
    let zone = parse_time_zone(value("time_zone").trim())
        .map_err(|_| fail(named("time_zone"), Problem::NotATimeZone));
    let starts = local_time(value("starts_at")).map_err(|p| fail(named("starts_at"), p));
    let ends = local_time(value("ends_at")).map_err(|p| fail(named("ends_at"), p));
    let venue = optional_text(Some(value("venue")), PLACE_MAX).map_err(|p| fail(named("venue"), p));
    let online_url = url(Some(value("online_url"))).map_err(|p| fail(named("online_url"), p));
    let host = optional_text(Some(value("host")), PLACE_MAX).map_err(|p| fail(named("host"), p));
    let external_url = url(Some(value("external_url"))).map_err(|p| fail(named("external_url"), p));
    let recurrence = match value("recurrence").trim() {
        "" => Ok(None),
        rule => rule
            .parse::<Recurrence>()
            .map(Some)
            .map_err(|_| fail(named("recurrence"), Problem::NotARule)),
    };
    let registration = if checked("registration") {
        let capacity = crate::admin::parse_capacity(value("capacity")).map_err(|e| {
            fail(named("capacity"), e.problem);
        });
        let hours = match value("confirmation_hours").trim() {
            "" => Ok(48),
            text => match text.parse::<i64>() {
                Ok(h) if (1..=24 * 14).contains(&h) => Ok(h),
                Ok(h) if h < 1 => Err(Problem::Negative),
                Ok(_) => Err(Problem::TooLarge(24 * 14)),
                Err(_) => Err(Problem::NotANumber),
            },
        }
        .map_err(|p| fail(named("confirmation_hours"), p));
        let opens = optional_local_time(value("registration_opens_at"))
            .map_err(|p| fail(named("registration_opens_at"), p));
        let closes = optional_local_time(value("registration_closes_at"))
            .map_err(|p| fail(named("registration_closes_at"), p));
        let window = match (&zone, opens, closes) {
            (Ok(zone), Ok(opens), Ok(closes)) => {
                let opens_at = opens.map(|at| resolve_local(*zone, at));
                let closes_at = closes.map(|at| resolve_local(*zone, at));
                if let (Some(opens), Some(closes)) = (opens_at, closes_at)
                    && closes <= opens
                {
                    fail(named("registration_closes_at"), Problem::EndBeforeStart);
                    Err(())
                } else {
                    Ok((opens_at, closes_at))
                }
            }
            _ => Err(()),
        };
        match (capacity, hours, window) {
            (Ok(capacity), Ok(hours), Ok((opens_at, closes_at))) => {
                Ok(Some(RegistrationSettings {
                    capacity,
                    waitlist: checked("waitlist"),
                    opens_at,
                    closes_at,
                    confirmation_window: Duration::hours(hours),
                }))
            }
            _ => Err(()),
        }
    } else {
        Ok(None)
    };

    let times = match (zone, starts, ends) {
        (Ok(zone), Ok(starts), Ok(ends)) => {
            let (starts_at, ends_at) = (resolve_local(zone, starts), resolve_local(zone, ends));
            if ends_at <= starts_at {
                fail(named("ends_at"), Problem::EndBeforeStart);
                Err(())
            } else {
                Ok((zone, starts_at, ends_at))
            }
        }
        _ => Err(()),
    };

    match (
        slug,
        title,
        kind,
        summary,
        description,
        times,
        venue,
        online_url,
        host,
        external_url,
        recurrence,
        registration,
    ) {
        (
            Ok(slug),
            Ok(title),
            Ok(kind),
            Ok(summary),
            Ok(description),
            Ok((time_zone, starts_at, ends_at)),
            Ok(venue),
            Ok(online_url),
            Ok(host),
            Ok(external_url),
            Ok(recurrence),
            Ok(registration),
        ) if errors.is_empty() => Ok(ValidEvent {
            slug,
            title,
            kind,
            summary: summary.unwrap_or_default(),
            description_md: description.unwrap_or_default(),
            starts_at,
            ends_at,
            time_zone,
            venue,
            online_url,
            host,
            external_url,
            recurrence,
            published: checked("published"),
            topics: checked("topics").then(TopicSettings::default),
            registration,
        }),
        _ => Err(errors),
    }
}

/// What an organizer does to one date of a series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OccurrenceChange {
    Cancel,
    Move,
    /// Back to the series' own time, not cancelled.
    Restore,
}

/// Checks a change to one date of `event` (a series): the date must be one of its own, a move
/// needs a new start and end in the event's zone. `notes_md` of an earlier change are kept.
pub fn validate_occurrence_change(
    event: &crate::Event,
    fields: &EventFields,
    notes_md: Option<String>,
) -> Result<crate::OccurrenceOverride, Vec<FieldError>> {
    let value = |name: &str| fields.get(name).map(String::as_str).unwrap_or("");
    let named = |name: &str| Field::Named(name.to_owned());
    let mut errors = Vec::new();
    let date = chrono::NaiveDate::parse_from_str(value("date").trim(), "%Y-%m-%d")
        .map_err(|_| {
            let problem = if value("date").trim().is_empty() {
                Problem::Required
            } else {
                Problem::NotADate
            };
            errors.push(FieldError {
                field: named("date"),
                problem,
            })
        })
        .and_then(|date| {
            let noon = resolve_local(
                event.time_zone,
                date.and_hms_opt(12, 0, 0).unwrap_or_default(),
            );
            let found = event
                .occurrences(&[], noon - Duration::days(2), noon + Duration::days(2))
                .iter()
                .any(|o| o.original_date == date);
            if found {
                Ok(date)
            } else {
                errors.push(FieldError {
                    field: named("date"),
                    problem: Problem::NotAnOccurrence,
                });
                Err(())
            }
        });
    let change = match value("change") {
        "cancel" => Some(OccurrenceChange::Cancel),
        "move" => Some(OccurrenceChange::Move),
        "restore" => Some(OccurrenceChange::Restore),
        _ => {
            errors.push(FieldError {
                field: named("change"),
                problem: Problem::NotAnOption,
            });
            None
        }
    };
    let moved_to = if change == Some(OccurrenceChange::Move) {
        let starts = local_time(value("moved_starts_at")).map_err(|problem| {
            errors.push(FieldError {
                field: named("moved_starts_at"),
                problem,
            })
        });
        let ends = local_time(value("moved_ends_at")).map_err(|problem| {
            errors.push(FieldError {
                field: named("moved_ends_at"),
                problem,
            })
        });
        match (starts, ends) {
            (Ok(starts), Ok(ends)) => {
                let span = (
                    resolve_local(event.time_zone, starts),
                    resolve_local(event.time_zone, ends),
                );
                if span.1 <= span.0 {
                    errors.push(FieldError {
                        field: named("moved_ends_at"),
                        problem: Problem::EndBeforeStart,
                    });
                }
                Some(span)
            }
            _ => None,
        }
    } else {
        None
    };
    match (date, change) {
        (Ok(original_date), Some(change)) if errors.is_empty() => Ok(crate::OccurrenceOverride {
            event_id: event.id,
            original_date,
            cancelled: change == OccurrenceChange::Cancel,
            moved_to,
            notes_md,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> EventFields {
        let mut fields: EventFields = [
            ("slug", "hackathon-4"),
            ("title", "Fourth Community Hackathon"),
            ("kind", "hackathon"),
            ("time_zone", "Europe/Berlin"),
            ("starts_at", "2027-03-10T09:00"),
            ("ends_at", "2027-03-11T17:00"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        for (k, v) in pairs {
            fields.insert((*k).to_owned(), (*v).to_owned());
        }
        fields
    }

    fn problems(fields: &EventFields) -> Vec<(String, Problem)> {
        validate_event(fields)
            .expect_err("problems")
            .into_iter()
            .map(|e| (e.field.key(), e.problem))
            .collect()
    }

    #[test]
    fn local_times_are_read_in_the_events_zone() {
        let event = validate_event(&fields(&[])).expect("valid");
        assert_eq!(event.starts_at.to_rfc3339(), "2027-03-10T08:00:00+00:00");
        assert_eq!(event.ends_at.to_rfc3339(), "2027-03-11T16:00:00+00:00");
        assert_eq!(event.registration, None);
        assert!(!event.published, "unpublished unless ticked");
    }

    #[test]
    fn registration_settings_come_with_the_tick() {
        let event = validate_event(&fields(&[
            ("registration", "on"),
            ("capacity", "40"),
            ("waitlist", "on"),
            ("topics", "on"),
            ("published", "on"),
        ]))
        .expect("valid");
        let registration = event.registration.expect("registration");
        assert_eq!(registration.capacity, Some(40));
        assert!(registration.waitlist);
        assert_eq!(registration.confirmation_window, Duration::hours(48));
        assert!(event.topics.is_some() && event.published);
    }

    #[test]
    fn an_end_before_the_start_is_refused_next_to_the_end() {
        assert_eq!(
            problems(&fields(&[("ends_at", "2027-03-10T08:00")])),
            [("ends_at".to_owned(), Problem::EndBeforeStart)]
        );
    }

    #[test]
    fn the_registration_window_is_read_in_the_events_zone_and_must_not_end_before_it_opens() {
        let event = validate_event(&fields(&[
            ("registration", "on"),
            ("registration_opens_at", "2027-02-01T12:00"),
            ("registration_closes_at", "2027-03-09T18:00"),
        ]))
        .expect("valid");
        let registration = event.registration.expect("registration");
        let opens = registration.opens_at.map(|t| t.to_rfc3339());
        let closes = registration.closes_at.map(|t| t.to_rfc3339());
        assert_eq!(opens.as_deref(), Some("2027-02-01T11:00:00+00:00"));
        assert_eq!(closes.as_deref(), Some("2027-03-09T17:00:00+00:00"));
        let open_ended = validate_event(&fields(&[("registration", "on")])).expect("valid");
        let open_ended = open_ended.registration.expect("registration");
        assert_eq!((open_ended.opens_at, open_ended.closes_at), (None, None));
        assert_eq!(
            problems(&fields(&[
                ("registration", "on"),
                ("registration_opens_at", "2027-02-01T12:00"),
                ("registration_closes_at", "2027-02-01T12:00"),
            ])),
            [("registration_closes_at".to_owned(), Problem::EndBeforeStart)]
        );
        assert_eq!(
            problems(&fields(&[
                ("registration", "on"),
                ("registration_opens_at", "soon")
            ])),
            [("registration_opens_at".to_owned(), Problem::NotADateTime)]
        );
    }

    #[test]
    fn addresses_of_the_sites_own_pages_are_not_event_addresses() {
        for slug in RESERVED_SLUGS {
            assert_eq!(
                problems(&fields(&[("slug", slug)])),
                [("slug".to_owned(), Problem::Reserved)]
            );
        }
    }

    fn weekly_on_thursdays() -> crate::Event {
        let valid = validate_event(&fields(&[
            ("starts_at", "2027-01-07T15:00"),
            ("ends_at", "2027-01-07T16:00"),
            ("recurrence", "FREQ=WEEKLY;BYDAY=TH"),
        ]))
        .expect("valid");
        crate::Event {
            id: 7,
            slug: valid.slug,
            title: valid.title,
            kind: valid.kind,
            summary: valid.summary,
            description_md: valid.description_md,
            starts_at: valid.starts_at,
            ends_at: valid.ends_at,
            time_zone: valid.time_zone,
            venue: None,
            online_url: None,
            host: None,
            external_url: None,
            recurrence: valid.recurrence,
            published: true,
            registration: None,
            questions: Vec::new(),
            topics: None,
            cancelled_at: None,
            reminded_at: None,
        }
    }

    #[test]
    fn one_date_of_a_series_is_cancelled_or_moved() {
        let series = weekly_on_thursdays();
        let change = |pairs: &[(&str, &str)]| {
            let fields: EventFields = pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
            validate_occurrence_change(&series, &fields, None)
        };
        let cancelled = change(&[("date", "2027-01-14"), ("change", "cancel")]).expect("valid");
        assert!(cancelled.cancelled && cancelled.moved_to.is_none());
        let moved = change(&[
            ("date", "2027-01-21"),
            ("change", "move"),
            ("moved_starts_at", "2027-01-22T15:00"),
            ("moved_ends_at", "2027-01-22T16:30"),
        ])
        .expect("valid");
        let (starts, ends) = moved.moved_to.expect("moved");
        assert_eq!(starts.to_rfc3339(), "2027-01-22T14:00:00+00:00");
        assert_eq!(ends.to_rfc3339(), "2027-01-22T15:30:00+00:00");
        let problems = |pairs: &[(&str, &str)]| -> Vec<(String, Problem)> {
            change(pairs)
                .expect_err("problems")
                .into_iter()
                .map(|e| (e.field.key(), e.problem))
                .collect()
        };
        assert_eq!(
            problems(&[("date", "2027-01-15"), ("change", "cancel")]),
            [("date".to_owned(), Problem::NotAnOccurrence)],
            "a Friday"
        );
        assert_eq!(
            problems(&[
                ("date", "2027-01-21"),
                ("change", "move"),
                ("moved_starts_at", "2027-01-22T15:00"),
                ("moved_ends_at", "2027-01-22T14:00")
            ]),
            [("moved_ends_at".to_owned(), Problem::EndBeforeStart)]
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let found = problems(&fields(&[
            ("slug", "Not A Slug"),
            ("title", ""),
            ("kind", "party"),
            ("time_zone", "Mars/Olympus"),
            ("starts_at", "tomorrow"),
            ("online_url", "javascript:alert(1)"),
            ("recurrence", "FREQ=HOURLY"),
            ("registration", "on"),
            ("capacity", "-3"),
        ]));
        let keys: Vec<&str> = found.iter().map(|(k, _)| k.as_str()).collect();
        for key in [
            "slug",
            "title",
            "kind",
            "time_zone",
            "starts_at",
            "online_url",
            "recurrence",
            "capacity",
        ] {
            assert!(keys.contains(&key), "{key} in {keys:?}");
        }
        assert!(found.contains(&("capacity".to_owned(), Problem::Negative)));
        assert!(found.contains(&("online_url".to_owned(), Problem::NotAUrl)));
    }
}
