//! Configuration from the environment, with the defaults the README documents.

use std::net::SocketAddr;
use std::path::PathBuf;

/// A setting that was given but cannot be used; names the variable.
#[derive(Debug, thiserror::Error)]
#[error("{var}={value:?}: {reason}")]
pub struct ConfigError {
    pub var: &'static str,
    pub value: String,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct Config {
    /// `DATABASE_URL`: `sqlite:convene.db` (a file in the working directory) by default.
    pub database_url: String,
    /// `LEPTOS_SITE_ADDR`: where to listen, `127.0.0.1:3000` by default; port 0 picks a free one.
    pub site_addr: SocketAddr,
    /// `CONVENE_BASE_URL`: the public URL used in feeds and mails; `http://{site addr}` by default.
    pub base_url: Option<String>,
    /// `LEPTOS_SITE_ROOT`: the folder with the built site (`pkg/`, assets); `target/site`.
    pub site_root: PathBuf,
    /// `CONVENE_SMTP_URL`: e.g. `smtp://127.0.0.1:2525` or `smtps://user:pass@mail.example.org`;
    /// unset: mails are written to `mail_dir`.
    pub smtp_url: Option<String>,
    /// `CONVENE_MAIL_DIR`: where `.eml` files go without SMTP; `mail`.
    pub mail_dir: PathBuf,
    /// `CONVENE_MAIL_FROM`: the sender; `convene <convene@localhost>`.
    pub mail_from: String,
    /// `CONVENE_MAIL_RETRY_SECONDS`: the first retry's delay, doubling after; 30.
    pub mail_retry_seconds: u64,
    /// `CONVENE_MAIL_MAX_ATTEMPTS`: attempts before a mail is marked failed; 8.
    pub mail_max_attempts: u32,
    /// `CONVENE_WEBHOOK_RETRY_SECONDS`: the first retry of a webhook delivery waits this long,
    /// each further one twice as long (at most an hour); 30.
    pub webhook_retry_seconds: u64,
    /// `CONVENE_WEBHOOK_MAX_ATTEMPTS`: attempts before a delivery is marked failed; 8.
    pub webhook_max_attempts: u32,
    /// `CONVENE_SMTP_CONNECTIONS`: mails sent at once, each over an SMTP connection of its own;
    /// 32.
    pub smtp_connections: u32,
    /// `CONVENE_BEHIND_PROXY`: `true` when a reverse proxy or ingress stands in front; then a
    /// client's address (for rate limits) is the last `X-Forwarded-For` entry. `false`.
    pub behind_proxy: bool,
    /// `CONVENE_HEADER_TIMEOUT_SECONDS`: a request's head must arrive within this time of the
    /// connection opening or of the previous answer on it (so it is the idle keep-alive limit
    /// too); 10.
    pub header_timeout_seconds: u64,
    /// `CONVENE_BODY_TIMEOUT_SECONDS`: a request's body must have arrived within this time
    /// of its head, or it gets 408; 30.
    pub body_timeout_seconds: u64,
    /// `CONVENE_MAX_CONNECTIONS`: connections served at once; more wait in the listen queue.
    pub max_connections: usize,
    /// `CONVENE_METRICS_TOKEN`: `/metrics` answers only with `Authorization: Bearer <token>`;
    /// unset: `/metrics` is off (404).
    pub metrics_token: Option<String>,
    /// `CONVENE_REGISTRATION_LIMIT_PER_CLIENT`: registrations per client address in 10 minutes
    /// (a whole company behind one address must still get through); 30. `0`: no limit.
    pub registration_limit_per_client: u32,
    /// `CONVENE_REGISTRATION_LIMIT_PER_EMAIL`: registrations per e-mail address in 10 minutes
    /// (across events); 5. `0`: no limit.
    pub registration_limit_per_email: u32,
    /// `CONVENE_RESEND_INTERVAL_SECONDS`: a registered address gets a new link by registering
    /// again at most once in this many seconds; 600. `0`: at every request.
    pub resend_interval_seconds: u32,
    /// `CONVENE_RETENTION_DAYS`: the personal data of an event's registrations is erased this
    /// many days after it ended; 90.
    pub retention_days: u32,
    /// `CONVENE_CHANGE_MAIL_DELAY_SECONDS`: a "what changed" mail waits this long before it
    /// goes out, so that further changes in that time make one mail; 60.
    pub change_mail_delay_seconds: u32,
    /// `CONVENE_HOUSEKEEPING_SECONDS`: how often held seats and offers are checked for lapsing,
    /// waitlists for closing, reminders and erasures for being due; 30.
    pub housekeeping_seconds: u32,
    /// `CONVENE_AGENDA_REMINDER_HOURS`: how long before a community call the teams whose
    /// agenda section is still empty are reminded (once); 24.
    pub agenda_reminder_hours: u32,
    /// `CONVENE_PRIVACY_CONTACT`: whom people write to about their data (an address or a
    /// page), shown on the privacy page; unset: the page says to ask the organizers.
    pub privacy_contact: Option<String>,
    /// `CONVENE_MATRIX_*`: notices to Matrix rooms; `None` when no homeserver is set.
    pub matrix: Option<MatrixConfig>,
    /// `CONVENE_OIDC_*`: organizer sign-in through an OpenID Provider; `None` when no issuer is
    /// set.
    pub sso: Option<service::sso::SsoSettings>,
    /// `CONVENE_PASSWORD_SIGN_IN`: whether organizers may sign in with a password; `true`, and
    /// `false` only with single sign-on.
    pub password_sign_in: bool,
}

/// The single sign-on settings, all or none.
fn sso(
    lookup: &impl Fn(&str) -> Option<String>,
) -> Result<Option<service::sso::SsoSettings>, ConfigError> {
    let error = |var: &'static str, value: &str, reason: &str| ConfigError {
        var,
        value: value.to_owned(),
        reason: reason.to_owned(),
    };
    let setting = |var: &'static str| lookup(var).map(|v| v.trim().to_owned());
    let roles = domain::sso::RoleGroups::parse(
        &setting("CONVENE_OIDC_ADMIN_GROUPS").unwrap_or_default(),
        &setting("CONVENE_OIDC_EVENT_MANAGER_GROUPS").unwrap_or_default(),
        &setting("CONVENE_OIDC_DOOR_GROUPS").unwrap_or_default(),
    );
    let client_id = setting("CONVENE_OIDC_CLIENT_ID");
    let client_secret = setting("CONVENE_OIDC_CLIENT_SECRET");
    let Some(issuer) = setting("CONVENE_OIDC_ISSUER") else {
        if client_id.is_some() || client_secret.is_some() || !roles.is_empty() {
            return Err(error(
                "CONVENE_OIDC_ISSUER",
                "",
                "the other CONVENE_OIDC_ settings need an issuer",
            ));
        }
        return Ok(None);
    };
    let issuer = issuer.trim_end_matches('/').to_owned();
    if !domain::sso::acceptable_issuer(&issuer) {
        return Err(error(
            "CONVENE_OIDC_ISSUER",
            &issuer,
            "expected an https:// URL such as https://id.example.org/realms/community \
             (http:// only on this machine)",
        ));
    }
    let client_id = client_id.ok_or_else(|| {
        error(
            "CONVENE_OIDC_CLIENT_ID",
            "",
            "an issuer needs the client id convene has there",
        )
    })?;
    let client_secret = client_secret.ok_or_else(|| {
        error(
            "CONVENE_OIDC_CLIENT_SECRET",
            "",
            "an issuer needs the client's secret (a confidential client)",
        )
    })?;
    if roles.is_empty() {
        return Err(error(
            "CONVENE_OIDC_ADMIN_GROUPS",
            "",
            "name at least one group that gives a role (CONVENE_OIDC_ADMIN_GROUPS, \
             CONVENE_OIDC_EVENT_MANAGER_GROUPS, CONVENE_OIDC_DOOR_GROUPS)",
        ));
    }
    let host = issuer
        .split_once("://")
        .and_then(|(_, rest)| rest.split('/').next())
        .unwrap_or_default()
        .to_owned();
    Ok(Some(service::sso::SsoSettings {
        issuer,
        client_id,
        client_secret,
        scopes: setting("CONVENE_OIDC_SCOPES")
            .unwrap_or_else(|| "email".to_owned())
            .split_whitespace()
            .filter(|scope| *scope != "openid")
            .map(str::to_owned)
            .collect(),
        groups_claim: setting("CONVENE_OIDC_GROUPS_CLAIM").unwrap_or_else(|| "groups".to_owned()),
        roles,
        name: setting("CONVENE_OIDC_NAME").unwrap_or(host),
    }))
}

