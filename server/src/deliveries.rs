//! The delivery worker: sends the queued deliveries, to webhook endpoints as HTTP POSTs signed
//! per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`), to Matrix
//! rooms through the client-server API (`PUT .../send/m.room.message/{txnId}`: the transaction id
//! is the delivery's, so a retry after a lost answer is not shown twice). A delivery is done on a
//! 2xx answer; otherwise it is retried with backoff, then kept as failed, and an endpoint that
//! keeps failing is paused until an admin resumes it.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use store::{ClaimedDelivery, DeliveryTarget, Store};
use tokio::sync::{Notify, watch};

use crate::mailer::{backoff, next_round};

pub struct DeliveryConfig {
    /// The first retry waits this long; each further one twice as long (at most an hour).
    pub retry_base: Duration,
    /// After this many attempts a delivery is marked failed.
    pub max_attempts: u32,
    /// Where Matrix messages go; `None` when Matrix is not configured.
    pub matrix: Option<MatrixConnection>,
}

/// A Matrix homeserver and the bot account's access token.
pub struct MatrixConnection {
    /// e.g. `https://matrix.example.org`, without a trailing slash.
    pub homeserver: String,
    pub access_token: String,
}

/// How long an endpoint has to answer.
const TIMEOUT: Duration = Duration::from_secs(15);
/// How long a claimed delivery is reserved for this worker (longer than a try can take).
const LEASE: Duration = Duration::from_secs(60);
/// How often the worker looks for due retries when nobody wakes it.
const POLL: Duration = Duration::from_secs(1);
/// Deliveries claimed at a time; sent one after the other, so each endpoint gets its messages
/// in the order they happened.
const CLAIM: u32 = 20;
/// What is kept of an endpoint's answer or error in the delivery log.
const ERROR_MAX: usize = 300;

/// Sends due deliveries until `shutdown` turns true; finishes the one in hand first.
pub async fn run(
    store: Store,
    config: DeliveryConfig,
    wakeup: Arc<Notify>,
    mut shutdown: watch::Receiver<bool>,
) {
    let client = match reqwest::Client::builder()
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("convene/", env!("CARGO_PKG_VERSION")))
        .build()
    {
        Ok(client) => client,
        Err(error) => {
            tracing::error!(%error, "no HTTP client: webhooks and Matrix messages are not sent");
            return;
        }
    };
    loop {
        if let Err(error) = drain(&store, &config, &client, &shutdown).await {
            tracing::warn!(%error, "delivery worker could not read its deliveries");
        }
        if !next_round(&wakeup, POLL, &mut shutdown).await {
            break;
        }
    }
    tracing::info!("delivery worker stopped");
}

async fn drain(
    store: &Store,
    config: &DeliveryConfig,
    client: &reqwest::Client,
    shutdown: &watch::Receiver<bool>,
) -> Result<(), store::StoreError> {
    loop {
        let now = Utc::now();
        let lease = chrono::Duration::from_std(LEASE).unwrap_or(chrono::Duration::minutes(1));
        let batch = store.claim_due_deliveries(now, now + lease, CLAIM).await?;
        if batch.is_empty() {
            return Ok(());
        }
        let mut paused = HashSet::new();
        for delivery in batch {
            // Stopping, or the endpoint was paused by an earlier one: give it back untried.
            let endpoint = delivery.endpoint_id();
            if *shutdown.borrow() || endpoint.is_some_and(|id| paused.contains(&id)) {
                store.release_delivery(delivery.id).await?;
            } else if deliver_one(store, config, client, &delivery).await? {
                tracing::warn!(
                    endpoint,
                    "webhook endpoint paused after failing again and again"
                );
                paused.extend(endpoint);
            }
        }
        if *shutdown.borrow() {
            return Ok(());
        }
    }
}

