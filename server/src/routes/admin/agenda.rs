//! `/admin/events/{slug}/agenda`: the sections of a community call's agenda (event managers),
//! and the items of one call, written by event managers and the accounts named for a team.

use app::model::{AgendaNotice, Submission, admin_agenda_href, admin_call_href};
use app::ssr::Flash;
use axum::Router;
use axum::extract::{Extension, Form, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use chrono::{NaiveDate, Utc};
use domain::EventSlug;
use domain::call::{AgendaError, SectionForm};
use serde::{Deserialize, Serialize};
use service::admin::SignedIn;
use service::call::{self, Writer};

use super::AppState;
use crate::errors::HttpError;
use crate::routes::call::{ItemFields, call_date, item_answer, writable_date};
use crate::routes::extract::{Found, shown_back};
use crate::routes::render::{render_page_as, with_retry_after};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/events/{slug}/agenda", post(add_section))
        .route(
            "/admin/events/{slug}/agenda/sections/{id}/{action}",
            post(section_action),
        )
        .route(
            "/admin/events/{slug}/agenda/sections/{id}/items",
            post(add_item),
        )
        .route(
            "/admin/events/{slug}/agenda/sections/{id}/items/{item}/edit",
            post(edit_item),
        )
        .route(
            "/admin/events/{slug}/agenda/sections/{id}/items/{item}/remove",
            post(remove_item),
        )
        .route(
            "/admin/events/{slug}/agenda/sections/{id}/carry",
            post(carry),
        )
        .route(
            "/admin/events/{slug}/agenda/{date}/entries/{event}",
            post(entry),
        )
}

/// The series at `slug`, by id.
async fn series_id(state: &AppState, slug: &EventSlug) -> Result<i64, AgendaError> {
    state
        .context
        .store
        .event_id(slug)
        .await?
        .ok_or(AgendaError::NotACallSeries)
}

/// Back to `page` with a notice, or `page` again with what went wrong (and the issued link, for
/// a new contributor link: never put into a URL).
async fn answer(
    state: &AppState,
    (headers, me): (&HeaderMap, &SignedIn),
    page: &str,
    form: &impl Serialize,
    outcome: Result<AgendaNotice, AgendaError>,
    issued_link: Option<(i64, String)>,
) -> Response {
    match outcome {
        Ok(AgendaNotice::LinkIssued) => {
            let flash = Flash {
                agenda_notice: None,
                issued_link,
                ..Flash::default()
            };
            render_page_as(
                state,
                headers,
                page,
                flash,
                axum::http::StatusCode::OK,
                Some(me.clone()),
            )
            .await
        }
        Ok(notice) => Redirect::to(&format!("{page}?{}", notice.to_query())).into_response(),
        Err(error) => {
            let flash = Flash {
                submission: Some(Submission {
                    values: shown_back(form),
                    errors: error.field_errors(),
                    failure: None,
                }),
                agenda_notice: Some(AgendaNotice::Failed(error.clone())),
                ..Flash::default()
            };
            let response = render_page_as(
                state,
                headers,
                page,
                flash,
                error.status(),
                Some(me.clone()),
            )
            .await;
            with_retry_after(response, error.retry_after())
        }
    }
}

/// `POST /admin/events/{slug}/agenda`: add a section.
async fn add_section(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Found(slug): Found<EventSlug>,
    headers: HeaderMap,
    Form(form): Form<SectionForm>,
) -> Response {
    let outcome = match series_id(&state, &slug).await {
        Ok(id) => call::add_section(&state.context, &me, id, &form, Utc::now())
            .await
            .map(|_| AgendaNotice::SectionAdded),
        Err(error) => Err(error),
    };
    let page = admin_agenda_href(slug.as_str());
    answer(&state, (&headers, &me), &page, &form, outcome, None).await
}

/// `POST /admin/events/{slug}/agenda/sections/{id}/{action}`: `up`, `down`, `remove`, `link`,
/// `revoke`, or `contributors` (with `organizer=id` once per account named).
async fn section_action(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Found((slug, id, action)): Found<(EventSlug, i64, String)>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let ctx = &state.context;
    let now = Utc::now();
    let mut issued = None;
    let outcome = match series_id(&state, &slug).await {
        Err(error) => Err(error),
        Ok(series) => match action.as_str() {
            "up" | "down" => call::move_section(ctx, &me, series, id, action == "up", now)
                .await
                .map(|()| AgendaNotice::SectionMoved),
            "remove" => call::remove_section(ctx, &me, series, id, now)
                .await
                .map(|()| AgendaNotice::SectionRemoved),
            "revoke" => call::revoke_link(ctx, &me, series, id, now)
                .await
                .map(|()| AgendaNotice::LinkRevoked),
            "link" => call::issue_link(ctx, &me, series, id, now)
                .await
                .map(|token| {
                    let url = format!("{}{}", ctx.base_url, app::model::contribute_href(&token));
                    issued = Some((id, url));
                    AgendaNotice::LinkIssued
                }),
            "contributors" => {
                let named: Result<Vec<i64>, _> = fields
                    .iter()
                    .filter(|(key, _)| key == "organizer")
                    .map(|(_, value)| value.parse::<i64>())
                    .collect();
                match named {
                    Ok(named) => call::name_contributors(ctx, &me, series, id, &named, now)
                        .await
                        .map(|()| AgendaNotice::ContributorsNamed),
                    Err(_) => Err(AgendaError::Invalid(vec![domain::FieldError {
                        field: domain::Field::Named("contributors".into()),
                        problem: domain::Problem::NotAnOption,
                    }])),
                }
            }
            _ => Err(AgendaError::UnknownSection),
        },
    };
    let page = admin_agenda_href(slug.as_str());
    answer(&state, (&headers, &me), &page, &(), outcome, issued).await
}

