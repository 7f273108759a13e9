//! The registration form: what a person may send, parsed into values that are valid by
//! construction, or a list of problems, one per field, to show next to that field.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::questions::Question;

/// An e-mail address that looks deliverable; `normalized` is its case-insensitive identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailAddress {
    address: String,
}

impl EmailAddress {
    pub const MAX_LEN: usize = 254;

    pub fn parse(input: &str) -> Result<Self, Problem> {
        let address = input.trim();
        if address.is_empty() {
            return Err(Problem::Required);
        }
        if address.chars().count() > Self::MAX_LEN {
            return Err(Problem::TooLong(Self::MAX_LEN));
        }
        let Some((local, domain)) = address.rsplit_once('@') else {
            return Err(Problem::InvalidEmail);
        };
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        if local_ok && domain_ok {
            Ok(Self {
                address: address.to_owned(),
            })
        } else {
            Err(Problem::InvalidEmail)
        }
    }

    /// As the person typed it (trimmed): used to write to them.
    pub fn as_str(&self) -> &str {
        &self.address
    }

    /// Lowercased: one person registers once per event whatever the case they type.
    pub fn normalized(&self) -> String {
        self.address.to_lowercase()
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.address)
    }
}

/// What a person sent, as text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub organisation: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub answers: BTreeMap<String, String>,
    #[serde(default)]
    pub consent: bool,
    #[serde(default)]
    pub locale: Option<String>,
}

/// A registration that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRegistration {
    pub name: String,
    pub email: EmailAddress,
    pub organisation: Option<String>,
    pub notes: Option<String>,
    pub answers: BTreeMap<String, String>,
    pub locale: crate::Lang,
}

/// The field a problem belongs to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Field {
    Name,
    Email,
    Organisation,
    Notes,
    Consent,
    Answer(String),
    /// A topic's title, description, and the name shown with it.
    Title,
    Description,
    ShownAs,
    /// Organizer forms.
    Capacity,
    Password,
    Reason,
    Subject,
    Message,
    Audience,
    /// Any other field of an organizer form, by its form name (e.g. `starts_at`).
    Named(String),
}

impl Field {
    /// The form field's name, also used as the key of API errors (`answers.diet`).
    pub fn key(&self) -> String {
        match self {
            Field::Name => "name".into(),
            Field::Email => "email".into(),
            Field::Organisation => "organisation".into(),
            Field::Notes => "notes".into(),
            Field::Consent => "consent".into(),
            Field::Answer(key) => format!("answers.{key}"),
            Field::Title => "title".into(),
            Field::Description => "description".into(),
            Field::ShownAs => "shown_as".into(),
            Field::Capacity => "capacity".into(),
            Field::Password => "password".into(),
            Field::Reason => "reason".into(),
            Field::Subject => "subject".into(),
            Field::Message => "message".into(),
            Field::Audience => "audience".into(),
            Field::Named(name) => name.clone(),
        }
    }
}

