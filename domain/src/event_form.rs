//! The organizers' event form: what they type (local dates and times in the event's zone, an
//! optional RRULE), checked field by field into an event the store can keep.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;

use crate::dates::{instant_in, parse_date, parse_local_time};
use crate::event::parse_time_zone;
use crate::form::{Field, FieldError, Problem, optional_multiline, optional_text, required_text};
use crate::{
    EventKind, EventSlug, Recurrence, RegistrationSettings, Rule, TopicSettings, WeekOfMonth,
};

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
    /// The address was left empty and made from the title (so a taken one may get a number).
    pub slug_from_title: bool,
    pub title: String,
    pub kind: EventKind,
    pub summary: String,
    pub description_md: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: Tz,
    pub venue: Option<String>,
    pub online_url: Option<String>,
    pub online_access: crate::event::OnlineAccess,
    pub host: Option<String>,
    pub external_url: Option<String>,
    pub recurrence: Option<Recurrence>,
    pub published: bool,
    pub registration: Option<RegistrationSettings>,
    pub topics: Option<TopicSettings>,
    /// The registration questions the form's editor defines; `None` when the form has no
    /// editor (the questions stay as they are).
    pub questions: Option<Vec<crate::Question>>,
}

/// An optional local date and time: empty is `None`.
fn optional_local_time(input: &str) -> Result<Option<NaiveDateTime>, Problem> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        parse_local_time(input).map(Some)
    }
}

/// An optional web address: `http://` or `https://` only (no `javascript:` or `data:` links).
pub fn url(input: Option<&str>) -> Result<Option<String>, Problem> {
    let url = optional_text(input, URL_MAX)?;
    match &url {
        Some(u) if !(u.starts_with("https://") || u.starts_with("http://")) || u.contains(' ') => {
            Err(Problem::NotAUrl)
        }
        _ => Ok(url),
    }
}

/// The form's "Repeats" choices (`repeat`): once, every week or every n weeks on the start's
/// weekday, every month on the start's weekday of the month (the second Thursday) or on the
/// last such weekday, or by the rule typed in `recurrence`.
pub const REPEAT_ONCE: &str = "once";
pub const REPEAT_WEEKLY: &str = "weekly";
pub const REPEAT_MONTHLY: &str = "monthly";
pub const REPEAT_MONTHLY_LAST: &str = "monthly_last";
pub const REPEAT_BY_RULE: &str = "rule";
const REPEAT_CHOICES: [&str; 3] = [REPEAT_WEEKLY, REPEAT_MONTHLY, REPEAT_MONTHLY_LAST];
/// The most weeks between two dates of a series (as RRULE's INTERVAL here).
pub const WEEK_INTERVAL_MAX: u32 = 52;

/// Weeks between two dates of a series: a whole number 1..=52.
fn parse_week_interval(input: &str) -> Result<u32, Problem> {
    match input.trim().parse::<i64>() {
        Ok(n) if n < 1 => Err(Problem::TooSmall(1)),
        Ok(n) => u32::try_from(n)
            .ok()
            .filter(|n| *n <= WEEK_INTERVAL_MAX)
            .ok_or(Problem::TooLarge(WEEK_INTERVAL_MAX)),
        Err(_) => Err(Problem::NotANumber),
    }
}

/// The rule a "Repeats" choice makes of the series' first date.
fn picked_rule(choice: &str, first_day: NaiveDate, every: u32) -> Option<Rule> {
    let weekday = first_day.weekday();
    let week = match (first_day.day() - 1) / 7 {
        0 => WeekOfMonth::First,
        1 => WeekOfMonth::Second,
        2 => WeekOfMonth::Third,
        3 => WeekOfMonth::Fourth,
        _ => WeekOfMonth::Last,
    };
    match choice {
        REPEAT_WEEKLY => Some(Rule::Weekly {
            interval: every,
            weekday,
        }),
        REPEAT_MONTHLY => Some(Rule::MonthlyByWeekday { week, weekday }),
        REPEAT_MONTHLY_LAST => Some(Rule::MonthlyByWeekday {
            week: WeekOfMonth::Last,
            weekday,
        }),
        _ => None,
    }
}

