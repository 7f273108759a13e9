//! `/admin/events/{slug}/check-in`: the door list.

use super::*;
use crate::model::DoorPerson;

/// `/admin/events/{slug}/check-in`: the door list, made for a phone.
#[component]
pub fn CheckInPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let page = Resource::new(
        move || {
            let query = query.read();
            let count = query.get("count").and_then(|c| c.parse::<u32>().ok());
            let search = (query.get("q"), query.get("show"));
            (
                event_slug(&params.read()),
                query.get("notice"),
                count,
                search,
            )
        },
        |(slug, notice, count, (q, show))| {
            for_event(slug, move |slug| {
                load_check_in(slug, notice, count, q, show)
            })
        },
    );
    view! {
        {loaded(page, |page| view! { <CheckInList page/> }.into_any(), not_found)}
    }
}

#[component]
fn CheckInList(page: CheckInView) -> impl IntoView {
    let i18n = use_i18n();
    let (arrived, expected) = (page.arrived, page.expected);
    let still_expected = expected.saturating_sub(arrived);
    let title = page.title.clone();
    let door = format!("{}/check-in", admin_event_href(&page.slug));
    let (query, show) = (page.query.clone(), page.show);
    let shown = page.people.len();
    let filter_label = move |filter: DoorFilter| match filter {
        DoorFilter::Everyone => t_string!(i18n, admin.door_everyone).to_string(),
        DoorFilter::Expected => t_string!(i18n, admin.door_expected).to_string(),
        DoorFilter::Arrived => t_string!(i18n, admin.door_arrived).to_string(),
    };
    view! {
        <Title text=t_string!(i18n, admin.check_in_title, title = title.clone()).to_string()/>
        <div class="page-head">
            <p><a href=page.back.clone()>"← " {page.title.clone()}</a></p>
            <h1>{t!(i18n, admin.check_in_title, title = title.clone())}</h1>
            <p class="lead" id="arrived-count">
                {t!(i18n, admin.arrived_of, arrived, expected)} " · "
                <a href=format!("{door}?show=expected")>{t!(i18n, admin.still_expected, still_expected)}</a>
            </p>
            <p><a class="button" href=format!("{}/scan", admin_event_href(&page.slug))>{t!(i18n, admin.scan_tickets)}</a></p>
        </div>
        {match arrival_news(i18n, &page) {
            Some(news) => view! { <p class="notice notice-ok" role="status">{news}</p> }.into_any(),
            None => view! { <AdminNoticeBox notice=page.notice.clone()/> }.into_any(),
        }}
        // Without JavaScript a plain search; with it, the list answers as the organizer types.
        <form class="door-search" method="get" action=door.clone() role="search" data-live="">
            <div class="field">
                <label for="door-q">{t!(i18n, admin.door_search)}</label>
                <input id="door-q" type="search" name="q" value=query.clone() autocomplete="off"/>
            </div>
            <div class="field">
                <label for="door-show">{t!(i18n, admin.door_show)}</label>
                <select id="door-show" name="show">
                    {DoorFilter::ALL.into_iter().map(|filter| view! {
                        <option value=filter.as_str() selected=filter == show>{filter_label(filter)}</option>
                    }).collect_view()}
                </select>
            </div>
            <button class="button button-secondary" type="submit">{t!(i18n, admin.door_find)}</button>
        </form>
        <p id="door-shown" role="status">{t!(i18n, admin.door_shown, shown)}</p>
        <ul class="check-in-list">
            {page.people.iter().map(|p| {
                let action = format!("{}/registrations/{}/check-in", admin_event_href(&page.slug), p.id);
                let name = door_name(i18n, p);
                view! {
                    <li id=format!("person-{}", p.id) class:arrived=p.checked_in>
                        <span class="check-in-name">
                            {name.clone()}
                            {p.organisation.clone().map(|o| view! { <span class="hint">{format!(" · {o}")}</span> })}
                        </span>
                        <form method="post" action=action>
                            <input type="hidden" name="arrived" value=if p.checked_in { "false" } else { "true" }/>
                            <input type="hidden" name="back" value="check-in"/>
                            // Back on the list as it was searched.
                            <input type="hidden" name="q" value=query.clone()/>
                            <input type="hidden" name="show" value=show.as_str()/>
                            // The id brings the focus back here when the list answers in place.
                            <button
                                id=format!("check-in-{}", p.id)
                                class=if p.checked_in { "button button-secondary" } else { "button" }
                                type="submit"
                            >
                                {if p.checked_in { t_string!(i18n, admin.undo_check_in) } else { t_string!(i18n, admin.mark_arrived) }}
                                <span class="visually-hidden">{format!(": {name}")}</span>
                            </button>
                        </form>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// Who was just marked as arrived (or not after all), by name, when the notice names someone on
/// this list.
fn arrival_news(i18n: leptos_i18n::I18nContext<Locale>, page: &CheckInView) -> Option<String> {
    let (person, arrived) = match page.notice {
        Some(AdminNotice::CheckedIn { person }) => (person, true),
        Some(AdminNotice::CheckInUndone { person }) => (person, false),
        _ => return None,
    };
    let who = page
        .noticed
        .as_ref()
        .filter(|p| p.id == i64::from(person))?;
    let name = door_name(i18n, who);
    Some(if arrived {
        t_string!(i18n, admin.notice_arrived, name).to_string()
    } else {
        t_string!(i18n, admin.notice_not_arrived, name).to_string()
    })
}

/// A name on the door list: "(erased)" once the person's data is erased.
pub(super) fn door_name(i18n: leptos_i18n::I18nContext<Locale>, person: &DoorPerson) -> String {
    if person.erased {
        t_string!(i18n, admin.erased_person).to_string()
    } else {
        person.name.clone()
    }
}
