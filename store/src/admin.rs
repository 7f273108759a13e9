//! The organizers' side: accounts, sessions, the event log, check-in, and what the admin pages
//! read and change beyond the registration flow.

use chrono::{DateTime, Utc};

use domain::admin::Role;
use domain::audit::{AccountChange, AuditAction, EventChange};

use crate::registrations::on_tx;
use crate::{Actor, EventWrite, Store, StoreError, StoreResult, on_backend};

/// An organizer account as the sign-in needs it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Organizer {
    pub id: i64,
    pub email: String,
    pub password_hash: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
}

/// An organizer as the list of organizers shows them.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct OrganizerAccount {
    pub id: i64,
    pub email: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub created_at: DateTime<Utc>,
    /// When their access was taken away; they still appear in the audit log.
    pub removed_at: Option<DateTime<Utc>>,
}

/// One line of an event's settings log.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct EventLogEntry {
    pub actor: String,
    pub action: String,
    /// The English text of a row written before the log was typed.
    pub before: Option<String>,
    pub after: Option<String>,
    /// The change as data (`EventChange` in JSON).
    pub details: Option<String>,
    pub at: DateTime<Utc>,
}

impl EventLogEntry {
    /// The change as data; `None` for a row written before the log was typed.
    pub fn change(&self) -> StoreResult<Option<EventChange>> {
        self.details.as_deref().map(crate::from_json).transpose()
    }
}

/// One line of the account log.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct AccountLogEntry {
    pub actor: String,
    /// What happened (`domain::audit::AccountChange` in JSON).
    pub details: String,
    pub at: DateTime<Utc>,
}

impl AccountLogEntry {
    pub fn change(&self) -> StoreResult<AccountChange> {
        crate::from_json(&self.details)
    }
}

pub(crate) const INSERT_ACCOUNT_LOG: &str =
    "INSERT INTO account_log (actor, details, at) VALUES ($1, $2, $3)";

/// A role as stored; anything else means the database was changed by hand.
pub(crate) fn stored_role(word: String) -> StoreResult<Role> {
    Role::parse(&word).ok_or(StoreError::Corrupt {
        what: "organizer role",
        detail: word,
    })
}

/// Why an organizer could not be created.
#[derive(Debug, thiserror::Error)]
pub enum NewOrganizerError {
    #[error("an organizer with this e-mail address exists")]
    Exists,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Store {
    /// Stores a new organizer with `role`, or gives a removed one their access back with this
    /// password and role; refuses a second active one with the same address (any case). `by`
    /// added them (in the account log, in the same transaction).
    pub async fn insert_organizer(
        &self,
        (email, password_hash, role): (&str, &str, Role),
        by: Actor,
        now: DateTime<Utc>,
    ) -> Result<i64, NewOrganizerError> {
        let id = on_backend!(self, pool => {
            let mut tx = pool.begin().await.map_err(StoreError::from)?;
            let row: Option<(i64,)> = sqlx::query_as(
                "INSERT INTO organizers (email, email_normalized, password_hash, role, created_at) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (email_normalized) DO UPDATE \
                 SET password_hash = excluded.password_hash, role = excluded.role, \
                 removed_at = NULL WHERE organizers.removed_at IS NOT NULL RETURNING id",
            )
            .bind(email)
            .bind(email.to_lowercase())
            .bind(password_hash)
            .bind(role.as_str())
            .bind(now)
            .fetch_optional(&mut *tx)
            .await
            .map_err(StoreError::from)?;
            let Some((id,)) = row else {
                return Err(NewOrganizerError::Exists);
            };
            let added = AccountChange::Added { organizer: id, role };
            sqlx::query(INSERT_ACCOUNT_LOG)
                .bind(by.stored())
                .bind(crate::to_json(&added)?)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::from)?;
            tx.commit().await.map_err(StoreError::from)?;
            id
        });
        Ok(id)
    }

    /// Creates the organizer (an admin), or gives an existing one (removed or not) a new
    /// password; their role stays.
    pub async fn upsert_organizer(
        &self,
        email: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        let (id,): (i64,) = on_backend!(self, pool => {
            sqlx::query_as(
                "INSERT INTO organizers (email, email_normalized, password_hash, created_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (email_normalized) \
                 DO UPDATE SET password_hash = excluded.password_hash, removed_at = NULL \
                 RETURNING id",
            )
            .bind(email)
            .bind(email.to_lowercase())
            .bind(password_hash)
            .bind(now)
            .fetch_one(pool)
            .await?
        });
        Ok(id)
    }

