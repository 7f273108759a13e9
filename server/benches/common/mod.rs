//! What the benchmarks share: the real `convene` binary, started on a database.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Command, Stdio};

/// The `convene` binary serving a database, with a mail directory of its own; killed when
/// dropped.
pub struct ConveneServer {
    pub base_url: String,
    child: Child,
    // Kept open so that the server never writes into a closed pipe.
    _stdout: BufReader<ChildStdout>,
    // Removed after the server is killed (fields drop after `Drop::drop`).
    _mail_dir: tempfile::TempDir,
}

impl ConveneServer {
    /// Starts `convene serve` with the settings `env` on a free port and learns its URL from the
    /// start-up line (`convene listening on http://127.0.0.1:PORT ...`).
    pub fn start(database_url: &str, env: &[(&str, &str)]) -> Result<ConveneServer, String> {
        Self::start_with(&["serve"], database_url, env)
    }

    /// [`ConveneServer::start`] with the demo community loaded (`serve --demo`).
    pub fn demo(database_url: &str, env: &[(&str, &str)]) -> Result<ConveneServer, String> {
        Self::start_with(&["serve", "--demo"], database_url, env)
    }

    fn start_with(
        args: &[&str],
        database_url: &str,
        env: &[(&str, &str)],
    ) -> Result<ConveneServer, String> {
        let mail_dir =
            tempfile::tempdir().map_err(|e| format!("cannot create a mail directory: {e}"))?;
        let binary = env!("CARGO_BIN_EXE_convene");
        let mut command = Command::new(binary);
        // Settings from the caller's environment must not leak into the benchmark.
        for var in [
            "CONVENE_BASE_URL",
            "LEPTOS_SITE_ROOT",
            "CONVENE_SMTP_URL",
            "CONVENE_MAIL_FROM",
        ] {
            command.env_remove(var);
        }
        let mut child = command
            .args(args)
            .env("DATABASE_URL", database_url)
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env("CONVENE_MAIL_DIR", mail_dir.path())
            .env("RUST_LOG", "error")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {binary}: {e}"))?;
        let Some(stdout) = child.stdout.take() else {
            let _ = child.kill();
            let _ = child.wait();
            return Err("convene's stdout is not piped".to_owned());
        };
        let mut stdout = BufReader::new(stdout);
        let mut first_line = String::new();
        let read = stdout.read_line(&mut first_line);
        let base_url = first_line
            .split_whitespace()
            .find(|word| word.starts_with("http://"))
            .map(str::to_owned);
        match (read, base_url) {
            (Ok(_), Some(base_url)) => Ok(ConveneServer {
                base_url,
                child,
                _stdout: stdout,
                _mail_dir: mail_dir,
            }),
            (read, _) => {
                let _ = child.kill();
                let _ = child.wait();
                Err(format!(
                    "convene did not say where it listens (read {read:?}, line {first_line:?})"
                ))
            }
        }
    }
}

impl ConveneServer {
    /// The next line the server prints (after the one that says where it listens), e.g. the
    /// demo organizer's password.
    pub fn next_output_line(&mut self) -> Result<String, String> {
        let mut line = String::new();
        self._stdout
            .read_line(&mut line)
            .map_err(|e| format!("cannot read convene's output: {e}"))?;
        Ok(line)
    }

    /// The server's resident memory now and at its peak so far, in KiB (Linux: from
    /// `/proc/<pid>/status`); `None` where that cannot be read.
    pub fn memory_kib(&self) -> Option<(u64, u64)> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let field = |name: &str| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|kib| kib.parse::<u64>().ok())
        };
        Some((field("VmRSS:")?, field("VmHWM:")?))
    }
}

impl Drop for ConveneServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A benchmark event at `slug`: published, registration open, `capacity` seats and a waitlist.
pub fn bench_event(slug: &str, capacity: u32) -> Result<store::NewEvent, String> {
    let starts_at = chrono::Utc::now() + chrono::Duration::days(30);
    Ok(store::NewEvent {
        slug: domain::EventSlug::parse(slug).map_err(|e| e.to_string())?,
        title: "Benchmark hackathon".to_owned(),
        kind: domain::EventKind::Hackathon,
        summary: "Everyone registers at once.".to_owned(),
        description_md: String::new(),
        starts_at,
        ends_at: starts_at + chrono::Duration::hours(8),
        time_zone: chrono_tz::Europe::Berlin,
        venue: None,
        online_url: None,
        online_access: domain::event::OnlineAccess::Public,
        host: None,
        external_url: None,
        recurrence: None,
        published: true,
        registration: Some(domain::RegistrationSettings {
            capacity: Some(capacity),
            waitlist: true,
            opens_at: None,
            closes_at: None,
            confirmation_window: chrono::Duration::hours(48),
            offer_window: None,
            last_promotion_at: None,
        }),
        questions: Vec::new(),
        topics: None,
    })
}

/// What starts a line of `cargo xtask bench`'s one report: the xtask collects these lines from
/// every benchmark it runs and prints them together as one table at the end.
pub const REPORT_MARKER: &str = "report: ";

/// One row of the combined report: what was measured, convene's figure, the baseline's (from
/// the same run), convene's share of it, and the goal with whether it held.
pub fn report_row(measure: &str, convene: &str, baseline: &str, share: &str, goal: &str) {
    println!("{REPORT_MARKER}| {measure} | {convene} | {baseline} | {share} | {goal} |");
}

/// `met` or `NOT met`, for a goal's column.
pub fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "NOT met" }
}
