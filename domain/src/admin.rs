//! Rules of the organizers' side: passwords, how long a session lasts, how fast sign-in may be
//! tried, and what an organizer may set on an event.

use chrono::Duration;

use crate::form::{Field, FieldError, Problem};
use crate::rate::{Backoff, RateLimit};

/// A session ends this long after sign-in, however active it was.
pub const SESSION_LIFETIME: Duration = Duration::hours(12);

/// Failed sign-ins per client address: a hard limit (then 429 until the window slides). Also
/// the limit on attempts to change one's own password.
pub const SIGN_IN_LIMIT: RateLimit = RateLimit {
    limit: 10,
    window: Duration::minutes(15),
};

/// Failed sign-ins per account (the e-mail address typed, known or not): slowed down, never
/// locked. Five mistakes are free; then 2 s, 4 s, 8 s, ... (at most 5 minutes) must pass since
/// the last failure before the password is checked again. A success forgets them.
pub const SIGN_IN_BACKOFF: Backoff = Backoff {
    free: 5,
    first: Duration::seconds(2),
    cap: Duration::minutes(5),
    memory: Duration::hours(24),
};

/// What an organizer account may do. Every organizer page, form post and server function lives
/// under `/admin`, so the server's guard decides by path: [`AdminArea::of`] and [`Role::may`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, organizer accounts and the audit page included.
    Admin,
    /// Events, registrations, mail and topics; not organizer accounts.
    EventManager,
    /// The door list and check-in of events, and nothing that shows e-mail addresses or exports.
    Door,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::EventManager, Role::Door];

    /// The word stored in the database and sent by forms.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::EventManager => "event_manager",
            Role::Door => "door",
        }
    }

    pub fn parse(input: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == input)
    }

    /// A role as a form sends it, with the message next to the field when it is none.
    pub fn parse_field(input: &str) -> Result<Role, FieldError> {
        Role::parse(input.trim()).ok_or(FieldError {
            field: Field::Named("role".to_owned()),
            problem: Problem::NotAnOption,
        })
    }

    /// Whether this role may use `area`.
    pub fn may(self, area: AdminArea) -> bool {
        match self {
            Role::Admin => true,
            Role::EventManager => area != AdminArea::Accounts,
            Role::Door => matches!(area, AdminArea::Own | AdminArea::Door),
        }
    }
}

/// A role as the database holds it (for `sqlx`'s `try_from`).
impl TryFrom<String> for Role {
    type Error = String;

    fn try_from(word: String) -> Result<Role, String> {
        Role::parse(&word).ok_or_else(|| format!("no organizer role is called {word:?}"))
    }
}

/// The parts of `/admin`, by who may use them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminArea {
    /// What every organizer needs: the list of events, signing in and out, one's own account.
    Own,
    /// An event's door list and checking people in.
    Door,
    /// Events, registrations, mail, topics: everything not named otherwise.
    Events,
    /// Organizer accounts, the audit page and the webhooks (which can send personal data away).
    Accounts,
}

impl AdminArea {
    /// The part of `/admin` that a request's path (without its query) belongs to. A path not
    /// named here counts as [`AdminArea::Events`], so that a new route is never open to the
    /// door by accident.
    pub fn of(path: &str) -> AdminArea {
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        match segments.as_slice() {
            ["admin"]
            | ["admin", "sign-in" | "sign-out" | "account"]
            | ["admin", "sso", "start" | "callback" | "sign-out"]
            | ["admin", "account", "password"]
            | [
                "admin",
                "api",
                "load_organizer" | "load_admin_events" | "load_account",
            ] => AdminArea::Own,
            // A call's agenda and the items of its sections are written by the accounts named
            // for a team too, whatever their role; the agenda flows check who may write what.
            ["admin", "events", _, "agenda", date] if crate::dates::parse_date(date).is_ok() => {
                AdminArea::Own
            }
            [
                "admin",
                "events",
                _,
                "agenda",
                "sections",
                _,
                "items" | "carry",
            ]
            | [
                "admin",
                "events",
                _,
                "agenda",
                "sections",
                _,
                "items",
                _,
                "edit" | "remove",
            ]
            | ["admin", "api", "load_admin_call"] => AdminArea::Own,
            ["admin", "events", _, "check-in" | "scan"]
            | ["admin", "events", _, "registrations", _, "check-in"]
            | ["admin", "tickets", _]
            | ["admin", "api", "load_check_in" | "load_scan"] => AdminArea::Door,
            ["admin", "organizers" | "webhooks", ..]
            | ["admin", "audit"]
            | [
                "admin",
                "api",
                "load_organizers" | "load_audit" | "load_webhooks",
            ] => AdminArea::Accounts,
            _ => AdminArea::Events,
        }
    }
}