/// The page of the call a form is about (its date as sent; the series' agenda when none).
fn call_page(slug: &EventSlug, date: Option<NaiveDate>) -> String {
    match date {
        Some(date) => admin_call_href(slug.as_str(), date),
        None => admin_agenda_href(slug.as_str()),
    }
}

/// `POST /admin/events/{slug}/agenda/sections/{id}/items`
async fn add_item(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Found((slug, id)): Found<(EventSlug, i64)>,
    headers: HeaderMap,
    Form(fields): Form<ItemFields>,
) -> Response {
    let writer = Writer::Account {
        organizer: &me,
        section_id: id,
    };
    let date = writable_date(&state, writer, &fields).await;
    let outcome = match &date {
        Ok(date) => call::add_item(&state.context, writer, *date, &fields.body, Utc::now())
            .await
            .map(|item| (AgendaNotice::ItemAdded, Some(item))),
        Err(error) => Err(error.clone()),
    };
    let page = call_page(&slug, date.ok());
    item_answer(&state, (&headers, Some(&me)), &page, &fields, outcome).await
}

/// `POST /admin/events/{slug}/agenda/sections/{id}/items/{item}/edit`
async fn edit_item(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Found((slug, id, item)): Found<(EventSlug, i64, i64)>,
    headers: HeaderMap,
    Form(fields): Form<ItemFields>,
) -> Response {
    let writer = Writer::Account {
        organizer: &me,
        section_id: id,
    };
    let outcome = call::edit_item(&state.context, writer, item, &fields.body, Utc::now())
        .await
        .map(|_| (AgendaNotice::ItemEdited, Some(item)));
    let fields = ItemFields {
        item: item.to_string(),
        ..fields
    };
    let page = call_page(&slug, call_date(&fields).ok());
    item_answer(&state, (&headers, Some(&me)), &page, &fields, outcome).await
}

/// `POST /admin/events/{slug}/agenda/sections/{id}/items/{item}/remove`
async fn remove_item(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Found((slug, id, item)): Found<(EventSlug, i64, i64)>,
    headers: HeaderMap,
    Form(fields): Form<ItemFields>,
) -> Response {
    let writer = Writer::Account {
        organizer: &me,
        section_id: id,
    };
    let outcome = call::remove_item(&state.context, writer, item, Utc::now())
        .await
        .map(|_| (AgendaNotice::ItemRemoved, None));
    let page = call_page(&slug, call_date(&fields).ok());
    item_answer(&state, (&headers, Some(&me)), &page, &fields, outcome).await
}

/// `POST /admin/events/{slug}/agenda/sections/{id}/carry`
async fn carry(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Found((slug, id)): Found<(EventSlug, i64)>,
    headers: HeaderMap,
    Form(fields): Form<ItemFields>,
) -> Response {
    let writer = Writer::Account {
        organizer: &me,
        section_id: id,
    };
    let date = writable_date(&state, writer, &fields).await;
    let outcome = match &date {
        Ok(date) => call::carry_over(&state.context, writer, *date, Utc::now())
            .await
            .map(|count| (AgendaNotice::CarriedOver { count }, None)),
        Err(error) => Err(error.clone()),
    };
    let page = call_page(&slug, date.ok());
    item_answer(&state, (&headers, Some(&me)), &page, &fields, outcome).await
}

/// Whether the generated section leaves the event out (`hidden=on`) or lists it again.
#[derive(Deserialize, Serialize)]
struct EntryFields {
    #[serde(default)]
    hidden: String,
}

/// `POST /admin/events/{slug}/agenda/{date}/entries/{event}`
async fn entry(
    State(state): State<AppState>,
    Extension(me): Extension<SignedIn>,
    Found((slug, date, event)): Found<(EventSlug, NaiveDate, i64)>,
    headers: HeaderMap,
    Form(fields): Form<EntryFields>,
) -> Response {
    let hidden = domain::is_ticked(&fields.hidden);
    let outcome = match series_id(&state, &slug).await {
        Ok(series) => {
            call::set_entry_hidden(&state.context, &me, series, date, event, hidden, Utc::now())
                .await
                .map(|()| {
                    if hidden {
                        AgendaNotice::EntryHidden
                    } else {
                        AgendaNotice::EntryShown
                    }
                })
        }
        Err(error) => Err(error),
    };
    let page = admin_call_href(slug.as_str(), date);
    answer(&state, (&headers, &me), &page, &fields, outcome, None).await
}
