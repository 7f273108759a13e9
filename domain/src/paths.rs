//! The site's paths, one function each, for the pages, the mails and the server's routes.

/// The link to an event's page.
pub fn event_href(slug: &str) -> String {
    format!("/events/{slug}")
}

/// The link to one occurrence of a series, by its original local date.
pub fn occurrence_href(slug: &str, date: chrono::NaiveDate) -> String {
    format!("/events/{slug}/{}", date.format("%Y-%m-%d"))
}

/// The link to an event's calendar file.
pub fn ics_href(slug: &str) -> String {
    format!("/events/{slug}/event.ics")
}

/// The feed of every event, or of the events of one kind.
pub fn feed_href(kind: Option<crate::EventKind>) -> String {
    match kind {
        None => "/calendar.ics".to_owned(),
        Some(kind) => format!("/calendar.ics?kind={}", kind.as_str()),
    }
}

/// Percent-encodes a value for a query string (RFC 3986: all but the unreserved characters,
/// and `/`, which a query may hold as it is).
pub fn encode_query_value(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Reads back what [`encode_query_value`] wrote (any `%XX` escape); `None` for a broken escape
/// or bytes that are no UTF-8.
pub fn decode_query_value(value: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(value.len());
    let mut rest = value.as_bytes();
    while let Some((&first, tail)) = rest.split_first() {
        if first == b'%' {
            let hex = std::str::from_utf8(tail.get(..2)?).ok()?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
            rest = &tail[2..];
        } else {
            bytes.push(first);
            rest = tail;
        }
    }
    String::from_utf8(bytes).ok()
}

/// The secret link to one registration.
pub fn manage_href(token: &str) -> String {
    format!("/r/{token}")
}

/// Where the mail to a new address leads: confirming it for a registration.
pub fn address_href(secret: &str) -> String {
    format!("/address/{secret}")
}

/// Where a person lands after confirming a new address.
pub const ADDRESS_CHANGED_PAGE: &str = "/address-changed";

/// Where a person lands after erasing their data (their link no longer leads anywhere).
pub const ERASED_PAGE: &str = "/data-erased";

/// The public topic board of an event.
pub fn topics_href(slug: &str) -> String {
    format!("/events/{slug}/topics")
}

/// The topic board as the holder of a registration link sees it (propose, vote).
pub fn my_topics_href(token: &str) -> String {
    format!("/r/{token}/topics")
}

/// The registration form of an event.
pub fn register_href(slug: &str) -> String {
    format!("/events/{slug}/register")
}

/// The page after registering: what happened, and where the mail went.
pub fn registered_href(slug: &str) -> String {
    format!("/events/{slug}/registered")
}

/// "Send the mail again", from the page after registering.
pub fn send_again_href(slug: &str) -> String {
    format!("/events/{slug}/registered/again")
}

/// An event's page as organizers see it before it is published (marked as a preview).
pub fn preview_href(slug: &str) -> String {
    format!("/admin/events/{slug}/preview")
}

/// A team's contributor page: whoever holds the link writes the team's agenda items.
pub fn contribute_href(token: &str) -> String {
    format!("/contribute/{token}")
}

/// One call's agenda as a HedgeDoc slide deck.
pub fn slides_href(slug: &str, date: chrono::NaiveDate) -> String {
    format!("{}/slides.md", occurrence_href(slug, date))
}

/// One call's agenda presented in the browser, a slide at a time.
pub fn present_href(slug: &str, date: chrono::NaiveDate) -> String {
    format!("{}/present", occurrence_href(slug, date))
}

/// The organizers' page of a series' agenda sections.
pub fn admin_agenda_href(slug: &str) -> String {
    format!("/admin/events/{slug}/agenda")
}

/// The organizers' page of one call's agenda.
pub fn admin_call_href(slug: &str, date: chrono::NaiveDate) -> String {
    format!("/admin/events/{slug}/agenda/{date}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_value_is_read_back_as_it_was_written() {
        for value in ["/admin?x=1&y=ä b", "", "100%", "~;,\"\\"] {
            let encoded = encode_query_value(value);
            assert!(!encoded.contains([';', ',', ' ', '"', '\\', '&', '=']));
            assert_eq!(decode_query_value(&encoded).as_deref(), Some(value));
        }
        assert_eq!(decode_query_value("%4"), None, "a broken escape");
        assert_eq!(decode_query_value("%zz"), None);
        assert_eq!(decode_query_value("%C3"), None, "half a character");
    }
}
