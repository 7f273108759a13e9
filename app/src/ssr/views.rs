//! Builds the pages' view models from the store's domain values.

use chrono::{DateTime, Duration, NaiveDate, Utc, Weekday};
use domain::agenda::{self, AgendaEntry};
use domain::time::{format_clock_span, format_day, format_span};
use domain::{Event, EventSlug, OccurrenceStatus, Recurrence, Rule, WeekOfMonth};
use store::StoreResult;

use super::ServerContext;
use super::markdown::to_safe_html;
use crate::model::{
    AgendaItem, EventDetails, OccurrenceDetails, OccurrenceLink, event_href, occurrence_href,
};

/// How many upcoming occurrences a series page lists.
const UPCOMING_ON_SERIES_PAGE: usize = 6;
/// How far ahead a series page looks for them.
const SERIES_PAGE_HORIZON: Duration = Duration::days(120);

pub async fn upcoming_agenda(ctx: &ServerContext) -> StoreResult<Vec<AgendaItem>> {
    let events = ctx.store.published_events().await?;
    let overrides = ctx.store.occurrence_overrides().await?;
    let entries = agenda::upcoming(&events, &overrides, Utc::now(), agenda::SERIES_HORIZON);
    Ok(entries.iter().map(agenda_item).collect())
}

pub async fn past_agenda(ctx: &ServerContext) -> StoreResult<Vec<AgendaItem>> {
    let events = ctx.store.published_events().await?;
    let overrides = ctx.store.occurrence_overrides().await?;
    let entries = agenda::past(&events, &overrides, Utc::now());
    Ok(entries.iter().map(agenda_item).collect())
}

pub async fn event_details(ctx: &ServerContext, slug: &str) -> StoreResult<Option<EventDetails>> {
    let Ok(slug) = EventSlug::parse(slug) else {
        return Ok(None);
    };
    let Some(event) = ctx.store.published_event(&slug).await? else {
        return Ok(None);
    };
    let overrides = ctx.store.occurrence_overrides_of(event.id).await?;
    let now = Utc::now();
    let upcoming: Vec<_> = event
        .occurrences(&overrides, now, now + SERIES_PAGE_HORIZON)
        .into_iter()
        .take(UPCOMING_ON_SERIES_PAGE)
        .collect();
    let past_with_notes: Vec<_> = event
        .occurrences(&overrides, event.starts_at, now)
        .into_iter()
        .rev()
        .filter(|o| o.notes_md.is_some() && o.ends_at <= now)
        .collect();
    let zone = event.time_zone;
    let (next_start, next_end) = upcoming
        .first()
        .map_or((event.starts_at, event.ends_at), |o| {
            (o.starts_at, o.ends_at)
        });
    let link = |o: &domain::Occurrence| OccurrenceLink {
        href: occurrence_href(event.slug.as_str(), o.original_date),
        when: format_span(o.starts_at, o.ends_at, zone),
        status: o.status,
        has_notes: o.notes_md.is_some(),
    };
    Ok(Some(EventDetails {
        slug: event.slug.to_string(),
        title: event.title.clone(),
        kind: event.kind,
        summary: event.summary.clone(),
        description_html: to_safe_html(&event.description_md),
        when: format_span(next_start, next_end, zone),
        starts_at: next_start,
        time_zone: zone.name().to_owned(),
        venue: event.venue.clone(),
        online_url: event.online_url.clone(),
        host: event.host.clone(),
        external_url: event.external_url.clone(),
        recurrence: event
            .recurrence
            .as_ref()
            .map(|r| describe_series(&event, r)),
        upcoming: upcoming.iter().map(link).collect(),
        past_with_notes: past_with_notes.iter().map(link).collect(),
        past: !event.is_series() && event.ends_at <= now,
    }))
}

pub async fn occurrence_details(
    ctx: &ServerContext,
    slug: &str,
    date: &str,
) -> StoreResult<Option<OccurrenceDetails>> {
    let (Ok(slug), Ok(date)) = (
        EventSlug::parse(slug),
        NaiveDate::parse_from_str(date, "%Y-%m-%d"),
    ) else {
        return Ok(None);
    };
    let Some(event) = ctx.store.published_event(&slug).await? else {
        return Ok(None);
    };
    let overrides = ctx.store.occurrence_overrides_of(event.id).await?;
    let Some(day_start) = date.and_hms_opt(0, 0, 0).map(|t| t.and_utc()) else {
        return Ok(None);
    };
    // Look wide enough around the original date to find the occurrence even if it was moved.
    let occurrence = event
        .occurrences(
            &overrides,
            day_start - Duration::days(62),
            day_start + Duration::days(62),
        )
        .into_iter()
        .find(|o| o.original_date == date);
    let Some(occurrence) = occurrence else {
        return Ok(None);
    };
    let zone = event.time_zone;
    Ok(Some(OccurrenceDetails {
        series_slug: event.slug.to_string(),
        series_title: event.title.clone(),
        kind: event.kind,
        date: format_day(date),
        when: format_span(occurrence.starts_at, occurrence.ends_at, zone),
        starts_at: occurrence.starts_at,
        time_zone: zone.name().to_owned(),
        status: occurrence.status,
        venue: event.venue.clone(),
        online_url: event.online_url.clone(),
        notes_html: occurrence.notes_md.as_deref().map(to_safe_html),
        series_summary: event.summary.clone(),
    }))
}

fn agenda_item(entry: &AgendaEntry<'_>) -> AgendaItem {
    let event = entry.event;
    let zone = event.time_zone;
    let starts_at = entry.starts_at();
    let slug = event.slug.as_str();
    AgendaItem {
        href: entry.occurrence.as_ref().map_or_else(
            || event_href(slug),
            |o| occurrence_href(slug, o.original_date),
        ),
        title: event.title.clone(),
        kind: event.kind,
        summary: event.summary.clone(),
        day: format_day(starts_at.with_timezone(&zone).date_naive()),
        time: format_clock_span(starts_at, entry.ends_at(), zone),
        starts_at,
        time_zone: zone.name().to_owned(),
        place: event
            .venue
            .clone()
            .or_else(|| event.online_url.as_ref().map(|_| "Online".to_owned())),
        online: event.online_url.is_some(),
        status: entry
            .occurrence
            .as_ref()
            .map_or(OccurrenceStatus::Scheduled, |o| o.status),
    }
}

/// E.g. `Every Thursday, 15:05–16:00 (Europe/Berlin)`.
fn describe_series(event: &Event, recurrence: &Recurrence) -> String {
    let zone = event.time_zone;
    let rule = match recurrence.rule {
        Rule::Weekly {
            interval: 1,
            weekday,
        } => format!("Every {}", weekday_name(weekday)),
        Rule::Weekly { interval, weekday } => {
            format!("Every {interval} weeks on {}", weekday_name(weekday))
        }
        Rule::MonthlyByWeekday { week, weekday } => {
            let nth = match week {
                WeekOfMonth::First => "first",
                WeekOfMonth::Second => "second",
                WeekOfMonth::Third => "third",
                WeekOfMonth::Fourth => "fourth",
                WeekOfMonth::Last => "last",
            };
            format!("Monthly on the {nth} {}", weekday_name(weekday))
        }
    };
    let local = |t: DateTime<Utc>| t.with_timezone(&zone).format("%H:%M").to_string();
    let until = recurrence
        .until
        .map(|d| format!(", until {}", format_day(d)))
        .unwrap_or_default();
    format!(
        "{rule}, {}–{} ({}){until}",
        local(event.starts_at),
        local(event.ends_at),
        zone.name()
    )
}

fn weekday_name(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}
