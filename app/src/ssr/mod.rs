//! Server-only parts of the app: the context server functions run in, safe Markdown, and the
//! builders that turn domain values into the pages' view models.

pub mod admin;
pub mod admin_views;
pub mod csp;
pub mod html;
pub mod limits;
pub mod mail;
pub mod markdown;
pub mod metrics;
pub mod registration;
#[cfg(test)]
mod testing;
pub mod token;
pub mod topics;
pub mod views;

use std::sync::Arc;

use leptos::prelude::*;
use store::Store;
use tokio::sync::Notify;

/// What server functions and server-rendered pages need from the running server.
#[derive(Clone, Debug)]
pub struct ServerContext {
    pub store: Store,
    /// The public URL of the site, e.g. `https://events.example.org`, without a trailing slash.
    pub base_url: String,
    /// Wakes the mail worker when a change has queued mail.
    pub mail_wakeup: Arc<Notify>,
    pub metrics: Arc<metrics::Metrics>,
    /// Registration, proposal and sign-in limits of this instance.
    pub rate_limits: Arc<limits::RateLimiter>,
    /// How often people may register and be mailed their link again (settings).
    pub registration_limits: domain::RegistrationLimits,
}

impl ServerContext {
    pub fn new(store: Store, base_url: String) -> ServerContext {
        ServerContext {
            store,
            base_url,
            mail_wakeup: Arc::new(Notify::new()),
            metrics: Arc::default(),
            rate_limits: Arc::default(),
            registration_limits: domain::RegistrationLimits::DEFAULT,
        }
    }

    /// Tells the mail worker that there is mail to send now.
    pub fn wake_mailer(&self) {
        self.mail_wakeup.notify_one();
    }
}

/// The server context provided by the router; an error (not a panic) if it is missing.
pub fn context() -> Result<ServerContext, ServerFnError> {
    use_context::<ServerContext>().ok_or_else(|| ServerFnError::new("server context is missing"))
}

/// Logs an internal failure in full and tells the caller only that something went wrong.
pub fn internal_error(error: impl std::fmt::Display) -> ServerFnError {
    tracing::error!(%error, "request failed");
    ServerFnError::new("Something went wrong on our side. Please try again.")
}

/// Sets the HTTP status of the page being rendered (e.g. 404 for an unknown event).
pub fn set_status(status: http::StatusCode) {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
}

/// What an HTML form post left for the page rendered in its response (no JavaScript needed):
/// the values and errors of a rejected form, or a notice.
#[derive(Clone, Debug, Default)]
pub struct Flash {
    pub submission: Option<crate::model::Submission>,
    pub notice: Option<crate::model::Notice>,
    pub admin_notice: Option<crate::model::AdminNotice>,
}

/// The address a request came from (the peer, or the proxy's `X-Forwarded-For` when the server
/// is told it stands behind one); registration, proposal and sign-in limits count per address.
#[derive(Clone, Copy, Debug, Default)]
pub struct ClientAddress(pub Option<std::net::IpAddr>);

/// The address of the request a server function runs for.
pub fn client_address() -> Option<std::net::IpAddr> {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<ClientAddress>().copied())
        .and_then(|address| address.0)
}

/// The flash of the current request, if a form post rendered this page.
pub fn flash() -> Flash {
    use_context::<Flash>().unwrap_or_default()
}

/// The language of the current request (cookie, then `Accept-Language`), as the i18n context
/// of the page resolves it.
pub fn lang() -> domain::Lang {
    let locale: crate::i18n::Locale = leptos_i18n::locale::resolve_locale();
    crate::lang_of(locale)
}
