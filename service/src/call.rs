//! The community call's agenda: the organizers set a series' sections once; each team writes its
//! items for the coming calls through its contributor link (or a named organizer account); the
//! call page, the slide deck and the present view are read from the same agenda; teams whose
//! section is still empty the day before are reminded. Every change runs in the series' write
//! transaction and is written to its log.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use domain::admin::AdminArea;
use domain::audit::{AuditAction, EventChange, ItemChange, SectionChange};
use domain::call::{
    AgendaError, AgendaRefusal, ITEMS_MAX, Item, NewSection, Section, SectionForm, SectionKind,
    check_new_section, check_open, previous_date, validate_item,
};
use domain::deck::{self, DeckOut, DeckOutSection};
use domain::paths::{event_href, register_href, topics_href};
use domain::time::format_days;
use domain::{Event, EventKind, Field, FieldError, Lang, Occurrence, Problem};
use store::{Actor, EventWrite, SectionContributor, StoreError};

use crate::Services;
use crate::admin::SignedIn;
use crate::html::escape;
use crate::mail::{MailText, Recipient};
use crate::token::{SecretToken, hash_token};

/// How many coming calls a contributor page offers to write for.
pub const OPEN_DATES: usize = 4;

/// A section of one call's agenda with what is written in it.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionOfCall {
    pub section: Section,
    pub items: Vec<Item>,
    /// The organizer accounts named for it.
    pub contributors: Vec<SectionContributor>,
}

/// One call's agenda: its sections in order, and the events the generated section lists.
#[derive(Debug, Clone, PartialEq)]
pub struct CallAgenda {
    pub series: Event,
    pub occurrence: Occurrence,
    pub sections: Vec<SectionOfCall>,
    /// Events elsewhere in the weeks after the call.
    pub elsewhere: Vec<Event>,
    /// Events whose registration or topic collection is open.
    pub open: Vec<Event>,
    /// Events the organizers left out of this call's generated section.
    pub hidden: Vec<Event>,
}

impl CallAgenda {
    /// Whether anything is written or generated for this call.
    pub fn is_empty(&self) -> bool {
        self.sections.iter().all(|s| s.items.is_empty())
            && (self.elsewhere.is_empty() && self.open.is_empty() || !self.has_generated())
    }

    pub fn has_generated(&self) -> bool {
        self.sections
            .iter()
            .any(|s| s.section.kind == SectionKind::Upcoming)
    }
}

/// The series' date `date` as it takes place (moved or cancelled), if the series has it.
async fn occurrence_of(
    ctx: &Services,
    series: &Event,
    date: NaiveDate,
) -> Result<Option<Occurrence>, StoreError> {
    let overrides = ctx.store.occurrence_overrides_of(series.id).await?;
    let change = overrides.iter().find(|o| o.original_date == date);
    Ok(series.occurrence_on(date, change))
}

