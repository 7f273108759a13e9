//! The community call's agenda as the pages show it: the call page's sections, the present
//! view's slides, a team's contributor page, and the organizers' agenda pages.

use chrono::{DateTime, NaiveDate, Utc};
use domain::call::{Section, SectionKind, open_dates, previous_date};
use domain::paths::{
    admin_call_href, contribute_href, event_href, occurrence_href, present_href, register_href,
    slides_href, topics_href,
};
use domain::time::{format_day, format_span};
use domain::{Event, EventKind, EventSlug, Lang};
use service::Services;
use service::admin::SignedIn;
use service::call::{CallAgenda, OPEN_DATES, event_days};
use service::markdown::to_safe_html;
use service::token::hash_token;
use store::StoreResult;

use crate::model::{
    AdminAgendaView, AdminCallView, AdminSectionView, AgendaItemView, AgendaSectionView,
    CallAgendaView, ContributionCall, ContributionView, PresentView, UpcomingEntryView,
};

fn item_view(item: &domain::call::Item) -> AgendaItemView {
    AgendaItemView {
        id: item.id,
        body_md: item.body_md.clone(),
        html: to_safe_html(&item.body_md),
    }
}

fn entry_view(event: &Event, lang: Lang, now: DateTime<Utc>) -> UpcomingEntryView {
    let slug = event.slug.as_str();
    UpcomingEntryView {
        event_id: event.id,
        title: event.title.clone(),
        href: event_href(slug),
        days: event_days(event, lang),
        venue: event.venue.clone(),
        summary: event.summary.clone(),
        register_href: (event.registration_window(now) == Some(domain::Window::Open))
            .then(|| register_href(slug)),
        topics_href: event
            .check_topic_proposal(now, 0)
            .is_ok()
            .then(|| topics_href(slug)),
    }
}

/// The call page's agenda.
pub fn agenda_view(agenda: &CallAgenda, lang: Lang, now: DateTime<Utc>) -> CallAgendaView {
    let slug = agenda.series.slug.as_str();
    let date = agenda.occurrence.original_date;
    let entries = |list: &[Event]| list.iter().map(|e| entry_view(e, lang, now)).collect();
    CallAgendaView {
        sections: agenda
            .sections
            .iter()
            .map(|s| {
                let generated = s.section.kind == SectionKind::Upcoming;
                AgendaSectionView {
                    id: s.section.id,
                    title: s.section.title.clone(),
                    kind: s.section.kind,
                    items: s.items.iter().map(item_view).collect(),
                    elsewhere: if generated {
                        entries(&agenda.elsewhere)
                    } else {
                        Vec::new()
                    },
                    open: if generated {
                        entries(&agenda.open)
                    } else {
                        Vec::new()
                    },
                }
            })
            .collect(),
        slides_href: slides_href(slug, date),
        present_href: present_href(slug, date),
    }
}

/// The agenda of the published series at `slug` for `date`, if the series has sections and
/// meets on that date.
pub async fn published_agenda(
    ctx: &Services,
    slug: &EventSlug,
    date: &str,
    now: DateTime<Utc>,
) -> StoreResult<Option<CallAgenda>> {
    let Ok(date) = domain::dates::parse_date(date) else {
        return Ok(None);
    };
    let Some(series) = ctx.store.published_event(slug).await? else {
        return Ok(None);
    };
    agenda_of(ctx, &series, date, now).await
}

