//! Text written into HTML by hand, outside the view macros (which escape on their own).

/// Escapes text for an HTML text node or a quoted attribute value.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn markup_in_text_stays_text() {
        assert_eq!(
            escape("</title><img src=x onerror='alert(1)'>"),
            "&lt;/title&gt;&lt;img src=x onerror=&#39;alert(1)&#39;&gt;"
        );
        assert_eq!(escape("Tom & \"Jerry\""), "Tom &amp; &quot;Jerry&quot;");
        assert_eq!(escape("&amp;"), "&amp;amp;");
        assert_eq!(escape("plain Ümlaut"), "plain Ümlaut");
    }
}
