//! What the security review found, each tried against the real binary: the security headers
//! and the Content-Security-Policy, redirects that stay on the site, paths that cannot walk
//! around the admin guard, slow and idle clients, the metrics endpoint, and text a stranger
//! types that must stay text.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::{TestServer, readable};
use serde_json::json;

/// `host:port` of a test server.
fn address(site: &TestServer) -> String {
    site.base_url.trim_start_matches("http://").to_owned()
}

/// Sends `request` as written (no client normalises its path) and returns the status code of
/// the answer, or `None` when the server closed the connection without one.
fn raw_status(site: &TestServer, request: &str) -> Option<u16> {
    let mut stream = TcpStream::connect(address(site)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("read timeout");
    stream.write_all(request.as_bytes()).expect("send");
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    while !answer.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => answer.extend_from_slice(&buffer[..n]),
        }
    }
    let head = String::from_utf8_lossy(&answer);
    head.split_whitespace().nth(1).and_then(|s| s.parse().ok())
}

fn get_raw(site: &TestServer, path: &str) -> Option<u16> {
    raw_status(
        site,
        &format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            address(site)
        ),
    )
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().expect("visible header").to_owned())
        .unwrap_or_default()
}

/// The nonces of the page's `<script>` elements that hold a script (an empty one runs nothing).
fn script_nonces(html: &str) -> Vec<String> {
    html.split("<script")
        .skip(1)
        .filter(|tag| !tag.starts_with("></script>"))
        .map(|tag| {
            tag.split('>')
                .next()
                .and_then(|attributes| attributes.split("nonce=\"").nth(1))
                .and_then(|rest| rest.split('"').next())
                .unwrap_or("")
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn every_page_carries_a_strict_policy_whose_nonce_its_scripts_carry() {
    let site = TestServer::demo();
    let mut nonces = Vec::new();
    for path in [
        "/",
        "/events/hackathon-3",
        "/no/such/page",
        "/admin/sign-in",
    ] {
        let response = site.get(path).await;
        let policy = header(&response, "content-security-policy");
        let html = response.text().await.expect("body");
        let nonce = policy
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .unwrap_or_else(|| panic!("{path}: no nonce in {policy:?}"))
            .to_owned();
        for directive in [
            "'strict-dynamic'",
            "'wasm-unsafe-eval'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "form-action 'self'",
            "style-src 'self'",
            "img-src 'self'",
        ] {
            assert!(
                policy.contains(directive),
                "{path}: {directive} in {policy}"
            );
        }
        assert!(!policy.contains("unsafe-inline"), "{path}: {policy}");
        let scripts = script_nonces(&html);
        assert!(!scripts.is_empty(), "{path}: the hydration scripts");
        assert!(
            scripts.iter().all(|n| *n == nonce),
            "{path}: every script carries the response's nonce {nonce}: {scripts:?}"
        );
        nonces.push(nonce);
    }
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), 4, "a new nonce for every response");

    // A page rendered for a refused form post carries its own policy and nonce too.
    let response = site
        .post_form("/events/hackathon-3/register", &[("name", "")])
        .await;
    assert_eq!(response.status(), 422);
    let policy = header(&response, "content-security-policy");
    let html = response.text().await.expect("body");
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce");
    assert!(script_nonces(&html).iter().all(|n| n == nonce), "{html}");
}

#[tokio::test]
async fn security_headers_on_pages_secret_links_and_the_admin_view() {
    let site = TestServer::demo();
    let page = site.get("/events/hackathon-3").await;
    assert_eq!(header(&page, "x-content-type-options"), "nosniff");
    assert_eq!(
        header(&page, "referrer-policy"),
        "strict-origin-when-cross-origin"
    );
    assert_eq!(header(&page, "cache-control"), "");
    assert_eq!(header(&page, "strict-transport-security"), "", "plain http");

    let secret = site.get("/r/not-a-valid-link").await;
    assert_eq!(header(&secret, "referrer-policy"), "no-referrer");
    assert_eq!(header(&secret, "cache-control"), "no-store");
    assert_eq!(header(&secret, "x-content-type-options"), "nosniff");

    let admin = site.get("/admin/sign-in").await;
    assert_eq!(header(&admin, "cache-control"), "no-store");

    let feed = site.get("/calendar.ics").await;
    assert_eq!(header(&feed, "x-content-type-options"), "nosniff");
    assert_eq!(header(&feed, "content-security-policy"), "", "only HTML");

    // Served as https (behind a proxy that terminates TLS): browsers are told to keep to it.
    let https = TestServer::demo_with(&[("CONVENE_BASE_URL", "https://events.example.org")]);
    let page = https.get("/").await;
    assert_eq!(
        header(&page, "strict-transport-security"),
        "max-age=31536000"
    );
}

#[tokio::test]
async fn redirects_after_a_language_switch_or_sign_in_stay_on_the_site() {
    let site = TestServer::demo();
    for (next, expected) in [
        (
            "/events/hackathon-3%3Fkind%3Dx",
            "/events/hackathon-3?kind=x",
        ),
        ("/%09/evil.example/phish", "/"),
        ("//evil.example/phish", "/"),
        ("/%5Cevil.example", "/"),
        ("https://evil.example/", "/"),
        ("/%0D%0ASet-Cookie:%20x=1", "/"),
        ("/%00", "/"),
        ("/%0A/evil.example", "/"),
    ] {
        let response = site.get(&format!("/lang/de?next={next}")).await;
        assert_eq!(response.status(), 303, "{next}");
        assert_eq!(header(&response, "location"), expected, "{next}");
    }

    // The switch on a page with a query string comes back to the same page and query.
    let (_, html) = site.text("/?kind=hackathon").await;
    assert!(
        html.contains("href=\"/lang/de?next=/%3Fkind%3Dhackathon\""),
        "{html}"
    );

    // After signing in (here: failing to), `next` is kept only when it is an admin page.
    for next in [
        "//evil.example",
        "/%09/evil.example",
        "/\r\n/x",
        "/events/hackathon-3",
    ] {
        let response = TestServer::client()
            .post(site.url("/admin/sign-in"))
            .header("origin", &site.base_url)
            .form(&[
                ("email", "nobody@example.org"),
                ("password", "wrong"),
                ("next", next),
            ])
            .send()
            .await
            .expect("POST");
        assert_eq!(response.status(), 401, "{next:?}");
        let html = readable(&response.text().await.expect("body"));
        assert!(
            html.contains("name=\"next\" value=\"/admin\""),
            "{next:?} falls back to /admin: {html}"
        );
    }
}

#[tokio::test]
async fn paths_that_walk_around_the_admin_guard_are_refused() {
    let site = TestServer::demo();
    for path in [
        "/./admin/mail",
        "/events/../admin/events/hackathon-3",
        "/admin\\mail",
        "/%2e/admin/mail",
        "/%2E%2E/admin/mail",
        "/%61dmin/mail",
        "/admin%2fmail",
        "//admin/mail",
    ] {
        assert_eq!(get_raw(&site, path), Some(400), "{path}");
    }
    // Other spellings of the admin view are no admin view at all.
    for path in ["/ADMIN/mail", "/Admin/mail", "/admin/mail/"] {
        let status = get_raw(&site, path);
        assert!(
            matches!(status, Some(303 | 404)),
            "{path}: {status:?} (the sign-in redirect or not found)"
        );
    }
    assert_eq!(
        get_raw(&site, "/admin/mail"),
        Some(303),
        "to the sign-in page"
    );
}

#[tokio::test]
async fn slow_and_idle_clients_are_let_go() {
    let site = TestServer::demo_with(&[
        ("CONVENE_HEADER_TIMEOUT_SECONDS", "2"),
        ("CONVENE_BODY_TIMEOUT_SECONDS", "3"),
    ]);
    // A head sent one byte at a time, slower than the limit allows: the server hangs up.
    let mut slow_head = TcpStream::connect(address(&site)).expect("connect");
    slow_head
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    let mut closed = false;
    for byte in b"GET / HTTP/1.1\r\nHost: x\r\n" {
        if slow_head.write_all(&[*byte]).is_err() {
            closed = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    let mut rest = Vec::new();
    match slow_head.read_to_end(&mut rest) {
        Ok(_) => closed = true,
        Err(error) => {
            closed = closed || error.kind() == std::io::ErrorKind::ConnectionReset;
        }
    }
    assert!(closed, "the server hung up on the slow head");
    let answer = String::from_utf8_lossy(&rest);
    assert!(
        !answer.contains("200 OK"),
        "a head that took 13 s with a 2 s limit is not served: {answer}"
    );

    // A body sent one byte at a time: 408 once the request limit has passed.
    let mut slow_body = TcpStream::connect(address(&site)).expect("connect");
    slow_body
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    let head = format!(
        "POST /events/hackathon-3/register HTTP/1.1\r\nHost: {}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n",
        address(&site)
    );
    slow_body.write_all(head.as_bytes()).expect("head");
    for _ in 0..10 {
        if slow_body.write_all(b"a").is_err() {
            break;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    let mut answer = Vec::new();
    let _ = slow_body.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");

    // An idle keep-alive connection is closed by the server.
    let mut idle = TcpStream::connect(address(&site)).expect("connect");
    idle.set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    idle.write_all(format!("GET /healthz HTTP/1.1\r\nHost: {}\r\n\r\n", address(&site)).as_bytes())
        .expect("request");
    let mut everything = Vec::new();
    // read_to_end returns only when the server closes the connection.
    idle.read_to_end(&mut everything)
        .expect("closed by the server");
    assert!(String::from_utf8_lossy(&everything).starts_with("HTTP/1.1 200"));
}

#[tokio::test]
async fn connections_beyond_the_cap_wait_for_a_free_one() {
    let site = TestServer::demo_with(&[
        ("CONVENE_MAX_CONNECTIONS", "2"),
        ("CONVENE_HEADER_TIMEOUT_SECONDS", "60"),
    ]);
    let first = TcpStream::connect(address(&site)).expect("connect");
    let second = TcpStream::connect(address(&site)).expect("connect");
    // Both idle connections hold the two places; a third request is not served yet.
    let waiting = TestServer::client()
        .get(site.url("/healthz"))
        .timeout(Duration::from_secs(2))
        .send()
        .await;
    assert!(waiting.is_err(), "no answer while both places are taken");
    drop(first);
    drop(second);
    let served = site.get("/healthz").await;
    assert_eq!(served.status(), 200, "served once a place is free");
}

#[tokio::test]
async fn near_the_cap_answers_close_their_connection_to_make_room() {
    let site = TestServer::demo_with(&[
        ("CONVENE_MAX_CONNECTIONS", "4"),
        ("CONVENE_HEADER_TIMEOUT_SECONDS", "60"),
    ]);
    let ask = |client: &mut TcpStream| {
        client
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("timeout");
        let request = format!("GET /healthz HTTP/1.1\r\nHost: {}\r\n\r\n", address(&site));
        client.write_all(request.as_bytes()).expect("request");
        let mut answer = [0u8; 4096];
        let read = client.read(&mut answer).expect("answer");
        String::from_utf8_lossy(&answer[..read]).to_lowercase()
    };
    // With places free, a connection stays open for the next request.
    let mut first = TcpStream::connect(address(&site)).expect("connect");
    let head = ask(&mut first);
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(!head.contains("connection: close"), "{head}");
    // Two more idle connections, and a fourth that takes the last place.
    let idle: Vec<TcpStream> = (0..2)
        .map(|_| TcpStream::connect(address(&site)).expect("connect"))
        .collect();
    let mut last = TcpStream::connect(address(&site)).expect("connect");
    std::thread::sleep(Duration::from_millis(300));
    let head = ask(&mut last);
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(head.contains("connection: close"), "{head}");
    // So a fifth client is served while the other three connections stay open and idle.
    let served = TestServer::client()
        .get(site.url("/healthz"))
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .expect("served");
    assert_eq!(served.status(), 200);
    drop((first, idle));
}

#[tokio::test]
async fn metrics_need_the_token_and_invented_methods_add_no_series() {
    let site = TestServer::demo();
    assert_eq!(
        site.get("/metrics").await.status(),
        404,
        "off without a token"
    );

    let token = "a-metrics-token-of-32-characters";
    let site = TestServer::demo_with(&[("CONVENE_METRICS_TOKEN", token)]);
    assert_eq!(site.get("/metrics").await.status(), 401);
    for i in 0..40 {
        let method = reqwest::Method::from_bytes(format!("ZZ{i}").as_bytes()).expect("method");
        let response = TestServer::client()
            .request(method, site.url("/"))
            .send()
            .await
            .expect("request");
        assert!(response.status().is_client_error(), "{}", response.status());
    }
    let response = TestServer::client()
        .get(site.url("/metrics"))
        .bearer_auth(token)
        .send()
        .await
        .expect("metrics");
    assert_eq!(response.status(), 200);
    let text = response.text().await.expect("body");
    let methods: Vec<&str> = text
        .lines()
        .filter(|line| line.starts_with("convene_http_requests_total{"))
        .filter_map(|line| line.split("method=\"").nth(1))
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert!(methods.contains(&"other"), "{text}");
    assert!(
        methods.iter().all(|m| ["GET", "other"].contains(m)),
        "{methods:?}"
    );
}

#[tokio::test]
async fn a_waitlist_position_is_shown_only_as_a_number() {
    let site = TestServer::demo();
    let (status, html) = site
        .text("/events/hackathon-3/registered?status=waitlisted&position=%3Cb%3EHacked%3C/b%3E")
        .await;
    assert_eq!(status, 200);
    assert!(!html.contains("&lt;b&gt;Hacked"), "{html}");
    assert!(
        !readable(&html).contains("at position"),
        "no position to show"
    );
    let (_, html) = site
        .text("/events/hackathon-3/registered?status=waitlisted&position=3")
        .await;
    assert!(readable(&html).contains("at position 3."), "{html}");
}

#[tokio::test]
async fn names_with_invisible_separators_or_direction_overrides_are_refused() {
    let site = TestServer::demo();
    for name in [
        "Ada\u{2028}Organizer",
        "\u{202E}nimda",
        "Ada\u{2066}x\u{2069}",
    ] {
        let (status, body) = site
            .post_json(
                "/api/v1/events/hackathon-3/registrations",
                &json!({ "name": name, "email": "ada@example.org", "consent": true }),
            )
            .await;
        assert_eq!(status, 422, "{name:?}: {body}");
        assert!(body["fields"]["name"].is_string(), "{body}");
    }
}
