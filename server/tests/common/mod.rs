//! Starts the real `convene` binary on a free port with a fresh SQLite file, the way a user
//! would, and stops it when the test ends.

#![allow(dead_code)] // Each test binary uses a different part of this module.

pub mod matrix;
pub mod oidc;
pub mod openapi;
pub mod organizer;
pub mod smtp;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Output, Stdio};
use std::time::Duration;

/// The settings that turn every registration limit off.
pub const NO_REGISTRATION_LIMITS: &[(&str, &str)] = &[
    ("CONVENE_REGISTRATION_LIMIT_PER_CLIENT", "0"),
    ("CONVENE_REGISTRATION_LIMIT_PER_EMAIL", "0"),
    ("CONVENE_RESEND_INTERVAL_SECONDS", "0"),
];

pub struct TestServer {
    pub base_url: String,
    /// The database this server runs on.
    database_url: String,
    /// A PostgreSQL database made for this server, dropped with it.
    postgres: Option<store::test_support::TestDatabase>,
    child: Child,
    // Kept open so that the server never writes into a closed pipe.
    stdout: BufReader<ChildStdout>,
    dir: tempfile::TempDir,
    args: Vec<String>,
    env: Vec<(String, String)>,
}

/// The workspace root (where `target/site` and `end2end/` are).
pub fn workspace_root() -> PathBuf {
    // Cargo sets CARGO_MANIFEST_DIR when it runs a test or `cargo run`; reading it at run time
    // (not with env!) keeps a binary reused from another checkout of the same target dir from
    // looking at that other checkout.
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(".."))
}

/// A `convene` command with a clean environment for the settings it reads.
pub fn convene() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_convene"));
    for var in [
        "DATABASE_URL",
        "LEPTOS_SITE_ADDR",
        "CONVENE_BASE_URL",
        "LEPTOS_SITE_ROOT",
    ] {
        command.env_remove(var);
    }
    command.env("RUST_LOG", "warn");
    command
}

impl TestServer {
    /// The site with the demo community loaded.
    pub fn demo() -> TestServer {
        Self::start(&["serve", "--demo"], &[])
    }

    /// The demo site with extra settings, e.g. `CONVENE_SMTP_URL`.
    pub fn demo_with(env: &[(&str, &str)]) -> TestServer {
        Self::start(&["serve", "--demo"], env)
    }

    /// The demo site with the registration limits off (and `env`), for tests that register
    /// dozens of people from one address; the limits have tests of their own.
    pub fn demo_without_registration_limits(env: &[(&str, &str)]) -> TestServer {
        let env: Vec<(&str, &str)> = NO_REGISTRATION_LIMITS.iter().chain(env).copied().collect();
        Self::start(&["serve", "--demo"], &env)
    }

    /// The site on an empty database.
    pub fn empty() -> TestServer {
        Self::start(&["serve"], &[])
    }

