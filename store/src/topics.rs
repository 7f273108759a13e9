//! Topics proposed for an event and the votes on them. Reads run on the pool; every change runs
//! inside the event's [`EventWrite`], so a vote cannot slip past a merge or a cancellation, and
//! the primary key of `topic_votes` keeps one vote per registration and topic whatever arrives
//! at once.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use domain::TopicStatus;
use domain::topics::{TopicState, ValidTopic};

use crate::registrations::on_tx;
use crate::{EventWrite, Store, StoreError, StoreResult, on_backend};

/// A stored topic with its current vote count.
#[derive(Debug, Clone, PartialEq)]
pub struct Topic {
    pub id: i64,
    pub event_id: i64,
    /// The proposer's registration; `None` for topics organizers entered.
    pub registration_id: Option<i64>,
    pub shown_as: String,
    pub title: String,
    pub description_md: String,
    pub status: TopicStatus,
    pub merged_into: Option<i64>,
    pub hidden_reason: Option<String>,
    pub agenda_position: Option<i64>,
    /// Votes of people with a confirmed seat or waiting (not of unconfirmed holds, cancelled or
    /// expired registrations).
    pub votes: u32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Topic {
    pub fn state(&self) -> TopicState {
        TopicState {
            id: self.id,
            event_id: self.event_id,
            status: self.status,
            proposer: self.registration_id,
        }
    }
}

#[derive(sqlx::FromRow)]
struct TopicRow {
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
    votes: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<TopicRow> for Topic {
    type Error = StoreError;
    fn try_from(row: TopicRow) -> Result<Self, Self::Error> {
        Ok(Topic {
            status: row.status.parse().map_err(|detail| StoreError::Corrupt {
                what: "topic status",
                detail: format!("topic {}: {detail}", row.id),
            })?,
            votes: u32::try_from(row.votes.max(0)).unwrap_or(u32::MAX),
            id: row.id,
            event_id: row.event_id,
            registration_id: row.registration_id,
            shown_as: row.shown_as,
            title: row.title,
            description_md: row.description_md,
            merged_into: row.merged_into,
            hidden_reason: row.hidden_reason,
            agenda_position: row.agenda_position,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// The topic columns with the live vote count: votes of people with a confirmed seat, waiting, or
/// offered a seat from the waitlist (not of a seat held for an address nobody confirmed yet, nor
/// cancelled or expired ones); `$1`
/// binds the event or topic in the WHERE.
const TOPIC_SELECT: &str = "SELECT t.id, t.event_id, t.registration_id, t.shown_as, t.title, \
     t.description_md, t.status, t.merged_into, t.hidden_reason, t.agenda_position, \
     (SELECT COUNT(*) FROM topic_votes v JOIN registrations r ON r.id = v.registration_id \
      WHERE v.topic_id = t.id AND r.status IN ('confirmed', 'waitlisted', 'offered')) \
     AS votes, t.created_at, t.updated_at FROM topics t";

impl Store {
    /// Every topic of an event (in id order; the board sorts them).
    pub async fn topics_of(&self, event_id: i64) -> StoreResult<Vec<Topic>> {
        let sql = format!("{TOPIC_SELECT} WHERE t.event_id = $1 ORDER BY t.id");
        let rows: Vec<TopicRow> = on_backend!(self, pool => {
            sqlx::query_as(&sql).bind(event_id).fetch_all(pool).await?
        });
        rows.into_iter().map(Topic::try_from).collect()
    }

    pub async fn topic(&self, id: i64) -> StoreResult<Option<Topic>> {
        let sql = format!("{TOPIC_SELECT} WHERE t.id = $1");
        let row: Option<TopicRow> = on_backend!(self, pool => {
            sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?
        });
        row.map(Topic::try_from).transpose()
    }

    /// The topics a registration voted for.
    pub async fn votes_of(&self, registration_id: i64) -> StoreResult<BTreeSet<i64>> {
        let rows: Vec<(i64,)> = on_backend!(self, pool => {
            sqlx::query_as("SELECT topic_id FROM topic_votes WHERE registration_id = $1")
                .bind(registration_id)
                .fetch_all(pool)
                .await?
        });
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Who voted for a topic (registration ids), whatever their status.
    pub async fn voters_of(&self, topic_id: i64) -> StoreResult<BTreeSet<i64>> {
        let rows: Vec<(i64,)> = on_backend!(self, pool => {
            sqlx::query_as("SELECT registration_id FROM topic_votes WHERE topic_id = $1")
                .bind(topic_id)
                .fetch_all(pool)
                .await?
        });
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }
}

impl EventWrite {
    /// The topics of this event, read inside the lock.
    pub async fn topics(&mut self) -> StoreResult<Vec<Topic>> {
        let sql = format!("{TOPIC_SELECT} WHERE t.event_id = $1 ORDER BY t.id");
        let event_id = self.event_id;
        let rows: Vec<TopicRow> = on_tx!(self, conn => {
            sqlx::query_as(&sql).bind(event_id).fetch_all(conn).await?
        });
        rows.into_iter().map(Topic::try_from).collect()
    }

    /// A topic of this event, read inside the lock.
    pub async fn topic(&mut self, id: i64) -> StoreResult<Option<Topic>> {
        let sql = format!("{TOPIC_SELECT} WHERE t.id = $1 AND t.event_id = $2");
        let event_id = self.event_id;
        let row: Option<TopicRow> = on_tx!(self, conn => {
            sqlx::query_as(&sql).bind(id).bind(event_id).fetch_optional(conn).await?
        });
        row.map(Topic::try_from).transpose()
    }

    /// How many topics a registration has proposed at this event (hidden and merged ones too,
    /// so hiding a topic does not free a place for the same one again).
    pub async fn topics_proposed_by(&mut self, registration_id: i64) -> StoreResult<u32> {
        let event_id = self.event_id;
        let (count,): (i64,) = on_tx!(self, conn => {
            sqlx::query_as("SELECT COUNT(*) FROM topics WHERE event_id = $1 AND registration_id = $2")
                .bind(event_id)
                .bind(registration_id)
                .fetch_one(conn)
                .await?
        });
        Ok(u32::try_from(count.max(0)).unwrap_or(u32::MAX))
    }

    /// Stores a new proposed topic and returns its id.
    pub async fn insert_topic(
        &mut self,
        registration_id: Option<i64>,
        topic: &ValidTopic,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        let event_id = self.event_id;
        let (id,): (i64,) = on_tx!(self, conn => {
            sqlx::query_as(
                "INSERT INTO topics (event_id, registration_id, shown_as, title, description_md, \
                 status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'proposed', $6, $6) \
                 RETURNING id",
            )
            .bind(event_id)
            .bind(registration_id)
            .bind(&topic.shown_as)
            .bind(&topic.title)
            .bind(&topic.description)
            .bind(now)
            .fetch_one(conn)
            .await?
        });
        Ok(id)
    }

    /// Replaces a topic's title, description and shown name.
    pub async fn update_topic(
        &mut self,
        id: i64,
        topic: &ValidTopic,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let event_id = self.event_id;
        on_tx!(self, conn => {
            sqlx::query(
                "UPDATE topics SET shown_as = $1, title = $2, description_md = $3, \
                 updated_at = $4 WHERE id = $5 AND event_id = $6",
            )
            .bind(&topic.shown_as)
            .bind(&topic.title)
            .bind(&topic.description)
            .bind(now)
            .bind(id)
            .bind(event_id)
            .execute(conn)
            .await?;
        });
        Ok(())
    }

    /// Removes a topic and its votes (its proposer withdrew it).
    pub async fn delete_topic(&mut self, id: i64) -> StoreResult<()> {
        let event_id = self.event_id;
        on_tx!(self, conn => {
            sqlx::query("DELETE FROM topics WHERE id = $1 AND event_id = $2")
                .bind(id)
                .bind(event_id)
                .execute(conn)
                .await?;
        });
        Ok(())
    }

    /// Records a vote; `false` if this registration had already voted for the topic.
    pub async fn add_vote(
        &mut self,
        topic_id: i64,
        registration_id: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let added = on_tx!(self, conn => {
            sqlx::query(
                "INSERT INTO topic_votes (topic_id, registration_id, created_at) \
                 VALUES ($1, $2, $3) ON CONFLICT (topic_id, registration_id) DO NOTHING",
            )
            .bind(topic_id)
            .bind(registration_id)
            .bind(now)
            .execute(conn)
            .await?
            .rows_affected()
        });
        Ok(added == 1)
    }

    /// Withdraws a vote; `false` if there was none.
    pub async fn remove_vote(&mut self, topic_id: i64, registration_id: i64) -> StoreResult<bool> {
        let removed = on_tx!(self, conn => {
            sqlx::query("DELETE FROM topic_votes WHERE topic_id = $1 AND registration_id = $2")
                .bind(topic_id)
                .bind(registration_id)
                .execute(conn)
                .await?
                .rows_affected()
        });
        Ok(removed == 1)
    }

    /// Puts a topic on the agenda, after the topics already there.
    pub async fn accept_topic(&mut self, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
        let event_id = self.event_id;
        on_tx!(self, conn => {
            sqlx::query(
                "UPDATE topics SET status = 'accepted', hidden_reason = NULL, \
                 agenda_position = (SELECT COALESCE(MAX(agenda_position), 0) + 1 FROM topics \
                 WHERE event_id = $1 AND status = 'accepted'), updated_at = $2 \
                 WHERE id = $3 AND event_id = $1",
            )
            .bind(event_id)
            .bind(now)
            .bind(id)
            .execute(conn)
            .await?;
        });
        Ok(())
    }

    /// Takes a topic off the board with a reason (its votes stay, unseen).
    pub async fn hide_topic(
        &mut self,
        id: i64,
        reason: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let event_id = self.event_id;
        on_tx!(self, conn => {
            sqlx::query(
                "UPDATE topics SET status = 'hidden', hidden_reason = $1, agenda_position = NULL, \
                 updated_at = $2 WHERE id = $3 AND event_id = $4",
            )
            .bind(reason)
            .bind(now)
            .bind(id)
            .bind(event_id)
            .execute(conn)
            .await?;
        });
        Ok(())
    }

    /// Merges `source` into `target`: the source's voters join the target's (someone who voted
    /// for both counts once), the source points at the target, and topics merged into the
    /// source earlier now point at the target too.
    pub async fn merge_topic(
        &mut self,
        source: i64,
        target: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let event_id = self.event_id;
        on_tx!(self, conn => {
            sqlx::query(
                "INSERT INTO topic_votes (topic_id, registration_id, created_at) \
                 SELECT $1, registration_id, created_at FROM topic_votes WHERE topic_id = $2 \
                 ON CONFLICT (topic_id, registration_id) DO NOTHING",
            )
            .bind(target)
            .bind(source)
            .execute(&mut *conn)
            .await?;
            sqlx::query("DELETE FROM topic_votes WHERE topic_id = $1")
                .bind(source)
                .execute(&mut *conn)
                .await?;
            sqlx::query(
                "UPDATE topics SET status = 'merged', merged_into = $1, hidden_reason = NULL, \
                 agenda_position = NULL, updated_at = $2 \
                 WHERE (id = $3 OR merged_into = $3) AND event_id = $4",
            )
            .bind(target)
            .bind(now)
            .bind(source)
            .bind(event_id)
            .execute(&mut *conn)
            .await?;
        });
        Ok(())
    }

    /// Sets the agenda order of accepted topics: `ids[0]` first.
    pub async fn set_agenda_order(&mut self, ids: &[i64], now: DateTime<Utc>) -> StoreResult<()> {
        let event_id = self.event_id;
        for (position, id) in (1_i64..).zip(ids) {
            on_tx!(self, conn => {
                sqlx::query(
                    "UPDATE topics SET agenda_position = $1, updated_at = $2 \
                     WHERE id = $3 AND event_id = $4 AND status = 'accepted'",
                )
                .bind(position)
                .bind(now)
                .bind(id)
                .bind(event_id)
                .execute(conn)
                .await?;
            });
        }
        Ok(())
    }
}
