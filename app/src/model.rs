//! What the server sends the pages: view models built from domain values, serialisable so they
//! travel inside the HTML for hydration and over server-function calls.

use chrono::{DateTime, Utc};
use domain::{EventKind, OccurrenceStatus};
use serde::{Deserialize, Serialize};

/// One line of an agenda: a single event or one occurrence of a series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgendaItem {
    /// The address of the event (or series) it belongs to.
    pub slug: String,
    pub href: String,
    pub title: String,
    pub kind: EventKind,
    pub summary: String,
    /// The day heading it is listed under, in the event's time zone.
    pub day: String,
    /// The time of day in the event's time zone, e.g. `15:05–16:00 CEST`.
    pub time: String,
    pub starts_at: DateTime<Utc>,
    pub time_zone: String,
    pub place: Option<String>,
    pub online: bool,
    pub status: OccurrenceStatus,
    /// Where its registration stands, for an event that takes registrations.
    pub registration: Option<RegistrationInfo>,
}

/// Everything the page of one event or series shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventView {
    pub slug: String,
    pub title: String,
    pub kind: EventKind,
    pub summary: String,
    pub description_html: String,
    pub when: String,
    pub starts_at: DateTime<Utc>,
    pub time_zone: String,
    pub venue: Option<String>,
    pub online_url: Option<String>,
    pub host: Option<String>,
    pub external_url: Option<String>,
    /// In words, e.g. `Every Thursday, 15:05–16:00 (Europe/Berlin)`; `None` for a single event.
    pub recurrence: Option<String>,
    pub upcoming: Vec<OccurrenceLink>,
    pub past_with_notes: Vec<OccurrenceLink>,
    pub past: bool,
    /// How to register, when the event takes registrations.
    pub registration: Option<RegistrationInfo>,
    /// Whether the event collects topics (it has a topic board).
    pub topics: bool,
    /// Whether organizers called the whole event off.
    pub cancelled: bool,
    /// Subscribing to the event's feed, and adding a single event as a copy.
    pub calendar: CalendarLinks,
    /// What a link to the page shows where it is pasted.
    pub preview: LinkPreview,
}

/// A page's OpenGraph values and schema.org JSON-LD (`domain::preview`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkPreview {
    /// The page's absolute address.
    pub url: String,
    /// The JSON-LD text, safe inside a `<script>` element.
    pub json_ld: String,
}

/// How to put an event into one's calendar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalendarLinks {
    /// The event's feed (`/events/{slug}/event.ics`): follows every change.
    pub feed: domain::subscribe::FeedLinks,
    /// "Add to Google Calendar / Outlook" for a single event that is still ahead.
    pub add: Option<domain::subscribe::AddLinks>,
}

/// The site's feeds: every event, and the events of each kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteFeeds {
    pub all: domain::subscribe::FeedLinks,
    pub kinds: Vec<(EventKind, domain::subscribe::FeedLinks)>,
}

/// The state of an event's registration, for visitors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegistrationInfo {
    /// Whether the form takes registrations now.
    pub open: bool,
    pub seats: SeatState,
    /// Whether a new registration would go to the waitlist.
    pub waitlist_only: bool,
}

/// Where seats stand, as the page says it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SeatState {
    NotOffered,
    /// Registration opens then (already formatted in the reader's language).
    NotYetOpen(String),
    Closed,
    SeatsLeft {
        free: u32,
        capacity: u32,
    },
    FullWithWaitlist {
        waiting: u32,
    },
    Full,
    /// Unlimited capacity.
    Open,
}

/// A field of the registration form as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionField {
    pub key: String,
    /// In the reader's language (or English where the organizer gave no translation).
    pub label: String,
    pub hint: Option<String>,
    pub required: bool,
    pub kind: domain::QuestionKind,
    pub options: Vec<String>,
}

/// What a person sent and what was wrong with it, to show the form again without JavaScript.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Submission {
    /// Field name to the value sent.
    pub values: std::collections::BTreeMap<String, String>,
    /// One problem per field, in form order.
    pub errors: Vec<domain::FieldError>,
    /// Why the whole form was refused.
    pub failure: Option<domain::RegisterError>,
}

impl Submission {
    pub fn value(&self, field: &str) -> String {
        self.values.get(field).cloned().unwrap_or_default()
    }

    pub fn error(&self, field: &str) -> Option<&domain::FieldError> {
        self.errors.iter().find(|e| e.field.key() == field)
    }
}

