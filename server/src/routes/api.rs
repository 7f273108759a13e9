//! The JSON API: the agenda, one event, registering, and topic boards. Errors answer in JSON
//! with a `code` (`not_found`, `invalid`, ...) that clients can rely on.

use std::collections::BTreeMap;

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
use utoipa::ToSchema;

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
        .route("/api/v1/openapi.json", get(openapi))
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
        (status, Json(ErrorBody::new(code, message))).into_response()
    }
}

/// What every refusal of the API carries: a stable `error` code (`not_found`, `invalid`,
/// `full`, `rate_limited`, ...) and a sentence for people.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// The kind of refusal, stable for clients to rely on.
    #[schema(example = "not_found")]
    error: String,
    message: String,
    /// With `invalid`: the message for each field that needs attention, by field name
    /// (`answers.diet` for an answer).
    #[serde(skip_serializing_if = "Option::is_none")]
    fields: Option<BTreeMap<String, String>>,
}

impl ErrorBody {
    pub fn new(error: &str, message: String) -> ErrorBody {
        ErrorBody {
            error: error.to_owned(),
            message,
            fields: None,
        }
    }
}

/// `GET /api/v1/events`: what is coming up.
#[derive(Serialize, ToSchema)]
pub struct EventList {
    events: Vec<ApiAgendaEntry>,
}

/// One line of the JSON agenda: a single event, or one date of a series.
#[derive(Serialize, ToSchema)]
pub struct ApiAgendaEntry {
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
#[utoipa::path(
    get,
    path = "/api/v1/events",
    tag = "events",
    responses(
        (status = 200, description = "Single events that have not ended, and the dates of each series in the next weeks", body = EventList),
        (status = 304, description = "Not modified since the `ETag` given in `If-None-Match`"),
    )
)]
async fn events(State(state): State<AppState>) -> Result<Response, ApiError> {
    let store = &state.context.store;
    let events = store.published_events().await?;
    let overrides = store.occurrence_overrides().await?;
    let entries = agenda::upcoming(&events, &overrides, Utc::now(), agenda::SERIES_HORIZON);
    let base = &state.context.base_url;
    let events = entries.iter().map(|e| api_entry(e, base)).collect();
    Ok(Json(EventList { events }).into_response())
}

/// `GET /api/v1/events/{slug}`: one event.
#[derive(Serialize, ToSchema)]
pub struct EventDetail {
    slug: String,
    /// How people register; `null` when the event takes no registrations.
    registration: Option<RegistrationInfo>,
    title: String,
    kind: EventKind,
    summary: String,
    description_markdown: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    /// An IANA zone name, e.g. `Europe/Berlin`: the zone the event is planned in.
    time_zone: String,
    venue: Option<String>,
    /// Only a link everyone may see: a link for registrants only is in their mails.
    online_url: Option<String>,
    host: Option<String>,
    external_url: Option<String>,
    /// The series' rule (`FREQ=WEEKLY;BYDAY=TH`); `null` for a single event.
    recurrence: Option<String>,
    cancelled_at: Option<DateTime<Utc>>,
    upcoming_occurrences: Vec<ApiAgendaEntry>,
    url: String,
    ics_url: String,
}

/// The registration of an event, as it stands now.
#[derive(Serialize, ToSchema)]
pub struct RegistrationInfo {
    open: bool,
    /// `null`: no limit.
    capacity: Option<u32>,
    /// Whether someone may join the waitlist now (not past its last move-up).
    waitlist: bool,
    /// Hours a seat freed for the waitlist is offered; `null`: given at once.
    offer_hours: Option<i64>,
    seats_taken: u32,
    waitlisted: u32,
    /// What the registration asks besides name, address and organisation.
    questions: Vec<domain::Question>,
    url: String,
}

/// `GET /api/v1/events/{slug}`: one event, with its upcoming occurrences if it is a series.
#[utoipa::path(
    get,
    path = "/api/v1/events/{slug}",
    tag = "events",
    params(("slug" = String, Path, description = "The event's address, e.g. `hackathon-3`")),
    responses(
        (status = 200, description = "The event, with the coming dates of a series", body = EventDetail),
        (status = 304, description = "Not modified since the `ETag` given in `If-None-Match`"),
        (status = 404, description = "No published event has this address", body = ErrorBody),
    )
)]
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
            Some(RegistrationInfo {
                open: event.registration_window(now) == Some(domain::Window::Open),
                capacity: settings.capacity,
                waitlist: settings.waitlist && settings.waitlist_moves(now),
                offer_hours: settings.offer_window.map(|w| w.num_hours()),
                seats_taken: counts.seats_taken,
                waitlisted: counts.waitlisted,
                questions: event.questions.clone(),
                url: format!("{base}{}", app::model::register_href(event.slug.as_str())),
            })
        }
        None => None,
    };
    let slug = event.slug.as_str();
    Ok(Json(EventDetail {
        slug: slug.to_owned(),
        registration,
        title: event.title.clone(),
        kind: event.kind,
        summary: event.summary.clone(),
        description_markdown: event.description_md.clone(),
        starts_at: event.starts_at,
        ends_at: event.ends_at,
        time_zone: event.time_zone.name().to_owned(),
        venue: event.venue.clone(),
        online_url: event.public_online_url().map(str::to_owned),
        host: event.host.clone(),
        external_url: event.external_url.clone(),
        recurrence: event.recurrence.as_ref().map(ToString::to_string),
        cancelled_at: event.cancelled_at,
        upcoming_occurrences: occurrences,
        url: format!("{base}{}", event_href(slug)),
        ics_url: format!("{base}{}", ics_href(slug)),
    })
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
#[derive(Deserialize, ToSchema)]
pub struct RegistrationRequest {
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
#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
pub enum Answer {
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
#[utoipa::path(
    post,
    path = "/api/v1/events/{slug}/registrations",
    tag = "registrations",
    params(("slug" = String, Path, description = "The event's address")),
    request_body = RegistrationRequest,
    responses(
        (status = 201, description = "Registered: a seat is held (the confirmation link is mailed) or a place on the waitlist", body = RegistrationCreated),
        (status = 400, description = "`invalid_body`: not JSON of this shape", body = ErrorBody),
        (status = 404, description = "`not_found`: no such event", body = ErrorBody),
        (status = 409, description = "`already_registered` (a new link is mailed), `registration_not_offered`, `registration_not_open` or `full`", body = ErrorBody),
        (status = 410, description = "`registration_closed`", body = ErrorBody),
        (status = 413, description = "`invalid_body`: over 64 KiB", body = ErrorBody),
        (status = 422, description = "`invalid`: `fields` has the message for each field", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many registrations from this address or for this e-mail address", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds until the next attempt is counted"))),
        (status = 503, description = "`busy`: too many registrations wait for this event", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
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
            let body = ErrorBody::new("invalid_body", rejection.body_text());
            return (status, Json(body)).into_response();
        }
    };
    match registration::register(&state.context, &slug, &form, client.0, Utc::now()).await {
        Ok(admitted) => (
            StatusCode::CREATED,
            Json(RegistrationCreated {
                status: admitted.status,
                waitlist_position: admitted.waitlist_position,
            }),
        )
            .into_response(),
        Err(error) => register_error_response(&error),
    }
}

