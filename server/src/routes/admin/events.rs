//! `/admin/events`: creating, changing, calling off and deleting events; their capacity,
//! registration window, dates, messages to everyone, and the registrations as CSV.

use app::model::{AdminNotice, BroadcastPreview, Submission, admin_event_href};
use app::ssr::Flash;
use axum::Router;
use axum::extract::{Extension, Form, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use domain::EventSlug;
use domain::admin::BroadcastKey;
use domain::event_form::EventFields;
use serde::{Deserialize, Serialize};
use service::admin::{self, AdminError, Broadcasted, SignedIn};

use super::{AppState, answer, refused};
use crate::errors::HttpError;
use crate::routes::extract::{Found, shown_back};
use crate::routes::render::render_page_as;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/events", post(create))
        .route("/admin/events/{slug}/edit", post(edit))
        .route("/admin/events/{slug}/delete", post(delete))
        .route("/admin/events/{slug}/publish", post(publish))
        .route("/admin/events/{slug}/cancel", post(cancel))
        .route("/admin/events/{slug}/occurrence", post(change_occurrence))
        .route("/admin/events/{slug}/capacity", post(capacity))
        .route(
            "/admin/events/{slug}/registration",
            post(registration_window),
        )
        .route("/admin/events/{slug}/broadcast", post(broadcast))
        .route("/admin/events/{slug}/registrations.csv", get(export_csv))
        .route("/admin/events/{slug}/erase", post(erase_data))
}

fn edit_href(slug: &EventSlug) -> String {
    format!("{}/edit", admin_event_href(slug.as_str()))
}

/// `POST /admin/events`: a new event from the event form (its fields are the domain's
/// [`EventFields`]: which ones count depends on the others, so the domain reads them by name).
async fn create(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    headers: HeaderMap,
    Form(fields): Form<EventFields>,
) -> Response {
    match admin::save_event(&state.context, &me, None, &fields, Utc::now()).await {
        Ok(slug) => saved(&slug),
        Err(error) => {
            let page = "/admin/events/new";
            refused(&state, &headers, page, &fields, &error, Some(&me)).await
        }
    }
}

/// `POST /admin/events/{slug}/edit`
async fn edit(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Found(slug): Found<EventSlug>,
    headers: HeaderMap,
    Form(fields): Form<EventFields>,
) -> Response {
    match admin::save_event(&state.context, &me, Some(&slug), &fields, Utc::now()).await {
        Ok(saved_as) => saved(&saved_as),
        Err(error) => {
            let page = edit_href(&slug);
            refused(&state, &headers, &page, &fields, &error, Some(&me)).await
        }
    }
}

fn saved(slug: &EventSlug) -> Response {
    let query = AdminNotice::EventSaved.to_query();
    Redirect::to(&format!("{}?{query}", edit_href(slug))).into_response()
}

/// `POST /admin/events/{slug}/occurrence`: cancel, move or restore one date of a series.
async fn change_occurrence(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Found(slug): Found<EventSlug>,
    headers: HeaderMap,
    Form(fields): Form<EventFields>,
) -> Response {
    let outcome = admin::change_occurrence(&state.context, &me, &slug, &fields, Utc::now())
        .await
        .map(|()| AdminNotice::OccurrenceChanged);
    let page = admin_event_href(slug.as_str());
    answer(&state, (&headers, &me), &page, &fields, outcome).await
}

/// `POST /admin/events/{slug}/publish`: shows an event saved unpublished to visitors.
async fn publish(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Found(slug): Found<EventSlug>,
    headers: HeaderMap,
) -> Response {
    let outcome = admin::publish_event(&state.context, &me, &slug, Utc::now())
        .await
        .map(|()| AdminNotice::EventPublished);
    answer(&state, (&headers, &me), &edit_href(&slug), &(), outcome).await
}

/// Calling the whole event off: ticked `confirm`, and a `message` for the people registered.
#[derive(Deserialize, Serialize)]
struct CancelEventFields {
    #[serde(default)]
    message: String,
    confirm: Option<String>,
}

