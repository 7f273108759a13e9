//! `/admin/events/{slug}`: an event's registrations, its settings at a glance, and its log.

use super::*;

/// `/admin/events/{slug}`
#[component]
pub fn AdminEventPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let page = Resource::new(
        move || {
            let query = query.read();
            (
                event_slug(&params.read()),
                query.get("q"),
                query.get("notice"),
                query.get("count").and_then(|c| c.parse().ok()),
            )
        },
        |(slug, q, notice, count)| {
            for_event(slug, move |slug| load_admin_event(slug, q, notice, count))
        },
    );
    view! {
        {loaded(page, |page| view! { <AdminEvent page/> }.into_any(), not_found)}
    }
}

#[component]
fn AdminEvent(page: AdminEventView) -> impl IntoView {
    let i18n = use_i18n();
    let base = admin_event_href(&page.slug);
    let submission = page.submission.clone().unwrap_or_default();
    let title = page.title.clone();
    view! {
        <Title text=t_string!(i18n, admin.event_title, title = title.clone()).to_string()/>
        <div class="page-head">
            <p><a href="/admin">"← " {t!(i18n, admin.events)}</a></p>
            <h1>{page.title.clone()}</h1>
            <p class="lead">{page.when.clone()}</p>
        </div>
        <AdminNoticeBox notice=page.notice.clone()/>
        {page.cancelled.clone().map(|at| view! { <p class="notice" role="note">{t!(i18n, admin.event_is_cancelled, at)}</p> })}
        {(!page.registration).then(|| view! { <p>{t!(i18n, admin.takes_no_registration)}</p> })}
        <p class="actions">
            {page.registration.then(|| view! {
                <a class="button button-secondary" href=format!("{base}/check-in")>{t!(i18n, admin.check_in)}</a>
                <a class="button button-secondary" href=format!("{base}/registrations.csv") download=format!("{}-registrations.csv", page.slug)>
                    {t!(i18n, admin.export_csv)}
                </a>
            })}
            {if page.published {
                view! { <a class="button button-secondary" href=event_href(&page.slug)>{t!(i18n, admin.public_page)}</a> }.into_any()
            } else {
                view! { <a class="button button-secondary" href=preview_href(&page.slug)>{t!(i18n, admin.preview)}</a> }.into_any()
            }}
            <a class="button button-secondary" href=format!("{base}/edit")>{t!(i18n, admin.edit_event)}</a>
            {page.topics.then(|| view! {
                <a class="button button-secondary" href=format!("{base}/topics")>{t!(i18n, admin.topics)}</a>
            })}
            {page.agenda.then(|| view! {
                <a class="button button-secondary" href=format!("{base}/agenda")>{t!(i18n, call.agenda_link)}</a>
            })}
        </p>
        <ErrorSummary errors=submission.errors.clone() message=None/>
        {page.series.then(|| view! {
            <DatesSection slug=page.slug.clone() dates=page.dates.clone() submission=submission.clone()/>
        })}
        {page.registration.then(|| view! { <RegistrationSections page=page.clone() submission=submission.clone()/> })}
        <section class="admin-section" aria-labelledby="log-heading">
            <h2 id="log-heading">{t!(i18n, admin.settings_log)}</h2>
            <AuditTable lines=page.log.clone() id="event-log"/>
        </section>
    }
}