pub const PASSWORD_MIN: usize = 12;
pub const PASSWORD_MAX: usize = 1024;

/// Whether a new organizer password is acceptable: long enough to resist guessing (NIST 800-63B
/// asks for length, not character classes).
pub fn check_password(password: &str) -> Result<(), Problem> {
    let length = password.chars().count();
    if length < PASSWORD_MIN {
        Err(Problem::TooShort(PASSWORD_MIN))
    } else if length > PASSWORD_MAX {
        Err(Problem::TooLong(PASSWORD_MAX))
    } else {
        Ok(())
    }
}

/// The largest capacity an organizer may set.
pub const CAPACITY_MAX: u32 = 100_000;

/// A capacity as typed in the form: empty is unlimited, otherwise a whole number 0..=100,000.
pub fn parse_capacity(input: &str) -> Result<Option<u32>, FieldError> {
    let fail = |problem| FieldError {
        field: Field::Capacity,
        problem,
    };
    let input = input.trim();
    if input.is_empty() {
        return Ok(None);
    }
    match input.parse::<i64>() {
        Ok(n) if n < 0 => Err(fail(Problem::Negative)),
        Ok(n) if n > i64::from(CAPACITY_MAX) => Err(fail(Problem::TooLarge(CAPACITY_MAX))),
        Ok(n) => Ok(u32::try_from(n).ok()),
        Err(_) => Err(fail(Problem::NotANumber)),
    }
}

pub const SUBJECT_MAX: usize = 150;
pub const MESSAGE_MAX: usize = 5000;

/// A message to the people of an event that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broadcast {
    pub subject: String,
    pub message: String,
    pub seated: bool,
    pub waiting: bool,
}

impl Broadcast {
    /// Whether a registration with `status` gets the message: seated people (confirmed or
    /// not yet) and those waiting, as chosen.
    pub fn reaches(&self, status: crate::RegistrationStatus) -> bool {
        (self.seated && status.holds_seat())
            || (self.waiting && status == crate::RegistrationStatus::Waitlisted)
    }
}

/// Whom a message reaches, by where they stand: what the organizer sees before sending.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Recipients {
    pub confirmed: u32,
    /// Holding a seat not confirmed yet: for an address not confirmed yet, or offered from the
    /// waitlist and not accepted yet.
    pub unconfirmed: u32,
    pub waiting: u32,
}

impl Recipients {
    /// The people with these statuses that `message` reaches.
    pub fn of(
        message: &Broadcast,
        statuses: impl IntoIterator<Item = crate::RegistrationStatus>,
    ) -> Recipients {
        use crate::RegistrationStatus::*;
        let mut counts = Recipients::default();
        for status in statuses.into_iter().filter(|s| message.reaches(*s)) {
            match status {
                Confirmed => counts.confirmed += 1,
                PendingEmail | Offered => counts.unconfirmed += 1,
                Waitlisted => counts.waiting += 1,
                Cancelled | Expired => {}
            }
        }
        counts
    }

    pub fn total(&self) -> u32 {
        self.confirmed + self.unconfirmed + self.waiting
    }
}

/// The key of one message an organizer is about to send, made when they saw its preview: a
/// second post with the same key (a double click, a reload) sends nothing more.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BroadcastKey(String);

