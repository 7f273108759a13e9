//! The browser entry point: leptos' island script calls `hydrate`, then hydrates the page's
//! islands (`#[island]` components in the `app` crate).

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    app::browser::start();
}
