//! Webhook endpoints and the deliveries to them and to Matrix rooms: a delivery row per endpoint
//! (or room) and message, written in the transaction of the change (so nothing is told that did
//! not happen, and nothing that happened goes untold), claimed by the delivery worker as mails
//! are, retried with backoff, and kept without its body as the delivery log.

use chrono::{DateTime, Utc};
use domain::webhooks::{ValidEndpoint, WebhookKind, kinds_from_words, kinds_to_words};

use crate::registrations::on_tx;
use crate::{Backend, EventWrite, Store, StoreResult, on_backend};

/// An endpoint as the admin page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookEndpoint {
    pub id: i64,
    pub url: String,
    pub description: String,
    pub kinds: Vec<WebhookKind>,
    /// The signing secret (`whsec_…`), shown to admins so that the receiver can check.
    pub secret: String,
    pub personal_data: bool,
    /// Failed attempts in a row.
    pub failures: i64,
    pub paused_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// Deliveries not sent yet (waiting, or held while the endpoint is paused).
    pub waiting: i64,
}

#[derive(sqlx::FromRow)]
struct EndpointRow {
    id: i64,
    url: String,
    description: String,
    kinds: String,
    secret: String,
    personal_data: bool,
    failures: i64,
    paused_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    waiting: i64,
}

impl From<EndpointRow> for WebhookEndpoint {
    fn from(row: EndpointRow) -> WebhookEndpoint {
        WebhookEndpoint {
            id: row.id,
            url: row.url,
            description: row.description,
            kinds: kinds_from_words(&row.kinds),
            secret: row.secret,
            personal_data: row.personal_data,
            failures: row.failures,
            paused_at: row.paused_at,
            created_at: row.created_at,
            waiting: row.waiting,
        }
    }
}

const ENDPOINT_SELECT: &str = "SELECT e.id, e.url, e.description, e.kinds, e.secret, \
     e.personal_data, e.failures, e.paused_at, e.created_at, \
     (SELECT COUNT(*) FROM deliveries d \
      WHERE d.endpoint_id = e.id AND d.status IN ('pending', 'sending')) AS waiting \
     FROM webhook_endpoints e";

/// A delivery the worker has claimed and now tries.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimedDelivery {
    pub id: i64,
    pub target: DeliveryTarget,
    pub kind: String,
    pub payload: Option<String>,
    /// Including this one.
    pub attempts: i64,
}

/// Where a delivery goes.
#[derive(Debug, Clone, PartialEq)]
pub enum DeliveryTarget {
    /// A webhook endpoint, with what the worker signs with.
    Endpoint {
        id: i64,
        url: String,
        secret: String,
    },
    /// A Matrix room, by its id (`!abc:example.org`) or alias, on the configured homeserver.
    MatrixRoom(String),
}

impl ClaimedDelivery {
    /// The endpoint it goes to; `None` for a Matrix room.
    pub fn endpoint_id(&self) -> Option<i64> {
        match &self.target {
            DeliveryTarget::Endpoint { id, .. } => Some(*id),
            DeliveryTarget::MatrixRoom(_) => None,
        }
    }
}

/// A line of an endpoint's delivery log.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct DeliveryLogEntry {
    pub id: i64,
    pub kind: String,
    pub status: String,
    pub attempts: i64,
    pub response_status: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// Endpoints are paused after this many failed attempts in a row.
pub const PAUSE_AFTER_FAILURES: i64 = 10;

