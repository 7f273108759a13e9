//! An event's own registration questions: what each asks (in English and German), what kind of
//! answer it takes, how an answer is checked, and the organizers' editor that defines them.
//!
//! Answers are kept as text by question key, so that changing or removing a question never
//! touches what people already answered: a removed question's answers stay under their key.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Lang;
use crate::form::{Field, FieldError, Problem, optional_multiline, optional_text};

/// The longest answer to a short question, and to each line of a long one.
pub const ANSWER_MAX: usize = 200;
/// The longest answer to a long-text question.
pub const LONG_ANSWER_MAX: usize = 2000;
pub const KEY_MAX: usize = 40;
pub const LABEL_MAX: usize = 200;
pub const HINT_MAX: usize = 300;
pub const OPTION_MAX: usize = 100;
pub const OPTIONS_MAX: usize = 50;
/// The most questions one event asks.
pub const QUESTIONS_MAX: usize = 30;
/// The stored answer of a ticked and an unticked yes/no box.
pub const YES: &str = "yes";
pub const NO: &str = "no";

/// What kind of answer a question takes, and so how the form asks it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// One line of text.
    #[default]
    ShortText,
    /// Several lines of text.
    LongText,
    /// One of a list, as a drop-down.
    Select,
    /// One of a list, as radio buttons.
    Radios,
    /// Any of a list, as checkboxes; the answer keeps one choice a line.
    Checkboxes,
    /// A box to tick; the answer is [`YES`] or [`NO`]. Required means it must be ticked.
    YesNo,
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 6] = [
        QuestionKind::ShortText,
        QuestionKind::LongText,
        QuestionKind::Select,
        QuestionKind::Radios,
        QuestionKind::Checkboxes,
        QuestionKind::YesNo,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::ShortText => "short_text",
            QuestionKind::LongText => "long_text",
            QuestionKind::Select => "select",
            QuestionKind::Radios => "radios",
            QuestionKind::Checkboxes => "checkboxes",
            QuestionKind::YesNo => "yes_no",
        }
    }

    pub fn parse(word: &str) -> Option<QuestionKind> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == word)
    }

    /// Whether the answer is chosen from the question's options.
    pub fn has_options(self) -> bool {
        matches!(
            self,
            QuestionKind::Select | QuestionKind::Radios | QuestionKind::Checkboxes
        )
    }
}

/// An extra question an event asks (e.g. dietary needs at a hackathon).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "StoredQuestion")]
pub struct Question {
    /// Stable key, used in forms, the CSV export and the API (`answers: {key: text}`).
    pub key: String,
    /// The question in English, shown in any language that has none of its own.
    pub label: String,
    pub label_de: Option<String>,
    pub hint: Option<String>,
    pub hint_de: Option<String>,
    pub required: bool,
    pub kind: QuestionKind,
    /// The choices of a kind that has them (each is also the stored answer).
    pub options: Vec<String>,
}

/// A question as stored: questions saved before kinds existed have none and are a list when
/// they have options.
#[derive(Deserialize)]
struct StoredQuestion {
    key: String,
    label: String,
    #[serde(default)]
    label_de: Option<String>,
    #[serde(default)]
    hint: Option<String>,
    #[serde(default)]
    hint_de: Option<String>,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    kind: Option<QuestionKind>,
    #[serde(default)]
    options: Vec<String>,
}

impl From<StoredQuestion> for Question {
    fn from(stored: StoredQuestion) -> Self {
        let kind = stored.kind.unwrap_or(if stored.options.is_empty() {
            QuestionKind::ShortText
        } else {
            QuestionKind::Select
        });
        Question {
            key: stored.key,
            label: stored.label,
            label_de: stored.label_de,
            hint: stored.hint,
            hint_de: stored.hint_de,
            required: stored.required,
            kind,
            options: stored.options,
        }
    }
}

impl Question {
    /// A required or optional question of `kind` in English only.
    pub fn new(key: &str, label: &str, kind: QuestionKind, options: &[&str]) -> Self {
        Question {
            key: key.to_owned(),
            label: label.to_owned(),
            label_de: None,
            hint: None,
            hint_de: None,
            required: false,
            kind,
            options: options.iter().map(|o| (*o).to_owned()).collect(),
        }
    }

    /// The question in `lang`, or in English where it has no translation.
    pub fn label_in(&self, lang: Lang) -> &str {
        match (lang, &self.label_de) {
            (Lang::De, Some(label)) => label,
            _ => &self.label,
        }
    }

