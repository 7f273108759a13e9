//! One component per route. Pages load their data through server functions and render it with
//! the shared components.

mod event;
mod home;
mod manage;
mod not_found;
mod occurrence;
mod past;
mod privacy;
mod register;

pub use event::EventPage;
pub use home::HomePage;
pub use manage::{CancelRegistrationPage, ManageRegistrationPage};
pub use not_found::NotFound;
pub use occurrence::OccurrencePage;
pub use past::PastPage;
pub use privacy::PrivacyPage;
pub use register::{RegisterFormPage, RegisteredPage};

use leptos::prelude::*;

/// Shown when a server function failed; the details are in the server log.
#[component]
fn LoadError(error: ServerFnError) -> impl IntoView {
    let message = match error {
        ServerFnError::ServerError(message) => message,
        _ => "The page could not be loaded. Please try again.".to_owned(),
    };
    view! { <p class="error-message" role="alert">{message}</p> }
}
