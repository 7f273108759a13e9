//! The mail worker: drains the outbox with lettre, over SMTP when `CONVENE_SMTP_URL` is set,
//! otherwise into `.eml` files in `CONVENE_MAIL_DIR`. A mail is marked sent only after the
//! server accepted it; failures are retried with exponential backoff, then kept as failed.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use futures::future::join_all;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use service::metrics::Metrics;
use store::{ClaimedMail, Store};
use tokio::sync::{Notify, watch};

/// Where mails go.
pub enum Transport {
    Smtp(Box<AsyncSmtpTransport<Tokio1Executor>>),
    /// Development default: one `.eml` file per mail.
    Folder(PathBuf),
}

pub struct MailerConfig {
    pub transport: Transport,
    pub from: Mailbox,
    /// The first retry waits this long; each further one twice as long (at most an hour).
    pub retry_base: Duration,
    /// After this many attempts a mail is marked failed.
    pub max_attempts: u32,
    /// Mails sent at the same time, each over a connection of its own from lettre's pool
    /// (which keeps them open for the next ones). lettre sends a message's end in a write of
    /// its own, which waits for the server's delayed acknowledgement (about 40 ms on Linux):
    /// one connection carries about 23 mails a second, whatever the machine.
    pub at_once: usize,
}

/// How long a claimed mail is reserved for this worker before another may take it over.
const LEASE: Duration = Duration::from_secs(120);
/// How often the worker looks for due retries when nobody wakes it.
const POLL: Duration = Duration::from_secs(1);
/// Mails claimed at a time, in mails sent at once: whole rounds, none left half empty.
const ROUNDS_PER_CLAIM: usize = 4;

/// Why one mail could not be sent.
enum SendError {
    /// Worth trying again later (server down, 4xx answer).
    Transient(String),
    /// Will never work (malformed address, 5xx answer).
    Permanent(String),
}

/// Sends due mails until `shutdown` turns true; finishes the mails in hand first.
pub async fn run(
    store: Store,
    config: MailerConfig,
    wakeup: Arc<Notify>,
    metrics: Arc<Metrics>,
    mut shutdown: watch::Receiver<bool>,
) {
    if let Transport::Folder(dir) = &config.transport {
        tracing::info!(folder = %dir.display(), "no CONVENE_SMTP_URL: mails are written as .eml files");
    }
    loop {
        if let Err(error) = drain(&store, &config, &metrics, &shutdown).await {
            tracing::warn!(%error, "mail worker could not read the outbox");
        }
        if !next_round(&wakeup, POLL, &mut shutdown).await {
            break;
        }
    }
    tracing::info!("mail worker stopped");
}

/// Waits for a queue worker's next round: until a commit that queued work wakes it, `poll`
/// passes (retries come due), or it is told to stop; `false` when it is to stop (the mail and
/// the delivery worker alike).
pub(crate) async fn next_round(
    wakeup: &Notify,
    poll: Duration,
    shutdown: &mut watch::Receiver<bool>,
) -> bool {
    if *shutdown.borrow() {
        return false;
    }
    tokio::select! {
        () = wakeup.notified() => {}
        () = tokio::time::sleep(poll) => {}
        _ = shutdown.changed() => {}
    }
    true
}

async fn drain(
    store: &Store,
    config: &MailerConfig,
    metrics: &Metrics,
    shutdown: &watch::Receiver<bool>,
) -> Result<(), store::StoreError> {
    loop {
        let now = Utc::now();
        let lease = chrono::Duration::from_std(LEASE).unwrap_or(chrono::Duration::minutes(2));
        let claim = u32::try_from(config.at_once.max(1) * ROUNDS_PER_CLAIM).unwrap_or(100);
        let batch = store.claim_due_mails(now, now + lease, claim).await?;
        if batch.is_empty() {
            return Ok(());
        }
        let mut batch: VecDeque<ClaimedMail> = batch.into();
        loop {
            let in_hand = next_in_hand(&mut batch, config.at_once);
            if in_hand.is_empty() {
                break;
            }
            let results = join_all(in_hand.iter().map(|mail| send(config, mail))).await;
            let mut sent = Vec::with_capacity(in_hand.len());
            for (mail, result) in in_hand.iter().zip(results) {
                metrics.record_mail(result.is_ok());
                match result {
                    Ok(()) => {
                        tracing::info!(id = mail.id, kind = %mail.kind, to = %mail.recipient, "mail sent");
                        sent.push(mail.id);
                    }
                    Err(error) => record_failure(store, config, mail, error).await?,
                }
            }
            store.mark_mails_sent(&sent, Utc::now()).await?;
            if *shutdown.borrow() {
                // Stopping: the mails in hand are done; give the rest of the batch back.
                for untried in batch {
                    store.release_mail(untried.id).await?;
                }
                return Ok(());
            }
        }
    }
}

/// The mails to send at the same time, from the front of `queued`: at most `at_once`, and
/// never two to the same address, so that each person gets their mails in the order they were
/// queued (a waitlist mail before its promotion).
fn next_in_hand(queued: &mut VecDeque<ClaimedMail>, at_once: usize) -> Vec<ClaimedMail> {
    let mut in_hand: Vec<ClaimedMail> = Vec::with_capacity(at_once);
    while in_hand.len() < at_once.max(1) {
        let Some(next) = queued.front() else { break };
        if in_hand.iter().any(|mail| mail.recipient == next.recipient) {
            break;
        }
        in_hand.extend(queued.pop_front());
    }
    in_hand
}

