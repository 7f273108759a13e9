//! `/admin/organizers`: who may sign in and with which role (admins only), and
//! `/admin/account`: one's own password (everyone).

use app::model::AdminNotice;
use axum::Router;
use axum::extract::{Extension, Form, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::post;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use service::admin::{self, SignedIn};

use super::{AppState, answer, session_secret};
use crate::routes::extract::Found;

const ORGANIZERS_PAGE: &str = "/admin/organizers";
const ACCOUNT_PAGE: &str = "/admin/account";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(ORGANIZERS_PAGE, post(add))
        .route("/admin/account/password", post(change_password))
        .route("/admin/organizers/{id}/remove", post(remove))
        .route("/admin/organizers/{id}/role", post(set_role))
}

/// A new organizer with a first password (never sent back) and a role.
#[derive(Deserialize, Serialize)]
struct NewOrganizerFields {
    #[serde(default)]
    email: String,
    #[serde(default, skip_serializing)]
    password: String,
    #[serde(default)]
    role: String,
}

/// `POST /admin/organizers`
async fn add(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    headers: HeaderMap,
    Form(fields): Form<NewOrganizerFields>,
) -> Response {
    let new = admin::NewOrganizer {
        email: &fields.email,
        password: &fields.password,
        role: &fields.role,
    };
    let outcome = admin::create_organizer(&state.context.store, new, me.actor(), Utc::now())
        .await
        .map(|_| AdminNotice::OrganizerAdded);
    answer(&state, (&headers, &me), ORGANIZERS_PAGE, &fields, outcome).await
}

/// `POST /admin/organizers/{id}/remove`
async fn remove(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Found(id): Found<i64>,
    headers: HeaderMap,
) -> Response {
    let outcome = admin::remove_organizer(&state.context, &me, id, Utc::now())
        .await
        .map(|()| AdminNotice::OrganizerRemoved);
    answer(&state, (&headers, &me), ORGANIZERS_PAGE, &(), outcome).await
}

#[derive(Deserialize, Serialize)]
struct RoleFields {
    #[serde(default)]
    role: String,
}

/// `POST /admin/organizers/{id}/role`
async fn set_role(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Found(id): Found<i64>,
    headers: HeaderMap,
    Form(fields): Form<RoleFields>,
) -> Response {
    let outcome = admin::set_role(&state.context, &me, id, &fields.role, Utc::now())
        .await
        .map(|_| AdminNotice::RoleChanged);
    answer(&state, (&headers, &me), ORGANIZERS_PAGE, &fields, outcome).await
}

/// Changing one's own password: neither password is ever sent back.
#[derive(Deserialize)]
struct PasswordFields {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

/// `POST /admin/account/password`
async fn change_password(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    headers: HeaderMap,
    Form(fields): Form<PasswordFields>,
) -> Response {
    let secret = session_secret(&headers).unwrap_or_default();
    let outcome = admin::change_password(
        &state.context,
        &me,
        &secret,
        (&fields.current_password, &fields.new_password),
        Utc::now(),
    )
    .await
    .map(|()| AdminNotice::PasswordChanged);
    answer(&state, (&headers, &me), ACCOUNT_PAGE, &(), outcome).await
}
