//! The mail outbox: rows written with the change that causes them, claimed by workers so that
//! no two send the same row, retried with backoff, and kept (without their bodies) as a log.

use chrono::{DateTime, Utc};

use crate::{Backend, Store, StoreResult, on_backend};

/// A mail to queue.
#[derive(Debug, Clone, PartialEq)]
pub struct OutgoingMail {
    /// What the mail is about, e.g. `confirm_email`, `promoted`.
    pub kind: String,
    pub registration_id: Option<i64>,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    /// An iCalendar attachment (`invite.ics`).
    pub ics: Option<String>,
    /// What the ticket's QR code holds (its address), drawn as an image when the mail is sent.
    pub ticket: Option<String>,
}

/// A mail a worker has claimed and now tries to send.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ClaimedMail {
    pub id: i64,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub body_text: Option<String>,
    pub body_html: Option<String>,
    pub ics: Option<String>,
    pub ticket: Option<String>,
    /// Including this one.
    pub attempts: i64,
}

/// A row of the mail log.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct MailLogEntry {
    pub id: i64,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    /// The event of the registration the mail went to (none for a mail to an organizer, or
    /// after the registration was deleted).
    pub event_id: Option<i64>,
}

/// Which mails the log shows; `None` lets every value through.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MailFilter {
    pub event_id: Option<i64>,
    pub kind: Option<String>,
    pub status: Option<String>,
}

const MAIL_LOG_COLUMNS: &str = "o.id, o.kind, o.recipient, o.subject, o.status, o.attempts, \
     o.last_error, o.created_at, o.sent_at, r.event_id \
     FROM outbox o LEFT JOIN registrations r ON r.id = o.registration_id";

const CLAIM_RETURNING: &str =
    "RETURNING id, kind, recipient, subject, body_text, body_html, ics, ticket, attempts";

impl Store {
    /// Claims up to `limit` mails that are due (or whose earlier claim lapsed, e.g. a worker
    /// died) until `lease_until`. On PostgreSQL rows locked by another worker are skipped; on
    /// SQLite the single UPDATE is atomic.
    pub async fn claim_due_mails(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: u32,
    ) -> StoreResult<Vec<ClaimedMail>> {
        let due = "(status = 'pending' AND next_attempt_at <= $2) \
                   OR (status = 'sending' AND claimed_until <= $2)";
        let claimed: Vec<ClaimedMail> = match &self.backend {
            Backend::Sqlite(pool) => {
                let sql = format!(
                    "UPDATE outbox SET status = 'sending', claimed_until = $1, \
                     attempts = attempts + 1 WHERE id IN \
                     (SELECT id FROM outbox WHERE {due} ORDER BY id LIMIT $3) {CLAIM_RETURNING}"
                );
                sqlx::query_as(&sql)
                    .bind(lease_until)
                    .bind(now)
                    .bind(i64::from(limit))
                    .fetch_all(pool)
                    .await?
            }
            Backend::Postgres(pool) => {
                let sql = format!(
                    "UPDATE outbox SET status = 'sending', claimed_until = $1, \
                     attempts = attempts + 1 WHERE id IN \
                     (SELECT id FROM outbox WHERE {due} ORDER BY id LIMIT $3 \
                     FOR UPDATE SKIP LOCKED) {CLAIM_RETURNING}"
                );
                sqlx::query_as(&sql)
                    .bind(lease_until)
                    .bind(now)
                    .bind(i64::from(limit))
                    .fetch_all(pool)
                    .await?
            }
        };
        let mut claimed = claimed;
        claimed.sort_by_key(|m| m.id);
        Ok(claimed)
    }

    /// The server accepted the mail: log it as sent and erase its bodies (they may hold a
    /// secret link). The mail that confirmed an erasure forgets its address and subject too.
    pub async fn mark_mail_sent(&self, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
        self.mark_mails_sent(&[id], now).await
    }

