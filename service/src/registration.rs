//! The registration flow: register, confirm, cancel, expire unconfirmed holds, promote from the
//! waitlist. Each change runs in one [`store::EventWrite`] transaction that also queues its
//! mails; the domain decides who gets a seat.

use std::collections::HashSet;
use std::net::IpAddr;

use chrono::{DateTime, Utc};
use domain::audit::{AuditAction, EventChange};
use domain::rate::Rule;
use domain::registration::{admit, promotions};
use domain::webhooks::WebhookKind;
use domain::{
    Admission, EmailAddress, Event, EventSlug, LinkError, RegisterError, RegistrationForm,
    RegistrationStatus, Window,
};
use store::{Actor, EventWrite, LogLine, NewRegistration, Registration, StoreError};

use crate::Services;
use crate::mail::{MailKind, Recipient};
use crate::queue::{Applicant, Job, Outcome};
use crate::token::{SecretToken, hash_token};
use crate::webhooks;

/// Where a new registration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Admitted {
    pub status: RegistrationStatus,
    pub waitlist_position: Option<u32>,
    /// Until when a held seat waits for the address to be confirmed.
    pub hold_until: Option<DateTime<Utc>>,
}

/// What "send the mail again" did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SentAgain {
    /// A mail with a new link is on its way (earlier links keep working).
    Sent,
    /// A link went out a short while ago; the next may go at `at`.
    TooSoon { at: DateTime<Utc> },
    /// Nobody with this address stands registered for the event.
    NotRegistered,
}

pub(crate) fn new_token() -> Result<SecretToken, StoreError> {
    SecretToken::generate().map_err(random_source_failed)
}

fn new_ticket_code() -> Result<domain::tickets::TicketCode, StoreError> {
    crate::token::new_ticket_code().map_err(random_source_failed)
}

fn random_source_failed(e: getrandom::Error) -> StoreError {
    StoreError::Corrupt {
        what: "random source",
        detail: e.to_string(),
    }
}

/// Registers a person for the event at `slug`, asked from `client` (the request's address).
pub async fn register(
    ctx: &Services,
    slug: &EventSlug,
    form: &RegistrationForm,
    client: Option<IpAddr>,
    now: DateTime<Utc>,
) -> Result<Admitted, RegisterError> {
    let outcome = register_inner(ctx, slug, form, client, now).await;
    ctx.metrics.record_registration(match &outcome {
        Ok(admitted) => admitted.status.as_str(),
        Err(error) => error.outcome(),
    });
    outcome
}

/// Counts a registration for `email` from `client` against the limits of the settings; how long
/// to wait when one of them is used up (then nothing is counted).
fn admit_registration(
    ctx: &Services,
    email: &EmailAddress,
    client: Option<IpAddr>,
    now: DateTime<Utc>,
) -> Result<(), RegisterError> {
    let limits = ctx.registration_limits;
    let per_client = client
        .zip(limits.per_client)
        .map(|(address, rule)| (format!("registration:client:{address}"), Rule::from(rule)));
    let per_email = limits.per_email.map(|rule| {
        (
            format!("registration:email:{}", email.normalized()),
            Rule::from(rule),
        )
    });
    let keys: Vec<(String, Rule)> = per_client.into_iter().chain(per_email).collect();
    ctx.rate_limits
        .attempt(&keys, now)
        .map_err(|wait| RegisterError::RateLimited {
            retry_after: domain::rate::retry_after_seconds(wait),
        })
}

async fn register_inner(
    ctx: &Services,
    slug: &EventSlug,
    form: &RegistrationForm,
    client: Option<IpAddr>,
    now: DateTime<Utc>,
) -> Result<Admitted, RegisterError> {
    let event = ctx
        .store
        .published_event(slug)
        .await?
        .ok_or(RegisterError::UnknownEvent)?;
    match event
        .registration_window(now)
        .ok_or(RegisterError::NotOffered)?
    {
        Window::Open => {}
        Window::NotYetOpen(at) => {
            return Err(RegisterError::NotYetOpen {
                opens_at: at,
                time_zone: event.time_zone,
            });
        }
        Window::Closed => return Err(RegisterError::Closed),
    }
    let valid = form
        .validate(&event.questions)
        .map_err(RegisterError::Invalid)?;
    admit_registration(ctx, &valid.email, client, now)?;
    let applicant = Applicant {
        valid,
        token: new_token()?,
        now,
    };
    ctx.registration_queue.admit(ctx, event.id, applicant).await
}

/// Admits a batch of registrations for one event in one transaction and answers each person
/// once it committed. If the batch fails, each is tried alone, so that one failure is only its
/// own.
pub(crate) async fn admit_batch(ctx: &Services, event_id: i64, jobs: Vec<Job>) {
    let applicants: Vec<&Applicant> = jobs.iter().map(|job| &job.applicant).collect();
    let outcomes = match admit_in_one_transaction(ctx, event_id, &applicants).await {
        Ok(outcomes) => outcomes,
        // A busy database stays busy for each of them: they are told so at once.
        Err(error) if applicants.len() > 1 && !matches!(error, StoreError::Busy) => {
            let mut outcomes = Vec::with_capacity(applicants.len());
            for applicant in &applicants {
                outcomes.push(
                    match admit_in_one_transaction(ctx, event_id, &[applicant]).await {
                        Ok(mut alone) => alone.pop().unwrap_or(Err(RegisterError::Internal)),
                        Err(error) => Err(error.into()),
                    },
                );
            }
            outcomes
        }
        Err(error) => vec![Err(error.into())],
    };
    for (job, outcome) in jobs.into_iter().zip(outcomes) {
        // Nobody to tell if the person stopped waiting; their registration stands either way.
        let _ = job.reply.send(outcome);
    }
}

/// A registration decided in a batch, to be written with the others.
struct Decided<'a> {
    applicant: &'a Applicant,
    admitted: Admitted,
    hold_expires_at: Option<DateTime<Utc>>,
    waitlist_seq: Option<i64>,
}

