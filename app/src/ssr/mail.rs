//! The one mail renderer: every mail convene sends, as plain text and HTML from one template per
//! kind, with the event's time in its zone and absolute links.

use domain::Event;
use domain::ics::{CalendarEntry, render_calendar};
use domain::time::format_span;
use store::OutgoingMail;

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
}

/// Renders a mail of `kind` about `event` for `to`.
pub fn compose(kind: MailKind, event: &Event, to: &Recipient<'_>, base_url: &str) -> OutgoingMail {
    let when = format_span(event.starts_at, event.ends_at, event.time_zone);
    let place = event
        .venue
        .clone()
        .or_else(|| event.online_url.clone())
        .unwrap_or_default();
    let title = &event.title;
    let manage_url = to.token.map(|t| format!("{base_url}{}", manage_href(t)));
    let event_url = format!("{base_url}{}", event_href(event.slug.as_str()));

    let (subject, lead, action): (String, String, Option<(String, String)>) = match kind {
        MailKind::ConfirmEmail => (
            format!("Confirm your seat at {title}"),
            format!(
                "we are holding a seat for you at {title}. Please confirm your e-mail address \
                 within {} hours to keep it; after that the seat goes to the next person.",
                event
                    .registration
                    .as_ref()
                    .map_or(48, |r| r.confirmation_window.num_hours())
            ),
            manage_url
                .as_ref()
                .map(|url| ("Confirm my seat".to_owned(), format!("{url}/confirm"))),
        ),
        MailKind::Waitlisted { position } => (
            format!("You are on the waitlist for {title} (#{position})"),
            format!(
                "{title} is full, so you are on the waitlist at position {position}. When a seat \
                 frees, the first person waiting gets it automatically and we write to you."
            ),
            None,
        ),
        MailKind::Confirmed => (
            format!("You are confirmed for {title}"),
            format!("your seat at {title} is confirmed. The calendar invitation is attached."),
            None,
        ),
        MailKind::Promoted => (
            format!("A seat is yours: {title}"),
            format!(
                "a seat at {title} freed and it is yours now; you are confirmed. The calendar \
                 invitation is attached. This mail brings a new link to your registration; \
                 earlier links no longer work."
            ),
            None,
        ),
        MailKind::LinkResent => (
            format!("Your registration for {title}"),
            format!(
                "you (or someone with your address) registered for {title} again. You were \
                 already registered, so nothing changed. Here is a new link to your \
                 registration; earlier links no longer work."
            ),
            None,
        ),
        MailKind::Cancelled => (
            format!("Your registration for {title} is cancelled"),
            format!(
                "your registration for {title} is cancelled. If you change your mind, you can \
                 register again while registration is open."
            ),
            None,
        ),
        MailKind::HoldExpired => (
            format!("Your held seat at {title} has expired"),
            format!(
                "we held a seat for you at {title}, but the e-mail address was not confirmed in \
                 time, so the seat went to the next person. You can register again while \
                 registration is open."
            ),
            None,
        ),
    };

    let manage_line = manage_url.as_ref().map(|url| {
        (
            "Your registration (see your status, add it to your calendar, or cancel):".to_owned(),
            url.clone(),
        )
    });
    let mut text = format!("Hello {},\n\n{lead}\n\n{title}\n{when}\n", to.name);
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
    text.push_str("\nThis link is personal: please do not share it.\n");

    let mut html = format!(
        "<!DOCTYPE html><html><body style=\"font-family: sans-serif; line-height: 1.5\">\
         <p>Hello {},</p><p>{}</p><p><strong>{}</strong><br>{}",
        escape(to.name),
        escape(&lead),
        escape(title),
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
    html.push_str("<p>This link is personal: please do not share it.</p></body></html>");

    let ics = matches!(kind, MailKind::Confirmed | MailKind::Promoted).then(|| {
        let host = base_url.split("://").nth(1).unwrap_or(base_url);
        let entry = CalendarEntry {
            uid: format!("{}@{host}", event.slug),
            summary: title.clone(),
            description: format!("{}\n\n{event_url}", event.summary),
            location: (!place.is_empty()).then(|| place.clone()),
            url: event_url.clone(),
            starts_at: event.starts_at,
            ends_at: event.ends_at,
            cancelled: false,
        };
        render_calendar(title, &[entry], chrono::Utc::now())
    });

    OutgoingMail {
        kind: kind.key().to_owned(),
        registration_id: Some(to.registration_id),
        recipient: to.email.to_owned(),
        subject,
        body_text: text,
        body_html: html,
        ics,
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
