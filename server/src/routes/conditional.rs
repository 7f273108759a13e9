//! Conditional GETs for the feeds and the JSON API: each answer carries an `ETag` (a hash of its
//! body), and a client that sends it back in `If-None-Match` gets `304 Not Modified` without
//! the body. Calendar apps poll feeds for hours; most polls then cost a header.

use std::hash::{DefaultHasher, Hasher};

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The answers are built in memory: nothing bigger is buffered here.
const MAX_TAGGED_BYTES: usize = 16 * 1024 * 1024;

/// Tags a successful GET's answer and answers `304` when the client has it already. The tag is
/// weak (`W/`): compression changes the bytes on the wire, not what they say.
pub async fn etag(request: Request, next: Next) -> Response {
    let is_get = matches!(*request.method(), Method::GET | Method::HEAD);
    let client_has = request.headers().get(header::IF_NONE_MATCH).cloned();
    let response = next.run(request).await;
    if !is_get || response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_TAGGED_BYTES).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let tag = weak_tag(&bytes);
    let Ok(value) = HeaderValue::from_str(&tag) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    parts.headers.insert(header::ETAG, value);
    // Stored copies are asked about each time; the answer is then mostly a 304.
    parts
        .headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-cache"));
    if client_has.is_some_and(|has| matches(&has, &tag)) {
        let mut not_modified = StatusCode::NOT_MODIFIED.into_response();
        copy_validators(&parts.headers, not_modified.headers_mut());
        return not_modified;
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn weak_tag(bytes: &[u8]) -> String {
    let mut hasher = DefaultHasher::new();
    hasher.write(bytes);
    format!("W/\"{:016x}\"", hasher.finish())
}

/// Whether `If-None-Match` names `tag` (weak comparison, as RFC 9110 asks for this header).
fn matches(if_none_match: &HeaderValue, tag: &str) -> bool {
    let Ok(list) = if_none_match.to_str() else {
        return false;
    };
    let opaque = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    list.split(',')
        .any(|candidate| candidate.trim() == "*" || opaque(candidate) == opaque(tag))
}

/// A 304 carries the headers a 200 would have that describe the representation's caching.
fn copy_validators(from: &HeaderMap, to: &mut HeaderMap) {
    for name in [header::ETAG, header::CACHE_CONTROL, header::VARY] {
        if let Some(value) = from.get(&name) {
            to.insert(name, value.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_compares_weakly_and_lists_and_stars_match() {
        let tag = weak_tag(b"calendar");
        assert_eq!(tag, weak_tag(b"calendar"), "the same bytes, the same tag");
        assert_ne!(tag, weak_tag(b"calendar!"));
        let header = |text: &str| HeaderValue::from_str(text).expect("header");
        assert!(matches(&header(&tag), &tag));
        assert!(matches(&header(tag.trim_start_matches("W/")), &tag));
        assert!(matches(&header(&format!("\"other\", {tag}")), &tag));
        assert!(matches(&header("*"), &tag));
        assert!(!matches(&header("\"other\""), &tag));
    }
}
