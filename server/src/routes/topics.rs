//! The topic board behind a registration's secret link: propose, vote, edit and withdraw with
//! plain form posts. Success goes back to the board at the topic, saying what happened.

use app::model::{Notice, TopicNotice, my_topics_href};
use app::ssr::{ClientAddress, Flash, topic_views};
use axum::Router;
use axum::extract::{Extension, Form, Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use chrono::Utc;
use domain::TopicError;
use domain::topics::{TopicForm, order_text, parse_order};
use serde::{Deserialize, Serialize};
use service::topics;

use super::AppState;
use super::extract::{Found, shown_back};
use super::render::{render_page, with_retry_after};
use crate::errors::HttpError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/r/{token}/topics", post(propose))
        .route("/r/{token}/topics/{id}/vote", post(vote))
        .route("/r/{token}/topics/{id}/edit", post(edit))
        .route("/r/{token}/topics/{id}/withdraw", post(withdraw))
}

/// The topic form's fields.
#[derive(Deserialize, Serialize)]
struct TopicFields {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    shown_as: String,
}

impl From<&TopicFields> for TopicForm {
    fn from(fields: &TopicFields) -> Self {
        TopicForm {
            title: fields.title.clone(),
            description: fields.description.clone(),
            shown_as: fields.shown_as.clone(),
        }
    }
}

/// The vote button: `vote=remove` takes one's vote back, anything else gives it; `order` is the
/// board's order as the visitor saw it, which the board keeps after the vote.
#[derive(Deserialize, Serialize)]
struct VoteFields {
    vote: Option<String>,
    order: Option<String>,
}

/// Where a topic action that worked goes next: the board, at the topic, saying what happened.
fn back_to_board(token: &str, notice: TopicNotice, topic: Option<i64>) -> Response {
    back_to_board_in_order(token, notice, topic, &[])
}

/// [`back_to_board`], keeping the order the visitor saw (`seen`, when not empty).
fn back_to_board_in_order(
    token: &str,
    notice: TopicNotice,
    topic: Option<i64>,
    seen: &[i64],
) -> Response {
    let anchor = topic.map(|id| format!("#topic-{id}")).unwrap_or_default();
    let mut query = Notice::Topic(notice).to_query();
    if !seen.is_empty() {
        query.push_str(&format!("&order={}", order_text(seen.iter().copied())));
    }
    Redirect::to(&format!("{}?{query}{anchor}", my_topics_href(token))).into_response()
}

/// Renders `path` again with the problems of a refused topic action, under its status.
async fn refused(
    state: &AppState,
    headers: &HeaderMap,
    path: &str,
    form: &impl Serialize,
    error: &TopicError,
) -> Response {
    let submission = topic_views::topic_submission(error, shown_back(form));
    let flash = Flash {
        notice: Some(Notice::Topic(TopicNotice::Failed(error.clone()))),
        submission: Some(submission),
        ..Flash::default()
    };
    let response = render_page(state, headers, path, flash, error.status()).await;
    with_retry_after(response, error.retry_after())
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
async fn propose(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Extension(client): Extension<ClientAddress>,
    headers: HeaderMap,
    Form(fields): Form<TopicFields>,
) -> Response {
    let form = TopicForm::from(&fields);
    match topics::propose(&state.context, &token, &form, client.0, Utc::now()).await {
        Ok(id) => back_to_board(&token, TopicNotice::Proposed, Some(id)),
        Err(error) => refused(&state, &headers, &my_topics_href(&token), &fields, &error).await,
    }
}

/// `POST /r/{token}/topics/{id}/vote` with `vote=add|remove`.
async fn vote(
    State(state): State<AppState>,
    Found((token, id)): Found<(String, i64)>,
    headers: HeaderMap,
    Form(fields): Form<VoteFields>,
) -> Response {
    let add = fields.vote.as_deref() != Some("remove");
    let seen = parse_order(fields.order.as_deref().unwrap_or_default());
    match topics::vote(&state.context, &token, id, add, Utc::now()).await {
        Ok(()) if add => back_to_board_in_order(&token, TopicNotice::Voted, Some(id), &seen),
        Ok(()) => back_to_board_in_order(&token, TopicNotice::VoteWithdrawn, Some(id), &seen),
        Err(error) => refused(&state, &headers, &my_topics_href(&token), &fields, &error).await,
    }
}

/// `POST /r/{token}/topics/{id}/edit`: the proposer changes their topic.
async fn edit(
    State(state): State<AppState>,
    Found((token, id)): Found<(String, i64)>,
    headers: HeaderMap,
    Form(fields): Form<TopicFields>,
) -> Response {
    let form = TopicForm::from(&fields);
    match topics::edit(&state.context, &token, id, &form, Utc::now()).await {
        Ok(()) => back_to_board(&token, TopicNotice::Edited, Some(id)),
        Err(error) => {
            let path = edit_or_board(&token, id, &error);
            refused(&state, &headers, &path, &fields, &error).await
        }
    }
}

/// `POST /r/{token}/topics/{id}/withdraw`: the proposer withdraws their topic.
async fn withdraw(
    State(state): State<AppState>,
    Found((token, id)): Found<(String, i64)>,
    headers: HeaderMap,
) -> Response {
    match topics::withdraw(&state.context, &token, id).await {
        Ok(()) => back_to_board(&token, TopicNotice::Withdrawn, None),
        Err(error) => {
            let path = edit_or_board(&token, id, &error);
            refused(&state, &headers, &path, &(), &error).await
        }
    }
}
