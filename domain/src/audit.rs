//! The audit logs as data: what happened (an action word the compiler checks) and, for an
//! event's settings log, the structured change (capacities, counts, dates), which the admin
//! pages put into words in the reader's language. Rows written before the log was typed keep
//! their English text and are shown as they are.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::admin::Role;

/// What happened to a registration or an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    Registered,
    ConfirmedEmail,
    Cancelled,
    HoldExpired,
    Promoted,
    LinkResent,
    PromotedByOrganizer,
    CancelledByOrganizer,
    LinkResentByOrganizer,
    CheckedIn,
    CheckInUndone,
    Capacity,
    Registration,
    Broadcast,
    EventCreated,
    EventUpdated,
    Occurrence,
    EventCancelled,
    Reminders,
    TopicAccepted,
    TopicHidden,
    TopicMerged,
    AgendaOrdered,
    /// The person erased their registration's personal data (or an organizer did for them).
    Erased,
    ErasedByOrganizer,
    /// The personal data of an event's registrations was erased (retention, or by hand).
    PersonalDataErased,
    /// The person corrected their details (what they were is not kept).
    DetailsCorrected,
    /// The person asked to use another e-mail address (mailed there to confirm).
    AddressChangeRequested,
    /// The new address was confirmed and replaced the old one.
    AddressChanged,
    /// A seat freed for the waitlist was offered to the first person waiting.
    Offered,
    /// The person accepted the seat offered to them.
    OfferAccepted,
    /// The offer was not accepted in time; the seat went on to the next person.
    OfferLapsed,
    /// The waitlist stopped moving (its last promotion passed); the person was told.
    WaitlistClosed,
    /// A section of a community call's agenda was added, moved, removed, or its contributors
    /// changed.
    AgendaSection,
    /// An item of one call's agenda was added, changed, removed or carried over.
    AgendaItem,
    /// An event was left out of (or listed again in) one call's generated section.
    AgendaEntry,
    /// The contributors of a team whose section was still empty were reminded.
    AgendaReminder,
}

impl AuditAction {
    pub const ALL: [AuditAction; 37] = [
        AuditAction::Registered,
        AuditAction::ConfirmedEmail,
        AuditAction::Cancelled,
        AuditAction::HoldExpired,
        AuditAction::Promoted,
        AuditAction::LinkResent,
        AuditAction::PromotedByOrganizer,
        AuditAction::CancelledByOrganizer,
        AuditAction::LinkResentByOrganizer,
        AuditAction::CheckedIn,
        AuditAction::CheckInUndone,
        AuditAction::Capacity,
        AuditAction::Registration,
        AuditAction::Broadcast,
        AuditAction::EventCreated,
        AuditAction::EventUpdated,
        AuditAction::Occurrence,
        AuditAction::EventCancelled,
        AuditAction::Reminders,
        AuditAction::TopicAccepted,
        AuditAction::TopicHidden,
        AuditAction::TopicMerged,
        AuditAction::AgendaOrdered,
        AuditAction::Erased,
        AuditAction::ErasedByOrganizer,
        AuditAction::PersonalDataErased,
        AuditAction::DetailsCorrected,
        AuditAction::AddressChangeRequested,
        AuditAction::AddressChanged,
        AuditAction::Offered,
        AuditAction::OfferAccepted,
        AuditAction::OfferLapsed,
        AuditAction::WaitlistClosed,
        AuditAction::AgendaSection,
        AuditAction::AgendaItem,
        AuditAction::AgendaEntry,
        AuditAction::AgendaReminder,
    ];