/// What a registration form submission led to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FormReply {
    /// Registered (or already registered): the page that says what happened, and the address
    /// the mail went to (the page shows it from a short-lived cookie, never from its URL).
    Done { location: String, sent_to: String },
    /// The form again, with its problems (`failure` says why, and so its HTTP status).
    Rejected(Submission),
}

/// The page after registering: what happened, where the mail went and until when a seat is
/// held, with "send the mail again".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegisteredView {
    pub event_slug: String,
    pub outcome: Registered,
    /// The address the mail went to, when this browser registered it within the hour.
    pub sent_to: Option<String>,
    /// Until when the seat is held, in the event's zone.
    pub hold_until: Option<String>,
    /// What "send the mail again" just did.
    pub again: Option<SentAgainNotice>,
}

/// The words of the address of the page after registering (`?status=&position=&until=&again=
/// &at=`), as they came: anyone can write them, so each is parsed and anything else ignored.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisteredQuery {
    pub status: Option<String>,
    pub position: Option<String>,
    pub until: Option<String>,
    pub again: Option<String>,
    pub at: Option<String>,
}

/// What registering did, as the page's address says (`?status=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Registered {
    SeatHeld,
    Waitlisted { position: Option<u32> },
    Already,
}

/// What "send the mail again" did (`?again=`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SentAgainNotice {
    Sent,
    /// A mail went out a short while ago; the next may go at this time (event's zone).
    TooSoon {
        at: String,
    },
    NotRegistered,
    /// The page no longer knows the address (an hour passed, or cookies are off).
    AddressUnknown,
    /// Too many requests from here or for this address.
    Limited,
}

/// The registration page of an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegisterView {
    pub slug: domain::EventSlug,
    pub title: String,
    pub when: String,
    pub place: Option<String>,
    pub registration: RegistrationInfo,
    pub questions: Vec<QuestionField>,
    /// Days after the event when the personal data is erased (the consent says so).
    pub retention_days: i64,
    pub submission: Option<Submission>,
}

/// What a secret link an organizer replaced with a newer one leads to: the event, so that the
/// holder knows which mail to look for (or where to register again to get the newest link).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplacedLinkView {
    pub event_title: String,
    pub event_slug: String,
}

/// What the holder of a manage link sees.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManageView {
    pub token: String,
    pub event_slug: String,
    pub event_title: String,
    pub when: String,
    /// When the event starts and in which zone (for the visitor's own time beside `when`).
    pub starts_at: chrono::DateTime<chrono::Utc>,
    pub time_zone: String,
    pub place: Option<String>,
    /// The online link, where this registration may see it.
    pub online_url: Option<String>,
    pub name: String,
    pub email: String,
    pub organisation: Option<String>,
    pub status: domain::RegistrationStatus,
    pub waitlist_position: Option<u32>,
    /// When a held seat is released if the address is not confirmed.
    pub hold_expires: Option<String>,
    /// Whether the address still needs confirming: a held seat, or a place on the waitlist
    /// (votes on topics count only with a confirmed address).
    pub confirmable: bool,
    pub answers: Vec<(String, String)>,
    /// Whether the event collects topics (the holder may propose and vote).
    pub topics: bool,
    /// A message about what just happened (confirmed, cancelled, or why a link did not work).
    pub notice: Option<Notice>,
    /// The ticket for the door, once the seat is confirmed.
    pub ticket: Option<TicketView>,
}

/// A ticket as its holder sees it: the QR code the door scans, and its code to tell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketView {
    /// The check-in code as people read it (`K7QX3-MPD9R`).
    pub code: String,
    /// The QR code (an SVG made on the server from nothing but the code and the site's address).
    pub svg: String,
}

/// The topic board of an event, as anyone sees it, plus what the holder of a registration link
/// may do on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicBoard {
    pub event_slug: String,
    pub event_title: String,
    pub when: String,
    /// Whether new proposals are taken now.
    pub proposals_open: bool,
    /// When proposals close, if a date is set (in the reader's language).
    pub proposals_close: Option<String>,
    /// In board order: accepted, proposed, merged, hidden.
    pub topics: Vec<TopicCard>,
    /// Present on the board reached through a registration's secret link.
    pub viewer: Option<TopicViewer>,
    pub notice: Option<Notice>,
    /// A rejected proposal, to show again with its problems.
    pub submission: Option<Submission>,
}

