//! The topic collection of a hackathon: who may propose, edit and vote, how proposals are
//! validated, how the board is ordered, and what merging one topic into another means. The
//! store applies these rules inside the event's write transaction.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::form::{Field, FieldError, Problem, optional_multiline, required_text};

/// Where a topic stands.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TopicStatus {
    /// Open for votes; its proposer may still edit or withdraw it.
    Proposed,
    /// On the agenda (organizers decide); still takes votes, no longer editable.
    Accepted,
    /// A duplicate: its votes joined the topic it was merged into.
    Merged,
    /// Taken off the board by an organizer, with a reason.
    Hidden,
}

impl TopicStatus {
    pub const ALL: [TopicStatus; 4] = [
        TopicStatus::Proposed,
        TopicStatus::Accepted,
        TopicStatus::Merged,
        TopicStatus::Hidden,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TopicStatus::Proposed => "proposed",
            TopicStatus::Accepted => "accepted",
            TopicStatus::Merged => "merged",
            TopicStatus::Hidden => "hidden",
        }
    }

    /// Proposed and accepted topics take votes; merged and hidden ones do not.
    pub fn takes_votes(self) -> bool {
        matches!(self, TopicStatus::Proposed | TopicStatus::Accepted)
    }

    /// The board's groups, in the order they are shown.
    fn group(self) -> u8 {
        match self {
            TopicStatus::Accepted => 0,
            TopicStatus::Proposed => 1,
            TopicStatus::Merged => 2,
            TopicStatus::Hidden => 3,
        }
    }
}

impl FromStr for TopicStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TopicStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| format!("unknown topic status {s:?}"))
    }
}

impl fmt::Display for TopicStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How an event collects topics (`None` on the event: it does not).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TopicSettings {
    /// At most this many topics per registration; `None` is no limit.
    pub per_person: Option<u32>,
    /// New proposals are refused from then on; votes stay open.
    pub proposals_close_at: Option<DateTime<Utc>>,
}

impl TopicSettings {
    /// Whether a registration that already proposed `proposed` topics may propose another.
    /// Proposals close at `proposals_close_at`, and at the latest when the event ends.
    pub fn check_proposal(
        &self,
        now: DateTime<Utc>,
        event_ends_at: DateTime<Utc>,
        proposed: u32,
    ) -> Result<(), TopicRefusal> {
        if now >= event_ends_at || self.proposals_close_at.is_some_and(|closes| now >= closes) {
            return Err(TopicRefusal::ProposalsClosed);
        }
        match self.per_person {
            Some(limit) if proposed >= limit => Err(TopicRefusal::LimitReached(limit)),
            _ => Ok(()),
        }
    }
}

/// Why a topic action did nothing: the topic flows' one error, shown by the pages (the board,
/// the edit form, the organizers' moderation) and mapped to HTTP by the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum TopicError {
    #[error("This event does not collect topics.")]
    NotCollecting,
    #[error("This link is not valid. It may be mistyped, or a newer mail replaced it.")]
    UnknownLink,
    #[error("Your registration is cancelled or expired, so you can no longer take part here.")]
    Inactive,
    #[error("There is no such topic at this event.")]
    UnknownTopic,
    #[error("Some fields need your attention.")]
    Invalid(Vec<FieldError>),
    #[error("{0}")]
    Refused(TopicRefusal),
    #[error("Too many proposals in a short time. Please wait a few minutes and try again.")]
    RateLimited,
    /// Too many changes wait for this event right now; try again in a few seconds.
    #[error("Many people are doing this right now. Please try again in a few seconds.")]
    Busy,
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
}

impl From<TopicRefusal> for TopicError {
    fn from(refusal: TopicRefusal) -> Self {
        TopicError::Refused(refusal)
    }
}

impl TopicError {
    /// The problems of the form's fields, when that is what went wrong.
    pub fn field_errors(&self) -> Vec<FieldError> {
        match self {
            TopicError::Invalid(errors) => errors.clone(),
            _ => Vec::new(),
        }
    }
}