/// Where Matrix notices go.
#[derive(Clone)]
pub struct MatrixConfig {
    /// `CONVENE_MATRIX_HOMESERVER`: e.g. `https://matrix.example.org`.
    pub homeserver: String,
    /// `CONVENE_MATRIX_ACCESS_TOKEN`: the bot account's token (it must have joined the rooms).
    pub access_token: String,
    /// `CONVENE_MATRIX_ROOM` for every notice, and `CONVENE_MATRIX_EVENTS_ROOM`,
    /// `CONVENE_MATRIX_REGISTRATION_ROOM`, `CONVENE_MATRIX_TOPICS_ROOM` where a kind goes elsewhere.
    pub rooms: domain::matrix::Rooms,
    /// `CONVENE_MATRIX_LANGUAGE`: `en` (default) or `de`.
    pub lang: domain::Lang,
}

impl std::fmt::Debug for MatrixConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MatrixConfig")
            .field("homeserver", &self.homeserver)
            .field("rooms", &self.rooms)
            .field("lang", &self.lang)
            .finish_non_exhaustive()
    }
}

/// The Matrix settings, all or none: a token or room without a homeserver is a mistake.
fn matrix(lookup: &impl Fn(&str) -> Option<String>) -> Result<Option<MatrixConfig>, ConfigError> {
    let error = |var: &'static str, value: &str, reason: &str| ConfigError {
        var,
        value: value.to_owned(),
        reason: reason.to_owned(),
    };
    let room = |var: &'static str| -> Result<Option<String>, ConfigError> {
        match lookup(var).map(|r| r.trim().to_owned()) {
            Some(room) if !domain::matrix::is_room(&room) => Err(error(
                var,
                &room,
                "expected a room id (!abc:example.org) or alias (#name:example.org)",
            )),
            other => Ok(other),
        }
    };
    let rooms = domain::matrix::Rooms {
        all: room("CONVENE_MATRIX_ROOM")?,
        events: room("CONVENE_MATRIX_EVENTS_ROOM")?,
        registration: room("CONVENE_MATRIX_REGISTRATION_ROOM")?,
        topics: room("CONVENE_MATRIX_TOPICS_ROOM")?,
    };
    let token = lookup("CONVENE_MATRIX_ACCESS_TOKEN");
    let Some(homeserver) = lookup("CONVENE_MATRIX_HOMESERVER") else {
        if token.is_some() || rooms != domain::matrix::Rooms::default() {
            return Err(error(
                "CONVENE_MATRIX_HOMESERVER",
                "",
                "the other CONVENE_MATRIX_ settings need a homeserver",
            ));
        }
        return Ok(None);
    };
    let homeserver = homeserver.trim().trim_end_matches('/').to_owned();
    if !(homeserver.starts_with("https://") || homeserver.starts_with("http://")) {
        return Err(error(
            "CONVENE_MATRIX_HOMESERVER",
            &homeserver,
            "expected a URL such as https://matrix.example.org",
        ));
    }
    let Some(access_token) = token.map(|t| t.trim().to_owned()) else {
        return Err(error(
            "CONVENE_MATRIX_ACCESS_TOKEN",
            "",
            "a homeserver needs the bot account's access token",
        ));
    };
    if rooms == domain::matrix::Rooms::default() {
        return Err(error(
            "CONVENE_MATRIX_ROOM",
            "",
            "a homeserver needs at least one room to post to",
        ));
    }
    let lang = match lookup("CONVENE_MATRIX_LANGUAGE").as_deref() {
        None | Some("en") => domain::Lang::En,
        Some("de") => domain::Lang::De,
        Some(other) => {
            return Err(error("CONVENE_MATRIX_LANGUAGE", other, "expected en or de"));
        }
    };
    Ok(Some(MatrixConfig {
        homeserver,
        access_token,
        rooms,
        lang,
    }))
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite:convene.db";
pub const DEFAULT_SITE_ADDR: &str = "127.0.0.1:3000";
pub const DEFAULT_SITE_ROOT: &str = "target/site";
pub const DEFAULT_MAIL_DIR: &str = "mail";
pub const DEFAULT_MAIL_FROM: &str = "convene <convene@localhost>";

