//! Server-only parts of the app: the services and request facts server functions run with, the
//! builders that turn domain values into the pages' view models, and the mail catalogue handed
//! to the services.

pub mod admin_views;
pub mod call_views;
pub mod csp;
pub mod mail_texts;
pub mod register_form;
pub mod topic_views;
pub mod views;

use leptos::prelude::*;
use service::Services;
use service::admin::SignedIn;

/// The services provided by the router; an error (not a panic) if they are missing.
pub fn context() -> Result<Services, ServerFnError> {
    use_context::<Services>().ok_or_else(|| ServerFnError::new("server context is missing"))
}

/// The organizer of the request a server function runs for: refused (401) when there is none,
/// so no admin data leaves without a session even if a route forgot its guard.
pub fn signed_in() -> Result<SignedIn, ServerFnError> {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<SignedIn>().cloned())
        .ok_or_else(|| {
            set_status(http::StatusCode::UNAUTHORIZED);
            ServerFnError::new("Sign in as an organizer first.")
        })
}

/// The organizer the request is signed in as, as the admin pages show them.
pub fn me() -> Result<crate::model::Me, ServerFnError> {
    signed_in().map(|organizer| crate::model::Me {
        email: organizer.email,
        role: organizer.role,
    })
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
    /// The preview of an organizer's message.
    pub broadcast: Option<crate::model::BroadcastPreview>,
    /// What an agenda action did or why not.
    pub agenda_notice: Option<crate::model::AgendaNotice>,
    /// A contributor link just made: (section id, full URL), shown once.
    pub issued_link: Option<(i64, String)>,
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

/// The value of the cookie `name` among a request's `Cookie` headers.
pub fn cookie<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .filter_map(|cookie| cookie.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// The language a request asks for outside a page (a feed, a mail to the organizer): the
/// language cookie the pages set, else the first language of `Accept-Language` (calendar apps
/// rarely send either: English then).
pub fn request_lang(headers: &http::HeaderMap) -> domain::Lang {
    let accepted = headers
        .get(http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next());
    cookie(headers, "i18n_pref_locale")
        .or(accepted)
        .map_or(domain::Lang::En, |tag| {
            domain::Lang::from_tag(tag.split(';').next().unwrap_or(tag))
        })
}

/// The value of the cookie `name` of the request being rendered.
pub fn request_cookie(name: &str) -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    cookie(&parts.headers, name).map(str::to_owned)
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