/// What is wrong with one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    Required,
    TooShort(usize),
    TooLong(usize),
    InvalidEmail,
    ConsentRequired,
    NotAnOption,
    UnknownQuestion,
    ControlCharacters,
    NotANumber,
    Negative,
    /// Below the least the field takes (e.g. 1 hour, every 1 week).
    TooSmall(u32),
    TooLarge(u32),
    NotADateTime,
    NotAUrl,
    NotARule,
    NotATimeZone,
    NotASlug,
    EndBeforeStart,
    /// The value belongs to something else already (e.g. another event's address).
    Taken,
    /// The value is one the site keeps for its own pages (e.g. the address `new`).
    Reserved,
    /// Not the password the account has now.
    WrongPassword,
    /// A box that confirms something that cannot be undone was not ticked.
    NotConfirmed,
    NotADate,
    /// The date is not one on which the series takes place.
    NotAnOccurrence,
    /// A date outside the years the site keeps (see [`crate::dates::YEARS`]).
    DateOutOfRange,
    /// Not a question key (lowercase letters, digits, `_` and `-`).
    NotAKey,
    /// Another question of the event has this key.
    KeyTaken,
    /// A question to choose from lists fewer than two options.
    TooFewOptions,
    /// The same option is listed twice.
    RepeatedOption,
    /// Another registration for the same event uses this e-mail address.
    AddressInUse,
    /// Not the code of a ticket (ten letters and digits, or a ticket's address).
    NotATicketCode,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Required => f.write_str("This field is required."),
            Problem::TooShort(min) => write!(f, "Use at least {min} characters."),
            Problem::TooLong(max) => write!(f, "Use at most {max} characters."),
            Problem::InvalidEmail => f.write_str("Enter an e-mail address like name@example.org."),
            Problem::ConsentRequired => f.write_str("Agree to the privacy note to register."),
            Problem::NotAnOption => f.write_str("Choose one of the options."),
            Problem::UnknownQuestion => f.write_str("This event does not ask this question."),
            Problem::ControlCharacters => f.write_str("Remove the special control characters."),
            Problem::NotANumber => f.write_str("Enter a whole number, like 40."),
            Problem::Negative => f.write_str("Enter 0 or more."),
            Problem::TooSmall(min) => write!(f, "Enter at least {min}."),
            Problem::TooLarge(max) => write!(f, "Enter at most {max}."),
            Problem::NotADateTime => f.write_str("Enter a date and time like 2027-03-10 09:00."),
            Problem::NotAUrl => f.write_str("Enter a web address starting with https://."),
            Problem::NotARule => f.write_str(
                "Enter a rule like FREQ=WEEKLY;BYDAY=TH (weekly or monthly), or leave it empty.",
            ),
            Problem::NotATimeZone => f.write_str("Enter a time zone like Europe/Berlin."),
            Problem::NotASlug => {
                f.write_str("Use lowercase letters, digits and hyphens, like hackathon-4.")
            }
            Problem::EndBeforeStart => f.write_str("The end must be after the start."),
            Problem::Taken => f.write_str("Another event has this address already."),
            Problem::AddressInUse => {
                f.write_str("Another registration for this event uses this e-mail address.")
            }
            Problem::WrongPassword => f.write_str("This is not your current password."),
            Problem::NotConfirmed => f.write_str("Tick the box to confirm."),
            Problem::Reserved => {
                f.write_str("This address belongs to a page of the site; choose another.")
            }
            Problem::NotADate => f.write_str("Enter a date like 2027-01-14."),
            Problem::NotAnOccurrence => f.write_str("The series does not take place on this date."),
            Problem::DateOutOfRange => f.write_str("Enter a date between 1970 and 9999."),
            Problem::NotAKey => {
                f.write_str("Use lowercase letters, digits and underscores, like t_shirt.")
            }
            Problem::KeyTaken => f.write_str("Another question of this event has this key."),
            Problem::TooFewOptions => f.write_str("List at least two options, one per line."),
            Problem::RepeatedOption => f.write_str("List each option once."),
            Problem::NotATicketCode => {
                f.write_str("Enter the ticket's code: ten letters and digits, like K7QX3-MPD9R.")
            }
        }
    }
}

/// One problem with one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: Field,
    pub problem: Problem,
}

impl FieldError {
    /// What to tell the person, naming what the field needs where that is clearer.
    pub fn message(&self) -> String {
        match (&self.field, &self.problem) {
            (Field::Name, Problem::Required) => "Enter your full name.".to_owned(),
            (Field::Email, Problem::Required) => "Enter your e-mail address.".to_owned(),
            (Field::Answer(_), Problem::Required) => "Answer this question.".to_owned(),
            (Field::Title, Problem::Required) => "Give your topic a title.".to_owned(),
            (Field::ShownAs, Problem::Required) => "Enter the name to show.".to_owned(),
            (_, problem) => problem.to_string(),
        }
    }
}

pub const NAME_MAX: usize = 100;
pub const ORGANISATION_MAX: usize = 100;
pub const NOTES_MAX: usize = 1000;

impl RegistrationForm {
    /// Checks every field against the rules and the event's `questions`; returns all problems
    /// at once so a person can fix them in one go.
    pub fn validate(&self, questions: &[Question]) -> Result<ValidRegistration, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut fail = |field: Field, problem: Problem| errors.push(FieldError { field, problem });

        let name = required_text(&self.name, NAME_MAX).map_err(|p| fail(Field::Name, p));
        let email = EmailAddress::parse(&self.email).map_err(|p| fail(Field::Email, p));
        let organisation = optional_text(self.organisation.as_deref(), ORGANISATION_MAX)
            .map_err(|p| fail(Field::Organisation, p));
        let notes =
            optional_multiline(self.notes.as_deref(), NOTES_MAX).map_err(|p| fail(Field::Notes, p));
        if !self.consent {
            fail(Field::Consent, Problem::ConsentRequired);
        }

