//! The personal data of registrations: erasing one on the person's or an organizer's request,
//! and erasing every registration of an event some time after it ended (retention). Erasure is
//! in place: the row stays for the event's counts and history, without anything that names the
//! person (see `store::EventWrite::erase_registration`).

use chrono::{DateTime, Duration, Utc};
use domain::audit::{AuditAction, EventChange};
use domain::privacy::{
    ChangedBy, PERSONAL_DATA_FORMAT, PersonalData, PersonalEvent, PersonalHistory, PersonalMail,
    PersonalRegistration, PersonalTopic,
};
use domain::webhooks::WebhookKind;
use domain::{
    CorrectionError, EmailAddress, Event, Field, FieldError, Lang, LinkError, Problem,
    RegistrationForm, RegistrationStatus,
};
use store::{Actor, EventWrite, Registration, StoreError};

use crate::Services;
use crate::mail::{MailKind, Recipient};
use crate::registration::{by_token, new_token, promote_waitlist, recipient};
use crate::token::hash_token;
use crate::webhooks;

/// How long after an event its registrations' personal data is kept, unless configured.
pub const DEFAULT_RETENTION: Duration = Duration::days(90);

/// Why a registration is erased.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Erasure {
    /// The person asked (themselves, or through an organizer): an active registration is
    /// cancelled first (the caller then promotes the waitlist), and they get one last mail.
    OnRequest,
    /// The event is over: the status stays (the counts stay true), no mail.
    AfterTheEvent,
}

/// Erases one registration inside `write`; the audit line says who erased it.
async fn erase_in(
    write: &mut EventWrite,
    ctx: &Services,
    event: &Event,
    registration: &Registration,
    (actor, action): (Actor, AuditAction),
    erasure: Erasure,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let on_request = erasure == Erasure::OnRequest;
    let to = if on_request && registration.status.is_active() {
        write
            .set_status(registration.id, RegistrationStatus::Cancelled, None, now)
            .await?;
        RegistrationStatus::Cancelled
    } else {
        registration.status
    };
    write
        .log(
            registration.id,
            actor,
            action,
            Some(registration.status),
            Some(to),
            now,
        )
        .await?;
    let mail = on_request.then(|| {
        ctx.composer()
            .compose(MailKind::Erased, event, &recipient(registration, None), now)
    });
    // The link becomes the hash of a secret nobody keeps.
    let unreachable = new_token()?;
    write
        .erase_registration(registration.id, &unreachable.hash(), now)
        .await?;
    // After the erasure, which took back what was not delivered about the person yet.
    let erased = (WebhookKind::RegistrationErased, to);
    webhooks::registration(write, ctx, (event, registration), erased, now).await?;
    if let Some(mail) = mail {
        write.enqueue_mail(&mail, now).await?;
    }
    Ok(())
}

/// The person erases their registration through its secret link: a held seat goes to the head
/// of the waitlist in the same transaction, and a mail confirms the erasure.
pub async fn erase_by_link(
    ctx: &Services,
    token: &str,
    now: DateTime<Utc>,
) -> Result<(), LinkError> {
    let (found, event) = by_token(ctx, token).await?;
    let mut write = ctx.store.write_event(event.id).await?;
    let event = write.event().await?;
    let registration = write
        .registration(found.id)
        .await?
        .ok_or(LinkError::Unknown)?;
    erase_in(
        &mut write,
        ctx,
        &event,
        &registration,
        (Actor::Registrant, AuditAction::Erased),
        Erasure::OnRequest,
        now,
    )
    .await?;
    promote_waitlist(&mut write, &event, now, ctx).await?;
    write.commit().await?;
    tracing::info!(
        registration = registration.id,
        "personal data erased on request"
    );
    Ok(())
}

