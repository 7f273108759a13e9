//! `convene`: the events site's server and command line.
//!
//! ```text
//! convene [serve] [--demo]   run the site (migrations are applied first; --demo loads demo data)
//! convene migrate            apply database migrations and exit
//! convene export [FILE]      write the whole community as JSON (to stdout without FILE)
//! convene import [--with-organizers] FILE
//!                            load such a file into an empty database (`-` reads stdin); every
//!                            row is checked as the forms check it; organizer accounts only
//!                            with --with-organizers
//! convene admin create --email ADDRESS [--role admin|event_manager|door]
//!                            create an organizer (an admin unless --role says otherwise); the
//!                            password comes from CONVENE_ADMIN_PASSWORD or the first line of
//!                            stdin
//! convene agenda import --series SLUG --date YYYY-MM-DD FILE
//!                            read a HedgeDoc slide deck into the agenda of the community
//!                            call on that date (its sections are matched by title; what the
//!                            call had in them is replaced)
//! ```

mod assets;
mod config;
mod connections;
mod deliveries;
mod errors;
mod mailer;
mod routes;
mod security;
mod server_fns;

use std::process::ExitCode;

use leptos::config::LeptosOptions;
use service::Services;
use store::Store;

use crate::config::Config;
use crate::routes::{AppState, Layers};

/// Requests carry small forms and JSON; anything bigger is refused with 413.
const MAX_BODY_BYTES: usize = 64 * 1024;

const USAGE: &str = "usage: convene [serve] [--demo] | convene migrate | convene export [FILE] | convene import [--with-organizers] FILE | convene admin create --email ADDRESS [--role admin|event_manager|door] | convene agenda import --series SLUG --date YYYY-MM-DD FILE";

#[derive(Debug, PartialEq)]
enum Command {
    Serve {
        demo: bool,
    },
    Migrate,
    Export {
        file: Option<String>,
    },
    Import {
        file: String,
        with_organizers: bool,
    },
    CreateOrganizer {
        email: String,
        role: String,
    },
    ImportAgenda {
        series: String,
        date: String,
        file: String,
    },
    Help,
}

fn parse_args(args: &[String]) -> Result<Command, String> {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match words.as_slice() {
        [] | ["serve"] => Ok(Command::Serve { demo: false }),
        ["--demo"] | ["serve", "--demo"] => Ok(Command::Serve { demo: true }),
        ["migrate"] => Ok(Command::Migrate),
        ["export"] => Ok(Command::Export { file: None }),
        ["export", file] => Ok(Command::Export {
            file: Some((*file).to_owned()),
        }),
        ["import", "--with-organizers", file] => Ok(Command::Import {
            file: (*file).to_owned(),
            with_organizers: true,
        }),
        ["import", file] if !file.starts_with("--") => Ok(Command::Import {
            file: (*file).to_owned(),
            with_organizers: false,
        }),
        ["admin", "create", "--email", email] => Ok(Command::CreateOrganizer {
            email: (*email).to_owned(),
            role: domain::admin::Role::Admin.as_str().to_owned(),
        }),
        ["admin", "create", "--email", email, "--role", role]
        | ["admin", "create", "--role", role, "--email", email] => Ok(Command::CreateOrganizer {
            email: (*email).to_owned(),
            role: (*role).to_owned(),
        }),
        ["agenda", "import", "--series", series, "--date", date, file]
        | ["agenda", "import", "--date", date, "--series", series, file] => {
            Ok(Command::ImportAgenda {
                series: (*series).to_owned(),
                date: (*date).to_owned(),
                file: (*file).to_owned(),
            })
        }
        ["help"] | ["--help"] | ["-h"] => Ok(Command::Help),
        _ => Err(format!("unknown arguments {:?}", words.join(" "))),
    }
}

