//! Server functions: the pages' only way to the data. Each parses its input, asks the store,
//! and hands back view models; the work happens in [`crate::ssr`].

use domain::EventSlug;
use leptos::prelude::*;

use crate::model::{
    AccountView, AdminEventView, AdminHomeView, AdminPersonView, AdminTopicsView, AgendaItem,
    AuditView, CheckInView, EventFormView, EventView, MailLogView, ManageView, Me, OccurrenceView,
    OrganizersView, RegisterView, ReplacedLinkView, ScanView, SignInView, SiteFeeds, TopicBoard,
    TopicEditView, WebhooksView,
};

/// Upcoming events and the next weeks' occurrences of every series.
#[server]
pub async fn load_upcoming() -> Result<Vec<AgendaItem>, ServerFnError> {
    crate::ssr::views::upcoming_agenda(
        &crate::ssr::context()?,
        crate::ssr::lang(),
        chrono::Utc::now(),
    )
    .await
    .map_err(crate::ssr::internal_error)
}

/// The site's feeds (every event, each kind) with their subscribe links.
#[server]
pub async fn load_site_feeds() -> Result<SiteFeeds, ServerFnError> {
    Ok(crate::ssr::views::site_feeds(
        &crate::ssr::context()?,
        crate::ssr::lang(),
    ))
}

/// Events that have happened, and past occurrences that carry notes.
#[server]
pub async fn load_past() -> Result<Vec<AgendaItem>, ServerFnError> {
    crate::ssr::views::past_agenda(
        &crate::ssr::context()?,
        crate::ssr::lang(),
        chrono::Utc::now(),
    )
    .await
    .map_err(crate::ssr::internal_error)
}

/// One published event or series; `None` when there is none under this slug.
#[server]
pub async fn load_event(slug: EventSlug) -> Result<Option<EventView>, ServerFnError> {
    crate::ssr::views::event_details(
        &crate::ssr::context()?,
        &slug,
        crate::ssr::lang(),
        chrono::Utc::now(),
    )
    .await
    .map_err(crate::ssr::internal_error)
}

/// An event's page for organizers, published or not (the preview); `None` when there is no
/// such event.
#[server(prefix = "/admin/api", endpoint = "load_event_preview")]
pub async fn load_event_preview(slug: EventSlug) -> Result<Option<EventView>, ServerFnError> {
    crate::ssr::signed_in()?;
    crate::ssr::views::event_preview(
        &crate::ssr::context()?,
        &slug,
        crate::ssr::lang(),
        chrono::Utc::now(),
    )
    .await
    .map_err(crate::ssr::internal_error)
}

/// One occurrence of a series by its original date (`YYYY-MM-DD`); `None` when the series or
/// the date does not exist.
#[server]
pub async fn load_occurrence(
    slug: EventSlug,
    date: String,
) -> Result<Option<OccurrenceView>, ServerFnError> {
    let ctx = crate::ssr::context()?;
    crate::ssr::views::occurrence_details(
        &ctx,
        &slug,
        &date,
        crate::ssr::lang(),
        chrono::Utc::now(),
    )
    .await
    .map_err(crate::ssr::internal_error)
}

/// The page after registering; `None` when there is no such event. The address the mail went
/// to comes from this browser's cookie, set with the redirect here.
#[server]
pub async fn load_registered(
    slug: EventSlug,
    status: Option<String>,
    position: Option<String>,
    until: Option<String>,
    again: Option<String>,
    at: Option<String>,
) -> Result<Option<crate::model::RegisteredView>, ServerFnError> {
    use crate::ssr::register_form::{SENT_TO_COOKIE, sent_to_address};
    let query = crate::model::RegisteredQuery {
        status,
        position,
        until,
        again,
        at,
    };
    let sent_to = crate::ssr::request_cookie(SENT_TO_COOKIE).and_then(|v| sent_to_address(&v));
    crate::ssr::views::registered_page(
        &crate::ssr::context()?,
        &slug,
        &query,
        sent_to,
        crate::ssr::lang(),
    )
    .await
    .map_err(crate::ssr::internal_error)
}

