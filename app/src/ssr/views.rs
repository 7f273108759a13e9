//! Builds the pages' view models from the store's domain values.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, NaiveDate, Utc, Weekday};
use domain::agenda::{self, AgendaEntry};
use domain::time::{format_clock_span, format_day, format_instant, format_span};
use domain::{Event, EventSlug, Lang, Recurrence, Rule, WeekOfMonth};
use store::StoreResult;

use super::Flash;
use crate::i18n::*;
use crate::model::{
    AgendaItem, CalendarLinks, CorrectView, EventView, LinkPreview, ManageView, Notice,
    OccurrenceLink, OccurrenceView, QuestionField, RegisterView, Registered, RegisteredQuery,
    RegisteredView, RegistrationInfo, ReplacedLinkView, SeatState, SentAgainNotice, SiteFeeds,
    TicketView, event_href, occurrence_href,
};
use service::Services;
use service::markdown::to_safe_html;

/// How many upcoming occurrences a series page lists.
const UPCOMING_ON_SERIES_PAGE: usize = 6;
/// How far ahead a series page looks for them.
const SERIES_PAGE_HORIZON: Duration = Duration::days(120);

pub async fn upcoming_agenda(
    ctx: &Services,
    lang: Lang,
    now: DateTime<Utc>,
) -> StoreResult<Vec<AgendaItem>> {
    let events = ctx.store.published_events().await?;
    let overrides = ctx.store.occurrence_overrides().await?;
    let entries = agenda::upcoming(&events, &overrides, now, agenda::SERIES_HORIZON);
    let mut items = Vec::with_capacity(entries.len());
    for entry in &entries {
        let mut item = agenda_item(entry, lang);
        if entry.event.registration.is_some() {
            item.registration = Some(registration_info(ctx, entry.event, now, lang).await?);
        }
        items.push(item);
    }
    Ok(items)
}

pub async fn past_agenda(
    ctx: &Services,
    lang: Lang,
    now: DateTime<Utc>,
) -> StoreResult<Vec<AgendaItem>> {
    let events = ctx.store.published_events().await?;
    let overrides = ctx.store.occurrence_overrides().await?;
    let with_agenda = ctx.store.calls_with_items().await?;
    let entries = agenda::past(&events, &overrides, &with_agenda, now);
    Ok(entries.iter().map(|e| agenda_item(e, lang)).collect())
}

pub async fn event_details(
    ctx: &Services,
    slug: &EventSlug,
    lang: Lang,
    now: DateTime<Utc>,
) -> StoreResult<Option<EventView>> {
    match ctx.store.published_event(slug).await? {
        Some(event) => details_of(ctx, event, lang, now).await.map(Some),
        None => Ok(None),
    }
}

/// An event's page, published or not, for organizers (the preview).
pub async fn event_preview(
    ctx: &Services,
    slug: &EventSlug,
    lang: Lang,
    now: DateTime<Utc>,
) -> StoreResult<Option<EventView>> {
    match ctx.store.event_by_slug(slug).await? {
        Some(event) => details_of(ctx, event, lang, now).await.map(Some),
        None => Ok(None),
    }
}

