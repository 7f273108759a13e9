//! Every route of the site, by resource: each module has its own `router()`, merged here with
//! the pages (Leptos) and the layers around them all.
//!
//! - [`ops`]: health, readiness, metrics
//! - [`feeds`]: calendar feeds
//! - [`api`]: the JSON API
//! - [`registration`], [`topics`], [`language`]: the public form posts and links
//! - [`admin`]: the guard and the organizers' form posts, by resource

pub mod admin;
mod api;
mod call;
mod conditional;
pub mod extract;
pub mod feeds;
mod language;
mod ops;
mod registration;
pub mod render;
mod topics;

use app::{App, shell};
use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRef};
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use service::Services;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::assets::Assets;
use crate::{MAX_BODY_BYTES, connections, security, server_fns};

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub context: Services,
    /// `/metrics` answers only to this bearer token; without one it is off.
    pub metrics_token: Option<std::sync::Arc<str>>,
    /// The calendar feeds last built.
    pub feeds: std::sync::Arc<feeds::FeedCache>,
    /// Where this build's bundle, stylesheet and scripts are served.
    pub assets: Assets,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// A `Set-Cookie` value: `HttpOnly`, `SameSite=Lax`, only for `path`, `Secure` when the site
/// is served over https.
fn cookie(state: &AppState, name: &str, value: &str, path: &str, max_age: i64) -> String {
    let secure = if state.context.base_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    format!("{name}={value}; Path={path}; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}")
}

fn with_cookie(mut response: axum::response::Response, cookie: &str) -> axum::response::Response {
    if let Ok(value) = axum::http::HeaderValue::from_str(cookie) {
        response
            .headers_mut()
            .append(axum::http::header::SET_COOKIE, value);
    }
    response
}

/// What the layers around every route need from the configuration.
pub struct Layers {
    pub behind_proxy: connections::BehindProxy,
    pub https: security::Https,
    pub body: connections::BodyLimits,
}

pub fn router(state: AppState, layers: Layers) -> Router {
    let context = state.context.clone();
    let metrics = state.context.metrics.clone();
    let options = state.leptos_options.clone();
    let assets = state.assets.root.clone();
    let fallback_assets = assets.clone();
    let provide_server_context = move || provide_context(context.clone());
    Router::new()
        .merge(ops::router())
        .merge(feeds::router())
        .merge(api::router())
        .merge(registration::router())
        .merge(topics::router())
        .merge(call::router())
        .merge(language::router())
        .merge(admin::router())
        // The bundle, straight from the site root: precompressed copies where they exist.
        .merge(
            state
                .assets
                .router(std::path::Path::new(&*state.leptos_options.site_root)),
        )
        .leptos_routes_with_context(
            &state,
            generate_route_list(App),
            provide_server_context.clone(),
            move || shell(options.clone(), assets.to_string()),
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(provide_server_context, move |options| {
            shell(options, fallback_assets.to_string())
        }))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            MAX_BODY_BYTES,
            server_fns::refuse_malformed,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            admin::guard,
        ))
        .layer(axum::middleware::from_fn(security::refuse_ambiguous_paths))
        .layer(axum::middleware::from_fn_with_state(
            layers.behind_proxy,
            connections::client_address,
        ))
        .layer(axum::middleware::from_fn_with_state(
            layers.https,
            security::security_headers,
        ))
        // Outside the security headers (which read the page for its nonce): brotli or gzip,
        // as the client accepts, for pages, JSON and feeds.
        .layer(CompressionLayer::new().compress_when(compressed_answers()))
        .layer(axum::middleware::from_fn_with_state(
            layers.body,
            connections::receive_in_time,
        ))
        .layer(axum::middleware::from_fn_with_state(
            metrics,
            ops::track_requests,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &axum::http::Request<_>| {
                    let path = redacted_path(request.uri().path());
                    tracing::info_span!("request", method = %request.method(), %path)
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

/// What is compressed on the way out: pages, JSON, feeds, CSS (small, made per request). Not
/// the wasm bundle and its JavaScript: compressing megabytes at every request costs seconds
/// of CPU (measured: 2.4 s for the debug bundle); they are to be compressed once, at build time.
fn compressed_answers() -> impl Predicate {
    DefaultPredicate::new()
        .and(NotForContentType::const_new("application/wasm"))
        .and(NotForContentType::const_new("text/javascript"))
        .and(NotForContentType::const_new("application/javascript"))
}

/// The request path as logged: secret manage links (`/r/{token}...`) lose their token.
fn redacted_path(path: &str) -> String {
    match path.strip_prefix("/r/") {
        Some(rest) => {
            let after_token = rest.find('/').map_or("", |i| &rest[i..]);
            format!("/r/[secret]{after_token}")
        }
        None => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_links_never_reach_the_log() {
        assert_eq!(redacted_path("/r/abc123/confirm"), "/r/[secret]/confirm");
        assert_eq!(redacted_path("/r/abc123"), "/r/[secret]");
        assert_eq!(redacted_path("/events/hackathon-3"), "/events/hackathon-3");
    }
}