    fn start(args: &[&str], env: &[(&str, &str)]) -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let postgres = on_postgres().then(fresh_postgres_database);
        let database_url = postgres.as_ref().map_or_else(
            || format!("sqlite:{}", dir.path().join("convene.db").display()),
            |db| db.url.clone(),
        );
        Self::start_on(database_url, postgres, dir, args, env)
    }

    /// A server on a database that the test made (e.g. one PostgreSQL database shared by
    /// several instances).
    pub fn serve_database(database_url: &str, env: &[(&str, &str)]) -> TestServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Self::start_on(
            database_url.to_owned(),
            None,
            dir,
            vec!["serve".to_owned()],
            env,
        )
    }

    fn start_on(
        database_url: String,
        postgres: Option<store::test_support::TestDatabase>,
        dir: tempfile::TempDir,
        args: Vec<String>,
        env: Vec<(String, String)>,
    ) -> TestServer {
        let (child, stdout, base_url) = spawn(dir.path(), &database_url, &args, &env);
        TestServer {
            base_url,
            database_url,
            postgres,
            child,
            stdout,
            dir,
            args,
            env,
        }
    }

    /// The server's process id, e.g. to send it a signal.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits until the server exits; whether it exited successfully.
    pub fn wait_for_exit(&mut self) -> bool {
        self.child.wait().is_ok_and(|status| status.success())
    }

    /// Starts the server again on the same database after [`TestServer::terminate`].
    pub fn start_again(&mut self) {
        let (child, stdout, base_url) =
            spawn(self.dir.path(), &self.database_url, &self.args, &self.env);
        self.child = child;
        self.stdout = stdout;
        self.base_url = base_url;
    }

    /// Kills the server without warning (SIGKILL, as a crash or power cut would) and starts
    /// it again on the same database; the address changes.
    pub fn crash_and_restart(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let (child, stdout, base_url) =
            spawn(self.dir.path(), &self.database_url, &self.args, &self.env);
        self.child = child;
        self.stdout = stdout;
        self.base_url = base_url;
    }

    /// The next line the server printed after its start-up line.
    pub fn next_output_line(&mut self) -> String {
        let mut line = String::new();
        self.stdout
            .read_line(&mut line)
            .expect("read the server's output");
        line
    }

    /// The URL of this server's database (SQLite, or PostgreSQL under
    /// `CONVENE_TEST_BACKEND=postgres`).
    pub fn database_url(&self) -> String {
        self.database_url.clone()
    }

    /// Where mails go when no SMTP server is configured.
    pub fn mail_dir(&self) -> PathBuf {
        self.dir.path().join("mail")
    }

    pub fn client() -> reqwest::Client {
        reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(0)
            .build()
            .expect("http client")
    }

    /// POSTs JSON and returns the status and the JSON answer.
    pub async fn post_json(
        &self,
        path: &str,
        body: &serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let response = Self::client()
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {path}: {e}"));
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
        )
    }

    /// POSTs an HTML form and returns the response (redirects are not followed).
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        Self::client()
            .post(self.url(path))
            .form(fields)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {path}: {e}"))
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        Self::client()
            .get(self.url(path))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    pub async fn text(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }
}

/// The `Retry-After` seconds of a response, if it has the header.
pub fn retry_after(response: &reqwest::Response) -> Option<u64> {
    response
        .headers()
        .get("retry-after")?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

/// An HTML page without the markers Leptos puts between text pieces (`<!>`, `<!---->`), so
/// tests can look for a sentence as a reader sees it.
pub fn readable(html: &str) -> String {
    html.replace("<!>", "").replace("<!---->", "")
}

/// Whether the server's log shows a panic, other than one known upstream race: leptos_i18n
/// 0.6.2 starts an effect (its language cookie, `context.rs`) that tokio may run after the
/// page's reactive owner is gone; it then panics in that detached task, after the response was
/// sent in full. Any other panic counts.
fn panicked(log: &str) -> bool {
    let lines: Vec<&str> = log.lines().collect();
    lines.iter().enumerate().any(|(i, line)| {
        line.contains("panicked at") && {
            let message = format!("{line} {}", lines.get(i + 1).copied().unwrap_or(""));
            !(message.contains("leptos_i18n-0.6.2/src/context.rs")
                && message.contains("has already been disposed"))
        }
    })
}

impl Drop for TestServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // A panic inside the server (a request task) must fail the test that caused it.
        let log = std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default();
        if !log.is_empty() {
            eprintln!("--- convene's log ---\n{log}");
        }
        if panicked(&log) && !std::thread::panicking() {
            panic!("convene panicked while serving this test; its log is above");
        }
        if let Some(db) = self.postgres.take() {
            on_own_runtime(move || async move { db.finish().await });
        }
    }
}

