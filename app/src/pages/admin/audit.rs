//! `/admin/audit`: the instance's audit page (admins).

use super::*;
use crate::model::{AccessLine, AccountLine};
use domain::audit::{Access, AccountChange};

/// `/admin/audit`: sign-ins, sign-outs and changes to organizer accounts, and who looked at
/// personal data, newest first. Changes to events and registrations are on each event's page.
#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let page = Resource::new(|| (), |()| async move { load_audit().await.map(Some) });
    view! {
        <Title text=t_string!(i18n, admin.audit).to_string()/>
        <div class="page-head"><h1>{t!(i18n, admin.audit)}</h1></div>
        {loaded(page, |page| view! { <Audit page/> }.into_any(), not_found)}
    }
}

#[component]
fn Audit(page: AuditView) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="admin-section" aria-labelledby="accounts-heading">
            <h2 id="accounts-heading">{t!(i18n, admin.account_log_heading)}</h2>
            {if page.accounts.is_empty() {
                view! { <p>{t!(i18n, admin.no_changes)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-labelledby="accounts-heading">
                        <table class="admin-table" id="account-log">
                            <thead><tr>
                                <th scope="col">{t!(i18n, admin.at)}</th>
                                <th scope="col">{t!(i18n, admin.by)}</th>
                                <th scope="col">{t!(i18n, admin.change)}</th>
                            </tr></thead>
                            <tbody>
                                {page.accounts.into_iter().map(|line| view! {
                                    <tr>
                                        <td>{line.at.clone()}</td>
                                        <td>{audit_actor(i18n, &line.who)}</td>
                                        <td>{account_text(i18n, &line)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
        <section class="admin-section" aria-labelledby="access-heading">
            <h2 id="access-heading">{t!(i18n, admin.access_heading)}</h2>
            <p class="hint">{t!(i18n, admin.access_hint)}</p>
            {if page.access.is_empty() {
                view! { <p>{t!(i18n, admin.access_none)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-labelledby="access-heading">
                        <table class="admin-table" id="access-log">
                            <thead><tr>
                                <th scope="col">{t!(i18n, admin.access_when)}</th>
                                <th scope="col">{t!(i18n, admin.access_who)}</th>
                                <th scope="col">{t!(i18n, admin.access_what)}</th>
                            </tr></thead>
                            <tbody>
                                {page.access.into_iter().map(|line| view! {
                                    <tr>
                                        <td>{line.at.clone()}</td>
                                        <td>{line.who.clone()}</td>
                                        <td>{access_text(i18n, &line)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

/// A sign-in or account change, in words.
fn account_text(i18n: leptos_i18n::I18nContext<Locale>, line: &AccountLine) -> String {
    let whose = line.whose.clone();
    match &line.change {
        AccountChange::SignedIn { .. } => {
            t_string!(i18n, admin.account_signed_in, whose).to_string()
        }
        AccountChange::SignedOut { .. } => {
            t_string!(i18n, admin.account_signed_out, whose).to_string()
        }
        AccountChange::Added { role, .. } => {
            let role = role_name(i18n, *role);
            t_string!(i18n, admin.account_added, whose, role).to_string()
        }
        AccountChange::Removed { .. } => t_string!(i18n, admin.account_removed, whose).to_string(),
        AccountChange::RoleChanged { from, to, .. } => {
            let (from, to) = (role_name(i18n, *from), role_name(i18n, *to));
            t_string!(i18n, admin.account_role_changed, whose, from, to).to_string()
        }
        AccountChange::PasswordChanged { .. } => {
            t_string!(i18n, admin.account_password_changed, whose).to_string()
        }
    }
}

/// What an organizer looked at, in words.
fn access_text(i18n: leptos_i18n::I18nContext<Locale>, line: &AccessLine) -> String {
    let title = line.event_title.clone().unwrap_or_default();
    match &line.access {
        Access::RegistrationsCsv { registrations, .. } => {
            let count = *registrations;
            t_string!(i18n, admin.access_csv, title, count).to_string()
        }
        Access::PersonPage {
            registration_id, ..
        } => {
            let id = *registration_id;
            t_string!(i18n, admin.access_person, id, title).to_string()
        }
        Access::MailLog => t_string!(i18n, admin.access_mail_log).to_string(),
    }
}
