use domain::OccurrenceStatus;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::call::CallAgenda;
use super::{event_slug, for_event, loaded, not_found};
use crate::api::load_occurrence;
use crate::components::local_time::LocalTime;
use crate::components::{ExternalLink, KindBadge, StatusNote};
use crate::i18n::*;
use crate::model::{OccurrenceView, event_href, ics_href};

/// `/events/{slug}/{date}`: one date of a series with its own agenda or notes.
#[component]
pub fn OccurrencePage() -> impl IntoView {
    let params = use_params_map();
    let details = Resource::new(
        move || {
            let params = params.read();
            (event_slug(&params), params.get("date").unwrap_or_default())
        },
        |(slug, date)| for_event(slug, move |slug| load_occurrence(slug, date)),
    );
    view! {
        {loaded(details, |occurrence| view! { <OccurrenceBody occurrence/> }.into_any(), not_found)}
    }
}

#[component]
fn OccurrenceBody(occurrence: OccurrenceView) -> impl IntoView {
    let i18n = use_i18n();
    let o = occurrence;
    let series_href = event_href(&o.series_slug);
    let series_title = o.series_title.clone();
    let title = format!("{} – {}", o.series_title, o.date);
    let summary = (!o.series_summary.is_empty()).then(|| o.series_summary.clone());
    view! {
        <Title text=title.clone()/>
        <super::event::LinkPreviewTags title summary preview=o.preview.clone()/>
        <article class="event">
            <header class="page-head">
                <p class="event-kind">
                    <KindBadge kind=o.kind/>
                    <StatusNote status=o.status/>
                </p>
                <h1>{o.series_title.clone()} <span class="subtitle">{o.date.clone()}</span></h1>
                {(o.status == OccurrenceStatus::Cancelled)
                    .then(|| view! { <p class="notice" role="note">{t!(i18n, occurrence.cancelled)}</p> })}
                {(o.past && o.status != OccurrenceStatus::Cancelled)
                    .then(|| view! { <p class="notice notice-info" role="note">{t!(i18n, occurrence.past)}</p> })}
                <p class="lead">{o.series_summary.clone()}</p>
            </header>
            <dl class="facts">
                <dt>{t!(i18n, event.when)}</dt>
                <dd>
                    <time datetime=o.starts_at.to_rfc3339()>{o.when.clone()}</time>
                    " "
                    <LocalTime starts_at=o.starts_at time_zone=o.time_zone.clone()/>
                </dd>
                {o.venue.clone().map(|venue| view! { <dt>{t!(i18n, event.venue)}</dt> <dd>{venue}</dd> })}
                {o.online_url.clone().map(|url| view! { <dt>{t!(i18n, event.online)}</dt> <dd><ExternalLink url/></dd> })}
            </dl>
            <p class="actions">
                <a class="button" href=ics_href(&o.series_slug) rel="external">{t!(i18n, occurrence.add_series)}</a>
                " "
                <a href=series_href>{t!(i18n, occurrence.all_dates, title = series_title.clone())}</a>
            </p>
            <section aria-labelledby="notes">
                <h2 id="notes">{t!(i18n, occurrence.agenda)}</h2>
                {o.agenda.clone().map(|agenda| view! { <CallAgenda agenda/> })}
                {match (o.notes_html.clone(), o.agenda.is_some()) {
                    (Some(html), _) => view! { <div class="prose" inner_html=html></div> }.into_any(),
                    (None, true) => ().into_any(),
                    (None, false) => view! { <p class="empty">{t!(i18n, occurrence.no_notes)}</p> }.into_any(),
                }}
            </section>
            {(o.previous.is_some() || o.next.is_some()).then(|| view! {
                <nav class="date-nav" aria-label=t_string!(i18n, occurrence.other_dates).to_string()>
                    {o.previous.clone().map(|link| view! {
                        <a rel="prev" href=link.href>"← " {t!(i18n, occurrence.previous)} ": " {link.when}</a>
                    })}
                    {o.next.clone().map(|link| view! {
                        <a rel="next" href=link.href>{t!(i18n, occurrence.next)} ": " {link.when} " →"</a>
                    })}
                </nav>
            })}
        </article>
    }
}
