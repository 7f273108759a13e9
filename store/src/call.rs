//! The community call's agenda: a series' sections, the items written into them per date, the
//! generated entries hidden for one call, the organizer accounts named for a team, and the
//! reminders sent. Reads run on the pool; every change runs inside the series' [`EventWrite`],
//! so two contributors adding at once each get their own place in the order.

use chrono::{DateTime, NaiveDate, Utc};
use domain::call::{Item, Section, SectionKind};

use crate::registrations::on_tx;
use crate::{EventWrite, Store, StoreError, StoreResult, on_backend};

#[derive(sqlx::FromRow)]
struct SectionRow {
    id: i64,
    event_id: i64,
    position: i64,
    kind: String,
    title: String,
    team_event_id: Option<i64>,
    has_link: bool,
}

impl TryFrom<SectionRow> for Section {
    type Error = StoreError;
    fn try_from(row: SectionRow) -> Result<Self, Self::Error> {
        Ok(Section {
            kind: SectionKind::parse(&row.kind).ok_or_else(|| StoreError::Corrupt {
                what: "agenda section kind",
                detail: format!("section {}: {}", row.id, row.kind),
            })?,
            id: row.id,
            event_id: row.event_id,
            position: row.position,
            title: row.title,
            team_event_id: row.team_event_id,
            has_contributor_link: row.has_link,
        })
    }
}

const SECTION_SELECT: &str = "SELECT id, event_id, position, kind, title, team_event_id, \
     (contributor_token_hash IS NOT NULL) AS has_link FROM call_sections";

#[derive(sqlx::FromRow)]
struct ItemRow {
    id: i64,
    section_id: i64,
    call_date: NaiveDate,
    position: i64,
    body_md: String,
    updated_at: DateTime<Utc>,
}

impl From<ItemRow> for Item {
    fn from(row: ItemRow) -> Self {
        Item {
            id: row.id,
            section_id: row.section_id,
            date: row.call_date,
            position: row.position,
            body_md: row.body_md,
            updated_at: row.updated_at,
        }
    }
}

const ITEM_SELECT: &str = "SELECT i.id, i.section_id, i.call_date, i.position, i.body_md, \
     i.updated_at FROM call_items i JOIN call_sections s ON s.id = i.section_id";

/// An organizer account named as a section's contributor.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SectionContributor {
    pub section_id: i64,
    pub organizer_id: i64,
    pub email: String,
}

impl Store {
    /// The sections of a series' agenda, in order.
    pub async fn call_sections(&self, event_id: i64) -> StoreResult<Vec<Section>> {
        let sql = format!("{SECTION_SELECT} WHERE event_id = $1 ORDER BY position, id");
        let rows: Vec<SectionRow> = on_backend!(self, pool => {
            sqlx::query_as(&sql).bind(event_id).fetch_all(pool).await?
        });
        rows.into_iter().map(Section::try_from).collect()
    }

    /// The section whose contributor link has this hash.
    pub async fn call_section_by_token(&self, token_hash: &str) -> StoreResult<Option<Section>> {
        let sql = format!("{SECTION_SELECT} WHERE contributor_token_hash = $1");
        let row: Option<SectionRow> = on_backend!(self, pool => {
            sqlx::query_as(&sql).bind(token_hash).fetch_optional(pool).await?
        });
        row.map(Section::try_from).transpose()
    }

    pub async fn call_section(&self, id: i64) -> StoreResult<Option<Section>> {
        let sql = format!("{SECTION_SELECT} WHERE id = $1");
        let row: Option<SectionRow> = on_backend!(self, pool => {
            sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?
        });
        row.map(Section::try_from).transpose()
    }

