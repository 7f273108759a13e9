//! iCalendar (RFC 5545) output: escaping, line folding, and the feed of events.
//! Series are written as their expanded occurrences in UTC, each with a stable UID derived from
//! the series and its original date (`CalendarStamp::uid`), so every client shows the right
//! local time and a moved or cancelled occurrence updates in place; `SEQUENCE` and
//! `LAST-MODIFIED` tell clients that an entry they hold has changed.

use chrono::{DateTime, Utc};

/// One VEVENT.
#[derive(Debug, Clone)]
pub struct CalendarEntry {
    pub uid: String,
    pub summary: String,
    pub description: String,
    pub location: Option<String>,
    pub url: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub cancelled: bool,
    /// Rises with every change of the entry (RFC 5545 §3.8.7.4).
    pub sequence: u32,
    pub last_modified: DateTime<Utc>,
}

/// How often a subscribed calendar should fetch the feed again (RFC 7986 `REFRESH-INTERVAL`,
/// and Outlook's `X-PUBLISHED-TTL`).
pub const REFRESH_INTERVAL: &str = "PT1H";

/// A whole VCALENDAR document with CRLF line endings.
pub fn render_calendar(name: &str, entries: &[CalendarEntry], stamp: DateTime<Utc>) -> String {
    let mut out = String::new();
    let mut line = |text: String| {
        fold_into(&mut out, &text);
    };
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//convene//convene events//EN".into());
    line("CALSCALE:GREGORIAN".into());
    line("METHOD:PUBLISH".into());
    line(format!("X-WR-CALNAME:{}", escape_text(name)));
    line(format!(
        "REFRESH-INTERVAL;VALUE=DURATION:{REFRESH_INTERVAL}"
    ));
    line(format!("X-PUBLISHED-TTL:{REFRESH_INTERVAL}"));
    for entry in entries {
        line("BEGIN:VEVENT".into());
        line(format!("UID:{}", escape_text(&entry.uid)));
        line(format!("DTSTAMP:{}", utc_stamp(stamp)));
        line(format!("SEQUENCE:{}", entry.sequence));
        line(format!("LAST-MODIFIED:{}", utc_stamp(entry.last_modified)));
        line(format!("DTSTART:{}", utc_stamp(entry.starts_at)));
        line(format!("DTEND:{}", utc_stamp(entry.ends_at)));
        line(format!("SUMMARY:{}", escape_text(&entry.summary)));
        line(format!("DESCRIPTION:{}", escape_text(&entry.description)));
        if let Some(location) = &entry.location {
            line(format!("LOCATION:{}", escape_text(location)));
        }
        line(format!("URL:{}", entry.url));
        line(format!(
            "STATUS:{}",
            if entry.cancelled {
                "CANCELLED"
            } else {
                "CONFIRMED"
            }
        ));
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

fn utc_stamp(instant: DateTime<Utc>) -> String {
    instant.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn escape_text(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            ';' => escaped.push_str("\\;"),
            ',' => escaped.push_str("\\,"),
            '\n' => escaped.push_str("\\n"),
            '\r' => {}
            c => escaped.push(c),
        }
    }
    escaped
}

/// Appends `line` folded at 75 octets (never inside a UTF-8 character), ending in CRLF.
fn fold_into(out: &mut String, line: &str) {
    const LIMIT: usize = 75;
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > LIMIT {
            out.push_str("\r\n ");
            // The leading space of a continuation line counts towards its 75 octets.
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_carries_its_uid_sequence_and_last_change() {
        let at = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .expect("instant")
                .with_timezone(&Utc)
        };
        let entry = CalendarEntry {
            uid: "event-7-20261201T100000Z@convene".to_owned(),
            summary: "Hackathon".to_owned(),
            description: "Bring a laptop".to_owned(),
            location: None,
            url: "https://events.example.org/events/hack".to_owned(),
            starts_at: at("2027-01-07T15:00:00Z"),
            ends_at: at("2027-01-07T16:00:00Z"),
            cancelled: false,
            sequence: 3,
            last_modified: at("2026-12-02T09:30:00Z"),
        };
        let ics = render_calendar("Community", &[entry], at("2026-12-05T12:00:00Z"));
        for line in [
            "UID:event-7-20261201T100000Z@convene",
            "SEQUENCE:3",
            "LAST-MODIFIED:20261202T093000Z",
            "DTSTAMP:20261205T120000Z",
            "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
            "X-PUBLISHED-TTL:PT1H",
        ] {
            assert!(ics.contains(&format!("{line}\r\n")), "{line} in {ics}");
        }
    }

    #[test]
    fn escapes_text_values() {
        assert_eq!(escape_text("a;b,c\\d\ne"), "a\\;b\\,c\\\\d\\ne");
    }

    #[test]
    fn folds_long_lines_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        let long = format!("DESCRIPTION:{}", "ä".repeat(100));
        fold_into(&mut out, &long);
        for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(
                physical.len() <= 75,
                "{} octets: {physical:?}",
                physical.len()
            );
        }
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, long);
    }
}
