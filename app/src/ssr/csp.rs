//! The Content-Security-Policy of the site's HTML: scripts only with the nonce of the response
//! they came in (leptos puts it on its hydration scripts) or loaded by those, styles and images
//! only from the site, nothing framed, no plugins, forms only to the site.

use leptos::prelude::use_context;

/// The policy for a page whose scripts carry `nonce`; without one, no script runs at all.
pub fn policy(nonce: Option<&str>) -> String {
    let scripts = match nonce {
        Some(nonce) => format!("'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'"),
        None => "'none'".to_owned(),
    };
    format!(
        "default-src 'self'; script-src {scripts}; style-src 'self'; img-src 'self'; \
         font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         frame-ancestors 'none'; form-action 'self'"
    )
}

/// Sets the policy for the page being rendered, with the nonce leptos made for this response.
pub fn apply_to_page() {
    let Some(response) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    let nonce = leptos::nonce::use_nonce();
    let policy = policy(nonce.as_deref());
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::policy;

    #[test]
    fn scripts_need_the_responses_nonce() {
        let with = policy(Some("abc123"));
        assert!(with.contains("script-src 'nonce-abc123' 'strict-dynamic' 'wasm-unsafe-eval';"));
        assert!(with.contains("object-src 'none'"));
        assert!(with.contains("base-uri 'none'"));
        assert!(with.contains("frame-ancestors 'none'"));
        assert!(with.contains("form-action 'self'"));
        assert!(!with.contains("unsafe-inline"));
        assert!(policy(None).contains("script-src 'none';"));
    }
}
