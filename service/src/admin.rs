//! The organizers' side: accounts and sessions, and what organizers do to an event's capacity and
//! registrations. Changes run in the event's write transaction like the registrant's own, with
//! mails queued and the audit log written in it; the domain decides.

use std::net::IpAddr;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Utc};
use domain::admin::{
    BroadcastKey, Recipients, Role, SESSION_LIFETIME, SIGN_IN_BACKOFF, SIGN_IN_LIMIT,
    check_password,
};
use domain::audit::{
    Access, Audience, AuditAction, EventChange, EventSnapshot, OccurrenceChange, RegistrationNote,
    WindowSnapshot,
};
use domain::matrix::Notice;
use domain::rate::Rule;
use domain::webhooks::WebhookKind;
use domain::{EmailAddress, Event, EventSlug, Field, FieldError, RegistrationStatus};
use serde::{Deserialize, Serialize};
use store::{Actor, NewOrganizerError, Registration, Store, StoreError};

use crate::Services;
use crate::mail::MailKind;
use crate::registration::{promote_waitlist, recipient};
use crate::token::{SecretToken, hash_token};
use crate::{matrix, webhooks};

/// The cookie holding an organizer's session secret.
pub const SESSION_COOKIE: &str = "convene_session";

/// The organizer a request is signed in as (put into the request by the server's guard).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedIn {
    pub id: i64,
    pub email: String,
    pub role: Role,
}

impl SignedIn {
    pub fn actor(&self) -> Actor {
        Actor::Organizer(self.id)
    }
}

pub use domain::admin::AdminError;

fn argon2() -> Argon2<'static> {
    // Argon2id with the crate's defaults (19 MiB, 2 passes, 1 lane): OWASP's recommendation.
    Argon2::default()
}

/// The PHC string of `password` with a fresh salt.
fn hash_password(password: &str) -> Result<String, AdminError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt)
        .map_err(|e| crate::failed("random source", e, AdminError::Internal))?;
    let salt = SaltString::encode_b64(&salt)
        .map_err(|e| crate::failed("password hash", e, AdminError::Internal))?;
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| crate::failed("password hash", e, AdminError::Internal))
}

fn password_matches(stored: &str, password: &str) -> bool {
    PasswordHash::new(stored)
        .is_ok_and(|hash| argon2().verify_password(password.as_bytes(), &hash).is_ok())
}

/// A new organizer account as typed: address, first password, role (`Role::as_str`).
pub struct NewOrganizer<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub role: &'a str,
}

