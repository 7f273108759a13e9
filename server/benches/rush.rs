//! The registration rush: how many registrations per second `convene` takes when 2,000 people
//! register for one event at the same moment, on SQLite and on PostgreSQL (one instance and two),
//! compared with the least a web server on the same stack can do (axum + sqlx writing one SQLite
//! row per request).
//!
//! Run it with `cargo xtask bench rush` (or `cargo bench -p server --bench rush`; release build).
//!
//! Every convene case starts from a fresh database holding one event (`rush`: capacity 100,
//! waitlist on, registration open), runs the real `convene` binary on it (each instance on a
//! free port with a mail directory of its own) and fires 2,000 concurrent
//! `POST /api/v1/events/rush/registrations`, spread alternately across the instances. The
//! outcome must be exact: every answer `201`, 100 seats held (`pending_email`) and 1,900 on the
//! waitlist at positions 1..=1900, each once. Any deviation fails the run. The instances are
//! killed right after their burst, before the next case starts.
//!
//! 1. **convene SQLite (1 instance)**: a fresh SQLite file (WAL).
//! 2. **convene PostgreSQL (1 instance)**: a fresh database on the PostgreSQL server of the
//!    tests (`store::test_support::TestDatabase::postgres`: `CONVENE_TEST_PG_URL`, default
//!    `postgres://postgres@127.0.0.1:5432/postgres`), dropped afterwards.
//! 3. **convene PostgreSQL (2 instances)**: the same on another fresh database, shared by two
//!    instances as behind a load balancer.
//!
//!    Without a PostgreSQL server these two rows are reported as skipped and the other cases
//!    still run (under `CI=true`, test_support fails instead).
//! 4. **baseline (axum+sqlx SQLite)**: an in-process axum server on its own runtime whose one
//!    handler parses the same JSON body and inserts one row into a SQLite table (pool and
//!    pragmas as in `store::Store::connect`), hit by the same 2,000 concurrent requests.
//!
//! For each it prints registrations per second (requests / wall time of the whole burst), the
//! p50 and p99 latency of a request, the wall time and the throughput as a share of the
//! baseline's, then whether convene on SQLite meets the goal (with group commit: at least the
//! baseline's registrations/s). The figures are reported, not asserted: only the correctness
//! checks make the run fail.
//!
//! All 2,000 requests come from one address, so the servers it starts run with the
//! registration limits off ([`NO_REGISTRATION_LIMITS`]), and the report says so.

use std::process::ExitCode;
use std::str::FromStr;
use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use serde_json::{Value, json};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use store::test_support::TestDatabase;

mod common;
use common::ConveneServer;
use tokio::runtime::Runtime;

/// Concurrent registrations per burst.
const REQUESTS: usize = 2_000;
/// Seats of the benchmark event; everyone else lands on the waitlist.
const CAPACITY: usize = 100;
const SLUG: &str = "rush";
const REGISTER_PATH: &str = "/api/v1/events/rush/registrations";
/// convene's registrations/s on SQLite as a share of the baseline's that we aim for
/// (informational).
const GOAL_PERCENT: f64 = 100.0;
/// Generous: under a rush the last requests wait for all the ones before them.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(300);

/// The settings that turn convene's registration limits off: the burst comes from one address
/// and would otherwise be refused after 30 (and that is not what this measures).
const NO_REGISTRATION_LIMITS: [(&str, &str); 3] = [
    ("CONVENE_REGISTRATION_LIMIT_PER_CLIENT", "0"),
    ("CONVENE_REGISTRATION_LIMIT_PER_EMAIL", "0"),
    ("CONVENE_RESEND_INTERVAL_SECONDS", "0"),
];

