use domain::EventKind;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::LoadError;
use crate::api::load_upcoming;
use crate::components::agenda_list::AgendaList;
use crate::model::{AgendaItem, kind_label};

/// `/`: what is coming up, filterable by kind with `?kind=`.
#[component]
pub fn HomePage() -> impl IntoView {
    let agenda = Resource::new(|| (), |_| load_upcoming());
    let query = use_query_map();
    let active_kind = Memo::new(move |_| {
        query
            .read()
            .get("kind")
            .and_then(|kind| kind.parse::<EventKind>().ok())
    });
    view! {
        <Title text="Upcoming events"/>
        <div class="page-head">
            <h1>"Upcoming events"</h1>
            <p class="lead">
                "Community calls, team and SIG meetings, hackathons, and where to meet the community."
            </p>
        </div>
        <Suspense fallback=|| view! { <p class="loading">"Loading events…"</p> }>
            {move || Suspend::new(async move {
                match agenda.await {
                    Ok(items) => view! { <FilteredAgenda items active_kind/> }.into_any(),
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn FilteredAgenda(items: Vec<AgendaItem>, active_kind: Memo<Option<EventKind>>) -> impl IntoView {
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
            if shown.is_empty() {
                view! {
                    <p class="empty">
                        "Nothing is planned here yet. " <a href="/events/past">"See past events"</a> "."
                    </p>
                }
                    .into_any()
            } else {
                view! { <AgendaList items=shown/> }.into_any()
            }
        }}
    }
}

/// Links that filter the agenda by kind: plain links without JavaScript, in-place filtering
/// through the router with it.
#[component]
fn KindFilter(kinds: Vec<EventKind>, active_kind: Memo<Option<EventKind>>) -> impl IntoView {
    let current = move |kind: Option<EventKind>| (active_kind.get() == kind).then_some("page");
    view! {
        <nav class="kind-filter" aria-label="Filter by kind">
            <ul>
                <li>
                    <a href="/" aria-current=move || current(None)>"All"</a>
                </li>
                {kinds
                    .into_iter()
                    .map(|kind| {
                        view! {
                            <li>
                                <a href=format!("/?kind={kind}") aria-current=move || current(Some(kind))>
                                    {kind_label(kind)}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
