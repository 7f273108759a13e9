//! The weekly community call's agenda: the sections a series sets once (one per team or SIG,
//! free ones such as "Announcements", and the generated "Upcoming events"), the Markdown items
//! written into them for each date, and which of the site's events the generated section lists
//! for a call. Which section a contributor link may write to is decided here too.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::event::Event;
use crate::form::{Field, FieldError, Problem, optional_multiline, required_text};

/// How far after a call the generated section looks for events elsewhere.
pub const UPCOMING_HORIZON: Duration = Duration::weeks(8);

/// Longest section title and item, in characters.
pub const TITLE_MAX: usize = 120;
pub const ITEM_MAX: usize = 4000;

/// Most sections a series' agenda has: enough for every team and SIG and a few free sections.
pub const SECTIONS_MAX: usize = 40;

/// Most items one section holds for one date.
pub const ITEMS_MAX: usize = 30;

/// What a section of the agenda is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    /// A team's or SIG's updates: one of the community's meeting series, written by its
    /// contributors.
    Team,
    /// Written by the organizers (e.g. "Announcements").
    Free,
    /// Written by convene from its own events: events elsewhere in the weeks after the call,
    /// open registrations and topic collections.
    Upcoming,
}

impl SectionKind {
    pub const ALL: [SectionKind; 3] = [SectionKind::Team, SectionKind::Free, SectionKind::Upcoming];

    /// The word stored in the database and sent by forms.
    pub fn as_str(self) -> &'static str {
        match self {
            SectionKind::Team => "team",
            SectionKind::Free => "free",
            SectionKind::Upcoming => "upcoming",
        }
    }

    pub fn parse(word: &str) -> Option<SectionKind> {
        SectionKind::ALL.into_iter().find(|k| k.as_str() == word)
    }

    /// Whether people write items into it (the generated section has only convene's lines).
    pub fn takes_items(self) -> bool {
        self != SectionKind::Upcoming
    }
}

/// One section of a series' agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub id: i64,
    /// The community-call series.
    pub event_id: i64,
    /// Its place in the agenda, first first.
    pub position: i64,
    pub kind: SectionKind,
    pub title: String,
    /// The team's meeting series, for a team section.
    pub team_event_id: Option<i64>,
    /// Whether a contributor link is out for it (only its hash is kept).
    pub has_contributor_link: bool,
}

/// One update in a section for one date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub id: i64,
    pub section_id: i64,
    /// The call it is for: the series' date as first planned.
    pub date: NaiveDate,
    pub position: i64,
    pub body_md: String,
    pub updated_at: DateTime<Utc>,
}

/// A new section as the organizers' form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionForm {
    #[serde(default)]
    pub kind: String,
    /// The team's meeting series (its id), for a team section.
    #[serde(default)]
    pub team: String,
    /// The title of a free or generated section (a team section is named after its series).
    #[serde(default)]
    pub title: String,
}

/// A section the form asks for, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewSection {
    Team { team_event_id: i64 },
    Free { title: String },
    Upcoming { title: String },
}

impl SectionForm {
    pub fn validate(&self) -> Result<NewSection, Vec<FieldError>> {
        let kind_error = |problem| {
            vec![FieldError {
                field: Field::Named("kind".into()),
                problem,
            }]
        };
        let title = || {
            required_text(&self.title, TITLE_MAX).map_err(|problem| {
                vec![FieldError {
                    field: Field::Title,
                    problem,
                }]
            })
        };
        match SectionKind::parse(self.kind.trim()) {
            Some(SectionKind::Team) => self
                .team
                .trim()
                .parse::<i64>()
                .map(|team_event_id| NewSection::Team { team_event_id })
                .map_err(|_| {
                    vec![FieldError {
                        field: Field::Named("team".into()),
                        problem: Problem::NotAnOption,
                    }]
                }),
            Some(SectionKind::Free) => title().map(|title| NewSection::Free { title }),
            Some(SectionKind::Upcoming) => {
                let title = if self.title.trim().is_empty() {
                    crate::deck::UPCOMING_TITLE.to_owned()
                } else {
                    title()?
                };
                Ok(NewSection::Upcoming { title })
            }
            None => Err(kind_error(Problem::NotAnOption)),
        }
    }
}

