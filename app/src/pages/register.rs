use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{event_slug, for_event, loaded, not_found};
use crate::api::{load_register_page, load_registered};
use crate::components::form::{
    ErrorSummary, FieldMessages, TextArea, TextField, described_by, error_text, field_id,
};
use crate::i18n::*;
use crate::model::{
    QuestionField, RegisterView, Registered as Outcome, RegisteredQuery, RegisteredView,
    SentAgainNotice, Submission, event_href, register_href, send_again_href,
};
use crate::text::{register_failure, seat_state};

/// `/events/{slug}/register`: the registration form, a plain HTML form that works without
/// JavaScript. A rejected post renders this page again with the values and errors.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let params = use_params_map();
    let page = Resource::new(
        move || event_slug(&params.read()),
        |slug| for_event(slug, load_register_page),
    );
    view! {
        {loaded(page, |page| view! { <RegisterForm page/> }.into_any(), not_found)}
    }
}

#[component]
fn RegisterForm(page: RegisterView) -> impl IntoView {
    let i18n = use_i18n();
    let s = page.submission.clone().unwrap_or_default();
    let open = page.registration.open;
    let waitlist_only = page.registration.waitlist_only;
    let title = page.title.clone();
    let locale = crate::lang_of(i18n.get_locale_untracked()).tag();
    let retention_days = page.retention_days;
    let message = s.failure.as_ref().map(|f| register_failure(i18n, f));
    view! {
        <Title text=t_string!(i18n, register.page_title, title = title.clone()).to_string()/>
        <div class="page-head">
            <p><a href=event_href(page.slug.as_str())>"← " {page.title.clone()}</a></p>
            <h1>{t!(i18n, register.title, title = title.clone())}</h1>
            <p class="lead">{page.when.clone()} {page.place.clone().map(|p| format!(" · {p}"))}</p>
            <p class="seats">{seat_state(i18n, &page.registration.seats)}</p>
        </div>
        <ErrorSummary errors=s.errors.clone() message/>
        {open.then(|| view! {
            <form class="form" method="post" action=register_href(page.slug.as_str()) novalidate>
                <input type="hidden" name="locale" value=locale/>
                <TextField
                    name="name"
                    label=t_string!(i18n, register.name).to_string()
                    hint=Some(t_string!(i18n, register.name_hint).to_string())
                    kind="text"
                    autocomplete="name"
                    required=true
                    submission=s.clone()
                />
                <TextField
                    name="email"
                    label=t_string!(i18n, register.email).to_string()
                    hint=Some(t_string!(i18n, register.email_hint).to_string())
                    kind="email"
                    autocomplete="email"
                    required=true
                    submission=s.clone()
                />
                <TextField
                    name="organisation"
                    label=t_string!(i18n, register.organisation).to_string()
                    hint=None
                    kind="text"
                    autocomplete="organization"
                    required=false
                    submission=s.clone()
                />
                {page.questions
                    .iter()
                    .cloned()
                    .map(|q| view! { <QuestionInput question=q submission=s.clone()/> })
                    .collect_view()}
                <TextArea
                    name="notes"
                    label=t_string!(i18n, register.notes).to_string()
                    submission=s.clone()
                />
                <Consent submission=s retention_days=retention_days/>
                <button class="button" type="submit">
                    {if waitlist_only {
                        t!(i18n, register.submit_waitlist).into_any()
                    } else {
                        t!(i18n, register.submit_register).into_any()
                    }}
                </button>
            </form>
        })}
    }
}