/// The rows of the report.
const SQLITE_ONE: &str = "convene SQLite (1 instance)";
const POSTGRES_ONE: &str = "convene PostgreSQL (1 instance)";
const POSTGRES_TWO: &str = "convene PostgreSQL (2 instances)";
const BASELINE: &str = "baseline (axum+sqlx SQLite)";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("rush: FAILED: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    // The client side: one runtime that prepares the databases and fires the bursts.
    let client_runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the client runtime: {e}"))?;
    let dir = tempfile::tempdir().map_err(|e| format!("cannot create a temp dir: {e}"))?;

    println!(
        "rush: {REQUESTS} concurrent POST {REGISTER_PATH} (capacity {CAPACITY}, waitlist on), \
         SQLite WAL and PostgreSQL, {} CPUs",
        std::thread::available_parallelism().map_or(1, usize::from)
    );
    println!(
        "rush: registration limits are OFF in the convene servers it starts ({}): every request \
         comes from this one address",
        NO_REGISTRATION_LIMITS
            .iter()
            .map(|(var, value)| format!("{var}={value}"))
            .collect::<Vec<_>>()
            .join(" ")
    );

    // 1. convene, the real binary, on a fresh SQLite file with the one event.
    let sqlite_url = format!("sqlite:{}", dir.path().join("bench.db").display());
    client_runtime.block_on(prepare_sqlite_database(&sqlite_url))?;
    let sqlite = rush_convene(&client_runtime, SQLITE_ONE, &sqlite_url, 1)?;

    // 2. and 3. convene on PostgreSQL, one instance and then two, each case on a fresh database.
    let postgres_one = rush_convene_on_postgres(&client_runtime, POSTGRES_ONE, "rush_pg1", 1)?;
    let postgres_two = match postgres_one {
        Some(_) => rush_convene_on_postgres(&client_runtime, POSTGRES_TWO, "rush_pg2", 2)?,
        None => None,
    };
    if postgres_two.is_none() {
        println!(
            "rush: PostgreSQL is unreachable: SKIPPED the PostgreSQL rows \
             (SQLite and the baseline are still measured)"
        );
    }

    // 4. The baseline: bare axum + sqlx in this process, on a runtime of its own.
    let server_runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the baseline runtime: {e}"))?;
    let baseline_url = format!("sqlite:{}", dir.path().join("baseline.db").display());
    let (baseline_base, pool) = server_runtime.block_on(start_baseline(&baseline_url))?;
    let baseline = client_runtime.block_on(burst(&[format!("{baseline_base}/registrations")]))?;
    let stored = server_runtime.block_on(async {
        let rows: Result<(i64,), sqlx::Error> =
            sqlx::query_as("SELECT COUNT(*) FROM registrations")
                .fetch_one(&pool)
                .await;
        pool.close().await;
        rows
    });
    server_runtime.shutdown_timeout(Duration::from_secs(5));
    check_baseline_outcome(&baseline.answers, stored)?;

    print_report(
        &sqlite,
        postgres_one.as_ref(),
        postgres_two.as_ref(),
        &baseline,
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// convene

/// Inserts the `rush` event into a fresh, migrated database.
async fn insert_rush_event(store: &store::Store) -> Result<(), String> {
    let inserted = store
        .insert_event_if_absent(&common::bench_event(SLUG, CAPACITY as u32)?)
        .await
        .map_err(|e| format!("cannot insert the event: {e}"))?;
    match inserted {
        Some(_) => Ok(()),
        None => Err(format!(
            "event {SLUG:?} already existed in a fresh database"
        )),
    }
}

/// Creates the SQLite file, applies the migrations and inserts the `rush` event.
async fn prepare_sqlite_database(url: &str) -> Result<(), String> {
    let store = store::Store::connect(url)
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    store.migrate().await.map_err(|e| format!("{url}: {e}"))?;
    let inserted = insert_rush_event(&store).await;
    store.close().await;
    inserted
}

/// The rush on a fresh PostgreSQL database (migrated by `TestDatabase`, then given the `rush`
/// event), which is dropped afterwards, also when the run fails. `None` when no PostgreSQL
/// server answers.
fn rush_convene_on_postgres(
    runtime: &Runtime,
    label: &str,
    database: &str,
    instances: usize,
) -> Result<Option<Burst>, String> {
    let Some(db) = runtime.block_on(TestDatabase::postgres(database)) else {
        return Ok(None);
    };
    let outcome = runtime
        .block_on(insert_rush_event(&db.store))
        .map_err(|e| format!("{label}: {e}"))
        .and_then(|()| rush_convene(runtime, label, &db.url, instances));
    runtime.block_on(db.finish());
    outcome.map(Some)
}

/// Starts `instances` convene servers on `database_url` (which holds the fresh `rush` event),
/// fires one burst spread alternately across them, stops them and checks the outcome.
fn rush_convene(
    runtime: &Runtime,
    label: &str,
    database_url: &str,
    instances: usize,
) -> Result<Burst, String> {
    let labelled = |e: String| format!("{label}: {e}");
    let servers = (0..instances)
        .map(|_| ConveneServer::start(database_url, &NO_REGISTRATION_LIMITS))
        .collect::<Result<Vec<_>, _>>()
        .map_err(labelled)?;
    let urls: Vec<String> = servers
        .iter()
        .map(|server| format!("{}{REGISTER_PATH}", server.base_url))
        .collect();
    let burst = runtime.block_on(burst(&urls));
    // Stop them before the next case runs: their mail workers would keep writing 2,000 mails.
    drop(servers);
    let burst = burst.map_err(labelled)?;
    check_convene_outcome(&burst.answers).map_err(labelled)?;
    Ok(burst)
}

/// Checks the exact outcome of the rush: all acknowledged, no overbooking, a gap-free waitlist.
fn check_convene_outcome(answers: &[Answer]) -> Result<(), String> {
    let mut problems = Vec::new();
    let not_created: Vec<&Answer> = answers.iter().filter(|a| a.status != 201).collect();
    if let Some(first) = not_created.first() {
        problems.push(format!(
            "{} answers were not 201 (first: {} {})",
            not_created.len(),
            first.status,
            first.body
        ));
    }
    let mut seated = 0;
    let mut positions = Vec::new();
    for answer in answers.iter().filter(|a| a.status == 201) {
        let body: Value = serde_json::from_str(&answer.body).unwrap_or(Value::Null);
        match (body["status"].as_str(), body["waitlist_position"].as_u64()) {
            (Some("pending_email"), None) => seated += 1,
            (Some("waitlisted"), Some(position)) => positions.push(position),
            _ => problems.push(format!("unexpected answer {}", answer.body)),
        }
    }
    if seated != CAPACITY {
        problems.push(format!("{seated} seats held, expected {CAPACITY}"));
    }
    let waitlist = REQUESTS - CAPACITY;
    positions.sort_unstable();
    let expected: Vec<u64> = (1..=waitlist as u64).collect();
    if positions != expected {
        positions.dedup();
        problems.push(format!(
            "waitlist positions are not exactly 1..={waitlist} once each \
             ({} distinct positions, {} answers)",
            positions.len(),
            answers.len() - seated
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

// ---------------------------------------------------------------------------------------------
// The baseline

/// The registration body as convene's API takes it.
#[derive(serde::Deserialize)]
struct Person {
    name: String,
    email: String,
    consent: bool,
}

/// Opens a fresh SQLite file exactly as `store::Store::connect` does, creates one table and
/// serves `POST /registrations` on a free port of this runtime. Returns the base URL.
async fn start_baseline(url: &str) -> Result<(String, SqlitePool), String> {
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|e| format!("{url}: {e}"))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10));
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    sqlx::raw_sql(
        "CREATE TABLE registrations (
             id INTEGER PRIMARY KEY,
             name TEXT NOT NULL,
             email TEXT NOT NULL UNIQUE,
             consent BOOLEAN NOT NULL,
             created_at TEXT NOT NULL
         )",
    )
    .execute(&pool)
    .await
    .map_err(|e| format!("cannot create the baseline table: {e}"))?;

    let router = axum::Router::new()
        .route("/registrations", post(baseline_register))
        .with_state(pool.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| format!("cannot listen for the baseline: {e}"))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot listen for the baseline: {e}"))?;
    tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, router).await {
            eprintln!("rush: baseline server stopped: {error}");
        }
    });
    Ok((format!("http://{addr}"), pool))
}

