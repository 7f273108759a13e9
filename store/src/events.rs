//! Events, series and their occurrence overrides.

use chrono::{DateTime, NaiveDate, Utc};
use domain::event::{CalendarStamp, OnlineAccess, parse_time_zone};
use domain::event_form::CONFIRMATION_HOURS_MAX;
use domain::{
    Event, EventKind, EventSlug, OccurrenceOverride, Question, Recurrence, RegistrationSettings,
    TopicSettings,
};

use crate::{Store, StoreError, StoreResult, on_backend};

/// An event to be stored; the database assigns its id.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub slug: EventSlug,
    pub title: String,
    pub kind: EventKind,
    pub summary: String,
    pub description_md: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: chrono_tz::Tz,
    pub venue: Option<String>,
    pub online_url: Option<String>,
    pub online_access: OnlineAccess,
    pub host: Option<String>,
    pub external_url: Option<String>,
    pub recurrence: Option<Recurrence>,
    pub published: bool,
    pub registration: Option<RegistrationSettings>,
    pub questions: Vec<Question>,
    pub topics: Option<TopicSettings>,
}

#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    slug: String,
    title: String,
    kind: String,
    summary: String,
    description_md: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    time_zone: String,
    venue: Option<String>,
    online_url: Option<String>,
    online_access: String,
    host: Option<String>,
    external_url: Option<String>,
    recurrence: Option<String>,
    published: bool,
    registration_enabled: bool,
    capacity: Option<i64>,
    waitlist_enabled: bool,
    registration_opens_at: Option<DateTime<Utc>>,
    registration_closes_at: Option<DateTime<Utc>>,
    confirmation_hours: i64,
    offer_hours: Option<i64>,
    last_promotion_at: Option<DateTime<Utc>>,
    questions: String,
    topics_enabled: bool,
    topics_per_person: Option<i64>,
    topics_close_at: Option<DateTime<Utc>>,
    cancelled_at: Option<DateTime<Utc>>,
    reminded_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    calendar_sequence: i64,
}

impl TryFrom<EventRow> for Event {
    type Error = StoreError;

    fn try_from(row: EventRow) -> Result<Self, Self::Error> {
        let corrupt = |what: &'static str| {
            move |e: &dyn std::fmt::Display| StoreError::Corrupt {
                what,
                detail: format!("event {}: {e}", row.id),
            }
        };
        Ok(Event {
            id: row.id,
            slug: EventSlug::parse(&row.slug).map_err(|e| corrupt("slug")(&e))?,
            kind: row.kind.parse().map_err(|e| corrupt("kind")(&e))?,
            time_zone: parse_time_zone(&row.time_zone).map_err(|e| corrupt("time zone")(&e))?,
            recurrence: row
                .recurrence
                .as_deref()
                .map(str::parse)
                .transpose()
                .map_err(|e| corrupt("recurrence")(&e))?,
            registration: row
                .registration_enabled
                .then(|| -> Result<RegistrationSettings, StoreError> {
                    Ok(RegistrationSettings {
                        capacity: row
                            .capacity
                            .map(u32::try_from)
                            .transpose()
                            .map_err(|e| corrupt("capacity")(&e))?,
                        waitlist: row.waitlist_enabled,
                        opens_at: row.registration_opens_at,
                        closes_at: row.registration_closes_at,
                        // Checked like the form does: a window beyond two weeks would overflow
                        // a hold's expiry.
                        confirmation_window: (1..=CONFIRMATION_HOURS_MAX)
                            .contains(&row.confirmation_hours)
                            .then(|| chrono::Duration::hours(row.confirmation_hours))
                            .ok_or_else(|| corrupt("hours to confirm")(&row.confirmation_hours))?,
                        offer_window: row
                            .offer_hours
                            .map(|hours| {
                                (1..=CONFIRMATION_HOURS_MAX)
                                    .contains(&hours)
                                    .then(|| chrono::Duration::hours(hours))
                                    .ok_or_else(|| corrupt("hours of an offer")(&hours))
                            })
                            .transpose()?,
                        last_promotion_at: row.last_promotion_at,
                    })
                })
                .transpose()?,
            questions: serde_json::from_str(&row.questions)
                .map_err(|e| corrupt("questions")(&e))?,
            topics: row
                .topics_enabled
                .then(|| -> Result<TopicSettings, StoreError> {
                    Ok(TopicSettings {
                        per_person: row
                            .topics_per_person
                            .map(u32::try_from)
                            .transpose()
                            .map_err(|e| corrupt("topics per person")(&e))?,
                        proposals_close_at: row.topics_close_at,
                    })
                })
                .transpose()?,
            title: row.title,
            summary: row.summary,
            description_md: row.description_md,
            starts_at: row.starts_at,
            ends_at: row.ends_at,
            venue: row.venue,
            online_url: row.online_url,
            online_access: OnlineAccess::parse(&row.online_access)
                .ok_or_else(|| corrupt("online access")(&row.online_access))?,
            host: row.host,
            external_url: row.external_url,
            published: row.published,
            cancelled_at: row.cancelled_at,
            reminded_at: row.reminded_at,
            calendar: CalendarStamp {
                created_at: row.created_at,
                updated_at: row.updated_at,
                sequence: u32::try_from(row.calendar_sequence)
                    .map_err(|e| corrupt("calendar sequence")(&e))?,
            },
        })
    }
}

