//! An Atom feed (RFC 4287) of new and changed events, for feed readers and the tools that post
//! a feed into a chat room. Each entry keeps its id through renames (it is made from the event's
//! id and when it was created, never from its address) and is `updated` whenever what the event
//! shows changed.

use chrono::{DateTime, SecondsFormat, Utc};

/// How many events the feed holds, newest change first.
pub const FEED_ENTRIES: usize = 50;

/// One entry: an event.
#[derive(Debug, Clone, PartialEq)]
pub struct AtomEntry {
    pub event_id: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub title: String,
    /// The event's page, absolute.
    pub url: String,
    /// When and where, and the summary, as plain text.
    pub summary: String,
    /// The description as HTML (already made safe).
    pub content_html: String,
    /// Who runs the event, if it says.
    pub author: Option<String>,
}

/// The whole feed.
#[derive(Debug, Clone, PartialEq)]
pub struct AtomFeed {
    pub title: String,
    /// The site's public address, without a trailing slash.
    pub site_url: String,
    /// The feed's own address, absolute.
    pub feed_url: String,
    pub entries: Vec<AtomEntry>,
}

impl AtomFeed {
    /// The feed's `updated`: its newest entry's change (the Unix epoch for an empty feed, so
    /// that the document stays the same until something changes).
    pub fn updated(&self) -> DateTime<Utc> {
        self.entries
            .iter()
            .map(|e| e.updated_at)
            .max()
            .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
    }
}

/// The feed as an XML document.
pub fn render_atom(feed: &AtomFeed) -> String {
    let authority = authority(&feed.site_url);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    out.push_str(&format!("  <title>{}</title>\n", escape(&feed.title)));
    out.push_str(&format!("  <id>{}</id>\n", escape(&feed.feed_url)));
    out.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        escape(&feed.feed_url)
    ));
    out.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}/\"/>\n",
        escape(&feed.site_url)
    ));
    out.push_str(&format!("  <updated>{}</updated>\n", stamp(feed.updated())));
    out.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        escape(&feed.title)
    ));
    out.push_str("  <generator>convene</generator>\n");
    for entry in &feed.entries {
        out.push_str("  <entry>\n");
        out.push_str(&format!(
            "    <id>tag:{authority},{}:event-{}</id>\n",
            entry.created_at.format("%Y-%m-%d"),
            entry.event_id
        ));
        out.push_str(&format!("    <title>{}</title>\n", escape(&entry.title)));
        out.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape(&entry.url)
        ));
        out.push_str(&format!(
            "    <published>{}</published>\n",
            stamp(entry.created_at)
        ));
        out.push_str(&format!(
            "    <updated>{}</updated>\n",
            stamp(entry.updated_at)
        ));
        if let Some(author) = &entry.author {
            out.push_str(&format!(
                "    <author><name>{}</name></author>\n",
                escape(author)
            ));
        }
        out.push_str(&format!(
            "    <summary type=\"text\">{}</summary>\n",
            escape(&entry.summary)
        ));
        out.push_str(&format!(
            "    <content type=\"html\">{}</content>\n",
            escape(&entry.content_html)
        ));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// The host of the site (without a port), for the entries' `tag:` ids (RFC 4151).
fn authority(site_url: &str) -> String {
    let rest = site_url
        .split_once("://")
        .map_or(site_url, |(_, rest)| rest);
    let host = rest.split('/').next().unwrap_or(rest);
    host.rsplit_once(':')
        .filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()))
        .map_or(host, |(host, _)| host)
        .to_owned()
}

fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Text for XML content and attribute values; characters XML 1.0 cannot hold are dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|e| panic!("bad test instant {s}: {e}"))
    }

    fn entry(id: i64, title: &str, updated: &str) -> AtomEntry {
        AtomEntry {
            event_id: id,
            created_at: utc("2023-10-01T08:00:00Z"),
            updated_at: utc(updated),
            title: title.into(),
            url: format!("https://events.example.org/events/e{id}"),
            summary: "Mon, 20 Nov 2023 – Dresden".into(),
            content_html: "<p>Bring a <strong>laptop</strong></p>".into(),
            author: Some("SIG Community".into()),
        }
    }

    fn feed(entries: Vec<AtomEntry>) -> AtomFeed {
        AtomFeed {
            title: "convene".into(),
            site_url: "https://events.example.org".into(),
            feed_url: "https://events.example.org/feed.atom".into(),
            entries,
        }
    }

    #[test]
    fn a_feed_with_its_entries_ids_and_times() {
        let text = render_atom(&feed(vec![
            entry(2, "Hackathon", "2023-10-05T10:00:00Z"),
            entry(1, "Call", "2023-10-02T10:00:00Z"),
        ]));
        assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
        assert!(
            text.contains("<updated>2023-10-05T10:00:00Z</updated>\n  <author>"),
            "the newest change: {text}"
        );
        assert!(text.contains("<id>tag:events.example.org,2023-10-01:event-2</id>"));
        assert!(text.contains("<link rel=\"self\" type=\"application/atom+xml\" href=\"https://events.example.org/feed.atom\"/>"));
        assert!(text.contains("<content type=\"html\">&lt;p&gt;Bring a &lt;strong&gt;laptop&lt;/strong&gt;&lt;/p&gt;</content>"));
        assert_eq!(text.matches("<entry>").count(), 2);
        assert!(text.ends_with("</feed>\n"));
    }

    #[test]
    fn what_people_typed_is_text_and_control_characters_are_dropped() {
        let text = render_atom(&feed(vec![entry(
            1,
            "<script>\"x\" & 'y'</script>\u{1}",
            "2023-10-05T10:00:00Z",
        )]));
        assert!(text.contains(
            "<title>&lt;script&gt;&quot;x&quot; &amp; &apos;y&apos;&lt;/script&gt;</title>"
        ));
        assert!(!text.contains('\u{1}'));
    }

    #[test]
    fn an_empty_feed_is_stable() {
        let text = render_atom(&feed(Vec::new()));
        assert!(text.contains("<updated>1970-01-01T00:00:00Z</updated>"));
        assert_eq!(text, render_atom(&feed(Vec::new())));
    }

    #[test]
    fn the_authority_is_the_host() {
        assert_eq!(authority("http://127.0.0.1:3000"), "127.0.0.1");
        assert_eq!(
            authority("https://events.example.org/sub"),
            "events.example.org"
        );
    }
}