/// The registration form of an event; `None` when there is no such event or it takes no
/// registrations.
#[server]
pub async fn load_register_page(slug: EventSlug) -> Result<Option<RegisterView>, ServerFnError> {
    crate::ssr::views::register_page(
        &crate::ssr::context()?,
        &slug,
        crate::ssr::flash(),
        crate::ssr::lang(),
        chrono::Utc::now(),
    )
    .await
    .map_err(crate::ssr::internal_error)
}

/// The registration behind a secret link; `None` when the link is not valid. `notice` names
/// what just happened (`confirmed`, `cancelled`).
#[server]
pub async fn load_registration(
    token: String,
    notice: Option<String>,
) -> Result<Option<ManageView>, ServerFnError> {
    crate::ssr::views::manage_page(
        &crate::ssr::context()?,
        &token,
        notice.as_deref(),
        crate::ssr::flash(),
        crate::ssr::lang(),
    )
    .await
    .map_err(crate::ssr::internal_error)
}

/// The event of a secret link that an organizer replaced with a newer one; `None` for any other
/// link.
#[server]
pub async fn load_replaced_link(token: String) -> Result<Option<ReplacedLinkView>, ServerFnError> {
    crate::ssr::views::replaced_link(&crate::ssr::context()?, &token)
        .await
        .map_err(crate::ssr::internal_error)
}

/// Everything kept about the holder of `token` ("Your data"); `None` when the link is not
/// valid.
#[server]
pub async fn load_personal_data(
    token: String,
) -> Result<Option<domain::privacy::PersonalData>, ServerFnError> {
    use domain::LinkError;
    let ctx = crate::ssr::context()?;
    match service::privacy::personal_data(&ctx, &token).await {
        Ok(data) => Ok(Some(data)),
        Err(LinkError::Internal) => Err(crate::ssr::internal_error("loading personal data failed")),
        Err(_) => Ok(None),
    }
}

/// The correction form of the registration behind `token` (or a refused correction again);
/// `None` when the link is not valid.
#[server]
pub async fn load_correct_page(
    token: String,
) -> Result<Option<crate::model::CorrectView>, ServerFnError> {
    crate::ssr::views::correct_page(
        &crate::ssr::context()?,
        &token,
        crate::ssr::flash(),
        crate::ssr::lang(),
    )
    .await
    .map_err(crate::ssr::internal_error)
}

/// The address change behind `secret` (from the mail to the new address); `None` when the link
/// is unknown or lapsed.
#[server]
pub async fn load_address_change(
    secret: String,
) -> Result<Option<crate::model::AddressChangeView>, ServerFnError> {
    let ctx = crate::ssr::context()?;
    let change = service::privacy::address_change(&ctx, &secret, chrono::Utc::now())
        .await
        .map_err(crate::ssr::internal_error)?;
    Ok(change.map(|(event_title, email)| crate::model::AddressChangeView { event_title, email }))
}

/// What the privacy page states from the settings: how long data is kept, and whom to ask.
#[server]
pub async fn load_privacy() -> Result<crate::model::PrivacyView, ServerFnError> {
    let ctx = crate::ssr::context()?;
    let shared_with = service::webhooks::personal_data_recipients(&ctx)
        .await
        .map_err(crate::ssr::internal_error)?;
    Ok(crate::model::PrivacyView {
        retention_days: ctx.retention.num_days(),
        contact: ctx.privacy_contact.clone(),
        shared_with,
    })
}

/// The public topic board of an event; `None` when the event collects no topics.
#[server]
pub async fn load_public_topics(slug: EventSlug) -> Result<Option<TopicBoard>, ServerFnError> {
    crate::ssr::topic_views::public_board(
        &crate::ssr::context()?,
        &slug,
        crate::ssr::lang(),
        chrono::Utc::now(),
    )
    .await
    .map_err(crate::ssr::internal_error)
}

