//! `/admin/organizers`: who can sign in.

use super::*;
use crate::model::AccessLine;
use domain::audit::Access;

/// `/admin/organizers`: who can sign in; add an organizer, take access away, change one's own
/// password.
#[component]
pub fn OrganizersPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = Resource::new(
        move || query.read().get("notice"),
        |notice| async move { load_organizers(notice).await.map(Some) },
    );
    view! {
        <Title text=t_string!(i18n, admin.organizers).to_string()/>
        <div class="page-head"><h1>{t!(i18n, admin.organizers)}</h1></div>
        {loaded(page, |page| view! { <Organizers page/> }.into_any(), not_found)}
    }
}

#[component]
fn Organizers(page: OrganizersView) -> impl IntoView {
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
        <section class="admin-section" aria-labelledby="access-heading">
            <h2 id="access-heading">{t!(i18n, admin.access_heading)}</h2>
            <p class="hint">{t!(i18n, admin.access_hint)}</p>
            {if page.access.is_empty() {
                view! { <p>{t!(i18n, admin.access_none)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-labelledby="access-heading">
                        <table class="admin-table">
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