/// The agenda of `series` for its date `date`; `None` when the series has no such date.
pub async fn agenda(
    ctx: &Services,
    series: &Event,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Option<CallAgenda>, StoreError> {
    let Some(occurrence) = occurrence_of(ctx, series, date).await? else {
        return Ok(None);
    };
    let store = &ctx.store;
    let mut items = store.call_items(series.id, date).await?;
    let mut contributors = store.call_contributors(series.id).await?;
    let sections = store
        .call_sections(series.id)
        .await?
        .into_iter()
        .map(|section| SectionOfCall {
            items: take_where(&mut items, |i| i.section_id == section.id),
            contributors: take_where(&mut contributors, |c| c.section_id == section.id),
            section,
        })
        .collect();
    let events = store.published_events().await?;
    let hidden_ids = store.call_hidden_entries(series.id, date).await?;
    let listed = domain::call::upcoming(&events, occurrence.starts_at, now, &[]);
    let is_hidden = |e: &&Event| hidden_ids.contains(&e.id);
    let hidden = listed
        .elsewhere
        .iter()
        .chain(&listed.open)
        .filter(|e| is_hidden(e))
        .map(|e| (*e).clone())
        .collect();
    let shown = |list: &[&Event]| {
        list.iter()
            .filter(|e| !is_hidden(e))
            .map(|e| (*e).clone())
            .collect()
    };
    Ok(Some(CallAgenda {
        elsewhere: shown(&listed.elsewhere),
        open: shown(&listed.open),
        hidden,
        series: series.clone(),
        occurrence,
        sections,
    }))
}

fn take_where<T>(from: &mut Vec<T>, keep: impl Fn(&T) -> bool) -> Vec<T> {
    let (taken, rest) = std::mem::take(from).into_iter().partition(keep);
    *from = rest;
    taken
}

/// One line of the generated section about an event elsewhere: title, place, days, and what the
/// event says about it (who from the community goes, what they show). Escaped: the deck is
/// pasted into a pad that renders HTML.
pub fn elsewhere_line(event: &Event, lang: Lang) -> String {
    let mut line = escape(&event.title);
    if let Some(venue) = &event.venue {
        line.push_str(&format!(" – {}", escape(venue)));
    }
    line.push_str(&format!(", {}", event_days(event, lang)));
    if !event.summary.trim().is_empty() {
        line.push_str(&format!(": {}", escape(event.summary.trim())));
    }
    line
}

/// The days an event takes in its own zone, e.g. `16–19 Oct 2023`.
pub fn event_days(event: &Event, lang: Lang) -> String {
    let day = |at: DateTime<Utc>| at.with_timezone(&event.time_zone).date_naive();
    format_days(day(event.starts_at), day(event.ends_at), lang)
}

/// The slide announcing an open registration or topic collection, with absolute links.
pub fn announcement(event: &Event, base_url: &str, lang: Lang, now: DateTime<Utc>) -> String {
    let mut slide = format!("## {}\n\n{}", escape(&event.title), event_days(event, lang));
    if let Some(venue) = &event.venue {
        slide.push_str(&format!(", {}", escape(venue)));
    }
    let slug = event.slug.as_str();
    if event.registration_window(now) == Some(domain::Window::Open) {
        slide.push_str(&format!(
            "\n\n{}: {base_url}{}",
            registration_label(lang),
            register_href(slug)
        ));
    }
    if event.check_topic_proposal(now, 0).is_ok() {
        slide.push_str(&format!(
            "\n\n{}: {base_url}{}",
            topics_label(lang),
            topics_href(slug)
        ));
    }
    slide.push_str(&format!("\n\n{base_url}{}", event_href(slug)));
    slide
}

// The deck's few fixed words, in the language of whoever downloads it.
fn registration_label(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Registration",
        Lang::De => "Anmeldung",
    }
}

fn topics_label(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Topic collection",
        Lang::De => "Themensammlung",
    }
}

/// The call's agenda as a HedgeDoc/reveal.js deck.
pub fn deck_markdown(
    agenda: &CallAgenda,
    base_url: &str,
    lang: Lang,
    now: DateTime<Utc>,
) -> String {
    let sections = agenda
        .sections
        .iter()
        .map(|s| match s.section.kind {
            SectionKind::Upcoming => DeckOutSection::Generated {
                title: s.section.title.clone(),
                lines: agenda
                    .elsewhere
                    .iter()
                    .map(|e| elsewhere_line(e, lang))
                    .collect(),
                announcements: agenda
                    .open
                    .iter()
                    .map(|e| announcement(e, base_url, lang, now))
                    .collect(),
            },
            SectionKind::Team | SectionKind::Free => DeckOutSection::Items {
                title: s.section.title.clone(),
                items: s.items.iter().map(|i| i.body_md.clone()).collect(),
            },
        })
        .collect();
    deck::render(&DeckOut {
        title: agenda.series.title.clone(),
        date: agenda.occurrence.original_date,
        sections,
    })
}

/// The deck's slides rendered for the browser (sanitised HTML), with whether each begins a
/// section.
pub fn present_slides(markdown: &str) -> Vec<(String, bool)> {
    deck::slides(markdown)
        .into_iter()
        .map(|slide| {
            (
                crate::markdown::to_safe_html(&slide.markdown),
                slide.first_of_section,
            )
        })
        .collect()
}

/// A series of community calls, by id.
async fn call_series(ctx: &Services, series_id: i64) -> Result<Event, AgendaError> {
    let series = ctx
        .store
        .event_by_id(series_id)
        .await?
        .ok_or(AgendaError::NotACallSeries)?;
    if series.kind != EventKind::CommunityCall || !series.is_series() {
        return Err(AgendaError::NotACallSeries);
    }
    Ok(series)
}

