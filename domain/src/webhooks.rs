//! Webhooks: what convene tells other tools when something happens, as Standard Webhooks
//! (<https://www.standardwebhooks.com>) messages. The kinds of message, the form an admin
//! registers an endpoint with, and the messages' JSON. Signing and sending are the service's
//! and the server's.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::RegistrationStatus;
use crate::form::{Field, FieldError, Problem, optional_text};

/// What happened, as the message's `type` says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WebhookKind {
    RegistrationCreated,
    RegistrationConfirmed,
    RegistrationCancelled,
    RegistrationPromoted,
    RegistrationErased,
    EventCreated,
    EventChanged,
    EventCancelled,
    TopicProposed,
    TopicAccepted,
}

impl WebhookKind {
    pub const ALL: [WebhookKind; 10] = [
        WebhookKind::RegistrationCreated,
        WebhookKind::RegistrationConfirmed,
        WebhookKind::RegistrationCancelled,
        WebhookKind::RegistrationPromoted,
        WebhookKind::RegistrationErased,
        WebhookKind::EventCreated,
        WebhookKind::EventChanged,
        WebhookKind::EventCancelled,
        WebhookKind::TopicProposed,
        WebhookKind::TopicAccepted,
    ];

    /// The message's `type`, also what the database and the form hold.
    pub fn as_str(self) -> &'static str {
        match self {
            WebhookKind::RegistrationCreated => "registration.created",
            WebhookKind::RegistrationConfirmed => "registration.confirmed",
            WebhookKind::RegistrationCancelled => "registration.cancelled",
            WebhookKind::RegistrationPromoted => "registration.promoted",
            WebhookKind::RegistrationErased => "registration.erased",
            WebhookKind::EventCreated => "event.created",
            WebhookKind::EventChanged => "event.changed",
            WebhookKind::EventCancelled => "event.cancelled",
            WebhookKind::TopicProposed => "topic.proposed",
            WebhookKind::TopicAccepted => "topic.accepted",
        }
    }

    pub fn parse(word: &str) -> Option<WebhookKind> {
        WebhookKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == word)
    }

    /// Whether the message may carry a person's name and address (to endpoints allowed them).
    pub fn is_about_a_person(self) -> bool {
        matches!(
            self,
            WebhookKind::RegistrationCreated
                | WebhookKind::RegistrationConfirmed
                | WebhookKind::RegistrationCancelled
                | WebhookKind::RegistrationPromoted
        )
    }
}

/// The most characters of an endpoint's address (as the event form's links).
pub const URL_MAX: usize = crate::event_form::URL_MAX;
/// The most characters of an endpoint's description.
pub const DESCRIPTION_MAX: usize = 200;

/// An endpoint as the admin's form sends it.
#[derive(Debug, Clone, Default)]
pub struct EndpointInput<'a> {
    pub url: &'a str,
    pub description: &'a str,
    /// The ticked kinds, as `WebhookKind::as_str`.
    pub kinds: &'a [String],
    /// The "may receive personal data" box.
    pub personal_data: bool,
}

/// An endpoint that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidEndpoint {
    pub url: String,
    pub description: String,
    /// At least one, each once, in [`WebhookKind::ALL`]'s order.
    pub kinds: Vec<WebhookKind>,
    pub personal_data: bool,
}

impl ValidEndpoint {
    /// Checks every field; the errors name each field that is wrong.
    pub fn parse(input: &EndpointInput<'_>) -> Result<ValidEndpoint, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut problem = |name: &str, problem| {
            errors.push(FieldError {
                field: Field::Named(name.to_owned()),
                problem,
            });
        };
        let url = match endpoint_url(input.url) {
            Ok(url) => url,
            Err(p) => {
                problem("url", p);
                String::new()
            }
        };
        let description = match optional_text(Some(input.description), DESCRIPTION_MAX) {
            Ok(text) => text.unwrap_or_default(),
            Err(p) => {
                problem("description", p);
                String::new()
            }
        };
        let mut kinds = Vec::new();
        for word in input.kinds {
            match WebhookKind::parse(word.trim()) {
                Some(kind) => kinds.push(kind),
                None => {
                    problem("kinds", Problem::NotAnOption);
                    break;
                }
            }
        }
        if kinds.is_empty() && input.kinds.is_empty() {
            problem("kinds", Problem::Required);
        }
        // Whoever gets a person's data hears of its erasure, so that they can erase it too.
        if input.personal_data {
            kinds.push(WebhookKind::RegistrationErased);
        }
        kinds.sort_unstable();
        kinds.dedup();
        if errors.is_empty() {
            Ok(ValidEndpoint {
                url,
                description,
                kinds,
                personal_data: input.personal_data,
            })
        } else {
            Err(errors)
        }
    }
}

