use domain::Lang;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::i18n::*;

/// The frame of every page: skip link, site header with navigation and language switch, main
/// content, footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    // Organizer pages get their bar outside the main content, so that the first control in it
    // is the page's own (signing out is the bar's last).
    let organizer_page = move || {
        let path = location.pathname.get();
        (path == "/admin" || path.starts_with("/admin/")) && path != "/admin/sign-in"
    };
    view! {
        <a class="skip-link" href="#main">{t!(i18n, site.skip)}</a>
        <header class="site-header">
            <div class="site-header-inner">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true"></span>
                    <span class="brand-name">"convene"</span>
                    <span class="brand-tagline">{t!(i18n, site.tagline)}</span>
                </a>
                <nav aria-label=move || t_string!(i18n, site.nav_main)>
                    <ul class="nav-list">
                        <li><a href="/">{t!(i18n, site.nav_upcoming)}</a></li>
                        <li><a href="/events/past">{t!(i18n, site.nav_past)}</a></li>
                        <li><a href="/calendar.ics" rel="external">{t!(i18n, site.nav_feed)}</a></li>
                    </ul>
                </nav>
                <LanguageSwitch/>
            </div>
        </header>
        {move || organizer_page().then(|| view! { <crate::pages::AdminBar/> })}
        <main id="main" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <p>
                {t!(i18n, site.footer_subscribe)} " "
                <a href="/calendar.ics" rel="external">"calendar.ics"</a>
                ". " {t!(i18n, site.footer_api)} " "
                <a href="/api/v1/events" rel="external">"/api/v1/events"</a> ". "
                <a href="/privacy">{t!(i18n, site.privacy)}</a>
            </p>
        </footer>
    }
}

/// Links that switch the language and remember it in a cookie (`/lang/{tag}` on the server), so
/// they work without JavaScript too.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let current = move || crate::lang_of(i18n.get_locale());
    let href = move |lang: Lang| {
        let search = location.search.get();
        let here = if search.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{search}", location.pathname.get())
        };
        format!(
            "/lang/{}?next={}",
            lang.tag(),
            domain::paths::encode_query_value(&here)
        )
    };
    view! {
        <nav class="language-switch" aria-label=move || t_string!(i18n, site.language)>
            <ul>
                {[Lang::En, Lang::De]
                    .into_iter()
                    .map(|lang| {
                        let name = lang.name();
                        view! {
                            <li>
                                <a
                                    href=move || href(lang)
                                    hreflang=lang.tag()
                                    lang=lang.tag()
                                    rel="external"
                                    aria-current=move || (current() == lang).then_some("true")
                                >
                                    {name}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
