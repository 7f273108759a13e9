//! How fast one key (a registration, a client address, an e-mail address, an account) may act:
//! a sliding window (at most `limit` actions per `window`) or a growing delay after repeated
//! failures. The caller keeps the recent instants per key; this decides, and says how long to
//! wait when the answer is no.

use std::collections::VecDeque;

use chrono::{DateTime, Duration, Utc};

/// At most `limit` actions per `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub limit: u32,
    pub window: Duration,
}

impl RateLimit {
    /// `count` actions per `window`; `None` (no limit) when `count` is 0.
    pub fn per(count: u32, window: Duration) -> Option<RateLimit> {
        (count > 0).then_some(RateLimit {
            limit: count,
            window,
        })
    }

    /// Records an action at `now` in `recent` if it is within the limit; `false` (and nothing
    /// recorded) if the key has used up its window.
    pub fn admit(&self, recent: &mut VecDeque<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
        Rule::Window(*self).admit(recent, now).is_ok()
    }

    /// Whether `recent` holds nothing that still counts at `now` (the key can be forgotten).
    pub fn is_idle(&self, recent: &VecDeque<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
        Rule::Window(*self).is_idle(recent, now)
    }

    /// How long until the next action is admitted; `None` when it is admitted now. `recent`
    /// holds only instants within the window.
    fn wait(&self, recent: &VecDeque<DateTime<Utc>>, now: DateTime<Utc>) -> Option<Duration> {
        let used = recent.len();
        let limit = self.limit as usize;
        if used < limit {
            return None;
        }
        // The action that must leave the window before there is room for one more.
        let leaving = used.checked_sub(limit).and_then(|i| recent.get(i));
        Some(leaving.map_or(self.window, |&at| at + self.window - now))
    }
}

/// A growing delay for an account under attack, instead of a lock-out: the first `free`
/// failures cost nothing; after that each attempt waits, counted from the last failure, `first`
/// doubled for each failure beyond `free`, at most `cap`. Failures older than `memory` are
/// forgotten; the caller forgets them all on success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub free: u32,
    pub first: Duration,
    pub cap: Duration,
    pub memory: Duration,
}

impl Backoff {
    /// The wait after `failures` failures in a row (from the last one).
    pub fn delay(&self, failures: u32) -> Duration {
        let Some(doublings) = failures.checked_sub(self.free) else {
            return Duration::zero();
        };
        let millis = (1i64 << doublings.min(40)).saturating_mul(self.first.num_milliseconds());
        Duration::milliseconds(millis).min(self.cap)
    }

    /// How long until the next attempt may be made; `None` when it may be made now. `failures`
    /// holds only instants within `memory`.
    fn wait(&self, failures: &VecDeque<DateTime<Utc>>, now: DateTime<Utc>) -> Option<Duration> {
        let count = u32::try_from(failures.len()).unwrap_or(u32::MAX);
        let last = *failures.back()?;
        let until = last + self.delay(count);
        (now < until).then(|| until - now)
    }
}

/// The rule a key is held to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    Window(RateLimit),
    Backoff(Backoff),
}

impl From<RateLimit> for Rule {
    fn from(limit: RateLimit) -> Rule {
        Rule::Window(limit)
    }
}

impl From<Backoff> for Rule {
    fn from(backoff: Backoff) -> Rule {
        Rule::Backoff(backoff)
    }
}

impl Rule {
    /// How long an action counts.
    fn memory(&self) -> Duration {
        match self {
            Rule::Window(limit) => limit.window,
            Rule::Backoff(backoff) => backoff.memory,
        }
    }

    /// Drops from `recent` what no longer counts at `now`.
    fn forget_old(&self, recent: &mut VecDeque<DateTime<Utc>>, now: DateTime<Utc>) {
        let horizon = now - self.memory();
        while recent.front().is_some_and(|&t| t <= horizon) {
            recent.pop_front();
        }
    }

    /// How long the key must wait at `now` before its next action; `None` when it may act now.
    pub fn wait(&self, recent: &VecDeque<DateTime<Utc>>, now: DateTime<Utc>) -> Option<Duration> {
        let mut counting = recent.clone();
        self.forget_old(&mut counting, now);
        match self {
            Rule::Window(limit) => limit.wait(&counting, now),
            Rule::Backoff(backoff) => backoff.wait(&counting, now),
        }
    }

