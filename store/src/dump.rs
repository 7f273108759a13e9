//! A whole community as one JSON document: `convene export` writes it and `convene import`
//! reads it into an empty database of either backend, keeping every id, so a community moves
//! from SQLite to PostgreSQL without loss.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use domain::admin;
use domain::dates;
use domain::event::parse_time_zone;
use domain::event_form;
use domain::form::{optional_multiline, optional_text, required_text};
use domain::topics::{TopicForm, validate_hide_reason};
use domain::{
    EmailAddress, EventKind, EventSlug, Field, Lang, Problem, Question, Recurrence,
    RegistrationForm, RegistrationStatus, TopicStatus,
};

use crate::{Backend, Store, StoreError, StoreResult, on_backend};

/// The document's format; bumped when its shape changes (so that an older convene refuses a
/// newer file instead of dropping what it does not know).
pub const DUMP_FORMAT: u32 = 9;
/// Older formats this build still reads (format 1 had no topics, format 2 no cancelled events,
/// removed organizers or reminders, format 3 no earlier links, erasure marks or access log,
/// format 4 no replaced links, format 5 no organizer roles, account log, calendar sequence or
/// change details of mails, format 6 no community call agenda, format 7 no webhooks, format 8
/// no single-sign-on subjects or announced registration openings).
const READABLE_FORMATS: [u32; 9] = [1, 2, 3, 4, 5, 6, 7, 8, DUMP_FORMAT];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dump {
    pub format: u32,
    pub events: Vec<EventRow>,
    pub occurrence_overrides: Vec<OverrideRow>,
    pub registrations: Vec<RegistrationRow>,
    pub registration_log: Vec<LogRow>,
    pub outbox: Vec<OutboxRow>,
    #[serde(default)]
    pub topics: Vec<TopicRow>,
    #[serde(default)]
    pub topic_votes: Vec<TopicVoteRow>,
    #[serde(default)]
    pub organizers: Vec<OrganizerRow>,
    #[serde(default)]
    pub event_log: Vec<EventLogRow>,
    /// Earlier secret links of registrations (hashes only): those that still work, and those an
    /// organizer's new link replaced.
    #[serde(default)]
    pub registration_links: Vec<LinkRow>,
    /// Who looked at personal data in the organizers' view.
    #[serde(default)]
    pub access_log: Vec<AccessRow>,
    /// Sign-ins, sign-outs and changes to organizer accounts.
    #[serde(default)]
    pub account_log: Vec<AccessRow>,
    /// The community call's agenda: sections, their named contributors, items, generated
    /// entries hidden from one call, and the reminders sent.
    #[serde(default)]
    pub call_sections: Vec<CallSectionRow>,
    #[serde(default)]
    pub call_section_contributors: Vec<CallContributorRow>,
    #[serde(default)]
    pub call_items: Vec<CallItemRow>,
    #[serde(default)]
    pub call_hidden_entries: Vec<CallHiddenRow>,
    #[serde(default)]
    pub call_reminders: Vec<CallReminderRow>,
    /// Webhook endpoints (with their signing secrets), and the deliveries to them and to Matrix
    /// rooms.
    #[serde(default)]
    pub webhook_endpoints: Vec<WebhookEndpointRow>,
    #[serde(default)]
    pub deliveries: Vec<DeliveryRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct EventRow {
    id: i64,
    slug: String,
    title: String,
    kind: String,
    summary: String,
    description_md: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    time_zone: String,
    venue: Option<String>,
    online_url: Option<String>,
    host: Option<String>,
    external_url: Option<String>,
    recurrence: Option<String>,
    published: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    registration_enabled: bool,
    capacity: Option<i64>,
    waitlist_enabled: bool,
    registration_opens_at: Option<DateTime<Utc>>,
    registration_closes_at: Option<DateTime<Utc>>,
    confirmation_hours: i64,
    questions: String,
    #[serde(default)]
    topics_enabled: bool,
    #[serde(default)]
    topics_per_person: Option<i64>,
    #[serde(default)]
    topics_close_at: Option<DateTime<Utc>>,
    #[serde(default)]
    cancelled_at: Option<DateTime<Utc>>,
    #[serde(default)]
    reminded_at: Option<DateTime<Utc>>,
    #[serde(default)]
    personal_data_erased_at: Option<DateTime<Utc>>,
    /// How often what calendars show of the event changed (0 in dumps written before).
    #[serde(default)]
    calendar_sequence: i64,
    /// Who sees the online link (everyone in dumps written before).
    #[serde(default = "public_access")]
    online_access: String,
    /// Hours a seat freed for the waitlist is offered (none in dumps written before: given at
    /// once).
    #[serde(default)]
    offer_hours: Option<i64>,
    #[serde(default)]
    last_promotion_at: Option<DateTime<Utc>>,
    /// The registration opening the Matrix room was told of.
    #[serde(default)]
    opening_announced_at: Option<DateTime<Utc>>,
}

fn public_access() -> String {
    domain::event::OnlineAccess::Public.as_str().to_owned()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct OverrideRow {
    event_id: i64,
    original_date: NaiveDate,
    cancelled: bool,
    moved_starts_at: Option<DateTime<Utc>>,
    moved_ends_at: Option<DateTime<Utc>>,
    notes_md: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct RegistrationRow {
    id: i64,
    event_id: i64,
    name: String,
    email: String,
    email_normalized: String,
    organisation: Option<String>,
    notes: Option<String>,
    answers: String,
    locale: String,
    status: String,
    token_hash: String,
    waitlist_seq: Option<i64>,
    hold_expires_at: Option<DateTime<Utc>>,
    email_confirmed_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    #[serde(default)]
    checked_in_at: Option<DateTime<Utc>>,
    /// When the personal data was erased: name, address and answers are gone.
    #[serde(default)]
    erased_at: Option<DateTime<Utc>>,
    /// The ticket's check-in code (absent in dumps written before tickets: then one is made
    /// from the link's hash, see [`RegistrationRow::ticket`]).
    #[serde(default)]
    ticket_code: String,
}

impl RegistrationRow {
    /// The check-in code to restore: the dump's, or for a dump written before tickets the first
    /// ten hex digits of the link's hash (letters of the codes' alphabet, and as distinct as
    /// the links).
    fn ticket(&self) -> String {
        if self.ticket_code.is_empty() {
            self.token_hash
                .get(..domain::tickets::CODE_LENGTH)
                .unwrap_or_default()
                .to_ascii_uppercase()
        } else {
            self.ticket_code.clone()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct TopicRow {
    id: i64,
    event_id: i64,
    registration_id: Option<i64>,
    shown_as: String,
    title: String,
    description_md: String,
    status: String,
    merged_into: Option<i64>,
    hidden_reason: Option<String>,
    agenda_position: Option<i64>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// Sessions are not exported: organizers sign in again on the new database.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct OrganizerRow {
    id: i64,
    email: String,
    email_normalized: String,
    password_hash: String,
    created_at: DateTime<Utc>,
    #[serde(default)]
    removed_at: Option<DateTime<Utc>>,
    /// Organizers of dumps written before roles existed could do everything.
    #[serde(default = "admin_role")]
    role: String,
    /// The identity provider's subject of an account that signs in through it.
    #[serde(default)]
    sso_subject: Option<String>,
}

fn admin_role() -> String {
    domain::admin::Role::Admin.as_str().to_owned()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct EventLogRow {
    id: i64,
    event_id: i64,
    actor: String,
    action: String,
    before: Option<String>,
    after: Option<String>,
    at: DateTime<Utc>,
    /// Absent in dumps written before the log was typed.
    #[serde(default)]
    details: Option<String>,
}

/// A line of the access log or of the account log (the same shape: who, what as JSON, when).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct AccessRow {
    id: i64,
    actor: String,
    details: String,
    at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct LinkRow {
    token_hash: String,
    registration_id: i64,
    created_at: DateTime<Utc>,
    #[serde(default)]
    replaced_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct CallSectionRow {
    id: i64,
    event_id: i64,
    position: i64,
    kind: String,
    title: String,
    team_event_id: Option<i64>,
    contributor_token_hash: Option<String>,
    created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct CallContributorRow {
    section_id: i64,
    organizer_id: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct CallItemRow {
    id: i64,
    section_id: i64,
    call_date: NaiveDate,
    position: i64,
    body_md: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct CallHiddenRow {
    event_id: i64,
    call_date: NaiveDate,
    entry_event_id: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct WebhookEndpointRow {
    id: i64,
    url: String,
    description: String,
    kinds: String,
    secret: String,
    personal_data: bool,
    failures: i64,
    paused_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct DeliveryRow {
    id: i64,
    endpoint_id: Option<i64>,
    matrix_room: Option<String>,
    kind: String,
    registration_id: Option<i64>,
    payload: Option<String>,
    status: String,
    attempts: i64,
    next_attempt_at: DateTime<Utc>,
    claimed_until: Option<DateTime<Utc>>,
    response_status: Option<i64>,
    last_error: Option<String>,
    created_at: DateTime<Utc>,
    sent_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct CallReminderRow {
    section_id: i64,
    call_date: NaiveDate,
    sent_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct TopicVoteRow {
    topic_id: i64,
    registration_id: i64,
    created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct LogRow {
    id: i64,
    registration_id: i64,
    event_id: i64,
    actor: String,
    action: String,
    from_status: Option<String>,
    to_status: Option<String>,
    at: DateTime<Utc>,
    #[serde(default)]
    note: Option<String>,
    /// Absent in dumps written before the log was typed.
    #[serde(default)]
    details: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
pub struct OutboxRow {
    id: i64,
    kind: String,
    registration_id: Option<i64>,
    recipient: String,
    subject: String,
    body_text: Option<String>,
    body_html: Option<String>,
    ics: Option<String>,
    status: String,
    attempts: i64,
    next_attempt_at: DateTime<Utc>,
    claimed_until: Option<DateTime<Utc>>,
    last_error: Option<String>,
    created_at: DateTime<Utc>,
    sent_at: Option<DateTime<Utc>>,
    /// The change a "what changed" mail tells of (absent in dumps written before).
    #[serde(default)]
    details: Option<String>,
    /// The address a ticket's QR code holds (absent in dumps written before tickets).
    #[serde(default)]
    ticket: Option<String>,
}

/// Why a dump was refused: the row (by table and id) and field, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{table} row with id {id}, field {field}: {problem}")]
pub struct DumpRefusal {
    pub table: &'static str,
    pub id: String,
    pub field: &'static str,
    pub problem: String,
}

/// Collects the first problem of the rows being checked.
struct RowCheck {
    table: &'static str,
    id: String,
    found: Option<DumpRefusal>,
}

impl RowCheck {
    fn new(table: &'static str, id: impl std::fmt::Display) -> RowCheck {
        RowCheck {
            table,
            id: id.to_string(),
            found: None,
        }
    }

    fn field<T, E: std::fmt::Display>(&mut self, field: &'static str, outcome: Result<T, E>) {
        if let (Err(problem), None) = (outcome, &self.found) {
            self.found = Some(DumpRefusal {
                table: self.table,
                id: self.id.clone(),
                field,
                problem: problem.to_string(),
            });
        }
    }

    fn refuse(&mut self, field: &'static str, problem: impl std::fmt::Display) {
        self.field::<(), _>(field, Err(problem));
    }

    fn instant(&mut self, field: &'static str, at: Option<DateTime<Utc>>) {
        self.field(field, at.map(dates::check_instant).transpose());
    }

    fn order(
        &mut self,
        field: &'static str,
        start: Option<DateTime<Utc>>,
        end: Option<DateTime<Utc>>,
    ) {
        let ordered = match (start, end) {
            (Some(start), Some(end)) if end <= start => Err(Problem::EndBeforeStart),
            _ => Ok(()),
        };
        self.field(field, ordered);
    }

    fn done(self) -> Result<(), DumpRefusal> {
        self.found.map_or(Ok(()), Err)
    }
}

/// An e-mail address as the forms take it, and its stored lowercase identity.
/// A secret link as stored: the SHA-256 of the secret, in lowercase hex.
fn sha256_hex(hash: &str) -> Result<(), &'static str> {
    let hashed = hash.len() == 64
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if hashed {
        Ok(())
    } else {
        Err("not a SHA-256 in hex")
    }
}

fn check_email(row: &mut RowCheck, email: &str, normalized: Option<&str>) {
    match EmailAddress::parse(email) {
        Ok(address) if address.as_str() != email => row.refuse("email", Problem::InvalidEmail),
        Ok(address) => {
            let identity = normalized.is_none_or(|n| n == address.normalized());
            row.field(
                "email_normalized",
                if identity {
                    Ok(())
                } else {
                    Err("not the lowercase of email")
                },
            );
        }
        Err(problem) => row.refuse("email", problem),
    }
}

impl Dump {
    /// Checks every row with the rules the forms apply (addresses, links, lengths, capacities,
    /// dates, e-mail addresses...), so a file edited by hand cannot bring in what the site
    /// itself would refuse. The first problem found, by table, row and field.
    pub fn check(&self) -> Result<(), DumpRefusal> {
        let mut questions = std::collections::BTreeMap::new();
        for e in &self.events {
            let mut row = RowCheck::new("events", e.id);
            row.field(
                "slug",
                match EventSlug::parse(&e.slug) {
                    Ok(slug) if event_form::RESERVED_SLUGS.contains(&slug.as_str()) => {
                        Err(Problem::Reserved)
                    }
                    Ok(_) => Ok(()),
                    Err(_) => Err(Problem::NotASlug),
                },
            );
            row.field("title", required_text(&e.title, event_form::TITLE_MAX));
            row.field("kind", e.kind.parse::<EventKind>());
            row.field(
                "summary",
                optional_text(Some(&e.summary), event_form::SUMMARY_MAX),
            );
            row.field(
                "description_md",
                optional_multiline(Some(&e.description_md), event_form::DESCRIPTION_MAX),
            );
            row.field("time_zone", parse_time_zone(&e.time_zone));
            row.instant("starts_at", Some(e.starts_at));
            row.instant("ends_at", Some(e.ends_at));
            row.order("ends_at", Some(e.starts_at), Some(e.ends_at));
            for (field, place) in [("venue", &e.venue), ("host", &e.host)] {
                row.field(
                    field,
                    optional_text(place.as_deref(), event_form::PLACE_MAX),
                );
            }
            for (field, link) in [
                ("online_url", &e.online_url),
                ("external_url", &e.external_url),
            ] {
                row.field(field, event_form::url(link.as_deref()));
            }
            row.field(
                "online_access",
                domain::event::OnlineAccess::parse(&e.online_access).ok_or("no such choice"),
            );
            if let Some(rule) = &e.recurrence {
                row.field("recurrence", rule.parse::<Recurrence>());
            }
            if let Some(capacity) = e.capacity {
                row.field(
                    "capacity",
                    admin::parse_capacity(&capacity.to_string()).map_err(|e| e.problem),
                );
            }
            row.field(
                "confirmation_hours",
                event_form::parse_confirmation_hours(&e.confirmation_hours.to_string()),
            );
            if let Some(hours) = e.offer_hours {
                row.field(
                    "offer_hours",
                    event_form::parse_offer_hours(&hours.to_string()),
                );
            }
            row.instant("last_promotion_at", e.last_promotion_at);
            row.instant("opening_announced_at", e.opening_announced_at);
            row.instant("registration_opens_at", e.registration_opens_at);
            row.instant("registration_closes_at", e.registration_closes_at);
            row.order(
                "registration_closes_at",
                e.registration_opens_at,
                e.registration_closes_at,
            );
            match serde_json::from_str::<Vec<Question>>(&e.questions) {
                Ok(asked) => {
                    questions.insert(e.id, asked);
                }
                Err(error) => row.refuse("questions", error),
            }
            if let Some(per_person) = e.topics_per_person {
                let fits = u32::try_from(per_person).ok().filter(|n| *n > 0);
                row.field("topics_per_person", fits.ok_or(Problem::NotANumber));
            }
            for (field, at) in [
                ("topics_close_at", e.topics_close_at),
                ("cancelled_at", e.cancelled_at),
                ("reminded_at", e.reminded_at),
                ("personal_data_erased_at", e.personal_data_erased_at),
                ("created_at", Some(e.created_at)),
                ("updated_at", Some(e.updated_at)),
            ] {
                row.instant(field, at);
            }
            row.done()?;
        }
        for o in &self.occurrence_overrides {
            let mut row = RowCheck::new(
                "occurrence_overrides",
                format!("{}/{}", o.event_id, o.original_date),
            );
            row.field(
                "original_date",
                if dates::is_supported(o.original_date) {
                    Ok(())
                } else {
                    Err(Problem::DateOutOfRange)
                },
            );
            row.instant("moved_starts_at", o.moved_starts_at);
            row.instant("moved_ends_at", o.moved_ends_at);
            row.order("moved_ends_at", o.moved_starts_at, o.moved_ends_at);
            row.field(
                "notes_md",
                optional_multiline(o.notes_md.as_deref(), event_form::DESCRIPTION_MAX),
            );
            row.done()?;
        }
        for r in &self.registrations {
            let mut row = RowCheck::new("registrations", r.id);
            if r.erased_at.is_some() {
                // An erased row holds nothing of the person: a file cannot bring data back in.
                let address = crate::erased_address(r.id);
                let nothing = r.name.is_empty()
                    && r.email == address
                    && r.email_normalized == address
                    && r.organisation.is_none()
                    && r.notes.is_none()
                    && r.answers == "{}";
                row.field(
                    "erased_at",
                    if nothing {
                        Ok(())
                    } else {
                        Err("an erased registration still holds personal data")
                    },
                );
            } else {
                check_email(&mut row, &r.email, Some(&r.email_normalized));
            }
            let answers: Result<std::collections::BTreeMap<String, String>, _> =
                serde_json::from_str(&r.answers);
            if let Ok(answers) = &answers
                && r.erased_at.is_none()
            {
                let form = RegistrationForm {
                    name: r.name.clone(),
                    email: r.email.clone(),
                    organisation: r.organisation.clone(),
                    notes: r.notes.clone(),
                    answers: std::collections::BTreeMap::clone(answers),
                    consent: true,
                    locale: Some(r.locale.clone()),
                };
                let asked = questions.get(&r.event_id).map_or(&[][..], Vec::as_slice);
                if let Err(errors) = form.validate(asked) {
                    for error in errors {
                        let field = match error.field {
                            Field::Name => "name",
                            Field::Email => "email",
                            Field::Organisation => "organisation",
                            Field::Notes => "notes",
                            _ => "answers",
                        };
                        row.refuse(field, error.message());
                    }
                }
            }
            row.field(
                "answers",
                answers.map(|_: std::collections::BTreeMap<String, String>| ()),
            );
            let known_locale = Lang::from_tag(&r.locale).tag() == r.locale;
            row.field(
                "locale",
                if known_locale {
                    Ok(())
                } else {
                    Err(Problem::NotAnOption)
                },
            );
            row.field("status", r.status.parse::<RegistrationStatus>());
            row.field("token_hash", sha256_hex(&r.token_hash));
            let canonical = domain::tickets::TicketCode::parse(&r.ticket())
                .filter(|code| code.as_str() == r.ticket());
            row.field("ticket_code", canonical.ok_or("not a ticket code"));
            for (field, at) in [
                ("hold_expires_at", r.hold_expires_at),
                ("email_confirmed_at", r.email_confirmed_at),
                ("checked_in_at", r.checked_in_at),
                ("created_at", Some(r.created_at)),
                ("updated_at", Some(r.updated_at)),
            ] {
                row.instant(field, at);
            }
            row.done()?;
        }
        for t in &self.topics {
            let mut row = RowCheck::new("topics", t.id);
            let form = TopicForm {
                title: t.title.clone(),
                description: t.description_md.clone(),
                shown_as: t.shown_as.clone(),
            };
            // A proposer who erased their data leaves the topic without a name.
            let erased_proposer = if t.registration_id.is_none() { "-" } else { "" };
            if let Err(errors) = form.validate(erased_proposer) {
                for error in errors {
                    let field = match error.field {
                        Field::Title => "title",
                        Field::Description => "description_md",
                        _ => "shown_as",
                    };
                    row.refuse(field, error.message());
                }
            }
            row.field("status", t.status.parse::<TopicStatus>());
            if let Some(reason) = &t.hidden_reason {
                row.field(
                    "hidden_reason",
                    validate_hide_reason(reason).map_err(|e| e.problem),
                );
            }
            row.done()?;
        }
        for o in &self.organizers {
            let mut row = RowCheck::new("organizers", o.id);
            check_email(&mut row, &o.email, Some(&o.email_normalized));
            let argon2 = o.password_hash.starts_with("$argon2id$");
            // An account made by a single sign-on has no password (and no other account may
            // lack one).
            let sso_only = o.password_hash.is_empty()
                && o.sso_subject
                    .as_deref()
                    .is_some_and(|s| !s.trim().is_empty());
            row.field(
                "password_hash",
                if argon2 || sso_only {
                    Ok(())
                } else {
                    Err("not an Argon2id hash")
                },
            );
            row.field(
                "role",
                domain::admin::Role::parse(&o.role).ok_or("no such role"),
            );
            row.done()?;
        }
        for m in &self.outbox {
            let mut row = RowCheck::new("outbox", m.id);
            row.field("recipient", EmailAddress::parse(&m.recipient));
            row.done()?;
        }
        for l in &self.registration_links {
            let mut row = RowCheck::new("registration_links", l.registration_id);
            row.field("token_hash", sha256_hex(&l.token_hash));
            row.done()?;
        }
        for a in &self.account_log {
            let mut row = RowCheck::new("account_log", a.id);
            row.field(
                "details",
                serde_json::from_str::<domain::audit::AccountChange>(&a.details),
            );
            row.instant("at", Some(a.at));
            row.done()?;
        }
        for c in &self.call_sections {
            let mut row = RowCheck::new("call_sections", c.id);
            row.field(
                "kind",
                domain::call::SectionKind::parse(&c.kind).ok_or("no such kind"),
            );
            row.field("title", required_text(&c.title, domain::call::TITLE_MAX));
            if let Some(hash) = &c.contributor_token_hash {
                row.field("contributor_token_hash", sha256_hex(hash));
            }
            row.done()?;
        }
        for i in &self.call_items {
            let mut row = RowCheck::new("call_items", i.id);
            if let Err(errors) = domain::call::validate_item(&i.body_md) {
                for error in errors {
                    row.refuse("body_md", error.message());
                }
            }
            row.done()?;
        }
        for w in &self.webhook_endpoints {
            let mut row = RowCheck::new("webhook_endpoints", w.id);
            let kinds: Vec<String> = w.kinds.split_whitespace().map(str::to_owned).collect();
            let input = domain::webhooks::EndpointInput {
                url: &w.url,
                description: &w.description,
                kinds: &kinds,
                personal_data: w.personal_data,
            };
            if let Err(errors) = domain::webhooks::ValidEndpoint::parse(&input) {
                for error in errors {
                    row.refuse("url, description or kinds", error.message());
                }
            }
            row.field(
                "secret",
                if w.secret.starts_with("whsec_") {
                    Ok(())
                } else {
                    Err("not a whsec_ secret")
                },
            );
            row.done()?;
        }
        for a in &self.access_log {
            let mut row = RowCheck::new("access_log", a.id);
            row.field(
                "details",
                serde_json::from_str::<domain::audit::Access>(&a.details),
            );
            row.instant("at", Some(a.at));
            row.done()?;
        }
        Ok(())
    }
}

const EVENT_COLUMNS: &str = "id, slug, title, kind, summary, description_md, starts_at, ends_at, \
     time_zone, venue, online_url, host, external_url, recurrence, published, created_at, \
     updated_at, registration_enabled, capacity, waitlist_enabled, registration_opens_at, \
     registration_closes_at, confirmation_hours, questions, topics_enabled, topics_per_person, \
     topics_close_at, cancelled_at, reminded_at, personal_data_erased_at, calendar_sequence, \
     online_access, offer_hours, last_promotion_at, opening_announced_at";
const TOPIC_COLUMNS: &str = "id, event_id, registration_id, shown_as, title, description_md, \
     status, merged_into, hidden_reason, agenda_position, created_at, updated_at";
const TOPIC_VOTE_COLUMNS: &str = "topic_id, registration_id, created_at";
const LINK_COLUMNS: &str = "token_hash, registration_id, created_at, replaced_at";
const ACCESS_COLUMNS: &str = "id, actor, details, at";
const CALL_SECTION_COLUMNS: &str =
    "id, event_id, position, kind, title, team_event_id, contributor_token_hash, created_at";
const CALL_CONTRIBUTOR_COLUMNS: &str = "section_id, organizer_id";
const CALL_ITEM_COLUMNS: &str =
    "id, section_id, call_date, position, body_md, created_at, updated_at";
const CALL_HIDDEN_COLUMNS: &str = "event_id, call_date, entry_event_id";
const CALL_REMINDER_COLUMNS: &str = "section_id, call_date, sent_at";
const WEBHOOK_ENDPOINT_COLUMNS: &str =
    "id, url, description, kinds, secret, personal_data, failures, paused_at, created_at";
const DELIVERY_COLUMNS: &str = "id, endpoint_id, matrix_room, kind, registration_id, payload, status, \
     attempts, next_attempt_at, claimed_until, response_status, last_error, created_at, sent_at";
const OVERRIDE_COLUMNS: &str =
    "event_id, original_date, cancelled, moved_starts_at, moved_ends_at, notes_md";
const REGISTRATION_COLUMNS: &str = "id, event_id, name, email, email_normalized, organisation, \
     notes, answers, locale, status, token_hash, waitlist_seq, hold_expires_at, \
     email_confirmed_at, created_at, updated_at, checked_in_at, erased_at, ticket_code";
const LOG_COLUMNS: &str =
    "id, registration_id, event_id, actor, action, from_status, to_status, at, note, details";
const ORGANIZER_COLUMNS: &str =
    "id, email, email_normalized, password_hash, created_at, removed_at, role, sso_subject";
const EVENT_LOG_COLUMNS: &str = "id, event_id, actor, action, before, after, at, details";
const OUTBOX_COLUMNS: &str = "id, kind, registration_id, recipient, subject, body_text, \
     body_html, ics, status, attempts, next_attempt_at, claimed_until, last_error, created_at, \
     sent_at, details, ticket";

/// `$1, $2, ... $n`
fn placeholders(columns: &str) -> String {
    (1..=columns.split(',').count())
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Store {
    /// Everything the database holds, in id order.
    pub async fn export(&self) -> StoreResult<Dump> {
        on_backend!(self, pool => {
            Ok(Dump {
                format: DUMP_FORMAT,
                events: sqlx::query_as(&format!("SELECT {EVENT_COLUMNS} FROM events ORDER BY id"))
                    .fetch_all(pool)
                    .await?,
                occurrence_overrides: sqlx::query_as(&format!(
                    "SELECT {OVERRIDE_COLUMNS} FROM occurrence_overrides ORDER BY event_id, original_date"
                ))
                .fetch_all(pool)
                .await?,
                registrations: sqlx::query_as(&format!(
                    "SELECT {REGISTRATION_COLUMNS} FROM registrations ORDER BY id"
                ))
                .fetch_all(pool)
                .await?,
                registration_log: sqlx::query_as(&format!(
                    "SELECT {LOG_COLUMNS} FROM registration_log ORDER BY id"
                ))
                .fetch_all(pool)
                .await?,
                outbox: sqlx::query_as(&format!("SELECT {OUTBOX_COLUMNS} FROM outbox ORDER BY id"))
                    .fetch_all(pool)
                    .await?,
                topics: sqlx::query_as(&format!("SELECT {TOPIC_COLUMNS} FROM topics ORDER BY id"))
                    .fetch_all(pool)
                    .await?,
                organizers: sqlx::query_as(&format!(
                    "SELECT {ORGANIZER_COLUMNS} FROM organizers ORDER BY id"
                ))
                .fetch_all(pool)
                .await?,
                event_log: sqlx::query_as(&format!(
                    "SELECT {EVENT_LOG_COLUMNS} FROM event_log ORDER BY id"
                ))
                .fetch_all(pool)
                .await?,
                topic_votes: sqlx::query_as(&format!(
                    "SELECT {TOPIC_VOTE_COLUMNS} FROM topic_votes ORDER BY topic_id, registration_id"
                ))
                .fetch_all(pool)
                .await?,
                registration_links: sqlx::query_as(&format!(
                    "SELECT {LINK_COLUMNS} FROM registration_links \
                     ORDER BY registration_id, created_at, token_hash"
                ))
                .fetch_all(pool)
                .await?,
                access_log: sqlx::query_as(&format!(
                    "SELECT {ACCESS_COLUMNS} FROM access_log ORDER BY id"
                ))
                .fetch_all(pool)
                .await?,
                account_log: sqlx::query_as(&format!(
                    "SELECT {ACCESS_COLUMNS} FROM account_log ORDER BY id"
                ))
                .fetch_all(pool)
                .await?,
                call_sections: sqlx::query_as(&format!(
                    "SELECT {CALL_SECTION_COLUMNS} FROM call_sections ORDER BY id"
                ))
                .fetch_all(pool)
                .await?,
                call_section_contributors: sqlx::query_as(&format!(
                    "SELECT {CALL_CONTRIBUTOR_COLUMNS} FROM call_section_contributors \
                     ORDER BY section_id, organizer_id"
                ))
                .fetch_all(pool)
                .await?,
                call_items: sqlx::query_as(&format!(
                    "SELECT {CALL_ITEM_COLUMNS} FROM call_items ORDER BY id"
                ))
                .fetch_all(pool)
                .await?,
                call_hidden_entries: sqlx::query_as(&format!(
                    "SELECT {CALL_HIDDEN_COLUMNS} FROM call_hidden_entries \
                     ORDER BY event_id, call_date, entry_event_id"
                ))
                .fetch_all(pool)
                .await?,
                call_reminders: sqlx::query_as(&format!(
                    "SELECT {CALL_REMINDER_COLUMNS} FROM call_reminders \
                     ORDER BY section_id, call_date"
                ))
                .fetch_all(pool)
                .await?,
                webhook_endpoints: sqlx::query_as(&format!(
                    "SELECT {WEBHOOK_ENDPOINT_COLUMNS} FROM webhook_endpoints ORDER BY id"
                ))
                .fetch_all(pool)
                .await?,
                deliveries: sqlx::query_as(&format!(
                    "SELECT {DELIVERY_COLUMNS} FROM deliveries ORDER BY id"
                ))
                .fetch_all(pool)
                .await?,
            })
        })
    }

    /// Loads a dump into this database, which must hold no events yet, in one transaction.
    pub async fn import(&self, dump: &Dump) -> StoreResult<()> {
        if !READABLE_FORMATS.contains(&dump.format) {
            return Err(StoreError::Url(format!(
                "this convene reads dump format {DUMP_FORMAT}, the file is format {}",
                dump.format
            )));
        }
        // PostgreSQL generates ids itself unless told to keep the given ones.
        let keep_ids = match self.backend {
            Backend::Sqlite(_) => "",
            Backend::Postgres(_) => "OVERRIDING SYSTEM VALUE",
        };
        let insert = |table: &str, columns: &str, keep: &str| {
            format!(
                "INSERT INTO {table} ({columns}) {keep} VALUES ({})",
                placeholders(columns)
            )
        };
        on_backend!(self, pool => {
            let mut tx = pool.begin().await?;
            let (existing,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM events")
                .fetch_one(&mut *tx)
                .await?;
            if existing > 0 {
                return Err(StoreError::Url(
                    "the database already holds events: import only into an empty one".to_owned(),
                ));
            }
            let sql = insert("events", EVENT_COLUMNS, keep_ids);
            for e in &dump.events {
                sqlx::query(&sql)
                    .bind(e.id).bind(&e.slug).bind(&e.title).bind(&e.kind).bind(&e.summary)
                    .bind(&e.description_md).bind(e.starts_at).bind(e.ends_at).bind(&e.time_zone)
                    .bind(&e.venue).bind(&e.online_url).bind(&e.host).bind(&e.external_url)
                    .bind(&e.recurrence).bind(e.published).bind(e.created_at).bind(e.updated_at)
                    .bind(e.registration_enabled).bind(e.capacity).bind(e.waitlist_enabled)
                    .bind(e.registration_opens_at).bind(e.registration_closes_at)
                    .bind(e.confirmation_hours).bind(&e.questions).bind(e.topics_enabled)
                    .bind(e.topics_per_person).bind(e.topics_close_at).bind(e.cancelled_at)
                    .bind(e.reminded_at).bind(e.personal_data_erased_at).bind(e.calendar_sequence)
                    .bind(&e.online_access).bind(e.offer_hours).bind(e.last_promotion_at)
                    .bind(e.opening_announced_at)
                    .execute(&mut *tx)
                    .await?;
            }
            let sql = insert("occurrence_overrides", OVERRIDE_COLUMNS, "");
            for o in &dump.occurrence_overrides {
                sqlx::query(&sql)
                    .bind(o.event_id).bind(o.original_date).bind(o.cancelled)
                    .bind(o.moved_starts_at).bind(o.moved_ends_at).bind(&o.notes_md)
                    .execute(&mut *tx)
                    .await?;
            }
            let sql = insert("registrations", REGISTRATION_COLUMNS, keep_ids);
            for r in &dump.registrations {
                sqlx::query(&sql)
                    .bind(r.id).bind(r.event_id).bind(&r.name).bind(&r.email)
                    .bind(&r.email_normalized).bind(&r.organisation).bind(&r.notes)
                    .bind(&r.answers).bind(&r.locale).bind(&r.status).bind(&r.token_hash)
                    .bind(r.waitlist_seq).bind(r.hold_expires_at).bind(r.email_confirmed_at)
                    .bind(r.created_at).bind(r.updated_at).bind(r.checked_in_at)
                    .bind(r.erased_at).bind(r.ticket())
                    .execute(&mut *tx)
                    .await?;
            }
            let sql = insert("registration_log", LOG_COLUMNS, keep_ids);
            for l in &dump.registration_log {
                sqlx::query(&sql)
                    .bind(l.id).bind(l.registration_id).bind(l.event_id).bind(&l.actor)
                    .bind(&l.action).bind(&l.from_status).bind(&l.to_status).bind(l.at)
                    .bind(&l.note).bind(&l.details)
                    .execute(&mut *tx)
                    .await?;
            }
            let sql = insert("outbox", OUTBOX_COLUMNS, keep_ids);
            for m in &dump.outbox {
                sqlx::query(&sql)
                    .bind(m.id).bind(&m.kind).bind(m.registration_id).bind(&m.recipient)
                    .bind(&m.subject).bind(&m.body_text).bind(&m.body_html).bind(&m.ics)
                    .bind(&m.status).bind(m.attempts).bind(m.next_attempt_at)
                    .bind(m.claimed_until).bind(&m.last_error).bind(m.created_at).bind(m.sent_at)
                    .bind(&m.details).bind(&m.ticket)
                    .execute(&mut *tx)
                    .await?;
            }
            // Merged topics point at a topic that is not merged (merges flatten chains):
            // store those targets first.
            let sql = insert("topics", TOPIC_COLUMNS, keep_ids);
            let (merged, unmerged): (Vec<&TopicRow>, Vec<&TopicRow>) =
                dump.topics.iter().partition(|t| t.merged_into.is_some());
            for t in unmerged.into_iter().chain(merged) {
                sqlx::query(&sql)
                    .bind(t.id).bind(t.event_id).bind(t.registration_id).bind(&t.shown_as)
                    .bind(&t.title).bind(&t.description_md).bind(&t.status).bind(t.merged_into)
                    .bind(&t.hidden_reason).bind(t.agenda_position).bind(t.created_at)
                    .bind(t.updated_at)
                    .execute(&mut *tx)
                    .await?;
            }
            let sql = insert("organizers", ORGANIZER_COLUMNS, keep_ids);
            for o in &dump.organizers {
                sqlx::query(&sql)
                    .bind(o.id).bind(&o.email).bind(&o.email_normalized).bind(&o.password_hash)
                    .bind(o.created_at).bind(o.removed_at).bind(&o.role).bind(&o.sso_subject)
                    .execute(&mut *tx)
                    .await?;
            }
            let sql = insert("event_log", EVENT_LOG_COLUMNS, keep_ids);
            for l in &dump.event_log {
                sqlx::query(&sql)
                    .bind(l.id).bind(l.event_id).bind(&l.actor).bind(&l.action).bind(&l.before)
                    .bind(&l.after).bind(l.at).bind(&l.details)
                    .execute(&mut *tx)
                    .await?;
            }
            let sql = insert("topic_votes", TOPIC_VOTE_COLUMNS, "");
            for v in &dump.topic_votes {
                sqlx::query(&sql)
                    .bind(v.topic_id).bind(v.registration_id).bind(v.created_at)
                    .execute(&mut *tx)
                    .await?;
            }
            let sql = insert("registration_links", LINK_COLUMNS, "");
            for l in &dump.registration_links {
                sqlx::query(&sql)
                    .bind(&l.token_hash).bind(l.registration_id).bind(l.created_at).bind(l.replaced_at)
                    .execute(&mut *tx)
                    .await?;
            }
            for (table, lines) in [("access_log", &dump.access_log), ("account_log", &dump.account_log)] {
                let sql = insert(table, ACCESS_COLUMNS, keep_ids);
                for a in lines {
                    sqlx::query(&sql)
                        .bind(a.id).bind(&a.actor).bind(&a.details).bind(a.at)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            let sql = insert("call_sections", CALL_SECTION_COLUMNS, keep_ids);
            for c in &dump.call_sections {
                sqlx::query(&sql)
                    .bind(c.id).bind(c.event_id).bind(c.position).bind(&c.kind).bind(&c.title)
                    .bind(c.team_event_id).bind(&c.contributor_token_hash).bind(c.created_at)
                    .execute(&mut *tx)
                    .await?;
            }
            let sql = insert("call_section_contributors", CALL_CONTRIBUTOR_COLUMNS, "");
            for c in &dump.call_section_contributors {
                sqlx::query(&sql)
                    .bind(c.section_id).bind(c.organizer_id)
                    .execute(&mut *tx)
                    .await?;
            }
            let sql = insert("call_items", CALL_ITEM_COLUMNS, keep_ids);
            for i in &dump.call_items {
                sqlx::query(&sql)
                    .bind(i.id).bind(i.section_id).bind(i.call_date).bind(i.position)
                    .bind(&i.body_md).bind(i.created_at).bind(i.updated_at)
                    .execute(&mut *tx)
                    .await?;
            }
            let sql = insert("call_hidden_entries", CALL_HIDDEN_COLUMNS, "");
            for h in &dump.call_hidden_entries {
                sqlx::query(&sql)
                    .bind(h.event_id).bind(h.call_date).bind(h.entry_event_id)
                    .execute(&mut *tx)
                    .await?;
            }
            let sql = insert("call_reminders", CALL_REMINDER_COLUMNS, "");
            for r in &dump.call_reminders {
                sqlx::query(&sql)
                    .bind(r.section_id).bind(r.call_date).bind(r.sent_at)
                    .execute(&mut *tx)
                    .await?;
            }
            let sql = insert("webhook_endpoints", WEBHOOK_ENDPOINT_COLUMNS, keep_ids);
            for w in &dump.webhook_endpoints {
                sqlx::query(&sql)
                    .bind(w.id).bind(&w.url).bind(&w.description).bind(&w.kinds)
                    .bind(&w.secret).bind(w.personal_data).bind(w.failures).bind(w.paused_at)
                    .bind(w.created_at)
                    .execute(&mut *tx)
                    .await?;
            }
            let sql = insert("deliveries", DELIVERY_COLUMNS, keep_ids);
            for d in &dump.deliveries {
                sqlx::query(&sql)
                    .bind(d.id).bind(d.endpoint_id).bind(&d.matrix_room).bind(&d.kind).bind(d.registration_id)
                    .bind(&d.payload).bind(&d.status).bind(d.attempts).bind(d.next_attempt_at)
                    .bind(d.claimed_until).bind(d.response_status).bind(&d.last_error)
                    .bind(d.created_at).bind(d.sent_at)
                    .execute(&mut *tx)
                    .await?;
            }
            if !keep_ids.is_empty() {
                // New rows must continue after the imported ids.
                for table in [
                    "events", "registrations", "registration_log", "outbox", "topics",
                    "organizers", "event_log", "access_log", "account_log", "call_sections",
                    "call_items", "webhook_endpoints", "deliveries",
                ] {
                    sqlx::query(&format!(
                        "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                         COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                    ))
                    .execute(&mut *tx)
                    .await?;
                }
            }
            tx.commit().await?;
            Ok(())
        })
    }
}