/// Why a change to the agenda is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AgendaRefusal {
    #[error("The agenda has a section for this team already.")]
    TeamTaken,
    #[error("The agenda has its generated section already.")]
    UpcomingTaken,
    #[error("The agenda has as many sections as it can hold.")]
    TooManySections,
    #[error("This section holds as many items for this call as it can.")]
    TooManyItems,
    #[error("This section is written by convene from its events; it takes no items.")]
    Generated,
    #[error("This call is over; its notes stay as they were.")]
    CallOver,
    #[error("The call before had no items in this section to carry over.")]
    NothingToCarry,
}

/// Why an agenda action did nothing: the agenda flows' one error, shown by the pages (the call
/// page, a team's contributor page, the organizers' agenda) and mapped to HTTP by the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AgendaError {
    #[error("This link is not valid. It may be mistyped, or the organizers replaced it.")]
    UnknownLink,
    #[error("There is no such call: the series does not meet on this date.")]
    UnknownCall,
    #[error("There is no such section in this agenda.")]
    UnknownSection,
    #[error("There is no such item in this agenda.")]
    UnknownItem,
    #[error("This event is no series of community calls.")]
    NotACallSeries,
    #[error("Only the team's contributors and the event managers write this section.")]
    NotYours,
    #[error("Some fields need your attention.")]
    Invalid(Vec<FieldError>),
    #[error("{0}")]
    Refused(AgendaRefusal),
    /// Too many changes wait for this series right now; try again in a few seconds.
    #[error("Many people are doing this right now. Please try again in a few seconds.")]
    Busy,
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
}

impl From<AgendaRefusal> for AgendaError {
    fn from(refusal: AgendaRefusal) -> Self {
        AgendaError::Refused(refusal)
    }
}

impl AgendaError {
    /// The problems of the form's fields, when that is what went wrong.
    pub fn field_errors(&self) -> Vec<FieldError> {
        match self {
            AgendaError::Invalid(errors) => errors.clone(),
            _ => Vec::new(),
        }
    }
}

/// Checks that a series with `sections` may gain `new`.
pub fn check_new_section(sections: &[Section], new: &NewSection) -> Result<(), AgendaRefusal> {
    if sections.len() >= SECTIONS_MAX {
        return Err(AgendaRefusal::TooManySections);
    }
    match new {
        NewSection::Team { team_event_id } => {
            if sections
                .iter()
                .any(|s| s.team_event_id == Some(*team_event_id))
            {
                return Err(AgendaRefusal::TeamTaken);
            }
        }
        NewSection::Upcoming { .. } => {
            if sections.iter().any(|s| s.kind == SectionKind::Upcoming) {
                return Err(AgendaRefusal::UpcomingTaken);
            }
        }
        NewSection::Free { .. } => {}
    }
    Ok(())
}

/// An item as written: Markdown, required, at most [`ITEM_MAX`] characters.
pub fn validate_item(body: &str) -> Result<String, Vec<FieldError>> {
    optional_multiline(Some(body), ITEM_MAX)
        .and_then(|text| text.ok_or(Problem::Required))
        .map(|text| text.replace("\r\n", "\n"))
        .map_err(|problem| {
            vec![FieldError {
                field: Field::Named("body".into()),
                problem,
            }]
        })
}

/// Whether items of the call on `date` (ending at `ends_at`) may still change at `now`: up to
/// a day after the call, so that a team can add what it said; after that they are its notes.
pub fn check_open(ends_at: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), AgendaRefusal> {
    if now > ends_at + Duration::days(1) {
        Err(AgendaRefusal::CallOver)
    } else {
        Ok(())
    }
}

/// The order `ids` after moving `id` one place up (`up`) or down; unchanged at either end.
pub fn moved(ids: &[i64], id: i64, up: bool) -> Vec<i64> {
    let mut order = ids.to_vec();
    if let Some(at) = order.iter().position(|x| *x == id) {
        let other = if up { at.checked_sub(1) } else { Some(at + 1) };
        if let Some(other) = other.filter(|o| *o < order.len()) {
            order.swap(at, other);
        }
    }
    order
}