/// The agenda of `series` on `date`; `None` when it has no sections or no such date.
pub async fn agenda_of(
    ctx: &Services,
    series: &Event,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> StoreResult<Option<CallAgenda>> {
    if series.kind != EventKind::CommunityCall
        || ctx.store.call_sections(series.id).await?.is_empty()
    {
        return Ok(None);
    }
    service::call::agenda(ctx, series, date, now).await
}

/// The present view of the call at `slug` on `date`.
pub async fn present_page(
    ctx: &Services,
    slug: &EventSlug,
    date: &str,
    lang: Lang,
    now: DateTime<Utc>,
) -> StoreResult<Option<PresentView>> {
    let Some(agenda) = published_agenda(ctx, slug, date, now).await? else {
        return Ok(None);
    };
    let markdown = service::call::deck_markdown(&agenda, &ctx.base_url, lang, now);
    let date = agenda.occurrence.original_date;
    Ok(Some(PresentView {
        title: agenda.series.title.clone(),
        date: format_day(date, lang),
        call_href: occurrence_href(agenda.series.slug.as_str(), date),
        slides: service::call::present_slides(&markdown),
    }))
}

/// A section's editor for the coming calls, posting to `base`.
pub async fn contribution(
    ctx: &Services,
    section: &Section,
    series: &Event,
    base: String,
    lang: Lang,
    now: DateTime<Utc>,
) -> StoreResult<ContributionView> {
    let overrides = ctx.store.occurrence_overrides_of(series.id).await?;
    let dates = open_dates(series, &overrides, now, OPEN_DATES);
    // The items of the coming calls and of the call before the first (to carry over); none
    // when the series has no coming calls.
    let first = dates
        .iter()
        .map(|o| o.original_date)
        .min()
        .map(|first| previous_date(series, &overrides, first).unwrap_or(first));
    let items = match first {
        Some(first) => ctx.store.call_items_of_section(section.id, first).await?,
        None => Vec::new(),
    };
    let calls = dates
        .iter()
        .map(|o| {
            let date = o.original_date;
            let before = previous_date(series, &overrides, date);
            ContributionCall {
                date,
                day: format_day(date, lang),
                when: format_span(o.starts_at, o.ends_at, series.time_zone, lang),
                call_href: occurrence_href(series.slug.as_str(), date),
                items: items
                    .iter()
                    .filter(|i| i.date == date)
                    .map(item_view)
                    .collect(),
                can_carry: before.is_some_and(|b| items.iter().any(|i| i.date == b)),
            }
        })
        .collect();
    Ok(ContributionView {
        team: section.title.clone(),
        series_title: series.title.clone(),
        base,
        calls,
        notice: None,
        submission: None,
    })
}

/// The page behind a contributor link; `None` when no section has this link.
pub async fn contribution_by_link(
    ctx: &Services,
    token: &str,
    lang: Lang,
    now: DateTime<Utc>,
) -> StoreResult<Option<ContributionView>> {
    let Some(section) = ctx.store.call_section_by_token(&hash_token(token)).await? else {
        return Ok(None);
    };
    let Some(series) = ctx.store.event_by_id(section.event_id).await? else {
        return Ok(None);
    };
    let base = contribute_href(token);
    contribution(ctx, &section, &series, base, lang, now)
        .await
        .map(Some)
}

/// Where the forms of a section's editor post for a signed-in organizer.
pub fn admin_section_base(slug: &str, section_id: i64) -> String {
    format!(
        "{}/sections/{section_id}",
        domain::paths::admin_agenda_href(slug)
    )
}

/// The organizers' page of the series at `slug`'s sections; `None` when it is no call series.
pub async fn admin_agenda_page(
    ctx: &Services,
    slug: &EventSlug,
    lang: Lang,
    now: DateTime<Utc>,
) -> StoreResult<Option<AdminAgendaView>> {
    let Some(series) = ctx.store.event_by_slug(slug).await? else {
        return Ok(None);
    };
    if series.kind != EventKind::CommunityCall || !series.is_series() {
        return Ok(None);
    }
    let sections = ctx.store.call_sections(series.id).await?;
    let contributors = ctx.store.call_contributors(series.id).await?;
    let overrides = ctx.store.occurrence_overrides_of(series.id).await?;
    let teams = ctx
        .store
        .published_events()
        .await?
        .into_iter()
        .filter(|e| e.is_series() && e.id != series.id)
        .filter(|e| !sections.iter().any(|s| s.team_event_id == Some(e.id)))
        .map(|e| (e.id, e.title))
        .collect();
    let accounts = ctx
        .store
        .organizers()
        .await?
        .into_iter()
        .filter(|a| a.removed_at.is_none())
        .map(|a| (a.id, a.email))
        .collect();
    let calls = open_dates(&series, &overrides, now, OPEN_DATES)
        .into_iter()
        .map(|o| {
            let date = o.original_date;
            (
                date,
                format_day(date, lang),
                admin_call_href(slug.as_str(), date),
            )
        })
        .collect();
    Ok(Some(AdminAgendaView {
        slug: slug.to_string(),
        title: series.title.clone(),
        sections: sections
            .into_iter()
            .map(|s| {
                let named: Vec<&store::SectionContributor> = contributors
                    .iter()
                    .filter(|c| c.section_id == s.id)
                    .collect();
                AdminSectionView {
                    id: s.id,
                    title: s.title,
                    kind: s.kind,
                    has_link: s.has_contributor_link,
                    contributor_ids: named.iter().map(|c| c.organizer_id).collect(),
                    contributors: named.iter().map(|c| c.email.clone()).collect(),
                }
            })
            .collect(),
        teams,
        accounts,
        calls,
        issued_link: None,
        notice: None,
        submission: None,
    }))
}

/// The organizers' page of one call: an editor for each section `me` writes, and (for event
/// managers) the generated entries. `None` when there is no such call or agenda.
pub async fn admin_call_page(
    ctx: &Services,
    me: &SignedIn,
    slug: &EventSlug,
    date: &str,
    lang: Lang,
    now: DateTime<Utc>,
) -> StoreResult<Option<AdminCallView>> {
    let Ok(date) = domain::dates::parse_date(date) else {
        return Ok(None);
    };
    let Some(series) = ctx.store.event_by_slug(slug).await? else {
        return Ok(None);
    };
    let Some(agenda) = agenda_of(ctx, &series, date, now).await? else {
        return Ok(None);
    };
    let manager = me.role.may(domain::admin::AdminArea::Events);
    let mut sections = Vec::new();
    for part in &agenda.sections {
        let section = &part.section;
        let named = part.contributors.iter().any(|c| c.organizer_id == me.id);
        if !section.kind.takes_items() || !(manager || named) {
            continue;
        }
        let base = admin_section_base(slug.as_str(), section.id);
        let mut editor = contribution(ctx, section, &series, base, lang, now).await?;
        // This page is about one call: its editor shows that call only.
        editor.calls.retain(|c| c.date == date);
        if editor.calls.is_empty() {
            editor.calls.push(ContributionCall {
                date,
                day: format_day(date, lang),
                when: format_span(
                    agenda.occurrence.starts_at,
                    agenda.occurrence.ends_at,
                    series.time_zone,
                    lang,
                ),
                call_href: occurrence_href(slug.as_str(), date),
                items: part.items.iter().map(item_view).collect(),
                can_carry: false,
            });
        }
        sections.push(editor);
    }
    let entries = if manager && agenda.has_generated() {
        let shown = agenda.elsewhere.iter().chain(&agenda.open);
        shown
            .map(|e| (entry_view(e, lang, now), false))
            .chain(
                agenda
                    .hidden
                    .iter()
                    .map(|e| (entry_view(e, lang, now), true)),
            )
            .collect()
    } else {
        Vec::new()
    };
    Ok(Some(AdminCallView {
        slug: slug.to_string(),
        title: series.title.clone(),
        date,
        day: format_day(date, lang),
        call_href: occurrence_href(slug.as_str(), date),
        slides_href: slides_href(slug.as_str(), date),
        present_href: present_href(slug.as_str(), date),
        sections,
        entries,
        notice: None,
        submission: None,
    }))
}
