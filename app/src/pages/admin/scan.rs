//! `/admin/events/{slug}/scan`: reading tickets at the door.

use super::check_in::door_name;
use super::*;
use crate::model::{ScanAnswer, ScanShown, ScanView};

/// `/admin/events/{slug}/scan`: the camera reads a ticket's QR code where the browser can
/// (`BarcodeDetector`, driven by `public/in-place.js`); typing the code works everywhere, also
/// without JavaScript, and the door list finds people by name.
#[component]
pub fn ScanPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let page = Resource::new(
        move || {
            let query = query.read();
            (
                event_slug(&params.read()),
                query.get("code"),
                query.get("notice"),
            )
        },
        |(slug, code, notice)| for_event(slug, move |slug| load_scan(slug, code, notice)),
    );
    view! {
        {loaded(page, |page| view! { <Scanner page/> }.into_any(), not_found)}
    }
}

#[component]
fn Scanner(page: ScanView) -> impl IntoView {
    let i18n = use_i18n();
    let title = page.title.clone();
    let base = admin_event_href(&page.slug);
    let action = format!("{base}/scan");
    let submission = page.submission.clone().unwrap_or_default();
    let (arrived, expected) = (page.arrived, page.expected);
    view! {
        <Title text=t_string!(i18n, admin.scan_title, title = title.clone()).to_string()/>
        <div class="page-head">
            <p><a href=page.back.clone()>"← " {page.title.clone()}</a></p>
            <h1>{t!(i18n, admin.scan_title, title = title.clone())}</h1>
            <p class="lead" id="arrived-count">{t!(i18n, admin.arrived_of, arrived, expected)}</p>
        </div>
        <ErrorSummary errors=submission.errors.clone() message=None/>
        {page.scanned.clone().map(|answer| view! { <ScanResultBox answer action=action.clone()/> })}
        // Shown by the script where the browser reads QR codes; it fills in the code below and
        // sends the form.
        <div
            class="scanner"
            data-scanner=""
            data-denied=t_string!(i18n, admin.scan_camera_denied).to_string()
            data-looking=t_string!(i18n, admin.scan_camera_looking).to_string()
            hidden
        >
            <video id="scan-video" muted playsinline aria-hidden="true"></video>
            <button id="scan-start" class="button" type="button">{t!(i18n, admin.scan_start)}</button>
            <p id="scan-status" class="hint" role="status"></p>
        </div>
        <form id="scan-form" class="scan-form" method="post" action=action.clone()>
            <TextField
                name="code"
                label=t_string!(i18n, admin.scan_code).to_string()
                hint=Some(t_string!(i18n, admin.scan_code_hint).to_string())
                kind="text"
                autocomplete="off"
                required=true
                submission=submission.clone()
            />
            <button id="scan-submit" class="button" type="submit">{t!(i18n, admin.scan_check)}</button>
        </form>
        <p><a href=format!("{base}/check-in")>{t!(i18n, admin.scan_by_name)}</a></p>
    }
}

/// What the ticket just read says, in large type: green when the holder may come in.
#[component]
fn ScanResultBox(answer: ScanAnswer, action: String) -> impl IntoView {
    let i18n = use_i18n();
    let headline = match &answer.result {
        ScanShown::CheckedIn => t_string!(i18n, admin.scan_checked_in).to_string(),
        ScanShown::AlreadyCheckedIn(time) => {
            t_string!(i18n, admin.scan_already, time = time.clone()).to_string()
        }
        ScanShown::Seated => t_string!(i18n, admin.scan_seated).to_string(),
        ScanShown::Waiting => t_string!(i18n, admin.scan_waiting).to_string(),
        ScanShown::NoLongerRegistered => t_string!(i18n, admin.scan_no_longer).to_string(),
        ScanShown::OtherEvent => t_string!(i18n, admin.scan_other_event).to_string(),
        ScanShown::Unknown => t_string!(i18n, admin.scan_unknown).to_string(),
    };
    let class = match &answer.result {
        ScanShown::CheckedIn => "scan-result scan-in",
        ScanShown::AlreadyCheckedIn(_) | ScanShown::Seated => "scan-result scan-note",
        _ => "scan-result scan-out",
    };
    let name = answer.holder.as_ref().map(|holder| door_name(i18n, holder));
    let code = answer.code.clone();
    view! {
        <section class=class id="scan-result" role="status" aria-labelledby="scan-headline">
            <p class="scan-headline" id="scan-headline">{headline}</p>
            {name.clone().map(|name| view! { <p class="scan-name">{name}</p> })}
            {answer.holder.as_ref().and_then(|h| h.organisation.clone()).map(|o| view! { <p>{o}</p> })}
            <p class="hint">{t!(i18n, admin.scan_code_was, code = code.clone())}</p>
            {(answer.result == ScanShown::Seated).then(|| view! {
                <form method="post" action=action>
                    <input type="hidden" name="code" value=code.clone()/>
                    <button id="scan-confirm" class="button" type="submit">
                        {t!(i18n, admin.scan_check)}
                        <span class="visually-hidden">{format!(": {}", name.clone().unwrap_or_default())}</span>
                    </button>
                </form>
            })}
        </section>
    }
}
