//! Registration rules: who gets a seat, who waits, who moves up, and when registration is open.
//! The database enforces them inside one write transaction per event; the decisions are here.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::rate::RateLimit;

/// Where a registration stands (see the state machine in DESIGN.md).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationStatus {
    /// Holds a seat until the e-mail is confirmed or the hold expires.
    PendingEmail,
    /// Holds a seat.
    Confirmed,
    /// Waits, in order of arrival, for a seat.
    Waitlisted,
    /// Was first on the waitlist when a seat came free: holds it until they accept it or the
    /// offer lapses (`hold_expires_at`).
    Offered,
    Cancelled,
    /// The e-mail was not confirmed in time, or an offered seat not accepted in time, or the
    /// waitlist closed: the seat went to someone else, or there is none.
    Expired,
}

impl RegistrationStatus {
    pub const ALL: [RegistrationStatus; 6] = [
        RegistrationStatus::PendingEmail,
        RegistrationStatus::Confirmed,
        RegistrationStatus::Waitlisted,
        RegistrationStatus::Offered,
        RegistrationStatus::Cancelled,
        RegistrationStatus::Expired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RegistrationStatus::PendingEmail => "pending_email",
            RegistrationStatus::Confirmed => "confirmed",
            RegistrationStatus::Waitlisted => "waitlisted",
            RegistrationStatus::Offered => "offered",
            RegistrationStatus::Cancelled => "cancelled",
            RegistrationStatus::Expired => "expired",
        }
    }

    /// Pending, confirmed and offered registrations take a seat.
    pub fn holds_seat(self) -> bool {
        matches!(
            self,
            RegistrationStatus::PendingEmail
                | RegistrationStatus::Confirmed
                | RegistrationStatus::Offered
        )
    }

    /// A seat held until a deadline (`hold_expires_at`): for an unconfirmed address, or offered
    /// from the waitlist.
    pub fn is_held(self) -> bool {
        matches!(
            self,
            RegistrationStatus::PendingEmail | RegistrationStatus::Offered
        )
    }

    /// Still in play: holding a seat or waiting for one.
    pub fn is_active(self) -> bool {
        self.holds_seat() || self == RegistrationStatus::Waitlisted
    }
}

impl FromStr for RegistrationStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RegistrationStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| format!("unknown registration status {s:?}"))
    }
}

impl fmt::Display for RegistrationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How an event takes registrations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationSettings {
    /// Seats in the room; `None` is unlimited.
    pub capacity: Option<u32>,
    /// Whether people can wait for a seat when the room is full.
    pub waitlist: bool,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    /// How long a seat is held for an unconfirmed address.
    pub confirmation_window: Duration,
    /// How a seat freed for the waitlist reaches the first person waiting: given at once
    /// (`None`), or offered to them for this long, then to the next (as pretix does).
    pub offer_window: Option<Duration>,
    /// After this instant nobody moves up from the waitlist any more (and nobody new joins it).
    pub last_promotion_at: Option<DateTime<Utc>>,
}

/// Whether registration is possible at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    NotYetOpen(DateTime<Utc>),
    Open,
    Closed,
}

impl RegistrationSettings {
    /// Whether people still move up from the waitlist at `now` (and may join it, if the event
    /// keeps one).
    pub fn waitlist_moves(&self, now: DateTime<Utc>) -> bool {
        self.last_promotion_at.is_none_or(|last| now < last)
    }

    /// Where a person moving up from the waitlist at `now` stands: confirmed at once, or offered
    /// the seat until the returned instant.
    pub fn promotion(&self, now: DateTime<Utc>) -> (RegistrationStatus, Option<DateTime<Utc>>) {
        match self.offer_window {
            Some(window) => (RegistrationStatus::Offered, Some(now + window)),
            None => (RegistrationStatus::Confirmed, None),
        }
    }

