//! Registrations, their audit log, and the write transaction that keeps capacity safe.
//!
//! Every change to an event's registrations happens inside an [`EventWrite`]: a transaction that
//! holds the event's write lock from its first statement (SQLite `BEGIN IMMEDIATE`, PostgreSQL
//! `SELECT ... FOR UPDATE` on the event row), so counting seats and taking one cannot interleave
//! with another request, and the outbox rows for its mails commit with it or not at all.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use domain::audit::{AuditAction, RegistrationNote};
use domain::changes::EventChanges;
use domain::{RegistrationStatus, ValidRegistration};
use sqlx::{Postgres, Sqlite, Transaction};
use tokio::sync::Notify;

use crate::outbox::OutgoingMail;
use crate::{Backend, Store, StoreError, StoreResult, on_backend};

/// A stored registration.
#[derive(Debug, Clone, PartialEq)]
pub struct Registration {
    pub id: i64,
    pub event_id: i64,
    pub name: String,
    pub email: String,
    pub organisation: Option<String>,
    pub notes: Option<String>,
    pub answers: BTreeMap<String, String>,
    pub locale: String,
    pub status: RegistrationStatus,
    pub waitlist_seq: Option<i64>,
    pub hold_expires_at: Option<DateTime<Utc>>,
    pub email_confirmed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// When the person arrived at the door.
    pub checked_in_at: Option<DateTime<Utc>>,
    /// When the personal data was erased (name, address, answers and link are gone).
    pub erased_at: Option<DateTime<Utc>>,
    /// The check-in code of the ticket (`domain::tickets::TicketCode`).
    pub ticket_code: String,
}

#[derive(sqlx::FromRow)]
struct RegistrationRow {
    id: i64,
    event_id: i64,
    name: String,
    email: String,
    organisation: Option<String>,
    notes: Option<String>,
    answers: String,
    locale: String,
    status: String,
    waitlist_seq: Option<i64>,
    hold_expires_at: Option<DateTime<Utc>>,
    email_confirmed_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    checked_in_at: Option<DateTime<Utc>>,
    erased_at: Option<DateTime<Utc>>,
    ticket_code: String,
}

const REGISTRATION_COLUMNS: &str = "id, event_id, name, email, organisation, notes, answers, \
     locale, status, waitlist_seq, hold_expires_at, email_confirmed_at, created_at, checked_in_at, \
     erased_at, ticket_code";

impl TryFrom<RegistrationRow> for Registration {
    type Error = StoreError;
    fn try_from(row: RegistrationRow) -> Result<Self, Self::Error> {
        let corrupt = |what: &'static str, detail: String| StoreError::Corrupt {
            what,
            detail: format!("registration {}: {detail}", row.id),
        };
        Ok(Registration {
            status: row
                .status
                .parse()
                .map_err(|e: String| corrupt("status", e))?,
            answers: serde_json::from_str(&row.answers)
                .map_err(|e| corrupt("answers", e.to_string()))?,
            id: row.id,
            event_id: row.event_id,
            name: row.name,
            email: row.email,
            organisation: row.organisation,
            notes: row.notes,
            locale: row.locale,
            waitlist_seq: row.waitlist_seq,
            hold_expires_at: row.hold_expires_at,
            email_confirmed_at: row.email_confirmed_at,
            created_at: row.created_at,
            checked_in_at: row.checked_in_at,
            erased_at: row.erased_at,
            ticket_code: row.ticket_code,
        })
    }
}

/// Who made a change, for the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// The person, through their registration form or secret link.
    Registrant,
    /// convene itself: expiry of unconfirmed seats, promotion from the waitlist.
    System,
    Organizer(i64),
    /// Whoever holds the contributor link of an agenda section (by the section's id).
    Contributor(i64),
}

impl Actor {
    pub(crate) fn stored(self) -> String {
        match self {
            Actor::Registrant => "registrant".to_owned(),
            Actor::System => "system".to_owned(),
            Actor::Organizer(id) => format!("organizer:{id}"),
            Actor::Contributor(section_id) => format!("contributor:{section_id}"),
        }
    }
}

/// The kind of the "what changed" mail (merged while it waits, see
/// [`EventWrite::waiting_change_mail`]).
pub const CHANGE_MAIL: &str = "event_changed";

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct LogEntry {
    pub actor: String,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    /// The English note of a row written before the log was typed.
    pub note: Option<String>,
    /// The note as data (`RegistrationNote` in JSON).
    pub details: Option<String>,
    pub at: DateTime<Utc>,
}

