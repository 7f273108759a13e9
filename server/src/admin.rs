//! `/admin`: the guard in front of every organizer page, form post and server function, and
//! the organizers' form posts. The guard admits a request only with a valid session cookie,
//! and a state-changing one only from this site's own pages (Origin check).

use std::collections::BTreeMap;

use app::model::admin_event_href;
use app::ssr::Flash;
use app::ssr::admin_views;
use axum::extract::{Extension, Form, Path, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use service::admin::{self, AdminError, SESSION_COOKIE, SignedIn};

use crate::errors::HttpError;
use service::topics::{self, Moderation};

use crate::forms::render_page_as;
use crate::routes::AppState;

/// Pages and posts under `/admin` that need no session.
fn is_public(method: &Method, path: &str) -> bool {
    path == "/admin/sign-in" && (method == Method::GET || method == Method::POST)
}

/// The session secret in the request's cookies.
fn session_secret(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .filter_map(|cookie| cookie.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
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
/// 401; cross-site posts get 403. The organizer is put into the request for what follows.
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
            let next = form_urlencoded_value(&target);
            Redirect::to(&format!("/admin/sign-in?next={next}")).into_response()
        }
        None => (StatusCode::UNAUTHORIZED, "Sign in as an organizer first.").into_response(),
    }
}

/// Percent-encodes a value for a query string.
fn form_urlencoded_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn session_cookie(state: &AppState, value: &str, max_age: i64) -> String {
    let secure = if state.context.base_url.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{SESSION_COOKIE}={value}; Path=/admin; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"
    )
}

fn with_cookie(mut response: Response, cookie: &str) -> Response {
    if let Ok(value) = header::HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// Renders `path` again with what went wrong, under the error's status.
async fn refused(
    state: &AppState,
    headers: &HeaderMap,
    path: &str,
    values: BTreeMap<String, String>,
    error: &AdminError,
    organizer: Option<&SignedIn>,
) -> Response {
    let (notice, submission) = admin_views::failure(error, values);
    let flash = Flash {
        submission: Some(submission),
        admin_notice: Some(notice),
        ..Flash::default()
    };
    let status = error.status();
    let response = render_page_as(state, headers, path, flash, status, organizer.cloned()).await;
    crate::forms::with_retry_after(response, error.retry_after())
}

/// `POST /admin/sign-in`
pub async fn sign_in(
    State(state): State<AppState>,
    Extension(client): Extension<app::ssr::ClientAddress>,
    headers: HeaderMap,
    Form(mut values): Form<BTreeMap<String, String>>,
) -> Response {
    let email = values.get("email").cloned().unwrap_or_default();
    // A password is never sent back, not even into the form it came from.
    let password = values.remove("password").unwrap_or_default();
    let next = values
        .get("next")
        .and_then(|next| crate::security::local_path(next, &state.context.base_url))
        .filter(|next| {
            next == "/admin" || next.starts_with("/admin/") || next.starts_with("/admin?")
        })
        .unwrap_or_else(|| "/admin".to_owned());
    match admin::sign_in(&state.context, &email, &password, client.0, Utc::now()).await {
        Ok((secret, _)) => {
            let max_age = domain::admin::SESSION_LIFETIME.num_seconds();
            with_cookie(
                Redirect::to(&next).into_response(),
                &session_cookie(&state, &secret, max_age),
            )
        }
        Err(error) => {
            let path = format!("/admin/sign-in?next={}", form_urlencoded_value(&next));
            refused(&state, &headers, &path, values, &error, None).await
        }
    }
}

/// `POST /admin/sign-out`
pub async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(secret) = session_secret(&headers)
        && let Err(error) = admin::sign_out(&state.context, &secret, Utc::now()).await
    {
        tracing::error!(%error, "sign-out failed");
    }
    with_cookie(
        Redirect::to("/admin/sign-in?notice=signed_out").into_response(),
        &session_cookie(&state, "", 0),
    )
}

const ORGANIZERS_PAGE: &str = "/admin/organizers";

/// `POST /admin/organizers` with `email` and a first `password`.
pub async fn add_organizer(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    headers: HeaderMap,
    Form(mut values): Form<BTreeMap<String, String>>,
) -> Response {
    let password = values.remove("password").unwrap_or_default();
    let email = values.get("email").cloned().unwrap_or_default();
    let outcome = admin::create_organizer(&state.context.store, &email, &password, Utc::now())
        .await
        .map(|_| "notice=organizer_added".to_owned());
    answer(&state, (&headers, &me), ORGANIZERS_PAGE, values, outcome).await
}

