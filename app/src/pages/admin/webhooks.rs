//! `/admin/webhooks`: the endpoints other tools listen at.

use super::*;

/// `/admin/webhooks` (admins): each endpoint with its types, whether it gets personal data, its
/// signing secret and its recent deliveries; resume a paused one, remove one, add one.
#[component]
pub fn WebhooksPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = Resource::new(
        move || query.read().get("notice"),
        |notice| async move { load_webhooks(notice).await.map(Some) },
    );
    view! {
        <Title text=t_string!(i18n, webhooks.title).to_string()/>
        <div class="page-head"><h1>{t!(i18n, webhooks.title)}</h1></div>
        {loaded(page, |page| view! { <Webhooks page/> }.into_any(), not_found)}
    }
}

#[component]
fn Webhooks(page: WebhooksView) -> impl IntoView {
    let i18n = use_i18n();
    let submission = page.submission.clone().unwrap_or_default();
    let endpoints = if page.endpoints.is_empty() {
        view! { <p>{t!(i18n, webhooks.none)}</p> }.into_any()
    } else {
        page.endpoints
            .into_iter()
            .map(|endpoint| view! { <Endpoint endpoint/> })
            .collect_view()
            .into_any()
    };
    view! {
        <AdminNoticeBox notice=page.notice.clone()/>
        <ErrorSummary errors=submission.errors.clone() message=None/>
        <p class="hint">{t!(i18n, webhooks.intro)}</p>
        {endpoints}
        <AddEndpoint submission/>
        <Matrix rooms=page.matrix_rooms deliveries=page.matrix_deliveries/>
    }
}

#[component]
fn Endpoint(endpoint: WebhookLine) -> impl IntoView {
    let i18n = use_i18n();
    let heading_id = format!("webhook-{}", endpoint.id);
    let kinds = endpoint.kinds.join(", ");
    let waiting = endpoint.waiting;
    let state = match &endpoint.paused_since {
        Some(since) => {
            let since = since.clone();
            view! {
                <p class="notice notice-error">{t!(i18n, webhooks.paused, since, waiting)}</p>
                <form method="post" action=format!("/admin/webhooks/{}/resume", endpoint.id) class="inline-form">
                    <button class="button" type="submit">
                        {t!(i18n, webhooks.resume)}<span class="visually-hidden">{format!(": {}", endpoint.url)}</span>
                    </button>
                </form>
            }
            .into_any()
        }
        None if waiting > 0 => view! { <p>{t!(i18n, webhooks.waiting, waiting)}</p> }.into_any(),
        None => view! { <p>{t!(i18n, webhooks.active)}</p> }.into_any(),
    };
    let caption_id = format!("webhook-{}-deliveries", endpoint.id);
    let deliveries = view! { <Deliveries caption_id deliveries=endpoint.deliveries.clone()/> };
    let labelled_by = heading_id.clone();
    view! {
        <section class="admin-section" aria-labelledby=labelled_by>
            <h2 id=heading_id class="webhook-url">{endpoint.url.clone()}</h2>
            {(!endpoint.description.is_empty()).then(|| view! { <p>{endpoint.description.clone()}</p> })}
            <p>{t!(i18n, webhooks.types, kinds)}</p>
            <p>{if endpoint.personal_data {
                t_string!(i18n, webhooks.personal_yes)
            } else {
                t_string!(i18n, webhooks.personal_no)
            }}</p>
            {state}
            <details>
                <summary>{t!(i18n, webhooks.secret)}</summary>
                <p class="hint">{t!(i18n, webhooks.secret_hint)}</p>
                <p><code class="webhook-secret">{endpoint.secret.clone()}</code></p>
            </details>
            {deliveries}
            <form method="post" action=format!("/admin/webhooks/{}/remove", endpoint.id) class="inline-form">
                <button class="button button-danger" type="submit">
                    {t!(i18n, webhooks.remove)}<span class="visually-hidden">{format!(": {}", endpoint.url)}</span>
                </button>
            </form>
        </section>
    }
}