impl Config {
    /// The registration limits these settings ask for.
    pub fn registration_limits(&self) -> domain::RegistrationLimits {
        use domain::rate::RateLimit;
        use domain::registration::REGISTRATION_LIMIT_WINDOW;
        domain::RegistrationLimits {
            per_client: RateLimit::per(
                self.registration_limit_per_client,
                REGISTRATION_LIMIT_WINDOW,
            ),
            per_email: RateLimit::per(self.registration_limit_per_email, REGISTRATION_LIMIT_WINDOW),
            resend_interval: (self.resend_interval_seconds > 0)
                .then(|| chrono::Duration::seconds(i64::from(self.resend_interval_seconds))),
        }
    }

    pub fn from_env() -> Result<Config, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let site_addr_text =
            lookup("LEPTOS_SITE_ADDR").unwrap_or_else(|| DEFAULT_SITE_ADDR.to_owned());
        let site_addr = site_addr_text.parse().map_err(|_| ConfigError {
            var: "LEPTOS_SITE_ADDR",
            value: site_addr_text.clone(),
            reason: "expected an address and port such as 127.0.0.1:3000".to_owned(),
        })?;
        let base_url = lookup("CONVENE_BASE_URL")
            .map(|url| {
                let trimmed = url.trim_end_matches('/').to_owned();
                if trimmed.starts_with("http://") || trimmed.starts_with("https://") {
                    Ok(trimmed)
                } else {
                    Err(ConfigError {
                        var: "CONVENE_BASE_URL",
                        value: url,
                        reason: "expected an http:// or https:// URL".to_owned(),
                    })
                }
            })
            .transpose()?;
        let metrics_token = lookup("CONVENE_METRICS_TOKEN")
            .map(|token| {
                if token.len() >= 16 && token.bytes().all(|b| b.is_ascii_graphic()) {
                    Ok(token)
                } else {
                    Err(ConfigError {
                        var: "CONVENE_METRICS_TOKEN",
                        value: "[hidden]".to_owned(),
                        reason: "expected at least 16 visible ASCII characters".to_owned(),
                    })
                }
            })
            .transpose()?;
        let sso = sso(&lookup)?;
        let password_sign_in = match lookup("CONVENE_PASSWORD_SIGN_IN").as_deref() {
            None | Some("true" | "1") => true,
            Some("false" | "0") if sso.is_some() => false,
            Some("false" | "0") => {
                return Err(ConfigError {
                    var: "CONVENE_PASSWORD_SIGN_IN",
                    value: "false".to_owned(),
                    reason: "without single sign-on (CONVENE_OIDC_ISSUER) nobody could sign in"
                        .to_owned(),
                });
            }
            Some(other) => {
                return Err(ConfigError {
                    var: "CONVENE_PASSWORD_SIGN_IN",
                    value: other.to_owned(),
                    reason: "must be true or false".to_owned(),
                });
            }
        };
        Ok(Config {
            database_url: lookup("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned()),
            site_addr,
            base_url,
            site_root: lookup("LEPTOS_SITE_ROOT")
                .unwrap_or_else(|| DEFAULT_SITE_ROOT.to_owned())
                .into(),
            smtp_url: lookup("CONVENE_SMTP_URL"),
            mail_dir: lookup("CONVENE_MAIL_DIR")
                .unwrap_or_else(|| DEFAULT_MAIL_DIR.to_owned())
                .into(),
            mail_from: lookup("CONVENE_MAIL_FROM").unwrap_or_else(|| DEFAULT_MAIL_FROM.to_owned()),
            mail_retry_seconds: number(&lookup, "CONVENE_MAIL_RETRY_SECONDS", 30)?,
            mail_max_attempts: number(&lookup, "CONVENE_MAIL_MAX_ATTEMPTS", 8)?,
            webhook_retry_seconds: number(&lookup, "CONVENE_WEBHOOK_RETRY_SECONDS", 30)?,
            webhook_max_attempts: number(&lookup, "CONVENE_WEBHOOK_MAX_ATTEMPTS", 8)?,
            smtp_connections: number(&lookup, "CONVENE_SMTP_CONNECTIONS", 32)?,
            registration_limit_per_client: count(
                &lookup,
                "CONVENE_REGISTRATION_LIMIT_PER_CLIENT",
                30,
            )?,
            registration_limit_per_email: count(
                &lookup,
                "CONVENE_REGISTRATION_LIMIT_PER_EMAIL",
                5,
            )?,
            resend_interval_seconds: count(&lookup, "CONVENE_RESEND_INTERVAL_SECONDS", 600)?,
            behind_proxy: match lookup("CONVENE_BEHIND_PROXY").as_deref() {
                None | Some("false" | "0") => false,
                Some("true" | "1") => true,
                Some(other) => {
                    return Err(ConfigError {
                        var: "CONVENE_BEHIND_PROXY",
                        value: other.to_owned(),
                        reason: "must be true or false".to_owned(),
                    });
                }
            },
            header_timeout_seconds: number(&lookup, "CONVENE_HEADER_TIMEOUT_SECONDS", 10)?,
            body_timeout_seconds: number(&lookup, "CONVENE_BODY_TIMEOUT_SECONDS", 30)?,
            max_connections: number(&lookup, "CONVENE_MAX_CONNECTIONS", 1024)?,
            metrics_token,
            retention_days: number(&lookup, "CONVENE_RETENTION_DAYS", 90)?,
            change_mail_delay_seconds: number(&lookup, "CONVENE_CHANGE_MAIL_DELAY_SECONDS", 60)?,
            housekeeping_seconds: number(&lookup, "CONVENE_HOUSEKEEPING_SECONDS", 30)?.max(1),
            agenda_reminder_hours: number(&lookup, "CONVENE_AGENDA_REMINDER_HOURS", 24)?,
            privacy_contact: lookup("CONVENE_PRIVACY_CONTACT").map(|c| c.trim().to_owned()),
            matrix: matrix(&lookup)?,
            sso,
            password_sign_in,
        })
    }
}

