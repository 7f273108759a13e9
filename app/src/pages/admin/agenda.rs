//! `/admin/events/{slug}/agenda`: the sections of a community call's agenda, their contributor
//! links and named accounts; `/admin/events/{slug}/agenda/{date}`: one call's items and the
//! events its generated section lists.

use super::*;
use crate::api::{load_admin_agenda, load_admin_call};
use crate::model::{AdminAgendaView, AdminCallView};
use crate::pages::call::{AgendaNoticeBox, SectionEditor};
use domain::call::SectionKind;

/// `/admin/events/{slug}/agenda`
#[component]
pub fn AdminAgendaPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let page = Resource::new(
        move || {
            let query = query.read();
            (
                event_slug(&params.read()),
                query.get("notice"),
                query.get("count").and_then(|c| c.parse().ok()),
            )
        },
        |(slug, notice, count)| for_event(slug, move |slug| load_admin_agenda(slug, notice, count)),
    );
    view! {
        {loaded(page, |page| view! { <AdminAgenda page/> }.into_any(), not_found)}
    }
}

#[component]
fn AdminAgenda(page: AdminAgendaView) -> impl IntoView {
    let i18n = use_i18n();
    let base = admin_agenda_href(&page.slug);
    let title = t_string!(i18n, call.admin_title, title = page.title.clone()).to_string();
    let submission = page.submission.clone().unwrap_or_default();
    let count = page.sections.len();
    let accounts = page.accounts.clone();
    view! {
        <Title text=title.clone()/>
        <div class="page-head">
            <p><a href=admin_event_href(&page.slug)>"← " {page.title.clone()}</a></p>
            <h1>{title}</h1>
            <p class="lead">{t!(i18n, call.admin_lead)}</p>
        </div>
        <AgendaNoticeBox notice=page.notice.clone()/>
        <ErrorSummary errors=submission.errors.clone() message=None/>
        {page.issued_link.clone().map(|(_, url)| view! {
            <div class="notice notice-ok" role="status">
                <p>{t!(i18n, call.issued_link)}</p>
                <p><code class="secret-link">{url}</code></p>
            </div>
        })}
        <section class="admin-section" aria-labelledby="calls-heading">
            <h2 id="calls-heading">{t!(i18n, call.coming_calls)}</h2>
            <ul class="date-list">
                {page.calls.iter().map(|(_, day, href)| view! {
                    <li><a href=href.clone()>{day.clone()}</a></li>
                }).collect_view()}
            </ul>
        </section>
        <section class="admin-section" aria-labelledby="sections-heading">
            <h2 id="sections-heading">{t!(i18n, call.sections)}</h2>
            {page.sections.is_empty().then(|| view! { <p class="empty">{t!(i18n, call.no_sections)}</p> })}
            <ol class="check-in-list agenda-sections">
                {page.sections.iter().enumerate().map(|(index, section)| {
                    let id = section.id;
                    let name = section.title.clone();
                    let action = |what: &str| format!("{base}/sections/{id}/{what}");
                    let hidden_name = move || view! { <span class="visually-hidden">{format!(": {name}")}</span> };
                    let kind = match section.kind {
                        SectionKind::Team => t_string!(i18n, call.kind_team),
                        SectionKind::Free => t_string!(i18n, call.kind_free),
                        SectionKind::Upcoming => t_string!(i18n, call.kind_upcoming),
                    };
                    let takes_items = section.kind.takes_items();
                    let named = section.contributor_ids.clone();
                    view! {
                        <li id=format!("section-{id}") class="agenda-section">
                            <div>
                                <strong>{section.title.clone()}</strong>
                                <p class="hint">
                                    {kind}
                                    {takes_items.then(|| if section.has_link {
                                        format!(" · {}", t_string!(i18n, call.link_out))
                                    } else {
                                        format!(" · {}", t_string!(i18n, call.no_link))
                                    })}
                                    {(!section.contributors.is_empty()).then(|| format!(" · {}", section.contributors.join(", ")))}
                                </p>
                            </div>
                            <div class="button-row">
                                {(index > 0).then(|| view! {
                                    <form method="post" action=action("up")>
                                        <button class="button button-secondary" type="submit">{t!(i18n, call.move_up)}{hidden_name()}</button>
                                    </form>
                                })}
                                {(index + 1 < count).then(|| view! {
                                    <form method="post" action=action("down")>
                                        <button class="button button-secondary" type="submit">{t!(i18n, call.move_down)}{hidden_name()}</button>
                                    </form>
                                })}
                                {takes_items.then(|| view! {
                                    <form method="post" action=action("link")>
                                        <button class="button button-secondary" type="submit">{t!(i18n, call.new_link)}{hidden_name()}</button>
                                    </form>
                                })}
                                {(takes_items && section.has_link).then(|| view! {
                                    <form method="post" action=action("revoke")>
                                        <button class="button button-secondary" type="submit">{t!(i18n, call.revoke_link)}{hidden_name()}</button>
                                    </form>
                                })}
                                <form method="post" action=action("remove")>
                                    <button class="button button-secondary" type="submit">{t!(i18n, call.remove_section)}{hidden_name()}</button>
                                </form>
                            </div>
                            {(takes_items && !accounts.is_empty()).then(|| view! {
                                <form method="post" action=action("contributors") class="form">
                                    <fieldset>
                                        <legend>{t!(i18n, call.contributors)}{hidden_name()}</legend>
                                        {accounts.iter().map(|(account, email)| {
                                            let box_id = format!("section-{id}-account-{account}");
                                            view! {
                                                <div class="checkbox">
                                                    <input
                                                        type="checkbox"
                                                        id=box_id.clone()
                                                        name="organizer"
                                                        value=account.to_string()
                                                        checked=named.contains(account)
                                                    />
                                                    <label for=box_id>{email.clone()}</label>
                                                </div>
                                            }
                                        }).collect_view()}
                                    </fieldset>
                                    <button class="button button-secondary" type="submit">{t!(i18n, call.save_contributors)}{hidden_name()}</button>
                                </form>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
        <section class="admin-section" aria-labelledby="add-section-heading">
            <h2 id="add-section-heading">{t!(i18n, call.add_section)}</h2>
            {(!page.teams.is_empty()).then(|| view! {
                <form method="post" action=base.clone() class="form">
                    <input type="hidden" name="kind" value="team"/>
                    <div class="field">
                        <label for="section-team">{t!(i18n, call.team_label)}</label>
                        <select id="section-team" name="team">
                            {page.teams.iter().map(|(id, title)| view! {
                                <option value=id.to_string()>{title.clone()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <button class="button" type="submit">{t!(i18n, call.add_team)}</button>
                </form>
            })}
            <form method="post" action=base.clone() class="form">
                <div class="field">
                    <label for="section-kind">{t!(i18n, call.kind_label)}</label>
                    <select id="section-kind" name="kind">
                        <option value="free">{t!(i18n, call.kind_free)}</option>
                        <option value="upcoming">{t!(i18n, call.kind_upcoming)}</option>
                    </select>
                </div>
                <TextField
                    name="title"
                    label=t_string!(i18n, call.title_label).to_string()
                    hint=Some(t_string!(i18n, call.title_hint).to_string())
                    kind="text"
                    autocomplete="off"
                    required=false
                    submission=submission.clone()
                />
                <button class="button" type="submit">{t!(i18n, call.add_free)}</button>
            </form>
        </section>
    }
}

/// `/admin/events/{slug}/agenda/{date}`
#[component]
pub fn AdminCallPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let page = Resource::new(
        move || {
            let params = params.read();
            let query = query.read();
            (
                event_slug(&params),
                params.get("date").unwrap_or_default(),
                query.get("notice"),
                query.get("count").and_then(|c| c.parse().ok()),
            )
        },
        |(slug, date, notice, count)| {
            for_event(slug, move |slug| load_admin_call(slug, date, notice, count))
        },
    );
    view! {
        {loaded(page, |page| view! { <AdminCall page/> }.into_any(), not_found)}
    }
}

#[component]
fn AdminCall(page: AdminCallView) -> impl IntoView {
    let i18n = use_i18n();
    let title = t_string!(
        i18n,
        call.call_title,
        title = page.title.clone(),
        date = page.day.clone()
    )
    .to_string();
    let entries_base = format!("{}/{}/entries", admin_agenda_href(&page.slug), page.date);
    let submission = page.submission.clone();
    view! {
        <Title text=title.clone()/>
        <div class="page-head">
            <p><a href=admin_agenda_href(&page.slug)>"← " {t!(i18n, call.sections)}</a></p>
            <h1>{title}</h1>
            <p class="actions">
                <a href=page.call_href.clone()>{t!(i18n, call.see_agenda)}</a>
                " · "
                <a href=page.present_href.clone()>{t!(i18n, call.present)}</a>
                " · "
                <a href=page.slides_href.clone() download="">{t!(i18n, call.slides)}</a>
            </p>
        </div>
        <AgendaNoticeBox notice=page.notice.clone()/>
        {page.sections.into_iter().map(|editor| {
            let heading = editor.team.clone();
            let editor = crate::model::ContributionView { submission: submission.clone(), ..editor };
            view! {
                <h2 class="call-team">{heading}</h2>
                <SectionEditor page=editor/>
            }
        }).collect_view()}
        {(!page.entries.is_empty()).then(|| view! {
            <section class="admin-section" aria-labelledby="entries-heading">
                <h2 id="entries-heading">{t!(i18n, call.entries)}</h2>
                <ul class="check-in-list">
                    {page.entries.into_iter().map(|(entry, hidden)| {
                        let name = entry.title.clone();
                        view! {
                            <li>
                                <span>
                                    <a href=entry.href>{entry.title}</a> ", " {entry.days}
                                    {hidden.then(|| view! { " · " <em>{t!(i18n, call.left_out)}</em> })}
                                </span>
                                <form method="post" action=format!("{entries_base}/{}", entry.event_id)>
                                    <input type="hidden" name="hidden" value=if hidden { "off" } else { "on" }/>
                                    <button class="button button-secondary" type="submit">
                                        {if hidden { t_string!(i18n, call.list_again) } else { t_string!(i18n, call.leave_out) }}
                                        <span class="visually-hidden">{format!(": {name}")}</span>
                                    </button>
                                </form>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        })}
    }
}