/// Who writes items into a section.
#[derive(Debug, Clone, Copy)]
pub enum Writer<'a> {
    /// Whoever holds the section's contributor link (its secret).
    Link(&'a str),
    /// A signed-in organizer: an event manager or admin, or an account named for the section.
    Account {
        organizer: &'a SignedIn,
        section_id: i64,
    },
}

/// The section a writer may write to, and who they are in the log.
pub async fn section_for(
    ctx: &Services,
    writer: Writer<'_>,
) -> Result<(Section, Actor), AgendaError> {
    match writer {
        Writer::Link(token) => {
            let section = ctx
                .store
                .call_section_by_token(&hash_token(token))
                .await?
                .ok_or(AgendaError::UnknownLink)?;
            let actor = Actor::Contributor(section.id);
            Ok((section, actor))
        }
        Writer::Account {
            organizer,
            section_id,
        } => {
            let section = ctx
                .store
                .call_section(section_id)
                .await?
                .ok_or(AgendaError::UnknownSection)?;
            let named = ctx
                .store
                .call_contributors(section.event_id)
                .await?
                .iter()
                .any(|c| c.section_id == section.id && c.organizer_id == organizer.id);
            if !named && !organizer.role.may(AdminArea::Events) {
                return Err(AgendaError::NotYours);
            }
            Ok((section, organizer.actor()))
        }
    }
}

