//! `/admin`: the guard in front of every organizer page, form post and server function, and
//! the organizers' form posts, by resource. The guard admits a request only with a valid
//! session cookie whose organizer's role includes the path's area (`domain::admin::AdminArea`),
//! and a state-changing one only from this site's own pages (Origin check).

mod agenda;
mod events;
mod mail;
mod organizers;
mod people;
mod session;
mod tickets;
mod topics;
mod webhooks;

use app::model::AdminNotice;
use app::ssr::{Flash, admin_views};
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use domain::admin::AdminArea;
use serde::Serialize;
use service::admin::{self, AdminError, SESSION_COOKIE, SignedIn};

use super::AppState;
use super::extract::shown_back;
use super::render::{render_page_as, with_retry_after};
use crate::errors::HttpError;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(session::router())
        .merge(agenda::router())
        .merge(organizers::router())
        .merge(events::router())
        .merge(people::router())
        .merge(tickets::router())
        .merge(topics::router())
        .merge(mail::router())
        .merge(webhooks::router())
}

/// Pages and posts under `/admin` that need no session.
fn is_public(method: &Method, path: &str) -> bool {
    let single_sign_on = [
        session::SSO_START,
        service::sso::CALLBACK_PATH,
        session::SSO_SIGN_OUT,
    ];
    (path == "/admin/sign-in" && (method == Method::GET || method == Method::POST))
        || (single_sign_on.contains(&path) && method == Method::GET)
}

/// The session secret in the request's cookies.
fn session_secret(headers: &HeaderMap) -> Option<String> {
    app::ssr::cookie(headers, SESSION_COOKIE).map(str::to_owned)
}

/// Whether a state-changing request comes from this site's own pages: its `Origin` (or, when
/// a browser sends none, its `Referer`) must be the site's public URL.
fn same_origin(headers: &HeaderMap, base_url: &str) -> bool {
    let origin = |url: &str| -> Option<String> {
        let (scheme, rest) = url.split_once("://")?;
        let host = rest.split('/').next()?;
        Some(format!("{scheme}://{host}").to_lowercase())
    };
    let Some(ours) = origin(base_url) else {
        return false;
    };
    let header_value = |name| headers.get(name).and_then(|v| v.to_str().ok());
    match (header_value(header::ORIGIN), header_value(header::REFERER)) {
        (Some(theirs), _) => theirs.to_lowercase() == ours,
        (None, Some(referer)) => origin(referer).is_some_and(|theirs| theirs == ours),
        (None, None) => false,
    }
}

/// Guards `/admin`: pages without a session redirect to the sign-in page, other requests get
/// 401; cross-site posts get 403, and so does what the organizer's role does not include. The
/// organizer is put into the request for what follows.
pub async fn guard(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    if !(path == "/admin" || path.starts_with("/admin/")) {
        return next.run(request).await;
    }
    let method = request.method().clone();
    let reads = method == Method::GET || method == Method::HEAD;
    if !reads && !same_origin(request.headers(), &state.context.base_url) {
        return (
            StatusCode::FORBIDDEN,
            "This request did not come from this site's own pages.",
        )
            .into_response();
    }
    let signed_in = match session_secret(request.headers()) {
        Some(secret) => match admin::session(&state.context, &secret, Utc::now()).await {
            Ok(found) => found,
            Err(error) => {
                tracing::error!(%error, "session lookup failed");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        },
        None => None,
    };
    match signed_in {
        Some(organizer) if !organizer.role.may(AdminArea::of(&path)) => {
            not_your_role(&state, request.headers(), &organizer, reads, &path).await
        }
        Some(organizer) => {
            request.extensions_mut().insert(organizer);
            next.run(request).await
        }
        None if is_public(&method, &path) => next.run(request).await,
        None if reads => {
            let target = request
                .uri()
                .path_and_query()
                .map_or("/admin", |p| p.as_str())
                .to_owned();
            let next = domain::paths::encode_query_value(&target);
            Redirect::to(&format!("/admin/sign-in?next={next}")).into_response()
        }
        None => (StatusCode::UNAUTHORIZED, "Sign in as an organizer first.").into_response(),
    }
}

/// The answer to an organizer whose role does not include what they asked for (403): a page
/// shows the list of events with the reason, anything else gets the reason alone.
async fn not_your_role(
    state: &AppState,
    headers: &HeaderMap,
    organizer: &SignedIn,
    reads: bool,
    path: &str,
) -> Response {
    let error = AdminError::NotYourRole(organizer.role);
    if reads && !path.starts_with("/admin/api/") {
        refused(state, headers, "/admin", &(), &error, Some(organizer)).await
    } else {
        (StatusCode::FORBIDDEN, error.to_string()).into_response()
    }
}

fn session_cookie(state: &AppState, value: &str, max_age: i64) -> String {
    super::cookie(state, SESSION_COOKIE, value, "/admin", max_age)
}

/// Renders `path` again with what went wrong and the form as it was sent, under the error's
/// status.
async fn refused(
    state: &AppState,
    headers: &HeaderMap,
    path: &str,
    form: &impl Serialize,
    error: &AdminError,
    organizer: Option<&SignedIn>,
) -> Response {
    let (notice, submission) = admin_views::failure(error, shown_back(form));
    let flash = Flash {
        submission: Some(submission),
        admin_notice: Some(notice),
        ..Flash::default()
    };
    let response = render_page_as(
        state,
        headers,
        path,
        flash,
        error.status(),
        organizer.cloned(),
    )
    .await;
    with_retry_after(response, error.retry_after())
}

/// Where an organizer's action went: back to `page` saying what it did, or the page again with
/// the problem and the form.
async fn answer(
    state: &AppState,
    (headers, organizer): (&HeaderMap, &SignedIn),
    page: &str,
    form: &impl Serialize,
    outcome: Result<AdminNotice, AdminError>,
) -> Response {
    // The notice's query goes before a `#place` on the page.
    let (path, place) = page
        .split_once('#')
        .map_or((page, None), |(p, f)| (p, Some(f)));
    match outcome {
        Ok(notice) => {
            let place = place.map(|f| format!("#{f}")).unwrap_or_default();
            let join = if path.contains('?') { '&' } else { '?' };
            Redirect::to(&format!("{path}{join}{}{place}", notice.to_query())).into_response()
        }
        Err(error) => refused(state, headers, path, form, &error, Some(organizer)).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(name, value.parse().expect("header"));
        }
        map
    }

    #[test]
    fn only_this_sites_pages_may_post() {
        let base = "https://events.example.org";
        assert!(same_origin(
            &headers(&[(header::ORIGIN, "https://events.example.org")]),
            base
        ));
        assert!(!same_origin(
            &headers(&[(header::ORIGIN, "https://evil.example")]),
            base
        ));
        assert!(!same_origin(
            &headers(&[(header::ORIGIN, "http://events.example.org")]),
            base
        ));
        assert!(same_origin(
            &headers(&[(header::REFERER, "https://events.example.org/admin/events/x")]),
            base
        ));
        assert!(!same_origin(
            &headers(&[(header::REFERER, "https://events.example.org.evil.example/")]),
            base
        ));
        assert!(!same_origin(&HeaderMap::new(), base), "no origin at all");
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let map = headers(&[(
            header::COOKIE,
            "i18n_pref_locale=de; convene_session=abc; other=1",
        )]);
        assert_eq!(session_secret(&map).as_deref(), Some("abc"));
        assert_eq!(session_secret(&HeaderMap::new()), None);
    }
}