    /// Registration is open from `opens_at` until `closes_at`, and never after the event ended.
    pub fn window(&self, now: DateTime<Utc>, event_ends_at: DateTime<Utc>) -> Window {
        match self.opens_at {
            Some(opens) if now < opens => Window::NotYetOpen(opens),
            _ if self.closes_at.is_some_and(|closes| now >= closes) => Window::Closed,
            _ if now >= event_ends_at => Window::Closed,
            _ => Window::Open,
        }
    }
}

/// What a new registration gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    Seat,
    Waitlist,
    /// Full and no waitlist is kept.
    Refused,
}

/// Seats still free; `None` when capacity is unlimited. Never negative: when capacity was
/// lowered below the seats taken, no seat is free.
pub fn free_seats(capacity: Option<u32>, seats_taken: u32) -> Option<u32> {
    capacity.map(|c| c.saturating_sub(seats_taken))
}

/// Decides a new registration's place at `now`. People already waiting go first: a newcomer
/// gets a seat only when one is free after the waitlist has been served. Once the waitlist no
/// longer moves (its last promotion passed), nobody new joins it.
pub fn admit(
    settings: &RegistrationSettings,
    seats_taken: u32,
    waitlisted: u32,
    now: DateTime<Utc>,
) -> Admission {
    let seat_free = match free_seats(settings.capacity, seats_taken) {
        None => true,
        Some(free) => free > waitlisted,
    };
    if seat_free {
        Admission::Seat
    } else if settings.waitlist && settings.waitlist_moves(now) {
        Admission::Waitlist
    } else {
        Admission::Refused
    }
}

/// How many people at the head of the waitlist move up now that `seats_taken` seats are held.
pub fn promotions(capacity: Option<u32>, seats_taken: u32, waitlisted: u32) -> u32 {
    free_seats(capacity, seats_taken).map_or(waitlisted, |free| free.min(waitlisted))
}

/// How many people hold a seat beyond capacity (after capacity was lowered).
pub fn over_capacity(capacity: Option<u32>, seats_taken: u32) -> u32 {
    capacity.map_or(0, |c| seats_taken.saturating_sub(c))
}

/// How often people may register: per client address and per e-mail address (`None`: no limit),
/// and how often a registered address may be mailed its link again (`None`: at every request).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegistrationLimits {
    pub per_client: Option<RateLimit>,
    pub per_email: Option<RateLimit>,
    pub resend_interval: Option<Duration>,
}

/// The window the registration limits count in.
pub const REGISTRATION_LIMIT_WINDOW: Duration = Duration::minutes(10);

impl RegistrationLimits {
    /// A whole company behind one address still registers for a community hackathon; one
    /// person's address is not mailed more than a few times.
    pub const DEFAULT: RegistrationLimits = RegistrationLimits {
        per_client: Some(RateLimit {
            limit: 30,
            window: REGISTRATION_LIMIT_WINDOW,
        }),
        per_email: Some(RateLimit {
            limit: 5,
            window: REGISTRATION_LIMIT_WINDOW,
        }),
        resend_interval: Some(Duration::minutes(10)),
    };

    /// No limits (benchmarks, tests that register hundreds of people from one address).
    pub const OFF: RegistrationLimits = RegistrationLimits {
        per_client: None,
        per_email: None,
        resend_interval: None,
    };

    /// Whether a person already registered gets a new link now, when the last one was resent at
    /// `last_resent`: at most one resend per interval, so repeating the form cannot flood an
    /// address with mail or keep killing its link.
    pub fn may_resend_link(&self, last_resent: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
        match (self.resend_interval, last_resent) {
            (Some(interval), Some(at)) => now - at >= interval,
            _ => true,
        }
    }
}

impl Default for RegistrationLimits {
    fn default() -> Self {
        RegistrationLimits::DEFAULT
    }
}