/// `POST /admin/organizers/{id}/remove`
pub async fn remove_organizer(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    let outcome = admin::remove_organizer(&state.context, &me, id, Utc::now())
        .await
        .map(|()| "notice=organizer_removed".to_owned());
    answer(
        &state,
        (&headers, &me),
        ORGANIZERS_PAGE,
        BTreeMap::new(),
        outcome,
    )
    .await
}

/// `POST /admin/organizers/password` with `current_password` and `new_password` (neither is
/// ever sent back into the form).
pub async fn change_password(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    headers: HeaderMap,
    Form(values): Form<BTreeMap<String, String>>,
) -> Response {
    let secret = session_secret(&headers).unwrap_or_default();
    let given = |name: &str| values.get(name).map_or("", String::as_str);
    let outcome = admin::change_password(
        &state.context,
        &me,
        &secret,
        (given("current_password"), given("new_password")),
        Utc::now(),
    )
    .await
    .map(|()| "notice=password_changed".to_owned());
    answer(
        &state,
        (&headers, &me),
        ORGANIZERS_PAGE,
        BTreeMap::new(),
        outcome,
    )
    .await
}

/// Where an action on an event went: back to `page` with a notice, or the page again with the
/// problem.
async fn answer(
    state: &AppState,
    (headers, organizer): (&HeaderMap, &SignedIn),
    page: &str,
    values: BTreeMap<String, String>,
    outcome: Result<String, AdminError>,
) -> Response {
    match outcome {
        Ok(query) => Redirect::to(&format!("{page}?{query}")).into_response(),
        Err(error) => refused(state, headers, page, values, &error, Some(organizer)).await,
    }
}

/// `POST /admin/events/{slug}/capacity`
pub async fn capacity(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Form(values): Form<BTreeMap<String, String>>,
) -> Response {
    let input = values.get("capacity").cloned().unwrap_or_default();
    let outcome = admin::set_capacity(&state.context, &me, &slug, &input, Utc::now())
        .await
        .map(|promoted| format!("notice=capacity&count={promoted}"));
    answer(
        &state,
        (&headers, &me),
        &admin_event_href(&slug),
        values,
        outcome,
    )
    .await
}

/// `POST /admin/events/{slug}/registration` with `open=true|false`.
pub async fn registration_window(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Form(values): Form<BTreeMap<String, String>>,
) -> Response {
    let open = values.get("open").map(String::as_str) == Some("true");
    let outcome = admin::set_registration_open(&state.context, &me, &slug, open, Utc::now())
        .await
        .map(|()| format!("notice={}", if open { "opened" } else { "closed" }));
    answer(
        &state,
        (&headers, &me),
        &admin_event_href(&slug),
        values,
        outcome,
    )
    .await
}

/// `POST /admin/events/{slug}/broadcast` with `subject`, `message`, `seated=on`, `waiting=on`.
pub async fn broadcast(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Form(values): Form<BTreeMap<String, String>>,
) -> Response {
    let field = |name: &str| values.get(name).cloned().unwrap_or_default();
    let checked = |name: &str| values.get(name).is_some_and(|v| domain::is_ticked(v));
    let outcome = match domain::admin::validate_broadcast(
        &field("subject"),
        &field("message"),
        checked("seated"),
        checked("waiting"),
    ) {
        Ok(message) => admin::broadcast(&state.context, &me, &slug, &message, Utc::now())
            .await
            .map(|sent| format!("notice=broadcast&count={sent}")),
        Err(errors) => Err(AdminError::Invalid(errors)),
    };
    answer(
        &state,
        (&headers, &me),
        &admin_event_href(&slug),
        values,
        outcome,
    )
    .await
}

/// `POST /admin/events`: a new event from the event form.
pub async fn create_event(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    headers: HeaderMap,
    Form(values): Form<BTreeMap<String, String>>,
) -> Response {
    match admin::save_event(&state.context, &me, None, &values, Utc::now()).await {
        Ok(slug) => Redirect::to(&format!(
            "{}/edit?notice=event_saved",
            admin_event_href(&slug)
        ))
        .into_response(),
        Err(error) => {
            refused(
                &state,
                &headers,
                "/admin/events/new",
                values,
                &error,
                Some(&me),
            )
            .await
        }
    }
}