impl BroadcastKey {
    /// 64 lowercase hex digits, or nothing.
    pub fn parse(input: &str) -> Option<BroadcastKey> {
        let valid = input.len() == 64
            && input
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        valid.then(|| BroadcastKey(input.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Checks an organizer's message: a one-line subject, a text, and at least one group of people.
pub fn validate_broadcast(
    subject: &str,
    message: &str,
    seated: bool,
    waiting: bool,
) -> Result<Broadcast, Vec<FieldError>> {
    let mut errors = Vec::new();
    let subject = crate::form::required_text(subject, SUBJECT_MAX).map_err(|problem| {
        errors.push(FieldError {
            field: Field::Subject,
            problem,
        })
    });
    let message = crate::form::optional_multiline(Some(message), MESSAGE_MAX)
        .and_then(|m| m.ok_or(Problem::Required))
        .map_err(|problem| {
            errors.push(FieldError {
                field: Field::Message,
                problem,
            })
        });
    if !seated && !waiting {
        errors.push(FieldError {
            field: Field::Audience,
            problem: Problem::Required,
        });
    }
    match (subject, message) {
        (Ok(subject), Ok(message)) if errors.is_empty() => Ok(Broadcast {
            subject,
            message,
            seated,
            waiting,
        }),
        _ => Err(errors),
    }
}

/// Checks the call to cancel an event: it must be `confirmed` (it cannot be undone), and the
/// organizers' optional words to everyone registered must fit.
/// An action that cannot be undone needs its `confirm` box ticked.
pub fn require_confirmation(confirmed: bool) -> Result<(), Vec<FieldError>> {
    if confirmed {
        Ok(())
    } else {
        Err(vec![FieldError {
            field: Field::Named("confirm".to_owned()),
            problem: Problem::NotConfirmed,
        }])
    }
}

pub fn validate_cancellation(
    message: &str,
    confirmed: bool,
) -> Result<Option<String>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let message = crate::form::optional_multiline(Some(message), MESSAGE_MAX).map_err(|problem| {
        errors.push(FieldError {
            field: Field::Message,
            problem,
        })
    });
    if let Err(unconfirmed) = require_confirmation(confirmed) {
        errors.extend(unconfirmed);
    }
    match message {
        Ok(message) if errors.is_empty() => Ok(message),
        _ => Err(errors),
    }
}

/// Why something an organizer asked for did not happen: the organizer flows' one error, shown
/// by the admin pages and mapped to HTTP by the server.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, thiserror::Error)]
pub enum AdminError {
    #[error("Some fields need your attention.")]
    Invalid(Vec<FieldError>),
    #[error("The e-mail address or the password is not right.")]
    WrongCredentials,
    /// Too many failed attempts (for the account, or from the client address); the next is
    /// checked after `retry_after` seconds.
    #[error("Too many failed attempts. Please wait and try again.")]
    RateLimited { retry_after: u64 },
    #[error("An organizer with this e-mail address exists already.")]
    OrganizerExists,
    #[error("There is no such event or registration.")]
    NotFound,
    #[error("This event does not take registrations.")]
    NoRegistration,
    #[error("This registration is {}, so this does not apply.", .0.as_str())]
    WrongStatus(crate::RegistrationStatus),
    #[error("This mail cannot be sent again (it was sent, or is still on its way).")]
    MailNotRetryable,
    #[error("People have registered for this event, so it cannot be deleted.")]
    HasRegistrations,
    #[error("This event is cancelled, so this does not apply.")]
    EventCancelled,
    /// Nobody takes away or changes their own access (so that an admin always remains).
    #[error("You cannot take away or change your own access; another admin can.")]
    OwnAccess,
    /// The organizer's role does not include this.
    #[error("Your role ({}) does not include this; an admin can change it.", .0.as_str())]
    NotYourRole(Role),
    #[error("The event has not ended yet, so its registrations are still needed.")]
    NotOver,
    #[error("This personal data is erased already.")]
    AlreadyErased,
    /// Too many changes wait for this event right now; try again in a few seconds.
    #[error("Many people are doing this right now. Please try again in a few seconds.")]
    Busy,
    /// A single sign-on came back not as it went out (another `state`, no pending sign-in, a
    /// code refused by the provider, an ID token that fails its checks): nobody is signed in.
    #[error("The sign-in could not be completed. Please start it again.")]
    SsoRefused,
    /// The provider signed the person in, but none of their groups gives a role here.
    #[error(
        "Your account is in none of the groups that give access here; an admin of the community's accounts can add you to one."
    )]
    SsoNoRole,
    /// Another organizer account has the address, and the provider does not vouch for it.
    #[error(
        "An organizer account with this e-mail address exists already, and the sign-in service has not confirmed that the address is yours."
    )]
    SsoAddressTaken,
    /// The identity provider cannot be reached (or answers nothing usable) right now.
    #[error("The sign-in service cannot be reached right now. Please try again in a minute.")]
    SsoUnavailable,
    /// Passwords are switched off by a setting: organizers sign in through single sign-on.
    #[error("Signing in with a password is switched off here; please use single sign-on.")]
    PasswordsOff,
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
}

impl AdminError {
    /// The problems of the form's fields, when that is what went wrong.
    pub fn field_errors(&self) -> Vec<FieldError> {
        match self {
            AdminError::Invalid(errors) => errors.clone(),
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_stored_as_words_and_read_back() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("superuser"), None);
        assert_eq!(Role::parse(""), None);
        assert_eq!(Role::parse_field(" door "), Ok(Role::Door));
        assert_eq!(
            Role::parse_field("root").map_err(|e| e.problem),
            Err(Problem::NotAnOption)
        );
    }