/// The section's series, the call on `date`, and the series' write lock, once the call is
/// known to be still open for changes.
async fn open_call(
    ctx: &Services,
    section: &Section,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(Event, EventWrite), AgendaError> {
    if !section.kind.takes_items() {
        return Err(AgendaRefusal::Generated.into());
    }
    let series = call_series(ctx, section.event_id).await?;
    let occurrence = occurrence_of(ctx, &series, date)
        .await?
        .ok_or(AgendaError::UnknownCall)?;
    check_open(occurrence.ends_at, now)?;
    let write = ctx.store.write_event(series.id).await?;
    Ok((series, write))
}

async fn log_item(
    write: &mut EventWrite,
    actor: Actor,
    section: &Section,
    (date, item_id): (NaiveDate, i64),
    change: ItemChange,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let line = EventChange::AgendaItem {
        section_id: section.id,
        section: section.title.clone(),
        date,
        item_id,
        change,
    };
    write
        .log_event(actor, AuditAction::AgendaItem, &line, now)
        .await
}

/// Adds an item to the writer's section for the call on `date`; returns its id.
pub async fn add_item(
    ctx: &Services,
    writer: Writer<'_>,
    date: NaiveDate,
    body: &str,
    now: DateTime<Utc>,
) -> Result<i64, AgendaError> {
    let (section, actor) = section_for(ctx, writer).await?;
    let body = validate_item(body).map_err(AgendaError::Invalid)?;
    let (_, mut write) = open_call(ctx, &section, date, now).await?;
    if write.call_items_in(section.id, date).await?.len() >= ITEMS_MAX {
        return Err(AgendaRefusal::TooManyItems.into());
    }
    let id = write.insert_call_item(section.id, date, &body, now).await?;
    log_item(
        &mut write,
        actor,
        &section,
        (date, id),
        ItemChange::Added,
        now,
    )
    .await?;
    write.commit().await?;
    Ok(id)
}

/// The item `item_id` of the writer's section, with the series' lock for changing it.
async fn own_item(
    ctx: &Services,
    writer: Writer<'_>,
    item_id: i64,
    now: DateTime<Utc>,
) -> Result<(Section, Actor, Item, EventWrite), AgendaError> {
    let (section, actor) = section_for(ctx, writer).await?;
    let item = ctx
        .store
        .call_item(item_id)
        .await?
        .filter(|i| i.section_id == section.id)
        .ok_or(AgendaError::UnknownItem)?;
    let (_, mut write) = open_call(ctx, &section, item.date, now).await?;
    let item = write
        .call_item(item_id)
        .await?
        .filter(|i| i.section_id == section.id)
        .ok_or(AgendaError::UnknownItem)?;
    Ok((section, actor, item, write))
}

/// Changes an item of the writer's section.
pub async fn edit_item(
    ctx: &Services,
    writer: Writer<'_>,
    item_id: i64,
    body: &str,
    now: DateTime<Utc>,
) -> Result<NaiveDate, AgendaError> {
    let (section, actor, item, mut write) = own_item(ctx, writer, item_id, now).await?;
    let body = validate_item(body).map_err(AgendaError::Invalid)?;
    write.update_call_item(item.id, &body, now).await?;
    log_item(
        &mut write,
        actor,
        &section,
        (item.date, item.id),
        ItemChange::Edited,
        now,
    )
    .await?;
    write.commit().await?;
    Ok(item.date)
}

/// Removes an item of the writer's section.
pub async fn remove_item(
    ctx: &Services,
    writer: Writer<'_>,
    item_id: i64,
    now: DateTime<Utc>,
) -> Result<NaiveDate, AgendaError> {
    let (section, actor, item, mut write) = own_item(ctx, writer, item_id, now).await?;
    write.delete_call_item(item.id).await?;
    log_item(
        &mut write,
        actor,
        &section,
        (item.date, item.id),
        ItemChange::Removed,
        now,
    )
    .await?;
    write.commit().await?;
    Ok(item.date)
}

/// Copies the section's items of the call before `date` into the call on `date` (after what is
/// there); returns how many.
pub async fn carry_over(
    ctx: &Services,
    writer: Writer<'_>,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> Result<u32, AgendaError> {
    let (section, actor) = section_for(ctx, writer).await?;
    let (series, mut write) = open_call(ctx, &section, date, now).await?;
    let overrides = ctx.store.occurrence_overrides_of(series.id).await?;
    let before = previous_date(&series, &overrides, date).ok_or(AgendaRefusal::NothingToCarry)?;
    let earlier = write.call_items_in(section.id, before).await?;
    if earlier.is_empty() {
        return Err(AgendaRefusal::NothingToCarry.into());
    }
    let present = write.call_items_in(section.id, date).await?.len();
    if present + earlier.len() > ITEMS_MAX {
        return Err(AgendaRefusal::TooManyItems.into());
    }
    let mut last = 0;
    for item in &earlier {
        last = write
            .insert_call_item(section.id, date, &item.body_md, now)
            .await?;
    }
    let count = u32::try_from(earlier.len()).unwrap_or(u32::MAX);
    log_item(
        &mut write,
        actor,
        &section,
        (date, last),
        ItemChange::CarriedOver(count),
        now,
    )
    .await?;
    write.commit().await?;
    Ok(count)
}

async fn log_section(
    write: &mut EventWrite,
    actor: Actor,
    section: (i64, &str),
    change: SectionChange,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let line = EventChange::AgendaSection {
        section_id: section.0,
        title: section.1.to_owned(),
        change,
    };
    write
        .log_event(actor, AuditAction::AgendaSection, &line, now)
        .await
}

/// Adds a section at the end of the series' agenda; returns its id.
pub async fn add_section(
    ctx: &Services,
    organizer: &SignedIn,
    series_id: i64,
    form: &SectionForm,
    now: DateTime<Utc>,
) -> Result<i64, AgendaError> {
    let series = call_series(ctx, series_id).await?;
    let new = form.validate().map_err(AgendaError::Invalid)?;
    let (kind, title, team_event_id) = match &new {
        NewSection::Team { team_event_id } => {
            let team = ctx
                .store
                .event_by_id(*team_event_id)
                .await?
                .filter(|team| team.is_series() && team.id != series.id)
                .ok_or_else(|| {
                    AgendaError::Invalid(vec![FieldError {
                        field: Field::Named("team".into()),
                        problem: Problem::NotAnOption,
                    }])
                })?;
            (SectionKind::Team, team.title, Some(team.id))
        }
        NewSection::Free { title } => (SectionKind::Free, title.clone(), None),
        NewSection::Upcoming { title } => (SectionKind::Upcoming, title.clone(), None),
    };
    let mut write = ctx.store.write_event(series.id).await?;
    check_new_section(&write.call_sections().await?, &new)?;
    let id = write
        .insert_call_section(kind, &title, team_event_id, now)
        .await?;
    log_section(
        &mut write,
        organizer.actor(),
        (id, &title),
        SectionChange::Added,
        now,
    )
    .await?;
    write.commit().await?;
    Ok(id)
}

/// A section of the series, with the series' write lock.
async fn section_of(
    ctx: &Services,
    series_id: i64,
    section_id: i64,
) -> Result<(Section, EventWrite), AgendaError> {
    let series = call_series(ctx, series_id).await?;
    let mut write = ctx.store.write_event(series.id).await?;
    let section = write
        .call_sections()
        .await?
        .into_iter()
        .find(|s| s.id == section_id)
        .ok_or(AgendaError::UnknownSection)?;
    Ok((section, write))
}

/// Removes a section, with every item written in it.
pub async fn remove_section(
    ctx: &Services,
    organizer: &SignedIn,
    series_id: i64,
    section_id: i64,
    now: DateTime<Utc>,
) -> Result<(), AgendaError> {
    let (section, mut write) = section_of(ctx, series_id, section_id).await?;
    write.delete_call_section(section.id).await?;
    let at = (section.id, section.title.as_str());
    log_section(
        &mut write,
        organizer.actor(),
        at,
        SectionChange::Removed,
        now,
    )
    .await?;
    write.commit().await?;
    Ok(())
}

/// Moves a section one place up or down.
pub async fn move_section(
    ctx: &Services,
    organizer: &SignedIn,
    series_id: i64,
    section_id: i64,
    up: bool,
    now: DateTime<Utc>,
) -> Result<(), AgendaError> {
    let (section, mut write) = section_of(ctx, series_id, section_id).await?;
    let ids: Vec<i64> = write.call_sections().await?.iter().map(|s| s.id).collect();
    write
        .set_call_section_order(&domain::call::moved(&ids, section.id, up))
        .await?;
    let change = if up {
        SectionChange::MovedUp
    } else {
        SectionChange::MovedDown
    };
    let at = (section.id, section.title.as_str());
    log_section(&mut write, organizer.actor(), at, change, now).await?;
    write.commit().await?;
    Ok(())
}

/// Gives a section a new contributor link; any earlier one stops working. Returns the link's
/// secret, shown once.
pub async fn issue_link(
    ctx: &Services,
    organizer: &SignedIn,
    series_id: i64,
    section_id: i64,
    now: DateTime<Utc>,
) -> Result<String, AgendaError> {
    let (section, mut write) = section_of(ctx, series_id, section_id).await?;
    if !section.kind.takes_items() {
        return Err(AgendaRefusal::Generated.into());
    }
    let token = SecretToken::generate()
        .map_err(|cause| crate::failed("contributor link", cause, AgendaError::Internal))?;
    write
        .set_contributor_token(section.id, Some(&token.hash()))
        .await?;
    let at = (section.id, section.title.as_str());
    log_section(
        &mut write,
        organizer.actor(),
        at,
        SectionChange::LinkIssued,
        now,
    )
    .await?;
    write.commit().await?;
    Ok(token.as_str().to_owned())
}

/// Takes a section's contributor link back.
pub async fn revoke_link(
    ctx: &Services,
    organizer: &SignedIn,
    series_id: i64,
    section_id: i64,
    now: DateTime<Utc>,
) -> Result<(), AgendaError> {
    let (section, mut write) = section_of(ctx, series_id, section_id).await?;
    write.set_contributor_token(section.id, None).await?;
    let at = (section.id, section.title.as_str());
    log_section(
        &mut write,
        organizer.actor(),
        at,
        SectionChange::LinkRevoked,
        now,
    )
    .await?;
    write.commit().await?;
    Ok(())
}

/// Names exactly `organizer_ids` (active organizer accounts) as the section's contributors.
pub async fn name_contributors(
    ctx: &Services,
    organizer: &SignedIn,
    series_id: i64,
    section_id: i64,
    organizer_ids: &[i64],
    now: DateTime<Utc>,
) -> Result<(), AgendaError> {
    let accounts = ctx.store.organizers().await?;
    let mut named: Vec<i64> = organizer_ids.to_vec();
    named.sort_unstable();
    named.dedup();
    let active = |id: &i64| {
        accounts
            .iter()
            .any(|a| a.id == *id && a.removed_at.is_none())
    };
    if !named.iter().all(active) {
        return Err(AgendaError::Invalid(vec![FieldError {
            field: Field::Named("contributors".into()),
            problem: Problem::NotAnOption,
        }]));
    }
    let (section, mut write) = section_of(ctx, series_id, section_id).await?;
    if !section.kind.takes_items() {
        return Err(AgendaRefusal::Generated.into());
    }
    write.set_section_contributors(section.id, &named).await?;
    let count = u32::try_from(named.len()).unwrap_or(u32::MAX);
    let at = (section.id, section.title.as_str());
    let change = SectionChange::ContributorsNamed(count);
    log_section(&mut write, organizer.actor(), at, change, now).await?;
    write.commit().await?;
    Ok(())
}

/// Leaves an event out of the generated section of the call on `date` (`hidden`), or lists it
/// again.
pub async fn set_entry_hidden(
    ctx: &Services,
    organizer: &SignedIn,
    series_id: i64,
    date: NaiveDate,
    entry_event_id: i64,
    hidden: bool,
    now: DateTime<Utc>,
) -> Result<(), AgendaError> {
    let series = call_series(ctx, series_id).await?;
    occurrence_of(ctx, &series, date)
        .await?
        .ok_or(AgendaError::UnknownCall)?;
    let entry = ctx
        .store
        .event_by_id(entry_event_id)
        .await?
        .ok_or(AgendaError::UnknownItem)?;
    let mut write = ctx.store.write_event(series.id).await?;
    write.set_call_entry_hidden(date, entry.id, hidden).await?;
    let line = EventChange::AgendaEntry {
        date,
        entry_event_id: entry.id,
        title: entry.title.clone(),
        hidden,
    };
    write
        .log_event(organizer.actor(), AuditAction::AgendaEntry, &line, now)
        .await?;
    write.commit().await?;
    Ok(())
}

/// What importing a deck did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportOutcome {
    /// Sections the series did not have, added at the end.
    pub sections_added: usize,
    pub items: usize,
}

