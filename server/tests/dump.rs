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
    common::manage_link_in(files.first().expect("a confirmation mail"))
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
    let confirmed = site.post_form(&format!("{path}/confirm"), &[]).await;
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
    let output = run_convene(
        &["import", "--with-organizers", &first_path],
        &[("DATABASE_URL", &target.url)],
    );
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
    assert_eq!(before.events.len(), 17);
    assert_eq!((before.topics.len(), before.topic_votes.len()), (4, 1));
    let cancelled = serde_json::to_value(&before.events).expect("json");
    let cancelled = cancelled
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| !e["cancelled_at"].is_null())
        .count();
    assert_eq!(cancelled, 1);
    // The community call's agenda: the demo's sections and the seed deck's items.
    assert_eq!(
        before.call_sections.len(),
        10,
        "seven demo sections, three from the deck"
    );
    assert!(before.call_items.len() > 17, "{}", before.call_items.len());
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
    let again = run_convene(
        &["import", "--with-organizers", &first_path],
        &[("DATABASE_URL", &target.url)],
    );
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
    let (status, call) = moved.text("/events/scs-community-call/2023-10-19").await;
    assert_eq!(status, 200);
    assert!(
        call.contains("keycloak container with home-idp-discovery overlay"),
        "{call}"
    );
    let proposed = moved
        .post_form(&format!("{path}/topics"), &[("title", "After the move")])
        .await;
    assert_eq!(proposed.status(), 303, "topic ids continue after the copy");
    drop(moved);
    target.finish().await;
}

/// The mode bits of a file.
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777
}

/// The demo community with one organizer, exported to `dir/community.json` (as JSON).
async fn demo_dump(dir: &std::path::Path) -> serde_json::Value {
    let source_url = format!("sqlite:{}", dir.join("source.db").display());
    let source = store::Store::connect(&source_url).await.expect("source db");
    source.migrate().await.expect("migrate");
    store::load_demo(&source, chrono::Utc::now().date_naive())
        .await
        .expect("demo");
    source.close().await;
    let created = run_convene(
        &["admin", "create", "--email", "organizer@example.org"],
        &[
            ("DATABASE_URL", &source_url),
            ("CONVENE_ADMIN_PASSWORD", "a long enough password"),
        ],
    );
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let file = dir.join("community.json");
    let exported = run_convene(
        &["export", &file.to_string_lossy()],
        &[("DATABASE_URL", &source_url)],
    );
    assert!(
        exported.status.success(),
        "{}",
        String::from_utf8_lossy(&exported.stderr)
    );
    assert_eq!(mode(&file), 0o600, "an export is for its owner's eyes only");
    serde_json::from_str(&std::fs::read_to_string(&file).expect("read")).expect("JSON")
}

/// Imports `dump` into the SQLite database at `url`; the exit status and stderr.
fn import(
    dir: &std::path::Path,
    url: &str,
    dump: &serde_json::Value,
    flags: &[&str],
) -> (bool, String) {
    let file = dir.join("edited.json");
    std::fs::write(&file, dump.to_string()).expect("write");
    let file = file.to_string_lossy().into_owned();
    let mut args = vec!["import"];
    args.extend_from_slice(flags);
    args.push(&file);
    let output = run_convene(&args, &[("DATABASE_URL", url)]);
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn edited(
    dump: &serde_json::Value,
    edit: impl FnOnce(&mut serde_json::Value),
) -> serde_json::Value {
    let mut copy = dump.clone();
    edit(&mut copy);
    copy
}

fn hackathon(dump: &mut serde_json::Value) -> &mut serde_json::Value {
    dump["events"]
        .as_array_mut()
        .expect("events")
        .iter_mut()
        .find(|e| e["slug"] == "hackathon-3")
        .expect("the demo hackathon")
}

#[tokio::test]
async fn an_edited_dump_is_refused_whole_with_the_row_and_field_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let dump = demo_dump(dir.path()).await;
    let target = dir.path().join("target.db");
    let target_url = format!("sqlite:{}", target.display());
    let refusals = [
        (
            edited(&dump, |d| {
                hackathon(d)["online_url"] = "javascript:alert(document.domain)".into()
            }),
            "field online_url",
        ),
        (
            edited(&dump, |d| {
                hackathon(d)["confirmation_hours"] = 100_000_000_000_i64.into()
            }),
            "field confirmation_hours",
        ),
        (
            edited(&dump, |d| {
                hackathon(d)["starts_at"] = "+99999-01-01T09:00:00Z".into()
            }),
            "field starts_at",
        ),
        (
            edited(&dump, |d| {
                let person = serde_json::json!({
                    "id": 1, "event_id": hackathon(d)["id"], "name": "Mallory",
                    "email": "not an address", "email_normalized": "not an address",
                    "organisation": null, "notes": null, "answers": "{}", "locale": "en",
                    "status": "confirmed", "token_hash": "0".repeat(64), "waitlist_seq": null,
                    "hold_expires_at": null, "email_confirmed_at": null,
                    "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"
                });
                d["registrations"]
                    .as_array_mut()
                    .expect("registrations")
                    .push(person);
            }),
            "registrations row with id 1, field email",
        ),
    ];
    for (dump, field) in &refusals {
        let (imported, said) = import(dir.path(), &target_url, dump, &["--with-organizers"]);
        assert!(!imported, "refused: {field}");
        assert!(
            said.contains("nothing imported") && said.contains(field),
            "{field}: {said}"
        );
    }
    // An extra organizer (with a valid hash) is refused without the flag, like any organizer.
    let extra = edited(&dump, |d| {
        let mut mallory = d["organizers"][0].clone();
        mallory["id"] = 99.into();
        mallory["email"] = "mallory@example.org".into();
        mallory["email_normalized"] = "mallory@example.org".into();
        d["organizers"]
            .as_array_mut()
            .expect("organizers")
            .push(mallory);
    });
    let (imported, said) = import(dir.path(), &target_url, &extra, &[]);
    assert!(!imported);
    assert!(said.contains("--with-organizers"), "{said}");

    let target_store = store::Store::connect(&target_url).await.expect("target");
    assert!(
        target_store.all_events().await.expect("events").is_empty(),
        "nothing imported"
    );
    target_store.close().await;
    assert_eq!(
        mode(&target),
        0o600,
        "the database is for its owner's eyes only"
    );

    // Taken along on purpose, the organizers come too, and the database files stay private.
    let (imported, said) = import(dir.path(), &target_url, &extra, &["--with-organizers"]);
    assert!(imported, "{said}");
    let target_store = store::Store::connect(&target_url).await.expect("target");
    let copy = target_store.export().await.expect("export");
    assert_eq!(copy.organizers.len(), 2);
    assert!(!copy.events.is_empty());
    target_store.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let file = dir.path().join(format!("target.db{suffix}"));
        if file.exists() {
            assert_eq!(mode(&file), 0o600, "{}", file.display());
        }
    }
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
