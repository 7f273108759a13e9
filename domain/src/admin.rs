//! Rules of the organizers' side: passwords, how long a session lasts, how fast sign-in may be
//! tried, and what an organizer may set on an event.

use chrono::Duration;

use crate::form::{Field, FieldError, Problem};
use crate::rate::RateLimit;

/// A session ends this long after sign-in, however active it was.
pub const SESSION_LIFETIME: Duration = Duration::hours(12);

/// Sign-in attempts per e-mail address and per client address.
pub const SIGN_IN_LIMIT: RateLimit = RateLimit {
    limit: 10,
    window: Duration::minutes(15),
};

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
