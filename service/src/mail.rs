//! The one mail renderer: every mail convene sends, as plain text and HTML from one template per
//! kind, with the event's time in its zone and absolute links. The words come from the site's
//! one text catalogue, handed in as [`MailTexts`].

use domain::changes::{EventChanges, Times};
use domain::ics::{CalendarEntry, render_calendar};
use domain::time::format_span;
use domain::{Event, Lang, Occurrence, OccurrenceStatus, RegistrationStatus};
use store::OutgoingMail;

use chrono::{DateTime, Utc};

use crate::html::escape;
use domain::paths::{event_href, manage_href};

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
    /// A seat freed and is offered to you: accept it by `until` (with the accept action).
    Offered {
        until: DateTime<Utc>,
    },
    /// The offered seat was not accepted in time and went to the next person.
    OfferLapsed,
    /// Nobody moves up from the waitlist any more: you will not get a seat.
    WaitlistClosed,
    /// Registered again with the same address: here is a new link (the earlier ones still
    /// work), with the confirm action while the seat waits for the address to be confirmed.
    LinkResent {
        unconfirmed_seat: bool,
    },
    /// An organizer sent a new link (earlier ones stop working), with the confirm action while
    /// the seat waits for the address to be confirmed.
    NewLink {
        unconfirmed_seat: bool,
    },
    Cancelled,
    /// The address was not confirmed in time.
    HoldExpired,
    /// The event starts within a day.
    Reminder,
    /// The person's data is erased: the last mail to the address (no link: none works now).
    Erased,
    /// The new address is confirmed: from now on we write here (with a link).
    AddressChanged,
}

impl MailKind {
    pub fn key(self) -> &'static str {
        match self {
            MailKind::ConfirmEmail => "confirm_email",
            MailKind::Waitlisted { .. } => "waitlisted",
            MailKind::Confirmed => "confirmed",
            MailKind::Promoted => "promoted",
            MailKind::Offered { .. } => "offered",
            MailKind::OfferLapsed => "offer_lapsed",
            MailKind::WaitlistClosed => "waitlist_closed",
            MailKind::LinkResent { .. } => "link_resent",
            MailKind::NewLink { .. } => "new_link",
            MailKind::Cancelled => "cancelled",
            MailKind::HoldExpired => "hold_expired",
            MailKind::Reminder => "reminder",
            MailKind::Erased => store::ERASURE_MAIL,
            MailKind::AddressChanged => "address_changed",
        }
    }
}

