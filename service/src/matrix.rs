//! Matrix room notices: written in the community's language when something happens to a
//! published event, and queued in the transaction of the change as a delivery to the room of
//! its kind (the delivery worker sends it). Nothing is queued when Matrix is not configured.

use chrono::{DateTime, Utc};
use domain::matrix::{Notice, Rooms};
use domain::time::{format_day, format_span};
use domain::{Event, Lang};
use store::{EventWrite, StoreError};

use crate::mail::MailText;
use crate::{Services, html};

/// Where notices go and in which language (settings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixSettings {
    pub rooms: Rooms,
    pub lang: Lang,
}

/// Queues `notice` about `event` to its room, when Matrix is configured and the event is
/// published (a draft is nobody's news).
pub async fn notify(
    write: &mut EventWrite,
    ctx: &Services,
    event: &Event,
    notice: Notice,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let Some(settings) = &ctx.matrix else {
        return Ok(());
    };
    let Some(room) = settings.rooms.of(notice.group()) else {
        return Ok(());
    };
    if !event.published {
        return Ok(());
    }
    let content = message(ctx, settings.lang, event, &notice);
    let payload = serde_json::to_string(&content).map_err(|e| StoreError::Corrupt {
        what: "Matrix message",
        detail: e.to_string(),
    })?;
    write
        .enqueue_matrix(room, notice.kind(), &payload, now)
        .await
}

/// How late a registration that opened at its set time is still announced (a site that was
/// down at the time tells the room when it is back, but not days later).
pub const OPENING_ANNOUNCED_WITHIN: chrono::Duration = chrono::Duration::hours(24);

/// Tells the room of every registration that opened at its set time since the last look, once
/// per opening (several instances may run this: the event's lock and its mark decide). Returns
/// how many were announced.
pub async fn announce_openings(ctx: &Services, now: DateTime<Utc>) -> Result<usize, StoreError> {
    if ctx.matrix.is_none() {
        return Ok(0);
    }
    let since = now - OPENING_ANNOUNCED_WITHIN;
    let mut announced = 0;
    for event_id in ctx
        .store
        .events_with_unannounced_opening(since, now)
        .await?
    {
        let mut write = ctx.store.write_event(event_id).await?;
        let event = write.event().await?;
        let opens_at = event.registration.as_ref().and_then(|r| r.opens_at);
        let open_now = event.registration_window(now) == Some(domain::Window::Open);
        if let Some(opens_at) = opens_at.filter(|_| open_now && !event.is_cancelled())
            && write.mark_opening_announced(opens_at).await?
        {
            notify(&mut write, ctx, &event, Notice::RegistrationOpened, now).await?;
            announced += 1;
        }
        write.commit().await?;
    }
    Ok(announced)
}

/// After a change that may free seats (a cancellation): a full event whose waitlist took none
/// of them tells its room how many seats are free again. `taken_before`: the seats taken before
/// the change.
pub async fn tell_if_seats_free(
    write: &mut EventWrite,
    ctx: &Services,
    event: &Event,
    taken_before: u32,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    if ctx.matrix.is_none() {
        return Ok(());
    }
    let capacity = event.registration.as_ref().and_then(|s| s.capacity);
    let counts = write.seat_counts().await?;
    let now_taken = (counts.seats_taken, counts.waitlisted);
    match domain::matrix::seats_free_again(capacity, taken_before, now_taken) {
        Some(count) => notify(write, ctx, event, Notice::SeatsFree { count }, now).await,
        None => Ok(()),
    }
}

