//! Page weight: what a phone downloads before a page is interactive. For each page, the bytes of
//! JavaScript and wasm that Chromium receives (compressed as sent, with an empty cache) and the
//! time until the page is hydrated on an emulated slow phone network (Lighthouse's mobile
//! profile: 150 ms round trip, 1.6 Mbit/s), measured by `end2end/bench/weight.mjs`.
//!
//! Run it with `cargo xtask bench weight`, which first builds the release site
//! (`cargo leptos build --release --precompress`) that the server then serves, as in production.
//!
//! The budgets are the performance issue's: a public page at most 100 KiB of JS+wasm, an
//! organizer's page at most 250 KiB. A page over its budget fails the benchmark.

use std::path::PathBuf;
use std::process::{Command, ExitCode};

mod common;
use common::ConveneServer;

const PUBLIC_BUDGET_KIB: f64 = 100.0;
const ADMIN_BUDGET_KIB: f64 = 250.0;
const PAGES: [&str; 9] = [
    "public:/",
    "public:/events/hackathon-3",
    "public:/events/hackathon-3/register",
    "public:/events/scs-community-call/2023-10-19",
    "public:/events/hackathon-3/topics",
    "public:/privacy",
    "admin:/admin",
    "admin:/admin/events/hackathon-3",
    "admin:/admin/events/hackathon-3/check-in",
];

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("weight: FAILED: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let root = workspace_root();
    let site = root.join("target/site");
    let wasm = site.join("pkg/convene.wasm");
    if !wasm.exists() {
        return Err(format!(
            "{} is missing: build the release site first (cargo xtask bench weight does)",
            wasm.display()
        ));
    }
    let dir = tempfile::tempdir().map_err(|e| format!("cannot create a temp dir: {e}"))?;
    let url = format!("sqlite:{}", dir.path().join("weight.db").display());
    let site_root = site.display().to_string();
    let mut convene = ConveneServer::demo(&url, &[("LEPTOS_SITE_ROOT", &site_root)])?;
    let line = convene.next_output_line()?;
    let password = line
        .split("with the password ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .ok_or_else(|| format!("no demo organizer password in {line:?}"))?
        .to_owned();
    let chromium = std::env::var("CHROMIUM_PATH").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let output = Command::new("node")
        .arg("bench/weight.mjs")
        .args(PAGES)
        .current_dir(root.join("end2end"))
        .env("CONVENE_BASE_URL", &convene.base_url)
        .env("CONVENE_ORGANIZER_EMAIL", "organizer@example.org")
        .env("CONVENE_ORGANIZER_PASSWORD", &password)
        .env("CHROMIUM_PATH", &chromium)
        .output()
        .map_err(|e| format!("cannot run node end2end/bench/weight.mjs: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "weight.mjs failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let wasm_on_disk = std::fs::metadata(&wasm).map_or(0, |m| m.len());
    println!(
        "weight: release site, wasm {:.1} KiB on disk; Chromium on a slow phone network, empty cache",
        kib(wasm_on_disk as f64)
    );
    println!(
        "| page | JS+wasm KiB (of which wasm) | budget KiB | HTML+CSS KiB | hydrated after ms |"
    );
    println!("| --- | ---: | ---: | ---: | ---: |");
    let mut over = Vec::new();
    // The heaviest page of each audience (KiB, path) and the slowest hydration (ms, path).
    let mut heaviest = [(0.0_f64, String::new()), (0.0_f64, String::new())];
    let mut slowest = (0.0_f64, String::new());
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let page: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("{e}: {line}"))?;
        let bytes = |kind: &str| page["bytes"][kind].as_f64().unwrap_or(0.0);
        let path = page["path"].as_str().unwrap_or("?");
        let budget = if page["audience"] == "admin" {
            ADMIN_BUDGET_KIB
        } else {
            PUBLIC_BUDGET_KIB
        };
        let script = kib(bytes("js") + bytes("wasm"));
        println!(
            "| {path} | {script:.1} ({:.1}) | {budget:.0} | {:.1} | {} |",
            kib(bytes("wasm")),
            kib(bytes("html") + bytes("css")),
            page["hydratedMs"]
        );
        if script > budget {
            over.push(format!("{path}: {script:.1} KiB > {budget:.0} KiB"));
        }
        let audience = usize::from(page["audience"] == "admin");
        if script >= heaviest[audience].0 {
            heaviest[audience] = (script, path.to_owned());
        }
        let hydrated = page["hydratedMs"].as_f64().unwrap_or(0.0);
        if hydrated >= slowest.0 {
            slowest = (hydrated, path.to_owned());
        }
    }
    for ((kib, path), (audience, budget)) in heaviest.iter().zip([
        ("public", PUBLIC_BUDGET_KIB),
        ("organizer", ADMIN_BUDGET_KIB),
    ]) {
        common::report_row(
            &format!("weight, heaviest {audience} page (compressed JS+wasm)"),
            &format!("{kib:.1} KiB ({path})"),
            &format!("budget {budget:.0} KiB"),
            &format!("{:.0}%", 100.0 * kib / budget),
            &format!("<= 100% of the budget: {}", common::verdict(*kib <= budget)),
        );
    }
    common::report_row(
        "weight, slowest hydration on a slow phone network",
        &format!("{:.0} ms ({})", slowest.0, slowest.1),
        "",
        "",
        "",
    );
    if over.is_empty() {
        println!("weight: every page within its budget");
        Ok(())
    } else {
        Err(format!("over budget: {}", over.join("; ")))
    }
}

fn kib(bytes: f64) -> f64 {
    bytes / 1024.0
}

fn workspace_root() -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}