impl TopicBoard {
    /// The link of a viewer whose registration stands: only they vote and propose.
    pub fn voting_token(&self) -> Option<String> {
        self.viewer
            .as_ref()
            .filter(|viewer| viewer.ended.is_none())
            .map(|viewer| viewer.token.clone())
    }
}

/// One topic on the board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicCard {
    pub id: i64,
    pub status: domain::TopicStatus,
    /// Empty for hidden topics: their content is not shown.
    pub title: String,
    pub description_html: String,
    pub shown_as: String,
    pub votes: u32,
    /// The topic this one was merged into: (id, title).
    pub merged_into: Option<(i64, String)>,
    pub hidden_reason: Option<String>,
    /// The viewer voted for it.
    pub voted: bool,
    /// The viewer proposed it and may still edit or withdraw it.
    pub editable: bool,
}

/// The person looking at the board through their registration link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicViewer {
    pub token: String,
    pub name: String,
    /// Why the board is read-only for them: their registration was cancelled or expired.
    pub ended: Option<domain::RegistrationStatus>,
    /// How many more topics they may propose, when the event sets a cap.
    pub proposals_left: Option<u32>,
}

/// The edit form of one's own topic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopicEditView {
    pub token: String,
    pub event_slug: String,
    pub event_title: String,
    pub topic_id: i64,
    pub title: String,
    pub description: String,
    pub shown_as: String,
    /// `false` once organizers acted on the topic: the page only says so.
    pub editable: bool,
    pub submission: Option<Submission>,
    pub notice: Option<Notice>,
}

/// A link to one occurrence of a series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OccurrenceLink {
    pub href: String,
    pub when: String,
    pub status: OccurrenceStatus,
    pub has_notes: bool,
}

/// The page of one occurrence of a series, with its own notes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OccurrenceView {
    pub series_slug: String,
    pub series_title: String,
    pub kind: EventKind,
    pub date: String,
    pub when: String,
    pub starts_at: DateTime<Utc>,
    pub time_zone: String,
    pub status: OccurrenceStatus,
    pub venue: Option<String>,
    pub online_url: Option<String>,
    pub notes_html: Option<String>,
    pub series_summary: String,
    /// The date is over (its join link is gone).
    pub past: bool,
    /// The dates of the series before and after this one.
    pub previous: Option<OccurrenceLink>,
    pub next: Option<OccurrenceLink>,
    /// The call's agenda, when the series has one.
    pub agenda: Option<CallAgendaView>,
    /// What a link to the page shows where it is pasted.
    pub preview: LinkPreview,
}

/// One call's agenda as the call page shows it: sections in order, and where to get it as
/// slides.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallAgendaView {
    pub sections: Vec<AgendaSectionView>,
    pub slides_href: String,
    pub present_href: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgendaSectionView {
    pub id: i64,
    pub title: String,
    pub kind: domain::call::SectionKind,
    pub items: Vec<AgendaItemView>,
    /// The generated section's events elsewhere after the call.
    pub elsewhere: Vec<UpcomingEntryView>,
    /// The generated section's open registrations and topic collections.
    pub open: Vec<UpcomingEntryView>,
}

/// One item of a call's agenda: as written, and rendered (sanitised).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgendaItemView {
    pub id: i64,
    pub body_md: String,
    pub html: String,
}

/// An event the generated section lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpcomingEntryView {
    pub event_id: i64,
    pub title: String,
    pub href: String,
    pub days: String,
    pub venue: Option<String>,
    pub summary: String,
    pub register_href: Option<String>,
    pub topics_href: Option<String>,
}

/// The present view of one call: the deck's slides, rendered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PresentView {
    pub title: String,
    pub date: String,
    pub call_href: String,
    /// Sanitised HTML of each slide, and whether it begins a section.
    pub slides: Vec<(String, bool)>,
}

/// A team's page behind its contributor link (or a named account's): the coming calls with
/// what the team wrote for each.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContributionView {
    pub team: String,
    pub series_title: String,
    /// Where the page's forms post: the contributor link's path or the section's admin path.
    pub base: String,
    pub calls: Vec<ContributionCall>,
    pub notice: Option<AgendaNotice>,
    pub submission: Option<Submission>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContributionCall {
    pub date: chrono::NaiveDate,
    pub day: String,
    pub when: String,
    pub call_href: String,
    pub items: Vec<AgendaItemView>,
    /// The call before had items in this section.
    pub can_carry: bool,
}