/// The words of the mails in each language. The site keeps all its texts in one catalogue with
/// the pages (`app/locales`), so that translators see them together and one test checks that
/// every language has every text; the server hands that catalogue to the services.
pub trait MailTexts: Send + Sync + std::fmt::Debug {
    fn text(&self, lang: Lang, text: MailText<'_>) -> String;
}

/// One text of a mail, with the values it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailText<'a> {
    Hello {
        name: &'a str,
    },
    /// The line above the manage link.
    Manage,
    /// What is kept about the person, for how long, and how to see, download or erase it.
    Privacy {
        days: i64,
    },
    /// The closing line: the link is personal.
    Personal,
    ConfirmSubject {
        title: &'a str,
    },
    ConfirmLead {
        title: &'a str,
        hours: i64,
    },
    ConfirmAction,
    WaitlistedSubject {
        title: &'a str,
        position: u32,
    },
    WaitlistedLead {
        title: &'a str,
        position: u32,
    },
    ConfirmedSubject {
        title: &'a str,
    },
    ConfirmedLead {
        title: &'a str,
    },
    PromotedSubject {
        title: &'a str,
    },
    PromotedLead {
        title: &'a str,
    },
    OfferedSubject {
        title: &'a str,
    },
    OfferedLead {
        title: &'a str,
        until: &'a str,
    },
    /// The button that accepts an offered seat.
    OfferAction,
    OfferLapsedSubject {
        title: &'a str,
    },
    OfferLapsedLead {
        title: &'a str,
    },
    WaitlistClosedSubject {
        title: &'a str,
    },
    WaitlistClosedLead {
        title: &'a str,
    },
    ResentSubject {
        title: &'a str,
    },
    ResentLead {
        title: &'a str,
    },
    NewLinkLead {
        title: &'a str,
    },
    CancelledSubject {
        title: &'a str,
    },
    CancelledLead {
        title: &'a str,
    },
    ExpiredSubject {
        title: &'a str,
    },
    ExpiredLead {
        title: &'a str,
    },
    ReminderSubject {
        title: &'a str,
    },
    ReminderLead {
        title: &'a str,
    },
    ErasedSubject {
        title: &'a str,
    },
    AddressSubject {
        title: &'a str,
    },
    AddressLead {
        title: &'a str,
    },
    AddressAction,
    AddressChangedSubject {
        title: &'a str,
    },
    AddressChangedLead {
        title: &'a str,
    },
    ErasedLead {
        title: &'a str,
    },
    EventCancelledSubject {
        title: &'a str,
    },
    EventCancelledLead {
        title: &'a str,
    },
    EventChangedSubject {
        title: &'a str,
    },
    EventChangedLead {
        title: &'a str,
    },
    /// One date of a series changed (`date` as a day, `Thursday, 14 January 2027`).
    /// A team's section of a call is still empty.
    AgendaReminderSubject {
        team: &'a str,
        date: &'a str,
    },
    AgendaReminderLead {
        team: &'a str,
        title: &'a str,
        date: &'a str,
    },
    AgendaReminderAction,
    DateChangedSubject {
        title: &'a str,
        date: &'a str,
    },
    DateChangedLead {
        title: &'a str,
        date: &'a str,
    },
    /// The date does not take place (`when` it was to).
    DateCancelled {
        when: &'a str,
    },
    /// The date takes place after all, `when`.
    DateRestored {
        when: &'a str,
    },
    /// One line of a "what changed" mail: the times before and after.
    ChangedWhen {
        before: &'a str,
        after: &'a str,
    },
    ChangedWhere {
        before: &'a str,
        after: &'a str,
    },
    ChangedOnline {
        before: &'a str,
        after: &'a str,
    },
    /// What a "what changed" line says for a place or link that was or is none.
    NotSet,
    /// The label before the online link (a video call).
    JoinOnline,
    /// Above the ticket's QR code and check-in code: show it at the door.
    Ticket {
        code: &'a str,
    },
    /// Matrix notices (`domain::matrix::Notice`): one line each, the page's link follows.
    NoticePublished {
        title: &'a str,
        when: &'a str,
    },
    NoticeChanged {
        title: &'a str,
        what: &'a str,
        when: &'a str,
    },
    NoticeCancelled {
        title: &'a str,
        when: &'a str,
    },
    NoticeDateCancelled {
        title: &'a str,
        date: &'a str,
    },
    NoticeDateMoved {
        title: &'a str,
        date: &'a str,
        when: &'a str,
    },
    NoticeRegistrationOpened {
        title: &'a str,
        when: &'a str,
    },
    NoticeSeatsFree {
        title: &'a str,
        count: u32,
    },
    NoticeTopicProposed {
        title: &'a str,
        topic: &'a str,
    },
    /// What a "changed" notice names: the time, the place, the online link.
    NoticePart(domain::matrix::ChangedPart),
}

/// Who the mail is for and what it may link to.
#[derive(Clone, Copy)]
pub struct Recipient<'a> {
    pub registration_id: i64,
    pub name: &'a str,
    pub email: &'a str,
    /// The secret manage token, when this mail carries the manage link.
    pub token: Option<&'a str>,
    /// The language they registered in.
    pub lang: Lang,
    /// Where they stand (after what the mail tells of): decides whether they see an online
    /// link meant for registrants.
    pub status: RegistrationStatus,
    /// The check-in code of their ticket: the mails that give or confirm a seat show it.
    pub ticket: Option<&'a str>,
}

/// Writes the mails of one site: its catalogue of words and its public URL.
#[derive(Clone, Copy)]
pub struct Composer<'a> {
    pub texts: &'a dyn MailTexts,
    /// The public URL of the site, without a trailing slash; every link in a mail is absolute.
    pub base_url: &'a str,
    /// How many days after an event its registrations' personal data is erased.
    pub retention_days: i64,
}

