//! Words for structured values (kinds, seat states, form problems, notices) in the reader's
//! language. Components call these; the strings themselves live in `locales/*.json`.

use domain::admin::AdminError;
use domain::audit::{
    Audience, AuditAction, EventChange, EventSnapshot, ItemChange, OccurrenceChange,
    RegistrationNote, SectionChange,
};
use domain::{
    EventKind, Field, FieldError, LinkError, Problem, RegisterError, RegistrationStatus,
    TopicError, TopicRefusal,
};
use leptos_i18n::I18nContext;

use crate::i18n::*;
use crate::model::{AdminNotice, AuditDetail, AuditLine, Notice, SeatState, TopicNotice};

type Ctx = I18nContext<Locale>;

pub fn kind_label(i18n: Ctx, kind: EventKind) -> String {
    match kind {
        EventKind::CommunityCall => t_string!(i18n, kind.community_call),
        EventKind::Hackathon => t_string!(i18n, kind.hackathon),
        EventKind::Meeting => t_string!(i18n, kind.meeting),
        EventKind::Conference => t_string!(i18n, kind.conference),
        EventKind::Summit => t_string!(i18n, kind.summit),
        EventKind::External => t_string!(i18n, kind.external),
    }
    .to_string()
}

pub fn seat_state(i18n: Ctx, seats: &SeatState) -> String {
    match seats {
        SeatState::NotOffered => t_string!(i18n, server.no_registration).to_string(),
        SeatState::NotYetOpen(when) => {
            let when = when.clone();
            t_string!(i18n, server.opens, when).to_string()
        }
        SeatState::Closed => t_string!(i18n, server.closed).to_string(),
        SeatState::SeatsLeft { free, capacity } => {
            let (free, capacity) = (*free, *capacity);
            t_string!(i18n, server.seats_left, free, capacity).to_string()
        }
        SeatState::FullWithWaitlist { waiting } => {
            let waiting = *waiting;
            t_string!(i18n, server.full_waitlist, waiting).to_string()
        }
        SeatState::Full => t_string!(i18n, server.full).to_string(),
        SeatState::Open => t_string!(i18n, server.open).to_string(),
    }
}

/// The message next to a form field.
/// The label of an organizer form's field as the form shows it, for the error summary's line
/// ("Start: This field is required."); `None` for fields whose messages name them already.
pub fn field_label(i18n: Ctx, field: &Field) -> Option<String> {
    let Field::Named(name) = field else {
        return None;
    };
    // A field of the question editor: which question, and which of its fields.
    if let Some((row, part)) = name
        .strip_prefix("question.")
        .and_then(|rest| rest.split_once('.'))
    {
        let n = row.parse::<usize>().ok()?.saturating_add(1);
        let part = match part {
            "key" => t_string!(i18n, admin.question_key).to_string(),
            "label" => t_string!(i18n, admin.question_label).to_string(),
            "label_de" => t_string!(i18n, admin.question_label_de).to_string(),
            "hint" => t_string!(i18n, admin.question_hint).to_string(),
            "hint_de" => t_string!(i18n, admin.question_hint_de).to_string(),
            "kind" => t_string!(i18n, admin.question_kind).to_string(),
            "options" => t_string!(i18n, admin.question_options).to_string(),
            "position" => t_string!(i18n, admin.question_position).to_string(),
            _ => return None,
        };
        return Some(format!(
            "{}, {part}",
            t_string!(i18n, admin.question_number, n = n)
        ));
    }
    let label = match name.as_str() {
        "title" => t_string!(i18n, admin.field_title).to_string(),
        "slug" => t_string!(i18n, admin.field_slug).to_string(),
        "kind" => t_string!(i18n, admin.field_kind).to_string(),
        "summary" => t_string!(i18n, admin.field_summary).to_string(),
        "time_zone" => t_string!(i18n, admin.field_time_zone).to_string(),
        "starts_at" => t_string!(i18n, admin.field_starts_at).to_string(),
        "ends_at" => t_string!(i18n, admin.field_ends_at).to_string(),
        "recurrence" => t_string!(i18n, admin.field_rule).to_string(),
        "repeat" => t_string!(i18n, admin.field_repeat).to_string(),
        "repeat_every" => t_string!(i18n, admin.field_repeat_every).to_string(),
        "repeat_until" => t_string!(i18n, admin.field_repeat_until).to_string(),
        "venue" => t_string!(i18n, admin.field_venue).to_string(),
        "online_url" => t_string!(i18n, admin.field_online_url).to_string(),
        "online_access" => t_string!(i18n, admin.field_online_access).to_string(),
        "host" => t_string!(i18n, admin.field_host).to_string(),
        "external_url" => t_string!(i18n, admin.field_external_url).to_string(),
        "confirmation_hours" => t_string!(i18n, admin.field_confirmation_hours).to_string(),
        "offer_hours" => t_string!(i18n, admin.field_offer_hours).to_string(),
        "last_promotion_at" => t_string!(i18n, admin.field_last_promotion_at).to_string(),
        "registration_opens_at" => t_string!(i18n, admin.field_registration_opens_at).to_string(),
        "registration_closes_at" => t_string!(i18n, admin.field_registration_closes_at).to_string(),
        "date" => t_string!(i18n, admin.field_date).to_string(),
        "change" => t_string!(i18n, admin.change_legend).to_string(),
        "moved_starts_at" => t_string!(i18n, admin.field_moved_starts_at).to_string(),
        "moved_ends_at" => t_string!(i18n, admin.field_moved_ends_at).to_string(),
        "notes" => t_string!(i18n, admin.field_date_notes).to_string(),
        "question_rows" => t_string!(i18n, admin.questions_heading).to_string(),
        _ => return None,
    };
    Some(label)
}

