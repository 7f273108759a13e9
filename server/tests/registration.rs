//! Registration over HTTP against the real binary: capacity under concurrent load, the
//! waitlist, bad input, and the mails as a real SMTP server receives them.

mod common;

use std::collections::BTreeSet;

use common::smtp::SmtpServer;
use common::{TestServer, retry_after};
use serde_json::{Value, json};

const REGISTER: &str = "/api/v1/events/hackathon-3/registrations";
const CAPACITY: usize = 40;

fn person(n: usize) -> Value {
    json!({ "name": format!("Person {n}"), "email": format!("person{n}@example.org"), "consent": true })
}

async fn seat_counts(site: &TestServer) -> store::SeatCounts {
    let store = store::Store::connect(&site.database_url())
        .await
        .expect("open the test database");
    let slug = domain::EventSlug::parse("hackathon-3").expect("slug");
    let id = store.event_id(&slug).await.expect("query").expect("event");
    let counts = store.seat_counts(id).await.expect("counts");
    store.close().await;
    counts
}

async fn registrations(site: &TestServer) -> Vec<store::Registration> {
    let store = store::Store::connect(&site.database_url())
        .await
        .expect("open the test database");
    let slug = domain::EventSlug::parse("hackathon-3").expect("slug");
    let id = store.event_id(&slug).await.expect("query").expect("event");
    let all = store.registrations_of(id).await.expect("registrations");
    store.close().await;
    all
}

#[tokio::test]
async fn seats_up_to_capacity_then_waitlists_without_revealing_secrets() {
    let site = TestServer::demo_without_registration_limits(&[]);
    for n in 0..CAPACITY {
        let (status, body) = site.post_json(REGISTER, &person(n)).await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(
            body,
            json!({ "status": "pending_email", "waitlist_position": null })
        );
    }
    for (n, position) in [(100, 1), (101, 2)] {
        let (status, body) = site.post_json(REGISTER, &person(n)).await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(
            body,
            json!({ "status": "waitlisted", "waitlist_position": position })
        );
    }
    let counts = seat_counts(&site).await;
    assert_eq!((counts.seats_taken, counts.waitlisted), (40, 2));
    let (_, html) = site.text("/events/hackathon-3").await;
    assert!(
        html.contains("The room is full. Join the waitlist: 2 waiting"),
        "{html}"
    );
}

#[tokio::test]
async fn a_rush_of_300_concurrent_registrations_never_overbooks() {
    let site = TestServer::demo_without_registration_limits(&[]);
    let requests = (0..300).map(|n| {
        let site = &site;
        async move { site.post_json(REGISTER, &person(n)).await }
    });
    let answers = futures::future::join_all(requests).await;

    let mut seated = 0;
    let mut positions = Vec::new();
    for (status, body) in &answers {
        assert_eq!(*status, 201, "every registration is acknowledged: {body}");
        match body["status"].as_str() {
            Some("pending_email") => seated += 1,
            Some("waitlisted") => {
                positions.push(body["waitlist_position"].as_u64().expect("position"))
            }
            other => panic!("unexpected status {other:?}"),
        }
    }
    assert_eq!(seated, CAPACITY);
    positions.sort_unstable();
    assert_eq!(
        positions,
        (1..=260).collect::<Vec<u64>>(),
        "gap-free, each used once"
    );

    let stored = registrations(&site).await;
    assert_eq!(stored.len(), 300, "no duplicates, nothing lost");
    let emails: BTreeSet<_> = stored.iter().map(|r| r.email.clone()).collect();
    assert_eq!(emails.len(), 300);
    // Arrival order: the waitlist follows the order in which registrations were stored.
    let waiting: Vec<_> = stored
        .iter()
        .filter(|r| r.status == domain::RegistrationStatus::Waitlisted)
        .collect();
    assert_eq!(waiting.len(), 260);
    assert!(
        waiting
            .windows(2)
            .all(|w| w[0].waitlist_seq < w[1].waitlist_seq),
        "waitlist order follows arrival order"
    );
    let counts = seat_counts(&site).await;
    assert_eq!((counts.seats_taken, counts.waitlisted), (40, 260));
}

#[tokio::test]
async fn registering_again_creates_nothing_and_resends_the_link() {
    let site = TestServer::demo();
    let (status, _) = site.post_json(REGISTER, &person(1)).await;
    assert_eq!(status, 201);
    let again = json!({ "name": "Someone", "email": "PERSON1@Example.ORG", "consent": true });
    let (status, body) = site.post_json(REGISTER, &again).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"], "already_registered");
    assert_eq!(registrations(&site).await.len(), 1);
}

#[tokio::test]
async fn invalid_input_gets_a_message_per_field_and_changes_nothing() {
    let site = TestServer::demo();
    let cases = [
        json!({}),
        json!({ "name": "", "email": "", "consent": true }),
        json!({ "name": "Ada", "email": "ada@", "consent": true }),
        json!({ "name": "Ada", "email": "ada@example.org", "consent": false }),
        json!({ "name": "x".repeat(101), "email": "ada@example.org", "consent": true }),
        json!({ "name": "Ada", "email": "ada@example.org", "consent": true, "notes": "n".repeat(1001) }),
        json!({ "name": "Ada", "email": "ada@example.org", "consent": true, "answers": { "tshirt": "XXXL" } }),
        json!({ "name": "Ada", "email": "ada@example.org", "consent": true, "answers": { "shoe_size": "42" } }),
    ];
    for body in cases {
        let (status, answer) = site.post_json(REGISTER, &body).await;
        assert_eq!(status, 422, "{body} -> {answer}");
        assert_eq!(answer["error"], "invalid");
        let fields = answer["fields"].as_object().expect("fields");
        assert!(!fields.is_empty(), "{answer}");
        assert!(
            fields
                .values()
                .all(|m| m.as_str().is_some_and(|m| m.ends_with('.')))
        );
    }
    let (status, answer) = site
        .post_json(REGISTER, &json!({ "name": "", "email": "x" }))
        .await;
    assert_eq!(status, 422);
    for field in ["name", "email", "consent"] {
        assert!(answer["fields"][field].is_string(), "{field}: {answer}");
    }
    assert!(registrations(&site).await.is_empty());
}

