//! Plain HTML form posts and links, so registering, confirming and cancelling work without
//! JavaScript. Success redirects (303) to a page that says what happened; a rejected form is
//! rendered again in the response, with the values sent and a message next to each field.

use std::collections::BTreeMap;

use app::model::{FormReply, Notice, TopicNotice, manage_href, my_topics_href};
use app::shell;
use app::ssr::{ClientAddress, Flash, topic_views};
use axum::body::Body;
use axum::extract::{Extension, Form, Path, State};
use axum::http::{HeaderMap, Request, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use domain::topics::TopicForm;
use leptos::prelude::provide_context;

use crate::errors::HttpError;
use domain::LinkError;
use domain::TopicError;
use service::registration;
use service::topics;

use crate::routes::AppState;

/// Renders the page at `path` as a GET would (in the language the request asks for), with
/// `flash` available to it, under `status`.
async fn render_page(
    state: &AppState,
    headers: &HeaderMap,
    path: &str,
    flash: Flash,
    status: StatusCode,
) -> Response {
    render_page_as(state, headers, path, flash, status, None).await
}

/// [`render_page`] for a signed-in organizer (admin pages read who it is from the request).
pub(crate) async fn render_page_as(
    state: &AppState,
    headers: &HeaderMap,
    path: &str,
    flash: Flash,
    status: StatusCode,
    organizer: Option<service::admin::SignedIn>,
) -> Response {
    // A form says which language it was shown in: answer in that one, whatever else the
    // request's headers say.
    let form_lang = flash
        .submission
        .as_ref()
        .and_then(|s| s.values.get("locale"))
        .map(|tag| domain::Lang::from_tag(tag));
    let context = state.context.clone();
    let options = state.leptos_options.clone();
    let render = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(context.clone());
            provide_context(flash.clone());
        },
        move || shell(options.clone()),
    );
    let uri: Uri = path.parse().unwrap_or_else(|_| Uri::from_static("/"));
    let mut request = Request::new(Body::empty());
    *request.uri_mut() = uri;
    for name in [header::COOKIE, header::ACCEPT_LANGUAGE] {
        if let Some(value) = headers.get(&name) {
            request.headers_mut().insert(name, value.clone());
        }
    }
    if let Some(lang) = form_lang {
        let cookie = format!("i18n_pref_locale={}", lang.tag());
        if let Ok(value) = header::HeaderValue::from_str(&cookie) {
            request.headers_mut().insert(header::COOKIE, value);
        }
    }
    request.headers_mut().insert(
        header::ACCEPT,
        header::HeaderValue::from_static("text/html"),
    );
    if let Some(organizer) = organizer {
        request.extensions_mut().insert(organizer);
    }
    let mut response = render(request).await.into_response();
    *response.status_mut() = status;
    response
}

/// `POST /events/{slug}/register`: the registration form.
pub async fn register(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Extension(client): Extension<ClientAddress>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    match app::ssr::register_form::submit_form(&state.context, &slug, fields, client.0, Utc::now())
        .await
    {
        FormReply::Done(location) => Redirect::to(&location).into_response(),
        FormReply::Rejected(submission) => {
            let failure = submission.failure.as_ref();
            let status = failure.map_or(StatusCode::UNPROCESSABLE_ENTITY, HttpError::status);
            let retry_after = failure.and_then(HttpError::retry_after);
            let flash = Flash {
                submission: Some(submission),
                ..Flash::default()
            };
            let path = format!("/events/{slug}/register");
            let response = render_page(&state, &headers, &path, flash, status).await;
            with_retry_after(response, retry_after)
        }
    }
}

/// Adds `Retry-After` (in seconds) to a "too many requests" answer.
pub(crate) fn with_retry_after(mut response: Response, seconds: Option<u64>) -> Response {
    if let Some(seconds) = seconds {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
    }
    response
}

/// `GET /r/{token}/confirm`: the link in the "confirm your seat" mail.
pub async fn confirm(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    match registration::confirm(&state.context, &token, Utc::now()).await {
        Ok(_) => Redirect::to(&format!("{}?notice=confirmed", manage_href(&token))).into_response(),
        Err(error) => link_error_page(&state, &headers, &token, &error).await,
    }
}

/// `POST /r/{token}/cancel`: the confirm step of "cancel my registration".
pub async fn cancel(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    match registration::cancel(&state.context, &token, Utc::now()).await {
        Ok(()) => {
            Redirect::to(&format!("{}?notice=cancelled", manage_href(&token))).into_response()
        }
        Err(error) => link_error_page(&state, &headers, &token, &error).await,
    }
}

/// The registration's page with a message saying why the link did nothing.
async fn link_error_page(
    state: &AppState,
    headers: &HeaderMap,
    token: &str,
    error: &LinkError,
) -> Response {
    let flash = Flash {
        notice: Some(Notice::Link(*error)),
        ..Flash::default()
    };
    render_page(state, headers, &manage_href(token), flash, error.status()).await
}