/// A mail that could not be sent: tried again later, or, when it will never work or ran out of
/// attempts, kept as failed.
async fn record_failure(
    store: &Store,
    config: &MailerConfig,
    mail: &ClaimedMail,
    error: SendError,
) -> Result<(), store::StoreError> {
    match error {
        SendError::Permanent(error) => {
            tracing::error!(id = mail.id, %error, "mail failed for good");
            store.mark_mail_failed(mail.id, &error, None).await
        }
        SendError::Transient(error) => {
            let attempts = u32::try_from(mail.attempts).unwrap_or(u32::MAX);
            let retry_at = (attempts < config.max_attempts)
                .then(|| Utc::now() + backoff(config.retry_base, attempts));
            match retry_at {
                Some(at) => {
                    tracing::warn!(id = mail.id, %error, retry_at = %at, "mail not sent, will retry")
                }
                None => {
                    tracing::error!(id = mail.id, %error, attempts, "mail failed after all attempts")
                }
            }
            store.mark_mail_failed(mail.id, &error, retry_at).await
        }
    }
}

/// `base`, doubled per attempt after the first, at most one hour (mails and webhooks alike).
pub(crate) fn backoff(base: Duration, attempts: u32) -> chrono::Duration {
    let factor = 2u32.saturating_pow(attempts.saturating_sub(1).min(16));
    let wait = base.saturating_mul(factor).min(Duration::from_secs(3600));
    chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(1))
}

async fn send(config: &MailerConfig, mail: &ClaimedMail) -> Result<(), SendError> {
    let message = build_message(config, mail)?;
    match &config.transport {
        Transport::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(|e| {
            if e.is_permanent() {
                SendError::Permanent(e.to_string())
            } else {
                SendError::Transient(e.to_string())
            }
        }),
        Transport::Folder(dir) => {
            let write = async {
                tokio::fs::create_dir_all(dir).await?;
                let path = dir.join(format!("{:06}-{}.eml", mail.id, mail.kind));
                tokio::fs::write(&path, message.formatted()).await?;
                Ok::<_, std::io::Error>(path)
            };
            let path = write.await.map_err(|e| {
                SendError::Transient(format!("cannot write to {}: {e}", dir.display()))
            })?;
            tracing::info!(path = %path.display(), to = %mail.recipient, subject = %mail.subject, "mail written");
            Ok(())
        }
    }
}

fn build_message(config: &MailerConfig, mail: &ClaimedMail) -> Result<Message, SendError> {
    let to: Mailbox = mail
        .recipient
        .parse()
        .map_err(|e| SendError::Permanent(format!("bad recipient {:?}: {e}", mail.recipient)))?;
    let (Some(text), Some(html)) = (&mail.body_text, &mail.body_html) else {
        return Err(SendError::Permanent("the mail has no body".to_owned()));
    };
    let body = match &mail.ticket {
        // The HTML shows the ticket's QR code as `cid:ticket`: an image sent along with it
        // (mail programs rarely show SVG, or images given as data).
        Some(ticket) => {
            let png = service::tickets::qr_png(ticket)
                .ok_or_else(|| SendError::Permanent(format!("no QR code for {ticket:?}")))?;
            let image =
                ContentType::parse("image/png").map_err(|e| SendError::Permanent(e.to_string()))?;
            MultiPart::alternative()
                .singlepart(SinglePart::plain(text.clone()))
                .multipart(
                    MultiPart::related()
                        .singlepart(SinglePart::html(html.clone()))
                        .singlepart(
                            Attachment::new_inline(service::mail::TICKET_IMAGE.to_owned())
                                .body(png, image),
                        ),
                )
        }
        None => MultiPart::alternative_plain_html(text.clone(), html.clone()),
    };
    let body = match &mail.ics {
        Some(ics) => {
            let calendar = ContentType::parse("text/calendar; charset=utf-8; method=PUBLISH")
                .map_err(|e| SendError::Permanent(e.to_string()))?;
            MultiPart::mixed()
                .multipart(body)
                .singlepart(Attachment::new("invite.ics".to_owned()).body(ics.clone(), calendar))
        }
        None => body,
    };
    Message::builder()
        .from(config.from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .multipart(body)
        .map_err(|e| SendError::Permanent(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mails_go_out_several_at_once_but_one_at_a_time_per_address() {
        let mail = |id, recipient: &str| ClaimedMail {
            id,
            kind: "confirm_email".to_owned(),
            recipient: recipient.to_owned(),
            subject: String::new(),
            body_text: None,
            body_html: None,
            ics: None,
            ticket: None,
            attempts: 1,
        };
        let mut queued: VecDeque<ClaimedMail> = (1..=10)
            .map(|id| mail(id, &format!("p{id}@example.org")))
            .collect();
        queued.insert(3, mail(11, "p1@example.org"));
        let ids = |mails: Vec<ClaimedMail>| mails.iter().map(|m| m.id).collect::<Vec<_>>();
        assert_eq!(
            ids(next_in_hand(&mut queued, 8)),
            [1, 2, 3],
            "p1's second mail waits"
        );
        assert_eq!(
            ids(next_in_hand(&mut queued, 8)),
            [11, 4, 5, 6, 7, 8, 9, 10]
        );
        assert!(next_in_hand(&mut queued, 8).is_empty());
    }

    #[test]
    fn backoff_doubles_and_caps_at_an_hour() {
        let base = Duration::from_secs(30);
        let secs = |attempts| backoff(base, attempts).num_seconds();
        assert_eq!([secs(1), secs(2), secs(3), secs(4)], [30, 60, 120, 240]);
        assert_eq!(secs(12), 3600);
        assert_eq!(secs(u32::MAX), 3600);
    }
}
