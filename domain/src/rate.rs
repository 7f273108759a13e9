//! A sliding-window rate limit: at most `limit` actions per `window` for one key (a
//! registration, an address). The caller keeps the recent instants per key; this decides.

use std::collections::VecDeque;

use chrono::{DateTime, Duration, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub limit: u32,
    pub window: Duration,
}

impl RateLimit {
    /// Records an action at `now` in `recent` if it is within the limit; `false` (and nothing
    /// recorded) if the key has used up its window.
    pub fn admit(&self, recent: &mut VecDeque<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
        while recent.front().is_some_and(|&t| t <= now - self.window) {
            recent.pop_front();
        }
        if recent.len() >= self.limit as usize {
            return false;
        }
        recent.push_back(now);
        true
    }

    /// Whether `recent` holds nothing that still counts at `now` (the key can be forgotten).
    pub fn is_idle(&self, recent: &VecDeque<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
        recent.back().is_none_or(|&t| t <= now - self.window)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(seconds: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 1, 10, 0, 0).unwrap() + Duration::seconds(seconds)
    }

    #[test]
    fn a_burst_beyond_the_limit_is_refused_until_the_window_slides() {
        let rule = RateLimit {
            limit: 3,
            window: Duration::seconds(60),
        };
        let mut recent = VecDeque::new();
        assert!(rule.admit(&mut recent, at(0)));
        assert!(rule.admit(&mut recent, at(10)));
        assert!(rule.admit(&mut recent, at(20)));
        assert!(!rule.admit(&mut recent, at(30)), "fourth within a minute");
        assert!(!rule.admit(&mut recent, at(59)));
        assert_eq!(recent.len(), 3, "refused attempts are not counted");
        assert!(
            rule.admit(&mut recent, at(60)),
            "the first has left the window"
        );
        assert!(!rule.admit(&mut recent, at(61)));
        assert!(!rule.is_idle(&recent, at(100)));
        assert!(rule.is_idle(&recent, at(120)));
    }
}
