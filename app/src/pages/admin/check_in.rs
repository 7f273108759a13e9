//! `/admin/events/{slug}/check-in`: the door list.

use super::*;

/// `/admin/events/{slug}/check-in`: the door list, made for a phone.
#[component]
pub fn CheckInPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let page = Resource::new(
        move || (event_slug(&params.read()), query.read().get("notice")),
        |(slug, notice)| for_event(slug, move |slug| load_check_in(slug, notice)),
    );
    view! {
        <AdminBar/>
        {loaded(page, |page| view! { <CheckInList page/> }.into_any(), not_found)}
    }
}

#[component]
fn CheckInList(page: CheckInView) -> impl IntoView {
    let i18n = use_i18n();
    let (arrived, expected) = (page.arrived, page.expected);
    let title = page.title.clone();
    view! {
        <Title text=t_string!(i18n, admin.check_in_title, title = title.clone()).to_string()/>
        <div class="page-head">
            <p><a href=admin_event_href(&page.slug)>"← " {page.title.clone()}</a></p>
            <h1>{t!(i18n, admin.check_in_title, title = title.clone())}</h1>
            <p class="lead" id="arrived-count">{t!(i18n, admin.arrived_of, arrived, expected)}</p>
        </div>
        <AdminNoticeBox notice=page.notice.clone()/>
        <ul class="check-in-list">
            {page.people.iter().map(|p| {
                let action = format!("{}/registrations/{}/check-in", admin_event_href(&page.slug), p.id);
                let name = person_name(i18n, p);
                view! {
                    <li class:arrived=p.checked_in>
                        <span class="check-in-name">
                            {name.clone()}
                            {p.organisation.clone().map(|o| view! { <span class="hint">{format!(" · {o}")}</span> })}
                        </span>
                        <form method="post" action=action>
                            <input type="hidden" name="arrived" value=if p.checked_in { "false" } else { "true" }/>
                            <input type="hidden" name="back" value="check-in"/>
                            <button class=if p.checked_in { "button button-secondary" } else { "button" } type="submit">
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
