//! Tickets: everyone holding a seat has a check-in code, shown as a QR code on their page and in
//! their mails, and read at the door. The code is not the secret manage link: a ticket seen over
//! a shoulder lets nobody cancel or change the registration, only check its holder in.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::RegistrationStatus;

/// The letters a code is made of: Crockford's base 32 (digits and capitals without I, L, O and
/// U), so that a code read aloud or typed from paper has no look-alikes.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// How many letters a code has: 50 random bits.
pub const CODE_LENGTH: usize = 10;

/// The path a ticket's QR code opens (after the site's address): a phone's own camera app takes
/// the door to the scan page of the ticket's event.
pub const TICKET_PATH: &str = "/admin/tickets/";

/// A check-in code, in its canonical form (ten capitals and digits).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TicketCode(String);

impl TicketCode {
    /// A code from ten random bytes (of which each gives five bits).
    pub fn from_random(bytes: [u8; CODE_LENGTH]) -> TicketCode {
        TicketCode(
            bytes
                .iter()
                .map(|b| char::from(ALPHABET[usize::from(b % 32)]))
                .collect(),
        )
    }

    /// What the door typed or scanned: the code in any case, with spaces or dashes, with the
    /// look-alikes O, I and L for 0, 1 and 1, or the whole address of a ticket's QR code.
    /// `None` when it is no code at all.
    pub fn parse(input: &str) -> Option<TicketCode> {
        let input = input.trim();
        let code = match input.rfind(TICKET_PATH) {
            Some(at) => &input[at + TICKET_PATH.len()..],
            None => input,
        };
        let canonical: String = code
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .map(|c| match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            })
            .collect();
        let valid =
            canonical.len() == CODE_LENGTH && canonical.bytes().all(|b| ALPHABET.contains(&b));
        valid.then_some(TicketCode(canonical))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code as people read it: two groups of five (`K7QX3-MPD9R`).
    pub fn grouped(&self) -> String {
        let (first, second) = self.0.split_at(CODE_LENGTH / 2);
        format!("{first}-{second}")
    }

    /// What the QR code holds: the ticket's address on the site at `base_url` (no trailing
    /// slash).
    pub fn url(&self, base_url: &str) -> String {
        format!("{base_url}{TICKET_PATH}{}", self.0)
    }
}

/// Where the holder of a ticket stands for the event being checked in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Holds a seat; arrived at this instant, if they did.
    Seated {
        arrived_at: Option<DateTime<Utc>>,
    },
    Waiting,
    /// Cancelled, or the seat lapsed unconfirmed.
    NoLongerRegistered,
    /// A ticket of another event.
    OtherEvent,
    /// No ticket has this code.
    Unknown,
}

impl Standing {
    /// The standing of a registration in `status` for the event being checked in.
    pub fn of(status: RegistrationStatus, arrived_at: Option<DateTime<Utc>>) -> Standing {
        match status {
            status if status.holds_seat() => Standing::Seated { arrived_at },
            RegistrationStatus::Waitlisted => Standing::Waiting,
            _ => Standing::NoLongerRegistered,
        }
    }
}

/// What the door is told after a ticket was read, in large type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScanResult {
    /// Seated, and checked in by this scan.
    CheckedIn,
    /// Seated, and checked in before, at this instant: scanning again changes nothing.
    AlreadyCheckedIn(DateTime<Utc>),
    Waiting,
    NoLongerRegistered,
    OtherEvent,
    Unknown,
}

impl ScanResult {
    /// What a scan of a ticket standing so does; the door may let the holder in only when
    /// [`ScanResult::lets_in`].
    pub fn of(standing: Standing) -> ScanResult {
        match standing {
            Standing::Seated { arrived_at: None } => ScanResult::CheckedIn,
            Standing::Seated {
                arrived_at: Some(at),
            } => ScanResult::AlreadyCheckedIn(at),
            Standing::Waiting => ScanResult::Waiting,
            Standing::NoLongerRegistered => ScanResult::NoLongerRegistered,
            Standing::OtherEvent => ScanResult::OtherEvent,
            Standing::Unknown => ScanResult::Unknown,
        }
    }