    #[test]
    fn every_admin_path_belongs_to_one_area() {
        let cases = [
            ("/admin", AdminArea::Own),
            ("/admin/sign-out", AdminArea::Own),
            ("/admin/sso/callback", AdminArea::Own),
            ("/admin/account", AdminArea::Own),
            ("/admin/account/password", AdminArea::Own),
            ("/admin/api/load_organizer", AdminArea::Own),
            ("/admin/api/load_admin_events", AdminArea::Own),
            ("/admin/events/hackathon-3/check-in", AdminArea::Door),
            (
                "/admin/events/hackathon-3/registrations/7/check-in",
                AdminArea::Door,
            ),
            ("/admin/api/load_check_in", AdminArea::Door),
            ("/admin/events/hackathon-3/scan", AdminArea::Door),
            ("/admin/tickets/01Z0Z8JNV4", AdminArea::Door),
            ("/admin/api/load_scan", AdminArea::Door),
            ("/admin/events/hackathon-3", AdminArea::Events),
            (
                "/admin/events/hackathon-3/registrations.csv",
                AdminArea::Events,
            ),
            (
                "/admin/events/hackathon-3/registrations/7",
                AdminArea::Events,
            ),
            ("/admin/mail", AdminArea::Events),
            ("/admin/api/load_admin_event", AdminArea::Events),
            ("/admin/organizers", AdminArea::Accounts),
            ("/admin/organizers/3/role", AdminArea::Accounts),
            ("/admin/audit", AdminArea::Accounts),
            ("/admin/api/load_organizers", AdminArea::Accounts),
            ("/admin/api/load_audit", AdminArea::Accounts),
            ("/admin/webhooks", AdminArea::Accounts),
            ("/admin/webhooks/2/resume", AdminArea::Accounts),
            ("/admin/api/load_webhooks", AdminArea::Accounts),
            // A call's agenda is written by the accounts named for its teams; its sections and
            // the generated entries are the event managers'.
            ("/admin/events/call/agenda/2026-12-10", AdminArea::Own),
            ("/admin/api/load_admin_call", AdminArea::Own),
            ("/admin/events/call/agenda/sections/4/items", AdminArea::Own),
            ("/admin/events/call/agenda/sections/4/carry", AdminArea::Own),
            (
                "/admin/events/call/agenda/sections/4/items/9/edit",
                AdminArea::Own,
            ),
            (
                "/admin/events/call/agenda/sections/4/items/9/remove",
                AdminArea::Own,
            ),
            ("/admin/events/call/agenda", AdminArea::Events),
            ("/admin/events/call/agenda/sections", AdminArea::Events),
            (
                "/admin/events/call/agenda/sections/4/link",
                AdminArea::Events,
            ),
            (
                "/admin/events/call/agenda/sections/4/remove",
                AdminArea::Events,
            ),
            (
                "/admin/events/call/agenda/2026-12-10/entries/3",
                AdminArea::Events,
            ),
            ("/admin/api/load_admin_agenda", AdminArea::Events),
            // Unknown or odd paths fall to the events, never to the door.
            ("/admin/", AdminArea::Events),
            ("/admin/events/x/check-in/extra", AdminArea::Events),
            ("/admin/tickets", AdminArea::Events),
            ("/admin/tickets/x/y", AdminArea::Events),
            ("/admin/something-new", AdminArea::Events),
        ];
        for (path, area) in cases {
            assert_eq!(AdminArea::of(path), area, "{path}");
        }
    }

    #[test]
    fn each_role_may_use_its_areas_only() {
        use AdminArea::*;
        let allowed = |role: Role| -> Vec<AdminArea> {
            [Own, Door, Events, Accounts]
                .into_iter()
                .filter(|area| role.may(*area))
                .collect()
        };
        assert_eq!(allowed(Role::Admin), vec![Own, Door, Events, Accounts]);
        assert_eq!(allowed(Role::EventManager), vec![Own, Door, Events]);
        assert_eq!(allowed(Role::Door), vec![Own, Door]);
    }

