use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::*;

/// `/privacy`: what convene keeps about people who register, and why.
#[component]
pub fn PrivacyPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=t_string!(i18n, privacy.title).to_string()/>
        <article class="prose">
            <h1>{t!(i18n, privacy.title)}</h1>
            <p>{t!(i18n, privacy.intro)}</p>
            <h2>{t!(i18n, privacy.who_title)}</h2>
            <p>{t!(i18n, privacy.who)}</p>
            <h2>{t!(i18n, privacy.how_long_title)}</h2>
            <p>{t!(i18n, privacy.how_long)}</p>
            <h2>{t!(i18n, privacy.rights_title)}</h2>
            <p>{t!(i18n, privacy.rights)}</p>
        </article>
    }
}
