//! Rate limits kept in memory by each instance: recent actions per key (a registration, an
//! address, an e-mail), each key under its own rule from [`domain::rate`].

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use domain::rate::RateLimit;

/// A key's rule and the instants of its recent actions.
type Recent = (RateLimit, VecDeque<DateTime<Utc>>);

#[derive(Debug, Default)]
pub struct RateLimiter {
    recent: Mutex<HashMap<String, Recent>>,
}

impl RateLimiter {
    /// Counts one action against every `(key, rule)`: `false`, and nothing counted, when any key
    /// has used up its rule's window.
    pub fn admit(&self, keys: &[(String, RateLimit)], now: DateTime<Utc>) -> bool {
        let Ok(mut recent) = self.recent.lock() else {
            return true;
        };
        let admitted = keys.iter().all(|(key, rule)| {
            let mut probe = recent.get(key).map(|(_, t)| t.clone()).unwrap_or_default();
            rule.admit(&mut probe, now)
        });
        if admitted {
            for (key, rule) in keys {
                let (_, times) = recent
                    .entry(key.clone())
                    .or_insert_with(|| (*rule, VecDeque::new()));
                rule.admit(times, now);
            }
        }
        // Forget keys whose window has passed, so the map does not grow without bound.
        recent.retain(|_, (rule, times)| !rule.is_idle(times, now));
        admitted
    }
}
