//! The JSON API: the agenda, one event, registering, and topic boards. Errors answer in JSON
//! with a `code` (`not_found`, `invalid`, ...) that clients can rely on.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Extension, FromRequestParts, Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use domain::RegisterError;
use domain::agenda::{self, AgendaEntry};
use domain::{Event, EventKind, EventSlug, OccurrenceStatus, RegistrationForm};
use serde::{Deserialize, Serialize};
use service::Services;
use service::registration;
use store::StoreError;

use app::model::{event_href, ics_href, occurrence_href};

use super::AppState;
use super::render::with_retry_after;
use crate::errors::HttpError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/events", get(events))
        .route("/api/v1/events/{slug}", get(event))
        .route("/api/v1/events/{slug}/registrations", post(register))
        .route("/api/v1/events/{slug}/topics", get(topics))
        .route("/api/v1/{*rest}", get(not_found))
        .route("/events/{slug}/topics.json", get(topics))
        .route_layer(axum::middleware::from_fn(super::conditional::etag))
}

/// Why a request to the feeds or the API failed; each maps to a status and a JSON body.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    NotFound(String),
    /// A query that names nothing the site has (e.g. an unknown kind of event).
    #[error("{0}")]
    BadRequest(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message) = match &self {
            ApiError::NotFound(message) => (StatusCode::NOT_FOUND, "not_found", message.clone()),
            ApiError::BadRequest(message) => {
                (StatusCode::BAD_REQUEST, "bad_request", message.clone())
            }
            ApiError::Store(error) => {
                tracing::error!(%error, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Something went wrong on our side. Please try again.".to_owned(),
                )
            }
        };
        let body = Json(serde_json::json!({ "error": code, "message": message }));
        (status, body).into_response()
    }
}

/// One line of the JSON agenda.
#[derive(Serialize)]
struct ApiAgendaEntry {
    slug: String,
    title: String,
    kind: EventKind,
    summary: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    time_zone: String,
    venue: Option<String>,
    online_url: Option<String>,
    /// The original date of this occurrence when the event is a series.
    occurrence_date: Option<chrono::NaiveDate>,
    status: OccurrenceStatus,
    url: String,
    ics_url: String,
}

/// `GET /api/v1/events`: the upcoming agenda (single events and the next weeks' occurrences).
async fn events(State(state): State<AppState>) -> Result<Response, ApiError> {
    let store = &state.context.store;
    let events = store.published_events().await?;
    let overrides = store.occurrence_overrides().await?;
    let entries = agenda::upcoming(&events, &overrides, Utc::now(), agenda::SERIES_HORIZON);
    let base = &state.context.base_url;
    let body: Vec<ApiAgendaEntry> = entries.iter().map(|e| api_entry(e, base)).collect();
    Ok(Json(serde_json::json!({ "events": body })).into_response())
}

/// `GET /api/v1/events/{slug}`: one event, with its upcoming occurrences if it is a series.
async fn event(
    State(state): State<AppState>,
    EventPath(slug): EventPath,
) -> Result<Response, ApiError> {
    let event = published_event(&state.context, &slug).await?;
    let overrides = state
        .context
        .store
        .occurrence_overrides_of(event.id)
        .await?;
    let now = Utc::now();
    let base = &state.context.base_url;
    let occurrences: Vec<ApiAgendaEntry> = event
        .occurrences(&overrides, now, now + agenda::SERIES_HORIZON)
        .into_iter()
        .map(|o| {
            api_entry(
                &AgendaEntry {
                    event: &event,
                    occurrence: Some(o),
                },
                base,
            )
        })
        .collect();
    let registration = match &event.registration {
        Some(settings) => {
            let counts = state.context.store.seat_counts(event.id).await?;
            serde_json::json!({
                "open": event.registration_window(now) == Some(domain::Window::Open),
                "capacity": settings.capacity,
                // Whether someone may join the waitlist now (not past its last move-up).
                "waitlist": settings.waitlist && settings.waitlist_moves(now),
                // Hours a seat freed for the waitlist is offered (none: given at once).
                "offer_hours": settings.offer_window.map(|w| w.num_hours()),
                "seats_taken": counts.seats_taken,
                "waitlisted": counts.waitlisted,
                // What the registration asks besides name, address and organisation.
                "questions": event.questions,
                "url": format!("{base}{}", app::model::register_href(event.slug.as_str())),
            })
        }
        None => serde_json::Value::Null,
    };
    let slug = event.slug.as_str();
    Ok(Json(serde_json::json!({
        "slug": slug,
        "registration": registration,
        "title": event.title,
        "kind": event.kind,
        "summary": event.summary,
        "description_markdown": event.description_md,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "time_zone": event.time_zone.name(),
        "venue": event.venue,
        // A link for registrants only is in their mails, never here.
        "online_url": event.public_online_url(),
        "host": event.host,
        "external_url": event.external_url,
        "recurrence": event.recurrence.as_ref().map(ToString::to_string),
        "cancelled_at": event.cancelled_at,
        "upcoming_occurrences": occurrences,
        "url": format!("{base}{}", event_href(slug)),
        "ics_url": format!("{base}{}", ics_href(slug)),
    }))
    .into_response())
}

/// Any other path under `/api/v1`: a JSON 404 rather than an HTML page.
async fn not_found() -> ApiError {
    ApiError::NotFound("There is no such API endpoint.".to_owned())
}