/// A series' next dates, and the form that cancels, moves or restores one of them.
#[component]
fn DatesSection(slug: String, dates: Vec<OccurrenceLink>, submission: Submission) -> impl IntoView {
    let i18n = use_i18n();
    let change = submission
        .values
        .get("change")
        .cloned()
        .unwrap_or_else(|| "cancel".to_owned());
    let field = |name: &'static str,
                 label: String,
                 hint: Option<String>,
                 kind: &'static str,
                 required: bool| {
        view! {
            <TextField
                name=name
                label=label
                hint=hint
                kind=kind
                autocomplete="off"
                required=required
                submission=submission.clone()
            />
        }
    };
    view! {
        <section class="admin-section" aria-labelledby="dates-heading">
            <h2 id="dates-heading">{t!(i18n, event.next_dates)}</h2>
            <OccurrenceList links=dates empty=true/>
            <h3 id="occurrence-heading">{t!(i18n, admin.occurrence_heading)}</h3>
            <p class="hint">{t!(i18n, admin.occurrence_hint)}</p>
            <form class="form" method="post" action=format!("{}/occurrence", admin_event_href(&slug)) novalidate>
                {field("date", t_string!(i18n, admin.field_date).to_string(), None, "date", true)}
                <fieldset class="field">
                    <legend>{t!(i18n, admin.change_legend)}</legend>
                    {[("cancel", t_string!(i18n, admin.change_cancel)), ("move", t_string!(i18n, admin.change_move)), ("restore", t_string!(i18n, admin.change_restore)), ("notes", t_string!(i18n, admin.change_notes))]
                        .into_iter()
                        .map(|(value, label)| view! {
                            <div class="field-checkbox">
                                <input id=format!("field-change-{value}") name="change" type="radio" value=value checked=change == value/>
                                <label for=format!("field-change-{value}")>{label}</label>
                            </div>
                        })
                        .collect_view()}
                </fieldset>
                {field("moved_starts_at", t_string!(i18n, admin.field_moved_starts_at).to_string(), Some(t_string!(i18n, admin.hint_times).to_string()), "datetime-local", false)}
                {field("moved_ends_at", t_string!(i18n, admin.field_moved_ends_at).to_string(), None, "datetime-local", false)}
                <TextArea
                    name="notes"
                    label=t_string!(i18n, admin.field_date_notes).to_string()
                    hint=t_string!(i18n, admin.hint_date_notes).to_string()
                    rows=6
                    submission=submission.clone()
                />
                <button class="button" type="submit">{t!(i18n, admin.save_occurrence)}</button>
            </form>
        </section>
    }
}