/// A whole number from the environment, at least 1.
fn number<T: std::str::FromStr + PartialOrd + From<u8>>(
    lookup: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    default: T,
) -> Result<T, ConfigError> {
    match lookup(var) {
        None => Ok(default),
        Some(text) => text
            .trim()
            .parse::<T>()
            .ok()
            .filter(|n| *n >= T::from(1))
            .ok_or(ConfigError {
                var,
                value: text,
                reason: "expected a whole number of at least 1".to_owned(),
            }),
    }
}

/// A whole number from the environment, `0` included (a limit that is off).
fn count(
    lookup: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    default: u32,
) -> Result<u32, ConfigError> {
    match lookup(var) {
        None => Ok(default),
        Some(text) => text.trim().parse::<u32>().map_err(|_| ConfigError {
            var,
            value: text,
            reason: "expected a whole number (0 turns the limit off)".to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        Config::from_lookup(|name| {
            vars.iter()
                .find(|(var, _)| *var == name)
                .map(|(_, value)| (*value).to_owned())
        })
    }

    #[test]
    fn defaults_to_a_local_sqlite_file_on_port_3000() -> Result<(), ConfigError> {
        let config = config(&[])?;
        assert_eq!(config.database_url, "sqlite:convene.db");
        assert_eq!(config.site_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(config.base_url, None);
        assert_eq!(config.site_root, PathBuf::from("target/site"));
        assert_eq!(config.header_timeout_seconds, 10);
        assert_eq!(config.body_timeout_seconds, 30);
        assert_eq!(config.max_connections, 1024);
        assert_eq!(config.metrics_token, None);
        Ok(())
    }

    #[test]
    fn names_the_variable_that_is_wrong() {
        let err = config(&[("LEPTOS_SITE_ADDR", "localhost")]).expect_err("not an address");
        assert!(
            err.to_string()
                .starts_with("LEPTOS_SITE_ADDR=\"localhost\""),
            "{err}"
        );
        let err = config(&[("CONVENE_BASE_URL", "events.example.org")]).expect_err("no scheme");
        assert!(err.to_string().starts_with("CONVENE_BASE_URL="), "{err}");
        let err = config(&[("CONVENE_MAIL_MAX_ATTEMPTS", "0")]).expect_err("zero attempts");
        assert!(
            err.to_string().starts_with("CONVENE_MAIL_MAX_ATTEMPTS="),
            "{err}"
        );
    }

    #[test]
    fn single_sign_on_is_all_or_nothing_and_passwords_go_off_only_with_it()
    -> Result<(), ConfigError> {
        let plain = config(&[])?;
        assert!(plain.sso.is_none());
        assert!(plain.password_sign_in);
        let issuer = ("CONVENE_OIDC_ISSUER", "https://id.example.org/realms/scs/");
        let id = ("CONVENE_OIDC_CLIENT_ID", "convene");
        let secret = ("CONVENE_OIDC_CLIENT_SECRET", "s3cret-value");
        let admins = ("CONVENE_OIDC_ADMIN_GROUPS", "convene-admins, ops");
        let sso = config(&[issuer, id, secret, admins])?.sso.expect("on");
        assert_eq!(sso.issuer, "https://id.example.org/realms/scs");
        assert_eq!(
            sso.name, "id.example.org",
            "the button names the issuer's host"
        );
        assert_eq!(sso.scopes, vec!["email".to_owned()]);
        assert_eq!(sso.groups_claim, "groups");
        assert_eq!(
            sso.roles.admin,
            vec!["convene-admins".to_owned(), "ops".to_owned()]
        );
        assert!(
            !format!("{sso:?}").contains("s3cret"),
            "the secret stays out of logs"
        );
        let off = ("CONVENE_PASSWORD_SIGN_IN", "false");
        assert!(!config(&[issuer, id, secret, admins, off])?.password_sign_in);
        for (given, var) in [
            (vec![id, secret, admins], "CONVENE_OIDC_ISSUER"),
            (vec![issuer, secret, admins], "CONVENE_OIDC_CLIENT_ID"),
            (vec![issuer, id, admins], "CONVENE_OIDC_CLIENT_SECRET"),
            (vec![issuer, id, secret], "CONVENE_OIDC_ADMIN_GROUPS"),
            (
                vec![
                    ("CONVENE_OIDC_ISSUER", "http://id.example.org"),
                    id,
                    secret,
                    admins,
                ],
                "CONVENE_OIDC_ISSUER",
            ),
            (vec![off], "CONVENE_PASSWORD_SIGN_IN"),
        ] {
            let err = config(&given).expect_err(var);
            assert!(err.to_string().starts_with(var), "{var}: {err}");
        }
        Ok(())
    }

    #[test]
    fn matrix_is_all_or_nothing_and_names_what_is_missing() -> Result<(), ConfigError> {
        assert!(config(&[])?.matrix.is_none());
        let homeserver = ("CONVENE_MATRIX_HOMESERVER", "https://matrix.example.org/");
        let token = ("CONVENE_MATRIX_ACCESS_TOKEN", "syt_secret");
        let room = ("CONVENE_MATRIX_ROOM", "!community:example.org");
        let matrix = config(&[homeserver, token, room])?.matrix.expect("on");
        assert_eq!(matrix.homeserver, "https://matrix.example.org");
        assert_eq!(matrix.lang, domain::Lang::En);
        assert!(
            !format!("{matrix:?}").contains("syt_secret"),
            "the token stays out of logs"
        );
        for (given, var) in [
            (vec![token, room], "CONVENE_MATRIX_HOMESERVER"),
            (vec![homeserver, room], "CONVENE_MATRIX_ACCESS_TOKEN"),
            (vec![homeserver, token], "CONVENE_MATRIX_ROOM"),
            (
                vec![homeserver, token, ("CONVENE_MATRIX_ROOM", "community")],
                "CONVENE_MATRIX_ROOM",
            ),
            (
                vec![homeserver, token, room, ("CONVENE_MATRIX_LANGUAGE", "fr")],
                "CONVENE_MATRIX_LANGUAGE",
            ),
        ] {
            let err = config(&given).expect_err(var);
            assert!(err.to_string().starts_with(var), "{err}");
        }
        Ok(())
    }

    #[test]
    fn a_short_metrics_token_is_refused_without_showing_it() {
        let err = config(&[("CONVENE_METRICS_TOKEN", "secret")]).expect_err("too short");
        let text = err.to_string();
        assert!(text.starts_with("CONVENE_METRICS_TOKEN="), "{text}");
        assert!(!text.contains("secret\""), "{text}");
    }

    #[test]
    fn registration_limits_default_to_30_per_client_5_per_address_and_one_resend_in_10_minutes()
    -> Result<(), ConfigError> {
        assert_eq!(
            config(&[])?.registration_limits(),
            domain::RegistrationLimits::DEFAULT
        );
        let off = config(&[
            ("CONVENE_REGISTRATION_LIMIT_PER_CLIENT", "0"),
            ("CONVENE_REGISTRATION_LIMIT_PER_EMAIL", "0"),
            ("CONVENE_RESEND_INTERVAL_SECONDS", "0"),
        ])?;
        assert_eq!(off.registration_limits(), domain::RegistrationLimits::OFF);
        let high = config(&[("CONVENE_REGISTRATION_LIMIT_PER_CLIENT", "500")])?;
        assert_eq!(
            high.registration_limits().per_client.map(|rule| rule.limit),
            Some(500)
        );
        let err = config(&[("CONVENE_REGISTRATION_LIMIT_PER_EMAIL", "-1")]).expect_err("negative");
        assert!(
            err.to_string()
                .starts_with("CONVENE_REGISTRATION_LIMIT_PER_EMAIL="),
            "{err}"
        );
        Ok(())
    }

    #[test]
    fn base_url_loses_its_trailing_slash() -> Result<(), ConfigError> {
        let config = config(&[("CONVENE_BASE_URL", "https://events.example.org/")])?;
        assert_eq!(
            config.base_url.as_deref(),
            Some("https://events.example.org")
        );
        Ok(())
    }
}