/// Why a topic action was refused, although the request itself was well-formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum TopicRefusal {
    #[error("Proposals for this event are closed.")]
    ProposalsClosed,
    #[error("You have proposed the most topics allowed ({0}).")]
    LimitReached(u32),
    #[error("This topic no longer takes votes: it is {0}.")]
    NotVotable(TopicStatus),
    #[error("You already voted for this topic.")]
    AlreadyVoted,
    #[error("You have not voted for this topic.")]
    NotVoted,
    #[error("Only the person who proposed this topic can change it.")]
    NotYours,
    #[error("This topic is {0}; it can no longer be changed.")]
    Locked(TopicStatus),
    #[error("A topic cannot be merged into itself.")]
    MergeIntoItself,
    #[error("Topics can only be merged into a proposed or accepted topic of the same event.")]
    MergeTarget,
}

/// The parts of a topic the rules look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TopicState {
    pub id: i64,
    pub event_id: i64,
    pub status: TopicStatus,
    /// The registration that proposed it (`None` for topics an organizer entered).
    pub proposer: Option<i64>,
}

impl TopicState {
    /// A vote (or withdrawing one) needs a topic that takes votes.
    pub fn check_vote(&self) -> Result<(), TopicRefusal> {
        if self.status.takes_votes() {
            Ok(())
        } else {
            Err(TopicRefusal::NotVotable(self.status))
        }
    }

    /// Only the proposer edits or withdraws, and only until an organizer acts on the topic.
    pub fn check_change_by(&self, registration_id: i64) -> Result<(), TopicRefusal> {
        if self.proposer != Some(registration_id) {
            Err(TopicRefusal::NotYours)
        } else if self.status != TopicStatus::Proposed {
            Err(TopicRefusal::Locked(self.status))
        } else {
            Ok(())
        }
    }

    /// Whether this topic may be merged into `target`.
    pub fn check_merge_into(&self, target: &TopicState) -> Result<(), TopicRefusal> {
        if self.id == target.id {
            Err(TopicRefusal::MergeIntoItself)
        } else if self.status == TopicStatus::Merged {
            Err(TopicRefusal::Locked(self.status))
        } else if target.event_id != self.event_id || !target.status.takes_votes() {
            Err(TopicRefusal::MergeTarget)
        } else {
            Ok(())
        }
    }
}

/// What the board sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoardKey {
    pub id: i64,
    pub status: TopicStatus,
    pub votes: u32,
    pub created_at: DateTime<Utc>,
    /// The organizers' order of accepted topics on the agenda.
    pub agenda_position: Option<i64>,
}

/// The board's order: accepted topics first, in agenda order (then by votes); then proposed ones
/// by votes, older first on a tie; merged and hidden ones last.
pub fn board_order(a: &BoardKey, b: &BoardKey) -> Ordering {
    let agenda = |k: &BoardKey| match k.status {
        TopicStatus::Accepted => (k.agenda_position.is_none(), k.agenda_position),
        _ => (true, None),
    };
    a.status
        .group()
        .cmp(&b.status.group())
        .then_with(|| agenda(a).cmp(&agenda(b)))
        .then_with(|| b.votes.cmp(&a.votes))
        .then_with(|| a.created_at.cmp(&b.created_at))
        .then_with(|| a.id.cmp(&b.id))
}

/// The most topics an order sent back with a vote may name; more are ignored.
pub const SEEN_ORDER_MAX: usize = 1000;

/// The order of a board as sent with a vote (`order=3,1,2`): topic ids as the visitor saw them.
/// Only a hint for showing the board, so what is not an id is skipped.
pub fn parse_order(text: &str) -> Vec<i64> {
    text.split(',')
        .filter_map(|id| id.trim().parse().ok())
        .take(SEEN_ORDER_MAX)
        .collect()
}

