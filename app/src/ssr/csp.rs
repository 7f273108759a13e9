//! The Content-Security-Policy of the site's HTML: scripts only with the nonce of the response
//! they came in (leptos puts a new one on its hydration scripts for every response) or loaded by
//! those, styles and images only from the site, nothing framed, no plugins, forms only to the
//! site. The server's security layer sets it on every HTML response.

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
