//! Fresh databases for tests of this crate and the crates above it: a SQLite file always, and a
//! PostgreSQL database when a server answers at `CONVENE_TEST_PG_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`). Without one the PostgreSQL half prints that
//! it skipped; in CI (`CI=true`) it fails instead, since CI must test both backends.

use std::sync::atomic::{AtomicU32, Ordering};

use crate::Store;

/// A migrated, empty database that is removed when the test calls [`TestDatabase::finish`].
pub struct TestDatabase {
    pub store: Store,
    /// Where the database is, for other processes (e.g. a `convene` under test).
    pub url: String,
    /// (admin URL, database name) of a PostgreSQL database to drop.
    postgres: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl TestDatabase {
    /// A fresh SQLite database and, where a server answers, a fresh PostgreSQL one.
    pub async fn both(test: &str) -> Vec<TestDatabase> {
        let mut databases = vec![Self::sqlite().await];
        databases.extend(Self::postgres(test).await);
        databases
    }

    pub async fn sqlite() -> TestDatabase {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite:{}", dir.path().join("convene.db").display());
        let store = Store::connect(&url).await.expect("open sqlite");
        store.migrate().await.expect("migrate sqlite");
        TestDatabase {
            store,
            url,
            postgres: None,
            _dir: Some(dir),
        }
    }

    pub async fn postgres(test: &str) -> Option<TestDatabase> {
        let admin_url = std::env::var("CONVENE_TEST_PG_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
        let admin = match Store::connect(&admin_url).await {
            Ok(admin) => admin,
            Err(e) if std::env::var("CI").as_deref() != Ok("true") => {
                println!("SKIPPED the PostgreSQL half of {test}: no server at {admin_url} ({e})");
                return None;
            }
            Err(e) => {
                panic!("CI must run the PostgreSQL tests, but {admin_url} is unreachable: {e}")
            }
        };
        let name = format!(
            "convene_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            test.chars()
                .filter(char::is_ascii_alphanumeric)
                .take(30)
                .collect::<String>()
        )
        .to_lowercase();
        admin
            .execute_admin(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await
            .expect("drop a leftover database");
        admin
            .execute_admin(&format!("CREATE DATABASE {name}"))
            .await
            .expect("create the test database");
        admin.close().await;
        let base = admin_url
            .rsplit_once('/')
            .map_or(admin_url.as_str(), |(base, _)| base);
        let url = format!("{base}/{name}");
        let store = Store::connect(&url).await.expect("open postgres");
        store.migrate().await.expect("migrate postgres");
        Some(TestDatabase {
            store,
            url,
            postgres: Some((admin_url, name)),
            _dir: None,
        })
    }

    /// Closes the pool and drops a PostgreSQL test database.
    pub async fn finish(self) {
        self.store.close().await;
        if let Some((admin_url, name)) = self.postgres {
            let admin = Store::connect(&admin_url).await.expect("reconnect admin");
            admin
                .execute_admin(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await
                .expect("drop the test database");
            admin.close().await;
        }
    }
}

impl Store {
    /// Moves the deadline of a held or offered seat to `to`: what a test does instead of
    /// waiting hours for it to lapse.
    pub async fn move_hold_deadline(
        &self,
        registration_id: i64,
        to: chrono::DateTime<chrono::Utc>,
    ) {
        crate::on_backend!(self, pool => {
            sqlx::query("UPDATE registrations SET hold_expires_at = $1 WHERE id = $2")
                .bind(to)
                .bind(registration_id)
                .execute(pool)
                .await
                .expect("the deadline moved");
        });
    }

    /// Every value of every column of every table of this database, as text (NULLs left out):
    /// what a test searches to prove that something is stored nowhere. The tables come from
    /// the database's own catalogue, so a table added later is searched too.
    pub async fn every_text_value(&self) -> Vec<String> {
        match &self.backend {
            crate::Backend::Sqlite(pool) => {
                let tables: Vec<(String,)> = sqlx::query_as(
                    "SELECT name FROM sqlite_master WHERE type = 'table' \
                     AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'",
                )
                .fetch_all(pool)
                .await
                .expect("tables");
                let mut values = Vec::new();
                for (table,) in tables {
                    let columns: Vec<(String,)> =
                        sqlx::query_as(&format!("SELECT name FROM pragma_table_info('{table}')"))
                            .fetch_all(pool)
                            .await
                            .expect("columns");
                    for (column,) in columns {
                        let rows: Vec<(Option<String>,)> = sqlx::query_as(&format!(
                            "SELECT CAST(\"{column}\" AS TEXT) FROM \"{table}\""
                        ))
                        .fetch_all(pool)
                        .await
                        .expect("values");
                        values.extend(rows.into_iter().filter_map(|(value,)| value));
                    }
                }
                values
            }
            crate::Backend::Postgres(pool) => {
                let columns: Vec<(String, String)> = sqlx::query_as(
                    "SELECT table_name::text, column_name::text FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND table_name NOT LIKE '_sqlx%'",
                )
                .fetch_all(pool)
                .await
                .expect("columns");
                let mut values = Vec::new();
                for (table, column) in columns {
                    let rows: Vec<(Option<String>,)> =
                        sqlx::query_as(&format!("SELECT \"{column}\"::text FROM \"{table}\""))
                            .fetch_all(pool)
                            .await
                            .expect("values");
                    values.extend(rows.into_iter().filter_map(|(value,)| value));
                }
                values
            }
        }
    }
}
