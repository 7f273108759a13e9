//! `/admin/mail`: the mail log; a mail that failed for good can be sent again.

use app::model::AdminNotice;
use axum::Router;
use axum::extract::{Extension, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::post;
use chrono::Utc;
use service::admin::{self, SignedIn};

use super::{AppState, answer};
use crate::routes::extract::Found;

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/mail/{id}/retry", post(retry))
}

/// `POST /admin/mail/{id}/retry`
async fn retry(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Found(id): Found<i64>,
    headers: HeaderMap,
) -> Response {
    let outcome = admin::retry_mail(&state.context, id, Utc::now())
        .await
        .map(|()| AdminNotice::MailRetried);
    answer(&state, (&headers, &me), "/admin/mail", &(), outcome).await
}
