use domain::RegistrationStatus;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{NotFound, loaded};
use crate::api::{load_registration, load_replaced_link};
use crate::components::ExternalLink;
use crate::components::local_time::LocalTime;
use crate::i18n::*;
use crate::model::{
    ManageView, Notice, ReplacedLinkView, event_href, ics_href, manage_href, my_topics_href,
    register_href,
};

/// `/r/{token}`: one registration, reached only through its secret link.
#[component]
pub fn ManageRegistrationPage() -> impl IntoView {
    secret_link_page(|page| view! { <ManageBody page/> }.into_any())
}

/// `/r/{token}/cancel`: asks once more before cancelling.
#[component]
pub fn CancelRegistrationPage() -> impl IntoView {
    secret_link_page(|page| view! { <CancelConfirm page/> }.into_any())
}

/// `/r/{token}/erase`: asks once more before erasing the person's data.
#[component]
pub fn EraseDataPage() -> impl IntoView {
    secret_link_page(|page| view! { <EraseConfirm page/> }.into_any())
}

/// `/r/{token}/confirm`: where the mail's confirm link leads. Only its button confirms: mail
/// scanners that open every link change nothing.
#[component]
pub fn ConfirmRegistrationPage() -> impl IntoView {
    secret_link_page(|page| view! { <ConfirmSeat page/> }.into_any())
}

/// A page behind a secret link: loads its registration (with the `?notice=` of the address) and
/// renders it, or says the link is not valid.
fn secret_link_page(render: fn(ManageView) -> AnyView) -> impl IntoView {
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
        {loaded(page, render, invalid_link)}
    }
}

/// [`loaded`]'s answer when a secret link leads nowhere.
pub(super) fn invalid_link() -> AnyView {
    view! { <InvalidLink/> }.into_any()
}

/// A secret link that opens nothing: either one an organizer replaced with a newer one (it says
/// so, and where to get the newest), or one that never was (mistyped, erased).
#[component]
pub(super) fn InvalidLink() -> impl IntoView {
    let params = use_params_map();
    let replaced = Resource::new(
        move || params.read().get("token").unwrap_or_default(),
        load_replaced_link,
    );
    loaded(
        replaced,
        |link| view! { <ReplacedLink link/> }.into_any(),
        || view! { <UnknownLink/> }.into_any(),
    )
}

#[component]
fn UnknownLink() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <NotFound/>
        <p class="notice notice-error" role="alert">{t!(i18n, manage.invalid)}</p>
    }
}

/// Answered with 410 Gone: the link was real, and will not work again.
#[component]
fn ReplacedLink(link: ReplacedLinkView) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::ssr::set_status(http::StatusCode::GONE);
    let i18n = use_i18n();
    let href = event_href(&link.event_slug);
    view! {
        <Title text=t_string!(i18n, manage.replaced_title).to_string()/>
        <div class="page-head">
            <h1>{t!(i18n, manage.replaced_title)}</h1>
            <p class="lead">
                {t!(i18n, manage.replaced_lead, event = link.event_title.clone())}
            </p>
            <p>{t!(i18n, manage.replaced_again)}</p>
            <p><a href=href>{t!(i18n, manage.replaced_event_page)}</a></p>
        </div>
    }
}

#[component]
pub fn NoticeBox(notice: Option<Notice>) -> impl IntoView {
    let i18n = use_i18n();
    notice.map(|n| {
        let (text, is_error) = crate::text::notice(i18n, &n);
        let class = if is_error {
            "notice notice-error"
        } else {
            "notice notice-ok"
        };
        let role = if is_error { "alert" } else { "status" };
        view! { <p class=class role=role>{text}</p> }
    })
}

