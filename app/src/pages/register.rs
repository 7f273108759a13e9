use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{LoadError, NotFound};
use crate::api::load_register_page;
use crate::model::{QuestionField, RegisterPage, Submission, event_href, register_href};

/// `/events/{slug}/register`: the registration form, a plain HTML form that works without
/// JavaScript. A rejected post renders this page again with the values and errors.
#[component]
pub fn RegisterFormPage() -> impl IntoView {
    let params = use_params_map();
    let page = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        load_register_page,
    );
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(Some(page)) => view! { <RegisterForm page/> }.into_any(),
                    Ok(None) => view! { <NotFound/> }.into_any(),
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn RegisterForm(page: RegisterPage) -> impl IntoView {
    let submission = page.submission.clone().unwrap_or_default();
    let open = page.registration.open;
    let button = if page.registration.waitlist_only {
        "Join the waitlist"
    } else {
        "Register"
    };
    let s = StoredValue::new(submission.clone());
    let field = move |name: &'static str,
                      label: &'static str,
                      hint: Option<&'static str>,
                      kind: &'static str,
                      autocomplete: &'static str,
                      required: bool| {
        let submission = s.get_value();
        view! {
            <TextField
                name=name.to_owned()
                label=label.to_owned()
                hint=hint.map(str::to_owned)
                kind
                autocomplete
                required
                value=submission.value(name)
                error=submission.error(name)
            />
        }
    };
    view! {
        <Title text=format!("Register: {}", page.title)/>
        <div class="page-head">
            <p><a href=event_href(&page.slug)>"← " {page.title.clone()}</a></p>
            <h1>"Register for " {page.title.clone()}</h1>
            <p class="lead">{page.when.clone()} {page.place.clone().map(|p| format!(" · {p}"))}</p>
            <p class="seats">{page.registration.status.clone()}</p>
        </div>
        <ErrorSummary submission=submission.clone()/>
        {open.then(|| view! {
            <form class="form" method="post" action=register_href(&page.slug) novalidate>
                {field("name", "Full name", Some("As you want it on your badge."), "text", "name", true)}
                {field("email", "E-mail address", Some("We send your confirmation link here."), "email", "email", true)}
                {field("organisation", "Organisation (optional)", None, "text", "organization", false)}
                {page.questions.iter().map(|q| view! { <QuestionInput question=q.clone() submission=s.get_value()/> }).collect_view()}
                <TextArea name="notes" label="Notes for the organizers (optional)" submission=s.get_value()/>
                <Consent submission=s.get_value()/>
                <button class="button" type="submit">{button}</button>
            </form>
        })}
    }
}

/// The GOV.UK-style summary of all errors, linking to each field; focused when shown.
#[component]
fn ErrorSummary(submission: Submission) -> impl IntoView {
    if submission.errors.is_empty() && submission.message.is_none() {
        return None;
    }
    Some(view! {
        <div class="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="error-summary-title">
            <h2 id="error-summary-title">"There is a problem"</h2>
            {submission.message.clone().map(|m| view! { <p>{m}</p> })}
            <ul>
                {submission
                    .errors
                    .iter()
                    .map(|(field, message)| view! {
                        <li><a href=format!("#{}", field_id(field))>{message.clone()}</a></li>
                    })
                    .collect_view()}
            </ul>
        </div>
    })
}

/// The element id of a form field, e.g. `field-answers-diet`.
fn field_id(name: &str) -> String {
    format!("field-{}", name.replace('.', "-"))
}

fn described_by(id: &str, hint: bool, error: bool) -> Option<String> {
    let parts: Vec<String> = [(hint, "hint"), (error, "error")]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, what)| format!("{id}-{what}"))
        .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

#[component]
fn FieldMessages(id: String, hint: Option<String>, error: Option<String>) -> impl IntoView {
    view! {
        {hint.map(|h| view! { <p class="hint" id=format!("{id}-hint")>{h}</p> })}
        {error.map(|e| view! {
            <p class="field-message" id=format!("{id}-error")>
                <span class="visually-hidden">"Error: "</span>{e}
            </p>
        })}
    }
}

