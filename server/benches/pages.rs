//! Pages and feeds: how many GETs per second convene answers for the pages people open most and
//! for the feeds calendar apps poll, against the ceiling for a GET on the same stack (a bare
//! axum handler answering a fixed page of the home page's size, in this process).
//!
//! Run it with `cargo xtask bench pages` (or `cargo bench -p server --bench pages`; release build).
//!
//! The real `convene` binary serves the demo community from a fresh SQLite file. For each path,
//! [`CONNECTIONS`] clients (keep-alive, no compression asked for) fetch it [`REQUESTS`] times in
//! all, after [`WARM_UP`] requests that are not counted; every answer must be `200`. The report
//! gives requests per second and the share of the bare handler's, and whether `/calendar.ics`
//! reaches 80% of the event page (the feed is cached per data version), and convene's resident
//! memory when idle, after the run and at its peak.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::get;

mod common;
use common::ConveneServer;

const REQUESTS: usize = 4_000;
const WARM_UP: usize = 200;
const CONNECTIONS: usize = 32;
const PATHS: [&str; 5] = [
    "/",
    "/events/hackathon-3",
    "/calendar.ics",
    "/events/scs-community-call/event.ics",
    "/api/v1/events",
];
/// `/calendar.ics` as a share of the event page's requests per second that we aim for.
const FEED_GOAL_PERCENT: f64 = 80.0;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("pages: FAILED: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let client_runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the client runtime: {e}"))?;
    let dir = tempfile::tempdir().map_err(|e| format!("cannot create a temp dir: {e}"))?;
    println!(
        "pages: {REQUESTS} GETs per path over {CONNECTIONS} connections, {} CPUs",
        std::thread::available_parallelism().map_or(1, usize::from)
    );
    let url = format!("sqlite:{}", dir.path().join("pages.db").display());
    let convene = ConveneServer::demo(&url, &[])?;
    // Settled after start-up (the demo data is loaded before it says where it listens).
    std::thread::sleep(Duration::from_secs(1));
    let idle = convene.memory_kib();
    let mut rows = Vec::new();
    for path in PATHS {
        let target = format!("{}{path}", convene.base_url);
        let rate = client_runtime.block_on(hammer(&target))?;
        rows.push((format!("convene {path}"), rate));
    }
    let home = client_runtime.block_on(fetch_text(&format!("{}/", convene.base_url)))?;
    let after = convene.memory_kib();
    drop(convene);

    // The ceiling: a bare axum handler on a runtime of its own, answering the home page's bytes.
    let server_runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the baseline runtime: {e}"))?;
    let bare_url = server_runtime.block_on(start_bare(home))?;
    let bare = client_runtime.block_on(hammer(&bare_url))?;
    server_runtime.shutdown_timeout(Duration::from_secs(5));

    println!();
    println!("| case | requests/s | share of bare |");
    println!("|---|---:|---:|");
    for (label, rate) in &rows {
        println!("| {label} | {rate:.0} | {:.1}% |", 100.0 * rate / bare);
    }
    println!("| baseline (bare axum, a fixed page) | {bare:.0} | 100.0% |");
    let rate_of = |path: &str| {
        rows.iter()
            .find(|(label, _)| label == &format!("convene {path}"))
            .map_or(0.0, |(_, rate)| *rate)
    };
    match (idle, after) {
        (Some((idle, _)), Some((now, peak))) => println!(
            "| convene memory (RSS) | idle {} MiB, after the run {} MiB, peak {} MiB | |",
            idle / 1024,
            now / 1024,
            peak / 1024
        ),
        _ => println!("| convene memory (RSS) | SKIPPED: /proc is not readable here | |"),
    }
    let feed_share = 100.0 * rate_of("/calendar.ics") / rate_of("/events/hackathon-3");
    println!();
    println!(
        "pages: /calendar.ics at {feed_share:.0}% of the event page's requests/s; the goal is \
         {FEED_GOAL_PERCENT:.0}%: {}",
        if feed_share >= FEED_GOAL_PERCENT {
            "met"
        } else {
            "NOT met"
        }
    );
    for path in ["/", "/events/hackathon-3"] {
        common::report_row(
            &format!("pages, GET {path}"),
            &format!("{:.0}/s", rate_of(path)),
            &format!("bare axum, a fixed page: {bare:.0}/s"),
            &format!("{:.0}%", 100.0 * rate_of(path) / bare),
            "(the ceiling of a GET)",
        );
    }
    common::report_row(
        "pages, GET /calendar.ics",
        &format!("{:.0}/s", rate_of("/calendar.ics")),
        &format!("the event page: {:.0}/s", rate_of("/events/hackathon-3")),
        &format!("{feed_share:.0}%"),
        &format!(
            ">= {FEED_GOAL_PERCENT:.0}%: {}",
            common::verdict(feed_share >= FEED_GOAL_PERCENT)
        ),
    );
    match (idle, after) {
        (Some((idle, _)), Some((_, peak))) => common::report_row(
            "memory (RSS) of convene",
            &format!("idle {} MiB, peak {} MiB", idle / 1024, peak / 1024),
            "",
            "",
            "",
        ),
        _ => common::report_row("memory (RSS)", "SKIPPED: /proc is not readable", "", "", ""),
    }
    Ok(())
}

/// GETs `url` [`REQUESTS`] times over [`CONNECTIONS`] connections (after a warm-up); the
/// requests per second. Any answer but 200 fails the run.
async fn hammer(url: &str) -> Result<f64, String> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(CONNECTIONS)
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
    let fetch_many = |count: usize| {
        let client = &client;
        let workers = (0..CONNECTIONS).map(move |worker| async move {
            let mine = count / CONNECTIONS + usize::from(worker < count % CONNECTIONS);
            for _ in 0..mine {
                let response = client
                    .get(url)
                    .send()
                    .await
                    .map_err(|e| format!("GET {url}: {e}"))?;
                let status = response.status().as_u16();
                response
                    .bytes()
                    .await
                    .map_err(|e| format!("GET {url}: {e}"))?;
                if status != 200 {
                    return Err(format!("GET {url} answered {status}"));
                }
            }
            Ok::<(), String>(())
        });
        futures::future::try_join_all(workers)
    };
    fetch_many(WARM_UP).await?;
    let started = Instant::now();
    fetch_many(REQUESTS).await?;
    Ok(REQUESTS as f64 / started.elapsed().as_secs_f64())
}

async fn fetch_text(url: &str) -> Result<String, String> {
    reqwest::get(url)
        .await
        .map_err(|e| format!("GET {url}: {e}"))?
        .text()
        .await
        .map_err(|e| format!("GET {url}: {e}"))
}

/// Serves `page` at `/` on a free port of this runtime; its URL.
async fn start_bare(page: String) -> Result<String, String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| format!("cannot listen: {e}"))?;
    let address = listener
        .local_addr()
        .map_err(|e| format!("no local address: {e}"))?;
    let page: &'static str = page.leak();
    let app = Router::new().route("/", get(move || async move { axum::response::Html(page) }));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(format!("http://{address}/"))
}
