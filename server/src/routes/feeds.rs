//! Feeds: the whole site's calendar and one event's, in iCalendar, and the Atom feed of new and
//! changed events, in the language asked for.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{Duration, NaiveDate, Utc};
use domain::ics::{CalendarEntry, render_calendar};
use domain::{Event, EventKind, EventSlug, Lang, OccurrenceOverride, OccurrenceStatus};

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
        .route("/feed.atom", get(atom_feed))
        .route_layer(axum::middleware::from_fn(super::conditional::etag))
}

/// The feeds last built, each with what it was built from: a feed is built again only when an
/// event or a date of a series changed, or a new day began (expanding every series for a year
/// is most of a feed's cost). Reading what it is built from is one query per table; comparing
/// it with the last one tells a change made by any instance.
#[derive(Default)]
pub struct FeedCache {
    built: Mutex<HashMap<(FeedKey, Lang), Built>>,
}

/// Which feed: every event (or those of one kind), or one event's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum FeedKey {
    Site(Option<EventKind>),
    Event(i64),
}

/// What a feed is made of, besides the words of its language.
#[derive(PartialEq)]
struct FeedInputs {
    events: Vec<Event>,
    overrides: Vec<OccurrenceOverride>,
    day: NaiveDate,
}

struct Built {
    inputs: FeedInputs,
    body: Bytes,
}

impl FeedCache {
    /// The feed `key` for `inputs`, built by `build` unless the last one was built from the same.
    fn get_or_build(
        &self,
        key: (FeedKey, Lang),
        inputs: FeedInputs,
        build: impl FnOnce(&FeedInputs) -> String,
    ) -> Bytes {
        let mut built = self.built.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(last) = built.get(&key).filter(|last| last.inputs == inputs) {
            return last.body.clone();
        }
        let body = Bytes::from(build(&inputs));
        built.insert(
            key,
            Built {
                inputs,
                body: body.clone(),
            },
        );
        body
    }
}

/// The query of `/calendar.ics`.
#[derive(serde::Deserialize)]
struct FeedQuery {
    kind: Option<String>,
}

/// `GET /calendar.ics`: every published event, with the occurrences of series;
/// `?kind=community_call` (any `EventKind`) only the events of that kind.
async fn calendar_feed(
    State(state): State<AppState>,
    Query(query): Query<FeedQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let kind = match query.kind.as_deref() {
        None | Some("") => None,
        Some(word) => Some(word.parse::<EventKind>().map_err(|_| {
            let known: Vec<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
            ApiError::BadRequest(format!(
                "There is no kind of event called that; the kinds are {}.",
                known.join(", ")
            ))
        })?),
    };
    let lang = app::ssr::request_lang(&headers);
    let store = &state.context.store;
    let mut events = store.published_events().await?;
    events.retain(|event| kind.is_none_or(|kind| event.kind == kind));
    let inputs = FeedInputs {
        events,
        overrides: store.occurrence_overrides().await?,
        day: Utc::now().date_naive(),
    };
    let key = (FeedKey::Site(kind), lang);
    let body = state.feeds.get_or_build(key, inputs, |inputs| {
        let name = kind.map(|kind| app::ssr::views::feed_name(kind, lang));
        render_feed(&state.context.base_url, lang, name.as_deref(), inputs)
    });
    Ok(calendar_response(body, None))
}

/// `GET /events/{slug}/event.ics`: one event, or the occurrences of one series.
async fn event_feed(
    State(state): State<AppState>,
    Found(slug): Found<EventSlug>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let lang = app::ssr::request_lang(&headers);
    let event = published_event(&state.context, &slug).await?;
    let overrides = state
        .context
        .store
        .occurrence_overrides_of(event.id)
        .await?;
    let key = (FeedKey::Event(event.id), lang);
    let inputs = FeedInputs {
        events: vec![event],
        overrides,
        day: Utc::now().date_naive(),
    };
    let body = state.feeds.get_or_build(key, inputs, |inputs| {
        let title = inputs.events.first().map(|event| event.title.as_str());
        render_feed(&state.context.base_url, lang, title, inputs)
    });
    Ok(calendar_response(body, Some(slug.as_str())))
}

/// A feed of `inputs` in `lang`, named `name` (else the site calendar's name).
fn render_feed(base_url: &str, lang: Lang, name: Option<&str>, inputs: &FeedInputs) -> String {
    let words = app::ssr::views::feed_words(lang);
    let entries: Vec<CalendarEntry> = inputs
        .events
        .iter()
        .flat_map(|event| calendar_entries(event, &inputs.overrides, base_url, inputs.day, &words))
        .collect();
    render_calendar(name.unwrap_or(&words.calendar_name), &entries, Utc::now())
}

/// `GET /feed.atom`: the events that were published or changed last, in Atom, in the language
/// asked for.
async fn atom_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let lang = app::ssr::request_lang(&headers);
    let events = state.context.store.published_events().await?;
    let feed = app::ssr::views::atom_feed(&state.context.base_url, &events, lang);
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        domain::atom::render_atom(&feed),
    )
        .into_response())
}

fn calendar_response(body: Bytes, download_name: Option<&str>) -> Response {
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
    day: NaiveDate,
    words: &app::ssr::views::FeedWords,
) -> Vec<CalendarEntry> {
    // The window of dates moves once a day, so that a feed stays the same all day.
    let now = day.and_time(chrono::NaiveTime::MIN).and_utc();
    let slug = event.slug.as_str();
    let location = event
        .venue
        .clone()
        .or_else(|| event.public_online_url().map(str::to_owned));
    let describe = |url: &str| {
        let mut text = event.summary.clone();
        if let Some(online) = event.public_online_url() {
            text.push_str(&format!("\n\n{} {online}", words.join_online));
        }
        text.push_str(&format!("\n\n{} {url}", words.details));
        text
    };
    if !event.is_series() {
        let url = format!("{base_url}{}", event_href(slug));
        return vec![CalendarEntry {
            uid: event.calendar.uid(event.id, None),
            sequence: event.calendar.sequence,
            last_modified: event.calendar.updated_at,
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
                uid: event.calendar.uid(event.id, Some(o.original_date)),
                sequence: event.calendar.sequence,
                last_modified: event.calendar.updated_at,
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
