//! What every response carries and every request must pass before routing: paths without
//! tricks, security headers, redirects only to this site, and the metrics token.

use app::ssr::csp;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Refuses (400) a path that could reach a page under another name: dot segments, `//`,
/// backslashes, or a percent-encoded character that needs no encoding (`%2e`, `%61`, `%2f`):
/// routes, the admin guard and the page router then all see one spelling of every path.
pub async fn refuse_ambiguous_paths(request: Request, next: Next) -> Response {
    if is_ambiguous_path(request.uri().path()) {
        return (
            StatusCode::BAD_REQUEST,
            "This address is not written the way this site writes its addresses.",
        )
            .into_response();
    }
    next.run(request).await
}

fn is_ambiguous_path(path: &str) -> bool {
    let bytes = path.as_bytes();
    let needless_escape = bytes.iter().enumerate().any(|(i, &b)| {
        b == b'%'
            && bytes
                .get(i + 1..i + 3)
                .and_then(|hex| std::str::from_utf8(hex).ok())
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                .is_none_or(|decoded| {
                    decoded.is_ascii_alphanumeric() || b"-._~/\\".contains(&decoded)
                })
    });
    needless_escape
        || path.contains('\\')
        || path.contains("//")
        || path
            .split('/')
            .any(|segment| segment == "." || segment == "..")
}

/// Whether the site is served over https (then browsers are told to keep to it).
#[derive(Clone, Copy, Debug)]
pub struct Https(pub bool);

/// Adds the security headers to every response: `nosniff`; no referrer from secret links and
/// only the origin elsewhere; no caching of secret links and organizer pages; HSTS on https;
/// and on HTML the Content-Security-Policy (see [`html_with_policy`]).
pub async fn security_headers(
    State(Https(https)): State<Https>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let secret_link = path == "/r" || path.starts_with("/r/");
    let organizers = path == "/admin" || path.starts_with("/admin/");
    let bundle = path.starts_with("/pkg/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static(if secret_link {
            "no-referrer"
        } else {
            "strict-origin-when-cross-origin"
        }),
    );
    if secret_link || organizers {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if bundle {
        // The bundle under its plain name (pages use the versioned one, `crate::assets`): a
        // browser must ask each time, or after an update it would run an old bundle against
        // new pages.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    let html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    if html {
        html_with_policy(response).await
    } else {
        response
    }
}

/// The largest page the site renders is far below this; a larger one is not ours to vouch for.
const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;

/// Gives an HTML page the policy that lets exactly its own scripts run: the nonce that leptos
/// put on the hydration script in the page's `<head>` (before anything a visitor typed can
/// appear). Read from the page itself rather than from the render's reactive context, which was
/// now and then not there when the page's shell ran, leaving a page that never hydrated. A page
/// without such a script may run none.
async fn html_with_policy(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(page) = axum::body::to_bytes(body, MAX_PAGE_BYTES).await else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "The page could not be sent.",
        )
            .into_response();
    };
    let policy = csp::policy(head_script_nonce(&page));
    if let Ok(value) = HeaderValue::from_str(&policy) {
        parts.headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    Response::from_parts(parts, axum::body::Body::from(page))
}

/// The nonce of the first `<script>` in the page's `<head>`, if it has a plausible one.
fn head_script_nonce(page: &[u8]) -> Option<&str> {
    let page = std::str::from_utf8(page).ok()?;
    let head = &page[..page.find("</head>")?];
    let script = &head[head.find("<script")?..];
    let tag = &script[..script.find('>')?];
    let value = tag.split(" nonce=\"").nth(1)?.split('"').next()?;
    let plausible = value.len() >= 16
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    plausible.then_some(value)
}

