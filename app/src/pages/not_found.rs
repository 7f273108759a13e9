use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::*;

/// The 404 page: for unknown paths, and for events or dates that do not exist.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::ssr::set_status(http::StatusCode::NOT_FOUND);
    let i18n = use_i18n();
    view! {
        <Title text=t_string!(i18n, not_found.title).to_string()/>
        <div class="page-head">
            <h1>{t!(i18n, not_found.title)}</h1>
            <p class="lead">{t!(i18n, not_found.lead)}</p>
            <p><a href="/">{t!(i18n, not_found.see_upcoming)}</a></p>
        </div>
    }
}
