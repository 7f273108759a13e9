//! What the admin pages show: view models built from the store for a signed-in organizer.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::audit::{Access, EventChange};
use domain::time::{format_instant, format_span};
use domain::{Event, EventSlug, Lang, RegistrationStatus};
use store::{Registration, StoreResult};

use crate::model::{
    AccessLine, AccountLine, AdminEventItem, AdminEventView, AdminNotice, AdminPerson,
    AdminPersonView, AdminSeats, AdminTopic, AdminTopicsView, AuditDetail, AuditLine, AuditView,
    CheckInView, DoorFilter, DoorPerson, ErasureView, EventFormView, MAIL_STATUSES, MailEntry,
    MailGroup, MailLine, MailLogFilter, MailLogView, OrganizerLine, OrganizersView, ScanAnswer,
    ScanShown, ScanView, Submission, WebhookLine, WebhooksView,
};
use service::Services;
use service::admin::AdminError;

/// Every event, published or not, with seats where it takes registrations.
/// Every event for organizers: what is coming up (single events that have not ended, series
/// with dates ahead) soonest first, then the rest, most recent first.
pub async fn event_list(
    ctx: &Services,
    lang: Lang,
    now: DateTime<Utc>,
) -> StoreResult<Vec<AdminEventItem>> {
    let mut items = Vec::new();
    for event in ctx.store.all_events().await? {
        let seats = match &event.registration {
            Some(_) => Some(seats(&event, &ctx.store.registrations_of(event.id).await?)),
            None => None,
        };
        let next_start = match &event.recurrence {
            Some(_) => event
                .occurrences(&[], now, now + chrono::Duration::days(400))
                .first()
                .map(|o| o.starts_at),
            None => (event.ends_at > now).then_some(event.starts_at),
        };
        let when = match &event.recurrence {
            Some(recurrence) => super::views::describe_series(&event, recurrence, lang),
            None => format_span(event.starts_at, event.ends_at, event.time_zone, lang),
        };
        let item = AdminEventItem {
            slug: event.slug.to_string(),
            title: event.title.clone(),
            when,
            upcoming: next_start.is_some(),
            published: event.published,
            cancelled: event.is_cancelled(),
            seats,
        };
        items.push((next_start, event.starts_at, item));
    }
    items.sort_by(|a, b| match (a.0, b.0) {
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => b.1.cmp(&a.1),
    });
    Ok(items.into_iter().map(|(_, _, item)| item).collect())
}

fn seats(event: &Event, registrations: &[Registration]) -> AdminSeats {
    let count = |keep: &dyn Fn(&Registration) -> bool| {
        u32::try_from(registrations.iter().filter(|r| keep(r)).count()).unwrap_or(u32::MAX)
    };
    let capacity = event.registration.as_ref().and_then(|r| r.capacity);
    let seats_taken = count(&|r| r.status.holds_seat());
    AdminSeats {
        capacity,
        seats_taken,
        unconfirmed: count(&|r| r.status.is_held()),
        waitlisted: count(&|r| r.status == RegistrationStatus::Waitlisted),
        checked_in: count(&|r| r.status.holds_seat() && r.checked_in_at.is_some()),
        over_capacity: domain::registration::over_capacity(capacity, seats_taken),
    }
}

/// How many of a series' next dates its admin page lists, and how far ahead it looks.
const DATES_ON_ADMIN_PAGE: usize = 12;
const DATES_HORIZON: chrono::Duration = chrono::Duration::days(190);

/// The event with registration at `slug` (people, check-in); `None` for any other.
async fn event_of(ctx: &Services, slug: &EventSlug) -> StoreResult<Option<Event>> {
    Ok(ctx
        .store
        .event_by_slug(slug)
        .await?
        .filter(|e| e.registration.is_some()))
}

/// People in arrival order, with waitlist places counted among those waiting.
fn people(event: &Event, registrations: &[Registration], lang: Lang) -> Vec<AdminPerson> {
    let mut waiting: Vec<&Registration> = registrations
        .iter()
        .filter(|r| r.status == RegistrationStatus::Waitlisted)
        .collect();
    waiting.sort_by_key(|r| (r.waitlist_seq, r.id));
    registrations
        .iter()
        .map(|r| AdminPerson {
            id: r.id,
            name: r.name.clone(),
            email: if r.erased_at.is_some() {
                String::new()
            } else {
                r.email.clone()
            },
            organisation: r.organisation.clone(),
            status: r.status,
            waitlist_position: waiting
                .iter()
                .position(|w| w.id == r.id)
                .and_then(|p| u32::try_from(p + 1).ok()),
            checked_in: r.checked_in_at.is_some(),
            registered: format_instant(r.created_at, event.time_zone, lang),
            erased: r.erased_at.is_some(),
            held_until: r
                .hold_expires_at
                .filter(|_| r.status.is_held())
                .map(|at| format_instant(at, event.time_zone, lang)),
        })
        .collect()
}