/// Creates an organizer account (`convene admin create`, or an admin on the organizers page:
/// `by`).
pub async fn create_organizer(
    store: &Store,
    new: NewOrganizer<'_>,
    by: Actor,
    now: DateTime<Utc>,
) -> Result<i64, AdminError> {
    let NewOrganizer {
        email,
        password,
        role,
    } = new;
    let mut errors = Vec::new();
    let email = EmailAddress::parse(email).map_err(|problem| {
        errors.push(FieldError {
            field: Field::Email,
            problem,
        })
    });
    if let Err(problem) = check_password(password) {
        errors.push(FieldError {
            field: Field::Password,
            problem,
        });
    }
    let role = Role::parse_field(role).map_err(|error| errors.push(error));
    let (Ok(email), Ok(role)) = (email, role) else {
        return Err(AdminError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(AdminError::Invalid(errors));
    }
    let hash = hash_password(password)?;
    match store
        .insert_organizer((email.as_str(), &hash, role), by, now)
        .await
    {
        Ok(id) => {
            tracing::info!(
                organizer = id,
                role = role.as_str(),
                "organizer account created"
            );
            Ok(id)
        }
        Err(NewOrganizerError::Exists) => Err(AdminError::OrganizerExists),
        Err(NewOrganizerError::Store(error)) => Err(error.into()),
    }
}

/// Changes the signed-in organizer's password once their current one is given; their other
/// sessions end (`session_secret` is the one in use). Attempts are limited like sign-ins.
pub async fn change_password(
    ctx: &Services,
    me: &SignedIn,
    session_secret: &str,
    (current, new): (&str, &str),
    now: DateTime<Utc>,
) -> Result<(), AdminError> {
    let field = |name: &str, problem| FieldError {
        field: Field::Named(name.to_owned()),
        problem,
    };
    let mut errors = Vec::new();
    if current.is_empty() {
        errors.push(field("current_password", domain::Problem::Required));
    }
    if let Err(problem) = check_password(new) {
        errors.push(field("new_password", problem));
    }
    if !errors.is_empty() {
        return Err(AdminError::Invalid(errors));
    }
    let key = (
        format!("password:organizer:{}", me.id),
        Rule::from(SIGN_IN_LIMIT),
    );
    ctx.rate_limits
        .attempt(&[key], now)
        .map_err(|wait| AdminError::RateLimited {
            retry_after: domain::rate::retry_after_seconds(wait),
        })?;
    let organizer = ctx
        .store
        .organizer(me.id)
        .await?
        .ok_or(AdminError::NotFound)?;
    let current = current.to_owned();
    let matches =
        tokio::task::spawn_blocking(move || password_matches(&organizer.password_hash, &current))
            .await
            .unwrap_or(false);
    if !matches {
        return Err(AdminError::Invalid(vec![field(
            "current_password",
            domain::Problem::WrongPassword,
        )]));
    }
    let hash = hash_password(new)?;
    ctx.store
        .set_organizer_password(me.id, &hash, &hash_token(session_secret), now)
        .await?;
    tracing::info!(organizer = me.id, "organizer changed their password");
    Ok(())
}

/// Takes another organizer's access away (never one's own, so that an admin always remains);
/// the audit log keeps naming them.
pub async fn remove_organizer(
    ctx: &Services,
    me: &SignedIn,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), AdminError> {
    if id == me.id {
        return Err(AdminError::OwnAccess);
    }
    if ctx.store.remove_organizer(id, me.actor(), now).await? {
        tracing::info!(organizer = id, by = me.id, "organizer removed");
        Ok(())
    } else {
        Err(AdminError::NotFound)
    }
}

/// Gives another organizer a role (never oneself: only admins change roles, so an admin
/// always remains). Their sessions go on, with the new role from the next request.
pub async fn set_role(
    ctx: &Services,
    me: &SignedIn,
    id: i64,
    role: &str,
    now: DateTime<Utc>,
) -> Result<Role, AdminError> {
    let role = Role::parse_field(role).map_err(|error| AdminError::Invalid(vec![error]))?;
    if id == me.id {
        return Err(AdminError::OwnAccess);
    }
    if ctx
        .store
        .set_organizer_role(id, role, me.actor(), now)
        .await?
    {
        tracing::info!(organizer = id, by = me.id, role = role.as_str(), "role set");
        Ok(role)
    } else {
        Err(AdminError::NotFound)
    }
}

/// The demo organizer's address.
pub const DEMO_ORGANIZER: &str = "organizer@example.org";

/// Gives the demo organizer a fresh random password (created if missing) and returns it: it is
/// printed once at start, so no well-known password ever opens a demo site.
pub async fn reset_demo_organizer(store: &Store, now: DateTime<Utc>) -> Result<String, AdminError> {
    let password = SecretToken::generate()
        .map_err(|e| crate::failed("random source", e, AdminError::Internal))?
        .as_str()
        .chars()
        .take(20)
        .collect::<String>();
    let hash = hash_password(&password)?;
    store.upsert_organizer(DEMO_ORGANIZER, &hash, now).await?;
    Ok(password)
}

/// Signs an organizer in: the session's secret (for the cookie) and when it expires. An unknown
/// address and a wrong password get the same answer, after the same work.
///
/// Only failures count: each attempt is counted before the password is checked (so a burst
/// cannot slip past) and taken back when it succeeds. Per account (the address typed) failures
/// slow further attempts down ([`SIGN_IN_BACKOFF`]), so nobody can lock an organizer out; per
/// client address they are capped ([`SIGN_IN_LIMIT`]). An attempt refused by either is answered
/// without checking the password.
pub async fn sign_in(
    ctx: &Services,
    email: &str,
    password: &str,
    address: Option<IpAddr>,
    now: DateTime<Utc>,
) -> Result<(String, DateTime<Utc>), AdminError> {
    let mut errors = Vec::new();
    if email.trim().is_empty() {
        errors.push(FieldError {
            field: Field::Email,
            problem: domain::Problem::Required,
        });
    }
    if password.is_empty() {
        errors.push(FieldError {
            field: Field::Password,
            problem: domain::Problem::Required,
        });
    }
    if !errors.is_empty() {
        return Err(AdminError::Invalid(errors));
    }
    if !ctx.password_sign_in {
        return Err(AdminError::PasswordsOff);
    }
    let account = format!("sign-in:account:{}", email.trim().to_lowercase());
    let client = address.map(|a| format!("sign-in:client:{a}"));
    let keys: Vec<(String, Rule)> = std::iter::once((account.clone(), SIGN_IN_BACKOFF.into()))
        .chain(client.clone().map(|key| (key, SIGN_IN_LIMIT.into())))
        .collect();
    ctx.rate_limits
        .attempt(&keys, now)
        .map_err(|wait| AdminError::RateLimited {
            retry_after: domain::rate::retry_after_seconds(wait),
        })?;
    // An address that is none cannot belong to an organizer (nor reach the database as text
    // it refuses, like NUL); it gets the same answer after the same work.
    let organizer = match EmailAddress::parse(email) {
        Ok(_) => ctx.store.organizer_by_email(email).await?,
        Err(_) => None,
    };
    // Without an account (or a password: one made by single sign-on), check against a hash of
    // nothing, so timing does not tell.
    let stored = organizer
        .as_ref()
        .filter(|o| !o.password_hash.is_empty())
        .map_or_else(|| decoy_hash().to_owned(), |o| o.password_hash.clone());
    let password = password.to_owned();
    let matches = tokio::task::spawn_blocking(move || password_matches(&stored, &password))
        .await
        .unwrap_or(false);
    let Some(organizer) = organizer.filter(|_| matches) else {
        return Err(AdminError::WrongCredentials);
    };
    // A success is no failure: the account starts afresh, the client gets its attempt back.
    ctx.rate_limits.forget(&account);
    if let Some(client) = &client {
        ctx.rate_limits.withdraw(client, now);
    }
    let token = SecretToken::generate()
        .map_err(|e| crate::failed("random source", e, AdminError::Internal))?;
    let expires_at = now + SESSION_LIFETIME;
    ctx.store
        .insert_session(&token.hash(), organizer.id, now, expires_at)
        .await?;
    tracing::info!(organizer = organizer.id, "organizer signed in");
    Ok((token.as_str().to_owned(), expires_at))
}

/// A PHC hash that no password matches, for sign-in attempts with an unknown address.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("\u{0}not a password\u{0}").unwrap_or_default())
}

