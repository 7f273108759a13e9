//! Several convene instances on one PostgreSQL database, as behind a load balancer: capacity
//! holds across instances and every mail is sent exactly once. Needs a PostgreSQL server
//! (see `store::test_support`); without one it says that it skipped, and in CI it must run.

mod common;

use std::collections::BTreeSet;

use chrono::{Duration, Utc};
use common::TestServer;
use common::smtp::SmtpServer;
use domain::{EventKind, EventSlug, RegistrationSettings};
use serde_json::json;
use store::NewEvent;
use store::test_support::TestDatabase;

const SEATS: u32 = 50;
const PEOPLE: usize = 500;

#[tokio::test]
async fn two_instances_share_capacity_and_send_each_mail_once() {
    let Some(db) = TestDatabase::postgres("two_instances").await else {
        return;
    };
    let event = NewEvent {
        slug: EventSlug::parse("rush").expect("slug"),
        title: "Rush".to_owned(),
        kind: EventKind::Hackathon,
        summary: String::new(),
        description_md: String::new(),
        starts_at: Utc::now() + Duration::days(30),
        ends_at: Utc::now() + Duration::days(31),
        time_zone: domain::event::parse_time_zone("Europe/Berlin").expect("zone"),
        venue: Some("Dresden".to_owned()),
        online_url: None,
        online_access: domain::event::OnlineAccess::Public,
        host: None,
        external_url: None,
        recurrence: None,
        published: true,
        registration: Some(RegistrationSettings {
            capacity: Some(SEATS),
            waitlist: true,
            opens_at: None,
            closes_at: None,
            confirmation_window: Duration::hours(48),
            offer_window: None,
            last_promotion_at: None,
        }),
        questions: Vec::new(),
        topics: None,
    };
    db.store
        .insert_event_if_absent(&event)
        .await
        .expect("insert")
        .expect("new");

    let smtp = SmtpServer::start().await;
    let smtp_url = smtp.url();
    // 500 people from one address: the registration limits are off here (tested elsewhere).
    let settings: Vec<(&str, &str)> = [("CONVENE_SMTP_URL", smtp_url.as_str())]
        .into_iter()
        .chain(common::NO_REGISTRATION_LIMITS.iter().copied())
        .collect();
    let instances = [
        TestServer::serve_database(&db.url, &settings),
        TestServer::serve_database(&db.url, &settings),
    ];

    let requests = (0..PEOPLE).map(|n| {
        let instance = &instances[n % 2];
        let body = json!({ "name": format!("Person {n}"), "email": format!("p{n}@example.org"), "consent": true });
        async move { instance.post_json("/api/v1/events/rush/registrations", &body).await }
    });
    let answers = futures::future::join_all(requests).await;
    let mut seated = 0;
    let mut positions = Vec::new();
    for (status, body) in &answers {
        assert_eq!(*status, 201, "{body}");
        match body["waitlist_position"].as_u64() {
            Some(position) => positions.push(position),
            None => seated += 1,
        }
    }
    assert_eq!(seated, SEATS as usize);
    positions.sort_unstable();
    assert_eq!(
        positions,
        (1..=(PEOPLE as u64 - u64::from(SEATS))).collect::<Vec<_>>()
    );

    // Both instances' workers drain one outbox: each mail arrives once.
    smtp.wait_for(PEOPLE, 120).await;
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let mails = smtp.received();
    let recipients: Vec<String> = mails.iter().flat_map(|m| m.recipients.clone()).collect();
    let unique: BTreeSet<&String> = recipients.iter().collect();
    assert_eq!(recipients.len(), PEOPLE, "no mail twice");
    assert_eq!(unique.len(), PEOPLE, "no mail missing");

    drop(instances);
    db.finish().await;
}
