//! Group commit: the registrations of one event wait here, in arrival order, and one worker per
//! event admits them in batches: one transaction, one lock, one commit for many (see
//! [`crate::registration::admit_batch`]). Each person is answered only after the batch that holds
//! their registration committed, so an acknowledged registration survives a crash.
//!
//! Waiting here costs memory, not a database connection. Past the bounds (too many waiting for
//! one event, or waiting too long) a person is told the site is busy (503 with Retry-After).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use chrono::{DateTime, Utc};
use domain::{RegisterError, ValidRegistration};
use store::QueueLimits;
use tokio::sync::oneshot;

use crate::Services;
use crate::registration::Admitted;
use crate::token::SecretToken;

/// The most registrations one transaction admits (a bound on its statements' parameters).
pub(crate) const MAX_BATCH: usize = 200;

/// A registration that passed every check that needs no lock, waiting for its batch (no
/// `Debug`: it holds the secret link).
pub(crate) struct Applicant {
    pub valid: ValidRegistration,
    pub token: SecretToken,
    pub now: DateTime<Utc>,
}

pub(crate) type Outcome = Result<Admitted, RegisterError>;

pub(crate) struct Job {
    pub applicant: Applicant,
    pub reply: oneshot::Sender<Outcome>,
}

/// The registrations waiting for each event; an event with an entry has a worker.
pub struct RegistrationQueue {
    events: Mutex<HashMap<i64, VecDeque<Job>>>,
    limits: QueueLimits,
}

impl std::fmt::Debug for RegistrationQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegistrationQueue")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl Default for RegistrationQueue {
    fn default() -> Self {
        RegistrationQueue::new(QueueLimits::DEFAULT)
    }
}

impl RegistrationQueue {
    pub fn new(limits: QueueLimits) -> RegistrationQueue {
        RegistrationQueue {
            events: Mutex::default(),
            limits,
        }
    }

    /// Queues `applicant` for `event_id` and waits for the outcome of its batch.
    pub(crate) async fn admit(
        &self,
        ctx: &Services,
        event_id: i64,
        applicant: Applicant,
    ) -> Outcome {
        let (reply, outcome) = oneshot::channel();
        let start_worker = {
            let mut events = self.events.lock().unwrap_or_else(|e| e.into_inner());
            // The worker removes the entry when it finds it empty.
            let start_worker = !events.contains_key(&event_id);
            let waiting = events.entry(event_id).or_default();
            if waiting.len() >= self.limits.max_waiting {
                return Err(RegisterError::Busy);
            }
            waiting.push_back(Job { applicant, reply });
            start_worker
        };
        if start_worker {
            // A task of its own: a batch must not stop halfway because the person who happened
            // to start it closed the connection.
            tokio::spawn(work(ctx.clone(), event_id));
        }
        match tokio::time::timeout(self.limits.max_wait, outcome).await {
            Ok(Ok(outcome)) => outcome,
            // The worker went away without an answer (it panicked): nothing was acknowledged.
            Ok(Err(_)) => Err(crate::failed(
                "registration worker",
                "ended without an answer",
                RegisterError::Internal,
            )),
            // Dropping `outcome` closes the channel; the worker skips a job nobody waits for.
            // (If its batch is being written already, the registration stands, and trying
            // again is answered "already registered" with the link mailed again.)
            Err(_) => Err(RegisterError::Busy),
        }
    }

    /// The next batch of `event_id`, oldest first, leaving out those nobody waits for any more;
    /// empty (and the worker ends) when none is left.
    fn next_batch(&self, event_id: i64) -> Vec<Job> {
        let mut events = self.events.lock().unwrap_or_else(|e| e.into_inner());
        let Some(waiting) = events.get_mut(&event_id) else {
            return Vec::new();
        };
        let mut batch = Vec::new();
        while batch.len() < MAX_BATCH {
            match waiting.pop_front() {
                Some(job) if job.reply.is_closed() => {}
                Some(job) => batch.push(job),
                None => break,
            }
        }
        if batch.is_empty() {
            events.remove(&event_id);
        }
        batch
    }
}

