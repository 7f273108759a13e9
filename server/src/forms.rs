//! Plain HTML form posts and links, so registering, confirming and cancelling work without
//! JavaScript. Success redirects (303) to a page that says what happened; a rejected form is
//! rendered again in the response, with the values sent and a message next to each field.

use std::collections::BTreeMap;

use app::model::{Notice, Submission, manage_href};
use app::shell;
use app::ssr::Flash;
use app::ssr::registration::{self, LinkError, RegisterError};
use axum::body::Body;
use axum::extract::{Form, Path, State};
use axum::http::{Request, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use domain::{RegistrationForm, RegistrationStatus};
use leptos::prelude::provide_context;

use crate::routes::AppState;

/// Renders the page at `path` as a GET would, with `flash` available to it, under `status`.
async fn render_page(state: &AppState, path: &str, flash: Flash, status: StatusCode) -> Response {
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
        locale: None,
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
        Err(RegisterError::UnknownEvent) => {
            render_page(
                &state,
                &format!("/events/{slug}/register"),
                Flash::default(),
                StatusCode::NOT_FOUND,
            )
            .await
        }
        Err(error) => {
            let status = match &error {
                RegisterError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
                RegisterError::Closed => StatusCode::GONE,
                RegisterError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
                _ => StatusCode::CONFLICT,
            };
            let errors = match &error {
                RegisterError::Invalid(fields) => fields
                    .iter()
                    .map(|f| (f.field.key(), f.message()))
                    .collect(),
                _ => Vec::new(),
            };
            let flash = Flash {
                submission: Some(Submission {
                    values,
                    errors,
                    message: Some(error.to_string()),
                }),
                notice: None,
            };
            render_page(&state, &format!("/events/{slug}/register"), flash, status).await
        }
    }
}

/// `GET /r/{token}/confirm`: the link in the "confirm your seat" mail.
pub async fn confirm(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match registration::confirm(&state.context, &token, Utc::now()).await {
        Ok(_) => Redirect::to(&format!("{}?notice=confirmed", manage_href(&token))).into_response(),
        Err(error) => link_error_page(&state, &token, &error).await,
    }
}

/// `POST /r/{token}/cancel`: the confirm step of "cancel my registration".
pub async fn cancel(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match registration::cancel(&state.context, &token, Utc::now()).await {
        Ok(()) => {
            Redirect::to(&format!("{}?notice=cancelled", manage_href(&token))).into_response()
        }
        Err(error) => link_error_page(&state, &token, &error).await,
    }
}

/// The registration's page with a message saying why the link did nothing.
async fn link_error_page(state: &AppState, token: &str, error: &LinkError) -> Response {
    let status = match error {
        LinkError::Unknown => StatusCode::NOT_FOUND,
        LinkError::AlreadyConfirmed => StatusCode::CONFLICT,
        LinkError::Cancelled | LinkError::Expired => StatusCode::GONE,
        LinkError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let flash = Flash {
        submission: None,
        notice: Some(Notice {
            text: error.to_string(),
            is_error: !matches!(error, LinkError::AlreadyConfirmed),
        }),
    };
    render_page(state, &manage_href(token), flash, status).await
}