/// A line of the error summary: the field's label where its message does not name it.
pub fn summary_line(i18n: Ctx, error: &FieldError) -> String {
    let message = field_error(i18n, error);
    match field_label(i18n, &error.field) {
        Some(label) => format!("{label}: {message}"),
        None => message,
    }
}

pub fn field_error(i18n: Ctx, error: &FieldError) -> String {
    match (&error.field, &error.problem) {
        (Field::Name, Problem::Required) => t_string!(i18n, errors.name_required).to_string(),
        (Field::Email, Problem::Required) => t_string!(i18n, errors.email_required).to_string(),
        (Field::Answer(_), Problem::Required) => {
            t_string!(i18n, errors.answer_required).to_string()
        }
        (Field::Title, Problem::Required) => t_string!(i18n, errors.title_required).to_string(),
        (Field::ShownAs, Problem::Required) => {
            t_string!(i18n, errors.shown_as_required).to_string()
        }
        (_, Problem::Required) => t_string!(i18n, errors.required).to_string(),
        (_, Problem::TooShort(min)) => {
            let min = *min;
            t_string!(i18n, errors.too_short, min).to_string()
        }
        (_, Problem::TooLong(max)) => {
            let max = *max;
            t_string!(i18n, errors.too_long, max).to_string()
        }
        (_, Problem::InvalidEmail) => t_string!(i18n, errors.invalid_email).to_string(),
        (_, Problem::ConsentRequired) => t_string!(i18n, errors.consent_required).to_string(),
        (_, Problem::NotAnOption) => t_string!(i18n, errors.not_an_option).to_string(),
        (_, Problem::UnknownQuestion) => t_string!(i18n, errors.unknown_question).to_string(),
        (_, Problem::ControlCharacters) => t_string!(i18n, errors.control_characters).to_string(),
        (_, Problem::NotANumber) => t_string!(i18n, errors.not_a_number).to_string(),
        (_, Problem::Negative) => t_string!(i18n, errors.negative).to_string(),
        (_, Problem::TooSmall(min)) => {
            let min = *min;
            t_string!(i18n, errors.too_small, min).to_string()
        }
        (_, Problem::TooLarge(max)) => {
            let max = *max;
            t_string!(i18n, errors.too_large, max).to_string()
        }
        (_, Problem::NotADateTime) => t_string!(i18n, errors.not_a_date_time).to_string(),
        (_, Problem::NotAUrl) => t_string!(i18n, errors.not_a_url).to_string(),
        (_, Problem::NotARule) => t_string!(i18n, errors.not_a_rule).to_string(),
        (_, Problem::NotATimeZone) => t_string!(i18n, errors.not_a_time_zone).to_string(),
        (_, Problem::NotASlug) => t_string!(i18n, errors.not_a_slug).to_string(),
        (_, Problem::EndBeforeStart) => t_string!(i18n, errors.end_before_start).to_string(),
        (_, Problem::Taken) => t_string!(i18n, errors.taken).to_string(),
        (_, Problem::Reserved) => t_string!(i18n, errors.reserved).to_string(),
        (_, Problem::WrongPassword) => t_string!(i18n, errors.wrong_password).to_string(),
        (_, Problem::NotConfirmed) => t_string!(i18n, errors.not_confirmed).to_string(),
        (_, Problem::NotADate) => t_string!(i18n, errors.not_a_date).to_string(),
        (_, Problem::NotAnOccurrence) => t_string!(i18n, errors.not_an_occurrence).to_string(),
        (_, Problem::DateOutOfRange) => t_string!(i18n, errors.date_out_of_range).to_string(),
        (_, Problem::AddressInUse) => t_string!(i18n, errors.address_in_use).to_string(),
        (_, Problem::NotAKey) => t_string!(i18n, errors.not_a_key).to_string(),
        (_, Problem::KeyTaken) => t_string!(i18n, errors.key_taken).to_string(),
        (_, Problem::NotATicketCode) => t_string!(i18n, errors.not_a_ticket_code).to_string(),
        (_, Problem::TooFewOptions) => t_string!(i18n, errors.too_few_options).to_string(),
        (_, Problem::RepeatedOption) => t_string!(i18n, errors.repeated_option).to_string(),
    }
}

