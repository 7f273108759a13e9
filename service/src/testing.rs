//! Helpers of the flow tests (here and in `app`, with the `testing` feature): a context on a fresh database of each backend, an event, people
//! registered, and links the test knows.

use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;

use domain::topics::TopicForm;
use domain::{
    EventKind, EventSlug, Lang, RegistrationForm, RegistrationSettings, RegistrationStatus,
    TopicSettings,
};
use store::NewEvent;
use store::test_support::TestDatabase;

use crate::Services;
use crate::mail::{MailText, MailTexts};
use crate::registration::register;
use crate::token::hash_token;

/// Mail words that name the text and its values instead of translating them: the flow tests
/// check which mail went to whom; the words themselves are the catalogue's, tested with the
/// pages (`app`).
#[derive(Debug)]
pub struct NamedTexts;

impl MailTexts for NamedTexts {
    fn text(&self, lang: Lang, text: MailText<'_>) -> String {
        format!("{}:{text:?}", lang.tag())
    }
}

/// The flow on a fresh database of each backend (PostgreSQL where a server answers).
pub async fn contexts(test: &str) -> Vec<(Services, TestDatabase)> {
    TestDatabase::both(test)
        .await
        .into_iter()
        .map(|db| {
            let ctx = Services::new(
                db.store.clone(),
                "https://events.example.org".to_owned(),
                Arc::new(NamedTexts),
            );
            (ctx, db)
        })
        .collect()
}

pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-27T10:00:00Z")
        .map(|t| t.with_timezone(&Utc))
        .expect("instant")
}

/// The event address `text`, which a test knows to be valid.
pub fn slug(text: &str) -> EventSlug {
    EventSlug::parse(text).expect("slug")
}

pub async fn add_event(ctx: &Services, slug: &str, settings: RegistrationSettings) {
    add_event_with(ctx, slug, |event| event.registration = Some(settings)).await;
}

/// Adds a hackathon a month from [`now`] taking registrations without a limit, changed by `change`.
pub async fn add_event_with(ctx: &Services, slug: &str, change: impl FnOnce(&mut NewEvent)) {
    let mut event = NewEvent {
        slug: EventSlug::parse(slug).expect("slug"),
        title: format!("Event {slug}"),
        kind: EventKind::Hackathon,
        summary: String::new(),
        description_md: String::new(),
        starts_at: now() + Duration::days(30),
        ends_at: now() + Duration::days(31),
        time_zone: domain::event::parse_time_zone("Europe/Berlin").expect("zone"),
        venue: Some("Dresden".to_owned()),
        online_url: None,
        online_access: domain::event::OnlineAccess::Public,
        host: None,
        external_url: None,
        recurrence: None,
        published: true,
        registration: Some(RegistrationSettings {
            capacity: None,
            waitlist: true,
            opens_at: None,
            closes_at: None,
            confirmation_window: Duration::hours(48),
            offer_window: None,
            last_promotion_at: None,
        }),
        questions: Vec::new(),
        topics: None,
    };
    change(&mut event);
    ctx.store
        .insert_event_if_absent(&event)
        .await
        .expect("insert")
        .expect("new");
}

pub fn settings(capacity: u32, waitlist: bool) -> RegistrationSettings {
    RegistrationSettings {
        capacity: Some(capacity),
        waitlist,
        opens_at: None,
        closes_at: None,
        confirmation_window: Duration::hours(48),
        offer_window: None,
        last_promotion_at: None,
    }
}

pub fn form(n: u32) -> RegistrationForm {
    RegistrationForm {
        name: format!("Person {n}"),
        email: format!("p{n}@example.org"),
        consent: true,
        ..RegistrationForm::default()
    }
}

pub async fn statuses(ctx: &Services, slug: &str) -> Vec<(String, RegistrationStatus)> {
    let id = ctx
        .store
        .event_id(&EventSlug::parse(slug).expect("slug"))
        .await
        .expect("query")
        .expect("event");
    ctx.store
        .registrations_of(id)
        .await
        .expect("registrations")
        .into_iter()
        .map(|r| (r.name, r.status))
        .collect()
}