/// One of the event's own questions, asked as its kind asks: a line or a box of text, a list to
/// pick from, radio buttons, checkboxes (several choices), or one box to tick.
#[component]
pub(super) fn QuestionInput(question: QuestionField, submission: Submission) -> impl IntoView {
    use domain::QuestionKind;
    let i18n = use_i18n();
    let name = format!("answers.{}", question.key);
    let id = field_id(&name);
    let error = error_text(&submission, &name);
    let value = submission.value(&name);
    let describedby = described_by(&id, question.hint.is_some(), error.is_some());
    let invalid = error.is_some().then_some("true");
    // A box left unticked is an answer ("no"), so only a text or a choice says "optional".
    let label = if question.required || question.kind == QuestionKind::YesNo {
        question.label.clone()
    } else {
        t_string!(i18n, register.optional, label = question.label.clone()).to_string()
    };
    let messages = view! { <FieldMessages id=id.clone() hint=question.hint.clone() error/> };
    match question.kind {
        QuestionKind::ShortText | QuestionKind::LongText | QuestionKind::Select => {
            let input = match question.kind {
                QuestionKind::ShortText => view! {
                    <input id=id.clone() name=name type="text" value=value aria-describedby=describedby aria-invalid=invalid/>
                }
                .into_any(),
                QuestionKind::LongText => view! {
                    <textarea id=id.clone() name=name rows=4 aria-describedby=describedby aria-invalid=invalid>{value}</textarea>
                }
                .into_any(),
                _ => view! {
                    <select id=id.clone() name=name aria-describedby=describedby aria-invalid=invalid>
                        <option value="" selected=value.is_empty()>{t!(i18n, register.choose)}</option>
                        {question
                            .options
                            .iter()
                            .map(|o| view! { <option value=o.clone() selected=*o == value>{o.clone()}</option> })
                            .collect_view()}
                    </select>
                }
                .into_any(),
            };
            view! {
                <div class="field" class:field-invalid=invalid.is_some()>
                    <label for=id.clone()>{label}</label>
                    {messages}
                    {input}
                </div>
            }
            .into_any()
        }
        QuestionKind::Radios | QuestionKind::Checkboxes => {
            let several = question.kind == QuestionKind::Checkboxes;
            let chosen: Vec<String> = domain::questions::choices(&value)
                .into_iter()
                .map(str::to_owned)
                .collect();
            // The first choice carries the field's id, so that the error summary leads to it.
            let choice_id = move |at: usize| match at {
                0 => id.clone(),
                _ => format!("{id}-{at}"),
            };
            view! {
                <fieldset class="field choices" class:field-invalid=invalid.is_some() aria-describedby=describedby>
                    <legend>{label}</legend>
                    {messages}
                    {question
                        .options
                        .iter()
                        .enumerate()
                        .map(|(at, option)| view! {
                            <div class="field-checkbox">
                                <input
                                    id=choice_id(at)
                                    name=name.clone()
                                    type=if several { "checkbox" } else { "radio" }
                                    value=option.clone()
                                    checked=chosen.contains(option)
                                    aria-invalid=invalid
                                />
                                <label for=choice_id(at)>{option.clone()}</label>
                            </div>
                        })
                        .collect_view()}
                </fieldset>
            }
            .into_any()
        }
        QuestionKind::YesNo => {
            let ticked = matches!(value.as_str(), "yes" | "on" | "true");
            view! {
                <div class="field field-checkbox" class:field-invalid=invalid.is_some()>
                    {messages}
                    <input id=id.clone() name=name type="checkbox" value="yes" checked=ticked aria-describedby=describedby aria-invalid=invalid/>
                    <label for=id.clone()>{label}</label>
                </div>
            }
            .into_any()
        }
    }
}

#[component]
fn Consent(submission: Submission, retention_days: i64) -> impl IntoView {
    let i18n = use_i18n();
    let id = field_id("consent");
    let error = error_text(&submission, "consent");
    let describedby = described_by(&id, true, error.is_some());
    let checked = submission.value("consent") == "on";
    let invalid = error.is_some().then_some("true");
    view! {
        <div class="field field-checkbox" class:field-invalid=invalid.is_some()>
            <FieldMessages id=id.clone() hint=None error/>
            <input id=id.clone() name="consent" type="checkbox" checked=checked aria-describedby=describedby aria-invalid=invalid/>
            <label for=id.clone()>
                {t!(i18n, register.consent_before)} " "
                <a href="/privacy">{t!(i18n, register.consent_link)}</a> " "
                {t!(i18n, register.consent_after)}
            </label>
            <p class="hint" id=format!("{id}-hint")>{t!(i18n, register.consent_hint, days = retention_days)}</p>
        </div>
    }
}

