//! Links that put events into people's calendars: subscribing to a feed (the calendar app
//! fetches it again by itself, so every change follows), adding one event as a copy, or
//! downloading the calendar file. Plain links: nothing goes to Google or Microsoft until
//! someone follows one.

use domain::subscribe::{AddLinks, FeedLinks};
use leptos::prelude::*;

use crate::i18n::*;

/// "In your calendar": subscribe to `feed` (what it holds in `what`), add the one event
/// (`add`), or download the file (at `file`, a path of this site).
#[component]
pub fn CalendarBox(
    feed: FeedLinks,
    /// What the feed holds, e.g. the event's title or "every event".
    what: String,
    file: String,
    add: Option<AddLinks>,
    /// The name a downloaded file gets.
    download: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="calendar-box" aria-labelledby="calendar-heading">
            <h2 id="calendar-heading">{t!(i18n, calendar.heading)}</h2>
            <p class="hint">{t!(i18n, calendar.subscribe_hint, what)}</p>
            <ul class="calendar-links">
                <li><a href=feed.webcal.clone()>{t!(i18n, calendar.subscribe_webcal)}</a></li>
                <li><a href=feed.google.clone() rel="external noopener noreferrer">{t!(i18n, calendar.subscribe_google)}</a></li>
                <li><a href=feed.outlook.clone() rel="external noopener noreferrer">{t!(i18n, calendar.subscribe_outlook)}</a></li>
                {add.map(|add| view! {
                    <li><a href=add.google rel="external noopener noreferrer">{t!(i18n, calendar.add_google)}</a></li>
                    <li><a href=add.outlook rel="external noopener noreferrer">{t!(i18n, calendar.add_outlook)}</a></li>
                })}
                <li><a href=file rel="external" download=download>{t!(i18n, calendar.download)}</a></li>
            </ul>
        </section>
    }
}