#[tokio::test]
async fn unknown_or_closed_events_and_bad_bodies_are_refused_clearly() {
    let site = TestServer::demo();
    let (status, body) = site
        .post_json("/api/v1/events/no-such-event/registrations", &person(1))
        .await;
    assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));
    let (status, body) = site
        .post_json(
            "/api/v1/events/scs-community-call/registrations",
            &person(1),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("registration_not_offered"))
    );
    let (status, body) = site
        .post_json("/api/v1/events/eclipsecon-2023/registrations", &person(1))
        .await;
    assert_eq!(status, 409, "an event without registration: {body}");

    let client = TestServer::client();
    let malformed = client
        .post(site.url(REGISTER))
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .expect("send");
    assert_eq!(malformed.status().as_u16(), 400);
    let huge = client
        .post(site.url(REGISTER))
        .header("content-type", "application/json")
        .body(format!("{{\"name\": \"{}\"}}", "x".repeat(200_000)))
        .send()
        .await
        .expect("send");
    assert_eq!(huge.status().as_u16(), 413);
    let answer: serde_json::Value = huge.json().await.expect("a JSON answer");
    assert_eq!(answer["error"], "invalid_body");
    assert!(registrations(&site).await.is_empty());
}

/// A small deterministic generator, so a failure can be replayed.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn text(&mut self) -> String {
        const PIECES: [&str; 12] = [
            "a",
            "Ä",
            "@",
            ".",
            " ",
            "\u{0}",
            "\n",
            "<script>",
            "😀",
            "x@y",
            "\"",
            "'; DROP TABLE registrations; --",
        ];
        let len = self.below(40) as usize;
        let mut text: String = (0..len)
            .map(|_| PIECES[self.below(PIECES.len() as u64) as usize])
            .collect();
        if self.below(20) == 0 {
            text.push_str(&"z".repeat(5000));
        }
        text
    }

    fn value(&mut self, depth: u32) -> Value {
        match self.below(if depth > 1 { 5 } else { 7 }) {
            0 => Value::Null,
            1 => json!(self.below(2) == 0),
            2 => json!(self.next() as i64),
            3 | 4 => json!(self.text()),
            5 => Value::Array((0..self.below(3)).map(|_| self.value(depth + 1)).collect()),
            _ => self.object(depth + 1),
        }
    }

    fn object(&mut self, depth: u32) -> Value {
        const KEYS: [&str; 9] = [
            "name",
            "email",
            "organisation",
            "notes",
            "answers",
            "consent",
            "locale",
            "tshirt",
            "extra",
        ];
        let mut map = serde_json::Map::new();
        for _ in 0..self.below(8) {
            let key = KEYS[self.below(KEYS.len() as u64) as usize];
            map.insert(key.to_owned(), self.value(depth));
        }
        Value::Object(map)
    }
}

/// Values an attacker or a slip of the keyboard sends: odd dates, huge and negative numbers,
/// words where numbers belong, and random text.
const ODD_VALUES: [&str; 22] = [
    "-262143-01-01T00:00",
    "+262142-12-31T23:59",
    "+99999-01-01T09:00",
    "99999-01-01T09:00",
    "9999-12-31T23:59",
    "1969-12-31T23:59",
    "2027-02-30T10:00",
    "2027-03-10T09:00",
    "-262143-01-01",
    "9999-12-30",
    "18446744073709551616",
    "-1",
    "0",
    "40",
    "on",
    "true",
    "",
    "Europe/Berlin",
    "Mars/Olympus",
    "FREQ=WEEKLY;BYDAY=TH;UNTIL=99991231",
    "javascript:alert(1)",
    "hackathon-3",
];

impl Random {
    fn odd_value(&mut self) -> String {
        match self.below(4) {
            0 => self.text(),
            _ => ODD_VALUES[self.below(ODD_VALUES.len() as u64) as usize].to_owned(),
        }
    }

    /// A form body: some of `fields` (and a stray one), odd values.
    fn form(&mut self, fields: &[&str]) -> String {
        let mut pairs = Vec::new();
        for field in fields {
            if self.below(4) > 0 {
                pairs.push(format!(
                    "{}={}",
                    urlencode(field),
                    urlencode(&self.odd_value())
                ));
            }
        }
        if self.below(4) == 0 {
            pairs.push(format!("extra={}", urlencode(&self.text())));
        }
        pairs.join("&")
    }

    /// A body of any shape: a form, JSON, bytes that are not UTF-8, nothing, or too much.
    fn body(&mut self, fields: &[&str]) -> (&'static str, Vec<u8>) {
        const FORM: &str = "application/x-www-form-urlencoded";
        match self.below(10) {
            0 => ("application/json", self.value(0).to_string().into_bytes()),
            1 => (FORM, vec![0xff, 0xfe, b'=', 0xc3]),
            2 => (FORM, Vec::new()),
            3 => (FORM, vec![b'a'; 70_000]),
            _ => (FORM, self.form(fields).into_bytes()),
        }
    }
}

/// A request as an organizer's browser sends it: this site's Origin, and the session if any.
async fn send(
    site: &TestServer,
    path: &str,
    (content_type, body): (&str, Vec<u8>),
    cookie: Option<&str>,
) -> (u16, String) {
    let mut request = TestServer::client()
        .post(site.url(path))
        .header("origin", site.base_url.trim_end_matches('/'))
        .header("content-type", content_type)
        .body(body);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("POST {path}: {e}"));
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