/// The organizers' page of a series' agenda sections.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminAgendaView {
    pub slug: String,
    pub title: String,
    pub sections: Vec<AdminSectionView>,
    /// Meeting series that have no section yet (id, title).
    pub teams: Vec<(i64, String)>,
    /// Organizer accounts that can be named for a section (id, e-mail).
    pub accounts: Vec<(i64, String)>,
    /// The coming calls: (date, day, admin page of that call).
    pub calls: Vec<(chrono::NaiveDate, String, String)>,
    /// A contributor link just made, shown once: (section id, full URL).
    pub issued_link: Option<(i64, String)>,
    pub notice: Option<AgendaNotice>,
    pub submission: Option<Submission>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminSectionView {
    pub id: i64,
    pub title: String,
    pub kind: domain::call::SectionKind,
    pub has_link: bool,
    pub contributor_ids: Vec<i64>,
    pub contributors: Vec<String>,
}

/// The organizers' page of one call: the sections the account writes, and the generated
/// section's entries to leave out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminCallView {
    pub slug: String,
    pub title: String,
    pub date: chrono::NaiveDate,
    pub day: String,
    pub call_href: String,
    pub slides_href: String,
    pub present_href: String,
    /// One editor per section the account writes.
    pub sections: Vec<ContributionView>,
    /// The generated section's entries: (entry, hidden).
    pub entries: Vec<(UpcomingEntryView, bool)>,
    pub notice: Option<AgendaNotice>,
    pub submission: Option<Submission>,
}

pub use crate::notice::{AdminNotice, AgendaNotice, Notice, TopicNotice};
pub use domain::paths::*;

/// The organizer a page is shown to: the admin bar and what each page offers follow the role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub email: String,
    pub role: domain::admin::Role,
}

impl Me {
    /// Whether the role includes the organizers' pages under `path`'s area.
    pub fn may(&self, path: &str) -> bool {
        self.role.may(domain::admin::AdminArea::of(path))
    }
}

/// `/admin`: every event, for the signed-in organizer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminHomeView {
    pub events: Vec<AdminEventItem>,
    pub me: Me,
    /// Why the page asked for was refused (a role that does not include it), or an action's
    /// notice.
    pub notice: Option<AdminNotice>,
}

/// `/admin/account`: one's own account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountView {
    pub me: Me,
    pub notice: Option<AdminNotice>,
    pub submission: Option<Submission>,
}

/// `/admin/audit`: sign-ins and account changes, and who looked at personal data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditView {
    /// Newest first.
    pub accounts: Vec<AccountLine>,
    /// Newest first.
    pub access: Vec<AccessLine>,
}

/// One sign-in, sign-out or change to an organizer account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountLine {
    pub at: String,
    /// Who did it (an address, or "system" for the command line).
    pub who: String,
    /// Whose account it concerns.
    pub whose: String,
    pub change: domain::audit::AccountChange,
}

/// An event in the organizers' list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminEventItem {
    pub slug: String,
    pub title: String,
    pub when: String,
    /// Not over yet: a single event that has not ended, or a series with dates ahead.
    pub upcoming: bool,
    pub published: bool,
    pub cancelled: bool,
    /// `None` when the event takes no registrations.
    pub seats: Option<AdminSeats>,
}

/// `/r/{token}/edit`: the person's details as they can correct them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorrectView {
    pub token: String,
    pub event_title: String,
    pub questions: Vec<QuestionField>,
    /// The details as stored, by form field (`name`, `organisation`, `notes`, `answers.{key}`).
    pub values: std::collections::BTreeMap<String, String>,
    /// A refused correction: the values sent and each field's problem.
    pub submission: Option<Submission>,
}

/// A requested change of address, as the page that confirms it shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AddressChangeView {
    pub event_title: String,
    pub email: String,
}

/// The privacy page's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrivacyView {
    /// Days after an event when its registrations' personal data is erased.
    pub retention_days: i64,
    /// Whom to write to about one's data (`CONVENE_PRIVACY_CONTACT`).
    pub contact: Option<String>,
    /// The tools (webhook endpoints) the organizers pass personal data to.
    pub shared_with: Vec<String>,
}

/// When the personal data of an event's registrations is erased.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErasureView {
    /// The day it is (or was) erased, formatted.
    pub at: String,
    /// Whether it was erased already.
    pub done: bool,
    /// The retention period in days.
    pub days: i64,
    /// The event is over and the data still there: an organizer may erase it now.
    pub can_erase_now: bool,
}

