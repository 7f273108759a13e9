//! Writers wait their turn here, in arrival order, before they take a database connection.
//! Waiting for an event's row lock while holding a pool connection lets a rush of one event
//! take every connection (and the rest time out, answering 500); waiting here costs only memory,
//! leaves the pool to everyone else, and is fair (tokio's mutex serves in arrival order). Past a
//! bound, a writer is told the site is busy (`StoreError::Busy`, answered 503 with Retry-After).

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::OwnedMutexGuard;

use crate::{StoreError, StoreResult};

/// How many writers may wait for one queue, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueLimits {
    pub max_waiting: usize,
    pub max_wait: Duration,
}

impl QueueLimits {
    /// 5,000 waiting writers, 30 seconds each: a rush of thousands is served in order, and a
    /// request never waits longer than a browser or proxy would.
    pub const DEFAULT: QueueLimits = QueueLimits {
        max_waiting: 5_000,
        max_wait: Duration::from_secs(30),
    };
}

#[derive(Default)]
struct Queue {
    turn: Arc<tokio::sync::Mutex<()>>,
    waiting: AtomicUsize,
}

/// One queue per key: per event on PostgreSQL (its rows are locked per event), one for the
/// whole database on SQLite (it has one writer).
pub(crate) struct WriteQueues {
    queues: Mutex<HashMap<i64, Arc<Queue>>>,
    limits: QueueLimits,
}

impl std::fmt::Debug for WriteQueues {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriteQueues")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

/// A writer's turn: the next one waits until it is dropped (after commit or rollback).
pub(crate) type Turn = OwnedMutexGuard<()>;

impl WriteQueues {
    pub(crate) fn new(limits: QueueLimits) -> WriteQueues {
        WriteQueues {
            queues: Mutex::default(),
            limits,
        }
    }

    /// Waits for the turn of queue `key`.
    pub(crate) async fn turn(&self, key: i64) -> StoreResult<Turn> {
        let queue = {
            let mut queues = self.queues.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(queues.entry(key).or_default())
        };
        if queue.waiting.fetch_add(1, Ordering::SeqCst) >= self.limits.max_waiting {
            queue.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(StoreError::Busy);
        }
        let turn =
            tokio::time::timeout(self.limits.max_wait, Arc::clone(&queue.turn).lock_owned()).await;
        queue.waiting.fetch_sub(1, Ordering::SeqCst);
        turn.map_err(|_| StoreError::Busy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn writers_take_turns_in_arrival_order() {
        let queues = Arc::new(WriteQueues::new(QueueLimits::DEFAULT));
        let order = Arc::new(Mutex::new(Vec::new()));
        let first = queues.turn(7).await.expect("free");
        let mut waiting = Vec::new();
        for n in 0..20 {
            let (queues, order) = (Arc::clone(&queues), Arc::clone(&order));
            waiting.push(tokio::spawn(async move {
                let _turn = queues.turn(7).await.expect("turn");
                order.lock().expect("order").push(n);
            }));
            // Let each one start waiting before the next arrives.
            tokio::task::yield_now().await;
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        drop(first);
        for task in waiting {
            task.await.expect("task");
        }
        assert_eq!(*order.lock().expect("order"), (0..20).collect::<Vec<_>>());
    }

    #[tokio::test]
    async fn past_the_bounds_a_writer_is_told_the_site_is_busy() {
        let queues = WriteQueues::new(QueueLimits {
            max_waiting: 1,
            max_wait: Duration::from_millis(50),
        });
        let held = queues.turn(1).await.expect("free");
        // One may wait; it gives up after the time bound.
        assert!(matches!(queues.turn(1).await, Err(StoreError::Busy)));
        // Other keys are other queues.
        assert!(queues.turn(2).await.is_ok());
        drop(held);
        assert!(queues.turn(1).await.is_ok(), "free again");
    }
}