async fn details_of(
    ctx: &Services,
    event: Event,
    lang: Lang,
    now: DateTime<Utc>,
) -> StoreResult<EventView> {
    let overrides = ctx.store.occurrence_overrides_of(event.id).await?;
    let upcoming: Vec<_> = event
        .occurrences(&overrides, now, now + SERIES_PAGE_HORIZON)
        .into_iter()
        .take(UPCOMING_ON_SERIES_PAGE)
        .collect();
    let past = !event.is_series() && event.ends_at <= now;
    let with_agenda = ctx.store.call_dates_with_items(event.id).await?;
    let past_with_notes: Vec<_> = event
        .occurrences(&overrides, event.starts_at, now)
        .into_iter()
        .rev()
        .filter(|o| is_noted(o, &with_agenda) && o.ends_at <= now)
        .collect();
    let registration = match &event.registration {
        Some(_) => Some(registration_info(ctx, &event, now, lang).await?),
        None => None,
    };
    let zone = event.time_zone;
    let (next_start, next_end) = upcoming
        .first()
        .map_or((event.starts_at, event.ends_at), |o| {
            (o.starts_at, o.ends_at)
        });
    let link = |o: &domain::Occurrence| occurrence_link(&event, o, &with_agenda, lang);
    let status = match upcoming.first().map(|o| o.status) {
        _ if event.is_cancelled() => domain::preview::Status::Cancelled,
        Some(domain::OccurrenceStatus::Cancelled) => domain::preview::Status::Cancelled,
        Some(domain::OccurrenceStatus::Moved) => domain::preview::Status::Rescheduled,
        _ => domain::preview::Status::Scheduled,
    };
    let preview = link_preview(
        ctx,
        &event,
        &event_href(event.slug.as_str()),
        (next_start, next_end, status),
        registration.as_ref(),
        past,
    );
    Ok(EventView {
        slug: event.slug.to_string(),
        title: event.title.clone(),
        kind: event.kind,
        summary: event.summary.clone(),
        description_html: to_safe_html(&event.description_md),
        when: format_span(next_start, next_end, zone, lang),
        starts_at: next_start,
        time_zone: zone.name().to_owned(),
        venue: event.venue.clone(),
        // Nobody is to join a call that is over.
        online_url: event
            .public_online_url()
            .map(str::to_owned)
            .filter(|_| !past),
        host: event.host.clone(),
        external_url: event.external_url.clone(),
        recurrence: event
            .recurrence
            .as_ref()
            .map(|r| describe_series(&event, r, lang)),
        upcoming: upcoming.iter().map(link).collect(),
        past_with_notes: past_with_notes.iter().map(link).collect(),
        past,
        registration,
        topics: event.topics.is_some(),
        cancelled: event.is_cancelled(),
        calendar: calendar_links(ctx, &event, past),
        preview,
    })
}

/// A page about an event (at `path`) as a link pasted elsewhere shows it: its address and a
/// schema.org `Event` for the date the page is about (a series' next one, or one of its dates),
/// with where its seats stand.
fn link_preview(
    ctx: &Services,
    event: &Event,
    path: &str,
    (starts_at, ends_at, status): (DateTime<Utc>, DateTime<Utc>, domain::preview::Status),
    registration: Option<&RegistrationInfo>,
    over: bool,
) -> LinkPreview {
    use domain::preview::{Availability, FEW_SEATS, PreviewInput, json_ld};
    let slug = event.slug.as_str();
    let url = format!("{}{path}", ctx.base_url);
    let availability = registration.map(|info| match &info.seats {
        SeatState::NotYetOpen(_) => Availability::NotYetOpen,
        SeatState::Closed | SeatState::NotOffered => Availability::Closed,
        SeatState::SeatsLeft { free, .. } if *free <= FEW_SEATS => Availability::Few,
        SeatState::SeatsLeft { .. } | SeatState::Open => Availability::Open,
        SeatState::FullWithWaitlist { .. } | SeatState::Full => Availability::Full,
    });
    let input = PreviewInput {
        event,
        starts_at,
        ends_at,
        status,
        page_url: url.clone(),
        registration: availability.map(|seats| {
            let form = format!("{}{}", ctx.base_url, domain::paths::register_href(slug));
            (form, seats)
        }),
        registration_opens_at: event.registration.as_ref().and_then(|r| r.opens_at),
        over,
    };
    LinkPreview {
        json_ld: json_ld(&input),
        url,
    }
}

/// The event's feed to subscribe to, and for a single event still ahead its add links.
fn calendar_links(ctx: &Services, event: &Event, past: bool) -> CalendarLinks {
    let page = format!("{}{}", ctx.base_url, event_href(event.slug.as_str()));
    let feed = format!(
        "{}{}",
        ctx.base_url,
        domain::paths::ics_href(event.slug.as_str())
    );
    let location = event.venue.as_deref().or(event.public_online_url());
    CalendarLinks {
        feed: domain::subscribe::feed_links(&feed, &event.title),
        add: (!event.is_series() && !past && !event.is_cancelled()).then(|| {
            domain::subscribe::add_links(&domain::subscribe::OneEvent {
                title: &event.title,
                starts_at: event.starts_at,
                ends_at: event.ends_at,
                url: &page,
                location,
            })
        }),
    }
}