impl LogEntry {
    /// The note as data; `None` when there is none or the row predates the typed log.
    pub fn note(&self) -> StoreResult<Option<RegistrationNote>> {
        self.details.as_deref().map(crate::from_json).transpose()
    }
}

/// Seats held and people waiting at one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SeatCounts {
    pub seats_taken: u32,
    pub waitlisted: u32,
}

pub(crate) enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// A write transaction holding the lock of one event; see the module docs.
pub struct EventWrite {
    pub(crate) tx: Tx,
    pub event_id: i64,
    /// Whether this transaction queued mail, and whom to tell when it commits.
    pub(crate) mail_queued: Option<Arc<Notify>>,
    pub(crate) outbox: Arc<Notify>,
    /// Whether this transaction queued webhook deliveries, and whom to tell when it commits.
    pub(crate) webhooks_queued: Option<Arc<Notify>>,
    pub(crate) webhook_outbox: Arc<Notify>,
    /// The kinds some endpoint takes, read once per transaction.
    pub(crate) webhook_kinds: Option<Vec<domain::webhooks::WebhookKind>>,
    /// This writer's turn in the queue; the next one's comes when this is dropped.
    pub(crate) _turn: Option<crate::queue::Turn>,
}

/// Runs `$body` with `$conn` bound to the transaction's connection for either backend.
macro_rules! on_tx {
    ($write:expr, $conn:ident => $body:expr) => {
        match &mut $write.tx {
            $crate::registrations::Tx::Sqlite(tx) => {
                let $conn = &mut **tx;
                $body
            }
            $crate::registrations::Tx::Postgres(tx) => {
                let $conn = &mut **tx;
                $body
            }
        }
    };
}
pub(crate) use on_tx;

impl Store {
    /// Opens a write transaction that holds `event_id`'s lock until commit or drop.
    pub async fn write_event(&self, event_id: i64) -> StoreResult<EventWrite> {
        let turn = self.write_turn(Some(event_id)).await?;
        let mut tx = self.begin_write().await?;
        if let Tx::Postgres(tx) = &mut tx {
            sqlx::query("SELECT id FROM events WHERE id = $1 FOR UPDATE")
                .bind(event_id)
                .execute(&mut **tx)
                .await?;
        }
        Ok(EventWrite {
            tx,
            event_id,
            mail_queued: None,
            outbox: self.mail_queued(),
            webhooks_queued: None,
            webhook_outbox: self.webhooks_queued(),
            webhook_kinds: None,
            _turn: turn,
        })
    }

    /// The turn of a writer of `event_id` (`None`: an event being created): per event on
    /// PostgreSQL, one for the whole database on SQLite; `None` on PostgreSQL waits for nobody.
    pub(crate) async fn write_turn(
        &self,
        event_id: Option<i64>,
    ) -> StoreResult<Option<crate::queue::Turn>> {
        let key = match (&self.backend, event_id) {
            (Backend::Sqlite(_), _) => 0,
            (Backend::Postgres(_), Some(id)) => id,
            (Backend::Postgres(_), None) => return Ok(None),
        };
        self.write_queues.turn(key).await.map(Some)
    }

