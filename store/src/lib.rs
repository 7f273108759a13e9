//! convene's data-access layer: the one place that speaks SQL. It owns the connection pool for
//! either backend (SQLite by default, PostgreSQL for production), applies migrations, and turns
//! rows into domain values.
//!
//! The SQL is written once with `$n` placeholders, which both SQLite and PostgreSQL accept, and
//! each query runs against the concrete backend through [`on_backend!`] so that every column type
//! (instants, dates, booleans) is encoded natively by each driver.

mod admin;
mod call;
mod demo;
mod dump;
mod erasure;
mod events;
mod outbox;
mod queue;
mod registrations;
mod sso;
pub mod test_support;
mod topics;
mod webhooks;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use tokio::sync::Notify;

pub use admin::{AccessLogEntry, EventLogEntry, NewOrganizerError, Organizer, OrganizerAccount};
pub use call::SectionContributor;
pub use demo::{DemoOutcome, load_demo};
pub use dump::{DUMP_FORMAT, Dump, DumpRefusal};
pub use erasure::{AddressChange, ERASURE_MAIL};
pub use events::NewEvent;
pub use outbox::{ClaimedMail, MailFilter, MailLogEntry, OutgoingMail};
pub use queue::QueueLimits;
pub use registrations::{
    Actor, CHANGE_MAIL, EventWrite, LogEntry, LogLine, NewRegistration, Registration, SeatCounts,
};
pub use sso::{Identity, IdentitySignIn, NewSession};
pub use topics::Topic;
pub use webhooks::{ClaimedDelivery, DeliveryLogEntry, DeliveryTarget, WebhookEndpoint};

/// The address an erased registration keeps in place of the person's: unique per row (the
/// database keeps one registration per address and event) and never deliverable (`.invalid`
/// is reserved for that, RFC 2606).
pub fn erased_address(registration_id: i64) -> String {
    format!("erased-{registration_id}@erased.invalid")
}

/// The address a sent erasure mail keeps in the mail log.
pub const ERASED_RECIPIENT: &str = "erased@erased.invalid";

/// Everything that can go wrong when talking to the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    Url(String),
    #[error("cannot open the database: {0}")]
    Connect(#[source] sqlx::Error),
    #[error("cannot apply migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database query failed: {0}")]
    Query(#[from] sqlx::Error),
    /// A stored value that the domain does not accept, e.g. an unknown time zone.
    #[error("stored {what} is invalid: {detail}")]
    Corrupt { what: &'static str, detail: String },
    /// Too many writers wait for the same event (or too long): try again shortly.
    #[error("too many changes are waiting for this event; try again shortly")]
    Busy,
}

/// A value stored as JSON text (audit details).
pub(crate) fn to_json(value: &impl serde::Serialize) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt {
        what: "audit details",
        detail: e.to_string(),
    })
}

/// A value read back from JSON text.
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> StoreResult<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt {
        what: "audit details",
        detail: e.to_string(),
    })
}

/// A store failure is an internal failure of whichever flow met it: logged here, once, with its
/// cause; the flow's error carries nothing of it to the client. A full write queue is no
/// failure: the flow says it is busy (503, try again).
macro_rules! internal_failure_of {
    ($($error:ty),* $(,)?) => {
        $(impl From<StoreError> for $error {
            fn from(error: StoreError) -> Self {
                if let StoreError::Busy = error {
                    return <$error>::Busy;
                }
                tracing::error!(%error, flow = stringify!($error), "store failed");
                <$error>::Internal
            }
        })*
    };
}

internal_failure_of!(
    domain::RegisterError,
    domain::LinkError,
    domain::TopicError,
    domain::admin::AdminError,
    domain::call::AgendaError,
);

pub type StoreResult<T> = Result<T, StoreError>;

/// Which database the store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    Sqlite,
    Postgres,
}

