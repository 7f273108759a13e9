//! `/admin/webhooks` (admins): register, resume and remove the endpoints other tools listen at.

use app::model::AdminNotice;
use axum::Router;
use axum::extract::{Extension, Form, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::post;
use chrono::Utc;
use domain::webhooks::EndpointInput;
use serde::Serialize;
use service::admin::SignedIn;
use service::webhooks;

use super::{AppState, answer};
use crate::routes::extract::Found;

const WEBHOOKS_PAGE: &str = "/admin/webhooks";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(WEBHOOKS_PAGE, post(add))
        .route("/admin/webhooks/{id}/resume", post(resume))
        .route("/admin/webhooks/{id}/remove", post(remove))
}

/// The form as it is shown back: the ticked types as one line of words.
#[derive(Serialize)]
struct EndpointFields {
    url: String,
    description: String,
    kinds: String,
    personal_data: String,
}

/// `POST /admin/webhooks` (`kinds` once per ticked type).
async fn add(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let value = |name: &str| {
        fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .unwrap_or_default()
    };
    let kinds: Vec<String> = fields
        .iter()
        .filter(|(key, _)| key == "kinds")
        .map(|(_, value)| value.clone())
        .collect();
    let input = EndpointInput {
        url: value("url"),
        description: value("description"),
        kinds: &kinds,
        personal_data: domain::is_ticked(value("personal_data")),
    };
    let outcome = webhooks::add_endpoint(&state.context, &input, Utc::now())
        .await
        .map(|_| AdminNotice::WebhookAdded);
    let shown = EndpointFields {
        url: input.url.to_owned(),
        description: input.description.to_owned(),
        kinds: kinds.join(" "),
        personal_data: value("personal_data").to_owned(),
    };
    answer(&state, (&headers, &me), WEBHOOKS_PAGE, &shown, outcome).await
}

/// `POST /admin/webhooks/{id}/resume`
async fn resume(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Found(id): Found<i64>,
    headers: HeaderMap,
) -> Response {
    let outcome = webhooks::resume_endpoint(&state.context, id, Utc::now())
        .await
        .map(|()| AdminNotice::WebhookResumed);
    answer(&state, (&headers, &me), WEBHOOKS_PAGE, &(), outcome).await
}

/// `POST /admin/webhooks/{id}/remove`
async fn remove(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Found(id): Found<i64>,
    headers: HeaderMap,
) -> Response {
    let outcome = webhooks::remove_endpoint(&state.context, id)
        .await
        .map(|()| AdminNotice::WebhookRemoved);
    answer(&state, (&headers, &me), WEBHOOKS_PAGE, &(), outcome).await
}
