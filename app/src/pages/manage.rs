use domain::RegistrationStatus;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{LoadError, NotFound};
use crate::api::load_registration;
use crate::model::{ManagePage, Notice, event_href, ics_href, manage_href};

fn status_text(page: &ManagePage) -> String {
    match page.status {
        RegistrationStatus::PendingEmail => format!(
            "A seat is held for you. Confirm your e-mail address with the link we sent{}.",
            page.hold_expires
                .as_ref()
                .map(|at| format!(" before {at}"))
                .unwrap_or_default()
        ),
        RegistrationStatus::Confirmed => "You are confirmed: a seat is yours.".to_owned(),
        RegistrationStatus::Waitlisted => format!(
            "You are on the waitlist at position {}. You move up automatically when a seat frees.",
            page.waitlist_position.unwrap_or(0)
        ),
        RegistrationStatus::Cancelled => "This registration is cancelled.".to_owned(),
        RegistrationStatus::Expired => {
            "The seat hold expired because the e-mail address was not confirmed in time.".to_owned()
        }
    }
}

fn status_label(status: RegistrationStatus) -> &'static str {
    match status {
        RegistrationStatus::PendingEmail => "Waiting for your confirmation",
        RegistrationStatus::Confirmed => "Confirmed",
        RegistrationStatus::Waitlisted => "On the waitlist",
        RegistrationStatus::Cancelled => "Cancelled",
        RegistrationStatus::Expired => "Expired",
    }
}

/// `/r/{token}`: one registration, reached only through its secret link.
#[component]
pub fn ManageRegistrationPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let page = Resource::new(
        move || {
            (
                params.read().get("token").unwrap_or_default(),
                query.read().get("notice"),
            )
        },
        |(token, notice)| load_registration(token, notice),
    );
    view! {
        // The address is a secret: keep it out of other sites' referrer logs and out of search.
        <Meta name="referrer" content="no-referrer"/>
        <Meta name="robots" content="noindex"/>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(Some(page)) => view! { <ManageView page/> }.into_any(),
                    Ok(None) => view! { <InvalidLink/> }.into_any(),
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn InvalidLink() -> impl IntoView {
    view! {
        <NotFound/>
        <p class="notice notice-error" role="alert">
            "This registration link is not valid. It may be mistyped, or a newer mail replaced it. \
             Registering again with the same e-mail address sends you a new link."
        </p>
    }
}

#[component]
pub fn NoticeBox(notice: Option<Notice>) -> impl IntoView {
    notice.map(|n| {
        let class = if n.is_error {
            "notice notice-error"
        } else {
            "notice notice-ok"
        };
        let role = if n.is_error { "alert" } else { "status" };
        view! { <p class=class role=role>{n.text}</p> }
    })
}

#[component]
fn ManageView(page: ManagePage) -> impl IntoView {
    let active = page.status.is_active();
    let holds_seat = page.status.holds_seat();
    let status = status_text(&page);
    view! {
        <Title text=format!("Your registration: {}", page.event_title)/>
        <div class="page-head">
            <p><a href=event_href(&page.event_slug)>"← " {page.event_title.clone()}</a></p>
            <h1>"Your registration"</h1>
        </div>
        <NoticeBox notice=page.notice.clone()/>
        <section class="registration-status" aria-labelledby="status-heading">
            <h2 id="status-heading">
                <span class=format!("status-pill status-{}", page.status.as_str())>{status_label(page.status)}</span>
            </h2>
            <p class="lead">{status}</p>
        </section>
        <dl class="facts">
            <dt>"Event"</dt>
            <dd><a href=event_href(&page.event_slug)>{page.event_title.clone()}</a></dd>
            <dt>"When"</dt>
            <dd>{page.when.clone()}</dd>
            {page.place.clone().map(|p| view! { <dt>"Where"</dt> <dd>{p}</dd> })}
            <dt>"Name"</dt>
            <dd>{page.name.clone()}</dd>
            <dt>"E-mail"</dt>
            <dd>{page.email.clone()}</dd>
            {page.organisation.clone().map(|o| view! { <dt>"Organisation"</dt> <dd>{o}</dd> })}
            {page.answers.iter().map(|(q, a)| view! { <dt>{q.clone()}</dt> <dd>{a.clone()}</dd> }).collect_view()}
        </dl>
        <p class="actions">
            {holds_seat.then(|| view! {
                <a class="button" href=ics_href(&page.event_slug) rel="external">"Add to calendar"</a>
            })}
            {active.then(|| view! {
                <a class="button button-secondary" href=format!("{}/cancel", manage_href(&page.token))>
                    "Cancel my registration"
                </a>
            })}
        </p>
        <p class="hint">"Keep this link private: anyone who has it can cancel your registration."</p>
    }
}

/// `/r/{token}/cancel`: asks once more before cancelling.
#[component]
pub fn CancelRegistrationPage() -> impl IntoView {
    let params = use_params_map();
    let page = Resource::new(
        move || params.read().get("token").unwrap_or_default(),
        |token| load_registration(token, None),
    );
    view! {
        <Meta name="referrer" content="no-referrer"/>
        <Meta name="robots" content="noindex"/>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(Some(page)) => view! { <CancelConfirm page/> }.into_any(),
                    Ok(None) => view! { <InvalidLink/> }.into_any(),
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CancelConfirm(page: ManagePage) -> impl IntoView {
    let manage = manage_href(&page.token);
    let lose = if page.status.holds_seat() {
        "Your seat goes to the next person on the waitlist."
    } else {
        "You leave the waitlist."
    };
    view! {
        <Title text="Cancel your registration"/>
        <div class="page-head">
            <h1>"Cancel your registration for " {page.event_title.clone()} "?"</h1>
            <p class="lead">{lose} " You can register again later if there is room."</p>
        </div>
        <NoticeBox notice=page.notice.clone()/>
        {page.status.is_active().then(|| view! {
            <form method="post" action=format!("{manage}/cancel") class="actions">
                <button class="button button-danger" type="submit">"Yes, cancel my registration"</button>
                <a href=manage.clone()>"No, keep it"</a>
            </form>
        })}
    }
}
