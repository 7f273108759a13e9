//! For operators: liveness, readiness and metrics.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

use super::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(health))
        .route("/readyz", get(ready))
        .route("/metrics", get(metrics))
}

/// `GET /healthz`: 200 when the database answers, 503 otherwise.
async fn health(State(state): State<AppState>) -> Response {
    match state.context.store.ping().await {
        Ok(()) => (StatusCode::OK, Json(serde_json::json!({ "status": "ok" }))).into_response(),
        Err(error) => {
            tracing::warn!(%error, "health check failed");
            let body =
                Json(serde_json::json!({ "status": "unavailable", "database": "unreachable" }));
            (StatusCode::SERVICE_UNAVAILABLE, body).into_response()
        }
    }
}

/// `GET /readyz`: 200 when the database answers and has every migration of this build; 503
/// otherwise (a load balancer sends no traffic here until then).
async fn ready(State(state): State<AppState>) -> Response {
    match state.context.store.pending_migrations().await {
        Ok(0) => (
            StatusCode::OK,
            Json(serde_json::json!({ "status": "ready" })),
        )
            .into_response(),
        Ok(pending) => {
            let body =
                Json(serde_json::json!({ "status": "migrating", "pending_migrations": pending }));
            (StatusCode::SERVICE_UNAVAILABLE, body).into_response()
        }
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            let body =
                Json(serde_json::json!({ "status": "unavailable", "database": "unreachable" }));
            (StatusCode::SERVICE_UNAVAILABLE, body).into_response()
        }
    }
}

/// `GET /metrics`: Prometheus text format, for a scraper with the metrics token (404 without a
/// token configured, 401 without the right one).
async fn metrics(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    let Some(token) = state.metrics_token.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if !crate::security::has_bearer_token(&headers, token) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "The metrics need the metrics token.",
        )
            .into_response();
    }
    let outbox = match state.context.store.outbox_counts().await {
        Ok(counts) => counts,
        Err(error) => {
            tracing::warn!(%error, "cannot count the outbox for metrics");
            Vec::new()
        }
    };
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.context.metrics.render(&outbox),
    )
        .into_response()
}

/// Counts every request and its latency for `/metrics`.
pub async fn track_requests(
    State(metrics): State<std::sync::Arc<service::metrics::Metrics>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let method = request.method().to_string();
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    metrics.record_request(&method, response.status().as_u16(), started.elapsed());
    response
}
