//! Recurring events: a subset of RFC 5545 RRULE (weekly or every n weeks on a weekday, monthly on
//! the first to fourth or last weekday), expanded into occurrences in the series' own time zone so
//! that a 15:05 call stays at 15:05 local time across daylight-saving switches.

use std::fmt;
use std::str::FromStr;

use chrono::{
    DateTime, Datelike, Days, Duration, LocalResult, Months, NaiveDate, NaiveDateTime, Offset,
    TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;

use crate::event::OccurrenceOverride;

/// Why a recurrence rule was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecurrenceError {
    #[error("recurrence rule part {0:?} is not of the form NAME=VALUE")]
    Malformed(String),
    #[error("recurrence frequency {0:?} is not supported (use WEEKLY or MONTHLY)")]
    Frequency(String),
    #[error("recurrence interval {0:?} must be a whole number from 1 to 52")]
    Interval(String),
    #[error("recurrence day {0:?} is not a weekday like TH, 2TU or -1FR")]
    Day(String),
    #[error("recurrence end {0:?} is not a date like 20241231")]
    Until(String),
    #[error("recurrence rule part {0:?} is not supported")]
    Unsupported(String),
    #[error("a recurrence rule needs FREQ and BYDAY")]
    Incomplete,
    #[error("INTERVAL is only supported with FREQ=WEEKLY")]
    IntervalWithMonthly,
}

/// Which weekday of a month a monthly series falls on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeekOfMonth {
    First,
    Second,
    Third,
    Fourth,
    Last,
}

impl WeekOfMonth {
    fn ordinal(self) -> i8 {
        match self {
            WeekOfMonth::First => 1,
            WeekOfMonth::Second => 2,
            WeekOfMonth::Third => 3,
            WeekOfMonth::Fourth => 4,
            WeekOfMonth::Last => -1,
        }
    }