/// The site's feed and the feed of each kind of event, with their subscribe links.
pub fn site_feeds(ctx: &Services, lang: Lang) -> SiteFeeds {
    let links = |kind: Option<domain::EventKind>| {
        let url = format!("{}{}", ctx.base_url, domain::paths::feed_href(kind));
        let name = match kind {
            Some(kind) => feed_name(kind, lang),
            None => feed_words(lang).calendar_name,
        };
        domain::subscribe::feed_links(&url, &name)
    };
    SiteFeeds {
        all: links(None),
        kinds: domain::EventKind::ALL
            .into_iter()
            .map(|kind| (kind, links(Some(kind))))
            .collect(),
    }
}

/// Whether a date of a series has notes: written ones, or a community call agenda with items
/// (`with_agenda`: the series' dates that have).
fn is_noted(o: &domain::Occurrence, with_agenda: &BTreeSet<NaiveDate>) -> bool {
    o.notes_md.is_some() || with_agenda.contains(&o.original_date)
}

/// A link to one date of a series, with its time and whether it has notes.
pub(crate) fn occurrence_link(
    event: &Event,
    o: &domain::Occurrence,
    with_agenda: &BTreeSet<NaiveDate>,
    lang: Lang,
) -> OccurrenceLink {
    OccurrenceLink {
        href: occurrence_href(event.slug.as_str(), o.original_date),
        when: format_span(o.starts_at, o.ends_at, event.time_zone, lang),
        status: o.status,
        has_notes: is_noted(o, with_agenda),
    }
}

/// Seats left, waitlist, and whether the form is open.
async fn registration_info(
    ctx: &Services,
    event: &Event,
    now: DateTime<Utc>,
    lang: Lang,
) -> StoreResult<RegistrationInfo> {
    let Some(settings) = &event.registration else {
        return Ok(RegistrationInfo {
            open: false,
            seats: SeatState::NotOffered,
            waitlist_only: false,
        });
    };
    let counts = ctx.store.seat_counts(event.id).await?;
    let free = domain::registration::free_seats(settings.capacity, counts.seats_taken);
    let waitlist_only = free.is_some_and(|f| f <= counts.waitlisted);
    let (open, seats) = match event
        .registration_window(now)
        .unwrap_or(domain::Window::Closed)
    {
        domain::Window::NotYetOpen(at) => (
            false,
            SeatState::NotYetOpen(format_instant(at, event.time_zone, lang)),
        ),
        domain::Window::Closed => (false, SeatState::Closed),
        domain::Window::Open => match (settings.capacity, free) {
            (Some(capacity), Some(free)) if free > counts.waitlisted => (
                true,
                SeatState::SeatsLeft {
                    free: free - counts.waitlisted,
                    capacity,
                },
            ),
            // A waitlist past its last move-up takes nobody new.
            (Some(_), Some(_)) if settings.waitlist && settings.waitlist_moves(now) => (
                true,
                SeatState::FullWithWaitlist {
                    waiting: counts.waitlisted,
                },
            ),
            (Some(_), Some(_)) => (false, SeatState::Full),
            _ => (true, SeatState::Open),
        },
    };
    Ok(RegistrationInfo {
        open,
        seats,
        waitlist_only,
    })
}

pub async fn register_page(
    ctx: &Services,
    slug: &EventSlug,
    flash: Flash,
    lang: Lang,
    now: DateTime<Utc>,
) -> StoreResult<Option<RegisterView>> {
    let Some(event) = ctx.store.published_event(slug).await? else {
        return Ok(None);
    };
    if event.registration.is_none() {
        return Ok(None);
    }
    Ok(Some(RegisterView {
        slug: event.slug.clone(),
        title: event.title.clone(),
        when: format_span(event.starts_at, event.ends_at, event.time_zone, lang),
        place: event
            .venue
            .clone()
            .or_else(|| event.public_online_url().map(str::to_owned)),
        registration: registration_info(ctx, &event, now, lang).await?,
        questions: question_fields(&event, lang),
        retention_days: ctx.retention.num_days(),
        submission: flash.submission,
    }))
}