/// Decides every applicant in arrival order under the event's lock and writes them; the outcome
/// of each, in order, once the transaction committed.
async fn admit_in_one_transaction(
    ctx: &Services,
    event_id: i64,
    applicants: &[&Applicant],
) -> Result<Vec<Outcome>, StoreError> {
    let Some(first) = applicants.first() else {
        return Ok(Vec::new());
    };
    let mut write = ctx.store.write_event(event_id).await?;
    let event = write.event().await?;
    let Some(settings) = event.registration.clone() else {
        return Ok(applicants
            .iter()
            .map(|_| Err(RegisterError::NotOffered))
            .collect());
    };
    // Seats freed without promotion (none should be) go to those waiting before newcomers.
    promote_waitlist(&mut write, &event, first.now, ctx).await?;
    let emails: Vec<String> = applicants
        .iter()
        .map(|a| a.valid.email.normalized())
        .collect();
    let registered: HashSet<String> = write
        .statuses_by_email(&emails)
        .await?
        .into_iter()
        .filter(|(_, status)| status.is_active())
        .map(|(email, _)| email)
        .collect();
    let mut counts = write.seat_counts().await?;
    let mut next_waitlist_seq = write.next_waitlist_seq().await?;
    let mut in_this_batch = HashSet::new();
    let mut decided: Vec<Decided> = Vec::new();
    let mut outcomes = Vec::with_capacity(applicants.len());
    for (applicant, email) in applicants.iter().zip(emails) {
        if event.registration_window(applicant.now) != Some(Window::Open) {
            // An organizer closed registration (or cancelled the event) while this request
            // was on its way.
            outcomes.push(Err(RegisterError::Closed));
            continue;
        }
        let seen_before = !in_this_batch.insert(email.clone());
        if seen_before {
            // The same address twice in one batch: the second sees the first as stored.
            write_decided(&mut write, ctx, &event, &mut decided).await?;
        }
        let standing = if seen_before || registered.contains(&email) {
            write
                .registration_by_email(&email)
                .await?
                .filter(|r| r.status.is_active())
        } else {
            None
        };
        if let Some(existing) = standing {
            resend_link(
                &mut write,
                ctx,
                &event,
                &existing,
                &applicant.token,
                applicant.now,
            )
            .await?;
            outcomes.push(Err(RegisterError::AlreadyRegistered));
            continue;
        }
        let (status, hold_expires_at) = match admit(
            &settings,
            counts.seats_taken,
            counts.waitlisted,
            applicant.now,
        ) {
            Admission::Seat => {
                counts.seats_taken += 1;
                (
                    RegistrationStatus::PendingEmail,
                    Some(applicant.now + settings.confirmation_window),
                )
            }
            Admission::Waitlist => {
                counts.waitlisted += 1;
                (RegistrationStatus::Waitlisted, None)
            }
            Admission::Refused => {
                outcomes.push(Err(RegisterError::Full));
                continue;
            }
        };
        // Everyone waiting came before: the newcomer's place is the count of those waiting.
        let waiting = status == RegistrationStatus::Waitlisted;
        let admitted = Admitted {
            status,
            waitlist_position: waiting.then_some(counts.waitlisted),
            hold_until: hold_expires_at,
        };
        let waitlist_seq = waiting.then(|| {
            next_waitlist_seq += 1;
            next_waitlist_seq - 1
        });
        outcomes.push(Ok(admitted));
        decided.push(Decided {
            applicant,
            admitted,
            hold_expires_at,
            waitlist_seq,
        });
    }
    write_decided(&mut write, ctx, &event, &mut decided).await?;
    write.commit().await?;
    Ok(outcomes)
}

/// Writes the registrations decided so far, their mails and their audit lines, a statement for
/// each kind.
async fn write_decided(
    write: &mut EventWrite,
    ctx: &Services,
    event: &Event,
    decided: &mut Vec<Decided<'_>>,
) -> Result<(), StoreError> {
    let Some(last) = decided.last() else {
        return Ok(());
    };
    let now = last.applicant.now;
    let hashes: Vec<String> = decided.iter().map(|d| d.applicant.token.hash()).collect();
    let tickets = decided
        .iter()
        .map(|_| new_ticket_code())
        .collect::<Result<Vec<_>, _>>()?;
    let rows: Vec<NewRegistration> = decided
        .iter()
        .zip(hashes.iter().zip(&tickets))
        .map(|(d, (hash, ticket))| NewRegistration {
            valid: &d.applicant.valid,
            status: d.admitted.status,
            token_hash: hash,
            ticket_code: ticket.as_str(),
            waitlist_seq: d.waitlist_seq,
            hold_expires_at: d.hold_expires_at,
            now: d.applicant.now,
        })
        .collect();
    let ids = write.insert_registrations(&rows).await?;
    for (d, id) in decided.iter().zip(&ids) {
        let valid = (*id, &d.applicant.valid);
        webhooks::registration_created(write, ctx, event, valid, d.admitted.status, now).await?;
    }
    let mut mails = Vec::with_capacity(decided.len());
    let mut lines = Vec::with_capacity(decided.len());
    for (d, id) in decided.iter().zip(ids) {
        let kind = match d.admitted.waitlist_position {
            Some(position) => MailKind::Waitlisted { position },
            None => MailKind::ConfirmEmail,
        };
        let valid = &d.applicant.valid;
        let to = Recipient {
            registration_id: id,
            name: &valid.name,
            email: valid.email.as_str(),
            token: Some(d.applicant.token.as_str()),
            lang: valid.locale,
            status: d.admitted.status,
            // These mails (confirm the address, waiting) carry no ticket.
            ticket: None,
        };
        mails.push(ctx.composer().compose(kind, event, &to, d.applicant.now));
        lines.push(LogLine {
            registration_id: id,
            actor: Actor::Registrant,
            action: AuditAction::Registered,
            from: None,
            to: Some(d.admitted.status),
            note: None,
            at: d.applicant.now,
        });
    }
    write.enqueue_mails(&mails, now).await?;
    write.log_lines(&lines).await?;
    decided.clear();
    Ok(())
}

/// Someone registered again while their registration stands (one person, one registration), or
/// asked to have the mail sent again: they are mailed a new link, at most once per interval, so
/// that repeating the form cannot flood an address with mail. Earlier links keep working.
async fn resend_link(
    write: &mut EventWrite,
    ctx: &Services,
    event: &Event,
    existing: &Registration,
    token: &SecretToken,
    now: DateTime<Utc>,
) -> Result<SentAgain, StoreError> {
    let last_resent = write
        .last_logged(existing.id, AuditAction::LinkResent)
        .await?;
    if !ctx.registration_limits.may_resend_link(last_resent, now) {
        let at = last_resent.unwrap_or(now)
            + ctx.registration_limits.resend_interval.unwrap_or_default();
        return Ok(SentAgain::TooSoon { at });
    }
    write.add_link(existing.id, &token.hash(), now).await?;
    let mail = ctx.composer().compose(
        MailKind::LinkResent {
            unconfirmed_seat: existing.status.is_held(),
        },
        event,
        &recipient(existing, Some(token.as_str())),
        now,
    );
    write.enqueue_mail(&mail, now).await?;
    write
        .log(
            existing.id,
            Actor::Registrant,
            AuditAction::LinkResent,
            None,
            None,
            now,
        )
        .await?;
    Ok(SentAgain::Sent)
}

