//! The one mail renderer: every mail convene sends, as plain text and HTML from one template per
//! kind, with the event's time in its zone and absolute links.

use domain::ics::{CalendarEntry, render_calendar};
use domain::time::format_span;
use domain::{Event, Lang};
use store::OutgoingMail;

use super::html::escape;
use super::views::locale_of;
use crate::i18n::*;
use crate::model::{event_href, manage_href};

/// Why a mail is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    /// A seat is held: confirm the address to keep it.
    ConfirmEmail,
    /// The room is full: you wait at this place.
    Waitlisted {
        position: u32,
    },
    /// The address is confirmed and the seat is yours.
    Confirmed,
    /// A seat freed and is now yours.
    Promoted,
    /// Registered again with the same address: here is your (new) link.
    LinkResent,
    Cancelled,
    /// The address was not confirmed in time.
    HoldExpired,
    /// The event starts within a day.
    Reminder,
}

impl MailKind {
    pub fn key(self) -> &'static str {
        match self {
            MailKind::ConfirmEmail => "confirm_email",
            MailKind::Waitlisted { .. } => "waitlisted",
            MailKind::Confirmed => "confirmed",
            MailKind::Promoted => "promoted",
            MailKind::LinkResent => "link_resent",
            MailKind::Cancelled => "cancelled",
            MailKind::HoldExpired => "hold_expired",
            MailKind::Reminder => "reminder",
        }
    }
}

/// Who the mail is for and what it may link to.
pub struct Recipient<'a> {
    pub registration_id: i64,
    pub name: &'a str,
    pub email: &'a str,
    /// The secret manage token, when this mail carries the manage link.
    pub token: Option<&'a str>,
    /// The language they registered in.
    pub lang: Lang,
}

/// Renders a mail of `kind` about `event` for `to`, in their language.
pub fn compose(kind: MailKind, event: &Event, to: &Recipient<'_>, base_url: &str) -> OutgoingMail {
    let locale = locale_of(to.lang);
    let title = event.title.clone();
    let manage_url = to.token.map(|t| format!("{base_url}{}", manage_href(t)));

    let (subject, lead, action): MailParts = match kind {
        MailKind::ConfirmEmail => {
            let hours = event
                .registration
                .as_ref()
                .map_or(48, |r| r.confirmation_window.num_hours());
            (
                td_string!(locale, mail.confirm_subject, title = title.clone()).to_string(),
                td_string!(locale, mail.confirm_lead, title = title.clone(), hours).to_string(),
                manage_url.as_ref().map(|url| {
                    (
                        td_string!(locale, mail.confirm_action).to_string(),
                        format!("{url}/confirm"),
                    )
                }),
            )
        }
        MailKind::Waitlisted { position } => (
            td_string!(
                locale,
                mail.waitlisted_subject,
                title = title.clone(),
                position
            )
            .to_string(),
            td_string!(
                locale,
                mail.waitlisted_lead,
                title = title.clone(),
                position
            )
            .to_string(),
            None,
        ),
        MailKind::Confirmed => (
            td_string!(locale, mail.confirmed_subject, title = title.clone()).to_string(),
            td_string!(locale, mail.confirmed_lead, title = title.clone()).to_string(),
            None,
        ),
        MailKind::Promoted => (
            td_string!(locale, mail.promoted_subject, title = title.clone()).to_string(),
            td_string!(locale, mail.promoted_lead, title = title.clone()).to_string(),
            None,
        ),
        MailKind::LinkResent => (
            td_string!(locale, mail.resent_subject, title = title.clone()).to_string(),
            td_string!(locale, mail.resent_lead, title = title.clone()).to_string(),
            None,
        ),
        MailKind::Cancelled => (
            td_string!(locale, mail.cancelled_subject, title = title.clone()).to_string(),
            td_string!(locale, mail.cancelled_lead, title = title.clone()).to_string(),
            None,
        ),
        MailKind::HoldExpired => (
            td_string!(locale, mail.expired_subject, title = title.clone()).to_string(),
            td_string!(locale, mail.expired_lead, title = title.clone()).to_string(),
            None,
        ),
        MailKind::Reminder => (
            td_string!(locale, mail.reminder_subject, title = title.clone()).to_string(),
            td_string!(locale, mail.reminder_lead, title = title.clone()).to_string(),
            None,
        ),
    };
    let calendar = if matches!(kind, MailKind::Confirmed | MailKind::Promoted) {
        Calendar::Attached
    } else {
        Calendar::None
    };
    render(
        kind.key(),
        event,
        to,
        base_url,
        (subject, lead, action),
        calendar,
    )
}