/// The organizer a session cookie's secret belongs to, if it is valid now.
pub async fn session(
    ctx: &Services,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<Option<SignedIn>, StoreError> {
    Ok(ctx
        .store
        .session_organizer(&hash_token(secret), now)
        .await?
        .map(|(id, email, role)| SignedIn { id, email, role }))
}

pub async fn sign_out(ctx: &Services, secret: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    ctx.store.delete_session(&hash_token(secret), now).await
}

/// The event with this slug (published or not) that takes registrations.
pub(crate) async fn event_with_registration(
    ctx: &Services,
    slug: &EventSlug,
) -> Result<Event, AdminError> {
    let event = ctx
        .store
        .event_by_slug(slug)
        .await?
        .ok_or(AdminError::NotFound)?;
    if event.registration.is_none() {
        return Err(AdminError::NoRegistration);
    }
    Ok(event)
}

/// Sets an event's capacity. Raising it seats people from the waitlist at once (their mails
/// are queued); lowering it cancels nobody: new people wait until enough seats are free.
pub async fn set_capacity(
    ctx: &Services,
    by: &SignedIn,
    slug: &EventSlug,
    input: &str,
    now: DateTime<Utc>,
) -> Result<u32, AdminError> {
    let capacity =
        domain::admin::parse_capacity(input).map_err(|error| AdminError::Invalid(vec![error]))?;
    let event = event_with_registration(ctx, slug).await?;
    let mut write = ctx.store.write_event(event.id).await?;
    // Re-read inside the lock: another organizer may have changed it meanwhile.
    let mut event = write.event().await?;
    let before = event.registration.as_ref().and_then(|r| r.capacity);
    write.set_capacity(capacity, now).await?;
    if let Some(settings) = event.registration.as_mut() {
        settings.capacity = capacity;
    }
    write
        .log_event(
            by.actor(),
            AuditAction::Capacity,
            &EventChange::Capacity {
                before,
                after: capacity,
            },
            now,
        )
        .await?;
    let promoted = promote_waitlist(&mut write, &event, now, ctx).await?;
    write.commit().await?;
    Ok(promoted)
}

/// Opens registration now, or closes it now.
pub async fn set_registration_open(
    ctx: &Services,
    by: &SignedIn,
    slug: &EventSlug,
    open: bool,
    now: DateTime<Utc>,
) -> Result<(), AdminError> {
    let event = event_with_registration(ctx, slug).await?;
    let mut write = ctx.store.write_event(event.id).await?;
    let event = write.event().await?;
    if event.is_cancelled() {
        return Err(AdminError::EventCancelled);
    }
    let settings = event
        .registration
        .clone()
        .ok_or(AdminError::NoRegistration)?;
    let (opens_at, closes_at) = if open {
        (None, None)
    } else {
        (settings.opens_at, Some(now))
    };
    write
        .set_registration_window(opens_at, closes_at, now)
        .await?;
    let was_open = event.registration_window(now) == Some(domain::Window::Open);
    if open && !was_open {
        matrix::notify(&mut write, ctx, &event, Notice::RegistrationOpened, now).await?;
    }
    write
        .log_event(
            by.actor(),
            AuditAction::Registration,
            &EventChange::Registration { open },
            now,
        )
        .await?;
    write.commit().await?;
    Ok(())
}

/// A registration of the event at `slug`, read inside the event's lock.
async fn registration_in(
    ctx: &Services,
    slug: &EventSlug,
    id: i64,
) -> Result<(Event, Registration, store::EventWrite), AdminError> {
    let event = event_with_registration(ctx, slug).await?;
    let mut write = ctx.store.write_event(event.id).await?;
    let event = write.event().await?;
    let registration = write.registration(id).await?.ok_or(AdminError::NotFound)?;
    Ok((event, registration, write))
}

/// How often the same look at the same personal data is logged again (pages are reloaded).
pub const ACCESS_LOGGED_ONCE_WITHIN: chrono::Duration = chrono::Duration::hours(1);

/// Records that `by` opened a page that shows personal data (a person's page, the mail log):
/// once an hour per organizer and page.
pub async fn log_access(
    ctx: &Services,
    by: &SignedIn,
    access: &Access,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    ctx.store
        .log_access(by.actor(), access, Some(ACCESS_LOGGED_ONCE_WITHIN), now)
        .await
}

/// Erases the personal data of registration `id` (the person asked an organizer): as when the
/// person does it with their link, logged as the organizer's.
pub async fn erase(
    ctx: &Services,
    by: &SignedIn,
    slug: &EventSlug,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), AdminError> {
    let (event, registration, mut write) = registration_in(ctx, slug, id).await?;
    if registration.erased_at.is_some() {
        return Err(AdminError::AlreadyErased);
    }
    crate::privacy::erase_by_organizer(ctx, &mut write, &event, &registration, by.actor(), now)
        .await?;
    write.commit().await?;
    Ok(())
}

/// Erases the personal data of every registration of the event at `slug` now, after it ended
/// (before the retention rule would). Returns how many were erased.
pub async fn erase_event_data(
    ctx: &Services,
    by: &SignedIn,
    slug: &EventSlug,
    now: DateTime<Utc>,
) -> Result<u32, AdminError> {
    let event = event_with_registration(ctx, slug).await?;
    let mut write = ctx.store.write_event(event.id).await?;
    let event = write.event().await?;
    if event.ends_at > now {
        return Err(AdminError::NotOver);
    }
    if write.personal_data_erased().await? {
        return Err(AdminError::AlreadyErased);
    }
    let erased = crate::privacy::erase_event_in(&mut write, ctx, by.actor(), false, now).await?;
    write.commit().await?;
    Ok(erased)
}

/// Seats a person from the waitlist out of order, for a reason an organizer gives. Seats freed
/// by others go to the head of the waitlist at once, so usually none is free: then the capacity
/// grows by one in the same transaction (and the event log says so), and nobody is overbooked.
pub async fn promote(
    ctx: &Services,
    by: &SignedIn,
    slug: &EventSlug,
    id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), AdminError> {
    // One line, like every other reason an organizer gives (no control characters).
    let reason = domain::form::required_text(reason, domain::topics::HIDE_REASON_MAX).map_err(
        |problem| {
            AdminError::Invalid(vec![FieldError {
                field: Field::Reason,
                problem,
            }])
        },
    )?;
    let reason = reason.as_str();
    let (event, registration, mut write) = registration_in(ctx, slug, id).await?;
    if registration.status != RegistrationStatus::Waitlisted {
        return Err(AdminError::WrongStatus(registration.status));
    }
    let counts = write.seat_counts().await?;
    let capacity = event.registration.as_ref().and_then(|r| r.capacity);
    if let Some(capacity) = capacity
        && domain::registration::free_seats(Some(capacity), counts.seats_taken) == Some(0)
    {
        let raised = counts.seats_taken + 1;
        write.set_capacity(Some(raised), now).await?;
        write
            .log_event(
                by.actor(),
                AuditAction::Capacity,
                &EventChange::SeatAdded {
                    before: capacity,
                    after: raised,
                    registration_id: registration.id,
                },
                now,
            )
            .await?;
    }
    let token = SecretToken::generate()
        .map_err(|e| crate::failed("random source", e, AdminError::Internal))?;
    write.add_link(id, &token.hash(), now).await?;
    write
        .set_status(id, RegistrationStatus::Confirmed, None, now)
        .await?;
    let promoted = (
        WebhookKind::RegistrationPromoted,
        RegistrationStatus::Confirmed,
    );
    webhooks::registration(&mut write, ctx, (&event, &registration), promoted, now).await?;
    let mail = ctx.composer().compose(
        MailKind::Promoted,
        &event,
        &recipient(&registration, Some(token.as_str())),
        now,
    );
    write.enqueue_mail(&mail, now).await?;
    write
        .log_with_note(
            id,
            by.actor(),
            AuditAction::PromotedByOrganizer,
            (
                Some(registration.status),
                Some(RegistrationStatus::Confirmed),
            ),
            Some(&RegistrationNote::Reason {
                text: reason.to_owned(),
            }),
            now,
        )
        .await?;
    write.commit().await?;
    Ok(())
}

/// Cancels a registration for the person (mailing them when `notify`); a freed seat goes to
/// the head of the waitlist in the same transaction.
pub async fn cancel(
    ctx: &Services,
    by: &SignedIn,
    slug: &EventSlug,
    id: i64,
    notify: bool,
    now: DateTime<Utc>,
) -> Result<(), AdminError> {
    let (event, registration, mut write) = registration_in(ctx, slug, id).await?;
    if !registration.status.is_active() {
        return Err(AdminError::WrongStatus(registration.status));
    }
    let taken_before = write.seat_counts().await?.seats_taken;
    write
        .set_status(id, RegistrationStatus::Cancelled, None, now)
        .await?;
    let cancelled = (
        WebhookKind::RegistrationCancelled,
        RegistrationStatus::Cancelled,
    );
    webhooks::registration(&mut write, ctx, (&event, &registration), cancelled, now).await?;
    if notify {
        let mail = ctx.composer().compose(
            MailKind::Cancelled,
            &event,
            &recipient(&registration, None),
            now,
        );
        write.enqueue_mail(&mail, now).await?;
    }
    write
        .log_with_note(
            id,
            by.actor(),
            AuditAction::CancelledByOrganizer,
            (
                Some(registration.status),
                Some(RegistrationStatus::Cancelled),
            ),
            (!notify).then_some(&RegistrationNote::WithoutMail),
            now,
        )
        .await?;
    promote_waitlist(&mut write, &event, now, ctx).await?;
    matrix::tell_if_seats_free(&mut write, ctx, &event, taken_before, now).await?;
    write.commit().await?;
    Ok(())
}

/// Sends the person a fresh link to their registration; every earlier link stops working (a
/// link that went astray is useless from now on).
pub async fn resend(
    ctx: &Services,
    by: &SignedIn,
    slug: &EventSlug,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), AdminError> {
    let (event, registration, mut write) = registration_in(ctx, slug, id).await?;
    if !registration.status.is_active() {
        return Err(AdminError::WrongStatus(registration.status));
    }
    let token = SecretToken::generate()
        .map_err(|e| crate::failed("random source", e, AdminError::Internal))?;
    write.replace_links(id, &token.hash(), now).await?;
    let mail = ctx.composer().compose(
        MailKind::NewLink {
            unconfirmed_seat: registration.status.is_held(),
        },
        &event,
        &recipient(&registration, Some(token.as_str())),
        now,
    );
    write.enqueue_mail(&mail, now).await?;
    write
        .log(
            id,
            by.actor(),
            AuditAction::LinkResentByOrganizer,
            None,
            None,
            now,
        )
        .await?;
    write.commit().await?;
    Ok(())
}

/// Marks a seated person as arrived (or not) at the door.
pub async fn check_in(
    ctx: &Services,
    by: &SignedIn,
    slug: &EventSlug,
    id: i64,
    arrived: bool,
    now: DateTime<Utc>,
) -> Result<(), AdminError> {
    let (_, registration, mut write) = registration_in(ctx, slug, id).await?;
    if !registration.status.holds_seat() {
        return Err(AdminError::WrongStatus(registration.status));
    }
    write.set_checked_in(id, arrived.then_some(now)).await?;
    let action = if arrived {
        AuditAction::CheckedIn
    } else {
        AuditAction::CheckInUndone
    };
    write.log(id, by.actor(), action, None, None, now).await?;
    write.commit().await?;
    Ok(())
}

/// What sending a message did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Broadcasted {
    /// Queued for this many people.
    Sent(u32),
    /// The message with this key was sent already, to this many people; nothing more went out.
    AlreadySent(u32),
}