/// The page after registering at the event at `slug`: what its address says happened, and
/// the address the mail went to (`sent_to`, from this browser's cookie); `None` when there is
/// no such event.
pub async fn registered_page(
    ctx: &Services,
    slug: &EventSlug,
    query: &RegisteredQuery,
    sent_to: Option<String>,
    lang: Lang,
) -> StoreResult<Option<RegisteredView>> {
    let Some(event) = ctx.store.published_event(slug).await? else {
        return Ok(None);
    };
    let instant = |value: &Option<String>| {
        value
            .as_deref()
            .and_then(|seconds| seconds.parse::<i64>().ok())
            .and_then(|seconds| DateTime::from_timestamp(seconds, 0))
            .map(|at| format_instant(at, event.time_zone, lang))
    };
    let number = |value: &Option<String>| value.as_deref().and_then(|n| n.parse::<u32>().ok());
    let outcome = match query.status.as_deref() {
        Some("waitlisted") => Registered::Waitlisted {
            position: number(&query.position),
        },
        Some("already") => Registered::Already,
        _ => Registered::SeatHeld,
    };
    let again = match query.again.as_deref() {
        Some("sent") => Some(SentAgainNotice::Sent),
        Some("too_soon") => instant(&query.at).map(|at| SentAgainNotice::TooSoon { at }),
        Some("none") => Some(SentAgainNotice::NotRegistered),
        Some("forgotten") => Some(SentAgainNotice::AddressUnknown),
        Some("limited") => Some(SentAgainNotice::Limited),
        _ => None,
    };
    Ok(Some(RegisteredView {
        event_slug: event.slug.to_string(),
        hold_until: match outcome {
            Registered::SeatHeld => instant(&query.until),
            _ => None,
        },
        outcome,
        sent_to,
        again,
    }))
}

/// The correction form of the registration behind `token`, filled with what is stored (or
/// with a refused correction, from `flash`); `None` when the link is not valid.
pub async fn correct_page(
    ctx: &Services,
    token: &str,
    flash: Flash,
    lang: Lang,
) -> StoreResult<Option<CorrectView>> {
    let Some((registration, event)) = service::registration::find_by_token(ctx, token).await?
    else {
        return Ok(None);
    };
    let mut values: std::collections::BTreeMap<String, String> = [
        ("name".to_owned(), registration.name.clone()),
        ("email".to_owned(), registration.email.clone()),
        (
            "organisation".to_owned(),
            registration.organisation.clone().unwrap_or_default(),
        ),
        (
            "notes".to_owned(),
            registration.notes.clone().unwrap_or_default(),
        ),
    ]
    .into();
    for (key, answer) in &registration.answers {
        values.insert(format!("answers.{key}"), answer.clone());
    }
    Ok(Some(CorrectView {
        token: token.to_owned(),
        event_title: event.title.clone(),
        questions: question_fields(&event, lang),
        values,
        submission: flash.submission,
    }))
}

/// The event's own questions as the forms show them in `lang`.
fn question_fields(event: &Event, lang: Lang) -> Vec<QuestionField> {
    event
        .questions
        .iter()
        .map(|q| QuestionField {
            key: q.key.clone(),
            label: q.label_in(lang).to_owned(),
            hint: q.hint_in(lang).map(str::to_owned),
            required: q.required,
            kind: q.kind,
            options: q.options.clone(),
        })
        .collect()
}

/// Where a link an organizer replaced with a newer one belongs; `None` for any other link.
pub async fn replaced_link(ctx: &Services, token: &str) -> StoreResult<Option<ReplacedLinkView>> {
    let event = service::registration::replaced_link_event(ctx, token).await?;
    Ok(event.map(|event| ReplacedLinkView {
        event_title: event.title,
        event_slug: event.slug.to_string(),
    }))
}

