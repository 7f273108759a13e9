//! Tickets at the door: reading a code on an event's scan page, and a ticket's own address
//! (what its QR code holds), which leads to the scan page of its event.

use app::model::{AdminNotice, admin_event_href};
use axum::Router;
use axum::extract::{Extension, Form, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use domain::EventSlug;
use domain::tickets::ScanResult;
use serde::{Deserialize, Serialize};
use service::admin::{AdminError, SignedIn};
use service::tickets;

use super::{AppState, refused};
use crate::routes::extract::Found;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/events/{slug}/scan", post(scan))
        .route("/admin/tickets/{code}", get(ticket))
}

/// The code as typed, or as the camera read it (the ticket's whole address will do).
#[derive(Deserialize, Serialize)]
struct ScanFields {
    #[serde(default)]
    code: String,
}

/// `POST /admin/events/{slug}/scan`: checks the ticket's holder in if they hold a seat; the scan
/// page then says in large type what the ticket is.
async fn scan(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Found(slug): Found<EventSlug>,
    headers: HeaderMap,
    Form(fields): Form<ScanFields>,
) -> Response {
    let page = format!("{}/scan", admin_event_href(slug.as_str()));
    match tickets::scan(&state.context, &me, &slug, &fields.code, Utc::now()).await {
        Ok(scanned) => {
            let mut shown = format!("{page}?code={}", scanned.code.as_str());
            if scanned.result == ScanResult::CheckedIn {
                shown.push('&');
                shown.push_str(&AdminNotice::TicketCheckedIn.to_query());
            }
            Redirect::to(&shown).into_response()
        }
        Err(error) => refused(&state, &headers, &page, &fields, &error, Some(&me)).await,
    }
}

/// `GET /admin/tickets/{code}`: a ticket's QR code opened with a phone's own camera app: the
/// scan page of the ticket's event, showing the ticket, where one tap checks its holder in.
async fn ticket(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Found(code): Found<String>,
    headers: HeaderMap,
) -> Response {
    match tickets::event_of(&state.context, &code).await {
        Ok(Some(slug)) => Redirect::to(&format!(
            "{}/scan?code={}",
            admin_event_href(slug.as_str()),
            domain::paths::encode_query_value(&code)
        ))
        .into_response(),
        Ok(None) => {
            refused(
                &state,
                &headers,
                "/admin",
                &(),
                &AdminError::NotFound,
                Some(&me),
            )
            .await
        }
        Err(error) => refused(&state, &headers, "/admin", &(), &error, Some(&me)).await,
    }
}
