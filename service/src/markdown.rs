//! Markdown from organizers and attendees, rendered to HTML that is safe to embed: no scripts,
//! no event handlers, no `javascript:` links, and no images (pages make no third-party requests).

use pulldown_cmark::{Options, Parser, html};

/// Renders `source` as sanitised HTML.
pub fn to_safe_html(source: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut unsafe_html = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(source, options));
    ammonia::Builder::default()
        .rm_tags(["img"])
        .link_rel(Some("noopener noreferrer nofollow"))
        .url_schemes(["http", "https", "mailto"].into())
        .clean(&unsafe_html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::to_safe_html;

    #[test]
    fn renders_markdown_structure() {
        let html = to_safe_html("## Team IaaS\n\n- one\n- **two**\n");
        assert!(html.contains("<h2>Team IaaS</h2>"), "{html}");
        assert!(html.contains("<li><strong>two</strong></li>"), "{html}");
    }

    #[test]
    fn strips_scripts_handlers_and_dangerous_urls() {
        let corpus = [
            "<script>alert(1)</script>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "[x](javascript:alert(1))",
            "<img src=x onerror=alert(1)>",
            "<div onclick=\"alert(1)\">x</div>",
            "[x](data:text/html;base64,PHNjcmlwdD4=)",
            "<svg><script>alert(1)</script></svg>",
            "<iframe src=\"https://example.org\"></iframe>",
        ];
        for input in corpus {
            let html = to_safe_html(input).to_lowercase();
            for bad in [
                "<script",
                "javascript:",
                "onerror",
                "onclick",
                "data:",
                "<svg",
                "<iframe",
                "<img",
            ] {
                assert!(!html.contains(bad), "{input:?} rendered as {html:?}");
            }
        }
    }

    #[test]
    fn external_links_do_not_leak_the_opener() {
        let html = to_safe_html("[pad](https://example.org/pad)");
        assert!(
            html.contains("rel=\"noopener noreferrer nofollow\""),
            "{html}"
        );
    }
}
