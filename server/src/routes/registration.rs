//! Registering, confirming and cancelling with plain form posts, so that they work without
//! JavaScript. Success redirects (303) to a page that says what happened.

use app::model::{FormReply, Notice, manage_href, register_href, registered_href};
use app::ssr::register_form::{SENT_TO_COOKIE, SENT_TO_SECONDS, sent_to_address, sent_to_value};
use app::ssr::{ClientAddress, Flash};
use axum::Router;
use axum::extract::{Extension, Form, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use domain::{CorrectionError, EventSlug, LinkError};
use service::privacy::Correction;
use service::registration::{self, SentAgain};

use super::extract::Found;
use super::render::{render_page, with_retry_after};
use super::{AppState, with_cookie};
use crate::errors::HttpError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/events/{slug}/register", post(register))
        .route("/events/{slug}/registered/again", post(send_again))
        .route("/r/{token}/confirm", post(confirm))
        .route("/r/{token}/cancel", post(cancel))
        .route("/r/{token}/erase", post(erase))
        .route("/r/{token}/edit", post(correct))
        .route("/address/{secret}", post(confirm_address))
        .route("/r/{token}/data.json", get(download))
}

/// `POST /events/{slug}/register`: the registration form (its fields include the event's own
/// questions, so they arrive as pairs and the domain reads them).
async fn register(
    State(state): State<AppState>,
    Found(slug): Found<EventSlug>,
    Extension(client): Extension<ClientAddress>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    match app::ssr::register_form::submit_form(&state.context, &slug, fields, client.0, Utc::now())
        .await
    {
        FormReply::Done { location, sent_to } => {
            let cookie = sent_to_cookie(&state, &slug, &sent_to_value(&sent_to), SENT_TO_SECONDS);
            with_cookie(Redirect::to(&location).into_response(), &cookie)
        }
        FormReply::Rejected(submission) => {
            let failure = submission.failure.as_ref();
            let status = failure.map_or(StatusCode::UNPROCESSABLE_ENTITY, HttpError::status);
            let retry_after = failure.and_then(HttpError::retry_after);
            let flash = Flash {
                submission: Some(submission),
                ..Flash::default()
            };
            let page = register_href(slug.as_str());
            let response = render_page(&state, &headers, &page, flash, status).await;
            with_retry_after(response, retry_after)
        }
    }
}

/// `POST /events/{slug}/registered/again`: "send the mail again", for the address this browser
/// registered within the hour (its cookie); back to that page, saying what happened.
async fn send_again(
    State(state): State<AppState>,
    Found(slug): Found<EventSlug>,
    Extension(client): Extension<ClientAddress>,
    headers: HeaderMap,
) -> Response {
    let page = registered_href(slug.as_str());
    let address = app::ssr::cookie(&headers, SENT_TO_COOKIE).and_then(sent_to_address);
    let Some(address) = address else {
        return Redirect::to(&format!("{page}?again=forgotten")).into_response();
    };
    let query =
        match registration::send_link_again(&state.context, &slug, &address, client.0, Utc::now())
            .await
        {
            Ok(SentAgain::Sent) => "again=sent".to_owned(),
            Ok(SentAgain::TooSoon { at }) => format!("again=too_soon&at={}", at.timestamp()),
            Ok(SentAgain::NotRegistered) => "again=none".to_owned(),
            Err(error) => {
                let status = HttpError::status(&error);
                let page = format!("{page}?again=limited");
                let response = render_page(&state, &headers, &page, Flash::default(), status).await;
                return with_retry_after(response, HttpError::retry_after(&error));
            }
        };
    Redirect::to(&format!("{page}?{query}")).into_response()
}

/// The cookie that lets the page after registering show where the mail went: only that page
/// (and its "send again") gets it.
fn sent_to_cookie(state: &AppState, slug: &EventSlug, value: &str, max_age: i64) -> String {
    let path = registered_href(slug.as_str());
    super::cookie(state, SENT_TO_COOKIE, value, &path, max_age)
}

