//! `/admin/events/{slug}/topics`: moderating the topics people propose, and the agenda's order.

use app::model::{AdminNotice, admin_event_href};
use app::ssr::{Flash, admin_views};
use axum::Router;
use axum::extract::{Extension, Form, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use chrono::Utc;
use domain::{EventSlug, TopicError};
use serde::{Deserialize, Serialize};
use service::admin::SignedIn;
use service::topics::{self, Moderation};

use super::AppState;
use crate::errors::HttpError;
use crate::routes::extract::{Found, shown_back};
use crate::routes::render::render_page_as;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/events/{slug}/topics/order", post(order))
        .route("/admin/events/{slug}/topics/{id}/accept", post(accept))
        .route("/admin/events/{slug}/topics/{id}/hide", post(hide))
        .route("/admin/events/{slug}/topics/{id}/merge", post(merge))
}

fn topics_href(slug: &EventSlug) -> String {
    format!("{}/topics", admin_event_href(slug.as_str()))
}

/// What a moderation led to: back to the topics with a notice, or the page with the problem.
async fn moderation_answer(
    state: &AppState,
    (headers, organizer): (&HeaderMap, &SignedIn),
    slug: &EventSlug,
    form: &impl Serialize,
    outcome: Result<AdminNotice, TopicError>,
) -> Response {
    let page = topics_href(slug);
    match outcome {
        Ok(notice) => Redirect::to(&format!("{page}?{}", notice.to_query())).into_response(),
        Err(error) => {
            let (notice, submission) = admin_views::topic_failure(&error, shown_back(form));
            let flash = Flash {
                submission: Some(submission),
                admin_notice: Some(notice),
                ..Flash::default()
            };
            let status = error.status();
            render_page_as(
                state,
                headers,
                &page,
                flash,
                status,
                Some(organizer.clone()),
            )
            .await
        }
    }
}

/// Moderates topic `id` of the event at `slug`, then answers.
async fn moderate(
    state: &AppState,
    (headers, me): (&HeaderMap, &SignedIn),
    (slug, id): (&EventSlug, i64),
    (moderation, done): (Moderation, AdminNotice),
    form: &impl Serialize,
) -> Response {
    let outcome = match topics::collecting_event(&state.context, slug).await {
        Ok(event) => topics::moderate(
            &state.context,
            me.actor(),
            event,
            id,
            moderation,
            Utc::now(),
        )
        .await
        .map(|()| done),
        Err(error) => Err(error),
    };
    moderation_answer(state, (headers, me), slug, form, outcome).await
}

/// `POST /admin/events/{slug}/topics/{id}/accept`
async fn accept(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Found((slug, id)): Found<(EventSlug, i64)>,
    headers: HeaderMap,
) -> Response {
    let accepted = (Moderation::Accept, AdminNotice::TopicAccepted);
    moderate(&state, (&headers, &me), (&slug, id), accepted, &()).await
}

/// Why a topic is hidden (shown to its proposer).
#[derive(Deserialize, Serialize)]
struct HideFields {
    #[serde(default)]
    reason: String,
}

/// `POST /admin/events/{slug}/topics/{id}/hide`
async fn hide(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Found((slug, id)): Found<(EventSlug, i64)>,
    headers: HeaderMap,
    Form(fields): Form<HideFields>,
) -> Response {
    let hidden = (
        Moderation::Hide {
            reason: fields.reason.clone(),
        },
        AdminNotice::TopicHidden,
    );
    moderate(&state, (&headers, &me), (&slug, id), hidden, &fields).await
}

/// The topic that another one is merged into.
#[derive(Deserialize, Serialize)]
struct MergeFields {
    #[serde(default)]
    target: String,
}

/// `POST /admin/events/{slug}/topics/{id}/merge`
async fn merge(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Found((slug, id)): Found<(EventSlug, i64)>,
    headers: HeaderMap,
    Form(fields): Form<MergeFields>,
) -> Response {
    let Ok(target) = fields.target.parse() else {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choose a topic to merge into.",
        )
            .into_response();
    };
    let merged = (Moderation::MergeInto { target }, AdminNotice::TopicMerged);
    moderate(&state, (&headers, &me), (&slug, id), merged, &fields).await
}

/// `POST /admin/events/{slug}/topics/order` with `position.{topic}=place`, one field per
/// topic (so the fields arrive as pairs).
async fn order(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Found(slug): Found<EventSlug>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let places: Vec<(i64, String)> = fields
        .iter()
        .filter_map(|(key, place)| {
            Some((key.strip_prefix("position.")?.parse().ok()?, place.clone()))
        })
        .collect();
    let outcome = match topics::collecting_event(&state.context, &slug).await {
        Ok(event) => {
            topics::reorder_by_places(&state.context, me.actor(), event, &places, Utc::now())
                .await
                .map(|()| AdminNotice::AgendaOrdered)
        }
        Err(error) => Err(error),
    };
    let shown: std::collections::BTreeMap<String, String> = fields.into_iter().collect();
    moderation_answer(&state, (&headers, &me), &slug, &shown, outcome).await
}