/// A failure that stops the program: printed as one line, exit code 1.
#[derive(Debug, thiserror::Error)]
enum StartError {
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Config(#[from] config::ConfigError),
    #[error("DATABASE_URL={url:?}: {source}")]
    Database {
        url: String,
        source: store::StoreError,
    },
    #[error("LEPTOS_SITE_ADDR={addr}: cannot listen: {source}")]
    Listen {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("server stopped: {0}")]
    Serve(std::io::Error),
    #[error("{file}: {reason}")]
    Dump { file: String, reason: String },
    #[error("{0}")]
    Organizer(String),
    #[error("{0}")]
    Agenda(String),
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match parse_args(&args) {
        Ok(command) => command,
        Err(message) => return fail(StartError::Usage(format!("{message}\n{USAGE}"))),
    };
    if command == Command::Help {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    init_tracing();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => return fail(StartError::Serve(error)),
    };
    match runtime.block_on(run(command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(error),
    }
}

fn fail(error: StartError) -> ExitCode {
    eprintln!("error: {error}");
    ExitCode::FAILURE
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

async fn run(command: Command) -> Result<(), StartError> {
    let config = Config::from_env()?;
    let store = open_store(&config.database_url).await?;
    match command {
        Command::Migrate => {
            println!("migrations applied to {}", config.database_url);
            Ok(())
        }
        Command::Serve { demo } => {
            let mut demo_password = None;
            if demo {
                let today = chrono::Utc::now().date_naive();
                let outcome = store::load_demo(&store, today).await.map_err(|source| {
                    StartError::Database {
                        url: config.database_url.clone(),
                        source,
                    }
                })?;
                tracing::info!(
                    created = outcome.created,
                    already_present = outcome.already_present,
                    "demo data loaded"
                );
                let password = service::admin::reset_demo_organizer(&store, chrono::Utc::now())
                    .await
                    .map_err(|e| StartError::Organizer(e.to_string()))?;
                demo_password = Some(password);
            }
            serve(config, store, demo_password).await
        }
        Command::CreateOrganizer { email, role } => create_organizer(&store, &email, &role).await,
        Command::Export { file } => export(&store, file.as_deref()).await,
        Command::Import {
            file,
            with_organizers,
        } => import(&store, &file, with_organizers).await,
        Command::ImportAgenda { series, date, file } => {
            let ctx = services(&config, store, None);
            import_agenda(&ctx, &series, &date, &file).await
        }
        Command::Help => Ok(()),
    }
}

/// `convene admin create --email ADDRESS [--role ROLE]`
async fn create_organizer(store: &Store, email: &str, role: &str) -> Result<(), StartError> {
    let password = match std::env::var("CONVENE_ADMIN_PASSWORD") {
        Ok(password) if !password.is_empty() => password,
        _ => {
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .map_err(|e| StartError::Organizer(format!("cannot read the password: {e}")))?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let new = service::admin::NewOrganizer {
        email,
        password: &password,
        role,
    };
    let by = store::Actor::System;
    match service::admin::create_organizer(store, new, by, chrono::Utc::now()).await {
        Ok(_) => {
            println!("organizer {email} ({role}) created; sign in at /admin/sign-in");
            Ok(())
        }
        Err(service::admin::AdminError::Invalid(errors)) => Err(StartError::Organizer(
            errors
                .iter()
                .map(|e| format!("{}: {}", e.field.key(), e.message()))
                .collect::<Vec<_>>()
                .join("; "),
        )),
        Err(error) => Err(StartError::Organizer(error.to_string())),
    }
}

async fn export(store: &Store, file: Option<&str>) -> Result<(), StartError> {
    let name = file.unwrap_or("stdout").to_owned();
    let failed = |reason: String| StartError::Dump {
        file: name.clone(),
        reason,
    };
    let dump = store.export().await.map_err(|e| failed(e.to_string()))?;
    let json = serde_json::to_string_pretty(&dump).map_err(|e| failed(e.to_string()))?;
    match file {
        Some(path) => write_private(path, &json).map_err(|e| failed(e.to_string()))?,
        None => println!("{json}"),
    }
    eprintln!(
        "exported {} events, {} registrations, {} mails",
        dump.events.len(),
        dump.registrations.len(),
        dump.outbox.len()
    );
    Ok(())
}

/// Writes `contents` to a file only its owner can read (it holds e-mail addresses, and password
/// hashes): created with mode 0600, and an existing file is narrowed to it before writing.
fn write_private(path: &str, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()
}

/// `convene import [--with-organizers] FILE`: every row checked first, all or nothing.
async fn import(store: &Store, file: &str, with_organizers: bool) -> Result<(), StartError> {
    let failed = |reason: String| StartError::Dump {
        file: file.to_owned(),
        reason,
    };
    let json = if file == "-" {
        std::io::read_to_string(std::io::stdin()).map_err(|e| failed(e.to_string()))?
    } else {
        std::fs::read_to_string(file).map_err(|e| failed(e.to_string()))?
    };
    let dump: store::Dump = serde_json::from_str(&json).map_err(|e| failed(e.to_string()))?;
    // Who may sign in is not data to carry along unasked.
    if !with_organizers && !dump.organizers.is_empty() {
        return Err(failed(format!(
            "nothing imported: the file holds {} organizer accounts, who could sign in here; \
             import them with --with-organizers, or remove them from the file",
            dump.organizers.len()
        )));
    }
    dump.check()
        .map_err(|refusal| failed(format!("nothing imported: {refusal}")))?;
    store
        .import(&dump)
        .await
        .map_err(|e| failed(e.to_string()))?;
    eprintln!(
        "imported {} events, {} registrations, {} mails, {} organizers",
        dump.events.len(),
        dump.registrations.len(),
        dump.outbox.len(),
        dump.organizers.len()
    );
    Ok(())
}

/// `convene agenda import --series SLUG --date YYYY-MM-DD FILE`
async fn import_agenda(
    ctx: &Services,
    series: &str,
    date: &str,
    file: &str,
) -> Result<(), StartError> {
    let refused = |reason: String| StartError::Agenda(format!("nothing imported: {reason}"));
    let slug = domain::EventSlug::parse(series)
        .map_err(|_| refused(format!("--series {series:?} is no event's address")))?;
    let date = domain::dates::parse_date(date)
        .map_err(|_| refused(format!("--date {date:?} is no date like 2023-10-19")))?;
    let markdown = std::fs::read_to_string(file).map_err(|e| refused(format!("{file}: {e}")))?;
    let series_id = ctx
        .store
        .event_id(&slug)
        .await
        .map_err(|e| refused(e.to_string()))?
        .ok_or_else(|| refused(format!("no event at /events/{series}")))?;
    let now = chrono::Utc::now();
    let outcome =
        service::call::import_deck(ctx, store::Actor::System, series_id, date, &markdown, now)
            .await
            .map_err(|e| refused(e.to_string()))?;
    eprintln!(
        "imported {} items into the call of {date} ({} sections added)",
        outcome.items, outcome.sections_added
    );
    Ok(())
}

/// The flows' context for this configuration; `base_url` is known once the server listens.
fn services(config: &Config, store: Store, base_url: Option<String>) -> Services {
    let base_url = base_url
        .or_else(|| config.base_url.clone())
        .unwrap_or_else(|| format!("http://{}", config.site_addr));
    Services {
        registration_limits: config.registration_limits(),
        retention: chrono::Duration::days(i64::from(config.retention_days)),
        change_mail_delay: chrono::Duration::seconds(i64::from(config.change_mail_delay_seconds)),
        privacy_contact: config.privacy_contact.clone(),
        matrix: config
            .matrix
            .as_ref()
            .map(|m| service::matrix::MatrixSettings {
                rooms: m.rooms.clone(),
                lang: m.lang,
            }),
        sso: config.sso.clone().and_then(|settings| {
            service::sso::Sso::new(settings)
                .inspect_err(|error| tracing::error!(%error, "single sign-on is off"))
                .ok()
                .map(std::sync::Arc::new)
        }),
        password_sign_in: config.password_sign_in,
        ..Services::new(
            store,
            base_url,
            std::sync::Arc::new(app::ssr::mail_texts::Catalogue),
        )
    }
}

async fn open_store(url: &str) -> Result<Store, StartError> {
    let database_error = |source| StartError::Database {
        url: url.to_owned(),
        source,
    };
    let store = Store::connect(url).await.map_err(database_error)?;
    store.migrate().await.map_err(database_error)?;
    Ok(store)
}

fn mailer_config(config: &Config) -> Result<mailer::MailerConfig, config::ConfigError> {
    let transport = match &config.smtp_url {
        Some(url) => mailer::Transport::Smtp(Box::new(
            lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(url)
                .map_err(|e| config::ConfigError {
                    var: "CONVENE_SMTP_URL",
                    value: url.clone(),
                    reason: e.to_string(),
                })?
                .timeout(Some(std::time::Duration::from_secs(20)))
                .pool_config(
                    lettre::transport::smtp::PoolConfig::new().max_size(config.smtp_connections),
                )
                .build(),
        )),
        None => mailer::Transport::Folder(config.mail_dir.clone()),
    };
    let from = config.mail_from.parse().map_err(|e| config::ConfigError {
        var: "CONVENE_MAIL_FROM",
        value: config.mail_from.clone(),
        reason: format!("{e}"),
    })?;
    Ok(mailer::MailerConfig {
        transport,
        from,
        retry_base: std::time::Duration::from_secs(config.mail_retry_seconds),
        max_attempts: config.mail_max_attempts,
        at_once: usize::try_from(config.smtp_connections).unwrap_or(1),
    })
}

/// Pending connections the kernel queues for us: a registration rush opens thousands at once,
/// and the default of 1024 makes the rest wait for SYN retransmits.
const LISTEN_BACKLOG: u32 = 4096;

fn listen(addr: std::net::SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(LISTEN_BACKLOG)
}

async fn serve(
    config: Config,
    store: Store,
    demo_password: Option<String>,
) -> Result<(), StartError> {
    let mailer_config = mailer_config(&config)?;
    let listener = listen(config.site_addr).map_err(|source| StartError::Listen {
        addr: config.site_addr,
        source,
    })?;
    let addr = listener.local_addr().map_err(|source| StartError::Listen {
        addr: config.site_addr,
        source,
    })?;
    let base_url = config
        .base_url
        .clone()
        .unwrap_or_else(|| format!("http://{addr}"));
    let leptos_options = LeptosOptions::builder()
        .output_name("convene")
        .site_root(config.site_root.to_string_lossy().as_ref())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build();
    let state = AppState {
        leptos_options,
        context: services(&config, store.clone(), Some(base_url.clone())),
        metrics_token: config.metrics_token.as_deref().map(std::sync::Arc::from),
        feeds: std::sync::Arc::default(),
        assets: assets::Assets::read(&config.site_root),
    };
    let limits = config.registration_limits();
    if limits.per_client.is_none() || limits.per_email.is_none() || limits.resend_interval.is_none()
    {
        tracing::warn!(?limits, "some registration limits are off");
    }
    let context = state.context.clone();
    if demo_password.is_some() {
        match service::demo::load_demo_agenda(&context, chrono::Utc::now()).await {
            Ok(loaded) => tracing::info!(loaded, "demo agenda of the community call"),
            Err(error) => tracing::warn!(%error, "could not load the demo agenda"),
        }
    }
    let layers = Layers {
        behind_proxy: connections::BehindProxy(config.behind_proxy),
        https: security::Https(base_url.starts_with("https://")),
        body: connections::BodyLimits {
            timeout: std::time::Duration::from_secs(config.body_timeout_seconds),
            max_bytes: MAX_BODY_BYTES,
        },
    };
    let router = routes::router(state, layers);
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mail_worker = tokio::spawn(mailer::run(
        store.clone(),
        mailer_config,
        store.mail_queued(),
        context.metrics.clone(),
        stopped.clone(),
    ));
    let delivery_worker = tokio::spawn(deliveries::run(
        store.clone(),
        deliveries::DeliveryConfig {
            retry_base: std::time::Duration::from_secs(config.webhook_retry_seconds),
            max_attempts: config.webhook_max_attempts,
            matrix: config
                .matrix
                .as_ref()
                .map(|m| deliveries::MatrixConnection {
                    homeserver: m.homeserver.clone(),
                    access_token: m.access_token.clone(),
                }),
        },
        store.webhooks_queued(),
        stopped.clone(),
    ));
    let interval = std::time::Duration::from_secs(u64::from(config.housekeeping_seconds));
    let reminder_lead = chrono::Duration::hours(i64::from(config.agenda_reminder_hours));
    let housekeeping = tokio::spawn(housekeeping(context, interval, reminder_lead, stopped));
    println!("convene listening on http://{addr} (public URL {base_url})");
    if let Some(password) = demo_password {
        println!(
            "demo organizer: sign in at {base_url}/admin/sign-in as {} with the password {password} \
             (new at every start)",
            service::admin::DEMO_ORGANIZER
        );
    }
    let limits = connections::Limits {
        header_timeout: std::time::Duration::from_secs(config.header_timeout_seconds),
        max_connections: config.max_connections,
    };
    connections::serve(listener, router, limits, async move {
        shutdown_signal().await;
        let _ = stop.send(true);
    })
    .await;
    // In-flight requests are done; let the workers finish the mail and delivery in hand.
    let _ = mail_worker.await;
    let _ = delivery_worker.await;
    let _ = housekeeping.await;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn housekeeping(
    context: Services,
    interval: std::time::Duration,
    reminder_lead: chrono::Duration,
    mut stopped: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        match service::registration::expire_holds(&context, chrono::Utc::now()).await {
            Ok(0) => {}
            Ok(count) => tracing::info!(count, "released unconfirmed seats and lapsed offers"),
            Err(error) => tracing::warn!(%error, "could not release unconfirmed seats"),
        }
        match service::registration::close_waitlists(&context, chrono::Utc::now()).await {
            Ok(0) => {}
            Ok(count) => tracing::info!(count, "told people waiting that the waitlist closed"),
            Err(error) => tracing::warn!(%error, "could not close waitlists"),
        }
        match service::registration::send_reminders(&context, chrono::Utc::now()).await {
            Ok(0) => {}
            Ok(count) => tracing::info!(count, "queued reminder mails"),
            Err(error) => tracing::warn!(%error, "could not queue reminder mails"),
        }
        match service::matrix::announce_openings(&context, chrono::Utc::now()).await {
            Ok(0) => {}
            Ok(count) => tracing::info!(count, "announced registration openings in Matrix"),
            Err(error) => tracing::warn!(%error, "could not announce registration openings"),
        }
        let now = chrono::Utc::now();
        match service::call::remind_empty_sections(&context, now, reminder_lead).await {
            Ok(0) => {}
            Ok(count) => tracing::info!(count, "reminded teams of their empty agenda sections"),
            Err(error) => tracing::warn!(%error, "could not remind teams of the agenda"),
        }
        match service::privacy::erase_after_retention(&context, chrono::Utc::now()).await {
            Ok(0) => {}
            Ok(count) => tracing::info!(count, "erased personal data after the retention period"),
            Err(error) => tracing::warn!(%error, "could not erase personal data"),
        }
        tokio::select! {
            () = tokio::time::sleep(interval) => {}
            _ = stopped.changed() => return,
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM, so in-flight requests can finish before the process exits.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn parses_the_commands() {
        assert_eq!(parse_args(&args(&[])), Ok(Command::Serve { demo: false }));
        assert_eq!(
            parse_args(&args(&["serve", "--demo"])),
            Ok(Command::Serve { demo: true })
        );
        assert_eq!(
            parse_args(&args(&["--demo"])),
            Ok(Command::Serve { demo: true })
        );
        assert_eq!(parse_args(&args(&["migrate"])), Ok(Command::Migrate));
        assert_eq!(
            parse_args(&args(&["export"])),
            Ok(Command::Export { file: None })
        );
        assert_eq!(
            parse_args(&args(&["import", "-"])),
            Ok(Command::Import {
                file: "-".into(),
                with_organizers: false
            })
        );
        assert_eq!(
            parse_args(&args(&["import", "--with-organizers", "dump.json"])),
            Ok(Command::Import {
                file: "dump.json".into(),
                with_organizers: true
            })
        );
        assert_eq!(
            parse_args(&args(&["admin", "create", "--email", "a@example.org"])),
            Ok(Command::CreateOrganizer {
                email: "a@example.org".into(),
                role: "admin".into()
            })
        );
        assert_eq!(
            parse_args(&args(&[
                "admin",
                "create",
                "--role",
                "door",
                "--email",
                "d@example.org"
            ])),
            Ok(Command::CreateOrganizer {
                email: "d@example.org".into(),
                role: "door".into()
            })
        );
        assert!(parse_args(&args(&["admin", "create", "--role", "door"])).is_err());
        assert!(parse_args(&args(&["import"])).is_err());
        assert!(parse_args(&args(&["import", "--with-organisers"])).is_err());
        assert!(parse_args(&args(&["serve", "--demo", "--extra"])).is_err());
        let import = Ok(Command::ImportAgenda {
            series: "scs-community-call".into(),
            date: "2023-10-19".into(),
            file: "deck.md".into(),
        });
        for words in [
            [
                "agenda",
                "import",
                "--series",
                "scs-community-call",
                "--date",
                "2023-10-19",
                "deck.md",
            ],
            [
                "agenda",
                "import",
                "--date",
                "2023-10-19",
                "--series",
                "scs-community-call",
                "deck.md",
            ],
        ] {
            assert_eq!(parse_args(&args(&words)), import);
        }
        assert!(parse_args(&args(&["agenda", "import", "deck.md"])).is_err());
    }
}
