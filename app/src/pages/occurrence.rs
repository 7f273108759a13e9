use domain::OccurrenceStatus;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use super::{LoadError, NotFound};
use crate::api::load_occurrence;
use crate::components::local_time::LocalTime;
use crate::components::{ExternalLink, KindBadge, StatusNote};
use crate::model::{OccurrenceDetails, event_href, ics_href};

/// `/events/{slug}/{date}`: one date of a series with its own agenda or notes.
#[component]
pub fn OccurrencePage() -> impl IntoView {
    let params = use_params_map();
    let details = Resource::new(
        move || {
            let params = params.read();
            (
                params.get("slug").unwrap_or_default(),
                params.get("date").unwrap_or_default(),
            )
        },
        |(slug, date)| load_occurrence(slug, date),
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match details.await {
                    Ok(Some(occurrence)) => view! { <OccurrenceView occurrence/> }.into_any(),
                    Ok(None) => view! { <NotFound/> }.into_any(),
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OccurrenceView(occurrence: OccurrenceDetails) -> impl IntoView {
    let o = occurrence;
    let series_href = event_href(&o.series_slug);
    view! {
        <Title text=format!("{} – {}", o.series_title, o.date)/>
        <article class="event">
            <header class="page-head">
                <p class="event-kind">
                    <KindBadge kind=o.kind/>
                    <StatusNote status=o.status/>
                </p>
                <h1>{o.series_title.clone()} <span class="subtitle">{o.date.clone()}</span></h1>
                {(o.status == OccurrenceStatus::Cancelled)
                    .then(|| view! { <p class="notice" role="note">"This date is cancelled."</p> })}
                <p class="lead">{o.series_summary.clone()}</p>
            </header>
            <dl class="facts">
                <dt>"When"</dt>
                <dd>
                    <time datetime=o.starts_at.to_rfc3339()>{o.when.clone()}</time>
                    " "
                    <LocalTime starts_at=o.starts_at time_zone=o.time_zone.clone()/>
                </dd>
                {o.venue.clone().map(|venue| view! { <dt>"Where"</dt> <dd>{venue}</dd> })}
                {o.online_url.clone().map(|url| view! { <dt>"Online"</dt> <dd><ExternalLink url/></dd> })}
            </dl>
            <p class="actions">
                <a class="button" href=ics_href(&o.series_slug) rel="external">"Add the series to your calendar"</a>
                " "
                <a href=series_href>"All dates of " {o.series_title.clone()}</a>
            </p>
            <section aria-labelledby="notes">
                <h2 id="notes">"Agenda and notes"</h2>
                {match o.notes_html.clone() {
                    Some(html) => view! { <div class="prose" inner_html=html></div> }.into_any(),
                    None => view! { <p class="empty">"No notes for this date yet."</p> }.into_any(),
                }}
            </section>
        </article>
    }
}
