//! Answering a form post with a page: a refused form is rendered again in the response, as a
//! GET of its page would render it, with the values sent and a message next to each field.

use app::shell;
use app::ssr::Flash;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use leptos::prelude::provide_context;

use crate::routes::AppState;

/// Renders the page at `path` as a GET would (in the language the request asks for), with
/// `flash` available to it, under `status`.
pub async fn render_page(
    state: &AppState,
    headers: &HeaderMap,
    path: &str,
    flash: Flash,
    status: StatusCode,
) -> Response {
    render_page_as(state, headers, path, flash, status, None).await
}

/// [`render_page`] for a signed-in organizer (admin pages read who it is from the request).
pub async fn render_page_as(
    state: &AppState,
    headers: &HeaderMap,
    path: &str,
    flash: Flash,
    status: StatusCode,
    organizer: Option<service::admin::SignedIn>,
) -> Response {
    // A form says which language it was shown in: answer in that one, whatever else the
    // request's headers say.
    let form_lang = flash
        .submission
        .as_ref()
        .and_then(|s| s.values.get("locale"))
        .map(|tag| domain::Lang::from_tag(tag));
    let context = state.context.clone();
    let options = state.leptos_options.clone();
    let assets = state.assets.root.clone();
    let render = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(context.clone());
            provide_context(flash.clone());
        },
        move || shell(options.clone(), assets.to_string()),
    );
    let uri: Uri = path.parse().unwrap_or_else(|_| Uri::from_static("/"));
    let mut request = Request::new(Body::empty());
    *request.uri_mut() = uri;
    for name in [header::COOKIE, header::ACCEPT_LANGUAGE] {
        if let Some(value) = headers.get(&name) {
            request.headers_mut().insert(name, value.clone());
        }
    }
    if let Some(lang) = form_lang {
        let cookie = format!("i18n_pref_locale={}", lang.tag());
        if let Ok(value) = header::HeaderValue::from_str(&cookie) {
            request.headers_mut().insert(header::COOKIE, value);
        }
    }
    request.headers_mut().insert(
        header::ACCEPT,
        header::HeaderValue::from_static("text/html"),
    );
    if let Some(organizer) = organizer {
        request.extensions_mut().insert(organizer);
    }
    let mut response = render(request).await.into_response();
    *response.status_mut() = status;
    response
}

/// Adds `Retry-After` (in seconds) to a "too many requests" answer.
pub fn with_retry_after(mut response: Response, seconds: Option<u64>) -> Response {
    if let Some(seconds) = seconds {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
    }
    response
}
