//! The community call's agenda outside `/admin`: the slide deck download, and the form posts of
//! a team's contributor page (`/contribute/{token}`). The organizers' agenda posts live in
//! `admin::agenda` and answer through [`item_answer`] too.

use app::model::{AgendaNotice, Submission, contribute_href};
use app::ssr::{Flash, call_views};
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use domain::EventSlug;
use domain::call::AgendaError;
use serde::{Deserialize, Serialize};
use service::admin::SignedIn;
use service::call::{self, Writer};

use super::AppState;
use super::extract::{Found, shown_back};
use super::render::{render_page_as, with_retry_after};
use crate::errors::HttpError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/events/{slug}/{date}/slides.md", get(slides))
        .route("/contribute/{token}/items", post(add))
        .route("/contribute/{token}/items/{id}/edit", post(edit))
        .route("/contribute/{token}/items/{id}/remove", post(remove))
        .route("/contribute/{token}/carry", post(carry))
}

/// `GET /events/{slug}/{date}/slides.md`: the call's agenda as a HedgeDoc deck, in the language
/// the visitor reads the site in.
async fn slides(
    State(state): State<AppState>,
    Found((slug, date)): Found<(EventSlug, String)>,
    headers: HeaderMap,
) -> Response {
    let now = Utc::now();
    let ctx = &state.context;
    let agenda = match call_views::published_agenda(ctx, &slug, &date, now).await {
        Ok(Some(agenda)) => agenda,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "slides failed");
            return AgendaError::Internal.status().into_response();
        }
    };
    let lang = app::ssr::request_lang(&headers);
    let markdown = call::deck_markdown(&agenda, &ctx.base_url, lang, now);
    let file = format!(
        "attachment; filename=\"{}-{}.md\"",
        agenda.series.slug, agenda.occurrence.original_date
    );
    let mut response = markdown.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/markdown; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&file) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// An item as a form sends it: the call it is for (adding), the item (changing), its text.
#[derive(Deserialize, Serialize, Default)]
pub struct ItemFields {
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub item: String,
    #[serde(default)]
    pub body: String,
}

/// The call `fields.date` names, or the refusal a form shows next to it.
pub fn call_date(fields: &ItemFields) -> Result<chrono::NaiveDate, AgendaError> {
    domain::dates::parse_date(&fields.date).map_err(|problem| {
        AgendaError::Invalid(vec![domain::FieldError {
            field: domain::Field::Named("date".into()),
            problem,
        }])
    })
}

/// The call `fields.date` names, for a writer who may write the section: one who may not hears
/// that (or that the link is unknown) first, whatever the form holds.
pub async fn writable_date(
    state: &AppState,
    writer: Writer<'_>,
    fields: &ItemFields,
) -> Result<chrono::NaiveDate, AgendaError> {
    call::section_for(&state.context, writer).await?;
    call_date(fields)
}

/// What an item action led to: back to `page` with a notice (at the item), or `page` again
/// with the problem beside the field it concerns.
pub async fn item_answer(
    state: &AppState,
    (headers, organizer): (&HeaderMap, Option<&SignedIn>),
    page: &str,
    fields: &ItemFields,
    outcome: Result<(AgendaNotice, Option<i64>), AgendaError>,
) -> Response {
    match outcome {
        Ok((notice, item)) => {
            let anchor = item
                .map(|id| format!("#agenda-item-{id}"))
                .unwrap_or_default();
            Redirect::to(&format!("{page}?{}{anchor}", notice.to_query())).into_response()
        }
        Err(error) => {
            let flash = Flash {
                submission: Some(Submission {
                    values: shown_back(fields),
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
                organizer.cloned(),
            )
            .await;
            with_retry_after(response, error.retry_after())
        }
    }
}

async fn add(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    Form(fields): Form<ItemFields>,
) -> Response {
    let outcome = match writable_date(&state, Writer::Link(&token), &fields).await {
        Ok(date) => call::add_item(
            &state.context,
            Writer::Link(&token),
            date,
            &fields.body,
            Utc::now(),
        )
        .await
        .map(|id| (AgendaNotice::ItemAdded, Some(id))),
        Err(error) => Err(error),
    };
    let page = contribute_href(&token);
    item_answer(&state, (&headers, None), &page, &fields, outcome).await
}

async fn edit(
    State(state): State<AppState>,
    Found((token, id)): Found<(String, i64)>,
    headers: HeaderMap,
    Form(fields): Form<ItemFields>,
) -> Response {
    let outcome = call::edit_item(
        &state.context,
        Writer::Link(&token),
        id,
        &fields.body,
        Utc::now(),
    )
    .await
    .map(|_| (AgendaNotice::ItemEdited, Some(id)));
    let fields = ItemFields {
        item: id.to_string(),
        ..fields
    };
    let page = contribute_href(&token);
    item_answer(&state, (&headers, None), &page, &fields, outcome).await
}

async fn remove(
    State(state): State<AppState>,
    Found((token, id)): Found<(String, i64)>,
    headers: HeaderMap,
) -> Response {
    let outcome = call::remove_item(&state.context, Writer::Link(&token), id, Utc::now())
        .await
        .map(|_| (AgendaNotice::ItemRemoved, None));
    let page = contribute_href(&token);
    item_answer(
        &state,
        (&headers, None),
        &page,
        &ItemFields::default(),
        outcome,
    )
    .await
}

async fn carry(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    Form(fields): Form<ItemFields>,
) -> Response {
    let outcome = match writable_date(&state, Writer::Link(&token), &fields).await {
        Ok(date) => call::carry_over(&state.context, Writer::Link(&token), date, Utc::now())
            .await
            .map(|count| (AgendaNotice::CarriedOver { count }, None)),
        Err(error) => Err(error),
    };
    let page = contribute_href(&token);
    item_answer(&state, (&headers, None), &page, &fields, outcome).await
}
