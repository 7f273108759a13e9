//! Demo data modelled on the Sovereign Cloud Stack community call of 2023-10-19 (the deck this
//! project started from): the weekly call and team and SIG meetings as series, the external
//! events of its "meet us where you can" list, and the Third Community Hackathon, dated a few
//! weeks after the day the data is loaded so that it is upcoming.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Europe::{Berlin, Madrid};
use chrono_tz::Tz;
use domain::recurrence::{next_weekday_on_or_after, resolve_local};
use domain::{
    EventKind, EventSlug, OccurrenceOverride, Question, QuestionKind, RegistrationSettings,
    TopicSettings,
};

use crate::{NewEvent, Store, StoreError, StoreResult};

/// What loading the demo did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoOutcome {
    pub created: usize,
    pub already_present: usize,
}

/// Loads the demo community. Idempotent: events whose slug exists are left as they are.
pub async fn load_demo(store: &Store, today: NaiveDate) -> StoreResult<DemoOutcome> {
    let mut outcome = DemoOutcome {
        created: 0,
        already_present: 0,
    };
    for demo in demo_events(today)? {
        match store.insert_event_if_absent(&demo.event).await? {
            Some(id) => {
                outcome.created += 1;
                for (original_date, cancelled, notes) in demo.overrides {
                    store
                        .upsert_occurrence_override(&OccurrenceOverride {
                            event_id: id,
                            original_date,
                            cancelled,
                            moved_to: None,
                            notes_md: notes.map(str::to_owned),
                        })
                        .await?;
                }
                if !demo.topics.is_empty() {
                    let mut write = store.write_event(id).await?;
                    for (title, shown_as, description) in demo.topics {
                        let topic = domain::topics::ValidTopic {
                            title: title.to_owned(),
                            description: description.to_owned(),
                            shown_as: shown_as.to_owned(),
                        };
                        write.insert_topic(None, &topic, Utc::now()).await?;
                    }
                    write.commit().await?;
                }
            }
            None => outcome.already_present += 1,
        }
    }
    Ok(outcome)
}

