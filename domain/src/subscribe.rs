//! Links that put the site's events into people's calendars: subscribing to a feed (the
//! calendar app fetches it again by itself, so changes follow) with Apple Calendar or
//! Thunderbird (`webcal://`), Google Calendar or Outlook, and adding one event to Google Calendar
//! or Outlook. These are plain links: nothing is sent to those services until someone follows
//! one.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::paths::encode_query_value;

/// The ways to subscribe to one feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedLinks {
    /// The feed itself (to download, or to paste into any calendar app).
    pub url: String,
    /// The same feed for apps that subscribe on `webcal://` (Apple Calendar, Thunderbird, ...).
    pub webcal: String,
    pub google: String,
    pub outlook: String,
}

/// Subscribe links for the feed at `url` (absolute), named `name` in Outlook.
pub fn feed_links(url: &str, name: &str) -> FeedLinks {
    let webcal = match url.split_once("://") {
        Some((_, rest)) => format!("webcal://{rest}"),
        None => url.to_owned(),
    };
    FeedLinks {
        url: url.to_owned(),
        google: format!(
            "https://calendar.google.com/calendar/render?cid={}",
            encode_query_value(&webcal)
        ),
        outlook: format!(
            "https://outlook.live.com/calendar/0/addfromweb?url={}&name={}",
            encode_query_value(url),
            encode_query_value(name)
        ),
        webcal,
    }
}

/// One event to add to a calendar as a copy (it does not follow later changes; the feed does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneEvent<'a> {
    pub title: &'a str,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The event's page.
    pub url: &'a str,
    pub location: Option<&'a str>,
}

/// "Add to Google Calendar" and "Add to Outlook" links for one event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddLinks {
    pub google: String,
    pub outlook: String,
}

pub fn add_links(event: &OneEvent<'_>) -> AddLinks {
    let compact = |at: DateTime<Utc>| at.format("%Y%m%dT%H%M%SZ").to_string();
    let iso = |at: DateTime<Utc>| at.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let location = event.location.unwrap_or_default();
    AddLinks {
        google: format!(
            "https://calendar.google.com/calendar/render?action=TEMPLATE&text={}&dates={}/{}&details={}&location={}",
            encode_query_value(event.title),
            compact(event.starts_at),
            compact(event.ends_at),
            encode_query_value(event.url),
            encode_query_value(location)
        ),
        outlook: format!(
            "https://outlook.live.com/calendar/0/deeplink/compose?path=/calendar/action/compose&rru=addevent&subject={}&startdt={}&enddt={}&body={}&location={}",
            encode_query_value(event.title),
            encode_query_value(&iso(event.starts_at)),
            encode_query_value(&iso(event.ends_at)),
            encode_query_value(event.url),
            encode_query_value(location)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_feed_is_subscribed_to_on_webcal_google_and_outlook() {
        let links = feed_links(
            "https://events.example.org/calendar.ics?kind=hackathon",
            "Hackathons & more",
        );
        assert_eq!(
            links.webcal,
            "webcal://events.example.org/calendar.ics?kind=hackathon"
        );
        assert_eq!(
            links.google,
            "https://calendar.google.com/calendar/render?cid=webcal%3A//events.example.org/calendar.ics%3Fkind%3Dhackathon"
        );
        assert_eq!(
            links.outlook,
            "https://outlook.live.com/calendar/0/addfromweb?url=https%3A//events.example.org/calendar.ics%3Fkind%3Dhackathon&name=Hackathons%20%26%20more"
        );
    }

    #[test]
    fn one_event_is_added_with_its_times_in_utc_and_everything_encoded() {
        let at = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .expect("instant")
                .with_timezone(&Utc)
        };
        let links = add_links(&OneEvent {
            title: "Hack & Learn <1>",
            starts_at: at("2027-03-10T08:00:00Z"),
            ends_at: at("2027-03-10T16:00:00Z"),
            url: "https://events.example.org/events/hack",
            location: Some("Room \"A\""),
        });
        assert!(links.google.contains("text=Hack%20%26%20Learn%20%3C1%3E"));
        assert!(
            links
                .google
                .contains("dates=20270310T080000Z/20270310T160000Z")
        );
        assert!(links.google.contains("location=Room%20%22A%22"));
        assert!(links.outlook.contains("startdt=2027-03-10T08%3A00%3A00Z"));
        assert!(
            links
                .outlook
                .contains("subject=Hack%20%26%20Learn%20%3C1%3E")
        );
        for link in [&links.google, &links.outlook] {
            assert!(
                !link.contains(' ') && !link.contains('<') && !link.contains('"'),
                "{link}"
            );
        }
    }
}
