//! convene's web application: pages and components (rendered on the server, hydrated in the
//! browser) and the server functions they call. Server-only code lives in [`ssr`].

// Deeply nested view types (a page inside Suspense inside the router) exceed the default limit.
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use leptos::prelude::*;
use leptos_meta::{Link, MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{ParamSegment, SsrMode, StaticSegment, path};

use crate::components::layout::Layout;
use crate::pages::{
    CancelRegistrationPage, EventPage, HomePage, ManageRegistrationPage, NotFound, OccurrencePage,
    PastPage, PrivacyPage, RegisterFormPage, RegisteredPage,
};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Every route waits for its data before sending HTML: pages must be complete without
    // JavaScript, and a missing event must answer 404 before the headers go out.
    view! {
        <Stylesheet id="leptos" href="/pkg/convene.css"/>
        <Link rel="alternate" type_="text/calendar" href="/calendar.ics" title="All events (iCalendar)"/>
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml"/>
        <Title formatter=|title: String| {
            if title.is_empty() { "convene".to_owned() } else { format!("{title} · convene") }
        }/>
        <Router>
            <Layout>
                <Routes fallback=NotFound>
                    <Route path=StaticSegment("") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/events/past") view=PastPage ssr=SsrMode::Async/>
                    <Route path=path!("/privacy") view=PrivacyPage ssr=SsrMode::Async/>
                    <Route path=path!("/events/:slug/register") view=RegisterFormPage ssr=SsrMode::Async/>
                    <Route path=path!("/events/:slug/registered") view=RegisteredPage ssr=SsrMode::Async/>
                    <Route path=path!("/r/:token") view=ManageRegistrationPage ssr=SsrMode::Async/>
                    <Route path=path!("/r/:token/cancel") view=CancelRegistrationPage ssr=SsrMode::Async/>
                    <Route path=(StaticSegment("events"), ParamSegment("slug")) view=EventPage ssr=SsrMode::Async/>
                    <Route
                        path=(StaticSegment("events"), ParamSegment("slug"), ParamSegment("date"))
                        view=OccurrencePage
                        ssr=SsrMode::Async
                    />
                </Routes>
            </Layout>
        </Router>
    }
}
