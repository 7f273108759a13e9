//! The application services of convene: every flow that changes or reads an event on someone's
//! behalf (registration, topics, the organizers' work), accounts and sessions, secret tokens,
//! rate limits, metrics, and the mails the flows queue. The pages, the server functions, the HTTP
//! handlers, the housekeeping tasks and the CLI all call these; none of them talks to the store
//! for a flow of its own. Domain rules stay in `domain` (no I/O), SQL stays in `store`.

pub mod admin;
pub mod call;
pub mod demo;
pub mod html;
pub mod limits;
pub mod mail;
pub mod markdown;
pub mod matrix;
pub mod metrics;
pub mod privacy;
pub mod queue;
pub mod registration;
pub mod sso;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod tickets;
pub mod token;
pub mod topics;
pub mod webhooks;

use std::sync::Arc;

use store::Store;

pub use mail::{MailText, MailTexts};

/// Everything the flows need from the running site: the store, the public URL, the mail
/// catalogue, metrics and rate limits. One per server (or CLI run),
/// cheap to clone.
#[derive(Clone, Debug)]
pub struct Services {
    pub store: Store,
    /// The public URL of the site, e.g. `https://events.example.org`, without a trailing slash.
    pub base_url: String,
    /// The words of the mails in each language (the site's one text catalogue lives with the
    /// pages, which hand it over here).
    pub mail_texts: Arc<dyn MailTexts>,
    pub metrics: Arc<metrics::Metrics>,
    /// Registration, proposal and sign-in limits of this instance.
    pub rate_limits: Arc<limits::RateLimiter>,
    /// Registrations waiting to be admitted, per event (group commit).
    pub registration_queue: Arc<queue::RegistrationQueue>,
    /// How often people may register and be mailed their link again (settings).
    pub registration_limits: domain::RegistrationLimits,
    /// How long after an event its registrations' personal data is kept (settings).
    pub retention: chrono::Duration,
    /// Whom people write to about their data (settings); shown on the privacy page.
    pub privacy_contact: Option<String>,
    /// How long a "what changed" mail waits for further changes before it goes out (settings).
    pub change_mail_delay: chrono::Duration,
    /// Where Matrix notices go (settings); `None`: no notices.
    pub matrix: Option<matrix::MatrixSettings>,
    /// Organizer sign-in through the community's identity provider (settings); `None`: off.
    pub sso: Option<Arc<sso::Sso>>,
    /// Whether organizers may sign in with a password (settings; off only with `sso`).
    pub password_sign_in: bool,
}

impl Services {
    pub fn new(store: Store, base_url: String, mail_texts: Arc<dyn MailTexts>) -> Services {
        Services {
            store,
            base_url,
            mail_texts,
            metrics: Arc::default(),
            rate_limits: Arc::default(),
            registration_queue: Arc::default(),
            registration_limits: domain::RegistrationLimits::DEFAULT,
            retention: privacy::DEFAULT_RETENTION,
            privacy_contact: None,
            change_mail_delay: chrono::Duration::seconds(60),
            matrix: None,
            sso: None,
            password_sign_in: true,
        }
    }

    /// Writes this site's mails.
    pub fn composer(&self) -> mail::Composer<'_> {
        mail::Composer {
            texts: self.mail_texts.as_ref(),
            base_url: &self.base_url,
            retention_days: self.retention.num_days(),
        }
    }
}

/// Logs a failure that is not the store's (the random source, password hashing) once, with its
/// cause, and answers with the flow's `Internal`, which carries nothing to the client.
pub(crate) fn failed<E>(what: &'static str, cause: impl std::fmt::Display, error: E) -> E {
    tracing::error!(%cause, what, "internal failure");
    error
}
