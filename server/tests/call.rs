//! The community call's agenda over HTTP against the real binary (on SQLite, and on PostgreSQL
//! with `CONVENE_TEST_BACKEND=postgres`): organizers set a series' sections, a team writes
//! through its contributor link with plain form posts, refusals with their status, the
//! generated "Upcoming events", the call page in both languages, the slide deck round trip
//! against the seed, and the reminder mail to a team whose section is still empty.

mod common;

use chrono::{Duration, NaiveDate, Utc};
use common::organizer::{Organizer, answer, post};
use common::smtp::SmtpServer;
use common::{TestServer, readable, run_convene};

const SERIES: &str = "scs-community-call";
const AGENDA: &str = "/admin/events/scs-community-call/agenda";
const SEED_DATE: &str = "2023-10-19";

/// The series' sections as the store has them, and the date of the next call to come.
async fn sections_and_next_call(site: &TestServer) -> (Vec<domain::call::Section>, NaiveDate) {
    let store = store::Store::connect(&site.database_url())
        .await
        .expect("open the test database");
    let slug = domain::EventSlug::parse(SERIES).expect("slug");
    let series = store
        .event_by_slug(&slug)
        .await
        .expect("query")
        .expect("the demo's call series");
    let sections = store.call_sections(series.id).await.expect("sections");
    let overrides = store
        .occurrence_overrides_of(series.id)
        .await
        .expect("overrides");
    let now = Utc::now();
    let next = series
        .occurrences(&overrides, now, now + Duration::days(14))
        .into_iter()
        .find(|o| o.starts_at > now)
        .expect("a call within two weeks")
        .original_date;
    store.close().await;
    (sections, next)
}

fn section_id(sections: &[domain::call::Section], title: &str) -> i64 {
    sections
        .iter()
        .find(|s| s.title == title)
        .unwrap_or_else(|| panic!("no section {title:?} in {sections:?}"))
        .id
}