/// The worker of one event: admits batches until nobody is waiting.
async fn work(ctx: Services, event_id: i64) {
    loop {
        let batch = ctx.registration_queue.next_batch(event_id);
        if batch.is_empty() {
            return;
        }
        // Each batch in a task of its own, so that a panic fails that batch (its people are
        // answered with an internal error) and not the ones after it.
        let batch_ctx = ctx.clone();
        let admitted = tokio::spawn(async move {
            crate::registration::admit_batch(&batch_ctx, event_id, batch).await;
        });
        if let Err(cause) = admitted.await {
            tracing::error!(%cause, event_id, "a batch of registrations failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use domain::{RegisterError, RegistrationStatus};

    use super::*;
    use crate::registration::register;
    use crate::testing::*;

    fn with_limits(ctx: &Services, max_waiting: usize, max_wait: Duration) -> Services {
        Services {
            registration_queue: Arc::new(RegistrationQueue::new(QueueLimits {
                max_waiting,
                max_wait,
            })),
            ..ctx.clone()
        }
    }

    fn waiting(ctx: &Services, event_id: i64) -> usize {
        let events = ctx.registration_queue.events.lock().expect("queue");
        events.get(&event_id).map_or(0, VecDeque::len)
    }

    async fn until(condition: impl Fn() -> bool) {
        while !condition() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    #[tokio::test]
    async fn past_the_bound_of_waiting_people_the_next_is_told_the_site_is_busy() {
        for (ctx, db) in contexts("past_the_bound_of_waiting_people").await {
            add_event(&ctx, "room", settings(10, true)).await;
            let id = ctx
                .store
                .event_id(&slug("room"))
                .await
                .expect("query")
                .expect("event");
            let ctx = with_limits(&ctx, 1, Duration::from_secs(60));
            // An organizer's change holds the event: the worker waits with the first person.
            let held = ctx.store.write_event(id).await.expect("lock");
            let register_person = |n| {
                let ctx = ctx.clone();
                tokio::spawn(
                    async move { register(&ctx, &slug("room"), &form(n), None, now()).await },
                )
            };
            let first = register_person(1);
            until(|| {
                ctx.registration_queue
                    .events
                    .lock()
                    .expect("queue")
                    .contains_key(&id)
            })
            .await;
            until(|| waiting(&ctx, id) == 0).await;
            let second = register_person(2);
            until(|| waiting(&ctx, id) == 1).await;
            let third = register(&ctx, &slug("room"), &form(3), None, now()).await;
            assert_eq!(third, Err(RegisterError::Busy));
            drop(held);
            for person in [first, second] {
                let admitted = person.await.expect("task").expect("admitted");
                assert_eq!(admitted.status, RegistrationStatus::PendingEmail);
            }
            assert_eq!(
                statuses(&ctx, "room").await.len(),
                2,
                "the third is not stored"
            );
            db.finish().await;
        }
    }

    #[tokio::test]
    async fn who_waited_too_long_is_told_the_site_is_busy_and_one_not_begun_is_dropped() {
        for (ctx, db) in contexts("who_waited_too_long").await {
            add_event(&ctx, "room", settings(10, true)).await;
            let id = ctx
                .store
                .event_id(&slug("room"))
                .await
                .expect("query")
                .expect("event");
            let ctx = with_limits(&ctx, 100, Duration::from_millis(200));
            let held = ctx.store.write_event(id).await.expect("lock");
            let register_person = |n| {
                let ctx = ctx.clone();
                tokio::spawn(
                    async move { register(&ctx, &slug("room"), &form(n), None, now()).await },
                )
            };
            let first = register_person(1);
            until(|| {
                ctx.registration_queue
                    .events
                    .lock()
                    .expect("queue")
                    .contains_key(&id)
            })
            .await;
            until(|| waiting(&ctx, id) == 0).await;
            let second = register_person(2);
            assert_eq!(first.await.expect("task"), Err(RegisterError::Busy));
            assert_eq!(second.await.expect("task"), Err(RegisterError::Busy));
            drop(held);
            until(|| {
                !ctx.registration_queue
                    .events
                    .lock()
                    .expect("queue")
                    .contains_key(&id)
            })
            .await;
            // The first one's batch had begun: it stands, and trying again says so. The second
            // one's had not: it was dropped, and trying again registers.
            let names: Vec<String> = statuses(&ctx, "room")
                .await
                .into_iter()
                .map(|(n, _)| n)
                .collect();
            assert_eq!(names, ["Person 1"]);
            let ctx = with_limits(&ctx, 100, Duration::from_secs(60));
            assert_eq!(
                register(&ctx, &slug("room"), &form(1), None, now()).await,
                Err(RegisterError::AlreadyRegistered)
            );
            assert!(
                register(&ctx, &slug("room"), &form(2), None, now())
                    .await
                    .is_ok()
            );
            db.finish().await;
        }
    }
}