/// "Send the mail again", asked from the page that says where the mail went: the registration
/// of `email` for the event at `slug` gets a new link by mail, as when the person registers
/// again, counted against the same limits.
pub async fn send_link_again(
    ctx: &Services,
    slug: &EventSlug,
    email: &str,
    client: Option<IpAddr>,
    now: DateTime<Utc>,
) -> Result<SentAgain, RegisterError> {
    let Ok(email) = EmailAddress::parse(email) else {
        return Ok(SentAgain::NotRegistered);
    };
    let event = ctx
        .store
        .published_event(slug)
        .await?
        .ok_or(RegisterError::UnknownEvent)?;
    admit_registration(ctx, &email, client, now)?;
    let mut write = ctx.store.write_event(event.id).await?;
    let event = write.event().await?;
    let standing = write
        .registration_by_email(&email.normalized())
        .await?
        .filter(|r| r.status.is_active());
    let Some(existing) = standing else {
        return Ok(SentAgain::NotRegistered);
    };
    let sent = resend_link(&mut write, ctx, &event, &existing, &new_token()?, now).await?;
    write.commit().await?;
    Ok(sent)
}

/// The registration behind a secret link, with its event; `None` when the link is not valid.
pub async fn find_by_token(
    ctx: &Services,
    token: &str,
) -> Result<Option<(Registration, Event)>, StoreError> {
    let Some(registration) = ctx.store.registration_by_token(&hash_token(token)).await? else {
        return Ok(None);
    };
    let event = ctx.store.event_by_id(registration.event_id).await?;
    Ok(event.map(|event| (registration, event)))
}

/// The event of a registration whose link `token` an organizer replaced with a newer one;
/// `None` for any other secret (valid, mistyped, or of an erased registration).
pub async fn replaced_link_event(ctx: &Services, token: &str) -> Result<Option<Event>, StoreError> {
    match ctx.store.replaced_link(&hash_token(token)).await? {
        Some(event_id) => ctx.store.event_by_id(event_id).await,
        None => Ok(None),
    }
}

/// A registration found by its secret link, with its event.
pub async fn by_token(ctx: &Services, token: &str) -> Result<(Registration, Event), LinkError> {
    find_by_token(ctx, token).await?.ok_or(LinkError::Unknown)
}

/// Follows the confirmation link: a held seat becomes confirmed and an offered seat accepted
/// (mail with the invitation and the ticket); a waiting person's address counts as confirmed.
pub async fn confirm(
    ctx: &Services,
    token: &str,
    now: DateTime<Utc>,
) -> Result<RegistrationStatus, LinkError> {
    let (found, event) = by_token(ctx, token).await?;
    let mut write = ctx.store.write_event(event.id).await?;
    let event = write.event().await?;
    let registration = write
        .registration(found.id)
        .await?
        .ok_or(LinkError::Unknown)?;
    match registration.status {
        // A held seat is confirmed, an offered one accepted: either way the seat is theirs.
        held @ (RegistrationStatus::PendingEmail | RegistrationStatus::Offered) => {
            let action = if held == RegistrationStatus::Offered {
                AuditAction::OfferAccepted
            } else {
                AuditAction::ConfirmedEmail
            };
            write.mark_email_confirmed(registration.id, now).await?;
            transition(
                &mut write,
                ctx,
                &event,
                &registration,
                RegistrationStatus::Confirmed,
                (Actor::Registrant, action),
                Some((MailKind::Confirmed, Some(token))),
                now,
            )
            .await?;
            write.commit().await?;
            Ok(RegistrationStatus::Confirmed)
        }
        RegistrationStatus::Waitlisted if registration.email_confirmed_at.is_none() => {
            write.mark_email_confirmed(registration.id, now).await?;
            write
                .log(
                    registration.id,
                    Actor::Registrant,
                    AuditAction::ConfirmedEmail,
                    None,
                    None,
                    now,
                )
                .await?;
            write.commit().await?;
            Ok(RegistrationStatus::Waitlisted)
        }
        RegistrationStatus::Confirmed | RegistrationStatus::Waitlisted => {
            Err(LinkError::AlreadyConfirmed)
        }
        RegistrationStatus::Cancelled => Err(LinkError::Cancelled),
        RegistrationStatus::Expired => Err(LinkError::Expired),
    }
}

/// Cancels the registration behind a secret link; a freed seat goes to the head of the
/// waitlist in the same transaction.
pub async fn cancel(ctx: &Services, token: &str, now: DateTime<Utc>) -> Result<(), LinkError> {
    let (found, event) = by_token(ctx, token).await?;
    let mut write = ctx.store.write_event(event.id).await?;
    let event = write.event().await?;
    let registration = write
        .registration(found.id)
        .await?
        .ok_or(LinkError::Unknown)?;
    match registration.status {
        RegistrationStatus::Cancelled => return Err(LinkError::Cancelled),
        RegistrationStatus::Expired => return Err(LinkError::Expired),
        _ => {}
    }
    let taken_before = write.seat_counts().await?.seats_taken;
    transition(
        &mut write,
        ctx,
        &event,
        &registration,
        RegistrationStatus::Cancelled,
        (Actor::Registrant, AuditAction::Cancelled),
        Some((MailKind::Cancelled, None)),
        now,
    )
    .await?;
    promote_waitlist(&mut write, &event, now, ctx).await?;
    crate::matrix::tell_if_seats_free(&mut write, ctx, &event, taken_before, now).await?;
    write.commit().await?;
    Ok(())
}

/// Releases seats held for addresses not confirmed in time and promotes people waiting.
/// Returns how many holds expired.
pub async fn expire_holds(ctx: &Services, now: DateTime<Utc>) -> Result<usize, StoreError> {
    let mut expired = 0;
    for event_id in ctx.store.events_with_expired_holds(now).await? {
        let mut write = ctx.store.write_event(event_id).await?;
        let event = write.event().await?;
        for registration in write.expired_holds(now).await? {
            let (action, mail) = if registration.status == RegistrationStatus::Offered {
                (AuditAction::OfferLapsed, MailKind::OfferLapsed)
            } else {
                (AuditAction::HoldExpired, MailKind::HoldExpired)
            };
            transition(
                &mut write,
                ctx,
                &event,
                &registration,
                RegistrationStatus::Expired,
                (Actor::System, action),
                Some((mail, None)),
                now,
            )
            .await?;
            expired += 1;
        }
        // In the same transaction: the seat goes on to the next person waiting.
        promote_waitlist(&mut write, &event, now, ctx).await?;
        write.commit().await?;
    }
    Ok(expired)
}

/// Tells everyone still waiting for an event whose last promotion passed that the waitlist has
/// closed (their registration ends: no seat will come). Returns how many were told.
pub async fn close_waitlists(ctx: &Services, now: DateTime<Utc>) -> Result<usize, StoreError> {
    let mut told = 0;
    for event_id in ctx.store.events_with_closed_waitlists(now).await? {
        let mut write = ctx.store.write_event(event_id).await?;
        let event = write.event().await?;
        if event
            .registration
            .as_ref()
            .is_none_or(|settings| settings.waitlist_moves(now))
        {
            // Moved later by an organizer meanwhile.
            continue;
        }
        for registration in write.registrations().await? {
            if registration.status != RegistrationStatus::Waitlisted {
                continue;
            }
            transition(
                &mut write,
                ctx,
                &event,
                &registration,
                RegistrationStatus::Expired,
                (Actor::System, AuditAction::WaitlistClosed),
                Some((MailKind::WaitlistClosed, None)),
                now,
            )
            .await?;
            told += 1;
        }
        write.commit().await?;
    }
    Ok(told)
}

