use leptos::prelude::*;

/// The frame of every page: skip link, site header with navigation, main content, footer.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">"Skip to main content"</a>
        <header class="site-header">
            <div class="site-header-inner">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true"></span>
                    <span class="brand-name">"convene"</span>
                    <span class="brand-tagline">"Community events"</span>
                </a>
                <nav aria-label="Main">
                    <ul class="nav-list">
                        <li><a href="/">"Upcoming"</a></li>
                        <li><a href="/events/past">"Past events"</a></li>
                        <li><a href="/calendar.ics" rel="external">"Calendar feed"</a></li>
                    </ul>
                </nav>
            </div>
        </header>
        <main id="main" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <p>
                "Subscribe to every event in your calendar app: "
                <a href="/calendar.ics" rel="external">"calendar.ics"</a>
                ". Machine-readable: " <a href="/api/v1/events" rel="external">"/api/v1/events"</a> "."
            </p>
        </footer>
    }
}