/// `POST /r/{token}/confirm`: the button on the page the mail's confirm link opens (a GET of
/// that link, as mail scanners make, only shows the page).
async fn confirm(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    match registration::confirm(&state.context, &token, Utc::now()).await {
        Ok(_) => back_to_registration(&token, &Notice::Confirmed),
        Err(error) => link_error_page(&state, &headers, &token, &error).await,
    }
}

/// `POST /r/{token}/cancel`: the confirm step of "cancel my registration".
async fn cancel(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    match registration::cancel(&state.context, &token, Utc::now()).await {
        Ok(()) => back_to_registration(&token, &Notice::Cancelled),
        Err(error) => link_error_page(&state, &headers, &token, &error).await,
    }
}

/// `POST /r/{token}/edit`: the person's corrections (the registration form's field names).
/// Saved, it goes to their data saying so; refused, the form again with each problem.
async fn correct(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let values = app::ssr::register_form::form_values(fields);
    let form = app::ssr::register_form::registration_form(&values);
    match service::privacy::correct(&state.context, &token, &form, Utc::now()).await {
        Ok(correction) => {
            let notice = match correction {
                Correction::Saved => Notice::Corrected,
                Correction::AddressToConfirm => Notice::AddressRequested,
            };
            let query = notice.to_query();
            Redirect::to(&format!("{}/data?{query}", manage_href(&token))).into_response()
        }
        Err(CorrectionError::Invalid(errors)) => {
            let flash = Flash {
                submission: Some(app::model::Submission {
                    values,
                    errors,
                    failure: None,
                }),
                ..Flash::default()
            };
            let page = format!("{}/edit", manage_href(&token));
            render_page(
                &state,
                &headers,
                &page,
                flash,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(CorrectionError::Link(error)) => {
            link_error_page(&state, &headers, &token, &error).await
        }
    }
}

/// `POST /address/{secret}`: the button on the page the mail to a new address leads to.
async fn confirm_address(
    State(state): State<AppState>,
    Path(secret): Path<String>,
    headers: HeaderMap,
) -> Response {
    match service::privacy::confirm_address(&state.context, &secret, Utc::now()).await {
        Ok(()) => Redirect::to(app::model::ADDRESS_CHANGED_PAGE).into_response(),
        Err(error) => {
            let flash = Flash {
                notice: Some(Notice::Link(error)),
                ..Flash::default()
            };
            let page = app::model::address_href(&secret);
            let response = render_page(&state, &headers, &page, flash, error.status()).await;
            with_retry_after(response, error.retry_after())
        }
    }
}

/// `POST /r/{token}/erase`: the confirm step of "erase my data". The link stops working, so
/// the answer is a page of its own.
async fn erase(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    match service::privacy::erase_by_link(&state.context, &token, Utc::now()).await {
        Ok(()) => Redirect::to(app::model::ERASED_PAGE).into_response(),
        Err(error) => link_error_page(&state, &headers, &token, &error).await,
    }
}

/// `GET /r/{token}/data.json`: everything kept about the person, as a file (README: "Your
/// data").
async fn download(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    match service::privacy::personal_data(&state.context, &token).await {
        Ok(data) => {
            let disposition = format!(
                "attachment; filename=\"{}-my-registration.json\"",
                data.event.slug
            );
            (
                [
                    (header::CONTENT_DISPOSITION, disposition),
                    (header::CACHE_CONTROL, "no-store".to_owned()),
                ],
                axum::Json(data),
            )
                .into_response()
        }
        Err(error) => link_error_page(&state, &headers, &token, &error).await,
    }
}

fn back_to_registration(token: &str, notice: &Notice) -> Response {
    Redirect::to(&format!("{}?{}", manage_href(token), notice.to_query())).into_response()
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
    let response = render_page(state, headers, &manage_href(token), flash, error.status()).await;
    with_retry_after(response, error.retry_after())
}