#[component]
fn TextField(
    name: String,
    label: String,
    hint: Option<String>,
    kind: &'static str,
    autocomplete: &'static str,
    required: bool,
    value: String,
    error: Option<String>,
) -> impl IntoView {
    let id = field_id(&name);
    let describedby = described_by(&id, hint.is_some(), error.is_some());
    let invalid = error.is_some().then_some("true");
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
fn TextArea(name: &'static str, label: &'static str, submission: Submission) -> impl IntoView {
    let id = field_id(name);
    let error = submission.error(name);
    let describedby = described_by(&id, false, error.is_some());
    let invalid = error.is_some().then_some("true");
    view! {
        <div class="field" class:field-invalid=invalid.is_some()>
            <label for=id.clone()>{label}</label>
            <FieldMessages id=id.clone() hint=None error/>
            <textarea id=id name=name rows="3" aria-describedby=describedby aria-invalid=invalid>
                {submission.value(name)}
            </textarea>
        </div>
    }
}

#[component]
fn QuestionInput(question: QuestionField, submission: Submission) -> impl IntoView {
    let name = format!("answers.{}", question.key);
    let id = field_id(&name);
    let error = submission.error(&name);
    let value = submission.value(&name);
    let describedby = described_by(&id, question.hint.is_some(), error.is_some());
    let invalid = error.is_some().then_some("true");
    let label = if question.required {
        question.label.clone()
    } else {
        format!("{} (optional)", question.label)
    };
    let input = if question.options.is_empty() {
        view! {
            <input id=id.clone() name=name type="text" value=value aria-describedby=describedby aria-invalid=invalid/>
        }
        .into_any()
    } else {
        view! {
            <select id=id.clone() name=name aria-describedby=describedby aria-invalid=invalid>
                <option value="" selected=value.is_empty()>"Choose…"</option>
                {question
                    .options
                    .iter()
                    .map(|o| view! { <option value=o.clone() selected=*o == value>{o.clone()}</option> })
                    .collect_view()}
            </select>
        }
        .into_any()
    };
    view! {
        <div class="field" class:field-invalid=invalid.is_some()>
            <label for=id.clone()>{label}</label>
            <FieldMessages id=id.clone() hint=question.hint.clone() error/>
            {input}
        </div>
    }
}

#[component]
fn Consent(submission: Submission) -> impl IntoView {
    let id = field_id("consent");
    let error = submission.error("consent");
    let describedby = described_by(&id, true, error.is_some());
    let checked = submission.value("consent") == "on";
    let invalid = error.is_some().then_some("true");
    view! {
        <div class="field field-checkbox" class:field-invalid=invalid.is_some()>
            <FieldMessages id=id.clone() hint=None error/>
            <input id=id.clone() name="consent" type="checkbox" checked=checked aria-describedby=describedby aria-invalid=invalid/>
            <label for=id.clone()>
                "I agree that convene keeps my details to run this event, as the "
                <a href="/privacy">"privacy note"</a> " explains."
            </label>
            <p class="hint" id=format!("{id}-hint")>
                "We use your name and e-mail only for this event and erase them after it."
            </p>
        </div>
    }
}

/// `/events/{slug}/registered`: what happened after a registration without JavaScript.
#[component]
pub fn RegisteredPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let outcome = move || {
        let query = query.read();
        match query.get("status").as_deref() {
            Some("waitlisted") => {
                let position = query.get("position").unwrap_or_default();
                ("You are on the waitlist".to_owned(), format!(
                    "The room is full, so you are on the waitlist at position {position}. When a seat \
                     frees, you move up automatically and we write to you. We have sent you an \
                     e-mail with a link to your registration."
                ))
            }
            Some("already") => ("You are already registered".to_owned(),
                "This e-mail address was already registered, so nothing changed. We have sent a new \
                 link to your registration to it.".to_owned()),
            _ => ("Check your e-mail".to_owned(),
                "We are holding a seat for you. Follow the link in the e-mail we just sent to confirm \
                 your address and keep the seat.".to_owned()),
        }
    };
    view! {
        <Title text="Registration received"/>
        <div class="page-head" role="status">
            <h1>{move || outcome().0}</h1>
            <p class="lead">{move || outcome().1}</p>
            <p><a href=move || event_href(&slug())>"Back to the event"</a></p>
        </div>
    }
}