/// Whether `person` matches a search in their name, e-mail address or organisation.
fn matches<'a>(query: &str, texts: impl IntoIterator<Item = Option<&'a String>>) -> bool {
    let query = query.trim().to_lowercase();
    query.is_empty()
        || texts
            .into_iter()
            .flatten()
            .any(|text| text.to_lowercase().contains(&query))
}

/// The organizers who can sign in, the signed-in one marked.
pub async fn organizers_page(
    ctx: &Services,
    me: &service::admin::SignedIn,
    lang: Lang,
) -> StoreResult<OrganizersView> {
    let organizers = ctx
        .store
        .organizers()
        .await?
        .into_iter()
        .filter(|o| o.removed_at.is_none())
        .map(|o| OrganizerLine {
            id: o.id,
            role: o.role,
            since: domain::time::format_day(o.created_at.date_naive(), lang),
            you: o.id == me.id,
            email: o.email,
        })
        .collect();
    Ok(OrganizersView {
        organizers,
        notice: None,
        submission: None,
    })
}

/// Deliveries shown per endpoint on the webhooks page.
const DELIVERIES_SHOWN: u32 = 20;

/// The webhook endpoints, each with its recent deliveries.
pub async fn webhooks_page(ctx: &Services, lang: Lang) -> StoreResult<WebhooksView> {
    let mut endpoints = Vec::new();
    for endpoint in service::webhooks::endpoints(ctx).await? {
        let deliveries = ctx
            .store
            .webhook_deliveries(endpoint.id, DELIVERIES_SHOWN)
            .await?
            .into_iter()
            .map(|d| delivery_line(d, None, lang))
            .collect();
        endpoints.push(WebhookLine {
            id: endpoint.id,
            url: endpoint.url,
            description: endpoint.description,
            kinds: endpoint
                .kinds
                .iter()
                .map(|kind| kind.as_str().to_owned())
                .collect(),
            secret: endpoint.secret,
            personal_data: endpoint.personal_data,
            paused_since: endpoint
                .paused_at
                .map(|at| format_instant(at, chrono_tz::UTC, lang)),
            waiting: endpoint.waiting,
            deliveries,
        });
    }
    let matrix_rooms = ctx
        .matrix
        .as_ref()
        .map(|settings| {
            let rooms = &settings.rooms;
            let mut listed: Vec<String> = [
                &rooms.all,
                &rooms.events,
                &rooms.registration,
                &rooms.topics,
            ]
            .into_iter()
            .flatten()
            .cloned()
            .collect();
            listed.dedup();
            listed
        })
        .unwrap_or_default();
    let matrix_deliveries = ctx
        .store
        .matrix_deliveries(DELIVERIES_SHOWN)
        .await?
        .into_iter()
        .map(|(room, d)| delivery_line(d, Some(room), lang))
        .collect();
    Ok(WebhooksView {
        endpoints,
        matrix_rooms,
        matrix_deliveries,
        notice: None,
        submission: None,
    })
}

fn delivery_line(
    d: store::DeliveryLogEntry,
    room: Option<String>,
    lang: Lang,
) -> crate::model::DeliveryLine {
    crate::model::DeliveryLine {
        id: d.id,
        room,
        kind: d.kind,
        status: d.status,
        attempts: d.attempts,
        response_status: d.response_status,
        last_error: d.last_error,
        created: format_instant(d.created_at, chrono_tz::UTC, lang),
    }
}

