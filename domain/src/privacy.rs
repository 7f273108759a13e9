//! What convene keeps about one person, as they may see and download it (GDPR articles 15 and
//! 20): their registration with its answers, its history, their topics and votes, and the
//! mails sent to them. The same document is the JSON download and the "Your data" page.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{RegistrationStatus, TopicStatus};

/// The version of the downloaded document's shape.
pub const PERSONAL_DATA_FORMAT: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonalData {
    pub format: u32,
    pub event: PersonalEvent,
    pub registration: PersonalRegistration,
    /// Every change to the registration, oldest first.
    pub history: Vec<PersonalHistory>,
    /// The topics the person proposed.
    pub topics: Vec<PersonalTopic>,
    /// The titles of the topics the person voted for.
    pub votes: Vec<String>,
    /// The mails sent (or to be sent) to the person, oldest first; their text is not kept
    /// after sending.
    pub mails: Vec<PersonalMail>,
    /// When the personal data is erased at the latest (the retention rule), if the event has
    /// an end.
    pub erased_by: Option<DateTime<Utc>>,
    /// The retention period in days.
    pub retention_days: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonalEvent {
    pub slug: String,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: chrono_tz::Tz,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonalRegistration {
    pub name: String,
    pub email: String,
    pub organisation: Option<String>,
    pub notes: Option<String>,
    /// Answers to the event's own questions, by question.
    pub answers: BTreeMap<String, String>,
    /// The language mails are written in.
    pub language: String,
    pub status: RegistrationStatus,
    pub registered_at: DateTime<Utc>,
    pub email_confirmed_at: Option<DateTime<Utc>>,
    pub seat_held_until: Option<DateTime<Utc>>,
    pub waitlist_position: Option<u32>,
    pub checked_in_at: Option<DateTime<Utc>>,
    /// The check-in code of the ticket (`K7QX3-MPD9R`).
    #[serde(default)]
    pub ticket_code: String,
}

/// Who changed a registration: the person, an organizer, or convene itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangedBy {
    You,
    Organizer,
    System,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonalHistory {
    pub at: DateTime<Utc>,
    /// The action as the audit log stores it (`registered`, `confirmed_email`, ...).
    pub action: String,
    pub by: ChangedBy,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonalTopic {
    pub title: String,
    pub description: String,
    /// The name shown with it on the public board.
    pub shown_as: String,
    pub status: TopicStatus,
    pub proposed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonalMail {
    /// What the mail was about (`confirm_email`, `reminder`, ...).
    pub kind: String,
    pub subject: String,
    /// `pending`, `sending`, `sent` or `failed`.
    pub status: String,
    pub queued_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}
