use leptos::prelude::*;

use super::local_time::LocalTime;
use super::{KindBadge, StatusNote};
use crate::i18n::*;
use crate::model::AgendaItem;
use crate::text::seat_state;

/// Agenda items grouped under a heading per day, in the order given.
#[component]
pub fn AgendaList(items: Vec<AgendaItem>) -> impl IntoView {
    let mut days: Vec<(String, Vec<AgendaItem>)> = Vec::new();
    for item in items {
        match days.last_mut() {
            Some((day, group)) if *day == item.day => group.push(item),
            _ => days.push((item.day.clone(), vec![item])),
        }
    }
    view! {
        <ol class="agenda">
            {days
                .into_iter()
                .map(|(day, group)| {
                    view! {
                        <li class="agenda-day">
                            <h2 class="agenda-day-heading">{day}</h2>
                            <ul class="agenda-items">
                                {group.into_iter().map(|item| view! { <AgendaCard item/> }).collect_view()}
                            </ul>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

#[component]
fn AgendaCard(item: AgendaItem) -> impl IntoView {
    let i18n = use_i18n();
    let cancelled = item.status == domain::OccurrenceStatus::Cancelled;
    let seats = item
        .registration
        .as_ref()
        .map(|registration| seat_state(i18n, &registration.seats));
    view! {
        <li class="card" class:card-cancelled=cancelled data-kind=item.kind.as_str()>
            <p class="card-time">
                <time datetime=item.starts_at.to_rfc3339()>{item.time}</time>
                <LocalTime starts_at=item.starts_at time_zone=item.time_zone/>
            </p>
            <div class="card-body">
                <h3 class="card-title">
                    <a href=item.href>{item.title}</a>
                </h3>
                <p class="card-meta">
                    <KindBadge kind=item.kind/>
                    <StatusNote status=item.status/>
                    {item.place.map(|place| view! { <span class="card-place">{place}</span> })}
                </p>
                {(!item.summary.is_empty()).then(|| view! { <p class="card-summary">{item.summary}</p> })}
                {seats.map(|seats| view! { <p class="card-seats">{seats}</p> })}
            </div>
        </li>
    }
}