pub fn register_failure(i18n: Ctx, failure: &RegisterError) -> String {
    match failure {
        RegisterError::UnknownEvent => t_string!(i18n, errors.unknown_event).to_string(),
        RegisterError::NotOffered => t_string!(i18n, errors.not_offered).to_string(),
        RegisterError::NotYetOpen {
            opens_at,
            time_zone,
        } => {
            let lang = crate::lang_of(i18n.get_locale_untracked());
            let when = domain::time::format_instant(*opens_at, *time_zone, lang);
            t_string!(i18n, errors.not_yet_open, when).to_string()
        }
        RegisterError::Closed => t_string!(i18n, errors.closed).to_string(),
        RegisterError::Invalid(_) => t_string!(i18n, errors.invalid).to_string(),
        RegisterError::Full => t_string!(i18n, errors.full).to_string(),
        RegisterError::AlreadyRegistered => t_string!(i18n, errors.already_registered).to_string(),
        RegisterError::RateLimited { .. } => t_string!(i18n, errors.rate_limited).to_string(),
        RegisterError::Busy => t_string!(i18n, errors.busy).to_string(),
        RegisterError::Internal => t_string!(i18n, server.internal).to_string(),
    }
}

/// The notice's text and whether it reports a problem.
pub fn notice(i18n: Ctx, notice: &Notice) -> (String, bool) {
    match notice {
        Notice::Confirmed => (t_string!(i18n, server.notice_confirmed).to_string(), false),
        Notice::Cancelled => (t_string!(i18n, server.notice_cancelled).to_string(), false),
        Notice::Corrected => (t_string!(i18n, server.notice_corrected).to_string(), false),
        Notice::AddressRequested => (
            t_string!(i18n, server.notice_address_requested).to_string(),
            false,
        ),
        Notice::Link(failure) => {
            let text = match failure {
                LinkError::Unknown => t_string!(i18n, errors.link_unknown),
                LinkError::AlreadyConfirmed => t_string!(i18n, errors.link_already_confirmed),
                LinkError::Cancelled => t_string!(i18n, errors.link_cancelled),
                LinkError::Expired => t_string!(i18n, errors.link_expired),
                LinkError::Busy => t_string!(i18n, errors.busy),
                LinkError::Internal => t_string!(i18n, server.internal),
            };
            (text.to_string(), *failure != LinkError::AlreadyConfirmed)
        }
        Notice::Topic(TopicNotice::Failed(failure)) => (topic_failure(i18n, failure), true),
        Notice::Topic(done) => {
            let text = match done {
                TopicNotice::Proposed => t_string!(i18n, topics.notice_proposed),
                TopicNotice::Edited => t_string!(i18n, topics.notice_edited),
                TopicNotice::Withdrawn => t_string!(i18n, topics.notice_withdrawn),
                TopicNotice::Voted => t_string!(i18n, topics.notice_voted),
                TopicNotice::VoteWithdrawn => t_string!(i18n, topics.notice_unvoted),
                TopicNotice::Failed(_) => t_string!(i18n, server.internal),
            };
            (text.to_string(), false)
        }
    }
}

/// Why a topic action did nothing.
pub fn topic_failure(i18n: Ctx, failure: &TopicError) -> String {
    match failure {
        TopicError::NotCollecting => t_string!(i18n, topics.fail_not_collecting).to_string(),
        TopicError::UnknownLink => t_string!(i18n, errors.link_unknown).to_string(),
        TopicError::Inactive => t_string!(i18n, topics.fail_inactive).to_string(),
        TopicError::UnknownTopic => t_string!(i18n, topics.fail_unknown_topic).to_string(),
        TopicError::Invalid(_) => t_string!(i18n, errors.invalid).to_string(),
        TopicError::RateLimited => t_string!(i18n, topics.fail_rate_limited).to_string(),
        TopicError::Busy => t_string!(i18n, errors.busy).to_string(),
        TopicError::Internal => t_string!(i18n, server.internal).to_string(),
        TopicError::Refused(refusal) => match refusal {
            TopicRefusal::ProposalsClosed => t_string!(i18n, topics.refused_proposals_closed),
            TopicRefusal::LimitReached(limit) => {
                let limit = *limit;
                return t_string!(i18n, topics.refused_limit_reached, limit).to_string();
            }
            TopicRefusal::NotVotable(_) => t_string!(i18n, topics.refused_not_votable),
            TopicRefusal::AlreadyVoted => t_string!(i18n, topics.refused_already_voted),
            TopicRefusal::NotVoted => t_string!(i18n, topics.refused_not_voted),
            TopicRefusal::NotYours => t_string!(i18n, topics.refused_not_yours),
            TopicRefusal::Locked(_) => t_string!(i18n, topics.refused_locked),
            TopicRefusal::MergeIntoItself | TopicRefusal::MergeTarget => {
                t_string!(i18n, topics.refused_merge)
            }
        }
        .to_string(),
    }
}

