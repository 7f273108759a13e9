//! Mail delivery: how many mails per second convene's mail worker hands to an SMTP server, against
//! the least the same mail library can do.
//!
//! Run it with `cargo xtask bench mail` (or `cargo bench -p server --bench mail`; release build).
//!
//! 1. **convene**: a fresh SQLite database whose outbox holds 10,000 queued mails (a
//!    registration confirmation's size, each to another address); the real `convene` binary
//!    starts on it with `CONVENE_SMTP_URL` pointing at the tests' SMTP server (in this process),
//!    and the clock runs from its start until the server holds all 10,000. The run fails unless
//!    every mail arrived exactly once and the outbox counts every one as sent.
//! 2. **baseline (lettre, pooled)**: the same 10,000 messages sent by lettre's pooled SMTP
//!    transport from this process, [`AT_ONCE`] at a time (convene's default
//!    `CONVENE_SMTP_CONNECTIONS`), to another instance of the same server: no database, no
//!    outbox, the ceiling for the worker.
//!
//! It prints mails per second for each and convene's as a share of the baseline's, and whether
//! convene reaches the goal of 500 mails/s. The figures are reported, not asserted.

use std::collections::HashSet;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use store::OutgoingMail;

mod common;
#[path = "../tests/common/smtp.rs"]
#[allow(dead_code)]
mod smtp;

use common::ConveneServer;
use smtp::SmtpServer;

const MAILS: usize = 10_000;
/// Mails per transaction while filling the outbox.
const QUEUED_PER_COMMIT: usize = 500;
/// The goal of the performance issue.
const GOAL_PER_SECOND: f64 = 500.0;
/// Mails the baseline sends at once, as convene does by default.
const AT_ONCE: usize = 32;
/// The longest a run may take before it counts as failed.
const DEADLINE: Duration = Duration::from_secs(600);

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("mail: FAILED: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start a runtime: {e}"))?;
    let dir = tempfile::tempdir().map_err(|e| format!("cannot create a temp dir: {e}"))?;
    println!(
        "mail: {MAILS} queued mails to an SMTP server on this machine, {} CPUs",
        std::thread::available_parallelism().map_or(1, usize::from)
    );

    let url = format!("sqlite:{}", dir.path().join("mail.db").display());
    runtime.block_on(fill_outbox(&url))?;
    let convene = runtime.block_on(deliver_with_convene(&url))?;
    let baseline = runtime.block_on(deliver_with_lettre())?;

    let rate = |elapsed: Duration| MAILS as f64 / elapsed.as_secs_f64();
    println!();
    println!("| case | mails/s | wall time | share of baseline |");
    println!("|---|---:|---:|---:|");
    for (label, elapsed) in [
        ("convene (SQLite outbox, SMTP)", convene),
        ("baseline (lettre, pooled)", baseline),
    ] {
        println!(
            "| {label} | {:.0} | {:.2} s | {:.1}% |",
            rate(elapsed),
            elapsed.as_secs_f64(),
            100.0 * rate(elapsed) / rate(baseline)
        );
    }
    println!();
    println!(
        "mail: convene delivers {:.0} mails/s; the goal is {GOAL_PER_SECOND:.0}: {}",
        rate(convene),
        if rate(convene) >= GOAL_PER_SECOND {
            "met"
        } else {
            "NOT met"
        }
    );
    common::report_row(
        "mail, delivered once each",
        &format!("{:.0}/s", rate(convene)),
        &format!("lettre, pooled: {:.0}/s", rate(baseline)),
        &format!("{:.0}%", 100.0 * rate(convene) / rate(baseline)),
        &format!(
            ">= {GOAL_PER_SECOND:.0}/s: {}",
            common::verdict(rate(convene) >= GOAL_PER_SECOND)
        ),
    );
    Ok(())
}

/// A mail of a registration confirmation's size to person `n`.
fn outgoing(n: usize) -> OutgoingMail {
    let link = format!("https://events.example.org/r/{n:040}");
    OutgoingMail {
        kind: "confirm_email".to_owned(),
        registration_id: None,
        recipient: format!("person{n}@example.org"),
        subject: "Please confirm your registration for the Mail benchmark".to_owned(),
        body_text: format!(
            "Hello Person {n},\n\nplease confirm your address: {link}\n\n{}",
            "Your seat is held for 48 hours. ".repeat(20)
        ),
        body_html: format!(
            "<p>Hello Person {n},</p><p><a href=\"{link}\">Confirm</a></p><p>{}</p>",
            "Your seat is held for 48 hours. ".repeat(40)
        ),
        ics: None,
        ticket: None,
    }
}

