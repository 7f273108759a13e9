use domain::OccurrenceStatus;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use super::{event_slug, for_event, loaded, not_found};
use crate::api::{load_event, load_event_preview};
use crate::components::calendar::CalendarBox;
use crate::components::local_time::LocalTime;
use crate::components::{ExternalLink, KindBadge, StatusNote};
use crate::i18n::*;
use crate::model::{EventView, LinkPreview, OccurrenceLink, ics_href, register_href, topics_href};
use crate::text::seat_state;

/// `/events/{slug}`: one event, or a series with its next dates and past notes.
#[component]
pub fn EventPage() -> impl IntoView {
    let params = use_params_map();
    let details = Resource::new(
        move || event_slug(&params.read()),
        |slug| for_event(slug, load_event),
    );
    view! {
        {loaded(details, |event| view! { <EventBody event/> }.into_any(), not_found)}
    }
}

/// `/admin/events/{slug}/preview`: the event's page as visitors will see it, for organizers
/// before it is published, marked as a preview.
#[component]
pub fn EventPreviewPage() -> impl IntoView {
    let params = use_params_map();
    let details = Resource::new(
        move || event_slug(&params.read()),
        |slug| for_event(slug, load_event_preview),
    );
    view! {
        {loaded(details, |event| view! { <PreviewNote/> <EventBody event/> }.into_any(), not_found)}
    }
}

#[component]
fn PreviewNote() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="notice notice-info" role="note" id="preview-note">{t!(i18n, event.preview_note)}</p> }
}

/// What a link to an event's page shows in a chat or a search engine (`domain::preview`):
/// OpenGraph tags and the schema.org `Event` (a data block: it carries the nonce like every
/// script of the page, and runs nothing).
#[component]
pub fn LinkPreviewTags(
    title: String,
    summary: Option<String>,
    preview: LinkPreview,
) -> impl IntoView {
    view! {
        <Meta property="og:type" content="website"/>
        <Meta property="og:site_name" content="convene"/>
        <Meta property="og:title" content=title/>
        <Meta property="og:url" content=preview.url/>
        {summary.map(|summary| view! {
            <Meta property="og:description" content=summary.clone()/>
            <Meta name="description" content=summary/>
        })}
        <script
            type="application/ld+json"
            nonce=leptos::nonce::use_nonce()
            inner_html=preview.json_ld
        ></script>
    }
}

#[component]
fn EventBody(event: EventView) -> impl IntoView {
    let i18n = use_i18n();
    let is_series = event.recurrence.is_some();
    let summary = (!event.summary.is_empty()).then(|| event.summary.clone());
    view! {
        <Title text=event.title.clone()/>
        <LinkPreviewTags title=event.title.clone() summary preview=event.preview.clone()/>
        <article class="event">
            <header class="page-head">
                <p class="event-kind">
                    <KindBadge kind=event.kind/>
                    {event.past.then(|| view! { <span class="status">{t!(i18n, event.ended)}</span> })}
                    {event.cancelled.then(|| view! { <StatusNote status=OccurrenceStatus::Cancelled/> })}
                </p>
                <h1>{event.title.clone()}</h1>
                {event.cancelled.then(|| view! { <p class="notice" role="note">{t!(i18n, event.cancelled)}</p> })}
                {(event.past && !event.cancelled)
                    .then(|| view! { <p class="notice notice-info" role="note">{t!(i18n, event.over)}</p> })}
                {(!event.summary.is_empty()).then(|| view! { <p class="lead">{event.summary.clone()}</p> })}
            </header>
            <dl class="facts">
                <dt>{if is_series { t!(i18n, event.next).into_any() } else { t!(i18n, event.when).into_any() }}</dt>
                <dd>
                    <time datetime=event.starts_at.to_rfc3339()>{event.when.clone()}</time>
                    " "
                    <LocalTime starts_at=event.starts_at time_zone=event.time_zone.clone()/>
                </dd>
                {event.recurrence.clone().map(|text| view! { <dt>{t!(i18n, event.repeats)}</dt> <dd>{text}</dd> })}
                {event.venue.clone().map(|venue| view! { <dt>{t!(i18n, event.venue)}</dt> <dd>{venue}</dd> })}
                {event.online_url.clone().map(|url| view! { <dt>{t!(i18n, event.online)}</dt> <dd><ExternalLink url/></dd> })}
                {event.host.clone().map(|host| view! { <dt>{t!(i18n, event.hosted_by)}</dt> <dd>{host}</dd> })}
                {event.external_url.clone().map(|url| view! { <dt>{t!(i18n, event.more_info)}</dt> <dd><ExternalLink url/></dd> })}
            </dl>
            {event.registration.clone().map(|r| view! {
                <section class="register-box" aria-labelledby="register-heading">
                    <h2 id="register-heading">{t!(i18n, event.registration)}</h2>
                    <p>{seat_state(i18n, &r.seats)}</p>
                    {r.open.then(|| view! {
                        <a class="button" href=register_href(&event.slug)>
                            {if r.waitlist_only { t!(i18n, event.join_waitlist).into_any() } else { t!(i18n, event.register).into_any() }}
                        </a>
                    })}
                </section>
            })}
            {event.topics.then(|| view! {
                <section class="register-box" aria-labelledby="topics-heading">
                    <h2 id="topics-heading">{t!(i18n, event.topics)}</h2>
                    <p>{t!(i18n, event.topics_hint)}</p>
                    <a class="button button-secondary" href=topics_href(&event.slug)>{t!(i18n, event.topics)}</a>
                </section>
            })}
            <CalendarBox
                feed=event.calendar.feed.clone()
                what=event.title.clone()
                file=ics_href(&event.slug)
                add=event.calendar.add.clone()
                download=Some(format!("{}.ics", event.slug))
            />
            <section class="description" aria-labelledby="about">
                <h2 id="about">{t!(i18n, event.about)}</h2>
                <div class="prose" inner_html=event.description_html.clone()></div>
            </section>
            {is_series.then(|| view! {
                <section aria-labelledby="next-dates">
                    <h2 id="next-dates">{t!(i18n, event.next_dates)}</h2>
                    <OccurrenceList links=event.upcoming.clone() empty=true/>
                </section>
            })}
            {(!event.past_with_notes.is_empty()).then(|| view! {
                <section aria-labelledby="past-notes">
                    <h2 id="past-notes">{t!(i18n, event.past_notes)}</h2>
                    <OccurrenceList links=event.past_with_notes.clone() empty=false/>
                </section>
            })}
        </article>
    }
}

#[component]
pub(super) fn OccurrenceList(
    links: Vec<OccurrenceLink>,
    /// Whether to say so when there are none.
    empty: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    if links.is_empty() {
        return empty
            .then(|| view! { <p class="empty">{t!(i18n, event.no_more_dates)}</p> })
            .into_any();
    }
    view! {
        <ul class="occurrences">
            {links
                .into_iter()
                .map(|link| view! {
                    <li>
                        <a href=link.href>{link.when}</a>
                        " "
                        <StatusNote status=link.status/>
                        {link.has_notes.then(|| view! { <span class="has-notes">{t!(i18n, event.notes)}</span> })}
                    </li>
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