/// The admins' audit page: sign-ins and account changes, and who looked at personal data.
pub async fn audit_page(ctx: &Services, lang: Lang) -> StoreResult<AuditView> {
    let names = organizer_names(ctx).await?;
    let name_of = |actor: &str| {
        names
            .get(actor)
            .cloned()
            .unwrap_or_else(|| actor.to_owned())
    };
    let mut accounts = Vec::new();
    for entry in ctx.store.account_log(AUDIT_LINES).await? {
        let change = entry.change()?;
        accounts.push(AccountLine {
            at: format_instant(entry.at, chrono_tz::UTC, lang),
            who: name_of(&entry.actor),
            whose: name_of(&format!("organizer:{}", change.organizer())),
            change,
        });
    }
    let mut titles: HashMap<i64, Option<String>> = HashMap::new();
    let mut access = Vec::new();
    for entry in ctx.store.access_log(AUDIT_LINES).await? {
        let what = entry.access()?;
        let event_id = match &what {
            Access::RegistrationsCsv { event_id, .. } | Access::PersonPage { event_id, .. } => {
                Some(*event_id)
            }
            Access::MailLog => None,
        };
        let event_title = match event_id {
            Some(id) => match titles.get(&id) {
                Some(title) => title.clone(),
                None => {
                    let title = ctx.store.event_by_id(id).await?.map(|e| e.title);
                    titles.insert(id, title.clone());
                    title
                }
            },
            None => None,
        };
        access.push(AccessLine {
            at: format_instant(entry.at, chrono_tz::UTC, lang),
            who: name_of(&entry.actor),
            access: what,
            event_title,
        });
    }
    Ok(AuditView { accounts, access })
}

/// How many lines of each log the audit page shows.
const AUDIT_LINES: u32 = 100;

/// Names of organizers by id, to say who did what.
async fn organizer_names(ctx: &Services) -> StoreResult<HashMap<String, String>> {
    Ok(ctx
        .store
        .organizers()
        .await?
        .into_iter()
        .map(|o| (format!("organizer:{}", o.id), o.email))
        .collect())
}

