//! The topic collection: the board, proposing, editing, withdrawing and voting through a
//! registration's secret link, and the organizers' moderation (accept, hide, merge, reorder).
//! Every change runs in the event's write transaction; the domain decides what is allowed.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use domain::audit::{AuditAction, EventChange};
use domain::rate::RateLimit;
use domain::topics::{TopicForm, board_order, validate_hide_reason};
use domain::webhooks::WebhookKind;
use domain::{Event, EventSlug, FieldError, TopicError, TopicRefusal};
use store::{Actor, EventWrite, Registration, StoreError, Topic};

use crate::Services;
use crate::limits::RateLimiter;
use crate::markdown::to_safe_html;
use crate::registration::find_by_token;
use crate::webhooks;

/// Proposals per registration and per address in ten minutes: a burst is refused with 429, a
/// person proposing now and then never notices.
const PER_REGISTRATION: RateLimit = RateLimit {
    limit: 5,
    window: Duration::minutes(10),
};
const PER_ADDRESS: RateLimit = RateLimit {
    limit: 20,
    window: Duration::minutes(10),
};

/// Counts a proposal by `registration_id` from `address`; `false` when either is over its limit.
fn admit_proposal(
    limiter: &RateLimiter,
    registration_id: i64,
    address: Option<IpAddr>,
    now: DateTime<Utc>,
) -> bool {
    let keys: Vec<(String, RateLimit)> = std::iter::once((
        format!("proposal:registration:{registration_id}"),
        PER_REGISTRATION,
    ))
    .chain(address.map(|a| (format!("proposal:address:{a}"), PER_ADDRESS)))
    .collect();
    limiter.admit(&keys, now)
}

/// The board as data (`/events/{slug}/topics.json`, `/api/v1/events/{slug}/topics`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, serde::Serialize)]
pub struct TopicsDocument {
    pub event: String,
    pub proposals_open: bool,
    pub proposals_close_at: Option<DateTime<Utc>>,
    pub per_person: Option<u32>,
    /// In board order. Hidden topics carry only their id, status and reason.
    pub topics: Vec<TopicEntry>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, serde::Serialize)]
pub struct TopicEntry {
    pub id: i64,
    pub status: domain::TopicStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description_markdown: Option<String>,
    /// The description rendered as it is on the board (sanitised).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description_html: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proposed_by: Option<String>,
    pub votes: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hidden_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agenda_position: Option<i64>,
    pub created_at: DateTime<Utc>,
}

/// The board of the event at `slug` as data; `None` when it collects no topics.
pub async fn topics_document(
    ctx: &Services,
    slug: &EventSlug,
) -> Result<Option<TopicsDocument>, StoreError> {
    let Some(event) = ctx.store.published_event(slug).await? else {
        return Ok(None);
    };
    let Some(settings) = event.topics.clone() else {
        return Ok(None);
    };
    let mut topics = ctx.store.topics_of(event.id).await?;
    topics.sort_by(|a, b| board_order(&board_key(a), &board_key(b)));
    let entries = topics
        .into_iter()
        .map(|topic| {
            let shown = (topic.status != domain::TopicStatus::Hidden).then_some(());
            TopicEntry {
                id: topic.id,
                status: topic.status,
                description_html: shown.map(|()| to_safe_html(&topic.description_md)),
                title: shown.map(|()| topic.title),
                description_markdown: shown.map(|()| topic.description_md),
                proposed_by: shown.map(|()| topic.shown_as),
                votes: if topic.status.takes_votes() {
                    topic.votes
                } else {
                    0
                },
                merged_into: topic.merged_into,
                hidden_reason: topic.hidden_reason,
                agenda_position: topic.agenda_position,
                created_at: topic.created_at,
            }
        })
        .collect();
    Ok(Some(TopicsDocument {
        event: event.slug.to_string(),
        proposals_open: event.check_topic_proposal(Utc::now(), 0).is_ok(),
        proposals_close_at: settings.proposals_close_at,
        per_person: settings.per_person,
        topics: entries,
    }))
}

pub fn board_key(topic: &Topic) -> domain::topics::BoardKey {
    domain::topics::BoardKey {
        id: topic.id,
        status: topic.status,
        votes: topic.votes,
        created_at: topic.created_at,
        agenda_position: topic.agenda_position,
    }
}

