//! Rate limits kept in memory by each instance: recent actions per key (a registration, an
//! address, an e-mail, an account), each key under its own rule from [`domain::rate`].

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};
use domain::rate::{RateLimit, Rule};

/// A key's rule and the instants of its recent actions.
type Recent = (Rule, VecDeque<DateTime<Utc>>);

#[derive(Debug, Default)]
pub struct RateLimiter {
    recent: Mutex<HashMap<String, Recent>>,
}

impl RateLimiter {
    /// Counts one action against every `(key, rule)`: `false`, and nothing counted, when any key
    /// has used up its rule's window.
    pub fn admit(&self, keys: &[(String, RateLimit)], now: DateTime<Utc>) -> bool {
        let keys: Vec<(String, Rule)> = keys
            .iter()
            .map(|(key, rule)| (key.clone(), Rule::from(*rule)))
            .collect();
        self.attempt(&keys, now).is_ok()
    }

    /// Counts one action against every `(key, rule)` if all of them allow it now; otherwise
    /// nothing is counted and the answer is the longest wait among them.
    pub fn attempt(&self, keys: &[(String, Rule)], now: DateTime<Utc>) -> Result<(), Duration> {
        if keys.is_empty() {
            return Ok(());
        }
        let Ok(mut recent) = self.recent.lock() else {
            return Ok(());
        };
        let wait = keys
            .iter()
            .filter_map(|(key, rule)| {
                let times = recent.get(key).map(|(_, times)| times);
                rule.wait(times.unwrap_or(&VecDeque::new()), now)
            })
            .max();
        if let Some(wait) = wait {
            return Err(wait);
        }
        for (key, rule) in keys {
            let (_, times) = recent
                .entry(key.clone())
                .or_insert_with(|| (*rule, VecDeque::new()));
            // Cannot be refused: every rule allowed it above, under the same lock.
            let _ = rule.admit(times, now);
        }
        // Forget keys whose actions no longer count, so the map does not grow without bound.
        recent.retain(|_, (rule, times)| !rule.is_idle(times, now));
        Ok(())
    }

    /// Takes back the action counted for `key` at `at` (it turned out not to count, e.g. a
    /// sign-in that succeeded).
    pub fn withdraw(&self, key: &str, at: DateTime<Utc>) {
        if let Ok(mut recent) = self.recent.lock()
            && let Some((_, times)) = recent.get_mut(key)
            && let Some(index) = times.iter().rposition(|&t| t == at)
        {
            times.remove(index);
        }
    }

    /// Forgets everything counted for `key` (e.g. an account's failures after a success).
    pub fn forget(&self, key: &str) {
        if let Ok(mut recent) = self.recent.lock() {
            recent.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use domain::rate::Backoff;

    fn at(seconds: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 1, 10, 0, 0).unwrap() + Duration::seconds(seconds)
    }

    #[test]
    fn a_refused_attempt_counts_nowhere_and_says_the_longest_wait() {
        let limiter = RateLimiter::default();
        let window = |limit| {
            Rule::from(RateLimit {
                limit,
                window: Duration::seconds(60),
            })
        };
        let keys = [("a".to_owned(), window(1)), ("b".to_owned(), window(2))];
        assert_eq!(limiter.attempt(&keys, at(0)), Ok(()));
        assert_eq!(limiter.attempt(&keys, at(10)), Err(Duration::seconds(50)));
        assert_eq!(
            limiter.attempt(&keys[1..], at(10)),
            Ok(()),
            "b was not counted by the refused attempt"
        );
        assert_eq!(
            limiter.attempt(&keys[1..], at(20)),
            Err(Duration::seconds(40))
        );
        limiter.withdraw("b", at(10));
        assert_eq!(limiter.attempt(&keys[1..], at(20)), Ok(()));
    }

    #[test]
    fn forgetting_a_key_ends_its_delay() {
        let limiter = RateLimiter::default();
        let rule = Rule::from(Backoff {
            free: 1,
            first: Duration::seconds(30),
            cap: Duration::minutes(5),
            memory: Duration::hours(1),
        });
        let keys = [("account".to_owned(), rule)];
        assert_eq!(limiter.attempt(&keys, at(0)), Ok(()));
        assert_eq!(limiter.attempt(&keys, at(1)), Err(Duration::seconds(29)));
        limiter.forget("account");
        assert_eq!(limiter.attempt(&keys, at(1)), Ok(()));
    }
}