/// An endpoint's address: `https://` or `http://` with a host, no spaces, no user or password
/// in it (a secret belongs in the signing secret, not in an address shown on the admin page).
fn endpoint_url(input: &str) -> Result<String, Problem> {
    let url = crate::event_form::url(Some(input))?.ok_or(Problem::Required)?;
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or(Problem::NotAUrl)?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.is_empty() || authority.contains('@') || authority.starts_with(':') {
        return Err(Problem::NotAUrl);
    }
    Ok(url)
}

/// The kinds as the database keeps them: their words, separated by spaces.
pub fn kinds_to_words(kinds: &[WebhookKind]) -> String {
    kinds
        .iter()
        .map(|kind| kind.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The kinds in a stored list of words; words no longer known are left out.
pub fn kinds_from_words(words: &str) -> Vec<WebhookKind> {
    words
        .split_whitespace()
        .filter_map(WebhookKind::parse)
        .collect()
}

/// A message: Standard Webhooks' recommended shape, `type`, `timestamp` and `data`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WebhookMessage {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub timestamp: DateTime<Utc>,
    pub data: WebhookData,
}

/// What a message is about.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum WebhookData {
    Event(EventData),
    Registration(RegistrationData),
    Topic(TopicData),
}

/// The event a message is about, or that a registration or topic belongs to.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventRef {
    pub slug: String,
    pub title: String,
    /// Its public page.
    pub url: String,
}

/// `event.*`: the event as it is now.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventData {
    pub event: EventRef,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// An IANA zone name, e.g. `Europe/Berlin`.
    pub time_zone: String,
    pub published: bool,
    pub cancelled: bool,
    /// `event.changed`: what changed (`times`, `venue`, `online_url`, `details`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changed: Vec<&'static str>,
}

/// `registration.*`: where a registration stands now.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegistrationData {
    pub id: i64,
    pub event: EventRef,
    pub status: RegistrationStatus,
    /// Only to endpoints allowed personal data, and never after an erasure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<Person>,
}

/// Who registered.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Person {
    pub name: String,
    pub email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
}

/// `topic.*`: a hackathon topic.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicData {
    pub id: i64,
    pub event: EventRef,
    pub title: String,
    /// The topics page of the event.
    pub url: String,
}

impl WebhookMessage {
    /// The JSON sent to endpoints not allowed personal data: the person is left out.
    pub fn without_person(&self) -> WebhookMessage {
        let mut message = self.clone();
        if let WebhookData::Registration(data) = &mut message.data {
            data.person = None;
        }
        message
    }

