//! Which dates the site accepts from outside (organizers' forms, addresses, imported files):
//! years 1970 to 9999. Every date stays a four-digit year, so instants stored as text (SQLite)
//! still sort in time order, and date arithmetic stays far from chrono's limits.

use std::ops::RangeInclusive;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;

use crate::form::Problem;
use crate::recurrence::resolve_local;

/// The years a date may fall in.
pub const YEARS: RangeInclusive<i32> = 1970..=9999;

/// Whether `date` is in [`YEARS`].
pub fn is_supported(date: NaiveDate) -> bool {
    YEARS.contains(&date.year())
}

/// An instant in [`YEARS`] (in UTC).
pub fn check_instant(instant: DateTime<Utc>) -> Result<DateTime<Utc>, Problem> {
    if is_supported(instant.date_naive()) {
        Ok(instant)
    } else {
        Err(Problem::DateOutOfRange)
    }
}

/// A date as `YYYY-MM-DD`, in [`YEARS`].
pub fn parse_date(input: &str) -> Result<NaiveDate, Problem> {
    let input = input.trim();
    if input.is_empty() {
        return Err(Problem::Required);
    }
    // chrono also reads signed years like `+99999` or `-262143`: out of range, not malformed.
    let date = NaiveDate::parse_from_str(input, "%Y-%m-%d").map_err(|_| Problem::NotADate)?;
    if is_supported(date) {
        Ok(date)
    } else {
        Err(Problem::DateOutOfRange)
    }
}

/// A local date and time as a browser's `datetime-local` input sends it, in [`YEARS`].
pub fn parse_local_time(input: &str) -> Result<NaiveDateTime, Problem> {
    let input = input.trim();
    if input.is_empty() {
        return Err(Problem::Required);
    }
    let local = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(input, format).ok())
        .ok_or(Problem::NotADateTime)?;
    if is_supported(local.date()) {
        Ok(local)
    } else {
        Err(Problem::DateOutOfRange)
    }
}

/// The instant of a local time in `zone`, refused when the zone's offset carries it out of
/// [`YEARS`] (the first hours of 1970 east of UTC, the last of 9999 west of it).
pub fn instant_in(zone: Tz, local: NaiveDateTime) -> Result<DateTime<Utc>, Problem> {
    check_instant(resolve_local(zone, local))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_outside_the_supported_years_are_refused_with_their_own_problem() {
        assert_eq!(
            parse_date("2027-01-14").map(|d| d.to_string()),
            Ok("2027-01-14".to_owned())
        );
        for far in ["1969-12-31", "0000-01-01"] {
            assert_eq!(parse_date(far), Err(Problem::DateOutOfRange), "{far}");
        }
        for odd in ["+10000-01-01", "-262143-01-01", "99999-01-01"] {
            assert!(parse_date(odd).is_err(), "{odd}");
        }
        assert_eq!(parse_date("2027-02-30"), Err(Problem::NotADate));
    }

    #[test]
    fn local_times_far_in_the_past_or_future_are_out_of_range_not_a_panic() {
        assert!(parse_local_time("9999-12-31T23:59").is_ok());
        assert!(parse_local_time("1970-01-01 00:00").is_ok());
        for far in [
            "-262143-01-01T00:00",
            "+262142-12-31T23:59",
            "+99999-01-01T10:00",
            "+10000-01-01T00:00",
            "1969-12-31T23:59",
        ] {
            assert_eq!(parse_local_time(far), Err(Problem::DateOutOfRange), "{far}");
        }
        for odd in [
            "tomorrow",
            "2027-03-10",
            "2027-13-01T10:00",
            "99999-01-01T10:00",
            "-",
            "ü",
        ] {
            assert_eq!(parse_local_time(odd), Err(Problem::NotADateTime), "{odd}");
        }
        assert_eq!(parse_local_time(" "), Err(Problem::Required));
    }

    #[test]
    fn a_zone_that_carries_a_local_time_out_of_range_is_refused() {
        let last = parse_local_time("9999-12-31T23:00").expect("in range");
        assert!(instant_in(chrono_tz::Europe::Berlin, last).is_ok());
        assert_eq!(
            instant_in(chrono_tz::America::New_York, last),
            Err(Problem::DateOutOfRange)
        );
        let first = parse_local_time("1970-01-01T00:30").expect("in range");
        assert_eq!(
            instant_in(chrono_tz::Europe::Berlin, first),
            Err(Problem::DateOutOfRange)
        );
    }
}