pub async fn manage_page(
    ctx: &Services,
    token: &str,
    notice: Option<&str>,
    flash: Flash,
    lang: Lang,
) -> StoreResult<Option<ManageView>> {
    let Some((registration, event)) = service::registration::find_by_token(ctx, token).await?
    else {
        return Ok(None);
    };
    let position = ctx.store.waitlist_position(&registration).await?;
    let notice = flash.notice.or_else(|| Notice::from_query(notice));
    Ok(Some(ManageView {
        token: token.to_owned(),
        event_slug: event.slug.to_string(),
        event_title: event.title.clone(),
        when: format_span(event.starts_at, event.ends_at, event.time_zone, lang),
        starts_at: event.starts_at,
        time_zone: event.time_zone.name().to_owned(),
        place: event.venue.clone(),
        // A link for registrants only is shown to those it is for.
        online_url: event.online_url_for(registration.status).map(str::to_owned),
        name: registration.name.clone(),
        email: registration.email.clone(),
        organisation: registration.organisation.clone(),
        status: registration.status,
        waitlist_position: position,
        hold_expires: registration
            .hold_expires_at
            .filter(|_| registration.status.is_held())
            .map(|at| format_instant(at, event.time_zone, lang)),
        confirmable: registration.status.is_held()
            || (registration.status == domain::RegistrationStatus::Waitlisted
                && registration.email_confirmed_at.is_none()),
        answers: domain::questions::shown_answers(&event.questions, &registration.answers, lang),
        topics: event.topics.is_some(),
        notice,
        ticket: ticket_of(ctx, &registration),
    }))
}

/// The ticket of a registration whose seat is confirmed.
fn ticket_of(ctx: &Services, registration: &store::Registration) -> Option<TicketView> {
    if registration.status != domain::RegistrationStatus::Confirmed {
        return None;
    }
    let code = domain::tickets::TicketCode::parse(&registration.ticket_code)?;
    Some(TicketView {
        svg: service::tickets::qr_svg(&code.url(&ctx.base_url))?,
        code: code.grouped(),
    })
}

pub async fn occurrence_details(
    ctx: &Services,
    slug: &EventSlug,
    date: &str,
    lang: Lang,
    now: DateTime<Utc>,
) -> StoreResult<Option<OccurrenceView>> {
    let Ok(date) = domain::dates::parse_date(date) else {
        return Ok(None);
    };
    let Some(event) = ctx.store.published_event(slug).await? else {
        return Ok(None);
    };
    let overrides = ctx.store.occurrence_overrides_of(event.id).await?;
    let Some(day_start) = date.and_hms_opt(0, 0, 0).map(|t| t.and_utc()) else {
        return Ok(None);
    };
    // Look wide enough around the original date to find the occurrence even if it was moved,
    // and the dates before and after it.
    let around = event.occurrences(
        &overrides,
        day_start - Duration::days(62),
        day_start + Duration::days(62),
    );
    let Some(occurrence) = around.iter().find(|o| o.original_date == date) else {
        return Ok(None);
    };
    let zone = event.time_zone;
    let with_agenda = ctx.store.call_dates_with_items(event.id).await?;
    let link = |o: &domain::Occurrence| occurrence_link(&event, o, &with_agenda, lang);
    let past = occurrence.ends_at <= now;
    let agenda = super::call_views::agenda_of(ctx, &event, date, now)
        .await?
        .map(|agenda| super::call_views::agenda_view(&agenda, lang, now));
    let status = match occurrence.status {
        _ if event.is_cancelled() => domain::preview::Status::Cancelled,
        domain::OccurrenceStatus::Cancelled => domain::preview::Status::Cancelled,
        domain::OccurrenceStatus::Moved => domain::preview::Status::Rescheduled,
        domain::OccurrenceStatus::Scheduled => domain::preview::Status::Scheduled,
    };
    let preview = link_preview(
        ctx,
        &event,
        &occurrence_href(event.slug.as_str(), date),
        (occurrence.starts_at, occurrence.ends_at, status),
        None,
        past,
    );
    Ok(Some(OccurrenceView {
        series_slug: event.slug.to_string(),
        series_title: event.title.clone(),
        kind: event.kind,
        date: format_day(date, lang),
        when: format_span(occurrence.starts_at, occurrence.ends_at, zone, lang),
        starts_at: occurrence.starts_at,
        time_zone: zone.name().to_owned(),
        status: occurrence.status,
        venue: event.venue.clone(),
        // Nobody is to join a call that is over.
        online_url: event
            .public_online_url()
            .map(str::to_owned)
            .filter(|_| !past),
        notes_html: occurrence.notes_md.as_deref().map(to_safe_html),
        series_summary: event.summary.clone(),
        past,
        previous: around
            .iter()
            .rev()
            .find(|o| o.original_date < date)
            .map(link),
        next: around.iter().find(|o| o.original_date > date).map(link),
        agenda,
        preview,
    }))
}