    /// Whether the message carries a person's data.
    pub fn has_person(&self) -> bool {
        matches!(&self.data, WebhookData::Registration(data) if data.person.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>(url: &'a str, kinds: &'a [String]) -> EndpointInput<'a> {
        EndpointInput {
            url,
            description: "CRM",
            kinds,
            personal_data: false,
        }
    }

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|w| (*w).to_owned()).collect()
    }

    fn problems(result: Result<ValidEndpoint, Vec<FieldError>>) -> Vec<(String, Problem)> {
        result
            .expect_err("refused")
            .into_iter()
            .map(|e| (e.field.key(), e.problem))
            .collect()
    }

    #[test]
    fn every_kind_reads_back_from_its_word() {
        for kind in WebhookKind::ALL {
            assert_eq!(WebhookKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(WebhookKind::parse("registration.*"), None);
        let all = kinds_to_words(&WebhookKind::ALL);
        assert_eq!(kinds_from_words(&all), WebhookKind::ALL);
        assert_eq!(
            kinds_from_words("event.created gone.kind  topic.accepted"),
            [WebhookKind::EventCreated, WebhookKind::TopicAccepted]
        );
    }

    #[test]
    fn an_endpoint_needs_a_web_address_and_a_kind() {
        let kinds = words(&["topic.proposed", "event.created", "event.created"]);
        let valid =
            ValidEndpoint::parse(&input(" https://hooks.example.org/in ", &kinds)).expect("valid");
        assert_eq!(valid.url, "https://hooks.example.org/in");
        assert_eq!(
            valid.kinds,
            [WebhookKind::EventCreated, WebhookKind::TopicProposed],
            "sorted, each once"
        );
        assert!(ValidEndpoint::parse(&input("http://127.0.0.1:9000/hook", &kinds)).is_ok());
        let mut personal = input("https://crm.example.org", &kinds);
        personal.personal_data = true;
        assert_eq!(
            ValidEndpoint::parse(&personal).expect("valid").kinds,
            [
                WebhookKind::RegistrationErased,
                WebhookKind::EventCreated,
                WebhookKind::TopicProposed
            ],
            "who gets personal data hears of its erasure"
        );
        for bad in [
            "javascript:alert(1)",
            "ftp://example.org",
            "https://",
            "https:///path",
            "https://user:secret@example.org/",
            "https://exa mple.org",
            "https://:80/",
        ] {
            assert_eq!(
                problems(ValidEndpoint::parse(&input(bad, &kinds))),
                [("url".to_owned(), Problem::NotAUrl)],
                "{bad}"
            );
        }
        assert_eq!(
            problems(ValidEndpoint::parse(&input("", &[]))),
            [
                ("url".to_owned(), Problem::Required),
                ("kinds".to_owned(), Problem::Required)
            ]
        );
        assert_eq!(
            problems(ValidEndpoint::parse(&input(
                "https://example.org",
                &words(&["event.created", "everything"])
            ))),
            [("kinds".to_owned(), Problem::NotAnOption)]
        );
        let long = format!("https://example.org/{}", "a".repeat(URL_MAX));
        assert_eq!(
            problems(ValidEndpoint::parse(&input(&long, &kinds))),
            [("url".to_owned(), Problem::TooLong(URL_MAX))]
        );
        let mut with_control = input("https://example.org", &kinds);
        with_control.description = "a\u{202E}b";
        assert_eq!(
            problems(ValidEndpoint::parse(&with_control)),
            [("description".to_owned(), Problem::ControlCharacters)]
        );
    }

    fn registration_message() -> WebhookMessage {
        WebhookMessage {
            kind: WebhookKind::RegistrationCreated.as_str(),
            timestamp: DateTime::parse_from_rfc3339("2027-03-10T09:00:00Z")
                .expect("time")
                .with_timezone(&Utc),
            data: WebhookData::Registration(RegistrationData {
                id: 7,
                event: EventRef {
                    slug: "hackathon".to_owned(),
                    title: "Hackathon".to_owned(),
                    url: "https://events.example.org/events/hackathon".to_owned(),
                },
                status: RegistrationStatus::Waitlisted,
                person: Some(Person {
                    name: "Ada".to_owned(),
                    email: "ada@example.org".to_owned(),
                    organisation: None,
                }),
            }),
        }
    }

    #[test]
    fn the_message_has_the_standard_shape_and_the_person_only_when_allowed() {
        let message = registration_message();
        let json = serde_json::to_value(&message).expect("json");
        assert_eq!(json["type"], "registration.created");
        assert_eq!(json["timestamp"], "2027-03-10T09:00:00Z");
        assert_eq!(json["data"]["id"], 7);
        assert_eq!(json["data"]["status"], "waitlisted");
        assert_eq!(json["data"]["event"]["slug"], "hackathon");
        assert_eq!(json["data"]["person"]["email"], "ada@example.org");
        assert!(message.has_person());
        let without = message.without_person();
        assert!(!without.has_person());
        let json = serde_json::to_value(&without).expect("json");
        assert!(json["data"].get("person").is_none(), "{json}");
        assert_eq!(json["data"]["id"], 7);
    }
}