    /// The hint in `lang`, or in English where it has no translation.
    pub fn hint_in(&self, lang: Lang) -> Option<&str> {
        match (lang, &self.hint_de) {
            (Lang::De, Some(hint)) => Some(hint),
            _ => self.hint.as_deref(),
        }
    }

    /// Checks what a person answered (several choices one a line): the answer to keep, `None`
    /// for an optional question left empty, or what is wrong with it.
    pub fn check(&self, given: &str) -> Result<Option<String>, Problem> {
        let given = given.trim();
        let answer = match self.kind {
            QuestionKind::ShortText => optional_text(Some(given), ANSWER_MAX)?,
            QuestionKind::LongText => optional_multiline(Some(given), LONG_ANSWER_MAX)?,
            QuestionKind::Select | QuestionKind::Radios => match given {
                "" => None,
                chosen if self.options.iter().any(|o| o == chosen) => Some(chosen.to_owned()),
                _ => return Err(Problem::NotAnOption),
            },
            QuestionKind::Checkboxes => {
                let chosen = choices(given);
                if chosen.iter().any(|c| !self.options.iter().any(|o| o == c)) {
                    return Err(Problem::NotAnOption);
                }
                // In the order of the options, each once, whatever order the form sent.
                let kept: Vec<&str> = self
                    .options
                    .iter()
                    .map(String::as_str)
                    .filter(|o| chosen.contains(o))
                    .collect();
                (!kept.is_empty()).then(|| kept.join("\n"))
            }
            QuestionKind::YesNo => match given {
                "" | NO | "off" | "false" => None,
                YES | "on" | "true" => Some(YES.to_owned()),
                _ => return Err(Problem::NotAnOption),
            },
        };
        match answer {
            None if self.required => Err(Problem::Required),
            // An optional box left unticked is a "no", so that the export tells it apart from
            // a question asked after someone registered.
            None if self.kind == QuestionKind::YesNo => Ok(Some(NO.to_owned())),
            answer => Ok(answer),
        }
    }
}

/// A person's answers as pages show them: to the event's questions in their order (labelled in
/// `lang`), then those to questions the event no longer asks, under their key.
pub fn shown_answers(
    questions: &[Question],
    answers: &BTreeMap<String, String>,
    lang: Lang,
) -> Vec<(String, String)> {
    let asked = questions.iter().filter_map(|question| {
        let answer = answers.get(&question.key)?;
        Some((
            question.label_in(lang).to_owned(),
            question.show(answer, lang),
        ))
    });
    let removed = answers
        .iter()
        .filter(|(key, _)| !questions.iter().any(|q| &q.key == *key))
        .map(|(key, answer)| (key.clone(), answer.clone()));
    asked.chain(removed).collect()
}

impl Question {
    /// An answer as a person reads it: several choices as a list, a box as yes or no in `lang`.
    pub fn show(&self, answer: &str, lang: Lang) -> String {
        match (self.kind, answer, lang) {
            (QuestionKind::Checkboxes, _, _) => choices(answer).join(", "),
            (QuestionKind::YesNo, YES, Lang::En) => "Yes".to_owned(),
            (QuestionKind::YesNo, YES, Lang::De) => "Ja".to_owned(),
            (QuestionKind::YesNo, NO, Lang::En) => "No".to_owned(),
            (QuestionKind::YesNo, NO, Lang::De) => "Nein".to_owned(),
            _ => answer.to_owned(),
        }
    }
}

/// The choices of an answer to a checkbox question (one a line).
pub fn choices(answer: &str) -> Vec<&str> {
    answer
        .lines()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect()
}

/// The form names of the editor's row `row` (`question.{row}.label`, ...).
pub fn row_field(row: usize, part: &str) -> String {
    format!("question.{row}.{part}")
}

/// The hidden field that says how many rows the editor showed; a form without it (the API, an
/// older page) leaves the questions as they are.
pub const ROWS_FIELD: &str = "question_rows";
/// The parts of one row of the editor, by their form names' last part.
pub const ROW_PARTS: [&str; 10] = [
    "key", "label", "label_de", "hint", "hint_de", "kind", "options", "required", "position",
    "remove",
];

