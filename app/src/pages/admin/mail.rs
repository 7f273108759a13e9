//! `/admin/mail`: the mail log.

use super::*;

/// `/admin/mail`: every mail, its status and attempts; failed ones can be sent again.
#[component]
pub fn MailLogPage() -> impl IntoView {
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
fn MailTable(page: MailLogView) -> impl IntoView {
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
                            <td>{crate::text::mail_status(i18n, &m.status)}</td>
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
