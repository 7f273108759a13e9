use chrono::{DateTime, Utc};
use leptos::prelude::*;

use crate::i18n::*;

/// Where the browser puts the time into the sentence the server wrote.
const TIME_SLOT: &str = "{time}";

/// The visitor's own local time for an instant, filled in by the browser and only when the
/// visitor's time zone differs from the event's. Empty without JavaScript.
#[component]
pub fn LocalTime(starts_at: DateTime<Utc>, time_zone: String) -> impl IntoView {
    let i18n = use_i18n();
    let language = match crate::lang_of(i18n.get_locale_untracked()) {
        domain::Lang::En => "en-GB",
        domain::Lang::De => "de-DE",
    };
    // The words come from the server, so the browser needs no catalogue.
    let sentence = t_string!(i18n, your_time, time = TIME_SLOT).to_string();
    view! {
        <VisitorTime
            millis=starts_at.timestamp_millis()
            time_zone
            language=language.to_owned()
            sentence
        />
    }
}

/// The part of [`LocalTime`] that runs in the browser (an island: its props travel in the page).
#[island]
pub fn VisitorTime(
    millis: i64,
    time_zone: String,
    language: String,
    sentence: String,
) -> impl IntoView {
    let text = RwSignal::new(String::new());
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(time) = browser::local_time(millis, &time_zone, &language) {
            text.set(sentence.replace(TIME_SLOT, &time));
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (millis, &time_zone, &language, &sentence);
    });
    view! { <span class="local-time">{move || text.get()}</span> }
}

#[cfg(feature = "hydrate")]
mod browser {
    use js_sys::{Array, Date, Intl, Object, Reflect};
    use wasm_bindgen::JsValue;

    /// The instant in the browser's zone and language, or `None` if that is the event's zone.
    pub fn local_time(millis: i64, event_zone: &str, language: &str) -> Option<String> {
        let resolved = Intl::DateTimeFormat::new(&Array::new(), &Object::new()).resolved_options();
        let visitor_zone = Reflect::get(&resolved, &JsValue::from_str("timeZone"))
            .ok()?
            .as_string()?;
        if visitor_zone == event_zone {
            return None;
        }
        let options = Object::new();
        for (key, value) in [
            ("weekday", "short"),
            ("day", "numeric"),
            ("month", "short"),
            ("hour", "2-digit"),
            ("minute", "2-digit"),
            ("timeZoneName", "short"),
        ] {
            Reflect::set(&options, &JsValue::from_str(key), &JsValue::from_str(value)).ok()?;
        }
        let date = Date::new(&JsValue::from_f64(millis as f64));
        date.to_locale_string(language, &options).as_string()
    }
}
