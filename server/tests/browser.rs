//! Runs the Playwright specs in end2end/ against the real site (demo data, hydrated wasm) in
//! Debian's Chromium, and fails when they fail. `cargo xtask test` prepares what this needs:
//! the built site (`cargo leptos build`), the npm packages and Chromium.
//!
//! The site sends its mail to an SMTP server this test starts; each mail it accepts is written
//! to a folder as an `.eml` file, where the specs read it (`end2end/tests/mail.ts`).
//!
//! The specs run against the debug build (`cargo leptos build`), the one `cargo xtask run`
//! serves, chosen deliberately: it is what a contributor sees, and its cost was measured
//! (2026-12-02, 2-core machine). The 26.5 MB debug wasm hydrates a page 0.8-1.2 s after the
//! navigation starts with one page at a time, 1.6-2.7 s with the suite's two workers (of that,
//! 0.4-1.7 s is fetching the wasm); an axe run on the same page takes 1.4-1.8 s, 2.1-3.5 s.
//! So hydration is about half of an accessibility test and not the reason tests ran out of
//! time: a test that checked nine pages in one 30-second budget was. A release wasm would need a
//! release build (25 minutes here) before every test run; the budgets in
//! `end2end/playwright.config.ts` leave room for the debug one on a machine twice as slow.

mod common;

use std::path::Path;

use common::oidc::Provider;
use common::smtp::SmtpServer;
use common::{TestServer, free_port, workspace_root};

fn require(path: &Path, what: &str) {
    assert!(
        path.exists(),
        "{what} is missing at {}: run `cargo xtask test`, which prepares it",
        path.display()
    );
}

/// Writes every mail the SMTP server has accepted into `inbox`, as it arrives.
async fn deliver_to_folder(smtp: &SmtpServer, inbox: &Path) {
    let mut written = 0;
    loop {
        for mail in smtp.received().iter().skip(written) {
            written += 1;
            let file = inbox.join(format!("{written:06}.eml"));
            std::fs::write(&file, &mail.raw).expect("write a received mail");
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn playwright_specs_pass_against_the_demo_site() {
    let root = workspace_root();
    let end2end = root.join("end2end");
    require(
        &root.join("target/site/pkg/convene.wasm"),
        "the built site (cargo leptos build)",
    );
    require(
        &end2end.join("node_modules/@playwright/test"),
        "the Playwright package (npm ci)",
    );
    let chromium = std::env::var("CHROMIUM_PATH").unwrap_or_else(|_| "/usr/bin/chromium".into());
    require(Path::new(&chromium), "Chromium (Debian package chromium)");

    let smtp = SmtpServer::start().await;
    // With the default limits on, as a visitor meets them: every spec registers from this one
    // address, a dozen people in all (the story fills the room by lowering its capacity).
    // Organizers sign in through a real OpenID Provider (organizer.setup.ts), the demo
    // organizer's address vouched for by it and in its admins' group.
    let oidc_port = free_port();
    let sso_settings = Provider::settings(oidc_port);
    let smtp_url = smtp.url();
    let mut env: Vec<(&str, &str)> = vec![("CONVENE_SMTP_URL", &smtp_url)];
    env.extend(
        sso_settings
            .iter()
            .map(|(var, value)| (*var, value.as_str())),
    );
    let mut site = TestServer::demo_with(&env);
    // The demo organizer's password is new at every start and printed once.
    let line = site.next_output_line();
    let password = line
        .split("with the password ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no demo organizer password in {line:?}"))
        .to_owned();
    let inbox = tempfile::tempdir().expect("a folder for received mail");
    let provider = Provider::start(oidc_port, &site)
        .await
        .expect("the OpenID Provider (its npm package is there with Playwright's)");
    let claims = serde_json::json!({
        "email": "organizer@example.org",
        "email_verified": true,
        "groups": ["convene-admins"],
    });
    provider.account("community-organizer", claims).await;

    let mut playwright = tokio::process::Command::new("npx")
        .args(["playwright", "test"])
        .current_dir(&end2end)
        .env("CONVENE_BASE_URL", &site.base_url)
        .env("CONVENE_MAIL_DIR", inbox.path())
        .env("CONVENE_ORGANIZER_EMAIL", "organizer@example.org")
        .env("CONVENE_ORGANIZER_PASSWORD", &password)
        .env("CONVENE_OIDC_LOGIN", "community-organizer")
        .env("CHROMIUM_PATH", &chromium)
        .spawn()
        .expect("run npx playwright test");
    let status = tokio::select! {
        status = playwright.wait() => status.expect("Playwright ran"),
        () = deliver_to_folder(&smtp, inbox.path()) => unreachable!("delivery never stops"),
    };
    assert!(status.success(), "Playwright specs failed ({status})");
}

/// What a phone downloads: pages, JSON and feeds go out compressed when the browser says it
/// can take brotli or gzip; the wasm bundle goes out as it is (compressing megabytes at every
/// request would cost seconds of CPU; it is to be compressed once, at build time).
#[tokio::test]
async fn pages_go_out_compressed_and_the_bundle_as_it_is() {
    let wasm = workspace_root().join("target/site/pkg/convene.wasm");
    require(&wasm, "the built site (cargo leptos build)");
    let on_disk = std::fs::metadata(&wasm).expect("the bundle").len();
    let site = TestServer::demo();
    let fetch = |path: &'static str, encoding: &'static str| {
        let url = site.url(path);
        async move {
            let response = TestServer::client()
                .get(url)
                .header("accept-encoding", encoding)
                .send()
                .await
                .expect("GET");
            assert_eq!(response.status(), 200, "{path}");
            let used = response
                .headers()
                .get("content-encoding")
                .map(|v| v.to_str().expect("header").to_owned());
            let bytes = response.bytes().await.expect("body").len() as u64;
            (used, bytes)
        }
    };
    for page in [
        "/",
        "/events/hackathon-3",
        "/calendar.ics",
        "/api/v1/events",
    ] {
        let (used, brotli) = fetch(page, "br, gzip").await;
        assert_eq!(used.as_deref(), Some("br"), "{page}");
        let (used, gzip) = fetch(page, "gzip").await;
        assert_eq!(used.as_deref(), Some("gzip"), "{page}");
        let (used, plain) = fetch(page, "identity").await;
        assert_eq!(used, None, "{page}: as it is, when asked so");
        println!("{page}: {plain} bytes; brotli {brotli}, gzip {gzip}");
        assert!(brotli * 2 < plain && gzip * 2 < plain, "{page}");
    }
    // The page names the bundle by a version of its content: a browser keeps it for a year
    // and a new build has a new name (never an old bundle against new pages).
    let (_, html) = site.text("/").await;
    let wasm_url = common::asset_url(&html, "/pkg/convene.wasm");
    let bundle = TestServer::client()
        .get(site.url(&wasm_url))
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .expect("GET");
    assert_eq!(bundle.status(), 200);
    assert_eq!(
        bundle.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(
        bundle.headers().get("content-encoding").is_none(),
        "the debug build has no compressed copies; nothing is compressed per request"
    );
    let modified = bundle.headers()["last-modified"].clone();
    assert_eq!(
        bundle.bytes().await.expect("body").len() as u64,
        on_disk,
        "the bundle as it is"
    );
    let again = TestServer::client()
        .get(site.url(&wasm_url))
        .header("if-modified-since", modified)
        .send()
        .await
        .expect("GET");
    assert_eq!(again.status(), 304);
    assert!(again.bytes().await.expect("body").is_empty());
}
