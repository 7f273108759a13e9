//! The one way convene shows an instant to people: in the event's own time zone, with the zone
//! named, in the reader's language ("Thu, 19 Oct 2023, 15:05 CEST" / "Do., 19. Okt. 2023,
//! 15:05 MESZ"), so a time is never mistaken for the reader's local time.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// The languages convene speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    De,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::De];

    /// The BCP 47 tag, e.g. `de`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
        }
    }

    /// The language's name in itself, as a language switch shows it.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::De => "Deutsch",
        }
    }

    /// `de`, `de-DE`, `DE` are German; anything else is English.
    pub fn from_tag(tag: &str) -> Lang {
        let primary = tag.split(['-', '_']).next().unwrap_or("").trim();
        if primary.eq_ignore_ascii_case("de") {
            Lang::De
        } else {
            Lang::En
        }
    }
}

const WEEKDAYS_EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const WEEKDAYS_DE: [&str; 7] = ["Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."];
const WEEKDAYS_LONG_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const WEEKDAYS_LONG_DE: [&str; 7] = [
    "Montag",
    "Dienstag",
    "Mittwoch",
    "Donnerstag",
    "Freitag",
    "Samstag",
    "Sonntag",
];
const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const MONTHS_DE: [&str; 12] = [
    "Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez.",
];
const MONTHS_LONG_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_LONG_DE: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];

fn weekday(date: NaiveDate, lang: Lang) -> &'static str {
    let i = date.weekday().num_days_from_monday() as usize;
    match lang {
        Lang::En => WEEKDAYS_EN[i],
        Lang::De => WEEKDAYS_DE[i],
    }
}

fn month(date: NaiveDate, lang: Lang) -> &'static str {
    let i = date.month0() as usize;
    match lang {
        Lang::En => MONTHS_EN[i],
        Lang::De => MONTHS_DE[i],
    }
}

/// The zone's abbreviation in the reader's language (German names Central European time).
fn zone_name(instant: DateTime<Utc>, zone: Tz, lang: Lang) -> String {
    let abbreviation = instant.with_timezone(&zone).format("%Z").to_string();
    match (lang, abbreviation.as_str()) {
        (Lang::De, "CET") => "MEZ".to_owned(),
        (Lang::De, "CEST") => "MESZ".to_owned(),
        _ => abbreviation,
    }
}

/// `Thu, 19 Oct 2023` / `Do., 19. Okt. 2023`
fn short_date(date: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "{}, {} {} {}",
            weekday(date, lang),
            date.day(),
            month(date, lang),
            date.year()
        ),
        Lang::De => format!(
            "{}, {}. {} {}",
            weekday(date, lang),
            date.day(),
            month(date, lang),
            date.year()
        ),
    }
}

/// `15:05`: the time of day in `zone`.
pub fn format_clock(instant: DateTime<Utc>, zone: Tz) -> String {
    let local = instant.with_timezone(&zone);
    format!("{:02}:{:02}", local.hour(), local.minute())
}

/// `Thu, 19 Oct 2023, 15:05 CEST`
pub fn format_instant(instant: DateTime<Utc>, zone: Tz, lang: Lang) -> String {
    let date = instant.with_timezone(&zone).date_naive();
    format!(
        "{}, {} {}",
        short_date(date, lang),
        format_clock(instant, zone),
        zone_name(instant, zone, lang)
    )
}

/// `Thu, 19 Oct 2023, 15:05–16:00 CEST`, or both ends in full when they fall on different days.
pub fn format_span(start: DateTime<Utc>, end: DateTime<Utc>, zone: Tz, lang: Lang) -> String {
    let start_date = start.with_timezone(&zone).date_naive();
    if start_date == end.with_timezone(&zone).date_naive()
        && zone_name(start, zone, lang) == zone_name(end, zone, lang)
    {
        return format!(
            "{}, {}–{} {}",
            short_date(start_date, lang),
            format_clock(start, zone),
            format_clock(end, zone),
            zone_name(end, zone, lang)
        );
    }
    format!(
        "{} – {}",
        format_instant(start, zone, lang),
        format_instant(end, zone, lang)
    )
}

/// The time of day of a span, for a listing under a day heading: `15:05–16:00 CEST`, or
/// `10:00 CET – Fri, 8 Jan 2027, 16:00 CET` when it ends on a later day.
pub fn format_clock_span(start: DateTime<Utc>, end: DateTime<Utc>, zone: Tz, lang: Lang) -> String {
    let same_day = start.with_timezone(&zone).date_naive() == end.with_timezone(&zone).date_naive();
    if same_day && zone_name(start, zone, lang) == zone_name(end, zone, lang) {
        return format!(
            "{}–{} {}",
            format_clock(start, zone),
            format_clock(end, zone),
            zone_name(end, zone, lang)
        );
    }
    format!(
        "{} {} – {}",
        format_clock(start, zone),
        zone_name(start, zone, lang),
        format_instant(end, zone, lang)
    )
}

/// The days an event takes, without weekdays or times: `16 Nov 2023`, `16–19 Oct 2023`,
/// `30 Oct – 2 Nov 2023` (German: `16.–19. Okt. 2023`), as lists of events elsewhere give them.
pub fn format_days(first: NaiveDate, last: NaiveDate, lang: Lang) -> String {
    let day = |d: NaiveDate| match lang {
        Lang::En => format!("{}", d.day()),
        Lang::De => format!("{}.", d.day()),
    };
    let day_month = |d: NaiveDate| format!("{} {}", day(d), month(d, lang));
    let full = |d: NaiveDate| format!("{} {}", day_month(d), d.year());
    if last <= first {
        full(first)
    } else if (first.year(), first.month()) == (last.year(), last.month()) {
        format!("{}–{}", day(first), full(last))
    } else if first.year() == last.year() {
        format!("{} – {}", day_month(first), full(last))
    } else {
        format!("{} – {}", full(first), full(last))
    }
}