fn api_entry(entry: &AgendaEntry<'_>, base: &str) -> ApiAgendaEntry {
    let event = entry.event;
    let slug = event.slug.as_str();
    let href = entry.occurrence.as_ref().map_or_else(
        || event_href(slug),
        |o| occurrence_href(slug, o.original_date),
    );
    ApiAgendaEntry {
        slug: slug.to_owned(),
        title: event.title.clone(),
        kind: event.kind,
        summary: event.summary.clone(),
        starts_at: entry.starts_at(),
        ends_at: entry.ends_at(),
        time_zone: event.time_zone.name().to_owned(),
        venue: event.venue.clone(),
        online_url: event.public_online_url().map(str::to_owned),
        occurrence_date: entry.occurrence.as_ref().map(|o| o.original_date),
        status: entry.status(),
        url: format!("{base}{href}"),
        ics_url: format!("{base}{}", ics_href(slug)),
    }
}

/// A published event by its address, or the API's 404.
pub async fn published_event(context: &Services, slug: &EventSlug) -> Result<Event, ApiError> {
    context
        .store
        .published_event(slug)
        .await?
        .ok_or_else(|| no_event_called(slug.as_str()))
}

fn no_event_called(slug: &str) -> ApiError {
    ApiError::NotFound(format!("There is no event called {slug:?}."))
}

/// The event address in an API path; one that is not a valid address answers the API's 404.
struct EventPath(EventSlug);

impl<S: Send + Sync> FromRequestParts<S> for EventPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(slug) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::NotFound("There is no such event.".to_owned()))?;
        EventSlug::parse(&slug)
            .map(EventPath)
            .map_err(|_| no_event_called(&slug))
    }
}

/// A registration as the API takes it. The API's own shape: renaming a field of the domain's
/// form does not change what clients send.
#[derive(Deserialize)]
struct RegistrationRequest {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    organisation: Option<String>,
    #[serde(default)]
    notes: Option<String>,
    /// Answers to the event's own questions, by question key.
    #[serde(default)]
    answers: std::collections::BTreeMap<String, Answer>,
    #[serde(default)]
    consent: bool,
    /// The language for the mails (`en`, `de`).
    #[serde(default)]
    locale: Option<String>,
}

/// An answer as the API takes it: text, the choices of a question of several (a list), or a
/// box (`true`/`false`).
#[derive(Deserialize)]
#[serde(untagged)]
enum Answer {
    Text(String),
    Choices(Vec<String>),
    Box(bool),
}

impl Answer {
    /// As the form sends it: several choices one a line, a box `yes` or `no`.
    fn into_text(self) -> String {
        match self {
            Answer::Text(text) => text,
            Answer::Choices(choices) => choices.join("\n"),
            Answer::Box(true) => domain::questions::YES.to_owned(),
            Answer::Box(false) => domain::questions::NO.to_owned(),
        }
    }
}

impl From<RegistrationRequest> for RegistrationForm {
    fn from(request: RegistrationRequest) -> Self {
        RegistrationForm {
            name: request.name,
            email: request.email,
            organisation: request.organisation,
            notes: request.notes,
            answers: request
                .answers
                .into_iter()
                .map(|(key, answer)| (key, answer.into_text()))
                .collect(),
            consent: request.consent,
            locale: request.locale,
        }
    }
}

/// `POST /api/v1/events/{slug}/registrations`: registers a person from a JSON body. Answers
/// 201 with the status and waitlist position (never a secret: the link goes only by mail).
async fn register(
    State(state): State<AppState>,
    EventPath(slug): EventPath,
    Extension(client): Extension<app::ssr::ClientAddress>,
    body: Result<Json<RegistrationRequest>, JsonRejection>,
) -> Response {
    let form = match body {
        Ok(Json(request)) => RegistrationForm::from(request),
        Err(rejection) => {
            let status = rejection.status();
            let body =
                serde_json::json!({ "error": "invalid_body", "message": rejection.body_text() });
            return (status, Json(body)).into_response();
        }
    };
    match registration::register(&state.context, &slug, &form, client.0, Utc::now()).await {
        Ok(admitted) => (
            StatusCode::CREATED,
            Json(serde_json::json!({
                "status": admitted.status,
                "waitlist_position": admitted.waitlist_position,
            })),
        )
            .into_response(),
        Err(error) => register_error_response(&error),
    }
}

fn register_error_response(error: &RegisterError) -> Response {
    let mut body = serde_json::json!({
        "error": crate::errors::register_code(error),
        "message": error.to_string(),
    });
    if let RegisterError::Invalid(fields) = error {
        let fields: serde_json::Map<String, serde_json::Value> = fields
            .iter()
            .map(|f| (f.field.key(), f.message().into()))
            .collect();
        body["fields"] = fields.into();
    }
    let response = (error.status(), Json(body)).into_response();
    with_retry_after(response, error.retry_after())
}

/// `GET /events/{slug}/topics.json` and `/api/v1/events/{slug}/topics`: the topic board as data.
async fn topics(
    State(state): State<AppState>,
    EventPath(slug): EventPath,
) -> Result<Response, ApiError> {
    match service::topics::topics_document(&state.context, &slug).await? {
        Some(document) => Ok(Json(document).into_response()),
        None => Err(ApiError::NotFound(
            "There is no event with this address that collects topics.".to_owned(),
        )),
    }
}