/// `201` to a registration: where the person stands (never the secret link: it goes only by
/// mail).
#[derive(Serialize, ToSchema)]
pub struct RegistrationCreated {
    /// `pending_email` (a seat is held until the address is confirmed) or `waitlisted`.
    status: domain::RegistrationStatus,
    /// The place on the waitlist; `null` with a seat.
    waitlist_position: Option<u32>,
}

fn register_error_response(error: &RegisterError) -> Response {
    let mut body = ErrorBody::new(crate::errors::register_code(error), error.to_string());
    if let RegisterError::Invalid(fields) = error {
        body.fields = Some(
            fields
                .iter()
                .map(|f| (f.field.key(), f.message()))
                .collect(),
        );
    }
    let response = (error.status(), Json(body)).into_response();
    with_retry_after(response, error.retry_after())
}

/// `GET /events/{slug}/topics.json` and `/api/v1/events/{slug}/topics`: the topic board as data.
#[utoipa::path(
    get,
    path = "/api/v1/events/{slug}/topics",
    tag = "topics",
    params(("slug" = String, Path, description = "The event's address")),
    responses(
        (status = 200, description = "The topic board in board order (hidden topics carry only their id, status and reason)", body = service::topics::TopicsDocument),
        (status = 304, description = "Not modified since the `ETag` given in `If-None-Match`"),
        (status = 404, description = "No published event with this address collects topics", body = ErrorBody),
    )
)]
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

/// The OpenAPI document of the JSON API, generated from the types above; the webhook messages
/// are added to it by [`openapi_document`].
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "convene",
        description = "The JSON API of a convene site: its events, registering for one, topic boards; and the webhook messages it sends."
    ),
    paths(events, event, register, topics),
    components(schemas(domain::webhooks::WebhookMessage))
)]
struct ApiDoc;

/// The document with this site's address and the webhooks (OpenAPI 3.1's `webhooks`: one
/// entry per message type, each a POST of a [`domain::webhooks::WebhookMessage`] signed per
/// Standard Webhooks).
pub fn openapi_document(base_url: &str) -> serde_json::Value {
    use utoipa::OpenApi;
    let mut document = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    document["servers"] = serde_json::json!([{ "url": base_url }]);
    // Everything here is public: no operation needs credentials.
    document["security"] = serde_json::json!([]);
    let header = |name: &str, description: &str| {
        serde_json::json!({
            "name": name, "in": "header", "required": true,
            "description": description, "schema": { "type": "string" },
        })
    };
    let webhooks: serde_json::Map<String, serde_json::Value> = domain::webhooks::WebhookKind::ALL
        .into_iter()
        .map(|kind| {
            let operation = serde_json::json!({
                "post": {
                    "operationId": format!("webhook_{}", kind.as_str().replace('.', "_")),
                    "summary": format!("`{}`", kind.as_str()),
                    "tags": ["webhooks"],
                    "parameters": [
                        header("webhook-id", "`msg_{n}`: the same on every retry of this message"),
                        header("webhook-timestamp", "Unix seconds when this attempt was signed"),
                        header("webhook-signature", "`v1,` and the base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`, keyed with the endpoint's secret"),
                    ],
                    "requestBody": {
                        "required": true,
                        "content": { "application/json": { "schema": {
                            "$ref": "#/components/schemas/WebhookMessage"
                        } } }
                    },
                    "responses": {
                        "200": { "description": "Any 2xx answer delivers the message; anything else, or no answer in 15 seconds, is retried" }
                    }
                }
            });
            (kind.as_str().to_owned(), operation)
        })
        .collect();
    document["webhooks"] = webhooks.into();
    document
}

/// `GET /api/v1/openapi.json`
async fn openapi(State(state): State<AppState>) -> Response {
    Json(openapi_document(&state.context.base_url)).into_response()
}