/// An organizer erases registration `id` (on the person's request by other means): as
/// [`erase_by_link`], logged as the organizer's.
pub async fn erase_by_organizer(
    ctx: &Services,
    write: &mut EventWrite,
    event: &Event,
    registration: &Registration,
    by: Actor,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    erase_in(
        write,
        ctx,
        event,
        registration,
        (by, AuditAction::ErasedByOrganizer),
        Erasure::OnRequest,
        now,
    )
    .await?;
    promote_waitlist(write, event, now, ctx).await?;
    Ok(())
}

/// Erases every registration of the event in `write` that still holds personal data, without
/// mails (the event is over), marks the event as erased and logs how many. Returns that count.
pub async fn erase_event_in(
    write: &mut EventWrite,
    ctx: &Services,
    by: Actor,
    retention: bool,
    now: DateTime<Utc>,
) -> Result<u32, StoreError> {
    let event = write.event().await?;
    let mut erased = 0;
    for registration in write.registrations().await? {
        if registration.erased_at.is_some() {
            continue;
        }
        erase_in(
            write,
            ctx,
            &event,
            &registration,
            (by, AuditAction::Erased),
            Erasure::AfterTheEvent,
            now,
        )
        .await?;
        erased += 1;
    }
    write.mark_personal_data_erased(now).await?;
    write
        .log_event(
            by,
            AuditAction::PersonalDataErased,
            &EventChange::PersonalDataErased {
                registrations: erased,
                retention,
            },
            now,
        )
        .await?;
    Ok(erased)
}

/// The retention rule: erases the personal data of every event that ended more than
/// `ctx.retention` ago. Safe on several instances at once (each event under its lock, and an
/// event already erased is skipped). Returns how many registrations were erased.
pub async fn erase_after_retention(ctx: &Services, now: DateTime<Utc>) -> Result<u32, StoreError> {
    let mut erased = 0;
    for event_id in ctx
        .store
        .events_due_for_erasure(now - ctx.retention)
        .await?
    {
        let mut write = ctx.store.write_event(event_id).await?;
        if write.personal_data_erased().await? {
            // Another instance was faster.
            continue;
        }
        erased += erase_event_in(&mut write, ctx, Actor::System, true, now).await?;
        write.commit().await?;
    }
    Ok(erased)
}

/// When the personal data of `event` is (or was) erased: the instant it was, or the instant
/// the retention rule will; `None` for a series (its registrations are kept per event, and a
/// series has no end).
pub async fn erasure_date(
    ctx: &Services,
    event: &Event,
) -> Result<Option<(DateTime<Utc>, bool)>, StoreError> {
    if let Some(at) = ctx.store.personal_data_erased_at(event.id).await? {
        return Ok(Some((at, true)));
    }
    if event.is_series() {
        return Ok(None);
    }
    Ok(Some((event.ends_at + ctx.retention, false)))
}

/// How long the link that confirms a new address works.
pub const ADDRESS_CHANGE_WINDOW: Duration = Duration::hours(48);

/// What a saved correction did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Correction {
    Saved,
    /// Saved, and a mail to the new address asks to confirm it before it replaces the old one.
    AddressToConfirm,
}