/// Inserts one row per request and answers 201 with its id.
async fn baseline_register(
    State(pool): State<SqlitePool>,
    Json(person): Json<Person>,
) -> (StatusCode, Json<Value>) {
    let inserted = sqlx::query(
        "INSERT INTO registrations (name, email, consent, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(person.name)
    .bind(person.email)
    .bind(person.consent)
    .bind(chrono::Utc::now())
    .execute(&pool)
    .await;
    match inserted {
        Ok(done) => (
            StatusCode::CREATED,
            Json(json!({ "id": done.last_insert_rowid() })),
        ),
        Err(error) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(json!({ "error": error.to_string() })),
        ),
    }
}

/// The baseline must have acknowledged and stored every request, or its figures mean nothing.
fn check_baseline_outcome(
    answers: &[Answer],
    stored: Result<(i64,), sqlx::Error>,
) -> Result<(), String> {
    if let Some(bad) = answers.iter().find(|a| a.status != 201) {
        let count = answers.iter().filter(|a| a.status != 201).count();
        return Err(format!(
            "baseline: {count} answers were not 201 (first: {} {})",
            bad.status, bad.body
        ));
    }
    match stored {
        Ok((rows,)) if rows == REQUESTS as i64 => Ok(()),
        Ok((rows,)) => Err(format!("baseline: {rows} rows stored, expected {REQUESTS}")),
        Err(error) => Err(format!("baseline: cannot count the rows: {error}")),
    }
}