#[component]
fn ManageBody(page: ManageView) -> impl IntoView {
    let i18n = use_i18n();
    let active = page.status.is_active();
    let holds_seat = page.status.holds_seat();
    let status_text = match page.status {
        RegistrationStatus::PendingEmail => {
            let until = page.hold_expires.clone().unwrap_or_default();
            t_string!(i18n, manage.pending, until).to_string()
        }
        RegistrationStatus::Confirmed => t_string!(i18n, manage.confirmed).to_string(),
        RegistrationStatus::Waitlisted => {
            let position = page.waitlist_position.unwrap_or(0);
            t_string!(i18n, manage.waitlisted, position).to_string()
        }
        RegistrationStatus::Offered => {
            let until = page.hold_expires.clone().unwrap_or_default();
            t_string!(i18n, manage.offered, until).to_string()
        }
        RegistrationStatus::Cancelled => t_string!(i18n, manage.cancelled).to_string(),
        RegistrationStatus::Expired => t_string!(i18n, manage.expired).to_string(),
    };
    let status_label = crate::text::status_label(i18n, page.status);
    let title = page.event_title.clone();
    view! {
        <Title text=t_string!(i18n, manage.page_title, title).to_string()/>
        <div class="page-head">
            <p><a href=event_href(&page.event_slug)>"← " {page.event_title.clone()}</a></p>
            <h1>{t!(i18n, manage.title)}</h1>
        </div>
        <NoticeBox notice=page.notice.clone()/>
        <section class="registration-status" aria-labelledby="status-heading">
            <h2 id="status-heading">
                <span class=format!("status-pill status-{}", page.status.as_str())>{status_label}</span>
            </h2>
            <p class="lead">{status_text}</p>
        </section>
        {page.ticket.clone().map(|ticket| view! {
            <section class="ticket" aria-labelledby="ticket-heading">
                <h2 id="ticket-heading">{t!(i18n, manage.ticket)}</h2>
                <div class="ticket-qr" inner_html=ticket.svg></div>
                <p class="ticket-code">{t!(i18n, manage.ticket_code)} " " <strong>{ticket.code}</strong></p>
                <p class="hint">{t!(i18n, manage.ticket_hint)}</p>
            </section>
        })}
        <dl class="facts">
            <dt>{t!(i18n, manage.event)}</dt>
            <dd><a href=event_href(&page.event_slug)>{page.event_title.clone()}</a></dd>
            <dt>{t!(i18n, event.when)}</dt>
            <dd>
                <time datetime=page.starts_at.to_rfc3339()>{page.when.clone()}</time>
                " "
                <LocalTime starts_at=page.starts_at time_zone=page.time_zone.clone()/>
            </dd>
            {page.place.clone().map(|p| view! { <dt>{t!(i18n, event.venue)}</dt> <dd>{p}</dd> })}
            {page.online_url.clone().map(|url| view! { <dt>{t!(i18n, event.online)}</dt> <dd><ExternalLink url/></dd> })}
            <dt>{t!(i18n, manage.name)}</dt>
            <dd>{page.name.clone()}</dd>
            <dt>{t!(i18n, manage.email)}</dt>
            <dd>{page.email.clone()}</dd>
            {page.organisation.clone().map(|o| view! { <dt>{t!(i18n, manage.organisation)}</dt> <dd>{o}</dd> })}
            {page.answers.iter().map(|(q, a)| view! { <dt>{q.clone()}</dt> <dd>{a.clone()}</dd> }).collect_view()}
        </dl>
        {page.confirmable.then(|| view! {
            <ConfirmButton token=page.token.clone() status=page.status/>
        })}
        <p class="actions">
            {holds_seat.then(|| view! {
                <a class="button" href=ics_href(&page.event_slug) rel="external">{t!(i18n, event.add_to_calendar)}</a>
            })}
            {(active && page.topics).then(|| view! {
                <a class="button button-secondary" href=my_topics_href(&page.token)>{t!(i18n, manage.topics)}</a>
            })}
            {active.then(|| view! {
                <a class="button button-secondary" href=format!("{}/cancel", manage_href(&page.token))>
                    {t!(i18n, manage.cancel)}
                </a>
            })}
            {(!active).then(|| view! {
                <a class="button" href=register_href(&page.event_slug)>{t!(i18n, manage.register_again)}</a>
            })}
            <a class="button button-secondary" href=format!("{}/data", manage_href(&page.token))>
                {t!(i18n, manage.my_data)}
            </a>
        </p>
        <p class="hint">
            {if active {
                t!(i18n, manage.private).into_any()
            } else {
                t!(i18n, manage.private_ended).into_any()
            }}
        </p>
    }
}