/// The holder of `token` corrects what they told at registration: name, organisation, notes and
/// answers, checked by the registration's rules (consent was given). A different e-mail address
/// is not taken at once: a mail to it asks to confirm it first ([`confirm_address`]).
pub async fn correct(
    ctx: &Services,
    token: &str,
    form: &RegistrationForm,
    now: DateTime<Utc>,
) -> Result<Correction, CorrectionError> {
    let (found, event) = by_token(ctx, token).await?;
    let typed = form.email.trim();
    let form = RegistrationForm {
        email: if typed.is_empty() {
            found.email.clone()
        } else {
            typed.to_owned()
        },
        consent: true,
        locale: Some(found.locale.clone()),
        ..form.clone()
    };
    let mut valid = form
        .validate(&event.questions)
        .map_err(CorrectionError::Invalid)?;
    // Answers to questions the event no longer asks stay (the form cannot show them).
    for (key, answer) in &found.answers {
        if !event.questions.iter().any(|q| &q.key == key) {
            valid.answers.insert(key.clone(), answer.clone());
        }
    }
    let current = EmailAddress::parse(&found.email)
        .map(|address| address.normalized())
        .unwrap_or_default();
    let new_address = (valid.email.normalized() != current).then(|| valid.email.clone());
    let mut write = ctx
        .store
        .write_event(event.id)
        .await
        .map_err(LinkError::from)?;
    if let Some(address) = &new_address
        && write
            .registration_by_email(&address.normalized())
            .await
            .map_err(LinkError::from)?
            .is_some()
    {
        return Err(CorrectionError::Invalid(vec![FieldError {
            field: Field::Email,
            problem: Problem::AddressInUse,
        }]));
    }
    write
        .update_details(found.id, &valid, now)
        .await
        .map_err(LinkError::from)?;
    write
        .log(
            found.id,
            Actor::Registrant,
            AuditAction::DetailsCorrected,
            None,
            None,
            now,
        )
        .await
        .map_err(LinkError::from)?;
    let Some(address) = new_address else {
        write.commit().await.map_err(LinkError::from)?;
        return Ok(Correction::Saved);
    };
    let secret = new_token().map_err(LinkError::from)?;
    write
        .request_address_change(found.id, &address, &secret.hash(), now)
        .await
        .map_err(LinkError::from)?;
    let to = Recipient {
        registration_id: found.id,
        name: &valid.name,
        email: address.as_str(),
        token: None,
        lang: valid.locale,
        status: found.status,
        ticket: None,
    };
    let mail = ctx
        .composer()
        .confirm_address(&event, &to, secret.as_str(), now);
    write
        .enqueue_mail(&mail, now)
        .await
        .map_err(LinkError::from)?;
    write
        .log(
            found.id,
            Actor::Registrant,
            AuditAction::AddressChangeRequested,
            None,
            None,
            now,
        )
        .await
        .map_err(LinkError::from)?;
    write.commit().await.map_err(LinkError::from)?;
    Ok(Correction::AddressToConfirm)
}