struct DemoEvent {
    event: NewEvent,
    /// (original date, cancelled, notes)
    overrides: Vec<(NaiveDate, bool, Option<&'static str>)>,
    /// Topics collected before the board existed: (title, shown as, Markdown description).
    topics: Vec<(&'static str, &'static str, &'static str)>,
}

fn demo_events(today: NaiveDate) -> StoreResult<Vec<DemoEvent>> {
    let mut events = vec![
        series(
            "scs-community-call",
            "SCS Community Call",
            EventKind::CommunityCall,
            "Weekly updates from the teams and SIGs, upcoming events and open questions.",
            "The weekly call of the Sovereign Cloud Stack community. Every team and SIG shares \
             what it did and what it plans; anybody is welcome to listen, ask and bring topics.\n\n\
             Teams write their updates into each call's agenda here beforehand; after the call, \
             the agenda stays as its notes.",
            ymd(2023, 1, 5)?,
            (15, 5),
            55,
            "FREQ=WEEKLY;BYDAY=TH",
            vec![],
        )?,
        team_meeting(
            "team-iaas",
            "Team IaaS",
            "We build the reference implementation of the IaaS parts of SCS that informs and adheres to the SCS IaaS standards.",
            ymd(2023, 1, 4)?,
            (10, 5),
            "FREQ=WEEKLY;BYDAY=WE",
            // "No team meeting next week, vPTG week" (community call of 2023-10-19).
            vec![(ymd(2023, 10, 25)?, true, None)],
        )?,
        team_meeting(
            "team-iam",
            "Team IAM",
            "Identity and access management: Keycloak, federation and roles across the stack.",
            ymd(2023, 1, 2)?,
            (14, 5),
            "FREQ=WEEKLY;BYDAY=MO",
            vec![],
        )?,
        team_meeting(
            "team-ops",
            "Team Ops",
            "We build tooling and infrastructure design for easy, efficient and transparent ways to operate an SCS cloud.",
            ymd(2023, 1, 5)?,
            (10, 5),
            "FREQ=WEEKLY;BYDAY=TH",
            vec![],
        )?,
        team_meeting(
            "team-container",
            "Team Container",
            "Kubernetes as a service: Cluster Stacks, the ClusterStack Operator and KaaS.",
            ymd(2023, 1, 2)?,
            (10, 5),
            "FREQ=WEEKLY;BYDAY=MO",
            vec![],
        )?,
        team_meeting(
            "sig-documentation",
            "SIG Documentation",
            "Docs for users, operators and contributors: the docs page, guides and the landing page.",
            ymd(2023, 1, 10)?,
            (9, 5),
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
            vec![],
        )?,
        team_meeting(
            "sig-standardization",
            "SIG Standardization / Certification",
            "The SCS standards and the compliance tests that certify clouds against them.",
            ymd(2023, 1, 5)?,
            (11, 5),
            "FREQ=WEEKLY;BYDAY=TH",
            vec![],
        )?,
        team_meeting(
            "sig-community",
            "SIG Community",
            "Events, hackathons and how the community works together. Join to add and discuss hackathon topics.",
            ymd(2023, 1, 2)?,
            (11, 5),
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
            vec![],
        )?,
    ];
    for (slug, title, kind, venue, zone, first, last, summary) in [
        (
            "eclipsecon-2023",
            "EclipseCon 2023",
            EventKind::External,
            "Forum am Schlosspark, Ludwigsburg",
            Berlin,
            ymd(2023, 10, 16)?,
            ymd(2023, 10, 19)?,
            "Talks on SCS Cluster Stacks and on SCS with Huawei.",
        ),
        (
            "mercedes-benz-foss-convention-2023",
            "Mercedes-Benz FOSS Convention",
            EventKind::External,
            "Stuttgart",
            Berlin,
            ymd(2023, 11, 7)?,
            ymd(2023, 11, 8)?,
            "SCS with a talk and a panel.",
        ),
        (
            "smart-country-convention-2023",
            "Smart Country Convention",
            EventKind::External,
            "Messe Berlin",
            Berlin,
            ymd(2023, 11, 7)?,
            ymd(2023, 11, 9)?,
            "A panel discussion about open source and sovereignty.",
        ),
        (
            "gaia-x-summit-2023",
            "Gaia-X Summit 2023",
            EventKind::External,
            "Alicante",
            Madrid,
            ymd(2023, 11, 9)?,
            ymd(2023, 11, 10)?,
            "Meet the SCS team at the Gaia-X Summit.",
        ),
        (
            "open-source-day-2023",
            "Open Source Day",
            EventKind::External,
            "Berlin",
            Berlin,
            ymd(2023, 11, 16)?,
            ymd(2023, 11, 16)?,
            "Members' meeting of the Open Source Business Alliance and a conference about open source; we present our vision of SCS.",
        ),
        (
            "it-emsland-2023",
            "it.emsland",
            EventKind::External,
            "IT-Zentrum Lingen",
            Berlin,
            ymd(2023, 11, 23)?,
            ymd(2023, 11, 23)?,
            "SCS, Hochschule Osnabrück and the IT-Zentrum invite local SMEs to learn about the advantages of digital sovereignty.",
        ),
        (
            "scs-summit-2024",
            "OpenInfra Day Germany and SCS Summit",
            EventKind::Summit,
            "Berlin",
            Berlin,
            ymd(2024, 5, 14)?,
            ymd(2024, 5, 15)?,
            "Two days of talks on open infrastructure and the Sovereign Cloud Stack.",
        ),
    ] {
        events.push(DemoEvent {
            event: NewEvent {
                slug: slug_of(slug)?,
                title: title.to_owned(),
                kind,
                summary: summary.to_owned(),
                description_md: summary.to_owned(),
                starts_at: at(zone, first, (9, 0))?,
                ends_at: at(zone, last, (18, 0))?,
                time_zone: zone,
                venue: Some(venue.to_owned()),
                online_url: None,
                online_access: domain::event::OnlineAccess::Public,
                host: None,
                external_url: None,
                recurrence: None,
                published: true,
                registration: None,
                questions: Vec::new(),
                topics: None,
            },
            overrides: vec![],
            topics: Vec::new(),
        });
    }
    // An event elsewhere in the weeks after the next call, for its "Upcoming events" section.
    let forum_day = today
        .checked_add_days(Days::new(21))
        .and_then(|day| next_weekday_on_or_after(day, Weekday::Tue))
        .ok_or_else(|| invalid("demo date", &today))?;
    events.push(DemoEvent {
        event: NewEvent {
            slug: slug_of("digital-sovereignty-forum")?,
            title: "Digital Sovereignty Forum".to_owned(),
            kind: EventKind::External,
            summary:
                "Kurt and Friederike talk about operating SCS clouds; meet us at the OSBA booth."
                    .to_owned(),
            description_md: "A two-day forum of public administrations and providers on \
                sovereign cloud services. Several people of the community attend."
                .to_owned(),
            starts_at: at(Berlin, forum_day, (9, 0))?,
            ends_at: at(Berlin, forum_day + Days::new(1), (17, 0))?,
            time_zone: Berlin,
            venue: Some("Leipzig".to_owned()),
            online_url: None,
            online_access: domain::event::OnlineAccess::Public,
            host: None,
            external_url: None,
            recurrence: None,
            published: true,
            registration: None,
            questions: Vec::new(),
            topics: None,
        },
        overrides: vec![],
        topics: Vec::new(),
    });
    let hackathon_day = today
        .checked_add_days(Days::new(35))
        .and_then(|day| next_weekday_on_or_after(day, Weekday::Thu))
        .ok_or_else(|| invalid("demo date", &today))?;
    events.push(DemoEvent {
        event: NewEvent {
            slug: slug_of("hackathon-3")?,
            title: "Third Community Hackathon".to_owned(),
            kind: EventKind::Hackathon,
            summary: "Two days of hacking on SCS with the ALASCA community in Dresden. Limited room capacity: register early.".to_owned(),
            description_md: "Cloud&Heat invites us to Dresden for a joint **SCS + ALASCA** hackathon.\n\n\
                Bring a laptop and an idea, or join a team on the spot. Topics are collected \
                beforehand and discussed in the SIG Community meeting.\n\n\
                - Day 1: topic pitches, team forming, hacking\n\
                - Day 2: hacking, demos in the afternoon\n\n\
                The room holds 40 people. When it is full, you can still join the waitlist \
                and move up automatically when a seat frees."
                .to_owned(),
            starts_at: at(Berlin, hackathon_day, (10, 0))?,
            ends_at: at(Berlin, hackathon_day + Days::new(1), (16, 0))?,
            time_zone: Berlin,
            venue: Some("Cloud&Heat Technologies, Dresden".to_owned()),
            online_url: None,
            online_access: domain::event::OnlineAccess::Public,
            host: Some("SIG Community".to_owned()),
            external_url: None,
            recurrence: None,
            published: true,
            registration: Some(RegistrationSettings {
                capacity: Some(40),
                waitlist: true,
                opens_at: None,
                closes_at: None,
                confirmation_window: chrono::Duration::hours(48),
                // Seats freed for the waitlist are offered for a day, as for new events.
                offer_window: Some(chrono::Duration::hours(24)),
                last_promotion_at: None,
            }),
            questions: vec![
                Question {
                    label_de: Some("Ernährung".to_owned()),
                    hint: Some("We order lunch for both days, e.g. vegetarian, vegan, no nuts.".to_owned()),
                    hint_de: Some("Wir bestellen Mittagessen für beide Tage, z. B. vegetarisch, vegan, ohne Nüsse.".to_owned()),
                    ..Question::new("diet", "Dietary needs", QuestionKind::ShortText, &[])
                },
                Question {
                    label_de: Some("T-Shirt-Größe".to_owned()),
                    ..Question::new("tshirt", "T-shirt size", QuestionKind::Select, &["XS", "S", "M", "L", "XL", "XXL"])
                },
                Question {
                    label_de: Some("An welchen Tagen sind Sie dabei?".to_owned()),
                    ..Question::new("days", "Which days will you be there?", QuestionKind::Checkboxes, &["Day 1", "Day 2"])
                },
            ],
            topics: Some(TopicSettings {
                per_person: Some(8),
                proposals_close_at: None,
            }),
        },
        overrides: vec![],
        topics: vec![
            (
                "Cluster stacks on OpenStack with Cluster API",
                "Team Container",
                "Build a **cluster stack** for the SCS reference installation and test upgrades \
                 between two Kubernetes minor versions.\n\n- CAPO provider\n- CSI and CCM versions",
            ),
            (
                "Federated identity with Keycloak",
                "Team IAM",
                "Log in to several SCS clouds with one account: identity federation between \
                 Keycloak realms.",
            ),
            (
                "Status page API: first clients",
                "SIG Monitoring",
                "Write clients for the status page API (Go and Python) and a small CLI.",
            ),
        ],
    });
    Ok(events)
}

#[allow(clippy::too_many_arguments)]
fn series(
    slug: &str,
    title: &str,
    kind: EventKind,
    summary: &str,
    description: &str,
    first: NaiveDate,
    start: (u32, u32),
    minutes: i64,
    rule: &str,
    overrides: Vec<(NaiveDate, bool, Option<&'static str>)>,
) -> StoreResult<DemoEvent> {
    let starts_at = at(Berlin, first, start)?;
    Ok(DemoEvent {
        event: NewEvent {
            slug: slug_of(slug)?,
            title: title.to_owned(),
            kind,
            summary: summary.to_owned(),
            description_md: description.to_owned(),
            starts_at,
            ends_at: starts_at + chrono::Duration::minutes(minutes),
            time_zone: Berlin,
            venue: None,
            online_url: Some(format!("https://meet.example.org/{slug}")),
            online_access: domain::event::OnlineAccess::Public,
            host: Some("Sovereign Cloud Stack".to_owned()),
            external_url: None,
            recurrence: Some(rule.parse().map_err(|e| invalid("recurrence", &e))?),
            published: true,
            registration: None,
            questions: Vec::new(),
            topics: None,
        },
        overrides,
        topics: Vec::new(),
    })
}

fn team_meeting(
    slug: &str,
    title: &str,
    about: &str,
    first: NaiveDate,
    start: (u32, u32),
    rule: &str,
    overrides: Vec<(NaiveDate, bool, Option<&'static str>)>,
) -> StoreResult<DemoEvent> {
    let mut demo = series(
        slug,
        title,
        EventKind::Meeting,
        about,
        &format!("{about}\n\nThe meeting is open: anybody interested is welcome to join."),
        first,
        start,
        55,
        rule,
        overrides,
    )?;
    demo.event.host = Some(title.to_owned());
    Ok(demo)
}

fn ymd(year: i32, month: u32, day: u32) -> StoreResult<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| StoreError::Corrupt {
        what: "demo date",
        detail: format!("{year}-{month}-{day}"),
    })
}

fn at(zone: Tz, date: NaiveDate, (hour, minute): (u32, u32)) -> StoreResult<DateTime<Utc>> {
    let time = NaiveTime::from_hms_opt(hour, minute, 0).ok_or_else(|| StoreError::Corrupt {
        what: "demo time",
        detail: format!("{hour}:{minute}"),
    })?;
    Ok(resolve_local(zone, date.and_time(time)))
}

fn slug_of(slug: &str) -> StoreResult<EventSlug> {
    EventSlug::parse(slug).map_err(|e| invalid("slug", &e))
}

fn invalid(what: &'static str, error: &dyn std::fmt::Display) -> StoreError {
    StoreError::Corrupt {
        what,
        detail: error.to_string(),
    }
}
