//! Serving HTTP connections with limits, so that slow or idle clients cannot hold the server:
//! a request's head must arrive in time (which also ends idle keep-alive connections), its body
//! too, and only so many connections are served at once (the rest wait in the listen queue;
//! near the limit, answers close their connection to make room). On shutdown, no new connections are taken and open ones
//! finish the request in hand.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};

#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub header_timeout: Duration,
    pub max_connections: usize,
}

/// Reads a request's body before anything else runs: 408 when it has not arrived within the
/// limit (a client sending a byte now and then holds nothing for long), 413 when it is larger
/// than the site takes. Handlers then get the body at once; how long they take is their own.
pub async fn receive_in_time(
    State(limits): State<BodyLimits>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let refused = |status: StatusCode, message: &str| {
        // The JSON API answers in JSON, as it does for a malformed body.
        if parts.uri.path().starts_with("/api/") {
            let body = serde_json::json!({ "error": "invalid_body", "message": message });
            (status, axum::Json(body)).into_response()
        } else {
            (status, message.to_owned()).into_response()
        }
    };
    match tokio::time::timeout(limits.timeout, axum::body::to_bytes(body, limits.max_bytes)).await {
        Ok(Ok(bytes)) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Ok(Err(error)) => {
            let too_large = error
                .into_inner()
                .downcast_ref::<http_body_util::LengthLimitError>()
                .is_some();
            if too_large {
                refused(StatusCode::PAYLOAD_TOO_LARGE, "The request is too large.")
            } else {
                refused(StatusCode::BAD_REQUEST, "The request could not be read.")
            }
        }
        Err(_) => refused(
            StatusCode::REQUEST_TIMEOUT,
            "The request took too long to arrive.",
        ),
    }
}

/// How long a request's body may take to arrive, and how large it may be.
#[derive(Clone, Copy, Debug)]
pub struct BodyLimits {
    pub timeout: Duration,
    pub max_bytes: usize,
}

/// Serves `router` on `listener` until `shutdown` resolves, then lets open connections finish.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl std::future::Future<Output = ()>,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    // Dropped when shutdown starts: every connection then finishes gracefully.
    let (stop_connections, connections_stop) = watch::channel(());
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: wait instead of spinning.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let places = Arc::clone(&permits);
        let mut connections_stop = connections_stop.clone();
        tokio::spawn(async move {
            let service =
                hyper::service::service_fn(move |mut request: Request<hyper::body::Incoming>| {
                    request
                        .extensions_mut()
                        .insert(ConnectInfo::<SocketAddr>(peer));
                    let router = router.clone();
                    let places = Arc::clone(&places);
                    async move {
                        let response =
                            tower::ServiceExt::oneshot(router, request.map(Body::new)).await;
                        let mut response = response.unwrap_or_else(|never| match never {});
                        if places.available_permits() <= limits.max_connections / 8 {
                            // Nearly every place is taken (a rush): this connection closes after
                            // its answer, so that an idle keep-alive connection does not hold a
                            // place a waiting client needs (measured: with 2,000 clients at
                            // once, the last thousand waited the header timeout, 10 s).
                            response
                                .headers_mut()
                                .insert(header::CONNECTION, HeaderValue::from_static("close"));
                        }
                        Ok::<_, Infallible>(response)
                    }
                });
            let mut builder = Builder::new(TokioExecutor::new());
            builder
                .http1()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout);
            let connection = builder.serve_connection_with_upgrades(TokioIo::new(stream), service);
            let mut connection = std::pin::pin!(connection);
            tokio::select! {
                served = connection.as_mut() => {
                    if let Err(error) = served {
                        tracing::debug!(%error, "connection ended with an error");
                    }
                }
                _ = connections_stop.changed() => {
                    connection.as_mut().graceful_shutdown();
                    if let Err(error) = connection.await {
                        tracing::debug!(%error, "connection ended with an error");
                    }
                }
            }
            drop(permit);
        });
    }
    drop(listener);
    drop(stop_connections);
    // Every connection holds a permit until it is done.
    let _ = permits
        .acquire_many(u32::try_from(limits.max_connections).unwrap_or(u32::MAX))
        .await;
}

/// Whether the client address comes from the last `X-Forwarded-For` entry (behind a proxy)
/// or from the connection.
#[derive(Clone, Copy, Debug)]
pub struct BehindProxy(pub bool);

/// Records where a request came from, for rate limits.
pub async fn client_address(
    State(BehindProxy(behind_proxy)): State<BehindProxy>,
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip());
    let forwarded = behind_proxy
        .then(|| request.headers().get("x-forwarded-for"))
        .flatten()
        .and_then(|value| value.to_str().ok())
        .and_then(|list| list.rsplit(',').next())
        .and_then(|last| last.trim().parse::<std::net::IpAddr>().ok());
    request
        .extensions_mut()
        .insert(app::ssr::ClientAddress(forwarded.or(peer)));
    next.run(request).await
}