/// A requested address change that still works: the registration's event title and the new
/// address, for the page that asks to confirm it; `None` for an unknown or lapsed link.
pub async fn address_change(
    ctx: &Services,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<Option<(String, String)>, StoreError> {
    let Some(change) = ctx.store.address_change(&hash_token(secret)).await? else {
        return Ok(None);
    };
    if change.created_at + ADDRESS_CHANGE_WINDOW < now {
        return Ok(None);
    }
    let event = ctx.store.event_by_id(change.event_id).await?;
    Ok(event.map(|event| (event.title, change.new_email)))
}

/// The new address is confirmed (the person read the mail sent to it): it replaces the old
/// one, and a mail to it brings a link to the registration (earlier links keep working).
pub async fn confirm_address(
    ctx: &Services,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<(), LinkError> {
    let change = ctx
        .store
        .address_change(&hash_token(secret))
        .await?
        .ok_or(LinkError::Unknown)?;
    if change.created_at + ADDRESS_CHANGE_WINDOW < now {
        return Err(LinkError::Expired);
    }
    let address = EmailAddress::parse(&change.new_email).map_err(|_| LinkError::Unknown)?;
    let mut write = ctx.store.write_event(change.event_id).await?;
    let event = write.event().await?;
    let registration = write
        .registration(change.registration_id)
        .await?
        .ok_or(LinkError::Unknown)?;
    if write
        .registration_by_email(&address.normalized())
        .await?
        .is_some_and(|other| other.id != registration.id)
    {
        // Someone registered with that address meanwhile: the request no longer applies.
        return Err(LinkError::Unknown);
    }
    write.change_address(registration.id, &address, now).await?;
    let link = new_token()?;
    write.add_link(registration.id, &link.hash(), now).await?;
    let to = Recipient {
        email: address.as_str(),
        ..recipient(&registration, Some(link.as_str()))
    };
    let mail = ctx
        .composer()
        .compose(MailKind::AddressChanged, &event, &to, now);
    write.enqueue_mail(&mail, now).await?;
    write
        .log(
            registration.id,
            Actor::Registrant,
            AuditAction::AddressChanged,
            None,
            None,
            now,
        )
        .await?;
    write.commit().await?;
    Ok(())
}

/// Everything kept about the holder of `token`: the "Your data" page and its JSON download.
pub async fn personal_data(ctx: &Services, token: &str) -> Result<PersonalData, LinkError> {
    let (registration, event) = by_token(ctx, token).await?;
    let store = &ctx.store;
    let history = store
        .registration_log(registration.id)
        .await?
        .into_iter()
        .map(|entry| PersonalHistory {
            at: entry.at,
            by: match entry.actor.as_str() {
                "registrant" => ChangedBy::You,
                "system" => ChangedBy::System,
                _ => ChangedBy::Organizer,
            },
            action: entry.action,
            from_status: entry.from_status,
            to_status: entry.to_status,
        })
        .collect();
    let event_topics = store.topics_of(event.id).await?;
    let voted = store.votes_of(registration.id).await?;
    let topics = event_topics
        .iter()
        .filter(|topic| topic.registration_id == Some(registration.id))
        .map(|topic| PersonalTopic {
            title: topic.title.clone(),
            description: topic.description_md.clone(),
            shown_as: topic.shown_as.clone(),
            status: topic.status,
            proposed_at: topic.created_at,
        })
        .collect();
    let votes = event_topics
        .iter()
        .filter(|topic| voted.contains(&topic.id))
        .map(|topic| topic.title.clone())
        .collect();
    let mails = store
        .mails_to(registration.id)
        .await?
        .into_iter()
        .map(|mail| PersonalMail {
            kind: mail.kind,
            subject: mail.subject,
            status: mail.status,
            queued_at: mail.created_at,
            sent_at: mail.sent_at,
        })
        .collect();
    let waitlist_position = store.waitlist_position(&registration).await?;
    let erased_by = erasure_date(ctx, &event).await?.map(|(at, _)| at);
    Ok(PersonalData {
        format: PERSONAL_DATA_FORMAT,
        event: PersonalEvent {
            slug: event.slug.to_string(),
            title: event.title.clone(),
            starts_at: event.starts_at,
            ends_at: event.ends_at,
            time_zone: event.time_zone,
        },
        registration: PersonalRegistration {
            name: registration.name,
            email: registration.email,
            organisation: registration.organisation,
            notes: registration.notes,
            // By the question as the form asked it (a question removed since: its key).
            answers: domain::questions::shown_answers(
                &event.questions,
                &registration.answers,
                Lang::from_tag(&registration.locale),
            )
            .into_iter()
            .collect(),
            language: registration.locale,
            status: registration.status,
            registered_at: registration.created_at,
            email_confirmed_at: registration.email_confirmed_at,
            seat_held_until: registration
                .hold_expires_at
                .filter(|_| registration.status.is_held()),
            waitlist_position,
            checked_in_at: registration.checked_in_at,
            ticket_code: domain::tickets::TicketCode::parse(&registration.ticket_code)
                .map(|code| code.grouped())
                .unwrap_or_default(),
        },
        history,
        topics,
        votes,
        mails,
        erased_by,
        retention_days: ctx.retention.num_days(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registration::confirm;
    use crate::testing::*;
    use crate::topics::{propose, vote};
    use domain::TopicSettings;

    /// Whether `needle` appears anywhere in the database.
    async fn stored_anywhere(ctx: &Services, needle: &str) -> Vec<String> {
        ctx.store
            .every_text_value()
            .await
            .into_iter()
            .filter(|value| value.contains(needle))
            .collect()
    }

    #[tokio::test]
    async fn erasing_by_link_frees_the_seat_and_leaves_no_trace_of_the_person() {
        for (ctx, db) in
            contexts("erasing_by_link_frees_the_seat_and_leaves_no_trace_of_the_person").await
        {
            add_event_with(&ctx, "hack", |event| {
                event.topics = Some(TopicSettings::default());
                event.registration = Some(settings(1, true));
            })
            .await;
            register_people(&ctx, "hack", 1..=2).await;
            let ada = known_token(&ctx, "hack", 1).await;
            confirm(&ctx, &ada, now()).await.expect("confirmed");
            let topic = propose(&ctx, &ada, &proposal("Sovereign storage"), None, now())
                .await
                .expect("proposed");
            vote(&ctx, &ada, topic, true, now()).await.expect("voted");
            assert!(!stored_anywhere(&ctx, "p1@example.org").await.is_empty());

            let later = now() + Duration::hours(1);
            erase_by_link(&ctx, &ada, later).await.expect("erased");

            assert_eq!(
                statuses(&ctx, "hack").await,
                [
                    ("".to_owned(), RegistrationStatus::Cancelled),
                    ("Person 2".to_owned(), RegistrationStatus::Confirmed),
                ],
                "the seat went to the next person; the row stays, nameless"
            );
            assert!(matches!(
                by_token(&ctx, &ada).await,
                Err(LinkError::Unknown)
            ));
            let kinds: Vec<String> = ctx
                .store
                .mail_log(20)
                .await
                .expect("log")
                .into_iter()
                .map(|mail| mail.kind)
                .collect();
            assert_eq!(
                kinds[..2],
                ["promoted", "erased"],
                "newest first; unsent mails to the erased person are not sent"
            );
            // Until the last mail is sent, it holds the address; then nothing does.
            assert!(!stored_anywhere(&ctx, "p1@example.org").await.is_empty());
            deliver_all(&ctx, later).await;
            for trace in ["p1@example.org", "Person 1"] {
                assert_eq!(
                    stored_anywhere(&ctx, trace).await,
                    Vec::<String>::new(),
                    "{trace}"
                );
            }
            let stored = ctx.store.topic(topic).await.expect("query").expect("topic");
            assert_eq!(
                (
                    stored.title.as_str(),
                    stored.shown_as.as_str(),
                    stored.votes
                ),
                ("Sovereign storage", "", 0),
                "the topic stays, without the name or the vote"
            );
            let counts = ctx
                .store
                .seat_counts(event_id(&ctx).await)
                .await
                .expect("counts");
            assert_eq!(counts.seats_taken, 1);
            assert!(matches!(
                erase_by_link(&ctx, &ada, later).await,
                Err(LinkError::Unknown)
            ));
            db.finish().await;
        }
    }

    #[tokio::test]
    async fn the_retention_rule_erases_events_that_ended_long_enough_ago_and_only_those() {
        for (ctx, db) in
            contexts("the_retention_rule_erases_events_that_ended_long_enough_ago_and_only_those")
                .await
        {
            add_event(&ctx, "early", settings(10, true)).await;
            add_event_with(&ctx, "late", |event| {
                event.starts_at = now() + Duration::days(60);
                event.ends_at = now() + Duration::days(61);
            })
            .await;
            register_people(&ctx, "early", 1..=3).await;
            register_people(&ctx, "late", 4..=5).await;
            deliver_all(&ctx, now()).await;
            // "early" ends a month from now; 91 days after that it is due, "late" is not.
            let then = now() + Duration::days(31) + ctx.retention + Duration::days(1);
            assert_eq!(erase_after_retention(&ctx, then).await.expect("erased"), 3);
            assert_eq!(
                erase_after_retention(&ctx, then).await.expect("erased"),
                0,
                "once"
            );
            for n in 1..=3 {
                assert!(
                    stored_anywhere(&ctx, &format!("p{n}@example.org"))
                        .await
                        .is_empty()
                );
            }
            for n in 4..=5 {
                assert!(
                    !stored_anywhere(&ctx, &format!("p{n}@example.org"))
                        .await
                        .is_empty()
                );
            }
            let early = ctx
                .store
                .event_id(&slug("early"))
                .await
                .expect("query")
                .expect("event");
            assert_eq!(
                ctx.store
                    .seat_counts(early)
                    .await
                    .expect("counts")
                    .seats_taken,
                3,
                "the counts stay"
            );
            assert!(
                ctx.store
                    .personal_data_erased_at(early)
                    .await
                    .expect("query")
                    .is_some()
            );
            db.finish().await;
        }
    }

    #[tokio::test]
    async fn corrections_are_checked_as_at_registration_and_keep_the_address() {
        for (ctx, db) in
            contexts("corrections_are_checked_as_at_registration_and_keep_the_address").await
        {
            add_event(&ctx, "room", settings(5, true)).await;
            register_people(&ctx, "room", 1..=1).await;
            let token = known_token(&ctx, "room", 1).await;
            let corrected = RegistrationForm {
                name: "Ada King".to_owned(),
                email: "someone.else@example.org".to_owned(),
                organisation: Some("Analytical Engines".to_owned()),
                notes: Some("Arriving late".to_owned()),
                ..RegistrationForm::default()
            };
            assert_eq!(
                correct(&ctx, &token, &corrected, now()).await,
                Ok(Correction::AddressToConfirm)
            );
            let data = personal_data(&ctx, &token).await.expect("data");
            assert_eq!(data.registration.name, "Ada King");
            assert_eq!(
                data.registration.email, "p1@example.org",
                "a new address waits for its confirmation"
            );
            assert_eq!(
                data.registration.organisation.as_deref(),
                Some("Analytical Engines")
            );
            assert_eq!(
                data.history.last().map(|h| h.action.as_str()),
                Some("address_change_requested")
            );

            let blank = RegistrationForm {
                name: "  ".to_owned(),
                ..corrected.clone()
            };
            match correct(&ctx, &token, &blank, now()).await {
                Err(CorrectionError::Invalid(errors)) => {
                    assert_eq!(errors[0].field, domain::Field::Name);
                }
                other => panic!("refused: {other:?}"),
            }
            assert_eq!(
                personal_data(&ctx, &token)
                    .await
                    .expect("data")
                    .registration
                    .name,
                "Ada King",
                "a refused correction changes nothing"
            );
            assert!(matches!(
                correct(&ctx, "no-such-link", &corrected, now()).await,
                Err(CorrectionError::Link(LinkError::Unknown))
            ));
            db.finish().await;
        }
    }

    /// The secret of the newest mail asking to confirm an address, and whom it went to.
    async fn address_secret(ctx: &Services) -> (String, String) {
        let later = now() + Duration::days(365);
        let mails = ctx
            .store
            .claim_due_mails(later, later + Duration::minutes(1), 100)
            .await
            .expect("claim");
        let mail = mails
            .into_iter()
            .filter(|mail| mail.kind == "confirm_address")
            .max_by_key(|mail| mail.id)
            .expect("a mail to the new address");
        let text = mail.body_text.expect("text");
        let (_, after) = text.split_once("/address/").expect("the link");
        let secret = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        (secret, mail.recipient)
    }

    #[tokio::test]
    async fn a_new_address_replaces_the_old_one_only_once_confirmed_from_its_mailbox() {
        for (ctx, db) in
            contexts("a_new_address_replaces_the_old_one_only_once_confirmed_from_its_mailbox")
                .await
        {
            add_event(&ctx, "room", settings(5, true)).await;
            register_people(&ctx, "room", 1..=2).await;
            let token = known_token(&ctx, "room", 1).await;
            let asking = |email: &str| RegistrationForm {
                name: "Person 1".to_owned(),
                email: email.to_owned(),
                ..RegistrationForm::default()
            };

            // Someone else's address for the same event is refused at once.
            match correct(&ctx, &token, &asking("P2@example.org"), now()).await {
                Err(CorrectionError::Invalid(errors)) => {
                    assert_eq!(errors[0].field, Field::Email);
                    assert_eq!(errors[0].problem, Problem::AddressInUse);
                }
                other => panic!("refused: {other:?}"),
            }

            assert_eq!(
                correct(&ctx, &token, &asking("new@example.org"), now()).await,
                Ok(Correction::AddressToConfirm)
            );
            let (secret, recipient) = address_secret(&ctx).await;
            assert_eq!(recipient, "new@example.org");
            assert_eq!(
                address_change(&ctx, &secret, now()).await.expect("query"),
                Some(("Event room".to_owned(), "new@example.org".to_owned()))
            );
            confirm_address(&ctx, &secret, now() + Duration::hours(1))
                .await
                .expect("confirmed");
            let data = personal_data(&ctx, &token)
                .await
                .expect("the old link still works");
            assert_eq!(data.registration.email, "new@example.org");
            assert!(matches!(
                confirm_address(&ctx, &secret, now()).await,
                Err(LinkError::Unknown)
            ));
            let to_new = mailed_links(&ctx).await;
            assert!(
                to_new.iter().any(|(kind, _)| kind == "address_changed"),
                "{to_new:?}"
            );

            // A request lapses after 48 hours.
            correct(&ctx, &token, &asking("later@example.org"), now())
                .await
                .expect("asked");
            let (secret, _) = address_secret(&ctx).await;
            assert!(matches!(
                confirm_address(&ctx, &secret, now() + Duration::hours(49)).await,
                Err(LinkError::Expired)
            ));
            assert_eq!(
                personal_data(&ctx, &token)
                    .await
                    .expect("data")
                    .registration
                    .email,
                "new@example.org"
            );
            db.finish().await;
        }
    }

    #[tokio::test]
    async fn the_download_holds_the_person_and_nobody_else() {
        for (ctx, db) in contexts("the_download_holds_the_person_and_nobody_else").await {
            add_event_with(&ctx, "hack", |event| {
                event.topics = Some(TopicSettings::default());
            })
            .await;
            register_people(&ctx, "hack", 1..=2).await;
            let one = known_token(&ctx, "hack", 1).await;
            let two = known_token(&ctx, "hack", 2).await;
            confirm(&ctx, &two, now()).await.expect("confirmed");
            let theirs = propose(&ctx, &two, &proposal("Their topic"), None, now())
                .await
                .expect("proposed");
            confirm(&ctx, &one, now()).await.expect("confirmed");
            vote(&ctx, &one, theirs, true, now()).await.expect("voted");
            propose(&ctx, &one, &proposal("My topic"), None, now())
                .await
                .expect("proposed");
            let data = personal_data(&ctx, &one).await.expect("data");
            assert_eq!(data.registration.name, "Person 1");
            assert_eq!(data.registration.email, "p1@example.org");
            assert_eq!(data.registration.status, RegistrationStatus::Confirmed);
            assert_eq!(data.topics.len(), 1);
            assert_eq!(data.topics[0].title, "My topic");
            assert_eq!(data.votes, ["Their topic"]);
            let actions: Vec<&str> = data.history.iter().map(|h| h.action.as_str()).collect();
            assert_eq!(actions, ["registered", "confirmed_email"]);
            let kinds: Vec<&str> = data.mails.iter().map(|m| m.kind.as_str()).collect();
            assert_eq!(kinds, ["confirm_email", "confirmed"]);
            assert_eq!(
                data.erased_by,
                Some(now() + Duration::days(31) + ctx.retention)
            );
            let json = serde_json::to_string(&data).expect("json");
            for other in ["p2@example.org", "Person 2"] {
                assert!(!json.contains(other), "{other} in {json}");
            }
            db.finish().await;
        }
    }
}