/// A delivery log: each delivery's type, status, attempts, last answer and time (and room, for
/// Matrix notices).
#[component]
fn Deliveries(caption_id: String, deliveries: Vec<DeliveryLine>) -> impl IntoView {
    let i18n = use_i18n();
    if deliveries.is_empty() {
        return view! { <p>{t!(i18n, webhooks.no_deliveries)}</p> }.into_any();
    }
    let rooms = deliveries.iter().any(|d| d.room.is_some());
    let labelled_by = caption_id.clone();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby=labelled_by>
            <table class="admin-table">
                <caption id=caption_id>{t!(i18n, webhooks.deliveries)}</caption>
                <thead><tr>
                    {rooms.then(|| view! { <th scope="col">{t!(i18n, webhooks.col_room)}</th> })}
                    <th scope="col">{t!(i18n, webhooks.col_type)}</th>
                    <th scope="col">{t!(i18n, webhooks.col_status)}</th>
                    <th scope="col">{t!(i18n, webhooks.col_attempts)}</th>
                    <th scope="col">{t!(i18n, webhooks.col_answer)}</th>
                    <th scope="col">{t!(i18n, webhooks.col_queued)}</th>
                </tr></thead>
                <tbody>
                    {deliveries.into_iter().map(|d| {
                        let answer = match (d.response_status, d.last_error) {
                            (_, Some(error)) => error,
                            (Some(status), None) => status.to_string(),
                            (None, None) => String::new(),
                        };
                        view! {
                            <tr>
                                {d.room.map(|room| view! { <td><code>{room}</code></td> })}
                                <td><code>{d.kind}</code></td>
                                <td>{delivery_status(i18n, &d.status)}</td>
                                <td>{d.attempts}</td>
                                <td>{answer}</td>
                                <td>{d.created}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// Where Matrix notices go and how they went.
#[component]
fn Matrix(rooms: Vec<String>, deliveries: Vec<DeliveryLine>) -> impl IntoView {
    let i18n = use_i18n();
    // Off and never on: nothing to list.
    let log = (!rooms.is_empty() || !deliveries.is_empty()).then(|| {
        view! { <Deliveries caption_id="matrix-deliveries".to_owned() deliveries/> }
    });
    let state = if rooms.is_empty() {
        view! { <p>{t!(i18n, webhooks.matrix_off)}</p> }.into_any()
    } else {
        let rooms = rooms.join(", ");
        view! { <p>{t!(i18n, webhooks.matrix_rooms, rooms)}</p> }.into_any()
    };
    view! {
        <section class="admin-section" aria-labelledby="matrix-heading">
            <h2 id="matrix-heading">{t!(i18n, webhooks.matrix)}</h2>
            {state}
            {log}
        </section>
    }
}

fn delivery_status(i18n: leptos_i18n::I18nContext<Locale>, status: &str) -> String {
    match status {
        "pending" => t_string!(i18n, webhooks.status_pending),
        "sending" => t_string!(i18n, webhooks.status_sending),
        "sent" => t_string!(i18n, webhooks.status_sent),
        _ => t_string!(i18n, webhooks.status_failed),
    }
    .to_string()
}

#[component]
fn AddEndpoint(submission: Submission) -> impl IntoView {
    let i18n = use_i18n();
    let ticked: Vec<String> = submission
        .value("kinds")
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let kinds_error = crate::components::form::error_text(&submission, "kinds");
    view! {
        <section class="admin-section" aria-labelledby="add-webhook-heading">
            <h2 id="add-webhook-heading">{t!(i18n, webhooks.add_heading)}</h2>
            <form class="form" method="post" action="/admin/webhooks" novalidate>
                <TextField name="url" label=t_string!(i18n, webhooks.url).to_string()
                    hint=Some(t_string!(i18n, webhooks.url_hint).to_string())
                    kind="url" autocomplete="off" required=true submission=submission.clone()/>
                <TextField name="description" label=t_string!(i18n, webhooks.description).to_string()
                    hint=Some(t_string!(i18n, webhooks.description_hint).to_string())
                    kind="text" autocomplete="off" required=false submission=submission.clone()/>
                <fieldset class="field choices" class:field-invalid=kinds_error.is_some()
                    aria-describedby=if kinds_error.is_some() { "field-kinds-hint field-kinds-error" } else { "field-kinds-hint" }>
                    <legend>{t!(i18n, webhooks.kinds)}</legend>
                    <crate::components::form::FieldMessages id="field-kinds".to_owned()
                        hint=Some(t_string!(i18n, webhooks.kinds_hint).to_string()) error=kinds_error.clone()/>
                    {domain::webhooks::WebhookKind::ALL.into_iter().enumerate().map(|(at, kind)| {
                        // The first box carries the field's id, so that the error summary leads to it.
                        let id = if at == 0 { "field-kinds".to_owned() } else { format!("field-kinds-{at}") };
                        view! {
                            <div class="field-checkbox">
                                <input id=id.clone() name="kinds" type="checkbox" value=kind.as_str()
                                    checked=ticked.iter().any(|word| word == kind.as_str())/>
                                <label for=id><code>{kind.as_str()}</code></label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <Checkbox name="personal_data" label=t_string!(i18n, webhooks.personal_data).to_string() submission=submission.clone()/>
                <p class="hint" id="field-personal_data-hint">{t!(i18n, webhooks.personal_data_hint)}</p>
                <button class="button" type="submit">{t!(i18n, webhooks.add_button)}</button>
            </form>
        </section>
    }
}