/// `GET /lang/{tag}?next=/path`: remembers the language in the cookie the pages read, then goes
/// back. Works without JavaScript.
pub async fn switch_language(
    State(state): State<AppState>,
    Path(tag): Path<String>,
    axum::extract::Query(query): axum::extract::Query<std::collections::BTreeMap<String, String>>,
) -> Response {
    let lang = domain::Lang::from_tag(&tag);
    let next = query
        .get("next")
        .and_then(|next| crate::security::local_path(next, &state.context.base_url))
        .unwrap_or_else(|| "/".to_owned());
    let cookie = format!(
        "i18n_pref_locale={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.tag()
    );
    let mut response = Redirect::to(&next).into_response();
    if let Ok(value) = header::HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// The fields of a topic form.
fn topic_form(values: &BTreeMap<String, String>) -> TopicForm {
    let field = |name: &str| values.get(name).cloned().unwrap_or_default();
    TopicForm {
        title: field("title"),
        description: field("description"),
        shown_as: field("shown_as"),
    }
}

/// Where a topic action that worked goes next: the board, at the topic, saying what happened.
fn back_to_board(token: &str, notice: &str, topic: Option<i64>) -> Response {
    let anchor = topic.map(|id| format!("#topic-{id}")).unwrap_or_default();
    Redirect::to(&format!(
        "{}?notice={notice}{anchor}",
        my_topics_href(token)
    ))
    .into_response()
}

/// Renders `path` again with the problems of a refused topic action, under its status.
async fn topic_refused(
    state: &AppState,
    headers: &HeaderMap,
    path: &str,
    values: BTreeMap<String, String>,
    error: &TopicError,
) -> Response {
    let submission = topic_views::topic_submission(error, values);
    let flash = Flash {
        notice: Some(Notice::Topic(TopicNotice::Failed(error.clone()))),
        submission: Some(submission),
        ..Flash::default()
    };
    let status = error.status();
    render_page(state, headers, path, flash, status).await
}

/// Where a refused edit is shown: the form again when its fields had problems, otherwise the
/// board (the edit form exists only for the proposer's own, still editable topic).
fn edit_or_board(token: &str, id: i64, error: &TopicError) -> String {
    match error {
        TopicError::Invalid(_) => format!("{}/{id}/edit", my_topics_href(token)),
        _ => my_topics_href(token),
    }
}

/// `POST /r/{token}/topics`: propose a topic.
pub async fn propose_topic(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Extension(client): Extension<ClientAddress>,
    headers: HeaderMap,
    Form(values): Form<BTreeMap<String, String>>,
) -> Response {
    let form = topic_form(&values);
    match topics::propose(&state.context, &token, &form, client.0, Utc::now()).await {
        Ok(id) => back_to_board(&token, "proposed", Some(id)),
        Err(error) => {
            topic_refused(&state, &headers, &my_topics_href(&token), values, &error).await
        }
    }
}

/// `POST /r/{token}/topics/{id}/vote` with `vote=add|remove`.
pub async fn vote_topic(
    State(state): State<AppState>,
    Path((token, id)): Path<(String, i64)>,
    headers: HeaderMap,
    Form(values): Form<BTreeMap<String, String>>,
) -> Response {
    let add = values.get("vote").map(String::as_str) != Some("remove");
    match topics::vote(&state.context, &token, id, add, Utc::now()).await {
        Ok(()) => back_to_board(&token, if add { "voted" } else { "unvoted" }, Some(id)),
        Err(error) => {
            topic_refused(&state, &headers, &my_topics_href(&token), values, &error).await
        }
    }
}

/// `POST /r/{token}/topics/{id}/edit`: the proposer changes their topic.
pub async fn edit_topic(
    State(state): State<AppState>,
    Path((token, id)): Path<(String, i64)>,
    headers: HeaderMap,
    Form(values): Form<BTreeMap<String, String>>,
) -> Response {
    let form = topic_form(&values);
    match topics::edit(&state.context, &token, id, &form, Utc::now()).await {
        Ok(()) => back_to_board(&token, "edited", Some(id)),
        Err(error) => {
            let path = edit_or_board(&token, id, &error);
            topic_refused(&state, &headers, &path, values, &error).await
        }
    }
}

/// `POST /r/{token}/topics/{id}/withdraw`: the proposer withdraws their topic.
pub async fn withdraw_topic(
    State(state): State<AppState>,
    Path((token, id)): Path<(String, i64)>,
    headers: HeaderMap,
    Form(values): Form<BTreeMap<String, String>>,
) -> Response {
    match topics::withdraw(&state.context, &token, id).await {
        Ok(()) => back_to_board(&token, "withdrawn", None),
        Err(error) => {
            let path = edit_or_board(&token, id, &error);
            topic_refused(&state, &headers, &path, values, &error).await
        }
    }
}
