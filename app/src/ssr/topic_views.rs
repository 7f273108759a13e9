//! The topic board and the topic edit form as the pages show them, built from the services'
//! reads, and what a page says when a topic action did nothing.

use chrono::{DateTime, Utc};
use domain::TopicError;
use domain::time::{format_instant, format_span};
use domain::topics::board_order;
use domain::{Event, EventSlug, Lang, TopicSettings};
use service::Services;
use service::markdown::to_safe_html;
use service::registration::find_by_token;
use service::topics::board_key;
use store::{Registration, StoreError};

use crate::model::{Submission, TopicBoard, TopicCard, TopicEditView, TopicViewer};

/// The topic form again with its problems, when there are any.
pub fn topic_submission(
    error: &TopicError,
    values: std::collections::BTreeMap<String, String>,
) -> Submission {
    Submission {
        values,
        errors: error.field_errors(),
        failure: None,
    }
}

/// The board of the event at `slug` as anyone sees it; `None` when the event collects no topics.
pub async fn public_board(
    ctx: &Services,
    slug: &EventSlug,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<Option<TopicBoard>, StoreError> {
    let Some(event) = ctx.store.published_event(slug).await? else {
        return Ok(None);
    };
    let Some(settings) = event.topics.clone() else {
        return Ok(None);
    };
    board(ctx, &event, &settings, None, lang, now)
        .await
        .map(Some)
}

/// The board as the holder of `token` sees it: their votes, their own topics, the proposal
/// form. `None` when the link is not valid or the event collects no topics.
pub async fn my_board(
    ctx: &Services,
    token: &str,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<Option<TopicBoard>, StoreError> {
    let Some((registration, event)) = find_by_token(ctx, token).await? else {
        return Ok(None);
    };
    let Some(settings) = event.topics.clone() else {
        return Ok(None);
    };
    let viewer = (token, &registration);
    board(ctx, &event, &settings, Some(viewer), lang, now)
        .await
        .map(Some)
}

async fn board(
    ctx: &Services,
    event: &Event,
    settings: &TopicSettings,
    viewer: Option<(&str, &Registration)>,
    lang: Lang,
    now: DateTime<Utc>,
) -> Result<TopicBoard, StoreError> {
    let mut topics = ctx.store.topics_of(event.id).await?;
    topics.sort_by(|a, b| board_order(&board_key(a), &board_key(b)));
    // A registration that was cancelled or expired sees the board as everyone does: its votes
    // no longer count, and it may not change anything.
    let viewer_id = viewer
        .filter(|(_, registration)| registration.status.is_active())
        .map(|(_, registration)| registration.id);
    let voted = match viewer_id {
        Some(id) => ctx.store.votes_of(id).await?,
        None => Default::default(),
    };
    let title_of = |id: i64| {
        topics
            .iter()
            .find(|t| t.id == id)
            .map(|t| t.title.clone())
            .unwrap_or_default()
    };
    let cards = topics
        .iter()
        .map(|topic| {
            let hidden = topic.status == domain::TopicStatus::Hidden;
            let merged = topic.status == domain::TopicStatus::Merged;
            TopicCard {
                id: topic.id,
                status: topic.status,
                title: if hidden {
                    String::new()
                } else {
                    topic.title.clone()
                },
                description_html: if hidden || merged {
                    String::new()
                } else {
                    to_safe_html(&topic.description_md)
                },
                shown_as: if hidden {
                    String::new()
                } else {
                    topic.shown_as.clone()
                },
                votes: if hidden || merged { 0 } else { topic.votes },
                merged_into: topic.merged_into.map(|id| (id, title_of(id))),
                hidden_reason: topic.hidden_reason.clone(),
                voted: voted.contains(&topic.id),
                editable: viewer_id.is_some_and(|id| topic.state().check_change_by(id).is_ok()),
            }
        })
        .collect();
    let proposed_by_viewer = viewer_id.map_or(0, |id| {
        topics
            .iter()
            .filter(|t| t.registration_id == Some(id))
            .count()
    });
    let proposals_open = event.check_topic_proposal(now, 0).is_ok();
    Ok(TopicBoard {
        event_slug: event.slug.to_string(),
        event_title: event.title.clone(),
        when: format_span(event.starts_at, event.ends_at, event.time_zone, lang),
        proposals_open: proposals_open
            && viewer.is_none_or(|(_, registration)| registration.status.is_active()),
        proposals_close: settings
            .proposals_close_at
            .map(|at| format_instant(at, event.time_zone, lang)),
        topics: cards,
        viewer: viewer.map(|(token, registration)| TopicViewer {
            token: token.to_owned(),
            name: registration.name.clone(),
            ended: (!registration.status.is_active()).then_some(registration.status),
            proposals_left: settings.per_person.map(|limit| {
                limit.saturating_sub(u32::try_from(proposed_by_viewer).unwrap_or(u32::MAX))
            }),
        }),
        notice: None,
        submission: None,
    })
}

/// The edit form of a topic for its proposer; `None` when the link or topic is not theirs.
pub async fn edit_page(
    ctx: &Services,
    token: &str,
    topic_id: i64,
) -> Result<Option<TopicEditView>, StoreError> {
    let Some((registration, event)) = find_by_token(ctx, token).await? else {
        return Ok(None);
    };
    let Some(topic) = ctx.store.topic(topic_id).await? else {
        return Ok(None);
    };
    if topic.event_id != event.id || topic.registration_id != Some(registration.id) {
        return Ok(None);
    }
    let editable = topic.state().check_change_by(registration.id).is_ok();
    Ok(Some(TopicEditView {
        editable,
        token: token.to_owned(),
        event_slug: event.slug.to_string(),
        event_title: event.title.clone(),
        topic_id,
        title: topic.title,
        description: topic.description_md,
        shown_as: topic.shown_as,
        submission: None,
        notice: None,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;
    use domain::{TopicRefusal, TopicStatus};
    use service::testing::*;
    use service::topics::{Moderation, moderate, propose, reorder_agenda, vote};
    use store::Actor;

    #[tokio::test]
    async fn people_propose_vote_and_withdraw_and_the_board_follows_the_votes() {
        for (ctx, db) in
            contexts("people_propose_vote_and_withdraw_and_the_board_follows_the_votes").await
        {
            let tokens = board_with_people(&ctx, TopicSettings::default(), 3).await;
            let first = propose(&ctx, &tokens[0], &proposal("First topic"), None, now())
                .await
                .expect("proposed");
            let second = propose(&ctx, &tokens[1], &proposal("Second topic"), None, now())
                .await
                .expect("proposed");
            let order = |board: TopicBoard| board.topics.iter().map(|t| t.id).collect::<Vec<_>>();
            let public = public_board(&ctx, &slug("hack"), Lang::En, now())
                .await
                .expect("board")
                .expect("collects topics");
            assert_eq!(order(public), [first, second], "older first on a tie");

            vote(&ctx, &tokens[2], second, true, now())
                .await
                .expect("voted");
            let mine = my_board(&ctx, &tokens[2], Lang::En, now())
                .await
                .expect("board")
                .expect("valid link");
            assert!(mine.topics.iter().any(|t| t.id == second && t.voted));
            assert_eq!(order(mine), [second, first], "more votes first");
            assert!(matches!(
                vote(&ctx, &tokens[2], second, true, now()).await,
                Err(TopicError::Refused(TopicRefusal::AlreadyVoted))
            ));
            assert_eq!(votes(&ctx, second).await, 1);

            vote(&ctx, &tokens[2], second, false, now())
                .await
                .expect("withdrawn");
            assert_eq!(votes(&ctx, second).await, 0);
            assert!(matches!(
                vote(&ctx, &tokens[2], second, false, now()).await,
                Err(TopicError::Refused(TopicRefusal::NotVoted))
            ));
            db.finish().await;
        }
    }

    #[tokio::test]
    async fn hidden_topics_take_no_votes_and_show_no_content() {
        for (ctx, db) in contexts("hidden_topics_take_no_votes_and_show_no_content").await {
            let tokens = board_with_people(&ctx, TopicSettings::default(), 2).await;
            let topic = propose(
                &ctx,
                &tokens[0],
                &proposal("Buy cheap watches"),
                None,
                now(),
            )
            .await
            .expect("proposed");
            let event = event_id(&ctx).await;
            assert!(matches!(
                moderate(
                    &ctx,
                    Actor::Organizer(1),
                    event,
                    topic,
                    Moderation::Hide {
                        reason: " ".to_owned()
                    },
                    now()
                )
                .await,
                Err(TopicError::Invalid(_))
            ));
            moderate(
                &ctx,
                Actor::Organizer(1),
                event,
                topic,
                Moderation::Hide {
                    reason: "Spam".to_owned(),
                },
                now(),
            )
            .await
            .expect("hidden");
            assert!(matches!(
                vote(&ctx, &tokens[1], topic, true, now()).await,
                Err(TopicError::Refused(TopicRefusal::NotVotable(
                    TopicStatus::Hidden
                )))
            ));
            let board = public_board(&ctx, &slug("hack"), Lang::En, now())
                .await
                .expect("board")
                .expect("collects");
            let card = &board.topics[0];
            assert_eq!(card.status, TopicStatus::Hidden);
            assert_eq!(card.hidden_reason.as_deref(), Some("Spam"));
            assert!(card.title.is_empty() && card.description_html.is_empty());
            assert!(card.shown_as.is_empty());
            db.finish().await;
        }
    }

    #[tokio::test]
    async fn accepted_topics_lead_the_board_in_the_organizers_order() {
        for (ctx, db) in contexts("accepted_topics_lead_the_board_in_the_organizers_order").await {
            let tokens = board_with_people(&ctx, TopicSettings::default(), 2).await;
            let mut ids = Vec::new();
            for title in ["One", "Two", "Three"] {
                ids.push(
                    propose(&ctx, &tokens[0], &proposal(title), None, now())
                        .await
                        .expect("proposed"),
                );
            }
            vote(&ctx, &tokens[1], ids[2], true, now())
                .await
                .expect("voted");
            let event = event_id(&ctx).await;
            for &id in &ids[..2] {
                moderate(
                    &ctx,
                    Actor::Organizer(1),
                    event,
                    id,
                    Moderation::Accept,
                    now(),
                )
                .await
                .expect("accepted");
            }
            let order = || async {
                public_board(&ctx, &slug("hack"), Lang::En, now())
                    .await
                    .expect("board")
                    .expect("collects")
                    .topics
                    .iter()
                    .map(|t| t.id)
                    .collect::<Vec<_>>()
            };
            assert_eq!(order().await, [ids[0], ids[1], ids[2]]);
            reorder_agenda(&ctx, Actor::Organizer(1), event, &[ids[1], ids[0]], now())
                .await
                .expect("reordered");
            assert_eq!(order().await, [ids[1], ids[0], ids[2]]);
            assert!(matches!(
                reorder_agenda(&ctx, Actor::Organizer(1), event, &[ids[1]], now()).await,
                Err(TopicError::UnknownTopic)
            ));
            db.finish().await;
        }
    }

    #[tokio::test]
    async fn proposals_respect_cap_closing_date_validation_and_rate_limits() {
        for (ctx, db) in
            contexts("proposals_respect_cap_closing_date_validation_and_rate_limits").await
        {
            let settings = TopicSettings {
                per_person: Some(2),
                proposals_close_at: Some(now() + Duration::days(1)),
            };
            let tokens = board_with_people(&ctx, settings, 2).await;
            assert!(matches!(
                propose(&ctx, &tokens[0], &proposal("ab"), None, now()).await,
                Err(TopicError::Invalid(errors)) if errors[0].field == domain::Field::Title
            ));
            for title in ["One", "Two"] {
                propose(&ctx, &tokens[0], &proposal(title), None, now())
                    .await
                    .expect("proposed");
            }
            assert!(matches!(
                propose(&ctx, &tokens[0], &proposal("Three"), None, now()).await,
                Err(TopicError::Refused(TopicRefusal::LimitReached(2)))
            ));
            assert!(matches!(
                propose(
                    &ctx,
                    &tokens[1],
                    &proposal("Late"),
                    None,
                    now() + Duration::days(2)
                )
                .await,
                Err(TopicError::Refused(TopicRefusal::ProposalsClosed))
            ));
            let mine = my_board(&ctx, &tokens[0], Lang::En, now())
                .await
                .expect("board")
                .expect("valid");
            assert_eq!(mine.viewer.expect("viewer").proposals_left, Some(0));
            db.finish().await;
        }
    }
}
