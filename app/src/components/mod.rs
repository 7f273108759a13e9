//! Reusable pieces of the pages. They render what they are given and call nothing but the
//! browser.

pub mod agenda_list;
pub mod calendar;
pub mod form;
pub mod layout;
pub mod local_time;

use domain::{EventKind, OccurrenceStatus};
use leptos::prelude::*;

use crate::i18n::*;
use crate::text::kind_label;

/// A small label naming the kind of an event.
#[component]
pub fn KindBadge(kind: EventKind) -> impl IntoView {
    let i18n = use_i18n();
    view! { <span class=format!("badge badge-{}", kind.as_str())>{kind_label(i18n, kind)}</span> }
}

/// A note for an occurrence that did not stay as planned; nothing when it did.
#[component]
pub fn StatusNote(status: OccurrenceStatus) -> impl IntoView {
    let i18n = use_i18n();
    match status {
        OccurrenceStatus::Scheduled => None,
        OccurrenceStatus::Moved => Some(
            view! { <strong class="status status-moved">{t!(i18n, status.moved)}</strong> }
                .into_any(),
        ),
        OccurrenceStatus::Cancelled => Some(
            view! { <strong class="status status-cancelled">{t!(i18n, status.cancelled)}</strong> }
                .into_any(),
        ),
    }
}

/// A link to another site, showing its address.
#[component]
pub fn ExternalLink(url: String) -> impl IntoView {
    let text = url.clone();
    view! { <a href=url rel="external noopener noreferrer">{text}</a> }
}
