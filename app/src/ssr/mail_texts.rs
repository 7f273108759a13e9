//! The mails' words from the site's one catalogue (`locales/*.json`, key `mail`), handed to the
//! services that compose the mails.

use domain::Lang;
use service::{MailText, MailTexts};

use super::views::locale_of;
use crate::i18n::*;

/// The catalogue of the pages, serving the mails' texts.
#[derive(Debug, Clone, Copy, Default)]
pub struct Catalogue;

impl MailTexts for Catalogue {
    fn text(&self, lang: Lang, text: MailText<'_>) -> String {
        let locale = locale_of(lang);
        match text {
            MailText::Hello { name } => td_string!(locale, mail.hello, name).to_string(),
            MailText::Manage => td_string!(locale, mail.manage).to_string(),
            MailText::Privacy { days } => td_string!(locale, mail.privacy, days).to_string(),
            MailText::Personal => td_string!(locale, mail.personal).to_string(),
            MailText::ConfirmSubject { title } => {
                td_string!(locale, mail.confirm_subject, title).to_string()
            }
            MailText::ConfirmLead { title, hours } => {
                td_string!(locale, mail.confirm_lead, title, hours).to_string()
            }
            MailText::ConfirmAction => td_string!(locale, mail.confirm_action).to_string(),
            MailText::WaitlistedSubject { title, position } => {
                td_string!(locale, mail.waitlisted_subject, title, position).to_string()
            }
            MailText::WaitlistedLead { title, position } => {
                td_string!(locale, mail.waitlisted_lead, title, position).to_string()
            }
            MailText::ConfirmedSubject { title } => {
                td_string!(locale, mail.confirmed_subject, title).to_string()
            }
            MailText::ConfirmedLead { title } => {
                td_string!(locale, mail.confirmed_lead, title).to_string()
            }
            MailText::PromotedSubject { title } => {
                td_string!(locale, mail.promoted_subject, title).to_string()
            }
            MailText::PromotedLead { title } => {
                td_string!(locale, mail.promoted_lead, title).to_string()
            }
            MailText::ResentSubject { title } => {
                td_string!(locale, mail.resent_subject, title).to_string()
            }
            MailText::ResentLead { title } => {
                td_string!(locale, mail.resent_lead, title).to_string()
            }
            MailText::NewLinkLead { title } => {
                td_string!(locale, mail.new_link_lead, title).to_string()
            }
            MailText::AddressSubject { title } => {
                td_string!(locale, mail.address_subject, title).to_string()
            }
            MailText::AddressLead { title } => {
                td_string!(locale, mail.address_lead, title).to_string()
            }
            MailText::AddressAction => td_string!(locale, mail.address_action).to_string(),
            MailText::AddressChangedSubject { title } => {
                td_string!(locale, mail.address_changed_subject, title).to_string()
            }
            MailText::AddressChangedLead { title } => {
                td_string!(locale, mail.address_changed_lead, title).to_string()
            }
            MailText::ErasedSubject { title } => {
                td_string!(locale, mail.erased_subject, title).to_string()
            }
            MailText::ErasedLead { title } => {
                td_string!(locale, mail.erased_lead, title).to_string()
            }
            MailText::CancelledSubject { title } => {
                td_string!(locale, mail.cancelled_subject, title).to_string()
            }
            MailText::CancelledLead { title } => {
                td_string!(locale, mail.cancelled_lead, title).to_string()
            }
            MailText::ExpiredSubject { title } => {
                td_string!(locale, mail.expired_subject, title).to_string()
            }
            MailText::ExpiredLead { title } => {
                td_string!(locale, mail.expired_lead, title).to_string()
            }
            MailText::ReminderSubject { title } => {
                td_string!(locale, mail.reminder_subject, title).to_string()
            }
            MailText::ReminderLead { title } => {
                td_string!(locale, mail.reminder_lead, title).to_string()
            }
            MailText::EventCancelledSubject { title } => {
                td_string!(locale, mail.event_cancelled_subject, title).to_string()
            }
            MailText::EventCancelledLead { title } => {
                td_string!(locale, mail.event_cancelled_lead, title).to_string()
            }
            MailText::EventChangedSubject { title } => {
                td_string!(locale, mail.event_changed_subject, title).to_string()
            }
            MailText::EventChangedLead { title } => {
                td_string!(locale, mail.event_changed_lead, title).to_string()
            }
            MailText::ChangedWhen { before, after } => {
                td_string!(locale, mail.changed_when, before, after).to_string()
            }
            MailText::ChangedWhere { before, after } => {
                td_string!(locale, mail.changed_where, before, after).to_string()
            }
            MailText::ChangedOnline { before, after } => {
                td_string!(locale, mail.changed_online, before, after).to_string()
            }
            MailText::NotSet => td_string!(locale, mail.not_set).to_string(),
            MailText::JoinOnline => td_string!(locale, feed.join_online).to_string(),
            MailText::Ticket { code } => td_string!(locale, mail.ticket, code).to_string(),
            MailText::NoticePublished { title, when } => {
                td_string!(locale, mail.notice_published, title, when).to_string()
            }
            MailText::NoticeChanged { title, what, when } => {
                td_string!(locale, mail.notice_changed, title, what, when).to_string()
            }
            MailText::NoticeCancelled { title, when } => {
                td_string!(locale, mail.notice_cancelled, title, when).to_string()
            }
            MailText::NoticeDateCancelled { title, date } => {
                td_string!(locale, mail.notice_date_cancelled, title, date).to_string()
            }
            MailText::NoticeDateMoved { title, date, when } => {
                td_string!(locale, mail.notice_date_moved, title, date, when).to_string()
            }
            MailText::NoticeRegistrationOpened { title, when } => {
                td_string!(locale, mail.notice_registration_opened, title, when).to_string()
            }
            MailText::NoticeSeatsFree { title, count } => {
                td_string!(locale, mail.notice_seats_free, title, count).to_string()
            }
            MailText::NoticeTopicProposed { title, topic } => {
                td_string!(locale, mail.notice_topic_proposed, title, topic).to_string()
            }
            MailText::NoticePart(part) => match part {
                domain::matrix::ChangedPart::Times => td_string!(locale, mail.notice_part_times),
                domain::matrix::ChangedPart::Venue => td_string!(locale, mail.notice_part_venue),
                domain::matrix::ChangedPart::OnlineLink => {
                    td_string!(locale, mail.notice_part_link)
                }
            }
            .to_string(),
            MailText::AgendaReminderSubject { team, date } => {
                td_string!(locale, mail.agenda_reminder_subject, team, date).to_string()
            }
            MailText::AgendaReminderLead { team, title, date } => {
                td_string!(locale, mail.agenda_reminder_lead, team, title, date).to_string()
            }
            MailText::AgendaReminderAction => {
                td_string!(locale, mail.agenda_reminder_action).to_string()
            }
            MailText::DateChangedSubject { title, date } => {
                td_string!(locale, mail.date_changed_subject, title, date).to_string()
            }
            MailText::DateChangedLead { title, date } => {
                td_string!(locale, mail.date_changed_lead, title, date).to_string()
            }
            MailText::DateCancelled { when } => {
                td_string!(locale, mail.date_cancelled, when).to_string()
            }
            MailText::DateRestored { when } => {
                td_string!(locale, mail.date_restored, when).to_string()
            }
            MailText::OfferedSubject { title } => {
                td_string!(locale, mail.offered_subject, title).to_string()
            }
            MailText::OfferedLead { title, until } => {
                td_string!(locale, mail.offered_lead, title, until).to_string()
            }
            MailText::OfferAction => td_string!(locale, mail.offer_action).to_string(),
            MailText::OfferLapsedSubject { title } => {
                td_string!(locale, mail.offer_lapsed_subject, title).to_string()
            }
            MailText::OfferLapsedLead { title } => {
                td_string!(locale, mail.offer_lapsed_lead, title).to_string()
            }
            MailText::WaitlistClosedSubject { title } => {
                td_string!(locale, mail.waitlist_closed_subject, title).to_string()
            }
            MailText::WaitlistClosedLead { title } => {
                td_string!(locale, mail.waitlist_closed_lead, title).to_string()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Duration, Utc};
    use domain::{Event, EventKind, EventSlug, Lang, RegistrationSettings};
    use service::mail::{Composer, MailKind, Recipient};

    use super::Catalogue;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .expect("instant")
    }

    fn event() -> Event {
        Event {
            id: 7,
            slug: EventSlug::parse("hack").expect("slug"),
            title: "Hack <b>&</b> Talk".to_owned(),
            kind: EventKind::Hackathon,
            summary: "Two days".to_owned(),
            description_md: String::new(),
            starts_at: at("2026-12-10T08:00:00Z"),
            ends_at: at("2026-12-10T16:00:00Z"),
            time_zone: domain::event::parse_time_zone("Europe/Berlin").expect("zone"),
            venue: Some("Dresden".to_owned()),
            online_url: None,
            online_access: domain::event::OnlineAccess::Public,
            host: None,
            external_url: None,
            recurrence: None,
            published: true,
            registration: Some(RegistrationSettings {
                capacity: Some(10),
                waitlist: true,
                opens_at: None,
                closes_at: None,
                confirmation_window: Duration::hours(24),
                offer_window: None,
                last_promotion_at: None,
            }),
            questions: Vec::new(),
            topics: None,
            cancelled_at: None,
            reminded_at: None,
            calendar: domain::event::CalendarStamp::default(),
        }
    }

    fn composer() -> Composer<'static> {
        Composer {
            texts: &Catalogue,
            base_url: "https://events.example.org",
            retention_days: 90,
        }
    }