fn agenda_item(entry: &AgendaEntry<'_>, lang: Lang) -> AgendaItem {
    let event = entry.event;
    let zone = event.time_zone;
    let starts_at = entry.starts_at();
    let slug = event.slug.as_str();
    AgendaItem {
        slug: slug.to_owned(),
        href: entry.occurrence.as_ref().map_or_else(
            || event_href(slug),
            |o| occurrence_href(slug, o.original_date),
        ),
        title: event.title.clone(),
        kind: event.kind,
        summary: event.summary.clone(),
        day: format_day(starts_at.with_timezone(&zone).date_naive(), lang),
        time: format_clock_span(starts_at, entry.ends_at(), zone, lang),
        starts_at,
        time_zone: zone.name().to_owned(),
        place: event
            .venue
            .clone()
            .or_else(|| event.online_url.as_ref().map(|_| "Online".to_owned())),
        online: event.online_url.is_some(),
        status: entry.status(),
        registration: None,
    }
}

/// E.g. `Every Thursday, 15:05–16:00 (Europe/Berlin)`.
pub(crate) fn describe_series(event: &Event, recurrence: &Recurrence, lang: Lang) -> String {
    let locale = locale_of(lang);
    let zone = event.time_zone;
    let rule = match recurrence.rule {
        Rule::Weekly {
            interval: 1,
            weekday,
        } => {
            let weekday = weekday_name(weekday, locale);
            td_string!(locale, recurrence.weekly, weekday).to_string()
        }
        Rule::Weekly { interval, weekday } => {
            let (n, weekday) = (interval, weekday_name(weekday, locale));
            td_string!(locale, recurrence.every_n_weeks, n, weekday).to_string()
        }
        Rule::MonthlyByWeekday { week, weekday } => {
            let nth = match week {
                WeekOfMonth::First => td_string!(locale, recurrence.first),
                WeekOfMonth::Second => td_string!(locale, recurrence.second),
                WeekOfMonth::Third => td_string!(locale, recurrence.third),
                WeekOfMonth::Fourth => td_string!(locale, recurrence.fourth),
                WeekOfMonth::Last => td_string!(locale, recurrence.last),
            };
            let weekday = weekday_name(weekday, locale);
            td_string!(locale, recurrence.monthly, nth, weekday).to_string()
        }
    };
    let local = |t: DateTime<Utc>| t.with_timezone(&zone).format("%H:%M").to_string();
    let until = recurrence
        .until
        .map(|d| {
            let date = format_day(d, lang);
            td_string!(locale, recurrence.until, date).to_string()
        })
        .unwrap_or_default();
    format!(
        "{rule}, {}–{} ({}){until}",
        local(event.starts_at),
        local(event.ends_at),
        zone.name()
    )
}

fn weekday_name(weekday: Weekday, locale: Locale) -> &'static str {
    match weekday {
        Weekday::Mon => td_string!(locale, weekday.mon),
        Weekday::Tue => td_string!(locale, weekday.tue),
        Weekday::Wed => td_string!(locale, weekday.wed),
        Weekday::Thu => td_string!(locale, weekday.thu),
        Weekday::Fri => td_string!(locale, weekday.fri),
        Weekday::Sat => td_string!(locale, weekday.sat),
        Weekday::Sun => td_string!(locale, weekday.sun),
    }
}

/// The generated locale for a language.
pub fn locale_of(lang: Lang) -> Locale {
    match lang {
        Lang::En => Locale::en,
        Lang::De => Locale::de,
    }
}

/// The calendar feeds' own words in one language.
pub struct FeedWords {
    pub calendar_name: String,
    pub join_online: String,
    pub details: String,
}

pub fn feed_words(lang: Lang) -> FeedWords {
    let locale = locale_of(lang);
    FeedWords {
        calendar_name: td_string!(locale, feed.calendar_name).to_string(),
        join_online: td_string!(locale, feed.join_online).to_string(),
        details: td_string!(locale, feed.details).to_string(),
    }
}