/// The "Repeats" choice that makes `recurrence` of a series starting on `first_day` (with its
/// weeks between dates and last date), or [`REPEAT_BY_RULE`] when no choice makes it: the
/// event form opens with it.
pub fn repeat_choice(
    recurrence: Option<&Recurrence>,
    first_day: NaiveDate,
) -> (&'static str, u32, Option<NaiveDate>) {
    let Some(recurrence) = recurrence else {
        return (REPEAT_ONCE, 1, None);
    };
    let every = match recurrence.rule {
        Rule::Weekly { interval, .. } => interval,
        Rule::MonthlyByWeekday { .. } => 1,
    };
    let choice = REPEAT_CHOICES
        .into_iter()
        .find(|choice| picked_rule(choice, first_day, every) == Some(recurrence.rule))
        .unwrap_or(REPEAT_BY_RULE);
    (choice, every, recurrence.until)
}

/// The longest an organizer may hold a seat for an unconfirmed address: two weeks.
pub const CONFIRMATION_HOURS_MAX: i64 = 24 * 14;

/// Hours a seat is held for an unconfirmed address: a whole number 1..=336.
pub fn parse_confirmation_hours(input: &str) -> Result<i64, Problem> {
    match input.trim().parse::<i64>() {
        Ok(h) if (1..=CONFIRMATION_HOURS_MAX).contains(&h) => Ok(h),
        Ok(h) if h < 1 => Err(Problem::TooSmall(1)),
        Ok(_) => Err(Problem::TooLarge(24 * 14)),
        Err(_) => Err(Problem::NotANumber),
    }
}

/// Hours a seat offered from the waitlist is held for the person it is offered to: a whole
/// number 1..=336, as for an unconfirmed address.
pub fn parse_offer_hours(input: &str) -> Result<i64, Problem> {
    parse_confirmation_hours(input)
}

/// How long an offer is held when the organizer leaves the hours empty: a day, as pretix does.
pub const DEFAULT_OFFER_HOURS: i64 = 24;