// ---------------------------------------------------------------------------------------------
// The burst and the report

/// One request's answer and how long it took (from sending to the whole body read).
struct Answer {
    status: u16,
    body: String,
    latency: Duration,
}

/// The answers of one burst, in request order, and its wall time.
struct Burst {
    answers: Vec<Answer>,
    wall: Duration,
}

/// The JSON body of person `n`.
fn person(n: usize) -> Value {
    json!({ "name": format!("Person {n}"), "email": format!("person{n}@example.org"), "consent": true })
}

/// Fires [`REQUESTS`] registrations all at once over one client, request `n` at
/// `urls[n % urls.len()]`, and waits for all.
async fn burst(urls: &[String]) -> Result<Burst, String> {
    if urls.is_empty() {
        return Err("no server to send the burst to".to_owned());
    }
    let client = reqwest::Client::builder()
        .timeout(REQUEST_TIMEOUT)
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
    // Bodies are built before the clock starts.
    let bodies: Vec<Value> = (0..REQUESTS).map(person).collect();
    let requests = bodies.iter().enumerate().map(|(n, body)| {
        let client = &client;
        let url = &urls[n % urls.len()];
        async move {
            let sent = Instant::now();
            let response = client.post(url).json(body).send().await?;
            let status = response.status().as_u16();
            let body = response.text().await?;
            Ok::<Answer, reqwest::Error>(Answer {
                status,
                body,
                latency: sent.elapsed(),
            })
        }
    });
    let started = Instant::now();
    let results = futures::future::join_all(requests).await;
    let wall = started.elapsed();
    let mut answers = Vec::with_capacity(results.len());
    for (n, result) in results.into_iter().enumerate() {
        let url = &urls[n % urls.len()];
        answers.push(result.map_err(|e| format!("POST {url} (person {n}): {e}"))?);
    }
    Ok(Burst { answers, wall })
}

/// Throughput and latency of one burst.
struct Figures {
    per_second: f64,
    p50: Duration,
    p99: Duration,
    wall: Duration,
}

