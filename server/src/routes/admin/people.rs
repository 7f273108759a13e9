//! `/admin/events/{slug}/registrations/{id}`: one person's registration: a seat by hand,
//! cancelling, resending their link, checking them in.

use app::model::{AdminNotice, admin_event_href};
use axum::Router;
use axum::extract::{Extension, Form, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::post;
use chrono::Utc;
use domain::EventSlug;
use serde::{Deserialize, Serialize};
use service::admin::{self, SignedIn};

use super::{AppState, answer};
use crate::routes::extract::Found;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/admin/events/{slug}/registrations/{id}/promote",
            post(promote),
        )
        .route(
            "/admin/events/{slug}/registrations/{id}/cancel",
            post(cancel),
        )
        .route(
            "/admin/events/{slug}/registrations/{id}/resend",
            post(resend),
        )
        .route(
            "/admin/events/{slug}/registrations/{id}/check-in",
            post(check_in),
        )
        .route("/admin/events/{slug}/registrations/{id}/erase", post(erase))
}

fn person_href(slug: &EventSlug, id: i64) -> String {
    format!("{}/registrations/{id}", admin_event_href(slug.as_str()))
}

/// Why a waiting person gets a seat by hand.
#[derive(Deserialize, Serialize)]
struct PromoteFields {
    #[serde(default)]
    reason: String,
}

/// `POST /admin/events/{slug}/registrations/{id}/promote`
async fn promote(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Found((slug, id)): Found<(EventSlug, i64)>,
    headers: HeaderMap,
    Form(fields): Form<PromoteFields>,
) -> Response {
    let outcome = admin::promote(&state.context, &me, &slug, id, &fields.reason, Utc::now())
        .await
        .map(|()| AdminNotice::Promoted);
    let page = person_href(&slug, id);
    answer(&state, (&headers, &me), &page, &fields, outcome).await
}

/// Whether the person is told by mail (`notify` ticked).
#[derive(Deserialize, Serialize)]
struct CancelFields {
    notify: Option<String>,
}

/// `POST /admin/events/{slug}/registrations/{id}/cancel`
async fn cancel(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Found((slug, id)): Found<(EventSlug, i64)>,
    headers: HeaderMap,
    Form(fields): Form<CancelFields>,
) -> Response {
    let notify = fields.notify.as_deref().is_some_and(domain::is_ticked);
    let outcome = admin::cancel(&state.context, &me, &slug, id, notify, Utc::now())
        .await
        .map(|()| AdminNotice::Cancelled);
    let page = person_href(&slug, id);
    answer(&state, (&headers, &me), &page, &fields, outcome).await
}

/// `POST /admin/events/{slug}/registrations/{id}/resend`
async fn resend(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Found((slug, id)): Found<(EventSlug, i64)>,
    headers: HeaderMap,
) -> Response {
    let outcome = admin::resend(&state.context, &me, &slug, id, Utc::now())
        .await
        .map(|()| AdminNotice::Resent);
    let page = person_href(&slug, id);
    answer(&state, (&headers, &me), &page, &(), outcome).await
}

/// Arrived (`arrived=true`, the default) or not after all (`false`); `back=check-in` returns to
/// the door list, searched as it was (`q`, `show`).
#[derive(Deserialize, Serialize)]
struct CheckInFields {
    arrived: Option<String>,
    back: Option<String>,
    #[serde(default)]
    q: String,
    show: Option<String>,
}

/// `POST /admin/events/{slug}/registrations/{id}/check-in`
async fn check_in(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Found((slug, id)): Found<(EventSlug, i64)>,
    headers: HeaderMap,
    Form(fields): Form<CheckInFields>,
) -> Response {
    let arrived = fields.arrived.as_deref() != Some("false");
    // Back at the door list, the browser keeps its place at the person just marked.
    let page = if fields.back.as_deref() == Some("check-in") {
        let show = app::model::DoorFilter::from_query(fields.show.as_deref());
        format!(
            "{}/check-in?q={}&show={}#person-{id}",
            admin_event_href(slug.as_str()),
            domain::paths::encode_query_value(&fields.q),
            show.as_str()
        )
    } else {
        person_href(&slug, id)
    };
    // An id that does not fit was refused before (no such registration).
    let person = u32::try_from(id).unwrap_or_default();
    let outcome = admin::check_in(&state.context, &me, &slug, id, arrived, Utc::now())
        .await
        .map(|()| {
            if arrived {
                AdminNotice::CheckedIn { person }
            } else {
                AdminNotice::CheckInUndone { person }
            }
        });
    answer(&state, (&headers, &me), &page, &fields, outcome).await
}

/// Erasing a person's data: the box must be ticked.
#[derive(Deserialize, Serialize)]
struct EraseFields {
    confirm: Option<String>,
}

/// `POST /admin/events/{slug}/registrations/{id}/erase`
async fn erase(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Found((slug, id)): Found<(EventSlug, i64)>,
    headers: HeaderMap,
    Form(fields): Form<EraseFields>,
) -> Response {
    let confirmed = fields.confirm.as_deref().is_some_and(domain::is_ticked);
    let outcome = match domain::admin::require_confirmation(confirmed) {
        Ok(()) => admin::erase(&state.context, &me, &slug, id, Utc::now())
            .await
            .map(|()| AdminNotice::Erased),
        Err(errors) => Err(admin::AdminError::Invalid(errors)),
    };
    let page = person_href(&slug, id);
    answer(&state, (&headers, &me), &page, &fields, outcome).await
}