/// Reads a seed-format deck into the agenda of the call on `date`: each section of the deck
/// goes to the series' section of that title (added as a free section, or the generated one,
/// when missing); what the call had in those sections is replaced, so importing twice gives
/// the same agenda.
pub async fn import_deck(
    ctx: &Services,
    actor: Actor,
    series_id: i64,
    date: NaiveDate,
    markdown: &str,
    now: DateTime<Utc>,
) -> Result<ImportOutcome, AgendaError> {
    let series = call_series(ctx, series_id).await?;
    occurrence_of(ctx, &series, date)
        .await?
        .ok_or(AgendaError::UnknownCall)?;
    let deck = deck::parse(markdown);
    let mut write = ctx.store.write_event(series.id).await?;
    let mut sections = write.call_sections().await?;
    let mut outcome = ImportOutcome {
        sections_added: 0,
        items: 0,
    };
    for part in &deck.sections {
        let same_title = |s: &&Section| s.title.eq_ignore_ascii_case(&part.title);
        let found = if part.generated {
            sections
                .iter()
                .find(|s| s.kind == SectionKind::Upcoming)
                .cloned()
        } else {
            sections
                .iter()
                .filter(|s| s.kind.takes_items())
                .find(same_title)
                .cloned()
        };
        let section = match found {
            Some(section) => section,
            None => {
                let (kind, new) = if part.generated {
                    let title = part.title.clone();
                    (SectionKind::Upcoming, NewSection::Upcoming { title })
                } else {
                    let title = part.title.clone();
                    (SectionKind::Free, NewSection::Free { title })
                };
                check_new_section(&sections, &new)?;
                let title: String = part.title.chars().take(domain::call::TITLE_MAX).collect();
                write.insert_call_section(kind, &title, None, now).await?;
                outcome.sections_added += 1;
                sections = write.call_sections().await?;
                sections
                    .iter()
                    .find(|s| s.title == title && s.kind == kind)
                    .cloned()
                    .ok_or(AgendaError::Internal)?
            }
        };
        if !section.kind.takes_items() {
            continue;
        }
        for old in write.call_items_in(section.id, date).await? {
            write.delete_call_item(old.id).await?;
        }
        for body in part.items.iter().take(ITEMS_MAX) {
            let body = validate_item(body).map_err(AgendaError::Invalid)?;
            write.insert_call_item(section.id, date, &body, now).await?;
            outcome.items += 1;
        }
    }
    let line = EventChange::Occurrence {
        date,
        change: domain::audit::OccurrenceChange::Notes,
    };
    write
        .log_event(actor, AuditAction::Occurrence, &line, now)
        .await?;
    write.commit().await?;
    Ok(outcome)
}

