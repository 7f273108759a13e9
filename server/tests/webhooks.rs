//! Webhooks over HTTP against the real binary (on SQLite, and on PostgreSQL with
//! `CONVENE_TEST_BACKEND=postgres`): an admin registers endpoints at a receiver this test
//! starts, registrations reach it as signed messages, the signatures are checked with the
//! Standard Webhooks reference library (PyPI `standardwebhooks`), a receiver that fails gets the
//! message again with the same id, and an endpoint that keeps failing is paused until resumed.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use common::organizer::Organizer;
use common::{TestServer, readable, run_python};

const WEBHOOKS: &str = "/admin/webhooks";

/// A message as the receiver got it.
#[derive(Debug, Clone)]
struct Received {
    path: String,
    id: String,
    timestamp: String,
    signature: String,
    body: String,
}

impl Received {
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).expect("a JSON body")
    }
}

#[derive(Default)]
struct Inbox {
    received: Vec<Received>,
    /// The path and `webhook-id` of every request, answered or failed.
    attempts: Vec<(String, String)>,
    /// How many of the next requests are answered 500.
    fail_next: u32,
}

/// A receiver on a free port that keeps what it gets; answers 204, or 500 when told to fail.
struct Receiver {
    url: String,
    inbox: Arc<Mutex<Inbox>>,
}

impl Receiver {
    async fn start() -> Receiver {
        async fn take(
            State(inbox): State<Arc<Mutex<Inbox>>>,
            Path(path): Path<String>,
            headers: HeaderMap,
            body: Bytes,
        ) -> StatusCode {
            let header = |name: &str| {
                headers
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned()
            };
            let mut inbox = inbox.lock().expect("inbox");
            inbox.attempts.push((path.clone(), header("webhook-id")));
            if inbox.fail_next > 0 {
                inbox.fail_next -= 1;
                return StatusCode::INTERNAL_SERVER_ERROR;
            }
            inbox.received.push(Received {
                path,
                id: header("webhook-id"),
                timestamp: header("webhook-timestamp"),
                signature: header("webhook-signature"),
                body: String::from_utf8_lossy(&body).into_owned(),
            });
            StatusCode::NO_CONTENT
        }
        let inbox = Arc::new(Mutex::new(Inbox::default()));
        let app = Router::new()
            .route("/{path}", post(take))
            .with_state(Arc::clone(&inbox));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        tokio::spawn(async move { axum::serve(listener, app).await });
        Receiver { url, inbox }
    }

    fn fail_next(&self, count: u32) {
        self.inbox.lock().expect("inbox").fail_next = count;
    }

    fn attempts(&self) -> Vec<(String, String)> {
        self.inbox.lock().expect("inbox").attempts.clone()
    }

    fn received(&self) -> Vec<Received> {
        self.inbox.lock().expect("inbox").received.clone()
    }

