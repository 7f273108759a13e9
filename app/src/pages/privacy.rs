use leptos::prelude::*;
use leptos_meta::Title;

use super::{LoadError, Loading};
use crate::api::load_privacy;
use crate::i18n::*;
use crate::model::PrivacyView;

/// `/privacy`: what convene keeps about people who register, why, for how long, and how they
/// see, download and erase it.
#[component]
pub fn PrivacyPage() -> impl IntoView {
    let i18n = use_i18n();
    let settings = Resource::new(|| (), |()| load_privacy());
    view! {
        <Title text=t_string!(i18n, privacy.title).to_string()/>
        <article class="prose">
            <h1>{t!(i18n, privacy.title)}</h1>
            <p>{t!(i18n, privacy.intro)}</p>
            <h2>{t!(i18n, privacy.who_title)}</h2>
            <p>{t!(i18n, privacy.who)}</p>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match settings.await {
                        Ok(settings) => view! { <PrivacySettings settings/> }.into_any(),
                        Err(error) => view! { <LoadError error/> }.into_any(),
                    }
                })}
            </Suspense>
        </article>
    }
}

#[component]
fn PrivacySettings(settings: PrivacyView) -> impl IntoView {
    let i18n = use_i18n();
    let days = settings.retention_days;
    let shared = (!settings.shared_with.is_empty()).then(|| {
        let tools = settings.shared_with.join(", ");
        view! { <p>{t!(i18n, privacy.shared_with, tools)}</p> }
    });
    view! {
        {shared}
        <h2>{t!(i18n, privacy.how_long_title)}</h2>
        <p>{t!(i18n, privacy.how_long, days)}</p>
        <h2>{t!(i18n, privacy.rights_title)}</h2>
        <p>{t!(i18n, privacy.rights)}</p>
        <h2>{t!(i18n, privacy.contact_title)}</h2>
        <p>
            {match settings.contact {
                Some(contact) => t_string!(i18n, privacy.contact, contact).to_string(),
                None => t_string!(i18n, privacy.contact_unset).to_string(),
            }}
        </p>
    }
}
