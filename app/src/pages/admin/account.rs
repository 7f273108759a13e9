//! `/admin/account`: one's own account (every role).

use super::*;

/// `/admin/account`: who one is signed in as, with which role, and changing one's password.
#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = Resource::new(
        move || query.read().get("notice"),
        |notice| async move { load_account(notice).await.map(Some) },
    );
    view! {
        <Title text=t_string!(i18n, admin.account).to_string()/>
        <div class="page-head"><h1>{t!(i18n, admin.account)}</h1></div>
        {loaded(page, |page| view! { <Account page/> }.into_any(), not_found)}
    }
}

#[component]
fn Account(page: AccountView) -> impl IntoView {
    let i18n = use_i18n();
    let submission = page.submission.clone().unwrap_or_default();
    let field = |name: &'static str, label: String, hint: Option<String>, autocomplete| {
        view! {
            <TextField name=name label=label hint=hint kind="password" autocomplete=autocomplete required=true submission=submission.clone()/>
        }
    };
    let email = page.me.email.clone();
    let role = role_name(i18n, page.me.role);
    view! {
        <AdminNoticeBox notice=page.notice.clone()/>
        <ErrorSummary errors=submission.errors.clone() message=None/>
        <p>{t!(i18n, admin.account_who, email, role)}</p>
        <section class="admin-section" aria-labelledby="password-heading">
            <h2 id="password-heading">{t!(i18n, admin.change_password)}</h2>
            <p class="hint">{t!(i18n, admin.change_password_hint)}</p>
            <form class="form" method="post" action="/admin/account/password" novalidate>
                {field("current_password", t_string!(i18n, admin.current_password).to_string(), None, "current-password")}
                {field("new_password", t_string!(i18n, admin.new_password).to_string(), Some(t_string!(i18n, admin.password_hint).to_string()), "new-password")}
                <button class="button" type="submit">{t!(i18n, admin.change_password_button)}</button>
            </form>
        </section>
    }
}
