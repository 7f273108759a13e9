//! Webhooks: the admins' endpoints (add, resume, remove), the messages the flows queue with their
//! change, and the Standard Webhooks signature the worker sends them with.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, Utc};
use domain::admin::AdminError;
use domain::webhooks::{
    EndpointInput, EventData, EventRef, Person, RegistrationData, TopicData, ValidEndpoint,
    WebhookData, WebhookKind, WebhookMessage,
};
use domain::{Event, RegistrationStatus};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use store::{EventWrite, Registration, StoreError, Topic, WebhookEndpoint};

use crate::Services;

/// The prefix of a Standard Webhooks signing secret; the rest is the key in base64.
const SECRET_PREFIX: &str = "whsec_";

/// Registers an endpoint with a fresh signing secret; returns its id.
pub async fn add_endpoint(
    ctx: &Services,
    input: &EndpointInput<'_>,
    now: DateTime<Utc>,
) -> Result<i64, AdminError> {
    let valid = ValidEndpoint::parse(input).map_err(AdminError::Invalid)?;
    let secret = new_secret()
        .map_err(|cause| crate::failed("random source", cause, AdminError::Internal))?;
    Ok(ctx.store.add_webhook_endpoint(&valid, &secret, now).await?)
}

/// Takes an endpoint away with its delivery log.
pub async fn remove_endpoint(ctx: &Services, id: i64) -> Result<(), AdminError> {
    if ctx.store.remove_webhook_endpoint(id).await? {
        Ok(())
    } else {
        Err(AdminError::NotFound)
    }
}

/// Sends to a paused endpoint again, starting with what waited.
pub async fn resume_endpoint(
    ctx: &Services,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), AdminError> {
    if ctx.store.resume_webhook_endpoint(id, now).await? {
        Ok(())
    } else {
        Err(AdminError::NotFound)
    }
}

/// Every endpoint, for the admin page.
pub async fn endpoints(ctx: &Services) -> Result<Vec<WebhookEndpoint>, StoreError> {
    ctx.store.webhook_endpoints().await
}

/// What the privacy page names as getting personal data: each endpoint allowed it, by its
/// description, or the host of its address where it has none.
pub async fn personal_data_recipients(ctx: &Services) -> Result<Vec<String>, StoreError> {
    Ok(ctx
        .store
        .webhook_endpoints()
        .await?
        .into_iter()
        .filter(|endpoint| endpoint.personal_data)
        .map(|endpoint| {
            if endpoint.description.is_empty() {
                let host = endpoint.url.split("://").nth(1).unwrap_or(&endpoint.url);
                host.split(['/', '?', '#'])
                    .next()
                    .unwrap_or(host)
                    .to_owned()
            } else {
                endpoint.description
            }
        })
        .collect())
}

/// A signing secret: `whsec_` and 32 random bytes in base64, as Standard Webhooks libraries
/// expect it.
fn new_secret() -> Result<String, getrandom::Error> {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key)?;
    Ok(format!("{SECRET_PREFIX}{}", STANDARD.encode(key)))
}

/// The `webhook-signature` header of a message: `v1,` and the base64 HMAC-SHA256, keyed with the
/// secret's key, of `{id}.{timestamp}.{body}`. `None` for a secret that is not ours.
pub fn signature(secret: &str, message_id: &str, timestamp: i64, body: &str) -> Option<String> {
    let key = STANDARD.decode(secret.strip_prefix(SECRET_PREFIX)?).ok()?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).ok()?;
    mac.update(format!("{message_id}.{timestamp}.{body}").as_bytes());
    Some(format!(
        "v1,{}",
        STANDARD.encode(mac.finalize().into_bytes())
    ))
}

/// The `webhook-id` of a delivery: the same through every retry, so that a receiver that got
/// it before can tell.
pub fn message_id(delivery_id: i64) -> String {
    format!("msg_{delivery_id}")
}

fn event_ref(ctx: &Services, event: &Event) -> EventRef {
    EventRef {
        slug: event.slug.to_string(),
        title: event.title.clone(),
        url: format!(
            "{}{}",
            ctx.base_url,
            domain::paths::event_href(event.slug.as_str())
        ),
    }
}