impl Composer<'_> {
    /// Renders a mail of `kind` about `event` for `to`, in their language, written at `now`.
    pub fn compose(
        self,
        kind: MailKind,
        event: &Event,
        to: &Recipient<'_>,
        now: DateTime<Utc>,
    ) -> OutgoingMail {
        let text = |text: MailText<'_>| self.texts.text(to.lang, text);
        let title = event.title.as_str();
        let manage_url = to
            .token
            .map(|t| format!("{}{}", self.base_url, manage_href(t)));
        let confirm_action = || {
            manage_url
                .as_ref()
                .map(|url| (text(MailText::ConfirmAction), format!("{url}/confirm")))
        };
        // The first mail to a person says what is kept, for how long, and where they see it.
        let privacy = || {
            text(MailText::Privacy {
                days: self.retention_days,
            })
        };
        // The kinds that move a person tell where they stand now.
        let moved_to = match kind {
            MailKind::ConfirmEmail => Some(RegistrationStatus::PendingEmail),
            MailKind::Waitlisted { .. } => Some(RegistrationStatus::Waitlisted),
            MailKind::Confirmed | MailKind::Promoted => Some(RegistrationStatus::Confirmed),
            MailKind::Offered { .. } => Some(RegistrationStatus::Offered),
            MailKind::Cancelled | MailKind::Erased => Some(RegistrationStatus::Cancelled),
            MailKind::HoldExpired | MailKind::OfferLapsed | MailKind::WaitlistClosed => {
                Some(RegistrationStatus::Expired)
            }
            _ => None,
        };
        let to = &Recipient {
            status: moved_to.unwrap_or(to.status),
            ..*to
        };
        let (subject, lead, action): MailParts = match kind {
            MailKind::ConfirmEmail => {
                let hours = event
                    .registration
                    .as_ref()
                    .map_or(48, |r| r.confirmation_window.num_hours());
                (
                    text(MailText::ConfirmSubject { title }),
                    format!(
                        "{}\n\n{}",
                        text(MailText::ConfirmLead { title, hours }),
                        privacy()
                    ),
                    confirm_action(),
                )
            }
            MailKind::Waitlisted { position } => (
                text(MailText::WaitlistedSubject { title, position }),
                format!(
                    "{}\n\n{}",
                    text(MailText::WaitlistedLead { title, position }),
                    privacy()
                ),
                None,
            ),
            MailKind::Confirmed => (
                text(MailText::ConfirmedSubject { title }),
                text(MailText::ConfirmedLead { title }),
                None,
            ),
            MailKind::Promoted => (
                text(MailText::PromotedSubject { title }),
                text(MailText::PromotedLead { title }),
                None,
            ),
            MailKind::Offered { until } => {
                let until = domain::time::format_instant(until, event.time_zone, to.lang);
                (
                    text(MailText::OfferedSubject { title }),
                    text(MailText::OfferedLead {
                        title,
                        until: &until,
                    }),
                    manage_url
                        .as_ref()
                        .map(|url| (text(MailText::OfferAction), format!("{url}/confirm"))),
                )
            }
            MailKind::OfferLapsed => (
                text(MailText::OfferLapsedSubject { title }),
                text(MailText::OfferLapsedLead { title }),
                None,
            ),
            MailKind::WaitlistClosed => (
                text(MailText::WaitlistClosedSubject { title }),
                text(MailText::WaitlistClosedLead { title }),
                None,
            ),
            MailKind::LinkResent { unconfirmed_seat } => (
                text(MailText::ResentSubject { title }),
                text(MailText::ResentLead { title }),
                confirm_action().filter(|_| unconfirmed_seat),
            ),
            MailKind::NewLink { unconfirmed_seat } => (
                text(MailText::ResentSubject { title }),
                text(MailText::NewLinkLead { title }),
                confirm_action().filter(|_| unconfirmed_seat),
            ),
            MailKind::Cancelled => (
                text(MailText::CancelledSubject { title }),
                text(MailText::CancelledLead { title }),
                None,
            ),
            MailKind::HoldExpired => (
                text(MailText::ExpiredSubject { title }),
                text(MailText::ExpiredLead { title }),
                None,
            ),
            MailKind::Reminder => (
                text(MailText::ReminderSubject { title }),
                text(MailText::ReminderLead { title }),
                None,
            ),
            MailKind::Erased => (
                text(MailText::ErasedSubject { title }),
                text(MailText::ErasedLead { title }),
                None,
            ),
            MailKind::AddressChanged => (
                text(MailText::AddressChangedSubject { title }),
                text(MailText::AddressChangedLead { title }),
                None,
            ),
        };
        let calendar = if matches!(kind, MailKind::Confirmed | MailKind::Promoted) {
            Calendar::Attached
        } else {
            Calendar::None
        };
        // The mails that give, confirm or recall a seat carry the ticket for the door.
        let carries_ticket = matches!(
            kind,
            MailKind::Confirmed | MailKind::Promoted | MailKind::Reminder
        ) && to.status.holds_seat();
        let mut mail = self.render(
            kind.key(),
            event,
            to,
            (subject, lead, action),
            calendar,
            now,
        );
        if let Some(code) = to.ticket.filter(|_| carries_ticket) {
            self.add_ticket(&mut mail, to.lang, code);
        }
        mail
    }

    /// Adds the ticket: its code in the text, and in the HTML its QR code (an image the mailer
    /// draws from [`OutgoingMail::ticket`] and attaches as `cid:ticket`) above the code.
    fn add_ticket(self, mail: &mut OutgoingMail, lang: Lang, code: &str) {
        let Some(code) = domain::tickets::TicketCode::parse(code) else {
            return;
        };
        let grouped = code.grouped();
        let label = self.texts.text(lang, MailText::Ticket { code: &grouped });
        mail.body_text.push_str(&format!("\n{label}\n"));
        let figure = format!(
            "<p>{}<br><img src=\"cid:{TICKET_IMAGE}\" width=\"{TICKET_PIXELS}\" \
             height=\"{TICKET_PIXELS}\" alt=\"{}\"></p>",
            escape(&label),
            escape(&grouped)
        );
        mail.body_html = mail
            .body_html
            .replacen("</body>", &format!("{figure}</body>"), 1);
        mail.ticket = Some(code.url(self.base_url));
    }

    /// Asks the person to confirm a new address for their registration: goes to that address,
    /// with the secret that proves they read it (and no link to the registration: the address
    /// is not theirs until they confirm).
    pub fn confirm_address(
        self,
        event: &Event,
        to: &Recipient<'_>,
        secret: &str,
        now: DateTime<Utc>,
    ) -> OutgoingMail {
        let title = event.title.as_str();
        let text = |text: MailText<'_>| self.texts.text(to.lang, text);
        let action = (
            text(MailText::AddressAction),
            format!("{}{}", self.base_url, domain::paths::address_href(secret)),
        );
        self.render(
            "confirm_address",
            event,
            to,
            (
                text(MailText::AddressSubject { title }),
                text(MailText::AddressLead { title }),
                Some(action),
            ),
            Calendar::None,
            now,
        )
    }

    /// The event was called off: the person's registration is cancelled too. Carries the
    /// organizers' words when they gave some, and the event as a cancelled calendar entry so
    /// that calendars which imported it drop it.
    pub fn event_cancelled(
        self,
        event: &Event,
        to: &Recipient<'_>,
        message: Option<&str>,
        now: DateTime<Utc>,
    ) -> OutgoingMail {
        let title = event.title.as_str();
        let subject = self
            .texts
            .text(to.lang, MailText::EventCancelledSubject { title });
        let mut lead = self
            .texts
            .text(to.lang, MailText::EventCancelledLead { title });
        if let Some(message) = message {
            lead.push_str("\n\n");
            lead.push_str(message);
        }
        self.render(
            "event_cancelled",
            event,
            to,
            (subject, lead, None),
            Calendar::Cancelled,
            now,
        )
    }

    /// The event's times, place or online link changed: what was and what is, one line each,
    /// and (for someone with a confirmed seat) the updated calendar entry, the same UID with a
    /// higher SEQUENCE, which replaces the one they have.
    pub fn event_changed(
        self,
        event: &Event,
        to: &Recipient<'_>,
        (changes, with_calendar): (&EventChanges, bool),
        now: DateTime<Utc>,
    ) -> OutgoingMail {
        let title = event.title.as_str();
        let text = |text: MailText<'_>| self.texts.text(to.lang, text);
        let shown =
            |value: &Option<String>| value.clone().unwrap_or_else(|| text(MailText::NotSet));
        let span = |times: &Times| {
            let zone = domain::event::parse_time_zone(&times.time_zone).unwrap_or(event.time_zone);
            format_span(times.starts_at, times.ends_at, zone, to.lang)
        };
        let mut lead = text(MailText::EventChangedLead { title });
        if let Some(times) = &changes.times {
            let (before, after) = (span(&times.before), span(&times.after));
            lead.push_str("\n\n");
            lead.push_str(&text(MailText::ChangedWhen {
                before: &before,
                after: &after,
            }));
        }
        if let Some(venue) = &changes.venue {
            let (before, after) = (shown(&venue.before), shown(&venue.after));
            lead.push('\n');
            lead.push_str(&text(MailText::ChangedWhere {
                before: &before,
                after: &after,
            }));
        }
        if let Some(link) = &changes.online_url {
            let (before, after) = (shown(&link.before), shown(&link.after));
            lead.push('\n');
            lead.push_str(&text(MailText::ChangedOnline {
                before: &before,
                after: &after,
            }));
        }
        self.render(
            store::CHANGE_MAIL,
            event,
            to,
            (text(MailText::EventChangedSubject { title }), lead, None),
            if with_calendar {
                Calendar::Attached
            } else {
                Calendar::None
            },
            now,
        )
    }

    /// One date of a series was cancelled, moved, or is to take place after all: when it was
    /// and when it is, and (for someone with a confirmed seat) that date's calendar entry (its
    /// own UID, as in the feeds, with a higher SEQUENCE), which replaces the one they have.
    pub fn date_changed(
        self,
        event: &Event,
        to: &Recipient<'_>,
        (before, after): (&Occurrence, &Occurrence),
        with_calendar: bool,
        now: DateTime<Utc>,
    ) -> OutgoingMail {
        let title = event.title.as_str();
        let text = |text: MailText<'_>| self.texts.text(to.lang, text);
        let date = domain::time::format_day(before.original_date, to.lang);
        let span = |o: &Occurrence| format_span(o.starts_at, o.ends_at, event.time_zone, to.lang);
        let (was, is) = (span(before), span(after));
        let mut lead = text(MailText::DateChangedLead { title, date: &date });
        lead.push_str("\n\n");
        lead.push_str(&match (before.status, after.status) {
            (_, OccurrenceStatus::Cancelled) => text(MailText::DateCancelled { when: &was }),
            (OccurrenceStatus::Cancelled, _) => text(MailText::DateRestored { when: &is }),
            _ => text(MailText::ChangedWhen {
                before: &was,
                after: &is,
            }),
        });
        // The mail speaks of that date: its time, and its own calendar entry.
        let on_that_date = Event {
            starts_at: after.starts_at,
            ends_at: after.ends_at,
            ..event.clone()
        };
        let calendar = if with_calendar {
            Calendar::Date {
                date: after.original_date,
                cancelled: after.status == OccurrenceStatus::Cancelled,
            }
        } else {
            Calendar::None
        };
        self.render(
            DATE_CHANGE_MAIL,
            &on_that_date,
            to,
            (
                text(MailText::DateChangedSubject { title, date: &date }),
                lead,
                None,
            ),
            calendar,
            now,
        )
    }

    /// A mail of `kind` about `event` with its own subject, lead and action, framed like every
    /// other mail (for mails whose words the flow puts together, e.g. an agenda reminder).
    pub fn notice(
        self,
        kind: &str,
        event: &Event,
        to: &Recipient<'_>,
        parts: (String, String, Option<(String, String)>),
        now: DateTime<Utc>,
    ) -> OutgoingMail {
        self.render(kind, event, to, parts, Calendar::None, now)
    }

    /// An organizer's message to the people of an event, framed like every other mail
    /// (greeting in the person's language, the event, no secret link).
    pub fn broadcast(
        self,
        event: &Event,
        to: &Recipient<'_>,
        subject: &str,
        message: &str,
        now: DateTime<Utc>,
    ) -> OutgoingMail {
        let subject = format!("[{}] {subject}", event.title);
        self.render(
            "broadcast",
            event,
            to,
            (subject, message.to_owned(), None),
            Calendar::None,
            now,
        )
    }
}