    /// [`Store::mark_mail_sent`] for several mails, in one statement.
    pub async fn mark_mails_sent(&self, ids: &[i64], now: DateTime<Utc>) -> StoreResult<()> {
        if ids.is_empty() {
            return Ok(());
        }
        on_backend!(self, pool => {
            let mut query = sqlx::QueryBuilder::new("UPDATE outbox SET status = 'sent', sent_at = ");
            query
                .push_bind(now)
                .push(
                    ", claimed_until = NULL, last_error = NULL, body_text = NULL, \
                     body_html = NULL, ics = NULL, ticket = NULL, recipient = CASE WHEN kind = ",
                )
                .push_bind(crate::ERASURE_MAIL)
                .push(" THEN ")
                .push_bind(crate::ERASED_RECIPIENT)
                .push(" ELSE recipient END, subject = CASE WHEN kind = ")
                .push_bind(crate::ERASURE_MAIL)
                .push(" THEN '' ELSE subject END WHERE id IN (");
            let mut list = query.separated(", ");
            for id in ids {
                list.push_bind(*id);
            }
            query.push(")");
            query.build().execute(pool).await?;
        });
        Ok(())
    }

    /// Sending failed: try again at `retry_at`, or give up (`None`) and keep it as failed.
    pub async fn mark_mail_failed(
        &self,
        id: i64,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> StoreResult<()> {
        on_backend!(self, pool => {
            sqlx::query(
                "UPDATE outbox SET status = $1, next_attempt_at = COALESCE($2, next_attempt_at), \
                 claimed_until = NULL, last_error = $3 WHERE id = $4",
            )
            .bind(if retry_at.is_some() { "pending" } else { "failed" })
            .bind(retry_at)
            .bind(error)
            .bind(id)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Gives back a claimed mail that was not tried (the worker is stopping), so that another
    /// worker may send it at once rather than after the lease.
    pub async fn release_mail(&self, id: i64) -> StoreResult<()> {
        on_backend!(self, pool => {
            sqlx::query(
                "UPDATE outbox SET status = 'pending', claimed_until = NULL, \
                 attempts = attempts - 1 WHERE id = $1 AND status = 'sending'",
            )
            .bind(id)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// How many mails the outbox holds per status.
    pub async fn outbox_counts(&self) -> StoreResult<Vec<(String, i64)>> {
        let rows: Vec<(String, i64)> = on_backend!(self, pool => {
            sqlx::query_as("SELECT status, COUNT(*) FROM outbox GROUP BY status")
                .fetch_all(pool)
                .await?
        });
        Ok(rows)
    }

    /// The mails to one registration, oldest first.
    pub async fn mails_to(&self, registration_id: i64) -> StoreResult<Vec<MailLogEntry>> {
        let sql = format!("SELECT {MAIL_LOG_COLUMNS} WHERE o.registration_id = $1 ORDER BY o.id");
        let rows: Vec<MailLogEntry> = on_backend!(self, pool => {
            sqlx::query_as(&sql)
                .bind(registration_id)
                .fetch_all(pool)
                .await?
        });
        Ok(rows)
    }

    /// The mail log, newest first.
    pub async fn mail_log(&self, limit: u32) -> StoreResult<Vec<MailLogEntry>> {
        self.filtered_mail_log(&MailFilter::default(), limit).await
    }

    /// The mails `filter` lets through, newest first.
    pub async fn filtered_mail_log(
        &self,
        filter: &MailFilter,
        limit: u32,
    ) -> StoreResult<Vec<MailLogEntry>> {
        let sql = format!(
            "SELECT {MAIL_LOG_COLUMNS} \
             WHERE (CAST($1 AS BIGINT) IS NULL OR r.event_id = $1) \
             AND (CAST($2 AS TEXT) IS NULL OR o.kind = $2) \
             AND (CAST($3 AS TEXT) IS NULL OR o.status = $3) \
             ORDER BY o.id DESC LIMIT $4"
        );
        let rows: Vec<MailLogEntry> = on_backend!(self, pool => {
            sqlx::query_as(&sql)
                .bind(filter.event_id)
                .bind(filter.kind.as_deref())
                .bind(filter.status.as_deref())
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await?
        });
        Ok(rows)
    }

    /// Every kind of mail the outbox holds, for the log's filter.
    pub async fn mail_kinds(&self) -> StoreResult<Vec<String>> {
        let rows: Vec<(String,)> = on_backend!(self, pool => {
            sqlx::query_as("SELECT DISTINCT kind FROM outbox ORDER BY kind")
                .fetch_all(pool)
                .await?
        });
        Ok(rows.into_iter().map(|(kind,)| kind).collect())
    }
}
