//! The OpenAPI document (`/api/v1/openapi.json`) against the real binary: it names every
//! `/api/v1` route and every webhook message type, passes Redocly CLI's lint (npm, from
//! end2end's lockfile), and each answer the API gives here, of every route and status, fits the
//! schema the document gives for it (PyPI `jsonschema`).

mod common;

use std::collections::BTreeSet;
use std::process::Command;

use common::openapi::{Case, answer_schema, document, problems};
use common::{TestServer, workspace_root};
use serde_json::{Value, json};

/// Lints the document with Redocly CLI and the project's rules (`end2end/redocly.yaml`);
/// without the npm packages the check says SKIPPED (and fails in CI).
fn lint(document: &Value) {
    let end2end = workspace_root().join("end2end");
    let redocly = end2end.join("node_modules").join(".bin").join("redocly");
    if !redocly.exists() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "Redocly CLI is missing: run the tests with `cargo xtask test` (npm ci in end2end/)"
        );
        eprintln!("SKIPPED: the OpenAPI lint (no end2end/node_modules: run `npm ci` there)");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, document.to_string()).expect("write the document");
    let output = Command::new(&redocly)
        .arg("lint")
        .arg(&file)
        .arg("--config")
        .arg(end2end.join("redocly.yaml"))
        .output()
        .expect("run redocly");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "redocly lint: {report}");
    assert!(report.contains("Your API description is valid"), "{report}");
}

/// `method` at `path` with `body` (JSON text), the status and the answer as JSON.
async fn call(site: &TestServer, method: &str, path: &str, body: Option<String>) -> (u16, Value) {
    let client = TestServer::client();
    let request = match body {
        Some(body) => client
            .post(site.url(path))
            .header("content-type", "application/json")
            .body(body),
        None => client.get(site.url(path)),
    };
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    let json = serde_json::from_str(&text).unwrap_or_else(|_| panic!("{path}: not JSON: {text}"));
    (status, json)
}

#[tokio::test]
async fn the_document_passes_the_lint_and_every_answer_fits_its_schema() {
    let site = TestServer::demo_without_registration_limits(&[]);
    let document = document(&site).await;
    assert_eq!(document["openapi"], "3.1.0");
    assert_eq!(document["servers"][0]["url"], site.base_url.as_str());
    let paths: BTreeSet<&str> = document["paths"]
        .as_object()
        .expect("paths")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        paths,
        BTreeSet::from([
            "/api/v1/events",
            "/api/v1/events/{slug}",
            "/api/v1/events/{slug}/registrations",
            "/api/v1/events/{slug}/topics",
        ]),
        "every route of the JSON API"
    );
    let webhooks: BTreeSet<&str> = document["webhooks"]
        .as_object()
        .expect("webhooks")
        .keys()
        .map(String::as_str)
        .collect();
    let kinds: BTreeSet<&str> = domain::webhooks::WebhookKind::ALL
        .iter()
        .map(|kind| kind.as_str())
        .collect();
    assert_eq!(webhooks, kinds, "every webhook message type");
    lint(&document);

    let person = |email: &str| {
        json!({ "name": "Ada Lovelace", "email": email, "organisation": "OSBA",
                "consent": true, "locale": "de" })
        .to_string()
    };
    let registrations = "/api/v1/events/{slug}/registrations";
    let calls: Vec<(&str, &str, String, Option<String>)> = vec![
        ("get", "/api/v1/events", "/api/v1/events".into(), None),
        (
            "get",
            "/api/v1/events/{slug}",
            "/api/v1/events/hackathon-3".into(),
            None,
        ),
        (
            "get",
            "/api/v1/events/{slug}",
            "/api/v1/events/scs-community-call".into(),
            None,
        ),
        (
            "get",
            "/api/v1/events/{slug}",
            "/api/v1/events/no-such-event".into(),
            None,
        ),
        (
            "get",
            "/api/v1/events/{slug}/topics",
            "/api/v1/events/hackathon-3/topics".into(),
            None,
        ),
        (
            "get",
            "/api/v1/events/{slug}/topics",
            "/api/v1/events/scs-community-call/topics".into(),
            None,
        ),
        (
            "post",
            registrations,
            "/api/v1/events/hackathon-3/registrations".into(),
            Some(person("openapi@example.org")),
        ),
        (
            "post",
            registrations,
            "/api/v1/events/hackathon-3/registrations".into(),
            Some(person("openapi@example.org")),
        ),
        (
            "post",
            registrations,
            "/api/v1/events/hackathon-3/registrations".into(),
            Some(json!({ "name": "", "email": "not-an-address" }).to_string()),
        ),
        (
            "post",
            registrations,
            "/api/v1/events/hackathon-3/registrations".into(),
            Some("{ not json".into()),
        ),
        (
            "post",
            registrations,
            "/api/v1/events/hackathon-3/registrations".into(),
            Some(format!("\"{}\"", "a".repeat(70_000))),
        ),
        (
            "post",
            registrations,
            "/api/v1/events/scs-community-call/registrations".into(),
            Some(person("call@example.org")),
        ),
        (
            "post",
            registrations,
            "/api/v1/events/no-such-event/registrations".into(),
            Some(person("nobody@example.org")),
        ),
    ];
    let mut cases = Vec::new();
    let mut statuses = BTreeSet::new();
    for (method, template, path, body) in calls {
        let (status, answer) = call(&site, method, &path, body).await;
        statuses.insert((template, status));
        cases.push(Case {
            name: format!("{method} {path} {status}"),
            schema: answer_schema(&document, (method, template), status),
            body: answer,
        });
    }
    for expected in [
        ("/api/v1/events", 200),
        ("/api/v1/events/{slug}", 200),
        ("/api/v1/events/{slug}", 404),
        ("/api/v1/events/{slug}/topics", 200),
        ("/api/v1/events/{slug}/topics", 404),
        (registrations, 201),
        (registrations, 400),
        (registrations, 404),
        (registrations, 409),
        (registrations, 413),
        (registrations, 422),
    ] {
        assert!(
            statuses.contains(&expected),
            "{expected:?} among {statuses:?}"
        );
    }
    // The check finds what does not fit: an agenda whose events are not a list.
    cases.push(Case {
        name: "a wrong answer".into(),
        schema: answer_schema(&document, ("get", "/api/v1/events"), 200),
        body: json!({ "events": "none" }),
    });
    let Some(found) = problems(&document, &cases) else {
        return;
    };
    for (case, problems) in cases.iter().zip(&found) {
        if case.name == "a wrong answer" {
            assert!(
                !problems.is_empty(),
                "the validator let a wrong answer through"
            );
        } else {
            assert!(
                problems.is_empty(),
                "{}: {problems:?}\n{}",
                case.name,
                case.body
            );
        }
    }
}
