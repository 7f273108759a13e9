use leptos::prelude::*;
use leptos_meta::Title;

use super::{LoadError, Loading};
use crate::api::load_past;
use crate::components::agenda_list::AgendaList;
use crate::i18n::*;

/// `/events/past`: the archive, newest first.
#[component]
pub fn PastPage() -> impl IntoView {
    let i18n = use_i18n();
    let agenda = Resource::new(|| (), |_| load_past());
    view! {
        <Title text=t_string!(i18n, past.title).to_string()/>
        <div class="page-head">
            <h1>{t!(i18n, past.title)}</h1>
            <p class="lead">{t!(i18n, past.lead)}</p>
        </div>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match agenda.await {
                    Ok(items) if items.is_empty() => {
                        view! { <p class="empty">{t!(i18n, past.empty)}</p> }.into_any()
                    }
                    Ok(items) => view! { <AgendaList items/> }.into_any(),
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