/// How long before a call teams with an empty section are reminded (the default of the
/// setting `CONVENE_AGENDA_REMINDER_HOURS`).
pub const REMINDER_LEAD: Duration = Duration::hours(24);

/// Reminds the named contributors of every team section still empty for a call that starts
/// within `lead` of `now`, once per section and call; returns how many mails were queued.
pub async fn remind_empty_sections(
    ctx: &Services,
    now: DateTime<Utc>,
    lead: Duration,
) -> Result<usize, StoreError> {
    let mut mailed = 0;
    for series_id in ctx.store.series_with_agenda().await? {
        let Some(series) = ctx.store.event_by_id(series_id).await? else {
            continue;
        };
        if !series.published || series.is_cancelled() {
            continue;
        }
        let overrides = ctx.store.occurrence_overrides_of(series.id).await?;
        let coming = series
            .occurrences(&overrides, now, now + lead)
            .into_iter()
            .filter(|o| o.starts_at > now && o.status != domain::OccurrenceStatus::Cancelled);
        for occurrence in coming {
            mailed += remind_for_call(ctx, &series, &occurrence, now).await?;
        }
    }
    Ok(mailed)
}

async fn remind_for_call(
    ctx: &Services,
    series: &Event,
    occurrence: &Occurrence,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let date = occurrence.original_date;
    let contributors = ctx.store.call_contributors(series.id).await?;
    let mut write = ctx.store.write_event(series.id).await?;
    let mut mailed = 0;
    for section in write.call_sections().await? {
        let named: Vec<&SectionContributor> = contributors
            .iter()
            .filter(|c| c.section_id == section.id)
            .collect();
        if section.kind != SectionKind::Team || named.is_empty() {
            continue;
        }
        if !write.call_items_in(section.id, date).await?.is_empty() {
            continue;
        }
        if !write.mark_call_reminded(section.id, date, now).await? {
            continue;
        }
        let mails: Vec<store::OutgoingMail> = named
            .iter()
            .map(|c| reminder_mail(ctx, series, occurrence, &section, &c.email, now))
            .collect();
        write.enqueue_mails(&mails, now).await?;
        let line = EventChange::AgendaReminder {
            section: section.title.clone(),
            date,
            mailed: u32::try_from(mails.len()).unwrap_or(u32::MAX),
        };
        write
            .log_event(Actor::System, AuditAction::AgendaReminder, &line, now)
            .await?;
        mailed += mails.len();
    }
    write.commit().await?;
    Ok(mailed)
}

