//! Matrix room notices against a real homeserver that the test starts (Synapse from PyPI, see
//! `common::matrix`): organizers' changes reach the community's room in its language, with the
//! page's link in plain text and HTML, once each; a homeserver that is down during a change
//! gets the notice when it is back.

mod common;

use std::time::Duration;

use common::TestServer;
use common::matrix::Homeserver;
use common::organizer::Organizer;

/// The next dates of the series at `slug`, from the API.
async fn next_dates(site: &TestServer, slug: &str) -> Vec<String> {
    let (status, body) = site.text(&format!("/api/v1/events/{slug}")).await;
    assert_eq!(status, 200, "{body}");
    let event: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    event["upcoming_occurrences"]
        .as_array()
        .expect("dates")
        .iter()
        .filter(|o| o["status"] == "scheduled")
        .filter_map(|o| o["occurrence_date"].as_str().map(str::to_owned))
        .collect()
}

fn text_of(message: &serde_json::Value) -> &str {
    message["body"].as_str().expect("a body")
}

#[tokio::test]
async fn organizers_changes_reach_the_room_once_also_after_the_homeserver_was_down() {
    let Some(mut homeserver) = Homeserver::start().await else {
        return;
    };
    let bot = homeserver.user("convene").await;
    let room = homeserver.room(&bot).await;
    let site = TestServer::demo_with(&[
        ("CONVENE_MATRIX_HOMESERVER", &homeserver.url),
        ("CONVENE_MATRIX_ACCESS_TOKEN", &bot),
        ("CONVENE_MATRIX_ROOM", &room),
        ("CONVENE_MATRIX_LANGUAGE", "de"),
        ("CONVENE_WEBHOOK_RETRY_SECONDS", "1"),
    ]);
    let organizer = Organizer::sign_in(&site, "matrix@example.org", "event_manager").await;
    let dates = next_dates(&site, "team-iaas").await;
    let occurrence = "/admin/events/team-iaas/occurrence";

    // A date of a team's series is cancelled: the room hears it in German, with the link.
    let (status, _) = organizer
        .post(occurrence, &[("date", &dates[0]), ("change", "cancel")])
        .await;
    assert_eq!(status, 303);
    let messages = homeserver.wait_for(&bot, &room, 1).await;
    let first = text_of(&messages[0]);
    assert!(first.starts_with("Abgesagt: Team IaaS am "), "{first}");
    assert!(
        first.ends_with(&format!("{}/events/team-iaas", site.base_url)),
        "{first}"
    );
    assert_eq!(messages[0]["msgtype"], "m.notice");
    assert_eq!(messages[0]["format"], "org.matrix.custom.html");
    let html = messages[0]["formatted_body"].as_str().expect("HTML");
    assert!(
        html.contains(&format!("<a href=\"{}/events/team-iaas\">", site.base_url)),
        "{html}"
    );

    // Registration closed and opened again: one notice, for the opening.
    let registration = "/admin/events/hackathon-3/registration";
    assert_eq!(
        organizer.post(registration, &[("open", "false")]).await.0,
        303
    );
    assert_eq!(
        organizer.post(registration, &[("open", "true")]).await.0,
        303
    );
    let messages = homeserver.wait_for(&bot, &room, 2).await;
    assert!(
        text_of(&messages[1]).starts_with("Die Anmeldung ist offen: "),
        "{messages:?}"
    );

    // The homeserver is down while another date is cancelled: the site answers as always,
    // and the notice arrives once the homeserver is back, once.
    homeserver.stop();
    let (status, _) = organizer
        .post(occurrence, &[("date", &dates[1]), ("change", "cancel")])
        .await;
    assert_eq!(status, 303);
    tokio::time::sleep(Duration::from_secs(3)).await;
    homeserver.resume().await;
    let messages = homeserver.wait_for(&bot, &room, 3).await;
    assert!(
        text_of(&messages[2]).starts_with("Abgesagt: Team IaaS am "),
        "{messages:?}"
    );
    assert_ne!(text_of(&messages[2]), text_of(&messages[0]), "another date");
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        homeserver.messages(&bot, &room).await.len(),
        3,
        "nothing twice"
    );

    // The log on the admin page shows them, delivered.
    let admin = Organizer::sign_in(&site, "matrix-admin@example.org", "admin").await;
    let (_, page) = admin.get("/admin/webhooks").await;
    assert!(page.contains(&room), "{page}");
    assert!(page.contains("matrix.date_cancelled"), "{page}");
}