    /// Every item of a series' call on `date`, by section and place.
    pub async fn call_items(&self, event_id: i64, date: NaiveDate) -> StoreResult<Vec<Item>> {
        let sql = format!(
            "{ITEM_SELECT} WHERE s.event_id = $1 AND i.call_date = $2 \
             ORDER BY s.position, s.id, i.position, i.id"
        );
        let rows: Vec<ItemRow> = on_backend!(self, pool => {
            sqlx::query_as(&sql).bind(event_id).bind(date).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(Item::from).collect())
    }

    /// An item, by id (read outside any lock: a flow reads it again inside its series' lock).
    pub async fn call_item(&self, id: i64) -> StoreResult<Option<Item>> {
        let sql = format!("{ITEM_SELECT} WHERE i.id = $1");
        let row: Option<ItemRow> = on_backend!(self, pool => {
            sqlx::query_as(&sql).bind(id).fetch_optional(pool).await?
        });
        Ok(row.map(Item::from))
    }

    /// A section's items for the calls from `from` on, by date and place.
    pub async fn call_items_of_section(
        &self,
        section_id: i64,
        from: NaiveDate,
    ) -> StoreResult<Vec<Item>> {
        let sql = format!(
            "{ITEM_SELECT} WHERE i.section_id = $1 AND i.call_date >= $2 \
             ORDER BY i.call_date, i.position, i.id"
        );
        let rows: Vec<ItemRow> = on_backend!(self, pool => {
            sqlx::query_as(&sql).bind(section_id).bind(from).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(Item::from).collect())
    }

    /// The events the generated section leaves out of the call on `date`.
    pub async fn call_hidden_entries(
        &self,
        event_id: i64,
        date: NaiveDate,
    ) -> StoreResult<Vec<i64>> {
        let rows: Vec<(i64,)> = on_backend!(self, pool => {
            sqlx::query_as(
                "SELECT entry_event_id FROM call_hidden_entries \
                 WHERE event_id = $1 AND call_date = $2 ORDER BY entry_event_id",
            )
            .bind(event_id)
            .bind(date)
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// The organizer accounts named for the sections of a series (removed accounts left out).
    pub async fn call_contributors(&self, event_id: i64) -> StoreResult<Vec<SectionContributor>> {
        let rows: Vec<SectionContributor> = on_backend!(self, pool => {
            sqlx::query_as(
                "SELECT c.section_id, c.organizer_id, o.email FROM call_section_contributors c \
                 JOIN call_sections s ON s.id = c.section_id \
                 JOIN organizers o ON o.id = c.organizer_id \
                 WHERE s.event_id = $1 AND o.removed_at IS NULL \
                 ORDER BY c.section_id, o.email_normalized",
            )
            .bind(event_id)
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }

    /// The team sections an organizer account is named for, in any series.
    pub async fn call_sections_of(&self, organizer_id: i64) -> StoreResult<Vec<Section>> {
        let sql = format!(
            "{SECTION_SELECT} WHERE id IN (SELECT section_id FROM call_section_contributors \
             WHERE organizer_id = $1) ORDER BY event_id, position, id"
        );
        let rows: Vec<SectionRow> = on_backend!(self, pool => {
            sqlx::query_as(&sql).bind(organizer_id).fetch_all(pool).await?
        });
        rows.into_iter().map(Section::try_from).collect()
    }

    /// The series that have an agenda (at least one section).
    /// The dates of one series whose call has items: they count as noted, like notes.
    pub async fn call_dates_with_items(
        &self,
        event_id: i64,
    ) -> StoreResult<std::collections::BTreeSet<NaiveDate>> {
        let rows: Vec<(NaiveDate,)> = on_backend!(self, pool => {
            sqlx::query_as(
                "SELECT DISTINCT i.call_date FROM call_items i \
                 JOIN call_sections s ON s.id = i.section_id WHERE s.event_id = $1",
            )
            .bind(event_id)
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(|(date,)| date).collect())
    }

    /// The calls (series id, date) that have items: the archive lists them as notes.
    pub async fn calls_with_items(
        &self,
    ) -> StoreResult<std::collections::BTreeSet<(i64, NaiveDate)>> {
        let rows: Vec<(i64, NaiveDate)> = on_backend!(self, pool => {
            sqlx::query_as(
                "SELECT DISTINCT s.event_id, i.call_date FROM call_items i \
                 JOIN call_sections s ON s.id = i.section_id",
            )
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().collect())
    }

    pub async fn series_with_agenda(&self) -> StoreResult<Vec<i64>> {
        let rows: Vec<(i64,)> = on_backend!(self, pool => {
            sqlx::query_as("SELECT DISTINCT event_id FROM call_sections ORDER BY event_id")
                .fetch_all(pool)
                .await?
        });
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }
}

impl EventWrite {
    /// The sections of this series, read inside the lock.
    pub async fn call_sections(&mut self) -> StoreResult<Vec<Section>> {
        let sql = format!("{SECTION_SELECT} WHERE event_id = $1 ORDER BY position, id");
        let event_id = self.event_id;
        let rows: Vec<SectionRow> = on_tx!(self, conn => {
            sqlx::query_as(&sql).bind(event_id).fetch_all(conn).await?
        });
        rows.into_iter().map(Section::try_from).collect()
    }

    /// Adds a section at the end of the agenda and returns its id.
    pub async fn insert_call_section(
        &mut self,
        kind: SectionKind,
        title: &str,
        team_event_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        let event_id = self.event_id;
        let (id,): (i64,) = on_tx!(self, conn => {
            sqlx::query_as(
                "INSERT INTO call_sections (event_id, position, kind, title, team_event_id, \
                 created_at) VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM \
                 call_sections WHERE event_id = $1), $2, $3, $4, $5) RETURNING id",
            )
            .bind(event_id)
            .bind(kind.as_str())
            .bind(title)
            .bind(team_event_id)
            .bind(now)
            .fetch_one(conn)
            .await?
        });
        Ok(id)
    }

    /// Removes a section with its items (the audit line keeps its title).
    pub async fn delete_call_section(&mut self, id: i64) -> StoreResult<()> {
        let event_id = self.event_id;
        on_tx!(self, conn => {
            sqlx::query("DELETE FROM call_sections WHERE id = $1 AND event_id = $2")
                .bind(id)
                .bind(event_id)
                .execute(conn)
                .await?;
        });
        Ok(())
    }

    /// Puts the sections in the order of `ids` (first first).
    pub async fn set_call_section_order(&mut self, ids: &[i64]) -> StoreResult<()> {
        let event_id = self.event_id;
        for (position, id) in (1_i64..).zip(ids) {
            on_tx!(self, conn => {
                sqlx::query("UPDATE call_sections SET position = $1 WHERE id = $2 AND event_id = $3")
                    .bind(position)
                    .bind(id)
                    .bind(event_id)
                    .execute(conn)
                    .await?;
            });
        }
        Ok(())
    }

    /// Gives a section a new contributor link (the hash of its secret), or takes it back (`None`).
    pub async fn set_contributor_token(
        &mut self,
        section_id: i64,
        token_hash: Option<&str>,
    ) -> StoreResult<()> {
        let event_id = self.event_id;
        on_tx!(self, conn => {
            sqlx::query(
                "UPDATE call_sections SET contributor_token_hash = $1 \
                 WHERE id = $2 AND event_id = $3",
            )
            .bind(token_hash)
            .bind(section_id)
            .bind(event_id)
            .execute(conn)
            .await?;
        });
        Ok(())
    }

    /// Names exactly `organizer_ids` as the section's contributors.
    pub async fn set_section_contributors(
        &mut self,
        section_id: i64,
        organizer_ids: &[i64],
    ) -> StoreResult<()> {
        on_tx!(self, conn => {
            sqlx::query("DELETE FROM call_section_contributors WHERE section_id = $1")
                .bind(section_id)
                .execute(&mut *conn)
                .await?;
            for organizer_id in organizer_ids {
                sqlx::query(
                    "INSERT INTO call_section_contributors (section_id, organizer_id) \
                     VALUES ($1, $2)",
                )
                .bind(section_id)
                .bind(organizer_id)
                .execute(&mut *conn)
                .await?;
            }
        });
        Ok(())
    }

    /// The items of one section on one date, inside the lock.
    pub async fn call_items_in(
        &mut self,
        section_id: i64,
        date: NaiveDate,
    ) -> StoreResult<Vec<Item>> {
        let sql = format!(
            "{ITEM_SELECT} WHERE i.section_id = $1 AND i.call_date = $2 AND s.event_id = $3 \
             ORDER BY i.position, i.id"
        );
        let event_id = self.event_id;
        let rows: Vec<ItemRow> = on_tx!(self, conn => {
            sqlx::query_as(&sql).bind(section_id).bind(date).bind(event_id).fetch_all(conn).await?
        });
        Ok(rows.into_iter().map(Item::from).collect())
    }

    /// An item of this series, inside the lock.
    pub async fn call_item(&mut self, id: i64) -> StoreResult<Option<Item>> {
        let sql = format!("{ITEM_SELECT} WHERE i.id = $1 AND s.event_id = $2");
        let event_id = self.event_id;
        let row: Option<ItemRow> = on_tx!(self, conn => {
            sqlx::query_as(&sql).bind(id).bind(event_id).fetch_optional(conn).await?
        });
        Ok(row.map(Item::from))
    }

    /// Adds an item at the end of its section for `date` and returns its id.
    pub async fn insert_call_item(
        &mut self,
        section_id: i64,
        date: NaiveDate,
        body_md: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        let (id,): (i64,) = on_tx!(self, conn => {
            sqlx::query_as(
                "INSERT INTO call_items (section_id, call_date, position, body_md, created_at, \
                 updated_at) VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM \
                 call_items WHERE section_id = $1 AND call_date = $2), $3, $4, $4) RETURNING id",
            )
            .bind(section_id)
            .bind(date)
            .bind(body_md)
            .bind(now)
            .fetch_one(conn)
            .await?
        });
        Ok(id)
    }

    pub async fn update_call_item(
        &mut self,
        id: i64,
        body_md: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        on_tx!(self, conn => {
            sqlx::query("UPDATE call_items SET body_md = $1, updated_at = $2 WHERE id = $3")
                .bind(body_md)
                .bind(now)
                .bind(id)
                .execute(conn)
                .await?;
        });
        Ok(())
    }

    pub async fn delete_call_item(&mut self, id: i64) -> StoreResult<()> {
        on_tx!(self, conn => {
            sqlx::query("DELETE FROM call_items WHERE id = $1")
                .bind(id)
                .execute(conn)
                .await?;
        });
        Ok(())
    }

    /// Leaves the event `entry_event_id` out of the generated section of the call on `date`
    /// (`hidden`), or lists it again.
    pub async fn set_call_entry_hidden(
        &mut self,
        date: NaiveDate,
        entry_event_id: i64,
        hidden: bool,
    ) -> StoreResult<()> {
        let event_id = self.event_id;
        on_tx!(self, conn => {
            sqlx::query(
                "DELETE FROM call_hidden_entries \
                 WHERE event_id = $1 AND call_date = $2 AND entry_event_id = $3",
            )
            .bind(event_id)
            .bind(date)
            .bind(entry_event_id)
            .execute(&mut *conn)
            .await?;
            if hidden {
                sqlx::query(
                    "INSERT INTO call_hidden_entries (event_id, call_date, entry_event_id) \
                     VALUES ($1, $2, $3)",
                )
                .bind(event_id)
                .bind(date)
                .bind(entry_event_id)
                .execute(&mut *conn)
                .await?;
            }
        });
        Ok(())
    }

    /// Records the reminder for a section's call; `false` when one was sent already.
    pub async fn mark_call_reminded(
        &mut self,
        section_id: i64,
        date: NaiveDate,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let inserted = on_tx!(self, conn => {
            sqlx::query(
                "INSERT INTO call_reminders (section_id, call_date, sent_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (section_id, call_date) DO NOTHING",
            )
            .bind(section_id)
            .bind(date)
            .bind(now)
            .execute(conn)
            .await?
            .rows_affected()
        });
        Ok(inserted == 1)
    }
}
