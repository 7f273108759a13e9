//! Plain HTML form posts and links, so registering, confirming and cancelling work without
//! JavaScript. Success redirects (303) to a page that says what happened; a rejected form is
//! rendered again in the response, with the values sent and a message next to each field.

use std::collections::BTreeMap;

use app::model::{LinkFailure, Notice, RegisterFailure, Submission, manage_href};
use app::shell;
use app::ssr::Flash;
use app::ssr::registration::{self, LinkError, RegisterError};
use axum::body::Body;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, Request, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use domain::{RegistrationForm, RegistrationStatus};
use leptos::prelude::provide_context;

use crate::routes::AppState;

/// Renders the page at `path` as a GET would (in the language the request asks for), with
/// `flash` available to it, under `status`.
async fn render_page(
    state: &AppState,
    headers: &HeaderMap,
    path: &str,
    flash: Flash,
    status: StatusCode,
) -> Response {
    let context = state.context.clone();
    let options = state.leptos_options.clone();
    let render = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(context.clone());
            provide_context(flash.clone());
        },
        move || shell(options.clone()),
    );
    let uri: Uri = path.parse().unwrap_or_else(|_| Uri::from_static("/"));
    let mut request = Request::new(Body::empty());
    *request.uri_mut() = uri;
    for name in [header::COOKIE, header::ACCEPT_LANGUAGE] {
        if let Some(value) = headers.get(&name) {
            request.headers_mut().insert(name, value.clone());
        }
    }
    request.headers_mut().insert(
        header::ACCEPT,
        header::HeaderValue::from_static("text/html"),
    );
    let mut response = render(request).await.into_response();
    *response.status_mut() = status;
    response
}

/// `POST /events/{slug}/register`: the registration form.
pub async fn register(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let values: BTreeMap<String, String> = fields.into_iter().collect();
    let text = |name: &str| values.get(name).cloned().filter(|v| !v.trim().is_empty());
    let form = RegistrationForm {
        name: values.get("name").cloned().unwrap_or_default(),
        email: values.get("email").cloned().unwrap_or_default(),
        organisation: text("organisation"),
        notes: text("notes"),
        answers: values
            .iter()
            .filter_map(|(k, v)| {
                k.strip_prefix("answers.")
                    .map(|k| (k.to_owned(), v.clone()))
            })
            .filter(|(_, v)| !v.trim().is_empty())
            .collect(),
        consent: values
            .get("consent")
            .is_some_and(|v| v == "on" || v == "true"),
        locale: values.get("locale").cloned(),
    };
    match registration::register(&state.context, &slug, &form, Utc::now()).await {
        Ok(admitted) => {
            let query = match (admitted.status, admitted.waitlist_position) {
                (RegistrationStatus::Waitlisted, Some(position)) => {
                    format!("status=waitlisted&position={position}")
                }
                _ => "status=pending_email".to_owned(),
            };
            Redirect::to(&format!("/events/{slug}/registered?{query}")).into_response()
        }
        Err(RegisterError::AlreadyRegistered) => {
            Redirect::to(&format!("/events/{slug}/registered?status=already")).into_response()
        }
        Err(error) => {
            let status = match &error {
                RegisterError::UnknownEvent => StatusCode::NOT_FOUND,
                RegisterError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
                RegisterError::Closed => StatusCode::GONE,
                RegisterError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
                _ => StatusCode::CONFLICT,
            };
            let (errors, failure) = match error {
                RegisterError::Invalid(fields) => (fields, RegisterFailure::Invalid),
                RegisterError::UnknownEvent => (Vec::new(), RegisterFailure::UnknownEvent),
                RegisterError::NotOffered => (Vec::new(), RegisterFailure::NotOffered),
                RegisterError::NotYetOpen(when) => (Vec::new(), RegisterFailure::NotYetOpen(when)),
                RegisterError::Closed => (Vec::new(), RegisterFailure::Closed),
                RegisterError::Full => (Vec::new(), RegisterFailure::Full),
                RegisterError::AlreadyRegistered => {
                    (Vec::new(), RegisterFailure::AlreadyRegistered)
                }
                RegisterError::Internal(_) => (Vec::new(), RegisterFailure::Internal),
            };
            let flash = Flash {
                submission: Some(Submission {
                    values,
                    errors,
                    failure: Some(failure),
                }),
                notice: None,
            };
            let path = format!("/events/{slug}/register");
            render_page(&state, &headers, &path, flash, status).await
        }
    }
}

/// `GET /r/{token}/confirm`: the link in the "confirm your seat" mail.
pub async fn confirm(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    match registration::confirm(&state.context, &token, Utc::now()).await {
        Ok(_) => Redirect::to(&format!("{}?notice=confirmed", manage_href(&token))).into_response(),
        Err(error) => link_error_page(&state, &headers, &token, &error).await,
    }
}

/// `POST /r/{token}/cancel`: the confirm step of "cancel my registration".
pub async fn cancel(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    match registration::cancel(&state.context, &token, Utc::now()).await {
        Ok(()) => {
            Redirect::to(&format!("{}?notice=cancelled", manage_href(&token))).into_response()
        }
        Err(error) => link_error_page(&state, &headers, &token, &error).await,
    }
}

/// The registration's page with a message saying why the link did nothing.
async fn link_error_page(
    state: &AppState,
    headers: &HeaderMap,
    token: &str,
    error: &LinkError,
) -> Response {
    let (status, failure) = match error {
        LinkError::Unknown => (StatusCode::NOT_FOUND, LinkFailure::Unknown),
        LinkError::AlreadyConfirmed => (StatusCode::CONFLICT, LinkFailure::AlreadyConfirmed),
        LinkError::Cancelled => (StatusCode::GONE, LinkFailure::Cancelled),
        LinkError::Expired => (StatusCode::GONE, LinkFailure::Expired),
        LinkError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, LinkFailure::Internal),
    };
    let flash = Flash {
        submission: None,
        notice: Some(Notice::Link(failure)),
    };
    render_page(state, headers, &manage_href(token), flash, status).await
}

/// `GET /lang/{tag}?next=/path`: remembers the language in the cookie the pages read, then goes
/// back. Works without JavaScript.
pub async fn switch_language(
    Path(tag): Path<String>,
    axum::extract::Query(query): axum::extract::Query<std::collections::BTreeMap<String, String>>,
) -> Response {
    let lang = domain::Lang::from_tag(&tag);
    // Only paths on this site: never redirect elsewhere.
    let next = query
        .get("next")
        .filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
        .cloned()
        .unwrap_or_else(|| "/".to_owned());
    let cookie = format!(
        "i18n_pref_locale={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.tag()
    );
    let mut response = Redirect::to(&next).into_response();
    if let Ok(value) = header::HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}