/// Seats against capacity, as organizers see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminSeats {
    pub capacity: Option<u32>,
    pub seats_taken: u32,
    /// Of the seats taken, those not confirmed yet: held for an address not confirmed yet, or
    /// offered from the waitlist and not accepted yet.
    pub unconfirmed: u32,
    pub waitlisted: u32,
    pub checked_in: u32,
    /// Seats held beyond a lowered capacity (nobody was cancelled for it).
    pub over_capacity: u32,
}

/// One registration in an organizer's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminPerson {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub organisation: Option<String>,
    pub status: domain::RegistrationStatus,
    pub waitlist_position: Option<u32>,
    pub checked_in: bool,
    pub registered: String,
    /// The personal data is erased: no name, no address.
    pub erased: bool,
    /// Until when a held or offered seat waits to be confirmed or accepted (formatted).
    pub held_until: Option<String>,
}

/// One line of an audit log, in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditLine {
    pub at: String,
    /// An organizer's e-mail, `registrant`, or `system`.
    pub actor: String,
    /// The action word as stored (`domain::audit::AuditAction`).
    pub action: String,
    pub detail: AuditDetail,
    /// The event's zone, in which the detail's instants are shown.
    pub time_zone: chrono_tz::Tz,
    /// The name of the person a settings change was for, looked up when the page is shown
    /// (the log keeps only the registration's id).
    pub person: Option<String>,
}

/// What an audit line says beyond its action, as data the page puts into words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AuditDetail {
    /// A registration's status change, with a note where there is one.
    Registration {
        from: Option<domain::RegistrationStatus>,
        to: Option<domain::RegistrationStatus>,
        note: Option<domain::audit::RegistrationNote>,
    },
    Event(domain::audit::EventChange),
    /// A line written before the log was typed: its English text as stored.
    Text(String),
}

/// `/admin/events/{slug}`: seats, capacity, registration, the lists, and the settings log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminEventView {
    pub slug: String,
    pub title: String,
    /// Unpublished, its public page is a preview for organizers.
    pub published: bool,
    /// Whether people register for it; without, the page holds its dates, links and log.
    pub registration: bool,
    pub series: bool,
    /// A series' next dates (cancelled and moved ones marked).
    pub dates: Vec<OccurrenceLink>,
    pub when: String,
    pub seats: AdminSeats,
    pub registration_open: bool,
    /// When the whole event was called off (formatted), if it was.
    pub cancelled: Option<String>,
    pub query: String,
    pub seated: Vec<AdminPerson>,
    /// Seats offered from the waitlist and not accepted yet (also among `seated`).
    pub offers: Vec<AdminPerson>,
    pub waiting: Vec<AdminPerson>,
    pub ended: Vec<AdminPerson>,
    /// What the registrations that stand answered, added up per question.
    pub answers: Vec<domain::answers::AnswerTotals>,
    /// Where the registrations stood at the end of each day, from the first one to today.
    pub curve: Vec<domain::curve::CurvePoint>,
    pub log: Vec<AuditLine>,
    /// When the personal data of the registrations is (or was) erased; `None` for a series.
    pub erasure: Option<ErasureView>,
    pub topics: bool,
    /// A series of community calls: its agenda's sections are set on a page of their own.
    pub agenda: bool,
    pub notice: Option<AdminNotice>,
    pub submission: Option<Submission>,
    /// A message the organizer is checking before it goes out.
    pub broadcast: Option<BroadcastPreview>,
}

/// A message an organizer is about to send, as they check it: what it says and whom it
/// reaches, by where they stand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BroadcastPreview {
    pub subject: String,
    pub message: String,
    pub seated: bool,
    pub waiting: bool,
    pub recipients: domain::admin::Recipients,
    /// Goes with the send button: a second post with it sends nothing more.
    pub key: String,
    /// A test just went to this address (the organizer's own).
    pub test_sent_to: Option<String>,
}

/// `/admin/events/{slug}/registrations/{id}`: one person, their answers and history, actions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminPersonView {
    pub event_id: i64,
    pub event_slug: String,
    pub event_title: String,
    pub person: AdminPerson,
    pub answers: Vec<(String, String)>,
    pub notes: Option<String>,
    pub history: Vec<AuditLine>,
    /// Waiting: an organizer may seat them out of order.
    pub can_promote: bool,
    pub notice: Option<AdminNotice>,
    pub submission: Option<Submission>,
}

