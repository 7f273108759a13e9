//! The one way convene shows an instant to people: in the event's own time zone, with the zone's
//! abbreviation, so "15:05 CEST" is never mistaken for the reader's local time.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

/// `Thu, 19 Oct 2023, 15:05 CEST`
pub fn format_instant(instant: DateTime<Utc>, zone: Tz) -> String {
    instant
        .with_timezone(&zone)
        .format("%a, %-d %b %Y, %H:%M %Z")
        .to_string()
}

/// `Thu, 19 Oct 2023, 15:05–16:00 CEST`, or both ends in full when they fall on different days.
pub fn format_span(start: DateTime<Utc>, end: DateTime<Utc>, zone: Tz) -> String {
    let (local_start, local_end) = (start.with_timezone(&zone), end.with_timezone(&zone));
    if local_start.date_naive() == local_end.date_naive() {
        let same_zone_name =
            local_start.format("%Z").to_string() == local_end.format("%Z").to_string();
        if same_zone_name {
            return format!(
                "{}–{}",
                local_start.format("%a, %-d %b %Y, %H:%M"),
                local_end.format("%H:%M %Z")
            );
        }
    }
    format!(
        "{} – {}",
        format_instant(start, zone),
        format_instant(end, zone)
    )
}

/// The time of day of a span, for a listing under a day heading: `15:05–16:00 CEST`, or
/// `10:00 CET – Fri, 8 Jan 2027, 16:00 CET` when it ends on a later day.
pub fn format_clock_span(start: DateTime<Utc>, end: DateTime<Utc>, zone: Tz) -> String {
    let (local_start, local_end) = (start.with_timezone(&zone), end.with_timezone(&zone));
    if local_start.date_naive() == local_end.date_naive() {
        let same_zone_name =
            local_start.format("%Z").to_string() == local_end.format("%Z").to_string();
        if same_zone_name {
            return format!(
                "{}–{}",
                local_start.format("%H:%M"),
                local_end.format("%H:%M %Z")
            );
        }
    }
    format!(
        "{} – {}",
        local_start.format("%H:%M %Z"),
        format_instant(end, zone)
    )
}

/// `Thursday, 19 October 2023`: the heading of one day in an agenda.
pub fn format_day(date: NaiveDate) -> String {
    date.format("%A, %-d %B %Y").to_string()
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
            format_instant(utc("2023-10-19T13:05:00Z"), Berlin),
            "Thu, 19 Oct 2023, 15:05 CEST"
        );
        assert_eq!(
            format_instant(utc("2023-11-02T14:05:00Z"), Berlin),
            "Thu, 2 Nov 2023, 15:05 CET"
        );
    }

    #[test]
    fn same_day_span_names_the_day_once() {
        assert_eq!(
            format_span(
                utc("2023-10-19T13:05:00Z"),
                utc("2023-10-19T14:00:00Z"),
                Berlin
            ),
            "Thu, 19 Oct 2023, 15:05–16:00 CEST"
        );
    }

    #[test]
    fn multi_day_span_names_both_ends() {
        assert_eq!(
            format_span(
                utc("2023-10-16T07:00:00Z"),
                utc("2023-10-19T16:00:00Z"),
                Berlin
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
                Berlin
            ),
            "15:05–16:00 CEST"
        );
        assert_eq!(
            format_clock_span(
                utc("2023-10-16T07:00:00Z"),
                utc("2023-10-19T16:00:00Z"),
                Berlin
            ),
            "09:00 CEST – Thu, 19 Oct 2023, 18:00 CEST"
        );
    }

    #[test]
    fn day_heading_is_spelled_out() {
        let day = NaiveDate::from_ymd_opt(2023, 10, 19).unwrap_or_default();
        assert_eq!(format_day(day), "Thursday, 19 October 2023");
    }
}
