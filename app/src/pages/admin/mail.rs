//! `/admin/mail`: the mail log.

use super::*;

/// `/admin/mail`: every mail, its status and attempts, filtered by event, kind and status; an
/// organizer's message is one line that opens its recipients; failed mails can be sent again.
#[component]
pub fn MailLogPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = Resource::new(
        move || {
            let query = query.read();
            (
                query.get("notice"),
                query.get("event"),
                query.get("kind"),
                query.get("status"),
            )
        },
        |(notice, event, kind, status)| async move {
            load_mail_log(notice, event, kind, status).await.map(Some)
        },
    );
    view! {
        <Title text=t_string!(i18n, admin.mail_log).to_string()/>
        <div class="page-head"><h1>{t!(i18n, admin.mail_log)}</h1></div>
        {loaded(page, |page| view! { <MailTable page/> }.into_any(), not_found)}
    }
}

#[component]
fn MailTable(page: MailLogView) -> impl IntoView {
    let i18n = use_i18n();
    let filter = page.filter.clone();
    view! {
        <AdminNoticeBox notice=page.notice.clone()/>
        <MailFilterForm filter/>
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
                    {page.entries.into_iter().map(|entry| match entry {
                        MailEntry::Mail(mail) => view! { <MailRow mail/> }.into_any(),
                        MailEntry::Broadcast(group) => view! { <BroadcastRow group/> }.into_any(),
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Event, kind and status: a plain GET form; with JavaScript each choice applies at once.
#[component]
fn MailFilterForm(filter: MailLogFilter) -> impl IntoView {
    let i18n = use_i18n();
    let statuses = MAIL_STATUSES.map(|status| (status.to_owned(), mail_status(i18n, status)));
    let kinds: Vec<(String, String)> = filter
        .kinds
        .iter()
        .map(|kind| (kind.clone(), kind.clone()))
        .collect();
    view! {
        <form class="door-search" method="get" action="/admin/mail" role="search" data-live="">
            <FilterSelect id="mail-event" name="event" label=t_string!(i18n, admin.mail_event).to_string()
                options=filter.events.clone() chosen=filter.event.clone()/>
            <FilterSelect id="mail-kind" name="kind" label=t_string!(i18n, admin.mail_kind).to_string()
                options=kinds chosen=filter.kind.clone()/>
            <FilterSelect id="mail-status" name="status" label=t_string!(i18n, admin.status).to_string()
                options=statuses.to_vec() chosen=filter.status.clone()/>
            <button class="button button-secondary" type="submit">{t!(i18n, admin.door_find)}</button>
        </form>
    }
}

/// A select of `options` (value, words) with "all" first.
#[component]
fn FilterSelect(
    id: &'static str,
    name: &'static str,
    label: String,
    options: Vec<(String, String)>,
    chosen: String,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id name=name>
                <option value="" selected=chosen.is_empty()>{t!(i18n, admin.mail_all)}</option>
                {options.into_iter().map(|(value, words)| {
                    let selected = value == chosen;
                    view! { <option value=value selected=selected>{words}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
fn MailRow(mail: MailLine) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <tr id=format!("mail-{}", mail.id)>
            <td>{mail.created.clone()}</td>
            <td>{mail.recipient.clone()}</td>
            <td>{mail.subject.clone()}</td>
            <td>{mail_status(i18n, &mail.status)}</td>
            <td>{mail.attempts}</td>
            <td><MailError mail=mail.clone()/></td>
        </tr>
    }
}

/// The last error of a mail, and "send again" when it failed.
#[component]
fn MailError(mail: MailLine) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        {mail.last_error.clone().unwrap_or_default()}
        {mail.retryable.then(|| view! {
            <form method="post" action=format!("/admin/mail/{}/retry", mail.id)>
                <button class="button button-secondary" type="submit">{t!(i18n, admin.retry)}</button>
            </form>
        })}
    }
}

/// An organizer's message: its subject, how many got it by status, and its recipients behind
/// a disclosure.
#[component]
fn BroadcastRow(group: MailGroup) -> impl IntoView {
    let i18n = use_i18n();
    let count = group.mails.len();
    let statuses = group
        .statuses
        .iter()
        .map(|(status, n)| format!("{n} {}", mail_status(i18n, status)))
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <tr class="mail-group">
            <td>{group.created.clone()}</td>
            <td>
                <details>
                    <summary>{t!(i18n, admin.mail_recipients, count)}</summary>
                    <ul class="mail-recipients">
                        {group.mails.into_iter().map(|mail| view! {
                            <li id=format!("mail-{}", mail.id)>
                                {mail.recipient.clone()} " · " {mail_status(i18n, &mail.status)}
                                " " <MailError mail=mail.clone()/>
                            </li>
                        }).collect_view()}
                    </ul>
                </details>
            </td>
            <td>{group.subject.clone()}</td>
            <td>{statuses}</td>
            <td></td>
            <td></td>
        </tr>
    }
}
