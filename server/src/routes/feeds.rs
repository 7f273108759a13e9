//! Calendar feeds: the whole site's and one event's, in iCalendar, in the language asked for.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Duration, Utc};
use domain::ics::{CalendarEntry, render_calendar};
use domain::{Event, EventSlug, OccurrenceOverride, OccurrenceStatus};

use app::model::{event_href, occurrence_href};

use super::AppState;
use super::api::{ApiError, published_event};
use super::extract::Found;

/// How far back and ahead the feeds list the occurrences of series.
const FEED_PAST: Duration = Duration::days(60);
const FEED_AHEAD: Duration = Duration::days(365);

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/calendar.ics", get(calendar_feed))
        .route("/events/{slug}/event.ics", get(event_feed))
}

/// The language a request asks for: the language cookie the pages set, else the first
/// language of `Accept-Language` (calendar apps rarely send either: English then).
fn request_lang(headers: &HeaderMap) -> domain::Lang {
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
async fn calendar_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
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
async fn event_feed(
    State(state): State<AppState>,
    Found(slug): Found<EventSlug>,
    headers: HeaderMap,
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