/// The registration behind `token`, its event, and the event's write lock, with the
/// registration re-read inside the lock: it must still be in play.
async fn holder(
    ctx: &Services,
    token: &str,
) -> Result<(Registration, Event, EventWrite), TopicError> {
    let (found, event) = find_by_token(ctx, token)
        .await?
        .ok_or(TopicError::UnknownLink)?;
    if event.topics.is_none() {
        return Err(TopicError::NotCollecting);
    }
    let mut write = ctx.store.write_event(event.id).await?;
    let registration = write
        .registration(found.id)
        .await?
        .ok_or(TopicError::UnknownLink)?;
    if !registration.status.is_active() {
        return Err(TopicError::Inactive);
    }
    Ok((registration, event, write))
}

/// A topic of the locked event.
async fn topic_in(write: &mut EventWrite, topic_id: i64) -> Result<Topic, TopicError> {
    write.topic(topic_id).await?.ok_or(TopicError::UnknownTopic)
}

/// Proposes a topic; returns its id.
pub async fn propose(
    ctx: &Services,
    token: &str,
    form: &TopicForm,
    address: Option<IpAddr>,
    now: DateTime<Utc>,
) -> Result<i64, TopicError> {
    let (registration, event, mut write) = holder(ctx, token).await?;
    let topic = form
        .validate(&registration.name)
        .map_err(TopicError::Invalid)?;
    let proposed = write.topics_proposed_by(registration.id).await?;
    event.check_topic_proposal(now, proposed)?;
    if !admit_proposal(&ctx.rate_limits, registration.id, address, now) {
        return Err(TopicError::RateLimited);
    }
    let id = write
        .insert_topic(Some(registration.id), &topic, now)
        .await?;
    if let Some(stored) = write.topic(id).await? {
        let proposed = WebhookKind::TopicProposed;
        webhooks::topic(&mut write, ctx, (&event, &stored), proposed, now).await?;
        let notice = domain::matrix::Notice::TopicProposed {
            title: stored.title.clone(),
        };
        crate::matrix::notify(&mut write, ctx, &event, notice, now).await?;
    }
    write.commit().await?;
    tracing::info!(topic = id, event = event.id, "topic proposed");
    Ok(id)
}

/// Changes one's own topic while it is still only proposed.
pub async fn edit(
    ctx: &Services,
    token: &str,
    topic_id: i64,
    form: &TopicForm,
    now: DateTime<Utc>,
) -> Result<(), TopicError> {
    let (registration, _, mut write) = holder(ctx, token).await?;
    let topic = topic_in(&mut write, topic_id).await?;
    topic.state().check_change_by(registration.id)?;
    let valid = form
        .validate(&registration.name)
        .map_err(TopicError::Invalid)?;
    write.update_topic(topic_id, &valid, now).await?;
    write.commit().await?;
    Ok(())
}

/// Withdraws one's own topic (and the votes on it) while it is still only proposed.
pub async fn withdraw(ctx: &Services, token: &str, topic_id: i64) -> Result<(), TopicError> {
    let (registration, _, mut write) = holder(ctx, token).await?;
    let topic = topic_in(&mut write, topic_id).await?;
    topic.state().check_change_by(registration.id)?;
    write.delete_topic(topic_id).await?;
    write.commit().await?;
    Ok(())
}

/// Votes for a topic (`add`) or withdraws the vote.
pub async fn vote(
    ctx: &Services,
    token: &str,
    topic_id: i64,
    add: bool,
    now: DateTime<Utc>,
) -> Result<(), TopicError> {
    let (registration, _, mut write) = holder(ctx, token).await?;
    let topic = topic_in(&mut write, topic_id).await?;
    topic.state().check_vote()?;
    if add {
        if !write.add_vote(topic_id, registration.id, now).await? {
            return Err(TopicRefusal::AlreadyVoted.into());
        }
    } else if !write.remove_vote(topic_id, registration.id).await? {
        return Err(TopicRefusal::NotVoted.into());
    }
    write.commit().await?;
    Ok(())
}

/// What an organizer does to a topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Moderation {
    Accept,
    Hide { reason: String },
    MergeInto { target: i64 },
}