/// The topic board behind a registration's secret link, with the proposal form; `None` when the
/// link is not valid or the event collects no topics. `notice` names what just happened;
/// `order` is the order the visitor saw before a vote ([`domain::topics::parse_order`]).
#[server]
pub async fn load_my_topics(
    token: String,
    notice: Option<String>,
    order: Option<String>,
) -> Result<Option<TopicBoard>, ServerFnError> {
    let flash = crate::ssr::flash();
    let board = crate::ssr::topic_views::my_board(
        &crate::ssr::context()?,
        &token,
        crate::ssr::lang(),
        chrono::Utc::now(),
    )
    .await
    .map_err(crate::ssr::internal_error)?;
    Ok(board.map(|mut board| {
        if let Some(order) = order {
            let seen = domain::topics::parse_order(&order);
            domain::topics::keep_seen_order(&mut board.topics, &seen, |card| card.id);
        }
        TopicBoard {
            notice: flash
                .notice
                .or_else(|| crate::model::Notice::from_query(notice.as_deref())),
            submission: flash.submission,
            ..board
        }
    }))
}

/// The edit form of one's own topic; `None` when the link or the topic is not theirs.
#[server]
pub async fn load_topic_edit(
    token: String,
    topic: i64,
) -> Result<Option<TopicEditView>, ServerFnError> {
    let flash = crate::ssr::flash();
    let page = crate::ssr::topic_views::edit_page(&crate::ssr::context()?, &token, topic)
        .await
        .map_err(crate::ssr::internal_error)?;
    Ok(page.map(|page| TopicEditView {
        notice: flash.notice,
        submission: flash.submission,
        ..page
    }))
}

/// The organizer the request is signed in as (the admin bar).
#[server(prefix = "/admin/api", endpoint = "load_organizer")]
pub async fn load_organizer() -> Result<Me, ServerFnError> {
    crate::ssr::me()
}

/// One's own account, and what a change of password did.
#[server(prefix = "/admin/api", endpoint = "load_account")]
pub async fn load_account(notice: Option<String>) -> Result<AccountView, ServerFnError> {
    let me = crate::ssr::me()?;
    let flash = crate::ssr::flash();
    Ok(AccountView {
        me,
        notice: flash
            .admin_notice
            .or_else(|| crate::model::AdminNotice::from_query(notice.as_deref(), None)),
        submission: flash.submission,
    })
}

/// Sign-ins and account changes, and who looked at personal data (admins).
#[server(prefix = "/admin/api", endpoint = "load_audit")]
pub async fn load_audit() -> Result<AuditView, ServerFnError> {
    crate::ssr::signed_in()?;
    crate::ssr::admin_views::audit_page(&crate::ssr::context()?, crate::ssr::lang())
        .await
        .map_err(crate::ssr::internal_error)
}

/// The sign-in form again after a refused attempt (its flash), or empty.
#[server]
pub async fn load_sign_in(notice: Option<String>) -> Result<SignInView, ServerFnError> {
    let flash = crate::ssr::flash();
    let ctx = crate::ssr::context()?;
    Ok(SignInView {
        single_sign_on: ctx.sso.as_ref().map(|sso| sso.settings.name.clone()),
        passwords: ctx.password_sign_in,
        submission: flash.submission,
        notice: flash
            .admin_notice
            .or_else(|| crate::model::AdminNotice::from_query(notice.as_deref(), None)),
    })
}

/// Every event, for organizers (with the reason when the page asked for was refused).
#[server(prefix = "/admin/api", endpoint = "load_admin_events")]
pub async fn load_admin_events(notice: Option<String>) -> Result<AdminHomeView, ServerFnError> {
    let me = crate::ssr::me()?;
    let flash = crate::ssr::flash();
    let events = crate::ssr::admin_views::event_list(
        &crate::ssr::context()?,
        crate::ssr::lang(),
        chrono::Utc::now(),
    )
    .await
    .map_err(crate::ssr::internal_error)?;
    Ok(AdminHomeView {
        events,
        me,
        notice: flash
            .admin_notice
            .or_else(|| crate::model::AdminNotice::from_query(notice.as_deref(), None)),
    })
}