/// The editor's rows filled with `questions`, one row each in order, plus an empty one for a new
/// question: the event form opens with these values.
pub fn editor_values(questions: &[Question]) -> BTreeMap<String, String> {
    let mut values = BTreeMap::new();
    for (row, question) in questions.iter().enumerate() {
        let mut set = |part: &str, value: String| {
            values.insert(row_field(row, part), value);
        };
        set("key", question.key.clone());
        set("saved", "on".to_owned());
        set("label", question.label.clone());
        set("label_de", question.label_de.clone().unwrap_or_default());
        set("hint", question.hint.clone().unwrap_or_default());
        set("hint_de", question.hint_de.clone().unwrap_or_default());
        set("kind", question.kind.as_str().to_owned());
        set("options", question.options.join("\n"));
        if question.required {
            set("required", "on".to_owned());
        }
        set("position", (row + 1).to_string());
    }
    values.insert(ROWS_FIELD.to_owned(), (questions.len() + 1).to_string());
    values
}

/// How many rows the editor shows for `values` (the saved questions, or what a refused form
/// sent): every row sent, and an empty one at the end.
pub fn editor_rows(values: &BTreeMap<String, String>) -> usize {
    let sent = values
        .get(ROWS_FIELD)
        .and_then(|n| n.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, QUESTIONS_MAX + 1);
    let last_filled = (0..sent).rev().find(|row| {
        ["key", "label", "label_de", "hint", "hint_de", "options"]
            .iter()
            .any(|part| {
                values
                    .get(&row_field(*row, part))
                    .is_some_and(|v| !v.trim().is_empty())
            })
    });
    last_filled.map_or(1, |row| (row + 2).min(QUESTIONS_MAX + 1).max(sent))
}

/// A key made of an English label: lowercase letters, digits and underscores.
fn key_from_label(label: &str) -> String {
    let mut key = String::new();
    for c in label.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            key.push(c);
        } else if !key.is_empty() && !key.ends_with('_') {
            key.push('_');
        }
    }
    let key: String = key.trim_end_matches('_').chars().take(KEY_MAX).collect();
    let key = key.trim_end_matches('_').to_owned();
    if key.is_empty() {
        "question".to_owned()
    } else {
        key
    }
}

/// Whether `key` is a question key: lowercase ASCII letters, digits, `_` and `-`, starting with
/// a letter or digit.
fn is_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= KEY_MAX
        && key.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// One row of the editor as sent, checked.
struct Row {
    position: i64,
    index: usize,
    question: Question,
    /// The key was left empty and made from the label (so a taken one may get a number).
    key_from_label: bool,
}