/// Queues the reminder mail of every event that starts within a day to each person holding a
/// confirmed seat, once per event (several instances may run this: the event's lock and its
/// `reminded_at` decide). Returns how many mails were queued.
pub async fn send_reminders(ctx: &Services, now: DateTime<Utc>) -> Result<usize, StoreError> {
    let mut queued = 0;
    for event_id in ctx
        .store
        .events_due_for_reminder(now, domain::event::REMINDER_LEAD)
        .await?
    {
        let mut write = ctx.store.write_event(event_id).await?;
        let event = write.event().await?;
        if !event.reminder_due(now) {
            continue;
        }
        let mut mailed = 0;
        for registration in write.registrations().await? {
            if registration.status != RegistrationStatus::Confirmed {
                continue;
            }
            let mail = ctx.composer().compose(
                MailKind::Reminder,
                &event,
                &recipient(&registration, None),
                now,
            );
            write.enqueue_mail(&mail, now).await?;
            mailed += 1;
        }
        write.mark_reminded(now).await?;
        write
            .log_event(
                Actor::System,
                AuditAction::Reminders,
                &EventChange::Reminders {
                    mailed: u32::try_from(mailed).unwrap_or(u32::MAX),
                },
                now,
            )
            .await?;
        write.commit().await?;
        queued += mailed;
    }
    Ok(queued)
}

/// Gives every free seat to the head of the waitlist, in arrival order, inside `write`.
pub async fn promote_waitlist(
    write: &mut EventWrite,
    event: &Event,
    now: DateTime<Utc>,
    ctx: &Services,
) -> Result<u32, StoreError> {
    let Some(settings) = &event.registration else {
        return Ok(0);
    };
    if !settings.waitlist_moves(now) {
        return Ok(0);
    }
    let counts = write.seat_counts().await?;
    let count = promotions(settings.capacity, counts.seats_taken, counts.waitlisted);
    if count == 0 {
        return Ok(0);
    }
    let (status, hold_until) = settings.promotion(now);
    let (action, kind) = match hold_until {
        Some(until) => (AuditAction::Offered, MailKind::Offered { until }),
        None => (AuditAction::Promoted, MailKind::Promoted),
    };
    for waiting in write.waitlist_head(count).await? {
        // The mail must carry a link, and only a hash of the old one is stored.
        let token = new_token()?;
        write.add_link(waiting.id, &token.hash(), now).await?;
        write
            .set_status(waiting.id, status, hold_until, now)
            .await?;
        let promoted = (WebhookKind::RegistrationPromoted, status);
        webhooks::registration(write, ctx, (event, &waiting), promoted, now).await?;
        let mail =
            ctx.composer()
                .compose(kind, event, &recipient(&waiting, Some(token.as_str())), now);
        write.enqueue_mail(&mail, now).await?;
        write
            .log(
                waiting.id,
                Actor::System,
                action,
                Some(waiting.status),
                Some(status),
                now,
            )
            .await?;
    }
    Ok(count)
}

/// Moves a registration to `to` inside `write`: the status, its mail (when `mail` names one, with
/// the manage link when `token` is given), and the audit line, together.
#[allow(clippy::too_many_arguments)]
async fn transition(
    write: &mut EventWrite,
    ctx: &Services,
    event: &Event,
    registration: &Registration,
    to: RegistrationStatus,
    (actor, action): (Actor, AuditAction),
    mail: Option<(MailKind, Option<&str>)>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    write.set_status(registration.id, to, None, now).await?;
    let told = match to {
        RegistrationStatus::Confirmed => Some(WebhookKind::RegistrationConfirmed),
        RegistrationStatus::Cancelled | RegistrationStatus::Expired => {
            Some(WebhookKind::RegistrationCancelled)
        }
        _ => None,
    };
    if let Some(kind) = told {
        webhooks::registration(write, ctx, (event, registration), (kind, to), now).await?;
    }
    if let Some((kind, token)) = mail {
        let mail = ctx
            .composer()
            .compose(kind, event, &recipient(registration, token), now);
        write.enqueue_mail(&mail, now).await?;
    }
    write
        .log(
            registration.id,
            actor,
            action,
            Some(registration.status),
            Some(to),
            now,
        )
        .await
}

