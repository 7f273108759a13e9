//! The community call's agenda: its part of the call page, the present view (one slide at a
//! time; `public/in-place.js` moves between them with the keyboard, and without JavaScript the
//! slides follow each other down the page), and a team's contributor page.

use domain::call::SectionKind;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use super::{event_slug, for_event, loaded, not_found};
use crate::api::{load_contribution, load_present};
use crate::components::form::ErrorSummary;
use crate::i18n::*;
use crate::model::{
    AgendaNotice, CallAgendaView, ContributionCall, ContributionView, PresentView, Submission,
    UpcomingEntryView,
};
use crate::text::{agenda_notice, field_error};

/// The agenda of one call on its page: the sections in order, each with its items, and the
/// generated section from the site's own events.
#[component]
pub fn CallAgenda(agenda: CallAgendaView) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="actions">
            <a class="button" href=agenda.present_href.clone()>{t!(i18n, call.present)}</a>
            " "
            <a href=agenda.slides_href.clone() download="">{t!(i18n, call.slides)}</a>
        </p>
        <div class="call-agenda">
            // A free section nobody wrote in for this call is left out; an empty team section
            // says so (the team may still write).
            {agenda.sections.into_iter().filter(|section| {
                section.kind != SectionKind::Free || !section.items.is_empty()
            }).map(|section| {
                let heading = format!("section-{}", section.id);
                let labelled_by = heading.clone();
                let body = match section.kind {
                    SectionKind::Upcoming => view! {
                        <UpcomingLists elsewhere=section.elsewhere open=section.open/>
                    }.into_any(),
                    SectionKind::Team | SectionKind::Free if section.items.is_empty() => view! {
                        <p class="empty">{t!(i18n, call.no_updates)}</p>
                    }.into_any(),
                    SectionKind::Team | SectionKind::Free => view! {
                        <ul class="call-items">
                            {section.items.into_iter().map(|item| view! {
                                <li class="prose" inner_html=item.html></li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                };
                view! {
                    <section class="call-section" aria-labelledby=labelled_by>
                        <h3 id=heading>{section.title}</h3>
                        {body}
                    </section>
                }
            }).collect_view()}
        </div>
    }
}

#[component]
fn UpcomingLists(elsewhere: Vec<UpcomingEntryView>, open: Vec<UpcomingEntryView>) -> impl IntoView {
    let i18n = use_i18n();
    if elsewhere.is_empty() && open.is_empty() {
        return view! { <p class="empty">{t!(i18n, call.nothing_upcoming)}</p> }.into_any();
    }
    view! {
        {(!elsewhere.is_empty()).then(|| view! {
            <ul class="call-elsewhere">
                {elsewhere.into_iter().map(|entry| view! {
                    <li>
                        <a href=entry.href>{entry.title}</a>
                        {entry.venue.map(|venue| format!(" – {venue}"))}
                        ", " {entry.days}
                        {(!entry.summary.is_empty()).then(|| format!(": {}", entry.summary))}
                    </li>
                }).collect_view()}
            </ul>
        })}
        {open.into_iter().map(|entry| view! {
            <div class="call-announcement">
                <h4><a href=entry.href>{entry.title}</a></h4>
                <p>{entry.days} {entry.venue.map(|venue| format!(", {venue}"))}</p>
                <p class="actions">
                    {entry.register_href.map(|href| view! {
                        <a class="button" href=href>{t!(i18n, call.register)}</a>
                    })}
                    " "
                    {entry.topics_href.map(|href| view! {
                        <a href=href>{t!(i18n, call.topic_collection)}</a>
                    })}
                </p>
            </div>
        }).collect_view()}
    }
    .into_any()
}

/// `/events/{slug}/{date}/present`: the call's slides, one at a time.
#[component]
pub fn PresentPage() -> impl IntoView {
    let params = use_params_map();
    let page = Resource::new(
        move || {
            let params = params.read();
            (event_slug(&params), params.get("date").unwrap_or_default())
        },
        |(slug, date)| for_event(slug, move |slug| load_present(slug, date)),
    );
    view! {
        {loaded(page, |page| view! { <Present page/> }.into_any(), not_found)}
    }
}

#[component]
fn Present(page: PresentView) -> impl IntoView {
    let i18n = use_i18n();
    let total = page.slides.len();
    view! {
        <Title text=format!("{} – {}", page.title, page.date)/>
        <Meta name="robots" content="noindex"/>
        <div class="present" data-present="">
            <p class="present-help">
                <a href=page.call_href.clone()>"← " {page.title.clone()} " – " {page.date.clone()}</a>
                " · " {t!(i18n, call.present_keys)}
            </p>
            {page.slides.into_iter().enumerate().map(|(index, (html, first))| {
                let n = index + 1;
                let label = t_string!(i18n, call.slide_of, n, total).to_string();
                view! {
                    <section
                        class="slide"
                        class:slide-section=first
                        id=format!("slide-{n}")
                        aria-label=label
                        tabindex="-1"
                    >
                        <div class="slide-body prose" inner_html=html></div>
                        <p class="slide-number" aria-hidden="true">{format!("{n} / {total}")}</p>
                    </section>
                }
            }).collect_view()}
        </div>
    }
}

/// `/contribute/{token}`: the page behind a team's contributor link.
#[component]
pub fn ContributionPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let page = Resource::new(
        move || {
            let query = query.read();
            (
                params.read().get("token").unwrap_or_default(),
                query.get("notice"),
                query.get("count").and_then(|c| c.parse().ok()),
            )
        },
        |(token, notice, count)| load_contribution(token, notice, count),
    );
    view! {
        {loaded(page, |page| view! { <Contribution page/> }.into_any(), not_found)}
    }
}

#[component]
fn Contribution(page: ContributionView) -> impl IntoView {
    let i18n = use_i18n();
    let title = t_string!(i18n, call.contribute_title, team = page.team.clone()).to_string();
    view! {
        <Title text=title.clone()/>
        <Meta name="robots" content="noindex"/>
        <div class="page-head">
            <h1>{title}</h1>
            <p class="lead">{t!(i18n, call.contribute_lead, series = page.series_title.clone())}</p>
        </div>
        <AgendaNoticeBox notice=page.notice.clone()/>
        <SectionEditor page/>
    }
}

/// What an agenda action did, or why not.
#[component]
pub fn AgendaNoticeBox(notice: Option<AgendaNotice>) -> impl IntoView {
    let i18n = use_i18n();
    notice.map(|notice| {
        let text = agenda_notice(i18n, &notice);
        let failed = notice.is_failure();
        view! {
            <p class=if failed { "notice notice-error" } else { "notice notice-ok" }
               role=if failed { "alert" } else { "status" }>{text}</p>
        }
    })
}

/// A section's items for its coming calls, with a form to add, change, remove and carry over.
/// The forms post to `page.base`; a refused one comes back with its problem next to its field.
#[component]
pub fn SectionEditor(page: ContributionView) -> impl IntoView {
    let submission = page.submission.clone().unwrap_or_default();
    let base = page.base.clone();
    let team = page.team.clone();
    view! {
        <ErrorSummary errors=submission.errors.clone() message=None/>
        {page.calls.into_iter().map(|call| view! {
            <CallEditor call base=base.clone() team=team.clone() submission=submission.clone()/>
        }).collect_view()}
    }
}

#[component]
fn CallEditor(
    call: ContributionCall,
    base: String,
    team: String,
    submission: Submission,
) -> impl IntoView {
    let i18n = use_i18n();
    let date = call.date.to_string();
    let heading = format!("call-{date}-{}", slug_of(&team));
    let labelled_by = heading.clone();
    let add_id = format!("{heading}-new");
    // The form that was refused gets its text back and its problem beside it.
    let refused_here = submission.value("date") == date && submission.value("item").is_empty();
    let add_error = refused_here
        .then(|| submission.errors.first().map(|e| field_error(i18n, e)))
        .flatten();
    let add_value = if refused_here {
        submission.value("body")
    } else {
        String::new()
    };
    let add_error_id = format!("{add_id}-error");
    let described = add_error.is_some().then(|| add_error_id.clone());
    let add_invalid = add_error.is_some();
    view! {
        <section class="admin-section call-editor" aria-labelledby=labelled_by>
            <h2 id=heading>{call.day.clone()}</h2>
            <p class="call-team">{call.when.clone()}</p>
            <p><a href=call.call_href.clone()>{t!(i18n, call.see_agenda)}</a></p>
            {call.items.is_empty().then(|| view! { <p class="empty">{t!(i18n, call.no_items)}</p> })}
            <ol class="call-items editable">
                {call.items.iter().map(|item| {
                    let id = item.id;
                    let field = format!("item-{id}");
                    let refused = submission.value("item") == id.to_string();
                    let value = if refused { submission.value("body") } else { item.body_md.clone() };
                    let error = refused
                        .then(|| submission.errors.first().map(|e| field_error(i18n, e)))
                        .flatten();
                    let error_id = format!("{field}-error");
                    let described = error.is_some().then(|| error_id.clone());
                    let invalid = error.is_some();
                    view! {
                        <li id=format!("agenda-item-{id}")>
                            <div class="prose call-item-preview" inner_html=item.html.clone()></div>
                            <form method="post" action=format!("{base}/items/{id}/edit") class="form">
                                <input type="hidden" name="item" value=id.to_string()/>
                                <input type="hidden" name="date" value=date.clone()/>
                                <div class="field" class:field-invalid=invalid>
                                    <label for=field.clone()>{t!(i18n, call.item_label)}</label>
                                    {error.map(|e| view! { <p class="field-error" id=error_id.clone()>{e}</p> })}
                                    <textarea id=field name="body" rows="4" aria-describedby=described>{value}</textarea>
                                </div>
                                <button class="button button-secondary" type="submit">
                                    {t!(i18n, call.save)}<span class="visually-hidden">{format!(" #{id}")}</span>
                                </button>
                            </form>
                            <form method="post" action=format!("{base}/items/{id}/remove")>
                                <input type="hidden" name="date" value=date.clone()/>
                                <button class="button button-secondary" type="submit">
                                    {t!(i18n, call.remove)}<span class="visually-hidden">{format!(" #{id}")}</span>
                                </button>
                            </form>
                        </li>
                    }
                }).collect_view()}
            </ol>
            <form method="post" action=format!("{base}/items") class="form">
                <input type="hidden" name="date" value=date.clone()/>
                <div class="field" class:field-invalid=add_invalid>
                    <label for=add_id.clone()>{t!(i18n, call.new_item, date = call.day.clone())}</label>
                    <p class="hint">{t!(i18n, call.item_hint)}</p>
                    {add_error.map(|e| view! { <p class="field-error" id=add_error_id.clone()>{e}</p> })}
                    <textarea id=add_id name="body" rows="4" aria-describedby=described>{add_value}</textarea>
                </div>
                <button class="button" type="submit">{t!(i18n, call.add_item)}</button>
            </form>
            {call.can_carry.then(|| view! {
                <form method="post" action=format!("{base}/carry")>
                    <input type="hidden" name="date" value=date.clone()/>
                    <button class="button button-secondary" type="submit">{t!(i18n, call.carry_over)}</button>
                </form>
            })}
        </section>
    }
}

/// A team's name as a part of an element id.
fn slug_of(team: &str) -> String {
    team.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}
