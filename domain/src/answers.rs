//! What registrants answered, added up per question, so that organizers can order food and
//! t-shirts without a spreadsheet: per answer, how many hold a seat and how many are registered
//! at all (seated or waiting).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::questions::{NO, QuestionKind, YES, choices};
use crate::{Lang, Question, RegistrationStatus};

/// The totals of one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerTotals {
    pub key: String,
    /// The question in the organizer's language.
    pub label: String,
    pub rows: Vec<AnswerCount>,
}

/// How many gave one answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerCount {
    /// `None` for those who left the question empty.
    pub answer: Option<String>,
    pub seated: u32,
    pub registered: u32,
}

/// The totals of every question, among the registrations that stand. A choice question lists
/// its options in their order (also those nobody chose), then any other answer given before the
/// options changed; a text question lists its answers by how often they were given (the same
/// text in another case or with spaces around counts as the same, shown as first given). Those
/// who gave no answer come last, when there are any.
pub fn answer_totals<'a>(
    questions: &[Question],
    people: impl IntoIterator<Item = (&'a BTreeMap<String, String>, RegistrationStatus)> + Clone,
    lang: Lang,
) -> Vec<AnswerTotals> {
    questions
        .iter()
        .map(|question| {
            let listed: Vec<&str> = match question.kind {
                QuestionKind::YesNo => vec![YES, NO],
                _ => question.options.iter().map(String::as_str).collect(),
            };
            let mut rows: Vec<AnswerCount> = listed
                .into_iter()
                .map(|option| AnswerCount {
                    answer: Some(option.to_owned()),
                    seated: 0,
                    registered: 0,
                })
                .collect();
            let mut unanswered = AnswerCount {
                answer: None,
                seated: 0,
                registered: 0,
            };
            for (answers, status) in people.clone() {
                if !status.is_active() {
                    continue;
                }
                let answer = answers.get(&question.key).map_or("", String::as_str);
                // Each choice of several counts once; any other answer is one.
                let given: Vec<&str> = match question.kind {
                    QuestionKind::Checkboxes => choices(answer),
                    _ => Some(answer.trim())
                        .filter(|a| !a.is_empty())
                        .into_iter()
                        .collect(),
                };
                let count = |row: &mut AnswerCount| {
                    row.registered += 1;
                    if status.holds_seat() {
                        row.seated += 1;
                    }
                };
                if given.is_empty() {
                    count(&mut unanswered);
                }
                for given in given {
                    let same = |row: &AnswerCount| {
                        row.answer
                            .as_deref()
                            .is_some_and(|a| a.to_lowercase() == given.to_lowercase())
                    };
                    match rows.iter().position(same) {
                        Some(at) => count(&mut rows[at]),
                        None => {
                            let mut row = AnswerCount {
                                answer: Some(given.to_owned()),
                                seated: 0,
                                registered: 0,
                            };
                            count(&mut row);
                            rows.push(row);
                        }
                    }
                }
            }
            if !question.kind.has_options() && question.kind != QuestionKind::YesNo {
                // Stable: equal counts keep the order they were first given in.
                rows.sort_by_key(|row| std::cmp::Reverse(row.registered));
            }
            if unanswered.registered > 0 {
                rows.push(unanswered);
            }
            if question.kind == QuestionKind::YesNo {
                for row in &mut rows {
                    row.answer = row.answer.as_deref().map(|a| question.show(a, lang));
                }
            }
            AnswerTotals {
                key: question.key.clone(),
                label: question.label_in(lang).to_owned(),
                rows,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use RegistrationStatus::*;

    fn question(key: &str, options: &[&str]) -> Question {
        let kind = match options {
            [] => QuestionKind::ShortText,
            _ => QuestionKind::Select,
        };
        Question::new(key, &key.to_uppercase(), kind, options)
    }

    fn answers(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn count(answer: Option<&str>, seated: u32, registered: u32) -> AnswerCount {
        AnswerCount {
            answer: answer.map(str::to_owned),
            seated,
            registered,
        }
    }

    #[test]
    fn choices_in_their_order_text_by_frequency_and_the_unanswered_last() {
        let questions = [question("diet", &[]), question("tshirt", &["S", "M", "L"])];
        let people = [
            (
                answers(&[("diet", "vegetarian"), ("tshirt", "M")]),
                Confirmed,
            ),
            (answers(&[("diet", "Vegan"), ("tshirt", "M")]), PendingEmail),
            (answers(&[("diet", " vegan "), ("tshirt", "L")]), Waitlisted),
            (answers(&[("diet", "vegan")]), Confirmed),
            (answers(&[("tshirt", "XXL")]), Confirmed),
            // Cancelled and expired registrations count nowhere.
            (
                answers(&[("diet", "vegetarian"), ("tshirt", "S")]),
                Cancelled,
            ),
            (answers(&[("diet", "vegetarian"), ("tshirt", "S")]), Expired),
        ];
        let totals = answer_totals(&questions, people.iter().map(|(a, s)| (a, *s)), Lang::En);
        assert_eq!(totals[0].key, "diet");
        assert_eq!(
            totals[0].rows,
            [
                count(Some("Vegan"), 2, 3),
                count(Some("vegetarian"), 1, 1),
                count(None, 1, 1),
            ]
        );
        assert_eq!(
            totals[1].rows,
            [
                count(Some("S"), 0, 0),
                count(Some("M"), 2, 2),
                count(Some("L"), 0, 1),
                count(Some("XXL"), 1, 1),
                count(None, 1, 1),
            ]
        );
    }

    #[test]
    fn no_questions_no_totals_and_nobody_registered_counts_zero() {
        let none: [(BTreeMap<String, String>, RegistrationStatus); 0] = [];
        assert!(answer_totals(&[], none.iter().map(|(a, s)| (a, *s)), Lang::En).is_empty());
        let totals = answer_totals(
            &[question("tshirt", &["S"])],
            none.iter().map(|(a, s)| (a, *s)),
            Lang::En,
        );
        assert_eq!(totals[0].rows, [count(Some("S"), 0, 0)]);
    }

    #[test]
    fn each_choice_of_several_counts_and_a_box_counts_yes_and_no() {
        let days = Question::new("days", "Days", QuestionKind::Checkboxes, &["Mon", "Tue"]);
        let mut laptop = Question::new("laptop", "Laptop", QuestionKind::YesNo, &[]);
        laptop.label_de = Some("Laptop dabei".into());
        let people = [
            (
                answers(&[("days", "Mon\nTue"), ("laptop", "yes")]),
                Confirmed,
            ),
            (answers(&[("days", "Tue"), ("laptop", "no")]), Waitlisted),
            (answers(&[]), Confirmed),
        ];
        let totals = answer_totals(
            &[days, laptop],
            people.iter().map(|(a, s)| (a, *s)),
            Lang::De,
        );
        assert_eq!(
            totals[0].rows,
            [
                count(Some("Mon"), 1, 1),
                count(Some("Tue"), 1, 2),
                count(None, 1, 1),
            ]
        );
        assert_eq!(totals[1].label, "Laptop dabei");
        assert_eq!(
            totals[1].rows,
            [
                count(Some("Ja"), 1, 1),
                count(Some("Nein"), 0, 1),
                count(None, 1, 1),
            ]
        );
    }
}