/// Whom `message` would reach at the event at `slug` now, by where they stand (the preview).
pub async fn broadcast_recipients(
    ctx: &Services,
    slug: &EventSlug,
    message: &domain::admin::Broadcast,
) -> Result<Recipients, AdminError> {
    let event = event_with_registration(ctx, slug).await?;
    let registrations = ctx.store.registrations_of(event.id).await?;
    Ok(Recipients::of(
        message,
        registrations.iter().map(|r| r.status),
    ))
}

/// A key for the message about to be previewed.
pub fn new_broadcast_key() -> Result<BroadcastKey, AdminError> {
    let token = SecretToken::generate()
        .map_err(|e| crate::failed("random source", e, AdminError::Internal))?;
    BroadcastKey::parse(&hash_token(token.as_str())).ok_or(AdminError::Internal)
}

/// Sends `message` to the people it reaches, once per `key`: the audit line keeps the key, and
/// a second post with it (a double click, a reload) is told how many got the first.
pub async fn broadcast(
    ctx: &Services,
    by: &SignedIn,
    slug: &EventSlug,
    message: &domain::admin::Broadcast,
    key: &BroadcastKey,
    now: DateTime<Utc>,
) -> Result<Broadcasted, AdminError> {
    let event = event_with_registration(ctx, slug).await?;
    let mut write = ctx.store.write_event(event.id).await?;
    if let Some(sent) = write.broadcast_with_key(key).await? {
        return Ok(Broadcasted::AlreadySent(sent));
    }
    let event = write.event().await?;
    let mut sent = 0;
    for registration in write.registrations().await? {
        if !message.reaches(registration.status) {
            continue;
        }
        let mail = ctx.composer().broadcast(
            &event,
            &recipient(&registration, None),
            &message.subject,
            &message.message,
            now,
        );
        write.enqueue_mail(&mail, now).await?;
        sent += 1;
    }
    write
        .log_event(
            by.actor(),
            AuditAction::Broadcast,
            &EventChange::Broadcast {
                sent,
                audience: Audience::of(message.seated, message.waiting),
                subject: message.subject.clone(),
                key: Some(key.as_str().to_owned()),
            },
            now,
        )
        .await?;
    write.commit().await?;
    Ok(Broadcasted::Sent(sent))
}

