//! The organizers' pages under `/admin`. The server lets only signed-in organizers reach them
//! (and their server functions refuse anyone else); every action is a plain form post.

use domain::TopicStatus;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{LoadError, Loading, event_slug, for_event, loaded, not_found};
use crate::api::{
    load_admin_event, load_admin_events, load_admin_person, load_admin_topics, load_check_in,
    load_event_form, load_mail_log, load_organizer, load_organizers, load_sign_in,
};
use crate::components::form::{Checkbox, ErrorSummary, TextArea, TextField};
use crate::i18n::*;
use crate::model::{
    AdminEventItem, AdminEventPage, AdminNotice, AdminPerson, AdminPersonPage, AdminSeats,
    AdminTopic, AdminTopicsPage, AuditLine, CheckInPage, EventFormPage, MailLogPage,
    OrganizersPage, SignInPage, Submission, admin_event_href, event_href, topics_href,
};
use crate::text::{admin_notice, admin_status_label, audit_action, audit_actor, audit_detail};

/// The bar above every admin page: where to go, who is signed in, and signing out.
#[component]
fn AdminBar() -> impl IntoView {
    let i18n = use_i18n();
    let organizer = Resource::new(|| (), |()| load_organizer());
    view! {
        <Meta name="robots" content="noindex"/>
        <nav class="admin-bar" aria-label=t_string!(i18n, admin.nav_label).to_string()>
            <a href="/admin">{t!(i18n, admin.events)}</a>
            <a href="/admin/mail">{t!(i18n, admin.mail_log)}</a>
            <a href="/admin/organizers">{t!(i18n, admin.organizers)}</a>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    organizer.await.ok().map(|email| view! {
                        <span class="admin-who">{t!(i18n, admin.signed_in_as, email)}</span>
                        <form method="post" action="/admin/sign-out" class="inline-form">
                            <button class="link-button" type="submit">{t!(i18n, admin.sign_out)}</button>
                        </form>
                    })
                })}
            </Suspense>
        </nav>
    }
}

/// The notice of an admin page: what an action did, or why not.
#[component]
fn AdminNoticeBox(notice: Option<AdminNotice>) -> impl IntoView {
    let i18n = use_i18n();
    notice.map(|notice| {
        let (text, is_error) = admin_notice(i18n, &notice);
        view! {
            <p class=if is_error { "notice notice-error" } else { "notice notice-ok" }
               role=if is_error { "alert" } else { "status" }>{text}</p>
        }
    })
}

/// `/admin/sign-in`
#[component]
pub fn SignInFormPage() -> impl IntoView {
    let query = use_query_map();
    let page = Resource::new(
        move || query.read().get("notice"),
        |notice| async move { load_sign_in(notice).await.map(Some) },
    );
    view! {
        <Meta name="robots" content="noindex"/>
        {loaded(page, |page| view! { <SignInForm page/> }.into_any(), not_found)}
    }
}

#[component]
fn SignInForm(page: SignInPage) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let next = query
        .read_untracked()
        .get("next")
        .filter(|n| n.starts_with("/admin"))
        .unwrap_or_else(|| "/admin".to_owned());
    let submission = page.submission.clone().unwrap_or_default();
    let locale = crate::lang_of(i18n.get_locale_untracked()).tag();
    view! {
        <Title text=t_string!(i18n, admin.sign_in_title).to_string()/>
        <div class="page-head">
            <h1>{t!(i18n, admin.sign_in_title)}</h1>
            <p class="lead">{t!(i18n, admin.sign_in_lead)}</p>
        </div>
        <AdminNoticeBox notice=page.notice.clone()/>
        <ErrorSummary errors=submission.errors.clone() message=None/>
        <form class="form" method="post" action="/admin/sign-in" novalidate>
            <input type="hidden" name="next" value=next/>
            <input type="hidden" name="locale" value=locale/>
            <TextField
                name="email"
                label=t_string!(i18n, admin.email).to_string()
                hint=None
                kind="email"
                autocomplete="username"
                required=true
                submission=submission.clone()
            />
            <TextField
                name="password"
                label=t_string!(i18n, admin.password).to_string()
                hint=None
                kind="password"
                autocomplete="current-password"
                required=true
                submission=submission.clone()
            />
            <button class="button" type="submit">{t!(i18n, admin.sign_in)}</button>
        </form>
    }
}