        let mut answers = BTreeMap::new();
        for key in self.answers.keys() {
            if !questions.iter().any(|q| &q.key == key) {
                fail(Field::Answer(key.clone()), Problem::UnknownQuestion);
            }
        }
        for question in questions {
            let given = self.answers.get(&question.key).map_or("", String::as_str);
            match question.check(given) {
                Err(problem) => fail(Field::Answer(question.key.clone()), problem),
                Ok(Some(answer)) => {
                    answers.insert(question.key.clone(), answer);
                }
                Ok(None) => {}
            }
        }

        let locale = self
            .locale
            .as_deref()
            .map_or(crate::Lang::En, crate::Lang::from_tag);

        match (name, email, organisation, notes) {
            (Ok(name), Ok(email), Ok(organisation), Ok(notes)) if errors.is_empty() => {
                Ok(ValidRegistration {
                    name,
                    email,
                    organisation,
                    notes,
                    answers,
                    locale,
                })
            }
            _ => {
                errors.sort_by(|a, b| a.field.cmp(&b.field));
                Err(errors)
            }
        }
    }
}

/// Whether a form's checkbox value means ticked (`on` from a browser, `true` from a script).
pub fn is_ticked(value: &str) -> bool {
    matches!(value, "on" | "true")
}

pub fn required_text(input: &str, max: usize) -> Result<String, Problem> {
    optional_text(Some(input), max)?.ok_or(Problem::Required)
}

/// Trimmed single-line text; empty is `None`.
pub fn optional_text(input: Option<&str>, max: usize) -> Result<Option<String>, Problem> {
    let text = input.map(str::trim).unwrap_or("");
    if text
        .chars()
        .any(|c| c.is_control() || is_invisible_layout(c))
    {
        return Err(Problem::ControlCharacters);
    }
    limit(text, max)
}