/// The event was called off: the person's registration is cancelled too. Carries the
/// organizers' words when they gave some, and the event as a cancelled calendar entry so that
/// calendars which imported it drop it.
pub fn compose_event_cancelled(
    event: &Event,
    to: &Recipient<'_>,
    base_url: &str,
    message: Option<&str>,
) -> OutgoingMail {
    let locale = locale_of(to.lang);
    let title = event.title.clone();
    let subject =
        td_string!(locale, mail.event_cancelled_subject, title = title.clone()).to_string();
    let mut lead = td_string!(locale, mail.event_cancelled_lead, title).to_string();
    if let Some(message) = message {
        lead.push_str("\n\n");
        lead.push_str(message);
    }
    render(
        "event_cancelled",
        event,
        to,
        base_url,
        (subject, lead, None),
        Calendar::Cancelled,
    )
}

/// An organizer's message to the people of an event, framed like every other mail (greeting in
/// the person's language, the event, no secret link).
pub fn compose_broadcast(
    event: &Event,
    to: &Recipient<'_>,
    base_url: &str,
    subject: &str,
    message: &str,
) -> OutgoingMail {
    let subject = format!("[{}] {subject}", event.title);
    render(
        "broadcast",
        event,
        to,
        base_url,
        (subject, message.to_owned(), None),
        Calendar::None,
    )
}

/// Subject, lead paragraph(s), and an optional call to action (label, URL).
type MailParts = (String, String, Option<(String, String)>);

/// Whether a mail carries the event as a calendar file, and as what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Calendar {
    None,
    Attached,
    /// The same entry (same UID), marked cancelled.
    Cancelled,
}

fn render(
    kind: &str,
    event: &Event,
    to: &Recipient<'_>,
    base_url: &str,
    (subject, lead, action): MailParts,
    calendar: Calendar,
) -> OutgoingMail {
    let locale = locale_of(to.lang);
    let when = format_span(event.starts_at, event.ends_at, event.time_zone, to.lang);
    let place = event
        .venue
        .clone()
        .or_else(|| event.online_url.clone())
        .unwrap_or_default();
    let title = event.title.clone();
    let manage_url = to.token.map(|t| format!("{base_url}{}", manage_href(t)));
    let event_url = format!("{base_url}{}", event_href(event.slug.as_str()));
    let hello = td_string!(locale, mail.hello, name = to.name.to_owned()).to_string();
    let personal = td_string!(locale, mail.personal).to_string();

    let manage_line = manage_url
        .as_ref()
        .map(|url| (td_string!(locale, mail.manage).to_string(), url.clone()));
    let mut text = format!("{hello}\n\n{lead}\n\n{title}\n{when}\n");
    if !place.is_empty() {
        text.push_str(&format!("{place}\n"));
    }
    text.push_str(&format!("{event_url}\n"));
    if let Some((label, url)) = &action {
        text.push_str(&format!("\n{label}: {url}\n"));
    }
    if let Some((label, url)) = &manage_line {
        text.push_str(&format!("\n{label}\n{url}\n"));
    }
    text.push_str(&format!("\n{personal}\n"));

    let mut html = format!(
        "<!DOCTYPE html><html lang=\"{}\"><body style=\"font-family: sans-serif; line-height: 1.5\">\
         <p>{}</p><p>{}</p><p><strong>{}</strong><br>{}",
        to.lang.tag(),
        escape(&hello),
        escape(&lead).replace('\n', "<br>"),
        escape(&title),
        escape(&when)
    );
    if !place.is_empty() {
        html.push_str(&format!("<br>{}", escape(&place)));
    }
    html.push_str(&format!(
        "<br><a href=\"{0}\">{0}</a></p>",
        escape(&event_url)
    ));
    if let Some((label, url)) = &action {
        html.push_str(&format!(
            "<p><a href=\"{}\" style=\"display:inline-block;padding:10px 16px;background:#0f5fe1;\
             color:#fff;text-decoration:none;border-radius:6px\">{}</a></p>",
            escape(url),
            escape(label)
        ));
    }
    if let Some((label, url)) = &manage_line {
        html.push_str(&format!(
            "<p>{}<br><a href=\"{1}\">{1}</a></p>",
            escape(label),
            escape(url)
        ));
    }
    html.push_str(&format!("<p>{}</p></body></html>", escape(&personal)));

    let ics = (calendar != Calendar::None).then(|| {
        let host = base_url.split("://").nth(1).unwrap_or(base_url);
        let entry = CalendarEntry {
            uid: format!("{}@{host}", event.slug),
            summary: title.clone(),
            description: format!("{}\n\n{event_url}", event.summary),
            location: (!place.is_empty()).then(|| place.clone()),
            url: event_url.clone(),
            starts_at: event.starts_at,
            ends_at: event.ends_at,
            cancelled: calendar == Calendar::Cancelled,
        };
        render_calendar(&title, &[entry], chrono::Utc::now())
    });

    OutgoingMail {
        kind: kind.to_owned(),
        registration_id: Some(to.registration_id),
        recipient: to.email.to_owned(),
        subject,
        body_text: text,
        body_html: html,
        ics,
    }
}
