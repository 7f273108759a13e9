//! The registration curve of an event: how many people held a seat, had confirmed, waited or
//! had dropped out at the end of each day, from the audit log's status changes, and where its
//! lines go in a chart.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::RegistrationStatus;

/// The curve covers at most this many days (the last ones).
pub const CURVE_DAYS_MAX: usize = 366;

/// One change of a registration's status, as the audit log keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusChange {
    pub at: DateTime<Utc>,
    pub from: Option<RegistrationStatus>,
    pub to: Option<RegistrationStatus>,
}

/// Where the registrations stood at the end of `day` (in the event's zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurvePoint {
    pub day: NaiveDate,
    /// Holding a seat, confirmed or not yet.
    pub seated: u32,
    pub confirmed: u32,
    pub waiting: u32,
    /// Cancelled, or a hold that expired.
    pub dropped: u32,
}

/// The counts at the end of every day from the day of the first change to the day of `until`
/// (both in `zone`; later changes are left out), the last [`CURVE_DAYS_MAX`] of them; empty
/// without changes.
pub fn registration_curve(
    changes: &[StatusChange],
    zone: Tz,
    until: DateTime<Utc>,
) -> Vec<CurvePoint> {
    let day_of = |at: DateTime<Utc>| at.with_timezone(&zone).date_naive();
    let mut sorted = changes.to_vec();
    sorted.sort_by_key(|change| change.at);
    let Some(first) = sorted.first() else {
        return Vec::new();
    };
    let last_day = day_of(until);
    let mut counts = [0u32; RegistrationStatus::ALL.len()];
    let index = |status: RegistrationStatus| {
        RegistrationStatus::ALL
            .iter()
            .position(|s| *s == status)
            .unwrap_or_default()
    };
    let mut points = Vec::new();
    let mut pending = sorted.iter().peekable();
    let mut day = day_of(first.at);
    while day <= last_day {
        while let Some(change) = pending.next_if(|change| day_of(change.at) <= day) {
            if let Some(from) = change.from {
                counts[index(from)] = counts[index(from)].saturating_sub(1);
            }
            if let Some(to) = change.to {
                counts[index(to)] += 1;
            }
        }
        let count = |status| counts[index(status)];
        use RegistrationStatus::*;
        points.push(CurvePoint {
            day,
            seated: count(PendingEmail) + count(Confirmed) + count(Offered),
            confirmed: count(Confirmed),
            waiting: count(Waitlisted),
            dropped: count(Cancelled) + count(Expired),
        });
        let Some(next) = day.succ_opt() else { break };
        day = next;
    }
    let skip = points.len().saturating_sub(CURVE_DAYS_MAX);
    points.split_off(skip)
}

/// The chart's drawing area, in SVG user units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub left: f64,
    pub top: f64,
    pub width: f64,
    pub height: f64,
}

/// The largest count of any line (at least 1, so that a flat zero line sits at the bottom).
pub fn curve_max(points: &[CurvePoint]) -> u32 {
    points
        .iter()
        .flat_map(|p| [p.seated, p.confirmed, p.waiting, p.dropped])
        .max()
        .unwrap_or(0)
        .max(1)
}

/// The SVG `points` of one line of the chart: day by day from left to right (one day alone in
/// the middle), counts from the bottom up to `max` at the top; one decimal.
pub fn polyline(values: &[u32], max: u32, frame: Frame) -> String {
    let last = values.len().saturating_sub(1);
    values
        .iter()
        .enumerate()
        .map(|(i, value)| {
            let x = if last == 0 {
                frame.left + frame.width / 2.0
            } else {
                frame.left + frame.width * i as f64 / last as f64
            };
            let y = frame.top + frame.height * (1.0 - f64::from(*value) / f64::from(max.max(1)));
            format!("{x:.1},{y:.1}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use RegistrationStatus::*;
    use chrono::Datelike;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(&format!("2026-11-{day:02}T{hour:02}:30:00Z"))
            .expect("instant")
            .with_timezone(&Utc)
    }

    fn change(
        when: DateTime<Utc>,
        from: Option<RegistrationStatus>,
        to: Option<RegistrationStatus>,
    ) -> StatusChange {
        StatusChange { at: when, from, to }
    }

    fn counts(points: &[CurvePoint]) -> Vec<(u32, u32, u32, u32, u32)> {
        points
            .iter()
            .map(|p| {
                (
                    p.day.day0() + 1,
                    p.seated,
                    p.confirmed,
                    p.waiting,
                    p.dropped,
                )
            })
            .collect()
    }

    #[test]
    fn counts_each_status_at_the_end_of_each_day_in_the_events_zone() {
        let changes = [
            change(at(2, 9), None, Some(PendingEmail)),
            change(at(2, 10), None, Some(PendingEmail)),
            change(at(2, 11), Some(PendingEmail), Some(Confirmed)),
            change(at(2, 12), None, Some(Waitlisted)),
            // 23:30 UTC is the next day in Berlin.
            change(at(3, 23), Some(Confirmed), Some(Cancelled)),
            change(at(3, 23), Some(Waitlisted), Some(PendingEmail)),
            change(at(6, 8), Some(PendingEmail), Some(Expired)),
        ];
        let berlin: Tz = "Europe/Berlin".parse().expect("zone");
        let points = registration_curve(&changes, berlin, at(7, 12));
        assert_eq!(
            counts(&points),
            [
                (2, 2, 1, 1, 0),
                (3, 2, 1, 1, 0),
                (4, 2, 0, 0, 1),
                (5, 2, 0, 0, 1),
                (6, 1, 0, 0, 2),
                (7, 1, 0, 0, 2),
            ]
        );
        let utc = registration_curve(&changes, Tz::UTC, at(3, 23));
        assert_eq!(counts(&utc), [(2, 2, 1, 1, 0), (3, 2, 0, 0, 1)], "in UTC");
        assert!(registration_curve(&[], berlin, at(7, 12)).is_empty());
    }

    #[test]
    fn keeps_the_last_year_of_a_long_curve() {
        let start = at(1, 9) - chrono::Duration::days(800);
        let points = registration_curve(&[change(start, None, Some(Confirmed))], Tz::UTC, at(1, 9));
        assert_eq!(points.len(), CURVE_DAYS_MAX);
        assert_eq!(points.last().map(|p| p.day), Some(at(1, 9).date_naive()));
        assert!(points.iter().all(|p| p.confirmed == 1));
    }

    #[test]
    fn lines_run_left_to_right_from_the_bottom_up_to_the_largest_count() {
        let frame = Frame {
            left: 40.0,
            top: 10.0,
            width: 100.0,
            height: 50.0,
        };
        assert_eq!(
            polyline(&[0, 5, 10], 10, frame),
            "40.0,60.0 90.0,35.0 140.0,10.0"
        );
        assert_eq!(
            polyline(&[3], 3, frame),
            "90.0,10.0",
            "one day: in the middle"
        );
        assert_eq!(polyline(&[0, 0], 0, frame), "40.0,60.0 140.0,60.0");
        assert_eq!(polyline(&[], 3, frame), "");
        let point = |seated, waiting| CurvePoint {
            day: at(1, 1).date_naive(),
            seated,
            confirmed: 0,
            waiting,
            dropped: 0,
        };
        assert_eq!(curve_max(&[point(4, 7), point(9, 2)]), 9);
        assert_eq!(curve_max(&[point(0, 0)]), 1);
    }
}
