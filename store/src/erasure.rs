//! Correcting and erasing personal data in place: a registration keeps its row (status history, times and
//! counts stay true) but loses the name, address, organisation, notes, answers, links, votes,
//! the name on its topics, the notes of its audit lines and everything its mails held.

use chrono::{DateTime, Utc};

use crate::registrations::on_tx;
use crate::{EventWrite, Store, StoreResult, erased_address, on_backend};

/// The kind of the mail that confirms an erasure. It is the one mail that still goes to the
/// address after the erasure; once sent, its row forgets the address too.
pub const ERASURE_MAIL: &str = "erased";

impl EventWrite {
    /// Erases registration `id` in place. `new_link_hash` replaces its link: the hash of a
    /// secret nobody keeps, so no link leads to the row any more.
    pub async fn erase_registration(
        &mut self,
        id: i64,
        new_link_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let address = erased_address(id);
        on_tx!(self, conn => {
            sqlx::query(
                "UPDATE registrations SET name = '', email = $1, email_normalized = $1, \
                 organisation = NULL, notes = NULL, answers = '{}', token_hash = $2, \
                 erased_at = $3, updated_at = $3 WHERE id = $4",
            )
            .bind(&address)
            .bind(new_link_hash)
            .bind(now)
            .bind(id)
            .execute(&mut *conn)
            .await?;
            for statement in [
                "DELETE FROM registration_links WHERE registration_id = $1",
                "DELETE FROM address_changes WHERE registration_id = $1",
                "DELETE FROM topic_votes WHERE registration_id = $1",
                "UPDATE topics SET shown_as = '', registration_id = NULL WHERE registration_id = $1",
                // What the log keeps: who changed the status from what to what, and when.
                "UPDATE registration_log SET note = NULL, details = NULL WHERE registration_id = $1",
                // Mails not sent yet are not sent at all.
                "DELETE FROM outbox WHERE registration_id = $1 AND status IN ('pending', 'sending')",
                // Webhook messages about the person not delivered yet are not delivered at all
                // (an endpoint allowed personal data would get the name after the erasure).
                "DELETE FROM deliveries WHERE registration_id = $1 AND status <> 'sent'",
            ] {
                sqlx::query(statement).bind(id).execute(&mut *conn).await?;
            }
            sqlx::query(
                "UPDATE outbox SET recipient = $1, subject = '', body_text = NULL, \
                 body_html = NULL, ics = NULL, ticket = NULL, last_error = NULL \
                 WHERE registration_id = $2",
            )
            .bind(&address)
            .bind(id)
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// Replaces what the person told at registration with their corrections (checked by the
    /// same rules); the address is not changed here.
    pub async fn update_details(
        &mut self,
        id: i64,
        details: &domain::ValidRegistration,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let answers = crate::to_json(&details.answers)?;
        on_tx!(self, conn => {
            sqlx::query(
                "UPDATE registrations SET name = $1, organisation = $2, notes = $3, answers = $4, \
                 updated_at = $5 WHERE id = $6 AND erased_at IS NULL",
            )
            .bind(&details.name)
            .bind(&details.organisation)
            .bind(&details.notes)
            .bind(&answers)
            .bind(now)
            .bind(id)
            .execute(conn)
            .await?;
        });
        Ok(())
    }

    /// Records that the person asked to use `new_email` (proved by the secret hashing to
    /// `token_hash`, mailed there); an earlier request of theirs is replaced.
    pub async fn request_address_change(
        &mut self,
        id: i64,
        new_email: &domain::EmailAddress,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        on_tx!(self, conn => {
            sqlx::query("DELETE FROM address_changes WHERE registration_id = $1")
                .bind(id)
                .execute(&mut *conn)
                .await?;
            sqlx::query(
                "INSERT INTO address_changes (token_hash, registration_id, new_email, created_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(token_hash)
            .bind(id)
            .bind(new_email.as_str())
            .bind(now)
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// The registration takes its requested address, and the request is done.
    pub async fn change_address(
        &mut self,
        id: i64,
        new_email: &domain::EmailAddress,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        on_tx!(self, conn => {
            sqlx::query(
                "UPDATE registrations SET email = $1, email_normalized = $2, updated_at = $3 \
                 WHERE id = $4",
            )
            .bind(new_email.as_str())
            .bind(new_email.normalized())
            .bind(now)
            .bind(id)
            .execute(&mut *conn)
            .await?;
            sqlx::query("DELETE FROM address_changes WHERE registration_id = $1")
                .bind(id)
                .execute(&mut *conn)
                .await?;
        });
        Ok(())
    }

    /// Whether the personal data of this event's registrations is erased already.
    pub async fn personal_data_erased(&mut self) -> StoreResult<bool> {
        let event_id = self.event_id;
        let at: Option<(Option<DateTime<Utc>>,)> = on_tx!(self, conn => {
            sqlx::query_as("SELECT personal_data_erased_at FROM events WHERE id = $1")
                .bind(event_id)
                .fetch_optional(conn)
                .await?
        });
        Ok(at.and_then(|(at,)| at).is_some())
    }

    /// Notes that the personal data of every registration of this event is erased.
    pub async fn mark_personal_data_erased(&mut self, now: DateTime<Utc>) -> StoreResult<()> {
        let event_id = self.event_id;
        on_tx!(self, conn => {
            sqlx::query("UPDATE events SET personal_data_erased_at = $1 WHERE id = $2")
                .bind(now)
                .bind(event_id)
                .execute(conn)
                .await?;
        });
        Ok(())
    }
}

/// A requested change of address, found by its secret.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AddressChange {
    pub registration_id: i64,
    pub event_id: i64,
    pub new_email: String,
    pub created_at: DateTime<Utc>,
}

impl Store {
    /// The requested change of address whose secret hashes to `token_hash`.
    pub async fn address_change(&self, token_hash: &str) -> StoreResult<Option<AddressChange>> {
        let change: Option<AddressChange> = on_backend!(self, pool => {
            sqlx::query_as(
                "SELECT c.registration_id, r.event_id, c.new_email, c.created_at \
                 FROM address_changes c JOIN registrations r ON r.id = c.registration_id \
                 WHERE c.token_hash = $1",
            )
            .bind(token_hash)
            .fetch_optional(pool)
            .await?
        });
        Ok(change)
    }

    /// Events (not series) that took registrations, ended before `ended_before`, and whose
    /// registrations' personal data is not erased yet; the caller erases each under its lock.
    pub async fn events_due_for_erasure(
        &self,
        ended_before: DateTime<Utc>,
    ) -> StoreResult<Vec<i64>> {
        // Every event that took registrations, even none came: then its page says "erased"
        // from then on, as for the others.
        let sql = "SELECT id FROM events WHERE ends_at < $1 AND recurrence IS NULL \
                   AND personal_data_erased_at IS NULL \
                   AND (registration_enabled OR EXISTS \
                        (SELECT 1 FROM registrations r WHERE r.event_id = events.id)) \
                   ORDER BY id";
        let ids: Vec<(i64,)> = on_backend!(self, pool => {
            sqlx::query_as(sql).bind(ended_before).fetch_all(pool).await?
        });
        Ok(ids.into_iter().map(|(id,)| id).collect())
    }

    /// When the personal data of the event's registrations was erased, if it was.
    pub async fn personal_data_erased_at(
        &self,
        event_id: i64,
    ) -> StoreResult<Option<DateTime<Utc>>> {
        let at: Option<(Option<DateTime<Utc>>,)> = on_backend!(self, pool => {
            sqlx::query_as("SELECT personal_data_erased_at FROM events WHERE id = $1")
                .bind(event_id)
                .fetch_optional(pool)
                .await?
        });
        Ok(at.and_then(|(at,)| at))
    }
}