/// One event's registrations for organizers; `q` searches names, e-mails and organisations.
#[server(prefix = "/admin/api", endpoint = "load_admin_event")]
pub async fn load_admin_event(
    slug: EventSlug,
    q: Option<String>,
    notice: Option<String>,
    count: Option<u32>,
) -> Result<Option<AdminEventView>, ServerFnError> {
    crate::ssr::signed_in()?;
    let flash = crate::ssr::flash();
    let page = crate::ssr::admin_views::event_page(
        &crate::ssr::context()?,
        &slug,
        q.as_deref().unwrap_or(""),
        crate::ssr::lang(),
        chrono::Utc::now(),
    )
    .await
    .map_err(crate::ssr::internal_error)?;
    Ok(page.map(|page| AdminEventView {
        notice: flash
            .admin_notice
            .or_else(|| crate::model::AdminNotice::from_query(notice.as_deref(), count)),
        submission: flash.submission,
        broadcast: flash.broadcast,
        ..page
    }))
}

/// One registration for organizers.
#[server(prefix = "/admin/api", endpoint = "load_admin_person")]
pub async fn load_admin_person(
    slug: EventSlug,
    id: i64,
    notice: Option<String>,
) -> Result<Option<AdminPersonView>, ServerFnError> {
    let me = crate::ssr::signed_in()?;
    let ctx = crate::ssr::context()?;
    let flash = crate::ssr::flash();
    let page = crate::ssr::admin_views::person_page(&ctx, &slug, id, crate::ssr::lang())
        .await
        .map_err(crate::ssr::internal_error)?;
    if let Some(page) = &page {
        let access = domain::audit::Access::PersonPage {
            event_id: page.event_id,
            registration_id: id,
        };
        service::admin::log_access(&ctx, &me, &access, chrono::Utc::now())
            .await
            .map_err(crate::ssr::internal_error)?;
    }
    Ok(page.map(|page| AdminPersonView {
        notice: flash
            .admin_notice
            .or_else(|| crate::model::AdminNotice::from_query(notice.as_deref(), None)),
        submission: flash.submission,
        ..page
    }))
}

/// The door list of an event.
#[server(prefix = "/admin/api", endpoint = "load_check_in")]
pub async fn load_check_in(
    slug: EventSlug,
    notice: Option<String>,
    count: Option<u32>,
    q: Option<String>,
    show: Option<String>,
) -> Result<Option<CheckInView>, ServerFnError> {
    let me = crate::ssr::signed_in()?;
    let notice = crate::ssr::flash()
        .admin_notice
        .or_else(|| crate::model::AdminNotice::from_query(notice.as_deref(), count));
    let show = crate::model::DoorFilter::from_query(show.as_deref());
    let event_page = crate::model::admin_event_href(slug.as_str());
    let back = if me.role.may(domain::admin::AdminArea::of(&event_page)) {
        event_page
    } else {
        "/admin".to_owned()
    };
    crate::ssr::admin_views::check_in_page(
        &crate::ssr::context()?,
        (&slug, back),
        (q.as_deref().unwrap_or(""), show),
        notice,
        crate::ssr::lang(),
    )
    .await
    .map_err(crate::ssr::internal_error)
}

