//! `/admin`: every event.

use super::*;

/// `/admin`: every event; for the door role, each event's door list.
#[component]
pub fn AdminHomePage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = Resource::new(move || query.read().get("notice"), load_admin_events);
    view! {
        <Title text=t_string!(i18n, admin.events).to_string()/>
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => {
                        let manages = page.me.may("/admin/events/new");
                        let (upcoming, past): (Vec<_>, Vec<_>) = page.events.into_iter().partition(|e| e.upcoming);
                        view! {
                            <div class="page-head">
                                <h1>{t!(i18n, admin.events)}</h1>
                                {manages.then(|| view! {
                                    <p><a class="button" href="/admin/events/new">{t!(i18n, admin.new_event)}</a></p>
                                })}
                            </div>
                            <AdminNoticeBox notice=page.notice/>
                            <EventTable id="upcoming" caption=t_string!(i18n, admin.upcoming_events).to_string() events=upcoming manages/>
                            <EventTable id="past" caption=t_string!(i18n, admin.past_events).to_string() events=past manages/>
                        }.into_any()
                    }
                    Err(error) => view! { <LoadError error/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// One table of the events list, under a visible heading: each event's admin page, or, for a
/// role that does not `manage` events, its door list.
#[component]
fn EventTable(
    id: &'static str,
    caption: String,
    events: Vec<AdminEventItem>,
    manages: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    if events.is_empty() {
        return None;
    }
    let heading = format!("{id}-heading");
    Some(view! {
        <section class="admin-section" aria-labelledby=heading.clone()>
            <h2 id=heading.clone()>{caption}</h2>
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby=heading.clone()>
                <table class="admin-table">
                    <thead><tr>
                        <th scope="col">{t!(i18n, admin.event)}</th>
                        <th scope="col">{t!(i18n, admin.when)}</th>
                        <th scope="col">{t!(i18n, admin.seats)}</th>
                    </tr></thead>
                    <tbody>
                        {events.into_iter().map(|event| {
                            let seats = event.seats.map(|s| seats_text(i18n, &s));
                            let title = event.title.clone();
                            if !manages {
                                return view! {
                                    <tr>
                                        <td>
                                            {title}
                                            {event.seats.is_some().then(|| view! {
                                                " · " <a href=format!("{}/check-in", admin_event_href(&event.slug))>
                                                    {t!(i18n, admin.door_list)}<span class="visually-hidden">{format!(": {}", event.title)}</span>
                                                </a>
                                            })}
                                        </td>
                                        <td>{event.when.clone()}</td>
                                        <td>{seats.unwrap_or_else(|| t_string!(i18n, admin.no_registration).to_string())}</td>
                                    </tr>
                                }.into_any();
                            }
                            view! {
                                <tr>
                                    <td>
                                        <a href=admin_event_href(&event.slug)>{title}</a>
                                        {(!event.published).then(|| view! { " " <span class="badge">{t!(i18n, admin.unpublished)}</span> })}
                                        {event.cancelled.then(|| view! { " " <span class="badge badge-cancelled">{t!(i18n, admin.cancelled_tag)}</span> })}
                                        " · " <a href=format!("{}/edit", admin_event_href(&event.slug))>
                                            {t!(i18n, admin.edit)}<span class="visually-hidden">{format!(": {}", event.title)}</span>
                                        </a>
                                        {(!event.published).then(|| view! {
                                            " · " <a href=preview_href(&event.slug)>
                                                {t!(i18n, admin.preview)}<span class="visually-hidden">{format!(": {}", event.title)}</span>
                                            </a>
                                        })}
                                    </td>
                                    <td>{event.when.clone()}</td>
                                    <td>{seats.unwrap_or_else(|| t_string!(i18n, admin.no_registration).to_string())}</td>
                                </tr>
                            }.into_any()
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    })
}

fn seats_text(i18n: leptos_i18n::I18nContext<Locale>, seats: &AdminSeats) -> String {
    let taken = seats.seats_taken;
    let waiting = seats.waitlisted;
    match seats.capacity {
        Some(capacity) => t_string!(i18n, admin.seats_of, taken, capacity, waiting).to_string(),
        None => t_string!(i18n, admin.seats_unlimited, taken, waiting).to_string(),
    }
}