/// The questions the editor's rows define, in their chosen order (`position`, then as listed);
/// `Ok(None)` when the form has no editor (keep the questions as they are). Empty rows and rows
/// ticked "remove" are left out. Every problem at once, next to its field.
pub fn parse_editor(
    fields: &BTreeMap<String, String>,
) -> Result<Option<Vec<Question>>, Vec<FieldError>> {
    let Some(rows) = fields.get(ROWS_FIELD) else {
        return Ok(None);
    };
    let rows = match rows.trim().parse::<usize>() {
        Ok(n) if n <= QUESTIONS_MAX + 1 => n,
        _ => {
            return Err(vec![FieldError {
                field: Field::Named(ROWS_FIELD.to_owned()),
                problem: Problem::TooLarge(QUESTIONS_MAX as u32),
            }]);
        }
    };
    let mut errors = Vec::new();
    let mut kept: Vec<Row> = Vec::new();
    for index in 0..rows {
        let value = |part: &str| {
            fields
                .get(&row_field(index, part))
                .map(String::as_str)
                .unwrap_or("")
        };
        let mut fail = |part: &str, problem: Problem| {
            errors.push(FieldError {
                field: Field::Named(row_field(index, part)),
                problem,
            })
        };
        let typed = ["key", "label", "label_de", "hint", "hint_de", "options"]
            .iter()
            .any(|part| !value(part).trim().is_empty());
        if !typed || crate::is_ticked(value("remove")) {
            continue;
        }
        let label = optional_text(Some(value("label")), LABEL_MAX)
            .and_then(|label| label.ok_or(Problem::Required))
            .map_err(|p| fail("label", p));
        let label_de =
            optional_text(Some(value("label_de")), LABEL_MAX).map_err(|p| fail("label_de", p));
        let hint = optional_text(Some(value("hint")), HINT_MAX).map_err(|p| fail("hint", p));
        let hint_de =
            optional_text(Some(value("hint_de")), HINT_MAX).map_err(|p| fail("hint_de", p));
        let kind = match value("kind").trim() {
            "" => Ok(QuestionKind::ShortText),
            word => QuestionKind::parse(word).ok_or_else(|| fail("kind", Problem::NotAnOption)),
        };
        let options = match (&kind, parse_options(value("options"))) {
            (Ok(kind), Ok(options)) if kind.has_options() && options.len() < 2 => {
                fail("options", Problem::TooFewOptions);
                Err(())
            }
            // Options typed for a kind without them are not kept.
            (Ok(kind), Ok(_)) if !kind.has_options() => Ok(Vec::new()),
            (_, Ok(options)) => Ok(options),
            (_, Err(problem)) => {
                fail("options", problem);
                Err(())
            }
        };
        let position = match value("position").trim() {
            "" => Ok(i64::try_from(index).unwrap_or(i64::MAX).saturating_add(1)),
            typed => typed
                .parse::<i64>()
                .ok()
                .filter(|p| (0..=999).contains(p))
                .ok_or_else(|| fail("position", Problem::NotANumber)),
        };
        let typed_key = value("key").trim();
        let key = match (typed_key, &label) {
            ("", Ok(label)) => Ok(key_from_label(label)),
            ("", Err(())) => Err(()),
            (key, _) if is_key(key) => Ok(key.to_owned()),
            _ => {
                fail("key", Problem::NotAKey);
                Err(())
            }
        };
        if let (
            Ok(key),
            Ok(label),
            Ok(label_de),
            Ok(hint),
            Ok(hint_de),
            Ok(kind),
            Ok(options),
            Ok(position),
        ) = (key, label, label_de, hint, hint_de, kind, options, position)
        {
            kept.push(Row {
                position,
                index,
                key_from_label: typed_key.is_empty(),
                question: Question {
                    key,
                    label,
                    label_de,
                    hint,
                    hint_de,
                    required: crate::is_ticked(value("required")),
                    kind,
                    options,
                },
            });
        }
    }
    if kept.len() > QUESTIONS_MAX {
        errors.push(FieldError {
            field: Field::Named(ROWS_FIELD.to_owned()),
            problem: Problem::TooLarge(QUESTIONS_MAX as u32),
        });
    }
    // Keys typed (or kept from before) come first; a key made from a label that another
    // question has gets a number, a typed one that another has is refused.
    let mut taken: Vec<String> = Vec::new();
    for row in kept.iter_mut().filter(|row| !row.key_from_label) {
        if taken.contains(&row.question.key) {
            errors.push(FieldError {
                field: Field::Named(row_field(row.index, "key")),
                problem: Problem::KeyTaken,
            });
        }
        taken.push(row.question.key.clone());
    }
    for row in kept.iter_mut().filter(|row| row.key_from_label) {
        let base = row.question.key.clone();
        let mut n = 2;
        while taken.contains(&row.question.key) {
            let suffix = format!("_{n}");
            let stem: String = base.chars().take(KEY_MAX - suffix.len()).collect();
            row.question.key = format!("{stem}{suffix}");
            n += 1;
        }
        taken.push(row.question.key.clone());
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    kept.sort_by_key(|row| (row.position, row.index));
    Ok(Some(kept.into_iter().map(|row| row.question).collect()))
}

/// The options typed one a line: trimmed, empty lines left out, each at most once.
fn parse_options(typed: &str) -> Result<Vec<String>, Problem> {
    let mut options: Vec<String> = Vec::new();
    for line in typed.lines() {
        let Some(option) = optional_text(Some(line), OPTION_MAX)? else {
            continue;
        };
        if options.contains(&option) {
            return Err(Problem::RepeatedOption);
        }
        options.push(option);
    }
    if options.len() > OPTIONS_MAX {
        return Err(Problem::TooLarge(OPTIONS_MAX as u32));
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sizes() -> Question {
        Question {
            required: true,
            ..Question::new(
                "shirt",
                "T-shirt size",
                QuestionKind::Radios,
                &["S", "M", "L"],
            )
        }
    }

    #[test]
    fn questions_stored_before_kinds_keep_working() {
        let old: Vec<Question> = serde_json::from_str(
            r#"[{"key":"diet","label":"Diet"},{"key":"shirt","label":"Size","required":true,"options":["S","M"]}]"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(old[0].kind, QuestionKind::ShortText);
        assert_eq!(old[1].kind, QuestionKind::Select);
        assert!(old[1].required);
        let again: Vec<Question> = serde_json::to_string(&old)
            .and_then(|json| serde_json::from_str(&json))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again, old);
    }

    #[test]
    fn labels_and_hints_fall_back_to_english() {
        let mut q = Question::new("diet", "Diet", QuestionKind::ShortText, &[]);
        q.hint = Some("Allergies too".into());
        assert_eq!(q.label_in(Lang::De), "Diet");
        assert_eq!(q.hint_in(Lang::De), Some("Allergies too"));
        q.label_de = Some("Ernährung".into());
        q.hint_de = Some("Auch Allergien".into());
        assert_eq!(q.label_in(Lang::De), "Ernährung");
        assert_eq!(q.label_in(Lang::En), "Diet");
        assert_eq!(q.hint_in(Lang::De), Some("Auch Allergien"));
    }

    #[test]
    fn each_kind_checks_its_answer() {
        let short = Question::new("a", "A", QuestionKind::ShortText, &[]);
        assert_eq!(short.check("  hi "), Ok(Some("hi".into())));
        assert_eq!(short.check("two\nlines"), Err(Problem::ControlCharacters));
        assert_eq!(short.check(""), Ok(None));
        let long = Question::new("a", "A", QuestionKind::LongText, &[]);
        assert_eq!(long.check("two\nlines"), Ok(Some("two\nlines".into())));
        assert_eq!(
            long.check(&"x".repeat(LONG_ANSWER_MAX + 1)),
            Err(Problem::TooLong(LONG_ANSWER_MAX))
        );
        assert_eq!(sizes().check("M"), Ok(Some("M".into())));
        assert_eq!(sizes().check("XXL"), Err(Problem::NotAnOption));
        assert_eq!(sizes().check(" "), Err(Problem::Required));
        let select = Question::new("a", "A", QuestionKind::Select, &["x", "y"]);
        assert_eq!(select.check("m"), Err(Problem::NotAnOption));
    }

    #[test]
    fn several_choices_keep_the_options_order_once_each() {
        let q = Question::new(
            "days",
            "Days",
            QuestionKind::Checkboxes,
            &["Mon", "Tue", "Wed"],
        );
        assert_eq!(q.check("Wed\nMon\nWed"), Ok(Some("Mon\nWed".into())));
        assert_eq!(q.check("Mon\nSun"), Err(Problem::NotAnOption));
        assert_eq!(q.check("\n"), Ok(None));
        assert_eq!(choices("Mon\nWed"), ["Mon", "Wed"]);
    }

    #[test]
    fn a_yes_no_box_is_yes_or_no_and_required_means_ticked() {
        let mut q = Question::new("laptop", "Laptop", QuestionKind::YesNo, &[]);
        assert_eq!(q.check("on"), Ok(Some(YES.into())));
        assert_eq!(q.check(""), Ok(Some(NO.into())));
        assert_eq!(q.check("maybe"), Err(Problem::NotAnOption));
        q.required = true;
        assert_eq!(q.check(""), Err(Problem::Required));
        assert_eq!(q.check("yes"), Ok(Some(YES.into())));
    }

    #[test]
    fn answers_show_in_the_questions_order_then_removed_ones_by_key() {
        let mut laptop = Question::new("laptop", "Laptop?", QuestionKind::YesNo, &[]);
        laptop.label_de = Some("Laptop dabei?".into());
        let days = Question::new("days", "Days", QuestionKind::Checkboxes, &["Mon", "Tue"]);
        let answers: BTreeMap<String, String> = [
            ("a_removed", "kept"),
            ("days", "Mon\nTue"),
            ("laptop", "yes"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let shown = |lang| shown_answers(&[laptop.clone(), days.clone()], &answers, lang);
        let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        assert_eq!(
            shown(Lang::De),
            pairs(&[
                ("Laptop dabei?", "Ja"),
                ("Days", "Mon, Tue"),
                ("a_removed", "kept")
            ])
        );
        assert_eq!(shown(Lang::En)[0], ("Laptop?".to_owned(), "Yes".to_owned()));
    }

    fn editor(rows: &[&[(&str, &str)]]) -> BTreeMap<String, String> {
        let mut fields = BTreeMap::new();
        fields.insert(ROWS_FIELD.to_owned(), rows.len().to_string());
        for (row, parts) in rows.iter().enumerate() {
            for (part, value) in *parts {
                fields.insert(row_field(row, part), (*value).to_owned());
            }
        }
        fields
    }

    fn problems(fields: &BTreeMap<String, String>) -> Vec<(String, Problem)> {
        match parse_editor(fields) {
            Ok(questions) => panic!("expected problems, got {questions:?}"),
            Err(errors) => errors
                .into_iter()
                .map(|e| (e.field.key(), e.problem))
                .collect(),
        }
    }

    #[test]
    fn a_form_without_the_editor_keeps_the_questions() {
        assert_eq!(parse_editor(&BTreeMap::new()), Ok(None));
        assert_eq!(parse_editor(&editor(&[&[]])), Ok(Some(Vec::new())));
    }

    #[test]
    fn the_editor_defines_questions_in_their_chosen_order() {
        let fields = editor(&[
            &[
                ("label", "T-shirt size"),
                ("label_de", "T-Shirt-Größe"),
                ("kind", "radios"),
                ("options", "S\r\n M \n\nL"),
                ("required", "on"),
                ("position", "2"),
            ],
            &[
                ("key", "diet"),
                ("label", "Dietary needs"),
                ("hint", "Allergies too"),
                ("kind", "long_text"),
                ("options", "ignored"),
                ("position", "1"),
            ],
            &[("label", "Gone"), ("remove", "on")],
            &[],
        ]);
        let questions = parse_editor(&fields)
            .unwrap_or_else(|e| panic!("{e:?}"))
            .unwrap_or_default();
        assert_eq!(questions.len(), 2);
        assert_eq!(questions[0].key, "diet");
        assert_eq!(questions[0].kind, QuestionKind::LongText);
        assert!(questions[0].options.is_empty());
        assert_eq!(questions[0].hint.as_deref(), Some("Allergies too"));
        assert_eq!(questions[1].key, "t_shirt_size");
        assert_eq!(questions[1].label_de.as_deref(), Some("T-Shirt-Größe"));
        assert_eq!(questions[1].options, ["S", "M", "L"]);
        assert!(questions[1].required);
    }

    #[test]
    fn the_editor_opens_with_what_it_saved() {
        let mut diet = Question::new(
            "diet",
            "Diet",
            QuestionKind::Checkboxes,
            &["vegan", "halal"],
        );
        diet.hint_de = Some("Auch Allergien".into());
        let saved = vec![sizes(), diet];
        let values = editor_values(&saved);
        assert_eq!(editor_rows(&values), 3);
        assert_eq!(parse_editor(&values), Ok(Some(saved)));
    }

    #[test]
    fn keys_made_of_labels_get_numbers_and_typed_keys_must_differ() {
        let fields = editor(&[
            &[("key", "diet"), ("label", "Diet")],
            &[("label", "Diet!")],
            &[("label", "Ernährung ß")],
        ]);
        let keys: Vec<String> = parse_editor(&fields)
            .unwrap_or_else(|e| panic!("{e:?}"))
            .unwrap_or_default()
            .into_iter()
            .map(|q| q.key)
            .collect();
        assert_eq!(keys, ["diet", "diet_2", "ern_hrung"]);
        let twice = editor(&[
            &[("key", "diet"), ("label", "A")],
            &[("key", "diet"), ("label", "B")],
        ]);
        assert_eq!(
            problems(&twice),
            [("question.1.key".to_owned(), Problem::KeyTaken)]
        );
    }

    #[test]
    fn every_problem_of_the_editor_is_told_by_its_field() {
        let fields = editor(&[
            &[("hint", "no label"), ("key", "Bad Key")],
            &[("label", "Size"), ("kind", "radios"), ("options", "S")],
            &[("label", "Size"), ("kind", "dice"), ("position", "x")],
            &[
                ("label", "Days"),
                ("kind", "checkboxes"),
                ("options", "Mon\nMon"),
            ],
            &[("label", "x".repeat(LABEL_MAX + 1).as_str())],
        ]);
        assert_eq!(
            problems(&fields),
            [
                ("question.0.label".to_owned(), Problem::Required),
                ("question.0.key".to_owned(), Problem::NotAKey),
                ("question.1.options".to_owned(), Problem::TooFewOptions),
                ("question.2.kind".to_owned(), Problem::NotAnOption),
                ("question.2.position".to_owned(), Problem::NotANumber),
                ("question.3.options".to_owned(), Problem::RepeatedOption),
                ("question.4.label".to_owned(), Problem::TooLong(LABEL_MAX)),
            ]
        );
        let too_many = editor(&vec![&[("label", "Q")][..]; QUESTIONS_MAX + 2]);
        assert_eq!(
            problems(&too_many),
            [(
                ROWS_FIELD.to_owned(),
                Problem::TooLarge(QUESTIONS_MAX as u32)
            )]
        );
    }
}