    /// The word stored in the log (the same words the log has always used).
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Registered => "registered",
            AuditAction::ConfirmedEmail => "confirmed_email",
            AuditAction::Cancelled => "cancelled",
            AuditAction::HoldExpired => "hold_expired",
            AuditAction::Promoted => "promoted",
            AuditAction::LinkResent => "link_resent",
            AuditAction::PromotedByOrganizer => "promoted_by_organizer",
            AuditAction::CancelledByOrganizer => "cancelled_by_organizer",
            AuditAction::LinkResentByOrganizer => "link_resent_by_organizer",
            AuditAction::CheckedIn => "checked_in",
            AuditAction::CheckInUndone => "check_in_undone",
            AuditAction::Capacity => "capacity",
            AuditAction::Registration => "registration",
            AuditAction::Broadcast => "broadcast",
            AuditAction::EventCreated => "event_created",
            AuditAction::EventUpdated => "event_updated",
            AuditAction::Occurrence => "occurrence",
            AuditAction::EventCancelled => "event_cancelled",
            AuditAction::Reminders => "reminders",
            AuditAction::TopicAccepted => "topic_accepted",
            AuditAction::TopicHidden => "topic_hidden",
            AuditAction::TopicMerged => "topic_merged",
            AuditAction::AgendaOrdered => "agenda_ordered",
            AuditAction::Erased => "erased",
            AuditAction::ErasedByOrganizer => "erased_by_organizer",
            AuditAction::PersonalDataErased => "personal_data_erased",
            AuditAction::DetailsCorrected => "details_corrected",
            AuditAction::AddressChangeRequested => "address_change_requested",
            AuditAction::AddressChanged => "address_changed",
            AuditAction::Offered => "offered",
            AuditAction::OfferAccepted => "offer_accepted",
            AuditAction::OfferLapsed => "offer_lapsed",
            AuditAction::WaitlistClosed => "waitlist_closed",
            AuditAction::AgendaSection => "agenda_section",
            AuditAction::AgendaItem => "agenda_item",
            AuditAction::AgendaEntry => "agenda_entry",
            AuditAction::AgendaReminder => "agenda_reminder",
        }
    }

    /// The action a stored word names; `None` for a word this version does not know.
    pub fn parse(word: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == word)
    }
}

/// An event's settings as the log records them before and after an organizer saved the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventSnapshot {
    pub title: String,
    pub published: bool,
    pub starts_at: DateTime<Utc>,
    /// `None` when the event takes no registrations.
    pub registration: Option<WindowSnapshot>,
}

/// When registration opens and closes (`None`: no limit on that side).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowSnapshot {
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
}

/// What one date of a series became.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OccurrenceChange {
    Cancelled,
    MovedTo(DateTime<Utc>),
    AsPlanned,
    /// Its notes were written, changed or removed.
    Notes,
}

/// Who an organizer's message went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Seated,
    Waiting,
    SeatedAndWaiting,
}

impl Audience {
    pub fn of(seated: bool, waiting: bool) -> Audience {
        match (seated, waiting) {
            (true, true) => Audience::SeatedAndWaiting,
            (true, false) => Audience::Seated,
            _ => Audience::Waiting,
        }
    }
}

/// The change an event's settings log records, as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventChange {
    /// Seats in the room (`None`: unlimited).
    Capacity {
        before: Option<u32>,
        after: Option<u32>,
    },
    /// An organizer gave registration `registration_id` a seat in a full room, adding one.
    SeatAdded {
        before: u32,
        after: u32,
        registration_id: i64,
    },
    /// Registration was opened (or closed) by hand.
    Registration {
        open: bool,
    },
    Saved {
        before: Option<EventSnapshot>,
        after: EventSnapshot,
    },
    Broadcast {
        sent: u32,
        audience: Audience,
        subject: String,
        /// The key the organizer's send button carried (older lines have none).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        key: Option<String>,
    },
    Cancelled {
        mailed: u32,
        message: Option<String>,
    },
    Occurrence {
        date: NaiveDate,
        change: OccurrenceChange,
    },
    Reminders {
        mailed: u32,
    },
    /// A topic accepted, hidden (with the reason) or merged into another.
    Topic {
        topic_id: i64,
        title: String,
        reason: Option<String>,
        merged_into: Option<i64>,
    },
    /// The accepted topics' agenda order, first first.
    AgendaOrdered {
        topics: Vec<i64>,
    },
    /// The personal data of this many registrations was erased, by the retention rule or by an
    /// organizer after the event.
    PersonalDataErased {
        registrations: u32,
        retention: bool,
    },
    /// A section of the series' agenda changed.
    AgendaSection {
        section_id: i64,
        title: String,
        change: SectionChange,
    },
    /// An item of one call changed (`item_id` is the new item's for carried-over ones: the
    /// last of them).
    AgendaItem {
        section_id: i64,
        section: String,
        date: NaiveDate,
        item_id: i64,
        change: ItemChange,
    },
    /// An event left out of one call's generated section, or listed again.
    AgendaEntry {
        date: NaiveDate,
        entry_event_id: i64,
        title: String,
        hidden: bool,
    },
    /// A team's contributors were reminded that its section of a call is still empty.
    AgendaReminder {
        section: String,
        date: NaiveDate,
        mailed: u32,
    },
}