    /// Whether the scan records an arrival (the only result that writes).
    pub fn records_arrival(self) -> bool {
        self == ScanResult::CheckedIn
    }

    /// Whether the holder has a seat (checked in now or before).
    pub fn lets_in(self) -> bool {
        matches!(
            self,
            ScanResult::CheckedIn | ScanResult::AlreadyCheckedIn(_)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn codes_are_ten_letters_of_the_alphabet_without_look_alikes() {
        let code = TicketCode::from_random([0, 1, 31, 32, 255, 8, 18, 21, 27, 100]);
        assert_eq!(code.as_str(), "01Z0Z8JNV4");
        assert_eq!(code.grouped(), "01Z0Z-8JNV4");
        for letter in ['I', 'L', 'O', 'U'] {
            assert!(!ALPHABET.contains(&(letter as u8)));
        }
    }

    #[test]
    fn a_code_is_read_as_people_type_it() {
        let code = TicketCode::parse("01Z0Z8JNV4").expect("code");
        for typed in [
            "01z0z-8jnv4",
            " 01Z0Z 8JNV4 ",
            "oIZoZ8JNV4",
            "0lzOz-8jnv4",
            "https://events.example.org/admin/tickets/01Z0Z8JNV4",
        ] {
            assert_eq!(TicketCode::parse(typed).as_ref(), Some(&code), "{typed}");
        }
        assert_eq!(
            TicketCode::parse(&code.url("https://events.example.org")),
            Some(code)
        );
    }

    #[test]
    fn what_is_no_code_is_refused() {
        for typed in [
            "",
            "01Z0Z8JNV",
            "01Z0Z8JNV45",
            "01Z0Z8JNVU",
            "01Z0Z8JNV!",
            "Ä1Z0Z8JNV4",
            "https://events.example.org/admin/tickets/",
            "https://events.example.org/r/01Z0Z8JNV4",
        ] {
            assert_eq!(TicketCode::parse(typed), None, "{typed:?}");
        }
    }

    #[test]
    fn a_seated_ticket_checks_in_once_and_says_when_after() {
        let at = Utc.with_ymd_and_hms(2031, 2, 3, 9, 15, 0).unwrap();
        let first = ScanResult::of(Standing::of(RegistrationStatus::Confirmed, None));
        assert_eq!(first, ScanResult::CheckedIn);
        assert!(first.records_arrival() && first.lets_in());
        let again = ScanResult::of(Standing::of(RegistrationStatus::Confirmed, Some(at)));
        assert_eq!(again, ScanResult::AlreadyCheckedIn(at));
        assert!(!again.records_arrival() && again.lets_in());
        // A seat held for an unconfirmed address is a seat.
        assert_eq!(
            ScanResult::of(Standing::of(RegistrationStatus::PendingEmail, None)),
            ScanResult::CheckedIn
        );
    }

    #[test]
    fn nobody_without_a_seat_is_let_in() {
        for (standing, result) in [
            (
                Standing::of(RegistrationStatus::Waitlisted, None),
                ScanResult::Waiting,
            ),
            (
                Standing::of(RegistrationStatus::Cancelled, None),
                ScanResult::NoLongerRegistered,
            ),
            (
                Standing::of(RegistrationStatus::Expired, None),
                ScanResult::NoLongerRegistered,
            ),
            (Standing::OtherEvent, ScanResult::OtherEvent),
            (Standing::Unknown, ScanResult::Unknown),
        ] {
            let scanned = ScanResult::of(standing);
            assert_eq!(scanned, result);
            assert!(!scanned.lets_in() && !scanned.records_arrival());
        }
    }
}