/// What the generated section lists for one call.
#[derive(Debug, Clone, PartialEq)]
pub struct Upcoming<'a> {
    /// Events elsewhere and conferences in the weeks after the call, soonest first.
    pub elsewhere: Vec<&'a Event>,
    /// Events of the community whose registration or topic collection is open, soonest first.
    pub open: Vec<&'a Event>,
}

/// The events the generated section lists for the call starting at `call_starts`, as of `now`,
/// without those organizers hid for this call (`hidden`, event ids). An event elsewhere is one
/// that takes no registration here; it is listed while it overlaps the weeks after the call.
/// An event that takes registrations or topics is listed while either is open (at `now`: an
/// announcement is about what one can still do) and it has not begun before the call.
pub fn upcoming<'a>(
    events: &'a [Event],
    call_starts: DateTime<Utc>,
    now: DateTime<Utc>,
    hidden: &[i64],
) -> Upcoming<'a> {
    let listed = events
        .iter()
        .filter(|e| e.published && !e.is_series() && !e.is_cancelled())
        .filter(|e| !hidden.contains(&e.id));
    let mut elsewhere = Vec::new();
    let mut open = Vec::new();
    for event in listed {
        let registration_open = event.registration_window(now) == Some(crate::Window::Open);
        let topics_open = event.check_topic_proposal(now, 0).is_ok();
        if registration_open || topics_open {
            if event.starts_at >= call_starts {
                open.push(event);
            }
        } else if event.registration.is_none()
            && event.ends_at > call_starts
            && event.starts_at < call_starts + UPCOMING_HORIZON
        {
            elsewhere.push(event);
        }
    }
    let soonest = |a: &&Event, b: &&Event| (a.starts_at, &a.title).cmp(&(b.starts_at, &b.title));
    elsewhere.sort_by(soonest);
    open.sort_by(soonest);
    Upcoming { elsewhere, open }
}

/// The dates whose agenda a contributor writes: the series' next `count` dates that have not
/// ended more than a day ago (so the call just held can still be completed).
pub fn open_dates(
    series: &Event,
    overrides: &[crate::OccurrenceOverride],
    now: DateTime<Utc>,
    count: usize,
) -> Vec<crate::Occurrence> {
    series
        .occurrences(overrides, now - Duration::days(1), now + Duration::weeks(9))
        .into_iter()
        .filter(|o| o.status != crate::OccurrenceStatus::Cancelled)
        .take(count)
        .collect()
}

