//! `/admin/events/new` and `/admin/events/{slug}/edit`: the event form.

use super::*;
use crate::components::form::{FieldMessages, described_by, error_text, field_id};

/// `/admin/events/new`
#[component]
pub fn NewEventPage() -> impl IntoView {
    event_form_page(false)
}

/// `/admin/events/{slug}/edit`
#[component]
pub fn EditEventPage() -> impl IntoView {
    event_form_page(true)
}

fn event_form_page(existing: bool) -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let page = Resource::new(
        move || {
            let query = query.read();
            (
                existing.then(|| event_slug(&params.read())),
                query.get("notice"),
                query.get("count").and_then(|c| c.parse().ok()),
            )
        },
        |(existing, notice, count)| async move {
            match existing {
                None => load_event_form(None, notice, count).await,
                Some(slug) => {
                    for_event(slug, move |slug| load_event_form(Some(slug), notice, count)).await
                }
            }
        },
    );
    view! {
        {loaded(page, |page| view! { <EventForm page/> }.into_any(), not_found)}
    }
}

#[component]
fn EventForm(page: EventFormView) -> impl IntoView {
    let i18n = use_i18n();
    let mut submission = page.submission.clone().unwrap_or_default();
    // The event form always sends its title. When another form of this page was refused, the
    // event form shows the saved values (the refused form's own values take precedence); when
    // the event form was refused, exactly what was sent (an unticked box sends nothing).
    if !submission.values.contains_key("title") {
        let sent = std::mem::take(&mut submission.values);
        submission.values = page.values.clone();
        submission.values.extend(sent);
    }
    let value = |name: &str| submission.values.get(name).cloned().unwrap_or_default();
    let checked = |name: &str| domain::is_ticked(&value(name));
    let kind = value("kind");
    let (action, heading) = match &page.original_slug {
        Some(slug) => (
            format!("{}/edit", admin_event_href(slug)),
            t_string!(i18n, admin.edit_event).to_string(),
        ),
        None => (
            "/admin/events".to_owned(),
            t_string!(i18n, admin.new_event).to_string(),
        ),
    };
    let text = |name: &'static str,
                label: String,
                hint: Option<String>,
                kind: &'static str,
                required: bool| {
        event_text_field(
            name.to_owned(),
            label,
            hint,
            (kind, required),
            submission.clone(),
        )
    };
    let kind_error = submission.error("kind").is_some();
    view! {
        <Title text=heading.clone()/>
        <div class="page-head">
            <p><a href="/admin">"← " {t!(i18n, admin.events)}</a></p>
            <h1>{heading}</h1>
        </div>
        <AdminNoticeBox notice=page.notice.clone()/>
        {page.original_slug.clone().filter(|_| !page.published).map(|slug| view! {
            <div class="notice unpublished" role="note">
                <p>{t!(i18n, admin.unpublished_note)}</p>
                <form method="post" action=format!("{}/publish", admin_event_href(&slug)) class="actions">
                    <a class="button button-secondary" href=preview_href(&slug)>{t!(i18n, admin.preview)}</a>
                    <button class="button" type="submit">{t!(i18n, admin.publish_now)}</button>
                </form>
            </div>
        })}
        <ErrorSummary errors=submission.errors.clone() message=None/>
        <form class="form" method="post" action=action.clone() novalidate>
            {text("title", t_string!(i18n, admin.field_title).to_string(), None, "text", true)}
            {text("slug", t_string!(i18n, admin.field_slug).to_string(), Some(t_string!(i18n, admin.hint_slug).to_string()), "text", false)}
            <div class="field" class:field-invalid=kind_error>
                <label for="field-kind">{t!(i18n, admin.field_kind)}</label>
                <select id="field-kind" name="kind">
                    {domain::EventKind::ALL.into_iter().map(|k| view! {
                        <option value=k.as_str() selected=k.as_str() == kind>{crate::text::kind_label(i18n, k)}</option>
                    }).collect_view()}
                </select>
            </div>
            {text("summary", t_string!(i18n, admin.field_summary).to_string(), None, "text", false)}
            <TextArea
                name="description"
                label=t_string!(i18n, admin.field_description).to_string()
                hint=t_string!(i18n, admin.hint_description).to_string()
                rows=8
                submission=submission.clone()
            />
            <TimeZoneSelect submission=submission.clone()/>
            {text("starts_at", t_string!(i18n, admin.field_starts_at).to_string(), Some(t_string!(i18n, admin.hint_times).to_string()), "datetime-local", true)}
            {text("ends_at", t_string!(i18n, admin.field_ends_at).to_string(), None, "datetime-local", true)}
            <RepeatFields submission=submission.clone()/>
            {text("venue", t_string!(i18n, admin.field_venue).to_string(), None, "text", false)}
            {text("online_url", t_string!(i18n, admin.field_online_url).to_string(), None, "url", false)}
            <OnlineAccessSelect submission=submission.clone()/>
            {text("host", t_string!(i18n, admin.field_host).to_string(), None, "text", false)}
            {text("external_url", t_string!(i18n, admin.field_external_url).to_string(), None, "url", false)}
            <div class="field field-checkbox">
                <input id="field-registration" name="registration" type="checkbox" checked=checked("registration")/>
                <label for="field-registration">{t!(i18n, admin.field_registration)}</label>
            </div>
            {if page.capacity_here {
                text("capacity", t_string!(i18n, admin.capacity).to_string(), Some(t_string!(i18n, admin.capacity_hint).to_string()), "number", false).into_any()
            } else {
                view! { <p class="hint">{t!(i18n, admin.capacity_elsewhere)}</p> }.into_any()
            }}
            <div class="field field-checkbox">
                <input id="field-waitlist" name="waitlist" type="checkbox" checked=checked("waitlist")/>
                <label for="field-waitlist">{t!(i18n, admin.field_waitlist)}</label>
            </div>
            <div class="field field-checkbox">
                <input id="field-offers" name="offers" type="checkbox" checked=checked("offers")/>
                <label for="field-offers">{t!(i18n, admin.field_offers)}</label>
            </div>
            {text("offer_hours", t_string!(i18n, admin.field_offer_hours).to_string(), Some(t_string!(i18n, admin.hint_offer_hours).to_string()), "number", false)}
            {text("last_promotion_at", t_string!(i18n, admin.field_last_promotion_at).to_string(), Some(t_string!(i18n, admin.hint_last_promotion_at).to_string()), "datetime-local", false)}
            {text("confirmation_hours", t_string!(i18n, admin.field_confirmation_hours).to_string(), None, "number", false)}
            {text("registration_opens_at", t_string!(i18n, admin.field_registration_opens_at).to_string(), Some(t_string!(i18n, admin.hint_registration_window).to_string()), "datetime-local", false)}
            {text("registration_closes_at", t_string!(i18n, admin.field_registration_closes_at).to_string(), None, "datetime-local", false)}
            <QuestionEditor submission=submission.clone()/>
            <div class="field field-checkbox">
                <input id="field-topics" name="topics" type="checkbox" checked=checked("topics")/>
                <label for="field-topics">{t!(i18n, admin.field_topics)}</label>
            </div>
            <div class="field field-checkbox">
                <input id="field-published" name="published" type="checkbox" checked=checked("published")/>
                <label for="field-published">{t!(i18n, admin.field_published)}</label>
            </div>
            <button class="button" type="submit">{t!(i18n, admin.save_event)}</button>
        </form>
        {page.original_slug.clone().map(|slug| {
            let mailed = page.active_registrations;
            view! {
                <section class="admin-section" aria-labelledby="cancel-heading">
                    <h2 id="cancel-heading">{t!(i18n, admin.cancel_event_heading)}</h2>
                    {match page.cancelled.clone() {
                        Some(at) => view! { <p>{t!(i18n, admin.event_is_cancelled, at)}</p> }.into_any(),
                        None => view! {
                            <p>{if mailed == 0 {
                                t_string!(i18n, admin.cancel_event_hint_nobody).to_string()
                            } else {
                                t_string!(i18n, admin.cancel_event_hint, mailed).to_string()
                            }}</p>
                            <form class="form" method="post" action=format!("{}/cancel", admin_event_href(&slug)) novalidate>
                                <TextArea
                                    name="message"
                                    label=t_string!(i18n, admin.cancel_event_message).to_string()
                                    hint=t_string!(i18n, admin.cancel_event_message_hint).to_string()
                                    rows=4
                                    submission=submission.clone()
                                />
                                <Checkbox
                                    name="confirm"
                                    label=t_string!(i18n, admin.cancel_event_confirm).to_string()
                                    submission=submission.clone()
                                />
                                <button class="button button-danger" type="submit">{t!(i18n, admin.cancel_event_button)}</button>
                            </form>
                        }.into_any(),
                    }}
                </section>
            }
        })}
        {page.original_slug.clone().map(|slug| view! {
            <section class="admin-section" aria-labelledby="delete-heading">
                <h2 id="delete-heading">{t!(i18n, admin.delete_heading)}</h2>
                {if page.has_registrations {
                    view! { <p>{t!(i18n, admin.cannot_delete)}</p> }.into_any()
                } else {
                    view! {
                        <p>{t!(i18n, admin.delete_hint)}</p>
                        <form method="post" action=format!("{}/delete", admin_event_href(&slug))>
                            <button class="button button-danger" type="submit">{t!(i18n, admin.delete_event)}</button>
                        </form>
                    }.into_any()
                }}
            </section>
        })}
    }
}

