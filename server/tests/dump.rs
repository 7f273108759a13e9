//! Moving a community from SQLite to PostgreSQL with `convene export` and `convene import`:
//! nothing is lost, ids and secret links keep working. Needs a PostgreSQL server (see
//! `store::test_support`); without one it says that it skipped, and in CI it must run.

mod common;

use common::{TestServer, run_convene};
use store::test_support::TestDatabase;

fn manage_link_in_first_mail(site: &TestServer) -> String {
    let mut files: Vec<_> = std::fs::read_dir(site.mail_dir())
        .expect("mail folder")
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.to_string_lossy().contains("confirm_email"))
        .collect();
    files.sort();
    let raw = std::fs::read(files.first().expect("a confirmation mail")).expect("read mail");
    let message = mail_parser::MessageParser::default()
        .parse(&raw)
        .expect("a MIME message");
    let text = message.body_text(0).expect("a text part").into_owned();
    text.split_whitespace()
        .find(|word| word.contains("/r/") && !word.ends_with("/confirm"))
        .expect("a manage link")
        .to_owned()
}

#[tokio::test]
async fn a_community_moves_from_sqlite_to_postgresql_without_loss() {
    let Some(target) = TestDatabase::postgres("dump_round_trip").await else {
        return;
    };
    let mut site = TestServer::demo_without_registration_limits(&[]);
    if common::on_postgres() {
        // This test starts from SQLite by definition.
        return;
    }
    for n in 0..45 {
        let body = serde_json::json!({ "name": format!("P{n}"), "email": format!("p{n}@example.org"), "consent": true, "answers": { "diet": "vegan" } });
        let (status, _) = site
            .post_json("/api/v1/events/hackathon-3/registrations", &body)
            .await;
        assert_eq!(status, 201);
    }
    // Let the worker write the mails, then stop the site as an operator would.
    for _ in 0..100 {
        let written = std::fs::read_dir(site.mail_dir()).map_or(0, |d| d.count());
        if written >= 45 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let link = manage_link_in_first_mail(&site);
    let path = link
        .split_once("/r/")
        .map(|(_, token)| format!("/r/{token}"))
        .expect("path");
    // A topic and a vote travel too (a vote counts once the address is confirmed).
    let confirmed = site.get(&format!("{path}/confirm")).await;
    assert_eq!(confirmed.status(), 303);
    let proposed = site
        .post_form(&format!("{path}/topics"), &[("title", "Moving clouds")])
        .await;
    assert_eq!(proposed.status(), 303);
    let voted = site
        .post_form(&format!("{path}/topics/1/vote"), &[("vote", "add")])
        .await;
    assert_eq!(voted.status(), 303);
    let sqlite_url = site.database_url();
    let pid = site.pid();
    std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(site.wait_for_exit());
    // A cancelled event travels as cancelled.
    let source = store::Store::connect(&sqlite_url).await.expect("db");
    let series = source
        .all_events()
        .await
        .expect("events")
        .into_iter()
        .find(|e| e.is_series())
        .expect("a series");
    let mut write = source.write_event(series.id).await.expect("lock");
    write
        .mark_cancelled(chrono::Utc::now())
        .await
        .expect("cancel");
    write.commit().await.expect("commit");
    source.close().await;

    let dir = tempfile::tempdir().expect("temp dir");
    let first = dir.path().join("first.json");
    let second = dir.path().join("second.json");
    let first_path = first.to_string_lossy().into_owned();
    let second_path = second.to_string_lossy().into_owned();

    let output = run_convene(&["export", &first_path], &[("DATABASE_URL", &sqlite_url)]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = run_convene(&["import", &first_path], &[("DATABASE_URL", &target.url)]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = run_convene(&["export", &second_path], &[("DATABASE_URL", &target.url)]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let read = |path: &std::path::Path| -> store::Dump {
        serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("a dump")
    };
    let (before, after) = (read(&first), read(&second));
    assert_eq!(before.registrations.len(), 45);
    assert_eq!(before.events.len(), 16);
    assert_eq!((before.topics.len(), before.topic_votes.len()), (4, 1));
    let cancelled = serde_json::to_value(&before.events).expect("json");
    let cancelled = cancelled
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| !e["cancelled_at"].is_null())
        .count();
    assert_eq!(cancelled, 1);
    // PostgreSQL keeps instants to the microsecond.
    let before = to_microseconds(serde_json::to_value(&before).expect("json"));
    let after = serde_json::to_value(&after).expect("json");
    let mut differences = Vec::new();
    differ(&before, &after, "dump", &mut differences);
    assert!(
        differences.is_empty(),
        "the PostgreSQL copy differs: {differences:#?}"
    );

    // Importing twice is refused rather than mixing two communities.
    let again = run_convene(&["import", &first_path], &[("DATABASE_URL", &target.url)]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("empty"));

    // The site runs on the copy: secret links still work and new registrations continue.
    let moved = TestServer::serve_database(&target.url, &[]);
    let (status, html) = moved.text(&path).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("Your registration"));
    let body = serde_json::json!({ "name": "New", "email": "new@example.org", "consent": true });
    let (status, answer) = moved
        .post_json("/api/v1/events/hackathon-3/registrations", &body)
        .await;
    assert_eq!(
        (status, answer["waitlist_position"].as_u64()),
        (201, Some(6))
    );
    let topics: serde_json::Value = moved
        .get("/events/hackathon-3/topics.json")
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(topics["topics"][0]["votes"], 1, "{topics}");
    let proposed = moved
        .post_form(&format!("{path}/topics"), &[("title", "After the move")])
        .await;
    assert_eq!(proposed.status(), 303, "topic ids continue after the copy");
    drop(moved);
    target.finish().await;
}

/// Cuts the fraction of every RFC 3339 instant to six digits, the precision of PostgreSQL.
fn to_microseconds(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(text) => {
            let is_instant = text.len() > 20 && text.ends_with('Z') && text.as_bytes()[10] == b'T';
            match (is_instant, text.split_once('.')) {
                (true, Some((whole, fraction))) => {
                    // Written as chrono writes instants: 0, 3 or 6 fraction digits.
                    let digits = format!("{:0<9}", fraction.trim_end_matches('Z'));
                    let micros = &digits[..6];
                    let shown = match micros {
                        "000000" => String::new(),
                        _ if micros.ends_with("000") => format!(".{}", &micros[..3]),
                        _ => format!(".{micros}"),
                    };
                    Value::String(format!("{whole}{shown}Z"))
                }
                _ => Value::String(text),
            }
        }
        Value::Array(items) => Value::Array(items.into_iter().map(to_microseconds).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, value)| (key, to_microseconds(value)))
                .collect(),
        ),
        other => other,
    }
}

/// The paths at which two JSON documents differ, with both values.
fn differ(a: &serde_json::Value, b: &serde_json::Value, path: &str, out: &mut Vec<String>) {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for key in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                let (left, right) = (
                    &x.get(key).cloned().unwrap_or(Value::Null),
                    &y.get(key).cloned().unwrap_or(Value::Null),
                );
                differ(left, right, &format!("{path}.{key}"), out);
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (left, right)) in x.iter().zip(y).enumerate() {
                differ(left, right, &format!("{path}[{i}]"), out);
            }
        }
        _ if a != b => out.push(format!("{path}: {a} != {b}")),
        _ => {}
    }
}
