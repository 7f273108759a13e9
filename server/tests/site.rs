//! The site over HTTP, as a visitor's browser (without JavaScript) and other tools see it.

mod common;

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Berlin;
use common::{TestServer, readable, run_convene};
use icalendar::{Calendar, CalendarDateTime, Component, DatePerhapsTime, EventLike};

fn parse_calendar(text: &str) -> Calendar {
    text.parse::<Calendar>()
        .unwrap_or_else(|e| panic!("not valid iCalendar: {e}\n{text}"))
}

/// The page a calendar entry links to (the event's, or one date's of a series).
fn url_of(event: &icalendar::Event) -> &str {
    event.property_value("URL").unwrap_or_default()
}

fn utc_start(event: &icalendar::Event) -> DateTime<Utc> {
    match event.get_start() {
        Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(start))) => start,
        other => panic!("expected a UTC DTSTART, got {other:?}"),
    }
}

#[tokio::test]
async fn home_page_lists_upcoming_demo_events_grouped_by_day() {
    let site = TestServer::demo();
    let (status, html) = site.text("/").await;
    assert_eq!(status, 200);
    assert!(html.contains("<h1>Upcoming events</h1>"), "{html}");
    assert!(html.contains("Third Community Hackathon"));
    assert!(html.contains("SCS Community Call"));
    assert!(html.contains("class=\"agenda-day-heading\""));
    // Times are shown in the event's own zone, named.
    assert!(html.contains(" CET") || html.contains(" CEST"));
    // Past external events are not upcoming.
    assert!(!html.contains("EclipseCon"));
}

#[tokio::test]
async fn kind_filter_works_as_plain_links() {
    let site = TestServer::demo();
    let (status, html) = site.text("/?kind=hackathon").await;
    assert_eq!(status, 200);
    assert!(html.contains("Third Community Hackathon"));
    assert!(
        !html.contains("data-kind=\"meeting\""),
        "meetings must be filtered out"
    );
    assert!(
        html.contains(
            "href=\"/?kind=hackathon\" id=\"kind-hackathon\" data-in-place=\"\" aria-current=\"page\""
        ),
        "{html}"
    );
    // An unknown kind shows everything rather than failing.
    let (status, html) = site.text("/?kind=party").await;
    assert_eq!(status, 200);
    assert!(html.contains("data-kind=\"meeting\""));
}

#[tokio::test]
async fn event_page_shows_details_and_calendar_link() {
    let site = TestServer::demo();
    let (status, html) = site.text("/events/hackathon-3").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("<h1>Third Community Hackathon</h1>"),
        "{html}"
    );
    assert!(html.contains("Cloud&amp;Heat Technologies, Dresden"));
    assert!(
        html.contains("<strong>SCS + ALASCA</strong>"),
        "Markdown is rendered"
    );
    assert!(html.contains("href=\"/events/hackathon-3/event.ics\""));
    assert!(html.contains("<title>Third Community Hackathon · convene</title>"));
}

#[tokio::test]
async fn series_page_describes_the_rule_and_lists_next_dates() {
    let site = TestServer::demo();
    let (status, html) = site.text("/events/scs-community-call").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Every Thursday, 15:05–16:00 (Europe/Berlin)"),
        "{html}"
    );
    assert!(html.contains("Next dates"));
    assert!(
        html.contains("href=\"/events/scs-community-call/2023-10-19\""),
        "past notes are linked"
    );
}