/// The contributor link's secret in a page that shows a newly issued one.
fn issued_token(page: &str) -> String {
    let start = page.find("/contribute/").expect("the issued link") + "/contribute/".len();
    page[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

#[tokio::test]
async fn organizers_set_the_sections_and_a_team_writes_through_its_link() {
    let site = TestServer::demo();
    let ada = Organizer::sign_in(&site, "ada@example.org", "event_manager").await;
    let (status, page) = ada.get(AGENDA).await;
    assert_eq!(status, 200);
    assert!(page.contains("Team IaaS") && page.contains("SIG Documentation"));

    // A free section, added at the end and moved up once.
    let (status, location) = ada
        .post(AGENDA, &[("kind", "free"), ("title", "Announcements")])
        .await;
    assert_eq!(status, 303, "{location}");
    let (sections, next) = sections_and_next_call(&site).await;
    let titles: Vec<&str> = sections.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles.last(), Some(&"Announcements"), "{titles:?}");
    let announcements = section_id(&sections, "Announcements");
    let (status, _) = ada
        .post(&format!("{AGENDA}/sections/{announcements}/up"), &[])
        .await;
    assert_eq!(status, 303);
    let (moved, _) = sections_and_next_call(&site).await;
    let position = |sections: &[domain::call::Section]| {
        sections.iter().position(|s| s.title == "Announcements")
    };
    assert_eq!(
        position(&moved),
        position(&sections).map(|p| p - 1),
        "{moved:?}"
    );
    // The same team twice, and a free section without title, are refused next to the field.
    let iaas = sections
        .iter()
        .find(|s| s.title == "Team IaaS")
        .and_then(|s| s.team_event_id)
        .expect("the IaaS team's series");
    let (status, page) = ada
        .post(AGENDA, &[("kind", "team"), ("team", &iaas.to_string())])
        .await;
    assert_eq!(status, 409, "{page}");
    assert!(page.contains("The agenda has a section for this team already."));
    let (status, _) = ada.post(AGENDA, &[("kind", "free"), ("title", " ")]).await;
    assert_eq!(status, 422);

    // Team Ops gets its link: shown once on the page, never in an address.
    let ops = section_id(&sections, "Team Ops");
    let (status, page) = ada
        .post(&format!("{AGENDA}/sections/{ops}/link"), &[])
        .await;
    assert_eq!(status, 200, "{page}");
    let token = issued_token(&page);
    assert!(token.len() >= 20, "{token}");
    let (status, page) = site.text(&format!("/contribute/{token}")).await;
    assert_eq!(status, 200);
    assert!(readable(&page).contains("Updates of Team Ops"), "{page}");

    // Two items for the next call, without an account.
    let date = next.to_string();
    for body in [
        "- Zuul: pipelines run from the CLI\n- <script>alert(1)</script>",
        "**Status page**: first release",
    ] {
        let response = post(
            &site,
            &format!("/contribute/{token}/items"),
            &[("date", &date), ("body", body)],
            None,
        )
        .await;
        let (status, location) = answer(response).await;
        assert_eq!(status, 303, "{location}");
        assert!(
            location.starts_with(&format!("/contribute/{token}")),
            "{location}"
        );
    }
    // An empty item, a date the series does not meet on, an unknown link: nothing changes.
    let empty = post(
        &site,
        &format!("/contribute/{token}/items"),
        &[("date", &date), ("body", "  ")],
        None,
    )
    .await;
    assert_eq!(empty.status(), 422);
    assert!(readable(&empty.text().await.expect("body")).contains("This field is required."));
    let wrong_day = next + Duration::days(1);
    let (status, _) = answer(
        post(
            &site,
            &format!("/contribute/{token}/items"),
            &[("date", &wrong_day.to_string()), ("body", "News")],
            None,
        )
        .await,
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = answer(
        post(
            &site,
            "/contribute/not-a-link-at-all/items",
            &[("date", &date), ("body", "News")],
            None,
        )
        .await,
    )
    .await;
    assert_eq!(status, 404);
    // A call that is over keeps its notes.
    let (status, _) = answer(
        post(
            &site,
            &format!("/contribute/{token}/items"),
            &[("date", SEED_DATE), ("body", "Late news")],
            None,
        )
        .await,
    )
    .await;
    assert_eq!(status, 410);

    // The team corrects its second item and takes back a third.
    let store = store::Store::connect(&site.database_url())
        .await
        .expect("db");
    let items = store.call_items_of_section(ops, next).await.expect("items");
    store.close().await;
    assert_eq!(items.len(), 2, "{items:?}");
    let second = items[1].id;
    let (status, location) = answer(
        post(
            &site,
            &format!("/contribute/{token}/items/{second}/edit"),
            &[("body", "**Status page**: first release out")],
            None,
        )
        .await,
    )
    .await;
    assert_eq!(status, 303, "{location}");
    let (status, _) = answer(
        post(
            &site,
            &format!("/contribute/{token}/items/{second}/edit"),
            &[("body", "")],
            None,
        )
        .await,
    )
    .await;
    assert_eq!(status, 422, "an empty item is refused");
    let response = post(
        &site,
        &format!("/contribute/{token}/items"),
        &[("date", &date), ("body", "A third one")],
        None,
    )
    .await;
    assert_eq!(response.status(), 303);
    let store = store::Store::connect(&site.database_url())
        .await
        .expect("db");
    let third = store.call_items_of_section(ops, next).await.expect("items")[2].id;
    store.close().await;
    let (status, _) = answer(
        post(
            &site,
            &format!("/contribute/{token}/items/{third}/remove"),
            &[],
            None,
        )
        .await,
    )
    .await;
    assert_eq!(status, 303);
    // Another section's item is not this link's to change.
    let (status, _) = answer(
        post(
            &site,
            &format!("/contribute/{token}/items/1/edit"),
            &[("body", "Not ours")],
            None,
        )
        .await,
    )
    .await;
    assert_eq!(status, 404);

    // The call page shows both items, rendered safely, in the section's place.
    let (status, html) = site.text(&format!("/events/{SERIES}/{date}")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("<strong>Status page</strong>: first release out"),
        "{html}"
    );
    assert!(!html.contains("A third one"), "removed");
    assert!(html.contains("Zuul: pipelines run from the CLI"));
    assert!(!html.contains("<script>alert(1)"), "no script from an item");
    let ops_at = html.find(">Team Ops<").expect("Team Ops section");
    let container_at = html.find(">Team Container<").expect("Team Container");
    let zuul_at = html.find("Zuul").expect("the item");
    assert!(ops_at < zuul_at && zuul_at < container_at, "in its section");

    // Taken back, the link opens nothing and writes nothing.
    let (status, _) = ada
        .post(&format!("{AGENDA}/sections/{ops}/revoke"), &[])
        .await;
    assert_eq!(status, 303);
    assert_eq!(site.text(&format!("/contribute/{token}")).await.0, 404);
    let (status, _) = answer(
        post(
            &site,
            &format!("/contribute/{token}/items"),
            &[("date", &date), ("body", "After the link was taken back")],
            None,
        )
        .await,
    )
    .await;
    assert_eq!(status, 404);

    // Every change is in the series' log.
    let (status, page) = ada.get("/admin/events/scs-community-call").await;
    assert_eq!(status, 200);
    for line in ["Announcements", "Team Ops"] {
        assert!(page.contains(line), "{line} in the log: {page}");
    }
}

#[tokio::test]
async fn the_sections_are_the_organizers_and_the_door_writes_only_where_named() {
    let site = TestServer::demo();
    let (sections, next) = sections_and_next_call(&site).await;
    let iam = section_id(&sections, "Team IAM");
    let items = format!("{AGENDA}/sections/{iam}/items");
    let date = next.to_string();
    let fields = [("date", date.as_str()), ("body", "News")];

    // Nobody, and another site, are refused before anything is read.
    assert_eq!(
        answer(post(&site, &items, &fields, None).await).await.0,
        401
    );
    let door = Organizer::sign_in(&site, "door@example.org", "door").await;
    let cross_site = TestServer::client()
        .post(site.url(&items))
        .header("cookie", &door.cookie)
        .header("origin", "https://evil.example")
        .form(&fields)
        .send()
        .await
        .expect("POST");
    assert_eq!(cross_site.status(), 403);

    // The door account may not set sections, and writes no section it is not named for.
    assert_eq!(door.get(AGENDA).await.0, 403);
    assert_eq!(
        door.post(AGENDA, &[("kind", "free"), ("title", "Mine")])
            .await
            .0,
        403
    );
    assert_eq!(door.post(&items, &fields).await.0, 403);

    // Named for Team IAM, it writes there (and still nowhere else).
    let ada = Organizer::sign_in(&site, "ada@example.org", "admin").await;
    let store = store::Store::connect(&site.database_url())
        .await
        .expect("db");
    let door_id = store
        .organizers()
        .await
        .expect("organizers")
        .into_iter()
        .find(|o| o.email == "door@example.org")
        .expect("the door account")
        .id;
    store.close().await;
    let (status, _) = ada
        .post(
            &format!("{AGENDA}/sections/{iam}/contributors"),
            &[("organizer", &door_id.to_string())],
        )
        .await;
    assert_eq!(status, 303);
    let (status, location) = door.post(&items, &fields).await;
    assert_eq!(status, 303, "{location}");
    let ops = section_id(&sections, "Team Ops");
    let (status, _) = door
        .post(&format!("{AGENDA}/sections/{ops}/items"), &fields)
        .await;
    assert_eq!(status, 403);
    let (status, page) = door.get(&format!("{AGENDA}/{date}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Team IAM") && page.contains("News"), "{page}");
}

#[tokio::test]
async fn the_call_page_lists_what_comes_in_both_languages() {
    let site = TestServer::demo();
    let (_, next) = sections_and_next_call(&site).await;
    let path = format!("/events/{SERIES}/{next}");
    for (language, register, no_updates) in [
        ("en", "Register", "No updates yet."),
        ("de", "Anmelden", "Noch keine Neuigkeiten."),
    ] {
        let response = TestServer::client()
            .get(site.url(&path))
            .header("accept-language", language)
            .send()
            .await
            .expect("GET");
        assert_eq!(response.status(), 200);
        let html = response.text().await.expect("body");
        let text = readable(&html);
        // The demo's two teams wrote for this call; the others have not yet.
        assert!(text.contains("Keystone domain manager role"), "{language}");
        assert!(text.contains("Cluster Stacks"), "{language}");
        assert!(text.contains(no_updates), "{language}: {text}");
        // The generated section: the event elsewhere, and the hackathon with its links.
        assert!(
            text.contains("Digital Sovereignty Forum</a> – Leipzig"),
            "{text}"
        );
        assert!(
            html.contains("href=\"/events/hackathon-3/register\""),
            "{html}"
        );
        assert!(
            html.contains("href=\"/events/hackathon-3/topics\""),
            "{html}"
        );
        assert!(text.contains(register), "{language}");
        assert!(
            html.contains("https://meet.example.org/scs-community-call"),
            "the online link before the call"
        );
        assert!(html.contains(&format!("{path}/present")));
    }
    // The call of the seed is the archive's notes now.
    let (status, html) = site.text("/events/past").await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("href=\"/events/{SERIES}/{SEED_DATE}\"")));
}