/// The Atom feed (`/feed.atom`) of the events that changed last, newest change first: each
/// with when (or how it repeats) and where, its summary, and its description.
pub fn atom_feed(base_url: &str, events: &[Event], lang: Lang) -> domain::atom::AtomFeed {
    let locale = locale_of(lang);
    let mut events: Vec<&Event> = events.iter().collect();
    events.sort_by_key(|e| std::cmp::Reverse((e.calendar.updated_at, e.id)));
    let entries = events
        .into_iter()
        .take(domain::atom::FEED_ENTRIES)
        .map(|event| {
            let mut summary = match &event.recurrence {
                Some(recurrence) => describe_series(event, recurrence, lang),
                None => format_span(event.starts_at, event.ends_at, event.time_zone, lang),
            };
            if let Some(venue) = &event.venue {
                summary.push_str(&format!(" · {venue}"));
            }
            if !event.summary.trim().is_empty() {
                summary.push_str(&format!("\n{}", event.summary.trim()));
            }
            if event.is_cancelled() {
                summary = format!("{}: {summary}", td_string!(locale, feed.cancelled));
            }
            domain::atom::AtomEntry {
                event_id: event.id,
                created_at: event.calendar.created_at,
                updated_at: event.calendar.updated_at,
                title: event.title.clone(),
                url: format!("{base_url}{}", event_href(event.slug.as_str())),
                summary,
                content_html: to_safe_html(&event.description_md),
                author: event.host.clone(),
            }
        })
        .collect();
    domain::atom::AtomFeed {
        title: td_string!(locale, feed.calendar_name).to_string(),
        site_url: base_url.to_owned(),
        feed_url: format!("{base_url}/feed.atom"),
        entries,
    }
}

/// The name of the feed of one kind of event, e.g. "Community events: Hackathon".
pub fn feed_name(kind: domain::EventKind, lang: Lang) -> String {
    use domain::EventKind::*;
    let locale = locale_of(lang);
    let kind = match kind {
        CommunityCall => td_string!(locale, kind.community_call),
        Hackathon => td_string!(locale, kind.hackathon),
        Meeting => td_string!(locale, kind.meeting),
        Conference => td_string!(locale, kind.conference),
        Summit => td_string!(locale, kind.summit),
        External => td_string!(locale, kind.external),
    };
    format!("{}: {kind}", td_string!(locale, feed.calendar_name))
}

#[cfg(test)]
mod tests {
    use chrono::Duration;
    use domain::{Lang, RegistrationSettings};
    use service::testing::*;

    use super::*;
    use crate::model::SeatState;

    fn opening_at(opens_at: DateTime<Utc>) -> RegistrationSettings {
        RegistrationSettings {
            opens_at: Some(opens_at),
            ..settings(2, true)
        }
    }

    #[tokio::test]
    async fn the_agenda_splits_at_the_clock_it_is_given() {
        for (ctx, _db) in contexts("the_agenda_splits_at_the_clock_it_is_given").await {
            add_event(&ctx, "soon", settings(10, false)).await;
            add_event_with(&ctx, "last-week", |event| {
                event.starts_at = now() - Duration::days(7);
                event.ends_at = now() - Duration::days(7) + Duration::hours(2);
            })
            .await;
            let titles = |items: Vec<AgendaItem>| -> Vec<String> {
                items.into_iter().map(|item| item.title).collect()
            };
            let upcoming = upcoming_agenda(&ctx, Lang::En, now())
                .await
                .expect("agenda");
            let past = past_agenda(&ctx, Lang::En, now()).await.expect("agenda");
            assert_eq!(titles(upcoming), ["Event soon"]);
            assert_eq!(titles(past), ["Event last-week"]);

            // Two months later both are over.
            let later = now() + Duration::days(60);
            let upcoming = upcoming_agenda(&ctx, Lang::En, later)
                .await
                .expect("agenda");
            let past = past_agenda(&ctx, Lang::En, later).await.expect("agenda");
            assert!(titles(upcoming).is_empty());
            assert_eq!(titles(past).len(), 2);
        }
    }