/// Checks the organizers' event form; every problem at once, next to its field.
pub fn validate_event(fields: &EventFields) -> Result<ValidEvent, Vec<FieldError>> {
    let mut errors = Vec::new();
    let value = |name: &str| fields.get(name).map(String::as_str).unwrap_or("");
    let checked = |name: &str| crate::is_ticked(value(name));
    let mut fail = |field: Field, problem: Problem| errors.push(FieldError { field, problem });
    let named = |name: &str| Field::Named(name.to_owned());

    let typed_slug = value("slug").trim();
    let slug_from_title = typed_slug.is_empty();
    let slug = match slug_from_title {
        true => EventSlug::from_title(value("title")).ok_or(Problem::Required),
        false => EventSlug::parse(typed_slug).map_err(|_| Problem::NotASlug),
    }
    .and_then(|slug| match RESERVED_SLUGS.contains(&slug.as_str()) {
        true => Err(Problem::Reserved),
        false => Ok(slug),
    })
    .map_err(|problem| fail(named("slug"), problem));
    // Named, not `Field::Title`: that one's messages speak of a topic.
    let title = required_text(value("title"), TITLE_MAX).map_err(|p| fail(named("title"), p));
    let kind = value("kind")
        .parse::<EventKind>()
        .map_err(|_| fail(named("kind"), Problem::NotAnOption));
    let summary =
        optional_text(Some(value("summary")), SUMMARY_MAX).map_err(|p| fail(named("summary"), p));
    let description = optional_multiline(Some(value("description")), DESCRIPTION_MAX)
        .map_err(|p| fail(Field::Description, p));
    let zone = parse_time_zone(value("time_zone").trim())
        .map_err(|_| fail(named("time_zone"), Problem::NotATimeZone));
    let starts = parse_local_time(value("starts_at")).map_err(|p| fail(named("starts_at"), p));
    let ends = parse_local_time(value("ends_at")).map_err(|p| fail(named("ends_at"), p));
    let venue = optional_text(Some(value("venue")), PLACE_MAX).map_err(|p| fail(named("venue"), p));
    let online_url = url(Some(value("online_url"))).map_err(|p| fail(named("online_url"), p));
    // Without the field (the API, an older page): public, as community calls are.
    let online_access = match value("online_access").trim() {
        "" => Ok(crate::event::OnlineAccess::Public),
        word => crate::event::OnlineAccess::parse(word)
            .ok_or_else(|| fail(named("online_access"), Problem::NotAnOption)),
    };
    let host = optional_text(Some(value("host")), PLACE_MAX).map_err(|p| fail(named("host"), p));
    let external_url = url(Some(value("external_url"))).map_err(|p| fail(named("external_url"), p));
    let recurrence = match (fields.get("repeat").map(|r| r.trim()), &starts) {
        // Without the picker (the API, an older page) or by choice: the rule as written.
        (None | Some(REPEAT_BY_RULE), _) => match value("recurrence").trim() {
            "" => Ok(None),
            rule => rule
                .parse::<Recurrence>()
                .map(Some)
                .map_err(|_| fail(named("recurrence"), Problem::NotARule)),
        },
        (Some("" | REPEAT_ONCE), _) => Ok(None),
        (Some(choice), start) if REPEAT_CHOICES.contains(&choice) => {
            let every = match value("repeat_every").trim() {
                "" => Ok(1),
                text => parse_week_interval(text),
            }
            .map_err(|p| fail(named("repeat_every"), p));
            let until = match value("repeat_until").trim() {
                "" => Ok(None),
                text => parse_date(text).map(Some),
            }
            .map_err(|p| fail(named("repeat_until"), p));
            match (start, every, until) {
                (Ok(start), Ok(every), Ok(until)) => {
                    Ok(picked_rule(choice, start.date(), every)
                        .map(|rule| Recurrence { rule, until }))
                }
                // A start that is not a time says so next to itself.
                _ => Err(()),
            }
        }
        (Some(_), _) => {
            fail(named("repeat"), Problem::NotAnOption);
            Err(())
        }
    };
    let registration = if checked("registration") {
        let capacity = crate::admin::parse_capacity(value("capacity")).map_err(|e| {
            fail(named("capacity"), e.problem);
        });
        let hours = match value("confirmation_hours").trim() {
            "" => Ok(48),
            text => parse_confirmation_hours(text),
        }
        .map_err(|p| fail(named("confirmation_hours"), p));
        let offer_hours = match (checked("offers"), value("offer_hours").trim()) {
            (false, _) => Ok(None),
            (true, "") => Ok(Some(DEFAULT_OFFER_HOURS)),
            (true, text) => parse_offer_hours(text).map(Some),
        }
        .map_err(|p| fail(named("offer_hours"), p));
        let last_promotion = match (&zone, optional_local_time(value("last_promotion_at"))) {
            (Ok(zone), Ok(at)) => at.map(|at| instant_in(*zone, at)).transpose(),
            (Err(_), Ok(_)) => Ok(None),
            (_, Err(p)) => Err(p),
        }
        .map_err(|p| fail(named("last_promotion_at"), p));
        let opens = optional_local_time(value("registration_opens_at"))
            .map_err(|p| fail(named("registration_opens_at"), p));
        let closes = optional_local_time(value("registration_closes_at"))
            .map_err(|p| fail(named("registration_closes_at"), p));
        let window = match (&zone, opens, closes) {
            (Ok(zone), Ok(opens), Ok(closes)) => {
                let opens_at = opens
                    .map(|at| instant_in(*zone, at))
                    .transpose()
                    .map_err(|p| fail(named("registration_opens_at"), p));
                let closes_at = closes
                    .map(|at| instant_in(*zone, at))
                    .transpose()
                    .map_err(|p| fail(named("registration_closes_at"), p));
                match (opens_at, closes_at) {
                    (Ok(Some(opens)), Ok(Some(closes))) if closes <= opens => {
                        fail(named("registration_closes_at"), Problem::EndBeforeStart);
                        Err(())
                    }
                    (Ok(opens_at), Ok(closes_at)) => Ok((opens_at, closes_at)),
                    _ => Err(()),
                }
            }
            _ => Err(()),
        };
        match (capacity, hours, window, offer_hours, last_promotion) {
            (
                Ok(capacity),
                Ok(hours),
                Ok((opens_at, closes_at)),
                Ok(offer_hours),
                Ok(last_promotion_at),
            ) => Ok(Some(RegistrationSettings {
                capacity,
                waitlist: checked("waitlist"),
                opens_at,
                closes_at,
                confirmation_window: Duration::hours(hours),
                offer_window: offer_hours.map(Duration::hours),
                last_promotion_at,
            })),
            _ => Err(()),
        }
    } else {
        Ok(None)
    };

    let times = match (zone, starts, ends) {
        (Ok(zone), Ok(starts), Ok(ends)) => {
            let starts_at = instant_in(zone, starts).map_err(|p| fail(named("starts_at"), p));
            let ends_at = instant_in(zone, ends).map_err(|p| fail(named("ends_at"), p));
            match (starts_at, ends_at) {
                (Ok(starts_at), Ok(ends_at)) if ends_at <= starts_at => {
                    fail(named("ends_at"), Problem::EndBeforeStart);
                    Err(())
                }
                (Ok(starts_at), Ok(ends_at)) => Ok((zone, starts_at, ends_at)),
                _ => Err(()),
            }
        }
        _ => Err(()),
    };
    let questions = crate::questions::parse_editor(fields).map_err(|problems| {
        errors.extend(problems);
    });

    match (
        slug,
        title,
        kind,
        summary,
        description,
        times,
        venue,
        (online_url, online_access),
        host,
        external_url,
        recurrence,
        registration,
        questions,
    ) {
        (
            Ok(slug),
            Ok(title),
            Ok(kind),
            Ok(summary),
            Ok(description),
            Ok((time_zone, starts_at, ends_at)),
            Ok(venue),
            (Ok(online_url), Ok(online_access)),
            Ok(host),
            Ok(external_url),
            Ok(recurrence),
            Ok(registration),
            Ok(questions),
        ) if errors.is_empty() => Ok(ValidEvent {
            slug,
            slug_from_title,
            title,
            kind,
            summary: summary.unwrap_or_default(),
            description_md: description.unwrap_or_default(),
            starts_at,
            ends_at,
            time_zone,
            venue,
            online_url,
            online_access,
            host,
            external_url,
            recurrence,
            published: checked("published"),
            topics: checked("topics").then(TopicSettings::default),
            registration,
            questions,
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
    /// Only its notes (Markdown, e.g. the call's minutes), as typed in `notes`: empty removes
    /// them. Whether it was cancelled or moved stays.
    Notes,
}

/// Checks a change to one date of `event` (a series): the date must be one of its own, a move
/// needs a new start and end in the event's zone. `current` is what was changed of that date
/// before (if anything): its notes stay unless the notes are the change, its time stays when
/// they are.
pub fn validate_occurrence_change(
    event: &crate::Event,
    fields: &EventFields,
    current: Option<&crate::OccurrenceOverride>,
) -> Result<(crate::OccurrenceOverride, OccurrenceChange), Vec<FieldError>> {
    let value = |name: &str| fields.get(name).map(String::as_str).unwrap_or("");
    let named = |name: &str| Field::Named(name.to_owned());
    let mut errors = Vec::new();
    let date = parse_date(value("date"))
        .map_err(|problem| {
            errors.push(FieldError {
                field: named("date"),
                problem,
            })
        })
        .and_then(|date| {
            let noon = instant_in(
                event.time_zone,
                date.and_hms_opt(12, 0, 0).unwrap_or_default(),
            )
            .ok();
            let window = noon.and_then(|noon| {
                Some((
                    noon.checked_sub_signed(Duration::days(2))?,
                    noon.checked_add_signed(Duration::days(2))?,
                ))
            });
            let found = window.is_some_and(|(from, until)| {
                event
                    .occurrences(&[], from, until)
                    .iter()
                    .any(|o| o.original_date == date)
            });
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
        "notes" => Some(OccurrenceChange::Notes),
        _ => {
            errors.push(FieldError {
                field: named("change"),
                problem: Problem::NotAnOption,
            });
            None
        }
    };
    let moved_to = if change == Some(OccurrenceChange::Move) {
        let mut moved = |name: &str| {
            parse_local_time(value(name))
                .and_then(|local| instant_in(event.time_zone, local))
                .map_err(|problem| {
                    errors.push(FieldError {
                        field: named(name),
                        problem,
                    })
                })
        };
        let (starts, ends) = (moved("moved_starts_at"), moved("moved_ends_at"));
        match (starts, ends) {
            (Ok(starts), Ok(ends)) => {
                if ends <= starts {
                    errors.push(FieldError {
                        field: named("moved_ends_at"),
                        problem: Problem::EndBeforeStart,
                    });
                }
                Some((starts, ends))
            }
            _ => None,
        }
    } else {
        None
    };
    let notes = match change {
        Some(OccurrenceChange::Notes) => optional_multiline(Some(value("notes")), DESCRIPTION_MAX)
            .map_err(|problem| {
                errors.push(FieldError {
                    field: named("notes"),
                    problem,
                })
            }),
        _ => Ok(current.and_then(|c| c.notes_md.clone())),
    };
    match (date, change, notes) {
        (Ok(original_date), Some(change), Ok(notes_md)) if errors.is_empty() => {
            let (cancelled, moved_to) = match change {
                OccurrenceChange::Notes => {
                    current.map_or((false, None), |c| (c.cancelled, c.moved_to))
                }
                _ => (change == OccurrenceChange::Cancel, moved_to),
            };
            let changed = crate::OccurrenceOverride {
                event_id: event.id,
                original_date,
                cancelled,
                moved_to,
                notes_md,
            };
            Ok((changed, change))
        }
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
    fn the_online_link_is_public_unless_the_form_says_who_sees_it() {
        use crate::event::OnlineAccess;
        let valid = validate_event(&fields(&[("online_url", "https://meet.example.org/x")]))
            .expect("valid");
        assert_eq!(valid.online_access, OnlineAccess::Public);
        for access in OnlineAccess::ALL {
            let valid =
                validate_event(&fields(&[("online_access", access.as_str())])).expect("valid");
            assert_eq!(valid.online_access, access);
        }
        assert_eq!(
            problems(&fields(&[("online_access", "friends")])),
            vec![("online_access".to_owned(), Problem::NotAnOption)]
        );
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
        assert_eq!(
            registration.offer_window, None,
            "seats given at once unless ticked"
        );
        assert_eq!(registration.last_promotion_at, None);
    }

    #[test]
    fn offers_hold_a_day_unless_told_and_the_last_promotion_is_read_in_the_events_zone() {
        let offered = |extra: &[(&str, &str)]| {
            let mut all = vec![("registration", "on"), ("waitlist", "on"), ("offers", "on")];
            all.extend_from_slice(extra);
            validate_event(&fields(&all))
        };
        let registration = offered(&[]).expect("valid").registration.expect("taken");
        assert_eq!(registration.offer_window, Some(Duration::hours(24)));
        let registration = offered(&[
            ("offer_hours", "6"),
            ("last_promotion_at", "2027-03-09T18:00"),
        ])
        .expect("valid")
        .registration
        .expect("taken");
        assert_eq!(registration.offer_window, Some(Duration::hours(6)));
        assert_eq!(
            registration
                .last_promotion_at
                .map(|t| t.to_rfc3339())
                .as_deref(),
            Some("2027-03-09T17:00:00+00:00")
        );
        assert_eq!(
            offered(&[("offer_hours", "0"), ("last_promotion_at", "soon")])
                .expect_err("refused")
                .into_iter()
                .map(|e| (e.field.key(), e.problem))
                .collect::<Vec<_>>(),
            [
                ("offer_hours".to_owned(), Problem::TooSmall(1)),
                ("last_promotion_at".to_owned(), Problem::NotADateTime)
            ]
        );
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

    #[test]
    fn the_repeats_choice_writes_the_rule_and_reads_it_back() {
        // 2027-01-14 is the second Thursday of January; 2027-01-28 the fourth and last.
        let cases = [
            ("2027-01-14", REPEAT_WEEKLY, "", "", "FREQ=WEEKLY;BYDAY=TH"),
            (
                "2027-01-14",
                REPEAT_WEEKLY,
                "2",
                "2027-06-30",
                "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;UNTIL=20270630",
            ),
            (
                "2027-01-14",
                REPEAT_MONTHLY,
                "",
                "",
                "FREQ=MONTHLY;BYDAY=2TH",
            ),
            (
                "2027-01-28",
                REPEAT_MONTHLY,
                "",
                "",
                "FREQ=MONTHLY;BYDAY=4TH",
            ),
            (
                "2027-01-29",
                REPEAT_MONTHLY,
                "",
                "",
                "FREQ=MONTHLY;BYDAY=-1FR",
            ),
            (
                "2027-01-28",
                REPEAT_MONTHLY_LAST,
                "",
                "",
                "FREQ=MONTHLY;BYDAY=-1TH",
            ),
        ];
        for (day, choice, every, until, rule) in cases {
            let event = validate_event(&fields(&[
                ("starts_at", &format!("{day}T15:00")),
                ("ends_at", &format!("{day}T16:00")),
                ("repeat", choice),
                ("repeat_every", every),
                ("repeat_until", until),
                ("recurrence", "FREQ=WEEKLY;BYDAY=MO"),
            ]))
            .expect("valid");
            let recurrence = event.recurrence.expect("a series");
            assert_eq!(recurrence.to_string(), rule, "{day} {choice}");
            let first_day = NaiveDate::parse_from_str(day, "%Y-%m-%d").expect("day");
            let (back, weeks, last) = repeat_choice(Some(&recurrence), first_day);
            assert_eq!(back, choice, "{rule}");
            assert_eq!(weeks, every.parse().unwrap_or(1));
            assert_eq!(last.map(|d| d.to_string()).unwrap_or_default(), until);
        }
        // A rule no choice makes stays a rule; no rule is "once".
        let thursdays: Recurrence = "FREQ=WEEKLY;BYDAY=TH".parse().expect("rule");
        let monday = NaiveDate::from_ymd_opt(2027, 1, 11).expect("day");
        assert_eq!(repeat_choice(Some(&thursdays), monday).0, REPEAT_BY_RULE);
        assert_eq!(repeat_choice(None, monday).0, REPEAT_ONCE);
    }

    #[test]
    fn the_repeats_choice_is_checked_field_by_field() {
        let with = |pairs: &[(&str, &str)]| {
            let mut all = vec![
                ("starts_at", "2027-01-14T15:00"),
                ("ends_at", "2027-01-14T16:00"),
            ];
            all.extend_from_slice(pairs);
            fields(&all)
        };
        let once = validate_event(&with(&[
            ("repeat", REPEAT_ONCE),
            ("recurrence", "FREQ=WEEKLY;BYDAY=TH"),
        ]));
        assert_eq!(
            once.expect("valid").recurrence,
            None,
            "the typed rule counts only by choice"
        );
        let by_rule = validate_event(&with(&[
            ("repeat", REPEAT_BY_RULE),
            ("recurrence", "FREQ=MONTHLY;BYDAY=-1FR"),
        ]));
        assert_eq!(
            by_rule
                .expect("valid")
                .recurrence
                .expect("a series")
                .to_string(),
            "FREQ=MONTHLY;BYDAY=-1FR"
        );
        for (pairs, field, problem) in [
            (vec![("repeat", "daily")], "repeat", Problem::NotAnOption),
            (
                vec![("repeat", REPEAT_WEEKLY), ("repeat_every", "0")],
                "repeat_every",
                Problem::TooSmall(1),
            ),
            (
                vec![("repeat", REPEAT_WEEKLY), ("repeat_every", "53")],
                "repeat_every",
                Problem::TooLarge(52),
            ),
            (
                vec![("repeat", REPEAT_WEEKLY), ("repeat_every", "two")],
                "repeat_every",
                Problem::NotANumber,
            ),
            (
                vec![("repeat", REPEAT_MONTHLY), ("repeat_until", "soon")],
                "repeat_until",
                Problem::NotADate,
            ),
            (
                vec![("repeat", REPEAT_BY_RULE), ("recurrence", "FREQ=DAILY")],
                "recurrence",
                Problem::NotARule,
            ),
        ] {
            assert_eq!(
                problems(&with(&pairs)),
                [(field.to_owned(), problem)],
                "{pairs:?}"
            );
        }
        // A start that is not a time is the only problem named.
        assert_eq!(
            problems(&fields(&[("starts_at", "soon"), ("repeat", REPEAT_WEEKLY)])),
            [("starts_at".to_owned(), Problem::NotADateTime)]
        );
    }

    #[test]
    fn an_empty_address_is_made_from_the_title() {
        let event = validate_event(&fields(&[("slug", " ")])).expect("valid");
        assert_eq!(event.slug.as_str(), "fourth-community-hackathon");
        assert!(event.slug_from_title);
        assert!(!validate_event(&fields(&[])).expect("valid").slug_from_title);
        assert_eq!(
            problems(&fields(&[("slug", ""), ("title", "New")])),
            [("slug".to_owned(), Problem::Reserved)]
        );
        let found = problems(&fields(&[("slug", ""), ("title", "")]));
        assert!(
            found.contains(&("slug".to_owned(), Problem::Required)),
            "{found:?}"
        );
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
            online_access: crate::event::OnlineAccess::Public,
            host: None,
            external_url: None,
            recurrence: valid.recurrence,
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
    fn a_date_of_a_series_reads_as_its_override_makes_it() {
        use crate::OccurrenceStatus;
        let series = weekly_on_thursdays();
        let date = chrono::NaiveDate::from_ymd_opt(2027, 1, 14).expect("a Thursday");
        let planned = series
            .occurrence_on(date, None)
            .expect("a date of the series");
        assert_eq!(planned.status, OccurrenceStatus::Scheduled);
        assert_eq!(planned.starts_at.to_rfc3339(), "2027-01-14T14:00:00+00:00");
        let change = |cancelled, moved_to| crate::OccurrenceOverride {
            event_id: series.id,
            original_date: date,
            cancelled,
            moved_to,
            notes_md: None,
        };
        let cancelled = series
            .occurrence_on(date, Some(&change(true, None)))
            .expect("date");
        assert_eq!(
            (cancelled.status, cancelled.starts_at),
            (OccurrenceStatus::Cancelled, planned.starts_at)
        );
        let later = (
            planned.starts_at + Duration::days(30),
            planned.ends_at + Duration::days(30),
        );
        let moved = series
            .occurrence_on(date, Some(&change(false, Some(later))))
            .expect("date");
        assert_eq!(
            (moved.status, moved.starts_at, moved.original_date),
            (OccurrenceStatus::Moved, later.0, date)
        );
        let wednesday = chrono::NaiveDate::from_ymd_opt(2027, 1, 13).expect("date");
        assert_eq!(series.occurrence_on(wednesday, None), None);
    }

    #[test]
    fn one_date_of_a_series_is_cancelled_or_moved() {
        let series = weekly_on_thursdays();
        let change = |pairs: &[(&str, &str)]| {
            let fields: EventFields = pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
            validate_occurrence_change(&series, &fields, None).map(|(changed, _)| changed)
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
    fn dates_outside_the_supported_years_are_refused_next_to_their_field() {
        assert_eq!(
            problems(&fields(&[
                ("starts_at", "-262143-01-01T09:00"),
                ("ends_at", "+99999-03-11T17:00"),
            ])),
            [
                ("starts_at".to_owned(), Problem::DateOutOfRange),
                ("ends_at".to_owned(), Problem::DateOutOfRange),
            ]
        );
        assert_eq!(
            problems(&fields(&[
                ("registration", "on"),
                ("registration_opens_at", "1969-12-31T12:00"),
                ("registration_closes_at", "+262142-12-31T23:59"),
            ])),
            [
                ("registration_opens_at".to_owned(), Problem::DateOutOfRange),
                ("registration_closes_at".to_owned(), Problem::DateOutOfRange),
            ]
        );
        // In range locally, but New York's 23:00 on the last day is already the year 10000 in UTC.
        assert_eq!(
            problems(&fields(&[
                ("time_zone", "America/New_York"),
                ("starts_at", "9999-12-31T10:00"),
                ("ends_at", "9999-12-31T23:00"),
            ])),
            [("ends_at".to_owned(), Problem::DateOutOfRange)]
        );
        assert!(
            validate_event(&fields(&[
                ("starts_at", "9999-12-30T10:00"),
                ("ends_at", "9999-12-31T12:00"),
                ("recurrence", "FREQ=WEEKLY;BYDAY=TH"),
            ]))
            .is_ok()
        );
    }

    #[test]
    fn hours_to_confirm_are_a_whole_number_up_to_two_weeks() {
        assert_eq!(parse_confirmation_hours(" 48 "), Ok(48));
        assert_eq!(parse_confirmation_hours("336"), Ok(336));
        assert_eq!(parse_confirmation_hours("0"), Err(Problem::TooSmall(1)));
        assert_eq!(parse_confirmation_hours("337"), Err(Problem::TooLarge(336)));
        assert_eq!(
            parse_confirmation_hours("99999999999999999999"),
            Err(Problem::NotANumber)
        );
    }

    #[test]
    fn the_notes_of_a_date_change_alone() {
        let series = weekly_on_thursdays();
        let fields = |pairs: &[(&str, &str)]| -> EventFields {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        let cancelled = validate_occurrence_change(
            &series,
            &fields(&[("date", "2027-01-14"), ("change", "cancel")]),
            None,
        )
        .expect("valid")
        .0;
        let (noted, change) = validate_occurrence_change(
            &series,
            &fields(&[
                ("date", "2027-01-14"),
                ("change", "notes"),
                ("notes", "## Minutes\n- cancelled, see you next week"),
            ]),
            Some(&cancelled),
        )
        .expect("valid");
        assert_eq!(change, OccurrenceChange::Notes);
        assert!(noted.cancelled, "still cancelled");
        assert_eq!(
            noted.notes_md.as_deref(),
            Some("## Minutes\n- cancelled, see you next week")
        );
        let (restored, _) = validate_occurrence_change(
            &series,
            &fields(&[
                ("date", "2027-01-14"),
                ("change", "restore"),
                ("notes", "ignored"),
            ]),
            Some(&noted),
        )
        .expect("valid");
        assert!(!restored.cancelled);
        assert_eq!(restored.notes_md, noted.notes_md, "the notes stay");
        let (cleared, _) = validate_occurrence_change(
            &series,
            &fields(&[("date", "2027-01-14"), ("change", "notes"), ("notes", "  ")]),
            Some(&restored),
        )
        .expect("valid");
        assert_eq!(cleared.notes_md, None, "empty notes remove them");
        let too_long = "x".repeat(DESCRIPTION_MAX + 1);
        let refused = validate_occurrence_change(
            &series,
            &fields(&[
                ("date", "2027-01-14"),
                ("change", "notes"),
                ("notes", &too_long),
            ]),
            None,
        )
        .expect_err("too long");
        assert_eq!(refused[0].field.key(), "notes");
    }

    #[test]
    fn a_date_of_a_series_far_out_of_range_is_refused_not_a_panic() {
        let series = weekly_on_thursdays();
        let change = |pairs: &[(&str, &str)]| -> Vec<(String, Problem)> {
            let fields: EventFields = pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
            validate_occurrence_change(&series, &fields, None)
                .expect_err("problems")
                .into_iter()
                .map(|e| (e.field.key(), e.problem))
                .collect()
        };
        assert_eq!(
            change(&[("date", "-262143-01-01"), ("change", "cancel")]),
            [("date".to_owned(), Problem::DateOutOfRange)]
        );
        assert_eq!(
            change(&[("date", "+262142-12-31"), ("change", "cancel")]),
            [("date".to_owned(), Problem::DateOutOfRange)]
        );
        assert_eq!(
            change(&[("date", "9999-12-31"), ("change", "cancel")]),
            [("date".to_owned(), Problem::NotAnOccurrence)],
            "a Friday at the end of the range: the window around it is checked, not overflowed"
        );
        assert_eq!(
            change(&[
                ("date", "2027-01-21"),
                ("change", "move"),
                ("moved_starts_at", "-262143-01-01T00:00"),
                ("moved_ends_at", "+99999-01-01T00:00"),
            ]),
            [
                ("moved_starts_at".to_owned(), Problem::DateOutOfRange),
                ("moved_ends_at".to_owned(), Problem::DateOutOfRange),
            ]
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