/// The scan page of an event, with what the ticket `code` says (if any). `notice` is
/// `ticket_checked_in` after a scan that checked its holder in.
#[server(prefix = "/admin/api", endpoint = "load_scan")]
pub async fn load_scan(
    slug: EventSlug,
    code: Option<String>,
    notice: Option<String>,
) -> Result<Option<ScanView>, ServerFnError> {
    let me = crate::ssr::signed_in()?;
    let flash = crate::ssr::flash();
    let checked_in_now = crate::model::AdminNotice::from_query(notice.as_deref(), None)
        == Some(crate::model::AdminNotice::TicketCheckedIn);
    let event_page = crate::model::admin_event_href(slug.as_str());
    let back = if me.role.may(domain::admin::AdminArea::of(&event_page)) {
        event_page
    } else {
        "/admin".to_owned()
    };
    let page = crate::ssr::admin_views::scan_page(
        &crate::ssr::context()?,
        (&slug, back),
        code.as_deref(),
        checked_in_now,
    )
    .await
    .map_err(crate::ssr::internal_error)?;
    Ok(page.map(|page| ScanView {
        submission: flash.submission,
        ..page
    }))
}

/// The webhook endpoints and their recent deliveries.
#[server(prefix = "/admin/api", endpoint = "load_webhooks")]
pub async fn load_webhooks(notice: Option<String>) -> Result<WebhooksView, ServerFnError> {
    crate::ssr::signed_in()?;
    let flash = crate::ssr::flash();
    let page = crate::ssr::admin_views::webhooks_page(&crate::ssr::context()?, crate::ssr::lang())
        .await
        .map_err(crate::ssr::internal_error)?;
    Ok(WebhooksView {
        notice: flash
            .admin_notice
            .or_else(|| crate::model::AdminNotice::from_query(notice.as_deref(), None)),
        submission: flash.submission,
        ..page
    })
}

/// The organizers' accounts.
#[server(prefix = "/admin/api", endpoint = "load_organizers")]
pub async fn load_organizers(notice: Option<String>) -> Result<OrganizersView, ServerFnError> {
    let me = crate::ssr::signed_in()?;
    let flash = crate::ssr::flash();
    let page =
        crate::ssr::admin_views::organizers_page(&crate::ssr::context()?, &me, crate::ssr::lang())
            .await
            .map_err(crate::ssr::internal_error)?;
    Ok(OrganizersView {
        notice: flash
            .admin_notice
            .or_else(|| crate::model::AdminNotice::from_query(notice.as_deref(), None)),
        submission: flash.submission,
        ..page
    })
}

/// The mail log.
#[server(prefix = "/admin/api", endpoint = "load_mail_log")]
pub async fn load_mail_log(
    notice: Option<String>,
    event: Option<String>,
    kind: Option<String>,
    status: Option<String>,
) -> Result<MailLogView, ServerFnError> {
    let me = crate::ssr::signed_in()?;
    let ctx = crate::ssr::context()?;
    let flash = crate::ssr::flash();
    let query = crate::ssr::admin_views::MailLogQuery {
        event,
        kind,
        status,
    };
    let page = crate::ssr::admin_views::mail_log_page(&ctx, &query)
        .await
        .map_err(crate::ssr::internal_error)?;
    let access = domain::audit::Access::MailLog;
    service::admin::log_access(&ctx, &me, &access, chrono::Utc::now())
        .await
        .map_err(crate::ssr::internal_error)?;
    Ok(MailLogView {
        notice: flash
            .admin_notice
            .or_else(|| crate::model::AdminNotice::from_query(notice.as_deref(), None)),
        ..page
    })
}

/// The topics of an event for moderation.
#[server(prefix = "/admin/api", endpoint = "load_admin_topics")]
pub async fn load_admin_topics(
    slug: EventSlug,
    notice: Option<String>,
) -> Result<Option<AdminTopicsView>, ServerFnError> {
    crate::ssr::signed_in()?;
    let flash = crate::ssr::flash();
    let page = crate::ssr::admin_views::topics_page(&crate::ssr::context()?, &slug)
        .await
        .map_err(crate::ssr::internal_error)?;
    Ok(page.map(|page| AdminTopicsView {
        notice: flash
            .admin_notice
            .or_else(|| crate::model::AdminNotice::from_query(notice.as_deref(), None)),
        submission: flash.submission,
        ..page
    }))
}

