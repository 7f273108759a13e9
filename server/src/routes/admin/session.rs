//! Signing in and out.

use app::model::AdminNotice;
use app::ssr::ClientAddress;
use axum::Router;
use axum::extract::{Extension, Form, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use service::admin;

use super::{AppState, refused, session_cookie, session_secret};
use crate::routes::with_cookie;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/sign-in", post(sign_in))
        .route("/admin/sign-out", post(sign_out))
}

/// The sign-in form. The password is never sent back, not even into the form it came from.
#[derive(Deserialize, Serialize)]
struct SignInFields {
    #[serde(default)]
    email: String,
    #[serde(default, skip_serializing)]
    password: String,
    /// The admin page to go to after signing in.
    next: Option<String>,
}

/// `POST /admin/sign-in`
async fn sign_in(
    State(state): State<AppState>,
    Extension(client): Extension<ClientAddress>,
    headers: HeaderMap,
    Form(fields): Form<SignInFields>,
) -> Response {
    let next = fields
        .next
        .as_deref()
        .and_then(|next| crate::security::local_path(next, &state.context.base_url))
        .filter(|next| {
            next == "/admin" || next.starts_with("/admin/") || next.starts_with("/admin?")
        })
        .unwrap_or_else(|| "/admin".to_owned());
    match admin::sign_in(
        &state.context,
        &fields.email,
        &fields.password,
        client.0,
        Utc::now(),
    )
    .await
    {
        Ok((secret, _)) => {
            let max_age = domain::admin::SESSION_LIFETIME.num_seconds();
            with_cookie(
                Redirect::to(&next).into_response(),
                &session_cookie(&state, &secret, max_age),
            )
        }
        Err(error) => {
            let path = format!(
                "/admin/sign-in?next={}",
                domain::paths::encode_query_value(&next)
            );
            refused(&state, &headers, &path, &fields, &error, None).await
        }
    }
}

/// `POST /admin/sign-out`
async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(secret) = session_secret(&headers)
        && let Err(error) = admin::sign_out(&state.context, &secret, Utc::now()).await
    {
        tracing::error!(%error, "sign-out failed");
    }
    let page = format!("/admin/sign-in?{}", AdminNotice::SignedOut.to_query());
    with_cookie(
        Redirect::to(&page).into_response(),
        &session_cookie(&state, "", 0),
    )
}
