//! The store against real databases: a fresh SQLite file always, and a fresh PostgreSQL database
//! when a server is reachable (CONVENE_TEST_PG_URL, default
//! postgres://postgres@127.0.0.1:5432/postgres). Without one the PostgreSQL half prints that it
//! skipped; in CI (CI=true) it must run.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use domain::{EventSlug, OccurrenceOverride, OccurrenceStatus};
use store::{Store, load_demo};

struct TestDb {
    store: Store,
    /// (admin URL, database name) of a PostgreSQL database to drop afterwards.
    cleanup: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite:{}", dir.path().join("convene.db").display());
    let store = Store::connect(&url).await.expect("open sqlite");
    store.migrate().await.expect("migrate sqlite");
    TestDb {
        store,
        cleanup: None,
        _dir: Some(dir),
    }
}

async fn postgres(test: &str) -> Option<TestDb> {
    let admin_url = std::env::var("CONVENE_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    let admin = match Store::connect(&admin_url).await {
        Ok(admin) => admin,
        Err(e) if std::env::var("CI").as_deref() != Ok("true") => {
            println!("SKIPPED the PostgreSQL half of {test}: no server at {admin_url} ({e})");
            return None;
        }
        Err(e) => panic!("CI must run the PostgreSQL tests, but {admin_url} is unreachable: {e}"),
    };
    let name = format!("convene_test_{}_{test}", std::process::id());
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
    let store = Store::connect(&format!("{base}/{name}"))
        .await
        .expect("open postgres");
    store.migrate().await.expect("migrate postgres");
    Some(TestDb {
        store,
        cleanup: Some((admin_url, name)),
        _dir: None,
    })
}

impl TestDb {
    async fn drop_database(self) {
        self.store.close().await;
        if let Some((admin_url, name)) = self.cleanup {
            let admin = Store::connect(&admin_url).await.expect("reconnect admin");
            admin
                .execute_admin(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await
                .expect("drop the test database");
        }
    }
}

async fn both_backends(test: &str) -> Vec<TestDb> {
    let mut dbs = vec![sqlite().await];
    dbs.extend(postgres(test).await);
    dbs
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

#[tokio::test]
async fn demo_loads_once_and_reads_back_as_domain_events() {
    for db in both_backends("demo_loads_once").await {
        let backend = db.store.kind();
        let today = day(2026, 11, 27);
        let first = load_demo(&db.store, today).await.expect("load demo");
        assert_eq!(first.created, 16, "{backend:?}");
        let again = load_demo(&db.store, today).await.expect("load demo again");
        assert_eq!(
            (again.created, again.already_present),
            (0, 16),
            "{backend:?}"
        );

        let events = db.store.published_events().await.expect("events");
        assert_eq!(events.len(), 16);
        let hackathon = events
            .iter()
            .find(|e| e.slug.as_str() == "hackathon-3")
            .expect("the demo hackathon");
        let midnight = Utc.from_utc_datetime(&today.and_hms_opt(0, 0, 0).expect("midnight"));
        assert!(
            hackathon.starts_at > midnight + Duration::days(30),
            "{backend:?}"
        );
        assert_eq!(hackathon.time_zone, chrono_tz::Europe::Berlin);

        let slug = EventSlug::parse("scs-community-call").expect("slug");
        let call = db
            .store
            .published_event(&slug)
            .await
            .expect("query")
            .expect("the community call");
        let overrides = db
            .store
            .occurrence_overrides_of(call.id)
            .await
            .expect("overrides");
        let from = Utc
            .with_ymd_and_hms(2023, 10, 18, 0, 0, 0)
            .single()
            .expect("instant");
        let occurrences = call.occurrences(&overrides, from, from + Duration::days(2));
        assert_eq!(occurrences.len(), 1, "{backend:?}");
        assert_eq!(occurrences[0].original_date, day(2023, 10, 19));
        let notes = occurrences[0].notes_md.as_deref().unwrap_or_default();
        assert!(notes.contains("Team IaaS"), "{backend:?}: {notes}");
        db.drop_database().await;
    }
}

#[tokio::test]
async fn occurrence_override_replaces_the_earlier_change() {
    for db in both_backends("override_replaces").await {
        let backend = db.store.kind();
        load_demo(&db.store, day(2026, 11, 27)).await.expect("demo");
        let slug = EventSlug::parse("team-ops").expect("slug");
        let id = db
            .store
            .event_id(&slug)
            .await
            .expect("query")
            .expect("team-ops exists");
        let mut change = OccurrenceOverride {
            event_id: id,
            original_date: day(2024, 1, 4),
            cancelled: true,
            moved_to: None,
            notes_md: None,
        };
        db.store
            .upsert_occurrence_override(&change)
            .await
            .expect("cancel");
        let start = Utc
            .with_ymd_and_hms(2024, 1, 5, 9, 0, 0)
            .single()
            .expect("instant");
        change.cancelled = false;
        change.moved_to = Some((start, start + Duration::hours(1)));
        change.notes_md = Some("Moved to Friday".to_owned());
        db.store
            .upsert_occurrence_override(&change)
            .await
            .expect("move");

        let all = db.store.occurrence_overrides().await.expect("overrides");
        let own: Vec<_> = all.into_iter().filter(|o| o.event_id == id).collect();
        assert_eq!(own, vec![change], "{backend:?}");
        let event = db
            .store
            .published_event(&slug)
            .await
            .expect("query")
            .expect("event");
        let statuses: Vec<_> = event
            .occurrences(&own, start - Duration::days(2), start + Duration::days(1))
            .iter()
            .map(|o| (o.original_date, o.status))
            .collect();
        assert_eq!(
            statuses,
            [(day(2024, 1, 4), OccurrenceStatus::Moved)],
            "{backend:?}"
        );
        db.drop_database().await;
    }
}

#[tokio::test]
async fn rejects_urls_of_other_databases_with_a_clear_message() {
    let err = Store::connect("mysql://localhost/convene")
        .await
        .expect_err("mysql is not supported");
    assert!(err.to_string().contains("sqlite:"), "{err}");
}
