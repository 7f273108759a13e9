//! Choosing the language of the pages without JavaScript.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use super::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/lang/{tag}", get(switch_language))
}

#[derive(Deserialize)]
struct Back {
    next: Option<String>,
}

/// `GET /lang/{tag}?next=/path`: remembers the language in the cookie the pages read, then goes
/// back (only to a page of this site).
async fn switch_language(
    State(state): State<AppState>,
    Path(tag): Path<String>,
    Query(back): Query<Back>,
) -> Response {
    let lang = domain::Lang::from_tag(&tag);
    let next = back
        .next
        .and_then(|next| crate::security::local_path(&next, &state.context.base_url))
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