/// `POST /admin/events/{slug}/edit`
pub async fn edit_event(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Form(values): Form<BTreeMap<String, String>>,
) -> Response {
    match admin::save_event(&state.context, &me, Some(&slug), &values, Utc::now()).await {
        Ok(saved) => Redirect::to(&format!(
            "{}/edit?notice=event_saved",
            admin_event_href(&saved)
        ))
        .into_response(),
        Err(error) => {
            let page = format!("{}/edit", admin_event_href(&slug));
            refused(&state, &headers, &page, values, &error, Some(&me)).await
        }
    }
}

/// `POST /admin/events/{slug}/occurrence`: cancel, move or restore one date of a series.
pub async fn change_occurrence(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Form(values): Form<BTreeMap<String, String>>,
) -> Response {
    let page = format!("{}/edit", admin_event_href(&slug));
    let outcome = admin::change_occurrence(&state.context, &me, &slug, &values, Utc::now())
        .await
        .map(|()| "notice=occurrence_changed".to_owned());
    answer(&state, (&headers, &me), &page, values, outcome).await
}

/// `POST /admin/events/{slug}/cancel` with `confirm=on` and an optional `message`: calls the
/// whole event off and mails everyone registered.
pub async fn cancel_event(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Form(values): Form<BTreeMap<String, String>>,
) -> Response {
    let page = format!("{}/edit", admin_event_href(&slug));
    let message = values.get("message").map_or("", String::as_str);
    let confirmed = values.get("confirm").is_some_and(|v| domain::is_ticked(v));
    let outcome = admin::cancel_event(&state.context, &me, &slug, (message, confirmed), Utc::now())
        .await
        .map(|mailed| format!("notice=event_cancelled&count={mailed}"));
    answer(&state, (&headers, &me), &page, values, outcome).await
}

/// `POST /admin/events/{slug}/delete`: only for an event nobody registered for.
pub async fn delete_event(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Response {
    match admin::delete_event(&state.context, &slug).await {
        Ok(()) => Redirect::to("/admin?notice=event_deleted").into_response(),
        Err(error) => {
            let page = format!("{}/edit", admin_event_href(&slug));
            refused(&state, &headers, &page, BTreeMap::new(), &error, Some(&me)).await
        }
    }
}

fn person_href(slug: &str, id: i64) -> String {
    format!("{}/registrations/{id}", admin_event_href(slug))
}

/// `POST /admin/events/{slug}/registrations/{id}/promote` with a `reason`.
pub async fn promote(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Path((slug, id)): Path<(String, i64)>,
    headers: HeaderMap,
    Form(values): Form<BTreeMap<String, String>>,
) -> Response {
    let reason = values.get("reason").cloned().unwrap_or_default();
    let outcome = admin::promote(&state.context, &me, &slug, id, &reason, Utc::now())
        .await
        .map(|()| "notice=promoted".to_owned());
    answer(
        &state,
        (&headers, &me),
        &person_href(&slug, id),
        values,
        outcome,
    )
    .await
}

/// `POST /admin/events/{slug}/registrations/{id}/cancel` (`notify=on` mails the person).
pub async fn cancel(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Path((slug, id)): Path<(String, i64)>,
    headers: HeaderMap,
    Form(values): Form<BTreeMap<String, String>>,
) -> Response {
    let notify = values.get("notify").is_some_and(|v| domain::is_ticked(v));
    let outcome = admin::cancel(&state.context, &me, &slug, id, notify, Utc::now())
        .await
        .map(|()| "notice=cancelled".to_owned());
    answer(
        &state,
        (&headers, &me),
        &person_href(&slug, id),
        values,
        outcome,
    )
    .await
}

/// `POST /admin/events/{slug}/registrations/{id}/resend`
pub async fn resend(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Path((slug, id)): Path<(String, i64)>,
    headers: HeaderMap,
) -> Response {
    let outcome = admin::resend(&state.context, &me, &slug, id, Utc::now())
        .await
        .map(|()| "notice=resent".to_owned());
    answer(
        &state,
        (&headers, &me),
        &person_href(&slug, id),
        BTreeMap::new(),
        outcome,
    )
    .await
}

/// `POST /admin/events/{slug}/registrations/{id}/check-in` with `arrived=true|false` (and
/// `back=check-in` to return to the door list).
pub async fn check_in(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Path((slug, id)): Path<(String, i64)>,
    headers: HeaderMap,
    Form(values): Form<BTreeMap<String, String>>,
) -> Response {
    let arrived = values.get("arrived").map(String::as_str) != Some("false");
    let page = if values.get("back").map(String::as_str) == Some("check-in") {
        format!("{}/check-in", admin_event_href(&slug))
    } else {
        person_href(&slug, id)
    };
    let outcome = admin::check_in(&state.context, &me, &slug, id, arrived, Utc::now())
        .await
        .map(|()| {
            let notice = if arrived {
                "checked_in"
            } else {
                "check_in_undone"
            };
            format!("notice={notice}")
        });
    answer(&state, (&headers, &me), &page, values, outcome).await
}

/// `GET /admin/events/{slug}/registrations.csv`
pub async fn export_csv(State(state): State<AppState>, Path(slug): Path<String>) -> Response {
    match admin::registrations_csv(&state.context, &slug).await {
        Ok(csv) => {
            let disposition = format!("attachment; filename=\"{slug}-registrations.csv\"");
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                    (header::CONTENT_DISPOSITION, disposition),
                    (header::CACHE_CONTROL, "no-store".to_owned()),
                ],
                csv,
            )
                .into_response()
        }
        Err(error) => {
            let status = error.status();
            (status, error.to_string()).into_response()
        }
    }
}