pub(super) fn recipient<'a>(
    registration: &'a Registration,
    token: Option<&'a str>,
) -> Recipient<'a> {
    Recipient {
        registration_id: registration.id,
        name: &registration.name,
        email: &registration.email,
        token,
        lang: domain::Lang::from_tag(&registration.locale),
        status: registration.status,
        ticket: Some(&registration.ticket_code),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use chrono::Duration;
    use domain::ValidRegistration;

    #[tokio::test]
    async fn unconfirmed_holds_expire_after_the_window_and_the_waitlist_moves_up() {
        for (ctx, db) in
            contexts("unconfirmed_holds_expire_after_the_window_and_the_waitlist_moves_up").await
        {
            add_event(&ctx, "room", settings(2, true)).await;
            register_people(&ctx, "room", 1..=4).await;
            let token = known_token(&ctx, "room", 1).await;
            confirm(&ctx, &token, now()).await.expect("confirmed");

            assert_eq!(
                expire_holds(&ctx, now() + Duration::hours(47))
                    .await
                    .expect("expiry"),
                0
            );
            assert_eq!(
                expire_holds(&ctx, now() + Duration::hours(49))
                    .await
                    .expect("expiry"),
                1
            );
            use RegistrationStatus::*;
            assert_eq!(
                statuses(&ctx, "room").await,
                [
                    ("Person 1".to_owned(), Confirmed),
                    ("Person 2".to_owned(), Expired),
                    ("Person 3".to_owned(), Confirmed),
                    ("Person 4".to_owned(), Waitlisted),
                ]
            );
            db.finish().await;
        }
    }

    #[tokio::test]
    async fn an_offer_holds_the_seat_until_it_lapses_then_goes_on_in_the_same_sweep() {
        for (ctx, db) in
            contexts("an_offer_holds_the_seat_until_it_lapses_then_goes_on_in_the_same_sweep").await
        {
            let mut offering = settings(1, true);
            offering.offer_window = Some(Duration::hours(24));
            add_event(&ctx, "room", offering).await;
            register_people(&ctx, "room", 1..=3).await;
            // Person 1's seat is not confirmed in time: it is offered to person 2.
            let lapsed = now() + Duration::hours(49);
            assert_eq!(expire_holds(&ctx, lapsed).await.expect("sweep"), 1);
            use RegistrationStatus::*;
            let expect = |statuses: [RegistrationStatus; 3]| {
                (1..=3)
                    .map(|n| format!("Person {n}"))
                    .zip(statuses)
                    .collect::<Vec<_>>()
            };
            assert_eq!(
                statuses(&ctx, "room").await,
                expect([Expired, Offered, Waitlisted])
            );
            // The offer holds the seat: a newcomer waits behind person 3.
            let newcomer = register(&ctx, &slug("room"), &form(4), None, lapsed)
                .await
                .expect("registered");
            assert_eq!(newcomer.status, Waitlisted);
            let mails = mailed_links(&ctx).await;
            let offer = mails
                .iter()
                .find(|(kind, _)| kind == "offered")
                .expect("an offer");
            // Not accepted within its day: it lapses and goes on to person 3, in one sweep.
            let hours = |h| lapsed + Duration::hours(h);
            assert_eq!(expire_holds(&ctx, hours(23)).await.expect("sweep"), 0);
            assert_eq!(expire_holds(&ctx, hours(25)).await.expect("sweep"), 1);
            let now_standing = statuses(&ctx, "room").await;
            assert_eq!(&now_standing[..3], expect([Expired, Expired, Offered]));
            // The lapsed offer's link accepts nothing any more.
            assert_eq!(
                confirm(&ctx, &offer.1, hours(26)).await,
                Err(LinkError::Expired)
            );
            // Person 2 is told; person 3 accepts with the link in their offer: the seat is theirs.
            let mails = queued_mails(&ctx).await;
            let kinds: Vec<&str> = mails.iter().map(|(kind, _)| kind.as_str()).collect();
            assert_eq!(kinds, ["offer_lapsed", "offered"], "{mails:?}");
            assert_eq!(mails[0].1, None, "the lapsed offer's mail carries no link");
            let accept = mails[1].1.as_deref().expect("a link in the offer");
            assert_eq!(confirm(&ctx, accept, hours(26)).await, Ok(Confirmed));
            assert_eq!(
                statuses(&ctx, "room").await[..3],
                expect([Expired, Expired, Confirmed])
            );
            let mails = mailed_links(&ctx).await;
            assert_eq!(
                mails.first().map(|(kind, _)| kind.as_str()),
                Some("confirmed")
            );
            db.finish().await;
        }
    }

    #[tokio::test]
    async fn after_the_last_promotion_nobody_moves_up_and_those_waiting_are_told_once() {
        for (ctx, db) in
            contexts("after_the_last_promotion_nobody_moves_up_and_those_waiting_are_told_once")
                .await
        {
            let mut closing = settings(1, true);
            closing.last_promotion_at = Some(now() + Duration::hours(10));
            add_event(&ctx, "room", closing).await;
            register_people(&ctx, "room", 1..=3).await;
            assert_eq!(close_waitlists(&ctx, now()).await.expect("sweep"), 0);
            // Past the last promotion the expired seat stays free, those waiting are told.
            let after = now() + Duration::hours(49);
            assert_eq!(expire_holds(&ctx, after).await.expect("sweep"), 1);
            use RegistrationStatus::*;
            assert_eq!(
                statuses(&ctx, "room").await,
                [
                    ("Person 1".to_owned(), Expired),
                    ("Person 2".to_owned(), Waitlisted),
                    ("Person 3".to_owned(), Waitlisted),
                ]
            );
            assert_eq!(close_waitlists(&ctx, after).await.expect("sweep"), 2);
            assert_eq!(
                close_waitlists(&ctx, after).await.expect("sweep"),
                0,
                "once"
            );
            assert!(
                statuses(&ctx, "room")
                    .await
                    .iter()
                    .all(|(_, status)| *status == Expired)
            );
            let told: Vec<_> = queued_mails(&ctx)
                .await
                .into_iter()
                .filter(|(kind, _)| kind == "waitlist_closed")
                .collect();
            assert_eq!(told, vec![("waitlist_closed".to_owned(), None); 2]);
            // A newcomer takes the free seat; nobody joins the closed waitlist.
            let seated = register(&ctx, &slug("room"), &form(4), None, after)
                .await
                .expect("registered");
            assert_eq!(seated.status, PendingEmail);
            assert_eq!(
                register(&ctx, &slug("room"), &form(5), None, after).await,
                Err(RegisterError::Full)
            );
            db.finish().await;
        }
    }

    #[tokio::test]
    async fn the_seated_get_one_reminder_the_day_before() {
        for (ctx, db) in contexts("the_seated_get_one_reminder_the_day_before").await {
            add_event_with(&ctx, "soon", |event| {
                event.starts_at = now() + Duration::days(3);
                event.ends_at = now() + Duration::days(4);
                event.registration = Some(settings(2, true));
            })
            .await;
            register_people(&ctx, "soon", 1..=3).await;
            let token = known_token(&ctx, "soon", 1).await;
            confirm(&ctx, &token, now()).await.expect("confirmed");
            let sent = |at| send_reminders(&ctx, at);
            assert_eq!(sent(now() + Duration::days(1)).await.expect("sweep"), 0);
            let day_before = now() + Duration::days(2) + Duration::hours(1);
            assert_eq!(
                sent(day_before).await.expect("sweep"),
                1,
                "the confirmed person; not the unconfirmed hold, not the waitlist"
            );
            assert_eq!(
                sent(day_before + Duration::hours(1)).await.expect("sweep"),
                0
            );
            let reminders: Vec<String> = ctx
                .store
                .mail_log(100)
                .await
                .expect("mail log")
                .into_iter()
                .filter(|m| m.kind == "reminder")
                .map(|m| format!("{} {}", m.recipient, m.subject))
                .collect();
            assert_eq!(
                reminders,
                [r#"p1@example.org en:ReminderSubject { title: "Event soon" }"#]
            );
            db.finish().await;
        }
    }

    #[tokio::test]
    async fn cancelling_promotes_the_head_of_the_waitlist_and_renumbers() {
        for (ctx, db) in
            contexts("cancelling_promotes_the_head_of_the_waitlist_and_renumbers").await
        {
            add_event(&ctx, "room", settings(1, true)).await;
            let mut positions = Vec::new();
            for n in 1..=4 {
                let admitted = register(&ctx, &slug("room"), &form(n), None, now())
                    .await
                    .expect("registered");
                positions.push(admitted.waitlist_position);
            }
            assert_eq!(positions, [None, Some(1), Some(2), Some(3)]);
            let token = known_token(&ctx, "room", 1).await;
            cancel(&ctx, &token, now()).await.expect("cancelled");
            assert!(matches!(
                cancel(&ctx, &token, now()).await,
                Err(LinkError::Cancelled)
            ));

            use RegistrationStatus::*;
            assert_eq!(
                statuses(&ctx, "room")
                    .await
                    .into_iter()
                    .map(|(_, s)| s)
                    .collect::<Vec<_>>(),
                [Cancelled, Confirmed, Waitlisted, Waitlisted]
            );
            let (p4, _) = by_token(&ctx, &known_token(&ctx, "room", 4).await)
                .await
                .expect("p4");
            assert_eq!(
                ctx.store.waitlist_position(&p4).await.expect("position"),
                Some(2)
            );
            db.finish().await;
        }
    }

    #[tokio::test]
    async fn a_full_event_without_waitlist_refuses_and_a_closed_one_says_so() {
        for (ctx, db) in
            contexts("a_full_event_without_waitlist_refuses_and_a_closed_one_says_so").await
        {
            add_event(&ctx, "small", settings(1, false)).await;
            register(&ctx, &slug("small"), &form(1), None, now())
                .await
                .expect("seat");
            assert!(matches!(
                register(&ctx, &slug("small"), &form(2), None, now()).await,
                Err(RegisterError::Full)
            ));

            let mut closed = settings(10, true);
            closed.closes_at = Some(now() - Duration::hours(1));
            add_event(&ctx, "closed", closed).await;
            assert!(matches!(
                register(&ctx, &slug("closed"), &form(1), None, now()).await,
                Err(RegisterError::Closed)
            ));

            let mut later = settings(10, true);
            later.opens_at = Some(now() + Duration::days(1));
            add_event(&ctx, "later", later).await;
            assert!(matches!(
                register(&ctx, &slug("later"), &form(1), None, now()).await,
                Err(RegisterError::NotYetOpen { opens_at, .. }) if opens_at == now() + Duration::days(1)
            ));
            assert_eq!(statuses(&ctx, "closed").await.len(), 0);
            db.finish().await;
        }
    }

    #[tokio::test]
    async fn a_cancelled_person_may_register_again_at_the_back_of_the_queue() {
        for (ctx, db) in
            contexts("a_cancelled_person_may_register_again_at_the_back_of_the_queue").await
        {
            add_event(&ctx, "room", settings(1, true)).await;
            register_people(&ctx, "room", 1..=2).await;
            let token = known_token(&ctx, "room", 2).await;
            cancel(&ctx, &token, now())
                .await
                .expect("left the waitlist");
            register(&ctx, &slug("room"), &form(3), None, now())
                .await
                .expect("waiting");
            let again = register(&ctx, &slug("room"), &form(2), None, now())
                .await
                .expect("back again");
            assert_eq!(
                again.waitlist_position,
                Some(2),
                "behind the person who waited meanwhile"
            );
            assert!(
                matches!(by_token(&ctx, &token).await, Err(LinkError::Unknown)),
                "old link is dead"
            );
            db.finish().await;
        }
    }

    #[tokio::test]
    async fn mails_are_queued_with_the_change() {
        for (ctx, db) in contexts("mails_are_queued_with_the_change").await {
            add_event(&ctx, "room", settings(1, true)).await;
            register(&ctx, &slug("room"), &form(1), None, now())
                .await
                .expect("seat");
            register(&ctx, &slug("room"), &form(2), None, now())
                .await
                .expect("waiting");
            assert!(matches!(
                register(&ctx, &slug("room"), &form(2), None, now()).await,
                Err(RegisterError::AlreadyRegistered)
            ));
            let log = ctx.store.mail_log(10).await.expect("log");
            let kinds: Vec<_> = log.iter().rev().map(|m| m.kind.as_str()).collect();
            assert_eq!(kinds, ["confirm_email", "waitlisted", "link_resent"]);
            assert!(log.iter().all(|m| m.status == "pending"));
            db.finish().await;
        }
    }

    #[tokio::test]
    async fn registering_again_mails_a_new_link_at_most_once_per_interval() {
        for (ctx, db) in
            contexts("registering_again_mails_a_new_link_at_most_once_per_interval").await
        {
            add_event(&ctx, "room", settings(5, true)).await;
            register(&ctx, &slug("room"), &form(1), None, now())
                .await
                .expect("seat");
            let person = form(1);
            let room = slug("room");
            let again = |minutes| {
                register(
                    &ctx,
                    &room,
                    &person,
                    None,
                    now() + Duration::minutes(minutes),
                )
            };
            assert!(matches!(
                again(1).await,
                Err(RegisterError::AlreadyRegistered)
            ));
            let link = known_token(&ctx, "room", 1).await;
            for minutes in [2, 10] {
                assert!(
                    matches!(again(minutes).await, Err(RegisterError::AlreadyRegistered)),
                    "the same answer, however often"
                );
            }
            let mails = || async {
                let log = ctx.store.mail_log(10).await.expect("log");
                log.iter().rev().map(|m| m.kind.clone()).collect::<Vec<_>>()
            };
            assert_eq!(mails().await, ["confirm_email", "link_resent"]);
            assert!(
                by_token(&ctx, &link).await.is_ok(),
                "a repeat within the interval keeps the link"
            );
            assert!(matches!(
                again(11).await,
                Err(RegisterError::AlreadyRegistered)
            ));
            assert_eq!(
                mails().await,
                ["confirm_email", "link_resent", "link_resent"]
            );
            assert!(
                by_token(&ctx, &link).await.is_ok(),
                "the earlier link keeps working beside the new one"
            );
            db.finish().await;
        }
    }

    /// People register again when the first mail is slow: whichever mail they open, the seat
    /// ends confirmed.
    #[tokio::test]
    async fn a_repeat_before_confirming_leaves_every_mailed_link_able_to_confirm() {
        for (ctx, db) in
            contexts("a_repeat_before_confirming_leaves_every_mailed_link_able_to_confirm").await
        {
            add_event(&ctx, "room", settings(5, true)).await;
            let room = slug("room");
            let interval = Duration::minutes(11);
            for person in [1, 2] {
                register(&ctx, &room, &form(person), None, now())
                    .await
                    .expect("seat");
                assert!(matches!(
                    register(&ctx, &room, &form(person), None, now() + interval).await,
                    Err(RegisterError::AlreadyRegistered)
                ));
            }
            let links = mailed_links(&ctx).await;
            let kinds: Vec<&str> = links.iter().map(|(kind, _)| kind.as_str()).collect();
            assert_eq!(
                kinds,
                [
                    "confirm_email",
                    "link_resent",
                    "confirm_email",
                    "link_resent"
                ]
            );
            let (first_of_one, newest_of_two) = (&links[0].1, &links[3].1);
            assert_ne!(first_of_one, &links[1].1, "a new link each time");
            let later = now() + interval + Duration::minutes(1);
            assert_eq!(
                confirm(&ctx, first_of_one, later).await,
                Ok(RegistrationStatus::Confirmed),
                "the first mail's link"
            );
            assert_eq!(
                confirm(&ctx, newest_of_two, later).await,
                Ok(RegistrationStatus::Confirmed),
                "the newest mail's link"
            );
            assert!(matches!(
                confirm(&ctx, &links[1].1, later).await,
                Err(LinkError::AlreadyConfirmed)
            ));
            db.finish().await;
        }
    }

    #[tokio::test]
    async fn a_repeat_mail_for_an_unconfirmed_seat_carries_the_confirm_action() {
        for (ctx, db) in
            contexts("a_repeat_mail_for_an_unconfirmed_seat_carries_the_confirm_action").await
        {
            add_event(&ctx, "room", settings(1, true)).await;
            let room = slug("room");
            let later = now() + Duration::minutes(11);
            // One holds the seat unconfirmed; the other waits.
            for person in [1, 2] {
                register(&ctx, &room, &form(person), None, now())
                    .await
                    .expect("registered");
                let _ = register(&ctx, &room, &form(person), None, later).await;
            }
            let mut mails = ctx
                .store
                .claim_due_mails(later, later + Duration::minutes(1), 10)
                .await
                .expect("claim");
            mails.sort_by_key(|mail| mail.id);
            let bodies: Vec<(String, String)> = mails
                .into_iter()
                .map(|mail| (mail.kind, mail.body_text.unwrap_or_default()))
                .collect();
            let confirm_actions: Vec<(&str, bool)> = bodies
                .iter()
                .map(|(kind, body)| (kind.as_str(), body.contains("ConfirmAction")))
                .collect();
            assert_eq!(
                confirm_actions,
                [
                    ("confirm_email", true),
                    ("link_resent", true),
                    ("waitlisted", false),
                    ("link_resent", false),
                ]
            );
            db.finish().await;
        }
    }

    #[tokio::test]
    async fn the_mail_goes_again_once_per_interval_to_who_stands_registered() {
        for (ctx, db) in contexts("the_mail_goes_again_once_per_interval").await {
            add_event(&ctx, "room", settings(1, true)).await;
            register_people(&ctx, "room", 1..=2).await;
            let first = mailed_links(&ctx).await;
            assert_eq!(first.len(), 2, "the two registration mails");
            let email = form(1).email;
            let room = slug("room");
            let again = |at| send_link_again(&ctx, &room, &email, None, at);
            assert_eq!(again(now()).await, Ok(SentAgain::Sent));
            let interval = ctx
                .registration_limits
                .resend_interval
                .expect("an interval");
            assert_eq!(
                again(now() + Duration::minutes(1)).await,
                Ok(SentAgain::TooSoon {
                    at: now() + interval
                })
            );
            assert_eq!(again(now() + interval).await, Ok(SentAgain::Sent));
            let links = mailed_links(&ctx).await;
            let kinds: Vec<&str> = links.iter().map(|(kind, _)| kind.as_str()).collect();
            assert_eq!(kinds, ["link_resent", "link_resent"], "one per interval");
            for (_, token) in first.iter().take(1).chain(&links) {
                let (registration, _) = by_token(&ctx, token).await.expect("every link works");
                assert_eq!(registration.name, "Person 1");
            }
            // Person 2 waits; a stranger's address and a cancelled registration get nothing.
            let waiting = form(2).email;
            assert_eq!(
                send_link_again(&ctx, &slug("room"), &waiting, None, now()).await,
                Ok(SentAgain::Sent)
            );
            for address in ["nobody@example.org", "not an address"] {
                assert_eq!(
                    send_link_again(&ctx, &slug("room"), address, None, now()).await,
                    Ok(SentAgain::NotRegistered),
                    "{address}"
                );
            }
            cancel(&ctx, &first[0].1, now()).await.expect("cancelled");
            assert_eq!(
                again(now() + interval * 3).await,
                Ok(SentAgain::NotRegistered)
            );
            assert_eq!(
                send_link_again(&ctx, &slug("nowhere"), &email, None, now()).await,
                Err(RegisterError::UnknownEvent)
            );
            db.finish().await;
        }
    }

    #[tokio::test]
    async fn registrations_are_limited_per_client_and_per_email_address() {
        for (mut ctx, db) in
            contexts("registrations_are_limited_per_client_and_per_email_address").await
        {
            let window = domain::registration::REGISTRATION_LIMIT_WINDOW;
            ctx.registration_limits = domain::RegistrationLimits {
                per_client: domain::rate::RateLimit::per(3, window),
                per_email: domain::rate::RateLimit::per(2, window),
                resend_interval: None,
            };
            add_event(&ctx, "room", settings(50, true)).await;
            let (one, two): (IpAddr, IpAddr) = ([192, 0, 2, 1].into(), [192, 0, 2, 2].into());
            for n in 1..=3 {
                register(&ctx, &slug("room"), &form(n), Some(one), now())
                    .await
                    .expect("within the limit");
            }
            match register(&ctx, &slug("room"), &form(4), Some(one), now()).await {
                Err(RegisterError::RateLimited { retry_after }) => {
                    assert_eq!(retry_after, domain::rate::retry_after_seconds(window))
                }
                other => panic!("fourth from one address: {other:?}"),
            }
            register(&ctx, &slug("room"), &form(4), Some(two), now())
                .await
                .expect("another address");
            assert!(matches!(
                register(&ctx, &slug("room"), &form(4), Some(two), now()).await,
                Err(RegisterError::AlreadyRegistered)
            ));
            assert!(
                matches!(
                    register(&ctx, &slug("room"), &form(4), None, now()).await,
                    Err(RegisterError::RateLimited { .. })
                ),
                "third for one e-mail address"
            );
            register(&ctx, &slug("room"), &form(5), Some(one), now() + window)
                .await
                .expect("the window has slid");
            assert_eq!(statuses(&ctx, "room").await.len(), 5);

            ctx.registration_limits = domain::RegistrationLimits::OFF;
            for n in 6..=20 {
                register(&ctx, &slug("room"), &form(n), Some(one), now())
                    .await
                    .expect("no limits");
            }
            db.finish().await;
        }
    }

    #[tokio::test]
    async fn concurrent_registrations_never_overbook_on_either_backend() {
        for (ctx, db) in contexts("concurrent").await {
            add_event(&ctx, "rush", settings(10, true)).await;
            let attempts = (0..80).map(|n| {
                let ctx = ctx.clone();
                tokio::spawn(
                    async move { register(&ctx, &slug("rush"), &form(n), None, now()).await },
                )
            });
            let mut positions = Vec::new();
            let mut seats = 0;
            for attempt in attempts {
                let admitted = attempt.await.expect("task").expect("registered");
                match admitted.waitlist_position {
                    Some(position) => positions.push(position),
                    None => seats += 1,
                }
            }
            positions.sort_unstable();
            assert_eq!(seats, 10, "{:?}", ctx.store.kind());
            assert_eq!(
                positions,
                (1..=70).collect::<Vec<u32>>(),
                "{:?}",
                ctx.store.kind()
            );
            db.finish().await;
        }
    }

    #[tokio::test]
    async fn only_a_mail_with_a_link_warns_to_keep_it_private() {
        for (ctx, db) in contexts("only_a_mail_with_a_link_warns").await {
            add_event(&ctx, "room", settings(2, true)).await;
            register_people(&ctx, "room", 1..=1).await;
            let token = known_token(&ctx, "room", 1).await;
            cancel(&ctx, &token, now()).await.expect("cancelled");
            let later = now() + Duration::days(365);
            let mails = ctx
                .store
                .claim_due_mails(later, later + Duration::minutes(1), 10)
                .await
                .expect("claim");
            let warns = |kind: &str| {
                let mail = mails.iter().find(|m| m.kind == kind).expect("mailed");
                let (text, html) = (
                    mail.body_text.clone().unwrap_or_default(),
                    mail.body_html.clone().unwrap_or_default(),
                );
                assert_eq!(
                    text.contains("Personal"),
                    html.contains("Personal"),
                    "{kind}"
                );
                text.contains("Personal")
            };
            assert!(warns("confirm_email"), "the confirmation carries the link");
            assert!(!warns("cancelled"), "the cancellation carries none");
            db.finish().await;
        }
    }

    /// Applicants for a batch, the answers they will get, and the event's id.
    async fn batch_of(
        ctx: &Services,
        slug: &str,
        people: impl IntoIterator<Item = ValidRegistration>,
    ) -> (Vec<Job>, Vec<tokio::sync::oneshot::Receiver<Outcome>>, i64) {
        let id = event_id_of(ctx, slug).await;
        let (jobs, answers) = people
            .into_iter()
            .map(|valid| {
                let (reply, answer) = tokio::sync::oneshot::channel();
                let applicant = Applicant {
                    valid,
                    token: new_token().expect("token"),
                    now: now(),
                };
                (Job { applicant, reply }, answer)
            })
            .unzip();
        (jobs, answers, id)
    }

    fn valid(n: u32) -> ValidRegistration {
        form(n).validate(&[]).expect("valid")
    }

    #[tokio::test]
    async fn one_batch_decides_in_arrival_order_as_one_at_a_time_would() {
        for (ctx, db) in contexts("one_batch_decides_in_arrival_order").await {
            add_event(&ctx, "room", settings(2, true)).await;
            register_people(&ctx, "room", 1..=1).await;
            // Person 2 twice in one batch, person 1 who holds a seat already.
            let (jobs, answers, id) = batch_of(&ctx, "room", [2, 1, 3, 2, 4].map(valid)).await;
            admit_batch(&ctx, id, jobs).await;
            let mut outcomes = Vec::new();
            for answer in answers {
                outcomes.push(answer.await.expect("answered"));
            }
            use RegistrationStatus::*;
            let waiting = |place| {
                Ok(Admitted {
                    status: Waitlisted,
                    waitlist_position: Some(place),
                    hold_until: None,
                })
            };
            assert_eq!(
                outcomes,
                [
                    Ok(Admitted {
                        status: PendingEmail,
                        waitlist_position: None,
                        hold_until: Some(now() + settings(2, true).confirmation_window),
                    }),
                    Err(RegisterError::AlreadyRegistered),
                    waiting(1),
                    Err(RegisterError::AlreadyRegistered),
                    waiting(2),
                ]
            );
            assert_eq!(
                statuses(&ctx, "room").await,
                [
                    ("Person 1".to_owned(), PendingEmail),
                    ("Person 2".to_owned(), PendingEmail),
                    ("Person 3".to_owned(), Waitlisted),
                    ("Person 4".to_owned(), Waitlisted),
                ]
            );
            let kinds: Vec<String> = mailed_links(&ctx)
                .await
                .into_iter()
                .map(|(k, _)| k)
                .collect();
            assert_eq!(
                kinds,
                [
                    "confirm_email",
                    "link_resent",
                    "confirm_email",
                    "waitlisted",
                    "link_resent",
                    "waitlisted"
                ]
            );
            let registrations = ctx.store.registrations_of(id).await.expect("read");
            let mut log = Vec::new();
            for registration in &registrations {
                for entry in ctx
                    .store
                    .registration_log(registration.id)
                    .await
                    .expect("log")
                {
                    log.push((registration.name.clone(), entry.action, entry.to_status));
                }
            }
            let line = |name: &str, action: &str, to: Option<&str>| {
                (name.to_owned(), action.to_owned(), to.map(str::to_owned))
            };
            assert_eq!(
                log,
                [
                    line("Person 1", "registered", Some("pending_email")),
                    line("Person 1", "link_resent", None),
                    line("Person 2", "registered", Some("pending_email")),
                    line("Person 2", "link_resent", None),
                    line("Person 3", "registered", Some("waitlisted")),
                    line("Person 4", "registered", Some("waitlisted")),
                ]
            );
            db.finish().await;
        }
    }

    #[tokio::test]
    async fn a_batch_that_fails_is_tried_one_by_one_and_only_the_failing_one_fails() {
        for (ctx, db) in contexts("a_batch_that_fails_is_tried_one_by_one").await {
            add_event(&ctx, "room", settings(10, true)).await;
            // PostgreSQL refuses a NUL character in text; SQLite stores it. (Validation lets no
            // such text through; this one skips it to make a real statement fail.)
            let mut poisoned = valid(2);
            poisoned.notes = Some("nul \0 byte".to_owned());
            let (jobs, answers, id) = batch_of(&ctx, "room", [valid(1), poisoned, valid(3)]).await;
            admit_batch(&ctx, id, jobs).await;
            let mut outcomes = Vec::new();
            for answer in answers {
                outcomes.push(answer.await.expect("answered").map(|a| a.status));
            }
            let seat = Ok(RegistrationStatus::PendingEmail);
            let expected = match ctx.store.kind() {
                store::BackendKind::Postgres => [seat.clone(), Err(RegisterError::Internal), seat],
                store::BackendKind::Sqlite => [seat.clone(), seat.clone(), seat],
            };
            assert_eq!(outcomes, expected, "{:?}", ctx.store.kind());
            let names: Vec<String> = statuses(&ctx, "room")
                .await
                .into_iter()
                .map(|(n, _)| n)
                .collect();
            let expected_names: &[&str] = match ctx.store.kind() {
                store::BackendKind::Postgres => &["Person 1", "Person 3"],
                store::BackendKind::Sqlite => &["Person 1", "Person 2", "Person 3"],
            };
            assert_eq!(names, expected_names);
            db.finish().await;
        }
    }

    async fn event_id_of(ctx: &Services, slug: &str) -> i64 {
        ctx.store
            .event_id(&self::slug(slug))
            .await
            .expect("query")
            .expect("event")
    }
}
