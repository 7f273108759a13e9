//! Server-only parts of the app: the context server functions run in, safe Markdown, and the
//! builders that turn domain values into the pages' view models.

pub mod markdown;
pub mod views;

use leptos::prelude::*;
use store::Store;

/// What server functions and server-rendered pages need from the running server.
#[derive(Clone, Debug)]
pub struct ServerContext {
    pub store: Store,
    /// The public URL of the site, e.g. `https://events.example.org`, without a trailing slash.
    pub base_url: String,
}

/// The server context provided by the router; an error (not a panic) if it is missing.
pub fn context() -> Result<ServerContext, ServerFnError> {
    use_context::<ServerContext>().ok_or_else(|| ServerFnError::new("server context is missing"))
}

/// Logs an internal failure in full and tells the caller only that something went wrong.
pub fn internal_error(error: store::StoreError) -> ServerFnError {
    tracing::error!(%error, "request failed");
    ServerFnError::new("Something went wrong on our side. Please try again.")
}

/// Sets the HTTP status of the page being rendered (e.g. 404 for an unknown event).
pub fn set_status(status: http::StatusCode) {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
    }
}