/// The short name of a registration's status.
pub fn status_label(i18n: Ctx, status: RegistrationStatus) -> String {
    match status {
        RegistrationStatus::PendingEmail => t_string!(i18n, manage.label_pending),
        RegistrationStatus::Confirmed => t_string!(i18n, manage.label_confirmed),
        RegistrationStatus::Waitlisted => t_string!(i18n, manage.label_waitlisted),
        RegistrationStatus::Offered => t_string!(i18n, manage.label_offered),
        RegistrationStatus::Cancelled => t_string!(i18n, manage.label_cancelled),
        RegistrationStatus::Expired => t_string!(i18n, manage.label_expired),
    }
    .to_string()
}

/// An organizer's role, in words.
pub fn role_name(i18n: Ctx, role: domain::admin::Role) -> String {
    match role {
        domain::admin::Role::Admin => t_string!(i18n, admin.role_admin).to_string(),
        domain::admin::Role::EventManager => t_string!(i18n, admin.role_event_manager).to_string(),
        domain::admin::Role::Door => t_string!(i18n, admin.role_door).to_string(),
    }
}

/// A registration's status as organizers read it.
pub fn admin_status_label(i18n: Ctx, status: RegistrationStatus) -> String {
    match status {
        RegistrationStatus::PendingEmail => t_string!(i18n, admin.status_pending),
        RegistrationStatus::Confirmed => t_string!(i18n, admin.status_confirmed),
        RegistrationStatus::Waitlisted => t_string!(i18n, admin.status_waitlisted),
        RegistrationStatus::Offered => t_string!(i18n, admin.status_offered),
        RegistrationStatus::Cancelled => t_string!(i18n, admin.status_cancelled),
        RegistrationStatus::Expired => t_string!(i18n, admin.status_expired),
    }
    .to_string()
}

/// A mail's state in the outbox (`pending`, `sending`, `sent`, `failed`) in words; a word this
/// version does not know as it is stored.
pub fn mail_status(i18n: Ctx, status: &str) -> String {
    match status {
        "pending" => t_string!(i18n, mail_status.pending).to_string(),
        "sending" => t_string!(i18n, mail_status.sending).to_string(),
        "sent" => t_string!(i18n, mail_status.sent).to_string(),
        "failed" => t_string!(i18n, mail_status.failed).to_string(),
        other => other.to_owned(),
    }
}

/// An audit log's action in words (a word this version does not know as it is stored).
pub fn audit_action(i18n: Ctx, word: &str) -> String {
    let Some(action) = AuditAction::parse(word) else {
        return word.to_owned();
    };
    match action {
        AuditAction::Registered => t_string!(i18n, admin.action_registered),
        AuditAction::ConfirmedEmail => t_string!(i18n, admin.action_confirmed_email),
        AuditAction::Cancelled => t_string!(i18n, admin.action_cancelled),
        AuditAction::HoldExpired => t_string!(i18n, admin.action_hold_expired),
        AuditAction::Promoted => t_string!(i18n, admin.action_promoted),
        AuditAction::LinkResent => t_string!(i18n, admin.action_link_resent),
        AuditAction::PromotedByOrganizer => t_string!(i18n, admin.action_promoted_by_organizer),
        AuditAction::CancelledByOrganizer => {
            t_string!(i18n, admin.action_cancelled_by_organizer)
        }
        AuditAction::LinkResentByOrganizer => {
            t_string!(i18n, admin.action_link_resent_by_organizer)
        }
        AuditAction::CheckedIn => t_string!(i18n, admin.action_checked_in),
        AuditAction::CheckInUndone => t_string!(i18n, admin.action_check_in_undone),
        AuditAction::Capacity => t_string!(i18n, admin.action_capacity),
        AuditAction::Registration => t_string!(i18n, admin.action_registration),
        AuditAction::Broadcast => t_string!(i18n, admin.action_broadcast),
        AuditAction::EventCreated => t_string!(i18n, admin.action_event_created),
        AuditAction::EventUpdated => t_string!(i18n, admin.action_event_updated),
        AuditAction::Occurrence => t_string!(i18n, admin.action_occurrence),
        AuditAction::EventCancelled => t_string!(i18n, admin.action_event_cancelled),
        AuditAction::Reminders => t_string!(i18n, admin.action_reminders),
        AuditAction::TopicAccepted => t_string!(i18n, admin.action_topic_accepted),
        AuditAction::TopicHidden => t_string!(i18n, admin.action_topic_hidden),
        AuditAction::TopicMerged => t_string!(i18n, admin.action_topic_merged),
        AuditAction::AgendaOrdered => t_string!(i18n, admin.action_agenda_ordered),
        AuditAction::Erased => t_string!(i18n, admin.action_erased),
        AuditAction::ErasedByOrganizer => t_string!(i18n, admin.action_erased_by_organizer),
        AuditAction::PersonalDataErased => t_string!(i18n, admin.action_personal_data_erased),
        AuditAction::DetailsCorrected => t_string!(i18n, admin.action_details_corrected),
        AuditAction::AddressChangeRequested => {
            t_string!(i18n, admin.action_address_change_requested)
        }
        AuditAction::AddressChanged => t_string!(i18n, admin.action_address_changed),
        AuditAction::Offered => t_string!(i18n, admin.action_offered),
        AuditAction::OfferAccepted => t_string!(i18n, admin.action_offer_accepted),
        AuditAction::OfferLapsed => t_string!(i18n, admin.action_offer_lapsed),
        AuditAction::WaitlistClosed => t_string!(i18n, admin.action_waitlist_closed),
        AuditAction::AgendaSection => t_string!(i18n, admin.action_agenda_section),
        AuditAction::AgendaItem => t_string!(i18n, admin.action_agenda_item),
        AuditAction::AgendaEntry => t_string!(i18n, admin.action_agenda_entry),
        AuditAction::AgendaReminder => t_string!(i18n, admin.action_agenda_reminder),
    }
    .to_string()
}

