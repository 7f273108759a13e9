use leptos::prelude::*;
use leptos_meta::Title;

/// `/privacy`: what convene keeps about people who register, and why.
#[component]
pub fn PrivacyPage() -> impl IntoView {
    view! {
        <Title text="Privacy note"/>
        <article class="prose">
            <h1>"Privacy note"</h1>
            <p>"When you register for an event we keep what you enter in the form: your name, your e-mail address, and, if you give them, your organisation, your notes and your answers to the event's questions. We use them only to run that event: to hold your seat, to write to you about your registration, and to let the organizers know who comes."</p>
            <h2>"Who sees your data"</h2>
            <p>"The organizers of the event. Nobody else: the site loads no external fonts, scripts or trackers."</p>
            <h2>"How long we keep it"</h2>
            <p>"Until a while after the event. You can see your registration and cancel it at any time with the personal link in your e-mail."</p>
            <h2>"Your rights"</h2>
            <p>"Under the GDPR you may ask the organizers to show, correct or erase your data."</p>
        </article>
    }
}