/// `/admin`: every event.
#[component]
pub fn AdminHomePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let events = Resource::new(|| (), |()| load_admin_events());
    view! {
        <Title text=t_string!(i18n, admin.events).to_string()/>
        <AdminBar/>
        <div class="page-head">
            <h1>{t!(i18n, admin.events)}</h1>
            <p><a class="button" href="/admin/events/new">{t!(i18n, admin.new_event)}</a></p>
        </div>
        <AdminNoticeBox notice=AdminNotice::from_query(query.read_untracked().get("notice").as_deref(), None)/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match events.await {
                    Ok(events) => {
                        let (upcoming, past): (Vec<_>, Vec<_>) = events.into_iter().partition(|e| e.upcoming);
                        view! {
                            <EventTable id="upcoming" caption=t_string!(i18n, admin.upcoming_events).to_string() events=upcoming/>
                            <EventTable id="past" caption=t_string!(i18n, admin.past_events).to_string() events=past/>
                        }.into_any()
                    }
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One table of the events list, under a visible heading.
#[component]
fn EventTable(id: &'static str, caption: String, events: Vec<AdminEventItem>) -> impl IntoView {
    let i18n = use_i18n();
    if events.is_empty() {
        return None;
    }
    let heading = format!("{id}-heading");
    Some(view! {
        <section class="admin-section" aria-labelledby=heading.clone()>
            <h2 id=heading.clone()>{caption}</h2>
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby=heading.clone()>
                <table class="admin-table">
                    <thead><tr>
                        <th scope="col">{t!(i18n, admin.event)}</th>
                        <th scope="col">{t!(i18n, admin.when)}</th>
                        <th scope="col">{t!(i18n, admin.seats)}</th>
                    </tr></thead>
                    <tbody>
                        {events.into_iter().map(|event| {
                            let seats = event.seats.map(|s| seats_text(i18n, &s));
                            let title = event.title.clone();
                            view! {
                                <tr>
                                    <td>
                                        {match event.seats {
                                            Some(_) => view! { <a href=admin_event_href(&event.slug)>{title}</a> }.into_any(),
                                            None => view! { <span>{title}</span> }.into_any(),
                                        }}
                                        {(!event.published).then(|| view! { " " <span class="badge">{t!(i18n, admin.unpublished)}</span> })}
                                        {event.cancelled.then(|| view! { " " <span class="badge badge-cancelled">{t!(i18n, admin.cancelled_tag)}</span> })}
                                        " · " <a href=format!("{}/edit", admin_event_href(&event.slug))>
                                            {t!(i18n, admin.edit)}<span class="visually-hidden">{format!(": {}", event.title)}</span>
                                        </a>
                                    </td>
                                    <td>{event.when.clone()}</td>
                                    <td>{seats.unwrap_or_else(|| t_string!(i18n, admin.no_registration).to_string())}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    })
}

fn seats_text(i18n: leptos_i18n::I18nContext<Locale>, seats: &AdminSeats) -> String {
    let taken = seats.seats_taken;
    let waiting = seats.waitlisted;
    match seats.capacity {
        Some(capacity) => t_string!(i18n, admin.seats_of, taken, capacity, waiting).to_string(),
        None => t_string!(i18n, admin.seats_unlimited, taken, waiting).to_string(),
    }
}

/// `/admin/events/{slug}`
#[component]
pub fn AdminEventPageView() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let page = Resource::new(
        move || {
            let query = query.read();
            (
                event_slug(&params.read()),
                query.get("q"),
                query.get("notice"),
                query.get("count").and_then(|c| c.parse().ok()),
            )
        },
        |(slug, q, notice, count)| {
            for_event(slug, move |slug| load_admin_event(slug, q, notice, count))
        },
    );
    view! {
        <AdminBar/>
        {loaded(page, |page| view! { <AdminEvent page/> }.into_any(), not_found)}
    }
}

#[component]
fn AdminEvent(page: AdminEventPage) -> impl IntoView {
    let i18n = use_i18n();
    let base = admin_event_href(&page.slug);
    let submission = page.submission.clone().unwrap_or_default();
    let capacity_value = submission
        .values
        .get("capacity")
        .cloned()
        .unwrap_or_else(|| {
            page.seats
                .capacity
                .map(|c| c.to_string())
                .unwrap_or_default()
        });
    let capacity_submission = Submission {
        values: [("capacity".to_owned(), capacity_value)].into(),
        ..submission.clone()
    };
    let seats = page.seats;
    let (taken, waiting, arrived, over) = (
        seats.seats_taken,
        seats.waitlisted,
        seats.checked_in,
        seats.over_capacity,
    );
    let title = page.title.clone();
    view! {
        <Title text=t_string!(i18n, admin.event_title, title = title.clone()).to_string()/>
        <div class="page-head">
            <p><a href="/admin">"← " {t!(i18n, admin.events)}</a></p>
            <h1>{page.title.clone()}</h1>
            <p class="lead">{page.when.clone()}</p>
        </div>
        <AdminNoticeBox notice=page.notice.clone()/>
        {page.cancelled.clone().map(|at| view! { <p class="notice" role="note">{t!(i18n, admin.event_is_cancelled, at)}</p> })}
        <dl class="facts admin-counts">
            <dt>{t!(i18n, admin.capacity)}</dt>
            <dd>{seats.capacity.map_or_else(|| t_string!(i18n, admin.unlimited).to_string(), |c| c.to_string())}</dd>
            <dt>{t!(i18n, admin.seats_taken)}</dt>
            <dd>{taken}</dd>
            <dt>{t!(i18n, admin.waiting)}</dt>
            <dd>{waiting}</dd>
            <dt>{t!(i18n, admin.arrived)}</dt>
            <dd>{arrived}</dd>
        </dl>
        {(over > 0).then(|| view! {
            <p class="notice notice-error" role="status">{t!(i18n, admin.over_capacity, over)}</p>
        })}
        <p class="actions">
            <a class="button button-secondary" href=format!("{base}/check-in")>{t!(i18n, admin.check_in)}</a>
            <a class="button button-secondary" href=format!("{base}/registrations.csv") download=format!("{}-registrations.csv", page.slug)>
                {t!(i18n, admin.export_csv)}
            </a>
            <a class="button button-secondary" href=event_href(&page.slug)>{t!(i18n, admin.public_page)}</a>
            <a class="button button-secondary" href=format!("{base}/edit")>{t!(i18n, admin.edit_event)}</a>
            {page.topics.then(|| view! {
                <a class="button button-secondary" href=format!("{base}/topics")>{t!(i18n, admin.topics)}</a>
            })}
        </p>
        <ErrorSummary errors=submission.errors.clone() message=None/>
        <section class="admin-section" aria-labelledby="capacity-heading">
            <h2 id="capacity-heading">{t!(i18n, admin.capacity_heading)}</h2>
            <form class="form" method="post" action=format!("{base}/capacity") novalidate>
                <TextField
                    name="capacity"
                    label=t_string!(i18n, admin.capacity).to_string()
                    hint=Some(t_string!(i18n, admin.capacity_hint).to_string())
                    kind="number"
                    autocomplete="off"
                    required=false
                    submission=capacity_submission
                />
                <button class="button" type="submit">{t!(i18n, admin.save_capacity)}</button>
            </form>
            {page.cancelled.is_none().then(|| view! {
                <form method="post" action=format!("{base}/registration") class="actions">
                    <input type="hidden" name="open" value=if page.registration_open { "false" } else { "true" }/>
                    <p>{if page.registration_open { t_string!(i18n, admin.registration_is_open) } else { t_string!(i18n, admin.registration_is_closed) }}</p>
                    <button class="button button-secondary" type="submit">
                        {if page.registration_open { t_string!(i18n, admin.close_registration) } else { t_string!(i18n, admin.open_registration) }}
                    </button>
                </form>
            })}
        </section>
        <section class="admin-section" aria-labelledby="people-heading">
            <h2 id="people-heading">{t!(i18n, admin.people)}</h2>
            <form method="get" action=base.clone() class="search-form" role="search">
                <label for="q">{t!(i18n, admin.search)}</label>
                <input id="q" name="q" type="search" value=page.query.clone()/>
                <button class="button button-secondary" type="submit">{t!(i18n, admin.search_button)}</button>
            </form>
            <PeopleTable caption=t_string!(i18n, admin.seated, taken).to_string() id="seated" people=page.seated.clone() slug=page.slug.clone() waiting=false/>
            <PeopleTable caption=t_string!(i18n, admin.waitlist, waiting).to_string() id="waiting" people=page.waiting.clone() slug=page.slug.clone() waiting=true/>
            {(!page.ended.is_empty()).then(|| view! {
                <details>
                    <summary>{t!(i18n, admin.ended, count = page.ended.len())}</summary>
                    <PeopleTable caption=t_string!(i18n, admin.ended_caption).to_string() id="ended" people=page.ended.clone() slug=page.slug.clone() waiting=false/>
                </details>
            })}
        </section>
        <section class="admin-section" aria-labelledby="broadcast-heading">
            <h2 id="broadcast-heading">{t!(i18n, admin.broadcast_heading)}</h2>
            <form class="form" method="post" action=format!("{base}/broadcast") novalidate>
                <fieldset class="field" class:field-invalid=submission.error("audience").is_some()>
                    <legend>{t!(i18n, admin.audience)}</legend>
                    {submission.error("audience").map(|_| view! {
                        <p class="field-message" id="field-audience-error">{t!(i18n, admin.audience_required)}</p>
                    })}
                    <div class="field-checkbox">
                        <input id="field-seated" name="seated" type="checkbox" checked=true/>
                        <label for="field-seated">{t!(i18n, admin.audience_seated, taken)}</label>
                    </div>
                    <div class="field-checkbox">
                        <input id="field-waiting" name="waiting" type="checkbox"/>
                        <label for="field-waiting">{t!(i18n, admin.audience_waiting, waiting)}</label>
                    </div>
                </fieldset>
                <TextField
                    name="subject"
                    label=t_string!(i18n, admin.subject).to_string()
                    hint=None
                    kind="text"
                    autocomplete="off"
                    required=true
                    submission=submission.clone()
                />
                <TextArea
                    name="message"
                    label=t_string!(i18n, admin.message).to_string()
                    hint=t_string!(i18n, admin.message_hint).to_string()
                    rows=6
                    submission=submission.clone()
                />
                <button class="button" type="submit">{t!(i18n, admin.send_message)}</button>
            </form>
        </section>
        <section class="admin-section" aria-labelledby="log-heading">
            <h2 id="log-heading">{t!(i18n, admin.settings_log)}</h2>
            <AuditTable lines=page.log.clone() id="event-log"/>
        </section>
    }
}

#[component]
fn PeopleTable(
    caption: String,
    id: &'static str,
    people: Vec<AdminPerson>,
    slug: String,
    waiting: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let caption_id = format!("{id}-caption");
    let labelled_by = caption_id.clone();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby=labelled_by>
            <table class="admin-table" id=id>
                <caption id=caption_id>{caption}</caption>
                <thead><tr>
                    {waiting.then(|| view! { <th scope="col">{t!(i18n, admin.position)}</th> })}
                    <th scope="col">{t!(i18n, admin.name)}</th>
                    <th scope="col">{t!(i18n, admin.email)}</th>
                    <th scope="col">{t!(i18n, admin.organisation)}</th>
                    <th scope="col">{t!(i18n, admin.status)}</th>
                </tr></thead>
                <tbody>
                    {people.into_iter().map(|p| {
                        let href = format!("{}/registrations/{}", admin_event_href(&slug), p.id);
                        let status = admin_status_label(i18n, p.status);
                        let arrived = p.checked_in.then(|| format!(" · {}", t_string!(i18n, admin.arrived)));
                        view! {
                            <tr>
                                {waiting.then(|| view! { <td>{p.waitlist_position.unwrap_or(0)}</td> })}
                                <td><a href=href>{p.name.clone()}</a></td>
                                <td>{p.email.clone()}</td>
                                <td>{p.organisation.clone().unwrap_or_default()}</td>
                                <td>{status}{arrived}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn AuditTable(lines: Vec<AuditLine>, id: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    if lines.is_empty() {
        return view! { <p class="empty">{t!(i18n, admin.no_changes)}</p> }.into_any();
    }
    let caption_id = format!("{id}-caption");
    let labelled_by = caption_id.clone();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby=labelled_by>
            <table class="admin-table" id=id>
                <caption id=caption_id class="visually-hidden">{t!(i18n, admin.history)}</caption>
                <thead><tr>
                    <th scope="col">{t!(i18n, admin.at)}</th>
                    <th scope="col">{t!(i18n, admin.by)}</th>
                    <th scope="col">{t!(i18n, admin.change)}</th>
                    <th scope="col">{t!(i18n, admin.detail)}</th>
                </tr></thead>
                <tbody>
                    {lines.into_iter().map(|line| {
                        let detail = audit_detail(i18n, &line);
                        view! {
                            <tr>
                                <td>{line.at}</td>
                                <td>{audit_actor(i18n, &line.actor)}</td>
                                <td><span title=line.action.clone()>{audit_action(i18n, &line.action)}</span></td>
                                <td>{detail}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// `/admin/events/{slug}/registrations/{id}`
#[component]
pub fn AdminPersonPageView() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let page = Resource::new(
        move || {
            let params = params.read();
            (
                event_slug(&params),
                params
                    .get("id")
                    .and_then(|id| id.parse::<i64>().ok())
                    .unwrap_or(0),
                query.read().get("notice"),
            )
        },
        |(slug, id, notice)| for_event(slug, move |slug| load_admin_person(slug, id, notice)),
    );
    view! {
        <AdminBar/>
        {loaded(page, |page| view! { <AdminPersonView page/> }.into_any(), not_found)}
    }
}

#[component]
fn AdminPersonView(page: AdminPersonPage) -> impl IntoView {
    let i18n = use_i18n();
    let person = page.person.clone();
    let action = |what: &str| {
        format!(
            "{}/registrations/{}/{what}",
            admin_event_href(&page.event_slug),
            person.id
        )
    };
    let submission = page.submission.clone().unwrap_or_default();
    let active = person.status.is_active();
    let seated = person.status.holds_seat();
    let name = person.name.clone();
    view! {
        <Title text=t_string!(i18n, admin.person_title, name = name.clone()).to_string()/>
        <div class="page-head">
            <p><a href=admin_event_href(&page.event_slug)>"← " {page.event_title.clone()}</a></p>
            <h1>{person.name.clone()}</h1>
        </div>
        <AdminNoticeBox notice=page.notice.clone()/>
        <dl class="facts">
            <dt>{t!(i18n, admin.status)}</dt>
            <dd>
                {admin_status_label(i18n, person.status)}
                {person.waitlist_position.map(|p| format!(" · #{p}"))}
                {person.checked_in.then(|| format!(" · {}", t_string!(i18n, admin.arrived)))}
            </dd>
            <dt>{t!(i18n, admin.email)}</dt>
            <dd>{person.email.clone()}</dd>
            {person.organisation.clone().map(|o| view! { <dt>{t!(i18n, admin.organisation)}</dt> <dd>{o}</dd> })}
            <dt>{t!(i18n, admin.registered)}</dt>
            <dd>{person.registered.clone()}</dd>
            {page.answers.iter().map(|(q, a)| view! { <dt>{q.clone()}</dt> <dd>{a.clone()}</dd> }).collect_view()}
            {page.notes.clone().map(|n| view! { <dt>{t!(i18n, admin.notes)}</dt> <dd>{n}</dd> })}
        </dl>
        <ErrorSummary errors=submission.errors.clone() message=None/>
        {page.can_promote.then(|| view! {
            <section class="admin-section" aria-labelledby="promote-heading">
                <h2 id="promote-heading">{t!(i18n, admin.promote_heading)}</h2>
                <p class="hint">{t!(i18n, admin.promote_hint)}</p>
                <form class="form" method="post" action=action("promote") novalidate>
                    <TextField
                        name="reason"
                        label=t_string!(i18n, admin.reason).to_string()
                        hint=Some(t_string!(i18n, admin.reason_hint).to_string())
                        kind="text"
                        autocomplete="off"
                        required=true
                        submission=submission.clone()
                    />
                    <button class="button" type="submit">{t!(i18n, admin.promote)}</button>
                </form>
            </section>
        })}
        {seated.then(|| view! {
            <form method="post" action=action("check-in") class="actions">
                <input type="hidden" name="arrived" value=if person.checked_in { "false" } else { "true" }/>
                <button class="button button-secondary" type="submit">
                    {if person.checked_in { t_string!(i18n, admin.undo_check_in) } else { t_string!(i18n, admin.mark_arrived) }}
                </button>
            </form>
        })}
        {active.then(|| view! {
            <section class="admin-section" aria-labelledby="manage-heading">
                <h2 id="manage-heading">{t!(i18n, admin.manage_heading)}</h2>
                <form method="post" action=action("resend") class="actions">
                    <button class="button button-secondary" type="submit">{t!(i18n, admin.resend)}</button>
                </form>
                <form method="post" action=action("cancel") class="form">
                    <div class="field field-checkbox">
                        <input id="field-notify" name="notify" type="checkbox" checked=true/>
                        <label for="field-notify">{t!(i18n, admin.notify)}</label>
                    </div>
                    <button class="button button-danger" type="submit">{t!(i18n, admin.cancel_registration)}</button>
                </form>
            </section>
        })}
        <section class="admin-section" aria-labelledby="history-heading">
            <h2 id="history-heading">{t!(i18n, admin.history)}</h2>
            <AuditTable lines=page.history.clone() id="history"/>
        </section>
    }
}

/// `/admin/events/{slug}/check-in`: the door list, made for a phone.
#[component]
pub fn CheckInPageView() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let page = Resource::new(
        move || (event_slug(&params.read()), query.read().get("notice")),
        |(slug, notice)| for_event(slug, move |slug| load_check_in(slug, notice)),
    );
    view! {
        <AdminBar/>
        {loaded(page, |page| view! { <CheckInList page/> }.into_any(), not_found)}
    }
}

#[component]
fn CheckInList(page: CheckInPage) -> impl IntoView {
    let i18n = use_i18n();
    let (arrived, expected) = (page.arrived, page.expected);
    let title = page.title.clone();
    view! {
        <Title text=t_string!(i18n, admin.check_in_title, title = title.clone()).to_string()/>
        <div class="page-head">
            <p><a href=admin_event_href(&page.slug)>"← " {page.title.clone()}</a></p>
            <h1>{t!(i18n, admin.check_in_title, title = title.clone())}</h1>
            <p class="lead" id="arrived-count">{t!(i18n, admin.arrived_of, arrived, expected)}</p>
        </div>
        <AdminNoticeBox notice=page.notice.clone()/>
        <ul class="check-in-list">
            {page.people.iter().map(|p| {
                let action = format!("{}/registrations/{}/check-in", admin_event_href(&page.slug), p.id);
                let name = p.name.clone();
                view! {
                    <li class:arrived=p.checked_in>
                        <span class="check-in-name">
                            {p.name.clone()}
                            {p.organisation.clone().map(|o| view! { <span class="hint">{format!(" · {o}")}</span> })}
                        </span>
                        <form method="post" action=action>
                            <input type="hidden" name="arrived" value=if p.checked_in { "false" } else { "true" }/>
                            <input type="hidden" name="back" value="check-in"/>
                            <button class=if p.checked_in { "button button-secondary" } else { "button" } type="submit">
                                {if p.checked_in { t_string!(i18n, admin.undo_check_in) } else { t_string!(i18n, admin.mark_arrived) }}
                                <span class="visually-hidden">{format!(": {name}")}</span>
                            </button>
                        </form>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// `/admin/organizers`: who can sign in; add an organizer, take access away, change one's own
/// password.
#[component]
pub fn OrganizersPageView() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = Resource::new(
        move || query.read().get("notice"),
        |notice| async move { load_organizers(notice).await.map(Some) },
    );
    view! {
        <Title text=t_string!(i18n, admin.organizers).to_string()/>
        <AdminBar/>
        <div class="page-head"><h1>{t!(i18n, admin.organizers)}</h1></div>
        {loaded(page, |page| view! { <Organizers page/> }.into_any(), not_found)}
    }
}

#[component]
fn Organizers(page: OrganizersPage) -> impl IntoView {
    let i18n = use_i18n();
    let submission = page.submission.clone().unwrap_or_default();
    let field = |name: &'static str,
                 label: String,
                 hint: Option<String>,
                 kind: &'static str,
                 autocomplete: &'static str| {
        view! {
            <TextField name=name label=label hint=hint kind=kind autocomplete=autocomplete required=true submission=submission.clone()/>
        }
    };
    view! {
        <AdminNoticeBox notice=page.notice.clone()/>
        <ErrorSummary errors=submission.errors.clone() message=None/>
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="organizers-caption">
            <table class="admin-table">
                <caption id="organizers-caption" class="visually-hidden">{t!(i18n, admin.organizers)}</caption>
                <thead><tr>
                    <th scope="col">{t!(i18n, admin.email)}</th>
                    <th scope="col">{t!(i18n, admin.organizer_since)}</th>
                    <th scope="col">{t!(i18n, admin.actions)}</th>
                </tr></thead>
                <tbody>
                    {page.organizers.into_iter().map(|o| view! {
                        <tr>
                            <td>{o.email.clone()}</td>
                            <td>{o.since.clone()}</td>
                            <td>{if o.you {
                                view! { <span>{t!(i18n, admin.organizer_you)}</span> }.into_any()
                            } else {
                                view! {
                                    <form method="post" action=format!("/admin/organizers/{}/remove", o.id) class="inline-form">
                                        <button class="button button-danger" type="submit">
                                            {t!(i18n, admin.remove_organizer)}<span class="visually-hidden">{format!(": {}", o.email)}</span>
                                        </button>
                                    </form>
                                }.into_any()
                            }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <section class="admin-section" aria-labelledby="add-organizer-heading">
            <h2 id="add-organizer-heading">{t!(i18n, admin.add_organizer)}</h2>
            <p class="hint">{t!(i18n, admin.add_organizer_hint)}</p>
            <form class="form" method="post" action="/admin/organizers" novalidate>
                {field("email", t_string!(i18n, admin.email).to_string(), None, "email", "off")}
                {field("password", t_string!(i18n, admin.first_password).to_string(), Some(t_string!(i18n, admin.password_hint).to_string()), "password", "new-password")}
                <button class="button" type="submit">{t!(i18n, admin.add_organizer_button)}</button>
            </form>
        </section>
        <section class="admin-section" aria-labelledby="password-heading">
            <h2 id="password-heading">{t!(i18n, admin.change_password)}</h2>
            <p class="hint">{t!(i18n, admin.change_password_hint)}</p>
            <form class="form" method="post" action="/admin/organizers/password" novalidate>
                {field("current_password", t_string!(i18n, admin.current_password).to_string(), None, "password", "current-password")}
                {field("new_password", t_string!(i18n, admin.new_password).to_string(), Some(t_string!(i18n, admin.password_hint).to_string()), "password", "new-password")}
                <button class="button" type="submit">{t!(i18n, admin.change_password_button)}</button>
            </form>
        </section>
    }
}

/// `/admin/mail`: every mail, its status and attempts; failed ones can be sent again.
#[component]
pub fn MailLogPageView() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = Resource::new(
        move || query.read().get("notice"),
        |notice| async move { load_mail_log(notice).await.map(Some) },
    );
    view! {
        <Title text=t_string!(i18n, admin.mail_log).to_string()/>
        <AdminBar/>
        <div class="page-head"><h1>{t!(i18n, admin.mail_log)}</h1></div>
        {loaded(page, |page| view! { <MailTable page/> }.into_any(), not_found)}
    }
}

#[component]
fn MailTable(page: MailLogPage) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <AdminNoticeBox notice=page.notice.clone()/>
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="mail-log-caption">
            <table class="admin-table">
                <caption id="mail-log-caption" class="visually-hidden">{t!(i18n, admin.mail_log)}</caption>
                <thead><tr>
                    <th scope="col">{t!(i18n, admin.at)}</th>
                    <th scope="col">{t!(i18n, admin.recipient)}</th>
                    <th scope="col">{t!(i18n, admin.subject)}</th>
                    <th scope="col">{t!(i18n, admin.status)}</th>
                    <th scope="col">{t!(i18n, admin.attempts)}</th>
                    <th scope="col">{t!(i18n, admin.last_error)}</th>
                </tr></thead>
                <tbody>
                    {page.mails.into_iter().map(|m| view! {
                        <tr id=format!("mail-{}", m.id)>
                            <td>{m.created.clone()}</td>
                            <td>{m.recipient.clone()}</td>
                            <td>{m.subject.clone()}</td>
                            <td>{m.status.clone()}</td>
                            <td>{m.attempts}</td>
                            <td>
                                {m.last_error.clone().unwrap_or_default()}
                                {m.retryable.then(|| view! {
                                    <form method="post" action=format!("/admin/mail/{}/retry", m.id)>
                                        <button class="button button-secondary" type="submit">{t!(i18n, admin.retry)}</button>
                                    </form>
                                })}
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// `/admin/events/{slug}/topics`: accept, hide, merge and order the topics of an event.
#[component]
pub fn AdminTopicsPageView() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let page = Resource::new(
        move || (event_slug(&params.read()), query.read().get("notice")),
        |(slug, notice)| for_event(slug, move |slug| load_admin_topics(slug, notice)),
    );
    view! {
        <AdminBar/>
        {loaded(page, |page| view! { <AdminTopics page/> }.into_any(), not_found)}
    }
}

#[component]
fn AdminTopics(page: AdminTopicsPage) -> impl IntoView {
    let i18n = use_i18n();
    let base = format!("{}/topics", admin_event_href(&page.slug));
    let title = page.title.clone();
    let titles: Vec<(i64, String)> = page
        .topics
        .iter()
        .map(|t| (t.id, t.title.clone()))
        .collect();
    let title_of = move |id: i64| {
        titles
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, t)| t.clone())
            .unwrap_or_default()
    };
    let targets: Vec<(i64, String)> = page
        .topics
        .iter()
        .filter(|t| t.status.takes_votes())
        .map(|t| (t.id, t.title.clone()))
        .collect();
    let accepted: Vec<AdminTopic> = page
        .topics
        .iter()
        .filter(|t| t.status == TopicStatus::Accepted)
        .cloned()
        .collect();
    let submission = page.submission.clone().unwrap_or_default();
    view! {
        <Title text=t_string!(i18n, admin.topics_title, title = title.clone()).to_string()/>
        <div class="page-head">
            <p><a href=admin_event_href(&page.slug)>"← " {page.title.clone()}</a></p>
            <h1>{t!(i18n, admin.topics_title, title = title.clone())}</h1>
            <p class="lead">{t!(i18n, admin.topics_lead)}</p>
            <p><a href=topics_href(&page.slug)>{t!(i18n, admin.public_board)}</a></p>
        </div>
        <AdminNoticeBox notice=page.notice.clone()/>
        <ErrorSummary errors=submission.errors.clone() message=None/>
        {page.topics.is_empty().then(|| view! { <p class="empty">{t!(i18n, admin.no_topics)}</p> })}
        <ul class="check-in-list admin-topics">
            {page.topics.iter().map(|topic| {
                let id = topic.id;
                let name = topic.title.clone();
                let status = match topic.status {
                    TopicStatus::Accepted => t_string!(i18n, topics.group_accepted),
                    TopicStatus::Proposed => t_string!(i18n, topics.group_proposed),
                    TopicStatus::Merged => t_string!(i18n, topics.group_merged),
                    TopicStatus::Hidden => t_string!(i18n, topics.group_hidden),
                };
                let detail = match (topic.merged_into, topic.hidden_reason.clone()) {
                    (Some(target), _) => Some(format!("→ {}", title_of(target))),
                    (_, Some(reason)) => Some(reason),
                    _ => None,
                };
                let others: Vec<(i64, String)> = targets.iter().filter(|(t, _)| *t != id).cloned().collect();
                let votes = topic.votes;
                view! {
                    <li id=format!("topic-{id}") class="admin-topic">
                        <div>
                            <strong>{topic.title.clone()}</strong>
                            <p class="hint">
                                {status} " · " {t!(i18n, admin.votes)} ": " {votes} " · "
                                {t!(i18n, admin.proposed_by)} " " {topic.shown_as.clone()}
                                {detail.map(|d| format!(" · {d}"))}
                            </p>
                        </div>
                        {(topic.status == TopicStatus::Proposed).then(|| view! {
                            <form method="post" action=format!("{base}/{id}/accept")>
                                <button class="button" type="submit">
                                    {t!(i18n, admin.accept)}<span class="visually-hidden">{format!(": {name}")}</span>
                                </button>
                            </form>
                        })}
                        {topic.status.takes_votes().then(|| view! {
                            <form method="post" action=format!("{base}/{id}/hide") class="search-form">
                                <label for=format!("hide-{id}")>
                                    {t!(i18n, admin.hide_reason)}<span class="visually-hidden">{format!(": {name}")}</span>
                                </label>
                                <input id=format!("hide-{id}") name="reason" type="text" required/>
                                <button class="button button-secondary" type="submit">
                                    {t!(i18n, admin.hide)}<span class="visually-hidden">{format!(": {name}")}</span>
                                </button>
                            </form>
                        })}
                        {(topic.status.takes_votes() && !others.is_empty()).then(|| view! {
                            <form method="post" action=format!("{base}/{id}/merge") class="search-form">
                                <label for=format!("merge-{id}")>
                                    {t!(i18n, admin.merge_into)}<span class="visually-hidden">{format!(" ({name})")}</span>
                                </label>
                                <select id=format!("merge-{id}") name="target">
                                    {others.iter().map(|(target, title)| view! {
                                        <option value=target.to_string()>{title.clone()}</option>
                                    }).collect_view()}
                                </select>
                                <button class="button button-secondary" type="submit">
                                    {t!(i18n, admin.merge)}<span class="visually-hidden">{format!(": {name}")}</span>
                                </button>
                            </form>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
        {(!accepted.is_empty()).then(|| view! {
            <section class="admin-section" aria-labelledby="order-heading">
                <h2 id="order-heading">{t!(i18n, admin.agenda_order)}</h2>
                <form method="post" action=format!("{base}/order") class="form">
                    {accepted.iter().map(|topic| view! {
                        <div class="field">
                            <label for=format!("position-{}", topic.id)>{topic.title.clone()}</label>
                            <input
                                id=format!("position-{}", topic.id)
                                name=format!("position.{}", topic.id)
                                type="number"
                                min="1"
                                value=topic.agenda_position.map(|p| p.to_string()).unwrap_or_default()
                            />
                        </div>
                    }).collect_view()}
                    <button class="button" type="submit">{t!(i18n, admin.save_order)}</button>
                </form>
            </section>
        })}
    }
}

/// `/admin/events/new`
#[component]
pub fn NewEventPage() -> impl IntoView {
    event_form_page(false)
}

/// `/admin/events/{slug}/edit`
#[component]
pub fn EditEventPage() -> impl IntoView {
    event_form_page(true)
}

fn event_form_page(existing: bool) -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let page = Resource::new(
        move || {
            let query = query.read();
            (
                existing.then(|| event_slug(&params.read())),
                query.get("notice"),
                query.get("count").and_then(|c| c.parse().ok()),
            )
        },
        |(existing, notice, count)| async move {
            match existing {
                None => load_event_form(None, notice, count).await,
                Some(slug) => {
                    for_event(slug, move |slug| load_event_form(Some(slug), notice, count)).await
                }
            }
        },
    );
    view! {
        <AdminBar/>
        {loaded(page, |page| view! { <EventForm page/> }.into_any(), not_found)}
    }
}

#[component]
fn EventForm(page: EventFormPage) -> impl IntoView {
    let i18n = use_i18n();
    let mut submission = page.submission.clone().unwrap_or_default();
    // The event form always sends its title. When another form of this page was refused, the
    // event form shows the saved values (the refused form's own values take precedence); when
    // the event form was refused, exactly what was sent (an unticked box sends nothing).
    if !submission.values.contains_key("title") {
        let sent = std::mem::take(&mut submission.values);
        submission.values = page.values.clone();
        submission.values.extend(sent);
    }
    let value = |name: &str| submission.values.get(name).cloned().unwrap_or_default();
    let checked = |name: &str| domain::is_ticked(&value(name));
    let kind = value("kind");
    let (action, heading) = match &page.original_slug {
        Some(slug) => (
            format!("{}/edit", admin_event_href(slug)),
            t_string!(i18n, admin.edit_event).to_string(),
        ),
        None => (
            "/admin/events".to_owned(),
            t_string!(i18n, admin.new_event).to_string(),
        ),
    };
    let text = |name: &'static str,
                label: String,
                hint: Option<String>,
                kind: &'static str,
                required: bool| {
        view! {
            <TextField
                name=name
                label=label
                hint=hint
                kind=kind
                autocomplete="off"
                required=required
                submission=submission.clone()
            />
        }
    };
    let kind_error = submission.error("kind").is_some();
    view! {
        <Title text=heading.clone()/>
        <div class="page-head">
            <p><a href="/admin">"← " {t!(i18n, admin.events)}</a></p>
            <h1>{heading}</h1>
        </div>
        <AdminNoticeBox notice=page.notice.clone()/>
        <ErrorSummary errors=submission.errors.clone() message=None/>
        <form class="form" method="post" action=action.clone() novalidate>
            {text("title", t_string!(i18n, admin.field_title).to_string(), None, "text", true)}
            {text("slug", t_string!(i18n, admin.field_slug).to_string(), Some(t_string!(i18n, admin.hint_slug).to_string()), "text", true)}
            <div class="field" class:field-invalid=kind_error>
                <label for="field-kind">{t!(i18n, admin.field_kind)}</label>
                <select id="field-kind" name="kind">
                    {domain::EventKind::ALL.into_iter().map(|k| view! {
                        <option value=k.as_str() selected=k.as_str() == kind>{crate::text::kind_label(i18n, k)}</option>
                    }).collect_view()}
                </select>
            </div>
            {text("summary", t_string!(i18n, admin.field_summary).to_string(), None, "text", false)}
            <TextArea
                name="description"
                label=t_string!(i18n, admin.field_description).to_string()
                hint=t_string!(i18n, admin.hint_description).to_string()
                rows=8
                submission=submission.clone()
            />
            {text("time_zone", t_string!(i18n, admin.field_time_zone).to_string(), Some(t_string!(i18n, admin.hint_time_zone).to_string()), "text", true)}
            {text("starts_at", t_string!(i18n, admin.field_starts_at).to_string(), Some(t_string!(i18n, admin.hint_times).to_string()), "datetime-local", true)}
            {text("ends_at", t_string!(i18n, admin.field_ends_at).to_string(), None, "datetime-local", true)}
            {text("recurrence", t_string!(i18n, admin.field_recurrence).to_string(), Some(t_string!(i18n, admin.hint_recurrence).to_string()), "text", false)}
            {text("venue", t_string!(i18n, admin.field_venue).to_string(), None, "text", false)}
            {text("online_url", t_string!(i18n, admin.field_online_url).to_string(), None, "url", false)}
            {text("host", t_string!(i18n, admin.field_host).to_string(), None, "text", false)}
            {text("external_url", t_string!(i18n, admin.field_external_url).to_string(), None, "url", false)}
            <div class="field field-checkbox">
                <input id="field-registration" name="registration" type="checkbox" checked=checked("registration")/>
                <label for="field-registration">{t!(i18n, admin.field_registration)}</label>
            </div>
            {if page.capacity_here {
                text("capacity", t_string!(i18n, admin.capacity).to_string(), Some(t_string!(i18n, admin.capacity_hint).to_string()), "number", false).into_any()
            } else {
                view! { <p class="hint">{t!(i18n, admin.capacity_elsewhere)}</p> }.into_any()
            }}
            <div class="field field-checkbox">
                <input id="field-waitlist" name="waitlist" type="checkbox" checked=checked("waitlist")/>
                <label for="field-waitlist">{t!(i18n, admin.field_waitlist)}</label>
            </div>
            {text("confirmation_hours", t_string!(i18n, admin.field_confirmation_hours).to_string(), None, "number", false)}
            {text("registration_opens_at", t_string!(i18n, admin.field_registration_opens_at).to_string(), Some(t_string!(i18n, admin.hint_registration_window).to_string()), "datetime-local", false)}
            {text("registration_closes_at", t_string!(i18n, admin.field_registration_closes_at).to_string(), None, "datetime-local", false)}
            <div class="field field-checkbox">
                <input id="field-topics" name="topics" type="checkbox" checked=checked("topics")/>
                <label for="field-topics">{t!(i18n, admin.field_topics)}</label>
            </div>
            <div class="field field-checkbox">
                <input id="field-published" name="published" type="checkbox" checked=checked("published")/>
                <label for="field-published">{t!(i18n, admin.field_published)}</label>
            </div>
            <button class="button" type="submit">{t!(i18n, admin.save_event)}</button>
        </form>
        {page
            .original_slug
            .clone()
            .filter(|_| !page.values.get("recurrence").is_none_or(|r| r.is_empty()))
            .map(|slug| {
                let change = submission.values.get("change").cloned().unwrap_or_else(|| "cancel".to_owned());
                view! {
                    <section class="admin-section" aria-labelledby="occurrence-heading">
                        <h2 id="occurrence-heading">{t!(i18n, admin.occurrence_heading)}</h2>
                        <p class="hint">{t!(i18n, admin.occurrence_hint)}</p>
                        <form class="form" method="post" action=format!("{}/occurrence", admin_event_href(&slug)) novalidate>
                            {text("date", t_string!(i18n, admin.field_date).to_string(), None, "date", true)}
                            <fieldset class="field">
                                <legend>{t!(i18n, admin.change_legend)}</legend>
                                {[("cancel", t_string!(i18n, admin.change_cancel)), ("move", t_string!(i18n, admin.change_move)), ("restore", t_string!(i18n, admin.change_restore))]
                                    .into_iter()
                                    .map(|(value, label)| view! {
                                        <div class="field-checkbox">
                                            <input id=format!("field-change-{value}") name="change" type="radio" value=value checked=change == value/>
                                            <label for=format!("field-change-{value}")>{label}</label>
                                        </div>
                                    })
                                    .collect_view()}
                            </fieldset>
                            {text("moved_starts_at", t_string!(i18n, admin.field_moved_starts_at).to_string(), Some(t_string!(i18n, admin.hint_times).to_string()), "datetime-local", false)}
                            {text("moved_ends_at", t_string!(i18n, admin.field_moved_ends_at).to_string(), None, "datetime-local", false)}
                            <button class="button" type="submit">{t!(i18n, admin.save_occurrence)}</button>
                        </form>
                    </section>
                }
            })}
        {page.original_slug.clone().map(|slug| {
            let mailed = page.active_registrations;
            view! {
                <section class="admin-section" aria-labelledby="cancel-heading">
                    <h2 id="cancel-heading">{t!(i18n, admin.cancel_event_heading)}</h2>
                    {match page.cancelled.clone() {
                        Some(at) => view! { <p>{t!(i18n, admin.event_is_cancelled, at)}</p> }.into_any(),
                        None => view! {
                            <p>{if mailed == 0 {
                                t_string!(i18n, admin.cancel_event_hint_nobody).to_string()
                            } else {
                                t_string!(i18n, admin.cancel_event_hint, mailed).to_string()
                            }}</p>
                            <form class="form" method="post" action=format!("{}/cancel", admin_event_href(&slug)) novalidate>
                                <TextArea
                                    name="message"
                                    label=t_string!(i18n, admin.cancel_event_message).to_string()
                                    hint=t_string!(i18n, admin.cancel_event_message_hint).to_string()
                                    rows=4
                                    submission=submission.clone()
                                />
                                <Checkbox
                                    name="confirm"
                                    label=t_string!(i18n, admin.cancel_event_confirm).to_string()
                                    submission=submission.clone()
                                />
                                <button class="button button-danger" type="submit">{t!(i18n, admin.cancel_event_button)}</button>
                            </form>
                        }.into_any(),
                    }}
                </section>
            }
        })}
        {page.original_slug.clone().map(|slug| view! {
            <section class="admin-section" aria-labelledby="delete-heading">
                <h2 id="delete-heading">{t!(i18n, admin.delete_heading)}</h2>
                {if page.has_registrations {
                    view! { <p>{t!(i18n, admin.cannot_delete)}</p> }.into_any()
                } else {
                    view! {
                        <p>{t!(i18n, admin.delete_hint)}</p>
                        <form method="post" action=format!("{}/delete", admin_event_href(&slug))>
                            <button class="button button-danger" type="submit">{t!(i18n, admin.delete_event)}</button>
                        </form>
                    }.into_any()
                }}
            </section>
        })}
    }
}