    /// Waits until `count` messages arrived at `path` (or fails after a while).
    async fn wait_for(&self, path: &str, count: usize) -> Vec<Received> {
        for _ in 0..600 {
            let at_path: Vec<Received> = self
                .received()
                .into_iter()
                .filter(|r| r.path == path)
                .collect();
            if at_path.len() >= count {
                return at_path;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "{count} messages did not reach /{path}: {:?}",
            self.received()
        );
    }
}

/// The signing secret of the endpoint at `url`, as its admin page shows it.
fn secret_on(page: &str, url: &str) -> String {
    let section = page
        .split("<section")
        .find(|section| section.contains(url))
        .unwrap_or_else(|| panic!("{url} on the page: {page}"));
    let start = section.find("whsec_").expect("a secret");
    section[start..]
        .split(['<', '"'])
        .next()
        .expect("secret")
        .to_owned()
}

/// Checks every message with the Standard Webhooks reference library (a body changed by one
/// byte must fail); returns the verified messages' types. `None` without the PyPI tools.
fn verified_types(secret: &str, messages: &[Received]) -> Option<Vec<String>> {
    let input = serde_json::json!({
        "secret": secret,
        "messages": messages.iter().map(|m| serde_json::json!({
            "webhook-id": m.id,
            "webhook-timestamp": m.timestamp,
            "webhook-signature": m.signature,
            "body": m.body,
        })).collect::<Vec<_>>(),
    });
    let script = r#"
import json, sys
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
given = json.load(sys.stdin)
hook = Webhook(given["secret"])
types = []
for message in given["messages"]:
    body = message.pop("body")
    types.append(hook.verify(body, message)["type"])
    try:
        hook.verify(body.replace("}", " }", 1), message)
        sys.exit("a changed body passed")
    except WebhookVerificationError:
        pass
print(json.dumps(types))
"#;
    let output = run_python(script, input.to_string().as_bytes())?;
    Some(serde_json::from_str(&output).expect("the types as JSON"))
}

async fn register(site: &TestServer, n: u32) {
    let (status, body) = site
        .post_json(
            "/api/v1/events/hackathon-3/registrations",
            &serde_json::json!({
                "name": format!("Webhook Person {n}"),
                "email": format!("hook{n}@example.org"),
                "consent": true,
            }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
}

#[tokio::test]
async fn registrations_reach_the_endpoints_signed_with_personal_data_only_where_allowed() {
    let receiver = Receiver::start().await;
    let site =
        TestServer::demo_without_registration_limits(&[("CONVENE_WEBHOOK_RETRY_SECONDS", "1")]);
    let admin = Organizer::sign_in(&site, "hooks@example.org", "admin").await;

    // A bad address is refused next to its field, and nothing is added.
    let (status, page) = admin
        .post(
            WEBHOOKS,
            &[
                ("url", "javascript:alert(1)"),
                ("kinds", "registration.created"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        page.contains("Enter a web address starting with https://."),
        "{page}"
    );
    assert!(page.contains("No endpoint is registered yet."), "{page}");

    let crm = format!("{}/crm", receiver.url);
    let stats = format!("{}/stats", receiver.url);
    let (status, location) = admin
        .post(
            WEBHOOKS,
            &[
                ("url", &crm),
                ("description", "The community's CRM"),
                ("kinds", "registration.created"),
                ("kinds", "registration.confirmed"),
                ("personal_data", "on"),
            ],
        )
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/admin/webhooks?notice=webhook_added")
    );
    let (status, _) = admin
        .post(
            WEBHOOKS,
            &[("url", &stats), ("kinds", "registration.created")],
        )
        .await;
    assert_eq!(status, 303);
    let (_, page) = admin.get(WEBHOOKS).await;
    let (crm_secret, stats_secret) = (secret_on(&page, &crm), secret_on(&page, &stats));
    assert_ne!(crm_secret, stats_secret);
    assert!(page.contains("Gets personal data."), "{page}");
    assert!(page.contains("Gets no personal data."), "{page}");
    // The privacy page names the tool that gets personal data, by its description.
    let (_, privacy) = site.text("/privacy").await;
    let privacy = readable(&privacy);
    assert!(
        privacy.contains("on to these tools of theirs: The community&#x27;s CRM.")
            || privacy.contains("on to these tools of theirs: The community's CRM."),
        "{privacy}"
    );
    assert!(!privacy.contains("/stats"), "{privacy}");

    register(&site, 1).await;
    let at_crm = receiver.wait_for("crm", 1).await;
    let at_stats = receiver.wait_for("stats", 1).await;
    let told = at_crm[0].json();
    assert_eq!(told["type"], "registration.created");
    assert_eq!(told["data"]["event"]["slug"], "hackathon-3");
    assert_eq!(told["data"]["status"], "pending_email");
    assert_eq!(told["data"]["person"]["email"], "hook1@example.org");
    assert_eq!(told["data"]["person"]["name"], "Webhook Person 1");
    let untold = at_stats[0].json();
    assert_eq!(untold["data"]["id"], told["data"]["id"]);
    assert!(untold["data"].get("person").is_none(), "{untold}");
    assert!(!at_stats[0].body.contains("hook1@example.org"));

    // Confirming the address is told to the endpoint that takes it, and only there.
    let link = common::manage_link_to(&site, "hook1@example.org");
    let path = link.trim_start_matches(&site.base_url);
    let confirmed = site.post_form(&format!("{path}/confirm"), &[]).await;
    assert_eq!(confirmed.status(), 303);
    let at_crm = receiver.wait_for("crm", 2).await;
    assert_eq!(at_crm[1].json()["type"], "registration.confirmed");
    assert_eq!(at_crm[1].json()["data"]["status"], "confirmed");

    // The receiver fails the next two requests (one to each endpoint): each message comes
    // again, with the same id, and the log says it took two attempts.
    receiver.fail_next(2);
    register(&site, 2).await;
    let at_crm = receiver.wait_for("crm", 3).await;
    let at_stats = receiver.wait_for("stats", 2).await;
    for delivered in [&at_crm[2], &at_stats[1]] {
        let tries = receiver
            .attempts()
            .iter()
            .filter(|(path, id)| *path == delivered.path && *id == delivered.id)
            .count();
        assert_eq!(tries, 2, "{delivered:?}");
    }
    let (_, page) = admin.get(WEBHOOKS).await;
    assert!(
        page.contains("<td>delivered</td><td>2</td><td>204</td>"),
        "{page}"
    );

    // The reference library accepts every signature, and no body changed on the way.
    let crm_types = verified_types(&crm_secret, &at_crm);
    let stats_types = verified_types(&stats_secret, &at_stats);
    if let (Some(crm_types), Some(stats_types)) = (crm_types, stats_types) {
        assert_eq!(
            crm_types,
            [
                "registration.created",
                "registration.confirmed",
                "registration.created"
            ]
        );
        assert_eq!(
            stats_types,
            ["registration.created", "registration.created"]
        );
    }
    // Each message fits the schema the OpenAPI document gives for its type.
    let document = common::openapi::document(&site).await;
    let cases: Vec<common::openapi::Case> = at_crm
        .iter()
        .chain(&at_stats)
        .map(|message| {
            let kind = message.json()["type"].as_str().expect("type").to_owned();
            let schema = document["webhooks"][&kind]["post"]["requestBody"]["content"]
                ["application/json"]["schema"]
                .clone();
            assert!(!schema.is_null(), "{kind} is in the document");
            common::openapi::Case {
                name: format!("{kind} to /{}", message.path),
                schema,
                body: message.json(),
            }
        })
        .collect();
    if let Some(found) = common::openapi::problems(&document, &cases) {
        for (case, problems) in cases.iter().zip(found) {
            assert!(problems.is_empty(), "{}: {problems:?}", case.name);
        }
    }
    let ids: std::collections::BTreeSet<&str> = at_crm
        .iter()
        .chain(&at_stats)
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(ids.len(), 5, "one id per message and endpoint");
}

#[tokio::test]
async fn an_endpoint_that_keeps_failing_is_paused_until_an_admin_resumes_it() {
    let receiver = Receiver::start().await;
    let site =
        TestServer::demo_without_registration_limits(&[("CONVENE_WEBHOOK_RETRY_SECONDS", "1")]);
    let admin = Organizer::sign_in(&site, "hooks@example.org", "admin").await;
    let down = format!("{}/down", receiver.url);
    let (status, _) = admin
        .post(
            WEBHOOKS,
            &[("url", &down), ("kinds", "registration.created")],
        )
        .await;
    assert_eq!(status, 303);
    receiver.fail_next(u32::MAX);
    for n in 0..10 {
        register(&site, n).await;
    }
    // Ten failed attempts in a row pause it; the admin page says so.
    let mut page = String::new();
    for _ in 0..600 {
        page = readable(&admin.get(WEBHOOKS).await.1);
        if page.contains("Paused since") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(page.contains("Paused since"), "{page}");
    assert!(page.contains("10 waiting"), "{page}");
    assert!(receiver.received().is_empty());

    // Resumed, with the receiver back, everything that waited arrives, once each.
    receiver.fail_next(0);
    let id = page
        .split("/admin/webhooks/")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("the endpoint's id")
        .to_owned();
    let (status, location) = admin
        .post(&format!("/admin/webhooks/{id}/resume"), &[])
        .await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/admin/webhooks?notice=webhook_resumed")
    );
    let arrived = receiver.wait_for("down", 10).await;
    let mut people: Vec<String> = arrived
        .iter()
        .map(|r| {
            r.json()["data"]["person"]["email"]
                .as_str()
                .unwrap_or("none")
                .to_owned()
        })
        .collect();
    people.sort();
    people.dedup();
    assert_eq!(
        people,
        ["none"],
        "this endpoint is not allowed personal data"
    );
    let ids: std::collections::BTreeSet<&str> = arrived.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), 10, "each once");
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(receiver.received().len(), 10, "nothing twice");

    // Removed, it gets nothing more; an unknown endpoint is 404.
    let (status, _) = admin
        .post(&format!("/admin/webhooks/{id}/remove"), &[])
        .await;
    assert_eq!(status, 303);
    assert_eq!(
        admin
            .post(&format!("/admin/webhooks/{id}/remove"), &[])
            .await
            .0,
        404
    );
    register(&site, 11).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(receiver.received().len(), 10);
}
