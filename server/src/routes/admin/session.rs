//! Signing in and out.

use app::model::AdminNotice;
use app::ssr::ClientAddress;
use axum::Router;
use axum::extract::{Extension, Form, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use service::admin;
use service::sso::{self, ProviderAnswer};

use super::{AppState, refused, session_cookie, session_secret};
use crate::routes::with_cookie;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/sign-in", post(sign_in))
        .route("/admin/sign-out", post(sign_out))
        .route(SSO_START, get(sso_start))
        .route(sso::CALLBACK_PATH, get(sso_callback))
        .route(SSO_SIGN_OUT, get(sso_sign_out))
}

/// Where a single sign-on starts (the sign-in page's button), and where the provider's
/// end-session page is offered after signing out.
pub(super) const SSO_START: &str = "/admin/sso/start";
pub(super) const SSO_SIGN_OUT: &str = "/admin/sso/sign-out";

/// The cookie holding a sign-in on its way to the provider (`domain::sso::PendingSignIn`).
const PENDING_COOKIE: &str = "convene_sso";

fn pending_cookie(state: &AppState, value: &str, max_age: i64) -> String {
    super::super::cookie(state, PENDING_COOKIE, value, "/admin/sso", max_age)
}

/// The admin page to go to after signing in: a path of this site under `/admin`.
fn admin_page(next: Option<&str>, base_url: &str) -> String {
    next.and_then(|next| crate::security::local_path(next, base_url))
        .filter(|next| {
            next == "/admin" || next.starts_with("/admin/") || next.starts_with("/admin?")
        })
        .unwrap_or_else(|| "/admin".to_owned())
}

#[derive(Deserialize)]
struct StartQuery {
    next: Option<String>,
}

/// `GET /admin/sso/start`: off to the identity provider, with the pending sign-in in a cookie.
async fn sso_start(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<StartQuery>,
) -> Response {
    let next = admin_page(query.next.as_deref(), &state.context.base_url);
    match sso::begin(&state.context, &next).await {
        Ok((to, pending)) => with_cookie(
            Redirect::to(&to).into_response(),
            &pending_cookie(&state, &pending.to_cookie(), sso::PENDING_SECONDS),
        ),
        Err(error) => refused(&state, &headers, "/admin/sign-in", &(), &error, None).await,
    }
}

/// `GET /admin/sso/callback`: the provider's answer. Signed in, the organizer goes on to the
/// page they wanted; refused, the sign-in page says why. The pending sign-in is used up either
/// way.
async fn sso_callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(answer): Query<ProviderAnswer>,
) -> Response {
    let pending = app::ssr::cookie(&headers, PENDING_COOKIE)
        .and_then(domain::sso::PendingSignIn::from_cookie);
    let used_up = pending_cookie(&state, "", 0);
    match sso::finish(&state.context, pending, &answer, Utc::now()).await {
        Ok(signed_in) => {
            let max_age = domain::admin::SESSION_LIFETIME.num_seconds();
            let response = with_cookie(
                Redirect::to(&signed_in.next).into_response(),
                &session_cookie(&state, &signed_in.session_secret, max_age),
            );
            with_cookie(response, &used_up)
        }
        Err(error) => with_cookie(
            refused(&state, &headers, "/admin/sign-in", &(), &error, None).await,
            &used_up,
        ),
    }
}

/// `GET /admin/sso/sign-out`: on to the provider's end-session page (offered once signed out
/// here), or back to the sign-in page when the provider has none.
async fn sso_sign_out(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match sso::end_session_url(&state.context).await {
        Ok(Some(to)) => Redirect::to(&to).into_response(),
        Ok(None) => Redirect::to("/admin/sign-in").into_response(),
        Err(error) => refused(&state, &headers, "/admin/sign-in", &(), &error, None).await,
    }
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
    let next = admin_page(fields.next.as_deref(), &state.context.base_url);
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