    /// Records an action at `now` in `recent` if the rule allows it now; otherwise nothing is
    /// recorded and the answer says how long to wait.
    pub fn admit(
        &self,
        recent: &mut VecDeque<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<(), Duration> {
        self.forget_old(recent, now);
        if let Some(wait) = self.wait(recent, now) {
            return Err(wait);
        }
        recent.push_back(now);
        Ok(())
    }

    /// Whether `recent` holds nothing that still counts at `now` (the key can be forgotten).
    pub fn is_idle(&self, recent: &VecDeque<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
        recent.back().is_none_or(|&t| t <= now - self.memory())
    }
}

/// Whole seconds to put in a `Retry-After` header for `wait`: rounded up, at least 1.
pub fn retry_after_seconds(wait: Duration) -> u64 {
    let millis = wait.num_milliseconds().max(1);
    u64::try_from(millis.div_euclid(1000) + i64::from(millis.rem_euclid(1000) > 0)).unwrap_or(1)
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

    #[test]
    fn a_refused_action_is_told_when_the_oldest_leaves_the_window() {
        let rule = Rule::from(RateLimit {
            limit: 2,
            window: Duration::minutes(10),
        });
        let mut recent = VecDeque::new();
        assert_eq!(rule.admit(&mut recent, at(0)), Ok(()));
        assert_eq!(rule.admit(&mut recent, at(100)), Ok(()));
        assert_eq!(
            rule.admit(&mut recent, at(250)),
            Err(Duration::seconds(350)),
            "the first leaves at 600 s"
        );
        assert_eq!(rule.wait(&recent, at(599)), Some(Duration::seconds(1)));
        assert_eq!(rule.admit(&mut recent, at(600)), Ok(()));
        assert_eq!(
            rule.wait(&recent, at(600)),
            Some(Duration::seconds(100)),
            "now the one at 100 s must leave"
        );
    }

    #[test]
    fn zero_means_no_limit() {
        assert_eq!(RateLimit::per(0, Duration::minutes(10)), None);
        assert_eq!(
            RateLimit::per(30, Duration::minutes(10)),
            Some(RateLimit {
                limit: 30,
                window: Duration::minutes(10)
            })
        );
    }

    const BACKOFF: Backoff = Backoff {
        free: 5,
        first: Duration::seconds(1),
        cap: Duration::minutes(5),
        memory: Duration::hours(24),
    };

    #[test]
    fn the_delay_doubles_with_each_failure_beyond_the_free_ones_up_to_the_cap() {
        let delays: Vec<i64> = (0..=16).map(|n| BACKOFF.delay(n).num_seconds()).collect();
        assert_eq!(
            delays,
            [
                0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300
            ]
        );
        assert_eq!(BACKOFF.delay(u32::MAX), Duration::minutes(5), "no overflow");
    }

    #[test]
    fn attempts_inside_the_delay_wait_and_are_not_counted() {
        let rule = Rule::from(BACKOFF);
        let mut failures = VecDeque::new();
        for n in 0..5 {
            assert_eq!(rule.admit(&mut failures, at(n)), Ok(()), "free failure {n}");
        }
        assert_eq!(
            rule.admit(&mut failures, at(4)),
            Err(Duration::seconds(1)),
            "one second after the fifth"
        );
        assert_eq!(rule.admit(&mut failures, at(5)), Ok(()));
        assert_eq!(rule.admit(&mut failures, at(6)), Err(Duration::seconds(1)));
        assert_eq!(rule.wait(&failures, at(5)), Some(Duration::seconds(2)));
        assert_eq!(rule.admit(&mut failures, at(7)), Ok(()));
        assert_eq!(failures.len(), 7, "a refused attempt is no failure");
        assert_eq!(rule.wait(&failures, at(8)), Some(Duration::seconds(3)));
    }

    #[test]
    fn failures_are_forgotten_after_the_memory() {
        let rule = Rule::from(BACKOFF);
        let mut failures: VecDeque<_> = (0..20).map(at).collect();
        assert_eq!(rule.wait(&failures, at(20)), Some(Duration::seconds(299)));
        assert!(!rule.is_idle(&failures, at(3600)));
        let next_day = at(19) + Duration::hours(24);
        assert_eq!(rule.wait(&failures, next_day), None);
        assert!(rule.is_idle(&failures, next_day));
        assert_eq!(rule.admit(&mut failures, next_day), Ok(()));
        assert_eq!(failures.len(), 1);
    }

    #[test]
    fn retry_after_is_whole_seconds_rounded_up() {
        assert_eq!(retry_after_seconds(Duration::milliseconds(1)), 1);
        assert_eq!(retry_after_seconds(Duration::seconds(2)), 2);
        assert_eq!(retry_after_seconds(Duration::milliseconds(2001)), 3);
        assert_eq!(retry_after_seconds(Duration::zero()), 1);
    }
}
