//! The organizers' pages under `/admin`. The server lets only signed-in organizers reach them
//! (and their server functions refuse anyone else); every action is a plain form post.

mod account;
mod agenda;
mod audit;
mod check_in;
mod event;
mod event_form;
mod home;
mod mail;
mod organizers;
mod person;
mod scan;
mod sign_in;
mod topics;
mod webhooks;

pub use account::AccountPage;
pub use agenda::{AdminAgendaPage, AdminCallPage};
pub use audit::AuditPage;
pub use check_in::CheckInPage;
pub use event::AdminEventPage;
pub use event_form::{EditEventPage, NewEventPage};
pub use home::AdminHomePage;
pub use mail::MailLogPage;
pub use organizers::OrganizersPage;
pub use person::AdminPersonPage;
pub use scan::ScanPage;
pub use sign_in::SignInPage;
pub use topics::AdminTopicsPage;
pub use webhooks::WebhooksPage;

use domain::TopicStatus;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::event::OccurrenceList;
use super::{LoadError, Loading, event_slug, for_event, loaded, not_found};
use crate::api::{
    load_account, load_admin_event, load_admin_events, load_admin_person, load_admin_topics,
    load_audit, load_check_in, load_event_form, load_mail_log, load_organizer, load_organizers,
    load_scan, load_sign_in, load_webhooks,
};
use crate::components::form::{Checkbox, ErrorSummary, TextArea, TextField};
use crate::i18n::*;
use crate::model::{
    AccountView, AdminEventItem, AdminEventView, AdminNotice, AdminPerson, AdminPersonView,
    AdminSeats, AdminTopic, AdminTopicsView, AuditLine, AuditView, BroadcastPreview, CheckInView,
    DeliveryLine, DoorFilter, EventFormView, MAIL_STATUSES, MailEntry, MailGroup, MailLine,
    MailLogFilter, MailLogView, OccurrenceLink, OrganizersView, SignInView, Submission,
    WebhookLine, WebhooksView, admin_agenda_href, admin_event_href, event_href, preview_href,
    topics_href,
};
use crate::text::{
    admin_notice, admin_status_label, audit_action, audit_actor, audit_detail, mail_status,
    role_name,
};

/// The bar above every admin page, between the site's header and the main content (the
/// layout places it): where the organizer's role lets them go, who is signed in (their
/// account), and signing out at its end.
#[component]
pub fn AdminBar() -> impl IntoView {
    let i18n = use_i18n();
    let organizer = Resource::new(|| (), |()| load_organizer());
    view! {
        <Meta name="robots" content="noindex"/>
        <nav class="admin-bar" aria-label=t_string!(i18n, admin.nav_label).to_string()>
            <a href="/admin">{t!(i18n, admin.events)}</a>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    organizer.await.ok().map(|me| {
                        let email = me.email.clone();
                        let role = role_name(i18n, me.role);
                        view! {
                            {me.may("/admin/mail").then(|| view! {
                                <a href="/admin/mail">{t!(i18n, admin.mail_log)}</a>
                            })}
                            {me.may("/admin/organizers").then(|| view! {
                                <a href="/admin/organizers">{t!(i18n, admin.organizers)}</a>
                                <a href="/admin/audit">{t!(i18n, admin.audit)}</a>
                                <a href="/admin/webhooks">{t!(i18n, webhooks.title)}</a>
                            })}
                            <a class="admin-who" href="/admin/account">{t!(i18n, admin.signed_in_as, email, role)}</a>
                            <form method="post" action="/admin/sign-out" class="inline-form">
                                <button class="link-button" type="submit">{t!(i18n, admin.sign_out)}</button>
                            </form>
                        }
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

/// A person's name as the admin pages show it: "(erased)" once their data is erased.
fn person_name(i18n: leptos_i18n::I18nContext<Locale>, person: &AdminPerson) -> String {
    if person.erased {
        t_string!(i18n, admin.erased_person).to_string()
    } else {
        person.name.clone()
    }
}