/// The `m.room.message` content of a notice: a line of plain text with the page's link, and the
/// same as HTML (every value escaped: titles and topics are typed by people).
pub fn message(ctx: &Services, lang: Lang, event: &Event, notice: &Notice) -> serde_json::Value {
    let texts = ctx.mail_texts.as_ref();
    let title = event.title.as_str();
    let when = |start, end| format_span(start, end, event.time_zone, lang);
    let event_when = when(event.starts_at, event.ends_at);
    let text = match notice {
        Notice::Published => MailText::NoticePublished {
            title,
            when: &event_when,
        },
        Notice::Changed { what } => {
            let what: Vec<String> = what
                .iter()
                .map(|part| texts.text(lang, MailText::NoticePart(*part)))
                .collect();
            return finish(
                ctx,
                event,
                texts.text(
                    lang,
                    MailText::NoticeChanged {
                        title,
                        what: &what.join(", "),
                        when: &event_when,
                    },
                ),
            );
        }
        Notice::Cancelled => MailText::NoticeCancelled {
            title,
            when: &event_when,
        },
        Notice::DateCancelled { date } => {
            let date = format_day(*date, lang);
            return finish(
                ctx,
                event,
                texts.text(lang, MailText::NoticeDateCancelled { title, date: &date }),
            );
        }
        Notice::DateMoved {
            date,
            starts_at,
            ends_at,
        } => {
            let (date, moved) = (format_day(*date, lang), when(*starts_at, *ends_at));
            return finish(
                ctx,
                event,
                texts.text(
                    lang,
                    MailText::NoticeDateMoved {
                        title,
                        date: &date,
                        when: &moved,
                    },
                ),
            );
        }
        Notice::RegistrationOpened => MailText::NoticeRegistrationOpened {
            title,
            when: &event_when,
        },
        Notice::SeatsFree { count } => MailText::NoticeSeatsFree {
            title,
            count: *count,
        },
        Notice::TopicProposed { title: topic } => MailText::NoticeTopicProposed { title, topic },
    };
    let line = texts.text(lang, text);
    finish(ctx, event, line)
}

