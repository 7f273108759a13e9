//! The community call's demo agenda: the series' sections (one per team and SIG, then the
//! generated "Upcoming events"), the seed deck of 2023-10-19 imported as that call's notes, and
//! a few updates from two teams for the next call, so that `convene serve --demo` shows every
//! part of the agenda on a fresh machine.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use domain::EventSlug;
use domain::call::{AgendaError, SectionKind};
use domain::deck::UPCOMING_TITLE;
use store::Actor;

use crate::Services;
use crate::call::import_deck;

/// The deck this project started from, as the community wrote it.
const SEED_DECK: &str = include_str!("demo/community-call-2023-10-19.md");

const SERIES: &str = "scs-community-call";

/// The teams and SIGs with a section, in the seed deck's order.
const TEAMS: [&str; 6] = [
    "team-iaas",
    "team-iam",
    "team-ops",
    "team-container",
    "sig-documentation",
    "sig-standardization",
];

/// What two teams wrote for the next call; the other sections are still empty.
const NEXT_CALL: [(&str, &str); 3] = [
    (
        "team-iaas",
        "- Keystone domain manager role: merged upstream, backport under review.\n\
         - RabbitMQ: quorum queues are the new default in the reference installation.",
    ),
    (
        "team-iaas",
        "**Networking (VP04)**: the SONiC lab is wired; first switch image boots.",
    ),
    (
        "team-container",
        "- Cluster Stacks: upgrade tests between two Kubernetes minor versions run nightly.\n\
         - Help wanted: docs for the ClusterStack Operator ([contributor guide](https://docs.scs.community/)).",
    ),
];

/// Loads the demo agenda unless the series already has sections; returns whether it did.
pub async fn load_demo_agenda(ctx: &Services, now: DateTime<Utc>) -> Result<bool, AgendaError> {
    let slug = |slug: &str| EventSlug::parse(slug).map_err(|_| AgendaError::Internal);
    let Some(series) = ctx.store.event_by_slug(&slug(SERIES)?).await? else {
        return Ok(false);
    };
    let mut write = ctx.store.write_event(series.id).await?;
    if !write.call_sections().await?.is_empty() {
        return Ok(false);
    }
    let mut team_sections = Vec::new();
    for team in TEAMS {
        if let Some(team) = ctx.store.event_by_slug(&slug(team)?).await? {
            let id = write
                .insert_call_section(SectionKind::Team, &team.title, Some(team.id), now)
                .await?;
            team_sections.push((team.slug.to_string(), id));
        }
    }
    write
        .insert_call_section(SectionKind::Upcoming, UPCOMING_TITLE, None, now)
        .await?;
    write.commit().await?;

    let seed_date = NaiveDate::from_ymd_opt(2023, 10, 19).ok_or(AgendaError::Internal)?;
    import_deck(ctx, Actor::System, series.id, seed_date, SEED_DECK, now).await?;

    let overrides = ctx.store.occurrence_overrides_of(series.id).await?;
    let next_call = series
        .occurrences(&overrides, now, now + Duration::days(14))
        .into_iter()
        .find(|o| o.starts_at > now);
    if let Some(call) = next_call {
        let mut write = ctx.store.write_event(series.id).await?;
        for (team, body) in NEXT_CALL {
            let section = team_sections.iter().find(|(slug, _)| slug == team);
            if let Some((_, section_id)) = section {
                write
                    .insert_call_item(*section_id, call.original_date, body, now)
                    .await?;
            }
        }
        write.commit().await?;
    }
    Ok(true)
}
