//! The plain HTTP endpoints beside the pages: calendar feeds, the JSON read API and health.
//! Handlers are thin: they ask the store, let the domain decide, and shape the response.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Extension, FromRef, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use domain::RegisterError;
use domain::agenda::{self, AgendaEntry};
use domain::{Event, EventKind, EventSlug, OccurrenceOverride, OccurrenceStatus, RegistrationForm};
use leptos::config::LeptosOptions;
use serde::Serialize;
use service::registration;

use crate::errors::HttpError;
use store::StoreError;

use app::model::{event_href, ics_href, occurrence_href};
use service::Services;

use domain::ics::{CalendarEntry, render_calendar};

/// How far back and ahead the feeds list the occurrences of series.
const FEED_PAST: Duration = Duration::days(60);
const FEED_AHEAD: Duration = Duration::days(365);

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub context: Services,
    /// `/metrics` answers only to this bearer token; without one it is off.
    pub metrics_token: Option<std::sync::Arc<str>>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// Why a request to the feeds or the API failed; each maps to a status and a JSON body.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    NotFound(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message) = match &self {
            ApiError::NotFound(message) => (StatusCode::NOT_FOUND, "not_found", message.clone()),
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

/// `GET /healthz`: 200 when the database answers, 503 otherwise.
pub async fn health(State(state): State<AppState>) -> Response {
    match state.context.store.ping().await {
        Ok(()) => (StatusCode::OK, Json(serde_json::json!({ "status": "ok" }))).into_response(),
        Err(error) => {
            tracing::warn!(%error, "health check failed");
            let body =
                Json(serde_json::json!({ "status": "unavailable", "database": "unreachable" }));
            (StatusCode::SERVICE_UNAVAILABLE, body).into_response()
        }
    }
}

/// `GET /readyz`: 200 when the database answers and has every migration of this build; 503
/// otherwise (a load balancer sends no traffic here until then).
pub async fn ready(State(state): State<AppState>) -> Response {
    match state.context.store.pending_migrations().await {
        Ok(0) => (
            StatusCode::OK,
            Json(serde_json::json!({ "status": "ready" })),
        )
            .into_response(),
        Ok(pending) => {
            let body =
                Json(serde_json::json!({ "status": "migrating", "pending_migrations": pending }));
            (StatusCode::SERVICE_UNAVAILABLE, body).into_response()
        }
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            let body =
                Json(serde_json::json!({ "status": "unavailable", "database": "unreachable" }));
            (StatusCode::SERVICE_UNAVAILABLE, body).into_response()
        }
    }
}

/// `GET /metrics`: Prometheus text format, for a scraper with the metrics token (404 without a
/// token configured, 401 without the right one).
pub async fn metrics(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    let Some(token) = state.metrics_token.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if !crate::security::has_bearer_token(&headers, token) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "The metrics need the metrics token.",
        )
            .into_response();
    }
    let outbox = match state.context.store.outbox_counts().await {
        Ok(counts) => counts,
        Err(error) => {
            tracing::warn!(%error, "cannot count the outbox for metrics");
            Vec::new()
        }
    };
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.context.metrics.render(&outbox),
    )
        .into_response()
}

/// Counts every request and its latency for `/metrics`.
pub async fn track_requests(
    State(metrics): State<std::sync::Arc<service::metrics::Metrics>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let method = request.method().to_string();
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    metrics.record_request(&method, response.status().as_u16(), started.elapsed());
    response
}

/// The language a request asks for: the language cookie the pages set, else the first
/// language of `Accept-Language` (calendar apps rarely send either: English then).
fn request_lang(headers: &axum::http::HeaderMap) -> domain::Lang {
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix("i18n_pref_locale="));
    let accepted = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next());
    cookie.or(accepted).map_or(domain::Lang::En, |tag| {
        domain::Lang::from_tag(tag.split(';').next().unwrap_or(tag))
    })
}