/// A fresh database with one event whose outbox holds [`MAILS`] mails.
async fn fill_outbox(url: &str) -> Result<(), String> {
    let failed = |e: store::StoreError| format!("{url}: {e}");
    let store = store::Store::connect(url).await.map_err(failed)?;
    store.migrate().await.map_err(failed)?;
    let event = common::bench_event("mail", 10)?;
    let id = store
        .insert_event_if_absent(&event)
        .await
        .map_err(failed)?
        .ok_or("the event existed in a fresh database")?;
    let now = chrono::Utc::now();
    for first in (0..MAILS).step_by(QUEUED_PER_COMMIT) {
        let mails: Vec<OutgoingMail> = (first..(first + QUEUED_PER_COMMIT).min(MAILS))
            .map(outgoing)
            .collect();
        let mut write = store.write_event(id).await.map_err(failed)?;
        write.enqueue_mails(&mails, now).await.map_err(failed)?;
        write.commit().await.map_err(failed)?;
    }
    store.close().await;
    Ok(())
}

/// Starts convene on the filled outbox and times it until the SMTP server holds every mail;
/// checks that each arrived once and is logged as sent.
async fn deliver_with_convene(url: &str) -> Result<Duration, String> {
    let smtp = SmtpServer::start().await;
    let started = Instant::now();
    let server = ConveneServer::start(url, &[("CONVENE_SMTP_URL", &smtp.url())])?;
    let elapsed = wait_for_all(&smtp, started).await?;
    // Anything sent twice would arrive in the moments after.
    tokio::time::sleep(Duration::from_secs(2)).await;
    drop(server);
    let received = smtp.received();
    let recipients: HashSet<&str> = received
        .iter()
        .flat_map(|mail| mail.recipients.iter().map(String::as_str))
        .collect();
    if received.len() != MAILS || recipients.len() != MAILS {
        return Err(format!(
            "convene: {} messages to {} addresses arrived, expected {MAILS} each once",
            received.len(),
            recipients.len()
        ));
    }
    let store = store::Store::connect(url)
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    let counts = store
        .outbox_counts()
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    store.close().await;
    if counts != [("sent".to_owned(), MAILS as i64)] {
        return Err(format!(
            "convene: the outbox should count {MAILS} sent: {counts:?}"
        ));
    }
    Ok(elapsed)
}

/// Sends the same messages with lettre's pooled transport, [`AT_ONCE`] at a time, and times it.
async fn deliver_with_lettre() -> Result<Duration, String> {
    let smtp = SmtpServer::start().await;
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&smtp.url())
        .map_err(|e| e.to_string())?
        .pool_config(lettre::transport::smtp::PoolConfig::new().max_size(AT_ONCE as u32))
        .build();
    let from: Mailbox = "convene <events@example.org>"
        .parse()
        .map_err(|e| format!("{e}"))?;
    let messages = (0..MAILS)
        .map(|n| {
            let mail = outgoing(n);
            let to: Mailbox = mail.recipient.parse().map_err(|e| format!("{e}"))?;
            Message::builder()
                .from(from.clone())
                .to(to)
                .subject(mail.subject)
                .multipart(MultiPart::alternative_plain_html(
                    mail.body_text,
                    mail.body_html,
                ))
                .map_err(|e| e.to_string())
        })
        .collect::<Result<Vec<Message>, String>>()?;
    let started = Instant::now();
    for chunk in messages.chunks(AT_ONCE) {
        let sent = futures::future::join_all(chunk.iter().map(|m| transport.send(m.clone()))).await;
        if let Some(Err(error)) = sent.into_iter().find(Result::is_err) {
            return Err(format!("baseline: {error}"));
        }
    }
    let elapsed = wait_for_all(&smtp, started).await?;
    if smtp.count() != MAILS {
        return Err(format!("baseline: {} messages arrived", smtp.count()));
    }
    Ok(elapsed)
}

/// Waits until `smtp` holds [`MAILS`] messages; the time since `started`.
async fn wait_for_all(smtp: &SmtpServer, started: Instant) -> Result<Duration, String> {
    while smtp.count() < MAILS {
        if started.elapsed() > DEADLINE {
            return Err(format!(
                "only {} of {MAILS} mails arrived within {} s",
                smtp.count(),
                DEADLINE.as_secs()
            ));
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    Ok(started.elapsed())
}
