//! `/r/{token}/data`: everything convene keeps about a registration, for the person behind
//! the link, with the JSON download and the way to erase it.

use domain::privacy::{ChangedBy, PersonalData};
use domain::time::format_instant;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::loaded;
use super::manage::{NoticeBox, invalid_link};
use super::register::QuestionInput;
use crate::api::{load_address_change, load_correct_page, load_personal_data};
use crate::components::form::{ErrorSummary, TextArea, TextField};
use crate::i18n::*;
use crate::model::{AddressChangeView, CorrectView, Notice, Submission, address_href, manage_href};

/// `/r/{token}/data`
#[component]
pub fn MyDataPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            (
                params.read().get("token").unwrap_or_default(),
                query.read().get("notice"),
            )
        },
        |(token, notice)| async move {
            let notice = Notice::from_query(notice.as_deref());
            load_personal_data(token.clone())
                .await
                .map(|data| data.map(|data| (token, notice, data)))
        },
    );
    view! {
        <Meta name="referrer" content="no-referrer"/>
        <Meta name="robots" content="noindex"/>
        {loaded(data, |(token, notice, data)| view! { <MyData token notice data/> }.into_any(), invalid_link)}
    }
}

#[component]
fn MyData(token: String, notice: Option<Notice>, data: PersonalData) -> impl IntoView {
    let i18n = use_i18n();
    let lang = crate::lang_of(i18n.get_locale_untracked());
    let zone = data.event.time_zone;
    let at = move |instant: chrono::DateTime<chrono::Utc>| format_instant(instant, zone, lang);
    let manage = manage_href(&token);
    let title = data.event.title.clone();
    let person = data.registration.clone();
    let none = move || view! { <p>{t!(i18n, data.none)}</p> };
    let by = move |who: ChangedBy| match who {
        ChangedBy::You => t_string!(i18n, data.by_you),
        ChangedBy::Organizer => t_string!(i18n, data.by_organizer),
        ChangedBy::System => t_string!(i18n, data.by_system),
    };
    let days = data.retention_days;
    view! {
        <Title text=t_string!(i18n, data.page_title).to_string()/>
        <div class="page-head">
            <p><a href=manage.clone()>"← " {t!(i18n, data.back)}</a></p>
            <h1>{t!(i18n, data.title, title)}</h1>
            <p class="lead">{t!(i18n, data.lead)}</p>
        </div>
        <NoticeBox notice/>
        <p class="actions">
            <a class="button" href=format!("{manage}/data.json") download="" rel="external">{t!(i18n, data.download)}</a>
            <a class="button button-secondary" href=format!("{manage}/edit")>{t!(i18n, data.correct_link)}</a>
            <a class="button button-danger" href=format!("{manage}/erase")>{t!(i18n, data.erase_link)}</a>
        </p>
        {data.erased_by.map(|when| {
            let when = at(when);
            view! { <p class="hint">{t!(i18n, data.erased_by, at = when, days)}</p> }
        })}
        <section aria-labelledby="registration-heading">
            <h2 id="registration-heading">{t!(i18n, data.registration)}</h2>
            <dl class="facts">
                <dt>{t!(i18n, manage.name)}</dt>
                <dd>{person.name.clone()}</dd>
                <dt>{t!(i18n, manage.email)}</dt>
                <dd>{person.email.clone()}</dd>
                {person.organisation.clone().map(|o| view! { <dt>{t!(i18n, manage.organisation)}</dt> <dd>{o}</dd> })}
                {person.notes.clone().map(|n| view! { <dt>{t!(i18n, data.notes)}</dt> <dd>{n}</dd> })}
                {person.answers.iter().map(|(q, a)| view! { <dt>{q.clone()}</dt> <dd>{a.clone()}</dd> }).collect_view()}
                <dt>{t!(i18n, data.language)}</dt>
                <dd>{domain::Lang::from_tag(&person.language).name()}</dd>
                <dt>{t!(i18n, data.status)}</dt>
                <dd>{crate::text::status_label(i18n, person.status)}</dd>
                <dt>{t!(i18n, data.registered_at)}</dt>
                <dd>{at(person.registered_at)}</dd>
                {person.email_confirmed_at.map(|when| view! { <dt>{t!(i18n, data.email_confirmed_at)}</dt> <dd>{at(when)}</dd> })}
                {person.checked_in_at.map(|when| view! { <dt>{t!(i18n, data.checked_in_at)}</dt> <dd>{at(when)}</dd> })}
                <dt>{t!(i18n, data.ticket_code)}</dt>
                <dd>{person.ticket_code.clone()}</dd>
            </dl>
        </section>
        <section aria-labelledby="history-heading">
            <h2 id="history-heading">{t!(i18n, data.history)}</h2>
            <ul>
                {data.history.iter().map(|line| {
                    let text = format!(
                        "{}: {} ({})",
                        at(line.at),
                        crate::text::audit_action(i18n, &line.action),
                        by(line.by)
                    );
                    view! { <li>{text}</li> }
                }).collect_view()}
            </ul>
        </section>
        <section aria-labelledby="topics-heading">
            <h2 id="topics-heading">{t!(i18n, data.topics)}</h2>
            {if data.topics.is_empty() {
                none().into_any()
            } else {
                view! {
                    <ul>
                        {data.topics.iter().map(|topic| {
                            view! { <li>{format!("{} ({})", topic.title, topic.shown_as)}</li> }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section aria-labelledby="votes-heading">
            <h2 id="votes-heading">{t!(i18n, data.votes)}</h2>
            {if data.votes.is_empty() {
                none().into_any()
            } else {
                view! { <ul>{data.votes.iter().map(|title| view! { <li>{title.clone()}</li> }).collect_view()}</ul> }.into_any()
            }}
        </section>
        <section aria-labelledby="mails-heading">
            <h2 id="mails-heading">{t!(i18n, data.mails)}</h2>
            <ul>
                {data.mails.iter().map(|mail| {
                    let when = at(mail.sent_at.unwrap_or(mail.queued_at));
                    let status = crate::text::mail_status(i18n, &mail.status);
                    let line = format!("{} · {status} · {when}", mail.subject);
                    view! { <li>{line}</li> }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// `/data-erased`: where a person lands after erasing their data.
#[component]
pub fn DataErasedPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=t_string!(i18n, erase.done_title).to_string()/>
        <div class="page-head">
            <h1>{t!(i18n, erase.done_title)}</h1>
            <p class="lead">{t!(i18n, erase.done)}</p>
        </div>
        <p><a href="/">{t!(i18n, erase.home)}</a></p>
    }
}

/// `/r/{token}/edit`: the person corrects their name, organisation, notes and answers.
#[component]
pub fn CorrectDetailsPage() -> impl IntoView {
    let params = use_params_map();
    let page = Resource::new(
        move || params.read().get("token").unwrap_or_default(),
        load_correct_page,
    );
    view! {
        <Meta name="referrer" content="no-referrer"/>
        <Meta name="robots" content="noindex"/>
        {loaded(page, |page| view! { <CorrectForm page/> }.into_any(), invalid_link)}
    }
}

#[component]
fn CorrectForm(page: CorrectView) -> impl IntoView {
    let i18n = use_i18n();
    let manage = manage_href(&page.token);
    let submission = page.submission.clone().unwrap_or_else(|| Submission {
        values: page.values.clone(),
        ..Submission::default()
    });
    let title = page.event_title.clone();
    view! {
        <Title text=t_string!(i18n, correct.page_title).to_string()/>
        <div class="page-head">
            <h1>{t!(i18n, correct.title, title)}</h1>
            <p class="lead">{t!(i18n, correct.lead)}</p>
        </div>
        <ErrorSummary errors=submission.errors.clone() message=None/>
        <form class="form" method="post" action=format!("{manage}/edit") novalidate>
            <TextField
                name="name"
                label=t_string!(i18n, register.name).to_string()
                hint=Some(t_string!(i18n, register.name_hint).to_string())
                kind="text"
                autocomplete="name"
                required=true
                submission=submission.clone()
            />
            <TextField
                name="email"
                label=t_string!(i18n, register.email).to_string()
                hint=None
                kind="email"
                autocomplete="email"
                required=true
                submission=submission.clone()
            />
            <TextField
                name="organisation"
                label=t_string!(i18n, register.organisation).to_string()
                hint=None
                kind="text"
                autocomplete="organization"
                required=false
                submission=submission.clone()
            />
            {page
                .questions
                .into_iter()
                .map(|q| view! { <QuestionInput question=q submission=submission.clone()/> })
                .collect_view()}
            <TextArea
                name="notes"
                label=t_string!(i18n, register.notes).to_string()
                submission=submission.clone()
            />
            <p class="actions">
                <button class="button" type="submit">{t!(i18n, correct.save)}</button>
                <a href=format!("{manage}/data")>{t!(i18n, correct.cancel)}</a>
            </p>
        </form>
    }
}

/// `/address/{secret}`: where the mail to a new address leads. Only its button changes the
/// address (mail scanners open every link).
#[component]
pub fn ConfirmAddressPage() -> impl IntoView {
    let params = use_params_map();
    let change = Resource::new(
        move || params.read().get("secret").unwrap_or_default(),
        |secret| async move {
            load_address_change(secret.clone())
                .await
                .map(|change| change.map(|change| (secret, change)))
        },
    );
    view! {
        <Meta name="referrer" content="no-referrer"/>
        <Meta name="robots" content="noindex"/>
        {loaded(
            change,
            |(secret, change)| view! { <ConfirmAddress secret change/> }.into_any(),
            || view! { <InvalidAddressLink/> }.into_any(),
        )}
    }
}

#[component]
fn ConfirmAddress(secret: String, change: AddressChangeView) -> impl IntoView {
    let i18n = use_i18n();
    let (title, email) = (change.event_title.clone(), change.email.clone());
    view! {
        <Title text=t_string!(i18n, address.page_title).to_string()/>
        <div class="page-head">
            <h1>{t!(i18n, address.title, email, title)}</h1>
            <p class="lead">{t!(i18n, address.lead)}</p>
        </div>
        <form method="post" action=address_href(&secret) class="actions">
            <button class="button" type="submit">{t!(i18n, address.button)}</button>
        </form>
    }
}

#[component]
fn InvalidAddressLink() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=t_string!(i18n, address.page_title).to_string()/>
        <div class="page-head">
            <h1>{t!(i18n, address.page_title)}</h1>
        </div>
        <p class="notice notice-error" role="alert">{t!(i18n, address.invalid)}</p>
    }
}

/// `/address-changed`: where a person lands after confirming a new address.
#[component]
pub fn AddressChangedPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=t_string!(i18n, address.done_title).to_string()/>
        <div class="page-head">
            <h1>{t!(i18n, address.done_title)}</h1>
            <p class="lead">{t!(i18n, address.done)}</p>
        </div>
        <p><a href="/">{t!(i18n, erase.home)}</a></p>
    }
}