    fn to(lang: Lang, token: Option<&str>) -> Recipient<'_> {
        Recipient {
            registration_id: 3,
            name: "Ada <script>",
            email: "ada@example.org",
            token,
            lang,
            status: domain::RegistrationStatus::Confirmed,
            ticket: Some("01Z0Z8JNV4"),
        }
    }

    #[test]
    fn a_confirmation_mail_speaks_the_persons_language_and_links_absolutely() {
        let now = at("2026-12-01T09:00:00Z");
        let mail = composer().compose(
            MailKind::ConfirmEmail,
            &event(),
            &to(Lang::De, Some("secret")),
            now,
        );
        assert_eq!(mail.kind, "confirm_email");
        assert_eq!(mail.recipient, "ada@example.org");
        assert_eq!(mail.registration_id, Some(3));
        assert!(
            mail.subject.contains("Hack <b>&</b> Talk"),
            "{}",
            mail.subject
        );
        assert!(
            mail.body_text.starts_with("Hallo Ada <script>,"),
            "{}",
            mail.body_text
        );
        assert!(
            mail.body_text.contains("24 Stunden"),
            "the event's window: {}",
            mail.body_text
        );
        assert!(
            mail.body_text
                .contains("https://events.example.org/r/secret/confirm")
        );
        assert!(
            mail.body_text
                .contains("https://events.example.org/events/hack")
        );
        assert!(mail.body_text.contains("Dresden"));
        assert!(
            mail.ics.is_none(),
            "no calendar before the seat is confirmed"
        );
        assert!(mail.body_html.contains("<html lang=\"de\">"));
        assert!(
            mail.body_html
                .contains("Hack &lt;b&gt;&amp;&lt;/b&gt; Talk")
        );
        assert!(mail.body_html.contains("Ada &lt;script&gt;"));
        assert!(!mail.body_html.contains("<script>") && !mail.body_html.contains("<b>&"));
    }

    #[test]
    fn the_mails_that_give_a_seat_carry_the_ticket_and_the_others_do_not() {
        let now = at("2026-12-01T09:00:00Z");
        for kind in [MailKind::Confirmed, MailKind::Promoted, MailKind::Reminder] {
            let mail = composer().compose(kind, &event(), &to(Lang::De, None), now);
            assert_eq!(
                mail.ticket.as_deref(),
                Some("https://events.example.org/admin/tickets/01Z0Z8JNV4"),
                "{kind:?}"
            );
            assert!(mail.body_text.contains("01Z0Z-8JNV4"), "{}", mail.body_text);
            assert!(
                mail.body_html.contains(
                    "<img src=\"cid:ticket\" width=\"200\" height=\"200\" alt=\"01Z0Z-8JNV4\">"
                ),
                "{}",
                mail.body_html
            );
            assert!(mail.body_html.ends_with("</p></body></html>"));
        }
        for kind in [
            MailKind::ConfirmEmail,
            MailKind::Waitlisted { position: 2 },
            MailKind::Cancelled,
        ] {
            let mail = composer().compose(kind, &event(), &to(Lang::En, None), now);
            assert_eq!(mail.ticket, None, "{kind:?}");
            assert!(!mail.body_text.contains("01Z0Z-8JNV4"), "{kind:?}");
        }
    }

    #[test]
    fn a_seat_in_a_series_brings_no_entry_that_would_sit_beside_its_dates() {
        let now = at("2026-12-01T09:00:00Z");
        let series = Event {
            recurrence: Some("FREQ=WEEKLY;BYDAY=TH".parse().expect("a rule")),
            ..event()
        };
        for kind in [MailKind::Confirmed, MailKind::Promoted] {
            let mail = composer().compose(kind, &series, &to(Lang::En, None), now);
            assert_eq!(mail.ics, None, "{kind:?}");
        }
        let cancelled = composer().event_cancelled(&series, &to(Lang::En, None), None, now);
        assert_eq!(cancelled.ics, None);
        let single = composer().compose(MailKind::Confirmed, &event(), &to(Lang::En, None), now);
        assert!(single.ics.is_some(), "a single event keeps its entry");
    }

    #[test]
    fn a_confirmed_seat_brings_the_calendar_entry_stamped_with_the_time_of_writing() {
        let now = at("2026-12-01T09:00:00Z");
        let mail = composer().compose(MailKind::Confirmed, &event(), &to(Lang::En, None), now);
        assert!(
            mail.subject.starts_with("You are confirmed for"),
            "{}",
            mail.subject
        );
        assert!(
            !mail.body_text.contains("/r/"),
            "no manage link without a token"
        );
        let ics = mail.ics.expect("calendar attached");
        // The UID comes from the event's id and creation, never its address or the site's URL.
        assert!(
            ics.contains("UID:event-7-19700101T000000Z@convene"),
            "{ics}"
        );
        assert!(ics.contains("SEQUENCE:0"), "{ics}");
        assert!(ics.contains("DTSTAMP:20261201T090000Z"), "{ics}");
        assert!(!ics.contains("STATUS:CANCELLED"));

        let cancelled =
            composer().event_cancelled(&event(), &to(Lang::En, None), Some("Sorry!"), now);
        assert!(cancelled.body_text.contains("Sorry!"));
        let ics = cancelled.ics.expect("cancelled entry");
        assert!(ics.contains("STATUS:CANCELLED"), "{ics}");
    }

    #[test]
    fn a_broadcast_keeps_the_organizers_words_and_escapes_them_in_html() {
        let now = at("2026-12-01T09:00:00Z");
        let mail = composer().broadcast(
            &event(),
            &to(Lang::En, None),
            "Room change",
            "We meet in <room 2>.",
            now,
        );
        assert_eq!(mail.subject, "[Hack <b>&</b> Talk] Room change");
        assert!(mail.body_text.contains("We meet in <room 2>."));
        assert!(mail.body_html.contains("We meet in &lt;room 2&gt;."));
        assert!(mail.ics.is_none());
    }
}