/// What happened to a section of a call agenda.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionChange {
    Added,
    Removed,
    MovedUp,
    MovedDown,
    /// A new contributor link was made (any earlier one stops working).
    LinkIssued,
    LinkRevoked,
    /// This many organizer accounts are now named for it.
    ContributorsNamed(u32),
}

/// What happened to an item of one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemChange {
    Added,
    Edited,
    Removed,
    /// This many items were copied from the call before.
    CarriedOver(u32),
}

/// An organizer looked at personal data: what the access log records (ids only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Access {
    /// The registrations of an event, downloaded as CSV.
    RegistrationsCsv { event_id: i64, registrations: u32 },
    /// One person's page.
    PersonPage { event_id: i64, registration_id: i64 },
    /// The mail log (every recipient and subject).
    MailLog,
}

/// A sign-in, a sign-out or a change to an organizer account (`organizer` is whose): what the
/// account log records, for the admins' audit page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AccountChange {
    SignedIn {
        organizer: i64,
    },
    SignedOut {
        organizer: i64,
    },
    Added {
        organizer: i64,
        role: Role,
    },
    Removed {
        organizer: i64,
    },
    RoleChanged {
        organizer: i64,
        from: Role,
        to: Role,
    },
    PasswordChanged {
        organizer: i64,
    },
}

impl AccountChange {
    /// Whose account it concerns.
    pub fn organizer(&self) -> i64 {
        match self {
            AccountChange::SignedIn { organizer }
            | AccountChange::SignedOut { organizer }
            | AccountChange::Added { organizer, .. }
            | AccountChange::Removed { organizer }
            | AccountChange::RoleChanged { organizer, .. }
            | AccountChange::PasswordChanged { organizer } => *organizer,
        }
    }
}

/// A note on one registration's history beyond its status change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "note", rename_all = "snake_case")]
pub enum RegistrationNote {
    /// The reason an organizer gave.
    Reason { text: String },
    /// An organizer cancelled without mailing the person.
    WithoutMail,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_is_stored_as_its_own_word_and_read_back() {
        let words: std::collections::BTreeSet<&str> =
            AuditAction::ALL.iter().map(|a| a.as_str()).collect();
        assert_eq!(
            words.len(),
            AuditAction::ALL.len(),
            "no two actions share a word"
        );
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
        }
        assert_eq!(AuditAction::parse("renamed_long_ago"), None);
    }

    #[test]
    fn changes_are_stored_as_tagged_json_and_read_back() {
        let change = EventChange::Occurrence {
            date: NaiveDate::from_ymd_opt(2026, 12, 24).expect("date"),
            change: OccurrenceChange::Cancelled,
        };
        let json = serde_json::to_string(&change).expect("json");
        assert_eq!(
            json,
            r#"{"kind":"occurrence","date":"2026-12-24","change":"cancelled"}"#
        );
        assert_eq!(
            serde_json::from_str::<EventChange>(&json).expect("read back"),
            change
        );
        let note = RegistrationNote::Reason {
            text: "VIP".to_owned(),
        };
        let json = serde_json::to_string(&note).expect("json");
        assert_eq!(json, r#"{"note":"reason","text":"VIP"}"#);
        assert_eq!(
            serde_json::from_str::<RegistrationNote>(&json).expect("read back"),
            note
        );
        let change = AccountChange::RoleChanged {
            organizer: 3,
            from: Role::Admin,
            to: Role::Door,
        };
        let json = serde_json::to_string(&change).expect("json");
        assert_eq!(
            json,
            r#"{"kind":"role_changed","organizer":3,"from":"admin","to":"door"}"#
        );
        assert_eq!(
            serde_json::from_str::<AccountChange>(&json).expect("read back"),
            change
        );
    }
}
