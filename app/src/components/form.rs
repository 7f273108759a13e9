//! Form pieces shared by every form: fields with their hint and error message next to them,
//! and the summary of all problems at the top (GOV.UK's pattern), so each works without
//! JavaScript and reads well with a screen reader.

use domain::FieldError;
use leptos::prelude::*;

use crate::i18n::*;
use crate::model::Submission;
use crate::text::{field_error, summary_line};

/// The GOV.UK-style summary of all errors, linking to each field; focused when shown.
/// `message` says why the whole form was refused, when it was.
#[component]
pub fn ErrorSummary(errors: Vec<FieldError>, message: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    if errors.is_empty() && message.is_none() {
        return None;
    }
    // `autofocus` moves the focus to it on a new page, and `public/in-place.js` does the same
    // after a form answered in place.
    Some(view! {
        <div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="error-summary-title">
            <h2 id="error-summary-title">{t!(i18n, register.problem)}</h2>
            {message.map(|m| view! { <p>{m}</p> })}
            <ul>
                {errors
                    .iter()
                    .map(|error| view! {
                        <li><a href=format!("#{}", field_id(&error.field.key()))>{summary_line(i18n, error)}</a></li>
                    })
                    .collect_view()}
            </ul>
        </div>
    })
}

/// The element id of a form field, e.g. `field-answers-diet`.
pub fn field_id(name: &str) -> String {
    format!("field-{}", name.replace('.', "-"))
}

pub fn described_by(id: &str, hint: bool, error: bool) -> Option<String> {
    let parts: Vec<String> = [(hint, "hint"), (error, "error")]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, what)| format!("{id}-{what}"))
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// The hint and the error message of a field (the error in the reader's language).
#[component]
pub fn FieldMessages(id: String, hint: Option<String>, error: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        {hint.map(|h| view! { <p class="hint" id=format!("{id}-hint")>{h}</p> })}
        {error.map(|e| view! {
            <p class="field-message" id=format!("{id}-error")>
                <span class="visually-hidden">{t!(i18n, register.error_prefix)} " "</span>{e}
            </p>
        })}
    }
}

/// The message for `name` in the submission, if any.
pub fn error_text(submission: &Submission, name: &str) -> Option<String> {
    let i18n = use_i18n();
    submission.error(name).map(|e| field_error(i18n, e))
}

#[component]
pub fn TextField(
    #[prop(into)] name: String,
    label: String,
    hint: Option<String>,
    kind: &'static str,
    autocomplete: &'static str,
    required: bool,
    submission: Submission,
) -> impl IntoView {
    let id = field_id(&name);
    let error = error_text(&submission, &name);
    let describedby = described_by(&id, hint.is_some(), error.is_some());
    let invalid = error.is_some().then_some("true");
    let value = submission.value(&name);
    view! {
        <div class="field" class:field-invalid=invalid.is_some()>
            <label for=id.clone()>{label}</label>
            <FieldMessages id=id.clone() hint error/>
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                value=value
                required=required
                aria-describedby=describedby
                aria-invalid=invalid
            />
        </div>
    }
}

#[component]
pub fn TextArea(
    #[prop(into)] name: String,
    label: String,
    #[prop(optional)] hint: Option<String>,
    #[prop(default = 3)] rows: u32,
    submission: Submission,
) -> impl IntoView {
    let id = field_id(&name);
    let error = error_text(&submission, &name);
    let describedby = described_by(&id, hint.is_some(), error.is_some());
    let invalid = error.is_some().then_some("true");
    let value = submission.value(&name);
    view! {
        <div class="field" class:field-invalid=invalid.is_some()>
            <label for=id.clone()>{label}</label>
            <FieldMessages id=id.clone() hint error/>
            <textarea id=id name=name rows=rows aria-describedby=describedby aria-invalid=invalid>
                {value}
            </textarea>
        </div>
    }
}

/// A checkbox with its label, and its error when the form was refused (e.g. a confirmation).
#[component]
pub fn Checkbox(
    #[prop(into)] name: String,
    label: String,
    submission: Submission,
) -> impl IntoView {
    let id = field_id(&name);
    let error = error_text(&submission, &name);
    let describedby = described_by(&id, false, error.is_some());
    let invalid = error.is_some().then_some("true");
    let checked = domain::is_ticked(&submission.value(&name));
    view! {
        <div class="field field-checkbox" class:field-invalid=invalid.is_some()>
            <FieldMessages id=id.clone() hint=None error/>
            <input id=id.clone() name=name type="checkbox" checked=checked aria-describedby=describedby aria-invalid=invalid/>
            <label for=id>{label}</label>
        </div>
    }
}