impl Store {
    /// Every endpoint, oldest first.
    pub async fn webhook_endpoints(&self) -> StoreResult<Vec<WebhookEndpoint>> {
        let sql = format!("{ENDPOINT_SELECT} ORDER BY e.id");
        let rows: Vec<EndpointRow> = on_backend!(self, pool => {
            sqlx::query_as(&sql).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(WebhookEndpoint::from).collect())
    }

    pub async fn webhook_endpoint(&self, id: i64) -> StoreResult<Option<WebhookEndpoint>> {
        let sql = format!("{ENDPOINT_SELECT} WHERE e.id = $1");
        let row: Option<EndpointRow> = on_backend!(self, pool => {
            sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?
        });
        Ok(row.map(WebhookEndpoint::from))
    }

    /// Registers an endpoint; it gets messages from the next change on.
    pub async fn add_webhook_endpoint(
        &self,
        endpoint: &ValidEndpoint,
        secret: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        let (id,): (i64,) = on_backend!(self, pool => {
            sqlx::query_as(
                "INSERT INTO webhook_endpoints (url, description, kinds, secret, personal_data, \
                 failures, created_at) VALUES ($1, $2, $3, $4, $5, 0, $6) RETURNING id",
            )
            .bind(&endpoint.url)
            .bind(&endpoint.description)
            .bind(kinds_to_words(&endpoint.kinds))
            .bind(secret)
            .bind(endpoint.personal_data)
            .bind(now)
            .fetch_one(pool)
            .await?
        });
        Ok(id)
    }

    /// Removes an endpoint and its deliveries (sent or not); `false` when there was none.
    pub async fn remove_webhook_endpoint(&self, id: i64) -> StoreResult<bool> {
        let removed = on_backend!(self, pool => {
            sqlx::query("DELETE FROM webhook_endpoints WHERE id = $1")
                .bind(id)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(removed == 1)
    }

    /// Sends to a paused endpoint again: what waited is due now. `false` when there was none.
    pub async fn resume_webhook_endpoint(&self, id: i64, now: DateTime<Utc>) -> StoreResult<bool> {
        let resumed = on_backend!(self, pool => {
            let mut tx = pool.begin().await?;
            let resumed = sqlx::query(
                "UPDATE webhook_endpoints SET paused_at = NULL, failures = 0 WHERE id = $1",
            )
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            sqlx::query(
                "UPDATE deliveries SET next_attempt_at = $1 \
                 WHERE endpoint_id = $2 AND status = 'pending'",
            )
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            resumed
        });
        if resumed == 1 {
            self.webhooks_queued.notify_one();
        }
        Ok(resumed == 1)
    }

    /// An endpoint's deliveries, newest first.
    pub async fn webhook_deliveries(
        &self,
        endpoint_id: i64,
        limit: u32,
    ) -> StoreResult<Vec<DeliveryLogEntry>> {
        let rows: Vec<DeliveryLogEntry> = on_backend!(self, pool => {
            sqlx::query_as(
                "SELECT id, kind, status, attempts, response_status, last_error, created_at, \
                 sent_at FROM deliveries WHERE endpoint_id = $1 ORDER BY id DESC LIMIT $2",
            )
            .bind(endpoint_id)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }

    /// The deliveries to Matrix rooms, newest first, with their rooms.
    pub async fn matrix_deliveries(
        &self,
        limit: u32,
    ) -> StoreResult<Vec<(String, DeliveryLogEntry)>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            matrix_room: String,
            #[sqlx(flatten)]
            entry: DeliveryLogEntry,
        }
        let rows: Vec<Row> = on_backend!(self, pool => {
            sqlx::query_as(
                "SELECT matrix_room, id, kind, status, attempts, response_status, last_error, \
                 created_at, sent_at FROM deliveries WHERE matrix_room IS NOT NULL \
                 ORDER BY id DESC LIMIT $1",
            )
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(|r| (r.matrix_room, r.entry)).collect())
    }

    /// Claims up to `limit` due deliveries of endpoints that are not paused (or whose earlier
    /// claim lapsed) until `lease_until`, oldest first, as [`Store::claim_due_mails`] does.
    pub async fn claim_due_deliveries(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<ClaimedDelivery>> {
        let due = "((status = 'pending' AND next_attempt_at <= $2) \
                   OR (status = 'sending' AND claimed_until <= $2)) \
                   AND (matrix_room IS NOT NULL OR endpoint_id IN \
                   (SELECT id FROM webhook_endpoints WHERE paused_at IS NULL))";
        let lock = match self.backend {
            Backend::Sqlite(_) => "",
            Backend::Postgres(_) => "FOR UPDATE SKIP LOCKED",
        };
        let sql = format!(
            "UPDATE deliveries SET status = 'sending', claimed_until = $1, \
             attempts = attempts + 1 WHERE id IN \
             (SELECT id FROM deliveries WHERE {due} ORDER BY id LIMIT $3 {lock}) \
             RETURNING id, endpoint_id, matrix_room, kind, payload, attempts"
        );
        type Row = (
            i64,
            Option<i64>,
            Option<String>,
            String,
            Option<String>,
            i64,
        );
        let rows: Vec<Row> = on_backend!(self, pool => {
            sqlx::query_as(&sql)
                .bind(lease_until)
                .bind(now)
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await?
        });
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        // Where each goes: read after the claim (an endpoint removed meanwhile took its
        // deliveries with it, so a delivery without one is simply left out).
        let endpoints: Vec<(i64, String, String)> = on_backend!(self, pool => {
            sqlx::query_as("SELECT id, url, secret FROM webhook_endpoints")
                .fetch_all(pool)
                .await?
        });
        let mut claimed: Vec<ClaimedDelivery> = rows
            .into_iter()
            .filter_map(|(id, endpoint_id, room, kind, payload, attempts)| {
                let target = match (endpoint_id, room) {
                    (_, Some(room)) => DeliveryTarget::MatrixRoom(room),
                    (Some(endpoint), None) => {
                        let (_, url, secret) = endpoints.iter().find(|(e, _, _)| *e == endpoint)?;
                        DeliveryTarget::Endpoint {
                            id: endpoint,
                            url: url.clone(),
                            secret: secret.clone(),
                        }
                    }
                    (None, None) => return None,
                };
                Some(ClaimedDelivery {
                    id,
                    target,
                    kind,
                    payload,
                    attempts,
                })
            })
            .collect();
        claimed.sort_by_key(|d| d.id);
        Ok(claimed)
    }

    /// The endpoint answered 2xx: the delivery is done (its body erased) and the endpoint's
    /// count of failures starts again.
    pub async fn mark_delivery_sent(
        &self,
        delivery: &ClaimedDelivery,
        response_status: u16,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        on_backend!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "UPDATE deliveries SET status = 'sent', sent_at = $1, payload = NULL, \
                 claimed_until = NULL, response_status = $2, last_error = NULL WHERE id = $3",
            )
            .bind(now)
            .bind(i64::from(response_status))
            .bind(delivery.id)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE webhook_endpoints SET failures = 0 WHERE id = $1")
                .bind(delivery.endpoint_id())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The attempt failed: try again at `retry_at` or give up (`None`); an endpoint counts one
    /// more failure and is paused at [`PAUSE_AFTER_FAILURES`]. Returns whether this paused it
    /// (a Matrix room is never paused).
    pub async fn mark_delivery_failed(
        &self,
        delivery: &ClaimedDelivery,
        (response_status, error): (Option<u16>, &str),
        retry_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let paused = on_backend!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "UPDATE deliveries SET status = $1, \
                 next_attempt_at = COALESCE($2, next_attempt_at), claimed_until = NULL, \
                 response_status = $3, last_error = $4 WHERE id = $5",
            )
            .bind(if retry_at.is_some() { "pending" } else { "failed" })
            .bind(retry_at)
            .bind(response_status.map(i64::from))
            .bind(error)
            .bind(delivery.id)
            .execute(&mut *tx)
            .await?;
            // Paused by the failure that reaches the limit (none are tried while it is paused).
            let (failures,): (i64,) = sqlx::query_as(
                "UPDATE webhook_endpoints SET failures = failures + 1, \
                 paused_at = CASE WHEN failures + 1 >= $1 THEN COALESCE(paused_at, $2) \
                 ELSE paused_at END WHERE id = $3 RETURNING failures",
            )
            .bind(PAUSE_AFTER_FAILURES)
            .bind(now)
            .bind(delivery.endpoint_id())
            .fetch_optional(&mut *tx)
            .await?
            .unwrap_or((0,));
            tx.commit().await?;
            failures == PAUSE_AFTER_FAILURES
        });
        Ok(paused)
    }

    /// Gives back a claimed delivery that was not tried (the worker is stopping).
    pub async fn release_delivery(&self, id: i64) -> StoreResult<()> {
        on_backend!(self, pool => {
            sqlx::query(
                "UPDATE deliveries SET status = 'pending', claimed_until = NULL, \
                 attempts = attempts - 1 WHERE id = $1 AND status = 'sending'",
            )
            .bind(id)
            .execute(pool)
            .await?;
        });
        Ok(())
    }
}

impl EventWrite {
    /// Queues a message to every endpoint that takes `kind`: `personal` (the message with the
    /// person's data) to those allowed personal data, `payload` to the others. Delivered only if
    /// this transaction commits (and the commit wakes the webhook worker).
    pub async fn enqueue_webhook(
        &mut self,
        kind: WebhookKind,
        registration_id: Option<i64>,
        (payload, personal): (&str, Option<&str>),
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let queued = on_tx!(self, conn => {
            sqlx::query(
                "INSERT INTO deliveries (endpoint_id, kind, registration_id, payload, \
                 status, attempts, next_attempt_at, created_at) \
                 SELECT id, $1, $2, CASE WHEN personal_data AND CAST($3 AS TEXT) IS NOT NULL \
                 THEN $3 ELSE $4 END, 'pending', 0, $5, $5 FROM webhook_endpoints \
                 WHERE (' ' || kinds || ' ') LIKE ('% ' || $1 || ' %')",
            )
            .bind(kind.as_str())
            .bind(registration_id)
            .bind(personal)
            .bind(payload)
            .bind(now)
            .execute(conn)
            .await?
            .rows_affected()
        });
        if queued > 0 {
            self.webhooks_queued = Some(std::sync::Arc::clone(&self.webhook_outbox));
        }
        Ok(())
    }

    /// Queues a Matrix message (`payload`: the event content) to `room`; sent only if this
    /// transaction commits.
    pub async fn enqueue_matrix(
        &mut self,
        room: &str,
        kind: &str,
        payload: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        on_tx!(self, conn => {
            sqlx::query(
                "INSERT INTO deliveries (matrix_room, kind, payload, status, attempts, \
                 next_attempt_at, created_at) VALUES ($1, $2, $3, 'pending', 0, $4, $4)",
            )
            .bind(room)
            .bind(kind)
            .bind(payload)
            .bind(now)
            .execute(conn)
            .await?;
        });
        self.webhooks_queued = Some(std::sync::Arc::clone(&self.webhook_outbox));
        Ok(())
    }

    /// Whether any endpoint takes `kind`: a flow builds a message only for someone. The
    /// endpoints are read once per transaction.
    pub async fn webhook_wanted(&mut self, kind: WebhookKind) -> StoreResult<bool> {
        if self.webhook_kinds.is_none() {
            let rows: Vec<(String,)> = on_tx!(self, conn => {
                sqlx::query_as("SELECT kinds FROM webhook_endpoints")
                    .fetch_all(conn)
                    .await?
            });
            let kinds = rows
                .iter()
                .flat_map(|(words,)| kinds_from_words(words))
                .collect();
            self.webhook_kinds = Some(kinds);
        }
        Ok(self
            .webhook_kinds
            .as_ref()
            .is_some_and(|kinds| kinds.contains(&kind)))
    }
}
