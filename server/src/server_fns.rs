//! The HTTP boundary of server functions (`/api/...`, `/admin/api/...`). Leptos answers every
//! failed call with 500, also when the caller sent arguments that do not parse or a body over
//! the limit. Those are the caller's mistakes: here they become 400 and 413, with a message
//! free of parser text, in the server functions' own error encoding (so the hydrated pages
//! still read it). Failures inside a server function keep their status.

use std::collections::HashSet;
use std::sync::LazyLock;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use leptos::server_fn::error::{
    FromServerFnError, SERVER_FN_ERROR_HEADER, ServerFnError as AnyServerFnError,
};

/// The error type of our server functions (`ServerFnError` without a custom error).
type ServerFnError = AnyServerFnError;

/// The paths of every registered server function.
static SERVER_FN_PATHS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .collect()
});

/// An error answer of a server function is small; a bigger one is no argument error (500).
const ERROR_BODY_MAX: usize = 64 * 1024;

/// Why a call was refused before or after the server function ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    /// The arguments are missing, of the wrong type, or not readable at all.
    Malformed,
    /// The body is over the site's limit.
    TooLarge,
}

impl Refusal {
    /// The answer to a call of the server function at `path`.
    fn answer(self, path: &str) -> Response {
        let (status, message) = match self {
            Refusal::Malformed => (
                StatusCode::BAD_REQUEST,
                "The request's arguments are missing or not understood.",
            ),
            Refusal::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "The request is too large."),
        };
        let body = ServerFnError::Args(message.to_owned()).ser();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        if let Ok(path) = HeaderValue::from_str(path) {
            headers.insert(SERVER_FN_ERROR_HEADER, path);
        }
        response
    }
}

/// Middleware over the whole router: reads a server function's body within `limit` bytes
/// (413 beyond), runs it, and turns its argument errors into 400.
pub async fn refuse_malformed(
    State(limit): State<usize>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    if !SERVER_FN_PATHS.contains(path.as_str()) {
        return next.run(request).await;
    }
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Refusal::TooLarge.answer(&path);
    }
    let (parts, body) = request.into_parts();
    let bytes = match Limited::new(body, limit).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) if error.downcast_ref::<LengthLimitError>().is_some() => {
            return Refusal::TooLarge.answer(&path);
        }
        Err(_) => return Refusal::Malformed.answer(&path),
    };
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    if !response.headers().contains_key(SERVER_FN_ERROR_HEADER) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(collected) = Limited::new(body, ERROR_BODY_MAX).collect().await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let error = collected.to_bytes();
    match refusal_for(&error) {
        Some(refusal) => refusal.answer(&path),
        None => Response::from_parts(parts, Body::from(error)),
    }
}

/// Whether a server function's encoded error is the caller's mistake rather than ours.
fn refusal_for(encoded: &Bytes) -> Option<Refusal> {
    match ServerFnError::de(encoded.clone()) {
        ServerFnError::Args(_)
        | ServerFnError::MissingArg(_)
        | ServerFnError::Deserialization(_) => Some(Refusal::Malformed),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(error: ServerFnError) -> Bytes {
        error.ser()
    }

    #[test]
    fn argument_errors_are_the_callers_and_others_ours() {
        for callers in [
            ServerFnError::Args("missing field `slug`".into()),
            ServerFnError::MissingArg("slug".into()),
            ServerFnError::Deserialization("invalid utf-8".into()),
        ] {
            assert_eq!(refusal_for(&encoded(callers)), Some(Refusal::Malformed));
        }
        assert_eq!(
            refusal_for(&encoded(ServerFnError::ServerError("database down".into()))),
            None
        );
    }

    #[test]
    fn a_refusal_says_nothing_about_the_parser() {
        let response = Refusal::Malformed.answer("/api/load_event");
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        assert!(response.headers().contains_key(SERVER_FN_ERROR_HEADER));
        assert_eq!(
            Refusal::TooLarge.answer("/api/load_event").status(),
            StatusCode::PAYLOAD_TOO_LARGE
        );
    }
}