/// A text input of the event form, of input `kind` and `required` or not (no autocompletion:
/// organizers type new values).
fn event_text_field(
    name: String,
    label: String,
    hint: Option<String>,
    (kind, required): (&'static str, bool),
    submission: Submission,
) -> impl IntoView {
    view! {
        <TextField
            name=name
            label=label
            hint=hint
            kind=kind
            autocomplete="off"
            required=required
            submission=submission
        />
    }
}

/// The event's time zone: the community's first, then every zone of a place by name (and the
/// one stored, should it be an old alias, so that saving keeps it).
#[component]
fn TimeZoneSelect(submission: Submission) -> impl IntoView {
    let i18n = use_i18n();
    let id = field_id("time_zone");
    let error = error_text(&submission, "time_zone");
    let describedby = described_by(&id, true, error.is_some());
    let current = submission.value("time_zone");
    let mut others = domain::event::time_zone_names();
    others.retain(|name| *name != domain::event::COMMUNITY_TIME_ZONE);
    let unlisted = (!current.is_empty()
        && current != domain::event::COMMUNITY_TIME_ZONE
        && !others.contains(&current.as_str()))
    .then(|| current.clone());
    let option = move |name: String| {
        let selected = name == current;
        view! { <option value=name.clone() selected=selected>{name.clone()}</option> }
    };
    view! {
        <div class="field" class:field-invalid=error.is_some()>
            <label for=id.clone()>{t!(i18n, admin.field_time_zone)}</label>
            <FieldMessages id=id.clone() hint=Some(t_string!(i18n, admin.hint_time_zone).to_string()) error=error.clone()/>
            <select id=id name="time_zone" aria-describedby=describedby aria-invalid=error.is_some().then_some("true")>
                {option(domain::event::COMMUNITY_TIME_ZONE.to_owned())}
                {unlisted.map(option.clone())}
                <optgroup label=t_string!(i18n, admin.all_time_zones).to_string()>
                    {others.into_iter().map(|name| option(name.to_owned())).collect_view()}
                </optgroup>
            </select>
        </div>
    }
}

/// How a series repeats: a choice made of the first date (every week or every n weeks on its
/// weekday, monthly on its weekday of the month or the last one), an optional last date, or a
/// rule typed as RRULE (the domain's `repeat_choice` fills them for an existing series).
#[component]
fn RepeatFields(submission: Submission) -> impl IntoView {
    use domain::event_form::{
        REPEAT_BY_RULE, REPEAT_MONTHLY, REPEAT_MONTHLY_LAST, REPEAT_ONCE, REPEAT_WEEKLY,
    };
    let i18n = use_i18n();
    let id = field_id("repeat");
    let error = error_text(&submission, "repeat");
    let describedby = described_by(&id, true, error.is_some());
    let current = submission.value("repeat");
    let choices = [
        (REPEAT_ONCE, t_string!(i18n, admin.repeat_once).to_string()),
        (
            REPEAT_WEEKLY,
            t_string!(i18n, admin.repeat_weekly).to_string(),
        ),
        (
            REPEAT_MONTHLY,
            t_string!(i18n, admin.repeat_monthly).to_string(),
        ),
        (
            REPEAT_MONTHLY_LAST,
            t_string!(i18n, admin.repeat_monthly_last).to_string(),
        ),
        (
            REPEAT_BY_RULE,
            t_string!(i18n, admin.repeat_by_rule).to_string(),
        ),
    ];
    let field = |name: &'static str, label: String, hint: Option<String>, kind: &'static str| {
        event_text_field(
            name.to_owned(),
            label,
            hint,
            (kind, false),
            submission.clone(),
        )
    };
    view! {
        <fieldset class="field repeat">
            <legend>{t!(i18n, admin.field_recurrence)}</legend>
            <div class="field" class:field-invalid=error.is_some()>
                <label for=id.clone()>{t!(i18n, admin.field_repeat)}</label>
                <FieldMessages id=id.clone() hint=Some(t_string!(i18n, admin.hint_repeat).to_string()) error=error.clone()/>
                <select id=id name="repeat" aria-describedby=describedby aria-invalid=error.is_some().then_some("true")>
                    {choices.into_iter().map(|(value, label)| view! {
                        <option value=value selected=value == current || (current.is_empty() && value == REPEAT_ONCE)>{label}</option>
                    }).collect_view()}
                </select>
            </div>
            {field("repeat_every", t_string!(i18n, admin.field_repeat_every).to_string(), Some(t_string!(i18n, admin.hint_repeat_every).to_string()), "number")}
            {field("repeat_until", t_string!(i18n, admin.field_repeat_until).to_string(), None, "date")}
            {field("recurrence", t_string!(i18n, admin.field_rule).to_string(), Some(t_string!(i18n, admin.hint_recurrence).to_string()), "text")}
        </fieldset>
    }
}

/// The event's own registration questions, one group of fields each and an empty one for a new
/// question: a plain form, so it works without JavaScript (saving adds another empty group). A
/// saved question keeps its key, under which its answers are kept.
#[component]
fn QuestionEditor(submission: Submission) -> impl IntoView {
    use domain::QuestionKind;
    use domain::questions::{ROWS_FIELD, editor_rows, row_field};
    let i18n = use_i18n();
    let rows = editor_rows(&submission.values);
    let kind_label = move |kind: QuestionKind| match kind {
        QuestionKind::ShortText => t_string!(i18n, admin.question_short_text).to_string(),
        QuestionKind::LongText => t_string!(i18n, admin.question_long_text).to_string(),
        QuestionKind::Select => t_string!(i18n, admin.question_select).to_string(),
        QuestionKind::Radios => t_string!(i18n, admin.question_radios).to_string(),
        QuestionKind::Checkboxes => t_string!(i18n, admin.question_checkboxes).to_string(),
        QuestionKind::YesNo => t_string!(i18n, admin.question_yes_no).to_string(),
    };
    let row = move |at: usize| {
        let name = |part: &str| row_field(at, part);
        let value = |part: &str| submission.value(&name(part));
        let saved = domain::is_ticked(&value("saved"));
        let text = |part: &str, label: String, hint: Option<String>, kind: &'static str| {
            event_text_field(name(part), label, hint, (kind, false), submission.clone())
        };
        let kind_name = name("kind");
        let kind_id = field_id(&kind_name);
        let kind_error = error_text(&submission, &kind_name);
        let chosen_kind = QuestionKind::parse(&value("kind")).unwrap_or_default();
        let key_name = name("key");
        let key_id = field_id(&key_name);
        let key_error = error_text(&submission, &key_name);
        let heading = match saved {
            true => t_string!(i18n, admin.question_number, n = at + 1).to_string(),
            false => t_string!(i18n, admin.question_new).to_string(),
        };
        view! {
            <fieldset class="question-row">
                <legend>{heading}</legend>
                {saved.then(|| view! { <input type="hidden" name=name("saved") value="on"/> })}
                {text("label", t_string!(i18n, admin.question_label).to_string(), None, "text")}
                {text("label_de", t_string!(i18n, admin.question_label_de).to_string(), None, "text")}
                {text("hint", t_string!(i18n, admin.question_hint).to_string(), None, "text")}
                {text("hint_de", t_string!(i18n, admin.question_hint_de).to_string(), None, "text")}
                <div class="field" class:field-invalid=kind_error.is_some()>
                    <label for=kind_id.clone()>{t!(i18n, admin.question_kind)}</label>
                    <FieldMessages id=kind_id.clone() hint=None error=kind_error.clone()/>
                    <select id=kind_id.clone() name=kind_name.clone()
                        aria-describedby=kind_error.is_some().then(|| format!("{kind_id}-error"))
                        aria-invalid=kind_error.is_some().then_some("true")>
                        {QuestionKind::ALL.into_iter().map(|kind| view! {
                            <option value=kind.as_str() selected=kind == chosen_kind>{kind_label(kind)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <TextArea
                    name=name("options")
                    label=t_string!(i18n, admin.question_options).to_string()
                    hint=t_string!(i18n, admin.question_options_hint).to_string()
                    rows=4
                    submission=submission.clone()
                />
                <Checkbox name=name("required") label=t_string!(i18n, admin.question_required).to_string() submission=submission.clone()/>
                {if saved {
                    // The key of a saved question stays: its answers are kept under it.
                    view! {
                        <div class="field" class:field-invalid=key_error.is_some()>
                            <label for=key_id.clone()>{t!(i18n, admin.question_key)}</label>
                            <FieldMessages id=key_id.clone() hint=Some(t_string!(i18n, admin.question_key_saved_hint).to_string()) error=key_error.clone()/>
                            <input id=key_id.clone() name=key_name.clone() type="text" readonly value=value("key")
                                aria-describedby=described_by(&key_id, true, key_error.is_some())
                                aria-invalid=key_error.is_some().then_some("true")/>
                        </div>
                    }
                    .into_any()
                } else {
                    text("key", t_string!(i18n, admin.question_key).to_string(), Some(t_string!(i18n, admin.question_key_hint).to_string()), "text").into_any()
                }}
                {text("position", t_string!(i18n, admin.question_position).to_string(), None, "number")}
                {saved.then(|| view! {
                    <Checkbox name=name("remove") label=t_string!(i18n, admin.question_remove).to_string() submission=submission.clone()/>
                })}
            </fieldset>
        }
    };
    view! {
        <fieldset class="field questions">
            <legend>{t!(i18n, admin.questions_heading)}</legend>
            <p class="hint">{t!(i18n, admin.questions_hint)}</p>
            <input type="hidden" name=ROWS_FIELD value=rows.to_string()/>
            {(0..rows).map(row).collect_view()}
        </fieldset>
    }
}

/// Who sees the online link: everyone (community calls), or only the people registered.
#[component]
fn OnlineAccessSelect(submission: Submission) -> impl IntoView {
    use domain::event::OnlineAccess;
    let i18n = use_i18n();
    let chosen = OnlineAccess::parse(&submission.value("online_access")).unwrap_or_default();
    let error = error_text(&submission, "online_access");
    let label = move |access: OnlineAccess| match access {
        OnlineAccess::Public => t_string!(i18n, admin.online_public).to_string(),
        OnlineAccess::Seated => t_string!(i18n, admin.online_seated).to_string(),
        OnlineAccess::SeatedAndWaiting => {
            t_string!(i18n, admin.online_seated_and_waiting).to_string()
        }
    };
    view! {
        <div class="field" class:field-invalid=error.is_some()>
            <label for="field-online_access">{t!(i18n, admin.field_online_access)}</label>
            <FieldMessages id="field-online_access".to_owned() hint=Some(t_string!(i18n, admin.hint_online_access).to_string()) error=error.clone()/>
            <select id="field-online_access" name="online_access"
                aria-describedby=if error.is_some() { "field-online_access-hint field-online_access-error" } else { "field-online_access-hint" }
                aria-invalid=error.is_some().then_some("true")>
                {OnlineAccess::ALL.into_iter().map(|access| view! {
                    <option value=access.as_str() selected=access == chosen>{label(access)}</option>
                }).collect_view()}
            </select>
        </div>
    }
}