#[tokio::test]
async fn occurrence_page_carries_its_own_notes() {
    let site = TestServer::demo();
    let (status, html) = site.text("/events/scs-community-call/2023-10-19").await;
    assert_eq!(status, 200);
    assert!(html.contains("Thursday, 19 October 2023"));
    assert!(
        html.contains("Thu, 19 Oct 2023, 15:05–16:00 CEST"),
        "{html}"
    );
    assert!(
        html.contains(">Team IaaS</h3>"),
        "the agenda's sections: {html}"
    );
    assert!(!html.contains("<img"), "no third-party images");
    // Over: it says so, the join link is gone, and the dates around it are a click away.
    assert!(html.contains("This date is over."), "{html}");
    assert!(
        !html.contains("https://meet.example.org/"),
        "no join link: {html}"
    );
    assert!(
        html.contains("rel=\"prev\" href=\"/events/scs-community-call/2023-10-12\""),
        "{html}"
    );
    assert!(
        html.contains("rel=\"next\" href=\"/events/scs-community-call/2023-10-26\""),
        "{html}"
    );

    // A date ahead keeps its join link and says nothing of being over.
    let series: serde_json::Value = site
        .get("/api/v1/events/scs-community-call")
        .await
        .json()
        .await
        .expect("json");
    let next = series["upcoming_occurrences"][0]["occurrence_date"]
        .as_str()
        .expect("next date")
        .to_owned();
    let (status, html) = site
        .text(&format!("/events/scs-community-call/{next}"))
        .await;
    assert_eq!(status, 200);
    assert!(!html.contains("This date is over."));
    assert!(
        html.contains("https://meet.example.org/scs-community-call"),
        "{html}"
    );
}

#[tokio::test]
async fn cancelled_occurrence_says_so() {
    let site = TestServer::demo();
    let (status, html) = site.text("/events/team-iaas/2023-10-25").await;
    assert_eq!(status, 200);
    assert!(html.contains("This date is cancelled."), "{html}");
}

#[tokio::test]
async fn archive_lists_past_events_newest_first() {
    let site = TestServer::demo();
    let (status, html) = site.text("/events/past").await;
    assert_eq!(status, 200);
    let summit = html
        .find("OpenInfra Day Germany and SCS Summit")
        .expect("summit listed");
    let eclipsecon = html.find("EclipseCon 2023").expect("EclipseCon listed");
    assert!(summit < eclipsecon, "newest first");
    assert!(html.contains("href=\"/events/scs-community-call/2023-10-19\""));
    assert!(
        !html.contains("Third Community Hackathon"),
        "upcoming is not past"
    );
}

#[tokio::test]
async fn unknown_pages_answer_404_with_a_page() {
    let site = TestServer::demo();
    for path in [
        "/events/no-such-event",
        "/events/Not_A_Slug",
        "/events/scs-community-call/2023-10-20",
        "/events/scs-community-call/not-a-date",
        "/events/hackathon-3/2023-10-19",
        "/no/such/page",
    ] {
        let (status, html) = site.text(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains("Page not found"), "{path}: {html}");
    }
}