    #[test]
    fn a_message_reaches_the_chosen_groups_counted_by_where_they_stand() {
        use crate::RegistrationStatus::*;
        let statuses = [
            Confirmed,
            Confirmed,
            PendingEmail,
            Waitlisted,
            Waitlisted,
            Waitlisted,
            Cancelled,
            Expired,
        ];
        let message = |seated, waiting| {
            super::validate_broadcast("Room", "Room 2.", seated, waiting).expect("valid")
        };
        let seated = super::Recipients::of(&message(true, false), statuses);
        assert_eq!(
            (
                seated.confirmed,
                seated.unconfirmed,
                seated.waiting,
                seated.total()
            ),
            (2, 1, 0, 3)
        );
        let waiting = super::Recipients::of(&message(false, true), statuses);
        assert_eq!((waiting.waiting, waiting.total()), (3, 3));
        assert_eq!(
            super::Recipients::of(&message(true, true), statuses).total(),
            6
        );
        for status in [Cancelled, Expired] {
            assert!(!message(true, true).reaches(status), "{status:?}");
        }
    }

    #[test]
    fn a_broadcast_key_is_64_lowercase_hex_digits() {
        let key = "0123456789abcdef".repeat(4);
        assert_eq!(
            super::BroadcastKey::parse(&key).map(|k| k.as_str().to_owned()),
            Some(key.clone())
        );
        for bad in [
            "",
            &key[1..],
            &format!("{key}0"),
            &key.to_uppercase(),
            &format!("%{}", &key[1..]),
            &format!("_{}", &key[1..]),
        ] {
            assert!(super::BroadcastKey::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn a_cancellation_is_confirmed_and_may_come_with_words_of_reasonable_length() {
        assert_eq!(validate_cancellation("  ", true), Ok(None));
        assert_eq!(
            validate_cancellation(" The venue flooded.\nSorry! ", true),
            Ok(Some("The venue flooded.\nSorry!".into()))
        );
        let problems: Vec<(String, Problem)> =
            validate_cancellation(&"x".repeat(MESSAGE_MAX + 1), false)
                .expect_err("too long, not confirmed")
                .into_iter()
                .map(|e| (e.field.key(), e.problem))
                .collect();
        assert_eq!(
            problems,
            [
                ("message".to_owned(), Problem::TooLong(MESSAGE_MAX)),
                ("confirm".to_owned(), Problem::NotConfirmed)
            ]
        );
    }

    #[test]
    fn a_broadcast_needs_a_subject_a_text_and_an_audience() {
        let ok = validate_broadcast(" Room change ", "We moved to\nroom 2.", true, false);
        assert_eq!(
            ok,
            Ok(Broadcast {
                subject: "Room change".into(),
                message: "We moved to\nroom 2.".into(),
                seated: true,
                waiting: false
            })
        );
        let problems: Vec<String> = validate_broadcast("a\nb", " ", false, false)
            .expect_err("three problems")
            .iter()
            .map(|e| e.field.key())
            .collect();
        assert_eq!(problems, ["subject", "message", "audience"]);
    }

    #[test]
    fn passwords_need_twelve_characters() {
        assert_eq!(check_password("short"), Err(Problem::TooShort(12)));
        assert_eq!(check_password("correct horse"), Ok(()));
        assert_eq!(
            check_password("äöüäöüäöüäöü"),
            Ok(()),
            "characters, not bytes"
        );
        assert_eq!(
            check_password(&"x".repeat(1025)),
            Err(Problem::TooLong(1024))
        );
    }

    #[test]
    fn capacities_are_whole_numbers_from_zero() {
        assert_eq!(parse_capacity(" 40 "), Ok(Some(40)));
        assert_eq!(parse_capacity("0"), Ok(Some(0)));
        assert_eq!(parse_capacity(""), Ok(None), "empty is unlimited");
        for (input, problem) in [
            ("-1", Problem::Negative),
            ("forty", Problem::NotANumber),
            ("4.5", Problem::NotANumber),
            ("100001", Problem::TooLarge(100_000)),
        ] {
            assert_eq!(
                parse_capacity(input),
                Err(FieldError {
                    field: Field::Capacity,
                    problem
                }),
                "{input}"
            );
        }
    }

    #[test]
    fn sign_in_slows_an_account_down_after_five_failures_and_never_locks_it() {
        let delays: Vec<i64> = (4..=9)
            .map(|n| SIGN_IN_BACKOFF.delay(n).num_seconds())
            .collect();
        assert_eq!(delays, [0, 2, 4, 8, 16, 32]);
        assert_eq!(SIGN_IN_BACKOFF.delay(1000), Duration::minutes(5));
    }
}
