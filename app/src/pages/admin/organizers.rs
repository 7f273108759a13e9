//! `/admin/organizers`: who can sign in, and with which role.

use super::*;

/// `/admin/organizers` (admins): who can sign in and with which role; add an organizer, change
/// a role, take access away.
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
    let role_error = crate::components::form::error_text(&submission, "role");
    let chosen_role = domain::admin::Role::parse(&submission.value("role"))
        .unwrap_or(domain::admin::Role::EventManager);
    view! {
        <AdminNoticeBox notice=page.notice.clone()/>
        <ErrorSummary errors=submission.errors.clone() message=None/>
        <p class="hint">{t!(i18n, admin.roles_hint)}</p>
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="organizers-caption">
            <table class="admin-table">
                <caption id="organizers-caption" class="visually-hidden">{t!(i18n, admin.organizers)}</caption>
                <thead><tr>
                    <th scope="col">{t!(i18n, admin.email)}</th>
                    <th scope="col">{t!(i18n, admin.role)}</th>
                    <th scope="col">{t!(i18n, admin.organizer_since)}</th>
                    <th scope="col">{t!(i18n, admin.actions)}</th>
                </tr></thead>
                <tbody>
                    {page.organizers.into_iter().map(|o| {
                        let role_cell = if o.you {
                            view! { <td>{role_name(i18n, o.role)}</td> }.into_any()
                        } else {
                            let select_id = format!("role-{}", o.id);
                            view! {
                                <td>
                                    <form method="post" action=format!("/admin/organizers/{}/role", o.id) class="inline-form">
                                        <label class="visually-hidden" for=select_id.clone()>{format!("{}: {}", t_string!(i18n, admin.role), o.email)}</label>
                                        <select id=select_id name="role">
                                            {domain::admin::Role::ALL.into_iter().map(|role| view! {
                                                <option value=role.as_str() selected=role == o.role>{role_name(i18n, role)}</option>
                                            }).collect_view()}
                                        </select>
                                        " "
                                        <button class="button button-secondary" type="submit">
                                            {t!(i18n, admin.change_role)}<span class="visually-hidden">{format!(": {}", o.email)}</span>
                                        </button>
                                    </form>
                                </td>
                            }.into_any()
                        };
                        view! {
                            <tr>
                                <td>{o.email.clone()}</td>
                                {role_cell}
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
                        }
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
                <div class="field" class:field-invalid=role_error.is_some()>
                    <label for="field-role">{t!(i18n, admin.role)}</label>
                    <crate::components::form::FieldMessages id="field-role".to_owned() hint=None error=role_error.clone()/>
                    <select id="field-role" name="role"
                        aria-describedby=role_error.is_some().then_some("field-role-error")
                        aria-invalid=role_error.is_some().then_some("true")>
                        {domain::admin::Role::ALL.into_iter().map(|role| view! {
                            <option value=role.as_str() selected=role == chosen_role>{role_name(i18n, role)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <button class="button" type="submit">{t!(i18n, admin.add_organizer_button)}</button>
            </form>
        </section>
    }
}