/// Sends one delivery and records how it went; `true` when this failure paused its endpoint.
async fn deliver_one(
    store: &Store,
    config: &DeliveryConfig,
    client: &reqwest::Client,
    delivery: &ClaimedDelivery,
) -> Result<bool, store::StoreError> {
    let sent = match &delivery.target {
        DeliveryTarget::Endpoint { url, secret, .. } => {
            post_webhook(client, delivery, (url, secret)).await
        }
        DeliveryTarget::MatrixRoom(room) => match &config.matrix {
            Some(matrix) => send_to_matrix(client, delivery, matrix, room).await,
            None => Err((
                None,
                "Matrix is not configured (CONVENE_MATRIX_HOMESERVER)".into(),
            )),
        },
    };
    match sent {
        Ok(status) => {
            tracing::info!(id = delivery.id, kind = %delivery.kind, status, "delivered");
            store
                .mark_delivery_sent(delivery, status, Utc::now())
                .await?;
            Ok(false)
        }
        Err((status, error)) => {
            let attempts = u32::try_from(delivery.attempts).unwrap_or(u32::MAX);
            let retry_at = (attempts < config.max_attempts)
                .then(|| Utc::now() + backoff(config.retry_base, attempts));
            tracing::warn!(id = delivery.id, %error, ?retry_at, "not delivered");
            store
                .mark_delivery_failed(delivery, (status, &error), retry_at, Utc::now())
                .await
        }
    }
}

/// One POST to a webhook endpoint: its 2xx status, or its other status (if it answered) and
/// what went wrong.
async fn post_webhook(
    client: &reqwest::Client,
    delivery: &ClaimedDelivery,
    (url, secret): (&str, &str),
) -> Result<u16, (Option<u16>, String)> {
    let body = body_of(delivery)?;
    let id = service::webhooks::message_id(delivery.id);
    let timestamp = Utc::now().timestamp();
    let signature = service::webhooks::signature(secret, &id, timestamp, &body)
        .ok_or((None, "the endpoint's secret cannot sign".to_owned()))?;
    let request = client
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", &id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(body);
    answer_of(request).await
}

/// One message to a Matrix room. The transaction id is the delivery's: a homeserver that got it
/// before answers with the same event and shows it once.
async fn send_to_matrix(
    client: &reqwest::Client,
    delivery: &ClaimedDelivery,
    matrix: &MatrixConnection,
    room: &str,
) -> Result<u16, (Option<u16>, String)> {
    let body = body_of(delivery)?;
    let url = format!(
        "{}/_matrix/client/v3/rooms/{}/send/m.room.message/convene-{}",
        matrix.homeserver,
        domain::paths::encode_query_value(room),
        delivery.id
    );
    let request = client
        .put(url)
        .bearer_auth(&matrix.access_token)
        .header("content-type", "application/json")
        .body(body);
    answer_of(request).await
}

fn body_of(delivery: &ClaimedDelivery) -> Result<String, (Option<u16>, String)> {
    delivery
        .payload
        .clone()
        .ok_or((None, "the delivery has no body".to_owned()))
}

/// Sends `request`: the 2xx status, or the other status and the start of the answer.
async fn answer_of(request: reqwest::RequestBuilder) -> Result<u16, (Option<u16>, String)> {
    let response = request
        .send()
        .await
        .map_err(|e| (None, shorten(&without_url(&e))))?;
    let status = response.status();
    if status.is_success() {
        return Ok(status.as_u16());
    }
    let text = response.text().await.unwrap_or_default();
    Err((
        Some(status.as_u16()),
        shorten(&format!("answered {status}: {text}")),
    ))
}

/// reqwest's error without the address (it is on the page already, and may hold a token).
fn without_url(error: &reqwest::Error) -> String {
    let kind = if error.is_timeout() {
        "no answer in time"
    } else if error.is_connect() {
        "cannot connect"
    } else if error.is_redirect() {
        "redirected"
    } else {
        "request failed"
    };
    let mut source = std::error::Error::source(error);
    let mut detail = String::new();
    while let Some(cause) = source {
        detail = cause.to_string();
        source = cause.source();
    }
    if detail.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind}: {detail}")
    }
}

fn shorten(text: &str) -> String {
    text.chars().take(ERROR_MAX).collect()
}