    #[tokio::test]
    async fn the_register_page_opens_when_the_window_does() {
        for (ctx, _db) in contexts("the_register_page_opens_when_the_window_does").await {
            let opens_at = now() + Duration::days(2);
            add_event(&ctx, "room", opening_at(opens_at)).await;
            let room = slug("room");
            let page = |at| register_page(&ctx, &room, Flash::default(), Lang::De, at);

            let before = page(now())
                .await
                .expect("page")
                .expect("takes registrations");
            assert!(!before.registration.open);
            let zone = chrono_tz::Europe::Berlin;
            assert_eq!(
                before.registration.seats,
                SeatState::NotYetOpen(format_instant(opens_at, zone, Lang::De)),
                "the opening, in the reader's language"
            );

            let after = page(opens_at)
                .await
                .expect("page")
                .expect("takes registrations");
            assert!(after.registration.open);
            assert_eq!(
                after.registration.seats,
                SeatState::SeatsLeft {
                    free: 2,
                    capacity: 2
                }
            );
            assert!(!after.registration.waitlist_only);
        }
    }

    #[tokio::test]
    async fn a_full_room_offers_the_waitlist() {
        for (ctx, _db) in contexts("a_full_room_offers_the_waitlist").await {
            add_event(&ctx, "room", settings(2, true)).await;
            register_people(&ctx, "room", 1..=3).await;
            let page = register_page(&ctx, &slug("room"), Flash::default(), Lang::En, now())
                .await
                .expect("page")
                .expect("takes registrations");
            assert!(page.registration.open);
            assert!(page.registration.waitlist_only);
            assert_eq!(
                page.registration.seats,
                SeatState::FullWithWaitlist { waiting: 1 }
            );
        }
    }

    #[tokio::test]
    async fn a_series_page_lists_the_dates_after_the_clock() {
        for (ctx, _db) in contexts("a_series_page_lists_the_dates_after_the_clock").await {
            add_event_with(&ctx, "weekly", |event| {
                event.recurrence = Some("FREQ=WEEKLY;BYDAY=FR".parse().expect("rule"));
                // Fridays, like the clock, from two weeks ago and two hours earlier in the day: today's
                // date is over.
                event.starts_at = now() - Duration::days(14) - Duration::hours(2);
                event.ends_at = event.starts_at + Duration::hours(1);
                event.registration = None;
            })
            .await;
            let details = event_details(&ctx, &slug("weekly"), Lang::En, now())
                .await
                .expect("details")
                .expect("published");
            assert_eq!(
                details.starts_at,
                now() + Duration::days(7) - Duration::hours(2),
                "the next date, not the first nor today's"
            );
            assert_eq!(details.upcoming.len(), 6, "six dates ahead");
            assert!(!details.past);
        }
    }

    #[tokio::test]
    async fn a_date_that_is_over_says_so_drops_its_join_link_and_links_its_neighbours() {
        for (ctx, _db) in contexts("a_date_that_is_over_says_so").await {
            add_event_with(&ctx, "weekly", |event| {
                event.recurrence = Some("FREQ=WEEKLY;BYDAY=FR".parse().expect("rule"));
                event.starts_at = now() - Duration::days(14) - Duration::hours(2);
                event.ends_at = event.starts_at + Duration::hours(1);
                event.online_url = Some("https://meet.example.org/weekly".to_owned());
                event.registration = None;
            })
            .await;
            let date = |days: i64| (now() + Duration::days(days)).date_naive();
            let page = |days: i64| {
                let text = date(days).format("%Y-%m-%d").to_string();
                let ctx = ctx.clone();
                async move {
                    occurrence_details(&ctx, &slug("weekly"), &text, Lang::En, now())
                        .await
                        .expect("details")
                        .expect("a date of the series")
                }
            };
            let href = |days: i64| occurrence_href("weekly", date(days));

            let today = page(0).await;
            assert!(today.past, "two hours ago");
            assert_eq!(today.online_url, None);
            assert_eq!(today.previous.map(|l| l.href), Some(href(-7)));
            assert_eq!(today.next.map(|l| l.href), Some(href(7)));

            let first = page(-14).await;
            assert_eq!(first.previous, None, "the series starts there");

            let ahead = page(7).await;
            assert!(!ahead.past);
            assert_eq!(
                ahead.online_url.as_deref(),
                Some("https://meet.example.org/weekly")
            );
        }
    }
}