    /// The organizer who may sign in with this address (not a removed one).
    pub async fn organizer_by_email(&self, email: &str) -> StoreResult<Option<Organizer>> {
        let row: Option<Organizer> = on_backend!(self, pool => {
            sqlx::query_as(
                "SELECT id, email, password_hash, role FROM organizers \
                 WHERE email_normalized = $1 AND removed_at IS NULL",
            )
            .bind(email.trim().to_lowercase())
            .fetch_optional(pool)
            .await?
        });
        Ok(row)
    }

    /// Starts a session, and notes the sign-in in the account log.
    pub async fn insert_session(
        &self,
        token_hash: &str,
        organizer_id: i64,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let signed_in = crate::to_json(&AccountChange::SignedIn {
            organizer: organizer_id,
        })?;
        on_backend!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO organizer_sessions (token_hash, organizer_id, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(token_hash)
            .bind(organizer_id)
            .bind(now)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
            sqlx::query(INSERT_ACCOUNT_LOG)
                .bind(Actor::Organizer(organizer_id).stored())
                .bind(&signed_in)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The organizer (id, e-mail, role) of a session that has not expired at `now`.
    pub async fn session_organizer(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<(i64, String, Role)>> {
        let row: Option<(i64, String, String)> = on_backend!(self, pool => {
            sqlx::query_as(
                "SELECT o.id, o.email, o.role FROM organizer_sessions s \
                 JOIN organizers o ON o.id = s.organizer_id \
                 WHERE s.token_hash = $1 AND s.expires_at > $2 AND o.removed_at IS NULL",
            )
            .bind(token_hash)
            .bind(now)
            .fetch_optional(pool)
            .await?
        });
        row.map(|(id, email, role)| Ok((id, email, stored_role(role)?)))
            .transpose()
    }

    /// Ends a session (noting the sign-out in the account log), and forgets every session that
    /// has expired.
    pub async fn delete_session(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<()> {
        on_backend!(self, pool => {
            let mut tx = pool.begin().await?;
            let ended: Option<(i64,)> = sqlx::query_as(
                "DELETE FROM organizer_sessions WHERE token_hash = $1 RETURNING organizer_id",
            )
            .bind(token_hash)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some((organizer,)) = ended {
                sqlx::query(INSERT_ACCOUNT_LOG)
                    .bind(Actor::Organizer(organizer).stored())
                    .bind(crate::to_json(&AccountChange::SignedOut { organizer })?)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query("DELETE FROM organizer_sessions WHERE expires_at <= $1")
                .bind(now)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Every organizer, removed ones too (the audit log names them), by address.
    pub async fn organizers(&self) -> StoreResult<Vec<OrganizerAccount>> {
        let rows: Vec<OrganizerAccount> = on_backend!(self, pool => {
            sqlx::query_as(
                "SELECT id, email, role, created_at, removed_at FROM organizers \
                 ORDER BY email_normalized",
            )
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }

    /// The organizer with this id, if they may sign in (the password check needs the hash).
    pub async fn organizer(&self, id: i64) -> StoreResult<Option<Organizer>> {
        let row: Option<Organizer> = on_backend!(self, pool => {
            sqlx::query_as(
                "SELECT id, email, password_hash, role FROM organizers \
                 WHERE id = $1 AND removed_at IS NULL",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?
        });
        Ok(row)
    }

    /// Sets an organizer's password and ends their sessions but `keep` (the one in use).
    pub async fn set_organizer_password(
        &self,
        id: i64,
        password_hash: &str,
        keep: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let changed = crate::to_json(&AccountChange::PasswordChanged { organizer: id })?;
        on_backend!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(INSERT_ACCOUNT_LOG)
                .bind(Actor::Organizer(id).stored())
                .bind(&changed)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE organizers SET password_hash = $1 WHERE id = $2")
                .bind(password_hash)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM organizer_sessions WHERE organizer_id = $1 AND token_hash <> $2")
                .bind(id)
                .bind(keep)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Takes an organizer's access away and ends their sessions; `false` when there is no such
    /// active organizer.
    pub async fn remove_organizer(
        &self,
        id: i64,
        by: Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let logged = crate::to_json(&AccountChange::Removed { organizer: id })?;
        let removed = on_backend!(self, pool => {
            let mut tx = pool.begin().await?;
            let removed = sqlx::query(
                "UPDATE organizers SET removed_at = $1 WHERE id = $2 AND removed_at IS NULL",
            )
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if removed == 1 {
                sqlx::query(INSERT_ACCOUNT_LOG)
                    .bind(by.stored())
                    .bind(&logged)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query("DELETE FROM organizer_sessions WHERE organizer_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            removed
        });
        Ok(removed == 1)
    }

    /// Gives an active organizer another role (noted in the account log); `false` when there is
    /// no such active organizer. Setting the role they have changes and notes nothing.
    pub async fn set_organizer_role(
        &self,
        id: i64,
        role: Role,
        by: Actor,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let found = on_backend!(self, pool => {
            let mut tx = pool.begin().await?;
            let before: Option<(String,)> = sqlx::query_as(
                "SELECT role FROM organizers WHERE id = $1 AND removed_at IS NULL",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            match before {
                None => false,
                Some((before,)) => {
                    let from = stored_role(before)?;
                    if from != role {
                        sqlx::query("UPDATE organizers SET role = $1 WHERE id = $2")
                            .bind(role.as_str())
                            .bind(id)
                            .execute(&mut *tx)
                            .await?;
                        let change = AccountChange::RoleChanged {
                            organizer: id,
                            from,
                            to: role,
                        };
                        sqlx::query(INSERT_ACCOUNT_LOG)
                            .bind(by.stored())
                            .bind(crate::to_json(&change)?)
                            .bind(now)
                            .execute(&mut *tx)
                            .await?;
                    }
                    tx.commit().await?;
                    true
                }
            }
        });
        Ok(found)
    }

    /// The account log, newest first.
    pub async fn account_log(&self, limit: u32) -> StoreResult<Vec<AccountLogEntry>> {
        let rows: Vec<AccountLogEntry> = on_backend!(self, pool => {
            sqlx::query_as(
                "SELECT actor, details, at FROM account_log ORDER BY at DESC, id DESC LIMIT $1",
            )
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }

    /// Every event, published or not, in start order (the admin list).
    pub async fn all_events(&self) -> StoreResult<Vec<domain::Event>> {
        self.events_where("TRUE").await
    }

    /// The settings log of an event, newest first.
    pub async fn event_log(&self, event_id: i64) -> StoreResult<Vec<EventLogEntry>> {
        let rows: Vec<EventLogEntry> = on_backend!(self, pool => {
            sqlx::query_as(
                "SELECT actor, action, before, after, details, at FROM event_log \
                 WHERE event_id = $1 ORDER BY id DESC",
            )
            .bind(event_id)
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }

    /// Puts a failed mail back in the queue, to be sent at once with a fresh set of attempts.
    /// `false` if there is no failed mail with this id (a sent one is not sent twice).
    pub async fn retry_mail(&self, id: i64, now: DateTime<Utc>) -> StoreResult<bool> {
        let changed = on_backend!(self, pool => {
            sqlx::query(
                "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $1, \
                 claimed_until = NULL WHERE id = $2 AND status = 'failed' AND body_text IS NOT NULL",
            )
            .bind(now)
            .bind(id)
            .execute(pool)
            .await?
            .rows_affected()
        });
        if changed == 1 {
            self.mail_queued.notify_one();
        }
        Ok(changed == 1)
    }
}

impl EventWrite {
    /// Sets the event's capacity (`None`: unlimited).
    pub async fn set_capacity(
        &mut self,
        capacity: Option<u32>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let event_id = self.event_id;
        on_tx!(self, conn => {
            sqlx::query("UPDATE events SET capacity = $1, updated_at = $2 WHERE id = $3")
                .bind(capacity.map(i64::from))
                .bind(now)
                .bind(event_id)
                .execute(conn)
                .await?;
        });
        Ok(())
    }

    /// Calls the whole event off at `at` (its registrations are cancelled one by one by the
    /// caller, in the same transaction).
    pub async fn mark_cancelled(&mut self, at: DateTime<Utc>) -> StoreResult<()> {
        let event_id = self.event_id;
        on_tx!(self, conn => {
            sqlx::query(
                "UPDATE events SET cancelled_at = $1, updated_at = $1, \
                 calendar_sequence = calendar_sequence + 1 WHERE id = $2",
            )
                .bind(at)
                .bind(event_id)
                .execute(conn)
                .await?;
        });
        Ok(())
    }

    /// Notes that the event's reminder mails were queued at `at`.
    pub async fn mark_reminded(&mut self, at: DateTime<Utc>) -> StoreResult<()> {
        let event_id = self.event_id;
        on_tx!(self, conn => {
            sqlx::query("UPDATE events SET reminded_at = $1 WHERE id = $2")
                .bind(at)
                .bind(event_id)
                .execute(conn)
                .await?;
        });
        Ok(())
    }

    /// Notes that the room was told of the registration opening at `opens_at`; `false` when
    /// it was told already (by this instance or another).
    pub async fn mark_opening_announced(&mut self, opens_at: DateTime<Utc>) -> StoreResult<bool> {
        let event_id = self.event_id;
        let marked = on_tx!(self, conn => {
            sqlx::query(
                "UPDATE events SET opening_announced_at = $1 WHERE id = $2 \
                 AND (opening_announced_at IS NULL OR opening_announced_at <> $1)",
            )
            .bind(opens_at)
            .bind(event_id)
            .execute(conn)
            .await?
            .rows_affected()
        });
        Ok(marked == 1)
    }

    /// Opens or closes registration: `closes_at` is when it closes (`None`: with the event).
    pub async fn set_registration_window(
        &mut self,
        opens_at: Option<DateTime<Utc>>,
        closes_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let event_id = self.event_id;
        on_tx!(self, conn => {
            sqlx::query(
                "UPDATE events SET registration_opens_at = $1, registration_closes_at = $2, \
                 updated_at = $3 WHERE id = $4",
            )
            .bind(opens_at)
            .bind(closes_at)
            .bind(now)
            .bind(event_id)
            .execute(conn)
            .await?;
        });
        Ok(())
    }

    /// Shows the event to visitors (or hides it again).
    pub async fn set_published(&mut self, published: bool, now: DateTime<Utc>) -> StoreResult<()> {
        let event_id = self.event_id;
        on_tx!(self, conn => {
            sqlx::query("UPDATE events SET published = $1, updated_at = $2 WHERE id = $3")
                .bind(published)
                .bind(now)
                .bind(event_id)
                .execute(conn)
                .await?;
        });
        Ok(())
    }

    /// Appends a change of the event's settings to its log.
    pub async fn log_event(
        &mut self,
        actor: Actor,
        action: AuditAction,
        change: &EventChange,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let event_id = self.event_id;
        let details = crate::to_json(change)?;
        on_tx!(self, conn => {
            sqlx::query(
                "INSERT INTO event_log (event_id, actor, action, details, at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(event_id)
            .bind(actor.stored())
            .bind(action.as_str())
            .bind(&details)
            .bind(at)
            .execute(conn)
            .await?;
        });
        Ok(())
    }

    /// How many people the message sent with `key` went to, if one was (the key is kept in
    /// the broadcast's audit line).
    pub async fn broadcast_with_key(
        &mut self,
        key: &domain::admin::BroadcastKey,
    ) -> StoreResult<Option<u32>> {
        let event_id = self.event_id;
        // The key is hex only, so it has no LIKE wildcards; the match is checked on the parsed
        // line below.
        let pattern = format!("%\"key\":\"{}\"%", key.as_str());
        let rows: Vec<(String,)> = on_tx!(self, conn => {
            sqlx::query_as(
                "SELECT details FROM event_log \
                 WHERE event_id = $1 AND action = $2 AND details LIKE $3",
            )
            .bind(event_id)
            .bind(AuditAction::Broadcast.as_str())
            .bind(&pattern)
            .fetch_all(conn)
            .await?
        });
        for (details,) in rows {
            if let EventChange::Broadcast {
                sent,
                key: Some(stored),
                ..
            } = crate::from_json(&details)?
                && stored == key.as_str()
            {
                return Ok(Some(sent));
            }
        }
        Ok(None)
    }

    /// Replaces an event's own fields, its registration window and its questions (its topic
    /// limits stay); an event that moves gets its reminder again.
    pub async fn update_event(
        &mut self,
        event: &crate::NewEvent,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let id = self.event_id;
        let registration = event.registration.as_ref();
        let questions = crate::events::questions_json(&event.questions)?;
        on_tx!(self, conn => {
            sqlx::query(
                "UPDATE events SET slug = $1, title = $2, kind = $3, summary = $4, \
                 description_md = $5, starts_at = $6, ends_at = $7, time_zone = $8, venue = $9, \
                 online_url = $10, host = $11, external_url = $12, recurrence = $13, \
                 published = $14, registration_enabled = $15, capacity = $16, \
                 waitlist_enabled = $17, confirmation_hours = $18, topics_enabled = $19, \
                 registration_opens_at = $20, registration_closes_at = $21, updated_at = $22, \
                 reminded_at = CASE WHEN starts_at = $6 THEN reminded_at END, \
                 calendar_sequence = calendar_sequence + 1, online_access = $24, \
                 questions = $25, offer_hours = $26, last_promotion_at = $27 \
                 WHERE id = $23",
            )
            .bind(event.slug.as_str())
            .bind(&event.title)
            .bind(event.kind.as_str())
            .bind(&event.summary)
            .bind(&event.description_md)
            .bind(event.starts_at)
            .bind(event.ends_at)
            .bind(event.time_zone.name())
            .bind(&event.venue)
            .bind(&event.online_url)
            .bind(&event.host)
            .bind(&event.external_url)
            .bind(event.recurrence.as_ref().map(ToString::to_string))
            .bind(event.published)
            .bind(registration.is_some())
            .bind(registration.and_then(|r| r.capacity).map(i64::from))
            .bind(registration.is_none_or(|r| r.waitlist))
            .bind(registration.map_or(48, |r| r.confirmation_window.num_hours().max(1)))
            .bind(event.topics.is_some())
            .bind(registration.and_then(|r| r.opens_at))
            .bind(registration.and_then(|r| r.closes_at))
            .bind(now)
            .bind(id)
            .bind(event.online_access.as_str())
            .bind(&questions)
            .bind(registration.and_then(|r| r.offer_window).map(|w| w.num_hours()))
            .bind(registration.and_then(|r| r.last_promotion_at))
            .execute(conn)
            .await?;
        });
        Ok(())
    }

    /// Marks a registration as arrived at the door (`None`: not arrived).
    pub async fn set_checked_in(&mut self, id: i64, at: Option<DateTime<Utc>>) -> StoreResult<()> {
        let event_id = self.event_id;
        on_tx!(self, conn => {
            sqlx::query("UPDATE registrations SET checked_in_at = $1 WHERE id = $2 AND event_id = $3")
                .bind(at)
                .bind(id)
                .bind(event_id)
                .execute(conn)
                .await?;
        });
        Ok(())
    }
}

impl Store {
    /// Deletes an event nobody registered for (cancelled registrations count too: their history
    /// is kept). `false` when it has registrations.
    pub async fn delete_event_without_registrations(&self, id: i64) -> StoreResult<bool> {
        let deleted = on_backend!(self, pool => {
            sqlx::query(
                "DELETE FROM events WHERE id = $1 \
                 AND NOT EXISTS (SELECT 1 FROM registrations WHERE event_id = $1)",
            )
            .bind(id)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(deleted == 1)
    }
}

/// One line of the access log.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct AccessLogEntry {
    pub actor: String,
    /// What was looked at (`domain::audit::Access` in JSON).
    pub details: String,
    pub at: DateTime<Utc>,
}

impl AccessLogEntry {
    pub fn access(&self) -> StoreResult<domain::audit::Access> {
        serde_json::from_str(&self.details).map_err(|e| StoreError::Corrupt {
            what: "access log",
            detail: e.to_string(),
        })
    }
}

impl Store {
    /// Records that `actor` looked at personal data. With `once_within`, nothing is added when
    /// the same actor's same access is logged within that time before `at` (pages are opened
    /// again and again; one line an hour says enough).
    pub async fn log_access(
        &self,
        actor: Actor,
        access: &domain::audit::Access,
        once_within: Option<chrono::Duration>,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let actor = actor.stored();
        let details = crate::to_json(access)?;
        on_backend!(self, pool => {
            if let Some(window) = once_within {
                let recent: Option<(i64,)> = sqlx::query_as(
                    "SELECT id FROM access_log WHERE actor = $1 AND details = $2 AND at > $3 \
                     LIMIT 1",
                )
                .bind(&actor)
                .bind(&details)
                .bind(at - window)
                .fetch_optional(pool)
                .await?;
                if recent.is_some() {
                    return Ok(());
                }
            }
            sqlx::query("INSERT INTO access_log (actor, details, at) VALUES ($1, $2, $3)")
                .bind(&actor)
                .bind(&details)
                .bind(at)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// The access log, newest first.
    pub async fn access_log(&self, limit: u32) -> StoreResult<Vec<AccessLogEntry>> {
        let rows: Vec<AccessLogEntry> = on_backend!(self, pool => {
            sqlx::query_as(
                "SELECT actor, details, at FROM access_log ORDER BY at DESC, id DESC LIMIT $1",
            )
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }
}