/// Signs in as the demo organizer with the password the site printed at its start.
async fn demo_organizer(site: &mut TestServer) -> String {
    let line = site.next_output_line();
    let password = line
        .split("with the password ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("the demo organizer's password")
        .to_owned();
    let body = format!(
        "email=organizer%40example.org&password={}",
        urlencode(&password)
    );
    let response = TestServer::client()
        .post(site.url("/admin/sign-in"))
        .header("origin", site.base_url.trim_end_matches('/'))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("sign in");
    assert_eq!(response.status().as_u16(), 303);
    response.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .split(';')
        .next()
        .expect("name=value")
        .to_owned()
}

/// Everything the site keeps, except what the mail worker changes on its own (the outbox's
/// sending state) and the access log (a refused action shows its page again, and an
/// organizer's look at personal data is logged whatever happened): equal before and after a
/// refused request.
async fn snapshot(db: &store::Store) -> Value {
    let mut dump = serde_json::to_value(db.export().await.expect("export")).expect("JSON");
    dump["access_log"] = Value::Null;
    let mails: Vec<Value> = dump["outbox"]
        .as_array()
        .map(|mails| mails.iter().map(|m| m["id"].clone()).collect())
        .unwrap_or_default();
    dump["outbox"] = Value::Array(mails);
    dump
}

/// Every server function with its arguments, and whether it is the organizers'.
fn server_functions() -> Vec<(&'static str, &'static [&'static str], bool)> {
    use app::api::*;
    use leptos::server_fn::ServerFn;
    let all: [(&'static str, &'static [&'static str], bool); 35] = [
        (LoadUpcoming::PATH, &[], false),
        (LoadPast::PATH, &[], false),
        (LoadEvent::PATH, &["slug"], false),
        (LoadOccurrence::PATH, &["slug", "date"], false),
        (LoadRegisterPage::PATH, &["slug"], false),
        (
            LoadRegistered::PATH,
            &["slug", "status", "position", "until", "again", "at"],
            false,
        ),
        (LoadRegistration::PATH, &["token", "notice"], false),
        (LoadReplacedLink::PATH, &["token"], false),
        (LoadPersonalData::PATH, &["token"], false),
        (LoadCorrectPage::PATH, &["token"], false),
        (LoadAddressChange::PATH, &["secret"], false),
        (LoadPrivacy::PATH, &[], false),
        (LoadPublicTopics::PATH, &["slug"], false),
        (LoadMyTopics::PATH, &["token", "notice", "order"], false),
        (LoadTopicEdit::PATH, &["token", "topic"], false),
        (LoadSignIn::PATH, &["notice"], false),
        (LoadOrganizer::PATH, &[], true),
        (LoadAdminEvents::PATH, &["notice"], true),
        (LoadAccount::PATH, &["notice"], true),
        (LoadAudit::PATH, &[], true),
        (LoadSiteFeeds::PATH, &[], false),
        (
            LoadAdminEvent::PATH,
            &["slug", "q", "notice", "count"],
            true,
        ),
        (LoadAdminPerson::PATH, &["slug", "id", "notice"], true),
        (
            LoadCheckIn::PATH,
            &["slug", "notice", "count", "q", "show"],
            true,
        ),
        (LoadScan::PATH, &["slug", "code", "notice"], true),
        (LoadOrganizers::PATH, &["notice"], true),
        (LoadWebhooks::PATH, &["notice"], true),
        (
            LoadMailLog::PATH,
            &["notice", "event", "kind", "status"],
            true,
        ),
        (LoadAdminTopics::PATH, &["slug", "notice"], true),
        (LoadEventForm::PATH, &["slug", "notice", "count"], true),
        (LoadEventPreview::PATH, &["slug"], true),
        (LoadPresent::PATH, &["slug", "date"], false),
        (LoadContribution::PATH, &["token", "notice", "count"], false),
        (LoadAdminAgenda::PATH, &["slug", "notice", "count"], true),
        (
            LoadAdminCall::PATH,
            &["slug", "date", "notice", "count"],
            true,
        ),
    ];
    all.to_vec()
}

const EVENT_FIELDS: &[&str] = &[
    "slug",
    "title",
    "kind",
    "summary",
    "description",
    "time_zone",
    "starts_at",
    "ends_at",
    "venue",
    "online_url",
    "online_access",
    "host",
    "external_url",
    "recurrence",
    "registration",
    "capacity",
    "waitlist",
    "confirmation_hours",
    "offers",
    "offer_hours",
    "last_promotion_at",
    "registration_opens_at",
    "registration_closes_at",
    "topics",
    "published",
    // The question editor: its row count and two rows of its fields.
    "question_rows",
    "question.0.key",
    "question.0.label",
    "question.0.label_de",
    "question.0.hint",
    "question.0.hint_de",
    "question.0.kind",
    "question.0.options",
    "question.0.required",
    "question.0.position",
    "question.0.remove",
    "question.1.label",
    "question.1.kind",
    "question.1.options",
];

/// Every organizer form post (`{slug}` and `{id}` are filled in at random) with its fields.
const ORGANIZER_FORMS: &[(&str, &[&str])] = &[
    ("/admin/sign-in", &["email", "password", "next"]),
    ("/admin/events", EVENT_FIELDS),
    ("/admin/events/{slug}/edit", EVENT_FIELDS),
    (
        "/admin/events/{slug}/occurrence",
        &[
            "date",
            "change",
            "moved_starts_at",
            "moved_ends_at",
            "notes",
        ],
    ),
    ("/admin/events/{slug}/capacity", &["capacity"]),
    (
        "/admin/events/{slug}/broadcast",
        &["subject", "message", "seated", "waiting", "step", "key"],
    ),
    ("/admin/events/{slug}/registration", &["open"]),
    ("/admin/events/{slug}/cancel", &["message", "confirm"]),
    ("/admin/events/{slug}/delete", &[]),
    ("/admin/events/{slug}/publish", &[]),
    (
        "/admin/events/{slug}/registrations/{id}/promote",
        &["reason"],
    ),
    (
        "/admin/events/{slug}/registrations/{id}/cancel",
        &["notify"],
    ),
    ("/admin/events/{slug}/registrations/{id}/resend", &[]),
    (
        "/admin/events/{slug}/registrations/{id}/check-in",
        &["arrived", "back", "q", "show"],
    ),
    (
        "/admin/events/{slug}/registrations/{id}/erase",
        &["confirm"],
    ),
    ("/admin/events/{slug}/erase", &["confirm"]),
    ("/admin/events/{slug}/scan", &["code"]),
    ("/admin/mail/{id}/retry", &[]),
    ("/admin/organizers", &["email", "password", "role"]),
    (
        "/admin/account/password",
        &["current_password", "new_password"],
    ),
    ("/admin/organizers/{id}/remove", &[]),
    ("/admin/organizers/{id}/role", &["role"]),
    (
        "/admin/webhooks",
        &["url", "description", "kinds", "kinds", "personal_data"],
    ),
    ("/admin/webhooks/{id}/resume", &[]),
    ("/admin/webhooks/{id}/remove", &[]),
    (
        "/admin/events/{slug}/topics/order",
        &["position.1", "position.2"],
    ),
    ("/admin/events/{slug}/topics/{id}/accept", &[]),
    ("/admin/events/{slug}/topics/{id}/hide", &["reason"]),
    ("/admin/events/{slug}/topics/{id}/merge", &["target"]),
    ("/admin/events/{slug}/agenda", &["kind", "team", "title"]),
    ("/admin/events/{slug}/agenda/sections/{id}/up", &[]),
    ("/admin/events/{slug}/agenda/sections/{id}/remove", &[]),
    ("/admin/events/{slug}/agenda/sections/{id}/link", &[]),
    (
        "/admin/events/{slug}/agenda/sections/{id}/contributors",
        &["organizer", "organizer"],
    ),
    (
        "/admin/events/{slug}/agenda/sections/{id}/items",
        &["date", "body"],
    ),
    (
        "/admin/events/{slug}/agenda/sections/{id}/items/{id}/edit",
        &["date", "item", "body"],
    ),
    (
        "/admin/events/{slug}/agenda/sections/{id}/items/{id}/remove",
        &["date", "item"],
    ),
    ("/admin/events/{slug}/agenda/sections/{id}/carry", &["date"]),
    ("/admin/events/{slug}/agenda/{id}/entries/{id}", &["hidden"]),
    ("/contribute/{id}/items", &["date", "body"]),
    (
        "/contribute/{id}/items/{id}/edit",
        &["date", "item", "body"],
    ),
    ("/contribute/{id}/carry", &["date"]),
];

#[tokio::test]
async fn random_input_never_causes_a_server_error() {
    let mut site = TestServer::demo_without_registration_limits(&[]);
    let cookie = demo_organizer(&mut site).await;
    let db = store::Store::connect(&site.database_url())
        .await
        .expect("open the test database");
    let mut random = Random(0x5eed_c0ff_ee15_600d);

    // The registration API.
    let mut accepted = 0u32;
    for _ in 0..120 {
        let body = random.object(0);
        let slug = match random.below(4) {
            0 => random.text(),
            _ => "hackathon-3".to_owned(),
        };
        let path = format!("/api/v1/events/{}/registrations", urlencode(&slug));
        let (status, answer) = site.post_json(&path, &body).await;
        assert!(
            (200..500).contains(&status),
            "{status} for {body} at {path}: {answer}"
        );
        if status == 201 {
            accepted += 1;
        }
    }
    let counts = seat_counts(&site).await;
    assert_eq!(
        counts.seats_taken + counts.waitlisted,
        accepted,
        "only accepted input takes a place"
    );

    // Every server function is in the list, so a new one cannot be left out.
    let listed: BTreeSet<&str> = server_functions().iter().map(|(path, ..)| *path).collect();
    for (path, _) in leptos::server_fn::axum::server_fn_paths() {
        assert!(listed.contains(path), "{path} is not fuzzed");
    }

    // Server functions and organizer forms: nothing refused changes anything.
    let mut before = snapshot(&db).await;
    let mut seen = std::collections::BTreeMap::<u16, u32>::new();
    for round in 0..300 {
        let (path, body, signed_in) = if round % 2 == 0 {
            let functions = server_functions();
            let (path, fields, admin) = functions[random.below(functions.len() as u64) as usize];
            (
                path.to_owned(),
                random.body(fields),
                admin && random.below(8) > 0,
            )
        } else {
            let (template, fields) =
                ORGANIZER_FORMS[random.below(ORGANIZER_FORMS.len() as u64) as usize];
            let slug = match random.below(4) {
                0 => urlencode(&random.text()),
                1 => "scs-community-call".to_owned(),
                _ => "hackathon-3".to_owned(),
            };
            let id = match random.below(5) {
                0 => urlencode(&random.odd_value()),
                n => n.to_string(),
            };
            let path = template.replace("{slug}", &slug).replace("{id}", &id);
            (path, random.body(fields), random.below(8) > 0)
        };
        // Server functions read their body whoever calls; forms answer the guard first.
        let oversized = round % 2 == 0
            && (signed_in || !path.starts_with("/admin"))
            && body.1.len() > 64 * 1024;
        let (status, answer) = send(&site, &path, body, signed_in.then_some(cookie.as_str())).await;
        assert!((200..500).contains(&status), "{status} at {path}: {answer}");
        if oversized {
            assert_eq!(status, 413, "{path}");
        }
        assert!(
            !answer.contains("missing field") && !answer.contains("invalid type"),
            "parser text at {path}: {answer}"
        );
        *seen.entry(status).or_default() += 1;
        let after = snapshot(&db).await;
        if status >= 400 {
            assert_eq!(before, after, "the refused {status} at {path} changed data");
        }
        before = after;
    }
    // The input reached every kind of answer: done, malformed, too large, refused by a rule.
    for status in [200, 303, 400, 401, 413, 422] {
        assert!(seen.contains_key(&status), "no {status} among {seen:?}");
    }
    eprintln!("answers: {seen:?}");
    db.close().await;
}

#[tokio::test]
async fn malformed_server_function_calls_are_400_and_oversized_ones_413() {
    use leptos::server_fn::ServerFn;
    let mut site = TestServer::demo();
    let cookie = demo_organizer(&mut site).await;
    let form = "application/x-www-form-urlencoded";
    let (status, body) = send(&site, app::api::LoadEvent::PATH, (form, Vec::new()), None).await;
    assert_eq!(status, 400, "a missing argument: {body}");
    assert!(!body.contains("slug"), "no parser text: {body}");
    let person = app::api::LoadAdminPerson::PATH;
    let wrong_type = b"slug=hackathon-3&id=first".to_vec();
    let (status, body) = send(&site, person, (form, wrong_type), Some(&cookie)).await;
    assert_eq!(status, 400, "a word for a number: {body}");
    let (status, _) = send(
        &site,
        app::api::LoadEvent::PATH,
        (form, vec![b'a'; 70_000]),
        None,
    )
    .await;
    assert_eq!(status, 413);
    let (status, _) = send(
        &site,
        app::api::LoadEvent::PATH,
        (form, b"slug=hackathon-3".to_vec()),
        None,
    )
    .await;
    assert_eq!(status, 200, "a well-formed call still works");
}

#[tokio::test]
async fn organizer_dates_far_from_today_are_refused_next_to_the_field() {
    let mut site = TestServer::demo();
    let cookie = demo_organizer(&mut site).await;
    let event = |starts: &str, ends: &str| {
        format!(
            "slug=far-away&title=Far+away&kind=meeting&time_zone=Europe%2FBerlin&starts_at={}&ends_at={}",
            urlencode(starts),
            urlencode(ends)
        )
        .into_bytes()
    };
    let form = "application/x-www-form-urlencoded";
    for (starts, ends) in [
        ("-262143-01-01T09:00", "2027-03-10T10:00"),
        ("2027-03-10T09:00", "+99999-03-10T10:00"),
    ] {
        let (status, html) = send(
            &site,
            "/admin/events",
            (form, event(starts, ends)),
            Some(&cookie),
        )
        .await;
        assert_eq!(status, 422, "{starts} to {ends}");
        assert!(
            common::readable(&html).contains("Enter a date between 1970 and 9999."),
            "{starts} to {ends}"
        );
    }
    let moved = format!(
        "date={}&change=move&moved_starts_at={}&moved_ends_at=2027-01-01T10%3A00",
        urlencode("-262143-01-01"),
        urlencode("-262143-01-01T09:00")
    );
    let (status, html) = send(
        &site,
        "/admin/events/scs-community-call/occurrence",
        (form, moved.into_bytes()),
        Some(&cookie),
    )
    .await;
    assert_eq!(status, 422);
    assert!(common::readable(&html).contains("Enter a date between 1970 and 9999."));
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn mails_carry_working_links_and_the_waitlist_moves_up_on_cancel() {
    let smtp = SmtpServer::start().await;
    let smtp_url = smtp.url();
    let site =
        TestServer::demo_without_registration_limits(&[("CONVENE_SMTP_URL", smtp_url.as_str())]);

    // Ada registers through the HTML form, as a browser without JavaScript does.
    let response = site
        .post_form(
            "/events/hackathon-3/register",
            &[
                ("name", "Ada Lovelace"),
                ("email", "ada@example.org"),
                ("consent", "on"),
                ("answers.tshirt", "M"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let mails = smtp.wait_for(1, 20).await;
    let confirm_mail = &mails[0];
    assert_eq!(confirm_mail.recipients, ["ada@example.org"]);
    assert_eq!(
        confirm_mail.subject(),
        "Confirm your seat at Third Community Hackathon"
    );
    assert!(confirm_mail.text().contains("Hello Ada Lovelace"));
    assert!(
        confirm_mail.html().contains("<a href="),
        "an HTML part with links"
    );
    let confirm = confirm_mail.confirm_link().expect("a confirmation link");
    let manage = confirm_mail.manage_link().expect("a manage link");
    assert!(
        confirm.starts_with(&site.base_url),
        "absolute links: {confirm}"
    );

    // Following the link shows one button and changes nothing (mail scanners open every link);
    // the button's post confirms the seat; posting again says so with a 409.
    let path = confirm.trim_start_matches(&site.base_url);
    let manage_path = manage.trim_start_matches(&site.base_url);
    for _ in 0..2 {
        let (status, html) = site.text(path).await;
        assert_eq!(status, 200);
        assert!(html.contains("Confirm my seat</button>"), "{html}");
    }
    let (_, html) = site.text(manage_path).await;
    assert!(
        html.contains("A seat is held for you"),
        "still held: {html}"
    );
    let posted = site.post_form(path, &[]).await;
    assert_eq!(posted.status().as_u16(), 303);
    let (status, html) = site.text(manage_path).await;
    assert_eq!(status, 200);
    assert!(html.contains("You are confirmed"), "{html}");
    let again = site.post_form(path, &[]).await;
    assert_eq!(again.status().as_u16(), 409);
    let html = again.text().await.expect("body");
    assert!(html.contains("already confirmed"), "{html}");
    let mails = smtp.wait_for(2, 20).await;
    let confirmed = &mails[1];
    assert_eq!(
        confirmed.subject(),
        "You are confirmed for Third Community Hackathon"
    );
    assert!(confirmed.has_calendar_attachment());

    // Fill the room, then one more person waits.
    for n in 1..CAPACITY {
        let (status, _) = site.post_json(REGISTER, &person(n)).await;
        assert_eq!(status, 201);
    }
    let (status, body) = site
        .post_json(
            REGISTER,
            &json!({ "name": "Grace", "email": "grace@example.org", "consent": true }),
        )
        .await;
    assert_eq!((status, body["waitlist_position"].as_u64()), (201, Some(1)));
    let mails = smtp.wait_for(2 + 39 + 1, 30).await;
    let waitlisted = mails
        .iter()
        .find(|m| m.recipients == ["grace@example.org"])
        .expect("Grace's waitlist mail");
    assert_eq!(
        waitlisted.subject(),
        "You are on the waitlist for Third Community Hackathon (#1)"
    );

    // Ada cancels with her link; the seat is offered to Grace, who accepts it.
    let cancel = format!("{}/cancel", manage.trim_start_matches(&site.base_url));
    let response = site.post_form(&cancel, &[]).await;
    assert_eq!(response.status().as_u16(), 303);
    let again = site.post_form(&cancel, &[]).await;
    assert_eq!(
        again.status().as_u16(),
        410,
        "cancelling twice says it is cancelled"
    );
    let mails = smtp.wait_for(2 + 39 + 1 + 2, 30).await;
    let offered = mails
        .iter()
        .filter(|m| m.recipients == ["grace@example.org"])
        .find(|m| m.subject() == "A seat is offered to you: Third Community Hackathon")
        .expect("Grace's offer");
    assert!(
        offered.text().contains("Accept it by"),
        "{}",
        offered.text()
    );
    let grace_manage = offered.manage_link().expect("a link in the offer");
    let grace_manage = grace_manage.trim_start_matches(&site.base_url);
    let (status, html) = site.text(grace_manage).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("A seat is offered to you: accept it by"),
        "{html}"
    );
    let accept = offered.confirm_link().expect("the accept link");
    let response = site
        .post_form(accept.trim_start_matches(&site.base_url), &[])
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let mails = smtp.wait_for(2 + 39 + 1 + 3, 30).await;
    let confirmed = mails
        .iter()
        .filter(|m| m.recipients == ["grace@example.org"])
        .find(|m| m.subject().starts_with("You are confirmed"))
        .expect("Grace's confirmation");
    assert!(confirmed.has_calendar_attachment());
    let (_, html) = site.text(grace_manage).await;
    assert!(html.contains("You are confirmed"), "{html}");
    assert!(
        mails
            .iter()
            .any(|m| m.recipients == ["ada@example.org"] && m.subject().contains("is cancelled"))
    );
    let counts = seat_counts(&site).await;
    assert_eq!((counts.seats_taken, counts.waitlisted), (40, 0));
}

#[tokio::test]
async fn mails_queued_during_an_smtp_outage_arrive_exactly_once() {
    let mut smtp = SmtpServer::start().await;
    let smtp_url = smtp.url();
    smtp.stop();
    let site = TestServer::demo_with(&[
        ("CONVENE_SMTP_URL", smtp_url.as_str()),
        ("CONVENE_MAIL_RETRY_SECONDS", "1"),
    ]);
    for n in 0..3 {
        let (status, _) = site.post_json(REGISTER, &person(n)).await;
        assert_eq!(status, 201, "registration does not wait for mail");
    }
    // Let the worker fail at least once while the server is down.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert!(smtp.received().is_empty());
    smtp.resume().await;
    smtp.wait_for(3, 30).await;
    // Give a duplicate every chance to show up.
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    let mails = smtp.received();
    let recipients: Vec<_> = mails.iter().flat_map(|m| m.recipients.clone()).collect();
    let unique: BTreeSet<_> = recipients.iter().cloned().collect();
    assert_eq!(recipients.len(), 3, "{recipients:?}");
    assert_eq!(unique.len(), 3);

    let store = store::Store::connect(&site.database_url())
        .await
        .expect("db");
    let log = store.mail_log(10).await.expect("mail log");
    assert!(log.iter().all(|m| m.status == "sent"), "{log:?}");
    assert!(
        log.iter().all(|m| m.attempts >= 2),
        "each failed at least once: {log:?}"
    );
}

#[tokio::test]
async fn acknowledged_registrations_and_their_mails_survive_a_crash() {
    let mut site = TestServer::demo_without_registration_limits(&[]);
    let requests = (0..60).map(|n| {
        let site = &site;
        async move { site.post_json(REGISTER, &person(n)).await }
    });
    let answers = futures::future::join_all(requests).await;
    assert!(answers.iter().all(|(status, _)| *status == 201));

    site.crash_and_restart();

    let stored = registrations(&site).await;
    assert_eq!(stored.len(), 60, "every acknowledged registration is there");
    let counts = seat_counts(&site).await;
    assert_eq!((counts.seats_taken, counts.waitlisted), (40, 20));
    // Every registration's mail is in the outbox: sent, or claimed by the worker that was killed
    // (it goes back to the queue when its lease runs out). None is lost.
    let store = store::Store::connect(&site.database_url())
        .await
        .expect("db");
    let log = store.mail_log(100).await.expect("mail log");
    assert_eq!(log.len(), 60, "{log:?}");
    let registration_ids: BTreeSet<_> = stored.iter().map(|r| r.email.clone()).collect();
    let recipients: BTreeSet<_> = log.iter().map(|m| m.recipient.clone()).collect();
    assert_eq!(
        recipients, registration_ids,
        "one mail for each registration"
    );
    for _ in 0..100 {
        let log = store.mail_log(100).await.expect("mail log");
        if log
            .iter()
            .all(|m| m.status == "sent" || m.status == "sending")
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "mails not sent after the restart: {:?}",
        store.mail_log(100).await
    );
}

#[tokio::test]
async fn sigterm_finishes_requests_in_flight_and_loses_nothing() {
    let mut site = TestServer::demo_without_registration_limits(&[]);
    let requests = (0..80).map(|n| {
        let site = &site;
        async move {
            let client = TestServer::client();
            let response = client
                .post(site.url(REGISTER))
                .json(&person(n))
                .send()
                .await;
            response.ok().map(|r| (n, r.status().as_u16()))
        }
    });
    let burst = futures::future::join_all(requests);
    let pid = site.pid();
    let signal = async move {
        // Let the burst start, then stop the server as Kubernetes would.
        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
        std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
    };
    let (answers, signalled) = tokio::join!(burst, signal);
    assert!(signalled.is_ok_and(|s| s.success()), "kill -TERM");
    let acknowledged: BTreeSet<usize> = answers
        .iter()
        .flatten()
        .filter(|(_, status)| *status == 201)
        .map(|(n, _)| *n)
        .collect();
    assert!(site.wait_for_exit(), "a clean exit on SIGTERM");
    assert!(
        !acknowledged.is_empty(),
        "some requests were answered before the stop"
    );
    site.start_again();
    let stored: BTreeSet<String> = registrations(&site)
        .await
        .into_iter()
        .map(|r| r.email)
        .collect();
    for n in &acknowledged {
        assert!(
            stored.contains(&format!("person{n}@example.org")),
            "registration {n} lost"
        );
    }
}

#[tokio::test]
async fn mails_are_written_in_the_language_of_the_registration() {
    let site = TestServer::demo();
    for (n, locale) in [(1, "de"), (2, "en")] {
        let body = json!({ "name": format!("Person {n}"), "email": format!("person{n}@example.org"), "consent": true, "locale": locale });
        let (status, _) = site.post_json(REGISTER, &body).await;
        assert_eq!(status, 201);
    }
    let mut subjects = Vec::new();
    for _ in 0..100 {
        subjects = std::fs::read_dir(site.mail_dir())
            .map(|dir| {
                let mut files: Vec<_> = dir.flatten().map(|e| e.path()).collect();
                files.sort();
                files
                    .iter()
                    .filter_map(|path| std::fs::read(path).ok())
                    .filter_map(|raw| {
                        let message = mail_parser::MessageParser::default().parse(&raw)?;
                        Some((
                            message.subject().unwrap_or_default().to_owned(),
                            message.body_text(0).unwrap_or_default().into_owned(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default();
        if subjects.len() == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(subjects.len(), 2, "{subjects:?}");
    assert_eq!(
        subjects[0].0,
        "Bestätigen Sie Ihren Platz bei Third Community Hackathon"
    );
    assert!(
        subjects[0].1.starts_with("Hallo Person 1,"),
        "{}",
        subjects[0].1
    );
    assert!(subjects[0].1.contains(" MEZ") || subjects[0].1.contains(" MESZ"));
    assert_eq!(
        subjects[1].0,
        "Confirm your seat at Third Community Hackathon"
    );
}

/// These tests stand behind a proxy, so `X-Forwarded-For` says which client a request comes
/// from; the registration limits are the defaults.
const PROXIED: &[(&str, &str)] = &[("CONVENE_BEHIND_PROXY", "true")];

/// A request from the client address `client`.
fn from(request: reqwest::RequestBuilder, client: &str) -> reqwest::RequestBuilder {
    request.header("x-forwarded-for", client)
}

/// Registers `body` over the JSON API from `client`: the status, `Retry-After` and the answer.
async fn register_from(site: &TestServer, client: &str, body: &Value) -> (u16, Option<u64>, Value) {
    let response = from(TestServer::client().post(site.url(REGISTER)), client)
        .json(body)
        .send()
        .await
        .expect("POST");
    let status = response.status().as_u16();
    let wait = retry_after(&response);
    (status, wait, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_burst_from_one_address_gets_429_with_retry_after_on_the_api_the_form_and_the_server_function()
 {
    let site = TestServer::demo_with(PROXIED);
    let office = "198.51.100.7";
    for n in 0..30 {
        let (status, _, body) = register_from(&site, office, &person(n)).await;
        assert_eq!(
            status, 201,
            "a whole team from one office gets in: {n} {body}"
        );
    }
    let (status, wait, body) = register_from(&site, office, &person(30)).await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(body["error"], "rate_limited");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("Too many registrations")),
        "{body}"
    );
    let wait = wait.expect("Retry-After");
    assert!((1..=600).contains(&wait), "{wait}");

    for (locale, message) in [
        ("en", "Too many registrations in a short time"),
        ("de", "Zu viele Anmeldungen in kurzer Zeit"),
    ] {
        let form = [
            ("name", "Late Larry"),
            ("email", "larry@example.org"),
            ("consent", "on"),
            ("locale", locale),
        ];
        let response = from(
            TestServer::client().post(site.url("/events/hackathon-3/register")),
            office,
        )
        .form(&form)
        .send()
        .await
        .expect("POST");
        assert_eq!(response.status(), 429);
        assert!(retry_after(&response).is_some_and(|s| (1..=600).contains(&s)));
        let page = common::readable(&response.text().await.expect("page"));
        assert!(page.contains(message), "{locale}: {page}");
        assert!(page.contains("Late Larry"), "the form keeps what was typed");
    }

    let (status, _, body) = register_from(&site, "198.51.100.8", &person(30)).await;
    assert_eq!(status, 201, "another address is not affected: {body}");
    assert_eq!(
        registrations(&site).await.len(),
        31,
        "nothing refused was stored"
    );
}

#[tokio::test]
async fn one_email_address_is_limited_whichever_address_it_comes_from() {
    let site = TestServer::demo_with(PROXIED);
    let (status, _, _) = register_from(&site, "198.51.100.1", &person(1)).await;
    assert_eq!(status, 201);
    for n in 2..=5 {
        let (status, _, body) = register_from(&site, &format!("198.51.100.{n}"), &person(1)).await;
        assert_eq!(status, 409, "{body}");
    }
    let (status, wait, body) = register_from(&site, "198.51.100.6", &person(1)).await;
    assert_eq!(
        status, 429,
        "the sixth for one address in ten minutes: {body}"
    );
    assert_eq!(body["error"], "rate_limited");
    assert!(wait.is_some());
    let (status, _, _) = register_from(&site, "198.51.100.6", &person(2)).await;
    assert_eq!(status, 201, "someone else from that address");
}

#[tokio::test]
async fn registering_again_within_ten_minutes_mails_nothing_new_and_keeps_the_link() {
    let smtp = SmtpServer::start().await;
    let site = TestServer::demo_with(&[("CONVENE_SMTP_URL", &smtp.url())]);
    let (status, _) = site.post_json(REGISTER, &person(1)).await;
    assert_eq!(status, 201);
    let (status, body) = site.post_json(REGISTER, &person(1)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("already_registered"))
    );
    let mails = smtp.wait_for(2, 30).await;
    let link = mails[1].manage_link().expect("the resent link");

    for _ in 0..3 {
        let (status, again) = site.post_json(REGISTER, &person(1)).await;
        assert_eq!((status, &again), (409, &body), "the same answer as before");
    }
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert_eq!(
        smtp.received().len(),
        2,
        "one new link per ten minutes: {:?}",
        smtp.received()
            .iter()
            .map(|m| m.subject())
            .collect::<Vec<_>>()
    );
    let path = link.trim_start_matches(&site.base_url);
    let (status, page) = site.text(path).await;
    assert_eq!(status, 200, "the link mailed last still works");
    assert!(common::readable(&page).contains("Person 1"), "{page}");
}

#[tokio::test]
async fn zero_turns_a_registration_limit_off_and_leaves_the_others() {
    let site = TestServer::demo_with(&[("CONVENE_REGISTRATION_LIMIT_PER_CLIENT", "0")]);
    for n in 0..35 {
        let (status, body) = site.post_json(REGISTER, &person(n)).await;
        assert_eq!(status, 201, "no limit per client address: {n}: {body}");
    }
    for n in 1..5 {
        let (status, body) = site.post_json(REGISTER, &person(0)).await;
        assert_eq!(status, 409, "{n}: {body}");
    }
    let (status, body) = site.post_json(REGISTER, &person(0)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (429, Some("rate_limited")),
        "the limit per e-mail address is still on"
    );
}

#[tokio::test]
async fn people_see_download_and_erase_their_data_with_their_link() {
    let smtp = SmtpServer::start().await;
    let smtp_url = smtp.url();
    let site =
        TestServer::demo_without_registration_limits(&[("CONVENE_SMTP_URL", smtp_url.as_str())]);
    let (status, _) = site
        .post_json(
            REGISTER,
            &json!({
                "name": "Grace Hopper",
                "email": "grace@example.org",
                "notes": "Vegetarian",
                "consent": true,
            }),
        )
        .await;
    assert_eq!(status, 201);
    let mails = smtp.wait_for(1, 20).await;
    assert!(
        mails[0].text().contains("erase them 90 days after it"),
        "the first mail says how long: {}",
        mails[0].text()
    );
    let manage = mails[0].manage_link().expect("a manage link");
    let manage = manage.trim_start_matches(&site.base_url).to_owned();

    // Everything kept, on a page and as a file.
    let (status, html) = site.text(&format!("{manage}/data")).await;
    assert_eq!(status, 200);
    let page = common::readable(&html);
    for shown in [
        "Grace Hopper",
        "grace@example.org",
        "Vegetarian",
        "Download as JSON",
    ] {
        assert!(page.contains(shown), "{shown}: {page}");
    }

    // Corrections: a refused one says why next to the field and changes nothing.
    let refused = site
        .post_form(
            &format!("{manage}/edit"),
            &[("name", ""), ("notes", "Vegan")],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let form = common::readable(&refused.text().await.expect("body"));
    assert!(form.contains("Enter your full name."), "{form}");
    let saved = site
        .post_form(
            &format!("{manage}/edit"),
            &[("name", "Grace B. Hopper"), ("notes", "Vegan")],
        )
        .await;
    assert_eq!(saved.status(), 303);
    let (_, html) = site.text(&format!("{manage}/data?notice=corrected")).await;
    let page = common::readable(&html);
    assert!(page.contains("Your details are saved."), "{page}");
    assert!(
        page.contains("Grace B. Hopper") && page.contains("Vegan"),
        "{page}"
    );
    let download = site.get(&format!("{manage}/data.json")).await;
    assert_eq!(download.status(), 200);
    let disposition = download.headers()["content-disposition"]
        .to_str()
        .expect("header")
        .to_owned();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    let data: Value = download.json().await.expect("json");
    assert_eq!(data["format"], 1);
    assert_eq!(data["registration"]["email"], "grace@example.org");
    assert_eq!(data["registration"]["notes"], "Vegan");
    assert_eq!(data["history"][0]["action"], "registered");
    assert_eq!(data["mails"][0]["kind"], "confirm_email");

    // Another address: asked from the link, taken only from a button behind the link mailed to
    // it (opening that link changes nothing).
    let asked = site
        .post_form(
            &format!("{manage}/edit"),
            &[
                ("name", "Grace B. Hopper"),
                ("email", "grace.new@example.org"),
            ],
        )
        .await;
    assert_eq!(asked.status(), 303);
    assert_eq!(
        asked.headers()["location"].to_str().expect("location"),
        format!("{manage}/data?notice=address_requested")
    );
    let mails = smtp.wait_for(2, 20).await;
    let to_new = &mails[1];
    assert_eq!(to_new.recipients, ["grace.new@example.org"]);
    assert!(to_new.manage_link().is_none(), "no registration link yet");
    let confirm_link = to_new
        .text()
        .split_whitespace()
        .find(|word| word.contains("/address/"))
        .expect("the confirm link")
        .trim_start_matches(&site.base_url)
        .to_owned();
    let (status, html) = site.text(&confirm_link).await;
    assert_eq!(status, 200);
    assert!(html.contains("Use this address</button>"), "{html}");
    let changed = site.post_form(&confirm_link, &[]).await;
    assert_eq!(changed.status(), 303);
    assert_eq!(changed.headers()["location"], "/address-changed");
    let mails = smtp.wait_for(3, 20).await;
    assert_eq!(mails[2].recipients, ["grace.new@example.org"]);
    assert!(mails[2].manage_link().is_some(), "the registration's link");
    assert_eq!(
        site.post_form(&confirm_link, &[]).await.status(),
        404,
        "once"
    );

    // Looking at the erase page changes nothing; its button erases.
    let (status, html) = site.text(&format!("{manage}/erase")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Yes, erase my data"), "{html}");
    assert_eq!(site.get(&manage).await.status(), 200, "still there");
    let erased = site.post_form(&format!("{manage}/erase"), &[]).await;
    assert_eq!(erased.status(), 303);
    assert_eq!(erased.headers()["location"], "/data-erased");
    assert_eq!(site.get(&manage).await.status(), 404, "the link is dead");
    assert_eq!(site.get(&format!("{manage}/data.json")).await.status(), 404);
    let mails = smtp.wait_for(4, 20).await;
    let last = mails.last().expect("the erasure mail");
    assert_eq!(last.recipients, ["grace.new@example.org"]);
    assert!(last.subject().contains("is erased"), "{}", last.subject());
    assert!(last.manage_link().is_none(), "no link: none works now");

    // Once that mail is sent, the database holds the person nowhere.
    let db = store::Store::connect(&site.database_url())
        .await
        .expect("open the test database");
    let mut traces = Vec::new();
    for _ in 0..50 {
        traces = db
            .every_text_value()
            .await
            .into_iter()
            .filter(|v| v.contains("grace") || v.contains("Grace"))
            .collect();
        if traces.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(traces, Vec::<String>::new());
    db.close().await;
}

/// The page after registering, fetched as the browser that registered (with its cookie) or as
/// any other.
async fn registered_page(site: &TestServer, path: &str, cookie: Option<&str>) -> String {
    let mut request = TestServer::client().get(site.url(path));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.expect("GET");
    assert_eq!(response.status(), 200, "{path}");
    common::readable(&response.text().await.expect("page"))
}

async fn send_again(site: &TestServer, cookie: Option<&str>) -> String {
    let mut request = TestServer::client().post(site.url("/events/hackathon-3/registered/again"));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.expect("POST");
    assert_eq!(response.status(), 303);
    response.headers()["location"]
        .to_str()
        .expect("a location")
        .to_owned()
}

#[tokio::test]
async fn the_page_after_registering_says_where_the_mail_went_and_sends_it_again() {
    let smtp = SmtpServer::start().await;
    let smtp_url = smtp.url();
    let site = TestServer::demo_with(&[("CONVENE_SMTP_URL", smtp_url.as_str())]);
    let response = site
        .post_form(
            "/events/hackathon-3/register",
            &[
                ("name", "Grace Hopper"),
                ("email", "grace@example.org"),
                ("consent", "on"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"]
        .to_str()
        .expect("a location")
        .to_owned();
    assert!(
        location.starts_with("/events/hackathon-3/registered?status=pending_email&until="),
        "{location}"
    );
    assert!(!location.contains("grace"), "never an address in a URL");
    let set_cookie = response.headers()["set-cookie"]
        .to_str()
        .expect("a cookie")
        .to_owned();
    for part in [
        "Path=/events/hackathon-3/registered",
        "Max-Age=3600",
        "HttpOnly",
        "SameSite=Lax",
    ] {
        assert!(set_cookie.contains(part), "{part}: {set_cookie}");
    }
    let cookie = set_cookie.split(';').next().expect("name=value").to_owned();

    let page = registered_page(&site, &location, Some(&cookie)).await;
    assert!(page.contains("Check your e-mail"), "{page}");
    assert!(page.contains("We sent it to grace@example.org."), "{page}");
    assert!(page.contains("Your seat is held until"), "{page}");
    assert!(page.contains("Send the mail again"), "{page}");
    let elsewhere = registered_page(&site, &location, None).await;
    assert!(elsewhere.contains("Check your e-mail"));
    assert!(
        !elsewhere.contains("grace@example.org") && !elsewhere.contains("Send the mail again"),
        "another browser learns no address"
    );
    assert!(elsewhere.contains("Your seat is held until"));

    // Sent again: a second mail with a new link; both links work.
    let again = send_again(&site, Some(&cookie)).await;
    assert_eq!(again, "/events/hackathon-3/registered?again=sent");
    let page = registered_page(&site, &again, Some(&cookie)).await;
    assert!(
        page.contains("We have sent the mail again to grace@example.org"),
        "{page}"
    );
    let mails = smtp.wait_for(2, 20).await;
    assert!(mails.iter().all(|m| m.recipients == ["grace@example.org"]));
    let links: BTreeSet<String> = mails.iter().filter_map(|m| m.manage_link()).collect();
    assert_eq!(links.len(), 2, "a new link in the second mail");
    for link in &links {
        let path = link
            .split_once("/r/")
            .map(|(_, t)| format!("/r/{t}"))
            .expect("link");
        let (status, page) = site.text(&path).await;
        assert_eq!(status, 200, "{path}");
        assert!(page.contains("Grace Hopper"));
    }

    // Once in ten minutes; the page says from when.
    let too_soon = send_again(&site, Some(&cookie)).await;
    assert!(
        too_soon.starts_with("/events/hackathon-3/registered?again=too_soon&at="),
        "{too_soon}"
    );
    let page = registered_page(&site, &too_soon, Some(&cookie)).await;
    assert!(page.contains("You can ask again from"), "{page}");
    // Without the cookie nothing is sent, and the page says what to do.
    let forgotten = send_again(&site, None).await;
    let page = registered_page(&site, &forgotten, None).await;
    assert!(page.contains("no longer knows your address"), "{page}");
    for garbage in [
        "convene_sent_to=zz",
        "convene_sent_to=+6",
        "convene_sent_to=",
    ] {
        assert_eq!(
            send_again(&site, Some(garbage)).await,
            forgotten,
            "{garbage}: not an address"
        );
    }
    // Another address, never registered: the page says so (it shows the visitor's own text,
    // escaped).
    let stranger = format!(
        "convene_sent_to={}",
        "<b>x</b>@example.org"
            .bytes()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let none = send_again(&site, Some(&stranger)).await;
    assert_eq!(none, "/events/hackathon-3/registered?again=none");
    let page = registered_page(&site, &none, Some(&stranger)).await;
    assert!(page.contains("&lt;b&gt;x&lt;/b&gt;@example.org"), "{page}");
    assert!(!page.contains("<b>x</b>"));
}
