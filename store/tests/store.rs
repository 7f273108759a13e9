//! The store against real databases: a fresh SQLite file always, and a fresh PostgreSQL database
//! when a server is reachable (see `store::test_support`).

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use domain::{EventSlug, OccurrenceOverride, OccurrenceStatus};
use store::test_support::TestDatabase;
use store::{Store, load_demo};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

#[tokio::test]
async fn demo_loads_once_and_reads_back_as_domain_events() {
    for db in TestDatabase::both("demo_loads_once").await {
        let backend = db.store.kind();
        let today = day(2026, 11, 27);
        let first = load_demo(&db.store, today).await.expect("load demo");
        assert_eq!(first.created, 17, "{backend:?}");
        let again = load_demo(&db.store, today).await.expect("load demo again");
        assert_eq!(
            (again.created, again.already_present),
            (0, 17),
            "{backend:?}"
        );

        let events = db.store.published_events().await.expect("events");
        assert_eq!(events.len(), 17);
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
        // Its notes are its agenda (`service::demo`), not text of its own.
        assert_eq!(occurrences[0].notes_md, None, "{backend:?}");
        db.finish().await;
    }
}

#[tokio::test]
async fn occurrence_override_replaces_the_earlier_change() {
    for db in TestDatabase::both("override_replaces").await {
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
        db.finish().await;
    }
}

#[tokio::test]
async fn rejects_urls_of_other_databases_with_a_clear_message() {
    let err = Store::connect("mysql://localhost/convene")
        .await
        .expect_err("mysql is not supported");
    assert!(err.to_string().contains("sqlite:"), "{err}");
}

#[tokio::test]
async fn two_workers_never_claim_the_same_mail() {
    for db in TestDatabase::both("two_workers_claim").await {
        let backend = db.store.kind();
        load_demo(&db.store, day(2026, 11, 27)).await.expect("demo");
        let slug = EventSlug::parse("hackathon-3").expect("slug");
        let id = db
            .store
            .event_id(&slug)
            .await
            .expect("query")
            .expect("event");
        let now = Utc::now();
        let mut write = db.store.write_event(id).await.expect("lock");
        for n in 0..50 {
            let mail = store::OutgoingMail {
                kind: "test".to_owned(),
                registration_id: None,
                recipient: format!("p{n}@example.org"),
                subject: format!("mail {n}"),
                body_text: "text".to_owned(),
                body_html: "<p>html</p>".to_owned(),
                ics: None,
                ticket: None,
            };
            write.enqueue_mail(&mail, now).await.expect("enqueue");
        }
        write.commit().await.expect("commit");

        let lease = now + Duration::minutes(2);
        let claim = |store: Store| async move {
            let mut mine = Vec::new();
            loop {
                let batch = store
                    .claim_due_mails(Utc::now(), lease, 7)
                    .await
                    .expect("claim");
                if batch.is_empty() {
                    return mine;
                }
                mine.extend(batch.into_iter().map(|m| m.id));
            }
        };
        let (a, b) = tokio::join!(claim(db.store.clone()), claim(db.store.clone()));
        let mut all: Vec<i64> = a.iter().chain(b.iter()).copied().collect();
        all.sort_unstable();
        let unique: std::collections::BTreeSet<i64> = all.iter().copied().collect();
        assert_eq!(all.len(), 50, "{backend:?}: every mail claimed");
        assert_eq!(unique.len(), 50, "{backend:?}: no mail claimed twice");

        // A sent mail is never claimed again; a lapsed claim is.
        db.store
            .mark_mail_sent(all[0], Utc::now())
            .await
            .expect("sent");
        let later = lease + Duration::seconds(1);
        let reclaimed = db
            .store
            .claim_due_mails(later, later + Duration::minutes(2), 100)
            .await
            .expect("claim");
        assert_eq!(reclaimed.len(), 49, "{backend:?}");
        assert!(reclaimed.iter().all(|m| m.id != all[0] && m.attempts == 2));
        db.finish().await;
    }
}

/// A rush on one event: its writers wait their turn without holding database connections, so
/// everyone else (pages, other events) still gets one at once.
#[tokio::test]
async fn writers_of_one_event_queue_without_holding_connections() {
    for db in TestDatabase::both("writers_queue_without_connections").await {
        let backend = db.store.kind();
        load_demo(&db.store, day(2026, 11, 27)).await.expect("demo");
        let event = db
            .store
            .event_id(&EventSlug::parse("hackathon-3").expect("slug"))
            .await
            .expect("query")
            .expect("event");
        let holder = db.store.write_event(event).await.expect("first writer");
        // More writers than the pool has connections (8 on SQLite, 16 on PostgreSQL).
        let waiting: Vec<_> = (0..40)
            .map(|_| {
                let store = db.store.clone();
                tokio::spawn(async move {
                    let write = store.write_event(event).await.expect("a turn");
                    write.commit().await.expect("commit");
                })
            })
            .collect();
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let read = tokio::time::timeout(std::time::Duration::from_secs(3), db.store.ping()).await;
        assert!(
            matches!(read, Ok(Ok(()))),
            "{backend:?}: a read gets a connection while 40 writers wait"
        );
        holder.commit().await.expect("commit");
        for writer in waiting {
            writer.await.expect("every writer had its turn");
        }
        db.finish().await;
    }
}