/// Seats, people, answers, the curve and messages: the parts of an event with registration.
#[component]
fn RegistrationSections(page: AdminEventView, submission: Submission) -> impl IntoView {
    let i18n = use_i18n();
    let base = admin_event_href(&page.slug);
    let capacity_value = submission
        .values
        .get("capacity")
        .cloned()
        .unwrap_or_else(|| {
            page.seats
                .capacity
                .map(|c| c.to_string())
                .unwrap_or_default()
        });
    let capacity_submission = Submission {
        values: [("capacity".to_owned(), capacity_value)].into(),
        ..submission.clone()
    };
    let seats = page.seats;
    let (taken, unconfirmed, waiting, arrived, over) = (
        seats.seats_taken,
        seats.unconfirmed,
        seats.waitlisted,
        seats.checked_in,
        seats.over_capacity,
    );
    view! {
        <dl class="facts admin-counts">
            <dt>{t!(i18n, admin.capacity)}</dt>
            <dd>{seats.capacity.map_or_else(|| t_string!(i18n, admin.unlimited).to_string(), |c| c.to_string())}</dd>
            <dt>{t!(i18n, admin.seats_taken)}</dt>
            <dd>{taken}</dd>
            <dt>{t!(i18n, admin.unconfirmed)}</dt>
            <dd>{unconfirmed}</dd>
            <dt>{t!(i18n, admin.waiting)}</dt>
            <dd>{waiting}</dd>
            <dt>{t!(i18n, admin.arrived)}</dt>
            <dd>{arrived}</dd>
        </dl>
        {(over > 0).then(|| view! {
            <p class="notice notice-error" role="status">{t!(i18n, admin.over_capacity, over)}</p>
        })}
        <section class="admin-section" aria-labelledby="capacity-heading">
            <h2 id="capacity-heading">{t!(i18n, admin.capacity_heading)}</h2>
            <form class="form" method="post" action=format!("{base}/capacity") novalidate>
                <TextField
                    name="capacity"
                    label=t_string!(i18n, admin.capacity).to_string()
                    hint=Some(t_string!(i18n, admin.capacity_hint).to_string())
                    kind="number"
                    autocomplete="off"
                    required=false
                    submission=capacity_submission
                />
                <button class="button" type="submit">{t!(i18n, admin.save_capacity)}</button>
            </form>
            {page.cancelled.is_none().then(|| view! {
                <form method="post" action=format!("{base}/registration") class="actions">
                    <input type="hidden" name="open" value=if page.registration_open { "false" } else { "true" }/>
                    <p>{if page.registration_open { t_string!(i18n, admin.registration_is_open) } else { t_string!(i18n, admin.registration_is_closed) }}</p>
                    <button class="button button-secondary" type="submit">
                        {if page.registration_open { t_string!(i18n, admin.close_registration) } else { t_string!(i18n, admin.open_registration) }}
                    </button>
                </form>
            })}
        </section>
        {page.erasure.clone().map(|erasure| {
            let (at, days) = (erasure.at.clone(), erasure.days);
            view! {
                <section class="admin-section" aria-labelledby="privacy-heading">
                    <h2 id="privacy-heading">{t!(i18n, admin.privacy_heading)}</h2>
                    <p>
                        {if erasure.done {
                            t_string!(i18n, admin.erase_done, at = at.clone()).to_string()
                        } else {
                            t_string!(i18n, admin.erase_due, at = at.clone(), days).to_string()
                        }}
                    </p>
                    {erasure.can_erase_now.then(|| view! {
                        <p class="hint">{t!(i18n, admin.erase_now_hint)}</p>
                        <form method="post" action=format!("{base}/erase") class="form" novalidate>
                            <Checkbox
                                name="confirm"
                                label=t_string!(i18n, admin.erase_now_confirm).to_string()
                                submission=submission.clone()
                            />
                            <button class="button button-danger" type="submit">{t!(i18n, admin.erase_now_button)}</button>
                        </form>
                    })}
                </section>
            }
        })}
        <section class="admin-section" aria-labelledby="people-heading">
            <h2 id="people-heading">{t!(i18n, admin.people)}</h2>
            <form method="get" action=base.clone() class="search-form" role="search">
                <label for="q">{t!(i18n, admin.search)}</label>
                <input id="q" name="q" type="search" value=page.query.clone()/>
                <button class="button button-secondary" type="submit">{t!(i18n, admin.search_button)}</button>
            </form>
            {(!page.offers.is_empty()).then(|| view! {
                <PeopleTable caption=t_string!(i18n, admin.offers, count = page.offers.len()).to_string() id="offers" people=page.offers.clone() slug=page.slug.clone() waiting=false/>
            })}
            <PeopleTable caption=t_string!(i18n, admin.seated, taken).to_string() id="seated" people=page.seated.clone() slug=page.slug.clone() waiting=false/>
            <PeopleTable caption=t_string!(i18n, admin.waitlist, waiting).to_string() id="waiting" people=page.waiting.clone() slug=page.slug.clone() waiting=true/>
            {(!page.ended.is_empty()).then(|| view! {
                <details>
                    <summary>{t!(i18n, admin.ended, count = page.ended.len())}</summary>
                    <PeopleTable caption=t_string!(i18n, admin.ended_caption).to_string() id="ended" people=page.ended.clone() slug=page.slug.clone() waiting=false/>
                </details>
            })}
        </section>
        {(!page.curve.is_empty()).then(|| view! { <CurveSection points=page.curve.clone()/> })}
        {(!page.answers.is_empty()).then(|| view! { <AnswerTotalsSection totals=page.answers.clone()/> })}
        <section class="admin-section" aria-labelledby="broadcast-heading">
            <h2 id="broadcast-heading">{t!(i18n, admin.broadcast_heading)}</h2>
            {match page.broadcast.clone() {
                Some(preview) => view! { <BroadcastCheck preview base=base.clone()/> }.into_any(),
                None => view! {
                    <BroadcastForm base=base.clone() submission=submission.clone() taken waiting/>
                }
                .into_any(),
            }}
        </section>
    }
}