    fn from_ordinal(n: i8) -> Option<Self> {
        Some(match n {
            1 => WeekOfMonth::First,
            2 => WeekOfMonth::Second,
            3 => WeekOfMonth::Third,
            4 => WeekOfMonth::Fourth,
            -1 => WeekOfMonth::Last,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Every `interval` weeks on `weekday` (1 = weekly, 2 = biweekly).
    Weekly { interval: u32, weekday: Weekday },
    /// Once a month on e.g. the second Tuesday or the last Friday.
    MonthlyByWeekday { week: WeekOfMonth, weekday: Weekday },
}

/// A series' repetition: the rule and an optional last local date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recurrence {
    pub rule: Rule,
    pub until: Option<NaiveDate>,
}

/// What happened to one occurrence.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OccurrenceStatus {
    Scheduled,
    Moved,
    Cancelled,
}

/// One dated instance of a series. `original_date` (local) identifies it even when moved.
#[derive(Debug, Clone, PartialEq)]
pub struct Occurrence {
    pub original_date: NaiveDate,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: OccurrenceStatus,
    pub notes_md: Option<String>,
}

impl Recurrence {
    /// Expands the series that starts at `first_start` (its first occurrence) into the
    /// occurrences overlapping `[from, until)`, applying cancellations and moves.
    pub fn expand(
        &self,
        first_start: DateTime<Utc>,
        duration: Duration,
        zone: Tz,
        overrides: &[&OccurrenceOverride],
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Vec<Occurrence> {
        let Some(local_first) = local_of(first_start, zone) else {
            return Vec::new();
        };
        let local_time = local_first.time();
        // Moved occurrences can land far from their original date; look a little wider so they
        // are still found, then filter on their actual times.
        // Checked throughout: a window at the ends of chrono's range yields fewer dates, never a
        // panic.
        let slack = Days::new(62);
        let local_date =
            |at: DateTime<Utc>| local_of(at, zone).map_or(at.date_naive(), |l| l.date());
        let scan_from = local_date(from)
            .checked_sub_days(slack)
            .unwrap_or(NaiveDate::MIN);
        let scan_until = local_date(until)
            .checked_add_days(slack)
            .unwrap_or(NaiveDate::MAX);
        let end_of = |start: DateTime<Utc>| {
            start
                .checked_add_signed(duration)
                .unwrap_or(DateTime::<Utc>::MAX_UTC)
        };

        let mut occurrences = Vec::new();
        for date in self.dates(local_first.date(), scan_from) {
            if date > scan_until || self.until.is_some_and(|last| date > last) {
                break;
            }
            let change = overrides.iter().find(|o| o.original_date == date);
            let (starts_at, ends_at, status) = match change {
                Some(o) if o.cancelled => {
                    let start = resolve_local(zone, date.and_time(local_time));
                    (start, end_of(start), OccurrenceStatus::Cancelled)
                }
                Some(OccurrenceOverride {
                    moved_to: Some((start, end)),
                    ..
                }) => (*start, *end, OccurrenceStatus::Moved),
                _ => {
                    let start = resolve_local(zone, date.and_time(local_time));
                    (start, end_of(start), OccurrenceStatus::Scheduled)
                }
            };
            if ends_at > from && starts_at < until {
                occurrences.push(Occurrence {
                    original_date: date,
                    starts_at,
                    ends_at,
                    status,
                    notes_md: change.and_then(|o| o.notes_md.clone()),
                });
            }
        }
        occurrences.sort_by_key(|o| (o.starts_at, o.original_date));
        occurrences
    }

    /// The local dates of the series, in order, starting at the first one on or after `from`.
    fn dates(&self, first_date: NaiveDate, from: NaiveDate) -> Box<dyn Iterator<Item = NaiveDate>> {
        let from = from.max(first_date);
        match self.rule {
            Rule::Weekly { interval, weekday } => {
                let step = 7 * i64::from(interval.max(1));
                // Jump close to `from` instead of walking from the first occurrence.
                let start = next_weekday_on_or_after(first_date, weekday).and_then(|first| {
                    let behind = (from - first).num_days().max(0);
                    let skipped_steps = behind / step;
                    first.checked_add_signed(Duration::try_days(skipped_steps * step)?)
                });
                Box::new(
                    std::iter::successors(start, move |d| {
                        d.checked_add_signed(Duration::days(step))
                    })
                    .filter(move |d| *d >= from),
                )
            }
            Rule::MonthlyByWeekday { week, weekday } => {
                let month_start = |d: NaiveDate| d.with_day(1).unwrap_or(d);
                let start_month = month_start(from.max(first_date));
                Box::new(
                    std::iter::successors(Some(start_month), |m| {
                        m.checked_add_months(Months::new(1))
                    })
                    .filter_map(move |m| weekday_in_month(m.year(), m.month(), week, weekday))
                    .filter(move |d| *d >= from && *d >= first_date),
                )
            }
        }
    }
}

/// The wall-clock time of `instant` in `zone`; `None` at the very ends of chrono's range, where
/// `with_timezone` would panic.
fn local_of(instant: DateTime<Utc>, zone: Tz) -> Option<NaiveDateTime> {
    let offset = zone.offset_from_utc_datetime(&instant.naive_utc()).fix();
    instant.naive_utc().checked_add_offset(offset)
}

/// The UTC instant of a local wall-clock time; in an autumn overlap the earlier instant, and in
/// a spring gap the time as if the clock had not yet sprung forward (RFC 5545 §3.3.5).
pub fn resolve_local(zone: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(earlier, _) => earlier.with_timezone(&Utc),
        LocalResult::None => {
            // In a gap: read the wall time with the offset in force just before it.
            let before = local
                .checked_sub_signed(Duration::hours(3))
                .and_then(|earlier| zone.offset_from_local_datetime(&earlier).earliest());
            let offset = before.map_or(0, |o| o.fix().local_minus_utc());
            let utc = local
                .checked_sub_signed(Duration::seconds(i64::from(offset)))
                .unwrap_or(local);
            Utc.from_utc_datetime(&utc)
        }
    }
}

/// The first `weekday` on or after `date`; `None` past the last date chrono knows.
pub fn next_weekday_on_or_after(date: NaiveDate, weekday: Weekday) -> Option<NaiveDate> {
    let ahead = (7 + weekday.num_days_from_monday() - date.weekday().num_days_from_monday()) % 7;
    date.checked_add_days(Days::new(u64::from(ahead)))
}

fn weekday_in_month(
    year: i32,
    month: u32,
    week: WeekOfMonth,
    weekday: Weekday,
) -> Option<NaiveDate> {
    match week {
        WeekOfMonth::Last => {
            let next_month =
                NaiveDate::from_ymd_opt(year, month, 1)?.checked_add_months(Months::new(1))?;
            let last_day = next_month.pred_opt()?;
            let back = (7 + last_day.weekday().num_days_from_monday()
                - weekday.num_days_from_monday())
                % 7;
            last_day.checked_sub_days(Days::new(u64::from(back)))
        }
        _ => {
            let n = u32::try_from(week.ordinal()).ok()?;
            NaiveDate::from_weekday_of_month_opt(year, month, weekday, n as u8)
        }
    }
}

impl FromStr for Recurrence {
    type Err = RecurrenceError;

