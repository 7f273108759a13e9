//! The message at the top of a page after an action. A redirect carries one in its query
//! (`?notice=capacity&count=3`): [`Notice::to_query`] and [`AdminNotice::to_query`] write it,
//! `from_query` reads it back, one table each way, so no page spells the words by hand.
//! Refusals are never put into a URL: they are shown by the response that refused.

use serde::{Deserialize, Serialize};

/// A message at the top of a page after an action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Notice {
    Confirmed,
    Cancelled,
    /// The person's corrections are saved.
    Corrected,
    /// Saved, and the new address must be confirmed from the mail sent to it.
    AddressRequested,
    Link(domain::LinkError),
    Topic(TopicNotice),
}

/// What a topic action did, or why it did nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TopicNotice {
    Proposed,
    Edited,
    Withdrawn,
    Voted,
    VoteWithdrawn,
    Failed(domain::TopicError),
}

/// What an organizer's action did, or why it did nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AdminNotice {
    CapacitySet {
        promoted: u32,
    },
    /// The whole event was called off; this many people were mailed.
    EventCancelled {
        mailed: u32,
    },
    RegistrationOpened,
    RegistrationClosed,
    OrganizerAdded,
    OrganizerRemoved,
    RoleChanged,
    PasswordChanged,
    WebhookAdded,
    WebhookRemoved,
    WebhookResumed,
    Promoted,
    Cancelled,
    Resent,
    /// The registration with this id arrived (the door list names them).
    CheckedIn {
        person: u32,
    },
    /// The arrival of this registration was taken back.
    CheckInUndone {
        person: u32,
    },
    /// A ticket read on the scan page checked its holder in (the page names them).
    TicketCheckedIn,
    MailRetried,
    SignedOut,
    /// A message went to this many people.
    Broadcast {
        sent: u32,
    },
    /// The message was sent already (a second click), to this many people; nothing more went.
    BroadcastAlreadySent {
        sent: u32,
    },
    EventSaved,
    /// An event saved unpublished is shown to visitors now.
    EventPublished,
    EventDeleted,
    OccurrenceChanged,
    /// A person's data was erased.
    Erased,
    /// The personal data of this many registrations was erased.
    DataErased {
        erased: u32,
    },
    TopicAccepted,
    TopicHidden,
    TopicMerged,
    AgendaOrdered,
    Failed(domain::admin::AdminError),
    /// A moderation the topic rules refused.
    TopicFailed(domain::TopicError),
}

/// What an agenda action did (on a contributor page or the organizers' agenda pages), or why
/// it did nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AgendaNotice {
    ItemAdded,
    ItemEdited,
    ItemRemoved,
    CarriedOver {
        count: u32,
    },
    SectionAdded,
    SectionRemoved,
    SectionMoved,
    /// A new contributor link was made; the page shows it once.
    LinkIssued,
    LinkRevoked,
    ContributorsNamed,
    EntryHidden,
    EntryShown,
    Failed(domain::call::AgendaError),
}

impl AgendaNotice {
    fn word(&self) -> Option<(&'static str, Option<u32>)> {
        Some(match self {
            Self::ItemAdded => ("item_added", None),
            Self::ItemEdited => ("item_edited", None),
            Self::ItemRemoved => ("item_removed", None),
            Self::CarriedOver { count } => ("carried_over", Some(*count)),
            Self::SectionAdded => ("section_added", None),
            Self::SectionRemoved => ("section_removed", None),
            Self::SectionMoved => ("section_moved", None),
            Self::LinkRevoked => ("link_revoked", None),
            Self::ContributorsNamed => ("contributors_named", None),
            Self::EntryHidden => ("entry_hidden", None),
            Self::EntryShown => ("entry_shown", None),
            // The new link is shown by the response that made it, never put into a URL.
            Self::LinkIssued | Self::Failed(_) => return None,
        })
    }

    /// Every notice a redirect can carry, with `count` where it reports one.
    fn carried(count: u32) -> [AgendaNotice; 11] {
        [
            Self::ItemAdded,
            Self::ItemEdited,
            Self::ItemRemoved,
            Self::CarriedOver { count },
            Self::SectionAdded,
            Self::SectionRemoved,
            Self::SectionMoved,
            Self::LinkRevoked,
            Self::ContributorsNamed,
            Self::EntryHidden,
            Self::EntryShown,
        ]
    }