#[derive(Debug, Clone)]
enum Backend {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the concrete pool of whichever backend `$store` uses.
macro_rules! on_backend {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.backend {
            $crate::Backend::Sqlite($pool) => $body,
            $crate::Backend::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_backend;

/// Creates a missing SQLite file readable by its owner only (it holds e-mail addresses and
/// password hashes); SQLite gives its `-wal` and `-shm` files the same mode. An existing file
/// is left as it is.
fn create_private(path: &std::path::Path) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    if path.as_os_str().is_empty() || path.as_os_str() == ":memory:" {
        return Ok(());
    }
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        other => other.map(|_| ()),
    }
}

/// A handle to the database; cheap to clone (it shares one pool).
#[derive(Debug, Clone)]
pub struct Store {
    backend: Backend,
    /// Writers wait here for their turn before they take a connection.
    write_queues: Arc<queue::WriteQueues>,
    /// Notified when a commit has queued mail (or a failed mail was queued again): the mail
    /// worker waits on it, so nobody has to remember to wake it.
    mail_queued: Arc<Notify>,
    /// The same for webhook deliveries and the webhook worker.
    webhooks_queued: Arc<Notify>,
}

impl Store {
    /// Opens the database named by `url` (`sqlite:path`, `sqlite::memory:`, `postgres://...`).
    /// A SQLite file is created if missing and runs in WAL mode with foreign keys enforced.
    pub async fn connect(url: &str) -> StoreResult<Store> {
        let backend = if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(|e| StoreError::Url(format!("not a valid SQLite URL: {e}")))?;
            create_private(options.get_filename())
                .map_err(|e| StoreError::Connect(sqlx::Error::Io(e)))?;
            let options = options
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(options)
                .await
                .map_err(StoreError::Connect)?;
            Backend::Sqlite(pool)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await
                .map_err(StoreError::Connect)?;
            Backend::Postgres(pool)
        } else {
            return Err(StoreError::Url(
                "must start with sqlite: or postgres:// (e.g. sqlite:convene.db)".to_owned(),
            ));
        };
        Ok(Store {
            backend,
            write_queues: Arc::new(queue::WriteQueues::new(QueueLimits::DEFAULT)),
            mail_queued: Arc::default(),
            webhooks_queued: Arc::default(),
        })
    }

    /// What the mail worker waits on: notified after each commit that queued mail.
    pub fn mail_queued(&self) -> Arc<Notify> {
        Arc::clone(&self.mail_queued)
    }

    /// What the webhook worker waits on: notified after each commit that queued a delivery.
    pub fn webhooks_queued(&self) -> Arc<Notify> {
        Arc::clone(&self.webhooks_queued)
    }

    pub fn kind(&self) -> BackendKind {
        match self.backend {
            Backend::Sqlite(_) => BackendKind::Sqlite,
            Backend::Postgres(_) => BackendKind::Postgres,
        }
    }

    fn migrator(&self) -> sqlx::migrate::Migrator {
        match &self.backend {
            Backend::Sqlite(_) => sqlx::migrate!("../migrations/sqlite"),
            Backend::Postgres(_) => sqlx::migrate!("../migrations/postgres"),
        }
    }

    /// Applies the migrations of this backend's dialect that have not run yet.
    pub async fn migrate(&self) -> StoreResult<()> {
        let migrator = self.migrator();
        match &self.backend {
            Backend::Sqlite(pool) => migrator.run(pool).await?,
            Backend::Postgres(pool) => migrator.run(pool).await?,
        }
        Ok(())
    }

    /// How many of this build's migrations the database has not applied (0 when ready; another
    /// instance may still be migrating).
    pub async fn pending_migrations(&self) -> StoreResult<usize> {
        let applied: Vec<(i64,)> = on_backend!(self, pool => {
            sqlx::query_as("SELECT version FROM _sqlx_migrations WHERE success = TRUE")
                .fetch_all(pool)
                .await?
        });
        let applied: std::collections::BTreeSet<i64> = applied.into_iter().map(|(v,)| v).collect();
        Ok(self
            .migrator()
            .iter()
            .filter(|m| !applied.contains(&m.version))
            .count())
    }

    /// Checks that the database answers a query.
    pub async fn ping(&self) -> StoreResult<()> {
        on_backend!(self, pool => {
            sqlx::query("SELECT 1").execute(pool).await?;
        });
        Ok(())
    }

    /// Closes the pool, waiting for connections in use to be returned.
    pub async fn close(&self) {
        on_backend!(self, pool => pool.close().await)
    }
}

impl Store {
    /// Runs one statement outside any transaction, such as `CREATE DATABASE` (tests, set-up).
    pub async fn execute_admin(&self, statement: &str) -> StoreResult<()> {
        on_backend!(self, pool => {
            sqlx::raw_sql(statement).execute(pool).await?;
        });
        Ok(())
    }
}