    /// Parses e.g. `FREQ=WEEKLY;BYDAY=TH`, `FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20241231`,
    /// `FREQ=MONTHLY;BYDAY=-1FR`. An optional `RRULE:` prefix is accepted.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let input = input.trim();
        let input = input.strip_prefix("RRULE:").unwrap_or(input);
        let (mut freq, mut interval, mut byday, mut until) = (None, None, None, None);
        for part in input.split(';').filter(|p| !p.is_empty()) {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| RecurrenceError::Malformed(part.to_owned()))?;
            match name.to_ascii_uppercase().as_str() {
                "FREQ" => freq = Some(value.to_ascii_uppercase()),
                "INTERVAL" => {
                    let n: u32 = value
                        .parse()
                        .ok()
                        .filter(|n| (1..=52).contains(n))
                        .ok_or_else(|| RecurrenceError::Interval(value.to_owned()))?;
                    interval = Some(n);
                }
                "BYDAY" => byday = Some(parse_byday(value)?),
                "UNTIL" => {
                    let date_part = value.get(..8).unwrap_or(value);
                    let date = NaiveDate::parse_from_str(date_part, "%Y%m%d")
                        .map_err(|_| RecurrenceError::Until(value.to_owned()))?;
                    until = Some(date);
                }
                _ => return Err(RecurrenceError::Unsupported(part.to_owned())),
            }
        }
        let (freq, (ordinal, weekday)) = freq.zip(byday).ok_or(RecurrenceError::Incomplete)?;
        let rule = match freq.as_str() {
            "WEEKLY" if ordinal.is_none() => Rule::Weekly {
                interval: interval.unwrap_or(1),
                weekday,
            },
            "WEEKLY" => return Err(RecurrenceError::Day(format!("{ordinal:?}"))),
            "MONTHLY" if interval.is_some() => return Err(RecurrenceError::IntervalWithMonthly),
            "MONTHLY" => {
                let week = ordinal
                    .and_then(WeekOfMonth::from_ordinal)
                    .ok_or_else(|| RecurrenceError::Day(format!("{ordinal:?}")))?;
                Rule::MonthlyByWeekday { week, weekday }
            }
            other => return Err(RecurrenceError::Frequency(other.to_owned())),
        };
        Ok(Recurrence { rule, until })
    }
}

fn parse_byday(value: &str) -> Result<(Option<i8>, Weekday), RecurrenceError> {
    let bad = || RecurrenceError::Day(value.to_owned());
    let upper = value.to_ascii_uppercase();
    let split = upper.len().checked_sub(2).ok_or_else(bad)?;
    let (ordinal, day) = upper.split_at(split);
    let weekday = WEEKDAY_CODES
        .iter()
        .find(|(code, _)| *code == day)
        .map(|(_, weekday)| *weekday)
        .ok_or_else(bad)?;
    let ordinal = match ordinal {
        "" => None,
        n => Some(n.trim_start_matches('+').parse::<i8>().map_err(|_| bad())?),
    };
    Ok((ordinal, weekday))
}

const WEEKDAY_CODES: [(&str, Weekday); 7] = [
    ("MO", Weekday::Mon),
    ("TU", Weekday::Tue),
    ("WE", Weekday::Wed),
    ("TH", Weekday::Thu),
    ("FR", Weekday::Fri),
    ("SA", Weekday::Sat),
    ("SU", Weekday::Sun),
];

fn weekday_code(weekday: Weekday) -> &'static str {
    WEEKDAY_CODES
        .iter()
        .find(|(_, w)| *w == weekday)
        .map_or("MO", |(code, _)| code)
}