/// Why a registration was not taken: the registration flow's one error. The pages say it in the
/// reader's language (`app/src/text.rs`), the server gives it one HTTP status and API code
/// (`server/src/errors.rs`); `Internal` carries nothing to the client (its cause is logged where
/// it happened).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum RegisterError {
    #[error("There is no event with this address.")]
    UnknownEvent,
    #[error("This event does not take registrations.")]
    NotOffered,
    #[error(
        "Registration opens on {}.",
        crate::time::format_instant(*opens_at, *time_zone, crate::Lang::En)
    )]
    NotYetOpen {
        opens_at: DateTime<Utc>,
        time_zone: chrono_tz::Tz,
    },
    #[error("Registration for this event is closed.")]
    Closed,
    #[error("Some fields need your attention.")]
    Invalid(Vec<crate::FieldError>),
    #[error("The event is full and keeps no waitlist.")]
    Full,
    #[error(
        "This e-mail address is already registered for this event. We have sent a new link to it."
    )]
    AlreadyRegistered,
    /// Too many registrations from this client address or for this e-mail address; the next is
    /// taken after `retry_after` seconds.
    #[error("Too many registrations in a short time. Please wait a few minutes and try again.")]
    RateLimited { retry_after: u64 },
    /// Too many changes wait for this event right now; try again in a few seconds.
    #[error("Many people are doing this right now. Please try again in a few seconds.")]
    Busy,
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
}

impl RegisterError {
    /// A short name for metrics and logs.
    pub fn outcome(&self) -> &'static str {
        match self {
            RegisterError::UnknownEvent => "unknown_event",
            RegisterError::NotOffered => "not_offered",
            RegisterError::NotYetOpen { .. } => "not_yet_open",
            RegisterError::Closed => "closed",
            RegisterError::Invalid(_) => "invalid",
            RegisterError::Full => "full",
            RegisterError::AlreadyRegistered => "already_registered",
            RegisterError::RateLimited { .. } => "rate_limited",
            RegisterError::Busy => "busy",
            RegisterError::Internal => "internal_error",
        }
    }
}

/// Why a registration's secret link did nothing: the link flows' one error (confirm, cancel,
/// and finding the registration behind a link).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum LinkError {
    #[error("This link is not valid. It may be mistyped, or a newer mail replaced it.")]
    Unknown,
    #[error("Your e-mail address is already confirmed.")]
    AlreadyConfirmed,
    #[error("This registration is cancelled.")]
    Cancelled,
    #[error("This seat hold has expired; the seat went to the next person.")]
    Expired,
    /// Too many changes wait for this event right now; try again in a few seconds.
    #[error("Many people are doing this right now. Please try again in a few seconds.")]
    Busy,
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
}

