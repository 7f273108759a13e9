//! A whole community as one JSON document: `convene export` writes it and `convene import`
//! reads it into an empty database of either backend, keeping every id, so a community moves
//! from SQLite to PostgreSQL without loss.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::{Backend, Store, StoreError, StoreResult, on_backend};

/// The document's format; bumped when its shape changes.
pub const DUMP_FORMAT: u32 = 3;
/// Older formats this build still reads (format 1 had no topics, format 2 no cancelled events,
/// removed organizers or reminders).
const READABLE_FORMATS: [u32; 3] = [1, 2, DUMP_FORMAT];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dump {
    pub format: u32,
    pub events: Vec<EventRow>,
    pub occurrence_overrides: Vec<OverrideRow>,
    pub registrations: Vec<RegistrationRow>,
    pub registration_log: Vec<LogRow>,
    pub outbox: Vec<OutboxRow>,
    #[serde(default)]
    pub topics: Vec<TopicRow>,
    #[serde(default)]
    pub topic_votes: Vec<TopicVoteRow>,
    #[serde(default)]
    pub organizers: Vec<OrganizerRow>,
    #[serde(default)]
    pub event_log: Vec<EventLogRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct EventRow {
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
    host: Option<String>,
    external_url: Option<String>,
    recurrence: Option<String>,
    published: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    registration_enabled: bool,
    capacity: Option<i64>,
    waitlist_enabled: bool,
    registration_opens_at: Option<DateTime<Utc>>,
    registration_closes_at: Option<DateTime<Utc>>,
    confirmation_hours: i64,
    questions: String,
    #[serde(default)]
    topics_enabled: bool,
    #[serde(default)]
    topics_per_person: Option<i64>,
    #[serde(default)]
    topics_close_at: Option<DateTime<Utc>>,
    #[serde(default)]
    cancelled_at: Option<DateTime<Utc>>,
    #[serde(default)]
    reminded_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct OverrideRow {
    event_id: i64,
    original_date: NaiveDate,
    cancelled: bool,
    moved_starts_at: Option<DateTime<Utc>>,
    moved_ends_at: Option<DateTime<Utc>>,
    notes_md: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct RegistrationRow {
    id: i64,
    event_id: i64,
    name: String,
    email: String,
    email_normalized: String,
    organisation: Option<String>,
    notes: Option<String>,
    answers: String,
    locale: String,
    status: String,
    token_hash: String,
    waitlist_seq: Option<i64>,
    hold_expires_at: Option<DateTime<Utc>>,
    email_confirmed_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    #[serde(default)]
    checked_in_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct TopicRow {
    id: i64,
    event_id: i64,
    registration_id: Option<i64>,
    shown_as: String,
    title: String,
    description_md: String,
    status: String,
    merged_into: Option<i64>,
    hidden_reason: Option<String>,
    agenda_position: Option<i64>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// Sessions are not exported: organizers sign in again on the new database.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct OrganizerRow {
    id: i64,
    email: String,
    email_normalized: String,
    password_hash: String,
    created_at: DateTime<Utc>,
    #[serde(default)]
    removed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct EventLogRow {
    id: i64,
    event_id: i64,
    actor: String,
    action: String,
    before: Option<String>,
    after: Option<String>,
    at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct TopicVoteRow {
    topic_id: i64,
    registration_id: i64,
    created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct LogRow {
    id: i64,
    registration_id: i64,
    event_id: i64,
    actor: String,
    action: String,
    from_status: Option<String>,
    to_status: Option<String>,
    at: DateTime<Utc>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct OutboxRow {
    id: i64,
    kind: String,
    registration_id: Option<i64>,
    recipient: String,
    subject: String,
    body_text: Option<String>,
    body_html: Option<String>,
    ics: Option<String>,
    status: String,
    attempts: i64,
    next_attempt_at: DateTime<Utc>,
    claimed_until: Option<DateTime<Utc>>,
    last_error: Option<String>,
    created_at: DateTime<Utc>,
    sent_at: Option<DateTime<Utc>>,
}

const EVENT_COLUMNS: &str = "id, slug, title, kind, summary, description_md, starts_at, ends_at, \
     time_zone, venue, online_url, host, external_url, recurrence, published, created_at, \
     updated_at, registration_enabled, capacity, waitlist_enabled, registration_opens_at, \
     registration_closes_at, confirmation_hours, questions, topics_enabled, topics_per_person, \
     topics_close_at, cancelled_at, reminded_at";
const TOPIC_COLUMNS: &str = "id, event_id, registration_id, shown_as, title, description_md, \
     status, merged_into, hidden_reason, agenda_position, created_at, updated_at";
const TOPIC_VOTE_COLUMNS: &str = "topic_id, registration_id, created_at";
const OVERRIDE_COLUMNS: &str =
    "event_id, original_date, cancelled, moved_starts_at, moved_ends_at, notes_md";
const REGISTRATION_COLUMNS: &str = "id, event_id, name, email, email_normalized, organisation, \
     notes, answers, locale, status, token_hash, waitlist_seq, hold_expires_at, \
     email_confirmed_at, created_at, updated_at, checked_in_at";
const LOG_COLUMNS: &str =
    "id, registration_id, event_id, actor, action, from_status, to_status, at, note";
const ORGANIZER_COLUMNS: &str =
    "id, email, email_normalized, password_hash, created_at, removed_at";
const EVENT_LOG_COLUMNS: &str = "id, event_id, actor, action, before, after, at";
const OUTBOX_COLUMNS: &str = "id, kind, registration_id, recipient, subject, body_text, \
     body_html, ics, status, attempts, next_attempt_at, claimed_until, last_error, created_at, \
     sent_at";

/// `$1, $2, ... $n`
fn placeholders(columns: &str) -> String {
    (1..=columns.split(',').count())
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Store {
    /// Everything the database holds, in id order.
    pub async fn export(&self) -> StoreResult<Dump> {
        on_backend!(self, pool => {
            Ok(Dump {
                format: DUMP_FORMAT,
                events: sqlx::query_as(&format!("SELECT {EVENT_COLUMNS} FROM events ORDER BY id"))
                    .fetch_all(pool)
                    .await?,
                occurrence_overrides: sqlx::query_as(&format!(
                    "SELECT {OVERRIDE_COLUMNS} FROM occurrence_overrides ORDER BY event_id, original_date"
                ))
                .fetch_all(pool)
                .await?,
                registrations: sqlx::query_as(&format!(
                    "SELECT {REGISTRATION_COLUMNS} FROM registrations ORDER BY id"
                ))
                .fetch_all(pool)
                .await?,
                registration_log: sqlx::query_as(&format!(
                    "SELECT {LOG_COLUMNS} FROM registration_log ORDER BY id"
                ))
                .fetch_all(pool)
                .await?,
                outbox: sqlx::query_as(&format!("SELECT {OUTBOX_COLUMNS} FROM outbox ORDER BY id"))
                    .fetch_all(pool)
                    .await?,
                topics: sqlx::query_as(&format!("SELECT {TOPIC_COLUMNS} FROM topics ORDER BY id"))
                    .fetch_all(pool)
                    .await?,
                organizers: sqlx::query_as(&format!(
                    "SELECT {ORGANIZER_COLUMNS} FROM organizers ORDER BY id"
                ))
                .fetch_all(pool)
                .await?,
                event_log: sqlx::query_as(&format!(
                    "SELECT {EVENT_LOG_COLUMNS} FROM event_log ORDER BY id"
                ))
                .fetch_all(pool)
                .await?,
                topic_votes: sqlx::query_as(&format!(
                    "SELECT {TOPIC_VOTE_COLUMNS} FROM topic_votes ORDER BY topic_id, registration_id"
                ))
                .fetch_all(pool)
                .await?,
            })
        })
    }

    /// Loads a dump into this database, which must hold no events yet, in one transaction.
    pub async fn import(&self, dump: &Dump) -> StoreResult<()> {
        if !READABLE_FORMATS.contains(&dump.format) {
            return Err(StoreError::Url(format!(
                "this convene reads dump format {DUMP_FORMAT}, the file is format {}",
                dump.format
            )));
        }
        // PostgreSQL generates ids itself unless told to keep the given ones.
        let keep_ids = match self.backend {
            Backend::Sqlite(_) => "",
            Backend::Postgres(_) => "OVERRIDING SYSTEM VALUE",
        };
        let insert = |table: &str, columns: &str, keep: &str| {
            format!(
                "INSERT INTO {table} ({columns}) {keep} VALUES ({})",
                placeholders(columns)
            )
        };
        on_backend!(self, pool => {
            let mut tx = pool.begin().await?;
            let (existing,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM events")
                .fetch_one(&mut *tx)
                .await?;
            if existing > 0 {
                return Err(StoreError::Url(
                    "the database already holds events: import only into an empty one".to_owned(),
                ));
            }
            let sql = insert("events", EVENT_COLUMNS, keep_ids);
            for e in &dump.events {
                sqlx::query(&sql)
                    .bind(e.id).bind(&e.slug).bind(&e.title).bind(&e.kind).bind(&e.summary)
                    .bind(&e.description_md).bind(e.starts_at).bind(e.ends_at).bind(&e.time_zone)
                    .bind(&e.venue).bind(&e.online_url).bind(&e.host).bind(&e.external_url)
                    .bind(&e.recurrence).bind(e.published).bind(e.created_at).bind(e.updated_at)
                    .bind(e.registration_enabled).bind(e.capacity).bind(e.waitlist_enabled)
                    .bind(e.registration_opens_at).bind(e.registration_closes_at)
                    .bind(e.confirmation_hours).bind(&e.questions).bind(e.topics_enabled)
                    .bind(e.topics_per_person).bind(e.topics_close_at).bind(e.cancelled_at)
                    .bind(e.reminded_at)
                    .execute(&mut *tx)
                    .await?;
            }
            let sql = insert("occurrence_overrides", OVERRIDE_COLUMNS, "");
            for o in &dump.occurrence_overrides {
                sqlx::query(&sql)
                    .bind(o.event_id).bind(o.original_date).bind(o.cancelled)
                    .bind(o.moved_starts_at).bind(o.moved_ends_at).bind(&o.notes_md)
                    .execute(&mut *tx)
                    .await?;
            }
            let sql = insert("registrations", REGISTRATION_COLUMNS, keep_ids);
            for r in &dump.registrations {
                sqlx::query(&sql)
                    .bind(r.id).bind(r.event_id).bind(&r.name).bind(&r.email)
                    .bind(&r.email_normalized).bind(&r.organisation).bind(&r.notes)
                    .bind(&r.answers).bind(&r.locale).bind(&r.status).bind(&r.token_hash)
                    .bind(r.waitlist_seq).bind(r.hold_expires_at).bind(r.email_confirmed_at)
                    .bind(r.created_at).bind(r.updated_at).bind(r.checked_in_at)
                    .execute(&mut *tx)
                    .await?;
            }
            let sql = insert("registration_log", LOG_COLUMNS, keep_ids);
            for l in &dump.registration_log {
                sqlx::query(&sql)
                    .bind(l.id).bind(l.registration_id).bind(l.event_id).bind(&l.actor)
                    .bind(&l.action).bind(&l.from_status).bind(&l.to_status).bind(l.at)
                    .bind(&l.note)
                    .execute(&mut *tx)
                    .await?;
            }
            let sql = insert("outbox", OUTBOX_COLUMNS, keep_ids);
            for m in &dump.outbox {
                sqlx::query(&sql)
                    .bind(m.id).bind(&m.kind).bind(m.registration_id).bind(&m.recipient)
                    .bind(&m.subject).bind(&m.body_text).bind(&m.body_html).bind(&m.ics)
                    .bind(&m.status).bind(m.attempts).bind(m.next_attempt_at)
                    .bind(m.claimed_until).bind(&m.last_error).bind(m.created_at).bind(m.sent_at)
                    .execute(&mut *tx)
                    .await?;
            }
            // Merged topics point at a topic that is not merged (merges flatten chains):
            // store those targets first.
            let sql = insert("topics", TOPIC_COLUMNS, keep_ids);
            let (merged, unmerged): (Vec<&TopicRow>, Vec<&TopicRow>) =
                dump.topics.iter().partition(|t| t.merged_into.is_some());
            for t in unmerged.into_iter().chain(merged) {
                sqlx::query(&sql)
                    .bind(t.id).bind(t.event_id).bind(t.registration_id).bind(&t.shown_as)
                    .bind(&t.title).bind(&t.description_md).bind(&t.status).bind(t.merged_into)
                    .bind(&t.hidden_reason).bind(t.agenda_position).bind(t.created_at)
                    .bind(t.updated_at)
                    .execute(&mut *tx)
                    .await?;
            }
            let sql = insert("organizers", ORGANIZER_COLUMNS, keep_ids);
            for o in &dump.organizers {
                sqlx::query(&sql)
                    .bind(o.id).bind(&o.email).bind(&o.email_normalized).bind(&o.password_hash)
                    .bind(o.created_at).bind(o.removed_at)
                    .execute(&mut *tx)
                    .await?;
            }
            let sql = insert("event_log", EVENT_LOG_COLUMNS, keep_ids);
            for l in &dump.event_log {
                sqlx::query(&sql)
                    .bind(l.id).bind(l.event_id).bind(&l.actor).bind(&l.action).bind(&l.before)
                    .bind(&l.after).bind(l.at)
                    .execute(&mut *tx)
                    .await?;
            }
            let sql = insert("topic_votes", TOPIC_VOTE_COLUMNS, "");
            for v in &dump.topic_votes {
                sqlx::query(&sql)
                    .bind(v.topic_id).bind(v.registration_id).bind(v.created_at)
                    .execute(&mut *tx)
                    .await?;
            }
            if !keep_ids.is_empty() {
                // New rows must continue after the imported ids.
                for table in [
                    "events", "registrations", "registration_log", "outbox", "topics",
                    "organizers", "event_log",
                ] {
                    sqlx::query(&format!(
                        "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                         COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                    ))
                    .execute(&mut *tx)
                    .await?;
                }
            }
            tx.commit().await?;
            Ok(())
        })
    }
}