/// Sends `message` to the organizer alone, as the people will get it (in `lang`), to read it in
/// their own mailbox first. Not a broadcast: no audit line, nobody else.
pub async fn broadcast_test(
    ctx: &Services,
    by: &SignedIn,
    slug: &EventSlug,
    message: &domain::admin::Broadcast,
    lang: domain::Lang,
    now: DateTime<Utc>,
) -> Result<(), AdminError> {
    let event = event_with_registration(ctx, slug).await?;
    let to = crate::mail::Recipient {
        registration_id: 0,
        name: &by.email,
        email: &by.email,
        token: None,
        lang,
        // What someone holding a seat gets.
        status: RegistrationStatus::Confirmed,
        ticket: None,
    };
    let mut mail = ctx
        .composer()
        .broadcast(&event, &to, &message.subject, &message.message, now);
    mail.kind = "broadcast_test".to_owned();
    mail.registration_id = None;
    let mut write = ctx.store.write_event(event.id).await?;
    write.enqueue_mail(&mail, now).await?;
    write.commit().await?;
    Ok(())
}

/// Queues a failed mail again, to be sent at once.
pub async fn retry_mail(ctx: &Services, id: i64, now: DateTime<Utc>) -> Result<(), AdminError> {
    if ctx.store.retry_mail(id, now).await? {
        Ok(())
    } else {
        Err(AdminError::MailNotRetryable)
    }
}