/// Why correcting one's details through the secret link did nothing: the link, or the fields
/// (each with its problem, as at registration).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum CorrectionError {
    #[error(transparent)]
    Link(#[from] LinkError),
    #[error("Some fields need your attention.")]
    Invalid(Vec<crate::FieldError>),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(capacity: Option<u32>, waitlist: bool) -> RegistrationSettings {
        RegistrationSettings {
            capacity,
            waitlist,
            opens_at: None,
            closes_at: None,
            confirmation_window: Duration::hours(48),
            offer_window: None,
            last_promotion_at: None,
        }
    }

    fn t(hours: i64) -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH + Duration::hours(hours)
    }

    #[test]
    fn seats_people_until_the_room_is_full_then_waitlists_them() {
        let s = settings(Some(2), true);
        assert_eq!(admit(&s, 0, 0, t(0)), Admission::Seat);
        assert_eq!(admit(&s, 1, 0, t(0)), Admission::Seat);
        assert_eq!(admit(&s, 2, 0, t(0)), Admission::Waitlist);
        assert_eq!(admit(&s, 2, 5, t(0)), Admission::Waitlist);
    }

    #[test]
    fn refuses_when_full_without_a_waitlist() {
        assert_eq!(
            admit(&settings(Some(1), false), 1, 0, t(0)),
            Admission::Refused
        );
    }

    #[test]
    fn unlimited_capacity_always_seats() {
        assert_eq!(
            admit(&settings(None, true), 10_000, 0, t(0)),
            Admission::Seat
        );
    }

    #[test]
    fn newcomer_does_not_overtake_people_already_waiting() {
        // One seat is free but two people wait: they are served first.
        assert_eq!(
            admit(&settings(Some(5), true), 4, 2, t(0)),
            Admission::Waitlist
        );
        assert_eq!(admit(&settings(Some(5), true), 2, 2, t(0)), Admission::Seat);
    }

    #[test]
    fn after_the_last_promotion_the_waitlist_neither_moves_nor_grows() {
        let mut s = settings(Some(1), true);
        s.last_promotion_at = Some(t(10));
        assert!(s.waitlist_moves(t(9)));
        assert_eq!(admit(&s, 1, 0, t(9)), Admission::Waitlist);
        assert!(!s.waitlist_moves(t(10)));
        assert_eq!(admit(&s, 1, 0, t(10)), Admission::Refused);
        // A seat that is free is still taken.
        assert_eq!(admit(&s, 0, 0, t(10)), Admission::Seat);
    }

    #[test]
    fn a_freed_seat_is_given_or_offered_for_the_events_window() {
        let mut s = settings(Some(1), true);
        assert_eq!(s.promotion(t(0)), (RegistrationStatus::Confirmed, None));
        s.offer_window = Some(Duration::hours(24));
        assert_eq!(
            s.promotion(t(1)),
            (RegistrationStatus::Offered, Some(t(25)))
        );
    }

    #[test]
    fn lowered_capacity_frees_no_seat_and_counts_the_excess() {
        assert_eq!(free_seats(Some(3), 5), Some(0));
        assert_eq!(over_capacity(Some(3), 5), 2);
        assert_eq!(over_capacity(None, 5), 0);
        assert_eq!(
            admit(&settings(Some(3), true), 5, 0, t(0)),
            Admission::Waitlist
        );
        assert_eq!(promotions(Some(3), 5, 4), 0);
    }

    #[test]
    fn promotes_as_many_as_seats_are_free() {
        assert_eq!(promotions(Some(40), 39, 10), 1);
        assert_eq!(promotions(Some(40), 30, 4), 4);
        assert_eq!(promotions(Some(40), 40, 4), 0);
        assert_eq!(promotions(None, 40, 4), 4);
    }

    #[test]
    fn only_pending_confirmed_and_offered_hold_seats() {
        let holding: Vec<_> = RegistrationStatus::ALL
            .into_iter()
            .filter(|s| s.holds_seat())
            .collect();
        assert_eq!(
            holding,
            [
                RegistrationStatus::PendingEmail,
                RegistrationStatus::Confirmed,
                RegistrationStatus::Offered
            ]
        );
        assert!(RegistrationStatus::Offered.is_active() && RegistrationStatus::Offered.is_held());
        assert!(!RegistrationStatus::Confirmed.is_held());
        assert!(RegistrationStatus::Waitlisted.is_active());
        assert!(!RegistrationStatus::Cancelled.is_active());
        for status in RegistrationStatus::ALL {
            assert_eq!(status.as_str().parse(), Ok(status));
        }
    }

    #[test]
    fn window_opens_closes_and_ends_with_the_event() {
        let mut s = settings(Some(1), true);
        s.opens_at = Some(t(10));
        s.closes_at = Some(t(20));
        assert_eq!(s.window(t(5), t(100)), Window::NotYetOpen(t(10)));
        assert_eq!(s.window(t(10), t(100)), Window::Open);
        assert_eq!(s.window(t(20), t(100)), Window::Closed);
        let open_ended = settings(None, true);
        assert_eq!(open_ended.window(t(99), t(100)), Window::Open);
        assert_eq!(open_ended.window(t(100), t(100)), Window::Closed);
    }

    #[test]
    fn a_registered_address_gets_one_new_link_per_interval() {
        let t = |m: i64| DateTime::<Utc>::UNIX_EPOCH + Duration::minutes(m);
        let limits = RegistrationLimits::DEFAULT;
        assert!(limits.may_resend_link(None, t(0)), "the first resend");
        assert!(!limits.may_resend_link(Some(t(0)), t(9)));
        assert!(limits.may_resend_link(Some(t(0)), t(10)));
        assert!(RegistrationLimits::OFF.may_resend_link(Some(t(0)), t(0)));
    }
}