/// What an audit line says beyond its action, in the reader's language (instants in the
/// event's zone).
pub fn audit_detail(i18n: Ctx, line: &AuditLine) -> String {
    let lang = crate::lang_of(i18n.get_locale_untracked());
    let instant = |at| domain::time::format_instant(at, line.time_zone, lang);
    let seats = |capacity: Option<u32>| {
        capacity.map_or_else(
            || t_string!(i18n, admin.audit_unlimited).to_string(),
            |c| c.to_string(),
        )
    };
    let mailed = |count: u32| t_string!(i18n, admin.audit_mailed, count).to_string();
    match &line.detail {
        AuditDetail::Text(text) => text.clone(),
        AuditDetail::Registration { from, to, note } => {
            let change = match (from, to) {
                (Some(from), Some(to)) => Some(format!(
                    "{} → {}",
                    status_label(i18n, *from),
                    status_label(i18n, *to)
                )),
                (None, Some(to)) => Some(status_label(i18n, *to)),
                _ => None,
            };
            let note = note.as_ref().map(|note| match note {
                RegistrationNote::Reason { text } => text.clone(),
                RegistrationNote::WithoutMail => {
                    t_string!(i18n, admin.audit_without_mail).to_string()
                }
            });
            [change, note]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · ")
        }
        AuditDetail::Event(change) => match change {
            EventChange::Capacity { before, after } => {
                let (before, after) = (seats(*before), seats(*after));
                t_string!(i18n, admin.audit_seats, before, after).to_string()
            }
            EventChange::SeatAdded {
                before,
                after,
                registration_id,
            } => {
                let (before, after) = (*before, *after);
                let name = line
                    .person
                    .clone()
                    .unwrap_or_else(|| format!("#{registration_id}"));
                t_string!(i18n, admin.audit_seat_added, before, after, name).to_string()
            }
            EventChange::Registration { open: true } => {
                t_string!(i18n, admin.audit_registration_opened).to_string()
            }
            EventChange::Registration { open: false } => {
                t_string!(i18n, admin.audit_registration_closed).to_string()
            }
            EventChange::Saved { before, after } => {
                let describe = |snapshot: &EventSnapshot| {
                    let mut parts = vec![
                        snapshot.title.clone(),
                        instant(snapshot.starts_at),
                        if snapshot.published {
                            t_string!(i18n, admin.audit_published).to_string()
                        } else {
                            t_string!(i18n, admin.audit_draft).to_string()
                        },
                    ];
                    if let Some(window) = snapshot
                        .registration
                        .filter(|w| w.opens_at.is_some() || w.closes_at.is_some())
                    {
                        let side = |at: Option<_>| at.map_or_else(|| "–".to_owned(), instant);
                        let (opens, closes) = (side(window.opens_at), side(window.closes_at));
                        parts.push(t_string!(i18n, admin.audit_window, opens, closes).to_string());
                    }
                    parts.join(", ")
                };
                match before {
                    Some(before) => format!("{} → {}", describe(before), describe(after)),
                    None => describe(after),
                }
            }
            EventChange::Broadcast {
                sent,
                audience,
                subject,
                ..
            } => {
                let audience = match audience {
                    Audience::Seated => t_string!(i18n, admin.audit_audience_seated),
                    Audience::Waiting => t_string!(i18n, admin.audit_audience_waiting),
                    Audience::SeatedAndWaiting => t_string!(i18n, admin.audit_audience_both),
                }
                .to_string();
                let (sent, subject) = (*sent, subject.clone());
                t_string!(i18n, admin.audit_broadcast, sent, audience, subject).to_string()
            }
            EventChange::Cancelled {
                mailed: count,
                message,
            } => match message {
                Some(message) => format!("{}: {message}", mailed(*count)),
                None => mailed(*count),
            },
            EventChange::Reminders { mailed: count } => mailed(*count),
            EventChange::PersonalDataErased {
                registrations: count,
                retention,
            } => {
                let count = *count;
                if *retention {
                    t_string!(i18n, admin.audit_erased_by_retention, count).to_string()
                } else {
                    t_string!(i18n, admin.audit_erased_now, count).to_string()
                }
            }
            EventChange::Occurrence { date, change } => {
                let date = domain::time::format_day(*date, lang);
                match change {
                    OccurrenceChange::Cancelled => {
                        t_string!(i18n, admin.audit_occurrence_cancelled, date).to_string()
                    }
                    OccurrenceChange::MovedTo(at) => {
                        let when = instant(*at);
                        t_string!(i18n, admin.audit_occurrence_moved, date, when).to_string()
                    }
                    OccurrenceChange::AsPlanned => {
                        t_string!(i18n, admin.audit_occurrence_as_planned, date).to_string()
                    }
                    OccurrenceChange::Notes => {
                        t_string!(i18n, admin.audit_occurrence_notes, date).to_string()
                    }
                }
            }
            EventChange::Topic {
                topic_id,
                title,
                reason,
                merged_into,
            } => {
                let mut text = format!("#{topic_id} {title}");
                if let Some(reason) = reason {
                    text.push_str(&format!(": {reason}"));
                }
                if let Some(target) = merged_into {
                    let target = *target;
                    text.push_str(&format!(
                        " {}",
                        t_string!(i18n, admin.audit_merged_into, target)
                    ));
                }
                text
            }
            EventChange::AgendaOrdered { topics } => {
                let topics = topics
                    .iter()
                    .map(|id| format!("#{id}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                t_string!(i18n, admin.audit_agenda, topics).to_string()
            }
            EventChange::AgendaSection { title, change, .. } => {
                let title = title.clone();
                match change {
                    SectionChange::Added => t_string!(i18n, admin.audit_section_added, title),
                    SectionChange::Removed => t_string!(i18n, admin.audit_section_removed, title),
                    SectionChange::MovedUp => t_string!(i18n, admin.audit_section_up, title),
                    SectionChange::MovedDown => t_string!(i18n, admin.audit_section_down, title),
                    SectionChange::LinkIssued => t_string!(i18n, admin.audit_link_issued, title),
                    SectionChange::LinkRevoked => t_string!(i18n, admin.audit_link_revoked, title),
                    SectionChange::ContributorsNamed(count) => {
                        let count = *count;
                        t_string!(i18n, admin.audit_contributors_named, title, count)
                    }
                }
                .to_string()
            }
            EventChange::AgendaItem {
                section,
                date,
                item_id,
                change,
                ..
            } => {
                let (section, date, item) = (
                    section.clone(),
                    domain::time::format_day(*date, lang),
                    *item_id,
                );
                match change {
                    ItemChange::Added => {
                        t_string!(i18n, admin.audit_item_added, section, date, item)
                    }
                    ItemChange::Edited => {
                        t_string!(i18n, admin.audit_item_edited, section, date, item)
                    }
                    ItemChange::Removed => {
                        t_string!(i18n, admin.audit_item_removed, section, date, item)
                    }
                    ItemChange::CarriedOver(count) => {
                        let count = *count;
                        t_string!(i18n, admin.audit_items_carried, section, date, count)
                    }
                }
                .to_string()
            }
            EventChange::AgendaEntry {
                date,
                title,
                hidden,
                ..
            } => {
                let (date, title) = (domain::time::format_day(*date, lang), title.clone());
                if *hidden {
                    t_string!(i18n, admin.audit_entry_hidden, title, date).to_string()
                } else {
                    t_string!(i18n, admin.audit_entry_shown, title, date).to_string()
                }
            }
            EventChange::AgendaReminder {
                section,
                date,
                mailed: count,
            } => {
                let (section, date, count) = (
                    section.clone(),
                    domain::time::format_day(*date, lang),
                    *count,
                );
                t_string!(i18n, admin.audit_agenda_reminded, section, date, count).to_string()
            }
        },
    }
}

/// What an agenda action did, or why it did nothing.
pub fn agenda_notice(i18n: Ctx, notice: &crate::model::AgendaNotice) -> String {
    use crate::model::AgendaNotice as N;
    use domain::call::{AgendaError as E, AgendaRefusal as R};
    match notice {
        N::ItemAdded => t_string!(i18n, call.notice_item_added).to_string(),
        N::ItemEdited => t_string!(i18n, call.notice_item_edited).to_string(),
        N::ItemRemoved => t_string!(i18n, call.notice_item_removed).to_string(),
        N::CarriedOver { count } => {
            let count = *count;
            t_string!(i18n, call.notice_carried, count).to_string()
        }
        N::SectionAdded => t_string!(i18n, call.notice_section_added).to_string(),
        N::SectionRemoved => t_string!(i18n, call.notice_section_removed).to_string(),
        N::SectionMoved => t_string!(i18n, call.notice_section_moved).to_string(),
        N::LinkIssued => t_string!(i18n, call.issued_link).to_string(),
        N::LinkRevoked => t_string!(i18n, call.notice_link_revoked).to_string(),
        N::ContributorsNamed => t_string!(i18n, call.notice_contributors).to_string(),
        N::EntryHidden => t_string!(i18n, call.notice_entry_hidden).to_string(),
        N::EntryShown => t_string!(i18n, call.notice_entry_shown).to_string(),
        N::Failed(error) => match error {
            E::UnknownLink => t_string!(i18n, call.fail_unknown_link).to_string(),
            E::UnknownCall => t_string!(i18n, call.fail_unknown_call).to_string(),
            E::UnknownSection | E::UnknownItem => {
                t_string!(i18n, call.fail_unknown_item).to_string()
            }
            E::NotACallSeries => t_string!(i18n, call.fail_not_a_call).to_string(),
            E::NotYours => t_string!(i18n, call.fail_not_yours).to_string(),
            E::Invalid(_) => t_string!(i18n, errors.invalid).to_string(),
            E::Refused(refusal) => match refusal {
                R::TeamTaken => t_string!(i18n, call.fail_team_taken),
                R::UpcomingTaken => t_string!(i18n, call.fail_upcoming_taken),
                R::TooManySections => t_string!(i18n, call.fail_too_many_sections),
                R::TooManyItems => t_string!(i18n, call.fail_too_many_items),
                R::Generated => t_string!(i18n, call.fail_generated),
                R::CallOver => t_string!(i18n, call.fail_call_over),
                R::NothingToCarry => t_string!(i18n, call.fail_nothing_to_carry),
            }
            .to_string(),
            E::Busy => t_string!(i18n, errors.busy).to_string(),
            E::Internal => t_string!(i18n, server.internal).to_string(),
        },
    }
}

/// Who made a change, in words: an organizer's e-mail stays as it is.
pub fn audit_actor(i18n: Ctx, actor: &str) -> String {
    match actor {
        "registrant" => t_string!(i18n, admin.actor_registrant).to_string(),
        "system" => t_string!(i18n, admin.actor_system).to_string(),
        other if other.starts_with("contributor:") => {
            t_string!(i18n, admin.actor_contributor).to_string()
        }
        other => other.to_owned(),
    }
}

/// What an organizer's action did (or why not), and whether it reports a problem.
pub fn admin_notice(i18n: Ctx, notice: &AdminNotice) -> (String, bool) {
    let text = match notice {
        AdminNotice::CapacitySet { promoted } => {
            let promoted = *promoted;
            return (
                t_string!(i18n, admin.notice_capacity, promoted).to_string(),
                false,
            );
        }
        AdminNotice::Broadcast { sent } => {
            let sent = *sent;
            return (
                t_string!(i18n, admin.notice_broadcast, sent).to_string(),
                false,
            );
        }
        AdminNotice::BroadcastAlreadySent { sent } => {
            let sent = *sent;
            return (
                t_string!(i18n, admin.notice_broadcast_already_sent, sent).to_string(),
                false,
            );
        }
        AdminNotice::EventCancelled { mailed } => {
            let mailed = *mailed;
            return (
                t_string!(i18n, admin.notice_event_cancelled, mailed).to_string(),
                false,
            );
        }
        AdminNotice::RegistrationOpened => t_string!(i18n, admin.notice_opened),
        AdminNotice::Erased => t_string!(i18n, admin.notice_erased),
        AdminNotice::DataErased { erased } => {
            let erased = *erased;
            return (
                t_string!(i18n, admin.notice_data_erased, erased).to_string(),
                false,
            );
        }
        AdminNotice::OrganizerAdded => t_string!(i18n, admin.notice_organizer_added),
        AdminNotice::RoleChanged => t_string!(i18n, admin.notice_role_changed),
        AdminNotice::OrganizerRemoved => t_string!(i18n, admin.notice_organizer_removed),
        AdminNotice::PasswordChanged => t_string!(i18n, admin.notice_password_changed),
        AdminNotice::WebhookAdded => t_string!(i18n, admin.notice_webhook_added),
        AdminNotice::WebhookRemoved => t_string!(i18n, admin.notice_webhook_removed),
        AdminNotice::WebhookResumed => t_string!(i18n, admin.notice_webhook_resumed),
        AdminNotice::EventSaved => t_string!(i18n, admin.notice_event_saved),
        AdminNotice::EventDeleted => t_string!(i18n, admin.notice_event_deleted),
        AdminNotice::OccurrenceChanged => t_string!(i18n, admin.notice_occurrence_changed),
        AdminNotice::EventPublished => t_string!(i18n, admin.notice_event_published),
        AdminNotice::RegistrationClosed => t_string!(i18n, admin.notice_closed),
        AdminNotice::Promoted => t_string!(i18n, admin.notice_promoted),
        AdminNotice::Cancelled => t_string!(i18n, admin.notice_cancelled),
        AdminNotice::Resent => t_string!(i18n, admin.notice_resent),
        AdminNotice::CheckedIn { .. } => t_string!(i18n, admin.notice_checked_in),
        AdminNotice::CheckInUndone { .. } => t_string!(i18n, admin.notice_check_in_undone),
        AdminNotice::TicketCheckedIn => t_string!(i18n, admin.scan_checked_in),
        AdminNotice::MailRetried => t_string!(i18n, admin.notice_retried),
        AdminNotice::SignedOut => t_string!(i18n, admin.notice_signed_out),
        AdminNotice::TopicAccepted => t_string!(i18n, admin.notice_topic_accepted),
        AdminNotice::TopicHidden => t_string!(i18n, admin.notice_topic_hidden),
        AdminNotice::TopicMerged => t_string!(i18n, admin.notice_topic_merged),
        AdminNotice::AgendaOrdered => t_string!(i18n, admin.notice_agenda_ordered),
        AdminNotice::TopicFailed(failure) => return (topic_failure(i18n, failure), true),
        AdminNotice::Failed(failure) => {
            let text = match failure {
                AdminError::Invalid(_) => t_string!(i18n, errors.invalid),
                AdminError::WrongCredentials => t_string!(i18n, admin.fail_credentials),
                AdminError::RateLimited { retry_after } => {
                    let seconds = *retry_after;
                    return (
                        t_string!(i18n, admin.fail_rate_limited, seconds).to_string(),
                        true,
                    );
                }
                AdminError::NotFound => t_string!(i18n, admin.fail_not_found),
                AdminError::NoRegistration => t_string!(i18n, errors.not_offered),
                AdminError::WrongStatus(_) => t_string!(i18n, admin.fail_wrong_status),
                AdminError::MailNotRetryable => t_string!(i18n, admin.fail_not_retryable),
                AdminError::HasRegistrations => t_string!(i18n, admin.fail_has_registrations),
                AdminError::EventCancelled => t_string!(i18n, admin.fail_event_cancelled),
                AdminError::OwnAccess => t_string!(i18n, admin.fail_own_access),
                AdminError::NotYourRole(role) => {
                    let role = role_name(i18n, *role);
                    return (
                        t_string!(i18n, admin.fail_not_your_role, role).to_string(),
                        true,
                    );
                }
                AdminError::NotOver => t_string!(i18n, admin.fail_not_over),
                AdminError::AlreadyErased => t_string!(i18n, admin.fail_already_erased),
                AdminError::Busy => t_string!(i18n, errors.busy),
                AdminError::OrganizerExists => t_string!(i18n, admin.fail_organizer_exists),
                AdminError::SsoRefused => t_string!(i18n, admin.fail_sso_refused),
                AdminError::SsoNoRole => t_string!(i18n, admin.fail_sso_no_role),
                AdminError::SsoAddressTaken => t_string!(i18n, admin.fail_sso_address_taken),
                AdminError::SsoUnavailable => t_string!(i18n, admin.fail_sso_unavailable),
                AdminError::PasswordsOff => t_string!(i18n, admin.fail_passwords_off),
                AdminError::Internal => t_string!(i18n, server.internal),
            };
            return (text.to_string(), true);
        }
    };
    (text.to_string(), false)
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    /// Every key with the `{{ variables }}` its text uses.
    fn keys(json: &str) -> BTreeMap<String, BTreeSet<String>> {
        fn walk(
            value: &serde_json::Value,
            prefix: &str,
            out: &mut BTreeMap<String, BTreeSet<String>>,
        ) {
            match value {
                serde_json::Value::Object(map) => {
                    for (key, value) in map {
                        walk(value, &format!("{prefix}{key}."), out);
                    }
                }
                serde_json::Value::String(text) => {
                    let variables = text
                        .split("{{")
                        .skip(1)
                        .filter_map(|rest| rest.split_once("}}"))
                        .map(|(name, _)| name.trim().to_owned())
                        .collect();
                    out.insert(prefix.trim_end_matches('.').to_owned(), variables);
                }
                other => panic!("unexpected value {other} at {prefix}"),
            }
        }
        let value: serde_json::Value = serde_json::from_str(json).expect("valid JSON");
        let mut out = BTreeMap::new();
        walk(&value, "", &mut out);
        out
    }

    #[test]
    fn english_and_german_have_the_same_keys_and_variables() {
        let en = keys(include_str!("../locales/en.json"));
        let de = keys(include_str!("../locales/de.json"));
        let only_en: Vec<_> = en.keys().filter(|k| !de.contains_key(*k)).collect();
        let only_de: Vec<_> = de.keys().filter(|k| !en.contains_key(*k)).collect();
        assert!(only_en.is_empty(), "missing in de.json: {only_en:?}");
        assert!(only_de.is_empty(), "missing in en.json: {only_de:?}");
        for (key, variables) in &en {
            assert_eq!(Some(variables), de.get(key), "variables of {key}");
        }
        assert!(en.len() > 150, "{} keys", en.len());
    }
}