/// The registrations of the event at `slug` as CSV for `by` (RFC 4180, UTF-8 with a byte-order
/// mark for Excel, formulas defused); the download is written to the access log (who, when,
/// which event). Erased registrations appear without personal data. Answers follow, one column
/// per question key: the event's questions in their order, then keys of questions it no longer
/// asks that someone answered (several choices one a line, a box `yes` or `no`).
pub async fn registrations_csv(
    ctx: &Services,
    by: &SignedIn,
    slug: &EventSlug,
    now: DateTime<Utc>,
) -> Result<String, AdminError> {
    let event = event_with_registration(ctx, slug).await?;
    let registrations = ctx.store.registrations_of(event.id).await?;
    let access = Access::RegistrationsCsv {
        event_id: event.id,
        registrations: u32::try_from(registrations.len()).unwrap_or(u32::MAX),
    };
    ctx.store.log_access(by.actor(), &access, None, now).await?;
    let mut header: Vec<String> = [
        "id",
        "name",
        "email",
        "organisation",
        "status",
        "waitlist_position",
        "registered_at",
        "email_confirmed_at",
        "checked_in_at",
        "notes",
    ]
    .map(str::to_owned)
    .to_vec();
    let mut keys: Vec<&str> = event.questions.iter().map(|q| q.key.as_str()).collect();
    for registration in &registrations {
        for key in registration.answers.keys() {
            if !keys.contains(&key.as_str()) {
                keys.push(key);
            }
        }
    }
    header.extend(keys.iter().map(|key| (*key).to_owned()));
    let mut out = String::from(domain::csv::UTF8_BOM);
    out.push_str(&domain::csv::record(&header));
    let instant = |at: Option<DateTime<Utc>>| at.map(|t| t.to_rfc3339()).unwrap_or_default();
    let mut waiting: Vec<&Registration> = registrations
        .iter()
        .filter(|r| r.status == RegistrationStatus::Waitlisted)
        .collect();
    waiting.sort_by_key(|r| (r.waitlist_seq, r.id));
    for registration in &registrations {
        let place = if registration.status == RegistrationStatus::Waitlisted {
            waiting
                .iter()
                .position(|r| r.id == registration.id)
                .map(|p| (p + 1).to_string())
                .unwrap_or_default()
        } else {
            String::new()
        };
        let email = if registration.erased_at.is_some() {
            String::new()
        } else {
            registration.email.clone()
        };
        let mut row = vec![
            registration.id.to_string(),
            registration.name.clone(),
            email,
            registration.organisation.clone().unwrap_or_default(),
            registration.status.as_str().to_owned(),
            place,
            registration.created_at.to_rfc3339(),
            instant(registration.email_confirmed_at),
            instant(registration.checked_in_at),
            registration.notes.clone().unwrap_or_default(),
        ];
        row.extend(
            keys.iter()
                .map(|key| registration.answers.get(*key).cloned().unwrap_or_default()),
        );
        out.push_str(&domain::csv::record(&row));
    }
    Ok(out)
}

/// How many numbered addresses (`-2` to `-9`) are tried for one made from a title.
const SUGGESTED_NUMBERS: u32 = 9;

/// Creates an event (`original` is `None`) or changes the one at `original`, from the
/// organizers' form; returns its (possibly new) address. On an existing event the capacity is
/// not changed here (that has its own form, which promotes the waitlist).
pub async fn save_event(
    ctx: &Services,
    by: &SignedIn,
    original: Option<&EventSlug>,
    fields: &domain::event_form::EventFields,
    now: DateTime<Utc>,
) -> Result<EventSlug, AdminError> {
    let valid = domain::event_form::validate_event(fields).map_err(AdminError::Invalid)?;
    let existing = match original {
        Some(slug) => Some(
            ctx.store
                .event_by_slug(slug)
                .await?
                .ok_or(AdminError::NotFound)?,
        ),
        None => None,
    };
    let existing_id = existing.as_ref().map(|e| e.id);
    let mut slug = valid.slug.clone();
    // An address made from the title gets a number when another event has it.
    if valid.slug_from_title {
        for n in 2..=SUGGESTED_NUMBERS {
            let taken = ctx.store.event_id(&slug).await?;
            if taken.is_none() || taken == existing_id {
                break;
            }
            slug = valid.slug.numbered(n);
        }
    }
    let taken = ctx.store.event_id(&slug).await?;
    if taken.is_some() && taken != existing_id {
        return Err(AdminError::Invalid(vec![FieldError {
            field: Field::Named("slug".to_owned()),
            problem: domain::Problem::Taken,
        }]));
    }
    let mut event = store::NewEvent {
        slug: slug.clone(),
        title: valid.title,
        kind: valid.kind,
        summary: valid.summary,
        description_md: valid.description_md,
        starts_at: valid.starts_at,
        ends_at: valid.ends_at,
        time_zone: valid.time_zone,
        venue: valid.venue,
        online_url: valid.online_url,
        online_access: valid.online_access,
        host: valid.host,
        external_url: valid.external_url,
        recurrence: valid.recurrence,
        published: valid.published,
        registration: valid.registration,
        // Without the editor (the API, an older page) the questions stay as they are.
        questions: match (valid.questions, &existing) {
            (Some(questions), _) => questions,
            (None, Some(old)) => old.questions.clone(),
            (None, None) => Vec::new(),
        },
        topics: valid.topics,
    };
    let after = snapshot(
        &event.title,
        event.published,
        event.starts_at,
        event.registration.as_ref(),
    );
    let (mut write, action, before) = match &existing {
        Some(old) => {
            let mut write = ctx.store.write_event(old.id).await?;
            // The capacity has its own form: keep the one stored now, read under the lock so
            // that a change another organizer just made is not undone.
            let current = write.event().await?;
            if let (Some(new), Some(stored)) = (event.registration.as_mut(), &current.registration)
            {
                new.capacity = stored.capacity;
            }
            write.update_event(&event, now).await?;
            // Who holds a seat hears of a new time, place or link, in the same transaction.
            let updated = write.event().await?;
            let changes = domain::changes::EventChanges::between(&current, &updated);
            tell_of_changes(ctx, &mut write, &updated, &changes, now).await?;
            let changed = (WebhookKind::EventChanged, webhooks::changed_parts(&changes));
            webhooks::event(&mut write, ctx, &updated, changed, now).await?;
            let what = domain::matrix::changed_parts(&changes);
            let notice = match (current.published, what.is_empty()) {
                (false, _) => Some(Notice::Published),
                (true, false) => Some(Notice::Changed { what }),
                (true, true) => None,
            };
            if let Some(notice) = notice {
                matrix::notify(&mut write, ctx, &updated, notice, now).await?;
            }
            let before = snapshot(
                &current.title,
                current.published,
                current.starts_at,
                current.registration.as_ref(),
            );
            (write, AuditAction::EventUpdated, Some(before))
        }
        None => {
            // The event and its audit line in one transaction.
            let mut write = ctx.store.create_event(&event).await?.ok_or_else(|| {
                AdminError::Invalid(vec![FieldError {
                    field: Field::Named("slug".to_owned()),
                    problem: domain::Problem::Taken,
                }])
            })?;
            let created = write.event().await?;
            let kind = (WebhookKind::EventCreated, Vec::new());
            webhooks::event(&mut write, ctx, &created, kind, now).await?;
            matrix::notify(&mut write, ctx, &created, Notice::Published, now).await?;
            (write, AuditAction::EventCreated, None)
        }
    };
    write
        .log_event(
            by.actor(),
            action,
            &EventChange::Saved { before, after },
            now,
        )
        .await?;
    write.commit().await?;
    Ok(slug)
}

