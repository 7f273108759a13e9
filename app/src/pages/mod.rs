//! One component per route. Pages load their data through server functions and render it with
//! the shared components.

mod admin;
mod call;
mod event;
mod home;
mod manage;
mod my_data;
mod not_found;
mod occurrence;
mod past;
mod privacy;
mod register;
mod topics;

pub use admin::{
    AccountPage, AdminAgendaPage, AdminBar, AdminCallPage, AdminEventPage, AdminHomePage,
    AdminPersonPage, AdminTopicsPage, AuditPage, CheckInPage, EditEventPage, MailLogPage,
    NewEventPage, OrganizersPage, ScanPage, SignInPage, WebhooksPage,
};
pub use call::{ContributionPage, PresentPage};
pub use event::{EventPage, EventPreviewPage};
pub use home::HomePage;
pub use manage::{
    CancelRegistrationPage, ConfirmRegistrationPage, EraseDataPage, ManageRegistrationPage,
};
pub use my_data::{
    AddressChangedPage, ConfirmAddressPage, CorrectDetailsPage, DataErasedPage, MyDataPage,
};
pub use not_found::NotFound;
pub use occurrence::OccurrencePage;
pub use past::PastPage;
pub use privacy::PrivacyPage;
pub use register::{RegisterPage, RegisteredPage};
pub use topics::{MyTopicsPage, TopicEditPage, TopicsPage};

use domain::EventSlug;
use leptos::prelude::*;
use leptos_router::params::ParamsMap;

use crate::i18n::*;

/// The event address in the route, when it is a valid one (otherwise there is no such page,
/// and the server is not asked).
fn event_slug(params: &ParamsMap) -> Option<EventSlug> {
    params
        .get("slug")
        .and_then(|slug| EventSlug::parse(&slug).ok())
}

/// Loads a page of the event at `slug` with `load`; no valid address, no such page.
async fn for_event<T, Loading>(
    slug: Option<EventSlug>,
    load: impl FnOnce(EventSlug) -> Loading,
) -> Result<Option<T>, ServerFnError>
where
    Loading: Future<Output = Result<Option<T>, ServerFnError>>,
{
    match slug {
        Some(slug) => load(slug).await,
        None => Ok(None),
    }
}

/// Shown when a server function failed; the details are in the server log.
#[component]
fn LoadError(error: ServerFnError) -> impl IntoView {
    let i18n = use_i18n();
    let _ = error;
    view! { <p class="error-message" role="alert">{t!(i18n, load_error)}</p> }
}

/// The body of a page whose data `resource` loads: `found` draws it, `missing` says there is
/// none (a 404, an invalid link), an error message when loading failed, "loading" meanwhile.
fn loaded<T>(
    resource: Resource<Result<Option<T>, ServerFnError>>,
    found: fn(T) -> AnyView,
    missing: fn() -> AnyView,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
{
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match resource.await {
                    Ok(Some(data)) => found(data),
                    Ok(None) => missing(),
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// [`loaded`]'s answer when there is no such page.
fn not_found() -> AnyView {
    view! { <NotFound/> }.into_any()
}

/// Shown while a page's data is on its way (only seen after client-side navigation).
#[component]
fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="loading">{t!(i18n, loading)}</p> }
}