/// `GET /calendar.ics`: every published event, with the occurrences of series.
pub async fn calendar_feed(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> Result<Response, ApiError> {
    let words = app::ssr::views::feed_words(request_lang(&headers));
    let store = &state.context.store;
    let events = store.published_events().await?;
    let overrides = store.occurrence_overrides().await?;
    let now = Utc::now();
    let entries: Vec<CalendarEntry> = events
        .iter()
        .flat_map(|event| calendar_entries(event, &overrides, &state.context.base_url, now, &words))
        .collect();
    let body = render_calendar(&words.calendar_name, &entries, now);
    Ok(calendar_response(body, None))
}

/// `GET /events/{slug}/event.ics`: one event, or the occurrences of one series.
pub async fn event_feed(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: axum::http::HeaderMap,
) -> Result<Response, ApiError> {
    let words = app::ssr::views::feed_words(request_lang(&headers));
    let event = published_event(&state.context, &slug).await?;
    let overrides = state
        .context
        .store
        .occurrence_overrides_of(event.id)
        .await?;
    let now = Utc::now();
    let entries = calendar_entries(&event, &overrides, &state.context.base_url, now, &words);
    let body = render_calendar(&event.title, &entries, now);
    Ok(calendar_response(body, Some(event.slug.as_str())))
}

fn calendar_response(body: String, download_name: Option<&str>) -> Response {
    let mut response = (
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
        body,
    )
        .into_response();
    if let Some(name) = download_name {
        let disposition = format!("attachment; filename=\"{name}.ics\"");
        if let Ok(value) = HeaderValue::from_str(&disposition) {
            response
                .headers_mut()
                .insert(header::CONTENT_DISPOSITION, value);
        }
    }
    response
}

fn calendar_entries(
    event: &Event,
    overrides: &[OccurrenceOverride],
    base_url: &str,
    now: DateTime<Utc>,
    words: &app::ssr::views::FeedWords,
) -> Vec<CalendarEntry> {
    let host = base_url.split("://").nth(1).unwrap_or(base_url);
    let slug = event.slug.as_str();
    let location = event.venue.clone().or_else(|| event.online_url.clone());
    let describe = |url: &str| {
        let mut text = event.summary.clone();
        if let Some(online) = &event.online_url {
            text.push_str(&format!("\n\n{} {online}", words.join_online));
        }
        text.push_str(&format!("\n\n{} {url}", words.details));
        text
    };
    if !event.is_series() {
        let url = format!("{base_url}{}", event_href(slug));
        return vec![CalendarEntry {
            uid: format!("{slug}@{host}"),
            summary: event.title.clone(),
            description: describe(&url),
            location,
            starts_at: event.starts_at,
            ends_at: event.ends_at,
            cancelled: event.is_cancelled(),
            url,
        }];
    }
    event
        .occurrences(overrides, now - FEED_PAST, now + FEED_AHEAD)
        .into_iter()
        .map(|o| {
            let url = format!("{base_url}{}", occurrence_href(slug, o.original_date));
            CalendarEntry {
                uid: format!("{slug}-{}@{host}", o.original_date.format("%Y%m%d")),
                summary: event.title.clone(),
                description: describe(&url),
                location: location.clone(),
                starts_at: o.starts_at,
                ends_at: o.ends_at,
                cancelled: o.status == OccurrenceStatus::Cancelled,
                url,
            }
        })
        .collect()
}

/// One line of the JSON agenda.
#[derive(Serialize)]
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
pub async fn api_events(State(state): State<AppState>) -> Result<Response, ApiError> {
    let store = &state.context.store;
    let events = store.published_events().await?;
    let overrides = store.occurrence_overrides().await?;
    let entries = agenda::upcoming(&events, &overrides, Utc::now(), agenda::SERIES_HORIZON);
    let base = &state.context.base_url;
    let body: Vec<ApiAgendaEntry> = entries.iter().map(|e| api_entry(e, base)).collect();
    Ok(Json(serde_json::json!({ "events": body })).into_response())
}

/// `GET /api/v1/events/{slug}`: one event, with its upcoming occurrences if it is a series.
pub async fn api_event(
    State(state): State<AppState>,
    Path(slug): Path<String>,
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
                "waitlist": settings.waitlist,
                "seats_taken": counts.seats_taken,
                "waitlisted": counts.waitlisted,
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
        "online_url": event.online_url,
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
pub async fn api_not_found() -> ApiError {
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
        online_url: event.online_url.clone(),
        occurrence_date: entry.occurrence.as_ref().map(|o| o.original_date),
        status: entry.status(),
        url: format!("{base}{href}"),
        ics_url: format!("{base}{}", ics_href(slug)),
    }
}

async fn published_event(context: &Services, slug: &str) -> Result<Event, ApiError> {
    let not_found = || ApiError::NotFound(format!("There is no event called {slug:?}."));
    let slug = EventSlug::parse(slug).map_err(|_| not_found())?;
    context
        .store
        .published_event(&slug)
        .await?
        .ok_or_else(not_found)
}

/// `POST /api/v1/events/{slug}/registrations`: registers a person from a JSON body. Answers
/// 201 with the status and waitlist position (never a secret: the link goes only by mail).
pub async fn api_register(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Extension(client): Extension<app::ssr::ClientAddress>,
    body: Result<Json<RegistrationForm>, JsonRejection>,
) -> Response {
    let form = match body {
        Ok(Json(form)) => form,
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
    crate::forms::with_retry_after(response, error.retry_after())
}

/// `GET /events/{slug}/topics.json` and `/api/v1/events/{slug}/topics`: the topic board as data.
pub async fn api_topics(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let slug = slug.strip_suffix(".json").unwrap_or(&slug);
    match service::topics::topics_document(&state.context, slug).await? {
        Some(document) => Ok(Json(document).into_response()),
        None => Err(ApiError::NotFound(
            "There is no event with this address that collects topics.".to_owned(),
        )),
    }
}

/// Whether the client address comes from the last `X-Forwarded-For` entry (behind a proxy)
/// or from the connection.
#[derive(Clone, Copy, Debug)]
pub struct BehindProxy(pub bool);

/// Records where a request came from, for rate limits.
pub async fn client_address(
    State(BehindProxy(behind_proxy)): State<BehindProxy>,
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip());
    let forwarded = behind_proxy
        .then(|| request.headers().get("x-forwarded-for"))
        .flatten()
        .and_then(|value| value.to_str().ok())
        .and_then(|list| list.rsplit(',').next())
        .and_then(|last| last.trim().parse::<std::net::IpAddr>().ok());
    request
        .extensions_mut()
        .insert(app::ssr::ClientAddress(forwarded.or(peer)));
    next.run(request).await
}