/// Queues `message` to the endpoints that take its kind, inside the change's transaction.
async fn queue(
    write: &mut EventWrite,
    message: &WebhookMessage,
    registration_id: Option<i64>,
) -> Result<(), StoreError> {
    let kind = WebhookKind::parse(message.kind).unwrap_or(WebhookKind::EventChanged);
    let to_json = |message: &WebhookMessage| {
        serde_json::to_string(message).map_err(|e| StoreError::Corrupt {
            what: "webhook message",
            detail: e.to_string(),
        })
    };
    let personal = message.has_person().then(|| to_json(message)).transpose()?;
    let payload = to_json(&message.without_person())?;
    write
        .enqueue_webhook(
            kind,
            registration_id,
            (&payload, personal.as_deref()),
            message.timestamp,
        )
        .await
}

/// Tells the endpoints that take `kind` that `registration` now stands at `status`.
pub async fn registration(
    write: &mut EventWrite,
    ctx: &Services,
    (event, registration): (&Event, &Registration),
    (kind, status): (WebhookKind, RegistrationStatus),
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let person = registration.erased_at.is_none().then(|| Person {
        name: registration.name.clone(),
        email: registration.email.clone(),
        organisation: registration.organisation.clone(),
    });
    let about = (registration.id, person);
    registration_about(write, ctx, event, about, (kind, status), now).await
}

/// [`registration`] for one just written: its id and what the person gave.
pub async fn registration_created(
    write: &mut EventWrite,
    ctx: &Services,
    event: &Event,
    (id, valid): (i64, &domain::ValidRegistration),
    status: RegistrationStatus,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let person = Person {
        name: valid.name.clone(),
        email: valid.email.as_str().to_owned(),
        organisation: valid.organisation.clone(),
    };
    let kind = WebhookKind::RegistrationCreated;
    registration_about(write, ctx, event, (id, Some(person)), (kind, status), now).await
}

async fn registration_about(
    write: &mut EventWrite,
    ctx: &Services,
    event: &Event,
    (id, person): (i64, Option<Person>),
    (kind, status): (WebhookKind, RegistrationStatus),
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let data = WebhookData::Registration(RegistrationData {
        id,
        event: event_ref(ctx, event),
        status,
        person: person.filter(|_| kind.is_about_a_person()),
    });
    tell(write, (kind, data), Some(id), now).await
}

/// Queues the message of `kind` with `data` to the endpoints that take it; nothing is written
/// when none does.
async fn tell(
    write: &mut EventWrite,
    (kind, data): (WebhookKind, WebhookData),
    registration_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    if !write.webhook_wanted(kind).await? {
        return Ok(());
    }
    let message = WebhookMessage {
        kind: kind.as_str(),
        timestamp: now,
        data,
    };
    queue(write, &message, registration_id).await
}