/// Applies an organizer's decision to one topic of the event `event_id`.
pub async fn moderate(
    ctx: &Services,
    organizer: Actor,
    event_id: i64,
    topic_id: i64,
    action: Moderation,
    now: DateTime<Utc>,
) -> Result<(), TopicError> {
    let mut write = ctx.store.write_event(event_id).await?;
    let topic = topic_in(&mut write, topic_id).await?;
    match &action {
        Moderation::Accept => {
            if !topic.status.takes_votes() {
                return Err(TopicRefusal::Locked(topic.status).into());
            }
            write.accept_topic(topic_id, now).await?;
            let event = write.event().await?;
            let accepted = WebhookKind::TopicAccepted;
            webhooks::topic(&mut write, ctx, (&event, &topic), accepted, now).await?;
        }
        Moderation::Hide { reason } => {
            let reason =
                validate_hide_reason(reason).map_err(|error| TopicError::Invalid(vec![error]))?;
            if topic.status == domain::TopicStatus::Merged {
                return Err(TopicRefusal::Locked(topic.status).into());
            }
            write.hide_topic(topic_id, &reason, now).await?;
        }
        Moderation::MergeInto { target } => {
            let target = topic_in(&mut write, *target)
                .await
                .map_err(|_| TopicError::Refused(TopicRefusal::MergeTarget))?;
            topic.state().check_merge_into(&target.state())?;
            write.merge_topic(topic_id, target.id, now).await?;
        }
    }
    let (what, reason, merged_into) = match &action {
        Moderation::Accept => (AuditAction::TopicAccepted, None, None),
        Moderation::Hide { reason } => (AuditAction::TopicHidden, Some(reason.clone()), None),
        Moderation::MergeInto { target } => (AuditAction::TopicMerged, None, Some(*target)),
    };
    let change = EventChange::Topic {
        topic_id,
        title: topic.title.clone(),
        reason,
        merged_into,
    };
    write.log_event(organizer, what, &change, now).await?;
    write.commit().await?;
    tracing::info!(topic = topic_id, ?action, ?organizer, "topic moderated");
    Ok(())
}

/// Sets the agenda order of the event's accepted topics (`ids[0]` first). Every accepted topic
/// must be named once; nothing else may be.
pub async fn reorder_agenda(
    ctx: &Services,
    organizer: Actor,
    event_id: i64,
    ids: &[i64],
    now: DateTime<Utc>,
) -> Result<(), TopicError> {
    let mut write = ctx.store.write_event(event_id).await?;
    let mut accepted = Vec::new();
    for topic in write.topics().await? {
        if topic.status == domain::TopicStatus::Accepted {
            accepted.push(topic.id);
        }
    }
    let mut named = ids.to_vec();
    named.sort_unstable();
    accepted.sort_unstable();
    if named != accepted {
        return Err(TopicError::UnknownTopic);
    }
    write.set_agenda_order(ids, now).await?;
    write
        .log_event(
            organizer,
            AuditAction::AgendaOrdered,
            &EventChange::AgendaOrdered {
                topics: ids.to_vec(),
            },
            now,
        )
        .await?;
    write.commit().await?;
    tracing::info!(event = event_id, ?organizer, "agenda reordered");
    Ok(())
}

/// The id of the event at `slug` if it collects topics (published or not: organizers moderate
/// before publishing too).
pub async fn collecting_event(ctx: &Services, slug: &EventSlug) -> Result<i64, TopicError> {
    match ctx.store.event_by_slug(slug).await? {
        Some(event) if event.topics.is_some() => Ok(event.id),
        _ => Err(TopicError::NotCollecting),
    }
}

