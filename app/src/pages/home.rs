use domain::EventKind;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{LoadError, Loading};
use crate::api::{load_site_feeds, load_upcoming};
use crate::components::agenda_list::AgendaList;
use crate::components::calendar::CalendarBox;
use crate::i18n::*;
use crate::model::{AgendaItem, SiteFeeds, feed_href, register_href};
use crate::text::{kind_label, seat_state};

/// `/`: what is coming up, filterable by kind with `?kind=`.
#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let agenda = Resource::new(|| (), |_| load_upcoming());
    let feeds = Resource::new(|| (), |_| load_site_feeds());
    let query = use_query_map();
    let active_kind = Memo::new(move |_| {
        query
            .read()
            .get("kind")
            .and_then(|kind| kind.parse::<EventKind>().ok())
    });
    view! {
        <Title text=t_string!(i18n, home.title).to_string()/>
        <div class="page-head">
            <h1>{t!(i18n, home.title)}</h1>
            <p class="lead">{t!(i18n, home.lead)}</p>
        </div>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match agenda.await {
                    Ok(items) => view! { <FilteredAgenda items active_kind/> }.into_any(),
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Suspense>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                feeds.await.ok().map(|feeds| view! { <Subscribe feeds active_kind/> })
            })}
        </Suspense>
    }
}

#[component]
fn FilteredAgenda(items: Vec<AgendaItem>, active_kind: Memo<Option<EventKind>>) -> impl IntoView {
    let i18n = use_i18n();
    let kinds: Vec<EventKind> = EventKind::ALL
        .into_iter()
        .filter(|kind| items.iter().any(|item| item.kind == *kind))
        .collect();
    let items = StoredValue::new(items);
    view! {
        <KindFilter kinds active_kind/>
        {move || {
            let kind = active_kind.get();
            let shown: Vec<AgendaItem> = items
                .get_value()
                .into_iter()
                .filter(|item| kind.is_none_or(|k| item.kind == k))
                .collect();
            let open: Vec<AgendaItem> = shown
                .iter()
                .filter(|item| item.registration.as_ref().is_some_and(|r| r.open))
                .cloned()
                .collect();
            if shown.is_empty() {
                view! {
                    <p class="empty">
                        {t!(i18n, home.empty)} " " <a href="/events/past">{t!(i18n, home.see_past)}</a> "."
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <RegistrationOpen items=open/>
                    <AgendaList items=shown/>
                }
                .into_any()
            }
        }}
    }
}

/// Subscribing to the agenda as shown: every event, or the kind chosen.
#[component]
fn Subscribe(feeds: SiteFeeds, active_kind: Memo<Option<EventKind>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let kind = active_kind.get();
        let feed = kind
            .and_then(|kind| feeds.kinds.iter().find(|(k, _)| *k == kind))
            .map_or_else(|| feeds.all.clone(), |(_, links)| links.clone());
        let what = match kind {
            None => t_string!(i18n, calendar.every_event).to_string(),
            Some(kind) => {
                let kind = kind_label(i18n, kind);
                t_string!(i18n, calendar.every_kind, kind).to_string()
            }
        };
        view! {
            <CalendarBox feed what file=feed_href(kind) add=None download=None/>
        }
    }
}

/// The events that take registrations now, above the agenda: on a phone they would be far down
/// a list of weekly meetings.
#[component]
fn RegistrationOpen(items: Vec<AgendaItem>) -> impl IntoView {
    let i18n = use_i18n();
    (!items.is_empty()).then(|| {
        view! {
            <section class="register-now" aria-labelledby="register-now">
                <h2 id="register-now">{t!(i18n, home.register_now)}</h2>
                <ul>
                    {items
                        .into_iter()
                        .map(|item| {
                            let seats = item
                                .registration
                                .as_ref()
                                .map(|r| seat_state(i18n, &r.seats))
                                .unwrap_or_default();
                            let title = item.title.clone();
                            view! {
                                <li>
                                    <a href=register_href(&item.slug)>{t!(i18n, home.register_for, title)}</a>
                                    " · " {item.day.clone()} " · " {seats}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    })
}

/// Links that filter the agenda by kind: plain links, answered in place with JavaScript
/// (`data-in-place`, see `public/in-place.js`).
#[component]
fn KindFilter(kinds: Vec<EventKind>, active_kind: Memo<Option<EventKind>>) -> impl IntoView {
    let i18n = use_i18n();
    let current = move |kind: Option<EventKind>| (active_kind.get() == kind).then_some("page");
    view! {
        <nav class="kind-filter" aria-label=move || t_string!(i18n, home.filter)>
            <ul>
                <li>
                    <a href="/" id="kind-all" data-in-place="" aria-current=move || current(None)>
                        {t!(i18n, home.all)}
                    </a>
                </li>
                {kinds
                    .into_iter()
                    .map(|kind| {
                        view! {
                            <li>
                                <a
                                    href=format!("/?kind={kind}")
                                    id=format!("kind-{kind}")
                                    data-in-place=""
                                    aria-current=move || current(Some(kind))
                                >
                                    {kind_label(i18n, kind)}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
