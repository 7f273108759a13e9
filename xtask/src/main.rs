//! Project tasks, so that a fresh machine needs only Rust and two commands:
//!
//! ```text
//! cargo xtask run     install what is missing, build the site, run it with demo data
//! cargo xtask test    install what is missing, check formatting and lints, run every test
//! cargo xtask bench        every benchmark (release build), see server/benches
//! cargo xtask bench rush   the registration rush
//! cargo xtask bench pages  pages and feeds
//! cargo xtask bench mail   mail delivery
//! cargo xtask bench weight what a phone downloads per page (builds the release site first)
//! ```
//!
//! Each step says what it does. Tools are installed only when missing, at pinned versions.

use std::env;
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Duration;

const CARGO_LEPTOS_VERSION: &str = "0.3.10";
/// Must equal the `wasm-bindgen` version pinned in Cargo.toml.
const WASM_BINDGEN_VERSION: &str = "0.2.130";
const WASM_TARGET: &str = "wasm32-unknown-unknown";
const CHROMIUM: &str = "/usr/bin/chromium";

const USAGE: &str =
    "usage: cargo xtask run | cargo xtask test | cargo xtask bench [rush|pages|mail|weight]";
/// The benchmarks in `server/benches`, in the order `cargo xtask bench` runs them.
const BENCHMARKS: [&str; 4] = ["rush", "pages", "mail", "weight"];

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run_site(),
        Some("test") => test_all(),
        Some("bench") => match &args[1..] {
            [] => bench_all(&BENCHMARKS),
            [name] if BENCHMARKS.contains(&name.as_str()) => bench_all(&[name.as_str()]),
            _ => Err(USAGE.to_owned()),
        },
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

type Result<T = ()> = std::result::Result<T, String>;

