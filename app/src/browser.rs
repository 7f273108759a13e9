//! What runs in the browser before the islands hydrate.

use std::time::Duration;

use leptos::prelude::*;

/// Sets up the islands' reactive root. leptos' island script then hydrates every
/// `<leptos-island>` of the page in the same task; once they are done, `<html>` says so
/// (`data-hydrated`), for browser tests and curious people.
pub fn start() {
    leptos::mount::hydrate_islands();
    set_timeout(
        || {
            if let Some(root) = document().document_element() {
                let _ = root.set_attribute("data-hydrated", "true");
            }
        },
        Duration::ZERO,
    );
}