/// Tells the endpoints that take `kind` of `event` as it is now; `changed` names what changed.
pub async fn event(
    write: &mut EventWrite,
    ctx: &Services,
    event: &Event,
    (kind, changed): (WebhookKind, Vec<&'static str>),
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let data = WebhookData::Event(EventData {
        event: event_ref(ctx, event),
        starts_at: event.starts_at,
        ends_at: event.ends_at,
        time_zone: event.time_zone.name().to_owned(),
        published: event.published,
        cancelled: event.cancelled_at.is_some(),
        changed,
    });
    tell(write, (kind, data), None, now).await
}

/// Tells the endpoints that take `kind` of `topic` (its title only: moderation comes first).
pub async fn topic(
    write: &mut EventWrite,
    ctx: &Services,
    (event, topic): (&Event, &Topic),
    kind: WebhookKind,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let data = WebhookData::Topic(TopicData {
        id: topic.id,
        event: event_ref(ctx, event),
        title: topic.title.clone(),
        url: format!(
            "{}{}",
            ctx.base_url,
            domain::paths::topics_href(event.slug.as_str())
        ),
    });
    tell(write, (kind, data), None, now).await
}

/// What an `event.changed` message names as changed.
pub fn changed_parts(changes: &domain::changes::EventChanges) -> Vec<&'static str> {
    let mut parts = Vec::new();
    if changes.times.is_some() {
        parts.push("times");
    }
    if changes.venue.is_some() {
        parts.push("venue");
    }
    if changes.online_url.is_some() {
        parts.push("online_url");
    }
    if parts.is_empty() {
        parts.push("details");
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::privacy::erase_by_link;
    use crate::registration::confirm;
    use crate::testing::*;

    fn endpoint<'a>(url: &'a str, kinds: &'a [String], personal_data: bool) -> EndpointInput<'a> {
        EndpointInput {
            url,
            description: "",
            kinds,
            personal_data,
        }
    }

    /// The messages waiting for each endpoint, oldest first, as the worker would claim them.
    async fn waiting(ctx: &Services) -> Vec<(i64, serde_json::Value)> {
        let later = now() + chrono::Duration::days(1);
        let claimed = ctx
            .store
            .claim_due_deliveries(later, later, 100)
            .await
            .expect("claim");
        for delivery in &claimed {
            ctx.store
                .release_delivery(delivery.id)
                .await
                .expect("release");
        }
        claimed
            .into_iter()
            .map(|d| {
                let endpoint = d.endpoint_id().expect("to an endpoint");
                let payload = d.payload.expect("a body until delivered");
                (endpoint, serde_json::from_str(&payload).expect("JSON"))
            })
            .collect()
    }

    #[tokio::test]
    async fn messages_go_with_the_change_and_personal_data_only_where_allowed() {
        for (ctx, _db) in contexts("messages_go_with_the_change_and_personal_data").await {
            let registrations: Vec<String> = [
                "registration.created",
                "registration.confirmed",
                "registration.promoted",
                "registration.erased",
            ]
            .map(str::to_owned)
            .to_vec();
            let crm = add_endpoint(
                &ctx,
                &endpoint("https://crm.example.org/in", &registrations, true),
                now(),
            )
            .await
            .expect("added");
            let created = ["registration.created".to_owned()];
            let stats = add_endpoint(
                &ctx,
                &endpoint("https://stats.example.org/", &created, false),
                now(),
            )
            .await
            .expect("added");
            assert!(matches!(
                add_endpoint(&ctx, &endpoint("ftp://x", &created, false), now()).await,
                Err(AdminError::Invalid(_))
            ));

            add_event(&ctx, "hack", settings(1, true)).await;
            register_people(&ctx, "hack", 1..=2).await;
            let ada = known_token(&ctx, "hack", 1).await;
            confirm(&ctx, &ada, now()).await.expect("confirmed");

            let told: Vec<(i64, String, String)> = waiting(&ctx)
                .await
                .into_iter()
                .map(|(to, json)| {
                    let person = json["data"]["person"]["email"]
                        .as_str()
                        .unwrap_or("-")
                        .to_owned();
                    (to, json["type"].as_str().unwrap_or("").to_owned(), person)
                })
                .collect();
            let line = |to: i64, kind: &str, person: &str| (to, kind.to_owned(), person.to_owned());
            assert_eq!(
                told,
                [
                    line(crm, "registration.created", "p1@example.org"),
                    line(stats, "registration.created", "-"),
                    line(crm, "registration.created", "p2@example.org"),
                    line(stats, "registration.created", "-"),
                    line(crm, "registration.confirmed", "p1@example.org"),
                ]
            );

            // The erasure takes back what was not sent about the person, and says it happened.
            erase_by_link(&ctx, &ada, now()).await.expect("erased");
            let told: Vec<(i64, String, i64)> = waiting(&ctx)
                .await
                .into_iter()
                .map(|(to, json)| {
                    assert!(!json.to_string().contains("p1@example.org"), "{json}");
                    let kind = json["type"].as_str().unwrap_or("").to_owned();
                    (to, kind, json["data"]["id"].as_i64().unwrap_or(0))
                })
                .collect();
            let first = told
                .iter()
                .find(|(_, kind, _)| kind == "registration.erased")
                .map(|(_, _, id)| *id)
                .expect("the erasure is told");
            let second = told
                .iter()
                .find(|(_, kind, _)| kind == "registration.promoted")
                .map(|(_, _, id)| *id)
                .expect("the promotion is told");
            assert_eq!(
                told,
                [
                    (crm, "registration.created".to_owned(), second),
                    (stats, "registration.created".to_owned(), second),
                    (crm, "registration.erased".to_owned(), first),
                    (crm, "registration.promoted".to_owned(), second),
                ]
            );
        }
    }

    #[test]
    fn the_signature_follows_the_standard_webhooks_example() {
        // The example of the Standard Webhooks specification (spec/standard-webhooks.md).
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = r#"{"test": 2432232314}"#;
        assert_eq!(
            signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body).as_deref(),
            Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        );
        assert_eq!(signature("not-a-secret", "msg_1", 1, body), None);
    }

    #[test]
    fn fresh_secrets_differ_and_sign() {
        let (a, b) = (new_secret().expect("random"), new_secret().expect("random"));
        assert_ne!(a, b);
        assert!(a.starts_with(SECRET_PREFIX));
        assert!(signature(&a, "msg_1", 1, "{}").is_some());
    }
}