/// `Thursday, 19 October 2023` / `Donnerstag, 19. Oktober 2023`: the heading of one day.
pub fn format_day(date: NaiveDate, lang: Lang) -> String {
    let (d, m) = (
        date.weekday().num_days_from_monday() as usize,
        date.month0() as usize,
    );
    match lang {
        Lang::En => format!(
            "{}, {} {} {}",
            WEEKDAYS_LONG_EN[d],
            date.day(),
            MONTHS_LONG_EN[m],
            date.year()
        ),
        Lang::De => format!(
            "{}, {}. {} {}",
            WEEKDAYS_LONG_DE[d],
            date.day(),
            MONTHS_LONG_DE[m],
            date.year()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Berlin;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|e| panic!("bad test instant {s}: {e}"))
    }

    #[test]
    fn shows_the_event_zone_with_its_summer_and_winter_abbreviation() {
        assert_eq!(
            format_instant(utc("2023-10-19T13:05:00Z"), Berlin, Lang::En),
            "Thu, 19 Oct 2023, 15:05 CEST"
        );
        assert_eq!(
            format_instant(utc("2023-11-02T14:05:00Z"), Berlin, Lang::En),
            "Thu, 2 Nov 2023, 15:05 CET"
        );
    }

    #[test]
    fn german_uses_german_names_and_zone_abbreviations() {
        assert_eq!(
            format_instant(utc("2023-10-19T13:05:00Z"), Berlin, Lang::De),
            "Do., 19. Okt. 2023, 15:05 MESZ"
        );
        assert_eq!(
            format_instant(utc("2023-03-02T14:05:00Z"), Berlin, Lang::De),
            "Do., 2. März 2023, 15:05 MEZ"
        );
        let day = NaiveDate::from_ymd_opt(2023, 10, 19).unwrap_or_default();
        assert_eq!(format_day(day, Lang::De), "Donnerstag, 19. Oktober 2023");
    }

    #[test]
    fn same_day_span_names_the_day_once() {
        assert_eq!(
            format_span(
                utc("2023-10-19T13:05:00Z"),
                utc("2023-10-19T14:00:00Z"),
                Berlin,
                Lang::En
            ),
            "Thu, 19 Oct 2023, 15:05–16:00 CEST"
        );
        assert_eq!(
            format_span(
                utc("2023-10-19T13:05:00Z"),
                utc("2023-10-19T14:00:00Z"),
                Berlin,
                Lang::De
            ),
            "Do., 19. Okt. 2023, 15:05–16:00 MESZ"
        );
    }

    #[test]
    fn multi_day_span_names_both_ends() {
        assert_eq!(
            format_span(
                utc("2023-10-16T07:00:00Z"),
                utc("2023-10-19T16:00:00Z"),
                Berlin,
                Lang::En
            ),
            "Mon, 16 Oct 2023, 09:00 CEST – Thu, 19 Oct 2023, 18:00 CEST"
        );
    }

    #[test]
    fn clock_span_leaves_the_date_to_the_heading() {
        assert_eq!(
            format_clock_span(
                utc("2023-10-19T13:05:00Z"),
                utc("2023-10-19T14:00:00Z"),
                Berlin,
                Lang::En
            ),
            "15:05–16:00 CEST"
        );
        assert_eq!(
            format_clock_span(
                utc("2023-10-16T07:00:00Z"),
                utc("2023-10-19T16:00:00Z"),
                Berlin,
                Lang::En
            ),
            "09:00 CEST – Thu, 19 Oct 2023, 18:00 CEST"
        );
    }

    #[test]
    fn day_heading_is_spelled_out() {
        let day = NaiveDate::from_ymd_opt(2023, 10, 19).unwrap_or_default();
        assert_eq!(format_day(day, Lang::En), "Thursday, 19 October 2023");
    }

    #[test]
    fn language_tags_are_read_by_their_primary_subtag() {
        assert_eq!(Lang::from_tag("de-DE"), Lang::De);
        assert_eq!(Lang::from_tag("DE"), Lang::De);
        assert_eq!(Lang::from_tag("en-GB"), Lang::En);
        assert_eq!(Lang::from_tag("fr"), Lang::En);
    }

    #[test]
    fn days_of_an_event_are_written_as_short_as_they_read_well() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        assert_eq!(
            format_days(d(2023, 11, 16), d(2023, 11, 16), Lang::En),
            "16 Nov 2023"
        );
        assert_eq!(
            format_days(d(2023, 10, 16), d(2023, 10, 19), Lang::En),
            "16–19 Oct 2023"
        );
        assert_eq!(
            format_days(d(2023, 10, 16), d(2023, 10, 19), Lang::De),
            "16.–19. Okt. 2023"
        );
        assert_eq!(
            format_days(d(2023, 10, 30), d(2023, 11, 2), Lang::En),
            "30 Oct – 2 Nov 2023"
        );
        assert_eq!(
            format_days(d(2023, 12, 30), d(2024, 1, 2), Lang::En),
            "30 Dec 2023 – 2 Jan 2024"
        );
    }
}
