//! `/admin/sign-in`.

use super::*;

/// `/admin/sign-in`
#[component]
pub fn SignInPage() -> impl IntoView {
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
fn SignInForm(page: SignInView) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let next = query
        .read_untracked()
        .get("next")
        .filter(|n| n.starts_with("/admin"))
        .unwrap_or_else(|| "/admin".to_owned());
    let submission = page.submission.clone().unwrap_or_default();
    let locale = crate::lang_of(i18n.get_locale_untracked()).tag();
    let signed_out = page.notice == Some(AdminNotice::SignedOut);
    let single_sign_on = page.single_sign_on.clone().map(|provider| {
        let start = format!(
            "/admin/sso/start?next={}",
            domain::paths::encode_query_value(&next)
        );
        let sign_out = signed_out.then(|| {
            let provider = provider.clone();
            view! {
                <p>
                    <a href="/admin/sso/sign-out">{t!(i18n, admin.sso_sign_out, provider)}</a>
                </p>
            }
        });
        view! {
            <p class="sso">
                <a class="button" href=start>{t!(i18n, admin.sso_sign_in, provider)}</a>
            </p>
            {sign_out}
        }
    });
    let or = (page.single_sign_on.is_some() && page.passwords)
        .then(|| view! { <p class="lead">{t!(i18n, admin.sso_or)}</p> });
    let password_form = page.passwords.then(|| {
        view! {
            <form class="form" method="post" action="/admin/sign-in" novalidate>
                <input type="hidden" name="next" value=next.clone()/>
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
    });
    view! {
        <Title text=t_string!(i18n, admin.sign_in_title).to_string()/>
        <div class="page-head">
            <h1>{t!(i18n, admin.sign_in_title)}</h1>
            <p class="lead">{t!(i18n, admin.sign_in_lead)}</p>
        </div>
        <AdminNoticeBox notice=page.notice.clone()/>
        <ErrorSummary errors=page.submission.clone().unwrap_or_default().errors message=None/>
        {single_sign_on}
        {or}
        {password_form}
    }
}