/// Runs `script` with the test tools' Python (`CONVENE_PYTHON`, the virtual environment that
/// `cargo xtask test` fills from `end2end/requirements.txt`), `input` on its stdin; returns its
/// stdout. Without that Python the check says SKIPPED (and fails in CI) and gives `None`.
pub fn run_python(script: &str, input: &[u8]) -> Option<String> {
    use std::io::Write;
    let Some(python) = std::env::var_os("CONVENE_PYTHON") else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CONVENE_PYTHON is not set: run the tests with `cargo xtask test`"
        );
        eprintln!("SKIPPED: a check with the PyPI test tools (CONVENE_PYTHON is not set)");
        return None;
    };
    let mut child = Command::new(python)
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run the test tools' Python");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write to Python");
    let output = child.wait_with_output().expect("Python finished");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Whether the HTTP suites run against PostgreSQL (`CONVENE_TEST_BACKEND=postgres`, set by
/// `cargo xtask test` for a second pass) instead of SQLite.
pub fn on_postgres() -> bool {
    std::env::var("CONVENE_TEST_BACKEND").as_deref() == Ok("postgres")
}

fn fresh_postgres_database() -> store::test_support::TestDatabase {
    on_own_runtime(|| async {
        store::test_support::TestDatabase::postgres("http")
            .await
            .expect("CONVENE_TEST_BACKEND=postgres needs a reachable PostgreSQL server")
    })
}

/// Runs async set-up or clean-up from sync code, even inside a test's own runtime.
fn on_own_runtime<T: Send + 'static, F: Future<Output = T>>(
    work: impl FnOnce() -> F + Send + 'static,
) -> T {
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
            .block_on(work())
    })
    .join()
    .expect("set-up thread")
}

/// The server's stderr, appended to `dir/server.log`, so that a test can tell whether it panicked.
fn server_log(dir: &Path) -> Stdio {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("server.log"))
        .map(Stdio::from)
        .unwrap_or_else(|_| Stdio::inherit())
}

/// Starts `convene` on the database in `dir` and waits for the line that says where it listens.
fn spawn(
    dir: &Path,
    database_url: &str,
    args: &[String],
    env: &[(String, String)],
) -> (Child, BufReader<ChildStdout>, String) {
    let mut command = convene();
    command
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("LEPTOS_SITE_ROOT", workspace_root().join("target/site"))
        .env("CONVENE_MAIL_DIR", dir.join("mail"));
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(server_log(dir))
        .spawn()
        .expect("start convene");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut stdout = BufReader::new(stdout);
    let mut first_line = String::new();
    stdout
        .read_line(&mut first_line)
        .expect("read the start-up line");
    let base_url = first_line
        .split_whitespace()
        .find(|word| word.starts_with("http://"))
        .unwrap_or_else(|| {
            let log = std::fs::read_to_string(dir.join("server.log")).unwrap_or_default();
            panic!("convene did not say where it listens: {first_line:?}\n{log}")
        })
        .to_owned();
    (child, stdout, base_url)
}

/// Runs `convene` to completion with `args` and extra environment.
pub fn run_convene(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = convene();
    command.args(args);
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("run convene")
}

/// The versioned address of a built file (`pkg/convene.wasm`) as a page names it
/// (`/assets/{version}/pkg/convene.wasm`).
pub fn asset_url(html: &str, file: &str) -> String {
    let end = html
        .find(file)
        .unwrap_or_else(|| panic!("{file} in the page"))
        + file.len();
    let start = html[..end].rfind("/assets/").expect("a versioned address");
    html[start..end].to_owned()
}

/// The manage link (`http://.../r/{token}`) in the text of the mail at `path`.
pub fn manage_link_in(path: &Path) -> String {
    let raw = std::fs::read(path).expect("read mail");
    let message = mail_parser::MessageParser::default()
        .parse(&raw)
        .expect("a MIME message");
    let text = message.body_text(0).expect("a text part").into_owned();
    text.split_whitespace()
        .find(|word| word.contains("/r/") && !word.ends_with("/confirm"))
        .expect("a manage link")
        .to_owned()
}

/// The manage link of the first confirmation mail to `address` in the site's mail folder,
/// waiting up to a minute for the outbox to write it.
pub fn manage_link_to(site: &TestServer, address: &str) -> String {
    for _ in 0..600 {
        let mut files: Vec<PathBuf> = std::fs::read_dir(site.mail_dir())
            .map(|dir| dir.flatten().map(|entry| entry.path()).collect())
            .unwrap_or_default();
        files.sort();
        let to_address = files.into_iter().find(|path| {
            path.to_string_lossy().contains("confirm_email")
                && std::fs::read_to_string(path).is_ok_and(|mail| {
                    mail.lines()
                        .any(|line| line.starts_with("To:") && line.contains(address))
                })
        });
        if let Some(path) = to_address {
            return manage_link_in(&path);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("no confirmation mail to {address} in {:?}", site.mail_dir());
}

/// A port on 127.0.0.1 that nothing listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}