fn root() -> PathBuf {
    // Cargo sets CARGO_MANIFEST_DIR when it runs a test or `cargo run`; reading it at run time
    // (not with env!) keeps a binary reused from another checkout of the same target dir from
    // looking at that other checkout.
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// `cargo xtask run`: the site on SQLite with demo data, mails written to `./mail`.
fn run_site() -> Result {
    ensure_wasm_target()?;
    ensure_cargo_leptos()?;
    ensure_wasm_bindgen()?;
    step("building the site (cargo leptos build)");
    cargo(&["leptos", "build"])?;
    let binary = target_dir().join("debug").join("convene");
    step(&format!(
        "starting {} serve --demo (stop with Ctrl-C)",
        binary.display()
    ));
    let status = Command::new(&binary)
        .args(["serve", "--demo"])
        .current_dir(root())
        .env("LEPTOS_SITE_ROOT", root().join("target").join("site"))
        .status()
        .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
    check(status, "convene")
}

/// `cargo xtask test`: formatting, lints, the site build, then every test (unit, integration
/// over HTTP against the real server, PostgreSQL where reachable, and the browser tests).
fn test_all() -> Result {
    ensure_wasm_target()?;
    ensure_cargo_leptos()?;
    ensure_wasm_bindgen()?;
    ensure_npm_packages()?;
    let python = ensure_python_packages()?;
    let python = python.to_string_lossy().into_owned();
    ensure_chromium()?;
    ensure_postgres_running();

    step("checking formatting (cargo fmt --check)");
    cargo(&["fmt", "--all", "--", "--check"])?;
    step("linting the server side (cargo clippy --all-targets -- -D warnings)");
    cargo(&["clippy", "--all-targets", "--", "-D", "warnings"])?;
    step("linting the browser side (cargo clippy -p frontend --target wasm32-unknown-unknown)");
    cargo(&[
        "clippy",
        "-p",
        "frontend",
        "--target",
        WASM_TARGET,
        "--",
        "-D",
        "warnings",
    ])?;
    step("building the site (cargo leptos build)");
    cargo(&["leptos", "build"])?;
    step("running all tests (cargo test)");
    let tools = [("CONVENE_PYTHON", python.as_str())];
    let mut totals = cargo_test(&["test", "--workspace", "--exclude", "frontend"], &tools)?;
    if postgres_reachable() || env::var("CI").as_deref() == Ok("true") {
        step("running the HTTP suites again on PostgreSQL (CONVENE_TEST_BACKEND=postgres)");
        let on_postgres = cargo_test(
            // The same package selection as the first pass, so nothing is rebuilt.
            &[
                "test",
                "--workspace",
                "--exclude",
                "frontend",
                "--test",
                "site",
                "--test",
                "registration",
                "--test",
                "topics",
                "--test",
                "admin",
                "--test",
                "security",
                "--test",
                "call",
                "--test",
                "webhooks",
                "--test",
                "matrix",
                "--test",
                "sso",
            ],
            &[tools[0], ("CONVENE_TEST_BACKEND", "postgres")],
        )?;
        totals = (totals.0 + on_postgres.0, totals.1 + on_postgres.1);
    } else {
        println!("==> SKIPPED the HTTP suites on PostgreSQL: no server at 127.0.0.1:5432");
    }
    println!("tests: {} passed, {} failed", totals.0, totals.1);
    Ok(())
}

fn postgres_reachable() -> bool {
    let address = SocketAddr::from(([127, 0, 0, 1], 5432));
    TcpStream::connect_timeout(&address, Duration::from_secs(1)).is_ok()
}

/// What starts a benchmark's line for the one report (`REPORT_MARKER` in
/// `server/benches/common`).
const REPORT_MARKER: &str = "report: ";

/// Runs the benchmarks `names` one after another, then prints the rows each gave for the one
/// report as one table, also when one of them failed (its error follows the table).
fn bench_all(names: &[&str]) -> Result {
    let mut rows = Vec::new();
    let mut outcome = Ok(());
    for name in names {
        outcome = bench(name, &mut rows);
        if outcome.is_err() {
            break;
        }
    }
    step("one report (convene against a baseline measured in the same run)");
    println!("| measure | convene | baseline | share | goal |");
    println!("|---|---:|---:|---:|---|");
    for row in &rows {
        println!("{row}");
    }
    outcome
}

/// `cargo xtask bench rush` (and the others): the benchmark in `server/benches/{name}.rs`
/// against the real server (bench profile = release), its output passed through; its rows for
/// the one report are added to `rows`.
fn bench(name: &str, rows: &mut Vec<String>) -> Result {
    use std::io::{BufRead, BufReader};
    if name == "weight" {
        build_release_site()?;
    }
    step(&format!(
        "running the {name} benchmark (cargo bench -p server --bench {name})"
    ));
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut child = Command::new(&cargo)
        .args(["bench", "-p", "server", "--bench", name])
        .current_dir(root())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run cargo bench: {e}"))?;
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out)
            .lines()
            .map_while(std::result::Result::ok)
        {
            match line.strip_prefix(REPORT_MARKER) {
                Some(row) => rows.push(row.to_owned()),
                None => println!("{line}"),
            }
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("cannot wait for cargo bench: {e}"))?;
    check(status, &format!("cargo bench --bench {name}"))
}

/// The site as it is deployed (`cargo leptos build --release --precompress`, as in the
/// Containerfile), for the weight benchmark; `wasm-opt` comes from the npm package binaryen.
fn build_release_site() -> Result {
    ensure_wasm_target()?;
    ensure_cargo_leptos()?;
    ensure_wasm_bindgen()?;
    ensure_npm_packages()?;
    ensure_chromium()?;
    step("building the release site (cargo leptos build --release --precompress)");
    let npm_bin = root().join("end2end/node_modules/.bin");
    let path = env::var_os("PATH").unwrap_or_default();
    let path = env::join_paths(std::iter::once(npm_bin).chain(env::split_paths(&path)))
        .map_err(|e| format!("cannot extend PATH: {e}"))?;
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .args(["leptos", "build", "--release", "--precompress"])
        .current_dir(root())
        .env("PATH", path)
        .status()
        .map_err(|e| format!("cannot run cargo leptos: {e}"))?;
    check(status, "cargo leptos build --release")
}