impl Figures {
    fn of(burst: &Burst) -> Figures {
        let mut latencies: Vec<Duration> = burst.answers.iter().map(|a| a.latency).collect();
        latencies.sort_unstable();
        Figures {
            per_second: burst.answers.len() as f64 / burst.wall.as_secs_f64(),
            p50: percentile(&latencies, 50.0),
            p99: percentile(&latencies, 99.0),
            wall: burst.wall,
        }
    }
}

/// The nearest-rank percentile of sorted values (zero for none).
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// One table: a row per case (skipped PostgreSQL cases say so), then the goal for SQLite.
fn print_report(
    sqlite: &Burst,
    postgres_one: Option<&Burst>,
    postgres_two: Option<&Burst>,
    baseline: &Burst,
) {
    let sqlite = Figures::of(sqlite);
    let postgres_one = postgres_one.map(Figures::of);
    let postgres_two = postgres_two.map(Figures::of);
    let baseline = Figures::of(baseline);
    let waitlisted = REQUESTS - CAPACITY;
    println!(
        "outcome of every convene case: {REQUESTS} x 201, {CAPACITY} pending_email, \
         {waitlisted} waitlisted at positions 1..={waitlisted} (ok)"
    );
    println!();
    println!(
        "{:<32} {:>16} {:>10} {:>10} {:>8} {:>13}",
        "", "registrations/s", "p50 ms", "p99 ms", "wall s", "% of baseline"
    );
    let rows = [
        (SQLITE_ONE, Some(&sqlite)),
        (POSTGRES_ONE, postgres_one.as_ref()),
        (POSTGRES_TWO, postgres_two.as_ref()),
        (BASELINE, Some(&baseline)),
    ];
    for (name, figures) in rows {
        match figures {
            Some(figures) => println!(
                "{:<32} {:>16.1} {:>10.1} {:>10.1} {:>8.2} {:>12.1}%",
                name,
                figures.per_second,
                millis(figures.p50),
                millis(figures.p99),
                figures.wall.as_secs_f64(),
                100.0 * figures.per_second / baseline.per_second
            ),
            None => println!("{name:<32} skipped: no PostgreSQL server"),
        }
    }
    println!();
    let ratio = 100.0 * sqlite.per_second / baseline.per_second;
    let verdict = if ratio >= GOAL_PERCENT {
        "met"
    } else {
        "NOT met"
    };
    println!(
        "convene SQLite / baseline: {ratio:.1}% of the baseline's registrations/s \
         (goal >= {GOAL_PERCENT:.0}%: {verdict})"
    );
    let rate = |f: &Figures| format!("{:.0}/s, p99 {:.0} ms", f.per_second, millis(f.p99));
    let share = |f: &Figures, of: &Figures| format!("{:.0}%", 100.0 * f.per_second / of.per_second);
    common::report_row(
        "rush, SQLite (no 5xx)",
        &rate(&sqlite),
        &format!("bare axum + SQLite: {}", rate(&baseline)),
        &share(&sqlite, &baseline),
        &format!(
            ">= {GOAL_PERCENT:.0}%, p99 at most the baseline's: {}",
            common::verdict(ratio >= GOAL_PERCENT && sqlite.p99 <= baseline.p99)
        ),
    );
    match (&postgres_one, &postgres_two) {
        (Some(one), Some(two)) => {
            common::report_row(
                "rush, PostgreSQL, 1 instance (no 5xx)",
                &rate(one),
                "the SQLite baseline",
                &share(one, &baseline),
                "no 5xx: met",
            );
            common::report_row(
                "rush, PostgreSQL, 2 instances (no 5xx)",
                &rate(two),
                "1 instance",
                &share(two, one),
                &format!(
                    ">= 100%: {}",
                    common::verdict(two.per_second >= one.per_second)
                ),
            );
        }
        _ => common::report_row(
            "rush, PostgreSQL",
            "SKIPPED: no PostgreSQL server",
            "",
            "",
            "",
        ),
    }
}