/// `/admin/events/{slug}/check-in`: the seated people, for the door.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckInView {
    pub slug: String,
    pub title: String,
    pub arrived: u32,
    pub expected: u32,
    /// The search as typed, and whom the list shows.
    pub query: String,
    pub show: DoorFilter,
    /// The seated people the search and filter let through, sorted by name.
    pub people: Vec<DoorPerson>,
    /// Whom the notice is about, among all seated (the filter may hide them now).
    pub noticed: Option<DoorPerson>,
    pub notice: Option<AdminNotice>,
    /// Where "back" goes: the event's admin page, or the list of events for a role without it.
    pub back: String,
}

/// Someone holding a seat, as the door list shows them: no e-mail address (the door role sees
/// none, and checking people in needs none).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DoorPerson {
    pub id: i64,
    pub name: String,
    pub organisation: Option<String>,
    pub checked_in: bool,
    /// The personal data is erased: no name.
    pub erased: bool,
}

/// `/admin/events/{slug}/scan`: reading tickets at the door, made for a phone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanView {
    pub slug: String,
    pub title: String,
    pub arrived: u32,
    pub expected: u32,
    /// The ticket just read, if any.
    pub scanned: Option<ScanAnswer>,
    /// Where "back" goes: the event's admin page, or the list of events for a role without it.
    pub back: String,
    /// A refused code, with the problem next to the field.
    pub submission: Option<Submission>,
}

/// What the door is told about one ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanAnswer {
    /// The code as people read it (`K7QX3-MPD9R`).
    pub code: String,
    pub result: ScanShown,
    /// Whose ticket it is (none for another event's ticket or an unknown code).
    pub holder: Option<DoorPerson>,
}

/// The result in large type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScanShown {
    /// This scan checked the holder in.
    CheckedIn,
    /// Checked in before, at this time of day (in the event's zone).
    AlreadyCheckedIn(String),
    /// Holds a seat and has not arrived: the ticket was opened, not scanned (a phone's camera
    /// app opened its address), so the door confirms with a button.
    Seated,
    Waiting,
    NoLongerRegistered,
    OtherEvent,
    Unknown,
}

impl ScanShown {
    /// Whether the holder may come in.
    pub fn lets_in(&self) -> bool {
        matches!(
            self,
            ScanShown::CheckedIn | ScanShown::AlreadyCheckedIn(_) | ScanShown::Seated
        )
    }
}

/// Whom the door list shows (`?show=`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum DoorFilter {
    #[default]
    Everyone,
    /// Seated, not arrived yet.
    Expected,
    Arrived,
}

impl DoorFilter {
    pub const ALL: [DoorFilter; 3] = [
        DoorFilter::Everyone,
        DoorFilter::Expected,
        DoorFilter::Arrived,
    ];

    /// The word in the address; anything else is everyone.
    pub fn from_query(word: Option<&str>) -> DoorFilter {
        Self::ALL
            .into_iter()
            .find(|filter| Some(filter.as_str()) == word)
            .unwrap_or_default()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DoorFilter::Everyone => "all",
            DoorFilter::Expected => "expected",
            DoorFilter::Arrived => "arrived",
        }
    }

    pub fn lets_through(self, checked_in: bool) -> bool {
        match self {
            DoorFilter::Everyone => true,
            DoorFilter::Expected => !checked_in,
            DoorFilter::Arrived => checked_in,
        }
    }
}

/// `/admin/mail`: every mail and how it went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MailLogView {
    /// Newest first; a message to many people is one entry.
    pub entries: Vec<MailEntry>,
    pub filter: MailLogFilter,
    pub notice: Option<AdminNotice>,
}

/// What the mail log is filtered by (the words of its address), and the choices.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MailLogFilter {
    /// An event's address, a kind of mail, a status; empty for all.
    pub event: String,
    pub kind: String,
    pub status: String,
    /// Every event (address, title) and every kind of mail the log holds.
    pub events: Vec<(String, String)>,
    pub kinds: Vec<String>,
}

/// The statuses a mail can have, in the order a mail goes through them.
pub const MAIL_STATUSES: [&str; 4] = ["pending", "sending", "sent", "failed"];