/// `POST /admin/mail/{id}/retry`
pub async fn retry_mail(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    let outcome = admin::retry_mail(&state.context, id, Utc::now())
        .await
        .map(|()| "notice=retried".to_owned());
    answer(
        &state,
        (&headers, &me),
        "/admin/mail",
        BTreeMap::new(),
        outcome,
    )
    .await
}

fn topics_href(slug: &str) -> String {
    format!("{}/topics", admin_event_href(slug))
}

/// What a moderation led to: back to the topics with a notice, or the page with the problem.
async fn moderation_answer(
    state: &AppState,
    (headers, organizer): (&HeaderMap, &SignedIn),
    slug: &str,
    values: BTreeMap<String, String>,
    outcome: Result<&str, domain::TopicError>,
) -> Response {
    let page = topics_href(slug);
    match outcome {
        Ok(notice) => Redirect::to(&format!("{page}?notice={notice}")).into_response(),
        Err(error) => {
            let (notice, submission) = admin_views::topic_failure(&error, values);
            let flash = Flash {
                submission: Some(submission),
                admin_notice: Some(notice),
                ..Flash::default()
            };
            let status = error.status();
            render_page_as(
                state,
                headers,
                &page,
                flash,
                status,
                Some(organizer.clone()),
            )
            .await
        }
    }
}

/// `POST /admin/events/{slug}/topics/{id}/{accept|hide|merge}`
pub async fn moderate_topic(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Path((slug, id, action)): Path<(String, i64, String)>,
    headers: HeaderMap,
    Form(values): Form<BTreeMap<String, String>>,
) -> Response {
    let field = |name: &str| values.get(name).cloned().unwrap_or_default();
    let (moderation, notice) = match action.as_str() {
        "accept" => (Moderation::Accept, "topic_accepted"),
        "hide" => (
            Moderation::Hide {
                reason: field("reason"),
            },
            "topic_hidden",
        ),
        "merge" => match field("target").parse() {
            Ok(target) => (Moderation::MergeInto { target }, "topic_merged"),
            Err(_) => {
                return (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "Choose a topic to merge into.",
                )
                    .into_response();
            }
        },
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let outcome = match topics::collecting_event(&state.context, &slug).await {
        Ok(event) => topics::moderate(
            &state.context,
            me.actor(),
            event,
            id,
            moderation,
            Utc::now(),
        )
        .await
        .map(|()| notice),
        Err(error) => Err(error),
    };
    moderation_answer(&state, (&headers, &me), &slug, values, outcome).await
}

/// `POST /admin/events/{slug}/topics/order` with `position.{topic}=place`.
pub async fn order_topics(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Form(values): Form<BTreeMap<String, String>>,
) -> Response {
    let places: Vec<(i64, String)> = values
        .iter()
        .filter_map(|(key, place)| {
            Some((key.strip_prefix("position.")?.parse().ok()?, place.clone()))
        })
        .collect();
    let outcome = match topics::collecting_event(&state.context, &slug).await {
        Ok(event) => {
            topics::reorder_by_places(&state.context, me.actor(), event, &places, Utc::now())
                .await
                .map(|()| "agenda_ordered")
        }
        Err(error) => Err(error),
    };
    moderation_answer(&state, (&headers, &me), &slug, values, outcome).await
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
