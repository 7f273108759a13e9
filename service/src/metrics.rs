//! Counters for `/metrics` (Prometheus text format): requests and their latency, registrations
//! by outcome, mail sending. In-process and lock-light; the outbox depth is read from the
//! database at scrape time, so every instance reports the shared queue.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds (seconds) of the request latency histogram.
const BUCKETS: [f64; 11] = [
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(&'static str, u16), u64>>,
    latency_buckets: [AtomicU64; BUCKETS.len()],
    latency_count: AtomicU64,
    latency_micros: AtomicU64,
    registrations: Mutex<BTreeMap<&'static str, u64>>,
    mails_sent: AtomicU64,
    mail_failures: AtomicU64,
}

/// The label of a request's method: the standard ones by name, anything a client invents as
/// `other`, so that nobody can add series without bound.
fn method_label(method: &str) -> &'static str {
    const KNOWN: [&str; 9] = [
        "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE",
    ];
    KNOWN
        .into_iter()
        .find(|known| *known == method)
        .unwrap_or("other")
}

impl Metrics {
    pub fn record_request(&self, method: &str, status: u16, took: Duration) {
        if let Ok(mut requests) = self.requests.lock() {
            *requests.entry((method_label(method), status)).or_default() += 1;
        }
        let seconds = took.as_secs_f64();
        for (bucket, bound) in self.latency_buckets.iter().zip(BUCKETS) {
            if seconds <= bound {
                bucket.fetch_add(1, Ordering::Relaxed);
            }
        }
        self.latency_count.fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        self.latency_micros.fetch_add(micros, Ordering::Relaxed);
    }

    /// `outcome`: `pending_email`, `waitlisted`, or why it was refused.
    pub fn record_registration(&self, outcome: &'static str) {
        if let Ok(mut registrations) = self.registrations.lock() {
            *registrations.entry(outcome).or_default() += 1;
        }
    }

    pub fn record_mail(&self, sent: bool) {
        let counter = if sent {
            &self.mails_sent
        } else {
            &self.mail_failures
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The exposition text; `outbox` is the number of mails per outbox status.
    pub fn render(&self, outbox: &[(String, i64)]) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP convene_http_requests_total HTTP requests by method and status."
        );
        let _ = writeln!(out, "# TYPE convene_http_requests_total counter");
        if let Ok(requests) = self.requests.lock() {
            for ((method, status), count) in requests.iter() {
                let _ = writeln!(
                    out,
                    "convene_http_requests_total{{method=\"{method}\",status=\"{status}\"}} {count}"
                );
            }
        }
        let _ = writeln!(
            out,
            "# HELP convene_http_request_duration_seconds Time to answer a request."
        );
        let _ = writeln!(
            out,
            "# TYPE convene_http_request_duration_seconds histogram"
        );
        for (bucket, bound) in self.latency_buckets.iter().zip(BUCKETS) {
            let _ = writeln!(
                out,
                "convene_http_request_duration_seconds_bucket{{le=\"{bound}\"}} {}",
                bucket.load(Ordering::Relaxed)
            );
        }
        let count = self.latency_count.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "convene_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}"
        );
        let sum = self.latency_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "convene_http_request_duration_seconds_sum {sum}");
        let _ = writeln!(out, "convene_http_request_duration_seconds_count {count}");
        let _ = writeln!(
            out,
            "# HELP convene_registrations_total Registration attempts by outcome."
        );
        let _ = writeln!(out, "# TYPE convene_registrations_total counter");
        if let Ok(registrations) = self.registrations.lock() {
            for (outcome, count) in registrations.iter() {
                let _ = writeln!(
                    out,
                    "convene_registrations_total{{outcome=\"{outcome}\"}} {count}"
                );
            }
        }
        let _ = writeln!(
            out,
            "# HELP convene_mails_sent_total Mails the server accepted."
        );
        let _ = writeln!(out, "# TYPE convene_mails_sent_total counter");
        let _ = writeln!(
            out,
            "convene_mails_sent_total {}",
            self.mails_sent.load(Ordering::Relaxed)
        );
        let _ = writeln!(
            out,
            "# HELP convene_mail_failures_total Failed attempts to send a mail."
        );
        let _ = writeln!(out, "# TYPE convene_mail_failures_total counter");
        let _ = writeln!(
            out,
            "convene_mail_failures_total {}",
            self.mail_failures.load(Ordering::Relaxed)
        );
        let _ = writeln!(
            out,
            "# HELP convene_outbox_mails Mails in the outbox by status (all instances)."
        );
        let _ = writeln!(out, "# TYPE convene_outbox_mails gauge");
        for status in ["pending", "sending", "sent", "failed"] {
            let count = outbox
                .iter()
                .find(|(s, _)| s == status)
                .map_or(0, |(_, n)| *n);
            let _ = writeln!(out, "convene_outbox_mails{{status=\"{status}\"}} {count}");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_histogram_and_gauges() {
        let metrics = Metrics::default();
        metrics.record_request("GET", 200, Duration::from_millis(3));
        metrics.record_request("GET", 200, Duration::from_millis(30));
        metrics.record_request("POST", 422, Duration::from_secs(10));
        metrics.record_registration("waitlisted");
        metrics.record_mail(true);
        let text = metrics.render(&[("pending".to_owned(), 4)]);
        assert!(
            text.contains("convene_http_requests_total{method=\"GET\",status=\"200\"} 2"),
            "{text}"
        );
        assert!(text.contains("convene_http_request_duration_seconds_bucket{le=\"0.005\"} 1"));
        assert!(text.contains("convene_http_request_duration_seconds_bucket{le=\"5\"} 2"));
        assert!(text.contains("convene_http_request_duration_seconds_bucket{le=\"+Inf\"} 3"));
        assert!(text.contains("convene_registrations_total{outcome=\"waitlisted\"} 1"));
        assert!(text.contains("convene_outbox_mails{status=\"pending\"} 4"));
        assert!(text.contains("convene_outbox_mails{status=\"failed\"} 0"));
        assert!(text.contains("convene_mails_sent_total 1"));
    }

    #[test]
    fn invented_methods_share_one_label() {
        let metrics = Metrics::default();
        for i in 0..40 {
            metrics.record_request(&format!("ZZ{i}"), 405, Duration::from_millis(1));
        }
        metrics.record_request("get", 200, Duration::from_millis(1));
        let text = metrics.render(&[]);
        let series = text
            .lines()
            .filter(|line| line.starts_with("convene_http_requests_total{"))
            .collect::<Vec<_>>();
        assert_eq!(
            series,
            [
                "convene_http_requests_total{method=\"other\",status=\"200\"} 1",
                "convene_http_requests_total{method=\"other\",status=\"405\"} 40"
            ]
        );
    }
}