/// The date before `date` on which the series met (not cancelled), looking back up to half a
/// year: where "carry over" takes items from.
pub fn previous_date(
    series: &Event,
    overrides: &[crate::OccurrenceOverride],
    date: NaiveDate,
) -> Option<NaiveDate> {
    let day = date.and_hms_opt(0, 0, 0)?.and_utc();
    series
        .occurrences(overrides, day - Duration::weeks(26), day)
        .into_iter()
        .filter(|o| o.original_date < date && o.status != crate::OccurrenceStatus::Cancelled)
        .map(|o| o.original_date)
        .next_back()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{EventKind, EventSlug};
    use crate::{RegistrationSettings, TopicSettings};
    use chrono_tz::Europe::Berlin;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|e| panic!("bad test instant {s}: {e}"))
    }

    fn date(s: &str) -> NaiveDate {
        s.parse()
            .unwrap_or_else(|e| panic!("bad test date {s}: {e}"))
    }

    fn event(id: i64, slug: &str, starts: &str, ends: &str) -> Event {
        Event {
            id,
            slug: EventSlug::parse(slug).unwrap_or_else(|e| panic!("{e}")),
            title: slug.to_uppercase(),
            kind: EventKind::External,
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

    fn call() -> Event {
        let mut call = event(1, "call", "2023-01-05T14:05:00Z", "2023-01-05T15:00:00Z");
        call.kind = EventKind::CommunityCall;
        call.recurrence = Some(
            "FREQ=WEEKLY;BYDAY=TH"
                .parse()
                .unwrap_or_else(|e| panic!("{e}")),
        );
        call
    }

    fn section(id: i64, kind: SectionKind, team: Option<i64>) -> Section {
        Section {
            id,
            event_id: 1,
            position: id,
            kind,
            title: format!("S{id}"),
            team_event_id: team,
            has_contributor_link: false,
        }
    }

    fn form(kind: &str, team: &str, title: &str) -> SectionForm {
        SectionForm {
            kind: kind.into(),
            team: team.into(),
            title: title.into(),
        }
    }

    #[test]
    fn a_section_form_names_a_team_or_a_title() {
        assert_eq!(
            form("team", "7", "").validate(),
            Ok(NewSection::Team { team_event_id: 7 })
        );
        assert_eq!(
            form("free", "", " Announcements ").validate(),
            Ok(NewSection::Free {
                title: "Announcements".into()
            })
        );
        assert_eq!(
            form("upcoming", "", "").validate(),
            Ok(NewSection::Upcoming {
                title: crate::deck::UPCOMING_TITLE.into()
            })
        );
        let field_of = |f: SectionForm| f.validate().err().map(|e| e[0].field.key());
        assert_eq!(field_of(form("team", "x", "")), Some("team".into()));
        assert_eq!(field_of(form("free", "", "  ")), Some("title".into()));
        assert_eq!(field_of(form("banner", "", "A")), Some("kind".into()));
        let long = "x".repeat(TITLE_MAX + 1);
        assert_eq!(field_of(form("free", "", &long)), Some("title".into()));
    }

    #[test]
    fn a_team_and_the_generated_section_appear_once_per_series() {
        let sections = vec![
            section(1, SectionKind::Team, Some(7)),
            section(2, SectionKind::Upcoming, None),
        ];
        let team = |id| NewSection::Team { team_event_id: id };
        assert_eq!(
            check_new_section(&sections, &team(7)),
            Err(AgendaRefusal::TeamTaken)
        );
        assert_eq!(check_new_section(&sections, &team(8)), Ok(()));
        let upcoming = NewSection::Upcoming { title: "U".into() };
        assert_eq!(
            check_new_section(&sections, &upcoming),
            Err(AgendaRefusal::UpcomingTaken)
        );
        let free = NewSection::Free { title: "F".into() };
        assert_eq!(check_new_section(&sections, &free), Ok(()));
        let full: Vec<Section> = (0..SECTIONS_MAX as i64)
            .map(|id| section(id, SectionKind::Free, None))
            .collect();
        assert_eq!(
            check_new_section(&full, &free),
            Err(AgendaRefusal::TooManySections)
        );
    }

    #[test]
    fn an_item_is_required_markdown_of_bounded_length() {
        assert_eq!(validate_item("* one\r\n* two\n"), Ok("* one\n* two".into()));
        assert!(validate_item("   ").is_err());
        assert!(validate_item(&"x".repeat(ITEM_MAX + 1)).is_err());
        assert!(validate_item("bad \u{202E} text").is_err());
        assert_eq!(
            validate_item(&"x".repeat(ITEM_MAX)).map(|t| t.len()),
            Ok(ITEM_MAX)
        );
    }

    #[test]
    fn items_change_until_a_day_after_the_call() {
        let ends = utc("2023-10-19T14:00:00Z");
        assert_eq!(check_open(ends, ends), Ok(()));
        assert_eq!(check_open(ends, ends + Duration::hours(24)), Ok(()));
        assert_eq!(
            check_open(ends, ends + Duration::hours(25)),
            Err(AgendaRefusal::CallOver)
        );
    }

    #[test]
    fn moving_a_section_swaps_it_with_its_neighbour() {
        assert_eq!(moved(&[1, 2, 3], 2, true), [2, 1, 3]);
        assert_eq!(moved(&[1, 2, 3], 2, false), [1, 3, 2]);
        assert_eq!(moved(&[1, 2, 3], 1, true), [1, 2, 3]);
        assert_eq!(moved(&[1, 2, 3], 3, false), [1, 2, 3]);
        assert_eq!(moved(&[1, 2, 3], 9, false), [1, 2, 3]);
    }

    fn registration_open() -> RegistrationSettings {
        RegistrationSettings {
            capacity: Some(40),
            waitlist: true,
            opens_at: None,
            closes_at: None,
            confirmation_window: Duration::hours(48),
            offer_window: None,
            last_promotion_at: None,
        }
    }

    #[test]
    fn the_generated_section_lists_events_elsewhere_after_the_call_and_open_registrations() {
        let call_starts = utc("2023-10-19T13:05:00Z");
        let now = utc("2023-10-18T12:00:00Z");
        let mut events = vec![
            event(
                2,
                "eclipsecon",
                "2023-10-16T07:00:00Z",
                "2023-10-19T16:00:00Z",
            ),
            event(
                3,
                "mercedes",
                "2023-11-07T08:00:00Z",
                "2023-11-08T16:00:00Z",
            ),
            event(4, "summit", "2024-05-14T07:00:00Z", "2024-05-15T16:00:00Z"),
            event(5, "over", "2023-10-10T07:00:00Z", "2023-10-11T16:00:00Z"),
            event(
                6,
                "hackathon",
                "2023-11-20T08:00:00Z",
                "2023-11-21T16:00:00Z",
            ),
            event(7, "hidden", "2023-11-01T08:00:00Z", "2023-11-01T16:00:00Z"),
            event(8, "draft", "2023-11-01T08:00:00Z", "2023-11-01T16:00:00Z"),
            event(9, "off", "2023-11-01T08:00:00Z", "2023-11-01T16:00:00Z"),
        ];
        events[4].registration = Some(registration_open());
        events[6].published = false;
        events[7].cancelled_at = Some(now);
        events.push(call());
        let got = upcoming(&events, call_starts, now, &[7]);
        let slugs = |list: &[&Event]| list.iter().map(|e| e.slug.to_string()).collect::<Vec<_>>();
        assert_eq!(slugs(&got.elsewhere), ["eclipsecon", "mercedes"]);
        assert_eq!(slugs(&got.open), ["hackathon"]);
    }

    #[test]
    fn a_topic_collection_is_announced_while_proposals_are_open() {
        let call_starts = utc("2023-10-19T13:05:00Z");
        let mut hackathon = event(
            6,
            "hackathon",
            "2023-11-20T08:00:00Z",
            "2023-11-21T16:00:00Z",
        );
        hackathon.registration = Some(RegistrationSettings {
            closes_at: Some(utc("2023-10-01T00:00:00Z")),
            ..registration_open()
        });
        hackathon.topics = Some(TopicSettings {
            per_person: None,
            proposals_close_at: None,
        });
        let events = vec![hackathon];
        let now = utc("2023-10-18T12:00:00Z");
        assert_eq!(upcoming(&events, call_starts, now, &[]).open.len(), 1);
        let mut closed = events.clone();
        closed[0].topics = None;
        let got = upcoming(&closed, call_starts, now, &[]);
        assert!(got.open.is_empty() && got.elsewhere.is_empty(), "{got:?}");
    }

    #[test]
    fn contributors_write_for_the_next_dates_and_carry_over_from_the_last_call() {
        let series = call();
        let cancelled = crate::OccurrenceOverride {
            event_id: 1,
            original_date: date("2023-10-26"),
            cancelled: true,
            moved_to: None,
            notes_md: None,
        };
        let now = utc("2023-10-20T10:00:00Z");
        let dates: Vec<NaiveDate> = open_dates(&series, std::slice::from_ref(&cancelled), now, 3)
            .into_iter()
            .map(|o| o.original_date)
            .collect();
        assert_eq!(
            dates,
            [date("2023-10-19"), date("2023-11-02"), date("2023-11-09")],
            "yesterday's call, then the next ones without the cancelled date"
        );
        assert_eq!(
            previous_date(
                &series,
                std::slice::from_ref(&cancelled),
                date("2023-11-02")
            ),
            Some(date("2023-10-19"))
        );
        assert_eq!(
            previous_date(&series, &[], date("2023-01-05")),
            None,
            "the first date has none"
        );
    }
}