#[tokio::test]
async fn health_checks_the_database() {
    let site = TestServer::demo();
    let response = site.get("/healthz").await;
    assert_eq!(response.status().as_u16(), 200);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn json_api_lists_upcoming_events_and_answers_404_in_json() {
    let site = TestServer::demo();
    let response = site.get("/api/v1/events").await;
    assert_eq!(response.status().as_u16(), 200);
    let body: serde_json::Value = response.json().await.expect("json");
    let events = body["events"].as_array().expect("events array");
    let hackathon = events
        .iter()
        .find(|e| e["slug"] == "hackathon-3")
        .expect("hackathon listed");
    assert_eq!(hackathon["kind"], "hackathon");
    assert_eq!(hackathon["time_zone"], "Europe/Berlin");
    let starts: DateTime<Utc> = hackathon["starts_at"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("RFC 3339 start");
    assert!(starts > Utc::now());
    assert!(
        events
            .iter()
            .any(|e| e["slug"] == "scs-community-call" && e["occurrence_date"].is_string())
    );
    let mut previous = None;
    for event in events {
        let start: DateTime<Utc> = event["starts_at"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .expect("start");
        assert!(previous.is_none_or(|p| p <= start), "sorted by start");
        previous = Some(start);
    }

    let response = site.get("/api/v1/events/scs-community-call").await;
    assert_eq!(response.status().as_u16(), 200);
    let series: serde_json::Value = response.json().await.expect("json");
    assert_eq!(series["recurrence"], "FREQ=WEEKLY;BYDAY=TH");
    assert!(
        !series["upcoming_occurrences"]
            .as_array()
            .expect("occurrences")
            .is_empty()
    );

    for path in ["/api/v1/events/no-such-event", "/api/v1/nothing-here"] {
        let response = site.get(path).await;
        assert_eq!(response.status().as_u16(), 404, "{path}");
        let body: serde_json::Value = response.json().await.expect("a JSON 404");
        assert_eq!(body["error"], "not_found", "{path}");
    }
}

#[tokio::test]
async fn calendar_feed_is_valid_icalendar_with_stable_uids_and_local_times() {
    let site = TestServer::demo();
    let response = site.get("/calendar.ics").await;
    assert_eq!(response.status().as_u16(), 200);
    let content_type = response.headers()["content-type"]
        .to_str()
        .expect("header")
        .to_owned();
    assert!(content_type.starts_with("text/calendar"), "{content_type}");
    let text = response.text().await.expect("body");
    assert!(
        text.lines().all(|line| line.len() <= 76),
        "lines are folded at 75 octets"
    );
    let calendar = parse_calendar(&text);
    let events: Vec<_> = calendar.iter().filter_map(|c| c.as_event()).collect();
    assert!(
        events.len() > 100,
        "series occurrences are expanded: {}",
        events.len()
    );

    let uids: std::collections::BTreeSet<_> = events.iter().filter_map(|e| e.get_uid()).collect();
    assert_eq!(uids.len(), events.len(), "every UID is unique");
    // UIDs come from the event's id and creation, not its address or the site's URL.
    let hackathon = events
        .iter()
        .find(|e| url_of(e).ends_with("/events/hackathon-3"))
        .expect("the hackathon");
    let uid = hackathon.get_uid().expect("uid");
    assert!(
        uid.starts_with("event-") && uid.ends_with("Z@convene") && !uid.contains("hackathon"),
        "{uid}"
    );
    for property in ["SEQUENCE", "LAST-MODIFIED", "DTSTAMP"] {
        assert!(hackathon.property_value(property).is_some(), "{property}");
    }
    for property in ["REFRESH-INTERVAL", "X-PUBLISHED-TTL"] {
        assert_eq!(
            calendar.property_value(property),
            Some("PT1H"),
            "{property}"
        );
    }

    // The weekly call starts at 15:05 in Berlin in winter and in summer alike.
    let calls: Vec<_> = events
        .iter()
        .filter(|e| url_of(e).contains("/events/scs-community-call/"))
        .collect();
    assert!(calls.len() > 50);
    let mut offsets = std::collections::BTreeSet::new();
    for call in calls {
        let local = utc_start(call).with_timezone(&Berlin);
        assert_eq!(
            local.format("%H:%M").to_string(),
            "15:05",
            "{:?}",
            call.get_uid()
        );
        offsets.insert(local.format("%Z").to_string());
    }
    assert_eq!(
        offsets.len(),
        2,
        "the feed spans both CET and CEST: {offsets:?}"
    );

    // The same feed fetched again names the same events.
    let again = parse_calendar(&site.text("/calendar.ics").await.1);
    let uids_again: std::collections::BTreeSet<_> = again
        .iter()
        .filter_map(|c| c.as_event())
        .filter_map(|e| e.get_uid().map(str::to_owned))
        .collect();
    assert_eq!(
        uids.iter()
            .map(|u| (*u).to_owned())
            .collect::<std::collections::BTreeSet<_>>(),
        uids_again
    );
}

#[tokio::test]
async fn a_feed_of_one_kind_holds_only_that_kind_and_an_unknown_kind_is_a_400() {
    let site = TestServer::demo();
    let (status, text) = site.text("/calendar.ics?kind=hackathon").await;
    assert_eq!(status, 200);
    let calendar = parse_calendar(&text);
    assert_eq!(
        calendar.property_value("X-WR-CALNAME"),
        Some("Community events: Hackathon")
    );
    let urls: Vec<&str> = calendar
        .iter()
        .filter_map(|c| c.as_event())
        .map(url_of)
        .collect();
    assert!(
        urls.iter().any(|u| u.ends_with("/events/hackathon-3")),
        "{urls:?}"
    );
    assert!(
        !urls
            .iter()
            .any(|u| u.contains("/events/scs-community-call")),
        "no calls in the hackathons' feed: {urls:?}"
    );
    let (status, text) = site.text("/calendar.ics?kind=community_call").await;
    assert_eq!(status, 200);
    assert!(text.contains("/events/scs-community-call/"));
    assert!(!text.contains("/events/hackathon-3\r\n"));
    for bad in ["nope", "hackathon%00", "%3Cscript%3E"] {
        let response = site.get(&format!("/calendar.ics?kind={bad}")).await;
        assert_eq!(response.status().as_u16(), 400, "{bad}");
        let body: serde_json::Value = response.json().await.expect("a JSON error");
        assert_eq!(body["error"], "bad_request", "{bad}");
        assert!(
            !body["message"].as_str().unwrap_or_default().contains('<'),
            "the kind typed is not echoed: {body}"
        );
    }
    // The home page offers the feeds to subscribe to, the one of the kind shown.
    let (_, home) = site.text("/?kind=hackathon").await;
    assert!(home.contains("webcal://"), "{home}");
    assert!(home.contains("/calendar.ics?kind=hackathon"), "{home}");
}

#[tokio::test]
async fn event_calendar_file_holds_the_one_event() {
    let site = TestServer::demo();
    let api: serde_json::Value = site
        .get("/api/v1/events/hackathon-3")
        .await
        .json()
        .await
        .expect("json");
    let response = site.get("/events/hackathon-3/event.ics").await;
    assert_eq!(response.status().as_u16(), 200);
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .expect("header")
        .to_owned();
    assert!(disposition.contains("hackathon-3.ics"), "{disposition}");
    let calendar = parse_calendar(&response.text().await.expect("body"));
    let events: Vec<_> = calendar.iter().filter_map(|c| c.as_event()).collect();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].get_summary(), Some("Third Community Hackathon"));
    assert_eq!(
        events[0].get_location(),
        Some("Cloud&Heat Technologies, Dresden")
    );
    let api_start: DateTime<Utc> = api["starts_at"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("start");
    assert_eq!(utc_start(events[0]), api_start);

    let missing = site.get("/events/no-such-event/event.ics").await;
    assert_eq!(missing.status().as_u16(), 404);
}

#[tokio::test]
async fn empty_site_starts_without_demo_data() {
    let site = TestServer::empty();
    let (status, html) = site.text("/").await;
    assert_eq!(status, 200);
    assert!(html.contains("Nothing is planned here yet."), "{html}");
    let calendar = parse_calendar(&site.text("/calendar.ics").await.1);
    assert_eq!(calendar.iter().filter_map(|c| c.as_event()).count(), 0);
}

#[test]
fn bad_database_url_is_one_clear_line_and_a_failure() {
    let dir = tempfile::tempdir().expect("temp dir");
    let unwritable = format!("sqlite:{}/missing-folder/convene.db", dir.path().display());
    for url in [
        "mysql://localhost/convene",
        "sqlite:/proc/convene.db",
        unwritable.as_str(),
    ] {
        let output = run_convene(&["migrate"], &[("DATABASE_URL", url)]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{url}: {stderr}");
        let lines: Vec<_> = stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{url}: {stderr}");
        assert!(
            lines[0].starts_with("error: DATABASE_URL="),
            "{url}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{url}: {stderr}");
    }
}

#[test]
fn bad_site_address_names_the_variable() {
    let output = run_convene(
        &["serve"],
        &[
            ("LEPTOS_SITE_ADDR", "localhost"),
            ("DATABASE_URL", "sqlite::memory:"),
        ],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.trim().starts_with("error: LEPTOS_SITE_ADDR="),
        "{stderr}"
    );
}

#[test]
fn migrate_creates_the_database_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("new.db");
    let url = format!("sqlite:{}", file.display());
    let output = run_convene(&["migrate"], &[("DATABASE_URL", &url)]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(file.exists());
}

#[tokio::test]
async fn ready_when_migrated_and_metrics_count_requests_and_registrations() {
    let token = "a-metrics-token-of-32-characters";
    let site = TestServer::demo_with(&[("CONVENE_METRICS_TOKEN", token)]);
    let response = site.get("/readyz").await;
    assert_eq!(response.status().as_u16(), 200);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["status"], "ready");

    for _ in 0..3 {
        assert_eq!(site.text("/events/hackathon-3").await.0, 200);
    }
    let registration =
        serde_json::json!({ "name": "Ada", "email": "ada@example.org", "consent": true });
    let (status, _) = site
        .post_json("/api/v1/events/hackathon-3/registrations", &registration)
        .await;
    assert_eq!(status, 201);
    let (status, _) = site
        .post_json(
            "/api/v1/events/hackathon-3/registrations",
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(status, 422);

    let response = TestServer::client()
        .get(site.url("/metrics"))
        .bearer_auth(token)
        .send()
        .await
        .expect("metrics");
    assert_eq!(response.status().as_u16(), 200);
    let content_type = response.headers()["content-type"]
        .to_str()
        .expect("header")
        .to_owned();
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    let text = response.text().await.expect("body");
    let value = |series: &str| -> f64 {
        text.lines()
            .find_map(|line| {
                line.strip_prefix(series)
                    .and_then(|rest| rest.trim().parse().ok())
            })
            .unwrap_or_else(|| panic!("no {series} in\n{text}"))
    };
    assert!(value("convene_http_requests_total{method=\"GET\",status=\"200\"}") >= 4.0);
    assert_eq!(
        value("convene_registrations_total{outcome=\"pending_email\"}"),
        1.0
    );
    assert_eq!(
        value("convene_registrations_total{outcome=\"invalid\"}"),
        1.0
    );
    assert!(value("convene_http_request_duration_seconds_count") >= 6.0);
    let queued = value("convene_outbox_mails{status=\"pending\"}")
        + value("convene_outbox_mails{status=\"sending\"}")
        + value("convene_outbox_mails{status=\"sent\"}");
    assert_eq!(queued, 1.0, "the one registration's mail is in the outbox");
}

#[tokio::test]
async fn calendar_feed_speaks_the_language_asked_for() {
    let site = TestServer::demo();
    let german = TestServer::client()
        .get(site.url("/calendar.ics"))
        .header("accept-language", "de-DE,de;q=0.9,en;q=0.5")
        .send()
        .await
        .expect("feed")
        .text()
        .await
        .expect("body");
    let calendar = parse_calendar(&german);
    assert_eq!(
        calendar.property_value("X-WR-CALNAME"),
        Some("Community-Termine")
    );
    let call = calendar
        .iter()
        .filter_map(|c| c.as_event())
        .find(|e| url_of(e).contains("/events/scs-community-call/"))
        .expect("a community call");
    let description = call.get_description().unwrap_or_default();
    assert!(
        description.contains("Online teilnehmen: https://"),
        "{description}"
    );
    let english = parse_calendar(&site.text("/calendar.ics").await.1);
    assert_eq!(
        english.property_value("X-WR-CALNAME"),
        Some("Community events")
    );
}

#[tokio::test]
async fn feeds_and_the_api_answer_304_to_who_has_them_until_an_event_changes() {
    let site = TestServer::demo();
    let client = TestServer::client();
    let etag = |response: &reqwest::Response| {
        response.headers()["etag"]
            .to_str()
            .expect("header")
            .to_owned()
    };
    let mut tags = Vec::new();
    for path in [
        "/calendar.ics",
        "/events/scs-community-call/event.ics",
        "/api/v1/events",
        "/api/v1/events/hackathon-3",
    ] {
        let first = site.get(path).await;
        assert_eq!(first.status().as_u16(), 200, "{path}");
        let tag = etag(&first);
        assert!(tag.starts_with("W/\""), "{path}: {tag}");
        let body = first.text().await.expect("body");
        // A second later (the feeds carry the time they were made): the same answer.
        tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
        let later = site.get(path).await;
        assert_eq!(etag(&later), tag, "{path}");
        assert_eq!(later.text().await.expect("body"), body, "{path}");
        let has_it = client
            .get(site.url(path))
            .header("if-none-match", &tag)
            .send()
            .await
            .expect("request");
        assert_eq!(has_it.status().as_u16(), 304, "{path}");
        assert_eq!(etag(&has_it), tag, "{path}");
        assert_eq!(has_it.text().await.expect("body"), "", "{path}");
        tags.push((path, tag, body));
    }

    // A change made elsewhere (another instance, here a connection of the test's own) reaches
    // the feeds: the call's next date is cancelled.
    let series: serde_json::Value = site
        .get("/api/v1/events/scs-community-call")
        .await
        .json()
        .await
        .expect("json");
    let date: chrono::NaiveDate = series["upcoming_occurrences"][0]["occurrence_date"]
        .as_str()
        .and_then(|d| d.parse().ok())
        .expect("next date");
    let store = store::Store::connect(&site.database_url())
        .await
        .expect("database");
    let slug = domain::EventSlug::parse("scs-community-call").expect("slug");
    let id = store.event_id(&slug).await.expect("query").expect("event");
    let mut write = store.write_event(id).await.expect("lock");
    write
        .upsert_occurrence_override(&domain::OccurrenceOverride {
            event_id: id,
            original_date: date,
            cancelled: true,
            moved_to: None,
            notes_md: None,
        })
        .await
        .expect("cancel the date");
    write.commit().await.expect("commit");
    for (path, tag, before) in &tags[..3] {
        let changed = client
            .get(site.url(path))
            .header("if-none-match", tag)
            .send()
            .await
            .expect("request");
        assert_eq!(changed.status().as_u16(), 200, "{path}");
        assert_ne!(&etag(&changed), tag, "{path}");
        if path.ends_with(".ics") {
            // The same entry (its UID), cancelled, with a higher SEQUENCE: a calendar replaces
            // its copy.
            let date_page = domain::paths::occurrence_href("scs-community-call", date);
            let entry_of = |text: &str| {
                let calendar = parse_calendar(text);
                let entry = calendar
                    .iter()
                    .filter_map(|c| c.as_event())
                    .find(|e| url_of(e).ends_with(&date_page))
                    .expect("the date is listed");
                let sequence: u32 = entry
                    .property_value("SEQUENCE")
                    .and_then(|s| s.parse().ok())
                    .expect("a SEQUENCE");
                (
                    entry.get_uid().expect("uid").to_owned(),
                    sequence,
                    entry.property_value("STATUS").map(str::to_owned),
                )
            };
            let (uid, sequence, status) = entry_of(before);
            assert_eq!(status.as_deref(), Some("CONFIRMED"), "{path}");
            let (uid_after, sequence_after, status) =
                entry_of(&changed.text().await.expect("body"));
            assert_eq!(status.as_deref(), Some("CANCELLED"), "{path}");
            assert_eq!(uid_after, uid, "{path}: the same entry");
            assert!(
                sequence_after > sequence,
                "{path}: {sequence} -> {sequence_after}"
            );
        }
    }
}

#[tokio::test]
async fn a_precompressed_bundle_goes_to_who_accepts_it() {
    // What `cargo leptos build --release --precompress` (the Containerfile) leaves in pkg/.
    let root = tempfile::tempdir().expect("site root");
    let pkg = root.path().join("pkg");
    std::fs::create_dir_all(&pkg).expect("pkg");
    for (file, bytes) in [
        ("convene.js", "plain"),
        ("convene.js.br", "brotli"),
        ("convene.js.gz", "gzip"),
    ] {
        std::fs::write(pkg.join(file), bytes).expect("write");
    }
    let site = TestServer::demo_with(&[(
        "LEPTOS_SITE_ROOT",
        root.path().to_str().expect("a UTF-8 path"),
    )]);
    // Pages name the bundle by a version of the files' content.
    let (_, html) = site.text("/").await;
    let versioned = common::asset_url(&html, "/pkg/convene.js");
    for (accepted, encoding, body) in [
        ("br, gzip", Some("br"), "brotli"),
        ("gzip", Some("gzip"), "gzip"),
        ("identity", None, "plain"),
    ] {
        let response = TestServer::client()
            .get(site.url(&versioned))
            .header("accept-encoding", accepted)
            .send()
            .await
            .expect("GET");
        assert_eq!(response.status(), 200, "{accepted}");
        let used = response
            .headers()
            .get("content-encoding")
            .map(|v| v.to_str().expect("header").to_owned());
        assert_eq!(used.as_deref(), encoding, "{accepted}");
        assert_eq!(
            response.headers()["cache-control"],
            "public, max-age=31536000, immutable",
            "a versioned file never changes"
        );
        assert_eq!(response.text().await.expect("body"), body, "{accepted}");
    }
    // Another build's version is not served (its files are not these).
    let (status, _) = site.text("/assets/0123456789abcdef/pkg/convene.js").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn events_taking_registrations_come_first_with_their_seats() {
    let site = TestServer::demo_without_registration_limits(&[]);
    let (_, html) = site.text("/").await;
    let block = html
        .find("id=\"register-now\"")
        .expect("the registration block");
    let agenda = html.find("class=\"agenda\"").expect("the agenda");
    assert!(block < agenda, "registration open comes before the agenda");
    let seats_before = seats_left(&html);
    let block_text = readable(&html[block..agenda]);
    assert!(
        block_text.contains(
            "href=\"/events/hackathon-3/register\">Register for Third Community Hackathon"
        ),
        "{block_text}"
    );
    // The card in the agenda says it too, and both follow a registration.
    let person = serde_json::json!({
        "name": "Seat Taker", "email": "seat.taker@example.org", "consent": true
    });
    let (status, _) = site
        .post_json("/api/v1/events/hackathon-3/registrations", &person)
        .await;
    assert_eq!(status, 201);
    let (_, html) = site.text("/").await;
    let after = seats_left(&html);
    assert_eq!(after.len(), 2, "in the block and on the card: {after:?}");
    assert_eq!(
        after[0].0,
        seats_before[0].0 - 1,
        "{seats_before:?} -> {after:?}"
    );
}

/// Every "N of M seats left." on a page, as (N, M).
fn seats_left(html: &str) -> Vec<(u32, u32)> {
    html.split(" seats left.")
        .filter_map(|before| {
            // The words before, each ended by a space or a tag.
            let mut words = before
                .rsplit(|c: char| c == '>' || c.is_whitespace())
                .filter(|word| !word.is_empty());
            let capacity = words.next()?.parse().ok()?;
            (words.next()? == "of").then_some(())?;
            let free = words.next()?.parse().ok()?;
            Some((free, capacity))
        })
        .collect()
}

/// The text of the page's first `<script type="application/ld+json">`.
fn json_ld(html: &str) -> serde_json::Value {
    let start = html
        .find("<script type=\"application/ld+json\"")
        .expect("a JSON-LD block");
    let body = &html[start..];
    let open = body.find('>').expect("the tag's end") + 1;
    let close = body.find("</script>").expect("the element's end");
    serde_json::from_str(&body[open..close]).expect("JSON-LD parses")
}

#[tokio::test]
async fn event_pages_tell_link_previews_and_search_engines_what_the_event_is() {
    let site = TestServer::demo();
    let (status, html) = site.text("/events/hackathon-3").await;
    assert_eq!(status, 200);
    let page = format!("{}/events/hackathon-3", site.base_url.trim_end_matches('/'));
    assert!(html.contains("<meta property=\"og:title\" content=\"Third Community Hackathon\""));
    assert!(html.contains(&format!("<meta property=\"og:url\" content=\"{page}\"")));
    assert!(html.contains("<meta name=\"description\" content=\"Two days of hacking on SCS"));
    let event = json_ld(&html);
    assert_eq!(event["@context"], "https://schema.org");
    assert_eq!(event["@type"], "Event");
    assert_eq!(event["name"], "Third Community Hackathon");
    assert_eq!(event["url"], page.as_str());
    // Dates with the offset of the event's zone (Berlin, in winter).
    let start = event["startDate"].as_str().expect("startDate");
    let parsed = chrono::DateTime::parse_from_rfc3339(start).expect("an RFC 3339 date");
    assert_eq!(parsed.offset().local_minus_utc(), 3600, "{start}");
    assert!(start.ends_with("T10:00:00+01:00"), "{start}");
    assert_eq!(event["eventStatus"], "https://schema.org/EventScheduled");
    assert_eq!(event["location"][0]["@type"], "Place");
    assert_eq!(
        event["location"][0]["name"],
        "Cloud&Heat Technologies, Dresden"
    );
    assert_eq!(event["organizer"]["name"], "SIG Community");
    assert_eq!(
        event["offers"]["availability"],
        "https://schema.org/InStock"
    );
    assert_eq!(event["offers"]["url"], format!("{page}/register").as_str());

    // The community call: online for everyone, and the next date is the one described.
    let (_, html) = site.text("/events/scs-community-call").await;
    let call = json_ld(&html);
    assert_eq!(call["location"][0]["@type"], "VirtualLocation");
    assert_eq!(
        call["location"][0]["url"],
        "https://meet.example.org/scs-community-call"
    );
    assert_eq!(
        call["eventAttendanceMode"],
        "https://schema.org/OnlineEventAttendanceMode"
    );
    assert!(call.get("offers").is_none(), "no registration");

    // One date of a series: that date, and whether it takes place.
    let (_, html) = site.text("/events/team-iaas/2023-10-25").await;
    let date = json_ld(&html);
    assert_eq!(date["eventStatus"], "https://schema.org/EventCancelled");
    assert_eq!(date["startDate"], "2023-10-25T10:05:00+02:00");
    let url = format!(
        "{}/events/team-iaas/2023-10-25",
        site.base_url.trim_end_matches('/')
    );
    assert_eq!(date["url"], url.as_str());
    assert!(html.contains(&format!("<meta property=\"og:url\" content=\"{url}\"")));
}

#[tokio::test]
async fn the_atom_feed_holds_the_events_newest_change_first_and_parses() {
    let site = TestServer::demo();
    let response = site.get("/feed.atom").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/atom+xml; charset=utf-8"
    );
    let body = response.text().await.expect("feed");
    assert!(body.contains("<title>Third Community Hackathon</title>"));
    let (_, home) = site.text("/").await;
    assert!(
        home.contains("<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/feed.atom\"")
    );

    // An independent Atom parser (PyPI feedparser) reads it without complaint.
    let script = r#"
import json, sys, feedparser
feed = feedparser.parse(sys.stdin.buffer.read())
print(json.dumps({
    "bozo": bool(feed.bozo),
    "problem": str(feed.get("bozo_exception", "")),
    "version": feed.version,
    "title": feed.feed.get("title"),
    "entries": [
        {"id": e.id, "title": e.title, "link": e.link, "updated": e.updated, "summary": e.summary}
        for e in feed.entries
    ],
}))
"#;
    let Some(read) = common::run_python(script, body.as_bytes()) else {
        return;
    };
    let read: serde_json::Value = serde_json::from_str(&read).expect("feedparser's JSON");
    assert_eq!(read["bozo"], false, "{}", read["problem"]);
    assert_eq!(read["version"], "atom10");
    assert_eq!(read["title"], "Community events");
    let entries = read["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 17, "every published event of the demo");
    let hackathon = entries
        .iter()
        .find(|e| e["title"] == "Third Community Hackathon")
        .expect("the hackathon");
    assert_eq!(
        hackathon["link"],
        format!("{}/events/hackathon-3", site.base_url.trim_end_matches('/')).as_str()
    );
    assert!(
        hackathon["summary"]
            .as_str()
            .unwrap_or("")
            .contains("Dresden")
    );
    let ids: std::collections::BTreeSet<&str> =
        entries.iter().filter_map(|e| e["id"].as_str()).collect();
    assert_eq!(ids.len(), entries.len(), "every entry has its own id");
    let updated: Vec<&str> = entries
        .iter()
        .filter_map(|e| e["updated"].as_str())
        .collect();
    let mut newest_first = updated.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    assert_eq!(updated, newest_first);
}