/// The content id of a ticket's QR code in a mail (`<img src="cid:ticket">`).
pub const TICKET_IMAGE: &str = "ticket";

/// How large a mail shows a ticket's QR code, in CSS pixels.
pub const TICKET_PIXELS: u32 = 200;

/// Subject, lead paragraph(s), and an optional call to action (label, URL).
type MailParts = (String, String, Option<(String, String)>);

/// Whether a mail carries the event as a calendar file, and as what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Calendar {
    None,
    Attached,
    /// The same entry (same UID), marked cancelled.
    Cancelled,
    /// The entry of one date of a series (its own UID, as in the feeds), cancelled or not.
    Date {
        date: chrono::NaiveDate,
        cancelled: bool,
    },
}

/// The kind of the mail that tells of one changed date of a series.
pub const DATE_CHANGE_MAIL: &str = "date_changed";

impl Composer<'_> {
    fn render(
        self,
        kind: &str,
        event: &Event,
        to: &Recipient<'_>,
        (subject, lead, action): MailParts,
        calendar: Calendar,
        now: DateTime<Utc>,
    ) -> OutgoingMail {
        let base_url = self.base_url;
        let text = |text: MailText<'_>| self.texts.text(to.lang, text);
        let when = format_span(event.starts_at, event.ends_at, event.time_zone, to.lang);
        // A link for registrants only goes to those it is for.
        let online = event.online_url_for(to.status);
        let place = event
            .venue
            .clone()
            .or_else(|| online.map(str::to_owned))
            .unwrap_or_default();
        let online_line = online
            .filter(|_| event.venue.is_some())
            .map(|url| (text(MailText::JoinOnline), url.to_owned()));
        let title = event.title.clone();
        let manage_url = to.token.map(|t| format!("{base_url}{}", manage_href(t)));
        let event_url = format!("{base_url}{}", event_href(event.slug.as_str()));
        let hello = text(MailText::Hello { name: to.name });
        let personal = text(MailText::Personal);

        let manage_line = manage_url
            .as_ref()
            .map(|url| (text(MailText::Manage), url.clone()));
        let mut text = format!("{hello}\n\n{lead}\n\n{title}\n{when}\n");
        if !place.is_empty() {
            text.push_str(&format!("{place}\n"));
        }
        if let Some((label, url)) = &online_line {
            text.push_str(&format!("{label} {url}\n"));
        }
        text.push_str(&format!("{event_url}\n"));
        if let Some((label, url)) = &action {
            text.push_str(&format!("\n{label}: {url}\n"));
        }
        if let Some((label, url)) = &manage_line {
            text.push_str(&format!("\n{label}\n{url}\n"));
        }
        // Only a mail with a link of the person's own warns them to keep it to themselves.
        let carries_link = action.is_some() || manage_line.is_some();
        if carries_link {
            text.push_str(&format!("\n{personal}\n"));
        }

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
        if let Some((label, url)) = &online_line {
            html.push_str(&format!(
                "<br>{} <a href=\"{1}\">{1}</a>",
                escape(label),
                escape(url)
            ));
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
        if carries_link {
            html.push_str(&format!("<p>{}</p>", escape(&personal)));
        }
        html.push_str("</body></html>");

        // Each date of a series has its own entry (its own UID, as in the feeds, and in the mail
        // when one date changes); one entry for the whole series would sit beside those.
        let calendar = match calendar {
            Calendar::Attached | Calendar::Cancelled if event.is_series() => Calendar::None,
            other => other,
        };
        let ics = (calendar != Calendar::None).then(|| {
            let (date, cancelled) = match calendar {
                Calendar::Date { date, cancelled } => (Some(date), cancelled),
                other => (None, other == Calendar::Cancelled),
            };
            let entry = CalendarEntry {
                uid: event.calendar.uid(event.id, date),
                sequence: event.calendar.sequence,
                last_modified: event.calendar.updated_at,
                summary: title.clone(),
                description: match &online_line {
                    Some((label, url)) => {
                        format!("{}\n\n{label} {url}\n\n{event_url}", event.summary)
                    }
                    None => format!("{}\n\n{event_url}", event.summary),
                },
                location: (!place.is_empty()).then(|| place.clone()),
                url: event_url.clone(),
                starts_at: event.starts_at,
                ends_at: event.ends_at,
                cancelled,
            };
            render_calendar(&title, &[entry], now)
        });

        OutgoingMail {
            kind: kind.to_owned(),
            registration_id: Some(to.registration_id),
            recipient: to.email.to_owned(),
            subject,
            body_text: text,
            body_html: html,
            ics,
            ticket: None,
        }
    }
}