#[derive(sqlx::FromRow)]
struct OverrideRow {
    event_id: i64,
    original_date: NaiveDate,
    cancelled: bool,
    moved_starts_at: Option<DateTime<Utc>>,
    moved_ends_at: Option<DateTime<Utc>>,
    notes_md: Option<String>,
}

impl From<OverrideRow> for OccurrenceOverride {
    fn from(row: OverrideRow) -> Self {
        OccurrenceOverride {
            event_id: row.event_id,
            original_date: row.original_date,
            cancelled: row.cancelled,
            moved_to: row.moved_starts_at.zip(row.moved_ends_at),
            notes_md: row.notes_md,
        }
    }
}

const EVENT_COLUMNS: &str = "id, slug, title, kind, summary, description_md, starts_at, ends_at, \
     time_zone, venue, online_url, host, external_url, recurrence, published, \
     registration_enabled, capacity, waitlist_enabled, registration_opens_at, \
     registration_closes_at, confirmation_hours, questions, topics_enabled, topics_per_person, \
     topics_close_at, cancelled_at, reminded_at, created_at, updated_at, calendar_sequence, \
     online_access, offer_hours, last_promotion_at";

impl Store {
    /// All published events and series, in start order.
    pub async fn published_events(&self) -> StoreResult<Vec<Event>> {
        self.events_where("published = TRUE").await
    }

    /// Events matching a fixed SQL `condition`, in start order.
    pub(crate) async fn events_where(&self, condition: &str) -> StoreResult<Vec<Event>> {
        let sql =
            format!("SELECT {EVENT_COLUMNS} FROM events WHERE {condition} ORDER BY starts_at, id");
        let rows: Vec<EventRow> =
            on_backend!(self, pool => sqlx::query_as(&sql).fetch_all(pool).await?);
        rows.into_iter().map(Event::try_from).collect()
    }

    /// The published event with this slug, if any.
    pub async fn published_event(&self, slug: &EventSlug) -> StoreResult<Option<Event>> {
        let sql =
            format!("SELECT {EVENT_COLUMNS} FROM events WHERE slug = $1 AND published = TRUE");
        let row: Option<EventRow> = on_backend!(self, pool => {
            sqlx::query_as(&sql).bind(slug.as_str()).fetch_optional(pool).await?
        });
        row.map(Event::try_from).transpose()
    }

