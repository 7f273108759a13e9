//! The order people expect of names in a list: letters without regard to case or accents (as
//! German dictionaries sort "Ö" with "O"), and numbers by their value ("Person 2" before
//! "Person 10"), as a door list is read.

use std::cmp::Ordering;

/// Compares two names naturally: runs of digits by their value, letters by their lower case
/// without accents; ties are broken by the plain text so that the order is total.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut left, mut right) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (left.peek().copied(), right.peek().copied()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(l), Some(r)) if l.is_ascii_digit() && r.is_ascii_digit() => {
                let (l, r) = (digits(&mut left), digits(&mut right));
                // Leading zeros do not change a number's value; longer runs are larger.
                let (l, r) = (l.trim_start_matches('0'), r.trim_start_matches('0'));
                let by_value = l.len().cmp(&r.len()).then_with(|| l.cmp(r));
                if by_value != Ordering::Equal {
                    return by_value;
                }
            }
            (Some(l), Some(r)) => {
                let by_letter = base_letter(l).cmp(&base_letter(r));
                if by_letter != Ordering::Equal {
                    return by_letter;
                }
                left.next();
                right.next();
            }
        }
    }
}

/// A letter in lower case without its accent, for the common accented letters of the
/// community's languages.
fn base_letter(c: char) -> char {
    match c.to_lowercase().next().unwrap_or(c) {
        'ä' | 'à' | 'á' | 'â' | 'å' => 'a',
        'ç' => 'c',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ö' | 'ò' | 'ó' | 'ô' | 'ø' => 'o',
        'ü' | 'ù' | 'ú' | 'û' => 'u',
        lower => lower,
    }
}

fn digits(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> String {
    let mut run = String::new();
    while let Some(c) = chars.next_if(char::is_ascii_digit) {
        run.push(c);
    }
    run
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
        names.sort_by(|a, b| natural_cmp(a, b));
        names
    }

    #[test]
    fn numbers_sort_by_value_and_letters_without_case_or_accent() {
        assert_eq!(
            sorted(&[
                "Person 10",
                "person 2",
                "Person 1",
                "Person 11",
                "ada",
                "Zoe",
                "Ötzi",
                "Otto"
            ]),
            [
                "ada",
                "Otto",
                "Ötzi",
                "Person 1",
                "person 2",
                "Person 10",
                "Person 11",
                "Zoe"
            ]
        );
    }

    #[test]
    fn leading_zeros_and_ties_still_give_one_order() {
        assert_eq!(natural_cmp("Room 007", "Room 7"), "Room 007".cmp("Room 7"));
        assert_eq!(natural_cmp("Room 7", "Room 07b"), Ordering::Less);
        assert_eq!(natural_cmp("a", "A"), "a".cmp("A"));
        assert_eq!(natural_cmp("", "a"), Ordering::Less);
        assert_eq!(
            natural_cmp("x99999999999999999999999", "x1"),
            Ordering::Greater
        );
    }
}