impl fmt::Display for Recurrence {
    /// The RRULE value, e.g. `FREQ=WEEKLY;INTERVAL=2;BYDAY=TU`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.rule {
            Rule::Weekly {
                interval: 1,
                weekday,
            } => write!(f, "FREQ=WEEKLY;BYDAY={}", weekday_code(weekday))?,
            Rule::Weekly { interval, weekday } => write!(
                f,
                "FREQ=WEEKLY;INTERVAL={interval};BYDAY={}",
                weekday_code(weekday)
            )?,
            Rule::MonthlyByWeekday { week, weekday } => write!(
                f,
                "FREQ=MONTHLY;BYDAY={}{}",
                week.ordinal(),
                weekday_code(weekday)
            )?,
        }
        if let Some(until) = self.until {
            write!(f, ";UNTIL={}", until.format("%Y%m%d"))?;
        }
        Ok(())
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

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|e| panic!("bad date {s}: {e}"))
    }

    fn rule(s: &str) -> Recurrence {
        s.parse().unwrap_or_else(|e| panic!("bad rule {s}: {e}"))
    }

    /// The weekly community call: Thursdays 15:05-16:00 Berlin, first on 2023-01-05.
    fn community_call() -> (Recurrence, DateTime<Utc>, Duration) {
        (
            rule("FREQ=WEEKLY;BYDAY=TH"),
            utc("2023-01-05T14:05:00Z"),
            Duration::minutes(55),
        )
    }

    fn local_starts(occurrences: &[Occurrence]) -> Vec<String> {
        occurrences
            .iter()
            .map(|o| {
                o.starts_at
                    .with_timezone(&Berlin)
                    .format("%Y-%m-%d %H:%M %Z")
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn weekly_call_stays_at_local_time_across_the_spring_switch() {
        let (r, first, duration) = community_call();
        // Berlin springs forward on 2023-03-26.
        let got = r.expand(
            first,
            duration,
            Berlin,
            &[],
            utc("2023-03-20T00:00:00Z"),
            utc("2023-04-04T00:00:00Z"),
        );
        assert_eq!(
            local_starts(&got),
            ["2023-03-23 15:05 CET", "2023-03-30 15:05 CEST"]
        );
        assert_eq!(got[0].starts_at, utc("2023-03-23T14:05:00Z"));
        assert_eq!(got[1].starts_at, utc("2023-03-30T13:05:00Z"));
    }

    #[test]
    fn weekly_call_stays_at_local_time_across_the_autumn_switch() {
        let (r, first, duration) = community_call();
        // Berlin falls back on 2023-10-29.
        let got = r.expand(
            first,
            duration,
            Berlin,
            &[],
            utc("2023-10-16T00:00:00Z"),
            utc("2023-11-06T00:00:00Z"),
        );
        assert_eq!(
            local_starts(&got),
            [
                "2023-10-19 15:05 CEST",
                "2023-10-26 15:05 CEST",
                "2023-11-02 15:05 CET"
            ]
        );
        assert!(got.iter().all(|o| o.ends_at - o.starts_at == duration));
    }

    #[test]
    fn biweekly_series_skips_every_other_week() {
        let r = rule("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO");
        let got = r.expand(
            utc("2023-09-04T08:00:00Z"),
            Duration::hours(1),
            Berlin,
            &[],
            utc("2023-10-01T00:00:00Z"),
            utc("2023-11-01T00:00:00Z"),
        );
        let dates: Vec<_> = got.iter().map(|o| o.original_date).collect();
        assert_eq!(
            dates,
            [date("2023-10-02"), date("2023-10-16"), date("2023-10-30")]
        );
    }

    #[test]
    fn monthly_by_weekday_takes_nth_and_last() {
        let second_tuesday = rule("FREQ=MONTHLY;BYDAY=2TU");
        let got = second_tuesday.expand(
            utc("2023-01-10T09:00:00Z"),
            Duration::hours(1),
            Berlin,
            &[],
            utc("2023-10-01T00:00:00Z"),
            utc("2024-01-01T00:00:00Z"),
        );
        let dates: Vec<_> = got.iter().map(|o| o.original_date).collect();
        assert_eq!(
            dates,
            [date("2023-10-10"), date("2023-11-14"), date("2023-12-12")]
        );

        let last_friday = rule("FREQ=MONTHLY;BYDAY=-1FR");
        let got = last_friday.expand(
            utc("2023-01-27T09:00:00Z"),
            Duration::hours(1),
            Berlin,
            &[],
            utc("2023-09-01T00:00:00Z"),
            utc("2024-01-01T00:00:00Z"),
        );
        let dates: Vec<_> = got.iter().map(|o| o.original_date).collect();
        assert_eq!(
            dates,
            [
                date("2023-09-29"),
                date("2023-10-27"),
                date("2023-11-24"),
                date("2023-12-29")
            ]
        );
    }

    #[test]
    fn series_does_not_occur_before_its_first_start_or_after_until() {
        let r = rule("FREQ=WEEKLY;BYDAY=TH;UNTIL=20230126");
        let got = r.expand(
            utc("2023-01-05T14:05:00Z"),
            Duration::hours(1),
            Berlin,
            &[],
            utc("2022-01-01T00:00:00Z"),
            utc("2024-01-01T00:00:00Z"),
        );
        let dates: Vec<_> = got.iter().map(|o| o.original_date).collect();
        assert_eq!(
            dates,
            [
                date("2023-01-05"),
                date("2023-01-12"),
                date("2023-01-19"),
                date("2023-01-26")
            ]
        );
    }

    #[test]
    fn first_start_on_another_weekday_begins_at_the_next_matching_day() {
        let r = rule("FREQ=WEEKLY;BYDAY=TH");
        // 2023-01-02 is a Monday.
        let got = r.expand(
            utc("2023-01-02T14:05:00Z"),
            Duration::hours(1),
            Berlin,
            &[],
            utc("2023-01-01T00:00:00Z"),
            utc("2023-01-10T00:00:00Z"),
        );
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].original_date, date("2023-01-05"));
    }

    #[test]
    fn cancelled_occurrence_is_kept_and_marked() {
        let (r, first, duration) = community_call();
        let cancel = OccurrenceOverride {
            event_id: 1,
            original_date: date("2023-10-26"),
            cancelled: true,
            moved_to: None,
            notes_md: None,
        };
        let got = r.expand(
            first,
            duration,
            Berlin,
            &[&cancel],
            utc("2023-10-16T00:00:00Z"),
            utc("2023-11-06T00:00:00Z"),
        );
        let statuses: Vec<_> = got.iter().map(|o| (o.original_date, o.status)).collect();
        assert_eq!(
            statuses,
            [
                (date("2023-10-19"), OccurrenceStatus::Scheduled),
                (date("2023-10-26"), OccurrenceStatus::Cancelled),
                (date("2023-11-02"), OccurrenceStatus::Scheduled),
            ]
        );
    }

    #[test]
    fn moved_occurrence_takes_its_new_time_and_keeps_its_identity() {
        let (r, first, duration) = community_call();
        let moved = OccurrenceOverride {
            event_id: 1,
            original_date: date("2023-10-26"),
            cancelled: false,
            moved_to: Some((utc("2023-10-27T09:00:00Z"), utc("2023-10-27T10:00:00Z"))),
            notes_md: Some("Moved to Friday morning".into()),
        };
        let got = r.expand(
            first,
            duration,
            Berlin,
            &[&moved],
            utc("2023-10-16T00:00:00Z"),
            utc("2023-11-06T00:00:00Z"),
        );
        let friday = got
            .iter()
            .find(|o| o.original_date == date("2023-10-26"))
            .unwrap_or_else(|| panic!("moved occurrence missing from {got:?}"));
        assert_eq!(friday.status, OccurrenceStatus::Moved);
        assert_eq!(friday.starts_at, utc("2023-10-27T09:00:00Z"));
        assert_eq!(friday.notes_md.as_deref(), Some("Moved to Friday morning"));
    }

    #[test]
    fn occurrence_moved_into_the_window_from_outside_is_found() {
        let (r, first, duration) = community_call();
        let moved = OccurrenceOverride {
            event_id: 1,
            original_date: date("2023-11-02"),
            cancelled: false,
            moved_to: Some((utc("2023-10-24T13:00:00Z"), utc("2023-10-24T14:00:00Z"))),
            notes_md: None,
        };
        let got = r.expand(
            first,
            duration,
            Berlin,
            &[&moved],
            utc("2023-10-23T00:00:00Z"),
            utc("2023-10-25T00:00:00Z"),
        );
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].original_date, date("2023-11-02"));
    }

    #[test]
    fn expansion_far_from_the_first_start_is_exact() {
        let (r, first, duration) = community_call();
        let got = r.expand(
            first,
            duration,
            Berlin,
            &[],
            utc("2030-01-01T00:00:00Z"),
            utc("2030-01-08T00:00:00Z"),
        );
        assert_eq!(local_starts(&got), ["2030-01-03 15:05 CET"]);
    }

    #[test]
    fn local_times_in_the_spring_gap_move_forward() {
        // 02:30 does not exist in Berlin on 2023-03-26; it is read with the winter offset.
        let got = resolve_local(
            Berlin,
            date("2023-03-26").and_hms_opt(2, 30, 0).unwrap_or_default(),
        );
        assert_eq!(got, utc("2023-03-26T01:30:00Z"));
        assert_eq!(
            got.with_timezone(&Berlin).format("%H:%M").to_string(),
            "03:30"
        );
    }

    #[test]
    fn ambiguous_autumn_local_times_take_the_earlier_instant() {
        let got = resolve_local(
            Berlin,
            date("2023-10-29").and_hms_opt(2, 30, 0).unwrap_or_default(),
        );
        assert_eq!(got, utc("2023-10-29T00:30:00Z"));
    }

    #[test]
    fn rules_round_trip_through_rrule_text() {
        for text in [
            "FREQ=WEEKLY;BYDAY=TH",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
            "FREQ=MONTHLY;BYDAY=2WE",
            "FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20241231",
        ] {
            assert_eq!(rule(text).to_string(), text);
        }
        assert_eq!(
            rule("RRULE:freq=weekly;byday=th").to_string(),
            "FREQ=WEEKLY;BYDAY=TH"
        );
    }

    #[test]
    fn rejects_rules_outside_the_supported_subset() {
        let cases = [
            (
                "FREQ=DAILY;BYDAY=MO",
                RecurrenceError::Frequency("DAILY".into()),
            ),
            ("FREQ=WEEKLY", RecurrenceError::Incomplete),
            ("FREQ=WEEKLY;BYDAY=XX", RecurrenceError::Day("XX".into())),
            (
                "FREQ=WEEKLY;INTERVAL=0;BYDAY=MO",
                RecurrenceError::Interval("0".into()),
            ),
            (
                "FREQ=WEEKLY;BYDAY=MO;COUNT=3",
                RecurrenceError::Unsupported("COUNT=3".into()),
            ),
            (
                "FREQ=MONTHLY;BYDAY=5MO",
                RecurrenceError::Day("Some(5)".into()),
            ),
            (
                "FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO",
                RecurrenceError::IntervalWithMonthly,
            ),
            ("FREQ", RecurrenceError::Malformed("FREQ".into())),
            (
                "FREQ=WEEKLY;BYDAY=MO;UNTIL=2024",
                RecurrenceError::Until("2024".into()),
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(text.parse::<Recurrence>(), Err(expected), "{text}");
        }
    }

    #[test]
    fn expansion_at_the_ends_of_the_calendar_yields_no_panic() {
        let weekly = rule("FREQ=WEEKLY;BYDAY=TH");
        let monthly = rule("FREQ=MONTHLY;BYDAY=-1FR");
        let (min, max) = (DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC);
        for r in [&weekly, &monthly] {
            for first in [min, max, utc("2023-01-05T14:05:00Z")] {
                // Windows at both ends (a window across all of time is merely slow).
                for (from, until) in [(min, min), (max, max), (first, first)] {
                    let got = r.expand(first, Duration::days(30), Berlin, &[], from, until);
                    assert!(got.iter().all(|o| o.starts_at <= o.ends_at));
                }
            }
        }
        let late = weekly.expand(
            utc("2023-01-05T14:05:00Z"),
            Duration::MAX,
            Berlin,
            &[],
            utc("2024-01-01T00:00:00Z"),
            utc("2024-01-08T00:00:00Z"),
        );
        assert!(
            !late.is_empty(),
            "an endless occurrence ends at the last instant"
        );
        let after_the_last_day = NaiveDate::MAX.weekday().succ();
        assert_eq!(
            next_weekday_on_or_after(NaiveDate::MAX, after_the_last_day),
            None
        );
        assert_ne!(
            weekly.dates(NaiveDate::MIN, NaiveDate::MAX).next(),
            Some(NaiveDate::MAX)
        );
        let _ = resolve_local(Berlin, NaiveDateTime::MIN);
        let _ = resolve_local(Berlin, NaiveDateTime::MAX);
    }
}
