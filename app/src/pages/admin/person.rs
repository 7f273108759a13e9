//! `/admin/events/{slug}/registrations/{id}`: one person's registration.

use super::*;

/// `/admin/events/{slug}/registrations/{id}`
#[component]
pub fn AdminPersonPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let page = Resource::new(
        move || {
            let params = params.read();
            (
                event_slug(&params),
                params
                    .get("id")
                    .and_then(|id| id.parse::<i64>().ok())
                    .unwrap_or(0),
                query.read().get("notice"),
            )
        },
        |(slug, id, notice)| for_event(slug, move |slug| load_admin_person(slug, id, notice)),
    );
    view! {
        {loaded(page, |page| view! { <AdminPersonBody page/> }.into_any(), not_found)}
    }
}

#[component]
fn AdminPersonBody(page: AdminPersonView) -> impl IntoView {
    let i18n = use_i18n();
    let person = page.person.clone();
    let action = |what: &str| {
        format!(
            "{}/registrations/{}/{what}",
            admin_event_href(&page.event_slug),
            person.id
        )
    };
    let submission = page.submission.clone().unwrap_or_default();
    let active = person.status.is_active();
    let seated = person.status.holds_seat();
    let name = person_name(i18n, &person);
    let erasable = !person.erased;
    view! {
        <Title text=t_string!(i18n, admin.person_title, name = name.clone()).to_string()/>
        <div class="page-head">
            <p><a href=admin_event_href(&page.event_slug)>"← " {page.event_title.clone()}</a></p>
            <h1>{name.clone()}</h1>
        </div>
        <AdminNoticeBox notice=page.notice.clone()/>
        <dl class="facts">
            <dt>{t!(i18n, admin.status)}</dt>
            <dd>
                {admin_status_label(i18n, person.status)}
                {person.waitlist_position.map(|p| format!(" · #{p}"))}
                {person.checked_in.then(|| format!(" · {}", t_string!(i18n, admin.arrived)))}
            </dd>
            <dt>{t!(i18n, admin.email)}</dt>
            <dd>{person.email.clone()}</dd>
            {person.organisation.clone().map(|o| view! { <dt>{t!(i18n, admin.organisation)}</dt> <dd>{o}</dd> })}
            <dt>{t!(i18n, admin.registered)}</dt>
            <dd>{person.registered.clone()}</dd>
            {page.answers.iter().map(|(q, a)| view! { <dt>{q.clone()}</dt> <dd>{a.clone()}</dd> }).collect_view()}
            {page.notes.clone().map(|n| view! { <dt>{t!(i18n, admin.notes)}</dt> <dd>{n}</dd> })}
        </dl>
        <ErrorSummary errors=submission.errors.clone() message=None/>
        {page.can_promote.then(|| view! {
            <section class="admin-section" aria-labelledby="promote-heading">
                <h2 id="promote-heading">{t!(i18n, admin.promote_heading)}</h2>
                <p class="hint">{t!(i18n, admin.promote_hint)}</p>
                <form class="form" method="post" action=action("promote") novalidate>
                    <TextField
                        name="reason"
                        label=t_string!(i18n, admin.reason).to_string()
                        hint=Some(t_string!(i18n, admin.reason_hint).to_string())
                        kind="text"
                        autocomplete="off"
                        required=true
                        submission=submission.clone()
                    />
                    <button class="button" type="submit">{t!(i18n, admin.promote)}</button>
                </form>
            </section>
        })}
        {seated.then(|| view! {
            <form method="post" action=action("check-in") class="actions">
                <input type="hidden" name="arrived" value=if person.checked_in { "false" } else { "true" }/>
                <button class="button button-secondary" type="submit">
                    {if person.checked_in { t_string!(i18n, admin.undo_check_in) } else { t_string!(i18n, admin.mark_arrived) }}
                </button>
            </form>
        })}
        {active.then(|| view! {
            <section class="admin-section" aria-labelledby="manage-heading">
                <h2 id="manage-heading">{t!(i18n, admin.manage_heading)}</h2>
                <form method="post" action=action("resend") class="actions">
                    <button class="button button-secondary" type="submit">{t!(i18n, admin.resend)}</button>
                </form>
                <form method="post" action=action("cancel") class="form">
                    <div class="field field-checkbox">
                        <input id="field-notify" name="notify" type="checkbox" checked=true/>
                        <label for="field-notify">{t!(i18n, admin.notify)}</label>
                    </div>
                    <button class="button button-danger" type="submit">{t!(i18n, admin.cancel_registration)}</button>
                </form>
            </section>
        })}
        {erasable.then(|| view! {
            <section class="admin-section" aria-labelledby="erase-heading">
                <h2 id="erase-heading">{t!(i18n, admin.erase_heading)}</h2>
                <p class="hint">{t!(i18n, admin.erase_hint)}</p>
                <form method="post" action=action("erase") class="form" novalidate>
                    <Checkbox
                        name="confirm"
                        label=t_string!(i18n, admin.erase_confirm).to_string()
                        submission=submission.clone()
                    />
                    <button class="button button-danger" type="submit">{t!(i18n, admin.erase_button)}</button>
                </form>
            </section>
        })}
        <section class="admin-section" aria-labelledby="history-heading">
            <h2 id="history-heading">{t!(i18n, admin.history)}</h2>
            <AuditTable lines=page.history.clone() id="history"/>
        </section>
    }
}
