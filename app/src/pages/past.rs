use leptos::prelude::*;
use leptos_meta::Title;

use super::LoadError;
use crate::api::load_past;
use crate::components::agenda_list::AgendaList;

/// `/events/past`: the archive, newest first.
#[component]
pub fn PastPage() -> impl IntoView {
    let agenda = Resource::new(|| (), |_| load_past());
    view! {
        <Title text="Past events"/>
        <div class="page-head">
            <h1>"Past events"</h1>
            <p class="lead">"Events that have happened, and community calls with their notes."</p>
        </div>
        <Suspense fallback=|| view! { <p class="loading">"Loading events…"</p> }>
            {move || Suspend::new(async move {
                match agenda.await {
                    Ok(items) if items.is_empty() => {
                        view! { <p class="empty">"No past events yet."</p> }.into_any()
                    }
                    Ok(items) => view! { <AgendaList items/> }.into_any(),
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