/// One line of the mail log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum MailEntry {
    Mail(MailLine),
    /// An organizer's message: one line that opens its recipients.
    Broadcast(MailGroup),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MailGroup {
    pub subject: String,
    pub created: String,
    /// How many of its mails have each status, for the statuses it has (in [`MAIL_STATUSES`]
    /// order).
    pub statuses: Vec<(String, u32)>,
    pub mails: Vec<MailLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MailLine {
    pub id: i64,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created: String,
    pub retryable: bool,
}

/// `/admin/organizers`: who can sign in and with which role; add one, change a role, take
/// access away.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganizersView {
    pub organizers: Vec<OrganizerLine>,
    pub notice: Option<AdminNotice>,
    pub submission: Option<Submission>,
}

/// `/admin/webhooks` (admins): the endpoints other tools listen at, each with its recent
/// deliveries; add one, resume a paused one, remove one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhooksView {
    pub endpoints: Vec<WebhookLine>,
    /// The Matrix rooms notices go to (settings); empty when Matrix is off.
    pub matrix_rooms: Vec<String>,
    /// The most recent Matrix notices, newest first.
    pub matrix_deliveries: Vec<DeliveryLine>,
    pub notice: Option<AdminNotice>,
    pub submission: Option<Submission>,
}

/// One endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookLine {
    pub id: i64,
    pub url: String,
    pub description: String,
    /// The message types it takes (`event.created`, …).
    pub kinds: Vec<String>,
    /// The signing secret, for the receiver's configuration.
    pub secret: String,
    pub personal_data: bool,
    /// When it was paused (formatted); `None` while it is sent to.
    pub paused_since: Option<String>,
    /// Deliveries not sent yet.
    pub waiting: i64,
    /// The most recent deliveries, newest first.
    pub deliveries: Vec<DeliveryLine>,
}

/// One delivery in an endpoint's log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliveryLine {
    pub id: i64,
    /// The Matrix room it went to; `None` for a webhook endpoint's.
    pub room: Option<String>,
    pub kind: String,
    /// `pending`, `sending`, `sent` or `failed`.
    pub status: String,
    pub attempts: i64,
    /// The endpoint's last HTTP status.
    pub response_status: Option<i64>,
    pub last_error: Option<String>,
    /// When it was queued (formatted).
    pub created: String,
}

/// One look at personal data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessLine {
    pub at: String,
    pub who: String,
    pub access: domain::audit::Access,
    /// The title of the event it concerned, when it concerned one.
    pub event_title: Option<String>,
}

/// One organizer in the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganizerLine {
    pub id: i64,
    pub email: String,
    pub role: domain::admin::Role,
    /// When the account was made (formatted).
    pub since: String,
    /// The signed-in organizer.
    pub you: bool,
}

/// The admin page of an event.
pub fn admin_event_href(slug: &str) -> String {
    format!("/admin/events/{slug}")
}

/// The organizers' sign-in form, again after a refused attempt.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SignInView {
    pub submission: Option<Submission>,
    pub notice: Option<AdminNotice>,
    /// The identity provider's name, when organizers may sign in through it.
    pub single_sign_on: Option<String>,
    /// Whether organizers may sign in with a password.
    pub passwords: bool,
}

/// `/admin/events/{slug}/topics`: moderation of the topic board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminTopicsView {
    pub slug: String,
    pub title: String,
    /// In board order.
    pub topics: Vec<AdminTopic>,
    pub notice: Option<AdminNotice>,
    pub submission: Option<Submission>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminTopic {
    pub id: i64,
    pub status: domain::TopicStatus,
    pub title: String,
    pub shown_as: String,
    pub votes: u32,
    pub merged_into: Option<i64>,
    pub hidden_reason: Option<String>,
    pub agenda_position: Option<i64>,
}

/// `/admin/events/new` and `/admin/events/{slug}/edit`: the event form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventFormView {
    /// The event being edited; `None` for a new one.
    pub original_slug: Option<String>,
    /// The form's values, by field name.
    pub values: std::collections::BTreeMap<String, String>,
    /// Whether the capacity is set here (new events, or turning registration on).
    pub capacity_here: bool,
    pub has_registrations: bool,
    /// Whether the stored event is shown to visitors (a new one is not).
    pub published: bool,
    /// People with a seat, holding one, or waiting: whom cancelling the event would mail.
    pub active_registrations: u32,
    /// When the whole event was called off (formatted), if it was.
    pub cancelled: Option<String>,
    pub notice: Option<AdminNotice>,
    pub submission: Option<Submission>,
}