#[tokio::test]
async fn slides_round_trip_the_seed_deck() {
    let site = TestServer::demo();
    let seed = std::fs::read_to_string(
        common::workspace_root().join("domain/tests/data/community-call-2023-10-19.md"),
    )
    .expect("the seed deck");
    let response = site
        .get(&format!("/events/{SERIES}/{SEED_DATE}/slides.md"))
        .await;
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert!(
        headers["content-type"]
            .to_str()
            .expect("type")
            .starts_with("text/markdown")
    );
    assert!(
        headers["content-disposition"]
            .to_str()
            .expect("disposition")
            .starts_with("attachment"),
    );
    let exported = response.text().await.expect("deck");
    assert!(exported.contains("type: slide"), "HedgeDoc front matter");

    let written = |deck: &domain::deck::Deck| -> Vec<(String, bool, Vec<String>)> {
        deck.sections
            .iter()
            .map(|s| {
                let items = s.items.iter().map(|i| i.trim().to_owned()).collect();
                (s.title.clone(), s.generated, items)
            })
            .collect()
    };
    let before = domain::deck::parse(&seed);
    let after = domain::deck::parse(&exported);
    assert_eq!(after.date, before.date, "the title slide's date");
    let before = written(&before);
    let after = written(&after);
    // The same sections in the same order, and the same items in the written ones; the
    // generated section is written anew from the site's events.
    // (Titles match as the import matches them: whatever the case.)
    let titles = |deck: &[(String, bool, Vec<String>)]| -> Vec<(String, bool)> {
        deck.iter()
            .map(|(t, g, _)| (t.to_lowercase(), *g))
            .collect()
    };
    assert_eq!(titles(&after), titles(&before));
    for ((title, generated, items), (_, _, again)) in before.iter().zip(&after) {
        if !generated {
            assert_eq!(again, items, "{title}");
        }
    }
    // The generated section is written from the site's events of the weeks after the call.
    assert!(after.iter().any(|(_, generated, _)| *generated));
    assert!(
        exported.contains("Mercedes-Benz FOSS Convention"),
        "{exported}"
    );

    // Importing the export again changes nothing (the CLI reads what the site writes).
    let file = site.mail_dir().with_file_name("exported-deck.md");
    std::fs::write(&file, &exported).expect("write the deck");
    let file = file.to_string_lossy().into_owned();
    let args = [
        "agenda", "import", "--series", SERIES, "--date", SEED_DATE, &file,
    ];
    let output = run_convene(&args, &[("DATABASE_URL", &site.database_url())]);
    assert!(output.status.success(), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("0 sections added"));
    let again = site
        .get(&format!("/events/{SERIES}/{SEED_DATE}/slides.md"))
        .await
        .text()
        .await
        .expect("deck");
    assert_eq!(written(&domain::deck::parse(&again)), after);
    // A date the series does not meet on is refused, and so is a file that is not there.
    let wrong = [
        "agenda",
        "import",
        "--series",
        SERIES,
        "--date",
        "2023-10-18",
        &file,
    ];
    let output = run_convene(&wrong, &[("DATABASE_URL", &site.database_url())]);
    assert!(!output.status.success());
    let missing = [
        "agenda",
        "import",
        "--series",
        SERIES,
        "--date",
        SEED_DATE,
        "/nonexistent.md",
    ];
    let output = run_convene(&missing, &[("DATABASE_URL", &site.database_url())]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("nothing imported"));

    // The present view holds one section per slide of the deck, without third-party requests.
    let (status, html) = site
        .text(&format!("/events/{SERIES}/{SEED_DATE}/present"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        html.matches("class=\"slide-number\"").count(),
        domain::deck::slides(&exported).len()
    );
    assert!(!html.contains("<img"), "no third-party images");
    assert_eq!(
        site.text(&format!("/events/{SERIES}/2023-10-18/present"))
            .await
            .0,
        404
    );
}

#[tokio::test]
async fn a_team_whose_section_is_empty_is_reminded_once() {
    let smtp = SmtpServer::start().await;
    let smtp_url = smtp.url();
    let site = TestServer::demo_with(&[
        ("CONVENE_SMTP_URL", smtp_url.as_str()),
        ("CONVENE_HOUSEKEEPING_SECONDS", "1"),
        // The next call is at most a week away: it is within the lead.
        ("CONVENE_AGENDA_REMINDER_HOURS", "192"),
    ]);
    let (sections, next) = sections_and_next_call(&site).await;
    let ada = Organizer::sign_in(&site, "ada@example.org", "admin").await;
    let store = store::Store::connect(&site.database_url())
        .await
        .expect("db");
    let ada_id = store
        .organizers()
        .await
        .expect("organizers")
        .into_iter()
        .find(|o| o.email == "ada@example.org")
        .expect("ada")
        .id;
    store.close().await;
    // Ada writes for Team IAM (empty) and Team IaaS (the demo wrote for it).
    for title in ["Team IAM", "Team IaaS"] {
        let id = section_id(&sections, title);
        let (status, _) = ada
            .post(
                &format!("{AGENDA}/sections/{id}/contributors"),
                &[("organizer", &ada_id.to_string())],
            )
            .await;
        assert_eq!(status, 303, "{title}");
    }
    let mail = smtp.mail_to("ada@example.org", "", 30).await;
    let subject = mail.subject();
    assert!(subject.contains("Team IAM"), "{subject}");
    let text = mail.text();
    assert!(
        text.contains(&format!("/admin/events/{SERIES}/agenda/{next}")),
        "{text}"
    );
    // Several housekeeping rounds later, still the one mail.
    tokio::time::sleep(std::time::Duration::from_secs(4)).await;
    let reminders: Vec<String> = smtp
        .received()
        .iter()
        .filter(|m| m.recipients.iter().any(|r| r == "ada@example.org"))
        .map(|m| m.subject())
        .collect();
    assert_eq!(reminders.len(), 1, "{reminders:?}");
}