#[component]
fn ConfirmSeat(page: ManageView) -> impl IntoView {
    let i18n = use_i18n();
    let title = page.event_title.clone();
    let (heading, lead) = if page.status == RegistrationStatus::PendingEmail {
        (
            t_string!(i18n, confirm.title, title).to_string(),
            t_string!(i18n, confirm.lead).to_string(),
        )
    } else if page.status == RegistrationStatus::Offered {
        let until = page.hold_expires.clone().unwrap_or_default();
        (
            t_string!(i18n, confirm.offer_title, title).to_string(),
            t_string!(i18n, confirm.offer_lead, until).to_string(),
        )
    } else {
        (
            t_string!(i18n, confirm.waiting_title, title).to_string(),
            t_string!(i18n, confirm.waiting_lead).to_string(),
        )
    };
    view! {
        <Title text=t_string!(i18n, confirm.page_title).to_string()/>
        <div class="page-head">
            <h1>{heading}</h1>
            {page.confirmable.then(|| view! { <p class="lead">{lead}</p> })}
        </div>
        <NoticeBox notice=page.notice.clone()/>
        {if page.confirmable {
            view! { <ConfirmButton token=page.token.clone() status=page.status/> }.into_any()
        } else {
            view! {
                <p>{t!(i18n, confirm.done)}</p>
                <p><a href=manage_href(&page.token)>{t!(i18n, manage.title)}</a></p>
            }
            .into_any()
        }}
    }
}

/// The one button that confirms the address (and so a held seat): a plain form post.
#[component]
fn ConfirmButton(token: String, status: RegistrationStatus) -> impl IntoView {
    let i18n = use_i18n();
    let action = format!("{}/confirm", manage_href(&token));
    let label = match status {
        RegistrationStatus::PendingEmail => t_string!(i18n, confirm.button),
        RegistrationStatus::Offered => t_string!(i18n, confirm.offer_button),
        _ => t_string!(i18n, confirm.waiting_button),
    };
    view! {
        <form method="post" action=action class="actions">
            <button class="button" type="submit">{label}</button>
        </form>
    }
}

#[component]
fn EraseConfirm(page: ManageView) -> impl IntoView {
    let i18n = use_i18n();
    let manage = manage_href(&page.token);
    let title = page.event_title.clone();
    view! {
        <Title text=t_string!(i18n, erase.page_title).to_string()/>
        <div class="page-head">
            <h1>{t!(i18n, erase.title, title = title.clone())}</h1>
            <p class="lead">{t!(i18n, erase.what)}</p>
            <p>{t!(i18n, erase.after)}</p>
        </div>
        <NoticeBox notice=page.notice.clone()/>
        <form method="post" action=format!("{manage}/erase") class="actions">
            <button class="button button-danger" type="submit">{t!(i18n, erase.confirm)}</button>
            <a href=format!("{manage}/data")>{t!(i18n, erase.keep)}</a>
        </form>
    }
}

#[component]
fn CancelConfirm(page: ManageView) -> impl IntoView {
    let i18n = use_i18n();
    let manage = manage_href(&page.token);
    let lose = if page.status.holds_seat() {
        t_string!(i18n, cancel.lose_seat)
    } else {
        t_string!(i18n, cancel.leave_waitlist)
    };
    let title = page.event_title.clone();
    view! {
        <Title text=t_string!(i18n, cancel.page_title).to_string()/>
        <div class="page-head">
            <h1>{t!(i18n, cancel.title, title = title.clone())}</h1>
            <p class="lead">{lose} " " {t!(i18n, cancel.again)}</p>
        </div>
        <NoticeBox notice=page.notice.clone()/>
        {page.status.is_active().then(|| view! {
            <form method="post" action=format!("{manage}/cancel") class="actions">
                <button class="button button-danger" type="submit">{t!(i18n, cancel.confirm)}</button>
                <a href=manage.clone()>{t!(i18n, cancel.keep)}</a>
            </form>
        })}
    }
}