/// The event form: empty for a new event (`slug` is `None`), or filled from an existing one.
#[server(prefix = "/admin/api", endpoint = "load_event_form")]
pub async fn load_event_form(
    slug: Option<EventSlug>,
    notice: Option<String>,
    count: Option<u32>,
) -> Result<Option<EventFormView>, ServerFnError> {
    crate::ssr::signed_in()?;
    let flash = crate::ssr::flash();
    let page = crate::ssr::admin_views::event_form_page(
        &crate::ssr::context()?,
        slug.as_ref(),
        crate::ssr::lang(),
    )
    .await
    .map_err(crate::ssr::internal_error)?;
    Ok(page.map(|page| EventFormView {
        notice: flash
            .admin_notice
            .or_else(|| crate::model::AdminNotice::from_query(notice.as_deref(), count)),
        submission: flash.submission,
        ..page
    }))
}

/// The present view of one call's agenda.
#[server]
pub async fn load_present(
    slug: EventSlug,
    date: String,
) -> Result<Option<crate::model::PresentView>, ServerFnError> {
    let ctx = crate::ssr::context()?;
    crate::ssr::call_views::present_page(&ctx, &slug, &date, crate::ssr::lang(), chrono::Utc::now())
        .await
        .map_err(crate::ssr::internal_error)
}

/// A team's page behind its contributor link; `None` for a link that is not (or no longer)
/// valid.
#[server]
pub async fn load_contribution(
    token: String,
    notice: Option<String>,
    count: Option<u32>,
) -> Result<Option<crate::model::ContributionView>, ServerFnError> {
    let ctx = crate::ssr::context()?;
    let flash = crate::ssr::flash();
    let page = crate::ssr::call_views::contribution_by_link(
        &ctx,
        &token,
        crate::ssr::lang(),
        chrono::Utc::now(),
    )
    .await
    .map_err(crate::ssr::internal_error)?;
    Ok(page.map(|page| crate::model::ContributionView {
        notice: flash
            .agenda_notice
            .or_else(|| crate::model::AgendaNotice::from_query(notice.as_deref(), count)),
        submission: flash.submission,
        ..page
    }))
}

/// The sections of a community-call series, for the organizers.
#[server(prefix = "/admin/api", endpoint = "load_admin_agenda")]
pub async fn load_admin_agenda(
    slug: EventSlug,
    notice: Option<String>,
    count: Option<u32>,
) -> Result<Option<crate::model::AdminAgendaView>, ServerFnError> {
    crate::ssr::signed_in()?;
    let flash = crate::ssr::flash();
    let page = crate::ssr::call_views::admin_agenda_page(
        &crate::ssr::context()?,
        &slug,
        crate::ssr::lang(),
        chrono::Utc::now(),
    )
    .await
    .map_err(crate::ssr::internal_error)?;
    Ok(page.map(|page| crate::model::AdminAgendaView {
        notice: flash
            .agenda_notice
            .or_else(|| crate::model::AgendaNotice::from_query(notice.as_deref(), count)),
        submission: flash.submission,
        issued_link: flash.issued_link,
        ..page
    }))
}

/// One call's agenda for the organizers and the accounts named for its teams.
#[server(prefix = "/admin/api", endpoint = "load_admin_call")]
pub async fn load_admin_call(
    slug: EventSlug,
    date: String,
    notice: Option<String>,
    count: Option<u32>,
) -> Result<Option<crate::model::AdminCallView>, ServerFnError> {
    let me = crate::ssr::signed_in()?;
    let flash = crate::ssr::flash();
    let page = crate::ssr::call_views::admin_call_page(
        &crate::ssr::context()?,
        &me,
        &slug,
        &date,
        crate::ssr::lang(),
        chrono::Utc::now(),
    )
    .await
    .map_err(crate::ssr::internal_error)?;
    Ok(page.map(|page| crate::model::AdminCallView {
        notice: flash
            .agenda_notice
            .or_else(|| crate::model::AgendaNotice::from_query(notice.as_deref(), count)),
        submission: flash.submission,
        ..page
    }))
}