    /// A write transaction (on SQLite it takes the database's write lock at once, so that two
    /// writers never deadlock upgrading a read).
    pub(crate) async fn begin_write(&self) -> StoreResult<Tx> {
        Ok(match &self.backend {
            Backend::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Backend::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// The registration whose secret link (its current one or an earlier one that still works)
    /// hashes to `token_hash`. A replaced link finds nothing here (see [`Self::replaced_link`]).
    pub async fn registration_by_token(
        &self,
        token_hash: &str,
    ) -> StoreResult<Option<Registration>> {
        let sql = format!(
            "SELECT {REGISTRATION_COLUMNS} FROM registrations WHERE token_hash = $1 \
             OR id = (SELECT registration_id FROM registration_links \
                      WHERE token_hash = $1 AND replaced_at IS NULL)"
        );
        let row: Option<RegistrationRow> = on_backend!(self, pool => {
            sqlx::query_as(&sql).bind(token_hash).fetch_optional(pool).await?
        });
        row.map(Registration::try_from).transpose()
    }

    /// The event of the registration whose link hashing to `token_hash` was replaced by a newer
    /// one (an organizer's "send a new link"); `None` for any other secret.
    pub async fn replaced_link(&self, token_hash: &str) -> StoreResult<Option<i64>> {
        let row: Option<(i64,)> = on_backend!(self, pool => {
            sqlx::query_as(
                "SELECT r.event_id FROM registration_links l \
                 JOIN registrations r ON r.id = l.registration_id \
                 WHERE l.token_hash = $1 AND l.replaced_at IS NOT NULL AND r.erased_at IS NULL",
            )
            .bind(token_hash)
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(|(event_id,)| event_id))
    }

    /// The registration whose ticket has the check-in code `code`, of any event.
    pub async fn registration_by_ticket(&self, code: &str) -> StoreResult<Option<Registration>> {
        let sql =
            format!("SELECT {REGISTRATION_COLUMNS} FROM registrations WHERE ticket_code = $1");
        let row: Option<RegistrationRow> = on_backend!(self, pool => {
            sqlx::query_as(&sql).bind(code).fetch_optional(pool).await?
        });
        row.map(Registration::try_from).transpose()
    }

    /// All registrations of an event, in the order they arrived.
    pub async fn registrations_of(&self, event_id: i64) -> StoreResult<Vec<Registration>> {
        let sql = format!(
            "SELECT {REGISTRATION_COLUMNS} FROM registrations WHERE event_id = $1 ORDER BY id"
        );
        let rows: Vec<RegistrationRow> = on_backend!(self, pool => {
            sqlx::query_as(&sql).bind(event_id).fetch_all(pool).await?
        });
        rows.into_iter().map(Registration::try_from).collect()
    }

    /// Seats taken and people waiting, read outside any lock (for display).
    pub async fn seat_counts(&self, event_id: i64) -> StoreResult<SeatCounts> {
        let row: (Option<i64>, Option<i64>) = on_backend!(self, pool => {
            sqlx::query_as(SEAT_COUNTS_SQL).bind(event_id).fetch_one(pool).await?
        });
        Ok(seat_counts_from(row))
    }

    /// The 1-based place of a waiting registration in its event's queue.
    pub async fn waitlist_position(&self, registration: &Registration) -> StoreResult<Option<u32>> {
        let Some(seq) = registration
            .waitlist_seq
            .filter(|_| registration.status == RegistrationStatus::Waitlisted)
        else {
            return Ok(None);
        };
        let (ahead,): (i64,) = on_backend!(self, pool => {
            sqlx::query_as(WAITLIST_AHEAD_SQL)
                .bind(registration.event_id)
                .bind(seq)
                .fetch_one(pool)
                .await?
        });
        Ok(Some(to_u32(ahead) + 1))
    }

    /// Events whose waitlist stopped moving (its last promotion passed) with people still
    /// waiting, who are to be told.
    pub async fn events_with_closed_waitlists(&self, now: DateTime<Utc>) -> StoreResult<Vec<i64>> {
        let rows: Vec<(i64,)> = on_backend!(self, pool => {
            sqlx::query_as(
                "SELECT DISTINCT r.event_id FROM registrations r JOIN events e ON e.id = r.event_id \
                 WHERE r.status = 'waitlisted' AND e.last_promotion_at <= $1",
            )
            .bind(now)
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Events with seats held until now and not taken: for addresses not confirmed in time, or
    /// offered from the waitlist and not accepted in time.
    pub async fn events_with_expired_holds(&self, now: DateTime<Utc>) -> StoreResult<Vec<i64>> {
        let rows: Vec<(i64,)> = on_backend!(self, pool => {
            sqlx::query_as(
                "SELECT DISTINCT event_id FROM registrations \
                 WHERE status IN ('pending_email', 'offered') AND hold_expires_at <= $1",
            )
            .bind(now)
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// The audit log of one registration, oldest first.
    pub async fn registration_log(&self, registration_id: i64) -> StoreResult<Vec<LogEntry>> {
        let entries: Vec<LogEntry> = on_backend!(self, pool => {
            sqlx::query_as(
                "SELECT actor, action, from_status, to_status, note, details, at \
                 FROM registration_log WHERE registration_id = $1 ORDER BY id",
            )
            .bind(registration_id)
            .fetch_all(pool)
            .await?
        });
        Ok(entries)
    }

    /// Every change of a registration status of an event's registrations, oldest first (for
    /// its registration curve); a stored status this version does not know is left out.
    pub async fn status_changes(
        &self,
        event_id: i64,
    ) -> StoreResult<Vec<domain::curve::StatusChange>> {
        let rows: Vec<(Option<String>, Option<String>, DateTime<Utc>)> = on_backend!(self, pool => {
            sqlx::query_as(
                "SELECT from_status, to_status, at FROM registration_log \
                 WHERE event_id = $1 AND (from_status IS NOT NULL OR to_status IS NOT NULL) \
                 ORDER BY id",
            )
            .bind(event_id)
            .fetch_all(pool)
            .await?
        });
        let status = |word: Option<String>| word.and_then(|w| w.parse().ok());
        Ok(rows
            .into_iter()
            .map(|(from, to, at)| domain::curve::StatusChange {
                at,
                from: status(from),
                to: status(to),
            })
            .filter(|change| change.from != change.to)
            .collect())
    }
}

const SEAT_COUNTS_SQL: &str = "SELECT \
     SUM(CASE WHEN status IN ('pending_email', 'confirmed', 'offered') THEN 1 ELSE 0 END), \
     SUM(CASE WHEN status = 'waitlisted' THEN 1 ELSE 0 END) \
     FROM registrations WHERE event_id = $1";

const WAITLIST_AHEAD_SQL: &str = "SELECT COUNT(*) FROM registrations \
     WHERE event_id = $1 AND status = 'waitlisted' AND waitlist_seq < $2";

fn seat_counts_from((taken, waiting): (Option<i64>, Option<i64>)) -> SeatCounts {
    SeatCounts {
        seats_taken: to_u32(taken.unwrap_or(0)),
        waitlisted: to_u32(waiting.unwrap_or(0)),
    }
}

fn to_u32(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

/// One line of the audit log about to be written.
#[derive(Debug, Clone, PartialEq)]
pub struct LogLine {
    pub registration_id: i64,
    pub actor: Actor,
    pub action: AuditAction,
    pub from: Option<RegistrationStatus>,
    pub to: Option<RegistrationStatus>,
    pub note: Option<RegistrationNote>,
    pub at: DateTime<Utc>,
}

/// A registration about to be stored.
pub struct NewRegistration<'a> {
    pub valid: &'a ValidRegistration,
    pub status: RegistrationStatus,
    pub token_hash: &'a str,
    /// The check-in code of its ticket.
    pub ticket_code: &'a str,
    /// Its place in the waitlist's order (see [`EventWrite::next_waitlist_seq`]), when waiting.
    pub waitlist_seq: Option<i64>,
    pub hold_expires_at: Option<DateTime<Utc>>,
    pub now: DateTime<Utc>,
}

impl EventWrite {
    pub async fn seat_counts(&mut self) -> StoreResult<SeatCounts> {
        let event_id = self.event_id;
        let row: (Option<i64>, Option<i64>) = on_tx!(self, conn => {
            sqlx::query_as(SEAT_COUNTS_SQL).bind(event_id).fetch_one(conn).await?
        });
        Ok(seat_counts_from(row))
    }

    /// Every registration of this event, in the order they came, read inside the lock (a flow
    /// that holds the lock must not wait for a pool connection: on SQLite, the connection it
    /// waits for may belong to someone waiting for this lock).
    pub async fn registrations(&mut self) -> StoreResult<Vec<Registration>> {
        let sql = format!(
            "SELECT {REGISTRATION_COLUMNS} FROM registrations WHERE event_id = $1 ORDER BY id"
        );
        let event_id = self.event_id;
        let rows: Vec<RegistrationRow> = on_tx!(self, conn => {
            sqlx::query_as(&sql).bind(event_id).fetch_all(conn).await?
        });
        rows.into_iter().map(Registration::try_from).collect()
    }

    /// The registration of this event for a normalised e-mail address.
    pub async fn registration_by_email(
        &mut self,
        email_normalized: &str,
    ) -> StoreResult<Option<Registration>> {
        let sql = format!(
            "SELECT {REGISTRATION_COLUMNS} FROM registrations \
             WHERE event_id = $1 AND email_normalized = $2"
        );
        let event_id = self.event_id;
        let row: Option<RegistrationRow> = on_tx!(self, conn => {
            sqlx::query_as(&sql).bind(event_id).bind(email_normalized).fetch_optional(conn).await?
        });
        row.map(Registration::try_from).transpose()
    }

    /// Re-reads a registration inside the lock (its status may have changed meanwhile).
    pub async fn registration(&mut self, id: i64) -> StoreResult<Option<Registration>> {
        let sql = format!(
            "SELECT {REGISTRATION_COLUMNS} FROM registrations WHERE id = $1 AND event_id = $2"
        );
        let event_id = self.event_id;
        let row: Option<RegistrationRow> = on_tx!(self, conn => {
            sqlx::query_as(&sql).bind(id).bind(event_id).fetch_optional(conn).await?
        });
        row.map(Registration::try_from).transpose()
    }

    /// [`Store::registration_by_ticket`] inside the lock: the registration of any event whose
    /// ticket has the check-in code `code`.
    pub async fn registration_by_ticket(
        &mut self,
        code: &str,
    ) -> StoreResult<Option<Registration>> {
        let sql =
            format!("SELECT {REGISTRATION_COLUMNS} FROM registrations WHERE ticket_code = $1");
        let row: Option<RegistrationRow> = on_tx!(self, conn => {
            sqlx::query_as(&sql).bind(code).fetch_optional(conn).await?
        });
        row.map(Registration::try_from).transpose()
    }

    /// The next place at the back of the waitlist.
    pub async fn next_waitlist_seq(&mut self) -> StoreResult<i64> {
        let event_id = self.event_id;
        let (max,): (Option<i64>,) = on_tx!(self, conn => {
            sqlx::query_as("SELECT MAX(waitlist_seq) FROM registrations WHERE event_id = $1")
                .bind(event_id)
                .fetch_one(conn)
                .await?
        });
        Ok(max.unwrap_or(0) + 1)
    }

    /// The status of this event's registration for each of the normalised addresses that has
    /// one, as `(address, status)`.
    pub async fn statuses_by_email(
        &mut self,
        emails_normalized: &[String],
    ) -> StoreResult<Vec<(String, RegistrationStatus)>> {
        if emails_normalized.is_empty() {
            return Ok(Vec::new());
        }
        let event_id = self.event_id;
        let rows: Vec<(String, String)> = on_tx!(self, conn => {
            let mut query = sqlx::QueryBuilder::new(
                "SELECT email_normalized, status FROM registrations WHERE event_id = ",
            );
            query.push_bind(event_id).push(" AND email_normalized IN (");
            let mut list = query.separated(", ");
            for email in emails_normalized {
                list.push_bind(email);
            }
            query.push(")");
            query.build_query_as().fetch_all(conn).await?
        });
        rows.into_iter()
            .map(|(email, status)| {
                let status = status.parse().map_err(|e: String| StoreError::Corrupt {
                    what: "status",
                    detail: e,
                })?;
                Ok((email, status))
            })
            .collect()
    }

    /// Stores new registrations in one statement (a person whose registration was cancelled or
    /// expired gets it back, renewed) and returns their ids, in the order given. The addresses
    /// must differ from each other.
    pub async fn insert_registrations(
        &mut self,
        rows: &[NewRegistration<'_>],
    ) -> StoreResult<Vec<i64>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let answers = rows
            .iter()
            .map(|row| {
                serde_json::to_string(&row.valid.answers).map_err(|e| StoreError::Corrupt {
                    what: "answers",
                    detail: e.to_string(),
                })
            })
            .collect::<StoreResult<Vec<String>>>()?;
        let event_id = self.event_id;
        let inserted: Vec<(i64, String)> = on_tx!(self, conn => {
            let mut query = sqlx::QueryBuilder::new(
                "INSERT INTO registrations (event_id, name, email, email_normalized, \
                 organisation, notes, answers, locale, status, token_hash, ticket_code, \
                 waitlist_seq, hold_expires_at, created_at, updated_at) ",
            );
            query.push_values(rows.iter().zip(&answers), |mut values, (row, answers)| {
                let v = row.valid;
                values
                    .push_bind(event_id)
                    .push_bind(&v.name)
                    .push_bind(v.email.as_str())
                    .push_bind(v.email.normalized())
                    .push_bind(&v.organisation)
                    .push_bind(&v.notes)
                    .push_bind(answers)
                    .push_bind(v.locale.tag())
                    .push_bind(row.status.as_str())
                    .push_bind(row.token_hash)
                    .push_bind(row.ticket_code)
                    .push_bind(row.waitlist_seq)
                    .push_bind(row.hold_expires_at)
                    .push_bind(row.now)
                    .push_bind(row.now);
            });
            query.push(
                " ON CONFLICT (event_id, email_normalized) DO UPDATE SET \
                 name = excluded.name, email = excluded.email, \
                 organisation = excluded.organisation, notes = excluded.notes, \
                 answers = excluded.answers, locale = excluded.locale, status = excluded.status, \
                 token_hash = excluded.token_hash, ticket_code = excluded.ticket_code, \
                 waitlist_seq = excluded.waitlist_seq, \
                 hold_expires_at = excluded.hold_expires_at, email_confirmed_at = NULL, \
                 created_at = excluded.created_at, updated_at = excluded.updated_at \
                 RETURNING id, email_normalized",
            );
            query.build_query_as().fetch_all(conn).await?
        });
        // RETURNING promises no order: match the rows by their (distinct) addresses.
        let ids: std::collections::HashMap<String, i64> = inserted
            .into_iter()
            .map(|(id, email)| (email, id))
            .collect();
        rows.iter()
            .map(|row| {
                ids.get(&row.valid.email.normalized())
                    .copied()
                    .ok_or_else(|| StoreError::Corrupt {
                        what: "registration",
                        detail: "an inserted registration did not come back".to_owned(),
                    })
            })
            .collect()
    }

    /// Moves a registration to `status`. A move onto the waitlist takes the next place at its
    /// back; a seat held for confirmation gets `hold_expires_at`.
    pub async fn set_status(
        &mut self,
        id: i64,
        status: RegistrationStatus,
        hold_expires_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let waitlist_seq = if status == RegistrationStatus::Waitlisted {
            Some(self.next_waitlist_seq().await?)
        } else {
            None
        };
        let sql = "UPDATE registrations SET status = $1, hold_expires_at = $2, \
                   waitlist_seq = COALESCE($3, waitlist_seq), updated_at = $4 \
                   WHERE id = $5 AND event_id = $6";
        let event_id = self.event_id;
        on_tx!(self, conn => {
            sqlx::query(sql)
                .bind(status.as_str())
                .bind(hold_expires_at)
                .bind(waitlist_seq)
                .bind(now)
                .bind(id)
                .bind(event_id)
                .execute(conn)
                .await?;
        });
        Ok(())
    }

    /// Records that the person proved they read mail at their address.
    pub async fn mark_email_confirmed(&mut self, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
        on_tx!(self, conn => {
            sqlx::query(
                "UPDATE registrations SET email_confirmed_at = COALESCE(email_confirmed_at, $1), \
                 updated_at = $1 WHERE id = $2",
            )
            .bind(now)
            .bind(id)
            .execute(conn)
            .await?;
        });
        Ok(())
    }

    /// Gives a registration a new secret link; the links it had keep working (a person may
    /// open any of the mails they got).
    pub async fn add_link(
        &mut self,
        id: i64,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        on_tx!(self, conn => {
            sqlx::query(
                "INSERT INTO registration_links (token_hash, registration_id, created_at) \
                 SELECT token_hash, id, $1 FROM registrations WHERE id = $2",
            )
            .bind(now)
            .bind(id)
            .execute(&mut *conn)
            .await?;
        });
        self.set_current_link(id, token_hash, now).await
    }

    /// Gives a registration a new secret link that replaces all it had: they stop working, and
    /// are kept as replaced so that opening one can say so.
    pub async fn replace_links(
        &mut self,
        id: i64,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        on_tx!(self, conn => {
            sqlx::query(
                "UPDATE registration_links SET replaced_at = $1 \
                 WHERE registration_id = $2 AND replaced_at IS NULL",
            )
            .bind(now)
            .bind(id)
            .execute(&mut *conn)
            .await?;
            sqlx::query(
                "INSERT INTO registration_links (token_hash, registration_id, created_at, replaced_at) \
                 SELECT token_hash, id, $1, $1 FROM registrations WHERE id = $2",
            )
            .bind(now)
            .bind(id)
            .execute(&mut *conn)
            .await?;
        });
        self.set_current_link(id, token_hash, now).await
    }

    async fn set_current_link(
        &mut self,
        id: i64,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        on_tx!(self, conn => {
            sqlx::query("UPDATE registrations SET token_hash = $1, updated_at = $2 WHERE id = $3")
                .bind(token_hash)
                .bind(now)
                .bind(id)
                .execute(conn)
                .await?;
        });
        Ok(())
    }

    /// The first `limit` people on the waitlist, in arrival order.
    pub async fn waitlist_head(&mut self, limit: u32) -> StoreResult<Vec<Registration>> {
        let sql = format!(
            "SELECT {REGISTRATION_COLUMNS} FROM registrations \
             WHERE event_id = $1 AND status = 'waitlisted' ORDER BY waitlist_seq, id LIMIT $2"
        );
        let event_id = self.event_id;
        let rows: Vec<RegistrationRow> = on_tx!(self, conn => {
            sqlx::query_as(&sql).bind(event_id).bind(i64::from(limit)).fetch_all(conn).await?
        });
        rows.into_iter().map(Registration::try_from).collect()
    }

    /// The 1-based waitlist place of a registration, inside the lock.
    pub async fn waitlist_position(&mut self, id: i64) -> StoreResult<Option<u32>> {
        let Some(registration) = self.registration(id).await? else {
            return Ok(None);
        };
        let Some(seq) = registration
            .waitlist_seq
            .filter(|_| registration.status == RegistrationStatus::Waitlisted)
        else {
            return Ok(None);
        };
        let event_id = self.event_id;
        let (ahead,): (i64,) = on_tx!(self, conn => {
            sqlx::query_as(WAITLIST_AHEAD_SQL).bind(event_id).bind(seq).fetch_one(conn).await?
        });
        Ok(Some(to_u32(ahead) + 1))
    }

    /// Registrations whose seat hold ran out at `now`.
    pub async fn expired_holds(&mut self, now: DateTime<Utc>) -> StoreResult<Vec<Registration>> {
        let sql = format!(
            "SELECT {REGISTRATION_COLUMNS} FROM registrations WHERE event_id = $1 \
             AND status IN ('pending_email', 'offered') AND hold_expires_at <= $2 ORDER BY id"
        );
        let event_id = self.event_id;
        let rows: Vec<RegistrationRow> = on_tx!(self, conn => {
            sqlx::query_as(&sql).bind(event_id).bind(now).fetch_all(conn).await?
        });
        rows.into_iter().map(Registration::try_from).collect()
    }

    /// When `action` was last written to the audit log of a registration, if ever.
    pub async fn last_logged(
        &mut self,
        registration_id: i64,
        action: AuditAction,
    ) -> StoreResult<Option<DateTime<Utc>>> {
        let event_id = self.event_id;
        let row: Option<(DateTime<Utc>,)> = on_tx!(self, conn => {
            sqlx::query_as(
                "SELECT at FROM registration_log \
                 WHERE registration_id = $1 AND event_id = $2 AND action = $3 \
                 ORDER BY id DESC LIMIT 1",
            )
            .bind(registration_id)
            .bind(event_id)
            .bind(action.as_str())
            .fetch_optional(conn)
            .await?
        });
        Ok(row.map(|(at,)| at))
    }

    /// Appends a registration's status change to the audit log.
    pub async fn log(
        &mut self,
        registration_id: i64,
        actor: Actor,
        action: AuditAction,
        from: Option<RegistrationStatus>,
        to: Option<RegistrationStatus>,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.log_with_note(registration_id, actor, action, (from, to), None, at)
            .await
    }

    /// Appends to the audit log with a note (an organizer's reason, or that no mail went out).
    pub async fn log_with_note(
        &mut self,
        registration_id: i64,
        actor: Actor,
        action: AuditAction,
        (from, to): (Option<RegistrationStatus>, Option<RegistrationStatus>),
        note: Option<&RegistrationNote>,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.log_lines(&[LogLine {
            registration_id,
            actor,
            action,
            from,
            to,
            note: note.cloned(),
            at,
        }])
        .await
    }

    /// Appends lines to the audit log in one statement.
    pub async fn log_lines(&mut self, lines: &[LogLine]) -> StoreResult<()> {
        if lines.is_empty() {
            return Ok(());
        }
        let details = lines
            .iter()
            .map(|line| line.note.as_ref().map(crate::to_json).transpose())
            .collect::<StoreResult<Vec<Option<String>>>>()?;
        let event_id = self.event_id;
        on_tx!(self, conn => {
            let mut query = sqlx::QueryBuilder::new(
                "INSERT INTO registration_log (registration_id, event_id, actor, action, \
                 from_status, to_status, at, details) ",
            );
            query.push_values(lines.iter().zip(&details), |mut values, (line, details)| {
                values
                    .push_bind(line.registration_id)
                    .push_bind(event_id)
                    .push_bind(line.actor.stored())
                    .push_bind(line.action.as_str())
                    .push_bind(line.from.map(RegistrationStatus::as_str))
                    .push_bind(line.to.map(RegistrationStatus::as_str))
                    .push_bind(line.at)
                    .push_bind(details);
            });
            query.build().execute(conn).await?;
        });
        Ok(())
    }

    /// Queues a mail; it is sent only if this transaction commits (and the commit wakes the mail
    /// worker).
    pub async fn enqueue_mail(
        &mut self,
        mail: &OutgoingMail,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.enqueue_mails(std::slice::from_ref(mail), now).await
    }

    /// Queues mails in one statement, as [`EventWrite::enqueue_mail`] does one.
    pub async fn enqueue_mails(
        &mut self,
        mails: &[OutgoingMail],
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        if mails.is_empty() {
            return Ok(());
        }
        self.mail_queued = Some(Arc::clone(&self.outbox));
        on_tx!(self, conn => {
            let mut query = sqlx::QueryBuilder::new(
                "INSERT INTO outbox (kind, registration_id, recipient, subject, body_text, \
                 body_html, ics, ticket, status, attempts, next_attempt_at, created_at) ",
            );
            query.push_values(mails, |mut values, mail| {
                values
                    .push_bind(&mail.kind)
                    .push_bind(mail.registration_id)
                    .push_bind(&mail.recipient)
                    .push_bind(&mail.subject)
                    .push_bind(&mail.body_text)
                    .push_bind(&mail.body_html)
                    .push_bind(&mail.ics)
                    .push_bind(&mail.ticket)
                    .push_bind("pending")
                    .push_bind(0_i64)
                    .push_bind(now)
                    .push_bind(now);
            });
            query.build().execute(conn).await?;
        });
        Ok(())
    }

    /// The "what changed" mail to this registration that waits for its time to go out (sent
    /// never yet): its id and the change it tells of, to merge a further change into.
    pub async fn waiting_change_mail(
        &mut self,
        registration_id: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<(i64, EventChanges)>> {
        let row: Option<(i64, Option<String>)> = on_tx!(self, conn => {
            sqlx::query_as(
                "SELECT id, details FROM outbox WHERE kind = $1 AND registration_id = $2 \
                 AND status = 'pending' AND attempts = 0 AND next_attempt_at > $3 \
                 ORDER BY id DESC LIMIT 1",
            )
            .bind(CHANGE_MAIL)
            .bind(registration_id)
            .bind(now)
            .fetch_optional(conn)
            .await?
        });
        row.and_then(|(id, details)| details.map(|d| (id, d)))
            .map(|(id, details)| Ok((id, crate::from_json(&details)?)))
            .transpose()
    }

    /// Queues a "what changed" mail that goes out at `due` (kind `event_changed`), telling of
    /// `changes`; with `replacing`, the waiting mail with that id gets this content instead,
    /// unless a worker took it meanwhile (then this one is queued as a new mail).
    pub async fn enqueue_change_mail(
        &mut self,
        mail: &OutgoingMail,
        changes: &EventChanges,
        (due, replacing): (DateTime<Utc>, Option<i64>),
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let details = crate::to_json(changes)?;
        let details = details.as_str();
        self.mail_queued = Some(Arc::clone(&self.outbox));
        on_tx!(self, conn => {
            if let Some(id) = replacing {
                let replaced = sqlx::query(
                    "UPDATE outbox SET subject = $1, body_text = $2, body_html = $3, ics = $4, \
                     details = $5 WHERE id = $6 AND status = 'pending' AND attempts = 0",
                )
                .bind(&mail.subject)
                .bind(&mail.body_text)
                .bind(&mail.body_html)
                .bind(&mail.ics)
                .bind(details)
                .bind(id)
                .execute(&mut *conn)
                .await?
                .rows_affected();
                if replaced == 1 {
                    return Ok(());
                }
            }
            sqlx::query(
                "INSERT INTO outbox (kind, registration_id, recipient, subject, body_text, \
                 body_html, ics, status, attempts, next_attempt_at, created_at, details) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 0, $8, $9, $10)",
            )
            .bind(CHANGE_MAIL)
            .bind(mail.registration_id)
            .bind(&mail.recipient)
            .bind(&mail.subject)
            .bind(&mail.body_text)
            .bind(&mail.body_html)
            .bind(&mail.ics)
            .bind(due)
            .bind(now)
            .bind(details)
            .execute(conn)
            .await?;
        });
        Ok(())
    }

    /// Takes back a "what changed" mail that has not gone out (its change was undone).
    pub async fn drop_change_mail(&mut self, id: i64) -> StoreResult<()> {
        on_tx!(self, conn => {
            sqlx::query(
                "DELETE FROM outbox WHERE id = $1 AND kind = $2 AND status = 'pending' \
                 AND attempts = 0",
            )
            .bind(id)
            .bind(CHANGE_MAIL)
            .execute(conn)
            .await?;
        });
        Ok(())
    }

    /// Makes every change of this transaction durable; then, if it queued mail or webhook
    /// deliveries, wakes their worker.
    pub async fn commit(self) -> StoreResult<()> {
        match self.tx {
            Tx::Sqlite(tx) => tx.commit().await?,
            Tx::Postgres(tx) => tx.commit().await?,
        }
        if let Some(mail_queued) = self.mail_queued {
            mail_queued.notify_one();
        }
        if let Some(webhooks_queued) = self.webhooks_queued {
            webhooks_queued.notify_one();
        }
        Ok(())
    }
}