/// `/events/{slug}/registered`: what registering did, where the mail went, until when the seat
/// is held, and "send the mail again".
#[component]
pub fn RegisteredPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let page = Resource::new(
        move || {
            let query = query.read();
            let word = |name: &str| query.get(name);
            (
                event_slug(&params.read()),
                RegisteredQuery {
                    status: word("status"),
                    position: word("position"),
                    until: word("until"),
                    again: word("again"),
                    at: word("at"),
                },
            )
        },
        |(slug, q)| {
            for_event(slug, move |slug| {
                load_registered(slug, q.status, q.position, q.until, q.again, q.at)
            })
        },
    );
    view! {
        {loaded(page, |page| view! { <Registered page/> }.into_any(), not_found)}
    }
}

#[component]
fn Registered(page: RegisteredView) -> impl IntoView {
    let i18n = use_i18n();
    let slug = page.event_slug.clone();
    let heading = match page.outcome {
        Outcome::SeatHeld => t_string!(i18n, registered.pending_title).to_string(),
        Outcome::Waitlisted { .. } => t_string!(i18n, registered.waitlisted_title).to_string(),
        Outcome::Already => t_string!(i18n, registered.already_title).to_string(),
    };
    let lead = match page.outcome {
        Outcome::SeatHeld => Some(t!(i18n, registered.pending_text).into_any()),
        Outcome::Waitlisted {
            position: Some(position),
        } => Some(t!(i18n, registered.waitlisted_text, position).into_any()),
        Outcome::Waitlisted { position: None } => None,
        Outcome::Already => Some(t!(i18n, registered.already_text).into_any()),
    };
    let hold = page
        .hold_until
        .clone()
        .map(|until| view! { <p>{t!(i18n, registered.hold_until, until)}</p> });
    let sent_to = page
        .sent_to
        .clone()
        .map(|address| view! { <p>{t!(i18n, registered.sent_to, address)}</p> });
    let again = page.again.clone().map(|again| {
        let address = page.sent_to.clone().unwrap_or_default();
        let (text, is_error) = match again {
            SentAgainNotice::Sent => (
                t_string!(i18n, registered.again_sent, address).to_string(),
                false,
            ),
            SentAgainNotice::TooSoon { at } => (
                t_string!(i18n, registered.again_too_soon, address, at).to_string(),
                true,
            ),
            SentAgainNotice::NotRegistered => (
                t_string!(i18n, registered.again_none, address).to_string(),
                true,
            ),
            SentAgainNotice::AddressUnknown => (
                t_string!(i18n, registered.again_forgotten).to_string(),
                true,
            ),
            SentAgainNotice::Limited => {
                (t_string!(i18n, registered.again_limited).to_string(), true)
            }
        };
        view! {
            <p class=if is_error { "notice notice-error" } else { "notice notice-ok" }
               role=if is_error { "alert" } else { "status" }>{text}</p>
        }
    });
    let send_again = page.sent_to.is_some().then(|| {
        view! {
            <form method="post" action=send_again_href(&slug)>
                <button id="send-again" class="button button-secondary" type="submit">
                    {t!(i18n, registered.send_again)}
                </button>
            </form>
        }
    });
    view! {
        <Title text=t_string!(i18n, registered.page_title).to_string()/>
        <div class="page-head" role="status">
            <h1>{heading}</h1>
            {lead.map(|lead| view! { <p class="lead">{lead}</p> })}
            {sent_to}
            {hold}
        </div>
        {again}
        <section class="no-mail" aria-labelledby="no-mail-heading">
            <h2 id="no-mail-heading">{t!(i18n, registered.no_mail_title)}</h2>
            <p>{t!(i18n, registered.no_mail_text)}</p>
            {send_again}
            <p><a href=register_href(&slug)>{t!(i18n, registered.register_again)}</a></p>
        </section>
        <p><a href=event_href(&slug)>{t!(i18n, registered.back)}</a></p>
    }
}