/// Queues the "what changed" mail to everyone holding a seat and, for a new time, everyone
/// waiting. The mail waits `change_mail_delay` before it goes out; a change meanwhile is merged
/// into it (one mail with the net change, none when it was changed back).
async fn tell_of_changes(
    ctx: &Services,
    write: &mut store::EventWrite,
    event: &Event,
    changes: &domain::changes::EventChanges,
    now: DateTime<Utc>,
) -> Result<(), AdminError> {
    if changes.is_empty() || event.registration.is_none() {
        return Ok(());
    }
    let due = now + ctx.change_mail_delay;
    for registration in write.registrations().await? {
        let (replacing, net) = match write.waiting_change_mail(registration.id, now).await? {
            Some((id, earlier)) => (Some(id), earlier.then(changes.clone())),
            None => (None, changes.clone()),
        };
        let status = registration.status;
        let reached = status.holds_seat()
            || (status == RegistrationStatus::Waitlisted && net.reaches_waitlist());
        if !reached || net.is_empty() {
            if let Some(id) = replacing {
                write.drop_change_mail(id).await?;
            }
            continue;
        }
        let with_calendar = status == RegistrationStatus::Confirmed;
        let mail = ctx.composer().event_changed(
            event,
            &recipient(&registration, None),
            (&net, with_calendar),
            now,
        );
        write
            .enqueue_change_mail(&mail, &net, (due, replacing), now)
            .await?;
    }
    Ok(())
}

/// What an event's log keeps of a saved event.
fn snapshot(
    title: &str,
    published: bool,
    starts_at: DateTime<Utc>,
    registration: Option<&domain::RegistrationSettings>,
) -> EventSnapshot {
    EventSnapshot {
        title: title.to_owned(),
        published,
        starts_at,
        registration: registration.map(|r| WindowSnapshot {
            opens_at: r.opens_at,
            closes_at: r.closes_at,
        }),
    }
}

/// Publishes an event saved unpublished: its page, the feeds and the API show it from now on.
/// An event published already stays as it is (a second click changes nothing).
pub async fn publish_event(
    ctx: &Services,
    by: &SignedIn,
    slug: &EventSlug,
    now: DateTime<Utc>,
) -> Result<(), AdminError> {
    let found = ctx
        .store
        .event_by_slug(slug)
        .await?
        .ok_or(AdminError::NotFound)?;
    let mut write = ctx.store.write_event(found.id).await?;
    let event = write.event().await?;
    if event.published {
        return Ok(());
    }
    write.set_published(true, now).await?;
    let published = Event {
        published: true,
        ..event.clone()
    };
    matrix::notify(&mut write, ctx, &published, Notice::Published, now).await?;
    let as_saved = |published| {
        snapshot(
            &event.title,
            published,
            event.starts_at,
            event.registration.as_ref(),
        )
    };
    write
        .log_event(
            by.actor(),
            AuditAction::EventUpdated,
            &EventChange::Saved {
                before: Some(as_saved(false)),
                after: as_saved(true),
            },
            now,
        )
        .await?;
    write.commit().await?;
    Ok(())
}

/// Deletes an event nobody has registered for.
pub async fn delete_event(ctx: &Services, slug: &EventSlug) -> Result<(), AdminError> {
    let event = ctx
        .store
        .event_by_slug(slug)
        .await?
        .ok_or(AdminError::NotFound)?;
    if ctx
        .store
        .delete_event_without_registrations(event.id)
        .await?
    {
        tracing::info!(event = event.id, "event deleted");
        Ok(())
    } else {
        Err(AdminError::HasRegistrations)
    }
}