    /// The query of a redirect that shows this notice (empty for one that is never carried).
    pub fn to_query(&self) -> String {
        self.word()
            .map(|(word, count)| query(word, count))
            .unwrap_or_default()
    }

    /// The notice a redirect's `?notice=` (and `count=`) names; `None` for an unknown word.
    pub fn from_query(word: Option<&str>, count: Option<u32>) -> Option<AgendaNotice> {
        let word = word?;
        Self::carried(count.unwrap_or(0))
            .into_iter()
            .find(|notice| notice.word().is_some_and(|(w, _)| w == word))
    }

    /// Whether it reports a problem.
    pub fn is_failure(&self) -> bool {
        matches!(self, Self::Failed(_))
    }
}

/// `notice=word`, with `&count=n` when the notice reports a number.
fn query(word: &str, count: Option<u32>) -> String {
    match count {
        Some(count) => format!("notice={word}&count={count}"),
        None => format!("notice={word}"),
    }
}

impl Notice {
    /// The word a redirect carries for this notice; `None` for refusals.
    fn word(&self) -> Option<&'static str> {
        Some(match self {
            Notice::Confirmed => "confirmed",
            Notice::Cancelled => "cancelled",
            Notice::Corrected => "corrected",
            Notice::AddressRequested => "address_requested",
            Notice::Topic(TopicNotice::Proposed) => "proposed",
            Notice::Topic(TopicNotice::Edited) => "edited",
            Notice::Topic(TopicNotice::Withdrawn) => "withdrawn",
            Notice::Topic(TopicNotice::Voted) => "voted",
            Notice::Topic(TopicNotice::VoteWithdrawn) => "unvoted",
            Notice::Link(_) | Notice::Topic(TopicNotice::Failed(_)) => return None,
        })
    }

    /// Every notice a redirect can carry.
    const CARRIED: [Notice; 9] = [
        Notice::Confirmed,
        Notice::Cancelled,
        Notice::Corrected,
        Notice::AddressRequested,
        Notice::Topic(TopicNotice::Proposed),
        Notice::Topic(TopicNotice::Edited),
        Notice::Topic(TopicNotice::Withdrawn),
        Notice::Topic(TopicNotice::Voted),
        Notice::Topic(TopicNotice::VoteWithdrawn),
    ];

    /// The query of a redirect that shows this notice (empty for a refusal).
    pub fn to_query(&self) -> String {
        self.word()
            .map(|word| query(word, None))
            .unwrap_or_default()
    }

    /// The notice a redirect's `?notice=` names; `None` for an unknown word.
    pub fn from_query(word: Option<&str>) -> Option<Notice> {
        let word = word?;
        Self::CARRIED
            .into_iter()
            .find(|notice| notice.word() == Some(word))
    }
}

impl AdminNotice {
    /// The word a redirect carries for this notice, and the number it reports; `None` for
    /// refusals.
    fn word(&self) -> Option<(&'static str, Option<u32>)> {
        Some(match self {
            Self::CapacitySet { promoted } => ("capacity", Some(*promoted)),
            Self::Broadcast { sent } => ("broadcast", Some(*sent)),
            Self::BroadcastAlreadySent { sent } => ("broadcast_already_sent", Some(*sent)),
            Self::EventCancelled { mailed } => ("event_cancelled", Some(*mailed)),
            Self::DataErased { erased } => ("data_erased", Some(*erased)),
            Self::Erased => ("erased", None),
            Self::RegistrationOpened => ("opened", None),
            Self::RegistrationClosed => ("closed", None),
            Self::EventSaved => ("event_saved", None),
            Self::EventPublished => ("event_published", None),
            Self::EventDeleted => ("event_deleted", None),
            Self::OccurrenceChanged => ("occurrence_changed", None),
            Self::Promoted => ("promoted", None),
            Self::Cancelled => ("cancelled", None),
            Self::Resent => ("resent", None),
            Self::CheckedIn { person } => ("checked_in", Some(*person)),
            Self::CheckInUndone { person } => ("check_in_undone", Some(*person)),
            Self::TicketCheckedIn => ("ticket_checked_in", None),
            Self::MailRetried => ("retried", None),
            Self::SignedOut => ("signed_out", None),
            Self::TopicAccepted => ("topic_accepted", None),
            Self::TopicHidden => ("topic_hidden", None),
            Self::TopicMerged => ("topic_merged", None),
            Self::AgendaOrdered => ("agenda_ordered", None),
            Self::OrganizerAdded => ("organizer_added", None),
            Self::OrganizerRemoved => ("organizer_removed", None),
            Self::RoleChanged => ("role_changed", None),
            Self::PasswordChanged => ("password_changed", None),
            Self::WebhookAdded => ("webhook_added", None),
            Self::WebhookRemoved => ("webhook_removed", None),
            Self::WebhookResumed => ("webhook_resumed", None),
            Self::Failed(_) | Self::TopicFailed(_) => return None,
        })
    }

