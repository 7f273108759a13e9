use chrono::{DateTime, Utc};
use leptos::prelude::*;

use crate::i18n::*;

/// The visitor's own local time for an instant, filled in by the browser after hydration and
/// only when the visitor's time zone differs from the event's. Empty without JavaScript.
#[component]
pub fn LocalTime(starts_at: DateTime<Utc>, time_zone: String) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            let tag = match crate::lang_of(i18n.get_locale()) {
                domain::Lang::En => "en-GB",
                domain::Lang::De => "de-DE",
            };
            if let Some(time) = browser::local_time(starts_at, &time_zone, tag) {
                text.set(t_string!(i18n, your_time, time).to_string());
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (starts_at, &time_zone, i18n);
    });
    view! { <span class="local-time">{move || text.get()}</span> }
}

#[cfg(feature = "hydrate")]
mod browser {
    use chrono::{DateTime, Utc};
    use js_sys::{Array, Date, Intl, Object, Reflect};
    use wasm_bindgen::JsValue;

    /// The instant in the browser's zone and language, or `None` if that is the event's zone.
    pub fn local_time(instant: DateTime<Utc>, event_zone: &str, language: &str) -> Option<String> {
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
        let date = Date::new(&JsValue::from_f64(instant.timestamp_millis() as f64));
        date.to_locale_string(language, &options).as_string()
    }
}