/// `POST /admin/events/{slug}/cancel`: calls the whole event off and mails everyone registered.
async fn cancel(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Found(slug): Found<EventSlug>,
    headers: HeaderMap,
    Form(fields): Form<CancelEventFields>,
) -> Response {
    let confirmed = fields.confirm.as_deref().is_some_and(domain::is_ticked);
    let outcome = admin::cancel_event(
        &state.context,
        &me,
        &slug,
        (&fields.message, confirmed),
        Utc::now(),
    )
    .await
    .map(|mailed| AdminNotice::EventCancelled { mailed });
    answer(&state, (&headers, &me), &edit_href(&slug), &fields, outcome).await
}

/// `POST /admin/events/{slug}/delete`: only for an event nobody registered for.
async fn delete(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Found(slug): Found<EventSlug>,
    headers: HeaderMap,
) -> Response {
    match admin::delete_event(&state.context, &slug).await {
        Ok(()) => {
            let query = AdminNotice::EventDeleted.to_query();
            Redirect::to(&format!("/admin?{query}")).into_response()
        }
        Err(error) => refused(&state, &headers, &edit_href(&slug), &(), &error, Some(&me)).await,
    }
}

/// The capacity as typed: the domain says whether it is a number of seats.
#[derive(Deserialize, Serialize)]
struct CapacityFields {
    #[serde(default)]
    capacity: String,
}

/// `POST /admin/events/{slug}/capacity`
async fn capacity(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Found(slug): Found<EventSlug>,
    headers: HeaderMap,
    Form(fields): Form<CapacityFields>,
) -> Response {
    let outcome = admin::set_capacity(&state.context, &me, &slug, &fields.capacity, Utc::now())
        .await
        .map(|promoted| AdminNotice::CapacitySet { promoted });
    let page = admin_event_href(slug.as_str());
    answer(&state, (&headers, &me), &page, &fields, outcome).await
}

/// Opening (`open=true`) or closing registration by hand.
#[derive(Deserialize, Serialize)]
struct WindowFields {
    open: Option<String>,
}

/// `POST /admin/events/{slug}/registration` with `open=true|false`.
async fn registration_window(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Found(slug): Found<EventSlug>,
    headers: HeaderMap,
    Form(fields): Form<WindowFields>,
) -> Response {
    let open = fields.open.as_deref() == Some("true");
    let outcome = admin::set_registration_open(&state.context, &me, &slug, open, Utc::now())
        .await
        .map(|()| {
            if open {
                AdminNotice::RegistrationOpened
            } else {
                AdminNotice::RegistrationClosed
            }
        });
    let page = admin_event_href(slug.as_str());
    answer(&state, (&headers, &me), &page, &fields, outcome).await
}

/// A message to the people of an event: who gets it (`seated`, `waiting` ticked) and what;
/// which button was used (`step`: `preview` (the form's), `send`, `test`, `edit`) and the key
/// the preview gave it.
#[derive(Deserialize, Serialize)]
struct BroadcastFields {
    #[serde(default)]
    subject: String,
    #[serde(default)]
    message: String,
    seated: Option<String>,
    waiting: Option<String>,
    #[serde(default, skip_serializing)]
    step: String,
    #[serde(default, skip_serializing)]
    key: String,
}