/// Runs `cargo test` with extra environment, passing its output through, and returns the
/// totals of every test binary's result (passed, failed); fails when cargo test fails.
fn cargo_test(args: &[&str], env_vars: &[(&str, &str)]) -> Result<(u64, u64)> {
    use std::io::{BufRead, BufReader};
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut child = Command::new(&cargo)
        .args(args)
        .envs(env_vars.iter().copied())
        .current_dir(root())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run cargo test: {e}"))?;
    let (mut passed, mut failed) = (0u64, 0u64);
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout)
            .lines()
            .map_while(std::result::Result::ok)
        {
            println!("{line}");
            if let Some((p, f)) = parse_test_result(&line) {
                passed += p;
                failed += f;
            }
        }
    }
    let status = child
        .wait()
        .map_err(|e| format!("cargo test did not finish: {e}"))?;
    if !status.success() {
        println!("tests: {passed} passed, {failed} failed");
    }
    check(status, "cargo test")?;
    Ok((passed, failed))
}

/// The counts of a libtest summary line such as
/// `test result: ok. 27 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; ...`.
fn parse_test_result(line: &str) -> Option<(u64, u64)> {
    let rest = line.strip_prefix("test result: ")?;
    let count = |label: &str| {
        rest.split(';')
            .find_map(|part| part.trim().strip_suffix(label))
            .and_then(|n| n.split_whitespace().last())
            .and_then(|n| n.parse::<u64>().ok())
    };
    Some((count(" passed")?, count(" failed")?))
}

fn step(what: &str) {
    println!("==> {what}");
}

fn cargo(args: &[&str]) -> Result {
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(&cargo)
        .args(args)
        .current_dir(root())
        .status()
        .map_err(|e| format!("cannot run cargo {}: {e}", args.join(" ")))?;
    check(status, &format!("cargo {}", args.join(" ")))
}

fn check(status: std::process::ExitStatus, what: &str) -> Result {
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

/// The output of a command, if it ran and succeeded.
fn output_of(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

fn target_dir() -> PathBuf {
    env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

fn ensure_wasm_target() -> Result {
    let installed = output_of("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        return Ok(());
    }
    step(&format!("installing the {WASM_TARGET} target (rustup)"));
    let status = Command::new("rustup")
        .args(["target", "add", WASM_TARGET])
        .status()
        .map_err(|e| format!("cannot run rustup: {e}"))?;
    check(status, "rustup target add")
}

fn ensure_cargo_leptos() -> Result {
    let version = output_of("cargo", &["leptos", "--version"]).unwrap_or_default();
    if version
        .split_whitespace()
        .any(|word| word == CARGO_LEPTOS_VERSION)
    {
        return Ok(());
    }
    step(&format!(
        "installing cargo-leptos {CARGO_LEPTOS_VERSION} (cargo install; 20-35 minutes on 2 cores)"
    ));
    cargo(&[
        "install",
        "cargo-leptos",
        "--version",
        CARGO_LEPTOS_VERSION,
        "--locked",
    ])
}

fn ensure_wasm_bindgen() -> Result {
    let version = output_of("wasm-bindgen", &["--version"]).unwrap_or_default();
    if version
        .split_whitespace()
        .any(|word| word == WASM_BINDGEN_VERSION)
    {
        return Ok(());
    }
    step(&format!(
        "installing wasm-bindgen-cli {WASM_BINDGEN_VERSION} (cargo install; about 5 minutes)"
    ));
    // Without --locked: the CLI's own lockfile names a yanked crate.
    cargo(&[
        "install",
        "wasm-bindgen-cli",
        "--version",
        WASM_BINDGEN_VERSION,
    ])
}

fn ensure_npm_packages() -> Result {
    let end2end = root().join("end2end");
    // npm records what it installed in node_modules/.package-lock.json: reinstall when the
    // committed lockfile is newer (a package was added or upgraded).
    let modified = |path: PathBuf| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let installed = modified(end2end.join("node_modules/.package-lock.json"));
    let wanted = modified(end2end.join("package-lock.json"));
    if installed.is_some() && installed >= wanted {
        return Ok(());
    }
    if output_of("npm", &["--version"]).is_none() {
        apt_install(&["nodejs", "npm"])?;
    }
    step("installing the browser-test packages (npm ci in end2end/)");
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&end2end)
        .status()
        .map_err(|e| format!("cannot run npm: {e}"))?;
    check(status, "npm ci")
}

/// The test tools from PyPI (`end2end/requirements.txt`) in a virtual environment beside the
/// npm packages; returns its interpreter, which the tests get as `CONVENE_PYTHON`.
fn ensure_python_packages() -> Result<PathBuf> {
    let end2end = root().join("end2end");
    let venv = end2end.join(".venv");
    let python = venv.join("bin").join("python");
    let requirements = end2end.join("requirements.txt");
    let stamp = venv.join("installed-requirements.txt");
    let modified = |path: &Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    if python.exists() && modified(&stamp).is_some() && modified(&stamp) >= modified(&requirements)
    {
        return Ok(python);
    }
    step("installing the test tools from PyPI (end2end/requirements.txt into end2end/.venv)");
    if !python.exists() {
        if output_of("python3", &["-m", "venv", "--help"]).is_none() {
            apt_install(&["python3", "python3-venv"])?;
        }
        let status = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .map_err(|e| format!("cannot run python3: {e}"))?;
        check(status, "python3 -m venv")?;
    }
    let status = Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
        ])
        .arg(&requirements)
        .status()
        .map_err(|e| format!("cannot run pip: {e}"))?;
    check(status, "pip install -r end2end/requirements.txt")?;
    std::fs::copy(&requirements, &stamp)
        .map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    Ok(python)
}