    /// The event with this id, published or not.
    pub async fn event_by_id(&self, id: i64) -> StoreResult<Option<Event>> {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE id = $1");
        let row: Option<EventRow> =
            on_backend!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?);
        row.map(Event::try_from).transpose()
    }

    /// The event at this address, published or not; `None` for an unknown one.
    pub async fn event_by_slug(&self, slug: &EventSlug) -> StoreResult<Option<Event>> {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE slug = $1");
        let row: Option<EventRow> = on_backend!(self, pool => {
            sqlx::query_as(&sql).bind(slug.as_str()).fetch_optional(pool).await?
        });
        row.map(Event::try_from).transpose()
    }

    /// Events whose reminder mails may be due at `now` (those starting within `lead`, not yet
    /// reminded); the caller decides under each event's lock.
    pub async fn events_due_for_reminder(
        &self,
        now: DateTime<Utc>,
        lead: chrono::Duration,
    ) -> StoreResult<Vec<i64>> {
        let rows: Vec<(i64,)> = on_backend!(self, pool => {
            sqlx::query_as(
                "SELECT id FROM events WHERE registration_enabled = TRUE AND recurrence IS NULL \
                 AND cancelled_at IS NULL AND reminded_at IS NULL \
                 AND starts_at > $1 AND starts_at <= $2 ORDER BY starts_at, id",
            )
            .bind(now)
            .bind(now + lead)
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Published events whose registration opened at its set time after `since` and up to
    /// `now`, is still open, and whose opening the community's room has not been told of.
    pub async fn events_with_unannounced_opening(
        &self,
        since: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<i64>> {
        let rows: Vec<(i64,)> = on_backend!(self, pool => {
            sqlx::query_as(
                "SELECT id FROM events WHERE published = TRUE AND registration_enabled = TRUE \
                 AND cancelled_at IS NULL AND registration_opens_at > $1 \
                 AND registration_opens_at <= $2 \
                 AND (registration_closes_at IS NULL OR registration_closes_at > $2) \
                 AND (opening_announced_at IS NULL \
                      OR opening_announced_at <> registration_opens_at) \
                 ORDER BY registration_opens_at, id",
            )
            .bind(since)
            .bind(now)
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Overrides of every series (cancellations, moves, notes).
    pub async fn occurrence_overrides(&self) -> StoreResult<Vec<OccurrenceOverride>> {
        let sql = "SELECT event_id, original_date, cancelled, moved_starts_at, moved_ends_at, \
                   notes_md FROM occurrence_overrides ORDER BY event_id, original_date";
        let rows: Vec<OverrideRow> =
            on_backend!(self, pool => sqlx::query_as(sql).fetch_all(pool).await?);
        Ok(rows.into_iter().map(OccurrenceOverride::from).collect())
    }

    /// Overrides of one series.
    pub async fn occurrence_overrides_of(
        &self,
        event_id: i64,
    ) -> StoreResult<Vec<OccurrenceOverride>> {
        let sql = "SELECT event_id, original_date, cancelled, moved_starts_at, moved_ends_at, \
                   notes_md FROM occurrence_overrides WHERE event_id = $1 ORDER BY original_date";
        let rows: Vec<OverrideRow> = on_backend!(self, pool => {
            sqlx::query_as(sql).bind(event_id).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(OccurrenceOverride::from).collect())
    }

    /// Stores `event` unless one with its slug exists; returns the new id, or `None` if the
    /// slug was taken (so loading the same data twice changes nothing).
    pub async fn insert_event_if_absent(&self, event: &NewEvent) -> StoreResult<Option<i64>> {
        let Some(write) = self.create_event(event).await? else {
            return Ok(None);
        };
        let id = write.event_id;
        write.commit().await?;
        Ok(Some(id))
    }

    /// Inserts the event unless its slug is taken, in a write transaction that stays open for
    /// what belongs with it (the audit line); `None` (and nothing written) when the slug is taken.
    pub async fn create_event(&self, event: &NewEvent) -> StoreResult<Option<crate::EventWrite>> {
        let turn = self.write_turn(None).await?;
        let mut write = crate::EventWrite {
            tx: self.begin_write().await?,
            event_id: 0,
            mail_queued: None,
            outbox: self.mail_queued(),
            webhooks_queued: None,
            webhook_outbox: self.webhooks_queued(),
            webhook_kinds: None,
            _turn: turn,
        };
        let id = write.insert_event(event).await?;
        Ok(id.map(|id| crate::EventWrite {
            event_id: id,
            ..write
        }))
    }

    /// Stores a change to one occurrence, replacing an earlier change to the same occurrence.
    pub async fn upsert_occurrence_override(&self, change: &OccurrenceOverride) -> StoreResult<()> {
        let mut write = self.write_event(change.event_id).await?;
        write.upsert_occurrence_override(change).await?;
        write.commit().await
    }

    /// The id of the event with this slug, published or not.
    pub async fn event_id(&self, slug: &EventSlug) -> StoreResult<Option<i64>> {
        let row: Option<(i64,)> = on_backend!(self, pool => {
            sqlx::query_as("SELECT id FROM events WHERE slug = $1")
                .bind(slug.as_str())
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(|(id,)| id))
    }
}

impl crate::EventWrite {
    async fn insert_event(&mut self, event: &NewEvent) -> StoreResult<Option<i64>> {
        let now = Utc::now();
        let sql = "INSERT INTO events (slug, title, kind, summary, description_md, starts_at, \
                   ends_at, time_zone, venue, online_url, host, external_url, recurrence, \
                   published, created_at, updated_at, registration_enabled, capacity, \
                   waitlist_enabled, registration_opens_at, registration_closes_at, \
                   confirmation_hours, questions, topics_enabled, topics_per_person, \
                   topics_close_at, online_access, offer_hours, last_promotion_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, \
                   $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28) \
                   ON CONFLICT (slug) DO NOTHING RETURNING id";
        let registration = event.registration.as_ref();
        let questions = questions_json(&event.questions)?;
        let id: Option<(i64,)> = crate::registrations::on_tx!(self, pool => {
            sqlx::query_as(sql)
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
                .bind(now)
                .bind(registration.is_some())
                .bind(registration.and_then(|r| r.capacity).map(i64::from))
                .bind(registration.is_none_or(|r| r.waitlist))
                .bind(registration.and_then(|r| r.opens_at))
                .bind(registration.and_then(|r| r.closes_at))
                .bind(registration.map_or(48, |r| r.confirmation_window.num_hours().max(1)))
                .bind(&questions)
                .bind(event.topics.is_some())
                .bind(event.topics.as_ref().and_then(|t| t.per_person).map(i64::from))
                .bind(event.topics.as_ref().and_then(|t| t.proposals_close_at))
                .bind(event.online_access.as_str())
                .bind(registration.and_then(|r| r.offer_window).map(|w| w.num_hours()))
                .bind(registration.and_then(|r| r.last_promotion_at))
                .fetch_optional(pool)
                .await?
        });
        Ok(id.map(|(id,)| id))
    }

    /// Cancels, moves or annotates one date of this series (the change names the date).
    pub async fn upsert_occurrence_override(
        &mut self,
        change: &OccurrenceOverride,
    ) -> StoreResult<()> {
        let sql = "INSERT INTO occurrence_overrides (event_id, original_date, cancelled, \
                   moved_starts_at, moved_ends_at, notes_md) VALUES ($1, $2, $3, $4, $5, $6) \
                   ON CONFLICT (event_id, original_date) DO UPDATE SET \
                   cancelled = excluded.cancelled, moved_starts_at = excluded.moved_starts_at, \
                   moved_ends_at = excluded.moved_ends_at, notes_md = excluded.notes_md";
        // Calendars must replace the date's entry they hold.
        let changed = "UPDATE events SET calendar_sequence = calendar_sequence + 1 WHERE id = $1";
        let (moved_start, moved_end) = change.moved_to.unzip();
        let event_id = self.event_id;
        crate::registrations::on_tx!(self, conn => {
            sqlx::query(sql)
                .bind(event_id)
                .bind(change.original_date)
                .bind(change.cancelled)
                .bind(moved_start)
                .bind(moved_end)
                .bind(&change.notes_md)
                .execute(&mut *conn)
                .await?;
            sqlx::query(changed).bind(event_id).execute(conn).await?;
        });
        Ok(())
    }

    /// The locked event as it is now: decisions inside the lock (seats, waitlist) must use the
    /// capacity an organizer may have changed since the request first read the event.
    pub async fn event(&mut self) -> StoreResult<Event> {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE id = $1");
        let event_id = self.event_id;
        let row: EventRow = crate::registrations::on_tx!(self, conn => {
            sqlx::query_as(&sql).bind(event_id).fetch_one(conn).await?
        });
        Event::try_from(row)
    }
}

/// An event's questions as the `questions` column keeps them (JSON).
pub(crate) fn questions_json(questions: &[Question]) -> StoreResult<String> {
    serde_json::to_string(questions).map_err(|e| StoreError::Corrupt {
        what: "questions",
        detail: e.to_string(),
    })
}