fn finish(ctx: &Services, event: &Event, line: String) -> serde_json::Value {
    let url = format!(
        "{}{}",
        ctx.base_url,
        domain::paths::event_href(event.slug.as_str())
    );
    let link = html::escape(&url);
    serde_json::json!({
        "msgtype": "m.notice",
        "body": format!("{line} {url}"),
        "format": "org.matrix.custom.html",
        "formatted_body": format!("{} <a href=\"{link}\">{link}</a>", html::escape(&line)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;

    #[tokio::test]
    async fn notices_of_published_events_go_to_their_room_with_the_text_escaped() {
        for (ctx, _db) in contexts("notices_of_published_events_go_to_their_room").await {
            let ctx = Services {
                matrix: Some(MatrixSettings {
                    rooms: Rooms {
                        all: Some("!all:example.org".into()),
                        topics: Some("!topics:example.org".into()),
                        ..Rooms::default()
                    },
                    lang: Lang::De,
                }),
                ..ctx
            };
            add_event(&ctx, "hack", settings(1, true)).await;
            let id = event_id(&ctx).await;
            let mut write = ctx.store.write_event(id).await.expect("lock");
            let event = write.event().await.expect("event");
            let topic = Notice::TopicProposed {
                title: "<script>alert(1)</script>".into(),
            };
            notify(&mut write, &ctx, &event, topic, now())
                .await
                .expect("queued");
            notify(&mut write, &ctx, &event, Notice::Cancelled, now())
                .await
                .expect("queued");
            let draft = Event {
                published: false,
                ..event.clone()
            };
            notify(&mut write, &ctx, &draft, Notice::Published, now())
                .await
                .expect("nothing");
            write.commit().await.expect("commit");

            let later = now() + chrono::Duration::days(1);
            let claimed = ctx
                .store
                .claim_due_deliveries(later, later, 10)
                .await
                .expect("claim");
            let sent: Vec<(store::DeliveryTarget, serde_json::Value)> = claimed
                .into_iter()
                .map(|d| {
                    let body = d.payload.expect("body");
                    (d.target, serde_json::from_str(&body).expect("JSON"))
                })
                .collect();
            assert_eq!(sent.len(), 2, "nothing for a draft: {sent:?}");
            assert_eq!(
                sent[0].0,
                store::DeliveryTarget::MatrixRoom("!topics:example.org".into())
            );
            assert_eq!(
                sent[1].0,
                store::DeliveryTarget::MatrixRoom("!all:example.org".into())
            );
            let html = sent[0].1["formatted_body"].as_str().expect("html");
            assert!(html.contains("&lt;script&gt;"), "{html}");
            assert!(!html.contains("<script>"), "{html}");
            assert!(
                sent[0].1["body"]
                    .as_str()
                    .expect("text")
                    .ends_with("https://events.example.org/events/hack"),
                "{}",
                sent[0].1
            );
            assert!(sent[1].1["body"].as_str().expect("text").starts_with("de:"));
            assert_eq!(sent[1].1["msgtype"], "m.notice");
        }
    }

    #[tokio::test]
    async fn a_registration_that_opens_at_its_set_time_is_announced_once() {
        for (ctx, _db) in contexts("a_registration_that_opens_at_its_set_time").await {
            let ctx = Services {
                matrix: Some(MatrixSettings {
                    rooms: Rooms {
                        all: Some("!all:example.org".into()),
                        ..Rooms::default()
                    },
                    lang: Lang::En,
                }),
                ..ctx
            };
            let opens_at = now() + chrono::Duration::hours(1);
            let scheduled = domain::RegistrationSettings {
                opens_at: Some(opens_at),
                ..settings(5, true)
            };
            add_event(&ctx, "hack", scheduled.clone()).await;
            add_event_with(&ctx, "draft", |event| {
                event.published = false;
                event.registration = Some(scheduled.clone());
            })
            .await;
            let looked_early = announce_openings(&ctx, now()).await.expect("look");
            assert_eq!(looked_early, 0, "not before it opens");
            let after = opens_at + chrono::Duration::minutes(1);
            assert_eq!(announce_openings(&ctx, after).await.expect("look"), 1);
            assert_eq!(
                announce_openings(&ctx, after).await.expect("look again"),
                0,
                "once"
            );
            let claimed = ctx
                .store
                .claim_due_deliveries(after, after, 10)
                .await
                .expect("claim");
            assert_eq!(claimed.len(), 1, "nothing for the draft");
            let body = claimed[0].payload.clone().expect("body");
            assert!(body.contains("/events/hack"), "{body}");

            // Set to open again later, it is announced again when it opens; a day late, not.
            let mut write = ctx
                .store
                .write_event(event_id(&ctx).await)
                .await
                .expect("lock");
            let reopens = after + chrono::Duration::hours(2);
            write
                .set_registration_window(Some(reopens), None, after)
                .await
                .expect("window");
            write.commit().await.expect("commit");
            let too_late = reopens + OPENING_ANNOUNCED_WITHIN + chrono::Duration::minutes(1);
            assert_eq!(announce_openings(&ctx, too_late).await.expect("look"), 0);
            let in_time = reopens + chrono::Duration::minutes(1);
            assert_eq!(announce_openings(&ctx, in_time).await.expect("look"), 1);
        }
    }

    #[tokio::test]
    async fn without_matrix_settings_nothing_is_queued() {
        for (ctx, _db) in contexts("without_matrix_settings_nothing_is_queued").await {
            add_event(&ctx, "hack", settings(1, true)).await;
            let id = event_id(&ctx).await;
            let mut write = ctx.store.write_event(id).await.expect("lock");
            let event = write.event().await.expect("event");
            notify(&mut write, &ctx, &event, Notice::Published, now())
                .await
                .expect("nothing");
            write.commit().await.expect("commit");
            let later = now() + chrono::Duration::days(1);
            let claimed = ctx.store.claim_due_deliveries(later, later, 10).await;
            assert!(claimed.expect("claim").is_empty());
        }
    }
}