/// `ids` as [`parse_order`] reads them.
pub fn order_text(ids: impl IntoIterator<Item = i64>) -> String {
    ids.into_iter()
        .map(|id| id.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// Puts `items` (in board order) into the order the visitor saw (`seen`) before their vote, so
/// that the topic they just voted on stays under their finger; items they had not seen (new
/// since) follow in board order. The board order returns when the board is opened afresh.
pub fn keep_seen_order<T>(items: &mut [T], seen: &[i64], id: impl Fn(&T) -> i64) {
    items.sort_by_key(|item| {
        let id = id(item);
        seen.iter().position(|s| *s == id).unwrap_or(usize::MAX)
    });
}

pub const TITLE_MIN: usize = 3;
pub const TITLE_MAX: usize = 120;
pub const DESCRIPTION_MAX: usize = 5000;
pub const SHOWN_AS_MAX: usize = 60;
pub const HIDE_REASON_MAX: usize = 200;

/// A proposal (or an edit of one) as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopicForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// The name shown with the topic; the registration's name when empty.
    #[serde(default)]
    pub shown_as: String,
}

/// The name a topic shows unless its proposer chooses another: the first word of the name
/// they registered with, so a public board does not carry full names by default.
pub fn first_name(full_name: &str) -> &str {
    full_name.split_whitespace().next().unwrap_or("")
}

/// A proposal that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidTopic {
    pub title: String,
    /// Markdown; rendered safely when shown.
    pub description: String,
    pub shown_as: String,
}

impl TopicForm {
    /// Checks every field; when `shown_as` is left empty, the first name of `full_name` is shown.
    pub fn validate(&self, full_name: &str) -> Result<ValidTopic, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut fail = |field: Field, problem: Problem| errors.push(FieldError { field, problem });
        let title = required_text(&self.title, TITLE_MAX)
            .and_then(|t| {
                if t.chars().count() < TITLE_MIN {
                    Err(Problem::TooShort(TITLE_MIN))
                } else {
                    Ok(t)
                }
            })
            .map_err(|p| fail(Field::Title, p));
        let description = optional_multiline(Some(&self.description), DESCRIPTION_MAX)
            .map_err(|p| fail(Field::Description, p));
        let shown_as = if self.shown_as.trim().is_empty() {
            required_text(first_name(full_name), SHOWN_AS_MAX)
        } else {
            required_text(&self.shown_as, SHOWN_AS_MAX)
        }
        .map_err(|p| fail(Field::ShownAs, p));
        match (title, description, shown_as) {
            (Ok(title), Ok(description), Ok(shown_as)) => Ok(ValidTopic {
                title,
                description: description.unwrap_or_default(),
                shown_as,
            }),
            _ => Err(errors),
        }
    }
}

