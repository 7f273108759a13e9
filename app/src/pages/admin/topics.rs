//! `/admin/events/{slug}/topics`: moderating topics and ordering the agenda.

use super::*;

/// `/admin/events/{slug}/topics`: accept, hide, merge and order the topics of an event.
#[component]
pub fn AdminTopicsPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let page = Resource::new(
        move || (event_slug(&params.read()), query.read().get("notice")),
        |(slug, notice)| for_event(slug, move |slug| load_admin_topics(slug, notice)),
    );
    view! {
        {loaded(page, |page| view! { <AdminTopics page/> }.into_any(), not_found)}
    }
}

#[component]
fn AdminTopics(page: AdminTopicsView) -> impl IntoView {
    let i18n = use_i18n();
    let base = format!("{}/topics", admin_event_href(&page.slug));
    let title = page.title.clone();
    let titles: Vec<(i64, String)> = page
        .topics
        .iter()
        .map(|t| (t.id, t.title.clone()))
        .collect();
    let title_of = move |id: i64| {
        titles
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, t)| t.clone())
            .unwrap_or_default()
    };
    let targets: Vec<(i64, String)> = page
        .topics
        .iter()
        .filter(|t| t.status.takes_votes())
        .map(|t| (t.id, t.title.clone()))
        .collect();
    let accepted: Vec<AdminTopic> = page
        .topics
        .iter()
        .filter(|t| t.status == TopicStatus::Accepted)
        .cloned()
        .collect();
    let submission = page.submission.clone().unwrap_or_default();
    view! {
        <Title text=t_string!(i18n, admin.topics_title, title = title.clone()).to_string()/>
        <div class="page-head">
            <p><a href=admin_event_href(&page.slug)>"← " {page.title.clone()}</a></p>
            <h1>{t!(i18n, admin.topics_title, title = title.clone())}</h1>
            <p class="lead">{t!(i18n, admin.topics_lead)}</p>
            <p><a href=topics_href(&page.slug)>{t!(i18n, admin.public_board)}</a></p>
        </div>
        <AdminNoticeBox notice=page.notice.clone()/>
        <ErrorSummary errors=submission.errors.clone() message=None/>
        {page.topics.is_empty().then(|| view! { <p class="empty">{t!(i18n, admin.no_topics)}</p> })}
        <ul class="check-in-list admin-topics">
            {page.topics.iter().map(|topic| {
                let id = topic.id;
                let name = topic.title.clone();
                let status = match topic.status {
                    TopicStatus::Accepted => t_string!(i18n, topics.group_accepted),
                    TopicStatus::Proposed => t_string!(i18n, topics.group_proposed),
                    TopicStatus::Merged => t_string!(i18n, topics.group_merged),
                    TopicStatus::Hidden => t_string!(i18n, topics.group_hidden),
                };
                let detail = match (topic.merged_into, topic.hidden_reason.clone()) {
                    (Some(target), _) => Some(format!("→ {}", title_of(target))),
                    (_, Some(reason)) => Some(reason),
                    _ => None,
                };
                let others: Vec<(i64, String)> = targets.iter().filter(|(t, _)| *t != id).cloned().collect();
                let votes = topic.votes;
                view! {
                    <li id=format!("topic-{id}") class="admin-topic">
                        <div>
                            <strong>{topic.title.clone()}</strong>
                            <p class="hint">
                                {status} " · " {t!(i18n, admin.votes)} ": " {votes} " · "
                                {t!(i18n, admin.proposed_by)} " " {topic.shown_as.clone()}
                                {detail.map(|d| format!(" · {d}"))}
                            </p>
                        </div>
                        {(topic.status == TopicStatus::Proposed).then(|| view! {
                            <form method="post" action=format!("{base}/{id}/accept")>
                                <button class="button" type="submit">
                                    {t!(i18n, admin.accept)}<span class="visually-hidden">{format!(": {name}")}</span>
                                </button>
                            </form>
                        })}
                        {topic.status.takes_votes().then(|| view! {
                            <form method="post" action=format!("{base}/{id}/hide") class="search-form">
                                <label for=format!("hide-{id}")>
                                    {t!(i18n, admin.hide_reason)}<span class="visually-hidden">{format!(": {name}")}</span>
                                </label>
                                <input id=format!("hide-{id}") name="reason" type="text" required/>
                                <button class="button button-secondary" type="submit">
                                    {t!(i18n, admin.hide)}<span class="visually-hidden">{format!(": {name}")}</span>
                                </button>
                            </form>
                        })}
                        {(topic.status.takes_votes() && !others.is_empty()).then(|| view! {
                            <form method="post" action=format!("{base}/{id}/merge") class="search-form">
                                <label for=format!("merge-{id}")>
                                    {t!(i18n, admin.merge_into)}<span class="visually-hidden">{format!(" ({name})")}</span>
                                </label>
                                <select id=format!("merge-{id}") name="target">
                                    {others.iter().map(|(target, title)| view! {
                                        <option value=target.to_string()>{title.clone()}</option>
                                    }).collect_view()}
                                </select>
                                <button class="button button-secondary" type="submit">
                                    {t!(i18n, admin.merge)}<span class="visually-hidden">{format!(": {name}")}</span>
                                </button>
                            </form>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
        {(!accepted.is_empty()).then(|| view! {
            <section class="admin-section" aria-labelledby="order-heading">
                <h2 id="order-heading">{t!(i18n, admin.agenda_order)}</h2>
                <form method="post" action=format!("{base}/order") class="form">
                    {accepted.iter().map(|topic| view! {
                        <div class="field">
                            <label for=format!("position-{}", topic.id)>{topic.title.clone()}</label>
                            <input
                                id=format!("position-{}", topic.id)
                                name=format!("position.{}", topic.id)
                                type="number"
                                min="1"
                                value=topic.agenda_position.map(|p| p.to_string()).unwrap_or_default()
                            />
                        </div>
                    }).collect_view()}
                    <button class="button" type="submit">{t!(i18n, admin.save_order)}</button>
                </form>
            </section>
        })}
    }
}