/// Registers people `first..=last` (see [`form`]) in order.
pub async fn register_people(ctx: &Services, slug: &str, people: std::ops::RangeInclusive<u32>) {
    for n in people {
        register(ctx, &self::slug(slug), &form(n), None, now())
            .await
            .expect("registered");
    }
}

/// Gives a registration a token the test knows (the real one only travels by mail).
pub async fn known_token(ctx: &Services, slug: &str, n: u32) -> String {
    let id = ctx
        .store
        .event_id(&EventSlug::parse(slug).expect("slug"))
        .await
        .expect("query")
        .expect("event");
    let mut write = ctx.store.write_event(id).await.expect("lock");
    let registration = write
        .registration_by_email(&format!("p{n}@example.org"))
        .await
        .expect("query")
        .expect("registered");
    let token = format!("test-token-{n}");
    write
        .replace_links(registration.id, &hash_token(&token), now())
        .await
        .expect("set token");
    write.commit().await.expect("commit");
    token
}

pub fn proposal(title: &str) -> TopicForm {
    TopicForm {
        title: title.to_owned(),
        description: "Some **Markdown**".to_owned(),
        shown_as: String::new(),
    }
}

/// An event collecting topics with people 1..=n registered (addresses confirmed, so their
/// votes count), and their links.
pub async fn board_with_people(
    ctx: &Services,
    settings: TopicSettings,
    people: u32,
) -> Vec<String> {
    add_event_with(ctx, "hack", |event| event.topics = Some(settings)).await;
    register_people(ctx, "hack", 1..=people).await;
    let mut tokens = Vec::new();
    for n in 1..=people {
        let token = known_token(ctx, "hack", n).await;
        crate::registration::confirm(ctx, &token, now())
            .await
            .expect("address confirmed");
        tokens.push(token);
    }
    tokens
}

pub async fn event_id(ctx: &Services) -> i64 {
    ctx.store
        .event_id(&EventSlug::parse("hack").expect("slug"))
        .await
        .expect("query")
        .expect("event")
}

pub async fn votes(ctx: &Services, topic: i64) -> u32 {
    ctx.store
        .topic(topic)
        .await
        .expect("query")
        .expect("topic")
        .votes
}

/// The mails queued so far, in the order they were queued: each one's kind and the secret
/// link in it, if any (what the person would find in their inbox). Claims the mails (a test
/// has no mail worker), so each is returned once.
pub async fn queued_mails(ctx: &Services) -> Vec<(String, Option<String>)> {
    let later = now() + Duration::days(365);
    let mut mails = ctx
        .store
        .claim_due_mails(later, later + Duration::minutes(1), 100)
        .await
        .expect("claim");
    mails.sort_by_key(|mail| mail.id);
    mails
        .into_iter()
        .map(|mail| {
            let token = mail.body_text.and_then(|text| {
                let (_, after) = text.split_once("/r/")?;
                Some(
                    after
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                        .collect(),
                )
            });
            (mail.kind, token)
        })
        .collect()
}

/// The secret links in the mails queued so far (see [`queued_mails`]), with each mail's kind.
pub async fn mailed_links(ctx: &Services) -> Vec<(String, String)> {
    queued_mails(ctx)
        .await
        .into_iter()
        .filter_map(|(kind, token)| Some((kind, token?)))
        .collect()
}

/// Marks every queued mail as sent, as the mail worker would (bodies dropped, an erasure
/// mail's address forgotten).
pub async fn deliver_all(ctx: &Services, at: DateTime<Utc>) {
    let mails = ctx
        .store
        .claim_due_mails(at, at + Duration::minutes(1), 1000)
        .await
        .expect("claim");
    for mail in mails {
        ctx.store.mark_mail_sent(mail.id, at).await.expect("sent");
    }
}