/// `POST /admin/events/{slug}/broadcast`: nothing goes out on the first click. The form shows
/// the message as it will go out and how many people it reaches, by where they stand; from
/// there "send" mails them (once per key), "test" mails the organizer alone, "edit" goes back
/// to the form.
async fn broadcast(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Found(slug): Found<EventSlug>,
    headers: HeaderMap,
    Form(fields): Form<BroadcastFields>,
) -> Response {
    let page = admin_event_href(slug.as_str());
    let ticked = |value: &Option<String>| value.as_deref().is_some_and(domain::is_ticked);
    let message = match domain::admin::validate_broadcast(
        &fields.subject,
        &fields.message,
        ticked(&fields.seated),
        ticked(&fields.waiting),
    ) {
        Ok(message) => message,
        Err(errors) => {
            let outcome = Err(AdminError::Invalid(errors));
            return answer(&state, (&headers, &me), &page, &fields, outcome).await;
        }
    };
    let key = BroadcastKey::parse(&fields.key);
    let shown = match (fields.step.as_str(), key) {
        ("send", Some(key)) => {
            let outcome = admin::broadcast(&state.context, &me, &slug, &message, &key, Utc::now())
                .await
                .map(|done| match done {
                    Broadcasted::Sent(sent) => AdminNotice::Broadcast { sent },
                    Broadcasted::AlreadySent(sent) => AdminNotice::BroadcastAlreadySent { sent },
                });
            return answer(&state, (&headers, &me), &page, &fields, outcome).await;
        }
        ("edit", _) => {
            let flash = Flash {
                submission: Some(Submission {
                    values: shown_back(&fields),
                    ..Submission::default()
                }),
                ..Flash::default()
            };
            return render_page_as(&state, &headers, &page, flash, StatusCode::OK, Some(me)).await;
        }
        ("test", key) => {
            let lang = app::ssr::request_lang(&headers);
            let sent =
                admin::broadcast_test(&state.context, &me, &slug, &message, lang, Utc::now())
                    .await
                    .map(|()| me.email.clone());
            (key, sent.map(Some))
        }
        // The form's button, or a send without a key (a hand-made post): the preview first.
        (_, key) => (key, Ok(None)),
    };
    let preview = match shown {
        (key, Ok(test_sent_to)) => preview(&state, &slug, message, key, test_sent_to).await,
        (_, Err(error)) => Err(error),
    };
    match preview {
        Ok(preview) => {
            let flash = Flash {
                broadcast: Some(preview),
                ..Flash::default()
            };
            render_page_as(&state, &headers, &page, flash, StatusCode::OK, Some(me)).await
        }
        Err(error) => answer(&state, (&headers, &me), &page, &fields, Err(error)).await,
    }
}

/// The preview of `message`: whom it reaches now, and the key its send button carries (kept
/// from an earlier preview of the same message, else new).
async fn preview(
    state: &AppState,
    slug: &EventSlug,
    message: domain::admin::Broadcast,
    key: Option<BroadcastKey>,
    test_sent_to: Option<String>,
) -> Result<BroadcastPreview, AdminError> {
    let recipients = admin::broadcast_recipients(&state.context, slug, &message).await?;
    let key = match key {
        Some(key) => key,
        None => admin::new_broadcast_key()?,
    };
    Ok(BroadcastPreview {
        subject: message.subject,
        message: message.message,
        seated: message.seated,
        waiting: message.waiting,
        recipients,
        key: key.as_str().to_owned(),
        test_sent_to,
    })
}

/// Erasing every registration's personal data after the event: the box must be ticked.
#[derive(Deserialize, Serialize)]
struct EraseFields {
    confirm: Option<String>,
}

/// `POST /admin/events/{slug}/erase`: erases the personal data of every registration now
/// (after the event; the retention rule would later).
async fn erase_data(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Found(slug): Found<EventSlug>,
    headers: HeaderMap,
    Form(fields): Form<EraseFields>,
) -> Response {
    let confirmed = fields.confirm.as_deref().is_some_and(domain::is_ticked);
    let outcome = match domain::admin::require_confirmation(confirmed) {
        Ok(()) => admin::erase_event_data(&state.context, &me, &slug, Utc::now())
            .await
            .map(|erased| AdminNotice::DataErased { erased }),
        Err(errors) => Err(AdminError::Invalid(errors)),
    };
    let page = admin_event_href(slug.as_str());
    answer(&state, (&headers, &me), &page, &fields, outcome).await
}

/// `GET /admin/events/{slug}/registrations.csv` (the download is logged)
async fn export_csv(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Found(slug): Found<EventSlug>,
) -> Response {
    match admin::registrations_csv(&state.context, &me, &slug, Utc::now()).await {
        Ok(csv) => {
            let disposition = format!("attachment; filename=\"{slug}-registrations.csv\"");
            (
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                    (header::CONTENT_DISPOSITION, disposition),
                    (header::CACHE_CONTROL, "no-store".to_owned()),
                ],
                csv,
            )
                .into_response()
        }
        Err(error) => (error.status(), error.to_string()).into_response(),
    }
}