/// An organizer's reason for hiding a topic: required, one line.
pub fn validate_hide_reason(reason: &str) -> Result<String, FieldError> {
    required_text(reason, HIDE_REASON_MAX).map_err(|problem| FieldError {
        field: Field::Reason,
        problem,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 1, 10, minute, 0).unwrap()
    }

    fn key(id: i64, status: TopicStatus, votes: u32, minute: u32) -> BoardKey {
        BoardKey {
            id,
            status,
            votes,
            created_at: at(minute),
            agenda_position: None,
        }
    }

    fn ordered(mut keys: Vec<BoardKey>) -> Vec<i64> {
        keys.sort_by(board_order);
        keys.iter().map(|k| k.id).collect()
    }

    #[test]
    fn an_order_sent_back_is_read_leniently_and_written_the_same_way() {
        assert_eq!(parse_order("3,1, 2"), vec![3, 1, 2]);
        assert_eq!(
            parse_order("3,x,,-1,9999999999999999999999,4"),
            vec![3, -1, 4]
        );
        assert_eq!(parse_order(""), Vec::<i64>::new());
        assert_eq!(order_text([3, 1, 2]), "3,1,2");
        assert_eq!(parse_order(&order_text([7, 8])), vec![7, 8]);
        let long = order_text(0..5000);
        assert_eq!(parse_order(&long).len(), SEEN_ORDER_MAX);
    }

    #[test]
    fn the_seen_order_wins_and_new_topics_follow_in_board_order() {
        // Board order now: 2 (just got a vote), 1, 5 (new), 3, 6 (new).
        let mut items = vec![2, 1, 5, 3, 6];
        keep_seen_order(&mut items, &[1, 3, 2], |id| *id);
        assert_eq!(items, vec![1, 3, 2, 5, 6]);
        let mut unchanged = vec![2, 1, 3];
        keep_seen_order(&mut unchanged, &[], |id| *id);
        assert_eq!(unchanged, vec![2, 1, 3], "nothing seen: the board order");
    }

    #[test]
    fn proposed_topics_sort_by_votes_then_age() {
        let keys = vec![
            key(1, TopicStatus::Proposed, 2, 0),
            key(2, TopicStatus::Proposed, 5, 3),
            key(3, TopicStatus::Proposed, 2, 1),
            key(4, TopicStatus::Proposed, 5, 2),
            key(5, TopicStatus::Proposed, 0, 0),
        ];
        assert_eq!(ordered(keys), [4, 2, 1, 3, 5]);
    }

    #[test]
    fn accepted_first_in_agenda_order_then_proposed_then_merged_and_hidden() {
        let mut first = key(10, TopicStatus::Accepted, 0, 9);
        first.agenda_position = Some(1);
        let mut second = key(11, TopicStatus::Accepted, 9, 0);
        second.agenda_position = Some(2);
        let unplaced = key(12, TopicStatus::Accepted, 20, 0);
        let keys = vec![
            key(1, TopicStatus::Hidden, 50, 0),
            key(2, TopicStatus::Merged, 40, 0),
            key(3, TopicStatus::Proposed, 30, 0),
            unplaced,
            second,
            first,
        ];
        assert_eq!(ordered(keys), [10, 11, 12, 3, 2, 1]);
    }

    #[test]
    fn equal_topics_keep_a_stable_order_by_id() {
        let keys = vec![
            key(2, TopicStatus::Proposed, 1, 0),
            key(1, TopicStatus::Proposed, 1, 0),
        ];
        assert_eq!(ordered(keys), [1, 2]);
    }

    fn topic(id: i64, status: TopicStatus) -> TopicState {
        TopicState {
            id,
            event_id: 1,
            status,
            proposer: Some(100),
        }
    }

    #[test]
    fn merge_targets_must_take_votes_and_belong_to_the_event() {
        let source = topic(1, TopicStatus::Proposed);
        assert_eq!(
            source.check_merge_into(&topic(2, TopicStatus::Proposed)),
            Ok(())
        );
        assert_eq!(
            source.check_merge_into(&topic(2, TopicStatus::Accepted)),
            Ok(())
        );
        assert_eq!(
            source.check_merge_into(&source),
            Err(TopicRefusal::MergeIntoItself)
        );
        for status in [TopicStatus::Merged, TopicStatus::Hidden] {
            assert_eq!(
                source.check_merge_into(&topic(2, status)),
                Err(TopicRefusal::MergeTarget)
            );
        }
        let elsewhere = TopicState {
            event_id: 2,
            ..topic(2, TopicStatus::Proposed)
        };
        assert_eq!(
            source.check_merge_into(&elsewhere),
            Err(TopicRefusal::MergeTarget)
        );
        assert_eq!(
            topic(1, TopicStatus::Merged).check_merge_into(&topic(2, TopicStatus::Proposed)),
            Err(TopicRefusal::Locked(TopicStatus::Merged))
        );
    }

    #[test]
    fn only_proposed_and_accepted_topics_take_votes() {
        assert_eq!(topic(1, TopicStatus::Proposed).check_vote(), Ok(()));
        assert_eq!(topic(1, TopicStatus::Accepted).check_vote(), Ok(()));
        for status in [TopicStatus::Merged, TopicStatus::Hidden] {
            assert_eq!(
                topic(1, status).check_vote(),
                Err(TopicRefusal::NotVotable(status))
            );
        }
    }

    #[test]
    fn only_the_proposer_changes_a_topic_until_it_is_accepted() {
        assert_eq!(topic(1, TopicStatus::Proposed).check_change_by(100), Ok(()));
        assert_eq!(
            topic(1, TopicStatus::Proposed).check_change_by(101),
            Err(TopicRefusal::NotYours)
        );
        assert_eq!(
            topic(1, TopicStatus::Accepted).check_change_by(100),
            Err(TopicRefusal::Locked(TopicStatus::Accepted))
        );
        let organizers = TopicState {
            proposer: None,
            ..topic(1, TopicStatus::Proposed)
        };
        assert_eq!(organizers.check_change_by(100), Err(TopicRefusal::NotYours));
    }

    #[test]
    fn proposals_respect_the_cap_and_the_closing_date() {
        let open = TopicSettings::default();
        assert_eq!(open.check_proposal(at(0), at(59), 1000), Ok(()));
        let capped = TopicSettings {
            per_person: Some(2),
            proposals_close_at: Some(at(30)),
        };
        assert_eq!(capped.check_proposal(at(0), at(59), 1), Ok(()));
        assert_eq!(
            capped.check_proposal(at(0), at(59), 2),
            Err(TopicRefusal::LimitReached(2))
        );
        assert_eq!(
            capped.check_proposal(at(30), at(59), 0),
            Err(TopicRefusal::ProposalsClosed)
        );
        assert_eq!(
            open.check_proposal(at(59), at(59), 0),
            Err(TopicRefusal::ProposalsClosed),
            "no proposals once the event is over"
        );
    }

    fn problems(form: &TopicForm) -> Vec<(String, Problem)> {
        match form.validate("Ada Lovelace") {
            Ok(valid) => panic!("expected problems, got {valid:?}"),
            Err(errors) => errors
                .into_iter()
                .map(|e| (e.field.key(), e.problem))
                .collect(),
        }
    }

    #[test]
    fn a_valid_topic_is_trimmed_and_shown_under_the_registrations_first_name_by_default() {
        let form = TopicForm {
            title: "  Sovereign IAM  ".into(),
            description: "Keycloak **federation**\n\n- one\n".into(),
            shown_as: "   ".into(),
        };
        let valid = form.validate("Ada Lovelace").unwrap();
        assert_eq!(valid.title, "Sovereign IAM");
        assert_eq!(valid.description, "Keycloak **federation**\n\n- one");
        assert_eq!(
            valid.shown_as, "Ada",
            "no full name on a public board unless chosen"
        );
        let named = TopicForm {
            shown_as: " Ada Lovelace ".into(),
            ..form
        };
        assert_eq!(
            named.validate("Ada Lovelace").unwrap().shown_as,
            "Ada Lovelace"
        );
        assert_eq!(first_name("  Ada   King Lovelace "), "Ada");
    }

    #[test]
    fn title_length_is_checked_in_characters() {
        let short = TopicForm {
            title: "ab".into(),
            ..TopicForm::default()
        };
        assert_eq!(
            problems(&short),
            [("title".into(), Problem::TooShort(TITLE_MIN))]
        );
        let three = TopicForm {
            title: "äöü".into(),
            ..TopicForm::default()
        };
        assert!(three.validate("x").is_ok());
        let long = TopicForm {
            title: "ä".repeat(TITLE_MAX + 1),
            ..TopicForm::default()
        };
        assert_eq!(
            problems(&long),
            [("title".into(), Problem::TooLong(TITLE_MAX))]
        );
        assert!(
            TopicForm {
                title: "ä".repeat(TITLE_MAX),
                ..TopicForm::default()
            }
            .validate("x")
            .is_ok()
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let form = TopicForm {
            title: " ".into(),
            description: "x".repeat(DESCRIPTION_MAX + 1),
            shown_as: "a\u{7}b".into(),
        };
        assert_eq!(
            problems(&form),
            [
                ("title".into(), Problem::Required),
                ("description".into(), Problem::TooLong(DESCRIPTION_MAX)),
                ("shown_as".into(), Problem::ControlCharacters),
            ]
        );
    }

    #[test]
    fn a_hide_reason_is_required() {
        assert!(validate_hide_reason("  ").is_err());
        assert_eq!(validate_hide_reason(" duplicate ").unwrap(), "duplicate");
    }

    #[test]
    fn statuses_round_trip_through_text() {
        for status in TopicStatus::ALL {
            assert_eq!(status.as_str().parse::<TopicStatus>(), Ok(status));
        }
        assert!("withdrawn".parse::<TopicStatus>().is_err());
    }
}