fn ensure_chromium() -> Result {
    if Path::new(CHROMIUM).exists() || env::var_os("CHROMIUM_PATH").is_some() {
        return Ok(());
    }
    apt_install(&["chromium"])
}

fn apt_install(packages: &[&str]) -> Result {
    let is_root = output_of("id", &["-u"]).is_some_and(|uid| uid.trim() == "0");
    let sudo: &[&str] = if is_root { &[] } else { &["sudo"] };
    step(&format!("installing {} (apt-get)", packages.join(" ")));
    let run = |args: &[&str]| -> Result {
        let mut words: Vec<&str> = sudo.to_vec();
        words.extend_from_slice(args);
        let status = Command::new(words[0])
            .args(&words[1..])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .map_err(|e| format!("cannot run {}: {e}", words.join(" ")))?;
        check(status, &words.join(" "))
    };
    run(&["apt-get", "update", "-q"])?;
    let mut install = vec!["apt-get", "install", "-y", "-q"];
    install.extend_from_slice(packages);
    run(&install)
}

/// Starts the machine's PostgreSQL cluster if it is installed but stopped; the PostgreSQL tests
/// say themselves when they skip (and must not skip in CI).
fn ensure_postgres_running() {
    if postgres_reachable() {
        return;
    }
    let Some(versions) = std::fs::read_dir("/etc/postgresql").ok() else {
        println!("==> no local PostgreSQL server: its tests will say that they skipped");
        return;
    };
    for version in versions.flatten() {
        let version = version.file_name().to_string_lossy().into_owned();
        step(&format!("starting PostgreSQL {version} (pg_ctlcluster)"));
        let started = Command::new("pg_ctlcluster")
            .args(["--skip-systemctl-redirect", &version, "main", "start"])
            .status();
        if let Err(error) = started {
            println!("==> cannot start PostgreSQL: {error}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_test_result;

    #[test]
    fn totals_libtest_summary_lines() {
        let line = "test result: ok. 27 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s";
        assert_eq!(parse_test_result(line), Some((27, 0)));
        let failed =
            "test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out";
        assert_eq!(parse_test_result(failed), Some((3, 2)));
        assert_eq!(parse_test_result("running 3 tests"), None);
    }
}
