//! Runs the Playwright specs in end2end/ against the real site (demo data, hydrated wasm) in
//! Debian's Chromium, and fails when they fail. `cargo xtask test` prepares what this needs:
//! the built site (`cargo leptos build`), the npm packages and Chromium.

mod common;

use std::path::Path;
use std::process::Command;

use common::{TestServer, workspace_root};

fn require(path: &Path, what: &str) {
    assert!(
        path.exists(),
        "{what} is missing at {}: run `cargo xtask test`, which prepares it",
        path.display()
    );
}

#[test]
fn playwright_specs_pass_against_the_demo_site() {
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

    let site = TestServer::demo();
    let status = Command::new("npx")
        .args(["playwright", "test"])
        .current_dir(&end2end)
        .env("CONVENE_BASE_URL", &site.base_url)
        .env("CONVENE_MAIL_DIR", site.mail_dir())
        .env("CHROMIUM_PATH", &chromium)
        .status()
        .expect("run npx playwright test");
    assert!(status.success(), "Playwright specs failed ({status})");
}
