//! One component per route. Pages load their data through server functions and render it with
//! the shared components.

mod admin;
mod event;
mod home;
mod manage;
mod not_found;
mod occurrence;
mod past;
mod privacy;
mod register;
mod topics;

pub use admin::{
    AdminEventPageView, AdminHomePage, AdminPersonPageView, AdminTopicsPageView, CheckInPageView,
    EditEventPage, MailLogPageView, NewEventPage, OrganizersPageView, SignInFormPage,
};
pub use event::EventPage;
pub use home::HomePage;
pub use manage::{CancelRegistrationPage, ManageRegistrationPage};
pub use not_found::NotFound;
pub use occurrence::OccurrencePage;
pub use past::PastPage;
pub use privacy::PrivacyPage;
pub use register::{RegisterFormPage, RegisteredPage};
pub use topics::{MyTopicsPage, TopicEditFormPage, TopicsPage};

use leptos::prelude::*;

use crate::i18n::*;

/// Shown when a server function failed; the details are in the server log.
#[component]
fn LoadError(error: ServerFnError) -> impl IntoView {
    let i18n = use_i18n();
    let _ = error;
    view! { <p class="error-message" role="alert">{t!(i18n, load_error)}</p> }
}

/// Shown while a page's data is on its way (only seen after client-side navigation).
#[component]
fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="loading">{t!(i18n, loading)}</p> }
}