/// Orders the agenda from the places an organizer typed (`(topic, place)`): lower places first,
/// ties by the order given.
pub async fn reorder_by_places(
    ctx: &Services,
    organizer: Actor,
    event_id: i64,
    places: &[(i64, String)],
    now: DateTime<Utc>,
) -> Result<(), TopicError> {
    let mut parsed = Vec::new();
    for (topic, place) in places {
        let place: u32 = place.trim().parse().map_err(|_| {
            TopicError::Invalid(vec![FieldError {
                field: domain::Field::Answer(format!("position-{topic}")),
                problem: domain::Problem::NotANumber,
            }])
        })?;
        parsed.push((place, *topic));
    }
    parsed.sort_by_key(|(place, _)| *place);
    let ids: Vec<i64> = parsed.into_iter().map(|(_, topic)| topic).collect();
    reorder_agenda(ctx, organizer, event_id, &ids, now).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use domain::{TopicSettings, TopicStatus};

    #[tokio::test]
    async fn only_the_proposer_edits_or_withdraws_and_only_until_accepted() {
        for (ctx, db) in
            contexts("only_the_proposer_edits_or_withdraws_and_only_until_accepted").await
        {
            let tokens = board_with_people(&ctx, TopicSettings::default(), 2).await;
            let topic = propose(&ctx, &tokens[0], &proposal("Mine"), None, now())
                .await
                .expect("proposed");
            assert!(matches!(
                edit(&ctx, &tokens[1], topic, &proposal("Stolen"), now()).await,
                Err(TopicError::Refused(TopicRefusal::NotYours))
            ));
            assert!(matches!(
                withdraw(&ctx, &tokens[1], topic).await,
                Err(TopicError::Refused(TopicRefusal::NotYours))
            ));
            edit(&ctx, &tokens[0], topic, &proposal("Mine, renamed"), now())
                .await
                .expect("edited");
            let stored = ctx.store.topic(topic).await.expect("query").expect("topic");
            assert_eq!(stored.title, "Mine, renamed");
            assert_eq!(
                stored.shown_as, "Person",
                "the first name of the registration by default"
            );

            moderate(
                &ctx,
                Actor::Organizer(1),
                event_id(&ctx).await,
                topic,
                Moderation::Accept,
                now(),
            )
            .await
            .expect("accepted");
            assert!(matches!(
                edit(&ctx, &tokens[0], topic, &proposal("Too late"), now()).await,
                Err(TopicError::Refused(TopicRefusal::Locked(
                    TopicStatus::Accepted
                )))
            ));
            assert!(matches!(
                withdraw(&ctx, &tokens[0], topic).await,
                Err(TopicError::Refused(TopicRefusal::Locked(_)))
            ));

            let other = propose(&ctx, &tokens[0], &proposal("Withdraw me"), None, now())
                .await
                .expect("proposed");
            vote(&ctx, &tokens[1], other, true, now())
                .await
                .expect("voted");
            withdraw(&ctx, &tokens[0], other).await.expect("withdrawn");
            assert_eq!(ctx.store.topic(other).await.expect("query"), None);
            db.finish().await;
        }
    }

    #[tokio::test]
    async fn merging_moves_votes_without_counting_anyone_twice() {
        for (ctx, db) in contexts("merging_moves_votes_without_counting_anyone_twice").await {
            let tokens = board_with_people(&ctx, TopicSettings::default(), 4).await;
            let target = propose(&ctx, &tokens[0], &proposal("Keycloak"), None, now())
                .await
                .expect("proposed");
            let source = propose(&ctx, &tokens[1], &proposal("Keycloak again"), None, now())
                .await
                .expect("proposed");
            let older = propose(&ctx, &tokens[2], &proposal("IAM"), None, now())
                .await
                .expect("proposed");
            // 1 and 2 vote for the target; 2, 3 and 4 for the source; 4 for the older one.
            for (who, topic) in [
                (0, target),
                (1, target),
                (1, source),
                (2, source),
                (3, source),
                (3, older),
            ] {
                vote(&ctx, &tokens[who], topic, true, now())
                    .await
                    .expect("voted");
            }
            let event = event_id(&ctx).await;
            // A chain: `older` into `source`, then `source` into `target`.
            moderate(
                &ctx,
                Actor::Organizer(1),
                event,
                older,
                Moderation::MergeInto { target: source },
                now(),
            )
            .await
            .expect("merged");
            moderate(
                &ctx,
                Actor::Organizer(1),
                event,
                source,
                Moderation::MergeInto { target },
                now(),
            )
            .await
            .expect("merged");

            let voters = ctx.store.voters_of(target).await.expect("voters");
            assert_eq!(voters.len(), 4, "four people, each once: {voters:?}");
            assert_eq!(votes(&ctx, target).await, 4);
            assert!(
                ctx.store
                    .voters_of(source)
                    .await
                    .expect("voters")
                    .is_empty()
            );
            for merged in [source, older] {
                let topic = ctx
                    .store
                    .topic(merged)
                    .await
                    .expect("query")
                    .expect("topic");
                assert_eq!(topic.status, TopicStatus::Merged);
                assert_eq!(topic.merged_into, Some(target), "chains are flattened");
            }
            assert!(matches!(
                vote(&ctx, &tokens[0], source, true, now()).await,
                Err(TopicError::Refused(TopicRefusal::NotVotable(
                    TopicStatus::Merged
                )))
            ));
            assert!(matches!(
                moderate(
                    &ctx,
                    Actor::Organizer(1),
                    event,
                    target,
                    Moderation::MergeInto { target: source },
                    now()
                )
                .await,
                Err(TopicError::Refused(TopicRefusal::MergeTarget))
            ));
            db.finish().await;
        }
    }

    #[test]
    fn a_burst_of_proposals_is_limited_per_registration_and_per_address() {
        let limits = RateLimiter::default();
        let address: IpAddr = [192, 0, 2, 1].into();
        for _ in 0..5 {
            assert!(admit_proposal(&limits, 1, Some(address), now()));
        }
        assert!(
            !admit_proposal(&limits, 1, Some(address), now()),
            "sixth by one person"
        );
        for registration in 2..=16 {
            assert!(admit_proposal(&limits, registration, Some(address), now()));
        }
        assert!(
            !admit_proposal(&limits, 17, Some(address), now()),
            "21st from one address"
        );
        assert!(admit_proposal(
            &limits,
            17,
            Some([192, 0, 2, 2].into()),
            now()
        ));
        assert!(admit_proposal(
            &limits,
            1,
            Some(address),
            now() + Duration::minutes(11)
        ));
    }

    #[tokio::test]
    async fn votes_count_once_the_address_is_confirmed_or_the_person_waits() {
        for (ctx, db) in
            contexts("votes_count_once_the_address_is_confirmed_or_the_person_waits").await
        {
            add_event_with(&ctx, "hack", |event| {
                event.topics = Some(TopicSettings::default());
                event.registration = Some(settings(1, true));
            })
            .await;
            register_people(&ctx, "hack", 1..=2).await;
            let held = known_token(&ctx, "hack", 1).await;
            let waiting = known_token(&ctx, "hack", 2).await;
            let topic = propose(&ctx, &held, &proposal("Topic"), None, now())
                .await
                .expect("proposed");
            vote(&ctx, &held, topic, true, now()).await.expect("voted");
            assert_eq!(
                votes(&ctx, topic).await,
                0,
                "a seat held for an unconfirmed address does not count"
            );
            vote(&ctx, &waiting, topic, true, now())
                .await
                .expect("voted");
            assert_eq!(votes(&ctx, topic).await, 1, "a waiting person counts");
            crate::registration::confirm(&ctx, &held, now())
                .await
                .expect("confirmed");
            assert_eq!(votes(&ctx, topic).await, 2, "confirmed: the vote counts");
            db.finish().await;
        }
    }

    #[tokio::test]
    async fn cancelled_registrations_neither_vote_nor_count() {
        for (ctx, db) in contexts("cancelled_registrations_neither_vote_nor_count").await {
            let tokens = board_with_people(&ctx, TopicSettings::default(), 2).await;
            let topic = propose(&ctx, &tokens[0], &proposal("Topic"), None, now())
                .await
                .expect("proposed");
            vote(&ctx, &tokens[1], topic, true, now())
                .await
                .expect("voted");
            assert_eq!(votes(&ctx, topic).await, 1);
            crate::registration::cancel(&ctx, &tokens[1], now())
                .await
                .expect("cancelled");
            assert_eq!(
                votes(&ctx, topic).await,
                0,
                "a cancelled vote does not count"
            );
            assert!(matches!(
                vote(&ctx, &tokens[1], topic, false, now()).await,
                Err(TopicError::Inactive)
            ));
            assert!(matches!(
                vote(&ctx, "forged-link", topic, true, now()).await,
                Err(TopicError::UnknownLink)
            ));
            db.finish().await;
        }
    }
}