/// Characters that change how text around them is laid out without being seen: line and
/// paragraph separators and the bidirectional controls. In a name they can make a list or a mail
/// show something other than what was typed (`U+202E` writes what follows backwards).
fn is_invisible_layout(c: char) -> bool {
    matches!(
        c,
        '\u{2028}' | '\u{2029}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
            | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// Trimmed text that may span lines; empty is `None`.
pub fn optional_multiline(input: Option<&str>, max: usize) -> Result<Option<String>, Problem> {
    let text = input.map(str::trim).unwrap_or("");
    if text
        .chars()
        .any(|c| (c.is_control() && c != '\n' && c != '\r' && c != '\t') || is_invisible_layout(c))
    {
        return Err(Problem::ControlCharacters);
    }
    limit(text, max)
}

fn limit(text: &str, max: usize) -> Result<Option<String>, Problem> {
    if text.chars().count() > max {
        Err(Problem::TooLong(max))
    } else if text.is_empty() {
        Ok(None)
    } else {
        Ok(Some(text.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questions::QuestionKind;

    fn form() -> RegistrationForm {
        RegistrationForm {
            name: "Ada Lovelace".into(),
            email: "Ada@Example.org".into(),
            consent: true,
            ..RegistrationForm::default()
        }
    }

    fn questions() -> Vec<Question> {
        vec![
            Question::new("diet", "Dietary needs", QuestionKind::ShortText, &[]),
            Question {
                required: true,
                ..Question::new(
                    "shirt",
                    "T-shirt size",
                    QuestionKind::Select,
                    &["S", "M", "L"],
                )
            },
        ]
    }

    fn problems(form: &RegistrationForm, questions: &[Question]) -> Vec<(String, Problem)> {
        match form.validate(questions) {
            Ok(valid) => panic!("expected problems, got {valid:?}"),
            Err(errors) => errors
                .into_iter()
                .map(|e| (e.field.key(), e.problem))
                .collect(),
        }
    }

    #[test]
    fn accepts_a_complete_form_and_normalises_the_email() {
        let mut f = form();
        f.organisation = Some("  OSBA ".into());
        f.answers.insert("shirt".into(), "M".into());
        f.answers.insert("diet".into(), " vegan ".into());
        f.locale = Some("DE".into());
        let valid = f.validate(&questions()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(valid.email.as_str(), "Ada@Example.org");
        assert_eq!(valid.email.normalized(), "ada@example.org");
        assert_eq!(valid.organisation.as_deref(), Some("OSBA"));
        assert_eq!(valid.answers.get("diet").map(String::as_str), Some("vegan"));
        assert_eq!(valid.locale, crate::Lang::De);
    }

    #[test]
    fn reports_every_problem_at_once_by_field() {
        let f = RegistrationForm {
            name: "   ".into(),
            email: "not-an-address".into(),
            notes: Some("x".repeat(NOTES_MAX + 1)),
            consent: false,
            ..RegistrationForm::default()
        };
        assert_eq!(
            problems(&f, &questions()),
            [
                ("name".to_owned(), Problem::Required),
                ("email".to_owned(), Problem::InvalidEmail),
                ("notes".to_owned(), Problem::TooLong(NOTES_MAX)),
                ("consent".to_owned(), Problem::ConsentRequired),
                ("answers.shirt".to_owned(), Problem::Required),
            ]
        );
    }

    #[test]
    fn answers_must_match_the_events_questions() {
        let mut f = form();
        f.answers.insert("shirt".into(), "XXXL".into());
        f.answers.insert("favourite_colour".into(), "green".into());
        assert_eq!(
            problems(&f, &questions()),
            [
                (
                    "answers.favourite_colour".to_owned(),
                    Problem::UnknownQuestion
                ),
                ("answers.shirt".to_owned(), Problem::NotAnOption),
            ]
        );
    }

    #[test]
    fn optional_questions_may_be_left_out() {
        let mut f = form();
        f.answers.insert("shirt".into(), "L".into());
        assert!(f.validate(&questions()).is_ok());
        assert!(form().validate(&[]).is_ok());
    }

    #[test]
    fn rejects_overlong_and_control_characters() {
        let mut f = form();
        f.name = "x".repeat(NAME_MAX + 1);
        f.organisation = Some("a\u{0}b".into());
        assert_eq!(
            problems(&f, &[]),
            [
                ("name".to_owned(), Problem::TooLong(NAME_MAX)),
                ("organisation".to_owned(), Problem::ControlCharacters),
            ]
        );
        let mut multiline = form();
        multiline.notes = Some("line one\nline two".into());
        assert!(multiline.validate(&[]).is_ok());
    }

    #[test]
    fn rejects_invisible_separators_and_direction_overrides() {
        for spoof in [
            "Ada\u{2028}Admin",
            "Ada\u{2029}x",
            "\u{202E}nimdA",
            "a\u{2066}b\u{2069}",
            "x\u{200F}",
        ] {
            let mut f = form();
            f.name = spoof.to_owned();
            assert_eq!(
                problems(&f, &[]),
                [("name".to_owned(), Problem::ControlCharacters)],
                "{spoof:?}"
            );
            let mut notes = form();
            notes.notes = Some(format!("first line\n{spoof}"));
            assert_eq!(
                problems(&notes, &[]),
                [("notes".to_owned(), Problem::ControlCharacters)],
                "{spoof:?}"
            );
        }
        let mut arabic = form();
        arabic.name = "أدا لوفلايس".to_owned();
        assert!(
            arabic.validate(&[]).is_ok(),
            "right-to-left text itself is fine"
        );
    }

    #[test]
    fn email_addresses_that_cannot_be_delivered_are_rejected() {
        for bad in [
            "",
            "a",
            "a@",
            "@b.org",
            "a@b",
            "a@@b.org",
            "a b@c.org",
            "a@-b.org",
            "a..b@c.org",
            "a@b..org",
            "<a@b.org>",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad:?}");
        }
        for good in [
            "a@b.org",
            "first.last+tag@sub.example.co.uk",
            "jörg@beispiel.de",
            "o'neil@example.ie",
        ] {
            assert!(EmailAddress::parse(good).is_ok(), "{good:?}");
        }
        let long = format!("{}@example.org", "a".repeat(250));
        assert_eq!(
            EmailAddress::parse(&long),
            Err(Problem::TooLong(EmailAddress::MAX_LEN))
        );
    }

    #[test]
    fn required_messages_name_what_is_missing() {
        let f = RegistrationForm {
            consent: true,
            ..RegistrationForm::default()
        };
        let messages: Vec<String> = match f.validate(&[]) {
            Ok(valid) => panic!("expected problems, got {valid:?}"),
            Err(errors) => errors.iter().map(FieldError::message).collect(),
        };
        assert_eq!(
            messages,
            ["Enter your full name.", "Enter your e-mail address."]
        );
    }

    #[test]
    fn unknown_locales_fall_back_to_english() {
        let mut f = form();
        f.locale = Some("fr".into());
        assert_eq!(f.validate(&[]).map(|v| v.locale), Ok(crate::Lang::En));
    }
}