    /// Every notice a redirect can carry, with `count` where it reports one.
    fn carried(count: u32) -> [AdminNotice; 31] {
        [
            Self::CapacitySet { promoted: count },
            Self::DataErased { erased: count },
            Self::Erased,
            Self::Broadcast { sent: count },
            Self::BroadcastAlreadySent { sent: count },
            Self::EventCancelled { mailed: count },
            Self::RegistrationOpened,
            Self::RegistrationClosed,
            Self::EventSaved,
            Self::EventPublished,
            Self::EventDeleted,
            Self::OccurrenceChanged,
            Self::Promoted,
            Self::Cancelled,
            Self::Resent,
            Self::CheckedIn { person: count },
            Self::CheckInUndone { person: count },
            Self::TicketCheckedIn,
            Self::MailRetried,
            Self::SignedOut,
            Self::TopicAccepted,
            Self::TopicHidden,
            Self::TopicMerged,
            Self::AgendaOrdered,
            Self::OrganizerAdded,
            Self::OrganizerRemoved,
            Self::RoleChanged,
            Self::PasswordChanged,
            Self::WebhookAdded,
            Self::WebhookRemoved,
            Self::WebhookResumed,
        ]
    }

    /// The query of a redirect that shows this notice (empty for a refusal).
    pub fn to_query(&self) -> String {
        self.word()
            .map(|(word, count)| query(word, count))
            .unwrap_or_default()
    }

    /// The notice a redirect's `?notice=` (and `count=`) names; `None` for an unknown word.
    pub fn from_query(word: Option<&str>, count: Option<u32>) -> Option<AdminNotice> {
        let word = word?;
        Self::carried(count.unwrap_or(0))
            .into_iter()
            .find(|notice| notice.word().is_some_and(|(w, _)| w == word))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Splits `notice=word&count=n` as a page's query map would.
    fn parse(query: &str) -> (Option<String>, Option<u32>) {
        let mut word = None;
        let mut count = None;
        for pair in query.split('&') {
            match pair.split_once('=') {
                Some(("notice", value)) => word = Some(value.to_owned()),
                Some(("count", value)) => count = value.parse().ok(),
                _ => panic!("unexpected pair {pair:?} in {query:?}"),
            }
        }
        (word, count)
    }

    #[test]
    fn every_carried_notice_reads_back_as_itself() {
        for notice in Notice::CARRIED {
            let (word, _) = parse(&notice.to_query());
            assert_eq!(Notice::from_query(word.as_deref()), Some(notice));
        }
        for notice in AgendaNotice::carried(7) {
            let (word, count) = parse(&notice.to_query());
            assert_eq!(
                AgendaNotice::from_query(word.as_deref(), count),
                Some(notice)
            );
        }
        for notice in AdminNotice::carried(7) {
            let (word, count) = parse(&notice.to_query());
            assert_eq!(
                AdminNotice::from_query(word.as_deref(), count),
                Some(notice)
            );
        }
    }

    #[test]
    fn counts_and_words_are_written_as_the_pages_read_them() {
        assert_eq!(
            AdminNotice::CapacitySet { promoted: 3 }.to_query(),
            "notice=capacity&count=3"
        );
        assert_eq!(Notice::Confirmed.to_query(), "notice=confirmed");
        assert_eq!(
            Notice::Topic(TopicNotice::VoteWithdrawn).to_query(),
            "notice=unvoted"
        );
    }

    #[test]
    fn refusals_and_unknown_words_stay_out_of_urls() {
        assert_eq!(Notice::Link(domain::LinkError::Expired).to_query(), "");
        assert_eq!(
            AdminNotice::Failed(domain::admin::AdminError::NotFound).to_query(),
            ""
        );
        assert_eq!(Notice::from_query(Some("<script>")), None);
        assert_eq!(AdminNotice::from_query(Some("hacked"), Some(1)), None);
        assert_eq!(AdminNotice::from_query(None, Some(1)), None);
    }
}
