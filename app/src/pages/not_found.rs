use leptos::prelude::*;
use leptos_meta::Title;

/// The 404 page: for unknown paths, and for events or dates that do not exist.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::ssr::set_status(http::StatusCode::NOT_FOUND);
    view! {
        <Title text="Page not found"/>
        <div class="page-head">
            <h1>"Page not found"</h1>
            <p class="lead">
                "There is no event or page at this address. It may have been renamed or removed."
            </p>
            <p><a href="/">"See upcoming events"</a></p>
        </div>
    }
}