/// The kind of the mail that reminds a team of its empty section.
pub const REMINDER_MAIL: &str = "agenda_reminder";

fn reminder_mail(
    ctx: &Services,
    series: &Event,
    occurrence: &Occurrence,
    section: &Section,
    email: &str,
    now: DateTime<Utc>,
) -> store::OutgoingMail {
    // Organizer accounts keep no language: the site's first one.
    let lang = Lang::En;
    let to = Recipient {
        registration_id: 0,
        name: email,
        email,
        token: None,
        lang,
        status: domain::RegistrationStatus::Confirmed,
        ticket: None,
    };
    let day = domain::time::format_day(occurrence.original_date, lang);
    let texts = ctx.mail_texts.as_ref();
    let team = section.title.as_str();
    let title = series.title.as_str();
    let subject = texts.text(lang, MailText::AgendaReminderSubject { team, date: &day });
    let lead = texts.text(
        lang,
        MailText::AgendaReminderLead {
            team,
            title,
            date: &day,
        },
    );
    let url = format!(
        "{}{}",
        ctx.base_url,
        domain::paths::admin_call_href(series.slug.as_str(), occurrence.original_date)
    );
    let action = (texts.text(lang, MailText::AgendaReminderAction), url);
    let on_that_date = Event {
        starts_at: occurrence.starts_at,
        ends_at: occurrence.ends_at,
        ..series.clone()
    };
    let mut mail = ctx.composer().notice(
        REMINDER_MAIL,
        &on_that_date,
        &to,
        (subject, lead, Some(action)),
        now,
    );
    mail.registration_id = None;
    mail
}