#[component]
fn PeopleTable(
    caption: String,
    id: &'static str,
    people: Vec<AdminPerson>,
    slug: String,
    waiting: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let caption_id = format!("{id}-caption");
    let labelled_by = caption_id.clone();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby=labelled_by>
            <table class="admin-table" id=id>
                <caption id=caption_id>{caption}</caption>
                <thead><tr>
                    {waiting.then(|| view! { <th scope="col">{t!(i18n, admin.position)}</th> })}
                    <th scope="col">{t!(i18n, admin.name)}</th>
                    <th scope="col">{t!(i18n, admin.email)}</th>
                    <th scope="col">{t!(i18n, admin.organisation)}</th>
                    <th scope="col">{t!(i18n, admin.status)}</th>
                </tr></thead>
                <tbody>
                    {people.into_iter().map(|p| {
                        let href = format!("{}/registrations/{}", admin_event_href(&slug), p.id);
                        let status = admin_status_label(i18n, p.status);
                        let arrived = p.checked_in.then(|| format!(" · {}", t_string!(i18n, admin.arrived)));
                        let until = p.held_until.clone().map(|until| format!(" · {}", t_string!(i18n, admin.held_until, until)));
                        view! {
                            <tr>
                                {waiting.then(|| view! { <td>{p.waitlist_position.unwrap_or(0)}</td> })}
                                <td><a href=href>{person_name(i18n, &p)}</a></td>
                                <td>{p.email.clone()}</td>
                                <td>{p.organisation.clone().unwrap_or_default()}</td>
                                <td>{status}{until}{arrived}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// What people answered, a table per question: how many hold a seat and how many registered.
#[component]
fn AnswerTotalsSection(totals: Vec<domain::answers::AnswerTotals>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="admin-section" aria-labelledby="answers-heading">
            <h2 id="answers-heading">{t!(i18n, admin.answers_heading)}</h2>
            {totals
                .into_iter()
                .map(|question| view! {
                    <table class="admin-table answers" id=format!("answers-{}", question.key)>
                        <caption>{question.label.clone()}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, admin.answer)}</th>
                                <th scope="col" class="number">{t!(i18n, admin.answer_seated)}</th>
                                <th scope="col" class="number">{t!(i18n, admin.answer_registered)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {question
                                .rows
                                .into_iter()
                                .map(|row| view! {
                                    <tr>
                                        <th scope="row">
                                            {match row.answer {
                                                Some(answer) => answer.into_any(),
                                                None => t!(i18n, admin.no_answer).into_any(),
                                            }}
                                        </th>
                                        <td class="number">{row.seated}</td>
                                        <td class="number">{row.registered}</td>
                                    </tr>
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                })
                .collect_view()}
        </section>
    }
}

/// The message form: who gets it and what; its button shows the preview, nothing is sent yet.
#[component]
fn BroadcastForm(base: String, submission: Submission, taken: u32, waiting: u32) -> impl IntoView {
    let i18n = use_i18n();
    // Seated people are chosen until the organizer says otherwise.
    let chosen = |name: &str| match submission.values.get(name) {
        Some(value) => domain::is_ticked(value),
        None => submission.values.is_empty() && name == "seated",
    };
    view! {
        <form class="form" method="post" action=format!("{base}/broadcast") novalidate>
            <fieldset class="field" class:field-invalid=submission.error("audience").is_some()>
                <legend>{t!(i18n, admin.audience)}</legend>
                {submission.error("audience").map(|_| view! {
                    <p class="field-message" id="field-audience-error">{t!(i18n, admin.audience_required)}</p>
                })}
                <div class="field-checkbox">
                    <input id="field-seated" name="seated" type="checkbox" checked=chosen("seated")/>
                    <label for="field-seated">{t!(i18n, admin.audience_seated, taken)}</label>
                </div>
                <div class="field-checkbox">
                    <input id="field-waiting" name="waiting" type="checkbox" checked=chosen("waiting")/>
                    <label for="field-waiting">{t!(i18n, admin.audience_waiting, waiting)}</label>
                </div>
            </fieldset>
            <TextField
                name="subject"
                label=t_string!(i18n, admin.subject).to_string()
                hint=None
                kind="text"
                autocomplete="off"
                required=true
                submission=submission.clone()
            />
            <TextArea
                name="message"
                label=t_string!(i18n, admin.message).to_string()
                hint=t_string!(i18n, admin.message_hint).to_string()
                rows=6
                submission=submission.clone()
            />
            <button id="broadcast-preview" class="button" type="submit" name="step" value="preview">
                {t!(i18n, admin.preview_message)}
            </button>
        </form>
    }
}

/// The message as it will go out and whom it reaches; sending, a test to oneself, or back to
/// the form. The fields travel hidden with each button.
#[component]
fn BroadcastCheck(preview: BroadcastPreview, base: String) -> impl IntoView {
    let i18n = use_i18n();
    let recipients = preview.recipients;
    let (total, confirmed, unconfirmed, waiting) = (
        recipients.total(),
        recipients.confirmed,
        recipients.unconfirmed,
        recipients.waiting,
    );
    let subject = preview.subject.clone();
    let ticked = |on: bool| if on { "on" } else { "" };
    view! {
        {preview.test_sent_to.clone().map(|email| view! {
            <p class="notice notice-ok" role="status">{t!(i18n, admin.notice_broadcast_test, email)}</p>
        })}
        // Focused when the page opens (with or without the in-place script), so a keyboard or
        // screen reader starts at what is to be checked.
        <div class="broadcast-preview" id="broadcast-check" tabindex="-1" autofocus>
            <h3>{t!(i18n, admin.preview_heading)}</h3>
            <p class="lead">
                {if total == 0 {
                    t_string!(i18n, admin.preview_nobody).to_string()
                } else {
                    t_string!(i18n, admin.preview_recipients, total, confirmed, unconfirmed, waiting).to_string()
                }}
            </p>
            <p><strong>{t!(i18n, admin.preview_subject, subject)}</strong></p>
            <div class="mail-text">{preview.message.clone()}</div>
        </div>
        <form class="form" method="post" action=format!("{base}/broadcast")>
            <input type="hidden" name="subject" value=preview.subject.clone()/>
            <input type="hidden" name="message" value=preview.message.clone()/>
            <input type="hidden" name="seated" value=ticked(preview.seated)/>
            <input type="hidden" name="waiting" value=ticked(preview.waiting)/>
            <input type="hidden" name="key" value=preview.key.clone()/>
            <div class="actions">
                {(total > 0).then(|| view! {
                    <button id="broadcast-send" class="button" type="submit" name="step" value="send">
                        {t!(i18n, admin.send_to, total)}
                    </button>
                })}
                <button id="broadcast-test" class="button button-secondary" type="submit" name="step" value="test">
                    {t!(i18n, admin.send_test)}
                </button>
                <button id="broadcast-edit" class="button button-secondary" type="submit" name="step" value="edit">
                    {t!(i18n, admin.edit_message)}
                </button>
            </div>
        </form>
    }
}

/// The registration curve: a chart drawn on the server (it needs no script), described in words
/// for a screen reader, with the same numbers as a table.
#[component]
fn CurveSection(points: Vec<domain::curve::CurvePoint>) -> impl IntoView {
    use domain::curve::{Frame, curve_max, polyline};
    let i18n = use_i18n();
    let frame = Frame {
        left: 40.0,
        top: 10.0,
        width: 580.0,
        height: 170.0,
    };
    let max = curve_max(&points);
    let line = |value: fn(&domain::curve::CurvePoint) -> u32| {
        polyline(&points.iter().map(value).collect::<Vec<_>>(), max, frame)
    };
    let series = [
        (
            "curve-seated",
            t_string!(i18n, admin.curve_seated).to_string(),
            line(|p| p.seated),
        ),
        (
            "curve-confirmed",
            t_string!(i18n, admin.curve_confirmed).to_string(),
            line(|p| p.confirmed),
        ),
        (
            "curve-waiting",
            t_string!(i18n, admin.curve_waiting).to_string(),
            line(|p| p.waiting),
        ),
        (
            "curve-dropped",
            t_string!(i18n, admin.curve_dropped).to_string(),
            line(|p| p.dropped),
        ),
    ];
    let (first, last) = match (points.first(), points.last()) {
        (Some(first), Some(last)) => (*first, *last),
        _ => return ().into_any(),
    };
    let day = |p: &domain::curve::CurvePoint| p.day.format("%Y-%m-%d").to_string();
    let (from, to) = (day(&first), day(&last));
    let (seated, confirmed, waiting, dropped) =
        (last.seated, last.confirmed, last.waiting, last.dropped);
    let bottom = frame.top + frame.height;
    let right = frame.left + frame.width;
    view! {
        <section class="admin-section" aria-labelledby="curve-heading">
            <h2 id="curve-heading">{t!(i18n, admin.curve_heading)}</h2>
            <figure class="curve">
                <svg viewBox="0 0 640 215" role="img" aria-labelledby="curve-title curve-desc" class="curve-chart">
                    <title id="curve-title">{t!(i18n, admin.curve_heading)}</title>
                    <desc id="curve-desc">
                        {t!(i18n, admin.curve_description, from = from.clone(), to = to.clone(), seated, confirmed, waiting, dropped)}
                    </desc>
                    <line class="curve-axis" x1=frame.left y1=frame.top x2=frame.left y2=bottom/>
                    <line class="curve-axis" x1=frame.left y1=bottom x2=right y2=bottom/>
                    <text class="curve-label" x=frame.left - 6.0 y=frame.top + 4.0 text-anchor="end">{max}</text>
                    <text class="curve-label" x=frame.left - 6.0 y=bottom + 4.0 text-anchor="end">"0"</text>
                    <text class="curve-label" x=frame.left y=bottom + 20.0>{from.clone()}</text>
                    <text class="curve-label" x=right y=bottom + 20.0 text-anchor="end">{to.clone()}</text>
                    {series.clone().into_iter().map(|(class, _, points)| view! {
                        <polyline class=class points=points fill="none"/>
                    }).collect_view()}
                </svg>
                <figcaption>
                    <ul class="curve-legend">
                        {series.into_iter().map(|(class, label, _)| view! {
                            <li><span class=format!("curve-key {class}") aria-hidden="true"></span>{label}</li>
                        }).collect_view()}
                    </ul>
                </figcaption>
            </figure>
            <details>
                <summary>{t!(i18n, admin.curve_table)}</summary>
                <div class="table-wrap" tabindex="0" role="region" aria-labelledby="curve-table-caption">
                    <table class="admin-table" id="curve-table">
                        <caption id="curve-table-caption" class="visually-hidden">{t!(i18n, admin.curve_heading)}</caption>
                        <thead><tr>
                            <th scope="col">{t!(i18n, admin.curve_day)}</th>
                            <th scope="col">{t!(i18n, admin.curve_seated)}</th>
                            <th scope="col">{t!(i18n, admin.curve_confirmed)}</th>
                            <th scope="col">{t!(i18n, admin.curve_waiting)}</th>
                            <th scope="col">{t!(i18n, admin.curve_dropped)}</th>
                        </tr></thead>
                        <tbody>
                            {points.iter().rev().map(|p| view! {
                                <tr>
                                    <th scope="row">{day(p)}</th>
                                    <td>{p.seated}</td>
                                    <td>{p.confirmed}</td>
                                    <td>{p.waiting}</td>
                                    <td>{p.dropped}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        </section>
    }
    .into_any()
}