/// `next` as a path on this site (with its query), or `None` when it would lead anywhere else:
/// it is resolved against the site's public URL the way a browser would (which ignores tabs and
/// line breaks and reads `\` as `/`), and must keep the site's origin.
pub fn local_path(next: &str, base_url: &str) -> Option<String> {
    if !next.starts_with('/') || next.chars().any(|c| c.is_control() || c == '\\') {
        return None;
    }
    let base = url::Url::parse(base_url).ok()?;
    let resolved = base.join(next).ok()?;
    if resolved.origin() != base.origin() {
        return None;
    }
    Some(match resolved.query() {
        Some(query) => format!("{}?{query}", resolved.path()),
        None => resolved.path().to_owned(),
    })
}

/// Whether the request carries `Authorization: Bearer <token>` (compared in constant time).
pub fn has_bearer_token(headers: &HeaderMap, token: &str) -> bool {
    let Some(given) = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
    else {
        return false;
    };
    service::token::same_secret(given, token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_with_tricks_are_ambiguous() {
        for path in [
            "/./admin/mail",
            "/events/../admin/events/hackathon-3",
            "/admin\\mail",
            "/%2e/admin/mail",
            "/%2E%2E/admin",
            "/%61dmin/mail",
            "/admin%2fmail",
            "/admin%5cmail",
            "//admin",
            "/admin/.",
            "/bad%zz",
            "/bad%",
        ] {
            assert!(is_ambiguous_path(path), "{path}");
        }
        for path in [
            "/",
            "/admin",
            "/admin/events/hackathon-3/registrations/4",
            "/pkg/convene.js",
            "/events/hackathon-3/2023-10-19",
            "/r/abc_DEF-123",
            "/events/caf%C3%A9",
            "/events/a%20b",
        ] {
            assert!(!is_ambiguous_path(path), "{path}");
        }
    }

    #[test]
    fn the_policy_takes_the_nonce_of_the_first_script_in_the_head() {
        let page = br#"<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="modulepreload" crossorigin="abcdefghijklmnop1234"><script type="module" nonce="Zx9_-abcdefghijklmnop">import('/pkg/convene.js')</script><title>x</title></head><body><script nonce="other">1</script></body></html>"#;
        assert_eq!(head_script_nonce(page), Some("Zx9_-abcdefghijklmnop"));
        for page in [
            &br#"<html><head><title>x</title></head><body><script nonce="abcdefghijklmnopqrst">1</script></body></html>"#[..],
            br#"<html><head><script>1</script></head></html>"#,
            br#"<html><head><script nonce="short">1</script></head></html>"#,
            br#"<html><head><script nonce="abcdefghijklmnop' 'unsafe-inline">1</script></head></html>"#,
            b"no html at all",
        ] {
            assert_eq!(head_script_nonce(page), None, "{}", String::from_utf8_lossy(page));
        }
    }

    #[test]
    fn only_paths_on_this_site_are_local() {
        let base = "https://events.example.org";
        assert_eq!(
            local_path("/events/hackathon-3?kind=x", base).as_deref(),
            Some("/events/hackathon-3?kind=x")
        );
        assert_eq!(local_path("/", base).as_deref(), Some("/"));
        assert_eq!(local_path("/a/../admin", base).as_deref(), Some("/admin"));
        for elsewhere in [
            "//evil.example/phish",
            "/\t/evil.example/phish",
            "/%09/evil.example/phish",
            "/\\evil.example",
            "https://evil.example/",
            "evil.example",
            "/\r\nSet-Cookie: x=1",
            "/\0",
            "",
        ] {
            let local = local_path(elsewhere, base);
            assert!(
                local.as_deref().is_none_or(|path| !path.starts_with("//")),
                "{elsewhere:?} -> {local:?}"
            );
            assert!(
                local.is_none() || elsewhere == "/%09/evil.example/phish",
                "{elsewhere:?} -> {local:?}"
            );
        }
    }

    #[test]
    fn the_bearer_token_must_match_exactly() {
        let mut headers = HeaderMap::new();
        assert!(!has_bearer_token(&headers, "0123456789abcdef"));
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer 0123456789abcdef"),
        );
        assert!(has_bearer_token(&headers, "0123456789abcdef"));
        assert!(!has_bearer_token(&headers, "0123456789abcdeF"));
        assert!(!has_bearer_token(&headers, "0123456789abcde"));
    }
}