/// Calls the whole event at `slug` off: it stays listed, marked cancelled (in feeds too), and
/// every active registration is cancelled with a mail carrying the organizers' `message`, all
/// in one transaction under the event's lock, so nobody registers in between. Returns how many
/// people were mailed. Cannot be undone, so the organizer confirms it.
pub async fn cancel_event(
    ctx: &Services,
    by: &SignedIn,
    slug: &EventSlug,
    (message, confirmed): (&str, bool),
    now: DateTime<Utc>,
) -> Result<u32, AdminError> {
    let message =
        domain::admin::validate_cancellation(message, confirmed).map_err(AdminError::Invalid)?;
    let event = ctx
        .store
        .event_by_slug(slug)
        .await?
        .ok_or(AdminError::NotFound)?;
    let mut write = ctx.store.write_event(event.id).await?;
    let event = write.event().await?;
    if event.is_cancelled() {
        return Err(AdminError::EventCancelled);
    }
    write.mark_cancelled(now).await?;
    let event = Event {
        cancelled_at: Some(now),
        ..event
    };
    webhooks::event(
        &mut write,
        ctx,
        &event,
        (WebhookKind::EventCancelled, Vec::new()),
        now,
    )
    .await?;
    matrix::notify(&mut write, ctx, &event, Notice::Cancelled, now).await?;
    let mut mailed = 0;
    for registration in write.registrations().await? {
        if !registration.status.is_active() {
            continue;
        }
        write
            .set_status(registration.id, RegistrationStatus::Cancelled, None, now)
            .await?;
        let cancelled = (
            WebhookKind::RegistrationCancelled,
            RegistrationStatus::Cancelled,
        );
        webhooks::registration(&mut write, ctx, (&event, &registration), cancelled, now).await?;
        write
            .log_with_note(
                registration.id,
                by.actor(),
                AuditAction::EventCancelled,
                (
                    Some(registration.status),
                    Some(RegistrationStatus::Cancelled),
                ),
                None,
                now,
            )
            .await?;
        let mail = ctx.composer().event_cancelled(
            &event,
            &recipient(&registration, None),
            message.as_deref(),
            now,
        );
        write.enqueue_mail(&mail, now).await?;
        mailed += 1;
    }
    write
        .log_event(
            by.actor(),
            AuditAction::EventCancelled,
            &EventChange::Cancelled {
                mailed,
                message: message.clone(),
            },
            now,
        )
        .await?;
    write.commit().await?;
    Ok(mailed)
}

/// Cancels, moves or restores one date of the series at `slug`.
pub async fn change_occurrence(
    ctx: &Services,
    by: &SignedIn,
    slug: &EventSlug,
    fields: &domain::event_form::EventFields,
    now: DateTime<Utc>,
) -> Result<(), AdminError> {
    let event = ctx
        .store
        .event_by_slug(slug)
        .await?
        .filter(Event::is_series)
        .ok_or(AdminError::NotFound)?;
    let id = event.id;
    let current = ctx
        .store
        .occurrence_overrides_of(id)
        .await?
        .into_iter()
        .find(|o| {
            fields
                .get("date")
                .is_some_and(|d| o.original_date.to_string() == *d)
        });
    let (change, kind) =
        domain::event_form::validate_occurrence_change(&event, fields, current.as_ref())
            .map_err(AdminError::Invalid)?;
    let what = match (kind, change.cancelled, change.moved_to) {
        (domain::event_form::OccurrenceChange::Notes, ..) => OccurrenceChange::Notes,
        (_, true, _) => OccurrenceChange::Cancelled,
        (_, false, Some((starts, _))) => OccurrenceChange::MovedTo(starts),
        (_, false, None) => OccurrenceChange::AsPlanned,
    };
    // The change, its audit line and the mails it causes in one transaction: a crash between
    // them loses none.
    let mut write = ctx.store.write_event(id).await?;
    write.upsert_occurrence_override(&change).await?;
    write
        .log_event(
            by.actor(),
            AuditAction::Occurrence,
            &EventChange::Occurrence {
                date: change.original_date,
                change: what,
            },
            now,
        )
        .await?;
    let before = event.occurrence_on(change.original_date, current.as_ref());
    let after = event.occurrence_on(change.original_date, Some(&change));
    if let (Some(before), Some(after)) = (before, after) {
        mail_date_change(ctx, &mut write, (&before, &after), now).await?;
        let times = |o: &domain::Occurrence| (o.status, o.starts_at, o.ends_at);
        let notice = match after.status {
            _ if times(&before) == times(&after) => None,
            domain::OccurrenceStatus::Cancelled => Some(Notice::DateCancelled {
                date: after.original_date,
            }),
            domain::OccurrenceStatus::Moved => Some(Notice::DateMoved {
                date: after.original_date,
                starts_at: after.starts_at,
                ends_at: after.ends_at,
            }),
            domain::OccurrenceStatus::Scheduled => None,
        };
        if let Some(notice) = notice {
            matrix::notify(&mut write, ctx, &event, notice, now).await?;
        }
    }
    write.commit().await?;
    Ok(())
}

/// Tells everyone registered for a series (holding a seat or waiting) that one of its dates was
/// cancelled, moved, or takes place after all: one mail each, in their language, with that
/// date's updated calendar entry for a confirmed seat. A change of notes alone mails nobody.
async fn mail_date_change(
    ctx: &Services,
    write: &mut store::EventWrite,
    (before, after): (&domain::Occurrence, &domain::Occurrence),
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let unchanged = (before.status == domain::OccurrenceStatus::Cancelled)
        == (after.status == domain::OccurrenceStatus::Cancelled)
        && (before.starts_at, before.ends_at) == (after.starts_at, after.ends_at);
    // Read inside the lock: the raised SEQUENCE, and who stands registered now.
    let event = write.event().await?;
    if unchanged || event.registration.is_none() {
        return Ok(());
    }
    let mails: Vec<_> = write
        .registrations()
        .await?
        .iter()
        .filter(|r| r.status.is_active())
        .map(|r| {
            ctx.composer().date_changed(
                &event,
                &recipient(r, None),
                (before, after),
                r.status == RegistrationStatus::Confirmed,
                now,
            )
        })
        .collect();
    write.enqueue_mails(&mails, now).await
}