pub async fn event_page(
    ctx: &Services,
    slug: &EventSlug,
    query: &str,
    lang: Lang,
    now: DateTime<Utc>,
) -> StoreResult<Option<AdminEventView>> {
    // Every event has this page; the parts about registration show only where it is offered.
    let Some(event) = ctx.store.event_by_slug(slug).await? else {
        return Ok(None);
    };
    let registrations = ctx.store.registrations_of(event.id).await?;
    let all: Vec<AdminPerson> = people(&event, &registrations, lang)
        .into_iter()
        .filter(|p| {
            matches(
                query,
                [Some(&p.name), Some(&p.email), p.organisation.as_ref()],
            )
        })
        .collect();
    let mut waiting: Vec<AdminPerson> = all
        .iter()
        .filter(|p| p.status == RegistrationStatus::Waitlisted)
        .cloned()
        .collect();
    waiting.sort_by_key(|p| p.waitlist_position);
    let names = organizer_names(ctx).await?;
    let log = ctx
        .store
        .event_log(event.id)
        .await?
        .into_iter()
        .map(|entry| {
            let change = entry.change()?;
            let person = match &change {
                Some(EventChange::SeatAdded {
                    registration_id, ..
                }) => registrations
                    .iter()
                    .find(|r| r.id == *registration_id)
                    .map(|r| r.name.clone()),
                _ => None,
            };
            let detail = match change {
                Some(change) => AuditDetail::Event(change),
                None => AuditDetail::Text(format!(
                    "{} → {}",
                    entry.before.as_deref().unwrap_or_default(),
                    entry.after.as_deref().unwrap_or_default()
                )),
            };
            Ok(AuditLine {
                at: format_instant(entry.at, event.time_zone, lang),
                actor: names.get(&entry.actor).cloned().unwrap_or(entry.actor),
                action: entry.action,
                detail,
                time_zone: event.time_zone,
                person,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    let overrides = ctx.store.occurrence_overrides_of(event.id).await?;
    let dates = match event.is_series() {
        true => {
            let with_agenda = ctx.store.call_dates_with_items(event.id).await?;
            event
                .occurrences(&overrides, now, now + DATES_HORIZON)
                .iter()
                .take(DATES_ON_ADMIN_PAGE)
                .map(|o| super::views::occurrence_link(&event, o, &with_agenda, lang))
                .collect()
        }
        false => Vec::new(),
    };
    let erasure = match event.registration {
        Some(_) => service::privacy::erasure_date(ctx, &event).await?,
        None => None,
    };
    Ok(Some(AdminEventView {
        slug: event.slug.to_string(),
        title: event.title.clone(),
        published: event.published,
        registration: event.registration.is_some(),
        series: event.is_series(),
        dates,
        // A series by its rule (its first date is long past), anything else by its dates.
        when: match &event.recurrence {
            Some(recurrence) => super::views::describe_series(&event, recurrence, lang),
            None => format_span(event.starts_at, event.ends_at, event.time_zone, lang),
        },
        seats: seats(&event, &registrations),
        registration_open: event.registration_window(now) == Some(domain::Window::Open),
        cancelled: event
            .cancelled_at
            .map(|at| format_instant(at, event.time_zone, lang)),
        query: query.to_owned(),
        seated: all
            .iter()
            .filter(|p| p.status.holds_seat())
            .cloned()
            .collect(),
        offers: all
            .iter()
            .filter(|p| p.status == RegistrationStatus::Offered)
            .cloned()
            .collect(),
        waiting,
        ended: all
            .iter()
            .filter(|p| !p.status.is_active())
            .cloned()
            .collect(),
        answers: domain::answers::answer_totals(
            &event.questions,
            registrations.iter().map(|r| (&r.answers, r.status)),
            lang,
        ),
        curve: domain::curve::registration_curve(
            &ctx.store.status_changes(event.id).await?,
            event.time_zone,
            now,
        ),
        log,
        erasure: erasure.map(|(at, done)| ErasureView {
            at: format_instant(at, event.time_zone, lang),
            done,
            days: ctx.retention.num_days(),
            can_erase_now: !done && event.ends_at <= now,
        }),
        topics: event.topics.is_some(),
        agenda: event.kind == domain::EventKind::CommunityCall && event.is_series(),
        notice: None,
        submission: None,
        broadcast: None,
    }))
}

pub async fn person_page(
    ctx: &Services,
    slug: &EventSlug,
    id: i64,
    lang: Lang,
) -> StoreResult<Option<AdminPersonView>> {
    let Some(event) = event_of(ctx, slug).await? else {
        return Ok(None);
    };
    let registrations = ctx.store.registrations_of(event.id).await?;
    let Some(registration) = registrations.iter().find(|r| r.id == id) else {
        return Ok(None);
    };
    let Some(person) = people(&event, &registrations, lang)
        .into_iter()
        .find(|p| p.id == id)
    else {
        return Ok(None);
    };
    let names = organizer_names(ctx).await?;
    let history = ctx
        .store
        .registration_log(id)
        .await?
        .into_iter()
        .map(|entry| {
            let status = |word: &Option<String>| word.as_deref().and_then(|w| w.parse().ok());
            let detail = match (entry.note()?, entry.note) {
                // A line written before the log was typed keeps its English note.
                (None, Some(text)) => AuditDetail::Text(
                    [
                        entry
                            .from_status
                            .zip(entry.to_status)
                            .map(|(from, to)| format!("{from} → {to}")),
                        Some(text),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" · "),
                ),
                (note, _) => AuditDetail::Registration {
                    from: status(&entry.from_status),
                    to: status(&entry.to_status),
                    note,
                },
            };
            Ok(AuditLine {
                at: format_instant(entry.at, event.time_zone, lang),
                actor: names.get(&entry.actor).cloned().unwrap_or(entry.actor),
                action: entry.action,
                detail,
                time_zone: event.time_zone,
                person: None,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(Some(AdminPersonView {
        event_id: event.id,
        event_slug: event.slug.to_string(),
        event_title: event.title.clone(),
        can_promote: person.status == RegistrationStatus::Waitlisted,
        person,
        answers: domain::questions::shown_answers(&event.questions, &registration.answers, lang),
        notes: registration.notes.clone(),
        history,
        notice: None,
        submission: None,
    }))
}

/// The door list of the event at `slug`: the seated people that `query` (name, address or
/// organisation) and `show` let through, and the one `notice` is about.
pub async fn check_in_page(
    ctx: &Services,
    (slug, back): (&EventSlug, String),
    (query, show): (&str, DoorFilter),
    notice: Option<AdminNotice>,
    lang: Lang,
) -> StoreResult<Option<CheckInView>> {
    let Some(event) = event_of(ctx, slug).await? else {
        return Ok(None);
    };
    let registrations = ctx.store.registrations_of(event.id).await?;
    let counts = seats(&event, &registrations);
    let mut seated: Vec<DoorPerson> = people(&event, &registrations, lang)
        .into_iter()
        .filter(|p| p.status.holds_seat())
        .map(|p| DoorPerson {
            id: p.id,
            name: p.name,
            organisation: p.organisation,
            checked_in: p.checked_in,
            erased: p.erased,
        })
        .collect();
    seated.sort_by(|a, b| domain::sort::natural_cmp(&a.name, &b.name));
    let noticed = match notice {
        Some(AdminNotice::CheckedIn { person } | AdminNotice::CheckInUndone { person }) => {
            seated.iter().find(|p| p.id == i64::from(person)).cloned()
        }
        _ => None,
    };
    Ok(Some(CheckInView {
        slug: event.slug.to_string(),
        title: event.title.clone(),
        arrived: counts.checked_in,
        expected: counts.seats_taken,
        query: query.to_owned(),
        show,
        people: seated
            .into_iter()
            .filter(|p| {
                show.lets_through(p.checked_in)
                    && matches(query, [Some(&p.name), p.organisation.as_ref()])
            })
            .collect(),
        noticed,
        notice,
        back,
    }))
}

/// The scan page of an event: the counts, and what the ticket `code` (if any) says. After a
/// scan that checked its holder in (`checked_in_now`), the ticket reads as checked in now.
pub async fn scan_page(
    ctx: &Services,
    (slug, back): (&EventSlug, String),
    code: Option<&str>,
    checked_in_now: bool,
) -> Result<Option<ScanView>, AdminError> {
    let Some(event) = event_of(ctx, slug).await? else {
        return Ok(None);
    };
    let counts = seats(&event, &ctx.store.registrations_of(event.id).await?);
    let scanned = match code {
        Some(code) => service::tickets::look_up(ctx, slug, code).await?,
        None => None,
    };
    let scanned = scanned.map(|scanned| {
        use domain::tickets::ScanResult;
        let result = match scanned.result {
            ScanResult::AlreadyCheckedIn(_) if checked_in_now => ScanShown::CheckedIn,
            ScanResult::AlreadyCheckedIn(at) => {
                ScanShown::AlreadyCheckedIn(domain::time::format_clock(at, event.time_zone))
            }
            // Looked up, not scanned: nobody was checked in yet.
            ScanResult::CheckedIn => ScanShown::Seated,
            ScanResult::Waiting => ScanShown::Waiting,
            ScanResult::NoLongerRegistered => ScanShown::NoLongerRegistered,
            ScanResult::OtherEvent => ScanShown::OtherEvent,
            ScanResult::Unknown => ScanShown::Unknown,
        };
        ScanAnswer {
            code: scanned.code.grouped(),
            holder: scanned.holder.map(|h| DoorPerson {
                id: h.registration_id,
                checked_in: result.lets_in() && result != ScanShown::Seated,
                name: h.name,
                organisation: h.organisation,
                erased: h.erased,
            }),
            result,
        }
    });
    Ok(Some(ScanView {
        slug: event.slug.to_string(),
        title: event.title.clone(),
        arrived: counts.checked_in,
        expected: counts.seats_taken,
        scanned,
        back,
        submission: None,
    }))
}

/// The words of the mail log's address (`?event=&kind=&status=`), as they came.
#[derive(Debug, Clone, Default)]
pub struct MailLogQuery {
    pub event: Option<String>,
    pub kind: Option<String>,
    pub status: Option<String>,
}

/// The mail log (times in UTC: mails are not tied to one event's zone), filtered by `query`;
/// a value that names no event, kind or status shows nothing rather than everything.
pub async fn mail_log_page(ctx: &Services, query: &MailLogQuery) -> StoreResult<MailLogView> {
    let chosen = |value: &Option<String>| value.clone().filter(|v| !v.is_empty());
    let events: Vec<Event> = ctx.store.all_events().await?;
    let event = chosen(&query.event);
    let filter = store::MailFilter {
        // An unknown address: an id no event has.
        event_id: event.as_ref().map(|slug| {
            events
                .iter()
                .find(|e| e.slug.as_str() == slug)
                .map_or(-1, |e| e.id)
        }),
        kind: chosen(&query.kind),
        status: chosen(&query.status),
    };
    // Only a kind the outbox holds and a status mails have can match: anything else (typed
    // into the address) matches nothing, and never reaches the database.
    let kinds = ctx.store.mail_kinds().await?;
    let known_kind = filter.kind.as_ref().is_none_or(|k| kinds.contains(k));
    let known_status = filter
        .status
        .as_deref()
        .is_none_or(|s| MAIL_STATUSES.contains(&s));
    let mails = match known_kind && known_status {
        true => ctx.store.filtered_mail_log(&filter, 500).await?,
        false => Vec::new(),
    };
    Ok(MailLogView {
        entries: group_broadcasts(mails),
        filter: MailLogFilter {
            event: event.unwrap_or_default(),
            kind: filter.kind.unwrap_or_default(),
            status: filter.status.unwrap_or_default(),
            events: events
                .iter()
                .map(|e| (e.slug.to_string(), e.title.clone()))
                .collect(),
            kinds,
        },
        notice: None,
    })
}

fn mail_line(m: store::MailLogEntry) -> MailLine {
    MailLine {
        retryable: m.status == "failed",
        id: m.id,
        kind: m.kind,
        recipient: m.recipient,
        subject: m.subject,
        status: m.status,
        attempts: m.attempts,
        last_error: m.last_error,
        created: m.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
    }
}

/// The mail log's lines with each organizer's message (the mails of kind `broadcast` queued in
/// one transaction: one subject, one instant) folded into one entry.
fn group_broadcasts(mails: Vec<store::MailLogEntry>) -> Vec<MailEntry> {
    let mut entries: Vec<MailEntry> = Vec::new();
    let mut last_message: Option<(String, DateTime<Utc>)> = None;
    for mail in mails {
        if mail.kind != "broadcast" {
            last_message = None;
            entries.push(MailEntry::Mail(mail_line(mail)));
            continue;
        }
        let message = (mail.subject.clone(), mail.created_at);
        let line = mail_line(mail);
        match entries.last_mut() {
            Some(MailEntry::Broadcast(group)) if last_message.as_ref() == Some(&message) => {
                group.mails.push(line);
            }
            _ => {
                entries.push(MailEntry::Broadcast(MailGroup {
                    subject: line.subject.clone(),
                    created: line.created.clone(),
                    statuses: Vec::new(),
                    mails: vec![line],
                }));
                last_message = Some(message);
            }
        }
    }
    for entry in &mut entries {
        if let MailEntry::Broadcast(group) = entry {
            group.statuses = MAIL_STATUSES
                .iter()
                .map(|status| {
                    let count = group.mails.iter().filter(|m| m.status == *status).count();
                    (
                        (*status).to_owned(),
                        u32::try_from(count).unwrap_or(u32::MAX),
                    )
                })
                .filter(|(_, count)| *count > 0)
                .collect();
        }
    }
    entries
}

/// What a page says about a refused action, and the form's problems.
pub fn failure(
    error: &AdminError,
    values: std::collections::BTreeMap<String, String>,
) -> (AdminNotice, Submission) {
    (
        AdminNotice::Failed(error.clone()),
        Submission {
            values,
            errors: error.field_errors(),
            failure: None,
        },
    )
}

/// The topics of an event for moderation; `None` when it collects none.
pub async fn topics_page(ctx: &Services, slug: &EventSlug) -> StoreResult<Option<AdminTopicsView>> {
    let Some(event) = ctx
        .store
        .event_by_slug(slug)
        .await?
        .filter(|e| e.topics.is_some())
    else {
        return Ok(None);
    };
    let mut topics = ctx.store.topics_of(event.id).await?;
    topics.sort_by(|a, b| {
        domain::topics::board_order(
            &service::topics::board_key(a),
            &service::topics::board_key(b),
        )
    });
    Ok(Some(AdminTopicsView {
        slug: event.slug.to_string(),
        title: event.title.clone(),
        topics: topics
            .into_iter()
            .map(|t| AdminTopic {
                id: t.id,
                status: t.status,
                title: t.title,
                shown_as: t.shown_as,
                votes: t.votes,
                merged_into: t.merged_into,
                hidden_reason: t.hidden_reason,
                agenda_position: t.agenda_position,
            })
            .collect(),
        notice: None,
        submission: None,
    }))
}

/// What a page says about a refused moderation.
pub fn topic_failure(
    error: &domain::TopicError,
    values: std::collections::BTreeMap<String, String>,
) -> (AdminNotice, Submission) {
    (
        AdminNotice::TopicFailed(error.clone()),
        super::topic_views::topic_submission(error, values),
    )
}

/// The event form, filled from the event at `slug` (or empty for a new one); `None` when there
/// is no such event.
pub async fn event_form_page(
    ctx: &Services,
    slug: Option<&EventSlug>,
    lang: Lang,
) -> StoreResult<Option<EventFormView>> {
    let Some(slug) = slug else {
        let values = [
            ("kind", "hackathon"),
            ("time_zone", domain::event::COMMUNITY_TIME_ZONE),
            ("repeat", domain::event_form::REPEAT_ONCE),
            ("repeat_every", "1"),
            ("registration", "on"),
            ("waitlist", "on"),
            // New events offer a freed seat for a day, as pretix does.
            ("offers", "on"),
            ("offer_hours", "24"),
            ("confirmation_hours", "48"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .chain(domain::questions::editor_values(&[]))
        .collect();
        return Ok(Some(EventFormView {
            original_slug: None,
            values,
            capacity_here: true,
            has_registrations: false,
            published: false,
            active_registrations: 0,
            cancelled: None,
            notice: None,
            submission: None,
        }));
    };
    let Some(event) = ctx.store.event_by_slug(slug).await? else {
        return Ok(None);
    };
    let local = |at: chrono::DateTime<Utc>| {
        at.with_timezone(&event.time_zone)
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    };
    let on = |yes: bool| if yes { "on" } else { "" }.to_owned();
    let registration = event.registration.clone();
    let mut values: std::collections::BTreeMap<String, String> = [
        ("slug", event.slug.to_string()),
        ("title", event.title.clone()),
        ("kind", event.kind.as_str().to_owned()),
        ("summary", event.summary.clone()),
        ("description", event.description_md.clone()),
        ("time_zone", event.time_zone.name().to_owned()),
        ("starts_at", local(event.starts_at)),
        ("ends_at", local(event.ends_at)),
        ("venue", event.venue.clone().unwrap_or_default()),
        ("online_url", event.online_url.clone().unwrap_or_default()),
        ("online_access", event.online_access.as_str().to_owned()),
        ("host", event.host.clone().unwrap_or_default()),
        (
            "external_url",
            event.external_url.clone().unwrap_or_default(),
        ),
        (
            "recurrence",
            event
                .recurrence
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        ),
        ("published", on(event.published)),
        ("registration", on(registration.is_some())),
        ("topics", on(event.topics.is_some())),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let first_day = event.starts_at.with_timezone(&event.time_zone).date_naive();
    let (repeat, every, until) =
        domain::event_form::repeat_choice(event.recurrence.as_ref(), first_day);
    values.insert("repeat".to_owned(), repeat.to_owned());
    values.insert("repeat_every".to_owned(), every.to_string());
    values.insert(
        "repeat_until".to_owned(),
        until.map(|d| d.to_string()).unwrap_or_default(),
    );
    if let Some(settings) = &registration {
        values.insert("waitlist".to_owned(), on(settings.waitlist));
        values.insert("offers".to_owned(), on(settings.offer_window.is_some()));
        values.insert(
            "offer_hours".to_owned(),
            settings
                .offer_window
                .map_or(domain::event_form::DEFAULT_OFFER_HOURS, |w| w.num_hours())
                .to_string(),
        );
        for (name, at) in [
            ("registration_opens_at", settings.opens_at),
            ("registration_closes_at", settings.closes_at),
            ("last_promotion_at", settings.last_promotion_at),
        ] {
            values.insert(name.to_owned(), at.map(local).unwrap_or_default());
        }
        values.insert(
            "confirmation_hours".to_owned(),
            settings.confirmation_window.num_hours().to_string(),
        );
        values.insert(
            "capacity".to_owned(),
            settings.capacity.map(|c| c.to_string()).unwrap_or_default(),
        );
    }
    values.extend(domain::questions::editor_values(&event.questions));
    let registrations = ctx.store.registrations_of(event.id).await?;
    let active = registrations
        .iter()
        .filter(|r| r.status.is_active())
        .count();
    Ok(Some(EventFormView {
        original_slug: Some(event.slug.to_string()),
        values,
        capacity_here: registration.is_none(),
        has_registrations: !registrations.is_empty(),
        published: event.published,
        active_registrations: u32::try_from(active).unwrap_or(u32::MAX),
        cancelled: event
            .cancelled_at
            .map(|at| format_instant(at, event.time_zone, lang)),
        notice: None,
        submission: None,
    }))
}

#[cfg(test)]
mod tests {
    use chrono::Duration;
    use domain::{Lang, RegistrationSettings};
    use service::testing::*;

    use super::*;

    fn mail(id: i64, kind: &str, subject: &str, minutes: i64, status: &str) -> store::MailLogEntry {
        store::MailLogEntry {
            id,
            kind: kind.to_owned(),
            recipient: format!("person{id}@example.org"),
            subject: subject.to_owned(),
            status: status.to_owned(),
            attempts: 1,
            last_error: None,
            created_at: now() + Duration::minutes(minutes),
            sent_at: None,
            event_id: Some(1),
        }
    }

    #[test]
    fn a_message_to_many_is_one_entry_of_the_mail_log() {
        let entries = group_broadcasts(vec![
            mail(9, "broadcast", "Room change", 60, "pending"),
            mail(8, "broadcast", "Room change", 0, "sent"),
            mail(7, "broadcast", "Room change", 0, "failed"),
            mail(6, "broadcast", "Room change", 0, "sent"),
            mail(5, "confirm_email", "Confirm", 0, "sent"),
            mail(4, "broadcast", "Parking", 0, "sent"),
            mail(3, "broadcast", "Room change", 0, "sent"),
        ]);
        let shape: Vec<(String, Vec<i64>)> = entries
            .iter()
            .map(|entry| match entry {
                MailEntry::Mail(mail) => (mail.kind.clone(), vec![mail.id]),
                MailEntry::Broadcast(group) => (
                    group.subject.clone(),
                    group.mails.iter().map(|m| m.id).collect(),
                ),
            })
            .collect();
        let entry = |name: &str, ids: &[i64]| (name.to_owned(), ids.to_vec());
        assert_eq!(
            shape,
            [
                entry("Room change", &[9]),
                entry("Room change", &[8, 7, 6]),
                entry("confirm_email", &[5]),
                entry("Parking", &[4]),
                entry("Room change", &[3]),
            ],
            "a message is the mails queued at one instant with one subject"
        );
        let MailEntry::Broadcast(group) = &entries[1] else {
            panic!("a group");
        };
        assert_eq!(
            group.statuses,
            [("sent".to_owned(), 2), ("failed".to_owned(), 1)]
        );
        assert!(group.mails[1].retryable, "a failed one can be sent again");
    }

    #[tokio::test]
    async fn the_event_list_puts_what_is_coming_first_by_the_clock_given() {
        for (ctx, _db) in
            contexts("the_event_list_puts_what_is_coming_first_by_the_clock_given").await
        {
            add_event_with(&ctx, "later", |event| {
                event.starts_at = now() + Duration::days(40);
                event.ends_at = event.starts_at + Duration::hours(3);
            })
            .await;
            add_event(&ctx, "sooner", settings(2, true)).await;
            add_event_with(&ctx, "long-ago", |event| {
                event.starts_at = now() - Duration::days(300);
                event.ends_at = event.starts_at + Duration::hours(3);
            })
            .await;
            add_event_with(&ctx, "recently", |event| {
                event.starts_at = now() - Duration::days(3);
                event.ends_at = event.starts_at + Duration::hours(3);
                event.published = false;
            })
            .await;
            register_people(&ctx, "sooner", 1..=3).await;

            let list = event_list(&ctx, Lang::En, now()).await.expect("list");
            let order: Vec<(&str, bool)> = list
                .iter()
                .map(|item| (item.slug.as_str(), item.upcoming))
                .collect();
            assert_eq!(
                order,
                [
                    ("sooner", true),
                    ("later", true),
                    ("recently", false),
                    ("long-ago", false),
                ]
            );
            let sooner = &list[0];
            assert_eq!(
                sooner.seats,
                Some(AdminSeats {
                    capacity: Some(2),
                    seats_taken: 2,
                    unconfirmed: 2,
                    waitlisted: 1,
                    checked_in: 0,
                    over_capacity: 0,
                })
            );
            assert!(!list[2].published);

            // Once both have ended nothing is coming up, and the most recent comes first.
            let list = event_list(&ctx, Lang::En, now() + Duration::days(90))
                .await
                .expect("list");
            assert!(list.iter().all(|item| !item.upcoming));
            assert_eq!(list[0].slug, "later");
        }
    }

    #[tokio::test]
    async fn the_event_page_says_whether_registration_is_open_at_the_clock_given() {
        for (ctx, _db) in
            contexts("the_event_page_says_whether_registration_is_open_at_the_clock_given").await
        {
            let closes_at = now() + Duration::days(1);
            add_event(
                &ctx,
                "room",
                RegistrationSettings {
                    closes_at: Some(closes_at),
                    ..settings(5, false)
                },
            )
            .await;
            register_people(&ctx, "room", 1..=2).await;
            let room = slug("room");
            let page = |at| event_page(&ctx, &room, "", Lang::En, at);
            let open = page(now()).await.expect("page").expect("event");
            assert!(open.registration_open);
            assert_eq!(open.seated.len(), 2);
            let closed = page(closes_at).await.expect("page").expect("event");
            assert!(!closed.registration_open);

            let searched = event_page(&ctx, &room, "p2@example", Lang::En, now())
                .await
                .expect("page")
                .expect("event");
            assert_eq!(searched.seated.len(), 1, "the search narrows the list");
        }
    }
}
